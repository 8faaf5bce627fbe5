/* gls-store.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "gls-store-private.h"

/*
 * Layout of the SQLite file:
 *
 *   meta       key/value: magic, schema version, uuid, revs_limit
 *   docs       one row per document: its latest seq, winning rev, deleted
 *   revs       the revision trees: one row per known revision, linked to
 *              its parent; body (canonical JSON, no underscore members) and
 *              attachment stubs only for revisions we hold the content of
 *   blobs      attachments by CouchDB digest: length, and the SHA-256
 *              naming the file that holds the data (gls-store-files.c)
 *   local_docs _local documents
 *
 * The update sequence is MAX(docs.seq): every write gives the document the
 * next number, and documents are never removed.
 */

#define SCHEMA_MAGIC          "glossa-store"
/* 1: attachment data in `blobs` (0.1); 2: in files beside the database. */
#define SCHEMA_VERSION        2
#define DEFAULT_REVS_LIMIT    1000
#define BUSY_TIMEOUT_MS       10000
/* After another process's write is seen (inotify on the WAL), the store
 * looks for its commit at once and again after these waits: the file
 * changes before the commit is visible (the WAL index is updated last,
 * through shared memory, which inotify does not see), and a burst of
 * writes comes as many events. The commit shows once the writer's fsync
 * returns, a few ms later on most disks: looks close together first, then
 * further apart (1, 2, 4, 7 … 100 ms after the event; each is one small
 * query). */
static const guint external_check_ms[] = { 0, 1, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 25 };
#define EXTERNAL_RATE_LIMIT_MS 5
#define FOREACH_CHUNK         512

static const char schema_sql[] =
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
  "CREATE TABLE docs (doc_id INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
  "                   seq INTEGER NOT NULL, winner INTEGER NOT NULL,"
  "                   deleted INTEGER NOT NULL);"
  "CREATE UNIQUE INDEX docs_by_seq ON docs (seq);"
  "CREATE TABLE revs (rev_id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL,"
  "                   gen INTEGER NOT NULL, hash TEXT NOT NULL, parent INTEGER,"
  "                   deleted INTEGER NOT NULL, leaf INTEGER NOT NULL,"
  "                   body TEXT, atts TEXT);"
  "CREATE UNIQUE INDEX revs_by_doc ON revs (doc_id, gen, hash);"
  "CREATE TABLE blobs (digest TEXT PRIMARY KEY, length INTEGER NOT NULL,"
  "                    sha256 TEXT NOT NULL);"
  "CREATE TABLE local_docs (id TEXT PRIMARY KEY, rev INTEGER NOT NULL,"
  "                         body TEXT NOT NULL);";

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
} StmtId;

static const char *const stmt_sql[N_STMTS] = {
  [STMT_BEGIN_READ] = "BEGIN",
  [STMT_BEGIN_WRITE] = "BEGIN IMMEDIATE",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
  [STMT_META_GET] = "SELECT value FROM meta WHERE key = ?1",
  [STMT_META_SET] = "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
  [STMT_MAX_SEQ] = "SELECT COALESCE (MAX (seq), 0) FROM docs",
  [STMT_DOC_COUNT] = "SELECT live FROM doc_counts WHERE id = 0",
  [STMT_DOC_DEL_COUNT] = "SELECT deleted FROM doc_counts WHERE id = 0",
  [STMT_DOC_BY_ID] = "SELECT doc_id FROM docs WHERE id = ?1",
  [STMT_DOC_INSERT] = "INSERT INTO docs (doc_id, id, seq, winner, deleted) VALUES (?1, ?2, ?3, ?4, ?5)",
  [STMT_DOC_NEXT_ID] = "SELECT COALESCE (MAX (doc_id), 0) + 1 FROM docs",
  [STMT_DOC_UPDATE] = "UPDATE docs SET seq = ?2, winner = ?3, deleted = ?4 WHERE doc_id = ?1",
  [STMT_REVS_BY_DOC] = "SELECT rev_id, gen, hash, parent, deleted, leaf, body IS NOT NULL"
                       " FROM revs WHERE doc_id = ?1 ORDER BY rev_id",
  [STMT_REV_INSERT] = "INSERT INTO revs (doc_id, gen, hash, parent, deleted, leaf, body, atts)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
  [STMT_REV_UPDATE] = "UPDATE revs SET parent = ?2, leaf = ?3 WHERE rev_id = ?1",
  [STMT_REV_DELETE] = "DELETE FROM revs WHERE rev_id = ?1",
  [STMT_REV_CONTENT] = "SELECT body, atts FROM revs WHERE rev_id = ?1",
  [STMT_BLOB_INSERT] = "INSERT OR IGNORE INTO blobs (digest, length, sha256) VALUES (?1, ?2, ?3)",
  [STMT_BLOB_LENGTH] = "SELECT length FROM blobs WHERE digest = ?1",
  [STMT_BLOB_DATA] = "SELECT sha256, length FROM blobs WHERE digest = ?1",
  [STMT_BLOB_COUNT] = "SELECT COUNT (*) FROM blobs",
  [STMT_LOCAL_GET] = "SELECT rev, body FROM local_docs WHERE id = ?1",
  [STMT_LOCAL_PUT] = "INSERT OR REPLACE INTO local_docs (id, rev, body) VALUES (?1, ?2, ?3)",
  [STMT_LOCAL_DELETE] = "DELETE FROM local_docs WHERE id = ?1",
  [STMT_CHANGES_ALL] = "SELECT d.seq, d.id, r.gen, r.hash, r.deleted, d.deleted"
                       " FROM (SELECT doc_id, id, seq, deleted FROM docs WHERE seq > ?1"
                       "       ORDER BY seq LIMIT ?2) AS d"
                       " JOIN revs AS r ON r.doc_id = d.doc_id AND r.leaf = 1"
                       " ORDER BY d.seq",
  [STMT_CHANGES_WINNER] = "SELECT d.seq, d.id, r.gen, r.hash, r.deleted, d.deleted"
                          " FROM docs AS d JOIN revs AS r ON r.rev_id = d.winner"
                          " WHERE d.seq > ?1 ORDER BY d.seq LIMIT ?2",
  [STMT_PENDING] = "SELECT COUNT (*) FROM docs WHERE seq > ?1",
  [STMT_FOREACH] = "SELECT d.id, d.seq, r.gen, r.hash, r.deleted, r.body, r.atts,"
                   " (SELECT count(*) FROM revs AS o WHERE o.doc_id = d.doc_id), n.note"
                   " FROM docs AS d JOIN revs AS r ON r.rev_id = d.winner"
                   " LEFT JOIN rev_notes AS n ON n.rev_id = r.rev_id"
                   " WHERE d.seq > ?1 ORDER BY d.seq LIMIT ?2",
  [STMT_REVISIONS] = "SELECT r.gen, r.hash, r.deleted, r.body, r.atts"
                     " FROM docs AS d JOIN revs AS r ON r.doc_id = d.doc_id"
                     " WHERE d.id = ?1 AND r.body IS NOT NULL ORDER BY r.gen, r.hash",
  [STMT_FOREACH_ID] = "SELECT d.id, d.seq, r.gen, r.hash, r.deleted, r.body, r.atts,"
                      " (SELECT count(*) FROM revs AS o WHERE o.doc_id = d.doc_id), n.note"
                      " FROM docs AS d JOIN revs AS r ON r.rev_id = d.winner"
                      " LEFT JOIN rev_notes AS n ON n.rev_id = r.rev_id"
                      " WHERE d.id = ?1",
  [STMT_FOREACH_INDEXED] = "SELECT d.id, d.seq, r.gen, r.hash, r.deleted, r.body, r.atts,"
                           " (SELECT count(*) FROM revs AS o WHERE o.doc_id = d.doc_id), n.note"
                           " FROM index_entries AS e JOIN docs AS d ON d.doc_id = e.doc_id"
                           " JOIN revs AS r ON r.rev_id = d.winner"
                           " LEFT JOIN rev_notes AS n ON n.rev_id = r.rev_id"
                           " WHERE e.name = ?1 AND e.key = ?2 AND d.deleted = 0 ORDER BY d.seq",
  [STMT_INDEX_CLEAR] = "DELETE FROM index_entries WHERE doc_id = ?1",
  [STMT_INDEX_FILL] = "INSERT OR IGNORE INTO index_entries (name, key, doc_id)"
                      " SELECT i.name, j.value, ?1 FROM store_indexes AS i, json_each (?2, i.json_path) AS j"
                      " WHERE instr (?2, i.first_key) > 0 AND j.type = 'text'",
  [STMT_INDEX_SPECS] = "SELECT name, json_path FROM store_indexes",
  [STMT_INDEX_INSERT] = "INSERT OR IGNORE INTO index_entries (name, key, doc_id) VALUES (?1, ?2, ?3)",
  [STMT_INDEX_QUERY] = "SELECT d.id FROM index_entries AS e JOIN docs AS d ON d.doc_id = e.doc_id"
                       " WHERE e.name = ?1 AND e.key = ?2 AND d.deleted = 0 ORDER BY d.seq",
  [STMT_NOTE_SET] = "INSERT OR REPLACE INTO rev_notes (rev_id, note)"
                    " SELECT r.rev_id, ?4 FROM docs AS d JOIN revs AS r ON r.doc_id = d.doc_id"
                    " WHERE d.id = ?1 AND r.gen = ?2 AND r.hash = ?3",
};

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

static void gls_store_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GlsStore, gls_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      gls_store_initable_iface_init))

G_DEFINE_QUARK (gls-store-error-quark, gls_store_error)

enum {
  PROP_0,
  PROP_PATH,
  PROP_REVS_LIMIT,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Attachment being written. */
typedef struct
{
  char   *name;
  char   *content_type;
  char   *digest;
  gint64  length;
  gint64  revpos;
  GBytes *data;   /* NULL when it is a stub of data we already hold */
  GlsStoreBlob *blob; /* borrowed: data written to a file before the write */
} Att;

static void
att_free (gpointer data)
{
  Att *att = data;

  g_free (att->name);
  g_free (att->content_type);
  g_free (att->digest);
  g_clear_pointer (&att->data, g_bytes_unref);
  g_free (att);
}

/* Errors */

static gboolean
set_sqlite_error (GError    **error,
                  sqlite3    *db,
                  int         rc,
                  const char *what)
{
  int code;

  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT:
      code = GLS_STORE_ERROR_CORRUPT;
      break;
    default:
      code = GLS_STORE_ERROR_IO;
      break;
    }

