/* test-peers.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "gls-peer-server.h"
#include "gls-peer-list.h"
#include "gls-proof.h"
#include "gls-replicator.h"
#include "gls-share.h"
#include "gls-workspace.h"
#include "test-util.h"

#define WAIT_S 20

/* Two people, each with a data dir: A shares "board", B syncs with it. */
typedef struct
{
  char         *dir;
  char         *dir_a;
  char         *dir_b;
  GlsWorkspace *a;
  GlsWorkspace *b;
  GlsShare     *share;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = test_data_dir_new ("glossa-peers-XXXXXX");
  f->dir_a = g_build_filename (f->dir, "a", NULL);
  f->dir_b = g_build_filename (f->dir, "b", NULL);
  f->a = gls_workspace_open (f->dir_a, "board", &error);
  g_assert_no_error (error);
  f->b = gls_workspace_open (f->dir_b, "board", &error);
  g_assert_no_error (error);
  f->share = gls_share_new (f->dir_a);
  gls_share_set_lan (f->share, FALSE);
  /* Parallel tests must not fight over 5985: /sync/share/default-port
   * checks that one. */
  gls_share_set_default_port (f->share, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->share);
  test_settle (50);
  g_clear_object (&f->a);
  g_clear_object (&f->b);
  test_data_dir_free (f->dir);
  g_free (f->dir_a);
  g_free (f->dir_b);
}

typedef struct
{
  GlsPeer      *peer;
  GlsPeerState  state;
} StateWait;

static gboolean
peer_in_state (gpointer data)
{
  StateWait *w = data;

  return gls_peer_get_state (w->peer) == w->state;
}

static void
assert_state_soon (GlsPeer      *peer,
                   GlsPeerState  state,
                   double        seconds)
{
  StateWait w = { peer, state };

  if (!test_wait_for (peer_in_state, &w, seconds, NULL))
    g_error ("peer %s: state %d, expected %d (%s)", gls_peer_get_label (peer),
             gls_peer_get_state (peer), state,
             gls_peer_get_error_message (peer) ? gls_peer_get_error_message (peer) : "no message");
}

typedef struct
{
  GListModel *model;
  guint       n;
} CountWait;

static gboolean
model_has (gpointer data)
{
  CountWait *w = data;

  return g_list_model_get_n_items (w->model) >= w->n;
}

static void
assert_items_soon (GListModel *model,
                   guint       n,
                   double      seconds)
{
  CountWait w = { model, n };

  if (!test_wait_for (model_has, &w, seconds, NULL))
    g_error ("model has %u items, expected %u", g_list_model_get_n_items (model), n);
}

/* The number of comments (root and replies) in a threads model. */
static guint
count_comments (GListModel *threads)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (threads); i++)
    {
      g_autoptr(GlsThread) thread = g_list_model_get_item (threads, i);

      n += 1 + gls_thread_get_reply_count (thread);
    }
  return n;
}

typedef struct
{
  GListModel *threads;
  guint       n;
} CommentWait;

static gboolean
has_comments (gpointer data)
{
  CommentWait *w = data;

  return count_comments (w->threads) >= w->n;
}

static void
assert_comments_soon (GListModel *threads,
                      guint       n,
                      double      seconds)
{
  CommentWait w = { threads, n };

  if (!test_wait_for (has_comments, &w, seconds, NULL))
    g_error ("%u comments, expected %u", count_comments (threads), n);
}

