/* gls-text-view-private.h: what the tests look at
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtksourceview/gtksource.h>

#include "gls-comment-popover.h"
#include "gls-text-view.h"

G_BEGIN_DECLS

GtkSourceView     *_gls_text_view_get_source_view     (GlsTextView *self);
GlsCommentPopover *_gls_text_view_get_comment_popover (GlsTextView *self);
GtkSearchEntry    *_gls_text_view_get_search_entry    (GlsTextView *self);
GtkSearchBar      *_gls_text_view_get_search_bar      (GlsTextView *self);
/* The ids of the passages that hold the code point @offset, in the order
 * of their start. */
GStrv              _gls_text_view_dup_ids_at          (GlsTextView *self,
                                                       gint64       offset);
/* The numbers of the passages that start on buffer line @line, as the
 * margin shows them ("" for none): "3", "3, 7", "3, 7 +2". */
char              *_gls_text_view_dup_margin_label    (GlsTextView *self,
                                                       guint        line);
/* The hover text at @offset, NULL where no passage is. */
char              *_gls_text_view_dup_tooltip_at      (GlsTextView *self,
                                                       gint64       offset);
/* A click of the primary button at (@x, @y) in the source view's
 * coordinates, as the view's own click handler sees it. */
gboolean           _gls_text_view_click               (GlsTextView *self,
                                                       double       x,
                                                       double       y);

G_END_DECLS
