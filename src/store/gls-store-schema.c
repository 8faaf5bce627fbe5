/* gls-store-schema.c: the SQLite file: its tables, their upgrades, opening it
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
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

/* Opening */

static gboolean
create_schema (GlsStore  *self,
               GError   **error)
{
  g_autofree char *uuid = NULL;
  g_autofree char *version = g_strdup_printf ("%d", SCHEMA_VERSION);
  g_autofree char *limit = g_strdup_printf ("%d", GLS_STORE_DEFAULT_REVS_LIMIT);
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

  return _gls_store_meta_set (self, "magic", SCHEMA_MAGIC, error) &&
         _gls_store_meta_set (self, "schema_version", version, error) &&
         _gls_store_meta_set (self, "uuid", uuid, error) &&
         _gls_store_meta_set (self, "revs_limit", limit, error);
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
      _gls_store_set_sqlite_error (error, self->db, rc, self->path);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  *n_tables = sqlite3_column_int64 (stmt, 0);
  *exists = sqlite3_column_int64 (stmt, 1) > 0;
  sqlite3_finalize (stmt);
  return TRUE;
}

/* doc_count and doc_del_count (GET /{db} asks for them on every
 * replication) without counting 100,000 rows each time: kept in the
 * writing transaction, whichever process writes. New documents are
 * counted by the writer, once per transaction (finish_doc, then
 * _gls_store_commit): a trigger on every insert made SQLite keep a
 * statement journal for each, an eighth of a pull's instructions. Changes
 * and removals, rarer, keep their triggers. Added to stores made before
 * them when first opened. */
static const char doc_counts_sql[] =
  "CREATE TABLE IF NOT EXISTS doc_counts (id INTEGER PRIMARY KEY CHECK (id = 0),"
  "                                       live INTEGER NOT NULL, deleted INTEGER NOT NULL);"
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
    {
      /* Stores of earlier 0.2 builds counted inserts with a trigger. */
      rc = sqlite3_exec (self->db, "DROP TRIGGER IF EXISTS docs_count_insert", NULL, NULL, &message);
      if (rc != SQLITE_OK)
        {
          g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_IO, "%s: %s", self->path,
                       message != NULL ? message : sqlite3_errstr (rc));
          sqlite3_free (message);
          return FALSE;
        }
      return TRUE;
    }
  /* Counted and then kept up to date in one transaction: no write can
   * slip in between. */
  if (!_gls_store_begin_write (self, error))
    return FALSE;
  rc = sqlite3_exec (self->db, doc_counts_sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_IO, "%s: %s", self->path,
                   message != NULL ? message : sqlite3_errstr (rc));
      sqlite3_free (message);
      _gls_store_rollback (self);
      return FALSE;
    }
  return _gls_store_commit (self, error);
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
 * each document's winning revision (a deleted one's tombstone body too),
 * each string found there (the member itself, or the strings of an
 * array). Kept by every write, in its transaction, for every index any
 * process declared. Queries by key list live documents; a reader that
 * follows links (gls_store_foreach_indexed) gets tombstones as well. */
static const char indexes_sql[] =
  "CREATE TABLE IF NOT EXISTS store_indexes (name TEXT PRIMARY KEY, json_path TEXT NOT NULL,"
  "                                          first_key TEXT NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS index_entries (name TEXT NOT NULL, key TEXT NOT NULL, doc_id INTEGER NOT NULL,"
  "                                         PRIMARY KEY (name, key, doc_id)) WITHOUT ROWID;"
  "CREATE INDEX IF NOT EXISTS index_entries_by_doc ON index_entries (doc_id);";

