/* test-share-clients.c: who is connected to a share, its read-only link,
 * loopback until asked, and links tried before they are kept. Real
 * servers on loopback.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "gls-link-check.h"
#include "gls-peer-client.h"
#include "gls-peer-server.h"
#include "gls-replicator.h"
#include "gls-share.h"
#include "gls-workspace.h"
#include "test-util.h"

#define WAIT_S 20
#define ANA_DID "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"

typedef struct
{
  char         *dir;
  char         *other_dir;
  GlsWorkspace *board;
  GlsStore     *other;     /* the peer's side */
  GlsShare     *share;
  char         *link;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = test_data_dir_new ("glossa-share-clients-XXXXXX");
  f->other_dir = test_data_dir_new ("glossa-share-clients-peer-XXXXXX");
  f->board = test_workspace_open (f->dir, "board");
  f->other = test_store_open (f->other_dir, "board");
  test_store_put_json (f->other, "{\"_id\":\"from-peer\",\"n\":1}");
  f->share = gls_share_new (f->dir);
  gls_share_set_default_port (f->share, 0);
  g_assert_true (gls_share_start (f->share, f->board, &error));
  g_assert_no_error (error);
  f->link = gls_share_dup_link (f->share, "board");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->share);
  test_settle (50);
  g_clear_object (&f->board);
  g_clear_object (&f->other);
  g_free (f->link);
  test_rm_rf (f->dir);
  test_rm_rf (f->other_dir);
  g_free (f->dir);
  g_free (f->other_dir);
}

static gboolean
has_clients (gpointer data)
{
  gpointer *args = data;

  return g_list_model_get_n_items (args[0]) == GPOINTER_TO_UINT (args[1]);
}

static void
wait_clients (GListModel *clients,
              guint       n)
{
  gpointer args[2] = { clients, GUINT_TO_POINTER (n) };

  g_assert_true (test_wait_for (has_clients, args, WAIT_S, "the clients"));
}

/* The link's host:port, for plain requests. */
static char *
link_base (const char *link,
           char      **password)
{
  g_autoptr(GUri) uri = g_uri_parse (link, G_URI_FLAGS_HAS_PASSWORD, NULL);

  g_assert_nonnull (uri);
  if (password != NULL)
    *password = g_strdup (g_uri_get_password (uri));
  return g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri), g_uri_get_port (uri));
}

static gboolean
accept_any_cb (SoupMessage *msg, GTlsCertificate *cert, GTlsCertificateFlags errors, gpointer data)
{
  return TRUE;
}

