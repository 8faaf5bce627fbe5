/* test-sync-local.c: store-to-store replication, without HTTP
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "gls-replicator.h"
#include "gls-store.h"
#include "test-util.h"

/* Bigger than what a push sends inline (64 KB). */
#define DESIGN_SIZE (300 * 1024)

typedef struct
{
  char     *dir;
  GlsStore *a;
  GlsStore *b;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = test_data_dir_new ("glossa-local-XXXXXX");
  f->a = test_store_open (f->dir, "a.sqlite");
  f->b = test_store_open (f->dir, "b.sqlite");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->a);
  g_clear_object (&f->b);
  test_data_dir_free (f->dir);
}

/* --- helpers --- */

/* A design: a document with a file bigger than a push sends inline. */
static GBytes *
put_design (GlsStore   *store,
            const char *id)
{
  g_autofree guint8 *data = g_malloc (DESIGN_SIZE);
  g_autofree char *b64 = NULL;
  g_autofree char *json = NULL;
  GRand *rand = g_rand_new_with_seed (42);

  for (gsize i = 0; i < DESIGN_SIZE; i++)
    data[i] = (guint8) g_rand_int (rand);
  g_rand_free (rand);
  b64 = g_base64_encode (data, DESIGN_SIZE);
  json = g_strdup_printf ("{\"_id\":\"%s\",\"type\":\"design\",\"_attachments\":{\"file.png\":"
                          "{\"content_type\":\"image/png\",\"data\":\"%s\"}}}", id, b64);
  test_store_put_json (store, json);
  return g_bytes_new (data, DESIGN_SIZE);
}

static void
run_ok (GlsReplicator *repl)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (test_replicator_run (repl, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gls_replicator_get_state (repl), ==, GLS_REPLICATOR_STATE_IDLE);
}

/* The checkpoint `repl` left in `store`: it names the source's last seq. */
static void
assert_checkpoint (GlsReplicator *repl,
                   GlsStore      *store,
                   gint64         seq)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) log = gls_store_get_local (store, gls_replicator_get_replication_id (repl), &error);

  g_assert_no_error (error);
  g_assert_nonnull (log);
  g_assert_cmpint (json_object_get_int_member (log, "source_last_seq"), ==, seq);
  g_assert_cmpstr (json_object_get_string_member (log, "replicator"), ==, "glossa");
}

/* --- tests --- */

static void
test_replicate (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GlsReplicator) repl = gls_replicator_new_local (f->a, f->b);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) att = NULL;
  gint64 leaves = test_store_fill (f->a, 10);

  g_assert_null (gls_replicator_get_remote_url (repl));
  g_assert_cmpint (gls_replicator_get_direction (repl), ==, GLS_REPLICATOR_DIRECTION_PUSH);
  /* Several batches: the write of one overlaps the read of the next. */
  gls_replicator_set_batch_size (repl, 4);
  gls_replicator_set_checkpoint_interval (repl, 0);
  run_ok (repl);
  test_assert_stores_identical (f->a, f->b);
  g_assert_cmpint (gls_replicator_get_docs_read (repl), ==, leaves);
  g_assert_cmpint (gls_replicator_get_docs_written (repl), ==, leaves);
  g_assert_cmpint (gls_replicator_get_pending (repl), ==, 0);
  g_assert_cmpint (gls_store_get_doc_del_count (f->b), ==, 1);

  att = gls_store_get_attachment (f->b, "with-att", NULL, "note.txt", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (att, NULL), g_bytes_get_size (att), "hello world", 11);
  /* Both sides hold the checkpoint. */
  assert_checkpoint (repl, f->a, gls_store_get_update_seq (f->a));
  assert_checkpoint (repl, f->b, gls_store_get_update_seq (f->a));
}

