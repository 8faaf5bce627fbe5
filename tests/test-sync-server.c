/* test-sync-server.c: GlsPeerServer speaks the CouchDB replication protocol
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-sync-server"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "gls-peer-server.h"
#include "gls-store.h"
#include "test-util.h"

#define HASH_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HASH_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define HASH_C "cccccccccccccccccccccccccccccccc"
#define HASH_F "ffffffffffffffffffffffffffffffff"

typedef struct
{
  char          *dir;
  GlsStore      *store;
  GlsPeerServer *server;
  SoupSession   *session;
  char          *base;
  char          *auth;   /* "user:password" for Basic auth, or NULL */
} Fixture;

typedef struct
{
  GBytes   *bytes;
  GError   *error;
  gboolean  done;
  gint64    done_at;
} Call;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autofree char *uri = NULL;

  f->dir = test_data_dir_new ("glossa-sync-XXXXXX");
  f->store = test_store_open (f->dir, "annotations.sqlite");
  url = test_server_start (f->store, "annotations", HASH_F, &f->server);
  g_assert_cmpuint (gls_peer_server_get_port (f->server), >, 0);

  uri = gls_peer_server_dup_uri (f->server);
  g_assert_true (g_str_has_prefix (uri, "http://127.0.0.1:"));
  f->base = g_strndup (uri, strlen (uri) - 1);
  f->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->server);
  g_clear_object (&f->store);
  /* Let the store's pending sources run before its files go. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  test_data_dir_free (f->dir);
  g_free (f->base);
  g_free (f->auth);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Call *call = user_data;

  call->bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &call->error);
  call->done = TRUE;
  call->done_at = g_get_monotonic_time ();
}

static SoupMessage *
start (Fixture    *f,
       Call       *call,
       const char *method,
       const char *path,
       const char *body)
{
  g_autofree char *uri = g_strconcat (f->base, path, NULL);
  SoupMessage *msg = soup_message_new (method, uri);

  g_assert_nonnull (msg);
  soup_message_headers_replace (soup_message_get_request_headers (msg),
                                "Accept", "application/json");
  if (f->auth != NULL)
    {
      g_autofree char *encoded = g_base64_encode ((const guchar *) f->auth, strlen (f->auth));
      g_autofree char *header = g_strconcat ("Basic ", encoded, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, call);
  return msg;
}

static void
wait_call (Call *call)
{
  while (!call->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (call->error);
}

/* Sends a request; returns the status and the raw body. */
static guint
http_raw (Fixture     *f,
          const char  *method,
          const char  *path,
          const char  *body,
          GBytes     **out,
          char       **content_type)
{
  Call call = { 0, };
  g_autoptr(SoupMessage) msg = start (f, &call, method, path, body);

  wait_call (&call);
  if (content_type != NULL)
    *content_type = g_strdup (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL));
  if (out != NULL)
    *out = call.bytes;
  else
    g_bytes_unref (call.bytes);
  return soup_message_get_status (msg);
}

static JsonNode *
parse (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* Sends a request with a JSON answer and checks its status. */
static JsonNode *
http (Fixture    *f,
      const char *method,
      const char *path,
      const char *body,
      guint       expected_status)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *content_type = NULL;
  guint status = http_raw (f, method, path, body, &bytes, &content_type);

  if (status != expected_status)
    g_error ("%s %s: expected %u, got %u: %.*s", method, path, expected_status, status,
             (int) g_bytes_get_size (bytes), (const char *) g_bytes_get_data (bytes, NULL));
  g_assert_cmpstr (content_type, ==, "application/json");
  return parse (bytes);
}

static void
assert_error (JsonNode   *node,
              const char *error)
{
  JsonObject *object = json_node_get_object (node);

  g_assert_cmpstr (json_object_get_string_member (object, "error"), ==, error);
  g_assert_true (json_object_has_member (object, "reason"));
  g_assert_cmpuint (json_object_get_size (object), ==, 2);
}

static char *
put_doc (Fixture    *f,
         const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  char *rev;

  g_assert_no_error (error);
  rev = gls_store_put (f->store, json_node_get_object (node), &error);
  g_assert_no_error (error);
  return rev;
}

/* Tests */

static void
test_root (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(JsonNode) root = http (f, "GET", "/", NULL, 200);
  JsonObject *object = json_node_get_object (root);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "server-uuid", NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  g_assert_cmpstr (json_object_get_string_member (object, "couchdb"), ==, "Welcome");
  g_assert_cmpstr (json_object_get_string_member (object, "uuid"), ==, HASH_F);
  g_assert_true (json_object_has_member (object, "version"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "vendor"), "name"),
                   ==, "Glossa");

  /* The uuid kept in a file is the same at the next start. */
  first = gls_peer_server_load_uuid (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (first), ==, 32);
  second = gls_peer_server_load_uuid (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, second);
}

static GlsStore *
create_cb (GlsPeerServer  *server,
           const char     *name,
           gpointer        user_data,
           GError        **error)
{
  Fixture *f = user_data;
  g_autofree char *file = g_strdup_printf ("%s.sqlite", name);
  g_autofree char *path = NULL;

  g_strdelimit (file, "/", '_');
  path = g_build_filename (f->dir, file, NULL);
  return gls_store_open (path, error);
}

static void
test_db (Fixture       *f,
         gconstpointer  data)
{
  g_autofree char *rev = put_doc (f, "{\"_id\":\"a\",\"text\":\"x\"}");
  g_autofree char *rev_b = put_doc (f, "{\"_id\":\"b\",\"text\":\"y\"}");
  g_autoptr(GError) error = NULL;
  g_autofree char *deleted = gls_store_delete (f->store, "b", rev_b, NULL, &error);
  g_autoptr(GBytes) head = NULL;
  const char *paths[] = { "/annotations", "/annotations/" };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(JsonNode) node = http (f, "GET", paths[i], NULL, 200);
      JsonObject *info = json_node_get_object (node);

      g_assert_cmpstr (json_object_get_string_member (info, "db_name"), ==, "annotations");
      g_assert_cmpint (json_object_get_int_member (info, "update_seq"), ==, 3);
      g_assert_cmpstr (json_object_get_string_member (info, "instance_start_time"), ==,
                       gls_store_get_instance_start_time (f->store));
      g_assert_cmpint (json_object_get_int_member (info, "doc_count"), ==, 1);
      g_assert_cmpint (json_object_get_int_member (info, "doc_del_count"), ==, 1);
    }

  g_assert_cmpuint (http_raw (f, "HEAD", "/annotations", NULL, &head, NULL), ==, 200);
  g_assert_cmpuint (g_bytes_get_size (head), ==, 0);

  {
    g_autoptr(JsonNode) node = http (f, "GET", "/nothere", NULL, 404);
    assert_error (node, "not_found");
  }
  {
    g_autoptr(JsonNode) node = http (f, "GET", "/nothere/_changes", NULL, 404);
    assert_error (node, "not_found");
  }
  {
    g_autoptr(JsonNode) node = http (f, "PUT", "/annotations", NULL, 412);
    assert_error (node, "file_exists");
  }
  {
    g_autoptr(JsonNode) node = http (f, "PUT", "/other", NULL, 403);
    assert_error (node, "forbidden");
  }
  {
    g_autoptr(JsonNode) node = http (f, "PUT", "/Bad", NULL, 400);
    assert_error (node, "illegal_database_name");
  }

  gls_peer_server_set_create_func (f->server, create_cb, f, NULL);
  {
    g_autoptr(JsonNode) created = http (f, "PUT", "/other", NULL, 201);
    g_autoptr(JsonNode) info = http (f, "GET", "/other", NULL, 200);

    g_assert_true (json_object_get_boolean_member (json_node_get_object (created), "ok"));
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (info), "update_seq"), ==, 0);
    g_assert_nonnull (gls_peer_server_get_database (f->server, "other"));
  }
  /* A db name with a slash arrives as %2F. */
  {
    g_autoptr(JsonNode) created = http (f, "PUT", "/team%2Freview", NULL, 201);
    g_autoptr(JsonNode) info = http (f, "GET", "/team%2Freview/", NULL, 200);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (info), "db_name"), ==,
                     "team/review");
  }
}

