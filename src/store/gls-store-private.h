/* gls-store-private.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "gls-store.h"

G_BEGIN_DECLS

/* Revision ids: "N-<32 lowercase hex>". */
#define GLS_REV_HASH_LEN 32

gboolean    _gls_rev_parse                 (const char        *rev,
                                            guint             *gen,
                                            char               hash[GLS_REV_HASH_LEN + 1]);
gboolean    _gls_rev_hash_is_valid         (const char        *hash);

/* Canonical JSON: object members sorted by key (byte order), no white
 * space, shortest round-trip numbers. The same value always gives the same
 * text, so it is both the stored form and the input of the rev hash. */
void        _gls_json_write                (GString           *out,
                                            JsonNode          *node);
/* The object's members; with skip_underscore, those not starting with '_'. */
void        _gls_json_write_object         (GString           *out,
                                            JsonObject        *object,
                                            gboolean           skip_underscore);
/* A JSON string literal of `s` (UTF-8), quotes included. */
void        _gls_json_write_string         (GString           *out,
                                            const char        *s);
/* gls_json_from_data (src/json), for the text above and peers' text. */
JsonNode   *_gls_json_parse                (const char        *text,
                                            gssize             length,
                                            GError           **error);
/* A document may enter the store only if the store can serve it back as
 * valid JSON: every string and member name UTF-8, every double finite.
 * GLS_STORE_ERROR_BAD_REQUEST naming the member otherwise. */
gboolean    _gls_json_check_document       (JsonObject        *doc,
                                            GError           **error);

/* A document of a GlsStoreDocBatch: either `doc` (parsed, written by
 * bulk_docs' rules) or text at offsets into the batch's `text`: the id,
 * the canonical body without the _ members, and n_hashes rev hashes
 * (GLS_REV_HASH_LEN + 1 bytes each, NUL-terminated, newest first). */
typedef struct
{
  JsonObject *doc;
  gsize       id;
  gsize       body;
  gsize       hashes;
  guint       n_hashes;
  gint64      start;
  gboolean    deleted;
} GlsDocEntry;

struct _GlsStoreDocBatch
{
  GArray  *entries;   /* of GlsDocEntry */
  GString *text;
};

/* A document's revision tree in memory, while it is being edited. */
typedef enum
{
  GLS_REV_NODE_KEPT,
  GLS_REV_NODE_NEW,
  GLS_REV_NODE_DIRTY,    /* parent or leaf flag changed */
  GLS_REV_NODE_REMOVED,  /* stemmed away */
} GlsRevNodeState;

typedef struct
{
  gint64          row;        /* revs.rev_id, 0 while NEW */
  guint           gen;
  char            hash[GLS_REV_HASH_LEN + 1];
  int             parent;     /* index into the tree, -1 for a root */
  guint           deleted : 1;
  guint           leaf : 1;
  guint           has_body : 1;
  GlsRevNodeState state;
} GlsRevNode;

typedef struct
{
  GArray *nodes;              /* of GlsRevNode */
} GlsRevTree;

void        _gls_rev_tree_init             (GlsRevTree        *tree);
void        _gls_rev_tree_clear            (GlsRevTree        *tree);
int         _gls_rev_tree_add              (GlsRevTree        *tree,
                                            const GlsRevNode  *node);
#define     _gls_rev_tree_node(tree, i) (&g_array_index ((tree)->nodes, GlsRevNode, (i)))
int         _gls_rev_tree_find             (GlsRevTree        *tree,
                                            guint              gen,
                                            const char        *hash);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GlsRevTree, _gls_rev_tree_clear)

/* Recomputes the leaf flags (marking changed nodes DIRTY). */
void        _gls_rev_tree_update_leaves    (GlsRevTree        *tree);
/* Index of the winning leaf, -1 for an empty tree. */
int         _gls_rev_tree_winner           (GlsRevTree        *tree);
/* TRUE when leaf a beats leaf b under CouchDB's rule. */
gboolean    _gls_rev_node_beats            (const GlsRevNode  *a,
                                            const GlsRevNode  *b);
/* Merges a path (hashes newest first, the newest at generation `start`)
 * into the tree. Returns the index of the newest node and sets *changed
 * when anything was added or re-linked. */
int         _gls_rev_tree_merge_path       (GlsRevTree        *tree,
                                            guint              start,
                                            const char *const *hashes,
                                            guint              n_hashes,
                                            gboolean           deleted,
                                            gboolean          *changed);
/* Keeps at most `limit` revisions on each path from a leaf. */
void        _gls_rev_tree_stem             (GlsRevTree        *tree,
                                            guint              limit);
