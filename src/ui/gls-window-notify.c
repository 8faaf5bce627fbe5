/* gls-window-notify.c: notifications of what peers write, and opening
 * the thread one names
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-threads-panel.h"
#include "gls-window-private.h"

void
_gls_window_init_notify (GlsWindow *self)
{
  self->notifier = gls_notifier_new (self->workspace, GTK_WINDOW (self));
}

static void
forget_pending_thread (GlsWindow *self)
{
  if (self->pending_thread_handler != 0)
    g_signal_handler_disconnect (self->pending_model, self->pending_thread_handler);
  self->pending_thread_handler = 0;
  g_clear_object (&self->pending_model);
  g_clear_pointer (&self->pending_thread, g_free);
}

void
_gls_window_dispose_notify (GlsWindow *self)
{
  forget_pending_thread (self);
  g_clear_object (&self->notifier);
}

GlsNotifier *
_gls_window_get_notifier (GlsWindow *self)
{
  return self->notifier;
}

static gboolean
open_thread_if_there (GlsWindow *self)
{
  g_autoptr(GlsThread) thread = NULL;

  /* Another design was chosen meanwhile. */
  if (self->pending_thread == NULL || self->threads == NULL ||
      (self->pending_model != NULL && self->pending_model != self->threads))
    return FALSE;
  for (guint i = 0, n = g_list_model_get_n_items (self->threads); i < n && thread == NULL; i++)
    {
      g_autoptr(GlsThread) candidate = g_list_model_get_item (self->threads, i);

      if (g_strcmp0 (gls_thread_get_root_id (candidate), self->pending_thread) == 0)
        thread = g_steal_pointer (&candidate);
    }
  if (thread == NULL)
    return FALSE;

  /* The filters may hide it: the person asked for this very thread. */
  if (self->threads_panel != NULL && gls_thread_get_resolved (thread))
    gls_threads_panel_set_filter (GLS_THREADS_PANEL (self->threads_panel), "all");
  _gls_window_select_thread (self, self->pending_thread, TRUE);
  return TRUE;
}

static void
pending_threads_changed_cb (GlsWindow *self)
{
  if (open_thread_if_there (self) || self->pending_model != self->threads)
    forget_pending_thread (self);
}

void
gls_window_show_thread (GlsWindow  *self,
                        const char *design_id,
                        const char *root_id)
{
  g_autoptr(GlsDesign) design = NULL;

  g_return_if_fail (GLS_IS_WINDOW (self));
  g_return_if_fail (design_id != NULL && root_id != NULL);

  /* From the designs model: no store read on the main thread. */
  if (!(design = _gls_window_find_design (self, design_id)))
    {
      gls_window_add_toast_message (self, _("That design is no longer in this workspace"));
      return;
    }
  forget_pending_thread (self);
  gls_window_show_design (self, design);

  /* A design just shown reads its threads in a worker: the thread opens
   * when they are there. */
  self->pending_thread = g_strdup (root_id);
  if (open_thread_if_there (self))
    forget_pending_thread (self);
  else if (self->threads != NULL)
    {
      self->pending_model = g_object_ref (self->threads);
      self->pending_thread_handler = g_signal_connect_object (self->threads, "items-changed",
                                                              G_CALLBACK (pending_threads_changed_cb), self,
                                                              G_CONNECT_SWAPPED);
    }
}