/* One GET with the given headers, on `session` (kept open: keep-alive). */
static guint
get_with (SoupSession *session,
          const char  *url,
          const char  *password,
          const char  *const *headers)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_cb), NULL);
  if (password != NULL)
    {
      g_autofree char *pair = g_strconcat ("peer:", password, NULL);
      g_autofree char *b64 = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *auth = g_strconcat ("Basic ", b64, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_replace (soup_message_get_request_headers (msg), headers[i], headers[i + 1]);
  {
    /* The server answers in this thread's main loop: not a blocking send. */
    g_autoptr(GAsyncResult) result = NULL;

    soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, test_wait_result_cb, &result);
    body = soup_session_send_and_read_finish (session, test_wait_result (&result), &error);
  }
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

/* A Glossa peer syncing shows as one client named by its profile, with
 * its did:key, as long as it is connected; it goes when it disconnects. */
static void
test_glossa_peer_listed (Fixture       *f,
                         gconstpointer  data)
{
  GListModel *clients = gls_share_get_clients (f->share);
  g_autoptr(GlsReplicator) pull = NULL;
  g_autoptr(GlsReplicator) push = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsPeerClient) client = NULL;
  g_autofree char *title = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (clients), ==, 0);

  pull = gls_replicator_new (f->other, f->link, GLS_REPLICATOR_DIRECTION_PULL);
  push = gls_replicator_new (f->other, f->link, GLS_REPLICATOR_DIRECTION_PUSH);
  gls_replicator_set_identity (pull, ANA_DID, "Ana Ferreira");
  gls_replicator_set_identity (push, ANA_DID, "Ana Ferreira");
  g_assert_true (test_replicator_run (pull, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (test_replicator_run (push, NULL, &error));
  g_assert_no_error (error);

  /* Two replicators, connections of their own: one person. */
  wait_clients (clients, 1);
  client = g_list_model_get_item (clients, 0);
  g_assert_cmpstr (gls_peer_client_get_did (client), ==, ANA_DID);
  g_assert_cmpstr (gls_peer_client_get_name (client), ==, "Ana Ferreira");
  g_assert_cmpstr (gls_peer_client_get_database (client), ==, "board");
  g_assert_cmpstr (gls_peer_client_get_address (client), ==, "127.0.0.1");
  g_assert_true (g_str_has_prefix (gls_peer_client_get_user_agent (client), "Glossa/"));
  g_assert_false (gls_peer_client_get_read_only (client));
  title = gls_peer_client_dup_title (client);
  g_assert_cmpstr (title, ==, "Ana Ferreira · did:key:z6MkhaXg…2doK");

  /* Its connections close with it: it is no longer listed. */
  g_clear_object (&pull);
  g_clear_object (&push);
  wait_clients (clients, 0);
}

/* Other programs are named by address and User-Agent; what a client says
 * of itself is kept only well-formed, cut and cleaned; a refused key
 * lists nobody. */
static void
test_other_clients (Fixture       *f,
                    gconstpointer  data)
{
  GListModel *clients = gls_share_get_clients (f->share);
  g_autofree char *password = NULL;
  g_autofree char *base = link_base (f->link, &password);
  g_autofree char *db = g_strconcat (base, "/board", NULL);
  g_autoptr(SoupSession) refused = soup_session_new ();
  g_autoptr(SoupSession) pouch = soup_session_new ();
  g_autoptr(SoupSession) hostile = soup_session_new ();
  g_autoptr(GString) long_name = g_string_new (NULL);
  const char *pouch_headers[] = { "User-Agent", "PouchDB/9.0.0 (Node.js)", NULL };
  g_autofree char *encoded = NULL;

  /* A wrong key: 401, and not listed. */
  g_assert_cmpuint (get_with (refused, db, "wrong", NULL), ==, 401);
  test_settle (100);
  g_assert_cmpuint (g_list_model_get_n_items (clients), ==, 0);

  g_assert_cmpuint (get_with (pouch, db, password, pouch_headers), ==, 200);
  wait_clients (clients, 1);
  {
    g_autoptr(GlsPeerClient) client = g_list_model_get_item (clients, 0);
    g_autofree char *title = gls_peer_client_dup_title (client);

    g_assert_null (gls_peer_client_get_did (client));
    g_assert_cmpstr (title, ==, "127.0.0.1 · PouchDB");
  }

  /* A name with a right-to-left override, controls and a thousand
   * characters; a did that is not one. */
  g_string_append (long_name, "Eve\xE2\x80\xAE" "evE\x01\t  x");
  for (guint i = 0; i < 1000; i++)
    g_string_append_c (long_name, 'a');
  encoded = gls_peer_client_encode_name (long_name->str);
  {
    const char *bad_did[] = { "X-Glossa-Peer", "did:key:z6Mk<script>alert(1)</script>",
                              "X-Glossa-Name", "Mallory", "User-Agent", "curl/8", NULL };
    const char *long_headers[] = { "X-Glossa-Peer", ANA_DID, "X-Glossa-Name", encoded, NULL };
    g_autoptr(SoupSession) second = soup_session_new ();

    g_assert_cmpuint (get_with (hostile, db, password, bad_did), ==, 200);
    wait_clients (clients, 2);
    {
      g_autoptr(GlsPeerClient) client = g_list_model_get_item (clients, 1);

      /* Not a did:key: shown as any other program, the name ignored. */
      g_assert_null (gls_peer_client_get_did (client));
      g_assert_null (gls_peer_client_get_name (client));
      g_assert_cmpstr (gls_peer_client_get_user_agent (client), ==, "curl/8");
    }
    g_assert_cmpuint (get_with (second, db, password, long_headers), ==, 200);
    wait_clients (clients, 3);
    {
      g_autoptr(GlsPeerClient) client = g_list_model_get_item (clients, 2);
      const char *name = gls_peer_client_get_name (client);

      g_assert_nonnull (name);
      g_assert_true (g_utf8_validate (name, -1, NULL));
      g_assert_cmpuint (g_utf8_strlen (name, -1), <=, GLS_PEER_CLIENT_MAX_NAME);
      g_assert_true (g_str_has_prefix (name, "EveevE x"));
      g_assert_null (strstr (name, "\xE2\x80\xAE"));
      for (const char *p = name; *p; p++)
        g_assert_cmpint ((guchar) *p, >=, 0x20);
    }
  }
}

static void
test_sanitize (void)
{
  g_autofree char *ok = gls_peer_client_sanitize_did (ANA_DID);
  g_autofree char *bad = gls_peer_client_sanitize_did ("did:web:example.com");
  g_autofree char *short_did = gls_peer_client_sanitize_did ("did:key:z6M");
  g_autofree char *zoe = gls_peer_client_encode_name ("Zoë Ó Súilleabháin");
  g_autofree char *back = gls_peer_client_sanitize_name (zoe);
  g_autofree char *blank = gls_peer_client_sanitize_name ("%E2%80%AE%20%0A");
  g_autofree char *not_utf8 = gls_peer_client_sanitize_name ("%FF%FE");
  g_autofree char *ua = gls_peer_client_sanitize_user_agent ("Pouch\x01\x7f" "DB");

  g_assert_cmpstr (ok, ==, ANA_DID);
  g_assert_null (bad);
  g_assert_null (short_did);
  /* Sent as ASCII, read back as it was. */
  g_assert_true (g_str_is_ascii (zoe));
  g_assert_cmpstr (back, ==, "Zoë Ó Súilleabháin");
  g_assert_null (blank);
  g_assert_null (not_utf8);
  g_assert_cmpstr (ua, ==, "Pouch??DB");
}

/* The read-only link reads, and every write is refused; its holder is
 * listed as read only. */
static void
test_read_only_link (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *read_only = gls_share_dup_read_only_link (f->share, "board");
  g_autoptr(GlsReplicator) pull = NULL;
  g_autoptr(GlsReplicator) push = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autofree char *ini = g_build_filename (f->dir, "serve.ini", NULL);
  g_autofree char *kept = NULL;
  g_autofree char *password = NULL;
  g_autofree char *base = NULL;

  g_assert_nonnull (read_only);
  g_assert_cmpstr (read_only, !=, f->link);
  base = link_base (read_only, &password);
  /* Same server, same pin, another key, kept in serve.ini for next time. */
  {
    g_autofree char *link_password = NULL;
    g_autofree char *link_base_text = link_base (f->link, &link_password);

    g_assert_cmpstr (base, ==, link_base_text);
    g_assert_cmpstr (password, !=, link_password);
  }
  g_assert_true (g_str_has_suffix (read_only, gls_share_get_pin (f->share)));
  g_assert_true (g_key_file_load_from_file (keys, ini, G_KEY_FILE_NONE, NULL));
  kept = g_key_file_get_string (keys, "workspace board", "read-only-key", NULL);
  g_assert_cmpstr (kept, ==, password);

  test_store_put_json (gls_workspace_get_store (f->board), "{\"_id\":\"on-board\",\"n\":2}");
  pull = gls_replicator_new (f->other, read_only, GLS_REPLICATOR_DIRECTION_PULL);
  g_assert_true (test_replicator_run (pull, NULL, &error));
  g_assert_no_error (error);
  {
    g_autofree char *dump = test_store_dump (f->other);

    g_assert_nonnull (strstr (dump, "on-board"));
  }

  push = gls_replicator_new (f->other, read_only, GLS_REPLICATOR_DIRECTION_PUSH);
  g_assert_false (test_replicator_run (push, NULL, &error));
  g_assert_error (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_FORBIDDEN);
  {
    g_autofree char *dump = test_store_dump (gls_workspace_get_store (f->board));

    g_assert_null (strstr (dump, "from-peer"));
  }

  /* Listed as reading only (the connection may have closed already
   * after the 403: then nobody is). */
  {
    GListModel *clients = gls_share_get_clients (f->share);

    for (guint i = 0; i < g_list_model_get_n_items (clients); i++)
      {
        g_autoptr(GlsPeerClient) client = g_list_model_get_item (clients, i);

        g_assert_true (gls_peer_client_get_read_only (client));
      }
  }

  /* Stopped, the share has no links. */
  gls_share_stop (f->share, "board");
  g_assert_null (gls_share_dup_read_only_link (f->share, "board"));
}

/* Can a TCP connection be made to host:port? */
static gboolean
can_connect (const char *host,
             guint       port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_client_set_timeout (client, 5);
  conn = g_socket_client_connect_to_host (client, host, port, NULL, &error);
  if (conn != NULL)
    g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  return conn != NULL;
}

/* Until "Reachable from other computers" is on, the share listens on
 * loopback only; the switch moves it, live, and back. */
static void
test_loopback_until_lan (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *lan_link = NULL;
  g_autofree char *lan_host = NULL;
  guint port = gls_share_get_port (f->share);

  g_assert_false (gls_share_get_lan (f->share));
  uri = g_uri_parse (f->link, G_URI_FLAGS_HAS_PASSWORD, NULL);
  g_assert_cmpstr (g_uri_get_host (uri), ==, "127.0.0.1");
  g_assert_true (can_connect ("127.0.0.1", port));

  gls_share_set_lan (f->share, TRUE);
  lan_link = gls_share_dup_link (f->share, "board");
  g_clear_pointer (&uri, g_uri_unref);
  uri = g_uri_parse (lan_link, G_URI_FLAGS_HAS_PASSWORD, NULL);
  lan_host = g_strdup (g_uri_get_host (uri));
  g_assert_cmpuint (gls_share_get_port (f->share), ==, port);
  if (g_str_equal (lan_host, "127.0.0.1"))
    {
      g_test_skip ("this machine has no address but loopback");
      return;
    }
  /* On: the address other computers use answers. */
  g_assert_true (can_connect (lan_host, port));
  g_assert_true (can_connect ("127.0.0.1", port));

  /* Off again: it does not, loopback does, and the link says 127.0.0.1. */
  gls_share_set_lan (f->share, FALSE);
  g_assert_true (gls_share_is_sharing (f->share, "board"));
  g_assert_false (can_connect (lan_host, port));
  g_assert_true (can_connect ("127.0.0.1", port));
  {
    g_autofree char *link = gls_share_dup_link (f->share, "board");

    g_assert_nonnull (strstr (link, "@127.0.0.1:"));
  }
}

/* Links are tried before they are kept. */

static void
check_link (const char  *link,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gls_peer_link_check_async (link, NULL, NULL, NULL, test_wait_result_cb, &result);
  test_wait_result (&result);
  gls_peer_link_check_finish (result, error);
}

static void
record_clients_cb (GListModel *clients,
                   guint       position,
                   guint       removed,
                   guint       added,
                   gpointer    data)
{
  GPtrArray *titles = data;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GlsPeerClient) client = g_list_model_get_item (clients, i);

      g_ptr_array_add (titles, gls_peer_client_dup_title (client));
    }
}

