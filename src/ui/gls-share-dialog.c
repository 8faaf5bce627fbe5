/* gls-share-dialog.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-share-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-peer-client.h"
#include "gls-share-dialog.h"
#include "gls-ui.h"

struct _GlsShareDialog
{
  AdwPreferencesWindow  parent_instance;

  GlsShare             *share;
  GlsWorkspace         *workspace;
  char                 *link;
  char                 *read_only_link;
  gboolean              updating;
  GtkFilterListModel   *clients;      /* the share's, on this workspace */

  /* Template widgets */
  AdwPreferencesGroup  *share_group;
  AdwActionRow         *share_row;
  GtkSwitch            *share_switch;
  AdwPreferencesRow    *link_row;
  GtkLabel             *link_label;
  GtkButton            *copy_button;
  AdwPreferencesRow    *read_only_row;
  GtkLabel             *read_only_label;
  AdwPreferencesGroup  *clients_group;
  GtkListBox           *clients_list;
  AdwActionRow         *lan_row;
  GtkSwitch            *lan_switch;
  AdwPreferencesGroup  *advanced_group;
  AdwActionRow         *plain_http_row;
  GtkSwitch            *plain_http_switch;
  AdwPreferencesRow    *certificate_row;
  GtkLabel             *certificate_label;
};

G_DEFINE_FINAL_TYPE (GlsShareDialog, gls_share_dialog, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SHARE,
  PROP_WORKSPACE,
  PROP_LINK,
  PROP_READ_ONLY_LINK,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

GtkWidget *
gls_share_dialog_new (GlsShare     *share,
                      GlsWorkspace *workspace)
{
  g_return_val_if_fail (GLS_IS_SHARE (share), NULL);
  g_return_val_if_fail (GLS_IS_WORKSPACE (workspace), NULL);

  return g_object_new (GLS_TYPE_SHARE_DIALOG,
                       "share", share,
                       "workspace", workspace,
                       NULL);
}

const char *
gls_share_dialog_get_link (GlsShareDialog *self)
{
  g_return_val_if_fail (GLS_IS_SHARE_DIALOG (self), NULL);

  return self->link;
}

const char *
gls_share_dialog_get_read_only_link (GlsShareDialog *self)
{
  g_return_val_if_fail (GLS_IS_SHARE_DIALOG (self), NULL);

  return self->read_only_link;
}

GListModel *
gls_share_dialog_get_clients (GlsShareDialog *self)
{
  g_return_val_if_fail (GLS_IS_SHARE_DIALOG (self), NULL);

  return G_LIST_MODEL (self->clients);
}

static void
update (GlsShareDialog *self)
{
  const char *name = gls_workspace_get_name (self->workspace);
  gboolean sharing = gls_share_is_sharing (self->share, name);
  g_autofree char *link = sharing ? gls_share_dup_link (self->share, name) : NULL;
  g_autofree char *read_only_link = sharing ? gls_share_dup_read_only_link (self->share, name) : NULL;
  g_autofree char *subtitle = NULL;
  const char *pin;

  self->updating = TRUE;

  gtk_switch_set_active (self->share_switch, sharing);
  gtk_switch_set_active (self->lan_switch, gls_share_get_lan (self->share));

  if (sharing)
    /* Translators: %u is a TCP port number */
    subtitle = g_strdup_printf (_("Shared on port %u"), gls_share_get_port (self->share));
  adw_action_row_set_subtitle (self->share_row, subtitle ? subtitle : _("Not shared"));

  gtk_widget_set_visible (GTK_WIDGET (self->link_row), link != NULL);
  gtk_label_set_label (self->link_label, link ? link : "");
  gtk_widget_set_visible (GTK_WIDGET (self->read_only_row), read_only_link != NULL);
  gtk_label_set_label (self->read_only_label, read_only_link ? read_only_link : "");
  gtk_widget_set_visible (GTK_WIDGET (self->clients_group), sharing);

  /* The fingerprint the link pins, for reading it out to a peer. */
  pin = sharing ? gls_share_get_pin (self->share) : NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->certificate_row), pin != NULL);
  gtk_label_set_label (self->certificate_label, pin ? pin : "");

  self->updating = FALSE;

  if (g_strcmp0 (link, self->link) != 0)
    {
      g_free (self->link);
      self->link = g_steal_pointer (&link);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LINK]);
    }
  if (g_strcmp0 (read_only_link, self->read_only_link) != 0)
    {
      g_free (self->read_only_link);
      self->read_only_link = g_steal_pointer (&read_only_link);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_READ_ONLY_LINK]);
    }
}

