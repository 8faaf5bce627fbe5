/* test-util.c: data dirs, stores, servers and the main-loop pump for tests
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-util"

#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <sys/prctl.h>

#include <json-glib/json-glib.h>

#include "test-util.h"

/* A loopback port free now and below the kernel's ephemeral range
 * (32768 up): a port the kernel handed out and took back can go to any
 * outgoing connection of a test running in parallel, and connecting to
 * one with nothing listening can even connect a socket to itself. Nobody
 * is given one of these without asking for it by number. */
guint
test_quiet_port (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

  for (guint tries = 0; tries < 1000; tries++)
    {
      guint port = (guint) g_random_int_range (20000, 32000);
      g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL);
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, (guint16) port);

      if (socket != NULL && g_socket_bind (socket, address, TRUE, NULL))
        return port;
    }
  g_error ("no free loopback port between 20000 and 32000");
}

/* In the child, before exec: it gets SIGKILL when the test that started
 * it ends, even by a failed assertion, so no `glossa serve` is left
 * running after an aborted test. */
void
test_die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* As g_subprocess_new, for a child that dies with the test. */
GSubprocess *
test_spawn (GSubprocessFlags   flags,
            GError           **error,
            const char        *argv0,
            ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) argv0);
  va_start (args, argv0);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_child_setup (launcher, test_die_with_parent, NULL, NULL);
  return g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, error);
}

/* Removes a file, or a folder and all it holds (not following symbolic
 * links); what is not there is fine. */
void
test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    {
      g_remove (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      test_rm_rf (child);
    }
  g_rmdir (path);
}

/* A new empty folder in the temporary folder, named after `tmpl` (as for
 * g_dir_make_tmp, "glossa-thing-XXXXXX"); free it with
 * test_data_dir_free (). */
char *
test_data_dir_new (const char *tmpl)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  g_assert_nonnull (dir);
  return dir;
}

/* Removes `dir` and all it holds, and frees the string; NULL is fine. */
void
test_data_dir_free (char *dir)
{
  if (dir == NULL)
    return;
  test_rm_rf (dir);
  g_free (dir);
}

/* The path of data/samples/`name` in the source tree. */
char *
test_sample_path (const char *name)
{
  const char *top = g_getenv ("GLOSSA_SOURCE_DIR");

  if (top == NULL)
    top = TEST_SRCDIR "/..";
  return g_build_filename (top, "data", "samples", name, NULL);
}

/* Runs the default main context until `condition` holds; FALSE when it
 * still does not after `timeout_s` seconds. */
gboolean
test_wait_until (TestPredicate condition,
                 gpointer      data,
                 double        timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

/* As test_wait_until (), saying what it waited for (`what`, when it is
 * not NULL) when it times out. */
gboolean
test_wait_for (TestPredicate  predicate,
               gpointer       data,
               double         seconds,
               const char    *what)
{
  if (test_wait_until (predicate, data, seconds))
    return TRUE;
  if (what != NULL)
    g_test_message ("timed out waiting for %s", what);
  return FALSE;
}

/* Runs the default main context for `ms` milliseconds: what is pending,
 * and what comes meanwhile (cancelled requests, closed connections). */
void
test_settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
}

/* A GAsyncReadyCallback: `user_data` is a GAsyncResult ** that gets a
 * reference to the result, for test_wait_result (). */
void
test_wait_result_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Runs the default main context until test_wait_result_cb () set
 * *result; returns it (still owned by *result). */
GAsyncResult *
test_wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

/* Opens (creating it) the store `name` in `dir`. */
GlsStore *
test_store_open (const char *dir,
                 const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GlsStore *store = gls_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

/* Writes one document, given as JSON, as a local edit. */
void
test_store_put_json (GlsStore   *store,
                     const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  g_autofree char *rev = NULL;

  g_assert_no_error (error);
  rev = gls_store_put (store, json_node_get_object (node), &error);
  g_assert_no_error (error);
  g_assert_nonnull (rev);
}

/* Writes revisions as a replicator does (new_edits=false), given as a
 * JSON array; none may be refused. */
void
test_store_put_revs (GlsStore   *store,
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

#define H(c) c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c

/* `n_plain` plain documents (doc-000…) and one each of: with a small
 * attachment (with-att), edited (edited), deleted (gone), conflicted
 * (conflicted). Returns how many leaves it wrote. */
gint64
test_store_fill (GlsStore *store,
                 guint     n_plain)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *rev = NULL;

  for (guint i = 0; i < n_plain; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"_id\":\"doc-%03u\",\"n\":%u}", i, i);

      test_store_put_json (store, json);
    }
  test_store_put_json (store, "{\"_id\":\"with-att\",\"title\":\"x\",\"_attachments\":{\"note.txt\":"
                              "{\"content_type\":\"text/plain\",\"data\":\"aGVsbG8gd29ybGQ=\"}}}");
  test_store_put_json (store, "{\"_id\":\"edited\",\"v\":1}");
  doc = gls_store_get (store, "edited", NULL, GLS_STORE_GET_NONE, &error);
  g_assert_no_error (error);
  json_object_set_int_member (doc, "v", 2);
  rev = gls_store_put (store, doc, &error);
  g_assert_no_error (error);
  g_clear_pointer (&rev, g_free);
  test_store_put_json (store, "{\"_id\":\"gone\",\"v\":1}");
  g_clear_pointer (&doc, json_object_unref);
  doc = gls_store_get (store, "gone", NULL, GLS_STORE_GET_NONE, &error);
  rev = gls_store_delete (store, "gone", json_object_get_string_member (doc, "_rev"), NULL, &error);
  g_assert_no_error (error);
  test_store_put_revs (store,
                       "[{\"_id\":\"conflicted\",\"_rev\":\"2-" H ("b") "\",\"side\":\"b\","
                       "\"_revisions\":{\"start\":2,\"ids\":[\"" H ("b") "\",\"" H ("1") "\"]}},"
                       "{\"_id\":\"conflicted\",\"_rev\":\"2-" H ("c") "\",\"side\":\"c\","
                       "\"_revisions\":{\"start\":2,\"ids\":[\"" H ("c") "\",\"" H ("1") "\"]}}]");
  return n_plain + 5;
}

