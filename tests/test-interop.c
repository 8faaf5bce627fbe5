/* test-interop.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * Interoperability with third-party peers (issue 3, point 7): PouchDB
 * Server 4.2.0 (its replicator is PouchDB 7.3.1) and PouchDB 9 (through
 * tests/interop/pouchdb9-peer.js), both from tests/interop/node_modules,
 * which build-aux/glossa-dev installs. Each test starts its own
 * pouchdb-server (in memory, on a free loopback port) and a GlsPeerServer
 * in this process; the children die with this process (PR_SET_PDEATHSIG)
 * even when an assertion aborts it.
 *
 * "Holds exactly our documents" is checked by dumping both sides through
 * the same HTTP requests (_changes, then every document's open_revs=all
 * with revs and inline attachments, and its _conflicts) and comparing the
 * canonical JSON text.
 *
 * Cases: PouchDB Server pulls a workspace (POST /_replicate: one-shot,
 * again from its checkpoint, with the read-only key, live); Glossa pulls
 * from and pushes to it (one-shot with checkpoints, live both ways with
 * deletions and a quiet spell past the heartbeat); a PouchDB Server hub
 * between two workspaces; conflicts made there; awkward ids, numbers,
 * design documents and attachments through every path; pulls without
 * _bulk_get; access keys; `glossa sync` with it; PouchDB 9 both ways,
 * live, across a restart of our server, and pushing 80 MB in one batch.
 */

#define G_LOG_DOMAIN "test-interop"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "gls-peer-server.h"
#include "gls-replicator.h"
#include "gls-store.h"
#include "gls-text.h"
#include "gls-workspace.h"
#include "test-util.h"

#define H(c) c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c

/* Live mode must carry a document across within this (issue 3, 7b). */
#define LIVE_LIMIT_MS 2000

static char *node_path;
static char *pouchdb_server_js;
static char *peer9_js;
static char *samples_dir;

typedef struct
{
  char             *dir;
  GlsWorkspace     *workspace;
  GlsStore         *store;          /* the workspace's, served as "review" */
  GlsPeerServer    *server;
  char             *glossa;         /* http://127.0.0.1:PORT/ */
  char             *review;         /* http://127.0.0.1:PORT/review */
  char             *link;           /* http://peer:KEY@127.0.0.1:PORT/review */
  char             *auth;           /* Basic …, for the test's own requests */
  char             *read_only_link; /* the same with the read-only key */
  char             *key;
  char             *read_only_key;
  SoupServer       *proxy;          /* see start_proxy */
  guint             proxy_port;
  guint             bulk_get_refused;
  guint             open_revs_gets;
  GPtrArray        *extra_stores;   /* other stores served without keys */
  SoupSession      *session;
  GSubprocess      *pouchdb;
  char             *pouch;          /* http://127.0.0.1:PORT/ of pouchdb-server */
  GSubprocess      *peer9;
  GOutputStream    *peer9_in;
  GDataInputStream *peer9_out;
  GlsDesign        *design;
} Fixture;

/* --- main loop helpers --- */

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop (our peer server lives in it) until *done, failing
 * after `seconds`. */
static void
spin_until (const gboolean *done,
            guint           seconds,
            const char     *what)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint wake = g_timeout_add (50, wake_cb, NULL);

  while (!*done)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out after %u s waiting for %s", seconds, what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
}

static void
spin_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  guint wake = g_timeout_add (5, wake_cb, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
}

/* --- HTTP --- */

typedef struct
{
  gboolean  done;
  GBytes   *body;
  GError   *error;
} Pending;

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Pending *p = data;

  p->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &p->error);
  p->done = TRUE;
}

/* Returns the body, or NULL with *status 0 when the connection failed. */
static GBytes *
http_raw (Fixture    *f,
          const char *method,
          const char *url,
          const char *auth,
          const char *body,
          guint      *status)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  Pending p = { 0 };

  g_assert_nonnull (msg);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  if (auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &p);
  spin_until (&p.done, 120, url);
  if (p.error != NULL)
    {
      g_clear_error (&p.error);
      *status = 0;
      return NULL;
    }
  *status = soup_message_get_status (msg);
  return p.body;
}

/* A JSON answer with the expected status (0: any). */
static JsonNode *
http_json (Fixture    *f,
           const char *method,
           const char *url,
           const char *auth,
           const char *body,
           guint       expected_status,
           guint      *status_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *text = NULL;
  guint status = 0;
  gsize len;
  JsonNode *node;

  answer = http_raw (f, method, url, auth, body, &status);
  if (answer == NULL)
    g_error ("%s %s: connection failed", method, url);
  text = g_strndup (g_bytes_get_data (answer, &len), g_bytes_get_size (answer));
  if (expected_status != 0 && status != expected_status)
    g_error ("%s %s: expected %u, got %u: %s", method, url, expected_status, status, text);
  if (status_out != NULL)
    *status_out = status;
  node = json_from_string (text, &error);
  if (error != NULL)
    g_error ("%s %s: not JSON (%s): %s", method, url, error->message, text);
  return node;
}

/* A document id in a path, as PouchDB's encodeDocId does it: "_design/"
 * and "_local/" keep their slash, the rest is percent-encoded. */
static char *
escape (const char *id)
{
  g_autofree char *rest = NULL;

  if (g_str_has_prefix (id, "_design/") || g_str_has_prefix (id, "_local/"))
    {
      const char *slash = strchr (id, '/');
      g_autofree char *prefix = g_strndup (id, slash + 1 - id);

      rest = g_uri_escape_string (slash + 1, NULL, FALSE);
      return g_strconcat (prefix, rest, NULL);
    }
  return g_uri_escape_string (id, NULL, FALSE);
}

/* --- canonical JSON --- */

static int
cmp_str (gconstpointer a,
         gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static JsonNode *
canonical (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *in = json_node_get_object (node);
        g_autoptr(JsonObject) out = json_object_new ();
        g_autoptr(GList) names = json_object_get_members (in);
        g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

        for (GList *l = names; l != NULL; l = l->next)
          g_ptr_array_add (sorted, l->data);
        g_ptr_array_sort (sorted, cmp_str);
        for (guint i = 0; i < sorted->len; i++)
          json_object_set_member (out, g_ptr_array_index (sorted, i),
                                  canonical (json_object_get_member (in, g_ptr_array_index (sorted, i))));
        return json_node_init_object (json_node_alloc (), out);
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *in = json_node_get_array (node);
        g_autoptr(JsonArray) out = json_array_new ();

        for (guint i = 0; i < json_array_get_length (in); i++)
          json_array_add_element (out, canonical (json_array_get_element (in, i)));
        return json_node_init_array (json_node_alloc (), out);
      }
    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}

static char *
canonical_string (JsonNode *node)
{
  g_autoptr(JsonNode) c = canonical (node);

  return json_to_string (c, TRUE);
}

static const char *
leaf_rev (JsonNode *leaf)
{
  JsonObject *o = json_node_get_object (leaf);

  if (json_object_has_member (o, "ok"))
    return json_object_get_string_member (json_object_get_object_member (o, "ok"), "_rev");
  return json_object_get_string_member (o, "missing");
}

static int
cmp_leaf (gconstpointer a,
          gconstpointer b)
{
  return strcmp (leaf_rev (*(JsonNode **) a), leaf_rev (*(JsonNode **) b));
}

static JsonArray *
sorted_leaves (JsonArray *leaves)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
  JsonArray *out = json_array_new ();

  for (guint i = 0; i < json_array_get_length (leaves); i++)
    g_ptr_array_add (nodes, json_array_get_element (leaves, i));
  g_ptr_array_sort (nodes, cmp_leaf);
  for (guint i = 0; i < nodes->len; i++)
    json_array_add_element (out, json_node_copy (g_ptr_array_index (nodes, i)));
  return out;
}

/* Every document of the database at `db` (a URL without a trailing
 * slash), in the shape pouchdb9-peer.js's dump gives:
 * {id: {"winner","deleted","conflicts":[…],"leaves":[…]}}, plus the
 * database's doc_count under "#counts" (PouchDB Server has no
 * doc_del_count). */
typedef enum
{
  DUMP_DOCS       = 0,
  DUMP_COUNTS     = 1 << 0, /* add the database's doc_count */
  /* PouchDB sets an attachment's revpos to the generation of the revision
   * it arrives in with its data, which is how its replicator always sends
   * it: after PouchDB -> PouchDB too, an attachment kept since 1-x shows
   * revpos 2 in 2-y. Compare without revpos where PouchDB is the target. */
  DUMP_NO_REVPOS  = 1 << 1,
} DumpFlags;

static void
strip_revpos (JsonArray *leaves)
{
  for (guint i = 0; i < json_array_get_length (leaves); i++)
    {
      JsonObject *leaf = json_array_get_object_element (leaves, i);
      JsonObject *doc = json_object_has_member (leaf, "ok") ? json_object_get_object_member (leaf, "ok") : NULL;
      JsonObject *atts = NULL;
      g_autoptr(GList) names = NULL;

      if (doc != NULL && json_object_has_member (doc, "_attachments"))
        atts = json_object_get_object_member (doc, "_attachments");
      if (atts != NULL)
        names = json_object_get_members (atts);

      for (GList *l = names; l != NULL; l = l->next)
        json_object_remove_member (json_object_get_object_member (atts, l->data), "revpos");
    }
}

static char *
dump_http (Fixture    *f,
           const char *db,
           const char *auth,
           DumpFlags   flags)
{
  g_autofree char *changes_url = g_strconcat (db, "/_changes", NULL);
  g_autoptr(JsonNode) changes = http_json (f, "GET", changes_url, auth, NULL, 200, NULL);
  JsonArray *results = json_object_get_array_member (json_node_get_object (changes), "results");
  g_autoptr(JsonObject) out = json_object_new ();
  g_autoptr(JsonNode) root = NULL;

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *row = json_array_get_object_element (results, i);
      const char *id = json_object_get_string_member (row, "id");
      gboolean deleted = json_object_get_boolean_member_with_default (row, "deleted", FALSE);
      g_autofree char *esc = escape (id);
      g_autofree char *leaves_url = g_strdup_printf ("%s/%s?open_revs=all&revs=true&attachments=true", db, esc);
      g_autoptr(JsonNode) leaves = http_json (f, "GET", leaves_url, auth, NULL, 200, NULL);
      JsonObject *entry = json_object_new ();
      JsonArray *conflicts = json_array_new ();

      json_object_set_string_member (entry, "winner",
                                     json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (row, "changes"), 0), "rev"));
      json_object_set_boolean_member (entry, "deleted", deleted);
      if (!deleted)
        {
          g_autofree char *doc_url = g_strdup_printf ("%s/%s?conflicts=true", db, esc);
          g_autoptr(JsonNode) doc = http_json (f, "GET", doc_url, auth, NULL, 200, NULL);
          JsonObject *o = json_node_get_object (doc);
          g_autoptr(GPtrArray) revs = g_ptr_array_new ();

          /* The winner of GET is the winner of _changes. */
          g_assert_cmpstr (json_object_get_string_member (o, "_rev"), ==,
                           json_object_get_string_member (entry, "winner"));
          if (json_object_has_member (o, "_conflicts"))
            {
              JsonArray *c = json_object_get_array_member (o, "_conflicts");

              for (guint j = 0; j < json_array_get_length (c); j++)
                g_ptr_array_add (revs, (gpointer) json_array_get_string_element (c, j));
            }
          g_ptr_array_sort (revs, cmp_str);
          for (guint j = 0; j < revs->len; j++)
            json_array_add_string_element (conflicts, g_ptr_array_index (revs, j));
        }
      json_object_set_array_member (entry, "conflicts", conflicts);
      if (flags & DUMP_NO_REVPOS)
        strip_revpos (json_node_get_array (leaves));
      json_object_set_array_member (entry, "leaves", sorted_leaves (json_node_get_array (leaves)));
      json_object_set_object_member (out, id, entry);
    }
  if (flags & DUMP_COUNTS)
    {
      g_autoptr(JsonNode) info = http_json (f, "GET", db, auth, NULL, 200, NULL);
      JsonObject *c = json_object_new ();

      json_object_set_int_member (c, "doc_count", json_object_get_int_member (json_node_get_object (info), "doc_count"));
      json_object_set_object_member (out, "#counts", c);
    }
  root = json_node_init_object (json_node_alloc (), out);
  return canonical_string (root);
}

/* Two dumps must be the same text; when not, both are written to the
 * temporary directory for a diff. */
