/* gls-comment-private.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-comment.h"

G_BEGIN_DECLS

/* Filled in once by the derivation, then never changed. */
struct _GlsComment
{
  GObject   parent_instance;

  char     *id;
  char     *text;
  char     *author_id;
  char     *author_name;
  char     *created;
  char     *modified;
  guint     edited : 1;
  guint     deleted : 1;
  guint     is_root : 1;
};

G_END_DECLS
