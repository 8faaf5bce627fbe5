/* test-render.c: design files drawn without GTK (src/render)
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

#include "gls-render.h"
#include "test-util.h"

static GBytes *
sample_bytes (const char *name)
{
  g_autofree char *path = test_sample_path (name);
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  g_assert_cmpint (x, <, cairo_image_surface_get_width (surface));
  g_assert_cmpint (y, <, cairo_image_surface_get_height (surface));
  return ((const guint32 *) (data + (gsize) y * stride))[x];
}

/* Within a few levels on each channel: resampling rounds. */
static void
assert_colour_near (guint32 pixel,
                    guint32 expected)
{
  for (int shift = 0; shift <= 24; shift += 8)
    g_assert_cmpint (ABS ((int) ((pixel >> shift) & 0xff) - (int) ((expected >> shift) & 0xff)), <=, 3);
}

static gboolean
surface_is_opaque (cairo_surface_t *surface)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      if ((pixel_at (surface, x, y) >> 24) != 0xff)
        return FALSE;
  return TRUE;
}

static void
test_png (void)
{
  g_autoptr(GBytes) bytes = sample_bytes ("board.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsRender) render = gls_render_new (bytes, "image/png", &error);
  cairo_surface_t *surface;
  cairo_rectangle_t area = { 100, 50, 201, 99 }, covered;
  double width, height;

  g_assert_no_error (error);
  g_assert_cmpint (gls_render_get_kind (render), ==, GLS_DESIGN_KIND_RASTER);
  g_assert_cmpuint (gls_render_get_n_pages (render), ==, 1);
  g_assert_true (gls_render_get_page_size (render, 0, &width, &height));
  g_assert_cmpfloat (width, ==, 1200);
  g_assert_cmpfloat (height, ==, 750);
  g_assert_true (gls_render_get_page_size (render, 1, NULL, NULL));
  g_assert_false (gls_render_get_page_size (render, 2, NULL, NULL));

  /* The whole page at its own size, then half of it. */
  surface = gls_render_page (render, 0, 1.0, NULL, &covered, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cairo_image_surface_get_format (surface), ==, CAIRO_FORMAT_ARGB32);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 1200);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 750);
  g_assert_cmpfloat (covered.width, ==, 1200);
  cairo_surface_destroy (surface);

  surface = gls_render_page (render, 1, 0.5, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 600);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 375);
  g_assert_true (surface_is_opaque (surface));
  cairo_surface_destroy (surface);

  /* An area, widened to whole pixels at the scale. */
  surface = gls_render_page (render, 0, 0.5, &area, &covered, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 101);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 50);
  g_assert_cmpfloat (covered.x, ==, 100);
  g_assert_cmpfloat (covered.y, ==, 50);
  g_assert_cmpfloat (covered.width, ==, 202);
  g_assert_cmpfloat (covered.height, ==, 100);
  cairo_surface_destroy (surface);

  /* Images have no text layer. */
  {
    g_autofree char *text = gls_render_get_text (render, 1, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (text, ==, "");
  }
}

/* A PNG with transparent pixels comes out white there, and its colours
 * where it is opaque. */
static void
test_transparent_png (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 8, 8);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsRender) render = NULL;
  g_autoptr(GBytes) bytes = NULL;
  cairo_surface_t *surface;
  char *buffer;
  gsize len;

  gdk_pixbuf_fill (pixbuf, 0x00000000);
  /* The left half opaque red. */
  for (int y = 0; y < 8; y++)
    for (int x = 0; x < 4; x++)
      {
        guint8 *p = gdk_pixbuf_get_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf) + x * 4;
        p[0] = 255, p[1] = 0, p[2] = 0, p[3] = 255;
      }
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", &error, NULL));
  bytes = g_bytes_new_take (buffer, len);

  render = gls_render_new (bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gls_render_get_media_type (render), ==, "image/png");
  surface = gls_render_page (render, 0, 1.0, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmphex (pixel_at (surface, 1, 1), ==, 0xffff0000);
  g_assert_cmphex (pixel_at (surface, 6, 6), ==, 0xffffffff);
  cairo_surface_destroy (surface);

  /* Scaled up, the same. */
  surface = gls_render_page (render, 0, 4.0, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 32);
  assert_colour_near (pixel_at (surface, 2, 2), 0xffff0000);
  assert_colour_near (pixel_at (surface, 30, 30), 0xffffffff);
  cairo_surface_destroy (surface);
}

