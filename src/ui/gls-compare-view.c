/* gls-compare-view.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-compare-view"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "gls-canvas-private.h"
#include "gls-compare-view.h"

/* A channel that moves by more than this (of 255) is a change: less is
 * the noise of scaling two renderings. */
#define DIFF_THRESHOLD   32
/* The most device pixels a difference is computed over. */
#define DIFF_MAX_PIXELS  (6 * 1024 * 1024)
/* Wait for the view to settle before computing it again. */
#define DIFF_DELAY_MS    80
/* Adwaita's red 3, opaque, premultiplied ARGB: what changed. */
#define DIFF_COLOR       0xffe01b24u

enum { OLDER, NEWER };

struct _GlsCompareView
{
  GtkWidget         parent_instance;

  GlsDocument      *documents[2];
  char             *labels[2];
  GlsCompareMode    mode;
  double            opacity;
  guint             page;
  gboolean          missing_page[2];

  GlsCanvas        *canvases[2];
  GtkWidget        *missing[2];
  GtkWidget        *captions[2];

  /* Each side's view as last seen, to tell which one moved. */
  double            seen_zoom[2];
  double            seen_x[2];
  double            seen_y[2];
  gboolean          syncing;

  /* The difference shown, and the one being made */
  GdkTexture       *diff;
  graphene_rect_t   diff_area;
  guint             diff_changed;
  guint             n_diffs;
  guint             diff_source;
  GCancellable     *diff_cancellable;
  gboolean          diff_running;
  /* What the last difference asked for was made for */
  guint             diff_key_page;
  double            diff_key_zoom;
  graphene_rect_t   diff_key_view;
  gboolean          has_diff_key;

  gboolean          updating;

  /* Template widgets */
  GtkWidget        *toolbar;
  GtkToggleButton  *side_toggle;
  GtkToggleButton  *onion_toggle;
  GtkToggleButton  *diff_toggle;
  GtkDropDown      *older_dropdown;
  GtkLabel         *newer_label;
  GtkWidget        *opacity_box;
  GtkScale         *opacity_scale;
  GtkWidget        *page_box;
  GtkLabel         *page_label;
};

G_DEFINE_FINAL_TYPE (GlsCompareView, gls_compare_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODE,
  PROP_OPACITY,
  PROP_PAGE,
  N_PROPS
};

