/* gls-canvas-render.c: the canvas's page: renders of SVG and PDF
 * pages and of scaled raster images, made in the document's worker,
 * and the frame that draws them.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-canvas"

#include "config.h"

#include <math.h>

#include "gls-canvas-private.h"

#define RENDER_DELAY_MS 60
/* A whole page is rendered at once up to this size, in device pixels;
 * beyond it, a low-resolution page plus a sharp render of the view. */
#define FULL_RENDER_SIDE   4096.0
#define FULL_RENDER_PIXELS (12.0 * 1024 * 1024)
/* A raster image shown at less than this many device pixels per image
 * pixel is drawn from a copy scaled to the zoom (when that copy is no
 * larger than a whole-page render): a software GL renderer spends most of a
 * frame sampling a large texture down. Above it, from the image itself. */
#define PRESCALE_MAX       0.9

static gboolean wanted_renders  (GlsCanvas       *self,
                                 double          *base_scale,
                                 double          *detail_scale,
                                 graphene_rect_t *visible);
static gboolean same_scale      (double           a,
                                 double           b);

/* Rendering of SVG and PDF pages */

void
_gls_canvas_render_clear (Render *render)
{
  g_clear_object (&render->texture);
  render->page = 0;
  render->scale = 0;
}

void
_gls_canvas_request_cancel (Request *request)
{
  if (request->cancellable != NULL)
    {
      g_cancellable_cancel (request->cancellable);
      g_clear_object (&request->cancellable);
    }
}

typedef struct
{
  GlsCanvas *self;
  gboolean   detail;
  GCancellable *cancellable;
} RenderClosure;

static void
render_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RenderClosure *closure = user_data;
  GlsCanvas *self = closure->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  graphene_rect_t area;
  Request *request;
  Render *render;

  texture = gls_document_render_finish (GLS_DOCUMENT (object), result, &area, &error);

  request = closure->detail ? &self->detail_request : &self->base_request;
  render = closure->detail ? &self->detail : &self->base;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      request->cancellable != closure->cancellable)
    goto out;

  g_clear_object (&request->cancellable);

  if (texture == NULL)
    {
      g_debug ("Could not draw page %u: %s", request->page, error->message);
      goto out;
    }

  if (gls_document_get_kind (self->document) == GLS_DESIGN_KIND_RASTER)
    self->raster_renders++;

  g_clear_object (&render->texture);
  render->texture = g_steal_pointer (&texture);
  render->page = request->page;
  render->scale = request->scale;
  render->area = area;

  /* A page-sized render at the right zoom: the sharp view kept on top of
   * the old one until now is no longer needed. */
  if (!closure->detail)
    {
      double base_scale, detail_scale;
      graphene_rect_t visible;

      if (!wanted_renders (self, &base_scale, &detail_scale, &visible) &&
          same_scale (render->scale, base_scale))
        _gls_canvas_render_clear (&self->detail);
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));

out:
  g_object_unref (closure->cancellable);
  g_object_unref (closure->self);
  g_free (closure);
}

static void
start_request (GlsCanvas             *self,
               gboolean               detail,
               guint                  page,
               double                 scale,
               const graphene_rect_t *area)
{
  Request *request = detail ? &self->detail_request : &self->base_request;
  RenderClosure *closure;

  _gls_canvas_request_cancel (request);
  request->cancellable = g_cancellable_new ();
  request->page = page;
  request->scale = scale;
  if (area)
    request->area = *area;
  else
    graphene_rect_init (&request->area, 0, 0, 0, 0);

  closure = g_new0 (RenderClosure, 1);
  closure->self = g_object_ref (self);
  closure->detail = detail;
  closure->cancellable = g_object_ref (request->cancellable);

  gls_document_render_async (self->document, page, scale, area,
                             request->cancellable, render_done_cb, closure);
}

/* What the current view needs; returns whether a detail render is needed.
 * @base_scale is 0 when a raster image needs no render: it is drawn from
 * the image itself. */
