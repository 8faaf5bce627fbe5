/* bench-serve-limits.c: what hostile peers cost `glossa serve` (issue 7,
 * point 4)
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * Prints one table, for a `glossa serve --http` child process:
 *
 *  - a 300 MB document streamed with its Content-Length: the answer, the
 *    time until it came, and the server's peak RSS (the goal: under
 *    64 MB; before, the document was held whole, 1.6 GB);
 *  - a body declared 4 GB: the time until the answer, before any of it
 *    is sent;
 *  - 10,000 keep-alive requests on connections the client closes: the
 *    server's descriptors and RSS before and after (libsoup 3.2 alone kept
 *    every such connection open; the server now closes them itself, and
 *    about 1 KB of libsoup's objects per connection stays).
 *
 * The glossa binary is $GLOSSA_BIN, or src/glossa of the build dir this
 * bench is in. BENCH_SERVE_MB changes the 300 MB.
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

#include "../test-util.h"

typedef struct
{
  GSubprocess *process;
  pid_t        pid;
  guint        port;
  char        *auth;
} Serve;

static guint64
status_kb (pid_t       pid,
           const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL) || !(line = strstr (status, field)))
    return 0;
  return g_ascii_strtoull (line + strlen (field), NULL, 10);
}

static guint
fd_count (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static int
connect_to (guint port)
{
  struct sockaddr_in addr = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  addr.sin_family = AF_INET;
  addr.sin_port = htons (port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0 || connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    g_error ("bench-serve-limits: cannot connect: %s", g_strerror (errno));
  return fd;
}

static gboolean
send_all (int         fd,
          const void *data,
          gsize       length)
{
  const char *p = data;

  while (length > 0)
    {
      gssize n = send (fd, p, length, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      length -= n;
    }
  return TRUE;
}

/* The status of the answer (0 if none), read up to its headers. */
static guint
read_status (int fd)
{
  char buffer[4096];
  gsize len = 0;

  while (len < sizeof buffer - 1)
    {
      gssize n = recv (fd, buffer + len, sizeof buffer - 1 - len, 0);

      if (n <= 0)
        break;
      len += n;
      buffer[len] = '\0';
      if (strstr (buffer, "\r\n\r\n") != NULL)
        break;
    }
  buffer[len] = '\0';
  return g_str_has_prefix (buffer, "HTTP/1.1 ") ? (guint) g_ascii_strtoull (buffer + 9, NULL, 10) : 0;
}

