/* test-store-index.c: secondary indexes, as CouchDB's Mango indexes on
 * one field
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "gls-store.h"
#include "test-store-fixture.h"

#define HASH_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HASH_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define HASH_C "cccccccccccccccccccccccccccccccc"

static char *
put (GlsStore   *store,
     const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  char *rev;

  g_assert_no_error (error);
  rev = gls_store_put (store, json_node_get_object (node), &error);
  g_assert_no_error (error);
  return rev;
}

/* The ids the index lists for `key`, joined by spaces. */
static char *
query (GlsStore   *store,
       const char *name,
       const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = gls_store_query_index (store, name, key, &error);

  g_assert_no_error (error);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (" ", (char **) ids->pdata);
}

#define assert_query(store, name, key, expected) \
  G_STMT_START { \
    g_autofree char *got_ = query (store, name, key); \
    g_assert_cmpstr (got_, ==, expected); \
  } G_STMT_END

static void
test_index_writes (StoreFixture  *f,
                   gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rev_b = NULL;
  g_autofree char *rev_c = NULL;

  /* Documents there before the index: it is built over them. */
  g_free (put (f->store, "{\"_id\":\"a\",\"target\":{\"source\":\"design-1\"}}"));
  rev_b = put (f->store, "{\"_id\":\"b\",\"target\":{\"source\":\"design-2\"}}");
  g_free (put (f->store, "{\"_id\":\"plain\",\"v\":1}"));
  g_assert_true (gls_store_ensure_index (f->store, "by-source", "target.source", &error));
  g_assert_no_error (error);
  assert_query (f->store, "by-source", "design-1", "a");
  assert_query (f->store, "by-source", "design-2", "b");
  assert_query (f->store, "by-source", "design-3", "");

  /* Written after: in update order. */
  rev_c = put (f->store, "{\"_id\":\"c\",\"target\":{\"source\":\"design-1\"}}");
  g_free (put (f->store, "{\"_id\":\"d\",\"target\":\"not an object\"}"));
  g_free (put (f->store, "{\"_id\":\"e\",\"target\":{\"source\":7}}"));
  assert_query (f->store, "by-source", "design-1", "a c");

  /* An edit moves it; a deletion takes it out. */
  {
    g_autofree char *json = g_strdup_printf ("{\"_id\":\"b\",\"_rev\":\"%s\",\"target\":{\"source\":\"design-1\"}}", rev_b);

    g_free (put (f->store, json));
  }
  assert_query (f->store, "by-source", "design-2", "");
  assert_query (f->store, "by-source", "design-1", "a c b");
  g_free (gls_store_delete (f->store, "c", rev_c, NULL, &error));
  g_assert_no_error (error);
  assert_query (f->store, "by-source", "design-1", "a b");

  /* An array: each of its strings is a key. */
  g_assert_true (gls_store_ensure_index (f->store, "by-tag", "tags", &error));
  g_free (put (f->store, "{\"_id\":\"t\",\"tags\":[\"pcb\",\"usb\",3,\"pcb\"]}"));
  assert_query (f->store, "by-tag", "pcb", "t");
  assert_query (f->store, "by-tag", "usb", "t");

  /* Names with "@" (JSON-LD), and a path that cannot be. */
  g_assert_true (gls_store_ensure_index (f->store, "by-type", "@type", &error));
  g_free (put (f->store, "{\"_id\":\"img\",\"@type\":\"ImageObject\"}"));
  assert_query (f->store, "by-type", "ImageObject", "img");
  g_assert_false (gls_store_ensure_index (f->store, "bad", "target..source", &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST);
  g_clear_error (&error);
  g_assert_false (gls_store_ensure_index (f->store, "bad", "a\"b", &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST);
  g_clear_error (&error);

  /* The same index again changes nothing; on another member, rebuilt. */
  g_assert_true (gls_store_ensure_index (f->store, "by-source", "target.source", &error));
  assert_query (f->store, "by-source", "design-1", "a b");
  g_assert_true (gls_store_ensure_index (f->store, "by-source", "v", &error));
  assert_query (f->store, "by-source", "design-1", "");
}

static gboolean
collect_cb (const char *id,
            const char *rev,
            gint64      seq,
            gboolean    deleted,
            guint       n_revs,
            const char *note,
            JsonObject *body,
            gpointer    user_data)
{
  g_string_append_printf (user_data, "%s%s%s ", id, deleted ? ":deleted" : "",
                          body != NULL && json_object_has_member (body, "target") ? ":body" : "");
  return TRUE;
}

/* A deleted document's tombstone keeps what places it ("target"): a
 * reader following links finds it through the index, a query by key
 * does not. A store whose index was built before is given them once. */
static void
test_index_tombstones (StoreFixture  *f,
                       gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) found = g_string_new (NULL);
  g_autofree char *rev = NULL;
  const char *key = "design-1";

  g_assert_true (gls_store_ensure_index (f->store, "by-target", "target.source", &error));
  g_free (put (f->store, "{\"_id\":\"live\",\"target\":{\"source\":\"design-1\"}}"));
  rev = put (f->store, "{\"_id\":\"gone\",\"target\":{\"source\":\"design-1\"},\"text\":\"words\"}");
  {
    g_autofree char *json = g_strdup_printf ("{\"_id\":\"gone\",\"_rev\":\"%s\",\"_deleted\":true,"
                                             "\"target\":{\"source\":\"design-1\"}}", rev);
    g_free (put (f->store, json));
  }
  assert_query (f->store, "by-target", "design-1", "live");
  g_assert_true (gls_store_foreach_indexed (f->store, "by-target", &key, 1, collect_cb, found, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (found->str, ==, "live:body gone:deleted:body ");

  /* As a store of before: the tombstone's entry and the mark gone. */
  {
    g_autofree char *path = g_strdup (gls_store_get_path (f->store));
    sqlite3 *db = NULL;

    g_clear_object (&f->store);
    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "DELETE FROM index_entries WHERE doc_id IN"
                                       " (SELECT doc_id FROM docs WHERE deleted != 0);"
                                       "DELETE FROM meta WHERE key = 'index-tombstones';",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
    f->store = gls_store_open (path, &error);
    g_assert_no_error (error);
  }
  g_string_truncate (found, 0);
  g_assert_true (gls_store_foreach_indexed (f->store, "by-target", &key, 1, collect_cb, found, &error));
  g_assert_cmpstr (found->str, ==, "live:body gone:deleted:body ");
}

/* A write finds most keys without SQLite (a body's strings without
 * escapes); what it finds must be what SQLite's json_each finds, which
 * builds a new index over the documents already there. */
static void
test_index_as_sqlite (StoreFixture  *f,
                      gconstpointer  unused)
{
  static const char *docs[] = {
    "{\"_id\":\"plain\",\"k\":\"plain\",\"a\":{\"b\":\"nested\"}}",
    "{\"_id\":\"quote\",\"k\":\"with \\\"quote\\\"\"}",
    "{\"_id\":\"utf8\",\"k\":\"caf\\u00e9\",\"a\":\"str\"}",
    "{\"_id\":\"array\",\"k\":[\"a\",\"b\\n\",{\"x\":\"y\"},[\"z\"],1,true,null,\"a\"]}",
    "{\"_id\":\"object\",\"k\":{\"p\":\"q\",\"r\":[\"s\"],\"t\":\"u\",\"v\":{\"w\":\"x\"}}}",
    "{\"_id\":\"null\",\"k\":null,\"a\":[{\"b\":\"in-array\"}]}",
    "{\"_id\":\"number\",\"k\":3,\"a\":{\"b\":[\"nested\",\"deeper\"]}}",
    "{\"_id\":\"elsewhere\",\"other\":{\"k\":\"no\"},\"z\":\"k\"}",
    "{\"_id\":\"escaped-name\",\"k\\\"\":\"odd\",\"\\u006b\":\"by-escape\"}",
    "{\"_id\":\"empty\",\"k\":\"\",\"a\":{}}",
    "{\"_id\":\"unicode\",\"k\":\"\\ud83d\\ude00 \\u2028\"}",
    /* strings that end after backslashes, before the member */
    "{\"_id\":\"backslashes\",\"a\":{\"a\":\"\\\\\",\"b\":\"end\\\\\"},\"j\":\"x\\\\\\\"y\\\\\\\\\","
    "\"k\":\"after-backslashes\"}",
    /* members past where the indexed one would be (a search may stop) */
    "{\"_id\":\"past\",\"a\":{\"a\":\"1\",\"c\":\"2\"},\"j\":\"3\",\"ka\":\"4\",\"l\":{\"k\":\"5\"}}",
  };
  static const char *keys[] = {
    "plain", "with \"quote\"", "caf\xc3\xa9", "a", "b\n", "y", "z", "q", "s", "u", "x",
    "no", "k", "odd", "by-escape", "", "nested", "deeper", "str", "in-array", "3",
    "\xf0\x9f\x98\x80 \xe2\x80\xa8", "after-backslashes", "end\\", "1", "2", "3", "4", "5",
  };
  static const char *paths[] = { "k", "a.b" };
  g_autoptr(GError) error = NULL;

  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    {
      g_autofree char *fast = g_strdup_printf ("fast-%u", p);

      g_assert_true (gls_store_ensure_index (f->store, fast, paths[p], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    g_free (put (f->store, docs[i]));
  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    {
      g_autofree char *fast = g_strdup_printf ("fast-%u", p);
      g_autofree char *sqlite = g_strdup_printf ("sqlite-%u", p);

      g_assert_true (gls_store_ensure_index (f->store, sqlite, paths[p], &error));
      g_assert_no_error (error);
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          g_autofree char *by_write = query (f->store, fast, keys[k]);
          g_autofree char *by_sqlite = query (f->store, sqlite, keys[k]);

          g_test_message ("%s %s: %s", paths[p], keys[k], by_write);
          g_assert_cmpstr (by_write, ==, by_sqlite);
        }
    }
  assert_query (f->store, "fast-0", "plain", "plain");
  assert_query (f->store, "fast-0", "with \"quote\"", "quote");
  assert_query (f->store, "fast-0", "a", "array");
  assert_query (f->store, "fast-0", "z", "");
  assert_query (f->store, "fast-0", "u", "object");
  assert_query (f->store, "fast-0", "by-escape", "escaped-name");
  assert_query (f->store, "fast-1", "nested", "plain number");
  assert_query (f->store, "fast-1", "in-array", "");
  assert_query (f->store, "fast-0", "after-backslashes", "backslashes");
  assert_query (f->store, "fast-1", "end\\", "backslashes");
  assert_query (f->store, "fast-0", "4", "");
  assert_query (f->store, "fast-1", "2", "");
}

/* Replicated revisions (the _bulk_get text path too), conflicts and
 * another handle's writes keep it; it outlives the handle. */
static void
test_index_replicated (StoreFixture  *f,
                       gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsStore) other = NULL;

  g_assert_true (gls_store_ensure_index (f->store, "by-source", "target.source", &error));
  {
    g_autoptr(JsonNode) node = json_from_string (
      "[{\"_id\":\"x\",\"_rev\":\"1-" HASH_A "\",\"target\":{\"source\":\"one\"}}]", &error);
    g_autoptr(JsonArray) results = gls_store_bulk_docs (f->store, json_node_get_array (node), FALSE, &error);

    g_assert_no_error (error);
  }
  assert_query (f->store, "by-source", "one", "x");

  /* A conflicting branch that wins (a higher hash, same generation). */
  {
    g_autoptr(JsonNode) node = json_from_string (
      "[{\"_id\":\"x\",\"_rev\":\"1-" HASH_B "\",\"target\":{\"source\":\"two\"}}]", &error);
    g_autoptr(JsonArray) results = gls_store_bulk_docs (f->store, json_node_get_array (node), FALSE, &error);

    g_assert_no_error (error);
  }
  assert_query (f->store, "by-source", "one", "");
  assert_query (f->store, "by-source", "two", "x");

  /* The _bulk_get answer, written as text. */
  {
    static const char answer[] =
      "{\"results\":[{\"id\":\"y\",\"docs\":[{\"ok\":{\"_id\":\"y\",\"_rev\":\"1-" HASH_C "\","
      "\"_revisions\":{\"start\":1,\"ids\":[\"" HASH_C "\"]},\"target\":{\"source\":\"one\"}}}]}]}";
    g_autoptr(GlsStoreDocBatch) batch = gls_store_doc_batch_new_from_bulk_get (answer, strlen (answer), &error);
    g_autoptr(JsonArray) failures = NULL;

    g_assert_no_error (error);
    failures = gls_store_bulk_docs_replicated (f->store, batch, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (failures), ==, 0);
  }
  assert_query (f->store, "by-source", "one", "y");

  /* Another handle writes; the first reads. And after closing. */
  other = gls_store_open (f->path, &error);
  g_assert_no_error (error);
  g_free (put (other, "{\"_id\":\"z\",\"target\":{\"source\":\"one\"}}"));
  assert_query (f->store, "by-source", "one", "y z");
  g_clear_object (&other);
  g_clear_object (&f->store);
  f->store = gls_store_open (f->path, &error);
  g_assert_no_error (error);
  assert_query (f->store, "by-source", "one", "y z");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  STORE_TEST_ADD ("/store/index/writes", test_index_writes);
  STORE_TEST_ADD ("/store/index/replicated", test_index_replicated);
  STORE_TEST_ADD ("/store/index/as-sqlite", test_index_as_sqlite);
  STORE_TEST_ADD ("/store/index/tombstones", test_index_tombstones);

  return g_test_run ();
}
