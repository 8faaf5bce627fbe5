/* gls-replicator.h
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
 * GlsReplicator: replicates between a local GlsStore and a remote database
 * URL (or another store: gls_replicator_new_local) over the CouchDB
 * replication protocol (see
 * shared/reference/couchdb-replication.md): checkpoints in `_local/<repid>`
 * on both sides, `_changes` (style=all_docs) in batches, `_revs_diff` on
 * the target, `_bulk_get` (or `GET doc?open_revs=…` when the peer has no
 * `_bulk_get`) and `_bulk_docs` with new_edits false.
 *
 * A run reads from a source endpoint and writes into a target (see
 * gls-endpoint.h: a store's, gls-endpoint-local.c, or a URL's,
 * gls-endpoint-http.c); pulling, the URL is the source.
 *
 * HTTP runs with libsoup's async API in the main context that is the
 * thread-default when run_async is called; store calls (and the parsing
 * of `_bulk_get` answers) run in GTask worker threads. A pulled
 * `_bulk_get` answer is not turned into JSON objects: its documents go to
 * the store as text (GlsStoreDocBatch), so a pull from a Glossa peer
 * writes the bytes it was sent. Batches are
 * pipelined: while one is written and checkpointed, the next one is read
 * from the source (in live mode, one at a time). A write that started, and
 * its checkpoints, finish even when the run is cancelled or the other half
 * fails; the run then ends with the first error. Network errors and 5xx
 * answers are retried with exponential backoff and jitter. A push batch the
 * target refuses as too large (413) is sent again in halves, down to one
 * document. Credentials may be in the URL
 * (http://user:pass@host:port/db) or set apart; both are sent as Basic auth.
 *
 * An https URL whose fragment pins a certificate (#pin=sha256:…, see
 * gls-tls.h; the fragment is left out of requests and of the replication
 * id) accepts exactly that certificate and no CA's; any other fails the
 * run, before a request is sent on it, with GLS_REPLICATOR_ERROR_CERTIFICATE
 * naming both fingerprints. Without a pin the system's CAs decide.
 *
 * With :continuous TRUE, run_async does not finish after the first pass:
 * the replicator goes LIVE and follows the source (a longpoll `_changes`
 * feed when pulling, GlsStore::changed when pushing) until cancelled,
 * retrying network errors without limit; it then finishes with
 * G_IO_ERROR_CANCELLED and the state goes back to IDLE.
 *
 * docs-read and docs-written count revisions (a conflicted document counts
 * once per leaf), as soon as a batch is in the target (before its
 * checkpoint); pending is the source's `pending` from the last _changes.
 * After an error, state is ERROR and error-message says why.
 *
 * retrying is TRUE while a request waits to be sent again after a network
 * error or a 5xx answer (the peer cannot be reached; state stays SYNCING
 * or LIVE), and FALSE again once the peer answers or a new connection to
 * it succeeds.
 */

#define GLS_REPLICATOR_ERROR (gls_replicator_error_quark ())

typedef enum
{
  GLS_REPLICATOR_ERROR_FAILED,     /* unexpected HTTP status */
  GLS_REPLICATOR_ERROR_NOT_FOUND,  /* the remote database does not exist */
  GLS_REPLICATOR_ERROR_PROTOCOL,   /* malformed or unexpected JSON */
  GLS_REPLICATOR_ERROR_NETWORK,    /* gave up after retries */
  GLS_REPLICATOR_ERROR_UNAUTHORIZED, /* HTTP 401: no key or a wrong one */
  GLS_REPLICATOR_ERROR_FORBIDDEN,  /* HTTP 403: e.g. writing with a read-only key */
  GLS_REPLICATOR_ERROR_CERTIFICATE, /* the peer's TLS certificate is not the pinned
                                       one, or (no pin) not trusted; not retried */
} GlsReplicatorError;

typedef enum
{
  GLS_REPLICATOR_DIRECTION_PULL, /* remote -> local */
  GLS_REPLICATOR_DIRECTION_PUSH, /* local -> remote */
} GlsReplicatorDirection;

typedef enum
{
  GLS_REPLICATOR_STATE_IDLE,
  GLS_REPLICATOR_STATE_SYNCING,
  GLS_REPLICATOR_STATE_LIVE,
  GLS_REPLICATOR_STATE_ERROR,
} GlsReplicatorState;

