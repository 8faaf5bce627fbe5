/* test-ui-compare.c: Compare Versions in the window: side by side, onion
 * skin and difference, linked zoom, pan and pages.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <glib/gstdio.h>
#include <adwaita.h>
#include <cairo-pdf.h>

#include "gls-canvas-private.h"
#include "gls-compare-view.h"
#include "gls-window-private.h"
#include "gls-workspace.h"
#include "test-png.h"
#include "test-util.h"

/* The change between the versions, in the first version's pixels. */

typedef struct
{
  char         *tmpdir;
  GlsWorkspace *workspace;
  GlsDesign    *first;
  GlsDesign    *second;
  GlsWindow    *window;
} Fixture;

static void
write_pdf (const char *path,
           guint       n_pages)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 300, 200);
  cairo_t *cr = cairo_create (surface);

  for (guint i = 0; i < n_pages; i++)
    {
      cairo_set_source_rgb (cr, 0.1 * i, 0.3, 0.6);
      cairo_rectangle (cr, 20 + 30 * i, 20, 60, 60);
      cairo_fill (cr);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

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
  if (previous != NULL)
    g_assert_cmpstr (gls_design_get_based_on (design), ==, gls_design_get_id (previous));

  return design;
}

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
canvas_shown (gpointer data)
{
  GlsWindow *window = data;
  GlsCanvas *canvas = _gls_window_get_canvas (window);

  return g_strcmp0 (_gls_window_get_view (window), "canvas") == 0 &&
         gtk_widget_get_width (GTK_WIDGET (canvas)) > 0 &&
         _gls_canvas_is_render_current (canvas);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  gboolean pdf = GPOINTER_TO_INT (data);

  f->tmpdir = test_data_dir_new ("glossa-test-ui-compare-XXXXXX");
  f->workspace = gls_workspace_open (f->tmpdir, "default", &error);
  g_assert_no_error (error);

  dir = g_build_filename (f->tmpdir, "files", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  first = g_build_filename (dir, pdf ? "v1.pdf" : "v1.png", NULL);
  second = g_build_filename (dir, pdf ? "v2.pdf" : "v2.png", NULL);
  if (pdf)
    {
      write_pdf (first, 2);
      write_pdf (second, 3);
    }
  else
    {
      test_write_version_png (first, FALSE, 1);
      test_write_version_png (second, TRUE, 1);
    }
  f->first = add_file (f, first, NULL);
  f->second = add_file (f, second, f->first);

  f->window = gls_window_new (NULL, f->workspace, NULL);
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
  g_clear_object (&f->first);
  g_clear_object (&f->second);
  g_clear_object (&f->workspace);
  test_data_dir_free (f->tmpdir);
}

static void
show (Fixture   *f,
      GlsDesign *design)
{
  gls_window_show_design (f->window, design);
  g_assert_true (test_wait_for (canvas_shown, f->window, 10, "the design to show"));
}

static GtkWidget *
compare_button (Fixture *f)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->window), GLS_TYPE_WINDOW,
                                                    "compare_button"));
}

static gboolean
side_ready (GlsCanvas *canvas)
{
  return !gtk_widget_get_visible (GTK_WIDGET (canvas)) ||
         (gtk_widget_get_width (GTK_WIDGET (canvas)) > 0 && _gls_canvas_is_render_current (canvas));
}

static gboolean
compare_shown (gpointer data)
{
  GlsWindow *window = data;
  GlsCompareView *view = _gls_window_get_compare_view (window);

  return view != NULL && g_strcmp0 (_gls_window_get_view (window), "compare") == 0 &&
         gls_canvas_get_document (_gls_compare_view_get_canvas (view, FALSE)) != NULL &&
         gtk_widget_get_mapped (GTK_WIDGET (view)) &&
         side_ready (_gls_compare_view_get_canvas (view, FALSE)) &&
         side_ready (_gls_compare_view_get_canvas (view, TRUE));
}

static GlsCompareView *
open_compare (Fixture *f)
{
  GlsCompareView *view;

  g_assert_true (gtk_widget_get_visible (compare_button (f)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.compare", NULL));
  g_assert_true (test_wait_for (compare_shown, f->window, 10, "the compare view"));

  view = _gls_window_get_compare_view (f->window);
  /* The newer side is the version shown, and has the keyboard. */
  g_assert_true (gls_canvas_get_document (_gls_compare_view_get_canvas (view, TRUE)) ==
                 _gls_window_get_document (f->window));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (_gls_compare_view_get_canvas (view, TRUE))));

  return view;
}

