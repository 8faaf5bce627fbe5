/* bench-peers.h: the peers the benchmarks run as processes: glossa
 * serve, and PouchDB Server from tests/interop
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "../test-util.h"

/* A message on stderr, after the benchmark's name. */
#define bench_warn(format, ...) g_printerr ("%s: " format, g_get_prgname (), __VA_ARGS__)

G_GNUC_UNUSED static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

G_GNUC_UNUSED static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_nonnull (socket);
  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* --- child processes --- */

typedef struct
{
  GSubprocess *process;
  char        *url;     /* the share link, or the server's base URL */
  char        *dir;     /* pouchdb-server's working dir */
} Child;

G_GNUC_UNUSED static void
child_stop (Child *child)
{
  if (child->process != NULL)
    {
      g_subprocess_send_signal (child->process, SIGTERM);
      g_subprocess_wait (child->process, NULL, NULL);
    }
  g_clear_object (&child->process);
  g_clear_pointer (&child->url, g_free);
  if (child->dir != NULL)
    test_rm_rf (child->dir);
  g_clear_pointer (&child->dir, g_free);
}

static char *glossa_bin;  /* set by main */

/* `glossa serve` of data_dir's default workspace on a free port, plain
 * HTTP (--http) or HTTPS; the URL is the share link it prints (with its
 * access key, and its pin over HTTPS). */
G_GNUC_UNUSED static gboolean
glossa_serve (const char *data_dir,
              gboolean    plain_http,
              Child      *child)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  const char *url;

  child->process = test_spawn (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               &error, glossa_bin, "serve", "--data-dir", data_dir,
                               "--workspace", "default", "--port", "0",
                               plain_http ? "--http" : NULL, NULL);
  if (child->process == NULL)
    {
      bench_warn ("cannot run %s: %s\n", glossa_bin, error->message);
      return FALSE;
    }
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  if (line == NULL || (url = strstr (line, plain_http ? "http://" : "https://")) == NULL)
    {
      bench_warn ("glossa serve printed no link (%s)\n",
                  error ? error->message : line ? line : "end of output");
      child_stop (child);
      return FALSE;
    }
  child->url = g_strndup (url, strcspn (url, " \t\n"));
  return TRUE;
}

G_GNUC_UNUSED static char *
find_pouchdb_server (const char *argv0)
{
  const char *rel = "tests/interop/node_modules/.bin/pouchdb-server";
  const char *source_dir = g_getenv ("GLOSSA_SOURCE_DIR");
  g_autofree char *dir = NULL;

  if (source_dir != NULL)
    {
      g_autofree char *path = g_build_filename (source_dir, rel, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&path);
    }
  /* The build dir is usually inside the checkout: look above it. */
  dir = g_canonicalize_filename (argv0, NULL);
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *parent = g_path_get_dirname (dir);
      g_autofree char *path = g_build_filename (parent, rel, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&path);
      g_free (dir);
      dir = g_steal_pointer (&parent);
    }
  return NULL;
}

static SoupSession *http;  /* set by main */

/* A blocking request to a server in another process. Returns the JSON. */
G_GNUC_UNUSED static JsonNode *
http_json (const char *method,
           const char *url,
           const char *body,
           guint      *status)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  g_assert_nonnull (msg);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "application/json");
  if (body != NULL)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  bytes = soup_session_send_and_read (http, msg, NULL, &error);
  *status = soup_message_get_status (msg);
  if (bytes == NULL)
    {
      *status = 0;
      return NULL;
    }
  node = json_from_string (g_bytes_get_data (bytes, NULL) ? (const char *) g_bytes_get_data (bytes, NULL) : "",
                           NULL);
  return node;
}

/* pouchdb-server (-m: in memory; else leveldb files) on a free port, in a temp dir (it writes config.json
 * and log.txt into its working directory). */
G_GNUC_UNUSED static gboolean
pouchdb_server (const char *bin,
                gboolean    in_memory,
                Child      *child)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *port_text = NULL;
  guint port = free_port ();

  child->dir = g_dir_make_tmp ("glossa-bench-pouch-XXXXXX", NULL);
  config = g_build_filename (child->dir, "config.json", NULL);
  g_assert_true (g_file_set_contents (config, "{\"log\":{\"level\":\"none\"}}\n", -1, NULL));
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_cwd (launcher, child->dir);
  port_text = g_strdup_printf ("%u", port);
  child->process = in_memory
                   ? g_subprocess_launcher_spawn (launcher, &error, bin, "-m", "-o", "127.0.0.1",
                                                  "-p", port_text, NULL)
                   : g_subprocess_launcher_spawn (launcher, &error, bin, "-o", "127.0.0.1",
                                                  "-p", port_text, NULL);
  if (child->process == NULL)
    {
      bench_warn ("cannot run %s: %s\n", bin, error->message);
      child_stop (child);
      return FALSE;
    }
  child->url = g_strdup_printf ("http://127.0.0.1:%u", port);
  for (guint i = 0; i < 300; i++)
    {
      guint status = 0;
      g_autoptr(JsonNode) root = http_json ("GET", child->url, NULL, &status);

      if (status == 200)
        return TRUE;
      g_usleep (100 * 1000);
    }
  bench_warn ("pouchdb-server did not start on %s\n", child->url);
  child_stop (child);
  return FALSE;
}

/* POST {target}/_replicate {"source": source, "target": db}; returns the
 * milliseconds and the documents written, or -1. */
G_GNUC_UNUSED static double
pouchdb_replicate (Child      *target,
                   const char *source,
                   const char *db,
                   gint64     *written)
{
  g_autofree char *db_url = g_strdup_printf ("%s/%s", target->url, db);
  g_autofree char *replicate_url = g_strdup_printf ("%s/_replicate", target->url);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autofree char *text = NULL;
  guint status = 0;
  gint64 start;
  double took;

  created = http_json ("PUT", db_url, NULL, &status);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, source);
  json_builder_set_member_name (builder, "target");
  json_builder_add_string_value (builder, db);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  text = json_to_string (body, FALSE);

  start = g_get_monotonic_time ();
  answer = http_json ("POST", replicate_url, text, &status);
  took = ms_since (start);
  if (status != 200 || answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer)
      || !json_object_get_boolean_member_with_default (json_node_get_object (answer), "ok", FALSE))
    {
      g_autofree char *shown = answer ? json_to_string (answer, FALSE) : g_strdup ("(no JSON)");

      bench_warn ("%s replicating %s: HTTP %u %.300s\n", target->url, source, status, shown);
      return -1;
    }
  *written = json_object_get_int_member_with_default (json_node_get_object (answer), "docs_written", 0);
  return took;
}

G_GNUC_UNUSED static gint64
pouchdb_doc_count (Child      *server,
                   const char *db)
{
  g_autofree char *url = g_strdup_printf ("%s/%s", server->url, db);
  guint status = 0;
  g_autoptr(JsonNode) info = http_json ("GET", url, NULL, &status);

  if (status != 200 || info == NULL || !JSON_NODE_HOLDS_OBJECT (info))
    return -1;
  return json_object_get_int_member_with_default (json_node_get_object (info), "doc_count", -1);
}

