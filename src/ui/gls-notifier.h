/* gls-notifier.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gls-workspace.h"

G_BEGIN_DECLS

#define GLS_TYPE_NOTIFIER (gls_notifier_get_type ())

G_DECLARE_FINAL_TYPE (GlsNotifier, gls_notifier, GLS, NOTIFIER, GObject)

/*
 * Desktop notifications for a window's workspace: when a peer's reply to a
 * thread I am in, or a comment that mentions me, arrives while the window
 * is not the one in front, a GNotification (one per thread, replaced by
 * the next) whose default action, app.show-thread (workspace, design,
 * thread), opens that thread. Only signed words notify: an unsigned one
 * could name anybody.
 */

typedef void (*GlsNotifierSendFunc) (const char    *id,
                                     GNotification *notification,
                                     gpointer       user_data);

GlsNotifier *gls_notifier_new           (GlsWorkspace       *workspace,
                                         GtkWindow          *window);
/* Where notifications go: by default the window's application. */
void         gls_notifier_set_send_func (GlsNotifier        *self,
                                         GlsNotifierSendFunc func,
                                         gpointer            user_data);
/* What GlsWorkspace::activity hands it. */
void         gls_notifier_consider      (GlsNotifier        *self,
                                         GPtrArray          *annotations);

G_END_DECLS
