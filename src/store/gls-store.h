/* gls-store.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "gls-json-parser.h"

G_BEGIN_DECLS

/*
 * GlsStore: a document store with CouchDB semantics on one SQLite file.
 *
 * Generic: it knows nothing of annotations. Documents are JSON objects in
 * CouchDB's wire form (`_id`, `_rev`, `_deleted`, `_revisions`,
 * `_attachments`), so the sync layer can hand them straight to the network.
 *
 * Every function may be called from any thread; each write is one SQLite
 * transaction. The ::changed signal (gint64 update_seq) is always emitted in
 * the main context that was the thread-default when the store was opened,
 * after this process commits a write and when another process or handle
 * writes the same file; bursts are coalesced.
 *
 * Rev ids are "N-<32 lowercase hex>"; anything else is BAD_REQUEST. A new
 * revision's hash is the MD5 of its parent rev, deleted flag, canonical
 * body (keys sorted) and attachment digests: the same edit gives the same
 * rev on every peer. Ids starting with "_local/" are routed to the _local
 * documents by bulk_docs, put and get.
 */

#define GLS_STORE_ERROR (gls_store_error_quark ())

typedef enum
{
  GLS_STORE_ERROR_NOT_FOUND,     /* 404 not_found */
  GLS_STORE_ERROR_CONFLICT,      /* 409 conflict */
  GLS_STORE_ERROR_BAD_REQUEST,   /* 400 bad_request: invalid id, rev or body */
  GLS_STORE_ERROR_MISSING_STUB,  /* 412 missing_stub: attachment stub with no data */
  GLS_STORE_ERROR_CORRUPT,       /* the database file is not a Glossa store */
  GLS_STORE_ERROR_IO,            /* disk full, read-only, I/O error */
} GlsStoreError;

typedef enum
{
  GLS_STORE_GET_NONE        = 0,
  GLS_STORE_GET_REVS        = 1 << 0, /* add _revisions */
  GLS_STORE_GET_CONFLICTS   = 1 << 1, /* add _conflicts (non-deleted losing leaves) */
  GLS_STORE_GET_ATTACHMENTS = 1 << 2, /* inline attachment data (base64) instead of stubs */
  GLS_STORE_GET_LATEST      = 1 << 3, /* open_revs: a non-leaf rev answers with its leaves */
  GLS_STORE_GET_DELETED_OK  = 1 << 4, /* a deleted winner is returned, not NOT_FOUND */
} GlsStoreGetFlags;

#define GLS_TYPE_STORE (gls_store_get_type ())

G_DECLARE_FINAL_TYPE (GlsStore, gls_store, GLS, STORE, GObject)

GQuark      gls_store_error_quark             (void);

GlsStore   *gls_store_open                    (const char        *path,
                                               GError           **error);
const char *gls_store_get_path                (GlsStore          *self);
const char *gls_store_get_uuid                (GlsStore          *self);
const char *gls_store_get_instance_start_time (GlsStore          *self);
gint64      gls_store_get_update_seq          (GlsStore          *self);
gint64      gls_store_get_doc_count           (GlsStore          *self);
gint64      gls_store_get_doc_del_count       (GlsStore          *self);
guint       gls_store_get_revs_limit          (GlsStore          *self);
void        gls_store_set_revs_limit          (GlsStore          *self,
                                               guint              revs_limit);

/* Writes, each call one transaction. `docs` holds JSON objects. With
 * new_edits TRUE a document's `_rev` must name the current leaf it updates
 * (absent for a new document) and a new revision is made; with new_edits
 * FALSE the document's `_revisions` (or, for generation 1, only `_rev`) is
 * merged into the revision tree as it is (idempotent: a known path changes
 * nothing and takes no seq). Returns one JSON object per document, in both
 * modes (the HTTP layer drops the successes for new_edits=false):
 * {"ok":true,"id","rev"} or {"id","error","reason"} with error one of
 * not_found, conflict, bad_request, missing_stub. The error return is for
 * the whole batch (I/O, corrupt file), and then nothing was written. */
