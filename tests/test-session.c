/* test-session.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "gls-session.h"
#include "test-util.h"

#define WAIT_S 20

static void
write_file (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static char *
read_file (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static GKeyFile *
read_key_file (const char *dir,
               const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  struct stat st;

  g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  /* They hold keys: only their owner reads them. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  if (!g_str_equal (name, "sharing.ini"))
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  return g_steal_pointer (&file);
}

static void
assert_links (GKeyFile          *file,
              const char        *workspace,
              const char *const *expected)
{
  g_autofree char *group = g_strconcat ("workspace ", workspace, NULL);
  g_auto(GStrv) links = g_key_file_get_string_list (file, group, "links", NULL, NULL);

  g_assert_nonnull (links);
  g_assert_true (g_strv_equal ((const char *const *) links, expected));
}

static void
assert_list_links (GlsPeerList       *peers,
                   const char *const *expected)
{
  g_auto(GStrv) links = gls_peer_list_dup_links (peers);

  g_assert_true (g_strv_equal ((const char *const *) links, expected));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (peers)), ==, g_strv_length ((char **) expected));
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static GlsSession *
load_session (const char *dir)
{
  GlsSession *session = gls_session_new (dir);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gls_session_load_async (session, NULL, test_wait_result_cb, &result);
  /* The files are read in a thread: nothing is known yet. */
  g_assert_false (gls_session_get_loaded (session));
  g_assert_null (gls_session_get_share (session));
  g_assert_true (test_wait_for (is_set, &result, WAIT_S, "the session to load"));
  g_assert_true (gls_session_load_finish (session, result, &error));
  g_assert_no_error (error);
  g_assert_true (gls_session_get_loaded (session));
  g_assert_nonnull (gls_session_get_share (session));
  return session;
}

static GlsWorkspace *
open_finish (GlsSession   *session,
             GAsyncResult *result,
             gboolean      expect_created)
{
  g_autoptr(GError) error = NULL;
  gboolean created = !expect_created;
  GlsWorkspace *workspace;

  workspace = gls_session_open_workspace_finish (session, result, &created, &error);
  g_assert_no_error (error);
  g_assert_nonnull (workspace);
  g_assert_cmpint (created, ==, expect_created);
  return workspace;
}

static gboolean
is_saved (gpointer data)
{
  return !gls_session_get_saving (data);
}

static void
count_saves_cb (GlsSession *session,
                GParamSpec *pspec,
                guint      *saves)
{
  if (!gls_session_get_saving (session))
    (*saves)++;
}

static const char peers_ini[] =
  "# The peers of every workspace\n"
  "[workspace board]\n"
  "links=http://peer:a@127.0.0.1:1/board;http://peer:b@127.0.0.2:1/board;\n"
  "\n"
  "[workspace notes]\n"
  "links=http://peer:c@127.0.0.1:1/notes;\n"
  "\n"
  "[workspace elsewhere]\n"
  "links=http://peer:d@127.0.0.1:1/elsewhere;\n";

/* A data dir's three files come in, two workspaces open at once each with
 * its peers, and every change goes back out through the main loop. */