/* Indexes built before they listed tombstones get them, once. */
static gboolean
index_tombstones (GlsStore  *self,
                  GError   **error)
{
  g_autofree char *done = NULL;
  char *message = NULL;

  if (!(done = _gls_store_meta_get (self, "index-tombstones", error)))
    return FALSE;
  if (g_str_equal (done, "1"))
    return TRUE;
  if (!_gls_store_begin_write (self, error))
    return FALSE;
  g_clear_pointer (&done, g_free);
  if (!(done = _gls_store_meta_get (self, "index-tombstones", error)))
    goto fail;
  if (!g_str_equal (done, "1"))
    {
      if (sqlite3_exec (self->db,
                        "INSERT OR IGNORE INTO index_entries (name, key, doc_id)"
                        " SELECT i.name, j.value, d.doc_id FROM store_indexes AS i, docs AS d"
                        " JOIN revs AS r ON r.rev_id = d.winner, json_each (r.body, i.json_path) AS j"
                        " WHERE d.deleted != 0 AND r.body IS NOT NULL AND j.type = 'text'",
                        NULL, NULL, &message) != SQLITE_OK)
        {
          g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_IO, "%s: %s", self->path,
                       message != NULL ? message : sqlite3_errmsg (self->db));
          sqlite3_free (message);
          goto fail;
        }
      if (!_gls_store_meta_set (self, "index-tombstones", "1", error))
        goto fail;
    }
  return _gls_store_commit (self, error);

fail:
  _gls_store_rollback (self);
  return FALSE;
}

static gboolean
ensure_indexes (GlsStore  *self,
                GError   **error)
{
  gboolean exists;
  gint64 n_tables;
  char *message = NULL;

  if (!table_exists (self, "store_indexes", &exists, &n_tables, error))
    return FALSE;
  if (!exists && sqlite3_exec (self->db, indexes_sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_IO, "%s: %s", self->path,
                   message != NULL ? message : sqlite3_errmsg (self->db));
      sqlite3_free (message);
      return FALSE;
    }
  return index_tombstones (self, error);
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

  if (!_gls_store_begin_write (self, error))
    return FALSE;
  /* Another process may have done it while we waited for the lock. */
  version = _gls_store_meta_get (self, "schema_version", &local_error);
  if (version == NULL)
    goto failed;
  if (g_ascii_strtoll (version, NULL, 10) >= 2)
    return _gls_store_commit (self, error);

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
          _gls_store_set_sqlite_error (&local_error, self->db, sqlite3_errcode (self->db), "blobs");
          goto failed;
        }
      n++;
    }
  if (rc != SQLITE_DONE)
    {
      _gls_store_set_sqlite_error (&local_error, self->db, rc, "blobs");
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
  if (!_gls_store_meta_set (self, "schema_version", "2", &local_error) ||
      !_gls_store_commit (self, &local_error))
    goto failed;

  g_debug ("%s: moved %u attachments into %s", self->path, n, self->files_dir);
  return TRUE;

failed:
  sqlite3_free (errmsg);
  sqlite3_finalize (read);
  sqlite3_finalize (insert);
  _gls_store_rollback (self);
  g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_IO,
               _("Could not upgrade the store “%s” to this version of Glossa: %s"),
               self->path, local_error != NULL ? local_error->message : "?");
  return FALSE;
}

gboolean
_gls_store_open_database (GlsStore  *self,
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
  sqlite3_busy_timeout (self->db, GLS_STORE_BUSY_TIMEOUT_MS);

  /* A new store's pages are 16 KiB, not SQLite's 4: a pull writes each
   * page's frames in a quarter of the system calls (20,000 annotations
   * in 0.48 s instead of 0.59 s here). Set before anything is written;
   * an existing store keeps its size. */
  sqlite3_exec (self->db, "PRAGMA page_size = 16384", NULL, NULL, NULL);

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
      if (!_gls_store_begin_write (self, error))
        return FALSE;
      if (!table_exists (self, "meta", &has_meta, &n_tables, error))
        {
          _gls_store_rollback (self);
          return FALSE;
        }
      if (!has_meta && n_tables == 0 && !create_schema (self, error))
        {
          _gls_store_rollback (self);
          return FALSE;
        }
      if (!_gls_store_commit (self, error))
        return FALSE;
    }

  magic = _gls_store_meta_get (self, "magic", &local_error);
  if (magic != NULL)
    version = _gls_store_meta_get (self, "schema_version", &local_error);
  if (version != NULL)
    self->uuid = _gls_store_meta_get (self, "uuid", &local_error);
  if (self->uuid != NULL)
    limit = _gls_store_meta_get (self, "revs_limit", &local_error);

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
  if (!_gls_store_read_max_seq (self, &self->emitted_seq, error))
    return FALSE;
  self->committed_seq = self->emitted_seq;

  return TRUE;
}
