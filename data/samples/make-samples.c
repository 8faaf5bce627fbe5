/* make-samples.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Makes the sample designs in data/samples/ from the hand-drawn board.svg:
 * board.png, a photo-like picture of the board lying on a cutting mat, and
 * datasheet.pdf, a five-page datasheet. The output is reproducible: no
 * clock, no random seed, fixed PDF dates.
 *
 *   make-samples BOARD.SVG OUTDIR        (or: ninja -C _build samples)
 */

#define G_LOG_DOMAIN "make-samples"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <glib.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>

#define PHOTO_WIDTH  1200
#define PHOTO_HEIGHT 750

/* A4 in PostScript points */
#define PAGE_WIDTH   595.276
#define PAGE_HEIGHT  841.890
#define MARGIN       48.0
#define N_PAGES      5

#define SAMPLE_DATE  "2026-11-23T12:00:00Z"

#define SANS  "DejaVu Sans"
#define SERIF "DejaVu Serif"
#define MONO  "DejaVu Sans Mono"

/* Colours of the board, reused in the datasheet */
#define GREEN_DARK   0.078, 0.353, 0.204
#define GREEN        0.122, 0.478, 0.282
#define GREEN_LIGHT  0.894, 0.949, 0.914
#define INK          0.141, 0.153, 0.165
#define INK_SOFT     0.373, 0.392, 0.408

/* --- board.png ---------------------------------------------------------- */

/* One horizontal box-blur pass over an A8 surface, in place. */
static void
blur_rows (guchar *data,
           int     width,
           int     height,
           int     stride,
           int     radius)
{
  g_autofree guchar *line = g_malloc (width);

  for (int y = 0; y < height; y++)
    {
      guchar *row = data + (gsize) y * stride;
      int sum = 0;
      int span = 2 * radius + 1;

      for (int x = -radius; x <= radius; x++)
        sum += row[CLAMP (x, 0, width - 1)];

      for (int x = 0; x < width; x++)
        {
          line[x] = sum / span;
          sum += row[MIN (x + radius + 1, width - 1)];
          sum -= row[MAX (x - radius, 0)];
        }

      memcpy (row, line, width);
    }
}

static void
blur_columns (guchar *data,
              int     width,
              int     height,
              int     stride,
              int     radius)
{
  g_autofree guchar *column = g_malloc (height);

  for (int x = 0; x < width; x++)
    {
      int sum = 0;
      int span = 2 * radius + 1;

      for (int y = -radius; y <= radius; y++)
        sum += data[(gsize) CLAMP (y, 0, height - 1) * stride + x];

      for (int y = 0; y < height; y++)
        {
          column[y] = sum / span;
          sum += data[(gsize) MIN (y + radius + 1, height - 1) * stride + x];
          sum -= data[(gsize) MAX (y - radius, 0) * stride + x];
        }

      for (int y = 0; y < height; y++)
        data[(gsize) y * stride + x] = column[y];
    }
}

/* Three box blurs come close to a gaussian. */
static void
blur_alpha (cairo_surface_t *surface,
            int              radius)
{
  guchar *data;
  int width, height, stride;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  stride = cairo_image_surface_get_stride (surface);

  for (int pass = 0; pass < 3; pass++)
    {
      blur_rows (data, width, height, stride, radius);
      blur_columns (data, width, height, stride, radius);
    }

  cairo_surface_mark_dirty (surface);
}

/* A self-healing cutting mat: blue-grey, with a 10 mm grid. */
static void
draw_mat (cairo_t *cr)
{
  cairo_pattern_t *pattern;
  const double cell = 36.0;

  pattern = cairo_pattern_create_linear (0, 0, PHOTO_WIDTH * 0.3, PHOTO_HEIGHT);
  cairo_pattern_add_color_stop_rgb (pattern, 0, 0.235, 0.290, 0.345);
  cairo_pattern_add_color_stop_rgb (pattern, 1, 0.165, 0.208, 0.255);
  cairo_set_source (cr, pattern);
  cairo_paint (cr);
  cairo_pattern_destroy (pattern);

  cairo_set_line_width (cr, 1.0);
  for (int i = 0; i * cell < PHOTO_WIDTH + cell; i++)
    {
      double a = i % 5 == 0 ? 0.22 : 0.09;

      cairo_set_source_rgba (cr, 0.78, 0.86, 0.92, a);
      cairo_move_to (cr, 18.5 + i * cell, 0);
      cairo_line_to (cr, 18.5 + i * cell, PHOTO_HEIGHT);
      cairo_stroke (cr);
    }
  for (int i = 0; i * cell < PHOTO_HEIGHT + cell; i++)
    {
      double a = i % 5 == 0 ? 0.22 : 0.09;

      cairo_set_source_rgba (cr, 0.78, 0.86, 0.92, a);
      cairo_move_to (cr, 0, 11.5 + i * cell);
      cairo_line_to (cr, PHOTO_WIDTH, 11.5 + i * cell);
      cairo_stroke (cr);
    }
}

