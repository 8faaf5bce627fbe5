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

  return g_test_run ();
}
