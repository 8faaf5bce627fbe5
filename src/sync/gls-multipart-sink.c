/* gls-multipart-sink.c: a multipart body parsed as it arrives
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE  /* memmem */
#define G_LOG_DOMAIN "gls-sync"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "gls-multipart-sink.h"

#define MAX_HEADERS   (16 * 1024)  /* of one part */
#define MAX_PREAMBLE  (64 * 1024)
#define MAX_PARTS     1024

G_DEFINE_QUARK (gls-multipart-sink-error-quark, gls_multipart_sink_error)

typedef enum
{
  STATE_PREAMBLE,
  STATE_AFTER_DELIMITER,
  STATE_HEADERS,
  STATE_BODY,
  STATE_END,
} State;

struct _GlsMultipartSink
{
  GlsStore   *store;
  char       *delimiter;   /* "\r\n--boundary" */
  gsize       delimiter_len;
  gsize       max_first;
  State       state;
  GByteArray *buf;         /* bytes not yet taken */
  gsize       preamble;
  guint       n_parts;
  GByteArray *first;
  GPtrArray  *writers;     /* GlsStoreBlobWriter, one per later part */
  gboolean    failed;
};

GlsMultipartSink *
gls_multipart_sink_new (const char *content_type,
                        GlsStore   *store,
                        gsize       max_first)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  g_autoptr(GHashTable) params = NULL;
  GlsMultipartSink *sink;
  const char *boundary;

  g_return_val_if_fail (GLS_IS_STORE (store), NULL);

  soup_message_headers_replace (headers, "Content-Type", content_type);
  if (soup_message_headers_get_content_type (headers, &params) == NULL || params == NULL ||
      !(boundary = g_hash_table_lookup (params, "boundary")) ||
      strlen (boundary) == 0 || strlen (boundary) > 200)
    return NULL;

  sink = g_new0 (GlsMultipartSink, 1);
  sink->store = g_object_ref (store);
  sink->delimiter = g_strconcat ("\r\n--", boundary, NULL);
  sink->delimiter_len = strlen (sink->delimiter);
  sink->max_first = max_first;
  sink->buf = g_byte_array_new ();
  /* As if a CRLF came first: the first delimiter is then like the others. */
  g_byte_array_append (sink->buf, (const guint8 *) "\r\n", 2);
  sink->first = g_byte_array_new ();
  sink->writers = g_ptr_array_new_with_free_func ((GDestroyNotify) gls_store_blob_writer_free);
  return sink;
}

void
gls_multipart_sink_free (GlsMultipartSink *sink)
{
  if (sink == NULL)
    return;
  g_object_unref (sink->store);
  g_free (sink->delimiter);
  g_byte_array_unref (sink->buf);
  g_byte_array_unref (sink->first);
  g_ptr_array_unref (sink->writers);
  g_free (sink);
}

/* A failed sink keeps nothing: its files go now, not when it is freed
 * (maybe after its answer was sent). */
static void
fail (GlsMultipartSink *sink)
{
  sink->failed = TRUE;
  g_ptr_array_set_size (sink->writers, 0);
}

static gboolean
invalid (GlsMultipartSink  *sink,
         GError           **error,
         const char        *why)
{
  fail (sink);
  g_set_error (error, GLS_MULTIPART_SINK_ERROR, GLS_MULTIPART_SINK_ERROR_INVALID,
               "Invalid multipart/related body: %s", why);
  return FALSE;
}

/* The first `needle` in `haystack`, or -1. */
static gssize
find (const guint8 *haystack,
      gsize         len,
      const char   *needle,
      gsize         n)
{
  const guint8 *at = memmem (haystack, len, needle, n);

  return at != NULL ? at - haystack : -1;
}

/* Bytes of the current part's body. */
static gboolean
emit (GlsMultipartSink  *sink,
      const guint8      *data,
      gsize              len,
      GError           **error)
{
  if (len == 0)
    return TRUE;
  if (sink->n_parts == 1)
    {
      if (sink->first->len + len > sink->max_first)
        {
          fail (sink);
          g_set_error (error, GLS_MULTIPART_SINK_ERROR, GLS_MULTIPART_SINK_ERROR_TOO_LARGE,
                       "The document part is larger than %" G_GSIZE_FORMAT " bytes", sink->max_first);
          return FALSE;
        }
      g_byte_array_append (sink->first, data, len);
      return TRUE;
    }
  if (!gls_store_blob_writer_write (g_ptr_array_index (sink->writers, sink->writers->len - 1),
                                    data, len, error))
    {
      fail (sink);
      return FALSE;
    }
  return TRUE;
}

