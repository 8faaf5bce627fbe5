/* test-couchdb-traces.c: Apache CouchDB 3.4.3's replicator, replayed
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No CouchDB can be installed here, so its requests are replayed from the
 * traces in tests/data/traces (recorded byte for byte between CouchDB
 * 3.4.3's replicator and `glossa serve`), against a peer server on
 * loopback, over a plain socket: what CouchDB sent, Glossa must read, and
 * what Glossa answers must be what CouchDB's parsers take (the framing of
 * chttpd_db send_docs_multipart).
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "gls-json-parser.h"
#include "gls-peer-server.h"
#include "gls-store.h"
#include "test-util.h"

/* The access key of the share CouchDB pushed into: the traces carry it. */
#define TRACE_KEY "df4w6lbgQx1ZVfsyEtWsbvhmb6-gPnri0MEwuuypw1s"
#define DESIGN_ID "urn:uuid:0725a4d8-1079-4027-b73b-afc3c97bd6e3"
#define DESIGN_REV "1-5f2a39f9acfdf9bbc08250dc12c05196"

typedef struct
{
  char          *dir;
  GlsStore      *store;
  GlsPeerServer *server;
  guint          port;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = NULL;

  f->dir = test_data_dir_new ("glossa-traces-XXXXXX");
  f->store = test_store_open (f->dir, "default.sqlite");
  url = test_server_start (f->store, "default", NULL, &f->server);
  gls_peer_server_set_keys (f->server, "default", TRACE_KEY, NULL);
  f->port = gls_peer_server_get_port (f->server);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->server);
  g_clear_object (&f->store);
  test_data_dir_free (f->dir);
}

/* --- requests and answers as bytes --- */

typedef struct
{
  GBytes  *request;
  guint    port;
  GBytes  *answer;   /* status line, headers and body, exactly as sent */
  gboolean done;
} Exchange;

static gssize
header_end (const char *data,
            gsize       size)
{
  for (gsize i = 0; i + 3 < size; i++)
    if (memcmp (data + i, "\r\n\r\n", 4) == 0)
      return (gssize) (i + 4);
  return -1;
}

static gsize
content_length (const char *head,
                gsize       size)
{
  g_autofree char *text = g_strndup (head, size);
  g_autofree char *lower = g_ascii_strdown (text, -1);
  const char *at = strstr (lower, "\r\ncontent-length:");

  g_assert_nonnull (at);
  return (gsize) g_ascii_strtoull (at + strlen ("\r\ncontent-length:"), NULL, 10);
}

/* In a thread: the server answers on this thread's main context. */
static gpointer
exchange_thread (gpointer data)
{
  Exchange *x = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GByteArray) got = g_byte_array_new ();
  GInputStream *input;
  gsize size;
  const char *request = g_bytes_get_data (x->request, &size);
  gssize head = -1;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", x->port, NULL, &error);
  g_assert_no_error (error);
  /* A server that does not answer fails the test, not CI's timeout. */
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 20);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                            request, size, NULL, NULL, &error));
  g_assert_no_error (error);
  input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  for (;;)
    {
      guint8 buf[8192];
      gssize n = g_input_stream_read (input, buf, sizeof buf, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      g_byte_array_append (got, buf, n);
      if (head < 0)
        head = header_end ((const char *) got->data, got->len);
      if (head >= 0 && got->len >= head + content_length ((const char *) got->data, head))
        break;
    }
  x->answer = g_byte_array_free_to_bytes (g_steal_pointer (&got));
  g_atomic_int_set (&x->done, TRUE);
  return NULL;
}

static GBytes *
exchange (Fixture *f,
          GBytes  *request)
{
  Exchange x = { request, f->port, NULL, FALSE };
  GThread *thread = g_thread_new ("client", exchange_thread, &x);

  while (!g_atomic_int_get (&x.done))
    g_main_context_iteration (NULL, FALSE) || (g_usleep (500), TRUE);
  g_thread_join (thread);
  return x.answer;
}