/* Where the board lies on the mat: a little turned, as if put down by hand. */
static void
place_board (cairo_t *cr,
             double   board_width,
             double   board_height)
{
  double scale = PHOTO_WIDTH * 0.80 / board_width;

  cairo_translate (cr, PHOTO_WIDTH / 2.0, PHOTO_HEIGHT / 2.0 + 6);
  cairo_rotate (cr, -2.2 * G_PI / 180.0);
  cairo_scale (cr, scale, scale);
  cairo_translate (cr, -board_width / 2.0, -board_height / 2.0);
}

/* Film grain from a fixed xorshift sequence, so the file is reproducible. */
static void
add_grain (cairo_surface_t *surface)
{
  guint32 state = 0x9e3779b9u;
  guchar *data;
  int width, height, stride;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  stride = cairo_image_surface_get_stride (surface);

  for (int y = 0; y < height; y++)
    {
      guint32 *row = (guint32 *) (gpointer) (data + (gsize) y * stride);

      for (int x = 0; x < width; x++)
        {
          guint32 pixel = row[x];
          int delta;
          int r, g, b;

          state ^= state << 13;
          state ^= state >> 17;
          state ^= state << 5;
          delta = (int) (state % 5) - 2;

          r = CLAMP ((int) ((pixel >> 16) & 0xff) + delta, 0, 255);
          g = CLAMP ((int) ((pixel >> 8) & 0xff) + delta, 0, 255);
          b = CLAMP ((int) (pixel & 0xff) + delta, 0, 255);
          row[x] = 0xff000000u | ((guint32) r << 16) | ((guint32) g << 8) | (guint32) b;
        }
    }

  cairo_surface_mark_dirty (surface);
}

static gboolean
render_board (RsvgHandle  *board,
              cairo_t     *cr,
              double       width,
              double       height,
              GError     **error)
{
  RsvgRectangle viewport = { 0, 0, width, height };

  return rsvg_handle_render_document (board, cr, &viewport, error);
}

static gboolean
write_photo (RsvgHandle  *board,
             double       board_width,
             double       board_height,
             const char  *path,
             GError     **error)
{
  cairo_surface_t *surface;
  cairo_surface_t *shadow;
  cairo_pattern_t *light;
  cairo_status_t status;
  cairo_t *cr;

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, PHOTO_WIDTH, PHOTO_HEIGHT);
  cr = cairo_create (surface);
  draw_mat (cr);

  /* The board's own silhouette, offset and blurred, is its shadow. */
  shadow = cairo_image_surface_create (CAIRO_FORMAT_A8, PHOTO_WIDTH, PHOTO_HEIGHT);
  {
    cairo_t *scr = cairo_create (shadow);

    cairo_translate (scr, 14, 22);
    place_board (scr, board_width, board_height);
    if (!render_board (board, scr, board_width, board_height, error))
      {
        cairo_destroy (scr);
        cairo_surface_destroy (shadow);
        cairo_destroy (cr);
        cairo_surface_destroy (surface);
        return FALSE;
      }
    cairo_destroy (scr);
  }
  blur_alpha (shadow, 9);
  cairo_set_source_rgba (cr, 0.02, 0.03, 0.05, 0.62);
  cairo_mask_surface (cr, shadow, 0, 0);
  cairo_surface_destroy (shadow);

  cairo_save (cr);
  place_board (cr, board_width, board_height);
  if (!render_board (board, cr, board_width, board_height, error))
    {
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      return FALSE;
    }
  cairo_restore (cr);

  /* A desk lamp at the top left, and a vignette. */
  light = cairo_pattern_create_radial (PHOTO_WIDTH * 0.28, PHOTO_HEIGHT * 0.12, 0,
                                       PHOTO_WIDTH * 0.28, PHOTO_HEIGHT * 0.12, PHOTO_WIDTH * 0.55);
  cairo_pattern_add_color_stop_rgba (light, 0, 1.0, 0.97, 0.90, 0.16);
  cairo_pattern_add_color_stop_rgba (light, 1, 1.0, 0.97, 0.90, 0.0);
  cairo_set_source (cr, light);
  cairo_paint (cr);
  cairo_pattern_destroy (light);

  light = cairo_pattern_create_radial (PHOTO_WIDTH / 2.0, PHOTO_HEIGHT / 2.0, PHOTO_HEIGHT * 0.45,
                                       PHOTO_WIDTH / 2.0, PHOTO_HEIGHT / 2.0, PHOTO_WIDTH * 0.72);
  cairo_pattern_add_color_stop_rgba (light, 0, 0, 0, 0, 0.0);
  cairo_pattern_add_color_stop_rgba (light, 1, 0, 0, 0, 0.45);
  cairo_set_source (cr, light);
  cairo_paint (cr);
  cairo_pattern_destroy (light);

  cairo_destroy (cr);
  add_grain (surface);

  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Could not write %s: %s", path, cairo_status_to_string (status));
      return FALSE;
    }

  return TRUE;
}

/* --- datasheet.pdf: text and tables ------------------------------------- */

/* Shows markup at (x, y), wrapped to width when width > 0; returns its height. */
static double
show_text (cairo_t       *cr,
           double         x,
           double         y,
           double         width,
           const char    *font,
           PangoAlignment alignment,
           const char    *markup)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int height;

  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
    }
  pango_layout_set_alignment (layout, alignment);
  pango_layout_set_markup (layout, markup, -1);

  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, NULL, &height);
  g_object_unref (layout);

  return (double) height / PANGO_SCALE;
}

