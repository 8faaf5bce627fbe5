/* gls-peer-server-docs.c: documents, attachments, _local, bulk calls
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-peer-server"

#include "config.h"

#include <string.h>

#include "gls-peer-server-private.h"

/* _local documents */

void
_gls_peer_server_handle_local (Request    *req,
                               const char *id)
{
  g_autoptr(GError) error = NULL;

  /* Glossa's own _local documents (what this person has seen) stay on
   * this computer: peers keep their checkpoints under other names. */
  if (g_str_has_prefix (id, GLS_PRIVATE_LOCAL_PREFIX))
    {
      _gls_peer_server_reply_error (&req->reply, SOUP_STATUS_FORBIDDEN, "forbidden",
                                    "This document stays on this computer.");
      return;
    }

  if (g_str_equal (req->method, "GET") || g_str_equal (req->method, "HEAD"))
    {
      g_autoptr(JsonObject) doc = gls_store_get_local (req->store, id, &error);

      if (doc == NULL)
        _gls_peer_server_reply_gerror (&req->reply, error);
      else
        _gls_peer_server_reply_object (&req->reply, SOUP_STATUS_OK, doc);
    }
  else if (g_str_equal (req->method, "PUT"))
    {
      g_autoptr(JsonNode) body = _gls_peer_server_parse_body (req, JSON_NODE_OBJECT);
      g_autofree char *rev = NULL;
      g_autofree char *full_id = NULL;
      g_autoptr(JsonObject) answer = NULL;

      if (body == NULL)
        return;
      if (!(rev = gls_store_put_local (req->store, id, json_node_get_object (body), &error)))
        {
          _gls_peer_server_reply_gerror (&req->reply, error);
          return;
        }
      full_id = g_strconcat ("_local/", id, NULL);
      answer = json_object_new ();
      json_object_set_boolean_member (answer, "ok", TRUE);
      json_object_set_string_member (answer, "id", full_id);
      json_object_set_string_member (answer, "rev", rev);
      _gls_peer_server_reply_object (&req->reply, SOUP_STATUS_CREATED, answer);
    }
  else if (g_str_equal (req->method, "DELETE"))
    {
      const char *rev = _gls_peer_server_query_get (req, "rev");
      g_autofree char *full_id = NULL;
      g_autoptr(JsonObject) answer = NULL;

      if (!gls_store_delete_local (req->store, id, rev, &error))
        {
          _gls_peer_server_reply_gerror (&req->reply, error);
          return;
        }
      full_id = g_strconcat ("_local/", id, NULL);
      answer = json_object_new ();
      json_object_set_boolean_member (answer, "ok", TRUE);
      json_object_set_string_member (answer, "id", full_id);
      json_object_set_string_member (answer, "rev", "0-0");
      _gls_peer_server_reply_object (&req->reply, SOUP_STATUS_OK, answer);
    }
  else
    _gls_peer_server_reply_method_not_allowed (&req->reply, "GET,HEAD,PUT,DELETE");
}

/* POST /{db}/_revs_diff */

void
_gls_peer_server_handle_revs_diff (Request *req)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (!g_str_equal (req->method, "POST"))
    {
      _gls_peer_server_reply_method_not_allowed (&req->reply, "POST");
      return;
    }
  if (!(body = _gls_peer_server_parse_body (req, JSON_NODE_OBJECT)))
    return;
  json_object_iter_init (&iter, json_node_get_object (body));
  while (json_object_iter_next (&iter, &name, &member))
    {
      g_auto(GStrv) revs = _gls_peer_server_string_array (member);

      if (revs == NULL)
        {
          _gls_peer_server_reply_bad_request (&req->reply, "Each id must map to a list of revs");
          return;
        }
    }
  if (!(answer = gls_store_revs_diff (req->store, json_node_get_object (body), &error)))
    _gls_peer_server_reply_gerror (&req->reply, error);
  else
    _gls_peer_server_reply_object (&req->reply, SOUP_STATUS_OK, answer);
}

/* POST /{db}/_bulk_docs */