static gboolean
wanted_renders (GlsCanvas       *self,
                double          *base_scale,
                double          *detail_scale,
                graphene_rect_t *visible)
{
  double page_width, page_height;
  double scale = self->zoom * gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double px_width, px_height;

  _gls_canvas_get_page_size (self, &page_width, &page_height);
  px_width = page_width * scale;
  px_height = page_height * scale;

  if (px_width <= FULL_RENDER_SIDE && px_height <= FULL_RENDER_SIDE &&
      px_width * px_height <= FULL_RENDER_PIXELS)
    {
      *base_scale = scale;
      if (gls_document_get_kind (self->document) == GLS_DESIGN_KIND_RASTER &&
          scale >= PRESCALE_MAX)
        *base_scale = 0;
      return FALSE;
    }

  /* A raster image this large on screen is drawn from itself. */
  if (gls_document_get_kind (self->document) == GLS_DESIGN_KIND_RASTER)
    {
      *base_scale = 0;
      return FALSE;
    }

  *base_scale = MIN (MIN (FULL_RENDER_SIDE / page_width, FULL_RENDER_SIDE / page_height),
                     sqrt (FULL_RENDER_PIXELS / (page_width * page_height)));
  *detail_scale = scale;
  _gls_canvas_visible_design_rect (self, 0, visible);
  return TRUE;
}

static gboolean
same_scale (double a,
            double b)
{
  return fabs (a - b) <= 1e-6 * MAX (a, b);
}

static void
update_renders (GlsCanvas *self)
{
  double base_scale, detail_scale = 0;
  graphene_rect_t visible;
  gboolean need_detail;

  if (self->document == NULL ||
      gtk_widget_get_width (GTK_WIDGET (self)) <= 0)
    return;

  need_detail = wanted_renders (self, &base_scale, &detail_scale, &visible);

  if (base_scale == 0)
    {
      _gls_canvas_request_cancel (&self->base_request);
      _gls_canvas_render_clear (&self->base);
      _gls_canvas_merged_clear (self);
      return;
    }

  /* The worker serves requests in order: the sharp view first. */
  if (!need_detail)
    _gls_canvas_request_cancel (&self->detail_request);
  else if (!(self->detail.texture != NULL && self->detail.page == self->page &&
             same_scale (self->detail.scale, detail_scale) &&
             _gls_canvas_rect_contains (&self->detail.area, &visible)) &&
           !(self->detail_request.cancellable != NULL && self->detail_request.page == self->page &&
             same_scale (self->detail_request.scale, detail_scale) &&
             _gls_canvas_rect_contains (&self->detail_request.area, &visible)))
    {
      double page_width, page_height;
      graphene_rect_t area, page_rect;

      /* A margin around the view so small pans stay sharp. */
      _gls_canvas_get_page_size (self, &page_width, &page_height);
      graphene_rect_inset_r (&visible,
                             -visible.size.width / 4.0,
                             -visible.size.height / 4.0,
                             &area);
      graphene_rect_init (&page_rect, 0, 0, page_width, page_height);
      if (graphene_rect_intersection (&area, &page_rect, &area))
        start_request (self, TRUE, self->page, detail_scale, &area);
      else
        _gls_canvas_request_cancel (&self->detail_request);
    }

  /* Behind a sharp view, any render of the page will do as a backdrop. */
  if (self->base.texture != NULL && self->base.page == self->page &&
      (need_detail || same_scale (self->base.scale, base_scale)))
    {
      if (!need_detail)
        _gls_canvas_render_clear (&self->detail);
    }
  else if (!(self->base_request.cancellable != NULL && self->base_request.page == self->page &&
             (need_detail || same_scale (self->base_request.scale, base_scale))))
    {
      graphene_rect_t area;
      double page_width, page_height;

      /* A raster image's copy is drawn 1:1 without a clip: it covers the
       * device pixels whose centres are on the page, no more. */
      if (gls_document_get_kind (self->document) == GLS_DESIGN_KIND_RASTER)
        {
          _gls_canvas_get_page_size (self, &page_width, &page_height);
          graphene_rect_init (&area, 0, 0,
                              (MAX (1, round (page_width * base_scale)) - 0.01) / base_scale,
                              (MAX (1, round (page_height * base_scale)) - 0.01) / base_scale);
          start_request (self, FALSE, self->page, base_scale, &area);
        }
      else
        start_request (self, FALSE, self->page, base_scale, NULL);
    }
}

