/* gls-endpoint-local.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-endpoint-local"

#include "config.h"

#include "gls-endpoint-local.h"
#include "gls-endpoint-private.h"
#include "gls-replicator.h"

/* Attachments up to this size (all of a document's) go inline to a target
 * that takes files; bigger ones are sent from their files. */
#define INLINE_MAX (64 * 1024)

struct _GlsEndpointLocal
{
  GObject   parent_instance;

  GlsStore *store;
};

static void endpoint_iface_init (GlsEndpointInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GlsEndpointLocal, gls_endpoint_local, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GLS_TYPE_ENDPOINT, endpoint_iface_init))

static void
return_pointer_or_error (GTask          *task,
                         gpointer        pointer,
                         GDestroyNotify  free_func,
                         GError         *error)
{
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pointer, free_func);
}

static const char *
local_get_id (GlsEndpoint *endpoint)
{
  return gls_store_get_uuid (GLS_ENDPOINT_LOCAL (endpoint)->store);
}

static GlsStore *
local_get_store (GlsEndpoint *endpoint)
{
  return GLS_ENDPOINT_LOCAL (endpoint)->store;
}

static gboolean
local_takes_files (GlsEndpoint *endpoint)
{
  return FALSE;
}

static void
local_open_async (GlsEndpoint         *endpoint,
                  gboolean             create,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (endpoint, cancellable, callback, user_data);

  g_task_set_source_tag (task, local_open_async);
  g_task_return_boolean (task, TRUE);
}

/* --- checkpoints --- */

typedef struct
{
  char       *id;
  JsonObject *doc;
} Checkpoint;

static void
checkpoint_free (Checkpoint *checkpoint)
{
  g_free (checkpoint->id);
  g_clear_pointer (&checkpoint->doc, json_object_unref);
  g_free (checkpoint);
}

static void
get_checkpoint_thread (GTask        *task,
                       gpointer      source,
                       gpointer      data,
                       GCancellable *cancellable)
{
  GlsEndpointLocal *self = source;
  Checkpoint *checkpoint = data;
  GError *error = NULL;
  JsonObject *log;

  log = gls_store_get_local (self->store, checkpoint->id, &error);
  if (log == NULL && g_error_matches (error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND))
    g_clear_error (&error);
  return_pointer_or_error (task, log, (GDestroyNotify) json_object_unref, error);
}

static void
put_checkpoint_thread (GTask        *task,
                       gpointer      source,
                       gpointer      data,
                       GCancellable *cancellable)
{
  GlsEndpointLocal *self = source;
  Checkpoint *checkpoint = data;
  g_autofree char *rev = NULL;
  GError *error = NULL;

  rev = gls_store_replace_local (self->store, checkpoint->id, checkpoint->doc, &error);
  if (rev == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
checkpoint_run (GlsEndpoint         *endpoint,
                const char          *id,
                JsonObject          *doc,
                GTaskThreadFunc      func,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (endpoint, cancellable, callback, user_data);
  Checkpoint *checkpoint = g_new0 (Checkpoint, 1);

  g_task_set_source_tag (task, checkpoint_run);
  checkpoint->id = g_strdup (id);
  checkpoint->doc = doc != NULL ? _gls_endpoint_dup_object (doc) : NULL;
  g_task_set_task_data (task, checkpoint, (GDestroyNotify) checkpoint_free);
  g_task_run_in_thread (task, func);
}

static void
local_get_checkpoint_async (GlsEndpoint         *endpoint,
                            const char          *id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  checkpoint_run (endpoint, id, NULL, get_checkpoint_thread, cancellable, callback, user_data);
}

static void
local_put_checkpoint_async (GlsEndpoint         *endpoint,
                            const char          *id,
                            JsonObject          *doc,
                            gboolean             best_effort,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  checkpoint_run (endpoint, id, doc, put_checkpoint_thread, cancellable, callback, user_data);
}

/* --- changes --- */

typedef struct
{
  GlsStore     *store;
  GCancellable *cancellable;
  gint64        since;
  guint         limit;
  gulong        changed_id;
  gulong        cancel_id;
  guint         wait_id;
} Changes;

static void
changes_wait_done (Changes *changes)
{
  if (changes->changed_id != 0)
    g_signal_handler_disconnect (changes->store, changes->changed_id);
  if (changes->cancel_id != 0)
    g_cancellable_disconnect (changes->cancellable, changes->cancel_id);
  changes->changed_id = changes->cancel_id = 0;
}

static void
changes_free (Changes *changes)
{
  changes_wait_done (changes);
  g_clear_handle_id (&changes->wait_id, g_source_remove);
  g_clear_object (&changes->store);
  g_clear_object (&changes->cancellable);
  g_free (changes);
}

static gint64
seq_to_int (JsonNode *seq)
{
  if (seq == NULL || !JSON_NODE_HOLDS_VALUE (seq))
    return 0;
  if (json_node_get_value_type (seq) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (seq), NULL, 10);
  return json_node_get_int (seq);
}

static void
changes_thread (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  Changes *changes = data;
  g_autoptr(GlsEndpointChanges) answer = g_new0 (GlsEndpointChanges, 1);
  gint64 last_seq = 0;
  GError *error = NULL;

  answer->rows = gls_store_changes_revs (changes->store, changes->since, changes->limit,
                                         &last_seq, &answer->pending, &error);
  if (answer->rows == NULL)
    return g_task_return_error (task, error);
  answer->last_seq = json_node_init_int (json_node_alloc (), last_seq);
  answer->has_pending = TRUE;
  g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) gls_endpoint_changes_free);
}

