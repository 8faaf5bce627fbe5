/* gls-canvas.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-canvas"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "gls-canvas-private.h"

#define MIN_ZOOM        0.01
#define MAX_ZOOM        64.0
#define FIT_MARGIN      24.0   /* px around the page when fitted */
#define KEEP_VISIBLE    64.0   /* px of the page that always stay on screen */
#define DRAG_THRESHOLD  4.0    /* px before a press becomes a drag */
#define PIN_RADIUS      11.0
#define PIN_RING        2.0
#define WHEEL_STEP      48.0   /* px panned per wheel notch */
#define REVEAL_MARGIN   48.0
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
/* With more pins than this in view, they are drawn as one texture (a pin
 * layer) rather than a node each: GSK cannot batch thousands of nodes. */
#define LAYER_MIN_PINS     150
/* px around the page in a pin layer, for badges that reach past its edge */
#define LAYER_MARGIN       48
/* Largest pin layer, in device pixels, that holds the whole page; beyond,
 * it holds the view and half a view around it. */
#define LAYER_MAX_SIDE     4096.0
#define LAYER_MAX_PIXELS   (8.0 * 1024 * 1024)

static const double zoom_levels[] = {
  0.01, 0.02, 0.03, 0.05, 0.0625, 0.0833, 0.1, 0.125, 0.1667, 0.25, 0.3333,
  0.5, 0.6667, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0,
  24.0, 32.0, 48.0, 64.0,
};

typedef enum
{
  BADGE_NORMAL,
  BADGE_RESOLVED,
  BADGE_HOVER,
  BADGE_SELECTED,
} BadgeStyle;

typedef enum
{
  DRAG_NONE,
  DRAG_PRIMARY, /* pan, or click a pin, outside comment mode */
  DRAG_MARK,    /* comment mode: click for a point, drag for a region */
  DRAG_PAN,     /* middle button */
} DragMode;

typedef struct
{
  char        *id;
  guint        number;
  GlsSelector  selector;
  gboolean     resolved;
  char        *preview;
} Pin;

typedef struct
{
  GdkTexture      *texture;
  guint            page;
  double           scale;
  graphene_rect_t  area;
} Render;

typedef struct
{
  GCancellable    *cancellable;
  guint            page;
  double           scale;
  graphene_rect_t  area;
} Request;

/* A run of a badge's number as cairo glyphs, relative to the badge centre. */
typedef struct
{
  cairo_scaled_font_t *font;
  cairo_glyph_t       *glyphs;
  int                  n_glyphs;
} GlyphRun;

/* A badge in a form cairo can draw in any thread: immutable once made,
 * reference counted (g_atomic_rc_box). */
typedef struct
{
  cairo_surface_t *disc;    /* ring and fill, shared by badges as wide */
  double           disc_x;  /* its top-left from the badge centre, px */
  double           disc_y;
  GdkRGBA          fg;
  guint            n_runs;
  GlyphRun        *runs;
} BadgeArt;

/* A texture with every pin of the page on it, at one zoom. */
typedef struct
{
  GdkTexture      *texture;
  cairo_surface_t *surface;  /* the texture's pixels, for merging */
  guint            page;
  double           zoom;
  int              scale_factor;
  guint            pins_serial;
  guint            style_serial;
  gboolean         whole_page;
  /* Device pixels, from the page's origin at that zoom */
  cairo_rectangle_int_t extent;
} PinLayer;

struct _GlsCanvas
{
  GtkWidget          parent_instance;

  GlsDocument       *document;
  guint              page;
  double             zoom;
  double             center_x;
  double             center_y;
  gboolean           fit;
  gboolean           comment_mode;
  char              *selected;

  GArray            *pins;    /* of Pin */
  GHashTable        *badges;  /* (number << 2 | style) → GskRenderNode */
  GskRenderNode     *pending_badge;
  GHashTable        *arts;    /* (number << 2 | style) → BadgeArt */
  GHashTable        *discs;   /* (width << 2 | style) → cairo_surface_t */
  int                arts_scale;
  guint              pins_serial;
  guint              style_serial;
  PinLayer           layer;
  guint              layer_renders;
  gboolean           layer_used;
  guint              layer_min_pins;
  GCancellable      *layer_cancellable;
  double             layer_ms;
  gboolean           colors_valid;
  GdkRGBA            accent;
  GdkRGBA            accent_fg;
  GdkRGBA            muted;
  GdkRGBA            muted_fg;
  GdkRGBA            ring;
  GdkRGBA            background;

  /* Pointer */
  DragMode           drag_mode;
  gboolean           dragged;
  double             press_x;
  double             press_y;
  double             drag_x;
  double             drag_y;
  double             press_center_x;
  double             press_center_y;
  char              *press_pin;
  double             pointer_x;
  double             pointer_y;
  char              *hover_pin;
  double             pinch_zoom;
  double             pinch_x;
  double             pinch_y;

  /* The comment being written */
  GlsCommentPopover *popover;
  gboolean           has_pending;
  gboolean           pending_posted;
  GlsSelector        pending;

  /* Renders of SVG and PDF pages */
  Render             base;
  Render             detail;
  Request            base_request;
  Request            detail_request;
  guint              render_source;
  guint              raster_renders;
  gboolean           prescaled_used;
  double             texels_per_pixel;

  /* A raster image's scaled copy with the pin layer drawn on it */
  Render             merged;
  GdkTexture        *merged_copy;   /* what it was made of */
  GdkTexture        *merged_layer;
  /* The layer around the page: above, below, left, right of it */
  GdkTexture        *merged_strips[4];
  cairo_rectangle_int_t merged_strip_rects[4];  /* px from the page origin */
  GCancellable      *merge_cancellable;
  guint              merge_renders;
  gboolean           merged_used;
  gboolean           merge_disabled;

  /* A reveal asked for before the first allocation */
  gboolean           has_reveal;
  GlsSelector        reveal;

  gboolean           in_allocate;
};

G_DEFINE_FINAL_TYPE (GlsCanvas, gls_canvas, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DOCUMENT,
  PROP_PAGE,
  PROP_ZOOM,
  PROP_COMMENT_MODE,
  PROP_SELECTED,
  N_PROPS
};

enum {
  PIN_ACTIVATED,
  COMMENT_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static void     schedule_render (GlsCanvas       *self,
                                 gboolean         now);
static gboolean wanted_renders  (GlsCanvas       *self,
                                 double          *base_scale,
                                 double          *detail_scale,
                                 graphene_rect_t *visible);
static gboolean same_scale      (double           a,
                                 double           b);
static gboolean layer_is_current (GlsCanvas      *self);
static void     merged_clear    (GlsCanvas       *self);

/* Geometry */

static gboolean
get_page_size (GlsCanvas *self,
               double    *width,
               double    *height)
{
  if (self->document == NULL ||
      !gls_document_get_page_size (self->document, self->page, width, height))
    {
      *width = *height = 0;
      return FALSE;
    }
  return TRUE;
}

void
_gls_canvas_widget_to_design (GlsCanvas *self,
                              double     wx,
                              double     wy,
                              double    *dx,
                              double    *dy)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));

  *dx = self->center_x + (wx - width / 2.0) / self->zoom;
  *dy = self->center_y + (wy - height / 2.0) / self->zoom;
}

void
_gls_canvas_design_to_widget (GlsCanvas *self,
                              double     dx,
                              double     dy,
                              double    *wx,
                              double    *wy)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));

  *wx = width / 2.0 + (dx - self->center_x) * self->zoom;
  *wy = height / 2.0 + (dy - self->center_y) * self->zoom;
}

static void
visible_design_rect (GlsCanvas       *self,
                     double           margin,
                     graphene_rect_t *rect)
{
  double x0, y0, x1, y1;

  _gls_canvas_widget_to_design (self, margin, margin, &x0, &y0);
  _gls_canvas_widget_to_design (self,
                                gtk_widget_get_width (GTK_WIDGET (self)) - margin,
                                gtk_widget_get_height (GTK_WIDGET (self)) - margin,
                                &x1, &y1);
  graphene_rect_init (rect, x0, y0, MAX (0, x1 - x0), MAX (0, y1 - y0));
}

static double
clamp_axis (double center,
            double page,
            double view,
            double zoom)
{
  double keep = MIN (KEEP_VISIBLE, MIN (page * zoom, view / 2.0));
  double lo = (keep - view / 2.0) / zoom;
  double hi = page + (view / 2.0 - keep) / zoom;

  if (lo > hi)
    return page / 2.0;
  return CLAMP (center, lo, hi);
}

static void
update_popover_position (GlsCanvas *self)
{
  GdkRectangle rect;
  double x0, y0, x1, y1;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  if (!self->has_pending || self->popover == NULL)
    return;

  _gls_canvas_design_to_widget (self, self->pending.x, self->pending.y, &x0, &y0);
  if (self->pending.kind == GLS_SELECTOR_RECT)
    _gls_canvas_design_to_widget (self,
                                  self->pending.x + self->pending.width,
                                  self->pending.y + self->pending.height,
                                  &x1, &y1);
  else
    {
      /* Point at the marker, not into it. */
      x1 = x0 + PIN_RADIUS;
      y1 = y0 + PIN_RADIUS;
      x0 -= PIN_RADIUS;
      y0 -= PIN_RADIUS;
    }

  x0 = CLAMP (x0, 0, width);
  x1 = CLAMP (x1, 0, width);
  y0 = CLAMP (y0, 0, height);
  y1 = CLAMP (y1, 0, height);

  rect.x = (int) floor (x0);
  rect.y = (int) floor (y0);
  rect.width = MAX (1, (int) ceil (x1) - rect.x);
  rect.height = MAX (1, (int) ceil (y1) - rect.y);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &rect);

  /* The popover is placed in our size_allocate(). */
  if (gtk_widget_get_visible (GTK_WIDGET (self->popover)) && !self->in_allocate)
    gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
