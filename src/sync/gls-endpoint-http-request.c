/* gls-endpoint-http-request.c: HTTP requests of GlsEndpointHttp, with retries
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-endpoint-http"

#include "config.h"

#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <json-glib/json-glib.h>

#include "gls-concat-stream.h"
#include "gls-endpoint-http-private.h"
#include "gls-endpoint-private.h"
#include "gls-replicator.h"
#include "gls-tls.h"

#define BACKOFF_BASE_MS 100
#define BACKOFF_MAX_MS 10000
/* What a peer's answer may hold (our server takes bodies this large). */
#define MAX_ANSWER_SIZE ((gsize) 1 << 30)

typedef struct
{
  char       *method;
  char       *url;
  GBytes     *body;
  guint       attempt;
  gboolean    retry_forever;  /* live mode */
  guint       status;
  JsonNode   *json;
  gboolean    raw;            /* a 200 answer is kept as bytes, unparsed */
  GBytes     *bytes;
  SoupMessage  *msg;          /* while its answer is read */
  GInputStream *input;
  GByteArray   *answer;
  /* This attempt's, cancelled with the task's: cancelling it is the one
   * way to drop an answer half read (closing its stream reads it all). */
  GCancellable *cancellable;
  GCancellable *parent;
  gulong        parent_id;
  /* An attachment GET: a 200 answer streams into a file of this store,
   * at most sink_limit bytes, never whole in memory. */
  GlsStore           *sink_store;
  gint64              sink_limit;
  /* A document PUT as multipart/related, its attachments from files of
   * this store (the body is made again for each attempt). */
  JsonObject         *put_doc;
  GlsStore           *put_store;
  GlsStoreBlobWriter *sink;
  gint64              sink_length;
  GlsStoreBlob       *blob;
} Http;

static void
http_cancel_attempt (GCancellable *parent,
                     GCancellable *attempt)
{
  g_cancellable_cancel (attempt);
}

static void
http_read_clear (Http *http)
{
  g_clear_object (&http->msg);
  g_clear_object (&http->input);
  g_clear_pointer (&http->answer, g_byte_array_unref);
  if (http->parent_id != 0)
    g_cancellable_disconnect (http->parent, http->parent_id);
  http->parent_id = 0;
  g_clear_object (&http->parent);
  g_clear_object (&http->cancellable);
}

static void
http_free (Http *http)
{
  g_free (http->method);
  g_free (http->url);
  g_clear_pointer (&http->body, g_bytes_unref);
  g_clear_pointer (&http->json, json_node_unref);
  g_clear_pointer (&http->bytes, g_bytes_unref);
  http_read_clear (http);
  g_clear_pointer (&http->sink, gls_store_blob_writer_free);
  g_clear_pointer (&http->blob, gls_store_blob_free);
  g_clear_object (&http->sink_store);
  g_clear_pointer (&http->put_doc, json_object_unref);
  g_clear_object (&http->put_store);
  g_free (http);
}

static void http_send (GTask *task);

/* A new connection to the peer succeeded: it is reachable again, even if
 * the answer takes long (a longpoll _changes waits for changes). */
static void
http_network_event_cb (SoupMessage        *msg,
                       GSocketClientEvent  event,
                       GIOStream          *connection,
                       GlsEndpointHttp    *self)
{
  if (event == G_SOCKET_CLIENT_COMPLETE)
    gls_endpoint_http_set_retrying (self, FALSE);
}

/* A pinned URL accepts exactly the pinned certificate, whoever signed it
 * (the session has no CA database, so this runs for every connection). */
static gboolean
http_accept_certificate_cb (SoupMessage          *msg,
                            GTlsCertificate      *certificate,
                            GTlsCertificateFlags  errors,
                            GlsEndpointHttp      *self)
{
  g_autofree char *seen = gls_tls_dup_pin (certificate);

  if (g_strcmp0 (seen, self->pin) == 0)
    return TRUE;
  g_free (self->seen_pin);
  self->seen_pin = g_steal_pointer (&seen);
  return FALSE;
}

/* https://[::1]:…#pin=… : glib-networking 2.74 sends the IPv6 literal as
 * the TLS server name, which GnuTLS servers refuse (a name cannot hold
 * ':'), and a new identity can only replace the name, not remove it. A
 * pinned peer's identity is its pin, so it gets a name that is no host. */
