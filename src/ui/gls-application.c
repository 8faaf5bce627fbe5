/* gls-application.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-application"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "gls-application.h"
#include "gls-link-check.h"
#include "gls-preferences-window.h"
#include "gls-session.h"
#include "gls-welcome-dialog.h"
#include "gls-window.h"

#define WINDOW_WORKSPACE_KEY "gls-application-workspace-name"

struct _GlsApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  GCancellable   *cancellable;

  /* The data dir's workspaces, peers and sharing, and its files. */
  GlsSession     *session;
  /* The workspace the application opened first, once open. */
  char           *main_name;
  /* Links waiting for a workspace that is being opened (name → GPtrArray
   * of links). */
  GHashTable     *opening_links;

  /* From the command line. */
  char           *data_dir;
  char           *workspace_name;
  gboolean        sample;
  gboolean        quit_after_first_frame;
  gboolean        quit_after_design_shown;
  gboolean        open_after_first_frame;
  gint64          open_requested;
  gboolean        welcomed;

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
  /* For tests/bench/bench-open-text: how long until a design is shown,
   * from the start, or (with open-after-first-frame) from asking the
   * window that is already on screen to open the file. */
  { "quit-after-design-shown", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, NULL, NULL, NULL },
  { "open-after-first-frame", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, NULL, NULL, NULL },
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

  if (self->session == NULL || self->main_name == NULL)
    return NULL;
  return gls_session_get_workspace (self->session, self->main_name);
}

GSettings *
gls_application_get_settings (GlsApplication *self)
{
  g_return_val_if_fail (GLS_IS_APPLICATION (self), NULL);

  return self->settings;
}

GlsShare *
gls_application_get_share (GlsApplication *self)
{
  g_return_val_if_fail (GLS_IS_APPLICATION (self), NULL);

  return self->session != NULL ? gls_session_get_share (self->session) : NULL;
}

GlsPeerList *
gls_application_get_peer_list (GlsApplication *self,
                               const char     *workspace_name)
{
  g_return_val_if_fail (GLS_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (workspace_name != NULL, NULL);

  return self->session != NULL ? gls_session_get_peer_list (self->session, workspace_name) : NULL;
}

GlsWindow *
gls_application_find_window (GlsApplication *self,
                             const char     *workspace_name)
{
  g_return_val_if_fail (GLS_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (workspace_name != NULL, NULL);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (GLS_IS_WINDOW (l->data) &&
          g_strcmp0 (g_object_get_data (l->data, WINDOW_WORKSPACE_KEY), workspace_name) == 0)
        return l->data;
    }

  return NULL;
}

static GlsWindow *
get_active_gls_window (GlsApplication *self)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

  for (GtkWindow *w = active; w != NULL; w = gtk_window_get_transient_for (w))
    {
      if (GLS_IS_WINDOW (w))
        return GLS_WINDOW (w);
    }

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (GLS_IS_WINDOW (l->data))
        return l->data;
    }

  return NULL;
}

static void
toast (GlsWindow  *window,
       const char *message)
{
  if (window != NULL)
    gls_window_add_toast_message (window, message);
  else
    g_warning ("%s", message);
}

static void
save_failed_cb (GlsApplication *self,
                const char     *message)
{
  toast (get_active_gls_window (self), message);
}

/* A window per workspace; the workspace's peers sync while it is open. */

static GlsWindow *
new_window (GlsApplication *self,
            GlsWorkspace   *workspace)
{
  const char *name = gls_workspace_get_name (workspace);
  g_autoptr(GError) error = NULL;
  GlsWindow *window;

  window = gls_window_new_with_peers (GTK_APPLICATION (self), workspace, self->settings,
                                      gls_session_get_share (self->session),
                                      gls_session_get_peer_list (self->session, name));
  /* A workspace shared last time is shared again when its window opens. */
  if (!gls_session_restore_sharing (self->session, name, &error))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the reason */
      message = g_strdup_printf (_("Could not share the workspace: %s"), error->message);
      gls_window_add_toast_message (window, message);
    }

  return window;
}

static void
gls_application_window_added (GtkApplication *app,
                              GtkWindow      *window)
{
  if (GLS_IS_WINDOW (window))
    g_object_set_data_full (G_OBJECT (window), WINDOW_WORKSPACE_KEY,
                            g_strdup (gls_workspace_get_name (gls_window_get_workspace (GLS_WINDOW (window)))),
                            g_free);

  GTK_APPLICATION_CLASS (gls_application_parent_class)->window_added (app, window);
}

