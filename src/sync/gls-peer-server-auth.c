/* gls-peer-server-auth.c: access keys, HTTP Basic and /_session cookies
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-peer-server"

#include "config.h"

#include <string.h>

#include "gls-peer-server-private.h"

void
_gls_peer_server_keys_free (Keys *keys)
{
  g_free (keys->key);
  g_free (keys->read_only_key);
  g_free (keys);
}

/* Compares in a time that depends on the length of `key` only. */
static gboolean
key_equal (const char *given,
           gsize       given_len,
           const char *key)
{
  gsize key_len = strlen (key);
  guchar diff = given_len != key_len;

  for (gsize i = 0; i < key_len; i++)
    diff |= (guchar) key[i] ^ (guchar) (i < given_len ? given[i] : 0);
  return diff == 0;
}

/* What a password gives access to. */
static Access
password_access (const Keys *keys,
                 const char *password,
                 gsize       password_len)
{
  gboolean write, read;

  /* Compare with both keys every time. */
  write = key_equal (password, password_len, keys->key);
  read = keys->read_only_key != NULL && key_equal (password, password_len, keys->read_only_key);
  return write ? ACCESS_WRITE : read ? ACCESS_READ : ACCESS_NONE;
}

/* Sessions (POST /_session), as CouchDB has them for peers that log in
 * (CouchDB's replicator does, when the source or target allows it): the
 * password, a database's key, traded for a cookie that stands for it. */

#define SESSION_TIMEOUT_S 600   /* CouchDB's [chttpd_auth] timeout */
#define MAX_SESSIONS      4096
#define SESSION_COOKIE    "AuthSession"

struct _Session
{
  char   *name;
  char   *password;
  gint64  expires;   /* monotonic; each use moves it on */
};

void
_gls_peer_server_session_free (Session *session)
{
  g_free (session->name);
  g_free (session->password);
  g_free (session);
}

/* The AuthSession cookie of `msg`, or NULL. */
static char *
request_session_token (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Cookie");
  g_autoptr(GHashTable) cookies = NULL;

  if (header == NULL)
    return NULL;
  cookies = soup_header_parse_semi_param_list (header);
  return g_strdup (g_hash_table_lookup (cookies, SESSION_COOKIE));
}

static Session *
request_session (GlsPeerServer     *self,
                 SoupServerMessage *msg)
{
  g_autofree char *token = request_session_token (msg);
  Session *session;

  if (token == NULL || self->sessions == NULL ||
      (session = g_hash_table_lookup (self->sessions, token)) == NULL)
    return NULL;
  if (session->expires < g_get_monotonic_time ())
    {
      g_hash_table_remove (self->sessions, token);
      return NULL;
    }
  session->expires = g_get_monotonic_time () + SESSION_TIMEOUT_S * G_USEC_PER_SEC;
  return session;
}

/* What the HTTP Basic password of `msg`, or its session cookie, gives
 * access to. Any user name is accepted: the key is the password. */
Access
_gls_peer_server_request_access (GlsPeerServer     *self,
                                 const Keys        *keys,
                                 SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  g_autofree guchar *decoded = NULL;
  const char *password;
  gsize len = 0;
  Session *session;

  if (header == NULL && (session = request_session (self, msg)) != NULL)
    return password_access (keys, session->password, strlen (session->password));
  if (header == NULL || g_ascii_strncasecmp (header, "Basic ", 6) != 0)
    return ACCESS_NONE;
  header += 6;
  while (*header == ' ')
    header++;
  decoded = g_base64_decode (header, &len);
  if (decoded == NULL)
    return ACCESS_NONE;
  password = memchr (decoded, ':', len);
  if (password == NULL)
    return ACCESS_NONE;
  password++;
  return password_access (keys, password, len - (password - (const char *) decoded));
}

static void
sessions_prune (GlsPeerServer *self)
{
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  Session *session;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
    if (session->expires < now)
      g_hash_table_iter_remove (&iter);
  /* Still full (many logins, all recent): the oldest ones go. */
  while (g_hash_table_size (self->sessions) >= MAX_SESSIONS)
    {
      const char *oldest = NULL;
      gint64 first = G_MAXINT64;
      const char *token;

      g_hash_table_iter_init (&iter, self->sessions);
      while (g_hash_table_iter_next (&iter, (gpointer *) &token, (gpointer *) &session))
        if (session->expires < first)
          {
            first = session->expires;
            oldest = token;
          }
      g_hash_table_remove (self->sessions, oldest);
    }
}

