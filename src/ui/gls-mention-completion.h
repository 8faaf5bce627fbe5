/* gls-mention-completion.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gls-workspace.h"

G_BEGIN_DECLS

#define GLS_TYPE_MENTION_COMPLETION (gls_mention_completion_get_type ())

G_DECLARE_FINAL_TYPE (GlsMentionCompletion, gls_mention_completion, GLS, MENTION_COMPLETION, GObject)

/*
 * Typing @ in a comment offers the people the workspace knows (their
 * profile names) in a popover under the cursor: Up and Down choose, Enter
 * or Tab writes "@Name ", Escape and typing on close it. The workspace
 * turns "@Name" into a mention when the comment is written.
 */

/* Attaches to @view for as long as it lives. */
GlsMentionCompletion *gls_mention_completion_attach (GtkTextView  *view,
                                                     GlsWorkspace *workspace);
GlsMentionCompletion *gls_mention_completion_get    (GtkTextView  *view);

/* For tests: whether the list shows, what it offers, and taking one. */
gboolean              gls_mention_completion_is_shown   (GlsMentionCompletion *self);
char                **gls_mention_completion_dup_names  (GlsMentionCompletion *self);
void                  gls_mention_completion_choose     (GlsMentionCompletion *self,
                                                         guint                 index);

G_END_DECLS
