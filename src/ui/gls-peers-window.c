/* gls-peers-window.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-peers-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-link-check.h"
#include "gls-peer-row.h"
#include "gls-peers-window.h"
#include "gls-ui.h"

struct _GlsPeersWindow
{
  AdwPreferencesWindow  parent_instance;

  GlsPeerList          *peer_list;
  char                 *error;
  GCancellable         *checking;     /* while the peer is asked */

  /* Template widgets */
  AdwPreferencesGroup  *add_group;
  AdwEntryRow          *link_row;
  GtkButton            *add_button;
  GtkLabel             *error_label;
  GtkSpinner           *checking_spinner;
  GtkListBox           *peers_list;
};

G_DEFINE_FINAL_TYPE (GlsPeersWindow, gls_peers_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_PEER_LIST,
  PROP_ERROR,
  PROP_CHECKING,
  N_PROPS
};

enum {
  ADD_LINK_ELSEWHERE,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

GtkWidget *
gls_peers_window_new (GlsPeerList *peer_list)
{
  g_return_val_if_fail (GLS_IS_PEER_LIST (peer_list), NULL);

  return g_object_new (GLS_TYPE_PEERS_WINDOW, "peer-list", peer_list, NULL);
}

GlsPeerList *
gls_peers_window_get_peer_list (GlsPeersWindow *self)
{
  g_return_val_if_fail (GLS_IS_PEERS_WINDOW (self), NULL);

  return self->peer_list;
}

const char *
gls_peers_window_get_error (GlsPeersWindow *self)
{
  g_return_val_if_fail (GLS_IS_PEERS_WINDOW (self), NULL);

  return self->error;
}

static void
set_error (GlsPeersWindow *self,
           const char     *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;

  g_free (self->error);
  self->error = g_strdup (error);

  gtk_label_set_label (self->error_label, error ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ERROR]);
}

gboolean
gls_peers_window_get_checking (GlsPeersWindow *self)
{
  g_return_val_if_fail (GLS_IS_PEERS_WINDOW (self), FALSE);

  return self->checking != NULL;
}

static void
set_checking (GlsPeersWindow *self,
              GCancellable   *checking)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->link_row));

  if (self->checking != NULL)
    g_cancellable_cancel (self->checking);
  g_set_object (&self->checking, checking);
  gtk_widget_set_visible (GTK_WIDGET (self->checking_spinner), checking != NULL);
  gtk_spinner_set_spinning (self->checking_spinner, checking != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "peers.add", checking == NULL && text[0] != '\0');
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CHECKING]);
}

typedef struct
{
  GlsPeersWindow *self;
  GCancellable   *cancellable;
  char           *link;
} Check;

static void
check_free (Check *check)
{
  g_object_unref (check->self);
  g_object_unref (check->cancellable);
  g_free (check->link);
  g_free (check);
}

/* The peer answered: only a link it takes is kept. */
static void
link_checked_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Check *check = user_data;
  GlsPeersWindow *self = check->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GlsPeer *peer;

  if (!gls_peer_link_check_finish (result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      check_free (check);
      return;
    }
  if (self->checking != check->cancellable || self->peer_list == NULL)
    {
      check_free (check);
      return;
    }
  g_clear_object (&self->checking);
  set_checking (self, NULL);

  if (error != NULL)
    {
      set_error (self, error->message);
      check_free (check);
      return;
    }

  peer = gls_peer_list_add (self->peer_list, check->link, &error);
  if (peer == NULL)
    {
      set_error (self, error->message);
      check_free (check);
      return;
    }

  set_error (self, NULL);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->link_row)), check->link) == 0)
    gtk_editable_set_text (GTK_EDITABLE (self->link_row), "");
  /* Translators: %s is a peer, "192.168.1.20:5985/board" */
  message = g_strdup_printf (_("Syncing with %s"), gls_peer_get_label (peer));
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
  check_free (check);
}

gboolean
gls_peers_window_add_link (GlsPeersWindow *self,
                           const char     *link)
{
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  GlsWorkspace *workspace;
  Check *check;

  g_return_val_if_fail (GLS_IS_PEERS_WINDOW (self), FALSE);
  g_return_val_if_fail (link != NULL, FALSE);

  text = g_strstrip (g_strdup (link));
  if (text[0] == '\0')
    {
      set_error (self, _("Paste the link a peer shared with you first."));
      return FALSE;
    }

  /* The message says what is wrong with the link, and what one looks like. */
  name = gls_peer_link_dup_workspace_name (text, &error);
  if (name == NULL)
    {
      set_error (self, error->message);
      return FALSE;
    }

  workspace = gls_peer_list_get_workspace (self->peer_list);
  if (g_strcmp0 (name, gls_workspace_get_name (workspace)) != 0)
    {
      gboolean handled = FALSE;

      g_signal_emit (self, signals [ADD_LINK_ELSEWHERE], 0, text, name, &handled);
      if (!handled)
        {
          message = g_strdup_printf (_("This link is for the workspace “%s”, not “%s”."),
                                     gls_ui_workspace_title (name),
                                     gls_ui_workspace_title (gls_workspace_get_name (workspace)));
          set_error (self, message);
          return FALSE;
        }

      set_error (self, NULL);
      gtk_editable_set_text (GTK_EDITABLE (self->link_row), "");
      /* Translators: %s is a workspace name */
      message = g_strdup_printf (_("“%s” syncs in a window of its own"), name);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
      return TRUE;
    }

  /* Asked first: a link the peer refuses is not kept (the reason shows
   * under the entry), and neither is one to nobody. */
  set_error (self, NULL);
  cancellable = g_cancellable_new ();
  set_checking (self, cancellable);
  check = g_new0 (Check, 1);
  check->self = g_object_ref (self);
  check->cancellable = g_object_ref (cancellable);
  check->link = g_steal_pointer (&text);
  /* Asked as this person, as a sync asks: the peer lists us by name
   * from the first request. */
  gls_peer_link_check_async (check->link, gls_workspace_get_did (workspace),
                             gls_workspace_get_display_name (workspace),
                             cancellable, link_checked_cb, check);

  return TRUE;
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  GlsPeersWindow *self = GLS_PEERS_WINDOW (widget);

  gls_peers_window_add_link (self, gtk_editable_get_text (GTK_EDITABLE (self->link_row)));
}

