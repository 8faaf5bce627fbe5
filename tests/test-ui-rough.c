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

#include <string.h>

#include <adwaita.h>

#include "gls-canvas-private.h"
#include "gls-comment-row.h"
#include "gls-preferences-window.h"
#include "gls-thread-view.h"
#include "gls-threads-panel-private.h"
#include "gls-window-private.h"
#include "gls-workspace.h"
#include "gls-mention-completion.h"
#include "test-ui-window.h"
#include "test-util.h"

static GlsCommentRow *
find_comment_row (GtkWidget *widget)
{
  if (GLS_IS_COMMENT_ROW (widget))
    return GLS_COMMENT_ROW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GlsCommentRow *row = find_comment_row (child);

      if (row != NULL)
        return row;
    }
  return NULL;
}

typedef struct
{
  GlsWorkspace *workspace;
  const char   *id;
  gboolean      resolved;
} ResolvedData;

static gboolean
thread_resolved_is (gpointer data)
{
  ResolvedData *r = data;
  g_autoptr(GlsThread) thread = gls_workspace_find_thread (r->workspace, r->id);

  return thread != NULL && !!gls_thread_get_resolved (thread) == r->resolved;
}

static gboolean
has_message_dialog (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          *(GtkWindow **) data = window;
          return TRUE;
        }
    }
  return FALSE;
}

/* Resolve, edit and delete from the keyboard, in the thread and from the
 * canvas. */
static void
test_thread_keys (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GlsAnnotation) mine = comment (f, 200, 150, "Is this LED reversed?");
  const char *id = gls_annotation_get_id (mine);
  ResolvedData resolved = { f->workspace, id, TRUE };
  GtkWidget *thread_view = gls_threads_panel_get_thread_view (f->panel);
  GlsCommentRow *row;
  GtkWindow *dialog = NULL;

  choose_thread (f, id);
  test_settle (100);

  /* From the canvas: Ctrl+R resolves, again reopens. */
  gtk_widget_grab_focus (GTK_WIDGET (f->canvas));
  g_assert_true (press_key (f, "<Control>r"));
  g_assert_true (test_wait_for (thread_resolved_is, &resolved, 10, "the thread to be resolved"));
  g_assert_true (gls_threads_panel_get_showing_thread (f->panel));
  resolved.resolved = FALSE;
  test_settle (100);
  g_assert_true (press_key (f, "<Control>r"));
  g_assert_true (test_wait_for (thread_resolved_is, &resolved, 10, "the thread to be reopened"));

  /* In the thread: Ctrl+E edits my comment. */
  row = find_comment_row (thread_view);
  g_assert_nonnull (row);
  g_assert_false (gls_comment_row_get_editing (row));
  gtk_widget_grab_focus (thread_view);
  g_assert_true (press_key (f, "<Control>e"));
  g_assert_true (gls_comment_row_get_editing (row));
  gls_comment_row_stop_editing (row);

  /* Ctrl+Delete asks before deleting it. */
  gtk_widget_grab_focus (GTK_WIDGET (f->canvas));
  g_assert_true (press_key (f, "<Control>Delete"));
  g_assert_true (test_wait_for (has_message_dialog, &dialog, 10, "Delete Comment?"));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Delete Comment?");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  test_settle (100);
  {
    g_autoptr(GlsThread) thread = gls_workspace_find_thread (f->workspace, id);

    g_assert_nonnull (thread);
  }
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

  /* Ctrl+F9 (the threads button) brings it over the design, which keeps its width. */
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
    /* (and its frame): the panel too fits in 360 px. */
    g_assert_cmpint (panel_min, <=, 348);
    g_assert_cmpint (min, <=, 360 + 12);
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