update_actions (GlsCanvas *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_doc = self->document != NULL;
  guint n_pages = has_doc ? gls_document_get_n_pages (self->document) : 0;

  gtk_widget_action_set_enabled (widget, "canvas.zoom-in", has_doc && self->zoom < MAX_ZOOM);
  gtk_widget_action_set_enabled (widget, "canvas.zoom-out", has_doc && self->zoom > MIN_ZOOM);
  gtk_widget_action_set_enabled (widget, "canvas.zoom-fit", has_doc);
  gtk_widget_action_set_enabled (widget, "canvas.zoom-original", has_doc);
  gtk_widget_action_set_enabled (widget, "canvas.previous-page", has_doc && self->page > 1);
  gtk_widget_action_set_enabled (widget, "canvas.next-page", has_doc && self->page >= 1 && self->page < n_pages);
  gtk_widget_action_set_enabled (widget, "canvas.comment-here", has_doc && self->comment_mode);
}

/* Moves the view; everything that changes the view goes through here. */
static void
set_view (GlsCanvas *self,
          double     zoom,
          double     center_x,
          double     center_y)
{
  double page_width, page_height;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  gboolean zoom_changed;

  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);

  if (get_page_size (self, &page_width, &page_height) && width > 0 && height > 0)
    {
      center_x = clamp_axis (center_x, page_width, width, zoom);
      center_y = clamp_axis (center_y, page_height, height, zoom);
    }

  zoom_changed = zoom != self->zoom;
  if (!zoom_changed && center_x == self->center_x && center_y == self->center_y)
    return;

  self->zoom = zoom;
  self->center_x = center_x;
  self->center_y = center_y;

  update_popover_position (self);
  schedule_render (self, FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  if (zoom_changed)
    {
      update_actions (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ZOOM]);
    }
}

static double
fit_zoom (GlsCanvas *self)
{
  double page_width, page_height;
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));

  if (!get_page_size (self, &page_width, &page_height))
    return 1.0;

  width = MAX (16.0, width - 2 * FIT_MARGIN);
  height = MAX (16.0, height - 2 * FIT_MARGIN);

  return MIN (width / page_width, height / page_height);
}

static void
apply_fit (GlsCanvas *self)
{
  double page_width, page_height;

  if (!get_page_size (self, &page_width, &page_height))
    return;
  if (gtk_widget_get_width (GTK_WIDGET (self)) <= 0)
    return;

  set_view (self, fit_zoom (self), page_width / 2.0, page_height / 2.0);
}

void
_gls_canvas_zoom_at (GlsCanvas *self,
                     double     zoom,
                     double     x,
                     double     y)
{
  double dx, dy;
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));

  g_return_if_fail (GLS_IS_CANVAS (self));

  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
  _gls_canvas_widget_to_design (self, x, y, &dx, &dy);
  self->fit = FALSE;
  set_view (self, zoom, dx - (x - width / 2.0) / zoom, dy - (y - height / 2.0) / zoom);
}

static void
zoom_around_center (GlsCanvas *self,
                    double     zoom)
{
  _gls_canvas_zoom_at (self, zoom,
                       gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                       gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
_gls_canvas_get_center (GlsCanvas *self,
                        double    *x,
                        double    *y)
{
  *x = self->center_x;
  *y = self->center_y;
}

void
_gls_canvas_set_center (GlsCanvas *self,
                        double     x,
                        double     y)
{
  self->fit = FALSE;
  set_view (self, self->zoom, x, y);
}

/* Colours and badges */

static void
lookup_color (GtkWidget  *widget,
              const char *name,
              const char *fallback_name,
              const char *fallback,
              GdkRGBA    *color)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  /* libadwaita's names first, then GTK's own theme's. */
  if (!gtk_style_context_lookup_color (context, name, color) &&
      !gtk_style_context_lookup_color (context, fallback_name, color))
    gdk_rgba_parse (color, fallback);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
ensure_colors (GlsCanvas *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GdkRGBA bg, fg;

  if (self->colors_valid)
    return;

  lookup_color (widget, "accent_bg_color", "theme_selected_bg_color", "#3584e4", &self->accent);
  lookup_color (widget, "accent_fg_color", "theme_selected_fg_color", "#ffffff", &self->accent_fg);
  lookup_color (widget, "window_bg_color", "theme_bg_color", "#fafafa", &bg);
  lookup_color (widget, "window_fg_color", "theme_fg_color", "#000000", &fg);

  /* A neutral surface a little darker (lighter, in dark mode) than the
   * window, so white and transparent designs stand out. */
  self->background.red = bg.red + (fg.red - bg.red) * 0.08;
  self->background.green = bg.green + (fg.green - bg.green) * 0.08;
  self->background.blue = bg.blue + (fg.blue - bg.blue) * 0.08;
  self->background.alpha = 1;

  gdk_rgba_parse (&self->muted, "#9a9996");
  gdk_rgba_parse (&self->muted_fg, "#ffffff");
  gdk_rgba_parse (&self->ring, "#ffffff");
  self->colors_valid = TRUE;
}

void
_gls_canvas_get_pin_color (GlsCanvas *self,
                           gboolean   resolved,
                           GdkRGBA   *color)
{
  ensure_colors (self);
  *color = resolved ? self->muted : self->accent;
}

static void
append_disc (GtkSnapshot           *snapshot,
             const graphene_rect_t *rect,
             const GdkRGBA         *color)
{
  GskRoundedRect outline;
  double radius = MIN (rect->size.width, rect->size.height) / 2.0;

  gsk_rounded_rect_init_from_rect (&outline, rect, radius);
  gtk_snapshot_push_rounded_clip (snapshot, &outline);
  gtk_snapshot_append_color (snapshot, color, rect);
  gtk_snapshot_pop (snapshot);
}

static PangoLayout *
badge_layout (GlsCanvas      *self,
              const char     *label,
              PangoRectangle *logical)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), label);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_attr_list_insert (attrs, pango_attr_scale_new (0.8));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_get_pixel_extents (layout, NULL, logical);

  return layout;
}

/* The disc's size for a label of this size; returns its fill colour. */
static void
badge_geometry (GlsCanvas            *self,
                BadgeStyle            style,
                const PangoRectangle *logical,
                double               *width,
                double               *height,
                const GdkRGBA       **fill,
                const GdkRGBA       **fg)
{
  double radius = PIN_RADIUS;

  switch (style)
    {
    case BADGE_HOVER:
      radius += 2;
      G_GNUC_FALLTHROUGH;
    case BADGE_NORMAL:
      *fill = &self->accent;
      *fg = &self->accent_fg;
      break;

    case BADGE_RESOLVED:
      *fill = &self->muted;
      *fg = &self->muted_fg;
      break;

    case BADGE_SELECTED:
      radius += 3;
      *fill = &self->accent;
      *fg = &self->accent_fg;
      break;

    default:
      g_assert_not_reached ();
    }

  *height = 2 * radius;
  *width = MAX (*height, logical->width + 12);
}

/* The disc of a badge, centred on (0, 0). */
static void
append_badge_disc (GlsCanvas     *self,
                   GtkSnapshot   *snapshot,
                   BadgeStyle     style,
                   double         width,
                   double         height,
                   const GdkRGBA *fill)
{
  graphene_rect_t rect;

  if (style == BADGE_SELECTED)
    {
      GdkRGBA halo = *fill;
      double grow = PIN_RING + 4;

      halo.alpha *= 0.35;
      graphene_rect_init (&rect, -width / 2 - grow, -height / 2 - grow, width + 2 * grow, height + 2 * grow);
      append_disc (snapshot, &rect, &halo);
    }

  graphene_rect_init (&rect, -width / 2 - PIN_RING, -height / 2 - PIN_RING,
                      width + 2 * PIN_RING, height + 2 * PIN_RING);
  append_disc (snapshot, &rect, &self->ring);

  graphene_rect_init (&rect, -width / 2, -height / 2, width, height);
  append_disc (snapshot, &rect, fill);
}

/* A badge centred on (0, 0): a round (or pill) disc with a number. */
static GskRenderNode *
build_badge (GlsCanvas  *self,
             const char *label,
             BadgeStyle  style)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(PangoLayout) layout = NULL;
  PangoRectangle logical;
  const GdkRGBA *fill, *fg;
  double width, height;

  ensure_colors (self);

  layout = badge_layout (self, label, &logical);
  badge_geometry (self, style, &logical, &width, &height, &fill, &fg);
  append_badge_disc (self, snapshot, style, width, height, fill);

  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (-logical.width / 2.0 - logical.x,
                                                -logical.height / 2.0 - logical.y));
  gtk_snapshot_append_layout (snapshot, layout, fg);

  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

static GskRenderNode *
get_badge (GlsCanvas  *self,
           guint       number,
           BadgeStyle  style)
{
  gpointer key = GUINT_TO_POINTER ((number << 2) | style);
  GskRenderNode *node = g_hash_table_lookup (self->badges, key);

  if (node == NULL)
    {
      char label[16];

      g_snprintf (label, sizeof label, "%u", number);
      node = build_badge (self, label, style);
      g_hash_table_insert (self->badges, key, node);
    }

  return node;
}