static char *
share_link (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  char *link;

  g_assert_true (gls_share_start (f->share, f->a, &error));
  g_assert_no_error (error);
  link = gls_share_dup_link (f->share, "board");
  g_assert_nonnull (link);
  return link;
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

/* --- links --- */

static void
test_link_names (void)
{
  struct { const char *link; const char *name; } good[] = {
    { "http://peer:KEY@127.0.0.1:5985/board", "board" },
    { "https://hub.example.org/couch/reviews/", "reviews" },
    { "http://[::1]:5985/a%2Fb", "a/b" },
    { "http://localhost:5984/x$()+-_1", "x$()+-_1" },
  };
  const char *bad[] = {
    "",
    "board",
    "ftp://host/board",
    "file:///home/me/board",
    "http://host:5985/",
    "http://host:5985",
    "http:///board",
    "http://host/Board",
    "http://host/1board",
    "http://host/bo%20ard",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = gls_peer_link_dup_workspace_name (good[i].link, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (name, ==, good[i].name);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = gls_peer_link_dup_workspace_name (bad[i], &error);

      g_assert_null (name);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (error->message);
      g_assert_cmpuint (strlen (error->message), >, 10);
    }
}

/* --- sharing --- */

static void
changed_cb (GlsShare *share,
            guint    *count)
{
  (*count)++;
}

static void
test_share_basics (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) keys = NULL;
  g_autofree char *link = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *key = NULL;
  g_autofree char *ini = g_build_filename (f->dir_a, "serve.ini", NULL);
  g_autofree char *tls_key = g_build_filename (f->dir_a, "tls.key", NULL);
  guint changed = 0;
  guint port;

  g_signal_connect (f->share, "changed", G_CALLBACK (changed_cb), &changed);
  g_assert_false (gls_share_is_sharing (f->share, "board"));
  g_assert_null (gls_share_dup_link (f->share, "board"));
  g_assert_cmpuint (gls_share_get_port (f->share), ==, 0);

  link = share_link (f);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (gls_share_is_sharing (f->share, "board"));
  port = gls_share_get_port (f->share);
  g_assert_cmpuint (port, >, 0);

  /* The key is the one serve.ini keeps (0600), as `glossa serve` uses it. */
  g_assert_cmpuint (file_mode (ini), ==, 0600);
  keys = g_key_file_new ();
  g_assert_true (g_key_file_load_from_file (keys, ini, G_KEY_FILE_NONE, &error));
  key = g_key_file_get_string (keys, "workspace board", "key", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (key), ==, 43);
  /* HTTPS, the data dir's certificate pinned in the link. */
  g_assert_nonnull (gls_share_get_pin (f->share));
  expected = g_strdup_printf ("https://peer:%s@127.0.0.1:%u/board#pin=%s", key, port,
                              gls_share_get_pin (f->share));
  g_assert_cmpstr (link, ==, expected);
  g_assert_cmpuint (file_mode (tls_key), ==, 0600);

  /* Sharing again changes nothing. */
  g_assert_true (gls_share_start (f->share, f->a, &error));
  g_assert_cmpuint (changed, ==, 1);

  gls_share_stop (f->share, "board");
  g_assert_cmpuint (changed, ==, 2);
  g_assert_false (gls_share_is_sharing (f->share, "board"));
  g_assert_null (gls_share_dup_link (f->share, "board"));
  g_assert_cmpuint (gls_share_get_port (f->share), ==, 0);

  /* Sharing again: same port, same key, so the link still works. */
  g_clear_pointer (&link, g_free);
  link = share_link (f);
  g_assert_cmpstr (link, ==, expected);
  g_assert_cmpuint (changed, ==, 3);
}

/* Glossa restarts: a new GlsShare for the data dir listens on the port
 * of last time, so the links people were given keep working. */
static void
test_share_restart (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *link = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GError) error = NULL;
  guint port;

  /* Not a port from the kernel's ephemeral range: between the two shares,
   * a parallel test's connection could take it. */
  gls_share_set_default_port (f->share, test_quiet_port ());
  link = share_link (f);
  port = gls_share_get_port (f->share);

  g_clear_object (&f->share);
  test_settle (20);
  f->share = gls_share_new (f->dir_a);
  gls_share_set_lan (f->share, FALSE);
  gls_share_set_default_port (f->share, 0);
  again = share_link (f);
  g_assert_cmpuint (gls_share_get_port (f->share), ==, port);
  g_assert_cmpstr (again, ==, link);
}

static void
test_share_two_workspaces (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsWorkspace) notes = gls_workspace_open (f->dir_a, "notes", &error);
  g_autofree char *board_link = NULL;
  g_autofree char *notes_link = NULL;
  g_autoptr(GKeyFile) keys = NULL;
  const char *names[] = { "board", "notes", NULL };

  g_assert_no_error (error);
  board_link = share_link (f);
  g_assert_true (gls_share_start (f->share, notes, &error));
  g_assert_no_error (error);
  notes_link = gls_share_dup_link (f->share, "notes");
  g_assert_nonnull (strstr (notes_link, "/notes#pin=sha256:"));
  /* Each workspace has its own key. */
  g_assert_cmpstr (strchr (board_link, '@'), !=, strchr (notes_link, '@'));
  g_assert_cmpint (strcspn (board_link, "@"), ==, strcspn (notes_link, "@"));
  g_assert_false (strncmp (board_link, notes_link, strcspn (board_link, "@")) == 0);

  /* Stopping one keeps the other on the same port. */
  gls_share_stop (f->share, "board");
  g_assert_true (gls_share_is_sharing (f->share, "notes"));
  g_assert_cmpuint (gls_share_get_port (f->share), >, 0);

  /* gls_share_load_keys keeps existing keys and adds read-only ones. */
  keys = gls_share_load_keys (f->dir_a, names, TRUE, &error);
  g_assert_no_error (error);
  {
    g_autofree char *key = g_key_file_get_string (keys, "workspace notes", "key", NULL);
    g_autofree char *ro = g_key_file_get_string (keys, "workspace notes", "read-only-key", NULL);

    g_assert_nonnull (strstr (notes_link, key));
    g_assert_nonnull (ro);
    g_assert_cmpstr (ro, !=, key);
  }
  gls_share_stop (f->share, "notes");
  g_assert_cmpuint (gls_share_get_port (f->share), ==, 0);
}

