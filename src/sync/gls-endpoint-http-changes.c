/* gls-endpoint-http-changes.c: a database URL's _changes feed and _revs_diff
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-endpoint-http"

#include "config.h"

#include <json-glib/json-glib.h>

#include "gls-endpoint-http-private.h"
#include "gls-endpoint-private.h"
#include "gls-replicator.h"

#define LONGPOLL_HEARTBEAT_MS 10000

static char *
seq_to_query (JsonNode *seq)
{
  g_autofree char *text = NULL;

  if (seq == NULL || JSON_NODE_HOLDS_NULL (seq))
    return g_strdup ("0");
  if (JSON_NODE_HOLDS_VALUE (seq) && json_node_get_value_type (seq) == G_TYPE_STRING)
    text = g_strdup (json_node_get_string (seq));
  else
    text = json_to_string (seq, FALSE);
  return g_uri_escape_string (text, NULL, FALSE);
}

/* A _changes request, its answer read as text in a worker. */
typedef struct
{
  char               *path;
  GBytes             *answer;
  guint               tries;     /* after answers cut short */
  GlsEndpointChanges *changes;
} Changes;

static void
changes_free (Changes *changes)
{
  g_free (changes->path);
  g_clear_pointer (&changes->answer, g_bytes_unref);
  g_clear_pointer (&changes->changes, gls_endpoint_changes_free);
  g_free (changes);
}

static void changes_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      data);

static void
changes_request (GTask *task)
{
  Changes *changes = g_task_get_task_data (task);

  _gls_endpoint_http_request_bytes (g_task_get_source_object (task), "GET", changes->path, NULL, TRUE,
                                    g_task_get_cancellable (task), changes_cb, task);
}

static gboolean
changes_again_cb (gpointer data)
{
  changes_request (data);
  return G_SOURCE_REMOVE;
}

/* Off the main thread: a batch of 2,000 rows is 300 KB of text. */
static void
changes_scan_thread (GTask        *sub,
                     gpointer      source,
                     gpointer      data,
                     GCancellable *cancellable)
{
  GlsEndpointHttp *self = source;
  Changes *changes = data;
  g_autoptr(GBytes) bytes = g_steal_pointer (&changes->answer);
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(JsonNode) json = NULL;
  GError *error = NULL;
  gboolean malformed = FALSE;
  const char *text;
  gsize len;

  text = g_bytes_get_data (bytes, &len);
  changes->changes = _gls_endpoint_changes_scan (text != NULL ? text : "", len, &malformed, &error);
  if (changes->changes != NULL)
    return g_task_return_boolean (sub, TRUE);
  if (!malformed)
    return g_task_return_error (sub, error);
  g_clear_error (&error);
  /* As for any answer: one that stops part way is a peer going away
   * (tried again), anything else that is not JSON is nonsense. */
  if (gls_json_is_cut (text, len))
    return g_task_return_new_error (sub, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_NETWORK,
                                    "GET %s%s: the answer stopped part way", self->url, changes->path);
  json = gls_json_from_data (text, len, &parse_error);
  g_task_return_new_error (sub, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                           "GET %s%s: HTTP 200 with malformed JSON%s%s", self->url, changes->path,
                           parse_error ? ": " : "", parse_error ? parse_error->message : "");
}

static void
changes_scanned_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      data)
{
  GTask *task = data;
  GlsEndpointHttp *self = g_task_get_source_object (task);
  Changes *changes = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if ((self->continuous || (self->live && g_task_get_cancellable (task) != NULL)
           || changes->tries < self->max_retries) &&
          g_error_matches (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_NETWORK) &&
          !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        {
          guint delay = MIN (100u << MIN (changes->tries, 16), 10000);

          g_debug ("%s; asking again (try %u)", error->message, ++changes->tries);
          g_error_free (error);
          gls_endpoint_http_set_retrying (self, TRUE);
          g_timeout_add (delay, changes_again_cb, task);
          return;
        }
      return _gls_endpoint_http_task_fail (task, error);
    }
  g_task_return_pointer (task, g_steal_pointer (&changes->changes),
                         (GDestroyNotify) gls_endpoint_changes_free);
  g_object_unref (task);
}