static GskRenderNode *
get_pending_badge (GlsCanvas *self)
{
  if (self->pending_badge == NULL)
    self->pending_badge = build_badge (self, "+", BADGE_SELECTED);
  return self->pending_badge;
}

/* Badges for a pin layer: drawn with cairo, maybe in another thread */

static void
badge_art_clear (gpointer data)
{
  BadgeArt *art = data;

  g_clear_pointer (&art->disc, cairo_surface_destroy);
  for (guint i = 0; i < art->n_runs; i++)
    {
      cairo_scaled_font_destroy (art->runs[i].font);
      g_free (art->runs[i].glyphs);
    }
  g_clear_pointer (&art->runs, g_free);
}

static void
badge_art_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, badge_art_clear);
}

/* The ring and fill of a badge as an image at the device scale, and where
 * its top-left goes from the badge centre: on a whole device pixel, so the
 * disc is blitted, not resampled. */
static cairo_surface_t *
get_disc (GlsCanvas  *self,
          BadgeStyle  style,
          double      width,
          double      height,
          double     *x,
          double     *y)
{
  gpointer key = GUINT_TO_POINTER (((guint) width << 2) | style);
  double scale = self->arts_scale;
  double half_w = width / 2 + PIN_RING, half_h = height / 2 + PIN_RING;
  double left = floor (half_w * scale), top = floor (half_h * scale);
  cairo_surface_t *surface;

  g_assert (style == BADGE_NORMAL || style == BADGE_RESOLVED);

  *x = -left / scale;
  *y = -top / scale;

  surface = g_hash_table_lookup (self->discs, key);
  if (surface == NULL)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      const GdkRGBA *fill = style == BADGE_RESOLVED ? &self->muted : &self->accent;
      cairo_t *cr;

      append_badge_disc (self, snapshot, style, width, height, fill);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));

      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                            (int) (left + ceil (half_w * scale)) + 1,
                                            (int) (top + ceil (half_h * scale)) + 1);
      cairo_surface_set_device_scale (surface, scale, scale);
      cr = cairo_create (surface);
      cairo_translate (cr, left / scale, top / scale);
      gsk_render_node_draw (node, cr);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      g_hash_table_insert (self->discs, key, surface);
    }

  return surface;
}

static void
ensure_arts_scale (GlsCanvas *self)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  if (self->arts_scale != scale)
    {
      g_hash_table_remove_all (self->arts);
      g_hash_table_remove_all (self->discs);
      self->arts_scale = scale;
    }
}

/* The badge of a number, as build_badge() draws it, in cairo terms: the
 * disc as an image, the number as glyphs of the fonts Pango chose. */
static BadgeArt *
get_art (GlsCanvas  *self,
         guint       number,
         BadgeStyle  style)
{
  gpointer key = GUINT_TO_POINTER ((number << 2) | style);
  BadgeArt *art = g_hash_table_lookup (self->arts, key);
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(GArray) runs = NULL;
  PangoLayoutIter *iter;
  PangoRectangle logical;
  const GdkRGBA *fill, *fg;
  double width, height, origin_x, origin_y;
  char label[16];

  if (art != NULL)
    return art;

  g_snprintf (label, sizeof label, "%u", number);
  layout = badge_layout (self, label, &logical);
  badge_geometry (self, style, &logical, &width, &height, &fill, &fg);

  art = g_atomic_rc_box_new0 (BadgeArt);
  art->disc = cairo_surface_reference (get_disc (self, style, width, height,
                                                 &art->disc_x, &art->disc_y));
  art->fg = *fg;

  /* Where gtk_snapshot_append_layout() puts each glyph. */
  origin_x = -logical.width / 2.0 - logical.x;
  origin_y = -logical.height / 2.0 - logical.y;
  runs = g_array_new (FALSE, TRUE, sizeof (GlyphRun));
  iter = pango_layout_get_iter (layout);
  do
    {
      PangoLayoutRun *run = pango_layout_iter_get_run_readonly (iter);
      PangoRectangle extents;
      GlyphRun out = { 0 };
      int baseline, x;

      if (run == NULL)
        continue;

      pango_layout_iter_get_run_extents (iter, NULL, &extents);
      baseline = pango_layout_iter_get_baseline (iter);
      x = extents.x;
      out.glyphs = g_new (cairo_glyph_t, MAX (1, run->glyphs->num_glyphs));
      for (int i = 0; i < run->glyphs->num_glyphs; i++)
        {
          const PangoGlyphInfo *info = &run->glyphs->glyphs[i];

          if (info->glyph != PANGO_GLYPH_EMPTY && !(info->glyph & PANGO_GLYPH_UNKNOWN_FLAG))
            {
              cairo_glyph_t *glyph = &out.glyphs[out.n_glyphs++];

              glyph->index = info->glyph;
              glyph->x = origin_x + (double) (x + info->geometry.x_offset) / PANGO_SCALE;
              glyph->y = origin_y + (double) (baseline + info->geometry.y_offset) / PANGO_SCALE;
            }
          x += info->geometry.width;
        }
      out.font = cairo_scaled_font_reference (pango_cairo_font_get_scaled_font (PANGO_CAIRO_FONT (run->item->analysis.font)));
      g_array_append_val (runs, out);
    }
  while (pango_layout_iter_next_run (iter));
  pango_layout_iter_free (iter);

  art->n_runs = runs->len;
  art->runs = (GlyphRun *) (void *) g_array_free (g_steal_pointer (&runs), FALSE);

  g_hash_table_insert (self->arts, key, art);

  return art;
}

static void
invalidate_style (GlsCanvas *self)
{
  self->colors_valid = FALSE;
  self->style_serial++;
  g_hash_table_remove_all (self->badges);
  g_hash_table_remove_all (self->arts);
  g_hash_table_remove_all (self->discs);
  g_clear_pointer (&self->pending_badge, gsk_render_node_unref);
}

/* Pins */

static void
pin_clear (gpointer data)
{
  Pin *pin = data;

  g_clear_pointer (&pin->id, g_free);
  g_clear_pointer (&pin->preview, g_free);
}

static gboolean
pin_on_page (GlsCanvas *self,
             const Pin *pin)
{
  if (pin->selector.kind == GLS_SELECTOR_NONE)
    return FALSE;
  return pin->selector.page == self->page ||
         (pin->selector.page == 0 && self->page <= 1);
}

static BadgeStyle
pin_style (GlsCanvas *self,
           const Pin *pin)
{
  if (self->selected != NULL && g_strcmp0 (pin->id, self->selected) == 0)
    return BADGE_SELECTED;
  if (self->hover_pin != NULL && g_strcmp0 (pin->id, self->hover_pin) == 0)
    return BADGE_HOVER;
  return pin->resolved ? BADGE_RESOLVED : BADGE_NORMAL;
}

/* Where a pin's badge sits, in widget coordinates. */
static void
pin_anchor (GlsCanvas         *self,
            const GlsSelector *selector,
            double            *x,
            double            *y)
{
  _gls_canvas_design_to_widget (self, selector->x, selector->y, x, y);
}

static gboolean
pin_hit (GlsCanvas *self,
         const Pin *pin,
         double     x,
         double     y)
{
  GskRenderNode *badge = get_badge (self, pin->number, pin_style (self, pin));
  graphene_rect_t bounds;
  double ax, ay;

  pin_anchor (self, &pin->selector, &ax, &ay);
  gsk_render_node_get_bounds (badge, &bounds);
  if (graphene_rect_contains_point (&bounds, &GRAPHENE_POINT_INIT (x - ax, y - ay)))
    return TRUE;

  if (pin->selector.kind == GLS_SELECTOR_RECT && !self->comment_mode)
    {
      double x1, y1;

      _gls_canvas_design_to_widget (self,
                                    pin->selector.x + pin->selector.width,
                                    pin->selector.y + pin->selector.height,
                                    &x1, &y1);
      return x >= ax - 4 && x <= x1 + 4 && y >= ay - 4 && y <= y1 + 4;
    }

  return FALSE;
}

static const Pin *
find_pin_at (GlsCanvas *self,
             double     x,
             double     y)
{
  const Pin *selected = NULL;

  if (self->document == NULL)
    return NULL;

  /* Top-most first: the selected pin, then open ones, then resolved. */
  for (guint i = 0; i < self->pins->len; i++)
    {
      const Pin *pin = &g_array_index (self->pins, Pin, i);

      if (self->selected != NULL && g_strcmp0 (pin->id, self->selected) == 0)
        {
          if (pin_on_page (self, pin) && pin_hit (self, pin, x, y))
            return pin;
          selected = pin;
        }
    }

  for (int pass = 0; pass < 2; pass++)
    for (guint i = self->pins->len; i > 0; i--)
      {
        const Pin *pin = &g_array_index (self->pins, Pin, i - 1);

        if (pin == selected || pin->resolved != (pass == 1) || !pin_on_page (self, pin))
          continue;
        if (pin_hit (self, pin, x, y))
          return pin;
      }

  return NULL;
}

const char *
_gls_canvas_get_pin_at (GlsCanvas *self,
                        double     x,
                        double     y)
{
  const Pin *pin = find_pin_at (self, x, y);

  return pin ? pin->id : NULL;
}