static gboolean
difference_current (gpointer data)
{
  return _gls_compare_view_is_difference_current (data);
}

/* Marked pixels of the difference inside and outside @rect (design
 * units of the newer version, widened by @margin texture pixels). */
static void
count_marked (GlsCompareView        *view,
              const graphene_rect_t *rect,
              int                    margin,
              guint                 *inside,
              guint                 *outside)
{
  graphene_rect_t area;
  guint n_changed = 0;
  GdkTexture *texture = _gls_compare_view_get_difference (view, &area, &n_changed);
  int width, height, stride;
  g_autofree guint32 *pixels = NULL;
  double sx, sy;
  int x0, y0, x1, y1;

  g_assert_nonnull (texture);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  stride = width * 4;
  pixels = g_malloc ((gsize) stride * height);
  gdk_texture_download (texture, (guchar *) pixels, stride);

  sx = width / area.size.width;
  sy = height / area.size.height;
  x0 = (int) floor ((rect->origin.x - area.origin.x) * sx) - margin;
  y0 = (int) floor ((rect->origin.y - area.origin.y) * sy) - margin;
  x1 = (int) ceil ((rect->origin.x + rect->size.width - area.origin.x) * sx) + margin;
  y1 = (int) ceil ((rect->origin.y + rect->size.height - area.origin.y) * sy) + margin;

  *inside = *outside = 0;
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        if ((pixels[(gsize) y * width + x] >> 24) < 0x80)
          continue;
        if (x >= x0 && x < x1 && y >= y0 && y < y1)
          (*inside)++;
        else
          (*outside)++;
      }
  g_assert_cmpuint (*inside + *outside, ==, n_changed);
}

