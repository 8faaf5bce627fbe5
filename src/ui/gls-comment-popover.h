/* gls-comment-popover.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define GLS_TYPE_COMMENT_POPOVER (gls_comment_popover_get_type ())

G_DECLARE_FINAL_TYPE (GlsCommentPopover, gls_comment_popover, GLS, COMMENT_POPOVER, GtkPopover)

/*
 * The small editor that opens where a new comment is pinned. "Comment"
 * (or Ctrl+Enter) emits ::submit with the text and closes the popover;
 * Escape or a click elsewhere just closes it, keeping the text (the
 * owner keeps it as a draft); "Discard" empties it, emits ::discarded and
 * closes it.
 *
 * In suggestion mode (gls_comment_popover_set_suggestion) it edits a copy
 * of a passage instead: "Suggest" posts any text that differs from the
 * passage, the empty text too (a deletion), as typed.
 */
GtkWidget *gls_comment_popover_new      (void);
char      *gls_comment_popover_dup_text (GlsCommentPopover *self);
void       gls_comment_popover_set_text (GlsCommentPopover *self,
                                         const char        *text);
/* @original: the passage to edit (the text is set to it); NULL goes back
 * to writing a comment (the text is emptied). */
void       gls_comment_popover_set_suggestion (GlsCommentPopover *self,
                                               const char        *original);
gboolean   gls_comment_popover_get_suggestion (GlsCommentPopover *self);
/* Emits ::submit when there is text to post; returns whether it did. */
gboolean   gls_comment_popover_submit   (GlsCommentPopover *self);
/* Closes it, keeping the text. */
void       gls_comment_popover_cancel   (GlsCommentPopover *self);
/* Empties it, emits ::discarded and closes it. */
void       gls_comment_popover_discard  (GlsCommentPopover *self);
/* Whether it holds a comment with words in it (not a suggestion). */
gboolean   gls_comment_popover_has_draft (GlsCommentPopover *self);

G_END_DECLS