char *
_gls_canvas_dup_tooltip_at (GlsCanvas *self,
                            double     x,
                            double     y)
{
  const Pin *pin = find_pin_at (self, x, y);
  g_autofree char *flat = NULL;
  glong len;

  if (pin == NULL)
    return NULL;

  if (pin->preview == NULL || pin->preview[0] == '\0')
    return g_strdup_printf (_("Comment %u"), pin->number);

  /* One short line: the first comment, ellipsized. */
  flat = g_strdup (pin->preview);
  g_strdelimit (flat, "\n\r\t", ' ');
  g_strstrip (flat);
  len = g_utf8_strlen (flat, -1);
  if (len > 120)
    {
      g_autofree char *head = g_utf8_substring (flat, 0, 119);

      return g_strconcat (head, "…", NULL);
    }

  return g_steal_pointer (&flat);
}

/* Rendering of SVG and PDF pages */

static void
render_clear (Render *render)
{
  g_clear_object (&render->texture);
  render->page = 0;
  render->scale = 0;
}

static void
request_cancel (Request *request)
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
        render_clear (&self->detail);
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

  request_cancel (request);
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

  get_page_size (self, &page_width, &page_height);
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
  visible_design_rect (self, 0, visible);
  return TRUE;
}

/* graphene_rect_contains_rect() compares a union for exact equality, which
 * float rounding defeats; allow a hair's breadth. */
static gboolean
rect_contains (const graphene_rect_t *outer,
               const graphene_rect_t *inner)
{
  const float eps = 1e-3f;

  return inner->origin.x >= outer->origin.x - eps &&
         inner->origin.y >= outer->origin.y - eps &&
         inner->origin.x + inner->size.width <= outer->origin.x + outer->size.width + eps &&
         inner->origin.y + inner->size.height <= outer->origin.y + outer->size.height + eps;
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
      request_cancel (&self->base_request);
      render_clear (&self->base);
      merged_clear (self);
      return;
    }

  /* The worker serves requests in order: the sharp view first. */
  if (!need_detail)
    request_cancel (&self->detail_request);
  else if (!(self->detail.texture != NULL && self->detail.page == self->page &&
             same_scale (self->detail.scale, detail_scale) &&
             rect_contains (&self->detail.area, &visible)) &&
           !(self->detail_request.cancellable != NULL && self->detail_request.page == self->page &&
             same_scale (self->detail_request.scale, detail_scale) &&
             rect_contains (&self->detail_request.area, &visible)))
    {
      double page_width, page_height;
      graphene_rect_t area, page_rect;

      /* A margin around the view so small pans stay sharp. */
      get_page_size (self, &page_width, &page_height);
      graphene_rect_inset_r (&visible,
                             -visible.size.width / 4.0,
                             -visible.size.height / 4.0,
                             &area);
      graphene_rect_init (&page_rect, 0, 0, page_width, page_height);
      if (graphene_rect_intersection (&area, &page_rect, &area))
        start_request (self, TRUE, self->page, detail_scale, &area);
      else
        request_cancel (&self->detail_request);
    }

  /* Behind a sharp view, any render of the page will do as a backdrop. */
  if (self->base.texture != NULL && self->base.page == self->page &&
      (need_detail || same_scale (self->base.scale, base_scale)))
    {
      if (!need_detail)
        render_clear (&self->detail);
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
          get_page_size (self, &page_width, &page_height);
          graphene_rect_init (&area, 0, 0,
                              (MAX (1, round (page_width * base_scale)) - 0.01) / base_scale,
                              (MAX (1, round (page_height * base_scale)) - 0.01) / base_scale);
          start_request (self, FALSE, self->page, base_scale, &area);
        }
      else
        start_request (self, FALSE, self->page, base_scale, NULL);
    }
}

static gboolean
render_timeout_cb (gpointer user_data)
{
  GlsCanvas *self = user_data;

  self->render_source = 0;
  update_renders (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_render (GlsCanvas *self,
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
         rect_contains (&self->detail.area, &visible);
}

/* Drawing */

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

  return !self->layer_used || (layer_is_current (self) && self->layer_cancellable == NULL);
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
    merged_clear (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
_gls_canvas_get_texels_per_pixel (GlsCanvas *self)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), 0);

  return self->texels_per_pixel;
}

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

static void
append_badge (GtkSnapshot   *snapshot,
              GskRenderNode *badge,
              double         x,
              double         y)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_node (snapshot, badge);
  gtk_snapshot_restore (snapshot);
}

static void
append_region (GlsCanvas         *self,
               GtkSnapshot       *snapshot,
               const GlsSelector *selector,
               const GdkRGBA     *color,
               gboolean           highlight)
{
  graphene_rect_t rect;
  GskRoundedRect outline;
  double x0, y0, x1, y1;
  float width = highlight ? 3 : 2;

  _gls_canvas_design_to_widget (self, selector->x, selector->y, &x0, &y0);
  _gls_canvas_design_to_widget (self, selector->x + selector->width,
                                selector->y + selector->height, &x1, &y1);
  graphene_rect_init (&rect, x0, y0, MAX (1, x1 - x0), MAX (1, y1 - y0));

  if (highlight)
    {
      GdkRGBA fill = *color;

      fill.alpha *= 0.18;
      gtk_snapshot_append_color (snapshot, &fill, &rect);
    }

  graphene_rect_inset (&rect, -width / 2, -width / 2);
  gsk_rounded_rect_init_from_rect (&outline, &rect, 0);
  gtk_snapshot_append_border (snapshot, &outline,
                              (float[4]) { width, width, width, width },
                              (GdkRGBA[4]) { *color, *color, *color, *color });
}

/* The pin layer: every pin of the page in one texture */

