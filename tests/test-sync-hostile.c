/* test-sync-hostile.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The server survives its peers (issue 7, points 4 and 8): a real
 * `glossa serve --http` (GLOSSA_BIN) at a descriptor limit of 1024 gets
 * hostile input over plain sockets: 10,000 keep-alive connections the
 * client closes, 2,000 connections with slow headers, a 300 MB document,
 * a declared body over the limit, a gzip bomb, 50,000 revs of one id in
 * _revs_diff, an id that is not UTF-8, a number JSON cannot hold. After
 * each, the database is unchanged and still serves, and where descriptors
 * are at stake, a normal pull still works. And the replicator against a
 * peer that accepts connections and never answers, and one whose answer
 * is too large. Times are printed, never asserted. */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "gls-peer-server.h"
#include "gls-replicator.h"
#include "gls-store.h"
#include "test-util.h"

#define SERVE_FD_LIMIT 1024

typedef struct
{
  char        *dir;
  GSubprocess *process;
  guint        port;
  char        *link;
  char        *auth;      /* "Authorization: Basic …" */
  pid_t        pid;
} Fixture;

/* --- helpers --- */

/* In the child, before exec: the limit the numbers are about. */
static void
limit_descriptors (gpointer user_data)
{
  struct rlimit limit = { SERVE_FD_LIMIT, SERVE_FD_LIMIT };

  setrlimit (RLIMIT_NOFILE, &limit);
  test_die_with_parent (NULL);
}

/* The test's own client sockets need more than the server has. */
static gboolean
raise_own_limit (rlim_t wanted)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return FALSE;
  if (limit.rlim_cur >= wanted)
    return TRUE;
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < wanted)
    return FALSE;
  limit.rlim_cur = wanted;
  return setrlimit (RLIMIT_NOFILE, &limit) == 0;
}

static guint
fd_count (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Peak resident memory of the process, in kB. */
static guint64
peak_rss_kb (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10);
}

static int
connect_to (guint port)
{
  struct sockaddr_in addr = { 0 };
  struct timeval timeout = { 30, 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  addr.sin_family = AF_INET;
  addr.sin_port = htons (port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (connect (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  return fd;
}

/* FALSE when the peer stopped reading (it answered early and closed). */
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

/* Reads one answer: its status (0 if the connection closed first) and
 * body (Content-Length, or up to the end of the stream). */
static guint
read_answer (int    fd,
             char **body)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gssize head_end = -1;   /* offset of the body, once the headers are in */
  gsize want = G_MAXSIZE;
  guint status = 0;
  char buffer[16384];

  for (;;)
    {
      gssize n;

      if (head_end < 0)
        {
          const char *end = strstr (text->str, "\r\n\r\n");

          if (end != NULL)
            {
              const char *length = strstr (text->str, "Content-Length: ");

              head_end = end + 4 - text->str;
              if (length != NULL && length < end)
                want = head_end + g_ascii_strtoull (length + 16, NULL, 10);
            }
        }
      if (text->len >= want)
        break;
      n = recv (fd, buffer, sizeof buffer, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      g_string_append_len (text, buffer, n);
    }
  if (g_str_has_prefix (text->str, "HTTP/1.1 "))
    status = g_ascii_strtoull (text->str + 9, NULL, 10);
  if (body != NULL)
    *body = head_end >= 0 ? g_strndup (text->str + head_end, text->len - head_end) : NULL;
  return status;
}

/* One request on a new connection; returns the status, sets *body. */
static guint
request (Fixture    *f,
         const char *method,
         const char *path,
         const char *content_type,
         const char *body,
         char      **answer)
{
  int fd = connect_to (f->port);
  g_autofree char *head =
    g_strdup_printf ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n"
                     "Content-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
                     method, path, f->auth, content_type != NULL ? content_type : "application/json",
                     body != NULL ? strlen (body) : 0);
  guint status;

  g_assert_true (send_all (fd, head, strlen (head)));
  if (body != NULL)
    g_assert_true (send_all (fd, body, strlen (body)));
  status = read_answer (fd, answer);
  close (fd);
  return status;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static void
assert_error (const char *body,
              const char *error)
{
  g_autoptr(JsonObject) object = parse_object (body);

  g_assert_cmpstr (json_object_get_string_member (object, "error"), ==, error);
  g_assert_true (json_object_has_member (object, "reason"));
}

/* "doc_count update_seq" of the database: what "unchanged" compares. */
static char *
db_state (Fixture *f)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) info = NULL;

  g_assert_cmpuint (request (f, "GET", "/default", NULL, NULL, &body), ==, 200);
  info = parse_object (body);
  return g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                          json_object_get_int_member (info, "doc_count"),
                          json_object_get_int_member (info, "update_seq"));
}

static void
put_doc (Fixture    *f,
         const char *id,
         const char *json)
{
  g_autofree char *path = g_strdup_printf ("/default/%s", id);
  g_autofree char *body = NULL;

  g_assert_cmpuint (request (f, "PUT", path, NULL, json, &body), ==, 201);
}

/* A normal pull of the whole database into a new store. */
static void
assert_pull_works (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "pulled.sqlite", NULL);
  g_autoptr(GlsStore) local = NULL;
  g_autoptr(GlsReplicator) repl = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) outcome = NULL;
  g_autofree char *state = db_state (f);

  g_remove (path);
  local = gls_store_open (path, &error);
  g_assert_no_error (error);
  repl = gls_replicator_new (local, f->link, GLS_REPLICATOR_DIRECTION_PULL);
  gls_replicator_set_max_retries (repl, 2);
  g_assert_true (test_replicator_run (repl, NULL, &outcome));
  g_assert_no_error (outcome);
  g_assert_cmpint (gls_store_get_doc_count (local), ==, g_ascii_strtoll (state, NULL, 10));
  g_assert_cmpint (gls_store_get_doc_count (local), >, 0);
}

