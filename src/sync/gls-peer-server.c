/* gls-peer-server.c: the server object, listening, routing requests
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-peer-server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <gio/gnetworking.h>

#include "gls-peer-server-private.h"

/* How long a connection may wait (see gls-peer-server-connections.c). */
#define DEFAULT_IDLE_TIMEOUT_S    60
#define DEFAULT_HEADERS_TIMEOUT_S 10

G_DEFINE_FINAL_TYPE (GlsPeerServer, gls_peer_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_UUID,
  PROP_PORT,
  PROP_MAX_BODY_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (gls-peer-server-error-quark, gls_peer_server_error)

/* GET / */

static void
handle_root (Request *req)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonObject *vendor;

  if (!g_str_equal (req->method, "GET") && !g_str_equal (req->method, "HEAD"))
    {
      _gls_peer_server_reply_method_not_allowed (&req->reply, "GET,HEAD");
      return;
    }

  vendor = json_object_new ();
  json_object_set_string_member (root, "couchdb", "Welcome");
  json_object_set_string_member (root, "version", "3.3.3");
  json_object_set_string_member (root, "uuid", req->self->uuid);
  json_object_set_string_member (vendor, "name", "Glossa");
  json_object_set_string_member (vendor, "version", PACKAGE_VERSION);
  json_object_set_object_member (root, "vendor", vendor);
  _gls_peer_server_reply_object (&req->reply, SOUP_STATUS_OK, root);
}

/* /{db} */

static void
handle_db_info (Request *req)
{
  g_autoptr(JsonObject) info = json_object_new ();
  JsonObject *sizes = json_object_new ();

  json_object_set_string_member (info, "db_name", req->db_name);
  json_object_set_int_member (info, "update_seq", gls_store_get_update_seq (req->store));
  json_object_set_string_member (info, "instance_start_time",
                                 gls_store_get_instance_start_time (req->store));
  json_object_set_int_member (info, "doc_count", gls_store_get_doc_count (req->store));
  json_object_set_int_member (info, "doc_del_count", gls_store_get_doc_del_count (req->store));
  json_object_set_int_member (info, "purge_seq", 0);
  json_object_set_boolean_member (info, "compact_running", FALSE);
  json_object_set_int_member (sizes, "active", 0);
  json_object_set_int_member (sizes, "external", 0);
  json_object_set_int_member (sizes, "file", 0);
  json_object_set_object_member (info, "sizes", sizes);
  _gls_peer_server_reply_object (&req->reply, SOUP_STATUS_OK, info);
}