static int
cmp_strp (gconstpointer a,
          gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* Every document with every leaf (bodies, _revisions, attachments),
 * sorted by id, and the counts: two stores with the same dump hold the
 * same data. */
char *
test_store_dump (GlsStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) changes = gls_store_changes (store, 0, 0, TRUE, &error);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  GString *out = g_string_new (NULL);
  JsonArray *results;

  g_assert_no_error (error);
  results = json_object_get_array_member (changes, "results");
  for (guint i = 0; i < json_array_get_length (results); i++)
    g_ptr_array_add (ids, (gpointer) json_object_get_string_member (json_array_get_object_element (results, i), "id"));
  g_ptr_array_sort (ids, cmp_strp);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(JsonArray) leaves = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;

      /* No two rows of the changes feed for one document. */
      if (i > 0)
        g_assert_cmpstr (g_ptr_array_index (ids, i - 1), !=, g_ptr_array_index (ids, i));
      leaves = gls_store_get_open_revs (store, g_ptr_array_index (ids, i), NULL,
                                        GLS_STORE_GET_REVS | GLS_STORE_GET_ATTACHMENTS, &error);
      g_assert_no_error (error);
      node = json_node_init_array (json_node_alloc (), leaves);
      text = json_to_string (node, FALSE);
      g_string_append_printf (out, "%s\n", text);
    }
  g_string_append_printf (out, "count=%" G_GINT64_FORMAT " deleted=%" G_GINT64_FORMAT "\n",
                          gls_store_get_doc_count (store), gls_store_get_doc_del_count (store));
  return g_string_free (out, FALSE);
}

/* `a` and `b` hold the same documents, leaves and counts. */
void
test_assert_stores_identical (GlsStore *a,
                              GlsStore *b)
{
  g_autofree char *da = test_store_dump (a);
  g_autofree char *db = test_store_dump (b);

  g_assert_cmpstr (da, ==, db);
}

/* Opens (creating it) the workspace `name` (NULL: the default one) in
 * the data dir `dir`. */
GlsWorkspace *
test_workspace_open (const char *dir,
                     const char *name)
{
  g_autoptr(GError) error = NULL;
  GlsWorkspace *workspace = gls_workspace_open (dir, name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (workspace);
  return workspace;
}

/* Adds data/samples/`name` to `workspace` as a design. */
GlsDesign *
test_workspace_add_sample (GlsWorkspace *workspace,
                           const char   *name)
{
  g_autofree char *path = test_sample_path (name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GlsDesign *design;

  design = gls_workspace_add_design (workspace, file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (design);
  return design;
}

/* A GlsPeerServer (with `uuid`, or a new one when NULL) listening on a
 * port of 127.0.0.1 the kernel chose, serving `store` as `db_name`
 * without a key. Returns the database's URL,
 * http://127.0.0.1:PORT/DB_NAME; *server gets the server. */
char *
test_server_start (GlsStore       *store,
                   const char     *db_name,
                   const char     *uuid,
                   GlsPeerServer **server)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  *server = gls_peer_server_new (uuid);
  g_assert_true (gls_peer_server_add_database (*server, db_name, store, &error));
  g_assert_no_error (error);
  g_assert_true (gls_peer_server_listen (*server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  uri = gls_peer_server_dup_uri (*server);
  return g_strconcat (uri, db_name, NULL);
}

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

/* Runs one replication to its end, iterating the default main context
 * (where a GlsPeerServer of the test answers) meanwhile. */
gboolean
test_replicator_run (GlsReplicator  *repl,
                     GCancellable   *cancellable,
                     GError        **error)
{
  RunResult r = { 0 };

  gls_replicator_run_async (repl, cancellable, run_cb, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.ok;
}

void
test_run_clear (TestRun *run)
{
  g_free (run->out);
  g_free (run->err);
}

char *
test_ui_home_new (const char *template)
{
  char *home = g_dir_make_tmp (template, NULL);

  g_assert_nonnull (home);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  return home;
}

TestRun
test_glossa_run (const char *data_dir,
                 const char *cwd,
                 const char *first,
                 ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  return test_glossa_runv (data_dir, cwd, (const char * const *) argv->pdata);
}

TestRun
test_glossa_runv (const char         *data_dir,
                  const char         *cwd,
                  const char * const *argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  TestRun run = { 0 };

  g_ptr_array_add (args, (char *) g_getenv ("GLOSSA_BIN"));
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (char *) argv[i]);
  g_ptr_array_add (args, (char *) "--data-dir");
  g_ptr_array_add (args, (char *) data_dir);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run.out, &run.err, &error);
  g_assert_no_error (error);
  run.status = g_subprocess_get_exit_status (process);
  return run;
}

char *
test_glossa_must (TestRun run)
{
  if (run.status != 0)
    g_error ("glossa failed (%d): %s", run.status, run.err);
  g_free (run.err);
  return g_strstrip (run.out);
}
