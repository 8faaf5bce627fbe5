/* gls-concat-stream.c: streams read one after the other
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-sync"

#include "config.h"

#include "gls-concat-stream.h"

/* A request body made of pieces (a multipart document PUT: text, an
 * attachment's file, text…), read in turn, so that the files never sit
 * in memory. libsoup reads it asynchronously, which for a stream like
 * this runs the reads in a worker thread. */
struct _GlsConcatStream
{
  GInputStream  parent_instance;

  GPtrArray    *streams;
  guint         current;
};

G_DEFINE_FINAL_TYPE (GlsConcatStream, gls_concat_stream, G_TYPE_INPUT_STREAM)

static gssize
gls_concat_stream_read (GInputStream  *stream,
                        void          *buffer,
                        gsize          count,
                        GCancellable  *cancellable,
                        GError       **error)
{
  GlsConcatStream *self = GLS_CONCAT_STREAM (stream);

  while (self->current < self->streams->len)
    {
      gssize n = g_input_stream_read (g_ptr_array_index (self->streams, self->current),
                                      buffer, count, cancellable, error);

      if (n != 0)
        return n;  /* bytes, or -1 with the error */
      self->current++;
    }
  return 0;
}

static gboolean
gls_concat_stream_close (GInputStream  *stream,
                         GCancellable  *cancellable,
                         GError       **error)
{
  GlsConcatStream *self = GLS_CONCAT_STREAM (stream);
  gboolean ok = TRUE;

  for (guint i = 0; i < self->streams->len; i++)
    if (!g_input_stream_close (g_ptr_array_index (self->streams, i), cancellable,
                               ok ? error : NULL))
      ok = FALSE;
  return ok;
}

static void
gls_concat_stream_finalize (GObject *object)
{
  GlsConcatStream *self = GLS_CONCAT_STREAM (object);

  g_ptr_array_unref (self->streams);
  G_OBJECT_CLASS (gls_concat_stream_parent_class)->finalize (object);
}

static void
gls_concat_stream_class_init (GlsConcatStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = gls_concat_stream_finalize;
  stream_class->read_fn = gls_concat_stream_read;
  stream_class->close_fn = gls_concat_stream_close;
}

static void
gls_concat_stream_init (GlsConcatStream *self)
{
  self->streams = g_ptr_array_new_with_free_func (g_object_unref);
}

GInputStream *
gls_concat_stream_new (void)
{
  return g_object_new (GLS_TYPE_CONCAT_STREAM, NULL);
}

/* Appends `stream` (taken). */
void
gls_concat_stream_add (GlsConcatStream *self,
                       GInputStream    *stream)
{
  g_return_if_fail (GLS_IS_CONCAT_STREAM (self));
  g_return_if_fail (G_IS_INPUT_STREAM (stream));

  g_ptr_array_add (self->streams, stream);
}

void
gls_concat_stream_add_bytes (GlsConcatStream *self,
                             GBytes          *bytes)
{
  gls_concat_stream_add (self, g_memory_input_stream_new_from_bytes (bytes));
}