void
_gls_peer_server_handle_bulk_docs (Request *req)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) results = NULL;
  JsonObject *object;
  JsonNode *docs_node, *new_edits_node;
  JsonArray *docs;
  gboolean new_edits = TRUE;

  if (!g_str_equal (req->method, "POST"))
    {
      _gls_peer_server_reply_method_not_allowed (&req->reply, "POST");
      return;
    }
  if (!(body = _gls_peer_server_parse_body (req, JSON_NODE_OBJECT)))
    return;
  object = json_node_get_object (body);
  docs_node = json_object_get_member (object, "docs");
  if (docs_node == NULL || !JSON_NODE_HOLDS_ARRAY (docs_node))
    {
      _gls_peer_server_reply_bad_request (&req->reply, "POST body must include `docs` parameter.");
      return;
    }
  docs = json_node_get_array (docs_node);
  for (guint i = 0; i < json_array_get_length (docs); i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (docs, i)))
      {
        _gls_peer_server_reply_bad_request (&req->reply, "Document must be a JSON object");
        return;
      }
  new_edits_node = json_object_get_member (object, "new_edits");
  if (new_edits_node != NULL)
    {
      if (!_gls_peer_server_is_bool_node (new_edits_node))
        {
          _gls_peer_server_reply_bad_request (&req->reply, "`new_edits` parameter must be a boolean.");
          return;
        }
      new_edits = json_node_get_boolean (new_edits_node);
    }

  if (!(results = gls_store_bulk_docs (req->store, docs, new_edits, &error)))
    {
      _gls_peer_server_reply_gerror (&req->reply, error);
      return;
    }
  if (!new_edits)
    {
      g_autoptr(JsonArray) failures = json_array_new ();

      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          JsonObject *result = json_array_get_object_element (results, i);

          if (json_object_has_member (result, "error"))
            json_array_add_object_element (failures, json_object_ref (result));
        }
      _gls_peer_server_reply_array (&req->reply, SOUP_STATUS_CREATED, failures);
      return;
    }
  _gls_peer_server_reply_array (&req->reply, SOUP_STATUS_CREATED, results);
}

/* atts_since: attachments the client already holds (revpos at or below
 * the newest rev of `atts_since` on this document's path) go back to stubs
 * instead of inline data. Needs the doc's _revisions (revs=true). */
/* The newest generation of `atts_since` on the document's path: the
 * client holds every attachment of revpos at or below it. */
static gint64
atts_since_known (JsonObject         *doc,
                  const char *const  *atts_since)
{
  JsonObject *revisions;
  JsonArray *ids;
  gint64 start, known = 0;

  if (atts_since == NULL ||
      !json_object_has_member (doc, "_attachments") ||
      !json_object_has_member (doc, "_revisions"))
    return 0;
  revisions = json_object_get_object_member (doc, "_revisions");
  start = json_object_get_int_member (revisions, "start");
  ids = json_object_get_array_member (revisions, "ids");

  for (guint i = 0; atts_since[i] != NULL; i++)
    {
      const char *dash = strchr (atts_since[i], '-');
      g_autofree char *gen_text = NULL;
      gint64 gen;

      if (dash == NULL)
        continue;
      gen_text = g_strndup (atts_since[i], dash - atts_since[i]);
      if (!g_ascii_string_to_signed (gen_text, 10, 1, G_MAXINT64, &gen, NULL) ||
          gen > start || start - gen >= json_array_get_length (ids))
        continue;
      if (g_str_equal (json_array_get_string_element (ids, start - gen), dash + 1))
        known = MAX (known, gen);
    }
  return known;
}

static void
apply_atts_since (JsonObject         *doc,
                  const char *const  *atts_since)
{
  gint64 known = atts_since_known (doc, atts_since);
  JsonObject *atts;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (known == 0)
    return;
  atts = json_object_get_object_member (doc, "_attachments");
  json_object_iter_init (&iter, atts);
  while (json_object_iter_next (&iter, &name, &member))
    {
      JsonObject *att = json_node_get_object (member);
      const char *data = json_object_get_string_member_with_default (att, "data", NULL);
      gsize length = 0;

      if (data == NULL || json_object_get_int_member_with_default (att, "revpos", G_MAXINT64) > known)
        continue;
      g_free (g_base64_decode (data, &length));
      json_object_remove_member (att, "data");
      json_object_set_int_member (att, "length", length);
      json_object_set_boolean_member (att, "stub", TRUE);
    }
}

