/* test-sync-replicator.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "gls-peer-server.h"
#include "gls-replicator.h"
#include "gls-store.h"
#include "gls-store-private.h"
#include "gls-tls.h"
#include "test-util.h"


typedef struct
{
  char          *dir;
  GlsStore      *local;
  GlsStore      *remote;
  GlsPeerServer *server;
  char          *url;        /* http://127.0.0.1:PORT/annotations */
  SoupServer    *proxy;
  SoupSession   *proxy_session;
  char          *proxy_url;
} Fixture;

static GlsStore *
create_cb (GlsPeerServer  *server,
           const char     *db_name,
           gpointer        user_data,
           GError        **error)
{
  Fixture *f = user_data;
  g_autofree char *name = g_strconcat (db_name, ".sqlite", NULL);

  return test_store_open (f->dir, name);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = test_data_dir_new ("glossa-repl-XXXXXX");
  f->local = test_store_open (f->dir, "local.sqlite");
  f->remote = test_store_open (f->dir, "remote.sqlite");
  f->url = test_server_start (f->remote, "annotations", NULL, &f->server);
  gls_peer_server_set_create_func (f->server, create_cb, f, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->proxy != NULL)
    soup_server_disconnect (f->proxy);
  g_clear_object (&f->proxy);
  g_clear_object (&f->proxy_session);
  g_free (f->proxy_url);
  gls_peer_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->local);
  g_clear_object (&f->remote);
  test_data_dir_free (f->dir);
  g_free (f->url);
}

/* --- helpers --- */

/* --- tests --- */

static void start_proxy (Fixture *f, SoupServerCallback callback);
static void proxy_cb (SoupServer *server, SoupServerMessage *smsg, const char *path,
                      GHashTable *query, gpointer data);
static gboolean refuse_bulk_get;
static int open_revs_gets;
static char *first_since;   /* `since` of the first _changes through the proxy */

static void
test_pull (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GlsReplicator) repl = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) att = NULL;
  g_autofree char *expected = NULL;

  test_store_fill (f->remote, 10);
  start_proxy (f, proxy_cb);
  refuse_bulk_get = FALSE;
  g_clear_pointer (&first_since, g_free);
  repl = gls_replicator_new (f->local, f->proxy_url, GLS_REPLICATOR_DIRECTION_PULL);
  g_assert_cmpuint (gls_replicator_get_batch_size (repl), ==, GLS_REPLICATOR_DEFAULT_BATCH_SIZE);
  g_assert_true (test_replicator_run (repl, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gls_replicator_get_state (repl), ==, GLS_REPLICATOR_STATE_IDLE);
  test_assert_stores_identical (f->local, f->remote);
  /* 10 plain + att + edited + gone + 2 conflicting leaves */
  g_assert_cmpint (gls_replicator_get_docs_read (repl), ==, 15);
  g_assert_cmpint (gls_replicator_get_docs_written (repl), ==, 15);
  g_assert_cmpint (gls_replicator_get_pending (repl), ==, 0);

  att = gls_store_get_attachment (f->local, "with-att", NULL, "note.txt", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (att, NULL), g_bytes_get_size (att), "hello world", 11);

  g_assert_cmpstr (first_since, ==, "0");
  g_assert_cmpint (open_revs_gets, ==, 0);

  /* Later runs start at the checkpoint and transfer only what is new. */
  test_store_put_json (f->remote, "{\"_id\":\"later\"}");
  g_clear_pointer (&first_since, g_free);
  g_assert_true (test_replicator_run (repl, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gls_replicator_get_docs_read (repl), ==, 1);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT, gls_store_get_update_seq (f->remote) - 1);
  g_assert_cmpstr (first_since, ==, expected);
  g_clear_pointer (&first_since, g_free);
  g_clear_pointer (&expected, g_free);
  g_assert_true (test_replicator_run (repl, NULL, &error));
  expected = g_strdup_printf ("%" G_GINT64_FORMAT, gls_store_get_update_seq (f->remote));
  g_assert_cmpstr (first_since, ==, expected);
  g_clear_pointer (&first_since, g_free);
  g_assert_cmpint (gls_replicator_get_docs_read (repl), ==, 0);
  g_assert_cmpint (gls_replicator_get_docs_written (repl), ==, 0);
  test_assert_stores_identical (f->local, f->remote);
}