static void
http_connection_cb (SoupMessage        *msg,
                    GSocketClientEvent  event,
                    GIOStream          *connection,
                    GlsEndpointHttp    *self)
{
  /* Over TLS a request's headers and body are two records, two small
   * writes: without TCP_NODELAY the second may wait for the peer's
   * delayed ACK. */
  if (event == G_SOCKET_CLIENT_CONNECTED && G_IS_SOCKET_CONNECTION (connection))
    g_socket_set_option (g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection)),
                         IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING && self->ip_identity != NULL
      && G_IS_TLS_CLIENT_CONNECTION (connection))
    g_tls_client_connection_set_server_identity (G_TLS_CLIENT_CONNECTION (connection),
                                                 self->ip_identity);
  /* Pinned: no CA may vouch for a certificate, so accept-certificate
   * decides every time, whatever the session's database reaches. */
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING && self->pin != NULL && G_IS_TLS_CONNECTION (connection))
    g_tls_connection_set_database (G_TLS_CONNECTION (connection), NULL);
}

/* A refused certificate is not retried: another try meets the same one. */
static GError *
http_certificate_error (GlsEndpointHttp *self,
                        Http            *http,
                        SoupMessage     *msg,
                        const GError    *error)
{
  GTlsCertificateFlags flags = soup_message_get_tls_peer_certificate_errors (msg);
  g_autoptr(GString) why = g_string_new (NULL);

  if (self->pin != NULL && self->seen_pin != NULL)
    return g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_CERTIFICATE,
                        "%s %s: the peer's certificate is %s, but the link pins %s",
                        http->method, http->url, self->seen_pin, self->pin);
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_string_append (why, ", signed by no authority this system trusts");
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    g_string_append (why, ", made for another host");
  if (flags & (G_TLS_CERTIFICATE_EXPIRED | G_TLS_CERTIFICATE_NOT_ACTIVATED))
    g_string_append (why, ", out of its dates");
  return g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_CERTIFICATE,
                      "%s %s: the peer's certificate is not trusted%s (%s)",
                      http->method, http->url, why->str, error->message);
}

static gboolean
http_retry_cb (gpointer data)
{
  http_send (data);
  return G_SOURCE_REMOVE;
}

static gboolean
http_maybe_retry (GTask  *task,
                  GError *error)
{
  GlsEndpointHttp *self = g_task_get_source_object (task);
  Http *http = g_task_get_task_data (task);
  guint delay;

  GSource *timeout;

  if (http->attempt >= self->max_retries && !http->retry_forever)
    return FALSE;
  delay = MIN (BACKOFF_MAX_MS, BACKOFF_BASE_MS << MIN (http->attempt, 16));
  delay = delay / 2 + g_random_int_range (0, delay / 2 + 1);
  g_debug ("%s %s failed (%s), retry %u in %u ms", http->method, http->url,
           error->message, http->attempt + 1, delay);
  http->attempt++;
  gls_endpoint_http_set_retrying (self, TRUE);
  /* Wakes early when cancelled; http_send then returns the cancellation. */
  timeout = g_timeout_source_new (delay);
  if (g_task_get_cancellable (task) != NULL)
    {
      g_autoptr(GSource) cancel = g_cancellable_source_new (g_task_get_cancellable (task));

      g_source_set_dummy_callback (cancel);
      g_source_add_child_source (timeout, cancel);
    }
  g_source_set_callback (timeout, http_retry_cb, task, NULL);
  g_source_attach (timeout, g_task_get_context (task));
  g_source_unref (timeout);
  return TRUE;
}

