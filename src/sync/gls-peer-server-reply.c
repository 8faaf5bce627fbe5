/* gls-peer-server-reply.c: replies, their bodies streamed from files
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-peer-server"

#include "config.h"

#include <string.h>

#include "gls-peer-server-private.h"

void
_gls_peer_server_segment_free (Segment *segment)
{
  g_clear_pointer (&segment->bytes, g_bytes_unref);
  g_clear_object (&segment->stream);
  g_free (segment);
}

Segment *
_gls_peer_server_segment_new_bytes (GBytes *bytes)
{
  Segment *segment = g_new0 (Segment, 1);

  segment->bytes = bytes;
  segment->length = (gint64) g_bytes_get_size (bytes);
  return segment;
}

Segment *
_gls_peer_server_segment_new_stream (GInputStream *stream,
                                     gint64        length)
{
  Segment *segment = g_new0 (Segment, 1);

  segment->stream = stream;
  segment->length = length;
  return segment;
}

void
_gls_peer_server_reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->content_type, g_free);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->allow, g_free);
  g_clear_pointer (&reply->segments, g_ptr_array_unref);
}

/* A body sent from segments, some of them files: each file is read
 * (asynchronously) a piece after the last piece is written, so a design
 * of any size takes one piece of memory. */
#define STREAM_PIECE (256 * 1024)

typedef struct
{
  SoupServerMessage *msg;       /* until finished or disconnected */
  GPtrArray         *segments;
  guint              index;     /* the segment being sent */
  gint64             left;      /* of it, for a stream */
  GCancellable      *cancellable;
  gboolean           reading;
  gboolean           done;
  gulong             wrote_id;
  gulong             finished_id;
  gulong             disconnected_id;
  guint              refs;  /* the message's and a read's */
} StreamReply;

static void
stream_reply_unref (StreamReply *sr)
{
  if (--sr->refs > 0)
    return;
  g_ptr_array_unref (sr->segments);
  g_object_unref (sr->cancellable);
  g_free (sr);
}

static void
stream_reply_end (StreamReply *sr)
{
  sr->done = TRUE;
  soup_message_body_complete (soup_server_message_get_response_body (sr->msg));
}

static void stream_reply_next (StreamReply *sr);

static void
stream_reply_read_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      data)
{
  StreamReply *sr = data;
  g_autoptr(GBytes) piece = NULL;
  g_autoptr(GError) error = NULL;

  sr->reading = FALSE;
  piece = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (sr->msg == NULL)
    {
      stream_reply_unref (sr);  /* the message is gone */
      return;
    }
  if (piece == NULL || g_bytes_get_size (piece) == 0 || (gint64) g_bytes_get_size (piece) > sr->left)
    {
      /* A file that changed under us: what Content-Length promised
       * cannot all come; the client sees a short body. */
      g_warning ("An attachment's file could not be sent whole: %s",
                 error != NULL ? error->message : "its size changed");
      stream_reply_end (sr);
    }
  else
    {
      sr->left -= (gint64) g_bytes_get_size (piece);
      soup_message_body_append_bytes (soup_server_message_get_response_body (sr->msg), piece);
      if (sr->left == 0)
        sr->index++;
    }
  soup_server_message_unpause (sr->msg);
  stream_reply_unref (sr);
}

/* Appends what follows: bytes up to the next file, then one piece of it. */
static void
stream_reply_next (StreamReply *sr)
{
  SoupMessageBody *body;

  if (sr->reading || sr->done || sr->msg == NULL)
    return;
  body = soup_server_message_get_response_body (sr->msg);
  while (sr->index < sr->segments->len)
    {
      Segment *segment = g_ptr_array_index (sr->segments, sr->index);

      if (segment->bytes != NULL)
        {
          soup_message_body_append_bytes (body, segment->bytes);
          sr->index++;
          continue;
        }
      if (segment->length == 0)
        {
          sr->index++;
          continue;
        }
      if (sr->left == 0)
        sr->left = segment->length;
      sr->reading = TRUE;
      sr->refs++;
      g_input_stream_read_bytes_async (segment->stream, (gsize) MIN (sr->left, STREAM_PIECE),
                                       G_PRIORITY_DEFAULT, sr->cancellable, stream_reply_read_cb, sr);
      return;
    }
  stream_reply_end (sr);
  soup_server_message_unpause (sr->msg);
}

static void
stream_reply_wrote_cb (SoupServerMessage *msg,
                       StreamReply       *sr)
{
  stream_reply_next (sr);
}

/* The answer went out, or the message was dropped (a server closing
 * drops it with "disconnected" and no "finished"): no more pieces. */
static void
stream_reply_finished_cb (SoupServerMessage *msg,
                          StreamReply       *sr)
{
  if (sr->msg == NULL)
    return;
  g_signal_handler_disconnect (msg, sr->wrote_id);
  g_signal_handler_disconnect (msg, sr->finished_id);
  g_signal_handler_disconnect (msg, sr->disconnected_id);
  g_cancellable_cancel (sr->cancellable);
  g_clear_object (&sr->msg);
  stream_reply_unref (sr);
}