static void
test_share_default_port (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) probe = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autofree char *link = NULL;
  gboolean port_free;

  g_assert_cmpuint (gls_share_get_default_port (f->share), ==, 0);
  gls_share_set_default_port (f->share, GLS_SHARE_DEFAULT_PORT);

  /* Is 5985 free right now? Then the share must take it. */
  probe = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, GLS_SHARE_DEFAULT_PORT);
  port_free = g_socket_bind (probe, address, TRUE, NULL);
  g_socket_close (probe, NULL);
  g_clear_object (&probe);

  link = share_link (f);
  if (port_free)
    g_assert_cmpuint (gls_share_get_port (f->share), ==, GLS_SHARE_DEFAULT_PORT);
  gls_share_stop (f->share, "board");

  /* Taken: the share falls back to another port. */
  probe = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  if (g_socket_bind (probe, address, TRUE, NULL) && g_socket_listen (probe, NULL))
    {
      g_autoptr(GlsShare) other = gls_share_new (f->dir_a);

      gls_share_set_lan (other, FALSE);
      g_assert_true (gls_share_start (other, f->a, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (gls_share_get_port (other), !=, GLS_SHARE_DEFAULT_PORT);
      g_assert_cmpuint (gls_share_get_port (other), >, 0);
      gls_share_stop (other, "board");
    }
  g_socket_close (probe, NULL);
}

static void
test_share_lan (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *link = NULL;
  g_autofree char *lan_link = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GlsPeerList) peers = NULL;
  GlsPeer *peer;
  guint changed = 0;

  link = share_link (f);
  g_signal_connect (f->share, "changed", G_CALLBACK (changed_cb), &changed);
  gls_share_set_lan (f->share, TRUE);
  g_assert_true (gls_share_get_lan (f->share));
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (gls_share_is_sharing (f->share, "board"));
  lan_link = gls_share_dup_link (f->share, "board");
  uri = g_uri_parse (lan_link, G_URI_FLAGS_HAS_PASSWORD, &error);
  g_assert_no_error (error);
  /* The link names this machine as others see it, not 127.0.0.1. */
  g_assert_cmpstr (g_uri_get_host (uri), !=, "127.0.0.1");
  g_assert_cmpint (g_uri_get_port (uri), ==, gls_share_get_port (f->share));

  /* Listening on every address includes loopback. */
  {
    g_autofree char *local = g_strdup_printf ("https://peer:%s@127.0.0.1:%u/board#%s",
                                              g_uri_get_password (uri),
                                              gls_share_get_port (f->share),
                                              g_uri_get_fragment (uri));

    peers = gls_peer_list_new (f->b);
    peer = gls_peer_list_add (peers, local, &error);
    g_assert_no_error (error);
    assert_state_soon (peer, GLS_PEER_STATE_LIVE, WAIT_S);
  }

  /* And IPv6, when this machine has it. */
  {
    g_autoptr(GSocket) probe = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_STREAM,
                                             G_SOCKET_PROTOCOL_TCP, NULL);
    g_autoptr(GInetAddress) loopback6 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
    g_autoptr(GSocketAddress) any6 = g_inet_socket_address_new (loopback6, 0);

    if (probe != NULL && g_socket_bind (probe, any6, FALSE, NULL))
      {
        g_autofree char *local6 = g_strdup_printf ("https://peer:%s@[::1]:%u/board#%s",
                                                   g_uri_get_password (uri),
                                                   gls_share_get_port (f->share),
                                                   g_uri_get_fragment (uri));
        g_autofree char *label = g_strdup_printf ("[::1]:%u/board", gls_share_get_port (f->share));

        peer = gls_peer_list_add (peers, local6, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (peers)), ==, 2);
        assert_state_soon (peer, GLS_PEER_STATE_LIVE, WAIT_S);
        g_assert_cmpstr (gls_peer_get_label (peer), ==, label);
      }
    else
      g_test_message ("no IPv6 here");
    if (probe != NULL)
      g_socket_close (probe, NULL);
  }
  gls_peer_list_shutdown (peers);
}

/* --- syncing --- */

