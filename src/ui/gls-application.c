/* gls-application.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-application"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-application.h"
#include "gls-preferences-window.h"
#include "gls-window.h"

struct _GlsApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  GlsWorkspace   *workspace;
  GCancellable   *cancellable;

  /* From the command line. */
  char           *data_dir;
  char           *workspace_name;
  gboolean        sample;
  gboolean        quit_after_first_frame;

  /* Requests that arrived while the workspace was still opening. */
  GPtrArray      *pending_files;
  gboolean        opening;
};

G_DEFINE_FINAL_TYPE (GlsApplication, gls_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Keep workspaces, identity and profile in DIR"), N_("DIR") },
  { "workspace", 'w', 0, G_OPTION_ARG_STRING, NULL,
    N_("Open the workspace NAME"), N_("NAME") },
  { "sample", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Open the sample design with its comments"), NULL },
  /* For tests/bench/bench-startup: how long until the window is on screen. */
  { "quit-after-first-frame", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, NULL, NULL, NULL },
  { NULL }
};

GlsApplication *
gls_application_new (const char        *application_id,
                     GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  return g_object_new (GLS_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

GlsWorkspace *
gls_application_get_workspace (GlsApplication *self)
{
  g_return_val_if_fail (GLS_IS_APPLICATION (self), NULL);

  return self->workspace;
}

GSettings *
gls_application_get_settings (GlsApplication *self)
{
  g_return_val_if_fail (GLS_IS_APPLICATION (self), NULL);

  return self->settings;
}

static GlsWindow *
get_main_window (GlsApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (GLS_IS_WINDOW (l->data))
        return l->data;
    }

  return NULL;
}

/* The workspace opens in a thread; requests wait for it. */

static GlsWindow *
ensure_window (GlsApplication *self)
{
  GlsWindow *window = get_main_window (self);

  if (window == NULL)
    window = gls_window_new (GTK_APPLICATION (self), self->workspace, self->settings);

  return window;
}

static void
show_workspace_error (GlsApplication *self,
                      const GError   *error)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (NULL, _("Could Not Open the Workspace"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
first_frame_cb (GdkFrameClock  *clock,
                GlsApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, first_frame_cb, self);
  g_print ("first-frame\n");
  g_application_quit (G_APPLICATION (self));
}

static void
workspace_opened_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GlsApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  GlsWindow *window;

  self->opening = FALSE;
  self->workspace = gls_workspace_open_finish (result, &error);
  g_application_release (G_APPLICATION (self));

  if (self->workspace == NULL)
    {
      g_warning ("Could not open the workspace: %s", error->message);
      show_workspace_error (self, error);
      return;
    }

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-workspace",
                           gls_workspace_get_name (self->workspace));

  window = ensure_window (self);
  gtk_window_present (GTK_WINDOW (window));

  if (self->quit_after_first_frame)
    g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                             G_CALLBACK (first_frame_cb), self, 0);

  files = g_steal_pointer (&self->pending_files);
  if (files != NULL && files->len > 0)
    gls_window_open_files (window, (GFile **) files->pdata, files->len);
  else if (self->sample)
    gls_window_open_sample (window);
  else
    gls_window_restore_last_design (window);
}

static void
open_workspace (GlsApplication *self)
{
  const char *name = self->workspace_name;
  g_autofree char *data_dir = NULL;
  g_autofree char *last = NULL;

  if (self->opening)
    return;

  if (name == NULL && self->settings != NULL)
    {
      last = g_settings_get_string (self->settings, "last-workspace");
      if (gls_workspace_name_is_valid (last))
        name = last;
    }
  if (name == NULL)
    name = GLS_WORKSPACE_DEFAULT_NAME;

  data_dir = gls_workspace_resolve_data_dir (self->data_dir);

  self->opening = TRUE;
  g_application_hold (G_APPLICATION (self));
  gls_workspace_open_async (data_dir, name, self->cancellable,
                            workspace_opened_cb, g_object_ref (self));
}

static void
gls_application_activate (GApplication *app)
{
  GlsApplication *self = GLS_APPLICATION (app);

  if (self->workspace == NULL)
    {
      open_workspace (self);
      return;
    }

  gtk_window_present (GTK_WINDOW (ensure_window (self)));
}

static void
gls_application_open (GApplication  *app,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  GlsApplication *self = GLS_APPLICATION (app);
  GlsWindow *window;

  if (self->workspace == NULL)
    {
      if (self->pending_files == NULL)
        self->pending_files = g_ptr_array_new_with_free_func (g_object_unref);
      for (int i = 0; i < n_files; i++)
        g_ptr_array_add (self->pending_files, g_object_ref (files[i]));
      open_workspace (self);
      return;
    }

  window = ensure_window (self);
  gtk_window_present (GTK_WINDOW (window));
  gls_window_open_files (window, files, n_files);
}