typedef struct
{
  BadgeArt *art;
  double    x;      /* the badge centre, px from the layer's top-left */
  double    y;
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

static void
layer_badge_clear (gpointer data)
{
  LayerBadge *badge = data;

  g_clear_pointer (&badge->art, badge_art_unref);
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

static GdkTexture *
texture_for_surface (cairo_surface_t *surface)
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

  get_page_size (self, &page_width, &page_height);
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

  visible_design_rect (self, 0, &visible);
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

static gboolean
rect_int_contains (const cairo_rectangle_int_t *outer,
                   const cairo_rectangle_int_t *inner)
{
  return inner->x >= outer->x && inner->y >= outer->y &&
         inner->x + inner->width <= outer->x + outer->width &&
         inner->y + inner->height <= outer->y + outer->height;
}

/* Whether the layer serves the current view as it is. */
static gboolean
layer_is_current (GlsCanvas *self)
{
  cairo_rectangle_int_t extent, needed;

  if (self->layer.texture == NULL ||
      self->layer.page != self->page ||
      self->layer.zoom != self->zoom ||
      self->layer.scale_factor != gtk_widget_get_scale_factor (GTK_WIDGET (self)) ||
      self->layer.pins_serial != self->pins_serial ||
      self->layer.style_serial != self->style_serial)
    return FALSE;

  wanted_layer_extent (self, &extent, &needed);
  return rect_int_contains (&self->layer.extent, &needed);
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

  ensure_colors (self);
  ensure_arts_scale (self);

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

      if (pin->selector.kind != GLS_SELECTOR_RECT || !pin_on_page (self, pin))
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
      region.color = pin->resolved ? self->muted : self->accent;
      g_array_append_val (job->regions, region);
    }

  /* Resolved badges under open ones. The selected and the hovered pins
   * are drawn here too, in their plain style: their own badges go on top,
   * and cover these, so neither forces a new layer. */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < self->pins->len; i++)
      {
        const Pin *pin = &g_array_index (self->pins, Pin, i);
        LayerBadge badge;
        double x, y;

        if (pin->resolved != (pass == 0) || !pin_on_page (self, pin))
          continue;

        layer_anchor (self, &pin->selector, scale_factor, &x, &y);
        badge.x = x / scale_factor - left;
        badge.y = y / scale_factor - top;
        if (badge.x < -reach || badge.y < -reach ||
            badge.x > width + reach || badge.y > height + reach)
          continue;

        badge.art = g_atomic_rc_box_acquire (get_art (self, pin->number,
                                                      pin->resolved ? BADGE_RESOLVED : BADGE_NORMAL));
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
  self->layer.texture = texture_for_surface (surface);
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

static void
layer_clear (GlsCanvas *self)
{
  layer_cancel (self);
  g_clear_object (&self->layer.texture);
  g_clear_pointer (&self->layer.surface, cairo_surface_destroy);
  self->layer.page = 0;
  self->layer.zoom = 0;
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

static void
merged_clear (GlsCanvas *self)
{
  if (self->merge_cancellable != NULL)
    {
      g_cancellable_cancel (self->merge_cancellable);
      g_clear_object (&self->merge_cancellable);
    }
  render_clear (&self->merged);
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
          result->strips[i] = texture_for_surface (strip);
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
      render_clear (&self->merged);
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

  if (self->layer.surface == NULL || !layer_is_current (self) ||
      !rect_int_contains (&self->layer.extent, &(cairo_rectangle_int_t) { x0, y0, width, height }))
    return;

  merged_clear (self);

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

/* The selected pin, on this page, or NULL. */
static const Pin *
find_selected (GlsCanvas *self)
{
  if (self->selected == NULL)
    return NULL;

  for (guint i = 0; i < self->pins->len; i++)
    {
      const Pin *pin = &g_array_index (self->pins, Pin, i);

      if (g_strcmp0 (pin->id, self->selected) == 0 && pin_on_page (self, pin))
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
static void
snapshot_pin_layer (GlsCanvas   *self,
                    GtkSnapshot *snapshot,
                    double       origin_x,
                    double       origin_y,
                    gboolean     merged)
{
  int scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  const Pin *selected = find_selected (self);
  double x, y;

  if (!layer_is_current (self))
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

          if (g_strcmp0 (pin->id, self->hover_pin) == 0 && pin_on_page (self, pin))
            {
              layer_anchor (self, &pin->selector, scale_factor, &x, &y);
              append_badge (snapshot, get_badge (self, pin->number, BADGE_HOVER),
                            origin_x + x / scale_factor, origin_y + y / scale_factor);
              break;
            }
        }
    }

  if (selected != NULL)
    {
      if (selected->selector.kind == GLS_SELECTOR_RECT)
        append_region (self, snapshot, &selected->selector, &self->accent, TRUE);
      layer_anchor (self, &selected->selector, scale_factor, &x, &y);
      append_badge (snapshot, get_badge (self, selected->number, BADGE_SELECTED),
                    origin_x + x / scale_factor, origin_y + y / scale_factor);
    }
}

/* Whether the pins in view are drawn as a layer; @visible is set to the
 * design area whose badges could reach into the view. */
static gboolean
wants_layer (GlsCanvas       *self,
             graphene_rect_t *visible)
{
  double margin = (PIN_RADIUS + PIN_RING + 40) / self->zoom;
  guint n_visible = 0;

  visible_design_rect (self, 0, visible);
  graphene_rect_inset (visible, -margin, -margin);

  for (guint i = 0; i < self->pins->len && n_visible <= self->layer_min_pins; i++)
    {
      const Pin *pin = &g_array_index (self->pins, Pin, i);

      if (pin_on_page (self, pin) &&
          graphene_rect_contains_point (visible, &GRAPHENE_POINT_INIT (pin->selector.x, pin->selector.y)))
        n_visible++;
    }

  return n_visible > self->layer_min_pins;
}

/* With @merged, a layer is already drawn on the page. */
static void
snapshot_pins (GlsCanvas   *self,
               GtkSnapshot *snapshot,
               double       origin_x,
               double       origin_y,
               gboolean     merged)
{
  graphene_rect_t visible;
  const Pin *selected = NULL;

  self->layer_used = FALSE;

  if (self->pins->len == 0)
    return;

  ensure_colors (self);

  if (wants_layer (self, &visible))
    {
      self->layer_used = TRUE;
      snapshot_pin_layer (self, snapshot, origin_x, origin_y, merged);
      return;
    }

  /* Regions first, under every badge. */
  for (guint i = 0; i < self->pins->len; i++)
    {
      const Pin *pin = &g_array_index (self->pins, Pin, i);
      graphene_rect_t rect;

      if (pin->selector.kind != GLS_SELECTOR_RECT || !pin_on_page (self, pin))
        continue;
      graphene_rect_init (&rect, pin->selector.x, pin->selector.y,
                          MAX (pin->selector.width, 0.001), MAX (pin->selector.height, 0.001));
      if (!graphene_rect_intersection (&rect, &visible, NULL))
        continue;
      if (self->selected != NULL && g_strcmp0 (pin->id, self->selected) == 0)
        continue;
      append_region (self, snapshot, &pin->selector,
                     pin->resolved ? &self->muted : &self->accent, FALSE);
    }

  /* Resolved badges under open ones; the selected one on top of all. */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < self->pins->len; i++)
      {
        const Pin *pin = &g_array_index (self->pins, Pin, i);
        double x, y;

        if (pin->resolved != (pass == 0) || !pin_on_page (self, pin))
          continue;
        if (!graphene_rect_contains_point (&visible, &GRAPHENE_POINT_INIT (pin->selector.x, pin->selector.y)))
          continue;
        if (self->selected != NULL && g_strcmp0 (pin->id, self->selected) == 0)
          {
            selected = pin;
            continue;
          }

        pin_anchor (self, &pin->selector, &x, &y);
        append_badge (snapshot, get_badge (self, pin->number, pin_style (self, pin)), x, y);
      }

  if (selected == NULL && self->selected != NULL)
    {
      for (guint i = 0; i < self->pins->len; i++)
        {
          const Pin *pin = &g_array_index (self->pins, Pin, i);

          if (g_strcmp0 (pin->id, self->selected) == 0 && pin_on_page (self, pin) &&
              pin->selector.kind == GLS_SELECTOR_RECT)
            {
              selected = pin;
              break;
            }
        }
    }

  if (selected != NULL)
    {
      double x, y;

      if (selected->selector.kind == GLS_SELECTOR_RECT)
        append_region (self, snapshot, &selected->selector, &self->accent, TRUE);
      pin_anchor (self, &selected->selector, &x, &y);
      append_badge (snapshot, get_badge (self, selected->number, BADGE_SELECTED), x, y);
    }
}

static void
snapshot_marks (GlsCanvas   *self,
                GtkSnapshot *snapshot)
{
  ensure_colors (self);

  if (self->drag_mode == DRAG_MARK && self->dragged)
    {
      GlsSelector band = { GLS_SELECTOR_RECT, self->page, 0, 0, 0, 0 };
      double x0, y0, x1, y1;

      _gls_canvas_widget_to_design (self, self->press_x, self->press_y, &x0, &y0);
      _gls_canvas_widget_to_design (self, self->drag_x, self->drag_y, &x1, &y1);
      band.x = MIN (x0, x1);
      band.y = MIN (y0, y1);
      band.width = fabs (x1 - x0);
      band.height = fabs (y1 - y0);
      append_region (self, snapshot, &band, &self->accent, TRUE);
    }

  if (self->has_pending && (self->pending.page == self->page || self->pending.page == 0))
    {
      double x, y;

      if (self->pending.kind == GLS_SELECTOR_RECT)
        append_region (self, snapshot, &self->pending, &self->accent, TRUE);
      _gls_canvas_design_to_widget (self, self->pending.x, self->pending.y, &x, &y);
      append_badge (snapshot, get_pending_badge (self), x, y);
    }
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

static void
gls_canvas_snapshot (GtkWidget   *widget,
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

  ensure_colors (self);

  if (!get_page_size (self, &page_width, &page_height))
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
                          merged_is_current (self) && layer_is_current (self) &&
                          wants_layer (self, &visible);
      /* No clip: a clip costs a software renderer a pass over every pixel,
       * and these cover the page exactly. */
      if (self->merged_used)
        self->texels_per_pixel = append_render (snapshot, &self->merged, origin_x, origin_y,
                                                self->zoom, scale_factor);
      else if (self->prescaled_used)
        self->texels_per_pixel = append_render (snapshot, &self->base, origin_x, origin_y,
                                                self->zoom, scale_factor);
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

  snapshot_pins (self, snapshot, origin_x, origin_y, self->merged_used);

  /* The layer of this view over the copy, for the frames to come. */
  if (self->prescaled_used && self->layer_used && !self->merged_used && !self->merge_disabled &&
      self->merge_cancellable == NULL && self->layer_cancellable == NULL)
    start_merge (self);
  snapshot_marks (self, snapshot);
}

/* The comment popover */

static void
clear_pending (GlsCanvas *self)
{
  if (!self->has_pending)
    return;
  self->has_pending = FALSE;
  self->pending_posted = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
open_comment (GlsCanvas         *self,
              const GlsSelector *selector)
{
  self->pending = *selector;
  self->has_pending = TRUE;
  self->pending_posted = FALSE;

  gls_comment_popover_set_text (self->popover, "");
  update_popover_position (self);
  gtk_popover_popup (GTK_POPOVER (self->popover));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
popover_submit_cb (GlsCanvas         *self,
                   const char        *text,
                   GlsCommentPopover *popover)
{
  GlsSelector selector;

  if (!self->has_pending)
    return;

  self->pending_posted = TRUE;
  selector = self->pending;
  g_signal_emit (self, signals [COMMENT_REQUESTED], 0, &selector, text);
}

static void
popover_closed_cb (GlsCanvas         *self,
                   GlsCommentPopover *popover)
{
  if (!self->pending_posted)
    clear_pending (self);
}

GlsCommentPopover *
_gls_canvas_get_comment_popover (GlsCanvas *self)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), NULL);

  return self->popover;
}

gboolean
_gls_canvas_get_pending (GlsCanvas   *self,
                         GlsSelector *out)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), FALSE);

  if (self->has_pending && out != NULL)
    *out = self->pending;
  return self->has_pending;
}

/* Input */

static void
clamp_to_page (GlsCanvas *self,
               double    *x,
               double    *y)
{
  double page_width, page_height;

  get_page_size (self, &page_width, &page_height);
  *x = CLAMP (*x, 0, page_width);
  *y = CLAMP (*y, 0, page_height);
}

static void
update_cursor (GlsCanvas *self)
{
  const char *name = NULL;

  if (self->document != NULL)
    {
      if (self->drag_mode == DRAG_PAN || (self->drag_mode == DRAG_PRIMARY && self->dragged))
        name = "grabbing";
      else if (self->hover_pin != NULL)
        name = "pointer";
      else if (self->comment_mode)
        name = "crosshair";
      else
        name = "grab";
    }

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), name);
}

static void
activate_pin (GlsCanvas  *self,
              const char *id)
{
  g_autofree char *copy = g_strdup (id);

  gls_canvas_set_selected (self, copy);
  g_signal_emit (self, signals [PIN_ACTIVATED], 0, copy);
}

