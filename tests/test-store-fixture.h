/* test-store-fixture.h: a store in a temporary folder, for g_test_add
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-store.h"
#include "test-util.h"

typedef struct
{
  char     *dir;
  char     *path;   /* the store's file, "store.sqlite" in dir */
  GlsStore *store;
} StoreFixture;

static inline void
store_fixture_setup (StoreFixture  *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("glossa-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "store.sqlite", NULL);
  f->store = gls_store_open (f->path, &error);
  g_assert_no_error (error);
}

static inline void
store_fixture_teardown (StoreFixture  *f,
                        gconstpointer  data)
{
  g_clear_object (&f->store);
  test_rm_rf (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

#define STORE_TEST_ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)
