/* test-store-text.c: the store's fast paths for sync: the text of _bulk_get
 * (gls_store_append_open_revs) and the kept document counts
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-store-text"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "gls-store.h"
#include "test-util.h"

#define HASH_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HASH_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define HASH_C "cccccccccccccccccccccccccccccccc"
#define HASH_D "dddddddddddddddddddddddddddddddd"

typedef struct
{
  char     *dir;
  GlsStore *store;
  char     *plain_rev1;
  char     *plain_rev2;
  char     *deleted_rev;
  char     *att_rev;
} Fixture;

static JsonObject *
object_from (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = gls_json_from_data (json, -1, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static char *
put (GlsStore   *store,
     const char *json)
{
  g_autoptr(JsonObject) doc = object_from (json);
  g_autoptr(GError) error = NULL;
  char *rev = gls_store_put (store, doc, &error);

  g_assert_no_error (error);
  return rev;
}

static void
put_replicated (GlsStore   *store,
                const char *json)
{
  g_autoptr(JsonArray) docs = json_array_new ();
  g_autoptr(JsonArray) answers = NULL;
  g_autoptr(GError) error = NULL;

  json_array_add_object_element (docs, object_from (json));
  answers = gls_store_bulk_docs (store, docs, FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (json_object_has_member (json_array_get_object_element (answers, 0), "error"));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;

  f->dir = test_data_dir_new ("glossa-store-text-XXXXXX");
  path = g_build_filename (f->dir, "test.sqlite", NULL);
  f->store = gls_store_open (path, &error);
  g_assert_no_error (error);

  /* A document edited once, with every kind of JSON value in it. */
  f->plain_rev1 = put (f->store,
                       "{\"_id\":\"plain\",\"type\":\"Annotation\",\"n\":1,\"x\":0.5,\"big\":1e21,"
                       "\"neg\":-3,\"t\":true,\"f\":false,\"z\":null,\"list\":[1,\"two\",[3],{}],"
                       "\"body\":{\"value\":\"line\\nbreak \\\"quoted\\\" caf\\u00e9 \\ud83d\\ude00\","
                       "\"format\":\"text/plain\"},\"empty\":{},\"none\":[]}");
  body = g_strdup_printf ("{\"_id\":\"plain\",\"_rev\":\"%s\",\"type\":\"Annotation\",\"n\":2,"
                          "\"target\":{\"source\":\"ni:///sha-256;abc\",\"selector\":{\"type\":"
                          "\"FragmentSelector\",\"value\":\"xywh=1,2,3,4\"}}}", f->plain_rev1);
  f->plain_rev2 = put (f->store, body);

  /* A deleted document, its tombstone keeping a body. */
  {
    g_autofree char *rev = put (f->store, "{\"_id\":\"gone\",\"type\":\"Annotation\"}");
    g_autoptr(JsonObject) keep = object_from ("{\"type\":\"Annotation\",\"motivation\":\"commenting\"}");

    f->deleted_rev = gls_store_delete (f->store, "gone", rev, keep, &error);
    g_assert_no_error (error);
  }

  /* Two branches from one root: a conflict. */
  put_replicated (f->store, "{\"_id\":\"conflicted\",\"_rev\":\"2-" HASH_B "\",\"v\":\"b\","
                            "\"_revisions\":{\"start\":2,\"ids\":[\"" HASH_B "\",\"" HASH_A "\"]}}");
  put_replicated (f->store, "{\"_id\":\"conflicted\",\"_rev\":\"2-" HASH_C "\",\"v\":\"c\","
                            "\"_revisions\":{\"start\":2,\"ids\":[\"" HASH_C "\",\"" HASH_A "\"]}}");
  put_replicated (f->store, "{\"_id\":\"conflicted\",\"_rev\":\"3-" HASH_D "\",\"_deleted\":true,"
                            "\"_revisions\":{\"start\":3,\"ids\":[\"" HASH_D "\",\"" HASH_C "\",\"" HASH_A "\"]}}");

  /* An attachment ("hello world"), and an id that needs escaping. */
  f->att_rev = put (f->store, "{\"_id\":\"with \\\"quotes\\\", a \\\\ and caf\\u00e9/x\",\"name\":\"board\","
                              "\"_attachments\":{\"file\":{\"content_type\":\"text/plain\","
                              "\"data\":\"aGVsbG8gd29ybGQ=\"}}}");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  test_data_dir_free (f->dir);
  g_free (f->plain_rev1);
  g_free (f->plain_rev2);
  g_free (f->deleted_rev);
  g_free (f->att_rev);
}

