/* gls-annotation-private.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-annotation.h"

G_BEGIN_DECLS

/* g_str_hash () of the id and of the target id (0 without one), made
 * once with the annotation, so that the derivation hashes nothing. */
guint _gls_annotation_get_id_hash     (GlsAnnotation *self);
guint _gls_annotation_get_target_hash (GlsAnnotation *self);

/* The workspace counts the revisions of a document it did not take. Only
 * before the annotation is shared. */
void  _gls_annotation_set_ignored_changes (GlsAnnotation *self,
                                           guint          ignored);

/* The people a comment, reply or edit mentions (their ids; NULL or
 * empty: none). Only before the annotation is signed and shared. */
void  _gls_annotation_set_mentions (GlsAnnotation      *self,
                                    const char * const *mentions);

G_END_DECLS
