/* test-store-batch.c: replicated documents written as text
 * (GlsStoreDocBatch, gls_store_bulk_docs_replicated) end up exactly as
 * gls_store_bulk_docs with new_edits=false leaves them
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-store-batch"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "gls-store.h"
#include "test-util.h"

#define HASH_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HASH_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define HASH_C "cccccccccccccccccccccccccccccccc"
#define HASH_D "dddddddddddddddddddddddddddddddd"

typedef struct
{
  char     *dir;
  GlsStore *tree;    /* written by gls_store_bulk_docs */
  GlsStore *text;    /* written by gls_store_bulk_docs_replicated */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  f->dir = test_data_dir_new ("glossa-store-batch-XXXXXX");
  a = g_build_filename (f->dir, "tree.db", NULL);
  b = g_build_filename (f->dir, "text.db", NULL);
  f->tree = gls_store_open (a, &error);
  g_assert_no_error (error);
  f->text = gls_store_open (b, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->tree);
  g_clear_object (&f->text);
  test_data_dir_free (f->dir);
}

/* A _bulk_get answer with each document in its own result. */
static char *
answer_for (const char *const *docs)
{
  GString *out = g_string_new ("{\"results\": [");

  for (guint i = 0; docs[i] != NULL; i++)
    g_string_append_printf (out, "%s{\"id\":\"x\",\"docs\":[{\"ok\":%s}]}",
                            i > 0 ? ", " : "", docs[i]);
  /* a missing revision carries no document */
  g_string_append (out, ", {\"id\":\"gone\",\"docs\":[{\"error\":{\"id\":\"gone\",\"rev\":\"1-"
                   HASH_A "\",\"error\":\"not_found\",\"reason\":\"missing\"}}]}");
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}

static guint
count_errors (JsonArray *answers)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (answers); i++)
    if (json_object_has_member (json_array_get_object_element (answers, i), "error"))
      n++;
  return n;
}

/* Every leaf of `id` with its path, as both stores answer _bulk_get. */
static char *
leaves_text (GlsStore   *store,
             const char *id)
{
  g_autoptr(GString) out = g_string_new ("[");
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  if (!gls_store_append_open_revs (store, id, NULL, GLS_STORE_GET_REVS | GLS_STORE_GET_ATTACHMENTS,
                                   out, missing, &error))
    {
      g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND);
      return g_strdup ("not found");
    }
  g_string_append_c (out, ']');
  return g_strdup (out->str);
}

/* Writes `docs` both ways, in one batch each, and compares the stores. */
static void
write_both (Fixture           *f,
            const char *const *docs,
            const char *const *ids,
            guint              n_errors)
{
  g_autofree char *answer = answer_for (docs);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonArray) answers = NULL;
  g_autoptr(JsonArray) failures = NULL;
  g_autoptr(GlsStoreDocBatch) batch = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; docs[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = gls_json_from_data (docs[i], -1, &error);

      g_assert_no_error (error);
      json_array_add_element (array, g_steal_pointer (&node));
    }
  answers = gls_store_bulk_docs (f->tree, array, FALSE, &error);
  g_assert_no_error (error);

  batch = gls_store_doc_batch_new_from_bulk_get (answer, strlen (answer), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gls_store_doc_batch_get_length (batch), ==, g_strv_length ((char **) docs));
  failures = gls_store_bulk_docs_replicated (f->text, batch, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (count_errors (answers), ==, n_errors);
  g_assert_cmpuint (json_array_get_length (failures), ==, n_errors);
  for (guint i = 0, k = 0; i < json_array_get_length (answers); i++)
    {
      JsonObject *a = json_array_get_object_element (answers, i);
      JsonObject *b;

      if (!json_object_has_member (a, "error"))
        continue;
      b = json_array_get_object_element (failures, k++);
      g_assert_cmpstr (json_object_get_string_member (a, "error"), ==,
                       json_object_get_string_member (b, "error"));
      g_assert_cmpstr (json_object_get_string_member_with_default (a, "id", NULL), ==,
                       json_object_get_string_member_with_default (b, "id", NULL));
    }

  g_assert_cmpint (gls_store_get_update_seq (f->tree), ==, gls_store_get_update_seq (f->text));
  g_assert_cmpint (gls_store_get_doc_count (f->tree), ==, gls_store_get_doc_count (f->text));
  g_assert_cmpint (gls_store_get_doc_del_count (f->tree), ==, gls_store_get_doc_del_count (f->text));
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *a = leaves_text (f->tree, ids[i]);
      g_autofree char *b = leaves_text (f->text, ids[i]);

      g_assert_cmpstr (a, ==, b);
    }
}

