/* gls-canvas-pin-layer.c: many pins drawn as one texture, the
 * pin layer, made in a worker thread.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-canvas"

#include "config.h"

#include <math.h>
#include <string.h>

#include "gls-canvas-private.h"

/* px around the page in a pin layer, for badges that reach past its edge */
#define LAYER_MARGIN       48
/* Largest pin layer, in device pixels, that holds the whole page; beyond,
 * it holds the view and half a view around it. */
#define LAYER_MAX_SIDE     4096.0
#define LAYER_MAX_PIXELS   (8.0 * 1024 * 1024)

/* The pin layer: every pin of the page in one texture */

typedef struct
{
  BadgeArt *art;
  double    x;      /* the badge centre, px from the layer's top-left */
  double    y;
  gboolean  stack;  /* a cluster's: a second disc behind */
} LayerBadge;

typedef struct
{
  graphene_rect_t rect;  /* px from the layer's top-left */
  GdkRGBA         color;
} LayerRegion;

/* Everything needed to draw a layer, owned, with no reference to the widget. */
typedef struct
{
  cairo_rectangle_int_t  extent;
  int                    scale_factor;
  GArray                *regions;  /* of LayerRegion */
  GArray                *badges;   /* of LayerBadge */
} LayerJob;

guint
_gls_canvas_get_layer_renders (GlsCanvas *self)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), 0);

  return self->layer_renders;
}

void
_gls_canvas_set_layer_min_pins (GlsCanvas *self,
                                guint      n_pins)
{
  g_return_if_fail (GLS_IS_CANVAS (self));

  self->layer_min_pins = n_pins;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
_gls_canvas_is_layer_current (GlsCanvas *self)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), FALSE);

  return !self->layer_used ||
         (_gls_canvas_layer_is_current (self) && self->layer_cancellable == NULL);
}

double
_gls_canvas_get_layer_ms (GlsCanvas *self)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), 0);

  return self->layer_ms;
}

gboolean
_gls_canvas_get_layer_used (GlsCanvas *self)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), FALSE);

  return self->layer_used;
}

static void
layer_badge_clear (gpointer data)
{
  LayerBadge *badge = data;

  g_clear_pointer (&badge->art, _gls_canvas_badge_art_unref);
}

static void
layer_job_free (LayerJob *job)
{
  g_array_unref (job->regions);
  g_array_unref (job->badges);
  g_free (job);
}

static cairo_surface_t *
draw_layer (const LayerJob *job,
            GCancellable   *cancellable)
{
  cairo_surface_t *surface;
  cairo_glyph_t stack_glyphs[16];
  cairo_scaled_font_t *font = NULL;
  cairo_t *cr;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, job->extent.width, job->extent.height);
  cairo_surface_set_device_scale (surface, job->scale_factor, job->scale_factor);
  cr = cairo_create (surface);

  /* Regions first, under every badge: a border centred on the edge. */
  cairo_set_line_width (cr, 2);
  for (guint i = 0; i < job->regions->len; i++)
    {
      const LayerRegion *region = &g_array_index (job->regions, LayerRegion, i);

      gdk_cairo_set_source_rgba (cr, &region->color);
      cairo_rectangle (cr, region->rect.origin.x, region->rect.origin.y,
                       region->rect.size.width, region->rect.size.height);
      cairo_stroke (cr);
    }

  for (guint i = 0; i < job->badges->len; i++)
    {
      const LayerBadge *badge = &g_array_index (job->badges, LayerBadge, i);
      const BadgeArt *art = badge->art;

      if (i % 256 == 255 && g_cancellable_is_cancelled (cancellable))
        break;

      if (badge->stack)
        {
          cairo_set_source_surface (cr, art->disc, badge->x + art->disc_x + 4, badge->y + art->disc_y - 4);
          cairo_paint (cr);
        }
      cairo_set_source_surface (cr, art->disc, badge->x + art->disc_x, badge->y + art->disc_y);
      cairo_paint (cr);

      gdk_cairo_set_source_rgba (cr, &art->fg);
      for (guint r = 0; r < art->n_runs; r++)
        {
          const GlyphRun *run = &art->runs[r];
          cairo_glyph_t *glyphs = stack_glyphs;

          if (run->n_glyphs == 0)
            continue;
          if (run->n_glyphs > (int) G_N_ELEMENTS (stack_glyphs))
            glyphs = g_new (cairo_glyph_t, run->n_glyphs);
          for (int g = 0; g < run->n_glyphs; g++)
            {
              glyphs[g].index = run->glyphs[g].index;
              glyphs[g].x = run->glyphs[g].x + badge->x;
              glyphs[g].y = run->glyphs[g].y + badge->y;
            }
          if (run->font != font)
            {
              font = run->font;
              cairo_set_scaled_font (cr, font);
            }
          cairo_show_glyphs (cr, glyphs, run->n_glyphs);
          if (glyphs != stack_glyphs)
            g_free (glyphs);
        }
    }

  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