  g_set_error (error, GLS_STORE_ERROR, code, "%s: %s", what,
               db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  return FALSE;
}

static gboolean
set_error_literal (GError     **error,
                   GlsStoreError code,
                   const char  *message)
{
  g_set_error_literal (error, GLS_STORE_ERROR, code, message);
  return FALSE;
}

static const char *
error_name (const GError *error)
{
  if (error->domain == GLS_STORE_ERROR)
    switch (error->code)
      {
      case GLS_STORE_ERROR_NOT_FOUND: return "not_found";
      case GLS_STORE_ERROR_CONFLICT: return "conflict";
      case GLS_STORE_ERROR_BAD_REQUEST: return "bad_request";
      case GLS_STORE_ERROR_MISSING_STUB: return "missing_stub";
      default: break;
      }
  return "internal_server_error";
}

/* Errors that concern one document of a batch; others abort the batch. */
static gboolean
is_document_error (const GError *error)
{
  return error->domain == GLS_STORE_ERROR &&
         (error->code == GLS_STORE_ERROR_NOT_FOUND ||
          error->code == GLS_STORE_ERROR_CONFLICT ||
          error->code == GLS_STORE_ERROR_BAD_REQUEST ||
          error->code == GLS_STORE_ERROR_MISSING_STUB);
}

/* Statements (all called with the lock held) */

typedef sqlite3_stmt GlsStmt;

static void
stmt_release (GlsStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsStmt, stmt_release)

/* Statement `id` of connection `db`, prepared once into stmts[id]. */
static GlsStmt *
conn_stmt (sqlite3        *db,
           sqlite3_stmt  **stmts,
           StmtId          id,
           GError        **error)
{
  if (stmts[id] == NULL)
    {
      int rc = sqlite3_prepare_v3 (db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                   &stmts[id], NULL);
      if (rc != SQLITE_OK)
        {
          set_sqlite_error (error, db, rc, _("Could not read the store"));
          return NULL;
        }
    }
  return stmts[id];
}

static GlsStmt *
get_stmt (GlsStore  *self,
          StmtId     id,
          GError   **error)
{
  return conn_stmt (self->db, self->stmts, id, error);
}

/* Steps a statement; returns SQLITE_ROW or SQLITE_DONE, or 0 with error set. */
static int
stmt_step (GlsStore  *self,
           GlsStmt   *stmt,
           GError   **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;
  set_sqlite_error (error, sqlite3_db_handle (stmt), rc, _("Database error"));
  return 0;
}

static gboolean
run_stmt (GlsStore  *self,
          StmtId     id,
          GError   **error)
{
  g_autoptr(GlsStmt) stmt = get_stmt (self, id, error);

  return stmt != NULL && stmt_step (self, stmt, error) != 0;
}

static gboolean
begin_read (GlsStore  *self,
            GError   **error)
{
  return run_stmt (self, STMT_BEGIN_READ, error);
}

static gboolean
begin_write (GlsStore  *self,
             GError   **error)
{
  self->index_specs_valid = FALSE;
  return run_stmt (self, STMT_BEGIN_WRITE, error);
}

static void
rollback (GlsStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    {
      g_autoptr(GError) error = NULL;

      if (!run_stmt (self, STMT_ROLLBACK, &error))
        g_warning ("Rollback failed: %s", error->message);
    }
}

static gboolean
commit (GlsStore  *self,
        GError   **error)
{
  if (!run_stmt (self, STMT_COMMIT, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
query_int (GlsStore  *self,
           StmtId     id,
           gint64     arg,
           gint64    *out,
           GError   **error)
{
  g_autoptr(GlsStmt) stmt = get_stmt (self, id, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, arg);
  if (!(rc = stmt_step (self, stmt, error)))
    return FALSE;
  *out = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

/* Like query_int, for a statement keyed by one text on connection `db`:
 * `missing` when no row. */
static gboolean
query_int_by_text_in (GlsStore       *self,
                      sqlite3        *db,
                      sqlite3_stmt  **stmts,
                      StmtId          id,
                      const char     *key,
                      gint64          missing,
                      gint64         *out,
                      GError        **error)
{
  g_autoptr(GlsStmt) stmt = conn_stmt (db, stmts, id, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (!(rc = stmt_step (self, stmt, error)))
    return FALSE;
  *out = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : missing;
  return TRUE;
}

/* The same on the main connection. */
static gboolean
query_int_by_text (GlsStore    *self,
                   StmtId       id,
                   const char  *key,
                   gint64       missing,
                   gint64      *out,
                   GError     **error)
{
  return query_int_by_text_in (self, self->db, self->stmts, id, key, missing, out, error);
}

static gboolean
read_max_seq (GlsStore  *self,
              gint64    *seq,
              GError   **error)
{
  return query_int (self, STMT_MAX_SEQ, 0, seq, error);
}

static char *
meta_get (GlsStore  *self,
          const char *key,
          GError   **error)
{
  g_autoptr(GlsStmt) stmt = get_stmt (self, STMT_META_GET, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (!(rc = stmt_step (self, stmt, error)))
    return NULL;
  if (rc != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return g_strdup ("");
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static gboolean
meta_set (GlsStore   *self,
          const char *key,
          const char *value,
          GError    **error)
{
  g_autoptr(GlsStmt) stmt = get_stmt (self, STMT_META_SET, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  return stmt_step (self, stmt, error) != 0;
}

/* The ::changed signal */

typedef struct
{
  GWeakRef self;
} CheckData;

static void
check_data_free (gpointer data)
{
  CheckData *cd = data;

  g_weak_ref_clear (&cd->self);
  g_free (cd);
}

static gint64
read_external_seq (GlsStore *self)
{
  gint64 seq = -1;
  int rc;

  g_mutex_lock (&self->watch_lock);

  if (self->watch_db == NULL)
    {
      rc = sqlite3_open_v2 (self->path, &self->watch_db,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
      if (rc == SQLITE_OK)
        {
          sqlite3_busy_timeout (self->watch_db, BUSY_TIMEOUT_MS);
          rc = sqlite3_prepare_v3 (self->watch_db, stmt_sql[STMT_MAX_SEQ], -1,
                                   SQLITE_PREPARE_PERSISTENT, &self->watch_stmt, NULL);
        }
      if (rc != SQLITE_OK)
        {
          g_debug ("Cannot watch %s: %s", self->path, sqlite3_errmsg (self->watch_db));
          g_clear_pointer (&self->watch_stmt, sqlite3_finalize);
          g_clear_pointer (&self->watch_db, sqlite3_close_v2);
          goto out;
        }
    }

  if (sqlite3_step (self->watch_stmt) == SQLITE_ROW)
    seq = sqlite3_column_int64 (self->watch_stmt, 0);
  sqlite3_reset (self->watch_stmt);
  self->external_reader = g_thread_self ();

out:
  g_mutex_unlock (&self->watch_lock);
  return seq;
}

static void arm_check (GlsStore *self,
                       guint     delay_ms);
static void schedule_check (GlsStore *self,
                            gboolean  external,
                            gint64    committed_seq);

static void
emit_up_to (GlsStore *self,
            gint64    seq)
{
  if (seq > self->emitted_seq)
    {
      self->emitted_seq = seq;
      g_signal_emit (self, signals[CHANGED], 0, seq);
    }
}

/* The next look for another process's commit. */
static void
arm_next_external_check (GlsStore *self)
{
  g_mutex_lock (&self->signal_lock);
  if (self->external_checks > 0 && self->check_source == NULL && self->context != NULL)
    arm_check (self, external_check_ms[G_N_ELEMENTS (external_check_ms) - self->external_checks--]);
  g_mutex_unlock (&self->signal_lock);
}

/* Another process's commit is read by a worker: SQLite never runs on
 * the thread of `context` (the GUI's) for it. */
static void
external_read_thread (GTask        *task,
                      gpointer      source,
                      gpointer      data,
                      GCancellable *cancellable)
{
  g_task_return_int (task, read_external_seq (GLS_STORE (source)));
}

static void
external_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  GlsStore *self = GLS_STORE (source);
  gint64 seq = (gint64) g_task_propagate_int (G_TASK (result), NULL);

  self->external_reading = FALSE;
  g_mutex_lock (&self->signal_lock);
  seq = MAX (seq, self->committed_seq);
  g_mutex_unlock (&self->signal_lock);
  emit_up_to (self, seq);
  if (self->external_again)
    {
      self->external_again = FALSE;
      schedule_check (self, TRUE, 0);
      return;
    }
  arm_next_external_check (self);
}

static gboolean
check_changed_cb (gpointer data)
{
  CheckData *cd = data;
  g_autoptr(GlsStore) self = g_weak_ref_get (&cd->self);
  gboolean external;
  gint64 seq;

  if (self == NULL)
    return G_SOURCE_REMOVE;

  g_mutex_lock (&self->signal_lock);
  g_clear_pointer (&self->check_source, g_source_unref);
  seq = self->committed_seq;
  external = self->check_external;
  if (self->external_checks == 0)
    self->check_external = FALSE;
  g_mutex_unlock (&self->signal_lock);

  /* Our own commits are known without reading. */
  emit_up_to (self, seq);

  if (!external)
    arm_next_external_check (self);
  else if (self->external_reading)
    self->external_again = TRUE;
  else
    {
      g_autoptr(GTask) task = g_task_new (self, NULL, external_read_cb, NULL);

      self->external_reading = TRUE;
      g_task_set_source_tag (task, check_changed_cb);
      g_task_run_in_thread (task, external_read_thread);
    }

  return G_SOURCE_REMOVE;
}

/* Call with signal_lock. */
static void
arm_check (GlsStore *self,
           guint     delay_ms)
{
  CheckData *cd = g_new0 (CheckData, 1);
  GSource *source;

  source = delay_ms > 0 ? g_timeout_source_new (delay_ms) : g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "[gls-store] changed");
  g_weak_ref_init (&cd->self, self);
  g_source_set_callback (source, check_changed_cb, cd, check_data_free);
  g_source_attach (source, self->context);
  self->check_source = source;
}

static void
schedule_check (GlsStore *self,
                gboolean  external,
                gint64    committed_seq)
{
  g_mutex_lock (&self->signal_lock);

  if (committed_seq > self->committed_seq)
    self->committed_seq = committed_seq;
  if (external)
    {
      /* Look now, then a few more times (external_check_ms). */
      self->check_external = TRUE;
      self->external_checks = G_N_ELEMENTS (external_check_ms) - 1;
    }

  if (self->check_source == NULL && self->context != NULL)
    arm_check (self, 0);
  else if (self->check_source != NULL)
    {
      /* A commit of ours, or another process's new write: look now,
       * not when a follow-up look was due (the monitor's rate limit
       * keeps a burst from looking more than every few ms).
       * Thread-safe; an idle source is ready already. */
      g_source_set_ready_time (self->check_source, 0);
    }

  g_mutex_unlock (&self->signal_lock);
}

static void
on_file_changed (GFileMonitor      *monitor,
                 GFile             *file,
                 GFile             *other,
                 GFileMonitorEvent  event,
                 gpointer           user_data)
{
  GlsStore *self = user_data;

  g_assert (GLS_IS_STORE (self));

  if (event == G_FILE_MONITOR_EVENT_CHANGED ||
      event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT ||
      event == G_FILE_MONITOR_EVENT_CREATED ||
      event == G_FILE_MONITOR_EVENT_DELETED)
    schedule_check (self, TRUE, 0);
}

static void
start_monitors (GlsStore *self)
{
  g_autofree char *wal_path = g_strconcat (self->path, "-wal", NULL);
  const char *paths[2] = { self->path, wal_path };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (paths[i]);
      g_autoptr(GError) error = NULL;

      self->monitors[i] = g_file_monitor_file (file, G_FILE_MONITOR_NONE, NULL, &error);
      if (self->monitors[i] == NULL)
        {
          g_debug ("Cannot monitor %s: %s", paths[i], error->message);
          continue;
        }
      g_file_monitor_set_rate_limit (self->monitors[i], EXTERNAL_RATE_LIMIT_MS);
      g_signal_connect (self->monitors[i], "changed", G_CALLBACK (on_file_changed), self);
    }
}

/* Opening */


static gboolean
create_schema (GlsStore  *self,
               GError   **error)
{
  g_autofree char *uuid = NULL;
  g_autofree char *version = g_strdup_printf ("%d", SCHEMA_VERSION);
  g_autofree char *limit = g_strdup_printf ("%d", DEFAULT_REVS_LIMIT);
  char *errmsg = NULL;
  int rc;

  rc = sqlite3_exec (self->db, schema_sql, NULL, NULL, &errmsg);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_IO,
                   _("Could not create the store “%s”: %s"), self->path, errmsg);
      sqlite3_free (errmsg);
      return FALSE;
    }

  uuid = g_uuid_string_random ();
  g_strdelimit (uuid, "-", ' ');
  {
    /* 32 hex digits, like CouchDB's database uuids. */
    GString *s = g_string_new (NULL);
    for (const char *p = uuid; *p; p++)
      if (*p != ' ')
        g_string_append_c (s, *p);
    g_free (uuid);
    uuid = g_string_free (s, FALSE);
  }

  return meta_set (self, "magic", SCHEMA_MAGIC, error) &&
         meta_set (self, "schema_version", version, error) &&
         meta_set (self, "uuid", uuid, error) &&
         meta_set (self, "revs_limit", limit, error);
}

static gboolean
table_exists (GlsStore   *self,
              const char *name,
              gboolean   *exists,
              gint64     *n_tables,
              GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT COUNT (*), SUM (name = ?1) FROM sqlite_master"
                           " WHERE type = 'table'", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  *n_tables = sqlite3_column_int64 (stmt, 0);
  *exists = sqlite3_column_int64 (stmt, 1) > 0;
  sqlite3_finalize (stmt);
  return TRUE;
}

/* doc_count and doc_del_count (GET /{db} asks for them on every
 * replication) without counting 100,000 rows each time: triggers keep
 * them, in the writing transaction, whichever process writes. Added to
 * stores made before them when first opened. */
static const char doc_counts_sql[] =
  "CREATE TABLE IF NOT EXISTS doc_counts (id INTEGER PRIMARY KEY CHECK (id = 0),"
  "                                       live INTEGER NOT NULL, deleted INTEGER NOT NULL);"
  "CREATE TRIGGER IF NOT EXISTS docs_count_insert AFTER INSERT ON docs BEGIN"
  "  UPDATE doc_counts SET live = live + (NEW.deleted = 0), deleted = deleted + (NEW.deleted != 0)"
  "  WHERE id = 0; END;"
  "CREATE TRIGGER IF NOT EXISTS docs_count_update AFTER UPDATE OF deleted ON docs"
  "  WHEN (OLD.deleted != 0) != (NEW.deleted != 0) BEGIN"
  "  UPDATE doc_counts SET live = live + (NEW.deleted = 0) - (OLD.deleted = 0),"
  "                        deleted = deleted + (NEW.deleted != 0) - (OLD.deleted != 0)"
  "  WHERE id = 0; END;"
  "CREATE TRIGGER IF NOT EXISTS docs_count_delete AFTER DELETE ON docs BEGIN"
  "  UPDATE doc_counts SET live = live - (OLD.deleted = 0), deleted = deleted - (OLD.deleted != 0)"
  "  WHERE id = 0; END;"
  "INSERT OR IGNORE INTO doc_counts (id, live, deleted)"
  "  SELECT 0, COALESCE (SUM (deleted = 0), 0), COALESCE (SUM (deleted != 0), 0) FROM docs;";

static gboolean
ensure_doc_counts (GlsStore  *self,
                   GError   **error)
{
  gboolean exists;
  gint64 n_tables;
  char *message = NULL;
  int rc;

  if (!table_exists (self, "doc_counts", &exists, &n_tables, error))
    return FALSE;
  if (exists)
    return TRUE;
  /* Counted and then kept up to date in one transaction: no write can
   * slip in between. */
  if (!begin_write (self, error))
    return FALSE;
  rc = sqlite3_exec (self->db, doc_counts_sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_IO, "%s: %s", self->path,
                   message != NULL ? message : sqlite3_errstr (rc));
      sqlite3_free (message);
      rollback (self);
      return FALSE;
    }
  return commit (self, error);
}

/* Notes a reader keeps about a revision (the workspace: what its proof
 * said), so that the next open need not work it out again. Not part of
 * any document: never replicated, no seq. Added to older stores when
 * first opened; a revision's note goes with it. */
/* Documents set aside: stored by an older Glossa (or by hand) in a form
 * the store could not serve as valid JSON, moved out of the way with the
 * reason, so that everything else works and nothing is lost. */
static const char notes_sql[] =
  "CREATE TABLE IF NOT EXISTS rev_notes (rev_id INTEGER PRIMARY KEY, note TEXT NOT NULL);"
  "CREATE TRIGGER IF NOT EXISTS revs_note_delete AFTER DELETE ON revs BEGIN"
  "  DELETE FROM rev_notes WHERE rev_id = OLD.rev_id; END;"
  "CREATE TABLE IF NOT EXISTS set_aside (id TEXT NOT NULL, rev TEXT NOT NULL, deleted INTEGER NOT NULL,"
  "                                      body TEXT, atts TEXT, reason TEXT NOT NULL, at INTEGER NOT NULL);";

/* Secondary indexes, as CouchDB's Mango indexes: an index on a JSON
 * member (`json_path`, as SQLite's JSON functions take it) lists, for
 * each document whose winning revision is live, each string found there
 * (the member itself, or the strings of an array). Kept by every write,
 * in its transaction, for every index any process declared. */
static const char indexes_sql[] =
  "CREATE TABLE IF NOT EXISTS store_indexes (name TEXT PRIMARY KEY, json_path TEXT NOT NULL,"
  "                                          first_key TEXT NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS index_entries (name TEXT NOT NULL, key TEXT NOT NULL, doc_id INTEGER NOT NULL,"
  "                                         PRIMARY KEY (name, key, doc_id)) WITHOUT ROWID;"
  "CREATE INDEX IF NOT EXISTS index_entries_by_doc ON index_entries (doc_id);";

static gboolean
ensure_indexes (GlsStore  *self,
                GError   **error)
{
  gboolean exists;
  gint64 n_tables;
  char *message = NULL;

  if (!table_exists (self, "store_indexes", &exists, &n_tables, error))
    return FALSE;
  if (exists)
    return TRUE;
  if (sqlite3_exec (self->db, indexes_sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_IO, "%s: %s", self->path,
                   message != NULL ? message : sqlite3_errmsg (self->db));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
ensure_notes (GlsStore  *self,
              GError   **error)
{
  gboolean exists, exists_too;
  gint64 n_tables;
  char *message = NULL;
  int rc;

  if (!table_exists (self, "rev_notes", &exists, &n_tables, error) ||
      !table_exists (self, "set_aside", &exists_too, &n_tables, error))
    return FALSE;
  if (exists && exists_too)
    return TRUE;
  rc = sqlite3_exec (self->db, notes_sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_IO, "%s: %s", self->path,
                   message != NULL ? message : sqlite3_errstr (rc));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/* Schema 1 (Glossa 0.1) kept attachment data in the database. Every
 * blob becomes a synced file first; then one transaction swaps the table
 * and the schema version. A failure or a crash before the commit leaves
 * the old store whole (and perhaps files nothing refers to yet). */
static gboolean
migrate_files (GlsStore  *self,
               GError   **error)
{
  g_autofree char *version = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *read = NULL;
  sqlite3_stmt *insert = NULL;
  char *errmsg = NULL;
  guint n = 0;
  int rc;

  if (!begin_write (self, error))
    return FALSE;
  /* Another process may have done it while we waited for the lock. */
  version = meta_get (self, "schema_version", &local_error);
  if (version == NULL)
    goto failed;
  if (g_ascii_strtoll (version, NULL, 10) >= 2)
    return commit (self, error);

  if (sqlite3_exec (self->db,
                    "CREATE TABLE blobs_v2 (digest TEXT PRIMARY KEY, length INTEGER NOT NULL,"
                    "                       sha256 TEXT NOT NULL);",
                    NULL, NULL, &errmsg) != SQLITE_OK ||
      sqlite3_prepare_v2 (self->db, "SELECT digest, data FROM blobs", -1, &read, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (self->db, "INSERT INTO blobs_v2 (digest, length, sha256) VALUES (?1, ?2, ?3)",
                          -1, &insert, NULL) != SQLITE_OK)
    {
      g_set_error (&local_error, GLS_STORE_ERROR, GLS_STORE_ERROR_IO, "%s",
                   errmsg != NULL ? errmsg : sqlite3_errmsg (self->db));
      goto failed;
    }

  while ((rc = sqlite3_step (read)) == SQLITE_ROW)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (sqlite3_column_blob (read, 1), sqlite3_column_bytes (read, 1));
      g_autofree char *sha256 = NULL;

      if (!_gls_store_files_write_bytes (self->files_dir, bytes, &sha256, &local_error))
        goto failed;
      sqlite3_reset (insert);
      sqlite3_bind_text (insert, 1, (const char *) sqlite3_column_text (read, 0), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (insert, 2, (gint64) g_bytes_get_size (bytes));
      sqlite3_bind_text (insert, 3, sha256, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (insert) != SQLITE_DONE)
        {
          set_sqlite_error (&local_error, self->db, sqlite3_errcode (self->db), "blobs");
          goto failed;
        }
      n++;
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (&local_error, self->db, rc, "blobs");
      goto failed;
    }
  g_clear_pointer (&read, sqlite3_finalize);
  g_clear_pointer (&insert, sqlite3_finalize);

  if (sqlite3_exec (self->db, "DROP TABLE blobs; ALTER TABLE blobs_v2 RENAME TO blobs;",
                    NULL, NULL, &errmsg) != SQLITE_OK)
    {
      g_set_error (&local_error, GLS_STORE_ERROR, GLS_STORE_ERROR_IO, "%s", errmsg);
      goto failed;
    }
  if (!meta_set (self, "schema_version", "2", &local_error) ||
      !commit (self, &local_error))
    goto failed;

  g_debug ("%s: moved %u attachments into %s", self->path, n, self->files_dir);
  return TRUE;

failed:
  sqlite3_free (errmsg);
  sqlite3_finalize (read);
  sqlite3_finalize (insert);
  rollback (self);
  g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_IO,
               _("Could not upgrade the store “%s” to this version of Glossa: %s"),
               self->path, local_error != NULL ? local_error->message : "?");
  return FALSE;
}

static gboolean
open_database (GlsStore  *self,
               GError   **error)
{
  g_autofree char *magic = NULL;
  g_autofree char *version = NULL;
  g_autofree char *limit = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean has_meta;
  gint64 n_tables;
  int rc;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_IO,
                   _("Could not open the store “%s”: %s"), self->path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return FALSE;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  /* The first read of the file: tells a database from anything else. */
  rc = sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      int code = ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
                 ? GLS_STORE_ERROR_CORRUPT : GLS_STORE_ERROR_IO;

      if (code == GLS_STORE_ERROR_CORRUPT)
        g_set_error (error, GLS_STORE_ERROR, code,
                     _("“%s” is not a Glossa store: %s"), self->path,
                     sqlite3_errmsg (self->db));
      else
        g_set_error (error, GLS_STORE_ERROR, code,
                     _("Could not open the store “%s”: %s"), self->path,
                     sqlite3_errmsg (self->db));
      sqlite3_finalize (stmt);
      return FALSE;
    }
  if (g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") != 0)
    g_warning ("%s: cannot use write-ahead logging, journal mode is %s",
               self->path, sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  /* WAL with FULL syncs the log on every commit: a committed write
   * survives a killed process and a power cut alike. */
  sqlite3_exec (self->db, "PRAGMA synchronous = FULL;"
                          "PRAGMA mmap_size = 268435456;"
                          "PRAGMA temp_store = MEMORY;"
                          "PRAGMA cache_size = -16000;", NULL, NULL, NULL);

  if (!table_exists (self, "meta", &has_meta, &n_tables, error))
    return FALSE;

  if (!has_meta)
    {
      if (n_tables > 0)
        {
          g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_CORRUPT,
                       _("“%s” is an SQLite database but not a Glossa store"), self->path);
          return FALSE;
        }

      /* A new file. Another process may be creating it at the same time:
       * check again inside the write transaction. */
      if (!begin_write (self, error))
        return FALSE;
      if (!table_exists (self, "meta", &has_meta, &n_tables, error))
        {
          rollback (self);
          return FALSE;
        }
      if (!has_meta && n_tables == 0 && !create_schema (self, error))
        {
          rollback (self);
          return FALSE;
        }
      if (!commit (self, error))
        return FALSE;
    }

  magic = meta_get (self, "magic", &local_error);
  if (magic != NULL)
    version = meta_get (self, "schema_version", &local_error);
  if (version != NULL)
    self->uuid = meta_get (self, "uuid", &local_error);
  if (self->uuid != NULL)
    limit = meta_get (self, "revs_limit", &local_error);

  if (local_error != NULL || g_strcmp0 (magic, SCHEMA_MAGIC) != 0)
    {
      g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_CORRUPT,
                   _("“%s” is an SQLite database but not a Glossa store"), self->path);
      return FALSE;
    }
  if (g_ascii_strtoll (version, NULL, 10) > SCHEMA_VERSION)
    {
      g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_CORRUPT,
                   _("The store “%s” was made by a newer version of Glossa"), self->path);
      return FALSE;
    }
  if (strlen (self->uuid) != 32)
    {
      g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_CORRUPT,
                   _("The store “%s” is damaged: it has no valid uuid"), self->path);
      return FALSE;
    }

  self->revs_limit = (guint) CLAMP (g_ascii_strtoll (limit, NULL, 10), 1, G_MAXINT32);
  if (g_ascii_strtoll (version, NULL, 10) < 2 && !migrate_files (self, error))
    return FALSE;
  if (!ensure_doc_counts (self, error) || !ensure_notes (self, error) || !ensure_indexes (self, error))
    return FALSE;
  if (!read_max_seq (self, &self->emitted_seq, error))
    return FALSE;
  self->committed_seq = self->emitted_seq;

  return TRUE;
}

static gboolean
gls_store_initable_init (GInitable     *initable,
                         GCancellable  *cancellable,
                         GError       **error)
{
  GlsStore *self = GLS_STORE (initable);
  gboolean ret;

  g_return_val_if_fail (self->path != NULL, FALSE);

  self->files_dir = _gls_store_files_dir_for (self->path);
  g_mutex_lock (&self->lock);
  ret = open_database (self, error);
  g_mutex_unlock (&self->lock);

  if (ret)
    start_monitors (self);

  return ret;
}

static void
gls_store_initable_iface_init (GInitableIface *iface)
{
  iface->init = gls_store_initable_init;
}

/* GObject */

static void
gls_store_dispose (GObject *object)
{
  GlsStore *self = GLS_STORE (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->monitors); i++)
    if (self->monitors[i] != NULL)
      {
        g_signal_handlers_disconnect_by_data (self->monitors[i], self);
        g_file_monitor_cancel (self->monitors[i]);
        g_clear_object (&self->monitors[i]);
      }

  g_mutex_lock (&self->signal_lock);
  if (self->check_source != NULL)
    {
      g_source_destroy (self->check_source);
      g_clear_pointer (&self->check_source, g_source_unref);
    }
  g_mutex_unlock (&self->signal_lock);

  G_OBJECT_CLASS (gls_store_parent_class)->dispose (object);
}

static void
gls_store_finalize (GObject *object)
{
  GlsStore *self = GLS_STORE (object);

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_clear_pointer (&self->watch_stmt, sqlite3_finalize);
  g_clear_pointer (&self->watch_db, sqlite3_close_v2);
  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->read_stmts[i], sqlite3_finalize);
  g_clear_pointer (&self->read_db, sqlite3_close_v2);

  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->files_dir, g_free);
  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->instance_start_time, g_free);
  g_clear_pointer (&self->index_specs, g_ptr_array_unref);

  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->signal_lock);
  g_mutex_clear (&self->watch_lock);
  g_mutex_clear (&self->read_lock);