static void
assert_same_dump (const char *ours,
                  const char *theirs)
{
  if (g_strcmp0 (ours, theirs) != 0)
    {
      g_autofree char *a = g_build_filename (g_get_tmp_dir (), "glossa-interop-ours.json", NULL);
      g_autofree char *b = g_build_filename (g_get_tmp_dir (), "glossa-interop-theirs.json", NULL);

      g_file_set_contents (a, ours, -1, NULL);
      g_file_set_contents (b, theirs, -1, NULL);
      g_test_message ("dumps differ: diff %s %s", a, b);
    }
  g_assert_cmpstr (ours, ==, theirs);
}

/* --- child processes --- */

static void
start_pouchdb_server (Fixture *f)
{
  g_autofree char *cwd = g_build_filename (f->dir, "pouchdb-server", NULL);
  g_autofree char *config = g_build_filename (cwd, "config.json", NULL);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *config_text = NULL;
  g_autofree char *uuid_member = NULL;
  g_autoptr(GError) error = NULL;

  /* Our own uuid: GET / proves that the server on the port is ours. */
  config_text = g_strdup_printf ("{\"log\":{\"level\":\"none\"},\"couchdb\":{\"uuid\":\"%s\"}}\n", uuid);
  uuid_member = g_strdup_printf ("\"uuid\":\"%s\"", uuid);
  g_assert_cmpint (g_mkdir_with_parents (cwd, 0700), ==, 0);
  g_assert_true (g_file_set_contents (config, config_text, -1, &error));

  /* A free port may be taken between our probe and its bind: try again. */
  for (guint attempt = 0; attempt < 3; attempt++)
    {
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
      g_autofree char *port = g_strdup_printf ("%u", test_quiet_port ());
      gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

      g_subprocess_launcher_set_cwd (launcher, cwd);
      g_subprocess_launcher_set_child_setup (launcher, test_die_with_parent, NULL, NULL);
      f->pouchdb = g_subprocess_launcher_spawn (launcher, &error,
                                                node_path, pouchdb_server_js,
                                                "-m", "-o", "127.0.0.1", "-p", port, NULL);
      g_assert_no_error (error);
      g_free (f->pouch);
      f->pouch = g_strdup_printf ("http://127.0.0.1:%s/", port);

      while (g_get_monotonic_time () < deadline)
        {
          guint status = 0;
          g_autoptr(GBytes) body = http_raw (f, "GET", f->pouch, NULL, NULL, &status);

          if (status == 200 && body != NULL &&
              g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), uuid_member) != NULL)
            return;
          if (g_subprocess_get_identifier (f->pouchdb) == NULL)
            break; /* exited */
          spin_for (100);
        }
      g_subprocess_force_exit (f->pouchdb);
      g_subprocess_wait (f->pouchdb, NULL, NULL);
      g_clear_object (&f->pouchdb);
    }
  g_error ("pouchdb-server did not start (%s %s)", node_path, pouchdb_server_js);
}

static void
stop_child (GSubprocess **child)
{
  if (*child == NULL)
    return;
  g_subprocess_force_exit (*child);
  g_subprocess_wait (*child, NULL, NULL);
  g_clear_object (child);
}

static void
start_peer9 (Fixture *f)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_set_cwd (launcher, f->dir);
  g_subprocess_launcher_set_child_setup (launcher, test_die_with_parent, NULL, NULL);
  f->peer9 = g_subprocess_launcher_spawn (launcher, &error, node_path, peer9_js, NULL);
  g_assert_no_error (error);
  f->peer9_in = g_object_ref (g_subprocess_get_stdin_pipe (f->peer9));
  f->peer9_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->peer9));
}

typedef struct
{
  gboolean  done;
  char     *line;
  GError   *error;
} LineRead;

static void
line_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  LineRead *r = data;

  r->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &r->error);
  r->done = TRUE;
}

/* Sends one command to the PouchDB 9 peer and returns its answer,
 * {"ok":true,"result":…} or {"ok":false,"error":…,"status":…}. */
static JsonNode *
peer9_answer (Fixture    *f,
              const char *command)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_strconcat (command, "\n", NULL);

  g_assert_true (g_output_stream_write_all (f->peer9_in, line, strlen (line), NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_flush (f->peer9_in, NULL, &error));

  for (;;)
    {
      LineRead r = { 0 };
      JsonNode *answer;

      g_data_input_stream_read_line_async (f->peer9_out, G_PRIORITY_DEFAULT, NULL, line_cb, &r);
      spin_until (&r.done, 120, command);
      g_assert_no_error (r.error);
      if (r.line == NULL)
        g_error ("pouchdb9-peer.js exited while answering %s", command);
      if (!g_str_has_prefix (r.line, "@@ "))
        {
          g_test_message ("pouchdb9-peer.js: %s", r.line);
          g_free (r.line);
          continue;
        }
      answer = json_from_string (r.line + 3, &error);
      g_assert_no_error (error);
      g_free (r.line);
      return answer;
    }
}

/* The same, returning the "result" and failing the test when the peer
 * answers an error. */
static JsonNode *
peer9 (Fixture    *f,
       const char *command)
{
  g_autoptr(JsonNode) answer = peer9_answer (f, command);
  JsonObject *o = json_node_get_object (answer);

  if (!json_object_get_boolean_member (o, "ok"))
    g_error ("pouchdb9-peer.js failed %s: %s", command, json_object_get_string_member (o, "error"));
  return json_node_copy (json_object_get_member (o, "result"));
}

/* --- fixture --- */

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *key = NULL;
  g_autofree char *read_only_key = NULL;
  g_autofree char *userinfo = NULL;
  g_autofree char *b64 = NULL;

  f->dir = test_data_dir_new ("glossa-interop-XXXXXX");
  data_dir = g_build_filename (f->dir, "data", NULL);
  f->session = soup_session_new ();
  f->extra_stores = g_ptr_array_new_with_free_func (g_object_unref);

  f->workspace = gls_workspace_open (data_dir, "review", &error);
  g_assert_no_error (error);
  f->store = g_object_ref (gls_workspace_get_store (f->workspace));

  f->review = test_server_start (f->store, "review", NULL, &f->server);
  key = gls_peer_server_generate_key ();
  read_only_key = gls_peer_server_generate_key ();
  gls_peer_server_set_keys (f->server, "review", key, read_only_key);
  f->key = g_strdup (key);
  f->read_only_key = g_strdup (read_only_key);
  f->glossa = gls_peer_server_dup_uri (f->server);
  f->link = g_strdup_printf ("http://peer:%s@127.0.0.1:%u/review", key, gls_peer_server_get_port (f->server));
  f->read_only_link = g_strdup_printf ("http://peer:%s@127.0.0.1:%u/review", read_only_key,
                                       gls_peer_server_get_port (f->server));
  userinfo = g_strconcat ("peer:", key, NULL);
  b64 = g_base64_encode ((const guchar *) userinfo, strlen (userinfo));
  f->auth = g_strconcat ("Basic ", b64, NULL);

  start_pouchdb_server (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->peer9_in != NULL)
    g_output_stream_close (f->peer9_in, NULL, NULL);
  stop_child (&f->peer9);
  g_clear_object (&f->peer9_in);
  g_clear_object (&f->peer9_out);
  stop_child (&f->pouchdb);
  if (f->proxy != NULL)
    soup_server_disconnect (f->proxy);
  g_clear_object (&f->proxy);
  gls_peer_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->design);
  g_clear_object (&f->store);
  g_clear_object (&f->workspace);
  g_clear_pointer (&f->extra_stores, g_ptr_array_unref);
  g_clear_object (&f->session);
  test_data_dir_free (f->dir);
  g_free (f->glossa);
  g_free (f->review);
  g_free (f->link);
  g_free (f->read_only_link);
  g_free (f->key);
  g_free (f->read_only_key);
  g_free (f->auth);
  g_free (f->pouch);
}

/* A store of our own, served without a key at glossa/NAME. */
static GlsStore *
serve_new_store (Fixture    *f,
                 const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_strconcat (name, ".sqlite", NULL);
  g_autofree char *path = g_build_filename (f->dir, file, NULL);
  GlsStore *store = gls_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (gls_peer_server_add_database (f->server, name, store, &error));
  g_assert_no_error (error);
  g_ptr_array_add (f->extra_stores, store);
  return store;
}

static char *
glossa_db (Fixture    *f,
           const char *name)
{
  return g_strconcat (f->glossa, name, NULL);
}

static char *
pouch_db (Fixture    *f,
          const char *name)
{
  return g_strconcat (f->pouch, name, NULL);
}

static void
pouch_create (Fixture    *f,
              const char *name)
{
  g_autofree char *url = pouch_db (f, name);
  g_autoptr(JsonNode) answer = http_json (f, "PUT", url, NULL, NULL, 201, NULL);
}

/* --- content --- */

static void
store_put_revs (GlsStore   *store,
                const char *json_array)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json_array, &error);
  g_autoptr(JsonArray) answers = NULL;

  g_assert_no_error (error);
  answers = gls_store_bulk_docs (store, json_node_get_array (node), FALSE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (answers); i++)
    g_assert_false (json_object_has_member (json_array_get_object_element (answers, i), "error"));
}

/* Ids that need escaping in a path (and a design document), bodies with
 * escapes, unicode, deep nesting and numbers that json-glib 1.6 prints
 * badly (1e21 came out as "1e+21.0"). */
static const char *awkward_ids[] = {
  "a b", "a+b", "q?x#y", "100%", "slash/in/id", "ünïcödé ✓", "_design/app", "-dash", "~tilde",
};

static char *
awkward_doc (guint i)
{
  return g_strdup_printf ("{\"_id\":\"%s\",\"i\":%u,\"deep\":{\"a\":[{\"b\":[[[\"c\"]]]}]},"
                          "\"text\":\"quote \\\" backslash \\\\ tab \\t nl \\n é 😀\","
                          "\"nums\":[0.1,-0.5,1e-7,123456789012,3.14159,-17,1e21]}",
                          awkward_ids[i], i);
}

