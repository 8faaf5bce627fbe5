/* test-sync-changes.c: a peer's _changes answer read without JSON trees
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gls-endpoint-private.h"
#include "gls-json-parser.h"
#include "gls-replicator.h"

#define REV_A "1-ebfcbab890f81aaf259c65b9185aeb80"
#define REV_B "2-ffffffffffffffffffffffffffffffff"
#define REV_C "1-e81c63e7f1f9388bf0fe20d92c2b2855"

static GlsEndpointChanges *
scan (const char  *text,
      gboolean    *malformed,
      GError     **error)
{
  g_autofree char *copy = g_strdup (text);
  gboolean not_json = FALSE;
  GlsEndpointChanges *changes;

  /* Exactly the bytes: no NUL after them to lean on. */
  changes = _gls_endpoint_changes_scan (copy, strlen (copy), &not_json, error);
  /* Not JSON exactly when the strict parser says so. */
  {
    g_autoptr(JsonNode) node = gls_json_from_data (text, -1, NULL);

    g_assert_true (not_json == (node == NULL));
  }
  if (malformed != NULL)
    *malformed = not_json;
  return changes;
}

static GlsEndpointChanges *
scan_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  GlsEndpointChanges *changes = scan (text, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (changes);
  return changes;
}

static void
assert_seq (JsonNode   *seq,
            const char *json)
{
  g_autoptr(JsonNode) expected = gls_json_from_data (json, -1, NULL);

  g_assert_nonnull (seq);
  g_assert_true (json_node_equal (seq, expected));
}

static void
assert_row (GlsStoreRevsList *rows,
            guint             index,
            const char       *id,
            ...)
{
  va_list ap;
  const char *rev;
  guint n = 0;

  g_assert_cmpstr (gls_store_revs_list_get_id (rows, index), ==, id);
  va_start (ap, id);
  while ((rev = va_arg (ap, const char *)) != NULL)
    g_assert_cmpstr (gls_store_revs_list_get_rev (rows, index, n++), ==, rev);
  va_end (ap);
  g_assert_cmpuint (gls_store_revs_list_get_n_revs (rows, index), ==, n);
}

/* PouchDB Server's, from the reference: numbers, conflicts. */
static void
test_pouchdb (void)
{
  g_autoptr(GlsEndpointChanges) c =
    scan_ok ("{\"results\":[\n"
             "  {\"id\":\"ann2\",\"changes\":[{\"rev\":\"" REV_A "\"}],\"seq\":2},\n"
             "  {\"id\":\"ann1\",\"changes\":[{\"rev\":\"" REV_B "\"},\n"
             "                          {\"rev\":\"" REV_C "\"}],\"seq\":5}],\n"
             " \"last_seq\":5}\n");

  g_assert_cmpuint (gls_store_revs_list_get_length (c->rows), ==, 2);
  assert_row (c->rows, 0, "ann2", REV_A, NULL);
  assert_row (c->rows, 1, "ann1", REV_B, REV_C, NULL);
  assert_seq (c->last_seq, "5");
  g_assert_false (c->has_pending);
}

/* CouchDB 3's: opaque string seqs, pending, deleted, docs, members we do
 * not know; a longpoll's heartbeats before it. */
static void
test_couchdb (void)
{
  g_autoptr(GlsEndpointChanges) c =
    scan_ok ("\n\n{\"results\":[{\"seq\":\"1-g1AAAADveJzLYWBg\",\"id\":\"a\",\"changes\":[{\"rev\":\"" REV_A "\"}],"
             "\"deleted\":true,\"doc\":{\"_id\":\"a\",\"_rev\":\"" REV_A "\",\"_deleted\":true,"
             "\"x\":[1,2.5e3,-0,{\"y\":null},[true,false]]}},"
             "{\"seq\":\"2-g1AAAAEzeJzLYWBg\",\"id\":\"b\",\"changes\":[{\"rev\":\"" REV_C "\",\"extra\":1}],"
             "\"more\":{\"changes\":7,\"id\":8}}],"
             "\"last_seq\":\"2-g1AAAAEzeJzLYWBg\",\"pending\":12,\"other\":[{}]}\r\n");

  g_assert_cmpuint (gls_store_revs_list_get_length (c->rows), ==, 2);
  assert_row (c->rows, 0, "a", REV_A, NULL);
  assert_row (c->rows, 1, "b", REV_C, NULL);
  assert_seq (c->last_seq, "\"2-g1AAAAEzeJzLYWBg\"");
  g_assert_true (c->has_pending);
  g_assert_cmpint (c->pending, ==, 12);
}

