/* test-sync-faults.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Faults and bad input (issue 3, point 9): a peer killed in the middle of
 * a replication, malformed requests to our server, malformed answers to
 * our replicator, and a peer whose clock runs far ahead. */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "gls-hlc.h"
#include "gls-peer-server.h"
#include "gls-replicator.h"
#include "gls-store.h"
#include "gls-proof.h"
#include "gls-workspace.h"
#include "test-util.h"

#define H(c) c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c

/* --- helpers --- */

/* `n` small documents in one transaction, ids doc-00000… */
static void
fill (GlsStore *store,
      guint     first,
      guint     n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) docs = json_array_new ();
  g_autoptr(JsonArray) answers = NULL;

  for (guint i = first; i < first + n; i++)
    {
      JsonObject *doc = json_object_new ();
      g_autofree char *id = g_strdup_printf ("doc-%05u", i);

      json_object_set_string_member (doc, "_id", id);
      json_object_set_int_member (doc, "n", i);
      json_object_set_string_member (doc, "text", "Some words of a comment, long enough to weigh a little.");
      json_array_add_object_element (docs, doc);
    }
  answers = gls_store_bulk_docs (store, docs, TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (answers); i++)
    g_assert_false (json_object_has_member (json_array_get_object_element (answers, i), "error"));
}

/* An HTTP request from this thread, answered by a server in this thread's
 * main context: iterate until the answer is in. */
typedef struct
{
  gboolean  done;
  GBytes   *body;
  GError   *error;
} Http;

static void
http_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Http *h = data;

  h->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &h->error);
  h->done = TRUE;
}

/* "Basic …" for the requests of http () and post_chunked (), or NULL. */
static char *auth_header;

static guint
http (SoupSession  *session,
      const char   *method,
      const char   *url,
      const char   *content_type,
      const char   *body,
      gssize        length,
      JsonNode    **json_out)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  Http h = { 0 };

  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, length < 0 ? strlen (body) : (gsize) length);

      soup_message_set_request_body_from_bytes (msg, content_type ? content_type : "application/json", bytes);
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  if (auth_header != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth_header);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, http_cb, &h);
  while (!h.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (h.error);
  if (json_out != NULL)
    {
      gsize size;
      const char *data = g_bytes_get_data (h.body, &size);

      g_autoptr(JsonParser) parser = json_parser_new ();

      *json_out = size > 0 && json_parser_load_from_data (parser, data, size, NULL)
        ? json_parser_steal_root (parser) : NULL;
    }
  g_bytes_unref (h.body);
  return soup_message_get_status (msg);
}

/* A body of unknown length (sent chunked): `total` bytes of one JSON
 * document, produced as it is read, so the client never holds it whole. */
typedef struct
{
  GInputStream parent_instance;
  gsize        total;
  gsize        sent;
} ChunkedBody;

typedef GInputStreamClass ChunkedBodyClass;

GType chunked_body_get_type (void);

G_DEFINE_TYPE (ChunkedBody, chunked_body, G_TYPE_INPUT_STREAM)

static gssize
chunked_body_read (GInputStream  *stream,
                   void          *buffer,
                   gsize          count,
                   GCancellable  *cancellable,
                   GError       **error)
{
  ChunkedBody *self = (ChunkedBody *) stream;
  static const char head[] = "{\"docs\":[{\"_id\":\"chunked\",\"text\":\"";
  static const char tail[] = "\"}]}";
  char *out = buffer;
  gsize n = 0;

  while (n < count && self->sent < self->total)
    {
      gsize pos = self->sent;

      if (pos < sizeof head - 1)
        out[n] = head[pos];
      else if (pos >= self->total - (sizeof tail - 1))
        out[n] = tail[pos - (self->total - (sizeof tail - 1))];
      else
        out[n] = 'a' + pos % 26;
      n++;
      self->sent++;
    }
  return n;
}

static gboolean
chunked_body_close (GInputStream  *stream,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return TRUE;
}

static void
chunked_body_class_init (ChunkedBodyClass *klass)
{
  klass->read_fn = chunked_body_read;
  klass->close_fn = chunked_body_close;
}

static void
chunked_body_init (ChunkedBody *self)
{
}

/* The peak resident size of this process (VmHWM), in kB; 0 if unknown. */
static gint64
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoll (line + strlen ("VmHWM:"), NULL, 10) : 0;
}

/* POSTs `total` bytes chunked; returns the status, 0 when the server cut
 * the connection. */
static guint
post_chunked (SoupSession *session,
              const char  *url,
              gsize        total)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GInputStream) body = g_object_new (chunked_body_get_type (), NULL);
  Http h = { 0 };

  ((ChunkedBody *) body)->total = total;
  soup_message_set_request_body (msg, "application/json", body, -1);
  if (auth_header != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth_header);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, http_cb, &h);
  while (!h.done)
    g_main_context_iteration (NULL, TRUE);
  g_clear_pointer (&h.body, g_bytes_unref);
  if (h.error != NULL)
    {
      g_test_message ("chunked POST of %" G_GSIZE_FORMAT " bytes: %s", total, h.error->message);
      g_clear_error (&h.error);
      return 0;
    }
  return soup_message_get_status (msg);
}

/* --- bad input to our server --- */

typedef struct
{
  char          *dir;
  GlsStore      *store;
  GlsPeerServer *server;
  SoupSession   *session;
  char          *url;        /* http://127.0.0.1:PORT/annotations */
  char          *before;     /* dump of the store before the bad requests */
  gint64         seq;
} ServerFixture;

static void
server_setup (ServerFixture *f,
              gconstpointer  data)
{
  f->dir = test_data_dir_new ("glossa-faults-XXXXXX");
  f->store = test_store_open (f->dir, "annotations.sqlite");
  fill (f->store, 0, 20);
  test_store_put_json (f->store, "{\"_id\":\"with-att\",\"_attachments\":{\"a.txt\":"
                                 "{\"content_type\":\"text/plain\",\"data\":\"aGVsbG8=\"}}}");
  f->url = test_server_start (f->store, "annotations", NULL, &f->server);
  f->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  f->before = test_store_dump (f->store);
  f->seq = gls_store_get_update_seq (f->store);
}

static void
server_teardown (ServerFixture *f,
                 gconstpointer  data)
{
  g_clear_object (&f->session);
  gls_peer_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->store);
  test_data_dir_free (f->dir);
  g_free (f->url);
  g_free (f->before);
}

/* The database is as before and still answers. */
static void
assert_unchanged (ServerFixture *f)
{
  g_autofree char *now = test_store_dump (f->store);
  g_autoptr(JsonNode) info = NULL;
  guint status;

  g_assert_cmpint (gls_store_get_update_seq (f->store), ==, f->seq);
  g_assert_cmpstr (now, ==, f->before);
  status = http (f->session, "GET", f->url, NULL, NULL, 0, &info);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (info);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (info), "doc_count"), ==,
                   gls_store_get_doc_count (f->store));
}

/* One bad request: the status, CouchDB's error JSON, nothing written. */
static void
expect_refused (ServerFixture *f,
                const char    *method,
                const char    *path,
                const char    *content_type,
                const char    *body,
                gssize         length,
                guint          expected_status)
{
  g_autofree char *url = g_strconcat (f->url, path, NULL);
  g_autoptr(JsonNode) json = NULL;
  JsonObject *obj;
  guint status;

  status = http (f->session, method, url, content_type, body, length, &json);
  if (status != expected_status)
    g_error ("%s %s %.80s: HTTP %u, expected %u", method, path, body ? body : "", status, expected_status);
  if (expected_status == 201)
    {
      /* _bulk_docs answers 201 with one error per refused document, as
       * CouchDB does in its new_edits=false answer; nothing is written. */
      JsonArray *answers;

      g_assert_nonnull (json);
      g_assert_true (JSON_NODE_HOLDS_ARRAY (json));
      answers = json_node_get_array (json);
      g_assert_cmpuint (json_array_get_length (answers), >, 0);
      for (guint i = 0; i < json_array_get_length (answers); i++)
        {
          const char *kind;

          obj = json_array_get_object_element (answers, i);
          g_assert_nonnull (obj);
          kind = json_object_get_string_member_with_default (obj, "error", "");
          g_assert_true (g_str_equal (kind, "bad_request") || g_str_equal (kind, "missing_stub"));
          g_assert_nonnull (json_object_get_string_member_with_default (obj, "reason", NULL));
        }
      assert_unchanged (f);
      return;
    }
  if (json == NULL || !JSON_NODE_HOLDS_OBJECT (json))
    g_error ("%s %s %.80s: no JSON error object", method, path, body ? body : "");
  obj = json_node_get_object (json);
  g_assert_cmpstr (json_object_get_string_member_with_default (obj, "error", NULL), ==,
                   expected_status == 413 ? "too_large" : "bad_request");
  g_assert_nonnull (json_object_get_string_member_with_default (obj, "reason", NULL));
  assert_unchanged (f);
}

static char *
nested (guint       depth,
        const char *prefix,
        const char *suffix)
{
  GString *s = g_string_new (prefix);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, ']');
  g_string_append (s, suffix);
  return g_string_free (s, FALSE);
}