/* Three pins within a badge of each other at a low zoom: one cluster. */
static void
test_clusters (Fixture       *f,
               gconstpointer  data)
{
  GlsCanvasPin pins[] = {
    { "urn:uuid:a", 1, { GLS_SELECTOR_POINT, 0, 100, 100, 0, 0 }, FALSE, "Is this LED reversed?" },
    { "urn:uuid:b", 2, { GLS_SELECTOR_POINT, 0, 103, 101, 0, 0 }, TRUE, "Flip D1" },
    { "urn:uuid:c", 3, { GLS_SELECTOR_POINT, 0, 130, 100, 0, 0 }, FALSE, NULL },
    { "urn:uuid:d", 4, { GLS_SELECTOR_POINT, 0, 400, 300, 0, 0 }, FALSE, "Far away" },
  };
  g_autofree char *tooltip = NULL;
  double x, y, zoom;

  gls_canvas_set_pins (f->canvas, pins, G_N_ELEMENTS (pins));
  gls_canvas_set_zoom (f->canvas, 0.5);
  _gls_canvas_set_center (f->canvas, 100, 100);
  test_settle (50);

  /* One cluster of three, drawn at the first pin; the far pin alone. */
  g_assert_cmpuint (_gls_canvas_get_n_clusters (f->canvas), ==, 1);
  _gls_canvas_design_to_widget (f->canvas, 100, 100, &x, &y);
  g_assert_cmpuint (_gls_canvas_get_cluster_size_at (f->canvas, x, y), ==, 3);
  _gls_canvas_design_to_widget (f->canvas, 400, 300, &x, &y);
  g_assert_cmpuint (_gls_canvas_get_cluster_size_at (f->canvas, x, y), ==, 0);
  g_assert_cmpstr (_gls_canvas_get_pin_at (f->canvas, x, y), ==, "urn:uuid:d");

  /* Its tooltip names the threads in it. */
  _gls_canvas_design_to_widget (f->canvas, 100, 100, &x, &y);
  tooltip = _gls_canvas_dup_tooltip_at (f->canvas, x, y);
  g_assert_nonnull (strstr (tooltip, "3 comments"));
  g_assert_nonnull (strstr (tooltip, "Is this LED reversed?"));
  g_assert_nonnull (strstr (tooltip, "Flip D1"));
  g_assert_nonnull (strstr (tooltip, "Comment 3"));
  g_assert_null (strstr (tooltip, "Far away"));

  /* A click zooms in until they stand apart, each its own pin. */
  zoom = gls_canvas_get_zoom (f->canvas);
  _gls_canvas_pointer_press (f->canvas, x, y);
  _gls_canvas_pointer_release (f->canvas, x, y);
  g_assert_cmpfloat (gls_canvas_get_zoom (f->canvas), >, zoom);
  g_assert_null (gls_canvas_get_selected (f->canvas));
  g_assert_cmpuint (_gls_canvas_get_n_clusters (f->canvas), ==, 0);
  for (guint i = 0; i < 3; i++)
    {
      _gls_canvas_design_to_widget (f->canvas, pins[i].selector.x, pins[i].selector.y, &x, &y);
      g_assert_cmpstr (_gls_canvas_get_pin_at (f->canvas, x, y), ==, pins[i].id);
    }

  /* Zoomed out again, a thread chosen from the keyboard (the list) stands
   * apart from the cluster, selected: every thread stays reachable. */
  gls_canvas_set_zoom (f->canvas, 0.5);
  _gls_canvas_set_center (f->canvas, 100, 100);
  g_assert_cmpuint (_gls_canvas_get_n_clusters (f->canvas), ==, 1);
  gls_canvas_set_selected (f->canvas, "urn:uuid:c");
  _gls_canvas_design_to_widget (f->canvas, 100, 100, &x, &y);
  g_assert_cmpuint (_gls_canvas_get_cluster_size_at (f->canvas, x - 8, y), ==, 2);
  _gls_canvas_design_to_widget (f->canvas, 130, 100, &x, &y);
  g_assert_cmpstr (_gls_canvas_get_pin_at (f->canvas, x, y), ==, "urn:uuid:c");

  /* Pins on one spot: no zoom parts them, so a click opens the first. */
  gls_canvas_set_selected (f->canvas, NULL);
  pins[1].selector.x = pins[2].selector.x = 100;
  pins[1].selector.y = pins[2].selector.y = 100;
  gls_canvas_set_pins (f->canvas, pins, G_N_ELEMENTS (pins));
  _gls_canvas_design_to_widget (f->canvas, 100, 100, &x, &y);
  g_assert_cmpuint (_gls_canvas_get_cluster_size_at (f->canvas, x, y), ==, 3);
  _gls_canvas_pointer_press (f->canvas, x, y);
  _gls_canvas_pointer_release (f->canvas, x, y);
  g_assert_cmpstr (gls_canvas_get_selected (f->canvas), ==, "urn:uuid:a");
  g_assert_cmpuint (_gls_canvas_get_n_clusters (f->canvas), ==, 1);
  g_assert_cmpstr (_gls_canvas_get_pin_at (f->canvas, x, y), ==, "urn:uuid:a");
}

/* Comment mode from the keyboard: the cross-hair, arrows, Shift+arrows,
 * Enter. */