enum {
  CLOSE_REQUESTED,
  OLDER_SELECTED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static void schedule_difference (GlsCompareView *self);
static void clear_difference    (GlsCompareView *self);

GtkWidget *
gls_compare_view_new (void)
{
  return g_object_new (GLS_TYPE_COMPARE_VIEW, NULL);
}

/* Pages */

static guint
n_pages_of (GlsDocument *document)
{
  if (document == NULL || gls_document_get_kind (document) != GLS_DESIGN_KIND_PDF)
    return 1;

  return gls_document_get_n_pages (document);
}

static gboolean
has_pages (GlsCompareView *self)
{
  for (guint i = 0; i < 2; i++)
    if (self->documents[i] != NULL && gls_document_get_kind (self->documents[i]) == GLS_DESIGN_KIND_PDF)
      return TRUE;

  return FALSE;
}

static guint
max_pages (GlsCompareView *self)
{
  return MAX (n_pages_of (self->documents[OLDER]), n_pages_of (self->documents[NEWER]));
}

static void
update_actions (GlsCompareView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean paged = has_pages (self);

  gtk_widget_action_set_enabled (widget, "compare.previous-page", paged && self->page > 1);
  gtk_widget_action_set_enabled (widget, "compare.next-page", paged && self->page < max_pages (self));
  gtk_widget_action_set_enabled (widget, "compare.opacity-down",
                                 self->mode == GLS_COMPARE_ONION_SKIN && self->opacity > 0);
  gtk_widget_action_set_enabled (widget, "compare.opacity-up",
                                 self->mode == GLS_COMPARE_ONION_SKIN && self->opacity < 1);
}

/* Which children show, and how, follow the mode and the page. */
static void
update_children (GlsCompareView *self)
{
  gboolean side = self->mode == GLS_COMPARE_SIDE_BY_SIDE;
  gboolean any_missing = self->missing_page[OLDER] || self->missing_page[NEWER];
  g_autofree char *page_text = NULL;

  for (guint i = 0; i < 2; i++)
    {
      gboolean shown;

      if (side)
        shown = !self->missing_page[i];
      else if (self->mode == GLS_COMPARE_ONION_SKIN)
        shown = !any_missing;
      else
        shown = i == NEWER && !any_missing;

      gtk_widget_set_visible (GTK_WIDGET (self->canvases[i]), shown && self->documents[i] != NULL);
      gtk_widget_set_visible (self->missing[i], self->missing_page[i]);
      gtk_widget_set_visible (self->captions[i], side && self->labels[i] != NULL);
    }

  gtk_widget_set_opacity (GTK_WIDGET (self->canvases[NEWER]),
                          self->mode == GLS_COMPARE_ONION_SKIN ? self->opacity : 1.0);
  gtk_widget_set_visible (self->opacity_box, self->mode == GLS_COMPARE_ONION_SKIN);

  gtk_widget_set_visible (self->page_box, max_pages (self) > 1);
  /* Translators: the current page of a PDF and the number of pages, "3 / 12" */
  page_text = g_strdup_printf (_("%u / %u"), MAX (1, self->page), max_pages (self));
  gtk_label_set_label (self->page_label, page_text);

  update_actions (self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
update_missing (GlsCompareView *self)
{
  for (guint i = 0; i < 2; i++)
    {
      GlsDocument *document = self->documents[i];
      g_autofree char *title = NULL;

      self->missing_page[i] = document != NULL && self->page > n_pages_of (document);
      if (!self->missing_page[i])
        continue;

      /* Translators: a page of the compared PDF that one version lacks:
       * "No Page 4 in Version 1 · 3 Dec 2026" */
      title = g_strdup_printf (_("No Page %u in %s"), self->page,
                               self->labels[i] ? self->labels[i] : _("This Version"));
      adw_status_page_set_title (ADW_STATUS_PAGE (self->missing[i]), title);
    }
}

/* Both sides to the page, or to "No page N" where it is missing. */
static void
apply_page (GlsCompareView *self)
{
  self->updating = TRUE;
  for (guint i = 0; i < 2; i++)
    {
      GlsDocument *document = self->documents[i];

      if (document != NULL && self->page >= 1 && self->page <= n_pages_of (document))
        gls_canvas_set_page (self->canvases[i], self->page);
    }
  self->updating = FALSE;
  update_missing (self);
}

guint
gls_compare_view_get_page (GlsCompareView *self)
{
  g_return_val_if_fail (GLS_IS_COMPARE_VIEW (self), 0);

  return self->page;
}

void
gls_compare_view_set_page (GlsCompareView *self,
                           guint           page)
{
  g_return_if_fail (GLS_IS_COMPARE_VIEW (self));

  page = has_pages (self) ? CLAMP (page, 1, max_pages (self)) : 0;
  if (page == self->page)
    return;

  self->page = page;
  apply_page (self);
  clear_difference (self);
  update_children (self);
  _gls_compare_view_sync (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAGE]);
}

static void
canvas_page_cb (GlsCompareView *self,
                GParamSpec     *pspec,
                GlsCanvas      *canvas)
{
  guint page = gls_canvas_get_page (canvas);

  /* A side keeps its last page when the other goes past its end. */
  if (page >= 1 && page != self->page && !self->updating)
    gls_compare_view_set_page (self, page);
}

/* Linked zoom and pan: the side that moved leads, the other follows by
 * relative position (a version twice as large is shown at half the zoom,
 * so the two line up). */

static gboolean
size_ratio (GlsCompareView *self,
            double         *rx,
            double         *ry)
{
  double w0, h0, w1, h1;

  if (self->documents[OLDER] == NULL || self->documents[NEWER] == NULL ||
      self->missing_page[OLDER] || self->missing_page[NEWER])
    return FALSE;
  if (!_gls_canvas_get_page_size (self->canvases[OLDER], &w0, &h0) ||
      !_gls_canvas_get_page_size (self->canvases[NEWER], &w1, &h1) ||
      w0 <= 0 || h0 <= 0 || w1 <= 0 || h1 <= 0)
    return FALSE;

  *rx = w0 / w1;
  *ry = h0 / h1;
  return TRUE;
}

static void
follow (GlsCompareView *self,
        guint           leader)
{
  GlsCanvas *from = self->canvases[leader];
  GlsCanvas *to = self->canvases[1 - leader];
  double rx, ry;

  if (!size_ratio (self, &rx, &ry))
    return;

  to->fit = from->fit;
  if (leader == NEWER)
    _gls_canvas_set_view (to, from->zoom / rx, from->center_x * rx, from->center_y * ry);
  else
    _gls_canvas_set_view (to, from->zoom * rx, from->center_x / rx, from->center_y / ry);
}

void
_gls_compare_view_sync (GlsCompareView *self)
{
  gboolean moved[2];

  g_return_if_fail (GLS_IS_COMPARE_VIEW (self));

  if (self->syncing)
    return;

  for (guint i = 0; i < 2; i++)
    moved[i] = self->canvases[i]->zoom != self->seen_zoom[i] ||
               self->canvases[i]->center_x != self->seen_x[i] ||
               self->canvases[i]->center_y != self->seen_y[i];

  self->syncing = TRUE;
  /* When both moved (a resize), the newer version leads. */
  if (moved[NEWER])
    follow (self, NEWER);
  else if (moved[OLDER])
    follow (self, OLDER);
  self->syncing = FALSE;

  for (guint i = 0; i < 2; i++)
    {
      self->seen_zoom[i] = self->canvases[i]->zoom;
      self->seen_x[i] = self->canvases[i]->center_x;
      self->seen_y[i] = self->canvases[i]->center_y;
    }

  if (self->mode == GLS_COMPARE_DIFFERENCE)
    schedule_difference (self);
}

static void
forget_views (GlsCompareView *self)
{
  for (guint i = 0; i < 2; i++)
    self->seen_zoom[i] = -1;
}

static void
canvas_zoom_cb (GlsCompareView *self,
                GParamSpec     *pspec,
                GlsCanvas      *canvas)
{
  _gls_compare_view_sync (self);
}

/* The difference: both versions rendered over the newer one's visible
 * area at the shown scale, then compared pixel by pixel in a thread. */

typedef struct
{
  GlsCompareView  *self;
  GCancellable    *cancellable;
  graphene_rect_t  areas[2];     /* asked for, each in its own units */
  GdkTexture      *textures[2];
  graphene_rect_t  out_areas[2]; /* what each texture covers */
  guint            n_pending;
  GError          *error;
  int              width;        /* of the result, device pixels */
  int              height;
  /* Made by the thread */
  GdkTexture      *result;
  guint            n_changed;
} DiffJob;

static void
diff_job_free (DiffJob *job)
{
  g_clear_object (&job->self);
  g_clear_object (&job->cancellable);
  for (guint i = 0; i < 2; i++)
    g_clear_object (&job->textures[i]);
  g_clear_error (&job->error);
  g_clear_object (&job->result);
  g_free (job);
}

static const cairo_user_data_key_t pixels_key;

static cairo_surface_t *
surface_for_texture (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  int stride = cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, width);
  guchar *pixels = g_malloc ((gsize) stride * height);
  cairo_surface_t *surface;

  /* GDK_MEMORY_DEFAULT is cairo's ARGB32. */
  gdk_texture_download (texture, pixels, stride);
  surface = cairo_image_surface_create_for_data (pixels, CAIRO_FORMAT_ARGB32, width, height, stride);
  cairo_surface_set_user_data (surface, &pixels_key, pixels, g_free);

  return surface;
}

/* Paints @texture, which covers @covered, so that @area fills the job's
 * grid; white paper under it. */
static cairo_surface_t *
paint_side (DiffJob               *job,
            GdkTexture            *texture,
            const graphene_rect_t *covered,
            const graphene_rect_t *area)
{
  cairo_surface_t *target = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, job->width, job->height);
  cairo_surface_t *source = surface_for_texture (texture);
  cairo_t *cr = cairo_create (target);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  cairo_scale (cr, job->width / area->size.width, job->height / area->size.height);
  cairo_translate (cr, covered->origin.x - area->origin.x, covered->origin.y - area->origin.y);
  cairo_scale (cr,
               covered->size.width / gdk_texture_get_width (texture),
               covered->size.height / gdk_texture_get_height (texture));
  cairo_set_source_surface (cr, source, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);

