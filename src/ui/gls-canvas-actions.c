/* gls-canvas-actions.c: the canvas's actions and the keys that
 * activate them.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-canvas"

#include "config.h"

#include "gls-canvas-private.h"

void
_gls_canvas_update_actions (GlsCanvas *self)
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
  GlsSelector selector;

  if (self->document == NULL || !self->comment_mode)
    return;

  /* Where the cross-hair is (the centre of the view unless moved). */
  _gls_canvas_get_crosshair (self, &selector);
  _gls_canvas_open_comment (self, &selector);
  self->crosshair.width = self->crosshair.height = 0;
}

void
_gls_canvas_class_init_actions (GtkWidgetClass *widget_class)
{
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
}