static void
begin_press (GlsCanvas *self,
             DragMode   mode,
             double     x,
             double     y)
{
  self->drag_mode = mode;
  self->dragged = FALSE;
  self->press_x = self->drag_x = x;
  self->press_y = self->drag_y = y;
  self->press_center_x = self->center_x;
  self->press_center_y = self->center_y;
  g_clear_pointer (&self->press_pin, g_free);

  if (self->document != NULL && self->drag_mode != DRAG_PAN)
    self->press_pin = g_strdup (_gls_canvas_get_pin_at (self, x, y));

  if (gtk_widget_get_focusable (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self));
}

void
_gls_canvas_pointer_press (GlsCanvas *self,
                           double     x,
                           double     y)
{
  g_return_if_fail (GLS_IS_CANVAS (self));

  if (self->document == NULL)
    return;

  begin_press (self, self->comment_mode ? DRAG_MARK : DRAG_PRIMARY, x, y);
}

void
_gls_canvas_pan_press (GlsCanvas *self,
                       double     x,
                       double     y)
{
  g_return_if_fail (GLS_IS_CANVAS (self));

  if (self->document == NULL)
    return;

  begin_press (self, DRAG_PAN, x, y);
  update_cursor (self);
}

void
_gls_canvas_pointer_motion (GlsCanvas *self,
                            double     x,
                            double     y)
{
  g_return_if_fail (GLS_IS_CANVAS (self));

  if (self->drag_mode == DRAG_NONE)
    return;

  self->drag_x = x;
  self->drag_y = y;

  if (!self->dragged &&
      hypot (x - self->press_x, y - self->press_y) >= DRAG_THRESHOLD)
    {
      self->dragged = TRUE;
      update_cursor (self);
    }

  if (!self->dragged && self->drag_mode != DRAG_PAN)
    return;

  switch (self->drag_mode)
    {
    case DRAG_PRIMARY:
    case DRAG_PAN:
      self->fit = FALSE;
      set_view (self, self->zoom,
                self->press_center_x - (x - self->press_x) / self->zoom,
                self->press_center_y - (y - self->press_y) / self->zoom);
      break;

    case DRAG_MARK:
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;

    case DRAG_NONE:
    default:
      break;
    }
}

void
_gls_canvas_pointer_release (GlsCanvas *self,
                             double     x,
                             double     y)
{
  DragMode mode;
  g_autofree char *press_pin = NULL;

  g_return_if_fail (GLS_IS_CANVAS (self));

  if (self->drag_mode == DRAG_NONE)
    return;

  _gls_canvas_pointer_motion (self, x, y);

  mode = self->drag_mode;
  press_pin = g_steal_pointer (&self->press_pin);
  self->drag_mode = DRAG_NONE;

  if (mode == DRAG_PAN)
    ;
  else if (!self->dragged && press_pin != NULL)
    activate_pin (self, press_pin);
  else if (mode == DRAG_MARK)
    {
      GlsSelector selector = { GLS_SELECTOR_POINT, self->page, 0, 0, 0, 0 };
      double x0, y0, x1, y1;

      _gls_canvas_widget_to_design (self, self->press_x, self->press_y, &x0, &y0);
      clamp_to_page (self, &x0, &y0);

      if (self->dragged)
        {
          _gls_canvas_widget_to_design (self, x, y, &x1, &y1);
          clamp_to_page (self, &x1, &y1);
          selector.x = MIN (x0, x1);
          selector.y = MIN (y0, y1);
          selector.width = fabs (x1 - x0);
          selector.height = fabs (y1 - y0);
          if (selector.width > 0 && selector.height > 0)
            selector.kind = GLS_SELECTOR_RECT;
          else
            selector.width = selector.height = 0;
        }
      else
        {
          selector.x = x0;
          selector.y = y0;
        }

      if (selector.kind == GLS_SELECTOR_POINT && self->dragged)
        {
          selector.x = x0;
          selector.y = y0;
        }

      open_comment (self, &selector);
    }
  else if (!self->dragged)
    gls_canvas_set_selected (self, NULL);

  self->dragged = FALSE;
  update_cursor (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_gls_canvas_pointer_cancel (GlsCanvas *self)
{
  g_return_if_fail (GLS_IS_CANVAS (self));

  if (self->drag_mode == DRAG_NONE)
    return;

  self->drag_mode = DRAG_NONE;
  self->dragged = FALSE;
  g_clear_pointer (&self->press_pin, g_free);
  update_cursor (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_gls_canvas_hover (GlsCanvas *self,
                   double     x,
                   double     y)
{
  const char *id;

  g_return_if_fail (GLS_IS_CANVAS (self));

  self->pointer_x = x;
  self->pointer_y = y;

  id = self->drag_mode == DRAG_NONE ? _gls_canvas_get_pin_at (self, x, y) : NULL;
  if (g_strcmp0 (id, self->hover_pin) != 0)
    {
      g_free (self->hover_pin);
      self->hover_pin = g_strdup (id);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  update_cursor (self);
}

void
_gls_canvas_hover_leave (GlsCanvas *self)
{
  g_return_if_fail (GLS_IS_CANVAS (self));

  if (self->hover_pin != NULL)
    {
      g_clear_pointer (&self->hover_pin, g_free);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

gboolean
_gls_canvas_scroll (GlsCanvas       *self,
                    double           dx,
                    double           dy,
                    GdkModifierType  state,
                    GdkScrollUnit    unit)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), FALSE);

  if (self->document == NULL)
    return FALSE;

  if (state & GDK_CONTROL_MASK)
    {
      /* One wheel notch is one 25% step; touchpads scroll in pixels. */
      double steps = unit == GDK_SCROLL_UNIT_WHEEL ? dy : dy / 10.0;

      if (steps == 0)
        return TRUE;
      _gls_canvas_zoom_at (self, self->zoom * pow (1.25, -steps),
                           self->pointer_x, self->pointer_y);
      return TRUE;
    }

  if (unit == GDK_SCROLL_UNIT_WHEEL)
    {
      if ((state & GDK_SHIFT_MASK) && dx == 0)
        {
          dx = dy;
          dy = 0;
        }
      dx *= WHEEL_STEP;
      dy *= WHEEL_STEP;
    }

  self->fit = FALSE;
  set_view (self, self->zoom,
            self->center_x + dx / self->zoom,
            self->center_y + dy / self->zoom);

  return TRUE;
}

void
_gls_canvas_pinch_begin (GlsCanvas *self,
                         double     x,
                         double     y)
{
  self->pinch_zoom = self->zoom;
  self->pinch_x = x;
  self->pinch_y = y;
}

void
_gls_canvas_pinch_scale (GlsCanvas *self,
                         double     scale)
{
  if (self->pinch_zoom > 0 && scale > 0)
    _gls_canvas_zoom_at (self, self->pinch_zoom * scale, self->pinch_x, self->pinch_y);
}

static void
drag_begin_cb (GlsCanvas      *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  if (self->document == NULL || (button != GDK_BUTTON_PRIMARY && button != GDK_BUTTON_MIDDLE))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  if (button == GDK_BUTTON_MIDDLE)
    _gls_canvas_pan_press (self, x, y);
  else
    _gls_canvas_pointer_press (self, x, y);
}

static void
drag_update_cb (GlsCanvas      *self,
                double          offset_x,
                double          offset_y,
                GtkGestureDrag *gesture)
{
  _gls_canvas_pointer_motion (self, self->press_x + offset_x, self->press_y + offset_y);
}

static void
drag_end_cb (GlsCanvas      *self,
             double          offset_x,
             double          offset_y,
             GtkGestureDrag *gesture)
{
  _gls_canvas_pointer_release (self, self->press_x + offset_x, self->press_y + offset_y);
}

static void
drag_cancel_cb (GlsCanvas        *self,
                GdkEventSequence *sequence,
                GtkGesture       *gesture)
{
  _gls_canvas_pointer_cancel (self);
}

static void
motion_cb (GlsCanvas                *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *controller)
{
  _gls_canvas_hover (self, x, y);
}

static void
leave_cb (GlsCanvas                *self,
          GtkEventControllerMotion *controller)
{
  _gls_canvas_hover_leave (self);
}

static gboolean
scroll_cb (GlsCanvas                *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  return _gls_canvas_scroll (self, dx, dy,
                             gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller)),
                             gtk_event_controller_scroll_get_unit (controller));
}

static void
pinch_begin_cb (GlsCanvas        *self,
                GdkEventSequence *sequence,
                GtkGestureZoom   *gesture)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    {
      x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
  _gls_canvas_pinch_begin (self, x, y);
}

static void
pinch_scale_cb (GlsCanvas      *self,
                double          scale,
                GtkGestureZoom *gesture)
{
  _gls_canvas_pinch_scale (self, scale);
}

static gboolean
gls_canvas_query_tooltip (GtkWidget  *widget,
                          int         x,
                          int         y,
                          gboolean    keyboard_tooltip,
                          GtkTooltip *tooltip)
{
  GlsCanvas *self = GLS_CANVAS (widget);
  g_autofree char *text = NULL;
  const Pin *pin;
  GskRenderNode *badge;
  graphene_rect_t bounds;
  double ax, ay;

  if (keyboard_tooltip)
    return FALSE;

  pin = find_pin_at (self, x, y);
  if (pin == NULL)
    return FALSE;

  text = _gls_canvas_dup_tooltip_at (self, x, y);
  gtk_tooltip_set_text (tooltip, text);

  badge = get_badge (self, pin->number, pin_style (self, pin));
  gsk_render_node_get_bounds (badge, &bounds);
  pin_anchor (self, &pin->selector, &ax, &ay);
  gtk_tooltip_set_tip_area (tooltip,
                            &(GdkRectangle) {
                              (int) floor (ax + bounds.origin.x),
                              (int) floor (ay + bounds.origin.y),
                              (int) ceil (bounds.size.width),
                              (int) ceil (bounds.size.height),
                            });
  return TRUE;
}

/* Actions */

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  gls_canvas_zoom_in (GLS_CANVAS (widget));
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  gls_canvas_zoom_out (GLS_CANVAS (widget));
}

static void
zoom_fit_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  gls_canvas_zoom_to_fit (GLS_CANVAS (widget));
}

