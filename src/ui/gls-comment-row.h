/* gls-comment-row.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gls-comment.h"

G_BEGIN_DECLS

#define GLS_TYPE_COMMENT_ROW (gls_comment_row_get_type ())

G_DECLARE_FINAL_TYPE (GlsCommentRow, gls_comment_row, GLS, COMMENT_ROW, GtkListBoxRow)

/*
 * One comment of a thread: author, relative time, "edited" mark, text.
 * For one's own comments (`own`) the actions comment.edit and
 * comment.delete are enabled; editing swaps the text for a GtkTextView
 * with Save / Cancel (Ctrl+Enter, Escape). The row writes nothing itself:
 * it emits ::save-requested (text) and ::delete-requested and the thread
 * view does the writing.
 */

GtkWidget  *gls_comment_row_new            (GlsComment    *comment,
                                            gboolean       own);
GlsComment *gls_comment_row_get_comment    (GlsCommentRow *self);
void        gls_comment_row_set_comment    (GlsCommentRow *self,
                                            GlsComment    *comment);
gboolean    gls_comment_row_get_own        (GlsCommentRow *self);
void        gls_comment_row_set_own        (GlsCommentRow *self,
                                            gboolean       own);
gboolean    gls_comment_row_get_editing    (GlsCommentRow *self);
/* `text` NULL starts from the comment's shown text. */
void        gls_comment_row_start_editing  (GlsCommentRow *self,
                                            const char    *text);
void        gls_comment_row_stop_editing   (GlsCommentRow *self);
/* The text in the edit box (owned), or NULL when not editing. */
char       *gls_comment_row_dup_edit_text  (GlsCommentRow *self);
/* While a write is under way the edit box and actions are insensitive. */
void        gls_comment_row_set_busy       (GlsCommentRow *self,
                                            gboolean       busy);
/* Re-reads the clock for the "5 minutes ago" label. */
void        gls_comment_row_update_time    (GlsCommentRow *self);

G_END_DECLS