/* Waits (up to `seconds`) for the server's descriptors to be back at `n`. */
static guint
wait_fd_count (Fixture *f,
               guint    n,
               guint    seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint now;

  /* Fewer is fine: a connection open when `n` was counted may have
   * closed since. More is a leak. */
  while ((now = fd_count (f->pid)) > n && g_get_monotonic_time () < end)
    g_usleep (50000);
  if (now > n)
    {
      /* What stayed open, for whoever reads a failed run's log. */
      g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int) f->pid);
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *link = g_build_filename (path, name, NULL);
          g_autofree char *target = g_file_read_link (link, NULL);

          g_test_message ("server fd %s: %s", name, target != NULL ? target : "?");
        }
    }
  return now;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GUri) uri = NULL;
  g_auto(GStrv) fields = NULL;
  g_autofree char *pair = NULL;
  g_autofree char *encoded = NULL;

  f->dir = test_data_dir_new ("glossa-hostile-XXXXXX");
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, limit_descriptors, NULL, NULL);
  f->process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("GLOSSA_BIN"), "serve", "--http",
                                            "--data-dir", f->dir, "--bind", "127.0.0.1", "--port", "0",
                                            NULL);
  g_assert_no_error (error);
  f->pid = g_ascii_strtoll (g_subprocess_get_identifier (f->process), NULL, 10);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  fields = g_strsplit (line, "  ", -1);
  g_assert_cmpuint (g_strv_length (fields), >=, 2);
  f->link = g_strdup (fields[1]);
  uri = g_uri_parse (f->link, G_URI_FLAGS_HAS_PASSWORD, &error);
  g_assert_no_error (error);
  f->port = g_uri_get_port (uri);
  pair = g_strdup_printf ("peer:%s", g_uri_get_password (uri));
  encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  f->auth = g_strdup_printf ("Authorization: Basic %s", encoded);

  put_doc (f, "first", "{\"n\":1}");
  put_doc (f, "second", "{\"n\":2,\"_attachments\":{\"a.txt\":{\"content_type\":\"text/plain\","
                        "\"data\":\"aGVsbG8=\"}}}");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL;

  /* Still serving: the process did not die under the test. */
  if (!g_test_failed ())
    state = db_state (f);
  g_subprocess_send_signal (f->process, SIGTERM);
  g_subprocess_wait (f->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&f->process);
  test_rm_rf (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->link, g_free);
  g_clear_pointer (&f->auth, g_free);
}