  G_OBJECT_CLASS (gls_store_parent_class)->finalize (object);
}

static void
gls_store_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  GlsStore *self = GLS_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_REVS_LIMIT:
      g_value_set_uint (value, gls_store_get_revs_limit (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_store_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  GlsStore *self = GLS_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    case PROP_REVS_LIMIT:
      gls_store_set_revs_limit (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_store_class_init (GlsStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gls_store_dispose;
  object_class->finalize = gls_store_finalize;
  object_class->get_property = gls_store_get_property;
  object_class->set_property = gls_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_REVS_LIMIT] =
    g_param_spec_uint ("revs-limit", NULL, NULL, 1, G_MAXINT32, DEFAULT_REVS_LIMIT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GlsStore::changed:
   * @update_seq: the update sequence after the change
   *
   * Documents were written, by this process or another one. Emitted in the
   * main context that was the thread-default when the store was opened;
   * bursts of writes are coalesced.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
gls_store_init (GlsStore *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->signal_lock);
  g_mutex_init (&self->watch_lock);
  g_mutex_init (&self->read_lock);
  self->revs_limit = DEFAULT_REVS_LIMIT;
  self->context = g_main_context_ref_thread_default ();
  self->instance_start_time = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time ());
}

/**
 * gls_store_open:
 * @path: the SQLite file, created when missing
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 *   (%GLS_STORE_ERROR_CORRUPT when the file is not a Glossa store)
 */
GlsStore *
gls_store_open (const char  *path,
                GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (GLS_TYPE_STORE, NULL, error, "path", path, NULL);
}

const char *
gls_store_get_path (GlsStore *self)
{
  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  return self->path;
}

const char *
gls_store_get_files_dir (GlsStore *self)
{
  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  return self->files_dir;
}

const char *
gls_store_get_uuid (GlsStore *self)
{
  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  return self->uuid;
}

const char *
gls_store_get_instance_start_time (GlsStore *self)
{
  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  return self->instance_start_time;
}

static gint64
locked_count (GlsStore *self,
              StmtId    id)
{
  g_autoptr(GError) error = NULL;
  gint64 value = 0;

  g_mutex_lock (&self->lock);
  if (!query_int (self, id, 0, &value, &error))
    g_warning ("%s: %s", self->path, error->message);
  g_mutex_unlock (&self->lock);

  return value;
}

gint64
gls_store_get_update_seq (GlsStore *self)
{
  g_return_val_if_fail (GLS_IS_STORE (self), 0);
  return locked_count (self, STMT_MAX_SEQ);
}

gint64
gls_store_get_doc_count (GlsStore *self)
{
  g_return_val_if_fail (GLS_IS_STORE (self), 0);
  return locked_count (self, STMT_DOC_COUNT);
}

gint64
gls_store_get_doc_del_count (GlsStore *self)
{
  g_return_val_if_fail (GLS_IS_STORE (self), 0);
  return locked_count (self, STMT_DOC_DEL_COUNT);
}

guint
gls_store_get_revs_limit (GlsStore *self)
{
  guint limit;

  g_return_val_if_fail (GLS_IS_STORE (self), 0);

  g_mutex_lock (&self->lock);
  limit = self->revs_limit;
  g_mutex_unlock (&self->lock);

  return limit;
}

void
gls_store_set_revs_limit (GlsStore *self,
                          guint     revs_limit)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  gboolean changed = FALSE;

  g_return_if_fail (GLS_IS_STORE (self));
  g_return_if_fail (revs_limit > 0);

  g_mutex_lock (&self->lock);
  if (self->db == NULL)
    {
      /* Construct time, before the file is open. */
      self->revs_limit = revs_limit;
    }
  else if (self->revs_limit != revs_limit)
    {
      value = g_strdup_printf ("%u", revs_limit);
      if (begin_write (self, &error) &&
          meta_set (self, "revs_limit", value, &error) &&
          commit (self, &error))
        {
          self->revs_limit = revs_limit;
          changed = TRUE;
        }
      else
        {
          rollback (self);
          g_warning ("%s: cannot set revs_limit: %s", self->path, error->message);
        }
    }
  g_mutex_unlock (&self->lock);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVS_LIMIT]);
}

/* Documents: reading pieces (lock held) */

static gboolean
lookup_doc_in (GlsStore       *self,
               sqlite3        *db,
               sqlite3_stmt  **stmts,
               const char     *id,
               gint64         *doc_id,
               GError        **error)
{
  return query_int_by_text_in (self, db, stmts, STMT_DOC_BY_ID, id, 0, doc_id, error);
}

static gboolean
lookup_doc (GlsStore   *self,
            const char *id,
            gint64     *doc_id,
            GError    **error)
{
  return query_int_by_text (self, STMT_DOC_BY_ID, id, 0, doc_id, error);
}

static int
find_row (const gint64 *rows,
          guint         n,
          gint64        row)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      if (rows[mid] < row)
        lo = mid + 1;
      else
        hi = mid;
    }
  return (lo < n && rows[lo] == row) ? (int) lo : -1;
}

static gboolean
load_tree_in (GlsStore       *self,
              sqlite3        *db,
              sqlite3_stmt  **stmts,
              gint64          doc_id,
              GlsRevTree     *tree,
              GError        **error)
{
  g_autoptr(GlsStmt) stmt = conn_stmt (db, stmts, STMT_REVS_BY_DOC, error);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) parents = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, doc_id);
  while ((rc = stmt_step (self, stmt, error)) == SQLITE_ROW)
    {
      GlsRevNode node = { 0, };
      const char *hash = (const char *) sqlite3_column_text (stmt, 2);
      gint64 parent = sqlite3_column_int64 (stmt, 3);

      if (!_gls_rev_hash_is_valid (hash))
        return set_error_literal (error, GLS_STORE_ERROR_CORRUPT,
                                  _("The store is damaged: a revision id is invalid"));

      node.row = sqlite3_column_int64 (stmt, 0);
      node.gen = (guint) sqlite3_column_int64 (stmt, 1);
      memcpy (node.hash, hash, GLS_REV_HASH_LEN + 1);
      node.parent = -1;
      node.deleted = sqlite3_column_int (stmt, 4) != 0;
      node.leaf = sqlite3_column_int (stmt, 5) != 0;
      node.has_body = sqlite3_column_int (stmt, 6) != 0;
      node.state = GLS_REV_NODE_KEPT;
      _gls_rev_tree_add (tree, &node);
      g_array_append_val (rows, node.row);
      g_array_append_val (parents, parent);
    }
  if (rc == 0)
    return FALSE;

  for (guint i = 0; i < tree->nodes->len; i++)
    {
      gint64 parent = g_array_index (parents, gint64, i);

      if (parent != 0)
        _gls_rev_tree_node (tree, i)->parent =
          find_row ((const gint64 *) rows->data, rows->len, parent);
    }

  return TRUE;
}

static gboolean
load_tree (GlsStore   *self,
           gint64      doc_id,
           GlsRevTree *tree,
           GError    **error)
{
  return load_tree_in (self, self->db, self->stmts, doc_id, tree, error);
}

/* Reads body and attachment stubs of a revision; both may be NULL. */
static gboolean
read_content (GlsStore   *self,
              gint64      row,
              char      **body,
              char      **atts,
              GError    **error)
{
  g_autoptr(GlsStmt) stmt = get_stmt (self, STMT_REV_CONTENT, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row);
  if (!(rc = stmt_step (self, stmt, error)))
    return FALSE;
  if (rc != SQLITE_ROW)
    return set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "missing");
  if (body != NULL)
    *body = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (atts != NULL)
    *atts = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  return TRUE;
}

static JsonObject *
parse_object_text (const char  *text,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) node = _gls_json_parse (text, -1, &local_error);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_CORRUPT,
                   _("The store is damaged: a stored document is not valid JSON (%s)"),
                   local_error != NULL ? local_error->message : "not an object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (node));
}

#define REV_BUF_SIZE 48

/* "<gen>-<hash>", as g_snprintf ("%u-%s") would, without a format to
 * interpret for every document read. */
static const char *
print_rev (const GlsRevNode *node,
           char              buf[REV_BUF_SIZE])
{
  char digits[16];
  guint gen = node->gen;
  guint n = 0;
  char *p = buf;

  G_STATIC_ASSERT (REV_BUF_SIZE >= 10 + 1 + GLS_REV_HASH_LEN + 1);

  do
    digits[n++] = '0' + gen % 10;
  while ((gen /= 10) != 0);
  while (n > 0)
    *p++ = digits[--n];
  *p++ = '-';
  g_strlcpy (p, node->hash, REV_BUF_SIZE - (p - buf));

  return buf;
}

static char *
format_rev (const GlsRevNode *node)
{
  return g_strdup_printf ("%u-%s", node->gen, node->hash);
}

static gboolean
read_blob (GlsStore    *self,
           const char  *digest,
           GBytes     **bytes,
           GError     **error)
{
  g_autoptr(GlsStmt) stmt = get_stmt (self, STMT_BLOB_DATA, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, digest, -1, SQLITE_STATIC);
  if (!(rc = stmt_step (self, stmt, error)))
    return FALSE;
  if (rc != SQLITE_ROW)
    return set_error_literal (error, GLS_STORE_ERROR_CORRUPT,
                              _("The store is damaged: attachment data is missing"));
  *bytes = _gls_store_files_read (self->files_dir, (const char *) sqlite3_column_text (stmt, 0),
                                  sqlite3_column_int64 (stmt, 1), error);
  return *bytes != NULL;
}

/* Turns stored attachment records into stubs or inline data. */
static gboolean
add_attachments (GlsStore    *self,
                 JsonObject  *doc,
                 const char  *atts_text,
                 gboolean     inline_data,
                 GError     **error)
{
  g_autoptr(JsonObject) atts = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (atts_text == NULL)
    return TRUE;
  if (!(atts = parse_object_text (atts_text, error)))
    return FALSE;

  json_object_iter_init (&iter, atts);
  while (json_object_iter_next (&iter, &name, &member))
    {
      JsonObject *att = json_node_get_object (member);

      if (inline_data)
        {
          g_autoptr(GBytes) bytes = NULL;
          g_autofree char *base64 = NULL;
          gsize len;
          const guchar *data;

          if (!read_blob (self, json_object_get_string_member (att, "digest"), &bytes, error))
            return FALSE;
          data = g_bytes_get_data (bytes, &len);
          json_object_remove_member (att, "length");
          base64 = g_base64_encode (data, len);
          json_object_set_string_member (att, "data", base64);
        }
      else
        {
          json_object_set_boolean_member (att, "stub", TRUE);
        }
    }

  json_object_set_object_member (doc, "_attachments", g_steal_pointer (&atts));
  return TRUE;
}

static JsonArray *
revisions_path (GlsRevTree *tree,
                int         idx,
                guint       limit,
                guint      *start)
{
  JsonArray *ids = json_array_new ();

  *start = _gls_rev_tree_node (tree, idx)->gen;
  for (int cur = idx; cur >= 0 && json_array_get_length (ids) < limit;
       cur = _gls_rev_tree_node (tree, cur)->parent)
    json_array_add_string_element (ids, _gls_rev_tree_node (tree, cur)->hash);

  return ids;
}

static JsonObject *
build_doc (GlsStore          *self,
           const char        *id,
           GlsRevTree        *tree,
           int                idx,
           GlsStoreGetFlags   flags,
           GError           **error)
{
  const GlsRevNode *node = _gls_rev_tree_node (tree, idx);
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *body_text = NULL;
  g_autofree char *atts_text = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  char rev[REV_BUF_SIZE];

  if (!node->has_body)
    {
      set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "missing");
      return NULL;
    }
  if (!read_content (self, node->row, &body_text, &atts_text, error))
    return NULL;
  if (!(body = parse_object_text (body_text != NULL ? body_text : "{}", error)))
    return NULL;

  doc = json_object_new ();
  json_object_set_string_member (doc, "_id", id);
  json_object_set_string_member (doc, "_rev", print_rev (node, rev));

  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &name, &member))
    json_object_set_member (doc, name, json_node_ref (member));

  if (node->deleted)
    json_object_set_boolean_member (doc, "_deleted", TRUE);

  if (!add_attachments (self, doc, atts_text, (flags & GLS_STORE_GET_ATTACHMENTS) != 0, error))
    return NULL;

  if (flags & GLS_STORE_GET_CONFLICTS)
    {
      g_autoptr(GArray) leaves = _gls_rev_tree_sorted_leaves (tree);
      g_autoptr(JsonArray) conflicts = json_array_new ();

      for (guint i = 0; i < leaves->len; i++)
        {
          int leaf = g_array_index (leaves, int, i);
          const GlsRevNode *other = _gls_rev_tree_node (tree, leaf);

          if (leaf != idx && !other->deleted)
            json_array_add_string_element (conflicts, print_rev (other, rev));
        }
      if (json_array_get_length (conflicts) > 0)
        json_object_set_array_member (doc, "_conflicts", g_steal_pointer (&conflicts));
    }

  if (flags & GLS_STORE_GET_REVS)
    {
      JsonObject *revisions = json_object_new ();
      guint start;
      JsonArray *ids = revisions_path (tree, idx, self->revs_limit, &start);

      json_object_set_int_member (revisions, "start", start);
      json_object_set_array_member (revisions, "ids", ids);
      json_object_set_object_member (doc, "_revisions", revisions);
    }

  return g_steal_pointer (&doc);
}

/* build_doc's document as JSON text, from the stored text: `_id`, `_rev`
 * and the other underscore members, then the stored body's members. */
static gboolean
build_doc_text (GlsStore          *self,
                const char        *id,
                GlsRevTree        *tree,
                int                idx,
                GlsStoreGetFlags   flags,
                GString           *out,
                GError           **error)
{
  const GlsRevNode *node = _gls_rev_tree_node (tree, idx);
  g_autofree char *body_text = NULL;
  g_autofree char *atts_text = NULL;
  char rev[REV_BUF_SIZE];

  if (!node->has_body)
    return set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "missing");
  if (!read_content (self, node->row, &body_text, &atts_text, error))
    return FALSE;

  g_string_append (out, "{\"_id\":");
  _gls_json_write_string (out, id);
  g_string_append (out, ",\"_rev\":\"");
  g_string_append (out, print_rev (node, rev));
  g_string_append_c (out, '"');
  if (node->deleted)
    g_string_append (out, ",\"_deleted\":true");

  if (atts_text != NULL)
    {
      g_autoptr(JsonObject) holder = json_object_new ();
      JsonNode *atts;

      if (!add_attachments (self, holder, atts_text, (flags & GLS_STORE_GET_ATTACHMENTS) != 0, error))
        return FALSE;
      if ((atts = json_object_get_member (holder, "_attachments")) != NULL)
        {
          g_string_append (out, ",\"_attachments\":");
          _gls_json_write (out, atts);
        }
    }

  if (flags & GLS_STORE_GET_CONFLICTS)
    {
      g_autoptr(GArray) leaves = _gls_rev_tree_sorted_leaves (tree);
      gboolean any = FALSE;

      for (guint i = 0; i < leaves->len; i++)
        {
          int leaf = g_array_index (leaves, int, i);
          const GlsRevNode *other = _gls_rev_tree_node (tree, leaf);

          if (leaf == idx || other->deleted)
            continue;
          g_string_append (out, any ? ",\"" : ",\"_conflicts\":[\"");
          g_string_append (out, print_rev (other, rev));
          g_string_append_c (out, '"');
          any = TRUE;
        }
      if (any)
        g_string_append_c (out, ']');
    }

  if (flags & GLS_STORE_GET_REVS)
    {
      guint n = 0;

      g_string_append (out, ",\"_revisions\":{\"ids\":[");
      for (int cur = idx; cur >= 0 && n < self->revs_limit;
           cur = _gls_rev_tree_node (tree, cur)->parent, n++)
        {
          if (n > 0)
            g_string_append_c (out, ',');
          g_string_append_c (out, '"');
          g_string_append (out, _gls_rev_tree_node (tree, cur)->hash);
          g_string_append_c (out, '"');
        }
      g_string_append_printf (out, "],\"start\":%u}", node->gen);
    }

  /* The stored body is a canonical object without underscore members. */
  if (body_text == NULL || body_text[0] != '{' || body_text[1] == '}')
    g_string_append_c (out, '}');
  else
    {
      g_string_append_c (out, ',');
      g_string_append (out, body_text + 1);
    }
  return TRUE;
}

/* Documents: writing (lock held, inside a write transaction) */

static gboolean
validate_id (const char  *id,
             GError     **error)
{
  if (id == NULL || id[0] == '\0')
    return set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Document id must not be empty");
  if (id[0] == '_' &&
      !(g_str_has_prefix (id, "_design/") && id[8] != '\0') &&
      !(g_str_has_prefix (id, "_local/") && id[7] != '\0'))
    return set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST,
                              "Only reserved document ids may start with underscore.");
  return TRUE;
}