static void
test_svg (void)
{
  g_autoptr(GBytes) bytes = sample_bytes ("board.svg");
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsRender) render = gls_render_new (bytes, "image/svg+xml", &error);
  cairo_surface_t *surface;
  double width, height;

  g_assert_no_error (error);
  g_assert_cmpint (gls_render_get_kind (render), ==, GLS_DESIGN_KIND_SVG);
  g_assert_true (gls_render_get_page_size (render, 0, &width, &height));
  /* Its intrinsic size in pixels, as the window and selectors use. */
  g_assert_cmpfloat (width, ==, 800);
  g_assert_cmpfloat (height, ==, 500);

  surface = gls_render_page (render, 0, 0.25, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 200);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 125);
  g_assert_true (surface_is_opaque (surface));
  cairo_surface_destroy (surface);

  /* The bytes decide when the type says nothing. */
  g_clear_object (&render);
  render = gls_render_new (bytes, "application/octet-stream", &error);
  g_assert_no_error (error);
  g_assert_cmpint (gls_render_get_kind (render), ==, GLS_DESIGN_KIND_SVG);
}

static void
test_pdf (void)
{
  g_autoptr(GBytes) bytes = sample_bytes ("datasheet.pdf");
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsRender) render = gls_render_new (bytes, "application/pdf", &error);
  cairo_surface_t *surface;
  double width, height;
  g_autofree char *page_text = NULL;
  g_autofree char *none = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (gls_render_get_kind (render), ==, GLS_DESIGN_KIND_PDF);
  g_assert_cmpuint (gls_render_get_n_pages (render), ==, 5);
  g_assert_true (gls_render_get_page_size (render, 2, &width, &height));
  g_assert_cmpfloat_with_epsilon (width, 595.28, 0.01);
  g_assert_cmpfloat_with_epsilon (height, 841.89, 0.01);
  g_assert_false (gls_render_get_page_size (render, 6, NULL, NULL));

  surface = gls_render_page (render, 2, 1.0, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 596);
  g_assert_true (surface_is_opaque (surface));
  cairo_surface_destroy (surface);

  surface = gls_render_page (render, 6, 1.0, NULL, NULL, &error);
  g_assert_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_INVALID);
  g_assert_null (surface);
  g_clear_error (&error);

  page_text = gls_render_get_text (render, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (page_text, "Blinky"));

  /* Nothing is written in the page's top-left corner. */
  none = gls_render_get_text (render, 1, &(cairo_rectangle_t) { 0, 0, 5, 5 }, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (none, ==, "");

  g_assert_null (gls_render_get_text (render, 9, NULL, &error));
  g_assert_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_INVALID);
}

/* Text written at a known place by cairo's PDF surface is found there,
 * and only there. */
static cairo_status_t
append_to_byte_array (void                *closure,
                      const unsigned char *data,
                      unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
test_pdf_text_area (void)
{
  GByteArray *array = g_byte_array_new ();
  cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream (append_to_byte_array, array, 400, 300);
  cairo_t *cr = cairo_create (pdf);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GlsRender) render = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *top = NULL;
  g_autofree char *bottom = NULL;

  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 20);
  cairo_move_to (cr, 20, 50);
  cairo_show_text (cr, "Resistor");
  cairo_move_to (cr, 20, 250);
  cairo_show_text (cr, "Capacitor");
  cairo_destroy (cr);
  cairo_surface_finish (pdf);
  cairo_surface_destroy (pdf);
  bytes = g_byte_array_free_to_bytes (array);

  render = gls_render_new (bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gls_render_get_kind (render), ==, GLS_DESIGN_KIND_PDF);

  /* Top-left origin: the first word is near the top. */
  top = gls_render_get_text (render, 1, &(cairo_rectangle_t) { 0, 0, 400, 100 }, &error);
  g_assert_no_error (error);
  bottom = gls_render_get_text (render, 1, &(cairo_rectangle_t) { 0, 200, 400, 100 }, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (top, "Resistor"));
  g_assert_null (strstr (top, "Capacitor"));
  g_assert_nonnull (strstr (bottom, "Capacitor"));
  g_assert_null (strstr (bottom, "Resistor"));
}

