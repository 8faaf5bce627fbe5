/* gls-endpoint-http.c: a database URL as a replication endpoint
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-endpoint-http"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "gls-endpoint-http-private.h"
#include "gls-peer-client.h"
#include "gls-endpoint-private.h"
#include "gls-replicator.h"
#include "gls-tls.h"

/* A peer that accepts a connection and then says nothing costs this much,
 * then a retry (a live longpoll gets a heartbeat every 10 s). */
#define HTTP_TIMEOUT_S 60
/* Attachments stay stubs in _bulk_get: their data is fetched by
 * attachment GETs, streamed (fetch_attachments). */
#define BULK_GET_PATH "/_bulk_get?revs=true&latest=true"
#define BULK_GET_RETRY_MS 1000
/* A _bulk_docs request holds at most this much inline attachment data
 * (the documents are counted too), and at least one document. */
#define PUSH_MAX_BYTES (16 << 20)

static void endpoint_iface_init (GlsEndpointInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GlsEndpointHttp, gls_endpoint_http, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GLS_TYPE_ENDPOINT, endpoint_iface_init))

enum {
  PROP_0,
  PROP_RETRYING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The requests set it; a run that ends clears it. */
void
gls_endpoint_http_set_retrying (GlsEndpointHttp *self,
                                gboolean         retrying)
{
  g_return_if_fail (GLS_IS_ENDPOINT_HTTP (self));
  if (self->retrying == retrying)
    return;
  self->retrying = retrying;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRYING]);
}

/* The usual answer: 200 and a JSON object; else NULL and an error (the
 * status error names `doing`, the protocol error `endpoint`). */
JsonObject *
_gls_endpoint_http_expect_object (JsonNode    *json,
                                  guint        status,
                                  const char  *doing,
                                  const char  *endpoint,
                                  GError     **error)
{
  if (status != 200)
    {
      g_propagate_error (error, _gls_endpoint_http_status_error (status, json, doing));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json))
    {
      g_propagate_error (error, _gls_endpoint_protocol_error (endpoint));
      return NULL;
    }
  return json_node_get_object (json);
}

void
_gls_endpoint_http_task_fail (GTask  *task,
                              GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* A request's answer (owned), or NULL: the request failed, and so did
 * `task` (its ref dropped). */
JsonNode *
_gls_endpoint_http_take_answer (GTask        *task,
                                GAsyncResult *result,
                                guint        *status)
{
  GError *error = NULL;
  JsonNode *json = _gls_endpoint_http_finish (result, status, &error);

  if (json == NULL)
    _gls_endpoint_http_task_fail (task, error);
  return json;
}

static const char *
http_get_id (GlsEndpoint *endpoint)
{
  return GLS_ENDPOINT_HTTP (endpoint)->url;
}

static GlsStore *
http_get_store (GlsEndpoint *endpoint)
{
  return NULL;
}

static gboolean
http_takes_files (GlsEndpoint *endpoint)
{
  return GLS_ENDPOINT_HTTP (endpoint)->multipart;
}

static void
http_set_live (GlsEndpoint *endpoint,
               gboolean     live)
{
  GLS_ENDPOINT_HTTP (endpoint)->live = live;
}

/* --- the database --- */

static void
db_created_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(JsonNode) json = NULL;
  GError *error = NULL;
  guint status = 0;

  json = _gls_endpoint_http_finish (result, &status, &error);
  if (json == NULL)
    return g_task_return_error (task, error);
  if (status != 201 && status != 202 && status != 412)
    return g_task_return_error (task, _gls_endpoint_http_status_error (status, json,
                                                                       "Creating the remote database"));
  g_task_return_boolean (task, TRUE);
}

static void
db_cb (GObject      *source,
       GAsyncResult *result,
       gpointer      data)
{
  g_autoptr(GTask) task = data;
  GlsEndpointHttp *self = g_task_get_source_object (task);
  g_autoptr(JsonNode) json = NULL;
  GError *error = NULL;
  guint status = 0;
  JsonObject *info;

  json = _gls_endpoint_http_finish (result, &status, &error);
  if (json == NULL)
    return g_task_return_error (task, error);
  if (status == 404 && GPOINTER_TO_INT (g_task_get_task_data (task)))
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      _gls_endpoint_http_request (self, "PUT", "", NULL, cancellable,
                                  db_created_cb, g_steal_pointer (&task));
      return;
    }
  if (!(info = _gls_endpoint_http_expect_object (json, status, "Opening the remote database", "GET the database", &error)))
    return g_task_return_error (task, error);
  /* PouchDB Server (its database info names its adapter) takes
   * multipart/form-data, not CouchDB's multipart/related PUT: it gets
   * designs inline, as JSON. CouchDB and Glossa get them streamed. */
  self->multipart = !json_object_has_member (info, "adapter") &&
                    !json_object_has_member (info, "backend_adapter");
  g_task_return_boolean (task, TRUE);
}

