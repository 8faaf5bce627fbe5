/* test-canvas.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-canvas"

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <gtk/gtk.h>

#include "gls-canvas-private.h"
#include "gls-comment-popover.h"
#include "gls-document.h"
#include "test-util.h"

#define WIN_WIDTH  800
#define WIN_HEIGHT 600

/* Helpers: documents made here, from scratch */

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A green image with a red square at (10, 10, 20, 20). */
static GBytes *
make_png (int width,
          int height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);
  GByteArray *array = g_byte_array_new ();

  cairo_set_source_rgb (cr, 0, 0.6, 0);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 1, 0, 0);
  cairo_rectangle (cr, 10, 10, 20, 20);
  cairo_fill (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_bytes, array), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (array);
}

static GBytes *
make_svg (void)
{
  static const char svg[] =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"200\" viewBox=\"0 0 300 200\">"
    "<rect width=\"300\" height=\"200\" fill=\"#ffffff\"/>"
    "<rect x=\"100\" y=\"50\" width=\"100\" height=\"100\" fill=\"#0000ff\"/>"
    "</svg>";

  return g_bytes_new_static (svg, sizeof svg - 1);
}

/* Three pages: two portrait letter pages, one landscape; each with a
 * coloured square at (100, 100, 200, 200) and its number as text. */
static GBytes *
make_pdf (guint n_pages)
{
  GByteArray *array = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_bytes, array, 612, 792);
  cairo_t *cr = cairo_create (surface);

  for (guint i = 1; i <= n_pages; i++)
    {
      char label[32];

      if (i % 3 == 0)
        cairo_pdf_surface_set_size (surface, 792, 612);
      else
        cairo_pdf_surface_set_size (surface, 612, 792);

      cairo_set_source_rgb (cr, i % 3 == 1, i % 3 == 2, i % 3 == 0);
      cairo_rectangle (cr, 100, 100, 200, 200);
      cairo_fill (cr);

      g_snprintf (label, sizeof label, "Page %u", i);
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_move_to (cr, 100, 80);
      cairo_set_font_size (cr, 24);
      cairo_show_text (cr, label);
      cairo_show_page (cr);
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (array);
}

static GlsDocument *
load_document (GBytes      *bytes,
               const char  *media_type,
               GError     **error)
{
  GAsyncResult *result = NULL;
  GlsDocument *document;

  gls_document_load_async (bytes, media_type, NULL, test_wait_result_cb, &result);
  test_wait_result (&result);

  document = gls_document_load_finish (result, error);
  g_object_unref (result);

  return document;
}

static GdkTexture *
render_document (GlsDocument           *document,
                 guint                  page,
                 double                 scale,
                 const graphene_rect_t *area,
                 graphene_rect_t       *out_area,
                 GCancellable          *cancellable,
                 GError               **error)
{
  GAsyncResult *result = NULL;
  GdkTexture *texture;

  gls_document_render_async (document, page, scale, area, cancellable, test_wait_result_cb, &result);
  test_wait_result (&result);

  texture = gls_document_render_finish (document, result, out_area, error);
  g_object_unref (result);

  return texture;
}

typedef struct
{
  guint8 r, g, b, a;
} Pixel;

static Pixel
texture_pixel (GdkTexture *texture,
               int         x,
               int         y)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint8 *data = g_malloc ((gsize) width * height * 4);
  const guint8 *p;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, width);
  g_assert_cmpint (y, <, height);

  /* Downloads are B8G8R8A8 premultiplied (cairo's ARGB32). */
  gdk_texture_download (texture, data, (gsize) width * 4);
  p = data + ((gsize) y * width + x) * 4;

  return (Pixel) { p[2], p[1], p[0], p[3] };
}

static gboolean
pixel_near (Pixel  pixel,
            double r,
            double g,
            double b)
{
  return abs (pixel.r - (int) round (r * 255)) <= 16 &&
         abs (pixel.g - (int) round (g * 255)) <= 16 &&
         abs (pixel.b - (int) round (b * 255)) <= 16;
}

/* Helpers: a canvas in a window */

typedef struct
{
  GtkWindow   *window;
  GlsCanvas   *canvas;
  GlsDocument *document;
} Fixture;

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until @cond holds; fails after 10 s. */
#define WAIT_FOR(cond)                                                     \
  G_STMT_START {                                                           \
    gboolean timed_out_ = FALSE;                                           \
    guint id_ = g_timeout_add (10000, timeout_cb, &timed_out_);            \
    while (!(cond) && !timed_out_)                                         \
      g_main_context_iteration (NULL, TRUE);                               \
    if (!timed_out_)                                                       \
      g_source_remove (id_);                                               \
    g_assert_true (cond);                                                  \
  } G_STMT_END

static void
settle (void)
{
  gboolean done = FALSE;

  g_timeout_add (50, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
fixture_set_up (Fixture    *fixture,
                GBytes     *bytes,
                const char *media_type)
{
  g_autoptr(GError) error = NULL;

  fixture->document = load_document (bytes, media_type, &error);
  g_assert_no_error (error);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, WIN_WIDTH, WIN_HEIGHT);
  gtk_window_set_decorated (fixture->window, FALSE);
  fixture->canvas = GLS_CANVAS (gls_canvas_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->canvas));
  gls_canvas_set_document (fixture->canvas, fixture->document);
  gtk_window_present (fixture->window);

  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (fixture->canvas)) &&
            gtk_widget_get_width (GTK_WIDGET (fixture->canvas)) == WIN_WIDTH &&
            gtk_widget_get_height (GTK_WIDGET (fixture->canvas)) == WIN_HEIGHT);
  settle ();
}

static void
fixture_tear_down (Fixture *fixture)
{
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->document);
  settle ();
}

/* Fires a widget's own keyboard shortcut for a key, as a key press would;
 * returns whether it did something (a disabled action does not). */
static gboolean
try_key (GtkWidget       *widget,
         guint            keyval,
         GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, modifiers);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                                 widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }

  g_error ("No shortcut for %s", gtk_accelerator_name (keyval, modifiers));
}

#define press_key(w, k, m) g_assert_true (try_key ((w), (k), (m)))

/* The canvas as it is drawn on screen, background and all. */
static GdkTexture *
render_canvas (Fixture *fixture)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer;
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (fixture->canvas),
                                            GTK_WIDGET (fixture->window), &bounds));
  gtk_widget_snapshot_child (GTK_WIDGET (fixture->window), GTK_WIDGET (fixture->canvas), snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (GTK_NATIVE (fixture->window));
  return gsk_renderer_render_texture (renderer, node, &bounds);
}

static void
design_to_widget (Fixture *fixture,
                  double   dx,
                  double   dy,
                  double  *wx,
                  double  *wy)
{
  _gls_canvas_design_to_widget (fixture->canvas, dx, dy, wx, wy);
}

/* Documents */

static void
test_document_png (void)
{
  g_autoptr(GBytes) bytes = make_png (64, 48);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsDocument) document = load_document (bytes, "image/png", &error);
  double width, height;

  g_assert_no_error (error);
  g_assert_cmpint (gls_document_get_kind (document), ==, GLS_DESIGN_KIND_RASTER);
  g_assert_cmpuint (gls_document_get_n_pages (document), ==, 1);
  g_assert_true (gls_document_get_page_size (document, 0, &width, &height));
  g_assert_cmpfloat (width, ==, 64);
  g_assert_cmpfloat (height, ==, 48);
  g_assert_false (gls_document_get_page_size (document, 2, NULL, NULL));
  g_assert_nonnull (gls_document_get_texture (document));
  g_assert_true (pixel_near (texture_pixel (gls_document_get_texture (document), 15, 15), 1, 0, 0));
  g_assert_true (pixel_near (texture_pixel (gls_document_get_texture (document), 50, 40), 0, 0.6, 0));

  /* Without a media type the bytes decide. */
  g_clear_object (&document);
  document = load_document (bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gls_document_get_kind (document), ==, GLS_DESIGN_KIND_RASTER);
  g_assert_cmpstr (gls_document_get_media_type (document), ==, "image/png");
}

/* A PNG with alpha: its left half transparent, its right half opaque blue. */
static GBytes *
make_png_alpha (int width,
                int height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  GByteArray *array = g_byte_array_new ();

  cairo_set_source_rgb (cr, 0, 0, 1);
  cairo_rectangle (cr, width / 2, 0, width - width / 2, height);
  cairo_fill (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_bytes, array), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (array);
}

static void
test_document_png_scaled (void)
{
  g_autoptr(GBytes) bytes = make_png (400, 300);
  g_autoptr(GBytes) alpha_bytes = make_png_alpha (400, 300);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsDocument) document = load_document (bytes, "image/png", &error);
  g_autoptr(GlsDocument) alpha = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  graphene_rect_t area, out_area;
  Pixel pixel;

  g_assert_no_error (error);

  /* At 1 or more: the image itself. */
  texture = render_document (document, 0, 2.0, NULL, &out_area, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (texture == gls_document_get_texture (document));
  g_clear_object (&texture);

  /* Below 1: scaled in the worker, the red square a quarter as large. */
  texture = render_document (document, 0, 0.25, NULL, &out_area, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 100);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 75);
  g_assert_cmpfloat_with_epsilon (out_area.size.width, 400, 1e-6);
  g_assert_cmpfloat_with_epsilon (out_area.size.height, 300, 1e-6);
  g_assert_true (pixel_near (texture_pixel (texture, 5, 5), 1, 0, 0));
  g_assert_true (pixel_near (texture_pixel (texture, 50, 40), 0, 0.6, 0));
  /* The square's edge (x = 30 → 7.5 px) is averaged, not skipped. */
  pixel = texture_pixel (texture, 7, 5);
  g_assert_cmpint (pixel.r, >, 60);
  g_assert_cmpint (pixel.r, <, 200);
  g_assert_cmpint (pixel.g, >, 30);
  g_clear_object (&texture);

  /* Part of it, from design (200, 100): the covered area comes back. */
  graphene_rect_init (&area, 200, 100, 100, 100);
  texture = render_document (document, 0, 0.5, &area, &out_area, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 50);
  g_assert_cmpfloat_with_epsilon (out_area.origin.x, 200, 1e-6);
  g_assert_cmpfloat_with_epsilon (out_area.origin.y, 100, 1e-6);
  g_assert_true (pixel_near (texture_pixel (texture, 25, 25), 0, 0.6, 0));
  g_clear_object (&texture);

  /* Transparent parts come out as the white paper they are shown on. */
  alpha = load_document (alpha_bytes, "image/png", &error);
  g_assert_no_error (error);
  texture = render_document (alpha, 0, 0.5, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  pixel = texture_pixel (texture, 20, 20);
  g_assert_true (pixel_near (pixel, 1, 1, 1));
  g_assert_cmpint (pixel.a, ==, 255);
  g_assert_true (pixel_near (texture_pixel (texture, 180, 20), 0, 0, 1));
}

