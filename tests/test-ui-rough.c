/* test-ui-rough.c: more rough edges a new user meets — the window at
 * 360 px wide, pins that overlap clustered, commenting from the keyboard
 * with a cross-hair, shortcuts in a thread, Preferences' licence names,
 * and a workspace's name.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "gls-canvas-private.h"
#include "gls-thread-view.h"
#include "gls-threads-panel-private.h"
#include "gls-window-private.h"
#include "gls-workspace.h"
#include "gls-mention-completion.h"
#include "test-util.h"

typedef struct
{
  char         *tmpdir;
  GlsWorkspace *workspace;
  GlsDesign    *design;
  GlsDesign    *other;
  GlsWindow    *window;
  GlsCanvas    *canvas;
  GlsThreadsPanel *panel;
  GListModel   *threads;
} Fixture;

static gboolean
canvas_shown (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (_gls_window_get_view (f->window), "canvas") == 0 &&
         gtk_widget_get_mapped (GTK_WIDGET (f->canvas)) &&
         gtk_widget_get_width (GTK_WIDGET (f->canvas)) > 0 &&
         _gls_canvas_is_render_current (f->canvas);
}

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static GtkWidget *
focus_widget (Fixture *f)
{
  return gtk_root_get_focus (GTK_ROOT (f->window));
}

/* The search entry never takes the focus by itself. */
static gboolean
focus_in_search (Fixture *f)
{
  GtkWidget *entry = GTK_WIDGET (gls_threads_panel_get_search_entry (f->panel));
  GtkWidget *focus = focus_widget (f);

  return focus != NULL && (focus == entry || gtk_widget_is_ancestor (focus, entry));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->tmpdir = test_data_dir_new ("glossa-test-ui-rough-XXXXXX");
  f->workspace = test_workspace_open (f->tmpdir, "default");
  f->design = test_workspace_add_sample (f->workspace, "board.png");
  f->other = test_workspace_add_sample (f->workspace, "board.svg");

  f->window = gls_window_new (NULL, f->workspace, NULL);
  f->canvas = _gls_window_get_canvas (f->window);
  f->panel = GLS_THREADS_PANEL (_gls_window_get_threads_panel (f->window));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1400, 900);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (test_wait_for (window_mapped, f->window, 10, "the window to map"));

  gls_window_show_design (f->window, f->design);
  g_assert_true (test_wait_for (canvas_shown, f, 20, "the design to be shown"));
  f->threads = gls_workspace_get_threads (f->workspace, gls_design_get_source (f->design));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  test_settle (50);
  g_clear_object (&f->threads);
  g_clear_object (&f->design);
  g_clear_object (&f->other);
  g_clear_object (&f->workspace);
  test_data_dir_free (f->tmpdir);
}

static gboolean
trigger_matches (GtkShortcutTrigger *trigger,
                 GtkShortcutTrigger *wanted)
{
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    return trigger_matches (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), wanted) ||
           trigger_matches (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), wanted);

  return gtk_shortcut_trigger_equal (trigger, wanted);
}

/* GTK 4 cannot inject key events: run the shortcuts a key press on the
 * focus widget would reach, from it up to the window, as GTK would (the
 * first that handles it wins). */
static gboolean
press_key (Fixture    *f,
           const char *accelerator)
{
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (accelerator);
  GtkWidget *start = focus_widget (f);

  g_assert_nonnull (wanted);
  if (start == NULL)
    start = GTK_WIDGET (f->window);

  for (GtkWidget *w = start; w != NULL; w = gtk_widget_get_parent (w))
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (w);

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

          if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
            continue;

          for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
            {
              g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

              if (trigger_matches (gtk_shortcut_get_trigger (shortcut), wanted) &&
                  gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                                w,
                                                gtk_shortcut_get_arguments (shortcut)))
                return TRUE;
            }
        }
    }

  return FALSE;
}

typedef struct
{
  GListModel *model;
  guint       n;
} CountData;

static gboolean
has_n_items (gpointer data)
{
  CountData *c = data;

  return g_list_model_get_n_items (c->model) == c->n;
}