static void
test_local (Fixture       *f,
            gconstpointer  data)
{
  gint64 seq = gls_store_get_update_seq (f->store);

  {
    g_autoptr(JsonNode) node = http (f, "PUT", "/annotations/_local/abc", "{\"last_seq\":5}", 201);
    JsonObject *object = json_node_get_object (node);

    g_assert_true (json_object_get_boolean_member (object, "ok"));
    g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "_local/abc");
    g_assert_cmpstr (json_object_get_string_member (object, "rev"), ==, "0-1");
  }
  {
    g_autoptr(JsonNode) node = http (f, "GET", "/annotations/_local/abc?", NULL, 200);
    JsonObject *object = json_node_get_object (node);

    g_assert_cmpint (json_object_get_int_member (object, "last_seq"), ==, 5);
    g_assert_cmpstr (json_object_get_string_member (object, "_id"), ==, "_local/abc");
    g_assert_cmpstr (json_object_get_string_member (object, "_rev"), ==, "0-1");
    g_assert_false (json_object_has_member (object, "_revisions"));
  }
  {
    g_autoptr(JsonNode) node = http (f, "PUT", "/annotations/_local/abc", "{\"last_seq\":6}", 409);
    assert_error (node, "conflict");
  }
  {
    g_autoptr(JsonNode) node = http (f, "PUT", "/annotations/_local/abc",
                                     "{\"last_seq\":6,\"_rev\":\"0-1\"}", 201);
    g_autoptr(JsonNode) got = http (f, "GET", "/annotations/_local/abc", NULL, 200);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "rev"), ==, "0-2");
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (got), "last_seq"), ==, 6);
  }
  {
    g_autoptr(JsonNode) node = http (f, "GET", "/annotations/_local/nonexistent", NULL, 404);
    assert_error (node, "not_found");
  }
  /* _local documents take no seq. */
  g_assert_cmpint (gls_store_get_update_seq (f->store), ==, seq);

  /* What this computer keeps for itself (what its person has seen) is
   * neither read nor written by a peer, by any route. */
  {
    g_autoptr(JsonObject) mine = json_object_new ();
    g_autofree char *rev = NULL;
    g_autoptr(GError) error = NULL;

    json_object_set_string_member (mine, "since", "2026-12-01T00:00:00Z");
    rev = gls_store_put_local (f->store, "glossa-seen", mine, &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(JsonNode) get = http (f, "GET", "/annotations/_local/glossa-seen", NULL, 403);
    g_autoptr(JsonNode) put = http (f, "PUT", "/annotations/_local/glossa-seen", "{\"since\":\"x\"}", 403);
    g_autoptr(JsonNode) del = http (f, "DELETE", "/annotations/_local/glossa-seen?rev=0-1", NULL, 403);
    g_autoptr(JsonNode) bulk = http (f, "POST", "/annotations/_bulk_docs",
                                     "{\"docs\":[{\"_id\":\"_local/glossa-seen\",\"since\":\"x\"}]}", 201);
    g_autoptr(JsonNode) bulk_get = http (f, "POST", "/annotations/_bulk_get",
                                         "{\"docs\":[{\"id\":\"_local/glossa-seen\"}]}", 200);
    g_autoptr(JsonObject) still = gls_store_get_local (f->store, "glossa-seen", NULL);
    g_autofree char *answer = json_to_string (bulk_get, FALSE);

    assert_error (get, "forbidden");
    assert_error (put, "forbidden");
    assert_error (del, "forbidden");
    g_assert_true (json_object_has_member (json_array_get_object_element (json_node_get_array (bulk), 0), "error"));
    g_assert_null (strstr (answer, "2026-12-01"));
    g_assert_cmpstr (json_object_get_string_member (still, "since"), ==, "2026-12-01T00:00:00Z");
  }
}

static void
test_docs (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *rev1 = NULL;
  g_autofree char *body = NULL;

  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_bulk_docs",
                                     "{\"docs\":[{\"_id\":\"a\",\"text\":\"x\"},"
                                     "{\"_id\":\"dir/file\",\"text\":\"slash\"}]}", 201);
    JsonArray *results = json_node_get_array (node);
    JsonObject *first = json_array_get_object_element (results, 0);

    g_assert_cmpuint (json_array_get_length (results), ==, 2);
    g_assert_true (json_object_get_boolean_member (first, "ok"));
    g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, "a");
    rev1 = g_strdup (json_object_get_string_member (first, "rev"));
    g_assert_true (g_str_has_prefix (rev1, "1-"));
    g_assert_cmpuint (strlen (rev1), ==, 34);
  }

  /* An update that names an old rev is a conflict in the array. */
  body = g_strdup_printf ("{\"docs\":[{\"_id\":\"a\",\"_rev\":\"%s\",\"text\":\"y\"},"
                          "{\"_id\":\"a\",\"_rev\":\"%s\",\"text\":\"z\"}]}", rev1, rev1);
  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_bulk_docs", body, 201);
    JsonArray *results = json_node_get_array (node);

    g_assert_true (json_object_get_boolean_member (json_array_get_object_element (results, 0), "ok"));
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 1), "error"),
                     ==, "conflict");
  }

  {
    g_autoptr(JsonNode) node = http (f, "GET", "/annotations/a?revs=true", NULL, 200);
    JsonObject *doc = json_node_get_object (node);
    JsonObject *revisions = json_object_get_object_member (doc, "_revisions");

    g_assert_cmpstr (json_object_get_string_member (doc, "text"), ==, "y");
    g_assert_cmpint (json_object_get_int_member (revisions, "start"), ==, 2);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (revisions, "ids")), ==, 2);
  }
  {
    g_autofree char *path = g_strdup_printf ("/annotations/a?rev=%s", rev1);
    g_autoptr(JsonNode) node = http (f, "GET", path, NULL, 200);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "text"), ==, "x");
    g_assert_false (json_object_has_member (json_node_get_object (node), "_revisions"));
  }
  {
    g_autoptr(JsonNode) node = http (f, "GET", "/annotations/a?rev=nonsense", NULL, 400);
    assert_error (node, "bad_request");
  }
  {
    g_autoptr(JsonNode) node = http (f, "GET", "/annotations/nope", NULL, 404);
    assert_error (node, "not_found");
  }

  /* %2F stays inside the id; a literal slash names an attachment. */
  {
    g_autoptr(JsonNode) node = http (f, "GET", "/annotations/dir%2Ffile", NULL, 200);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "_id"), ==, "dir/file");
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "text"), ==, "slash");
  }
  {
    g_autoptr(JsonNode) node = http (f, "GET", "/annotations/dir/file", NULL, 404);
    assert_error (node, "not_found");
  }

  /* PUT /{db}/{docid} */
  {
    g_autoptr(JsonNode) node = http (f, "PUT", "/annotations/c%2Fd", "{\"text\":\"put\"}", 201);
    g_autoptr(JsonNode) got = http (f, "GET", "/annotations/c%2Fd", NULL, 200);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "id"), ==, "c/d");
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (got), "text"), ==, "put");
  }
}

static void
test_changes (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *rev_a = put_doc (f, "{\"_id\":\"a\",\"text\":\"x\"}");
  g_autofree char *rev_b = put_doc (f, "{\"_id\":\"b\",\"text\":\"y\"}");
  g_autofree char *rev_c = put_doc (f, "{\"_id\":\"c\",\"text\":\"z\"}");
  g_autoptr(GError) error = NULL;
  g_autofree char *deleted = gls_store_delete (f->store, "a", rev_a, NULL, &error);

  g_assert_no_error (error);
  {
    g_autoptr(JsonNode) node = http (f, "GET", "/annotations/_changes?style=all_docs&since=0", NULL, 200);
    JsonObject *object = json_node_get_object (node);
    JsonArray *results = json_object_get_array_member (object, "results");
    JsonObject *last;

    g_assert_cmpuint (json_array_get_length (results), ==, 3);
    g_assert_cmpint (json_object_get_int_member (object, "last_seq"), ==, 4);
    /* "a" moved to the end, deleted. */
    last = json_array_get_object_element (results, 2);
    g_assert_cmpstr (json_object_get_string_member (last, "id"), ==, "a");
    g_assert_cmpint (json_object_get_int_member (last, "seq"), ==, 4);
    g_assert_true (json_object_get_boolean_member (last, "deleted"));
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (last, "changes"), 0), "rev"),
                     ==, deleted);
  }
  {
    g_autoptr(JsonNode) node = http (f, "GET", "/annotations/_changes?since=1&limit=1", NULL, 200);
    JsonObject *object = json_node_get_object (node);
    JsonArray *results = json_object_get_array_member (object, "results");

    g_assert_cmpuint (json_array_get_length (results), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "id"), ==, "b");
    g_assert_cmpint (json_object_get_int_member (object, "last_seq"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (object, "pending"), ==, 2);
  }
  {
    g_autoptr(JsonNode) node = http (f, "GET", "/annotations/_changes?since=now", NULL, 200);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (node), "results")), ==, 0);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "last_seq"), ==, 4);
  }
  {
    g_autoptr(JsonNode) node = http (f, "GET", "/annotations/_changes?since=abc", NULL, 400);
    assert_error (node, "bad_request");
  }
}

static void
test_changes_doc_ids (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *rev_a = put_doc (f, "{\"_id\":\"a\",\"text\":\"x\"}");
  g_autofree char *rev_b = put_doc (f, "{\"_id\":\"b\",\"text\":\"y\"}");
  g_autofree char *rev_c = put_doc (f, "{\"_id\":\"c\",\"text\":\"z\"}");
  g_autofree char *rev_d = NULL;
  g_autofree char *rev_c2 = NULL;
  g_autofree char *update = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) woke = NULL;
  Call call = { 0, };
  gint64 deadline;
  JsonArray *results;

  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_changes?filter=_doc_ids",
                                     "{\"doc_ids\":[\"a\",\"c\"]}", 200);
    JsonObject *object = json_node_get_object (node);

    results = json_object_get_array_member (object, "results");
    g_assert_cmpuint (json_array_get_length (results), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 1), "id"), ==, "c");
    g_assert_cmpint (json_object_get_int_member (object, "last_seq"), ==, 3);
  }
  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_changes?filter=_doc_ids&limit=1",
                                     "{\"doc_ids\":[\"a\",\"c\"]}", 200);
    JsonObject *object = json_node_get_object (node);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "results")), ==, 1);
    g_assert_cmpint (json_object_get_int_member (object, "last_seq"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (object, "pending"), ==, 1);
  }
  {
    g_autoptr(JsonNode) node = http (f, "GET", "/annotations/_changes?filter=_doc_ids&doc_ids=%5B%22b%22%5D", NULL, 200);

    results = json_object_get_array_member (json_node_get_object (node), "results");
    g_assert_cmpuint (json_array_get_length (results), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "id"), ==, "b");
  }
  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_changes?filter=_doc_ids", "{\"doc_ids\":\"a\"}", 400);

    assert_error (node, "bad_request");
  }

  /* A filtered longpoll sleeps through other documents' changes. */
  msg = start (f, &call, "POST", "/annotations/_changes?feed=longpoll&filter=_doc_ids&since=3&timeout=5000",
               "{\"doc_ids\":[\"c\"]}");
  deadline = g_get_monotonic_time () + 150 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  rev_d = put_doc (f, "{\"_id\":\"d\",\"text\":\"w\"}");
  deadline = g_get_monotonic_time () + 150 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (call.done);
  update = g_strdup_printf ("{\"_id\":\"c\",\"_rev\":\"%s\",\"text\":\"z2\"}", rev_c);
  rev_c2 = put_doc (f, update);
  wait_call (&call);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  woke = parse (call.bytes);
  g_bytes_unref (call.bytes);
  results = json_object_get_array_member (json_node_get_object (woke), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "id"), ==, "c");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (woke), "last_seq"), ==, 5);
}