static void
test_push (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GlsReplicator) repl = NULL;
  g_autoptr(GlsReplicator) repl2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *new_url = NULL;
  GlsStore *created;

  test_store_fill (f->local, 7);
  /* A remote that knows part of the history already. */
  test_store_put_json (f->remote, "{\"_id\":\"remote-only\"}");
  repl = gls_replicator_new (f->local, f->url, GLS_REPLICATOR_DIRECTION_PUSH);
  gls_replicator_set_batch_size (repl, 4);
  g_assert_true (test_replicator_run (repl, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gls_replicator_get_docs_written (repl), ==, 12);
  g_assert_nonnull (gls_store_get (f->remote, "with-att", NULL, GLS_STORE_GET_NONE, NULL));
  /* pull back the remote-only doc so both are equal */
  g_clear_object (&repl);
  repl = gls_replicator_new (f->local, f->url, GLS_REPLICATOR_DIRECTION_PULL);
  g_assert_true (test_replicator_run (repl, NULL, &error));
  g_assert_no_error (error);
  test_assert_stores_identical (f->local, f->remote);

  /* Pushing to a missing database creates it; credentials in the URL are
   * stripped from the replication's URL. */
  new_url = g_strconcat ("http://alice:secret@", f->url + strlen ("http://"), "-new", NULL);
  repl2 = gls_replicator_new (f->local, new_url, GLS_REPLICATOR_DIRECTION_PUSH);
  g_assert_null (strstr (gls_replicator_get_remote_url (repl2), "secret"));
  g_assert_true (test_replicator_run (repl2, NULL, &error));
  g_assert_no_error (error);
  created = gls_peer_server_get_database (f->server, "annotations-new");
  g_assert_nonnull (created);
  test_assert_stores_identical (f->local, created);
  g_assert_true (test_replicator_run (repl2, NULL, &error));
  g_assert_cmpint (gls_replicator_get_docs_read (repl2), ==, 0);
}

/* A peer that takes smaller requests than a batch (413): the push sends the
 * batch in pieces and everything arrives; a single document over the limit
 * stops the run with the peer's reason. */
static void
test_push_too_large (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GlsReplicator) repl = NULL;
  g_autoptr(GlsReplicator) big = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  /* 40 documents of about 1 kB each: one batch is ~40 kB. */
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *json = NULL;

      g_string_assign (text, "");
      for (guint j = 0; j < 1000; j++)
        g_string_append_c (text, 'a' + (i + j) % 26);
      json = g_strdup_printf ("{\"_id\":\"big-%02u\",\"text\":\"%s\"}", i, text->str);
      test_store_put_json (f->local, json);
    }
  gls_peer_server_set_max_body_size (f->server, 8 * 1024);

  repl = gls_replicator_new (f->local, f->url, GLS_REPLICATOR_DIRECTION_PUSH);
  g_assert_true (test_replicator_run (repl, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gls_replicator_get_docs_written (repl), ==, 40);
  g_assert_cmpint (gls_store_get_doc_count (f->remote), ==, 40);
  test_assert_stores_identical (f->local, f->remote);

  /* One document larger than the peer takes: an error, nothing half-done. */
  g_string_assign (text, "{\"_id\":\"huge\",\"text\":\"");
  for (guint j = 0; j < 16 * 1024; j++)
    g_string_append_c (text, 'z');
  g_string_append (text, "\"}");
  test_store_put_json (f->local, text->str);
  big = gls_replicator_new (f->local, f->url, GLS_REPLICATOR_DIRECTION_PUSH);
  g_assert_false (test_replicator_run (big, NULL, &error));
  g_assert_error (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_FAILED);
  g_assert_nonnull (strstr (gls_replicator_get_error_message (big), "413"));
  g_assert_cmpint (gls_replicator_get_state (big), ==, GLS_REPLICATOR_STATE_ERROR);
  g_assert_cmpint (gls_store_get_doc_count (f->remote), ==, 40);
}

/* Designs go to a peer that takes multipart PUTs (Glossa, CouchDB) from
 * their files, whatever the peer's body limit; a small attachment rides
 * inline in the _bulk_docs. Pulled back into a third store, all match. */