static gboolean
check_special_members (JsonObject  *doc,
                       GError     **error)
{
  static const char *const allowed[] = {
    "_id", "_rev", "_deleted", "_attachments", "_revisions",
    /* read-only members a client may echo back: ignored */
    "_conflicts", "_deleted_conflicts", "_local_seq", "_revs_info", "_access",
  };
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, doc);
  while (json_object_iter_next (&iter, &name, &member))
    {
      gboolean ok = FALSE;

      if (name[0] != '_')
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (allowed) && !ok; i++)
        ok = strcmp (name, allowed[i]) == 0;
      if (!ok)
        {
          g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST,
                       "Bad special document member: %s", name);
          return FALSE;
        }
    }

  if ((member = json_object_get_member (doc, "_rev")) != NULL &&
      (!JSON_NODE_HOLDS_VALUE (member) ||
       json_node_get_value_type (member) != G_TYPE_STRING ||
       !_gls_rev_parse (json_node_get_string (member), NULL, NULL)))
    return set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Invalid rev format");

  if ((member = json_object_get_member (doc, "_deleted")) != NULL &&
      !JSON_NODE_HOLDS_NULL (member) &&
      (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_BOOLEAN))
    return set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "_deleted must be a boolean");

  if ((member = json_object_get_member (doc, "_attachments")) != NULL &&
      !JSON_NODE_HOLDS_NULL (member) && !JSON_NODE_HOLDS_OBJECT (member))
    return set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "_attachments must be an object");

  return TRUE;
}

static gboolean
base64_is_valid (const char *s)
{
  for (; *s; s++)
    if (!(g_ascii_isalnum (*s) || *s == '+' || *s == '/' || *s == '=' ||
          *s == '\n' || *s == '\r' || *s == ' ' || *s == '\t'))
      return FALSE;
  return TRUE;
}

char *
_gls_store_digest (const guchar *data,
                   gsize         len)
{
  g_autoptr(GChecksum) md5 = g_checksum_new (G_CHECKSUM_MD5);
  g_autofree char *base64 = NULL;
  guint8 raw[16];
  gsize raw_len = sizeof raw;

  g_checksum_update (md5, data, len);
  g_checksum_get_digest (md5, raw, &raw_len);
  base64 = g_base64_encode (raw, raw_len);
  return g_strconcat ("md5-", base64, NULL);
}

static int
compare_atts (gconstpointer a,
              gconstpointer b)
{
  const Att *aa = *(const Att *const *) a;
  const Att *bb = *(const Att *const *) b;

  return strcmp (aa->name, bb->name);
}

static gboolean
blob_length (GlsStore   *self,
             const char *digest,
             gint64     *length,
             GError    **error)
{
  return query_int_by_text (self, STMT_BLOB_LENGTH, digest, -1, length, error);
}

/* Reads `_attachments` of an incoming document into `out`, sorted by name.
 * Stubs refer to the parent revision's attachments (parent_atts, for new
 * edits) or to data we already hold by digest (replicated revisions). */
static gboolean
prepare_attachments (GlsStore    *self,
                     JsonObject  *doc,
                     gboolean     new_edits,
                     guint        gen,
                     JsonObject  *parent_atts,
                     GPtrArray   *out,
                     GError     **error)
{
  JsonObject *atts;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (!json_object_has_member (doc, "_attachments") ||
      JSON_NODE_HOLDS_NULL (json_object_get_member (doc, "_attachments")))
    return TRUE;

  atts = json_object_get_object_member (doc, "_attachments");
  json_object_iter_init (&iter, atts);
  while (json_object_iter_next (&iter, &name, &member))
    {
      g_autoptr(GError) local_error = NULL;
      JsonObject *in;
      const char *content_type = NULL;
      const char *data = NULL;
      gboolean stub;
      Att *att;

      if (name[0] == '\0' || !JSON_NODE_HOLDS_OBJECT (member))
        {
          g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST,
                       "Invalid attachment “%s”", name);
          return FALSE;
        }
      in = json_node_get_object (member);
      if (json_object_has_member (in, "content_type"))
        content_type = json_object_get_string_member_with_default (in, "content_type", NULL);
      if (json_object_has_member (in, "data"))
        data = json_object_get_string_member_with_default (in, "data", NULL);
      stub = json_object_get_boolean_member_with_default (in, "stub", FALSE);

      att = g_new0 (Att, 1);
      g_ptr_array_add (out, att);
      att->name = g_strdup (name);

      if (data == NULL && json_object_get_boolean_member_with_default (in, "follows", FALSE))
        {
          GlsStoreBlob *blob = self->follows != NULL ? g_hash_table_lookup (self->follows, name) : NULL;

          if (blob == NULL)
            {
              g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST,
                           "Attachment “%s” follows, but no data came for it", name);
              return FALSE;
            }
          att->blob = blob;
          att->digest = g_strdup (gls_store_blob_get_digest (blob));
          att->length = gls_store_blob_get_length (blob);
          att->content_type = g_strdup (content_type != NULL ? content_type
                                                             : "application/octet-stream");
          att->revpos = new_edits ? gen
                                  : json_object_get_int_member_with_default (in, "revpos", gen);
        }
      else if (data != NULL)
        {
          guchar *decoded;
          gsize len = 0;

          if (!base64_is_valid (data))
            {
              g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST,
                           "Attachment “%s” data is not valid base64", name);
              return FALSE;
            }
          decoded = data[0] != '\0' ? g_base64_decode (data, &len) : g_malloc0 (1);
          att->data = g_bytes_new_take (decoded, len);
          att->digest = _gls_store_digest (decoded, len);
          att->length = (gint64) len;
          att->content_type = g_strdup (content_type != NULL ? content_type
                                                             : "application/octet-stream");
          att->revpos = new_edits ? gen
                                  : json_object_get_int_member_with_default (in, "revpos", gen);
        }
      else if (stub && new_edits)
        {
          JsonObject *prev = NULL;

          if (parent_atts != NULL && json_object_has_member (parent_atts, name))
            prev = json_object_get_object_member (parent_atts, name);
          if (prev == NULL)
            {
              g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_MISSING_STUB,
                           "Invalid attachment stub in %s for %s",
                           json_object_get_string_member_with_default (doc, "_id", ""), name);
              return FALSE;
            }
          att->digest = g_strdup (json_object_get_string_member (prev, "digest"));
          att->length = json_object_get_int_member (prev, "length");
          att->revpos = json_object_get_int_member (prev, "revpos");
          att->content_type = g_strdup (json_object_get_string_member (prev, "content_type"));
        }
      else if (stub)
        {
          const char *digest = json_object_get_string_member_with_default (in, "digest", NULL);
          gint64 length = -1;

          if (digest != NULL && !blob_length (self, digest, &length, error))
            return FALSE;
          if (length < 0 && digest != NULL && self->follows != NULL &&
              (att->blob = g_hash_table_lookup (self->follows, digest)) != NULL)
            length = gls_store_blob_get_length (att->blob);  /* fetched for this write */
          if (length < 0)
            {
              g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_MISSING_STUB,
                           "Invalid attachment stub in %s for %s",
                           json_object_get_string_member_with_default (doc, "_id", ""), name);
              return FALSE;
            }
          att->digest = g_strdup (digest);
          att->length = length;
          att->revpos = json_object_get_int_member_with_default (in, "revpos", gen);
          att->content_type = g_strdup (content_type != NULL ? content_type
                                                             : "application/octet-stream");
        }
      else
        {
          g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST,
                       "Attachment “%s” has neither data nor stub", name);
          return FALSE;
        }
    }

  g_ptr_array_sort (out, compare_atts);
  return TRUE;
}

static char *
serialize_attachments (GPtrArray *atts)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) node = NULL;
  GString *out;

  if (atts->len == 0)
    return NULL;

  object = json_object_new ();
  for (guint i = 0; i < atts->len; i++)
    {
      const Att *att = g_ptr_array_index (atts, i);
      JsonObject *entry = json_object_new ();

      json_object_set_string_member (entry, "content_type", att->content_type);
      json_object_set_string_member (entry, "digest", att->digest);
      json_object_set_int_member (entry, "length", att->length);
      json_object_set_int_member (entry, "revpos", att->revpos);
      json_object_set_object_member (object, att->name, entry);
    }

  node = json_node_init_object (json_node_alloc (), object);
  out = g_string_new (NULL);
  _gls_json_write (out, node);
  return g_string_free (out, FALSE);
}

