/* test-ui.c: the whole window, driven like a user would.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>

#include "gls-application.h"
#include "gls-canvas-private.h"
#include "gls-designs-sidebar.h"
#include "gls-preferences-window.h"
#include "gls-welcome-dialog.h"
#include "gls-thread-view.h"
#include "gls-threads-panel.h"
#include "gls-window-private.h"
#include "gls-workspace.h"
#include "test-util.h"

typedef struct
{
  char         *tmpdir;
  GlsWorkspace *workspace;
  GSettings    *settings;
  GlsDesign    *design;
  GlsWindow    *window;
} Fixture;

static GSettings *
settings_new_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "io.github.glossa.Glossa", TRUE);

  return schema ? g_settings_new_full (schema, NULL, NULL) : NULL;
}

static gboolean
window_mapped (gpointer data)
{
  GtkWidget *canvas = GTK_WIDGET (_gls_window_get_canvas (data));

  return gtk_widget_get_mapped (GTK_WIDGET (data)) || gtk_widget_get_width (canvas) > 0;
}

static gboolean
canvas_shown (gpointer data)
{
  GlsWindow *window = data;
  GlsCanvas *canvas = _gls_window_get_canvas (window);

  return g_strcmp0 (_gls_window_get_view (window), "canvas") == 0 &&
         gtk_widget_get_mapped (GTK_WIDGET (canvas)) &&
         gtk_widget_get_width (GTK_WIDGET (canvas)) > 0 &&
         _gls_canvas_is_render_current (canvas);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = test_sample_path ("board.svg");

  f->tmpdir = test_data_dir_new ("glossa-test-ui-XXXXXX");

  f->workspace = gls_workspace_open (f->tmpdir, "default", &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->workspace);

  file = g_file_new_for_path (path);
  f->design = gls_workspace_add_design (f->workspace, file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->design);

  f->settings = settings_new_if_installed ();
  f->window = gls_window_new (NULL, f->workspace, f->settings);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1400, 900);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (test_wait_for (window_mapped, f->window, 10, "the window to map"));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{

  gtk_window_destroy (GTK_WINDOW (f->window));
  test_settle (50);
  g_clear_object (&f->design);
  g_clear_object (&f->settings);
  g_clear_object (&f->workspace);

  test_data_dir_free (f->tmpdir);
}

/* Comments through the canvas */

typedef struct
{
  GListModel *threads;
  guint       n;
} CountData;

static gboolean
has_n_threads (gpointer data)
{
  CountData *c = data;

  return g_list_model_get_n_items (c->threads) == c->n;
}

static GlsThread *
find_thread_with_kind (GListModel      *threads,
                       GlsSelectorKind  kind)
{
  guint n = g_list_model_get_n_items (threads);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsThread) thread = g_list_model_get_item (threads, i);
      const GlsSelector *selector = gls_thread_get_selector (thread);

      if (selector != NULL && selector->kind == kind)
        return g_steal_pointer (&thread);
    }

  return NULL;
}

static void
post_through_popover (GlsCanvas  *canvas,
                      const char *text)
{
  GlsCommentPopover *popover = _gls_canvas_get_comment_popover (canvas);

  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  gls_comment_popover_set_text (popover, text);
  g_assert_true (gls_comment_popover_submit (popover));
}

typedef struct
{
  GlsWorkspace    *workspace;
  GlsThreadsPanel *panel;
  const char      *root_id;
  guint         replies;
  gboolean      resolved;
} ThreadState;

static gboolean
thread_in_state (gpointer data)
{
  ThreadState *s = data;
  g_autoptr(GlsThread) thread = gls_workspace_find_thread (s->workspace, s->root_id);

  return thread != NULL &&
         gls_thread_get_reply_count (thread) == s->replies &&
         gls_thread_get_resolved (thread) == s->resolved;
}

static gboolean
thread_view_shows (gpointer data)
{
  ThreadState *s = data;
  GlsThreadsPanel *panel = s->panel;
  GlsThreadView *view = GLS_THREAD_VIEW (gls_threads_panel_get_thread_view (panel));
  GlsThread *thread = gls_thread_view_get_thread (view);

  return gls_threads_panel_get_showing_thread (panel) &&
         thread != NULL &&
         g_strcmp0 (gls_thread_get_root_id (thread), s->root_id) == 0;
}

