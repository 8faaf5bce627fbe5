/* fuzz-json.c: the strict JSON parser, its text checks, and the two
 * writers that must read back as they wrote
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Oracles, for any input:
 * - gls_json_from_data returns a node or an error, never both or neither;
 * - gls_json_check_string / gls_json_check_number agree with the parser
 *   on a string or number at the start of the input;
 * - what the parser accepts has a JCS form (RFC 8785), which parses, and
 *   whose JCS form is itself: parse → JCS → parse → JCS is a fixed point;
 * - the same for the store's canonical writer (gls_json_to_string);
 * - gls_json_is_cut holds only of what the parser refuses, and holds of an
 *   accepted object or array with its closing bracket taken off.
 */

#define G_LOG_DOMAIN "fuzz-json"

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "gls-json-parser.h"
#include "gls-store.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (argc, argv);
  return 0;
}

static JsonNode *
parse (const char *text,
       gsize       len,
       GError    **error)
{
  JsonNode *node = gls_json_from_data (text, len, error);

  if (error != NULL)
    fuzz_check ((node == NULL) == (*error != NULL), "a node and an error, or neither");
  return node;
}

/* A string or a number at the start: the text checks say what the parser
 * says of the same token alone. */
static void
check_token (const char *text,
             gsize       len)
{
  const char *end = text + len;
  const char *p = text;
  const char *what;
  g_autoptr(JsonNode) alone = NULL;
  g_autoptr(JsonNode) whole = NULL;
  gboolean is_int = FALSE;

  if (len == 0)
    return;
  if (text[0] == '"')
    what = gls_json_check_string (&p, end);
  else if (text[0] == '-' || g_ascii_isdigit (text[0]))
    what = gls_json_check_number (&p, end, &is_int);
  else
    return;

  fuzz_check (p >= text && p <= end, "the check stays in the text");
  whole = parse (text, len, NULL);
  if (what == NULL)
    {
      /* The token alone is JSON, of the same type. */
      alone = parse (text, p - text, NULL);
      fuzz_check (alone != NULL, "the parser refuses the token the check accepts: %.*s",
                  (int) (p - text), text);
      fuzz_check (JSON_NODE_HOLDS_VALUE (alone), "a token is a value");
      if (text[0] == '"')
        fuzz_check (json_node_get_value_type (alone) == G_TYPE_STRING, "a string");
      else
        fuzz_check ((json_node_get_value_type (alone) == G_TYPE_INT64) == is_int,
                    "is_int is what the parser reads: %.*s", (int) (p - text), text);
    }
  else
    {
      /* What the check refuses, the parser refuses in any text. */
      fuzz_check (whole == NULL, "the parser accepts what the check refuses (%s)", what);
    }
}

static void
check_jcs (JsonNode *node)
{
  g_autofree char *first = fuzz_jcs (node);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) again = parse (first, strlen (first), &error);
  g_autofree char *second = NULL;

  fuzz_check (again != NULL, "JCS text does not parse: %s\n  %s", error->message, first);
  second = fuzz_jcs (again);
  fuzz_check (g_str_equal (first, second), "JCS is not a fixed point:\n  %s\n  %s", first, second);
}

static void
check_store_writer (JsonNode *node)
{
  g_autofree char *first = gls_json_to_string (node);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) again = parse (first, strlen (first), &error);
  g_autofree char *second = NULL;

  fuzz_check (again != NULL, "the store's text does not parse: %s\n  %s", error->message, first);
  second = gls_json_to_string (again);
  fuzz_check (g_str_equal (first, second), "the store's writer is not a fixed point:\n  %s\n  %s",
              first, second);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  const char *text = (const char *) data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = parse (text, size, &error);
  check_token (text, size);
  if (node == NULL)
    {
      fuzz_check (error->domain == JSON_PARSER_ERROR, "a parser error");
      return 0;
    }
  fuzz_check (!gls_json_is_cut (text, size), "accepted JSON is not cut short");
  if (size > 1 && (text[size - 1] == '}' || text[size - 1] == ']'))
    fuzz_check (gls_json_is_cut (text, size - 1), "an object or array without its end is cut short: %.*s",
                (int) size - 1, text);
  check_jcs (node);
  check_store_writer (node);
  return 0;
}