/* Takes the task's ref. */
static gboolean
changes_wake_cb (gpointer data)
{
  GTask *task = data;
  Changes *changes = g_task_get_task_data (task);

  changes->wait_id = 0;
  changes_wait_done (changes);
  if (!g_task_return_error_if_cancelled (task))
    g_task_run_in_thread (task, changes_thread);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
changes_store_changed_cb (GlsStore *store,
                          gint64    seq,
                          gpointer  data)
{
  GTask *task = data;
  Changes *changes = g_task_get_task_data (task);

  changes_wait_done (changes);
  if (changes->wait_id == 0)
    changes->wait_id = g_idle_add (changes_wake_cb, task);
}

static void
changes_cancelled_cb (GCancellable *cancellable,
                      gpointer      data)
{
  GTask *task = data;
  Changes *changes = g_task_get_task_data (task);

  /* May run in any thread: only schedule. */
  if (changes->wait_id == 0)
    changes->wait_id = g_idle_add (changes_wake_cb, task);
}

static void
local_changes_async (GlsEndpoint         *endpoint,
                     JsonNode            *since,
                     guint                limit,
                     gboolean             live,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GlsEndpointLocal *self = GLS_ENDPOINT_LOCAL (endpoint);
  GTask *task = g_task_new (endpoint, cancellable, callback, user_data);
  Changes *changes = g_new0 (Changes, 1);

  g_task_set_source_tag (task, local_changes_async);
  changes->store = g_object_ref (self->store);
  changes->since = seq_to_int (since);
  changes->limit = limit;
  g_task_set_task_data (task, changes, (GDestroyNotify) changes_free);
  if (!live || gls_store_get_update_seq (self->store) > changes->since)
    {
      g_task_run_in_thread (task, changes_thread);
      g_object_unref (task);
      return;
    }
  /* Wait for the store to change (or the cancellable); the wait holds
   * the task's ref. */
  changes->changed_id = g_signal_connect (self->store, "changed",
                                          G_CALLBACK (changes_store_changed_cb), task);
  if (cancellable != NULL)
    {
      changes->cancellable = g_object_ref (cancellable);
      changes->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (changes_cancelled_cb),
                                                  task, NULL);
    }
}

/* --- revs_diff --- */

static void
revs_diff_thread (GTask        *task,
                  gpointer      source,
                  gpointer      data,
                  GCancellable *cancellable)
{
  GlsEndpointLocal *self = source;
  GError *error = NULL;
  GlsStoreRevsList *diff;

  diff = gls_store_revs_diff_list (self->store, data, &error);
  if (g_error_matches (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST))
    {
      /* The revs came from the source's _changes. */
      GError *protocol = g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                                      "Unexpected answer to _changes: %s", error->message);

      g_error_free (error);
      error = protocol;
    }
  return_pointer_or_error (task, diff, (GDestroyNotify) gls_store_revs_list_unref, error);
}

