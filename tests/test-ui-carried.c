/* test-ui-carried.c: a newer version of an image shows the threads of
 * the earlier one that are still open, at their places scaled to it,
 * marked with whether the design changed under them.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "gls-canvas-private.h"
#include "gls-thread-row.h"
#include "gls-thread-view.h"
#include "gls-threads-panel-private.h"
#include "gls-window-private.h"
#include "gls-workspace.h"
#include "test-png.h"
#include "test-util.h"

typedef struct
{
  char            *tmpdir;
  GlsWorkspace    *workspace;
  GlsDesign       *first;
  GlsDesign       *second;
  GlsWindow       *window;
  GlsThreadsPanel *panel;
  GlsCanvas       *canvas;
  char            *on_change;   /* a region over what version 2 changes */
  char            *untouched;   /* a pin where nothing changes */
  char            *resolved;    /* resolved on version 1: stays behind */
} Fixture;

static GlsDesign *
add_file (Fixture    *f,
          const char *path,
          GlsDesign  *previous)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GlsDesign *design;

  design = gls_workspace_add_design (f->workspace, file, NULL,
                                     previous ? gls_design_get_id (previous) : NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (design);

  return design;
}

static char *
comment (Fixture           *f,
         const GlsSelector *selector,
         const char        *text)
{
  g_autoptr(GlsAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;

  annotation = gls_workspace_comment (f->workspace, gls_design_get_id (f->first), selector, text, &error);
  g_assert_no_error (error);

  return g_strdup (gls_annotation_get_id (annotation));
}

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsAnnotation) resolution = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  GlsSelector region = { GLS_SELECTOR_RECT, 0, CHANGE_X - 10, CHANGE_Y - 10, CHANGE_W + 20, CHANGE_H + 20 };
  GlsSelector pin = { GLS_SELECTOR_POINT, 0, 100, 250 };
  GlsSelector other = { GLS_SELECTOR_POINT, 0, 60, 60 };

  f->tmpdir = test_data_dir_new ("glossa-test-ui-carried-XXXXXX");
  f->workspace = gls_workspace_open (f->tmpdir, "default", &error);
  g_assert_no_error (error);

  dir = g_build_filename (f->tmpdir, "files", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  first = g_build_filename (dir, "board.png", NULL);
  second = g_build_filename (dir, "board-2.png", NULL);
  /* Version 2: edited in one area, and at twice the size. */
  test_write_version_png (first, FALSE, 1);
  test_write_version_png (second, TRUE, 2);
  f->first = add_file (f, first, NULL);
  f->second = add_file (f, second, f->first);

  f->on_change = comment (f, &region, "Make this area stand out");
  f->untouched = comment (f, &pin, "The margin is fine");
  f->resolved = comment (f, &other, "Logo too small");
  resolution = gls_workspace_set_resolved (f->workspace, f->resolved, TRUE, &error);
  g_assert_no_error (error);

  f->window = gls_window_new (NULL, f->workspace, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1400, 900);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (test_wait_for (window_mapped, f->window, 10, "the window to map"));
  f->panel = GLS_THREADS_PANEL (_gls_window_get_threads_panel (f->window));
  f->canvas = _gls_window_get_canvas (f->window);
  /* Whatever another test left in the settings. */
  gls_threads_panel_set_filter (f->panel, "open");
  gls_threads_panel_set_mine_only (f->panel, FALSE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  test_settle (50);
  g_clear_object (&f->first);
  g_clear_object (&f->second);
  g_clear_object (&f->workspace);
  g_free (f->on_change);
  g_free (f->untouched);
  g_free (f->resolved);
  test_data_dir_free (f->tmpdir);
}

static const Pin *
find_pin (Fixture    *f,
          const char *id)
{
  for (guint i = 0; i < f->canvas->pins->len; i++)
    {
      const Pin *pin = &g_array_index (f->canvas->pins, Pin, i);

      if (g_strcmp0 (pin->id, id) == 0)
        return pin;
    }

  return NULL;
}

static const Pin *
require_pin (Fixture    *f,
             const char *id)
{
  const Pin *pin = find_pin (f, id);

  if (pin == NULL)
    g_error ("No pin for %s", id);
  return pin;
}

static gboolean
visible_has (Fixture    *f,
             const char *id)
{
  GListModel *visible = gls_threads_panel_get_visible_threads (f->panel);
  guint n = g_list_model_get_n_items (visible);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsThread) thread = g_list_model_get_item (visible, i);

      if (thread != NULL && g_strcmp0 (gls_thread_get_root_id (thread), id) == 0)
        return TRUE;
    }

  return FALSE;
}

