/* gls-store-attachments.c: attachments: stubs, inline data and blobs in, stubs and data out
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

void
_gls_store_att_free (gpointer data)
{
  GlsStoreAtt *att = data;

  g_free (att->name);
  g_free (att->content_type);
  g_free (att->digest);
  g_clear_pointer (&att->data, g_bytes_unref);
  g_free (att);
}

static gboolean
read_blob (GlsStore    *self,
           const char  *digest,
           GBytes     **bytes,
           GError     **error)
{
  g_autoptr(GlsStmt) stmt = _gls_store_get_stmt (self, STMT_BLOB_DATA, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, digest, -1, SQLITE_STATIC);
  if (!(rc = _gls_store_stmt_step (self, stmt, error)))
    return FALSE;
  if (rc != SQLITE_ROW)
    return _gls_store_set_error_literal (error, GLS_STORE_ERROR_CORRUPT,
                                         _("The store is damaged: attachment data is missing"));
  *bytes = _gls_store_files_read (self->files_dir, (const char *) sqlite3_column_text (stmt, 0),
                                  sqlite3_column_int64 (stmt, 1), error);
  return *bytes != NULL;
}

/* Turns stored attachment records into stubs or inline data. */
gboolean
_gls_store_add_attachments (GlsStore    *self,
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
  if (!(atts = _gls_store_parse_object_text (atts_text, error)))
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

static gboolean
base64_is_valid (const char *s)
{
  for (; *s; s++)
    if (!(g_ascii_isalnum (*s) || *s == '+' || *s == '/' || *s == '=' ||
          *s == '\n' || *s == '\r' || *s == ' ' || *s == '\t'))
      return FALSE;
  return TRUE;
}

static int
compare_atts (gconstpointer a,
              gconstpointer b)
{
  const GlsStoreAtt *aa = *(const GlsStoreAtt *const *) a;
  const GlsStoreAtt *bb = *(const GlsStoreAtt *const *) b;

  return strcmp (aa->name, bb->name);
}

static gboolean
blob_length (GlsStore   *self,
             const char *digest,
             gint64     *length,
             GError    **error)
{
  return _gls_store_query_int_by_text (self, STMT_BLOB_LENGTH, digest, -1, length, error);
}

/* Reads `_attachments` of an incoming document into `out`, sorted by name.
 * Stubs refer to the parent revision's attachments (parent_atts, for new
 * edits) or to data we already hold by digest (replicated revisions). */
gboolean
_gls_store_prepare_attachments (GlsStore    *self,
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
      JsonObject *in;
      const char *content_type = NULL;
      const char *data = NULL;
      gboolean stub;
      GlsStoreAtt *att;

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

      att = g_new0 (GlsStoreAtt, 1);
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

char *
_gls_store_serialize_attachments (GPtrArray *atts)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) node = NULL;
  GString *out;

  if (atts->len == 0)
    return NULL;

  object = json_object_new ();
  for (guint i = 0; i < atts->len; i++)
    {
      const GlsStoreAtt *att = g_ptr_array_index (atts, i);
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

gboolean
_gls_store_store_blobs (GlsStore   *self,
                        GPtrArray  *atts,
                        GError    **error)
{
  for (guint i = 0; i < atts->len; i++)
    {
      const GlsStoreAtt *att = g_ptr_array_index (atts, i);
      g_autoptr(GlsStmt) stmt = NULL;
      g_autofree char *sha256 = NULL;

      if (att->blob != NULL)
        {
          /* Written and synced before the write began: named now, under
           * the write lock, so compaction cannot take it meanwhile. */
          if (!_gls_store_blob_name (att->blob, error))
            return FALSE;
          if (!(stmt = _gls_store_get_stmt (self, STMT_BLOB_INSERT, error)))
            return FALSE;
          sqlite3_bind_text (stmt, 1, att->digest, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 2, att->length);
          sqlite3_bind_text (stmt, 3, gls_store_blob_get_sha256 (att->blob), -1, SQLITE_STATIC);
          if (!_gls_store_stmt_step (self, stmt, error))
            return FALSE;
          continue;
        }
      if (att->data == NULL)
        continue;
      /* A synced file before this transaction commits; bytes already
       * there (a file of that name and size) are not written again. */
      if (!_gls_store_files_write_bytes (self->files_dir, att->data, &sha256, error))
        return FALSE;
      if (!(stmt = _gls_store_get_stmt (self, STMT_BLOB_INSERT, error)))
        return FALSE;
      sqlite3_bind_text (stmt, 1, att->digest, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, (gint64) g_bytes_get_size (att->data));
      sqlite3_bind_text (stmt, 3, sha256, -1, SQLITE_STATIC);
      if (!_gls_store_stmt_step (self, stmt, error))
        return FALSE;
    }
  return TRUE;
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

  if (rev != NULL && !_gls_store_parse_rev_arg (rev, &gen, hash, error))
    return FALSE;

  _gls_rev_tree_init (&tree);
  g_mutex_lock (&self->lock);
  if (!_gls_store_begin_read (self, error))
    goto out;
  if (!_gls_store_open_doc (self, id, rev, GLS_STORE_GET_NONE, &tree, &idx, error))
    goto out_read;
  if (!_gls_rev_tree_node (&tree, idx)->has_body)
    {
      _gls_store_set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "missing");
      goto out_read;
    }
  if (!_gls_store_read_content (self, _gls_rev_tree_node (&tree, idx)->row, NULL, &atts_text, error))
    goto out_read;
  if (atts_text != NULL && !(atts = _gls_store_parse_object_text (atts_text, error)))
    goto out_read;
  if (atts == NULL || !json_object_has_member (atts, name))
    {
      _gls_store_set_error_literal (error, GLS_STORE_ERROR_NOT_FOUND, "Document is missing attachment");
      goto out_read;
    }
  if (!(stmt = _gls_store_get_stmt (self, STMT_BLOB_DATA, error)))
    goto out_read;
  sqlite3_bind_text (stmt, 1, json_object_get_string_member (json_object_get_object_member (atts, name),
                                                              "digest"), -1, SQLITE_TRANSIENT);
  if (!(rc = _gls_store_stmt_step (self, stmt, error)))
    goto out_read;
  if (rc != SQLITE_ROW)
    {
      _gls_store_set_error_literal (error, GLS_STORE_ERROR_CORRUPT, _("The store is damaged: attachment data is missing"));
      goto out_read;
    }
  *sha256 = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  *length = sqlite3_column_int64 (stmt, 1);
  if (content_type != NULL)
    *content_type = g_strdup (json_object_get_string_member (json_object_get_object_member (atts, name),
                                                             "content_type"));
  ok = TRUE;

out_read:
  g_clear_pointer (&stmt, _gls_store_stmt_release);
  _gls_store_rollback (self);
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
