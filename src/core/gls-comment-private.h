/* gls-comment-private.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-annotation.h"
#include "gls-comment.h"

G_BEGIN_DECLS

/* Filled in once by the derivation, then never changed. A comment is a
 * view of its annotation and of the edit it shows: annotations are
 * immutable, so it holds references and borrows their strings instead of
 * copying them. */
struct _GlsComment
{
  GObject        parent_instance;

  GlsAnnotation *annotation;
  GlsAnnotation *edit;       /* the shown edit, or NULL */
  guint          ignored_edits;
  char          *author_name;  /* the name the author goes by now */
  char          *signer_name;  /* the importer's, for imported words */
  gboolean       is_root;
};

/* Refs `annotation` and `edit` (NULL: not edited; ignored when
 * `annotation` is a tombstone). */
GlsComment *_gls_comment_new (GlsAnnotation *annotation,
                              GlsAnnotation *edit,
                              guint          ignored_edits,
                              const char    *author_name,
                              const char    *signer_name,
                              gboolean       is_root);

G_END_DECLS
