/* gls-thread-private.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-thread.h"

G_BEGIN_DECLS

/* Filled in once by the derivation, then never changed. */
struct _GlsThread
{
  GObject       parent_instance;

  char         *root_id;
  guint         number;
  char         *source;
  GlsSelector  *selector;
  char         *text;
  char         *author_id;
  char         *author_name;
  char         *created;
  char         *last_activity;
  guint         reply_count;
  guint         resolved : 1;
  guint         placeholder : 1;
  GListStore   *comments;
};

G_END_DECLS