/* --- tests --- */

/* 10,000 keep-alive requests, half without a key (401), each on its own
 * connection that the client closes: the server's descriptors come back
 * to where they started (libsoup 3.2 alone kept each in CLOSE-WAIT, and
 * at 1024 stopped accepting for good). */
static void
test_closed_keep_alive (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *before = db_state (f);
  g_autofree char *after = NULL;
  guint start = wait_fd_count (f, fd_count (f->pid), 0);
  guint end;
  gint64 t0 = g_get_monotonic_time ();

  for (guint i = 0; i < 10000; i++)
    {
      gboolean keyed = i % 2 == 1;
      int fd = connect_to (f->port);
      g_autofree char *head =
        g_strdup_printf ("GET /default HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%s\r\n",
                         keyed ? f->auth : "", keyed ? "\r\n" : "");

      g_assert_true (send_all (fd, head, strlen (head)));
      g_assert_cmpuint (read_answer (fd, NULL), ==, keyed ? 200 : 401);
      close (fd);
    }
  g_test_message ("10,000 connections in %.1f s", (g_get_monotonic_time () - t0) / 1e6);
  end = wait_fd_count (f, start, 10);
  g_assert_cmpuint (end, <=, start);
  after = db_state (f);
  g_assert_cmpstr (after, ==, before);
  assert_pull_works (f);
}

/* 2,000 connections that send part of their headers and stop, more than
 * the server has descriptors: past 1024 it closes waiting connections to
 * accept new ones, the rest time out (10 s); none stays open, and then
 * the server serves as before. */
static void
test_slow_headers (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *before = db_state (f);
  g_autofree char *after = NULL;
  guint start = fd_count (f->pid);
  g_autoptr(GArray) fds = g_array_new (FALSE, FALSE, sizeof (int));
  const char *partial = "GET /default HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  guint closed = 0, refused = 0;
  gint64 t0;

  if (!raise_own_limit (4096))
    {
      g_test_skip ("the test itself cannot open 2,000 sockets (RLIMIT_NOFILE)");
      return;
    }
  for (guint i = 0; i < 2000; i++)
    {
      int fd = connect_to (f->port);

      /* A peer refused at the limit may be gone already. */
      send_all (fd, partial, strlen (partial));
      g_array_append_val (fds, fd);
    }
  g_assert_cmpuint (fd_count (f->pid), <=, SERVE_FD_LIMIT);

  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < fds->len; i++)
    {
      int fd = g_array_index (fds, int, i);
      char byte;
      gssize n = recv (fd, &byte, 1, 0);

      /* Closed by the server (end of stream or reset), or a 503. */
      if (n == 0 || (n < 0 && errno == ECONNRESET))
        closed++;
      else if (n == 1 && byte == 'H')
        refused++;
      close (fd);
    }
  g_test_message ("2,000 slow connections: %u closed, %u refused with 503, the last after %.1f s",
                  closed, refused, (g_get_monotonic_time () - t0) / 1e6);
  g_assert_cmpuint (closed + refused, ==, 2000);
  g_assert_cmpuint (wait_fd_count (f, start, 10), <=, start);
  after = db_state (f);
  g_assert_cmpstr (after, ==, before);
  assert_pull_works (f);
}

/* 1,100 longpolls, each holding a connection: at the limit, a new peer
 * is refused with 503 (not left hanging, and the server goes on
 * accepting); when the longpolls' clients go, their descriptors come back
 * and the server serves again. */
