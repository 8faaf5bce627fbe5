/* gls-canvas-input.c: the canvas's pointer, scroll, pinch and key
 * input: panning, zooming, pins clicked and comments marked.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-canvas"

#include "config.h"

#include <math.h>

#include "gls-canvas-private.h"

#define DRAG_THRESHOLD  4.0    /* px before a press becomes a drag */
#define WHEEL_STEP      48.0   /* px panned per wheel notch */

void
_gls_canvas_update_cursor (GlsCanvas *self)
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
  self->press_draft = FALSE;

  if (self->document != NULL && self->drag_mode != DRAG_PAN)
    {
      self->press_draft = _gls_canvas_draft_at (self, x, y);
      if (!self->press_draft)
        self->press_pin = g_strdup (_gls_canvas_get_pin_at (self, x, y));
    }

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
  _gls_canvas_update_cursor (self);
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
      _gls_canvas_update_cursor (self);
    }

  if (!self->dragged && self->drag_mode != DRAG_PAN)
    return;

  switch (self->drag_mode)
    {
    case DRAG_PRIMARY:
    case DRAG_PAN:
      self->fit = FALSE;
      _gls_canvas_set_view (self, self->zoom,
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
  else if (!self->dragged && self->press_draft)
    _gls_canvas_reopen_draft (self);
  else if (!self->dragged && press_pin != NULL)
    _gls_canvas_activate_pin (self, press_pin);
  else if (mode == DRAG_MARK)
    {
      GlsSelector selector = { GLS_SELECTOR_POINT, self->page, 0, 0, 0, 0 };
      double x0, y0, x1, y1;

      _gls_canvas_widget_to_design (self, self->press_x, self->press_y, &x0, &y0);
      _gls_canvas_clamp_to_page (self, &x0, &y0);

      if (self->dragged)
        {
          _gls_canvas_widget_to_design (self, x, y, &x1, &y1);
          _gls_canvas_clamp_to_page (self, &x1, &y1);
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

      _gls_canvas_open_comment (self, &selector);
    }
  else if (!self->dragged)
    gls_canvas_set_selected (self, NULL);

  self->dragged = FALSE;
  self->press_draft = FALSE;
  _gls_canvas_update_cursor (self);
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
  self->press_draft = FALSE;
  g_clear_pointer (&self->press_pin, g_free);
  _gls_canvas_update_cursor (self);
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
  _gls_canvas_update_cursor (self);
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
  _gls_canvas_set_view (self, self->zoom,
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
pan_key_cb (GtkWidget *widget,
            GVariant  *args,
            gpointer   user_data)
{
  GlsCanvas *self = GLS_CANVAS (widget);
  int dx, dy;

  if (self->document == NULL)
    return FALSE;

  g_variant_get (args, "(ii)", &dx, &dy);
  /* In comment mode arrows move where the comment will land. */
  if (self->comment_mode)
    return _gls_canvas_crosshair_key (self, dx, dy, FALSE, FALSE);
  self->fit = FALSE;
  _gls_canvas_set_view (self, self->zoom,
                        self->center_x + dx * gtk_widget_get_width (widget) / 10.0 / self->zoom,
                        self->center_y + dy * gtk_widget_get_height (widget) / 10.0 / self->zoom);
  return TRUE;
}

/* Shift grows the cross-hair's region, Ctrl moves it further. */
static gboolean
crosshair_key_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  int dx, dy;
  gboolean grow, fast;

  g_variant_get (args, "(iibb)", &dx, &dy, &grow, &fast);
  return _gls_canvas_crosshair_key (GLS_CANVAS (widget), dx, dy, grow, fast);
}

static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  GlsCanvas *self = GLS_CANVAS (widget);

  /* A drag first, then comment mode; else the window's (back to the list). */
  if (self->drag_mode != DRAG_NONE)
    {
      _gls_canvas_pointer_cancel (self);
      return TRUE;
    }
  if (self->comment_mode)
    {
      gls_canvas_set_comment_mode (self, FALSE);
      return TRUE;
    }
  return FALSE;
}

void
_gls_canvas_class_init_input (GtkWidgetClass *widget_class)
{
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Left, 0, pan_key_cb, "(ii)", -1, 0);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Right, 0, pan_key_cb, "(ii)", 1, 0);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Up, 0, pan_key_cb, "(ii)", 0, -1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Down, 0, pan_key_cb, "(ii)", 0, 1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);

  {
    static const struct { guint keyval; int dx, dy; } arrows[] = {
      { GDK_KEY_Left, -1, 0 }, { GDK_KEY_Right, 1, 0 },
      { GDK_KEY_Up, 0, -1 }, { GDK_KEY_Down, 0, 1 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (arrows); i++)
      {
        gtk_widget_class_add_binding (widget_class, arrows[i].keyval, GDK_SHIFT_MASK, crosshair_key_cb,
                                      "(iibb)", arrows[i].dx, arrows[i].dy, TRUE, FALSE);
        gtk_widget_class_add_binding (widget_class, arrows[i].keyval, GDK_CONTROL_MASK, crosshair_key_cb,
                                      "(iibb)", arrows[i].dx, arrows[i].dy, FALSE, TRUE);
        gtk_widget_class_add_binding (widget_class, arrows[i].keyval, GDK_SHIFT_MASK | GDK_CONTROL_MASK,
                                      crosshair_key_cb, "(iibb)", arrows[i].dx, arrows[i].dy, TRUE, TRUE);
      }
  }
}

/* The controllers that call the functions above. */
void
_gls_canvas_init_input (GlsCanvas *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *drag, *pinch;
  GtkEventController *motion, *scroll;

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
}
