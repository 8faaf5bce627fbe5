/* gls-replicator-run.c: one replication run, from a source endpoint into a target
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-replicator"

#include "config.h"

#include <json-glib/json-glib.h>

#include "gls-endpoint-private.h"
#include "gls-replicator-private.h"

#define HISTORY_MAX 50

/*
 * Two chains of callbacks run at once, each holding a ref on the task: the
 * fetch chain reads the next batch (source changes, target revs_diff,
 * source fetch) while the write chain writes it into the target and
 * checkpoints it on both sides.
 */

typedef struct
{
  GlsReplicator    *self;
  GlsEndpoint      *source;
  GlsEndpoint      *target;
  GCancellable     *cancellable;
  char             *session_id;
  char             *start_time;
  JsonNode         *since;         /* opaque source seq */
  JsonArray        *old_history;   /* history to continue, newest first */
  JsonObject       *source_log;    /* while the target's is read */
  gboolean          live;
  gboolean          source_done;   /* the last _changes said pending: 0 */
  gint64            checkpoint_time;  /* of the last checkpoint, or the start */
  gboolean          checkpoint_owed;  /* batches written since, not checkpointed */

  JsonNode         *fetch_since;   /* where the next _changes starts */
  guint             chains;        /* running chains */
  gboolean          writing;       /* the write chain runs */
  gboolean          parked;        /* the fetch chain waits for the writer... */
  gboolean          parked_batch;  /* ...with a fetched batch to hand over */
  GError           *error;         /* the first failure; the last chain returns it */

  /* the batch being written (write chain) */
  GlsEndpointBatch *w_batch;
  GlsStoreRevsList *w_diff;        /* the target's _revs_diff answer of that batch */
  JsonNode         *w_last_seq;
  gint64            w_read;
  gint64            w_written;
  JsonObject       *checkpoint;

  /* per batch (fetch chain) */
  JsonNode         *last_seq;
  GlsStoreRevsList *diff;
  GlsEndpointBatch *batch;
} Run;

static void
run_free (Run *run)
{
  g_clear_object (&run->self);
  g_clear_object (&run->source);
  g_clear_object (&run->target);
  g_clear_object (&run->cancellable);
  g_free (run->session_id);
  g_free (run->start_time);
  g_clear_pointer (&run->since, json_node_unref);
  g_clear_pointer (&run->old_history, json_array_unref);
  g_clear_pointer (&run->source_log, json_object_unref);
  g_clear_pointer (&run->fetch_since, json_node_unref);
  g_clear_error (&run->error);
  g_clear_pointer (&run->w_batch, gls_endpoint_batch_free);
  g_clear_pointer (&run->w_diff, gls_store_revs_list_unref);
  g_clear_pointer (&run->w_last_seq, json_node_unref);
  g_clear_pointer (&run->checkpoint, json_object_unref);
  g_clear_pointer (&run->last_seq, json_node_unref);
  g_clear_pointer (&run->diff, gls_store_revs_list_unref);
  g_clear_pointer (&run->batch, gls_endpoint_batch_free);
  g_free (run);
}

static Run *
task_run (GTask *task)
{
  return g_task_get_task_data (task);
}

static char *
http_date_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%a, %d %b %Y %H:%M:%S GMT");
}

static gboolean
seq_equal (JsonNode *a,
           JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return json_node_equal (a, b);
}

static void batch_start (GTask *task);
static void checkpoint_put (GTask *task);

static void
set_live (Run      *run,
          gboolean  live)
{
  run->live = live;
  gls_endpoint_set_live (run->source, live);
  gls_endpoint_set_live (run->target, live);
}