/* Whether a copy of a raster image scaled to this zoom will be drawn. */
static gboolean
copy_coming (GlsCanvas *self)
{
  double base_scale, detail_scale = 0;
  graphene_rect_t visible;

  wanted_renders (self, &base_scale, &detail_scale, &visible);
  return base_scale != 0;
}

static gboolean
renderer_is_cairo (GlsCanvas *self)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;

  return renderer != NULL && GSK_IS_CAIRO_RENDERER (renderer);
}

static gboolean
render_timeout_cb (gpointer user_data)
{
  GlsCanvas *self = user_data;

  self->render_source = 0;
  update_renders (self);

  return G_SOURCE_REMOVE;
}

void
_gls_canvas_schedule_render (GlsCanvas *self,
                             gboolean   now)
{
  if (self->document == NULL)
    return;

  g_clear_handle_id (&self->render_source, g_source_remove);

  /* Nothing to show for this page yet: no reason to wait. (A raster image
   * always has itself to show.) */
  if (now ||
      (gls_document_get_kind (self->document) != GLS_DESIGN_KIND_RASTER &&
       (self->base.texture == NULL || self->base.page != self->page)))
    update_renders (self);
  else
    self->render_source = g_timeout_add (RENDER_DELAY_MS, render_timeout_cb, self);
}

gboolean
_gls_canvas_is_render_current (GlsCanvas *self)
{
  double base_scale, detail_scale = 0;
  graphene_rect_t visible;

  g_return_val_if_fail (GLS_IS_CANVAS (self), FALSE);

  if (self->document == NULL)
    return TRUE;

  /* A raster image drawn from itself at this zoom, or from a copy of the
   * whole image scaled to it, which a pan does not make stale. */
  if (gls_document_get_kind (self->document) == GLS_DESIGN_KIND_RASTER)
    {
      wanted_renders (self, &base_scale, &detail_scale, &visible);
      return base_scale == 0 ||
             (self->base.texture != NULL && self->base.page == self->page &&
              same_scale (self->base.scale, base_scale) &&
              self->base_request.cancellable == NULL);
    }

  if (self->render_source != 0 ||
      self->base_request.cancellable != NULL ||
      self->detail_request.cancellable != NULL)
    return FALSE;

  if (!(self->base.texture != NULL && self->base.page == self->page))
    return FALSE;

  if (!wanted_renders (self, &base_scale, &detail_scale, &visible))
    return same_scale (self->base.scale, base_scale);

  return self->detail.texture != NULL && self->detail.page == self->page &&
         same_scale (self->detail.scale, detail_scale) &&
         _gls_canvas_rect_contains (&self->detail.area, &visible);
}

guint
_gls_canvas_get_raster_renders (GlsCanvas *self)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), 0);

  return self->raster_renders;
}

gboolean
_gls_canvas_get_prescaled_used (GlsCanvas *self)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), FALSE);

  return self->prescaled_used;
}

guint
_gls_canvas_get_merge_renders (GlsCanvas *self)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), 0);

  return self->merge_renders;
}

gboolean
_gls_canvas_get_merged_used (GlsCanvas *self)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), FALSE);

  return self->merged_used;
}

