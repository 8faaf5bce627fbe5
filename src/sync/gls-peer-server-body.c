/* gls-peer-server-body.c: request bodies as they arrive, refused early
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-peer-server"

#include "config.h"

#include <string.h>

#include "gls-peer-server-private.h"

/* CouchDB's max_document_size: a body without its attachment data */
#define MAX_DOC_SIZE 8000000

/* Document size
 *
 * CouchDB refuses a document whose body, without attachment data, is over
 * max_document_size (8,000,000 bytes) with 413 document_too_large. A JSON
 * body (PUT /{db}/{id}, POST _bulk_docs) is scanned as it arrives, so a
 * 300 MB document is refused after its first 8 MB, not held whole: bytes
 * count from a document's "{" to its "}", except the strings of
 * "_attachments": {name: {"data": "…"}}. */

#define SCAN_MAX_DEPTH 64
#define SCAN_KEY_MAX   16
#define SCAN_ID_MAX    256

typedef struct
{
  guint    doc_depth;        /* 1 for a document, 3 in {"docs": [ … ]} */
  guint    depth;
  char     kind[SCAN_MAX_DEPTH + 1];
  gboolean in_string;
  gboolean escape;
  gboolean expect_key;
  gboolean is_key;           /* the string being read is a key */
  gboolean skip;             /* attachment data: not counted */
  gboolean is_id;            /* the document's "_id" */
  gboolean atts_open;        /* inside the document's "_attachments" */
  char     key[SCAN_KEY_MAX];
  guint    key_len;
  GString *id;
  guint64  doc_size;
} DocScan;

static void
doc_scan_free (DocScan *scan)
{
  g_string_free (scan->id, TRUE);
  g_free (scan);
}

static gboolean
doc_scan_key_is (DocScan    *scan,
                 const char *key)
{
  return scan->key_len == strlen (key) && memcmp (scan->key, key, scan->key_len) == 0;
}

/* TRUE when a document passed MAX_DOC_SIZE (its id, if seen, in scan->id). */
static gboolean
doc_scan (DocScan      *scan,
          const guint8 *data,
          gsize         length)
{
  for (gsize i = 0; i < length; i++)
    {
      guint8 c = data[i];

      if (scan->depth >= scan->doc_depth && !scan->skip && ++scan->doc_size > MAX_DOC_SIZE)
        return TRUE;
      if (scan->in_string)
        {
          if (scan->escape)
            scan->escape = FALSE;
          else if (c == '\\')
            scan->escape = TRUE;
          else if (c == '"')
            {
              scan->in_string = FALSE;
              scan->skip = FALSE;
              scan->is_id = FALSE;
              continue;
            }
          if (scan->is_key && scan->key_len < SCAN_KEY_MAX)
            scan->key[scan->key_len++] = c;
          else if (scan->is_id && scan->id->len < SCAN_ID_MAX)
            g_string_append_c (scan->id, c);
          continue;
        }
      switch (c)
        {
        case '"':
          scan->in_string = TRUE;
          scan->is_key = scan->expect_key;
          if (scan->is_key)
            scan->key_len = 0;
          else if (scan->atts_open && scan->depth == scan->doc_depth + 2 && doc_scan_key_is (scan, "data"))
            scan->skip = TRUE;
          else if (scan->depth == scan->doc_depth && doc_scan_key_is (scan, "_id"))
            scan->is_id = TRUE;
          break;
        case '{':
        case '[':
          scan->depth++;
          if (scan->depth <= SCAN_MAX_DEPTH)
            scan->kind[scan->depth] = c;
          if (c == '{' && scan->depth == scan->doc_depth)
            {
              scan->doc_size = 1;
              g_string_truncate (scan->id, 0);
            }
          if (c == '{' && scan->depth == scan->doc_depth + 1 && doc_scan_key_is (scan, "_attachments"))
            scan->atts_open = TRUE;
          scan->expect_key = c == '{';
          break;
        case '}':
        case ']':
          if (scan->depth == scan->doc_depth + 1)
            scan->atts_open = FALSE;
          if (scan->depth > 0)
            scan->depth--;
          scan->expect_key = FALSE;
          break;
        case ',':
          scan->expect_key = scan->depth <= SCAN_MAX_DEPTH && scan->kind[scan->depth] == '{';
          break;
        case ':':
          scan->expect_key = FALSE;
          break;
        default:
          break;
        }
    }
  return FALSE;
}