static void
http_open_async (GlsEndpoint         *endpoint,
                 gboolean             create,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = g_task_new (endpoint, cancellable, callback, user_data);

  g_task_set_source_tag (task, http_open_async);
  g_task_set_task_data (task, GINT_TO_POINTER (create), NULL);
  _gls_endpoint_http_request (GLS_ENDPOINT_HTTP (endpoint), "GET", "", NULL, cancellable, db_cb, task);
}

/* --- checkpoints --- */

static void
get_checkpoint_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(GTask) task = data;
  GlsEndpointHttp *self = g_task_get_source_object (task);
  g_autoptr(JsonNode) json = NULL;
  GError *error = NULL;
  guint status = 0;

  json = _gls_endpoint_http_finish (result, &status, &error);
  if (json == NULL)
    return g_task_return_error (task, error);
  g_clear_pointer (&self->log_rev, g_free);
  if (status == 404)
    return g_task_return_pointer (task, NULL, NULL);
  if (status != 200)
    return g_task_return_error (task, _gls_endpoint_http_status_error (status, json,
                                                                       "Reading the remote checkpoint"));
  if (!JSON_NODE_HOLDS_OBJECT (json))
    return g_task_return_error (task, _gls_endpoint_protocol_error ("GET _local"));
  self->log_rev = g_strdup (_gls_endpoint_peek_string (json_node_get_object (json), "_rev", NULL));
  g_task_return_pointer (task, json_object_ref (json_node_get_object (json)),
                         (GDestroyNotify) json_object_unref);
}

static void
http_get_checkpoint_async (GlsEndpoint         *endpoint,
                           const char          *id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (endpoint, cancellable, callback, user_data);
  g_autofree char *path = g_strconcat ("/_local/", id, NULL);

  g_task_set_source_tag (task, http_get_checkpoint_async);
  _gls_endpoint_http_request (GLS_ENDPOINT_HTTP (endpoint), "GET", path, NULL, cancellable,
                              get_checkpoint_cb, task);
}

typedef struct
{
  char       *path;
  JsonObject *doc;
  gboolean    best_effort;
  gboolean    reread;
} Checkpoint;

static void
checkpoint_free (Checkpoint *checkpoint)
{
  g_free (checkpoint->path);
  json_object_unref (checkpoint->doc);
  g_free (checkpoint);
}

static void checkpoint_put (GTask *task);

static void
checkpoint_reread_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      data)
{
  g_autoptr(GTask) task = data;
  GlsEndpointHttp *self = g_task_get_source_object (task);
  Checkpoint *checkpoint = g_task_get_task_data (task);
  g_autoptr(JsonNode) json = NULL;
  GError *error = NULL;
  guint status = 0;

  json = _gls_endpoint_http_finish (result, &status, &error);
  if (json == NULL)
    return g_task_return_error (task, error);
  g_clear_pointer (&self->log_rev, g_free);
  if (status == 200 && JSON_NODE_HOLDS_OBJECT (json))
    self->log_rev = g_strdup (_gls_endpoint_peek_string (json_node_get_object (json), "_rev", NULL));
  checkpoint->reread = TRUE;
  checkpoint_put (g_steal_pointer (&task));
}

static void
checkpoint_put_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(GTask) task = data;
  GlsEndpointHttp *self = g_task_get_source_object (task);
  Checkpoint *checkpoint = g_task_get_task_data (task);
  g_autoptr(JsonNode) json = NULL;
  GError *error = NULL;
  guint status = 0;

  json = _gls_endpoint_http_finish (result, &status, &error);
  if (json == NULL)
    return g_task_return_error (task, error);
  if (status == 409 && !checkpoint->reread)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      _gls_endpoint_http_request (self, "GET", checkpoint->path, NULL, cancellable,
                                  checkpoint_reread_cb, g_steal_pointer (&task));
      return;
    }
  if (status != 201 && status != 200)
    {
      /* A read-only source (403) cannot keep its checkpoint: carry on, as
       * PouchDB does; the next run then starts over, which is safe. */
      if (checkpoint->best_effort && status >= 400 && status < 500)
        {
          g_debug ("source checkpoint not written: HTTP %u", status);
          return g_task_return_boolean (task, TRUE);
        }
      return g_task_return_error (task, _gls_endpoint_http_status_error (status, json,
                                                                         "Writing the remote checkpoint"));
    }
  g_free (self->log_rev);
  self->log_rev = JSON_NODE_HOLDS_OBJECT (json)
    ? g_strdup (_gls_endpoint_peek_string (json_node_get_object (json), "rev", NULL))
    : NULL;
  g_task_return_boolean (task, TRUE);
}