/* The last window of a workspace closed: its peers stop, and it is no
 * longer shared. */
static void
gls_application_window_removed (GtkApplication *app,
                                GtkWindow      *window)
{
  GlsApplication *self = GLS_APPLICATION (app);
  g_autofree char *name = NULL;

  if (GLS_IS_WINDOW (window))
    name = g_strdup (g_object_get_data (G_OBJECT (window), WINDOW_WORKSPACE_KEY));

  GTK_APPLICATION_CLASS (gls_application_parent_class)->window_removed (app, window);

  if (name != NULL && self->session != NULL && gls_application_find_window (self, name) == NULL)
    gls_session_close_workspace (self->session, name);
}

/* The workspace opens in a thread; requests wait for it. */

/* After the window is presented (its callers present it again): the
 * dialog goes on top. Not if the window is already gone. */
typedef struct
{
  GtkWindow *dialog;
  GWeakRef   window;
} Welcome;

static void
welcome_free (Welcome *welcome)
{
  g_object_unref (welcome->dialog);
  g_weak_ref_clear (&welcome->window);
  g_free (welcome);
}

static gboolean
present_welcome_cb (gpointer data)
{
  Welcome *welcome = data;
  g_autoptr(GtkWidget) window = g_weak_ref_get (&welcome->window);

  /* The dialog is made transient only now: GTK 4.8 would touch a parent
   * that went away first when the dialog is finalized. */
  if (window != NULL)
    {
      gtk_window_set_transient_for (welcome->dialog, GTK_WINDOW (window));
      gtk_window_set_modal (welcome->dialog, TRUE);
      gtk_window_set_destroy_with_parent (welcome->dialog, TRUE);
      gtk_window_present (welcome->dialog);
    }
  else
    {
      gtk_window_destroy (welcome->dialog);
    }

  return G_SOURCE_REMOVE;
}

/* The first start asks for a name, once, over the first window. */
static void
maybe_welcome (GlsApplication *self,
               GlsWindow      *window)
{
  GlsWorkspace *workspace = gls_window_get_workspace (window);
  GtkWidget *dialog;
  Welcome *welcome;

  if (self->welcomed || self->quit_after_first_frame ||
      !gls_profile_is_new (gls_workspace_get_profile (workspace)))
    return;

  self->welcomed = TRUE;
  dialog = gls_welcome_dialog_new (NULL, workspace);
  welcome = g_new0 (Welcome, 1);
  welcome->dialog = GTK_WINDOW (g_object_ref (dialog));
  g_weak_ref_init (&welcome->window, window);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, present_welcome_cb, welcome, (GDestroyNotify) welcome_free);
}

static GlsWindow *
ensure_window (GlsApplication *self)
{
  GlsWindow *window = gls_application_find_window (self, self->main_name);

  if (window == NULL)
    {
      window = new_window (self, gls_application_get_workspace (self));
      maybe_welcome (self, window);
    }

  return window;
}

static void open_workspace (GlsApplication *self);

/* A workspace that will not open is left as it is, for whoever can mend
 * it; the person can go on in a new one. */
static void
workspace_error_response_cb (AdwMessageDialog *dialog,
                             const char       *response,
                             GlsApplication   *self)
{
  g_autoptr(GDateTime) now = NULL;

  if (!g_str_equal (response, "new"))
    return;

  now = g_date_time_new_now_local ();
  g_free (self->workspace_name);
  self->workspace_name = g_date_time_format (now, "workspace-%Y%m%d-%H%M%S");
  open_workspace (self);
}

static void
show_workspace_error (GlsApplication *self,
                      const GError   *error,
                      gboolean        offer_new)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (NULL, _("Could Not Open the Workspace"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  if (offer_new)
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "new", _("Start a _New Workspace"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "new", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "new");
      g_signal_connect_object (dialog, "response", G_CALLBACK (workspace_error_response_cb), self, 0);
    }
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

/* For bench-startup: the first frame that shows a design (its canvas or
 * its text), or the error page. */
static void
design_frame_cb (GdkFrameClock  *clock,
                 GlsApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, design_frame_cb, self);
  g_printerr ("T painted %ld\n", (long)(g_get_monotonic_time ()/1000));
  if (self->open_requested != 0)
    g_print ("design-shown %.1f\n", (g_get_monotonic_time () - self->open_requested) / 1000.0);
  else
    g_print ("design-shown\n");
  g_application_quit (G_APPLICATION (self));
}