static gboolean
store_blobs (GlsStore   *self,
             GPtrArray  *atts,
             GError    **error)
{
  for (guint i = 0; i < atts->len; i++)
    {
      const Att *att = g_ptr_array_index (atts, i);
      g_autoptr(GlsStmt) stmt = NULL;
      g_autofree char *sha256 = NULL;

      if (att->blob != NULL)
        {
          /* Written and synced before the write began: named now, under
           * the write lock, so compaction cannot take it meanwhile. */
          if (!_gls_store_blob_name (att->blob, error))
            return FALSE;
          if (!(stmt = get_stmt (self, STMT_BLOB_INSERT, error)))
            return FALSE;
          sqlite3_bind_text (stmt, 1, att->digest, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 2, att->length);
          sqlite3_bind_text (stmt, 3, gls_store_blob_get_sha256 (att->blob), -1, SQLITE_STATIC);
          if (!stmt_step (self, stmt, error))
            return FALSE;
          continue;
        }
      if (att->data == NULL)
        continue;
      /* A synced file before this transaction commits; bytes already
       * there (a file of that name and size) are not written again. */
      if (!_gls_store_files_write_bytes (self->files_dir, att->data, &sha256, error))
        return FALSE;
      if (!(stmt = get_stmt (self, STMT_BLOB_INSERT, error)))
        return FALSE;
      sqlite3_bind_text (stmt, 1, att->digest, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, (gint64) g_bytes_get_size (att->data));
      sqlite3_bind_text (stmt, 3, sha256, -1, SQLITE_STATIC);
      if (!stmt_step (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Writes the changes of `tree` for document `doc_id`; node `body_node`
 * (when NEW) gets the body and attachments. */
static gboolean
persist_tree (GlsStore    *self,
              gint64       doc_id,
              GlsRevTree  *tree,
              int          body_node,
              const char  *body,
              const char  *atts,
              GError     **error)
{
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (int));
  guint n = tree->nodes->len;

  for (guint i = 0; i < n; i++)
    {
      GlsRevNode *node = _gls_rev_tree_node (tree, i);

      if (node->state == GLS_REV_NODE_REMOVED && node->row != 0)
        {
          g_autoptr(GlsStmt) stmt = get_stmt (self, STMT_REV_DELETE, error);

          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, node->row);
          if (!stmt_step (self, stmt, error))
            return FALSE;
        }
      else if (node->state == GLS_REV_NODE_NEW)
        {
          int idx = (int) i;
          g_array_append_val (order, idx);
        }
    }

  /* Parents have lower generations: insert them first. */
  for (guint i = 1; i < order->len; i++)
    for (guint j = i; j > 0; j--)
      {
        int *v = (int *) order->data;
        if (_gls_rev_tree_node (tree, v[j])->gen < _gls_rev_tree_node (tree, v[j - 1])->gen)
          {
            int t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
          }
        else
          break;
      }

  for (guint k = 0; k < order->len; k++)
    {
      int i = g_array_index (order, int, k);
      GlsRevNode *node = _gls_rev_tree_node (tree, i);
      g_autoptr(GlsStmt) stmt = get_stmt (self, STMT_REV_INSERT, error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, doc_id);
      sqlite3_bind_int64 (stmt, 2, node->gen);
      sqlite3_bind_text (stmt, 3, node->hash, GLS_REV_HASH_LEN, SQLITE_STATIC);
      if (node->parent >= 0)
        sqlite3_bind_int64 (stmt, 4, _gls_rev_tree_node (tree, node->parent)->row);
      sqlite3_bind_int (stmt, 5, node->deleted);
      sqlite3_bind_int (stmt, 6, node->leaf);
      if (i == body_node)
        {
          sqlite3_bind_text (stmt, 7, body, -1, SQLITE_STATIC);
          if (atts != NULL)
            sqlite3_bind_text (stmt, 8, atts, -1, SQLITE_STATIC);
          node->has_body = TRUE;
        }
      if (!stmt_step (self, stmt, error))
        return FALSE;
      node->row = sqlite3_last_insert_rowid (self->db);
      node->state = GLS_REV_NODE_KEPT;
    }

  for (guint i = 0; i < n; i++)
    {
      GlsRevNode *node = _gls_rev_tree_node (tree, i);
      g_autoptr(GlsStmt) stmt = NULL;

      if (node->state != GLS_REV_NODE_DIRTY)
        continue;
      if (!(stmt = get_stmt (self, STMT_REV_UPDATE, error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, node->row);
      if (node->parent >= 0)
        sqlite3_bind_int64 (stmt, 2, _gls_rev_tree_node (tree, node->parent)->row);
      sqlite3_bind_int (stmt, 3, node->leaf);
      if (!stmt_step (self, stmt, error))
        return FALSE;
      node->state = GLS_REV_NODE_KEPT;
    }

  return TRUE;
}

typedef struct
{
  char  *name;
  GStrv  members;   /* the path, from the top */
} IndexSpec;

static void
index_spec_free (gpointer data)
{
  IndexSpec *spec = data;

  g_free (spec->name);
  g_strfreev (spec->members);
  g_free (spec);
}

/* The members of a json_path as json_path_for makes it ($."a"."b"). */
static GStrv
json_path_members (const char *json_path)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *p = json_path;

  if (*p++ != '$')
    return NULL;
  while (*p != '\0')
    {
      const char *end = p[0] == '.' && p[1] == '"' ? strchr (p + 2, '"') : NULL;
      g_autofree char *member = end != NULL ? g_strndup (p + 2, end - (p + 2)) : NULL;

      if (member == NULL)
        return NULL;
      g_strv_builder_add (builder, member);
      p = end + 1;
    }
  return g_strv_builder_end (builder);
}

/* Reads the declared indexes, once per write transaction. */
static gboolean
load_index_specs (GlsStore  *self,
                  GError   **error)
{
  g_autoptr(GlsStmt) stmt = NULL;
  int rc;

  if (self->index_specs_valid)
    return TRUE;
  if (self->index_specs == NULL)
    self->index_specs = g_ptr_array_new_with_free_func (index_spec_free);
  g_ptr_array_set_size (self->index_specs, 0);
  if (!(stmt = get_stmt (self, STMT_INDEX_SPECS, error)))
    return FALSE;
  while ((rc = stmt_step (self, stmt, error)) == SQLITE_ROW)
    {
      IndexSpec *spec = g_new0 (IndexSpec, 1);

      spec->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      /* NULL: a path this version does not make; SQLite reads it. */
      spec->members = json_path_members ((const char *) sqlite3_column_text (stmt, 1));
      g_ptr_array_add (self->index_specs, spec);
    }
  if (rc == 0)
    return FALSE;
  self->index_specs_valid = TRUE;
  return TRUE;
}

/* The entries of every index for a body: found here, without parsing
 * the body (most bodies); FALSE, with nothing written, when only SQLite
 * can tell. */
static gboolean
index_entries_fast (GlsStore    *self,
                    gint64       doc_id,
                    const char  *body,
                    gboolean    *done,
                    GError     **error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ends = g_array_new (FALSE, FALSE, sizeof (guint));

  *done = FALSE;
  for (guint i = 0; i < self->index_specs->len; i++)
    {
      IndexSpec *spec = g_ptr_array_index (self->index_specs, i);

      if (spec->members == NULL ||
          !_gls_store_json_index_keys (body, (const char *const *) spec->members, keys))
        return TRUE;
      g_array_append_val (ends, keys->len);
    }
  for (guint i = 0, k = 0; i < self->index_specs->len; i++)
    for (; k < g_array_index (ends, guint, i); k++)
      {
        g_autoptr(GlsStmt) insert = get_stmt (self, STMT_INDEX_INSERT, error);

        if (insert == NULL)
          return FALSE;
        sqlite3_bind_text (insert, 1, ((IndexSpec *) g_ptr_array_index (self->index_specs, i))->name,
                           -1, SQLITE_STATIC);
        sqlite3_bind_text (insert, 2, g_ptr_array_index (keys, k), -1, SQLITE_STATIC);
        sqlite3_bind_int64 (insert, 3, doc_id);
        if (!stmt_step (self, insert, error))
          return FALSE;
      }
  *done = TRUE;
  return TRUE;
}

/* The document's index entries, from its winning revision (`body` when
 * just written, else read): none when it is deleted. */
static gboolean
update_index_entries (GlsStore          *self,
                      gint64             doc_id,
                      gboolean           is_new,
                      const GlsRevNode  *winner,
                      const char        *body,
                      GError           **error)
{
  g_autoptr(GlsStmt) fill = NULL;
  g_autofree char *read = NULL;
  gboolean done;

  if (!is_new)
    {
      g_autoptr(GlsStmt) clear = get_stmt (self, STMT_INDEX_CLEAR, error);

      if (clear == NULL)
        return FALSE;
      sqlite3_bind_int64 (clear, 1, doc_id);
      if (!stmt_step (self, clear, error))
        return FALSE;
    }
  if (winner->deleted)
    return TRUE;
  if (body == NULL)
    {
      if (!winner->has_body)
        return TRUE;
      if (!read_content (self, winner->row, &read, NULL, error))
        return FALSE;
      body = read;
    }
  if (body == NULL)
    return TRUE;
  if (!load_index_specs (self, error) || !index_entries_fast (self, doc_id, body, &done, error))
    return FALSE;
  if (done)
    return TRUE;
  if (!(fill = get_stmt (self, STMT_INDEX_FILL, error)))
    return FALSE;
  sqlite3_bind_int64 (fill, 1, doc_id);
  sqlite3_bind_text (fill, 2, body, -1, SQLITE_STATIC);
  return stmt_step (self, fill, error) != 0;
}

/* Stems the tree, writes it and gives the document the next seq. */
static gboolean
finish_doc (GlsStore    *self,
            const char  *id,
            gint64       doc_id,
            GlsRevTree  *tree,
            int          body_node,
            const char  *body,
            GPtrArray   *atts,
            gint64      *seq,
            GError     **error)
{
  g_autofree char *atts_text = NULL;
  g_autoptr(GlsStmt) stmt = NULL;
  const GlsRevNode *winner;
  gboolean is_new = doc_id == 0;
  int w;

  _gls_rev_tree_update_leaves (tree);
  _gls_rev_tree_stem (tree, self->revs_limit);

  if (!store_blobs (self, atts, error))
    return FALSE;

  /* A new document's row comes last, whole: its revisions are written
   * under the id it will have (the next rowid, as SQLite would pick). */
  if (is_new && !query_int (self, STMT_DOC_NEXT_ID, 0, &doc_id, error))
    return FALSE;

  atts_text = serialize_attachments (atts);
  if (!persist_tree (self, doc_id, tree, body_node, body, atts_text, error))
    return FALSE;

  w = _gls_rev_tree_winner (tree);
  g_assert (w >= 0);
  winner = _gls_rev_tree_node (tree, w);

  *seq += 1;
  if (is_new)
    {
      if (!(stmt = get_stmt (self, STMT_DOC_INSERT, error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, doc_id);
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, *seq);
      sqlite3_bind_int64 (stmt, 4, winner->row);
      sqlite3_bind_int (stmt, 5, winner->deleted);
    }
  else
    {
      if (!(stmt = get_stmt (self, STMT_DOC_UPDATE, error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, doc_id);
      sqlite3_bind_int64 (stmt, 2, *seq);
      sqlite3_bind_int64 (stmt, 3, winner->row);
      sqlite3_bind_int (stmt, 4, winner->deleted);
    }
  if (!stmt_step (self, stmt, error))
    return FALSE;
  return update_index_entries (self, doc_id, is_new, winner, w == body_node ? body : NULL, error);
}

static gboolean
parent_attachments (GlsStore    *self,
                    JsonObject  *doc,
                    GlsRevTree  *tree,
                    int          parent,
                    JsonObject **out,
                    GError     **error)
{
  g_autofree char *atts_text = NULL;
  JsonNode *member = json_object_get_member (doc, "_attachments");

  *out = NULL;
  if (parent < 0 || member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
    return TRUE;
  if (!read_content (self, _gls_rev_tree_node (tree, parent)->row, NULL, &atts_text, error))
    return FALSE;
  if (atts_text != NULL && !(*out = parse_object_text (atts_text, error)))
    return FALSE;
  return TRUE;
}

static gboolean
write_new_edit (GlsStore    *self,
                const char  *id,
                JsonObject  *doc,
                GString     *body,
                gboolean     deleted,
                gint64      *seq,
                char       **new_rev,
                GError     **error)
{
  g_auto(GlsRevTree) tree = { NULL, };
  g_autoptr(GPtrArray) atts = g_ptr_array_new_with_free_func (att_free);
  g_autoptr(JsonObject) prev_atts = NULL;
  g_autoptr(GChecksum) md5 = NULL;
  const char *rev = json_object_get_string_member_with_default (doc, "_rev", NULL);
  GlsRevNode node = { 0, };
  char parent_rev[REV_BUF_SIZE] = "";
  gint64 doc_id;
  int parent = -1;
  int idx;

  _gls_rev_tree_init (&tree);
  if (!lookup_doc (self, id, &doc_id, error))
    return FALSE;
  if (doc_id != 0 && !load_tree (self, doc_id, &tree, error))
    return FALSE;

  if (rev != NULL)
    {
      guint gen;
      char hash[GLS_REV_HASH_LEN + 1];

      _gls_rev_parse (rev, &gen, hash);
      parent = _gls_rev_tree_find (&tree, gen, hash);
      if (parent < 0 || !_gls_rev_tree_node (&tree, parent)->leaf)
        return set_error_literal (error, GLS_STORE_ERROR_CONFLICT, "Document update conflict.");
    }
  else if (doc_id != 0)
    {
      /* Recreating a deleted document continues its tombstone. */
      parent = _gls_rev_tree_winner (&tree);
      if (parent >= 0 && !_gls_rev_tree_node (&tree, parent)->deleted)
        return set_error_literal (error, GLS_STORE_ERROR_CONFLICT, "Document update conflict.");
    }

  node.gen = parent >= 0 ? _gls_rev_tree_node (&tree, parent)->gen + 1 : 1;
  if (parent >= 0)
    print_rev (_gls_rev_tree_node (&tree, parent), parent_rev);

  if (!parent_attachments (self, doc, &tree, parent, &prev_atts, error) ||
      !prepare_attachments (self, doc, TRUE, node.gen, prev_atts, atts, error))
    return FALSE;

  /* The same edit of the same parent always gives the same rev. */
  md5 = g_checksum_new (G_CHECKSUM_MD5);
  g_checksum_update (md5, (const guchar *) parent_rev, strlen (parent_rev));
  g_checksum_update (md5, (const guchar *) (deleted ? "\n1\n" : "\n0\n"), 3);
  g_checksum_update (md5, (const guchar *) body->str, body->len);
  for (guint i = 0; i < atts->len; i++)
    {
      const Att *att = g_ptr_array_index (atts, i);

      g_checksum_update (md5, (const guchar *) "\n", 1);
      g_checksum_update (md5, (const guchar *) att->name, strlen (att->name) + 1);
      g_checksum_update (md5, (const guchar *) att->digest, strlen (att->digest));
    }
  memcpy (node.hash, g_checksum_get_string (md5), GLS_REV_HASH_LEN + 1);

  if (_gls_rev_tree_find (&tree, node.gen, node.hash) >= 0)
    return set_error_literal (error, GLS_STORE_ERROR_CONFLICT, "Document update conflict.");

  node.parent = parent;
  node.deleted = deleted;
  node.leaf = TRUE;
  node.state = GLS_REV_NODE_NEW;
  idx = _gls_rev_tree_add (&tree, &node);

  if (!finish_doc (self, id, doc_id, &tree, idx, body->str, atts, seq, error))
    return FALSE;

  *new_rev = format_rev (&node);
  return TRUE;
}

/* Merges the path `hashes` (newest first, generation `start` first) into
 * the document's tree; the newest revision, if new, gets `body` and the
 * attachments of `doc` (nullable: none). */
static gboolean
merge_replicated (GlsStore          *self,
                  const char        *id,
                  JsonObject        *doc,
                  const char *const *hashes,
                  guint              n_hashes,
                  gint64             start,
                  gboolean           deleted,
                  const char        *body,
                  gint64            *seq,
                  GError           **error)
{
  g_auto(GlsRevTree) tree = { NULL, };
  g_autoptr(GPtrArray) atts = g_ptr_array_new_with_free_func (att_free);
  gboolean changed = FALSE;
  gint64 doc_id;
  int idx;

  _gls_rev_tree_init (&tree);
  if (!lookup_doc (self, id, &doc_id, error))
    return FALSE;
  if (doc_id != 0 && !load_tree (self, doc_id, &tree, error))
    return FALSE;

  idx = _gls_rev_tree_merge_path (&tree, (guint) start, hashes, n_hashes, deleted, &changed);
  if (!changed)
    return TRUE;  /* nothing new: idempotent, no seq */

  if (doc != NULL && !prepare_attachments (self, doc, FALSE, (guint) start, NULL, atts, error))
    return FALSE;

  if (_gls_rev_tree_node (&tree, idx)->state != GLS_REV_NODE_NEW)
    idx = -1;

  return finish_doc (self, id, doc_id, &tree, idx, body, atts, seq, error);
}

static gboolean
write_replicated (GlsStore    *self,
                  const char  *id,
                  JsonObject  *doc,
                  GString     *body,
                  gboolean     deleted,
                  gint64      *seq,
                  char       **new_rev,
                  GError     **error)
{
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  const char *rev = json_object_get_string_member_with_default (doc, "_rev", NULL);
  JsonNode *revisions = json_object_get_member (doc, "_revisions");
  gint64 start = 0;

  if (revisions != NULL && !JSON_NODE_HOLDS_NULL (revisions))
    {
      JsonObject *object;
      JsonNode *ids_node;
      JsonArray *ids;
      guint n;

      if (!JSON_NODE_HOLDS_OBJECT (revisions))
        return set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Invalid _revisions");
      object = json_node_get_object (revisions);
      start = json_object_get_int_member_with_default (object, "start", 0);
      ids_node = json_object_get_member (object, "ids");
      if (ids_node == NULL || !JSON_NODE_HOLDS_ARRAY (ids_node) || start < 1 || start > G_MAXINT32)
        return set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Invalid _revisions");
      ids = json_node_get_array (ids_node);
      n = json_array_get_length (ids);
      if (n == 0 || (gint64) n > start)
        return set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Invalid _revisions");
      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (ids, i);
          const char *hash = JSON_NODE_HOLDS_VALUE (element) &&
                             json_node_get_value_type (element) == G_TYPE_STRING
                             ? json_node_get_string (element) : NULL;

          if (!_gls_rev_hash_is_valid (hash))
            return set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Invalid rev format");
          if (i < self->revs_limit)
            g_ptr_array_add (hashes, g_strdup (hash));
        }
      if (rev != NULL)
        {
          g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT "-%s", start,
                                                       (const char *) hashes->pdata[0]);
          if (strcmp (rev, expected) != 0)
            return set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST,
                                      "_rev does not match _revisions");
        }
    }
  else if (rev != NULL)
    {
      guint gen;
      char hash[GLS_REV_HASH_LEN + 1];

      _gls_rev_parse (rev, &gen, hash);
      start = gen;
      g_ptr_array_add (hashes, g_strdup (hash));
    }
  else
    {
      return set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST,
                                "When new_edits is false, the document needs _rev or _revisions specified");
    }

  *new_rev = g_strdup_printf ("%" G_GINT64_FORMAT "-%s", start, (const char *) hashes->pdata[0]);

  return merge_replicated (self, id, doc, (const char *const *) hashes->pdata, hashes->len,
                           start, deleted, body->str, seq, error);
}

static gboolean
parse_local_rev (const char *rev,
                 gint64     *n)
{
  const char *p;

  if (rev == NULL || !g_str_has_prefix (rev, "0-") || rev[2] == '\0')
    return FALSE;
  for (p = rev + 2; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  *n = g_ascii_strtoll (rev + 2, NULL, 10);
  return *n >= 0;
}

static gboolean
local_rev (GlsStore   *self,
           const char *id,
           gint64     *rev,
           GError    **error)
{
  return query_int_by_text (self, STMT_LOCAL_GET, id, 0, rev, error);
}

static gboolean
write_local (GlsStore    *self,
             const char  *id,
             JsonObject  *doc,
             const char  *rev,
             gboolean     deleted,
             char       **new_rev,
             GError     **error)
{
  g_autoptr(GlsStmt) stmt = NULL;
  g_autoptr(GString) body = NULL;
  gint64 current;
  gint64 given = 0;

  if (id[0] == '\0')
    return set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Document id must not be empty");
  if (rev != NULL && !parse_local_rev (rev, &given))
    return set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Invalid rev format");
  if (!local_rev (self, id, &current, error))
    return FALSE;

  if (deleted)
    {
      if (current == 0)
        return set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "missing");
      if (given != current)
        return set_error_literal (error, GLS_STORE_ERROR_CONFLICT, "Document update conflict.");
      if (!(stmt = get_stmt (self, STMT_LOCAL_DELETE, error)))
        return FALSE;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      if (!stmt_step (self, stmt, error))
        return FALSE;
      if (new_rev != NULL)
        *new_rev = g_strdup ("0-0");
      return TRUE;
    }

  if (given != current)
    return set_error_literal (error, GLS_STORE_ERROR_CONFLICT, "Document update conflict.");

  body = g_string_new (NULL);
  if (doc != NULL)
    _gls_json_write_object (body, doc, TRUE);
  else
    g_string_append (body, "{}");

  if (!(stmt = get_stmt (self, STMT_LOCAL_PUT, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, current + 1);
  sqlite3_bind_text (stmt, 3, body->str, body->len, SQLITE_STATIC);
  if (!stmt_step (self, stmt, error))
    return FALSE;

  if (new_rev != NULL)
    *new_rev = g_strdup_printf ("0-%" G_GINT64_FORMAT, current + 1);
  return TRUE;
}

static gboolean
write_doc (GlsStore    *self,
           JsonObject  *doc,
           gboolean     new_edits,
           gint64      *seq,
           char       **out_id,
           char       **out_rev,
           GError     **error)
{
  g_autoptr(GString) body = NULL;
  JsonNode *id_node = json_object_get_member (doc, "_id");
  gboolean deleted;

  /* Nothing the store could not serve back as JSON gets in. */
  if (!_gls_json_check_document (doc, error))
    return FALSE;

  if (id_node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (id_node) || json_node_get_value_type (id_node) != G_TYPE_STRING)
        return set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Document id must be a string");
      *out_id = g_strdup (json_node_get_string (id_node));
    }
  else if (new_edits)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      GString *s = g_string_new (NULL);

      for (const char *p = uuid; *p; p++)
        if (*p != '-')
          g_string_append_c (s, *p);
      *out_id = g_string_free (s, FALSE);
    }
  else
    {
      return set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Document id is missing");
    }

  if (!validate_id (*out_id, error))
    return FALSE;

  if (g_str_has_prefix (*out_id, "_local/"))
    return write_local (self, *out_id + 7, doc,
                        json_object_get_string_member_with_default (doc, "_rev", NULL),
                        json_object_get_boolean_member_with_default (doc, "_deleted", FALSE),
                        out_rev, error);

  if (!check_special_members (doc, error))
    return FALSE;

  deleted = json_object_get_boolean_member_with_default (doc, "_deleted", FALSE);
  body = g_string_sized_new (1024);
  _gls_json_write_object (body, doc, TRUE);

  if (new_edits)
    return write_new_edit (self, *out_id, doc, body, deleted, seq, out_rev, error);
  else
    return write_replicated (self, *out_id, doc, body, deleted, seq, out_rev, error);
}

static JsonArray *
bulk_docs_locked (GlsStore   *self,
                  JsonArray  *docs,
                  gboolean    new_edits,
                  gint64     *seq_out,
                  GError    **error)
{
  g_autoptr(JsonArray) results = json_array_new ();
  guint n = json_array_get_length (docs);
  gint64 seq;

  if (!begin_write (self, error))
    return NULL;
  if (!read_max_seq (self, &seq, error))
    goto fail;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (docs, i);
      g_autoptr(GError) doc_error = NULL;
      g_autofree char *id = NULL;
      g_autofree char *rev = NULL;
      JsonObject *result = json_object_new ();

      json_array_add_object_element (results, result);

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          json_object_set_string_member (result, "error", "bad_request");
          json_object_set_string_member (result, "reason", "Document must be a JSON object");
          continue;
        }

      if (write_doc (self, json_node_get_object (element), new_edits, &seq, &id, &rev, &doc_error))
        {
          json_object_set_boolean_member (result, "ok", TRUE);
          json_object_set_string_member (result, "id", id);
          json_object_set_string_member (result, "rev", rev);
        }
      else if (is_document_error (doc_error))
        {
          if (id != NULL)
            json_object_set_string_member (result, "id", id);
          if (rev != NULL)
            json_object_set_string_member (result, "rev", rev);
          json_object_set_string_member (result, "error", error_name (doc_error));
          json_object_set_string_member (result, "reason", doc_error->message);
        }
      else
        {
          g_propagate_error (error, g_steal_pointer (&doc_error));
          goto fail;
        }
    }

  if (!commit (self, error))
    return NULL;

  *seq_out = seq;
  return g_steal_pointer (&results);

fail:
  rollback (self);
  return NULL;
}

JsonArray *
gls_store_bulk_docs (GlsStore   *self,
                     JsonArray  *docs,
                     gboolean    new_edits,
                     GError    **error)
{
  return gls_store_bulk_docs_with_blobs (self, docs, new_edits, NULL, error);
}

/**
 * gls_store_bulk_docs_with_blobs:
 * @follows: (nullable): attachment name -> #GlsStoreBlob
 *
 * gls_store_bulk_docs, where an attachment given as
 * `{"content_type": …, "follows": true}` takes its data from the blob of
 * its name in @follows: a file already written (gls_store_blob_new_from_stream),
 * so the data is never in memory. The blobs' files belong to the store
 * once the write commits.
 */
JsonArray *
gls_store_bulk_docs_with_blobs (GlsStore    *self,
                                JsonArray   *docs,
                                gboolean     new_edits,
                                GHashTable  *follows,
                                GError     **error)
{
  JsonArray *results;
  gint64 seq = 0;

  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  g_return_val_if_fail (docs != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->lock);
  self->follows = follows;
  results = bulk_docs_locked (self, docs, new_edits, &seq, error);
  self->follows = NULL;
  g_mutex_unlock (&self->lock);

  if (results != NULL)
    schedule_check (self, FALSE, seq);

  return results;
}

static void
add_failure (JsonArray    *failures,
             const char   *id,
             const char   *rev,
             const GError *doc_error)
{
  JsonObject *result = json_object_new ();

  if (id != NULL)
    json_object_set_string_member (result, "id", id);
  if (rev != NULL)
    json_object_set_string_member (result, "rev", rev);
  json_object_set_string_member (result, "error", error_name (doc_error));
  json_object_set_string_member (result, "reason", doc_error->message);
  json_array_add_object_element (failures, result);
}

static JsonArray *
bulk_docs_replicated_locked (GlsStore          *self,
                             GlsStoreDocBatch  *batch,
                             gint64            *seq_out,
                             GError           **error)
{
  g_autoptr(JsonArray) failures = json_array_new ();
  const char *text = batch->text->str;
  gint64 seq;

  if (!begin_write (self, error))
    return NULL;
  if (!read_max_seq (self, &seq, error))
    goto fail;

  for (guint i = 0; i < batch->entries->len; i++)
    {
      const GlsDocEntry *e = &g_array_index (batch->entries, GlsDocEntry, i);
      g_autoptr(GError) doc_error = NULL;
      g_autofree char *id = NULL;
      g_autofree char *rev = NULL;
      gboolean ok;

      if (e->doc != NULL)
        {
          ok = write_doc (self, e->doc, FALSE, &seq, &id, &rev, &doc_error);
        }
      else
        {
          const char *hashes[64];
          g_autofree const char **heap = NULL;
          const char **v = hashes;
          guint n = MIN (e->n_hashes, self->revs_limit);

          if (n > G_N_ELEMENTS (hashes))
            v = heap = g_new (const char *, n);
          for (guint k = 0; k < n; k++)
            v[k] = text + e->hashes + k * (GLS_REV_HASH_LEN + 1);
          ok = merge_replicated (self, text + e->id, NULL, v, n, e->start, e->deleted,
                                 text + e->body, &seq, &doc_error);
          if (!ok)
            {
              id = g_strdup (text + e->id);
              rev = g_strdup_printf ("%" G_GINT64_FORMAT "-%s", e->start, text + e->hashes);
            }
        }

      if (ok)
        continue;
      if (!is_document_error (doc_error))
        {
          g_propagate_error (error, g_steal_pointer (&doc_error));
          goto fail;
        }
      add_failure (failures, id, rev, doc_error);
    }

  if (!commit (self, error))
    return NULL;

  *seq_out = seq;
  return g_steal_pointer (&failures);

fail:
  rollback (self);
  return NULL;
}

JsonArray *
gls_store_bulk_docs_replicated (GlsStore          *self,
                                GlsStoreDocBatch  *batch,
                                GError           **error)
{
  return gls_store_bulk_docs_replicated_with_blobs (self, batch, NULL, error);
}

/* @follows: digest -> GlsStoreBlob: the data of attachment stubs the
 * store does not hold yet, fetched for this write. */
JsonArray *
gls_store_bulk_docs_replicated_with_blobs (GlsStore          *self,
                                           GlsStoreDocBatch  *batch,
                                           GHashTable        *follows,
                                           GError           **error)
{
  JsonArray *failures;
  gint64 seq = 0;

  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  g_return_val_if_fail (batch != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->lock);
  self->follows = follows;
  failures = bulk_docs_replicated_locked (self, batch, &seq, error);
  self->follows = NULL;
  g_mutex_unlock (&self->lock);

  if (failures != NULL)
    schedule_check (self, FALSE, seq);

  return failures;
}

/* Turns a one-document _bulk_docs answer into a rev or a GError. */
static char *
single_result (JsonArray  *results,
               GError    **error)
{
  JsonObject *result;
  const char *name;
  const char *reason;
  GlsStoreError code = GLS_STORE_ERROR_BAD_REQUEST;

  if (results == NULL)
    return NULL;

  result = json_array_get_object_element (results, 0);
  if (json_object_get_boolean_member_with_default (result, "ok", FALSE))
    return g_strdup (json_object_get_string_member (result, "rev"));

  name = json_object_get_string_member_with_default (result, "error", "");
  reason = json_object_get_string_member_with_default (result, "reason", name);
  if (g_str_equal (name, "not_found"))
    code = GLS_STORE_ERROR_NOT_FOUND;
  else if (g_str_equal (name, "conflict"))
    code = GLS_STORE_ERROR_CONFLICT;
  else if (g_str_equal (name, "missing_stub"))
    code = GLS_STORE_ERROR_MISSING_STUB;
  g_set_error_literal (error, GLS_STORE_ERROR, code, reason);
  return NULL;
}

char *
gls_store_put (GlsStore    *self,
               JsonObject  *doc,
               GError     **error)
{
  g_autoptr(JsonArray) docs = NULL;
  g_autoptr(JsonArray) results = NULL;

  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  docs = json_array_new ();
  json_array_add_object_element (docs, json_object_ref (doc));
  results = gls_store_bulk_docs (self, docs, TRUE, error);
  return single_result (results, error);
}

char *
gls_store_put_with_blobs (GlsStore    *self,
                          JsonObject  *doc,
                          GHashTable  *follows,
                          GError     **error)
{
  g_autoptr(JsonArray) docs = NULL;
  g_autoptr(JsonArray) results = NULL;

  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  docs = json_array_new ();
  json_array_add_object_element (docs, json_object_ref (doc));
  results = gls_store_bulk_docs_with_blobs (self, docs, TRUE, follows, error);
  return single_result (results, error);
}

char *
gls_store_delete (GlsStore    *self,
                  const char  *id,
                  const char  *rev,
                  JsonObject  *body,
                  GError     **error)
{
  g_autoptr(JsonObject) doc = json_object_new ();
  g_autoptr(JsonArray) docs = json_array_new ();
  g_autoptr(JsonArray) results = NULL;

  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (rev == NULL)
    {
      set_error_literal (error, GLS_STORE_ERROR_CONFLICT, "Document update conflict.");
      return NULL;
    }

  if (body != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, body);
      while (json_object_iter_next (&iter, &name, &member))
        if (name[0] != '_' || g_str_equal (name, "_attachments"))
          json_object_set_member (doc, name, json_node_ref (member));
    }
  json_object_set_string_member (doc, "_id", id);
  json_object_set_string_member (doc, "_rev", rev);
  json_object_set_boolean_member (doc, "_deleted", TRUE);

  json_array_add_object_element (docs, g_steal_pointer (&doc));
  results = gls_store_bulk_docs (self, docs, TRUE, error);
  return single_result (results, error);
}

