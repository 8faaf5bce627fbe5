/* gls-peer-server-multipart.c: multipart/mixed answers, multipart/related PUTs
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE  /* memmem */
#define G_LOG_DOMAIN "gls-peer-server"

#include "config.h"

#include <string.h>

#include "gls-peer-server-private.h"

/* libsoup ends a multipart body with "--boundary--\r\n"; CouchDB ends it
 * with "--boundary--" and its replicator's parser wants exactly that
 * (with the CRLF it retried with `badmatch`). */
static GBytes *
multipart_body (SoupMultipart      *multipart,
                SoupMessageHeaders *headers)
{
  g_autoptr(GBytes) body = NULL;
  gsize size;

  soup_multipart_to_message (multipart, headers, &body);
  size = g_bytes_get_size (body);
  g_assert (size >= 2);
  return g_bytes_new_from_bytes (body, 0, size - 2);
}

/* An attachment sent from its file inside a multipart answer: the
 * answer is built with `token` in its place, then cut there. */
typedef struct
{
  char         *token;
  GInputStream *stream;
  gint64        length;
} FilePart;

static void
file_part_free (FilePart *part)
{
  g_free (part->token);
  g_clear_object (&part->stream);
  g_free (part);
}

/* A document whose attachments carry their data, as CouchDB sends it in
 * an open_revs answer: a multipart/related part of the JSON, where each
 * attachment to send is a "follows" stub, then one part per such
 * attachment in the stubs' order, its bytes read from its file when the
 * answer is sent (a FilePart added to `files`). NULL when the document
 * has no attachment to send. */
static GBytes *
related_part (GlsStore    *store,
              JsonObject  *doc,
              GPtrArray   *files,
              char       **content_type,
              GError     **error)
{
  g_autoptr(SoupMultipart) related = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(SoupMessageHeaders) json_headers = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(JsonNode) node = NULL;
  const char *id = json_object_get_string_member_with_default (doc, "_id", "");
  const char *rev = json_object_get_string_member_with_default (doc, "_rev", NULL);
  guint first = files->len;
  JsonObject *atts;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  char *text;

  if (!json_object_has_member (doc, "_attachments"))
    return NULL;
  atts = json_object_get_object_member (doc, "_attachments");
  json_object_iter_init (&iter, atts);
  while (json_object_iter_next (&iter, &name, &member))
    {
      JsonObject *att = json_node_get_object (member);
      FilePart *part;
      g_autofree char *uuid = NULL;

      if (!json_object_get_boolean_member_with_default (att, "follows", FALSE))
        continue;
      part = g_new0 (FilePart, 1);
      g_ptr_array_add (files, part);
      part->stream = gls_store_open_attachment (store, id, rev, name, NULL, &part->length, error);
      if (part->stream == NULL)
        return NULL;
      uuid = g_uuid_string_random ();
      part->token = g_strdup_printf ("\001glossa-file-%s\001", uuid);
      g_ptr_array_add (names, (gpointer) name);
    }
  if (names->len == 0)
    return NULL;

  related = soup_multipart_new ("multipart/related");
  json_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  soup_message_headers_replace (json_headers, "Content-Type", "application/json");
  node = json_node_init_object (json_node_alloc (), doc);
  text = gls_json_to_string (node);
  {
    g_autoptr(GBytes) json = g_bytes_new_take (text, strlen (text));

    soup_multipart_append_part (related, json_headers, json);
  }
  for (guint i = 0; i < names->len; i++)
    {
      JsonObject *att = json_object_get_object_member (atts, names->pdata[i]);
      FilePart *file = g_ptr_array_index (files, first + i);
      g_autoptr(SoupMessageHeaders) part = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
      g_autofree char *disposition = g_strdup_printf ("attachment; filename=\"%s\"", (char *) names->pdata[i]);
      g_autofree char *length = g_strdup_printf ("%" G_GINT64_FORMAT, file->length);
      g_autoptr(GBytes) placeholder = g_bytes_new_static (file->token, strlen (file->token));

      soup_message_headers_replace (part, "Content-Disposition", disposition);
      soup_message_headers_replace (part, "Content-Type",
                                    json_object_get_string_member_with_default (att, "content_type",
                                                                                "application/octet-stream"));
      soup_message_headers_replace (part, "Content-Length", length);
      soup_multipart_append_part (related, part, placeholder);
    }
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  {
    GBytes *body = multipart_body (related, headers);

    *content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
    return body;
  }
}

