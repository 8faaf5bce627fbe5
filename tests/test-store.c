/* test-store.c: the CouchDB semantics of GlsStore
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "gls-store.h"
#include "gls-store-private.h"
#include "test-util.h"

#define HASH_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HASH_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define HASH_C "cccccccccccccccccccccccccccccccc"
#define HASH_D "dddddddddddddddddddddddddddddddd"
#define HASH_E "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
#define HASH_F "ffffffffffffffffffffffffffffffff"

typedef struct
{
  char     *dir;
  char     *path;
  GlsStore *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = test_data_dir_new ("glossa-store-XXXXXX");
  f->path = g_build_filename (f->dir, "test.db", NULL);
  f->store = gls_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  test_rm_rf (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static JsonObject *
obj (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static JsonArray *
arr (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_ref (json_node_get_array (node));
}

static char *
put (GlsStore   *store,
     const char *text)
{
  g_autoptr(JsonObject) doc = obj (text);
  g_autoptr(GError) error = NULL;
  char *rev = gls_store_put (store, doc, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rev);
  return rev;
}

static char *
put_printf (GlsStore   *store,
            const char *format,
            ...) G_GNUC_PRINTF (2, 3);

static char *
put_printf (GlsStore   *store,
            const char *format,
            ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  return put (store, text);
}

/* Writes with new_edits=false and checks every result is ok. */
static void
merge (GlsStore   *store,
       const char *docs_text)
{
  g_autoptr(JsonArray) docs = arr (docs_text);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) results = gls_store_bulk_docs (store, docs, FALSE, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (results), ==, json_array_get_length (docs));
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *r = json_array_get_object_element (results, i);
      if (!json_object_get_boolean_member_with_default (r, "ok", FALSE))
        g_error ("merge failed: %s", json_to_string (json_array_get_element (results, i), FALSE));
    }
}

static gboolean
is_rev (const char *rev,
        guint       gen)
{
  guint g;
  char hash[33];

  return _gls_rev_parse (rev, &g, hash) && g == gen;
}

/* JSON */

static void
test_json_canonical (void)
{
  g_autoptr(JsonObject) a = obj ("{\"b\":1,\"a\":{\"z\":[1,2.5,\"x\"],\"y\":null},"
                                 "\"c\":\"q\\\"\\\\\\n\\u0001é\",\"d\":true,\"e\":-0.1}");
  g_autoptr(JsonObject) b = obj ("{\"e\":-0.1,\"d\":true,\"c\":\"q\\\"\\\\\\n\\u0001é\","
                                 "\"a\":{\"y\":null,\"z\":[1,2.5,\"x\"]},\"b\":1}");
  g_autoptr(GString) sa = g_string_new (NULL);
  g_autoptr(GString) sb = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) back = NULL;
  g_autoptr(GString) again = g_string_new (NULL);

  _gls_json_write_object (sa, a, FALSE);
  _gls_json_write_object (sb, b, FALSE);
  g_assert_cmpstr (sa->str, ==,
                   "{\"a\":{\"y\":null,\"z\":[1,2.5,\"x\"]},\"b\":1,"
                   "\"c\":\"q\\\"\\\\\\n\\u0001é\",\"d\":true,\"e\":-0.1}");
  g_assert_cmpstr (sa->str, ==, sb->str);

  /* Our parser reads it back to the same value. */
  back = _gls_json_parse (sa->str, -1, &error);
  g_assert_no_error (error);
  _gls_json_write (again, back);
  g_assert_cmpstr (again->str, ==, sa->str);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (back), "c"), ==,
                   "q\"\\\n\001é");

  /* A double -0 is written 0: "-0" would read back as the integer 0 and
   * be written "0", so the same document had two texts (found by
   * tests/fuzz/fuzz-json). */
  {
    g_autoptr(JsonNode) zero = json_node_init_double (json_node_alloc (), -0.0);
    g_autofree char *text = gls_json_to_string (zero);

    g_assert_cmpstr (text, ==, "0");
  }

  /* Underscore members are left out of a body. */
  g_string_truncate (sa, 0);
  {
    g_autoptr(JsonObject) c = obj ("{\"_id\":\"x\",\"_rev\":\"1-" HASH_A "\",\"k\":2}");
    _gls_json_write_object (sa, c, TRUE);
  }
  g_assert_cmpstr (sa->str, ==, "{\"k\":2}");

  /* Big objects are sorted too. */
  {
    g_autoptr(JsonObject) big = json_object_new ();
    g_autoptr(GString) expected = g_string_new ("{");

    for (int i = 99; i >= 0; i--)
      {
        g_autofree char *key = g_strdup_printf ("k%02d", i);
        json_object_set_int_member (big, key, i);
      }
    for (int i = 0; i < 100; i++)
      g_string_append_printf (expected, "%s\"k%02d\":%d", i > 0 ? "," : "", i, i);
    g_string_append_c (expected, '}');
    g_string_truncate (sa, 0);
    _gls_json_write_object (sa, big, FALSE);
    g_assert_cmpstr (sa->str, ==, expected->str);
  }
}

static void
test_json_parse (void)
{
  const char *bad[] = {
    "", "{", "{\"a\"}", "{\"a\":1,}", "[1,]", "\"\\x\"", "\"\\ud800\"", "01x", "tru",
    "{\"a\":1} x", "\"a\nb\"", "-", "1.", "1e",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autoptr(JsonNode) n = _gls_json_parse (bad[i], -1, &e);

      if (n != NULL)
        g_error ("parsed invalid JSON: %s", bad[i]);
      g_assert_nonnull (e);
    }

  node = _gls_json_parse (" {\"s\":\"\\ud83d\\ude00\\u00e9\",\"n\":[0,-12,1e3,"
                          "9223372036854775807,12345678901234567890]} ", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "s"), ==,
                   "😀é");
  _gls_json_write (s, node);
  g_assert_cmpstr (s->str, ==,
                   "{\"n\":[0,-12,1000,9223372036854775807,1.2345678901234567e+19],"
                   "\"s\":\"😀é\"}");
}

/* Pure revision tree */

static void
test_rev_parse (void)
{
  guint gen = 0;
  char hash[33];
  const char *bad[] = {
    NULL, "", "1", "1-", "0-" HASH_A, "01-" HASH_A, "x-" HASH_A, "1-" HASH_A "0",
    "1-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "1-aaaa", "-1-" HASH_A, "1_" HASH_A,
    "99999999999-" HASH_A, "1-gggggggggggggggggggggggggggggggg",
  };

  g_assert_true (_gls_rev_parse ("12-" HASH_B, &gen, hash));
  g_assert_cmpuint (gen, ==, 12);
  g_assert_cmpstr (hash, ==, HASH_B);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (_gls_rev_parse (bad[i], NULL, NULL));
}

static void
test_revtree_winner (void)
{
  g_auto(GlsRevTree) tree = { NULL, };
  const char *path1[] = { HASH_B, HASH_A };
  const char *path2[] = { HASH_C, HASH_A };
  const char *path3[] = { HASH_D, HASH_B, HASH_A };
  gboolean changed;
  int w;

  _gls_rev_tree_init (&tree);
  _gls_rev_tree_merge_path (&tree, 2, path1, 2, FALSE, &changed);
  g_assert_true (changed);
  _gls_rev_tree_merge_path (&tree, 2, path2, 2, FALSE, &changed);
  g_assert_true (changed);
  _gls_rev_tree_update_leaves (&tree);
  g_assert_cmpuint (tree.nodes->len, ==, 3);

  /* Same generation: the greater hash wins. */
  w = _gls_rev_tree_winner (&tree);
  g_assert_cmpstr (_gls_rev_tree_node (&tree, w)->hash, ==, HASH_C);

  /* A higher generation wins, even with a smaller hash... */
  _gls_rev_tree_merge_path (&tree, 3, path3, 3, FALSE, &changed);
  _gls_rev_tree_update_leaves (&tree);
  w = _gls_rev_tree_winner (&tree);
  g_assert_cmpstr (_gls_rev_tree_node (&tree, w)->hash, ==, HASH_D);

  /* ...unless it is deleted. */
  _gls_rev_tree_node (&tree, w)->deleted = TRUE;
  w = _gls_rev_tree_winner (&tree);
  g_assert_cmpstr (_gls_rev_tree_node (&tree, w)->hash, ==, HASH_C);

  /* Merging a known path changes nothing. */
  _gls_rev_tree_merge_path (&tree, 2, path1, 2, FALSE, &changed);
  g_assert_false (changed);
}

static void
test_revtree_stem (void)
{
  g_auto(GlsRevTree) tree = { NULL, };
  const char *path[] = { HASH_F, HASH_E, HASH_D, HASH_C, HASH_B, HASH_A };
  const char *branch[] = { HASH_A, HASH_B };  /* 2-a on 1-b */
  gboolean changed;
  guint kept = 0;

  _gls_rev_tree_init (&tree);
  _gls_rev_tree_merge_path (&tree, 6, path, 6, FALSE, &changed);
  _gls_rev_tree_merge_path (&tree, 2, branch, 2, FALSE, &changed);
  _gls_rev_tree_update_leaves (&tree);
  _gls_rev_tree_stem (&tree, 3);

  for (guint i = 0; i < tree.nodes->len; i++)
    if (_gls_rev_tree_node (&tree, i)->state != GLS_REV_NODE_REMOVED)
      kept++;
  /* 6-f 5-e 4-d on one path; 2-a 1-b on the short one. */
  g_assert_cmpuint (kept, ==, 5);
  g_assert_cmpint (_gls_rev_tree_find (&tree, 3, HASH_C), <, 0);
  g_assert_cmpint (_gls_rev_tree_find (&tree, 1, HASH_A), <, 0);
  g_assert_cmpint (_gls_rev_tree_find (&tree, 1, HASH_B), >=, 0);
  g_assert_cmpint (_gls_rev_tree_node (&tree, _gls_rev_tree_find (&tree, 4, HASH_D))->parent, ==, -1);
}

