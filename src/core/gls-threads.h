/* gls-threads.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "gls-annotation.h"
#include "gls-thread.h"

G_BEGIN_DECLS

/*
 * The derivation: threads are a pure function of the set of annotation
 * documents (tombstones included), whatever order they arrive in. Rules
 * in src/core/FORMAT.md ("Derived state").
 *
 * Returns GlsThread objects (owned by the array) in number order; with
 * `source` NULL, every design's threads, by source then number.
 */
GPtrArray *gls_threads_derive (GPtrArray  *annotations,
                               const char *source);

/* A canonical text dump of derived threads: equal sets of documents give
 * equal dumps. For tests and debugging. */
char      *gls_threads_dump   (GPtrArray  *threads);

/* The same, with the names people go by now (did:key -> name, from their
 * profile documents; nullable): words their author signed show that name,
 * imported words name their importer by it; and `forged` (annotation id ->
 * GUINT_TO_POINTER (n); nullable): edits of it whose proof did not hold,
 * counted with the comment's ignored changes. The threads keep a
 * reference to `names`, which must not change afterwards. */
GPtrArray *gls_threads_derive_with      (GPtrArray  *annotations,
                                         const char *source,
                                         GHashTable *names,
                                         GHashTable *forged);

G_END_DECLS
