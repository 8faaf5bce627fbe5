/* gls-canvas.c: the zoomable design canvas: its view of the page (zoom,
 * centre, page), the comment popover, properties, signals and lifecycle.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-canvas"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "gls-canvas-private.h"

#define FIT_MARGIN      24.0   /* px around the page when fitted */
#define KEEP_VISIBLE    64.0   /* px of the page that always stay on screen */
#define REVEAL_MARGIN   48.0
/* With more pins than this in view, they are drawn as one texture (a pin
 * layer) rather than a node each: GSK cannot batch thousands of nodes. */
#define LAYER_MIN_PINS     150

static const double zoom_levels[] = {
  0.01, 0.02, 0.03, 0.05, 0.0625, 0.0833, 0.1, 0.125, 0.1667, 0.25, 0.3333,
  0.5, 0.6667, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0,
  24.0, 32.0, 48.0, 64.0,
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

/* Geometry */

gboolean
_gls_canvas_get_page_size (GlsCanvas *self,
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

void
_gls_canvas_visible_design_rect (GlsCanvas       *self,
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

/* graphene_rect_contains_rect() compares a union for exact equality, which
 * float rounding defeats; allow a hair's breadth. */
gboolean
_gls_canvas_rect_contains (const graphene_rect_t *outer,
                           const graphene_rect_t *inner)
{
  const float eps = 1e-3f;

  return inner->origin.x >= outer->origin.x - eps &&
         inner->origin.y >= outer->origin.y - eps &&
         inner->origin.x + inner->size.width <= outer->origin.x + outer->size.width + eps &&
         inner->origin.y + inner->size.height <= outer->origin.y + outer->size.height + eps;
}

void
_gls_canvas_clamp_to_page (GlsCanvas *self,
                           double    *x,
                           double    *y)
{
  double page_width, page_height;

  _gls_canvas_get_page_size (self, &page_width, &page_height);
  *x = CLAMP (*x, 0, page_width);
  *y = CLAMP (*y, 0, page_height);
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

/* Moves the view; everything that changes the view goes through here. */
void
_gls_canvas_set_view (GlsCanvas *self,
                      double     zoom,
                      double     center_x,
                      double     center_y)
{
  double page_width, page_height;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  gboolean zoom_changed;

  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);

  if (_gls_canvas_get_page_size (self, &page_width, &page_height) && width > 0 && height > 0)
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
  _gls_canvas_schedule_render (self, FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  if (zoom_changed)
    {
      _gls_canvas_update_actions (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ZOOM]);
    }
}

static double
fit_zoom (GlsCanvas *self)
{
  double page_width, page_height;
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));

  if (!_gls_canvas_get_page_size (self, &page_width, &page_height))
    return 1.0;

  width = MAX (16.0, width - 2 * FIT_MARGIN);
  height = MAX (16.0, height - 2 * FIT_MARGIN);

  return MIN (width / page_width, height / page_height);
}

static void
apply_fit (GlsCanvas *self)
{
  double page_width, page_height;

  if (!_gls_canvas_get_page_size (self, &page_width, &page_height))
    return;
  if (gtk_widget_get_width (GTK_WIDGET (self)) <= 0)
    return;

  _gls_canvas_set_view (self, fit_zoom (self), page_width / 2.0, page_height / 2.0);
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
  _gls_canvas_set_view (self, zoom, dx - (x - width / 2.0) / zoom, dy - (y - height / 2.0) / zoom);
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
  _gls_canvas_set_view (self, self->zoom, x, y);
}

/* The comment popover, and drafts */

typedef struct
{
  GlsSelector  selector;
  char        *text;
} Draft;

static void
draft_free (gpointer data)
{
  Draft *draft = data;

  g_free (draft->text);
  g_free (draft);
}

static void
clear_pending (GlsCanvas *self)
{
  if (!self->has_pending)
    return;
  self->has_pending = FALSE;
  self->pending_posted = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* A comment with words in it, not posted: kept until posted or discarded. */
static gboolean
has_draft (GlsCanvas *self)
{
  return self->has_pending && !self->pending_posted &&
         gls_comment_popover_has_draft (self->popover);
}

/* The draft shown goes into the drafts of its key (without a key, drafts
 * are not kept from one document to the next). */
static void
store_draft (GlsCanvas *self)
{
  if (self->draft_key == NULL)
    return;

  if (has_draft (self))
    {
      Draft *draft = g_new0 (Draft, 1);

      draft->selector = self->pending;
      draft->text = gls_comment_popover_dup_text (self->popover);
      g_hash_table_replace (self->drafts, g_strdup (self->draft_key), draft);
    }
  else
    g_hash_table_remove (self->drafts, self->draft_key);
}

/* The draft of the key, if any, becomes the one shown. */
static void
restore_draft (GlsCanvas *self)
{
  Draft *draft;

  if (self->draft_key == NULL || self->document == NULL ||
      (draft = g_hash_table_lookup (self->drafts, self->draft_key)) == NULL)
    return;

  self->pending = draft->selector;
  self->has_pending = TRUE;
  self->pending_posted = FALSE;
  gls_comment_popover_set_text (self->popover, draft->text);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Puts the draft shown away and closes the popover without a word lost.
 * Without a document none is shown: the one kept stays as it is. */
static void
put_draft_away (GlsCanvas *self)
{
  if (self->document != NULL)
    store_draft (self);
  self->pending_posted = FALSE;
  if (gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    gtk_popover_popdown (GTK_POPOVER (self->popover));
  clear_pending (self);
  gls_comment_popover_set_text (self->popover, "");
}

void
_gls_canvas_open_comment (GlsCanvas         *self,
                          const GlsSelector *selector)
{
  /* A draft moves to the new place with its words. */
  if (!has_draft (self))
    gls_comment_popover_set_text (self->popover, "");

  self->pending = *selector;
  self->has_pending = TRUE;
  self->pending_posted = FALSE;

  update_popover_position (self);
  gtk_popover_popup (GTK_POPOVER (self->popover));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
_gls_canvas_reopen_draft (GlsCanvas *self)
{
  GlsSelector selector;

  g_return_val_if_fail (GLS_IS_CANVAS (self), FALSE);

  if (!has_draft (self) || self->document == NULL)
    return FALSE;

  selector = self->pending;
  gls_canvas_reveal (self, &selector);
  _gls_canvas_open_comment (self, &selector);
  return TRUE;
}

gboolean
_gls_canvas_draft_at (GlsCanvas *self,
                      double     x,
                      double     y)
{
  double px, py;

  if (!has_draft (self) || gtk_widget_get_visible (GTK_WIDGET (self->popover)) ||
      (self->pending.page != self->page && self->pending.page != 0))
    return FALSE;

  _gls_canvas_design_to_widget (self, self->pending.x, self->pending.y, &px, &py);
  return hypot (x - px, y - py) <= PIN_RADIUS + PIN_RING;
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
  if (self->draft_key != NULL)
    g_hash_table_remove (self->drafts, self->draft_key);
  selector = self->pending;
  g_signal_emit (self, signals [COMMENT_REQUESTED], 0, &selector, text);
}

static void
popover_closed_cb (GlsCanvas         *self,
                   GlsCommentPopover *popover)
{
  /* Escape or a click elsewhere keeps a draft, and its marker. */
  if (!self->pending_posted && !has_draft (self))
    clear_pending (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
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

void
_gls_canvas_activate_pin (GlsCanvas  *self,
                          const char *id)
{
  g_autofree char *copy = g_strdup (id);

  /* A cluster zooms in on its pins; one that no zoom parts opens its
   * first thread, which then stands apart, selected. */
  if (_gls_canvas_open_cluster (self, copy))
    return;

  gls_canvas_set_selected (self, copy);
  g_signal_emit (self, signals [PIN_ACTIVATED], 0, copy);
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

  _gls_canvas_invalidate_style (GLS_CANVAS (widget));
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
    _gls_canvas_set_view (self, self->zoom, self->center_x, self->center_y);

  update_popover_position (self);
  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));

  self->in_allocate = FALSE;

  _gls_canvas_schedule_render (self, FALSE);
}

static void
scale_factor_cb (GlsCanvas  *self,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  _gls_canvas_schedule_render (self, TRUE);
}

static void
gls_canvas_dispose (GObject *object)
{
  GlsCanvas *self = (GlsCanvas *)object;

  g_clear_handle_id (&self->render_source, g_source_remove);
  _gls_canvas_request_cancel (&self->base_request);
  _gls_canvas_request_cancel (&self->detail_request);
  _gls_canvas_render_clear (&self->base);
  _gls_canvas_render_clear (&self->detail);
  _gls_canvas_merged_clear (self);
  _gls_canvas_layer_clear (self);

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
  _gls_canvas_clusters_clear (self);
  g_clear_pointer (&self->badges, g_hash_table_unref);
  g_clear_pointer (&self->pending_badge, gsk_render_node_unref);
  g_clear_pointer (&self->arts, g_hash_table_unref);
  g_clear_pointer (&self->discs, g_hash_table_unref);
  g_clear_pointer (&self->selected, g_free);
  g_clear_pointer (&self->press_pin, g_free);
  g_clear_pointer (&self->hover_pin, g_free);
  g_clear_pointer (&self->draft_key, g_free);
  g_clear_pointer (&self->drafts, g_hash_table_unref);

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

  widget_class->snapshot = _gls_canvas_snapshot;
  widget_class->measure = gls_canvas_measure;
  widget_class->size_allocate = gls_canvas_size_allocate;
  widget_class->query_tooltip = _gls_canvas_query_tooltip;
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

  _gls_canvas_class_init_actions (widget_class);
  _gls_canvas_class_init_input (widget_class);

  gtk_widget_class_set_css_name (widget_class, "glscanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gls_canvas_init (GlsCanvas *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  self->zoom = 1.0;
  self->fit = TRUE;
  self->layer_min_pins = LAYER_MIN_PINS;
  self->pins = g_array_new (FALSE, TRUE, sizeof (Pin));
  g_array_set_clear_func (self->pins, _gls_canvas_pin_clear);
  self->badges = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) gsk_render_node_unref);
  self->arts = g_hash_table_new_full (NULL, NULL, NULL, _gls_canvas_badge_art_unref);
  self->discs = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) cairo_surface_destroy);
  self->drafts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, draft_free);

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_focus_on_click (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_has_tooltip (widget, TRUE);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_widget_set_vexpand (widget, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Design"),
                                  -1);

  _gls_canvas_init_input (self);
  _gls_canvas_init_crosshair (self);

  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (scale_factor_cb), NULL);

  self->popover = GLS_COMMENT_POPOVER (gls_comment_popover_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->popover), widget);
  g_signal_connect_object (self->popover, "submit", G_CALLBACK (popover_submit_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->popover, "closed", G_CALLBACK (popover_closed_cb), self, G_CONNECT_SWAPPED);

  _gls_canvas_update_actions (self);
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

  if (self->document == document)
    return;

  put_draft_away (self);
  g_set_object (&self->document, document);

  g_clear_handle_id (&self->render_source, g_source_remove);
  _gls_canvas_request_cancel (&self->base_request);
  _gls_canvas_request_cancel (&self->detail_request);
  _gls_canvas_render_clear (&self->base);
  _gls_canvas_render_clear (&self->detail);
  _gls_canvas_merged_clear (self);
  _gls_canvas_layer_clear (self);
  _gls_canvas_pointer_cancel (self);
  g_clear_pointer (&self->hover_pin, g_free);
  self->has_reveal = FALSE;
  restore_draft (self);

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

      _gls_canvas_get_page_size (self, &width, &height);
      self->center_x = width / 2.0;
      self->center_y = height / 2.0;
      apply_fit (self);
      _gls_canvas_schedule_render (self, TRUE);
    }

  _gls_canvas_update_actions (self);
  _gls_canvas_update_cursor (self);
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

  _gls_canvas_get_page_size (self, &old_width, &old_height);
  self->page = page;
  _gls_canvas_get_page_size (self, &width, &height);

  _gls_canvas_pointer_cancel (self);
  g_clear_pointer (&self->hover_pin, g_free);
  _gls_canvas_request_cancel (&self->detail_request);

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
      _gls_canvas_set_view (self, self->zoom, cx, cy);
    }

  _gls_canvas_schedule_render (self, TRUE);
  update_popover_position (self);
  _gls_canvas_update_actions (self);
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
  if (comment_mode)
    _gls_canvas_crosshair_reset (self);
  _gls_canvas_update_actions (self);
  _gls_canvas_update_cursor (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COMMENT_MODE]);

  /* Back to commenting: on with the comment left unposted. */
  if (comment_mode && !gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    _gls_canvas_reopen_draft (self);
}