static void
test_push_designs (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GlsReplicator) repl = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) design = g_byte_array_new ();
  g_autofree char *base64 = NULL;
  guint32 x = 3;

  for (guint i = 0; i < 300 * 1024; i++)
    {
      guint8 b;

      x = x * 1103515245u + 12345u;
      b = (guint8) (x >> 16);
      g_byte_array_append (design, &b, 1);
    }
  base64 = g_base64_encode (design->data, design->len);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"_id\":\"design-%u\",\"name\":\"board %u\",\"_attachments\":"
                                               "{\"file\":{\"content_type\":\"image/png\",\"data\":\"%s\"},"
                                               "\"note.txt\":{\"content_type\":\"text/plain\",\"data\":\"aGk=\"}}}",
                                               i, i, base64);
      test_store_put_json (f->local, json);
    }
  test_store_put_json (f->local, "{\"_id\":\"small\",\"_attachments\":{\"n.txt\":"
                                 "{\"content_type\":\"text/plain\",\"data\":\"aGVsbG8gd29ybGQ=\"}}}");
  test_store_put_json (f->local, "{\"_id\":\"plain\",\"v\":1}");
  /* Inline, one design would be 400 kB of base64. */
  gls_peer_server_set_max_body_size (f->server, 64 * 1024);

  repl = gls_replicator_new (f->local, f->url, GLS_REPLICATOR_DIRECTION_PUSH);
  g_assert_true (test_replicator_run (repl, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gls_replicator_get_docs_written (repl), ==, 5);
  test_assert_stores_identical (f->local, f->remote);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("design-%u", i);
      g_autoptr(GBytes) bytes = gls_store_get_attachment (f->remote, id, NULL, "file", NULL, &error);
      g_autoptr(GBytes) note = gls_store_get_attachment (f->remote, id, NULL, "note.txt", NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), design->data, design->len);
      g_assert_cmpmem (g_bytes_get_data (note, NULL), g_bytes_get_size (note), "hi", 2);
    }
  {
    g_autoptr(GBytes) bytes = gls_store_get_attachment (f->remote, "small", NULL, "n.txt", NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "hello world", 11);
  }
  /* The same bytes are one file on each side. */
  g_assert_cmpint (_gls_store_count_blobs (f->remote), ==, 3);
}

static void
cancel_after_batch (GObject    *object,
                    GParamSpec *pspec,
                    gpointer    data)
{
  if (gls_replicator_get_docs_written (GLS_REPLICATOR (object)) > 0)
    g_cancellable_cancel (data);
}

static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GlsReplicator) repl = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gulong id;
  gint64 first;

  test_store_fill (f->remote, 20);
  start_proxy (f, proxy_cb);
  refuse_bulk_get = FALSE;
  repl = gls_replicator_new (f->local, f->proxy_url, GLS_REPLICATOR_DIRECTION_PULL);
  gls_replicator_set_batch_size (repl, 5);
  id = g_signal_connect (repl, "notify::docs-written", G_CALLBACK (cancel_after_batch), cancellable);
  g_assert_false (test_replicator_run (repl, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_signal_handler_disconnect (repl, id);
  first = gls_replicator_get_docs_written (repl);
  g_assert_cmpint (first, ==, 5);
  g_assert_cmpint (gls_store_get_doc_count (f->local), <, 20);
  g_assert_cmpint (gls_replicator_get_state (repl), ==, GLS_REPLICATOR_STATE_IDLE);

  g_clear_pointer (&first_since, g_free);
  g_assert_true (test_replicator_run (repl, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (first_since, ==, "5");
  g_clear_pointer (&first_since, g_free);
  /* 25 revisions in all, the first batch is not read again. */
  g_assert_cmpint (gls_replicator_get_docs_read (repl), ==, 25 - first);
  test_assert_stores_identical (f->local, f->remote);
}

static char *
checkpoint_rev (GlsStore      *store,
                GlsReplicator *repl)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) log = gls_store_get_local (store, gls_replicator_get_replication_id (repl),
                                                   &error);

  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (log, "_rev"));
}

/* Catching up, a replicator checkpoints on a timer, as CouchDB does, and
 * after its last batch: a pass of 5 batches within the interval (a
 * minute here, whatever the machine's load) writes one checkpoint on
 * each side; with no interval, one after each batch. */