static guint
answer_status (GBytes *answer)
{
  const char *text = g_bytes_get_data (answer, NULL);

  g_assert_true (g_str_has_prefix (text, "HTTP/1.1 "));
  return (guint) g_ascii_strtoull (text + strlen ("HTTP/1.1 "), NULL, 10);
}

static GBytes *
answer_body (GBytes *answer)
{
  gsize size;
  const char *text = g_bytes_get_data (answer, &size);
  gssize head = header_end (text, size);

  g_assert_cmpint (head, >, 0);
  return g_bytes_new_from_bytes (answer, head, size - head);
}

static char *
answer_header (GBytes     *answer,
               const char *name)
{
  gsize size;
  const char *text = g_bytes_get_data (answer, &size);
  g_autofree char *head = g_strndup (text, header_end (text, size));
  g_auto(GStrv) lines = g_strsplit (head, "\r\n", -1);

  for (guint i = 1; lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');

      if (colon != NULL && (gsize) (colon - lines[i]) == strlen (name) &&
          g_ascii_strncasecmp (lines[i], name, strlen (name)) == 0)
        return g_strstrip (g_strdup (colon + 1));
    }
  return NULL;
}

/* The requests of a .req trace: each its header block and Content-Length
 * bytes of body, as CouchDB sent them. */
static GPtrArray *
trace_requests (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "traces", name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) all = NULL;
  GPtrArray *requests = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gsize size, at = 0;
  const char *text;
  char *contents;

  g_assert_true (g_file_get_contents (path, &contents, &size, &error));
  g_assert_no_error (error);
  all = g_bytes_new_take (contents, size);
  text = contents;
  while (at < size)
    {
      gssize head = header_end (text + at, size - at);
      gsize length;

      g_assert_cmpint (head, >, 0);
      length = content_length (text + at, head);
      g_assert_cmpuint (at + head + length, <=, size);
      g_ptr_array_add (requests, g_bytes_new_from_bytes (all, at, head + length));
      at += head + length;
    }
  return requests;
}

static gboolean
bytes_start_with (GBytes     *bytes,
                  const char *prefix)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  return size >= strlen (prefix) && memcmp (data, prefix, strlen (prefix)) == 0;
}

/* The design's file as CouchDB sent it: the part after the JSON. */
static GBytes *
pushed_file (GBytes *put)
{
  gsize size;
  const char *data = g_bytes_get_data (put, &size);
  const char *marker = "Content-Type: image/png\r\nContent-Length: 6321\r\n\r\n";
  const char *at = g_strstr_len (data, size, marker);

  g_assert_nonnull (at);
  return g_bytes_new_from_bytes (put, at + strlen (marker) - data, 6321);
}

/* CouchDB pushes into Glossa (couchdb-3.4.3-replicator-writes-into-glossa):
 * every request answered as CouchDB would, and the design's
 * multipart/related PUT, which ends with "--boundary--" and no CRLF, is
 * stored with its file byte for byte. */
static void
test_couchdb_pushes (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = trace_requests ("couchdb-3.4.3-replicator-writes-into-glossa.req");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GBytes) sent_file = NULL;
  g_autofree char *content_type = NULL;
  GBytes *put = NULL;

  g_assert_cmpuint (requests->len, ==, 9);
  g_assert_true (bytes_start_with (requests->pdata[0], "POST /_session "));
  for (guint i = 0; i < requests->len; i++)
    {
      GBytes *request = requests->pdata[i];
      g_autoptr(GBytes) answer = NULL;
      guint status;

      answer = exchange (f, request);
      status = answer_status (answer);
      if (bytes_start_with (request, "POST /_session "))
        {
          /* CouchDB's replicator logs in first, as to a CouchDB. */
          g_autofree char *cookie = answer_header (answer, "Set-Cookie");

          g_assert_cmpuint (status, ==, 200);
          g_assert_nonnull (cookie);
          g_assert_true (g_str_has_prefix (cookie, "AuthSession="));
        }
      else if (bytes_start_with (request, "GET /default/_local/"))
        g_assert_cmpuint (status, ==, 404);
      else if (bytes_start_with (request, "PUT /default/"))
        {
          g_autoptr(GBytes) body = answer_body (answer);

          put = request;
          g_test_message ("PUT: %.*s", (int) g_bytes_get_size (body), (const char *) g_bytes_get_data (body, NULL));
          g_assert_cmpuint (status, ==, 201);
          g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                          "\"rev\":\"" DESIGN_REV "\""));
        }
      else
        g_assert_cmpuint (status, ==, 200);
    }

  g_assert_nonnull (put);
  sent_file = pushed_file (put);
  stored = gls_store_get_attachment (f->store, DESIGN_ID, DESIGN_REV, "file", &content_type, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (content_type, ==, "image/png");
  g_assert_true (g_bytes_equal (stored, sent_file));
}