static void
checkpoint_put (GTask *task)
{
  GlsEndpointHttp *self = g_task_get_source_object (task);
  Checkpoint *checkpoint = g_task_get_task_data (task);
  g_autoptr(JsonNode) body = json_node_init_object (json_node_alloc (), checkpoint->doc);

  if (self->log_rev != NULL)
    json_object_set_string_member (checkpoint->doc, "_rev", self->log_rev);
  else
    json_object_remove_member (checkpoint->doc, "_rev");
  _gls_endpoint_http_request (self, "PUT", checkpoint->path, body, g_task_get_cancellable (task),
                              checkpoint_put_cb, task);
}

static void
http_put_checkpoint_async (GlsEndpoint         *endpoint,
                           const char          *id,
                           JsonObject          *doc,
                           gboolean             best_effort,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (endpoint, cancellable, callback, user_data);
  Checkpoint *checkpoint = g_new0 (Checkpoint, 1);

  g_task_set_source_tag (task, http_put_checkpoint_async);
  checkpoint->path = g_strconcat ("/_local/", id, NULL);
  checkpoint->doc = _gls_endpoint_dup_object (doc);
  checkpoint->best_effort = best_effort;
  g_task_set_task_data (task, checkpoint, (GDestroyNotify) checkpoint_free);
  checkpoint_put (task);
}

/* --- fetch --- */

typedef struct
{
  GlsStore         *store;       /* the target's: attachments go into its files */
  GlsStoreRevsList *missing;
  GlsEndpointBatch *batch;
  guint             index;       /* without _bulk_get: the next document to GET */
  GBytes           *request;     /* the _bulk_get request, to send again */
  GBytes           *answer;      /* its answer, to parse */
  guint             tries;       /* of it, after answers cut short */
  JsonArray        *att_missing; /* stubs whose data the target lacks */
  guint             att_index;   /* the next of them to GET */
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->store);
  g_clear_pointer (&fetch->missing, gls_store_revs_list_unref);
  g_clear_pointer (&fetch->batch, gls_endpoint_batch_free);
  g_clear_pointer (&fetch->request, g_bytes_unref);
  g_clear_pointer (&fetch->answer, g_bytes_unref);
  g_clear_pointer (&fetch->att_missing, json_array_unref);
  g_free (fetch);
}

static void
fetch_done (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&fetch->batch), (GDestroyNotify) gls_endpoint_batch_free);
  g_object_unref (task);
}

/* --- one document at a time, from a peer without _bulk_get --- */

static void fetch_next_open_revs (GTask *task);

static void
open_revs_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  GTask *task = data;
  Fetch *fetch = g_task_get_task_data (task);
  guint status = 0;
  g_autoptr(JsonNode) json = _gls_endpoint_http_take_answer (task, result, &status);

  if (json == NULL)
    return;
  if (status == 200)
    {
      if (!JSON_NODE_HOLDS_ARRAY (json))
        return _gls_endpoint_http_task_fail (task, _gls_endpoint_protocol_error ("GET open_revs"));
      for (guint j = 0; j < json_array_get_length (json_node_get_array (json)); j++)
        {
          JsonNode *d = json_array_get_element (json_node_get_array (json), j);
          JsonNode *ok = JSON_NODE_HOLDS_OBJECT (d) ? json_object_get_member (json_node_get_object (d), "ok") : NULL;

          if (ok != NULL && !JSON_NODE_HOLDS_OBJECT (ok))
            return _gls_endpoint_http_task_fail (task, _gls_endpoint_protocol_error ("GET open_revs (a document is not an object)"));
          if (ok != NULL)
            json_array_add_object_element (fetch->batch->docs, json_object_ref (json_node_get_object (ok)));
        }
    }
  else if (status != 404)
    return _gls_endpoint_http_task_fail (task, _gls_endpoint_http_status_error (status, json, "GET open_revs"));
  fetch->index++;
  fetch_next_open_revs (task);
}

