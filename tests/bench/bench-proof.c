/* bench-proof.c: what signing and verifying cost (eddsa-jcs-2022)
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writing 100,000 annotations in batches of 1,000, as bench-store does:
 * unsigned, signed one after the other, and signed by a worker while the
 * store writes the previous batch (how Glossa signs a batch: an import).
 * Then the workspace's first open of 20,000 signed documents (every proof
 * checked, in two halves) against its second (the store's notes say what
 * each proof said). Medians of 3. Prints a table; asserts nothing.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "gls-proof.h"
#include "gls-workspace.h"
#include "../test-util.h"

#define BATCH   1000
#define N_WRITE 100000
#define N_OPEN  20000

static GlsIdentity *author;

static JsonObject *
make_annotation (guint i)
{
  GlsSelector point = { GLS_SELECTOR_POINT, 0, i % 1600, i % 900, 0, 0 };
  g_autofree char *created = g_strdup_printf ("2026-03-%02uT%02u:%02u:%02u.%03u000Z",
                                              1 + i % 28, i % 24, i % 60, (i / 60) % 60, i % 1000);
  g_autoptr(GlsAnnotation) a = gls_annotation_new_comment ("ni:///sha-256;f4OxZX_x_FO5LcGBSKHWXfwtSx-j1ncoSt3SABJtkGk",
                                                           &point, "A comment of an ordinary length for a review.",
                                                           gls_identity_get_did (author), "Ada Lovelace",
                                                           NULL, created);

  return gls_annotation_to_json (a);
}

static GPtrArray *
make_batches (guint n)
{
  GPtrArray *batches = g_ptr_array_new_with_free_func ((GDestroyNotify) json_array_unref);

  for (guint b = 0; b < n / BATCH; b++)
    {
      JsonArray *docs = json_array_sized_new (BATCH);

      for (guint i = 0; i < BATCH; i++)
        json_array_add_object_element (docs, make_annotation (b * BATCH + i));
      g_ptr_array_add (batches, docs);
    }
  return batches;
}

static void
sign_batch (JsonArray *docs)
{
  for (guint i = 0; i < json_array_get_length (docs); i++)
    {
      JsonObject *doc = json_array_get_object_element (docs, i);

      g_assert_true (gls_proof_sign (doc, author, json_object_get_string_member (doc, "created"), NULL));
    }
}

static GlsStore *
new_store (const char *dir,
           guint       run)
{
  g_autofree char *name = g_strdup_printf ("write-%u.db", run);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  GlsStore *store = gls_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static void
write_batch (GlsStore  *store,
             JsonArray *docs)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) results = gls_store_bulk_docs (store, docs, TRUE, &error);

  g_assert_no_error (error);
}

typedef enum { UNSIGNED, PRESIGNED, SIGNED_INLINE, SIGNED_PIPELINED } Mode;

typedef struct
{
  GPtrArray *batches;
  GAsyncQueue *ready;
} Signer;

static gpointer
signer_thread (gpointer data)
{
  Signer *s = data;

  for (guint b = 0; b < s->batches->len; b++)
    {
      sign_batch (g_ptr_array_index (s->batches, b));
      g_async_queue_push (s->ready, g_ptr_array_index (s->batches, b));
    }
  return NULL;
}

/* Seconds to write every batch (building the documents is not timed). */
static double
write_run (const char *dir,
           guint       run,
           Mode        mode)
{
  g_autoptr(GPtrArray) batches = make_batches (N_WRITE);
  g_autoptr(GlsStore) store = new_store (dir, run);
  gint64 start;

  if (mode == PRESIGNED)
    for (guint b = 0; b < batches->len; b++)
      sign_batch (g_ptr_array_index (batches, b));
  start = g_get_monotonic_time ();

  if (mode == SIGNED_PIPELINED)
    {
      Signer s = { batches, g_async_queue_new () };
      GThread *thread = g_thread_new ("signer", signer_thread, &s);

      for (guint b = 0; b < batches->len; b++)
        write_batch (store, g_async_queue_pop (s.ready));
      g_thread_join (thread);
      g_async_queue_unref (s.ready);
    }
  else
    {
      for (guint b = 0; b < batches->len; b++)
        {
          if (mode == SIGNED_INLINE)
            sign_batch (g_ptr_array_index (batches, b));
          write_batch (store, g_ptr_array_index (batches, b));
        }
    }

  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median3 (double v[3])
{
  qsort (v, 3, sizeof v[0], compare_doubles);
  return v[1];
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("glossa-bench-proof-XXXXXX", &error);
  double unsigned_s[3], presigned_s[3], inline_s[3], pipelined_s[3], first_s[3], again_s[3];
  double sign_us, verify_us;
  guint run = 0;

  author = gls_identity_new_random ();

  /* One proof, made and checked. */
  {
    g_autoptr(JsonObject) doc = make_annotation (7);
    gint64 start = g_get_monotonic_time ();

    for (guint i = 0; i < 2000; i++)
      gls_proof_sign (doc, author, "2026-03-01T00:00:00Z", NULL);
    sign_us = (g_get_monotonic_time () - start) / 2000.0;
    start = g_get_monotonic_time ();
    for (guint i = 0; i < 2000; i++)
      g_assert_cmpint (gls_proof_verify (doc, NULL, NULL), ==, GLS_PROOF_VALID);
    verify_us = (g_get_monotonic_time () - start) / 2000.0;
  }

  for (guint i = 0; i < 3; i++)
    {
      unsigned_s[i] = write_run (dir, run++, UNSIGNED);
      presigned_s[i] = write_run (dir, run++, PRESIGNED);
      inline_s[i] = write_run (dir, run++, SIGNED_INLINE);
      pipelined_s[i] = write_run (dir, run++, SIGNED_PIPELINED);
    }

  /* A workspace of 20,000 signed documents, as a pull leaves it, opened
   * for the first time, then again. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("open-%u", i);
      g_autofree char *data_dir = g_build_filename (dir, name, NULL);
      g_autoptr(GPtrArray) batches = make_batches (N_OPEN);
      gint64 start;

      {
        g_autoptr(GlsWorkspace) ws = gls_workspace_open (data_dir, NULL, &error);

        g_assert_no_error (error);
        for (guint b = 0; b < batches->len; b++)
          {
            sign_batch (g_ptr_array_index (batches, b));
            write_batch (gls_workspace_get_store (ws), g_ptr_array_index (batches, b));
          }
      }
      {
        g_autofree char *path = g_build_filename (data_dir, "workspaces", "default.sqlite", NULL);
        g_autoptr(GlsStore) store = gls_store_open (path, &error);

        /* A pull writes documents, never notes: start from none. */
        g_assert_no_error (error);
      }
      start = g_get_monotonic_time ();
      {
        g_autoptr(GlsWorkspace) ws = gls_workspace_open (data_dir, NULL, &error);
        g_assert_no_error (error);
      }
      first_s[i] = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      start = g_get_monotonic_time ();
      {
        g_autoptr(GlsWorkspace) ws = gls_workspace_open (data_dir, NULL, &error);
        g_assert_no_error (error);
      }
      again_s[i] = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
    }

  printf ("bench-proof: eddsa-jcs-2022 (libsodium Ed25519, SHA-256, RFC 8785), %u cores\n\n",
          g_get_num_processors ());
  printf ("| measure | median of 3 | vs unsigned |\n| --- | ---: | ---: |\n");
  printf ("| sign one annotation | %.1f µs | |\n", sign_us);
  printf ("| verify one annotation | %.1f µs | |\n", verify_us);
  printf ("| write %u annotations, unsigned, batches of %u | %.0f ms (%.0f docs/s) | |\n",
          N_WRITE, BATCH, median3 (unsigned_s) * 1000, N_WRITE / median3 (unsigned_s));
  printf ("| the same documents signed beforehand: the store's part of a proof (about 450 bytes) | %.0f ms | %+.0f%% |\n",
          median3 (presigned_s) * 1000, (median3 (presigned_s) / median3 (unsigned_s) - 1) * 100);
  printf ("| the same, each signed, then written | %.0f ms | %+.0f%% |\n",
          median3 (inline_s) * 1000, (median3 (inline_s) / median3 (unsigned_s) - 1) * 100);
  printf ("| the same, signed by a worker while the store writes | %.0f ms | %+.0f%% |\n",
          median3 (pipelined_s) * 1000, (median3 (pipelined_s) / median3 (unsigned_s) - 1) * 100);
  printf ("| open a workspace of %u signed documents: first time (every proof checked) | %.0f ms | |\n",
          N_OPEN, median3 (first_s) * 1000);
  printf ("| the same, again (the proofs' notes kept) | %.0f ms | |\n", median3 (again_s) * 1000);

  g_clear_object (&author);
  test_rm_rf (dir);
  return 0;
}