static void
handle_db_create (Request *req)
{
  g_autoptr(GlsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GlsPeerServer *self = req->self;

  if (req->store != NULL)
    {
      _gls_peer_server_reply_error (&req->reply, SOUP_STATUS_PRECONDITION_FAILED, "file_exists",
                                    "The database could not be created, the file already exists.");
      return;
    }
  if (self->create_func == NULL)
    {
      _gls_peer_server_reply_error (&req->reply, SOUP_STATUS_FORBIDDEN, "forbidden",
                                    "This peer does not create databases.");
      return;
    }
  store = self->create_func (self, req->db_name, self->create_data, &error);
  if (store == NULL)
    {
      _gls_peer_server_reply_error (&req->reply, SOUP_STATUS_FORBIDDEN, "forbidden",
                                    error != NULL ? error->message : "The database could not be created.");
      return;
    }
  if (!gls_peer_server_add_database (self, req->db_name, store, &error))
    {
      _gls_peer_server_reply_gerror (&req->reply, error);
      return;
    }
  _gls_peer_server_reply_ok (&req->reply, SOUP_STATUS_CREATED);
}

/* Routing */

static void
handle_db (Request *req)
{
  const char *first;

  if (req->n_segments == 0)
    {
      if (g_str_equal (req->method, "GET") || g_str_equal (req->method, "HEAD"))
        {
          if (req->store == NULL)
            _gls_peer_server_reply_error (&req->reply, SOUP_STATUS_NOT_FOUND, "not_found",
                                          "Database does not exist.");
          else
            handle_db_info (req);
        }
      else if (g_str_equal (req->method, "PUT"))
        handle_db_create (req);
      else if (g_str_equal (req->method, "POST"))
        _gls_peer_server_reply_error (&req->reply, SOUP_STATUS_FORBIDDEN, "forbidden",
                                      "Posting documents is not supported; use _bulk_docs.");
      else
        _gls_peer_server_reply_method_not_allowed (&req->reply, "GET,HEAD,PUT");
      return;
    }

  if (req->store == NULL)
    {
      _gls_peer_server_reply_error (&req->reply, SOUP_STATUS_NOT_FOUND, "not_found", "Database does not exist.");
      return;
    }

  first = req->segments[0];
  if (g_str_equal (first, "_local") || g_str_equal (first, "_design"))
    {
      g_autofree char *id = NULL;

      if (req->n_segments < 2 || *req->segments[1] == '\0')
        {
          _gls_peer_server_reply_bad_request (&req->reply, "Missing document id");
          return;
        }
      if (g_str_equal (first, "_local"))
        {
          if (req->n_segments > 2)
            _gls_peer_server_reply_error (&req->reply, SOUP_STATUS_NOT_FOUND, "not_found",
                                          "_local documents have no attachments");
          else
            _gls_peer_server_handle_local (req, req->segments[1]);
          return;
        }
      id = g_strconcat ("_design/", req->segments[1], NULL);
      if (req->n_segments > 2)
        {
          g_autofree char *name = g_strjoinv ("/", req->segments + 2);

          _gls_peer_server_handle_attachment (req, id, name);
        }
      else if (g_str_equal (req->method, "GET") || g_str_equal (req->method, "HEAD"))
        _gls_peer_server_handle_doc_get (req, id);
      else if (g_str_equal (req->method, "PUT"))
        _gls_peer_server_handle_doc_put (req, id);
      else
        _gls_peer_server_reply_method_not_allowed (&req->reply, "GET,HEAD,PUT");
      return;
    }

  /* "_design%2Fname": some clients escape the slash (CouchDB redirects
   * GET to "_design/name" and serves the other methods); it is that
   * document, not an endpoint. */
  if (req->n_segments == 1 && first[0] == '_' && !g_str_has_prefix (first, "_design/"))
    {
      if (g_str_equal (first, "_changes"))
        _gls_peer_server_handle_changes (req);
      else if (g_str_equal (first, "_revs_diff"))
        _gls_peer_server_handle_revs_diff (req);
      else if (g_str_equal (first, "_bulk_docs"))
        _gls_peer_server_handle_bulk_docs (req);
      else if (g_str_equal (first, "_bulk_get"))
        _gls_peer_server_handle_bulk_get (req);
      else if (g_str_equal (first, "_all_docs"))
        _gls_peer_server_handle_all_docs (req);
      else if (g_str_equal (first, "_ensure_full_commit"))
        {
          g_autoptr(JsonObject) answer = json_object_new ();

          if (!g_str_equal (req->method, "POST"))
            {
              _gls_peer_server_reply_method_not_allowed (&req->reply, "POST");
              return;
            }
          json_object_set_boolean_member (answer, "ok", TRUE);
          json_object_set_string_member (answer, "instance_start_time",
                                         gls_store_get_instance_start_time (req->store));
          _gls_peer_server_reply_object (&req->reply, SOUP_STATUS_CREATED, answer);
        }
      else
        _gls_peer_server_reply_error (&req->reply, SOUP_STATUS_NOT_FOUND, "not_found", "missing");
      return;
    }

  if (*first == '\0')
    {
      _gls_peer_server_reply_bad_request (&req->reply, "Missing document id");
      return;
    }
  if (req->n_segments > 1)
    {
      g_autofree char *name = g_strjoinv ("/", req->segments + 1);

      _gls_peer_server_handle_attachment (req, first, name);
    }
  else if (g_str_equal (req->method, "GET") || g_str_equal (req->method, "HEAD"))
    _gls_peer_server_handle_doc_get (req, first);
  else if (g_str_equal (req->method, "PUT"))
    _gls_peer_server_handle_doc_put (req, first);
  else
    _gls_peer_server_reply_method_not_allowed (&req->reply, "GET,HEAD,PUT");
}

static void
request_finished_cb (Request *req)
{
  req->finished = TRUE;
}

static void
request_worker (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  handle_db (task_data);
  g_task_return_boolean (task, TRUE);
}

static void
request_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Request *req = g_task_get_task_data (G_TASK (result));

  g_clear_signal_handler (&req->finished_id, req->msg);
  g_clear_signal_handler (&req->disconnected_id, req->msg);
  if (req->finished)
    ;
  else if (req->wait)
    _gls_peer_server_long_poll_start (req);
  else
    {
      _gls_peer_server_reply_apply (&req->reply, req->msg);
      soup_server_message_unpause (req->msg);
    }
  /* The task may be freed in the worker: drop the objects here. */
  g_clear_object (&req->msg);
  g_clear_object (&req->store);
  g_clear_object (&req->self);
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  GlsPeerServer *self = user_data;
  g_autoptr(Request) req = NULL;
  g_auto(GStrv) raw = NULL;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *raw_path = g_uri_get_path (uri);
  const char *raw_query = g_uri_get_query (uri);
  GlsStore *store;
  guint n_raw;

  /* Answered before its body was read: nothing more to say. */
  if (g_object_get_data (G_OBJECT (msg), "gls-answered"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
      return;
    }
  if (_gls_peer_server_body_too_large (self, msg) || _gls_peer_server_body_unauthorized (self, msg))
    return;

  /* libsoup closes the connection after answering a request that says
   * "Connection: close", without saying so (RFC 9112 9.6: it should).
   * PouchDB Server 4.2.0 (node-fetch 1) sends that header through Node
   * 20's keep-alive agent, which then reuses the closed socket: "socket
   * hang up". */
  if (soup_message_headers_header_contains (soup_server_message_get_request_headers (msg),
                                            "Connection", "close"))
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Connection", "close");

  req = g_new0 (Request, 1);
  req->self = g_object_ref (self);
  req->msg = g_object_ref (msg);
  req->method = g_strdup (soup_server_message_get_method (msg));
  req->sink = g_object_steal_data (G_OBJECT (msg), "gls-multipart-sink");
  req->sink_pending = g_object_steal_data (G_OBJECT (msg), "gls-multipart-pending");
  /* A streamed body went to files: nothing was kept. */
  req->body = req->sink != NULL ? g_bytes_new (NULL, 0)
                                : soup_message_body_flatten (soup_server_message_get_request_body (msg));
  {
    const char *accept = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                        "Accept");

    req->accept_multipart = accept != NULL && strstr (accept, "multipart/mixed") != NULL;
    req->content_type = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                                "Content-Type"));
  }
  if (raw_query != NULL && *raw_query != '\0')
    req->query = soup_form_decode (raw_query);

  if (raw_path == NULL || raw_path[0] != '/')
    {
      _gls_peer_server_reply_bad_request (&req->reply, "Invalid path");
      goto out;
    }
  raw = g_strsplit (raw_path + 1, "/", -1);
  n_raw = g_strv_length (raw);
  /* "/db/" is "/db". */
  if (n_raw == 2 && *raw[1] == '\0')
    {
      g_free (raw[1]);
      raw[1] = NULL;
      n_raw = 1;
    }

  if (n_raw == 0 || *raw[0] == '\0')
    {
      handle_root (req);
      goto out;
    }

  req->segments = g_new0 (char *, n_raw);
  for (guint i = 0; i < n_raw; i++)
    {
      char *decoded = g_uri_unescape_string (raw[i], NULL);

      if (decoded == NULL)
        {
          _gls_peer_server_reply_bad_request (&req->reply, "Invalid percent-encoding in the path");
          goto out;
        }
      /* As ids in bodies: a raw byte stored as an id breaks every
       * peer's _changes (JSON is UTF-8). */
      if (!g_utf8_validate (decoded, -1, NULL))
        {
          g_free (decoded);
          _gls_peer_server_reply_bad_request (&req->reply, "invalid UTF-8 in the path");
          goto out;
        }
      if (i == 0)
        req->db_name = decoded;
      else
        req->segments[req->n_segments++] = decoded;
    }

  if (g_str_equal (req->db_name, "_session") && req->n_segments == 0)
    {
      _gls_peer_server_handle_session (req);
      goto out;
    }
  if (req->db_name[0] == '_')
    {
      _gls_peer_server_reply_error (&req->reply, SOUP_STATUS_NOT_FOUND, "not_found", "missing");
      goto out;
    }
  if (!gls_peer_server_is_valid_db_name (req->db_name))
    {
      g_autofree char *reason =
        g_strdup_printf ("Name: '%s'. Only lowercase characters (a-z), digits (0-9), and any of"
                         " the characters _, $, (, ), +, -, and / are allowed."
                         " Must begin with a letter.", req->db_name);

      _gls_peer_server_reply_error (&req->reply, SOUP_STATUS_BAD_REQUEST, "illegal_database_name", reason);
      goto out;
    }
  if (!_gls_peer_server_check_access (req))
    goto out;

  store = g_hash_table_lookup (self->databases, req->db_name);
  g_set_object (&req->store, store);
  if (store == NULL || (req->n_segments == 0 && g_str_equal (req->method, "PUT")))
    {
      /* No store call (or the create callback): answer here. */
      handle_db (req);
      goto out;
    }

  /* The store blocks on SQLite: work in a thread, answer when done. */
  req->finished_id = g_signal_connect_swapped (msg, "finished",
                                               G_CALLBACK (request_finished_cb), req);
  /* Closing the server (gls_peer_server_disconnect) drops paused messages
   * without "finished"; unpausing one then is a critical. */
  req->disconnected_id = g_signal_connect_swapped (msg, "disconnected",
                                                   G_CALLBACK (request_finished_cb), req);
  soup_server_message_pause (msg);
  {
    g_autoptr(GTask) task = g_task_new (NULL, NULL, request_done_cb, NULL);

    g_task_set_source_tag (task, server_callback);
    g_task_set_task_data (task, g_steal_pointer (&req), (GDestroyNotify) _gls_peer_server_request_free);
    g_task_run_in_thread (task, request_worker);
  }
  return;