static void
test_checkpoint_interval (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GlsReplicator) repl = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *local_rev = NULL;
  g_autofree char *remote_rev = NULL;

  test_store_fill (f->remote, 20);
  repl = gls_replicator_new (f->local, f->url, GLS_REPLICATOR_DIRECTION_PULL);
  gls_replicator_set_batch_size (repl, 5);
  gls_replicator_set_checkpoint_interval (repl, 60 * 1000);
  g_assert_true (test_replicator_run (repl, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gls_replicator_get_docs_written (repl), ==, 25);
  local_rev = checkpoint_rev (f->local, repl);
  remote_rev = checkpoint_rev (f->remote, repl);
  g_assert_cmpstr (local_rev, ==, "0-1");
  g_assert_cmpstr (remote_rev, ==, "0-1");

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"_id\":\"more-%03u\"}", i);

      test_store_put_json (f->remote, json);
    }
  gls_replicator_set_checkpoint_interval (repl, 0);
  g_assert_true (test_replicator_run (repl, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&local_rev, g_free);
  g_clear_pointer (&remote_rev, g_free);
  local_rev = checkpoint_rev (f->local, repl);
  remote_rev = checkpoint_rev (f->remote, repl);
  g_assert_cmpstr (local_rev, ==, "0-5");
  g_assert_cmpstr (remote_rev, ==, "0-5");
  test_assert_stores_identical (f->local, f->remote);
}

/* A proxy that has no _bulk_get. */
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

static int bulk_get_refused;
static int changes_503;

static void
proxy_cb (SoupServer        *server,
          SoupServerMessage *smsg,
          const char        *path,
          GHashTable        *query,
          gpointer           data)
{
  Fixture *f = data;
  GUri *uri = soup_server_message_get_uri (smsg);
  g_autofree char *target = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  SoupMessageBody *body = soup_server_message_get_request_body (smsg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  const char *type;

  if (g_str_has_suffix (path, "/_changes") && changes_503 > 0)
    {
      changes_503--;
      soup_server_message_set_status (smsg, 503, NULL);
      soup_server_message_set_response (smsg, "text/html", SOUP_MEMORY_STATIC, "<h1>busy</h1>", 13);
      return;
    }
  if (g_str_has_suffix (path, "/_changes") && first_since == NULL && query != NULL)
    first_since = g_strdup (g_hash_table_lookup (query, "since"));
  if (refuse_bulk_get && g_str_has_suffix (path, "/_bulk_get"))
    {
      bulk_get_refused++;
      soup_server_message_set_status (smsg, 404, NULL);
      soup_server_message_set_response (smsg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"error\":\"not_found\",\"reason\":\"missing\"}", 40);
      return;
    }
  if (g_uri_get_query (uri) != NULL && strstr (g_uri_get_query (uri), "open_revs") != NULL)
    open_revs_gets++;
  target = g_strdup_printf ("http://127.0.0.1:%u%s%s%s", gls_peer_server_get_port (f->server),
                            g_uri_get_path (uri), g_uri_get_query (uri) ? "?" : "",
                            g_uri_get_query (uri) ? g_uri_get_query (uri) : "");
  msg = soup_message_new (soup_server_message_get_method (smsg), target);
  type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (smsg), NULL);
  if (g_bytes_get_size (bytes) > 0)
    soup_message_set_request_body_from_bytes (msg, type, bytes);
  soup_server_message_pause (smsg);
  soup_session_send_and_read_async (f->proxy_session, msg, G_PRIORITY_DEFAULT, NULL,
                                    proxy_sent_cb, g_object_ref (smsg));
}

static void
garbage_cb (SoupServer        *server,
            SoupServerMessage *smsg,
            const char        *path,
            GHashTable        *query,
            gpointer           data)
{
  if (strstr (path, "_local") != NULL)
    {
      soup_server_message_set_status (smsg, 404, NULL);
      soup_server_message_set_response (smsg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"error\":\"not_found\"}", 21);
    }
  else if (strstr (path, "_changes") != NULL)
    {
      soup_server_message_set_status (smsg, 200, NULL);
      soup_server_message_set_response (smsg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"results\":[{\"seq\":1,\"id\":\"x\",\"chan", 33);
    }
  else
    {
      soup_server_message_set_status (smsg, 200, NULL);
      soup_server_message_set_response (smsg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"db_name\":\"annotations\"}", 26);
    }
}