static void
changes_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  GTask *task = data;
  GlsEndpointHttp *self = g_task_get_source_object (task);
  Changes *changes = g_task_get_task_data (task);
  g_autoptr(GTask) sub = NULL;
  guint status = 0;
  g_autoptr(JsonNode) json = _gls_endpoint_http_take_answer (task, result, &status);

  if (json == NULL)
    return;
  if (status != 200)
    return _gls_endpoint_http_task_fail (task, _gls_endpoint_http_status_error (status, json, "Reading the remote _changes"));
  g_clear_pointer (&changes->answer, g_bytes_unref);
  changes->answer = _gls_endpoint_http_steal_bytes (result);
  sub = g_task_new (self, g_task_get_cancellable (task), changes_scanned_cb, task);
  g_task_set_task_data (sub, changes, NULL);
  g_task_run_in_thread (sub, changes_scan_thread);
}

void
_gls_endpoint_http_changes_async (GlsEndpoint         *endpoint,
                                  JsonNode            *since,
                                  guint                limit,
                                  gboolean             live,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task = g_task_new (endpoint, cancellable, callback, user_data);
  g_autofree char *seq = seq_to_query (since);
  Changes *changes = g_new0 (Changes, 1);

  g_task_set_source_tag (task, _gls_endpoint_http_changes_async);
  if (live)
    changes->path = g_strdup_printf ("/_changes?style=all_docs&since=%s&limit=%u&feed=longpoll&heartbeat=%d",
                                     seq, limit, LONGPOLL_HEARTBEAT_MS);
  else
    changes->path = g_strdup_printf ("/_changes?style=all_docs&since=%s&limit=%u", seq, limit);
  g_task_set_task_data (task, changes, (GDestroyNotify) changes_free);
  changes_request (task);
}

static void
revs_diff_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  GTask *task = data;
  g_autoptr(GlsStoreRevsList) diff = gls_store_revs_list_new ();
  g_autoptr(JsonNode) json = NULL;
  GError *error = NULL;
  JsonObjectIter iter;
  JsonObject *answer;
  const char *id;
  JsonNode *value;
  guint status = 0;

  json = _gls_endpoint_http_finish (result, &status, &error);
  if (json == NULL || !(answer = _gls_endpoint_http_expect_object (json, status, "Remote _revs_diff", "_revs_diff", &error)))
    return _gls_endpoint_http_task_fail (task, error);
  json_object_iter_init (&iter, answer);
  while (json_object_iter_next (&iter, &id, &value))
    {
      JsonNode *missing = JSON_NODE_HOLDS_OBJECT (value)
        ? json_object_get_member (json_node_get_object (value), "missing") : NULL;
      JsonArray *revs;

      if (missing == NULL || !JSON_NODE_HOLDS_ARRAY (missing))
        return _gls_endpoint_http_task_fail (task, _gls_endpoint_protocol_error ("_revs_diff (bad entry)"));
      revs = json_node_get_array (missing);
      gls_store_revs_list_add_id (diff, id, -1);
      for (guint j = 0; j < json_array_get_length (revs); j++)
        {
          const char *rev = _gls_endpoint_peek_string_element (revs, j);

          if (rev == NULL)
            return _gls_endpoint_http_task_fail (task, _gls_endpoint_protocol_error ("_revs_diff (a rev is not a string)"));
          gls_store_revs_list_add_rev (diff, rev, -1);
        }
    }
  g_task_return_pointer (task, g_steal_pointer (&diff), (GDestroyNotify) gls_store_revs_list_unref);
  g_object_unref (task);
}

/* {"id":["rev"…]…}, written as text. */
static GBytes *
revs_diff_request (GlsStoreRevsList *revs)
{
  guint n = gls_store_revs_list_get_length (revs);
  GString *body = g_string_sized_new (80 * gls_store_revs_list_get_n_all_revs (revs) + 16);

  g_string_append_c (body, '{');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (body, ',');
      gls_json_append_string (body, gls_store_revs_list_get_id (revs, i));
      g_string_append (body, ":[");
      for (guint j = 0; j < gls_store_revs_list_get_n_revs (revs, i); j++)
        {
          if (j > 0)
            g_string_append_c (body, ',');
          gls_json_append_string (body, gls_store_revs_list_get_rev (revs, i, j));
        }
      g_string_append_c (body, ']');
    }
  g_string_append_c (body, '}');
  return g_string_free_to_bytes (body);
}

void
_gls_endpoint_http_revs_diff_async (GlsEndpoint         *endpoint,
                                    GlsStoreRevsList    *revs,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task = g_task_new (endpoint, cancellable, callback, user_data);

  g_task_set_source_tag (task, _gls_endpoint_http_revs_diff_async);
  _gls_endpoint_http_request_bytes (GLS_ENDPOINT_HTTP (endpoint), "POST", "/_revs_diff",
                                    revs_diff_request (revs), FALSE, cancellable, revs_diff_cb, task);
}
