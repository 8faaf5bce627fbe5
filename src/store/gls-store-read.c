/* gls-store-read.c: reading one document: its tree, its body, get and open_revs
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

/* Documents: reading pieces (lock held) */

gboolean
_gls_store_lookup_doc_in (GlsStore       *self,
                          sqlite3        *db,
                          sqlite3_stmt  **stmts,
                          const char     *id,
                          gint64         *doc_id,
                          GError        **error)
{
  return _gls_store_query_int_by_text_in (self, db, stmts, STMT_DOC_BY_ID, id, 0, doc_id, error);
}

gboolean
_gls_store_lookup_doc (GlsStore   *self,
                       const char *id,
                       gint64     *doc_id,
                       GError    **error)
{
  return _gls_store_query_int_by_text (self, STMT_DOC_BY_ID, id, 0, doc_id, error);
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

gboolean
_gls_store_load_tree_in (GlsStore       *self,
                         sqlite3        *db,
                         sqlite3_stmt  **stmts,
                         gint64          doc_id,
                         GlsRevTree     *tree,
                         GError        **error)
{
  g_autoptr(GlsStmt) stmt = _gls_store_conn_stmt (db, stmts, STMT_REVS_BY_DOC, error);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) parents = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, doc_id);
  while ((rc = _gls_store_stmt_step (self, stmt, error)) == SQLITE_ROW)
    {
      GlsRevNode node = { 0, };
      const char *hash = (const char *) sqlite3_column_text (stmt, 2);
      gint64 parent = sqlite3_column_int64 (stmt, 3);
      guint at;

      if (!_gls_rev_hash_is_valid (hash))
        return _gls_store_set_error_literal (error, GLS_STORE_ERROR_CORRUPT,
                                             _("The store is damaged: a revision id is invalid"));

      node.row = sqlite3_column_int64 (stmt, 0);
      node.gen = (guint) sqlite3_column_int64 (stmt, 1);
      memcpy (node.hash, hash, GLS_REV_HASH_LEN + 1);
      node.parent = -1;
      node.deleted = sqlite3_column_int (stmt, 4) != 0;
      node.leaf = sqlite3_column_int (stmt, 5) != 0;
      node.has_body = sqlite3_column_int (stmt, 6) != 0;
      node.state = GLS_REV_NODE_KEPT;
      /* Nodes in rev_id order (a document has few revisions). */
      for (at = rows->len; at > 0 && g_array_index (rows, gint64, at - 1) > node.row; at--)
        ;
      g_array_insert_val (tree->nodes, at, node);
      g_array_insert_val (rows, at, node.row);
      g_array_insert_val (parents, at, parent);
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

gboolean
_gls_store_load_tree (GlsStore   *self,
                      gint64      doc_id,
                      GlsRevTree *tree,
                      GError    **error)
{
  return _gls_store_load_tree_in (self, self->db, self->stmts, doc_id, tree, error);
}

/* Reads body and attachment stubs of a revision; both may be NULL. */
gboolean
_gls_store_read_content (GlsStore   *self,
                         gint64      row,
                         char      **body,
                         char      **atts,
                         GError    **error)
{
  g_autoptr(GlsStmt) stmt = _gls_store_get_stmt (self, STMT_REV_CONTENT, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row);
  if (!(rc = _gls_store_stmt_step (self, stmt, error)))
    return FALSE;
  if (rc != SQLITE_ROW)
    return _gls_store_set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "missing");
  if (body != NULL)
    *body = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (atts != NULL)
    *atts = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  return TRUE;
}

