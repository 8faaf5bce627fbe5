/* gls-window-versions.c: the versions of the design shown — the switcher
 * in the header bar and its shortcuts, Add New Version…, and the question
 * a changed file with a design's name asks.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-window-private.h"

static GlsVersionGroup *
shown_group (GlsWindow *self)
{
  if (self->design == NULL || self->sidebar == NULL)
    return NULL;
  return gls_designs_sidebar_find_group (self->sidebar, gls_design_get_id (self->design));
}

GtkListBox *
_gls_window_get_version_list (GlsWindow *self)
{
  return self->version_list;
}

GtkMenuButton *
_gls_window_get_version_button (GlsWindow *self)
{
  return self->version_button;
}

AdwMessageDialog *
_gls_window_get_version_dialog (GlsWindow *self)
{
  return self->version_dialog;
}

static GtkWidget *
version_row_new (GlsVersionGroup *group,
                 GlsDesign       *version,
                 gboolean         shown)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = gls_version_describe_date (version);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check;

  /* Translators: a design's version, "Version 2" */
  title = g_strdup_printf (_("Version %u"), gls_version_group_get_number (group, version));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  check = gtk_image_new_from_icon_name ("object-select-symbolic");
  gtk_widget_set_opacity (check, shown ? 1.0 : 0.0);
  gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_SELECTED, shown, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);

  g_object_set_data_full (G_OBJECT (row), "design", g_object_ref (version), g_object_unref);
  return row;
}

/* The switcher and the actions follow the design shown and its group. */
void
_gls_window_update_versions (GlsWindow *self)
{
  GlsVersionGroup *group = shown_group (self);
  GtkWidget *child;
  guint n = group ? gls_version_group_get_n_versions (group) : 0;
  guint number = group ? gls_version_group_get_number (group, self->design) : 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->version_list))) != NULL)
    gtk_list_box_remove (self->version_list, child);

  gtk_widget_set_visible (GTK_WIDGET (self->version_button), n > 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.previous-version", number > 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next-version", number > 0 && number < n);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-version",
                                 g_list_model_get_n_items (gls_workspace_get_designs (self->workspace)) > 0);
  if (n == 0)
    return;

  {
    /* Translators: the version shown and how many the design has, "Version 2 of 3" */
    g_autofree char *label = gls_version_group_describe (group, self->design);

    gtk_menu_button_set_label (self->version_button, label);
  }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsDesign) version = g_list_model_get_item (gls_version_group_get_versions (group), i);

      gtk_list_box_append (self->version_list,
                           version_row_new (group, version,
                                            g_strcmp0 (gls_design_get_id (version),
                                                       gls_design_get_id (self->design)) == 0));
    }
}

static void
version_row_activated_cb (GlsWindow     *self,
                          GtkListBoxRow *row,
                          GtkListBox    *list)
{
  GlsDesign *design = g_object_get_data (G_OBJECT (row), "design");

  gtk_menu_button_popdown (self->version_button);
  if (design != NULL)
    gls_window_show_design (self, design);
}

static void
step_version_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  GlsWindow *self = GLS_WINDOW (widget);
  GlsVersionGroup *group = shown_group (self);
  guint n, number, wanted;
  g_autoptr(GlsDesign) design = NULL;

  if (group == NULL)
    return;
  n = gls_version_group_get_n_versions (group);
  number = gls_version_group_get_number (group, self->design);
  if (g_str_equal (action_name, "win.previous-version"))
    wanted = number - 1;
  else
    wanted = number + 1;
  if (number == 0 || wanted < 1 || wanted > n)
    return;

  /* Newest first: version N is at n - N. */
  design = g_list_model_get_item (gls_version_group_get_versions (group), n - wanted);
  gls_window_show_design (self, design);
}

/* Add New Version… */

typedef struct
{
  GlsWindow *self;
  char      *version_of;
} AddVersion;

static void
add_version_free (AddVersion *add)
{
  g_clear_object (&add->self);
  g_free (add->version_of);
  g_free (add);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AddVersion, add_version_free)

static void
version_added_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AddVersion) add = user_data;
  GlsWindow *self = add->self;
  const char *version_of = add->version_of;
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GError) error = NULL;

  design = gls_workspace_add_design_finish (GLS_WORKSPACE (object), result, &error);
  if (design == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not add the new version: %s"), error->message);
      gls_window_add_toast_message (self, message);
      return;
    }

  /* The same bytes as a design already there: that one is shown. */
  if (g_strcmp0 (gls_design_get_based_on (design), version_of) != 0)
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is in the workspace already"),
                                                  gls_design_get_name (design));

      gls_window_add_toast_message (self, message);
    }
  gls_window_show_design (self, design);
}

void
_gls_window_add_version_file (GlsWindow  *self,
                              const char *design_id,
                              GFile      *file)
{
  AddVersion *add;

  g_return_if_fail (GLS_IS_WINDOW (self));
  g_return_if_fail (design_id != NULL);
  g_return_if_fail (G_IS_FILE (file));

  add = g_new0 (AddVersion, 1);
  add->self = g_object_ref (self);
  add->version_of = g_strdup (design_id);
  gls_workspace_add_design_full_async (self->workspace, file, design_id, GLS_ADD_DESIGN_VERSION_BY_NAME,
                                       self->cancellable, version_added_cb, add);
}

static void
version_chooser_response_cb (GlsWindow            *self,
                             int                   response,
                             GtkFileChooserNative *native)
{
  const char *design_id = g_object_get_data (G_OBJECT (native), "design-id");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

      if (file != NULL)
        _gls_window_add_version_file (self, design_id, file);
    }

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (native));
  g_object_unref (native);
}