static void
zoom_original_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  gls_canvas_set_zoom (GLS_CANVAS (widget), 1.0);
}

static void
previous_page_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  GlsCanvas *self = GLS_CANVAS (widget);

  if (self->page > 1)
    gls_canvas_set_page (self, self->page - 1);
}

static void
next_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  GlsCanvas *self = GLS_CANVAS (widget);

  if (self->page >= 1)
    gls_canvas_set_page (self, self->page + 1);
}

static void
comment_here_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  GlsCanvas *self = GLS_CANVAS (widget);
  GlsSelector selector = { GLS_SELECTOR_POINT, self->page, 0, 0, 0, 0 };

  if (self->document == NULL || !self->comment_mode)
    return;

  selector.x = self->center_x;
  selector.y = self->center_y;
  clamp_to_page (self, &selector.x, &selector.y);
  open_comment (self, &selector);
}

static gboolean
pan_key_cb (GtkWidget *widget,
            GVariant  *args,
            gpointer   user_data)
{
  GlsCanvas *self = GLS_CANVAS (widget);
  int dx, dy;

  if (self->document == NULL)
    return FALSE;

  g_variant_get (args, "(ii)", &dx, &dy);
  self->fit = FALSE;
  set_view (self, self->zoom,
            self->center_x + dx * gtk_widget_get_width (widget) / 10.0 / self->zoom,
            self->center_y + dy * gtk_widget_get_height (widget) / 10.0 / self->zoom);
  return TRUE;
}

static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  GlsCanvas *self = GLS_CANVAS (widget);

  if (self->drag_mode == DRAG_NONE)
    return FALSE;

  _gls_canvas_pointer_cancel (self);
  return TRUE;
}

/* GObject and GtkWidget */

static void
ensure_css (GtkWidget *widget)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  g_autoptr(GtkCssProvider) provider = NULL;

  if (g_object_get_data (G_OBJECT (display), "gls-canvas-css") != NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/glossa/Glossa/gls-canvas.css");
  gtk_style_context_add_provider_for_display (display,
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "gls-canvas-css",
                          g_object_ref (provider), g_object_unref);
}

static void
gls_canvas_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (gls_canvas_parent_class)->root (widget);

  ensure_css (widget);
}

static void
gls_canvas_css_changed (GtkWidget         *widget,
                        GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (gls_canvas_parent_class)->css_changed (widget, change);

  invalidate_style (GLS_CANVAS (widget));
  gtk_widget_queue_draw (widget);
}

static void
gls_canvas_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  *minimum = 64;
  *natural = 400;
}

static void
gls_canvas_size_allocate (GtkWidget *widget,
                          int        width,
                          int        height,
                          int        baseline)
{
  GlsCanvas *self = GLS_CANVAS (widget);

  self->in_allocate = TRUE;

  if (self->has_reveal)
    {
      GlsSelector reveal = self->reveal;

      self->has_reveal = FALSE;
      gls_canvas_reveal (self, &reveal);
    }
  else if (self->fit)
    apply_fit (self);
  else
    set_view (self, self->zoom, self->center_x, self->center_y);

  update_popover_position (self);
  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));

  self->in_allocate = FALSE;

  schedule_render (self, FALSE);
}

static void
scale_factor_cb (GlsCanvas  *self,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  schedule_render (self, TRUE);
}

static void
gls_canvas_dispose (GObject *object)
{
  GlsCanvas *self = (GlsCanvas *)object;

  g_clear_handle_id (&self->render_source, g_source_remove);
  request_cancel (&self->base_request);
  request_cancel (&self->detail_request);
  render_clear (&self->base);
  render_clear (&self->detail);
  merged_clear (self);
  layer_clear (self);

  if (self->popover != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->popover));
      self->popover = NULL;
    }

  g_clear_object (&self->document);

  G_OBJECT_CLASS (gls_canvas_parent_class)->dispose (object);
}

static void
gls_canvas_finalize (GObject *object)
{
  GlsCanvas *self = (GlsCanvas *)object;

  g_clear_pointer (&self->pins, g_array_unref);
  g_clear_pointer (&self->badges, g_hash_table_unref);
  g_clear_pointer (&self->pending_badge, gsk_render_node_unref);
  g_clear_pointer (&self->arts, g_hash_table_unref);
  g_clear_pointer (&self->discs, g_hash_table_unref);
  g_clear_pointer (&self->selected, g_free);
  g_clear_pointer (&self->press_pin, g_free);
  g_clear_pointer (&self->hover_pin, g_free);

  G_OBJECT_CLASS (gls_canvas_parent_class)->finalize (object);
}