/* Pushes the design as CouchDB did. */
static GBytes *
push_design (Fixture *f)
{
  g_autoptr(GPtrArray) requests = trace_requests ("couchdb-3.4.3-replicator-writes-into-glossa.req");

  for (guint i = 0; i < requests->len; i++)
    if (bytes_start_with (requests->pdata[i], "PUT /default/"))
      {
        g_autoptr(GBytes) answer = exchange (f, requests->pdata[i]);

        g_assert_cmpuint (answer_status (answer), ==, 201);
        return pushed_file (requests->pdata[i]);
      }
  g_assert_not_reached ();
}

/* GET open_revs of the pushed design as CouchDB's replicator asks for it
 * (`extra` adds to the query): the body of a 200 multipart/mixed answer,
 * and its boundary. */
static GBytes *
fetch_open_revs (Fixture     *f,
                 const char  *extra,
                 char       **boundary)
{
  g_autofree char *pair = g_strdup ("peer:" TRACE_KEY);
  g_autofree char *auth = g_base64_encode ((const guchar *) pair, strlen (pair));
  g_autofree char *request = NULL;
  g_autofree char *content_type = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);

  request = g_strdup_printf ("GET /default/" DESIGN_ID "?revs=true&open_revs=%%5B%%22" DESIGN_REV "%%22%%5D&latest=true%s HTTP/1.1\r\n"
                             "User-Agent: CouchDB-Replicator/3.4.3\r\n"
                             "Accept: multipart/mixed\r\n"
                             "Authorization: Basic %s\r\n"
                             "Host: 127.0.0.1:%u\r\n"
                             "Content-Length: 0\r\n"
                             "\r\n", extra, auth, f->port);
  bytes = g_bytes_new (request, strlen (request));
  answer = exchange (f, bytes);
  g_assert_cmpuint (answer_status (answer), ==, 200);
  content_type = answer_header (answer, "Content-Type");
  soup_message_headers_replace (headers, "Content-Type", content_type);
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, &params), ==, "multipart/mixed");
  *boundary = g_strdup (g_hash_table_lookup (params, "boundary"));
  g_assert_nonnull (*boundary);
  return answer_body (answer);
}

/* CouchDB's replicator fetching a document with an attachment (the shape
 * of its requests in couchdb-3.4.3-replicator-reads-from-glossa.log): no
 * attachments=true, Accept: multipart/mixed. CouchDB answers with the
 * attachment's bytes as a "follows" part inside a multipart/related
 * part, and ends the body with the closing delimiter alone; its replicator
 * failed on stubs (missing_stub) and on a CRLF after the end (badmatch). */
