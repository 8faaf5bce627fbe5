/* gls-peer-row.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-peer-row"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-peer-row.h"
#include "gls-relative-time.h"

/* "synced 2 minutes ago" goes stale: refresh it now and then. */
#define REFRESH_SECONDS 20

struct _GlsPeerRow
{
  AdwActionRow  parent_instance;

  GlsPeer      *peer;
  char         *status;
  guint         update_idle;
  guint         refresh_timeout;

  /* Template widgets */
  GtkStack     *status_stack;
  GtkSpinner   *spinner;
  GtkImage     *status_icon;
  GtkButton    *retry_button;
  GtkButton    *remove_button;
};

G_DEFINE_FINAL_TYPE (GlsPeerRow, gls_peer_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_PEER,
  PROP_STATUS,
  N_PROPS
};

enum {
  REMOVE_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static char *
describe_state (GlsPeerState  state,
                const char   *error_message,
                gint64        done,
                gint64        pending,
                const char   *when)
{
  switch (state)
    {
    case GLS_PEER_STATE_CONNECTING:
      return g_strdup (_("Connecting…"));

    case GLS_PEER_STATE_SYNCING:
      if (pending > 0)
        {
          g_autofree char *n_done = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (done, 0));
          g_autofree char *n_total = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (done, 0) + pending);

          /* Translators: documents synced so far and in all, "Syncing — 120 of 300" */
          return g_strdup_printf (_("Syncing — %s of %s"), n_done, n_total);
        }
      return g_strdup (_("Syncing…"));

    case GLS_PEER_STATE_LIVE:
      if (when != NULL)
        /* Translators: %s is a relative time such as "2 minutes ago" or "just now" */
        return g_strdup_printf (_("Up to date · synced %s"), when);
      return g_strdup (_("Up to date"));

    case GLS_PEER_STATE_OFFLINE:
      if (when != NULL)
        /* Translators: %s is a relative time such as "2 minutes ago" */
        return g_strdup_printf (_("Offline — retrying · last synced %s"), when);
      return g_strdup (_("Offline — retrying"));

    case GLS_PEER_STATE_ERROR:
    default:
      /* Translators: %s is the reason, e.g. "the peer refused the access key" */
      return g_strdup_printf (_("Error: %s"),
                              error_message != NULL && error_message[0] != '\0'
                                ? error_message : _("the peer could not be synced"));
    }
}

char *
gls_peer_describe_state (GlsPeerState  state,
                         const char   *error_message,
                         gint64        done,
                         gint64        pending,
                         GDateTime    *last_synced,
                         GDateTime    *now)
{
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;

  if (last_synced != NULL)
    when = gls_format_relative_time (last_synced, now);

  text = describe_state (state, error_message, done, pending, when);

  /* A peer that works with a limit (a read-only key) says so below. */
  if (state != GLS_PEER_STATE_ERROR && error_message != NULL && error_message[0] != '\0')
    return g_strconcat (text, "\n", error_message, NULL);

  return g_steal_pointer (&text);
}

GtkWidget *
gls_peer_row_new (GlsPeer *peer)
{
  g_return_val_if_fail (GLS_IS_PEER (peer), NULL);

  return g_object_new (GLS_TYPE_PEER_ROW, "peer", peer, NULL);
}

GlsPeer *
gls_peer_row_get_peer (GlsPeerRow *self)
{
  g_return_val_if_fail (GLS_IS_PEER_ROW (self), NULL);

  return self->peer;
}

const char *
gls_peer_row_get_status (GlsPeerRow *self)
{
  g_return_val_if_fail (GLS_IS_PEER_ROW (self), NULL);

  return self->status;
}