/* Glossa's: members sorted, no spaces; an empty batch. */
static void
test_glossa (void)
{
  g_autoptr(GlsEndpointChanges) c =
    scan_ok ("{\"last_seq\":20002,\"pending\":0,\"results\":[{\"changes\":[{\"rev\":\"" REV_A "\"}],"
             "\"id\":\"urn:uuid:691dde63-4322-40a8-a9f4-68fcd9a850a6\",\"seq\":20002}]}");
  g_autoptr(GlsEndpointChanges) empty = scan_ok ("{\"last_seq\":7,\"pending\":0,\"results\":[]}");

  assert_row (c->rows, 0, "urn:uuid:691dde63-4322-40a8-a9f4-68fcd9a850a6", REV_A, NULL);
  assert_seq (c->last_seq, "20002");
  g_assert_true (c->has_pending);
  g_assert_cmpint (c->pending, ==, 0);
  g_assert_cmpuint (gls_store_revs_list_get_length (empty->rows), ==, 0);
  assert_seq (empty->last_seq, "7");
}

/* Escapes in ids and member names read as a parser reads them; the last
 * of duplicate members counts. */
static void
test_escapes_and_duplicates (void)
{
  g_autoptr(GlsEndpointChanges) c =
    scan_ok ("{\"results\":[{\"\\u0069d\":\"\\u00e9t\\u00e9 \\\"x\\\\y\\/z\\ud83d\\ude00\\n\","
             "\"chan\\u0067es\":[{\"r\\u0065v\":\"" REV_A "\"}]},"
             "{\"id\":\"first\",\"id\":\"second\",\"changes\":[{\"rev\":1}],\"changes\":[{\"rev\":\"" REV_B "\",\"rev\":\"" REV_C "\"}],"
             "\"seq\":1,\"seq\":[2,\"x\"]}],"
             "\"pending\":\"3\",\"last_seq\":null}");
  g_autoptr(GlsEndpointChanges) again =
    scan_ok ("{\"results\":[{\"id\":1}],\"results\":[{\"id\":\"z\",\"changes\":[]}],\"last_seq\":1}");

  g_assert_cmpuint (gls_store_revs_list_get_length (c->rows), ==, 2);
  assert_row (c->rows, 0, "\xc3\xa9t\xc3\xa9 \"x\\y/z\xf0\x9f\x98\x80\n", REV_A, NULL);
  assert_row (c->rows, 1, "second", REV_C, NULL);
  /* last_seq null: the last row's. */
  assert_seq (c->last_seq, "[2,\"x\"]");
  /* json-glib reads a string as 0. */
  g_assert_true (c->has_pending);
  g_assert_cmpint (c->pending, ==, 0);

  g_assert_cmpuint (gls_store_revs_list_get_length (again->rows), ==, 1);
  assert_row (again->rows, 0, "z", NULL);
}

/* last_seq and the rows' seqs, each way they may come. */
static void
test_seqs (void)
{
  g_autoptr(GlsEndpointChanges) none =
    scan_ok ("{\"results\":[{\"id\":\"a\",\"changes\":[],\"seq\":1},{\"id\":\"b\",\"changes\":[]}]}");
  g_autoptr(GlsEndpointChanges) empty_null = scan_ok ("{\"results\":[],\"last_seq\":null}");
  g_autoptr(GlsEndpointChanges) empty = scan_ok ("{\"results\":[]}");
  g_autoptr(GlsEndpointChanges) big =
    scan_ok ("{\"results\":[],\"last_seq\":123456789012345678901234567890,\"pending\":1e300}");
  g_autoptr(GlsEndpointChanges) neg = scan_ok ("{\"results\":[],\"last_seq\":-1.5e-7,\"pending\":-4}");

  /* The last row has none: the replicator says "no seq". */
  g_assert_null (none->last_seq);
  g_assert_true (JSON_NODE_HOLDS_NULL (empty_null->last_seq));
  g_assert_null (empty->last_seq);
  g_assert_cmpint (json_node_get_value_type (big->last_seq), ==, G_TYPE_DOUBLE);
  g_assert_true (big->has_pending);
  g_assert_cmpint (big->pending, >, 0);
  assert_seq (neg->last_seq, "-1.5e-7");
  g_assert_cmpint (neg->pending, ==, -4);
}