static void
local_revs_diff_async (GlsEndpoint         *endpoint,
                       GlsStoreRevsList    *revs,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (endpoint, cancellable, callback, user_data);

  g_task_set_source_tag (task, local_revs_diff_async);
  g_task_set_task_data (task, gls_store_revs_list_ref (revs), (GDestroyNotify) gls_store_revs_list_unref);
  g_task_run_in_thread (task, revs_diff_thread);
}

/* --- fetch --- */

typedef struct
{
  GlsStoreRevsList *missing;
  gboolean          files;  /* the target takes big attachments from their files */
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  gls_store_revs_list_unref (fetch->missing);
  g_free (fetch);
}

static gint64
attachments_length (JsonObject *doc)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  gint64 total = 0;

  json_object_iter_init (&iter, json_object_get_object_member (doc, "_attachments"));
  while (json_object_iter_next (&iter, &name, &member))
    if (JSON_NODE_HOLDS_OBJECT (member))
      total += json_object_get_int_member_with_default (json_node_get_object (member), "length", 0);
  return total;
}

/* One leaf the target lacks, as it takes it. */
static gboolean
fetch_add (GlsEndpointLocal  *self,
           Fetch             *fetch,
           GlsEndpointBatch  *batch,
           const char        *id,
           JsonObject        *doc,
           GError           **error)
{
  g_autoptr(JsonObject) inline_doc = NULL;

  if (!fetch->files || !json_object_has_member (doc, "_attachments"))
    json_array_add_object_element (batch->docs, json_object_ref (doc));
  else if (attachments_length (doc) > INLINE_MAX)
    {
      if (batch->file_docs == NULL)
        {
          batch->file_docs = json_array_new ();
          batch->file_store = g_object_ref (self->store);
        }
      json_array_add_object_element (batch->file_docs, json_object_ref (doc));
    }
  else
    {
      /* Small: inline, in the _bulk_docs. */
      inline_doc = gls_store_get (self->store, id, json_object_get_string_member (doc, "_rev"),
                                  GLS_STORE_GET_REVS | GLS_STORE_GET_ATTACHMENTS |
                                  GLS_STORE_GET_DELETED_OK, error);
      if (inline_doc == NULL)
        return FALSE;
      json_array_add_object_element (batch->docs, g_steal_pointer (&inline_doc));
    }
  return TRUE;
}

static void
fetch_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  GlsEndpointLocal *self = source;
  Fetch *fetch = data;
  g_autoptr(GlsEndpointBatch) batch = gls_endpoint_batch_new ();
  g_autoptr(GPtrArray) revs = g_ptr_array_new ();

  for (guint i = 0; i < gls_store_revs_list_get_length (fetch->missing); i++)
    {
      const char *id = gls_store_revs_list_get_id (fetch->missing, i);
      g_autoptr(JsonArray) found = NULL;
      GError *error = NULL;

      g_ptr_array_set_size (revs, 0);
      for (guint j = 0; j < gls_store_revs_list_get_n_revs (fetch->missing, i); j++)
        g_ptr_array_add (revs, (gpointer) gls_store_revs_list_get_rev (fetch->missing, i, j));
      g_ptr_array_add (revs, NULL);
      /* A target that takes files gets big attachments from them: the
       * documents are read with stubs. */
      found = gls_store_get_open_revs (self->store, id, (const char *const *) revs->pdata,
                                       GLS_STORE_GET_REVS |
                                       (fetch->files ? 0 : GLS_STORE_GET_ATTACHMENTS), &error);
      if (found == NULL && g_error_matches (error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          continue;
        }
      if (found == NULL)
        return g_task_return_error (task, error);
      for (guint j = 0; j < json_array_get_length (found); j++)
        {
          JsonNode *d = json_array_get_element (found, j);
          JsonNode *ok = JSON_NODE_HOLDS_OBJECT (d) ? json_object_get_member (json_node_get_object (d), "ok") : NULL;

          if (ok == NULL || !JSON_NODE_HOLDS_OBJECT (ok))
            continue;
          if (!fetch_add (self, fetch, batch, id, json_node_get_object (ok), &error))
            return g_task_return_error (task, error);
        }
    }
  g_task_return_pointer (task, g_steal_pointer (&batch), (GDestroyNotify) gls_endpoint_batch_free);
}

