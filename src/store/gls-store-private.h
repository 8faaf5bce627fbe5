/* gls-store-private.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

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

/* The keys an index on member path `names` takes from a stored body
 * (gls-store-json.c); FALSE when SQLite must be asked instead. */
gboolean    _gls_store_json_index_keys     (const char        *body,
                                            const char *const *names,
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
