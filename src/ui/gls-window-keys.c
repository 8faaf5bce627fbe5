/* gls-window-keys.c: a thread's keys from outside it. With a thread
 * open, Ctrl+R (resolve or reopen), Ctrl+E (edit my comment) and
 * Ctrl+Delete (delete it) work from the canvas too, as in the thread.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-window"

#include "config.h"

#include "gls-threads-panel.h"
#include "gls-window-private.h"

static gboolean
thread_key_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  GlsWindow *self = GLS_WINDOW (widget);
  GtkWidget *panel = _gls_window_get_threads_panel (self);
  const char *action = g_variant_get_string (args, NULL);

  if (panel == NULL || !gls_threads_panel_get_showing_thread (GLS_THREADS_PANEL (panel)))
    return FALSE;

  return gtk_widget_activate_action (gls_threads_panel_get_thread_view (GLS_THREADS_PANEL (panel)),
                                     action, NULL);
}

void
_gls_window_class_init_keys (GtkWidgetClass *widget_class)
{
  gtk_widget_class_add_binding (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, thread_key_cb,
                                "s", "thread.toggle-resolved");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, thread_key_cb,
                                "s", "thread.edit-mine");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Delete, GDK_CONTROL_MASK, thread_key_cb,
                                "s", "thread.delete-mine");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Delete, GDK_CONTROL_MASK, thread_key_cb,
                                "s", "thread.delete-mine");
}
