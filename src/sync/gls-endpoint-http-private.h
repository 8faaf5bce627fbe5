/* gls-endpoint-http-private.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "gls-endpoint-http.h"

G_BEGIN_DECLS

struct _GlsEndpointHttp
{
  GObject             parent_instance;

  SoupSession        *session;
  char               *url;          /* without credentials nor trailing '/' */
  char               *auth_header;  /* "Basic …" or NULL */
  char               *peer_did;     /* X-Glossa-Peer, or NULL */
  char               *peer_name;    /* X-Glossa-Name (percent-encoded), or NULL */
  char               *pin;          /* "sha256:…" from the URL's #pin=, or NULL */
  GError             *pin_error;    /* the URL's pin is unusable: every request fails */
  char               *seen_pin;     /* what the peer presented instead of the pin */
  GSocketConnectable *ip_identity;  /* pinned https to an IPv6 literal: a stand-in */
  guint               max_retries;
  gboolean            continuous;
  gboolean            live;
  gboolean            retrying;

  gboolean            no_bulk_get;
  gboolean            multipart;    /* takes multipart/related PUTs (not PouchDB) */
  char               *log_rev;      /* of our `_local` checkpoint there */
};

/* Requests with retries (gls-endpoint-http-request.c). Their GTask's
 * source object is the endpoint; a request with a cancellable is retried
 * without limit when live. */

/* `path` is appended to the database URL ("" for the database itself);
 * `body` (nullable, JSON text) is taken. `raw`: a 200 answer is kept as
 * bytes, unparsed (_gls_endpoint_http_steal_bytes). */
void          _gls_endpoint_http_request_bytes  (GlsEndpointHttp      *self,
                                                 const char           *method,
                                                 const char           *path,
                                                 GBytes               *body,
                                                 gboolean              raw,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
void          _gls_endpoint_http_request        (GlsEndpointHttp      *self,
                                                 const char           *method,
                                                 const char           *path,
                                                 JsonNode             *body,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
/* GET `path` (an attachment) into a new blob of `store`, at most `limit`
 * bytes (-1: no limit). */
void          _gls_endpoint_http_request_blob   (GlsEndpointHttp      *self,
                                                 const char           *path,
                                                 GlsStore             *store,
                                                 gint64                limit,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
/* PUT a document with its attachments from their files in `store`, as
 * CouchDB's replicator does (multipart/related, new_edits=false). */
void          _gls_endpoint_http_request_put_doc (GlsEndpointHttp     *self,
                                                 JsonObject           *doc,
                                                 GlsStore             *store,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
/* The JSON (owned) and status, or NULL with an error. */
JsonNode     *_gls_endpoint_http_finish         (GAsyncResult         *result,
                                                 guint                *status,
                                                 GError              **error);
/* The blob (owned) of a 200 answer; NULL with *status for others. */
GlsStoreBlob *_gls_endpoint_http_finish_blob    (GAsyncResult         *result,
                                                 guint                *status,
                                                 GError              **error);
/* A raw request's 200 answer, unparsed (NULL for other answers). */
GBytes       *_gls_endpoint_http_steal_bytes    (GAsyncResult         *result);
GError       *_gls_endpoint_http_status_error   (guint                 status,
                                                 JsonNode             *json,
                                                 const char           *what);

/* Helpers of the endpoint's operations (gls-endpoint-http.c), and the
 * operations on the changes feed (gls-endpoint-http-changes.c). */
JsonObject   *_gls_endpoint_http_expect_object  (JsonNode             *json,
                                                 guint                 status,
                                                 const char           *doing,
                                                 const char           *endpoint,
                                                 GError              **error);
void          _gls_endpoint_http_task_fail      (GTask                *task,
                                                 GError               *error);
JsonNode     *_gls_endpoint_http_take_answer    (GTask                *task,
                                                 GAsyncResult         *result,
                                                 guint                *status);
void          _gls_endpoint_http_changes_async  (GlsEndpoint          *endpoint,
                                                 JsonNode             *since,
                                                 guint                 limit,
                                                 gboolean              live,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
void          _gls_endpoint_http_revs_diff_async (GlsEndpoint        *endpoint,
                                                 GlsStoreRevsList     *request,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);

G_END_DECLS
