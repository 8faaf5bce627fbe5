/* gls-canvas-private.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-canvas.h"
#include "gls-comment-popover.h"

G_BEGIN_DECLS

#define MIN_ZOOM        0.01
#define MAX_ZOOM        64.0
#define PIN_RADIUS      11.0
#define PIN_RING        2.0

typedef enum
{
  BADGE_NORMAL,
  BADGE_RESOLVED,
  BADGE_HOVER,
  BADGE_SELECTED,
  BADGE_CARRIED,  /* outlined: a thread of an earlier version */
} BadgeStyle;

/* Badges and discs are cached under (number or width) << BADGE_BITS | style. */
#define BADGE_BITS 3

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
  gboolean     carried;
  guint        version;
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

/* Pins whose badges overlap at the current zoom are drawn as one badge,
 * a cluster, with their count (gls-canvas-clusters.c). The selected pin
 * is never in one. */
typedef struct
{
  guint            leader;   /* the pin (index in pins) it is drawn at */
  guint            count;
  gboolean         resolved; /* every pin in it is */
} Cluster;

typedef struct
{
  GArray          *list;     /* of Cluster, each of two pins or more */
  GArray          *of_pin;   /* guint per pin: its cluster, or G_MAXUINT */
  GHashTable      *badges;   /* (count << 1 | resolved) → GskRenderNode */
  gboolean         valid;
  double           zoom;
  guint            page;
  guint            pins_serial;
  char            *selected;
  guint            serial;   /* bumped when the clusters change */
} Clusters;

/* Where a comment typed from the keyboard will land, in design units
 * (gls-canvas-crosshair.c); a region when width and height are > 0. */
typedef struct
{
  gboolean         placed;
  gboolean         moved;    /* by a key; until then, the view's centre */
  guint            page;
  double           x;
  double           y;
  double           width;
  double           height;
} Crosshair;