/* Opening */

static void
test_open_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("glossa-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "new.db", NULL);
  g_autofree char *uuid = NULL;
  g_autoptr(GlsStore) store = gls_store_open (path, &error);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (gls_store_get_path (store), ==, path);
  g_assert_cmpuint (strlen (gls_store_get_uuid (store)), ==, 32);
  g_assert_nonnull (gls_store_get_instance_start_time (store));
  g_assert_cmpint (gls_store_get_update_seq (store), ==, 0);
  g_assert_cmpint (gls_store_get_doc_count (store), ==, 0);
  g_assert_cmpint (gls_store_get_doc_del_count (store), ==, 0);
  g_assert_cmpuint (gls_store_get_revs_limit (store), ==, 1000);
  uuid = g_strdup (gls_store_get_uuid (store));
  g_free (put (store, "{\"_id\":\"a\"}"));
  g_clear_object (&store);

  /* The file is in WAL mode, and keeps its identity. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  store = gls_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gls_store_get_uuid (store), ==, uuid);
  g_assert_cmpint (gls_store_get_update_seq (store), ==, 1);
  g_clear_object (&store);

  /* An empty file is a new store too. */
  g_remove (path);
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  store = gls_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gls_store_get_update_seq (store), ==, 0);
  g_clear_object (&store);

  /* A missing directory is an I/O error, not a crash. */
  {
    g_autofree char *bad = g_build_filename (dir, "no", "such", "dir.db", NULL);
    g_autoptr(GlsStore) none = gls_store_open (bad, &error);
    g_assert_null (none);
    g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_IO);
    g_clear_error (&error);
  }

  test_rm_rf (dir);
}

static void
test_open_corrupt (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("glossa-store-XXXXXX", &error);
  g_autofree char *text_path = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *foreign_path = g_build_filename (dir, "foreign.db", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *after = NULL;
  GlsStore *store;
  sqlite3 *db = NULL;
  GString *junk = g_string_new (NULL);

  /* Not an SQLite file at all: CORRUPT, and the file is left alone. */
  for (guint i = 0; i < 100; i++)
    g_string_append (junk, "These are my notes, not a database. ");
  contents = g_string_free (junk, FALSE);
  g_assert_true (g_file_set_contents (text_path, contents, -1, NULL));
  store = gls_store_open (text_path, &error);
  g_assert_null (store);
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "notes.txt"));
  g_assert_nonnull (strstr (error->message, "not a Glossa store"));
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (text_path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, contents);

  /* Another program's SQLite database. */
  g_assert_cmpint (sqlite3_open (foreign_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE photos (id INTEGER, name TEXT);"
                                     "INSERT INTO photos VALUES (1, 'cat');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = gls_store_open (foreign_path, &error);
  g_assert_null (store);
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "not a Glossa store"));
  g_clear_error (&error);

  test_rm_rf (dir);
}

/* Writing and reading */

