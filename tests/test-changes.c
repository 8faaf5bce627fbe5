/* test-changes.c: did the design change under a thread? (src/render)
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "gls-changes.h"

#define WIDTH  800
#define HEIGHT 600

/* What an edit does to the picture, if anything. */
typedef void (*Edit) (cairo_t *cr);

/* A design-like picture: a soft background, panels with borders, a photo-
 * like gradient, lines of text: edges of every kind JPEG blurs. */
static void
draw_design (cairo_t *cr,
             Edit     edit)
{
  cairo_pattern_t *gradient = cairo_pattern_create_linear (0, 0, WIDTH, HEIGHT);

  cairo_set_source_rgb (cr, 0.96, 0.95, 0.92);
  cairo_paint (cr);

  cairo_pattern_add_color_stop_rgb (gradient, 0, 0.2, 0.4, 0.7);
  cairo_pattern_add_color_stop_rgb (gradient, 1, 0.9, 0.6, 0.2);
  cairo_set_source (cr, gradient);
  cairo_rectangle (cr, 40, 40, 320, 220);
  cairo_fill (cr);
  cairo_pattern_destroy (gradient);

  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_set_line_width (cr, 3);
  cairo_rectangle (cr, 420, 40, 340, 220);
  cairo_stroke (cr);
  cairo_arc (cr, 590, 150, 80, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 0.8, 0.1, 0.2);
  cairo_fill (cr);

  /* Unhinted, as a design tool exports: the same layout at any size. */
  {
    cairo_font_options_t *options = cairo_font_options_create ();

    cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
    cairo_set_font_options (cr, options);
    cairo_font_options_destroy (options);
  }
  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 18);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  for (int line = 0; line < 8; line++)
    {
      cairo_move_to (cr, 40, 320 + line * 30);
      cairo_show_text (cr, "Glossa Blinky rev A: LED D1, R1 330 Ω, 3V3 rail");
    }

  if (edit != NULL)
    edit (cr);
}

static cairo_status_t
append_to_byte_array (void                *closure,
                      const unsigned char *data,
                      unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *
design_surface (Edit   edit,
                double scale)
{
  int width = (int) round (WIDTH * scale), height = (int) round (HEIGHT * scale);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);

  cairo_scale (cr, scale, scale);
  draw_design (cr, edit);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static GBytes *
design_png (Edit   edit,
            double scale)
{
  cairo_surface_t *surface = design_surface (edit, scale);
  GByteArray *png = g_byte_array_new ();

  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_to_byte_array, png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (png);
}

static GBytes *
design_jpeg (Edit        edit,
             const char *quality)
{
  cairo_surface_t *surface = design_surface (edit, 1.0);
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *buffer;
  gsize len;

  for (int y = 0; y < height; y++)
    {
      const guint32 *s = (const guint32 *) (cairo_image_surface_get_data (surface) +
                                            y * cairo_image_surface_get_stride (surface));
      guint8 *d = gdk_pixbuf_get_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf);

      for (int x = 0; x < width; x++)
        {
          d[x * 3] = s[x] >> 16;
          d[x * 3 + 1] = s[x] >> 8;
          d[x * 3 + 2] = s[x];
        }
    }
  cairo_surface_destroy (surface);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "jpeg", &error, "quality", quality, NULL));
  return g_bytes_new_take (buffer, len);
}

static GlsChanges *
changes_for (GBytes     *older,
             const char *older_type,
             GBytes     *newer,
             const char *newer_type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsRender) a = gls_render_new (older, older_type, &error);
  g_autoptr(GlsRender) b = NULL;

  g_assert_no_error (error);
  b = gls_render_new (newer, newer_type, &error);
  g_assert_no_error (error);
  return gls_changes_new (a, b);
}

static GlsChange
detect (GlsChanges  *changes,
        GlsSelector  selector)
{
  g_autoptr(GError) error = NULL;
  GlsChange change = gls_changes_detect (changes, &selector, &error);

  g_assert_no_error (error);
  return change;
}

