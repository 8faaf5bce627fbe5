/* gls-endpoint-http.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-endpoint.h"

G_BEGIN_DECLS

/*
 * A database URL as a replication endpoint (libsoup's async API, in the
 * thread-default main context of the caller). Network errors and 5xx
 * answers are retried with exponential backoff and jitter (live: without
 * limit); an https URL that pins a certificate (#pin=sha256:…) accepts
 * exactly that one. As a source it fetches with `_bulk_get`, its answer
 * kept as text (GlsStoreDocBatch), or one `GET ?open_revs` per document
 * from a peer without it, and streams attachments into the target store's
 * files; as a target it takes `_bulk_docs` (halved on 413) and, unless it
 * is PouchDB, documents with big attachments as multipart/related PUTs
 * streamed from files.
 */

#define GLS_TYPE_ENDPOINT_HTTP (gls_endpoint_http_get_type ())

G_DECLARE_FINAL_TYPE (GlsEndpointHttp, gls_endpoint_http, GLS, ENDPOINT_HTTP, GObject)

/* Credentials in the URL are taken out of it, and sent as Basic auth. */
GlsEndpointHttp *gls_endpoint_http_new             (const char      *url);
/* The URL without credentials, pin nor trailing '/'. */
const char      *gls_endpoint_http_get_url         (GlsEndpointHttp *self);
/* Overrides credentials found in the URL. */
void             gls_endpoint_http_set_credentials (GlsEndpointHttp *self,
                                                    const char      *username,
                                                    const char      *password);
/* Sent as X-Glossa-Peer and X-Glossa-Name on every request, so a
 * Glossa we sync with can show who is connected (self-declared: see
 * gls-peer-client.h). NULL sends neither. */
void             gls_endpoint_http_set_identity    (GlsEndpointHttp *self,
                                                    const char      *did,
                                                    const char      *name);
void             gls_endpoint_http_set_max_retries (GlsEndpointHttp *self,
                                                    guint            max_retries);
/* A cut `_bulk_get` answer is asked again without limit. */
void             gls_endpoint_http_set_continuous  (GlsEndpointHttp *self,
                                                    gboolean         continuous);
guint            gls_endpoint_http_get_timeout     (GlsEndpointHttp *self);
void             gls_endpoint_http_set_timeout     (GlsEndpointHttp *self,
                                                    guint            seconds);
/* After a GLS_REPLICATOR_ERROR_CERTIFICATE for a pinned URL: the pin of
 * the certificate the peer presented; else NULL. */
const char      *gls_endpoint_http_get_peer_pin    (GlsEndpointHttp *self);
/* TRUE while a request waits to be sent again (notify::retrying). */
gboolean         gls_endpoint_http_get_retrying    (GlsEndpointHttp *self);
void             gls_endpoint_http_set_retrying    (GlsEndpointHttp *self,
                                                    gboolean         retrying);

G_END_DECLS