  cairo_destroy (cr);
  cairo_surface_destroy (source);
  cairo_surface_flush (target);

  return target;
}

static inline gboolean
pixels_differ (guint32 p,
               guint32 q)
{
  return abs ((int) ((p >> 16) & 0xff) - (int) ((q >> 16) & 0xff)) > DIFF_THRESHOLD ||
         abs ((int) ((p >> 8) & 0xff) - (int) ((q >> 8) & 0xff)) > DIFF_THRESHOLD ||
         abs ((int) (p & 0xff) - (int) (q & 0xff)) > DIFF_THRESHOLD;
}

static void
difference_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  DiffJob *job = task_data;
  cairo_surface_t *older, *newer;
  const guchar *older_pixels, *newer_pixels;
  int older_stride, newer_stride;
  int stride = job->width * 4;
  guint32 *out = g_malloc0 ((gsize) stride * job->height);
  g_autoptr(GBytes) bytes = NULL;
  guint n_changed = 0;

  older = paint_side (job, job->textures[OLDER], &job->out_areas[OLDER], &job->areas[OLDER]);
  newer = paint_side (job, job->textures[NEWER], &job->out_areas[NEWER], &job->areas[NEWER]);
  older_pixels = cairo_image_surface_get_data (older);
  newer_pixels = cairo_image_surface_get_data (newer);
  older_stride = cairo_image_surface_get_stride (older);
  newer_stride = cairo_image_surface_get_stride (newer);

  for (int y = 0; y < job->height; y++)
    {
      const guint32 *a = (const guint32 *) (gconstpointer) (older_pixels + (gsize) y * older_stride);
      const guint32 *b = (const guint32 *) (gconstpointer) (newer_pixels + (gsize) y * newer_stride);
      guint32 *row = out + (gsize) y * job->width;

      if (y % 64 == 0 && g_cancellable_is_cancelled (cancellable))
        break;

      for (int x = 0; x < job->width; x++)
        {
          gboolean matched = FALSE;

          if (a[x] == b[x] || !pixels_differ (a[x], b[x]))
            continue;
          /* The two sides are rendered apart, each widened to whole device
           * pixels: at most scales an edge lands a pixel off in one of
           * them. A pixel changed when nothing next to it on the other
           * side looks like it. */
          for (int dy = -1; dy <= 1 && !matched; dy++)
            {
              const guint32 *near;

              if (y + dy < 0 || y + dy >= job->height)
                continue;
              near = (const guint32 *) (gconstpointer) (newer_pixels + (gsize) (y + dy) * newer_stride);
              for (int dx = -1; dx <= 1 && !matched; dx++)
                if (x + dx >= 0 && x + dx < job->width && !pixels_differ (a[x], near[x + dx]))
                  matched = TRUE;
            }
          if (!matched)
            {
              row[x] = DIFF_COLOR;
              n_changed++;
            }
        }
    }

  cairo_surface_destroy (older);
  cairo_surface_destroy (newer);

  if (g_task_return_error_if_cancelled (task))
    {
      g_free (out);
      return;
    }

  bytes = g_bytes_new_take (out, (gsize) stride * job->height);
  job->result = gdk_memory_texture_new (job->width, job->height, GDK_MEMORY_DEFAULT, bytes, stride);
  job->n_changed = n_changed;
  g_task_return_boolean (task, TRUE);
}

static void
difference_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  DiffJob *job = g_task_get_task_data (G_TASK (result));
  GlsCompareView *self = job->self;

  if (!g_task_propagate_boolean (G_TASK (result), NULL) ||
      job->cancellable != self->diff_cancellable)
    return;

  self->diff_running = FALSE;
  g_set_object (&self->diff, job->result);
  self->diff_area = job->areas[NEWER];
  self->diff_changed = job->n_changed;
  self->n_diffs++;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