static void
test_server_malformed (ServerFixture *f,
                       gconstpointer  data)
{
  const char *bodies[] = {
    "{\"docs\":[{\"_id\":\"x\"",         /* cut off */
    "not json at all",
    "{\"docs\":[{\"_id\":\"x\"}]} trailing",
    "\xff\xfe{\"docs\":[]}",             /* not UTF-8 */
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      expect_refused (f, "POST", "/_bulk_docs", NULL, bodies[i], -1, 400);
      expect_refused (f, "POST", "/_revs_diff", NULL, bodies[i], -1, 400);
      expect_refused (f, "POST", "/_bulk_get", NULL, bodies[i], -1, 400);
      expect_refused (f, "PUT", "/doc-00001?new_edits=false", NULL, bodies[i], -1, 400);
      expect_refused (f, "PUT", "/_local/checkpoint", NULL, bodies[i], -1, 400);
      expect_refused (f, "POST", "/_all_docs", NULL, bodies[i], -1, 400);
    }
}

static void
test_server_wrong_types (ServerFixture *f,
                         gconstpointer  data)
{
  const char *bulk_docs[] = {
    "[{\"_id\":\"x\"}]",                 /* an array, not an object */
    "{\"docs\":{\"_id\":\"x\"}}",        /* docs not an array */
    "{\"docs\":\"x\"}",
    "{\"docs\":[1,2,3]}",                /* documents not objects */
    "{\"docs\":[{\"_id\":\"x\"}],\"new_edits\":\"no\"}",
  };
  const char *revs_diff[] = {
    "{\"doc-00001\":\"1-" H ("a") "\"}", /* not a list */
    "{\"doc-00001\":[1]}",
    "{\"doc-00001\":[null]}",
    "[]",
  };
  const char *bulk_get[] = {
    "{\"docs\":{\"id\":\"doc-00001\"}}",
    "{\"docs\":[{\"id\":5}]}",
    "{\"docs\":[\"doc-00001\"]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bulk_docs); i++)
    expect_refused (f, "POST", "/_bulk_docs", NULL, bulk_docs[i], -1, 400);
  for (guint i = 0; i < G_N_ELEMENTS (revs_diff); i++)
    expect_refused (f, "POST", "/_revs_diff", NULL, revs_diff[i], -1, 400);
  for (guint i = 0; i < G_N_ELEMENTS (bulk_get); i++)
    expect_refused (f, "POST", "/_bulk_get", NULL, bulk_get[i], -1, 400);
  expect_refused (f, "POST", "/_all_docs", NULL, "{\"keys\":\"doc-00001\"}", -1, 400);
  expect_refused (f, "POST", "/_changes?filter=_doc_ids", NULL, "{\"doc_ids\":[1]}", -1, 400);
  expect_refused (f, "GET", "/_changes?since=yesterday", NULL, NULL, 0, 400);
  expect_refused (f, "GET", "/doc-00001?open_revs=%5B1%5D", NULL, NULL, 0, 400);
  expect_refused (f, "GET", "/doc-00001?open_revs=%5B", NULL, NULL, 0, 400);
  expect_refused (f, "GET", "/doc-00001?revs=maybe", NULL, NULL, 0, 400);
  expect_refused (f, "GET", "/_changes?limit=abc", NULL, NULL, 0, 400);
  expect_refused (f, "GET", "/_changes?limit=-5", NULL, NULL, 0, 400);
  expect_refused (f, "GET", "/_changes?feed=longpoll&timeout=soon", NULL, NULL, 0, 400);
  expect_refused (f, "GET", "/_changes?feed=continuous&heartbeat=often", NULL, NULL, 0, 400);
  expect_refused (f, "GET", "/_changes?feed=sometimes", NULL, NULL, 0, 400);
  expect_refused (f, "GET", "/_changes?since=-5", NULL, NULL, 0, 400);
  expect_refused (f, "PUT", "/_local/", NULL, "{}", -1, 400);

  /* Documents the store refuses, one answer each, nothing written. */
  {
    const char *docs[] = {
      "{\"_id\":\"a\",\"_attachments\":{\"x\":{\"content_type\":\"text/plain\",\"data\":\"!!!notbase64\"}}}",
      "{\"_id\":\"b\",\"_attachments\":{\"x\":{\"stub\":true,\"digest\":\"md5-abc\"}}}",
      "{\"_id\":\"c\",\"_attachments\":{\"x\":5}}",
      "{\"_id\":\"c\",\"_attachments\":[1]}",
      "{\"_id\":\"\"}",
      "{\"_id\":\"_foo\"}",
    };
    const char *revisions[] = {
      "{\"_id\":\"d\",\"_rev\":\"2-" H ("a") "\",\"_revisions\":{\"start\":2,\"ids\":[]}}",
      "{\"_id\":\"e\",\"_rev\":\"1-" H ("a") "\",\"_revisions\":{\"start\":1,\"ids\":[\"" H ("a") "\",\"" H ("b") "\"]}}",
      "{\"_id\":\"f\",\"_rev\":\"99999999999-" H ("a") "\",\"_revisions\":{\"start\":99999999999,\"ids\":[\"" H ("a") "\"]}}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
      {
        g_autofree char *bulk = g_strdup_printf ("{\"docs\":[%s]}", docs[i]);

        expect_refused (f, "POST", "/_bulk_docs", NULL, bulk, -1, 201);
      }
    for (guint i = 0; i < G_N_ELEMENTS (revisions); i++)
      {
        g_autofree char *bulk = g_strdup_printf ("{\"docs\":[%s],\"new_edits\":false}", revisions[i]);

        expect_refused (f, "POST", "/_bulk_docs", NULL, bulk, -1, 201);
      }
  }

  /* _rev a number, _revisions with ids that are not strings, or a start
   * that is not a number, on both write paths. */
  {
    const char *docs[] = {
      "{\"_id\":\"x\",\"_rev\":5}",
      "{\"_id\":\"x\",\"_rev\":\"2-" H ("a") "\",\"_revisions\":{\"start\":2,\"ids\":[1,2]}}",
      "{\"_id\":\"x\",\"_rev\":\"2-" H ("a") "\",\"_revisions\":{\"start\":\"2\",\"ids\":[\"" H ("a") "\",\"" H ("b") "\"]}}",
      "{\"_id\":\"x\",\"_rev\":\"2-" H ("a") "\",\"_revisions\":[\"" H ("a") "\"]}",
      "{\"_id\":5,\"_rev\":\"1-" H ("a") "\"}",
      "{\"_id\":\"x\",\"_rev\":\"1-" H ("a") "\",\"_deleted\":\"yes\"}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
      {
        g_autofree char *bulk = g_strdup_printf ("{\"docs\":[%s],\"new_edits\":false}", docs[i]);

        expect_refused (f, "POST", "/_bulk_docs", NULL, bulk, -1, 201);
        expect_refused (f, "PUT", "/x?new_edits=false", NULL, docs[i], -1, 400);
      }
  }
}

static void
test_server_invalid_revs (ServerFixture *f,
                          gconstpointer  data)
{
  const char *revs[] = {
    "abc", "0-x", "1-", "-1-" H ("a"), "0-" H ("a"), "1-" H ("A"), "1-" H ("g"),
    "x-" H ("a"), "1-" H ("a") "a", "99999999999999999999-" H ("a"), "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (revs); i++)
    {
      g_autofree char *doc = g_strdup_printf ("{\"_id\":\"x\",\"_rev\":\"%s\",\"v\":1}", revs[i]);
      g_autofree char *bulk = g_strdup_printf ("{\"docs\":[%s],\"new_edits\":false}", doc);
      g_autofree char *diff = g_strdup_printf ("{\"doc-00001\":[\"%s\"]}", revs[i]);
      g_autofree char *get = g_strdup_printf ("{\"docs\":[{\"id\":\"doc-00001\",\"rev\":\"%s\"}]}", revs[i]);
      g_autofree char *escaped = g_uri_escape_string (revs[i], NULL, TRUE);
      g_autofree char *rev_path = g_strdup_printf ("/doc-00001?rev=%s", escaped);
      g_autofree char *open_revs = g_strdup_printf ("[\"%s\"]", revs[i]);
      g_autofree char *open_escaped = g_uri_escape_string (open_revs, NULL, TRUE);
      g_autofree char *open_path = g_strdup_printf ("/doc-00001?open_revs=%s", open_escaped);
      g_autofree char *revisions = g_strdup_printf ("{\"docs\":[{\"_id\":\"x\",\"_rev\":\"2-" H ("a") "\","
                                                    "\"_revisions\":{\"start\":2,\"ids\":[\"" H ("a") "\",\"%s\"]}}],"
                                                    "\"new_edits\":false}", revs[i]);

      expect_refused (f, "POST", "/_bulk_docs", NULL, bulk, -1, 201);
      expect_refused (f, "PUT", "/x?new_edits=false", NULL, doc, -1, 400);
      expect_refused (f, "POST", "/_revs_diff", NULL, diff, -1, 400);
      expect_refused (f, "GET", rev_path, NULL, NULL, 0, 400);
      expect_refused (f, "GET", open_path, NULL, NULL, 0, 400);
      if (*revs[i] != '\0' && strchr (revs[i], '-') == NULL)
        expect_refused (f, "POST", "/_bulk_docs", NULL, revisions, -1, 201);
      {
        /* _bulk_get answers each entry; a bad rev gets its own error. */
        g_autofree char *url = g_strconcat (f->url, "/_bulk_get", NULL);
        g_autoptr(JsonNode) json = NULL;
        JsonObject *entry;

        g_assert_cmpuint (http (f->session, "POST", url, NULL, get, -1, &json), ==, 200);
        entry = json_array_get_object_element (json_object_get_array_member (json_node_get_object (json), "results"), 0);
        entry = json_array_get_object_element (json_object_get_array_member (entry, "docs"), 0);
        g_assert_true (json_object_has_member (entry, "error"));
        g_assert_false (json_object_has_member (entry, "ok"));
        g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "error"), "error"),
                         ==, "bad_request");
        assert_unchanged (f);
      }
    }
}

static void
test_server_deep (ServerFixture *f,
                  gconstpointer  data)
{
  /* 10000 levels would be refused by any sane bound; 200000 (400 kB)
   * would run json-glib out of stack and kill the server. */
  const guint depths[] = { 10000, 200000 };

  for (guint i = 0; i < G_N_ELEMENTS (depths); i++)
    {
      g_autofree char *bulk = nested (depths[i], "{\"docs\":[{\"_id\":\"deep\",\"v\":", "}]}");
      g_autofree char *bare = nested (depths[i], "", "");
      g_autofree char *doc = nested (depths[i], "{\"_id\":\"deep\",\"_rev\":\"1-" H ("a") "\",\"v\":", "}");
      g_autofree char *diff = nested (depths[i], "{\"doc-00001\":", "}");
      g_autofree char *escaped = NULL;
      g_autofree char *open_path = NULL;

      expect_refused (f, "POST", "/_bulk_docs", NULL, bulk, -1, 400);
      expect_refused (f, "POST", "/_bulk_docs", NULL, bare, -1, 400);
      expect_refused (f, "PUT", "/deep?new_edits=false", NULL, doc, -1, 400);
      expect_refused (f, "POST", "/_revs_diff", NULL, diff, -1, 400);
      expect_refused (f, "PUT", "/_local/deep", NULL, doc, -1, 400);
      if (depths[i] <= 10000)
        {
          escaped = g_uri_escape_string (bare, NULL, TRUE);
          open_path = g_strconcat ("/doc-00001?open_revs=", escaped, NULL);
          expect_refused (f, "GET", open_path, NULL, NULL, 0, 400);
        }
    }

  /* A multipart/related PUT whose JSON part nests too deeply. */
  {
    g_autofree char *doc = nested (depths[1], "{\"_id\":\"deep\",\"_rev\":\"1-" H ("a") "\",\"v\":", "}");
    g_autofree char *body = g_strconcat ("--xyz\r\nContent-Type: application/json\r\n\r\n", doc,
                                         "\r\n--xyz--\r\n", NULL);

    expect_refused (f, "PUT", "/deep?new_edits=false", "multipart/related; boundary=xyz", body, -1, 400);
  }

  /* A part whose empty body follows its headers at once: libsoup 3.2
   * gives it a size of (gsize) -2, and reading it (the JSON part, or a
   * gzip attachment) read past the request (found by tests/fuzz). */
  {
    static const char empty_json[] =
      "--xyz\r\nContent-Type: application/json\r\n\r\n--xyz--\r\n";
    static const char empty_att[] =
      "--xyz\r\nContent-Type: application/json\r\n\r\n"
      "{\"_id\":\"att\",\"_rev\":\"1-" H ("a") "\",\"_attachments\":{\"a.txt\":"
      "{\"content_type\":\"text/plain\",\"encoding\":\"gzip\",\"follows\":true}}}"
      "\r\n--xyz\r\nContent-Type: text/plain\r\n\r\n--xyz--\r\n";

    expect_refused (f, "PUT", "/att?new_edits=false", "multipart/related; boundary=xyz", empty_json, -1, 400);
    expect_refused (f, "PUT", "/att?new_edits=false", "multipart/related; boundary=xyz", empty_att, -1, 400);
  }

  /* Nesting a real document might have still passes. */
  {
    g_autofree char *ok = nested (50, "{\"docs\":[{\"_id\":\"fifty\",\"v\":", "}]}");
    g_autofree char *url = g_strconcat (f->url, "/_bulk_docs", NULL);

    g_assert_cmpuint (http (f->session, "POST", url, NULL, ok, -1, NULL), ==, 201);
    g_assert_cmpint (gls_store_get_update_seq (f->store), ==, f->seq + 1);
  }
}

static void
test_server_too_large (ServerFixture *f,
                       gconstpointer  data)
{
  g_autoptr(GString) big = g_string_new ("{\"docs\":[{\"_id\":\"big\",\"text\":\"");
  g_autofree char *url = g_strconcat (f->url, "/_bulk_docs", NULL);
  g_autoptr(JsonNode) json = NULL;

  gls_peer_server_set_max_body_size (f->server, 16 * 1024);
  g_assert_cmpuint (gls_peer_server_get_max_body_size (f->server), ==, 16 * 1024);
  while (big->len < 20 * 1024)
    g_string_append (big, "0123456789abcdef");
  g_string_append (big, "\"}]}");

  expect_refused (f, "POST", "/_bulk_docs", NULL, big->str, big->len, 413);
  expect_refused (f, "PUT", "/big?new_edits=false", NULL, big->str, big->len, 413);
  expect_refused (f, "POST", "/_revs_diff", NULL, big->str, big->len, 413);
  expect_refused (f, "POST", "/_bulk_get", NULL, big->str, big->len, 413);

  /* A body of unknown length is cut off at the limit, not buffered whole
   * first: 64 MB sent chunked to a server with a 16 kB limit. */
  {
    gint64 peak_before = peak_rss_kb ();
    guint status = post_chunked (f->session, url, 64 * 1024 * 1024);
    gint64 peak_after = peak_rss_kb ();

    g_assert_true (status == 0 || status == 413);
    /* Client and server share this process: neither held the 64 MB. */
    if (peak_before > 0)
      g_assert_cmpint (peak_after - peak_before, <, 16 * 1024);
    assert_unchanged (f);
    /* Within the limit, chunked is fine. */
    g_assert_cmpuint (post_chunked (f->session, url, 4 * 1024), ==, 201);
    g_assert_cmpint (gls_store_get_update_seq (f->store), ==, f->seq + 1);
    f->seq++;
    g_free (f->before);
    f->before = test_store_dump (f->store);
  }

  /* Just under the limit is served, and the database takes writes. */
  g_string_truncate (big, 0);
  g_string_append (big, "{\"docs\":[{\"_id\":\"fits\",\"text\":\"");
  while (big->len < 15 * 1024)
    g_string_append (big, "0123456789abcdef");
  g_string_append (big, "\"}]}");
  g_assert_cmpuint (http (f->session, "POST", url, NULL, big->str, big->len, &json), ==, 201);
  g_assert_cmpint (gls_store_get_update_seq (f->store), ==, f->seq + 1);
  {
    g_autoptr(JsonObject) fits = gls_store_get (f->store, "fits", NULL, GLS_STORE_GET_NONE, NULL);

    g_assert_nonnull (fits);
  }
}

/* Without the key, a request with a body is refused before its body is
 * read, and the database is unchanged. */
static void
test_server_no_key (ServerFixture *f,
                    gconstpointer  data)
{
  g_autofree char *key = gls_peer_server_generate_key ();
  g_autofree char *pair = g_strconcat ("peer:", key, NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  g_autofree char *good = g_strconcat ("Basic ", encoded, NULL);
  g_autofree char *url = g_strconcat (f->url, "/_bulk_docs", NULL);
  const char *body = "{\"docs\":[{\"_id\":\"keyless\"}]}";
  g_autoptr(JsonNode) json = NULL;
  gint64 peak_before, peak_after;
  guint status;

  gls_peer_server_set_keys (f->server, "annotations", key, NULL);

  status = http (f->session, "POST", url, NULL, body, -1, &json);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "error"), ==, "unauthorized");
  g_clear_pointer (&json, json_node_unref);
  auth_header = (char *) "Basic cGVlcjp3cm9uZw==";   /* peer:wrong */
  g_assert_cmpuint (http (f->session, "POST", url, NULL, body, -1, NULL), ==, 401);

  /* 64 MB chunked from someone without the key: not held in memory. */
  peak_before = peak_rss_kb ();
  status = post_chunked (f->session, url, 64 * 1024 * 1024);
  peak_after = peak_rss_kb ();
  g_assert_true (status == 0 || status == 401);
  if (peak_before > 0)
    g_assert_cmpint (peak_after - peak_before, <, 16 * 1024);

  /* Unchanged, and serving those with the key. */
  auth_header = good;
  assert_unchanged (f);
  g_assert_cmpuint (http (f->session, "POST", url, NULL, body, -1, NULL), ==, 201);
  g_assert_cmpint (gls_store_get_update_seq (f->store), ==, f->seq + 1);
  auth_header = NULL;
}