/* What the CouchDB replicator asks for (Accept: multipart/mixed), as
 * CouchDB answers it (chttpd_db send_docs_multipart): a document with
 * attachment data as a multipart/related part with "follows" attachments,
 * any other as an application/json part, and {"missing":rev} parts marked
 * error="true". The attachments' bytes come from their files as the
 * answer is sent. */
gboolean
_gls_peer_server_reply_open_revs_multipart (Reply      *reply,
                                            GlsStore   *store,
                                            JsonArray  *answer,
                                            GError    **error)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new ("multipart/mixed");
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) file_part_free);
  g_autoptr(GBytes) body = NULL;
  GPtrArray *segments;
  const char *text;
  gsize size, offset = 0;

  for (guint i = 0; i < json_array_get_length (answer); i++)
    {
      JsonObject *item = json_array_get_object_element (answer, i);
      g_autoptr(SoupMessageHeaders) part = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *related_type = NULL;

      if (json_object_has_member (item, "ok") &&
          (bytes = related_part (store, json_object_get_object_member (item, "ok"), files,
                                 &related_type, error)))
        {
          soup_message_headers_replace (part, "Content-Type", related_type);
        }
      else
        {
          char *json;

          if (error != NULL && *error != NULL)
            return FALSE;
          if (json_object_has_member (item, "ok"))
            {
              node = json_node_ref (json_object_get_member (item, "ok"));
              soup_message_headers_replace (part, "Content-Type", "application/json");
            }
          else
            {
              node = json_node_init_object (json_node_alloc (), item);
              soup_message_headers_replace (part, "Content-Type", "application/json; error=\"true\"");
            }
          json = gls_json_to_string (node);
          bytes = g_bytes_new_take (json, strlen (json));
        }
      soup_multipart_append_part (multipart, part, bytes);
    }
  body = multipart_body (multipart, headers);

  /* Cut at each file's token: bytes, a file, bytes, … */
  segments = g_ptr_array_new_with_free_func ((GDestroyNotify) _gls_peer_server_segment_free);
  text = g_bytes_get_data (body, &size);
  for (guint i = 0; i < files->len; i++)
    {
      FilePart *file = g_ptr_array_index (files, i);
      const char *at = memmem (text + offset, size - offset, file->token, strlen (file->token));

      g_assert (at != NULL);
      g_ptr_array_add (segments,
                       _gls_peer_server_segment_new_bytes (g_bytes_new_from_bytes (body, offset, at - (text + offset))));
      g_ptr_array_add (segments, _gls_peer_server_segment_new_stream (g_steal_pointer (&file->stream), file->length));
      offset = (at - text) + strlen (file->token);
    }
  g_ptr_array_add (segments, _gls_peer_server_segment_new_bytes (g_bytes_new_from_bytes (body, offset, size - offset)));
  _gls_peer_server_reply_segments (reply, SOUP_STATUS_OK, soup_message_headers_get_one (headers, "Content-Type"),
                                   segments);
  return TRUE;
}

/* A gzip part may inflate this much (a bomb makes 1,000 times its size). */
#define GZIP_MAX_RATIO 100
#define GZIP_MIN_LIMIT ((gsize) 16 << 20)

/* A gzip attachment's blob inflated into a new blob, at most `limit`
 * bytes (CouchDB sends text attachments so). */