static void
test_put_update (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rev1 = put (f->store, "{\"_id\":\"a\",\"x\":1,\"nested\":{\"k\":[1,2]}}");
  g_autofree char *rev2 = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) old = NULL;
  g_autofree char *auto_id_rev = NULL;

  g_assert_true (is_rev (rev1, 1));
  doc = gls_store_get (f->store, "a", NULL, GLS_STORE_GET_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (doc, "_id"), ==, "a");
  g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, rev1);
  g_assert_cmpint (json_object_get_int_member (doc, "x"), ==, 1);
  g_assert_false (json_object_has_member (doc, "_revisions"));
  g_assert_false (json_object_has_member (doc, "_deleted"));

  rev2 = put_printf (f->store, "{\"_id\":\"a\",\"_rev\":\"%s\",\"x\":2}", rev1);
  g_assert_true (is_rev (rev2, 2));
  g_clear_pointer (&doc, json_object_unref);
  doc = gls_store_get (f->store, "a", NULL, GLS_STORE_GET_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (doc, "x"), ==, 2);
  g_assert_false (json_object_has_member (doc, "nested"));

  /* The old revision's body is still readable by rev. */
  old = gls_store_get (f->store, "a", rev1, GLS_STORE_GET_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (old, "x"), ==, 1);

  g_assert_cmpint (gls_store_get_update_seq (f->store), ==, 2);
  g_assert_cmpint (gls_store_get_doc_count (f->store), ==, 1);

  /* Without _id a document gets a uuid. */
  {
    g_autoptr(JsonArray) docs = arr ("[{\"x\":1}]");
    g_autoptr(JsonArray) results = gls_store_bulk_docs (f->store, docs, TRUE, &error);
    JsonObject *r;

    g_assert_no_error (error);
    r = json_array_get_object_element (results, 0);
    g_assert_true (json_object_get_boolean_member (r, "ok"));
    g_assert_cmpuint (strlen (json_object_get_string_member (r, "id")), ==, 32);
    g_assert_true (is_rev (json_object_get_string_member (r, "rev"), 1));
  }

  /* Missing documents and revisions. */
  g_assert_null (gls_store_get (f->store, "nope", NULL, GLS_STORE_GET_NONE, &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (gls_store_get (f->store, "a", "7-" HASH_A, GLS_STORE_GET_NONE, &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (gls_store_get (f->store, "a", "7-xyz", GLS_STORE_GET_NONE, &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST);
  (void) body;
  (void) auto_id_rev;
}

static void
test_put_deterministic (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("glossa-store-XXXXXX", &error);
  g_autofree char *p1 = g_build_filename (dir, "one.db", NULL);
  g_autofree char *p2 = g_build_filename (dir, "two.db", NULL);
  g_autoptr(GlsStore) s1 = gls_store_open (p1, &error);
  g_autoptr(GlsStore) s2 = gls_store_open (p2, &error);
  g_autofree char *r1 = put (s1, "{\"_id\":\"d\",\"a\":1,\"b\":{\"c\":2,\"d\":3}}");
  g_autofree char *r2 = put (s2, "{\"b\":{\"d\":3,\"c\":2},\"_id\":\"d\",\"a\":1}");
  g_autofree char *r3 = NULL;
  g_autofree char *r4 = NULL;
  g_autofree char *x1 = put (s1, "{\"_id\":\"e\",\"a\":1}");
  g_autofree char *x2 = put (s2, "{\"_id\":\"e\",\"a\":2}");
  g_autofree char *y1 = put (s1, "{\"_id\":\"y\",\"a\":1}");
  g_autofree char *y2 = NULL;

  g_assert_no_error (error);

  /* Same edit, same rev: key order does not matter. */
  g_assert_cmpstr (r1, ==, r2);
  r3 = put_printf (s1, "{\"_id\":\"d\",\"_rev\":\"%s\",\"a\":5}", r1);
  r4 = put_printf (s2, "{\"_id\":\"d\",\"_rev\":\"%s\",\"a\":5}", r2);
  g_assert_cmpstr (r3, ==, r4);

  /* Different body, different rev; a deletion differs from an edit. */
  g_assert_cmpstr (x1, !=, x2);
  {
    g_autoptr(JsonObject) del = obj ("{\"_id\":\"y\",\"a\":1,\"_deleted\":true}");
    y2 = gls_store_put (s2, del, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpstr (y1, !=, y2);

  g_clear_object (&s1);
  g_clear_object (&s2);
  test_rm_rf (dir);
}

static void
expect_put_error (GlsStore   *store,
                  const char *text,
                  int         code)
{
  g_autoptr(JsonObject) doc = obj (text);
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = gls_store_put (store, doc, &error);

  if (rev != NULL)
    g_error ("put %s succeeded", text);
  g_assert_error (error, GLS_STORE_ERROR, code);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_put_conflict (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *rev1 = put (f->store, "{\"_id\":\"a\",\"v\":1}");
  g_autofree char *rev2 = put_printf (f->store, "{\"_id\":\"a\",\"_rev\":\"%s\",\"v\":2}", rev1);
  g_autofree char *stale = g_strdup_printf ("{\"_id\":\"a\",\"_rev\":\"%s\",\"v\":3}", rev1);
  gint64 seq = gls_store_get_update_seq (f->store);

  expect_put_error (f->store, stale, GLS_STORE_ERROR_CONFLICT);
  expect_put_error (f->store, "{\"_id\":\"a\",\"v\":3}", GLS_STORE_ERROR_CONFLICT);
  expect_put_error (f->store, "{\"_id\":\"b\",\"_rev\":\"1-" HASH_A "\"}", GLS_STORE_ERROR_CONFLICT);
  g_assert_cmpint (gls_store_get_update_seq (f->store), ==, seq);

  /* In a batch, the conflict is one answer; the others are written. */
  {
    g_autoptr(JsonArray) docs = json_array_new ();
    g_autoptr(JsonArray) results = NULL;
    g_autoptr(GError) error = NULL;
    JsonObject *r;

    json_array_add_object_element (docs, obj (stale));
    json_array_add_object_element (docs, obj ("{\"_id\":\"c\"}"));
    results = gls_store_bulk_docs (f->store, docs, TRUE, &error);
    g_assert_no_error (error);
    r = json_array_get_object_element (results, 0);
    g_assert_cmpstr (json_object_get_string_member (r, "id"), ==, "a");
    g_assert_cmpstr (json_object_get_string_member (r, "error"), ==, "conflict");
    g_assert_true (json_object_has_member (r, "reason"));
    r = json_array_get_object_element (results, 1);
    g_assert_true (json_object_get_boolean_member (r, "ok"));
  }
  g_assert_cmpint (gls_store_get_update_seq (f->store), ==, seq + 1);
  (void) rev2;
}

static void
test_put_bad_request (Fixture       *f,
                      gconstpointer  data)
{
  const char *bad[] = {
    "{\"_id\":\"a\",\"_rev\":\"1-abc\"}",
    "{\"_id\":\"a\",\"_rev\":\"0-" HASH_A "\"}",
    "{\"_id\":\"a\",\"_rev\":\"x-" HASH_A "\"}",
    "{\"_id\":\"a\",\"_rev\":\"1-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}",
    "{\"_id\":\"a\",\"_rev\":\"1" HASH_A "\"}",
    "{\"_id\":\"a\",\"_rev\":5}",
    "{\"_id\":\"_secret\"}",
    "{\"_id\":\"\"}",
    "{\"_id\":7}",
    "{\"_id\":\"a\",\"_bogus\":1}",
    "{\"_id\":\"a\",\"_deleted\":\"yes\"}",
    "{\"_id\":\"a\",\"_attachments\":[]}",
    "{\"_id\":\"a\",\"_attachments\":{\"f\":{\"content_type\":\"text/plain\"}}}",
    "{\"_id\":\"a\",\"_attachments\":{\"f\":{\"data\":\"*not base64*\"}}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    expect_put_error (f->store, bad[i], GLS_STORE_ERROR_BAD_REQUEST);
  g_assert_cmpint (gls_store_get_update_seq (f->store), ==, 0);

  /* Design documents are fine; ignored special members too. */
  g_free (put (f->store, "{\"_id\":\"_design/app\",\"_conflicts\":[]}"));

  /* new_edits=false needs _rev or _revisions, consistent with each other. */
  {
    g_autoptr(JsonArray) docs = arr (
      "[{\"_id\":\"r1\"},"
      " {\"_id\":\"r2\",\"_rev\":\"2-" HASH_A "\",\"_revisions\":{\"start\":2,\"ids\":[\"" HASH_B "\",\"" HASH_A "\"]}},"
      " {\"_id\":\"r3\",\"_revisions\":{\"start\":1,\"ids\":[\"" HASH_B "\",\"" HASH_A "\"]}},"
      " {\"_id\":\"r4\",\"_revisions\":{\"start\":2,\"ids\":[\"zz\"]}},"
      " {\"_id\":\"r5\",\"_rev\":\"2-" HASH_A "\",\"_revisions\":{\"start\":2,\"ids\":[\"" HASH_A "\",\"" HASH_B "\"]}}]");
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonArray) results = gls_store_bulk_docs (f->store, docs, FALSE, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < 4; i++)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, i), "error"),
                       ==, "bad_request");
    g_assert_true (json_object_get_boolean_member (json_array_get_object_element (results, 4), "ok"));
  }
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rev1 = put (f->store, "{\"_id\":\"a\",\"text\":\"hello\"}");
  g_autoptr(JsonObject) reason = obj ("{\"reason\":\"spam\",\"_revisions\":{}}");
  g_autofree char *rev2 = gls_store_delete (f->store, "a", rev1, reason, &error);
  g_autofree char *rev3 = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) changes = NULL;
  JsonObject *row;

  g_assert_no_error (error);
  g_assert_true (is_rev (rev2, 2));
  g_assert_cmpint (gls_store_get_doc_count (f->store), ==, 0);
  g_assert_cmpint (gls_store_get_doc_del_count (f->store), ==, 1);

  g_assert_null (gls_store_get (f->store, "a", NULL, GLS_STORE_GET_NONE, &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "deleted");
  g_clear_error (&error);

  /* The tombstone keeps the fields it was given. */
  doc = gls_store_get (f->store, "a", NULL, GLS_STORE_GET_DELETED_OK, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (doc, "_deleted"));
  g_assert_cmpstr (json_object_get_string_member (doc, "reason"), ==, "spam");
  g_assert_false (json_object_has_member (doc, "text"));
  g_clear_pointer (&doc, json_object_unref);
  doc = gls_store_get (f->store, "a", rev2, GLS_STORE_GET_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (doc, "_deleted"));

  changes = gls_store_changes (f->store, 0, 0, TRUE, &error);
  g_assert_no_error (error);
  row = json_array_get_object_element (json_object_get_array_member (changes, "results"), 0);
  g_assert_true (json_object_get_boolean_member (row, "deleted"));

  /* Deleting again with the old rev conflicts. */
  g_assert_null (gls_store_delete (f->store, "a", rev1, NULL, &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Writing without _rev brings the document back on top of its tombstone. */
  rev3 = put (f->store, "{\"_id\":\"a\",\"text\":\"again\"}");
  g_assert_true (is_rev (rev3, 3));
  g_assert_cmpint (gls_store_get_doc_count (f->store), ==, 1);
  g_assert_cmpint (gls_store_get_doc_del_count (f->store), ==, 0);
}

static void
test_revisions (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *r1 = put (f->store, "{\"_id\":\"a\",\"v\":1}");
  g_autofree char *r2 = put_printf (f->store, "{\"_id\":\"a\",\"_rev\":\"%s\",\"v\":2}", r1);
  g_autofree char *r3 = put_printf (f->store, "{\"_id\":\"a\",\"_rev\":\"%s\",\"v\":3}", r2);
  g_autoptr(JsonObject) doc = gls_store_get (f->store, "a", NULL, GLS_STORE_GET_REVS, &error);
  JsonObject *revisions;
  JsonArray *ids;

  g_assert_no_error (error);
  revisions = json_object_get_object_member (doc, "_revisions");
  g_assert_cmpint (json_object_get_int_member (revisions, "start"), ==, 3);
  ids = json_object_get_array_member (revisions, "ids");
  g_assert_cmpuint (json_array_get_length (ids), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (ids, 0), ==, r3 + 2);
  g_assert_cmpstr (json_array_get_string_element (ids, 1), ==, r2 + 2);
  g_assert_cmpstr (json_array_get_string_element (ids, 2), ==, r1 + 2);
}

static const char *
winner_rev (GlsStore   *store,
            const char *id)
{
  static char rev[64];
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = gls_store_get (store, id, NULL, GLS_STORE_GET_DELETED_OK, &error);

  g_assert_no_error (error);
  g_strlcpy (rev, json_object_get_string_member (doc, "_rev"), sizeof rev);
  return rev;
}

static char *
change_revs (JsonObject *changes,
             guint       row)
{
  JsonArray *results = json_object_get_array_member (changes, "results");
  JsonArray *list = json_object_get_array_member (json_array_get_object_element (results, row),
                                                  "changes");
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      if (i > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, json_object_get_string_member (json_array_get_object_element (list, i),
                                                         "rev"));
    }
  return g_string_free (s, FALSE);
}

static void
test_conflicts_winner (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) changes = NULL;
  g_autofree char *revs = NULL;
  JsonArray *conflicts;

  /* Two peers edited 1-a: 2-b and 2-c. */
  merge (f->store,
         "[{\"_id\":\"d\",\"v\":\"b\",\"_revisions\":{\"start\":2,\"ids\":[\"" HASH_B "\",\"" HASH_A "\"]}},"
         " {\"_id\":\"d\",\"v\":\"c\",\"_revisions\":{\"start\":2,\"ids\":[\"" HASH_C "\",\"" HASH_A "\"]}}]");
  g_assert_cmpstr (winner_rev (f->store, "d"), ==, "2-" HASH_C);

  doc = gls_store_get (f->store, "d", NULL, GLS_STORE_GET_CONFLICTS, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (doc, "v"), ==, "c");
  conflicts = json_object_get_array_member (doc, "_conflicts");
  g_assert_cmpuint (json_array_get_length (conflicts), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (conflicts, 0), ==, "2-" HASH_B);
  g_clear_pointer (&doc, json_object_unref);

  /* The changes feed lists both leaves, winner first, at one seq. */
  changes = gls_store_changes (f->store, 0, 0, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (changes, "results")), ==, 1);
  revs = change_revs (changes, 0);
  g_assert_cmpstr (revs, ==, "2-" HASH_C " 2-" HASH_B);
  g_clear_pointer (&revs, g_free);
  g_clear_pointer (&changes, json_object_unref);
  changes = gls_store_changes (f->store, 0, 0, FALSE, &error);
  revs = change_revs (changes, 0);
  g_assert_cmpstr (revs, ==, "2-" HASH_C);
  g_clear_pointer (&revs, g_free);
  g_clear_pointer (&changes, json_object_unref);

  /* A higher generation on the other branch wins. */
  merge (f->store,
         "[{\"_id\":\"d\",\"v\":\"d\",\"_revisions\":{\"start\":3,\"ids\":[\"" HASH_D "\",\"" HASH_B "\",\"" HASH_A "\"]}}]");
  g_assert_cmpstr (winner_rev (f->store, "d"), ==, "3-" HASH_D);

  /* Deleting it: a live leaf beats a deleted one of higher generation. */
  merge (f->store,
         "[{\"_id\":\"d\",\"_deleted\":true,\"_revisions\":{\"start\":4,\"ids\":[\"" HASH_E "\",\"" HASH_D "\"]}}]");
  g_assert_cmpstr (winner_rev (f->store, "d"), ==, "2-" HASH_C);
  doc = gls_store_get (f->store, "d", NULL, GLS_STORE_GET_CONFLICTS, &error);
  g_assert_no_error (error);
  g_assert_false (json_object_has_member (doc, "_conflicts"));  /* the other leaf is deleted */
  g_clear_pointer (&doc, json_object_unref);
  g_assert_cmpint (gls_store_get_doc_count (f->store), ==, 1);

  /* All leaves deleted: the document is deleted; the winner is the
   * higher generation tombstone. */
  merge (f->store,
         "[{\"_id\":\"d\",\"_deleted\":true,\"_revisions\":{\"start\":3,\"ids\":[\"" HASH_F "\",\"" HASH_C "\"]}}]");
  g_assert_cmpstr (winner_rev (f->store, "d"), ==, "4-" HASH_E);
  g_assert_cmpint (gls_store_get_doc_count (f->store), ==, 0);
  g_assert_cmpint (gls_store_get_doc_del_count (f->store), ==, 1);

  /* new_edits=true may extend any leaf, here the losing tombstone 3-f. */
  g_free (put (f->store, "{\"_id\":\"d\",\"_rev\":\"3-" HASH_F "\",\"v\":\"back\"}"));
  g_assert_true (is_rev (winner_rev (f->store, "d"), 4));
  g_assert_cmpint (gls_store_get_doc_count (f->store), ==, 1);
}

static void
test_merge_idempotent (Fixture       *f,
                       gconstpointer  data)
{
  const char *docs = "[{\"_id\":\"m\",\"v\":1,\"_revisions\":{\"start\":2,\"ids\":[\"" HASH_B "\",\"" HASH_A "\"]}}]";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) changes = NULL;
  gint64 seq;

  merge (f->store, docs);
  seq = gls_store_get_update_seq (f->store);
  g_assert_cmpint (seq, ==, 1);
  merge (f->store, docs);
  merge (f->store, "[{\"_id\":\"m\",\"_rev\":\"1-" HASH_A "\"}]");  /* a known ancestor */
  g_assert_cmpint (gls_store_get_update_seq (f->store), ==, seq);

  changes = gls_store_changes (f->store, 0, 0, TRUE, &error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (changes, "results")), ==, 1);
  g_assert_cmpstr (winner_rev (f->store, "m"), ==, "2-" HASH_B);
}

static void
test_merge_extends_leaf (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) changes = NULL;
  g_autoptr(JsonArray) open = NULL;
  g_autofree char *revs = NULL;
  const char *latest[] = { "1-" HASH_A, "2-" HASH_B, "9-" HASH_F, NULL };

  /* A generation-1 document with only _rev (as PouchDB sends it). */
  merge (f->store, "[{\"_id\":\"x\",\"v\":1,\"_rev\":\"1-" HASH_A "\"}]");
  g_assert_cmpstr (winner_rev (f->store, "x"), ==, "1-" HASH_A);

  /* Its descendant arrives: 1-a is no longer a leaf. */
  merge (f->store, "[{\"_id\":\"x\",\"v\":3,\"_revisions\":{\"start\":3,\"ids\":[\"" HASH_C "\",\"" HASH_B "\",\"" HASH_A "\"]}}]");
  changes = gls_store_changes (f->store, 0, 0, TRUE, &error);
  g_assert_no_error (error);
  revs = change_revs (changes, 0);
  g_assert_cmpstr (revs, ==, "3-" HASH_C);
  g_assert_cmpint (json_object_get_int_member (changes, "last_seq"), ==, 2);

  open = gls_store_get_open_revs (f->store, "x", NULL, GLS_STORE_GET_REVS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (open), ==, 1);
  {
    JsonObject *doc = json_object_get_object_member (json_array_get_object_element (open, 0), "ok");
    JsonObject *revisions = json_object_get_object_member (doc, "_revisions");
    g_assert_cmpint (json_object_get_int_member (revisions, "start"), ==, 3);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (revisions, "ids")), ==, 3);
  }
  g_clear_pointer (&open, json_array_unref);

  /* 2-b arrived as an ancestor only: no body. */
  g_assert_null (gls_store_get (f->store, "x", "2-" HASH_B, GLS_STORE_GET_NONE, &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* latest: an ancestor answers with its leaf; unknown revs are missing. */
  open = gls_store_get_open_revs (f->store, "x", latest, GLS_STORE_GET_LATEST, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (open), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_array_get_object_element (open, 0), "ok"),
                     "_rev"), ==, "3-" HASH_C);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (open, 1), "missing"),
                   ==, "9-" HASH_F);
  g_clear_pointer (&open, json_array_unref);

  /* Without latest, a known non-leaf with a body answers itself. */
  {
    const char *one[] = { "1-" HASH_A, NULL };
    open = gls_store_get_open_revs (f->store, "x", one, GLS_STORE_GET_NONE, &error);
    g_assert_no_error (error);
    g_assert_cmpint (json_object_get_int_member (
                       json_object_get_object_member (json_array_get_object_element (open, 0), "ok"),
                       "v"), ==, 1);
    g_clear_pointer (&open, json_array_unref);
  }

  /* A revision with only _rev at any generation: a path of length 1. */
  merge (f->store, "[{\"_id\":\"y\",\"v\":5,\"_rev\":\"5-" HASH_E "\"}]");
  g_assert_cmpstr (winner_rev (f->store, "y"), ==, "5-" HASH_E);

  /* Missing document. */
  g_assert_null (gls_store_get_open_revs (f->store, "zz", NULL, GLS_STORE_GET_NONE, &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    const char *bad[] = { "1-zz", NULL };
    g_assert_null (gls_store_get_open_revs (f->store, "x", bad, GLS_STORE_GET_NONE, &error));
    g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST);
  }
}