/* The whole answer, or NULL and the error (taken), as it came. */
static void
http_answer (GTask       *task,
             SoupMessage *msg,
             GBytes      *answer,
             GError      *error)
{
  Http *http = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = answer;
  gsize len;
  const char *text;

  if (bytes == NULL && g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    {
      g_task_return_error (task, http_certificate_error (g_task_get_source_object (task),
                                                         http, msg, error));
      g_error_free (error);
      g_object_unref (task);
      return;
    }
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || !http_maybe_retry (task, error))
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              GError *wrapped = g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_NETWORK,
                                             "%s %s: %s", http->method, http->url, error->message);
              g_error_free (error);
              error = wrapped;
            }
          g_task_return_error (task, error);
          g_object_unref (task);
        }
      else
        g_error_free (error);
      return;
    }

  http->status = soup_message_get_status (msg);
  if (http->status < 500)
    gls_endpoint_http_set_retrying (g_task_get_source_object (task), FALSE);
  if (http->status >= 500)
    {
      g_autoptr(GError) status_error =
        g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_FAILED,
                     "%s %s: HTTP %u", http->method, http->url, http->status);

      if (!http_maybe_retry (task, status_error))
        {
          g_task_return_error (task, g_steal_pointer (&status_error));
          g_object_unref (task);
        }
      return;
    }

  if (http->raw && http->status == 200)
    {
      /* The caller parses it, in a worker thread. */
      http->bytes = g_steal_pointer (&bytes);
      http->json = json_node_new (JSON_NODE_NULL);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  text = g_bytes_get_data (bytes, &len);
  /* gls_json_from_data refuses nesting deeper than GLS_JSON_MAX_DEPTH. */
  if (len == 0 || !(http->json = gls_json_from_data (text, len, &error)))
    {
      if (http->status >= 300)
        {
          /* An error page that is not JSON: the status says enough. */
          g_clear_error (&error);
          http->json = json_node_new (JSON_NODE_NULL);
          g_task_return_boolean (task, TRUE);
          g_object_unref (task);
          return;
        }
      if (gls_json_is_cut (text, len))
        {
          /* An answer that stops part way is a peer going away (a hub
           * restarting ends its feeds so), not a peer speaking nonsense:
           * tried again, as when the connection breaks. */
          GError *cut = g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_NETWORK,
                                     "%s %s: the answer stopped part way", http->method, http->url);

          g_clear_error (&error);
          g_clear_pointer (&bytes, g_bytes_unref);
          if (!http_maybe_retry (task, cut))
            {
              g_task_return_error (task, cut);
              g_object_unref (task);
            }
          else
            g_error_free (cut);
          return;
        }
      g_task_return_new_error (task, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                               "%s %s: HTTP %u with malformed JSON%s%s", http->method,
                               http->url, http->status, error ? ": " : "",
                               error ? error->message : "");
      g_clear_error (&error);
      g_object_unref (task);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* An answer over MAX_ANSWER_SIZE fails the request: sent again, it
 * would be as large. */
static void
http_too_large (GTask *task)
{
  Http *http = g_task_get_task_data (task);

  g_cancellable_cancel (http->cancellable);
  http_read_clear (http);
  g_task_return_new_error (task, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                           "%s %s: the answer is larger than %" G_GSIZE_FORMAT " MB",
                           http->method, http->url, MAX_ANSWER_SIZE >> 20);
  g_object_unref (task);
}

static void http_read_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      data);

static void
http_read_next (GTask *task)
{
  Http *http = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (http->input, 65536, G_PRIORITY_DEFAULT,
                                   http->cancellable, http_read_cb, task);
}

/* The answer is read here, not by soup_session_send_and_read, to stop
 * at MAX_ANSWER_SIZE. */
static void
http_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  GTask *task = data;
  Http *http = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk != NULL && g_bytes_get_size (chunk) > 0)
    {
      if (http->answer->len + g_bytes_get_size (chunk) > MAX_ANSWER_SIZE)
        {
          http_too_large (task);
          return;
        }
      g_byte_array_append (http->answer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      http_read_next (task);
      return;
    }
  msg = g_steal_pointer (&http->msg);
  if (chunk == NULL)
    {
      http_read_clear (http);
      http_answer (task, msg, NULL, error);
    }
  else
    {
      GBytes *answer = g_byte_array_free_to_bytes (g_steal_pointer (&http->answer));

      http_read_clear (http);
      http_answer (task, msg, answer, NULL);
    }
}

/* --- an answer streamed into a file --- */

static void http_sink_read_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      data);

static void
http_sink_next (GTask *task)
{
  Http *http = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (http->input, 256 * 1024, G_PRIORITY_DEFAULT,
                                   http->cancellable, http_sink_read_cb, task);
}

/* Disk work in a worker: a piece written, or (chunk NULL) the file synced. */
static void
http_sink_thread (GTask        *sub,
                  gpointer      source,
                  gpointer      data,
                  GCancellable *cancellable)
{
  GTask *task = source;
  Http *http = g_task_get_task_data (task);
  GBytes *chunk = data;
  GError *error = NULL;

  if (chunk != NULL)
    {
      if (gls_store_blob_writer_write (http->sink, g_bytes_get_data (chunk, NULL),
                                       g_bytes_get_size (chunk), &error))
        g_task_return_boolean (sub, TRUE);
      else
        g_task_return_error (sub, error);
      return;
    }
  http->blob = gls_store_blob_writer_finish (http->sink, &error);
  if (http->blob != NULL)
    g_task_return_boolean (sub, TRUE);
  else
    g_task_return_error (sub, error);
}