static GdkTexture *
render_window (GlsWindow  *window,
               const char *png_path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  int width = gtk_widget_get_width (GTK_WIDGET (window));
  int height = gtk_widget_get_height (GTK_WIDGET (window));
  GdkTexture *texture;

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, png_path));

  return texture;
}

static void
texture_pixel (GdkTexture *texture,
               int         x,
               int         y,
               guint8      rgba[4])
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint8 *data = g_malloc (width * height * 4);
  guint32 pixel;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, width);
  g_assert_cmpint (y, <, height);

  /* GDK_MEMORY_DEFAULT: premultiplied ARGB in native-endian 32-bit words. */
  gdk_texture_download (texture, data, width * 4);
  memcpy (&pixel, data + (y * width + x) * 4, 4);
  rgba[3] = pixel >> 24;
  rgba[0] = (pixel >> 16) & 0xff;
  rgba[1] = (pixel >> 8) & 0xff;
  rgba[2] = pixel & 0xff;
}

static gboolean
color_close (const guint8   rgba[4],
             const GdkRGBA *color,
             int            tolerance)
{
  return ABS (rgba[0] - (int) (color->red * 255 + .5)) <= tolerance &&
         ABS (rgba[1] - (int) (color->green * 255 + .5)) <= tolerance &&
         ABS (rgba[2] - (int) (color->blue * 255 + .5)) <= tolerance;
}