GdkTexture *
_gls_canvas_texture_for_surface (cairo_surface_t *surface)
{
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) stride * height,
                                      (GDestroyNotify) cairo_surface_destroy,
                                      cairo_surface_reference (surface));
  return gdk_memory_texture_new (cairo_image_surface_get_width (surface), height,
                                 GDK_MEMORY_DEFAULT, bytes, stride);
}

/* The part of the page a layer for the current view would hold (@extent)
 * and the part it must hold to serve the view (@needed), in device pixels
 * from the page's origin. The whole page unless it is too large; then the
 * view and half a view around it. */
static void
wanted_layer_extent (GlsCanvas             *self,
                     cairo_rectangle_int_t *extent,
                     cairo_rectangle_int_t *needed)
{
  int scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double scale = self->zoom * scale_factor;
  int margin = LAYER_MARGIN * scale_factor;
  double page_width, page_height;
  cairo_rectangle_int_t full;
  graphene_rect_t visible;
  double x0, y0, x1, y1;

  _gls_canvas_get_page_size (self, &page_width, &page_height);
  full.x = -margin;
  full.y = -margin;
  full.width = (int) ceil (page_width * scale) + 2 * margin;
  full.height = (int) ceil (page_height * scale) + 2 * margin;

  if (page_width * scale <= LAYER_MAX_SIDE && page_height * scale <= LAYER_MAX_SIDE &&
      (double) full.width * full.height <= LAYER_MAX_PIXELS)
    {
      *extent = *needed = full;
      return;
    }

  _gls_canvas_visible_design_rect (self, 0, &visible);
  x0 = floor (visible.origin.x * scale) - 1;
  y0 = floor (visible.origin.y * scale) - 1;
  x1 = ceil ((visible.origin.x + visible.size.width) * scale) + 1;
  y1 = ceil ((visible.origin.y + visible.size.height) * scale) + 1;
  needed->x = (int) MAX (x0, full.x);
  needed->y = (int) MAX (y0, full.y);
  needed->width = MAX (1, (int) MIN (x1, full.x + full.width) - needed->x);
  needed->height = MAX (1, (int) MIN (y1, full.y + full.height) - needed->y);

  x0 -= (x1 - x0) / 2;
  x1 += (x1 - x0) / 3;  /* x0 moved: a third of the new span is half the old */
  y0 -= (y1 - y0) / 2;
  y1 += (y1 - y0) / 3;
  extent->x = (int) MAX (x0, full.x);
  extent->y = (int) MAX (y0, full.y);
  extent->width = MAX (1, (int) MIN (x1, full.x + full.width) - extent->x);
  extent->height = MAX (1, (int) MIN (y1, full.y + full.height) - extent->y);
}

gboolean
_gls_canvas_rect_int_contains (const cairo_rectangle_int_t *outer,
                               const cairo_rectangle_int_t *inner)
{
  return inner->x >= outer->x && inner->y >= outer->y &&
         inner->x + inner->width <= outer->x + outer->width &&
         inner->y + inner->height <= outer->y + outer->height;
}

/* Whether the layer serves the current view as it is. */
gboolean
_gls_canvas_layer_is_current (GlsCanvas *self)
{
  cairo_rectangle_int_t extent, needed;

  if (self->layer.texture == NULL ||
      self->layer.page != self->page ||
      self->layer.zoom != self->zoom ||
      self->layer.scale_factor != gtk_widget_get_scale_factor (GTK_WIDGET (self)) ||
      self->layer.pins_serial != self->pins_serial ||
      self->layer.style_serial != self->style_serial)
    return FALSE;
  _gls_canvas_ensure_clusters (self);
  if (self->layer.clusters_serial != self->clusters.serial)
    return FALSE;

  wanted_layer_extent (self, &extent, &needed);
  return _gls_canvas_rect_int_contains (&self->layer.extent, &needed);
}