side_rendered (DiffJob      *job,
               guint         side,
               GlsDocument  *document,
               GAsyncResult *result)
{
  g_autoptr(GError) error = NULL;
  GdkTexture *texture;
  graphene_rect_t covered;

  texture = gls_document_render_finish (document, result, &covered, &error);
  if (texture != NULL)
    {
      job->textures[side] = texture;
      job->out_areas[side] = covered;
    }
  else if (job->error == NULL)
    job->error = g_steal_pointer (&error);

  if (--job->n_pending > 0)
    return;

  if (job->error != NULL || g_cancellable_is_cancelled (job->cancellable) ||
      job->cancellable != job->self->diff_cancellable)
    {
      if (job->cancellable == job->self->diff_cancellable)
        job->self->diff_running = FALSE;
      diff_job_free (job);
      return;
    }

  {
    g_autoptr(GTask) task = g_task_new (NULL, job->cancellable, difference_done_cb, NULL);

    g_task_set_source_tag (task, side_rendered);
    g_task_set_task_data (task, job, (GDestroyNotify) diff_job_free);
    g_task_run_in_thread (task, difference_thread);
  }
}

static void
older_rendered_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  side_rendered (user_data, OLDER, GLS_DOCUMENT (object), result);
}

static void
newer_rendered_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  side_rendered (user_data, NEWER, GLS_DOCUMENT (object), result);
}

/* The newer side's visible part of its page, and its zoom. */
static gboolean
current_view (GlsCompareView  *self,
              graphene_rect_t *view,
              double          *zoom)
{
  GlsCanvas *canvas = self->canvases[NEWER];
  double width, height;
  graphene_rect_t page;

  if (self->documents[OLDER] == NULL || self->documents[NEWER] == NULL ||
      self->missing_page[OLDER] || self->missing_page[NEWER] ||
      gtk_widget_get_width (GTK_WIDGET (canvas)) <= 0 ||
      !_gls_canvas_get_page_size (canvas, &width, &height))
    return FALSE;

  _gls_canvas_visible_design_rect (canvas, 0, view);
  graphene_rect_init (&page, 0, 0, width, height);
  if (!graphene_rect_intersection (view, &page, view) ||
      view->size.width <= 0 || view->size.height <= 0)
    return FALSE;

  *zoom = canvas->zoom;
  return TRUE;
}

static void
start_difference (GlsCompareView *self)
{
  GlsCanvas *canvas = self->canvases[NEWER];
  graphene_rect_t view;
  double zoom, scale, rx, ry;
  int scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  DiffJob *job;
  double x0, y0, x1, y1;

  if (self->mode != GLS_COMPARE_DIFFERENCE || !current_view (self, &view, &zoom) ||
      !size_ratio (self, &rx, &ry))
    {
      self->diff_running = FALSE;
      return;
    }

  self->diff_key_page = self->page;
  self->diff_key_zoom = zoom;
  self->diff_key_view = view;
  self->has_diff_key = TRUE;

  scale = zoom * scale_factor;
  if (view.size.width * scale * view.size.height * scale > DIFF_MAX_PIXELS)
    scale = sqrt (DIFF_MAX_PIXELS / (view.size.width * view.size.height));

  job = g_new0 (DiffJob, 1);
  job->self = g_object_ref (self);
  job->cancellable = g_object_ref (self->diff_cancellable);

  /* Whole device pixels of the newer side; the older side's same part. */
  x0 = floor (view.origin.x * scale);
  y0 = floor (view.origin.y * scale);
  x1 = ceil ((view.origin.x + view.size.width) * scale);
  y1 = ceil ((view.origin.y + view.size.height) * scale);
  job->width = MAX (1, (int) (x1 - x0));
  job->height = MAX (1, (int) (y1 - y0));
  graphene_rect_init (&job->areas[NEWER], x0 / scale, y0 / scale, job->width / scale, job->height / scale);
  graphene_rect_init (&job->areas[OLDER],
                      job->areas[NEWER].origin.x * rx, job->areas[NEWER].origin.y * ry,
                      job->areas[NEWER].size.width * rx, job->areas[NEWER].size.height * ry);
  job->n_pending = 2;

  gls_document_render_async (self->documents[NEWER], gls_canvas_get_page (canvas), scale,
                             &job->areas[NEWER], job->cancellable, newer_rendered_cb, job);
  gls_document_render_async (self->documents[OLDER], gls_canvas_get_page (self->canvases[OLDER]),
                             scale / rx, &job->areas[OLDER], job->cancellable, older_rendered_cb, job);
}

static gboolean
difference_timeout_cb (gpointer user_data)
{
  GlsCompareView *self = user_data;

  self->diff_source = 0;
  start_difference (self);

  return G_SOURCE_REMOVE;
}

static void
cancel_difference (GlsCompareView *self)
{
  g_clear_handle_id (&self->diff_source, g_source_remove);
  if (self->diff_cancellable != NULL)
    g_cancellable_cancel (self->diff_cancellable);
  g_clear_object (&self->diff_cancellable);
  self->diff_running = FALSE;
  self->has_diff_key = FALSE;
}

