/* gls-w3c.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "gls-annotation.h"

G_BEGIN_DECLS

/*
 * W3C Web Annotation export and import (JSON-LD).
 */

/* Maps a foreign target source (a URL, a file name) to a design's ni URI;
 * returns NULL (not an error) when no design answers. ni: sources are
 * used as they are and never passed to the resolver. */
typedef char *(*GlsW3cSourceResolver) (const char *source,
                                       gpointer    user_data);

/* An AnnotationCollection with one AnnotationPage holding every live
 * annotation (tombstones are left out), sorted by (created, id). */
JsonNode  *gls_w3c_export_collection (GPtrArray            *annotations,
                                      const char           *label);

/* Accepts a Glossa export, an AnnotationCollection, an AnnotationPage, an
 * array of annotations or one annotation. All or nothing: on the first
 * invalid annotation returns NULL and an error naming it (its id, or its
 * index) and the field; finding no annotation at all (an empty array,
 * page or collection) is GLS_CORE_ERROR_INVALID too, saying what it
 * found. Annotations without `rights` get `default_rights`
 * (nullable: they stay without). Returns GlsAnnotation objects. */
GPtrArray *gls_w3c_import_full       (JsonNode             *root,
                                      const char           *default_rights,
                                      GlsW3cSourceResolver  resolver,
                                      gpointer              user_data,
                                      GError              **error);
GPtrArray *gls_w3c_import            (JsonNode             *root,
                                      GlsW3cSourceResolver  resolver,
                                      gpointer              user_data,
                                      GError              **error);

G_END_DECLS