static void
test_comment_reply_resolve (Fixture       *f,
                            gconstpointer  data)
{
  GlsCanvas *canvas = _gls_window_get_canvas (f->window);
  GlsThreadsPanel *panel = GLS_THREADS_PANEL (_gls_window_get_threads_panel (f->window));
  GListModel *threads = gls_workspace_get_threads (f->workspace, gls_design_get_source (f->design));
  g_autoptr(GlsThread) point = NULL;
  g_autoptr(GlsThread) rect = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *png = NULL;
  g_autofree char *root_id = NULL;
  GlsThreadView *view;
  const GlsSelector *sel;
  CountData count = { threads, 0 };
  ThreadState state = { f->workspace, panel, NULL, 0, FALSE };
  double wx, wy, wx2, wy2, x, y;
  graphene_point_t in_window;
  GdkRGBA pin_color;
  guint8 rgba[4];

  gls_window_show_design (f->window, f->design);
  g_assert_true (gls_window_get_design (f->window) == f->design);
  g_assert_true (test_wait_for (canvas_shown, f->window, 20, "the design to be shown"));
  g_assert_nonnull (gls_canvas_get_document (canvas));
  g_assert_cmpstr (gls_designs_sidebar_get_selected_design (_gls_window_get_sidebar (f->window)),
                   ==, gls_design_get_id (f->design));
  if (f->settings != NULL)
    {
      g_autofree char *last = g_settings_get_string (f->settings, "last-design");
      g_auto(GStrv) recent = g_settings_get_strv (f->settings, "recent-designs");

      g_assert_cmpstr (last, ==, gls_design_get_id (f->design));
      g_assert_cmpstr (recent[0], ==, gls_design_get_id (f->design));
    }

  /* The header toggle's action turns the canvas's comment mode on. */
  g_assert_false (gls_canvas_get_comment_mode (canvas));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.comment-mode", NULL));
  g_assert_true (gls_window_get_comment_mode (f->window));
  g_assert_true (gls_canvas_get_comment_mode (canvas));

  /* A click pins a point. */
  _gls_canvas_design_to_widget (canvas, 200, 150, &wx, &wy);
  _gls_canvas_pointer_press (canvas, wx, wy);
  _gls_canvas_pointer_release (canvas, wx, wy);
  test_settle (50);
  post_through_popover (canvas, "Is this LED the right way round?");
  count.n = 1;
  g_assert_true (test_wait_for (has_n_threads, &count, 10, "the point comment"));

  /* A drag marks a region. */
  if (!gls_canvas_get_comment_mode (canvas))
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.comment-mode", NULL));
  _gls_canvas_design_to_widget (canvas, 400, 100, &wx, &wy);
  _gls_canvas_design_to_widget (canvas, 550, 250, &wx2, &wy2);
  _gls_canvas_pointer_press (canvas, wx, wy);
  _gls_canvas_pointer_motion (canvas, (wx + wx2) / 2, (wy + wy2) / 2);
  _gls_canvas_pointer_motion (canvas, wx2, wy2);
  _gls_canvas_pointer_release (canvas, wx2, wy2);
  test_settle (50);
  post_through_popover (canvas, "The traces here are too close");
  count.n = 2;
  g_assert_true (test_wait_for (has_n_threads, &count, 10, "the region comment"));

  point = find_thread_with_kind (threads, GLS_SELECTOR_POINT);
  rect = find_thread_with_kind (threads, GLS_SELECTOR_RECT);
  g_assert_nonnull (point);
  g_assert_nonnull (rect);
  g_assert_cmpstr (gls_thread_get_text (point), ==, "Is this LED the right way round?");
  g_assert_cmpstr (gls_thread_get_text (rect), ==, "The traces here are too close");
  sel = gls_thread_get_selector (point);
  g_assert_cmpfloat_with_epsilon (sel->x, 200, 1.0);
  g_assert_cmpfloat_with_epsilon (sel->y, 150, 1.0);
  sel = gls_thread_get_selector (rect);
  g_assert_cmpfloat_with_epsilon (sel->x, 400, 1.0);
  g_assert_cmpfloat_with_epsilon (sel->y, 100, 1.0);
  g_assert_cmpfloat_with_epsilon (sel->width, 150, 1.5);
  g_assert_cmpfloat_with_epsilon (sel->height, 150, 1.5);

  /* Choosing a thread in the panel brings the canvas to its pin. */
  g_signal_emit_by_name (panel, "thread-activated", rect);
  g_assert_cmpstr (gls_canvas_get_selected (canvas), ==, gls_thread_get_root_id (rect));

  /* A click on the pin selects its thread in the panel. */
  gls_window_set_comment_mode (f->window, FALSE);
  test_settle (50);
  _gls_canvas_design_to_widget (canvas, 200, 150, &wx, &wy);
  g_assert_cmpstr (_gls_canvas_get_pin_at (canvas, wx, wy), ==, gls_thread_get_root_id (point));
  _gls_canvas_pointer_press (canvas, wx, wy);
  _gls_canvas_pointer_release (canvas, wx, wy);
  test_settle (50);
  g_assert_cmpstr (gls_canvas_get_selected (canvas), ==, gls_thread_get_root_id (point));
  g_assert_cmpstr (gls_threads_panel_get_selected_thread (panel), ==,
                   gls_thread_get_root_id (point));

  /* Reply and resolve through the thread view. */
  root_id = g_strdup (gls_thread_get_root_id (point));
  state.root_id = root_id;
  g_assert_true (test_wait_for (thread_view_shows, &state, 10, "the thread view"));
  view = GLS_THREAD_VIEW (gls_threads_panel_get_thread_view (panel));
  gtk_text_buffer_set_text (gls_thread_view_get_reply_buffer (view), "Yes: the cathode is on the left", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "thread.send-reply", NULL));
  state.replies = 1;
  g_assert_true (test_wait_for (thread_in_state, &state, 10, "the reply"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "thread.toggle-resolved", NULL));
  state.resolved = TRUE;
  g_assert_true (test_wait_for (thread_in_state, &state, 10, "the thread to be resolved"));

  /* The pin is drawn where the canvas says, in the colour of a resolved
   * thread once nothing is selected: the pins follow the threads model
   * (and the panel's filter: a resolved thread's pin shows with "All"). */
  gls_threads_panel_set_filter (panel, "all");
  _gls_window_select_thread (f->window, NULL, FALSE);
  g_assert_null (gls_canvas_get_selected (canvas));
  test_settle (200);
  g_assert_true (test_wait_for (canvas_shown, f->window, 10, "the render"));
  png = g_build_filename (f->tmpdir, "window.png", NULL);
  texture = render_window (f->window, png);
  g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));

  _gls_canvas_design_to_widget (canvas, 200, 150, &x, &y);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (canvas), GTK_WIDGET (f->window),
                                           &GRAPHENE_POINT_INIT (x, y), &in_window));
  g_clear_object (&point);
  point = gls_workspace_find_thread (f->workspace, state.root_id);
  g_assert_true (gls_thread_get_resolved (point));
  _gls_canvas_get_pin_color (canvas, TRUE, &pin_color);
  texture_pixel (texture, (int) in_window.x, (int) in_window.y, rgba);
  g_test_message ("pixel at (%d, %d): %d %d %d %d; pin colour %s", (int) in_window.x,
                  (int) in_window.y, rgba[0], rgba[1], rgba[2], rgba[3],
                  gdk_rgba_to_string (&pin_color));
  g_assert_true (color_close (rgba, &pin_color, 24));

  /* Far from any pin there is no pin colour. */
  _gls_canvas_design_to_widget (canvas, 20, 480, &x, &y);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (canvas), GTK_WIDGET (f->window),
                                           &GRAPHENE_POINT_INIT (x, y), &in_window));
  texture_pixel (texture, (int) in_window.x, (int) in_window.y, rgba);
  g_assert_false (color_close (rgba, &pin_color, 8));
}