static GlsThreadRow *
find_row (GtkWidget  *widget,
          const char *root_id)
{
  if (GLS_IS_THREAD_ROW (widget))
    {
      GlsThread *thread = gls_thread_row_get_thread (GLS_THREAD_ROW (widget));

      return thread != NULL && g_strcmp0 (gls_thread_get_root_id (thread), root_id) == 0
             ? GLS_THREAD_ROW (widget) : NULL;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GlsThreadRow *row = find_row (child, root_id);

      if (row != NULL)
        return row;
    }

  return NULL;
}

/* Both carried threads compared, listed and pinned. */
static gboolean
carried_shown (gpointer data)
{
  Fixture *f = data;
  GListModel *carried = _gls_window_get_carried_threads (f->window);

  return g_strcmp0 (_gls_window_get_view (f->window), "canvas") == 0 &&
         carried != NULL && g_list_model_get_n_items (carried) == 2 &&
         find_pin (f, f->on_change) != NULL && find_pin (f, f->untouched) != NULL &&
         find_row (GTK_WIDGET (f->panel), f->on_change) != NULL &&
         find_row (GTK_WIDGET (f->panel), f->untouched) != NULL;
}

static void
show_second (Fixture *f)
{
  gls_window_show_design (f->window, f->second);
  g_assert_true (test_wait_for (carried_shown, f, 20, "the carried threads"));
  test_settle (50);
}

static void
test_carried (Fixture       *f,
              gconstpointer  data)
{
  const Pin *pin;
  GlsThreadRow *row;
  GtkWidget *changes_box;

  /* Version 1 has nothing to carry: no filter for it. */
  gls_window_show_design (f->window, f->first);
  g_assert_true (test_wait_for ((TestPredicate) window_mapped, f->window, 10, "the window"));
  test_settle (200);
  changes_box = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->panel), GLS_TYPE_THREADS_PANEL,
                                                          "changes_box"));
  g_assert_nonnull (changes_box);
  g_assert_false (gtk_widget_get_visible (changes_box));

  show_second (f);
  g_assert_true (gtk_widget_get_visible (changes_box));

  /* The region over the change: twice as far and large, outlined, v1. */
  pin = require_pin (f, f->on_change);
  g_assert_true (pin->carried);
  g_assert_cmpuint (pin->version, ==, 1);
  g_assert_cmpint (pin->selector.kind, ==, GLS_SELECTOR_RECT);
  g_assert_cmpfloat_with_epsilon (pin->selector.x, 2 * (CHANGE_X - 10), 0.01);
  g_assert_cmpfloat_with_epsilon (pin->selector.y, 2 * (CHANGE_Y - 10), 0.01);
  g_assert_cmpfloat_with_epsilon (pin->selector.width, 2 * (CHANGE_W + 20), 0.01);
  g_assert_cmpfloat_with_epsilon (pin->selector.height, 2 * (CHANGE_H + 20), 0.01);
  pin = require_pin (f, f->untouched);
  g_assert_true (pin->carried);
  g_assert_cmpint (pin->selector.kind, ==, GLS_SELECTOR_POINT);
  g_assert_cmpfloat_with_epsilon (pin->selector.x, 200, 0.01);
  g_assert_cmpfloat_with_epsilon (pin->selector.y, 500, 0.01);
  /* The resolved one stays behind, in the list and on the canvas. */
  g_assert_null (find_pin (f, f->resolved));
  gls_threads_panel_set_filter (f->panel, "all");
  test_settle (50);
  g_assert_false (visible_has (f, f->resolved));
  g_assert_null (find_pin (f, f->resolved));
  gls_threads_panel_set_filter (f->panel, "open");

  /* The rows say where the design changed, in words too. */
  row = find_row (GTK_WIDGET (f->panel), f->on_change);
  g_assert_nonnull (strstr (gls_thread_row_get_summary (row), "(version 1)"));
  g_assert_nonnull (strstr (gls_thread_row_get_summary (row), "The design changed here."));
  row = find_row (GTK_WIDGET (f->panel), f->untouched);
  g_assert_nonnull (strstr (gls_thread_row_get_summary (row), "(version 1)"));
  g_assert_nonnull (strstr (gls_thread_row_get_summary (row), "The design did not change here."));

  /* Only changed, only unchanged: the list and the pins. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), "threads.changes", "s", "changed"));
  test_settle (50);
  g_assert_cmpuint (g_list_model_get_n_items (gls_threads_panel_get_visible_threads (f->panel)), ==, 1);
  g_assert_true (visible_has (f, f->on_change));
  g_assert_nonnull (find_pin (f, f->on_change));
  g_assert_null (find_pin (f, f->untouched));

  gls_threads_panel_set_changes (f->panel, "unchanged");
  test_settle (50);
  g_assert_cmpuint (g_list_model_get_n_items (gls_threads_panel_get_visible_threads (f->panel)), ==, 1);
  g_assert_true (visible_has (f, f->untouched));
  g_assert_null (find_pin (f, f->on_change));
  g_assert_nonnull (find_pin (f, f->untouched));

  /* With the search too, the empty list says why. */
  gtk_editable_set_text (gls_threads_panel_get_search_entry (f->panel), "stand out");
  test_settle (400);
  g_assert_cmpstr (_gls_threads_panel_get_list_state (f->panel), ==, "no-results");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (_gls_threads_panel_get_no_results_page (f->panel))),
                            "unchanged"));
  gtk_editable_set_text (gls_threads_panel_get_search_entry (f->panel), "");
  test_settle (400);

  gls_threads_panel_set_changes (f->panel, "all");
  test_settle (50);
  g_assert_true (visible_has (f, f->on_change));
  g_assert_true (visible_has (f, f->untouched));
}