/* Both chains stopped: the run ends (or, continuous, goes live). */
static void
run_settle (GTask *task)
{
  Run *run = task_run (task);
  GlsReplicator *self = run->self;

  if (run->checkpoint_owed
      && (run->error == NULL || g_error_matches (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    {
      /* The last batches were not checkpointed yet (stopping keeps them
       * too): a chain of its own, not cancellable, which settles again. */
      run->chains++;
      run->writing = TRUE;
      run->w_last_seq = json_node_copy (run->since);
      checkpoint_put (g_object_ref (task));
      return;
    }

  if (run->error != NULL)
    {
      GError *error = g_steal_pointer (&run->error);

      set_live (run, FALSE);
      _gls_replicator_ended (self, error);
      g_task_return_error (task, error);
    }
  else if (!self->continuous)
    {
      _gls_replicator_ended (self, NULL);
      g_task_return_boolean (task, TRUE);
    }
  else
    {
      /* Caught up: follow the source from now on. */
      set_live (run, TRUE);
      _gls_replicator_set_state (self, GLS_REPLICATOR_STATE_LIVE);
      run->chains++;
      batch_start (g_object_ref (task));
    }
}

/* The calling chain stops and drops its ref; the last one settles. */
static void
chain_end (GTask *task)
{
  Run *run = task_run (task);

  g_assert (run->chains > 0);
  if (run->error != NULL && run->parked)
    {
      /* The writer failed: the waiting fetch chain stops too. */
      run->parked = run->parked_batch = FALSE;
      run->chains--;
      g_object_unref (task);
    }
  if (--run->chains == 0)
    run_settle (task);
  g_object_unref (task);
}

static void
run_fail (GTask  *task,
          GError *error)
{
  Run *run = task_run (task);

  if (run->error == NULL)
    run->error = error;
  else
    g_error_free (error);
  chain_end (task);
}

/* ---------------------------------------------------------------------------
 * Start: both databases, and the checkpoints they hold
 */

static JsonNode *
history_find (JsonObject *log,
              const char *session_id)
{
  JsonArray *history;

  if (log == NULL || !json_object_has_member (log, "history")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (log, "history")))
    return NULL;
  history = json_object_get_array_member (log, "history");
  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonNode *entry = json_array_get_element (history, i);

      if (JSON_NODE_HOLDS_OBJECT (entry)
          && g_strcmp0 (_gls_endpoint_peek_string (json_node_get_object (entry), "session_id", NULL),
                        session_id) == 0)
        return json_object_get_member (json_node_get_object (entry), "recorded_seq");
    }
  return NULL;
}

/* The spec's "Compare Replication Logs". */
static void
checkpoints_read (GTask      *task,
                  JsonObject *source,
                  JsonObject *target)
{
  Run *run = task_run (task);
  JsonNode *since = NULL;

  if (source != NULL && target != NULL)
    {
      const char *ssid = _gls_endpoint_peek_string (source, "session_id", NULL);
      const char *tsid = _gls_endpoint_peek_string (target, "session_id", NULL);

      if (ssid != NULL && g_strcmp0 (ssid, tsid) == 0)
        since = json_object_get_member (source, "source_last_seq");
      else if (json_object_has_member (source, "history")
               && JSON_NODE_HOLDS_ARRAY (json_object_get_member (source, "history")))
        {
          JsonArray *history = json_object_get_array_member (source, "history");

          for (guint i = 0; i < json_array_get_length (history) && since == NULL; i++)
            {
              JsonNode *entry = json_array_get_element (history, i);

              if (JSON_NODE_HOLDS_OBJECT (entry))
                since = history_find (target, _gls_endpoint_peek_string (json_node_get_object (entry),
                                                                         "session_id", NULL));
            }
        }
      if (since != NULL && json_object_has_member (source, "history")
          && JSON_NODE_HOLDS_ARRAY (json_object_get_member (source, "history")))
        run->old_history = json_array_ref (json_object_get_array_member (source, "history"));
    }
  run->since = since != NULL ? json_node_copy (since) : json_from_string ("0", NULL);
  run->fetch_since = json_node_copy (run->since);
  if (G_UNLIKELY (g_getenv ("G_MESSAGES_DEBUG") != NULL))
    {
      g_autofree char *text = json_to_string (run->since, FALSE);

      g_debug ("replication %s starts at %s", run->self->repid, text);
    }
  batch_start (task);
}

static void
target_log_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  GTask *task = data;
  Run *run = task_run (task);
  g_autoptr(JsonObject) log = NULL;
  GError *error = NULL;

  log = gls_endpoint_get_checkpoint_finish (GLS_ENDPOINT (source), result, &error);
  if (error != NULL)
    return run_fail (task, error);
  checkpoints_read (task, run->source_log, log);
  g_clear_pointer (&run->source_log, json_object_unref);
}