static void
clear_difference (GlsCompareView *self)
{
  cancel_difference (self);
  g_clear_object (&self->diff);
  self->diff_changed = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
schedule_difference (GlsCompareView *self)
{
  graphene_rect_t view;
  double zoom;

  if (self->mode != GLS_COMPARE_DIFFERENCE || !current_view (self, &view, &zoom))
    return;

  if (self->has_diff_key && self->diff_key_page == self->page && self->diff_key_zoom == zoom &&
      graphene_rect_equal (&self->diff_key_view, &view))
    return;

  cancel_difference (self);
  self->diff_cancellable = g_cancellable_new ();
  self->diff_running = TRUE;
  /* Asked for now: a second call for the same view does not ask again. */
  self->diff_key_page = self->page;
  self->diff_key_zoom = zoom;
  self->diff_key_view = view;
  self->has_diff_key = TRUE;
  self->diff_source = g_timeout_add (DIFF_DELAY_MS, difference_timeout_cb, self);
}

GdkTexture *
_gls_compare_view_get_difference (GlsCompareView  *self,
                                  graphene_rect_t *area,
                                  guint           *n_changed)
{
  g_return_val_if_fail (GLS_IS_COMPARE_VIEW (self), NULL);

  if (area != NULL)
    *area = self->diff_area;
  if (n_changed != NULL)
    *n_changed = self->diff_changed;

  return self->diff;
}

guint
_gls_compare_view_get_n_differences (GlsCompareView *self)
{
  g_return_val_if_fail (GLS_IS_COMPARE_VIEW (self), 0);

  return self->n_diffs;
}

gboolean
_gls_compare_view_is_difference_current (GlsCompareView *self)
{
  g_return_val_if_fail (GLS_IS_COMPARE_VIEW (self), FALSE);

  return self->diff != NULL && !self->diff_running && self->diff_source == 0;
}

/* Modes and opacity */

GlsCompareMode
gls_compare_view_get_mode (GlsCompareView *self)
{
  g_return_val_if_fail (GLS_IS_COMPARE_VIEW (self), GLS_COMPARE_SIDE_BY_SIDE);

  return self->mode;
}

void
gls_compare_view_set_mode (GlsCompareView *self,
                           GlsCompareMode  mode)
{
  GtkToggleButton *toggles[3];

  g_return_if_fail (GLS_IS_COMPARE_VIEW (self));
  g_return_if_fail (mode <= GLS_COMPARE_DIFFERENCE);

  if (mode == self->mode)
    return;

  self->mode = mode;
  toggles[0] = self->side_toggle;
  toggles[1] = self->onion_toggle;
  toggles[2] = self->diff_toggle;
  self->updating = TRUE;
  gtk_toggle_button_set_active (toggles[mode], TRUE);
  self->updating = FALSE;

  if (mode != GLS_COMPARE_DIFFERENCE)
    cancel_difference (self);
  update_children (self);
  /* The views change size: link them again once allocated. */
  forget_views (self);
  if (mode == GLS_COMPARE_DIFFERENCE)
    schedule_difference (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MODE]);
}

static void
mode_toggled_cb (GlsCompareView  *self,
                 GtkToggleButton *toggle)
{
  if (self->updating || !gtk_toggle_button_get_active (toggle))
    return;

  if (toggle == self->side_toggle)
    gls_compare_view_set_mode (self, GLS_COMPARE_SIDE_BY_SIDE);
  else if (toggle == self->onion_toggle)
    gls_compare_view_set_mode (self, GLS_COMPARE_ONION_SKIN);
  else
    gls_compare_view_set_mode (self, GLS_COMPARE_DIFFERENCE);
}

double
gls_compare_view_get_opacity (GlsCompareView *self)
{
  g_return_val_if_fail (GLS_IS_COMPARE_VIEW (self), 1.0);

  return self->opacity;
}

void
gls_compare_view_set_opacity (GlsCompareView *self,
                              double          opacity)
{
  g_return_if_fail (GLS_IS_COMPARE_VIEW (self));

  opacity = CLAMP (opacity, 0.0, 1.0);
  if (opacity == self->opacity)
    return;

  self->opacity = opacity;
  gtk_range_set_value (GTK_RANGE (self->opacity_scale), opacity);
  update_children (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_OPACITY]);
}

static void
opacity_changed_cb (GlsCompareView *self,
                    GtkAdjustment  *adjustment)
{
  gls_compare_view_set_opacity (self, gtk_adjustment_get_value (adjustment));
}

/* Documents and versions */

static void
set_side (GlsCompareView *self,
          guint           side,
          GlsDocument    *document,
          const char     *label)
{
  g_set_object (&self->documents[side], document);
  g_free (self->labels[side]);
  self->labels[side] = g_strdup (label);

  self->updating = TRUE;
  gls_canvas_set_document (self->canvases[side], document);
  self->updating = FALSE;
  gtk_label_set_label (GTK_LABEL (self->captions[side]), label ? label : "");
  if (side == NEWER)
    gtk_label_set_label (self->newer_label, label ? label : "");
}

static void
documents_changed (GlsCompareView *self)
{
  guint page = self->page;

  self->page = has_pages (self) ? CLAMP (page, 1, max_pages (self)) : 0;
  apply_page (self);
  if (self->page != page)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAGE]);
  clear_difference (self);
  update_children (self);
  forget_views (self);
  for (guint i = 0; i < 2; i++)
    if (self->documents[i] != NULL)
      gls_canvas_zoom_to_fit (self->canvases[i]);
  _gls_compare_view_sync (self);
}

void
gls_compare_view_set_documents (GlsCompareView *self,
                                GlsDocument    *older,
                                const char     *older_label,
                                GlsDocument    *newer,
                                const char     *newer_label)
{
  g_return_if_fail (GLS_IS_COMPARE_VIEW (self));
  g_return_if_fail (!older || GLS_IS_DOCUMENT (older));
  g_return_if_fail (!newer || GLS_IS_DOCUMENT (newer));

  set_side (self, OLDER, older, older_label);
  set_side (self, NEWER, newer, newer_label);
  self->page = 0;
  documents_changed (self);
}

void
gls_compare_view_set_older (GlsCompareView *self,
                            GlsDocument    *older,
                            const char     *older_label)
{
  g_return_if_fail (GLS_IS_COMPARE_VIEW (self));
  g_return_if_fail (!older || GLS_IS_DOCUMENT (older));

  set_side (self, OLDER, older, older_label);
  documents_changed (self);
}