out:
  _gls_peer_server_reply_apply (&req->reply, msg);
}

/* libsoup keeps a connection alive only while it has a listener of its
 * own (else it closes each after one answer, and clients resend on a
 * closed connection): it gets one nobody reaches, an autobound abstract
 * Unix socket. */
static GSocket *
keep_alive_listener (GError **error)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int saved;

  if (fd >= 0 && bind (fd, (struct sockaddr *) &addr, sizeof (sa_family_t)) == 0 && listen (fd, 1) == 0)
    return g_socket_new_from_fd (fd, error);
  saved = errno;
  if (fd >= 0)
    close (fd);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               "A listener for keep-alive: %s", g_strerror (saved));
  return NULL;
}

/* GObject */

static void
gls_peer_server_dispose (GObject *object)
{
  GlsPeerServer *self = (GlsPeerServer *)object;

  gls_peer_server_disconnect (self);
  g_clear_object (&self->server);
  g_clear_pointer (&self->databases, g_hash_table_unref);
  g_clear_pointer (&self->keys, g_hash_table_unref);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->connections, g_hash_table_unref);
  _gls_peer_server_clients_clear (self);
  if (self->spare_fd >= 0)
    close (self->spare_fd);
  self->spare_fd = -1;
  if (self->create_destroy != NULL)
    self->create_destroy (self->create_data);
  self->create_func = NULL;
  self->create_destroy = NULL;
  self->create_data = NULL;

  G_OBJECT_CLASS (gls_peer_server_parent_class)->dispose (object);
}