static void
test_stemming (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) revs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) doc = NULL;
  JsonObject *revisions;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonObject) diff = NULL;

  gls_store_set_revs_limit (f->store, 3);
  g_assert_cmpuint (gls_store_get_revs_limit (f->store), ==, 3);

  g_ptr_array_add (revs, put (f->store, "{\"_id\":\"s\",\"v\":0}"));
  for (guint i = 1; i < 10; i++)
    g_ptr_array_add (revs, put_printf (f->store, "{\"_id\":\"s\",\"_rev\":\"%s\",\"v\":%u}",
                                       (char *) revs->pdata[i - 1], i));

  doc = gls_store_get (f->store, "s", NULL, GLS_STORE_GET_REVS, &error);
  g_assert_no_error (error);
  revisions = json_object_get_object_member (doc, "_revisions");
  g_assert_cmpint (json_object_get_int_member (revisions, "start"), ==, 10);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (revisions, "ids")), ==, 3);

  /* Stemmed revisions are forgotten. */
  g_assert_null (gls_store_get (f->store, "s", revs->pdata[6], GLS_STORE_GET_NONE, &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autoptr(JsonObject) kept = gls_store_get (f->store, "s", revs->pdata[7], GLS_STORE_GET_NONE, &error);
    g_assert_no_error (error);
  }
  request = json_object_new ();
  {
    JsonArray *list = json_array_new ();
    json_array_add_string_element (list, revs->pdata[0]);
    json_array_add_string_element (list, revs->pdata[8]);
    json_object_set_array_member (request, "s", list);
  }
  diff = gls_store_revs_diff (f->store, request, &error);
  g_assert_no_error (error);
  {
    JsonArray *missing = json_object_get_array_member (json_object_get_object_member (diff, "s"), "missing");
    g_assert_cmpuint (json_array_get_length (missing), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (missing, 0), ==, revs->pdata[0]);
  }

  /* A long replicated path is stemmed too, and the limit persists. */
  merge (f->store,
         "[{\"_id\":\"long\",\"_revisions\":{\"start\":6,\"ids\":[\"" HASH_F "\",\"" HASH_E "\",\""
         HASH_D "\",\"" HASH_C "\",\"" HASH_B "\",\"" HASH_A "\"]}}]");
  g_clear_pointer (&doc, json_object_unref);
  doc = gls_store_get (f->store, "long", NULL, GLS_STORE_GET_REVS, &error);
  g_assert_no_error (error);
  revisions = json_object_get_object_member (doc, "_revisions");
  g_assert_cmpint (json_object_get_int_member (revisions, "start"), ==, 6);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (revisions, "ids")), ==, 3);

  g_clear_object (&f->store);
  f->store = gls_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gls_store_get_revs_limit (f->store), ==, 3);
}

static void
test_revs_diff (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonObject) diff = NULL;
  JsonObject *entry;
  JsonArray *list;

  merge (f->store,
         "[{\"_id\":\"doc\",\"_revisions\":{\"start\":2,\"ids\":[\"" HASH_B "\",\"" HASH_A "\"]}},"
         " {\"_id\":\"doc\",\"_revisions\":{\"start\":4,\"ids\":[\"" HASH_E "\",\"" HASH_D "\",\"" HASH_C "\",\"" HASH_A "\"]}},"
         " {\"_id\":\"full\",\"_rev\":\"1-" HASH_A "\"}]");

  request = obj ("{\"doc\":[\"2-" HASH_B "\",\"1-" HASH_A "\",\"3-" HASH_D "\",\"3-" HASH_F "\",\"3-" HASH_F "\",\"2-" HASH_F "\"],"
                 " \"nope\":[\"1-" HASH_D "\"],"
                 " \"full\":[\"1-" HASH_A "\"]}");
  diff = gls_store_revs_diff (f->store, request, &error);
  g_assert_no_error (error);

  /* Ancestors and leaves are known; only the unknown are missing, once. */
  entry = json_object_get_object_member (diff, "doc");
  list = json_object_get_array_member (entry, "missing");
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (list, 0), ==, "3-" HASH_F);
  g_assert_cmpstr (json_array_get_string_element (list, 1), ==, "2-" HASH_F);
  /* Leaves of a lower generation than the highest missing one. */
  list = json_object_get_array_member (entry, "possible_ancestors");
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (list, 0), ==, "2-" HASH_B);

  entry = json_object_get_object_member (diff, "nope");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (entry, "missing")), ==, 1);
  g_assert_false (json_object_has_member (entry, "possible_ancestors"));
  g_assert_false (json_object_has_member (diff, "full"));

  g_clear_pointer (&request, json_object_unref);
  request = obj ("{\"doc\":[\"2-bogus\"]}");
  g_assert_null (gls_store_revs_diff (f->store, request, &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST);
}

/* The list version answers as the JSON one does, without ancestors;
 * long lists (hash tables) and short ones (scans) alike. */
