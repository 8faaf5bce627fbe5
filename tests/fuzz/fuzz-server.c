/* fuzz-server.c: a GlsPeerServer run in-process, one request per input
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fuzz-server"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <glib-unix.h>
#include <glib/gstdio.h>

#include "fuzz-common.h"
#include "fuzz-server.h"
#include "gls-json-parser.h"
#include "gls-peer-server.h"
#include "gls-store.h"

#define UUID "0123456789abcdef0123456789abcdef"
#define MAX_BODY (1024 * 1024)
#define FINALIZE_TIMEOUT_MS 10000

static char *dir;
static GBytes *template;
static guint n_created;

static void
write_template (const char *path)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, g_bytes_get_data (template, NULL), g_bytes_get_size (template),
                            &error))
    g_error ("%s", error->message);
}

void
fuzz_server_init (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GlsStore) store = NULL;
  char *contents;
  gsize len;

  dir = fuzz_make_dir ("fuzz-server");

  /* An empty store, copied for each input: quicker than making one. */
  path = g_build_filename (dir, "template.sqlite", NULL);
  store = gls_store_open (path, &error);
  fuzz_check (store != NULL, "%s", error->message);
  g_clear_object (&store);
  fuzz_drain_main_context ();
  if (!g_file_get_contents (path, &contents, &len, &error))
    g_error ("%s", error->message);
  template = g_bytes_new_take (contents, len);
  fuzz_remove_dir (dir);
  g_mkdir (dir, 0700);
}

static GlsStore *
create_store (GlsPeerServer  *server,
              const char     *name,
              gpointer        user_data,
              GError        **error)
{
  g_autofree char *file = g_strdup_printf ("created-%u.sqlite", n_created++);
  g_autofree char *path = g_build_filename (dir, file, NULL);

  write_template (path);
  return gls_store_open (path, error);
}

typedef struct
{
  int         fd;
  const char *request;
  gsize       length;
  gsize       sent;
  GByteArray *answer;
  gboolean    done;
  guint       watch;
} Client;

static gboolean
client_cb (int           fd,
           GIOCondition  condition,
           gpointer      user_data)
{
  Client *client = user_data;

  if (client->sent < client->length)
    {
      gssize n = send (fd, client->request + client->sent, client->length - client->sent,
                       MSG_NOSIGNAL | MSG_DONTWAIT);

      if (n > 0)
        client->sent += n;
      else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
        client->sent = client->length;  /* the server closed it: read what it said */
      if (client->sent == client->length)
        {
          /* From now on only reading. */
          client->watch = g_unix_fd_add (fd, G_IO_IN | G_IO_HUP | G_IO_ERR, client_cb, client);
          return G_SOURCE_REMOVE;
        }
    }

  for (;;)
    {
      guint8 buf[16384];
      gssize n = recv (fd, buf, sizeof buf, MSG_DONTWAIT);

      if (n > 0)
        {
          if (client->answer->len < 4 * MAX_BODY)
            g_byte_array_append (client->answer, buf, n);
          continue;
        }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return G_SOURCE_CONTINUE;
      client->done = TRUE;  /* the end, or a reset */
      client->watch = 0;
      return G_SOURCE_REMOVE;
    }
}

static gboolean
deadline_cb (gpointer user_data)
{
  gboolean *passed = user_data;

  *passed = TRUE;
  return G_SOURCE_REMOVE;
}

static int
connect_to (guint port)
{
  struct sockaddr_in addr = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;

  struct pollfd pfd;
  int error = 0;
  socklen_t len = sizeof error;

  fuzz_check (fd >= 0, "socket: %s", g_strerror (errno));
  addr.sin_family = AF_INET;
  addr.sin_port = htons (port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  /* Non-blocking: libFuzzer's SIGALRM would interrupt a blocking connect
   * (EINTR). Loopback: the kernel completes it before the server
   * accepts. */
  fuzz_check (g_unix_set_fd_nonblocking (fd, TRUE, NULL), "O_NONBLOCK");
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    {
      fuzz_check (errno == EINPROGRESS || errno == EINTR, "connect: %s", g_strerror (errno));
      pfd.fd = fd;
      pfd.events = POLLOUT;
      while (poll (&pfd, 1, -1) < 0)
        fuzz_check (errno == EINTR, "poll: %s", g_strerror (errno));
      fuzz_check (getsockopt (fd, SOL_SOCKET, SO_ERROR, &error, &len) == 0 && error == 0,
                  "connect: %s", g_strerror (error));
    }
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static GlsPeerServer *server;
static GlsStore *store;

void
fuzz_server_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "db.sqlite", NULL);

  write_template (path);
  store = gls_store_open (path, &error);
  fuzz_check (store != NULL, "%s", error->message);

  server = gls_peer_server_new (UUID);
  gls_peer_server_set_max_body_size (server, MAX_BODY);
  fuzz_check (gls_peer_server_add_database (server, "db", store, &error), "%s", error->message);
  fuzz_check (gls_peer_server_add_database (server, "locked", store, &error), "%s", error->message);
  gls_peer_server_set_keys (server, "locked", "key", "ro");
  gls_peer_server_set_create_func (server, create_store, NULL, NULL);
  fuzz_check (gls_peer_server_listen (server, "127.0.0.1", 0, &error), "%s", error->message);
}