/* filter=_selector (CouchDB's replicator sends it for a replication with
 * a selector): only the documents whose winning revision matches. */
static void
test_changes_selector (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *rev_a = put_doc (f, "{\"_id\":\"a\",\"type\":\"Annotation\",\"target\":{\"source\":\"s1\"}}");
  g_autofree char *rev_b = put_doc (f, "{\"_id\":\"b\",\"type\":\"ImageObject\"}");
  g_autofree char *rev_c = put_doc (f, "{\"_id\":\"c\",\"type\":\"Annotation\",\"target\":{\"source\":\"s2\"}}");
  g_autofree char *rev_d = NULL;
  g_autofree char *rev_c2 = NULL;
  g_autofree char *update = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) woke = NULL;
  Call call = { 0, };
  gint64 deadline;
  JsonArray *results;

  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_changes?filter=_selector&style=all_docs",
                                     "{\"selector\":{\"type\":\"Annotation\"}}", 200);
    JsonObject *object = json_node_get_object (node);

    results = json_object_get_array_member (object, "results");
    g_assert_cmpuint (json_array_get_length (results), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "id"), ==, "a");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 1), "id"), ==, "c");
    g_assert_cmpint (json_object_get_int_member (object, "last_seq"), ==, 3);
  }
  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_changes?filter=_selector&include_docs=true",
                                     "{\"selector\":{\"target.source\":{\"$in\":[\"s2\",\"s3\"]}}}", 200);

    results = json_object_get_array_member (json_node_get_object (node), "results");
    g_assert_cmpuint (json_array_get_length (results), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "id"), ==, "c");
    g_assert_true (json_object_has_member (json_array_get_object_element (results, 0), "doc"));
  }
  /* Refused, as CouchDB refuses them: no selector, a bad one, a GET. */
  {
    g_autoptr(JsonNode) none = http (f, "POST", "/annotations/_changes?filter=_selector", "{}", 400);
    g_autoptr(JsonNode) bad = http (f, "POST", "/annotations/_changes?filter=_selector",
                                    "{\"selector\":{\"type\":{\"$near\":1}}}", 400);
    g_autoptr(JsonNode) get = http (f, "GET", "/annotations/_changes?filter=_selector", NULL, 400);
    g_autoptr(JsonNode) other = http (f, "GET", "/annotations/_changes?filter=_view", NULL, 400);

    assert_error (none, "bad_request");
    assert_error (bad, "bad_request");
    g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object (bad), "reason"), "$near"));
    assert_error (get, "bad_request");
    assert_error (other, "bad_request");
  }

  /* A filtered longpoll sleeps through changes the selector does not match. */
  msg = start (f, &call, "POST", "/annotations/_changes?feed=longpoll&filter=_selector&since=3&timeout=5000",
               "{\"selector\":{\"type\":\"Annotation\"}}");
  deadline = g_get_monotonic_time () + 150 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  rev_d = put_doc (f, "{\"_id\":\"d\",\"type\":\"Person\"}");
  deadline = g_get_monotonic_time () + 150 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (call.done);
  update = g_strdup_printf ("{\"_id\":\"c\",\"_rev\":\"%s\",\"type\":\"Annotation\",\"v\":2}", rev_c);
  rev_c2 = put_doc (f, update);
  wait_call (&call);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  woke = parse (call.bytes);
  g_bytes_unref (call.bytes);
  results = json_object_get_array_member (json_node_get_object (woke), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "id"), ==, "c");
}

static void
test_longpoll_wakes (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *rev = put_doc (f, "{\"_id\":\"a\",\"text\":\"x\"}");
  Call call = { 0, };
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *written = NULL;
  gint64 deadline, wrote_at;
  JsonArray *results;

  msg = start (f, &call, "GET",
               "/annotations/_changes?style=all_docs&feed=longpoll&since=1&timeout=10000&heartbeat=10000",
               NULL);
  deadline = g_get_monotonic_time () + 300 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (call.done);

  wrote_at = g_get_monotonic_time ();
  written = put_doc (f, "{\"_id\":\"b\",\"text\":\"y\"}");
  wait_call (&call);
  g_test_message ("longpoll answered %" G_GINT64_FORMAT " µs after the write",
                  call.done_at - wrote_at);
  g_assert_cmpint (call.done_at - wrote_at, <, 200 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);

  node = parse (call.bytes);
  results = json_object_get_array_member (json_node_get_object (node), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "id"), ==, "b");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "last_seq"), ==, 2);
  g_bytes_unref (call.bytes);

  /* Changes already there answer at once. */
  {
    g_autoptr(JsonNode) now = http (f, "GET", "/annotations/_changes?feed=longpoll&since=0", NULL, 200);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (now), "results")), ==, 2);
  }
}

static void
test_longpoll_timeout (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *rev = put_doc (f, "{\"_id\":\"a\",\"text\":\"x\"}");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 began = g_get_monotonic_time ();
  const char *text;
  gsize size;

  g_assert_cmpuint (http_raw (f, "GET",
                              "/annotations/_changes?feed=longpoll&since=1&timeout=400&heartbeat=100",
                              NULL, &bytes, NULL), ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - began, >=, 400 * G_TIME_SPAN_MILLISECOND);

  /* Heartbeat newlines come before the JSON. */
  text = g_bytes_get_data (bytes, &size);
  g_assert_cmpuint (size, >, 2);
  g_assert_cmpint (text[0], ==, '\n');
  g_assert_cmpint (text[1], ==, '\n');
  node = parse (bytes);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (node), "results")), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "last_seq"), ==, 1);

  /* Without heartbeat the answer is plain JSON. */
  {
    g_autoptr(JsonNode) plain = http (f, "GET", "/annotations/_changes?feed=longpoll&since=1&timeout=50", NULL, 200);

    g_assert_cmpint (json_object_get_int_member (json_node_get_object (plain), "last_seq"), ==, 1);
  }
}

/* Splits a continuous feed into its JSON lines, skipping heartbeats. */
static GPtrArray *
feed_lines (GBytes *bytes)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  g_assert_true (g_str_has_suffix (text, "}\n"));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      JsonNode *node;

      if (*lines[i] == '\0')
        continue;
      node = json_from_string (lines[i], &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      g_ptr_array_add (objects, node);
    }
  return objects;
}

static void
test_continuous (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *rev = put_doc (f, "{\"_id\":\"a\",\"text\":\"x\"}");
  g_autofree char *written = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GBytes) bytes = NULL;
  Call call = { 0, };
  gint64 deadline;
  JsonObject *object;

  msg = start (f, &call, "GET",
               "/annotations/_changes?feed=continuous&style=all_docs&since=0&timeout=500&heartbeat=100",
               NULL);
  deadline = g_get_monotonic_time () + 150 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (call.done);
  written = put_doc (f, "{\"_id\":\"b\",\"text\":\"y\"}");
  wait_call (&call);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);

  lines = feed_lines (call.bytes);
  g_bytes_unref (call.bytes);
  g_assert_cmpuint (lines->len, ==, 3);
  object = json_node_get_object (lines->pdata[0]);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "a");
  g_assert_cmpint (json_object_get_int_member (object, "seq"), ==, 1);
  object = json_node_get_object (lines->pdata[1]);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "b");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (object, "changes"), 0), "rev"),
                   ==, written);
  /* The last line has no "changes": it ends the feed. */
  object = json_node_get_object (lines->pdata[2]);
  g_assert_false (json_object_has_member (object, "changes"));
  g_assert_cmpint (json_object_get_int_member (object, "last_seq"), ==, 2);

  /* limit ends the feed once reached. */
  g_assert_cmpuint (http_raw (f, "GET", "/annotations/_changes?feed=continuous&since=0&limit=1",
                              NULL, &bytes, NULL), ==, 200);
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = feed_lines (bytes);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (lines->pdata[1]), "last_seq"), ==, 1);
}

