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

GlsCommentPopover *_gls_canvas_get_comment_popover (GlsCanvas        *self);
/* The marker of a comment being written (or just posted). */
gboolean           _gls_canvas_get_pending        (GlsCanvas         *self,
                                                   GlsSelector       *out);
/* The id of the pin drawn at (x, y), or NULL. */
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