static void
window_view_cb (GlsWindow      *window,
                GParamSpec     *pspec,
                GlsApplication *self)
{
  g_autofree char *view = NULL;

  g_object_get (window, "view", &view, NULL);
  if (g_strcmp0 (view, "canvas") != 0 && g_strcmp0 (view, "text") != 0 && g_strcmp0 (view, "error") != 0)
    return;
  g_signal_handlers_disconnect_by_func (window, window_view_cb, self);
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                           G_CALLBACK (design_frame_cb), self, 0);
  gtk_widget_queue_draw (GTK_WIDGET (window));
}

/* For bench-open-text: the window is on screen, empty; now open the file
 * as a running Glossa does when asked to. */
static void
open_pending_frame_cb (GdkFrameClock  *clock,
                       GlsApplication *self)
{
  g_autoptr(GPtrArray) files = g_steal_pointer (&self->pending_files);
  GlsWindow *window = get_active_gls_window (self);

  g_signal_handlers_disconnect_by_func (clock, open_pending_frame_cb, self);
  if (files == NULL || files->len == 0 || window == NULL)
    return;
  self->open_requested = g_get_monotonic_time ();
  gls_window_open_files (window, (GFile **) files->pdata, files->len);
}

static void
workspace_opened_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GlsApplication) self = user_data;
  g_autoptr(GlsWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  GlsWindow *window;

  self->opening = FALSE;
  workspace = gls_session_open_workspace_finish (GLS_SESSION (object), result, NULL, &error);
  g_application_release (G_APPLICATION (self));

  if (workspace == NULL)
    {
      g_warning ("Could not open the workspace: %s", error->message);
      show_workspace_error (self, error, TRUE);
      return;
    }

  g_free (self->main_name);
  self->main_name = g_strdup (gls_workspace_get_name (workspace));
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-workspace", self->main_name);

  window = ensure_window (self);
  gtk_window_present (GTK_WINDOW (window));

  if (self->quit_after_first_frame)
    g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                             G_CALLBACK (first_frame_cb), self, 0);
  if (self->quit_after_design_shown)
    g_signal_connect_object (window, "notify::view", G_CALLBACK (window_view_cb), self, 0);

  if (self->open_after_first_frame && self->pending_files != NULL)
    {
      g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                               G_CALLBACK (open_pending_frame_cb), self, 0);
      return;
    }

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

  self->opening = TRUE;
  g_application_hold (G_APPLICATION (self));
  gls_session_open_workspace_async (self->session, name, self->cancellable,
                                    workspace_opened_cb, g_object_ref (self));
}

static void
gls_application_activate (GApplication *app)
{
  GlsApplication *self = GLS_APPLICATION (app);
  GlsWindow *window = get_active_gls_window (self);

  /* The windows are the open workspaces: with none, the main one opens. */
  if (window != NULL)
    gtk_window_present (GTK_WINDOW (window));
  else
    open_workspace (self);
}

static void
gls_application_open (GApplication  *app,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  GlsApplication *self = GLS_APPLICATION (app);
  GlsWindow *window;

  if (gls_application_get_workspace (self) == NULL)
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
  self->quit_after_design_shown = g_variant_dict_contains (options, "quit-after-design-shown");
  self->open_after_first_frame = g_variant_dict_contains (options, "open-after-first-frame");

  return -1;
}

/* Application actions */

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  GlsApplication *self = user_data;
  GlsWorkspace *workspace = gls_application_get_workspace (self);
  GlsWindow *window = get_active_gls_window (self);
  GtkWidget *prefs;

  /* The profile is the data dir's: any open workspace shows it. */
  if (workspace == NULL && window != NULL)
    workspace = gls_window_get_workspace (window);
  if (workspace == NULL)
    return;

  prefs = gls_preferences_window_new (workspace);
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

/* A pasted link: the peer joins the workspace the link names, which is
 * opened (and created, if the person does not have it yet) in its own
 * window. */

typedef struct
{
  GlsApplication *self;
  char           *name;
} OpenForLink;

static void
open_for_link_free (OpenForLink *op)
{
  g_clear_object (&op->self);
  g_free (op->name);
  g_free (op);
}

/* Adds the links to the window's peers; toasts each one unless `quiet`.
 * Returns how many were added. */
