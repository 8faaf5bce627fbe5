/* gls-document.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gls-types.h"

G_BEGIN_DECLS

#define GLS_TYPE_DOCUMENT (gls_document_get_type ())

G_DECLARE_FINAL_TYPE (GlsDocument, gls_document, GLS, DOCUMENT, GObject)

/*
 * A loaded design file: a raster image, an SVG or a PDF. Parsing happens in a
 * GTask thread; SVG and PDF pages are then rendered on one worker thread per
 * document, which alone owns the librsvg handle or the poppler document.
 * Sizes are in design units: image pixels, SVG intrinsic pixels, PDF points.
 * Errors are in G_IO_ERROR: G_IO_ERROR_INVALID_DATA for a damaged file,
 * G_IO_ERROR_NOT_SUPPORTED for a format Glossa cannot show,
 * G_IO_ERROR_PERMISSION_DENIED for a password-protected PDF.
 */

void           gls_document_load_async       (GBytes               *data,
                                              const char           *media_type,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GlsDocument   *gls_document_load_finish      (GAsyncResult         *result,
                                              GError              **error);
/* The same, blocking: for threads and command-line tools, not the GUI. */
GlsDocument   *gls_document_load             (GBytes               *data,
                                              const char           *media_type,
                                              GCancellable         *cancellable,
                                              GError              **error);

GlsDesignKind  gls_document_get_kind         (GlsDocument          *self);
const char    *gls_document_get_media_type   (GlsDocument          *self);
GBytes        *gls_document_get_bytes        (GlsDocument          *self);
/* 1 for documents without pages. */
guint          gls_document_get_n_pages      (GlsDocument          *self);
/* page is 1-based; 0 means the first (or only) page. */
gboolean       gls_document_get_page_size    (GlsDocument          *self,
                                              guint                 page,
                                              double               *width,
                                              double               *height);
/* Raster documents only: the whole image (NULL for SVG and PDF). */
GdkTexture    *gls_document_get_texture      (GlsDocument          *self);

/*
 * Renders @area (design units, NULL for the whole page) of @page at @scale
 * device pixels per design unit. The area is widened to whole device pixels;
 * the covered area comes back in @out_area. Raster documents return their
 * texture at its own size at a @scale of 1 or more; below it, the image
 * (its @area) scaled down with a filter that averages the pixels it drops,
 * over white paper, so the result is opaque. Requests are served in order
 * by the document's worker thread; a cancelled request is skipped.
 */
void           gls_document_render_async     (GlsDocument           *self,
                                              guint                  page,
                                              double                 scale,
                                              const graphene_rect_t *area,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data);
GdkTexture    *gls_document_render_finish    (GlsDocument           *self,
                                              GAsyncResult          *result,
                                              graphene_rect_t       *out_area,
                                              GError               **error);
void           gls_document_stop_drawing     (void);

G_END_DECLS