static void
test_session_load_and_save (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glossa-session-XXXXXX", NULL);
  g_autofree char *serve_ini = NULL;
  g_autofree char *board_link = NULL;
  g_autofree char *notes_link = NULL;
  g_autofree char *notes_key = NULL;
  g_autofree char *before = NULL;
  g_autofree char *sharing_before = NULL;
  g_autoptr(GAsyncResult) board_result = NULL;
  g_autoptr(GAsyncResult) notes_result = NULL;
  g_autoptr(GAsyncResult) again_result = NULL;
  g_autoptr(GlsWorkspace) board = NULL;
  g_autoptr(GlsWorkspace) notes = NULL;
  g_autoptr(GKeyFile) file = NULL;
  g_autoptr(GError) error = NULL;
  GlsSession *session;
  GlsShare *share;
  GlsPeerList *board_peers;
  GlsPeerList *notes_peers;
  guint port = test_quiet_port ();
  guint saves = 0;
  const char *board_links[] = { "http://peer:a@127.0.0.1:1/board", "http://peer:b@127.0.0.2:1/board", NULL };
  const char *notes_links[] = { "http://peer:c@127.0.0.1:1/notes", NULL };
  const char *notes_more[] = { "http://peer:c@127.0.0.1:1/notes", "http://peer:e@127.0.0.3:1/notes", NULL };
  const char *notes_last[] = { "http://peer:e@127.0.0.3:1/notes", "http://peer:f@127.0.0.4:1/notes", NULL };
  const char *elsewhere_links[] = { "http://peer:d@127.0.0.1:1/elsewhere", NULL };

  /* "notes" exists already, "board" does not. */
  notes = gls_workspace_open (dir, "notes", &error);
  g_assert_no_error (error);
  g_clear_object (&notes);

  write_file (dir, "peers.ini", peers_ini);
  write_file (dir, "sharing.ini", "[sharing]\nworkspaces=board;\nlan=false\nplain-http=false\n");
  serve_ini = g_strdup_printf ("[share]\nport=%u\n\n[workspace board]\nkey=boardkey123\nread-only-key=boardread456\n", port);
  write_file (dir, "serve.ini", serve_ini);

  session = load_session (dir);
  share = gls_session_get_share (session);
  g_assert_false (gls_share_get_lan (share));
  g_assert_false (gls_share_get_plain_http (share));
  g_signal_connect (session, "notify::saving", G_CALLBACK (count_saves_cb), &saves);

  /* Both at once; a second request for a workspace being opened waits
   * for the same one. */
  gls_session_open_workspace_async (session, "board", NULL, test_wait_result_cb, &board_result);
  gls_session_open_workspace_async (session, "notes", NULL, test_wait_result_cb, &notes_result);
  gls_session_open_workspace_async (session, "notes", NULL, test_wait_result_cb, &again_result);
  g_assert_null (gls_session_get_workspace (session, "board"));
  g_assert_true (test_wait_for (is_set, &board_result, WAIT_S, "board"));
  g_assert_true (test_wait_for (is_set, &notes_result, WAIT_S, "notes"));
  g_assert_true (test_wait_for (is_set, &again_result, WAIT_S, "notes again"));
  board = open_finish (session, board_result, TRUE);
  notes = open_finish (session, notes_result, FALSE);
  {
    g_autoptr(GlsWorkspace) same = open_finish (session, again_result, FALSE);

    g_assert_true (same == notes);
  }
  g_assert_true (gls_session_get_workspace (session, "board") == board);
  g_assert_true (gls_session_get_workspace (session, "notes") == notes);
  board_peers = gls_session_get_peer_list (session, "board");
  notes_peers = gls_session_get_peer_list (session, "notes");
  g_assert_true (gls_peer_list_get_workspace (board_peers) == board);
  g_assert_true (gls_peer_list_get_workspace (notes_peers) == notes);
  assert_list_links (board_peers, board_links);
  assert_list_links (notes_peers, notes_links);
  /* Opening read files, and wrote none. */
  g_assert_false (gls_session_get_saving (session));
  g_assert_cmpuint (saves, ==, 0);

  /* Shared last time, on the port and with the key of serve.ini. */
  g_assert_true (gls_session_restore_sharing (session, "board", &error));
  g_assert_no_error (error);
  g_assert_true (gls_session_restore_sharing (session, "notes", &error));
  g_assert_no_error (error);
  g_assert_true (gls_share_is_sharing (share, "board"));
  g_assert_false (gls_share_is_sharing (share, "notes"));
  g_assert_cmpuint (gls_share_get_port (share), ==, port);
  board_link = gls_share_dup_link (share, "board");
  g_assert_true (g_str_has_prefix (board_link, "https://peer:boardkey123@127.0.0.1:"));
  /* Nothing new for the files. */
  g_assert_false (gls_session_get_saving (session));

  /* A peer added: the list has it at once, peers.ini only once the main
   * loop has run the save's end. */
  before = read_file (dir, "peers.ini");
  g_assert_nonnull (gls_peer_list_add (notes_peers, notes_more[1], &error));
  g_assert_no_error (error);
  g_assert_true (gls_session_get_saving (session));
  {
    g_autofree char *now = read_file (dir, "peers.ini");

    g_assert_cmpstr (now, ==, before);
  }
  g_assert_true (test_wait_for (is_saved, session, WAIT_S, "peers.ini"));
  g_assert_cmpuint (saves, ==, 1);
  file = read_key_file (dir, "peers.ini");
  assert_links (file, "notes", notes_more);
  assert_links (file, "board", board_links);
  assert_links (file, "elsewhere", elsewhere_links);
  g_clear_pointer (&file, g_key_file_unref);
  {
    g_autofree char *now = read_file (dir, "peers.ini");

    g_assert_true (g_str_has_prefix (now, "# The peers of every workspace\n"));
  }

  /* Sharing switched on for notes: a key made in memory, serve.ini and
   * sharing.ini written after. */
  sharing_before = read_file (dir, "sharing.ini");
  g_assert_true (gls_share_start (share, notes, &error));
  g_assert_no_error (error);
  notes_link = gls_share_dup_link (share, "notes");
  g_assert_nonnull (notes_link);
  g_assert_true (gls_session_get_saving (session));
  {
    g_autofree char *now = read_file (dir, "sharing.ini");
    g_autofree char *serve_now = read_file (dir, "serve.ini");

    g_assert_cmpstr (now, ==, sharing_before);
    g_assert_cmpstr (serve_now, ==, serve_ini);
  }
  g_assert_true (test_wait_for (is_saved, session, WAIT_S, "sharing.ini and serve.ini"));
  g_assert_cmpuint (saves, ==, 2);
  file = read_key_file (dir, "sharing.ini");
  {
    g_auto(GStrv) names = g_key_file_get_string_list (file, "sharing", "workspaces", NULL, &error);
    const char *expected[] = { "board", "notes", NULL };

    g_assert_no_error (error);
    g_assert_true (g_strv_equal ((const char *const *) names, expected));
    g_assert_false (g_key_file_get_boolean (file, "sharing", "lan", &error));
    g_assert_no_error (error);
  }
  g_clear_pointer (&file, g_key_file_unref);
  file = read_key_file (dir, "serve.ini");
  notes_key = g_key_file_get_string (file, "workspace notes", "key", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (notes_link, notes_key));
  {
    g_autofree char *board_key = g_key_file_get_string (file, "workspace board", "key", NULL);

    g_assert_cmpstr (board_key, ==, "boardkey123");
    g_assert_cmpint (g_key_file_get_integer (file, "share", "port", NULL), ==, port);
  }
  g_clear_pointer (&file, g_key_file_unref);

  /* Changes that come together are saved together; one that comes while a
   * save runs is saved after it. */
  g_assert_nonnull (gls_peer_list_add (notes_peers, notes_last[1], &error));
  g_assert_no_error (error);
  {
    g_autoptr(GlsPeer) first = g_list_model_get_item (G_LIST_MODEL (notes_peers), 0);

    gls_peer_list_remove (notes_peers, first);
  }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  gls_share_set_lan (share, TRUE);
  g_assert_true (test_wait_for (is_saved, session, WAIT_S, "the last changes"));
  g_assert_cmpuint (saves, >=, 3);
  g_assert_cmpuint (saves, <=, 4);
  file = read_key_file (dir, "peers.ini");
  assert_links (file, "notes", notes_last);
  g_clear_pointer (&file, g_key_file_unref);
  file = read_key_file (dir, "sharing.ini");
  g_assert_true (g_key_file_get_boolean (file, "sharing", "lan", NULL));
  g_clear_pointer (&file, g_key_file_unref);

  /* A closed workspace stops, and stays shared for next time. */
  gls_session_close_workspace (session, "notes");
  g_assert_null (gls_session_get_peer_list (session, "notes"));
  g_assert_null (gls_session_get_workspace (session, "notes"));
  g_assert_false (gls_share_is_sharing (share, "notes"));
  g_assert_false (gls_session_get_saving (session));

  g_clear_object (&board);
  g_clear_object (&notes);
  g_object_unref (session);
  test_settle (50);

  /* Next time: notes is shared again, with its key. */
  session = load_session (dir);
  gls_share_set_lan (gls_session_get_share (session), FALSE);
  g_clear_pointer (&again_result, g_object_unref);
  gls_session_open_workspace_async (session, "notes", NULL, test_wait_result_cb, &again_result);
  g_assert_true (test_wait_for (is_set, &again_result, WAIT_S, "notes, next time"));
  notes = open_finish (session, again_result, FALSE);
  assert_list_links (gls_session_get_peer_list (session, "notes"), notes_last);
  g_assert_true (gls_session_restore_sharing (session, "notes", &error));
  g_assert_no_error (error);
  {
    g_autofree char *link = gls_share_dup_link (gls_session_get_share (session), "notes");

    g_assert_nonnull (strstr (link, notes_key));
  }

  g_clear_object (&notes);
  g_object_unref (session);
  test_settle (50);
  test_rm_rf (dir);
}

