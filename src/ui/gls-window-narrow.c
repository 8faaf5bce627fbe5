/* gls-window-narrow.c: the window from 360 px wide up. Below about
 * 800 px the threads panel and the designs sidebar fold into overlays
 * over the design (Ctrl+F9, a pin, F9 bring them); below 600 px the header bar keeps only what has no
 * other way in (Open, Peers and Compare are in the menu, zoom has its
 * keys).
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-window"

#include "config.h"

#include "gls-window-private.h"

#define FOLD_WIDTH    800
#define NARROW_WIDTH  600

gboolean
_gls_window_get_threads_folded (GlsWindow *self)
{
  return adw_flap_get_folded (self->threads_flap);
}

gboolean
_gls_window_get_narrow (GlsWindow *self)
{
  return !gtk_widget_get_visible (self->open_bin);
}

/* Not while the window is being allocated: these change its size. */
static gboolean
apply_width_idle (gpointer data)
{
  GlsWindow *self = data;
  gboolean fold = self->width < FOLD_WIDTH;
  gboolean narrow = self->width < NARROW_WIDTH;

  self->width_idle = 0;

  /* Wider, it folds only when the panel and the design do not fit side
   * by side: the window's minimum width never counts the panel. */
  adw_flap_set_fold_policy (self->threads_flap,
                            fold ? ADW_FLAP_FOLD_POLICY_ALWAYS : ADW_FLAP_FOLD_POLICY_AUTO);
  /* The designs sidebar too: the design keeps the window's width. */
  adw_flap_set_fold_policy (self->flap,
                            fold ? ADW_FLAP_FOLD_POLICY_ALWAYS : ADW_FLAP_FOLD_POLICY_AUTO);

  gtk_widget_set_visible (self->open_bin, !narrow);
  gtk_widget_set_visible (self->peers_bin, !narrow);
  gtk_widget_set_visible (self->zoom_bin, !narrow);
  gtk_widget_set_visible (self->compare_button_bin, !narrow);

  return G_SOURCE_REMOVE;
}

static void
width_watch_resize_cb (GlsWindow      *self,
                       int             width,
                       int             height,
                       GtkDrawingArea *area)
{
  if (width <= 0 || width == self->width)
    return;

  self->width = width;
  if (self->width_idle == 0)
    self->width_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, apply_width_idle, self, NULL);
}

/* An overlay would cover the design: it waits to be asked for. Wide
 * again, the panel is back beside it. (An unlocked AdwFlap does so only
 * when it folds by itself.) */
static void
flap_folded_cb (GlsWindow *self,
                GParamSpec *pspec,
                AdwFlap   *flap)
{
  adw_flap_set_reveal_flap (flap, !adw_flap_get_folded (flap));
}

void
_gls_window_init_narrow (GlsWindow *self)
{
  g_signal_connect_object (self->threads_flap, "notify::folded",
                           G_CALLBACK (flap_folded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flap, "notify::folded",
                           G_CALLBACK (flap_folded_cb), self, G_CONNECT_SWAPPED);
}

void
_gls_window_dispose_narrow (GlsWindow *self)
{
  g_clear_handle_id (&self->width_idle, g_source_remove);
}

void
_gls_window_class_init_narrow (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, threads_flap);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, open_bin);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, peers_bin);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, zoom_bin);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, compare_button_bin);
  gtk_widget_class_bind_template_callback (widget_class, width_watch_resize_cb);
}