static void
fill_awkward (GlsStore *store)
{
  for (guint i = 0; i < G_N_ELEMENTS (awkward_ids); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = awkward_doc (i);
      g_autoptr(JsonNode) doc = json_from_string (text, &error);
      g_autofree char *rev = NULL;

      g_assert_no_error (error);
      rev = gls_store_put (store, json_node_get_object (doc), &error);
      g_assert_no_error (error);
    }

  /* A long history: _revisions lists every ancestor. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = json_from_string ("{\"_id\":\"long-history\",\"edit\":0}", &error);
    JsonObject *doc = json_node_get_object (node);

    g_assert_no_error (error);
    for (guint i = 1; i <= 40; i++)
      {
        g_autofree char *rev = gls_store_put (store, doc, &error);

        g_assert_no_error (error);
        json_object_set_string_member (doc, "_rev", rev);
        json_object_set_int_member (doc, "edit", i);
      }
  }
}

static void
fill_plain (GlsStore *store,
            guint     n)
{
  g_autoptr(GString) docs = g_string_new ("[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (docs, "%s{\"_id\":\"plain-%04u\",\"_rev\":\"1-%032x\",\"n\":%u}",
                            i > 0 ? "," : "", i, i * 7919 + 1, i);
  g_string_append (docs, "]");
  store_put_revs (store, docs->str);
}

/* Conflicting branches, as a peer merging two offline histories makes
 * them: a three-way conflict, a live gen-2 leaf against a deleted gen-3
 * one (the live one wins), a document whose every leaf is deleted, and
 * two unrelated roots. */
#define CONFLICT_DOCS \
  "[{\"_id\":\"conf-a\",\"_rev\":\"2-" H ("b") "\",\"side\":\"b\"," \
  "\"_revisions\":{\"start\":2,\"ids\":[\"" H ("b") "\",\"" H ("1") "\"]}}," \
  "{\"_id\":\"conf-a\",\"_rev\":\"2-" H ("c") "\",\"side\":\"c\"," \
  "\"_revisions\":{\"start\":2,\"ids\":[\"" H ("c") "\",\"" H ("1") "\"]}}," \
  "{\"_id\":\"conf-a\",\"_rev\":\"3-" H ("0") "\",\"side\":\"d\",\"n\":[1,2.5,{\"x\":null}]," \
  "\"_revisions\":{\"start\":3,\"ids\":[\"" H ("0") "\",\"" H ("d") "\",\"" H ("1") "\"]}}," \
  "{\"_id\":\"conf-b\",\"_rev\":\"2-" H ("2") "\",\"alive\":true," \
  "\"_revisions\":{\"start\":2,\"ids\":[\"" H ("2") "\",\"" H ("1") "\"]}}," \
  "{\"_id\":\"conf-b\",\"_rev\":\"3-" H ("f") "\",\"_deleted\":true," \
  "\"_revisions\":{\"start\":3,\"ids\":[\"" H ("f") "\",\"" H ("e") "\",\"" H ("1") "\"]}}," \
  "{\"_id\":\"conf-c\",\"_rev\":\"2-" H ("3") "\",\"_deleted\":true," \
  "\"_revisions\":{\"start\":2,\"ids\":[\"" H ("3") "\",\"" H ("1") "\"]}}," \
  "{\"_id\":\"conf-c\",\"_rev\":\"2-" H ("4") "\",\"_deleted\":true," \
  "\"_revisions\":{\"start\":2,\"ids\":[\"" H ("4") "\",\"" H ("1") "\"]}}," \
  "{\"_id\":\"conf-d\",\"_rev\":\"1-" H ("a") "\",\"root\":\"a\"}," \
  "{\"_id\":\"conf-d\",\"_rev\":\"1-" H ("5") "\",\"root\":\"5\"}]"

/* The winners the rule (live first, then generation, then rev) picks. */
static const struct { const char *id; const char *winner; guint leaves; } conflict_winners[] = {
  { "conf-a", "3-" H ("0"), 3 },
  { "conf-b", "2-" H ("2"), 2 },
  { "conf-c", "2-" H ("4"), 2 },
  { "conf-d", "1-" H ("a"), 2 },
};

/* A real review: the board photo, comments on a point, a region and the
 * whole design, replies (one to a reply), an edit, a resolve, a deleted
 * comment, and some conflicting documents. */
static void
fill_workspace (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (samples_dir, "board.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GlsSelector point = { GLS_SELECTOR_POINT, 0, 120, 80, 0, 0 };
  GlsSelector rect = { GLS_SELECTOR_RECT, 0, 10, 20, 300, 150 };
  g_autoptr(GlsAnnotation) c1 = NULL;
  g_autoptr(GlsAnnotation) c2 = NULL;
  g_autoptr(GlsAnnotation) c3 = NULL;
  g_autoptr(GlsAnnotation) r1 = NULL;
  g_autoptr(GlsAnnotation) r2 = NULL;
  g_autoptr(GlsAnnotation) e1 = NULL;
  g_autoptr(GlsAnnotation) s1 = NULL;
  const char *design_id;

  f->design = gls_workspace_add_design (f->workspace, file, "Board, rev B", NULL, &error);
  g_assert_no_error (error);
  design_id = gls_design_get_id (f->design);
  c1 = gls_workspace_comment (f->workspace, design_id, &point, "Is this LED reversed?", &error);
  g_assert_no_error (error);
  c2 = gls_workspace_comment (f->workspace, design_id, &rect, "Silkscreen overlaps the pad — «ü»", &error);
  g_assert_no_error (error);
  c3 = gls_workspace_comment (f->workspace, design_id, NULL, "Whole board: looks fine", &error);
  g_assert_no_error (error);
  r1 = gls_workspace_reply (f->workspace, gls_annotation_get_id (c1), "Yes, flip it", &error);
  g_assert_no_error (error);
  r2 = gls_workspace_reply (f->workspace, gls_annotation_get_id (r1), "Done in rev C", &error);
  g_assert_no_error (error);
  e1 = gls_workspace_edit (f->workspace, gls_annotation_get_id (c1), "Is LED D3 reversed?", &error);
  g_assert_no_error (error);
  s1 = gls_workspace_set_resolved (f->workspace, gls_annotation_get_id (c2), TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (gls_workspace_delete (f->workspace, gls_annotation_get_id (c3), &error));
  g_assert_no_error (error);
  store_put_revs (f->store, CONFLICT_DOCS);
}

/* Runs a replicator to its end (one-shot). */
typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} RunResult;

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      data)
{
  RunResult *r = data;

  r->ok = gls_replicator_run_finish (GLS_REPLICATOR (source), result, &r->error);
  r->done = TRUE;
}

static GlsReplicator *
replicate (GlsStore               *store,
           const char             *url,
           GlsReplicatorDirection  direction)
{
  GlsReplicator *repl = gls_replicator_new (store, url, direction);
  RunResult r = { 0 };

  gls_replicator_run_async (repl, NULL, run_cb, &r);
  spin_until (&r.done, 60, url);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_cmpint (gls_replicator_get_state (repl), ==, GLS_REPLICATOR_STATE_IDLE);
  return repl;
}

static void
assert_attachment (Fixture    *f,
                   const char *url,
                   const char *auth)
{
  g_autofree char *path = g_build_filename (samples_dir, "board.png", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GBytes) got = NULL;
  g_autoptr(GError) error = NULL;
  gsize expected_len;
  guint status = 0;

  g_assert_true (g_file_get_contents (path, &expected, &expected_len, &error));
  got = http_raw (f, "GET", url, auth, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got), expected, expected_len);
}

/* POST /_replicate on pouchdb-server: its PouchDB 7.3.1 replicator. */
static void
pouch_replicate_full (Fixture    *f,
                      const char *source,
                      const char *target,
                      gboolean    continuous,
                      gint64      expect_written)
{
  g_autofree char *url = g_strconcat (f->pouch, "_replicate", NULL);
  g_autofree char *body = g_strdup_printf ("{\"source\":\"%s\",\"target\":\"%s\",\"continuous\":%s}",
                                           source, target, continuous ? "true" : "false");
  g_autoptr(JsonNode) answer = http_json (f, "POST", url, NULL, body, 200, NULL);
  JsonObject *o = json_node_get_object (answer);

  g_assert_true (json_object_get_boolean_member (o, "ok"));
  if (continuous)
    return; /* it answers at once and goes on */
  g_assert_cmpint (json_object_get_int_member (o, "doc_write_failures"), ==, 0);
  if (expect_written >= 0)
    g_assert_cmpint (json_object_get_int_member (o, "docs_written"), ==, expect_written);
}

static void
pouch_replicate (Fixture    *f,
                 const char *source,
                 const char *target,
                 gint64      expect_written)
{
  pouch_replicate_full (f, source, target, FALSE, expect_written);
}

static double wait_on_http (Fixture    *f,
                            const char *url,
                            const char *auth,
                            gint64      start);

static gboolean store_has (GlsStore   *store,
                           const char *id);
static char *peer9_dump (Fixture *f);
static void start_peer9 (Fixture *f);
static void pouch_fill (Fixture    *f,
                        const char *name);
static void assert_replication_ok (JsonNode *result,
                                   gint64    written);

/* --- a. PouchDB Server pulls a workspace through POST /_replicate --- */

static void
test_pouchdb_server_pulls (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *pouch = pouch_db (f, "mirror");
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *att_ours = NULL;
  g_autofree char *att_theirs = NULL;
  g_autofree char *esc = NULL;
  g_autoptr(GlsAnnotation) late = NULL;
  g_autoptr(GError) error = NULL;

  fill_workspace (f);
  fill_awkward (f->store);
  /* More than PouchDB's batch of 100: several _changes pages. */
  fill_plain (f->store, 250);
  pouch_replicate (f, f->link, "mirror", -1);

  ours = dump_http (f, f->review, f->auth, DUMP_COUNTS);
  theirs = dump_http (f, pouch, NULL, DUMP_COUNTS);
  assert_same_dump (ours, theirs);
  /* The dump did see the content it compares, signatures included. */
  g_assert_nonnull (strstr (ours, "\"proofValue\""));
  g_assert_nonnull (strstr (ours, "\"conf-a\""));
  g_assert_nonnull (strstr (ours, "Is LED D3 reversed?"));
  g_assert_nonnull (strstr (ours, "\"content_type\" : \"image/png\""));

  /* The file itself, byte for byte, from both. */
  esc = escape (gls_design_get_id (f->design));
  att_ours = g_strdup_printf ("%s/%s/%s", f->review, esc, GLS_DESIGN_ATTACHMENT);
  att_theirs = g_strdup_printf ("%s/%s/%s", pouch, esc, GLS_DESIGN_ATTACHMENT);
  assert_attachment (f, att_ours, f->auth);
  assert_attachment (f, att_theirs, NULL);

  /* A second pull starts from its checkpoint and brings only what is new. */
  late = gls_workspace_comment (f->workspace, gls_design_get_id (f->design), NULL, "Late comment", &error);
  g_assert_no_error (error);
  pouch_replicate (f, f->link, "mirror", 1);
  g_free (ours);
  g_free (theirs);
  ours = dump_http (f, f->review, f->auth, DUMP_COUNTS);
  theirs = dump_http (f, pouch, NULL, DUMP_COUNTS);
  assert_same_dump (ours, theirs);
  g_assert_nonnull (strstr (ours, "Late comment"));

  /* With the read-only key: its source checkpoint gets 403, and it
   * replicates all the same. */
  pouch_replicate (f, f->read_only_link, "mirror-ro", -1);
  g_free (theirs);
  {
    g_autofree char *ro = pouch_db (f, "mirror-ro");

    theirs = dump_http (f, ro, NULL, DUMP_COUNTS);
  }
  assert_same_dump (ours, theirs);
}

/* PouchDB Server follows us live (its longpoll feed on our server). */
static void
test_pouchdb_server_follows (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *pouch = pouch_db (f, "follower");
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  g_autoptr(GError) error = NULL;
  double worst = 0;

  fill_workspace (f);
  pouch_replicate_full (f, f->link, "follower", TRUE, -1);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GlsAnnotation) comment = NULL;
      g_autofree char *text = g_strdup_printf ("Followed %u", i);
      g_autofree char *esc = NULL;
      g_autofree char *url = NULL;
      gint64 start;
      double ms;

      /* The first round also waits for the initial catch-up. */
      start = g_get_monotonic_time ();
      comment = gls_workspace_comment (f->workspace, gls_design_get_id (f->design), NULL, text, &error);
      g_assert_no_error (error);
      esc = escape (gls_annotation_get_id (comment));
      url = g_strdup_printf ("%s/%s", pouch, esc);
      ms = wait_on_http (f, url, NULL, start);
      g_test_message ("PouchDB Server following Glossa: %.0f ms", ms);
      if (i > 0)
        worst = MAX (worst, ms);
    }
  g_printerr ("# PouchDB Server 4.2.0 following Glossa live: worst %.0f ms\n", worst);
  g_assert_cmpfloat (worst, <, LIVE_LIMIT_MS);
  ours = dump_http (f, f->review, f->auth, DUMP_COUNTS);
  theirs = dump_http (f, pouch, NULL, DUMP_COUNTS);
  assert_same_dump (ours, theirs);
}

/* Regression: libsoup closed the connection after a request with
 * "Connection: close" without saying so, and PouchDB Server 4.2.0 on
 * Node 20 reused the dead socket ("socket hang up" on its second
 * _changes page). */
static void
test_connection_close (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", f->glossa);
  Pending p = { 0 };

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Connection", "close");
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &p);
  spin_until (&p.done, 10, "GET /");
  g_assert_no_error (p.error);
  g_bytes_unref (p.body);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (soup_message_headers_header_contains (soup_message_get_response_headers (msg),
                                                       "Connection", "close"));
}

/* --- b. Glossa pulls from and pushes to PouchDB Server --- */

/* Documents made in PouchDB Server by its own rules: new, edited, deleted,
 * one with an attachment. */
static void
pouch_fill (Fixture    *f,
            const char *name)
{
  g_autofree char *db = pouch_db (f, name);
  g_autofree char *bulk = g_strconcat (db, "/_bulk_docs", NULL);
  g_autofree char *edit = NULL;
  g_autofree char *gone = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) edited = NULL;
  g_autoptr(JsonNode) deleted = NULL;
  JsonArray *rows;

  answer = http_json (f, "POST", bulk, NULL,
                      "{\"docs\":["
                      "{\"_id\":\"p-plain\",\"text\":\"from PouchDB Server\",\"n\":3},"
                      "{\"_id\":\"p-edit\",\"v\":1},"
                      "{\"_id\":\"p-gone\",\"v\":1},"
                      "{\"_id\":\"p/slash id\",\"v\":1},"
                      "{\"_id\":\"p-att\",\"_attachments\":{\"notes.txt\":{\"content_type\":\"text/plain\","
                      "\"data\":\"aGVsbG8gZnJvbSBQb3VjaERC\"}}}]}",
                      201, NULL);
  rows = json_node_get_array (answer);
  g_assert_cmpuint (json_array_get_length (rows), ==, 5);
  edit = g_strdup_printf ("{\"docs\":[{\"_id\":\"p-edit\",\"_rev\":\"%s\",\"v\":2},"
                          "{\"_id\":\"p-gone\",\"_rev\":\"%s\",\"_deleted\":true}]}",
                          json_object_get_string_member (json_array_get_object_element (rows, 1), "rev"),
                          json_object_get_string_member (json_array_get_object_element (rows, 2), "rev"));
  edited = http_json (f, "POST", bulk, NULL, edit, 201, NULL);
  g_assert_false (json_object_has_member (json_array_get_object_element (json_node_get_array (edited), 0), "error"));
  g_assert_false (json_object_has_member (json_array_get_object_element (json_node_get_array (edited), 1), "error"));
}

