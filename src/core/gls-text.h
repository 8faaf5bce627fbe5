/* gls-text.h: text designs: decoding, code point offsets, quotes, anchoring
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "gls-selector.h"
#include "gls-types.h"

G_BEGIN_DECLS

/* Code points of context a new TextQuoteSelector keeps on each side. */
#define GLS_TEXT_CONTEXT_LENGTH 32

/*
 * The text of a text design: @data decoded as UTF-8, a leading BOM
 * dropped, nothing else changed (CRLF stays CRLF: offsets count what is
 * in the file). Not UTF-8: NULL and GLS_CORE_ERROR_UNSUPPORTED, with a
 * message a person can act on that names the line of the first bad byte.
 * A NUL byte counts as not text. @out_length: bytes, may be NULL.
 */
char          *gls_text_decode            (GBytes             *data,
                                           gsize              *out_length,
                                           GError            **error);

/*
 * A text with the way from code point offsets to byte indexes and back,
 * both O(log n) after an O(n) build: W3C selectors count code points,
 * GTK and GLib count bytes. The text is borrowed: keep it alive and
 * unchanged while the index lives. gls_text_anchor () adds lookup tables
 * to it on first need (about 2.5 bytes a code point); it is safe to use an
 * index from several threads at once.
 */
typedef struct _GlsTextIndex GlsTextIndex;

GlsTextIndex  *gls_text_index_new         (const char         *text,
                                           gssize              length);
void           gls_text_index_free        (GlsTextIndex       *self);
const char    *gls_text_index_get_text    (GlsTextIndex       *self);
gsize          gls_text_index_get_bytes   (GlsTextIndex       *self);
/* In code points. */
gint64         gls_text_index_get_length  (GlsTextIndex       *self);
/* Clamped to [0, length] / [0, bytes]; a byte inside a character counts
 * as that character's start. */
gsize          gls_text_index_to_byte     (GlsTextIndex       *self,
                                           gint64              offset);
gint64         gls_text_index_to_offset   (GlsTextIndex       *self,
                                           gsize               byte);

/*
 * A TEXT selector for the passage [@start, @end) (code points) of the
 * text: its position, its exact text and up to GLS_TEXT_CONTEXT_LENGTH
 * code points of prefix and suffix. FALSE (and @out untouched) when the
 * range is empty or outside the text.
 */
gboolean       gls_text_select_range      (GlsTextIndex       *index,
                                           gint64              start,
                                           gint64              end,
                                           GlsSelector        *out);
/*
 * A TEXT selector for where @exact occurs in the text, as the command
 * line's `--quote` finds it: @prefix and @suffix (either may be NULL)
 * must precede and follow it at once; it must be found exactly once.
 * Errors (GLS_CORE_ERROR_INVALID): not found; found more than once (the
 * message says how many times and asks for --prefix or --suffix).
 */
gboolean       gls_text_select_quote      (GlsTextIndex       *index,
                                           const char         *exact,
                                           const char         *prefix,
                                           const char         *suffix,
                                           GlsSelector        *out,
                                           GError            **error);

/*
 * Where @selector's passage is in the text. In order: the quote at its
 * recorded position (IN_PLACE); the quote elsewhere, the occurrence whose
 * prefix and suffix match best, then the nearest to the old position
 * (MOVED); a passage within a bounded edit distance of the quote, found
 * in time linear in the text's length (CHANGED); else ORPHANED, with
 * *out_start = *out_end = -1. A selector without a quote (another tool's
 * TextPositionSelector alone) is IN_PLACE when its range fits, else
 * ORPHANED. Deterministic: the same text and selector give the same
 * answer on every peer.
 *
 * CHANGED: at most max (1, n / 4) edits (insertions, deletions,
 * substitutions of code points) for a quote of n code points, none for a
 * quote of one; a quote shorter than four code points must also still
 * have its whole prefix or its whole suffix next to it. A passage that
 * still has its whole prefix before it or its whole suffix after it is
 * taken first; else the best of the whole text, weighed as Hypothesis
 * does (the quote's likeness 50, prefix 20, suffix 20, nearness 2). A
 * quote longer than 64 code points is matched by its first and last 64
 * (a quarter of each may differ) at about its length apart; its middle
 * is not compared. A passage rewritten beyond that bound is still
 * CHANGED when its old neighbours (the whole compared prefix, then the
 * whole compared suffix) hold something between them, at most about
 * twice the quote long, and no closer match lies inside: "330 Ω" that
 * became "220 Ω" is found there, not at an unrelated "330 °" elsewhere.
 */
GlsAnchorState gls_text_anchor            (GlsTextIndex       *index,
                                           const GlsSelector  *selector,
                                           gint64             *out_start,
                                           gint64             *out_end);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsTextIndex, gls_text_index_free)

G_END_DECLS