static void
test_longpoll_client_gone (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *uri = g_strconcat (f->base, "/annotations/_changes?feed=longpoll&since=0&heartbeat=50", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autofree char *rev = NULL;
  Call call = { 0, };
  gint64 deadline;

  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, cancellable, sent_cb, &call);
  deadline = g_get_monotonic_time () + 200 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_cancellable_cancel (cancellable);
  while (!call.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (call.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&call.error);

  /* The server forgot the waiting client: a write and a request go on. */
  deadline = g_get_monotonic_time () + 100 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  rev = put_doc (f, "{\"_id\":\"a\",\"text\":\"x\"}");
  {
    g_autoptr(JsonNode) node = http (f, "GET", "/annotations/_changes", NULL, 200);

    g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "last_seq"), ==, 1);
  }
}

static void
test_concurrent (Fixture       *f,
                 gconstpointer  data)
{
  enum { N = 24 };
  Call calls[N] = { { 0, }, };
  SoupMessage *msgs[N];

  /* Requests run in worker threads; each answers for itself. */
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"docs\":[{\"_id\":\"doc%u\",\"n\":%u}]}", i, i);

      msgs[i] = start (f, &calls[i], "POST", "/annotations/_bulk_docs", body);
    }
  for (guint i = 0; i < N; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *id = g_strdup_printf ("doc%u", i);
      JsonObject *result;

      wait_call (&calls[i]);
      g_assert_cmpuint (soup_message_get_status (msgs[i]), ==, 201);
      node = parse (calls[i].bytes);
      result = json_array_get_object_element (json_node_get_array (node), 0);
      g_assert_cmpstr (json_object_get_string_member (result, "id"), ==, id);
      g_assert_true (json_object_get_boolean_member (result, "ok"));
      g_bytes_unref (calls[i].bytes);
      g_object_unref (msgs[i]);
    }
  g_assert_cmpint (gls_store_get_doc_count (f->store), ==, N);
  g_assert_cmpint (gls_store_get_update_seq (f->store), ==, N);
}

static void
test_revs_diff (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *rev = put_doc (f, "{\"_id\":\"a\",\"text\":\"x\"}");
  g_autofree char *body = g_strdup_printf ("{\"a\":[\"%s\",\"3-" HASH_C "\"],"
                                           "\"nope\":[\"1-" HASH_A "\"]}", rev);
  g_autofree char *known = g_strdup_printf ("{\"a\":[\"%s\"]}", rev);
  g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_revs_diff", body, 200);
  JsonObject *object = json_node_get_object (node);
  JsonArray *missing;

  g_assert_cmpuint (json_object_get_size (object), ==, 2);
  missing = json_object_get_array_member (json_object_get_object_member (object, "a"), "missing");
  g_assert_cmpuint (json_array_get_length (missing), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (missing, 0), ==, "3-" HASH_C);
  missing = json_object_get_array_member (json_object_get_object_member (object, "nope"), "missing");
  g_assert_cmpstr (json_array_get_string_element (missing, 0), ==, "1-" HASH_A);

  {
    g_autoptr(JsonNode) none = http (f, "POST", "/annotations/_revs_diff", known, 200);

    g_assert_cmpuint (json_object_get_size (json_node_get_object (none)), ==, 0);
  }
  {
    g_autoptr(JsonNode) bad = http (f, "POST", "/annotations/_revs_diff", "{\"a\":\"1-x\"}", 400);
    assert_error (bad, "bad_request");
  }
}

static void
test_new_edits_false (Fixture       *f,
                      gconstpointer  data)
{
  const char *body =
    "{\"new_edits\":false,\"docs\":["
    "{\"_id\":\"ann1\",\"_rev\":\"1-" HASH_A "\",\"text\":\"hello\"},"
    "{\"_id\":\"ann1\",\"_rev\":\"2-" HASH_F "\",\"text\":\"B\","
    " \"_revisions\":{\"start\":2,\"ids\":[\"" HASH_F "\",\"" HASH_B "\"]}},"
    "{\"_id\":\"ann1\",\"_rev\":\"2-" HASH_C "\",\"text\":\"C\","
    " \"_revisions\":{\"start\":2,\"ids\":[\"" HASH_C "\",\"" HASH_A "\"]}}]}";
  const char *bad = "{\"new_edits\":false,\"docs\":[{\"_id\":\"x\",\"_rev\":\"zz\"}]}";
  gint64 seq;

  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_bulk_docs", body, 201);

    g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 0);
  }
  /* Idempotent: the same batch again takes no seq. */
  seq = gls_store_get_update_seq (f->store);
  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_bulk_docs", body, 201);

    g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 0);
    g_assert_cmpint (gls_store_get_update_seq (f->store), ==, seq);
  }
  /* Only failures are returned. */
  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_bulk_docs", bad, 201);
    JsonArray *results = json_node_get_array (node);

    g_assert_cmpuint (json_array_get_length (results), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "id"), ==, "x");
    g_assert_true (json_object_has_member (json_array_get_object_element (results, 0), "error"));
  }

  /* The conflict is visible through open_revs=all: winner F (higher hash). */
  {
    g_autoptr(JsonNode) node = http (f, "GET", "/annotations/ann1?open_revs=all&revs=true", NULL, 200);
    JsonArray *array = json_node_get_array (node);
    gboolean seen_f = FALSE, seen_c = FALSE;

    g_assert_cmpuint (json_array_get_length (array), ==, 2);
    for (guint i = 0; i < 2; i++)
      {
        JsonObject *doc = json_object_get_object_member (json_array_get_object_element (array, i), "ok");
        const char *rev = json_object_get_string_member (doc, "_rev");

        g_assert_true (json_object_has_member (doc, "_revisions"));
        seen_f |= g_str_equal (rev, "2-" HASH_F);
        seen_c |= g_str_equal (rev, "2-" HASH_C);
      }
    g_assert_true (seen_f && seen_c);
  }
  {
    g_autoptr(JsonNode) node = http (f, "GET",
                                     "/annotations/ann1?open_revs=%5B%221-" HASH_A "%22,%223-" HASH_B "%22%5D&latest=true",
                                     NULL, 200);
    JsonArray *array = json_node_get_array (node);
    guint n_ok = 0, n_missing = 0;

    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        JsonObject *item = json_array_get_object_element (array, i);

        if (json_object_has_member (item, "ok"))
          n_ok++;
        else if (g_strcmp0 (json_object_get_string_member (item, "missing"), "3-" HASH_B) == 0)
          n_missing++;
      }
    /* latest: 1-A answers with its leaf 2-C. */
    g_assert_cmpuint (n_ok, ==, 1);
    g_assert_cmpuint (n_missing, ==, 1);
  }
  /* The CouchDB replicator asks for multipart/mixed. */
  {
    g_autofree char *uri = g_strconcat (f->base, "/annotations/ann1?revs=true&open_revs=%5B%222-" HASH_F "%22,%223-" HASH_B "%22%5D", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
    g_autoptr(SoupMultipart) multipart = NULL;
    SoupMessageHeaders *part_headers;
    GBytes *part_body;
    Call call = { 0, };

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "multipart/mixed");
    soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &call);
    wait_call (&call);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL),
                     ==, "multipart/mixed");
    /* It ends as CouchDB's do, with the closing delimiter and nothing
     * after it; libsoup 3.2 needs two more bytes to parse it. */
    {
      g_autoptr(GHashTable) params = NULL;
      g_autofree char *closing = NULL;
      g_autoptr(GByteArray) copy = g_byte_array_new ();
      gsize size;
      const char *text = g_bytes_get_data (call.bytes, &size);
      g_autoptr(GBytes) parsable = NULL;

      soup_message_headers_get_content_type (soup_message_get_response_headers (msg), &params);
      closing = g_strconcat ("\r\n--", (char *) g_hash_table_lookup (params, "boundary"), "--", NULL);
      g_assert_cmpuint (size, >, strlen (closing));
      g_assert_cmpmem (text + size - strlen (closing), strlen (closing), closing, strlen (closing));
      g_byte_array_append (copy, (const guint8 *) text, size);
      g_byte_array_append (copy, (const guint8 *) "\r\n", 2);
      parsable = g_byte_array_free_to_bytes (g_steal_pointer (&copy));
      multipart = soup_multipart_new_from_message (soup_message_get_response_headers (msg), parsable);
    }
    g_bytes_unref (call.bytes);
    g_assert_nonnull (multipart);
    g_assert_cmpint (soup_multipart_get_length (multipart), ==, 2);

    g_assert_true (soup_multipart_get_part (multipart, 0, &part_headers, &part_body));
    g_assert_cmpstr (soup_message_headers_get_one (part_headers, "Content-Type"), ==, "application/json");
    {
      g_autoptr(JsonNode) doc = parse (part_body);

      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (doc), "_rev"), ==, "2-" HASH_F);
      g_assert_true (json_object_has_member (json_node_get_object (doc), "_revisions"));
    }
    g_assert_true (soup_multipart_get_part (multipart, 1, &part_headers, &part_body));
    g_assert_cmpstr (soup_message_headers_get_one (part_headers, "Content-Type"), ==,
                     "application/json; error=\"true\"");
    {
      g_autoptr(JsonNode) missing = parse (part_body);

      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (missing), "missing"), ==, "3-" HASH_B);
    }
  }
  {
    g_autoptr(JsonNode) node = http (f, "GET", "/annotations/ann1?conflicts=true", NULL, 200);
    JsonObject *doc = json_node_get_object (node);

    g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, "2-" HASH_F);
    g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (doc, "_conflicts"), 0),
                     ==, "2-" HASH_C);
  }
  {
    g_autoptr(JsonNode) node = http (f, "GET", "/annotations/_changes?style=all_docs", NULL, 200);
    JsonArray *results = json_object_get_array_member (json_node_get_object (node), "results");

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_array_get_object_element (results, 0), "changes")),
                      ==, 2);
  }
  {
    g_autoptr(JsonNode) node = http (f, "GET", "/annotations/ann1?open_revs=%5B1%5D", NULL, 400);
    assert_error (node, "bad_request");
  }
}