/* --- bad answers from a peer to our replicator --- */

/* A fake peer that speaks just enough of the protocol: every answer is
 * sane except the one endpoint the case breaks. */
typedef struct
{
  const char *name;
  GlsReplicatorDirection direction;
  const char *endpoint;     /* "_changes", "_revs_diff", "_bulk_get", "_bulk_docs",
                             * "_local" (GET), "open_revs" (no _bulk_get; GET doc) */
  char       *answer;       /* its body (status 200, or 201 for _bulk_docs) */
  gboolean    expect_ok;    /* a peer we can still replicate with */
} BadCase;

#define GOOD_REV "1-" H ("a")

static const char *good_changes =
  "{\"results\":[{\"seq\":1,\"id\":\"remote\",\"changes\":[{\"rev\":\"" GOOD_REV "\"}]}],"
  "\"last_seq\":1,\"pending\":0}";
static const char *good_bulk_get =
  "{\"results\":[{\"id\":\"remote\",\"docs\":[{\"ok\":{\"_id\":\"remote\",\"_rev\":\"" GOOD_REV "\","
  "\"v\":1,\"_revisions\":{\"start\":1,\"ids\":[\"" H ("a") "\"]}}}]}]}";

/* A design's stub: "hello world", 11 bytes (CouchDB's digest of it). */
static const char *stub_bulk_get =
  "{\"results\":[{\"id\":\"remote\",\"docs\":[{\"ok\":{\"_id\":\"remote\",\"_rev\":\"" GOOD_REV "\","
  "\"v\":1,\"_revisions\":{\"start\":1,\"ids\":[\"" H ("a") "\"]},\"_attachments\":{\"file\":"
  "{\"content_type\":\"image/png\",\"digest\":\"md5-XrY7u+Ae7tCTyyK7j1rNww==\",\"length\":11,"
  "\"revpos\":1,\"stub\":true}}}}]}]}";

