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
  f->dir = test_data_dir_new ("glossa-store-XXXXXX");
  f->path = g_build_filename (f->dir, "store.sqlite", NULL);
  f->store = test_store_open (f->dir, "store.sqlite");
}

static inline void
store_fixture_teardown (StoreFixture  *f,
                        gconstpointer  data)
{
  g_clear_object (&f->store);
  g_free (f->path);
  test_data_dir_free (f->dir);
}

#define STORE_TEST_ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)