/* A _bulk_get longer than one read transaction (the server reads 250
 * documents per transaction): every entry answered, in order, a missing
 * one at a transaction's edge included. */
static void
test_bulk_get_long (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GString) docs = g_string_new ("{\"docs\":[");
  g_autoptr(GString) ask = g_string_new ("{\"docs\":[");
  g_autoptr(GPtrArray) revs = g_ptr_array_new_with_free_func (g_free);
  const guint n = 600;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (docs, "%s{\"_id\":\"doc-%03u\",\"n\":%u}", i ? "," : "", i, i);
  g_string_append (docs, "]}");
  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_bulk_docs", docs->str, 201);

    for (guint i = 0; i < n; i++)
      g_ptr_array_add (revs, g_strdup (json_object_get_string_member (json_array_get_object_element (json_node_get_array (node), i), "rev")));
  }
  for (guint i = 0; i <= n; i++)
    {
      if (i == 250)   /* the first of the second transaction: not there */
        g_string_append (ask, "{\"id\":\"nope\",\"rev\":\"1-" HASH_A "\"},");
      else if (i < n)
        g_string_append_printf (ask, "{\"id\":\"doc-%03u\",\"rev\":\"%s\"},", i,
                                (const char *) g_ptr_array_index (revs, i));
    }
  g_string_append (ask, "{\"id\":\"doc-000\"}]}");
  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_bulk_get?revs=true", ask->str, 200);
    JsonArray *results = json_object_get_array_member (json_node_get_object (node), "results");

    g_assert_cmpuint (json_array_get_length (results), ==, n + 1);
    for (guint i = 0; i <= n; i++)
      {
        JsonObject *result = json_array_get_object_element (results, i);
        JsonObject *first = json_array_get_object_element (json_object_get_array_member (result, "docs"), 0);

        if (i == 250)
          {
            g_assert_cmpstr (json_object_get_string_member (result, "id"), ==, "nope");
            g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "error"), "error"),
                             ==, "not_found");
          }
        else
          {
            JsonObject *doc = json_object_get_object_member (first, "ok");
            guint k = i == n ? 0 : i;
            g_autofree char *id = g_strdup_printf ("doc-%03u", k);

            g_assert_cmpstr (json_object_get_string_member (result, "id"), ==, id);
            g_assert_cmpstr (json_object_get_string_member (doc, "_id"), ==, id);
            g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, g_ptr_array_index (revs, k));
            g_assert_cmpint (json_object_get_int_member (doc, "n"), ==, k);
          }
      }
  }
  /* The store is not left locked: a write goes through afterwards. */
  json_node_unref (http (f, "PUT", "/annotations/after", "{\"x\":1}", 201));
}

static void
test_bulk_get_attachments (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *rev = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *content_type = NULL;
  g_autoptr(GBytes) raw = NULL;

  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_bulk_docs",
                                     "{\"docs\":[{\"_id\":\"d\",\"title\":\"t\",\"_attachments\":{\"note.txt\":"
                                     "{\"content_type\":\"text/plain\",\"data\":\"aGVsbG8gd29ybGQ=\"}}}]}", 201);

    rev = g_strdup (json_object_get_string_member (json_array_get_object_element (json_node_get_array (node), 0), "rev"));
  }

  body = g_strdup_printf ("{\"docs\":[{\"id\":\"d\",\"rev\":\"%s\"},{\"id\":\"nope\",\"rev\":\"1-" HASH_A "\"},"
                          "{\"id\":\"d\"}]}", rev);
  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_bulk_get?revs=true&latest=true", body, 200);
    JsonArray *results = json_object_get_array_member (json_node_get_object (node), "results");
    JsonObject *first, *doc, *att, *err;

    g_assert_cmpuint (json_array_get_length (results), ==, 3);
    first = json_array_get_object_element (results, 0);
    g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, "d");
    doc = json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (first, "docs"), 0), "ok");
    g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, rev);
    g_assert_true (json_object_has_member (doc, "_revisions"));
    att = json_object_get_object_member (json_object_get_object_member (doc, "_attachments"), "note.txt");
    g_assert_true (json_object_get_boolean_member (att, "stub"));
    g_assert_cmpint (json_object_get_int_member (att, "length"), ==, 11);

    err = json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (json_array_get_object_element (results, 1), "docs"), 0), "error");
    g_assert_cmpstr (json_object_get_string_member (err, "id"), ==, "nope");
    g_assert_cmpstr (json_object_get_string_member (err, "rev"), ==, "1-" HASH_A);
    g_assert_cmpstr (json_object_get_string_member (err, "error"), ==, "not_found");

    /* Without rev: every leaf. */
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_array_get_object_element (results, 2), "docs")), ==, 1);
  }
  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_bulk_get?revs=true&attachments=true", body, 200);
    JsonArray *results = json_object_get_array_member (json_node_get_object (node), "results");
    JsonObject *doc = json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (json_array_get_object_element (results, 0), "docs"), 0), "ok");
    JsonObject *att = json_object_get_object_member (json_object_get_object_member (doc, "_attachments"), "note.txt");

    g_assert_cmpstr (json_object_get_string_member (att, "data"), ==, "aGVsbG8gd29ybGQ=");
    g_assert_false (json_object_has_member (att, "stub"));
  }

  /* atts_since naming the doc's own rev: the client has the data already. */
  {
    g_autofree char *since_body = g_strdup_printf ("{\"docs\":[{\"id\":\"d\",\"rev\":\"%s\",\"atts_since\":[\"%s\"]}]}",
                                                   rev, rev);
    g_autofree char *since_path = g_strdup_printf ("/annotations/d?revs=true&attachments=true&atts_since=%%5B%%22%s%%22%%5D", rev);
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_bulk_get?revs=true&attachments=true", since_body, 200);
    g_autoptr(JsonNode) single = http (f, "GET", since_path, NULL, 200);
    g_autoptr(JsonNode) unknown = http (f, "GET", "/annotations/d?revs=true&attachments=true&atts_since=%5B%221-" HASH_A "%22%5D", NULL, 200);
    JsonArray *results = json_object_get_array_member (json_node_get_object (node), "results");
    JsonObject *doc = json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (json_array_get_object_element (results, 0), "docs"), 0), "ok");
    JsonObject *att = json_object_get_object_member (json_object_get_object_member (doc, "_attachments"), "note.txt");

    g_assert_true (json_object_get_boolean_member (att, "stub"));
    g_assert_false (json_object_has_member (att, "data"));
    g_assert_cmpint (json_object_get_int_member (att, "length"), ==, 11);
    att = json_object_get_object_member (json_object_get_object_member (json_node_get_object (single), "_attachments"), "note.txt");
    g_assert_true (json_object_get_boolean_member (att, "stub"));
    /* A rev not on the document's path changes nothing. */
    att = json_object_get_object_member (json_object_get_object_member (json_node_get_object (unknown), "_attachments"), "note.txt");
    g_assert_cmpstr (json_object_get_string_member (att, "data"), ==, "aGVsbG8gd29ybGQ=");
  }

  path = g_strdup_printf ("/annotations/d/note.txt?rev=%s", rev);
  g_assert_cmpuint (http_raw (f, "GET", path, NULL, &raw, &content_type), ==, 200);
  g_assert_cmpstr (content_type, ==, "text/plain");
  g_assert_cmpmem (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), "hello world", 11);
  {
    g_autoptr(JsonNode) node = http (f, "GET", "/annotations/d/other.txt", NULL, 404);
    assert_error (node, "not_found");
  }
  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_bulk_get", "{\"docs\":[{\"rev\":1}]}", 400);
    assert_error (node, "bad_request");
  }
}

static GBytes *
gzip_bytes (const char *text)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) output = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (output, text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (output, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

/* How the CouchDB replicator pushes a document with attachments. */
static void
stream_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GInputStream **stream = user_data;
  g_autoptr(GError) error = NULL;

  *stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static void
stream_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  gssize *n = user_data;

  *n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);
}

/* A design bigger than the pieces the server reads its file in: its GET,
 * HEAD and open_revs multipart answers are sent from the file, whole. */
