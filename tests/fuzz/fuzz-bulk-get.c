/* fuzz-bulk-get.c: the _bulk_get text scanner (GlsStoreDocBatch) against
 * the full parser and bulk_docs
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a peer's _bulk_get answer. When the scanner accepts it:
 * - the strict parser accepts it too, and finds the same documents (the
 *   "ok" members of the items of each result's "docs");
 * - writing the batch with gls_store_bulk_docs_replicated into one store,
 *   and those documents, parsed, with gls_store_bulk_docs (new_edits
 *   false) into another, gives the same failures (error and id, in
 *   order), counts and update seq, the same changes feed, the same
 *   stored text of every leaf of every document (with its revision path
 *   and attachments) and the same _local documents.
 * When it refuses it, the error is BAD_REQUEST.
 */

#define G_LOG_DOMAIN "fuzz-bulk-get"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "fuzz-common.h"
#include "gls-store.h"

static char *dir;
static char *template_dir;

static void declare_indexes (GlsStore *store);
static GBytes *template;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GlsStore) store = NULL;
  char *contents;
  gsize len;

  fuzz_init (argc, argv);
  dir = fuzz_make_dir ("fuzz-bulk-get");

  /* An empty store, copied for each input: quicker than making one. */
  template_dir = fuzz_make_dir ("fuzz-bulk-get-template");
  path = g_build_filename (template_dir, "empty.db", NULL);
  store = gls_store_open (path, &error);
  fuzz_check (store != NULL, "%s", error->message);
  declare_indexes (store);
  g_clear_object (&store);
  fuzz_drain_main_context ();
  if (!g_file_get_contents (path, &contents, &len, &error))
    g_error ("%s", error->message);
  template = g_bytes_new_take (contents, len);
  fuzz_remove_dir (template_dir);
  return 0;
}

/* The documents of a _bulk_get answer as a parser sees them. */
static JsonArray *
documents_of (JsonNode *root)
{
  JsonArray *docs = json_array_new ();
  JsonNode *results;

  fuzz_check (JSON_NODE_HOLDS_OBJECT (root), "an answer is an object");
  results = json_object_get_member (json_node_get_object (root), "results");
  fuzz_check (results != NULL && JSON_NODE_HOLDS_ARRAY (results), "it has results");
  for (guint i = 0; i < json_array_get_length (json_node_get_array (results)); i++)
    {
      JsonNode *result = json_array_get_element (json_node_get_array (results), i);
      JsonNode *items;

      fuzz_check (JSON_NODE_HOLDS_OBJECT (result), "a result is an object");
      items = json_object_get_member (json_node_get_object (result), "docs");
      fuzz_check (items != NULL && JSON_NODE_HOLDS_ARRAY (items), "a result has docs");
      for (guint k = 0; k < json_array_get_length (json_node_get_array (items)); k++)
        {
          JsonNode *item = json_array_get_element (json_node_get_array (items), k);
          JsonNode *ok;

          if (!JSON_NODE_HOLDS_OBJECT (item))
            continue;
          ok = json_object_get_member (json_node_get_object (item), "ok");
          if (ok == NULL)
            continue;
          fuzz_check (JSON_NODE_HOLDS_OBJECT (ok), "a document is an object");
          json_array_add_element (docs, json_node_copy (ok));
        }
    }
  return docs;
}

/* Indexes the stores keep as they write (finding most keys without
 * SQLite): what SQLite's json_each finds in the same bodies must agree. */
static const char *index_paths[] = { "target", "@type", "target.source", "k" };
static const char *json_paths[] = { "$.\"target\"", "$.\"@type\"", "$.\"target\".\"source\"", "$.\"k\"" };

static void
declare_indexes (GlsStore *store)
{
  for (guint i = 0; i < G_N_ELEMENTS (index_paths); i++)
    {
      g_autofree char *name = g_strdup_printf ("write-%u", i);
      g_autoptr(GError) error = NULL;

      fuzz_check (gls_store_ensure_index (store, name, index_paths[i], &error),
                  "%s", error->message);
    }
}

