/* gls-comment.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "gls-types.h"

G_BEGIN_DECLS

/*
 * GlsComment: one comment of a thread as shown, derived by
 * gls_threads_derive (): the root or a reply, with the text of the latest
 * edit by its own author. Read-only properties: id, text, author-id,
 * author-name, created, modified, edited, deleted, is-root.
 */

#define GLS_TYPE_COMMENT (gls_comment_get_type ())

G_DECLARE_FINAL_TYPE (GlsComment, gls_comment, GLS, COMMENT, GObject)

const char *gls_comment_get_id          (GlsComment *self);
/* The shown text: empty for a deleted root kept as a placeholder. */
const char *gls_comment_get_text        (GlsComment *self);
const char *gls_comment_get_author_id   (GlsComment *self);
const char *gls_comment_get_author_name (GlsComment *self);
const char *gls_comment_get_created     (GlsComment *self);
/* `created` of the edit shown, else of the comment. */
const char *gls_comment_get_modified    (GlsComment *self);
gboolean    gls_comment_get_edited      (GlsComment *self);
/* The ids of the people its shown words mention, or NULL. */
const char * const *gls_comment_get_mentions (GlsComment *self);
/* A deleted root kept as the placeholder of a thread with live replies. */
gboolean    gls_comment_get_deleted     (GlsComment *self);
gboolean    gls_comment_get_is_root     (GlsComment *self);
/* Who vouches for the words (see GlsTrust), and the did:key that signed. */
GlsTrust    gls_comment_get_trust       (GlsComment *self);
const char *gls_comment_get_signer      (GlsComment *self);
/* The name the signer goes by (their latest profile), or NULL. */
const char *gls_comment_get_signer_name (GlsComment *self);
/* Changes by someone else than its author that were ignored: edits,
 * rewrites of the document, deletions. */
guint       gls_comment_get_ignored_changes (GlsComment *self);

G_END_DECLS