void
gls_compare_view_set_versions (GlsCompareView *self,
                               GListModel     *labels,
                               guint           selected)
{
  g_return_if_fail (GLS_IS_COMPARE_VIEW (self));
  g_return_if_fail (!labels || G_IS_LIST_MODEL (labels));

  self->updating = TRUE;
  gtk_drop_down_set_model (self->older_dropdown, labels);
  if (labels != NULL)
    gtk_drop_down_set_selected (self->older_dropdown, selected);
  self->updating = FALSE;
}

static void
older_selected_cb (GlsCompareView *self,
                   GParamSpec     *pspec,
                   GtkDropDown    *dropdown)
{
  guint position = gtk_drop_down_get_selected (dropdown);

  if (self->updating || position == GTK_INVALID_LIST_POSITION)
    return;

  g_signal_emit (self, signals [OLDER_SELECTED], 0, position);
}

void
gls_compare_view_reset (GlsCompareView *self)
{
  g_return_if_fail (GLS_IS_COMPARE_VIEW (self));

  for (guint i = 0; i < 2; i++)
    if (self->documents[i] != NULL)
      gls_canvas_zoom_to_fit (self->canvases[i]);
  forget_views (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvases[NEWER]));
}

GlsCanvas *
_gls_compare_view_get_canvas (GlsCompareView *self,
                              gboolean        newer)
{
  g_return_val_if_fail (GLS_IS_COMPARE_VIEW (self), NULL);

  return self->canvases[newer ? NEWER : OLDER];
}

GtkWidget *
_gls_compare_view_get_missing (GlsCompareView *self,
                               gboolean        newer)
{
  guint side = newer ? NEWER : OLDER;

  g_return_val_if_fail (GLS_IS_COMPARE_VIEW (self), NULL);

  return self->missing_page[side] ? self->missing[side] : NULL;
}

GtkRange *
_gls_compare_view_get_scale (GlsCompareView *self)
{
  g_return_val_if_fail (GLS_IS_COMPARE_VIEW (self), NULL);

  return GTK_RANGE (self->opacity_scale);
}

/* Actions */

static void
mode_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  gls_compare_view_set_mode (GLS_COMPARE_VIEW (widget), g_variant_get_uint32 (param));
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  g_signal_emit (widget, signals [CLOSE_REQUESTED], 0);
}

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  GlsCompareView *self = GLS_COMPARE_VIEW (widget);

  if (g_str_equal (action_name, "compare.next-page"))
    gls_compare_view_set_page (self, self->page + 1);
  else if (self->page > 1)
    gls_compare_view_set_page (self, self->page - 1);
}

static void
opacity_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  GlsCompareView *self = GLS_COMPARE_VIEW (widget);
  double step = g_str_equal (action_name, "compare.opacity-up") ? 0.1 : -0.1;

  gls_compare_view_set_opacity (self, round ((self->opacity + step) * 20) / 20);
}

/* Zoom keys that reach the view outside the canvases (the toolbar has
 * the focus): the newer side zooms, the older one follows. */
static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  GlsCompareView *self = GLS_COMPARE_VIEW (widget);
  GlsCanvas *canvas = self->canvases[NEWER];

  if (self->documents[NEWER] == NULL)
    return;

  if (g_str_equal (action_name, "compare.zoom-in"))
    gls_canvas_zoom_in (canvas);
  else if (g_str_equal (action_name, "compare.zoom-out"))
    gls_canvas_zoom_out (canvas);
  else if (g_str_equal (action_name, "compare.zoom-fit"))
    gls_canvas_zoom_to_fit (canvas);
  else
    gls_canvas_set_zoom (canvas, 1.0);
}

/* GtkWidget */

static void
gls_compare_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  GlsCompareView *self = GLS_COMPARE_VIEW (widget);
  int min = 0, nat = 0;

  gtk_widget_measure (self->toolbar, orientation, -1, &min, &nat, NULL, NULL);
  if (orientation == GTK_ORIENTATION_VERTICAL)
    {
      min += 120;
      nat += 400;
    }
  else
    {
      /* The toolbar is cut off rather than the window widened (the
       * opacity slider comes and goes with the onion skin). */
      min = MIN (min, 360);
      nat = MAX (nat, 600);
    }

  *minimum = min;
  *natural = nat;
}

static void
allocate_child (GtkWidget *child,
                int        x,
                int        y,
                int        width,
                int        height)
{
  if (gtk_widget_get_visible (child))
    gtk_widget_size_allocate (child, &(GtkAllocation) { x, y, MAX (0, width), MAX (0, height) }, -1);
}

static void
allocate_caption (GtkWidget *caption,
                  int        x,
                  int        y,
                  int        width)
{
  int min = 0, nat = 0, cw, ch = 0;

  if (!gtk_widget_get_visible (caption))
    return;

  gtk_widget_measure (caption, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  cw = MIN (MAX (min, nat), MAX (min, width - 24));
  gtk_widget_measure (caption, GTK_ORIENTATION_VERTICAL, cw, NULL, &ch, NULL, NULL);
  gtk_widget_size_allocate (caption, &(GtkAllocation) { x + (width - cw) / 2, y + 12, cw, ch }, -1);
}

static void
gls_compare_view_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  GlsCompareView *self = GLS_COMPARE_VIEW (widget);
  int bar = 0, bar_width = 0, top, stage;

  gtk_widget_measure (self->toolbar, GTK_ORIENTATION_HORIZONTAL, -1, &bar_width, NULL, NULL, NULL);
  bar_width = MAX (bar_width, width);
  gtk_widget_measure (self->toolbar, GTK_ORIENTATION_VERTICAL, bar_width, NULL, &bar, NULL, NULL);
  gtk_widget_size_allocate (self->toolbar, &(GtkAllocation) { 0, 0, bar_width, bar }, -1);
  top = bar + 1;
  stage = MAX (0, height - top);

  if (self->mode == GLS_COMPARE_SIDE_BY_SIDE)
    {
      int left = (width - 1) / 2;
      int right = width - 1 - left;

      allocate_child (GTK_WIDGET (self->canvases[OLDER]), 0, top, left, stage);
      allocate_child (self->missing[OLDER], 0, top, left, stage);
      allocate_child (GTK_WIDGET (self->canvases[NEWER]), left + 1, top, right, stage);
      allocate_child (self->missing[NEWER], left + 1, top, right, stage);
      allocate_caption (self->captions[OLDER], 0, top, left);
      allocate_caption (self->captions[NEWER], left + 1, top, right);
    }
  else
    {
      for (guint i = 0; i < 2; i++)
        {
          allocate_child (GTK_WIDGET (self->canvases[i]), 0, top, width, stage);
          allocate_child (self->missing[i], 0, top, width, stage);
        }
    }
}