static void
share_switch_active_cb (GlsShareDialog *self)
{
  const char *name = gls_workspace_get_name (self->workspace);
  g_autoptr(GError) error = NULL;

  if (self->updating)
    return;

  if (gtk_switch_get_active (self->share_switch))
    {
      if (!gls_share_is_sharing (self->share, name) &&
          !gls_share_start (self->share, self->workspace, &error))
        {
          g_autofree char *message = NULL;

          /* Translators: %s is the reason */
          message = g_strdup_printf (_("Could not share the workspace: %s"), error->message);
          adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
        }
    }
  else
    {
      gls_share_stop (self->share, name);
    }

  /* Also when nothing changed (the start failed): the switch shows the truth. */
  update (self);
}

static void
lan_switch_active_cb (GlsShareDialog *self)
{
  if (self->updating)
    return;

  gls_share_set_lan (self->share, gtk_switch_get_active (self->lan_switch));
  update (self);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  GlsShareDialog *self = GLS_SHARE_DIALOG (widget);
  gboolean read_only = g_str_equal (action_name, "share.copy-read-only-link");
  const char *link = read_only ? self->read_only_link : self->link;

  if (link == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), link);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (read_only ? _("Read-only link copied")
                                                             : _("Link copied")));
}

/* Who is connected */

static gboolean
client_on_workspace (gpointer item,
                     gpointer user_data)
{
  GlsShareDialog *self = user_data;

  return self->workspace != NULL &&
         g_strcmp0 (gls_peer_client_get_database (item), gls_workspace_get_name (self->workspace)) == 0;
}

static GtkWidget *
create_client_row (gpointer item,
                   gpointer user_data)
{
  GlsPeerClient *client = item;
  g_autofree char *title = gls_peer_client_dup_title (client);
  g_autofree char *subtitle = NULL;
  const char *access = gls_peer_client_get_read_only (client) ? _("Read only") : _("Can comment");
  GtkWidget *row = adw_action_row_new ();

  /* A name here is only what the program says of itself (see
   * gls-peer-client.h): markup off, so it is shown as it is. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (gls_peer_client_get_did (client) != NULL)
    /* Translators: an address and what the link lets the program do, "192.168.1.20 · Can comment" */
    subtitle = g_strdup_printf (_("%s · %s"), gls_peer_client_get_address (client), access);
  else
    subtitle = g_strdup (access);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name (gls_peer_client_get_did (client) != NULL
                                                           ? "avatar-default-symbolic"
                                                           : "network-server-symbolic"));
  gtk_widget_set_tooltip_text (row, gls_peer_client_get_did (client) != NULL
                                    ? gls_peer_client_get_did (client)
                                    : gls_peer_client_get_user_agent (client));
  return row;
}

static void
gls_share_dialog_constructed (GObject *object)
{
  GlsShareDialog *self = GLS_SHARE_DIALOG (object);
  g_autofree char *title = NULL;

  G_OBJECT_CLASS (gls_share_dialog_parent_class)->constructed (object);

  g_assert (GLS_IS_SHARE (self->share));
  g_assert (GLS_IS_WORKSPACE (self->workspace));

  /* Translators: %s is a workspace name */
  title = g_strdup_printf (_("Share “%s”"), gls_ui_workspace_title (gls_workspace_get_name (self->workspace)));
  adw_preferences_group_set_title (self->share_group, title);

  g_object_bind_property (self->share, "plain-http", self->plain_http_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->share, "changed", G_CALLBACK (update), self, G_CONNECT_SWAPPED);

  self->clients = gtk_filter_list_model_new (g_object_ref (gls_share_get_clients (self->share)),
                                             GTK_FILTER (gtk_custom_filter_new (client_on_workspace,
                                                                                self, NULL)));
  gtk_list_box_bind_model (self->clients_list, G_LIST_MODEL (self->clients),
                           create_client_row, self, NULL);
  update (self);
}

