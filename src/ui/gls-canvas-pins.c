/* gls-canvas-pins.c: the canvas's pins: their badges and
 * regions, where they are, which one is under the pointer.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-canvas"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "gls-canvas-private.h"

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

void
_gls_canvas_ensure_colors (GlsCanvas *self)
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
  _gls_canvas_ensure_colors (self);
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

    case BADGE_CARRIED:
      *fill = &self->ring;
      *fg = &self->accent;
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

  /* Carried: outlined, a white disc in an accent ring (and a white rim
   * around that, for dark designs). */
  if (style == BADGE_CARRIED)
    {
      double grow = PIN_RING + 2;

      graphene_rect_init (&rect, -width / 2 - grow, -height / 2 - grow, width + 2 * grow, height + 2 * grow);
      append_disc (snapshot, &rect, &self->ring);
      graphene_rect_init (&rect, -width / 2 - PIN_RING, -height / 2 - PIN_RING,
                          width + 2 * PIN_RING, height + 2 * PIN_RING);
      append_disc (snapshot, &rect, &self->accent);
      graphene_rect_init (&rect, -width / 2 + 1, -height / 2 + 1, width - 2, height - 2);
      append_disc (snapshot, &rect, fill);
      return;
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

  _gls_canvas_ensure_colors (self);

  layout = badge_layout (self, label, &logical);
  badge_geometry (self, style, &logical, &width, &height, &fill, &fg);
  append_badge_disc (self, snapshot, style, width, height, fill);

  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (-logical.width / 2.0 - logical.x,
                                                -logical.height / 2.0 - logical.y));
  gtk_snapshot_append_layout (snapshot, layout, fg);

  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