/* Marks the attachments of an open_revs document that the client lacks
 * (all, but those atts_since says it holds) "follows", to be sent. */
static void
mark_follows (JsonObject         *doc,
              const char *const  *atts_since)
{
  gint64 known = atts_since_known (doc, atts_since);
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (!json_object_has_member (doc, "_attachments"))
    return;
  json_object_iter_init (&iter, json_object_get_object_member (doc, "_attachments"));
  while (json_object_iter_next (&iter, &name, &member))
    {
      JsonObject *att = json_node_get_object (member);

      if (json_object_get_int_member_with_default (att, "revpos", G_MAXINT64) <= known)
        continue;
      json_object_remove_member (att, "stub");
      json_object_set_boolean_member (att, "follows", TRUE);
    }
}

/* POST /{db}/_bulk_get */

static JsonObject *
bulk_get_error (const char *id,
                const char *rev,
                const char *error,
                const char *reason)
{
  JsonObject *inner = json_object_new ();
  JsonObject *outer = json_object_new ();

  json_object_set_string_member (inner, "id", id);
  json_object_set_string_member (inner, "rev", rev != NULL ? rev : "undefined");
  json_object_set_string_member (inner, "error", error);
  json_object_set_string_member (inner, "reason", reason);
  json_object_set_object_member (outer, "error", inner);
  return outer;
}

static const char *
store_error_name (const GError *error)
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

static gboolean
is_batch_error (const GError *error)
{
  return error->domain != GLS_STORE_ERROR ||
         error->code == GLS_STORE_ERROR_CORRUPT ||
         error->code == GLS_STORE_ERROR_IO;
}

static void
append_json_string (GString    *out,
                    const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

static void
append_bulk_get_error (GString    *out,
                       const char *id,
                       const char *rev,
                       const char *error,
                       const char *reason)
{
  g_autoptr(JsonObject) object = bulk_get_error (id, rev, error, reason);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *text = gls_json_to_string (node);

  if (out->str[out->len - 1] != '[')
    g_string_append_c (out, ',');
  g_string_append (out, text);
}

#define BULK_GET_READS 250

/* _bulk_get without atts_since: the answer's text is made from the stored
 * documents' text (gls_store_append_open_revs), without JSON objects. */
static void
bulk_get_text (Request          *req,
               JsonArray        *docs,
               GlsStoreGetFlags  flags)
{
  g_autoptr(GString) text = g_string_sized_new (1024 * (json_array_get_length (docs) + 1));
  g_autoptr(GlsStoreReads) reads = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_string_append (text, "{\"results\":[");
  for (guint i = 0; i < json_array_get_length (docs); i++)
    {
      JsonObject *entry = json_array_get_object_element (docs, i);
      const char *id = json_object_get_string_member (entry, "id");
      const char *rev = json_object_get_string_member_with_default (entry, "rev", NULL);
      const char *one[2] = { rev, NULL };
      g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) error = NULL;

      if (i > 0)
        g_string_append_c (text, ',');
      g_string_append (text, "{\"id\":");
      append_json_string (text, id);
      g_string_append (text, ",\"docs\":[");
      /* Reads in transactions of BULK_GET_READS documents: one each
       * would cost more than the reading, one for all could keep a
       * writer waiting for a long list. */
      if (i % BULK_GET_READS == 0)
        {
          g_clear_pointer (&reads, gls_store_reads_end);
          if (!(reads = gls_store_reads_begin (req->store, &error)))
            {
              _gls_peer_server_reply_gerror (&req->reply, error);
              return;
            }
        }
      if (!gls_store_reads_append_open_revs (reads, id, rev != NULL ? one : NULL, flags,
                                             text, missing, &error))
        {
          if (is_batch_error (error))
            {
              _gls_peer_server_reply_gerror (&req->reply, error);
              return;
            }
          append_bulk_get_error (text, id, rev, store_error_name (error), error->message);
        }
      for (guint j = 0; j < missing->len; j++)
        append_bulk_get_error (text, id, g_ptr_array_index (missing, j), "not_found", "missing");
      g_string_append (text, "]}");
    }
  g_string_append (text, "]}\n");
  bytes = g_string_free_to_bytes (g_steal_pointer (&text));
  _gls_peer_server_reply_bytes (&req->reply, SOUP_STATUS_OK, "application/json", bytes);
}