static void
start_proxy (Fixture            *f,
             SoupServerCallback  callback)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  f->proxy = soup_server_new (NULL, NULL);
  f->proxy_session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  soup_server_add_handler (f->proxy, NULL, callback, f, NULL);
  g_assert_true (soup_server_listen_local (f->proxy, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->proxy);
  f->proxy_url = g_strdup_printf ("http://127.0.0.1:%d/annotations", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
test_no_bulk_get (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GlsReplicator) repl = NULL;
  g_autoptr(GError) error = NULL;

  test_store_fill (f->remote, 3);
  start_proxy (f, proxy_cb);
  bulk_get_refused = open_revs_gets = 0;
  refuse_bulk_get = TRUE;
  repl = gls_replicator_new (f->local, f->proxy_url, GLS_REPLICATOR_DIRECTION_PULL);
  g_assert_true (test_replicator_run (repl, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bulk_get_refused, ==, 1);
  g_assert_cmpint (open_revs_gets, ==, 7);
  g_assert_cmpint (gls_replicator_get_docs_read (repl), ==, 8);
  test_assert_stores_identical (f->local, f->remote);
}

static void
test_malformed (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GlsReplicator) repl = NULL;
  g_autoptr(GError) error = NULL;
  gint64 seq = gls_store_get_update_seq (f->local);

  start_proxy (f, garbage_cb);
  repl = gls_replicator_new (f->local, f->proxy_url, GLS_REPLICATOR_DIRECTION_PULL);
  g_assert_false (test_replicator_run (repl, NULL, &error));
  g_assert_error (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL);
  g_assert_cmpint (gls_replicator_get_state (repl), ==, GLS_REPLICATOR_STATE_ERROR);
  g_assert_nonnull (strstr (gls_replicator_get_error_message (repl), "malformed JSON"));
  g_assert_cmpint (gls_store_get_update_seq (f->local), ==, seq);
  g_assert_cmpint (gls_store_get_doc_count (f->local), ==, 0);
  g_assert_null (gls_store_get_local (f->local, gls_replicator_get_replication_id (repl), NULL));
}

static void
test_missing_db (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GlsReplicator) repl = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (f->url, "-none", NULL);

  repl = gls_replicator_new (f->local, url, GLS_REPLICATOR_DIRECTION_PULL);
  g_assert_false (test_replicator_run (repl, NULL, &error));
  g_assert_error (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_NOT_FOUND);
  g_assert_cmpint (gls_replicator_get_state (repl), ==, GLS_REPLICATOR_STATE_ERROR);
  g_assert_null (gls_peer_server_get_database (f->server, "annotations-none"));
}

static void
test_unreachable (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GlsReplicator) repl = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint port = gls_peer_server_get_port (f->server);
  gint64 start;

  gls_peer_server_disconnect (f->server);
  g_clear_object (&f->server);
  f->server = gls_peer_server_new (NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u/annotations", port);
  repl = gls_replicator_new (f->local, url, GLS_REPLICATOR_DIRECTION_PULL);
  gls_replicator_set_max_retries (repl, 3);
  start = g_get_monotonic_time ();
  g_assert_false (test_replicator_run (repl, NULL, &error));
  g_assert_error (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_NETWORK);
  /* three backoffs of at least 50, 100, 200 ms */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 350 * 1000);
  g_assert_cmpint (gls_replicator_get_state (repl), ==, GLS_REPLICATOR_STATE_ERROR);
}

static gint64 cancelled_at;

static void
cancel_now (gpointer data)
{
  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (data);
}