static void
test_sync_live (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsDesign) board = test_workspace_add_sample (f->a, "board.png");
  g_autoptr(GlsAnnotation) first = NULL;
  g_autoptr(GlsAnnotation) second = NULL;
  g_autoptr(GlsAnnotation) reply = NULL;
  g_autoptr(GlsAnnotation) offline_a = NULL;
  g_autoptr(GlsAnnotation) offline_b = NULL;
  g_autoptr(GlsPeerList) peers = NULL;
  g_autoptr(GlsDesign) arrived = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GDateTime) first_synced = NULL;
  g_autofree char *link = NULL;
  g_autofree char *relink = NULL;
  GListModel *designs_b = gls_workspace_get_designs (f->b);
  GListModel *threads_a = gls_workspace_get_threads (f->a, gls_design_get_source (board));
  GListModel *threads_b = gls_workspace_get_threads (f->b, gls_design_get_source (board));
  GlsSelector point = { GLS_SELECTOR_POINT, 0, 120, 80, 0, 0 };
  GlsPeer *peer;
  gint64 start, elapsed;
  guint port;

  first = gls_workspace_comment (f->a, gls_design_get_id (board), &point, "Is D1 reversed?", &error);
  g_assert_no_error (error);
  link = share_link (f);
  port = gls_share_get_port (f->share);

  peers = gls_peer_list_new (f->b);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (peers)), ==, 0);
  g_assert_true (gls_peer_list_get_workspace (peers) == f->b);
  peer = gls_peer_list_add (peers, link, &error);
  g_assert_no_error (error);
  g_assert_nonnull (peer);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (peers)), ==, 1);
  g_assert_cmpstr (gls_peer_get_link (peer), ==, link);
  g_assert_null (strstr (gls_peer_get_url (peer), "peer:"));
  g_assert_true (g_str_has_suffix (gls_peer_get_url (peer), "/board"));
  {
    g_autofree char *label = g_strdup_printf ("127.0.0.1:%u/board", port);

    g_assert_cmpstr (gls_peer_get_label (peer), ==, label);
  }
  g_assert_null (gls_peer_get_last_synced (peer));
  /* Adding the same link again gives the same peer. */
  g_assert_true (gls_peer_list_add (peers, link, &error) == peer);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (peers)), ==, 1);

  /* The design arrives with its file, and the thread. */
  assert_items_soon (designs_b, 1, WAIT_S);
  arrived = g_list_model_get_item (designs_b, 0);
  g_assert_cmpstr (gls_design_get_id (arrived), ==, gls_design_get_id (board));
  file = gls_workspace_load_design_file (f->b, gls_design_get_id (arrived), &error);
  g_assert_no_error (error);
  original = gls_workspace_load_design_file (f->a, gls_design_get_id (board), &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (file, original));
  assert_comments_soon (threads_b, 1, WAIT_S);

  assert_state_soon (peer, GLS_PEER_STATE_LIVE, WAIT_S);
  g_assert_nonnull (gls_peer_get_last_synced (peer));
  g_assert_null (gls_peer_get_error_message (peer));
  g_assert_cmpint (gls_peer_get_docs_written (peer), >=, 2);
  first_synced = g_date_time_ref (gls_peer_get_last_synced (peer));

  /* A comment made in A shows up in B within a second. */
  test_settle (20);
  start = g_get_monotonic_time ();
  second = gls_workspace_comment (f->a, gls_design_get_id (board), NULL, "Silkscreen overlaps", &error);
  g_assert_no_error (error);
  assert_comments_soon (threads_b, 2, 5);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("A -> B in %" G_GINT64_FORMAT " ms", elapsed / 1000);
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);

  /* A reply made in B shows up in A within a second. */
  start = g_get_monotonic_time ();
  reply = gls_workspace_reply (f->b, gls_annotation_get_id (first), "Yes, flip it", &error);
  g_assert_no_error (error);
  assert_comments_soon (threads_a, 3, 5);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("B -> A in %" G_GINT64_FORMAT " ms", elapsed / 1000);
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);
  {
    g_autoptr(GlsThread) thread = gls_workspace_find_thread (f->a, gls_annotation_get_id (first));

    g_assert_nonnull (thread);
    g_assert_cmpuint (gls_thread_get_reply_count (thread), ==, 1);
  }
  g_assert_cmpint (gls_peer_get_state (peer), ==, GLS_PEER_STATE_LIVE);
  /* Caught up again after more changes: last-synced moved on. */
  g_assert_true (g_date_time_compare (gls_peer_get_last_synced (peer), first_synced) > 0);

  /* A stops sharing: B's peer goes offline and keeps trying. */
  gls_share_stop (f->share, "board");
  assert_state_soon (peer, GLS_PEER_STATE_OFFLINE, WAIT_S);

  /* Both write while apart. */
  offline_a = gls_workspace_comment (f->a, gls_design_get_id (board), NULL, "Written while apart (A)", &error);
  g_assert_no_error (error);
  offline_b = gls_workspace_reply (f->b, gls_annotation_get_id (second), "Written while apart (B)", &error);
  g_assert_no_error (error);
  test_settle (300);
  g_assert_cmpint (gls_peer_get_state (peer), ==, GLS_PEER_STATE_OFFLINE);
  g_assert_cmpuint (count_comments (threads_a), ==, 4);
  g_assert_cmpuint (count_comments (threads_b), ==, 4);

  /* A shares again: same port and key, so B finds it on its own. */
  relink = share_link (f);
  g_assert_cmpstr (relink, ==, link);
  g_assert_cmpuint (gls_share_get_port (f->share), ==, port);
  assert_state_soon (peer, GLS_PEER_STATE_LIVE, WAIT_S);
  assert_comments_soon (threads_a, 5, WAIT_S);
  assert_comments_soon (threads_b, 5, WAIT_S);
  g_assert_nonnull (gls_workspace_find_annotation (f->a, gls_annotation_get_id (offline_b), NULL));
  g_assert_nonnull (gls_workspace_find_annotation (f->b, gls_annotation_get_id (offline_a), NULL));
  g_assert_null (gls_peer_get_error_message (peer));

  gls_peer_list_shutdown (peers);
}