static void
test_document_svg (void)
{
  g_autoptr(GBytes) bytes = make_svg ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsDocument) document = load_document (bytes, "image/svg+xml", &error);
  g_autoptr(GdkTexture) texture = NULL;
  graphene_rect_t area;
  double width, height;

  g_assert_no_error (error);
  g_assert_cmpint (gls_document_get_kind (document), ==, GLS_DESIGN_KIND_SVG);
  g_assert_cmpuint (gls_document_get_n_pages (document), ==, 1);
  g_assert_true (gls_document_get_page_size (document, 0, &width, &height));
  g_assert_cmpfloat (width, ==, 300);
  g_assert_cmpfloat (height, ==, 200);
  g_assert_null (gls_document_get_texture (document));

  /* The whole page at 2×: twice the pixels, the square where it belongs. */
  texture = render_document (document, 0, 2.0, NULL, &area, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 600);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 400);
  g_assert_cmpfloat (area.size.width, ==, 300);
  g_assert_true (pixel_near (texture_pixel (texture, 300, 200), 0, 0, 1));
  g_assert_true (pixel_near (texture_pixel (texture, 100, 100), 1, 1, 1));
  g_assert_true (pixel_near (texture_pixel (texture, 199, 99), 1, 1, 1));
  g_assert_true (pixel_near (texture_pixel (texture, 201, 101), 0, 0, 1));
  g_clear_object (&texture);

  /* Part of it at 4×: only that part, still sharp at its edge. */
  texture = render_document (document, 0, 4.0,
                             &GRAPHENE_RECT_INIT (90, 40, 20, 20), &area, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 80);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 80);
  g_assert_cmpfloat_with_epsilon (area.origin.x, 90, 1e-9);
  g_assert_cmpfloat_with_epsilon (area.origin.y, 40, 1e-9);
  g_assert_true (pixel_near (texture_pixel (texture, 38, 38), 1, 1, 1));
  g_assert_true (pixel_near (texture_pixel (texture, 41, 41), 0, 0, 1));
}

static void
test_document_pdf (void)
{
  g_autoptr(GBytes) bytes = make_pdf (3);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsDocument) document = load_document (bytes, "application/pdf", &error);
  g_autoptr(GdkTexture) texture = NULL;
  double width, height;
  guint n_pages = 0;

  g_assert_no_error (error);
  g_assert_cmpint (gls_document_get_kind (document), ==, GLS_DESIGN_KIND_PDF);
  g_assert_cmpuint (gls_document_get_n_pages (document), ==, 3);
  g_object_get (document, "n-pages", &n_pages, NULL);
  g_assert_cmpuint (n_pages, ==, 3);

  g_assert_true (gls_document_get_page_size (document, 1, &width, &height));
  g_assert_cmpfloat (width, ==, 612);
  g_assert_cmpfloat (height, ==, 792);
  g_assert_true (gls_document_get_page_size (document, 3, &width, &height));
  g_assert_cmpfloat (width, ==, 792);
  g_assert_cmpfloat (height, ==, 612);
  g_assert_false (gls_document_get_page_size (document, 4, &width, &height));

  /* Page 3 has a blue square on white paper. */
  texture = render_document (document, 3, 0.5, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 396);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 306);
  g_assert_true (pixel_near (texture_pixel (texture, 100, 100), 0, 0, 1));
  g_assert_true (pixel_near (texture_pixel (texture, 300, 250), 1, 1, 1));
  g_clear_object (&texture);

  /* Page 2's square is green; asking for a page that is not there fails. */
  texture = render_document (document, 2, 1.0, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pixel_near (texture_pixel (texture, 200, 200), 0, 1, 0));
  g_clear_object (&texture);

  texture = render_document (document, 9, 1.0, NULL, NULL, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (texture);
}

static void
test_document_corrupt (void)
{
  static const struct {
    const char *data;
    const char *media_type;
    int         code;
  } cases[] = {
    { "\x89PNG\r\n\x1a\n this is not the rest of a PNG", "image/png", G_IO_ERROR_INVALID_DATA },
    { "\x89PNG\r\n\x1a\n truncated", NULL, G_IO_ERROR_INVALID_DATA },
    { "%PDF-1.4\n garbage garbage garbage", "application/pdf", G_IO_ERROR_INVALID_DATA },
    { "%PDF-1.7\n 1 0 obj << /Type /Catalog", NULL, G_IO_ERROR_INVALID_DATA },
    { "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\"><rect", "image/svg+xml", G_IO_ERROR_INVALID_DATA },
    { "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>", "image/svg+xml", G_IO_ERROR_INVALID_DATA },
    { "just some words", "text/plain", G_IO_ERROR_NOT_SUPPORTED },
    { "just some words, no type", NULL, G_IO_ERROR_NOT_SUPPORTED },
    { "", "image/png", G_IO_ERROR_INVALID_DATA },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i].data, strlen (cases[i].data));
      g_autoptr(GError) error = NULL;
      g_autoptr(GlsDocument) document = NULL;

      g_test_message ("case %u: %s", i, cases[i].data);
      document = load_document (bytes, cases[i].media_type, &error);
      g_assert_null (document);
      g_assert_error (error, G_IO_ERROR, cases[i].code);
      g_assert_true (error->message != NULL && error->message[0] != '\0');
    }
}

static void
test_document_cancel (void)
{
  g_autoptr(GBytes) bytes = make_pdf (3);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsDocument) document = load_document (bytes, NULL, &error);
  g_autoptr(GdkTexture) texture = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (gls_document_get_kind (document), ==, GLS_DESIGN_KIND_PDF);

  g_cancellable_cancel (cancellable);
  texture = render_document (document, 1, 1.0, NULL, NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (texture);
}

/* Canvas: view */

