/* gls-peer-server.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gls-store.h"

G_BEGIN_DECLS

/*
 * GlsPeerServer: serves GlsStore databases over the CouchDB replication
 * protocol (see shared/reference/couchdb-replication.md, section 1), with
 * CouchDB's JSON, status codes and {"error","reason"} bodies:
 *
 *   GET /                      server uuid (stable: see load_uuid)
 *   GET|HEAD|PUT /{db}[/]      info; create only through the create func
 *   GET|PUT|DELETE /{db}/_local/{id}
 *   GET|POST /{db}/_changes    normal, longpoll, continuous; since, limit,
 *                              style=all_docs, timeout, heartbeat,
 *                              filter=_doc_ids
 *   POST /{db}/_revs_diff, _bulk_docs, _bulk_get, _all_docs (keys),
 *        _ensure_full_commit
 *   GET /{db}/{id}             rev, revs, conflicts, attachments, latest,
 *                              atts_since, open_revs (JSON, or
 *                              multipart/mixed when Accept asks for it)
 *   PUT /{db}/{id}             JSON or multipart/related, new_edits
 *   GET /{db}/{id}/{att}       raw attachment
 *   anything else under /_    404 (so POST /_session says "no sessions")
 *
 * Path segments are percent-decoded here (SoupServer:raw-paths), so "%2F"
 * stays inside an id while "_local/" and "_design/" keep their slash.
 *
 * The stores must emit ::changed in the server's main context (open them
 * in the thread that calls listen).
 *
 * Threading: the server runs in the main context that is the thread-default
 * when gls_peer_server_listen() is called (the GUI's main thread is fine).
 * Every request that touches a store is paused, handled in a GTask worker
 * thread (the store's calls block on SQLite) and unpaused with its answer.
 * A longpoll that finds nothing waits on the server's thread for
 * GlsStore::changed, writes heartbeat newlines, and queries in a worker.
 * Only PUT /{db} runs its create callback on the server's thread.
 * Request bodies are buffered in memory, up to max-body-size (413 above).
 *
 * Hostile peers: a refusal before the body (a declared length over
 * max-body-size, no key) is answered at once, not after the body; a
 * document over 8,000,000 bytes without its attachment data gets 413
 * document_too_large as soon as that much of it arrived; a gzip
 * attachment counts as what it inflates to (at most 100 times its size);
 * ids in paths must be UTF-8. The server accepts connections itself
 * (see gls-peer-server-connections.c): one a client closes is closed,
 * one that waits for a request longer than the idle timeout (60 s), or
 * for the rest of its headers longer than the headers timeout (10 s), is
 * closed; at the descriptor limit, waiting connections are closed and a
 * peer that cannot be accepted gets 503.
 *
 * Access: a database given keys (set_keys) needs one in HTTP Basic auth,
 * as the password, with any user name (share links say "peer"):
 * http://peer:KEY@host:port/db. No key or a wrong one gets 401
 * unauthorized with WWW-Authenticate: Basic realm="glossa". The read-only
 * key reads: GET, HEAD, and POST _changes, _revs_diff, _bulk_get,
 * _all_docs, _ensure_full_commit (which writes nothing); anything else
 * (PUT, DELETE, POST _bulk_docs, PUT _local, other methods) gets 403
 * forbidden. PouchDB pulling from a read-only source gets 403 on its
 * source checkpoint and carries on without it. Keys are compared in
 * constant time. A database without keys, GET / and everything under /_
 * stay open (POST /_session is 404, so replicators fall back to Basic).
 */

#define GLS_PEER_SERVER_ERROR (gls_peer_server_error_quark ())

typedef enum
{
  GLS_PEER_SERVER_ERROR_FAILED,
  GLS_PEER_SERVER_ERROR_INVALID_NAME,
} GlsPeerServerError;

/* PouchDB pushes 100 documents per _bulk_docs, attachments inline in
 * base64: 100 design files of 1 MB already make 133 MB (64 MB refused
 * them all). CouchDB 3 allows 4 GB. */
#define GLS_PEER_SERVER_DEFAULT_MAX_BODY ((gsize) 1 << 30)

