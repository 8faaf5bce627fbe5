/* gls-peer-server-connections.c: connections accepted and watched
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
#include <sys/socket.h>
#include <gio/gnetworking.h>

#include "gls-peer-server-private.h"

/* Connections
 *
 * The server accepts connections itself and hands each to SoupServer
 * (soup_server_accept_iostream), because libsoup 3.2 alone does not
 * survive its peers:
 *
 * - a keep-alive connection the client closes between two requests is
 *   never closed (fixed in libsoup 3.3): the descriptor stays in
 *   CLOSE-WAIT (closed here, its descriptor is freed; about 1 KB of
 *   libsoup's objects stays, out of reach);
 * - it has no timeout for idle connections or slow headers;
 * - when accept() fails (EMFILE at the fd limit) it stops listening for
 *   good.
 *
 * So each connection is watched while it waits for a request: a peer
 * that closes it gets it closed here; one that sends nothing within
 * idle_timeout, or no complete headers within headers_timeout of its
 * first byte, is closed. At the fd limit, idle connections are closed and
 * the peer that could not be accepted gets a 503 through a descriptor
 * kept spare for this. Connections are found again from a message by the
 * remote address object handed to libsoup with them. */

#define ACCEPT_PAUSE_MS   100
#define SWEEP_INTERVAL_MS 250
#define LINGER_S          2

struct _Connection
{
  GlsPeerServer  *self;
  GIOStream      *stream;    /* what libsoup reads: TCP, or TLS over it */
  GSocket        *socket;
  GSocketAddress *remote;
  GSource        *watch;     /* readable while waiting for a request */
  gint64          deadline;  /* monotonic; 0 while a request is handled */
  gboolean        busy;      /* from a request's headers to its end */
  gboolean        got_bytes; /* of the next request */
  gboolean        answered;  /* early: closes at the deadline */
  char           *client;    /* the client it counts for (gls-peer-server-clients.c) */
};

void
_gls_peer_server_connection_free (Connection *conn)
{
  if (conn->client != NULL)
    _gls_peer_server_client_release (conn->self, conn->client);
  g_free (conn->client);
  if (conn->watch != NULL)
    {
      g_source_destroy (conn->watch);
      g_source_unref (conn->watch);
    }
  g_clear_object (&conn->stream);
  g_clear_object (&conn->socket);
  g_clear_object (&conn->remote);
  g_free (conn);
}

/* Closes the descriptor under libsoup: its next read fails and it lets go
 * of the connection as it does for any broken one. */
static void
connection_close (Connection *conn)
{
  GlsPeerServer *self = conn->self;

  g_debug ("closing a connection (%s)", conn->busy ? "busy" : conn->got_bytes ? "slow headers" : "idle");
  /* Not g_io_stream_close: over TLS that would write, and could block.
   * Shut down first: that wakes a handshake blocked reading it. */
  g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
  g_socket_close (conn->socket, NULL);
  g_hash_table_remove (self->connections, conn->remote);
}

static gboolean connection_watch_cb (GSocket      *socket,
                                     GIOCondition  condition,
                                     gpointer      user_data);