static void
test_canvas_zoom_keys (void)
{
  g_autoptr(GBytes) bytes = make_png (400, 300);
  Fixture f = { 0 };
  double fit, x, y, dx, dy;

  fixture_set_up (&f, bytes, "image/png");

  /* Fitted with a margin: (600 - 2 × 24) / 300. */
  fit = gls_canvas_get_zoom (f.canvas);
  g_assert_cmpfloat_with_epsilon (fit, (WIN_HEIGHT - 48.0) / 300.0, 1e-9);
  design_to_widget (&f, 200, 150, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, WIN_WIDTH / 2.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (y, WIN_HEIGHT / 2.0, 1e-9);

  press_key (GTK_WIDGET (f.canvas), GDK_KEY_plus, 0);
  g_assert_cmpfloat (gls_canvas_get_zoom (f.canvas), ==, 2.0);
  press_key (GTK_WIDGET (f.canvas), GDK_KEY_equal, 0);
  g_assert_cmpfloat (gls_canvas_get_zoom (f.canvas), ==, 3.0);
  press_key (GTK_WIDGET (f.canvas), GDK_KEY_KP_Add, 0);
  g_assert_cmpfloat (gls_canvas_get_zoom (f.canvas), ==, 4.0);
  press_key (GTK_WIDGET (f.canvas), GDK_KEY_minus, 0);
  g_assert_cmpfloat (gls_canvas_get_zoom (f.canvas), ==, 3.0);
  press_key (GTK_WIDGET (f.canvas), GDK_KEY_KP_Subtract, 0);
  g_assert_cmpfloat (gls_canvas_get_zoom (f.canvas), ==, 2.0);
  press_key (GTK_WIDGET (f.canvas), GDK_KEY_minus, GDK_CONTROL_MASK);
  g_assert_cmpfloat (gls_canvas_get_zoom (f.canvas), ==, 1.5);
  press_key (GTK_WIDGET (f.canvas), GDK_KEY_1, 0);
  g_assert_cmpfloat (gls_canvas_get_zoom (f.canvas), ==, 1.0);
  press_key (GTK_WIDGET (f.canvas), GDK_KEY_0, 0);
  g_assert_cmpfloat_with_epsilon (gls_canvas_get_zoom (f.canvas), fit, 1e-9);

  /* Zooming keeps the centre of the view where it was. */
  _gls_canvas_set_center (f.canvas, 120, 90);
  press_key (GTK_WIDGET (f.canvas), GDK_KEY_plus, 0);
  _gls_canvas_widget_to_design (f.canvas, WIN_WIDTH / 2.0, WIN_HEIGHT / 2.0, &dx, &dy);
  g_assert_cmpfloat_with_epsilon (dx, 120, 1e-6);
  g_assert_cmpfloat_with_epsilon (dy, 90, 1e-6);

  /* Ctrl+wheel zooms around the pointer: what is under it stays there. */
  _gls_canvas_hover (f.canvas, 600, 150);
  _gls_canvas_widget_to_design (f.canvas, 600, 150, &x, &y);
  g_assert_true (_gls_canvas_scroll (f.canvas, 0, -1, GDK_CONTROL_MASK, GDK_SCROLL_UNIT_WHEEL));
  g_assert_cmpfloat_with_epsilon (gls_canvas_get_zoom (f.canvas), 2.0 * 1.25, 1e-9);
  _gls_canvas_widget_to_design (f.canvas, 600, 150, &dx, &dy);
  g_assert_cmpfloat_with_epsilon (dx, x, 1e-6);
  g_assert_cmpfloat_with_epsilon (dy, y, 1e-6);
  g_assert_true (_gls_canvas_scroll (f.canvas, 0, 2, GDK_CONTROL_MASK, GDK_SCROLL_UNIT_WHEEL));
  g_assert_cmpfloat_with_epsilon (gls_canvas_get_zoom (f.canvas), 2.0 / 1.25, 1e-9);

  /* So does a pinch. */
  _gls_canvas_pinch_begin (f.canvas, 100, 500);
  _gls_canvas_widget_to_design (f.canvas, 100, 500, &x, &y);
  _gls_canvas_pinch_scale (f.canvas, 1.5);
  g_assert_cmpfloat_with_epsilon (gls_canvas_get_zoom (f.canvas), 2.0 / 1.25 * 1.5, 1e-9);
  _gls_canvas_widget_to_design (f.canvas, 100, 500, &dx, &dy);
  g_assert_cmpfloat_with_epsilon (dx, x, 1e-6);
  g_assert_cmpfloat_with_epsilon (dy, y, 1e-6);

  /* The zoom stops somewhere. */
  for (int i = 0; i < 100; i++)
    try_key (GTK_WIDGET (f.canvas), GDK_KEY_plus, 0);
  g_assert_cmpfloat (gls_canvas_get_zoom (f.canvas), ==, 64.0);
  g_assert_false (try_key (GTK_WIDGET (f.canvas), GDK_KEY_plus, 0));
  g_assert_true (try_key (GTK_WIDGET (f.canvas), GDK_KEY_minus, 0));

  fixture_tear_down (&f);
}

static void
test_canvas_coordinates (void)
{
  g_autoptr(GBytes) bytes = make_png (400, 300);
  static const double zooms[] = { 0.25, 1.0, 3.7, 12.0 };
  static const double centers[][2] = { { 200, 150 }, { 10, 280 }, { 390, 5 } };
  Fixture f = { 0 };

  fixture_set_up (&f, bytes, "image/png");

  for (guint i = 0; i < G_N_ELEMENTS (zooms); i++)
    for (guint j = 0; j < G_N_ELEMENTS (centers); j++)
      {
        double cx, cy, x, y, dx, dy, wx, wy;

        gls_canvas_set_zoom (f.canvas, zooms[i]);
        _gls_canvas_set_center (f.canvas, centers[j][0], centers[j][1]);
        g_assert_cmpfloat (gls_canvas_get_zoom (f.canvas), ==, zooms[i]);
        _gls_canvas_get_center (f.canvas, &cx, &cy);

        /* The centre of the widget shows the centre of the view… */
        _gls_canvas_widget_to_design (f.canvas, WIN_WIDTH / 2.0, WIN_HEIGHT / 2.0, &dx, &dy);
        g_assert_cmpfloat_with_epsilon (dx, cx, 1e-9);
        g_assert_cmpfloat_with_epsilon (dy, cy, 1e-9);

        /* …one widget pixel is 1/zoom design units, and back again. */
        _gls_canvas_widget_to_design (f.canvas, 17, 531, &dx, &dy);
        g_assert_cmpfloat_with_epsilon (dx, cx + (17 - WIN_WIDTH / 2.0) / zooms[i], 1e-9);
        g_assert_cmpfloat_with_epsilon (dy, cy + (531 - WIN_HEIGHT / 2.0) / zooms[i], 1e-9);
        _gls_canvas_design_to_widget (f.canvas, dx, dy, &wx, &wy);
        g_assert_cmpfloat_with_epsilon (wx, 17, 1e-9);
        g_assert_cmpfloat_with_epsilon (wy, 531, 1e-9);

        /* The page never leaves the screen entirely. */
        _gls_canvas_design_to_widget (f.canvas, 0, 0, &x, &y);
        _gls_canvas_design_to_widget (f.canvas, 400, 300, &wx, &wy);
        g_assert_cmpfloat (wx, >=, MIN (64, 400 * zooms[i]) - 1e-9);
        g_assert_cmpfloat (x, <=, WIN_WIDTH - MIN (64, 400 * zooms[i]) + 1e-9);
        g_assert_cmpfloat (wy, >=, MIN (64, 300 * zooms[i]) - 1e-9);
        g_assert_cmpfloat (y, <=, WIN_HEIGHT - MIN (64, 300 * zooms[i]) + 1e-9);
      }

  /* Dragging with the primary button pans by the drag, in design units. */
  {
    double cx, cy, cx2, cy2;

    gls_canvas_set_zoom (f.canvas, 2.0);
    _gls_canvas_set_center (f.canvas, 200, 150);
    _gls_canvas_get_center (f.canvas, &cx, &cy);
    _gls_canvas_pointer_press (f.canvas, 400, 300);
    _gls_canvas_pointer_motion (f.canvas, 380, 310);
    _gls_canvas_pointer_release (f.canvas, 360, 320);
    _gls_canvas_get_center (f.canvas, &cx2, &cy2);
    g_assert_cmpfloat_with_epsilon (cx2, cx + 40 / 2.0, 1e-9);
    g_assert_cmpfloat_with_epsilon (cy2, cy - 20 / 2.0, 1e-9);

    /* So does the middle button, and the scroll wheel without Ctrl. */
    _gls_canvas_pan_press (f.canvas, 100, 100);
    _gls_canvas_pointer_release (f.canvas, 110, 100);
    _gls_canvas_get_center (f.canvas, &cx, &cy);
    g_assert_cmpfloat_with_epsilon (cx, cx2 - 10 / 2.0, 1e-9);
    g_assert_true (_gls_canvas_scroll (f.canvas, 0, 1, 0, GDK_SCROLL_UNIT_WHEEL));
    _gls_canvas_get_center (f.canvas, &cx2, &cy2);
    g_assert_cmpfloat (cy2, >, cy);
    g_assert_cmpfloat (cx2, ==, cx);
    g_assert_cmpfloat (gls_canvas_get_zoom (f.canvas), ==, 2.0);

    /* Arrow keys pan too. */
    press_key (GTK_WIDGET (f.canvas), GDK_KEY_Right, 0);
    _gls_canvas_get_center (f.canvas, &cx, &cy);
    g_assert_cmpfloat_with_epsilon (cx, cx2 + WIN_WIDTH / 10.0 / 2.0, 1e-9);
  }

  /* The view follows a resize while fitted. */
  gls_canvas_zoom_to_fit (f.canvas);
  gtk_window_set_default_size (f.window, 500, 600);
  WAIT_FOR (gtk_widget_get_width (GTK_WIDGET (f.canvas)) == 500);
  g_assert_cmpfloat_with_epsilon (gls_canvas_get_zoom (f.canvas), (500 - 48.0) / 400.0, 1e-9);

  fixture_tear_down (&f);
}

/* Canvas: comments and pins */

typedef struct
{
  guint        count;
  GlsSelector  selector;
  char        *text;
} CommentRecord;

static void
comment_requested_cb (GlsCanvas     *canvas,
                      GlsSelector   *selector,
                      const char    *text,
                      CommentRecord *record)
{
  record->count++;
  record->selector = *selector;
  g_free (record->text);
  record->text = g_strdup (text);
}

static void
test_canvas_comment_point (void)
{
  g_autoptr(GBytes) bytes = make_png (400, 300);
  CommentRecord record = { 0 };
  GlsCommentPopover *popover;
  GlsSelector pending;
  Fixture f = { 0 };
  double dx, dy;

  fixture_set_up (&f, bytes, "image/png");
  g_signal_connect (f.canvas, "comment-requested", G_CALLBACK (comment_requested_cb), &record);
  popover = _gls_canvas_get_comment_popover (f.canvas);
  g_assert_nonnull (popover);

  /* Outside comment mode a click does not start a comment. */
  _gls_canvas_pointer_press (f.canvas, 300, 200);
  _gls_canvas_pointer_release (f.canvas, 300, 200);
  g_assert_false (_gls_canvas_get_pending (f.canvas, NULL));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));

  gls_canvas_set_comment_mode (f.canvas, TRUE);
  gls_canvas_set_zoom (f.canvas, 1.5);
  _gls_canvas_set_center (f.canvas, 180, 120);
  _gls_canvas_widget_to_design (f.canvas, 300, 200, &dx, &dy);
  g_assert_cmpfloat_with_epsilon (dx, 180 + (300 - 400) / 1.5, 1e-9);

  /* A small wobble is still a click. */
  _gls_canvas_pointer_press (f.canvas, 300, 200);
  _gls_canvas_pointer_motion (f.canvas, 301, 201);
  _gls_canvas_pointer_release (f.canvas, 301, 201);

  g_assert_true (_gls_canvas_get_pending (f.canvas, &pending));
  g_assert_cmpint (pending.kind, ==, GLS_SELECTOR_POINT);
  g_assert_cmpuint (pending.page, ==, 0);
  g_assert_cmpfloat_with_epsilon (pending.x, dx, 1e-9);
  g_assert_cmpfloat_with_epsilon (pending.y, dy, 1e-9);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (popover)));

  {
    GdkRectangle rect;

    /* The popover points at the spot. */
    g_assert_true (gtk_popover_get_pointing_to (GTK_POPOVER (popover), &rect));
    g_assert_cmpint (rect.x, <=, 300);
    g_assert_cmpint (rect.x + rect.width, >=, 300);
    g_assert_cmpint (rect.y, <=, 200);
    g_assert_cmpint (rect.y + rect.height, >=, 200);
  }

  /* Nothing to post while the text is empty. */
  g_assert_false (gls_comment_popover_submit (popover));
  g_assert_cmpuint (record.count, ==, 0);

  gls_comment_popover_set_text (popover, "The margin is too tight here.");
  press_key (GTK_WIDGET (popover), GDK_KEY_Return, GDK_CONTROL_MASK);

  g_assert_cmpuint (record.count, ==, 1);
  g_assert_cmpstr (record.text, ==, "The margin is too tight here.");
  g_assert_cmpint (record.selector.kind, ==, GLS_SELECTOR_POINT);
  g_assert_cmpfloat_with_epsilon (record.selector.x, dx, 1e-9);
  g_assert_cmpfloat_with_epsilon (record.selector.y, dy, 1e-9);
  WAIT_FOR (!gtk_widget_get_visible (GTK_WIDGET (popover)));

  /* The marker stays until the pins come back with the new thread. */
  settle ();
  g_assert_true (_gls_canvas_get_pending (f.canvas, NULL));
  {
    GlsCanvasPin pin = { "urn:uuid:new", 1, record.selector, FALSE, record.text };

    gls_canvas_set_pins (f.canvas, &pin, 1);
  }
  g_assert_false (_gls_canvas_get_pending (f.canvas, NULL));

  /* A click far off the page still lands on the page, at its edge. */
  _gls_canvas_pointer_press (f.canvas, 2, 2);
  _gls_canvas_pointer_release (f.canvas, 2, 2);
  g_assert_true (_gls_canvas_get_pending (f.canvas, &pending));
  _gls_canvas_widget_to_design (f.canvas, 2, 2, &dx, &dy);
  g_assert_cmpfloat (pending.x, ==, CLAMP (dx, 0, 400));
  g_assert_cmpfloat (pending.y, ==, CLAMP (dy, 0, 300));
  g_assert_cmpfloat (pending.x, >=, 0);
  g_assert_cmpfloat (pending.y, >=, 0);

  /* Escape closes it; with nothing typed, nothing stays. */
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  press_key (GTK_WIDGET (popover), GDK_KEY_Escape, 0);
  WAIT_FOR (!gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_false (_gls_canvas_get_pending (f.canvas, NULL));
  g_assert_cmpuint (record.count, ==, 1);

  /* Keyboard only: Enter pins the centre of the view. */
  press_key (GTK_WIDGET (f.canvas), GDK_KEY_Return, 0);
  g_assert_true (_gls_canvas_get_pending (f.canvas, &pending));
  g_assert_cmpfloat_with_epsilon (pending.x, 180, 1e-9);
  g_assert_cmpfloat_with_epsilon (pending.y, 120, 1e-9);
  gls_comment_popover_cancel (popover);
  WAIT_FOR (!_gls_canvas_get_pending (f.canvas, NULL));

  g_free (record.text);
  fixture_tear_down (&f);
}

static void
test_canvas_comment_rect (void)
{
  g_autoptr(GBytes) bytes = make_png (400, 300);
  CommentRecord record = { 0 };
  GlsCommentPopover *popover;
  GlsSelector pending;
  Fixture f = { 0 };
  double x0, y0, x1, y1;

  fixture_set_up (&f, bytes, "image/png");
  g_signal_connect (f.canvas, "comment-requested", G_CALLBACK (comment_requested_cb), &record);
  popover = _gls_canvas_get_comment_popover (f.canvas);

  gls_canvas_set_comment_mode (f.canvas, TRUE);
  gls_canvas_set_zoom (f.canvas, 1.0);
  _gls_canvas_set_center (f.canvas, 200, 150);

  /* Dragged from bottom right to top left: still a proper rectangle. */
  _gls_canvas_pointer_press (f.canvas, 450, 380);
  _gls_canvas_pointer_motion (f.canvas, 420, 340);
  _gls_canvas_pointer_motion (f.canvas, 380, 300);
  _gls_canvas_pointer_release (f.canvas, 350, 280);

  _gls_canvas_widget_to_design (f.canvas, 350, 280, &x0, &y0);
  _gls_canvas_widget_to_design (f.canvas, 450, 380, &x1, &y1);
  g_assert_true (_gls_canvas_get_pending (f.canvas, &pending));
  g_assert_cmpint (pending.kind, ==, GLS_SELECTOR_RECT);
  g_assert_cmpfloat_with_epsilon (pending.x, x0, 1e-9);
  g_assert_cmpfloat_with_epsilon (pending.y, y0, 1e-9);
  g_assert_cmpfloat_with_epsilon (pending.width, x1 - x0, 1e-9);
  g_assert_cmpfloat_with_epsilon (pending.height, y1 - y0, 1e-9);
  g_assert_cmpfloat_with_epsilon (pending.width, 100, 1e-9);

  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  gls_comment_popover_set_text (popover, "Align these.");
  g_assert_true (gls_comment_popover_submit (popover));
  g_assert_cmpuint (record.count, ==, 1);
  g_assert_cmpint (record.selector.kind, ==, GLS_SELECTOR_RECT);
  g_assert_cmpfloat_with_epsilon (record.selector.width, 100, 1e-9);
  g_assert_cmpstr (record.text, ==, "Align these.");
  WAIT_FOR (!gtk_widget_get_visible (GTK_WIDGET (popover)));

  /* A drag past the page's edge is clamped to it. */
  gls_canvas_set_zoom (f.canvas, 0.5);
  _gls_canvas_set_center (f.canvas, 200, 150);
  _gls_canvas_pointer_press (f.canvas, 400, 300);
  _gls_canvas_pointer_release (f.canvas, 790, 590);
  g_assert_true (_gls_canvas_get_pending (f.canvas, &pending));
  g_assert_cmpint (pending.kind, ==, GLS_SELECTOR_RECT);
  g_assert_cmpfloat_with_epsilon (pending.x, 200, 1e-9);
  g_assert_cmpfloat_with_epsilon (pending.y, 150, 1e-9);
  g_assert_cmpfloat_with_epsilon (pending.x + pending.width, 400, 1e-9);
  g_assert_cmpfloat_with_epsilon (pending.y + pending.height, 300, 1e-9);

  /* The cancel button drops it. */
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (popover), "comment.cancel", NULL));
  WAIT_FOR (!_gls_canvas_get_pending (f.canvas, NULL));
  g_assert_cmpuint (record.count, ==, 1);

  g_free (record.text);
  fixture_tear_down (&f);
}