/* Reads */

static gboolean
parse_rev_arg (const char  *rev,
               guint       *gen,
               char         hash[GLS_REV_HASH_LEN + 1],
               GError     **error)
{
  if (!_gls_rev_parse (rev, gen, hash))
    {
      g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST,
                   "Invalid rev format: %s", rev);
      return FALSE;
    }
  return TRUE;
}

/* Finds the document and its revision `rev` (or the winner). Lock held,
 * inside a read transaction. */
static gboolean
open_doc (GlsStore          *self,
          const char        *id,
          const char        *rev,
          GlsStoreGetFlags   flags,
          GlsRevTree        *tree,
          int               *idx,
          GError           **error)
{
  gint64 doc_id;

  if (!lookup_doc (self, id, &doc_id, error))
    return FALSE;
  if (doc_id == 0)
    return set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "missing");
  if (!load_tree (self, doc_id, tree, error))
    return FALSE;

  if (rev != NULL)
    {
      guint gen;
      char hash[GLS_REV_HASH_LEN + 1];

      _gls_rev_parse (rev, &gen, hash);
      *idx = _gls_rev_tree_find (tree, gen, hash);
      if (*idx < 0)
        return set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "missing");
    }
  else
    {
      *idx = _gls_rev_tree_winner (tree);
      if (*idx < 0)
        return set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "missing");
      if (_gls_rev_tree_node (tree, *idx)->deleted && !(flags & GLS_STORE_GET_DELETED_OK))
        return set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "deleted");
    }
  return TRUE;
}

JsonObject *
gls_store_get (GlsStore          *self,
               const char        *id,
               const char        *rev,
               GlsStoreGetFlags   flags,
               GError           **error)
{
  g_auto(GlsRevTree) tree = { NULL, };
  JsonObject *doc = NULL;
  guint gen;
  char hash[GLS_REV_HASH_LEN + 1];
  int idx;

  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_str_has_prefix (id, "_local/"))
    return gls_store_get_local (self, id + 7, error);
  if (rev != NULL && !parse_rev_arg (rev, &gen, hash, error))
    return NULL;

  _gls_rev_tree_init (&tree);
  g_mutex_lock (&self->lock);
  if (begin_read (self, error))
    {
      if (open_doc (self, id, rev, flags, &tree, &idx, error))
        doc = build_doc (self, id, &tree, idx, flags, error);
      rollback (self);
    }
  g_mutex_unlock (&self->lock);

  return doc;
}

static gboolean
is_ancestor (GlsRevTree *tree,
             int         ancestor,
             int         node)
{
  for (int cur = node; cur >= 0; cur = _gls_rev_tree_node (tree, cur)->parent)
    if (cur == ancestor)
      return TRUE;
  return FALSE;
}

/* Where open_revs_locked puts what it finds: JSON objects, or JSON text
 * and a list of the missing revs. */
typedef struct
{
  JsonArray *results;
  GString   *text;
  GPtrArray *missing;
} OpenRevsSink;

static gboolean
add_open_rev (GlsStore          *self,
              OpenRevsSink      *sink,
              const char        *id,
              GlsRevTree        *tree,
              int                idx,
              GlsStoreGetFlags   flags,
              GHashTable        *seen,
              GError           **error)
{
  JsonObject *doc;
  JsonObject *entry;

  if (g_hash_table_contains (seen, GINT_TO_POINTER (idx + 1)))
    return TRUE;
  g_hash_table_add (seen, GINT_TO_POINTER (idx + 1));

  if (sink->text != NULL)
    {
      gsize len = sink->text->len;

      if (len > 0 && sink->text->str[len - 1] != '[' && sink->text->str[len - 1] != ',')
        g_string_append_c (sink->text, ',');
      g_string_append (sink->text, "{\"ok\":");
      if (!build_doc_text (self, id, tree, idx, flags, sink->text, error))
        {
          g_string_truncate (sink->text, len);
          return FALSE;
        }
      g_string_append_c (sink->text, '}');
      return TRUE;
    }

  if (!(doc = build_doc (self, id, tree, idx, flags, error)))
    return FALSE;
  entry = json_object_new ();
  json_object_set_object_member (entry, "ok", doc);
  json_array_add_object_element (sink->results, entry);
  return TRUE;
}

static void
add_missing (OpenRevsSink *sink,
             const char   *rev)
{
  JsonObject *entry;

  if (sink->text != NULL)
    {
      g_ptr_array_add (sink->missing, g_strdup (rev));
      return;
    }
  entry = json_object_new ();
  json_object_set_string_member (entry, "missing", rev);
  json_array_add_object_element (sink->results, entry);
}

static gboolean
open_revs_locked (GlsStore          *self,
                  const char        *id,
                  const char *const *revs,
                  GlsStoreGetFlags   flags,
                  OpenRevsSink      *sink,
                  GError           **error)
{
  g_auto(GlsRevTree) tree = { NULL, };
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) leaves = NULL;
  gint64 doc_id;

  if (!lookup_doc (self, id, &doc_id, error))
    return FALSE;

  if (doc_id == 0)
    {
      if (revs == NULL)
        return set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "missing");
      for (guint i = 0; revs[i] != NULL; i++)
        add_missing (sink, revs[i]);
      return TRUE;
    }

  _gls_rev_tree_init (&tree);
  if (!load_tree (self, doc_id, &tree, error))
    return FALSE;
  leaves = _gls_rev_tree_sorted_leaves (&tree);

  if (revs == NULL)
    {
      for (guint i = 0; i < leaves->len; i++)
        if (!add_open_rev (self, sink, id, &tree, g_array_index (leaves, int, i),
                           flags, seen, error))
          return FALSE;
      return TRUE;
    }

  for (guint i = 0; revs[i] != NULL; i++)
    {
      guint gen;
      char hash[GLS_REV_HASH_LEN + 1];
      int idx;
      const GlsRevNode *node;

      _gls_rev_parse (revs[i], &gen, hash);
      idx = _gls_rev_tree_find (&tree, gen, hash);
      node = idx >= 0 ? _gls_rev_tree_node (&tree, idx) : NULL;

      if (node != NULL && !node->leaf && (flags & GLS_STORE_GET_LATEST))
        {
          for (guint j = 0; j < leaves->len; j++)
            {
              int leaf = g_array_index (leaves, int, j);

              if (is_ancestor (&tree, idx, leaf) &&
                  !add_open_rev (self, sink, id, &tree, leaf, flags, seen, error))
                return FALSE;
            }
        }
      else if (node == NULL || !node->has_body)
        {
          add_missing (sink, revs[i]);
        }
      else if (!add_open_rev (self, sink, id, &tree, idx, flags, seen, error))
        {
          return FALSE;
        }
    }

  return TRUE;
}

JsonArray *
gls_store_get_open_revs (GlsStore          *self,
                         const char        *id,
                         const char *const *revs,
                         GlsStoreGetFlags   flags,
                         GError           **error)
{
  g_autoptr(JsonArray) results = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; revs != NULL && revs[i] != NULL; i++)
    if (!parse_rev_arg (revs[i], NULL, NULL, error))
      return NULL;

  results = json_array_new ();
  g_mutex_lock (&self->lock);
  if (begin_read (self, error))
    {
      OpenRevsSink sink = { results, NULL, NULL };

      ok = open_revs_locked (self, id, revs, flags, &sink, error);
      rollback (self);
    }
  g_mutex_unlock (&self->lock);

  return ok ? g_steal_pointer (&results) : NULL;
}

gboolean
gls_store_append_open_revs (GlsStore          *self,
                            const char        *id,
                            const char *const *revs,
                            GlsStoreGetFlags   flags,
                            GString           *out,
                            GPtrArray         *missing,
                            GError           **error)
{
  gsize len;
  gboolean ok = FALSE;

  g_return_val_if_fail (GLS_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (out != NULL && missing != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; revs != NULL && revs[i] != NULL; i++)
    if (!parse_rev_arg (revs[i], NULL, NULL, error))
      return FALSE;

  len = out->len;
  g_mutex_lock (&self->lock);
  if (begin_read (self, error))
    {
      OpenRevsSink sink = { NULL, out, missing };

      ok = open_revs_locked (self, id, revs, flags, &sink, error);
      rollback (self);
    }
  g_mutex_unlock (&self->lock);
  if (!ok)
    g_string_truncate (out, len);

  return ok;
}

/* Where the data of attachment `name` of a revision is: its file's
 * SHA-256 and length, and its content type. */
static gboolean
locate_attachment (GlsStore    *self,
                   const char  *id,
                   const char  *rev,
                   const char  *name,
                   char       **sha256,
                   gint64      *length,
                   char       **content_type,
                   GError     **error)
{
  g_auto(GlsRevTree) tree = { NULL, };
  g_autofree char *atts_text = NULL;
  g_autoptr(JsonObject) atts = NULL;
  g_autoptr(GlsStmt) stmt = NULL;
  gboolean ok = FALSE;
  guint gen;
  char hash[GLS_REV_HASH_LEN + 1];
  int idx, rc;

  g_return_val_if_fail (GLS_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (rev != NULL && !parse_rev_arg (rev, &gen, hash, error))
    return FALSE;

  _gls_rev_tree_init (&tree);
  g_mutex_lock (&self->lock);
  if (!begin_read (self, error))
    goto out;
  if (!open_doc (self, id, rev, GLS_STORE_GET_NONE, &tree, &idx, error))
    goto out_read;
  if (!_gls_rev_tree_node (&tree, idx)->has_body)
    {
      set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "missing");
      goto out_read;
    }
  if (!read_content (self, _gls_rev_tree_node (&tree, idx)->row, NULL, &atts_text, error))
    goto out_read;
  if (atts_text != NULL && !(atts = parse_object_text (atts_text, error)))
    goto out_read;
  if (atts == NULL || !json_object_has_member (atts, name))
    {
      set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "Document is missing attachment");
      goto out_read;
    }
  if (!(stmt = get_stmt (self, STMT_BLOB_DATA, error)))
    goto out_read;
  sqlite3_bind_text (stmt, 1, json_object_get_string_member (json_object_get_object_member (atts, name),
                                                              "digest"), -1, SQLITE_TRANSIENT);
  if (!(rc = stmt_step (self, stmt, error)))
    goto out_read;
  if (rc != SQLITE_ROW)
    {
      set_error_literal (error, GLS_STORE_ERROR_CORRUPT, _("The store is damaged: attachment data is missing"));
      goto out_read;
    }
  *sha256 = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  *length = sqlite3_column_int64 (stmt, 1);
  if (content_type != NULL)
    *content_type = g_strdup (json_object_get_string_member (json_object_get_object_member (atts, name),
                                                             "content_type"));
  ok = TRUE;

out_read:
  g_clear_pointer (&stmt, stmt_release);
  rollback (self);
out:
  g_mutex_unlock (&self->lock);
  return ok;
}

GBytes *
gls_store_get_attachment (GlsStore    *self,
                          const char  *id,
                          const char  *rev,
                          const char  *name,
                          char       **content_type,
                          GError     **error)
{
  g_autofree char *sha256 = NULL;
  gint64 length;

  if (!locate_attachment (self, id, rev, name, &sha256, &length, content_type, error))
    return NULL;
  return _gls_store_files_read (self->files_dir, sha256, length, error);
}

/**
 * gls_store_open_attachment:
 * @length: (out): the attachment's size in bytes
 *
 * The attachment's data as a stream on its file, to send it in pieces.
 */
GInputStream *
gls_store_open_attachment (GlsStore    *self,
                           const char  *id,
                           const char  *rev,
                           const char  *name,
                           char       **content_type,
                           gint64      *length,
                           GError     **error)
{
  g_autofree char *sha256 = NULL;

  if (!locate_attachment (self, id, rev, name, &sha256, length, content_type, error))
    return NULL;
  return _gls_store_files_open (self->files_dir, sha256, *length, error);
}

static void
flush_change (JsonArray  *results,
              gint64      seq,
              const char *id,
              gboolean    deleted,
              GArray     *leaves)
{
  JsonObject *row = json_object_new ();
  JsonArray *changes = json_array_new ();
  GlsRevNode *v = (GlsRevNode *) leaves->data;
  char rev[REV_BUF_SIZE];

  for (guint i = 1; i < leaves->len; i++)
    for (guint j = i; j > 0 && _gls_rev_node_beats (&v[j], &v[j - 1]); j--)
      {
        GlsRevNode t = v[j];
        v[j] = v[j - 1];
        v[j - 1] = t;
      }

  for (guint i = 0; i < leaves->len; i++)
    {
      JsonObject *change = json_object_new ();
      json_object_set_string_member (change, "rev", print_rev (&v[i], rev));
      json_array_add_object_element (changes, change);
    }

  json_object_set_int_member (row, "seq", seq);
  json_object_set_string_member (row, "id", id);
  json_object_set_array_member (row, "changes", changes);
  if (deleted)
    json_object_set_boolean_member (row, "deleted", TRUE);
  json_array_add_object_element (results, row);
}

static JsonObject *
changes_locked (GlsStore  *self,
                gint64     since,
                gint64     limit,
                gboolean   all_docs,
                GError   **error)
{
  g_autoptr(GlsStmt) stmt = get_stmt (self, all_docs ? STMT_CHANGES_ALL : STMT_CHANGES_WINNER,
                                      error);
  g_autoptr(JsonArray) results = json_array_new ();
  g_autoptr(GArray) leaves = g_array_new (FALSE, TRUE, sizeof (GlsRevNode));
  g_autofree char *cur_id = NULL;
  gboolean cur_deleted = FALSE;
  gint64 cur_seq = -1;
  gint64 last_seq;
  gint64 pending;
  JsonObject *answer;
  int rc;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? limit : -1);
  while ((rc = stmt_step (self, stmt, error)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      GlsRevNode node = { 0, };
      const char *hash = (const char *) sqlite3_column_text (stmt, 3);

      if (seq != cur_seq)
        {
          if (cur_id != NULL)
            flush_change (results, cur_seq, cur_id, cur_deleted, leaves);
          g_array_set_size (leaves, 0);
          g_free (cur_id);
          cur_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          cur_seq = seq;
          cur_deleted = sqlite3_column_int (stmt, 5) != 0;
        }
      node.gen = (guint) sqlite3_column_int64 (stmt, 2);
      g_strlcpy (node.hash, hash != NULL ? hash : "", sizeof node.hash);
      node.deleted = sqlite3_column_int (stmt, 4) != 0;
      g_array_append_val (leaves, node);
    }
  if (rc == 0)
    return NULL;
  if (cur_id != NULL)
    flush_change (results, cur_seq, cur_id, cur_deleted, leaves);
  g_clear_pointer (&stmt, stmt_release);

  if (cur_seq >= 0)
    last_seq = cur_seq;
  else if (!read_max_seq (self, &last_seq, error))
    return NULL;
  if (!query_int (self, STMT_PENDING, last_seq, &pending, error))
    return NULL;

  answer = json_object_new ();
  json_object_set_array_member (answer, "results", g_steal_pointer (&results));
  json_object_set_int_member (answer, "last_seq", last_seq);
  json_object_set_int_member (answer, "pending", pending);
  return answer;
}