static void
test_revs_diff_list (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsStoreRevsList) request = gls_store_revs_list_new ();
  g_autoptr(GlsStoreRevsList) diff = NULL;
  g_autoptr(GlsStoreRevsList) bad = gls_store_revs_list_new ();
  g_autoptr(GlsStoreRevsList) empty = gls_store_revs_list_new ();
  g_autoptr(JsonObject) json_request = json_object_new ();
  g_autoptr(JsonObject) json_diff = NULL;
  JsonArray *long_json = json_array_new ();
  gint64 last_seq = -1;
  gint64 pending = -1;
  g_autoptr(GlsStoreRevsList) changes = NULL;

  merge (f->store,
         "[{\"_id\":\"doc\",\"_revisions\":{\"start\":2,\"ids\":[\"" HASH_B "\",\"" HASH_A "\"]}},"
         " {\"_id\":\"doc\",\"_revisions\":{\"start\":4,\"ids\":[\"" HASH_E "\",\"" HASH_D "\",\"" HASH_C "\",\"" HASH_A "\"]}},"
         " {\"_id\":\"full\",\"_rev\":\"1-" HASH_A "\"}]");

  gls_store_revs_list_add_id (request, "doc", -1);
  gls_store_revs_list_add_rev (request, "2-" HASH_B, -1);
  gls_store_revs_list_add_rev (request, "1-" HASH_A, -1);
  gls_store_revs_list_add_rev (request, "3-" HASH_D, -1);
  gls_store_revs_list_add_rev (request, "3-" HASH_F, -1);
  gls_store_revs_list_add_rev (request, "3-" HASH_F, -1);
  gls_store_revs_list_add_rev (request, "2-" HASH_F, -1);
  gls_store_revs_list_add_id (request, "full", -1);
  gls_store_revs_list_add_rev (request, "1-" HASH_A, -1);
  gls_store_revs_list_add_id (request, "no\"pe", 2);
  gls_store_revs_list_add_rev (request, "1-" HASH_D "xyz", 34);
  /* 20 revs of one id: the hash-table path, duplicates and known ones. */
  gls_store_revs_list_add_id (request, "many", -1);
  for (guint i = 1; i <= 20; i++)
    {
      g_autofree char *rev = g_strdup_printf ("%u-" HASH_C, i % 10 + 1);

      gls_store_revs_list_add_rev (request, rev, -1);
      json_array_add_string_element (long_json, rev);
    }
  gls_store_revs_list_add_id (request, "none", -1);
  json_object_set_array_member (json_request, "many", long_json);

  diff = gls_store_revs_diff_list (f->store, request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gls_store_revs_list_get_length (diff), ==, 3);
  g_assert_cmpstr (gls_store_revs_list_get_id (diff, 0), ==, "doc");
  g_assert_cmpuint (gls_store_revs_list_get_n_revs (diff, 0), ==, 2);
  g_assert_cmpstr (gls_store_revs_list_get_rev (diff, 0, 0), ==, "3-" HASH_F);
  g_assert_cmpstr (gls_store_revs_list_get_rev (diff, 0, 1), ==, "2-" HASH_F);
  g_assert_cmpstr (gls_store_revs_list_get_id (diff, 1), ==, "no");
  g_assert_cmpuint (gls_store_revs_list_get_n_revs (diff, 1), ==, 1);
  g_assert_cmpstr (gls_store_revs_list_get_rev (diff, 1, 0), ==, "1-" HASH_D);
  g_assert_cmpstr (gls_store_revs_list_get_id (diff, 2), ==, "many");
  g_assert_cmpuint (gls_store_revs_list_get_n_all_revs (diff), ==, 13);

  /* The same as the JSON version says. */
  json_diff = gls_store_revs_diff (f->store, json_request, &error);
  g_assert_no_error (error);
  {
    JsonArray *missing = json_object_get_array_member (json_object_get_object_member (json_diff, "many"),
                                                       "missing");

    g_assert_cmpuint (json_array_get_length (missing), ==, gls_store_revs_list_get_n_revs (diff, 2));
    for (guint i = 0; i < json_array_get_length (missing); i++)
      g_assert_cmpstr (json_array_get_string_element (missing, i), ==,
                       gls_store_revs_list_get_rev (diff, 2, i));
  }

  /* Nothing asked, nothing missing. */
  g_clear_pointer (&diff, gls_store_revs_list_unref);
  diff = gls_store_revs_diff_list (f->store, empty, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gls_store_revs_list_get_length (diff), ==, 0);

  /* A bad rev anywhere: nothing is read. */
  gls_store_revs_list_add_id (bad, "doc", -1);
  gls_store_revs_list_add_rev (bad, "1-" HASH_A, -1);
  gls_store_revs_list_add_id (bad, "doc2", -1);
  gls_store_revs_list_add_rev (bad, "2-bogus", -1);
  g_clear_pointer (&diff, gls_store_revs_list_unref);
  g_assert_null (gls_store_revs_diff_list (f->store, bad, &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST);
  g_clear_error (&error);

  /* The changes as a list: each document's leaves, winner first. */
  changes = gls_store_changes_revs (f->store, 0, 0, &last_seq, &pending, &error);
  g_assert_no_error (error);
  g_assert_cmpint (last_seq, ==, gls_store_get_update_seq (f->store));
  g_assert_cmpint (pending, ==, 0);
  g_assert_cmpuint (gls_store_revs_list_get_length (changes), ==, 2);
  g_assert_cmpstr (gls_store_revs_list_get_id (changes, 0), ==, "doc");
  g_assert_cmpuint (gls_store_revs_list_get_n_revs (changes, 0), ==, 2);
  g_assert_cmpstr (gls_store_revs_list_get_rev (changes, 0, 0), ==, "4-" HASH_E);
  g_assert_cmpstr (gls_store_revs_list_get_rev (changes, 0, 1), ==, "2-" HASH_B);
  g_assert_cmpstr (gls_store_revs_list_get_id (changes, 1), ==, "full");
  g_clear_pointer (&changes, gls_store_revs_list_unref);
  changes = gls_store_changes_revs (f->store, 0, 1, &last_seq, &pending, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gls_store_revs_list_get_length (changes), ==, 1);
  g_assert_cmpint (pending, ==, 1);
}

