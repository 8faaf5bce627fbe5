/* gls-json-parser.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * Glossa's one parser for JSON from outside: request bodies and answers of
 * peers, imported files, the bundled sample, the store's own text.
 * json-glib 1.6 never parses untrusted text: it has no nesting limit (it
 * runs out of stack near 100,000 levels), turns a lone surrogate escape
 * into bytes that are not UTF-8, and 1e400 into infinity, which no JSON
 * writer can write back.
 *
 * Strict RFC 8259: one value, white space around it and nothing else;
 * strings valid UTF-8 with no NUL, escapes well-formed and surrogate
 * escapes paired; nesting at most GLS_JSON_MAX_DEPTH; numbers must be
 * finite doubles: an integer that fits in gint64 stays an integer, any
 * other number becomes a double, and one beyond the range of a double is
 * an error. Errors are JSON_PARSER_ERROR_INVALID_DATA and say at which
 * byte and what is wrong.
 */

/* How deep arrays and objects may nest in JSON from outside. */
#define GLS_JSON_MAX_DEPTH 256

/* Parses `text` (length -1: NUL-terminated), about twice as fast as
 * json-glib 1.6. NULL with an error if it is not such JSON. */
JsonNode   *gls_json_from_data    (const char   *text,
                                   gssize        length,
                                   GError      **error);

/* TRUE when `text` is not JSON only because it stops early: all of it is
 * the beginning of some JSON text (an answer whose sender stopped, or was
 * stopped, part way), white space alone or nothing included (a longpoll
 * that sent only heartbeats). */
gboolean    gls_json_is_cut       (const char   *text,
                                   gssize        length);

/* The same rules for readers that keep JSON as text (the store's _bulk_get
 * reader). `*p` is at the opening quote of a string, or at the first
 * character of a number; on success *p moves past it and NULL is
 * returned; else the return is what is wrong (a translated message) and
 * *p is where it went wrong. A number's *is_int is TRUE when it is an
 * integer that fits in gint64. */
const char *gls_json_check_string (const char  **p,
                                   const char   *end);
const char *gls_json_check_number (const char  **p,
                                   const char   *end,
                                   gboolean     *is_int);
/* Moves *p past one value (white space before it allowed), checked by the
 * same rules, strings and numbers included; `depth` is the value's (the
 * whole text's is 1). FALSE when it is not one, or nests deeper than
 * GLS_JSON_MAX_DEPTH; *p is then somewhere in it. */
gboolean    gls_json_skip_value   (const char  **p,
                                   const char   *end,
                                   guint         depth);

G_END_DECLS