static void
fetch_next_open_revs (GTask *task)
{
  GlsEndpointHttp *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GString) revs_text = g_string_new ("[");
  g_autofree char *id_escaped = NULL;
  g_autofree char *revs_escaped = NULL;
  g_autofree char *path = NULL;

  if (fetch->index >= gls_store_revs_list_get_length (fetch->missing))
    return fetch_done (task);
  for (guint j = 0; j < gls_store_revs_list_get_n_revs (fetch->missing, fetch->index); j++)
    {
      if (j > 0)
        g_string_append_c (revs_text, ',');
      gls_json_append_string (revs_text, gls_store_revs_list_get_rev (fetch->missing, fetch->index, j));
    }
  g_string_append_c (revs_text, ']');
  id_escaped = g_uri_escape_string (gls_store_revs_list_get_id (fetch->missing, fetch->index), NULL, FALSE);
  revs_escaped = g_uri_escape_string (revs_text->str, NULL, FALSE);
  path = g_strdup_printf ("/%s?open_revs=%s&revs=true&latest=true&attachments=true",
                          id_escaped, revs_escaped);
  _gls_endpoint_http_request (self, "GET", path, NULL, g_task_get_cancellable (task), open_revs_cb, task);
}

/* --- _bulk_get, its answer kept as text, and attachment GETs --- */

static void fetch_attachments (GTask *task);

static void
attachment_fetched_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      data)
{
  GTask *task = data;
  Fetch *fetch = g_task_get_task_data (task);
  JsonObject *entry = json_array_get_object_element (fetch->att_missing, fetch->att_index);
  const char *digest = json_object_get_string_member (entry, "digest");
  gint64 length = json_object_get_int_member (entry, "length");
  g_autoptr(GlsStoreBlob) blob = NULL;
  GError *error = NULL;
  guint status = 0;

  blob = _gls_endpoint_http_finish_blob (result, &status, &error);
  if (error != NULL)
    return _gls_endpoint_http_task_fail (task, error);
  if (blob == NULL)
    return _gls_endpoint_http_task_fail (task, _gls_endpoint_http_status_error (status, NULL, "GET attachment"));
  /* What the document says it is; else a peer could slip other bytes
   * under a design's stub. (CouchDB's digest of a gzip-stored
   * attachment is of the stored bytes: its length still has to match.) */
  if (gls_store_blob_get_length (blob) != length ||
      (g_strcmp0 (gls_store_blob_get_digest (blob), digest) != 0 &&
       !json_object_get_boolean_member_with_default (entry, "encoded", FALSE)))
    return _gls_endpoint_http_task_fail (task, g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                                                             "The attachment “%s” of %s does not match its digest",
                                                             json_object_get_string_member (entry, "name"),
                                                             json_object_get_string_member (entry, "id")));
  if (fetch->batch->blobs == NULL)
    fetch->batch->blobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) gls_store_blob_free);
  g_hash_table_insert (fetch->batch->blobs, g_strdup (digest), g_steal_pointer (&blob));
  fetch->att_index++;
  fetch_attachments (task);
}

/* GETs the attachments of the batch whose data the target lacks, one at a
 * time, each into a file; then the batch is fetched. */
static void
fetch_attachments (GTask *task)
{
  GlsEndpointHttp *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *rev = NULL;
  g_autofree char *path = NULL;
  JsonObject *entry;

  if (fetch->att_missing == NULL || fetch->att_index >= json_array_get_length (fetch->att_missing))
    return fetch_done (task);
  entry = json_array_get_object_element (fetch->att_missing, fetch->att_index);
  /* The stub's length bounds the download: a peer's stub without one
   * could stream into the disk without end. */
  if (json_object_get_int_member (entry, "length") < 0)
    return _gls_endpoint_http_task_fail (task, g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                                                             "The attachment “%s” of %s has a stub without its length",
                                                             json_object_get_string_member (entry, "name"),
                                                             json_object_get_string_member (entry, "id")));
  id = g_uri_escape_string (json_object_get_string_member (entry, "id"), NULL, FALSE);
  name = g_uri_escape_string (json_object_get_string_member (entry, "name"), NULL, FALSE);
  rev = g_uri_escape_string (json_object_get_string_member (entry, "rev"), NULL, FALSE);
  path = g_strdup_printf ("/%s/%s?rev=%s", id, name, rev);
  _gls_endpoint_http_request_blob (self, path, fetch->store, json_object_get_int_member (entry, "length"),
                                   g_task_get_cancellable (task), attachment_fetched_cb, task);
}

/* Parsing the biggest answer off the main thread, which meanwhile serves
 * the run's writes. */