/* POST /_session: name and password, as a form or JSON. */
static void
session_login (Request *req)
{
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(JsonNode) json = NULL;
  const char *name = NULL, *password = NULL;
  const char *type = req->content_type != NULL ? req->content_type : "";
  g_autofree char *token = NULL;
  g_autofree char *cookie = NULL;
  g_autoptr(JsonObject) answer = NULL;
  GHashTableIter iter;
  const Keys *keys;
  gboolean known = FALSE;
  Session *session;

  if (g_str_has_prefix (type, "application/x-www-form-urlencoded"))
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (req->body, NULL), g_bytes_get_size (req->body));

      form = soup_form_decode (text);
      name = g_hash_table_lookup (form, "name");
      password = g_hash_table_lookup (form, "password");
    }
  else
    {
      JsonObject *object;

      if (!(json = _gls_peer_server_parse_body (req, JSON_NODE_OBJECT)))
        return;
      object = json_node_get_object (json);
      name = json_object_get_string_member_with_default (object, "name", NULL);
      password = json_object_get_string_member_with_default (object, "password", NULL);
    }
  if (name == NULL || password == NULL || !g_utf8_validate (name, -1, NULL))
    {
      _gls_peer_server_reply_error (&req->reply, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                    "name and password are required");
      return;
    }

  g_hash_table_iter_init (&iter, req->self->keys);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &keys))
    known |= password_access (keys, password, strlen (password)) != ACCESS_NONE;
  if (!known)
    {
      _gls_peer_server_reply_error (&req->reply, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                                    "Name or password is incorrect.");
      return;
    }

  sessions_prune (req->self);
  /* As unguessable as a key: it stands for one. */
  token = gls_peer_server_generate_key ();
  session = g_new0 (Session, 1);
  session->name = g_strdup (name);
  session->password = g_strdup (password);
  session->expires = g_get_monotonic_time () + SESSION_TIMEOUT_S * G_USEC_PER_SEC;
  g_hash_table_replace (req->self->sessions, g_strdup (token), session);

  cookie = g_strdup_printf (SESSION_COOKIE "=%s; Version=1; Path=/; HttpOnly", token);
  soup_message_headers_append (soup_server_message_get_response_headers (req->msg), "Set-Cookie", cookie);
  answer = json_object_new ();
  json_object_set_boolean_member (answer, "ok", TRUE);
  json_object_set_string_member (answer, "name", name);
  json_object_set_array_member (answer, "roles", json_array_new ());
  _gls_peer_server_reply_object (&req->reply, SOUP_STATUS_OK, answer);
}

/* /_session: POST logs in, GET says who is, DELETE logs out. */
void
_gls_peer_server_handle_session (Request *req)
{
  g_autoptr(JsonObject) answer = json_object_new ();
  JsonObject *user, *info;
  JsonArray *handlers;
  Session *session;

  if (g_str_equal (req->method, "POST"))
    {
      session_login (req);
      return;
    }
  if (g_str_equal (req->method, "DELETE"))
    {
      g_autofree char *token = request_session_token (req->msg);

      if (token != NULL)
        g_hash_table_remove (req->self->sessions, token);
      soup_message_headers_append (soup_server_message_get_response_headers (req->msg), "Set-Cookie",
                                   SESSION_COOKIE "=; Version=1; Path=/; HttpOnly");
      json_object_set_boolean_member (answer, "ok", TRUE);
      _gls_peer_server_reply_object (&req->reply, SOUP_STATUS_OK, answer);
      return;
    }
  if (!g_str_equal (req->method, "GET") && !g_str_equal (req->method, "HEAD"))
    {
      _gls_peer_server_reply_method_not_allowed (&req->reply, "GET,HEAD,POST,DELETE");
      return;
    }

  session = request_session (req->self, req->msg);
  user = json_object_new ();
  info = json_object_new ();
  handlers = json_array_new ();
  if (session != NULL)
    json_object_set_string_member (user, "name", session->name);
  else
    json_object_set_null_member (user, "name");
  json_object_set_array_member (user, "roles", json_array_new ());
  json_array_add_string_element (handlers, "cookie");
  json_array_add_string_element (handlers, "default");
  json_object_set_array_member (info, "authentication_handlers", handlers);
  if (session != NULL)
    json_object_set_string_member (info, "authenticated", "cookie");
  json_object_set_boolean_member (answer, "ok", TRUE);
  json_object_set_object_member (answer, "userCtx", user);
  json_object_set_object_member (answer, "info", info);
  _gls_peer_server_reply_object (&req->reply, SOUP_STATUS_OK, answer);
}

/* Reads are GET and HEAD, and the POSTs that only query: _changes,
 * _revs_diff, _bulk_get, _all_docs and _ensure_full_commit (which writes
 * nothing). Everything else (PUT, DELETE, POST _bulk_docs, any other
 * method) is a write. */
static gboolean
request_is_write (Request *req)
{
  static const char *const read_posts[] = {
    "_changes", "_revs_diff", "_bulk_get", "_all_docs", "_ensure_full_commit", NULL
  };

  if (g_str_equal (req->method, "GET") || g_str_equal (req->method, "HEAD"))
    return FALSE;
  if (g_str_equal (req->method, "POST") && req->n_segments == 1
      && g_strv_contains (read_posts, req->segments[0]))
    return FALSE;
  return TRUE;
}

/* Checks the request's key; FALSE when it was refused (the reply is set). */
gboolean
_gls_peer_server_check_access (Request *req)
{
  const Keys *keys = g_hash_table_lookup (req->self->keys, req->db_name);
  Access access;

  if (keys == NULL)
    {
      _gls_peer_server_client_seen (req, FALSE);
      return TRUE;
    }

  access = _gls_peer_server_request_access (req->self, keys, req->msg);
  if (access == ACCESS_NONE)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                    "WWW-Authenticate", "Basic realm=\"glossa\"");
      _gls_peer_server_reply_error (&req->reply, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                                    "This database needs its access key: use the share link.");
      return FALSE;
    }
  if (access == ACCESS_READ && request_is_write (req))
    {
      _gls_peer_server_reply_error (&req->reply, SOUP_STATUS_FORBIDDEN, "forbidden",
                                    "This key can only read.");
      return FALSE;
    }
  _gls_peer_server_client_seen (req, access == ACCESS_READ);
  return TRUE;
}