static BadCase *fake_case;
static guint fake_hits;      /* requests to the broken endpoint */
static guint fake_writes;    /* _bulk_docs and PUT _local that reached the fake */

static void
fake_reply (SoupServerMessage *smsg,
            guint              status,
            const char        *body)
{
  soup_server_message_set_status (smsg, status, NULL);
  soup_server_message_set_response (smsg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
fake_cb (SoupServer        *server,
         SoupServerMessage *smsg,
         const char        *path,
         GHashTable        *query,
         gpointer           data)
{
  const char *method = soup_server_message_get_method (smsg);
  const char *endpoint = strrchr (path, '/') + 1;

  if (g_strcmp0 (fake_case->endpoint, "_local") == 0 && strstr (path, "/_local/") != NULL
      && g_str_equal (method, "GET"))
    {
      fake_hits++;
      fake_reply (smsg, 200, fake_case->answer);
      return;
    }
  if (g_strcmp0 (fake_case->endpoint, "attachment-no-length") == 0 && g_str_equal (endpoint, "_bulk_get"))
    {
      g_autoptr(GString) answer = g_string_new (stub_bulk_get);

      fake_hits++;
      g_string_replace (answer, "\"length\":11,", "", 1);
      fake_reply (smsg, 200, answer->str);
      return;
    }
  if (g_strcmp0 (fake_case->endpoint, "attachment") == 0)
    {
      if (g_str_equal (endpoint, "_bulk_get"))
        {
          fake_reply (smsg, 200, stub_bulk_get);
          return;
        }
      if (g_str_equal (path, "/annotations/remote/file"))
        {
          fake_hits++;
          soup_server_message_set_status (smsg, 200, NULL);
          soup_server_message_set_response (smsg, "image/png", SOUP_MEMORY_COPY,
                                            fake_case->answer, strlen (fake_case->answer));
          return;
        }
    }
  if (g_strcmp0 (fake_case->endpoint, "open_revs") == 0)
    {
      if (g_str_equal (endpoint, "_bulk_get"))
        {
          fake_reply (smsg, 404, "{\"error\":\"not_found\",\"reason\":\"missing\"}");
          return;
        }
      if (g_str_equal (path, "/annotations/remote"))
        {
          fake_hits++;
          fake_reply (smsg, 200, fake_case->answer);
          return;
        }
    }
  if (fake_case->endpoint != NULL && g_str_equal (endpoint, fake_case->endpoint))
    {
      fake_hits++;
      fake_reply (smsg, g_str_equal (endpoint, "_bulk_docs") ? 201 : 200, fake_case->answer);
      return;
    }
  if (strstr (path, "/_local/") != NULL)
    {
      if (g_str_equal (method, "GET"))
        fake_reply (smsg, 404, "{\"error\":\"not_found\",\"reason\":\"missing\"}");
      else
        {
          fake_writes++;
          fake_reply (smsg, 201, "{\"ok\":true,\"id\":\"_local/x\",\"rev\":\"0-1\"}");
        }
    }
  else if (g_str_equal (endpoint, "_changes"))
    {
      const char *since = query != NULL ? g_hash_table_lookup (query, "since") : NULL;

      if (since != NULL && g_str_equal (since, "1"))
        fake_reply (smsg, 200, "{\"results\":[],\"last_seq\":1,\"pending\":0}");
      else
        fake_reply (smsg, 200, good_changes);
    }
  else if (g_str_equal (endpoint, "_revs_diff"))
    {
      /* Everything the replicator offers is missing here. */
      SoupMessageBody *body = soup_server_message_get_request_body (smsg);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(JsonNode) request = NULL;
      g_autoptr(JsonObject) answer = json_object_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;
      JsonObjectIter iter;
      const char *id;
      JsonNode *revs;

      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                                 g_bytes_get_size (bytes), NULL));
      request = json_parser_steal_root (parser);
      json_object_iter_init (&iter, json_node_get_object (request));
      while (json_object_iter_next (&iter, &id, &revs))
        {
          JsonObject *missing = json_object_new ();

          json_object_set_array_member (missing, "missing", json_array_ref (json_node_get_array (revs)));
          json_object_set_object_member (answer, id, missing);
        }
      node = json_node_init_object (json_node_alloc (), answer);
      text = json_to_string (node, FALSE);
      fake_reply (smsg, 200, text);
    }
  else if (g_str_equal (endpoint, "_bulk_get"))
    fake_reply (smsg, 200, good_bulk_get);
  else if (g_str_equal (endpoint, "_bulk_docs"))
    {
      fake_writes++;
      fake_reply (smsg, 201, "[]");
    }
  else if (g_str_equal (endpoint, "_ensure_full_commit"))
    fake_reply (smsg, 201, "{\"ok\":true}");
  else if (g_str_equal (path, "/"))
    fake_reply (smsg, 200, "{\"couchdb\":\"Welcome\",\"uuid\":\"" H ("f") "\"}");
  else if (g_str_equal (path, "/annotations") || g_str_equal (path, "/annotations/"))
    fake_reply (smsg, 200, "{\"db_name\":\"annotations\",\"update_seq\":1,\"doc_count\":1,"
                           "\"instance_start_time\":\"0\"}");
  else
    fake_reply (smsg, 404, "{\"error\":\"not_found\",\"reason\":\"missing\"}");
}

static char *
bad_changes_rev (const char *rev_json)
{
  return g_strdup_printf ("{\"results\":[{\"seq\":1,\"id\":\"remote\",\"changes\":[{\"rev\":%s}]}],"
                          "\"last_seq\":1}", rev_json);
}

static char *
bad_bulk_get_doc (const char *doc_json)
{
  return g_strdup_printf ("{\"results\":[{\"id\":\"remote\",\"docs\":[{\"ok\":%s}]}]}", doc_json);
}

static void
reset_store (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "local.sqlite", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_autofree char *files = g_build_filename (dir, "local.files", NULL);

  g_remove (path);
  g_remove (wal);
  g_remove (shm);
  test_rm_rf (files);
}

/* A hub that restarts ends its feed part way: "{\"results\":[" and then
 * the end of the answer; or a _bulk_get answer. A live pull tries again,
 * and catches up when the hub is back; it does not stop in ERROR. */
typedef struct
{
  const char *endpoint;
  const char *answer;
} CutCase;