JsonObject *
_gls_store_parse_object_text (const char  *text,
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

/* "<gen>-<hash>", as g_snprintf ("%u-%s") would, without a format to
 * interpret for every document read. */
const char *
_gls_store_print_rev (const GlsRevNode *node,
                      char              buf[GLS_REV_BUF_SIZE])
{
  char digits[16];
  guint gen = node->gen;
  guint n = 0;
  char *p = buf;

  G_STATIC_ASSERT (GLS_REV_BUF_SIZE >= 10 + 1 + GLS_REV_HASH_LEN + 1);

  do
    digits[n++] = '0' + gen % 10;
  while ((gen /= 10) != 0);
  while (n > 0)
    *p++ = digits[--n];
  *p++ = '-';
  g_strlcpy (p, node->hash, GLS_REV_BUF_SIZE - (p - buf));

  return buf;
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
  char rev[GLS_REV_BUF_SIZE];

  if (!node->has_body)
    {
      _gls_store_set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "missing");
      return NULL;
    }
  if (!_gls_store_read_content (self, node->row, &body_text, &atts_text, error))
    return NULL;
  if (!(body = _gls_store_parse_object_text (body_text != NULL ? body_text : "{}", error)))
    return NULL;

  doc = json_object_new ();
  json_object_set_string_member (doc, "_id", id);
  json_object_set_string_member (doc, "_rev", _gls_store_print_rev (node, rev));

  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &name, &member))
    json_object_set_member (doc, name, json_node_ref (member));

  if (node->deleted)
    json_object_set_boolean_member (doc, "_deleted", TRUE);

  if (!_gls_store_add_attachments (self, doc, atts_text, (flags & GLS_STORE_GET_ATTACHMENTS) != 0, error))
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
            json_array_add_string_element (conflicts, _gls_store_print_rev (other, rev));
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
  char rev[GLS_REV_BUF_SIZE];

  if (!node->has_body)
    return _gls_store_set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "missing");
  if (!_gls_store_read_content (self, node->row, &body_text, &atts_text, error))
    return FALSE;

  g_string_append (out, "{\"_id\":");
  _gls_json_write_string (out, id);
  g_string_append (out, ",\"_rev\":\"");
  g_string_append (out, _gls_store_print_rev (node, rev));
  g_string_append_c (out, '"');
  if (node->deleted)
    g_string_append (out, ",\"_deleted\":true");

  if (atts_text != NULL)
    {
      g_autoptr(JsonObject) holder = json_object_new ();
      JsonNode *atts;

      if (!_gls_store_add_attachments (self, holder, atts_text, (flags & GLS_STORE_GET_ATTACHMENTS) != 0, error))
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
          g_string_append (out, _gls_store_print_rev (other, rev));
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

/* Reads */

gboolean
_gls_store_parse_rev_arg (const char  *rev,
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
gboolean
_gls_store_open_doc (GlsStore          *self,
                     const char        *id,
                     const char        *rev,
                     GlsStoreGetFlags   flags,
                     GlsRevTree        *tree,
                     int               *idx,
                     GError           **error)
{
  gint64 doc_id;

  if (!_gls_store_lookup_doc (self, id, &doc_id, error))
    return FALSE;
  if (doc_id == 0)
    return _gls_store_set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "missing");
  if (!_gls_store_load_tree (self, doc_id, tree, error))
    return FALSE;

  if (rev != NULL)
    {
      guint gen;
      char hash[GLS_REV_HASH_LEN + 1];

      _gls_rev_parse (rev, &gen, hash);
      *idx = _gls_rev_tree_find (tree, gen, hash);
      if (*idx < 0)
        return _gls_store_set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "missing");
    }
  else
    {
      *idx = _gls_rev_tree_winner (tree);
      if (*idx < 0)
        return _gls_store_set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "missing");
      if (_gls_rev_tree_node (tree, *idx)->deleted && !(flags & GLS_STORE_GET_DELETED_OK))
        return _gls_store_set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "deleted");
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

  /* By a full id, as a peer asks: not this computer's own (those are
   * read by gls_store_get_local alone). */
  if (g_str_has_prefix (id, "_local/" GLS_PRIVATE_LOCAL_PREFIX))
    {
      g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND, "missing");
      return NULL;
    }
  if (g_str_has_prefix (id, "_local/"))
    return gls_store_get_local (self, id + 7, error);
  if (rev != NULL && !_gls_store_parse_rev_arg (rev, &gen, hash, error))
    return NULL;

  _gls_rev_tree_init (&tree);
  g_mutex_lock (&self->lock);
  if (_gls_store_begin_read (self, error))
    {
      if (_gls_store_open_doc (self, id, rev, flags, &tree, &idx, error))
        doc = build_doc (self, id, &tree, idx, flags, error);
      _gls_store_rollback (self);
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

  if (!_gls_store_lookup_doc (self, id, &doc_id, error))
    return FALSE;

  if (doc_id == 0)
    {
      if (revs == NULL)
        return _gls_store_set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "missing");
      for (guint i = 0; revs[i] != NULL; i++)
        add_missing (sink, revs[i]);
      return TRUE;
    }

  _gls_rev_tree_init (&tree);
  if (!_gls_store_load_tree (self, doc_id, &tree, error))
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
    if (!_gls_store_parse_rev_arg (revs[i], NULL, NULL, error))
      return NULL;

  results = json_array_new ();
  g_mutex_lock (&self->lock);
  if (_gls_store_begin_read (self, error))
    {
      OpenRevsSink sink = { results, NULL, NULL };

      ok = open_revs_locked (self, id, revs, flags, &sink, error);
      _gls_store_rollback (self);
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
  g_autoptr(GlsStoreReads) reads = NULL;

  g_return_val_if_fail (GLS_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(reads = gls_store_reads_begin (self, error)))
    return FALSE;
  return gls_store_reads_append_open_revs (reads, id, revs, flags, out, missing, error);
}

/* --- several reads in one transaction --- */

struct _GlsStoreReads
{
  GlsStore *store;
};

GlsStoreReads *
gls_store_reads_begin (GlsStore  *self,
                       GError   **error)
{
  GlsStoreReads *reads;

  g_return_val_if_fail (GLS_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->lock);
  if (!_gls_store_begin_read (self, error))
    {
      g_mutex_unlock (&self->lock);
      return NULL;
    }
  reads = g_new0 (GlsStoreReads, 1);
  reads->store = g_object_ref (self);
  return reads;
}

gboolean
gls_store_reads_append_open_revs (GlsStoreReads     *reads,
                                  const char        *id,
                                  const char *const *revs,
                                  GlsStoreGetFlags   flags,
                                  GString           *out,
                                  GPtrArray         *missing,
                                  GError           **error)
{
  OpenRevsSink sink = { NULL, out, missing };
  gsize len;

  g_return_val_if_fail (reads != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (out != NULL && missing != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; revs != NULL && revs[i] != NULL; i++)
    if (!_gls_store_parse_rev_arg (revs[i], NULL, NULL, error))
      return FALSE;

  len = out->len;
  if (open_revs_locked (reads->store, id, revs, flags, &sink, error))
    return TRUE;
  g_string_truncate (out, len);
  return FALSE;
}

void
gls_store_reads_end (GlsStoreReads *reads)
{
  GlsStore *self;

  if (reads == NULL)
    return;
  self = reads->store;
  _gls_store_rollback (self);
  g_mutex_unlock (&self->lock);
  g_object_unref (self);
  g_free (reads);
}
