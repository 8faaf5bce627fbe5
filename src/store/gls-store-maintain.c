/* gls-store-maintain.c: compaction, and the test hooks that look at the file
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-store"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "gls-store-private.h"

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
    _gls_store_set_sqlite_error (error, self->db, rc, "integrity_check");
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->lock);

  *result = g_string_free (out, FALSE);
  return rc == SQLITE_DONE;
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
  if (!_gls_store_begin_write (self, error))
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
      _gls_store_set_sqlite_error (error, self->db, rc, "blobs");
      goto out_rollback;
    }

  if (!_gls_store_files_sweep (self->files_dir, keep, 3600, &r.files, &r.file_bytes, error) ||
      !_gls_store_commit (self, error))
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
  _gls_store_rollback (self);
out:
  g_mutex_unlock (&self->lock);
  r.database_bytes_after = file_size (self->path) + file_size_wal (self);
  if (ok && result != NULL)
    *result = r;
  return ok;
}