static void
test_live_cut_answer (gconstpointer data)
{
  const CutCase *cut_case = data;
  const char *endpoint = cut_case->endpoint;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("glossa-faults-XXXXXX", &error);
  g_autoptr(GlsStore) local = test_store_open (dir, "local.sqlite");
  g_autoptr(SoupServer) fake = soup_server_new (NULL, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GlsReplicator) repl = NULL;
  g_autoptr(JsonObject) remote = NULL;
  g_autofree char *url = NULL;
  BadCase cut = { "live: an answer cut off", GLS_REPLICATOR_DIRECTION_PULL, endpoint,
                  g_strdup (cut_case->answer),
                  FALSE };
  g_autoptr(GAsyncResult) result = NULL;
  GSList *uris;
  gint64 end;

  g_assert_no_error (error);
  soup_server_add_handler (fake, NULL, fake_cb, NULL, NULL);
  g_assert_true (soup_server_listen_local (fake, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (fake);
  url = g_strdup_printf ("http://127.0.0.1:%d/annotations", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  fake_case = &cut;
  fake_hits = fake_writes = 0;
  repl = gls_replicator_new (local, url, GLS_REPLICATOR_DIRECTION_PULL);
  gls_replicator_set_continuous (repl, TRUE);
  gls_replicator_run_async (repl, cancellable, test_wait_result_cb, &result);

  /* Cut twice: still trying, never in ERROR. */
  end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (fake_hits < 2 && result == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (result);
  g_assert_cmpuint (fake_hits, >=, 2);
  g_assert_cmpint (gls_replicator_get_state (repl), !=, GLS_REPLICATOR_STATE_ERROR);

  /* The hub is back. */
  cut.endpoint = NULL;
  end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while ((remote = gls_store_get (local, "remote", NULL, GLS_STORE_GET_NONE, NULL)) == NULL &&
         result == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (result);
  g_assert_nonnull (remote);
  g_assert_cmpint (gls_replicator_get_state (repl), !=, GLS_REPLICATOR_STATE_ERROR);

  g_cancellable_cancel (cancellable);
  g_assert_false (gls_replicator_run_finish (repl, test_wait_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  fake_case = NULL;
  g_free (cut.answer);
  g_clear_object (&repl);
  g_clear_object (&local);
  reset_store (dir);
  g_rmdir (dir);
}

static void
test_replicator_bad_answers (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("glossa-faults-XXXXXX", &error);
  g_autoptr(GlsStore) local = test_store_open (dir, "local.sqlite");
  g_autoptr(SoupServer) fake = soup_server_new (NULL, NULL);
  g_autofree char *url = NULL;
  g_autofree char *before = NULL;
  g_autoptr(GPtrArray) cases = g_ptr_array_new ();
  GSList *uris;
  gint64 seq;

#define PULL GLS_REPLICATOR_DIRECTION_PULL
#define PUSH GLS_REPLICATOR_DIRECTION_PUSH
#define CASE_FULL(n, d, e, a, ok) \
  G_STMT_START { BadCase *c = g_new0 (BadCase, 1); *c = (BadCase) { n, d, e, a, ok }; g_ptr_array_add (cases, c); } G_STMT_END
#define CASE(n, d, e, a) CASE_FULL (n, d, e, a, FALSE)

  CASE ("control: a sane peer", PULL, NULL, NULL);
  CASE ("_changes: cut off", PULL, "_changes", g_strdup ("{\"results\":[{\"seq\":1,\"id\":\"remote\",\"chan"));
  CASE ("_changes: not JSON", PULL, "_changes", g_strdup ("<html>hello</html>"));
  CASE ("_changes: an array", PULL, "_changes", g_strdup ("[1,2,3]"));
  CASE ("_changes: results not an array", PULL, "_changes", g_strdup ("{\"results\":{\"a\":1},\"last_seq\":1}"));
  CASE ("_changes: a row not an object", PULL, "_changes", g_strdup ("{\"results\":[\"remote\"],\"last_seq\":1}"));
  CASE ("_changes: id a number", PULL, "_changes",
        g_strdup ("{\"results\":[{\"seq\":1,\"id\":7,\"changes\":[{\"rev\":\"" GOOD_REV "\"}]}],\"last_seq\":1}"));
  CASE ("_changes: id an object", PULL, "_changes",
        g_strdup ("{\"results\":[{\"seq\":1,\"id\":{\"a\":1},\"changes\":[{\"rev\":\"" GOOD_REV "\"}]}],\"last_seq\":1}"));
  CASE ("_changes: changes not an array", PULL, "_changes",
        g_strdup ("{\"results\":[{\"seq\":1,\"id\":\"remote\",\"changes\":\"" GOOD_REV "\"}],\"last_seq\":1}"));
  CASE ("_changes: rev a number", PULL, "_changes", bad_changes_rev ("5"));
  CASE ("_changes: rev an array", PULL, "_changes", bad_changes_rev ("[\"" GOOD_REV "\"]"));
  CASE ("_changes: rev abc", PULL, "_changes", bad_changes_rev ("\"abc\""));
  CASE ("_changes: rev 0-x", PULL, "_changes", bad_changes_rev ("\"0-x\""));
  CASE ("_changes: rev 1-", PULL, "_changes", bad_changes_rev ("\"1-\""));
  CASE ("_changes: nested 10000 deep", PULL, "_changes", nested (10000, "{\"results\":", ",\"last_seq\":1}"));
  CASE ("_changes: nested 200000 deep", PULL, "_changes", nested (200000, "{\"results\":", ",\"last_seq\":1}"));
  CASE ("_bulk_get: cut off", PULL, "_bulk_get", g_strdup ("{\"results\":[{\"id\":\"remote\",\"docs\":[{\"ok\":{"));
  CASE ("_bulk_get: results not an array", PULL, "_bulk_get", g_strdup ("{\"results\":\"remote\"}"));
  CASE ("_bulk_get: docs not an array", PULL, "_bulk_get", g_strdup ("{\"results\":[{\"id\":\"remote\",\"docs\":{}}]}"));
  CASE ("_bulk_get: a document not an object", PULL, "_bulk_get", bad_bulk_get_doc ("\"remote\""));
  CASE ("_bulk_get: _rev 0-x", PULL, "_bulk_get", bad_bulk_get_doc ("{\"_id\":\"remote\",\"_rev\":\"0-x\"}"));
  CASE ("_bulk_get: _rev abc", PULL, "_bulk_get", bad_bulk_get_doc ("{\"_id\":\"remote\",\"_rev\":\"abc\"}"));
  CASE ("_bulk_get: _rev a number", PULL, "_bulk_get", bad_bulk_get_doc ("{\"_id\":\"remote\",\"_rev\":5}"));
  CASE ("_bulk_get: _id a number", PULL, "_bulk_get", bad_bulk_get_doc ("{\"_id\":5,\"_rev\":\"" GOOD_REV "\"}"));
  CASE ("_bulk_get: _revisions ids numbers", PULL, "_bulk_get",
        bad_bulk_get_doc ("{\"_id\":\"remote\",\"_rev\":\"2-" H ("b") "\",\"_revisions\":{\"start\":2,\"ids\":[1,2]}}"));
  CASE ("_bulk_get: _revisions not matching _rev", PULL, "_bulk_get",
        bad_bulk_get_doc ("{\"_id\":\"remote\",\"_rev\":\"2-" H ("b") "\",\"_revisions\":{\"start\":5,\"ids\":[\"" H ("c") "\"]}}"));
  CASE ("_bulk_get: nested 10000 deep", PULL, "_bulk_get",
        nested (10000, "{\"results\":[{\"id\":\"remote\",\"docs\":[{\"ok\":{\"_id\":\"remote\",\"_rev\":\"" GOOD_REV "\",\"v\":",
                "}}]}]}"));
  CASE ("_bulk_get: nested 200000 deep", PULL, "_bulk_get", nested (200000, "", ""));
  CASE ("_revs_diff: cut off", PUSH, "_revs_diff", g_strdup ("{\"local\":{\"missing\":["));
  CASE ("_revs_diff: an array", PUSH, "_revs_diff", g_strdup ("[\"local\"]"));
  CASE ("_revs_diff: missing not an array", PUSH, "_revs_diff", g_strdup ("{\"local\":{\"missing\":\"" GOOD_REV "\"}}"));
  CASE ("_revs_diff: missing revs numbers", PUSH, "_revs_diff", g_strdup ("{\"local\":{\"missing\":[1]}}"));
  CASE ("_revs_diff: an entry not an object", PUSH, "_revs_diff", g_strdup ("{\"local\":[\"" GOOD_REV "\"]}"));
  CASE ("_revs_diff: nested 200000 deep", PUSH, "_revs_diff", nested (200000, "{\"local\":", "}"));
  CASE ("open_revs: cut off", PULL, "open_revs", g_strdup ("[{\"ok\":{\"_id\""));
  CASE ("open_revs: an object", PULL, "open_revs", g_strdup ("{\"ok\":{\"_id\":\"remote\"}}"));
  CASE ("open_revs: a document not an object", PULL, "open_revs", g_strdup ("[{\"ok\":\"remote\"}]"));
  CASE ("open_revs: _rev abc", PULL, "open_revs", g_strdup ("[{\"ok\":{\"_id\":\"remote\",\"_rev\":\"abc\"}}]"));
  CASE ("open_revs: nested 200000 deep", PULL, "open_revs", nested (200000, "", ""));
  CASE ("_local: not an object", PULL, "_local", g_strdup ("[\"checkpoint\"]"));
  CASE ("_local: nested 200000 deep", PULL, "_local", nested (200000, "{\"history\":", "}"));
  /* A checkpoint that makes no sense is no checkpoint: start from 0. */
  CASE_FULL ("_local: members of the wrong types", PULL, "_local",
             g_strdup ("{\"_id\":\"_local/x\",\"_rev\":5,\"session_id\":[1],\"history\":5,"
                       "\"source_last_seq\":{\"a\":1}}"), TRUE);
  CASE_FULL ("_local: history entries of the wrong types", PULL, "_local",
             g_strdup ("{\"session_id\":\"s\",\"history\":[1,\"x\",{\"session_id\":5,\"recorded_seq\":[]}],"
                       "\"source_last_seq\":1}"), TRUE);
  CASE_FULL ("push, _local: members of the wrong types", PUSH, "_local",
             g_strdup ("{\"_rev\":[],\"session_id\":{},\"history\":{\"a\":[]},\"source_last_seq\":null}"), TRUE);
  /* A design's bytes come by their own GET, checked against the stub. */
  CASE_FULL ("attachment: the bytes of the stub", PULL, "attachment", g_strdup ("hello world"), TRUE);
  CASE ("attachment: other bytes under the stub", PULL, "attachment", g_strdup ("HELLO WORLD"));
  CASE ("attachment: longer than the stub says", PULL, "attachment", g_strdup ("hello world, and more"));
  CASE ("attachment: shorter than the stub says", PULL, "attachment", g_strdup ("hello"));
  CASE ("attachment: a stub without its length", PULL, "attachment-no-length", g_strdup ("hello world"));
  CASE ("_bulk_docs: cut off", PUSH, "_bulk_docs", g_strdup ("[{\"ok\":tr"));
  CASE ("_bulk_docs: nested 200000 deep", PUSH, "_bulk_docs", nested (200000, "", ""));
  CASE ("_bulk_docs: an object", PUSH, "_bulk_docs", g_strdup ("{\"ok\":true}"));
  CASE ("_bulk_docs: a document refused as bad", PUSH, "_bulk_docs",
        g_strdup ("[{\"id\":\"local\",\"rev\":\"" GOOD_REV "\",\"error\":\"bad_request\",\"reason\":\"Invalid rev\"}]"));

  g_assert_no_error (error);
  test_store_put_json (local, "{\"_id\":\"local\",\"v\":1}");
  soup_server_add_handler (fake, NULL, fake_cb, NULL, NULL);
  g_assert_true (soup_server_listen_local (fake, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (fake);
  url = g_strdup_printf ("http://127.0.0.1:%d/annotations", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  for (guint i = 0; i < cases->len; i++)
    {
      BadCase *c = g_ptr_array_index (cases, i);
      g_autoptr(GlsReplicator) repl = gls_replicator_new (local, url, c->direction);
      g_autoptr(GError) run_error = NULL;
      g_autofree char *after = NULL;
      g_autofree char *id = NULL;
      gboolean ok;

      g_test_message ("%s", c->name);
      fake_case = c;
      fake_hits = fake_writes = 0;
      before = test_store_dump (local);
      seq = gls_store_get_update_seq (local);
      gls_replicator_set_max_retries (repl, 0);
      ok = test_replicator_run (repl, NULL, &run_error);

      if (c->endpoint == NULL)
        {
          /* The control: the fake peer is good enough to replicate with. */
          g_assert_no_error (run_error);
          g_assert_true (ok);
          g_assert_cmpint (gls_replicator_get_docs_written (repl), ==, 1);
          {
            g_autoptr(JsonObject) remote = gls_store_get (local, "remote", NULL, GLS_STORE_GET_NONE, NULL);

            g_assert_nonnull (remote);
          }
          g_clear_pointer (&before, g_free);
          /* Start the bad cases from a clean local database. */
          g_clear_object (&local);
          reset_store (dir);
          local = test_store_open (dir, "local.sqlite");
          test_store_put_json (local, "{\"_id\":\"local\",\"v\":1}");
          continue;
        }

      if (c->expect_ok)
        {
          g_assert_no_error (run_error);
          g_assert_true (ok);
          g_assert_cmpuint (fake_hits, >, 0);
          g_assert_cmpint (gls_replicator_get_docs_written (repl), ==, 1);
          g_assert_cmpint (gls_replicator_get_state (repl), ==, GLS_REPLICATOR_STATE_IDLE);
          if (g_str_equal (c->endpoint, "attachment"))
            {
              g_autoptr(GBytes) bytes = gls_store_get_attachment (local, "remote", NULL, "file", NULL, &error);

              g_assert_no_error (error);
              g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "hello world", 11);
            }
          /* Undo it, so the next case starts from the same data. */
          g_clear_object (&local);
          reset_store (dir);
          local = test_store_open (dir, "local.sqlite");
          test_store_put_json (local, "{\"_id\":\"local\",\"v\":1}");
          g_clear_pointer (&before, g_free);
          continue;
        }
      if (ok || run_error == NULL)
        g_error ("%s: the replication succeeded", c->name);
      g_assert_cmpuint (fake_hits, >, 0);
      /* An answer that stops part way is a peer gone (retried, here with
       * no retries left); any other bad answer, a peer that is wrong. */
      if (strstr (c->name, "cut off") != NULL)
        g_assert_error (run_error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_NETWORK);
      else
        g_assert_error (run_error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL);
      g_assert_cmpint (gls_replicator_get_state (repl), ==, GLS_REPLICATOR_STATE_ERROR);
      g_assert_nonnull (gls_replicator_get_error_message (repl));
      g_assert_cmpstr (gls_replicator_get_error_message (repl), !=, "");
      g_test_message ("  → %s", gls_replicator_get_error_message (repl));

      /* Nothing written on either side, no checkpoint stepping over it. */
      after = test_store_dump (local);
      g_assert_cmpstr (after, ==, before);
      g_assert_cmpint (gls_store_get_update_seq (local), ==, seq);
      g_assert_null (gls_store_get_local (local, gls_replicator_get_replication_id (repl), NULL));
      g_assert_cmpuint (fake_writes, ==, 0);

      /* Still usable. */
      id = g_strdup_printf ("{\"_id\":\"after-%u\"}", i);
      test_store_put_json (local, id);
      g_clear_pointer (&before, g_free);
    }

  for (guint i = 0; i < cases->len; i++)
    {
      BadCase *c = g_ptr_array_index (cases, i);

      g_free (c->answer);
      g_free (c);
    }
  soup_server_disconnect (fake);
  g_clear_object (&local);
  test_rm_rf (dir);
#undef CASE
#undef CASE_FULL
#undef PULL
#undef PUSH
}

/* --- peers killed in the middle of a replication --- */

#define N_KILL_DOCS 3000

static GlsDesign *
add_svg_design (GlsWorkspace *ws,
                const char   *dir,
                const char   *name,
                guint         n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *svg = g_strdup_printf ("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\">"
                                          "<rect x=\"%u\" y=\"10\" width=\"40\" height=\"30\" fill=\"#%06x\"/></svg>\n",
                                          n % 150, (n * 2654435761u) & 0xffffff);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GlsDesign *design;

  g_assert_true (g_file_set_contents (path, svg, -1, NULL));
  design = gls_workspace_add_design (ws, file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_remove (path);
  return design;
}

/* A workspace "default" in `data_dir` with one design and `n` comments on
 * it: one made through the workspace, the others copies of it with new
 * ids and texts, written in one transaction. */
static void
make_big_workspace (const char *data_dir,
                    guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsWorkspace) ws = gls_workspace_open (data_dir, "default", &error);
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GlsAnnotation) first = NULL;
  g_autoptr(JsonObject) model = NULL;
  g_autofree char *model_text = NULL;
  g_autoptr(JsonArray) docs = json_array_new ();
  g_autoptr(JsonArray) answers = NULL;
  GlsSelector point = { GLS_SELECTOR_POINT, 0, 20, 30, 0, 0 };

  g_assert_no_error (error);
  design = add_svg_design (ws, data_dir, "board.svg", 1);
  first = gls_workspace_comment (ws, gls_design_get_id (design), &point, "Comment 0", &error);
  g_assert_no_error (error);
  model = gls_store_get (gls_workspace_get_store (ws), gls_annotation_get_id (first), NULL,
                         GLS_STORE_GET_NONE, &error);
  g_assert_no_error (error);
  json_object_remove_member (model, "_rev");
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), model);

    model_text = json_to_string (node, FALSE);
  }
  for (guint i = 1; i < n; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *id = g_strconcat ("urn:uuid:", uuid, NULL);
      g_autofree char *text = g_strdup_printf ("Comment %u", i);
      /* json_node_copy () shares the object: copy through text. */
      g_autoptr(JsonNode) copy = json_from_string (model_text, NULL);
      JsonObject *c = json_node_get_object (copy);
      JsonObject *body = json_object_get_object_member (c, "body");

      json_object_set_string_member (c, "_id", id);
      json_object_set_string_member (c, "id", id);
      if (body != NULL && json_object_has_member (body, "value"))
        json_object_set_string_member (body, "value", text);
      json_array_add_object_element (docs, json_object_ref (c));
    }
  answers = gls_store_bulk_docs (gls_workspace_get_store (ws), docs, TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (answers); i++)
    g_assert_false (json_object_has_member (json_array_get_object_element (answers, i), "error"));
  /* The documents, the design, and the profile that names their author. */
  g_assert_cmpint (gls_store_get_doc_count (gls_workspace_get_store (ws)), ==, n + 2);
}

static char *
workspace_store_path (const char *data_dir)
{
  return g_build_filename (data_dir, "workspaces", "default.sqlite", NULL);
}

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  char             *link;
  guint             port;
} Serve;

/* glossa serve --data-dir DIR --port PORT; reads the share link. */
static void
serve_start (Serve      *serve,
             const char *data_dir,
             guint       port)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autofree char *line = NULL;
  g_autoptr(GUri) uri = NULL;
  g_auto(GStrv) fields = NULL;

  serve->process = test_spawn (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               &error, g_getenv ("GLOSSA_BIN"), "serve", "--data-dir", data_dir,
                               "--port", port_text, NULL);
  g_assert_no_error (error);
  serve->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (serve->process));
  line = g_data_input_stream_read_line_utf8 (serve->out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  fields = g_strsplit (line, "  ", -1);
  g_assert_cmpuint (g_strv_length (fields), >=, 2);
  g_assert_cmpstr (fields[0], ==, "default");
  g_free (serve->link);
  serve->link = g_strdup (fields[1]);
  uri = g_uri_parse (serve->link, G_URI_FLAGS_HAS_PASSWORD, &error);
  g_assert_no_error (error);
  serve->port = g_uri_get_port (uri);
  g_assert_cmpuint (serve->port, >, 0);
  if (port != 0)
    g_assert_cmpuint (serve->port, ==, port);
}

static void
serve_kill (Serve *serve)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_force_exit (serve->process);
  g_subprocess_wait (serve->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (serve->process));
  g_assert_cmpint (g_subprocess_get_term_sig (serve->process), ==, SIGKILL);
  g_clear_object (&serve->out);
  g_clear_object (&serve->process);
}

static void
serve_stop (Serve *serve)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (serve->process, SIGTERM);
  g_subprocess_wait (serve->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&serve->out);
  g_clear_object (&serve->process);
  g_clear_pointer (&serve->link, g_free);
}

static void
kill_after_batches (GObject    *object,
                    GParamSpec *pspec,
                    gpointer    data)
{
  Serve *serve = data;

  /* A few batches in: the peer dies without a word. */
  if (serve->process != NULL && gls_replicator_get_docs_written (GLS_REPLICATOR (object)) >= 300)
    g_subprocess_force_exit (serve->process);
}

static void
test_kill_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("glossa-faults-XXXXXX", &error);
  g_autofree char *server_dir = g_build_filename (dir, "server", NULL);
  g_autofree char *source_path = workspace_store_path (server_dir);
  g_autoptr(GlsStore) local = NULL;
  g_autoptr(GlsStore) source = NULL;
  g_autoptr(GlsReplicator) repl = NULL;
  g_autoptr(JsonObject) checkpoint = NULL;
  g_autofree char *source_dump = NULL;
  g_autofree char *local_dump = NULL;
  Serve serve = { 0 };
  gint64 total, first_written;
  gulong handler;

  if (g_getenv ("GLOSSA_BIN") == NULL)
    {
      g_test_skip ("GLOSSA_BIN is not set (meson test sets it)");
      test_rm_rf (dir);
      return;
    }

  g_assert_no_error (error);
  make_big_workspace (server_dir, N_KILL_DOCS);
  local = test_store_open (dir, "local.sqlite");
  serve_start (&serve, server_dir, 0);

  repl = gls_replicator_new (local, serve.link, GLS_REPLICATOR_DIRECTION_PULL);
  gls_replicator_set_batch_size (repl, 50);
  /* A checkpoint after each batch, not on the default timer: then the
   * batches that made it before the kill are checkpointed. */
  gls_replicator_set_checkpoint_interval (repl, 0);
  gls_replicator_set_max_retries (repl, 2);
  handler = g_signal_connect (repl, "notify::docs-written", G_CALLBACK (kill_after_batches), &serve);
  g_assert_false (test_replicator_run (repl, NULL, &error));
  g_signal_handler_disconnect (repl, handler);
  g_assert_error (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpint (gls_replicator_get_state (repl), ==, GLS_REPLICATOR_STATE_ERROR);
  g_assert_nonnull (gls_replicator_get_error_message (repl));
  serve_kill (&serve);

  /* What arrived is whole: every local document is the source's. */
  first_written = gls_replicator_get_docs_written (repl);
  g_assert_cmpint (first_written, >=, 300);
  g_assert_cmpint (first_written, <, N_KILL_DOCS);
  g_assert_cmpint (gls_store_get_doc_count (local), ==, first_written);
  source = test_store_open (server_dir, "workspaces/default.sqlite");
  {
    g_autoptr(JsonObject) changes = gls_store_changes (local, 0, 0, TRUE, &error);
    JsonArray *results = json_object_get_array_member (changes, "results");

    g_assert_no_error (error);
    g_assert_cmpint (json_array_get_length (results), ==, first_written);
    for (guint i = 0; i < json_array_get_length (results); i++)
      {
        const char *id = json_object_get_string_member (json_array_get_object_element (results, i), "id");
        g_autoptr(JsonObject) mine = gls_store_get (local, id, NULL, GLS_STORE_GET_REVS, &error);
        g_autoptr(JsonObject) theirs = gls_store_get (source, id, NULL, GLS_STORE_GET_REVS, &error);
        g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), mine);
        g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), theirs);

        g_assert_no_error (error);
        g_assert_true (json_node_equal (a, b));
      }
  }
  /* The checkpoint of the batches that made it. */
  checkpoint = gls_store_get_local (local, gls_replicator_get_replication_id (repl), &error);
  g_assert_no_error (error);
  g_assert_nonnull (checkpoint);
  {
    JsonNode *seq = json_object_get_member (checkpoint, "source_last_seq");
    gint64 value;

    g_assert_nonnull (seq);
    /* Sequences are opaque on the wire; a Glossa peer sends numbers. */
    value = JSON_NODE_HOLDS_VALUE (seq) && json_node_get_value_type (seq) == G_TYPE_STRING
      ? g_ascii_strtoll (json_node_get_string (seq), NULL, 10) : json_node_get_int (seq);
    g_assert_cmpint (value, >, 0);
  }

  /* The peer comes back on the same port with the same key. */
  serve_start (&serve, server_dir, serve.port);
  g_assert_true (test_replicator_run (repl, NULL, &error));
  g_assert_no_error (error);
  total = gls_store_get_doc_count (source);
  g_assert_cmpint (total, ==, N_KILL_DOCS + 2);
  /* It resumed: only what was missing was read again. */
  g_assert_cmpint (gls_replicator_get_docs_read (repl), <=, total - first_written);
  g_assert_cmpint (gls_replicator_get_docs_read (repl), >, 0);
  g_assert_cmpint (gls_store_get_doc_count (local), ==, total);
  source_dump = test_store_dump (source);
  local_dump = test_store_dump (local);
  g_assert_cmpstr (local_dump, ==, source_dump);
  serve_stop (&serve);

  g_clear_object (&source);
  g_clear_object (&local);
  test_rm_rf (dir);
}

