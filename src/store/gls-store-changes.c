/* gls-store-changes.c: reading in update order: changes, foreach, revisions, revs_diff
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

#define FOREACH_CHUNK         512

/* A changed document, its leaves sorted winner first. */
typedef void (*ChangeFunc) (gint64      seq,
                            const char *id,
                            gboolean    deleted,
                            GArray     *leaves,
                            gpointer    data);

static void
flush_change (gint64      seq,
              const char *id,
              gboolean    deleted,
              GArray     *leaves,
              ChangeFunc  func,
              gpointer    data)
{
  GlsRevNode *v = (GlsRevNode *) leaves->data;

  for (guint i = 1; i < leaves->len; i++)
    for (guint j = i; j > 0 && _gls_rev_node_beats (&v[j], &v[j - 1]); j--)
      {
        GlsRevNode t = v[j];
        v[j] = v[j - 1];
        v[j - 1] = t;
      }
  func (seq, id, deleted, leaves, data);
}

static void
add_json_row (gint64      seq,
              const char *id,
              gboolean    deleted,
              GArray     *leaves,
              gpointer    data)
{
  JsonArray *results = data;
  JsonObject *row = json_object_new ();
  JsonArray *changes = json_array_new ();
  char rev[GLS_REV_BUF_SIZE];

  for (guint i = 0; i < leaves->len; i++)
    {
      JsonObject *change = json_object_new ();
      json_object_set_string_member (change, "rev",
                                     _gls_store_print_rev (&g_array_index (leaves, GlsRevNode, i), rev));
      json_array_add_object_element (changes, change);
    }

  json_object_set_int_member (row, "seq", seq);
  json_object_set_string_member (row, "id", id);
  json_object_set_array_member (row, "changes", changes);
  if (deleted)
    json_object_set_boolean_member (row, "deleted", TRUE);
  json_array_add_object_element (results, row);
}

static void
add_list_row (gint64      seq,
              const char *id,
              gboolean    deleted,
              GArray     *leaves,
              gpointer    data)
{
  GlsStoreRevsList *list = data;
  char rev[GLS_REV_BUF_SIZE];

  gls_store_revs_list_add_id (list, id, -1);
  for (guint i = 0; i < leaves->len; i++)
    gls_store_revs_list_add_rev (list, _gls_store_print_rev (&g_array_index (leaves, GlsRevNode, i), rev),
                                 -1);
}

typedef struct
{
  GString *text;
  gint64   n_rows;
} TextRows;

/* A row as gls_json_to_string writes add_json_row's (members sorted). */
static void
add_text_row (gint64      seq,
              const char *id,
              gboolean    deleted,
              GArray     *leaves,
              gpointer    data)
{
  TextRows *rows = data;
  GString *text = rows->text;
  char rev[GLS_REV_BUF_SIZE];

  g_string_append (text, rows->n_rows++ > 0 ? ",{\"changes\":[" : "{\"changes\":[");
  for (guint i = 0; i < leaves->len; i++)
    {
      g_string_append (text, i > 0 ? ",{\"rev\":\"" : "{\"rev\":\"");
      g_string_append (text, _gls_store_print_rev (&g_array_index (leaves, GlsRevNode, i), rev));
      g_string_append (text, "\"}");
    }
  g_string_append (text, deleted ? "],\"deleted\":true,\"id\":" : "],\"id\":");
  gls_json_append_string (text, id);
  g_string_append_printf (text, ",\"seq\":%" G_GINT64_FORMAT "}", seq);
}