/* Glossa's replicator left the same checkpoint (session) in PouchDB
 * Server's database and in its own store. */
static void
assert_checkpoints (Fixture       *f,
                    GlsReplicator *repl,
                    GlsStore      *store,
                    const char    *pouch)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("%s/_local/%s", pouch, gls_replicator_get_replication_id (repl));
  g_autoptr(JsonNode) remote = http_json (f, "GET", url, NULL, NULL, 200, NULL);
  g_autoptr(JsonObject) local = gls_store_get_local (store, gls_replicator_get_replication_id (repl), &error);
  JsonObject *r = json_node_get_object (remote);

  g_assert_no_error (error);
  g_assert_true (json_object_has_member (r, "history"));
  g_assert_cmpstr (json_object_get_string_member (r, "session_id"), ==,
                   json_object_get_string_member (local, "session_id"));
}

static void
test_glossa_pulls_and_pushes (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *src = pouch_db (f, "source");
  g_autofree char *dst = pouch_db (f, "pushed");
  g_autofree char *pulled_url = glossa_db (f, "pulled");
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *esc = NULL;
  g_autofree char *att = NULL;
  g_autoptr(GlsReplicator) pull = NULL;
  g_autoptr(GlsReplicator) push = NULL;
  g_autoptr(GlsAnnotation) more = NULL;
  g_autoptr(JsonNode) put = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *put_url = NULL;
  GlsStore *pulled;

  /* Pull: everything PouchDB Server holds, as it holds it. */
  pouch_create (f, "source");
  pouch_fill (f, "source");
  pulled = serve_new_store (f, "pulled");
  pull = replicate (pulled, src, GLS_REPLICATOR_DIRECTION_PULL);
  g_assert_cmpint (gls_replicator_get_docs_written (pull), ==, 5);
  ours = dump_http (f, pulled_url, NULL, DUMP_COUNTS);
  theirs = dump_http (f, src, NULL, DUMP_COUNTS);
  assert_same_dump (ours, theirs);
  g_assert_nonnull (strstr (ours, "aGVsbG8gZnJvbSBQb3VjaERC"));
  g_assert_nonnull (strstr (ours, "\"p/slash id\""));
  assert_checkpoints (f, pull, pulled, src);

  /* Push: our review, file included, into a new PouchDB Server database. */
  fill_workspace (f);
  pouch_create (f, "pushed");
  push = replicate (f->store, dst, GLS_REPLICATOR_DIRECTION_PUSH);
  g_clear_pointer (&ours, g_free);
  g_clear_pointer (&theirs, g_free);
  ours = dump_http (f, f->review, f->auth, DUMP_COUNTS);
  theirs = dump_http (f, dst, NULL, DUMP_COUNTS);
  assert_same_dump (ours, theirs);
  esc = escape (gls_design_get_id (f->design));
  att = g_strdup_printf ("%s/%s/%s", dst, esc, GLS_DESIGN_ATTACHMENT);
  assert_attachment (f, att, NULL);
  assert_checkpoints (f, push, f->store, dst);

  /* Again, after a change on each side: only the change travels. */
  more = gls_workspace_comment (f->workspace, gls_design_get_id (f->design), NULL, "One more", &error);
  g_assert_no_error (error);
  put_url = g_strconcat (src, "/p-later", NULL);
  put = http_json (f, "PUT", put_url, NULL, "{\"later\":true}", 201, NULL);
  g_clear_object (&pull);
  g_clear_object (&push);
  pull = replicate (pulled, src, GLS_REPLICATOR_DIRECTION_PULL);
  g_assert_cmpint (gls_replicator_get_docs_written (pull), ==, 1);
  push = replicate (f->store, dst, GLS_REPLICATOR_DIRECTION_PUSH);
  g_assert_cmpint (gls_replicator_get_docs_written (push), ==, 1);
  g_clear_pointer (&ours, g_free);
  g_clear_pointer (&theirs, g_free);
  ours = dump_http (f, pulled_url, NULL, DUMP_COUNTS);
  theirs = dump_http (f, src, NULL, DUMP_COUNTS);
  assert_same_dump (ours, theirs);
  g_clear_pointer (&ours, g_free);
  g_clear_pointer (&theirs, g_free);
  ours = dump_http (f, f->review, f->auth, DUMP_COUNTS);
  theirs = dump_http (f, dst, NULL, DUMP_COUNTS);
  assert_same_dump (ours, theirs);
}

static void
store_changed_cb (GlsStore *store,
                  gint64    seq,
                  gpointer  data)
{
  *(gboolean *) data = TRUE;
}

static gboolean
store_has (GlsStore   *store,
           const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = gls_store_get (store, id, NULL, GLS_STORE_GET_NONE, &error);

  return doc != NULL;
}

/* Milliseconds until `id` is in `store` (or, with present FALSE, gone),
 * running the main loop. */
static double
wait_store (GlsStore   *store,
            const char *id,
            gboolean    present,
            gint64      start)
{
  gint64 deadline = start + 30 * G_USEC_PER_SEC;
  gboolean changed = TRUE;
  gulong handler = g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), &changed);
  guint wake = g_timeout_add (5, wake_cb, NULL);

  for (;;)
    {
      if (changed)
        {
          changed = FALSE;
          if (store_has (store, id) == present)
            break;
        }
      if (g_get_monotonic_time () > deadline)
        g_error ("%s did not %s within 30 s", id, present ? "arrive" : "go");
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
  g_signal_handler_disconnect (store, handler);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
wait_in_store (GlsStore   *store,
               const char *id,
               gint64      start)
{
  return wait_store (store, id, TRUE, start);
}

/* Milliseconds until GET url answers `expected`. */
static double
wait_http_status (Fixture    *f,
                  const char *url,
                  const char *auth,
                  guint       expected,
                  gint64      start)
{
  gint64 deadline = start + 10 * G_USEC_PER_SEC;

  for (;;)
    {
      guint status = 0;
      g_autoptr(GBytes) body = http_raw (f, "GET", url, auth, NULL, &status);

      if (status == expected)
        return (g_get_monotonic_time () - start) / 1000.0;
      if (g_get_monotonic_time () > deadline)
        g_error ("%s did not answer %u within 10 s (last status %u)", url, expected, status);
      spin_for (10);
    }
}

static double
wait_on_http (Fixture    *f,
              const char *url,
              const char *auth,
              gint64      start)
{
  return wait_http_status (f, url, auth, 200, start);
}

static GlsReplicator *
start_live (GlsStore               *store,
            const char             *url,
            GlsReplicatorDirection  direction,
            GCancellable           *cancellable,
            RunResult              *r)
{
  GlsReplicator *repl = gls_replicator_new (store, url, direction);

  gls_replicator_set_continuous (repl, TRUE);
  gls_replicator_run_async (repl, cancellable, run_cb, r);
  return repl;
}

static void
wait_live (GlsReplicator *repl)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (gls_replicator_get_state (repl) != GLS_REPLICATOR_STATE_LIVE)
    {
      g_assert_cmpint (gls_replicator_get_state (repl), !=, GLS_REPLICATOR_STATE_ERROR);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      spin_for (10);
    }
}

static void
test_glossa_live (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *db = pouch_db (f, "live");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GlsReplicator) pull = NULL;
  g_autoptr(GlsReplicator) push = NULL;
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  RunResult pull_r = { 0 };
  RunResult push_r = { 0 };
  double worst_in = 0, worst_out = 0;

  fill_workspace (f);
  pouch_create (f, "live");
  pouch_fill (f, "live");
  pull = start_live (f->store, db, GLS_REPLICATOR_DIRECTION_PULL, cancellable, &pull_r);
  push = start_live (f->store, db, GLS_REPLICATOR_DIRECTION_PUSH, cancellable, &push_r);
  wait_live (pull);
  wait_live (push);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("live-from-pouch-%u", i);
      g_autofree char *url = g_strdup_printf ("%s/%s", db, id);
      g_autoptr(JsonNode) answer = NULL;
      g_autoptr(GlsAnnotation) comment = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = g_strdup_printf ("Live comment %u", i);
      g_autofree char *esc = NULL;
      g_autofree char *there = NULL;
      gint64 start;
      double in_ms, out_ms;

      /* PouchDB Server -> Glossa */
      start = g_get_monotonic_time ();
      answer = http_json (f, "PUT", url, NULL, "{\"from\":\"pouchdb-server\"}", 201, NULL);
      in_ms = wait_in_store (f->store, id, start);

      /* Glossa -> PouchDB Server */
      start = g_get_monotonic_time ();
      comment = gls_workspace_comment (f->workspace, gls_design_get_id (f->design), NULL, text, &error);
      g_assert_no_error (error);
      esc = escape (gls_annotation_get_id (comment));
      there = g_strdup_printf ("%s/%s", db, esc);
      out_ms = wait_on_http (f, there, NULL, start);

      g_test_message ("live, PouchDB Server -> Glossa: %.0f ms; Glossa -> PouchDB Server: %.0f ms", in_ms, out_ms);
      worst_in = MAX (worst_in, in_ms);
      worst_out = MAX (worst_out, out_ms);
    }
  g_printerr ("# live with PouchDB Server 4.2.0: worst of 3, in %.0f ms, out %.0f ms\n", worst_in, worst_out);
  g_assert_cmpfloat (worst_in, <, LIVE_LIMIT_MS);
  g_assert_cmpfloat (worst_out, <, LIVE_LIMIT_MS);

  /* After a quiet spell longer than the feed's heartbeat (10 s), the live
   * pull still hears PouchDB Server at once. */
  spin_for (11500);
  {
    g_autofree char *url = g_strconcat (db, "/after-quiet", NULL);
    gint64 start = g_get_monotonic_time ();
    g_autoptr(JsonNode) answer = http_json (f, "PUT", url, NULL, "{\"quiet\":true}", 201, NULL);
    double ms = wait_in_store (f->store, "after-quiet", start);

    g_test_message ("live after 11.5 s of quiet, PouchDB Server -> Glossa: %.0f ms", ms);
    g_assert_cmpfloat (ms, <, LIVE_LIMIT_MS);
    g_assert_cmpint (gls_replicator_get_state (pull), ==, GLS_REPLICATOR_STATE_LIVE);
    g_assert_cmpint (gls_replicator_get_state (push), ==, GLS_REPLICATOR_STATE_LIVE);
  }

  /* Deletions travel live too. */
  {
    g_autofree char *doc_url = g_strconcat (db, "/p-plain", NULL);
    g_autoptr(JsonNode) doc = http_json (f, "GET", doc_url, NULL, NULL, 200, NULL);
    g_autofree char *delete_url = g_strdup_printf ("%s?rev=%s", doc_url,
                                                   json_object_get_string_member (json_node_get_object (doc), "_rev"));
    g_autoptr(JsonNode) deleted = NULL;
    g_autoptr(GlsAnnotation) doomed = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *esc = NULL;
    g_autofree char *there = NULL;
    gint64 start = g_get_monotonic_time ();
    double ms;

    deleted = http_json (f, "DELETE", delete_url, NULL, NULL, 200, NULL);
    ms = wait_store (f->store, "p-plain", FALSE, start);
    g_test_message ("live deletion, PouchDB Server -> Glossa: %.0f ms", ms);
    g_assert_cmpfloat (ms, <, LIVE_LIMIT_MS);

    doomed = gls_workspace_comment (f->workspace, gls_design_get_id (f->design), NULL, "Soon gone", &error);
    g_assert_no_error (error);
    esc = escape (gls_annotation_get_id (doomed));
    there = g_strdup_printf ("%s/%s", db, esc);
    wait_on_http (f, there, NULL, g_get_monotonic_time ());
    start = g_get_monotonic_time ();
    g_assert_true (gls_workspace_delete (f->workspace, gls_annotation_get_id (doomed), &error));
    g_assert_no_error (error);
    ms = wait_http_status (f, there, NULL, 404, start);
    g_test_message ("live deletion, Glossa -> PouchDB Server: %.0f ms", ms);
    g_assert_cmpfloat (ms, <, LIVE_LIMIT_MS);
  }

  g_cancellable_cancel (cancellable);
  spin_until (&pull_r.done, 10, "the live pull to stop");
  spin_until (&push_r.done, 10, "the live push to stop");
  g_assert_error (pull_r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_error (push_r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&pull_r.error);
  g_clear_error (&push_r.error);
  g_assert_cmpint (gls_replicator_get_state (pull), ==, GLS_REPLICATOR_STATE_IDLE);

  /* Both ways, both hold the same documents at the end. */
  ours = dump_http (f, f->review, f->auth, DUMP_COUNTS);
  theirs = dump_http (f, db, NULL, DUMP_COUNTS);
  assert_same_dump (ours, theirs);
}