static void
test_couchdb_pulls (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) file = push_design (f);
  g_autofree char *outer = NULL;
  g_autoptr(GBytes) body = fetch_open_revs (f, "", &outer);
  g_autofree char *inner_type = NULL;
  g_autofree char *expected_start = NULL;
  const char *inner;
  const char *text;
  const char *json_end;
  gsize size;

  text = g_bytes_get_data (body, &size);
  /* --OB, then the document as a multipart/related part. */
  expected_start = g_strdup_printf ("--%s\r\nContent-Type: multipart/related; boundary=", outer);
  g_assert_true (g_str_has_prefix (text, expected_start));
  {
    const char *b = text + strlen (expected_start);
    const char *eol = strstr (b, "\r\n\r\n");

    g_assert_nonnull (eol);
    inner_type = g_strndup (b, eol - b);
    if (inner_type[0] == '"')
      {
        memmove (inner_type, inner_type + 1, strlen (inner_type));
        inner_type[strlen (inner_type) - 1] = '\0';
      }
    inner = eol + 4;
  }
  /* --IB, the JSON with a "follows" stub. */
  {
    g_autofree char *json_start = g_strdup_printf ("--%s\r\nContent-Type: application/json\r\n\r\n", inner_type);
    g_autofree char *file_head = g_strdup_printf ("\r\n--%s\r\nContent-Disposition: attachment; filename=\"file\"\r\n"
                                                  "Content-Type: image/png\r\nContent-Length: 6321\r\n\r\n", inner_type);
    g_autofree char *ending = g_strdup_printf ("\r\n--%s--\r\n--%s--", inner_type, outer);
    g_autofree char *json = NULL;
    g_autoptr(JsonNode) doc = NULL;
    JsonObject *att;

    g_assert_true (g_str_has_prefix (inner, json_start));
    json_end = g_strstr_len (inner, size - (inner - text), file_head);
    g_assert_nonnull (json_end);
    json = g_strndup (inner + strlen (json_start), json_end - inner - strlen (json_start));
    doc = gls_json_from_data (json, -1, NULL);
    g_assert_nonnull (doc);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (doc), "_rev"), ==, DESIGN_REV);
    att = json_object_get_object_member (json_object_get_object_member (json_node_get_object (doc), "_attachments"),
                                         "file");
    g_assert_true (json_object_get_boolean_member (att, "follows"));
    g_assert_false (json_object_has_member (att, "data"));
    g_assert_false (json_object_has_member (att, "stub"));
    g_assert_cmpint (json_object_get_int_member (att, "length"), ==, 6321);

    /* The file's bytes, then the two closing delimiters and nothing more. */
    {
      const char *bytes = json_end + strlen (file_head);

      g_assert_cmpuint ((gsize) (bytes - text) + 6321 + strlen (ending), ==, size);
      g_assert_cmpmem (bytes, 6321, g_bytes_get_data (file, NULL), 6321);
      g_assert_cmpmem (bytes + 6321, strlen (ending), ending, strlen (ending));
    }
  }
}

/* With atts_since naming the revision, CouchDB sends the attachment as a
 * stub, and the document as a plain application/json part. */
static void
test_couchdb_pulls_since (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GBytes) file = push_design (f);
  g_autofree char *boundary = NULL;
  g_autoptr(GBytes) body = fetch_open_revs (f, "&atts_since=%5B%22" DESIGN_REV "%22%5D", &boundary);
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  const char *text;
  gsize size;

  text = g_bytes_get_data (body, &size);
  start = g_strdup_printf ("--%s\r\nContent-Type: application/json\r\n\r\n{", boundary);
  end = g_strdup_printf ("}\r\n--%s--", boundary);
  g_assert_true (g_str_has_prefix (text, start));
  g_assert_cmpmem (text + size - strlen (end), strlen (end), end, strlen (end));
  g_assert_nonnull (g_strstr_len (text, size, "\"stub\":true"));
  g_assert_null (g_strstr_len (text, size, "\"follows\""));
}

static GBytes *
request_bytes (const char *format,
               ...) G_GNUC_PRINTF (1, 2);

static GBytes *
request_bytes (const char *format,
               ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  return g_bytes_new_take (text, strlen (text));
}

static guint
status_of (Fixture *f,
           GBytes  *request)
{
  g_autoptr(GBytes) answer = exchange (f, request);

  return answer_status (answer);
}