static void
serve_start (Serve      *serve,
             const char *glossa_bin,
             const char *data_dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GUri) uri = NULL;
  g_auto(GStrv) fields = NULL;
  g_autofree char *pair = NULL;
  g_autofree char *encoded = NULL;

  serve->process = test_spawn (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               &error, glossa_bin, "serve", "--http", "--data-dir", data_dir,
                               "--bind", "127.0.0.1", "--port", "0", NULL);
  if (serve->process == NULL)
    g_error ("bench-serve-limits: %s", error->message);
  serve->pid = g_ascii_strtoll (g_subprocess_get_identifier (serve->process), NULL, 10);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (serve->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  if (line == NULL)
    g_error ("bench-serve-limits: glossa serve printed no link");
  fields = g_strsplit (line, "  ", -1);
  if (g_strv_length (fields) < 2 || !(uri = g_uri_parse (fields[1], G_URI_FLAGS_HAS_PASSWORD, &error)))
    g_error ("bench-serve-limits: no link in “%s”", line);
  serve->port = g_uri_get_port (uri);
  pair = g_strdup_printf ("peer:%s", g_uri_get_password (uri));
  encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  serve->auth = g_strdup_printf ("Authorization: Basic %s\r\n", encoded);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *glossa_bin = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *head = NULL;
  g_autofree char *chunk = g_strnfill (65536, 'a');
  const char *mb_text = g_getenv ("BENCH_SERVE_MB");
  gsize size = (mb_text != NULL ? g_ascii_strtoull (mb_text, NULL, 10) : 300) * 1000 * 1000;
  const char *open_json = "{\"_id\":\"huge\",\"text\":\"";
  const char *close_json = "\"}";
  Serve serve = { 0 };
  guint64 rss_start, peak, rss_before, rss_after;
  guint fds_before, fds_after, status;
  gsize sent = 0;
  gint64 start;
  double doc_s, declared_ms, conns_s;
  int fd;

  signal (SIGPIPE, SIG_IGN);
  if (g_getenv ("GLOSSA_BIN") != NULL)
    glossa_bin = g_strdup (g_getenv ("GLOSSA_BIN"));
  else
    {
      g_autofree char *self = g_canonicalize_filename (argv[0], NULL);
      g_autofree char *bench_dir = g_path_get_dirname (self);

      glossa_bin = g_build_filename (bench_dir, "..", "..", "src", "glossa", NULL);
    }
  dir = g_dir_make_tmp ("bench-serve-limits-XXXXXX", NULL);
  serve_start (&serve, glossa_bin, dir);
  rss_start = status_kb (serve.pid, "VmRSS:");

  /* A document of `size` bytes, streamed. */
  head = g_strdup_printf ("PUT /default/huge HTTP/1.1\r\nHost: 127.0.0.1\r\n%s"
                          "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                          serve.auth, strlen (open_json) + size + strlen (close_json), open_json);
  start = g_get_monotonic_time ();
  fd = connect_to (serve.port);
  send_all (fd, head, strlen (head));
  while (sent < size && send_all (fd, chunk, MIN (65536, size - sent)))
    sent += MIN (65536, size - sent);
  if (sent == size)
    send_all (fd, close_json, strlen (close_json));
  status = read_status (fd);
  doc_s = (g_get_monotonic_time () - start) / 1e6;
  close (fd);
  peak = status_kb (serve.pid, "VmHWM:");
  g_printerr ("bench-serve-limits: %zu MB document: HTTP %u\n", size / 1000000, status);

  /* 4 GB declared, nothing sent. */
  g_free (head);
  head = g_strdup_printf ("PUT /default/declared HTTP/1.1\r\nHost: 127.0.0.1\r\n%s"
                          "Content-Type: application/json\r\nContent-Length: 4000000000\r\n\r\n",
                          serve.auth);
  start = g_get_monotonic_time ();
  fd = connect_to (serve.port);
  send_all (fd, head, strlen (head));
  status = read_status (fd);
  declared_ms = (g_get_monotonic_time () - start) / 1e3;
  close (fd);
  g_printerr ("bench-serve-limits: 4 GB declared: HTTP %u\n", status);

  /* 10,000 closed keep-alive connections. */
  g_usleep (3 * G_USEC_PER_SEC);   /* the refused ones above linger 2 s */
  fds_before = fd_count (serve.pid);
  rss_before = status_kb (serve.pid, "VmRSS:");
  g_free (head);
  head = g_strdup_printf ("GET /default HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n", serve.auth);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 10000; i++)
    {
      fd = connect_to (serve.port);
      send_all (fd, head, strlen (head));
      read_status (fd);
      close (fd);
    }
  conns_s = (g_get_monotonic_time () - start) / 1e6;
  g_usleep (G_USEC_PER_SEC);
  fds_after = fd_count (serve.pid);
  rss_after = status_kb (serve.pid, "VmRSS:");

  g_print ("| glossa serve, hostile peer | figure |\n");
  g_print ("| --- | --- |\n");
  g_print ("| RSS at start | %.1f MB |\n", rss_start / 1024.0);
  g_print ("| %zu MB document (413 document_too_large): peak RSS | %.1f MB (goal: < 64 MB) |\n",
           size / 1000000, peak / 1024.0);
  g_print ("| %zu MB document: time until the answer (client sending all) | %.2f s |\n",
           size / 1000000, doc_s);
  g_print ("| 4 GB declared (413 too_large): time until the answer | %.1f ms |\n", declared_ms);
  g_print ("| 10,000 closed keep-alive connections: time | %.1f s |\n", conns_s);
  g_print ("| 10,000 closed keep-alive connections: descriptors before, after | %u, %u |\n",
           fds_before, fds_after);
  g_print ("| 10,000 closed keep-alive connections: RSS before, after | %.1f MB, %.1f MB |\n",
           rss_before / 1024.0, rss_after / 1024.0);

  g_subprocess_send_signal (serve.process, SIGTERM);
  g_subprocess_wait (serve.process, NULL, NULL);
  g_clear_object (&serve.process);
  g_free (serve.auth);
  test_rm_rf (dir);
  return 0;
}