void
_gls_peer_server_handle_bulk_get (Request *req)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonArray *results;
  JsonNode *docs_node;
  JsonArray *docs;
  gboolean revs = FALSE, latest = FALSE, attachments = FALSE;
  GlsStoreGetFlags flags = GLS_STORE_GET_NONE;
  gboolean any_atts_since = FALSE;

  if (!g_str_equal (req->method, "POST"))
    {
      _gls_peer_server_reply_method_not_allowed (&req->reply, "POST");
      return;
    }
  if (!_gls_peer_server_query_bool (req, "revs", &revs) ||
      !_gls_peer_server_query_bool (req, "latest", &latest) ||
      !_gls_peer_server_query_bool (req, "attachments", &attachments))
    return;
  if (!(body = _gls_peer_server_parse_body (req, JSON_NODE_OBJECT)))
    return;
  docs_node = json_object_get_member (json_node_get_object (body), "docs");
  if (docs_node == NULL || !JSON_NODE_HOLDS_ARRAY (docs_node))
    {
      _gls_peer_server_reply_bad_request (&req->reply, "Missing JSON list of 'docs'.");
      return;
    }
  docs = json_node_get_array (docs_node);
  for (guint i = 0; i < json_array_get_length (docs); i++)
    {
      JsonNode *element = json_array_get_element (docs, i);
      JsonObject *entry;
      JsonNode *rev;

      JsonNode *atts_since;
      g_auto(GStrv) revs_since = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element) ||
          !_gls_peer_server_is_string_node (json_object_get_member ((entry = json_node_get_object (element)),
                                                                    "id")) ||
          ((rev = json_object_get_member (entry, "rev")) != NULL && !_gls_peer_server_is_string_node (rev)) ||
          ((atts_since = json_object_get_member (entry, "atts_since")) != NULL &&
           !(revs_since = _gls_peer_server_string_array (atts_since))))
        {
          _gls_peer_server_reply_bad_request (&req->reply, "Each entry of 'docs' needs a string 'id', an optional"
                                              " string 'rev' and optional 'atts_since' revs");
          return;
        }
      if (atts_since != NULL)
        any_atts_since = TRUE;
    }

  if (revs)
    flags |= GLS_STORE_GET_REVS;
  if (latest)
    flags |= GLS_STORE_GET_LATEST;
  if (attachments)
    flags |= GLS_STORE_GET_ATTACHMENTS;

  if (!any_atts_since)
    {
      bulk_get_text (req, docs, flags);
      return;
    }

  answer = json_object_new ();
  results = json_array_new ();
  json_object_set_array_member (answer, "results", results);
  for (guint i = 0; i < json_array_get_length (docs); i++)
    {
      JsonObject *entry = json_array_get_object_element (docs, i);
      const char *id = json_object_get_string_member (entry, "id");
      const char *rev = json_object_get_string_member_with_default (entry, "rev", NULL);
      const char *one[2] = { rev, NULL };
      g_auto(GStrv) atts_since = _gls_peer_server_string_array (json_object_get_member (entry, "atts_since"));
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonArray) open = NULL;
      JsonObject *result = json_object_new ();
      JsonArray *out = json_array_new ();

      json_object_set_string_member (result, "id", id);
      json_object_set_array_member (result, "docs", out);
      json_array_add_object_element (results, result);

      open = gls_store_get_open_revs (req->store, id, rev != NULL ? one : NULL, flags, &error);
      if (open == NULL)
        {
          if (is_batch_error (error))
            {
              _gls_peer_server_reply_gerror (&req->reply, error);
              return;
            }
          json_array_add_object_element (out, bulk_get_error (id, rev, store_error_name (error),
                                                              error->message));
          continue;
        }
      for (guint j = 0; j < json_array_get_length (open); j++)
        {
          JsonObject *item = json_array_get_object_element (open, j);

          if (json_object_has_member (item, "missing"))
            json_array_add_object_element (out, bulk_get_error (id,
                                                                json_object_get_string_member (item, "missing"),
                                                                "not_found", "missing"));
          else
            {
              apply_atts_since (json_object_get_object_member (item, "ok"),
                                (const char *const *) atts_since);
              json_array_add_object_element (out, json_object_ref (item));
            }
        }
    }
  _gls_peer_server_reply_object (&req->reply, SOUP_STATUS_OK, answer);
}