static void
test_same_as_bulk_docs (Fixture       *f,
                        gconstpointer  data)
{
  const char *const docs[] = {
    /* canonical, as a Glossa peer sends it: the text path */
    "{\"_id\":\"a1\",\"_rev\":\"1-" HASH_A "\",\"_revisions\":{\"ids\":[\"" HASH_A "\"],\"start\":1},"
    "\"body\":{\"type\":\"TextualBody\",\"value\":\"hi \\\"you\\\"\\n\\u0001\\\\ \xc3\xa9\"},"
    "\"n\":12,\"x\":0.5,\"y\":1e+20,\"z\":[1,-2,true,false,null,{},[]]}",
    /* white space, members out of order */
    "{ \"_id\" : \"a2\", \"_rev\":\"1-" HASH_B "\", \"z\": 1, \"a\" : [ 2 , 3 ] }",
    /* numbers and escapes written differently */
    "{\"_id\":\"a3\",\"_rev\":\"1-" HASH_C "\",\"f\":1.0,\"g\":1e2,\"h\":-0,\"i\":12345678901234567890}",
    "{\"_id\":\"a4\",\"_rev\":\"1-" HASH_D "\",\"s\":\"\\u00e9\\/x\"}",
    "{\"_id\":\"a5\",\"_rev\":\"1-" HASH_A "\",\"nested\":{\"b\":1,\"a\":2}}",
    "{\"_id\":\"a6\",\"_rev\":\"1-" HASH_A "\",\"k\":1,\"k\":2}",
    "{\"_id\":\"a7\",\"_rev\":\"1-" HASH_A "\",\"\\u0061b\":1,\"ab\":2}",
    /* conflicting branches, a tombstone */
    "{\"_id\":\"c\",\"_rev\":\"3-" HASH_C "\",\"_revisions\":{\"ids\":[\"" HASH_C "\",\"" HASH_B "\",\""
    HASH_A "\"],\"start\":3},\"v\":1}",
    "{\"_id\":\"c\",\"_revisions\":{\"ids\":[\"" HASH_D "\",\"" HASH_A "\"],\"start\":2},\"v\":2}",
    "{\"_deleted\":true,\"_id\":\"d\",\"_revisions\":{\"ids\":[\"" HASH_B "\",\"" HASH_A "\"],\"start\":2}}",
    "{\"_deleted\":false,\"_id\":\"e\",\"_rev\":\"1-" HASH_A "\",\"_conflicts\":[],\"w\":\"x\"}",
    /* attachments, design and _local documents */
    "{\"_attachments\":{\"f.txt\":{\"content_type\":\"text/plain\",\"data\":\"aGVsbG8=\"}},"
    "\"_id\":\"att\",\"_rev\":\"1-" HASH_A "\",\"k\":\"v\"}",
    "{\"_id\":\"_design/x\",\"_rev\":\"1-" HASH_A "\",\"views\":{}}",
    "{\"_id\":\"_local/x\",\"k\":1}",
    /* refused */
    "{\"_id\":\"bad\",\"_rev\":\"1-xyz\",\"k\":1}",
    "{\"_id\":\"mm\",\"_rev\":\"2-" HASH_A "\",\"_revisions\":{\"ids\":[\"" HASH_B "\"],\"start\":2}}",
    "{\"_id\":\"norev\",\"k\":1}",
    "{\"_id\":\"_bad\",\"_rev\":\"1-" HASH_A "\"}",
    "{\"_id\":\"odd\",\"_rev\":\"1-" HASH_A "\",\"_odd\":1}",
    /* the same revision again: nothing new */
    "{\"_id\":\"a1\",\"_rev\":\"1-" HASH_A "\",\"_revisions\":{\"ids\":[\"" HASH_A "\"],\"start\":1},\"n\":13}",
    NULL
  };
  const char *const ids[] = {
    "a1", "a2", "a3", "a4", "a5", "a6", "a7", "c", "d", "e", "att", "_design/x",
    "bad", "mm", "norev", "odd", NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) local = NULL;

  write_both (f, docs, ids, 5);

  local = gls_store_get_local (f->text, "x", &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (local, "k"), ==, 1);
}