JsonArray  *gls_store_bulk_docs               (GlsStore          *self,
                                               JsonArray         *docs,
                                               gboolean           new_edits,
                                               GError           **error);
/* Replicated documents read from a peer's _bulk_get answer without JSON
 * trees: each document whose body is canonical JSON text (keys sorted,
 * no spaces, the store's escapes and numbers: what a Glossa peer sends)
 * keeps its id, revision path and body as text; any other document
 * (PouchDB's spacing, attachments, design and _local documents, odd
 * members) is parsed into a JSON object and written by bulk_docs' rules.
 * Either way the store ends up with the same bytes. A batch may be made in
 * one thread and written and freed in another. */
typedef struct _GlsStoreDocBatch GlsStoreDocBatch;

/* Reads {"results":[{"id","docs":[{"ok":doc} | {"error":…}…]}…]}: the
 * "ok" documents, in order. NULL with GLS_STORE_ERROR_BAD_REQUEST when the
 * text is not such an answer (malformed JSON, a result without "docs", an
 * "ok" that is not an object, nesting deeper than GLS_JSON_MAX_DEPTH). */
GlsStoreDocBatch *gls_store_doc_batch_new_from_bulk_get (const char        *text,
                                                         gsize              length,
                                                         GError           **error);
/* How many documents the batch holds. */
guint       gls_store_doc_batch_get_length    (GlsStoreDocBatch  *batch);
void        gls_store_doc_batch_free          (GlsStoreDocBatch  *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsStoreDocBatch, gls_store_doc_batch_free)

/* Writes the batch like gls_store_bulk_docs with new_edits FALSE, in one
 * transaction, but returns only the failures: {"id","rev"?,"error",
 * "reason"} objects (an empty array when all were written). The error
 * return is for the whole batch (I/O, corrupt file): nothing was written. */
JsonArray  *gls_store_bulk_docs_replicated    (GlsStore          *self,
                                               GlsStoreDocBatch  *batch,
                                               GError           **error);
/* One document, new_edits TRUE. Returns the new rev. */
char       *gls_store_put                     (GlsStore          *self,
                                               JsonObject        *doc,
                                               GError           **error);
/* A tombstone for the leaf `rev`; `body` (nullable) is kept in it. */
char       *gls_store_delete                  (GlsStore          *self,
                                               const char        *id,
                                               const char        *rev,
                                               JsonObject        *body,
                                               GError           **error);

/* Reads. `rev` NULL means the winner. */
JsonObject *gls_store_get                     (GlsStore          *self,
                                               const char        *id,
                                               const char        *rev,
                                               GlsStoreGetFlags   flags,
                                               GError           **error);
/* `revs` NULL means every leaf. Returns [{"ok":doc} | {"missing":rev}…]. */
JsonArray  *gls_store_get_open_revs           (GlsStore          *self,
                                               const char        *id,
                                               const char *const *revs,
                                               GlsStoreGetFlags   flags,
                                               GError           **error);
/* The documents of get_open_revs as JSON text, built from the stored text
 * without JSON objects (the fast path of _bulk_get): {"ok":doc} items,
 * comma-separated, appended to `out` (a comma first unless `out` ends with
 * '[' or ','); each rev that is missing is added to `missing` (strings,
 * owned). On error `out` is as it was. */
gboolean    gls_store_append_open_revs        (GlsStore          *self,
                                               const char        *id,
                                               const char *const *revs,
                                               GlsStoreGetFlags   flags,
                                               GString           *out,
                                               GPtrArray         *missing,
                                               GError           **error);

/* Several reads in one read transaction (a _bulk_get of 500 documents
 * opens one, not 500). Between begin and end the store is locked for this
 * thread: no other call on the store may be made from it. */
typedef struct _GlsStoreReads GlsStoreReads;

GlsStoreReads *gls_store_reads_begin          (GlsStore          *self,
                                               GError           **error);
/* As gls_store_append_open_revs, inside the transaction. */
gboolean    gls_store_reads_append_open_revs  (GlsStoreReads     *reads,
                                               const char        *id,
                                               const char *const *revs,
                                               GlsStoreGetFlags   flags,
                                               GString           *out,
                                               GPtrArray         *missing,
                                               GError           **error);