static int
gls_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  GlsApplication *self = GLS_APPLICATION (app);
  g_autofree char *data_dir = NULL;
  g_autofree char *name = NULL;

  if (g_variant_dict_lookup (options, "data-dir", "^ay", &data_dir))
    {
      g_free (self->data_dir);
      self->data_dir = g_steal_pointer (&data_dir);
      /* Another data dir is another program as far as the user is concerned. */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }

  if (g_variant_dict_lookup (options, "workspace", "s", &name))
    {
      if (!gls_workspace_name_is_valid (name))
        {
          g_printerr (_("“%s” is not a valid workspace name: use lowercase letters, digits and _$()+/- and start with a letter\n"),
                      name);
          return EXIT_FAILURE;
        }
      g_free (self->workspace_name);
      self->workspace_name = g_steal_pointer (&name);
    }

  self->sample = g_variant_dict_contains (options, "sample");
  self->quit_after_first_frame = g_variant_dict_contains (options, "quit-after-first-frame");

  return -1;
}

/* Application actions */

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  GlsApplication *self = user_data;
  GtkWidget *prefs;

  if (self->workspace == NULL)
    return;

  prefs = gls_preferences_window_new (self->workspace);
  gtk_window_set_transient_for (GTK_WINDOW (prefs),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  GlsApplication *self = user_data;
  static const char *developers[] = { "The Glossa authors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-icon", APPLICATION_ID,
                        "application-name", _("Glossa"),
                        "developer-name", _("The Glossa authors"),
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/glossa/glossa",
                        "issue-url", "https://github.com/glossa/glossa/issues",
                        "comments", _("Review designs together: pin threaded comments to images, SVG and PDF, "
                                      "in open formats, and share them with your peers."),
                        "copyright", "© 2026 The Glossa authors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  GlsApplication *self = user_data;
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *window;

  builder = gtk_builder_new_from_resource (RESOURCE_PATH "/help-overlay.ui");
  window = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  gtk_window_set_transient_for (window,
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (window);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GlsApplication *self = user_data;
  GList *windows;

  /* Closing the windows saves their state before the application quits. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (windows->data);

  g_application_quit (G_APPLICATION (self));
}

static const GActionEntry app_actions[] = {
  { "preferences", preferences_action },
  { "about", about_action },
  { "shortcuts", shortcuts_action },
  { "quit", quit_action },
};

static GSettings *
settings_new_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* The schema id is the base id in development builds too. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "io.github.glossa.Glossa", TRUE);
  if (schema == NULL)
    {
      g_warning ("The settings schema io.github.glossa.Glossa is not installed; "
                 "window state will not be kept");
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static void
gls_application_startup (GApplication *app)
{
  GlsApplication *self = GLS_APPLICATION (app);
  static const char *quit_accels[] = { "<Primary>q", NULL };
  static const char *prefs_accels[] = { "<Primary>comma", NULL };
  static const char *shortcuts_accels[] = { "<Primary>question", NULL };
  static gsize name_set = 0;

  G_APPLICATION_CLASS (gls_application_parent_class)->startup (app);

  /* Once per process: tests run the application more than once. */
  if (g_once_init_enter (&name_set))
    {
      g_set_application_name (_("Glossa"));
      g_once_init_leave (&name_set, 1);
    }
  gtk_window_set_default_icon_name (APPLICATION_ID);

  self->settings = settings_new_if_installed ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.shortcuts", shortcuts_accels);
}

static void
gls_application_shutdown (GApplication *app)
{
  GlsApplication *self = GLS_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);

  G_APPLICATION_CLASS (gls_application_parent_class)->shutdown (app);
}

static void
gls_application_dispose (GObject *object)
{
  GlsApplication *self = GLS_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->workspace);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pending_files, g_ptr_array_unref);

  G_OBJECT_CLASS (gls_application_parent_class)->dispose (object);
}

static void
gls_application_finalize (GObject *object)
{
  GlsApplication *self = GLS_APPLICATION (object);

  g_free (self->data_dir);
  g_free (self->workspace_name);

  G_OBJECT_CLASS (gls_application_parent_class)->finalize (object);
}

static void
gls_application_class_init (GlsApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = gls_application_dispose;
  object_class->finalize = gls_application_finalize;

  app_class->startup = gls_application_startup;
  app_class->shutdown = gls_application_shutdown;
  app_class->activate = gls_application_activate;
  app_class->open = gls_application_open;
  app_class->handle_local_options = gls_application_handle_local_options;
}

static void
gls_application_init (GlsApplication *self)
{
  self->cancellable = g_cancellable_new ();

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Review designs together: pin threaded comments to images, SVG and PDF."));
}
