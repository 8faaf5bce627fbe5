/* gls-changes.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-render.h"
#include "gls-render-api.h"
#include "gls-selector.h"

G_BEGIN_DECLS

/*
 * GlsChanges compares two versions of a design (an older one a thread was
 * made on, a newer one it is carried to) and says whether the design
 * changed under a thread.
 *
 * Both versions' pages are drawn on one grid: the smaller of their
 * resolutions (an image's pixels; SVG and PDF pages drawn 1600 px on their
 * longer side), at most 4096 px a side. A version resized to another size
 * is drawn scaled to it, so coordinates map by the ratio of the page
 * sizes. The grid is cut into cells of 4 × 4 px (8 × 8 when the versions
 * differ in size, so one of them is resampled); a cell changed when its
 * mean brightness moved by more than 16 levels (of 255), or its mean
 * colour by more than 40. Means over a cell hide JPEG's re-encoding noise
 * (it moves single pixels, not averages, and bleeds colour, not
 * brightness) and the blur of resampling, while an edit of a few pixels
 * of a clearly different colour moves its cell's mean by far more. The
 * map of changed cells is made once per page (summed, so that each thread
 * is a constant-time look-up) the first time a thread on that page asks.
 *
 * A region is changed when a cell under it changed; a point, when one
 * within GLS_CHANGES_PIN_RADIUS design units of it did (the pin's own
 * mark covers about that much at 100 %); a whole page, when anything on
 * it did; a whole design, when any page did or the number of pages
 * differs. On PDF pages the text inside the area (the whole page's for
 * page threads) is compared too, spaces aside: changed text is a change
 * even where the drawing looks the same.
 *
 * Use from one thread at a time, with GlsRender objects no other thread
 * uses meanwhile.
 */

/* In design units: pixels on images and SVG, points on PDF pages. */
#define GLS_CHANGES_PIN_RADIUS 20.0

#define GLS_TYPE_CHANGES (gls_changes_get_type ())

G_DECLARE_FINAL_TYPE (GlsChanges, gls_changes, GLS, CHANGES, GObject)

GlsChanges *gls_changes_new             (GlsRender          *older,
                                         GlsRender          *newer);
GlsRender  *gls_changes_get_older       (GlsChanges         *self);
GlsRender  *gls_changes_get_newer       (GlsChanges         *self);

/* Where @selector (on the older version) is on the newer one: the same
 * kind and page, coordinates scaled by the ratio of the two page sizes.
 * FALSE (and @out a plain copy) when its page is on only one of them. */
gboolean    gls_changes_map_selector    (GlsChanges         *self,
                                         const GlsSelector  *selector,
                                         GlsSelector        *out);

/* GLS_CHANGE_UNKNOWN with @error set when a page could not be drawn;
 * without an error for places that are no place on the older version
 * (a page it does not have, coordinates off the page, not numbers). */
GlsChange   gls_changes_detect          (GlsChanges         *self,
                                         const GlsSelector  *selector,
                                         GError            **error);

/* Makes the maps of every page now (the first detect on a page does it
 * otherwise): for timing, and to draw before the threads come. */
gboolean    gls_changes_prepare         (GlsChanges         *self,
                                         GError            **error);

G_END_DECLS