void
_gls_canvas_set_merge_enabled (GlsCanvas *self,
                               gboolean   enabled)
{
  g_return_if_fail (GLS_IS_CANVAS (self));

  self->merge_disabled = !enabled;
  if (!enabled)
    _gls_canvas_merged_clear (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
_gls_canvas_get_texels_per_pixel (GlsCanvas *self)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), 0);

  return self->texels_per_pixel;
}

/* A raster image's scaled copy with the pin layer drawn on it: one opaque
 * texture for the page, drawn 1:1, rather than two blended over each other
 * each frame (what a software renderer spends a frame on). The layer is
 * still drawn around the page, where badges reach past its edge. */

typedef struct
{
  GdkTexture      *copy;
  cairo_surface_t *layer;
  int              layer_x;  /* the layer's top-left on the copy, px */
  int              layer_y;
  /* Parts of the layer, in its own px, cut out as strips */
  cairo_rectangle_int_t strip_rects[4];
} MergeJob;

static void
merge_job_free (gpointer data)
{
  MergeJob *job = data;

  g_object_unref (job->copy);
  cairo_surface_destroy (job->layer);
  g_free (job);
}

/* A copy of part of an image surface, or NULL if it is empty. */
static cairo_surface_t *
cut_surface (cairo_surface_t             *surface,
             const cairo_rectangle_int_t *rect)
{
  cairo_surface_t *part;
  cairo_t *cr;

  if (rect->width <= 0 || rect->height <= 0)
    return NULL;

  part = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, rect->width, rect->height);
  cr = cairo_create (part);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_set_source_surface (cr, surface, -rect->x, -rect->y);
  cairo_paint (cr);
  cairo_destroy (cr);

  return part;
}

void
_gls_canvas_merged_clear (GlsCanvas *self)
{
  if (self->merge_cancellable != NULL)
    {
      g_cancellable_cancel (self->merge_cancellable);
      g_clear_object (&self->merge_cancellable);
    }
  _gls_canvas_render_clear (&self->merged);
  g_clear_object (&self->merged_copy);
  g_clear_object (&self->merged_layer);
  for (guint i = 0; i < G_N_ELEMENTS (self->merged_strips); i++)
    g_clear_object (&self->merged_strips[i]);
}

/* Whether the merged texture shows the current copy and layer. */
static gboolean
merged_is_current (GlsCanvas *self)
{
  return self->merged.texture != NULL &&
         self->merged_copy == self->base.texture &&
         self->merged_layer == self->layer.texture;
}

/* An opaque texture in 8-bit RGB, of an opaque image surface: llvmpipe
 * draws it in two thirds of the time it takes for the same in BGRA. */
static GdkTexture *
rgb_texture_for_surface (cairo_surface_t *surface)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *data = cairo_image_surface_get_data (surface);
  gsize rgb_stride = ((gsize) width * 3 + 3) & ~(gsize) 3;
  guint8 *rgb = g_malloc (rgb_stride * height);
  g_autoptr(GBytes) bytes = NULL;

  cairo_surface_flush (surface);
  for (int y = 0; y < height; y++)
    {
      const guint32 *src = (const guint32 *) (data + (gsize) y * stride);
      guint8 *dst = rgb + (gsize) y * rgb_stride;

      for (int x = 0; x < width; x++)
        {
          dst[3 * x] = (src[x] >> 16) & 0xff;
          dst[3 * x + 1] = (src[x] >> 8) & 0xff;
          dst[3 * x + 2] = src[x] & 0xff;
        }
    }

  bytes = g_bytes_new_take (rgb, rgb_stride * height);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, bytes, rgb_stride);
}

typedef struct
{
  GdkTexture *page;
  GdkTexture *strips[4];
} MergeResult;

static void
merge_result_free (gpointer data)
{
  MergeResult *result = data;

  g_clear_object (&result->page);
  for (guint i = 0; i < G_N_ELEMENTS (result->strips); i++)
    g_clear_object (&result->strips[i]);
  g_free (result);
}