static void
test_big_attachment (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GByteArray) design = g_byte_array_new ();
  g_autoptr(GBytes) raw = NULL;
  g_autofree char *rev = NULL;
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *docs = NULL;
  g_autofree char *base64 = NULL;
  guint32 x = 1;

  for (guint i = 0; i < 700 * 1024; i++)
    {
      guint8 b;

      x = x * 1103515245u + 12345u;
      b = (guint8) (x >> 16);
      g_byte_array_append (design, &b, 1);
    }
  base64 = g_base64_encode (design->data, design->len);
  docs = g_strdup_printf ("{\"docs\":[{\"_id\":\"big\",\"_attachments\":{\"file\":"
                          "{\"content_type\":\"image/png\",\"data\":\"%s\"}}}]}", base64);
  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_bulk_docs", docs, 201);

    rev = g_strdup (json_object_get_string_member (json_array_get_object_element (json_node_get_array (node), 0), "rev"));
  }

  path = g_strdup_printf ("/annotations/big/file?rev=%s", rev);
  g_assert_cmpuint (http_raw (f, "GET", path, NULL, &raw, NULL), ==, 200);
  g_assert_cmpmem (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), design->data, design->len);
  g_clear_pointer (&raw, g_bytes_unref);

  /* HEAD: the length, no body. */
  {
    Call call = { 0, };
    g_autoptr(SoupMessage) msg = start (f, &call, "HEAD", path, NULL);

    wait_call (&call);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_cmpint (soup_message_headers_get_content_length (soup_message_get_response_headers (msg)),
                     ==, design->len);
    g_assert_cmpuint (g_bytes_get_size (call.bytes), ==, 0);
    g_bytes_unref (call.bytes);
  }

  /* As CouchDB's replicator asks for it: the bytes as a "follows" part. */
  uri = g_strdup_printf ("%s/annotations/big?revs=true&latest=true&open_revs=%%5B%%22%s%%22%%5D", f->base, rev);
  {
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
    g_autoptr(SoupMultipart) mixed = NULL;
    g_autoptr(SoupMultipart) related = NULL;
    g_autoptr(GByteArray) copy = g_byte_array_new ();
    g_autoptr(GBytes) parsable = NULL;
    g_autoptr(GBytes) related_body = NULL;
    g_autoptr(JsonNode) json = NULL;
    SoupMessageHeaders *part_headers;
    GBytes *part_body;
    JsonObject *att;
    Call call = { 0, };

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "multipart/mixed");
    soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &call);
    wait_call (&call);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_byte_array_append (copy, g_bytes_get_data (call.bytes, NULL), g_bytes_get_size (call.bytes));
    g_byte_array_append (copy, (const guint8 *) "\r\n", 2);
    g_bytes_unref (call.bytes);
    parsable = g_byte_array_free_to_bytes (g_steal_pointer (&copy));
    mixed = soup_multipart_new_from_message (soup_message_get_response_headers (msg), parsable);
    g_assert_nonnull (mixed);
    g_assert_cmpint (soup_multipart_get_length (mixed), ==, 1);
    g_assert_true (soup_multipart_get_part (mixed, 0, &part_headers, &part_body));
    g_assert_true (g_str_has_prefix (soup_message_headers_get_one (part_headers, "Content-Type"),
                                     "multipart/related"));
    {
      g_autoptr(GByteArray) inner = g_byte_array_new ();

      g_byte_array_append (inner, g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body));
      g_byte_array_append (inner, (const guint8 *) "\r\n", 2);
      related_body = g_byte_array_free_to_bytes (g_steal_pointer (&inner));
    }
    related = soup_multipart_new_from_message (part_headers, related_body);
    g_assert_nonnull (related);
    g_assert_cmpint (soup_multipart_get_length (related), ==, 2);
    g_assert_true (soup_multipart_get_part (related, 0, &part_headers, &part_body));
    json = parse (part_body);
    att = json_object_get_object_member (json_object_get_object_member (json_node_get_object (json),
                                                                        "_attachments"), "file");
    g_assert_true (json_object_get_boolean_member (att, "follows"));
    g_assert_false (json_object_has_member (att, "stub"));
    g_assert_cmpint (json_object_get_int_member (att, "length"), ==, design->len);
    g_assert_true (soup_multipart_get_part (related, 1, &part_headers, &part_body));
    g_assert_cmpmem (g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body), design->data, design->len);
  }

  /* The server closes while a design is half sent (a window closing
   * during a peer's pull): nothing is written to the dropped answer. */
  {
    g_autoptr(SoupMessage) msg = NULL;
    g_autoptr(GInputStream) stream = NULL;
    g_autofree char *att_uri = g_strconcat (f->base, path, NULL);
    char buf[1024];

    msg = soup_message_new ("GET", att_uri);
    soup_session_send_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, stream_sent_cb, &stream);
    while (stream == NULL)
      g_main_context_iteration (NULL, TRUE);
    {
      gssize n = -2;

      g_input_stream_read_async (stream, buf, sizeof buf, G_PRIORITY_DEFAULT, NULL, stream_read_cb, &n);
      while (n == -2)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (n, >, 0);
    }
    gls_peer_server_disconnect (f->server);
    test_settle (100);
  }
}

/* Sends `body` as a multipart/related PUT to `path`; the status. */
static guint
put_related (Fixture    *f,
             const char *path,
             GBytes     *body)
{
  g_autofree char *uri = g_strconcat (f->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("PUT", uri);
  Call call = { 0, };

  soup_message_set_request_body_from_bytes (msg, "multipart/related; boundary=\"xyz\"", body);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &call);
  wait_call (&call);
  g_bytes_unref (call.bytes);
  return soup_message_get_status (msg);
}

static gboolean
has_tmp_file (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, "tmp-"))
      return TRUE;
  return FALSE;
}

/* A multipart PUT refused halfway, after pieces went to a file in a
 * worker (too many parts, past the first 256 KB): 400, no document, no
 * file, and the server goes on answering. */
static void
test_put_multipart_refused_midway (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  const char *json = "{\"_id\":\"h\",\"_rev\":\"1-" HASH_C "\",\"_revisions\":{\"start\":1,\"ids\":[\"" HASH_C "\"]},"
                     "\"_attachments\":{\"design.png\":{\"content_type\":\"image/png\",\"revpos\":1,"
                     "\"follows\":true,\"length\":409600}}}";

#define ADD_TEXT(t) g_byte_array_append (body, (const guint8 *) (t), strlen (t))
  ADD_TEXT ("--xyz\r\nContent-Type: application/json\r\n\r\n");
  ADD_TEXT (json);
  ADD_TEXT ("\r\n--xyz\r\nContent-Type: image/png\r\n\r\n");
  for (guint i = 0; i < 400 * 1024; i++)
    g_byte_array_append (body, (const guint8 *) "x", 1);
  for (guint i = 0; i < 1100; i++)
    ADD_TEXT ("\r\n--xyz\r\nContent-Type: text/plain\r\n\r\np");
  ADD_TEXT ("\r\n--xyz\r\nContent-Type: text/plain\r\n\r\n");
  for (guint i = 0; i < 400 * 1024; i++)
    g_byte_array_append (body, (const guint8 *) "y", 1);
  ADD_TEXT ("\r\n--xyz--");
#undef ADD_TEXT
  bytes = g_bytes_new (body->data, body->len);
  g_assert_cmpuint (put_related (f, "/annotations/h?new_edits=false", bytes), ==, 400);
  g_assert_cmpint (gls_store_get_doc_count (f->store), ==, 0);
  g_assert_false (has_tmp_file (gls_store_get_files_dir (f->store)));
  {
    g_autoptr(GBytes) raw = NULL;

    g_assert_cmpuint (http_raw (f, "GET", "/annotations", NULL, &raw, NULL), ==, 200);
  }
}

/* A multipart PUT's attachments go to files as they arrive: a design
 * bigger than the body limit is taken whole; a body cut short leaves
 * neither a document nor a file. */
static void
test_put_multipart_streamed (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GByteArray) design = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) raw = NULL;
  const char *json = "{\"_id\":\"s\",\"_rev\":\"1-" HASH_C "\",\"_revisions\":{\"start\":1,\"ids\":[\"" HASH_C "\"]},"
                     "\"_attachments\":{\"design.png\":{\"content_type\":\"image/png\",\"revpos\":1,"
                     "\"follows\":true,\"length\":716800}}}";
  guint32 x = 7;

  for (guint i = 0; i < 700 * 1024; i++)
    {
      guint8 b;

      x = x * 1103515245u + 12345u;
      b = (guint8) (x >> 16);
      g_byte_array_append (design, &b, 1);
    }
  gls_peer_server_set_max_body_size (f->server, 64 * 1024);
#define ADD_TEXT(t) g_byte_array_append (body, (const guint8 *) (t), strlen (t))
  ADD_TEXT ("--xyz\r\nContent-Type: application/json\r\n\r\n");
  ADD_TEXT (json);
  ADD_TEXT ("\r\n--xyz\r\nContent-Type: image/png\r\n\r\n");
  g_byte_array_append (body, design->data, design->len);

  /* Cut before its end: refused, nothing kept. */
  bytes = g_bytes_new (body->data, body->len - 1000);
  g_assert_cmpuint (put_related (f, "/annotations/s?new_edits=false", bytes), ==, 400);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_assert_cmpint (gls_store_get_doc_count (f->store), ==, 0);
  g_assert_false (has_tmp_file (gls_store_get_files_dir (f->store)));

  /* Whole, with CouchDB's ending: taken, ten times the body limit. */
  ADD_TEXT ("\r\n--xyz--");
#undef ADD_TEXT
  bytes = g_bytes_new (body->data, body->len);
  g_assert_cmpuint (put_related (f, "/annotations/s?new_edits=false", bytes), ==, 201);
  g_assert_cmpuint (http_raw (f, "GET", "/annotations/s/design.png", NULL, &raw, NULL), ==, 200);
  g_assert_cmpmem (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), design->data, design->len);
}

