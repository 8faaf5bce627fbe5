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
 *
 * On a text design (plain text, Markdown, a PO file) it is a passage of the
 * decoded text (UTF-8, without a BOM), on the wire a list of two W3C
 * selectors: a TextQuoteSelector (`exact`, with about 32 code points of
 * `prefix` and `suffix`) and a TextPositionSelector (`start`, `end`, counted
 * in Unicode code points, `end` excluded). Either may come alone from
 * another tool: then `start` and `end` are -1, or `exact` is NULL.
 */
typedef enum
{
  GLS_SELECTOR_NONE,  /* the whole design, or the whole page */
  GLS_SELECTOR_POINT, /* x, y */
  GLS_SELECTOR_RECT,  /* x, y, width, height */
  GLS_SELECTOR_TEXT,  /* start, end, exact, prefix, suffix */
} GlsSelectorKind;

typedef struct
{
  GlsSelectorKind kind;
  guint           page;
  double          x;
  double          y;
  double          width;
  double          height;
  /* GLS_SELECTOR_TEXT only; the strings belong to the selector */
  gint64          start;
  gint64          end;
  char           *exact;
  char           *prefix;
  char           *suffix;
} GlsSelector;

#define GLS_TYPE_SELECTOR (gls_selector_get_type ())

GType        gls_selector_get_type (void) G_GNUC_CONST;
GlsSelector *gls_selector_copy     (const GlsSelector *self);
void         gls_selector_free     (GlsSelector       *self);
/* Frees the strings of a selector that is not on the heap (a TEXT one
 * filled by gls_selector_init_text or a parser) and makes it NONE. */
void         gls_selector_clear    (GlsSelector       *self);
/* Fills @self as a TEXT selector; the strings are copied, any may be NULL. */
void         gls_selector_init_text (GlsSelector      *self,
                                     gint64            start,
                                     gint64            end,
                                     const char       *exact,
                                     const char       *prefix,
                                     const char       *suffix);
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
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GlsSelector, gls_selector_clear)

G_END_DECLS