static void
pin_activated_cb (GlsCanvas  *canvas,
                  const char *id,
                  char      **out)
{
  g_free (*out);
  *out = g_strdup (id);
}

static void
test_canvas_pins (void)
{
  g_autoptr(GBytes) bytes = make_png (400, 300);
  g_autofree char *activated = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *long_text = NULL;
  g_autoptr(GString) builder = g_string_new (NULL);
  GlsCanvasPin pins[3] = {
    { "urn:uuid:a", 1, { GLS_SELECTOR_POINT, 0, 100, 100, 0, 0 }, FALSE, "First comment" },
    { "urn:uuid:b", 2, { GLS_SELECTOR_RECT, 0, 250, 50, 100, 80 }, TRUE, NULL },
    { "urn:uuid:c", 3, { GLS_SELECTOR_POINT, 0, 300, 250, 0, 0 }, FALSE, NULL },
  };
  Fixture f = { 0 };
  double x, y;

  for (int i = 0; i < 40; i++)
    g_string_append (builder, "word ");
  long_text = g_string_free (g_steal_pointer (&builder), FALSE);
  pins[2].preview = long_text;

  fixture_set_up (&f, bytes, "image/png");
  g_signal_connect (f.canvas, "pin-activated", G_CALLBACK (pin_activated_cb), &activated);
  gls_canvas_set_pins (f.canvas, pins, G_N_ELEMENTS (pins));

  /* Hover shows the first comment. */
  design_to_widget (&f, 100, 100, &x, &y);
  g_assert_cmpstr (_gls_canvas_get_pin_at (f.canvas, x + 5, y - 5), ==, "urn:uuid:a");
  tooltip = _gls_canvas_dup_tooltip_at (f.canvas, x, y);
  g_assert_cmpstr (tooltip, ==, "First comment");
  g_clear_pointer (&tooltip, g_free);

  design_to_widget (&f, 300, 250, &x, &y);
  tooltip = _gls_canvas_dup_tooltip_at (f.canvas, x, y);
  g_assert_true (g_str_has_suffix (tooltip, "…"));
  g_assert_cmpint (g_utf8_strlen (tooltip, -1), <=, 120);
  g_assert_true (g_str_has_prefix (tooltip, "word word"));
  g_clear_pointer (&tooltip, g_free);

  /* Nothing far from every pin. */
  design_to_widget (&f, 20, 280, &x, &y);
  g_assert_null (_gls_canvas_get_pin_at (f.canvas, x, y));
  g_assert_null (_gls_canvas_dup_tooltip_at (f.canvas, x, y));

  /* A click on a pin selects it and says so. */
  design_to_widget (&f, 100, 100, &x, &y);
  _gls_canvas_pointer_press (f.canvas, x, y);
  _gls_canvas_pointer_release (f.canvas, x, y);
  g_assert_cmpstr (activated, ==, "urn:uuid:a");
  g_assert_cmpstr (gls_canvas_get_selected (f.canvas), ==, "urn:uuid:a");

  /* A region's badge sits at its corner; in comment mode too a click on a
   * pin opens it instead of starting a comment. */
  gls_canvas_set_comment_mode (f.canvas, TRUE);
  design_to_widget (&f, 250, 50, &x, &y);
  _gls_canvas_pointer_press (f.canvas, x, y);
  _gls_canvas_pointer_release (f.canvas, x, y);
  g_assert_cmpstr (activated, ==, "urn:uuid:b");
  g_assert_cmpstr (gls_canvas_get_selected (f.canvas), ==, "urn:uuid:b");
  g_assert_false (_gls_canvas_get_pending (f.canvas, NULL));
  gls_canvas_set_comment_mode (f.canvas, FALSE);

  /* A click on the empty design clears the selection. */
  design_to_widget (&f, 20, 280, &x, &y);
  _gls_canvas_pointer_press (f.canvas, x, y);
  _gls_canvas_pointer_release (f.canvas, x, y);
  g_assert_null (gls_canvas_get_selected (f.canvas));
  g_assert_cmpstr (activated, ==, "urn:uuid:b");

  /* Pins follow the view. */
  gls_canvas_set_zoom (f.canvas, 4.0);
  _gls_canvas_set_center (f.canvas, 100, 100);
  g_assert_cmpstr (_gls_canvas_get_pin_at (f.canvas, WIN_WIDTH / 2.0, WIN_HEIGHT / 2.0), ==, "urn:uuid:a");

  fixture_tear_down (&f);
}

static void
test_canvas_pixels (void)
{
  g_autoptr(GBytes) bytes = make_png (400, 300);
  g_autoptr(GdkTexture) texture = NULL;
  GlsCanvasPin pins[] = {
    { "urn:uuid:a", 1, { GLS_SELECTOR_POINT, 0, 100, 100, 0, 0 }, FALSE, "Look" },
    { "urn:uuid:b", 2, { GLS_SELECTOR_POINT, 0, 300, 100, 0, 0 }, TRUE, "Done" },
  };
  GdkRGBA pin_color, resolved_color;
  Fixture f = { 0 };
  double x, y;
  Pixel pixel;

  fixture_set_up (&f, bytes, "image/png");
  gls_canvas_set_pins (f.canvas, pins, G_N_ELEMENTS (pins));
  _gls_canvas_get_pin_color (f.canvas, FALSE, &pin_color);
  _gls_canvas_get_pin_color (f.canvas, TRUE, &resolved_color);
  settle ();

  texture = render_canvas (&f);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, WIN_WIDTH);
  /* Few pins: a node each, no pin layer. */
  g_assert_false (_gls_canvas_get_layer_used (f.canvas));

  /* Beside the number, inside the badge: the pin colour. */
  design_to_widget (&f, 100, 100, &x, &y);
  pixel = texture_pixel (texture, (int) x - 7, (int) y);
  g_assert_true (pixel_near (pixel, pin_color.red, pin_color.green, pin_color.blue));
  pixel = texture_pixel (texture, (int) x, (int) y - 7);
  g_assert_true (pixel_near (pixel, pin_color.red, pin_color.green, pin_color.blue));

  /* The resolved one is muted, not the accent. */
  design_to_widget (&f, 300, 100, &x, &y);
  pixel = texture_pixel (texture, (int) x - 7, (int) y);
  g_assert_true (pixel_near (pixel, resolved_color.red, resolved_color.green, resolved_color.blue));
  g_assert_false (pixel_near (pixel, pin_color.red, pin_color.green, pin_color.blue));

  /* Far from the pins: the design itself, green, and the red square. */
  design_to_widget (&f, 300, 250, &x, &y);
  pixel = texture_pixel (texture, (int) x, (int) y);
  g_assert_false (pixel_near (pixel, pin_color.red, pin_color.green, pin_color.blue));
  g_assert_true (pixel_near (pixel, 0, 0.6, 0));
  design_to_widget (&f, 20, 20, &x, &y);
  g_assert_true (pixel_near (texture_pixel (texture, (int) x, (int) y), 1, 0, 0));

  /* Outside the page: the neutral background, not the design. */
  pixel = texture_pixel (texture, 3, 3);
  g_assert_false (pixel_near (pixel, 0, 0.6, 0));
  g_assert_false (pixel_near (pixel, pin_color.red, pin_color.green, pin_color.blue));

  fixture_tear_down (&f);
}

/* Many pins: the two of test_canvas_pixels(), a region, and 500 more in a
 * band along the top, away from them. */
#define N_MANY 504

typedef struct
{
  GlsCanvasPin pins[N_MANY];
  char         ids[N_MANY][32];
} ManyPins;

static void
many_pins_init (ManyPins *many)
{
  memset (many, 0, sizeof *many);

  for (guint i = 0; i < N_MANY; i++)
    {
      GlsCanvasPin *pin = &many->pins[i];

      g_snprintf (many->ids[i], sizeof many->ids[i], "urn:uuid:many-%u", i);
      pin->id = many->ids[i];
      pin->number = 100 + i;
      pin->selector.kind = GLS_SELECTOR_POINT;
      pin->selector.x = 60 + (i % 100) * 3.2;
      pin->selector.y = 15 + (i / 100) * 8;
      pin->resolved = i % 3 == 0;
    }

  many->pins[0].number = 1;
  many->pins[0].selector.x = 100;
  many->pins[0].selector.y = 110;
  many->pins[0].resolved = FALSE;

  many->pins[1].number = 2;
  many->pins[1].selector.x = 300;
  many->pins[1].selector.y = 110;
  many->pins[1].resolved = TRUE;

  many->pins[2].number = 3;
  many->pins[2].selector = (GlsSelector) { GLS_SELECTOR_RECT, 0, 150, 180, 80, 60 };
  many->pins[2].resolved = FALSE;
}

/* Whether the pixel at (x, y), or one of its neighbours along x, is near
 * the colour: a 2 px border lands on whole pixels either side of an edge. */
static gboolean
pixel_near_x (GdkTexture    *texture,
              double         x,
              double         y,
              const GdkRGBA *color)
{
  for (int dx = -1; dx <= 1; dx++)
    if (pixel_near (texture_pixel (texture, (int) round (x) + dx, (int) y),
                    color->red, color->green, color->blue))
      return TRUE;
  return FALSE;
}