static void
bulk_get_parse_thread (GTask        *sub,
                       gpointer      source,
                       gpointer      data,
                       GCancellable *cancellable)
{
  GlsEndpointHttp *self = source;
  Fetch *fetch = data;
  g_autoptr(GBytes) bytes = g_steal_pointer (&fetch->answer);
  g_autoptr(GError) parse_error = NULL;
  GError *error = NULL;
  const char *text;
  gsize len;

  /* The documents stay text (what the store keeps) unless they are not
   * canonical JSON: no JSON trees to build and free for a Glossa peer. */
  text = g_bytes_get_data (bytes, &len);
  g_clear_pointer (&fetch->batch->text, gls_store_doc_batch_free);
  if (len == 0 || !(fetch->batch->text = gls_store_doc_batch_new_from_bulk_get (text, len, &parse_error)))
    {
      const char *why = parse_error ? parse_error->message : "empty";

      if (gls_json_is_cut (text, len))
        g_task_return_new_error (sub, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_NETWORK,
                                 "POST %s/_bulk_get: the answer stopped part way", self->url);
      else if (g_str_has_prefix (why, "a ") || g_str_has_prefix (why, "not a "))
        g_task_return_new_error (sub, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                                 "Unexpected answer to _bulk_get: %s", why);
      else
        g_task_return_new_error (sub, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                                 "POST %s/_bulk_get: HTTP 200 with malformed JSON: %s", self->url, why);
      return;
    }

  /* Attachments come as stubs: those whose data the target lacks are
   * fetched next, each streamed into a file. */
  g_clear_pointer (&fetch->att_missing, json_array_unref);
  fetch->att_index = 0;
  fetch->att_missing = gls_store_missing_attachments (fetch->store, fetch->batch->text, NULL, &error);
  if (fetch->att_missing == NULL)
    g_task_return_error (sub, error);
  else
    g_task_return_boolean (sub, TRUE);
}

static void bulk_get_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      data);

static gboolean
bulk_get_again_cb (gpointer data)
{
  GTask *task = data;
  Fetch *fetch = g_task_get_task_data (task);

  _gls_endpoint_http_request_bytes (g_task_get_source_object (task), "POST", BULK_GET_PATH,
                                    g_bytes_ref (fetch->request), TRUE, g_task_get_cancellable (task),
                                    bulk_get_cb, task);
  return G_SOURCE_REMOVE;
}

static void
bulk_get_parsed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      data)
{
  GTask *task = data;
  GlsEndpointHttp *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Cut short (a hub restarting): asked again, as a request is after
       * a broken connection (without end when continuous). */
      if ((self->continuous || fetch->tries < self->max_retries) &&
          g_error_matches (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_NETWORK) &&
          !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        {
          g_debug ("%s; asking again (try %u)", error->message, ++fetch->tries);
          g_error_free (error);
          g_timeout_add (MIN (BULK_GET_RETRY_MS * fetch->tries, 30000), bulk_get_again_cb, task);
          return;
        }
      return _gls_endpoint_http_task_fail (task, error);
    }
  fetch_attachments (task);
}

static void
bulk_get_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  GTask *task = data;
  GlsEndpointHttp *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GTask) sub = NULL;
  guint status = 0;
  g_autoptr(JsonNode) json = _gls_endpoint_http_take_answer (task, result, &status);

  if (json == NULL)
    return;
  if (status == 404 || status == 405 || status == 400)
    {
      g_debug ("no _bulk_get (HTTP %u): fetching one document at a time", status);
      self->no_bulk_get = TRUE;
      return fetch_next_open_revs (task);
    }
  if (status != 200)
    return _gls_endpoint_http_task_fail (task, _gls_endpoint_http_status_error (status, json, "Remote _bulk_get"));
  g_clear_pointer (&fetch->answer, g_bytes_unref);
  fetch->answer = _gls_endpoint_http_steal_bytes (result);
  sub = g_task_new (self, g_task_get_cancellable (task), bulk_get_parsed_cb, task);
  g_task_set_task_data (sub, fetch, NULL);
  g_task_run_in_thread (sub, bulk_get_parse_thread);
}

/* {"docs":[{"id","rev"}…]}, written as text. */
static GBytes *
bulk_get_request (GlsStoreRevsList *missing)
{
  GString *body = g_string_sized_new (80 * gls_store_revs_list_get_n_all_revs (missing) + 16);
  gboolean first = TRUE;

  g_string_append (body, "{\"docs\":[");
  for (guint i = 0; i < gls_store_revs_list_get_length (missing); i++)
    for (guint j = 0; j < gls_store_revs_list_get_n_revs (missing, i); j++)
      {
        g_string_append (body, first ? "{\"id\":" : ",{\"id\":");
        first = FALSE;
        gls_json_append_string (body, gls_store_revs_list_get_id (missing, i));
        g_string_append (body, ",\"rev\":");
        gls_json_append_string (body, gls_store_revs_list_get_rev (missing, i, j));
        g_string_append_c (body, '}');
      }
  g_string_append (body, "]}");
  return g_string_free_to_bytes (body);
}

