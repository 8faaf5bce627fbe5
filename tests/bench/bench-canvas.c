/* bench-canvas.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * How fast the canvas draws: (a) a frame with 5,000 pins, snapshot and GSK
 * render, per pin and as one pin layer, after a zoom and after a pan; (b) a 300-page PDF from bytes to its first page on screen;
 * (c) an SVG drawn again at a new zoom. Needs a display; without one it
 * starts itself again under xvfb-run.
 */

#define G_LOG_DOMAIN "bench-canvas"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <gtk/gtk.h>

#include "gls-canvas-private.h"
#include "gls-document.h"

#define WIN_WIDTH  1280
#define WIN_HEIGHT 800
#define N_PINS     5000
#define N_FRAMES   60

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
wait_until_current (GlsCanvas *canvas,
                    guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!_gls_canvas_is_render_current (canvas) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);

  return !timed_out;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

/* Waits until the window has painted a frame that began after now. */
static void
wait_for_paint (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gulong id;

  id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  gtk_widget_queue_draw (widget);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, id);
}

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
make_png (int width,
          int height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);
  GByteArray *array = g_byte_array_new ();

  cairo_set_source_rgb (cr, 0.95, 0.95, 0.92);
  cairo_paint (cr);
  for (int i = 0; i < 200; i++)
    {
      cairo_set_source_rgb (cr, (i % 7) / 7.0, (i % 5) / 5.0, (i % 3) / 3.0);
      cairo_rectangle (cr, (i * 97) % width, (i * 61) % height, 120, 80);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
  cairo_surface_write_to_png_stream (surface, append_bytes, array);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (array);
}

static GBytes *
make_pdf (guint n_pages)
{
  GByteArray *array = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_bytes, array, 595, 842);
  cairo_t *cr = cairo_create (surface);

  for (guint page = 1; page <= n_pages; page++)
    {
      char line[96];

      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
      cairo_set_font_size (cr, 20);
      cairo_move_to (cr, 60, 70);
      g_snprintf (line, sizeof line, "Datasheet page %u", page);
      cairo_show_text (cr, line);

      cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
      cairo_set_font_size (cr, 10);
      for (int i = 0; i < 40; i++)
        {
          cairo_move_to (cr, 60, 110 + i * 14);
          g_snprintf (line, sizeof line,
                      "%u.%d  Pin %d: supply voltage 3.3 V, max current %d mA, see figure %d",
                      page, i, i + 1, 10 + i * 3, (i % 5) + 1);
          cairo_show_text (cr, line);
        }

      for (int i = 0; i < 30; i++)
        {
          cairo_set_source_rgb (cr, (i % 3) / 3.0, (page % 4) / 4.0, 0.6);
          cairo_arc (cr, 100 + (i % 10) * 42, 720 + (i / 10) * 36, 14, 0, 2 * G_PI);
          cairo_fill (cr);
        }
      cairo_set_line_width (cr, 1.5);
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      cairo_rectangle (cr, 50, 680, 495, 130);
      cairo_stroke (cr);
      cairo_show_page (cr);
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (array);
}