static void
gls_compare_view_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  GlsCompareView *self = GLS_COMPARE_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int bar = gtk_widget_get_height (self->toolbar);
  GdkRGBA border = { 0, 0, 0, 0.15 };
  GtkWidget *newer = GTK_WIDGET (self->canvases[NEWER]);

  /* A side that moved since the last frame leads; the other follows
   * before either is drawn. */
  _gls_compare_view_sync (self);

  GTK_WIDGET_CLASS (gls_compare_view_parent_class)->snapshot (widget, snapshot);

  gtk_snapshot_append_color (snapshot, &border, &GRAPHENE_RECT_INIT (0, bar, width, 1));
  if (self->mode == GLS_COMPARE_SIDE_BY_SIDE)
    gtk_snapshot_append_color (snapshot, &border,
                               &GRAPHENE_RECT_INIT ((width - 1) / 2, bar + 1, 1,
                                                    gtk_widget_get_height (widget) - bar - 1));

  if (self->mode == GLS_COMPARE_DIFFERENCE && gtk_widget_get_visible (newer))
    {
      graphene_rect_t bounds;
      GdkRGBA dim = { 1, 1, 1, 0.72 };

      if (!gtk_widget_compute_bounds (newer, widget, &bounds))
        return;

      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "window_bg_color", &dim);
      G_GNUC_END_IGNORE_DEPRECATIONS
      dim.alpha = 0.72;

      gtk_snapshot_push_clip (snapshot, &bounds);
      gtk_snapshot_append_color (snapshot, &dim, &bounds);
      if (self->diff != NULL)
        {
          double x0, y0, x1, y1;

          _gls_canvas_design_to_widget (self->canvases[NEWER],
                                        self->diff_area.origin.x, self->diff_area.origin.y, &x0, &y0);
          _gls_canvas_design_to_widget (self->canvases[NEWER],
                                        self->diff_area.origin.x + self->diff_area.size.width,
                                        self->diff_area.origin.y + self->diff_area.size.height,
                                        &x1, &y1);
          gtk_snapshot_append_texture (snapshot, self->diff,
                                       &GRAPHENE_RECT_INIT (bounds.origin.x + x0, bounds.origin.y + y0,
                                                            x1 - x0, y1 - y0));
        }
      gtk_snapshot_pop (snapshot);
    }
}

static void
ensure_css (GtkWidget *widget)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || g_object_get_data (G_OBJECT (display), "gls-compare-view-css") != NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, RESOURCE_PATH "/gls-compare-view.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "gls-compare-view-css",
                          g_steal_pointer (&provider), g_object_unref);
}

static void
gls_compare_view_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (gls_compare_view_parent_class)->root (widget);

  ensure_css (widget);
}

static void
gls_compare_view_unmap (GtkWidget *widget)
{
  cancel_difference (GLS_COMPARE_VIEW (widget));

  GTK_WIDGET_CLASS (gls_compare_view_parent_class)->unmap (widget);
}

/* GObject */

static void
gls_compare_view_dispose (GObject *object)
{
  GlsCompareView *self = GLS_COMPARE_VIEW (object);

  cancel_difference (self);
  g_clear_object (&self->diff);

  gtk_widget_dispose_template (GTK_WIDGET (self), GLS_TYPE_COMPARE_VIEW);
  for (guint i = 0; i < 2; i++)
    {
      if (self->canvases[i] != NULL)
        gtk_widget_unparent (GTK_WIDGET (self->canvases[i]));
      self->canvases[i] = NULL;
      g_clear_pointer (&self->missing[i], gtk_widget_unparent);
      g_clear_pointer (&self->captions[i], gtk_widget_unparent);
      g_clear_object (&self->documents[i]);
      g_clear_pointer (&self->labels[i], g_free);
    }

  G_OBJECT_CLASS (gls_compare_view_parent_class)->dispose (object);
}