static guint
add_links (GlsApplication *self,
           GlsWindow      *window,
           GPtrArray      *links,
           gboolean        quiet)
{
  GlsPeerList *peers = gls_window_get_peer_list (window);
  guint added = 0;

  for (guint i = 0; links != NULL && i < links->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *message = NULL;
      GlsPeer *peer;

      peer = gls_peer_list_add (peers, g_ptr_array_index (links, i), &error);
      if (peer == NULL)
        {
          /* Translators: %s is the reason */
          message = g_strdup_printf (_("Could not add the peer: %s"), error->message);
          toast (window, message);
          continue;
        }

      added++;
      if (quiet)
        continue;
      /* Translators: %s is a peer, "192.168.1.20:5985/board" */
      message = g_strdup_printf (_("Syncing with %s"), gls_peer_get_label (peer));
      toast (window, message);
    }

  return added;
}

static void
workspace_for_link_opened_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  OpenForLink *op = user_data;
  GlsApplication *self = op->self;
  g_autoptr(GlsWorkspace) workspace = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GError) error = NULL;
  gboolean created = FALSE;
  GlsWindow *window;

  g_hash_table_steal_extended (self->opening_links, op->name, NULL, (gpointer *) &links);
  workspace = gls_session_open_workspace_finish (GLS_SESSION (object), result, &created, &error);
  g_application_release (G_APPLICATION (self));

  if (workspace == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_workspace_error (self, error, FALSE);
      open_for_link_free (op);
      return;
    }

  window = gls_application_find_window (self, op->name);
  if (window == NULL)
    {
      GListModel *designs = gls_workspace_get_designs (workspace);

      window = new_window (self, workspace);
      if (g_list_model_get_n_items (designs) > 0)
        {
          g_autoptr(GlsDesign) newest = g_list_model_get_item (designs, 0);

          gls_window_show_design (window, newest);
        }
    }
  gtk_window_present (GTK_WINDOW (window));

  if (add_links (self, window, links, created) > 0 && created)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a workspace name */
      message = g_strdup_printf (_("New workspace “%s”: its designs appear as they arrive"),
                                 op->name);
      toast (window, message);
    }

  open_for_link_free (op);
}

/* A link the peer took (gls-link-check.h): its workspace is opened, or
 * made, and the peer added. */
static void
add_checked_link (GlsApplication *self,
                  const char     *link,
                  char           *name)
{
  g_autoptr(GPtrArray) one = NULL;
  GPtrArray *waiting;
  GlsWindow *window;
  OpenForLink *op;

  window = gls_application_find_window (self, name);
  if (window != NULL)
    {
      one = g_ptr_array_new ();
      g_ptr_array_add (one, (gpointer) link);
      gtk_window_present (GTK_WINDOW (window));
      add_links (self, window, one, FALSE);
      return;
    }

  waiting = g_hash_table_lookup (self->opening_links, name);
  if (waiting != NULL)
    {
      g_ptr_array_add (waiting, g_strdup (link));
      return;
    }

  waiting = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (waiting, g_strdup (link));
  g_hash_table_insert (self->opening_links, g_strdup (name), waiting);

  op = g_new0 (OpenForLink, 1);
  op->self = g_object_ref (self);
  op->name = g_strdup (name);

  g_application_hold (G_APPLICATION (self));
  gls_session_open_workspace_async (self->session, op->name, self->cancellable,
                                    workspace_for_link_opened_cb, op);
}

typedef struct
{
  GlsApplication *self;
  char           *link;
  char           *name;
} CheckLink;

static void
link_checked_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CheckLink *check = user_data;
  GlsApplication *self = check->self;
  g_autoptr(GError) error = NULL;

  if (gls_peer_link_check_finish (result, &error))
    add_checked_link (self, check->link, check->name);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      GlsWindow *window = gls_application_find_window (self, check->name);
      g_autofree char *message = NULL;

      /* Nothing is kept, nor made: the workspace is not created for a
       * link that does not work. */
      /* Translators: %s is the reason */
      message = g_strdup_printf (_("Could not add the peer: %s"), error->message);
      toast (window != NULL ? window : get_active_gls_window (self), message);
    }

  g_application_release (G_APPLICATION (self));
  g_object_unref (check->self);
  g_free (check->link);
  g_free (check->name);
  g_free (check);
}

/* The peer is asked first: a link it refuses, or a peer that cannot be
 * reached, is not kept, and the toast says why. */
