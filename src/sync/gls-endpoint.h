/* gls-endpoint.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "gls-store.h"

G_BEGIN_DECLS

/*
 * GlsEndpoint: one side of a replication, as GlsReplicator sees it: a
 * database it reads from (the source) or writes into (the target), in the
 * terms of the CouchDB replication protocol. GlsEndpointLocal is a
 * GlsStore (its blocking calls in GTask threads), GlsEndpointHttp a
 * database URL (libsoup, retries, TLS pinning, streamed attachments, the
 * `_bulk_get` text fast path).
 *
 * Every operation is an _async/_finish pair on a GTask whose source object
 * is the endpoint; the finish functions are this file's, for all of them.
 * Errors are in GLS_REPLICATOR_ERROR (or the store's or GIO's domain).
 */

#define GLS_TYPE_ENDPOINT (gls_endpoint_get_type ())

G_DECLARE_INTERFACE (GlsEndpoint, gls_endpoint, GLS, ENDPOINT, GObject)

/* Revisions read from a source, to write into a target. */
typedef struct
{
  JsonArray        *docs;        /* JSON objects, attachments inline or stubs the target has */
  GlsStoreDocBatch *text;        /* or documents as text (from `_bulk_get`); nullable */
  GHashTable       *blobs;       /* digest -> GlsStoreBlob of the target's store: fetched
                                    attachment data for the stubs; nullable */
  JsonArray        *file_docs;   /* documents whose big attachments are stubs... ; nullable */
  GlsStore         *file_store;  /* ...with their data in this store's files */
} GlsEndpointBatch;

/* One `_changes` batch (style=all_docs), as the replicator reads it. */
typedef struct
{
  GlsStoreRevsList *rows;         /* each changed document: its id and leaf revs */
  JsonNode         *last_seq;     /* the answer's last_seq; when there are rows and it
                                     is null or absent, the last row's seq; nullable */
  gboolean          has_pending;  /* the source said how many changes are left... */
  gint64            pending;      /* ...so many */
} GlsEndpointChanges;

struct _GlsEndpointInterface
{
  GTypeInterface parent_iface;

  /* What names the database in the replication id. */
  const char *(*get_id)           (GlsEndpoint         *self);
  /* The store behind the endpoint, or NULL. */
  GlsStore   *(*get_store)        (GlsEndpoint         *self);
  /* Whether the target takes documents with attachment stubs and their
   * data streamed from files (file_docs), once opened. */
  gboolean    (*takes_files)      (GlsEndpoint         *self);
  /* Following the source without end: retry without limit. */
  void        (*set_live)         (GlsEndpoint         *self,
                                   gboolean             live);

  void (*open_async)              (GlsEndpoint         *self,
                                   gboolean             create,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
  void (*get_checkpoint_async)    (GlsEndpoint         *self,
                                   const char          *id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
  void (*put_checkpoint_async)    (GlsEndpoint         *self,
                                   const char          *id,
                                   JsonObject          *doc,
                                   gboolean             best_effort,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
  void (*changes_async)           (GlsEndpoint         *self,
                                   JsonNode            *since,
                                   guint                limit,
                                   gboolean             live,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
  void (*revs_diff_async)         (GlsEndpoint         *self,
                                   GlsStoreRevsList    *revs,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
  void (*fetch_async)             (GlsEndpoint         *self,
                                   GlsStoreRevsList    *missing,
                                   GlsEndpoint         *target,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
  void (*write_async)             (GlsEndpoint         *self,
                                   GlsEndpointBatch    *batch,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
};

const char       *gls_endpoint_get_id              (GlsEndpoint         *self);
GlsStore         *gls_endpoint_get_store           (GlsEndpoint         *self);
gboolean          gls_endpoint_takes_files         (GlsEndpoint         *self);
void              gls_endpoint_set_live            (GlsEndpoint         *self,
                                                    gboolean             live);

/* The database info; a missing database is made when `create`, else an
 * error (GLS_REPLICATOR_ERROR_NOT_FOUND). */
void              gls_endpoint_open_async          (GlsEndpoint         *self,
                                                    gboolean             create,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean          gls_endpoint_open_finish         (GlsEndpoint         *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* `_local/<id>`, or NULL without an error when there is none. */
void              gls_endpoint_get_checkpoint_async (GlsEndpoint        *self,
                                                    const char          *id,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
JsonObject       *gls_endpoint_get_checkpoint_finish (GlsEndpoint       *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* Writes `doc` (copied; the endpoint sets its _rev) as `_local/<id>`.
 * `best_effort`: a database that refuses it (a read-only source) is no
 * error. */
void              gls_endpoint_put_checkpoint_async (GlsEndpoint        *self,
                                                    const char          *id,
                                                    JsonObject          *doc,
                                                    gboolean             best_effort,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean          gls_endpoint_put_checkpoint_finish (GlsEndpoint       *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* One `_changes` batch (style=all_docs) after `since`, checked: every
 * row has an id and its revs (else GLS_REPLICATOR_ERROR_PROTOCOL,
 * "_changes (bad row)"…). `live`: waits for a change when there is none
 * (a longpoll feed, GlsStore::changed). */
void              gls_endpoint_changes_async       (GlsEndpoint         *self,
                                                    JsonNode            *since,
                                                    guint                limit,
                                                    gboolean             live,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GlsEndpointChanges *gls_endpoint_changes_finish    (GlsEndpoint         *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* `_revs_diff`: of `revs` (a ref is taken), the revisions it lacks; ids
 * with none are left out. */
void              gls_endpoint_revs_diff_async     (GlsEndpoint         *self,
                                                    GlsStoreRevsList    *revs,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GlsStoreRevsList *gls_endpoint_revs_diff_finish    (GlsEndpoint         *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* The revisions `missing` names (a target's `_revs_diff` answer; a ref
 * is taken), with _revisions, in the form `target` takes
 * (gls_endpoint_get_store, gls_endpoint_takes_files). */
void              gls_endpoint_fetch_async         (GlsEndpoint         *self,
                                                    GlsStoreRevsList    *missing,
                                                    GlsEndpoint         *target,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GlsEndpointBatch *gls_endpoint_fetch_finish        (GlsEndpoint         *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* Writes the batch with new_edits false. Returns how many documents the
 * target refused and skipped (its validation said no), or -1 and an
 * error; any other refusal is an error. */
void              gls_endpoint_write_async         (GlsEndpoint         *self,
                                                    GlsEndpointBatch    *batch,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gint64            gls_endpoint_write_finish        (GlsEndpoint         *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

GlsEndpointBatch *gls_endpoint_batch_new           (void);
guint             gls_endpoint_batch_get_length    (GlsEndpointBatch    *batch);
void              gls_endpoint_batch_free          (GlsEndpointBatch    *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsEndpointBatch, gls_endpoint_batch_free)

void              gls_endpoint_changes_free        (GlsEndpointChanges  *changes);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsEndpointChanges, gls_endpoint_changes_free)

G_END_DECLS