/* --- A PouchDB Server as the group's hub --- */

static char *
describe_threads (GlsWorkspace *workspace,
                  const char   *source)
{
  GListModel *threads = gls_workspace_get_threads (workspace, source);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (threads); i++)
    {
      g_autoptr(GlsThread) thread = g_list_model_get_item (threads, i);

      g_string_append_printf (out, "#%u %s \"%s\" by %s, %u replies%s%s\n",
                              gls_thread_get_number (thread),
                              gls_thread_get_root_id (thread),
                              gls_thread_get_text (thread),
                              gls_thread_get_author_name (thread),
                              gls_thread_get_reply_count (thread),
                              gls_thread_get_resolved (thread) ? ", resolved" : "",
                              gls_thread_get_placeholder (thread) ? ", placeholder" : "");
    }
  return g_string_free (out, FALSE);
}

/* Waits (running the main loop) until both workspaces show the same
 * threads of `source`, and returns how long that took. */
static double
wait_same_threads (GlsWorkspace *a,
                   GlsWorkspace *b,
                   const char   *source,
                   gint64        start)
{
  gint64 deadline = start + 10 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *da = describe_threads (a, source);
      g_autofree char *db = describe_threads (b, source);

      if (g_str_equal (da, db))
        return (g_get_monotonic_time () - start) / 1000.0;
      if (g_get_monotonic_time () > deadline)
        g_assert_cmpstr (da, ==, db);
      spin_for (5);
    }
}

/* Ana shares a review through a PouchDB Server hub; Ben's Glossa pulls
 * it, shows the same design (its file from the local store) and the same
 * threads, and from then on each one's comments reach the other live. */
static void
test_hub (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *hub = pouch_db (f, "hub");
  g_autofree char *ben_dir = g_build_filename (f->dir, "ben", NULL);
  g_autofree char *board_path = g_build_filename (samples_dir, "board.png", NULL);
  g_autofree char *board = NULL;
  g_autofree char *ana_view = NULL;
  g_autofree char *ben_view = NULL;
  g_autoptr(GlsWorkspace) ben = NULL;
  g_autoptr(GlsReplicator) first_push = NULL;
  g_autoptr(GlsReplicator) first_pull = NULL;
  GlsReplicator *repls[4] = { NULL, };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GError) error = NULL;
  RunResult results[4] = { { 0, }, };
  const char *source;
  gsize board_len;
  gint64 start;
  double ms, ben_to_ana;

  fill_workspace (f);
  source = gls_design_get_source (f->design);
  pouch_create (f, "hub");
  first_push = replicate (f->store, hub, GLS_REPLICATOR_DIRECTION_PUSH);

  ben = gls_workspace_open (ben_dir, "review", &error);
  g_assert_no_error (error);
  first_pull = replicate (gls_workspace_get_store (ben), hub, GLS_REPLICATOR_DIRECTION_PULL);
  wait_same_threads (f->workspace, ben, source, g_get_monotonic_time ());
  ana_view = describe_threads (f->workspace, source);
  g_test_message ("threads:\n%s", ana_view);
  g_assert_nonnull (strstr (ana_view, "\"Is LED D3 reversed?\""));
  g_assert_nonnull (strstr (ana_view, ", resolved"));

  /* The design arrived with its file. */
  g_assert_cmpuint (g_list_model_get_n_items (gls_workspace_get_designs (ben)), ==, 1);
  design = gls_workspace_find_design (ben, gls_design_get_id (f->design), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gls_design_get_sha256 (design), ==, gls_design_get_sha256 (f->design));
  file = gls_workspace_load_design_file (ben, gls_design_get_id (design), &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (board_path, &board, &board_len, &error));
  g_assert_cmpmem (g_bytes_get_data (file, NULL), g_bytes_get_size (file), board, board_len);

  /* Live through the hub, both ways. */
  repls[0] = start_live (f->store, hub, GLS_REPLICATOR_DIRECTION_PUSH, cancellable, &results[0]);
  repls[1] = start_live (f->store, hub, GLS_REPLICATOR_DIRECTION_PULL, cancellable, &results[1]);
  repls[2] = start_live (gls_workspace_get_store (ben), hub, GLS_REPLICATOR_DIRECTION_PUSH, cancellable, &results[2]);
  repls[3] = start_live (gls_workspace_get_store (ben), hub, GLS_REPLICATOR_DIRECTION_PULL, cancellable, &results[3]);
  for (guint i = 0; i < G_N_ELEMENTS (repls); i++)
    wait_live (repls[i]);

  {
    g_autoptr(GlsAnnotation) comment = NULL;
    g_autoptr(GlsAnnotation) reply = NULL;
    GlsSelector point = { GLS_SELECTOR_POINT, 0, 400, 300, 0, 0 };

    start = g_get_monotonic_time ();
    comment = gls_workspace_comment (ben, gls_design_get_id (design), &point, "Ben: C12 looks cold-soldered", &error);
    g_assert_no_error (error);
    ms = wait_same_threads (f->workspace, ben, source, start);
    g_test_message ("Ben's comment reached Ana through the hub in %.0f ms", ms);
    g_assert_cmpfloat (ms, <, LIVE_LIMIT_MS);
    ben_to_ana = ms;

    start = g_get_monotonic_time ();
    reply = gls_workspace_reply (f->workspace, gls_annotation_get_id (comment), "Ana: reflowed it", &error);
    g_assert_no_error (error);
    ms = wait_same_threads (f->workspace, ben, source, start);
    g_test_message ("Ana's reply reached Ben through the hub in %.0f ms", ms);
    g_printerr ("# through a PouchDB Server hub: Ben -> Ana %.0f ms, Ana -> Ben %.0f ms\n", ben_to_ana, ms);
    g_assert_cmpfloat (ms, <, LIVE_LIMIT_MS);
  }
  ben_view = describe_threads (ben, source);
  g_assert_nonnull (strstr (ben_view, "\"Ben: C12 looks cold-soldered\""));
  g_assert_nonnull (strstr (ben_view, "1 replies"));

  /* Through PouchDB Server and back, every proof still holds: it kept
   * the documents byte for byte. Each side's words are verified as the
   * author's in the other's workspace. */
  {
    g_autoptr(JsonObject) report = gls_workspace_verify (ben, &error);
    GListModel *threads = gls_workspace_get_threads (ben, source);
    guint n_comments = 0;

    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "failed")), ==, 0);
    g_assert_cmpint (json_object_get_int_member (report, "verified"), >=, 4);
    g_assert_cmpint (json_object_get_int_member (report, "unverified"), ==, 0);
    for (guint i = 0; i < g_list_model_get_n_items (threads); i++)
      {
        g_autoptr(GlsThread) thread = g_list_model_get_item (threads, i);
        GListModel *comments = gls_thread_get_comments (thread);

        for (guint j = 0; j < g_list_model_get_n_items (comments); j++)
          {
            g_autoptr(GlsComment) c = g_list_model_get_item (comments, j);

            g_assert_cmpint (gls_comment_get_trust (c), ==, GLS_TRUST_VERIFIED);
            n_comments++;
          }
      }
    g_assert_cmpuint (n_comments, >=, 2);
  }

  g_cancellable_cancel (cancellable);
  for (guint i = 0; i < G_N_ELEMENTS (repls); i++)
    {
      spin_until (&results[i].done, 10, "a live replicator to stop");
      g_assert_error (results[i].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&results[i].error);
      g_clear_object (&repls[i]);
    }
}

/* --- Without _bulk_get: PouchDB's open_revs fallback --- */

static void
proxy_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  SoupServerMessage *smsg = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  if (bytes == NULL)
    soup_server_message_set_status (smsg, 502, NULL);
  else
    {
      const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);

      soup_server_message_set_status (smsg, soup_message_get_status (msg), NULL);
      soup_server_message_set_response (smsg, type ? type : "application/json", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }
  soup_server_message_unpause (smsg);
  g_object_unref (smsg);
}

/* In front of our server: answers 404 to _bulk_get, as an old CouchDB or
 * a proxy that filters it would, and forwards everything else. */
static void
proxy_cb (SoupServer        *server,
          SoupServerMessage *smsg,
          const char        *path,
          GHashTable        *query,
          gpointer           data)
{
  Fixture *f = data;
  GUri *uri = soup_server_message_get_uri (smsg);
  SoupMessageHeaders *in = soup_server_message_get_request_headers (smsg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (smsg));
  g_autofree char *target = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  const char *headers[] = { "Authorization", "Accept", "Content-Type" };

  if (soup_message_headers_header_contains (in, "Connection", "close"))
    soup_message_headers_replace (soup_server_message_get_response_headers (smsg), "Connection", "close");
  if (g_str_has_suffix (path, "/_bulk_get"))
    {
      f->bulk_get_refused++;
      soup_server_message_set_status (smsg, 404, NULL);
      soup_server_message_set_response (smsg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"error\":\"not_found\",\"reason\":\"missing\"}", 40);
      return;
    }
  if (g_uri_get_query (uri) != NULL && strstr (g_uri_get_query (uri), "open_revs") != NULL)
    f->open_revs_gets++;
  target = g_strdup_printf ("http://127.0.0.1:%u%s%s%s", gls_peer_server_get_port (f->server),
                            g_uri_get_path (uri), g_uri_get_query (uri) ? "?" : "",
                            g_uri_get_query (uri) ? g_uri_get_query (uri) : "");
  msg = soup_message_new (soup_server_message_get_method (smsg), target);
  g_assert_nonnull (msg);
  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      const char *value = soup_message_headers_get_one (in, headers[i]);

      if (value != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (msg), headers[i], value);
    }
  if (g_bytes_get_size (bytes) > 0)
    soup_message_set_request_body_from_bytes (msg, soup_message_headers_get_content_type (in, NULL), bytes);
  soup_server_message_pause (smsg);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    proxy_sent_cb, g_object_ref (smsg));
}