static void
http_fetch_async (GlsEndpoint         *endpoint,
                  GlsStoreRevsList    *missing,
                  GlsEndpoint         *target,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GlsEndpointHttp *self = GLS_ENDPOINT_HTTP (endpoint);
  GTask *task = g_task_new (endpoint, cancellable, callback, user_data);
  GlsStore *store = gls_endpoint_get_store (target);
  Fetch *fetch;

  g_task_set_source_tag (task, http_fetch_async);
  if (store == NULL)
    return _gls_endpoint_http_task_fail (task, g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_FAILED,
                                                             "Replicating from %s into a database without a store "
                                                             "is not supported", self->url));
  fetch = g_new0 (Fetch, 1);
  fetch->store = g_object_ref (store);
  fetch->missing = gls_store_revs_list_ref (missing);
  fetch->batch = gls_endpoint_batch_new ();
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);
  if (self->no_bulk_get)
    return fetch_next_open_revs (task);
  fetch->request = bulk_get_request (missing);
  _gls_endpoint_http_request_bytes (self, "POST", BULK_GET_PATH, g_bytes_ref (fetch->request), TRUE,
                                    cancellable, bulk_get_cb, task);
}

/* --- write --- */

typedef struct
{
  GlsEndpointBatch *batch;      /* borrowed: the caller keeps it until done */
  guint             pos;        /* the first doc not yet sent */
  guint             chunk;      /* docs per request; halved on 413 */
  guint             sent;       /* docs in the request under way */
  guint             put_index;  /* the next of file_docs to PUT */
  gint64            failures;   /* refusals so far */
} Write;

/* About what a document weighs as JSON: its inline attachments' data. */
static gsize
inline_weight (JsonObject *doc)
{
  JsonNode *atts = json_object_get_member (doc, "_attachments");
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  gsize weight = 512;

  if (atts == NULL || !JSON_NODE_HOLDS_OBJECT (atts))
    return weight;
  json_object_iter_init (&iter, json_node_get_object (atts));
  while (json_object_iter_next (&iter, &name, &member))
    if (JSON_NODE_HOLDS_OBJECT (member))
      weight += strlen (json_object_get_string_member_with_default (json_node_get_object (member), "data", ""));
  return weight;
}

static void put_next (GTask *task);

static void
put_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      data)
{
  GTask *task = data;
  Write *write = g_task_get_task_data (task);
  guint status = 0;
  g_autoptr(JsonNode) json = _gls_endpoint_http_take_answer (task, result, &status);

  if (json == NULL)
    return;
  if (status == 403 || status == 401)
    {
      /* Denied by the target's validation: skipped, as in _bulk_docs. */
      g_warning ("writing %s failed: HTTP %u",
                 json_object_get_string_member (json_array_get_object_element (write->batch->file_docs,
                                                                               write->put_index), "_id"),
                 status);
      write->failures++;
    }
  else if (status != 201 && status != 200 && status != 202)
    return _gls_endpoint_http_task_fail (task, _gls_endpoint_http_status_error (status, json, "Remote document PUT"));
  write->put_index++;
  put_next (task);
}

/* Documents with big attachments, one PUT each, their files streamed;
 * then the batch is written. */
static void
put_next (GTask *task)
{
  Write *write = g_task_get_task_data (task);
  JsonArray *docs = write->batch->file_docs;

  if (docs == NULL || write->put_index >= json_array_get_length (docs))
    {
      g_task_return_int (task, write->failures);
      g_object_unref (task);
      return;
    }
  _gls_endpoint_http_request_put_doc (g_task_get_source_object (task),
                                      json_array_get_object_element (docs, write->put_index),
                                      write->batch->file_store, g_task_get_cancellable (task),
                                      put_cb, task);
}

static void bulk_docs_send (GTask *task);

static void
bulk_docs_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  GTask *task = data;
  Write *write = g_task_get_task_data (task);
  GError *error = NULL;
  guint status = 0;
  g_autoptr(JsonNode) json = _gls_endpoint_http_take_answer (task, result, &status);

  if (json == NULL)
    return;
  /* Too large for the peer (CouchDB 2.x takes 64 MB, and design files ride
   * inline): send the batch in smaller pieces; a single document too
   * large is an error. */
  if (status == 413 && write->sent > 1)
    {
      write->chunk = (write->sent + 1) / 2;
      g_debug ("_bulk_docs: HTTP 413, %u documents per request now", write->chunk);
      return bulk_docs_send (task);
    }
  if (status != 201 && status != 200)
    return _gls_endpoint_http_task_fail (task, _gls_endpoint_http_status_error (status, json, "Remote _bulk_docs"));
  if (!JSON_NODE_HOLDS_ARRAY (json))
    return _gls_endpoint_http_task_fail (task, _gls_endpoint_protocol_error ("_bulk_docs"));
  if (!_gls_endpoint_check_answers (json_node_get_array (json), TRUE, &write->failures, &error))
    return _gls_endpoint_http_task_fail (task, error);
  write->pos += write->sent;
  if (write->pos < json_array_get_length (write->batch->docs))
    return bulk_docs_send (task);
  put_next (task);
}

