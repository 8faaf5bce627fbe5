/* gls-store-index.c: secondary indexes: declared, kept by every write, queried
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-store"

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "gls-store-private.h"

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
  if (!(stmt = _gls_store_get_stmt (self, STMT_INDEX_SPECS, error)))
    return FALSE;
  while ((rc = _gls_store_stmt_step (self, stmt, error)) == SQLITE_ROW)
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
                    gboolean     sorted,
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
          !_gls_store_json_index_keys (body, (const char *const *) spec->members, sorted, keys))
        return TRUE;
      g_array_append_val (ends, keys->len);
    }
  for (guint i = 0, k = 0; i < self->index_specs->len; i++)
    for (; k < g_array_index (ends, guint, i); k++)
      {
        g_autoptr(GlsStmt) insert = _gls_store_get_stmt (self, STMT_INDEX_INSERT, error);

        if (insert == NULL)
          return FALSE;
        sqlite3_bind_text (insert, 1, ((IndexSpec *) g_ptr_array_index (self->index_specs, i))->name,
                           -1, SQLITE_STATIC);
        sqlite3_bind_text (insert, 2, g_ptr_array_index (keys, k), -1, SQLITE_STATIC);
        sqlite3_bind_int64 (insert, 3, doc_id);
        if (!_gls_store_stmt_step (self, insert, error))
          return FALSE;
      }
  *done = TRUE;
  return TRUE;
}

/* The document's index entries, from its winning revision (`body` when
 * just written, else read); a deleted document's from its tombstone's
 * body, when it has one (foreach_indexed lists them, query_index not). */
gboolean
_gls_store_update_index_entries (GlsStore          *self,
                                 gint64             doc_id,
                                 gboolean           is_new,
                                 const GlsRevNode  *winner,
                                 const char        *body,
                                 GError           **error)
{
  g_autoptr(GlsStmt) fill = NULL;
  g_autofree char *read = NULL;
  gboolean written = body != NULL;   /* as this store writes: members sorted */
  gboolean done;

  if (!is_new)
    {
      g_autoptr(GlsStmt) clear = _gls_store_get_stmt (self, STMT_INDEX_CLEAR, error);

      if (clear == NULL)
        return FALSE;
      sqlite3_bind_int64 (clear, 1, doc_id);
      if (!_gls_store_stmt_step (self, clear, error))
        return FALSE;
    }
  if (body == NULL)
    {
      if (!winner->has_body)
        return TRUE;
      if (!_gls_store_read_content (self, winner->row, &read, NULL, error))
        return FALSE;
      body = read;
    }
  if (body == NULL)
    return TRUE;
  if (!load_index_specs (self, error) || !index_entries_fast (self, doc_id, body, written, &done, error))
    return FALSE;
  if (done)
    return TRUE;
  if (!(fill = _gls_store_get_stmt (self, STMT_INDEX_FILL, error)))
    return FALSE;
  sqlite3_bind_int64 (fill, 1, doc_id);
  sqlite3_bind_text (fill, 2, body, -1, SQLITE_STATIC);
  return _gls_store_stmt_step (self, fill, error) != 0;
}

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
    return _gls_store_set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Invalid index path");

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
  if (!_gls_store_begin_write (self, error))
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
      ok = _gls_store_commit (self, error);  /* there already */
      goto out;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _gls_store_set_sqlite_error (error, self->db, rc, "store_indexes");
      goto out_rollback;
    }

  /* New, or moved to another member: (re)built from every winner. */
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
                               " WHERE r.body IS NOT NULL AND j.type = 'text'",
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
      _gls_store_set_sqlite_error (error, self->db, rc, "index");
      goto out_rollback;
    }
  ok = _gls_store_commit (self, error);
  goto out;

out_rollback:
  _gls_store_rollback (self);
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
  if (n_keys > 1 && !_gls_store_begin_read (self, error))
    goto out;
  ok = TRUE;
  for (guint i = 0; ok && i < n_keys; i++)
    {
      g_autoptr(GlsStmt) stmt = _gls_store_get_stmt (self, STMT_INDEX_QUERY, error);
      int rc;

      if (stmt == NULL)
        {
          ok = FALSE;
          break;
        }
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, keys[i], -1, SQLITE_STATIC);
      while ((rc = _gls_store_stmt_step (self, stmt, error)) == SQLITE_ROW)
        g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      ok = rc == SQLITE_DONE;
    }
  if (n_keys > 1)
    _gls_store_rollback (self);
out:
  g_mutex_unlock (&self->lock);
  return ok ? g_steal_pointer (&ids) : NULL;
}