static char *
start_proxy (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  f->proxy = soup_server_new ("raw-paths", TRUE, NULL);
  soup_server_add_handler (f->proxy, NULL, proxy_cb, f, NULL);
  g_assert_true (soup_server_listen_local (f->proxy, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->proxy);
  f->proxy_port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return g_strdup_printf ("http://peer:%s@127.0.0.1:%u/review", f->key, f->proxy_port);
}

/* PouchDB Server (PouchDB 7) and PouchDB 9 fall back to GET
 * doc?open_revs=[…] (JSON) and fetch attachments one by one. */
static void
test_without_bulk_get (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *link = NULL;
  g_autofree char *pouch = pouch_db (f, "no-bulk-get");
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *cmd = NULL;
  g_autoptr(JsonNode) result = NULL;

  fill_workspace (f);
  fill_awkward (f->store);
  link = start_proxy (f);

  pouch_replicate (f, link, "no-bulk-get", -1);
  g_assert_cmpuint (f->bulk_get_refused, >, 0);
  g_assert_cmpuint (f->open_revs_gets, >, 0);
  ours = dump_http (f, f->review, f->auth, DUMP_COUNTS);
  theirs = dump_http (f, pouch, NULL, DUMP_COUNTS);
  assert_same_dump (ours, theirs);

  f->bulk_get_refused = f->open_revs_gets = 0;
  start_peer9 (f);
  cmd = g_strdup_printf ("{\"op\":\"replicate\",\"from\":\"%s\"}", link);
  result = peer9 (f, cmd);
  assert_replication_ok (result, -1);
  g_assert_cmpuint (f->bulk_get_refused, >, 0);
  g_assert_cmpuint (f->open_revs_gets, >, 0);
  g_clear_pointer (&ours, g_free);
  g_clear_pointer (&theirs, g_free);
  ours = dump_http (f, f->review, f->auth, DUMP_DOCS);
  theirs = peer9_dump (f);
  assert_same_dump (ours, theirs);
}

/* `glossa sync URL` with a PouchDB Server database, as a school pointing
 * every Glossa at one would run it: both ways, then nothing left to do. */
static void
test_cli_sync (Fixture       *f,
               gconstpointer  data)
{
  const char *glossa_bin = g_getenv ("GLOSSA_BIN");
  g_autofree char *data_dir = g_build_filename (f->dir, "data", NULL);
  g_autofree char *db = pouch_db (f, "school");
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  if (glossa_bin == NULL || !g_file_test (glossa_bin, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("GLOSSA_BIN (%s) is not the built glossa: run the test through meson test",
             glossa_bin ? glossa_bin : "unset");

  fill_workspace (f);
  pouch_create (f, "school");
  pouch_fill (f, "school");

  for (guint run = 0; run < 2; run++)
    {
      g_autoptr(GSubprocess) sync = NULL;

      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      sync = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                               glossa_bin, "sync", "--data-dir", data_dir, "--workspace", "review", db, NULL);
      g_assert_no_error (error);
      /* The child talks to pouchdb-server only: waiting blocks nothing. */
      g_assert_true (g_subprocess_communicate_utf8 (sync, NULL, NULL, &out, &err, &error));
      g_assert_no_error (error);
      g_test_message ("glossa sync, run %u: %s%s", run + 1, out, err);
      g_assert_true (g_subprocess_get_if_exited (sync));
      g_assert_cmpint (g_subprocess_get_exit_status (sync), ==, 0);
    }

  /* The workspace (written by the other process) and PouchDB Server hold
   * the same documents. */
  ours = dump_http (f, f->review, f->auth, DUMP_COUNTS);
  theirs = dump_http (f, db, NULL, DUMP_COUNTS);
  assert_same_dump (ours, theirs);
  g_assert_nonnull (strstr (ours, "\"p-att\""));
  g_assert_nonnull (strstr (theirs, "Is LED D3 reversed?"));
}

/* A text review through a PouchDB Server hub: Ana's Markdown guide and
 * its German PO file, comments on passages and a suggestion she
 * accepted; Ben pulls them and sees the same passages, quotes,
 * decisions and files, every comment still signed by its author. */
static void
test_text_hub (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *hub = pouch_db (f, "texts");
  g_autofree char *ben_dir = g_build_filename (f->dir, "ben-texts", NULL);
  g_autofree char *guide_path = g_build_filename (samples_dir, "assembly-guide.md", NULL);
  g_autofree char *po_path = g_build_filename (samples_dir, "assembly-guide.de.po", NULL);
  g_autoptr(GFile) guide_file = g_file_new_for_path (guide_path);
  g_autoptr(GFile) po_file = g_file_new_for_path (po_path);
  g_autoptr(GlsDesign) guide = NULL;
  g_autoptr(GlsDesign) po = NULL;
  g_autoptr(GlsWorkspace) ben = NULL;
  g_autoptr(GlsReplicator) push = NULL;
  g_autoptr(GlsReplicator) pull = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsAnnotation) comment = NULL;
  g_autoptr(GlsAnnotation) suggestion = NULL;
  g_autoptr(GlsAnnotation) accepted = NULL;
  g_autoptr(GlsThread) ben_comment = NULL;
  g_autoptr(GlsThread) ben_suggestion = NULL;
  g_autoptr(GBytes) ben_po = NULL;
  g_autofree char *po_bytes = NULL;
  gsize po_len;
  g_auto(GlsSelector) passage = { 0, };
  g_auto(GlsSelector) mitte = { 0, };

  guide = gls_workspace_add_design (f->workspace, guide_file, NULL, NULL, &error);
  g_assert_no_error (error);
  po = gls_workspace_add_design (f->workspace, po_file, NULL, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GBytes) bytes = gls_workspace_load_design_file (f->workspace, gls_design_get_id (guide), &error);
    g_autofree char *text = gls_text_decode (bytes, NULL, &error);
    g_autoptr(GlsTextIndex) index = gls_text_index_new (text, -1);

    g_assert_no_error (error);
    g_assert_true (gls_text_select_quote (index, "330 °C", NULL, NULL, &passage, &error));
  }
  {
    g_autoptr(GBytes) bytes = gls_workspace_load_design_file (f->workspace, gls_design_get_id (po), &error);
    g_autofree char *text = gls_text_decode (bytes, NULL, &error);
    g_autoptr(GlsTextIndex) index = gls_text_index_new (text, -1);

    g_assert_no_error (error);
    g_assert_true (gls_text_select_quote (index, "zur Mitte", NULL, NULL, &mitte, &error));
  }
  comment = gls_workspace_comment (f->workspace, gls_design_get_id (guide), &passage,
                                   "Lead-free solder needs 350 °C", &error);
  g_assert_no_error (error);
  suggestion = gls_workspace_suggest (f->workspace, gls_design_get_id (po), &mitte, "zum Rand", &error);
  g_assert_no_error (error);
  accepted = gls_workspace_decide (f->workspace, gls_annotation_get_id (suggestion), TRUE, &error);
  g_assert_no_error (error);

  pouch_create (f, "texts");
  push = replicate (f->store, hub, GLS_REPLICATOR_DIRECTION_PUSH);
  ben = gls_workspace_open (ben_dir, "review", &error);
  g_assert_no_error (error);
  pull = replicate (gls_workspace_get_store (ben), hub, GLS_REPLICATOR_DIRECTION_PULL);
  wait_same_threads (f->workspace, ben, gls_design_get_source (guide), g_get_monotonic_time ());
  wait_same_threads (f->workspace, ben, gls_design_get_source (po), g_get_monotonic_time ());

  ben_comment = gls_workspace_find_thread (ben, gls_annotation_get_id (comment));
  g_assert_nonnull (ben_comment);
  g_assert_true (gls_selector_equal (gls_thread_get_selector (ben_comment), &passage));
  {
    g_autoptr(GlsComment) first = g_list_model_get_item (gls_thread_get_comments (ben_comment), 0);

    g_assert_cmpint (gls_comment_get_trust (first), ==, GLS_TRUST_VERIFIED);
  }
  ben_suggestion = gls_workspace_find_thread (ben, gls_annotation_get_id (suggestion));
  g_assert_nonnull (ben_suggestion);
  g_assert_true (gls_thread_is_suggestion (ben_suggestion));
  g_assert_cmpstr (gls_thread_get_text (ben_suggestion), ==, "zum Rand");
  g_assert_cmpint (gls_thread_get_decision (ben_suggestion), ==, GLS_DECISION_ACCEPTED);
  g_assert_cmpstr (gls_thread_get_selector (ben_suggestion)->exact, ==, "zur Mitte");

  /* The PO file came whole, and Ben can apply what Ana accepted. */
  ben_po = gls_workspace_load_design_file (ben, gls_design_get_id (po), &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (po_path, &po_bytes, &po_len, &error));
  g_assert_cmpmem (g_bytes_get_data (ben_po, NULL), g_bytes_get_size (ben_po), po_bytes, po_len);
  {
    g_autoptr(GPtrArray) failures = NULL;
    g_autoptr(GBytes) applied = NULL;
    guint n = 0;

    applied = gls_workspace_apply_suggestions (ben, gls_design_get_id (po), &n, &failures, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 1);
    g_assert_cmpuint (failures->len, ==, 0);
    g_assert_nonnull (g_strstr_len (g_bytes_get_data (applied, NULL), g_bytes_get_size (applied),
                                    "Kathode zum Rand der Platine"));
  }
}


/* A review with words and a comment with a mention go through PouchDB
 * Server and arrive whole: the review counts for its signer, the mention
 * names the same person, and every proof still holds. */
static void
test_review_hub (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *hub = pouch_db (f, "reviews");
  g_autofree char *ben_dir = g_build_filename (f->dir, "ben-reviews", NULL);
  g_autofree char *board_path = g_build_filename (samples_dir, "board.png", NULL);
  g_autoptr(GFile) board_file = g_file_new_for_path (board_path);
  g_autoptr(GlsDesign) board = NULL;
  g_autoptr(GlsWorkspace) ben = NULL;
  g_autoptr(GlsReplicator) push = NULL;
  g_autoptr(GlsReplicator) pull = NULL;
  g_autoptr(GlsAnnotation) review = NULL;
  g_autoptr(GlsAnnotation) comment = NULL;
  g_autoptr(GlsThread) ben_thread = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *me = gls_profile_get_display_name (gls_workspace_get_profile (f->workspace));
  const char *ana = gls_identity_get_did (gls_workspace_get_identity (f->workspace));
  GlsSelector point = { GLS_SELECTOR_POINT, 0, 100, 80, 0, 0 };

  board = gls_workspace_add_design (f->workspace, board_file, NULL, NULL, &error);
  g_assert_no_error (error);
  /* Her profile first, so that @ finds her. */
  g_clear_object (&comment);
  comment = gls_workspace_comment (f->workspace, gls_design_get_id (board), &point, "First look", &error);
  g_assert_no_error (error);
  text = g_strdup_printf ("@%s remember the pads", me);
  g_clear_object (&comment);
  comment = gls_workspace_comment (f->workspace, gls_design_get_id (board), &point, text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (gls_annotation_get_mentions (comment));
  review = gls_workspace_review (f->workspace, gls_design_get_id (board), GLS_DECISION_CHANGES_REQUESTED,
                                 "Bigger pads for C3", &error);
  g_assert_no_error (error);

  pouch_create (f, "reviews");
  push = replicate (f->store, hub, GLS_REPLICATOR_DIRECTION_PUSH);
  ben = gls_workspace_open (ben_dir, "review", &error);
  g_assert_no_error (error);
  pull = replicate (gls_workspace_get_store (ben), hub, GLS_REPLICATOR_DIRECTION_PULL);
  wait_same_threads (f->workspace, ben, gls_design_get_source (board), g_get_monotonic_time ());

  ben_thread = gls_workspace_find_thread (ben, gls_annotation_get_id (comment));
  g_assert_nonnull (ben_thread);
  g_assert_true (gls_thread_mentions (ben_thread, ana));
  {
    g_autoptr(GlsDesign) ben_board = gls_workspace_find_design (ben, gls_design_get_id (board), &error);

    g_assert_no_error (error);
    reviews = gls_workspace_list_reviews (ben, ben_board, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (reviews->len, ==, 1);
  {
    GlsReview *r = g_ptr_array_index (reviews, 0);

    g_assert_cmpstr (r->reviewer, ==, ana);
    g_assert_cmpint (gls_review_get_decision (r), ==, GLS_DECISION_CHANGES_REQUESTED);
    g_assert_cmpstr (gls_annotation_get_note (r->annotation), ==, "Bigger pads for C3");
    g_assert_cmpint (gls_annotation_get_trust (r->annotation), ==, GLS_TRUST_VERIFIED);
  }
  {
    g_autoptr(JsonObject) report = gls_workspace_verify (ben, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "failed")), ==, 0);
  }
}

/* --- c. Conflicts made in PouchDB Server --- */

static void
test_conflicts_from_pouchdb_server (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *db = pouch_db (f, "conflicts");
  g_autofree char *bulk = g_strconcat (db, "/_bulk_docs", NULL);
  g_autofree char *body = g_strconcat ("{\"new_edits\":false,\"docs\":", CONFLICT_DOCS, "}", NULL);
  g_autofree char *local_url = glossa_db (f, "conflicts");
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  g_autoptr(GlsReplicator) pull = NULL;
  g_autoptr(JsonNode) answer = NULL;
  GlsStore *local;

  pouch_create (f, "conflicts");
  answer = http_json (f, "POST", bulk, NULL, body, 201, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (answer)), ==, 0);

  local = serve_new_store (f, "conflicts");
  pull = replicate (local, db, GLS_REPLICATOR_DIRECTION_PULL);
  g_assert_cmpint (gls_replicator_get_docs_written (pull), ==, 9);

  /* Every leaf arrived, and the store picks PouchDB Server's winner. */
  for (guint i = 0; i < G_N_ELEMENTS (conflict_winners); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonArray) leaves = gls_store_get_open_revs (local, conflict_winners[i].id, NULL,
                                                             GLS_STORE_GET_NONE, &error);
      g_autoptr(JsonObject) winner = NULL;
      g_autofree char *url = g_strdup_printf ("%s/%s?conflicts=true", db, conflict_winners[i].id);
      guint status = 0;
      g_autoptr(JsonNode) theirs_doc = http_json (f, "GET", url, NULL, NULL, 0, &status);

      g_assert_no_error (error);
      g_assert_cmpuint (json_array_get_length (leaves), ==, conflict_winners[i].leaves);
      winner = gls_store_get (local, conflict_winners[i].id, NULL, GLS_STORE_GET_DELETED_OK, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (json_object_get_string_member (winner, "_rev"), ==, conflict_winners[i].winner);
      if (status == 200)
        g_assert_cmpstr (json_object_get_string_member (json_node_get_object (theirs_doc), "_rev"), ==,
                         conflict_winners[i].winner);
      else
        g_assert_cmpuint (status, ==, 404); /* conf-c: every leaf deleted */
    }

  ours = dump_http (f, local_url, NULL, DUMP_COUNTS);
  theirs = dump_http (f, db, NULL, DUMP_COUNTS);
  assert_same_dump (ours, theirs);

  /* PouchDB Server pushes them into Glossa with its own replicator. */
  {
    g_autofree char *pushed_url = glossa_db (f, "conflicts-pushed");
    g_autofree char *pushed = NULL;

    serve_new_store (f, "conflicts-pushed");
    pouch_replicate (f, "conflicts", pushed_url, 9);
    pushed = dump_http (f, pushed_url, NULL, DUMP_COUNTS);
    assert_same_dump (pushed, theirs);
  }

  /* And back: PouchDB Server pulls Glossa's conflicts into a new database
   * and agrees on every winner. */
  pouch_replicate (f, local_url, "conflicts-back", 9);
  g_clear_pointer (&theirs, g_free);
  {
    g_autofree char *back = pouch_db (f, "conflicts-back");

    theirs = dump_http (f, back, NULL, DUMP_COUNTS);
  }
  assert_same_dump (ours, theirs);
}