static void
test_changes (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) changes = NULL;
  g_autofree char *ra = put (f->store, "{\"_id\":\"a\"}");
  g_autofree char *rb = put (f->store, "{\"_id\":\"b\"}");
  g_autofree char *rc = put (f->store, "{\"_id\":\"c\"}");
  g_autofree char *ra2 = put_printf (f->store, "{\"_id\":\"a\",\"_rev\":\"%s\",\"v\":2}", ra);
  g_autofree char *rd = put (f->store, "{\"_id\":\"d\"}");
  JsonArray *results;
  const char *expected_ids[] = { "b", "c", "a", "d" };
  const gint64 expected_seqs[] = { 2, 3, 4, 5 };

  changes = gls_store_changes (f->store, 0, 0, TRUE, &error);
  g_assert_no_error (error);
  results = json_object_get_array_member (changes, "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      JsonObject *row = json_array_get_object_element (results, i);
      g_assert_cmpstr (json_object_get_string_member (row, "id"), ==, expected_ids[i]);
      g_assert_cmpint (json_object_get_int_member (row, "seq"), ==, expected_seqs[i]);
      g_assert_false (json_object_has_member (row, "deleted"));
    }
  {
    g_autofree char *revs = change_revs (changes, 2);
    g_assert_cmpstr (revs, ==, ra2);
  }
  g_assert_cmpint (json_object_get_int_member (changes, "last_seq"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (changes, "pending"), ==, 0);
  g_clear_pointer (&changes, json_object_unref);

  /* limit and pending */
  changes = gls_store_changes (f->store, 0, 2, TRUE, &error);
  g_assert_no_error (error);
  results = json_object_get_array_member (changes, "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  g_assert_cmpint (json_object_get_int_member (changes, "last_seq"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (changes, "pending"), ==, 2);
  g_clear_pointer (&changes, json_object_unref);

  /* since */
  changes = gls_store_changes (f->store, 3, 1, FALSE, &error);
  g_assert_no_error (error);
  results = json_object_get_array_member (changes, "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "id"), ==, "a");
  g_assert_cmpint (json_object_get_int_member (changes, "pending"), ==, 1);
  g_clear_pointer (&changes, json_object_unref);

  changes = gls_store_changes (f->store, 5, 0, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (changes, "results")), ==, 0);
  g_assert_cmpint (json_object_get_int_member (changes, "last_seq"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (changes, "pending"), ==, 0);
}

/* The text answer the peer server sends is the JSON answer, written. */
static void
test_changes_text (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ra = put (f->store, "{\"_id\":\"a\"}");
  g_autofree char *rq = put (f->store, "{\"_id\":\"quote \\\" \\\\ caf\u00e9 \\u0001 \\ud83d\\ude00\"}");
  static const gint64 sinces[] = { 0, 1, 2, 3, 99 };
  static const gint64 limits[] = { 0, 1, 2, 10 };

  /* a conflict, and a deleted document */
  merge (f->store,
         "[{\"_id\":\"c\",\"_rev\":\"2-" HASH_B "\",\"_revisions\":{\"start\":2,\"ids\":[\"" HASH_B "\",\"" HASH_A "\"]}},"
         " {\"_id\":\"c\",\"_rev\":\"2-" HASH_C "\",\"_revisions\":{\"start\":2,\"ids\":[\"" HASH_C "\",\"" HASH_A "\"]}},"
         " {\"_id\":\"gone\",\"_rev\":\"1-" HASH_D "\",\"_deleted\":true}]");
  g_free (gls_store_delete (f->store, "a", ra, NULL, &error));
  g_assert_no_error (error);

  for (guint all = 0; all < 2; all++)
    for (guint i = 0; i < G_N_ELEMENTS (sinces); i++)
      for (guint j = 0; j < G_N_ELEMENTS (limits); j++)
        {
          g_autoptr(JsonObject) changes = gls_store_changes (f->store, sinces[i], limits[j], all, &error);
          g_autoptr(JsonNode) node = NULL;
          g_autofree char *expected = NULL;
          g_autoptr(GString) text = g_string_new ("");
          gint64 n = -1;

          g_assert_no_error (error);
          node = json_node_init_object (json_node_alloc (), changes);
          expected = gls_json_to_string (node);
          g_assert_true (gls_store_changes_text (f->store, sinces[i], limits[j], all, text, &n, &error));
          g_assert_no_error (error);
          g_assert_cmpstr (text->str, ==, expected);
          g_assert_cmpint (n, ==, json_array_get_length (json_object_get_array_member (changes, "results")));
        }
}

static void
test_local (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) checkpoint = obj ("{\"last_seq\":5}");
  g_autofree char *rev1 = gls_store_put_local (f->store, "repl", checkpoint, &error);
  g_autofree char *rev2 = NULL;
  g_autoptr(JsonObject) changes = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (rev1, ==, "0-1");

  doc = gls_store_get_local (f->store, "repl", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (doc, "_id"), ==, "_local/repl");
  g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, "0-1");
  g_assert_cmpint (json_object_get_int_member (doc, "last_seq"), ==, 5);
  g_clear_pointer (&doc, json_object_unref);

  /* gls_store_get with the prefix, never with _revisions */
  doc = gls_store_get (f->store, "_local/repl", NULL, GLS_STORE_GET_REVS, &error);
  g_assert_no_error (error);
  g_assert_false (json_object_has_member (doc, "_revisions"));
  g_clear_pointer (&doc, json_object_unref);

  /* A PUT without _rev, or with the wrong one, conflicts. */
  g_assert_null (gls_store_put_local (f->store, "repl", checkpoint, &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  {
    g_autoptr(JsonObject) wrong = obj ("{\"last_seq\":6,\"_rev\":\"0-7\"}");
    g_assert_null (gls_store_put_local (f->store, "repl", wrong, &error));
    g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_CONFLICT);
    g_clear_error (&error);
  }
  {
    g_autoptr(JsonObject) right = obj ("{\"last_seq\":6,\"_rev\":\"0-1\"}");
    rev2 = gls_store_put_local (f->store, "repl", right, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (rev2, ==, "0-2");
  }
  /* Replacing goes over whatever revision is there, with or without one,
   * a stale one included. */
  {
    g_autoptr(JsonObject) fresh = obj ("{\"x\":1}");
    g_autoptr(JsonObject) stale = obj ("{\"x\":2,\"_rev\":\"0-1\"}");
    g_autoptr(JsonObject) back = NULL;
    g_autofree char *r1 = gls_store_replace_local (f->store, "mine", fresh, &error);
    g_autofree char *r2 = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (r1, ==, "0-1");
    r2 = gls_store_replace_local (f->store, "mine", stale, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (r2, ==, "0-2");
    r1 = (g_free (r1), gls_store_replace_local (f->store, "mine", stale, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (r1, ==, "0-3");
    back = gls_store_get_local (f->store, "mine", &error);
    g_assert_cmpint (json_object_get_int_member (back, "x"), ==, 2);
  }

  /* Not part of the update sequence or the changes feed. */
  g_assert_cmpint (gls_store_get_update_seq (f->store), ==, 0);
  changes = gls_store_changes (f->store, 0, 0, TRUE, &error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (changes, "results")), ==, 0);

  /* Through _bulk_docs too. */
  {
    g_autoptr(JsonArray) docs = arr ("[{\"_id\":\"_local/other\",\"x\":1}]");
    g_autoptr(JsonArray) results = gls_store_bulk_docs (f->store, docs, TRUE, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "rev"),
                     ==, "0-1");
    g_assert_cmpint (gls_store_get_update_seq (f->store), ==, 0);
  }

  g_assert_false (gls_store_delete_local (f->store, "repl", "0-1", &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (gls_store_delete_local (f->store, "repl", "0-2", &error));
  g_assert_no_error (error);
  g_assert_null (gls_store_get_local (f->store, "repl", &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (gls_store_delete_local (f->store, "repl", "0-2", &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND);
}

/* Attachments */

static void
test_attachments (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rev1 = put (f->store,
                               "{\"_id\":\"a\",\"_attachments\":{\"note.txt\":{\"content_type\":\"text/plain\","
                               "\"data\":\"aGVsbG8gd29ybGQ=\"}}}");
  g_autofree char *rev2 = NULL;
  g_autofree char *rev3 = NULL;
  g_autofree char *content_type = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonObject *att;

  /* The digest CouchDB computes for "hello world" (from its documentation). */
  doc = gls_store_get (f->store, "a", NULL, GLS_STORE_GET_NONE, &error);
  g_assert_no_error (error);
  att = json_object_get_object_member (json_object_get_object_member (doc, "_attachments"), "note.txt");
  g_assert_cmpstr (json_object_get_string_member (att, "digest"), ==, "md5-XrY7u+Ae7tCTyyK7j1rNww==");
  g_assert_cmpstr (json_object_get_string_member (att, "content_type"), ==, "text/plain");
  g_assert_cmpint (json_object_get_int_member (att, "length"), ==, 11);
  g_assert_cmpint (json_object_get_int_member (att, "revpos"), ==, 1);
  g_assert_true (json_object_get_boolean_member (att, "stub"));
  g_assert_false (json_object_has_member (att, "data"));
  g_clear_pointer (&doc, json_object_unref);

  doc = gls_store_get (f->store, "a", NULL, GLS_STORE_GET_ATTACHMENTS, &error);
  g_assert_no_error (error);
  att = json_object_get_object_member (json_object_get_object_member (doc, "_attachments"), "note.txt");
  g_assert_cmpstr (json_object_get_string_member (att, "data"), ==, "aGVsbG8gd29ybGQ=");
  g_assert_false (json_object_has_member (att, "stub"));
  g_clear_pointer (&doc, json_object_unref);

  bytes = gls_store_get_attachment (f->store, "a", NULL, "note.txt", &content_type, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "hello world", 11);
  g_assert_cmpstr (content_type, ==, "text/plain");
  g_clear_pointer (&bytes, g_bytes_unref);

  /* A stub keeps the parent's attachment, with its revpos. */
  rev2 = put_printf (f->store,
                     "{\"_id\":\"a\",\"_rev\":\"%s\",\"v\":2,\"_attachments\":{\"note.txt\":{\"stub\":true}}}",
                     rev1);
  doc = gls_store_get (f->store, "a", NULL, GLS_STORE_GET_NONE, &error);
  att = json_object_get_object_member (json_object_get_object_member (doc, "_attachments"), "note.txt");
  g_assert_cmpint (json_object_get_int_member (att, "revpos"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (att, "length"), ==, 11);
  g_clear_pointer (&doc, json_object_unref);

  /* A stub for an attachment the parent does not have. */
  {
    g_autofree char *text = g_strdup_printf ("{\"_id\":\"a\",\"_rev\":\"%s\",\"_attachments\":"
                                             "{\"other.txt\":{\"stub\":true}}}", rev2);
    expect_put_error (f->store, text, GLS_STORE_ERROR_MISSING_STUB);
  }

  /* Leaving _attachments out removes them. */
  rev3 = put_printf (f->store, "{\"_id\":\"a\",\"_rev\":\"%s\",\"v\":3}", rev2);
  doc = gls_store_get (f->store, "a", NULL, GLS_STORE_GET_NONE, &error);
  g_assert_false (json_object_has_member (doc, "_attachments"));
  g_assert_null (gls_store_get_attachment (f->store, "a", NULL, "note.txt", NULL, &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* The old revision still has it. */
  bytes = gls_store_get_attachment (f->store, "a", rev1, "note.txt", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 11);

  /* Replicated revisions: a stub by digest we hold, or missing_stub. */
  merge (f->store,
         "[{\"_id\":\"r\",\"_rev\":\"2-" HASH_B "\",\"_attachments\":{\"n.txt\":{\"stub\":true,"
         "\"content_type\":\"text/plain\",\"digest\":\"md5-XrY7u+Ae7tCTyyK7j1rNww==\",\"revpos\":1}}}]");
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = gls_store_get_attachment (f->store, "r", NULL, "n.txt", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "hello world", 11);
  {
    g_autoptr(JsonArray) docs = arr ("[{\"_id\":\"s\",\"_rev\":\"2-" HASH_B "\",\"_attachments\":{\"n.txt\":"
                                     "{\"stub\":true,\"digest\":\"md5-AAAAAAAAAAAAAAAAAAAAAA==\",\"revpos\":1}}}]");
    g_autoptr(JsonArray) results = gls_store_bulk_docs (f->store, docs, FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "error"),
                     ==, "missing_stub");
  }
  /* Sending a revision we already have again is fine, stubs or not. */
  merge (f->store,
         "[{\"_id\":\"r\",\"_rev\":\"2-" HASH_B "\",\"_attachments\":{\"n.txt\":{\"stub\":true,"
         "\"digest\":\"md5-AAAAAAAAAAAAAAAAAAAAAA==\",\"revpos\":1}}}]");
}

static void
test_attachments_dedup (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GChecksum) md5 = g_checksum_new (G_CHECKSUM_MD5);
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *base64 = NULL;
  g_autofree char *expected = NULL;
  guchar buf[3000];
  guint8 raw[16];
  gsize raw_len = sizeof raw;

  for (guint i = 0; i < sizeof buf; i++)
    buf[i] = (guchar) g_random_int ();
  base64 = g_base64_encode (buf, sizeof buf);
  g_checksum_update (md5, buf, sizeof buf);
  g_checksum_get_digest (md5, raw, &raw_len);
  {
    g_autofree char *b = g_base64_encode (raw, raw_len);
    expected = g_strconcat ("md5-", b, NULL);
  }

  g_free (put_printf (f->store, "{\"_id\":\"one\",\"_attachments\":{\"a.png\":{\"content_type\":\"image/png\",\"data\":\"%s\"}}}", base64));
  g_free (put_printf (f->store, "{\"_id\":\"two\",\"_attachments\":{\"b.png\":{\"content_type\":\"image/png\",\"data\":\"%s\"}}}", base64));
  g_assert_cmpint (_gls_store_count_blobs (f->store), ==, 1);
  g_free (put (f->store, "{\"_id\":\"three\",\"_attachments\":{\"c.txt\":{\"data\":\"aGVsbG8=\"}}}"));
  g_assert_cmpint (_gls_store_count_blobs (f->store), ==, 2);

  doc = gls_store_get (f->store, "two", NULL, GLS_STORE_GET_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_object_get_object_member (doc, "_attachments"), "b.png"),
                     "digest"), ==, expected);
  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (json_object_get_object_member (doc, "_attachments"), "b.png"),
                     "length"), ==, sizeof buf);
}

/* foreach */

typedef struct
{
  GPtrArray *ids;
  gint64     last_seq;
  guint      deleted;
  guint      stop_after;
  gboolean   saw_stub;
} Visit;

static gboolean
visit_cb (const char *id,
          const char *rev,
          gint64      seq,
          gboolean    deleted,
          guint       n_revs,
          const char *note,
          JsonObject *body,
          gpointer    user_data)
{
  Visit *v = user_data;
  JsonObjectIter iter;
  const char *name;

  g_assert_cmpint (seq, >, v->last_seq);
  v->last_seq = seq;
  g_assert_cmpstr (json_object_get_string_member (body, "_id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (body, "_rev"), ==, rev);
  g_assert_cmpint (json_object_get_boolean_member_with_default (body, "_deleted", FALSE), ==, deleted);
  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &name, NULL))
    if (name[0] == '_')
      g_assert_true (g_str_equal (name, "_id") || g_str_equal (name, "_rev") ||
                     g_str_equal (name, "_deleted") || g_str_equal (name, "_attachments"));
  if (json_object_has_member (body, "_attachments"))
    v->saw_stub = json_object_get_boolean_member (
      json_object_get_object_member (json_object_get_object_member (body, "_attachments"), "f"), "stub");
  if (deleted)
    v->deleted++;
  g_ptr_array_add (v->ids, g_strdup (id));
  return v->stop_after == 0 || v->ids->len < v->stop_after;
}

typedef struct
{
  const char *id;
  char       *note;
  guint       n;
} NoteVisit;

static gboolean
note_cb (const char *id,
         const char *rev,
         gint64      seq,
         gboolean    deleted,
         guint       n_revs,
         const char *note,
         JsonObject *body,
         gpointer    user_data)
{
  NoteVisit *v = user_data;

  v->n++;
  if (g_str_equal (id, v->id))
    {
      g_free (v->note);
      v->note = g_strdup (note);
    }
  return TRUE;
}

/* A reader's notes come back with the revision they are about, take no
 * seq, and go when the revision is replaced. */
static void
test_notes (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rev1 = put_printf (f->store, "{\"_id\":\"a\",\"n\":1}");
  g_autofree char *rev2 = NULL;
  GlsStoreNote notes[] = {
    { "a", rev1, "valid did:key:z6MkExample" },
    { "missing", "1-0123456789abcdef0123456789abcdef", "none" },
    { "a", "not a rev", "none" },
  };
  NoteVisit v = { "a", NULL, 0 };
  gint64 seq = gls_store_get_update_seq (f->store);

  g_assert_true (gls_store_foreach_doc (f->store, 0, note_cb, &v, &error));
  g_assert_null (v.note);

  g_assert_true (gls_store_set_notes (f->store, notes, G_N_ELEMENTS (notes), &error));
  g_assert_no_error (error);
  g_assert_cmpint (gls_store_get_update_seq (f->store), ==, seq);
  g_assert_true (gls_store_foreach_doc (f->store, 0, note_cb, &v, &error));
  g_assert_cmpstr (v.note, ==, "valid did:key:z6MkExample");

  /* The winner is another revision now: it has no note yet. */
  rev2 = put_printf (f->store, "{\"_id\":\"a\",\"_rev\":\"%s\",\"n\":2}", rev1);
  g_assert_true (gls_store_foreach_doc (f->store, 0, note_cb, &v, &error));
  g_assert_null (v.note);
  g_free (v.note);
}

static void
test_foreach (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) docs = json_array_new ();
  g_autoptr(JsonArray) results = NULL;
  g_autofree char *rev = NULL;
  Visit v = { 0, };

  /* More than one chunk of the iterator. */
  for (guint i = 0; i < 1300; i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"_id\":\"doc%04u\",\"n\":%u}", i, i);
      json_array_add_object_element (docs, obj (text));
    }
  results = gls_store_bulk_docs (f->store, docs, TRUE, &error);
  g_assert_no_error (error);

  /* doc0000 updated: visited once, last; doc0001 deleted. */
  rev = g_strdup (json_object_get_string_member (json_array_get_object_element (results, 0), "rev"));
  g_free (put_printf (f->store, "{\"_id\":\"doc0000\",\"_rev\":\"%s\",\"n\":-1,"
                                "\"_attachments\":{\"f\":{\"data\":\"eA==\"}}}", rev));
  g_free (gls_store_delete (f->store, "doc0001",
                            json_object_get_string_member (json_array_get_object_element (results, 1), "rev"),
                            NULL, &error));
  g_assert_no_error (error);

  v.ids = g_ptr_array_new_with_free_func (g_free);
  g_assert_true (gls_store_foreach_doc (f->store, 0, visit_cb, &v, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (v.ids->len, ==, 1300);
  g_assert_cmpstr (v.ids->pdata[0], ==, "doc0002");
  g_assert_cmpstr (v.ids->pdata[1298], ==, "doc0000");
  g_assert_cmpstr (v.ids->pdata[1299], ==, "doc0001");
  g_assert_cmpuint (v.deleted, ==, 1);
  g_assert_true (v.saw_stub);
  g_clear_pointer (&v.ids, g_ptr_array_unref);

  /* since */
  memset (&v, 0, sizeof v);
  v.ids = g_ptr_array_new_with_free_func (g_free);
  v.last_seq = 1300;
  g_assert_true (gls_store_foreach_doc (f->store, 1300, visit_cb, &v, &error));
  g_assert_cmpuint (v.ids->len, ==, 2);
  g_clear_pointer (&v.ids, g_ptr_array_unref);

  /* Stopping early. */
  memset (&v, 0, sizeof v);
  v.ids = g_ptr_array_new_with_free_func (g_free);
  v.stop_after = 600;
  g_assert_true (gls_store_foreach_doc (f->store, 0, visit_cb, &v, &error));
  g_assert_cmpuint (v.ids->len, ==, 600);
  g_clear_pointer (&v.ids, g_ptr_array_unref);
}

/* Errors and transactions */

static void
test_disk_full (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) docs = json_array_new ();
  g_autoptr(JsonArray) results = NULL;
  g_autofree char *filler = g_strnfill (4000, 'x');
  g_autofree char *r = put (f->store, "{\"_id\":\"first\"}");
  gint64 seq = gls_store_get_update_seq (f->store);

  for (guint i = 0; i < 300; i++)
    {
      JsonObject *doc = json_object_new ();
      g_autofree char *id = g_strdup_printf ("big%u", i);

      json_object_set_string_member (doc, "_id", id);
      json_object_set_string_member (doc, "filler", filler);
      json_array_add_object_element (docs, doc);
    }

  /* The file may not grow: like a full disk. */
  _gls_store_set_max_page_count (f->store, 1);
  results = gls_store_bulk_docs (f->store, docs, TRUE, &error);
  g_assert_null (results);
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "full"));
  g_clear_error (&error);

  /* Nothing of the batch was written. */
  g_assert_cmpint (gls_store_get_update_seq (f->store), ==, seq);
  g_assert_cmpint (gls_store_get_doc_count (f->store), ==, 1);
  g_assert_null (gls_store_get (f->store, "big0", NULL, GLS_STORE_GET_NONE, &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* With room again, the same batch goes in whole. */
  _gls_store_set_max_page_count (f->store, 1 << 30);
  results = gls_store_bulk_docs (f->store, docs, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gls_store_get_doc_count (f->store), ==, 301);
}

static void
test_atomic_batch (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = put (f->store,
                              "{\"_id\":\"damaged\",\"_attachments\":{\"f\":{\"data\":\"eA==\"}}}");
  g_autofree char *text = NULL;
  g_autoptr(JsonArray) docs = NULL;
  g_autoptr(JsonArray) results = NULL;
  gint64 seq = gls_store_get_update_seq (f->store);
  sqlite3 *db = NULL;

  /* Damage the stored record behind the store's back. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE revs SET atts = '{broken', body = '[1,'", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);

  /* Reading it is an error a person can read, not a crash. */
  g_assert_null (gls_store_get (f->store, "damaged", NULL, GLS_STORE_GET_NONE, &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  /* A batch that hits it after writing other documents fails whole. */
  text = g_strdup_printf ("[{\"_id\":\"new1\"},{\"_id\":\"new2\"},"
                          "{\"_id\":\"damaged\",\"_rev\":\"%s\",\"_attachments\":{\"f\":{\"stub\":true}}}]",
                          rev);
  docs = arr (text);
  results = gls_store_bulk_docs (f->store, docs, TRUE, &error);
  g_assert_null (results);
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_cmpint (gls_store_get_update_seq (f->store), ==, seq);
  g_assert_null (gls_store_get (f->store, "new1", NULL, GLS_STORE_GET_NONE, &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND);
}

typedef struct
{
  GlsStore *store;
  guint     thread;
} ThreadData;

static gpointer
writer_thread (gpointer data)
{
  ThreadData *td = data;

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *rev = put_printf (td->store, "{\"_id\":\"t%u-%u\",\"i\":%u}", td->thread, i, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) changes = gls_store_changes (td->store, 0, 10, TRUE, &error);

      g_assert_no_error (error);
      g_assert_true (is_rev (rev, 1));
    }
  return NULL;
}

static void
test_threads (Fixture       *f,
              gconstpointer  data)
{
  ThreadData td[4];
  GThread *threads[4];

  for (guint i = 0; i < 4; i++)
    {
      td[i].store = f->store;
      td[i].thread = i;
      threads[i] = g_thread_new ("writer", writer_thread, &td[i]);
    }
  for (guint i = 0; i < 4; i++)
    g_thread_join (threads[i]);

  g_assert_cmpint (gls_store_get_doc_count (f->store), ==, 200);
  g_assert_cmpint (gls_store_get_update_seq (f->store), ==, 200);
}

/* A document built in code may hold bytes that are not UTF-8, or a double
 * that is not finite: the store refuses it, writes nothing, and can still
 * serve everything it holds. */
static void
test_refuse_invalid_json (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *rev = put (f->store, "{\"_id\":\"kept\",\"v\":1}");
  gint64 seq = gls_store_get_update_seq (f->store);
  static const struct
  {
    const char *member;   /* a member name, or NULL: "v" */
    const char *string;   /* its string value, or NULL: the double */
    double      number;
    const char *message;
  } cases[] = {
    { NULL, "caf\xe9", 0, "member “v” holds a string that is not valid UTF-8" },
    { NULL, "\xed\xa0\x80 x", 0, "not valid UTF-8" },   /* a lone surrogate, as json-glib reads \ud800 */
    { "_id", "bad\xff", 0, "member “_id” holds a string that is not valid UTF-8" },
    { "k\xff", "x", 0, "a member name that is not valid UTF-8" },
    { NULL, NULL, INFINITY, "member “v” holds a number that is not finite" },
    { NULL, NULL, NAN, "not finite" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) doc = json_object_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *got = NULL;
      const char *member = cases[i].member ? cases[i].member : "v";

      if (!g_str_equal (member, "_id"))
        json_object_set_string_member (doc, "_id", "new");
      if (cases[i].string != NULL)
        json_object_set_string_member (doc, member, cases[i].string);
      else
        json_object_set_double_member (doc, member, cases[i].number);

      got = gls_store_put (f->store, doc, &error);
      g_assert_null (got);
      g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].message));
      g_assert_cmpint (gls_store_get_update_seq (f->store), ==, seq);
    }

  /* Deep inside: the message names the path. */
  {
    g_autoptr(JsonObject) doc = obj ("{\"_id\":\"new\",\"a\":{\"b\":[1,2]}}");
    JsonArray *list = json_object_get_array_member (json_object_get_object_member (doc, "a"), "b");
    g_autoptr(GError) error = NULL;
    g_autofree char *got = NULL;

    json_array_add_string_element (list, "\xc3");
    got = gls_store_put (f->store, doc, &error);
    g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST);
    g_assert_nonnull (strstr (error->message, "member “a.b.2”"));
  }

  /* bulk_docs: that document gets its error, the others are written. */
  {
    g_autoptr(JsonArray) docs = arr ("[{\"_id\":\"good\"},{\"_id\":\"bad\"}]");
    g_autoptr(JsonArray) results = NULL;
    g_autoptr(GError) error = NULL;
    JsonObject *result;

    json_object_set_string_member (json_array_get_object_element (docs, 1), "text", "\xff");
    results = gls_store_bulk_docs (f->store, docs, TRUE, &error);
    g_assert_no_error (error);
    g_assert_true (json_object_get_boolean_member (json_array_get_object_element (results, 0), "ok"));
    result = json_array_get_object_element (results, 1);
    g_assert_cmpstr (json_object_get_string_member (result, "error"), ==, "bad_request");
    g_assert_nonnull (strstr (json_object_get_string_member (result, "reason"), "“text”"));
    g_assert_cmpint (gls_store_get_update_seq (f->store), ==, seq + 1);
  }

  /* A tombstone's body too; the document stays as it was. */
  {
    g_autoptr(JsonObject) body = json_object_new ();
    g_autoptr(GError) error = NULL;
    g_autofree char *got = NULL;
    g_autoptr(JsonObject) kept = NULL;

    json_object_set_string_member (body, "why", "\xfe");
    got = gls_store_delete (f->store, "kept", rev, body, &error);
    g_assert_null (got);
    g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST);
    g_clear_error (&error);
    got = gls_store_delete (f->store, "bad\xff", rev, NULL, &error);
    g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST);
    g_clear_error (&error);

    kept = gls_store_get (f->store, "kept", NULL, GLS_STORE_GET_NONE, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (kept, "_rev"), ==, rev);
  }

  /* _local documents too. */
  {
    g_autoptr(JsonObject) doc = json_object_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) empty = json_object_new ();
    g_autofree char *got = NULL;

    json_object_set_string_member (doc, "seq", "\xff");
    got = gls_store_put_local (f->store, "checkpoint", doc, &error);
    g_assert_null (got);
    g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST);
    g_clear_error (&error);
    got = gls_store_put_local (f->store, "check\xffpoint", empty, &error);
    g_assert_null (got);
    g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST);
    g_clear_error (&error);
    g_assert_null (gls_store_get_local (f->store, "checkpoint", &error));
    g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND);
  }

  /* Nothing of it reached the file: it opens and reads whole. */
  g_clear_object (&f->store);
  f->store = gls_store_open (f->path, NULL);
  g_assert_nonnull (f->store);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) changes = gls_store_changes (f->store, 0, -1, FALSE, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (changes, "results")), ==, 2);
    g_assert_cmpint (gls_store_get_update_seq (f->store), ==, seq + 1);
  }
}