static void
http_sink_fail (GTask  *task,
                GError *error)
{
  Http *http = g_task_get_task_data (task);

  g_clear_pointer (&http->sink, gls_store_blob_writer_free);
  http_read_clear (http);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
http_sink_written_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      data)
{
  GTask *task = data;
  Http *http = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    return http_sink_fail (task, error);
  if (http->blob == NULL)
    return http_sink_next (task);

  /* The whole file is there and synced. */
  g_clear_pointer (&http->sink, gls_store_blob_writer_free);
  http_read_clear (http);
  http->json = json_node_new (JSON_NODE_NULL);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
http_sink_write (GTask  *task,
                 GBytes *chunk)
{
  Http *http = g_task_get_task_data (task);
  g_autoptr(GTask) sub = g_task_new (task, http->cancellable, http_sink_written_cb, task);

  g_task_set_task_data (sub, chunk, chunk != NULL ? (GDestroyNotify) g_bytes_unref : NULL);
  g_task_run_in_thread (sub, http_sink_thread);
}

static void
http_sink_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  GTask *task = data;
  Http *http = g_task_get_task_data (task);
  GBytes *chunk;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      g_autoptr(SoupMessage) msg = g_steal_pointer (&http->msg);

      /* Broken off: tried again from the start, with a new file. */
      g_clear_pointer (&http->sink, gls_store_blob_writer_free);
      http_read_clear (http);
      http_answer (task, msg, NULL, error);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      g_bytes_unref (chunk);
      return http_sink_write (task, NULL);
    }
  http->sink_length += (gint64) g_bytes_get_size (chunk);
  if (http->sink_limit >= 0 && http->sink_length > http->sink_limit)
    {
      g_bytes_unref (chunk);
      g_cancellable_cancel (http->cancellable);
      return http_sink_fail (task, g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                                                "%s %s: the answer is longer than the %" G_GINT64_FORMAT
                                                " bytes its document says", http->method, http->url,
                                                http->sink_limit));
    }
  http_sink_write (task, chunk);
}

static void
http_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  GTask *task = data;
  Http *http = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  GError *error = NULL;
  GInputStream *input = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  SoupMessageHeaders *headers;

  if (input == NULL)
    {
      http_read_clear (http);
      http_answer (task, msg, NULL, error);
      return;
    }
  headers = soup_message_get_response_headers (msg);
  if (http->sink_store != NULL && soup_message_get_status (msg) == SOUP_STATUS_OK)
    {
      http->status = SOUP_STATUS_OK;
      gls_endpoint_http_set_retrying (g_task_get_source_object (task), FALSE);
      http->msg = g_object_ref (msg);
      http->input = input;
      http->sink_length = 0;
      g_clear_pointer (&http->sink, gls_store_blob_writer_free);
      if (!(http->sink = gls_store_blob_writer_new (http->sink_store, &error)))
        return http_sink_fail (task, error);
      http_sink_next (task);
      return;
    }
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      (guint64) soup_message_headers_get_content_length (headers) > MAX_ANSWER_SIZE)
    {
      g_object_unref (input);
      http_too_large (task);
      return;
    }
  http->msg = g_object_ref (msg);
  http->input = input;
  http->answer = g_byte_array_new ();
  http_read_next (task);
}


/* A document as CouchDB PUTs one with attachments (multipart/related):
 * its JSON, where each attachment "follows", then the attachments' bytes
 * read from their files as the request is sent, in the JSON's order. */