/* Stopping the share while B's requests are being answered, again and
 * again: the server drops them cleanly (no critical from unpausing a
 * message whose connection is gone) and B catches up in the end. */
static void
test_stop_while_busy (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsDesign) board = test_workspace_add_sample (f->a, "board.png");
  g_autoptr(GlsPeerList) peers = gls_peer_list_new (f->b);
  g_autofree char *link = NULL;
  GListModel *threads_b = gls_workspace_get_threads (f->b, gls_design_get_source (board));
  const guint n = 300;
  GlsPeer *peer;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("Comment %u", i);
      g_autoptr(GlsAnnotation) comment =
        gls_workspace_comment (f->a, gls_design_get_id (board), NULL, text, &error);

      g_assert_no_error (error);
    }
  link = share_link (f);
  peer = gls_peer_list_add (peers, link, &error);
  g_assert_no_error (error);

  for (guint round = 0; round < 6; round++)
    {
      g_autofree char *again = NULL;

      test_settle (15 + 10 * round);
      gls_share_stop (f->share, "board");
      test_settle (20);
      again = share_link (f);
      g_assert_cmpstr (again, ==, link);
    }
  assert_comments_soon (threads_b, n, WAIT_S);
  assert_state_soon (peer, GLS_PEER_STATE_LIVE, WAIT_S);
  gls_peer_list_shutdown (peers);
}

/* Back online without any change to sync: B's longpoll waits on A for
 * news, but B says LIVE as soon as it reaches A again. */
static void
test_back_online (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsPeerList) peers = gls_peer_list_new (f->b);
  g_autofree char *link = share_link (f);
  g_autofree char *again = NULL;
  GlsPeer *peer;
  gint64 start;

  peer = gls_peer_list_add (peers, link, &error);
  g_assert_no_error (error);
  assert_state_soon (peer, GLS_PEER_STATE_LIVE, WAIT_S);
  gls_share_stop (f->share, "board");
  assert_state_soon (peer, GLS_PEER_STATE_OFFLINE, WAIT_S);
  again = share_link (f);
  start = g_get_monotonic_time ();
  /* The retry waits at most a few backoff steps; well under 5 s. */
  assert_state_soon (peer, GLS_PEER_STATE_LIVE, 5);
  g_test_message ("live again after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  gls_peer_list_shutdown (peers);
}

static void
test_wrong_key (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsPeerList) peers = gls_peer_list_new (f->b);
  g_autofree char *link = share_link (f);
  g_autofree char *wrong = NULL;
  g_autofree char *key = gls_peer_server_generate_key ();
  GlsPeer *peer;
  const char *at = strchr (link, '@');

  wrong = g_strdup_printf ("https://peer:%s%s", key, at);
  peer = gls_peer_list_add (peers, wrong, &error);
  g_assert_no_error (error);
  assert_state_soon (peer, GLS_PEER_STATE_ERROR, WAIT_S);
  g_assert_cmpstr (gls_peer_get_error_message (peer), ==, "The peer refused the access key");
  /* It stays stopped: no retry storm. */
  test_settle (500);
  g_assert_cmpint (gls_peer_get_state (peer), ==, GLS_PEER_STATE_ERROR);

  /* Retrying asks again, and is refused again. */
  gls_peer_retry (peer);
  g_assert_cmpint (gls_peer_get_state (peer), !=, GLS_PEER_STATE_ERROR);
  assert_state_soon (peer, GLS_PEER_STATE_ERROR, WAIT_S);

  /* The right link for the same database replaces the wrong one. */
  peer = gls_peer_list_add (peers, link, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (peers)), ==, 1);
  assert_state_soon (peer, GLS_PEER_STATE_LIVE, WAIT_S);
  gls_peer_list_shutdown (peers);
}

static gboolean
peer_counted_forgeries (gpointer data)
{
  return gls_peer_get_forged (data) > 0;
}

/* A's store holds a forgery (a comment in Ana's name signed by Mallory):
 * B pulls it, keeps it, never shows it, and the peer says how many
 * documents from it failed verification. */