/* The text path must answer exactly what get_open_revs answers: the same
 * documents in the same order, and the same missing revs. */
static void
assert_same (GlsStore          *store,
             const char        *id,
             const char *const *revs,
             GlsStoreGetFlags   flags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) text_error = NULL;
  g_autoptr(JsonArray) expected = gls_store_get_open_revs (store, id, revs, flags, &error);
  g_autoptr(GString) out = g_string_new ("[");
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) parsed = NULL;
  gboolean ok;
  guint n_ok = 0, n_missing = 0;

  ok = gls_store_append_open_revs (store, id, revs, flags, out, missing, &text_error);
  if (expected == NULL)
    {
      g_assert_false (ok);
      g_assert_nonnull (text_error);
      g_assert_true (text_error->domain == error->domain && text_error->code == error->code);
      g_assert_cmpstr (out->str, ==, "[");
      return;
    }
  g_assert_no_error (text_error);
  g_assert_true (ok);
  g_string_append_c (out, ']');
  parsed = gls_json_from_data (out->str, out->len, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (parsed));

  for (guint i = 0; i < json_array_get_length (expected); i++)
    {
      JsonObject *item = json_array_get_object_element (expected, i);

      if (json_object_has_member (item, "missing"))
        {
          g_assert_cmpuint (n_missing, <, missing->len);
          g_assert_cmpstr (g_ptr_array_index (missing, n_missing), ==,
                           json_object_get_string_member (item, "missing"));
          n_missing++;
        }
      else
        {
          JsonNode *want = json_object_get_member (item, "ok");
          JsonObject *got_item;

          g_assert_cmpuint (n_ok, <, json_array_get_length (json_node_get_array (parsed)));
          got_item = json_array_get_object_element (json_node_get_array (parsed), n_ok);
          g_assert_cmpuint (json_object_get_size (got_item), ==, 1);
          if (!json_node_equal (want, json_object_get_member (got_item, "ok")))
            {
              g_autofree char *a = gls_json_to_string (want);
              g_autofree char *b = gls_json_to_string (json_object_get_member (got_item, "ok"));

              g_error ("%s: get_open_revs gave %s, the text path %s", id, a, b);
            }
          n_ok++;
        }
    }
  g_assert_cmpuint (n_ok, ==, json_array_get_length (json_node_get_array (parsed)));
  g_assert_cmpuint (n_missing, ==, missing->len);
}

static const GlsStoreGetFlags all_flags[] = {
  GLS_STORE_GET_NONE,
  GLS_STORE_GET_REVS,
  GLS_STORE_GET_REVS | GLS_STORE_GET_LATEST | GLS_STORE_GET_ATTACHMENTS,
  GLS_STORE_GET_CONFLICTS,
  GLS_STORE_GET_CONFLICTS | GLS_STORE_GET_REVS | GLS_STORE_GET_LATEST,
  GLS_STORE_GET_ATTACHMENTS,
};

