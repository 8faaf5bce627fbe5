/* gls-preferences-window.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-preferences-window.h"

struct _GlsPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GlsWorkspace         *workspace;
  GCancellable         *cancellable;
  /* Licence IRIs, parallel to the rows of license_names. */
  GPtrArray            *license_iris;
  gboolean              updating;
  /* One save at a time, so an older one never lands after a newer one. */
  gboolean              saving;
  gboolean              save_again;

  AdwEntryRow          *name_row;
  AdwComboRow          *license_row;
  GtkStringList        *license_names;
  GtkLabel             *did_label;
};

G_DEFINE_FINAL_TYPE (GlsPreferencesWindow, gls_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_WORKSPACE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static const struct {
  const char *name;
  const char *iri;
} licenses[] = {
  { N_("CC BY 4.0 (attribution)"), "https://creativecommons.org/licenses/by/4.0/" },
  { N_("CC BY-SA 4.0 (attribution, share-alike)"), "https://creativecommons.org/licenses/by-sa/4.0/" },
  { N_("CC0 1.0 (public domain)"), "https://creativecommons.org/publicdomain/zero/1.0/" },
  { N_("CC BY-NC 4.0 (attribution, non-commercial)"), "https://creativecommons.org/licenses/by-nc/4.0/" },
  { N_("CC BY-NC-SA 4.0 (attribution, non-commercial, share-alike)"), "https://creativecommons.org/licenses/by-nc-sa/4.0/" },
  { N_("CC BY-ND 4.0 (attribution, no derivatives)"), "https://creativecommons.org/licenses/by-nd/4.0/" },
};

GtkWidget *
gls_preferences_window_new (GlsWorkspace *workspace)
{
  g_return_val_if_fail (GLS_IS_WORKSPACE (workspace), NULL);

  return g_object_new (GLS_TYPE_PREFERENCES_WINDOW,
                       "workspace", workspace,
                       NULL);
}

GlsWorkspace *
gls_preferences_window_get_workspace (GlsPreferencesWindow *self)
{
  g_return_val_if_fail (GLS_IS_PREFERENCES_WINDOW (self), NULL);

  return self->workspace;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GlsProfile *copy = task_data;
  const char *data_dir = g_object_get_data (G_OBJECT (task), "data-dir");
  g_autoptr(GError) error = NULL;

  if (gls_profile_save (copy, data_dir, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void save_profile (GlsPreferencesWindow *self);

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GlsPreferencesWindow *self = GLS_PREFERENCES_WINDOW (object);
  g_autoptr(GError) error = NULL;

  self->saving = FALSE;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("Could not save your profile: %s"),
                                                  error->message);

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
    }

  if (self->save_again)
    {
      self->save_again = FALSE;
      save_profile (self);
    }
}

/* Disk writes go to a thread, with a copy so the thread never races the UI. */
static void
save_profile (GlsPreferencesWindow *self)
{
  GlsProfile *profile = gls_workspace_get_profile (self->workspace);
  g_autoptr(GlsProfile) copy = NULL;
  g_autoptr(GTask) task = NULL;

  if (self->saving)
    {
      self->save_again = TRUE;
      return;
    }
  self->saving = TRUE;

  copy = gls_profile_new ();
  gls_profile_set_display_name (copy, gls_profile_get_display_name (profile));
  gls_profile_set_license (copy, gls_profile_get_license (profile));

  task = g_task_new (self, self->cancellable, save_cb, NULL);
  g_task_set_source_tag (task, save_profile);
  g_task_set_task_data (task, g_steal_pointer (&copy), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "data-dir",
                          g_strdup (gls_workspace_get_data_dir (self->workspace)), g_free);
  g_task_run_in_thread (task, save_thread);
}

static void
name_row_apply_cb (GlsPreferencesWindow *self)
{
  GlsProfile *profile = gls_workspace_get_profile (self->workspace);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));

  if (name[0] == '\0')
    {
      /* A comment needs an author's name: put the old one back. */
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), gls_profile_get_display_name (profile));
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("Your display name cannot be empty")));
      return;
    }

  if (g_strcmp0 (name, gls_profile_get_display_name (profile)) == 0)
    return;

  gls_profile_set_display_name (profile, name);
  save_profile (self);
}

static void
license_row_selected_cb (GlsPreferencesWindow *self)
{
  GlsProfile *profile;
  guint selected;
  const char *iri;

  if (self->updating || self->workspace == NULL)
    return;

  selected = adw_combo_row_get_selected (self->license_row);
  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->license_iris->len)
    return;

  profile = gls_workspace_get_profile (self->workspace);
  iri = g_ptr_array_index (self->license_iris, selected);
  if (g_strcmp0 (iri, gls_profile_get_license (profile)) == 0)
    return;

  gls_profile_set_license (profile, iri);
  save_profile (self);
}

