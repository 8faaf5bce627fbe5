/* gls-store-local.c: _local documents: not replicated, no revision tree
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-store"

#include "config.h"

#include <sqlite3.h>

#include "gls-store-private.h"

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
  return _gls_store_query_int_by_text (self, STMT_LOCAL_GET, id, 0, rev, error);
}

gboolean
_gls_store_write_local (GlsStore    *self,
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
    return _gls_store_set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Document id must not be empty");
  if (rev != NULL && !parse_local_rev (rev, &given))
    return _gls_store_set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Invalid rev format");
  if (!local_rev (self, id, &current, error))
    return FALSE;

  if (deleted)
    {
      if (current == 0)
        return _gls_store_set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "missing");
      if (given != current)
        return _gls_store_set_error_literal (error, GLS_STORE_ERROR_CONFLICT, "Document update conflict.");
      if (!(stmt = _gls_store_get_stmt (self, STMT_LOCAL_DELETE, error)))
        return FALSE;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      if (!_gls_store_stmt_step (self, stmt, error))
        return FALSE;
      if (new_rev != NULL)
        *new_rev = g_strdup ("0-0");
      return TRUE;
    }

  if (given != current)
    return _gls_store_set_error_literal (error, GLS_STORE_ERROR_CONFLICT, "Document update conflict.");

  body = g_string_new (NULL);
  if (doc != NULL)
    _gls_json_write_object (body, doc, TRUE);
  else
    g_string_append (body, "{}");

  if (!(stmt = _gls_store_get_stmt (self, STMT_LOCAL_PUT, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, current + 1);
  sqlite3_bind_text (stmt, 3, body->str, body->len, SQLITE_STATIC);
  if (!_gls_store_stmt_step (self, stmt, error))
    return FALSE;

  if (new_rev != NULL)
    *new_rev = g_strdup_printf ("0-%" G_GINT64_FORMAT, current + 1);
  return TRUE;
}

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
  if ((stmt = _gls_store_get_stmt (self, STMT_LOCAL_GET, error)))
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      rc = _gls_store_stmt_step (self, stmt, error);
      if (rc == SQLITE_ROW)
        {
          rev = sqlite3_column_int64 (stmt, 0);
          body = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        }
      g_clear_pointer (&stmt, _gls_store_stmt_release);
    }
  g_mutex_unlock (&self->lock);

  if (rc == 0)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      _gls_store_set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "missing");
      return NULL;
    }
  if (!(parsed = _gls_store_parse_object_text (body, error)))
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
  if (_gls_store_begin_write (self, error))
    {
      if (_gls_store_write_local (self, id, doc, rev, deleted, new_rev, error))
        ok = _gls_store_commit (self, error);
      else
        _gls_store_rollback (self);
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
      _gls_store_set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Document id is not valid UTF-8");
      return NULL;
    }
  if (!_gls_json_check_document (doc, error))
    return NULL;

  rev_node = json_object_get_member (doc, "_rev");
  if (rev_node != NULL && !JSON_NODE_HOLDS_NULL (rev_node))
    {
      if (!JSON_NODE_HOLDS_VALUE (rev_node) || json_node_get_value_type (rev_node) != G_TYPE_STRING)
        {
          _gls_store_set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Invalid rev format");
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

char *
gls_store_replace_local (GlsStore    *self,
                         const char  *id,
                         JsonObject  *doc,
                         GError     **error)
{
  g_autofree char *rev = NULL;
  char *new_rev = NULL;
  gint64 current = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate (id, -1, NULL))
    {
      _gls_store_set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Document id is not valid UTF-8");
      return NULL;
    }
  if (!_gls_json_check_document (doc, error))
    return NULL;
  id = strip_local_prefix (id);

  /* The current rev read and written over in one transaction. */
  g_mutex_lock (&self->lock);
  if (_gls_store_begin_write (self, error))
    {
      if (local_rev (self, id, &current, error))
        {
          rev = current > 0 ? g_strdup_printf ("0-%" G_GINT64_FORMAT, current) : NULL;
          ok = _gls_store_write_local (self, id, doc, rev, FALSE, &new_rev, error);
        }
      if (ok)
        ok = _gls_store_commit (self, error);
      else
        _gls_store_rollback (self);
    }
  g_mutex_unlock (&self->lock);

  if (!ok)
    g_clear_pointer (&new_rev, g_free);
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