static void
merge_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  MergeJob *job = task_data;
  int width = gdk_texture_get_width (job->copy);
  int height = gdk_texture_get_height (job->copy);
  MergeResult *result;
  cairo_surface_t *surface;
  cairo_t *cr;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "Out of memory");
      return;
    }

  /* Memory textures download in any thread; the copy is opaque. */
  cairo_surface_flush (surface);
  gdk_texture_download (job->copy, cairo_image_surface_get_data (surface),
                        cairo_image_surface_get_stride (surface));
  cairo_surface_mark_dirty (surface);

  cr = cairo_create (surface);
  cairo_set_source_surface (cr, job->layer, job->layer_x, job->layer_y);
  cairo_paint (cr);
  cairo_destroy (cr);

  result = g_new0 (MergeResult, 1);
  result->page = rgb_texture_for_surface (surface);
  cairo_surface_destroy (surface);

  /* Small textures for the layer around the page. */
  for (guint i = 0; i < G_N_ELEMENTS (result->strips); i++)
    {
      cairo_surface_t *strip = cut_surface (job->layer, &job->strip_rects[i]);

      if (strip != NULL)
        {
          result->strips[i] = _gls_canvas_texture_for_surface (strip);
          cairo_surface_destroy (strip);
        }
    }

  if (g_task_return_error_if_cancelled (task))
    merge_result_free (result);
  else
    g_task_return_pointer (task, result, merge_result_free);
}

static void
merge_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GlsCanvas *self = GLS_CANVAS (object);
  MergeJob *job = g_task_get_task_data (G_TASK (result));
  MergeResult *merged;

  merged = g_task_propagate_pointer (G_TASK (result), NULL);
  if (merged == NULL)
    return;

  if (g_task_get_cancellable (G_TASK (result)) == self->merge_cancellable &&
      job->copy == self->base.texture &&
      self->layer.surface == job->layer)
    {
      g_clear_object (&self->merge_cancellable);
      _gls_canvas_render_clear (&self->merged);
      self->merged = self->base;
      self->merged.texture = g_steal_pointer (&merged->page);
      g_set_object (&self->merged_copy, self->base.texture);
      g_set_object (&self->merged_layer, self->layer.texture);
      for (guint i = 0; i < G_N_ELEMENTS (self->merged_strips); i++)
        {
          cairo_rectangle_int_t *rect = &self->merged_strip_rects[i];

          g_clear_object (&self->merged_strips[i]);
          self->merged_strips[i] = g_steal_pointer (&merged->strips[i]);
          *rect = job->strip_rects[i];
          rect->x += self->layer.extent.x;
          rect->y += self->layer.extent.y;
        }
      self->merge_renders++;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }

  merge_result_free (merged);
}

/* Merges the copy and the layer in a worker thread, if the layer is of the
 * current view and holds the whole copy. */
static void
start_merge (GlsCanvas *self)
{
  g_autoptr(GTask) task = NULL;
  MergeJob *job;
  int width = gdk_texture_get_width (self->base.texture);
  int height = gdk_texture_get_height (self->base.texture);
  int x0 = (int) round (self->base.area.origin.x * self->base.scale);
  int y0 = (int) round (self->base.area.origin.y * self->base.scale);
  int ex, ey, ew, eh;

  if (self->layer.surface == NULL || !_gls_canvas_layer_is_current (self) ||
      !_gls_canvas_rect_int_contains (&self->layer.extent,
                                      &(cairo_rectangle_int_t) { x0, y0, width, height }))
    return;

  _gls_canvas_merged_clear (self);

  job = g_new0 (MergeJob, 1);
  job->copy = g_object_ref (self->base.texture);
  job->layer = cairo_surface_reference (self->layer.surface);
  job->layer_x = self->layer.extent.x - x0;
  job->layer_y = self->layer.extent.y - y0;

  /* The strips, in the layer's px, around the copy: it covers the device
   * pixels whose centres are on the page, so they fit against it without
   * a clip (which costs llvmpipe a pass over all the pixels it clips). */
  ex = self->layer.extent.x - x0;
  ey = self->layer.extent.y - y0;
  ew = self->layer.extent.width;
  eh = self->layer.extent.height;
  job->strip_rects[0] = (cairo_rectangle_int_t) { 0, 0, ew, -ey };
  job->strip_rects[1] = (cairo_rectangle_int_t) { 0, height - ey, ew, ey + eh - height };
  job->strip_rects[2] = (cairo_rectangle_int_t) { 0, -ey, -ex, height };
  job->strip_rects[3] = (cairo_rectangle_int_t) { width - ex, -ey, ex + ew - width, height };

  self->merge_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->merge_cancellable, merge_done_cb, NULL);
  g_task_set_source_tag (task, start_merge);
  g_task_set_task_data (task, job, merge_job_free);
  g_task_run_in_thread (task, merge_thread);
}

