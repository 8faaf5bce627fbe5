/* gls-window-sync.c: the window's Share dialog, Peers window and the
 * Peers button that shows how syncing goes.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-peers-window.h"
#include "gls-share-dialog.h"
#include "gls-window-private.h"

/* The Peers button: the state of the worst peer. */

static void
update_peers_button (GlsWindow *self)
{
  GListModel *peers = G_LIST_MODEL (self->peer_list);
  guint n = g_list_model_get_n_items (peers);
  gboolean error = FALSE, offline = FALSE, busy = FALSE;
  const char *icon = "network-workgroup-symbolic";
  const char *tooltip;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsPeer) peer = g_list_model_get_item (peers, i);

      switch (gls_peer_get_state (peer))
        {
        case GLS_PEER_STATE_ERROR:
          error = TRUE;
          break;
        case GLS_PEER_STATE_OFFLINE:
          offline = TRUE;
          break;
        case GLS_PEER_STATE_CONNECTING:
        case GLS_PEER_STATE_SYNCING:
          busy = TRUE;
          break;
        case GLS_PEER_STATE_LIVE:
        default:
          break;
        }
    }

  if (error)
    {
      icon = "network-error-symbolic";
      tooltip = _("Peers: one could not be synced (Ctrl+Shift+P)");
    }
  else if (offline)
    {
      icon = "network-offline-symbolic";
      tooltip = _("Peers: offline, retrying (Ctrl+Shift+P)");
    }
  else if (busy)
    {
      icon = "emblem-synchronizing-symbolic";
      tooltip = _("Peers: syncing (Ctrl+Shift+P)");
    }
  else if (n > 0)
    tooltip = _("Peers: up to date (Ctrl+Shift+P)");
  else
    tooltip = _("Peers (Ctrl+Shift+P)");

  gtk_button_set_icon_name (self->peers_button, icon);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->peers_button), tooltip);
}

static void
unwatch_peers (GlsWindow *self)
{
  for (guint i = 0; self->watched_peers != NULL && i < self->watched_peers->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->watched_peers, i),
                                          update_peers_button, self);
  if (self->watched_peers != NULL)
    g_ptr_array_set_size (self->watched_peers, 0);
}

static void
peers_changed_cb (GlsWindow *self)
{
  GListModel *peers = G_LIST_MODEL (self->peer_list);
  guint n = g_list_model_get_n_items (peers);

  unwatch_peers (self);
  for (guint i = 0; i < n; i++)
    {
      GlsPeer *peer = g_list_model_get_item (peers, i);

      g_signal_connect_swapped (peer, "notify::state", G_CALLBACK (update_peers_button), self);
      g_ptr_array_add (self->watched_peers, peer);
    }

  update_peers_button (self);
}

/* Dialogs */

GtkWindow *
_gls_window_show_share_dialog (GlsWindow *self)
{
  if (self->share == NULL)
    return NULL;

  if (self->share_dialog == NULL)
    {
      self->share_dialog = GTK_WINDOW (gls_share_dialog_new (self->share, self->workspace));
      g_object_add_weak_pointer (G_OBJECT (self->share_dialog), (gpointer *) &self->share_dialog);
      gtk_window_set_transient_for (self->share_dialog, GTK_WINDOW (self));
      gtk_window_set_destroy_with_parent (self->share_dialog, TRUE);
    }

  gtk_window_present (self->share_dialog);

  return self->share_dialog;
}

/* A link of another workspace: the application opens that one. */
static gboolean
add_link_elsewhere_cb (GlsWindow      *self,
                       const char     *link,
                       const char     *workspace_name,
                       GlsPeersWindow *peers_window)
{
  return gtk_widget_activate_action (GTK_WIDGET (self), "app.add-peer", "s", link);
}

GtkWindow *
_gls_window_show_peers_window (GlsWindow *self)
{
  if (self->peer_list == NULL)
    return NULL;

  if (self->peers_window == NULL)
    {
      self->peers_window = GTK_WINDOW (gls_peers_window_new (self->peer_list));
      g_object_add_weak_pointer (G_OBJECT (self->peers_window), (gpointer *) &self->peers_window);
      gtk_window_set_transient_for (self->peers_window, GTK_WINDOW (self));
      gtk_window_set_destroy_with_parent (self->peers_window, TRUE);
      g_signal_connect_object (self->peers_window, "add-link-elsewhere",
                               G_CALLBACK (add_link_elsewhere_cb), self, G_CONNECT_SWAPPED);
    }

  gtk_window_present (self->peers_window);

  return self->peers_window;
}

static void
share_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  _gls_window_show_share_dialog (GLS_WINDOW (widget));
}

static void
peers_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  _gls_window_show_peers_window (GLS_WINDOW (widget));
}

void
_gls_window_class_init_sync (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.share", NULL, share_action);
  gtk_widget_class_install_action (widget_class, "win.peers", NULL, peers_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.share", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_S, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.share", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.peers", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_P, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.peers", NULL);
}

void
_gls_window_init_sync (GlsWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.share", self->share != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.peers", self->peer_list != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->peers_button), self->peer_list != NULL);

  if (self->peer_list == NULL)
    return;

  self->watched_peers = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect_object (self->peer_list, "items-changed",
                           G_CALLBACK (peers_changed_cb), self, G_CONNECT_SWAPPED);
  peers_changed_cb (self);
}

static void
drop_window (GtkWindow **window)
{
  GtkWindow *w = *window;

  if (w == NULL)
    return;

  g_object_remove_weak_pointer (G_OBJECT (w), (gpointer *) window);
  *window = NULL;
  gtk_window_destroy (w);
}

void
_gls_window_dispose_sync (GlsWindow *self)
{
  unwatch_peers (self);
  g_clear_pointer (&self->watched_peers, g_ptr_array_unref);

  drop_window (&self->share_dialog);
  drop_window (&self->peers_window);
}