#define GLS_TYPE_PEER_SERVER (gls_peer_server_get_type ())

G_DECLARE_FINAL_TYPE (GlsPeerServer, gls_peer_server, GLS, PEER_SERVER, GObject)

/* Called for PUT /{db} on a database the server does not serve. Returns a
 * new store (the server adds it) or NULL with an error; without a callback
 * the request gets 403 forbidden. */
typedef GlsStore *(*GlsPeerServerCreateFunc) (GlsPeerServer  *server,
                                              const char     *db_name,
                                              gpointer        user_data,
                                              GError        **error);

GQuark         gls_peer_server_error_quark       (void);

/* `uuid` NULL makes a random one; pass a stable one (see load_uuid). */
GlsPeerServer *gls_peer_server_new               (const char              *uuid);
/* Reads the 32-hex-digit uuid kept in `path`, creating the file if needed. */
char          *gls_peer_server_load_uuid         (const char              *path,
                                                  GError                 **error);
gboolean       gls_peer_server_is_valid_db_name  (const char              *name);

const char    *gls_peer_server_get_uuid          (GlsPeerServer           *self);
gsize          gls_peer_server_get_max_body_size (GlsPeerServer           *self);
void           gls_peer_server_set_max_body_size (GlsPeerServer           *self,
                                                  gsize                    max_body_size);

gboolean       gls_peer_server_add_database      (GlsPeerServer           *self,
                                                  const char              *name,
                                                  GlsStore                *store,
                                                  GError                 **error);
void           gls_peer_server_remove_database   (GlsPeerServer           *self,
                                                  const char              *name);
GlsStore      *gls_peer_server_get_database      (GlsPeerServer           *self,
                                                  const char              *name);
/* `key` reads and writes, `read_only_key` (or NULL) only reads; key NULL
 * opens the database to anyone again. The name need not be served yet. */
void           gls_peer_server_set_keys          (GlsPeerServer           *self,
                                                  const char              *name,
                                                  const char              *key,
                                                  const char              *read_only_key);
/* 32 random bytes (getrandom) in base64url without padding: 43 chars. */
char          *gls_peer_server_generate_key      (void);
void           gls_peer_server_set_create_func   (GlsPeerServer           *self,
                                                  GlsPeerServerCreateFunc  func,
                                                  gpointer                 user_data,
                                                  GDestroyNotify           destroy);

/* A certificate with its private key (see gls_tls_load_certificate):
 * listen speaks HTTPS with it. NULL (the default): plain HTTP. Set it
 * before listening. */
void           gls_peer_server_set_tls_certificate (GlsPeerServer     *self,
                                                    GTlsCertificate   *certificate);
GTlsCertificate *gls_peer_server_get_tls_certificate (GlsPeerServer   *self);

/* Seconds a connection may wait for a request, and for the rest of its
 * headers once the first byte came (defaults 60 and 10). */
void           gls_peer_server_set_timeouts      (GlsPeerServer           *self,
                                                  guint                    idle_timeout,
                                                  guint                    headers_timeout);

/* Listens on `address` (e.g. "127.0.0.1"); port 0 picks a free port. */
gboolean       gls_peer_server_listen            (GlsPeerServer           *self,
                                                  const char              *address,
                                                  guint                    port,
                                                  GError                 **error);
guint          gls_peer_server_get_port          (GlsPeerServer           *self);
/* "http://ADDRESS:PORT/" (https with a certificate), or NULL when not
 * listening. */
char          *gls_peer_server_dup_uri           (GlsPeerServer           *self);
/* Who is connected: a GListModel of GlsPeerClient (gls-peer-client.h),
 * each listed from its first request a database let in, for as long as
 * one of its connections is open (a client closes it, or it sat idle for
 * the idle timeout). set_clients, before listening, makes the server keep
 * them in `store` (shared by several servers). */
GListModel    *gls_peer_server_get_clients       (GlsPeerServer           *self);
void           gls_peer_server_set_clients       (GlsPeerServer           *self,
                                                  GListStore              *store);
/* Closes every connection; waiting feeds are dropped. */
void           gls_peer_server_disconnect        (GlsPeerServer           *self);

G_END_DECLS