/* A scan for requests whose JSON body holds documents; NULL for others. */
static DocScan *
doc_scan_new_for (SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  const char *type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);
  g_auto(GStrv) segments = NULL;
  guint n;
  DocScan *scan;

  if (path == NULL || (type != NULL && g_str_has_prefix (type, "multipart/")))
    return NULL;
  segments = g_strsplit (path + (path[0] == '/'), "/", -1);
  n = g_strv_length (segments);
  scan = g_new0 (DocScan, 1);
  scan->id = g_string_new (NULL);
  if (g_str_equal (method, "POST") && n == 2 && g_str_equal (segments[1], "_bulk_docs"))
    scan->doc_depth = 3;
  else if (g_str_equal (method, "PUT") && n >= 2 && segments[1][0] != '\0' &&
           (n == 2 || (n == 3 && (g_str_equal (segments[1], "_design") ||
                                  g_str_equal (segments[1], "_local")))))
    scan->doc_depth = 1;
  else
    g_clear_pointer (&scan, doc_scan_free);
  return scan;
}

/* An early refusal is answered at once when the connection is ours (see
 * _gls_peer_server_connection_answer_now); else libsoup sends it after
 * reading the body. */
static void
refuse (GlsPeerServer     *self,
        SoupServerMessage *msg,
        Reply             *reply)
{
  reply->close = TRUE;
  if (!_gls_peer_server_connection_answer_now (self, msg, reply))
    _gls_peer_server_reply_apply (reply, msg);
  _gls_peer_server_reply_clear (reply);
}

/* Refuses a request whose declared body is over the limit. From the early
 * handler, this happens before the body is read. */
gboolean
_gls_peer_server_body_too_large (GlsPeerServer     *self,
                                 SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  Reply reply = { 0, };
  goffset length;

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH ||
      g_object_get_data (G_OBJECT (msg), "gls-multipart-sink") != NULL)
    return FALSE;
  length = soup_message_headers_get_content_length (headers);
  if (length < 0 || (guint64) length <= self->max_body_size)
    return FALSE;
  _gls_peer_server_reply_error (&reply, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                                "the request entity is too large");
  refuse (self, msg, &reply);
  return TRUE;
}

/* A multipart PUT's parts go to files as they come, written by a worker:
 * the pieces are gathered here, on the server's thread (a window's main
 * thread when it shares), and every FEED_SIZE the message is paused while
 * a worker feeds them to the sink; what is left when the body ends is fed
 * by the request's own worker (_gls_peer_server_streamed_multipart_doc). */

#define FEED_SIZE (256 * 1024)

typedef struct
{
  GlsPeerServer     *self;
  SoupServerMessage *msg;
  GlsMultipartSink  *sink;      /* borrowed from msg's data */
  GBytes            *bytes;
  GError            *error;
  gulong             finished_id;
  gulong             disconnected_id;
  gboolean           gone;      /* finished, or dropped by a closing server */
} Feed;

static void
feed_gone_cb (Feed *feed)
{
  feed->gone = TRUE;
}

static void
feed_free (Feed *feed)
{
  g_clear_signal_handler (&feed->finished_id, feed->msg);
  g_clear_signal_handler (&feed->disconnected_id, feed->msg);
  g_clear_object (&feed->msg);
  g_clear_object (&feed->self);
  g_clear_pointer (&feed->bytes, g_bytes_unref);
  g_clear_error (&feed->error);
  g_free (feed);
}

/* A sink's failure as CouchDB answers it. */
void
_gls_peer_server_reply_sink_error (Reply        *reply,
                                   const GError *error)
{
  if (g_error_matches (error, GLS_MULTIPART_SINK_ERROR, GLS_MULTIPART_SINK_ERROR_TOO_LARGE))
    _gls_peer_server_reply_error (reply, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "document_too_large",
                                  error->message);
  else if (error->domain == GLS_MULTIPART_SINK_ERROR)
    _gls_peer_server_reply_bad_request (reply, error->message);
  else
    _gls_peer_server_reply_error (reply, SOUP_STATUS_INSUFFICIENT_STORAGE, "insufficient_storage",
                                  error->message);
}