static gboolean
view_is_error (gpointer data)
{
  return g_strcmp0 (_gls_window_get_view (data), "error") == 0;
}

static void
test_corrupt_file (Fixture       *f,
                   gconstpointer  data)
{
  static const char garbage[] = "\x89PNG\r\n\x1a\n this is not really a picture at all";
  g_autofree char *path = g_build_filename (f->tmpdir, "corrupt.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  AdwStatusPage *page;

  g_file_set_contents (path, garbage, sizeof garbage - 1, &error);
  g_assert_no_error (error);

  gls_window_open_files (f->window, &file, 1);
  g_assert_true (test_wait_for (view_is_error, f->window, 20, "the error page"));

  page = _gls_window_get_error_page (f->window);
  g_assert_nonnull (strstr (adw_status_page_get_title (page), "corrupt.png"));
  g_assert_nonnull (adw_status_page_get_description (page));
  g_assert_cmpstr (adw_status_page_get_description (page), !=, "");
  g_assert_null (_gls_window_get_document (f->window));

  /* The window still works: the good design opens again. */
  gls_window_show_design (f->window, f->design);
  g_assert_true (test_wait_for (canvas_shown, f->window, 20, "the design after the error"));
}

static void
test_restore_last_design (Fixture       *f,
                          gconstpointer  data)
{
  GlsWindow *second;

  if (f->settings == NULL)
    {
      g_test_skip ("the settings schema is not installed");
      return;
    }

  gls_window_show_design (f->window, f->design);
  g_assert_true (test_wait_for (canvas_shown, f->window, 20, "the design"));

  second = gls_window_new (NULL, f->workspace, f->settings);
  gtk_window_present (GTK_WINDOW (second));
  gls_window_restore_last_design (second);
  g_assert_nonnull (gls_window_get_design (second));
  g_assert_cmpstr (gls_design_get_id (gls_window_get_design (second)), ==,
                   gls_design_get_id (f->design));
  g_assert_true (test_wait_for (canvas_shown, second, 20, "the restored design"));
  gtk_window_destroy (GTK_WINDOW (second));
}

/* Preferences */

static gboolean
profile_saved_with (gpointer data)
{
  const char **expect = data;
  g_autoptr(GlsProfile) profile = gls_profile_load (expect[0], NULL);

  return profile != NULL &&
         g_strcmp0 (gls_profile_get_display_name (profile), expect[1]) == 0 &&
         g_strcmp0 (gls_profile_get_license (profile), expect[2]) == 0;
}

static void
test_preferences (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *prefs = gls_preferences_window_new (f->workspace);
  GlsProfile *profile = gls_workspace_get_profile (f->workspace);
  GObject *name_row, *license_row, *did_label;
  const char *expect[3] = { f->tmpdir, "Ada Reviewer", "https://creativecommons.org/publicdomain/zero/1.0/" };

  gtk_window_present (GTK_WINDOW (prefs));
  test_settle (50);

  name_row = gtk_widget_get_template_child (prefs, GLS_TYPE_PREFERENCES_WINDOW, "name_row");
  license_row = gtk_widget_get_template_child (prefs, GLS_TYPE_PREFERENCES_WINDOW, "license_row");
  did_label = gtk_widget_get_template_child (prefs, GLS_TYPE_PREFERENCES_WINDOW, "did_label");

  /* It shows what the profile and the identity hold. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==,
                   gls_profile_get_display_name (profile));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (license_row)), ==, 0);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (did_label)), ==,
                   gls_identity_get_did (gls_workspace_get_identity (f->workspace)));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (did_label)), "did:key:z6Mk"));
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (did_label)));

  /* An empty name is refused. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), "   ");
  g_signal_emit_by_name (name_row, "apply");
  g_assert_cmpstr (gls_profile_get_display_name (profile), !=, "");

  /* Edits reach the profile and the file. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Ada Reviewer");
  g_signal_emit_by_name (name_row, "apply");
  adw_combo_row_set_selected (ADW_COMBO_ROW (license_row), 2);
  g_assert_cmpstr (gls_profile_get_display_name (profile), ==, "Ada Reviewer");
  g_assert_cmpstr (gls_profile_get_license (profile), ==, expect[2]);
  g_assert_true (test_wait_for (profile_saved_with, expect, 10, "the profile file"));

  /* The copy button puts the did on the clipboard. */
  g_assert_true (gtk_widget_activate_action (prefs, "prefs.copy-did", NULL));

  gtk_window_destroy (GTK_WINDOW (prefs));
}

/* The first start: a name (never the login), the identity, then a saved
 * profile with that name. */
static void
test_welcome (Fixture       *f,
              gconstpointer  data)
{
  GlsProfile *profile = gls_workspace_get_profile (f->workspace);
  GtkWidget *dialog = gls_welcome_dialog_new (NULL, f->workspace);
  GtkEditable *name_row = g_object_get_data (G_OBJECT (dialog), "name-row");
  g_autofree char *real_name = gls_profile_guess_real_name ();
  const char *expect[3] = { f->tmpdir, "Grace Maker", GLS_DEFAULT_LICENSE };

  g_assert_true (gls_profile_is_new (profile));
  gtk_window_present (GTK_WINDOW (dialog));
  test_settle (50);

  g_assert_cmpstr (gtk_editable_get_text (name_row), ==, real_name != NULL ? real_name : "");
  g_assert_cmpstr (gtk_editable_get_text (name_row), !=, g_get_user_name ());
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "Everything you write"));

  /* No name, no start. */
  gtk_editable_set_text (name_row, "  ");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "start"));
  gtk_editable_set_text (name_row, " Grace Maker ");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "start"));

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "start");
  g_assert_cmpstr (gls_profile_get_display_name (profile), ==, "Grace Maker");
  g_assert_true (test_wait_for (profile_saved_with, expect, 10, "the profile file"));
}