GBytes *
fuzz_server_send (const char *request,
                  gsize       length,
                  guint       deadline_ms)
{
  Client client = { -1, request, length, 0, g_byte_array_new (), FALSE, 0 };
  gboolean passed = FALSE;
  guint deadline;

  g_assert (server != NULL);
  client.fd = connect_to (gls_peer_server_get_port (server));
  client.watch = g_unix_fd_add (client.fd, G_IO_OUT | G_IO_IN | G_IO_HUP | G_IO_ERR,
                                client_cb, &client);
  deadline = g_timeout_add (deadline_ms, deadline_cb, &passed);
  while (!client.done && !passed)
    g_main_context_iteration (NULL, TRUE);
  if (!passed)
    g_source_remove (deadline);
  if (client.watch != 0)
    g_source_remove (client.watch);
  /* Reset, not closed: every closed connection would keep its ports in
   * TIME_WAIT for a minute, and at a few hundred inputs a second the
   * ephemeral ports ran out (bind to port 0: EADDRINUSE). */
  setsockopt (client.fd, SOL_SOCKET, SO_LINGER, &(struct linger) { 1, 0 }, sizeof (struct linger));
  close (client.fd);

  return g_byte_array_free_to_bytes (client.answer);
}

void
fuzz_server_stop (void)
{
  gint64 until;

  /* Everything must let go of the server and the store: requests still
   * in a worker thread finish first. */
  g_object_add_weak_pointer (G_OBJECT (server), (gpointer *) &server);
  g_object_add_weak_pointer (G_OBJECT (store), (gpointer *) &store);
  gls_peer_server_disconnect (server);
  g_object_unref (server);
  g_object_unref (store);
  until = g_get_monotonic_time () + FINALIZE_TIMEOUT_MS * 1000;
  while ((server != NULL || store != NULL) && g_get_monotonic_time () < until)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  fuzz_check (server == NULL, "the server was not finalized %d ms after the requests",
              FINALIZE_TIMEOUT_MS);
  fuzz_check (store == NULL, "the store was not finalized %d ms after the requests",
              FINALIZE_TIMEOUT_MS);
  fuzz_drain_main_context ();
  fuzz_remove_dir (dir);
  g_mkdir (dir, 0700);
}

static gboolean
header_is (const char *line,
           gsize       len,
           const char *name)
{
  gsize n = strlen (name);

  return len > n && line[n] == ':' && g_ascii_strncasecmp (line, name, n) == 0;
}

char *
fuzz_server_request (const char *method,
                     const char *target,
                     const char *headers,
                     gsize       headers_length,
                     const char *body,
                     gsize       body_length,
                     gsize      *length)
{
  GString *out = g_string_new (NULL);
  const char *p = headers;
  const char *end = headers + headers_length;

  g_string_append_printf (out, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n", method, target);
  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      gsize len = (eol != NULL ? eol : end) - p;

      if (len > 0 && p[len - 1] == '\r')
        len--;
      if (len > 0 &&
          !header_is (p, len, "Host") && !header_is (p, len, "Content-Length") &&
          !header_is (p, len, "Transfer-Encoding") && !header_is (p, len, "Connection"))
        {
          g_string_append_len (out, p, len);
          g_string_append (out, "\r\n");
        }
      p = eol != NULL ? eol + 1 : end;
    }
  g_string_append_printf (out, "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                               "Connection: close\r\n\r\n", body_length);
  g_string_append_len (out, body, body_length);
  *length = out->len;
  return g_string_free (out, FALSE);
}

void
fuzz_server_check_answer (GBytes     *answer,
                          const char *method)
{
  gsize size;
  const char *text = g_bytes_get_data (answer, &size);
  const char *head_end;
  g_autofree char *head = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean json = FALSE;
  gint64 content_length = -1;
  guint status;

  if (g_getenv ("GLOSSA_FUZZ_VERBOSE") != NULL)
    fprintf (stderr, "answer: %.*s\n", (int) MIN (size, 600), text);
  if (size == 0)
    return;  /* cut off at the deadline, before anything was sent */
  /* libsoup answers a request it cannot parse with HTTP/1.0 400. */
  fuzz_check (size >= 12 && (memcmp (text, "HTTP/1.1 ", 9) == 0 || memcmp (text, "HTTP/1.0 ", 9) == 0),
              "not an HTTP answer: %.*s", (int) MIN (size, 200), text);
  head_end = g_strstr_len (text, size, "\r\n\r\n");
  if (head_end == NULL)
    return;
  head = g_strndup (text, head_end - text);
  lines = g_strsplit (head, "\r\n", -1);
  status = (guint) g_ascii_strtoull (lines[0] + 9, NULL, 10);
  fuzz_check (status >= 100 && status < 500, "status %u: %s", status, lines[0]);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      if (g_ascii_strncasecmp (lines[i], "Content-Type: application/json", 30) == 0)
        json = TRUE;
      else if (g_ascii_strncasecmp (lines[i], "Content-Length: ", 16) == 0)
        content_length = g_ascii_strtoll (lines[i] + 16, NULL, 10);
    }
  if (json && content_length > 0 && g_strcmp0 (method, "HEAD") != 0 &&
      (gsize) content_length == size - (head_end + 4 - text))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = gls_json_from_data (head_end + 4, content_length, &error);

      fuzz_check (node != NULL, "the answer is not JSON: %s\n  %.*s", error->message,
                  (int) MIN (content_length, 2000), head_end + 4);
    }
}