static void
gls_canvas_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  GlsCanvas *self = GLS_CANVAS (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;

    case PROP_PAGE:
      g_value_set_uint (value, self->page);
      break;

    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;

    case PROP_COMMENT_MODE:
      g_value_set_boolean (value, self->comment_mode);
      break;

    case PROP_SELECTED:
      g_value_set_string (value, self->selected);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_canvas_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  GlsCanvas *self = GLS_CANVAS (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      gls_canvas_set_document (self, g_value_get_object (value));
      break;

    case PROP_PAGE:
      gls_canvas_set_page (self, g_value_get_uint (value));
      break;

    case PROP_ZOOM:
      gls_canvas_set_zoom (self, g_value_get_double (value));
      break;

    case PROP_COMMENT_MODE:
      gls_canvas_set_comment_mode (self, g_value_get_boolean (value));
      break;

    case PROP_SELECTED:
      gls_canvas_set_selected (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_canvas_class_init (GlsCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gls_canvas_dispose;
  object_class->finalize = gls_canvas_finalize;
  object_class->get_property = gls_canvas_get_property;
  object_class->set_property = gls_canvas_set_property;

  widget_class->snapshot = gls_canvas_snapshot;
  widget_class->measure = gls_canvas_measure;
  widget_class->size_allocate = gls_canvas_size_allocate;
  widget_class->query_tooltip = gls_canvas_query_tooltip;
  widget_class->root = gls_canvas_root;
  widget_class->css_changed = gls_canvas_css_changed;

  properties [PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL,
                         GLS_TYPE_DOCUMENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_PAGE] =
    g_param_spec_uint ("page", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         MIN_ZOOM, MAX_ZOOM, 1.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_COMMENT_MODE] =
    g_param_spec_boolean ("comment-mode", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_SELECTED] =
    g_param_spec_string ("selected", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GlsCanvas::pin-activated:
   * @id: the pin's thread root id
   */
  signals [PIN_ACTIVATED] =
    g_signal_new ("pin-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * GlsCanvas::comment-requested:
   * @selector: where the comment goes, in design units
   * @text: what the user wrote
   */
  signals [COMMENT_REQUESTED] =
    g_signal_new ("comment-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  GLS_TYPE_SELECTOR | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_install_action (widget_class, "canvas.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-fit", NULL, zoom_fit_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-original", NULL, zoom_original_action);
  gtk_widget_class_install_action (widget_class, "canvas.previous-page", NULL, previous_page_action);
  gtk_widget_class_install_action (widget_class, "canvas.next-page", NULL, next_page_action);
  gtk_widget_class_install_action (widget_class, "canvas.comment-here", NULL, comment_here_action);

  {
    static const struct { guint keyval; const char *action; } keys[] = {
      { GDK_KEY_plus, "canvas.zoom-in" },
      { GDK_KEY_equal, "canvas.zoom-in" },
      { GDK_KEY_KP_Add, "canvas.zoom-in" },
      { GDK_KEY_minus, "canvas.zoom-out" },
      { GDK_KEY_KP_Subtract, "canvas.zoom-out" },
      { GDK_KEY_0, "canvas.zoom-fit" },
      { GDK_KEY_KP_0, "canvas.zoom-fit" },
      { GDK_KEY_1, "canvas.zoom-original" },
      { GDK_KEY_KP_1, "canvas.zoom-original" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      {
        gtk_widget_class_add_binding_action (widget_class, keys[i].keyval, 0, keys[i].action, NULL);
        gtk_widget_class_add_binding_action (widget_class, keys[i].keyval, GDK_CONTROL_MASK, keys[i].action, NULL);
      }
  }

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "canvas.previous-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Page_Up, 0, "canvas.previous-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "canvas.next-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Page_Down, 0, "canvas.next-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "canvas.comment-here", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "canvas.comment-here", NULL);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Left, 0, pan_key_cb, "(ii)", -1, 0);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Right, 0, pan_key_cb, "(ii)", 1, 0);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Up, 0, pan_key_cb, "(ii)", 0, -1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Down, 0, pan_key_cb, "(ii)", 0, 1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);

  gtk_widget_class_set_css_name (widget_class, "glscanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gls_canvas_init (GlsCanvas *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *drag, *pinch;
  GtkEventController *motion, *scroll;

  self->zoom = 1.0;
  self->fit = TRUE;
  self->layer_min_pins = LAYER_MIN_PINS;
  self->pins = g_array_new (FALSE, TRUE, sizeof (Pin));
  g_array_set_clear_func (self->pins, pin_clear);
  self->badges = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) gsk_render_node_unref);
  self->arts = g_hash_table_new_full (NULL, NULL, NULL, badge_art_unref);
  self->discs = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) cairo_surface_destroy);

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_focus_on_click (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_has_tooltip (widget, TRUE);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_widget_set_vexpand (widget, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Design"),
                                  -1);

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  g_signal_connect_object (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (drag, "drag-update", G_CALLBACK (drag_update_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (drag, "drag-end", G_CALLBACK (drag_end_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (drag, "cancel", G_CALLBACK (drag_cancel_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drag));

  pinch = gtk_gesture_zoom_new ();
  g_signal_connect_object (pinch, "begin", G_CALLBACK (pinch_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pinch, "scale-changed", G_CALLBACK (pinch_scale_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (pinch));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_object (motion, "enter", G_CALLBACK (motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "motion", G_CALLBACK (motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "leave", G_CALLBACK (leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, motion);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_object (scroll, "scroll", G_CALLBACK (scroll_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, scroll);

  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (scale_factor_cb), NULL);

  self->popover = GLS_COMMENT_POPOVER (gls_comment_popover_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->popover), widget);
  g_signal_connect_object (self->popover, "submit", G_CALLBACK (popover_submit_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->popover, "closed", G_CALLBACK (popover_closed_cb), self, G_CONNECT_SWAPPED);

  update_actions (self);
}

/* Public API */

GtkWidget *
gls_canvas_new (void)
{
  return g_object_new (GLS_TYPE_CANVAS, NULL);
}

GlsDocument *
gls_canvas_get_document (GlsCanvas *self)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), NULL);

  return self->document;
}

void
gls_canvas_set_document (GlsCanvas   *self,
                         GlsDocument *document)
{
  guint page;

  g_return_if_fail (GLS_IS_CANVAS (self));
  g_return_if_fail (!document || GLS_IS_DOCUMENT (document));

  if (!g_set_object (&self->document, document))
    return;

  g_clear_handle_id (&self->render_source, g_source_remove);
  request_cancel (&self->base_request);
  request_cancel (&self->detail_request);
  render_clear (&self->base);
  render_clear (&self->detail);
  merged_clear (self);
  layer_clear (self);
  _gls_canvas_pointer_cancel (self);
  g_clear_pointer (&self->hover_pin, g_free);
  self->has_reveal = FALSE;
  self->pending_posted = FALSE;
  if (gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    gtk_popover_popdown (GTK_POPOVER (self->popover));
  clear_pending (self);

  page = document != NULL && gls_document_get_kind (document) == GLS_DESIGN_KIND_PDF ? 1 : 0;
  if (page != self->page)
    {
      self->page = page;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAGE]);
    }

  self->fit = TRUE;
  if (document != NULL)
    {
      double width, height;

      get_page_size (self, &width, &height);
      self->center_x = width / 2.0;
      self->center_y = height / 2.0;
      apply_fit (self);
      schedule_render (self, TRUE);
    }

  update_actions (self);
  update_cursor (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DOCUMENT]);
}

guint
gls_canvas_get_page (GlsCanvas *self)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), 0);

  return self->page;
}

void
gls_canvas_set_page (GlsCanvas *self,
                     guint      page)
{
  double old_width, old_height, width, height;

  g_return_if_fail (GLS_IS_CANVAS (self));

  if (self->document == NULL || gls_document_get_kind (self->document) != GLS_DESIGN_KIND_PDF)
    return;

  page = CLAMP (page, 1, gls_document_get_n_pages (self->document));
  if (page == self->page)
    return;

  get_page_size (self, &old_width, &old_height);
  self->page = page;
  get_page_size (self, &width, &height);

  _gls_canvas_pointer_cancel (self);
  g_clear_pointer (&self->hover_pin, g_free);
  request_cancel (&self->detail_request);

  if (self->fit)
    apply_fit (self);
  else
    {
      /* Same place on a page of the same size; else the top of the page. */
      double cx = self->center_x, cy = self->center_y;

      if (width != old_width || height != old_height)
        {
          cx = width / 2.0;
          cy = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0 / self->zoom;
        }
      set_view (self, self->zoom, cx, cy);
    }

  schedule_render (self, TRUE);
  update_popover_position (self);
  update_actions (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAGE]);
}

double
gls_canvas_get_zoom (GlsCanvas *self)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), 1.0);

  return self->zoom;
}

void
gls_canvas_set_zoom (GlsCanvas *self,
                     double     zoom)
{
  g_return_if_fail (GLS_IS_CANVAS (self));

  zoom_around_center (self, zoom);
}

void
gls_canvas_zoom_in (GlsCanvas *self)
{
  g_return_if_fail (GLS_IS_CANVAS (self));

  for (guint i = 0; i < G_N_ELEMENTS (zoom_levels); i++)
    if (zoom_levels[i] > self->zoom * 1.001)
      {
        zoom_around_center (self, zoom_levels[i]);
        return;
      }
}

void
gls_canvas_zoom_out (GlsCanvas *self)
{
  g_return_if_fail (GLS_IS_CANVAS (self));

  for (guint i = G_N_ELEMENTS (zoom_levels); i > 0; i--)
    if (zoom_levels[i - 1] < self->zoom / 1.001)
      {
        zoom_around_center (self, zoom_levels[i - 1]);
        return;
      }
}

void
gls_canvas_zoom_to_fit (GlsCanvas *self)
{
  g_return_if_fail (GLS_IS_CANVAS (self));

  self->fit = TRUE;
  apply_fit (self);
}

gboolean
gls_canvas_get_comment_mode (GlsCanvas *self)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), FALSE);

  return self->comment_mode;
}

void
gls_canvas_set_comment_mode (GlsCanvas *self,
                             gboolean   comment_mode)
{
  g_return_if_fail (GLS_IS_CANVAS (self));

  comment_mode = !!comment_mode;
  if (comment_mode == self->comment_mode)
    return;

  _gls_canvas_pointer_cancel (self);
  self->comment_mode = comment_mode;
  update_actions (self);
  update_cursor (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COMMENT_MODE]);
}

const char *
gls_canvas_get_selected (GlsCanvas *self)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), NULL);

  return self->selected;
}

void
gls_canvas_set_selected (GlsCanvas  *self,
                         const char *id)
{
  g_return_if_fail (GLS_IS_CANVAS (self));

  if (g_strcmp0 (id, self->selected) != 0)
    {
      g_free (self->selected);
      self->selected = g_strdup (id);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SELECTED]);
    }
}

void
gls_canvas_set_pins (GlsCanvas          *self,
                     const GlsCanvasPin *pins,
                     guint               n_pins)
{
  g_return_if_fail (GLS_IS_CANVAS (self));
  g_return_if_fail (pins != NULL || n_pins == 0);

  g_array_set_size (self->pins, 0);
  g_array_set_size (self->pins, n_pins);
  for (guint i = 0; i < n_pins; i++)
    {
      Pin *pin = &g_array_index (self->pins, Pin, i);

      pin->id = g_strdup (pins[i].id);
      pin->number = pins[i].number;
      pin->selector = pins[i].selector;
      pin->resolved = !!pins[i].resolved;
      pin->preview = g_strdup (pins[i].preview);
    }
  self->pins_serial++;

  /* The posted comment now has its own pin. */
  if (self->pending_posted)
    clear_pending (self);

  if (self->hover_pin != NULL)
    {
      g_clear_pointer (&self->hover_pin, g_free);
      _gls_canvas_hover (self, self->pointer_x, self->pointer_y);
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gls_canvas_reveal (GlsCanvas         *self,
                   const GlsSelector *selector)
{
  graphene_rect_t target, view;
  double width, height;

  g_return_if_fail (GLS_IS_CANVAS (self));
  g_return_if_fail (selector != NULL);

  if (self->document == NULL)
    return;

  if (selector->page >= 1 && gls_document_get_kind (self->document) == GLS_DESIGN_KIND_PDF)
    gls_canvas_set_page (self, selector->page);

  if (selector->kind == GLS_SELECTOR_NONE)
    return;

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  self->fit = FALSE;

  if (width <= 0 || height <= 0)
    {
      /* Not allocated yet: do it then. */
      self->reveal = *selector;
      self->has_reveal = TRUE;
      return;
    }

  graphene_rect_init (&target, selector->x, selector->y,
                      selector->kind == GLS_SELECTOR_RECT ? selector->width : 0,
                      selector->kind == GLS_SELECTOR_RECT ? selector->height : 0);
  visible_design_rect (self, MIN (REVEAL_MARGIN, MIN (width, height) / 4.0), &view);

  if (rect_contains (&view, &target))
    return;

  {
    double zoom = self->zoom;
    double room_w = MAX (16, width - 2 * REVEAL_MARGIN);
    double room_h = MAX (16, height - 2 * REVEAL_MARGIN);

    if (target.size.width * zoom > room_w)
      zoom = room_w / target.size.width;
    if (target.size.height * zoom > room_h)
      zoom = room_h / target.size.height;

    set_view (self, zoom,
              target.origin.x + target.size.width / 2.0,
              target.origin.y + target.size.height / 2.0);
  }
}