/* --- Awkward content, through every path --- */

/* Ids that need escaping, a design document, numbers json-glib must not
 * change, deep bodies, unicode, an attachment kept across an edit (its
 * revpos stays 1) and an attachment on a losing branch. */
static void
test_awkward_content (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *src = pouch_db (f, "awkward");
  g_autofree char *bulk = g_strconcat (src, "/_bulk_docs", NULL);
  g_autofree char *pulled_url = glossa_db (f, "awkward");
  g_autofree char *back = pouch_db (f, "awkward-back");
  g_autofree char *again = pouch_db (f, "awkward-again");
  g_autofree char *pushed_url = glossa_db (f, "awkward-pushed");
  g_autofree char *att_url = NULL;
  g_autoptr(GString) docs = g_string_new ("{\"docs\":[");
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) att_doc = NULL;
  g_autoptr(JsonNode) edited = NULL;
  g_autoptr(JsonNode) conflicts = NULL;
  g_autoptr(GlsReplicator) pull = NULL;
  g_autoptr(GlsReplicator) push = NULL;
  g_autofree char *edit_body = NULL;
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  GlsStore *local;

  pouch_create (f, "awkward");
  for (guint i = 0; i < G_N_ELEMENTS (awkward_ids); i++)
    {
      g_autofree char *doc = awkward_doc (i);

      g_string_append_printf (docs, "%s,", doc);
    }
  /* More than one batch of 100. */
  for (guint i = 0; i < 150; i++)
    g_string_append_printf (docs, "{\"_id\":\"bulk-%03u\",\"n\":%u},", i, i);
  g_string_append (docs, "{\"_id\":\"kept-att\",\"v\":1,\"_attachments\":{\"a.bin\":"
                         "{\"content_type\":\"application/octet-stream\",\"data\":\"AAECAwQF/w==\"}}}]}");
  answer = http_json (f, "POST", bulk, NULL, docs->str, 201, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (answer)), ==, G_N_ELEMENTS (awkward_ids) + 151);

  /* Edit the document with the attachment, sending it back as a stub. */
  att_url = g_strconcat (src, "/kept-att", NULL);
  att_doc = http_json (f, "GET", att_url, NULL, NULL, 200, NULL);
  json_object_set_int_member (json_node_get_object (att_doc), "v", 2);
  edit_body = json_to_string (att_doc, FALSE);
  edited = http_json (f, "PUT", att_url, NULL, edit_body, 201, NULL);

  /* A conflict whose losing branch carries an attachment. */
  conflicts = http_json (f, "POST", bulk, NULL,
                         "{\"new_edits\":false,\"docs\":["
                         "{\"_id\":\"att-conflict\",\"_rev\":\"1-" H ("9") "\",\"w\":1},"
                         "{\"_id\":\"att-conflict\",\"_rev\":\"1-" H ("1") "\",\"w\":0,"
                         "\"_attachments\":{\"l.txt\":{\"content_type\":\"text/plain\",\"data\":\"bG9zZXI=\"}}}]}",
                         201, NULL);

  /* Glossa pulls it. */
  local = serve_new_store (f, "awkward");
  pull = replicate (local, src, GLS_REPLICATOR_DIRECTION_PULL);
  ours = dump_http (f, pulled_url, NULL, DUMP_COUNTS);
  theirs = dump_http (f, src, NULL, DUMP_COUNTS);
  assert_same_dump (ours, theirs);
  g_assert_nonnull (strstr (ours, "\"_design/app\""));
  g_assert_nonnull (strstr (ours, "bG9zZXI="));
  /* The design document also answers with its slash escaped, as
   * Couchbase Lite's and other clients' requests have it. */
  {
    g_autofree char *escaped = g_strconcat (pulled_url, "/_design%2Fapp", NULL);
    g_autoptr(JsonNode) ddoc = http_json (f, "GET", escaped, NULL, NULL, 200, NULL);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (ddoc), "_id"), ==, "_design/app");
  }
  /* Glossa kept the attachment's revpos, as PouchDB Server has it. */
  g_assert_nonnull (strstr (ours, "\"digest\" : \"md5-w0GJ1pqALuFd7SnH5dD61A==\",\n              \"revpos\" : 1"));

  /* Glossa pushes it to a new database. */
  pouch_create (f, "awkward-back");
  push = replicate (local, back, GLS_REPLICATOR_DIRECTION_PUSH);
  g_clear_pointer (&ours, g_free);
  g_clear_pointer (&theirs, g_free);
  ours = dump_http (f, pulled_url, NULL, DUMP_COUNTS | DUMP_NO_REVPOS);
  theirs = dump_http (f, back, NULL, DUMP_COUNTS | DUMP_NO_REVPOS);
  assert_same_dump (ours, theirs);

  /* PouchDB Server pulls it from Glossa. */
  pouch_replicate (f, pulled_url, "awkward-again", -1);
  g_clear_pointer (&theirs, g_free);
  theirs = dump_http (f, again, NULL, DUMP_COUNTS | DUMP_NO_REVPOS);
  assert_same_dump (ours, theirs);

  /* PouchDB Server pushes it into Glossa with its own replicator. */
  serve_new_store (f, "awkward-pushed");
  pouch_replicate (f, "awkward", pushed_url, -1);
  g_clear_pointer (&ours, g_free);
  g_clear_pointer (&theirs, g_free);
  ours = dump_http (f, pushed_url, NULL, DUMP_COUNTS | DUMP_NO_REVPOS);
  theirs = dump_http (f, src, NULL, DUMP_COUNTS | DUMP_NO_REVPOS);
  assert_same_dump (ours, theirs);
}

/* --- Access keys, as PouchDB sees them --- */

static void
test_access (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->pouch, "_replicate", NULL);
  g_autofree char *wrong = NULL;
  g_autofree char *body = NULL;
  g_autofree char *cmd = NULL;
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) result = NULL;
  guint status = 0;
  gint64 seq;

  fill_workspace (f);
  seq = gls_store_get_update_seq (f->store);

  /* A wrong key: PouchDB Server's replicator is refused (401). */
  wrong = g_strdup_printf ("http://peer:not-the-key@127.0.0.1:%u/review", gls_peer_server_get_port (f->server));
  body = g_strdup_printf ("{\"source\":\"%s\",\"target\":\"denied\"}", wrong);
  answer = http_json (f, "POST", url, NULL, body, 0, &status);
  text = json_to_string (answer, FALSE);
  g_test_message ("PouchDB Server with a wrong key: %u %s", status, text);
  g_assert_cmpuint (status, !=, 200);
  g_assert_nonnull (strstr (text, "nauthorized"));

  /* The read-only key: PouchDB 9 pulls everything, and cannot push. */
  start_peer9 (f);
  cmd = g_strdup_printf ("{\"op\":\"replicate\",\"from\":\"%s\"}", f->read_only_link);
  result = peer9 (f, cmd);
  assert_replication_ok (result, -1);
  ours = dump_http (f, f->review, f->auth, DUMP_DOCS);
  theirs = peer9_dump (f);
  assert_same_dump (ours, theirs);

  g_clear_pointer (&result, json_node_unref);
  result = peer9 (f, "{\"op\":\"put\",\"doc\":{\"_id\":\"not-allowed\"}}");
  g_clear_pointer (&answer, json_node_unref);
  g_free (cmd);
  cmd = g_strdup_printf ("{\"op\":\"replicate\",\"to\":\"%s\"}", f->read_only_link);
  answer = peer9_answer (f, cmd);
  g_free (text);
  text = json_to_string (answer, FALSE);
  g_test_message ("PouchDB 9 pushing with the read-only key: %s", text);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (answer), "ok"));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (answer), "status"), ==, 403);
  g_assert_false (store_has (f->store, "not-allowed"));
  g_assert_cmpint (gls_store_get_update_seq (f->store), ==, seq);
}

/* --- d. PouchDB 9 --- */

static char *
peer9_dump (Fixture *f)
{
  g_autoptr(JsonNode) dump = peer9 (f, "{\"op\":\"dump\"}");

  return canonical_string (dump);
}

/* Our dump without the database counts, which PouchDB's API has no
 * direct way to report. */
static char *
dump_glossa_docs (Fixture *f)
{
  return dump_http (f, f->review, f->auth, DUMP_DOCS);
}

static void
assert_replication_ok (JsonNode *result,
                       gint64    written)
{
  JsonObject *o = json_node_get_object (result);

  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "complete");
  g_assert_cmpint (json_object_get_int_member (o, "doc_write_failures"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "errors")), ==, 0);
  if (written >= 0)
    g_assert_cmpint (json_object_get_int_member (o, "docs_written"), ==, written);
}