static GBytes *
make_svg (void)
{
  GString *svg = g_string_new (NULL);

  g_string_append (svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"900\" viewBox=\"0 0 1200 900\">\n");
  g_string_append (svg, "<defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"#3584e4\"/><stop offset=\"1\" stop-color=\"#e01b24\"/></linearGradient></defs>\n");
  g_string_append (svg, "<rect width=\"1200\" height=\"900\" fill=\"#fafafa\"/>\n");
  for (int i = 0; i < 2000; i++)
    g_string_append_printf (svg,
                            "<circle cx=\"%d\" cy=\"%d\" r=\"%d\" fill=\"%s\" stroke=\"#333\" stroke-width=\"0.5\"/>\n",
                            (i * 37) % 1200, (i * 53) % 900, 4 + i % 17,
                            i % 3 ? "url(#g)" : "#2ec27e");
  for (int i = 0; i < 200; i++)
    g_string_append_printf (svg,
                            "<text x=\"%d\" y=\"%d\" font-family=\"sans-serif\" font-size=\"12\">Label %d</text>\n",
                            (i * 89) % 1100, 20 + (i * 41) % 860, i);
  g_string_append (svg, "</svg>\n");

  return g_string_free_to_bytes (svg);
}

static void
got_result (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GlsDocument *
load_document (GBytes     *bytes,
               const char *media_type)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  GlsDocument *document;

  gls_document_load_async (bytes, media_type, NULL, got_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  document = gls_document_load_finish (result, &error);
  g_object_unref (result);
  if (document == NULL)
    g_error ("Could not load the %s: %s", media_type, error->message);

  return document;
}

static double
time_render (GlsDocument           *document,
             double                 scale,
             const graphene_rect_t *area,
             int                   *width,
             int                   *height)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GAsyncResult *result = NULL;
  double start = now_ms ();

  gls_document_render_async (document, 0, scale, area, NULL, got_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  texture = gls_document_render_finish (document, result, NULL, &error);
  g_object_unref (result);
  if (texture == NULL)
    g_error ("Could not render: %s", error->message);
  *width = gdk_texture_get_width (texture);
  *height = gdk_texture_get_height (texture);

  return now_ms () - start;
}

static GtkWindow *
make_window (GlsCanvas **canvas)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, WIN_WIDTH, WIN_HEIGHT);
  gtk_window_set_decorated (window, FALSE);
  *canvas = GLS_CANVAS (gls_canvas_new ());
  gtk_window_set_child (window, GTK_WIDGET (*canvas));
  gtk_window_present (window);
  while (gtk_widget_get_width (GTK_WIDGET (*canvas)) != WIN_WIDTH)
    g_main_context_iteration (NULL, TRUE);

  return window;
}

typedef struct
{
  double snapshot_ms;
  double render_ms;       /* the window's renderer (GL) */
  double cairo_ms;        /* the software renderer */
} FrameTimes;

/* Snapshots the canvas as GTK does each frame and renders the nodes with
 * @renderer; returns the two times in ms. */