static void
connection_wait (Connection *conn,
                 gint64      now)
{
  conn->busy = FALSE;
  conn->got_bytes = FALSE;
  conn->deadline = now + (gint64) conn->self->idle_timeout * G_USEC_PER_SEC;
  if (conn->watch == NULL)
    {
      conn->watch = g_socket_create_source (conn->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (conn->watch, G_SOURCE_FUNC (connection_watch_cb), conn, NULL);
      g_source_attach (conn->watch, g_main_context_get_thread_default ());
    }
}

static void
connection_stop_watch (Connection *conn)
{
  if (conn->watch != NULL)
    {
      g_source_destroy (conn->watch);
      g_clear_pointer (&conn->watch, g_source_unref);
    }
}

/* While a connection waits for a request, libsoup reads it too; this only
 * peeks, to see the end of the stream (which libsoup 3.2 ignores there)
 * and the first byte of the next request (its headers have a shorter
 * deadline). */
static gboolean
connection_watch_cb (GSocket      *socket,
                     GIOCondition  condition,
                     gpointer      user_data)
{
  Connection *conn = user_data;
  char byte;
  gssize n;

  if (g_socket_is_closed (socket))
    {
      /* libsoup closed it (and the descriptor may be someone else's now) */
      g_clear_pointer (&conn->watch, g_source_unref);
      g_hash_table_remove (conn->self->connections, conn->remote);
      return G_SOURCE_REMOVE;
    }
  n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return G_SOURCE_CONTINUE;
  if (n > 0 && conn->busy)
    {
      /* a feed's client sent more: libsoup reads it when the feed ends */
      g_clear_pointer (&conn->watch, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  if (n > 0)
    {
      /* libsoup reads the request; its "request-started" follows */
      conn->got_bytes = TRUE;
      conn->deadline = MIN (conn->deadline,
                            g_get_monotonic_time ()
                            + (gint64) conn->self->headers_timeout * G_USEC_PER_SEC);
      g_clear_pointer (&conn->watch, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  /* The peer closed it, or reset it. */
  g_clear_pointer (&conn->watch, g_source_unref);
  connection_close (conn);
  return G_SOURCE_REMOVE;
}

static Connection *
connection_for_message (GlsPeerServer     *self,
                        SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  if (self->connections == NULL || remote == NULL)
    return NULL;
  return g_hash_table_lookup (self->connections, remote);
}

gboolean
_gls_peer_server_connection_has_client (GlsPeerServer     *self,
                                        SoupServerMessage *msg,
                                        const char        *key)
{
  Connection *conn = connection_for_message (self, msg);

  return conn != NULL && g_strcmp0 (conn->client, key) == 0;
}

/* The connection of `msg` counts for the client `key` from now on (and
 * no longer for the one it counted for). FALSE when it is not known. */
gboolean
_gls_peer_server_connection_set_client (GlsPeerServer     *self,
                                        SoupServerMessage *msg,
                                        const char        *key)
{
  Connection *conn = connection_for_message (self, msg);
  g_autofree char *old = NULL;

  if (conn == NULL)
    return FALSE;
  old = g_steal_pointer (&conn->client);
  conn->client = g_strdup (key);
  if (old != NULL)
    _gls_peer_server_client_release (self, old);
  return TRUE;
}

/* libsoup 3.2 answers a request only once it has read its body, whatever
 * an early handler says, and may then not answer at all: a refusal before
 * the body (too large, no key) is written here, on the connection, which
 * libsoup then only reads from (dropping the body) until it is closed,
 * LINGER_S later, when the peer has read the answer. */
gboolean
_gls_peer_server_connection_answer_now (GlsPeerServer     *self,
                                        SoupServerMessage *msg,
                                        Reply             *reply)
{
  Connection *conn = connection_for_message (self, msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  g_autoptr(GString) text = NULL;
  g_autoptr(GError) error = NULL;
  GOutputStream *output;
  gsize body_size = reply->body != NULL ? g_bytes_get_size (reply->body) : 0;

  if (conn == NULL || !G_IS_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (conn->stream)))
    return FALSE;
  text = g_string_new (NULL);
  g_string_append_printf (text, "HTTP/1.1 %u %s\r\n", reply->status,
                          soup_status_get_phrase (reply->status));
  soup_message_headers_iter_init (&iter, soup_server_message_get_response_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Connection") != 0)
      g_string_append_printf (text, "%s: %s\r\n", name, value);
  g_string_append_printf (text, "Content-Type: %s\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n\r\n",
                          reply->content_type != NULL ? reply->content_type : "application/json",
                          body_size);
  if (body_size > 0)
    g_string_append_len (text, g_bytes_get_data (reply->body, NULL), body_size);

  output = g_io_stream_get_output_stream (conn->stream);
  if (g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (output),
                                                  text->str, text->len, NULL, &error) < (gssize) text->len)
    g_debug ("an early answer was not written whole: %s", error != NULL ? error->message : "short write");
  if (!G_IS_TLS_CONNECTION (conn->stream))
    g_socket_shutdown (conn->socket, FALSE, TRUE, NULL);

  g_object_set_data (G_OBJECT (msg), "gls-answered", GINT_TO_POINTER (TRUE));
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  conn->answered = TRUE;
  conn->busy = FALSE;
  conn->deadline = g_get_monotonic_time () + LINGER_S * G_USEC_PER_SEC;
  return TRUE;
}

/* From the early handler: the headers are complete. */
void
_gls_peer_server_connection_request_begin (GlsPeerServer     *self,
                                           SoupServerMessage *msg)
{
  Connection *conn = connection_for_message (self, msg);

  if (conn == NULL)
    return;
  conn->busy = TRUE;
  conn->deadline = 0;
  connection_stop_watch (conn);
}

/* libsoup starts a request on a connection's first byte (and at once on
 * a new connection): from then on the headers have a shorter deadline. */
static void
connection_request_started_cb (SoupServer        *server,
                               SoupServerMessage *msg,
                               GlsPeerServer     *self)
{
  Connection *conn = connection_for_message (self, msg);

  if (conn != NULL && !conn->busy)
    {
      conn->got_bytes = TRUE;
      conn->deadline = MIN (conn->deadline,
                            g_get_monotonic_time ()
                            + (gint64) self->headers_timeout * G_USEC_PER_SEC);
    }
}

static void
connection_request_end_cb (SoupServer        *server,
                           SoupServerMessage *msg,
                           GlsPeerServer     *self)
{
  Connection *conn = connection_for_message (self, msg);

  if (conn != NULL && conn->answered)
    connection_close (conn);
  else if (conn != NULL && !g_io_stream_is_closed (conn->stream))
    connection_wait (conn, g_get_monotonic_time ());
}

/* A feed (longpoll, continuous) holds its connection for minutes, and
 * libsoup does not read it meanwhile: a client that goes away would keep
 * its descriptor until the feed's next write. Watched, it is closed. */
void
_gls_peer_server_connection_watch_feed (GlsPeerServer     *self,
                                        SoupServerMessage *msg)
{
  Connection *conn = connection_for_message (self, msg);

  if (conn != NULL && conn->watch == NULL && !g_socket_is_closed (conn->socket))
    {
      conn->watch = g_socket_create_source (conn->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (conn->watch, G_SOURCE_FUNC (connection_watch_cb), conn, NULL);
      g_source_attach (conn->watch, g_main_context_get_thread_default ());
    }
}

static gboolean
sweep_cb (gpointer user_data)
{
  GlsPeerServer *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  Connection *conn;
  g_autoptr(GPtrArray) expired = g_ptr_array_new ();

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
    {
      if (g_io_stream_is_closed (conn->stream) || g_socket_is_closed (conn->socket))
        g_hash_table_iter_remove (&iter);
      else if (!conn->busy && now >= conn->deadline)
        g_ptr_array_add (expired, conn);
    }
  for (guint i = 0; i < expired->len; i++)
    connection_close (expired->pdata[i]);
  return G_SOURCE_CONTINUE;
}

static void accept_resume (GlsPeerServer *self);

static gboolean
accept_pause_cb (gpointer user_data)
{
  GlsPeerServer *self = user_data;

  g_clear_pointer (&self->accept_pause, g_source_unref);
  accept_resume (self);
  return G_SOURCE_REMOVE;
}

/* At the descriptor limit: frees what can be freed, and refuses the peer
 * that waits (a 503 through the spare descriptor) rather than leave it
 * in the backlog with no answer. */
static void
refuse_at_fd_limit (GlsPeerServer *self)
{
  static const char body[] =
    "{\"error\":\"service_unavailable\",\"reason\":\"Too many connections: try again.\"}\n";
  GHashTableIter iter;
  Connection *conn;
  g_autoptr(GPtrArray) idle = g_ptr_array_new ();
  int fd;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
    if (!conn->busy)
      g_ptr_array_add (idle, conn);
  g_debug ("at the descriptor limit: closing %u idle connections", idle->len);
  for (guint i = 0; i < idle->len; i++)
    connection_close (idle->pdata[i]);
  if (idle->len > 0)
    return;

  if (self->spare_fd >= 0)
    {
      close (self->spare_fd);
      self->spare_fd = -1;
      fd = accept (g_socket_get_fd (self->listener), NULL, NULL);
      if (fd >= 0)
        {
          g_autofree char *answer =
            g_strdup_printf ("HTTP/1.1 503 Service Unavailable\r\n"
                             "Content-Type: application/json\r\n"
                             "Content-Length: %zu\r\n"
                             "Connection: close\r\n"
                             "\r\n%s", sizeof body - 1, body);

          if (send (fd, answer, strlen (answer), MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
            g_debug ("refusing a connection: %s", g_strerror (errno));
          close (fd);
        }
      self->spare_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd >= 0 && self->spare_fd >= 0)
        return;
    }

  /* Nothing to give up: wait for descriptors to free up. */
  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
  if (self->accept_pause == NULL)
    {
      self->accept_pause = g_timeout_source_new (ACCEPT_PAUSE_MS);
      g_source_set_callback (self->accept_pause, accept_pause_cb, self, NULL);
      g_source_attach (self->accept_pause, g_main_context_get_thread_default ());
    }
}

static void
connection_serve (Connection *conn)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) local = NULL;

  if (!(local = g_socket_get_local_address (conn->socket, &error)) ||
      !soup_server_accept_iostream (conn->self->server, conn->stream, local, conn->remote, &error))
    {
      g_debug ("a new connection: %s", error->message);
      connection_close (conn);
    }
}

typedef struct
{
  GlsPeerServer  *self;
  GSocketAddress *remote;
} Handshake;

static void
handshake_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Handshake *handshake = user_data;
  g_autoptr(GError) error = NULL;
  gboolean done = g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error);
  Connection *conn = NULL;

  /* The connection may have timed out, or the server stopped, meanwhile. */
  if (handshake->self->connections != NULL)
    conn = g_hash_table_lookup (handshake->self->connections, handshake->remote);
  if (conn != NULL && conn->stream == G_IO_STREAM (source))
    {
      if (done)
        connection_serve (conn);
      else
        {
          g_debug ("TLS handshake: %s", error->message);
          connection_close (conn);
        }
    }
  g_object_unref (handshake->self);
  g_object_unref (handshake->remote);
  g_free (handshake);
}

static void
connection_accept (GlsPeerServer *self,
                   GSocket       *socket)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) tcp = NULL;
  g_autoptr(GIOStream) stream = NULL;
  Connection *conn;

  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  tcp = g_socket_connection_factory_create_connection (socket);
  stream = g_object_ref (G_IO_STREAM (tcp));
  if (self->tls_certificate != NULL)
    {
      g_autoptr(GIOStream) tls = g_tls_server_connection_new (stream, self->tls_certificate, &error);

      if (tls == NULL)
        {
          g_warning ("TLS for a new connection: %s", error->message);
          g_socket_close (socket, NULL);
          return;
        }
      /* as soup_server_listen does it */
      g_object_set (tls, "require-close-notify", FALSE, NULL);
      g_set_object (&stream, tls);
    }

  conn = g_new0 (Connection, 1);
  conn->self = self;
  conn->stream = g_steal_pointer (&stream);
  conn->socket = g_object_ref (socket);
  if (!(conn->remote = g_socket_get_remote_address (socket, &error)))
    {
      g_debug ("a new connection: %s", error->message);
      g_socket_close (socket, NULL);
      _gls_peer_server_connection_free (conn);
      return;
    }
  g_hash_table_replace (self->connections, conn->remote, conn);
  connection_wait (conn, g_get_monotonic_time ());
  if (G_IS_TLS_CONNECTION (conn->stream))
    {
      /* libsoup reads without blocking, and a GTlsConnection does not
       * shake hands implicitly then: first the handshake (under the
       * connection's deadline), as soup_server_listen does. */
      Handshake *handshake = g_new0 (Handshake, 1);

      handshake->self = g_object_ref (self);
      handshake->remote = g_object_ref (conn->remote);
      g_tls_connection_handshake_async (G_TLS_CONNECTION (conn->stream), G_PRIORITY_DEFAULT,
                                        NULL, handshake_cb, handshake);
    }
  else
    connection_serve (conn);
}

static gboolean
accept_cb (GSocket      *listener,
           GIOCondition  condition,
           gpointer      user_data)
{
  GlsPeerServer *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;

  socket = g_socket_accept (listener, NULL, &error);
  if (socket != NULL)
    connection_accept (self, socket);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    refuse_at_fd_limit (self);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    g_debug ("accepting a connection: %s", error->message);
  return self->accept_source != NULL ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
accept_resume (GlsPeerServer *self)
{
  if (self->listener == NULL || self->accept_source != NULL)
    return;
  self->accept_source = g_socket_create_source (self->listener, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, G_SOURCE_FUNC (accept_cb), self, NULL);
  g_source_attach (self->accept_source, g_main_context_get_thread_default ());
}

/* After listen: accepts connections and watches them. */
void
_gls_peer_server_connections_start (GlsPeerServer *self)
{
  g_signal_connect_object (self->server, "request-started",
                           G_CALLBACK (connection_request_started_cb), self, 0);
  g_signal_connect_object (self->server, "request-finished",
                           G_CALLBACK (connection_request_end_cb), self, 0);
  g_signal_connect_object (self->server, "request-aborted",
                           G_CALLBACK (connection_request_end_cb), self, 0);
  accept_resume (self);
  self->sweep = g_timeout_source_new (SWEEP_INTERVAL_MS);
  g_source_set_callback (self->sweep, sweep_cb, self, NULL);
  g_source_attach (self->sweep, g_main_context_get_thread_default ());
}

void
_gls_peer_server_connections_stop (GlsPeerServer *self)
{
  GHashTableIter iter;
  Connection *conn;

  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
  if (self->accept_pause != NULL)
    {
      g_source_destroy (self->accept_pause);
      g_clear_pointer (&self->accept_pause, g_source_unref);
    }
  if (self->sweep != NULL)
    {
      g_source_destroy (self->sweep);
      g_clear_pointer (&self->sweep, g_source_unref);
    }
  if (self->listener != NULL)
    {
      g_socket_close (self->listener, NULL);
      g_clear_object (&self->listener);
    }
  /* soup_server_disconnect closes the ones libsoup still knows */
  if (self->connections != NULL)
    {
      g_hash_table_iter_init (&iter, self->connections);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
        {
          /* Shut down first: close alone does not wake a TLS handshake
           * blocked reading the socket in another thread, and libsoup's
           * close of the TLS stream would wait for that handshake. */
          g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
          g_socket_close (conn->socket, NULL);
          g_hash_table_iter_remove (&iter);
        }
    }
}
