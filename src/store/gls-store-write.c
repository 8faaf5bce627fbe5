/* gls-store-write.c: writing: new edits, replicated revisions, bulk_docs, notes
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

/* Documents: writing (lock held, inside a write transaction) */

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

static char *
format_rev (const GlsRevNode *node)
{
  return g_strdup_printf ("%u-%s", node->gen, node->hash);
}

static gboolean
validate_id (const char  *id,
             GError     **error)
{
  if (id == NULL || id[0] == '\0')
    return _gls_store_set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Document id must not be empty");
  if (id[0] == '_' &&
      !(g_str_has_prefix (id, "_design/") && id[8] != '\0') &&
      !(g_str_has_prefix (id, "_local/") && id[7] != '\0'))
    return _gls_store_set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST,
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
    return _gls_store_set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Invalid rev format");

  if ((member = json_object_get_member (doc, "_deleted")) != NULL &&
      !JSON_NODE_HOLDS_NULL (member) &&
      (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_BOOLEAN))
    return _gls_store_set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "_deleted must be a boolean");

  if ((member = json_object_get_member (doc, "_attachments")) != NULL &&
      !JSON_NODE_HOLDS_NULL (member) && !JSON_NODE_HOLDS_OBJECT (member))
    return _gls_store_set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "_attachments must be an object");

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
          g_autoptr(GlsStmt) stmt = _gls_store_get_stmt (self, STMT_REV_DELETE, error);

          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, node->row);
          if (!_gls_store_stmt_step (self, stmt, error))
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
      g_autoptr(GlsStmt) stmt = _gls_store_get_stmt (self, STMT_REV_INSERT, error);

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
      if (!_gls_store_stmt_step (self, stmt, error))
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
      if (!(stmt = _gls_store_get_stmt (self, STMT_REV_UPDATE, error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, node->row);
      if (node->parent >= 0)
        sqlite3_bind_int64 (stmt, 2, _gls_rev_tree_node (tree, node->parent)->row);
      sqlite3_bind_int (stmt, 3, node->leaf);
      if (!_gls_store_stmt_step (self, stmt, error))
        return FALSE;
      node->state = GLS_REV_NODE_KEPT;
    }

  return TRUE;
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

  if (!_gls_store_store_blobs (self, atts, error))
    return FALSE;

  /* A new document's row comes last, whole: its revisions are written
   * under the id it will have (the next rowid, as SQLite would pick; read
   * once per transaction, which alone inserts rows). */
  if (is_new)
    {
      if (self->next_doc_id == 0 &&
          !_gls_store_query_int (self, STMT_DOC_NEXT_ID, 0, &self->next_doc_id, error))
        return FALSE;
      doc_id = self->next_doc_id++;
    }

  atts_text = _gls_store_serialize_attachments (atts);
  if (!persist_tree (self, doc_id, tree, body_node, body, atts_text, error))
    return FALSE;

  w = _gls_rev_tree_winner (tree);
  g_assert (w >= 0);
  winner = _gls_rev_tree_node (tree, w);

  *seq += 1;
  if (is_new)
    {
      if (!(stmt = _gls_store_get_stmt (self, STMT_DOC_INSERT, error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, doc_id);
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, *seq);
      sqlite3_bind_int64 (stmt, 4, winner->row);
      sqlite3_bind_int (stmt, 5, winner->deleted);
    }
  else
    {
      if (!(stmt = _gls_store_get_stmt (self, STMT_DOC_UPDATE, error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, doc_id);
      sqlite3_bind_int64 (stmt, 2, *seq);
      sqlite3_bind_int64 (stmt, 3, winner->row);
      sqlite3_bind_int (stmt, 4, winner->deleted);
    }
  if (!_gls_store_stmt_step (self, stmt, error))
    return FALSE;
  if (is_new && winner->deleted)
    self->new_deleted++;
  else if (is_new)
    self->new_live++;
  return _gls_store_update_index_entries (self, doc_id, is_new, winner, w == body_node ? body : NULL, error);
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
  if (!_gls_store_read_content (self, _gls_rev_tree_node (tree, parent)->row, NULL, &atts_text, error))
    return FALSE;
  if (atts_text != NULL && !(*out = _gls_store_parse_object_text (atts_text, error)))
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
  g_autoptr(GPtrArray) atts = g_ptr_array_new_with_free_func (_gls_store_att_free);
  g_autoptr(JsonObject) prev_atts = NULL;
  g_autoptr(GChecksum) md5 = NULL;
  const char *rev = json_object_get_string_member_with_default (doc, "_rev", NULL);
  GlsRevNode node = { 0, };
  char parent_rev[GLS_REV_BUF_SIZE] = "";
  gint64 doc_id;
  int parent = -1;
  int idx;

  _gls_rev_tree_init (&tree);
  if (!_gls_store_lookup_doc (self, id, &doc_id, error))
    return FALSE;
  if (doc_id != 0 && !_gls_store_load_tree (self, doc_id, &tree, error))
    return FALSE;

  if (rev != NULL)
    {
      guint gen;
      char hash[GLS_REV_HASH_LEN + 1];

      _gls_rev_parse (rev, &gen, hash);
      parent = _gls_rev_tree_find (&tree, gen, hash);
      if (parent < 0 || !_gls_rev_tree_node (&tree, parent)->leaf)
        return _gls_store_set_error_literal (error, GLS_STORE_ERROR_CONFLICT, "Document update conflict.");
    }
  else if (doc_id != 0)
    {
      /* Recreating a deleted document continues its tombstone. */
      parent = _gls_rev_tree_winner (&tree);
      if (parent >= 0 && !_gls_rev_tree_node (&tree, parent)->deleted)
        return _gls_store_set_error_literal (error, GLS_STORE_ERROR_CONFLICT, "Document update conflict.");
    }

  node.gen = parent >= 0 ? _gls_rev_tree_node (&tree, parent)->gen + 1 : 1;
  if (parent >= 0)
    _gls_store_print_rev (_gls_rev_tree_node (&tree, parent), parent_rev);

  if (!parent_attachments (self, doc, &tree, parent, &prev_atts, error) ||
      !_gls_store_prepare_attachments (self, doc, TRUE, node.gen, prev_atts, atts, error))
    return FALSE;

  /* The same edit of the same parent always gives the same rev. */
  md5 = g_checksum_new (G_CHECKSUM_MD5);
  g_checksum_update (md5, (const guchar *) parent_rev, strlen (parent_rev));
  g_checksum_update (md5, (const guchar *) (deleted ? "\n1\n" : "\n0\n"), 3);
  g_checksum_update (md5, (const guchar *) body->str, body->len);
  for (guint i = 0; i < atts->len; i++)
    {
      const GlsStoreAtt *att = g_ptr_array_index (atts, i);

      g_checksum_update (md5, (const guchar *) "\n", 1);
      g_checksum_update (md5, (const guchar *) att->name, strlen (att->name) + 1);
      g_checksum_update (md5, (const guchar *) att->digest, strlen (att->digest));
    }
  memcpy (node.hash, g_checksum_get_string (md5), GLS_REV_HASH_LEN + 1);

  if (_gls_rev_tree_find (&tree, node.gen, node.hash) >= 0)
    return _gls_store_set_error_literal (error, GLS_STORE_ERROR_CONFLICT, "Document update conflict.");

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
  g_autoptr(GPtrArray) atts = g_ptr_array_new_with_free_func (_gls_store_att_free);
  gboolean changed = FALSE;
  gint64 doc_id;
  int idx;

  _gls_rev_tree_init (&tree);
  if (!_gls_store_lookup_doc (self, id, &doc_id, error))
    return FALSE;
  if (doc_id != 0 && !_gls_store_load_tree (self, doc_id, &tree, error))
    return FALSE;

  idx = _gls_rev_tree_merge_path (&tree, (guint) start, hashes, n_hashes, deleted, &changed);
  if (!changed)
    return TRUE;  /* nothing new: idempotent, no seq */

  if (doc != NULL && !_gls_store_prepare_attachments (self, doc, FALSE, (guint) start, NULL, atts, error))
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
        return _gls_store_set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Invalid _revisions");
      object = json_node_get_object (revisions);
      start = json_object_get_int_member_with_default (object, "start", 0);
      ids_node = json_object_get_member (object, "ids");
      if (ids_node == NULL || !JSON_NODE_HOLDS_ARRAY (ids_node) || start < 1 || start > G_MAXINT32)
        return _gls_store_set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Invalid _revisions");
      ids = json_node_get_array (ids_node);
      n = json_array_get_length (ids);
      if (n == 0 || (gint64) n > start)
        return _gls_store_set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Invalid _revisions");
      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (ids, i);
          const char *hash = JSON_NODE_HOLDS_VALUE (element) &&
                             json_node_get_value_type (element) == G_TYPE_STRING
                             ? json_node_get_string (element) : NULL;

          if (!_gls_rev_hash_is_valid (hash))
            return _gls_store_set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Invalid rev format");
          if (i < self->revs_limit)
            g_ptr_array_add (hashes, g_strdup (hash));
        }
      if (rev != NULL)
        {
          g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT "-%s", start,
                                                       (const char *) hashes->pdata[0]);
          if (strcmp (rev, expected) != 0)
            return _gls_store_set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST,
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
      return _gls_store_set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST,
                                           "When new_edits is false, the document needs _rev or _revisions specified");
    }

  *new_rev = g_strdup_printf ("%" G_GINT64_FORMAT "-%s", start, (const char *) hashes->pdata[0]);

  return merge_replicated (self, id, doc, (const char *const *) hashes->pdata, hashes->len,
                           start, deleted, body->str, seq, error);
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
        return _gls_store_set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Document id must be a string");
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
      return _gls_store_set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST, "Document id is missing");
    }

  if (!validate_id (*out_id, error))
    return FALSE;

  if (g_str_has_prefix (*out_id, "_local/" GLS_PRIVATE_LOCAL_PREFIX))
    return _gls_store_set_error_literal (error, GLS_STORE_ERROR_BAD_REQUEST,
                                         "This _local document stays on this computer");
  if (g_str_has_prefix (*out_id, "_local/"))
    return _gls_store_write_local (self, *out_id + 7, doc,
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

  if (!_gls_store_begin_write (self, error))
    return NULL;
  if (!_gls_store_read_max_seq (self, &seq, error))
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

  if (!_gls_store_commit (self, error))
    return NULL;

  *seq_out = seq;
  return g_steal_pointer (&results);

fail:
  _gls_store_rollback (self);
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
    _gls_store_schedule_check (self, FALSE, seq);

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

  if (!_gls_store_begin_write (self, error))
    return NULL;
  if (!_gls_store_read_max_seq (self, &seq, error))
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

  if (!_gls_store_commit (self, error))
    return NULL;

  *seq_out = seq;
  return g_steal_pointer (&failures);

fail:
  _gls_store_rollback (self);
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
    _gls_store_schedule_check (self, FALSE, seq);

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
      _gls_store_set_error_literal (error, GLS_STORE_ERROR_CONFLICT, "Document update conflict.");
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
  ok = _gls_store_begin_write (self, error);
  for (guint i = 0; ok && i < n_notes; i++)
    {
      g_autoptr(GlsStmt) stmt = NULL;
      char hash[GLS_REV_HASH_LEN + 1];
      guint gen;

      if (!_gls_store_parse_rev_arg (notes[i].rev, &gen, hash, NULL))
        continue;
      if (!(stmt = _gls_store_get_stmt (self, STMT_NOTE_SET, error)))
        {
          ok = FALSE;
          break;
        }
      sqlite3_bind_text (stmt, 1, notes[i].id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, gen);
      sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, notes[i].note, -1, SQLITE_STATIC);
      ok = _gls_store_stmt_step (self, stmt, error) != 0;
    }
  if (ok)
    ok = _gls_store_commit (self, error);
  else
    _gls_store_rollback (self);
  g_mutex_unlock (&self->lock);

  return ok;
}