/* A pin's badge centre on a whole device pixel from the page origin. */
static void
layer_anchor (GlsCanvas         *self,
              const GlsSelector *selector,
              int                scale_factor,
              double            *x,
              double            *y)
{
  *x = round (selector->x * self->zoom * scale_factor);
  *y = round (selector->y * self->zoom * scale_factor);
}

static LayerJob *
layer_job_new (GlsCanvas                   *self,
               const cairo_rectangle_int_t *extent)
{
  LayerJob *job = g_new0 (LayerJob, 1);
  int scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double left = (double) extent->x / scale_factor;
  double top = (double) extent->y / scale_factor;
  double width = (double) extent->width / scale_factor;
  double height = (double) extent->height / scale_factor;
  double reach = PIN_RADIUS + PIN_RING + 40;  /* as far as a badge reaches */

  _gls_canvas_ensure_colors (self);
  _gls_canvas_ensure_arts_scale (self);

  job->extent = *extent;
  job->scale_factor = scale_factor;
  job->regions = g_array_new (FALSE, FALSE, sizeof (LayerRegion));
  job->badges = g_array_new (FALSE, FALSE, sizeof (LayerBadge));
  g_array_set_clear_func (job->badges, layer_badge_clear);

  for (guint i = 0; i < self->pins->len; i++)
    {
      const Pin *pin = &g_array_index (self->pins, Pin, i);
      LayerRegion region;
      double x0, y0, x1, y1;

      if (pin->selector.kind != GLS_SELECTOR_RECT || !_gls_canvas_pin_on_page (self, pin))
        continue;

      /* Edges on whole device pixels: the 2 px border stays crisp. */
      x0 = round (pin->selector.x * self->zoom * scale_factor);
      y0 = round (pin->selector.y * self->zoom * scale_factor);
      x1 = round ((pin->selector.x + pin->selector.width) * self->zoom * scale_factor);
      y1 = round ((pin->selector.y + pin->selector.height) * self->zoom * scale_factor);
      graphene_rect_init (&region.rect,
                          x0 / scale_factor - left, y0 / scale_factor - top,
                          MAX (1, (x1 - x0) / scale_factor), MAX (1, (y1 - y0) / scale_factor));
      if (region.rect.origin.x > width + 2 || region.rect.origin.y > height + 2 ||
          region.rect.origin.x + region.rect.size.width < -2 ||
          region.rect.origin.y + region.rect.size.height < -2)
        continue;
      _gls_canvas_get_region_color (self, pin, &region.color);
      g_array_append_val (job->regions, region);
    }

  /* Resolved badges under open ones. The selected and the hovered pins
   * are drawn here too, in their plain style: their own badges go on top,
   * and cover these, so neither forces a new layer. A cluster is drawn
   * once, at its leading pin, with its count. */
  _gls_canvas_ensure_clusters (self);
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < self->pins->len; i++)
      {
        const Pin *pin = &g_array_index (self->pins, Pin, i);
        const Cluster *cluster = _gls_canvas_get_pin_cluster (self, i);
        LayerBadge badge;
        double x, y;

        if (cluster != NULL && cluster->leader != i)
          continue;
        if ((cluster != NULL ? cluster->resolved : pin->resolved) != (pass == 0) ||
            !_gls_canvas_pin_on_page (self, pin))
          continue;

        layer_anchor (self, &pin->selector, scale_factor, &x, &y);
        badge.x = x / scale_factor - left;
        badge.y = y / scale_factor - top;
        if (badge.x < -reach || badge.y < -reach ||
            badge.x > width + reach || badge.y > height + reach)
          continue;

        badge.art = g_atomic_rc_box_acquire (_gls_canvas_get_art (self, pin->number,
                                                                  _gls_canvas_pin_plain_style (pin)));
        g_array_append_val (job->badges, badge);
      }

  return job;
}

static void
install_layer (GlsCanvas       *self,
               const PinLayer  *params,
               cairo_surface_t *surface)
{
  g_clear_object (&self->layer.texture);
  g_clear_pointer (&self->layer.surface, cairo_surface_destroy);
  self->layer = *params;
  self->layer.texture = _gls_canvas_texture_for_surface (surface);
  self->layer.surface = cairo_surface_reference (surface);
  self->layer_renders++;
}