void        gls_store_reads_end               (GlsStoreReads     *reads);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsStoreReads, gls_store_reads_end)

GBytes     *gls_store_get_attachment          (GlsStore          *self,
                                               const char        *id,
                                               const char        *rev,
                                               const char        *name,
                                               char             **content_type,
                                               GError           **error);
GInputStream *gls_store_open_attachment       (GlsStore          *self,
                                               const char        *id,
                                               const char        *rev,
                                               const char        *name,
                                               char             **content_type,
                                               gint64            *length,
                                               GError           **error);

/* The changes feed: {"results":[{"seq","id","changes":[{"rev"}…],
 * "deleted"?}…],"last_seq","pending"}. Each document once, at the seq of
 * its latest update; with all_docs every leaf is listed, else the winner. */
JsonObject *gls_store_changes                 (GlsStore          *self,
                                               gint64             since,
                                               gint64             limit,
                                               gboolean           all_docs,
                                               GError           **error);
/* The same answer appended to `out` as gls_json_to_string writes it, with
 * how many rows it has: no tree (the peer server's plain feed). */
gboolean    gls_store_changes_text            (GlsStore          *self,
                                               gint64             since,
                                               gint64             limit,
                                               gboolean           all_docs,
                                               GString           *out,
                                               gint64            *n_results,
                                               GError           **error);

/* Visits the winning revision of every document changed after `since`, in
 * seq order: `body` is the document without underscore fields except
 * `_id`, `_rev` and `_deleted` (attachments as stubs); `n_revs` is how many
 * revisions of it the store holds (leaves, and ancestors with or without
 * a body), so a reader that must not trust the winner alone knows when to
 * look at the others. Return FALSE from the callback to stop. Fast path
 * for building derived state. */
typedef gboolean (*GlsStoreDocFunc) (const char *id,
                                     const char *rev,
                                     gint64      seq,
                                     gboolean    deleted,
                                     guint       n_revs,
                                     const char *note,
                                     JsonObject *body,
                                     gpointer    user_data);
gboolean    gls_store_foreach_doc             (GlsStore          *self,
                                               gint64             since,
                                               GlsStoreDocFunc    func,
                                               gpointer           user_data,
                                               GError           **error);
gboolean    gls_store_foreach_doc_ids         (GlsStore          *self,
                                               const char *const *ids,
                                               guint              n_ids,
                                               GlsStoreDocFunc    func,
                                               gpointer           user_data,
                                               GError           **error);

/* Documents the store set aside: a stored revision it could not serve
 * back as valid JSON (written by Glossa 0.1, or by hand), found by
 * foreach_doc, which moves the whole document out of the way (with a
 * warning) and goes on. [{"id" (made displayable), "rev", "reason", "at"
 * (Unix time)}…], oldest first. Nothing is deleted. */
JsonArray  *gls_store_list_set_aside          (GlsStore          *self,
                                               GError           **error);

/* A reader's note on one revision (see gls_store_set_notes). */
typedef struct
{
  const char *id;
  const char *rev;
  const char *note;
} GlsStoreNote;

/* Keeps a note on each revision, for the reader that made it: foreach_doc
 * hands it back with the revision (`note`, NULL when there is none). A
 * note is not part of the document: it is not replicated, takes no seq
 * and fires no ::changed, and goes when its revision goes. Notes on
 * revisions the store does not hold are dropped. One transaction. */
gboolean    gls_store_set_notes               (GlsStore          *self,
                                               GlsStoreNote      *notes,
                                               guint              n_notes,
                                               GError           **error);

/* Every revision of document `id` whose body the store holds (leaves, and
 * ancestors it received with a body), oldest generation first, each with
 * `_id`, `_rev` and `_deleted` like gls_store_foreach_doc's bodies; an
 * empty array for an unknown id. */
JsonArray  *gls_store_get_revisions           (GlsStore          *self,
                                               const char        *id,
                                               GError           **error);