static double
show_paragraph (cairo_t    *cr,
                double      y,
                const char *markup)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (SERIF " 10.5");
  int height;

  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_width (layout, (int) ((PAGE_WIDTH - 2 * MARGIN) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_set_justify (layout, TRUE);
  pango_layout_set_spacing (layout, 3 * PANGO_SCALE);
  pango_layout_set_markup (layout, markup, -1);

  cairo_set_source_rgb (cr, INK);
  cairo_move_to (cr, MARGIN, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, NULL, &height);
  g_object_unref (layout);

  return y + (double) height / PANGO_SCALE + 9;
}

static double
show_heading (cairo_t    *cr,
              double      y,
              const char *text)
{
  cairo_set_source_rgb (cr, GREEN_DARK);
  y += show_text (cr, MARGIN, y, -1, SANS " Bold 14", PANGO_ALIGN_LEFT, text);
  cairo_set_line_width (cr, 1.2);
  cairo_move_to (cr, MARGIN, y + 3);
  cairo_line_to (cr, PAGE_WIDTH - MARGIN, y + 3);
  cairo_stroke (cr);

  return y + 12;
}

static void
show_page_frame (cairo_t    *cr,
                 int         page,
                 const char *section)
{
  g_autofree char *footer = NULL;

  /* header band */
  cairo_set_source_rgb (cr, GREEN_DARK);
  cairo_rectangle (cr, 0, 0, PAGE_WIDTH, 30);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  show_text (cr, MARGIN, 8, -1, SANS " Bold 9", PANGO_ALIGN_LEFT, "Glossa Blinky");
  show_text (cr, MARGIN, 8, PAGE_WIDTH - 2 * MARGIN, SANS " 9", PANGO_ALIGN_RIGHT, section);

  /* footer */
  footer = g_strdup_printf ("Glossa Blinky datasheet · rev A · CC BY 4.0 · page %d of %d",
                            page, N_PAGES);
  cairo_set_source_rgb (cr, INK_SOFT);
  cairo_set_line_width (cr, 0.5);
  cairo_move_to (cr, MARGIN, PAGE_HEIGHT - 40);
  cairo_line_to (cr, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 40);
  cairo_stroke (cr);
  show_text (cr, MARGIN, PAGE_HEIGHT - 34, PAGE_WIDTH - 2 * MARGIN, SANS " 8",
             PANGO_ALIGN_CENTER, footer);
}

/* A table with a header row; cells is n_rows × n_cols strings (markup). */
static double
show_table (cairo_t            *cr,
            double              y,
            const double       *widths,
            guint               n_cols,
            const char * const *header,
            const char * const *cells,
            guint               n_rows)
{
  const double row_height = 19;
  double total = 0;

  for (guint c = 0; c < n_cols; c++)
    total += widths[c];

  cairo_set_source_rgb (cr, GREEN);
  cairo_rectangle (cr, MARGIN, y, total, row_height + 2);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  for (guint c = 0, x = 0; c < n_cols; x += widths[c], c++)
    show_text (cr, MARGIN + x + 6, y + 4, widths[c] - 10, SANS " Bold 9",
               PANGO_ALIGN_LEFT, header[c]);
  y += row_height + 2;

  for (guint r = 0; r < n_rows; r++)
    {
      if (r % 2 == 1)
        {
          cairo_set_source_rgb (cr, GREEN_LIGHT);
          cairo_rectangle (cr, MARGIN, y, total, row_height);
          cairo_fill (cr);
        }

      cairo_set_source_rgb (cr, INK);
      for (guint c = 0, x = 0; c < n_cols; x += widths[c], c++)
        show_text (cr, MARGIN + x + 6, y + 3.5, widths[c] - 10, SANS " 9",
                   PANGO_ALIGN_LEFT, cells[r * n_cols + c]);
      y += row_height;
    }

  cairo_set_source_rgb (cr, GREEN);
  cairo_set_line_width (cr, 0.8);
  cairo_move_to (cr, MARGIN, y);
  cairo_line_to (cr, MARGIN + total, y);
  cairo_stroke (cr);

  return y + 16;
}

/* --- datasheet.pdf: pages ----------------------------------------------- */

static gboolean
page_title (cairo_t     *cr,
            RsvgHandle  *board,
            double       board_width,
            double       board_height,
            GError     **error)
{
  static const char *features[] = {
    "USB-C connector for power and data",
    "GL32 microcontroller in a QFN-32 package, 12 MHz crystal",
    "3.3 V low-dropout regulator, up to 500 mA",
    "Four indicator LEDs: red, yellow, green and blue",
    "Two 12-pin headers on a 2.54 mm grid, breadboard friendly",
    "Reset button, four M3 mounting holes",
  };
  double drawing_width = PAGE_WIDTH - 2 * MARGIN;
  double drawing_height = drawing_width * board_height / board_width;
  double y;

  cairo_set_source_rgb (cr, GREEN_DARK);
  cairo_rectangle (cr, 0, 0, PAGE_WIDTH, 200);
  cairo_fill (cr);

  cairo_set_source_rgb (cr, 1, 1, 1);
  show_text (cr, MARGIN, 60, -1, SANS " Bold 36", PANGO_ALIGN_LEFT, "Glossa Blinky");
  show_text (cr, MARGIN, 112, -1, SANS " 15", PANGO_ALIGN_LEFT,
             "Open-hardware microcontroller board");
  show_text (cr, MARGIN, 140, -1, SANS " 11", PANGO_ALIGN_LEFT,
             "Datasheet · revision A · November 2026");

  cairo_save (cr);
  cairo_translate (cr, MARGIN, 232);
  if (!render_board (board, cr, drawing_width, drawing_height, error))
    return FALSE;
  cairo_restore (cr);

  cairo_set_source_rgb (cr, INK_SOFT);
  y = 232 + drawing_height + 6;
  y += show_text (cr, MARGIN, y, drawing_width, SANS " Oblique 8.5", PANGO_ALIGN_CENTER,
                  "Figure 1. Top view of the board, drawn to scale (800 × 500 units = 80 × 50 mm).");

  y = show_heading (cr, y + 20, "Features");
  cairo_set_source_rgb (cr, INK);
  for (guint i = 0; i < G_N_ELEMENTS (features); i++)
    {
      cairo_set_source_rgb (cr, GREEN);
      cairo_arc (cr, MARGIN + 6, y + 7, 2.5, 0, 2 * G_PI);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, INK);
      y += show_text (cr, MARGIN + 16, y, -1, SANS " 10.5", PANGO_ALIGN_LEFT, features[i]) + 4;
    }

  cairo_set_source_rgb (cr, INK_SOFT);
  show_text (cr, MARGIN, PAGE_HEIGHT - 80, PAGE_WIDTH - 2 * MARGIN, SANS " 8.5",
             PANGO_ALIGN_LEFT,
             "© 2026 The Glossa authors. This datasheet and the board drawing are licensed "
             "under the Creative Commons Attribution 4.0 International licence (CC BY 4.0).");

  return TRUE;
}