static void
test_fd_limit (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *before = db_state (f);
  g_autofree char *after = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *longpoll =
    g_strdup_printf ("GET /default/_changes?feed=longpoll&since=now&timeout=60000 HTTP/1.1\r\n"
                     "Host: 127.0.0.1\r\n%s\r\n\r\n", f->auth);
  g_autofree char *info =
    g_strdup_printf ("GET /default HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n\r\n", f->auth);
  g_autoptr(GArray) fds = g_array_new (FALSE, FALSE, sizeof (int));
  guint start = fd_count (f->pid);
  int fd;

  if (!raise_own_limit (4096))
    {
      g_test_skip ("the test itself cannot open 1,100 sockets (RLIMIT_NOFILE)");
      return;
    }
  for (guint i = 0; i < 1100; i++)
    {
      fd = connect_to (f->port);
      send_all (fd, longpoll, strlen (longpoll));
      g_array_append_val (fds, fd);
    }
  /* The server is at its limit once it accepted what it could. */
  while (fd_count (f->pid) < SERVE_FD_LIMIT - 2)
    g_usleep (50000);

  fd = connect_to (f->port);
  g_assert_true (send_all (fd, info, strlen (info)));
  g_assert_cmpuint (read_answer (fd, &answer), ==, 503);
  assert_error (answer, "service_unavailable");
  close (fd);

  for (guint i = 0; i < fds->len; i++)
    close (g_array_index (fds, int, i));
  g_assert_cmpuint (wait_fd_count (f, start, 10), <=, start);
  after = db_state (f);
  g_assert_cmpstr (after, ==, before);
  assert_pull_works (f);
}

/* A 300 MB document, streamed: 413 document_too_large once 8 MB of it
 * arrived, while the server holds far less than the document. */