static void
source_log_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  GTask *task = data;
  Run *run = task_run (task);
  GError *error = NULL;

  run->source_log = gls_endpoint_get_checkpoint_finish (GLS_ENDPOINT (source), result, &error);
  if (error != NULL)
    return run_fail (task, error);
  gls_endpoint_get_checkpoint_async (run->target, run->self->repid, run->cancellable,
                                     target_log_cb, task);
}

static void
target_opened_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  GTask *task = data;
  Run *run = task_run (task);
  GError *error = NULL;

  if (!gls_endpoint_open_finish (GLS_ENDPOINT (source), result, &error))
    return run_fail (task, error);
  gls_endpoint_get_checkpoint_async (run->source, run->self->repid, run->cancellable,
                                     source_log_cb, task);
}

static void
source_opened_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  GTask *task = data;
  Run *run = task_run (task);
  GError *error = NULL;

  if (!gls_endpoint_open_finish (GLS_ENDPOINT (source), result, &error))
    return run_fail (task, error);
  /* A target that does not exist yet is made. */
  gls_endpoint_open_async (run->target, TRUE, run->cancellable, target_opened_cb, task);
}

/* ---------------------------------------------------------------------------
 * The fetch chain
 */

static void revs_diffed (GTask *task, GlsStoreRevsList *diff);
static void docs_fetched (GTask *task);

static void
revs_diff_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  GTask *task = data;
  g_autoptr(GlsStoreRevsList) diff = NULL;
  GError *error = NULL;

  diff = gls_endpoint_revs_diff_finish (GLS_ENDPOINT (source), result, &error);
  if (diff == NULL)
    return run_fail (task, error);
  revs_diffed (task, diff);
}

static void
changes_received (GTask              *task,
                  GlsEndpointChanges *changes)
{
  Run *run = task_run (task);
  JsonNode *last_seq = changes->last_seq;

  if (changes->has_pending)
    _gls_replicator_set_pending (run->self, changes->pending);
  run->source_done = changes->has_pending && changes->pending == 0;

  if (gls_store_revs_list_get_length (changes->rows) == 0)
    {
      if (!run->live)
        return chain_end (task);   /* the pass has read everything */
      if (last_seq != NULL && !JSON_NODE_HOLDS_NULL (last_seq) && !run->writing
          && !seq_equal (run->since, last_seq))
        {
          json_node_unref (run->since);
          run->since = json_node_copy (last_seq);
          json_node_unref (run->fetch_since);
          run->fetch_since = json_node_copy (last_seq);
        }
      return batch_start (task);
    }

  if (last_seq == NULL)
    return run_fail (task, _gls_endpoint_protocol_error ("_changes (no seq)"));
  run->last_seq = json_node_copy (last_seq);
  gls_endpoint_revs_diff_async (run->target, changes->rows, run->cancellable, revs_diff_cb, task);
}

static void
changes_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  GTask *task = data;
  g_autoptr(GlsEndpointChanges) changes = NULL;
  GError *error = NULL;

  changes = gls_endpoint_changes_finish (GLS_ENDPOINT (source), result, &error);
  if (changes == NULL)
    return run_fail (task, error);
  changes_received (task, changes);
}

static void
batch_start (GTask *task)
{
  Run *run = task_run (task);
  GError *error = NULL;

  g_clear_pointer (&run->last_seq, json_node_unref);
  g_clear_pointer (&run->diff, gls_store_revs_list_unref);
  g_clear_pointer (&run->batch, gls_endpoint_batch_free);

  if (run->error != NULL)
    return chain_end (task);
  if (g_cancellable_set_error_if_cancelled (run->cancellable, &error))
    return run_fail (task, error);
  /* Live: waits for a change (a longpoll feed, the store's ::changed). */
  gls_endpoint_changes_async (run->source, run->fetch_since, run->self->batch_size, run->live,
                              run->cancellable, changes_cb, task);
}

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  GTask *task = data;
  Run *run = task_run (task);
  GError *error = NULL;

  run->batch = gls_endpoint_fetch_finish (GLS_ENDPOINT (source), result, &error);
  if (run->batch == NULL)
    return run_fail (task, error);
  docs_fetched (task);
}