#define POINT(x, y)         ((GlsSelector) { GLS_SELECTOR_POINT, 0, x, y, 0, 0 })
#define RECT(x, y, w, h)    ((GlsSelector) { GLS_SELECTOR_RECT, 0, x, y, w, h })
#define PAGE(n)             ((GlsSelector) { GLS_SELECTOR_NONE, n, 0, 0, 0, 0 })

/* Three dark pixels in the text panel's empty right part. */
static void
edit_few_pixels (cairo_t *cr)
{
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_rectangle (cr, 700, 500, 3, 1);
  cairo_fill (cr);
}

/* The red circle turns green. */
static void
edit_circle (cairo_t *cr)
{
  cairo_arc (cr, 590, 150, 80, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 0.1, 0.6, 0.2);
  cairo_fill (cr);
}

/* A word of the text made bold-ish: drawn again one pixel to the right. */
static void
edit_text_line (cairo_t *cr)
{
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_move_to (cr, 41, 320);
  cairo_show_text (cr, "Glossa");
}

static void
test_unchanged (void)
{
  g_autoptr(GBytes) a = design_png (NULL, 1.0);
  g_autoptr(GBytes) b = design_png (NULL, 1.0);
  g_autoptr(GlsChanges) changes = changes_for (a, "image/png", b, "image/png");

  g_assert_cmpint (detect (changes, POINT (590, 150)), ==, GLS_CHANGE_UNCHANGED);
  g_assert_cmpint (detect (changes, RECT (40, 40, 320, 220)), ==, GLS_CHANGE_UNCHANGED);
  g_assert_cmpint (detect (changes, PAGE (0)), ==, GLS_CHANGE_UNCHANGED);
  g_assert_cmpint (detect (changes, PAGE (1)), ==, GLS_CHANGE_UNCHANGED);
}

static void
test_changed_inside (void)
{
  g_autoptr(GBytes) a = design_png (NULL, 1.0);
  g_autoptr(GBytes) b = design_png (edit_few_pixels, 1.0);
  g_autoptr(GBytes) c = design_png (edit_circle, 1.0);
  g_autoptr(GlsChanges) few = changes_for (a, "image/png", b, "image/png");
  g_autoptr(GlsChanges) circle = changes_for (a, "image/png", c, "image/png");

  /* Three pixels inside a region, near a pin: changed. */
  g_assert_cmpint (detect (few, RECT (650, 480, 100, 50)), ==, GLS_CHANGE_CHANGED);
  g_assert_cmpint (detect (few, POINT (710, 510)), ==, GLS_CHANGE_CHANGED);
  g_assert_cmpint (detect (few, PAGE (0)), ==, GLS_CHANGE_CHANGED);
  /* Elsewhere not. */
  g_assert_cmpint (detect (few, POINT (590, 150)), ==, GLS_CHANGE_UNCHANGED);
  g_assert_cmpint (detect (few, RECT (40, 40, 320, 220)), ==, GLS_CHANGE_UNCHANGED);
  /* A pin farther than its radius from the edit. */
  g_assert_cmpint (detect (few, POINT (700 - GLS_CHANGES_PIN_RADIUS - 10, 500)), ==, GLS_CHANGE_UNCHANGED);

  g_assert_cmpint (detect (circle, POINT (590, 150)), ==, GLS_CHANGE_CHANGED);
  g_assert_cmpint (detect (circle, RECT (420, 40, 340, 220)), ==, GLS_CHANGE_CHANGED);
  g_assert_cmpint (detect (circle, RECT (40, 300, 700, 260)), ==, GLS_CHANGE_UNCHANGED);
}