static void
feed_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  Feed *feed = data;

  gls_multipart_sink_feed (feed->sink, g_bytes_get_data (feed->bytes, NULL),
                           g_bytes_get_size (feed->bytes), &feed->error);
  g_task_return_boolean (task, TRUE);
}

static void feed_start (GlsPeerServer *self, SoupServerMessage *msg);

static void
feed_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Feed *feed = g_task_get_task_data (G_TASK (result));
  GByteArray *pending;

  if (feed->gone)
    return;
  g_object_set_data (G_OBJECT (feed->msg), "gls-multipart-feeding", NULL);
  if (feed->error != NULL)
    {
      Reply reply = { 0, };

      g_debug ("a multipart body refused as it came: %s", feed->error->message);
      _gls_peer_server_reply_sink_error (&reply, feed->error);
      g_object_set_data (G_OBJECT (feed->msg), "gls-multipart-sink", NULL);
      g_object_set_data (G_OBJECT (feed->msg), "gls-multipart-pending", NULL);
      refuse (feed->self, feed->msg, &reply);
    }
  else if ((pending = g_object_get_data (G_OBJECT (feed->msg), "gls-multipart-pending")) != NULL &&
           pending->len >= FEED_SIZE)
    return feed_start (feed->self, feed->msg);   /* still paused */
  soup_server_message_unpause (feed->msg);
}

/* Pauses the message and feeds what was gathered, in a worker. */
static void
feed_start (GlsPeerServer     *self,
            SoupServerMessage *msg)
{
  GByteArray *pending = g_object_steal_data (G_OBJECT (msg), "gls-multipart-pending");
  g_autoptr(GTask) task = g_task_new (NULL, NULL, feed_done_cb, NULL);
  Feed *feed = g_new0 (Feed, 1);

  feed->self = g_object_ref (self);
  feed->msg = g_object_ref (msg);
  feed->sink = g_object_get_data (G_OBJECT (msg), "gls-multipart-sink");
  feed->bytes = g_byte_array_free_to_bytes (pending);
  feed->finished_id = g_signal_connect_swapped (msg, "finished", G_CALLBACK (feed_gone_cb), feed);
  feed->disconnected_id = g_signal_connect_swapped (msg, "disconnected", G_CALLBACK (feed_gone_cb), feed);
  g_object_set_data (G_OBJECT (msg), "gls-multipart-feeding", GINT_TO_POINTER (1));
  soup_server_message_pause (msg);
  g_task_set_source_tag (task, feed_start);
  g_task_set_task_data (task, feed, (GDestroyNotify) feed_free);
  g_task_run_in_thread (task, feed_thread);
}

/* A body is counted as it arrives (a chunked one has no declared length)
 * and its documents are measured: past a limit it is refused at once, so
 * that no client makes the server hold more than max-body-size, or more
 * than a document's worth of a document that is too large. */
static void
request_chunk_cb (SoupServerMessage *msg,
                  GBytes            *chunk,
                  GlsPeerServer     *self)
{
  guint64 *received = g_object_get_data (G_OBJECT (msg), "gls-body-received");
  DocScan *scan = g_object_get_data (G_OBJECT (msg), "gls-doc-scan");
  Reply reply = { 0, };

  GlsMultipartSink *sink = g_object_get_data (G_OBJECT (msg), "gls-multipart-sink");

  if (g_object_get_data (G_OBJECT (msg), "gls-answered"))
    return;
  if (sink != NULL)
    {
      GByteArray *pending = g_object_get_data (G_OBJECT (msg), "gls-multipart-pending");

      /* Its parts go to files as they come: no body limit but the disk's
       * (and the document part's). */
      if (pending == NULL)
        {
          pending = g_byte_array_sized_new (FEED_SIZE);
          g_object_set_data_full (G_OBJECT (msg), "gls-multipart-pending", pending,
                                  (GDestroyNotify) g_byte_array_unref);
        }
      g_byte_array_append (pending, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      if (pending->len >= FEED_SIZE && !g_object_get_data (G_OBJECT (msg), "gls-multipart-feeding"))
        feed_start (self, msg);
      return;
    }
  *received += g_bytes_get_size (chunk);
  if (*received > self->max_body_size)
    {
      g_debug ("a request body passed %" G_GSIZE_FORMAT " bytes: refused", self->max_body_size);
      _gls_peer_server_reply_error (&reply, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                                    "the request entity is too large");
    }
  else if (scan != NULL && doc_scan (scan, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk)))
    {
      g_debug ("a document passed %d bytes: refused", MAX_DOC_SIZE);
      _gls_peer_server_reply_error (&reply, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "document_too_large",
                                    scan->id->str);
    }
  else
    return;
  soup_message_body_truncate (soup_server_message_get_request_body (msg));
  refuse (self, msg, &reply);
}