/* POST /{db}/_all_docs with keys */

void
_gls_peer_server_handle_all_docs (Request *req)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_auto(GStrv) keys = NULL;
  JsonObject *object;
  JsonArray *rows;
  JsonNode *node;
  gboolean include_docs = FALSE, conflicts = FALSE;

  if (!g_str_equal (req->method, "POST"))
    {
      _gls_peer_server_reply_method_not_allowed (&req->reply, "POST");
      return;
    }
  if (!_gls_peer_server_query_bool (req, "include_docs", &include_docs) ||
      !_gls_peer_server_query_bool (req, "conflicts", &conflicts))
    return;
  if (!(body = _gls_peer_server_parse_body (req, JSON_NODE_OBJECT)))
    return;
  object = json_node_get_object (body);
  if (!(keys = _gls_peer_server_string_array (json_object_get_member (object, "keys"))))
    {
      _gls_peer_server_reply_bad_request (&req->reply, "`keys` member must be an array of strings.");
      return;
    }
  if ((node = json_object_get_member (object, "include_docs")) != NULL)
    {
      if (!_gls_peer_server_is_bool_node (node))
        {
          _gls_peer_server_reply_bad_request (&req->reply, "`include_docs` must be a boolean.");
          return;
        }
      include_docs = json_node_get_boolean (node);
    }
  if ((node = json_object_get_member (object, "conflicts")) != NULL)
    {
      if (!_gls_peer_server_is_bool_node (node))
        {
          _gls_peer_server_reply_bad_request (&req->reply, "`conflicts` must be a boolean.");
          return;
        }
      conflicts = json_node_get_boolean (node);
    }

  answer = json_object_new ();
  json_object_set_int_member (answer, "total_rows", gls_store_get_doc_count (req->store));
  json_object_set_int_member (answer, "offset", 0);
  rows = json_array_new ();
  json_object_set_array_member (answer, "rows", rows);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) doc = NULL;
      GlsStoreGetFlags flags = GLS_STORE_GET_DELETED_OK;
      JsonObject *row = json_object_new ();
      JsonObject *value;
      gboolean deleted;

      json_array_add_object_element (rows, row);
      if (conflicts)
        flags |= GLS_STORE_GET_CONFLICTS;
      doc = gls_store_get (req->store, keys[i], NULL, flags, &error);
      if (doc == NULL)
        {
          if (is_batch_error (error))
            {
              _gls_peer_server_reply_gerror (&req->reply, error);
              return;
            }
          json_object_set_string_member (row, "key", keys[i]);
          json_object_set_string_member (row, "error", store_error_name (error));
          continue;
        }
      deleted = json_object_get_boolean_member_with_default (doc, "_deleted", FALSE);
      json_object_set_string_member (row, "id", keys[i]);
      json_object_set_string_member (row, "key", keys[i]);
      value = json_object_new ();
      json_object_set_string_member (value, "rev", json_object_get_string_member (doc, "_rev"));
      if (deleted)
        json_object_set_boolean_member (value, "deleted", TRUE);
      json_object_set_object_member (row, "value", value);
      if (include_docs)
        {
          if (deleted)
            json_object_set_null_member (row, "doc");
          else
            json_object_set_object_member (row, "doc", g_steal_pointer (&doc));
        }
    }
  _gls_peer_server_reply_object (&req->reply, SOUP_STATUS_OK, answer);
}

/* /{db}/{docid} */