static void
test_canvas_layer_pixels (void)
{
  g_autoptr(GBytes) bytes = make_png (400, 300);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree ManyPins *many = g_new (ManyPins, 1);
  GdkRGBA pin_color, resolved_color;
  Fixture f = { 0 };
  double x, y, x1, y1;
  guint renders;
  Pixel pixel;

  many_pins_init (many);
  fixture_set_up (&f, bytes, "image/png");
  gls_canvas_set_pins (f.canvas, many->pins, N_MANY);
  _gls_canvas_get_pin_color (f.canvas, FALSE, &pin_color);
  _gls_canvas_get_pin_color (f.canvas, TRUE, &resolved_color);
  settle ();

  texture = render_canvas (&f);
  g_assert_true (_gls_canvas_get_layer_used (f.canvas));
  g_assert_true (_gls_canvas_is_layer_current (f.canvas));
  renders = _gls_canvas_get_layer_renders (f.canvas);
  g_assert_cmpuint (renders, >=, 1);

  /* Beside the number, inside the badge: the pin colour; around it the
   * white ring. */
  design_to_widget (&f, 100, 110, &x, &y);
  g_assert_true (pixel_near (texture_pixel (texture, (int) x - 7, (int) y),
                             pin_color.red, pin_color.green, pin_color.blue));
  g_assert_true (pixel_near (texture_pixel (texture, (int) x, (int) y - 7),
                             pin_color.red, pin_color.green, pin_color.blue));
  g_assert_true (pixel_near (texture_pixel (texture, (int) round (x) - 12, (int) round (y)), 1, 1, 1));

  /* The resolved one is muted, not the accent. */
  design_to_widget (&f, 300, 110, &x, &y);
  pixel = texture_pixel (texture, (int) x - 7, (int) y);
  g_assert_true (pixel_near (pixel, resolved_color.red, resolved_color.green, resolved_color.blue));
  g_assert_false (pixel_near (pixel, pin_color.red, pin_color.green, pin_color.blue));

  /* A region is outlined in the pin colour, its inside left alone. */
  design_to_widget (&f, 150, 180, &x, &y);
  design_to_widget (&f, 230, 240, &x1, &y1);
  g_assert_true (pixel_near_x (texture, x1, (y + y1) / 2, &pin_color));
  g_assert_true (pixel_near_x (texture, x, (y + y1) / 2 + 10, &pin_color));
  g_assert_true (pixel_near (texture_pixel (texture, (int) ((x + x1) / 2), (int) ((y + y1) / 2)), 0, 0.6, 0));

  /* Away from the pins: the design, green, and the red square. */
  design_to_widget (&f, 300, 250, &x, &y);
  g_assert_true (pixel_near (texture_pixel (texture, (int) x, (int) y), 0, 0.6, 0));
  design_to_widget (&f, 20, 20, &x, &y);
  g_assert_true (pixel_near (texture_pixel (texture, (int) x, (int) y), 1, 0, 0));

  /* The band of 500: badges, in both colours. */
  design_to_widget (&f, 60 + 50 * 3.2, 15, &x, &y);
  pixel = texture_pixel (texture, (int) round (x), (int) round (y) + 6);
  g_assert_false (pixel_near (pixel, 0, 0.6, 0));

  /* Selected: a larger badge on top, drawn over the layer, which stays. */
  gls_canvas_set_selected (f.canvas, "urn:uuid:many-0");
  g_clear_object (&texture);
  texture = render_canvas (&f);
  design_to_widget (&f, 100, 110, &x, &y);
  g_assert_true (pixel_near (texture_pixel (texture, (int) round (x) - 12, (int) round (y)),
                             pin_color.red, pin_color.green, pin_color.blue));
  g_assert_cmpuint (_gls_canvas_get_layer_renders (f.canvas), ==, renders);

  /* A pin resolved: a new layer, where it is muted. */
  many->pins[0].resolved = TRUE;
  gls_canvas_set_selected (f.canvas, NULL);
  gls_canvas_set_pins (f.canvas, many->pins, N_MANY);
  g_clear_object (&texture);
  texture = render_canvas (&f);
  WAIT_FOR (_gls_canvas_get_layer_renders (f.canvas) > renders);
  g_clear_object (&texture);
  texture = render_canvas (&f);
  g_assert_true (_gls_canvas_is_layer_current (f.canvas));
  design_to_widget (&f, 100, 110, &x, &y);
  pixel = texture_pixel (texture, (int) x - 7, (int) y);
  g_assert_true (pixel_near (pixel, resolved_color.red, resolved_color.green, resolved_color.blue));
  g_assert_false (pixel_near (pixel, pin_color.red, pin_color.green, pin_color.blue));

  fixture_tear_down (&f);
}

static void
test_canvas_layer_reuse (void)
{
  g_autoptr(GBytes) bytes = make_png (400, 300);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree ManyPins *many = g_new (ManyPins, 1);
  GdkRGBA pin_color;
  Fixture f = { 0 };
  double x, y, cx, cy;
  guint renders;

  many_pins_init (many);
  fixture_set_up (&f, bytes, "image/png");
  gls_canvas_set_pins (f.canvas, many->pins, N_MANY);
  _gls_canvas_get_pin_color (f.canvas, FALSE, &pin_color);
  gls_canvas_set_zoom (f.canvas, 2.0);
  _gls_canvas_set_center (f.canvas, 200, 80);

  texture = render_canvas (&f);
  g_assert_true (_gls_canvas_get_layer_used (f.canvas));
  renders = _gls_canvas_get_layer_renders (f.canvas);

  /* Panning moves the layer made for this zoom; the pins move with it. */
  for (int i = 0; i < 5; i++)
    {
      _gls_canvas_get_center (f.canvas, &cx, &cy);
      _gls_canvas_set_center (f.canvas, cx - 7.3, cy + 3.1);
      g_clear_object (&texture);
      texture = render_canvas (&f);
      g_assert_true (_gls_canvas_get_layer_used (f.canvas));
      g_assert_true (_gls_canvas_is_layer_current (f.canvas));
      g_assert_cmpuint (_gls_canvas_get_layer_renders (f.canvas), ==, renders);
    }
  design_to_widget (&f, 100, 110, &x, &y);
  g_assert_true (pixel_near (texture_pixel (texture, (int) x - 7, (int) y),
                             pin_color.red, pin_color.green, pin_color.blue));

  /* Hovering draws the pin larger on top, with the same layer. */
  _gls_canvas_hover (f.canvas, x, y);
  g_clear_object (&texture);
  texture = render_canvas (&f);
  g_assert_true (pixel_near (texture_pixel (texture, (int) round (x) - 12, (int) round (y)),
                             pin_color.red, pin_color.green, pin_color.blue));
  g_assert_cmpuint (_gls_canvas_get_layer_renders (f.canvas), ==, renders);
  _gls_canvas_hover_leave (f.canvas);

  /* A zoom makes a new layer; the old one is shown, scaled, meanwhile. */
  gls_canvas_set_zoom (f.canvas, 2.5);
  g_clear_object (&texture);
  texture = render_canvas (&f);
  g_assert_true (_gls_canvas_get_layer_used (f.canvas));
  WAIT_FOR (_gls_canvas_get_layer_renders (f.canvas) > renders);
  g_clear_object (&texture);
  texture = render_canvas (&f);
  g_assert_true (_gls_canvas_is_layer_current (f.canvas));
  renders = _gls_canvas_get_layer_renders (f.canvas);
  design_to_widget (&f, 100, 110, &x, &y);
  g_assert_true (pixel_near (texture_pixel (texture, (int) x - 7, (int) y),
                             pin_color.red, pin_color.green, pin_color.blue));

  /* And a pan at the new zoom reuses it again. */
  _gls_canvas_get_center (f.canvas, &cx, &cy);
  _gls_canvas_set_center (f.canvas, cx + 11, cy);
  g_clear_object (&texture);
  texture = render_canvas (&f);
  g_assert_cmpuint (_gls_canvas_get_layer_renders (f.canvas), ==, renders);

  /* Back to few pins in view: a node each again. */
  gls_canvas_set_zoom (f.canvas, 8.0);
  _gls_canvas_set_center (f.canvas, 100, 110);
  g_clear_object (&texture);
  texture = render_canvas (&f);
  g_assert_false (_gls_canvas_get_layer_used (f.canvas));
  g_assert_true (pixel_near (texture_pixel (texture, WIN_WIDTH / 2 - 7, WIN_HEIGHT / 2),
                             pin_color.red, pin_color.green, pin_color.blue));

  fixture_tear_down (&f);
}

/* A page too large for one layer at this zoom: the layer holds the view and
 * half a view around it, and a pan out of that makes a new one. */