/* What a layer for the current view is made of. */
static void
layer_params (GlsCanvas *self,
              PinLayer  *params)
{
  cairo_rectangle_int_t needed;

  memset (params, 0, sizeof *params);
  params->page = self->page;
  params->zoom = self->zoom;
  params->scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  params->pins_serial = self->pins_serial;
  _gls_canvas_ensure_clusters (self);
  params->clusters_serial = self->clusters.serial;
  params->style_serial = self->style_serial;
  wanted_layer_extent (self, &params->extent, &needed);
}

static void
layer_cancel (GlsCanvas *self)
{
  if (self->layer_cancellable != NULL)
    {
      g_cancellable_cancel (self->layer_cancellable);
      g_clear_object (&self->layer_cancellable);
    }
}

static void
render_layer_now (GlsCanvas *self)
{
  g_autoptr(GTimer) timer = g_timer_new ();
  cairo_surface_t *surface;
  PinLayer params;
  LayerJob *job;

  layer_cancel (self);
  layer_params (self, &params);
  job = layer_job_new (self, &params.extent);
  surface = draw_layer (job, NULL);
  install_layer (self, &params, surface);
  self->layer_ms = g_timer_elapsed (timer, NULL) * 1000;

  cairo_surface_destroy (surface);
  layer_job_free (job);
}

typedef struct
{
  LayerJob *job;
  PinLayer  params;
  double    job_ms;   /* making the job, in the main thread */
  double    draw_ms;  /* drawing it, in the worker */
} LayerTaskData;

static void
layer_task_data_free (gpointer data)
{
  LayerTaskData *task_data = data;

  layer_job_free (task_data->job);
  g_free (task_data);
}

static void
draw_layer_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  LayerTaskData *data = task_data;
  gint64 start = g_get_monotonic_time ();
  cairo_surface_t *surface = draw_layer (data->job, cancellable);

  data->draw_ms = (g_get_monotonic_time () - start) / 1000.0;

  if (g_task_return_error_if_cancelled (task))
    cairo_surface_destroy (surface);
  else
    g_task_return_pointer (task, surface, (GDestroyNotify) cairo_surface_destroy);
}

static void
draw_layer_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GlsCanvas *self = GLS_CANVAS (object);
  LayerTaskData *data = g_task_get_task_data (G_TASK (result));
  cairo_surface_t *surface;

  surface = g_task_propagate_pointer (G_TASK (result), NULL);
  if (surface == NULL)
    return;

  if (g_task_get_cancellable (G_TASK (result)) == self->layer_cancellable)
    {
      g_clear_object (&self->layer_cancellable);

      /* Nearer the view than what is shown, even if the view has moved on
       * since: shown until the next one is ready. */
      if (data->params.page == self->page &&
          data->params.scale_factor == gtk_widget_get_scale_factor (GTK_WIDGET (self)))
        {
          install_layer (self, &data->params, surface);
          self->layer_ms = data->job_ms + data->draw_ms;
          gtk_widget_queue_draw (GTK_WIDGET (self));
        }
    }

  cairo_surface_destroy (surface);
}

/* Draws a layer for the current view in a worker thread; the one shown
 * now is drawn, scaled, meanwhile. One at a time: when it is done, the
 * next frame asks for another if the view moved on meanwhile. */
static void
start_layer_task (GlsCanvas *self)
{
  g_autoptr(GTask) task = NULL;
  LayerTaskData *data = g_new0 (LayerTaskData, 1);

  gint64 start = g_get_monotonic_time ();

  layer_params (self, &data->params);
  data->job = layer_job_new (self, &data->params.extent);
  data->job_ms = (g_get_monotonic_time () - start) / 1000.0;

  self->layer_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->layer_cancellable, draw_layer_done_cb, NULL);
  g_task_set_source_tag (task, start_layer_task);
  g_task_set_task_data (task, data, layer_task_data_free);
  g_task_run_in_thread (task, draw_layer_thread);
}

void
_gls_canvas_layer_clear (GlsCanvas *self)
{
  layer_cancel (self);
  g_clear_object (&self->layer.texture);
  g_clear_pointer (&self->layer.surface, cairo_surface_destroy);
  self->layer.page = 0;
  self->layer.zoom = 0;
}

/* The selected pin, on this page, or NULL. */
static const Pin *
find_selected (GlsCanvas *self)
{
  if (self->selected == NULL)
    return NULL;

  for (guint i = 0; i < self->pins->len; i++)
    {
      const Pin *pin = &g_array_index (self->pins, Pin, i);

      if (g_strcmp0 (pin->id, self->selected) == 0 && _gls_canvas_pin_on_page (self, pin))
        return pin;
    }

  return NULL;
}