static gboolean
doc_flags (Request          *req,
           GlsStoreGetFlags *flags)
{
  gboolean revs = FALSE, conflicts = FALSE, attachments = FALSE, latest = FALSE;

  if (!_gls_peer_server_query_bool (req, "revs", &revs) ||
      !_gls_peer_server_query_bool (req, "conflicts", &conflicts) ||
      !_gls_peer_server_query_bool (req, "attachments", &attachments) ||
      !_gls_peer_server_query_bool (req, "latest", &latest))
    return FALSE;
  *flags = GLS_STORE_GET_NONE;
  if (revs)
    *flags |= GLS_STORE_GET_REVS;
  if (conflicts)
    *flags |= GLS_STORE_GET_CONFLICTS;
  if (attachments)
    *flags |= GLS_STORE_GET_ATTACHMENTS;
  if (latest)
    *flags |= GLS_STORE_GET_LATEST;
  return TRUE;
}

void
_gls_peer_server_handle_doc_get (Request    *req,
                                 const char *id)
{
  g_autoptr(GError) error = NULL;
  const char *open_revs = _gls_peer_server_query_get (req, "open_revs");
  const char *rev = _gls_peer_server_query_get (req, "rev");
  const char *atts_since_text = _gls_peer_server_query_get (req, "atts_since");
  g_auto(GStrv) atts_since = NULL;
  GlsStoreGetFlags flags;

  if (!doc_flags (req, &flags))
    return;
  if (atts_since_text != NULL)
    {
      g_autoptr(JsonNode) node = _gls_peer_server_query_json (atts_since_text);

      if (!(atts_since = _gls_peer_server_string_array (node)))
        {
          _gls_peer_server_reply_bad_request (&req->reply, "atts_since must be a JSON array of revs");
          return;
        }
    }

  if (open_revs != NULL)
    {
      g_autoptr(JsonArray) answer = NULL;
      g_auto(GStrv) revs = NULL;

      if (!g_str_equal (open_revs, "all"))
        {
          g_autoptr(JsonNode) node = _gls_peer_server_query_json (open_revs);

          if (!(revs = _gls_peer_server_string_array (node)))
            {
              _gls_peer_server_reply_bad_request (&req->reply, "open_revs must be \"all\" or a JSON array of revs");
              return;
            }
        }
      /* CouchDB's replicator asks with no attachments=true and expects
       * the attachments' data all the same, but for those atts_since
       * says it has: CouchDB sends them, so does this, from the files
       * (the documents are read with stubs). */
      if (req->accept_multipart)
        flags &= ~GLS_STORE_GET_ATTACHMENTS;
      if (!(answer = gls_store_get_open_revs (req->store, id, (const char *const *) revs,
                                              flags, &error)))
        {
          _gls_peer_server_reply_gerror (&req->reply, error);
          return;
        }
      for (guint i = 0; i < json_array_get_length (answer); i++)
        {
          JsonObject *item = json_array_get_object_element (answer, i);

          if (!json_object_has_member (item, "ok"))
            continue;
          if (req->accept_multipart)
            mark_follows (json_object_get_object_member (item, "ok"), (const char *const *) atts_since);
          else
            apply_atts_since (json_object_get_object_member (item, "ok"),
                              (const char *const *) atts_since);
        }
      if (req->accept_multipart)
        {
          if (!_gls_peer_server_reply_open_revs_multipart (&req->reply, req->store, answer, &error))
            _gls_peer_server_reply_gerror (&req->reply, error);
        }
      else
        _gls_peer_server_reply_array (&req->reply, SOUP_STATUS_OK, answer);
      return;
    }

  {
    g_autoptr(JsonObject) doc = NULL;

    if (rev != NULL)
      flags |= GLS_STORE_GET_DELETED_OK;
    if (!(doc = gls_store_get (req->store, id, rev, flags & ~GLS_STORE_GET_LATEST, &error)))
      {
        _gls_peer_server_reply_gerror (&req->reply, error);
        return;
      }
    apply_atts_since (doc, (const char *const *) atts_since);
    _gls_peer_server_reply_object (&req->reply, SOUP_STATUS_OK, doc);
  }
}

