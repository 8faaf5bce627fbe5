/* gls-window-remove.c: Remove Design…, and not keeping a file that
 * cannot be shown
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-document.h"
#include "gls-hlc.h"
#include "gls-window-private.h"

/* Removing a whole design (every version): the versions I made are
 * deleted for everyone (signed, synced), the others hidden here, with an
 * Undo for those. Its comments stay in the store. */

static GlsVersionGroup *
find_group (GlsWindow  *self,
            const char *id)
{
  if (id[0] == '\0' && self->design != NULL)
    id = gls_design_get_id (self->design);
  if (id[0] == '\0')
    return NULL;
  return gls_designs_sidebar_find_group (self->sidebar, id);
}

/* Whether every version of @group is mine: deleted for everyone. */
static gboolean
group_is_mine (GlsWindow       *self,
               GlsVersionGroup *group)
{
  GListModel *versions = gls_version_group_get_versions (group);

  for (guint i = 0; i < g_list_model_get_n_items (versions); i++)
    {
      g_autoptr(GlsDesign) version = g_list_model_get_item (versions, i);

      if (!gls_workspace_is_own_design (self->workspace, version))
        return FALSE;
    }
  return TRUE;
}

/* With no design to show: the empty page. */
static void
show_nothing (GlsWindow *self)
{
  g_cancellable_cancel (self->load_cancellable);
  gls_window_set_comment_mode (self, FALSE);
  g_clear_object (&self->document);
  gls_canvas_set_document (self->canvas, NULL);
  gls_text_view_set_text (self->text_view, NULL, NULL);
  g_clear_object (&self->design);
  g_signal_group_set_target (self->threads_signals, NULL);
  g_clear_object (&self->threads);
  if (self->threads_panel != NULL)
    g_object_set (self->threads_panel, "design", NULL, NULL);
  _gls_window_clear_versions (self);
  _gls_window_clear_carried (self);
  adw_window_title_set_subtitle (self->window_title, NULL);
  _gls_window_set_view (self, "empty");
  _gls_window_update_actions (self);
}

/* After the shown design went: the newest design left, or nothing. */
static void
show_another (GlsWindow *self)
{
  GListModel *designs = gls_workspace_get_designs (self->workspace);
  g_autoptr(GlsDesign) first = g_list_model_get_item (designs, 0);

  if (first != NULL)
    gls_window_show_design (self, first);
  else
    show_nothing (self);
}

static gboolean
shown_is_gone (GlsWindow *self)
{
  GListModel *designs = gls_workspace_get_designs (self->workspace);

  if (self->design == NULL)
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (designs); i++)
    {
      g_autoptr(GlsDesign) design = g_list_model_get_item (designs, i);

      if (g_strcmp0 (gls_design_get_id (design), gls_design_get_id (self->design)) == 0)
        return FALSE;
    }
  return TRUE;
}

static void
undo_hide_cb (AdwToast *toast,
              gpointer  user_data)
{
  GlsWindow *self = GLS_WINDOW (user_data);
  char **hidden = g_object_get_data (G_OBJECT (toast), "hidden");
  g_autoptr(GError) error = NULL;

  /* One small _local write, as the seen marks are. */
  if (!gls_workspace_set_designs_hidden (self->workspace, (const char * const *) hidden, FALSE, &error))
    {
      gls_window_add_toast_message (self, error->message);
      return;
    }
  if (self->design == NULL && hidden[0] != NULL)
    {
      g_autoptr(GlsDesign) design = gls_workspace_find_design (self->workspace, hidden[0], NULL);

      if (design != NULL)
        gls_window_show_design (self, design);
    }
}

static void
removed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GlsWindow) self = user_data;
  g_autofree char *name = g_object_steal_data (G_OBJECT (self), "removing-name");
  g_autoptr(GlsDesignRemoval) removal = NULL;
  g_autoptr(GError) error = NULL;
  AdwToast *toast;
  g_autofree char *title = NULL;

  removal = gls_workspace_remove_design_finish (GLS_WORKSPACE (object), result, &error);
  if (removal == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not remove “%s”: %s"), name, error->message);

      gls_window_add_toast_message (self, message);
      return;
    }

  if (shown_is_gone (self))
    show_another (self);

  if (removal->hidden[0] == NULL)
    title = g_strdup_printf (_("“%s” removed"), name);
  else
    title = g_strdup_printf (_("“%s” hidden"), name);
  toast = adw_toast_new (title);
  if (removal->hidden[0] != NULL)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      g_object_set_data_full (G_OBJECT (toast), "hidden", g_steal_pointer (&removal->hidden),
                              (GDestroyNotify) g_strfreev);
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_hide_cb), self, 0);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  GlsWindow *self = GLS_WINDOW (user_data);
  const char *id = g_object_get_data (G_OBJECT (dialog), "design-id");

  if (g_strcmp0 (response, "remove") != 0)
    return;
  g_object_set_data_full (G_OBJECT (self), "removing-name",
                          g_strdup (g_object_get_data (G_OBJECT (dialog), "design-name")), g_free);
  gls_workspace_remove_design_async (self->workspace, id, TRUE, self->cancellable,
                                     removed_cb, g_object_ref (self));
}