static void
test_same_documents (Fixture       *f,
                     gconstpointer  data)
{
  const char *att_id = "with \"quotes\", a \\ and caf\xc3\xa9/x";

  for (guint i = 0; i < G_N_ELEMENTS (all_flags); i++)
    {
      GlsStoreGetFlags flags = all_flags[i];
      const char *plain_old[] = { f->plain_rev1, NULL };
      const char *plain_both[] = { f->plain_rev2, f->plain_rev1, NULL };
      const char *gone[] = { f->deleted_rev, NULL };
      const char *conflict_root[] = { "1-" HASH_A, NULL };
      const char *conflict_leaves[] = { "2-" HASH_B, "3-" HASH_D, "2-" HASH_C, NULL };
      const char *att[] = { f->att_rev, NULL };
      const char *unknown[] = { "7-" HASH_D, "1-" HASH_A, NULL };

      /* Every leaf, a non-leaf (LATEST gives its leaves, else it is not
       * kept: missing), tombstones, conflicts, attachments, escapes. */
      assert_same (f->store, "plain", NULL, flags);
      assert_same (f->store, "plain", plain_old, flags);
      assert_same (f->store, "plain", plain_both, flags);
      assert_same (f->store, "gone", NULL, flags);
      assert_same (f->store, "gone", gone, flags);
      assert_same (f->store, "conflicted", NULL, flags);
      assert_same (f->store, "conflicted", conflict_root, flags);
      assert_same (f->store, "conflicted", conflict_leaves, flags);
      assert_same (f->store, att_id, NULL, flags);
      assert_same (f->store, att_id, att, flags);
      assert_same (f->store, "plain", unknown, flags);
      /* A document that does not exist: every rev missing, or not_found. */
      assert_same (f->store, "nobody", unknown, flags);
      assert_same (f->store, "nobody", NULL, flags);
    }
}

static void
test_appends (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GString) out = g_string_new ("{\"docs\":[");
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *bad_rev[] = { "not-a-rev", NULL };
  gsize len;

  /* Items join with commas after '[' and after an item: one leaf of
   * "plain", two of "conflicted" (2-b, and the tombstone 3-d). */
  g_assert_true (gls_store_append_open_revs (f->store, "plain", NULL, GLS_STORE_GET_REVS, out, missing, &error));
  g_assert_true (gls_store_append_open_revs (f->store, "conflicted", NULL, GLS_STORE_GET_NONE, out, missing, &error));
  g_assert_no_error (error);
  g_string_append (out, "]}");
  node = gls_json_from_data (out->str, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (node), "docs")), ==, 3);

  /* On an error, `out` is left as it was. */
  len = out->len;
  g_assert_false (gls_store_append_open_revs (f->store, "plain", bad_rev, GLS_STORE_GET_NONE, out, missing, &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST);
  g_assert_cmpuint (out->len, ==, len);
  g_assert_cmpuint (missing->len, ==, 0);
  g_clear_error (&error);

  /* The same reads in one transaction give the same text; a refused rev
   * inside it leaves the transaction usable, and the store is free after. */
  {
    g_autoptr(GString) together = g_string_new ("{\"docs\":[");
    g_autoptr(GlsStoreReads) reads = gls_store_reads_begin (f->store, &error);
    const char *gone[] = { "9-" "0123456789abcdef0123456789abcdef", NULL };

    g_assert_no_error (error);
    g_assert_true (gls_store_reads_append_open_revs (reads, "plain", NULL, GLS_STORE_GET_REVS, together, missing, &error));
    g_assert_false (gls_store_reads_append_open_revs (reads, "plain", bad_rev, GLS_STORE_GET_NONE, together, missing, &error));
    g_clear_error (&error);
    g_assert_true (gls_store_reads_append_open_revs (reads, "conflicted", NULL, GLS_STORE_GET_NONE, together, missing, &error));
    g_assert_true (gls_store_reads_append_open_revs (reads, "plain", gone, GLS_STORE_GET_NONE, together, missing, &error));
    g_assert_no_error (error);
    g_clear_pointer (&reads, gls_store_reads_end);
    g_string_append (together, "]}");
    g_assert_cmpstr (together->str, ==, out->str);
    g_assert_cmpuint (missing->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (missing, 0), ==, gone[0]);
    {
      g_autoptr(JsonObject) doc = json_object_new ();
      g_autofree char *rev = gls_store_put_local (f->store, "after", doc, &error);

      g_assert_no_error (error);
      g_assert_nonnull (rev);
    }
  }
}