static GInputStream *
multipart_put_body (GlsStore    *store,
                    JsonObject  *doc,
                    char       **content_type,
                    gint64      *length,
                    GError     **error)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *boundary = NULL;
  g_autoptr(JsonNode) original = json_node_init_object (json_node_alloc (), doc);
  g_autoptr(JsonNode) copy = NULL;
  g_autoptr(JsonNode) reread = NULL;
  g_autoptr(GList) names = NULL;
  g_autoptr(GInputStream) body = gls_concat_stream_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  const char *id = json_object_get_string_member (doc, "_id");
  const char *rev = json_object_get_string_member (doc, "_rev");
  JsonObject *atts;
  char *json;

  g_strdelimit (uuid, "-", 'x');
  boundary = g_strconcat ("glossa", uuid, NULL);
  copy = _gls_endpoint_dup_node (original);
  atts = json_object_get_object_member (json_node_get_object (copy), "_attachments");
  {
    JsonObjectIter iter;
    const char *name;
    JsonNode *member;

    json_object_iter_init (&iter, atts);
    while (json_object_iter_next (&iter, &name, &member))
      {
        json_object_remove_member (json_node_get_object (member), "stub");
        json_object_set_boolean_member (json_node_get_object (member), "follows", TRUE);
      }
  }
  json = gls_json_to_string (copy);
  /* The parts follow the attachments as the JSON text lists them. */
  reread = json_from_string (json, NULL);
  names = json_object_get_members (json_object_get_object_member (json_node_get_object (reread), "_attachments"));
  g_string_append_printf (text, "--%s\r\nContent-Type: application/json\r\n\r\n%s", boundary, json);
  g_free (json);
  *length = 0;
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *att = json_object_get_object_member (atts, l->data);
      g_autofree char *filename = g_strdup (l->data);
      gint64 size = 0;
      GInputStream *file = gls_store_open_attachment (store, id, rev, l->data, NULL, &size, error);

      if (file == NULL)
        return NULL;
      g_strdelimit (filename, "\"\\\r\n", '_');
      g_string_append_printf (text, "\r\n--%s\r\nContent-Disposition: attachment; filename=\"%s\"\r\n"
                              "Content-Type: %s\r\nContent-Length: %" G_GINT64_FORMAT "\r\n\r\n",
                              boundary, filename,
                              json_object_get_string_member_with_default (att, "content_type",
                                                                          "application/octet-stream"),
                              size);
      *length += (gint64) text->len + size;
      gls_concat_stream_add_bytes (GLS_CONCAT_STREAM (body), g_string_free_to_bytes (g_steal_pointer (&text)));
      gls_concat_stream_add (GLS_CONCAT_STREAM (body), file);
      text = g_string_new (NULL);
    }
  /* Closed as CouchDB closes it. */
  g_string_append_printf (text, "\r\n--%s--", boundary);
  *length += (gint64) text->len;
  gls_concat_stream_add_bytes (GLS_CONCAT_STREAM (body), g_string_free_to_bytes (g_steal_pointer (&text)));
  *content_type = g_strdup_printf ("multipart/related; boundary=\"%s\"", boundary);
  return g_steal_pointer (&body);
}

static void
http_send (GTask *task)
{
  GlsEndpointHttp *self = g_task_get_source_object (task);
  Http *http = g_task_get_task_data (task);
  g_autoptr(SoupMessage) msg = NULL;
  SoupMessageHeaders *headers;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  if (self->pin_error != NULL)
    {
      g_task_return_error (task, g_error_copy (self->pin_error));
      g_object_unref (task);
      return;
    }
  msg = soup_message_new (http->method, http->url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_FAILED,
                               "Invalid URL %s", http->url);
      g_object_unref (task);
      return;
    }
  if (self->pin != NULL)
    g_signal_connect_object (msg, "accept-certificate", G_CALLBACK (http_accept_certificate_cb), self, 0);
  if (g_str_has_prefix (http->url, "https:"))
    g_signal_connect_object (msg, "network-event", G_CALLBACK (http_connection_cb), self, 0);
  /* libsoup sends a POST or PUT on a new connection unless told it may
   * be repeated, so a pull (POST _revs_diff and _bulk_get, PUT of the
   * checkpoint) reconnected at every batch, a TLS handshake each time.
   * Everything the replicator sends may be: reads, new_edits=false
   * writes of revisions, checkpoints. */
  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", http->sink_store != NULL ? "*/*" : "application/json");
  if (self->auth_header != NULL)
    soup_message_headers_replace (headers, "Authorization", self->auth_header);
  /* Who we are, for the other side's list of who is connected: it can
   * only take our word for it, and shows it as such. */
  if (self->peer_did != NULL)
    soup_message_headers_replace (headers, "X-Glossa-Peer", self->peer_did);
  if (self->peer_name != NULL)
    soup_message_headers_replace (headers, "X-Glossa-Name", self->peer_name);
  if (http->body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", http->body);
  if (http->put_doc != NULL)
    {
      g_autoptr(GInputStream) body = NULL;
      g_autofree char *type = NULL;
      GError *error = NULL;
      gint64 length = 0;

      if (!(body = multipart_put_body (http->put_store, http->put_doc, &type, &length, &error)))
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
      soup_message_set_request_body (msg, type, body, length);
    }
  if (self->retrying)
    g_signal_connect_object (msg, "network-event", G_CALLBACK (http_network_event_cb), self, 0);
  http_read_clear (http);
  http->cancellable = g_cancellable_new ();
  if (g_task_get_cancellable (task) != NULL)
    {
      http->parent = g_object_ref (g_task_get_cancellable (task));
      http->parent_id = g_cancellable_connect (http->parent, G_CALLBACK (http_cancel_attempt),
                                               http->cancellable, NULL);
    }
  soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT,
                           http->cancellable, http_sent_cb, task);
}