AdwMessageDialog *
_gls_window_confirm_remove (GlsWindow  *self,
                            const char *design_id)
{
  GlsVersionGroup *group = find_group (self, design_id);
  GlsDesign *latest;
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  if (group == NULL)
    return NULL;
  latest = gls_version_group_get_latest (group);
  heading = g_strdup_printf (_("Remove “%s”?"), gls_design_get_name (latest));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, NULL));
  if (group_is_mine (self, group))
    adw_message_dialog_set_body (dialog, _("It is removed for everyone you share this workspace with. "
                                           "Its comments are kept."));
  else
    adw_message_dialog_set_body (dialog, _("It is hidden on this computer only."));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "design-id", g_strdup (gls_design_get_id (latest)), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "design-name", g_strdup (gls_design_get_name (latest)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
remove_design_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  _gls_window_confirm_remove (GLS_WINDOW (widget), param ? g_variant_get_string (param, NULL) : "");
}

void
_gls_window_class_init_remove (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.remove-design", "s", remove_design_action);
}

void
_gls_window_update_remove_action (GlsWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove-design", self->design != NULL);
}

/* Opening a file: an image, SVG or PDF that the window cannot show is
 * not kept. When this open added it (mine, made after @since), it is
 * deleted again, signed by me. Text was checked as it was added. */

typedef struct
{
  GlsWindow       *self;
  GlsDesign       *design;
  gint64           since;
  GlsCheckOpened   done;
  gpointer         user_data;
} CheckOpened;

static void
check_opened_free (CheckOpened *check)
{
  g_clear_object (&check->self);
  g_clear_object (&check->design);
  g_free (check);
}

static gboolean
added_now (CheckOpened *check)
{
  gint64 created;

  return gls_workspace_is_own_design (check->self->workspace, check->design) &&
         gls_timestamp_parse (gls_design_get_date_created (check->design), &created) &&
         created >= check->since;
}

static void
dropped_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GlsDesignRemoval) removal = NULL;
  g_autoptr(GError) error = NULL;

  removal = gls_workspace_remove_design_finish (GLS_WORKSPACE (object), result, &error);
  if (removal == NULL)
    g_warning ("Could not drop a design that cannot be shown: %s", error->message);
}

static void
check_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CheckOpened *check = user_data;
  g_autoptr(GlsDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = gls_document_load_finish (result, &error);
  if (document == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && added_now (check))
    gls_workspace_remove_design_async (check->self->workspace, gls_design_get_id (check->design), FALSE,
                                       NULL, dropped_cb, NULL);
  check->done (check->self, check->design, error, check->user_data);
  check_opened_free (check);
}

static void
check_file_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CheckOpened *check = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = gls_workspace_load_design_file_finish (GLS_WORKSPACE (object), result, &error);
  if (bytes == NULL)
    {
      check->done (check->self, check->design, error, check->user_data);
      check_opened_free (check);
      return;
    }
  gls_document_load_async (bytes, gls_design_get_media_type (check->design), check->self->cancellable,
                           check_loaded_cb, check);
}

void
_gls_window_check_opened (GlsWindow      *self,
                          GlsDesign      *design,
                          gint64          since,
                          GlsCheckOpened  done,
                          gpointer        user_data)
{
  CheckOpened *check;

  if (gls_design_get_kind (design) == GLS_DESIGN_KIND_TEXT ||
      gls_design_get_kind (design) == GLS_DESIGN_KIND_TRANSLATION)
    {
      done (self, design, NULL, user_data);
      return;
    }
  check = g_new0 (CheckOpened, 1);
  check->self = g_object_ref (self);
  check->design = g_object_ref (design);
  check->since = since;
  check->done = done;
  check->user_data = user_data;
  gls_workspace_load_design_file_async (self->workspace, gls_design_get_id (design), self->cancellable,
                                        check_file_cb, check);
}