static void
test_crosshair (Fixture       *f,
                gconstpointer  data)
{
  GlsSelector where, pending;
  double zoom;

  gtk_widget_grab_focus (GTK_WIDGET (f->canvas));
  g_assert_false (_gls_canvas_crosshair_visible (f->canvas));
  g_assert_true (press_key (f, "c"));
  g_assert_true (gls_window_get_comment_mode (f->window));
  g_assert_true (_gls_canvas_crosshair_visible (f->canvas));

  /* At the centre of the view until moved. */
  _gls_canvas_get_crosshair (f->canvas, &where);
  g_assert_cmpint (where.kind, ==, GLS_SELECTOR_POINT);
  {
    double cx, cy;

    _gls_canvas_get_center (f->canvas, &cx, &cy);
    g_assert_cmpfloat_with_epsilon (where.x, cx, 1e-6);
    g_assert_cmpfloat_with_epsilon (where.y, cy, 1e-6);
  }

  /* Arrows move it by 10 px on screen, Ctrl+arrows by 50. */
  zoom = gls_canvas_get_zoom (f->canvas);
  g_assert_true (press_key (f, "Right"));
  g_assert_true (press_key (f, "Down"));
  g_assert_true (press_key (f, "<Control>Right"));
  {
    GlsSelector moved;

    _gls_canvas_get_crosshair (f->canvas, &moved);
    g_assert_cmpfloat_with_epsilon (moved.x, where.x + 60 / zoom, 1e-6);
    g_assert_cmpfloat_with_epsilon (moved.y, where.y + 10 / zoom, 1e-6);
    where = moved;
  }

  /* Shift+arrows grow a region from it, and shrink it back to a point. */
  g_assert_true (press_key (f, "<Shift>Right"));
  g_assert_true (press_key (f, "<Shift>Right"));
  g_assert_true (press_key (f, "<Shift>Down"));
  {
    GlsSelector region;

    _gls_canvas_get_crosshair (f->canvas, &region);
    g_assert_cmpint (region.kind, ==, GLS_SELECTOR_RECT);
    g_assert_cmpfloat_with_epsilon (region.x, where.x, 1e-6);
    g_assert_cmpfloat_with_epsilon (region.width, 20 / zoom, 1e-6);
    g_assert_cmpfloat_with_epsilon (region.height, 20 / zoom, 1e-6);
    where = region;
  }

  /* Enter opens the composer on that region; the cross-hair hides. */
  g_assert_true (press_key (f, "Return"));
  g_assert_true (_gls_canvas_get_pending (f->canvas, &pending));
  g_assert_cmpint (pending.kind, ==, GLS_SELECTOR_RECT);
  g_assert_cmpfloat_with_epsilon (pending.x, where.x, 1e-6);
  g_assert_cmpfloat_with_epsilon (pending.width, where.width, 1e-6);
  g_assert_false (_gls_canvas_crosshair_visible (f->canvas));
  gls_comment_popover_cancel (_gls_canvas_get_comment_popover (f->canvas));

  /* Out of comment mode arrows pan again, and no cross-hair shows. */
  gls_window_set_comment_mode (f->window, FALSE);
  g_assert_false (_gls_canvas_crosshair_visible (f->canvas));
}

static void
collect_labels (GtkWidget  *widget,
                const char *text,
                GPtrArray  *found)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, text, found);
}

/* Preferences at 360 px: the longest licence name is shown whole. */
static void
test_preferences_licence (Fixture       *f,
                          gconstpointer  data)
{
  GtkWidget *prefs = gls_preferences_window_new (f->workspace);
  AdwComboRow *row = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  const char *name = NULL;
  GListModel *model;
  guint longest = 0;

  gtk_window_set_default_size (GTK_WINDOW (prefs), 360, 600);
  gtk_window_present (GTK_WINDOW (prefs));
  g_assert_true (test_wait_for (window_mapped, prefs, 10, "Preferences"));

  /* The row of licences, and the longest name it offers. */
  {
    GtkWidget *stack[256];
    int n = 0;

    stack[n++] = prefs;
    while (n > 0 && row == NULL)
      {
        GtkWidget *w = stack[--n];

        if (ADW_IS_COMBO_ROW (w))
          row = ADW_COMBO_ROW (w);
        for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL && n < 256; c = gtk_widget_get_next_sibling (c))
          stack[n++] = c;
      }
  }
  g_assert_nonnull (row);
  model = adw_combo_row_get_model (row);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);
      const char *text = gtk_string_object_get_string (item);

      if (name == NULL || strlen (text) > strlen (name))
        {
          name = text;
          longest = i;
        }
    }
  g_assert_nonnull (name);
  adw_combo_row_set_selected (row, longest);
  test_settle (200);

  /* Shown whole on the row: no label with the name is ellipsized. */
  collect_labels (prefs, name, labels);
  g_assert_cmpuint (labels->len, >, 0);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);

      if (!gtk_widget_get_mapped (GTK_WIDGET (label)))
        continue;
      g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (label)));
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (label)), <=, gtk_widget_get_width (prefs));
      g_ptr_array_add (rows, label);
    }
  g_assert_cmpuint (rows->len, >, 0);

  gtk_window_destroy (GTK_WINDOW (prefs));
  test_settle (50);
}

/* The window never shows the database's name "default". */
static void
test_workspace_title (Fixture       *f,
                       gconstpointer  data)
{
  g_assert_cmpstr (gls_workspace_get_name (f->workspace), ==, "default");
  g_assert_cmpstr (adw_window_title_get_subtitle (f->window->window_title), ==, "My Workspace");
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
  g_test_add ("/ui/rough/clusters", Fixture, NULL, fixture_setup, test_clusters, fixture_teardown);
  g_test_add ("/ui/rough/crosshair", Fixture, NULL, fixture_setup, test_crosshair, fixture_teardown);
  g_test_add ("/ui/rough/thread-keys", Fixture, NULL, fixture_setup, test_thread_keys, fixture_teardown);
  g_test_add ("/ui/rough/workspace-title", Fixture, NULL, fixture_setup, test_workspace_title, fixture_teardown);
  g_test_add ("/ui/rough/preferences-licence", Fixture, NULL, fixture_setup, test_preferences_licence, fixture_teardown);

  return g_test_run ();
}
