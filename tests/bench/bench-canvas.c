/* bench-canvas.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * How fast the canvas draws: (a) a frame with 5,000 pins on a large raster
 * image, snapshot and GSK render, per pin and as one pin layer, after a
 * zoom and after a pan, with the image drawn from itself or from a copy
 * scaled to the zoom, the layer over that copy or merged into it, and what
 * reading the frame back costs; (b) a 300-page
 * PDF from bytes to its first page on screen; (c) an SVG drawn again at a
 * new zoom. Each says how many texels of the page texture span a device
 * pixel (1.00 = drawn 1:1). Needs a display; without one it starts itself
 * again under xvfb-run.
 */

#define G_LOG_DOMAIN "bench-canvas"

#include "config.h"

#include <stdio.h>

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <gtk/gtk.h>

#include "gls-canvas-private.h"
#include "gls-document.h"

/* The canvas's size; GLS_BENCH_VIEW=WxH measures another, e.g. the
 * canvas of the default 1280×800 window between its two sidebars. */
static int view_width = 1280;
static int view_height = 800;
#define WIN_WIDTH  view_width
#define WIN_HEIGHT view_height
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

/* The scaled copy of a raster image the canvas asks for at @zoom. */
static double
time_prescale (GlsDocument *document,
               double       zoom)
{
  double times[5];
  int width, height;

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    times[i] = time_render (document, zoom, NULL, &width, &height);

  return median (times, G_N_ELEMENTS (times));
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

/* Renders @node into a texture and, with GL, reads its pixels back: GSK's
 * GL renderer returns a GL texture at once while llvmpipe may still be
 * drawing it, so a frame is done only when its pixels can be read. */
static GdkTexture *
render_and_read (GskRenderer   *renderer,
                 GskRenderNode *node)
{
  static guint8 *pixels = NULL;
  graphene_rect_t viewport = GRAPHENE_RECT_INIT (0, 0, WIN_WIDTH, WIN_HEIGHT);
  GdkTexture *texture = gsk_renderer_render_texture (renderer, node, &viewport);

  g_assert (texture != NULL);
  if (!GSK_IS_CAIRO_RENDERER (renderer))
    {
      if (pixels == NULL)
        pixels = g_malloc ((gsize) WIN_WIDTH * WIN_HEIGHT * 4);
      gdk_texture_download (texture, pixels, (gsize) WIN_WIDTH * 4);
    }

  return texture;
}

typedef struct
{
  double snapshot_ms;
  double render_ms;       /* the window's renderer (GL) */
  double cairo_ms;        /* the software renderer */
  double read_back_ms;    /* GL, a view of one colour (see time_read_back()) */
  double less_read_back_ms; /* snapshot + GL less the read-back, frame by frame */
} FrameTimes;

/* What a frame of nothing but one colour costs, as big as the view: the
 * render target, the frame, reading its pixels back. Every frame timed here
 * pays it; it is timed again right after each GL frame, so that a frame
 * less its read-back is measured under the same load. */
static double
time_read_back (GskRenderer *renderer)
{
  static GskRenderNode *node = NULL;
  graphene_rect_t viewport = GRAPHENE_RECT_INIT (0, 0, WIN_WIDTH, WIN_HEIGHT);
  g_autoptr(GdkTexture) texture = NULL;
  double start;

  if (node == NULL)
    node = gsk_color_node_new (&(GdkRGBA) { 0.9, 0.9, 0.9, 1 }, &viewport);

  start = now_ms ();
  texture = render_and_read (renderer, node);

  return now_ms () - start;
}

/* Snapshots the canvas as GTK does each frame and renders the nodes with
 * @renderer; returns the two times in ms. */
static void
time_frame (GlsCanvas   *canvas,
            GskRenderer *renderer,
            double      *snapshot_ms,
            double      *render_ms)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  double start = now_ms ();
  double snapped;

  GTK_WIDGET_GET_CLASS (canvas)->snapshot (GTK_WIDGET (canvas), snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  snapped = now_ms ();

  texture = render_and_read (renderer, node);

  *snapshot_ms = snapped - start;
  *render_ms = now_ms () - snapped;
}

/* Collects frame times; medians come out of frame_times_done(). */
typedef struct
{
  guint   n;
  double *snapshots;
  double *renders;
  double *cairo_renders;
  double *read_backs;
  double *less_read_backs;
} FrameSamples;

static void
frame_samples_init (FrameSamples *samples,
                    guint         max)
{
  samples->n = 0;
  samples->snapshots = g_new (double, max);
  samples->renders = g_new (double, max);
  samples->cairo_renders = g_new (double, max);
  samples->read_backs = g_new (double, max);
  samples->less_read_backs = g_new (double, max);
}

/* One frame of the canvas as it is now: GL, its read-back alone, cairo. */
static void
frame_samples_add (FrameSamples *samples,
                   GlsCanvas    *canvas,
                   GskRenderer  *gl,
                   GskRenderer  *software)
{
  guint i = samples->n++;
  double unused;

  time_frame (canvas, gl, &samples->snapshots[i], &samples->renders[i]);
  samples->read_backs[i] = time_read_back (gl);
  samples->less_read_backs[i] = samples->snapshots[i] + samples->renders[i] - samples->read_backs[i];
  if (software != NULL)
    time_frame (canvas, software, &unused, &samples->cairo_renders[i]);
  else
    samples->cairo_renders[i] = 0;
}

static FrameTimes
frame_samples_done (FrameSamples *samples)
{
  FrameTimes times = {
    median (samples->snapshots, samples->n),
    median (samples->renders, samples->n),
    median (samples->cairo_renders, samples->n),
    median (samples->read_backs, samples->n),
    median (samples->less_read_backs, samples->n),
  };

  g_free (samples->snapshots);
  g_free (samples->renders);
  g_free (samples->cairo_renders);
  g_free (samples->read_backs);
  g_free (samples->less_read_backs);

  return times;
}

static void
print_row (const char       *label,
           const FrameTimes *times,
           const FrameTimes *base)
{
  double frame = times->snapshot_ms + times->render_ms;

  g_print ("    %-44s %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f\n", label, times->snapshot_ms,
           times->render_ms, frame, times->read_back_ms, times->less_read_back_ms,
           base ? times->less_read_back_ms - base->less_read_back_ms : 0.0, times->cairo_ms);
}

/* Sets the zoom (0: fitted) and waits for the page drawn at it (for a
 * raster image shown small, a copy scaled to it) and its pin layer. */
static void
zoom_and_settle (GlsCanvas   *canvas,
                 GskRenderer *gl,
                 double       zoom)
{
  if (zoom > 0)
    gls_canvas_set_zoom (canvas, zoom);
  else
    gls_canvas_zoom_to_fit (canvas);
  if (!wait_until_current (canvas, 30000))
    g_error ("The image was never drawn at %.0f%%", gls_canvas_get_zoom (canvas) * 100);
  time_frame (canvas, gl, &(double) { 0 }, &(double) { 0 });
  while (!_gls_canvas_is_layer_current (canvas))
    g_main_context_iteration (NULL, TRUE);
  wait_ms (20);
}

/* Draws a frame, which asks for the copy and the pin layer to be merged,
 * and waits for the merge. */
static void
wait_for_merge (GlsCanvas   *canvas,
                GskRenderer *gl)
{
  guint merges = _gls_canvas_get_merge_renders (canvas);

  time_frame (canvas, gl, &(double) { 0 }, &(double) { 0 });
  if (_gls_canvas_get_merged_used (canvas))
    return;
  while (_gls_canvas_get_merge_renders (canvas) == merges)
    g_main_context_iteration (NULL, TRUE);
  time_frame (canvas, gl, &(double) { 0 }, &(double) { 0 });
  g_assert (_gls_canvas_get_merged_used (canvas));
}

/*
 * A view kept as the render nodes of its frame, so that every view is timed
 * in turn, round after round: the GL renderer of a machine with 2 cores
 * shared with other work is fast or slow by turns, and views timed minutes
 * apart would compare the load, not the views.
 */
typedef struct
{
  GskRenderNode *node;
  double         snapshot_ms;  /* median of N_FRAMES snapshots of the view */
  double         first_ms;     /* the first one, which made what it needed */
  guint          every;        /* timed in one round out of this many */
  FrameSamples   samples;
  FrameTimes     times;
} View;

/* Takes the canvas's frame as it is now, after a first frame in each
 * renderer has made and uploaded what it needs. Runs no main loop. */
static void
view_capture (View        *view,
              GlsCanvas   *canvas,
              GskRenderer *gl,
              GskRenderer *software,
              guint        every)
{
  double snapshots[N_FRAMES];
  double unused;

  time_frame (canvas, gl, &view->first_ms, &unused);
  time_frame (canvas, software, &unused, &unused);

  for (guint i = 0; i < N_FRAMES; i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      double start = now_ms ();

      GTK_WIDGET_GET_CLASS (canvas)->snapshot (GTK_WIDGET (canvas), snapshot);
      g_clear_pointer (&view->node, gsk_render_node_unref);
      view->node = gtk_snapshot_free_to_node (snapshot);
      snapshots[i] = now_ms () - start;
    }
  view->snapshot_ms = median (snapshots, N_FRAMES);
  view->every = every;
}

static double
time_node (GskRenderer   *renderer,
           GskRenderNode *node)
{
  g_autoptr(GdkTexture) texture = NULL;
  double start = now_ms ();

  texture = render_and_read (renderer, node);

  return now_ms () - start;
}

/* N_FRAMES rounds, each rendering every view (or one in @every) with GL,
 * then the read-back alone, in a new order each round, since what a view
 * comes after changes what it costs; then as many with cairo, apart, as
 * its long frames would flush what GL keeps in the CPU caches. Each view's frame
 * less read-back is its median frame less the median of every read-back
 * timed, all views together (the read-back timed right after some views
 * is slower; pairing them frame by frame would credit those views with
 * it). Returns that median. */
static double
views_time (View        **views,
            guint         n_views,
            GskRenderer  *gl,
            GskRenderer  *software)
{
  g_autofree guint *order = g_new (guint, n_views);
  GRand *rand = g_rand_new_with_seed (7);

  for (guint v = 0; v < n_views; v++)
    {
      frame_samples_init (&views[v]->samples, N_FRAMES);
      order[v] = v;
    }

  for (guint round = 0; round < N_FRAMES; round++)
    for (guint k = 0; k < n_views; k++)
      {
        guint swap = g_rand_int_range (rand, k, n_views), tmp = order[k];
        View *view;
        FrameSamples *samples;
        guint i;

        order[k] = order[swap];
        order[swap] = tmp;
        view = views[order[k]];
        samples = &view->samples;

        if (round % view->every != 0)
          continue;

        i = samples->n++;
        samples->snapshots[i] = view->snapshot_ms;
        samples->renders[i] = time_node (gl, view->node);
        samples->read_backs[i] = time_read_back (gl);
        samples->less_read_backs[i] = view->snapshot_ms + samples->renders[i] - samples->read_backs[i];
      }

  for (guint v = 0; v < n_views; v++)
    for (guint i = 0; i < views[v]->samples.n; i++)
      views[v]->samples.cairo_renders[i] = time_node (software, views[v]->node);

  {
    g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
    double read_back;

    for (guint v = 0; v < n_views; v++)
      g_array_append_vals (all, views[v]->samples.read_backs, views[v]->samples.n);
    read_back = median ((double *) (gpointer) all->data, all->len);

    for (guint v = 0; v < n_views; v++)
      {
        views[v]->times = frame_samples_done (&views[v]->samples);
        views[v]->times.less_read_back_ms = views[v]->times.snapshot_ms +
                                            views[v]->times.render_ms - read_back;
        g_clear_pointer (&views[v]->node, gsk_render_node_unref);
      }
    g_rand_free (rand);

    return read_back;
  }
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
  View none_before = { 0 }, none = { 0 }, none_zoomed = { 0 }, none_panned = { 0 };
  View none_200 = { 0 }, nodes = { 0 }, layer_before = { 0 }, layer = { 0 }, zoomed = { 0 };
  View merged = { 0 };
  View *views[] = { &none_before, &none, &none_zoomed, &none_panned, &none_200,
                    &nodes, &layer_before, &layer, &merged, &zoomed };
  FrameTimes zoom_frame, new_frame, merged_frame, pan_frame;
  double first_layer_ms, fit, cx, cy;
  double texels_before, texels_after, texels_200, read_back;
  guint renders;
  enum { N_ZOOMS = 9 };
  FrameSamples zoom_samples, new_samples, merged_samples, pan_samples;
  double layer_ms[N_ZOOMS];

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

  zoom_and_settle (canvas, gl, 0);
  fit = gls_canvas_get_zoom (canvas);

  /* The same views without pins. */
  gls_canvas_set_pins (canvas, NULL, 0);
  zoom_and_settle (canvas, gl, fit * 1.2);
  view_capture (&none_zoomed, canvas, gl, software, 1);
  zoom_and_settle (canvas, gl, fit * 1.4);
  view_capture (&none_panned, canvas, gl, software, 1);
  zoom_and_settle (canvas, gl, 2.0);
  view_capture (&none_200, canvas, gl, software, 1);
  texels_200 = _gls_canvas_get_texels_per_pixel (canvas);
  g_assert (!_gls_canvas_get_prescaled_used (canvas));

  /* As before: fitted, the whole image sampled down each frame. Captured
   * before the main loop runs again, so before a copy scaled to this zoom
   * can arrive. */
  gls_canvas_zoom_to_fit (canvas);
  view_capture (&none_before, canvas, gl, software, 1);
  g_assert (!_gls_canvas_get_prescaled_used (canvas));
  texels_before = _gls_canvas_get_texels_per_pixel (canvas);
  zoom_and_settle (canvas, gl, 0);
  view_capture (&none, canvas, gl, software, 1);
  g_assert (_gls_canvas_get_prescaled_used (canvas));
  texels_after = _gls_canvas_get_texels_per_pixel (canvas);

  /* A node per pin, as before the pin layer. */
  _gls_canvas_set_layer_min_pins (canvas, G_MAXUINT);
  gls_canvas_set_pins (canvas, pins, N_PINS);
  view_capture (&nodes, canvas, gl, software, 4);
  g_assert (!_gls_canvas_get_layer_used (canvas));

  /* One texture for them all. New pins, so a first layer, over the copy;
   * the first frame asks for the two to be merged, which cannot arrive
   * before the main loop runs again. */
  _gls_canvas_set_layer_min_pins (canvas, 150);
  gls_canvas_set_pins (canvas, pins, N_PINS);
  view_capture (&layer, canvas, gl, software, 1);
  first_layer_ms = _gls_canvas_get_layer_ms (canvas);
  g_assert (_gls_canvas_get_layer_used (canvas));
  g_assert (_gls_canvas_get_prescaled_used (canvas));
  g_assert (!_gls_canvas_get_merged_used (canvas));

  /* Merged: one opaque texture for the page, the layer around it. */
  wait_for_merge (canvas, gl);
  view_capture (&merged, canvas, gl, software, 1);
  g_assert (_gls_canvas_get_merged_used (canvas));

  /* The layer over the image itself, as before: from another zoom back to
   * fitted, where the layer is current, captured before the copy arrives. */
  zoom_and_settle (canvas, gl, fit * 1.2);
  gls_canvas_zoom_to_fit (canvas);
  time_frame (canvas, gl, &(double) { 0 }, &(double) { 0 });
  while (!_gls_canvas_is_layer_current (canvas))
    g_main_context_iteration (NULL, FALSE);
  view_capture (&layer_before, canvas, gl, software, 1);
  g_assert (_gls_canvas_get_layer_used (canvas));
  if (_gls_canvas_get_prescaled_used (canvas))
    g_error ("The scaled copy arrived before the frame without it was taken");
  zoom_and_settle (canvas, gl, 0);

  /* A zoom step: the frame right after it draws the layer it has, scaled,
   * over the image itself, and asks for a new layer; the workers draw it
   * and the copy; the next frame uploads both. */
  frame_samples_init (&zoom_samples, N_ZOOMS);
  frame_samples_init (&new_samples, N_ZOOMS);
  frame_samples_init (&merged_samples, N_ZOOMS);
  for (guint i = 0; i < N_ZOOMS; i++)
    {
      renders = _gls_canvas_get_layer_renders (canvas);
      gls_canvas_set_zoom (canvas, fit * (1.0 + 0.1 * ((i % 3) + 1)));
      frame_samples_add (&zoom_samples, canvas, gl, software);
      g_assert (_gls_canvas_get_layer_renders (canvas) == renders);
      g_assert (!_gls_canvas_get_prescaled_used (canvas));
      while (_gls_canvas_get_layer_renders (canvas) == renders)
        g_main_context_iteration (NULL, TRUE);
      layer_ms[i] = _gls_canvas_get_layer_ms (canvas);
      if (!wait_until_current (canvas, 30000))
        g_error ("The image was never drawn at this zoom");
      frame_samples_add (&new_samples, canvas, gl, software);
      g_assert (_gls_canvas_is_layer_current (canvas));
      g_assert (_gls_canvas_get_prescaled_used (canvas));
      g_assert (!_gls_canvas_get_merged_used (canvas));
      wait_for_merge (canvas, gl);
      frame_samples_add (&merged_samples, canvas, gl, software);
      g_assert (_gls_canvas_get_merged_used (canvas));
    }
  zoom_frame = frame_samples_done (&zoom_samples);
  new_frame = frame_samples_done (&new_samples);
  merged_frame = frame_samples_done (&merged_samples);

  /* A pan moves the layer and the copy, drawn again as they are. */
  zoom_and_settle (canvas, gl, fit * 1.4);
  wait_for_merge (canvas, gl);
  renders = _gls_canvas_get_layer_renders (canvas);
  _gls_canvas_get_center (canvas, &cx, &cy);
  frame_samples_init (&pan_samples, N_FRAMES);
  for (guint i = 0; i < N_FRAMES; i++)
    {
      _gls_canvas_set_center (canvas, cx + (i % 2 ? 37.5 : -41.25), cy + (i % 3) * 13.0);
      frame_samples_add (&pan_samples, canvas, gl, NULL);
    }
  for (guint i = 0; i < N_FRAMES; i++)
    {
      double unused;

      _gls_canvas_set_center (canvas, cx - (i % 2 ? 29.0 : -17.5), cy - (i % 3) * 11.0);
      time_frame (canvas, software, &unused, &pan_samples.cairo_renders[i]);
    }
  g_assert (_gls_canvas_get_layer_used (canvas));
  g_assert (_gls_canvas_get_layer_renders (canvas) == renders);
  g_assert (_gls_canvas_get_merged_used (canvas));
  pan_frame = frame_samples_done (&pan_samples);

  gls_canvas_set_zoom (canvas, 2.0);
  view_capture (&zoomed, canvas, gl, software, 1);

  read_back = views_time (views, G_N_ELEMENTS (views), gl, software);

  g_print ("(a) Canvas frame, %d×%d view, 4000×3000 image (fitted: %.0f%%), 5,000 pins\n",
           WIN_WIDTH, WIN_HEIGHT, fit * 100);
  g_print ("    GL = %s (llvmpipe under Xvfb), cairo = GskCairoRenderer (software)\n",
           G_OBJECT_TYPE_NAME (gl));
  g_print ("    read-back alone (GL, a view of one colour, read back): %.2f ms\n", read_back);
  g_print ("    %-44s %7s %7s %7s %7s %7s %7s %7s\n", "case (median ms)", "snap", "GL",
           "frame", "readbk", "-readbk", "-nopins", "cairo");
  print_row ("no pins, fitted, image itself (as before)", &none_before.times, NULL);
  print_row ("no pins, fitted, copy scaled to the zoom", &none.times, NULL);
  print_row ("no pins, 200% (image itself)", &none_200.times, NULL);
  print_row ("5,000 pins, node per pin (as before)", &nodes.times, &none.times);
  print_row ("5,000 pins, layer, image itself (as before)", &layer_before.times, &none_before.times);
  print_row ("5,000 pins, layer over the copy, apart", &layer.times, &none.times);
  print_row ("5,000 pins, layer merged into the copy", &merged.times, &none.times);
  print_row ("  zoom frame (old layer scaled, image itself)", &zoom_frame, &none_zoomed.times);
  print_row ("  next frame (new layer + copy, apart)", &new_frame, &none_zoomed.times);
  print_row ("  then (merged texture uploaded)", &merged_frame, &none_zoomed.times);
  print_row ("  pan frame (merged texture reused, moved)", &pan_frame, &none_panned.times);
  print_row ("5,000 pins at 200% (node per pin, culled)", &zoomed.times, &none_200.times);
  g_print ("    %-44s %7.2f\n", "first frame, node per pin (builds badges)", nodes.first_ms);
  g_print ("    %-44s %7.2f\n", "first frame, pin layer (builds badges+layer)", layer.first_ms);
  g_print ("    %-44s %7.2f\n", "layer render on zoom (job + worker draw)", median (layer_ms, N_ZOOMS));
  g_print ("    %-44s %7.2f\n", "first layer, in its frame (with badge glyphs)", first_layer_ms);
  g_print ("    %-44s %7.2f\n", "copy scaled to fitted (worker, median of 5)", time_prescale (document, fit));
  g_print ("    texels per device pixel: fitted, image itself %.2f; fitted, copy %.2f; 200%% %.2f\n",
           texels_before, texels_after, texels_200);
  g_print ("    (GL = gsk_renderer_render_texture, then reading its pixels back, which\n"
           "     waits for llvmpipe to finish; cairo = gsk_renderer_render_texture;\n"
           "     frame = snap + GL; readbk = the same for a view of one colour, timed\n"
           "     after each frame: the render target and read-back every frame pays;\n"
           "     -readbk = frame less the read-back alone (above) for the steady\n"
           "     views, less readbk frame by frame for the zoom and pan frames;\n"
           "     -nopins = -readbk less that of the same view without pins; steady\n"
           "     views are timed in turn, in a new order each round, and with cairo\n"
           "     after;\n"
           "     %d rounds (node per pin: every 4th); zoom frames go to 110-130%% of\n"
           "     fitted, pan frames at 140%%)\n\n", N_FRAMES);

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
  g_print ("    %-44s %12.1f\n", "jump to page 150 -> its texture ready", t_flip);
  wait_for_paint (GTK_WIDGET (canvas));
  g_print ("    %-44s %12.2f\n", "texels per device pixel, fitted", _gls_canvas_get_texels_per_pixel (canvas));
  gls_canvas_set_zoom (canvas, 8.0);
  if (!wait_until_current (canvas, 30000))
    g_error ("Page 150 was never drawn at 800%%");
  wait_for_paint (GTK_WIDGET (canvas));
  g_print ("    %-44s %12.2f\n\n", "texels per device pixel, 800% (view render)",
           _gls_canvas_get_texels_per_pixel (canvas));

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
  double latency[3], texels[3];

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
      wait_for_paint (GTK_WIDGET (canvas));
      texels[i] = _gls_canvas_get_texels_per_pixel (canvas);
    }
  g_print ("    %-44s %12s %12s\n", "canvas: zoom change -> sharp again", "ms", "texels/px");
  for (guint i = 0; i < G_N_ELEMENTS (scales); i++)
    {
      g_autofree char *label = g_strdup_printf ("to %.0f%%", scales[i] * 110);

      g_print ("    %-44s %12.1f %12.2f\n", label, latency[i], texels[i]);
    }
  g_print ("    (includes the 60 ms the canvas waits for zooming to settle)\n");

  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  const char *view = g_getenv ("GLS_BENCH_VIEW");

  if (view != NULL && sscanf (view, "%dx%d", &view_width, &view_height) != 2)
    g_error ("GLS_BENCH_VIEW is WIDTHxHEIGHT, not “%s”", view);

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