/* A long path is stemmed to revs_limit the same way. */
static void
test_revs_limit (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GString) doc = g_string_new ("{\"_id\":\"long\",\"_revisions\":{\"ids\":[");
  const char *docs[2] = { NULL, NULL };
  const char *const ids[] = { "long", NULL };

  gls_store_set_revs_limit (f->tree, 3);
  gls_store_set_revs_limit (f->text, 3);
  for (guint i = 8; i > 0; i--)
    g_string_append_printf (doc, "\"%032x\"%s", i, i > 1 ? "," : "");
  g_string_append (doc, "],\"start\":8},\"t\":\"x\"}");
  docs[0] = doc->str;
  write_both (f, docs, ids, 0);
}

static void
test_malformed (void)
{
  g_autofree char *deep = NULL;
  g_autoptr(GString) nest = g_string_new ("{\"results\":[{\"docs\":[{\"ok\":{\"_id\":\"a\",\"k\":");
  const char *const bad[] = {
    "", "[]", "{}", "{\"results\":{}}", "{\"results\":[{\"id\":\"a\"}]}",
    "{\"results\":[{\"docs\":[{\"ok\":[]}]}]}",
    "{\"results\":[{\"docs\":[{\"ok\":{\"_id\":\"a\",\"_rev\":\"1-" HASH_A "\",\"k\":tru}}]}]}",
    "{\"results\":[{\"docs\":[{\"ok\":{\"_id\":\"a\",\"_rev\":\"1-" HASH_A "\"}}]}",
    "{\"results\":[]} x",
    NULL
  };
  g_autoptr(GlsStoreDocBatch) empty = NULL;
  g_autoptr(GError) error = NULL;
  const char *ok = "{\"results\":[{\"id\":\"a\",\"docs\":[{\"error\":{\"id\":\"a\",\"error\":\"not_found\"}}]}]}";

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GlsStoreDocBatch) batch = NULL;
      g_autoptr(GError) batch_error = NULL;

      batch = gls_store_doc_batch_new_from_bulk_get (bad[i], strlen (bad[i]), &batch_error);
      g_assert_null (batch);
      g_assert_error (batch_error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST);
    }

  for (guint i = 0; i < 300; i++)
    g_string_append_c (nest, '[');
  for (guint i = 0; i < 300; i++)
    g_string_append_c (nest, ']');
  g_string_append (nest, "}}]}]}");
  deep = g_string_free (g_steal_pointer (&nest), FALSE);
  g_assert_null (gls_store_doc_batch_new_from_bulk_get (deep, strlen (deep), &error));
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST);
  g_clear_error (&error);

  empty = gls_store_doc_batch_new_from_bulk_get (ok, strlen (ok), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gls_store_doc_batch_get_length (empty), ==, 0);
}

/* A member named twice counts once, the last, as with a parser: the
 * scanner wrote both "ok" documents of an item, and the documents of both
 * "docs" of a result (found by tests/fuzz/fuzz-bulk-get). */
