/* gls-compare-view.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gls-canvas.h"
#include "gls-document.h"

G_BEGIN_DECLS

typedef enum
{
  GLS_COMPARE_SIDE_BY_SIDE,
  GLS_COMPARE_ONION_SKIN,
  GLS_COMPARE_DIFFERENCE,
} GlsCompareMode;

#define GLS_TYPE_COMPARE_VIEW (gls_compare_view_get_type ())

G_DECLARE_FINAL_TYPE (GlsCompareView, gls_compare_view, GLS, COMPARE_VIEW, GtkWidget)

/*
 * Two versions of a design, older and newer, each on its own GlsCanvas:
 * side by side, as an onion skin (the newer one over the older at an
 * opacity), or the difference (the newer one dimmed, its changed pixels in
 * a strong colour, computed in a thread at the shown scale). Zoom, pan and
 * page are linked: the other side follows by relative position, so a
 * resized image lines up.
 *
 * Keys: Alt+1/2/3 the modes, [ and ] the onion's opacity, Page Up / Page
 * Down both sides' page, +, -, 0, 1 and arrows as on the canvas, Escape
 * emits ::close-requested. ::older-selected (guint position) is emitted
 * when another earlier version is chosen in the versions dropdown.
 */
GtkWidget      *gls_compare_view_new            (void);

/* Either may be NULL (still loading). Labels name the versions, e.g.
 * "Version 2 · 5 Dec 2026". */
void            gls_compare_view_set_documents  (GlsCompareView  *self,
                                                 GlsDocument     *older,
                                                 const char      *older_label,
                                                 GlsDocument     *newer,
                                                 const char      *newer_label);
void            gls_compare_view_set_older      (GlsCompareView  *self,
                                                 GlsDocument     *older,
                                                 const char      *older_label);
/* The earlier versions to choose from, as labels (a GtkStringList), and
 * the one compared. */
void            gls_compare_view_set_versions   (GlsCompareView  *self,
                                                 GListModel      *labels,
                                                 guint            selected);
GlsCompareMode  gls_compare_view_get_mode       (GlsCompareView  *self);
void            gls_compare_view_set_mode       (GlsCompareView  *self,
                                                 GlsCompareMode   mode);
/* The newer version's opacity in the onion skin, 0 to 1. */
double          gls_compare_view_get_opacity    (GlsCompareView  *self);
void            gls_compare_view_set_opacity    (GlsCompareView  *self,
                                                 double           opacity);
/* 1-based; 0 for documents without pages. */
guint           gls_compare_view_get_page       (GlsCompareView  *self);
void            gls_compare_view_set_page       (GlsCompareView  *self,
                                                 guint            page);
/* Focuses the newer side and fits both into the view. */
void            gls_compare_view_reset          (GlsCompareView  *self);

/* For the window and the tests. */
GlsCanvas      *_gls_compare_view_get_canvas    (GlsCompareView  *self,
                                                 gboolean         newer);
/* The side that shows "No page N in version X", or NULL when the page is
 * there. */
GtkWidget      *_gls_compare_view_get_missing   (GlsCompareView  *self,
                                                 gboolean         newer);
GtkRange       *_gls_compare_view_get_scale     (GlsCompareView  *self);
/* The last difference computed: a texture (transparent, changed pixels
 * opaque) over @area (newer design units), and how many pixels changed.
 * NULL before the first. */
GdkTexture     *_gls_compare_view_get_difference (GlsCompareView *self,
                                                  graphene_rect_t *area,
                                                  guint          *n_changed);
/* How many differences were computed so far; TRUE when none is pending
 * for the current view. */
guint           _gls_compare_view_get_n_differences (GlsCompareView *self);
gboolean        _gls_compare_view_is_difference_current (GlsCompareView *self);
/* Links the views now (it happens before each frame). */
void            _gls_compare_view_sync          (GlsCompareView  *self);

G_END_DECLS