static gboolean
thread_view_shows (gpointer data)
{
  Fixture *f = data;
  GlsThreadView *view = GLS_THREAD_VIEW (gls_threads_panel_get_thread_view (f->panel));
  GlsThread *thread = gls_thread_view_get_thread (view);

  return gls_threads_panel_get_showing_thread (f->panel) && thread != NULL &&
         g_strcmp0 (gls_thread_get_root_id (thread), f->untouched) == 0;
}

static gboolean
change_thread_gone (gpointer data)
{
  Fixture *f = data;

  return g_list_model_get_n_items (_gls_window_get_carried_threads (f->window)) == 1 &&
         find_pin (f, f->on_change) == NULL && !visible_has (f, f->on_change);
}

static void
test_select_and_resolve (Fixture       *f,
                         gconstpointer  data)
{
  GlsThreadView *view = GLS_THREAD_VIEW (gls_threads_panel_get_thread_view (f->panel));
  const GlsThreadNote *note;
  g_autofree char *tooltip = NULL;
  double wx, wy;

  show_second (f);

  /* The carried pin, where version 2 has it: its tooltip names version 1,
   * and a click opens its thread, which says the same. */
  _gls_canvas_design_to_widget (f->canvas, 200, 500, &wx, &wy);
  g_assert_cmpstr (_gls_canvas_get_pin_at (f->canvas, wx, wy), ==, f->untouched);
  tooltip = _gls_canvas_dup_tooltip_at (f->canvas, wx, wy);
  g_assert_cmpstr (tooltip, ==, "Version 1: The margin is fine");
  _gls_canvas_pointer_press (f->canvas, wx, wy);
  _gls_canvas_pointer_release (f->canvas, wx, wy);
  test_settle (50);
  g_assert_cmpstr (gls_canvas_get_selected (f->canvas), ==, f->untouched);
  g_assert_cmpstr (gls_threads_panel_get_selected_thread (f->panel), ==, f->untouched);
  g_assert_true (test_wait_for (thread_view_shows, f, 10, "the carried thread"));
  note = gls_thread_view_get_note (view);
  g_assert_nonnull (note);
  g_assert_cmpuint (note->version, ==, 1);
  g_assert_true (note->compared);
  g_assert_cmpint (note->change, ==, GLS_CHANGE_UNCHANGED);

  /* Resolved on version 2, the other one is no longer carried. */
  _gls_window_select_thread (f->window, f->on_change, TRUE);
  test_settle (50);
  g_assert_true (gls_threads_panel_get_showing_thread (f->panel));
  g_assert_true (gls_thread_view_get_thread (view) != NULL &&
                 g_strcmp0 (gls_thread_get_root_id (gls_thread_view_get_thread (view)), f->on_change) == 0);
  note = gls_thread_view_get_note (view);
  g_assert_cmpint (note->change, ==, GLS_CHANGE_CHANGED);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "thread.toggle-resolved", NULL));
  g_assert_true (test_wait_for (change_thread_gone, f, 10, "the resolved thread to go"));
  g_assert_nonnull (find_pin (f, f->untouched));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = test_ui_home_new ("glossa-test-ui-carried-home-XXXXXX");
  int ret;

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/ui/carried/marks-and-filter", Fixture, NULL, fixture_setup, test_carried, fixture_teardown);
  g_test_add ("/ui/carried/select-and-resolve", Fixture, NULL, fixture_setup, test_select_and_resolve,
              fixture_teardown);

  ret = g_test_run ();

  test_rm_rf (home);
  return ret;
}