static void
test_changed_outside (void)
{
  g_autoptr(GBytes) a = design_png (NULL, 1.0);
  g_autoptr(GBytes) b = design_png (edit_circle, 1.0);
  g_autoptr(GlsChanges) changes = changes_for (a, "image/png", b, "image/png");

  /* Right beside the changed circle (its box is 510–670 × 70–230),
   * nothing changed. */
  g_assert_cmpint (detect (changes, RECT (40, 40, 320, 220)), ==, GLS_CHANGE_UNCHANGED);
  g_assert_cmpint (detect (changes, RECT (680, 70, 60, 160)), ==, GLS_CHANGE_UNCHANGED);
  g_assert_cmpint (detect (changes, POINT (590, 280)), ==, GLS_CHANGE_UNCHANGED);
  g_assert_cmpint (detect (changes, PAGE (0)), ==, GLS_CHANGE_CHANGED);
}

/* The newer version at twice the size: places map by the ratio, and the
 * resampling is no change. */
static void
test_resized (void)
{
  g_autoptr(GBytes) a = design_png (NULL, 1.0);
  g_autoptr(GBytes) b = design_png (edit_circle, 2.0);
  g_autoptr(GBytes) c = design_png (NULL, 0.5);
  g_autoptr(GlsChanges) bigger = changes_for (a, "image/png", b, "image/png");
  g_autoptr(GlsChanges) smaller = changes_for (a, "image/png", c, "image/png");
  GlsSelector mapped;
  GlsSelector rect = RECT (40, 40, 320, 220);

  g_assert_true (gls_changes_map_selector (bigger, &rect, &mapped));
  g_assert_cmpint (mapped.kind, ==, GLS_SELECTOR_RECT);
  g_assert_cmpfloat (mapped.x, ==, 80);
  g_assert_cmpfloat (mapped.y, ==, 80);
  g_assert_cmpfloat (mapped.width, ==, 640);
  g_assert_cmpfloat (mapped.height, ==, 440);

  g_assert_cmpint (detect (bigger, rect), ==, GLS_CHANGE_UNCHANGED);
  g_assert_cmpint (detect (bigger, RECT (40, 300, 700, 260)), ==, GLS_CHANGE_UNCHANGED);
  g_assert_cmpint (detect (bigger, POINT (590, 150)), ==, GLS_CHANGE_CHANGED);

  g_assert_cmpint (detect (smaller, rect), ==, GLS_CHANGE_UNCHANGED);
  g_assert_cmpint (detect (smaller, RECT (40, 300, 700, 260)), ==, GLS_CHANGE_UNCHANGED);
  g_assert_cmpint (detect (smaller, POINT (590, 150)), ==, GLS_CHANGE_UNCHANGED);
  g_assert_cmpint (detect (smaller, PAGE (0)), ==, GLS_CHANGE_UNCHANGED);
}

/* The same design saved again as JPEG (from a PNG, and JPEG from JPEG at
 * another quality): nothing changed. An edit under it still shows. */
static void
test_jpeg_noise (void)
{
  g_autoptr(GBytes) png = design_png (NULL, 1.0);
  g_autoptr(GBytes) jpeg90 = design_jpeg (NULL, "90");
  g_autoptr(GBytes) jpeg75 = design_jpeg (NULL, "75");
  g_autoptr(GBytes) jpeg_edited = design_jpeg (edit_text_line, "75");
  g_autoptr(GBytes) jpeg_few = design_jpeg (edit_few_pixels, "85");
  g_autoptr(GlsChanges) png_to_jpeg = changes_for (png, "image/png", jpeg75, "image/jpeg");
  g_autoptr(GlsChanges) jpeg_to_jpeg = changes_for (jpeg90, "image/jpeg", jpeg75, "image/jpeg");
  g_autoptr(GlsChanges) edited = changes_for (png, "image/png", jpeg_edited, "image/jpeg");
  g_autoptr(GlsChanges) few = changes_for (jpeg90, "image/jpeg", jpeg_few, "image/jpeg");
  GlsChanges *noisy[] = { png_to_jpeg, jpeg_to_jpeg };

  for (guint i = 0; i < G_N_ELEMENTS (noisy); i++)
    {
      g_assert_cmpint (detect (noisy[i], PAGE (0)), ==, GLS_CHANGE_UNCHANGED);
      g_assert_cmpint (detect (noisy[i], RECT (40, 300, 700, 260)), ==, GLS_CHANGE_UNCHANGED);
      g_assert_cmpint (detect (noisy[i], POINT (590, 150)), ==, GLS_CHANGE_UNCHANGED);
    }

  g_assert_cmpint (detect (edited, RECT (30, 300, 100, 30)), ==, GLS_CHANGE_CHANGED);
  g_assert_cmpint (detect (edited, RECT (40, 380, 700, 100)), ==, GLS_CHANGE_UNCHANGED);
  g_assert_cmpint (detect (few, POINT (705, 505)), ==, GLS_CHANGE_CHANGED);
  g_assert_cmpint (detect (few, POINT (590, 150)), ==, GLS_CHANGE_UNCHANGED);
}

