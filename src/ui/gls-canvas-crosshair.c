/* gls-canvas-crosshair.c: commenting from the keyboard. In comment
 * mode, while the canvas has the focus, a cross-hair shows where the
 * pin will land; arrows move it (Ctrl: further), Shift+arrows grow a
 * region from it, Enter opens the composer there.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-canvas"

#include "config.h"

#include <math.h>

#include "gls-canvas-private.h"

#define STEP        10.0   /* px an arrow moves the cross-hair */
#define FAST_STEP   50.0   /* with Ctrl */
#define ARM         14.0   /* px of each arm of the cross */
#define GAP         4.0    /* px left open at its centre */
#define EDGE        32.0   /* px kept between the cross-hair and the view's edge */

gboolean
_gls_canvas_crosshair_visible (GlsCanvas *self)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), FALSE);

  return self->document != NULL && self->comment_mode &&
         gtk_widget_has_focus (GTK_WIDGET (self)) &&
         !gtk_widget_get_visible (GTK_WIDGET (self->popover));
}

/* At the centre of the view, a point again. */
void
_gls_canvas_crosshair_reset (GlsCanvas *self)
{
  Crosshair *c = &self->crosshair;

  g_return_if_fail (GLS_IS_CANVAS (self));

  c->placed = TRUE;
  c->moved = FALSE;
  c->page = self->page;
  c->x = self->center_x;
  c->y = self->center_y;
  c->width = c->height = 0;
  _gls_canvas_clamp_to_page (self, &c->x, &c->y);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Placed anew when it is on another page or out of view. */
static void
ensure_placed (GlsCanvas *self)
{
  Crosshair *c = &self->crosshair;
  graphene_rect_t view;

  _gls_canvas_visible_design_rect (self, 0, &view);
  if (!c->moved)
    {
      c->x = self->center_x;
      c->y = self->center_y;
      _gls_canvas_clamp_to_page (self, &c->x, &c->y);
    }
  if (!c->placed || c->page != self->page ||
      !graphene_rect_contains_point (&view, &GRAPHENE_POINT_INIT (c->x, c->y)))
    _gls_canvas_crosshair_reset (self);
}

void
_gls_canvas_get_crosshair (GlsCanvas   *self,
                           GlsSelector *selector)
{
  Crosshair *c = &self->crosshair;

  g_return_if_fail (GLS_IS_CANVAS (self));

  ensure_placed (self);
  *selector = (GlsSelector) { GLS_SELECTOR_POINT, self->page, c->x, c->y, 0, 0 };
  if (c->width > 0 && c->height > 0)
    {
      selector->kind = GLS_SELECTOR_RECT;
      selector->width = c->width;
      selector->height = c->height;
    }
}

/* The view follows a cross-hair that nears its edge. */
static void
keep_in_view (GlsCanvas *self,
              double     x,
              double     y)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double edge = MIN (EDGE, MIN (width, height) / 4.0);
  double wx, wy, shift_x = 0, shift_y = 0;

  _gls_canvas_design_to_widget (self, x, y, &wx, &wy);
  if (wx < edge)
    shift_x = wx - edge;
  else if (wx > width - edge)
    shift_x = wx - (width - edge);
  if (wy < edge)
    shift_y = wy - edge;
  else if (wy > height - edge)
    shift_y = wy - (height - edge);

  if (shift_x != 0 || shift_y != 0)
    {
      self->fit = FALSE;
      _gls_canvas_set_view (self, self->zoom,
                            self->center_x + shift_x / self->zoom,
                            self->center_y + shift_y / self->zoom);
    }
}

/* An arrow in comment mode: @dx, @dy are -1, 0 or 1. */
gboolean
_gls_canvas_crosshair_key (GlsCanvas *self,
                           int        dx,
                           int        dy,
                           gboolean   grow,
                           gboolean   fast)
{
  Crosshair *c = &self->crosshair;
  double step;
  double page_width = 0, page_height = 0;

  g_return_val_if_fail (GLS_IS_CANVAS (self), FALSE);

  if (self->document == NULL || !self->comment_mode)
    return FALSE;

  ensure_placed (self);
  c->moved = TRUE;
  step = (fast ? FAST_STEP : STEP) / self->zoom;
  _gls_canvas_get_page_size (self, &page_width, &page_height);

  if (grow)
    {
      /* A region starts a step wide and high; it shrinks back to a point. */
      if (c->width <= 0 || c->height <= 0)
        {
          c->width = MIN (step, MAX (0, page_width - c->x));
          c->height = MIN (step, MAX (0, page_height - c->y));
          if (dx < 0 || dy < 0)
            c->width = c->height = 0;
        }
      else
        {
          c->width = CLAMP (c->width + dx * step, 0, MAX (0, page_width - c->x));
          c->height = CLAMP (c->height + dy * step, 0, MAX (0, page_height - c->y));
        }
      if (c->width <= 0 || c->height <= 0)
        c->width = c->height = 0;
      keep_in_view (self, c->x + c->width, c->y + c->height);
    }
  else
    {
      c->x = CLAMP (c->x + dx * step, 0, page_width);
      c->y = CLAMP (c->y + dy * step, 0, page_height);
      /* A region moves along, within the page. */
      c->width = MIN (c->width, MAX (0, page_width - c->x));
      c->height = MIN (c->height, MAX (0, page_height - c->y));
      if (c->width <= 0 || c->height <= 0)
        c->width = c->height = 0;
      keep_in_view (self, c->x, c->y);
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

static void
append_bar (GtkSnapshot   *snapshot,
            double         x,
            double         y,
            double         width,
            double         height,
            const GdkRGBA *color)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}

void
_gls_canvas_snapshot_crosshair (GlsCanvas   *self,
                                GtkSnapshot *snapshot)
{
  Crosshair *c = &self->crosshair;
  double x, y;

  if (!_gls_canvas_crosshair_visible (self))
    return;

  ensure_placed (self);
  _gls_canvas_ensure_colors (self);

  if (c->width > 0 && c->height > 0)
    {
      GlsSelector region = { GLS_SELECTOR_RECT, self->page, c->x, c->y, c->width, c->height };

      _gls_canvas_append_region (self, snapshot, &region, &self->accent, TRUE);
    }

  /* Whole pixels: the 2 px arms stay crisp. A white outline keeps them
   * visible on any design. */
  _gls_canvas_design_to_widget (self, c->x, c->y, &x, &y);
  x = round (x);
  y = round (y);
  for (int pass = 0; pass < 2; pass++)
    {
      const GdkRGBA *color = pass == 0 ? &self->ring : &self->accent;
      double w = pass == 0 ? 4 : 2;

      append_bar (snapshot, x - ARM - (w - 2) / 2, y - w / 2, ARM - GAP + (w - 2), w, color);
      append_bar (snapshot, x + GAP - (w - 2) / 2, y - w / 2, ARM - GAP + (w - 2), w, color);
      append_bar (snapshot, x - w / 2, y - ARM - (w - 2) / 2, w, ARM - GAP + (w - 2), color);
      append_bar (snapshot, x - w / 2, y + GAP - (w - 2) / 2, w, ARM - GAP + (w - 2), color);
    }
}

static void
focus_changed_cb (GlsCanvas *self)
{
  if (self->comment_mode)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_gls_canvas_init_crosshair (GlsCanvas *self)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect_object (focus, "enter", G_CALLBACK (focus_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (focus, "leave", G_CALLBACK (focus_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
}