/* {"id":["rev"…]} -> {"id":{"missing":[…],"possible_ancestors":[…]?}} */
JsonObject *gls_store_revs_diff               (GlsStore          *self,
                                               JsonObject        *request,
                                               GError           **error);

/* Document ids, each with revisions ("gen-hash" strings): a `_changes`
 * batch or a `_revs_diff` request, and its answer, as the replicator
 * passes them along without a JSON tree per document. Built in order, an
 * id then its revs, in one thread; then read-only, it may be shared
 * between threads. The strings are borrowed from the list. */
typedef struct _GlsStoreRevsList GlsStoreRevsList;

GlsStoreRevsList *gls_store_revs_list_new     (void);
/* `length` -1: NUL-terminated. */
void        gls_store_revs_list_add_id        (GlsStoreRevsList  *self,
                                               const char        *id,
                                               gssize             length);
/* A revision of the id added last. */
void        gls_store_revs_list_add_rev       (GlsStoreRevsList  *self,
                                               const char        *rev,
                                               gssize             length);
void        gls_store_revs_list_clear         (GlsStoreRevsList  *self);
guint       gls_store_revs_list_get_length    (GlsStoreRevsList  *self);
/* The revisions of all the ids. */
guint       gls_store_revs_list_get_n_all_revs (GlsStoreRevsList *self);
const char *gls_store_revs_list_get_id        (GlsStoreRevsList  *self,
                                               guint              index);
guint       gls_store_revs_list_get_n_revs    (GlsStoreRevsList  *self,
                                               guint              index);
const char *gls_store_revs_list_get_rev       (GlsStoreRevsList  *self,
                                               guint              index,
                                               guint              n);
GlsStoreRevsList *gls_store_revs_list_ref     (GlsStoreRevsList  *self);
void        gls_store_revs_list_unref         (GlsStoreRevsList  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsStoreRevsList, gls_store_revs_list_unref)

/* gls_store_changes (all_docs) as a list: each changed document's leaves,
 * winner first; *last_seq and *pending as in the feed. */
GlsStoreRevsList *gls_store_changes_revs      (GlsStore          *self,
                                               gint64             since,
                                               gint64             limit,
                                               gint64            *last_seq,
                                               gint64            *pending,
                                               GError           **error);
/* gls_store_revs_diff of a list: the revisions of each id that the store
 * lacks (ids with none left out), without possible_ancestors. */
GlsStoreRevsList *gls_store_revs_diff_list    (GlsStore          *self,
                                               GlsStoreRevsList  *request,
                                               GError           **error);

/* JSON text as the store writes it, for anything sent to a peer: object
 * members sorted, each double in its shortest form that reads back the
 * same. (json_to_string of json-glib 1.6 writes 1e21 as "1e+21.0", which
 * is not JSON, and 0.1 as 0.10000000000000001.) */
char       *gls_json_to_string                (JsonNode          *node);
/* gls_json_from_data, the strict parser for JSON from outside, is in
 * src/json (gls-json-parser.h). */

/* Appends `s` (UTF-8) as a JSON string literal, quotes included, escaped
 * as the store writes its canonical JSON. */
void        gls_json_append_string            (GString           *out,
                                               const char        *s);

/* Attachment data streamed into the store's folder before the write
 * that refers to it (as "follows"), never whole in memory. A blob not
 * used by a committed write leaves nothing behind when freed. */
typedef struct _GlsStoreBlob GlsStoreBlob;
typedef struct _GlsStoreBlobWriter GlsStoreBlobWriter;

GlsStoreBlob *gls_store_blob_new_from_stream  (GlsStore          *store,
                                               GInputStream      *stream,
                                               GCancellable      *cancellable,
                                               GError           **error);
GlsStoreBlobWriter *gls_store_blob_writer_new (GlsStore          *store,
                                               GError           **error);
gboolean    gls_store_blob_writer_write       (GlsStoreBlobWriter *writer,
                                               const void        *data,
                                               gsize              len,
                                               GError           **error);
GlsStoreBlob *gls_store_blob_writer_finish    (GlsStoreBlobWriter *writer,
                                               GError           **error);