static void
save_failed_cb (GlsSession  *session,
                const char  *message,
                char       **out)
{
  g_free (*out);
  *out = g_strdup (message);
}

/* Broken files: a warning each (see test_session_corrupt), the defaults,
 * and no write over them. */
static void
corrupt_run (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glossa-session-XXXXXX", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GlsWorkspace) board = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *failure = NULL;
  const char broken[] = "[workspace board\nlinks=http://127.0.0.1:1/board\n";
  GlsSession *session;
  GlsShare *share;
  GlsPeerList *peers;

  write_file (dir, "peers.ini", broken);
  write_file (dir, "sharing.ini", "[sharing\nworkspaces=board;\nlan=false\n");
  write_file (dir, "serve.ini", "key=without a group\n");

  session = load_session (dir);
  share = gls_session_get_share (session);
  /* The defaults: this computer only, HTTPS. */
  g_assert_false (gls_share_get_lan (share));
  g_assert_false (gls_share_get_plain_http (share));

  gls_session_open_workspace_async (session, "board", NULL, test_wait_result_cb, &result);
  g_assert_true (test_wait_for (is_set, &result, WAIT_S, "board"));
  board = open_finish (session, result, TRUE);
  peers = gls_session_get_peer_list (session, "board");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (peers)), ==, 0);

  /* Not shared: sharing.ini said nothing that could be read. */
  g_assert_true (gls_session_restore_sharing (session, "board", &error));
  g_assert_no_error (error);
  g_assert_false (gls_share_is_sharing (share, "board"));

  /* A new peer is kept in the list, but the broken peers.ini is left for
   * a person to mend, and the session says so. */
  g_signal_connect (session, "save-failed", G_CALLBACK (save_failed_cb), &failure);
  g_assert_nonnull (gls_peer_list_add (peers, "http://127.0.0.1:1/board", &error));
  g_assert_no_error (error);
  g_assert_true (test_wait_for (is_saved, session, WAIT_S, "the failed save"));
  g_assert_nonnull (failure);
  g_assert_nonnull (strstr (failure, "peers.ini"));
  {
    g_autofree char *now = read_file (dir, "peers.ini");

    g_assert_cmpstr (now, ==, broken);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (peers)), ==, 1);

  g_clear_object (&board);
  g_object_unref (session);
  test_settle (50);
  test_rm_rf (dir);
}