static void
page_pinout (cairo_t *cr)
{
  static const double widths[] = { 40, 60, 190, 209 };
  static const char * const header[] = { "Pin", "Name", "Function", "Notes" };
  static const char * const j2[] = {
    "1", "3V3", "Power output", "From U2, 500 mA shared",
    "2", "GND", "Ground", "",
    "3", "GP0", "GPIO, UART0 TX", "",
    "4", "GP1", "GPIO, UART0 RX", "",
    "5", "GP2", "GPIO, I²C0 SDA", "4.7 kΩ pull-up fitted",
    "6", "GP3", "GPIO, I²C0 SCL", "4.7 kΩ pull-up fitted",
    "7", "GP4", "GPIO, PWM2 A", "",
    "8", "GP5", "GPIO, PWM2 B", "",
    "9", "GP6", "GPIO, ADC0", "0 to 3.3 V",
    "10", "GP7", "GPIO, ADC1", "0 to 3.3 V",
    "11", "GND", "Ground", "",
    "12", "5V", "USB VBUS", "Input or output, 1 A max",
  };
  static const char * const j3[] = {
    "1", "GND", "Ground", "",
    "2", "GP8", "GPIO, SPI0 SCK", "",
    "3", "GP9", "GPIO, SPI0 MOSI", "",
    "4", "GP10", "GPIO, SPI0 MISO", "",
    "5", "GP11", "GPIO, SPI0 CS", "",
    "6", "GP12", "GPIO, LED D1 (red)", "Active high via R1",
    "7", "GP13", "GPIO, LED D2 (yellow)", "Active high via R2",
    "8", "GP14", "GPIO, LED D3 (green)", "Active high via R3",
    "9", "GP15", "GPIO, LED D4 (blue)", "Active high via R4",
    "10", "RUN", "Reset, active low", "Also on SW1",
    "11", "GND", "Ground", "",
    "12", "3V3", "Power output", "Same net as J2 pin 1",
  };
  double y;

  show_page_frame (cr, 2, "Pinout");

  y = show_heading (cr, 58, "Pinout");
  cairo_set_source_rgb (cr, INK);
  y = show_paragraph (cr, y,
                      "Both headers have twelve pins on a 2.54 mm grid. Pin 1 has a square "
                      "outline on the silkscreen. All GPIO pins are 3.3 V only: they are "
                      "<b>not</b> 5 V tolerant.");

  y = show_text (cr, MARGIN, y + 4, -1, SANS " Bold 11", PANGO_ALIGN_LEFT,
                 "J2, top edge") + y + 10;
  y = show_table (cr, y, widths, 4, header, j2, 12);

  cairo_set_source_rgb (cr, INK);
  y = show_text (cr, MARGIN, y + 4, -1, SANS " Bold 11", PANGO_ALIGN_LEFT,
                 "J3, bottom edge") + y + 10;
  show_table (cr, y, widths, 4, header, j3, 12);
}

/* Schematic symbols, drawn with their origin at the left or top lead. */

static void
wire (cairo_t *cr,
      double   x1,
      double   y1,
      double   x2,
      double   y2)
{
  cairo_move_to (cr, x1, y1);
  cairo_line_to (cr, x2, y2);
  cairo_stroke (cr);
}

static void
junction (cairo_t *cr,
          double   x,
          double   y)
{
  cairo_arc (cr, x, y, 2.2, 0, 2 * G_PI);
  cairo_fill (cr);
}