/* The peer we push to dies: what it committed is whole, and the next push
 * after its restart sends only the rest. */
static void
test_kill_push_target (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("glossa-faults-XXXXXX", &error);
  g_autofree char *server_dir = g_build_filename (dir, "server", NULL);
  g_autofree char *local_dir = g_build_filename (dir, "local", NULL);
  g_autofree char *target_path = workspace_store_path (server_dir);
  g_autofree char *local_path = workspace_store_path (local_dir);
  g_autoptr(GlsStore) local = NULL;
  g_autoptr(GlsStore) target = NULL;
  g_autoptr(GlsReplicator) repl = NULL;
  g_autofree char *local_dump = NULL;
  g_autofree char *target_dump = NULL;
  Serve serve = { 0 };
  gint64 total, first_written, arrived;
  gulong handler;

  if (g_getenv ("GLOSSA_BIN") == NULL)
    {
      g_test_skip ("GLOSSA_BIN is not set (meson test sets it)");
      test_rm_rf (dir);
      return;
    }

  g_assert_no_error (error);
  make_big_workspace (local_dir, N_KILL_DOCS);
  {
    /* An empty workspace to serve. */
    g_autoptr(GlsWorkspace) ws = gls_workspace_open (server_dir, "default", &error);

    g_assert_no_error (error);
  }
  local = gls_store_open (local_path, &error);
  g_assert_no_error (error);
  total = gls_store_get_doc_count (local);
  serve_start (&serve, server_dir, 0);

  repl = gls_replicator_new (local, serve.link, GLS_REPLICATOR_DIRECTION_PUSH);
  gls_replicator_set_batch_size (repl, 50);
  gls_replicator_set_max_retries (repl, 1);
  handler = g_signal_connect (repl, "notify::docs-written", G_CALLBACK (kill_after_batches), &serve);
  g_assert_false (test_replicator_run (repl, NULL, &error));
  g_signal_handler_disconnect (repl, handler);
  g_assert_error (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_NETWORK);
  g_clear_error (&error);
  serve_kill (&serve);
  first_written = gls_replicator_get_docs_written (repl);
  g_assert_cmpint (first_written, <, total);

  /* Whatever the dead peer committed is there, whole, once. */
  target = gls_store_open (target_path, &error);
  g_assert_no_error (error);
  arrived = gls_store_get_doc_count (target);
  g_assert_cmpint (arrived, >=, first_written);
  g_assert_cmpint (arrived, <, total);
  {
    g_autoptr(JsonObject) changes = gls_store_changes (target, 0, 0, TRUE, &error);
    JsonArray *results = json_object_get_array_member (changes, "results");

    g_assert_no_error (error);
    g_assert_cmpint (json_array_get_length (results), ==, arrived);
    for (guint i = 0; i < json_array_get_length (results); i++)
      {
        const char *id = json_object_get_string_member (json_array_get_object_element (results, i), "id");
        g_autoptr(JsonObject) mine = gls_store_get (local, id, NULL, GLS_STORE_GET_REVS, &error);
        g_autoptr(JsonObject) theirs = gls_store_get (target, id, NULL, GLS_STORE_GET_REVS, &error);
        g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), mine);
        g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), theirs);

        g_assert_no_error (error);
        g_assert_true (json_node_equal (a, b));
      }
  }

  serve_start (&serve, server_dir, serve.port);
  g_assert_true (test_replicator_run (repl, NULL, &error));
  g_assert_no_error (error);
  /* Resumed from the checkpoint: the first batches were not sent again. */
  g_assert_cmpint (gls_replicator_get_docs_read (repl), <=, total - first_written);
  g_assert_cmpint (gls_store_get_doc_count (target), ==, total);
  local_dump = test_store_dump (local);
  target_dump = test_store_dump (target);
  g_assert_cmpstr (target_dump, ==, local_dump);
  serve_stop (&serve);

  g_clear_object (&target);
  g_clear_object (&local);
  test_rm_rf (dir);
}

