/* gls-endpoint-private.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-endpoint.h"

G_BEGIN_DECLS

/* Helpers of the endpoints and the replicator's run. */

const char *_gls_endpoint_peek_string         (JsonObject  *object,
                                               const char  *member,
                                               const char  *fallback);
const char *_gls_endpoint_peek_string_element (JsonArray   *array,
                                               guint        index);
JsonNode   *_gls_endpoint_dup_node            (JsonNode    *node);
JsonObject *_gls_endpoint_dup_object          (JsonObject  *object);
GError     *_gls_endpoint_protocol_error      (const char  *what);
gboolean    _gls_endpoint_check_answers       (JsonArray   *answers,
                                               gboolean     skip_denied,
                                               gint64      *failures,
                                               GError     **error);

/* gls-endpoint-changes.c: a peer's `_changes` answer, read from its text
 * without JSON trees. NULL and a GLS_REPLICATOR_ERROR_PROTOCOL error when
 * it is not such an answer; *malformed when it is not even JSON (as
 * gls_json_from_data reads it). */
GlsEndpointChanges *_gls_endpoint_changes_scan (const char  *text,
                                                gsize        length,
                                                gboolean    *malformed,
                                                GError     **error);

G_END_DECLS