/* Two pages; on page 2 a line of text that @hidden_text writes in white
 * (invisible: only the text layer has it) and @part_number. */
static GBytes *
make_pdf (const char *part_number,
          const char *hidden_text,
          int         n_pages)
{
  GByteArray *array = g_byte_array_new ();
  cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream (append_to_byte_array, array, 400, 300);
  cairo_t *cr = cairo_create (pdf);

  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 16);
  for (int page = 1; page <= n_pages; page++)
    {
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_move_to (cr, 20, 40);
      cairo_show_text (cr, page == 1 ? "Title page" : "Parts");
      if (page == 2)
        {
          cairo_move_to (cr, 20, 100);
          cairo_show_text (cr, part_number);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_move_to (cr, 20, 200);
          cairo_show_text (cr, hidden_text);
        }
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (pdf);
  cairo_surface_destroy (pdf);
  return g_byte_array_free_to_bytes (array);
}

static void
test_pdf (void)
{
  g_autoptr(GBytes) v1 = make_pdf ("R1 330", "note one", 2);
  g_autoptr(GBytes) same = make_pdf ("R1 330", "note one", 2);
  g_autoptr(GBytes) part = make_pdf ("R1 470", "note one", 2);
  g_autoptr(GBytes) hidden = make_pdf ("R1 330", "note two", 2);
  g_autoptr(GBytes) shorter = make_pdf ("R1 330", "note one", 1);
  g_autoptr(GlsChanges) unchanged = changes_for (v1, "application/pdf", same, "application/pdf");
  g_autoptr(GlsChanges) part_changed = changes_for (v1, "application/pdf", part, "application/pdf");
  g_autoptr(GlsChanges) text_only = changes_for (v1, "application/pdf", hidden, "application/pdf");
  g_autoptr(GlsChanges) page_gone = changes_for (v1, "application/pdf", shorter, "application/pdf");
  GlsSelector part_rect = { GLS_SELECTOR_RECT, 2, 10, 80, 200, 30 };
  GlsSelector hidden_rect = { GLS_SELECTOR_RECT, 2, 10, 180, 200, 30 };
  GlsSelector title = { GLS_SELECTOR_POINT, 1, 40, 35, 0, 0 };

  g_assert_cmpint (detect (unchanged, part_rect), ==, GLS_CHANGE_UNCHANGED);
  g_assert_cmpint (detect (unchanged, PAGE (2)), ==, GLS_CHANGE_UNCHANGED);
  g_assert_cmpint (detect (unchanged, PAGE (0)), ==, GLS_CHANGE_UNCHANGED);

  g_assert_cmpint (detect (part_changed, part_rect), ==, GLS_CHANGE_CHANGED);
  g_assert_cmpint (detect (part_changed, hidden_rect), ==, GLS_CHANGE_UNCHANGED);
  g_assert_cmpint (detect (part_changed, title), ==, GLS_CHANGE_UNCHANGED);
  g_assert_cmpint (detect (part_changed, PAGE (1)), ==, GLS_CHANGE_UNCHANGED);
  g_assert_cmpint (detect (part_changed, PAGE (2)), ==, GLS_CHANGE_CHANGED);

  /* The same pixels, other words: changed by its text. */
  g_assert_cmpint (detect (text_only, hidden_rect), ==, GLS_CHANGE_CHANGED);
  g_assert_cmpint (detect (text_only, PAGE (2)), ==, GLS_CHANGE_CHANGED);
  g_assert_cmpint (detect (text_only, part_rect), ==, GLS_CHANGE_UNCHANGED);

  /* Its page is gone: changed; the design has fewer pages: changed. */
  g_assert_cmpint (detect (page_gone, part_rect), ==, GLS_CHANGE_CHANGED);
  g_assert_cmpint (detect (page_gone, PAGE (0)), ==, GLS_CHANGE_CHANGED);
  g_assert_cmpint (detect (page_gone, title), ==, GLS_CHANGE_UNCHANGED);
}

