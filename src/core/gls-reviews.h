/* gls-reviews.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "gls-annotation.h"

G_BEGIN_DECLS

/*
 * Reviews of a design version: each reviewer may approve it or request
 * changes, and change their mind; what counts is each one's latest review
 * (by `created`, then id), a pure function of the documents as threads
 * are. A reviewer is whoever signed the review (gls_annotation_get_authority).
 */

typedef struct
{
  GlsAnnotation *annotation;
  char          *reviewer;   /* did:key (or, unsigned, the creator it names) */
  char          *name;       /* the name they go by now */
} GlsReview;

void        gls_review_free       (GlsReview  *review);

/* GlsReview items of the version @source, oldest first; with @source
 * NULL, of every version, by source then oldest first. @names: did:key
 * -> name (nullable), as gls_threads_derive_with takes it. */
GPtrArray  *gls_reviews_derive    (GPtrArray  *annotations,
                                   const char *source,
                                   GHashTable *names);

GlsDecision gls_review_get_decision (const GlsReview *review);

/* The version's state: CHANGES_REQUESTED when anyone's latest review
 * asks for changes, else APPROVED when someone approved, else NONE. */
GlsDecision gls_reviews_get_state (GPtrArray  *reviews);

/* "Ana approved · Ben requested changes", or NULL without reviews. */
char       *gls_reviews_summary   (GPtrArray  *reviews);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsReview, gls_review_free)

G_END_DECLS