/* JSON, but not a _changes answer: the errors the replicator gave. */
static void
test_wrong_shapes (void)
{
  static const struct {
    const char *text;
    const char *message;
  } cases[] = {
    { "[]", "Unexpected answer to _changes" },
    { "\"results\"", "Unexpected answer to _changes" },
    { "{}", "Unexpected answer to _changes (no results)" },
    { "{\"results\":{}}", "Unexpected answer to _changes (no results)" },
    { "{\"results\":[],\"results\":null}", "Unexpected answer to _changes (no results)" },
    { "{\"Results\":[]}", "Unexpected answer to _changes (no results)" },
    { "{\"results\":[1]}", "Unexpected answer to _changes (bad row)" },
    { "{\"results\":[null]}", "Unexpected answer to _changes (bad row)" },
    { "{\"results\":[{\"changes\":[]}]}", "Unexpected answer to _changes (bad row)" },
    { "{\"results\":[{\"id\":7,\"changes\":[]}]}", "Unexpected answer to _changes (bad row)" },
    { "{\"results\":[{\"id\":\"a\"}]}", "Unexpected answer to _changes (bad row)" },
    { "{\"results\":[{\"id\":\"a\",\"changes\":{}}]}", "Unexpected answer to _changes (bad row)" },
    { "{\"results\":[{\"id\":\"a\",\"changes\":[],\"changes\":\"x\"}]}", "Unexpected answer to _changes (bad row)" },
    { "{\"results\":[{\"id\":\"a\",\"changes\":[\"" REV_A "\"]}]}", "Unexpected answer to _changes (bad rev)" },
    { "{\"results\":[{\"id\":\"a\",\"changes\":[{}]}]}", "Unexpected answer to _changes (bad rev)" },
    { "{\"results\":[{\"id\":\"a\",\"changes\":[{\"rev\":1}]}]}", "Unexpected answer to _changes (bad rev)" },
    { "{\"results\":[{\"id\":\"a\",\"changes\":[{\"rev\":[\"x\"]}]}]}", "Unexpected answer to _changes (bad rev)" },
    /* The first fault counts. */
    { "{\"results\":[{\"id\":\"a\",\"changes\":[{}]},5]}", "Unexpected answer to _changes (bad rev)" },
    { "{\"results\":[5,{\"id\":\"a\",\"changes\":[{}]}]}", "Unexpected answer to _changes (bad row)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean malformed = TRUE;
      GlsEndpointChanges *c = scan (cases[i].text, &malformed, &error);

      g_test_message ("%s", cases[i].text);
      g_assert_null (c);
      g_assert_false (malformed);
      g_assert_error (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
assert_malformed (const char *text,
                  gssize      length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = g_strndup (text, length < 0 ? strlen (text) : (gsize) length);
  gboolean malformed = FALSE;
  GlsEndpointChanges *c;

  if (length < 0)
    length = strlen (text);
  /* In a buffer of its own size: any read past it is ASan's. */
  c = _gls_endpoint_changes_scan (copy, length, &malformed, &error);
  g_assert_null (c);
  g_assert_true (malformed);
  g_assert_error (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL);
  g_assert_null (gls_json_from_data (copy, length, NULL));
}

/* Not JSON, by the strict parser's rules. */
static void
test_malformed (void)
{
  static const char *const cases[] = {
    "", "   \n", "{", "{\"results\"", "{\"results\":[", "{\"results\":[{\"id\":\"a\",",
    "{\"results\":[]}x", "{\"results\":[]}{}", "{\"results\":[],}", "{\"results\":[,]}",
    "{\"results\":[{\"id\":\"a\" \"changes\":[]}]}", "{results:[]}", "{'results':[]}",
    "{\"results\":[{\"id\":\"\\x\",\"changes\":[]}]}",
    "{\"results\":[{\"id\":\"\\ud800\",\"changes\":[]}]}",
    "{\"results\":[{\"id\":\"\\udc00\\ud800\",\"changes\":[]}]}",
    "{\"results\":[{\"id\":\"\\u00\",\"changes\":[]}]}",
    "{\"results\":[{\"id\":\"\\u0000\",\"changes\":[]}]}",
    "{\"results\":[{\"id\":\"a\tb\",\"changes\":[]}]}",
    "{\"results\":[{\"id\":\"\xc3\x28\",\"changes\":[]}]}",
    "{\"results\":[{\"id\":\"\xed\xa0\x80\",\"changes\":[]}]}",
    "{\"results\":[],\"last_seq\":1e400}", "{\"results\":[],\"last_seq\":-}",
    "{\"results\":[],\"last_seq\":01}", "{\"results\":[],\"last_seq\":1.}",
    "{\"results\":[],\"last_seq\":.5}", "{\"results\":[],\"last_seq\":+1}",
    "{\"results\":[],\"last_seq\":NaN}", "{\"results\":[],\"last_seq\":tru}",
    "{\"results\":[],\"last_seq\":nul}", "{\"results\":[],\"pending\":Infinity}",
    "{\"results\":[{\"id\":\"a\",\"changes\":[{\"rev\":\"" REV_A "\"}]}]",
    "\xef\xbb\xbf{\"results\":[]}",
  };
  static const char valid[] =
    "{\"results\":[{\"seq\":\"1-g1\",\"id\":\"a\\u00e9\",\"changes\":[{\"rev\":\"" REV_A "\"},{\"rev\":\"" REV_B "\"}],"
    "\"deleted\":true,\"doc\":{\"x\":[1.5,null,true,false,{}]}}],\"last_seq\":[1,\"2\"],\"pending\":3}";
  g_autoptr(GString) deep = g_string_new ("{\"results\":[],\"x\":");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i]);
      assert_malformed (cases[i], -1);
    }
  /* Every cut of a valid answer. */
  for (gsize n = 0; n < sizeof valid - 1; n++)
    assert_malformed (valid, n);
  /* NUL in the middle. */
  assert_malformed ("{\"results\":[]\0}", 15);

  /* Nesting as deep as the parser takes, and one level more. */
  {
    g_autoptr(GString) ok = g_string_new ("{\"results\":[],\"x\":");
    g_autoptr(GlsEndpointChanges) c = NULL;

    for (guint i = 0; i < GLS_JSON_MAX_DEPTH - 1; i++)
      g_string_append_c (ok, '[');
    for (guint i = 0; i < GLS_JSON_MAX_DEPTH - 1; i++)
      g_string_append_c (ok, ']');
    g_string_append_c (ok, '}');
    c = scan_ok (ok->str);
  }
  for (guint i = 0; i < GLS_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < GLS_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  assert_malformed (deep->str, -1);
  /* Deep inside rows and changes too, and very deep. */
  {
    g_autoptr(GString) rows = g_string_new ("{\"results\":[{\"id\":\"a\",\"changes\":[{\"rev\":\"" REV_A "\",\"x\":");

    for (guint i = 0; i < GLS_JSON_MAX_DEPTH; i++)
      g_string_append (rows, "{\"a\":");
    assert_malformed (rows->str, -1);
    g_string_set_size (rows, 0);
    g_string_append (rows, "{\"results\":");
    for (guint i = 0; i < 100000; i++)
      g_string_append_c (rows, '[');
    assert_malformed (rows->str, -1);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/changes-scan/pouchdb", test_pouchdb);
  g_test_add_func ("/sync/changes-scan/couchdb", test_couchdb);
  g_test_add_func ("/sync/changes-scan/glossa", test_glossa);
  g_test_add_func ("/sync/changes-scan/escapes-duplicates", test_escapes_and_duplicates);
  g_test_add_func ("/sync/changes-scan/seqs", test_seqs);
  g_test_add_func ("/sync/changes-scan/wrong-shapes", test_wrong_shapes);
  g_test_add_func ("/sync/changes-scan/malformed", test_malformed);

  return g_test_run ();
}