static void
test_retry (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GlsReplicator) repl = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  test_store_fill (f->remote, 1);
  start_proxy (f, proxy_cb);
  refuse_bulk_get = FALSE;
  changes_503 = 2;
  repl = gls_replicator_new (f->local, f->proxy_url, GLS_REPLICATOR_DIRECTION_PULL);
  g_assert_true (test_replicator_run (repl, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (changes_503, ==, 0);
  test_assert_stores_identical (f->local, f->remote);

  /* Too many failures: ERROR with the status. */
  changes_503 = 100;
  test_store_put_json (f->remote, "{\"_id\":\"more\"}");
  gls_replicator_set_max_retries (repl, 1);
  g_assert_false (test_replicator_run (repl, NULL, &error));
  g_assert_nonnull (strstr (gls_replicator_get_error_message (repl), "503"));
  g_clear_error (&error);

  /* Cancelling during a backoff ends the run at once. */
  gls_replicator_set_max_retries (repl, 20);
  g_timeout_add_once (1000, cancel_now, cancellable);
  g_assert_false (test_replicator_run (repl, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, G_USEC_PER_SEC / 10);
  g_assert_cmpint (gls_replicator_get_state (repl), ==, GLS_REPLICATOR_STATE_IDLE);
  changes_503 = 0;
}

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *key = gls_peer_server_generate_key ();
  g_autofree char *ro_key = gls_peer_server_generate_key ();
  g_autofree char *key_url = g_strconcat ("http://peer:", key, "@", f->url + strlen ("http://"), NULL);
  g_autofree char *ro_url = g_strconcat ("http://peer:", ro_key, "@", f->url + strlen ("http://"), NULL);
  g_autoptr(GlsReplicator) anon = NULL;
  g_autoptr(GlsReplicator) ro_pull = NULL;
  g_autoptr(GlsReplicator) ro_push = NULL;
  g_autoptr(GlsReplicator) push = NULL;
  g_autoptr(GError) error = NULL;

  test_store_fill (f->remote, 2);
  test_store_put_json (f->local, "{\"_id\":\"from-local\"}");
  gls_peer_server_set_keys (f->server, "annotations", key, ro_key);

  anon = gls_replicator_new (f->local, f->url, GLS_REPLICATOR_DIRECTION_PULL);
  g_assert_false (test_replicator_run (anon, NULL, &error));
  g_assert_error (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_UNAUTHORIZED);
  g_clear_error (&error);
  g_assert_nonnull (strstr (gls_replicator_get_error_message (anon), "401"));
  g_assert_cmpint (gls_replicator_get_state (anon), ==, GLS_REPLICATOR_STATE_ERROR);
  g_assert_cmpint (gls_store_get_doc_count (f->local), ==, 1);

  /* The read-only key pulls (the source checkpoint is refused)... */
  ro_pull = gls_replicator_new (f->local, ro_url, GLS_REPLICATOR_DIRECTION_PULL);
  g_assert_true (test_replicator_run (ro_pull, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gls_replicator_get_docs_written (ro_pull), ==, 7);
  /* ...but cannot push. */
  ro_push = gls_replicator_new (f->local, ro_url, GLS_REPLICATOR_DIRECTION_PUSH);
  g_assert_false (test_replicator_run (ro_push, NULL, &error));
  g_assert_error (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (gls_replicator_get_error_message (ro_push), "403"));
  g_clear_error (&error);

  /* Credentials given apart. */
  push = gls_replicator_new (f->local, f->url, GLS_REPLICATOR_DIRECTION_PUSH);
  gls_replicator_set_credentials (push, "peer", key);
  g_assert_true (test_replicator_run (push, NULL, &error));
  g_assert_no_error (error);
  test_assert_stores_identical (f->local, f->remote);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_for_doc (GlsStore   *store,
              const char *id,
              guint       ms)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add (ms, timeout_cb, &timed_out);

  while (!timed_out)
    {
      g_autoptr(JsonObject) doc = gls_store_get (store, id, NULL, GLS_STORE_GET_NONE, NULL);

      if (doc != NULL)
        {
          g_source_remove (source);
          return TRUE;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  return FALSE;
}

static void
test_live (Fixture       *f,
           gconstpointer  data)
{
  GlsReplicatorDirection direction = GPOINTER_TO_INT (data);
  g_autoptr(GlsReplicator) repl = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GlsStore *source = direction == GLS_REPLICATOR_DIRECTION_PULL ? f->remote : f->local;
  GlsStore *target = direction == GLS_REPLICATOR_DIRECTION_PULL ? f->local : f->remote;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  test_store_put_json (source, "{\"_id\":\"before\"}");
  repl = gls_replicator_new (f->local, f->url, direction);
  gls_replicator_set_continuous (repl, TRUE);
  gls_replicator_run_async (repl, cancellable, test_wait_result_cb, &result);
  g_assert_true (wait_for_doc (target, "before", 5000));
  while (gls_replicator_get_state (repl) != GLS_REPLICATOR_STATE_LIVE)
    g_main_context_iteration (NULL, TRUE);

  test_store_put_json (source, "{\"_id\":\"after\"}");
  g_assert_true (wait_for_doc (target, "after", 2000));
  test_store_put_json (source, "{\"_id\":\"after-2\"}");
  g_assert_true (wait_for_doc (target, "after-2", 2000));
  g_assert_null (result);

  g_cancellable_cancel (cancellable);
  g_assert_false (gls_replicator_run_finish (repl, test_wait_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (gls_replicator_get_state (repl), ==, GLS_REPLICATOR_STATE_IDLE);
  test_assert_stores_identical (f->local, f->remote);
}

/* The data dir's certificate: made once, 0600, read back the same; pins
 * in base64url and hex. */
static void
test_tls_certificate (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) made = gls_tls_load_certificate (f->dir, &error);
  g_autoptr(GTlsCertificate) again = NULL;
  g_autoptr(GTlsCertificate) other = NULL;
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GString) hex = g_string_new (NULL);
  g_autofree char *key_path = g_build_filename (f->dir, GLS_TLS_KEY_FILE, NULL);
  g_autofree char *cert_path = g_build_filename (f->dir, GLS_TLS_CERTIFICATE_FILE, NULL);
  g_autofree char *pin = NULL;
  g_autofree char *pin_again = NULL;
  g_autofree char *from_hex = NULL;
  g_autofree char *link_pin = NULL;
  g_autofree char *link = NULL;
  g_autofree char *other_dir = NULL;
  g_autofree char *other_pin = NULL;
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_nonnull (made);
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (cert_path, &st), ==, 0);

  pin = gls_tls_dup_pin (made);
  g_assert_true (g_str_has_prefix (pin, "sha256:"));
  g_assert_cmpuint (strlen (pin), ==, strlen ("sha256:") + 43);
  g_assert_true (gls_tls_certificate_has_pin (made, pin));

  again = gls_tls_load_certificate (f->dir, &error);
  g_assert_no_error (error);
  pin_again = gls_tls_dup_pin (again);
  g_assert_cmpstr (pin, ==, pin_again);

  /* The fingerprint as openssl prints it is the same pin. */
  g_object_get (made, "certificate", &der, NULL);
  {
    g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
    guint8 digest[32];
    gsize len = sizeof digest;

    g_checksum_update (sum, der->data, der->len);
    g_checksum_get_digest (sum, digest, &len);
    for (guint i = 0; i < len; i++)
      g_string_append_printf (hex, "%s%02X", i > 0 ? ":" : "", digest[i]);
  }
  from_hex = gls_tls_normalize_pin (hex->str, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (from_hex, ==, pin);

  link = g_strdup_printf ("https://peer:k@127.0.0.1:1/db#x=1&pin=%s", pin);
  link_pin = gls_tls_link_dup_pin (link, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (link_pin, ==, pin);
  g_assert_null (gls_tls_link_dup_pin ("https://peer:k@127.0.0.1:1/db", &error));
  g_assert_no_error (error);
  g_assert_null (gls_tls_link_dup_pin ("https://h/db#pin=sha256:abc", &error));
  g_assert_error (error, GLS_TLS_ERROR, GLS_TLS_ERROR_INVALID_PIN);
  g_clear_error (&error);
  g_assert_null (gls_tls_normalize_pin ("sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB", &error));
  g_assert_error (error, GLS_TLS_ERROR, GLS_TLS_ERROR_INVALID_PIN);
  g_clear_error (&error);

  /* Another data dir, another certificate. */
  other_dir = g_build_filename (f->dir, "other", NULL);
  other = gls_tls_load_certificate (other_dir, &error);
  g_assert_no_error (error);
  other_pin = gls_tls_dup_pin (other);
  g_assert_cmpstr (other_pin, !=, pin);
  g_assert_false (gls_tls_certificate_has_pin (made, other_pin));
  test_rm_rf (other_dir);
}

/* HTTPS with the certificate pinned in the link: the pinned one is
 * accepted; another, an unpinned self-signed one, or a pin on an http
 * link are refused before anything is sent, and nothing is written. */
static void
test_tls_pinned (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = gls_tls_load_certificate (f->dir, &error);
  g_autoptr(GlsPeerServer) server = gls_peer_server_new (NULL);
  g_autofree char *key = gls_peer_server_generate_key ();
  g_autofree char *pin = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *good = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *unpinned = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *before = NULL;
  const char *wrong_pin = "sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  gint64 remote_seq;

  g_assert_no_error (error);
  test_store_fill (f->remote, 20);
  remote_seq = gls_store_get_update_seq (f->remote);
  gls_peer_server_set_tls_certificate (server, certificate);
  g_assert_true (gls_peer_server_add_database (server, "annotations", f->remote, &error));
  gls_peer_server_set_keys (server, "annotations", key, NULL);
  g_assert_true (gls_peer_server_listen (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  uri = gls_peer_server_dup_uri (server);
  g_assert_true (g_str_has_prefix (uri, "https://127.0.0.1:"));
  pin = gls_tls_dup_pin (certificate);
  good = g_strdup_printf ("https://peer:%s@%sannotations#pin=%s", key, uri + strlen ("https://"), pin);
  wrong = g_strdup_printf ("https://peer:%s@%sannotations#pin=%s", key, uri + strlen ("https://"), wrong_pin);
  unpinned = g_strdup_printf ("https://peer:%s@%sannotations", key, uri + strlen ("https://"));
  plain = g_strdup_printf ("http://peer:%s@%sannotations#pin=%s", key, uri + strlen ("https://"), pin);
  before = test_store_dump (f->remote);

  /* Another certificate than the pinned one: refused, naming both. */
  {
    g_autoptr(GlsReplicator) repl = gls_replicator_new (f->local, wrong, GLS_REPLICATOR_DIRECTION_PULL);
    g_autoptr(GlsReplicator) push = gls_replicator_new (f->local, wrong, GLS_REPLICATOR_DIRECTION_PUSH);

    g_assert_false (test_replicator_run (repl, NULL, &error));
    g_assert_error (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_CERTIFICATE);
    g_assert_nonnull (strstr (error->message, pin));
    g_assert_nonnull (strstr (error->message, wrong_pin));
    g_clear_error (&error);
    g_assert_cmpint (gls_replicator_get_state (repl), ==, GLS_REPLICATOR_STATE_ERROR);
    g_assert_nonnull (strstr (gls_replicator_get_error_message (repl), wrong_pin));
    g_assert_cmpint (gls_store_get_doc_count (f->local), ==, 0);
    g_assert_cmpint (gls_store_get_update_seq (f->local), ==, 0);

    test_store_put_json (f->local, "{\"_id\":\"not-sent\"}");
    g_assert_false (test_replicator_run (push, NULL, &error));
    g_assert_error (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_CERTIFICATE);
    g_clear_error (&error);
    g_assert_cmpint (gls_store_get_update_seq (f->remote), ==, remote_seq);
    {
      g_autofree char *after = test_store_dump (f->remote);

      g_assert_cmpstr (after, ==, before);
    }
  }

  /* No pin: the system's CAs decide, and they do not know this one. */
  {
    g_autoptr(GlsReplicator) repl = gls_replicator_new (f->local, unpinned, GLS_REPLICATOR_DIRECTION_PULL);

    g_assert_false (test_replicator_run (repl, NULL, &error));
    g_assert_error (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_CERTIFICATE);
    g_assert_nonnull (strstr (error->message, "not trusted"));
    g_clear_error (&error);
  }

  /* A pin on a plain http link is refused, not ignored. */
  {
    g_autoptr(GlsReplicator) repl = gls_replicator_new (f->local, plain, GLS_REPLICATOR_DIRECTION_PULL);

    g_assert_false (test_replicator_run (repl, NULL, &error));
    g_assert_error (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_CERTIFICATE);
    g_clear_error (&error);
  }
  g_assert_cmpint (gls_store_get_update_seq (f->remote), ==, remote_seq);

  /* The pinned certificate: both ways, and the server still serves. */
  {
    g_autoptr(GlsReplicator) repl = gls_replicator_new (f->local, good, GLS_REPLICATOR_DIRECTION_PULL);
    g_autoptr(GlsReplicator) push = gls_replicator_new (f->local, good, GLS_REPLICATOR_DIRECTION_PUSH);
    g_autofree char *url = g_strconcat (uri, "annotations", NULL);

    /* The pin is no part of the URL requests go to. */
    g_assert_cmpstr (gls_replicator_get_remote_url (repl), ==, url);
    g_assert_true (test_replicator_run (repl, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (gls_replicator_get_docs_written (repl), ==, 25);
    g_assert_true (test_replicator_run (push, NULL, &error));
    g_assert_no_error (error);
    test_assert_stores_identical (f->local, f->remote);
    g_assert_nonnull (gls_store_get (f->remote, "not-sent", NULL, GLS_STORE_GET_NONE, NULL));
  }
  gls_peer_server_disconnect (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add ("/sync/replicator/" path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("pull", test_pull, NULL);
  ADD ("push", test_push, NULL);
  ADD ("push-too-large", test_push_too_large, NULL);
  ADD ("push-designs", test_push_designs, NULL);
  ADD ("resume", test_resume, NULL);
  ADD ("checkpoint-interval", test_checkpoint_interval, NULL);
  ADD ("no-bulk-get", test_no_bulk_get, NULL);
  ADD ("malformed", test_malformed, NULL);
  ADD ("missing-db", test_missing_db, NULL);
  ADD ("unreachable", test_unreachable, NULL);
  ADD ("auth", test_auth, NULL);
  ADD ("retry", test_retry, NULL);
  ADD ("live-pull", test_live, GINT_TO_POINTER (GLS_REPLICATOR_DIRECTION_PULL));
  ADD ("live-push", test_live, GINT_TO_POINTER (GLS_REPLICATOR_DIRECTION_PUSH));
  ADD ("tls-certificate", test_tls_certificate, NULL);
  ADD ("tls-pinned", test_tls_pinned, NULL);
#undef ADD

  return g_test_run ();
}