static void
test_canvas_layer_large_page (void)
{
  g_autoptr(GBytes) bytes = make_png (400, 300);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree ManyPins *many = g_new (ManyPins, 1);
  GdkRGBA pin_color, resolved_color;
  Fixture f = { 0 };
  double x, y, cx, cy;
  guint renders;
  Pixel pixel;

  many_pins_init (many);
  fixture_set_up (&f, bytes, "image/png");
  _gls_canvas_set_layer_min_pins (f.canvas, 10);
  gls_canvas_set_pins (f.canvas, many->pins, N_MANY);
  _gls_canvas_get_pin_color (f.canvas, FALSE, &pin_color);
  _gls_canvas_get_pin_color (f.canvas, TRUE, &resolved_color);

  /* 400 × 12 = 4800 px wide. */
  gls_canvas_set_zoom (f.canvas, 12.0);
  _gls_canvas_set_center (f.canvas, 100, 35);
  texture = render_canvas (&f);
  g_assert_true (_gls_canvas_get_layer_used (f.canvas));
  WAIT_FOR (_gls_canvas_is_layer_current (f.canvas));
  renders = _gls_canvas_get_layer_renders (f.canvas);

  /* A pan within the margin: the same layer. */
  _gls_canvas_set_center (f.canvas, 110, 38);
  g_clear_object (&texture);
  texture = render_canvas (&f);
  g_assert_true (_gls_canvas_is_layer_current (f.canvas));
  g_assert_cmpuint (_gls_canvas_get_layer_renders (f.canvas), ==, renders);

  /* Two views to the right: a new one, with the pins there. */
  _gls_canvas_get_center (f.canvas, &cx, &cy);
  _gls_canvas_set_center (f.canvas, cx + 2 * WIN_WIDTH / 12.0, cy);
  g_clear_object (&texture);
  texture = render_canvas (&f);
  WAIT_FOR (_gls_canvas_get_layer_renders (f.canvas) > renders);
  g_clear_object (&texture);
  texture = render_canvas (&f);
  g_assert_true (_gls_canvas_is_layer_current (f.canvas));

  /* Pin 50 of the first row (i = 50, open) sits at x = 220, y = 15;
   * pin 51 (i = 51, resolved) at 223.2. */
  design_to_widget (&f, 60 + 50 * 3.2, 15, &x, &y);
  g_assert_cmpfloat (x, >, 0);
  g_assert_cmpfloat (x, <, WIN_WIDTH);
  pixel = texture_pixel (texture, (int) round (x), (int) round (y) + 8);
  g_assert_true (pixel_near (pixel, pin_color.red, pin_color.green, pin_color.blue) ||
                 pixel_near (pixel, resolved_color.red, resolved_color.green, resolved_color.blue));

  fixture_tear_down (&f);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_canvas_pdf_pages (void)
{
  g_autoptr(GBytes) bytes = make_pdf (3);
  g_autoptr(GdkTexture) texture = NULL;
  GlsCanvasPin pins[] = {
    { "urn:uuid:p1", 1, { GLS_SELECTOR_POINT, 1, 50, 50, 0, 0 }, FALSE, NULL },
    { "urn:uuid:p2", 2, { GLS_SELECTOR_RECT, 2, 400, 600, 100, 100 }, FALSE, NULL },
  };
  GlsSelector reveal = { GLS_SELECTOR_RECT, 2, 400, 600, 100, 100 };
  Fixture f = { 0 };
  guint page_notifies = 0;
  double x, y;

  fixture_set_up (&f, bytes, "application/pdf");
  g_signal_connect (f.canvas, "notify::page", G_CALLBACK (count_notify_cb), &page_notifies);
  gls_canvas_set_pins (f.canvas, pins, G_N_ELEMENTS (pins));
  g_assert_cmpuint (gls_canvas_get_page (f.canvas), ==, 1);

  /* The first page arrives from the worker thread and shows red. */
  WAIT_FOR (_gls_canvas_is_render_current (f.canvas));
  settle ();
  texture = render_canvas (&f);
  g_assert_cmpfloat_with_epsilon (_gls_canvas_get_texels_per_pixel (f.canvas), 1.0, 0.01);
  design_to_widget (&f, 200, 200, &x, &y);
  g_assert_true (pixel_near (texture_pixel (texture, (int) x, (int) y), 1, 0, 0));
  g_clear_object (&texture);

  /* Only this page's pins. */
  design_to_widget (&f, 50, 50, &x, &y);
  g_assert_cmpstr (_gls_canvas_get_pin_at (f.canvas, x, y), ==, "urn:uuid:p1");
  design_to_widget (&f, 400, 600, &x, &y);
  g_assert_null (_gls_canvas_get_pin_at (f.canvas, x, y));

  /* Page Down, then back; no page 0 or 4. */
  press_key (GTK_WIDGET (f.canvas), GDK_KEY_Page_Down, 0);
  g_assert_cmpuint (gls_canvas_get_page (f.canvas), ==, 2);
  press_key (GTK_WIDGET (f.canvas), GDK_KEY_Page_Up, 0);
  g_assert_cmpuint (gls_canvas_get_page (f.canvas), ==, 1);
  g_assert_cmpuint (page_notifies, ==, 2);
  gls_canvas_set_page (f.canvas, 9);
  g_assert_cmpuint (gls_canvas_get_page (f.canvas), ==, 3);
  gls_canvas_set_page (f.canvas, 0);
  g_assert_cmpuint (gls_canvas_get_page (f.canvas), ==, 1);
  page_notifies = 0;

  /* Revealing a thread on page 2, zoomed in elsewhere, brings it into view. */
  gls_canvas_set_zoom (f.canvas, 4.0);
  _gls_canvas_set_center (f.canvas, 50, 50);
  gls_canvas_reveal (f.canvas, &reveal);
  g_assert_cmpuint (gls_canvas_get_page (f.canvas), ==, 2);
  g_assert_cmpuint (page_notifies, ==, 1);
  design_to_widget (&f, 400, 600, &x, &y);
  g_assert_cmpfloat (x, >=, 0);
  g_assert_cmpfloat (y, >=, 0);
  design_to_widget (&f, 500, 700, &x, &y);
  g_assert_cmpfloat (x, <=, WIN_WIDTH);
  g_assert_cmpfloat (y, <=, WIN_HEIGHT);
  design_to_widget (&f, 400, 600, &x, &y);
  g_assert_cmpstr (_gls_canvas_get_pin_at (f.canvas, x, y), ==, "urn:uuid:p2");

  /* Zoomed in far, the view is drawn sharp from a partial render. */
  gls_canvas_set_zoom (f.canvas, 12.0);
  g_assert_false (_gls_canvas_is_render_current (f.canvas));
  WAIT_FOR (_gls_canvas_is_render_current (f.canvas));
  settle ();
  texture = render_canvas (&f);
  _gls_canvas_set_center (f.canvas, 290, 200);
  g_clear_object (&texture);
  WAIT_FOR (_gls_canvas_is_render_current (f.canvas));
  settle ();
  texture = render_canvas (&f);
  g_assert_cmpfloat_with_epsilon (_gls_canvas_get_texels_per_pixel (f.canvas), 1.0, 0.01);
  /* Left of the square's right edge (x = 300): green; right of it: white. */
  design_to_widget (&f, 299, 200, &x, &y);
  g_assert_true (pixel_near (texture_pixel (texture, (int) x - 2, (int) y), 0, 1, 0));
  design_to_widget (&f, 301, 200, &x, &y);
  g_assert_true (pixel_near (texture_pixel (texture, (int) x + 2, (int) y), 1, 1, 1));

  fixture_tear_down (&f);
}

/* The device pixels whose centres are on the page show the (green) image
 * at its right and bottom edges, where the page ends within a pixel; the
 * next ones do not. */
static void
assert_page_edges (Fixture    *fixture,
                   GdkTexture *texture,
                   double      page_width,
                   double      page_height)
{
  double zoom = gls_canvas_get_zoom (fixture->canvas);
  double x, y;
  int last_x, last_y;

  /* The page's origin is on a whole pixel. */
  design_to_widget (fixture, 0, 0, &x, &y);
  last_x = (int) ceil (round (x) + page_width * zoom - 0.5) - 1;
  last_y = (int) ceil (round (y) + page_height * zoom - 0.5) - 1;
  x = round (x) + page_width * zoom / 2;
  y = round (y) + page_height * zoom / 2;

  g_assert_true (pixel_near (texture_pixel (texture, last_x, (int) y), 0, 0.6, 0));
  g_assert_false (pixel_near (texture_pixel (texture, last_x + 1, (int) y), 0, 0.6, 0));
  g_assert_true (pixel_near (texture_pixel (texture, (int) x, last_y), 0, 0.6, 0));
  g_assert_false (pixel_near (texture_pixel (texture, (int) x, last_y + 1), 0, 0.6, 0));
}

/* With GTK's Cairo renderer (a machine without a GPU, see gls-ui.c), a
 * new zoom is drawn from the copy of the last one, scaled, until the copy
 * of this zoom arrives: not from the image itself, which costs Cairo a
 * frame of hundreds of milliseconds. */
static void
test_canvas_raster_prescale_cairo (void)
{
  g_autoptr(GBytes) bytes = make_png (2000, 1500);
  g_autoptr(GdkTexture) texture = NULL;
  Fixture f = { 0 };
  double x, y;

  /* GTK picks its renderer once: a process of its own, told to. */
  if (!g_test_subprocess ())
    {
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_unsetenv ("GSK_RENDERER");
      g_test_trap_assert_passed ();
      return;
    }
  fixture_set_up (&f, bytes, "image/png");
  g_assert_true (GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (GTK_NATIVE (f.window))));
  WAIT_FOR (_gls_canvas_is_render_current (f.canvas));
  settle ();

  gls_canvas_set_zoom (f.canvas, 0.2502);
  g_assert_false (_gls_canvas_is_render_current (f.canvas));
  texture = render_canvas (&f);
  g_assert_false (_gls_canvas_get_prescaled_used (f.canvas));
  /* The last copy (not the image itself: 4 texels a pixel here). */
  g_assert_cmpfloat (_gls_canvas_get_texels_per_pixel (f.canvas), <, 1.5);
  design_to_widget (&f, 20, 20, &x, &y);
  g_assert_true (pixel_near (texture_pixel (texture, (int) x, (int) y), 1, 0, 0));
  g_clear_object (&texture);
  WAIT_FOR (_gls_canvas_is_render_current (f.canvas));
  texture = render_canvas (&f);
  g_assert_true (_gls_canvas_get_prescaled_used (f.canvas));
  g_assert_cmpfloat_with_epsilon (_gls_canvas_get_texels_per_pixel (f.canvas), 1.0, 0.01);
  g_clear_object (&texture);

  /* Zoomed in, no copy is coming: the image itself. */
  gls_canvas_set_zoom (f.canvas, 2.0);
  texture = render_canvas (&f);
  g_assert_false (_gls_canvas_get_prescaled_used (f.canvas));
  g_assert_cmpfloat_with_epsilon (_gls_canvas_get_texels_per_pixel (f.canvas), 0.5, 0.01);
  g_clear_object (&texture);

  fixture_tear_down (&f);
}

/* A large raster image shown small is drawn from a copy scaled to the
 * zoom, made once the zoom settles; the image itself meanwhile. */
static void
test_canvas_raster_prescale (void)
{
  g_autoptr(GBytes) bytes = make_png (2000, 1500);
  g_autoptr(GdkTexture) texture = NULL;
  Fixture f = { 0 };
  double x, y, cx, cy;
  guint renders;

  fixture_set_up (&f, bytes, "image/png");
  g_assert_cmpfloat (gls_canvas_get_zoom (f.canvas), <, 0.5);
  WAIT_FOR (_gls_canvas_is_render_current (f.canvas));
  settle ();
  renders = _gls_canvas_get_raster_renders (f.canvas);
  g_assert_cmpuint (renders, >=, 1);

  texture = render_canvas (&f);
  g_assert_true (_gls_canvas_get_prescaled_used (f.canvas));
  g_assert_cmpfloat_with_epsilon (_gls_canvas_get_texels_per_pixel (f.canvas), 1.0, 0.01);
  /* The red square (7 px here), the green around it, the background. */
  design_to_widget (&f, 20, 20, &x, &y);
  g_assert_true (pixel_near (texture_pixel (texture, (int) x, (int) y), 1, 0, 0));
  design_to_widget (&f, 1000, 750, &x, &y);
  g_assert_true (pixel_near (texture_pixel (texture, (int) x, (int) y), 0, 0.6, 0));
  g_assert_false (pixel_near (texture_pixel (texture, 3, 3), 0, 0.6, 0));
  assert_page_edges (&f, texture, 2000, 1500);
  g_clear_object (&texture);

  /* Panning reuses it. */
  gls_canvas_set_zoom (f.canvas, 0.5);
  WAIT_FOR (_gls_canvas_is_render_current (f.canvas));
  renders = _gls_canvas_get_raster_renders (f.canvas);
  _gls_canvas_get_center (f.canvas, &cx, &cy);
  _gls_canvas_set_center (f.canvas, cx - 400, cy - 300);
  g_assert_true (_gls_canvas_is_render_current (f.canvas));
  settle ();
  settle ();
  texture = render_canvas (&f);
  g_assert_true (_gls_canvas_get_prescaled_used (f.canvas));
  g_assert_cmpuint (_gls_canvas_get_raster_renders (f.canvas), ==, renders);
  design_to_widget (&f, 20, 20, &x, &y);
  g_assert_true (pixel_near (texture_pixel (texture, (int) x, (int) y), 1, 0, 0));
  g_clear_object (&texture);

  /* A new zoom: the image itself until a copy at that zoom arrives. */
  /* (The page ends within a pixel: 500.4 × 375.3 px.) */
  gls_canvas_set_zoom (f.canvas, 0.2502);
  g_assert_false (_gls_canvas_is_render_current (f.canvas));
  texture = render_canvas (&f);
  g_assert_false (_gls_canvas_get_prescaled_used (f.canvas));
  g_assert_cmpfloat_with_epsilon (_gls_canvas_get_texels_per_pixel (f.canvas), 4.0, 0.01);
  design_to_widget (&f, 20, 20, &x, &y);
  g_assert_true (pixel_near (texture_pixel (texture, (int) x, (int) y), 1, 0, 0));
  assert_page_edges (&f, texture, 2000, 1500);
  g_clear_object (&texture);
  WAIT_FOR (_gls_canvas_is_render_current (f.canvas));
  g_assert_cmpuint (_gls_canvas_get_raster_renders (f.canvas), ==, renders + 1);
  texture = render_canvas (&f);
  g_assert_true (_gls_canvas_get_prescaled_used (f.canvas));
  g_assert_cmpfloat_with_epsilon (_gls_canvas_get_texels_per_pixel (f.canvas), 1.0, 0.01);
  design_to_widget (&f, 20, 20, &x, &y);
  g_assert_true (pixel_near (texture_pixel (texture, (int) x, (int) y), 1, 0, 0));
  design_to_widget (&f, 35, 20, &x, &y);
  g_assert_true (pixel_near (texture_pixel (texture, (int) x, (int) y), 0, 0.6, 0));
  assert_page_edges (&f, texture, 2000, 1500);
  g_clear_object (&texture);

  /* 600.6 × 450.45 px. */
  gls_canvas_set_zoom (f.canvas, 0.3003);
  _gls_canvas_set_center (f.canvas, 1000, 750);
  WAIT_FOR (_gls_canvas_is_render_current (f.canvas));
  texture = render_canvas (&f);
  g_assert_true (_gls_canvas_get_prescaled_used (f.canvas));
  assert_page_edges (&f, texture, 2000, 1500);
  g_clear_object (&texture);

  /* Zoomed in: the image itself, with nothing to wait for. */
  gls_canvas_set_zoom (f.canvas, 2.0);
  _gls_canvas_set_center (f.canvas, 40, 40);
  g_assert_true (_gls_canvas_is_render_current (f.canvas));
  texture = render_canvas (&f);
  g_assert_false (_gls_canvas_get_prescaled_used (f.canvas));
  g_assert_cmpfloat_with_epsilon (_gls_canvas_get_texels_per_pixel (f.canvas), 0.5, 0.01);
  design_to_widget (&f, 29, 20, &x, &y);
  g_assert_true (pixel_near (texture_pixel (texture, (int) x, (int) y), 1, 0, 0));
  design_to_widget (&f, 31, 20, &x, &y);
  g_assert_true (pixel_near (texture_pixel (texture, (int) x, (int) y), 0, 0.6, 0));

  fixture_tear_down (&f);
}

