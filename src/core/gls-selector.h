/* gls-selector.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * Where on a design a thread is pinned. Coordinates are in the design's own
 * units: pixels for raster images and SVG (its intrinsic size), PDF points
 * for PDF pages, origin at the top left. `page` is 0 for designs without
 * pages and 1-based for PDF.
 *
 * On the wire it is a W3C FragmentSelector: media fragments `xywh=x,y,w,h`
 * for images (a point is a region of zero size), RFC 3778
 * `page=N&viewrect=x,y,w,h` (or `page=N` alone) for PDF.
 */
typedef enum
{
  GLS_SELECTOR_NONE,  /* the whole design, or the whole page */
  GLS_SELECTOR_POINT, /* x, y */
  GLS_SELECTOR_RECT,  /* x, y, width, height */
} GlsSelectorKind;

typedef struct
{
  GlsSelectorKind kind;
  guint           page;
  double          x;
  double          y;
  double          width;
  double          height;
} GlsSelector;

#define GLS_TYPE_SELECTOR (gls_selector_get_type ())

GType        gls_selector_get_type (void) G_GNUC_CONST;
GlsSelector *gls_selector_copy     (const GlsSelector *self);
void         gls_selector_free     (GlsSelector       *self);
gboolean     gls_selector_equal    (const GlsSelector *a,
                                    const GlsSelector *b);
/* The fragment value and its `conformsTo` IRI. */
char        *gls_selector_to_fragment (const GlsSelector *self,
                                       const char       **conforms_to);
gboolean     gls_selector_parse_fragment (const char   *value,
                                          const char   *conforms_to,
                                          GlsSelector  *out,
                                          GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsSelector, gls_selector_free)

G_END_DECLS