static void
time_frame (GlsCanvas   *canvas,
            GskRenderer *renderer,
            double      *snapshot_ms,
            double      *render_ms)
{
  graphene_rect_t viewport = GRAPHENE_RECT_INIT (0, 0, WIN_WIDTH, WIN_HEIGHT);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  double start = now_ms ();
  double snapped;

  GTK_WIDGET_GET_CLASS (canvas)->snapshot (GTK_WIDGET (canvas), snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  snapped = now_ms ();

  texture = gsk_renderer_render_texture (renderer, node, &viewport);
  g_assert (texture != NULL);

  *snapshot_ms = snapped - start;
  *render_ms = now_ms () - snapped;
}

/* Medians over @n_frames of the same view, after one frame to warm up. */
static FrameTimes
time_frames (GskRenderer *gl,
             GskRenderer *software,
             GlsCanvas   *canvas,
             guint        n_frames,
             double      *first_snapshot_ms)
{
  g_autofree double *snapshots = g_new (double, n_frames);
  g_autofree double *renders = g_new (double, n_frames);
  g_autofree double *cairo_renders = g_new (double, n_frames);
  double first, unused;

  time_frame (canvas, gl, &first, &unused);
  if (first_snapshot_ms)
    *first_snapshot_ms = first;
  time_frame (canvas, software, &unused, &unused);

  for (guint i = 0; i < n_frames; i++)
    {
      time_frame (canvas, gl, &snapshots[i], &renders[i]);
      time_frame (canvas, software, &unused, &cairo_renders[i]);
    }

  return (FrameTimes) {
    median (snapshots, n_frames),
    median (renders, n_frames),
    median (cairo_renders, n_frames),
  };
}

static void
print_row (const char       *label,
           const FrameTimes *times,
           const FrameTimes *base)
{
  g_print ("    %-46s %9.2f %9.2f %9.2f %9.2f %9.2f\n", label, times->snapshot_ms, times->render_ms,
           times->snapshot_ms + times->render_ms,
           times->snapshot_ms + times->render_ms - base->snapshot_ms - base->render_ms,
           times->cairo_ms);
}

static void
bench_pins (void)
{
  g_autoptr(GBytes) bytes = make_png (4000, 3000);
  g_autoptr(GlsDocument) document = load_document (bytes, "image/png");
  g_autofree GlsCanvasPin *pins = g_new0 (GlsCanvasPin, N_PINS);
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GskRenderer) software = gsk_cairo_renderer_new ();
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (42);
  GlsCanvas *canvas;
  GtkWindow *window = make_window (&canvas);
  GskRenderer *gl = gtk_native_get_renderer (GTK_NATIVE (window));
  FrameTimes none, none_zoomed, none_panned, none_200, nodes, layer, zoomed, zoom_frame, new_frame, pan_frame;
  double first_nodes, first_layer, first_layer_ms, fit, cx, cy;
  guint renders;
  enum { N_ZOOMS = 9 };
  double zoom_snapshots[N_ZOOMS], zoom_renders[N_ZOOMS], zoom_cairo[N_ZOOMS];
  double new_snapshots[N_ZOOMS], new_renders[N_ZOOMS], new_cairo[N_ZOOMS], layer_ms[N_ZOOMS];
  double pan_snapshots[N_FRAMES], pan_renders[N_FRAMES], pan_cairo[N_FRAMES];

  if (!gsk_renderer_realize (software, gtk_native_get_surface (GTK_NATIVE (window)), &error))
    g_error ("No cairo renderer: %s", error->message);

  for (guint i = 0; i < N_PINS; i++)
    {
      char *id = g_strdup_printf ("urn:uuid:%08x-bench-%u", g_rand_int (rand), i);
      gboolean rect = i % 10 == 0;

      g_ptr_array_add (strings, id);
      pins[i].id = id;
      pins[i].number = i + 1;
      pins[i].resolved = i % 5 == 0;
      pins[i].preview = "A comment on this spot";
      pins[i].selector.kind = rect ? GLS_SELECTOR_RECT : GLS_SELECTOR_POINT;
      pins[i].selector.x = g_rand_double_range (rand, 0, 3900);
      pins[i].selector.y = g_rand_double_range (rand, 0, 2900);
      pins[i].selector.width = rect ? g_rand_double_range (rand, 10, 100) : 0;
      pins[i].selector.height = rect ? g_rand_double_range (rand, 10, 100) : 0;
    }
  g_rand_free (rand);

  gls_canvas_set_document (canvas, document);
  gls_canvas_set_selected (canvas, pins[17].id);

  gls_canvas_zoom_to_fit (canvas);
  fit = gls_canvas_get_zoom (canvas);
  gls_canvas_set_pins (canvas, NULL, 0);
  /* What the same views cost without pins. */
  gls_canvas_set_zoom (canvas, fit * 1.2);
  none_zoomed = time_frames (gl, software, canvas, N_FRAMES / 2, NULL);
  gls_canvas_set_zoom (canvas, fit * 1.4);
  none_panned = time_frames (gl, software, canvas, N_FRAMES / 2, NULL);
  gls_canvas_set_zoom (canvas, 2.0);
  none_200 = time_frames (gl, software, canvas, N_FRAMES / 2, NULL);
  gls_canvas_zoom_to_fit (canvas);
  none = time_frames (gl, software, canvas, N_FRAMES, NULL);

  /* As before: a node per pin. */
  _gls_canvas_set_layer_min_pins (canvas, G_MAXUINT);
  gls_canvas_set_pins (canvas, pins, N_PINS);
  nodes = time_frames (gl, software, canvas, N_FRAMES / 4, &first_nodes);
  g_assert (!_gls_canvas_get_layer_used (canvas));

  /* Now: one texture for them all. New pins, so a first layer. */
  _gls_canvas_set_layer_min_pins (canvas, 150);
  gls_canvas_set_pins (canvas, pins, N_PINS);
  layer = time_frames (gl, software, canvas, N_FRAMES, &first_layer);
  first_layer_ms = _gls_canvas_get_layer_ms (canvas);
  g_assert (_gls_canvas_get_layer_used (canvas));

  /* A zoom step: the frame right after it draws the layer it has, scaled,
   * and asks for a new one; the worker draws it; the next frame uploads it. */
  for (guint i = 0; i < N_ZOOMS; i++)
    {
      renders = _gls_canvas_get_layer_renders (canvas);
      gls_canvas_set_zoom (canvas, fit * (1.0 + 0.1 * ((i % 3) + 1)));
      time_frame (canvas, gl, &zoom_snapshots[i], &zoom_renders[i]);
      time_frame (canvas, software, &(double) { 0 }, &zoom_cairo[i]);
      g_assert (_gls_canvas_get_layer_renders (canvas) == renders);
      while (_gls_canvas_get_layer_renders (canvas) == renders)
        g_main_context_iteration (NULL, TRUE);
      layer_ms[i] = _gls_canvas_get_layer_ms (canvas);
      time_frame (canvas, gl, &new_snapshots[i], &new_renders[i]);
      time_frame (canvas, software, &(double) { 0 }, &new_cairo[i]);
      g_assert (_gls_canvas_is_layer_current (canvas));
    }
  zoom_frame = (FrameTimes) { median (zoom_snapshots, N_ZOOMS), median (zoom_renders, N_ZOOMS),
                              median (zoom_cairo, N_ZOOMS) };
  new_frame = (FrameTimes) { median (new_snapshots, N_ZOOMS), median (new_renders, N_ZOOMS),
                             median (new_cairo, N_ZOOMS) };

  /* A pan moves the layer, drawn again as it is. */
  gls_canvas_set_zoom (canvas, fit * 1.4);
  time_frame (canvas, gl, &(double) { 0 }, &(double) { 0 });
  renders = _gls_canvas_get_layer_renders (canvas);
  _gls_canvas_get_center (canvas, &cx, &cy);
  for (guint i = 0; i < N_FRAMES; i++)
    {
      double unused;

      _gls_canvas_set_center (canvas, cx + (i % 2 ? 37.5 : -41.25), cy + (i % 3) * 13.0);
      time_frame (canvas, gl, &pan_snapshots[i], &pan_renders[i]);
      _gls_canvas_set_center (canvas, cx - (i % 2 ? 29.0 : -17.5), cy - (i % 3) * 11.0);
      time_frame (canvas, software, &unused, &pan_cairo[i]);
    }
  g_assert (_gls_canvas_get_layer_used (canvas));
  g_assert (_gls_canvas_get_layer_renders (canvas) == renders);
  pan_frame = (FrameTimes) { median (pan_snapshots, N_FRAMES), median (pan_renders, N_FRAMES),
                             median (pan_cairo, N_FRAMES) };

  gls_canvas_set_zoom (canvas, 2.0);
  zoomed = time_frames (gl, software, canvas, N_FRAMES, NULL);

  g_print ("(a) Canvas frame, %d×%d view, 4000×3000 image (fitted: %.0f%%), 5,000 pins\n",
           WIN_WIDTH, WIN_HEIGHT, fit * 100);
  g_print ("    GL = %s (llvmpipe under Xvfb), cairo = GskCairoRenderer (software)\n",
           G_OBJECT_TYPE_NAME (gl));
  g_print ("    %-46s %9s %9s %9s %9s %9s\n", "case (median ms)", "snapshot", "GL", "snap+GL", "-no pins", "cairo");
  print_row ("no pins (fitted)", &none, &none);
  print_row ("5,000 pins, node per pin (as before)", &nodes, &none);
  print_row ("5,000 pins, pin layer, layer reused", &layer, &none);
  print_row ("  zoom frame (old layer scaled, asks for new)", &zoom_frame, &none_zoomed);
  print_row ("  next frame (new layer uploaded)", &new_frame, &none_zoomed);
  print_row ("  pan frame (layer reused, moved)", &pan_frame, &none_panned);
  print_row ("5,000 pins at 200% (node per pin, culled)", &zoomed, &none_200);
  g_print ("    %-46s %9.2f\n", "first frame, node per pin (builds badges)", first_nodes);
  g_print ("    %-46s %9.2f\n", "first frame, pin layer (builds badges+layer)", first_layer);
  g_print ("    %-46s %9.2f\n", "layer render on zoom (job + worker draw)", median (layer_ms, N_ZOOMS));
  g_print ("    %-46s %9.2f\n", "first layer, in its frame (with badge glyphs)", first_layer_ms);
  g_print ("    (GL/cairo = gsk_renderer_render_texture, including the read-back;\n"
           "     -no pins = snap+GL less that of the same view without pins;\n"
           "     zoom frames go to 110-130%% of fitted, pan frames at 140%%)\n\n");

  gsk_renderer_unrealize (software);
  gtk_window_destroy (window);
}

