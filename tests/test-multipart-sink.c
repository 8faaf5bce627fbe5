/* test-multipart-sink.c: multipart bodies parsed as they arrive, their
 * attachment parts written to files
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-sync"

#include "config.h"

#include <string.h>

#include "gls-multipart-sink.h"
#include "test-store-fixture.h"

#define TYPE "multipart/related; boundary=\"abc\""

/* Feeds `body` in pieces of `step` bytes (0: all at once). */
static gboolean
parse (StoreFixture *f,
       const char  *body,
       gsize        len,
       gsize        step,
       GBytes     **first,
       GPtrArray  **blobs,
       GError     **error)
{
  g_autoptr(GlsMultipartSink) sink = gls_multipart_sink_new (TYPE, f->store, 1000);
  gsize at = 0;

  g_assert_nonnull (sink);
  while (at < len)
    {
      gsize n = step == 0 ? len - at : MIN (step, len - at);

      if (!gls_multipart_sink_feed (sink, body + at, n, error))
        return FALSE;
      at += n;
    }
  return gls_multipart_sink_finish (sink, first, blobs, error);
}

static void
assert_blob (GlsStoreBlob *blob,
             const char   *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = gls_store_blob_read (blob, &error);
  char buf[256];
  gsize n = 0;

  g_assert_no_error (error);
  g_assert_true (g_input_stream_read_all (stream, buf, sizeof buf, &n, NULL, &error));
  g_assert_cmpmem (buf, n, expected, strlen (expected));
  g_assert_cmpint (gls_store_blob_get_length (blob), ==, strlen (expected));
}

static guint
count_tmp_files (StoreFixture *f)
{
  g_autoptr(GDir) d = g_dir_open (gls_store_get_files_dir (f->store), 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    n += g_str_has_prefix (name, "tmp-");
  return n;
}

/* As CouchDB's replicator sends a document: JSON, two attachments, the
 * closing delimiter without CRLF; data that looks like a delimiter. */
static void
test_couchdb_body (StoreFixture  *f,
                   gconstpointer  data)
{
  static const char body[] =
    "--abc\r\n"
    "Content-Type: application/json\r\n\r\n"
    "{\"_id\":\"d\"}\r\n"
    "--abc\r\n"
    "Content-Disposition: attachment; filename=\"a.png\"\r\n"
    "Content-Type: image/png\r\nContent-Length: 20\r\n\r\n"
    "PNG\r\n--ab not the end\r\n"
    "--abc\r\n"
    "\r\n"
    "second\r\n"
    "--abc--";
  gsize len = strlen (body);

  /* Whole, and in every piece size: the same parts. */
  for (gsize step = 0; step <= len; step = step == 0 ? 1 : step + (step < 16 ? 1 : 7))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) first = NULL;
      g_autoptr(GPtrArray) blobs = NULL;

      g_assert_true (parse (f, body, len, step, &first, &blobs, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (first, NULL), g_bytes_get_size (first), "{\"_id\":\"d\"}", 11);
      g_assert_cmpuint (blobs->len, ==, 2);
      assert_blob (blobs->pdata[0], "PNG\r\n--ab not the end");
      assert_blob (blobs->pdata[1], "second");
    }
  /* With libsoup's ending (CRLF after the closing delimiter), a preamble
   * and an epilogue. */
  {
    static const char other[] = "preamble\r\n--abc\r\n\r\n{}\r\n--abc--\r\nepilogue";
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) first = NULL;
    g_autoptr(GPtrArray) blobs = NULL;

    g_assert_true (parse (f, other, strlen (other), 3, &first, &blobs, &error));
    g_assert_cmpmem (g_bytes_get_data (first, NULL), g_bytes_get_size (first), "{}", 2);
    g_assert_cmpuint (blobs->len, ==, 0);
  }
  /* Blobs not used by a write leave no file behind. */
  g_assert_cmpuint (count_tmp_files (f), ==, 0);
}

static void
test_refused (StoreFixture  *f,
              gconstpointer  data)
{
  static const struct
  {
    const char *name;
    const char *body;
    gint        code;
  } cases[] = {
    { "no closing delimiter", "--abc\r\n\r\n{}\r\n--abc\r\n\r\nhalf a design", GLS_MULTIPART_SINK_ERROR_INVALID },
    { "cut inside a delimiter", "--abc\r\n\r\n{}\r\n--ab", GLS_MULTIPART_SINK_ERROR_INVALID },
    { "no boundary at all", "just some bytes", GLS_MULTIPART_SINK_ERROR_INVALID },
    { "garbage after a delimiter", "--abc\r\n\r\n{}\r\n--abcXY", GLS_MULTIPART_SINK_ERROR_INVALID },
    { "headers never end", "--abc\r\nContent-Type: a", GLS_MULTIPART_SINK_ERROR_INVALID },
    { "empty", "", GLS_MULTIPART_SINK_ERROR_INVALID },
  };
  g_autofree char *big = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) first = NULL;
      g_autoptr(GPtrArray) blobs = NULL;

      g_test_message ("%s", cases[i].name);
      g_assert_false (parse (f, cases[i].body, strlen (cases[i].body), 2, &first, &blobs, &error));
      g_assert_error (error, GLS_MULTIPART_SINK_ERROR, cases[i].code);
    }

  /* A document part beyond its limit (1000 here). */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) first = NULL;
    g_autoptr(GPtrArray) blobs = NULL;
    g_autofree char *long_json = g_strnfill (2000, 'x');

    big = g_strdup_printf ("--abc\r\n\r\n%s\r\n--abc--", long_json);
    g_assert_false (parse (f, big, strlen (big), 100, &first, &blobs, &error));
    g_assert_error (error, GLS_MULTIPART_SINK_ERROR, GLS_MULTIPART_SINK_ERROR_TOO_LARGE);
  }
  /* Nothing is left of the parts written before the failure. */
  g_assert_cmpuint (count_tmp_files (f), ==, 0);

  /* No boundary in the type. */
  g_assert_null (gls_multipart_sink_new ("multipart/related", f->store, 1000));
  g_assert_null (gls_multipart_sink_new ("multipart/related; boundary=\"\"", f->store, 1000));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  STORE_TEST_ADD ("/sync/multipart-sink/couchdb-body", test_couchdb_body);
  STORE_TEST_ADD ("/sync/multipart-sink/refused", test_refused);

  return g_test_run ();
}