/* Sends docs from pos with one _bulk_docs: at most chunk documents and
 * PUSH_MAX_BYTES of attachment data. */
static void
bulk_docs_send (GTask *task)
{
  Write *write = g_task_get_task_data (task);
  JsonArray *all = write->batch->docs;
  guint n = json_array_get_length (all);
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  JsonObject *obj = json_object_new ();
  JsonArray *docs;
  gsize bytes = 0;

  docs = json_array_sized_new (MIN (write->chunk, n - write->pos));
  for (guint i = write->pos; i < n && i < write->pos + write->chunk; i++)
    {
      JsonNode *doc = json_array_get_element (all, i);

      bytes += JSON_NODE_HOLDS_OBJECT (doc) ? inline_weight (json_node_get_object (doc)) : 512;
      if (bytes > PUSH_MAX_BYTES && json_array_get_length (docs) > 0)
        break;
      json_array_add_element (docs, json_node_ref (doc));
    }
  write->sent = json_array_get_length (docs);
  json_object_set_array_member (obj, "docs", docs);
  json_object_set_boolean_member (obj, "new_edits", FALSE);
  json_node_take_object (body, obj);
  _gls_endpoint_http_request (g_task_get_source_object (task), "POST", "/_bulk_docs", body,
                              g_task_get_cancellable (task), bulk_docs_cb, task);
}

static void
http_write_async (GlsEndpoint         *endpoint,
                  GlsEndpointBatch    *batch,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (endpoint, cancellable, callback, user_data);
  Write *write = g_new0 (Write, 1);

  /* Only a store source writes here: JSON documents, and files. */
  g_assert (batch->text == NULL && batch->blobs == NULL);
  g_task_set_source_tag (task, http_write_async);
  write->batch = batch;
  write->chunk = MAX (json_array_get_length (batch->docs), 1);
  g_task_set_task_data (task, write, g_free);
  if (json_array_get_length (batch->docs) == 0)
    put_next (task);
  else
    bulk_docs_send (task);
}

/* --- GObject --- */

static void
parse_url (GlsEndpointHttp *self,
           const char      *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) clean = NULL;
  g_autoptr(GError) pin_error = NULL;
  g_autofree char *text = NULL;

  uri = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    {
      self->url = g_strdup (url);
      return;
    }
  /* A pin (in the fragment, never sent): no CA decides, only the pin. */
  self->pin = gls_tls_link_dup_pin (url, &pin_error);
  if (pin_error != NULL)
    self->pin_error = g_error_new_literal (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_CERTIFICATE,
                                           pin_error->message);
  else if (self->pin != NULL && g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0)
    self->pin_error = g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_CERTIFICATE,
                                   "%s pins a certificate but is not an https link", g_uri_get_host (uri));
  if (self->pin != NULL)
    soup_session_set_tls_database (self->session, NULL);
  if (self->pin != NULL && g_uri_get_host (uri) != NULL && strchr (g_uri_get_host (uri), ':') != NULL)
    self->ip_identity = g_network_address_new ("glossa-peer.invalid", MAX (g_uri_get_port (uri), 0));
  if (g_uri_get_user (uri) != NULL)
    {
      g_autofree char *user = g_uri_unescape_string (g_uri_get_user (uri), NULL);
      g_autofree char *pass = g_uri_get_password (uri)
        ? g_uri_unescape_string (g_uri_get_password (uri), NULL) : g_strdup ("");

      gls_endpoint_http_set_credentials (self, user, pass);
    }
  clean = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL,
                       g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri),
                       NULL, NULL);
  text = g_uri_to_string (clean);
  while (g_str_has_suffix (text, "/"))
    text[strlen (text) - 1] = '\0';
  self->url = g_steal_pointer (&text);
}

static void
gls_endpoint_http_finalize (GObject *object)
{
  GlsEndpointHttp *self = GLS_ENDPOINT_HTTP (object);

  g_clear_object (&self->session);
  g_free (self->url);
  g_free (self->auth_header);
  g_free (self->peer_did);
  g_free (self->peer_name);
  g_free (self->pin);
  g_free (self->seen_pin);
  g_clear_error (&self->pin_error);
  g_clear_object (&self->ip_identity);
  g_free (self->log_rev);

  G_OBJECT_CLASS (gls_endpoint_http_parent_class)->finalize (object);
}

