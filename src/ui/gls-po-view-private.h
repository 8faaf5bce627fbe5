/* gls-po-view-private.h: what the tests look at
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-comment-popover.h"
#include "gls-po-message-row.h"
#include "gls-po-view.h"

G_BEGIN_DECLS

GtkGridView       *_gls_po_view_get_list_view     (GlsPoView *self);
GtkScrolledWindow *_gls_po_view_get_scroller      (GlsPoView *self);
GlsCommentPopover *_gls_po_view_get_popover       (GlsPoView *self);
/* The row that shows message @index now, or NULL when none does (the
 * list view makes rows only for what is in view). */
GlsPoMessageRow   *_gls_po_view_get_row           (GlsPoView *self,
                                                   guint      index);
/* The counts on the filter buttons, as shown. */
const char        *_gls_po_view_get_count_label   (GlsPoView  *self,
                                                   const char *filter);
/* The page shown: "none" (no file), "loading", "error", "empty" (the
 * filter shows no message) or "list". */
const char        *_gls_po_view_get_page          (GlsPoView *self);

G_END_DECLS