static void
test_forgeries_counted (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsDesign) board = test_workspace_add_sample (f->a, "board.png");
  g_autoptr(GlsPeerList) peers = gls_peer_list_new (f->b);
  g_autoptr(GlsIdentity) mallory = gls_identity_new_random ();
  g_autoptr(GlsAnnotation) real = NULL;
  g_autoptr(GlsAnnotation) forged = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonArray) docs = json_array_new ();
  g_autoptr(JsonArray) results = NULL;
  g_autofree char *link = share_link (f);
  GListModel *threads_b = gls_workspace_get_threads (f->b, gls_design_get_source (board));
  const char *ana = gls_identity_get_did (gls_workspace_get_identity (f->a));
  GlsPeer *peer;

  real = gls_workspace_comment (f->a, gls_design_get_id (board), NULL, "Ana's own words", &error);
  g_assert_no_error (error);
  forged = gls_annotation_new_comment (gls_design_get_source (board), NULL, "Ana approves everything",
                                       ana, "Ana", NULL, NULL);
  doc = gls_annotation_to_json (forged);
  g_assert_true (gls_proof_sign (doc, mallory, NULL, &error));
  json_object_set_string_member (doc, "_rev", "1-0123456789abcdef0123456789abcdef");
  json_array_add_object_element (docs, json_object_ref (doc));
  results = gls_store_bulk_docs (gls_workspace_get_store (f->a), docs, FALSE, &error);
  g_assert_no_error (error);

  peer = gls_peer_list_add (peers, link, &error);
  g_assert_no_error (error);
  assert_state_soon (peer, GLS_PEER_STATE_LIVE, WAIT_S);
  g_assert_true (test_wait_for (peer_counted_forgeries, peer, WAIT_S, NULL));
  g_assert_cmpuint (gls_peer_get_forged (peer), ==, 1);

  /* Kept in B's store, shown nowhere. */
  g_assert_cmpint (gls_store_get_doc_count (gls_workspace_get_store (f->b)), ==,
                   gls_store_get_doc_count (gls_workspace_get_store (f->a)));
  assert_comments_soon (threads_b, 1, WAIT_S);
  test_settle (200);
  g_assert_cmpuint (count_comments (threads_b), ==, 1);
  gls_peer_list_shutdown (peers);
}

/* A read-only key (glossa serve --read-only-key made it): B gets A's
 * comments and says that its own stay home. */
static void
test_read_only_key (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsDesign) board = test_workspace_add_sample (f->a, "board.png");
  g_autoptr(GlsPeerList) peers = gls_peer_list_new (f->b);
  g_autoptr(GKeyFile) keys = NULL;
  g_autoptr(GlsAnnotation) comment = NULL;
  g_autoptr(GlsAnnotation) reply = NULL;
  g_autoptr(GlsAnnotation) later = NULL;
  g_autofree char *link = NULL;
  g_autofree char *read_only_key = NULL;
  g_autofree char *read_only_link = NULL;
  GListModel *threads_a = gls_workspace_get_threads (f->a, gls_design_get_source (board));
  GListModel *threads_b = gls_workspace_get_threads (f->b, gls_design_get_source (board));
  const char *names[] = { "board", NULL };
  GlsPeer *peer;

  keys = gls_share_load_keys (f->dir_a, names, TRUE, &error);
  g_assert_no_error (error);
  read_only_key = g_key_file_get_string (keys, "workspace board", "read-only-key", &error);
  g_assert_no_error (error);
  comment = gls_workspace_comment (f->a, gls_design_get_id (board), NULL, "Please check R5", &error);
  g_assert_no_error (error);
  link = share_link (f);
  read_only_link = g_strdup_printf ("https://peer:%s%s", read_only_key, strchr (link, '@'));

  peer = gls_peer_list_add (peers, read_only_link, &error);
  g_assert_no_error (error);
  assert_comments_soon (threads_b, 1, WAIT_S);
  assert_state_soon (peer, GLS_PEER_STATE_LIVE, WAIT_S);

  reply = gls_workspace_reply (f->b, gls_annotation_get_id (comment), "Checked", &error);
  g_assert_no_error (error);
  later = gls_workspace_comment (f->a, gls_design_get_id (board), NULL, "And R6", &error);
  g_assert_no_error (error);
  assert_comments_soon (threads_b, 3, WAIT_S);
  {
    gint64 end = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

    while (gls_peer_get_error_message (peer) == NULL && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpstr (gls_peer_get_error_message (peer), ==,
                   "The peer only lets this access key read: what you write here is not sent");
  g_assert_cmpint (gls_peer_get_state (peer), ==, GLS_PEER_STATE_LIVE);
  g_assert_cmpuint (count_comments (threads_a), ==, 2);
  gls_peer_list_shutdown (peers);
}

static void
test_unknown_workspace (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsPeerList) peers = gls_peer_list_new (f->b);
  g_autofree char *link = share_link (f);
  g_autofree char *other = NULL;
  g_autofree char *name = NULL;
  GlsPeer *peer;

  other = g_strdup_printf ("%.*snotes%s", (int) (strstr (link, "/board#") + 1 - link), link,
                           strchr (link, '#'));
  name = gls_peer_link_dup_workspace_name (other, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "notes");

  peer = gls_peer_list_add (peers, other, &error);
  g_assert_no_error (error);
  assert_state_soon (peer, GLS_PEER_STATE_ERROR, WAIT_S);
  g_assert_cmpstr (gls_peer_get_error_message (peer), ==, "This workspace does not exist on the peer");
  gls_peer_list_shutdown (peers);
}