JsonObject *
gls_store_changes (GlsStore  *self,
                   gint64     since,
                   gint64     limit,
                   gboolean   all_docs,
                   GError   **error)
{
  JsonObject *answer = NULL;

  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->lock);
  if (begin_read (self, error))
    {
      answer = changes_locked (self, MAX (since, 0), limit, all_docs, error);
      rollback (self);
    }
  g_mutex_unlock (&self->lock);

  return answer;
}

typedef struct
{
  char     *id;
  char     *body;
  char     *atts;
  gint64    seq;
  gboolean  deleted;
  guint     n_revs;
  char     *note;
  char      rev[REV_BUF_SIZE];
} ForeachRow;

static void
foreach_row_clear (gpointer data)
{
  ForeachRow *row = data;

  g_free (row->id);
  g_free (row->body);
  g_free (row->atts);
  g_free (row->note);
}

static gboolean set_aside (GlsStore    *self,
                           const char  *id,
                           const char  *reason,
                           GError     **error);

static void
foreach_row_read (GlsStmt    *stmt,
                  ForeachRow *row)
{
  GlsRevNode node = { 0, };
  const char *hash = (const char *) sqlite3_column_text (stmt, 3);

  row->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  row->seq = sqlite3_column_int64 (stmt, 1);
  node.gen = (guint) sqlite3_column_int64 (stmt, 2);
  g_strlcpy (node.hash, hash != NULL ? hash : "", sizeof node.hash);
  print_rev (&node, row->rev);
  row->deleted = sqlite3_column_int (stmt, 4) != 0;
  row->body = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  row->atts = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  row->n_revs = (guint) sqlite3_column_int64 (stmt, 7);
  row->note = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
}

/* Calls `func` on each row read (without the lock, so that it may use
 * the store); *since follows them. FALSE on error; *stop when `func`
 * said so. */
static gboolean
foreach_rows_visit (GlsStore         *self,
                    GArray           *rows,
                    GlsStoreDocFunc   func,
                    gpointer          user_data,
                    gint64           *since,
                    gboolean         *stop,
                    GError          **error)
{
  for (guint i = 0; i < rows->len; i++)
    {
      ForeachRow *row = &g_array_index (rows, ForeachRow, i);
      g_autoptr(GError) bad = NULL;
      g_autoptr(JsonObject) body = NULL;

      /* What could not be served as JSON is set aside, not a reason
       * for everything else to stop working. */
      if (!g_utf8_validate (row->id, -1, NULL))
        g_set_error_literal (&bad, GLS_STORE_ERROR, GLS_STORE_ERROR_CORRUPT, _("Its id is not valid UTF-8"));
      else
        body = parse_object_text (row->body != NULL ? row->body : "{}", &bad);
      if (body == NULL)
        {
          if (!set_aside (self, row->id, bad->message, error))
            return FALSE;
          *since = row->seq;
          continue;
        }
      json_object_set_string_member (body, "_id", row->id);
      json_object_set_string_member (body, "_rev", row->rev);
      if (row->deleted)
        json_object_set_boolean_member (body, "_deleted", TRUE);
      if (!add_attachments (self, body, row->atts, FALSE, error))
        return FALSE;

      *since = row->seq;
      if (!func (row->id, row->rev, row->seq, row->deleted, row->n_revs, row->note, body, user_data))
        {
          *stop = TRUE;
          return TRUE;
        }
    }
  return TRUE;
}

gboolean
gls_store_foreach_doc (GlsStore         *self,
                       gint64            since,
                       GlsStoreDocFunc   func,
                       gpointer          user_data,
                       GError          **error)
{
  g_autoptr(GArray) rows = NULL;

  g_return_val_if_fail (GLS_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  rows = g_array_sized_new (FALSE, TRUE, sizeof (ForeachRow), FOREACH_CHUNK);
  g_array_set_clear_func (rows, foreach_row_clear);

  for (;;)
    {
      g_autoptr(GlsStmt) stmt = NULL;
      gboolean stop = FALSE;
      guint n;
      int rc = 0;

      /* Copy a chunk under the lock; parse and call back without it, so
       * the callback may use the store. */
      g_array_set_size (rows, 0);
      g_mutex_lock (&self->lock);
      if ((stmt = get_stmt (self, STMT_FOREACH, error)))
        {
          sqlite3_bind_int64 (stmt, 1, since);
          sqlite3_bind_int64 (stmt, 2, FOREACH_CHUNK);
          while ((rc = stmt_step (self, stmt, error)) == SQLITE_ROW)
            {
              ForeachRow row = { 0, };

              foreach_row_read (stmt, &row);
              g_array_append_val (rows, row);
            }
          g_clear_pointer (&stmt, stmt_release);
        }
      g_mutex_unlock (&self->lock);
      if (rc == 0)
        return FALSE;

      n = rows->len;
      if (!foreach_rows_visit (self, rows, func, user_data, &since, &stop, error))
        return FALSE;
      if (stop || n < FOREACH_CHUNK)
        return TRUE;
    }
}

/* Reads, in one read transaction, the rows statement `id` gives for each
 * of `keys` (bound as ?1, or as ?2 after `name` as ?1), all of them. */
static gboolean
collect_rows (GlsStore          *self,
              StmtId             id,
              const char        *name,
              const char *const *keys,
              guint              n_keys,
              GArray            *rows,
              GError           **error)
{
  int rc = SQLITE_DONE;

  g_mutex_lock (&self->lock);
  if (!begin_read (self, error))
    rc = 0;
  for (guint i = 0; i < n_keys && rc != 0; i++)
    {
      g_autoptr(GlsStmt) stmt = get_stmt (self, id, error);

      if (stmt == NULL)
        {
          rc = 0;
          break;
        }
      if (name != NULL)
        sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, name != NULL ? 2 : 1, keys[i], -1, SQLITE_STATIC);
      while ((rc = stmt_step (self, stmt, error)) == SQLITE_ROW)
        {
          ForeachRow row = { 0, };

          foreach_row_read (stmt, &row);
          g_array_append_val (rows, row);
        }
    }
  rollback (self);
  g_mutex_unlock (&self->lock);
  return rc != 0;
}

static gboolean
foreach_rows_of (GlsStore          *self,
                 StmtId             id,
                 const char        *name,
                 const char *const *keys,
                 guint              n_keys,
                 GlsStoreDocFunc    func,
                 gpointer           user_data,
                 GError           **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (ForeachRow));
  gboolean stop = FALSE;
  gint64 since = 0;

  g_array_set_clear_func (rows, foreach_row_clear);
  return collect_rows (self, id, name, keys, n_keys, rows, error) &&
         foreach_rows_visit (self, rows, func, user_data, &since, &stop, error);
}

/**
 * gls_store_foreach_doc_ids:
 * @ids: (array length=n_ids): document ids
 *
 * gls_store_foreach_doc for the documents of @ids only (those the store
 * has), in the order given: what a reader needs without reading all.
 */
gboolean
gls_store_foreach_doc_ids (GlsStore          *self,
                           const char *const *ids,
                           guint              n_ids,
                           GlsStoreDocFunc    func,
                           gpointer           user_data,
                           GError           **error)
{
  g_return_val_if_fail (GLS_IS_STORE (self), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  return foreach_rows_of (self, STMT_FOREACH_ID, NULL, ids, n_ids, func, user_data, error);
}

/**
 * gls_store_foreach_indexed:
 *
 * gls_store_foreach_doc for the live documents an index lists under any
 * of @keys (each key's in update order, key after key), read in one
 * transaction straight from the index: a reader that follows links
 * (comments on a design, then what targets them) reads only those.
 */
gboolean
gls_store_foreach_indexed (GlsStore          *self,
                           const char        *name,
                           const char *const *keys,
                           guint              n_keys,
                           GlsStoreDocFunc    func,
                           gpointer           user_data,
                           GError           **error)
{
  g_return_val_if_fail (GLS_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL && (keys != NULL || n_keys == 0), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  return foreach_rows_of (self, STMT_FOREACH_INDEXED, name, keys, n_keys, func, user_data, error);
}

/* Moves document `id` with all its revisions into set_aside. */
static gboolean
set_aside (GlsStore    *self,
           const char  *id,
           const char  *reason,
           GError     **error)
{
  static const char *const sql[] = {
    "INSERT INTO set_aside (id, rev, deleted, body, atts, reason, at)"
    " SELECT d.id, r.gen || '-' || r.hash, r.deleted, r.body, r.atts, ?2, ?3"
    " FROM docs AS d JOIN revs AS r ON r.doc_id = d.doc_id WHERE d.id = ?1",
    "DELETE FROM index_entries WHERE doc_id = (SELECT doc_id FROM docs WHERE id = ?1)",
    "DELETE FROM revs WHERE doc_id = (SELECT doc_id FROM docs WHERE id = ?1)",
    "DELETE FROM docs WHERE id = ?1",
  };
  g_autofree char *shown = g_utf8_make_valid (id, -1);
  gboolean ok;

  g_message ("Setting document “%s” of %s aside: %s", shown, self->path, reason);

  g_mutex_lock (&self->lock);
  ok = begin_write (self, error);
  for (guint i = 0; ok && i < G_N_ELEMENTS (sql); i++)
    {
      sqlite3_stmt *stmt = NULL;
      int rc = sqlite3_prepare_v2 (self->db, sql[i], -1, &stmt, NULL);

      if (rc == SQLITE_OK)
        {
          sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
          if (sqlite3_bind_parameter_count (stmt) >= 2)
            {
              sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_STATIC);
              sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
            }
          rc = sqlite3_step (stmt);
        }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        {
          g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_IO, "%s: %s", self->path,
                       sqlite3_errmsg (self->db));
          ok = FALSE;
        }
    }
  if (ok)
    ok = commit (self, error);
  else
    rollback (self);
  g_mutex_unlock (&self->lock);

  return ok;
}

JsonArray *
gls_store_list_set_aside (GlsStore  *self,
                          GError   **error)
{
  g_autoptr(JsonArray) list = json_array_new ();
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (GLS_IS_STORE (self), NULL);

  g_mutex_lock (&self->lock);
  rc = sqlite3_prepare_v2 (self->db, "SELECT id, rev, reason, at FROM set_aside ORDER BY at, id, rev",
                           -1, &stmt, NULL);
  while (rc == SQLITE_OK || rc == SQLITE_ROW)
    {
      g_autofree char *id = NULL;
      g_autofree char *reason = NULL;
      JsonObject *entry;

      if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
        break;
      entry = json_object_new ();
      id = g_utf8_make_valid ((const char *) sqlite3_column_text (stmt, 0), -1);
      reason = g_utf8_make_valid ((const char *) sqlite3_column_text (stmt, 2), -1);

      json_object_set_string_member (entry, "id", id);
      json_object_set_string_member (entry, "rev", (const char *) sqlite3_column_text (stmt, 1));
      json_object_set_string_member (entry, "reason", reason);
      json_object_set_int_member (entry, "at", sqlite3_column_int64 (stmt, 3));
      json_array_add_object_element (list, entry);
    }
  if (rc != SQLITE_DONE)
    g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_IO, "%s: %s", self->path, sqlite3_errmsg (self->db));
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->lock);

  return rc == SQLITE_DONE ? g_steal_pointer (&list) : NULL;
}

JsonArray *
gls_store_get_revisions (GlsStore    *self,
                         const char  *id,
                         GError     **error)
{
  g_autoptr(GArray) rows = NULL;
  g_autoptr(JsonArray) revisions = json_array_new ();
  g_autoptr(GlsStmt) stmt = NULL;
  int rc = 0;

  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  rows = g_array_new (FALSE, TRUE, sizeof (ForeachRow));
  g_array_set_clear_func (rows, foreach_row_clear);

  g_mutex_lock (&self->lock);
  if ((stmt = get_stmt (self, STMT_REVISIONS, error)))
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      while ((rc = stmt_step (self, stmt, error)) == SQLITE_ROW)
        {
          ForeachRow row = { 0, };
          GlsRevNode node = { 0, };
          const char *hash = (const char *) sqlite3_column_text (stmt, 1);

          node.gen = (guint) sqlite3_column_int64 (stmt, 0);
          g_strlcpy (node.hash, hash != NULL ? hash : "", sizeof node.hash);
          print_rev (&node, row.rev);
          row.deleted = sqlite3_column_int (stmt, 2) != 0;
          row.body = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
          row.atts = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
          g_array_append_val (rows, row);
        }
      g_clear_pointer (&stmt, stmt_release);
    }
  g_mutex_unlock (&self->lock);
  if (rc == 0)
    return NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      ForeachRow *row = &g_array_index (rows, ForeachRow, i);
      g_autoptr(JsonObject) body = parse_object_text (row->body, error);

      if (body == NULL || !add_attachments (self, body, row->atts, FALSE, error))
        return NULL;
      json_object_set_string_member (body, "_id", id);
      json_object_set_string_member (body, "_rev", row->rev);
      if (row->deleted)
        json_object_set_boolean_member (body, "_deleted", TRUE);
      json_array_add_object_element (revisions, g_steal_pointer (&body));
    }

  return g_steal_pointer (&revisions);
}

gboolean
gls_store_set_notes (GlsStore      *self,
                     GlsStoreNote  *notes,
                     guint          n_notes,
                     GError       **error)
{
  gboolean ok;

  g_return_val_if_fail (GLS_IS_STORE (self), FALSE);
  g_return_val_if_fail (notes != NULL || n_notes == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_notes == 0)
    return TRUE;

  g_mutex_lock (&self->lock);
  ok = begin_write (self, error);
  for (guint i = 0; ok && i < n_notes; i++)
    {
      g_autoptr(GlsStmt) stmt = NULL;
      char hash[GLS_REV_HASH_LEN + 1];
      guint gen;

      if (!parse_rev_arg (notes[i].rev, &gen, hash, NULL))
        continue;
      if (!(stmt = get_stmt (self, STMT_NOTE_SET, error)))
        {
          ok = FALSE;
          break;
        }
      sqlite3_bind_text (stmt, 1, notes[i].id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, gen);
      sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, notes[i].note, -1, SQLITE_STATIC);
      ok = stmt_step (self, stmt, error) != 0;
    }
  if (ok)
    ok = commit (self, error);
  else
    rollback (self);
  g_mutex_unlock (&self->lock);

  return ok;
}

/* Locks read_lock and starts a read transaction on the second connection
 * (opened the first time); FALSE, with nothing locked, when there is none. */
static gboolean
read_begin (GlsStore *self)
{
  g_autoptr(GlsStmt) begin = NULL;

  g_mutex_lock (&self->read_lock);
  if (self->read_db == NULL && !self->read_failed)
    {
      int rc = sqlite3_open_v2 (self->path, &self->read_db,
                                SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);

      if (rc == SQLITE_OK)
        sqlite3_busy_timeout (self->read_db, BUSY_TIMEOUT_MS);
      else
        {
          g_debug ("No second connection to %s: %s", self->path, sqlite3_errmsg (self->read_db));
          g_clear_pointer (&self->read_db, sqlite3_close_v2);
          self->read_failed = TRUE;
        }
    }
  if (self->read_db != NULL && (begin = conn_stmt (self->read_db, self->read_stmts,
                                                   STMT_BEGIN_READ, NULL)) != NULL &&
      sqlite3_step (begin) == SQLITE_DONE)
    return TRUE;
  g_mutex_unlock (&self->read_lock);
  return FALSE;
}

/* revs_diff: up to this many revs of one id, lists are scanned. */
#define REVS_DIFF_SCAN_MAX 16

/* The revs of a tree, as "gen-hash" strings. */
static GHashTable *
revs_diff_tree_set (GlsRevTree *tree)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < tree->nodes->len; i++)
    {
      const GlsRevNode *node = _gls_rev_tree_node (tree, i);
      char rev[REV_BUF_SIZE];

      if (node->state != GLS_REV_NODE_REMOVED)
        g_hash_table_add (set, g_strdup (print_rev (node, rev)));
    }
  return set;
}

JsonObject *
gls_store_revs_diff (GlsStore    *self,
                     JsonObject  *request,
                     GError     **error)
{
  g_autoptr(JsonObject) answer = NULL;
  JsonObjectIter iter;
  const char *id;
  JsonNode *member;
  gboolean ok = TRUE;
  GMutex *lock = &self->lock;
  sqlite3 *db = self->db;
  sqlite3_stmt **stmts = self->stmts;

  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Validate everything before reading anything. */
  json_object_iter_init (&iter, request);
  while (json_object_iter_next (&iter, &id, &member))
    {
      JsonArray *revs;

      if (!JSON_NODE_HOLDS_ARRAY (member))
        {
          set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "revs_diff expects lists of revs");
          return NULL;
        }
      revs = json_node_get_array (member);
      for (guint i = 0; i < json_array_get_length (revs); i++)
        {
          JsonNode *element = json_array_get_element (revs, i);
          const char *rev = JSON_NODE_HOLDS_VALUE (element) &&
                            json_node_get_value_type (element) == G_TYPE_STRING
                            ? json_node_get_string (element) : NULL;

          if (!parse_rev_arg (rev != NULL ? rev : "", NULL, NULL, error))
            return NULL;
        }
    }

  answer = json_object_new ();
  if (read_begin (self))
    {
      lock = &self->read_lock;
      db = self->read_db;
      stmts = self->read_stmts;
    }
  else
    {
      g_mutex_lock (&self->lock);
      if (!begin_read (self, error))
        {
          g_mutex_unlock (&self->lock);
          return NULL;
        }
    }

  json_object_iter_init (&iter, request);
  while (ok && json_object_iter_next (&iter, &id, &member))
    {
      g_auto(GlsRevTree) tree = { NULL, };
      g_autoptr(JsonArray) missing = json_array_new ();
      JsonArray *revs = json_node_get_array (member);
      guint n_revs = json_array_get_length (revs);
      g_autoptr(GHashTable) known = NULL;
      g_autoptr(GHashTable) seen = NULL;
      guint max_gen = 0;
      gint64 doc_id;

      _gls_rev_tree_init (&tree);
      if (!lookup_doc_in (self, db, stmts, id, &doc_id, error) ||
          (doc_id != 0 && !load_tree_in (self, db, stmts, doc_id, &tree, error)))
        {
          ok = FALSE;
          break;
        }
      /* Usually one rev per document: scans beat hash tables. A long list
       * (50,000 revs of one id) needs them, or this is quadratic. */
      if (n_revs > REVS_DIFF_SCAN_MAX)
        {
          known = revs_diff_tree_set (&tree);
          seen = g_hash_table_new (g_str_hash, g_str_equal);
        }

      for (guint i = 0; i < n_revs; i++)
        {
          const char *rev = json_array_get_string_element (revs, i);
          guint gen;
          char hash[GLS_REV_HASH_LEN + 1];

          gboolean dup = FALSE;

          _gls_rev_parse (rev, &gen, hash);
          if (known != NULL)
            {
              GlsRevNode node = { .gen = gen };
              char key[REV_BUF_SIZE];

              memcpy (node.hash, hash, sizeof hash);
              if (g_hash_table_contains (known, print_rev (&node, key)) ||
                  !g_hash_table_add (seen, (gpointer) rev))
                continue;
            }
          else
            {
              if (_gls_rev_tree_find (&tree, gen, hash) >= 0)
                continue;
              for (guint k = 0; k < i && !dup; k++)
                dup = strcmp (json_array_get_string_element (revs, k), rev) == 0;
              if (dup)
                continue;
            }
          json_array_add_string_element (missing, rev);
          max_gen = MAX (max_gen, gen);
        }

      if (json_array_get_length (missing) > 0)
        {
          JsonObject *entry = json_object_new ();
          g_autoptr(GArray) leaves = _gls_rev_tree_sorted_leaves (&tree);
          g_autoptr(JsonArray) ancestors = json_array_new ();
          char rev[REV_BUF_SIZE];

          for (guint i = 0; i < leaves->len; i++)
            {
              const GlsRevNode *leaf = _gls_rev_tree_node (&tree, g_array_index (leaves, int, i));
              if (leaf->gen < max_gen)
                json_array_add_string_element (ancestors, print_rev (leaf, rev));
            }
          json_object_set_array_member (entry, "missing", g_steal_pointer (&missing));
          if (json_array_get_length (ancestors) > 0)
            json_object_set_array_member (entry, "possible_ancestors", g_steal_pointer (&ancestors));
          json_object_set_object_member (answer, id, entry);
        }
    }

  if (lock == &self->read_lock)
    {
      g_autoptr(GlsStmt) end = conn_stmt (db, stmts, STMT_ROLLBACK, NULL);

      if (end != NULL)
        sqlite3_step (end);
    }
  else
    rollback (self);
  g_mutex_unlock (lock);

  return ok ? g_steal_pointer (&answer) : NULL;
}

