/* gls-reanchor.h: a text thread made on one version, found in another
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-po.h"
#include "gls-text.h"

G_BEGIN_DECLS

/*
 * Where the passage of @selector, made on an earlier version of a text,
 * is in a later one (@text), and in what state: the text's own
 * gls_text_anchor (quote and context, then a bounded fuzzy match). For a
 * PO file (@old_po, the version the thread was made on, and @po, the
 * later one; both nullable), the message comes first: the one the
 * passage was in is looked up by context and source in the later file,
 * and the passage is placed at the same place in the same part (its
 * translation, or its source); IN_PLACE when it is at the same offsets
 * with the same words, MOVED when the words are the same elsewhere,
 * CHANGED when that part's words changed. A message that is gone falls
 * back to the text. Pure: peers with the same versions find the same.
 */
GlsAnchorState gls_reanchor (GlsPoFile         *old_po,
                             GlsTextIndex      *text,
                             GlsPoFile         *po,
                             const GlsSelector *selector,
                             gint64            *out_start,
                             gint64            *out_end);

G_END_DECLS