/* A texture with every pin of the page on it, at one zoom. */
typedef struct
{
  GdkTexture      *texture;
  cairo_surface_t *surface;  /* the texture's pixels, for merging */
  guint            page;
  double           zoom;
  int              scale_factor;
  guint            pins_serial;
  guint            clusters_serial;
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
  Crosshair          crosshair;
  char              *selected;

  GArray            *pins;    /* of Pin */
  Clusters           clusters;
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

  /* The comment being written: its marker stays while the popover is
   * closed with words in it (a draft), until posted or discarded */
  GlsCommentPopover *popover;
  gboolean           has_pending;
  gboolean           pending_posted;
  GlsSelector        pending;
  gboolean           press_draft;
  /* Drafts of the documents not shown: key → Draft */
  char              *draft_key;
  GHashTable        *drafts;

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

/* Shared between the canvas's files. */

/* gls-canvas.c */
gboolean       _gls_canvas_get_page_size       (GlsCanvas                   *self,
                                                double                      *width,
                                                double                      *height);
void           _gls_canvas_visible_design_rect (GlsCanvas                   *self,
                                                double                       margin,
                                                graphene_rect_t             *rect);
gboolean       _gls_canvas_rect_contains       (const graphene_rect_t       *outer,
                                                const graphene_rect_t       *inner);
void           _gls_canvas_clamp_to_page       (GlsCanvas                   *self,
                                                double                      *x,
                                                double                      *y);
void           _gls_canvas_set_view            (GlsCanvas                   *self,
                                                double                       zoom,
                                                double                       center_x,
                                                double                       center_y);
void           _gls_canvas_open_comment        (GlsCanvas                   *self,
                                                const GlsSelector           *selector);
void           _gls_canvas_activate_pin        (GlsCanvas                   *self,
                                                const char                  *id);

/* gls-canvas-actions.c */
void           _gls_canvas_class_init_actions  (GtkWidgetClass              *widget_class);
void           _gls_canvas_update_actions      (GlsCanvas                   *self);

/* gls-canvas-input.c */
void           _gls_canvas_class_init_input    (GtkWidgetClass              *widget_class);
void           _gls_canvas_init_input          (GlsCanvas                   *self);
void           _gls_canvas_update_cursor       (GlsCanvas                   *self);

/* gls-canvas-pins.c */
void           _gls_canvas_ensure_colors       (GlsCanvas                   *self);
void           _gls_canvas_invalidate_style    (GlsCanvas                   *self);
GskRenderNode *_gls_canvas_get_badge           (GlsCanvas                   *self,
                                                guint                        number,
                                                BadgeStyle                   style);
void           _gls_canvas_ensure_arts_scale   (GlsCanvas                   *self);
BadgeArt      *_gls_canvas_get_art             (GlsCanvas                   *self,
                                                guint                        number,
                                                BadgeStyle                   style);
void           _gls_canvas_badge_art_unref     (gpointer                     data);
void           _gls_canvas_pin_clear           (gpointer                     data);
gboolean       _gls_canvas_pin_on_page         (GlsCanvas                   *self,
                                                const Pin                   *pin);
/* A pin's badge when neither hovered nor selected. */
BadgeStyle     _gls_canvas_pin_plain_style     (const Pin                   *pin);
void           _gls_canvas_get_region_color    (GlsCanvas                   *self,
                                                const Pin                   *pin,
                                                GdkRGBA                     *color);
gboolean       _gls_canvas_query_tooltip       (GtkWidget                   *widget,
                                                int                          x,
                                                int                          y,
                                                gboolean                     keyboard_tooltip,
                                                GtkTooltip                  *tooltip);
void           _gls_canvas_append_badge        (GtkSnapshot                 *snapshot,
                                                GskRenderNode               *badge,
                                                double                       x,
                                                double                       y);
void           _gls_canvas_append_region       (GlsCanvas                   *self,
                                                GtkSnapshot                 *snapshot,
                                                const GlsSelector           *selector,
                                                const GdkRGBA               *color,
                                                gboolean                     highlight);
void           _gls_canvas_snapshot_pins       (GlsCanvas                   *self,
                                                GtkSnapshot                 *snapshot,
                                                double                       origin_x,
                                                double                       origin_y,
                                                gboolean                     merged);
void           _gls_canvas_snapshot_marks      (GlsCanvas                   *self,
                                                GtkSnapshot                 *snapshot);

/* gls-canvas-crosshair.c */
void           _gls_canvas_init_crosshair      (GlsCanvas                   *self);
void           _gls_canvas_snapshot_crosshair  (GlsCanvas                   *self,
                                                GtkSnapshot                 *snapshot);

/* gls-canvas-clusters.c */
void           _gls_canvas_ensure_clusters     (GlsCanvas                   *self);
void           _gls_canvas_clusters_clear      (GlsCanvas                   *self);
/* The cluster pin @index is drawn in, or NULL when it is drawn alone. */
const Cluster *_gls_canvas_get_pin_cluster     (GlsCanvas                   *self,
                                                guint                        index);
GskRenderNode *_gls_canvas_get_cluster_badge   (GlsCanvas                   *self,
                                                const Cluster               *cluster);
char          *_gls_canvas_dup_cluster_tooltip (GlsCanvas                   *self,
                                                const Cluster               *cluster);
/* Zooms in on the cluster drawn at pin @id so its pins stand apart;
 * FALSE when @id leads none, or no zoom would part them. */
gboolean       _gls_canvas_open_cluster        (GlsCanvas                   *self,
                                                const char                  *id);

/* gls-canvas-pin-layer.c */
GdkTexture    *_gls_canvas_texture_for_surface (cairo_surface_t             *surface);
gboolean       _gls_canvas_rect_int_contains   (const cairo_rectangle_int_t *outer,
                                                const cairo_rectangle_int_t *inner);
gboolean       _gls_canvas_layer_is_current    (GlsCanvas                   *self);
void           _gls_canvas_layer_clear         (GlsCanvas                   *self);
gboolean       _gls_canvas_wants_layer         (GlsCanvas                   *self,
                                                graphene_rect_t             *visible);
void           _gls_canvas_snapshot_pin_layer  (GlsCanvas                   *self,
                                                GtkSnapshot                 *snapshot,
                                                double                       origin_x,
                                                double                       origin_y,
                                                gboolean                     merged);

/* gls-canvas-render.c */
void           _gls_canvas_render_clear        (Render                      *render);
void           _gls_canvas_request_cancel      (Request                     *request);
void           _gls_canvas_schedule_render     (GlsCanvas                   *self,
                                                gboolean                     now);
void           _gls_canvas_merged_clear        (GlsCanvas                   *self);
void           _gls_canvas_snapshot            (GtkWidget                   *widget,
                                                GtkSnapshot                 *snapshot);

/*
 * The canvas's own input handling, which its event controllers call. Tests
 * drive the canvas through these because GTK 4 cannot inject events.
 * Coordinates are widget coordinates.
 */

/* Primary button: pans, or marks a comment in comment mode; a click on a
 * pin activates it. */
void               _gls_canvas_pointer_press      (GlsCanvas         *self,
                                                   double             x,
                                                   double             y);
/* Middle button: always pans. */
void               _gls_canvas_pan_press          (GlsCanvas         *self,
                                                   double             x,
                                                   double             y);
void               _gls_canvas_pointer_motion     (GlsCanvas         *self,
                                                   double             x,
                                                   double             y);
void               _gls_canvas_pointer_release    (GlsCanvas         *self,
                                                   double             x,
                                                   double             y);
void               _gls_canvas_pointer_cancel     (GlsCanvas         *self);
void               _gls_canvas_hover              (GlsCanvas         *self,
                                                   double             x,
                                                   double             y);
void               _gls_canvas_hover_leave        (GlsCanvas         *self);
/* Returns whether the scroll was used. The pointer position is the last
 * one given to _gls_canvas_hover(). */
gboolean           _gls_canvas_scroll             (GlsCanvas         *self,
                                                   double             dx,
                                                   double             dy,
                                                   GdkModifierType    state,
                                                   GdkScrollUnit      unit);
void               _gls_canvas_pinch_begin        (GlsCanvas         *self,
                                                   double             x,
                                                   double             y);
void               _gls_canvas_pinch_scale        (GlsCanvas         *self,
                                                   double             scale);
/* Sets the zoom keeping the design point under (x, y) in place. */
void               _gls_canvas_zoom_at            (GlsCanvas         *self,
                                                   double             zoom,
                                                   double             x,
                                                   double             y);

/* Keyboard commenting: the cross-hair shows in comment mode while the
 * canvas has the focus and no composer is open. */
gboolean           _gls_canvas_crosshair_visible  (GlsCanvas         *self);
void               _gls_canvas_crosshair_reset    (GlsCanvas         *self);
/* Where Enter would pin a comment: a point, or the region grown. */
void               _gls_canvas_get_crosshair      (GlsCanvas         *self,
                                                   GlsSelector       *selector);
/* An arrow key (@dx, @dy in -1, 0, 1): moves the cross-hair, or with
 * @grow its region; @fast for Ctrl. FALSE outside comment mode. */
gboolean           _gls_canvas_crosshair_key      (GlsCanvas         *self,
                                                   int                dx,
                                                   int                dy,
                                                   gboolean           grow,
                                                   gboolean           fast);

GlsCommentPopover *_gls_canvas_get_comment_popover (GlsCanvas        *self);
/* The marker of a comment being written (or just posted). */
gboolean           _gls_canvas_get_pending        (GlsCanvas         *self,
                                                   GlsSelector       *out);
/* TRUE when (x, y) is on the marker of a draft whose popover is closed. */
gboolean           _gls_canvas_draft_at           (GlsCanvas         *self,
                                                   double             x,
                                                   double             y);
/* Opens the popover on the draft again; FALSE when there is none. */
gboolean           _gls_canvas_reopen_draft       (GlsCanvas         *self);
/* How many pins the cluster drawn at (x, y) holds; 0 for none. */
guint              _gls_canvas_get_cluster_size_at (GlsCanvas       *self,
                                                   double             x,
                                                   double             y);
/* How many clusters the current page shows at the current zoom. */
guint              _gls_canvas_get_n_clusters     (GlsCanvas         *self);
/* The id of the pin drawn at (x, y), or NULL: a cluster's leading pin. */
const char        *_gls_canvas_get_pin_at         (GlsCanvas         *self,
                                                   double             x,
                                                   double             y);
/* The tooltip text shown at (x, y), or NULL. */
char              *_gls_canvas_dup_tooltip_at     (GlsCanvas         *self,
                                                   double             x,
                                                   double             y);
void               _gls_canvas_get_pin_color      (GlsCanvas         *self,
                                                   gboolean           resolved,
                                                   GdkRGBA           *color);

void               _gls_canvas_widget_to_design   (GlsCanvas         *self,
                                                   double             wx,
                                                   double             wy,
                                                   double            *dx,
                                                   double            *dy);
void               _gls_canvas_design_to_widget   (GlsCanvas         *self,
                                                   double             dx,
                                                   double             dy,
                                                   double            *wx,
                                                   double            *wy);
/* The design point at the centre of the view. */
void               _gls_canvas_get_center         (GlsCanvas         *self,
                                                   double            *x,
                                                   double            *y);
void               _gls_canvas_set_center         (GlsCanvas         *self,
                                                   double             x,
                                                   double             y);
/* TRUE when the page is drawn from renders at the current zoom and none is
 * pending. A raster image zoomed to less than 0.9 device pixels per image
 * pixel is drawn from a copy scaled to the zoom, made in the document's
 * worker once the zoom settles; otherwise from the image itself, which is
 * always current. */
gboolean           _gls_canvas_is_render_current  (GlsCanvas         *self);
/* How many scaled copies of a raster image have arrived so far. */
guint              _gls_canvas_get_raster_renders (GlsCanvas         *self);
/* TRUE when the last frame drew a raster image from its copy scaled to the
 * zoom (FALSE: from the image itself, or not a raster image). */
gboolean           _gls_canvas_get_prescaled_used (GlsCanvas         *self);
/* With a pin layer over such a copy, the two are merged into one texture in
 * a worker thread once both are of the current view; the layer is then
 * drawn only around the page. How many merges have arrived so far: */
guint              _gls_canvas_get_merge_renders  (GlsCanvas         *self);
/* TRUE when the last frame drew the merged texture. */
gboolean           _gls_canvas_get_merged_used    (GlsCanvas         *self);
/* Merging is on unless turned off here. */
void               _gls_canvas_set_merge_enabled  (GlsCanvas         *self,
                                                   gboolean           enabled);
/* In the last frame, how many texels of the page's (topmost) texture span
 * one device pixel: 1 when it is drawn 1:1; 0 when none was drawn. */
double             _gls_canvas_get_texels_per_pixel (GlsCanvas       *self);

/* Many pins in view are drawn as one texture, a pin layer, made again only
 * when the pins, the zoom, the page or the style change; in a worker
 * thread, the last one drawn scaled meanwhile, unless there is none for the
 * page. How many layers were made so far: */
guint              _gls_canvas_get_layer_renders  (GlsCanvas         *self);
/* The layer is used with more than this many pins in view (150 unless
 * set; G_MAXUINT: never). */
void               _gls_canvas_set_layer_min_pins (GlsCanvas         *self,
                                                   guint              n_pins);
/* TRUE when the last frame drew its pins as a layer. */
gboolean           _gls_canvas_get_layer_used     (GlsCanvas         *self);
/* FALSE while the last frame drew a layer made for another view, or one is
 * being made. */
gboolean           _gls_canvas_is_layer_current   (GlsCanvas         *self);
/* How long the last layer took to make, in ms: in its frame, or its job in
 * the frame plus its drawing in the worker. */
double             _gls_canvas_get_layer_ms       (GlsCanvas         *self);

G_END_DECLS