/* Leaves in winner order (winner first); array of int indexes. */
GArray     *_gls_rev_tree_sorted_leaves    (GlsRevTree        *tree);

/* How the canonical writer writes a finite double (gls-store-json.c). */
void        _gls_store_json_format_double  (char               buf[G_ASCII_DTOSTR_BUF_SIZE],
                                            double             v);
/* The keys an index on member path `names` takes from a stored body
 * (gls-store-scan.c); FALSE when SQLite must be asked instead. */
gboolean    _gls_store_json_index_keys     (const char        *body,
                                            const char *const *names,
                                            gboolean           sorted,
                                            GPtrArray         *keys);

/* CouchDB's attachment digest: "md5-" + base64 of the binary MD5. */
char       *_gls_store_digest              (const guchar      *data,
                                            gsize              len);

/* Attachment data as content-addressed files (gls-store-files.c). */
typedef struct _GlsStoreFileWriter GlsStoreFileWriter;

char       *_gls_store_files_dir_for       (const char        *db_path);
gboolean    _gls_store_is_sha256_hex       (const char        *name);
gboolean    _gls_store_files_ensure_dir    (const char        *dir,
                                            GError           **error);
/* Writes `bytes` as a named, synced file (or finds it there); sets *sha256. */
gboolean    _gls_store_files_write_bytes   (const char        *dir,
                                            GBytes            *bytes,
                                            char             **sha256,
                                            GError           **error);
/* The file's bytes, mapped; CORRUPT when missing or of another length. */
GBytes     *_gls_store_files_read          (const char        *dir,
                                            const char        *sha256,
                                            gint64             length,
                                            GError           **error);
GInputStream *_gls_store_files_open        (const char        *dir,
                                            const char        *sha256,
                                            gint64             length,
                                            GError           **error);
gboolean    _gls_store_files_sweep         (const char        *dir,
                                            GHashTable        *keep,
                                            gint64             tmp_age_s,
                                            guint             *n_removed,
                                            guint64           *bytes_removed,
                                            GError           **error);

GlsStoreFileWriter *_gls_store_file_writer_new (const char    *dir,
                                                GError       **error);
gboolean    _gls_store_file_writer_write   (GlsStoreFileWriter *writer,
                                            const void        *data,
                                            gsize              len,
                                            GError           **error);
/* Syncs and closes the file, still under its temporary name. */
gboolean    _gls_store_file_writer_sync    (GlsStoreFileWriter *writer,
                                            char             **md5_digest,
                                            char             **sha256,
                                            gint64            *length,
                                            char             **tmp_path,
                                            GError           **error);
gboolean    _gls_store_files_name          (const char        *dir,
                                            const char        *tmp_path,
                                            const char        *sha256,
                                            gint64             length,
                                            GError           **error);
/* Syncs and names the file; sets the CouchDB digest, SHA-256 and length. */
gboolean    _gls_store_file_writer_finish  (GlsStoreFileWriter *writer,
                                            char             **md5_digest,
                                            char             **sha256,
                                            gint64            *length,
                                            GError           **error);
void        _gls_store_file_writer_free    (GlsStoreFileWriter *writer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsStoreFileWriter, _gls_store_file_writer_free)

/* Gives the blob's file its name (once); under the write lock. */
gboolean    _gls_store_blob_name           (GlsStoreBlob      *blob,
                                            GError           **error);

/* The store object, its connection and its statements (gls-store.c).
 * Those that take a store run with its lock held, unless they say
 * otherwise. */

#define GLS_STORE_DEFAULT_REVS_LIMIT 1000
#define GLS_STORE_BUSY_TIMEOUT_MS    10000
/* "<gen>-<hash>" with its NUL. */
#define GLS_REV_BUF_SIZE             48

/* Statements, prepared once per connection (their SQL: stmt_sql in
 * gls-store.c). */
