/* gls-store.c: the store object: statements, transactions, the ::changed signal
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-store"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "gls-store-private.h"

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
  [STMT_DOC_COUNTS_ADD] = "UPDATE doc_counts SET live = live + ?1, deleted = deleted + ?2 WHERE id = 0",
  [STMT_DOC_UPDATE] = "UPDATE docs SET seq = ?2, winner = ?3, deleted = ?4 WHERE doc_id = ?1",
  /* In the index's order: sorted by rev_id by the reader, without the
   * temporary B-tree an ORDER BY would cost every document. */
  [STMT_REVS_BY_DOC] = "SELECT rev_id, gen, hash, parent, deleted, leaf, body IS NOT NULL"
                       " FROM revs WHERE doc_id = ?1",
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
                           " WHERE e.name = ?1 AND e.key = ?2 ORDER BY d.seq",
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

/* Errors */

gboolean
_gls_store_set_sqlite_error (GError    **error,
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

gboolean
_gls_store_set_error_literal (GError     **error,
                              GlsStoreError code,
                              const char  *message)
{
  g_set_error_literal (error, GLS_STORE_ERROR, code, message);
  return FALSE;
}

/* Statements (all called with the lock held) */

void
_gls_store_stmt_release (GlsStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

/* Statement `id` of connection `db`, prepared once into stmts[id]. */
GlsStmt *
_gls_store_conn_stmt (sqlite3        *db,
                      sqlite3_stmt  **stmts,
                      GlsStmtId          id,
                      GError        **error)
{
  if (stmts[id] == NULL)
    {
      int rc = sqlite3_prepare_v3 (db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                   &stmts[id], NULL);
      if (rc != SQLITE_OK)
        {
          _gls_store_set_sqlite_error (error, db, rc, _("Could not read the store"));
          return NULL;
        }
    }
  return stmts[id];
}

GlsStmt *
_gls_store_get_stmt (GlsStore  *self,
                     GlsStmtId     id,
                     GError   **error)
{
  return _gls_store_conn_stmt (self->db, self->stmts, id, error);
}

/* Steps a statement; returns SQLITE_ROW or SQLITE_DONE, or 0 with error set. */
int
_gls_store_stmt_step (GlsStore  *self,
                      GlsStmt   *stmt,
                      GError   **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;
  _gls_store_set_sqlite_error (error, sqlite3_db_handle (stmt), rc, _("Database error"));
  return 0;
}

static gboolean
run_stmt (GlsStore  *self,
          GlsStmtId     id,
          GError   **error)
{
  g_autoptr(GlsStmt) stmt = _gls_store_get_stmt (self, id, error);

  return stmt != NULL && _gls_store_stmt_step (self, stmt, error) != 0;
}

gboolean
_gls_store_begin_read (GlsStore  *self,
                       GError   **error)
{
  return run_stmt (self, STMT_BEGIN_READ, error);
}

gboolean
_gls_store_begin_write (GlsStore  *self,
                        GError   **error)
{
  self->index_specs_valid = FALSE;
  self->new_live = self->new_deleted = 0;
  self->next_doc_id = 0;
  return run_stmt (self, STMT_BEGIN_WRITE, error);
}

/* The documents this transaction made, counted. */
static gboolean
add_new_doc_counts (GlsStore  *self,
                    GError   **error)
{
  g_autoptr(GlsStmt) stmt = NULL;

  if (self->new_live == 0 && self->new_deleted == 0)
    return TRUE;
  if (!(stmt = _gls_store_get_stmt (self, STMT_DOC_COUNTS_ADD, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->new_live);
  sqlite3_bind_int64 (stmt, 2, self->new_deleted);
  if (!_gls_store_stmt_step (self, stmt, error))
    return FALSE;
  self->new_live = self->new_deleted = 0;
  return TRUE;
}

void
_gls_store_rollback (GlsStore *self)
{
  self->new_live = self->new_deleted = 0;
  self->next_doc_id = 0;
  if (!sqlite3_get_autocommit (self->db))
    {
      g_autoptr(GError) error = NULL;

      if (!run_stmt (self, STMT_ROLLBACK, &error))
        g_warning ("Rollback failed: %s", error->message);
    }
}

gboolean
_gls_store_commit (GlsStore  *self,
                   GError   **error)
{
  if (!add_new_doc_counts (self, error) || !run_stmt (self, STMT_COMMIT, error))
    {
      _gls_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
_gls_store_query_int (GlsStore  *self,
                      GlsStmtId     id,
                      gint64     arg,
                      gint64    *out,
                      GError   **error)
{
  g_autoptr(GlsStmt) stmt = _gls_store_get_stmt (self, id, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, arg);
  if (!(rc = _gls_store_stmt_step (self, stmt, error)))
    return FALSE;
  *out = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

/* Like _gls_store_query_int, for a statement keyed by one text on connection `db`:
 * `missing` when no row. */
gboolean
_gls_store_query_int_by_text_in (GlsStore       *self,
                                 sqlite3        *db,
                                 sqlite3_stmt  **stmts,
                                 GlsStmtId          id,
                                 const char     *key,
                                 gint64          missing,
                                 gint64         *out,
                                 GError        **error)
{
  g_autoptr(GlsStmt) stmt = _gls_store_conn_stmt (db, stmts, id, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (!(rc = _gls_store_stmt_step (self, stmt, error)))
    return FALSE;
  *out = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : missing;
  return TRUE;
}

/* The same on the main connection. */
gboolean
_gls_store_query_int_by_text (GlsStore    *self,
                              GlsStmtId       id,
                              const char  *key,
                              gint64       missing,
                              gint64      *out,
                              GError     **error)
{
  return _gls_store_query_int_by_text_in (self, self->db, self->stmts, id, key, missing, out, error);
}

gboolean
_gls_store_read_max_seq (GlsStore  *self,
                         gint64    *seq,
                         GError   **error)
{
  return _gls_store_query_int (self, STMT_MAX_SEQ, 0, seq, error);
}

char *
_gls_store_meta_get (GlsStore  *self,
                     const char *key,
                     GError   **error)
{
  g_autoptr(GlsStmt) stmt = _gls_store_get_stmt (self, STMT_META_GET, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (!(rc = _gls_store_stmt_step (self, stmt, error)))
    return NULL;
  if (rc != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return g_strdup ("");
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

gboolean
_gls_store_meta_set (GlsStore   *self,
                     const char *key,
                     const char *value,
                     GError    **error)
{
  g_autoptr(GlsStmt) stmt = _gls_store_get_stmt (self, STMT_META_SET, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  return _gls_store_stmt_step (self, stmt, error) != 0;
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
          sqlite3_busy_timeout (self->watch_db, GLS_STORE_BUSY_TIMEOUT_MS);
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
      _gls_store_schedule_check (self, TRUE, 0);
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

void
_gls_store_schedule_check (GlsStore *self,
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
    _gls_store_schedule_check (self, TRUE, 0);
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
  ret = _gls_store_open_database (self, error);
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

  /* SQLite counts every allocation under a global mutex unless told not
   * to, before it starts; nothing here reads the counts. (Refused, and
   * harmless, if something in the process started SQLite first.) */
  sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);

  object_class->dispose = gls_store_dispose;
  object_class->finalize = gls_store_finalize;
  object_class->get_property = gls_store_get_property;
  object_class->set_property = gls_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_REVS_LIMIT] =
    g_param_spec_uint ("revs-limit", NULL, NULL, 1, G_MAXINT32, GLS_STORE_DEFAULT_REVS_LIMIT,
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
  self->revs_limit = GLS_STORE_DEFAULT_REVS_LIMIT;
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
              GlsStmtId    id)
{
  g_autoptr(GError) error = NULL;
  gint64 value = 0;

  g_mutex_lock (&self->lock);
  if (!_gls_store_query_int (self, id, 0, &value, &error))
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

gint64
_gls_store_count_blobs (GlsStore *self)
{
  return locked_count (self, STMT_BLOB_COUNT);
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
      if (_gls_store_begin_write (self, &error) &&
          _gls_store_meta_set (self, "revs_limit", value, &error) &&
          _gls_store_commit (self, &error))
        {
          self->revs_limit = revs_limit;
          changed = TRUE;
        }
      else
        {
          _gls_store_rollback (self);
          g_warning ("%s: cannot set revs_limit: %s", self->path, error->message);
        }
    }
  g_mutex_unlock (&self->lock);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVS_LIMIT]);
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