static void
test_damaged (void)
{
  g_autoptr(GBytes) png = sample_bytes ("board.png");
  g_autoptr(GBytes) pdf = sample_bytes ("datasheet.pdf");
  g_autoptr(GBytes) cut_png = g_bytes_new_from_bytes (png, 0, 200);
  g_autoptr(GBytes) cut_pdf = g_bytes_new_from_bytes (pdf, 0, 100);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) text = g_bytes_new_static ("hello, world\n", 13);
  g_autoptr(GBytes) svg = g_bytes_new_static ("<svg xmlns='http://www.w3.org/2000/svg'><rect", 45);
  g_autoptr(GBytes) sizeless = g_bytes_new_static ("<svg xmlns='http://www.w3.org/2000/svg'/>", 41);
  struct {
    GBytes     *bytes;
    const char *type;
    int         code;
  } cases[] = {
    { cut_png, "image/png", GLS_RENDER_ERROR_DAMAGED },
    { cut_pdf, "application/pdf", GLS_RENDER_ERROR_DAMAGED },
    { empty, NULL, GLS_RENDER_ERROR_DAMAGED },
    { text, NULL, GLS_RENDER_ERROR_NOT_SUPPORTED },
    { text, "text/plain", GLS_RENDER_ERROR_NOT_SUPPORTED },
    { svg, "image/svg+xml", GLS_RENDER_ERROR_DAMAGED },
    { sizeless, "image/svg+xml", GLS_RENDER_ERROR_DAMAGED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GlsRender) render = gls_render_new (cases[i].bytes, cases[i].type, &error);

      g_test_message ("case %u", i);
      g_assert_null (render);
      g_assert_error (error, GLS_RENDER_ERROR, cases[i].code);
      g_assert_cmpuint (strlen (error->message), >, 10);
    }
}

/* A PDF with a password (RC4, revision 2, an owner key of zeros): poppler
 * cannot open it with the empty password, and says so. */
static void
test_password_pdf (void)
{
  static const char *objects[] = {
    "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n",
    "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n",
    "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n",
    "4 0 obj << /Filter /Standard /V 1 /R 2 /P -4"
    " /O <0000000000000000000000000000000000000000000000000000000000000000>"
    " /U <0101010101010101010101010101010101010101010101010101010101010101> >> endobj\n",
  };
  g_autoptr(GString) pdf = g_string_new ("%PDF-1.4\n");
  gsize offsets[G_N_ELEMENTS (objects)];
  gsize xref;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsRender) render = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    {
      offsets[i] = pdf->len;
      g_string_append (pdf, objects[i]);
    }
  xref = pdf->len;
  g_string_append_printf (pdf, "xref\n0 %u\n0000000000 65535 f \n", (guint) G_N_ELEMENTS (objects) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    g_string_append_printf (pdf, "%010" G_GSIZE_FORMAT " 00000 n \n", offsets[i]);
  g_string_append_printf (pdf, "trailer << /Size %u /Root 1 0 R /Encrypt 4 0 R"
                          " /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] >>\n"
                          "startxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n",
                          (guint) G_N_ELEMENTS (objects) + 1, xref);
  bytes = g_bytes_new (pdf->str, pdf->len);

  render = gls_render_new (bytes, "application/pdf", &error);
  g_assert_null (render);
  g_assert_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_PASSWORD);
}

/* CRC-32 as PNG chunks carry it. */
static guint32
crc32_of (const guint8 *data,
          gsize         len)
{
  guint32 crc = 0xffffffffu;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
  return crc ^ 0xffffffffu;
}

static void
append_be32 (GByteArray *array,
             guint32     value)
{
  guint8 be[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (array, be, 4);
}

/* A PNG header that declares @width × @height pixels, and a few bytes of
 * picture data: the decoder must refuse it before it takes the memory. */
static GBytes *
png_declaring (guint32 width,
               guint32 height)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  GByteArray *png = g_byte_array_new ();
  guint8 ihdr[17] = { 'I', 'H', 'D', 'R' };
  /* zlib, one stored block: a row of one RGBA pixel (filter byte and 4 zeros) */
  static const guint8 idat[] = { 'I', 'D', 'A', 'T', 0x78, 0x01, 0x01, 0x05, 0x00, 0xfa, 0xff,
                                 0, 0, 0, 0, 0, 0x00, 0x05, 0x00, 0x01 };
  static const guint8 iend[] = { 'I', 'E', 'N', 'D' };

  g_byte_array_append (png, signature, sizeof signature);
  ihdr[4] = width >> 24, ihdr[5] = width >> 16, ihdr[6] = width >> 8, ihdr[7] = width;
  ihdr[8] = height >> 24, ihdr[9] = height >> 16, ihdr[10] = height >> 8, ihdr[11] = height;
  ihdr[12] = 8;   /* bits */
  ihdr[13] = 6;   /* RGBA */
  append_be32 (png, 13);
  g_byte_array_append (png, ihdr, sizeof ihdr);
  append_be32 (png, crc32_of (ihdr, sizeof ihdr));
  append_be32 (png, sizeof idat - 4);
  g_byte_array_append (png, idat, sizeof idat);
  append_be32 (png, crc32_of (idat, sizeof idat));
  append_be32 (png, 0);
  g_byte_array_append (png, iend, sizeof iend);
  append_be32 (png, crc32_of (iend, sizeof iend));

  return g_byte_array_free_to_bytes (png);
}