/* The application: options, the workspace opened off the main thread, the
 * sample with its comments, files from the command line. */

typedef struct
{
  GlsApplication *app;
  const char     *want_view;
  guint           want_threads;
  gboolean        done;
  char           *design_name;
  char           *error_title;
  guint           n_threads;
  gint64          deadline;
} AppRun;

static gboolean
app_check_cb (gpointer data)
{
  AppRun *run = data;
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (run->app));
  GlsWindow *window = GLS_IS_WINDOW (active) ? GLS_WINDOW (active) : NULL;

  if (window != NULL && g_strcmp0 (_gls_window_get_view (window), run->want_view) == 0)
    {
      GlsDesign *design = gls_window_get_design (window);
      GListModel *threads = NULL;

      if (design != NULL)
        threads = gls_workspace_get_threads (gls_window_get_workspace (window),
                                             gls_design_get_source (design));
      run->n_threads = threads ? g_list_model_get_n_items (threads) : 0;
      if (run->n_threads >= run->want_threads)
        {
          run->done = TRUE;
          run->design_name = design ? g_strdup (gls_design_get_name (design)) : NULL;
          run->error_title = g_strdup (adw_status_page_get_title (_gls_window_get_error_page (window)));
        }
    }

  if (run->done || g_get_monotonic_time () > run->deadline)
    {
      g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static AppRun *
run_application (const char * const *args,
                 const char         *want_view,
                 guint               want_threads)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  AppRun *run = g_new0 (AppRun, 1);
  int status;

  g_ptr_array_add (argv, (char *) "glossa");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  run->app = gls_application_new ("io.github.glossa.Glossa.Test",
                                  G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  run->want_view = want_view;
  run->want_threads = want_threads;
  run->deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  g_timeout_add (50, app_check_cb, run);

  status = g_application_run (G_APPLICATION (run->app), argv->len - 1, (char **) argv->pdata);
  g_assert_cmpint (status, ==, 0);
  g_clear_object (&run->app);

  return run;
}

static void
app_run_free (AppRun *run)
{
  g_free (run->design_name);
  g_free (run->error_title);
  g_free (run);
}

static void
test_application_sample (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glossa-test-app-XXXXXX", NULL);
  const char *args[] = { "--data-dir", dir, "--sample", NULL };
  AppRun *run;

  /* The sample comes with its comments, imported into the new workspace. */
  run = run_application (args, "canvas", 1);
  g_assert_true (run->done);
  g_assert_cmpstr (run->design_name, ==, "board.svg");
  g_assert_cmpuint (run->n_threads, >=, 1);
  app_run_free (run);

  /* Once is enough: a second start shows the same design, comments not doubled. */
  {
    g_autoptr(GlsWorkspace) ws = gls_workspace_open (dir, "default", NULL);
    guint n_designs = g_list_model_get_n_items (gls_workspace_get_designs (ws));
    guint n_threads;

    /* The board, the assembly guide and its translation. */
    g_assert_cmpuint (n_designs, ==, 3);
    run = run_application (args, "canvas", 1);
    g_assert_true (run->done);
    n_threads = run->n_threads;
    app_run_free (run);
    g_clear_object (&ws);
    ws = gls_workspace_open (dir, "default", NULL);
    g_assert_cmpuint (g_list_model_get_n_items (gls_workspace_get_designs (ws)), ==, 3);
    g_assert_cmpuint (n_threads, >=, 1);
  }

  test_rm_rf (dir);
}

static void
test_application_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glossa-test-app-XXXXXX", NULL);
  g_autofree char *corrupt = g_build_filename (dir, "broken.pdf", NULL);
  g_autofree char *svg = test_sample_path ("board.svg");
  const char *good[] = { "--data-dir", dir, "--workspace", "review", svg, NULL };
  const char *bad[] = { "--data-dir", dir, corrupt, NULL };
  g_autofree char *ws_file = NULL;
  AppRun *run;

  run = run_application (good, "canvas", 0);
  g_assert_true (run->done);
  g_assert_cmpstr (run->design_name, ==, "board.svg");
  app_run_free (run);

  /* --workspace NAME opened (made) that workspace. */
  {
    g_auto(GStrv) names = gls_workspace_list_names (dir, NULL);

    g_assert_nonnull (names);
    g_assert_true (g_strv_contains ((const char * const *) names, "review"));
  }

  /* A damaged file: an error page naming it, no crash. */
  g_assert_true (g_file_set_contents (corrupt, "%PDF-1.7\n garbage", -1, NULL));
  run = run_application (bad, "error", 0);
  g_assert_true (run->done);
  g_assert_nonnull (strstr (run->error_title, "broken.pdf"));
  app_run_free (run);

  test_rm_rf (dir);
}