/* Warnings are fatal in tests, and the structured log has no
 * g_test_expect_message: the broken files are read in a subprocess whose
 * warnings are only printed. */
static void
test_session_corrupt (void)
{
  if (g_test_subprocess ())
    {
      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
      corrupt_run ();
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*WARNING*Could not read*sharing.ini*nothing is shared again*"
                             "*WARNING*Could not read*serve.ini*new keys when shared*"
                             "*WARNING*Could not read*peers.ini*starts without peers*");
  g_test_trap_assert_stderr_unmatched ("*CRITICAL*");
}

/* At shutdown the app cannot wait for the main loop: flush writes now. */
static void
test_session_flush (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glossa-session-XXXXXX", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GlsWorkspace) board = NULL;
  g_autoptr(GKeyFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "peers.ini", NULL);
  const char *links[] = { "http://127.0.0.1:1/board", NULL };
  GlsSession *session = load_session (dir);

  gls_session_open_workspace_async (session, "board", NULL, test_wait_result_cb, &result);
  g_assert_true (test_wait_for (is_set, &result, WAIT_S, "board"));
  board = open_finish (session, result, TRUE);
  g_assert_nonnull (gls_peer_list_add (gls_session_get_peer_list (session, "board"), links[0], &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  gls_session_shutdown (session);
  gls_session_flush (session);
  g_assert_false (gls_session_get_saving (session));
  file = read_key_file (dir, "peers.ini");
  assert_links (file, "board", links);

  g_clear_object (&board);
  g_object_unref (session);
  test_settle (50);
  test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/session/load-and-save", test_session_load_and_save);
  g_test_add_func ("/sync/session/corrupt", test_session_corrupt);
  g_test_add_func ("/sync/session/flush", test_session_flush);

  return g_test_run ();
}