static void
update (GlsPeerRow *self)
{
  GlsPeerState state = gls_peer_get_state (self->peer);
  g_autofree char *status = NULL;
  gboolean busy = state == GLS_PEER_STATE_CONNECTING || state == GLS_PEER_STATE_SYNCING;
  const char *icon = NULL;
  const char *icon_label = NULL;
  const char *icon_class = NULL;
  guint forged;

  status = gls_peer_describe_state (state,
                                    gls_peer_get_error_message (self->peer),
                                    gls_peer_get_docs_read (self->peer),
                                    gls_peer_get_pending (self->peer),
                                    gls_peer_get_last_synced (self->peer),
                                    NULL);
  forged = gls_peer_get_forged (self->peer);
  if (forged > 0)
    {
      /* Translators: after the state, "Up to date · synced 2 minutes ago" */
      g_autofree char *warning = g_strdup_printf (ngettext ("%u document from this peer failed verification",
                                                            "%u documents from this peer failed verification",
                                                            forged), forged);
      char *both = g_strdup_printf ("%s · %s", status, warning);

      g_free (status);
      status = both;
    }

  switch (state)
    {
    case GLS_PEER_STATE_LIVE:
      icon = "emblem-ok-symbolic";
      icon_label = _("Up to date");
      icon_class = "success";
      break;
    case GLS_PEER_STATE_OFFLINE:
      icon = "network-offline-symbolic";
      icon_label = _("Offline");
      icon_class = "dim-label";
      break;
    case GLS_PEER_STATE_ERROR:
      icon = "dialog-error-symbolic";
      icon_label = _("Error");
      icon_class = "error";
      break;
    case GLS_PEER_STATE_CONNECTING:
    case GLS_PEER_STATE_SYNCING:
    default:
      break;
    }

  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_stack_set_visible_child_name (self->status_stack, busy ? "spinner" : "icon");
  if (icon != NULL)
    {
      const char *classes[] = { icon_class, NULL };

      gtk_image_set_from_icon_name (self->status_icon, icon);
      gtk_widget_set_css_classes (GTK_WIDGET (self->status_icon), classes);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, icon_label,
                                      -1);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->retry_button),
                          state == GLS_PEER_STATE_ERROR || state == GLS_PEER_STATE_OFFLINE);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), status);
  if (g_strcmp0 (status, self->status) != 0)
    {
      g_free (self->status);
      self->status = g_steal_pointer (&status);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATUS]);
    }
}

static gboolean
update_idle_cb (gpointer data)
{
  GlsPeerRow *self = data;

  self->update_idle = 0;
  update (self);

  return G_SOURCE_REMOVE;
}

/* Counters change with every batch: one update per main loop turn is enough. */
static void
peer_notify_cb (GlsPeerRow *self)
{
  if (self->update_idle == 0)
    self->update_idle = g_idle_add (update_idle_cb, self);
}

static gboolean
refresh_cb (gpointer data)
{
  update (data);

  return G_SOURCE_CONTINUE;
}

static void
retry_clicked_cb (GlsPeerRow *self)
{
  gls_peer_retry (self->peer);
  update (self);
}

static void
remove_clicked_cb (GlsPeerRow *self)
{
  g_signal_emit (self, signals [REMOVE_REQUESTED], 0);
}

static void
gls_peer_row_constructed (GObject *object)
{
  GlsPeerRow *self = GLS_PEER_ROW (object);
  g_autofree char *remove_label = NULL;

  G_OBJECT_CLASS (gls_peer_row_parent_class)->constructed (object);

  g_assert (GLS_IS_PEER (self->peer));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), gls_peer_get_label (self->peer));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), gls_peer_get_url (self->peer));

  /* Translators: accessible name of the Remove button of one peer */
  remove_label = g_strdup_printf (_("Remove %s"), gls_peer_get_label (self->peer));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label,
                                  -1);

  g_signal_connect_object (self->peer, "notify", G_CALLBACK (peer_notify_cb), self,
                           G_CONNECT_SWAPPED);
  self->refresh_timeout = g_timeout_add_seconds (REFRESH_SECONDS, refresh_cb, self);
  update (self);
}

static void
gls_peer_row_dispose (GObject *object)
{
  GlsPeerRow *self = GLS_PEER_ROW (object);

  g_clear_handle_id (&self->update_idle, g_source_remove);
  g_clear_handle_id (&self->refresh_timeout, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), GLS_TYPE_PEER_ROW);

  g_clear_object (&self->peer);

  G_OBJECT_CLASS (gls_peer_row_parent_class)->dispose (object);
}

static void
gls_peer_row_finalize (GObject *object)
{
  GlsPeerRow *self = GLS_PEER_ROW (object);

  g_free (self->status);

  G_OBJECT_CLASS (gls_peer_row_parent_class)->finalize (object);
}

static void
gls_peer_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  GlsPeerRow *self = GLS_PEER_ROW (object);

  switch (prop_id)
    {
    case PROP_PEER:
      g_value_set_object (value, self->peer);
      break;

    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_peer_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  GlsPeerRow *self = GLS_PEER_ROW (object);

  switch (prop_id)
    {
    case PROP_PEER:
      self->peer = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_peer_row_class_init (GlsPeerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = gls_peer_row_constructed;
  object_class->dispose = gls_peer_row_dispose;
  object_class->finalize = gls_peer_row_finalize;
  object_class->get_property = gls_peer_row_get_property;
  object_class->set_property = gls_peer_row_set_property;

  properties [PROP_PEER] =
    g_param_spec_object ("peer", NULL, NULL,
                         GLS_TYPE_PEER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals [REMOVE_REQUESTED] =
    g_signal_new ("remove-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/gls-peer-row.ui");
  gtk_widget_class_bind_template_child (widget_class, GlsPeerRow, status_stack);
  gtk_widget_class_bind_template_child (widget_class, GlsPeerRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, GlsPeerRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, GlsPeerRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, GlsPeerRow, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
}

static void
gls_peer_row_init (GlsPeerRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