typedef struct
{
  GlsStore    *store;
  GSubprocess *process;
  gint64       threshold;
  gint64       count_at_kill;
  gboolean     killed;
} Watch;

static gboolean
watch_cb (gpointer data)
{
  Watch *w = data;
  gint64 count = gls_store_get_doc_count (w->store);

  if (count >= w->threshold)
    {
      g_subprocess_force_exit (w->process);
      w->count_at_kill = count;
      w->killed = TRUE;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) data = TRUE;
}

static void
test_kill_puller (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("glossa-faults-XXXXXX", &error);
  g_autofree char *server_dir = g_build_filename (dir, "server", NULL);
  g_autofree char *puller_dir = g_build_filename (dir, "puller", NULL);
  g_autofree char *source_dump = NULL;
  g_autofree char *local_dump = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GlsStore) source = NULL;
  g_autoptr(GlsStore) local = NULL;
  g_autoptr(GSubprocess) sync = NULL;
  Serve serve = { 0 };
  Watch watch = { 0 };
  gboolean exited = FALSE;
  guint pulled = 0;
  guint watch_id;

  if (g_getenv ("GLOSSA_BIN") == NULL)
    {
      g_test_skip ("GLOSSA_BIN is not set (meson test sets it)");
      test_rm_rf (dir);
      return;
    }

  g_assert_no_error (error);
  make_big_workspace (server_dir, N_KILL_DOCS);
  serve_start (&serve, server_dir, 0);
  /* The puller's workspace exists (empty), so the test can watch it. */
  {
    g_autoptr(GlsWorkspace) ws = gls_workspace_open (puller_dir, "default", &error);

    g_assert_no_error (error);
  }
  {
    g_autofree char *path = workspace_store_path (puller_dir);

    local = gls_store_open (path, &error);
    g_assert_no_error (error);
  }

  sync = test_spawn (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                     g_getenv ("GLOSSA_BIN"), "sync", serve.link, "--pull",
                     "--data-dir", puller_dir, NULL);
  g_assert_no_error (error);
  watch = (Watch) { local, sync, 250, 0, FALSE };
  watch_id = g_timeout_add (2, watch_cb, &watch);
  g_subprocess_wait_async (sync, NULL, wait_cb, &exited);
  while (!exited)
    g_main_context_iteration (NULL, TRUE);
  if (!watch.killed)
    g_source_remove (watch_id);
  g_assert_true (watch.killed);
  g_assert_true (g_subprocess_get_if_signaled (sync));
  g_assert_cmpint (g_subprocess_get_term_sig (sync), ==, SIGKILL);
  g_clear_object (&sync);

  /* Killed half-way: part of the documents, each of them whole. */
  g_assert_cmpint (gls_store_get_doc_count (local), >=, watch.count_at_kill);
  g_assert_cmpint (gls_store_get_doc_count (local), <, N_KILL_DOCS + 2);

  /* Again, to the end: it resumes from its checkpoint. */
  sync = test_spawn (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                     g_getenv ("GLOSSA_BIN"), "sync", serve.link, "--pull",
                     "--data-dir", puller_dir, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (sync, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (sync) != 0)
    g_error ("glossa sync failed: %s", err);
  g_assert_true (sscanf (out, "Pulled %u", &pulled) == 1);
  g_assert_cmpuint (pulled, >, 0);
  g_assert_cmpuint (pulled, <=, N_KILL_DOCS + 2 - watch.count_at_kill);

  {
    g_autofree char *path = workspace_store_path (server_dir);

    source = gls_store_open (path, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpint (gls_store_get_doc_count (local), ==, N_KILL_DOCS + 2);
  source_dump = test_store_dump (source);
  local_dump = test_store_dump (local);
  g_assert_cmpstr (local_dump, ==, source_dump);

  serve_stop (&serve);
  g_clear_object (&source);
  g_clear_object (&local);
  test_rm_rf (dir);
}

/* --- a peer whose clock is far ahead --- */

static void
test_future_created (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("glossa-faults-XXXXXX", &error);
  g_autofree char *a_dir = g_build_filename (dir, "a", NULL);
  g_autofree char *b_dir = g_build_filename (dir, "b", NULL);
  g_autoptr(GlsWorkspace) a = NULL;
  g_autoptr(GlsWorkspace) b = NULL;
  g_autoptr(GlsPeerServer) server = gls_peer_server_new (NULL);
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GlsAnnotation) root = NULL;
  g_autoptr(GlsAnnotation) ahead = NULL;
  g_autoptr(GlsAnnotation) far = NULL;
  g_autoptr(GlsAnnotation) mine = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonArray) docs = json_array_new ();
  g_autoptr(JsonArray) answers = NULL;
  g_autoptr(GlsReplicator) repl = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *url = NULL;
  g_autofree char *ahead_created = NULL;
  GlsSelector point = { GLS_SELECTOR_POINT, 0, 5, 5, 0, 0 };
  gint64 now = g_get_real_time ();
  gint64 created;

  g_assert_no_error (error);
  a = gls_workspace_open (a_dir, "default", &error);
  g_assert_no_error (error);
  b = gls_workspace_open (b_dir, "default", &error);
  g_assert_no_error (error);

  /* A's peer wrote two replies with forged times: one an hour ahead (a
   * clock that is merely wrong) and one in the year 2999. */
  design = add_svg_design (a, a_dir, "x.svg", 7);
  root = gls_workspace_comment (a, gls_design_get_id (design), &point, "Root", &error);
  g_assert_no_error (error);
  ahead_created = gls_timestamp_format (now + (gint64) G_USEC_PER_SEC * 3600);
  {
    const char *when[] = { ahead_created, "2999-01-01T00:00:00.000000Z" };

    for (guint i = 0; i < G_N_ELEMENTS (when); i++)
      {
        g_autoptr(GlsAnnotation) reply = gls_workspace_reply (a, gls_annotation_get_id (root), "Reply", &error);
        g_autoptr(JsonObject) r = NULL;
        g_autofree char *uuid = g_uuid_string_random ();
        g_autofree char *id = g_strconcat ("urn:uuid:", uuid, NULL);

        g_assert_no_error (error);
        r = gls_store_get (gls_workspace_get_store (a), gls_annotation_get_id (reply), NULL,
                           GLS_STORE_GET_NONE, &error);
        g_assert_no_error (error);
        json_object_remove_member (r, "_rev");
        json_object_set_string_member (r, "_id", id);
        json_object_set_string_member (r, "id", id);
        json_object_set_string_member (r, "created", when[i]);
        /* Signed by A: a peer whose clock is wrong, not a forger. */
        g_assert_true (gls_proof_sign (r, gls_workspace_get_identity (a), NULL, &error));
        json_array_add_object_element (docs, json_object_ref (r));
      }
  }
  answers = gls_store_bulk_docs (gls_workspace_get_store (a), docs, TRUE, &error);
  g_assert_no_error (error);

  /* B pulls them. */
  g_assert_true (gls_peer_server_add_database (server, "default", gls_workspace_get_store (a), &error));
  g_assert_true (gls_peer_server_listen (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  uri = gls_peer_server_dup_uri (server);
  url = g_strconcat (uri, "default", NULL);
  repl = gls_replicator_new (gls_workspace_get_store (b), url, GLS_REPLICATOR_DIRECTION_PULL);
  g_assert_true (test_replicator_run (repl, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gls_store_get_doc_count (gls_workspace_get_store (b)), ==,
                   gls_store_get_doc_count (gls_workspace_get_store (a)));

  /* B's next comment follows the clock that is an hour ahead, but not
   * the one in 2999: it is stamped within a day of now. */
  mine = gls_workspace_reply (b, gls_annotation_get_id (root), "Mine", &error);
  g_assert_no_error (error);
  created = gls_annotation_get_created_usec (mine);
  g_assert_cmpstr (gls_annotation_get_created (mine), >, ahead_created);
  g_assert_cmpint (created, <, g_get_real_time () + (gint64) G_USEC_PER_SEC * 7200);
  g_assert_cmpint (created, >, now);

  /* Every reply is still shown. */
  {
    g_autoptr(GlsThread) thread = gls_workspace_find_thread (b, gls_annotation_get_id (root));

    g_assert_nonnull (thread);
    g_assert_cmpuint (gls_thread_get_reply_count (thread), ==, 5);
  }

  gls_peer_server_disconnect (server);
  g_clear_object (&repl);
  g_clear_object (&a);
  g_clear_object (&b);
  test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sync/faults/server/" path, ServerFixture, NULL, server_setup, func, server_teardown)
  ADD ("malformed", test_server_malformed);
  ADD ("wrong-types", test_server_wrong_types);
  ADD ("invalid-revs", test_server_invalid_revs);
  ADD ("deep", test_server_deep);
  ADD ("too-large", test_server_too_large);
  ADD ("no-key", test_server_no_key);
#undef ADD
  g_test_add_func ("/sync/faults/replicator/bad-answers", test_replicator_bad_answers);
  {
    /* A hub restarting: after the feed began; before it sent more than
     * heartbeats (what PouchDB Server does, seen by hand); in a batch. */
    static const CutCase cut_feed = { "_changes", "{\"results\":[" };
    static const CutCase heartbeats = { "_changes", "\n\n" };
    static const CutCase cut_batch = { "_bulk_get", "{\"results\":[{\"id\":\"remote\",\"docs\":[{\"ok\":{" };

    g_test_add_data_func ("/sync/faults/replicator/live-cut-feed", &cut_feed, test_live_cut_answer);
    g_test_add_data_func ("/sync/faults/replicator/live-heartbeats-only", &heartbeats, test_live_cut_answer);
    g_test_add_data_func ("/sync/faults/replicator/live-cut-bulk-get", &cut_batch, test_live_cut_answer);
  }
  g_test_add_func ("/sync/faults/kill/server", test_kill_server);
  g_test_add_func ("/sync/faults/kill/puller", test_kill_puller);
  g_test_add_func ("/sync/faults/kill/push-target", test_kill_push_target);
  g_test_add_func ("/sync/faults/clock/future-created", test_future_created);

  return g_test_run ();
}