static void
test_hostile_selectors (void)
{
  g_autoptr(GBytes) a = design_png (NULL, 1.0);
  g_autoptr(GBytes) b = design_png (edit_circle, 1.0);
  g_autoptr(GlsChanges) changes = changes_for (a, "image/png", b, "image/png");
  GlsSelector text = { GLS_SELECTOR_TEXT, 0, 0, 0, 0, 0, 0, 5, (char *) "hello", NULL, NULL };
  GlsSelector mapped;

  /* No place on the page. */
  g_assert_cmpint (detect (changes, RECT (5000, 5000, 10, 10)), ==, GLS_CHANGE_UNKNOWN);
  g_assert_cmpint (detect (changes, POINT (-500, -500)), ==, GLS_CHANGE_UNKNOWN);
  g_assert_cmpint (detect (changes, POINT (NAN, 10)), ==, GLS_CHANGE_UNKNOWN);
  g_assert_cmpint (detect (changes, RECT (10, 10, INFINITY, 10)), ==, GLS_CHANGE_UNKNOWN);
  g_assert_cmpint (detect (changes, RECT (-1e308, -1e308, 1e308, 1e308)), ==, GLS_CHANGE_UNKNOWN);
  g_assert_cmpint (detect (changes, text), ==, GLS_CHANGE_UNKNOWN);
  /* A page an image does not have. */
  g_assert_cmpint (detect (changes, PAGE (2)), ==, GLS_CHANGE_UNKNOWN);
  g_assert_cmpint (detect (changes, ((GlsSelector) { GLS_SELECTOR_POINT, 7, 590, 150, 0, 0 })), ==, GLS_CHANGE_UNKNOWN);
  g_assert_false (gls_changes_map_selector (changes, &(GlsSelector) { GLS_SELECTOR_POINT, 7, 1, 1, 0, 0 }, &mapped));
  g_assert_cmpint (detect (changes, ((GlsSelector) { GLS_SELECTOR_POINT, G_MAXUINT, 590, 150, 0, 0 })), ==, GLS_CHANGE_UNKNOWN);

  /* Partly off the page: what is on it counts. */
  g_assert_cmpint (detect (changes, RECT (500, -100, 200, 200)), ==, GLS_CHANGE_CHANGED);
  g_assert_cmpint (detect (changes, RECT (-100, -100, 120, 120)), ==, GLS_CHANGE_UNCHANGED);
  /* A region of no size is a pin; a negative size counts from the other
   * corner. */
  g_assert_cmpint (detect (changes, RECT (590, 150, 0, 0)), ==, GLS_CHANGE_CHANGED);
  g_assert_cmpint (detect (changes, RECT (200, 150, 0, 0)), ==, GLS_CHANGE_UNCHANGED);
  g_assert_cmpint (detect (changes, RECT (670, 230, -100, -100)), ==, GLS_CHANGE_CHANGED);
  g_assert_cmpint (detect (changes, RECT (360, 260, -320, -220)), ==, GLS_CHANGE_UNCHANGED);
  /* The corner pixel, and a pin on the very edge. */
  g_assert_cmpint (detect (changes, RECT (799, 599, 1, 1)), ==, GLS_CHANGE_UNCHANGED);
  g_assert_cmpint (detect (changes, POINT (800, 600)), ==, GLS_CHANGE_UNCHANGED);
}