const char *
gls_canvas_get_draft_key (GlsCanvas *self)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), NULL);

  return self->draft_key;
}

void
gls_canvas_set_draft_key (GlsCanvas  *self,
                          const char *key)
{
  g_return_if_fail (GLS_IS_CANVAS (self));

  if (g_strcmp0 (key, self->draft_key) == 0)
    return;

  put_draft_away (self);
  g_free (self->draft_key);
  self->draft_key = g_strdup (key);
  restore_draft (self);
}

char *
gls_canvas_dup_draft (GlsCanvas   *self,
                      GlsSelector *selector)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), NULL);

  if (!has_draft (self))
    return NULL;
  if (selector != NULL)
    *selector = self->pending;
  return gls_comment_popover_dup_text (self->popover);
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
      pin->carried = !!pins[i].carried;
      pin->version = pins[i].version;
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

  if (width <= 0 || height <= 0)
    {
      /* Not allocated yet: do it then. */
      self->fit = FALSE;
      self->reveal = *selector;
      self->has_reveal = TRUE;
      return;
    }

  graphene_rect_init (&target, selector->x, selector->y,
                      selector->kind == GLS_SELECTOR_RECT ? selector->width : 0,
                      selector->kind == GLS_SELECTOR_RECT ? selector->height : 0);
  _gls_canvas_visible_design_rect (self, MIN (REVEAL_MARGIN, MIN (width, height) / 4.0), &view);

  /* In view already: the view stays as it is (a fitted one fitted). */
  if (_gls_canvas_rect_contains (&view, &target))
    return;

  self->fit = FALSE;
  {
    double zoom = self->zoom;
    double room_w = MAX (16, width - 2 * REVEAL_MARGIN);
    double room_h = MAX (16, height - 2 * REVEAL_MARGIN);

    if (target.size.width * zoom > room_w)
      zoom = room_w / target.size.width;
    if (target.size.height * zoom > room_h)
      zoom = room_h / target.size.height;

    _gls_canvas_set_view (self, zoom,
                          target.origin.x + target.size.width / 2.0,
                          target.origin.y + target.size.height / 2.0);
  }
}