static void
ground (cairo_t *cr,
        double   x,
        double   y)
{
  wire (cr, x, y, x, y + 8);
  wire (cr, x - 8, y + 8, x + 8, y + 8);
  wire (cr, x - 5, y + 11, x + 5, y + 11);
  wire (cr, x - 2, y + 14, x + 2, y + 14);
}

/* Horizontal resistor from (x, y) to (x + 40, y), zigzag body. */
static void
resistor (cairo_t    *cr,
          double      x,
          double      y,
          const char *label)
{
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x + 8, y);
  for (int i = 0; i < 6; i++)
    cairo_line_to (cr, x + 10 + i * 4, y + (i % 2 == 0 ? -5 : 5));
  cairo_line_to (cr, x + 32, y);
  cairo_line_to (cr, x + 40, y);
  cairo_stroke (cr);
  show_text (cr, x + 4, y - 20, -1, SANS " 7.5", PANGO_ALIGN_LEFT, label);
}

/* Horizontal LED from (x, y) to (x + 40, y), anode left. */
static void
led (cairo_t    *cr,
     double      x,
     double      y,
     const char *label)
{
  wire (cr, x, y, x + 13, y);
  cairo_move_to (cr, x + 13, y - 7);
  cairo_line_to (cr, x + 25, y);
  cairo_line_to (cr, x + 13, y + 7);
  cairo_close_path (cr);
  cairo_stroke (cr);
  wire (cr, x + 25, y - 7, x + 25, y + 7);
  wire (cr, x + 25, y, x + 40, y);
  for (int i = 0; i < 2; i++)
    {
      double ax = x + 17 + i * 6;

      wire (cr, ax, y - 9, ax + 6, y - 15);
      cairo_move_to (cr, ax + 6, y - 15);
      cairo_line_to (cr, ax + 2.5, y - 14);
      cairo_line_to (cr, ax + 5, y - 11.5);
      cairo_close_path (cr);
      cairo_fill (cr);
    }
  show_text (cr, x + 4, y + 9, -1, SANS " 7.5", PANGO_ALIGN_LEFT, label);
}

/* Vertical resistor from (x, y) down to (x, y + 30). */
static void
resistor_vertical (cairo_t    *cr,
                   double      x,
                   double      y,
                   const char *label)
{
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x, y + 5);
  for (int i = 0; i < 6; i++)
    cairo_line_to (cr, x + (i % 2 == 0 ? -5 : 5), y + 7 + i * 3.5);
  cairo_line_to (cr, x, y + 25);
  cairo_line_to (cr, x, y + 30);
  cairo_stroke (cr);
  if (label != NULL)
    show_text (cr, x + 8, y + 8, -1, SANS " 7", PANGO_ALIGN_LEFT, label);
}

/* Vertical capacitor from (x, y) down to (x, y + 30). */
static void
capacitor (cairo_t    *cr,
           double      x,
           double      y,
           const char *label)
{
  wire (cr, x, y, x, y + 13);
  wire (cr, x - 8, y + 13, x + 8, y + 13);
  wire (cr, x - 8, y + 17, x + 8, y + 17);
  wire (cr, x, y + 17, x, y + 30);
  if (label != NULL)
    show_text (cr, x + 10, y + 8, -1, SANS " 7", PANGO_ALIGN_LEFT, label);
}

static void
net_label (cairo_t    *cr,
           double      x,
           double      y,
           const char *name)
{
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x + 6, y - 6);
  cairo_line_to (cr, x + 34, y - 6);
  cairo_line_to (cr, x + 34, y + 6);
  cairo_line_to (cr, x + 6, y + 6);
  cairo_close_path (cr);
  cairo_stroke (cr);
  show_text (cr, x + 8, y - 5, -1, SANS " Bold 6.5", PANGO_ALIGN_LEFT, name);
}

/* A box with pins; pins_left/right are names from top to bottom. Returns
 * the y of pin i on either side through pin_y (). */
static void
ic_box (cairo_t            *cr,
        double              x,
        double              y,
        double              width,
        const char         *ref,
        const char         *value,
        const char * const *pins_left,
        guint               n_left,
        const char * const *pins_right,
        guint               n_right)
{
  guint n = MAX (n_left, n_right);
  double height = 20 + n * 20;

  cairo_set_source_rgb (cr, 1.0, 0.976, 0.886);
  cairo_rectangle (cr, x, y, width, height);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, INK);
  cairo_stroke (cr);

  for (guint i = 0; i < n_left; i++)
    {
      double py = y + 20 + i * 20;

      wire (cr, x - 20, py, x, py);
      show_text (cr, x + 4, py - 5, -1, SANS " 7", PANGO_ALIGN_LEFT, pins_left[i]);
    }
  for (guint i = 0; i < n_right; i++)
    {
      double py = y + 20 + i * 20;

      wire (cr, x + width, py, x + width + 20, py);
      show_text (cr, x, py - 5, width - 4, SANS " 7", PANGO_ALIGN_RIGHT, pins_right[i]);
    }

  show_text (cr, x, y - 14, -1, SANS " Bold 8", PANGO_ALIGN_LEFT, ref);
  show_text (cr, x, y + height + 2, width, SANS " 7.5", PANGO_ALIGN_LEFT, value);
}