static void
test_modes (Fixture       *f,
            gconstpointer  data)
{
  GlsCompareView *view;
  GlsCanvas *older, *newer;
  graphene_rect_t change = GRAPHENE_RECT_INIT (CHANGE_X, CHANGE_Y, CHANGE_W, CHANGE_H);
  guint inside, outside;
  double zoom;

  /* The first version has nothing to compare with. */
  show (f, f->first);
  g_assert_false (gtk_widget_get_visible (compare_button (f)));

  show (f, f->second);
  view = open_compare (f);
  older = _gls_compare_view_get_canvas (view, FALSE);
  newer = _gls_compare_view_get_canvas (view, TRUE);

  /* Side by side: both shown, each on its half. */
  g_assert_cmpuint (gls_compare_view_get_mode (view), ==, GLS_COMPARE_SIDE_BY_SIDE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (older)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (newer)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (older)), <, gtk_widget_get_width (GTK_WIDGET (view)) / 2 + 1);
  g_assert_cmpfloat (gtk_widget_get_opacity (GTK_WIDGET (newer)), ==, 1.0);

  /* Zooming either side zooms the other, and panning pans it. */
  zoom = gls_canvas_get_zoom (older);
  gls_canvas_zoom_in (older);
  g_assert_cmpfloat (gls_canvas_get_zoom (older), >, zoom);
  g_assert_cmpfloat_with_epsilon (gls_canvas_get_zoom (newer), gls_canvas_get_zoom (older), 1e-9);
  gls_canvas_zoom_in (newer);
  gls_canvas_zoom_in (newer);
  g_assert_cmpfloat_with_epsilon (gls_canvas_get_zoom (older), gls_canvas_get_zoom (newer), 1e-9);
  _gls_canvas_set_center (newer, 120, 90);
  test_settle (100);
  g_assert_cmpfloat_with_epsilon (older->center_x, newer->center_x, 1e-6);
  g_assert_cmpfloat_with_epsilon (older->center_y, newer->center_y, 1e-6);
  gls_canvas_zoom_to_fit (newer);

  /* Onion skin, from its key's action: the newer side over the older one
   * at the slider's opacity. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "compare.mode", "u", 1));
  g_assert_cmpuint (gls_compare_view_get_mode (view), ==, GLS_COMPARE_ONION_SKIN);
  g_assert_true (test_wait_for (compare_shown, f->window, 10, "the onion skin"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (older)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (newer)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (older)), ==, gtk_widget_get_width (GTK_WIDGET (newer)));
  g_assert_cmpfloat_with_epsilon (gtk_widget_get_opacity (GTK_WIDGET (newer)), 0.5, 0.005);
  gtk_range_set_value (_gls_compare_view_get_scale (view), 0.2);
  g_assert_cmpfloat_with_epsilon (gls_compare_view_get_opacity (view), 0.2, 1e-6);
  g_assert_cmpfloat_with_epsilon (gtk_widget_get_opacity (GTK_WIDGET (newer)), 0.2, 0.005);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "compare.opacity-up", NULL));
  g_assert_cmpfloat_with_epsilon (gtk_widget_get_opacity (GTK_WIDGET (newer)), 0.3, 0.005);
  g_assert_cmpfloat_with_epsilon (gtk_range_get_value (_gls_compare_view_get_scale (view)), 0.3, 1e-6);
  g_assert_cmpfloat_with_epsilon (gtk_widget_get_opacity (GTK_WIDGET (older)), 1.0, 1e-6);

  /* Difference: the newer side alone, the changed pixels marked where
   * the box was added and nowhere else. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "compare.mode", "u", 2));
  g_assert_cmpuint (gls_compare_view_get_mode (view), ==, GLS_COMPARE_DIFFERENCE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (older)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (newer)));
  g_assert_cmpfloat (gtk_widget_get_opacity (GTK_WIDGET (newer)), ==, 1.0);
  g_assert_true (test_wait_for (difference_current, view, 10, "the difference"));
  count_marked (view, &change, 2, &inside, &outside);
  g_assert_cmpuint (outside, ==, 0);
  /* At least most of the box, at the shown scale. */
  {
    graphene_rect_t area;
    GdkTexture *texture = _gls_compare_view_get_difference (view, &area, NULL);
    double px = gdk_texture_get_width (texture) / area.size.width;

    g_assert_cmpfloat (inside, >, 0.8 * CHANGE_W * CHANGE_H * px * px);
  }

  /* Zoomed in on the box: made again at the new scale, still there. */
  {
    guint n = _gls_compare_view_get_n_differences (view);
    graphene_rect_t area;
    GdkTexture *texture;

    _gls_canvas_set_view (newer, gls_canvas_get_zoom (newer) * 3, CHANGE_X + 20, CHANGE_Y + 20);
    test_settle (20);
    g_assert_true (test_wait_for (difference_current, view, 10, "the zoomed difference"));
    g_assert_cmpuint (_gls_compare_view_get_n_differences (view), >, n);
    texture = _gls_compare_view_get_difference (view, &area, NULL);
    g_assert_cmpfloat (gdk_texture_get_width (texture) / area.size.width, >, 2.0);
    count_marked (view, &change, 2, &inside, &outside);
    g_assert_cmpuint (inside, >, 0);
    g_assert_cmpuint (outside, ==, 0);
  }

  /* Escape (its action) returns to the design. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "compare.close", NULL));
  g_assert_cmpstr (_gls_window_get_view (f->window), ==, "canvas");
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (_gls_window_get_canvas (f->window))));

  /* And the window's action comes back to the compare view. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.compare", NULL));
  g_assert_true (test_wait_for (compare_shown, f->window, 10, "the compare view again"));
}

/* A version at twice the size lines up with the one before it. */
static void
test_resized (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->tmpdir, "files", "v3.png", NULL);
  g_autoptr(GlsDesign) third = NULL;
  GlsCompareView *view;
  GlsCanvas *older, *newer;
  guint inside, outside;
  graphene_rect_t change = GRAPHENE_RECT_INIT (0, 0, 0, 0);

  test_write_version_png (path, TRUE, 2);
  third = add_file (f, path, f->second);
  show (f, third);
  view = open_compare (f);
  older = _gls_compare_view_get_canvas (view, FALSE);
  newer = _gls_compare_view_get_canvas (view, TRUE);
  g_assert_true (gls_canvas_get_document (older) != _gls_window_get_document (f->window));

  g_assert_cmpfloat_with_epsilon (gls_canvas_get_zoom (older), 2 * gls_canvas_get_zoom (newer), 1e-6);
  gls_canvas_zoom_in (newer);
  g_assert_cmpfloat_with_epsilon (gls_canvas_get_zoom (older), 2 * gls_canvas_get_zoom (newer), 1e-6);
  _gls_canvas_set_center (newer, 500, 400);
  test_settle (100);
  g_assert_cmpfloat_with_epsilon (older->center_x, newer->center_x / 2, 1e-6);
  g_assert_cmpfloat_with_epsilon (older->center_y, newer->center_y / 2, 1e-6);

  /* The same drawing at twice the size: next to nothing changed. */
  gls_canvas_zoom_to_fit (newer);
  gls_compare_view_set_mode (view, GLS_COMPARE_DIFFERENCE);
  g_assert_true (test_wait_for (difference_current, view, 10, "the difference"));
  count_marked (view, &change, 0, &inside, &outside);
  {
    GdkTexture *texture = _gls_compare_view_get_difference (view, NULL, NULL);
    guint n_pixels = gdk_texture_get_width (texture) * gdk_texture_get_height (texture);

    g_assert_cmpuint (outside, <, n_pixels / 100);
  }

  /* The dropdown: the first version, which lacks the box. */
  g_signal_emit_by_name (view, "older-selected", 0);
  g_assert_true (test_wait_for (compare_shown, f->window, 10, "the first version"));
  {
    GlsDocument *document = gls_canvas_get_document (older);

    while (gls_canvas_get_document (older) == document)
      g_main_context_iteration (NULL, TRUE);
  }
  test_settle (20);
  g_assert_true (test_wait_for (difference_current, view, 10, "the difference with the first"));
  graphene_rect_init (&change, 2 * CHANGE_X, 2 * CHANGE_Y, 2 * CHANGE_W, 2 * CHANGE_H);
  count_marked (view, &change, 3, &inside, &outside);
  g_assert_cmpuint (inside, >, 0);
  g_assert_cmpuint (outside, <, inside / 10);
}