/* The check asks as the person who pastes the link: the peer's list of
 * who is connected shows them by name, not a nameless address, while it
 * runs. */
static void
test_link_check_named (Fixture       *f,
                       gconstpointer  data)
{
  GListModel *clients = gls_share_get_clients (f->share);
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gulong id = g_signal_connect (clients, "items-changed", G_CALLBACK (record_clients_cb), titles);

  gls_peer_link_check_async (f->link, ANA_DID, "Ana Ferreira", NULL, test_wait_result_cb, &result);
  test_wait_result (&result);
  g_assert_true (gls_peer_link_check_finish (result, &error));
  g_assert_no_error (error);
  g_signal_handler_disconnect (clients, id);

  g_assert_cmpuint (titles->len, >=, 1);
  for (guint i = 0; i < titles->len; i++)
    g_assert_cmpstr (g_ptr_array_index (titles, i), ==, "Ana Ferreira · did:key:z6MkhaXg…2doK");
}

static void
not_couchdb_cb (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           data)
{
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, "<html>Router</html>", 19);
}

static void
test_link_check (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wrong_key = NULL;
  g_autofree char *wrong_pin = NULL;
  g_autofree char *nobody = NULL;
  g_autofree char *no_db = NULL;
  const char *other_pin = "sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

  /* The share's own links work, both. */
  check_link (f->link, &error);
  g_assert_no_error (error);
  {
    g_autofree char *read_only = gls_share_dup_read_only_link (f->share, "board");

    check_link (read_only, &error);
    g_assert_no_error (error);
  }

  wrong_key = g_strconcat ("https://peer:0000wrongkey", strchr (f->link, '@'), NULL);
  check_link (wrong_key, &error);
  g_assert_error (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (error->message, ==, "The peer refused the access key");
  g_clear_error (&error);

  wrong_pin = g_strdup_printf ("%.*s#pin=%s", (int) (strchr (f->link, '#') - f->link), f->link, other_pin);
  check_link (wrong_pin, &error);
  g_assert_error (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_CERTIFICATE);
  g_assert_nonnull (strstr (error->message, other_pin));
  g_assert_nonnull (strstr (error->message, gls_share_get_pin (f->share)));
  g_clear_error (&error);

  nobody = g_strdup_printf ("http://peer:key@127.0.0.1:%u/board", test_quiet_port ());
  check_link (nobody, &error);
  g_assert_error (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (error->message, "Cannot reach the peer"));
  g_clear_error (&error);

  {
    g_autofree char *link = g_strdup (f->link);
    char *at = strstr (link, "/board#");

    g_assert_nonnull (at);
    no_db = g_strdup_printf ("%.*s/posters%s", (int) (at - link), link, at + strlen ("/board"));
  }
  check_link (no_db, &error);
  /* The key is the board's: posters is refused or missing, either way no. */
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Something that answers HTTP, but not as CouchDB. */
  {
    g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
    g_autoptr(GSList) uris = NULL;
    g_autofree char *link = NULL;

    soup_server_add_handler (server, NULL, not_couchdb_cb, NULL, NULL);
    g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
    uris = soup_server_get_uris (server);
    link = g_strdup_printf ("http://peer:key@127.0.0.1:%d/board", g_uri_get_port (uris->data));
    g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
    check_link (link, &error);
    g_assert_error (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL);
    g_test_message ("not CouchDB: %s", error->message);
    g_clear_error (&error);
  }

  /* Not a link at all: said without the network. */
  check_link ("board, please", &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/clients/sanitize", test_sanitize);
  g_test_add ("/sync/clients/glossa-peer", Fixture, NULL, fixture_setup, test_glossa_peer_listed, fixture_teardown);
  g_test_add ("/sync/clients/others", Fixture, NULL, fixture_setup, test_other_clients, fixture_teardown);
  g_test_add ("/sync/share/read-only-link", Fixture, NULL, fixture_setup, test_read_only_link, fixture_teardown);
  g_test_add ("/sync/share/loopback-until-lan", Fixture, NULL, fixture_setup, test_loopback_until_lan, fixture_teardown);
  g_test_add ("/sync/share/link-check", Fixture, NULL, fixture_setup, test_link_check, fixture_teardown);
  g_test_add ("/sync/share/link-check-named", Fixture, NULL, fixture_setup, test_link_check_named, fixture_teardown);

  return g_test_run ();
}
