/* gls-endpoint.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-endpoint"

#include "config.h"

#include "gls-endpoint-private.h"
#include "gls-replicator.h"

G_DEFINE_INTERFACE (GlsEndpoint, gls_endpoint, G_TYPE_OBJECT)

static void
gls_endpoint_default_init (GlsEndpointInterface *iface)
{
}

const char *
gls_endpoint_get_id (GlsEndpoint *self)
{
  g_return_val_if_fail (GLS_IS_ENDPOINT (self), NULL);
  return GLS_ENDPOINT_GET_IFACE (self)->get_id (self);
}

GlsStore *
gls_endpoint_get_store (GlsEndpoint *self)
{
  g_return_val_if_fail (GLS_IS_ENDPOINT (self), NULL);
  return GLS_ENDPOINT_GET_IFACE (self)->get_store (self);
}

gboolean
gls_endpoint_takes_files (GlsEndpoint *self)
{
  g_return_val_if_fail (GLS_IS_ENDPOINT (self), FALSE);
  return GLS_ENDPOINT_GET_IFACE (self)->takes_files (self);
}

void
gls_endpoint_set_live (GlsEndpoint *self,
                       gboolean     live)
{
  g_return_if_fail (GLS_IS_ENDPOINT (self));
  if (GLS_ENDPOINT_GET_IFACE (self)->set_live != NULL)
    GLS_ENDPOINT_GET_IFACE (self)->set_live (self, live);
}

void
gls_endpoint_open_async (GlsEndpoint         *self,
                         gboolean             create,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (GLS_IS_ENDPOINT (self));
  GLS_ENDPOINT_GET_IFACE (self)->open_async (self, create, cancellable, callback, user_data);
}

gboolean
gls_endpoint_open_finish (GlsEndpoint   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
gls_endpoint_get_checkpoint_async (GlsEndpoint         *self,
                                   const char          *id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (GLS_IS_ENDPOINT (self));
  GLS_ENDPOINT_GET_IFACE (self)->get_checkpoint_async (self, id, cancellable, callback, user_data);
}

JsonObject *
gls_endpoint_get_checkpoint_finish (GlsEndpoint   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
gls_endpoint_put_checkpoint_async (GlsEndpoint         *self,
                                   const char          *id,
                                   JsonObject          *doc,
                                   gboolean             best_effort,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (GLS_IS_ENDPOINT (self));
  GLS_ENDPOINT_GET_IFACE (self)->put_checkpoint_async (self, id, doc, best_effort, cancellable,
                                                       callback, user_data);
}

gboolean
gls_endpoint_put_checkpoint_finish (GlsEndpoint   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
gls_endpoint_changes_async (GlsEndpoint         *self,
                            JsonNode            *since,
                            guint                limit,
                            gboolean             live,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (GLS_IS_ENDPOINT (self));
  GLS_ENDPOINT_GET_IFACE (self)->changes_async (self, since, limit, live, cancellable,
                                                callback, user_data);
}

GlsEndpointChanges *
gls_endpoint_changes_finish (GlsEndpoint   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
gls_endpoint_revs_diff_async (GlsEndpoint         *self,
                              GlsStoreRevsList    *revs,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (GLS_IS_ENDPOINT (self));
  g_return_if_fail (revs != NULL);
  GLS_ENDPOINT_GET_IFACE (self)->revs_diff_async (self, revs, cancellable, callback, user_data);
}

GlsStoreRevsList *
gls_endpoint_revs_diff_finish (GlsEndpoint   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
gls_endpoint_fetch_async (GlsEndpoint         *self,
                          GlsStoreRevsList    *missing,
                          GlsEndpoint         *target,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (GLS_IS_ENDPOINT (self));
  g_return_if_fail (missing != NULL);
  g_return_if_fail (GLS_IS_ENDPOINT (target));
  GLS_ENDPOINT_GET_IFACE (self)->fetch_async (self, missing, target, cancellable, callback, user_data);
}

GlsEndpointBatch *
gls_endpoint_fetch_finish (GlsEndpoint   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
gls_endpoint_write_async (GlsEndpoint         *self,
                          GlsEndpointBatch    *batch,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (GLS_IS_ENDPOINT (self));
  g_return_if_fail (batch != NULL);
  GLS_ENDPOINT_GET_IFACE (self)->write_async (self, batch, cancellable, callback, user_data);
}

gint64
gls_endpoint_write_finish (GlsEndpoint   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

/* --- batches --- */

