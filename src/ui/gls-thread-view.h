/* gls-thread-view.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gls-thread-row.h"
#include "gls-workspace.h"

G_BEGIN_DECLS

#define GLS_TYPE_THREAD_VIEW (gls_thread_view_get_type ())

G_DECLARE_FINAL_TYPE (GlsThreadView, gls_thread_view, GLS, THREAD_VIEW, GtkWidget)

/*
 * One thread: its comments (GlsCommentRow each), a Resolve / Reopen
 * button, and a reply box; for a suggestion, the passage struck through
 * and the new words, its decision, and Accept / Decline while it is
 * undecided (Reopen takes a decision back). Writes go through the
 * workspace's _async calls; failures are shown as toasts. Setting a newer
 * GlsThread with the same root id keeps the reply draft and any comment
 * being edited.
 *
 * Actions: thread.send-reply (Ctrl+Enter in the reply box),
 * thread.toggle-resolved, thread.accept, thread.decline.
 */

GtkWidget    *gls_thread_view_new            (GlsWorkspace  *workspace);
GlsWorkspace *gls_thread_view_get_workspace  (GlsThreadView *self);
GlsThread    *gls_thread_view_get_thread     (GlsThreadView *self);
void          gls_thread_view_set_thread     (GlsThreadView *self,
                                              GlsThread     *thread);
/* What the window knows of the thread (see GlsThreadNote): the version it
 * was made on, where its passage is now, why it was not applied. Copied;
 * cleared when another thread is set. */
void          gls_thread_view_set_note       (GlsThreadView       *self,
                                              const GlsThreadNote *note);
const GlsThreadNote *gls_thread_view_get_note (GlsThreadView      *self);
void          gls_thread_view_focus_reply    (GlsThreadView *self);
/* The reply box's buffer, so a caller (or a test) can fill it. */
GtkTextBuffer *gls_thread_view_get_reply_buffer (GlsThreadView *self);
/* The row of comment `id`, or NULL. */
GtkWidget    *gls_thread_view_get_comment_row (GlsThreadView *self,
                                               const char    *id);
guint         gls_thread_view_get_n_comments (GlsThreadView *self);
/* Opens the thread's history (who started, replied, edited, resolved,
 * reopened or decided it, and when); its rows, for tests. */
void          gls_thread_view_show_history   (GlsThreadView *self);
GtkListBox   *gls_thread_view_get_history_list (GlsThreadView *self);
void          gls_thread_view_show_error     (GlsThreadView *self,
                                              const char    *message);

G_END_DECLS
