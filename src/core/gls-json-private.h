/* gls-json-private.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Sets GLS_CORE_ERROR_INVALID: `<doc>: field “<field>”: <message>`. */
void         _gls_field_error        (GError     **error,
                                      const char  *doc,
                                      const char  *field,
                                      const char  *format,
                                      ...) G_GNUC_PRINTF (4, 5);
/* A member that must be a non-empty string (`optional`: may be absent,
 * then *out is NULL). */
gboolean     _gls_json_string_member (JsonObject  *obj,
                                      const char  *member,
                                      gboolean     optional,
                                      const char  *doc,
                                      const char  *field,
                                      const char **out,
                                      GError     **error);
/* Same, and an absolute IRI (it has a scheme, no spaces). */
gboolean     _gls_json_iri_member    (JsonObject  *obj,
                                      const char  *member,
                                      gboolean     optional,
                                      const char  *doc,
                                      const char  *field,
                                      const char **out,
                                      GError     **error);
gboolean     _gls_iri_is_valid       (const char  *iri);
/* `member` is absent, or an object (*out NULL when absent). */
gboolean     _gls_json_object_member (JsonObject  *obj,
                                      const char  *member,
                                      gboolean     optional,
                                      const char  *doc,
                                      const char  *field,
                                      JsonObject **out,
                                      GError     **error);
/* The string value of `member` if it is one, else NULL. No error. */
const char  *_gls_json_peek_string   (JsonObject  *obj,
                                      const char  *member);

/* The same checks on a member already looked up (`node` NULL: absent),
 * for a caller that collects an object's members in one pass. */
gboolean     _gls_json_string_node   (JsonNode    *node,
                                      gboolean     optional,
                                      const char  *doc,
                                      const char  *field,
                                      const char **out,
                                      GError     **error);
gboolean     _gls_json_iri_node      (JsonNode    *node,
                                      gboolean     optional,
                                      const char  *doc,
                                      const char  *field,
                                      const char **out,
                                      GError     **error);
gboolean     _gls_json_object_node   (JsonNode    *node,
                                      gboolean     optional,
                                      const char  *doc,
                                      const char  *field,
                                      JsonObject **out,
                                      GError     **error);
const char  *_gls_json_node_peek_string (JsonNode *node);

G_END_DECLS
