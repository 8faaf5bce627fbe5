/* gls-render-private.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "gls-render.h"

G_BEGIN_DECLS

/* A raster design's decoded pixels (8-bit RGB or RGBA, not flattened over
 * white), borrowed; NULL for SVG and PDF. For readers that take the
 * pixels as they are rather than a drawn copy (change detection). */
GdkPixbuf *_gls_render_get_pixbuf (GlsRender *self);

G_END_DECLS
