/* fuzz-multipart-sink.c: the streaming multipart parser, whatever the
 * network's pieces
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input's first byte chooses how to cut the rest (a body for the
 * boundary "b") into pieces; the body is parsed whole and in those
 * pieces. Oracles: no crash, leak or sanitizer report; both parses agree
 * on success, on the document part, and on every attachment part's
 * length and SHA-256; no temporary file outlives its parse.
 */

#define G_LOG_DOMAIN "fuzz-multipart-sink"

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "gls-multipart-sink.h"

static char *dir;
static GlsStore *store;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fuzz_init (argc, argv);
  dir = fuzz_make_dir ("fuzz-multipart-sink");
  path = g_build_filename (dir, "s.sqlite", NULL);
  store = gls_store_open (path, &error);
  fuzz_check (store != NULL, "%s", error->message);
  return 0;
}

/* "ok <first part> <length:sha256>…" or "error <domain> <code>". */
static char *
parse (const guint8 *data,
       gsize         size,
       guint         seed)
{
  g_autoptr(GlsMultipartSink) sink = gls_multipart_sink_new ("multipart/related; boundary=b", store, 4096);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GPtrArray) blobs = NULL;
  GString *out;
  gsize at = 0;

  fuzz_check (sink != NULL, "no sink");
  while (at < size && error == NULL)
    {
      gsize n = seed == 0 ? size - at : MIN (size - at, 1 + (seed * (at + 7)) % 97);

      gls_multipart_sink_feed (sink, data + at, n, &error);
      at += n;
    }
  if (error == NULL)
    gls_multipart_sink_finish (sink, &first, &blobs, &error);
  if (error != NULL)
    return g_strdup_printf ("error %s %d", g_quark_to_string (error->domain), error->code);

  out = g_string_new ("ok ");
  g_string_append_len (out, g_bytes_get_data (first, NULL), g_bytes_get_size (first));
  for (guint i = 0; i < blobs->len; i++)
    g_string_append_printf (out, " %" G_GINT64_FORMAT ":%s", gls_store_blob_get_length (blobs->pdata[i]),
                            gls_store_blob_get_sha256 (blobs->pdata[i]));
  return g_string_free (out, FALSE);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *whole = NULL;
  g_autofree char *pieces = NULL;
  g_autoptr(GDir) d = NULL;
  const char *name;

  if (size < 1)
    return 0;
  whole = parse (data + 1, size - 1, 0);
  pieces = parse (data + 1, size - 1, 1 + data[0]);
  fuzz_check (g_str_equal (whole, pieces), "whole: %.200s\npieces: %.200s", whole, pieces);

  d = g_dir_open (gls_store_get_files_dir (store), 0, NULL);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    fuzz_check (!g_str_has_prefix (name, "tmp-"), "a temporary file outlived its parse: %s", name);
  return 0;
}