/* The largest difference of any channel between two textures of a size. */
static int
max_texture_difference (GdkTexture *a,
                        GdkTexture *b,
                        int        *at_x,
                        int        *at_y)
{
  int width = gdk_texture_get_width (a);
  int height = gdk_texture_get_height (a);
  g_autofree guint8 *pa = g_malloc ((gsize) width * height * 4);
  g_autofree guint8 *pb = g_malloc ((gsize) width * height * 4);
  int worst = 0;

  g_assert_cmpint (gdk_texture_get_width (b), ==, width);
  g_assert_cmpint (gdk_texture_get_height (b), ==, height);
  gdk_texture_download (a, pa, (gsize) width * 4);
  gdk_texture_download (b, pb, (gsize) width * 4);

  for (gsize i = 0; i < (gsize) width * height * 4; i++)
    if (abs (pa[i] - pb[i]) > worst)
      {
        worst = abs (pa[i] - pb[i]);
        *at_x = (int) (i / 4 % width);
        *at_y = (int) (i / 4 / width);
      }

  return worst;
}

/* Many pins on a raster image shown small: once the copy and the pin layer
 * are of the view, they are merged into one texture, and the frame looks
 * the same as with the two drawn over each other, badges past the page's
 * edge included. */
static void
test_canvas_raster_merge (void)
{
  g_autoptr(GBytes) bytes = make_png (2000, 1500);
  g_autoptr(GdkTexture) apart = NULL;
  g_autoptr(GdkTexture) merged = NULL;
  g_autofree ManyPins *many = g_new (ManyPins, 1);
  GdkRGBA pin_color;
  Fixture f = { 0 };
  double x, y, cx, cy;
  int dx = 0, dy = 0;
  guint merges;

  /* Spread over the page, and on its edges and corners. */
  many_pins_init (many);
  for (guint i = 0; i < N_MANY; i++)
    {
      many->pins[i].selector.x = 100 + (i % 40) * 45.0;
      many->pins[i].selector.y = 200 + (i / 40) * 100.0;
    }
  many->pins[10].selector.x = 2000;
  many->pins[10].selector.y = 0;
  many->pins[11].selector.x = 2000;
  many->pins[11].selector.y = 1500;
  many->pins[12].selector.x = 1000;
  many->pins[12].selector.y = 1500;
  many->pins[13].selector.x = 0;
  many->pins[13].selector.y = 700;

  fixture_set_up (&f, bytes, "image/png");
  _gls_canvas_set_merge_enabled (f.canvas, FALSE);
  gls_canvas_set_pins (f.canvas, many->pins, N_MANY);
  /* The page ends within a pixel: 600.6 × 450.45 px. */
  gls_canvas_set_zoom (f.canvas, 0.3003);
  _gls_canvas_set_center (f.canvas, 1000, 750);
  _gls_canvas_get_pin_color (f.canvas, FALSE, &pin_color);
  WAIT_FOR (_gls_canvas_is_render_current (f.canvas) && _gls_canvas_is_layer_current (f.canvas));
  settle ();
  apart = render_canvas (&f);
  g_assert_true (_gls_canvas_get_layer_used (f.canvas));
  g_assert_true (_gls_canvas_get_prescaled_used (f.canvas));
  g_assert_false (_gls_canvas_get_merged_used (f.canvas));
  g_assert_cmpuint (_gls_canvas_get_merge_renders (f.canvas), ==, 0);

  _gls_canvas_set_merge_enabled (f.canvas, TRUE);
  WAIT_FOR (_gls_canvas_get_merge_renders (f.canvas) > 0);
  settle ();
  merged = render_canvas (&f);
  g_assert_true (_gls_canvas_get_merged_used (f.canvas));
  g_assert_cmpfloat_with_epsilon (_gls_canvas_get_texels_per_pixel (f.canvas), 1.0, 0.01);

  g_assert_cmpint (max_texture_difference (apart, merged, &dx, &dy), <=, 2);

  /* The design and a pin in it, and one astride the page's corner. */
  design_to_widget (&f, 20, 20, &x, &y);
  g_assert_true (pixel_near (texture_pixel (merged, (int) x, (int) y), 1, 0, 0));
  design_to_widget (&f, many->pins[0].selector.x, many->pins[0].selector.y, &x, &y);
  g_assert_true (pixel_near (texture_pixel (merged, (int) x - 7, (int) y),
                             pin_color.red, pin_color.green, pin_color.blue));
  design_to_widget (&f, 2000, 1500, &x, &y);
  g_assert_true (pixel_near (texture_pixel (merged, (int) x + 5, (int) y + 5),
                             pin_color.red, pin_color.green, pin_color.blue));
  g_clear_object (&merged);

  /* A pan reuses it. */
  merges = _gls_canvas_get_merge_renders (f.canvas);
  _gls_canvas_get_center (f.canvas, &cx, &cy);
  _gls_canvas_set_center (f.canvas, cx + 100, cy + 50);
  settle ();
  settle ();
  merged = render_canvas (&f);
  g_assert_true (_gls_canvas_get_merged_used (f.canvas));
  g_assert_cmpuint (_gls_canvas_get_merge_renders (f.canvas), ==, merges);
  g_clear_object (&merged);

  /* New pins: drawn apart until the new layer is merged in. */
  many->pins[0].resolved = TRUE;
  gls_canvas_set_pins (f.canvas, many->pins, N_MANY);
  merged = render_canvas (&f);
  g_assert_false (_gls_canvas_get_merged_used (f.canvas));
  g_clear_object (&merged);
  WAIT_FOR (_gls_canvas_get_merge_renders (f.canvas) > merges);
  settle ();
  merged = render_canvas (&f);
  g_assert_true (_gls_canvas_get_merged_used (f.canvas));
  _gls_canvas_get_pin_color (f.canvas, TRUE, &pin_color);
  design_to_widget (&f, many->pins[0].selector.x, many->pins[0].selector.y, &x, &y);
  g_assert_true (pixel_near (texture_pixel (merged, (int) x - 7, (int) y),
                             pin_color.red, pin_color.green, pin_color.blue));

  fixture_tear_down (&f);
}

static void
test_canvas_svg_zoom (void)
{
  g_autoptr(GBytes) bytes = make_svg ();
  g_autoptr(GdkTexture) texture = NULL;
  Fixture f = { 0 };
  double x, y;

  fixture_set_up (&f, bytes, "image/svg+xml");
  WAIT_FOR (_gls_canvas_is_render_current (f.canvas));

  /* At 8× the square's edge falls between two widget pixels, not over a
   * blur of eight: it was drawn again at this zoom. */
  gls_canvas_set_zoom (f.canvas, 8.0);
  _gls_canvas_set_center (f.canvas, 100, 50);
  g_assert_false (_gls_canvas_is_render_current (f.canvas));
  WAIT_FOR (_gls_canvas_is_render_current (f.canvas));
  settle ();

  texture = render_canvas (&f);
  g_assert_cmpfloat_with_epsilon (_gls_canvas_get_texels_per_pixel (f.canvas), 1.0, 0.01);
  design_to_widget (&f, 100, 50, &x, &y);
  g_assert_true (pixel_near (texture_pixel (texture, (int) round (x) + 1, (int) round (y) + 1), 0, 0, 1));
  g_assert_true (pixel_near (texture_pixel (texture, (int) round (x) - 2, (int) round (y) + 10), 1, 1, 1));
  g_assert_true (pixel_near (texture_pixel (texture, (int) round (x) + 10, (int) round (y) - 2), 1, 1, 1));

  fixture_tear_down (&f);
}


/* Canvas: drafts, Escape, and choosing a pin that is in view */

/* The visible label of @widget's tree that reads @text, or NULL. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_canvas_composer (void)
{
  g_autoptr(GBytes) bytes = make_png (400, 300);
  GlsCommentPopover *popover;
  GtkWidget *placeholder, *keys;
  Fixture f = { 0 };

  fixture_set_up (&f, bytes, "image/png");
  popover = _gls_canvas_get_comment_popover (f.canvas);
  gls_canvas_set_comment_mode (f.canvas, TRUE);
  press_key (GTK_WIDGET (f.canvas), GDK_KEY_Return, 0);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (popover)));

  /* A placeholder says what goes in the box until something is typed, and
   * the keys to post are on show. */
  placeholder = find_label (GTK_WIDGET (popover), "Write a comment…");
  keys = find_label (GTK_WIDGET (popover), "Ctrl+Enter to post");
  g_assert_nonnull (placeholder);
  g_assert_nonnull (keys);
  g_assert_true (gtk_widget_is_visible (placeholder));
  g_assert_true (gtk_widget_is_visible (keys));
  gls_comment_popover_set_text (popover, "Hm");
  g_assert_false (gtk_widget_get_visible (placeholder));
  gls_comment_popover_set_text (popover, "");
  g_assert_true (gtk_widget_get_visible (placeholder));

  /* A suggestion starts from the passage: no placeholder there. */
  gls_comment_popover_set_suggestion (popover, "old words");
  g_assert_false (gtk_widget_get_visible (placeholder));
  g_assert_nonnull (find_label (GTK_WIDGET (popover), "Ctrl+Enter to suggest"));
  gls_comment_popover_set_suggestion (popover, NULL);
  g_assert_true (gtk_widget_get_visible (placeholder));

  gls_comment_popover_cancel (popover);
  WAIT_FOR (!_gls_canvas_get_pending (f.canvas, NULL));
  fixture_tear_down (&f);
}