/* Drawing */

/* Returns how many texels of the render span one device pixel. */
static double
append_render (GtkSnapshot  *snapshot,
               const Render *render,
               double        origin_x,
               double        origin_y,
               double        zoom,
               int           scale_factor)
{
  graphene_rect_t bounds;

  graphene_rect_init (&bounds,
                      origin_x + render->area.origin.x * zoom,
                      origin_y + render->area.origin.y * zoom,
                      render->area.size.width * zoom,
                      render->area.size.height * zoom);
  gtk_snapshot_append_texture (snapshot, render->texture, &bounds);

  return gdk_texture_get_width (render->texture) / (bounds.size.width * scale_factor);
}

/* The background around the page, which is opaque: under it, it would be
 * one more pass over the page's pixels. It reaches under the page's right
 * and bottom edge to the whole device pixel, so that no renderer leaves a
 * seam where the page ends within a pixel. */
static void
append_background (GlsCanvas             *self,
                   GtkSnapshot           *snapshot,
                   const graphene_rect_t *page,
                   int                    scale_factor)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double x0 = CLAMP (page->origin.x, 0, width);
  double y0 = CLAMP (page->origin.y, 0, height);
  double x1 = CLAMP (floor ((page->origin.x + page->size.width) * scale_factor) / scale_factor, x0, width);
  double y1 = CLAMP (floor ((page->origin.y + page->size.height) * scale_factor) / scale_factor, y0, height);
  graphene_rect_t rects[4] = {
    GRAPHENE_RECT_INIT (0, 0, width, y0),
    GRAPHENE_RECT_INIT (0, y1, width, height - y1),
    GRAPHENE_RECT_INIT (0, y0, x0, y1 - y0),
    GRAPHENE_RECT_INIT (x1, y0, width - x1, y1 - y0),
  };

  for (guint i = 0; i < G_N_ELEMENTS (rects); i++)
    if (rects[i].size.width > 0 && rects[i].size.height > 0)
      gtk_snapshot_append_color (snapshot, &self->background, &rects[i]);
}

