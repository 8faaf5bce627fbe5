/* gls-peer-server-request.c: a request's query parameters and JSON body
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-peer-server"

#include "config.h"

#include "gls-peer-server-private.h"

void
_gls_peer_server_request_free (Request *req)
{
  g_clear_signal_handler (&req->finished_id, req->msg);
  g_clear_signal_handler (&req->disconnected_id, req->msg);
  g_clear_object (&req->msg);
  g_clear_object (&req->self);
  g_clear_object (&req->store);
  g_clear_pointer (&req->method, g_free);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_clear_pointer (&req->db_name, g_free);
  g_clear_pointer (&req->segments, g_strfreev);
  _gls_peer_server_reply_clear (&req->reply);
  g_clear_pointer (&req->first, json_object_unref);
  g_clear_pointer (&req->doc_ids, g_hash_table_unref);
  g_clear_pointer (&req->selector, gls_store_selector_unref);
  g_clear_pointer (&req->content_type, g_free);
  g_clear_pointer (&req->sink, gls_multipart_sink_free);
  g_clear_pointer (&req->sink_pending, g_byte_array_unref);
  g_free (req);
}

const char *
_gls_peer_server_query_get (Request    *req,
                            const char *name)
{
  return req->query != NULL ? g_hash_table_lookup (req->query, name) : NULL;
}

/* A JSON query parameter (open_revs, atts_since, doc_ids); NULL if it is
 * not JSON or nested too deeply. */
JsonNode *
_gls_peer_server_query_json (const char *text)
{
  return gls_json_from_data (text, -1, NULL);
}

/* A boolean query parameter; FALSE with a 400 reply if malformed. */
gboolean
_gls_peer_server_query_bool (Request    *req,
                             const char *name,
                             gboolean   *value)
{
  const char *text = _gls_peer_server_query_get (req, name);

  if (text == NULL)
    return TRUE;
  if (g_str_equal (text, "true"))
    *value = TRUE;
  else if (g_str_equal (text, "false"))
    *value = FALSE;
  else
    {
      g_autofree char *reason = g_strdup_printf ("Invalid boolean parameter: %s", name);

      _gls_peer_server_reply_bad_request (&req->reply, reason);
      return FALSE;
    }
  return TRUE;
}

gboolean
_gls_peer_server_query_int (Request    *req,
                            const char *name,
                            gint64      min,
                            gint64     *value)
{
  const char *text = _gls_peer_server_query_get (req, name);
  gint64 parsed;

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_signed (text, 10, min, G_MAXINT64, &parsed, NULL))
    {
      g_autofree char *reason = g_strdup_printf ("Invalid integer parameter: %s", name);

      _gls_peer_server_reply_bad_request (&req->reply, reason);
      return FALSE;
    }
  *value = parsed;
  return TRUE;
}

/* Parses the request body as JSON; NULL after a 400/413 reply. */
JsonNode *
_gls_peer_server_parse_body (Request      *req,
                             JsonNodeType  expected)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  gsize length;
  const char *data;

  bytes = g_bytes_ref (req->body);
  data = g_bytes_get_data (bytes, &length);

  if (length > req->self->max_body_size)
    {
      _gls_peer_server_reply_error (&req->reply, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                    "too_large", "the request entity is too large");
      return NULL;
    }
  /* The parser checks UTF-8 and nesting too (CouchDB's reason for all). */
  if (length == 0 || !(root = gls_json_from_data (data, length, &error)))
    {
      _gls_peer_server_reply_bad_request (&req->reply, "invalid UTF-8 JSON");
      return NULL;
    }
  if (JSON_NODE_TYPE (root) != expected)
    {
      json_node_unref (root);
      _gls_peer_server_reply_bad_request (&req->reply, expected == JSON_NODE_OBJECT ?
                                          "Request body must be a JSON object" :
                                          "Request body must be a JSON array");
      return NULL;
    }
  return root;
}

gboolean
_gls_peer_server_is_string_node (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

gboolean
_gls_peer_server_is_bool_node (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

/* Returns the strings of a JSON array node, or NULL if it is not one. */
char **
_gls_peer_server_string_array (JsonNode *node)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!_gls_peer_server_is_string_node (element))
        return NULL;
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}