/* _local documents */

static const char *
strip_local_prefix (const char *id)
{
  return g_str_has_prefix (id, "_local/") ? id + 7 : id;
}

JsonObject *
gls_store_get_local (GlsStore    *self,
                     const char  *id,
                     GError     **error)
{
  g_autoptr(GlsStmt) stmt = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) parsed = NULL;
  JsonObject *doc;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  gint64 rev = 0;
  int rc = 0;

  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  id = strip_local_prefix (id);

  g_mutex_lock (&self->lock);
  if ((stmt = get_stmt (self, STMT_LOCAL_GET, error)))
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      rc = stmt_step (self, stmt, error);
      if (rc == SQLITE_ROW)
        {
          rev = sqlite3_column_int64 (stmt, 0);
          body = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        }
      g_clear_pointer (&stmt, stmt_release);
    }
  g_mutex_unlock (&self->lock);

  if (rc == 0)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "missing");
      return NULL;
    }
  if (!(parsed = parse_object_text (body, error)))
    return NULL;

  doc = json_object_new ();
  {
    g_autofree char *full_id = g_strconcat ("_local/", id, NULL);
    g_autofree char *rev_str = g_strdup_printf ("0-%" G_GINT64_FORMAT, rev);

    json_object_set_string_member (doc, "_id", full_id);
    json_object_set_string_member (doc, "_rev", rev_str);
  }
  json_object_iter_init (&iter, parsed);
  while (json_object_iter_next (&iter, &name, &member))
    json_object_set_member (doc, name, json_node_ref (member));

  return doc;
}

static gboolean
write_local_transaction (GlsStore    *self,
                         const char  *id,
                         JsonObject  *doc,
                         const char  *rev,
                         gboolean     deleted,
                         char       **new_rev,
                         GError     **error)
{
  gboolean ok = FALSE;

  g_mutex_lock (&self->lock);
  if (begin_write (self, error))
    {
      if (write_local (self, id, doc, rev, deleted, new_rev, error))
        ok = commit (self, error);
      else
        rollback (self);
    }
  g_mutex_unlock (&self->lock);

  return ok;
}

char *
gls_store_put_local (GlsStore    *self,
                     const char  *id,
                     JsonObject  *doc,
                     GError     **error)
{
  JsonNode *rev_node;
  const char *rev = NULL;
  char *new_rev = NULL;

  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate (id, -1, NULL))
    {
      set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Document id is not valid UTF-8");
      return NULL;
    }
  if (!_gls_json_check_document (doc, error))
    return NULL;

  rev_node = json_object_get_member (doc, "_rev");
  if (rev_node != NULL && !JSON_NODE_HOLDS_NULL (rev_node))
    {
      if (!JSON_NODE_HOLDS_VALUE (rev_node) || json_node_get_value_type (rev_node) != G_TYPE_STRING)
        {
          set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Invalid rev format");
          return NULL;
        }
      rev = json_node_get_string (rev_node);
    }

  if (!write_local_transaction (self, strip_local_prefix (id), doc, rev,
                                json_object_get_boolean_member_with_default (doc, "_deleted", FALSE),
                                &new_rev, error))
    return NULL;
  return new_rev;
}

gboolean
gls_store_delete_local (GlsStore    *self,
                        const char  *id,
                        const char  *rev,
                        GError     **error)
{
  g_return_val_if_fail (GLS_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return write_local_transaction (self, strip_local_prefix (id), NULL, rev, TRUE, NULL, error);
}

/* Test hooks */

void
_gls_store_set_max_page_count (GlsStore *self,
                               gint64    pages)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages);

  g_mutex_lock (&self->lock);
  sqlite3_exec (self->db, sql, NULL, NULL, NULL);
  g_mutex_unlock (&self->lock);
}

gboolean
_gls_store_integrity_check (GlsStore  *self,
                            char     **result,
                            GError   **error)
{
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);
  int rc;

  g_mutex_lock (&self->lock);
  rc = sqlite3_prepare_v2 (self->db, "PRAGMA integrity_check", -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, (const char *) sqlite3_column_text (stmt, 0));
      rc = SQLITE_OK;
    }
  if (rc != SQLITE_DONE)
    set_sqlite_error (error, self->db, rc, "integrity_check");
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->lock);

  *result = g_string_free (out, FALSE);
  return rc == SQLITE_DONE;
}

gint64
_gls_store_count_blobs (GlsStore *self)
{
  return locked_count (self, STMT_BLOB_COUNT);
}

/* Compaction */

/* Digests any revision body (or a document set aside) still refers to. */
static const char referenced_sql[] =
  "SELECT json_extract (j.value, '$.digest') AS d FROM revs, json_each (revs.atts) AS j"
  " WHERE revs.atts IS NOT NULL AND json_valid (revs.atts)"
  " UNION SELECT json_extract (j.value, '$.digest') FROM set_aside, json_each (set_aside.atts) AS j"
  " WHERE set_aside.atts IS NOT NULL AND json_valid (set_aside.atts)";

static gboolean
exec_changes (GlsStore    *self,
              const char  *sql,
              guint       *changes,
              GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_IO, "%s: %s", self->path,
                   message != NULL ? message : sqlite3_errmsg (self->db));
      sqlite3_free (message);
      return FALSE;
    }
  if (changes != NULL)
    *changes = (guint) sqlite3_changes (self->db);
  return TRUE;
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

static gint64
file_size_wal (GlsStore *self)
{
  g_autofree char *wal = g_strconcat (self->path, "-wal", NULL);

  return file_size (wal);
}

/**
 * gls_store_compact:
 * @self: a #GlsStore
 * @result: (out caller-allocates) (optional): what was removed
 * @error: return location for a #GError
 *
 * Does what CouchDB's compaction does: drops the bodies of revisions that
 * are no longer leaves (their ids stay in the revision trees), then the
 * attachment files nothing refers to any more, then gives the freed
 * database pages back to the file system. Holds the write lock while it
 * decides which files to remove, so no writer can refer to one meanwhile.
 * Unfinished writes (`tmp-` files) are removed once an hour old.
 */
gboolean
gls_store_compact (GlsStore               *self,
                   GlsStoreCompactResult  *result,
                   GError                **error)
{
  g_autoptr(GHashTable) keep = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *delete_sql = g_strconcat ("DELETE FROM blobs WHERE digest NOT IN (SELECT d FROM (",
                                             referenced_sql, ") WHERE d IS NOT NULL)", NULL);
  GlsStoreCompactResult r = { 0, };
  sqlite3_stmt *stmt = NULL;
  gint64 freelist = 0;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (GLS_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  r.database_bytes_before = file_size (self->path) + file_size_wal (self);

  g_mutex_lock (&self->lock);
  if (!begin_write (self, error))
    goto out;
  if (!exec_changes (self, "UPDATE revs SET body = NULL, atts = NULL"
                           " WHERE leaf = 0 AND body IS NOT NULL", &r.revisions, error) ||
      !exec_changes (self, delete_sql, NULL, error))
    goto out_rollback;

  rc = sqlite3_prepare_v2 (self->db, "SELECT sha256 FROM blobs", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_hash_table_add (keep, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, "blobs");
      goto out_rollback;
    }

  if (!_gls_store_files_sweep (self->files_dir, keep, 3600, &r.files, &r.file_bytes, error) ||
      !commit (self, error))
    goto out_rollback;

  /* VACUUM rewrites the file; only worth it with free pages. */
  {
    if (sqlite3_prepare_v2 (self->db, "PRAGMA freelist_count", -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step (stmt) == SQLITE_ROW)
      freelist = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
  }
  if (freelist > 0 &&
      (!exec_changes (self, "VACUUM", NULL, error) ||
       !exec_changes (self, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, error)))
    goto out;

  ok = TRUE;
  goto out;

out_rollback:
  rollback (self);
out:
  g_mutex_unlock (&self->lock);
  r.database_bytes_after = file_size (self->path) + file_size_wal (self);
  if (ok && result != NULL)
    *result = r;
  return ok;
}

/* Missing attachment data */

static gboolean
add_missing_attachments (GlsStore    *self,
                         JsonObject  *doc,
                         GHashTable  *seen,
                         JsonArray   *out,
                         GError     **error)
{
  JsonNode *member = json_object_get_member (doc, "_attachments");
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
    return TRUE;
  json_object_iter_init (&iter, json_node_get_object (member));
  while (json_object_iter_next (&iter, &name, &value))
    {
      JsonObject *att;
      const char *digest;
      gint64 length = -1;

      if (!JSON_NODE_HOLDS_OBJECT (value))
        continue;
      att = json_node_get_object (value);
      if (!json_object_get_boolean_member_with_default (att, "stub", FALSE) ||
          !(digest = json_object_get_string_member_with_default (att, "digest", NULL)) ||
          g_hash_table_contains (seen, digest))
        continue;
      if (!blob_length (self, digest, &length, error))
        return FALSE;
      if (length >= 0)
        continue;
      g_hash_table_add (seen, g_strdup (digest));
      {
        JsonObject *entry = json_object_new ();

        json_object_set_string_member (entry, "id", json_object_get_string_member_with_default (doc, "_id", ""));
        json_object_set_string_member (entry, "rev", json_object_get_string_member_with_default (doc, "_rev", ""));
        json_object_set_string_member (entry, "name", name);
        json_object_set_string_member (entry, "digest", digest);
        json_object_set_int_member (entry, "length",
                                    json_object_get_int_member_with_default (att, "length", -1));
        /* CouchDB's digest of an attachment it keeps compressed is of
         * the compressed bytes, not of those a GET gives. */
        if (json_object_has_member (att, "encoding"))
          json_object_set_boolean_member (entry, "encoded", TRUE);
        json_array_add_object_element (out, entry);
      }
    }
  return TRUE;
}

/**
 * gls_store_missing_attachments:
 * @batch: (nullable): documents pulled as text
 * @docs: (nullable): documents pulled as objects
 *
 * The attachment stubs in @batch and @docs whose data the store does not
 * hold: [{"id", "rev", "name", "digest", "length"}…], each digest once, so
 * that a replicator fetches exactly those (streamed into blobs) before it
 * writes the documents.
 */
JsonArray *
gls_store_missing_attachments (GlsStore          *self,
                               GlsStoreDocBatch  *batch,
                               JsonArray         *docs,
                               GError           **error)
{
  g_autoptr(JsonArray) out = json_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean ok = TRUE;

  g_return_val_if_fail (GLS_IS_STORE (self), NULL);

  g_mutex_lock (&self->lock);
  for (guint i = 0; ok && batch != NULL && i < batch->entries->len; i++)
    {
      const GlsDocEntry *e = &g_array_index (batch->entries, GlsDocEntry, i);

      if (e->doc != NULL)
        ok = add_missing_attachments (self, e->doc, seen, out, error);
    }
  for (guint i = 0; ok && docs != NULL && i < json_array_get_length (docs); i++)
    {
      JsonNode *node = json_array_get_element (docs, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        ok = add_missing_attachments (self, json_node_get_object (node), seen, out, error);
    }
  g_mutex_unlock (&self->lock);

  return ok ? g_steal_pointer (&out) : NULL;
}

/* Secondary indexes */

/* The first member's name as it appears in a body's text ("\"target\""):
 * a body without it has nothing to index, and is not parsed for it. */
static char *
first_key_for (const char *member_path)
{
  g_autofree char *first = g_strndup (member_path, strcspn (member_path, "."));
  g_autoptr(GString) out = g_string_new (NULL);

  gls_json_append_string (out, first);
  return g_strdup (out->str);
}

/* "target.source" as SQLite's JSON path: $."target"."source". */
static char *
json_path_for (const char *member_path)
{
  g_auto(GStrv) names = g_strsplit (member_path, ".", -1);
  GString *out = g_string_new ("$");

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (names[i][0] == '\0' || strpbrk (names[i], "\"\\") != NULL)
        return (g_string_free (out, TRUE), NULL);
      g_string_append_printf (out, ".\"%s\"", names[i]);
    }
  return g_string_free (out, FALSE);
}

/**
 * gls_store_ensure_index:
 * @name: the index's name
 * @member_path: the member it indexes, names joined by dots
 *   ("target.source", "@type")
 *
 * Declares an index, as a Mango index on one field: from then on every
 * write keeps it, in its own transaction, whichever process writes. A new
 * index is built over the documents already there, in one transaction;
 * an index of that name on another member is rebuilt.
 */
gboolean
gls_store_ensure_index (GlsStore    *self,
                        const char  *name,
                        const char  *member_path,
                        GError     **error)
{
  g_autofree char *json_path = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (GLS_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL && member_path != NULL, FALSE);

  if (!(json_path = json_path_for (member_path)))
    return set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Invalid index path");

  g_mutex_lock (&self->lock);
  /* Most often it is there already: a read says so, no write lock. */
  rc = sqlite3_prepare_v2 (self->db, "SELECT 1 FROM store_indexes WHERE name = ?1 AND json_path = ?2",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, json_path, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc == SQLITE_ROW)
    {
      ok = TRUE;
      goto out;
    }
  if (!begin_write (self, error))
    goto out;
  rc = sqlite3_prepare_v2 (self->db, "SELECT json_path = ?2 FROM store_indexes WHERE name = ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, json_path, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  if (rc == SQLITE_ROW && sqlite3_column_int (stmt, 0))
    {
      sqlite3_finalize (stmt);
      ok = commit (self, error);  /* there already */
      goto out;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, "store_indexes");
      goto out_rollback;
    }

  /* New, or moved to another member: (re)built from every live winner. */
  rc = sqlite3_prepare_v2 (self->db,
                           "DELETE FROM index_entries WHERE name = ?1;", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    {
      g_autofree char *first_key = first_key_for (member_path);

      rc = sqlite3_prepare_v2 (self->db, "INSERT OR REPLACE INTO store_indexes (name, json_path, first_key)"
                                         " VALUES (?1, ?2, ?3)", -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        {
          sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, json_path, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 3, first_key, -1, SQLITE_STATIC);
          rc = sqlite3_step (stmt);
        }
      sqlite3_finalize (stmt);
    }
  if (rc == SQLITE_DONE)
    {
      rc = sqlite3_prepare_v2 (self->db,
                               "INSERT OR IGNORE INTO index_entries (name, key, doc_id)"
                               " SELECT ?1, j.value, d.doc_id FROM docs AS d"
                               " JOIN revs AS r ON r.rev_id = d.winner, json_each (r.body, ?2) AS j"
                               " WHERE d.deleted = 0 AND r.body IS NOT NULL AND j.type = 'text'",
                               -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        {
          sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, json_path, -1, SQLITE_STATIC);
          rc = sqlite3_step (stmt);
        }
      sqlite3_finalize (stmt);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, "index");
      goto out_rollback;
    }
  ok = commit (self, error);
  goto out;

out_rollback:
  rollback (self);
out:
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * gls_store_query_index:
 *
 * Returns: (transfer full): the ids (strings) of the live documents whose
 *   indexed member holds `key`, in update order; %NULL with @error set
 *   when the store cannot be read.
 */
GPtrArray *
gls_store_query_index (GlsStore    *self,
                       const char  *name,
                       const char  *key,
                       GError     **error)
{
  return gls_store_query_index_keys (self, name, &key, 1, error);
}

/**
 * gls_store_query_index_keys:
 *
 * gls_store_query_index for each of @keys in turn, in one read
 * transaction: the ids of each key's documents, one after the other.
 */
GPtrArray *
gls_store_query_index_keys (GlsStore          *self,
                            const char        *name,
                            const char *const *keys,
                            guint              n_keys,
                            GError           **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = FALSE;

  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL && (keys != NULL || n_keys == 0), NULL);

  g_mutex_lock (&self->lock);
  if (n_keys > 1 && !begin_read (self, error))
    goto out;
  ok = TRUE;
  for (guint i = 0; ok && i < n_keys; i++)
    {
      g_autoptr(GlsStmt) stmt = get_stmt (self, STMT_INDEX_QUERY, error);
      int rc;

      if (stmt == NULL)
        {
          ok = FALSE;
          break;
        }
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, keys[i], -1, SQLITE_STATIC);
      while ((rc = stmt_step (self, stmt, error)) == SQLITE_ROW)
        g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      ok = rc == SQLITE_DONE;
    }
  if (n_keys > 1)
    rollback (self);
out:
  g_mutex_unlock (&self->lock);
  return ok ? g_steal_pointer (&ids) : NULL;
}

GThread *
_gls_store_get_external_reader (GlsStore *self)
{
  GThread *thread;

  g_mutex_lock (&self->watch_lock);
  thread = self->external_reader;
  g_mutex_unlock (&self->watch_lock);
  return thread;
}