static void
test_duplicate_members (Fixture       *f,
                        gconstpointer  data)
{
  const char *answer =
    "{\"results\":[{\"id\":\"x\",\"docs\":[{\"ok\":{\"_id\":\"first\",\"_rev\":\"1-" HASH_A "\"},"
    "\"ok\":{\"_id\":\"second\",\"_rev\":\"1-" HASH_B "\"}}]},"
    "{\"id\":\"y\",\"docs\":[{\"ok\":{\"_id\":\"third\",\"_rev\":\"1-" HASH_C "\"}}],"
    "\"docs\":[{\"ok\":{\"_id\":\"fourth\",\"k\":1,\"_rev\":\"1-" HASH_D "\"}}]}]}";
  g_autoptr(GlsStoreDocBatch) batch = NULL;
  g_autoptr(JsonArray) failures = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *second = NULL;
  g_autofree char *fourth = NULL;

  batch = gls_store_doc_batch_new_from_bulk_get (answer, strlen (answer), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gls_store_doc_batch_get_length (batch), ==, 2);
  failures = gls_store_bulk_docs_replicated (f->text, batch, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (failures), ==, 0);
  g_assert_cmpint (gls_store_get_doc_count (f->text), ==, 2);
  second = leaves_text (f->text, "second");
  fourth = leaves_text (f->text, "fourth");
  g_assert_cmpstr (second, !=, "not found");
  g_assert_cmpstr (fourth, !=, "not found");
}

static gboolean
is_missing (GlsStore   *store,
            const char *id,
            const char *rev)
{
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonObject) diff = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *revs = json_array_new ();

  json_array_add_string_element (revs, rev);
  json_object_set_array_member (request, id, revs);
  diff = gls_store_revs_diff (store, request, &error);
  g_assert_no_error (error);
  return json_object_has_member (diff, id);
}

/* revs_diff reads through its own connection: it must see every write
 * committed before it, each time (no snapshot kept from an earlier call). */
static void
test_revs_diff_sees_writes (Fixture       *f,
                            gconstpointer  data)
{
  const char *const ids[] = { "r", NULL };

  g_assert_true (is_missing (f->text, "r", "1-" HASH_A));
  for (guint i = 0; i < 3; i++)
    {
      const char *hashes[] = { HASH_A, HASH_B, HASH_C };
      g_autofree char *rev = g_strdup_printf ("%u-%s", i + 1, hashes[i]);
      g_autofree char *next = g_strdup_printf ("%u-%s", i + 2, HASH_D);
      g_autoptr(GString) doc = g_string_new ("{\"_id\":\"r\",\"_revisions\":{\"ids\":[");
      const char *docs[2] = { NULL, NULL };

      for (guint k = i + 1; k > 0; k--)
        g_string_append_printf (doc, "\"%s\"%s", hashes[k - 1], k > 1 ? "," : "");
      g_string_append_printf (doc, "],\"start\":%u},\"n\":%u}", i + 1, i);
      docs[0] = doc->str;
      write_both (f, docs, ids, 0);
      g_assert_false (is_missing (f->text, "r", rev));
      g_assert_true (is_missing (f->text, "r", next));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/batch/same-as-bulk-docs", Fixture, NULL, fixture_setup,
              test_same_as_bulk_docs, fixture_teardown);
  g_test_add ("/store/batch/revs-limit", Fixture, NULL, fixture_setup,
              test_revs_limit, fixture_teardown);
  g_test_add ("/store/batch/revs-diff-sees-writes", Fixture, NULL, fixture_setup,
              test_revs_diff_sees_writes, fixture_teardown);
  g_test_add_func ("/store/batch/malformed", test_malformed);
  g_test_add ("/store/batch/duplicate-members", Fixture, NULL, fixture_setup,
              test_duplicate_members, fixture_teardown);

  return g_test_run ();
}