void
_gls_canvas_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  GlsCanvas *self = GLS_CANVAS (widget);
  double page_width, page_height;
  double origin_x, origin_y;
  int scale_factor;
  graphene_rect_t page_rect;
  GskRoundedRect outline;
  static const GdkRGBA shadow = { 0, 0, 0, 0.3 };
  static const GdkRGBA paper = { 1, 1, 1, 1 };

  _gls_canvas_ensure_colors (self);

  if (!_gls_canvas_get_page_size (self, &page_width, &page_height))
    {
      gtk_snapshot_append_color (snapshot, &self->background,
                                 &GRAPHENE_RECT_INIT (0, 0,
                                                      gtk_widget_get_width (widget),
                                                      gtk_widget_get_height (widget)));
      return;
    }

  /* Whole device pixels for the page, so renders at 1:1 stay sharp. */
  scale_factor = gtk_widget_get_scale_factor (widget);
  _gls_canvas_design_to_widget (self, 0, 0, &origin_x, &origin_y);
  origin_x = round (origin_x * scale_factor) / scale_factor;
  origin_y = round (origin_y * scale_factor) / scale_factor;

  graphene_rect_init (&page_rect, origin_x, origin_y,
                      page_width * self->zoom, page_height * self->zoom);
  append_background (self, snapshot, &page_rect, scale_factor);
  gsk_rounded_rect_init_from_rect (&outline, &page_rect, 0);
  gtk_snapshot_append_outset_shadow (snapshot, &outline, &shadow, 0, 1, 0, 6);

  self->prescaled_used = FALSE;
  self->texels_per_pixel = 0;

  self->merged_used = FALSE;

  if (gls_document_get_kind (self->document) == GLS_DESIGN_KIND_RASTER)
    {
      GdkTexture *image = gls_document_get_texture (self->document);
      graphene_rect_t visible;

      /* A copy scaled to this zoom, drawn 1:1; it has the paper in it,
       * and when it can, the pin layer. */
      self->prescaled_used = self->base.texture != NULL && self->base.page == self->page &&
                             same_scale (self->base.scale, self->zoom * scale_factor);
      self->merged_used = self->prescaled_used && self->pins->len > 0 && !self->merge_disabled &&
                          merged_is_current (self) && _gls_canvas_layer_is_current (self) &&
                          _gls_canvas_wants_layer (self, &visible);
      /* No clip: a clip costs a software renderer a pass over every pixel,
       * and these cover the page exactly. */
      if (self->merged_used)
        self->texels_per_pixel = append_render (snapshot, &self->merged, origin_x, origin_y,
                                                self->zoom, scale_factor);
      else if (self->prescaled_used)
        self->texels_per_pixel = append_render (snapshot, &self->base, origin_x, origin_y,
                                                self->zoom, scale_factor);
      else if (self->base.texture != NULL && self->base.page == self->page &&
               copy_coming (self) && renderer_is_cairo (self))
        {
          /* Meanwhile, with GTK's Cairo renderer (no GPU): the copy of
           * the last zoom, scaled, until the one of this zoom arrives. A
           * frame from the image itself costs it some 200 ms at
           * 4000×3000 (bench-canvas): a zoom would stutter. */
          gtk_snapshot_append_color (snapshot, &paper, &page_rect);
          self->texels_per_pixel = append_render (snapshot, &self->base, origin_x, origin_y,
                                                  self->zoom, scale_factor);
        }
      else
        {
          /* Meanwhile, or zoomed in: the image itself. */
          gtk_snapshot_append_color (snapshot, &paper, &page_rect);
          gtk_snapshot_append_texture (snapshot, image, &page_rect);
          self->texels_per_pixel = gdk_texture_get_width (image) /
                                   (page_rect.size.width * scale_factor);
        }
    }
  else
    {
      gtk_snapshot_append_color (snapshot, &paper, &page_rect);
      gtk_snapshot_push_clip (snapshot, &page_rect);
      if (self->base.texture != NULL && self->base.page == self->page)
        self->texels_per_pixel = append_render (snapshot, &self->base, origin_x, origin_y,
                                                self->zoom, scale_factor);
      if (self->detail.texture != NULL && self->detail.page == self->page)
        self->texels_per_pixel = append_render (snapshot, &self->detail, origin_x, origin_y,
                                                self->zoom, scale_factor);
      gtk_snapshot_pop (snapshot);
    }

  _gls_canvas_snapshot_pins (self, snapshot, origin_x, origin_y, self->merged_used);

  /* The layer of this view over the copy, for the frames to come. */
  if (self->prescaled_used && self->layer_used && !self->merged_used && !self->merge_disabled &&
      self->merge_cancellable == NULL && self->layer_cancellable == NULL)
    start_merge (self);
  _gls_canvas_snapshot_marks (self, snapshot);
}