static void
copy_did_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  GlsPreferencesWindow *self = GLS_PREFERENCES_WINDOW (widget);
  const char *did = gls_identity_get_did (gls_workspace_get_identity (self->workspace));

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), did);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("Public key copied")));
}

static void
load_from_workspace (GlsPreferencesWindow *self)
{
  GlsProfile *profile = gls_workspace_get_profile (self->workspace);
  GlsIdentity *identity = gls_workspace_get_identity (self->workspace);
  const char *license = gls_profile_get_license (profile);
  guint selected = GTK_INVALID_LIST_POSITION;

  self->updating = TRUE;

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), gls_profile_get_display_name (profile));
  gtk_label_set_label (self->did_label, gls_identity_get_did (identity));

  for (guint i = 0; i < self->license_iris->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (self->license_iris, i), license) == 0)
        selected = i;
    }
  if (selected == GTK_INVALID_LIST_POSITION && license != NULL)
    {
      /* A licence set elsewhere (the profile file): keep it, by its IRI. */
      g_ptr_array_add (self->license_iris, g_strdup (license));
      gtk_string_list_append (self->license_names, license);
      selected = self->license_iris->len - 1;
    }
  adw_combo_row_set_selected (self->license_row, selected);

  self->updating = FALSE;
}

static void
gls_preferences_window_constructed (GObject *object)
{
  GlsPreferencesWindow *self = GLS_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (gls_preferences_window_parent_class)->constructed (object);

  g_assert (GLS_IS_WORKSPACE (self->workspace));

  load_from_workspace (self);
}

static gboolean
gls_preferences_window_close_request (GtkWindow *window)
{
  GlsPreferencesWindow *self = GLS_PREFERENCES_WINDOW (window);

  /* A name typed but not applied is still what the user meant. */
  name_row_apply_cb (self);

  return GTK_WINDOW_CLASS (gls_preferences_window_parent_class)->close_request (window);
}

static void
gls_preferences_window_dispose (GObject *object)
{
  GlsPreferencesWindow *self = GLS_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), GLS_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (gls_preferences_window_parent_class)->dispose (object);
}

static void
gls_preferences_window_finalize (GObject *object)
{
  GlsPreferencesWindow *self = GLS_PREFERENCES_WINDOW (object);

  /* Saves in flight still finish: they hold a copy of the profile. */
  g_clear_object (&self->cancellable);
  g_clear_object (&self->workspace);
  g_clear_pointer (&self->license_iris, g_ptr_array_unref);

  G_OBJECT_CLASS (gls_preferences_window_parent_class)->finalize (object);
}

static void
gls_preferences_window_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  GlsPreferencesWindow *self = GLS_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_preferences_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  GlsPreferencesWindow *self = GLS_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      self->workspace = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_preferences_window_class_init (GlsPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = gls_preferences_window_constructed;
  object_class->dispose = gls_preferences_window_dispose;
  object_class->finalize = gls_preferences_window_finalize;
  object_class->get_property = gls_preferences_window_get_property;
  object_class->set_property = gls_preferences_window_set_property;

  window_class->close_request = gls_preferences_window_close_request;

  properties [PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL,
                         GLS_TYPE_WORKSPACE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/gls-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GlsPreferencesWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, GlsPreferencesWindow, license_row);
  gtk_widget_class_bind_template_child (widget_class, GlsPreferencesWindow, license_names);
  gtk_widget_class_bind_template_child (widget_class, GlsPreferencesWindow, did_label);
  gtk_widget_class_bind_template_callback (widget_class, name_row_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, license_row_selected_cb);

  gtk_widget_class_install_action (widget_class, "prefs.copy-did", NULL, copy_did_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "prefs.copy-did", NULL);
}

/* The licences in the list are whole too: wrapped, not ellipsized. */
static void
license_item_setup_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  gtk_list_item_set_child (item, label);
}

static void
license_item_bind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (string));
}

static void
gls_preferences_window_init (GlsPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->license_iris = g_ptr_array_new_with_free_func (g_free);

  self->updating = TRUE;
  {
    g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

    g_signal_connect (factory, "setup", G_CALLBACK (license_item_setup_cb), NULL);
    g_signal_connect (factory, "bind", G_CALLBACK (license_item_bind_cb), NULL);
    adw_combo_row_set_list_factory (self->license_row, factory);
  }

  for (guint i = 0; i < G_N_ELEMENTS (licenses); i++)
    {
      g_ptr_array_add (self->license_iris, g_strdup (licenses[i].iri));
      gtk_string_list_append (self->license_names, _(licenses[i].name));
    }
  self->updating = FALSE;
}