static gboolean
changes_locked (GlsStore    *self,
                gint64       since,
                gint64       limit,
                gboolean     all_docs,
                ChangeFunc   func,
                gpointer     data,
                gint64      *last_seq,
                gint64      *pending,
                GError     **error)
{
  g_autoptr(GlsStmt) stmt = _gls_store_get_stmt (self, all_docs ? STMT_CHANGES_ALL : STMT_CHANGES_WINNER,
                                                 error);
  g_autoptr(GArray) leaves = g_array_new (FALSE, TRUE, sizeof (GlsRevNode));
  g_autofree char *cur_id = NULL;
  gboolean cur_deleted = FALSE;
  gint64 cur_seq = -1;
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? limit : -1);
  while ((rc = _gls_store_stmt_step (self, stmt, error)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      GlsRevNode node = { 0, };
      const char *hash = (const char *) sqlite3_column_text (stmt, 3);

      if (seq != cur_seq)
        {
          if (cur_id != NULL)
            flush_change (cur_seq, cur_id, cur_deleted, leaves, func, data);
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
    return FALSE;
  if (cur_id != NULL)
    flush_change (cur_seq, cur_id, cur_deleted, leaves, func, data);
  g_clear_pointer (&stmt, _gls_store_stmt_release);

  if (cur_seq >= 0)
    *last_seq = cur_seq;
  else if (!_gls_store_read_max_seq (self, last_seq, error))
    return FALSE;
  return _gls_store_query_int (self, STMT_PENDING, *last_seq, pending, error);
}

JsonObject *
gls_store_changes (GlsStore  *self,
                   gint64     since,
                   gint64     limit,
                   gboolean   all_docs,
                   GError   **error)
{
  g_autoptr(JsonArray) results = NULL;
  JsonObject *answer = NULL;
  gint64 last_seq = 0;
  gint64 pending = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  results = json_array_new ();
  g_mutex_lock (&self->lock);
  if (_gls_store_begin_read (self, error))
    {
      ok = changes_locked (self, MAX (since, 0), limit, all_docs, add_json_row, results,
                           &last_seq, &pending, error);
      _gls_store_rollback (self);
    }
  g_mutex_unlock (&self->lock);
  if (!ok)
    return NULL;

  answer = json_object_new ();
  json_object_set_array_member (answer, "results", g_steal_pointer (&results));
  json_object_set_int_member (answer, "last_seq", last_seq);
  json_object_set_int_member (answer, "pending", pending);
  return answer;
}

gboolean
gls_store_changes_text (GlsStore  *self,
                        gint64     since,
                        gint64     limit,
                        gboolean   all_docs,
                        GString   *out,
                        gint64    *n_results,
                        GError   **error)
{
  g_autoptr(GString) results = g_string_new (NULL);
  TextRows rows = { results, 0 };
  gint64 last_seq = 0;
  gint64 pending = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (GLS_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  if (_gls_store_begin_read (self, error))
    {
      ok = changes_locked (self, MAX (since, 0), limit, all_docs, add_text_row, &rows,
                           &last_seq, &pending, error);
      _gls_store_rollback (self);
    }
  g_mutex_unlock (&self->lock);
  if (!ok)
    return FALSE;

  g_string_append_printf (out, "{\"last_seq\":%" G_GINT64_FORMAT ",\"pending\":%" G_GINT64_FORMAT
                          ",\"results\":[", last_seq, pending);
  g_string_append_len (out, results->str, results->len);
  g_string_append (out, "]}");
  if (n_results != NULL)
    *n_results = rows.n_rows;
  return TRUE;
}

GlsStoreRevsList *
gls_store_changes_revs (GlsStore  *self,
                        gint64     since,
                        gint64     limit,
                        gint64    *last_seq,
                        gint64    *pending,
                        GError   **error)
{
  g_autoptr(GlsStoreRevsList) list = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  g_return_val_if_fail (last_seq != NULL && pending != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  list = gls_store_revs_list_new ();
  g_mutex_lock (&self->lock);
  if (_gls_store_begin_read (self, error))
    {
      ok = changes_locked (self, MAX (since, 0), limit, TRUE, add_list_row, list,
                           last_seq, pending, error);
      _gls_store_rollback (self);
    }
  g_mutex_unlock (&self->lock);

  return ok ? g_steal_pointer (&list) : NULL;
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
  char      rev[GLS_REV_BUF_SIZE];
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
  _gls_store_print_rev (&node, row->rev);
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
        body = _gls_store_parse_object_text (row->body != NULL ? row->body : "{}", &bad);
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
      if (!_gls_store_add_attachments (self, body, row->atts, FALSE, error))
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
      if ((stmt = _gls_store_get_stmt (self, STMT_FOREACH, error)))
        {
          sqlite3_bind_int64 (stmt, 1, since);
          sqlite3_bind_int64 (stmt, 2, FOREACH_CHUNK);
          while ((rc = _gls_store_stmt_step (self, stmt, error)) == SQLITE_ROW)
            {
              ForeachRow row = { 0, };

              foreach_row_read (stmt, &row);
              g_array_append_val (rows, row);
            }
          g_clear_pointer (&stmt, _gls_store_stmt_release);
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
              GlsStmtId             id,
              const char        *name,
              const char *const *keys,
              guint              n_keys,
              GArray            *rows,
              GError           **error)
{
  int rc = SQLITE_DONE;

  g_mutex_lock (&self->lock);
  if (!_gls_store_begin_read (self, error))
    rc = 0;
  for (guint i = 0; i < n_keys && rc != 0; i++)
    {
      g_autoptr(GlsStmt) stmt = _gls_store_get_stmt (self, id, error);

      if (stmt == NULL)
        {
          rc = 0;
          break;
        }
      if (name != NULL)
        sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, name != NULL ? 2 : 1, keys[i], -1, SQLITE_STATIC);
      while ((rc = _gls_store_stmt_step (self, stmt, error)) == SQLITE_ROW)
        {
          ForeachRow row = { 0, };

          foreach_row_read (stmt, &row);
          g_array_append_val (rows, row);
        }
    }
  _gls_store_rollback (self);
  g_mutex_unlock (&self->lock);
  return rc != 0;
}

static gboolean
foreach_rows_of (GlsStore          *self,
                 GlsStmtId             id,
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
 * gls_store_foreach_doc for the documents an index lists under any of
 * @keys, deleted ones too by their tombstone's body (a thread keeps its
 * deleted root's place; gls_store_query_index lists only live ones),
 * each key's in update order, key after key, read in one
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
  ok = _gls_store_begin_write (self, error);
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
    ok = _gls_store_commit (self, error);
  else
    _gls_store_rollback (self);
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
  if ((stmt = _gls_store_get_stmt (self, STMT_REVISIONS, error)))
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      while ((rc = _gls_store_stmt_step (self, stmt, error)) == SQLITE_ROW)
        {
          ForeachRow row = { 0, };
          GlsRevNode node = { 0, };
          const char *hash = (const char *) sqlite3_column_text (stmt, 1);

          node.gen = (guint) sqlite3_column_int64 (stmt, 0);
          g_strlcpy (node.hash, hash != NULL ? hash : "", sizeof node.hash);
          _gls_store_print_rev (&node, row.rev);
          row.deleted = sqlite3_column_int (stmt, 2) != 0;
          row.body = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
          row.atts = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
          g_array_append_val (rows, row);
        }
      g_clear_pointer (&stmt, _gls_store_stmt_release);
    }
  g_mutex_unlock (&self->lock);
  if (rc == 0)
    return NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      ForeachRow *row = &g_array_index (rows, ForeachRow, i);
      g_autoptr(JsonObject) body = _gls_store_parse_object_text (row->body, error);

      if (body == NULL || !_gls_store_add_attachments (self, body, row->atts, FALSE, error))
        return NULL;
      json_object_set_string_member (body, "_id", id);
      json_object_set_string_member (body, "_rev", row->rev);
      if (row->deleted)
        json_object_set_boolean_member (body, "_deleted", TRUE);
      json_array_add_object_element (revisions, g_steal_pointer (&body));
    }

  return g_steal_pointer (&revisions);
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
        sqlite3_busy_timeout (self->read_db, GLS_STORE_BUSY_TIMEOUT_MS);
      else
        {
          g_debug ("No second connection to %s: %s", self->path, sqlite3_errmsg (self->read_db));
          g_clear_pointer (&self->read_db, sqlite3_close_v2);
          self->read_failed = TRUE;
        }
    }
  if (self->read_db != NULL && (begin = _gls_store_conn_stmt (self->read_db, self->read_stmts,
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
      char rev[GLS_REV_BUF_SIZE];

      if (node->state != GLS_REV_NODE_REMOVED)
        g_hash_table_add (set, g_strdup (_gls_store_print_rev (node, rev)));
    }
  return set;
}

/* Where revs_diff reads: the second connection when there is one, else
 * the first, under its lock, in a read transaction. */
typedef struct
{
  GMutex        *lock;
  sqlite3       *db;
  sqlite3_stmt **stmts;
} DiffRead;

static gboolean
revs_diff_begin (GlsStore  *self,
                 DiffRead  *read,
                 GError   **error)
{
  if (read_begin (self))
    {
      read->lock = &self->read_lock;
      read->db = self->read_db;
      read->stmts = self->read_stmts;
      return TRUE;
    }
  read->lock = &self->lock;
  read->db = self->db;
  read->stmts = self->stmts;
  g_mutex_lock (&self->lock);
  if (!_gls_store_begin_read (self, error))
    {
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  return TRUE;
}

static void
revs_diff_end (GlsStore *self,
               DiffRead *read)
{
  if (read->lock == &self->read_lock)
    {
      g_autoptr(GlsStmt) end = _gls_store_conn_stmt (read->db, read->stmts, STMT_ROLLBACK, NULL);

      if (end != NULL)
        sqlite3_step (end);
    }
  else
    _gls_store_rollback (self);
  g_mutex_unlock (read->lock);
}

/* The revs of `id` the store lacks, each once, into `missing` (borrowed
 * from `revs`); `tree` is loaded with the document's tree (empty when
 * there is none) and *max_gen is the highest missing generation. */
static gboolean
revs_diff_doc (GlsStore           *self,
               DiffRead           *read,
               const char         *id,
               const char *const  *revs,
               guint               n_revs,
               GlsRevTree         *tree,
               GPtrArray          *missing,
               guint              *max_gen,
               GError            **error)
{
  g_autoptr(GHashTable) known = NULL;
  g_autoptr(GHashTable) seen = NULL;
  gint64 doc_id;

  *max_gen = 0;
  if (!_gls_store_lookup_doc_in (self, read->db, read->stmts, id, &doc_id, error) ||
      (doc_id != 0 && !_gls_store_load_tree_in (self, read->db, read->stmts, doc_id, tree, error)))
    return FALSE;
  /* Usually one rev per document: scans beat hash tables. A long list
   * (50,000 revs of one id) needs them, or this is quadratic. */
  if (n_revs > REVS_DIFF_SCAN_MAX)
    {
      known = revs_diff_tree_set (tree);
      seen = g_hash_table_new (g_str_hash, g_str_equal);
    }

  for (guint i = 0; i < n_revs; i++)
    {
      const char *rev = revs[i];
      guint gen;
      char hash[GLS_REV_HASH_LEN + 1];
      gboolean dup = FALSE;

      _gls_rev_parse (rev, &gen, hash);
      if (known != NULL)
        {
          GlsRevNode node = { .gen = gen };
          char key[GLS_REV_BUF_SIZE];

          memcpy (node.hash, hash, sizeof hash);
          if (g_hash_table_contains (known, _gls_store_print_rev (&node, key)) ||
              !g_hash_table_add (seen, (gpointer) rev))
            continue;
        }
      else
        {
          if (_gls_rev_tree_find (tree, gen, hash) >= 0)
            continue;
          for (guint k = 0; k < i && !dup; k++)
            dup = strcmp (revs[k], rev) == 0;
          if (dup)
            continue;
        }
      g_ptr_array_add (missing, (gpointer) rev);
      *max_gen = MAX (*max_gen, gen);
    }
  return TRUE;
}

JsonObject *
gls_store_revs_diff (GlsStore    *self,
                     JsonObject  *request,
                     GError     **error)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GPtrArray) revs = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  JsonObjectIter iter;
  const char *id;
  JsonNode *member;
  gboolean ok = TRUE;
  DiffRead read;

  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Validate everything before reading anything. */
  json_object_iter_init (&iter, request);
  while (json_object_iter_next (&iter, &id, &member))
    {
      JsonArray *list;

      if (!JSON_NODE_HOLDS_ARRAY (member))
        {
          _gls_store_set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "revs_diff expects lists of revs");
          return NULL;
        }
      list = json_node_get_array (member);
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonNode *element = json_array_get_element (list, i);
          const char *rev = JSON_NODE_HOLDS_VALUE (element) &&
                            json_node_get_value_type (element) == G_TYPE_STRING
                            ? json_node_get_string (element) : NULL;

          if (!_gls_store_parse_rev_arg (rev != NULL ? rev : "", NULL, NULL, error))
            return NULL;
        }
    }

  if (!revs_diff_begin (self, &read, error))
    return NULL;
  answer = json_object_new ();
  revs = g_ptr_array_new ();
  missing = g_ptr_array_new ();
  json_object_iter_init (&iter, request);
  while (ok && json_object_iter_next (&iter, &id, &member))
    {
      g_auto(GlsRevTree) tree = { NULL, };
      JsonArray *list = json_node_get_array (member);
      guint max_gen = 0;

      g_ptr_array_set_size (revs, 0);
      g_ptr_array_set_size (missing, 0);
      for (guint i = 0; i < json_array_get_length (list); i++)
        g_ptr_array_add (revs, (gpointer) json_array_get_string_element (list, i));
      _gls_rev_tree_init (&tree);
      if (!revs_diff_doc (self, &read, id, (const char *const *) revs->pdata, revs->len,
                          &tree, missing, &max_gen, error))
        {
          ok = FALSE;
          break;
        }

      if (missing->len > 0)
        {
          JsonObject *entry = json_object_new ();
          g_autoptr(GArray) leaves = _gls_rev_tree_sorted_leaves (&tree);
          JsonArray *missing_json = json_array_sized_new (missing->len);
          g_autoptr(JsonArray) ancestors = json_array_new ();
          char rev[GLS_REV_BUF_SIZE];

          for (guint i = 0; i < missing->len; i++)
            json_array_add_string_element (missing_json, g_ptr_array_index (missing, i));
          for (guint i = 0; i < leaves->len; i++)
            {
              const GlsRevNode *leaf = _gls_rev_tree_node (&tree, g_array_index (leaves, int, i));
              if (leaf->gen < max_gen)
                json_array_add_string_element (ancestors, _gls_store_print_rev (leaf, rev));
            }
          json_object_set_array_member (entry, "missing", missing_json);
          if (json_array_get_length (ancestors) > 0)
            json_object_set_array_member (entry, "possible_ancestors", g_steal_pointer (&ancestors));
          json_object_set_object_member (answer, id, entry);
        }
    }
  revs_diff_end (self, &read);

  return ok ? g_steal_pointer (&answer) : NULL;
}