static void
revs_diffed (GTask            *task,
             GlsStoreRevsList *diff)
{
  Run *run = task_run (task);

  run->diff = gls_store_revs_list_ref (diff);
  if (gls_store_revs_list_get_length (diff) == 0)
    {
      run->batch = gls_endpoint_batch_new ();
      return docs_fetched (task);
    }
  gls_endpoint_fetch_async (run->source, diff, run->target, run->cancellable, fetched_cb, task);
}

/* ---------------------------------------------------------------------------
 * The write chain
 */

static void hand_off (GTask *task);
static void batch_done (GTask *task);
static void checkpoint_write (GTask *task);

/* End of the fetch chain's batch: the writer takes it, now or when it is
 * done with the previous one. */
static void
docs_fetched (GTask *task)
{
  Run *run = task_run (task);

  if (run->error != NULL)
    return chain_end (task);
  if (run->writing)
    {
      run->parked = run->parked_batch = TRUE;
      return;
    }
  hand_off (task);
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  GTask *task = data;
  Run *run = task_run (task);
  GError *error = NULL;
  gint64 failures;

  failures = gls_endpoint_write_finish (GLS_ENDPOINT (source), result, &error);
  if (failures < 0)
    return run_fail (task, error);
  /* The counters follow what is in the target: a written batch counts at
   * once, before its checkpoint. */
  run->w_written = run->w_read - failures;
  _gls_replicator_add_docs (run->self, run->w_read, run->w_written);
  if (run->w_diff != NULL && gls_endpoint_get_store (run->target) != NULL)
    _gls_replicator_revisions_pulled (run->self, run->w_diff);
  checkpoint_write (task);
}

static void
write_start (GTask *task)
{
  Run *run = task_run (task);
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (run->cancellable, &error))
    return run_fail (task, error);
  if (run->error != NULL)
    return batch_done (task);
  if (run->w_read == 0)
    return checkpoint_write (task);
  gls_endpoint_write_async (run->target, run->w_batch, run->cancellable, written_cb, task);
}

/* Starts the write chain on the fetched batch and lets the fetch chain go
 * on: live, only after the write (a longpoll would hold a failed run). */
static void
hand_off (GTask *task)
{
  Run *run = task_run (task);

  run->parked = run->parked_batch = FALSE;
  g_clear_pointer (&run->w_batch, gls_endpoint_batch_free);
  g_clear_pointer (&run->w_last_seq, json_node_unref);
  g_clear_pointer (&run->checkpoint, json_object_unref);
  g_clear_pointer (&run->w_diff, gls_store_revs_list_unref);
  run->w_batch = g_steal_pointer (&run->batch);
  run->w_last_seq = g_steal_pointer (&run->last_seq);
  run->w_diff = run->diff != NULL ? gls_store_revs_list_ref (run->diff) : NULL;
  run->w_read = gls_endpoint_batch_get_length (run->w_batch);
  run->w_written = 0;
  json_node_unref (run->fetch_since);
  run->fetch_since = json_node_copy (run->w_last_seq);

  run->writing = TRUE;
  run->chains++;
  write_start (g_object_ref (task));

  if (run->error != NULL)
    chain_end (task);
  else if (!run->live && run->source_done)
    chain_end (task);   /* the source said nothing is left */
  else if (run->live && run->writing)
    run->parked = TRUE;
  else
    batch_start (task);
}

/* End of the write chain's batch. */
static void
batch_done (GTask *task)
{
  Run *run = task_run (task);

  json_node_unref (run->since);
  run->since = g_steal_pointer (&run->w_last_seq);
  g_clear_pointer (&run->w_batch, gls_endpoint_batch_free);
  g_clear_pointer (&run->checkpoint, json_object_unref);
  run->writing = FALSE;

  if (run->error == NULL && run->parked)
    {
      /* The fetch chain waited: give it its ref back. */
      if (run->parked_batch)
        hand_off (g_object_ref (task));
      else
        {
          run->parked = FALSE;
          batch_start (g_object_ref (task));
        }
      /* That ref stood for the parked chain: drop the extra one. */
      g_object_unref (task);
    }
  chain_end (task);
}

/* --- checkpoints --- */