static void
stream_reply_start (SoupServerMessage *msg,
                    GPtrArray         *segments)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  StreamReply *sr;
  gint64 length = 0;

  for (guint i = 0; i < segments->len; i++)
    length += ((Segment *) g_ptr_array_index (segments, i))->length;
  soup_message_headers_set_content_length (headers, length);
  soup_message_body_set_accumulate (body, FALSE);
  if (length == 0 || g_str_equal (soup_server_message_get_method (msg), "HEAD"))
    {
      soup_message_body_complete (body);
      return;
    }
  sr = g_new0 (StreamReply, 1);
  sr->msg = g_object_ref (msg);
  sr->segments = g_ptr_array_ref (segments);
  sr->cancellable = g_cancellable_new ();
  sr->refs = 1;
  sr->wrote_id = g_signal_connect (msg, "wrote-chunk", G_CALLBACK (stream_reply_wrote_cb), sr);
  sr->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (stream_reply_finished_cb), sr);
  sr->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (stream_reply_finished_cb), sr);
  stream_reply_next (sr);
}

/* A reply whose body is `segments` (taken). */
void
_gls_peer_server_reply_segments (Reply      *reply,
                                 guint       status,
                                 const char *content_type,
                                 GPtrArray  *segments)
{
  _gls_peer_server_reply_clear (reply);
  reply->status = status;
  reply->content_type = g_strdup (content_type);
  reply->segments = segments;
}

void
_gls_peer_server_reply_apply (Reply             *reply,
                              SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, reply->status, NULL);
  if (reply->allow != NULL)
    soup_message_headers_replace (headers, "Allow", reply->allow);
  if (reply->close)
    soup_message_headers_replace (headers, "Connection", "close");
  if (reply->body != NULL)
    {
      soup_message_headers_set_content_type (headers, reply->content_type, NULL);
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg), reply->body);
    }
  else if (reply->segments != NULL)
    {
      soup_message_headers_set_content_type (headers, reply->content_type, NULL);
      stream_reply_start (msg, reply->segments);
    }
}

void
_gls_peer_server_reply_bytes (Reply      *reply,
                              guint       status,
                              const char *content_type,
                              GBytes     *bytes)
{
  _gls_peer_server_reply_clear (reply);
  reply->status = status;
  reply->content_type = g_strdup (content_type);
  reply->body = g_bytes_ref (bytes);
}

static void
reply_json (Reply    *reply,
            guint     status,
            JsonNode *node)
{
  gsize length = 0;
  char *text = gls_json_to_string (node);
  g_autoptr(GBytes) bytes = NULL;

  length = strlen (text);
  text = g_realloc (text, length + 2);
  text[length++] = '\n';
  text[length] = '\0';
  bytes = g_bytes_new_take (text, length);
  _gls_peer_server_reply_bytes (reply, status, "application/json", bytes);
}

void
_gls_peer_server_reply_object (Reply             *reply,
                               guint              status,
                               JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  reply_json (reply, status, node);
}

void
_gls_peer_server_reply_array (Reply             *reply,
                              guint              status,
                              JsonArray         *array)
{
  g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), array);

  reply_json (reply, status, node);
}

void
_gls_peer_server_reply_error (Reply             *reply,
                              guint              status,
                              const char        *error,
                              const char        *reason)
{
  g_autoptr(JsonObject) object = json_object_new ();
  /* A reason may quote the request (a rev from the query), which need
   * not be UTF-8: the answer must be JSON all the same. */
  g_autofree char *valid = g_utf8_make_valid (reason, -1);

  json_object_set_string_member (object, "error", error);
  json_object_set_string_member (object, "reason", valid);
  _gls_peer_server_reply_object (reply, status, object);
}

void
_gls_peer_server_reply_ok (Reply             *reply,
                           guint              status)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_boolean_member (object, "ok", TRUE);
  _gls_peer_server_reply_object (reply, status, object);
}

void
_gls_peer_server_reply_gerror (Reply             *reply,
                               const GError      *error)
{
  if (error->domain == GLS_STORE_ERROR)
    switch (error->code)
      {
      case GLS_STORE_ERROR_NOT_FOUND:
        _gls_peer_server_reply_error (reply, SOUP_STATUS_NOT_FOUND, "not_found", error->message);
        return;
      case GLS_STORE_ERROR_CONFLICT:
        _gls_peer_server_reply_error (reply, SOUP_STATUS_CONFLICT, "conflict", "Document update conflict.");
        return;
      case GLS_STORE_ERROR_BAD_REQUEST:
        _gls_peer_server_reply_error (reply, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
        return;
      case GLS_STORE_ERROR_MISSING_STUB:
        _gls_peer_server_reply_error (reply, SOUP_STATUS_PRECONDITION_FAILED, "missing_stub", error->message);
        return;
      default:
        break;
      }
  g_warning ("%s", error->message);
  _gls_peer_server_reply_error (reply, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_server_error",
                                error->message);
}

void
_gls_peer_server_reply_bad_request (Reply             *reply,
                                    const char        *reason)
{
  _gls_peer_server_reply_error (reply, SOUP_STATUS_BAD_REQUEST, "bad_request", reason);
}

void
_gls_peer_server_reply_method_not_allowed (Reply             *reply,
                                           const char        *allowed)
{
  g_autofree char *reason = g_strdup_printf ("Only %s allowed", allowed);

  _gls_peer_server_reply_error (reply, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", reason);
  reply->allow = g_strdup (allowed);
}