/* The layer around the page, from the strips cut out of it when it was
 * merged into the page's copy. */
static void
append_layer_around (GlsCanvas   *self,
                     GtkSnapshot *snapshot,
                     double       origin_x,
                     double       origin_y)
{
  int scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (self->merged_strips); i++)
    {
      const cairo_rectangle_int_t *rect = &self->merged_strip_rects[i];

      if (self->merged_strips[i] == NULL)
        continue;
      gtk_snapshot_append_texture (snapshot, self->merged_strips[i],
                                   &GRAPHENE_RECT_INIT (origin_x + (double) rect->x / scale_factor,
                                                        origin_y + (double) rect->y / scale_factor,
                                                        (double) rect->width / scale_factor,
                                                        (double) rect->height / scale_factor));
    }
}

/* With @merged, the layer is already drawn on the page. */
void
_gls_canvas_snapshot_pin_layer (GlsCanvas   *self,
                                GtkSnapshot *snapshot,
                                double       origin_x,
                                double       origin_y,
                                gboolean     merged)
{
  int scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  const Pin *selected = find_selected (self);
  double x, y;

  if (!_gls_canvas_layer_is_current (self))
    {
      /* Nothing of this page to show meanwhile: draw it now. */
      if (self->layer.texture == NULL || self->layer.page != self->page ||
          self->layer.scale_factor != scale_factor)
        render_layer_now (self);
      else if (self->layer_cancellable == NULL)
        start_layer_task (self);
    }

  if (self->layer.texture != NULL && self->layer.page == self->page)
    {
      /* A layer made at another zoom is drawn scaled meanwhile. */
      double k = self->zoom / self->layer.zoom / self->layer.scale_factor;
      graphene_rect_t bounds = GRAPHENE_RECT_INIT (origin_x + self->layer.extent.x * k,
                                                   origin_y + self->layer.extent.y * k,
                                                   self->layer.extent.width * k,
                                                   self->layer.extent.height * k);

      if (merged)
        append_layer_around (self, snapshot, origin_x, origin_y);
      else
        gtk_snapshot_append_texture (snapshot, self->layer.texture, &bounds);
    }

  /* On top, where the layer has the same pin in its plain style. */
  if (self->hover_pin != NULL &&
      (selected == NULL || g_strcmp0 (self->hover_pin, selected->id) != 0))
    {
      for (guint i = 0; i < self->pins->len; i++)
        {
          const Pin *pin = &g_array_index (self->pins, Pin, i);

          if (g_strcmp0 (pin->id, self->hover_pin) == 0 && _gls_canvas_pin_on_page (self, pin) &&
              _gls_canvas_get_pin_cluster (self, i) == NULL)
            {
              layer_anchor (self, &pin->selector, scale_factor, &x, &y);
              _gls_canvas_append_badge (snapshot,
                                        _gls_canvas_get_badge (self, pin->number, BADGE_HOVER),
                                        origin_x + x / scale_factor, origin_y + y / scale_factor);
              break;
            }
        }
    }

  if (selected != NULL)
    {
      if (selected->selector.kind == GLS_SELECTOR_RECT)
        _gls_canvas_append_region (self, snapshot, &selected->selector, &self->accent, TRUE);
      layer_anchor (self, &selected->selector, scale_factor, &x, &y);
      _gls_canvas_append_badge (snapshot,
                                _gls_canvas_get_badge (self, selected->number, BADGE_SELECTED),
                                origin_x + x / scale_factor, origin_y + y / scale_factor);
    }
}

/* Whether the pins in view are drawn as a layer; @visible is set to the
 * design area whose badges could reach into the view. */
gboolean
_gls_canvas_wants_layer (GlsCanvas       *self,
                         graphene_rect_t *visible)
{
  double margin = (PIN_RADIUS + PIN_RING + 40) / self->zoom;
  guint n_visible = 0;

  _gls_canvas_visible_design_rect (self, 0, visible);
  graphene_rect_inset (visible, -margin, -margin);

  for (guint i = 0; i < self->pins->len && n_visible <= self->layer_min_pins; i++)
    {
      const Pin *pin = &g_array_index (self->pins, Pin, i);

      if (_gls_canvas_pin_on_page (self, pin) &&
          graphene_rect_contains_point (visible, &GRAPHENE_POINT_INIT (pin->selector.x, pin->selector.y)))
        n_visible++;
    }

  return n_visible > self->layer_min_pins;
}
