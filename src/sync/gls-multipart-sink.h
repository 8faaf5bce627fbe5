/* gls-multipart-sink.h: a multipart body parsed as it arrives
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-store.h"

G_BEGIN_DECLS

/* Takes a multipart/related body (CouchDB's document PUT: the JSON, then
 * one part per "follows" attachment) in pieces as they come off the
 * network: the first part is kept in memory (at most `max_first` bytes),
 * every later part is written straight into a blob of the store, never
 * whole in memory. The closing delimiter may end without CRLF, as
 * CouchDB's replicator sends it. */
typedef struct _GlsMultipartSink GlsMultipartSink;

typedef enum
{
  GLS_MULTIPART_SINK_ERROR_INVALID,    /* not a multipart body of that boundary */
  GLS_MULTIPART_SINK_ERROR_TOO_LARGE,  /* the first part passed max_first */
} GlsMultipartSinkError;

#define GLS_MULTIPART_SINK_ERROR (gls_multipart_sink_error_quark ())
GQuark gls_multipart_sink_error_quark (void);

/* NULL when the content type has no usable boundary. */
GlsMultipartSink *gls_multipart_sink_new    (const char        *content_type,
                                             GlsStore          *store,
                                             gsize              max_first);
gboolean          gls_multipart_sink_feed   (GlsMultipartSink  *sink,
                                             const void        *data,
                                             gsize              len,
                                             GError           **error);
/* After the last piece: the first part's bytes and the later parts as
 * blobs (GlsStoreBlob, synced; owned by the array), in order. Fails when
 * the body did not end with its closing delimiter. */
gboolean          gls_multipart_sink_finish (GlsMultipartSink  *sink,
                                             GBytes           **first,
                                             GPtrArray        **blobs,
                                             GError           **error);
void              gls_multipart_sink_free   (GlsMultipartSink  *sink);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsMultipartSink, gls_multipart_sink_free)

G_END_DECLS