static void
test_put_multipart (Fixture       *f,
                    gconstpointer  data)
{
  const char *json =
    "{\"_id\":\"m\",\"_rev\":\"1-" HASH_A "\",\"_revisions\":{\"start\":1,\"ids\":[\"" HASH_A "\"]},"
    "\"title\":\"t\",\"_attachments\":{"
    "\"a.txt\":{\"content_type\":\"text/plain\",\"revpos\":1,\"follows\":true,\"length\":5},"
    "\"b.txt\":{\"content_type\":\"text/plain\",\"revpos\":1,\"follows\":true,\"encoding\":\"gzip\"}}}";
  g_autoptr(SoupMultipart) multipart = soup_multipart_new ("multipart/related");
  g_autoptr(SoupMessageHeaders) part = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  g_autoptr(GBytes) doc_bytes = g_bytes_new_static (json, strlen (json));
  g_autoptr(GBytes) a_bytes = g_bytes_new_static ("hello", 5);
  g_autoptr(GBytes) b_bytes = gzip_bytes ("compressed words");
  g_autofree char *uri = g_strconcat (f->base, "/annotations/m?new_edits=false", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("PUT", uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *content_type = NULL;
  Call call = { 0, };

  soup_message_headers_replace (part, "Content-Type", "application/json");
  soup_multipart_append_part (multipart, part, doc_bytes);
  soup_message_headers_replace (part, "Content-Type", "text/plain");
  soup_multipart_append_part (multipart, part, a_bytes);
  soup_message_headers_replace (part, "Content-Encoding", "gzip");
  soup_multipart_append_part (multipart, part, b_bytes);
  soup_multipart_to_message (multipart, soup_message_get_request_headers (msg), &body);
  content_type = g_strdup (soup_message_headers_get_one (soup_message_get_request_headers (msg), "Content-Type"));
  soup_message_set_request_body_from_bytes (msg, content_type, body);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &call);
  wait_call (&call);
  if (soup_message_get_status (msg) != 201)
    g_error ("multipart PUT: %u %.*s", soup_message_get_status (msg),
             (int) g_bytes_get_size (call.bytes), (const char *) g_bytes_get_data (call.bytes, NULL));
  node = parse (call.bytes);
  g_bytes_unref (call.bytes);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "rev"), ==, "1-" HASH_A);

  g_assert_cmpuint (http_raw (f, "GET", "/annotations/m/a.txt", NULL, &raw, NULL), ==, 200);
  g_assert_cmpmem (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), "hello", 5);
  g_clear_pointer (&raw, g_bytes_unref);
  g_assert_cmpuint (http_raw (f, "GET", "/annotations/m/b.txt", NULL, &raw, NULL), ==, 200);
  g_assert_cmpmem (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), "compressed words", 16);

  /* A body without the announced part is refused. */
  {
    g_autoptr(JsonNode) bad = NULL;
    g_autoptr(SoupMultipart) short_mp = soup_multipart_new ("multipart/related");
    g_autoptr(SoupMessage) short_msg = soup_message_new ("PUT", uri);
    g_autoptr(GBytes) short_body = NULL;
    Call short_call = { 0, };

    soup_message_headers_replace (part, "Content-Type", "application/json");
    soup_message_headers_remove (part, "Content-Encoding");
    soup_multipart_append_part (short_mp, part, doc_bytes);
    soup_multipart_to_message (short_mp, soup_message_get_request_headers (short_msg), &short_body);
    g_free (content_type);
    content_type = g_strdup (soup_message_headers_get_one (soup_message_get_request_headers (short_msg), "Content-Type"));
    soup_message_set_request_body_from_bytes (short_msg, content_type, short_body);
    soup_session_send_and_read_async (f->session, short_msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &short_call);
    wait_call (&short_call);
    g_assert_cmpuint (soup_message_get_status (short_msg), ==, 400);
    bad = parse (short_call.bytes);
    g_bytes_unref (short_call.bytes);
    assert_error (bad, "bad_request");
  }

  /* A small gzip part that inflates beyond the body limit is refused (413). */
  {
    const char *json2 =
      "{\"_id\":\"z\",\"_rev\":\"1-" HASH_B "\",\"_attachments\":{"
      "\"z.txt\":{\"content_type\":\"text/plain\",\"revpos\":1,\"follows\":true,\"encoding\":\"gzip\"}}}";
    g_autofree char *zeros = g_strnfill (64 * 1024, '0');
    g_autoptr(GBytes) json_bytes = g_bytes_new_static (json2, strlen (json2));
    g_autoptr(GBytes) bomb = gzip_bytes (zeros);
    g_autoptr(SoupMultipart) mp = soup_multipart_new ("multipart/related");
    g_autofree char *zuri = g_strconcat (f->base, "/annotations/z?new_edits=false", NULL);
    g_autoptr(SoupMessage) zmsg = soup_message_new ("PUT", zuri);
    g_autoptr(GBytes) zbody = NULL;
    g_autoptr(JsonNode) bad = NULL;
    Call zcall = { 0, };

    g_assert_cmpuint (g_bytes_get_size (bomb), <, 1024);
    gls_peer_server_set_max_body_size (f->server, 4096);
    soup_message_headers_replace (part, "Content-Type", "application/json");
    soup_multipart_append_part (mp, part, json_bytes);
    soup_message_headers_replace (part, "Content-Type", "text/plain");
    soup_message_headers_replace (part, "Content-Encoding", "gzip");
    soup_multipart_append_part (mp, part, bomb);
    soup_multipart_to_message (mp, soup_message_get_request_headers (zmsg), &zbody);
    g_free (content_type);
    content_type = g_strdup (soup_message_headers_get_one (soup_message_get_request_headers (zmsg), "Content-Type"));
    soup_message_set_request_body_from_bytes (zmsg, content_type, zbody);
    soup_session_send_and_read_async (f->session, zmsg, G_PRIORITY_DEFAULT, NULL, sent_cb, &zcall);
    wait_call (&zcall);
    g_assert_cmpuint (soup_message_get_status (zmsg), ==, 413);
    bad = parse (zcall.bytes);
    g_bytes_unref (zcall.bytes);
    assert_error (bad, "too_large");
    g_assert_cmpint (gls_store_get_doc_count (f->store), ==, 1);
  }
}

static void
test_all_docs (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *rev_a = put_doc (f, "{\"_id\":\"a\",\"text\":\"x\"}");
  g_autofree char *rev_b = put_doc (f, "{\"_id\":\"b\",\"text\":\"y\"}");
  g_autoptr(GError) error = NULL;
  g_autofree char *deleted = gls_store_delete (f->store, "b", rev_b, NULL, &error);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  JsonArray *rows;
  JsonObject *row;

  g_assert_no_error (error);
  node = http (f, "POST", "/annotations/_all_docs?conflicts=true&include_docs=true",
               "{\"keys\":[\"a\",\"b\",\"zz\"]}", 200);
  object = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (object, "total_rows"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "offset"), ==, 0);
  rows = json_object_get_array_member (object, "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 3);

  row = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "key"), ==, "a");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (row, "value"), "rev"), ==, rev_a);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (row, "doc"), "text"), ==, "x");

  row = json_array_get_object_element (rows, 1);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (row, "value"), "deleted"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (row, "value"), "rev"), ==, deleted);
  g_assert_true (json_object_get_null_member (row, "doc"));

  row = json_array_get_object_element (rows, 2);
  g_assert_cmpstr (json_object_get_string_member (row, "key"), ==, "zz");
  g_assert_cmpstr (json_object_get_string_member (row, "error"), ==, "not_found");

  {
    g_autoptr(JsonNode) bad = http (f, "POST", "/annotations/_all_docs", "{\"keys\":\"a\"}", 400);
    assert_error (bad, "bad_request");
  }
}

static void
test_misc (Fixture       *f,
           gconstpointer  data)
{
  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_ensure_full_commit", "{}", 201);
    JsonObject *object = json_node_get_object (node);

    g_assert_true (json_object_get_boolean_member (object, "ok"));
    g_assert_cmpstr (json_object_get_string_member (object, "instance_start_time"), ==,
                     gls_store_get_instance_start_time (f->store));
  }
  {
    /* Sessions as CouchDB has them: a password that is no key gets 401. */
    g_autoptr(JsonNode) node = http (f, "POST", "/_session", "{\"name\":\"a\",\"password\":\"b\"}", 401);
    assert_error (node, "unauthorized");
  }
  {
    g_autoptr(JsonNode) node = http (f, "DELETE", "/annotations/_revs_diff", NULL, 405);
    assert_error (node, "method_not_allowed");
  }
}

static void
test_bad_requests (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *rev = put_doc (f, "{\"_id\":\"a\",\"text\":\"x\"}");
  gint64 seq = gls_store_get_update_seq (f->store);
  const struct { const char *path; const char *body; } cases[] = {
    { "/annotations/_bulk_docs", "{\"docs\":[{\"_id\":\"b\"" },
    { "/annotations/_bulk_docs", "[1,2]" },
    { "/annotations/_bulk_docs", "{\"docs\":{\"_id\":\"b\"}}" },
    { "/annotations/_bulk_docs", "{\"docs\":[1]}" },
    { "/annotations/_bulk_docs", "{\"docs\":[{\"_id\":\"b\"}],\"new_edits\":\"no\"}" },
    { "/annotations/_revs_diff", "not json" },
    { "/annotations/_bulk_get", "{\"docs\":3}" },
    { "/annotations/_bulk_get?revs=maybe", "{\"docs\":[]}" },
  };
  g_autoptr(GString) big = g_string_new ("{\"docs\":[{\"_id\":\"big\",\"text\":\"");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = http (f, "POST", cases[i].path, cases[i].body, 400);

      assert_error (node, "bad_request");
    }
  {
    g_autofree char *path = g_strdup_printf ("/annotations/a?rev=%s&open_revs=all&revs=yes", rev);
    g_autoptr(JsonNode) node = http (f, "GET", path, NULL, 400);

    assert_error (node, "bad_request");
  }
  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_bulk_docs",
                                     "{\"docs\":[{\"_id\":\"a\",\"_rev\":\"2-nothex\"}]}", 201);
    JsonObject *result = json_array_get_object_element (json_node_get_array (node), 0);

    g_assert_cmpstr (json_object_get_string_member (result, "error"), ==, "bad_request");
  }

  gls_peer_server_set_max_body_size (f->server, 1024);
  while (big->len < 2048)
    g_string_append (big, "xxxxxxxxxxxxxxxx");
  g_string_append (big, "\"}]}");
  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_bulk_docs", big->str, 413);

    assert_error (node, "too_large");
  }
  /* A body far over the limit is refused before it is read. */
  while (big->len < 8 * 1024 * 1024)
    g_string_append_len (big, big->str, big->len);
  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_bulk_docs", big->str, 413);

    assert_error (node, "too_large");
  }
  g_assert_cmpint (gls_store_get_update_seq (f->store), ==, seq);
  g_assert_cmpint (gls_store_get_doc_count (f->store), ==, 1);
}