void
_gls_peer_server_handle_doc_put (Request    *req,
                                 const char *id)
{
  g_autoptr(GHashTable) follows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) gls_store_blob_free);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonArray) docs = NULL;
  g_autoptr(JsonArray) results = NULL;
  JsonObject *doc, *result;
  JsonNode *id_node;
  gboolean new_edits = TRUE;

  if (!_gls_peer_server_query_bool (req, "new_edits", &new_edits))
    return;
  if (req->sink != NULL)
    body = _gls_peer_server_streamed_multipart_doc (req, follows);
  else if (req->content_type != NULL &&
           g_ascii_strncasecmp (req->content_type, "multipart/related", 17) == 0)
    _gls_peer_server_reply_bad_request (&req->reply, "Invalid multipart/related body");
  else
    body = _gls_peer_server_parse_body (req, JSON_NODE_OBJECT);
  if (body == NULL)
    return;
  doc = json_node_get_object (body);
  id_node = json_object_get_member (doc, "_id");
  if (id_node != NULL && (!_gls_peer_server_is_string_node (id_node) ||
                          !g_str_equal (json_node_get_string (id_node), id)))
    {
      _gls_peer_server_reply_bad_request (&req->reply, "Document id must match the URL");
      return;
    }
  if (id_node == NULL)
    {
      JsonObject *copy = json_object_new ();
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_set_string_member (copy, "_id", id);
      json_object_iter_init (&iter, doc);
      while (json_object_iter_next (&iter, &name, &member))
        json_object_set_member (copy, name, json_node_ref (member));
      json_node_take_object (body, copy);
      doc = copy;
    }
  if (!json_object_has_member (doc, "_rev") && _gls_peer_server_query_get (req, "rev") != NULL)
    json_object_set_string_member (doc, "_rev", _gls_peer_server_query_get (req, "rev"));

  docs = json_array_new ();
  json_array_add_object_element (docs, json_object_ref (doc));
  if (!(results = gls_store_bulk_docs_with_blobs (req->store, docs, new_edits, follows, &error)))
    {
      _gls_peer_server_reply_gerror (&req->reply, error);
      return;
    }
  result = json_array_get_object_element (results, 0);
  if (json_object_has_member (result, "error"))
    {
      const char *name = json_object_get_string_member (result, "error");
      const char *reason = json_object_get_string_member_with_default (result, "reason", name);
      guint status = SOUP_STATUS_BAD_REQUEST;

      if (g_str_equal (name, "conflict"))
        status = SOUP_STATUS_CONFLICT;
      else if (g_str_equal (name, "not_found"))
        status = SOUP_STATUS_NOT_FOUND;
      else if (g_str_equal (name, "missing_stub"))
        status = SOUP_STATUS_PRECONDITION_FAILED;
      _gls_peer_server_reply_error (&req->reply, status, name, reason);
      return;
    }
  answer = json_object_new ();
  json_object_set_boolean_member (answer, "ok", TRUE);
  json_object_set_string_member (answer, "id", id);
  json_object_set_string_member (answer, "rev",
                                 json_object_get_string_member_with_default (result, "rev",
                                                                             json_object_get_string_member_with_default (doc, "_rev", "")));
  _gls_peer_server_reply_object (&req->reply, SOUP_STATUS_CREATED, answer);
}

void
_gls_peer_server_handle_attachment (Request    *req,
                                    const char *id,
                                    const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *content_type = NULL;
  gint64 length = 0;

  if (!g_str_equal (req->method, "GET") && !g_str_equal (req->method, "HEAD"))
    {
      _gls_peer_server_reply_method_not_allowed (&req->reply, "GET,HEAD");
      return;
    }
  stream = gls_store_open_attachment (req->store, id, _gls_peer_server_query_get (req, "rev"), name,
                                      &content_type, &length, &error);
  if (stream == NULL)
    {
      _gls_peer_server_reply_gerror (&req->reply, error);
      return;
    }
  /* Sent from the file, a piece at a time. */
  {
    GPtrArray *segments = g_ptr_array_new_with_free_func ((GDestroyNotify) _gls_peer_server_segment_free);

    g_ptr_array_add (segments, _gls_peer_server_segment_new_stream (g_steal_pointer (&stream), length));
    _gls_peer_server_reply_segments (&req->reply, SOUP_STATUS_OK,
                                     content_type != NULL ? content_type : "application/octet-stream", segments);
  }
}