static void
test_huge_image (void)
{
  const guint32 sizes[][2] = { { 100000, 100000 }, { 16000, 16000 }, { 20000, 10 }, { 1u << 30, 1u << 30 } };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GBytes) png = png_declaring (sizes[i][0], sizes[i][1]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GlsRender) render = NULL;
      gint64 start = g_get_monotonic_time ();

      render = gls_render_new (png, "image/png", &error);
      g_assert_null (render);
      g_test_message ("%u × %u: %s", sizes[i][0], sizes[i][1], error->message);
      /* Refused at the header, quickly; or (beyond what libpng takes at
       * all) refused as damaged. Never decoded. */
      if (sizes[i][0] <= 100000)
        g_assert_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_TOO_LARGE);
      else
        g_assert_true (error->domain == GLS_RENDER_ERROR);
      g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
    }

  /* A small one of the same making is drawn. */
  {
    g_autoptr(GBytes) png = png_declaring (1, 1);
    g_autoptr(GError) error = NULL;
    g_autoptr(GlsRender) render = gls_render_new (png, "image/png", &error);

    g_assert_no_error (error);
    g_assert_nonnull (render);
  }
}

static void
test_bad_requests (void)
{
  g_autoptr(GBytes) bytes = sample_bytes ("board.svg");
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsRender) render = gls_render_new (bytes, "image/svg+xml", &error);
  const double scales[] = { 0, -1, NAN, INFINITY, 1000 };
  const cairo_rectangle_t areas[] = {
    { 900, 900, 10, 10 },   /* off the page */
    { 10, 10, 0, 10 },      /* empty */
    { 10, 10, -5, 10 },     /* negative */
    { NAN, 0, 10, 10 },
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (scales); i++)
    {
      cairo_surface_t *surface = gls_render_page (render, 0, scales[i], NULL, NULL, &error);

      g_assert_null (surface);
      /* A zoom of 1000 would be 800,000 pixels wide. */
      g_assert_error (error, GLS_RENDER_ERROR,
                      (i == 4 ? (int) GLS_RENDER_ERROR_TOO_LARGE : (int) GLS_RENDER_ERROR_INVALID));
      g_clear_error (&error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
    {
      cairo_surface_t *surface = gls_render_page (render, 0, 1, &areas[i], NULL, &error);

      g_assert_null (surface);
      g_assert_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_INVALID);
      g_clear_error (&error);
    }

  /* An area partly off the page is clipped to it. */
  {
    cairo_rectangle_t covered;
    cairo_surface_t *surface = gls_render_page (render, 0, 1, &(cairo_rectangle_t) { 700, 400, 500, 500 },
                                                &covered, &error);

    g_assert_no_error (error);
    g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 100);
    g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 100);
    cairo_surface_destroy (surface);
  }
}

/* One GlsRender per thread draws in parallel. */
static gpointer
draw_in_thread (gpointer data)
{
  GBytes *bytes = data;
  g_autoptr(GlsRender) render = gls_render_new (bytes, "application/pdf", NULL);

  g_assert_nonnull (render);
  for (guint page = 1; page <= gls_render_get_n_pages (render); page++)
    {
      cairo_surface_t *surface = gls_render_page (render, page, 0.5, NULL, NULL, NULL);

      g_assert_nonnull (surface);
      cairo_surface_destroy (surface);
    }
  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(GBytes) bytes = sample_bytes ("datasheet.pdf");
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("draw", draw_in_thread, bytes);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/png", test_png);
  g_test_add_func ("/render/png-transparent", test_transparent_png);
  g_test_add_func ("/render/svg", test_svg);
  g_test_add_func ("/render/pdf", test_pdf);
  g_test_add_func ("/render/pdf-text-area", test_pdf_text_area);
  g_test_add_func ("/render/damaged", test_damaged);
  g_test_add_func ("/render/password", test_password_pdf);
  g_test_add_func ("/render/huge-image", test_huge_image);
  g_test_add_func ("/render/bad-requests", test_bad_requests);
  g_test_add_func ("/render/threads", test_threads);

  return g_test_run ();
}