static void
use_key (Fixture    *f,
         const char *user,
         const char *key)
{
  g_clear_pointer (&f->auth, g_free);
  if (key != NULL)
    f->auth = g_strconcat (user, ":", key, NULL);
}

static void
assert_refused (Fixture    *f,
                const char *method,
                const char *path,
                const char *body,
                guint       status)
{
  Call call = { 0, };
  g_autoptr(SoupMessage) msg = start (f, &call, method, path, body);
  g_autoptr(JsonNode) node = NULL;

  wait_call (&call);
  if (soup_message_get_status (msg) != status)
    g_error ("%s %s: expected %u, got %u", method, path, status, soup_message_get_status (msg));
  node = parse (call.bytes);
  g_bytes_unref (call.bytes);
  assert_error (node, status == 401 ? "unauthorized" : "forbidden");
  if (status == 401)
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "WWW-Authenticate"),
                     ==, "Basic realm=\"glossa\"");
}

static void
test_access (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *key = gls_peer_server_generate_key ();
  g_autofree char *read_only_key = gls_peer_server_generate_key ();
  g_autofree char *short_key = g_strndup (key, strlen (key) - 1);
  g_autofree char *long_key = g_strconcat (key, "x", NULL);
  g_autofree char *rev = put_doc (f, "{\"_id\":\"a\",\"text\":\"x\"}");
  g_autofree char *revs_diff = g_strdup_printf ("{\"a\":[\"%s\",\"2-%s\"]}", rev, HASH_B);
  g_autofree char *bulk_get = g_strdup_printf ("{\"docs\":[{\"id\":\"a\",\"rev\":\"%s\"}]}", rev);
  const struct { const char *method; const char *path; const char *body; } writes[] = {
    { "PUT", "/annotations/b", "{\"text\":\"y\"}" },
    { "POST", "/annotations/_bulk_docs", "{\"docs\":[{\"_id\":\"c\"}]}" },
    { "PUT", "/annotations/_local/cp", "{\"last_seq\":\"1\"}" },
    { "DELETE", "/annotations/_local/cp", NULL },
    { "DELETE", "/annotations/a", NULL },
    { "DELETE", "/annotations", NULL },
    { "POST", "/annotations", "{\"_id\":\"d\"}" },
    { "PUT", "/annotations", NULL },
  };
  gint64 seq;

  /* Keys are 32 random bytes in base64url, different every time. */
  g_assert_cmpuint (strlen (key), ==, 43);
  g_assert_cmpstr (key, !=, read_only_key);
  for (const char *p = key; *p; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '-' || *p == '_');

  gls_peer_server_set_keys (f->server, "annotations", key, read_only_key);

  /* No key, a wrong one, a near miss, or no password: 401. */
  assert_refused (f, "GET", "/annotations", NULL, 401);
  assert_refused (f, "GET", "/annotations/a", NULL, 401);
  assert_refused (f, "POST", "/annotations/_bulk_docs", "{\"docs\":[{\"_id\":\"c\"}]}", 401);
  for (guint i = 0; i < 4; i++)
    {
      const char *wrong[] = { "not-the-key", short_key, long_key, "" };

      use_key (f, "peer", wrong[i]);
      assert_refused (f, "GET", "/annotations", NULL, 401);
      assert_refused (f, "GET", "/annotations/_changes", NULL, 401);
    }
  g_free (f->auth);
  f->auth = g_strdup ("peer");
  assert_refused (f, "GET", "/annotations", NULL, 401);

  /* The server's root and /_session stay open. */
  use_key (f, NULL, NULL);
  {
    g_autoptr(JsonNode) node = http (f, "GET", "/", NULL, 200);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "uuid"), ==, HASH_F);
  }
  {
    g_autoptr(JsonNode) node = http (f, "POST", "/_session", "{\"name\":\"a\",\"password\":\"b\"}", 401);

    assert_error (node, "unauthorized");
  }

  /* The read-only key reads, and every write gets 403. */
  use_key (f, "peer", read_only_key);
  {
    g_autoptr(JsonNode) node = http (f, "GET", "/annotations", NULL, 200);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "db_name"), ==, "annotations");
  }
  json_node_unref (http (f, "GET", "/annotations/a", NULL, 200));
  json_node_unref (http (f, "GET", "/annotations/_changes?since=0", NULL, 200));
  json_node_unref (http (f, "POST", "/annotations/_changes", "{\"doc_ids\":[\"a\"]}", 200));
  {
    g_autoptr(JsonNode) node = http (f, "POST", "/annotations/_revs_diff", revs_diff, 200);
    JsonObject *missing = json_object_get_object_member (json_node_get_object (node), "a");

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (missing, "missing")), ==, 1);
  }
  json_node_unref (http (f, "POST", "/annotations/_bulk_get", bulk_get, 200));
  json_node_unref (http (f, "POST", "/annotations/_all_docs", "{\"keys\":[\"a\"]}", 200));
  json_node_unref (http (f, "POST", "/annotations/_ensure_full_commit", "{}", 201));
  {
    g_autoptr(JsonNode) node = http (f, "GET", "/annotations/_local/cp", NULL, 404);

    assert_error (node, "not_found");
  }
  seq = gls_store_get_update_seq (f->store);
  for (guint i = 0; i < G_N_ELEMENTS (writes); i++)
    assert_refused (f, writes[i].method, writes[i].path, writes[i].body, 403);
  g_assert_cmpint (gls_store_get_update_seq (f->store), ==, seq);
  g_assert_cmpint (gls_store_get_doc_count (f->store), ==, 1);

  /* The read-write key writes, whatever the user name. */
  use_key (f, "peer", key);
  json_node_unref (http (f, "PUT", "/annotations/b", "{\"text\":\"y\"}", 201));
  json_node_unref (http (f, "PUT", "/annotations/_local/cp", "{\"last_seq\":\"1\"}", 201));
  use_key (f, "alice", key);
  json_node_unref (http (f, "POST", "/annotations/_bulk_docs", "{\"docs\":[{\"_id\":\"c\"}]}", 201));
  json_node_unref (http (f, "GET", "/annotations/_local/cp", NULL, 200));
  g_assert_cmpint (gls_store_get_doc_count (f->store), ==, 3);

  /* Without keys the database is open again. */
  gls_peer_server_set_keys (f->server, "annotations", NULL, NULL);
  use_key (f, NULL, NULL);
  json_node_unref (http (f, "GET", "/annotations/b", NULL, 200));

  /* Without a read-only key, no other password reads. */
  gls_peer_server_set_keys (f->server, "annotations", key, NULL);
  use_key (f, "peer", read_only_key);
  assert_refused (f, "GET", "/annotations", NULL, 401);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/sync/server/root", test_root);
  ADD ("/sync/server/db", test_db);
  ADD ("/sync/server/local", test_local);
  ADD ("/sync/server/docs", test_docs);
  ADD ("/sync/server/changes", test_changes);
  ADD ("/sync/server/changes-doc-ids", test_changes_doc_ids);
  ADD ("/sync/server/changes-selector", test_changes_selector);
  ADD ("/sync/server/longpoll/wakes", test_longpoll_wakes);
  ADD ("/sync/server/longpoll/timeout", test_longpoll_timeout);
  ADD ("/sync/server/longpoll/client-gone", test_longpoll_client_gone);
  ADD ("/sync/server/continuous", test_continuous);
  ADD ("/sync/server/concurrent", test_concurrent);
  ADD ("/sync/server/revs-diff", test_revs_diff);
  ADD ("/sync/server/new-edits-false", test_new_edits_false);
  ADD ("/sync/server/bulk-get", test_bulk_get_attachments);
  ADD ("/sync/server/bulk-get-long", test_bulk_get_long);
  ADD ("/sync/server/put-multipart", test_put_multipart);
  ADD ("/sync/server/big-attachment", test_big_attachment);
  ADD ("/sync/server/put-multipart-streamed", test_put_multipart_streamed);
  ADD ("/sync/server/put-multipart-refused-midway", test_put_multipart_refused_midway);
  ADD ("/sync/server/all-docs", test_all_docs);
  ADD ("/sync/server/misc", test_misc);
  ADD ("/sync/server/bad-requests", test_bad_requests);
  ADD ("/sync/server/access", test_access);

  return g_test_run ();
}