static void
test_offline_from_start (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsPeerList) peers = gls_peer_list_new (f->b);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *link = NULL;
  GlsPeer *peer;
  guint port;

  /* A port nobody listens on. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  link = g_strdup_printf ("http://peer:x@127.0.0.1:%u/board", port);
  peer = gls_peer_list_add (peers, link, &error);
  g_assert_no_error (error);
  assert_state_soon (peer, GLS_PEER_STATE_OFFLINE, WAIT_S);
  g_assert_null (gls_peer_get_last_synced (peer));
  gls_peer_list_shutdown (peers);
}

static void
test_persist (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsPeerList) peers = gls_peer_list_new (f->b);
  g_autoptr(GlsPeerList) again = NULL;
  g_autoptr(GlsPeerList) other_list = NULL;
  g_autoptr(GlsWorkspace) other = NULL;
  g_autoptr(GKeyFile) ini = g_key_file_new ();
  g_autoptr(GlsPeer) reloaded = NULL;
  g_autofree char *path = g_build_filename (f->dir_b, "peers.ini", NULL);
  g_autofree char *link = share_link (f);
  g_auto(GStrv) links = NULL;
  const char *hub = "https://hub.example.org:6984/board";
  GlsPeer *peer;

  /* Bad links are refused and not saved. */
  g_assert_null (gls_peer_list_add (peers, "not a link", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (gls_peer_list_add (peers, "http://host:5985/Board", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (peers)), ==, 0);

  peer = gls_peer_list_add (peers, link, &error);
  g_assert_no_error (error);
  g_assert_nonnull (gls_peer_list_add (peers, hub, &error));
  g_assert_no_error (error);
  assert_state_soon (peer, GLS_PEER_STATE_LIVE, WAIT_S);

  /* peers.ini holds keys: only its owner reads it. */
  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_true (g_key_file_load_from_file (ini, path, G_KEY_FILE_NONE, &error));
  links = g_key_file_get_string_list (ini, "workspace board", "links", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (links), ==, 2);
  g_assert_cmpstr (links[0], ==, link);
  g_assert_cmpstr (links[1], ==, hub);

  /* Another workspace of the same data dir keeps its own peers. */
  other = gls_workspace_open (f->dir_b, "notes", &error);
  g_assert_no_error (error);
  other_list = gls_peer_list_new (other);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other_list)), ==, 0);
  g_assert_nonnull (gls_peer_list_add (other_list, "http://127.0.0.1:1/notes", &error));
  g_assert_no_error (error);
  gls_peer_list_shutdown (other_list);

  /* The window closes; a new list for the workspace starts them again. */
  gls_peer_list_shutdown (peers);
  g_clear_object (&peers);
  test_settle (50);
  again = gls_peer_list_new (f->b);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  reloaded = g_list_model_get_item (G_LIST_MODEL (again), 0);
  g_assert_cmpstr (gls_peer_get_link (reloaded), ==, link);
  assert_state_soon (reloaded, GLS_PEER_STATE_LIVE, WAIT_S);

  /* Removing forgets it. */
  gls_peer_list_remove (again, reloaded);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  g_clear_pointer (&links, g_strfreev);
  g_key_file_free (g_steal_pointer (&ini));
  ini = g_key_file_new ();
  g_assert_true (g_key_file_load_from_file (ini, path, G_KEY_FILE_NONE, &error));
  links = g_key_file_get_string_list (ini, "workspace board", "links", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (links), ==, 1);
  g_assert_cmpstr (links[0], ==, hub);
  g_clear_pointer (&links, g_strfreev);
  links = g_key_file_get_string_list (ini, "workspace notes", "links", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (links), ==, 1);
  gls_peer_list_shutdown (again);
}

/* Plain HTTP when asked: same port and key, an http link without a pin,
 * and peers sync over it; back to HTTPS gives the pinned link again. */
static void
test_share_plain_http (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsDesign) board = test_workspace_add_sample (f->a, "board.png");
  g_autoptr(GlsPeerList) peers = gls_peer_list_new (f->b);
  g_autoptr(GlsAnnotation) comment = NULL;
  g_autofree char *https_link = share_link (f);
  g_autofree char *http_link = NULL;
  g_autofree char *again = NULL;
  GListModel *threads_b = gls_workspace_get_threads (f->b, gls_design_get_source (board));
  guint port = gls_share_get_port (f->share);
  guint changed = 0;
  GlsPeer *peer;

  g_assert_false (gls_share_get_plain_http (f->share));
  g_signal_connect (f->share, "changed", G_CALLBACK (changed_cb), &changed);
  gls_share_set_plain_http (f->share, TRUE);
  g_assert_true (gls_share_get_plain_http (f->share));
  g_assert_cmpuint (changed, ==, 1);
  g_assert_null (gls_share_get_pin (f->share));
  g_assert_cmpuint (gls_share_get_port (f->share), ==, port);
  http_link = gls_share_dup_link (f->share, "board");
  g_assert_true (g_str_has_prefix (http_link, "http://peer:"));
  g_assert_null (strchr (http_link, '#'));
  /* The same key, host, port and workspace. */
  g_assert_cmpint (strncmp (strchr (http_link, ':'), strchr (https_link, ':'), strlen (strchr (http_link, ':'))), ==, 0);

  comment = gls_workspace_comment (f->a, gls_design_get_id (board), NULL, "In clear", &error);
  g_assert_no_error (error);
  peer = gls_peer_list_add (peers, http_link, &error);
  g_assert_no_error (error);
  assert_comments_soon (threads_b, 1, WAIT_S);
  assert_state_soon (peer, GLS_PEER_STATE_LIVE, WAIT_S);
  gls_peer_list_shutdown (peers);

  gls_share_set_plain_http (f->share, FALSE);
  again = gls_share_dup_link (f->share, "board");
  g_assert_cmpstr (again, ==, https_link);
}