/* One map per page answers every thread on it. */
static void
test_many_threads_one_map (void)
{
  g_autoptr(GBytes) a = design_png (NULL, 1.0);
  g_autoptr(GBytes) b = design_png (edit_circle, 1.0);
  g_autoptr(GlsChanges) changes = changes_for (a, "image/png", b, "image/png");
  g_autoptr(GError) error = NULL;
  guint changed = 0;

  g_assert_true (gls_changes_prepare (changes, &error));
  g_assert_no_error (error);
  /* A grid of pins 40 px apart: those within the circle's box and the
   * pin radius changed, the others not. */
  for (int y = 20; y < HEIGHT; y += 40)
    for (int x = 20; x < WIDTH; x += 40)
      {
        GlsChange change = detect (changes, POINT (x, y));
        gboolean near = x >= 510 - GLS_CHANGES_PIN_RADIUS - 4 && x <= 670 + GLS_CHANGES_PIN_RADIUS + 4 &&
                        y >= 70 - GLS_CHANGES_PIN_RADIUS - 4 && y <= 230 + GLS_CHANGES_PIN_RADIUS + 4;

        if (change == GLS_CHANGE_CHANGED)
          {
            changed++;
            g_assert_true (near);
          }
        else
          g_assert_cmpint (change, ==, GLS_CHANGE_UNCHANGED);
      }
  g_assert_cmpuint (changed, >=, 16);
}

/* An SVG version becomes a PNG of it: compared on one grid. */
static void
test_svg (void)
{
  const char *svg_a = "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='100'>"
                      "<rect width='200' height='100' fill='#eee'/>"
                      "<circle cx='50' cy='50' r='30' fill='#c00'/>"
                      "<rect x='120' y='20' width='60' height='60' fill='#036'/></svg>";
  const char *svg_b = "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='100'>"
                      "<rect width='200' height='100' fill='#eee'/>"
                      "<circle cx='50' cy='50' r='30' fill='#c00'/>"
                      "<rect x='120' y='20' width='60' height='60' fill='#0a3'/></svg>";
  g_autoptr(GBytes) a = g_bytes_new_static (svg_a, strlen (svg_a));
  g_autoptr(GBytes) b = g_bytes_new_static (svg_b, strlen (svg_b));
  g_autoptr(GlsChanges) changes = changes_for (a, "image/svg+xml", b, "image/svg+xml");

  g_assert_cmpint (detect (changes, POINT (50, 50)), ==, GLS_CHANGE_UNCHANGED);
  g_assert_cmpint (detect (changes, RECT (120, 20, 60, 60)), ==, GLS_CHANGE_CHANGED);
  g_assert_cmpint (detect (changes, PAGE (0)), ==, GLS_CHANGE_CHANGED);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/changes/unchanged", test_unchanged);
  g_test_add_func ("/changes/changed-inside", test_changed_inside);
  g_test_add_func ("/changes/changed-outside", test_changed_outside);
  g_test_add_func ("/changes/resized", test_resized);
  g_test_add_func ("/changes/jpeg-noise", test_jpeg_noise);
  g_test_add_func ("/changes/pdf", test_pdf);
  g_test_add_func ("/changes/svg", test_svg);
  g_test_add_func ("/changes/hostile-selectors", test_hostile_selectors);
  g_test_add_func ("/changes/many-threads", test_many_threads_one_map);

  return g_test_run ();
}