static void
test_designs (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GlsReplicator) repl = gls_replicator_new_local (f->a, f->b);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) sent = put_design (f->a, "design-1");
  g_autoptr(GBytes) got = NULL;
  g_autoptr(JsonObject) doc_a = NULL;
  g_autoptr(JsonObject) doc_b = NULL;
  JsonObject *stub_a;
  JsonObject *stub_b;

  run_ok (repl);
  g_assert_cmpint (gls_replicator_get_docs_written (repl), ==, 1);
  got = gls_store_get_attachment (f->b, "design-1", NULL, "file.png", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (sent, got));
  doc_a = gls_store_get (f->a, "design-1", NULL, GLS_STORE_GET_NONE, &error);
  g_assert_no_error (error);
  doc_b = gls_store_get (f->b, "design-1", NULL, GLS_STORE_GET_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (doc_a, "_rev"), ==,
                   json_object_get_string_member (doc_b, "_rev"));
  stub_a = json_object_get_object_member (json_object_get_object_member (doc_a, "_attachments"), "file.png");
  stub_b = json_object_get_object_member (json_object_get_object_member (doc_b, "_attachments"), "file.png");
  g_assert_cmpstr (json_object_get_string_member (stub_a, "digest"), ==,
                   json_object_get_string_member (stub_b, "digest"));
  g_assert_cmpint (json_object_get_int_member (stub_b, "length"), ==, DESIGN_SIZE);
}

static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GlsReplicator) repl = gls_replicator_new_local (f->a, f->b);
  g_autoptr(GlsReplicator) again = NULL;
  g_autofree char *repid = NULL;

  test_store_fill (f->a, 6);
  run_ok (repl);
  repid = g_strdup (gls_replicator_get_replication_id (repl));

  /* The next run starts at the checkpoint: only what is new. */
  test_store_put_json (f->a, "{\"_id\":\"later\"}");
  run_ok (repl);
  g_assert_cmpint (gls_replicator_get_docs_read (repl), ==, 1);
  g_assert_cmpint (gls_replicator_get_docs_written (repl), ==, 1);
  assert_checkpoint (repl, f->b, gls_store_get_update_seq (f->a));
  test_assert_stores_identical (f->a, f->b);

  /* Another replicator between the same stores has the same id and
   * resumes from the same checkpoints. */
  again = gls_replicator_new_local (f->a, f->b);
  test_store_put_json (f->a, "{\"_id\":\"latest\"}");
  run_ok (again);
  g_assert_cmpstr (gls_replicator_get_replication_id (again), ==, repid);
  g_assert_cmpint (gls_replicator_get_docs_read (again), ==, 1);
  test_assert_stores_identical (f->a, f->b);
}

static void
test_idempotent (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GlsReplicator) repl = gls_replicator_new_local (f->a, f->b);
  g_autoptr(GlsReplicator) back = gls_replicator_new_local (f->b, f->a);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 seq_a;
  gint64 seq_b;

  test_store_fill (f->a, 5);
  run_ok (repl);
  before = test_store_dump (f->b);
  seq_a = gls_store_get_update_seq (f->a);
  seq_b = gls_store_get_update_seq (f->b);

  /* Again: nothing to read, nothing changes. */
  run_ok (repl);
  g_assert_cmpint (gls_replicator_get_docs_read (repl), ==, 0);
  g_assert_cmpint (gls_replicator_get_docs_written (repl), ==, 0);
  g_assert_cmpint (gls_store_get_update_seq (f->b), ==, seq_b);

  /* The other way, without a checkpoint: every change is looked at,
   * and the target has all of it already. */
  run_ok (back);
  g_assert_cmpstr (gls_replicator_get_replication_id (back), !=,
                   gls_replicator_get_replication_id (repl));
  g_assert_cmpint (gls_replicator_get_docs_read (back), ==, 0);
  g_assert_cmpint (gls_replicator_get_docs_written (back), ==, 0);
  g_assert_cmpint (gls_store_get_update_seq (f->a), ==, seq_a);
  after = test_store_dump (f->b);
  g_assert_cmpstr (before, ==, after);
  test_assert_stores_identical (f->a, f->b);
}