/* POST /_session as CouchDB answers it: the key, as the password, traded
 * for a cookie that opens the database as the key does; a wrong one gets
 * 401; GET says who is logged in; DELETE ends it. */
static void
test_session (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = trace_requests ("couchdb-3.4.3-replicator-writes-into-glossa.req");
  g_autoptr(GBytes) login = exchange (f, requests->pdata[0]);
  g_autoptr(GBytes) login_body = answer_body (login);
  g_autofree char *set_cookie = answer_header (login, "Set-Cookie");
  g_autofree char *cookie = NULL;
  g_autoptr(GBytes) wrong = NULL;
  g_autoptr(GBytes) db = NULL;
  g_autoptr(GBytes) who = NULL;
  g_autoptr(GBytes) who_body = NULL;
  g_autoptr(GBytes) logout = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GBytes) guessed = NULL;
  g_autoptr(GBytes) json_login = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) ctx = NULL;

  g_assert_cmpuint (answer_status (login), ==, 200);
  answer = gls_json_from_data (g_bytes_get_data (login_body, NULL), g_bytes_get_size (login_body), NULL);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (answer), "ok"));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "name"), ==, "peer");
  g_assert_nonnull (set_cookie);
  cookie = g_strndup (set_cookie, strcspn (set_cookie, ";"));
  g_assert_true (g_str_has_prefix (cookie, "AuthSession="));
  g_assert_nonnull (strstr (set_cookie, "HttpOnly"));

  /* The cookie opens the database, without Basic authentication. */
  db = request_bytes ("GET /default/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
                      "Cookie: %s\r\nContent-Length: 0\r\n\r\n", cookie);
  g_assert_cmpuint (status_of (f, db), ==, 200);
  guessed = request_bytes ("GET /default/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           "Cookie: AuthSession=%s\r\nContent-Length: 0\r\n\r\n", TRACE_KEY);
  g_assert_cmpuint (status_of (f, guessed), ==, 401);

  {
    g_autoptr(GBytes) ask = request_bytes ("GET /_session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                           "Cookie: %s\r\nContent-Length: 0\r\n\r\n", cookie);

    who = exchange (f, ask);
  }
  g_assert_cmpuint (answer_status (who), ==, 200);
  who_body = answer_body (who);
  ctx = gls_json_from_data (g_bytes_get_data (who_body, NULL), g_bytes_get_size (who_body), NULL);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (ctx), "userCtx"),
                                                  "name"), ==, "peer");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (ctx), "info"),
                                                  "authenticated"), ==, "cookie");

  /* A wrong key: 401, as CouchDB says it. JSON works as the form does. */
  wrong = request_bytes ("POST /_session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n"
                         "name=peer&password=guessed", strlen ("name=peer&password=guessed"));
  g_assert_cmpuint (status_of (f, wrong), ==, 401);
  json_login = request_bytes ("POST /_session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n"
                              "{\"name\":\"peer\",\"password\":\"%s\"}",
                              strlen ("{\"name\":\"peer\",\"password\":\"\"}") + strlen (TRACE_KEY), TRACE_KEY);
  g_assert_cmpuint (status_of (f, json_login), ==, 200);

  /* Logged out, the cookie opens nothing. */
  logout = request_bytes ("DELETE /_session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Cookie: %s\r\nContent-Length: 0\r\n\r\n", cookie);
  g_assert_cmpuint (status_of (f, logout), ==, 200);
  after = request_bytes ("GET /default/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Cookie: %s\r\nContent-Length: 0\r\n\r\n", cookie);
  g_assert_cmpuint (status_of (f, after), ==, 401);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sync/couchdb/pushes", test_couchdb_pushes);
  ADD ("/sync/couchdb/pulls", test_couchdb_pulls);
  ADD ("/sync/couchdb/pulls-since", test_couchdb_pulls_since);
  ADD ("/sync/couchdb/session", test_session);

  return g_test_run ();
}