static void
test_huge_document (Fixture       *f,
                    gconstpointer  data)
{
  const gsize size = 300 * 1000 * 1000;
  const char *head_json = "{\"_id\":\"huge\",\"text\":\"";
  const char *tail_json = "\"}";
  g_autofree char *before = db_state (f);
  g_autofree char *after = NULL;
  g_autofree char *head = NULL;
  g_autofree char *body = NULL;
  g_autofree char *chunk = g_strnfill (65536, 'a');
  g_autoptr(JsonObject) answer = NULL;
  int fd = connect_to (f->port);
  gsize sent = 0;
  guint64 peak;

  head = g_strdup_printf ("PUT /default/huge HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n"
                          "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                          f->auth, strlen (head_json) + size + strlen (tail_json), head_json);
  g_assert_true (send_all (fd, head, strlen (head)));
  while (sent < size && send_all (fd, chunk, MIN (65536, size - sent)))
    sent += MIN (65536, size - sent);
  if (sent == size)
    send_all (fd, tail_json, strlen (tail_json));
  g_assert_cmpuint (read_answer (fd, &body), ==, 413);
  close (fd);
  answer = parse_object (body);
  g_assert_cmpstr (json_object_get_string_member (answer, "error"), ==, "document_too_large");
  g_assert_cmpstr (json_object_get_string_member (answer, "reason"), ==, "huge");
  peak = peak_rss_kb (f->pid);
  g_test_message ("300 MB document refused; %zu MB sent; server peak RSS %" G_GUINT64_FORMAT " MB",
                  sent / 1000000, peak / 1024);
  g_assert_cmpuint (peak, <, 128 * 1024);
  after = db_state (f);
  g_assert_cmpstr (after, ==, before);
}

/* A body declared over max-body-size (1 GB) is answered from its
 * Content-Length, before a byte of it is sent. */
static void
test_declared_too_large (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *before = db_state (f);
  g_autofree char *after = NULL;
  g_autofree char *body = NULL;
  g_autofree char *head =
    g_strdup_printf ("PUT /default/big HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n"
                     "Content-Type: application/json\r\nContent-Length: 4000000000\r\n\r\n",
                     f->auth);
  const char *no_key =
    "POST /default/_bulk_docs HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    "Content-Type: application/json\r\nContent-Length: 500000000\r\n\r\n";
  int fd = connect_to (f->port);

  g_assert_true (send_all (fd, head, strlen (head)));
  g_assert_cmpuint (read_answer (fd, &body), ==, 413);
  assert_error (body, "too_large");
  close (fd);
  g_clear_pointer (&body, g_free);

  /* Without a key: 401 at once, not after 500 MB. */
  fd = connect_to (f->port);
  g_assert_true (send_all (fd, no_key, strlen (no_key)));
  g_assert_cmpuint (read_answer (fd, &body), ==, 401);
  assert_error (body, "unauthorized");
  close (fd);

  after = db_state (f);
  g_assert_cmpstr (after, ==, before);
}

/* A multipart/related document whose gzip attachment (about 500 KB)
 * inflates to 500 MB: refused, the server does not inflate it all. */
static void
test_gzip_bomb (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  g_autoptr(GByteArray) bomb = g_byte_array_new ();
  g_autofree char *zeros = g_malloc0 (1 << 20);
  g_autofree char *before = db_state (f);
  g_autofree char *after = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *head = NULL;
  const char *json =
    "{\"_id\":\"bomb\",\"_rev\":\"1-" "0123456789abcdef0123456789abcdef" "\","
    "\"_attachments\":{\"zeros.txt\":{\"content_type\":\"text/plain\",\"revpos\":1,"
    "\"follows\":true,\"encoding\":\"gzip\"}}}";
  guint8 out[65536];
  int fd;

  /* 500 MB of zeros, compressed a megabyte at a time. */
  for (guint i = 0; i <= 500; i++)
    {
      gsize read = 0, written = 0;
      gsize offset = 0;
      gsize length = i < 500 ? (1 << 20) : 0;
      GConverterResult result;

      do
        {
          g_autoptr(GError) error = NULL;

          result = g_converter_convert (G_CONVERTER (compressor), zeros + offset, length - offset,
                                        out, sizeof out,
                                        i < 500 ? G_CONVERTER_NO_FLAGS : G_CONVERTER_INPUT_AT_END,
                                        &read, &written, &error);
          g_assert_no_error (error);
          offset += read;
          g_byte_array_append (bomb, out, written);
        }
      while (offset < length || (i == 500 && result != G_CONVERTER_FINISHED));
    }
  g_test_message ("gzip bomb: %u KB, inflates to 500 MB", bomb->len / 1024);
  g_assert_cmpuint (bomb->len, <, 1 << 20);

  g_string_append_printf (body, "--bomb\r\nContent-Type: application/json\r\n\r\n%s\r\n"
                          "--bomb\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\n\r\n", json);
  g_string_append_len (body, (const char *) bomb->data, bomb->len);
  g_string_append (body, "\r\n--bomb--\r\n");
  head = g_strdup_printf ("PUT /default/bomb?new_edits=false HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n"
                          "Content-Type: multipart/related; boundary=\"bomb\"\r\n"
                          "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                          f->auth, body->len);
  fd = connect_to (f->port);
  g_assert_true (send_all (fd, head, strlen (head)));
  g_assert_true (send_all (fd, body->str, body->len));
  g_assert_cmpuint (read_answer (fd, &answer), ==, 413);
  close (fd);
  assert_error (answer, "too_large");
  g_test_message ("server peak RSS %" G_GUINT64_FORMAT " MB", peak_rss_kb (f->pid) / 1024);
  g_assert_cmpuint (peak_rss_kb (f->pid), <, 256 * 1024);
  after = db_state (f);
  g_assert_cmpstr (after, ==, before);
}

/* 50,000 revs of one id (2 MB): answered at once, and right: the rev the
 * server has and the duplicates are not missing. */
static void
test_revs_diff_many (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *before = db_state (f);
  g_autofree char *after = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *info = NULL;
  g_autoptr(GString) body = g_string_new ("{\"first\":[");
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) diff = NULL;
  JsonObject *entry;
  JsonArray *missing;
  const char *have;
  gint64 t0;

  g_assert_cmpuint (request (f, "GET", "/default/first", NULL, NULL, &info), ==, 200);
  doc = parse_object (info);
  have = json_object_get_string_member (doc, "_rev");
  for (guint i = 0; i < 50000; i++)
    {
      g_autofree char *hash = g_compute_checksum_for_data (G_CHECKSUM_MD5, (const guchar *) &i, sizeof i);

      if (i == 25000)
        g_string_append_printf (body, "\"%s\",", have);
      else if (i % 1000 == 999)
        g_string_append_printf (body, "\"2-%s\",", "0123456789abcdef0123456789abcdef");
      else
        g_string_append_printf (body, "\"%u-%s\",", i + 2, hash);
    }
  g_string_truncate (body, body->len - 1);
  g_string_append (body, "]}");
  g_assert_cmpuint (body->len, >, 2000000);

  t0 = g_get_monotonic_time ();
  g_assert_cmpuint (request (f, "POST", "/default/_revs_diff", NULL, body->str, &answer), ==, 200);
  g_test_message ("_revs_diff of 50,000 revs of one id: %.3f s", (g_get_monotonic_time () - t0) / 1e6);
  diff = parse_object (answer);
  entry = json_object_get_object_member (diff, "first");
  missing = json_object_get_array_member (entry, "missing");
  /* 50,000 - the one it has - 49 duplicates of 2-0123… */
  g_assert_cmpuint (json_array_get_length (missing), ==, 50000 - 1 - 49);
  for (guint i = 0; i < json_array_get_length (missing); i++)
    g_assert_cmpstr (json_array_get_string_element (missing, i), !=, have);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (entry, "possible_ancestors"), 0),
                   ==, have);
  after = db_state (f);
  g_assert_cmpstr (after, ==, before);
}

