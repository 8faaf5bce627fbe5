/* gls-suggestions.h: accepted suggestions applied to a text
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "gls-po.h"
#include "gls-text.h"
#include "gls-thread.h"

G_BEGIN_DECLS

/* A suggestion that could not be applied, and why (a sentence). */
typedef struct
{
  GlsThread *thread;
  char      *reason;
} GlsSuggestionFailure;

void     gls_suggestion_failure_free (GlsSuggestionFailure *self);

/*
 * The text with the suggestions among @threads that were accepted
 * replacing their passages, each found with gls_text_anchor: in place or
 * moved, it applies; changed or gone, it fails. Two that overlap: the
 * one accepted first applies (by its thread's `created`, then id), the
 * other fails. Threads that are not accepted suggestions are passed
 * over. @failures (nullable) gets a GPtrArray of GlsSuggestionFailure,
 * empty when all applied; @n_applied (nullable) how many did.
 */
char    *gls_suggestions_apply       (GlsTextIndex         *index,
                                      GPtrArray            *threads,
                                      guint                *n_applied,
                                      GPtrArray           **failures);

/*
 * The same for a PO file: a suggestion must lie inside one translation
 * (a msgstr, or one plural form); the replacement is the new text of
 * that part of the translation as a translator reads it (unescaped).
 * Each changed translation is checked (gls_po_check_translation: format
 * directives such as %s or {name} kept, no plural form emptied); one
 * that would break the file fails with the reason instead of being
 * applied. The result is written with gls_po_apply (escaped, and checked
 * again by libgettextpo). NULL and @error only when the file has no spans
 * or gls_po_apply refuses the whole. Call it from a worker thread.
 */
char    *gls_suggestions_apply_po    (GlsPoFile            *po,
                                      GPtrArray            *threads,
                                      guint                *n_applied,
                                      GPtrArray           **failures,
                                      GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsSuggestionFailure, gls_suggestion_failure_free)

G_END_DECLS