static void
test_conflicts (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GlsReplicator) ab = gls_replicator_new_local (f->a, f->b);
  g_autoptr(GlsReplicator) ba = gls_replicator_new_local (f->b, f->a);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) winner = NULL;
  g_autofree char *rev = NULL;
  JsonArray *conflicts;

  test_store_put_json (f->a, "{\"_id\":\"shared\",\"v\":0}");
  run_ok (ab);
  /* Both sides edit the same revision, then meet. */
  doc = gls_store_get (f->a, "shared", NULL, GLS_STORE_GET_NONE, &error);
  g_assert_no_error (error);
  json_object_set_int_member (doc, "v", 1);
  rev = gls_store_put (f->a, doc, &error);
  g_assert_no_error (error);
  g_clear_pointer (&rev, g_free);
  json_object_set_int_member (doc, "v", 2);
  rev = gls_store_put (f->b, doc, &error);
  g_assert_no_error (error);
  /* And one side deletes a document the other has. */
  test_store_put_json (f->b, "{\"_id\":\"short-lived\"}");
  run_ok (ba);
  g_clear_pointer (&doc, json_object_unref);
  doc = gls_store_get (f->a, "short-lived", NULL, GLS_STORE_GET_NONE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&rev, g_free);
  rev = gls_store_delete (f->a, "short-lived", json_object_get_string_member (doc, "_rev"), NULL, &error);
  g_assert_no_error (error);

  run_ok (ab);
  run_ok (ba);
  test_assert_stores_identical (f->a, f->b);
  winner = gls_store_get (f->b, "shared", NULL, GLS_STORE_GET_CONFLICTS, &error);
  g_assert_no_error (error);
  conflicts = json_object_get_array_member (winner, "_conflicts");
  g_assert_nonnull (conflicts);
  g_assert_cmpuint (json_array_get_length (conflicts), ==, 1);
  g_clear_pointer (&doc, json_object_unref);
  doc = gls_store_get (f->b, "short-lived", NULL, GLS_STORE_GET_NONE, &error);
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND);
  g_assert_null (doc);
}

static gboolean
has_doc (gpointer data)
{
  g_autoptr(JsonObject) doc = gls_store_get (data, "live", NULL, GLS_STORE_GET_NONE, NULL);

  return doc != NULL;
}

static gboolean
is_live (gpointer data)
{
  return gls_replicator_get_state (data) == GLS_REPLICATOR_STATE_LIVE;
}

/* Continuous: follows the source's ::changed until cancelled. */
static void
test_live (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GlsReplicator) repl = gls_replicator_new_local (f->a, f->b);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  test_store_fill (f->a, 3);
  gls_replicator_set_continuous (repl, TRUE);
  gls_replicator_run_async (repl, cancellable, test_wait_result_cb, &result);
  g_assert_true (test_wait_for (is_live, repl, 10, "the replicator goes live"));
  test_assert_stores_identical (f->a, f->b);
  test_store_put_json (f->a, "{\"_id\":\"live\"}");
  g_assert_true (test_wait_for (has_doc, f->b, 10, "the new document reaches the target"));
  g_assert_null (result);

  g_cancellable_cancel (cancellable);
  g_assert_false (gls_replicator_run_finish (repl, test_wait_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (gls_replicator_get_state (repl), ==, GLS_REPLICATOR_STATE_IDLE);
  test_assert_stores_identical (f->a, f->b);
  assert_checkpoint (repl, f->b, gls_store_get_update_seq (f->a));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sync/local/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("replicate", test_replicate);
  ADD ("designs", test_designs);
  ADD ("resume", test_resume);
  ADD ("idempotent", test_idempotent);
  ADD ("conflicts", test_conflicts);
  ADD ("live", test_live);
#undef ADD

  return g_test_run ();
}