static void
test_pouchdb9 (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *cmd = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GlsAnnotation) more = NULL;
  g_autoptr(GError) error = NULL;
  double worst_in = 0, worst_out = 0;

  fill_workspace (f);
  fill_awkward (f->store);
  start_peer9 (f);

  /* PouchDB 9 pulls our review: the same ids, revisions, bodies, file. */
  cmd = g_strdup_printf ("{\"op\":\"replicate\",\"from\":\"%s\"}", f->link);
  result = peer9 (f, cmd);
  assert_replication_ok (result, -1);
  ours = dump_glossa_docs (f);
  theirs = peer9_dump (f);
  assert_same_dump (ours, theirs);
  g_assert_nonnull (strstr (theirs, "\"image/png\""));

  /* It pushes its own documents to us: new, edited, with an attachment,
   * and a conflict it merged itself. */
  g_clear_pointer (&result, json_node_unref);
  result = peer9 (f, "{\"op\":\"bulk_docs\",\"docs\":["
                     "{\"_id\":\"p9-plain\",\"text\":\"from PouchDB 9\"},"
                     "{\"_id\":\"p9/slash id\",\"text\":\"an id with a slash\"},"
                     "{\"_id\":\"p9-gone\",\"text\":\"deleted before the push\"},"
                     "{\"_id\":\"p9-att\",\"_attachments\":{\"a.txt\":{\"content_type\":\"text/plain\","
                     "\"data\":\"UG91Y2hEQiA5\"}}}]}");
  g_clear_pointer (&result, json_node_unref);
  result = peer9 (f, "{\"op\":\"bulk_docs\",\"new_edits\":false,\"docs\":["
                     "{\"_id\":\"p9-conflict\",\"_rev\":\"2-" H ("7") "\",\"side\":1,"
                     "\"_revisions\":{\"start\":2,\"ids\":[\"" H ("7") "\",\"" H ("6") "\"]}},"
                     "{\"_id\":\"p9-conflict\",\"_rev\":\"2-" H ("8") "\",\"side\":2,"
                     "\"_revisions\":{\"start\":2,\"ids\":[\"" H ("8") "\",\"" H ("6") "\"]}}]}");
  g_clear_pointer (&result, json_node_unref);
  {
    /* The awkward documents again, under ids of its own. */
    g_autoptr(JsonArray) docs = json_array_new ();
    g_autoptr(JsonObject) command = json_object_new ();
    g_autoptr(JsonNode) node = NULL;
    g_autofree char *text = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (awkward_ids); i++)
      {
        g_autofree char *doc_text = awkward_doc (i);
        JsonNode *doc = json_from_string (doc_text, &error);
        g_autofree char *id = NULL;

        g_assert_no_error (error);
        if (g_str_has_prefix (awkward_ids[i], "_design/"))
          id = g_strconcat ("_design/p9 ", awkward_ids[i] + strlen ("_design/"), NULL);
        else
          id = g_strconcat ("p9 ", awkward_ids[i], NULL);
        json_object_set_string_member (json_node_get_object (doc), "_id", id);
        json_array_add_element (docs, doc);
      }
    json_object_set_string_member (command, "op", "bulk_docs");
    json_object_set_array_member (command, "docs", json_array_ref (docs));
    node = json_node_init_object (json_node_alloc (), command);
    /* Not json_to_string: json-glib 1.6 writes 1e21 as "1e+21.0". */
    text = gls_json_to_string (node);
    result = peer9 (f, text);
  }
  g_clear_pointer (&result, json_node_unref);
  result = peer9 (f, "{\"op\":\"remove\",\"id\":\"p9-gone\"}");
  g_clear_pointer (&result, json_node_unref);
  g_free (cmd);
  cmd = g_strdup_printf ("{\"op\":\"replicate\",\"to\":\"%s\"}", f->link);
  result = peer9 (f, cmd);
  assert_replication_ok (result, 6 + G_N_ELEMENTS (awkward_ids));
  g_clear_pointer (&ours, g_free);
  g_clear_pointer (&theirs, g_free);
  ours = dump_glossa_docs (f);
  theirs = peer9_dump (f);
  assert_same_dump (ours, theirs);
  g_assert_nonnull (strstr (ours, "\"p9-conflict\""));
  g_assert_nonnull (strstr (ours, "\"p9/slash id\""));
  g_assert_nonnull (strstr (ours, "\"_design/p9 app\""));
  g_assert_nonnull (strstr (ours, "\"p9 ünïcödé ✓\""));
  g_assert_false (store_has (f->store, "p9-gone"));
  {
    g_autoptr(JsonObject) doc = gls_store_get (f->store, "p9-conflict", NULL, GLS_STORE_GET_CONFLICTS, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, "2-" H ("8"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (doc, "_conflicts")), ==, 1);
  }

  /* Live, both ways (db.sync with live and retry). */
  g_clear_pointer (&result, json_node_unref);
  g_free (cmd);
  cmd = g_strdup_printf ("{\"op\":\"live\",\"url\":\"%s\"}", f->link);
  result = peer9 (f, cmd);
  spin_for (300);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GlsAnnotation) comment = NULL;
      g_autoptr(JsonNode) waited = NULL;
      g_autoptr(JsonNode) put = NULL;
      g_autofree char *text = g_strdup_printf ("Live to PouchDB 9, %u", i);
      g_autofree char *wait_cmd = NULL;
      g_autofree char *put_cmd = NULL;
      g_autofree char *id = g_strdup_printf ("p9-live-%u", i);
      gint64 start;
      double in_ms, out_ms;

      /* Glossa -> PouchDB 9: the script measures from when it was asked. */
      comment = gls_workspace_comment (f->workspace, gls_design_get_id (f->design), NULL, text, &error);
      g_assert_no_error (error);
      start = g_get_monotonic_time ();
      wait_cmd = g_strdup_printf ("{\"op\":\"wait\",\"id\":\"%s\",\"timeout_ms\":10000}",
                                  gls_annotation_get_id (comment));
      waited = peer9 (f, wait_cmd);
      out_ms = (g_get_monotonic_time () - start) / 1000.0;

      /* PouchDB 9 -> Glossa */
      start = g_get_monotonic_time ();
      put_cmd = g_strdup_printf ("{\"op\":\"put\",\"doc\":{\"_id\":\"%s\",\"live\":true}}", id);
      put = peer9 (f, put_cmd);
      in_ms = wait_in_store (f->store, id, start);

      g_test_message ("live, PouchDB 9 -> Glossa: %.0f ms; Glossa -> PouchDB 9: %.0f ms", in_ms, out_ms);
      worst_in = MAX (worst_in, in_ms);
      worst_out = MAX (worst_out, out_ms);
    }
  g_printerr ("# live with PouchDB 9: worst of 3, in %.0f ms, out %.0f ms\n", worst_in, worst_out);
  g_assert_cmpfloat (worst_in, <, LIVE_LIMIT_MS);
  g_assert_cmpfloat (worst_out, <, LIVE_LIMIT_MS);

  /* After a quiet spell longer than PouchDB's heartbeat (10 s), our
   * longpoll feed (kept open with heartbeat newlines) still delivers. */
  spin_for (11500);
  {
    g_autoptr(GlsAnnotation) comment = NULL;
    g_autoptr(JsonNode) waited = NULL;
    g_autofree char *wait_cmd = NULL;
    gint64 start;
    double ms;

    comment = gls_workspace_comment (f->workspace, gls_design_get_id (f->design), NULL, "After the quiet", &error);
    g_assert_no_error (error);
    start = g_get_monotonic_time ();
    wait_cmd = g_strdup_printf ("{\"op\":\"wait\",\"id\":\"%s\",\"timeout_ms\":10000}",
                                gls_annotation_get_id (comment));
    waited = peer9 (f, wait_cmd);
    ms = (g_get_monotonic_time () - start) / 1000.0;
    g_test_message ("live after 11.5 s of quiet, Glossa -> PouchDB 9: %.0f ms", ms);
    g_assert_cmpfloat (ms, <, LIVE_LIMIT_MS);
  }

  /* Offline: Glossa quits (its server goes away) and both sides keep
   * working; when it is back on the same port, PouchDB 9's live sync
   * (retry) catches up both ways. */
  {
    g_autoptr(GlsAnnotation) offline = NULL;
    g_autoptr(JsonNode) put = NULL;
    g_autoptr(JsonNode) waited = NULL;
    g_autofree char *uuid = g_strdup (gls_peer_server_get_uuid (f->server));
    g_autofree char *wait_cmd = NULL;
    guint port = gls_peer_server_get_port (f->server);
    gint64 start;
    double in_ms, out_ms;

    gls_peer_server_disconnect (f->server);
    g_clear_object (&f->server);
    offline = gls_workspace_comment (f->workspace, gls_design_get_id (f->design), NULL, "Written offline", &error);
    g_assert_no_error (error);
    put = peer9 (f, "{\"op\":\"put\",\"doc\":{\"_id\":\"p9-offline\",\"offline\":true}}");
    spin_for (1500);
    g_assert_false (store_has (f->store, "p9-offline"));

    f->server = gls_peer_server_new (uuid);
    g_assert_true (gls_peer_server_add_database (f->server, "review", f->store, &error));
    gls_peer_server_set_keys (f->server, "review", f->key, f->read_only_key);
    g_assert_true (gls_peer_server_listen (f->server, "127.0.0.1", port, &error));
    g_assert_no_error (error);
    start = g_get_monotonic_time ();
    in_ms = wait_in_store (f->store, "p9-offline", start);
    wait_cmd = g_strdup_printf ("{\"op\":\"wait\",\"id\":\"%s\",\"timeout_ms\":30000}",
                                gls_annotation_get_id (offline));
    waited = peer9 (f, wait_cmd);
    out_ms = (g_get_monotonic_time () - start) / 1000.0;
    g_printerr ("# PouchDB 9 back in sync after Glossa's restart: PouchDB 9 -> Glossa %.0f ms, "
                "Glossa -> PouchDB 9 %.0f ms\n", in_ms, out_ms);
  }

  /* Let the last pull write land, then stop; PouchDB reports no errors. */
  spin_for (300);
  g_clear_pointer (&result, json_node_unref);
  result = peer9 (f, "{\"op\":\"stop\"}");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (result), "errors")), ==, 0);
  g_clear_pointer (&ours, g_free);
  g_clear_pointer (&theirs, g_free);
  ours = dump_glossa_docs (f);
  theirs = peer9_dump (f);
  assert_same_dump (ours, theirs);
}

/* PouchDB pushes a whole batch (100 documents, attachments inline) in
 * one _bulk_docs: 80 files of 1 MB make a 107 MB request, which the old
 * 64 MB limit refused with 413, failing every such push. */
static void
test_pouchdb9_big_push (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) att = NULL;
  g_autofree char *cmd = NULL;

  start_peer9 (f);
  result = peer9 (f, "{\"op\":\"fill_atts\",\"n\":80,\"size\":1000000,\"prefix\":\"big-\"}");
  g_clear_pointer (&result, json_node_unref);
  cmd = g_strdup_printf ("{\"op\":\"replicate\",\"to\":\"%s\"}", f->link);
  result = peer9 (f, cmd);
  assert_replication_ok (result, 80);
  g_assert_cmpint (gls_store_get_doc_count (f->store), ==, 80);
  att = gls_store_get_attachment (f->store, "big-79", NULL, "f", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (att), ==, 1000000);
}

int
main (int   argc,
      char *argv[])
{
  const char *top = g_getenv ("GLOSSA_SOURCE_DIR");
  g_autofree char *interop = NULL;
  g_autofree char *missing = NULL;

  g_test_init (&argc, &argv, NULL);

  if (top == NULL)
    top = TEST_SRCDIR "/..";
  interop = g_build_filename (top, "tests", "interop", NULL);
  samples_dir = g_build_filename (top, "data", "samples", NULL);
  node_path = g_find_program_in_path ("node");
  pouchdb_server_js = g_build_filename (interop, "node_modules", "pouchdb-server", "bin", "pouchdb-server", NULL);
  peer9_js = g_build_filename (interop, "pouchdb9-peer.js", NULL);
  {
    g_autofree char *core = g_build_filename (interop, "node_modules", "pouchdb-core", "package.json", NULL);

    if (node_path == NULL)
      missing = g_strdup ("node is not installed");
    else if (!g_file_test (pouchdb_server_js, G_FILE_TEST_EXISTS) || !g_file_test (core, G_FILE_TEST_EXISTS))
      missing = g_strdup_printf ("%s/node_modules is not installed", interop);
  }

  if (missing != NULL)
    {
      /* The interop suite must not pass without its peers. */
      g_test_message ("%s: run build-aux/glossa-dev test (or `npm ci` in tests/interop)", missing);
      printf ("Bail out! %s: run build-aux/glossa-dev test\n", missing);
      return 1;
    }

  g_test_add ("/interop/pouchdb-server/pulls-workspace", Fixture, NULL,
              fixture_setup, test_pouchdb_server_pulls, fixture_teardown);
  g_test_add ("/interop/pouchdb-server/follows-live", Fixture, NULL,
              fixture_setup, test_pouchdb_server_follows, fixture_teardown);
  g_test_add ("/interop/pouchdb-server/connection-close", Fixture, NULL,
              fixture_setup, test_connection_close, fixture_teardown);
  g_test_add ("/interop/pouchdb-server/glossa-pulls-and-pushes", Fixture, NULL,
              fixture_setup, test_glossa_pulls_and_pushes, fixture_teardown);
  g_test_add ("/interop/pouchdb-server/live", Fixture, NULL,
              fixture_setup, test_glossa_live, fixture_teardown);
  g_test_add ("/interop/pouchdb-server/hub", Fixture, NULL,
              fixture_setup, test_hub, fixture_teardown);
  g_test_add ("/interop/pouchdb-server/text-hub", Fixture, NULL,
              fixture_setup, test_text_hub, fixture_teardown);
  g_test_add ("/interop/pouchdb-server/review-hub", Fixture, NULL,
              fixture_setup, test_review_hub, fixture_teardown);
  g_test_add ("/interop/pouchdb-server/cli-sync", Fixture, NULL,
              fixture_setup, test_cli_sync, fixture_teardown);
  g_test_add ("/interop/without-bulk-get", Fixture, NULL,
              fixture_setup, test_without_bulk_get, fixture_teardown);
  g_test_add ("/interop/pouchdb-server/conflicts", Fixture, NULL,
              fixture_setup, test_conflicts_from_pouchdb_server, fixture_teardown);
  g_test_add ("/interop/pouchdb-server/awkward-content", Fixture, NULL,
              fixture_setup, test_awkward_content, fixture_teardown);
  g_test_add ("/interop/access-keys", Fixture, NULL,
              fixture_setup, test_access, fixture_teardown);
  g_test_add ("/interop/pouchdb9/big-push", Fixture, NULL,
              fixture_setup, test_pouchdb9_big_push, fixture_teardown);
  g_test_add ("/interop/pouchdb9/both-ways", Fixture, NULL,
              fixture_setup, test_pouchdb9, fixture_teardown);

  return g_test_run ();
}