GlsEndpointBatch *
gls_endpoint_batch_new (void)
{
  GlsEndpointBatch *batch = g_new0 (GlsEndpointBatch, 1);

  batch->docs = json_array_new ();
  return batch;
}

guint
gls_endpoint_batch_get_length (GlsEndpointBatch *batch)
{
  g_return_val_if_fail (batch != NULL, 0);
  return json_array_get_length (batch->docs)
         + (batch->text != NULL ? gls_store_doc_batch_get_length (batch->text) : 0)
         + (batch->file_docs != NULL ? json_array_get_length (batch->file_docs) : 0);
}

void
gls_endpoint_batch_free (GlsEndpointBatch *batch)
{
  if (batch == NULL)
    return;
  g_clear_pointer (&batch->docs, json_array_unref);
  g_clear_pointer (&batch->text, gls_store_doc_batch_free);
  g_clear_pointer (&batch->blobs, g_hash_table_unref);
  g_clear_pointer (&batch->file_docs, json_array_unref);
  g_clear_object (&batch->file_store);
  g_free (batch);
}

void
gls_endpoint_changes_free (GlsEndpointChanges *changes)
{
  if (changes == NULL)
    return;
  g_clear_pointer (&changes->rows, gls_store_revs_list_unref);
  g_clear_pointer (&changes->last_seq, json_node_unref);
  g_free (changes);
}

/* --- helpers --- */

/* A string member of a peer's JSON, which may hold any type there:
 * `fallback` unless it is a string (json-glib's getter is critical on
 * arrays and objects). */
const char *
_gls_endpoint_peek_string (JsonObject *object,
                           const char *member,
                           const char *fallback)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fallback;
  return json_node_get_string (node);
}

const char *
_gls_endpoint_peek_string_element (JsonArray *array,
                                   guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A deep copy. Not through text: json-glib 1.6 writes 1e21, which a
 * peer's checkpoint may hold, as 1e+21.0 and then cannot read it back. */
JsonNode *
_gls_endpoint_dup_node (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *copy = json_object_new ();
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        json_object_set_member (copy, name, _gls_endpoint_dup_node (member));
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, copy);
      return node;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);
      JsonArray *copy = json_array_sized_new (n);

      for (guint i = 0; i < n; i++)
        json_array_add_element (copy, _gls_endpoint_dup_node (json_array_get_element (array, i)));
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, copy);
      return node;
    }
  return json_node_copy (node);
}

JsonObject *
_gls_endpoint_dup_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonNode) copy = _gls_endpoint_dup_node (node);

  return json_object_ref (json_node_get_object (copy));
}

GError *
_gls_endpoint_protocol_error (const char *what)
{
  return g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                      "Unexpected answer to %s", what);
}

/* A `_bulk_docs` answer (new_edits=false: the failures only). Its first
 * refusal is an error; with `skip_denied`, as PouchDB does, documents the
 * target denies (forbidden, unauthorized: its validation said no) are
 * skipped instead, and counted in *failures with the other answers that
 * hold "error". */
gboolean
_gls_endpoint_check_answers (JsonArray  *answers,
                             gboolean    skip_denied,
                             gint64     *failures,
                             GError    **error)
{
  for (guint i = 0; answers != NULL && i < json_array_get_length (answers); i++)
    {
      JsonNode *node = json_array_get_element (answers, i);
      JsonObject *a = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *kind = a != NULL ? _gls_endpoint_peek_string (a, "error", NULL) : NULL;

      if (kind == NULL)
        continue;
      if (skip_denied && (g_str_equal (kind, "forbidden") || g_str_equal (kind, "unauthorized")))
        continue;
      g_set_error (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                   skip_denied ? "The peer refused document “%s”: %s: %s"
                               : "The peer sent document “%s”, which is invalid: %s: %s",
                   _gls_endpoint_peek_string (a, "id", "?"), kind,
                   _gls_endpoint_peek_string (a, "reason", ""));
      return FALSE;
    }
  for (guint i = 0; answers != NULL && i < json_array_get_length (answers); i++)
    {
      JsonNode *a = json_array_get_element (answers, i);

      if (JSON_NODE_HOLDS_OBJECT (a) && json_object_has_member (json_node_get_object (a), "error"))
        {
          (*failures)++;
          g_warning ("writing %s failed: %s",
                     _gls_endpoint_peek_string (json_node_get_object (a), "id", "?"),
                     _gls_endpoint_peek_string (json_node_get_object (a), "reason", "?"));
        }
    }
  return TRUE;
}