static GlsAnnotation *
comment (Fixture    *f,
         double      x,
         double      y,
         const char *text)
{
  GlsSelector selector = { GLS_SELECTOR_POINT, 0, x, y, 0, 0 };
  g_autoptr(GError) error = NULL;
  GlsAnnotation *annotation;
  CountData count = { f->threads, g_list_model_get_n_items (f->threads) + 1 };

  annotation = gls_workspace_comment (f->workspace, gls_design_get_id (f->design),
                                      &selector, text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (annotation);
  g_assert_true (test_wait_for (has_n_items, &count, 10, "the thread"));

  return annotation;
}

static gboolean
window_is_width (gpointer data)
{
  Fixture *f = ((gpointer *) data)[0];
  int width = GPOINTER_TO_INT (((gpointer *) data)[1]);

  /* The default size counts the frame's shadow too. */
  return ABS (gtk_widget_get_width (GTK_WIDGET (f->window)) - width) <= 12;
}

static gboolean
flap_revealed (gpointer data)
{
  return adw_flap_get_reveal_progress (data) >= 1.0;
}

static gboolean
flap_hidden (gpointer data)
{
  return adw_flap_get_reveal_progress (data) <= 0.0;
}

static void
resize (Fixture *f,
        int      width)
{
  gpointer data[2] = { f, GINT_TO_POINTER (width) };


  gtk_window_set_default_size (GTK_WINDOW (f->window), width, 700);
  if (!test_wait_for (window_is_width, data, 10, "the window to resize"))
    g_error ("the window is %d wide, not %d", gtk_widget_get_width (GTK_WIDGET (f->window)), width);
  test_settle (200);
}

/* Every widget of the header bar lies within it: nothing is cut off. */
static void
assert_header_fits (Fixture *f)
{
  GtkWidget *header = gtk_widget_get_first_child (adw_toast_overlay_get_child (f->window->toast_overlay));
  int min = 0;

  gtk_widget_measure (header, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  g_assert_true (ADW_IS_HEADER_BAR (header));
  g_assert_cmpint (min, <=, gtk_widget_get_width (GTK_WIDGET (f->window)));
}

static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  GtkWidget *threads_bin = GTK_WIDGET (f->window->threads_bin);
  GtkWidget *canvas_widget = GTK_WIDGET (f->canvas);
  int min = 0, canvas_width;

  /* Wide: the panel is beside the design. */
  g_assert_false (_gls_window_get_threads_folded (f->window));
  g_assert_true (test_wait_for (window_mapped, threads_bin, 10, "the threads panel"));
  g_assert_false (_gls_window_get_narrow (f->window));

  /* The design's side of the window asks for no more than 360 px, nor
   * does the window add to what the threads panel asks for. */
  gtk_widget_measure (GTK_WIDGET (f->window->view_stack), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  g_assert_cmpint (min, <=, 360);
  /* Wide, the header bar's minimum is below where it turns narrow. */
  {
    GtkWidget *header = gtk_widget_get_first_child (adw_toast_overlay_get_child (f->window->toast_overlay));

    gtk_widget_measure (header, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
    g_assert_cmpint (min, <, 600);
  }

  /* Below 800 px: the panel is an overlay, hidden until asked for. */
  resize (f, 760);
  g_assert_true (_gls_window_get_threads_folded (f->window));
  g_assert_false (adw_flap_get_reveal_flap (f->window->threads_flap));
  g_assert_false (gtk_toggle_button_get_active (f->window->threads_button));
  g_assert_false (adw_flap_get_reveal_flap (f->window->flap));
  g_assert_true (test_wait_for (flap_hidden, f->window->flap, 10, "the designs sidebar to fold"));
  test_settle (100);
  canvas_width = gtk_widget_get_width (canvas_widget);
  g_assert_cmpint (canvas_width, >=, 690);
  assert_header_fits (f);

  /* F10 (the threads button) brings it over the design, which keeps its width. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.toggle-threads", NULL));
  g_assert_true (test_wait_for (window_mapped, threads_bin, 10, "the overlay"));
  g_assert_true (test_wait_for (flap_revealed, f->window->threads_flap, 10, "the overlay to slide in"));
  test_settle (100);
  g_assert_cmpint (gtk_widget_get_width (canvas_widget), ==, canvas_width);
  g_assert_cmpint (gtk_widget_get_width (threads_bin), >=, 300);

  /* As narrow as it goes: everything in the header bar still fits, in
   * 360 px, and the design has the window's whole width. The window adds
   * nothing to what the threads panel itself asks for. */
  resize (f, 580);
  g_assert_true (_gls_window_get_narrow (f->window));
  {
    int panel_min = 0;

    gtk_widget_measure (threads_bin, GTK_ORIENTATION_HORIZONTAL, -1, &panel_min, NULL, NULL, NULL);
    gtk_widget_measure (GTK_WIDGET (f->window), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
    /* (and its frame) */
    g_assert_cmpint (min, <=, MAX (360, panel_min) + 12);
  }
  resize (f, MAX (360, min));
  g_assert_true (_gls_window_get_narrow (f->window));
  assert_header_fits (f);
  {
    GtkWidget *header = gtk_widget_get_first_child (adw_toast_overlay_get_child (f->window->toast_overlay));

    gtk_widget_measure (header, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
    g_assert_cmpint (min, <=, 360);
  }
  g_assert_cmpint (gtk_widget_get_width (canvas_widget), ==, gtk_widget_get_width (GTK_WIDGET (f->window)));

  /* Wide again: all back, the panel beside the design. */
  resize (f, 1200);
  g_assert_false (_gls_window_get_narrow (f->window));
  g_assert_false (_gls_window_get_threads_folded (f->window));
  g_assert_true (gtk_widget_get_mapped (threads_bin));
  g_assert_cmpint (gtk_widget_get_width (canvas_widget), <, 1200 - 300);
}

int
main (int   argc,
      char *argv[])
{
  /* No accessibility bus under Xvfb: GTK would warn, and warnings are fatal. */
  g_setenv ("GTK_A11Y", "none", TRUE);

  g_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/ui/rough/narrow", Fixture, NULL, fixture_setup, test_narrow, fixture_teardown);

  return g_test_run ();
}