static void
source_checkpoint_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      data)
{
  GTask *task = data;
  GError *error = NULL;

  if (!gls_endpoint_put_checkpoint_finish (GLS_ENDPOINT (source), result, &error))
    return run_fail (task, error);
  batch_done (task);
}

static void
target_checkpoint_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      data)
{
  GTask *task = data;
  Run *run = task_run (task);
  GError *error = NULL;

  if (!gls_endpoint_put_checkpoint_finish (GLS_ENDPOINT (source), result, &error))
    return run_fail (task, error);
  /* A read-only source cannot keep its checkpoint: the next run then
   * starts over, which is safe. */
  gls_endpoint_put_checkpoint_async (run->source, run->self->repid, run->checkpoint, TRUE, NULL,
                                     source_checkpoint_cb, task);
}

static void
checkpoint_write (GTask *task)
{
  Run *run = task_run (task);

  if (run->error != NULL || seq_equal (run->since, run->w_last_seq))
    return batch_done (task);
  /* Catching up, and the last checkpoint is recent: later (when the
   * pass ends, run_settle writes what is owed). */
  if (!run->live
      && g_get_monotonic_time () - run->checkpoint_time
         < (gint64) run->self->checkpoint_interval_ms * 1000)
    {
      run->checkpoint_owed = TRUE;
      return batch_done (task);
    }
  checkpoint_put (task);
}

/* Writes the checkpoint of w_last_seq on both sides, then the batch is
 * done. Not cancellable: the batch is written, its checkpoint should
 * follow. */
static void
checkpoint_put (GTask *task)
{
  Run *run = task_run (task);
  JsonObject *cp = json_object_new ();
  JsonArray *history = json_array_new ();
  JsonObject *entry = json_object_new ();
  g_autofree char *end_time = http_date_now ();

  run->checkpoint_owed = FALSE;
  run->checkpoint_time = g_get_monotonic_time ();
  json_object_set_string_member (entry, "session_id", run->session_id);
  json_object_set_string_member (entry, "start_time", run->start_time);
  json_object_set_string_member (entry, "end_time", end_time);
  json_object_set_member (entry, "recorded_seq", json_node_copy (run->w_last_seq));
  json_object_set_int_member (entry, "docs_read", run->self->docs_read);
  json_object_set_int_member (entry, "docs_written", run->self->docs_written);
  json_array_add_object_element (history, entry);
  for (guint i = 0; run->old_history != NULL && i < json_array_get_length (run->old_history)
       && json_array_get_length (history) < HISTORY_MAX; i++)
    {
      JsonNode *old = json_array_get_element (run->old_history, i);

      if (JSON_NODE_HOLDS_OBJECT (old)
          && g_strcmp0 (_gls_endpoint_peek_string (json_node_get_object (old), "session_id", NULL),
                        run->session_id) != 0)
        json_array_add_element (history, json_node_copy (old));
    }
  json_object_set_string_member (cp, "session_id", run->session_id);
  json_object_set_member (cp, "source_last_seq", json_node_copy (run->w_last_seq));
  json_object_set_int_member (cp, "replication_id_version", 1);
  json_object_set_string_member (cp, "replicator", "glossa");
  json_object_set_array_member (cp, "history", history);
  g_clear_pointer (&run->checkpoint, json_object_unref);
  run->checkpoint = cp;

  /* The target first, then the source. */
  gls_endpoint_put_checkpoint_async (run->target, run->self->repid, run->checkpoint, FALSE, NULL,
                                     target_checkpoint_cb, task);
}

/* ---------------------------------------------------------------------------
 * Entry
 */

void
_gls_replicator_run (GlsReplicator *self,
                     GlsEndpoint   *source,
                     GlsEndpoint   *target,
                     GTask         *task)
{
  Run *run = g_new0 (Run, 1);
  GCancellable *cancellable = g_task_get_cancellable (task);

  run->self = g_object_ref (self);
  run->source = g_object_ref (source);
  run->target = g_object_ref (target);
  run->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  run->session_id = g_uuid_string_random ();
  run->start_time = http_date_now ();
  run->checkpoint_time = g_get_monotonic_time ();
  run->chains = 1;
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  set_live (run, FALSE);
  gls_endpoint_open_async (source, FALSE, run->cancellable, source_opened_cb, task);
}