static void
compare_indexes (GlsStore *store)
{
  sqlite3 *db = NULL;

  fuzz_check (sqlite3_open_v2 (gls_store_get_path (store), &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK,
              "open %s", gls_store_get_path (store));
  for (guint i = 0; i < G_N_ELEMENTS (index_paths); i++)
    {
      g_autofree char *by_sqlite = g_strdup_printf (
        "SELECT j.value, d.doc_id FROM docs AS d JOIN revs AS r ON r.rev_id = d.winner,"
        " json_each (r.body, '%s') AS j WHERE r.body IS NOT NULL AND j.type = 'text'", json_paths[i]);
      g_autofree char *sql = g_strdup_printf (
        "SELECT count (*) FROM ("
        " SELECT key, doc_id FROM index_entries WHERE name = 'write-%u' EXCEPT %s"
        " UNION ALL"
        " %s EXCEPT SELECT key, doc_id FROM index_entries WHERE name = 'write-%u')",
        i, by_sqlite, by_sqlite, i);
      sqlite3_stmt *stmt = NULL;

      fuzz_check (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK, "%s", sqlite3_errmsg (db));
      fuzz_check (sqlite3_step (stmt) == SQLITE_ROW, "%s", sqlite3_errmsg (db));
      fuzz_check (sqlite3_column_int (stmt, 0) == 0, "the index on %s differs from SQLite's",
                  index_paths[i]);
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
}

static GlsStore *
open_store (const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  GlsStore *store;

  if (!g_file_set_contents (path, g_bytes_get_data (template, NULL), g_bytes_get_size (template),
                            &error))
    g_error ("%s", error->message);
  store = gls_store_open (path, &error);

  fuzz_check (store != NULL, "%s", error->message);
  return store;
}

/* Every leaf of `id`, with its path and attachments, as stored. */
static char *
leaves_text (GlsStore   *store,
             const char *id)
{
  g_autoptr(GString) out = g_string_new ("[");
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  if (!gls_store_append_open_revs (store, id, NULL, GLS_STORE_GET_REVS | GLS_STORE_GET_ATTACHMENTS,
                                   out, missing, &error))
    return g_strdup_printf ("error %s %d", g_quark_to_string (error->domain), error->code);
  g_string_append_c (out, ']');
  return g_strdup (out->str);
}

static char *
local_text (GlsStore   *store,
            const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = gls_store_get_local (store, id, &error);
  g_autoptr(JsonNode) node = NULL;

  if (doc == NULL)
    return g_strdup_printf ("error %s %d", g_quark_to_string (error->domain), error->code);
  node = json_node_init_object (json_node_alloc (), doc);
  return gls_json_to_string (node);
}

static char *
changes_text (GlsStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) changes = gls_store_changes (store, 0, 0, TRUE, &error);
  g_autoptr(JsonNode) node = NULL;

  fuzz_check (changes != NULL, "%s", error->message);
  node = json_node_init_object (json_node_alloc (), changes);
  return gls_json_to_string (node);
}

static void
compare_stores (GlsStore  *tree,
                GlsStore  *text,
                JsonArray *docs)
{
  g_autofree char *changes_tree = changes_text (tree);
  g_autofree char *changes_text_ = changes_text (text);

  fuzz_check (gls_store_get_update_seq (tree) == gls_store_get_update_seq (text), "update seq");
  fuzz_check (gls_store_get_doc_count (tree) == gls_store_get_doc_count (text), "doc count");
  fuzz_check (gls_store_get_doc_del_count (tree) == gls_store_get_doc_del_count (text),
              "deleted doc count");
  fuzz_check (g_str_equal (changes_tree, changes_text_), "changes feeds differ:\n  %s\n  %s",
              changes_tree, changes_text_);

  for (guint i = 0; i < json_array_get_length (docs); i++)
    {
      JsonObject *doc = json_array_get_object_element (docs, i);
      JsonNode *id_node = json_object_get_member (doc, "_id");
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;
      const char *id;

      if (id_node == NULL || json_node_get_value_type (id_node) != G_TYPE_STRING)
        continue;
      id = json_node_get_string (id_node);
      if (g_str_has_prefix (id, "_local/"))
        {
          a = local_text (tree, id + strlen ("_local/"));
          b = local_text (text, id + strlen ("_local/"));
        }
      else
        {
          a = leaves_text (tree, id);
          b = leaves_text (text, id);
        }
      fuzz_check (g_str_equal (a, b), "document %s is stored differently:\n  %s\n  %s", id, a, b);
    }
}

static void
compare_failures (JsonArray *answers,
                  JsonArray *failures)
{
  guint k = 0;

  for (guint i = 0; i < json_array_get_length (answers); i++)
    {
      JsonObject *a = json_array_get_object_element (answers, i);
      JsonObject *b;

      if (!json_object_has_member (a, "error"))
        continue;
      fuzz_check (k < json_array_get_length (failures), "bulk_docs refused more documents");
      b = json_array_get_object_element (failures, k++);
      fuzz_check (g_strcmp0 (json_object_get_string_member (a, "error"),
                             json_object_get_string_member (b, "error")) == 0,
                  "another error: %s, %s", json_object_get_string_member (a, "error"),
                  json_object_get_string_member (b, "error"));
      fuzz_check (g_strcmp0 (json_object_get_string_member_with_default (a, "id", NULL),
                             json_object_get_string_member_with_default (b, "id", NULL)) == 0,
                  "another id");
    }
  fuzz_check (k == json_array_get_length (failures), "the batch refused more documents");
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  const char *text = (const char *) data;
  g_autoptr(GlsStoreDocBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonArray) docs = NULL;
  g_autoptr(JsonArray) answers = NULL;
  g_autoptr(JsonArray) failures = NULL;
  g_autoptr(GlsStore) tree = NULL;
  g_autoptr(GlsStore) text_store = NULL;
  g_autoptr(GError) tree_error = NULL;
  g_autoptr(GError) text_error = NULL;

  batch = gls_store_doc_batch_new_from_bulk_get (text, size, &error);
  if (batch == NULL)
    {
      fuzz_check (g_error_matches (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST),
                  "a refusal is BAD_REQUEST");
      return 0;
    }

  root = gls_json_from_data (text, size, &error);
  fuzz_check (root != NULL, "the scanner accepts what the parser refuses: %s", error->message);
  docs = documents_of (root);
  fuzz_check (json_array_get_length (docs) == gls_store_doc_batch_get_length (batch),
              "the parser finds %u documents, the scanner %u", json_array_get_length (docs),
              gls_store_doc_batch_get_length (batch));

  tree = open_store ("tree.db");
  text_store = open_store ("text.db");
  answers = gls_store_bulk_docs (tree, docs, FALSE, &tree_error);
  failures = gls_store_bulk_docs_replicated (text_store, batch, &text_error);
  fuzz_check ((answers == NULL) == (failures == NULL), "one write failed whole: %s",
              tree_error != NULL ? tree_error->message : text_error->message);
  if (answers != NULL)
    {
      compare_failures (answers, failures);
      compare_stores (tree, text_store, docs);
      compare_indexes (text_store);
    }

  g_clear_object (&tree);
  g_clear_object (&text_store);
  fuzz_drain_main_context ();
  fuzz_remove_dir (dir);
  g_mkdir (dir, 0700);
  return 0;
}