static void
page_schematic (cairo_t *cr)
{
  static const char * const mcu_left[] = {
    "USB_DM", "USB_DP", "3V3", "RUN", "GND", "XIN", "XOUT",
  };
  static const char * const mcu_right[] = {
    "GP0", "GP1", "GP2", "GP3", "GP12", "GP13", "GP14", "GP15",
  };
  static const char * const usb_pins[] = { "VBUS", "D−", "D+", "CC1", "CC2", "GND" };
  static const char * const ldo_left[] = { "IN", "GND" };
  static const char * const ldo_right[] = { "OUT" };
  static const char * const led_names[] = {
    "D1 red", "D2 yellow", "D3 green", "D4 blue",
  };
  /* J1 pins leave at x 160, y 210..310; U2 pins at y 210, 230; U1 left
   * pins at y 400..520 and right pins at y 400..540. */
  const double jx = 80, jy = 190;
  const double lx = 280, ly = 190;
  const double ux = 250, uy = 380;
  double y;

  show_page_frame (cr, 3, "Schematic");
  y = show_heading (cr, 58, "Schematic");

  cairo_set_source_rgb (cr, INK);
  show_paragraph (cr, y,
                  "Power comes from USB-C through the regulator U2. The four LEDs are "
                  "driven by GP12 to GP15 through 1 kΩ resistors (about 1.3 mA each).");

  /* drawing frame and title block */
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, MARGIN, 150, PAGE_WIDTH - 2 * MARGIN, 620);
  cairo_stroke (cr);
  cairo_rectangle (cr, PAGE_WIDTH - MARGIN - 200, 710, 200, 60);
  cairo_stroke (cr);
  wire (cr, PAGE_WIDTH - MARGIN - 200, 736, PAGE_WIDTH - MARGIN, 736);
  show_text (cr, PAGE_WIDTH - MARGIN - 194, 716, -1, SANS " Bold 9", PANGO_ALIGN_LEFT,
             "Glossa Blinky");
  show_text (cr, PAGE_WIDTH - MARGIN - 194, 741, 188, SANS " 7", PANGO_ALIGN_LEFT,
             "Sheet 1 of 1 · rev A · 2026-11-23\nCC BY 4.0 · The Glossa authors");

  cairo_set_line_width (cr, 1.1);

  /* J1, USB-C, with 5.1 kΩ pull-downs on CC1 and CC2 */
  ic_box (cr, jx, jy, 60, "J1", "USB-C", NULL, 0, usb_pins, G_N_ELEMENTS (usb_pins));
  wire (cr, 160, 270, 190, 270);
  wire (cr, 190, 270, 190, 330);
  resistor_vertical (cr, 190, 330, NULL);
  ground (cr, 190, 360);
  wire (cr, 160, 290, 174, 290);
  wire (cr, 174, 290, 174, 330);
  resistor_vertical (cr, 174, 330, NULL);
  ground (cr, 174, 360);
  show_text (cr, 200, 336, -1, SANS " 7", PANGO_ALIGN_LEFT, "R5, R6\n5.1 kΩ");
  wire (cr, 160, 310, 160, 330);
  ground (cr, 160, 330);

  /* U2, the regulator: VBUS in, 3V3 out, 10 µF on each side */
  ic_box (cr, lx, ly, 70, "U2", "LDO 3.3 V, SOT-223",
          ldo_left, G_N_ELEMENTS (ldo_left), ldo_right, G_N_ELEMENTS (ldo_right));
  wire (cr, 160, 210, lx - 20, 210);
  show_text (cr, 172, 198, -1, SANS " Bold 6.5", PANGO_ALIGN_LEFT, "VBUS");
  junction (cr, 235, 210);
  capacitor (cr, 235, 210, NULL);
  ground (cr, 235, 240);
  show_text (cr, 237, 196, -1, SANS " 6.5", PANGO_ALIGN_LEFT, "C3 10 µF");
  ground (cr, lx - 20, 230);
  wire (cr, lx + 90, 210, 480, 210);
  junction (cr, 390, 210);
  capacitor (cr, 390, 210, "C4 10 µF");
  ground (cr, 390, 240);
  junction (cr, 450, 210);
  capacitor (cr, 450, 210, "C1, C2\n100 nF");
  ground (cr, 450, 240);
  net_label (cr, 480, 210, "3V3");

  /* U1, the microcontroller */
  ic_box (cr, ux, uy, 90, "U1", "GL32 microcontroller, QFN-32",
          mcu_left, G_N_ELEMENTS (mcu_left), mcu_right, G_N_ELEMENTS (mcu_right));

  /* USB data lines */
  wire (cr, 160, 230, 210, 230);
  wire (cr, 210, 230, 210, 400);
  wire (cr, 210, 400, ux - 20, 400);
  wire (cr, 160, 250, 200, 250);
  wire (cr, 200, 250, 200, 420);
  wire (cr, 200, 420, ux - 20, 420);

  /* 3V3 and ground */
  net_label (cr, 150, 440, "3V3");
  wire (cr, 184, 440, ux - 20, 440);
  ground (cr, ux - 20, 480);

  /* RUN, pulled to ground by the reset button */
  wire (cr, ux - 20, 460, 130, 460);
  wire (cr, 130, 460, 130, 478);
  cairo_arc (cr, 130, 480, 2, 0, 2 * G_PI);
  cairo_stroke (cr);
  cairo_arc (cr, 130, 500, 2, 0, 2 * G_PI);
  cairo_stroke (cr);
  wire (cr, 124, 483, 119, 498);
  wire (cr, 130, 502, 130, 510);
  ground (cr, 130, 510);
  show_text (cr, 70, 484, -1, SANS " 7", PANGO_ALIGN_LEFT, "SW1 reset");

  /* Y1 between XIN and XOUT, with its load capacitors */
  wire (cr, ux - 20, 500, 180, 500);
  wire (cr, 180, 500, 180, 600);
  wire (cr, ux - 20, 520, 220, 520);
  wire (cr, 220, 520, 220, 600);
  wire (cr, 180, 600, 197, 600);
  wire (cr, 197, 592, 197, 608);
  cairo_rectangle (cr, 199.5, 593, 5, 14);
  cairo_stroke (cr);
  wire (cr, 207, 592, 207, 608);
  wire (cr, 207, 600, 220, 600);
  show_text (cr, 178, 612, -1, SANS " 7", PANGO_ALIGN_LEFT, "Y1 12 MHz");
  junction (cr, 180, 600);
  junction (cr, 220, 600);
  wire (cr, 180, 600, 180, 630);
  wire (cr, 220, 600, 220, 630);
  capacitor (cr, 180, 630, NULL);
  capacitor (cr, 220, 630, NULL);
  ground (cr, 180, 660);
  ground (cr, 220, 660);
  show_text (cr, 232, 640, -1, SANS " 7", PANGO_ALIGN_LEFT, "C5, C6 18 pF");

  /* GP0..GP3 to the header */
  for (int i = 0; i < 4; i++)
    {
      double py = uy + 20 + i * 20;
      g_autofree char *name = g_strdup_printf ("GP%d", i);

      wire (cr, ux + 110, py, ux + 120, py);
      net_label (cr, ux + 120, py, name);
    }
  show_text (cr, ux + 160, uy + 44, -1, SANS " 7", PANGO_ALIGN_LEFT, "to J2");

  /* GP12..GP15: resistor, LED, ground */
  for (int i = 0; i < 4; i++)
    {
      double pin_y = uy + 100 + i * 20;
      double py = pin_y + i * 18;
      double turn = ux + 120 + i * 6;
      double bx = ux + 150;
      g_autofree char *rname = g_strdup_printf ("R%d 1 kΩ", i + 1);

      wire (cr, ux + 110, pin_y, turn, pin_y);
      wire (cr, turn, pin_y, turn, py);
      wire (cr, turn, py, bx, py);
      resistor (cr, bx, py, rname);
      wire (cr, bx + 40, py, bx + 50, py);
      led (cr, bx + 50, py, led_names[i]);
      wire (cr, bx + 90, py, bx + 110, py);
      ground (cr, bx + 110, py);
    }
}