static void
gls_share_dialog_dispose (GObject *object)
{
  GlsShareDialog *self = GLS_SHARE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), GLS_TYPE_SHARE_DIALOG);
  g_clear_object (&self->clients);

  g_clear_object (&self->share);
  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (gls_share_dialog_parent_class)->dispose (object);
}

static void
gls_share_dialog_finalize (GObject *object)
{
  GlsShareDialog *self = GLS_SHARE_DIALOG (object);

  g_free (self->link);
  g_free (self->read_only_link);

  G_OBJECT_CLASS (gls_share_dialog_parent_class)->finalize (object);
}

static void
gls_share_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  GlsShareDialog *self = GLS_SHARE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SHARE:
      g_value_set_object (value, self->share);
      break;

    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;

    case PROP_LINK:
      g_value_set_string (value, self->link);
      break;

    case PROP_READ_ONLY_LINK:
      g_value_set_string (value, self->read_only_link);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_share_dialog_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  GlsShareDialog *self = GLS_SHARE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SHARE:
      self->share = g_value_dup_object (value);
      break;

    case PROP_WORKSPACE:
      self->workspace = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_share_dialog_class_init (GlsShareDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = gls_share_dialog_constructed;
  object_class->dispose = gls_share_dialog_dispose;
  object_class->finalize = gls_share_dialog_finalize;
  object_class->get_property = gls_share_dialog_get_property;
  object_class->set_property = gls_share_dialog_set_property;

  properties [PROP_SHARE] =
    g_param_spec_object ("share", NULL, NULL,
                         GLS_TYPE_SHARE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL,
                         GLS_TYPE_WORKSPACE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_LINK] =
    g_param_spec_string ("link", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_READ_ONLY_LINK] =
    g_param_spec_string ("read-only-link", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/gls-share-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, GlsShareDialog, share_group);
  gtk_widget_class_bind_template_child (widget_class, GlsShareDialog, share_row);
  gtk_widget_class_bind_template_child (widget_class, GlsShareDialog, share_switch);
  gtk_widget_class_bind_template_child (widget_class, GlsShareDialog, link_row);
  gtk_widget_class_bind_template_child (widget_class, GlsShareDialog, link_label);
  gtk_widget_class_bind_template_child (widget_class, GlsShareDialog, copy_button);
  gtk_widget_class_bind_template_child (widget_class, GlsShareDialog, read_only_row);
  gtk_widget_class_bind_template_child (widget_class, GlsShareDialog, read_only_label);
  gtk_widget_class_bind_template_child (widget_class, GlsShareDialog, clients_group);
  gtk_widget_class_bind_template_child (widget_class, GlsShareDialog, clients_list);
  gtk_widget_class_bind_template_child (widget_class, GlsShareDialog, lan_row);
  gtk_widget_class_bind_template_child (widget_class, GlsShareDialog, lan_switch);
  gtk_widget_class_bind_template_child (widget_class, GlsShareDialog, advanced_group);
  gtk_widget_class_bind_template_child (widget_class, GlsShareDialog, plain_http_row);
  gtk_widget_class_bind_template_child (widget_class, GlsShareDialog, plain_http_switch);
  gtk_widget_class_bind_template_child (widget_class, GlsShareDialog, certificate_row);
  gtk_widget_class_bind_template_child (widget_class, GlsShareDialog, certificate_label);
  gtk_widget_class_bind_template_callback (widget_class, share_switch_active_cb);
  gtk_widget_class_bind_template_callback (widget_class, lan_switch_active_cb);

  gtk_widget_class_install_action (widget_class, "share.copy-link", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "share.copy-read-only-link", NULL, copy_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
gls_share_dialog_init (GlsShareDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