GlsStoreRevsList *
gls_store_revs_diff_list (GlsStore          *self,
                          GlsStoreRevsList  *request,
                          GError           **error)
{
  g_autoptr(GlsStoreRevsList) answer = NULL;
  g_autoptr(GPtrArray) revs = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  guint n = 0;
  DiffRead read;

  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n = gls_store_revs_list_get_length (request);
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < gls_store_revs_list_get_n_revs (request, i); j++)
      if (!_gls_store_parse_rev_arg (gls_store_revs_list_get_rev (request, i, j), NULL, NULL, error))
        return NULL;

  if (!revs_diff_begin (self, &read, error))
    return NULL;
  answer = gls_store_revs_list_new ();
  revs = g_ptr_array_new ();
  missing = g_ptr_array_new ();
  for (guint i = 0; i < n; i++)
    {
      g_auto(GlsRevTree) tree = { NULL, };
      const char *id = gls_store_revs_list_get_id (request, i);
      guint max_gen;

      g_ptr_array_set_size (revs, 0);
      g_ptr_array_set_size (missing, 0);
      for (guint j = 0; j < gls_store_revs_list_get_n_revs (request, i); j++)
        g_ptr_array_add (revs, (gpointer) gls_store_revs_list_get_rev (request, i, j));
      _gls_rev_tree_init (&tree);
      if (!revs_diff_doc (self, &read, id, (const char *const *) revs->pdata, revs->len,
                          &tree, missing, &max_gen, error))
        {
          revs_diff_end (self, &read);
          return NULL;
        }
      if (missing->len == 0)
        continue;
      gls_store_revs_list_add_id (answer, id, -1);
      for (guint j = 0; j < missing->len; j++)
        gls_store_revs_list_add_rev (answer, g_ptr_array_index (missing, j), -1);
    }
  revs_diff_end (self, &read);

  return g_steal_pointer (&answer);
}