static void
gls_endpoint_http_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  GlsEndpointHttp *self = GLS_ENDPOINT_HTTP (object);

  switch (prop_id)
    {
    case PROP_RETRYING: g_value_set_boolean (value, self->retrying); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_endpoint_http_class_init (GlsEndpointHttpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gls_endpoint_http_finalize;
  object_class->get_property = gls_endpoint_http_get_property;

  properties[PROP_RETRYING] =
    g_param_spec_boolean ("retrying", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gls_endpoint_http_init (GlsEndpointHttp *self)
{
  self->max_retries = 5;
  self->session = soup_session_new_with_options ("proxy-resolver", NULL,
                                                 "timeout", HTTP_TIMEOUT_S,
                                                 "user-agent", "Glossa/" PACKAGE_VERSION,
                                                 NULL);
}

static void
endpoint_iface_init (GlsEndpointInterface *iface)
{
  iface->get_id = http_get_id;
  iface->get_store = http_get_store;
  iface->takes_files = http_takes_files;
  iface->set_live = http_set_live;
  iface->open_async = http_open_async;
  iface->get_checkpoint_async = http_get_checkpoint_async;
  iface->put_checkpoint_async = http_put_checkpoint_async;
  iface->changes_async = _gls_endpoint_http_changes_async;
  iface->revs_diff_async = _gls_endpoint_http_revs_diff_async;
  iface->fetch_async = http_fetch_async;
  iface->write_async = http_write_async;
}

GlsEndpointHttp *
gls_endpoint_http_new (const char *url)
{
  GlsEndpointHttp *self;

  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (GLS_TYPE_ENDPOINT_HTTP, NULL);
  parse_url (self, url);
  return self;
}

const char *
gls_endpoint_http_get_url (GlsEndpointHttp *self)
{
  g_return_val_if_fail (GLS_IS_ENDPOINT_HTTP (self), NULL);
  return self->url;
}

void
gls_endpoint_http_set_credentials (GlsEndpointHttp *self,
                                   const char      *username,
                                   const char      *password)
{
  g_return_if_fail (GLS_IS_ENDPOINT_HTTP (self));

  g_clear_pointer (&self->auth_header, g_free);
  if (username != NULL)
    {
      g_autofree char *pair = g_strconcat (username, ":", password ? password : "", NULL);
      g_autofree char *b64 = g_base64_encode ((const guchar *) pair, strlen (pair));

      self->auth_header = g_strconcat ("Basic ", b64, NULL);
    }
}

void
gls_endpoint_http_set_identity (GlsEndpointHttp *self,
                                const char      *did,
                                const char      *name)
{
  g_return_if_fail (GLS_IS_ENDPOINT_HTTP (self));

  g_clear_pointer (&self->peer_did, g_free);
  g_clear_pointer (&self->peer_name, g_free);
  if (did == NULL)
    return;
  self->peer_did = gls_peer_client_sanitize_did (did);
  if (self->peer_did != NULL && name != NULL && *name != '\0')
    self->peer_name = gls_peer_client_encode_name (name);
}

void
gls_endpoint_http_set_max_retries (GlsEndpointHttp *self,
                                   guint            max_retries)
{
  g_return_if_fail (GLS_IS_ENDPOINT_HTTP (self));
  self->max_retries = max_retries;
}

void
gls_endpoint_http_set_continuous (GlsEndpointHttp *self,
                                  gboolean         continuous)
{
  g_return_if_fail (GLS_IS_ENDPOINT_HTTP (self));
  self->continuous = continuous;
}

guint
gls_endpoint_http_get_timeout (GlsEndpointHttp *self)
{
  g_return_val_if_fail (GLS_IS_ENDPOINT_HTTP (self), 0);
  return soup_session_get_timeout (self->session);
}

void
gls_endpoint_http_set_timeout (GlsEndpointHttp *self,
                               guint            seconds)
{
  g_return_if_fail (GLS_IS_ENDPOINT_HTTP (self));
  soup_session_set_timeout (self->session, seconds);
}

const char *
gls_endpoint_http_get_peer_pin (GlsEndpointHttp *self)
{
  g_return_val_if_fail (GLS_IS_ENDPOINT_HTTP (self), NULL);
  return self->seen_pin;
}

gboolean
gls_endpoint_http_get_retrying (GlsEndpointHttp *self)
{
  g_return_val_if_fail (GLS_IS_ENDPOINT_HTTP (self), FALSE);
  return self->retrying;
}