GskRenderNode *
_gls_canvas_get_badge (GlsCanvas  *self,
                       guint       number,
                       BadgeStyle  style)
{
  gpointer key = GUINT_TO_POINTER ((number << BADGE_BITS) | style);
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

void
_gls_canvas_badge_art_unref (gpointer data)
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
  gpointer key = GUINT_TO_POINTER (((guint) width << BADGE_BITS) | style);
  double scale = self->arts_scale;
  double ring = style == BADGE_CARRIED ? PIN_RING + 2 : PIN_RING;
  double half_w = width / 2 + ring, half_h = height / 2 + ring;
  double left = floor (half_w * scale), top = floor (half_h * scale);
  cairo_surface_t *surface;

  g_assert (style == BADGE_NORMAL || style == BADGE_RESOLVED || style == BADGE_CARRIED);

  *x = -left / scale;
  *y = -top / scale;

  surface = g_hash_table_lookup (self->discs, key);
  if (surface == NULL)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      const GdkRGBA *fill = style == BADGE_RESOLVED ? &self->muted
                            : style == BADGE_CARRIED ? &self->ring : &self->accent;
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

void
_gls_canvas_ensure_arts_scale (GlsCanvas *self)
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
BadgeArt *
_gls_canvas_get_art (GlsCanvas  *self,
                     guint       number,
                     BadgeStyle  style)
{
  gpointer key = GUINT_TO_POINTER ((number << BADGE_BITS) | style);
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

void
_gls_canvas_invalidate_style (GlsCanvas *self)
{
  self->colors_valid = FALSE;
  self->style_serial++;
  g_hash_table_remove_all (self->badges);
  g_hash_table_remove_all (self->arts);
  g_hash_table_remove_all (self->discs);
  g_clear_pointer (&self->pending_badge, gsk_render_node_unref);
  if (self->clusters.badges != NULL)
    g_hash_table_remove_all (self->clusters.badges);
}

/* Pins */

void
_gls_canvas_pin_clear (gpointer data)
{
  Pin *pin = data;

  g_clear_pointer (&pin->id, g_free);
  g_clear_pointer (&pin->preview, g_free);
}

gboolean
_gls_canvas_pin_on_page (GlsCanvas *self,
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
  return pin->resolved ? BADGE_RESOLVED : pin->carried ? BADGE_CARRIED : BADGE_NORMAL;
}

BadgeStyle
_gls_canvas_pin_plain_style (const Pin *pin)
{
  return pin->resolved ? BADGE_RESOLVED : pin->carried ? BADGE_CARRIED : BADGE_NORMAL;
}

void
_gls_canvas_get_region_color (GlsCanvas *self,
                              const Pin *pin,
                              GdkRGBA   *color)
{
  _gls_canvas_ensure_colors (self);
  *color = pin->resolved ? self->muted : self->accent;
  /* A carried region is fainter than the version's own. */
  if (pin->carried && !pin->resolved)
    color->alpha *= 0.55;
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

/* The badge a pin is drawn with: its own, or its cluster's. */
static GskRenderNode *
pin_badge (GlsCanvas *self,
           const Pin *pin)
{
  const Cluster *cluster = _gls_canvas_get_pin_cluster (self, pin - (const Pin *) (void *) self->pins->data);

  if (cluster != NULL)
    return _gls_canvas_get_cluster_badge (self, cluster);
  return _gls_canvas_get_badge (self, pin->number, pin_style (self, pin));
}

static gboolean
pin_hit (GlsCanvas *self,
         const Pin *pin,
         double     x,
         double     y)
{
  GskRenderNode *badge = pin_badge (self, pin);
  const Cluster *cluster = _gls_canvas_get_pin_cluster (self, pin - (const Pin *) (void *) self->pins->data);
  graphene_rect_t bounds;
  double ax, ay;

  /* A cluster is hit on its badge, at its leading pin. */
  if (cluster != NULL && &g_array_index (self->pins, Pin, cluster->leader) != pin)
    return FALSE;

  pin_anchor (self, &pin->selector, &ax, &ay);
  gsk_render_node_get_bounds (badge, &bounds);
  if (graphene_rect_contains_point (&bounds, &GRAPHENE_POINT_INIT (x - ax, y - ay)))
    return TRUE;

  if (pin->selector.kind == GLS_SELECTOR_RECT && !self->comment_mode && cluster == NULL)
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
  _gls_canvas_ensure_clusters (self);

  /* Top-most first: the selected pin, then open ones, then resolved. */
  for (guint i = 0; i < self->pins->len; i++)
    {
      const Pin *pin = &g_array_index (self->pins, Pin, i);

      if (self->selected != NULL && g_strcmp0 (pin->id, self->selected) == 0)
        {
          if (_gls_canvas_pin_on_page (self, pin) && pin_hit (self, pin, x, y))
            return pin;
          selected = pin;
        }
    }

  for (int pass = 0; pass < 2; pass++)
    for (guint i = self->pins->len; i > 0; i--)
      {
        const Pin *pin = &g_array_index (self->pins, Pin, i - 1);

        if (pin == selected || pin->resolved != (pass == 1) || !_gls_canvas_pin_on_page (self, pin))
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
  const Cluster *cluster;
  glong len;

  if (pin == NULL)
    return NULL;

  cluster = _gls_canvas_get_pin_cluster (self, pin - (const Pin *) (void *) self->pins->data);
  if (cluster != NULL)
    return _gls_canvas_dup_cluster_tooltip (self, cluster);

  if (pin->preview == NULL || pin->preview[0] == '\0')
    return pin->version > 0
           /* Translators: the tooltip of a pin of an earlier version's thread without text */
           ? g_strdup_printf (_("Comment %u (version %u)"), pin->number, pin->version)
           : g_strdup_printf (_("Comment %u"), pin->number);

  /* One short line: the first comment, ellipsized. */
  flat = g_strdup (pin->preview);
  g_strdelimit (flat, "\n\r\t", ' ');
  g_strstrip (flat);
  len = g_utf8_strlen (flat, -1);
  if (len > 120)
    {
      g_autofree char *head = g_utf8_substring (flat, 0, 119);

      g_free (flat);
      flat = g_strconcat (head, "…", NULL);
    }

  if (pin->version > 0)
    /* Translators: the tooltip of a pin of a thread made on an earlier version: its version and text */
    return g_strdup_printf (_("Version %u: %s"), pin->version, flat);

  return g_steal_pointer (&flat);
}

gboolean
_gls_canvas_query_tooltip (GtkWidget  *widget,
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

  badge = pin_badge (self, pin);
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

/* Drawing */

void
_gls_canvas_append_badge (GtkSnapshot   *snapshot,
                          GskRenderNode *badge,
                          double         x,
                          double         y)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_node (snapshot, badge);
  gtk_snapshot_restore (snapshot);
}

void
_gls_canvas_append_region (GlsCanvas         *self,
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

/* With @merged, a layer is already drawn on the page. */
void
_gls_canvas_snapshot_pins (GlsCanvas   *self,
                           GtkSnapshot *snapshot,
                           double       origin_x,
                           double       origin_y,
                           gboolean     merged)
{
  graphene_rect_t visible;
  const Pin *selected = NULL;
  GdkRGBA color;

  self->layer_used = FALSE;

  if (self->pins->len == 0)
    return;

  _gls_canvas_ensure_colors (self);

  if (_gls_canvas_wants_layer (self, &visible))
    {
      self->layer_used = TRUE;
      _gls_canvas_snapshot_pin_layer (self, snapshot, origin_x, origin_y, merged);
      return;
    }

  /* Regions first, under every badge. */
  for (guint i = 0; i < self->pins->len; i++)
    {
      const Pin *pin = &g_array_index (self->pins, Pin, i);
      graphene_rect_t rect;

      if (pin->selector.kind != GLS_SELECTOR_RECT || !_gls_canvas_pin_on_page (self, pin))
        continue;
      graphene_rect_init (&rect, pin->selector.x, pin->selector.y,
                          MAX (pin->selector.width, 0.001), MAX (pin->selector.height, 0.001));
      if (!graphene_rect_intersection (&rect, &visible, NULL))
        continue;
      if (self->selected != NULL && g_strcmp0 (pin->id, self->selected) == 0)
        continue;
      _gls_canvas_get_region_color (self, pin, &color);
      _gls_canvas_append_region (self, snapshot, &pin->selector, &color, FALSE);
    }

  /* Resolved badges under open ones; the selected one on top of all.
   * A cluster is drawn once, at its leading pin. */
  _gls_canvas_ensure_clusters (self);
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < self->pins->len; i++)
      {
        const Pin *pin = &g_array_index (self->pins, Pin, i);
        const Cluster *cluster = _gls_canvas_get_pin_cluster (self, i);
        double x, y;

        if (cluster != NULL)
          {
            if (cluster->leader != i || cluster->resolved != (pass == 0))
              continue;
            if (!graphene_rect_contains_point (&visible, &GRAPHENE_POINT_INIT (pin->selector.x, pin->selector.y)))
              continue;
            pin_anchor (self, &pin->selector, &x, &y);
            _gls_canvas_append_badge (snapshot, _gls_canvas_get_cluster_badge (self, cluster), x, y);
            continue;
          }
        if (pin->resolved != (pass == 0) || !_gls_canvas_pin_on_page (self, pin))
          continue;
        if (!graphene_rect_contains_point (&visible, &GRAPHENE_POINT_INIT (pin->selector.x, pin->selector.y)))
          continue;
        if (self->selected != NULL && g_strcmp0 (pin->id, self->selected) == 0)
          {
            selected = pin;
            continue;
          }

        pin_anchor (self, &pin->selector, &x, &y);
        _gls_canvas_append_badge (snapshot,
                                  _gls_canvas_get_badge (self, pin->number, pin_style (self, pin)),
                                  x, y);
      }

  if (selected == NULL && self->selected != NULL)
    {
      for (guint i = 0; i < self->pins->len; i++)
        {
          const Pin *pin = &g_array_index (self->pins, Pin, i);

          if (g_strcmp0 (pin->id, self->selected) == 0 && _gls_canvas_pin_on_page (self, pin) &&
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
        _gls_canvas_append_region (self, snapshot, &selected->selector, &self->accent, TRUE);
      pin_anchor (self, &selected->selector, &x, &y);
      _gls_canvas_append_badge (snapshot,
                                _gls_canvas_get_badge (self, selected->number, BADGE_SELECTED),
                                x, y);
    }
}

void
_gls_canvas_snapshot_marks (GlsCanvas   *self,
                            GtkSnapshot *snapshot)
{
  _gls_canvas_ensure_colors (self);

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
      _gls_canvas_append_region (self, snapshot, &band, &self->accent, TRUE);
    }

  if (self->has_pending && (self->pending.page == self->page || self->pending.page == 0))
    {
      double x, y;

      if (self->pending.kind == GLS_SELECTOR_RECT)
        _gls_canvas_append_region (self, snapshot, &self->pending, &self->accent, TRUE);
      _gls_canvas_design_to_widget (self, self->pending.x, self->pending.y, &x, &y);
      _gls_canvas_append_badge (snapshot, get_pending_badge (self), x, y);
    }

  _gls_canvas_snapshot_crosshair (self, snapshot);
}