static void
add_peer_link (GlsApplication *self,
               const char     *link)
{
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  GlsWorkspace *workspace;
  GlsWindow *window;
  CheckLink *check;

  name = gls_peer_link_dup_workspace_name (link, &error);
  if (name == NULL)
    {
      toast (get_active_gls_window (self), error->message);
      return;
    }

  check = g_new0 (CheckLink, 1);
  check->self = g_object_ref (self);
  check->link = g_strdup (link);
  check->name = g_steal_pointer (&name);
  g_application_hold (G_APPLICATION (self));
  /* Asked as this person (every workspace has the same identity), as a
   * sync asks: the peer lists us by name from the first request. */
  window = get_active_gls_window (self);
  workspace = window != NULL ? gls_window_get_workspace (window) : NULL;
  gls_peer_link_check_async (link,
                             workspace != NULL ? gls_workspace_get_did (workspace) : NULL,
                             workspace != NULL ? gls_workspace_get_display_name (workspace) : NULL,
                             self->cancellable, link_checked_cb, check);
}

static void
add_peer_action (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  add_peer_link (user_data, g_variant_get_string (param, NULL));
}

/* A notification's click: (workspace, design, thread). */
static void
show_thread_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  GlsApplication *self = user_data;
  const char *workspace_name, *design_id, *root_id;
  GlsWindow *window;

  g_variant_get (param, "(&s&s&s)", &workspace_name, &design_id, &root_id);
  window = gls_application_find_window (self, workspace_name);
  if (window == NULL)
    return;
  gtk_window_present (GTK_WINDOW (window));
  gls_window_show_thread (window, design_id, root_id);
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
  { "add-peer", add_peer_action, "s" },
  { "show-thread", show_thread_action, "(sss)" },
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

  self->settings = settings_new_if_installed ();

  {
    g_autofree char *data_dir = gls_workspace_resolve_data_dir (self->data_dir);

    self->session = gls_session_new (data_dir);
  }
  g_signal_connect_object (self->session, "save-failed", G_CALLBACK (save_failed_cb), self,
                           G_CONNECT_SWAPPED);
  /* Opening the first workspace waits for it. */
  gls_session_load_async (self->session, NULL, NULL, NULL);
  /* The main workspace, which activate or open will show, is read in a
   * worker while GTK and libadwaita start here, on the other core. */
  open_workspace (self);

  G_APPLICATION_CLASS (gls_application_parent_class)->startup (app);

  /* Once per process: tests run the application more than once. */
  if (g_once_init_enter (&name_set))
    {
      g_set_application_name (_("Glossa"));
      g_once_init_leave (&name_set, 1);
    }
  gtk_window_set_default_icon_name (APPLICATION_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.shortcuts", shortcuts_accels);
}

/* Peers stop, sharing stops, and what the session has not written yet is
 * written, blocking: nothing is left to show. */
static void
end_session (GlsApplication *self)
{
  if (self->session == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->session, self);
  gls_session_shutdown (self->session);
  gls_session_flush (self->session);
  g_clear_object (&self->session);
}

static void
gls_application_shutdown (GApplication *app)
{
  GlsApplication *self = GLS_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  end_session (self);

  G_APPLICATION_CLASS (gls_application_parent_class)->shutdown (app);
}

static void
gls_application_dispose (GObject *object)
{
  GlsApplication *self = GLS_APPLICATION (object);

  end_session (self);
  g_clear_pointer (&self->opening_links, g_hash_table_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pending_files, g_ptr_array_unref);

  G_OBJECT_CLASS (gls_application_parent_class)->dispose (object);
}

static void
gls_application_finalize (GObject *object)
{
  GlsApplication *self = GLS_APPLICATION (object);

  g_free (self->data_dir);
  g_free (self->main_name);
  g_free (self->workspace_name);

  G_OBJECT_CLASS (gls_application_parent_class)->finalize (object);
}

static void
gls_application_class_init (GlsApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  object_class->dispose = gls_application_dispose;
  object_class->finalize = gls_application_finalize;

  app_class->startup = gls_application_startup;
  app_class->shutdown = gls_application_shutdown;
  app_class->activate = gls_application_activate;
  app_class->open = gls_application_open;
  app_class->handle_local_options = gls_application_handle_local_options;

  gtk_app_class->window_added = gls_application_window_added;
  gtk_app_class->window_removed = gls_application_window_removed;
}

static void
gls_application_init (GlsApplication *self)
{
  self->cancellable = g_cancellable_new ();
  self->opening_links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) g_ptr_array_unref);

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Review designs together: pin threaded comments to images, SVG and PDF."));
}