void        gls_store_blob_writer_free        (GlsStoreBlobWriter *writer);
GInputStream *gls_store_blob_read             (GlsStoreBlob      *blob,
                                               GError           **error);
const char *gls_store_blob_get_sha256         (GlsStoreBlob      *blob);
const char *gls_store_blob_get_digest         (GlsStoreBlob      *blob);
gint64      gls_store_blob_get_length         (GlsStoreBlob      *blob);
void        gls_store_blob_free               (GlsStoreBlob      *blob);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsStoreBlob, gls_store_blob_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsStoreBlobWriter, gls_store_blob_writer_free)

JsonArray  *gls_store_bulk_docs_with_blobs    (GlsStore          *self,
                                               JsonArray         *docs,
                                               gboolean           new_edits,
                                               GHashTable        *follows,
                                               GError           **error);
JsonArray  *gls_store_bulk_docs_replicated_with_blobs (GlsStore   *self,
                                                      GlsStoreDocBatch *batch,
                                                      GHashTable *follows,
                                                      GError    **error);
JsonArray  *gls_store_missing_attachments     (GlsStore          *self,
                                               GlsStoreDocBatch  *batch,
                                               JsonArray         *docs,
                                               GError           **error);
char       *gls_store_put_with_blobs          (GlsStore          *self,
                                               JsonObject        *doc,
                                               GHashTable        *follows,
                                               GError           **error);

/* Secondary indexes (as CouchDB's Mango indexes on one field): declared
 * once, kept by every write in its transaction, queried by key. */
gboolean    gls_store_ensure_index            (GlsStore          *self,
                                               const char        *name,
                                               const char        *member_path,
                                               GError           **error);
GPtrArray  *gls_store_query_index             (GlsStore          *self,
                                               const char        *name,
                                               const char        *key,
                                               GError           **error);
gboolean    gls_store_foreach_indexed         (GlsStore          *self,
                                               const char        *name,
                                               const char *const *keys,
                                               guint              n_keys,
                                               GlsStoreDocFunc    func,
                                               gpointer           user_data,
                                               GError           **error);
GPtrArray  *gls_store_query_index_keys        (GlsStore          *self,
                                               const char        *name,
                                               const char *const *keys,
                                               guint              n_keys,
                                               GError           **error);

/* Compaction: old revisions' bodies and unreferenced attachment files
 * removed, the database file shrunk. */
typedef struct
{
  guint   revisions;              /* bodies of non-leaf revisions dropped */
  guint   files;                  /* attachment files removed */
  guint64 file_bytes;             /* their size */
  gint64  database_bytes_before;  /* the database and its WAL */
  gint64  database_bytes_after;
} GlsStoreCompactResult;

gboolean    gls_store_compact                 (GlsStore          *self,
                                               GlsStoreCompactResult *result,
                                               GError           **error);

/* The folder holding attachment data, one file per SHA-256. */
const char *gls_store_get_files_dir           (GlsStore          *self);

/* _local documents: id without the "_local/" prefix; rev "0-N"; no revision
 * tree, not in the changes feed. put returns the new rev. Those whose id
 * starts with GLS_PRIVATE_LOCAL_PREFIX are this computer's own: a server
 * never hands them to a peer, nor lets one write them. */
#define GLS_PRIVATE_LOCAL_PREFIX "glossa-"
JsonObject *gls_store_get_local               (GlsStore          *self,
                                               const char        *id,
                                               GError           **error);
char       *gls_store_put_local               (GlsStore          *self,
                                               const char        *id,
                                               JsonObject        *doc,
                                               GError           **error);
/* The same, over whatever revision is there (the doc's own _rev is not
 * looked at): for a document only this computer writes. */
char       *gls_store_replace_local           (GlsStore          *self,
                                               const char        *id,
                                               JsonObject        *doc,
                                               GError           **error);
gboolean    gls_store_delete_local            (GlsStore          *self,
                                               const char        *id,
                                               const char        *rev,
                                               GError           **error);

G_END_DECLS