static void
add_version_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  GlsWindow *self = GLS_WINDOW (widget);
  const char *id = param ? g_variant_get_string (param, NULL) : "";
  GlsVersionGroup *group;
  GlsDesign *latest;
  GtkFileChooserNative *native;
  g_autofree char *title = NULL;

  /* Without a design named: the one shown. Either way, after its newest
   * version. */
  if (id[0] == '\0' && self->design != NULL)
    id = gls_design_get_id (self->design);
  if (id[0] == '\0' || (group = gls_designs_sidebar_find_group (self->sidebar, id)) == NULL)
    return;
  latest = gls_version_group_get_latest (group);

  title = g_strdup_printf (_("Add a New Version of “%s”"), gls_design_get_name (latest));
  native = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Add"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_object_set_data_full (G_OBJECT (native), "design-id", g_strdup (gls_design_get_id (latest)), g_free);
  g_signal_connect_object (native, "response",
                           G_CALLBACK (version_chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/* Opening a changed file with a design's name: a new version of it, a
 * design of its own, or nothing. */

typedef struct
{
  GlsWindow           *self;
  GFile               *file;
  GlsAskVersionDone    done;
  gpointer             user_data;
} Ask;

static void
ask_free (Ask *ask)
{
  g_clear_object (&ask->self);
  g_clear_object (&ask->file);
  g_free (ask);
}

static void
asked_added_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Ask *ask = user_data;
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GError) error = NULL;

  design = gls_workspace_add_design_finish (GLS_WORKSPACE (object), result, &error);
  ask->done (ask->self, ask->file, design, error, ask->user_data);
  ask_free (ask);
}

static void
ask_response_cb (AdwMessageDialog *dialog,
                 const char       *response,
                 Ask              *ask)
{
  GlsWindow *self = ask->self;
  const char *version_of = g_object_get_data (G_OBJECT (dialog), "version-of");

  if (self->version_dialog == dialog)
    self->version_dialog = NULL;

  if (g_str_equal (response, "version"))
    gls_workspace_add_design_full_async (self->workspace, ask->file, version_of,
                                         GLS_ADD_DESIGN_VERSION_BY_NAME,
                                         self->cancellable, asked_added_cb, ask);
  else if (g_str_equal (response, "separate"))
    gls_workspace_add_design_full_async (self->workspace, ask->file, NULL, GLS_ADD_DESIGN_SEPARATE,
                                         self->cancellable, asked_added_cb, ask);
  else
    {
      ask->done (self, ask->file, NULL, NULL, ask->user_data);
      ask_free (ask);
    }
}

static GlsDesign *
newest_named (GlsWindow  *self,
              const char *name)
{
  GListModel *designs = gls_workspace_get_designs (self->workspace);
  guint n = g_list_model_get_n_items (designs);

  /* Newest first: the first of that name. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsDesign) design = g_list_model_get_item (designs, i);

      if (g_strcmp0 (gls_design_get_name (design), name) == 0)
        return g_steal_pointer (&design);
    }
  return NULL;
}

void
_gls_window_ask_version (GlsWindow         *self,
                         GFile             *file,
                         GlsAskVersionDone  done,
                         gpointer           user_data)
{
  g_autofree char *raw = g_file_get_basename (file);
  g_autofree char *name = g_filename_display_name (raw);
  g_autofree char *heading = NULL;
  g_autoptr(GlsDesign) named = newest_named (self, name);
  GtkWidget *dialog;
  Ask *ask;

  g_return_if_fail (GLS_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (done != NULL);

  ask = g_new0 (Ask, 1);
  ask->self = g_object_ref (self);
  ask->file = g_object_ref (file);
  ask->done = done;
  ask->user_data = user_data;

  /* Gone meanwhile: the file's name is free. */
  if (named == NULL)
    {
      gls_workspace_add_design_full_async (self->workspace, file, NULL, GLS_ADD_DESIGN_SEPARATE,
                                           self->cancellable, asked_added_cb, ask);
      return;
    }

  {
    GlsVersionGroup *group = gls_designs_sidebar_find_group (self->sidebar, gls_design_get_id (named));

    /* After its design's newest version, whatever its name. */
    if (group != NULL)
      g_set_object (&named, gls_version_group_get_latest (group));
  }

  heading = g_strdup_printf (_("Add as a New Version of “%s”?"), gls_design_get_name (named));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The file has the name of a design in this workspace, but other "
                                    "contents: its threads can follow it as its next version, or it "
                                    "can be a design of its own."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "separate", _("Add as _Separate Design"),
                                    "version", _("Add as _New Version"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "version",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "version");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "version-of",
                          g_strdup (gls_design_get_id (named)), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (ask_response_cb), ask);

  self->version_dialog = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
groups_changed_cb (GlsWindow *self)
{
  _gls_window_update_versions (self);
}

void
_gls_window_init_versions (GlsWindow *self)
{
  g_signal_connect_object (self->sidebar, "groups-changed",
                           G_CALLBACK (groups_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->version_list, "row-activated",
                           G_CALLBACK (version_row_activated_cb), self, G_CONNECT_SWAPPED);
  _gls_window_update_versions (self);
}

void
_gls_window_class_init_versions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, version_button);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, version_list);

  gtk_widget_class_install_action (widget_class, "win.previous-version", NULL, step_version_action);
  gtk_widget_class_install_action (widget_class, "win.next-version", NULL, step_version_action);
  gtk_widget_class_install_action (widget_class, "win.add-version", "s", add_version_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "win.previous-version", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "win.next-version", NULL);
}