static void
gls_peer_server_finalize (GObject *object)
{
  GlsPeerServer *self = (GlsPeerServer *)object;

  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_object (&self->tls_certificate);

  G_OBJECT_CLASS (gls_peer_server_parent_class)->finalize (object);
}

static void
gls_peer_server_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GlsPeerServer *self = GLS_PEER_SERVER (object);

  switch (prop_id)
    {
    case PROP_UUID:
      g_value_set_string (value, self->uuid);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_MAX_BODY_SIZE:
      g_value_set_uint64 (value, self->max_body_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_peer_server_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GlsPeerServer *self = GLS_PEER_SERVER (object);

  switch (prop_id)
    {
    case PROP_UUID:
      g_free (self->uuid);
      self->uuid = g_value_dup_string (value);
      if (self->uuid == NULL)
        {
          g_autofree char *random = g_uuid_string_random ();
          g_auto(GStrv) parts = g_strsplit (random, "-", -1);

          self->uuid = g_strjoinv ("", parts);
        }
      break;
    case PROP_MAX_BODY_SIZE:
      gls_peer_server_set_max_body_size (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_peer_server_class_init (GlsPeerServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gls_peer_server_dispose;
  object_class->finalize = gls_peer_server_finalize;
  object_class->get_property = gls_peer_server_get_property;
  object_class->set_property = gls_peer_server_set_property;

  properties[PROP_UUID] =
    g_param_spec_string ("uuid", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_BODY_SIZE] =
    g_param_spec_uint64 ("max-body-size", NULL, NULL, 1, G_MAXUINT64,
                         GLS_PEER_SERVER_DEFAULT_MAX_BODY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gls_peer_server_init (GlsPeerServer *self)
{
  self->max_body_size = GLS_PEER_SERVER_DEFAULT_MAX_BODY;
  self->databases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) _gls_peer_server_keys_free);
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) _gls_peer_server_session_free);
  self->connections = g_hash_table_new_full (NULL, NULL, NULL,
                                             (GDestroyNotify) _gls_peer_server_connection_free);
  _gls_peer_server_clients_init (self);
  self->idle_timeout = DEFAULT_IDLE_TIMEOUT_S;
  self->headers_timeout = DEFAULT_HEADERS_TIMEOUT_S;
  self->spare_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
}

GlsPeerServer *
gls_peer_server_new (const char *uuid)
{
  return g_object_new (GLS_TYPE_PEER_SERVER, "uuid", uuid, NULL);
}

static gboolean
is_uuid_text (const char *text)
{
  if (strlen (text) != 32)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

char *
gls_peer_server_load_uuid (const char  *path,
                           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *random = NULL;
  g_auto(GStrv) parts = NULL;
  char *uuid;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_file_get_contents (path, &contents, NULL, &local_error))
    {
      g_strstrip (contents);
      if (!is_uuid_text (contents))
        {
          g_set_error (error, GLS_PEER_SERVER_ERROR, GLS_PEER_SERVER_ERROR_FAILED,
                       "%s does not hold a server uuid", path);
          return NULL;
        }
      return g_steal_pointer (&contents);
    }
  if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  random = g_uuid_string_random ();
  parts = g_strsplit (random, "-", -1);
  uuid = g_strjoinv ("", parts);
  {
    g_autofree char *line = g_strconcat (uuid, "\n", NULL);

    if (!g_file_set_contents_full (path, line, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
      {
        g_free (uuid);
        return NULL;
      }
  }
  return uuid;
}

gboolean
gls_peer_server_is_valid_db_name (const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  if (!g_ascii_islower (name[0]) || strlen (name) > 238)
    return FALSE;
  for (const char *p = name + 1; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && strchr ("_$()+-/", *p) == NULL)
      return FALSE;
  return TRUE;
}

const char *
gls_peer_server_get_uuid (GlsPeerServer *self)
{
  g_return_val_if_fail (GLS_IS_PEER_SERVER (self), NULL);

  return self->uuid;
}

gsize
gls_peer_server_get_max_body_size (GlsPeerServer *self)
{
  g_return_val_if_fail (GLS_IS_PEER_SERVER (self), 0);

  return self->max_body_size;
}

void
gls_peer_server_set_max_body_size (GlsPeerServer *self,
                                   gsize          max_body_size)
{
  g_return_if_fail (GLS_IS_PEER_SERVER (self));
  g_return_if_fail (max_body_size > 0);

  if (self->max_body_size != max_body_size)
    {
      self->max_body_size = max_body_size;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_BODY_SIZE]);
    }
}

gboolean
gls_peer_server_add_database (GlsPeerServer  *self,
                              const char     *name,
                              GlsStore       *store,
                              GError        **error)
{
  g_return_val_if_fail (GLS_IS_PEER_SERVER (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (GLS_IS_STORE (store), FALSE);

  if (!gls_peer_server_is_valid_db_name (name))
    {
      g_set_error (error, GLS_PEER_SERVER_ERROR, GLS_PEER_SERVER_ERROR_INVALID_NAME,
                   "“%s” is not a valid database name", name);
      return FALSE;
    }
  g_hash_table_replace (self->databases, g_strdup (name), g_object_ref (store));
  return TRUE;
}

void
gls_peer_server_remove_database (GlsPeerServer *self,
                                 const char    *name)
{
  g_return_if_fail (GLS_IS_PEER_SERVER (self));
  g_return_if_fail (name != NULL);

  g_hash_table_remove (self->databases, name);
}

GlsStore *
gls_peer_server_get_database (GlsPeerServer *self,
                              const char    *name)
{
  g_return_val_if_fail (GLS_IS_PEER_SERVER (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->databases, name);
}

void
gls_peer_server_set_keys (GlsPeerServer *self,
                          const char    *name,
                          const char    *key,
                          const char    *read_only_key)
{
  Keys *keys;

  g_return_if_fail (GLS_IS_PEER_SERVER (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (key != NULL || read_only_key == NULL);
  g_return_if_fail (key == NULL || *key != '\0');
  g_return_if_fail (read_only_key == NULL || *read_only_key != '\0');

  if (key == NULL)
    {
      g_hash_table_remove (self->keys, name);
      return;
    }
  keys = g_new0 (Keys, 1);
  keys->key = g_strdup (key);
  keys->read_only_key = g_strdup (read_only_key);
  g_hash_table_replace (self->keys, g_strdup (name), keys);
}

char *
gls_peer_server_generate_key (void)
{
  guchar bytes[32];
  gsize done = 0;
  char *key;

  while (done < sizeof bytes)
    {
      gssize n = getrandom (bytes + done, sizeof bytes - done, 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          g_error ("getrandom: %s", g_strerror (errno));
        }
      done += n;
    }

  /* base64url without padding: safe in the user part of a URL. */
  key = g_base64_encode (bytes, sizeof bytes);
  g_strdelimit (key, "+", '-');
  g_strdelimit (key, "/", '_');
  *strchr (key, '=') = '\0';
  memset (bytes, 0, sizeof bytes);
  return key;
}

void
gls_peer_server_set_create_func (GlsPeerServer           *self,
                                 GlsPeerServerCreateFunc  func,
                                 gpointer                 user_data,
                                 GDestroyNotify           destroy)
{
  g_return_if_fail (GLS_IS_PEER_SERVER (self));

  if (self->create_destroy != NULL)
    self->create_destroy (self->create_data);
  self->create_func = func;
  self->create_data = user_data;
  self->create_destroy = destroy;
}

gboolean
gls_peer_server_listen (GlsPeerServer  *self,
                        const char     *address,
                        guint           port,
                        GError        **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) sockaddr = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocket) keep_alive = NULL;

  g_return_val_if_fail (GLS_IS_PEER_SERVER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  if (!(inet = g_inet_address_new_from_string (address)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address", address);
      return FALSE;
    }
  sockaddr = g_inet_socket_address_new (inet, port);

  /* Accepted here, not by soup_server_listen (see
   * gls-peer-server-connections.c); the certificate, if any, is used
   * there too. */
  listener = g_socket_new (g_socket_address_get_family (sockaddr), G_SOCKET_TYPE_STREAM,
                           G_SOCKET_PROTOCOL_DEFAULT, error);
  if (listener == NULL)
    return FALSE;
  if (g_socket_address_get_family (sockaddr) == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (listener, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, NULL);
  g_socket_set_blocking (listener, FALSE);
  g_socket_set_listen_backlog (listener, 128);
  if (!g_socket_bind (listener, sockaddr, TRUE, error) ||
      !g_socket_listen (listener, error) ||
      !(local = g_socket_get_local_address (listener, error)))
    return FALSE;

  self->server = soup_server_new ("server-header", "Glossa/" PACKAGE_VERSION " ",
                                  "raw-paths", TRUE,
                                  NULL);
  soup_server_add_early_handler (self->server, NULL, _gls_peer_server_early_callback, self, NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);
  if (!(keep_alive = keep_alive_listener (error)) ||
      !soup_server_listen_socket (self->server, keep_alive, 0, error))
    {
      g_clear_object (&self->server);
      return FALSE;
    }
  self->listener = g_steal_pointer (&listener);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  _gls_peer_server_connections_start (self);

  g_free (self->address);
  self->address = g_inet_address_to_string (inet);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
  return TRUE;
}

void
gls_peer_server_set_timeouts (GlsPeerServer *self,
                              guint          idle_timeout,
                              guint          headers_timeout)
{
  g_return_if_fail (GLS_IS_PEER_SERVER (self));
  g_return_if_fail (idle_timeout > 0 && headers_timeout > 0);

  self->idle_timeout = idle_timeout;
  self->headers_timeout = headers_timeout;
}

guint
gls_peer_server_get_port (GlsPeerServer *self)
{
  g_return_val_if_fail (GLS_IS_PEER_SERVER (self), 0);

  return self->port;
}

char *
gls_peer_server_dup_uri (GlsPeerServer *self)
{
  g_return_val_if_fail (GLS_IS_PEER_SERVER (self), NULL);

  if (self->server == NULL || self->port == 0)
    return NULL;
  if (strchr (self->address, ':') != NULL)
    return g_strdup_printf ("%s://[%s]:%u/", self->tls_certificate != NULL ? "https" : "http",
                            self->address, self->port);
  return g_strdup_printf ("%s://%s:%u/", self->tls_certificate != NULL ? "https" : "http",
                          self->address, self->port);
}

void
gls_peer_server_set_tls_certificate (GlsPeerServer   *self,
                                     GTlsCertificate *certificate)
{
  g_return_if_fail (GLS_IS_PEER_SERVER (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));
  g_return_if_fail (self->server == NULL);

  g_set_object (&self->tls_certificate, certificate);
}

GTlsCertificate *
gls_peer_server_get_tls_certificate (GlsPeerServer *self)
{
  g_return_val_if_fail (GLS_IS_PEER_SERVER (self), NULL);

  return self->tls_certificate;
}

void
gls_peer_server_disconnect (GlsPeerServer *self)
{
  g_return_if_fail (GLS_IS_PEER_SERVER (self));

  _gls_peer_server_feeds_stop (self);
  _gls_peer_server_connections_stop (self);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  if (self->port != 0)
    {
      self->port = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
    }
}
