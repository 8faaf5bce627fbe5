/* test-core-json.c: the strict JSON parser every input goes through
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "gls-core.h"

typedef struct
{
  const char *text;
  gssize      length;   /* -1: NUL-terminated */
  const char *message;  /* the error must hold this */
} Bad;

static void
assert_refused (const char *text,
                gssize      length,
                const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = gls_json_from_data (text, length, &error);

  if (node != NULL)
    g_error ("parsed invalid JSON: %s", text);
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
  g_test_message ("%s", error->message);
  if (strstr (error->message, message) == NULL)
    g_error ("“%s” does not say “%s”", error->message, message);
}

static void
test_refused (void)
{
  static const Bad cases[] = {
    /* Surrogates must pair: a lone one has no UTF-8 form. */
    { "\"\\ud800 x\"", -1, "byte 1: lone surrogate" },
    { "\"\\ud800\"", -1, "byte 1: lone surrogate" },
    { "[\"ok\",\"\\ud800\\u0041\"]", -1, "byte 7: lone surrogate" },
    { "\"\\ud800\\ud800\"", -1, "lone surrogate" },
    { "\"\\udc00\"", -1, "byte 1: lone surrogate" },
    { "\"a\\udfff\\ud800\"", -1, "byte 2: lone surrogate" },
    { "{\"\\udc00\":1}", -1, "byte 2: lone surrogate" },
    { "\"\\u12G4\"", -1, "bad \\u escape" },
    { "\"\\u12\"", -1, "bad \\u escape" },
    { "\"a\\u0000b\"", -1, "NUL" },
    /* Finite doubles only. */
    { "1e400", -1, "byte 0: number out of range" },
    { "-1e400", -1, "byte 0: number out of range" },
    { "[1,1E+309]", -1, "byte 3: number out of range" },
    { "{\"n\":-1.5e99999}", -1, "byte 5: number out of range" },
    /* Not UTF-8: a stray byte, a truncated sequence, an overlong form,
     * a surrogate in CESU-8, above U+10FFFF. */
    { "\"\xff\"", -1, "byte 1: string is not UTF-8" },
    { "\"ab\xc3\x28\"", -1, "byte 3: string is not UTF-8" },
    { "\"\xc0\xaf\"", -1, "not UTF-8" },
    { "\"\xed\xa0\x80\"", -1, "not UTF-8" },
    { "\"\xf4\x90\x80\x80\"", -1, "not UTF-8" },
    { "{\"k\xff\":1}", -1, "not UTF-8" },
    { "[\"\\n\", \"\xff\"]", -1, "byte 8: string is not UTF-8" },
    /* Nothing, or not one value. */
    { "", -1, "byte 0: the text is empty" },
    { " \n\t", -1, "only white space" },
    { "{\"a\":1} x", -1, "byte 8: trailing data" },
    { "1 2", -1, "trailing data" },
    { "01", -1, "trailing data" },
    { "[1]\0", 4, "byte 3: trailing data" },
    /* Grammar. */
    { "{", -1, "unexpected end" },
    { "{\"a\"}", -1, "expected ‘:’" },
    { "{\"a\":1,}", -1, "expected a member name" },
    { "[1,]", -1, "byte 3: unexpected character" },
    { "[1 2]", -1, "expected ‘,’ or ‘]’" },
    { "{\"a\":1 \"b\":2}", -1, "expected ‘,’ or ‘}’" },
    { "tru", -1, "unexpected character" },
    { "nul", -1, "unexpected character" },
    { "'a'", -1, "byte 0: unexpected character" },
    { "+1", -1, "unexpected character" },
    { "NaN", -1, "unexpected character" },
    { "Infinity", -1, "unexpected character" },
    { "-", -1, "bad number" },
    { "1.", -1, "byte 2: bad number" },
    { "1e", -1, "bad number" },
    { "\"\\x\"", -1, "byte 1: bad escape" },
    { "\"a\nb\"", -1, "byte 2: control character" },
    { "\"unterminated", -1, "unterminated string" },
    { "\"a\\", -1, "unterminated string" },
    { "\"a\0b\"", 5, "control character" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_refused (cases[i].text, cases[i].length, cases[i].message);
}

static void
test_depth (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* 100,000 levels: json-glib 1.6 runs out of stack; we stop at 257. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, ']');
  assert_refused (text->str, text->len, "byte 256: nested too deeply");

  /* Objects count the same way. */
  g_string_truncate (text, 0);
  for (guint i = 0; i < GLS_JSON_MAX_DEPTH + 1; i++)
    g_string_append (text, "{\"a\":");
  assert_refused (text->str, text->len, "nested too deeply");

  /* GLS_JSON_MAX_DEPTH arrays are fine. */
  g_string_truncate (text, 0);
  for (guint i = 0; i < GLS_JSON_MAX_DEPTH; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < GLS_JSON_MAX_DEPTH; i++)
    g_string_append_c (text, ']');
  node = gls_json_from_data (text->str, text->len, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
}

static JsonNode *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = gls_json_from_data (text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
test_numbers (void)
{
  static const struct
  {
    const char *text;
    gboolean    is_int;
    gint64      i;
    double      d;
  } cases[] = {
    { "0", TRUE, 0, 0 },
    { "-0", TRUE, 0, 0 },
    { "42", TRUE, 42, 0 },
    { "-12", TRUE, -12, 0 },
    { "123456789012345678", TRUE, G_GINT64_CONSTANT (123456789012345678), 0 },
    { "9223372036854775807", TRUE, G_MAXINT64, 0 },
    { "-9223372036854775808", TRUE, G_MININT64, 0 },
    /* Integers past gint64 are finite doubles. */
    { "9223372036854775808", FALSE, 0, 9223372036854775808.0 },
    { "12345678901234567890", FALSE, 0, 12345678901234567890.0 },
    { "1e3", FALSE, 0, 1000 },
    { "2.5", FALSE, 0, 2.5 },
    { "-0.1", FALSE, 0, -0.1 },
    { "1.7976931348623157e308", FALSE, 0, 1.7976931348623157e308 },
    { "-1.7976931348623157E+308", FALSE, 0, -1.7976931348623157e308 },
    /* Too small to hold is zero, a finite double. */
    { "1e-400", FALSE, 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = parse_ok (cases[i].text);
      const char *p = cases[i].text;
      gboolean is_int = !cases[i].is_int;

      g_assert_true (JSON_NODE_HOLDS_VALUE (node));
      if (cases[i].is_int)
        {
          g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
          g_assert_cmpint (json_node_get_int (node), ==, cases[i].i);
        }
      else
        {
          g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
          g_assert_cmpfloat (json_node_get_double (node), ==, cases[i].d);
        }

      /* The text check agrees. */
      g_assert_null (gls_json_check_number (&p, p + strlen (p), &is_int));
      g_assert_true (p == cases[i].text + strlen (cases[i].text));
      g_assert_cmpint (is_int, ==, cases[i].is_int);
    }

  /* A 400-digit integer is beyond a double, like 1e400. */
  {
    g_autofree char *digits = g_strnfill (400, '9');
    const char *p = digits;

    assert_refused (digits, -1, "number out of range");
    g_assert_nonnull (gls_json_check_number (&p, digits + 400, NULL));
    g_assert_true (p == digits);
  }
}

static void
test_strings (void)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;

  node = parse_ok ("[\"\\ud83d\\ude00\", \"\\u00e9\\u20ac\", \"\\\"\\\\\\/\\b\\f\\n\\r\\t\","
                   " \"\xf0\x9f\x98\x80\", \"\\uDBFF\\uDFFF\", \"\\u0001\"]");
  array = json_node_get_array (node);
  g_assert_cmpstr (json_array_get_string_element (array, 0), ==, "😀");
  g_assert_cmpstr (json_array_get_string_element (array, 1), ==, "é€");
  g_assert_cmpstr (json_array_get_string_element (array, 2), ==, "\"\\/\b\f\n\r\t");
  g_assert_cmpstr (json_array_get_string_element (array, 3), ==, "😀");
  g_assert_cmpstr (json_array_get_string_element (array, 4), ==, "\xf4\x8f\xbf\xbf");
  g_assert_cmpstr (json_array_get_string_element (array, 5), ==, "\001");
}

/* gls_json_check_string: the parser's rules on text kept as text. */
static void
test_check_string (void)
{
  static const struct
  {
    const char *text;
    gsize       stop;     /* where *p ends (past the quote, or at the fault) */
    gboolean    ok;
  } cases[] = {
    { "\"plain\" tail", 7, TRUE },
    { "\"\\ud83d\\ude00\"", 14, TRUE },
    { "\"é\\n\"", 6, TRUE },
    { "\"\\ud800 x\"", 1, FALSE },
    { "\"x\\udc00\"", 2, FALSE },
    { "\"\\ud800\\u0041\"", 1, FALSE },
    { "\"\\u0000\"", 1, FALSE },
    { "\"ab\xff\"", 3, FALSE },
    { "\"\xed\xa0\x80\"", 1, FALSE },
    { "\"a\tb\"", 2, FALSE },
    { "\"\\q\"", 1, FALSE },
    { "\"open", 5, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *p = cases[i].text;
      const char *what = gls_json_check_string (&p, p + strlen (p));

      g_test_message ("%s: %s", cases[i].text, what ? what : "ok");
      g_assert_cmpint (what == NULL, ==, cases[i].ok);
      g_assert_cmpuint (p - cases[i].text, ==, cases[i].stop);
    }
}

/* The bundled sample comments go through this parser too. */
static void
test_sample (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("GLOSSA_SOURCE_DIR"), "data", "samples",
                                            "board-comments.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gsize length;

  g_file_get_contents (path, &text, &length, &error);
  g_assert_no_error (error);
  node = gls_json_from_data (text, length, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node));
}

/* A text cut short (a peer's answer stopped part way) is told apart from
 * one that is wrong: the replicator retries the first. */
static void
test_cut (void)
{
  const char *cut[] = {
    "{\"results\":[", "{\"a\":\"b", "[1,tr", "{\"a\":", "[1,-", "[1, ", "{",
    "{\"results\":[{\"seq\":1,\"id\":\"remote\",\"chan",
    /* a longpoll that sent heartbeats, or nothing, and stopped */
    "", "\n\n",
  };
  const char *not_cut[] = {
    "{\"a\":x}", "[1]]", "{\"a\":1}", "[\"\\ud800\"]", "[1,trux", "{\"a\"}", "[01",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cut); i++)
    {
      g_test_message ("cut: %s", cut[i]);
      g_assert_true (gls_json_is_cut (cut[i], -1));
    }
  for (guint i = 0; i < G_N_ELEMENTS (not_cut); i++)
    {
      g_test_message ("not cut: %s", not_cut[i]);
      g_assert_false (gls_json_is_cut (not_cut[i], -1));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/json/refused", test_refused);
  g_test_add_func ("/core/json/depth", test_depth);
  g_test_add_func ("/core/json/numbers", test_numbers);
  g_test_add_func ("/core/json/strings", test_strings);
  g_test_add_func ("/core/json/check-string", test_check_string);
  g_test_add_func ("/core/json/sample", test_sample);
  g_test_add_func ("/core/json/cut", test_cut);

  return g_test_run ();
}