static void
test_shortcuts_window (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_PATH "/help-overlay.ui");
  GObject *window = gtk_builder_get_object (builder, "help_overlay");

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (window));
  /* Shown, so that layout warnings (which are fatal here) surface. */
  gtk_window_present (GTK_WINDOW (window));
  test_settle (300);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("glossa-test-ui-home-XXXXXX", NULL);
  int ret;

  /* GtkRecentManager and friends must not touch the real user's files. */
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* No session bus under xvfb-run: no accessibility bus either. */
  g_setenv ("GTK_A11Y", "none", TRUE);

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/ui/window/comment-reply-resolve", Fixture, NULL,
              fixture_setup, test_comment_reply_resolve, fixture_teardown);
  g_test_add ("/ui/window/corrupt-file", Fixture, NULL,
              fixture_setup, test_corrupt_file, fixture_teardown);
  g_test_add ("/ui/window/restore-last-design", Fixture, NULL,
              fixture_setup, test_restore_last_design, fixture_teardown);
  g_test_add ("/ui/preferences/profile", Fixture, NULL,
              fixture_setup, test_preferences, fixture_teardown);
  g_test_add ("/ui/welcome", Fixture, NULL,
              fixture_setup, test_welcome, fixture_teardown);
  g_test_add_func ("/ui/application/sample", test_application_sample);
  g_test_add_func ("/ui/application/files", test_application_files);
  g_test_add_func ("/ui/shortcuts-window", test_shortcuts_window);

  ret = g_test_run ();
  test_rm_rf (home);

  return ret;
}
