/* gls-jcs.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "gls-json-types.h"

G_BEGIN_DECLS

/*
 * The JSON Canonicalization Scheme (RFC 8785): object members sorted by the
 * UTF-16 code units of their names, no whitespace, strings with the
 * shortest escapes, numbers as ECMAScript writes them. This is the text
 * that Glossa's proofs sign (see gls-proof.h).
 */

/* Appends the canonical form of `node` to `out`. FALSE with
 * GLS_JSON_ERROR_INVALID (and `out` as it was) when the value has no
 * canonical form: a number that is not finite, a string that is not UTF-8. */
gboolean  gls_jcs_append        (GString      *out,
                                 JsonNode     *node,
                                 GError      **error);
/* The same for an object, leaving out the top-level members named in
 * `skip` (a NULL-terminated list; nullable), without copying it. */
gboolean  gls_jcs_append_object (GString      *out,
                                 JsonObject   *object,
                                 const char *const *skip,
                                 GError      **error);
/* Appends `s` as a JSON string literal with JCS's escapes: the short ones
 * for \b \t \n \f \r " and \\, \u00xx for other controls, nothing
 * else. `s` must be valid UTF-8 (not checked). */
void      gls_jcs_append_string (GString      *out,
                                 const char   *s);
/* Appends a double as ECMAScript's Number.prototype.toString() does.
 * The value must be finite. */
void      gls_jcs_append_number (GString      *out,
                                 double        value);

G_END_DECLS