typedef enum
{
  STMT_BEGIN_READ,
  STMT_BEGIN_WRITE,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_META_GET,
  STMT_META_SET,
  STMT_MAX_SEQ,
  STMT_DOC_COUNT,
  STMT_DOC_DEL_COUNT,
  STMT_DOC_BY_ID,
  STMT_DOC_INSERT,
  STMT_DOC_NEXT_ID,
  STMT_DOC_COUNTS_ADD,
  STMT_DOC_UPDATE,
  STMT_REVS_BY_DOC,
  STMT_REV_INSERT,
  STMT_REV_UPDATE,
  STMT_REV_DELETE,
  STMT_REV_CONTENT,
  STMT_BLOB_INSERT,
  STMT_BLOB_LENGTH,
  STMT_BLOB_DATA,
  STMT_BLOB_COUNT,
  STMT_LOCAL_GET,
  STMT_LOCAL_PUT,
  STMT_LOCAL_DELETE,
  STMT_CHANGES_ALL,
  STMT_CHANGES_WINNER,
  STMT_PENDING,
  STMT_FOREACH,
  STMT_REVISIONS,
  STMT_NOTE_SET,
  STMT_FOREACH_ID,
  STMT_FOREACH_INDEXED,
  STMT_INDEX_CLEAR,
  STMT_INDEX_FILL,
  STMT_INDEX_SPECS,
  STMT_INDEX_INSERT,
  STMT_INDEX_QUERY,
  N_STMTS
} GlsStmtId;

struct _GlsStore
{
  GObject       parent_instance;

  char         *path;
  char         *files_dir;   /* attachment data */
  char         *uuid;
  char         *instance_start_time;

  /* Guards the connection, its statements and revs_limit. */
  GMutex        lock;
  sqlite3      *db;
  sqlite3_stmt *stmts[N_STMTS];
  guint         revs_limit;
  /* The declared indexes (IndexSpec), read again by each write
   * transaction: another process may have declared one. */
  GPtrArray    *index_specs;
  gboolean      index_specs_valid;
  /* In a write transaction: documents it made (added to doc_counts as
   * it commits) and the doc_id the next one gets (0: not read yet). */
  gint64        new_live;
  gint64        new_deleted;
  gint64        next_doc_id;
  /* During a write with blobs: attachment name -> GlsStoreBlob, for
   * attachments marked "follows" (as in CouchDB's multipart PUT). */
  GHashTable   *follows;

  /* ::changed */
  GMainContext *context;
  GFileMonitor *monitors[2];
  GMutex        signal_lock;
  GSource      *check_source;
  gint64        committed_seq;
  gboolean      check_external;
  guint         external_checks; /* of external_check_ms, still to do */
  gint64        emitted_seq;      /* only touched in `context` */
  gboolean      external_reading; /* a worker reads the seq (`context` only) */
  gboolean      external_again;   /* ...and another look was asked meanwhile */
  GThread      *external_reader;  /* the last thread that read it (tests) */
  GMutex        watch_lock;
  sqlite3      *watch_db;
  /* A second connection for revs_diff, which then does not wait for a
   * write of another thread (WAL: it reads the last commit). */
  GMutex        read_lock;
  sqlite3      *read_db;
  sqlite3_stmt *read_stmts[N_STMTS];
  gboolean      read_failed;
  sqlite3_stmt *watch_stmt;
};

typedef sqlite3_stmt GlsStmt;

void        _gls_store_stmt_release        (GlsStmt           *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsStmt, _gls_store_stmt_release)

gboolean    _gls_store_set_sqlite_error    (GError           **error,
                                            sqlite3           *db,
                                            int                rc,
                                            const char        *what);
gboolean    _gls_store_set_error_literal   (GError           **error,
                                            GlsStoreError      code,
                                            const char        *message);

GlsStmt    *_gls_store_conn_stmt           (sqlite3           *db,
                                            sqlite3_stmt     **stmts,
                                            GlsStmtId          id,
                                            GError           **error);
GlsStmt    *_gls_store_get_stmt            (GlsStore          *self,
                                            GlsStmtId          id,
                                            GError           **error);
int         _gls_store_stmt_step           (GlsStore          *self,
                                            GlsStmt           *stmt,
                                            GError           **error);
gboolean    _gls_store_begin_read          (GlsStore          *self,
                                            GError           **error);
gboolean    _gls_store_begin_write         (GlsStore          *self,
                                            GError           **error);
void        _gls_store_rollback            (GlsStore          *self);
gboolean    _gls_store_commit              (GlsStore          *self,
                                            GError           **error);
gboolean    _gls_store_query_int           (GlsStore          *self,
                                            GlsStmtId          id,
                                            gint64             arg,
                                            gint64            *out,
                                            GError           **error);
gboolean    _gls_store_query_int_by_text_in (GlsStore          *self,
                                             sqlite3           *db,
                                             sqlite3_stmt     **stmts,
                                             GlsStmtId          id,
                                             const char        *key,
                                             gint64             missing,
                                             gint64            *out,
                                             GError           **error);
gboolean    _gls_store_query_int_by_text   (GlsStore          *self,
                                            GlsStmtId          id,
                                            const char        *key,
                                            gint64             missing,
                                            gint64            *out,
                                            GError           **error);