static void
assert_counts (GlsStore *store,
               gint64    live,
               gint64    deleted)
{
  g_assert_cmpint (gls_store_get_doc_count (store), ==, live);
  g_assert_cmpint (gls_store_get_doc_del_count (store), ==, deleted);
}

static void
test_counts (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup (gls_store_get_path (f->store));
  g_autofree char *rev = NULL;
  sqlite3 *db = NULL;

  /* plain, the attachment's document, conflicted (a live leaf): live;
   * gone: deleted. */
  assert_counts (f->store, 3, 1);

  /* Deleting the live leaf of "conflicted" leaves only tombstones. */
  g_free (gls_store_delete (f->store, "conflicted", "2-" HASH_B, NULL, &error));
  g_assert_no_error (error);
  assert_counts (f->store, 2, 2);
  /* A new branch brings it back. */
  put_replicated (f->store, "{\"_id\":\"conflicted\",\"_rev\":\"3-" HASH_A "\",\"v\":\"back\","
                            "\"_revisions\":{\"start\":3,\"ids\":[\"" HASH_A "\",\"" HASH_B "\",\"" HASH_A "\"]}}");
  assert_counts (f->store, 3, 1);
  rev = put (f->store, "{\"_id\":\"new\"}");
  assert_counts (f->store, 4, 1);

  /* A store made before the counts were kept gets them when opened. */
  g_clear_object (&f->store);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER docs_count_update;"
                                     " DROP TRIGGER docs_count_delete; DROP TABLE doc_counts;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  f->store = gls_store_open (path, &error);
  g_assert_no_error (error);
  assert_counts (f->store, 4, 1);
  g_free (gls_store_delete (f->store, "new", rev, NULL, &error));
  g_assert_no_error (error);
  assert_counts (f->store, 3, 2);

  /* One made by an earlier 0.2 build, which counted new documents with a
   * trigger: each is counted once. */
  g_clear_object (&f->store);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TRIGGER docs_count_insert AFTER INSERT ON docs BEGIN"
                                     "  UPDATE doc_counts SET live = live + (NEW.deleted = 0),"
                                     "  deleted = deleted + (NEW.deleted != 0) WHERE id = 0; END;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  f->store = gls_store_open (path, &error);
  g_assert_no_error (error);
  g_free (put (f->store, "{\"_id\":\"newer\"}"));
  put_replicated (f->store, "{\"_id\":\"tomb\",\"_rev\":\"1-" HASH_A "\",\"_deleted\":true}");
  assert_counts (f->store, 4, 3);

  /* A batch with a refused document counts the others. */
  {
    g_autoptr(JsonArray) docs = json_array_new ();
    g_autoptr(JsonArray) results = NULL;
    JsonObject *good = json_object_new ();
    JsonObject *bad = json_object_new ();

    json_object_set_string_member (good, "_id", "in-a-batch");
    json_object_set_string_member (bad, "_id", "_bad");
    json_array_add_object_element (docs, good);
    json_array_add_object_element (docs, bad);
    results = gls_store_bulk_docs (f->store, docs, TRUE, &error);
    g_assert_no_error (error);
    g_assert_true (json_object_has_member (json_array_get_object_element (results, 1), "error"));
  }
  assert_counts (f->store, 5, 3);
  g_clear_object (&f->store);
  f->store = gls_store_open (path, &error);
  g_assert_no_error (error);
  assert_counts (f->store, 5, 3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/text/same-documents", Fixture, NULL, fixture_setup, test_same_documents, fixture_teardown);
  g_test_add ("/store/text/appends", Fixture, NULL, fixture_setup, test_appends, fixture_teardown);
  g_test_add ("/store/counts/kept", Fixture, NULL, fixture_setup, test_counts, fixture_teardown);

  return g_test_run ();
}