static void
test_pdf_pages (Fixture       *f,
                gconstpointer  data)
{
  GlsCompareView *view;
  GlsCanvas *older, *newer;
  GtkWidget *missing;

  show (f, f->second);
  view = open_compare (f);
  older = _gls_compare_view_get_canvas (view, FALSE);
  newer = _gls_compare_view_get_canvas (view, TRUE);

  g_assert_cmpuint (gls_compare_view_get_page (view), ==, 1);
  g_assert_cmpuint (gls_canvas_get_page (older), ==, 1);
  g_assert_cmpuint (gls_canvas_get_page (newer), ==, 1);

  /* Page Down's action moves both sides. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "compare.next-page", NULL));
  g_assert_cmpuint (gls_compare_view_get_page (view), ==, 2);
  g_assert_cmpuint (gls_canvas_get_page (older), ==, 2);
  g_assert_cmpuint (gls_canvas_get_page (newer), ==, 2);
  g_assert_null (_gls_compare_view_get_missing (view, FALSE));

  /* The older version has two pages: its side says so on the third. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "compare.next-page", NULL));
  g_assert_cmpuint (gls_canvas_get_page (newer), ==, 3);
  missing = _gls_compare_view_get_missing (view, FALSE);
  g_assert_nonnull (missing);
  g_assert_true (gtk_widget_get_visible (missing));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (older)));
  g_assert_nonnull (strstr (adw_status_page_get_title (ADW_STATUS_PAGE (missing)), "3"));
  g_assert_null (_gls_compare_view_get_missing (view, TRUE));

  /* A page turned on one canvas turns the other. */
  gls_canvas_set_page (newer, 1);
  g_assert_cmpuint (gls_compare_view_get_page (view), ==, 1);
  g_assert_cmpuint (gls_canvas_get_page (older), ==, 1);
  g_assert_null (_gls_compare_view_get_missing (view, FALSE));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (older)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "compare.close", NULL));
  g_assert_cmpstr (_gls_window_get_view (f->window), ==, "canvas");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = test_ui_home_new ("glossa-test-ui-compare-home-XXXXXX");
  int ret;

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/ui/compare/modes", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_modes, fixture_teardown);
  g_test_add ("/ui/compare/resized", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_resized, fixture_teardown);
  g_test_add ("/ui/compare/pdf-pages", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_pdf_pages, fixture_teardown);

  ret = g_test_run ();

  test_rm_rf (home);
  return ret;
}