static void
bench_pdf (void)
{
  double t0, t_made_ms, t_loaded, t_rendered, t_drawn, t_flip;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GlsDocument) document = NULL;
  GlsCanvas *canvas;
  GtkWindow *window = make_window (&canvas);

  t0 = now_ms ();
  bytes = make_pdf (300);
  t_made_ms = now_ms () - t0;

  /* From bytes: parse (GTask thread), show, first page rendered, drawn. */
  t0 = now_ms ();
  document = load_document (bytes, "application/pdf");
  t_loaded = now_ms ();
  gls_canvas_set_document (canvas, document);
  if (!wait_until_current (canvas, 30000))
    g_error ("The first page never arrived");
  t_rendered = now_ms ();
  wait_for_paint (GTK_WIDGET (canvas));
  t_drawn = now_ms ();

  {
    double start = now_ms ();

    gls_canvas_set_page (canvas, 150);
    if (!wait_until_current (canvas, 30000))
      g_error ("Page 150 never arrived");
    t_flip = now_ms () - start;
  }

  g_print ("(b) 300-page PDF (%.1f MiB, made in %.0f ms), fitted in %d×%d\n",
           g_bytes_get_size (bytes) / 1048576.0, t_made_ms, WIN_WIDTH, WIN_HEIGHT);
  g_print ("    %-44s %12s\n", "step", "ms");
  g_print ("    %-44s %12.1f\n", "bytes -> document loaded (300 pages sized)", t_loaded - t0);
  g_print ("    %-44s %12.1f\n", "   -> first page texture ready", t_rendered - t0);
  g_print ("    %-44s %12.1f\n", "   -> first page drawn on screen", t_drawn - t0);
  g_print ("    %-44s %12.1f\n\n", "jump to page 150 -> its texture ready", t_flip);

  gtk_window_destroy (window);
}