/* A _bulk_get answer kept as text follows the parser's rules: a body with
 * a lone surrogate escape or 1e400 is refused, and so is one in a part of
 * the answer that is skipped. */
static void
test_bulk_get_strict (void)
{
  static const char *const bad[] = {
    "{\"results\":[{\"id\":\"a\",\"docs\":[{\"ok\":{\"_id\":\"a\",\"_rev\":\"1-" HASH_A "\",\"t\":\"\\ud800 x\"}}]}]}",
    "{\"results\":[{\"id\":\"a\",\"docs\":[{\"ok\":{\"_id\":\"a\",\"_rev\":\"1-" HASH_A "\",\"t\":\"\\udc00\"}}]}]}",
    "{\"results\":[{\"id\":\"a\",\"docs\":[{\"ok\":{\"_id\":\"a\",\"_rev\":\"1-" HASH_A "\",\"n\":1e400}}]}]}",
    "{\"results\":[{\"id\":\"a\",\"docs\":[{\"ok\":{\"_id\":\"a\",\"_rev\":\"1-" HASH_A "\",\"n\":-1e400}}]}]}",
    "{\"results\":[{\"id\":\"a\",\"docs\":[{\"ok\":{\"_id\":\"a\",\"_rev\":\"1-" HASH_A "\",\"t\":\"\xff\"}}]}]}",
    /* skipped parts: an error item, an unknown member */
    "{\"results\":[{\"id\":\"a\",\"docs\":[{\"error\":{\"id\":\"\\ud800\",\"error\":\"not_found\"}}]}]}",
    "{\"results\":[{\"id\":\"a\",\"docs\":[]}],\"extra\":[1e400]}",
    "{\"results\":[{\"id\":\"\xc3\",\"docs\":[]}]}",
    NULL
  };
  const char *good = "{\"results\":[{\"id\":\"a\",\"docs\":[{\"ok\":{\"_id\":\"a\",\"_rev\":\"1-" HASH_A "\","
                     "\"n\":1e300,\"t\":\"\\ud83d\\ude00\"}}]}],\"extra\":[1.5e308]}";
  g_autoptr(GlsStoreDocBatch) batch = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GlsStoreDocBatch) refused = NULL;
      g_autoptr(GError) batch_error = NULL;

      refused = gls_store_doc_batch_new_from_bulk_get (bad[i], strlen (bad[i]), &batch_error);
      if (refused != NULL)
        g_error ("read an invalid _bulk_get answer: %s", bad[i]);
      g_assert_error (batch_error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST);
      g_test_message ("%s", batch_error->message);
    }

  batch = gls_store_doc_batch_new_from_bulk_get (good, strlen (good), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gls_store_doc_batch_get_length (batch), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/json/canonical", test_json_canonical);
  g_test_add_func ("/store/json/parse", test_json_parse);
  g_test_add_func ("/store/json/bulk-get-strict", test_bulk_get_strict);
  g_test_add_func ("/store/revtree/parse", test_rev_parse);
  g_test_add_func ("/store/revtree/winner", test_revtree_winner);
  g_test_add_func ("/store/revtree/stem", test_revtree_stem);
  g_test_add_func ("/store/open/new", test_open_new);
  g_test_add_func ("/store/open/corrupt", test_open_corrupt);
  g_test_add_func ("/store/put/deterministic", test_put_deterministic);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/put/update", test_put_update);
  ADD ("/store/put/conflict", test_put_conflict);
  ADD ("/store/put/bad-request", test_put_bad_request);
  ADD ("/store/delete/tombstone", test_delete);
  ADD ("/store/revs/revisions", test_revisions);
  ADD ("/store/revs/conflicts-winner", test_conflicts_winner);
  ADD ("/store/revs/merge-idempotent", test_merge_idempotent);
  ADD ("/store/revs/merge-extends-leaf", test_merge_extends_leaf);
  ADD ("/store/revs/stemming", test_stemming);
  ADD ("/store/revs-diff", test_revs_diff);
  ADD ("/store/revs-diff-list", test_revs_diff_list);
  ADD ("/store/changes", test_changes);
  ADD ("/store/changes-text", test_changes_text);
  ADD ("/store/local", test_local);
  ADD ("/store/attachments/roundtrip", test_attachments);
  ADD ("/store/attachments/dedup", test_attachments_dedup);
  ADD ("/store/foreach", test_foreach);
  ADD ("/store/notes", test_notes);
  ADD ("/store/errors/disk-full", test_disk_full);
  ADD ("/store/errors/atomic-batch", test_atomic_batch);
  ADD ("/store/threads", test_threads);
  ADD ("/store/errors/invalid-json", test_refuse_invalid_json);
#undef ADD

  return g_test_run ();
}