static void
link_row_activated_cb (GlsPeersWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "peers.add", NULL);
}

static void
link_row_changed_cb (GlsPeersWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->link_row));

  set_error (self, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "peers.add", self->checking == NULL && text[0] != '\0');
}

static void
remove_requested_cb (GlsPeersWindow *self,
                     GlsPeerRow     *row)
{
  g_autoptr(GlsPeer) peer = g_object_ref (gls_peer_row_get_peer (row));
  g_autofree char *message = NULL;

  gls_peer_list_remove (self->peer_list, peer);
  /* Translators: %s is a peer, "192.168.1.20:5985/board" */
  message = g_strdup_printf (_("Stopped syncing with %s"), gls_peer_get_label (peer));
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  GlsPeersWindow *self = user_data;
  GtkWidget *row = gls_peer_row_new (item);

  g_signal_connect_object (row, "remove-requested",
                           G_CALLBACK (remove_requested_cb), self, G_CONNECT_SWAPPED);

  return row;
}

static void
gls_peers_window_constructed (GObject *object)
{
  GlsPeersWindow *self = GLS_PEERS_WINDOW (object);
  GlsWorkspace *workspace;
  g_autofree char *description = NULL;

  G_OBJECT_CLASS (gls_peers_window_parent_class)->constructed (object);

  g_assert (GLS_IS_PEER_LIST (self->peer_list));

  workspace = gls_peer_list_get_workspace (self->peer_list);
  description = g_strdup_printf (_("Paste a link someone shared with you. The designs and comments "
                                   "of “%s” then sync with that peer both ways, for as long as "
                                   "Glossa is open."),
                                 gls_ui_workspace_title (gls_workspace_get_name (workspace)));
  adw_preferences_group_set_description (self->add_group, description);

  gtk_list_box_bind_model (self->peers_list, G_LIST_MODEL (self->peer_list),
                           create_row, self, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "peers.add", FALSE);
}

static void
gls_peers_window_dispose (GObject *object)
{
  GlsPeersWindow *self = GLS_PEERS_WINDOW (object);

  if (self->peers_list != NULL)
    gtk_list_box_bind_model (self->peers_list, NULL, NULL, NULL, NULL);

  if (self->checking != NULL)
    g_cancellable_cancel (self->checking);
  g_clear_object (&self->checking);

  gtk_widget_dispose_template (GTK_WIDGET (self), GLS_TYPE_PEERS_WINDOW);

  g_clear_object (&self->peer_list);

  G_OBJECT_CLASS (gls_peers_window_parent_class)->dispose (object);
}

static void
gls_peers_window_finalize (GObject *object)
{
  GlsPeersWindow *self = GLS_PEERS_WINDOW (object);

  g_free (self->error);

  G_OBJECT_CLASS (gls_peers_window_parent_class)->finalize (object);
}

static void
gls_peers_window_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  GlsPeersWindow *self = GLS_PEERS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PEER_LIST:
      g_value_set_object (value, self->peer_list);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    case PROP_CHECKING:
      g_value_set_boolean (value, self->checking != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_peers_window_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  GlsPeersWindow *self = GLS_PEERS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PEER_LIST:
      self->peer_list = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_peers_window_class_init (GlsPeersWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = gls_peers_window_constructed;
  object_class->dispose = gls_peers_window_dispose;
  object_class->finalize = gls_peers_window_finalize;
  object_class->get_property = gls_peers_window_get_property;
  object_class->set_property = gls_peers_window_set_property;

  properties [PROP_PEER_LIST] =
    g_param_spec_object ("peer-list", NULL, NULL,
                         GLS_TYPE_PEER_LIST,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_CHECKING] =
    g_param_spec_boolean ("checking", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals [ADD_LINK_ELSEWHERE] =
    g_signal_new ("add-link-elsewhere",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/gls-peers-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GlsPeersWindow, add_group);
  gtk_widget_class_bind_template_child (widget_class, GlsPeersWindow, link_row);
  gtk_widget_class_bind_template_child (widget_class, GlsPeersWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, GlsPeersWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, GlsPeersWindow, checking_spinner);
  gtk_widget_class_bind_template_child (widget_class, GlsPeersWindow, peers_list);
  gtk_widget_class_bind_template_callback (widget_class, link_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, link_row_changed_cb);

  gtk_widget_class_install_action (widget_class, "peers.add", NULL, add_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
gls_peers_window_init (GlsPeersWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