static GlsStoreBlob *
inflate_blob (GlsStore      *store,
              GlsStoreBlob  *blob,
              gsize          limit,
              gboolean      *too_large,
              GError       **error)
{
  g_autoptr(GInputStream) file = gls_store_blob_read (blob, error);
  g_autoptr(GZlibDecompressor) decompressor = NULL;
  g_autoptr(GInputStream) inflated = NULL;
  g_autoptr(GlsStoreBlobWriter) writer = NULL;
  g_autofree guint8 *buf = NULL;
  gsize total = 0;

  *too_large = FALSE;
  if (file == NULL)
    return NULL;
  decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  inflated = g_converter_input_stream_new (file, G_CONVERTER (decompressor));
  if (!(writer = gls_store_blob_writer_new (store, error)))
    return NULL;
  buf = g_malloc (64 * 1024);
  for (;;)
    {
      gssize n = g_input_stream_read (inflated, buf, 64 * 1024, NULL, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if ((total += (gsize) n) > limit)
        {
          *too_large = TRUE;
          return NULL;
        }
      if (!gls_store_blob_writer_write (writer, buf, (gsize) n, error))
        return NULL;
    }
  return gls_store_blob_writer_finish (writer, error);
}

/* The document of a streamed multipart PUT; `follows` gets each
 * "follows" attachment's blob by name (the parts come in the order of
 * the attachments in the JSON, as CouchDB writes them). */
JsonNode *
_gls_peer_server_streamed_multipart_doc (Request    *req,
                                         GHashTable *follows)
{
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GPtrArray) blobs = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) names = NULL;
  JsonNode *atts_node;
  JsonObject *atts;
  guint next = 0;

  /* The body's last bytes, gathered but not fed yet (gls-peer-server-body.c). */
  if ((req->sink_pending != NULL &&
       !gls_multipart_sink_feed (req->sink, req->sink_pending->data, req->sink_pending->len, &error)) ||
      !gls_multipart_sink_finish (req->sink, &first, &blobs, &error))
    {
      _gls_peer_server_reply_sink_error (&req->reply, error);
      /* Its files go now, before the answer (see gls_multipart_sink_free). */
      g_clear_pointer (&req->sink, gls_multipart_sink_free);
      return NULL;
    }
  root = gls_json_from_data (g_bytes_get_data (first, NULL), g_bytes_get_size (first), NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      _gls_peer_server_reply_bad_request (&req->reply, "The first part must be a JSON document");
      return NULL;
    }
  atts_node = json_object_get_member (json_node_get_object (root), "_attachments");
  if (atts_node == NULL)
    return g_steal_pointer (&root);
  if (!JSON_NODE_HOLDS_OBJECT (atts_node))
    {
      _gls_peer_server_reply_bad_request (&req->reply, "_attachments must be an object");
      return NULL;
    }
  atts = json_node_get_object (atts_node);
  names = json_object_get_members (atts);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *att_node = json_object_get_member (atts, l->data);
      GlsStoreBlob *blob;
      JsonObject *att;
      const char *encoding;

      if (!JSON_NODE_HOLDS_OBJECT (att_node))
        {
          _gls_peer_server_reply_bad_request (&req->reply, "Each attachment must be an object");
          return NULL;
        }
      att = json_node_get_object (att_node);
      if (!json_object_get_boolean_member_with_default (att, "follows", FALSE))
        continue;
      if (next >= blobs->len)
        {
          _gls_peer_server_reply_bad_request (&req->reply, "An attachment part is missing");
          return NULL;
        }
      blob = g_steal_pointer (&g_ptr_array_index (blobs, next));
      next++;
      encoding = json_object_get_string_member_with_default (att, "encoding", NULL);
      if (encoding != NULL && g_str_equal (encoding, "gzip"))
        {
          g_autoptr(GlsStoreBlob) compressed = blob;
          /* Only text comes compressed (CouchDB's compressible types):
           * it inflates to no more than a body may hold. */
          gsize limit = MIN (req->self->max_body_size,
                             MAX (GZIP_MIN_LIMIT, GZIP_MAX_RATIO * (gsize) gls_store_blob_get_length (compressed)));
          gboolean too_large;

          if (!(blob = inflate_blob (req->store, compressed, limit, &too_large, &error)))
            {
              if (too_large)
                _gls_peer_server_reply_error (&req->reply, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                                              "An attachment inflates beyond what a body may hold");
              else
                _gls_peer_server_reply_bad_request (&req->reply, "An attachment is not valid gzip");
              return NULL;
            }
        }
      else if (encoding != NULL)
        {
          gls_store_blob_free (blob);
          _gls_peer_server_reply_error (&req->reply, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "bad_content_type",
                                        "Unsupported attachment encoding");
          return NULL;
        }
      /* The store takes digest and length from the bytes themselves. */
      json_object_remove_member (att, "encoding");
      json_object_remove_member (att, "encoded_length");
      g_hash_table_insert (follows, g_strdup (l->data), blob);
    }
  return g_steal_pointer (&root);
}