static void
test_canvas_draft (void)
{
  g_autoptr(GBytes) bytes = make_png (400, 300);
  g_autoptr(GBytes) other_bytes = make_png (200, 200);
  g_autoptr(GlsDocument) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  CommentRecord record = { 0 };
  GlsCommentPopover *popover;
  GlsSelector pending;
  Fixture f = { 0 };
  double x, y;

  fixture_set_up (&f, bytes, "image/png");
  g_signal_connect (f.canvas, "comment-requested", G_CALLBACK (comment_requested_cb), &record);
  popover = _gls_canvas_get_comment_popover (f.canvas);
  gls_canvas_set_draft_key (f.canvas, "design-a");
  gls_canvas_set_zoom (f.canvas, 1.0);
  _gls_canvas_set_center (f.canvas, 200, 150);

  gls_canvas_set_comment_mode (f.canvas, TRUE);
  design_to_widget (&f, 100, 80, &x, &y);
  _gls_canvas_pointer_press (f.canvas, x, y);
  _gls_canvas_pointer_release (f.canvas, x, y);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  gls_comment_popover_set_text (popover, "The silkscreen overlaps the pad");

  /* Escape closes the composer but keeps the words and the marker. */
  press_key (GTK_WIDGET (popover), GDK_KEY_Escape, 0);
  WAIT_FOR (!gtk_widget_get_visible (GTK_WIDGET (popover)));
  settle ();
  g_assert_true (_gls_canvas_get_pending (f.canvas, &pending));
  g_assert_cmpfloat_with_epsilon (pending.x, 100, 1e-9);
  text = gls_canvas_dup_draft (f.canvas, NULL);
  g_assert_cmpstr (text, ==, "The silkscreen overlaps the pad");
  g_clear_pointer (&text, g_free);
  g_assert_cmpuint (record.count, ==, 0);

  /* A click on its marker opens it again, words and all. */
  g_assert_true (_gls_canvas_draft_at (f.canvas, x + 3, y - 3));
  gls_canvas_set_comment_mode (f.canvas, FALSE);
  _gls_canvas_pointer_press (f.canvas, x + 3, y - 3);
  _gls_canvas_pointer_release (f.canvas, x + 3, y - 3);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  text = gls_comment_popover_dup_text (popover);
  g_assert_cmpstr (text, ==, "The silkscreen overlaps the pad");
  g_clear_pointer (&text, g_free);

  /* A click elsewhere (the popover closes itself) keeps it too. */
  gtk_popover_popdown (GTK_POPOVER (popover));
  WAIT_FOR (!gtk_widget_get_visible (GTK_WIDGET (popover)));
  settle ();
  g_assert_true (_gls_canvas_get_pending (f.canvas, NULL));

  /* Comment mode opens it again; a mark elsewhere takes it there. */
  gls_canvas_set_comment_mode (f.canvas, TRUE);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  gls_comment_popover_cancel (popover);
  WAIT_FOR (!gtk_widget_get_visible (GTK_WIDGET (popover)));
  design_to_widget (&f, 300, 200, &x, &y);
  _gls_canvas_pointer_press (f.canvas, x, y);
  _gls_canvas_pointer_release (f.canvas, x, y);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  g_assert_true (_gls_canvas_get_pending (f.canvas, &pending));
  g_assert_cmpfloat_with_epsilon (pending.x, 300, 1e-9);
  text = gls_comment_popover_dup_text (popover);
  g_assert_cmpstr (text, ==, "The silkscreen overlaps the pad");
  g_clear_pointer (&text, g_free);
  gls_comment_popover_cancel (popover);
  WAIT_FOR (!gtk_widget_get_visible (GTK_WIDGET (popover)));

  /* Another design has drafts of its own; this one's waits for it. */
  other = load_document (other_bytes, "image/png", &error);
  g_assert_no_error (error);
  gls_canvas_set_draft_key (f.canvas, "design-b");
  gls_canvas_set_document (f.canvas, other);
  g_assert_false (_gls_canvas_get_pending (f.canvas, NULL));
  g_assert_null (gls_canvas_dup_draft (f.canvas, NULL));
  gls_canvas_set_draft_key (f.canvas, "design-a");
  gls_canvas_set_document (f.canvas, f.document);
  g_assert_true (_gls_canvas_get_pending (f.canvas, &pending));
  g_assert_cmpfloat_with_epsilon (pending.x, 300, 1e-9);
  text = gls_canvas_dup_draft (f.canvas, NULL);
  g_assert_cmpstr (text, ==, "The silkscreen overlaps the pad");
  g_clear_pointer (&text, g_free);

  /* Discard, on purpose, ends it. */
  gls_canvas_set_comment_mode (f.canvas, FALSE);
  gls_canvas_set_comment_mode (f.canvas, TRUE);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (popover), "comment.discard", NULL));
  WAIT_FOR (!gtk_widget_get_visible (GTK_WIDGET (popover)));
  settle ();
  g_assert_false (_gls_canvas_get_pending (f.canvas, NULL));
  g_assert_null (gls_canvas_dup_draft (f.canvas, NULL));
  gls_canvas_set_draft_key (f.canvas, "design-b");
  gls_canvas_set_draft_key (f.canvas, "design-a");
  g_assert_false (_gls_canvas_get_pending (f.canvas, NULL));

  /* So does posting it: the next comment starts empty. */
  press_key (GTK_WIDGET (f.canvas), GDK_KEY_Return, 0);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  gls_comment_popover_set_text (popover, "Posted");
  press_key (GTK_WIDGET (popover), GDK_KEY_Return, GDK_CONTROL_MASK);
  g_assert_cmpuint (record.count, ==, 1);
  WAIT_FOR (!gtk_widget_get_visible (GTK_WIDGET (popover)));
  {
    GlsCanvasPin pin = { "urn:uuid:posted", 1, record.selector, FALSE, "Posted" };

    gls_canvas_set_pins (f.canvas, &pin, 1);
  }
  g_assert_false (_gls_canvas_get_pending (f.canvas, NULL));
  press_key (GTK_WIDGET (f.canvas), GDK_KEY_Return, 0);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  text = gls_comment_popover_dup_text (popover);
  g_assert_cmpstr (text, ==, "");
  gls_comment_popover_cancel (popover);
  WAIT_FOR (!_gls_canvas_get_pending (f.canvas, NULL));

  g_free (record.text);
  fixture_tear_down (&f);
}

static void
test_canvas_escape (void)
{
  g_autoptr(GBytes) bytes = make_png (400, 300);
  Fixture f = { 0 };

  fixture_set_up (&f, bytes, "image/png");

  /* Escape cancels a drag first, then leaves comment mode. */
  gls_canvas_set_comment_mode (f.canvas, TRUE);
  _gls_canvas_pointer_press (f.canvas, 300, 200);
  _gls_canvas_pointer_motion (f.canvas, 360, 260);
  g_assert_true (try_key (GTK_WIDGET (f.canvas), GDK_KEY_Escape, 0));
  g_assert_true (gls_canvas_get_comment_mode (f.canvas));
  _gls_canvas_pointer_release (f.canvas, 360, 260);
  g_assert_false (_gls_canvas_get_pending (f.canvas, NULL));

  g_assert_true (try_key (GTK_WIDGET (f.canvas), GDK_KEY_Escape, 0));
  g_assert_false (gls_canvas_get_comment_mode (f.canvas));

  /* Then it is not the canvas's: the window takes it (back to the list). */
  g_assert_false (try_key (GTK_WIDGET (f.canvas), GDK_KEY_Escape, 0));

  fixture_tear_down (&f);
}

static void
test_canvas_reveal (void)
{
  g_autoptr(GBytes) bytes = make_png (2000, 1500);
  GlsSelector inside = { GLS_SELECTOR_POINT, 0, 1000, 700, 0, 0 };
  GlsSelector region = { GLS_SELECTOR_RECT, 0, 900, 650, 150, 100 };
  GlsSelector edge = { GLS_SELECTOR_POINT, 0, 0, 0, 0, 0 };
  GlsSelector outside = { GLS_SELECTOR_POINT, 0, 1900, 1400, 0, 0 };
  graphene_rect_t view;
  double zoom, cx, cy, cx2, cy2, x, y;
  Fixture f = { 0 };

  fixture_set_up (&f, bytes, "image/png");
  gls_canvas_set_zoom (f.canvas, 1.0);
  _gls_canvas_set_center (f.canvas, 1000, 700);
  zoom = gls_canvas_get_zoom (f.canvas);
  _gls_canvas_get_center (f.canvas, &cx, &cy);

  /* A pin or region in view: the view does not move. */
  gls_canvas_reveal (f.canvas, &inside);
  gls_canvas_reveal (f.canvas, &region);
  _gls_canvas_get_center (f.canvas, &cx2, &cy2);
  g_assert_cmpfloat (gls_canvas_get_zoom (f.canvas), ==, zoom);
  g_assert_cmpfloat (cx2, ==, cx);
  g_assert_cmpfloat (cy2, ==, cy);

  /* Fitted, the whole page is in view: it stays fitted, even when the
   * window is resized afterwards. */
  gls_canvas_zoom_to_fit (f.canvas);
  zoom = gls_canvas_get_zoom (f.canvas);
  gls_canvas_reveal (f.canvas, &inside);
  g_assert_cmpfloat (gls_canvas_get_zoom (f.canvas), ==, zoom);
  gtk_window_set_default_size (f.window, 600, 600);
  WAIT_FOR (gtk_widget_get_width (GTK_WIDGET (f.canvas)) == 600);
  g_assert_cmpfloat (gls_canvas_get_zoom (f.canvas), <, zoom);
  gtk_window_set_default_size (f.window, WIN_WIDTH, WIN_HEIGHT);
  WAIT_FOR (gtk_widget_get_width (GTK_WIDGET (f.canvas)) == WIN_WIDTH);

  /* Near the edge of the view (inside the margin), or out of it: the view
   * moves to show it, at the same zoom. */
  gls_canvas_set_zoom (f.canvas, 1.0);
  _gls_canvas_set_center (f.canvas, 1000, 700);
  _gls_canvas_widget_to_design (f.canvas, 10, 10, &edge.x, &edge.y);
  gls_canvas_reveal (f.canvas, &edge);
  _gls_canvas_get_center (f.canvas, &cx2, &cy2);
  g_assert_true (cx2 != 1000 || cy2 != 700);
  gls_canvas_reveal (f.canvas, &outside);
  g_assert_cmpfloat (gls_canvas_get_zoom (f.canvas), ==, 1.0);
  _gls_canvas_visible_design_rect (f.canvas, 0, &view);
  g_assert_true (graphene_rect_contains_point (&view, &GRAPHENE_POINT_INIT (1900, 1400)));
  design_to_widget (&f, 1900, 1400, &x, &y);
  g_assert_cmpfloat (x, >, PIN_RADIUS);
  g_assert_cmpfloat (y, >, PIN_RADIUS);

  fixture_tear_down (&f);
}

int
main (int   argc,
      char *argv[])
{
  /* No accessibility bus under Xvfb: GTK would warn, and warnings are fatal. */
  g_setenv ("GTK_A11Y", "none", TRUE);

  g_test_init (&argc, &argv, NULL);
  gtk_init ();

  g_test_add_func ("/ui/document/png", test_document_png);
  g_test_add_func ("/ui/document/png-scaled", test_document_png_scaled);
  g_test_add_func ("/ui/document/svg", test_document_svg);
  g_test_add_func ("/ui/document/pdf", test_document_pdf);
  g_test_add_func ("/ui/document/corrupt", test_document_corrupt);
  g_test_add_func ("/ui/document/cancel", test_document_cancel);
  g_test_add_func ("/ui/canvas/zoom-keys", test_canvas_zoom_keys);
  g_test_add_func ("/ui/canvas/coordinates", test_canvas_coordinates);
  g_test_add_func ("/ui/canvas/comment-point", test_canvas_comment_point);
  g_test_add_func ("/ui/canvas/comment-rect", test_canvas_comment_rect);
  g_test_add_func ("/ui/canvas/composer", test_canvas_composer);
  g_test_add_func ("/ui/canvas/draft", test_canvas_draft);
  g_test_add_func ("/ui/canvas/escape", test_canvas_escape);
  g_test_add_func ("/ui/canvas/reveal", test_canvas_reveal);
  g_test_add_func ("/ui/canvas/pins", test_canvas_pins);
  g_test_add_func ("/ui/canvas/pixels", test_canvas_pixels);
  g_test_add_func ("/ui/canvas/layer-pixels", test_canvas_layer_pixels);
  g_test_add_func ("/ui/canvas/layer-reuse", test_canvas_layer_reuse);
  g_test_add_func ("/ui/canvas/layer-large-page", test_canvas_layer_large_page);
  g_test_add_func ("/ui/canvas/pdf-pages", test_canvas_pdf_pages);
  g_test_add_func ("/ui/canvas/svg-zoom", test_canvas_svg_zoom);
  g_test_add_func ("/ui/canvas/raster-prescale", test_canvas_raster_prescale);
  g_test_add_func ("/ui/canvas/raster-prescale-cairo", test_canvas_raster_prescale_cairo);
  g_test_add_func ("/ui/canvas/raster-merge", test_canvas_raster_merge);

  return g_test_run ();
}
