/* bench-store.c: how fast the document store writes and reads
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints a table; asserts nothing about time. Usage:
 *   bench-store [N_DOCS]        (default 100000, batches of 1000)
 */

#define G_LOG_DOMAIN "bench-store"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include <glib/gstdio.h>

#include "gls-store.h"
#include "../test-util.h"

#define BATCH 1000

static const char *words[] = {
  "kerning", "baseline", "contrast", "margin", "the", "logo", "colour", "gutter",
  "could", "we", "tighten", "this", "looks", "off", "resistor", "footprint",
  "label", "is", "too", "close", "to", "edge", "please", "check", "spacing",
};

/* A W3C Web Annotation as Glossa writes it (see src/core/FORMAT.md). */
static JsonObject *
make_annotation (guint i)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *id = g_strconcat ("urn:uuid:", uuid, NULL);
  g_autofree char *created = g_strdup_printf ("2026-03-%02uT%02u:%02u:%02u.%03uZ",
                                              1 + i % 28, i % 24, i % 60, (i / 60) % 60, i % 1000);
  g_autofree char *xywh = g_strdup_printf ("xywh=%u,%u,%u,%u", i % 1600, i % 900, 20 + i % 200, 20 + i % 150);
  JsonObject *doc = json_object_new ();
  JsonObject *body = json_object_new ();
  JsonObject *target = json_object_new ();
  JsonObject *selector = json_object_new ();
  JsonObject *creator = json_object_new ();
  JsonObject *generator = json_object_new ();

  for (guint w = 0; w < 9; w++)
    {
      if (w > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, words[(i * 7 + w * 13) % G_N_ELEMENTS (words)]);
    }

  json_object_set_string_member (body, "type", "TextualBody");
  json_object_set_string_member (body, "value", text->str);
  json_object_set_string_member (body, "format", "text/plain");
  json_object_set_string_member (body, "language", "en");

  json_object_set_string_member (selector, "type", "FragmentSelector");
  json_object_set_string_member (selector, "conformsTo", "http://www.w3.org/TR/media-frags/");
  json_object_set_string_member (selector, "value", xywh);
  {
    /* 100 designs. */
    g_autofree char *source = g_strdup_printf ("ni:///sha-256;f4OxZX_x_FO5LcGBSKHWXfwtSx-j1ncoSt3SA%05u", i % 100);

    json_object_set_string_member (target, "source", source);
  }
  json_object_set_object_member (target, "selector", selector);

  json_object_set_string_member (creator, "id", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
  json_object_set_string_member (creator, "type", "Person");
  json_object_set_string_member (creator, "name", "Ada Lovelace");

  json_object_set_string_member (generator, "id", "https://github.com/glossa/glossa");
  json_object_set_string_member (generator, "type", "Software");
  json_object_set_string_member (generator, "name", "Glossa 0.1.0");

  json_object_set_string_member (doc, "_id", id);
  json_object_set_string_member (doc, "@context", "http://www.w3.org/ns/anno.jsonld");
  json_object_set_string_member (doc, "id", id);
  json_object_set_string_member (doc, "type", "Annotation");
  json_object_set_string_member (doc, "motivation", "commenting");
  json_object_set_object_member (doc, "body", body);
  json_object_set_object_member (doc, "target", target);
  json_object_set_object_member (doc, "creator", creator);
  json_object_set_string_member (doc, "created", created);
  json_object_set_object_member (doc, "generator", generator);
  json_object_set_string_member (doc, "rights", "https://creativecommons.org/licenses/by/4.0/");

  return doc;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static void
row (const char *what,
     guint       n,
     double      secs)
{
  printf ("| %-44s | %8u | %9.1f | %10.0f |\n", what, n, secs * 1000.0, n / secs);
}

typedef struct
{
  guint n;
  gsize bytes;
} Count;

static gboolean
count_cb (const char *id,
          const char *rev,
          gint64      seq,
          gboolean    deleted,
          guint       n_revs,
          const char *note,
          JsonObject *body,
          gpointer    user_data)
{
  Count *c = user_data;

  c->n++;
  c->bytes += json_object_get_size (body);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  guint n_docs = argc > 1 ? (guint) atoi (argv[1]) : 100000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("glossa-bench-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "bench.db", NULL);
  g_autofree char *path2 = g_build_filename (dir, "replica.db", NULL);
  g_autoptr(GlsStore) store = NULL;
  g_autoptr(GlsStore) replica = NULL;
  g_autoptr(JsonObject) changes = NULL;
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func ((GDestroyNotify) json_array_unref);
  double write_secs = 0, open_secs, secs;
  gint64 start, seq;
  gsize doc_bytes;
  Count count = { 0, };
  GStatBuf st;

  if (n_docs < BATCH)
    n_docs = BATCH;
  n_docs -= n_docs % BATCH;

  store = gls_store_open (path, &error);
  g_assert_no_error (error);

  /* Build the documents first: the table times the store only. */
  for (guint b = 0; b < n_docs / BATCH; b++)
    {
      JsonArray *docs = json_array_sized_new (BATCH);
      for (guint i = 0; i < BATCH; i++)
        json_array_add_object_element (docs, make_annotation (b * BATCH + i));
      g_ptr_array_add (batches, docs);
    }
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (),
                                                      json_array_get_object_element (batches->pdata[0], 0));
    g_autofree char *text = json_to_string (node, FALSE);
    doc_bytes = strlen (text);
  }

  printf ("GlsStore benchmark: %u documents of %" G_GSIZE_FORMAT " bytes (W3C annotations), "
          "batches of %u, SQLite %s, WAL, synchronous=FULL\n\n",
          n_docs, doc_bytes, BATCH, sqlite3_libversion ());
  printf ("| %-44s | %8s | %9s | %10s |\n", "operation", "docs", "ms", "docs/s");
  printf ("|----------------------------------------------|----------|-----------|------------|\n");

  for (guint b = 0; b < batches->len; b++)
    {
      g_autoptr(JsonArray) results = NULL;

      start = g_get_monotonic_time ();
      results = gls_store_bulk_docs (store, batches->pdata[b], TRUE, &error);
      write_secs += seconds_since (start);
      g_assert_no_error (error);
    }
  row ("bulk_docs new_edits=true (1000 per call)", n_docs, write_secs);

  /* The same writes without and with a secondary index on the design a
   * comment is on. */
  {
    double plain_secs = 0;
    const guint n_more = 10;

    for (guint b = 0; b < n_more; b++)
      {
        g_autoptr(JsonArray) docs = json_array_sized_new (BATCH);
        g_autoptr(JsonArray) results = NULL;

        for (guint i = 0; i < BATCH; i++)
          json_array_add_object_element (docs, make_annotation (n_docs + b * BATCH + i));
        start = g_get_monotonic_time ();
        results = gls_store_bulk_docs (store, docs, TRUE, &error);
        plain_secs += seconds_since (start);
        g_assert_no_error (error);
      }
    row ("bulk_docs, 10 batches more, no index", n_more * BATCH, plain_secs);
    n_docs += n_more * BATCH;
  }
  /* The indexes a partial workspace declares: "target" (a comment under
   * its design's source, a reply under its root's id) and "@type". */
  start = g_get_monotonic_time ();
  g_assert_true (gls_store_ensure_index (store, "by-source", "target", &error));
  g_assert_true (gls_store_ensure_index (store, "by-type", "@type", &error));
  secs = seconds_since (start);
  g_assert_no_error (error);
  row ("ensure_index target and @type (built over all)", n_docs, secs);
  {
    const guint n_queries = 200;
    guint found = 0;

    start = g_get_monotonic_time ();
    for (guint q = 0; q < n_queries; q++)
      {
        g_autofree char *key = g_strdup_printf ("ni:///sha-256;f4OxZX_x_FO5LcGBSKHWXfwtSx-j1ncoSt3SA%05u", q % 100);
        g_autoptr(GPtrArray) ids = gls_store_query_index (store, "by-source", key, &error);

        g_assert_no_error (error);
        found += ids->len;
      }
    secs = seconds_since (start);
    g_assert_cmpuint (found, ==, n_queries * (n_docs / 100));
    row ("query_index, one design's ids (per query)", n_docs / 100, secs / n_queries);
  }
  {
    double indexed_secs = 0;
    const guint n_more = 10;

    for (guint b = 0; b < n_more; b++)
      {
        g_autoptr(JsonArray) docs = json_array_sized_new (BATCH);
        g_autoptr(JsonArray) results = NULL;

        for (guint i = 0; i < BATCH; i++)
          json_array_add_object_element (docs, make_annotation (n_docs + b * BATCH + i));
        start = g_get_monotonic_time ();
        results = gls_store_bulk_docs (store, docs, TRUE, &error);
        indexed_secs += seconds_since (start);
        g_assert_no_error (error);
      }
    row ("bulk_docs, 10 batches more, both indexes kept", n_more * BATCH, indexed_secs);
    n_docs += n_more * BATCH;
  }


  start = g_get_monotonic_time ();
  changes = gls_store_changes (store, 0, 0, TRUE, &error);
  secs = seconds_since (start);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (changes, "results")), ==, n_docs);
  row ("changes since=0 style=all_docs, one call", n_docs, secs);

  start = g_get_monotonic_time ();
  seq = 0;
  for (;;)
    {
      g_autoptr(JsonObject) page = gls_store_changes (store, seq, 1000, TRUE, &error);
      g_assert_no_error (error);
      seq = json_object_get_int_member (page, "last_seq");
      if (json_object_get_int_member (page, "pending") == 0)
        break;
    }
  secs = seconds_since (start);
  row ("changes in pages of 1000 (replicator)", n_docs, secs);

  start = g_get_monotonic_time ();
  g_assert_true (gls_store_foreach_doc (store, gls_store_get_update_seq (store) - 10000,
                                        count_cb, &count, &error));
  secs = seconds_since (start);
  g_assert_no_error (error);
  g_assert_cmpuint (count.n, ==, MIN (10000, n_docs));
  row ("foreach_doc, last 10,000 docs", count.n, secs);

  memset (&count, 0, sizeof count);
  start = g_get_monotonic_time ();
  g_assert_true (gls_store_foreach_doc (store, 0, count_cb, &count, &error));
  secs = seconds_since (start);
  row ("foreach_doc, all docs", count.n, secs);

  /* Replication into an empty store: revs_diff, then new_edits=false. */
  replica = gls_store_open (path2, &error);
  g_assert_no_error (error);
  {
    double diff_secs = 0, merge_secs = 0;

    seq = 0;
    for (;;)
      {
        g_autoptr(JsonObject) page = gls_store_changes (store, seq, 1000, TRUE, &error);
        g_autoptr(JsonObject) request = json_object_new ();
        g_autoptr(JsonObject) diff = NULL;
        g_autoptr(JsonArray) docs = json_array_new ();
        g_autoptr(JsonArray) results = NULL;
        JsonArray *rows = json_object_get_array_member (page, "results");

        for (guint i = 0; i < json_array_get_length (rows); i++)
          {
            JsonObject *r = json_array_get_object_element (rows, i);
            JsonArray *list = json_array_new ();
            const char *rev = json_object_get_string_member (
              json_array_get_object_element (json_object_get_array_member (r, "changes"), 0), "rev");
            json_array_add_string_element (list, rev);
            json_object_set_array_member (request, json_object_get_string_member (r, "id"), list);
            json_array_add_object_element (docs,
                                           gls_store_get (store, json_object_get_string_member (r, "id"),
                                                          rev, GLS_STORE_GET_REVS, &error));
          }
        start = g_get_monotonic_time ();
        diff = gls_store_revs_diff (replica, request, &error);
        diff_secs += seconds_since (start);
        start = g_get_monotonic_time ();
        results = gls_store_bulk_docs (replica, docs, FALSE, &error);
        merge_secs += seconds_since (start);
        g_assert_no_error (error);

        seq = json_object_get_int_member (page, "last_seq");
        if (json_object_get_int_member (page, "pending") == 0)
          break;
      }
    row ("revs_diff, empty target (1000 per call)", n_docs, diff_secs);
    row ("bulk_docs new_edits=false (1000 per call)", n_docs, merge_secs);
  }
  g_clear_object (&replica);

  /* Opening a store and loading its 10,000 newest documents. */
  g_clear_object (&store);
  start = g_get_monotonic_time ();
  store = gls_store_open (path, &error);
  g_assert_no_error (error);
  open_secs = seconds_since (start);
  memset (&count, 0, sizeof count);
  g_assert_true (gls_store_foreach_doc (store, gls_store_get_update_seq (store) - 10000,
                                        count_cb, &count, &error));
  secs = seconds_since (start);
  row ("open + foreach_doc of 10,000 docs", count.n, secs);
  printf ("| %-44s | %8s | %9.1f | %10s |\n", "  of which gls_store_open", "", open_secs * 1000.0, "");

  if (g_stat (path, &st) == 0)
    printf ("\nDatabase file: %.1f MB (%.0f bytes per document)\n",
            st.st_size / 1e6, (double) st.st_size / n_docs);

  g_clear_object (&store);
  test_rm_rf (dir);
  return 0;
}