/* An id from the path that is not UTF-8 is refused as one in a body is
 * (stored, it broke every peer's pull on _changes). */
static void
test_path_not_utf8 (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *before = db_state (f);
  g_autofree char *after = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *changes = NULL;

  g_assert_cmpuint (request (f, "PUT", "/default/%FF%FE", NULL, "{\"n\":3}", &answer), ==, 400);
  assert_error (answer, "bad_request");
  g_clear_pointer (&answer, g_free);
  g_assert_cmpuint (request (f, "GET", "/default/a%C3", NULL, NULL, &answer), ==, 400);
  after = db_state (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (request (f, "GET", "/default/_changes", NULL, NULL, &changes), ==, 200);
  json_object_unref (parse_object (changes));
}

/* A number JSON cannot hold is refused, not stored as null. */
static void
test_number_out_of_range (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *before = db_state (f);
  g_autofree char *after = NULL;
  g_autofree char *answer = NULL;

  g_assert_cmpuint (request (f, "PUT", "/default/big-number", NULL, "{\"n\":1e400}", &answer), ==, 400);
  assert_error (answer, "bad_request");
  g_clear_pointer (&answer, g_free);
  g_assert_cmpuint (request (f, "POST", "/default/_bulk_docs", NULL,
                             "{\"docs\":[{\"_id\":\"big-number\",\"n\":-1e400}]}", &answer), ==, 400);
  after = db_state (f);
  g_assert_cmpstr (after, ==, before);
}

/* _changes?include_docs=true: each row carries its document. */
static void
test_changes_include_docs (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *answer = NULL;
  g_autoptr(JsonObject) changes = NULL;
  JsonArray *results;

  g_assert_cmpuint (request (f, "GET", "/default/_changes?include_docs=true", NULL, NULL, &answer), ==, 200);
  changes = parse_object (answer);
  results = json_object_get_array_member (changes, "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *row = json_array_get_object_element (results, i);
      JsonObject *doc = json_object_get_object_member (row, "doc");

      g_assert_nonnull (doc);
      g_assert_cmpstr (json_object_get_string_member (doc, "_id"), ==,
                       json_object_get_string_member (row, "id"));
      g_assert_cmpint (json_object_get_int_member (doc, "n"), ==, i + 1);
    }
}

/* Reads what the server sent so far, running its main loop meanwhile;
 * FALSE at the end of the stream. */
static gboolean
drain_nonblocking (int      fd,
                   GString *text)
{
  char buffer[4096];
  gssize n;

  g_main_context_iteration (NULL, TRUE);
  while ((n = recv (fd, buffer, sizeof buffer, MSG_DONTWAIT)) > 0)
    g_string_append_len (text, buffer, n);
  return n != 0 && (n > 0 || errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
}

/* An idle keep-alive connection is closed after the idle timeout (here
 * 1 s; GlsPeerServer in this process, so the timeout can be set). */
static void
test_idle_timeout (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("glossa-hostile-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(GlsStore) store = NULL;
  g_autoptr(GlsPeerServer) server = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  const char *request = "GET /db HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  gint64 t0;
  int fd;

  g_assert_no_error (error);
  path = g_build_filename (dir, "db.sqlite", NULL);
  store = gls_store_open (path, &error);
  g_assert_no_error (error);
  server = gls_peer_server_new (NULL);
  gls_peer_server_add_database (server, "db", store, &error);
  g_assert_no_error (error);
  gls_peer_server_set_timeouts (server, 1, 30);
  gls_peer_server_listen (server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);

  fd = connect_to (gls_peer_server_get_port (server));
  g_assert_true (send_all (fd, request, strlen (request)));
  while (strstr (text->str, "\r\n\r\n") == NULL || !g_str_has_suffix (text->str, "}\n"))
    g_assert_true (drain_nonblocking (fd, text));
  g_assert_true (g_str_has_prefix (text->str, "HTTP/1.1 200 "));
  g_assert_null (strstr (text->str, "Connection: close"));

  /* Then nothing: the server closes it. */
  t0 = g_get_monotonic_time ();
  while (drain_nonblocking (fd, text))
    ;
  g_test_message ("an idle connection closed after %.1f s", (g_get_monotonic_time () - t0) / 1e6);
  close (fd);
  gls_peer_server_disconnect (server);
  g_clear_object (&server);
  g_clear_object (&store);
  test_rm_rf (dir);
}

/* A peer that accepts connections and never answers costs the replicator
 * its timeout (here 1 s), then a retry, then the run fails as a network
 * error: it does not wait for ever. */
static void
test_silent_peer (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) outcome = NULL;
  g_autofree char *dir = g_dir_make_tmp ("glossa-hostile-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GlsStore) local = NULL;
  g_autoptr(GlsReplicator) repl = NULL;
  struct sockaddr_in addr = { 0 };
  socklen_t addr_len = sizeof addr;
  int listener = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  guint connections = 0;
  gint64 t0;
  int fd;

  g_assert_no_error (error);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (listener, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  /* The kernel completes the handshakes; nobody reads or answers. */
  g_assert_cmpint (listen (listener, 16), ==, 0);
  g_assert_cmpint (getsockname (listener, (struct sockaddr *) &addr, &addr_len), ==, 0);
  url = g_strdup_printf ("http://127.0.0.1:%u/default", ntohs (addr.sin_port));

  path = g_build_filename (dir, "local.sqlite", NULL);
  local = gls_store_open (path, &error);
  g_assert_no_error (error);
  repl = gls_replicator_new (local, url, GLS_REPLICATOR_DIRECTION_PULL);
  gls_replicator_set_max_retries (repl, 1);
  g_object_set (repl, "timeout", 1, NULL);
  t0 = g_get_monotonic_time ();
  g_assert_false (test_replicator_run (repl, NULL, &outcome));
  g_test_message ("a silent peer: the run failed after %.1f s: %s",
                  (g_get_monotonic_time () - t0) / 1e6, outcome->message);
  g_assert_error (outcome, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_NETWORK);
  /* The first attempt and its retry, each on a connection (on a loaded
   * machine libsoup may open one more while the first times out): a
   * bounded number, not a connection storm. */
  while ((fd = accept (listener, NULL, NULL)) >= 0)
    {
      connections++;
      close (fd);
    }
  g_assert_cmpuint (connections, >=, 2);
  g_assert_cmpuint (connections, <=, 3);
  close (listener);
  g_clear_object (&repl);
  g_clear_object (&local);
  test_rm_rf (dir);
}

/* A fake peer, in a thread: answers a request with a declared 2 GB body,
 * then waits for the client to close the connection. */
static int huge_answer_closed;

static gpointer
huge_answer_peer (gpointer data)
{
  int listener = GPOINTER_TO_INT (data);
  const char *answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                       "Content-Length: 2000000000\r\n\r\n{\"db_name\":\"";
  int fd = accept (listener, NULL, NULL);
  char buffer[4096];

  g_assert_cmpint (fd, >=, 0);
  if (recv (fd, buffer, sizeof buffer, 0) > 0)
    send_all (fd, answer, strlen (answer));
  /* until the client closes */
  while (recv (fd, buffer, sizeof buffer, 0) > 0)
    ;
  close (fd);
  g_atomic_int_set (&huge_answer_closed, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

/* A peer's answer is size-limited: one that declares 2 GB fails the run
 * at once, without a retry (it would be as large again). */
static void
test_huge_answer (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) outcome = NULL;
  g_autofree char *dir = g_dir_make_tmp ("glossa-hostile-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GlsStore) local = NULL;
  g_autoptr(GlsReplicator) repl = NULL;
  struct sockaddr_in addr = { 0 };
  socklen_t addr_len = sizeof addr;
  int listener = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  GThread *peer;

  g_assert_no_error (error);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (listener, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (listen (listener, 16), ==, 0);
  g_assert_cmpint (getsockname (listener, (struct sockaddr *) &addr, &addr_len), ==, 0);
  url = g_strdup_printf ("http://127.0.0.1:%u/default", ntohs (addr.sin_port));
  peer = g_thread_new ("huge-answer", huge_answer_peer, GINT_TO_POINTER (listener));

  path = g_build_filename (dir, "local.sqlite", NULL);
  local = gls_store_open (path, &error);
  g_assert_no_error (error);
  repl = gls_replicator_new (local, url, GLS_REPLICATOR_DIRECTION_PULL);
  gls_replicator_set_max_retries (repl, 3);
  g_assert_false (test_replicator_run (repl, NULL, &outcome));
  g_test_message ("a 2 GB answer: %s", outcome->message);
  g_assert_error (outcome, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL);
  /* The replicator dropped the connection, without reading the rest. */
  while (!g_atomic_int_get (&huge_answer_closed))
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&repl);
  g_thread_join (peer);
  close (listener);
  g_clear_object (&local);
  test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("GLOSSA_BIN") == NULL)
    {
      g_printerr ("GLOSSA_BIN is not set\n");
      return 77;
    }

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/sync/hostile/closed-keep-alive", test_closed_keep_alive);
  ADD ("/sync/hostile/slow-headers", test_slow_headers);
  ADD ("/sync/hostile/fd-limit", test_fd_limit);
  ADD ("/sync/hostile/huge-document", test_huge_document);
  ADD ("/sync/hostile/declared-too-large", test_declared_too_large);
  ADD ("/sync/hostile/gzip-bomb", test_gzip_bomb);
  ADD ("/sync/hostile/revs-diff-many", test_revs_diff_many);
  ADD ("/sync/hostile/path-not-utf8", test_path_not_utf8);
  ADD ("/sync/hostile/number-out-of-range", test_number_out_of_range);
  ADD ("/sync/hostile/changes-include-docs", test_changes_include_docs);
  g_test_add_func ("/sync/hostile/idle-timeout", test_idle_timeout);
  g_test_add_func ("/sync/hostile/silent-peer", test_silent_peer);
  g_test_add_func ("/sync/hostile/huge-answer", test_huge_answer);

  return g_test_run ();
}