static void
local_fetch_async (GlsEndpoint         *endpoint,
                   GlsStoreRevsList    *missing,
                   GlsEndpoint         *target,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (endpoint, cancellable, callback, user_data);
  Fetch *fetch = g_new0 (Fetch, 1);

  g_task_set_source_tag (task, local_fetch_async);
  fetch->missing = gls_store_revs_list_ref (missing);
  fetch->files = gls_endpoint_takes_files (target);
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);
  g_task_run_in_thread (task, fetch_thread);
}

/* --- write --- */

static void
write_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  GlsEndpointLocal *self = source;
  GlsEndpointBatch *batch = data;
  g_autoptr(JsonArray) answers = NULL;
  GError *error = NULL;
  gint64 failures = 0;

  /* Text from _bulk_get: its answers are the failures only. */
  if (batch->text != NULL)
    answers = gls_store_bulk_docs_replicated_with_blobs (self->store, batch->text,
                                                         batch->blobs, &error);
  if (error == NULL && json_array_get_length (batch->docs) > 0)
    {
      g_autoptr(JsonArray) more = gls_store_bulk_docs_with_blobs (self->store, batch->docs, FALSE,
                                                                  batch->blobs, &error);

      if (more != NULL && answers == NULL)
        answers = g_steal_pointer (&more);
      for (guint i = 0; more != NULL && i < json_array_get_length (more); i++)
        json_array_add_element (answers, json_node_copy (json_array_get_element (more, i)));
    }
  /* The store refuses only what is malformed (a bad rev, id or
   * _revisions): the source is broken, so stop before the checkpoint
   * would step over the refused documents. */
  if (error == NULL)
    _gls_endpoint_check_answers (answers, FALSE, &failures, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, failures);
}

static void
local_write_async (GlsEndpoint         *endpoint,
                   GlsEndpointBatch    *batch,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  /* Not cancellable: a write that started finishes. */
  g_autoptr(GTask) task = g_task_new (endpoint, NULL, callback, user_data);

  /* A store target never asks for files (local_takes_files). */
  g_assert (batch->file_docs == NULL);
  g_task_set_source_tag (task, local_write_async);
  g_task_set_task_data (task, batch, NULL);
  g_task_run_in_thread (task, write_thread);
}

/* --- GObject --- */

static void
gls_endpoint_local_finalize (GObject *object)
{
  GlsEndpointLocal *self = GLS_ENDPOINT_LOCAL (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (gls_endpoint_local_parent_class)->finalize (object);
}

static void
gls_endpoint_local_class_init (GlsEndpointLocalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gls_endpoint_local_finalize;
}

static void
gls_endpoint_local_init (GlsEndpointLocal *self)
{
}

static void
endpoint_iface_init (GlsEndpointInterface *iface)
{
  iface->get_id = local_get_id;
  iface->get_store = local_get_store;
  iface->takes_files = local_takes_files;
  iface->open_async = local_open_async;
  iface->get_checkpoint_async = local_get_checkpoint_async;
  iface->put_checkpoint_async = local_put_checkpoint_async;
  iface->changes_async = local_changes_async;
  iface->revs_diff_async = local_revs_diff_async;
  iface->fetch_async = local_fetch_async;
  iface->write_async = local_write_async;
}

/* The endpoint holds a ref on `store`. */
GlsEndpoint *
gls_endpoint_local_new (GlsStore *store)
{
  GlsEndpointLocal *self;

  g_return_val_if_fail (GLS_IS_STORE (store), NULL);

  self = g_object_new (GLS_TYPE_ENDPOINT_LOCAL, NULL);
  self->store = g_object_ref (store);
  return GLS_ENDPOINT (self);
}