/* Refuses a request with a body and without the database's key before
 * the body is read: nobody without a key makes the server hold a body.
 * (The handler checks the key of every request again.) */
gboolean
_gls_peer_server_body_unauthorized (GlsPeerServer     *self,
                                    SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  const char *start, *end;
  g_autofree char *db_name = NULL;
  const Keys *keys;
  Reply reply = { 0, };

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_NONE
      || (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
          && soup_message_headers_get_content_length (headers) == 0))
    return FALSE;
  start = path + (path[0] == '/');
  end = strchr (start, '/');
  db_name = g_uri_unescape_segment (start, end, NULL);
  if (db_name == NULL || (keys = g_hash_table_lookup (self->keys, db_name)) == NULL)
    return FALSE;
  if (_gls_peer_server_request_access (self, keys, msg) != ACCESS_NONE)
    return FALSE;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate", "Basic realm=\"glossa\"");
  _gls_peer_server_reply_error (&reply, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                                "This database needs its access key: use the share link.");
  refuse (self, msg, &reply);
  return TRUE;
}

/* A PUT of a document as multipart/related (how CouchDB's replicator
 * sends attachments), by a client that may write: its attachments go to
 * files of the store as they arrive (gls-multipart-sink.c). */
static void
stream_multipart_put (GlsPeerServer     *self,
                      SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_one (headers, "Content-Type");
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  g_auto(GStrv) parts = NULL;
  g_autofree char *db_name = NULL;
  const Keys *keys;
  GlsStore *store;
  GlsMultipartSink *sink;

  if (!g_str_equal (soup_server_message_get_method (msg), "PUT") || type == NULL ||
      g_ascii_strncasecmp (type, "multipart/related", 17) != 0 || path == NULL || path[0] != '/')
    return;
  parts = g_strsplit (path + 1, "/", -1);
  /* /db/doc and /db/_design/doc */
  if (g_strv_length (parts) == 3 && g_str_equal (parts[1], "_design") && parts[2][0] != '\0')
    {
      g_free (parts[2]);
      parts[2] = NULL;
      parts[1][1] = 'd';  /* any id not starting with '_' */
    }
  if (g_strv_length (parts) != 2 || parts[1][0] == '\0' || parts[1][0] == '_' ||
      !(db_name = g_uri_unescape_string (parts[0], NULL)) ||
      !(store = g_hash_table_lookup (self->databases, db_name)))
    return;
  if ((keys = g_hash_table_lookup (self->keys, db_name)) != NULL &&
      _gls_peer_server_request_access (self, keys, msg) != ACCESS_WRITE)
    return;
  if (!(sink = gls_multipart_sink_new (type, store, MAX_DOC_SIZE)))
    return;
  g_object_set_data_full (G_OBJECT (msg), "gls-multipart-sink", sink,
                          (GDestroyNotify) gls_multipart_sink_free);
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
}

void
_gls_peer_server_early_callback (SoupServer        *server,
                                 SoupServerMessage *msg,
                                 const char        *path,
                                 GHashTable        *query,
                                 gpointer           user_data)
{
  GlsPeerServer *self = user_data;
  SoupEncoding encoding;

  _gls_peer_server_connection_request_begin (self, msg);
  if (_gls_peer_server_body_unauthorized (self, msg))
    return;
  stream_multipart_put (self, msg);
  if (_gls_peer_server_body_too_large (self, msg))
    return;
  encoding = soup_message_headers_get_encoding (soup_server_message_get_request_headers (msg));
  if (encoding == SOUP_ENCODING_NONE)
    return;
  g_object_set_data_full (G_OBJECT (msg), "gls-body-received", g_new0 (guint64, 1), g_free);
  g_object_set_data_full (G_OBJECT (msg), "gls-doc-scan", doc_scan_new_for (msg),
                          (GDestroyNotify) doc_scan_free);
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (request_chunk_cb), self, 0);
}