gboolean    _gls_store_read_max_seq        (GlsStore          *self,
                                            gint64            *seq,
                                            GError           **error);
char       *_gls_store_meta_get            (GlsStore          *self,
                                            const char        *key,
                                            GError           **error);
gboolean    _gls_store_meta_set            (GlsStore          *self,
                                            const char        *key,
                                            const char        *value,
                                            GError           **error);
/* Without the lock: emits ::changed for a commit up to `committed_seq`,
 * or (`external`) looks for another process's. */
void        _gls_store_schedule_check      (GlsStore          *self,
                                            gboolean           external,
                                            gint64             committed_seq);

/* Opening the file: its tables and their upgrades (gls-store-schema.c). */
gboolean    _gls_store_open_database       (GlsStore          *self,
                                            GError           **error);

/* One document's revision tree and content (gls-store-read.c). */
gboolean    _gls_store_lookup_doc_in       (GlsStore          *self,
                                            sqlite3           *db,
                                            sqlite3_stmt     **stmts,
                                            const char        *id,
                                            gint64            *doc_id,
                                            GError           **error);
gboolean    _gls_store_lookup_doc          (GlsStore          *self,
                                            const char        *id,
                                            gint64            *doc_id,
                                            GError           **error);
gboolean    _gls_store_load_tree_in        (GlsStore          *self,
                                            sqlite3           *db,
                                            sqlite3_stmt     **stmts,
                                            gint64             doc_id,
                                            GlsRevTree        *tree,
                                            GError           **error);
gboolean    _gls_store_load_tree           (GlsStore          *self,
                                            gint64             doc_id,
                                            GlsRevTree        *tree,
                                            GError           **error);
gboolean    _gls_store_read_content        (GlsStore          *self,
                                            gint64             row,
                                            char             **body,
                                            char             **atts,
                                            GError           **error);
JsonObject *_gls_store_parse_object_text   (const char        *text,
                                            GError           **error);
const char *_gls_store_print_rev           (const GlsRevNode  *node,
                                            char               buf[GLS_REV_BUF_SIZE]);
gboolean    _gls_store_parse_rev_arg       (const char        *rev,
                                            guint             *gen,
                                            char               hash[GLS_REV_HASH_LEN + 1],
                                            GError           **error);
gboolean    _gls_store_open_doc            (GlsStore          *self,
                                            const char        *id,
                                            const char        *rev,
                                            GlsStoreGetFlags   flags,
                                            GlsRevTree        *tree,
                                            int               *idx,
                                            GError           **error);

/* Attachments (gls-store-attachments.c). */
typedef struct
{
  char   *name;
  char   *content_type;
  char   *digest;
  gint64  length;
  gint64  revpos;
  GBytes *data;   /* NULL when it is a stub of data we already hold */
  GlsStoreBlob *blob; /* borrowed: data written to a file before the write */
} GlsStoreAtt;

void        _gls_store_att_free            (gpointer           data);
gboolean    _gls_store_add_attachments     (GlsStore          *self,
                                            JsonObject        *doc,
                                            const char        *atts_text,
                                            gboolean           inline_data,
                                            GError           **error);
gboolean    _gls_store_prepare_attachments (GlsStore          *self,
                                            JsonObject        *doc,
                                            gboolean           new_edits,
                                            guint              gen,
                                            JsonObject        *parent_atts,
                                            GPtrArray         *out,
                                            GError           **error);
char       *_gls_store_serialize_attachments (GPtrArray         *atts);
gboolean    _gls_store_store_blobs         (GlsStore          *self,
                                            GPtrArray         *atts,
                                            GError           **error);

/* Secondary indexes (gls-store-index.c): each write keeps them. */
gboolean    _gls_store_update_index_entries (GlsStore          *self,
                                             gint64             doc_id,
                                             gboolean           is_new,
                                             const GlsRevNode  *winner,
                                             const char        *body,
                                             GError           **error);

/* _local documents (gls-store-local.c), inside a write transaction. */
gboolean    _gls_store_write_local         (GlsStore          *self,
                                            const char        *id,
                                            JsonObject        *doc,
                                            const char        *rev,
                                            gboolean           deleted,
                                            char             **new_rev,
                                            GError           **error);

/* Test hooks. */
void        _gls_store_set_max_page_count  (GlsStore          *self,
                                            gint64             pages);
gboolean    _gls_store_integrity_check     (GlsStore          *self,
                                            char             **result,
                                            GError           **error);
gint64      _gls_store_count_blobs         (GlsStore          *self);
/* The thread that last looked for another process's commit. */
GThread    *_gls_store_get_external_reader (GlsStore          *self);

G_END_DECLS