static gboolean
start_part (GlsMultipartSink  *sink,
            GError           **error)
{
  GlsStoreBlobWriter *writer;

  if (++sink->n_parts > MAX_PARTS)
    return invalid (sink, error, "too many parts");
  if (sink->n_parts == 1)
    return TRUE;
  if (!(writer = gls_store_blob_writer_new (sink->store, error)))
    {
      fail (sink);
      return FALSE;
    }
  g_ptr_array_add (sink->writers, writer);
  return TRUE;
}

gboolean
gls_multipart_sink_feed (GlsMultipartSink  *sink,
                         const void        *data,
                         gsize              len,
                         GError           **error)
{
  GByteArray *buf = sink->buf;

  g_return_val_if_fail (!sink->failed, FALSE);

  if (sink->state == STATE_END)
    return TRUE;  /* the epilogue: ignored */
  g_byte_array_append (buf, data, len);

  for (;;)
    {
      gssize at;

      switch (sink->state)
        {
        case STATE_PREAMBLE:
        case STATE_BODY:
          at = find (buf->data, buf->len, sink->delimiter, sink->delimiter_len);
          if (at >= 0)
            {
              if (sink->state == STATE_BODY && !emit (sink, buf->data, (gsize) at, error))
                return FALSE;
              g_byte_array_remove_range (buf, 0, (guint) at + sink->delimiter_len);
              sink->state = STATE_AFTER_DELIMITER;
              continue;
            }
          /* Keep what could be the start of a delimiter. */
          if (buf->len >= sink->delimiter_len)
            {
              gsize take = buf->len - (sink->delimiter_len - 1);

              if (sink->state == STATE_BODY && !emit (sink, buf->data, take, error))
                return FALSE;
              if (sink->state == STATE_PREAMBLE && (sink->preamble += take) > MAX_PREAMBLE)
                return invalid (sink, error, "no boundary");
              g_byte_array_remove_range (buf, 0, (guint) take);
            }
          return TRUE;

        case STATE_AFTER_DELIMITER:
          if (buf->len < 2)
            return TRUE;
          if (memcmp (buf->data, "--", 2) == 0)
            {
              sink->state = STATE_END;
              g_byte_array_set_size (buf, 0);
              return TRUE;
            }
          if (memcmp (buf->data, "\r\n", 2) != 0)
            return invalid (sink, error, "a boundary is not followed by CRLF");
          g_byte_array_remove_range (buf, 0, 2);
          if (!start_part (sink, error))
            return FALSE;
          sink->state = STATE_HEADERS;
          continue;

        case STATE_HEADERS:
          if (buf->len >= 2 && memcmp (buf->data, "\r\n", 2) == 0)
            {
              g_byte_array_remove_range (buf, 0, 2);  /* a part without headers */
              sink->state = STATE_BODY;
              continue;
            }
          at = find (buf->data, buf->len, "\r\n\r\n", 4);
          if (at < 0)
            {
              if (buf->len > MAX_HEADERS)
                return invalid (sink, error, "a part's headers are too long");
              return TRUE;
            }
          g_byte_array_remove_range (buf, 0, (guint) at + 4);
          sink->state = STATE_BODY;
          continue;

        case STATE_END:
        default:
          g_byte_array_set_size (buf, 0);
          return TRUE;
        }
    }
}

gboolean
gls_multipart_sink_finish (GlsMultipartSink  *sink,
                           GBytes           **first,
                           GPtrArray        **blobs,
                           GError           **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) gls_store_blob_free);

  g_return_val_if_fail (!sink->failed, FALSE);

  if (sink->state != STATE_END || sink->n_parts == 0)
    return invalid (sink, error, "it ends before its closing boundary");
  for (guint i = 0; i < sink->writers->len; i++)
    {
      GlsStoreBlob *blob = gls_store_blob_writer_finish (g_ptr_array_index (sink->writers, i), error);

      if (blob == NULL)
        {
          fail (sink);
          return FALSE;
        }
      g_ptr_array_add (out, blob);
    }
  *first = g_bytes_new (sink->first->data, sink->first->len);
  *blobs = g_steal_pointer (&out);
  return TRUE;
}
