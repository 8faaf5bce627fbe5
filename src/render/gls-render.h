/* gls-render.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "gls-types.h"

G_BEGIN_DECLS

/*
 * GlsRender: a design file (raster image, SVG or PDF) loaded to be drawn
 * without GTK, for the command line, change detection and reports.
 *
 * Sizes and areas are in design units, the units selectors use
 * (gls-selector.h): image pixels, SVG intrinsic pixels (at 96 dpi), PDF
 * points; origin at the top left. Pages count from 1; page 0 means the
 * first (or only) page, as on designs without pages.
 *
 * Threads: a GlsRender may be used from any thread, but from one thread at
 * a time (the poppler document and the librsvg handle are not safe to share);
 * load one per thread to draw in parallel.
 */

#define GLS_RENDER_ERROR (gls_render_error_quark ())

typedef enum
{
  GLS_RENDER_ERROR_NOT_SUPPORTED, /* not an image, SVG or PDF Glossa can show */
  GLS_RENDER_ERROR_DAMAGED,       /* a file of that kind, but damaged or empty */
  GLS_RENDER_ERROR_PASSWORD,      /* a PDF protected by a password */
  GLS_RENDER_ERROR_TOO_LARGE,     /* the image, or the area asked for, is too large */
  GLS_RENDER_ERROR_INVALID,       /* no such page, a bad scale, an area off the page */
} GlsRenderError;

/* Nothing larger than this is decoded or drawn, on either side… */
#define GLS_RENDER_MAX_SIDE   16384
/* …nor more pixels than this in all (256 MiB of ARGB32). */
#define GLS_RENDER_MAX_PIXELS (64 * 1024 * 1024)

#define GLS_TYPE_RENDER (gls_render_get_type ())

G_DECLARE_FINAL_TYPE (GlsRender, gls_render, GLS, RENDER, GObject)

GQuark         gls_render_error_quark   (void);

/* @media_type may be NULL or generic (application/octet-stream): then the
 * bytes decide. Blocking. */
GlsRender     *gls_render_new           (GBytes                 *bytes,
                                         const char             *media_type,
                                         GError                **error);

GlsDesignKind  gls_render_get_kind      (GlsRender              *self);
const char    *gls_render_get_media_type (GlsRender             *self);
GBytes        *gls_render_get_bytes     (GlsRender              *self);
/* 1 for images and SVG. */
guint          gls_render_get_n_pages   (GlsRender              *self);
/* FALSE when there is no such page. */
gboolean       gls_render_get_page_size (GlsRender              *self,
                                         guint                   page,
                                         double                 *width,
                                         double                 *height);

/*
 * Draws @area (design units; NULL for the whole page) of @page at @scale
 * device pixels per design unit into a new CAIRO_FORMAT_ARGB32 image
 * surface, opaque, over white paper (transparent pixels come out white).
 * The area is clipped to the page and widened to whole device pixels; the
 * area covered comes back in @out_area. Raster images are resampled with
 * a filter that averages what it drops (gdk-pixbuf's bilinear, as the
 * window does). Errors: GLS_RENDER_ERROR_INVALID, _TOO_LARGE (more than
 * GLS_RENDER_MAX_SIDE or _MAX_PIXELS device pixels), _DAMAGED (the
 * renderer failed).
 */
cairo_surface_t *gls_render_page        (GlsRender              *self,
                                         guint                   page,
                                         double                  scale,
                                         const cairo_rectangle_t *area,
                                         cairo_rectangle_t      *out_area,
                                         GError                **error);
/* The same with a scale of its own on each axis, drawn into a surface of
 * exactly @width × @height device pixels whose top-left is design point
 * (@x0, @y0): for comparing two versions of different sizes on one grid. */
cairo_surface_t *gls_render_page_full   (GlsRender              *self,
                                         guint                   page,
                                         double                  scale_x,
                                         double                  scale_y,
                                         double                  x0,
                                         double                  y0,
                                         int                     width,
                                         int                     height,
                                         GError                **error);

/*
 * PDF only: the text of @page inside @area (design units, NULL for the
 * whole page), as poppler lays it out, in reading order. For images and SVG
 * the empty string (they have no text layer). Never NULL unless @error.
 */
char          *gls_render_get_text      (GlsRender              *self,
                                         guint                   page,
                                         const cairo_rectangle_t *area,
                                         GError                **error);

G_END_DECLS