static void
page_characteristics (cairo_t *cr)
{
  static const double widths[] = { 200, 60, 60, 60, 119 };
  static const char * const header[] = { "Parameter", "Min", "Typ", "Max", "Unit" };
  static const char * const ratings[] = {
    "Supply voltage, VBUS", "4.4", "5.0", "5.5", "V",
    "Regulator output, 3V3", "3.23", "3.30", "3.37", "V",
    "Regulator output current", "", "", "500", "mA",
    "GPIO output high, 4 mA", "2.6", "", "", "V",
    "GPIO output low, 4 mA", "", "", "0.5", "V",
    "GPIO source or sink current", "", "", "12", "mA",
    "Supply current, LEDs off", "", "18", "25", "mA",
    "Supply current, all LEDs on", "", "24", "32", "mA",
    "Crystal frequency", "", "12.000", "", "MHz",
    "Operating temperature", "−20", "", "70", "°C",
  };
  static const double bom_widths[] = { 80, 35, 160, 100, 124 };
  static const char * const bom_header[] = { "Reference", "Qty", "Value", "Package", "Notes" };
  static const char * const bom[] = {
    "U1", "1", "GL32 microcontroller", "QFN-32 5×5", "",
    "U2", "1", "LDO 3.3 V 500 mA", "SOT-223", "",
    "J1", "1", "USB-C receptacle", "16-pin SMD", "USB 2.0 only",
    "J2, J3", "2", "Pin header 1×12", "2.54 mm THT", "",
    "Y1", "1", "12 MHz crystal", "3.2×2.5 mm", "18 pF load",
    "D1–D4", "4", "LED", "0805", "Red, yellow, green, blue",
    "R1–R4", "4", "1 kΩ 1 %", "0805", "",
    "R5, R6", "2", "5.1 kΩ 1 %", "0402", "CC pull-downs",
    "C1, C2", "2", "100 nF X7R", "0603", "",
    "C3, C4", "2", "10 µF X5R", "0805", "",
    "SW1", "1", "Tactile switch", "6×6 mm", "",
  };
  double y;

  show_page_frame (cr, 4, "Characteristics and parts");

  y = show_heading (cr, 58, "Electrical characteristics");
  cairo_set_source_rgb (cr, INK);
  y = show_paragraph (cr, y, "At 25 °C and VBUS = 5.0 V unless noted otherwise.");
  y = show_table (cr, y, widths, 5, header, ratings, 10);

  y = show_heading (cr, y + 12, "Bill of materials");
  cairo_set_source_rgb (cr, INK);
  y = show_paragraph (cr, y,
                      "Every part is available from more than one maker; none needs a "
                      "special tool to solder except the QFN package, which wants hot air "
                      "or a reflow plate.");
  show_table (cr, y, bom_widths, 5, bom_header, bom, 11);
}