static GTask *
http_new (GlsEndpointHttp     *self,
          const char          *method,
          const char          *path,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Http *http = g_new0 (Http, 1);

  g_task_set_source_tag (task, http_new);
  http->method = g_strdup (method);
  http->url = g_strconcat (self->url, path, NULL);
  http->retry_forever = self->live && cancellable != NULL;
  g_task_set_task_data (task, http, (GDestroyNotify) http_free);
  return task;
}

void
_gls_endpoint_http_request_bytes (GlsEndpointHttp     *self,
                                  const char          *method,
                                  const char          *path,
                                  GBytes              *body,
                                  gboolean             raw,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task = http_new (self, method, path, cancellable, callback, user_data);
  Http *http = g_task_get_task_data (task);

  http->raw = raw;
  http->body = body;
  http_send (task);
}

void
_gls_endpoint_http_request (GlsEndpointHttp     *self,
                            const char          *method,
                            const char          *path,
                            JsonNode            *body,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GBytes *bytes = NULL;

  if (body != NULL)
    {
      char *text = gls_json_to_string (body);

      bytes = g_bytes_new_take (text, strlen (text));
    }
  _gls_endpoint_http_request_bytes (self, method, path, bytes, FALSE, cancellable, callback, user_data);
}

void
_gls_endpoint_http_request_blob (GlsEndpointHttp     *self,
                                 const char          *path,
                                 GlsStore            *store,
                                 gint64               limit,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = http_new (self, "GET", path, cancellable, callback, user_data);
  Http *http = g_task_get_task_data (task);

  http->sink_store = g_object_ref (store);
  http->sink_limit = limit;
  http_send (task);
}

void
_gls_endpoint_http_request_put_doc (GlsEndpointHttp     *self,
                                    JsonObject          *doc,
                                    GlsStore            *store,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *id = g_uri_escape_string (json_object_get_string_member (doc, "_id"), NULL, FALSE);
  g_autofree char *path = g_strconcat ("/", id, "?new_edits=false", NULL);
  GTask *task = http_new (self, "PUT", path, cancellable, callback, user_data);
  Http *http = g_task_get_task_data (task);

  http->put_doc = json_object_ref (doc);
  http->put_store = g_object_ref (store);
  http_send (task);
}

GlsStoreBlob *
_gls_endpoint_http_finish_blob (GAsyncResult  *result,
                                guint         *status,
                                GError       **error)
{
  Http *http = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  *status = http->status;
  return g_steal_pointer (&http->blob);
}

JsonNode *
_gls_endpoint_http_finish (GAsyncResult  *result,
                           guint         *status,
                           GError       **error)
{
  Http *http = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  *status = http->status;
  return json_node_ref (http->json);
}

GBytes *
_gls_endpoint_http_steal_bytes (GAsyncResult *result)
{
  Http *http = g_task_get_task_data (G_TASK (result));

  return g_steal_pointer (&http->bytes);
}

GError *
_gls_endpoint_http_status_error (guint       status,
                                 JsonNode   *json,
                                 const char *what)
{
  const char *reason = NULL;
  GlsReplicatorError code;

  if (JSON_NODE_HOLDS_OBJECT (json))
    reason = _gls_endpoint_peek_string (json_node_get_object (json), "reason", NULL);
  switch (status)
    {
    case 401: code = GLS_REPLICATOR_ERROR_UNAUTHORIZED; break;
    case 403: code = GLS_REPLICATOR_ERROR_FORBIDDEN; break;
    case 404: code = GLS_REPLICATOR_ERROR_NOT_FOUND; break;
    default: code = GLS_REPLICATOR_ERROR_FAILED; break;
    }
  return g_error_new (GLS_REPLICATOR_ERROR, code,
                      "%s: HTTP %u%s%s", what, status, reason ? ": " : "", reason ? reason : "");
}