/* A link whose pin is not the peer's certificate (someone in between, or
 * a new certificate): refused at once with both fingerprints, not retried,
 * nothing written on either side; the share keeps serving. */
static void
test_pin_mismatch (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsDesign) board = test_workspace_add_sample (f->a, "board.png");
  g_autoptr(GlsPeerList) peers = gls_peer_list_new (f->b);
  g_autoptr(GlsAnnotation) comment = NULL;
  g_autofree char *link = NULL;
  g_autofree char *wrong = NULL;
  const char *wrong_pin = "sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  GListModel *threads_b = gls_workspace_get_threads (f->b, gls_design_get_source (board));
  GlsStore *store_a = gls_workspace_get_store (f->a);
  GlsStore *store_b = gls_workspace_get_store (f->b);
  gint64 seq_a, seq_b;
  const char *message;
  GlsPeer *peer;

  comment = gls_workspace_comment (f->a, gls_design_get_id (board), NULL, "Only for the pinned", &error);
  g_assert_no_error (error);
  link = share_link (f);
  wrong = g_strdup_printf ("%.*s#pin=%s", (int) (strchr (link, '#') - link), link, wrong_pin);
  seq_a = gls_store_get_update_seq (store_a);
  seq_b = gls_store_get_update_seq (store_b);

  peer = gls_peer_list_add (peers, wrong, &error);
  g_assert_no_error (error);
  assert_state_soon (peer, GLS_PEER_STATE_ERROR, WAIT_S);
  message = gls_peer_get_error_message (peer);
  g_assert_nonnull (strstr (message, wrong_pin));
  g_assert_nonnull (strstr (message, gls_share_get_pin (f->share)));
  g_assert_nonnull (strstr (message, "not the one the link pins"));
  test_settle (300);
  g_assert_cmpint (gls_peer_get_state (peer), ==, GLS_PEER_STATE_ERROR);
  g_assert_cmpint (gls_store_get_update_seq (store_a), ==, seq_a);
  g_assert_cmpint (gls_store_get_update_seq (store_b), ==, seq_b);
  g_assert_cmpuint (count_comments (threads_b), ==, 0);

  /* A pin that is no fingerprint, or on an http link, is no link at all. */
  g_assert_null (gls_peer_list_add (peers, "https://127.0.0.1:1/board#pin=sha256:nope", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  {
    g_autofree char *plain = g_strconcat ("http", link + strlen ("https"), NULL);

    g_assert_null (gls_peer_list_add (peers, plain, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }

  /* The share still serves: the right link replaces the wrong one. */
  peer = gls_peer_list_add (peers, link, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (peers)), ==, 1);
  assert_comments_soon (threads_b, 1, WAIT_S);
  assert_state_soon (peer, GLS_PEER_STATE_LIVE, WAIT_S);
  gls_peer_list_shutdown (peers);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/peers/link-names", test_link_names);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/sync/share/basics", test_share_basics);
  ADD ("/sync/share/restart", test_share_restart);
  ADD ("/sync/share/two-workspaces", test_share_two_workspaces);
  ADD ("/sync/share/default-port", test_share_default_port);
  ADD ("/sync/share/lan", test_share_lan);
  ADD ("/sync/share/plain-http", test_share_plain_http);
  ADD ("/sync/peers/pin-mismatch", test_pin_mismatch);
  ADD ("/sync/peers/live", test_sync_live);
  ADD ("/sync/peers/stop-while-busy", test_stop_while_busy);
  ADD ("/sync/peers/back-online", test_back_online);
  ADD ("/sync/peers/wrong-key", test_wrong_key);
  ADD ("/sync/peers/read-only-key", test_read_only_key);
  ADD ("/sync/peers/forgeries-counted", test_forgeries_counted);
  ADD ("/sync/peers/unknown-workspace", test_unknown_workspace);
  ADD ("/sync/peers/offline-from-start", test_offline_from_start);
  ADD ("/sync/peers/persist", test_persist);
#undef ADD

  return g_test_run ();
}