static void
page_notes (cairo_t *cr)
{
  double y;

  show_page_frame (cr, 5, "Design notes");

  y = show_heading (cr, 58, "About this design");
  y = show_paragraph (cr, y,
                      "Glossa Blinky is a small board for learning and for testing: it "
                      "blinks four LEDs, talks over USB and brings every useful pin out to "
                      "two headers. It is the sample design that ships with Glossa, so that "
                      "a new user has something real to comment on.");
  y = show_paragraph (cr, y,
                      "The board measures 80 × 50 mm with rounded corners and four 3.2 mm "
                      "mounting holes on a 68 × 38 mm rectangle. It is a two-layer design: "
                      "signals on the top layer, an unbroken ground plane on the bottom, "
                      "joined by the vias you can see next to each LED and near the "
                      "regulator.");

  y = show_heading (cr, y + 8, "Assembly");
  y = show_paragraph (cr, y,
                      "Solder the QFN microcontroller first, then the regulator, the crystal "
                      "and the small passive parts, the LEDs (the line on the silkscreen marks "
                      "the cathode), the USB connector and the button, and the headers last. "
                      "Before the first power-up, check with a meter that 3V3 and GND are "
                      "not shorted.");
  y = show_paragraph (cr, y,
                      "Hold the reset button while plugging in USB to start the bootloader, "
                      "then copy a firmware file onto the drive that appears.");

  y = show_heading (cr, y + 8, "Reviewing this design");
  y = show_paragraph (cr, y,
                      "Open the drawing, the photo or this datasheet in Glossa and pin a "
                      "comment to a part, a region or a page. Ask why R1 is 1 kΩ, suggest a "
                      "different connector, or point out a missing label; reply to the "
                      "others, and resolve a thread when the question is settled. Every "
                      "comment is a W3C Web Annotation that names its author and licence, "
                      "and travels to your peers' copies over the CouchDB replication "
                      "protocol without a central server.");

  y = show_heading (cr, y + 8, "Licence");
  show_paragraph (cr, y,
                  "© 2026 The Glossa authors. The board drawing, the photo and this "
                  "datasheet are licensed under the Creative Commons Attribution 4.0 "
                  "International licence (CC BY 4.0): you may share and adapt them for any "
                  "purpose, also commercially, as long as you give appropriate credit. "
                  "The full text is at https://creativecommons.org/licenses/by/4.0/.");
}

static gboolean
write_datasheet (RsvgHandle  *board,
                 double       board_width,
                 double       board_height,
                 const char  *path,
                 GError     **error)
{
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  surface = cairo_pdf_surface_create (path, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, "Glossa Blinky datasheet");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, "The Glossa authors");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT,
                                  "Open-hardware microcontroller board, revision A");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_KEYWORDS,
                                  "open hardware, sample, Glossa, CC BY 4.0");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Glossa make-samples");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, SAMPLE_DATE);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_MOD_DATE, SAMPLE_DATE);
  cr = cairo_create (surface);

  if (!page_title (cr, board, board_width, board_height, error))
    {
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      return FALSE;
    }
  cairo_show_page (cr);
  page_pinout (cr);
  cairo_show_page (cr);
  page_schematic (cr);
  cairo_show_page (cr);
  page_characteristics (cr);
  cairo_show_page (cr);
  page_notes (cr);
  cairo_show_page (cr);

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Could not write %s: %s", path, cairo_status_to_string (status));
      return FALSE;
    }

  return TRUE;
}

static int
make_samples (RsvgHandle *board,
              const char *outdir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *png_path = NULL;
  g_autofree char *pdf_path = NULL;
  double width, height;

  if (!rsvg_handle_get_intrinsic_size_in_pixels (board, &width, &height))
    {
      g_printerr ("make-samples: the board drawing has no intrinsic size\n");
      return 1;
    }

  if (g_mkdir_with_parents (outdir, 0755) != 0)
    {
      g_printerr ("make-samples: cannot create %s\n", outdir);
      return 1;
    }

  png_path = g_build_filename (outdir, "board.png", NULL);
  pdf_path = g_build_filename (outdir, "datasheet.pdf", NULL);

  if (!write_photo (board, width, height, png_path, &error) ||
      !write_datasheet (board, width, height, pdf_path, &error))
    {
      g_printerr ("make-samples: %s\n", error->message);
      return 1;
    }

  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  RsvgHandle *board;
  int status;

  if (argc != 3)
    {
      g_printerr ("Usage: %s BOARD.SVG OUTDIR\n", argv[0]);
      return 2;
    }

  board = rsvg_handle_new_from_file (argv[1], &error);
  if (board == NULL)
    {
      g_printerr ("make-samples: %s\n", error->message);
      return 1;
    }

  status = make_samples (board, argv[2]);
  g_object_unref (board);

  return status;
}