static void
bench_svg (void)
{
  g_autoptr(GBytes) bytes = make_svg ();
  g_autoptr(GlsDocument) document = load_document (bytes, "image/svg+xml");
  static const double scales[] = { 1.0, 2.0, 4.0 };
  GlsCanvas *canvas;
  GtkWindow *window;
  double latency[3];

  g_print ("(c) SVG, 1200×900, 2,000 gradient circles and 200 labels\n");
  g_print ("    %-44s %12s %12s\n", "render (worker thread, median of 5)", "pixels", "ms");

  for (guint i = 0; i < G_N_ELEMENTS (scales); i++)
    {
      double times[5];
      int width = 0, height = 0;
      g_autofree char *label = g_strdup_printf ("whole page at %.0f%%", scales[i] * 100);

      for (guint j = 0; j < 5; j++)
        times[j] = time_render (document, scales[i], NULL, &width, &height);
      g_print ("    %-44s %5d×%-6d %12.1f\n", label, width, height, median (times, 5));
    }

  {
    double times[5];
    int width = 0, height = 0;
    graphene_rect_t area = GRAPHENE_RECT_INIT (300, 200, WIN_WIDTH / 8.0, WIN_HEIGHT / 8.0);

    for (guint j = 0; j < 5; j++)
      times[j] = time_render (document, 8.0, &area, &width, &height);
    g_print ("    %-44s %5d×%-6d %12.1f\n", "one view's area at 800%", width, height, median (times, 5));
  }

  window = make_window (&canvas);
  gls_canvas_set_document (canvas, document);
  wait_until_current (canvas, 30000);
  wait_ms (100);

  for (guint i = 0; i < G_N_ELEMENTS (scales); i++)
    {
      double start = now_ms ();

      gls_canvas_set_zoom (canvas, scales[i] * 1.1);
      if (!wait_until_current (canvas, 30000))
        g_error ("The SVG was never drawn again");
      latency[i] = now_ms () - start;
    }
  g_print ("    %-44s %12s\n", "canvas: zoom change -> sharp again", "ms");
  for (guint i = 0; i < G_N_ELEMENTS (scales); i++)
    {
      g_autofree char *label = g_strdup_printf ("to %.0f%%", scales[i] * 110);

      g_print ("    %-44s %12.1f\n", label, latency[i]);
    }
  g_print ("    (includes the 60 ms the canvas waits for zooming to settle)\n");

  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GTK_A11Y", "none", TRUE);

  if (!gtk_init_check ())
    {
      /* No display: run again under a virtual one, once. */
      if (g_getenv ("GLS_BENCH_UNDER_XVFB") == NULL)
        {
          g_setenv ("GLS_BENCH_UNDER_XVFB", "1", TRUE);
          execlp ("xvfb-run", "xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", argv[0], NULL);
        }
      g_printerr ("bench-canvas: no display (install xvfb or run under one)\n");
      return 1;
    }

  g_print ("Glossa canvas benchmark\n\n");
  bench_pins ();
  bench_pdf ();
  bench_svg ();

  return 0;
}