/* Documents per _changes page (and _bulk_get, _bulk_docs): as many as
 * CouchDB's replicator has in flight (4 workers of 500), in one pipeline.
 * Pulling 20,002 annotations as commands took 1.04 s with batches of 500,
 * 0.87 s with 1000, 0.82 s with 2000 and 0.89 s with 4000 (fewer round
 * trips, and fewer commits rewriting the same index pages;
 * tests/bench/bench-sync.c, BENCH_SYNC_BATCH). Attachment data is bounded
 * by bytes apart from this (files stream, pushes stop at 16 MiB). */
#define GLS_REPLICATOR_DEFAULT_BATCH_SIZE 2000

#define GLS_TYPE_REPLICATOR_DIRECTION (gls_replicator_direction_get_type ())
#define GLS_TYPE_REPLICATOR_STATE (gls_replicator_state_get_type ())
#define GLS_TYPE_REPLICATOR (gls_replicator_get_type ())

GType gls_replicator_direction_get_type (void);
GType gls_replicator_state_get_type     (void);

G_DECLARE_FINAL_TYPE (GlsReplicator, gls_replicator, GLS, REPLICATOR, GObject)

GQuark              gls_replicator_error_quark        (void);

GlsReplicator      *gls_replicator_new                (GlsStore               *local,
                                                       const char             *remote_url,
                                                       GlsReplicatorDirection  direction);
/* From one store into another, without HTTP (direction PUSH, no URL). */
GlsReplicator      *gls_replicator_new_local          (GlsStore               *source,
                                                       GlsStore               *target);

/* Overrides credentials found in the URL. */
void                gls_replicator_set_credentials    (GlsReplicator          *self,
                                                       const char             *username,
                                                       const char             *password);
/* Who we are, for the peer's list of who is connected (a did:key and a
 * display name; self-declared, shown, never trusted: gls-peer-client.h). */
void                gls_replicator_set_identity       (GlsReplicator          *self,
                                                       const char             *did,
                                                       const char             *name);
guint               gls_replicator_get_batch_size     (GlsReplicator          *self);
void                gls_replicator_set_batch_size     (GlsReplicator          *self,
                                                       guint                   batch_size);
gboolean            gls_replicator_get_continuous     (GlsReplicator          *self);
void                gls_replicator_set_continuous     (GlsReplicator          *self,
                                                       gboolean                continuous);
/* Retries after a network error or 5xx before giving up (default 5). */
/* At most this often while catching up (default 1000 ms; 0: every batch). */
void                gls_replicator_set_checkpoint_interval (GlsReplicator     *self,
                                                       guint                   ms);
void                gls_replicator_set_max_retries    (GlsReplicator          *self,
                                                       guint                   max_retries);

GlsReplicatorDirection gls_replicator_get_direction   (GlsReplicator          *self);
/* The URL without credentials; NULL from gls_replicator_new_local. */
const char         *gls_replicator_get_remote_url     (GlsReplicator          *self);
/* md5 hex of local uuid + remote URL + direction; set once a run started. */
const char         *gls_replicator_get_replication_id (GlsReplicator          *self);
GlsReplicatorState  gls_replicator_get_state          (GlsReplicator          *self);
const char         *gls_replicator_get_error_message  (GlsReplicator          *self);
/* Counters of the current (or last) run. */
gint64              gls_replicator_get_docs_read      (GlsReplicator          *self);
gint64              gls_replicator_get_docs_written   (GlsReplicator          *self);
gint64              gls_replicator_get_pending        (GlsReplicator          *self);
gboolean            gls_replicator_get_retrying       (GlsReplicator          *self);
/* After a GLS_REPLICATOR_ERROR_CERTIFICATE for a pinned URL: the pin
 * ("sha256:…") of the certificate the peer presented; else NULL. */
const char         *gls_replicator_get_peer_pin       (GlsReplicator          *self);

/* One run at a time. */
void                gls_replicator_run_async          (GlsReplicator          *self,
                                                       GCancellable           *cancellable,
                                                       GAsyncReadyCallback     callback,
                                                       gpointer                user_data);
gboolean            gls_replicator_run_finish         (GlsReplicator          *self,
                                                       GAsyncResult           *result,
                                                       GError                **error);

G_END_DECLS