static void
gls_compare_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  GlsCompareView *self = GLS_COMPARE_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_uint (value, self->mode);
      break;

    case PROP_OPACITY:
      g_value_set_double (value, self->opacity);
      break;

    case PROP_PAGE:
      g_value_set_uint (value, self->page);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_compare_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  GlsCompareView *self = GLS_COMPARE_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODE:
      gls_compare_view_set_mode (self, g_value_get_uint (value));
      break;

    case PROP_OPACITY:
      gls_compare_view_set_opacity (self, g_value_get_double (value));
      break;

    case PROP_PAGE:
      gls_compare_view_set_page (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_compare_view_class_init (GlsCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gls_compare_view_dispose;
  object_class->get_property = gls_compare_view_get_property;
  object_class->set_property = gls_compare_view_set_property;

  widget_class->measure = gls_compare_view_measure;
  widget_class->size_allocate = gls_compare_view_size_allocate;
  widget_class->snapshot = gls_compare_view_snapshot;
  widget_class->root = gls_compare_view_root;
  widget_class->unmap = gls_compare_view_unmap;

  properties [PROP_MODE] =
    g_param_spec_uint ("mode", NULL, NULL,
                       GLS_COMPARE_SIDE_BY_SIDE, GLS_COMPARE_DIFFERENCE, GLS_COMPARE_SIDE_BY_SIDE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_OPACITY] =
    g_param_spec_double ("opacity", NULL, NULL,
                         0.0, 1.0, 0.5,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_PAGE] =
    g_param_spec_uint ("page", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals [CLOSE_REQUESTED] =
    g_signal_new ("close-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  signals [OLDER_SELECTED] =
    g_signal_new ("older-selected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/gls-compare-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GlsCompareView, toolbar);
  gtk_widget_class_bind_template_child (widget_class, GlsCompareView, side_toggle);
  gtk_widget_class_bind_template_child (widget_class, GlsCompareView, onion_toggle);
  gtk_widget_class_bind_template_child (widget_class, GlsCompareView, diff_toggle);
  gtk_widget_class_bind_template_child (widget_class, GlsCompareView, older_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GlsCompareView, newer_label);
  gtk_widget_class_bind_template_child (widget_class, GlsCompareView, opacity_box);
  gtk_widget_class_bind_template_child (widget_class, GlsCompareView, opacity_scale);
  gtk_widget_class_bind_template_child (widget_class, GlsCompareView, page_box);
  gtk_widget_class_bind_template_child (widget_class, GlsCompareView, page_label);
  gtk_widget_class_bind_template_callback (widget_class, mode_toggled_cb);

  gtk_widget_class_install_action (widget_class, "compare.mode", "u", mode_action);
  gtk_widget_class_install_action (widget_class, "compare.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "compare.previous-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "compare.next-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "compare.opacity-down", NULL, opacity_action);
  gtk_widget_class_install_action (widget_class, "compare.opacity-up", NULL, opacity_action);
  gtk_widget_class_install_action (widget_class, "compare.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "compare.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "compare.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "compare.zoom-original", NULL, zoom_action);

  {
    static const guint mode_keys[][2] = {
      { GDK_KEY_1, GDK_KEY_KP_1 }, { GDK_KEY_2, GDK_KEY_KP_2 }, { GDK_KEY_3, GDK_KEY_KP_3 },
    };
    static const struct { guint keyval; const char *action; } zoom_keys[] = {
      { GDK_KEY_plus, "compare.zoom-in" },
      { GDK_KEY_equal, "compare.zoom-in" },
      { GDK_KEY_KP_Add, "compare.zoom-in" },
      { GDK_KEY_minus, "compare.zoom-out" },
      { GDK_KEY_KP_Subtract, "compare.zoom-out" },
      { GDK_KEY_0, "compare.zoom-fit" },
      { GDK_KEY_KP_0, "compare.zoom-fit" },
      { GDK_KEY_1, "compare.zoom-original" },
      { GDK_KEY_KP_1, "compare.zoom-original" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (mode_keys); i++)
      for (guint k = 0; k < 2; k++)
        gtk_widget_class_add_binding_action (widget_class, mode_keys[i][k], GDK_ALT_MASK,
                                             "compare.mode", "u", i);
    for (guint i = 0; i < G_N_ELEMENTS (zoom_keys); i++)
      {
        gtk_widget_class_add_binding_action (widget_class, zoom_keys[i].keyval, 0, zoom_keys[i].action, NULL);
        gtk_widget_class_add_binding_action (widget_class, zoom_keys[i].keyval, GDK_CONTROL_MASK,
                                             zoom_keys[i].action, NULL);
      }
  }

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "compare.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "compare.previous-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Page_Up, 0, "compare.previous-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "compare.next-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Page_Down, 0, "compare.next-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_bracketleft, 0, "compare.opacity-down", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_bracketright, 0, "compare.opacity-up", NULL);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
gls_compare_view_init (GlsCompareView *self)
{
  g_type_ensure (ADW_TYPE_STATUS_PAGE);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->opacity = 0.5;
  for (guint i = 0; i < 2; i++)
    {
      GtkWidget *caption = gtk_label_new (NULL);

      self->canvases[i] = GLS_CANVAS (gls_canvas_new ());
      gtk_widget_set_parent (GTK_WIDGET (self->canvases[i]), GTK_WIDGET (self));
      g_signal_connect_object (self->canvases[i], "notify::zoom",
                               G_CALLBACK (canvas_zoom_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->canvases[i], "notify::page",
                               G_CALLBACK (canvas_page_cb), self, G_CONNECT_SWAPPED);

      self->missing[i] = adw_status_page_new ();
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->missing[i]), "document-missing-symbolic");
      gtk_widget_set_visible (self->missing[i], FALSE);
      gtk_widget_set_parent (self->missing[i], GTK_WIDGET (self));

      gtk_label_set_ellipsize (GTK_LABEL (caption), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (caption, "osd");
      gtk_widget_add_css_class (caption, "compare-caption");
      gtk_widget_set_can_target (caption, FALSE);
      gtk_widget_set_visible (caption, FALSE);
      gtk_widget_set_parent (caption, GTK_WIDGET (self));
      self->captions[i] = caption;
    }
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  g_signal_connect_object (gtk_range_get_adjustment (GTK_RANGE (self->opacity_scale)), "value-changed",
                           G_CALLBACK (opacity_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->older_dropdown, "notify::selected",
                           G_CALLBACK (older_selected_cb), self, G_CONNECT_SWAPPED);

  forget_views (self);
  update_children (self);
}
