/* bench-workspace.c: cold open, thread derivation and comment latency
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "gls-hlc.h"
#include "gls-proof.h"
#include "gls-workspace.h"

#define N_THREADS     2000
#define N_ANNOTATIONS 10000
#define N_COMMENTS    200

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;
  return (da > db) - (da < db);
}

static double
median (GArray *samples)
{
  g_array_sort (samples, compare_doubles);
  return g_array_index (samples, double, samples->len / 2);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* 2,000 threads; each root gets replies, edits and assessments until there
 * are 10,000 annotations, written as peers would, in batches. */
static void
fill (GlsWorkspace *ws,
      GlsDesign    *design)
{
  g_autoptr(GlsIdentity) other = gls_identity_new_random ();
  g_autoptr(GPtrArray) roots = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonArray) batch = json_array_new ();
  g_autoptr(GError) error = NULL;
  const char *did = gls_identity_get_did (other);
  const char *cc = "https://creativecommons.org/licenses/by/4.0/";
  gint64 t = g_get_real_time () - (gint64) G_USEC_PER_SEC * 100000;

  for (guint i = 0; i < N_ANNOTATIONS; i++)
    {
      g_autoptr(GlsAnnotation) a = NULL;
      g_autofree char *created = gls_timestamp_format (t + i * 1000);

      if (i < N_THREADS)
        {
          GlsSelector sel = { GLS_SELECTOR_POINT, 0, g_random_double_range (0, 800),
                              g_random_double_range (0, 500), 0, 0 };
          a = gls_annotation_new_comment (gls_design_get_source (design), &sel,
                                          "A comment on the board, of an ordinary length for a review.",
                                          did, "Ben", cc, created);
          g_ptr_array_add (roots, g_strdup (gls_annotation_get_id (a)));
        }
      else
        {
          const char *root = g_ptr_array_index (roots, g_random_int_range (0, N_THREADS));

          switch (i % 5)
            {
            case 0:
              a = gls_annotation_new_assessment (root, i % 2, did, "Ben", cc, created);
              break;
            case 1:
              a = gls_annotation_new_edit (root, "An edited comment", did, "Ben", cc, created);
              break;
            default:
              a = gls_annotation_new_reply (root, "A reply, agreeing.", did, "Ben", cc, created);
            }
        }

      /* Signed by their author, as Glossa 0.2 writes every document. */
      {
        JsonObject *doc = gls_annotation_to_json (a);

        g_assert_true (gls_proof_sign (doc, other, created, &error));
        json_array_add_object_element (batch, doc);
      }
      if (json_array_get_length (batch) == 1000)
        {
          g_autoptr(JsonArray) results = gls_store_bulk_docs (gls_workspace_get_store (ws), batch, TRUE, &error);
          g_assert_no_error (error);
          g_clear_pointer (&batch, json_array_unref);
          batch = json_array_new ();
        }
    }
}

static gboolean
count_doc (const char *id,
           const char *rev,
           gint64      seq,
           gboolean    deleted,
           guint       n_revs,
           const char *note,
           JsonObject *body,
           gpointer    user_data)
{
  (*(guint *) user_data)++;
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *data_dir = g_dir_make_tmp ("glossa-bench-ws-XXXXXX", NULL);
  g_autofree char *sample = g_build_filename (g_getenv ("GLOSSA_SOURCE_DIR") ? g_getenv ("GLOSSA_SOURCE_DIR") : ".",
                                              "data", "samples", "board.svg", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (sample);
  g_autoptr(GArray) open_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) derive_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) comment_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) shown_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) foreach_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autofree char *design_id = NULL;
  g_autofree char *source = NULL;

  {
    g_autoptr(GlsWorkspace) ws = gls_workspace_open (data_dir, NULL, &error);
    g_autoptr(GlsDesign) design = NULL;

    g_assert_no_error (error);
    design = gls_workspace_add_design (ws, file, NULL, NULL, &error);
    g_assert_no_error (error);
    design_id = g_strdup (gls_design_get_id (design));
    source = g_strdup (gls_design_get_source (design));
    fill (ws, design);
  }

  /* The store alone: read and parse every document. */
  for (guint run = 0; run < 5; run++)
    {
      g_autofree char *path = g_build_filename (data_dir, "workspaces", "default.sqlite", NULL);
      g_autoptr(GlsStore) store = gls_store_open (path, &error);
      gint64 start = g_get_monotonic_time ();
      guint n = 0;
      double took;

      g_assert_no_error (error);
      gls_store_foreach_doc (store, 0, count_doc, &n, &error);
      g_assert_no_error (error);
      took = ms_since (start);
      g_assert_cmpuint (n, ==, N_ANNOTATIONS + 2); /* and the design, and its author's profile */
      g_array_append_val (foreach_ms, took);
    }

  /* Cold open: a new workspace object reads every document and derives. */
  for (guint run = 0; run < 5; run++)
    {
      g_autoptr(GlsWorkspace) ws = NULL;
      g_autoptr(GListModel) threads = NULL;
      gint64 start = g_get_monotonic_time ();
      double opened, derived;

      ws = gls_workspace_open (data_dir, NULL, &error);
      g_assert_no_error (error);
      opened = ms_since (start);
      threads = gls_workspace_get_threads (ws, source);
      derived = ms_since (start);
      g_assert_cmpuint (g_list_model_get_n_items (threads), ==, N_THREADS);

      g_array_append_val (open_ms, opened);
      g_array_append_val (derive_ms, derived);
    }

  /* One comment, from the call to committed in SQLite; and until the
   * design's threads model shows it. */
  {
    g_autoptr(GlsWorkspace) writer = gls_workspace_open (data_dir, NULL, &error);
    g_autoptr(GlsWorkspace) viewer = gls_workspace_open (data_dir, NULL, &error);
    g_autoptr(GListModel) threads = gls_workspace_get_threads (viewer, source);

    for (guint i = 0; i < N_COMMENTS; i++)
      {
        GlsSelector sel = { GLS_SELECTOR_POINT, 0, 10 + i, 20, 0, 0 };
        g_autoptr(GlsAnnotation) a = NULL;
        gint64 start = g_get_monotonic_time ();
        double stored;

        a = gls_workspace_comment (writer, design_id, &sel, "A new comment", &error);
        g_assert_no_error (error);
        stored = ms_since (start);
        g_array_append_val (comment_ms, stored);
      }

    /* The viewer catches up with the writer's comments first. */
    g_ptr_array_unref (gls_workspace_list_annotations (viewer));
    g_object_unref (gls_workspace_get_threads (viewer, source));

    for (guint i = 0; i < 20; i++)
      {
        GlsSelector sel = { GLS_SELECTOR_POINT, 0, 10 + i, 40, 0, 0 };
        g_autoptr(GlsAnnotation) a = NULL;
        guint before = g_list_model_get_n_items (threads);
        gint64 start = g_get_monotonic_time ();
        double shown;

        a = gls_workspace_comment (viewer, design_id, &sel, "Shown", &error);
        g_assert_no_error (error);
        g_assert_cmpuint (g_list_model_get_n_items (threads), ==, before + 1);
        shown = ms_since (start);
        g_array_append_val (shown_ms, shown);
      }
  }

  g_print ("\nbench-workspace: %d annotations in %d threads on one design (SQLite WAL, %u cores)\n\n",
           N_ANNOTATIONS, N_THREADS, g_get_num_processors ());
  g_print ("| measure | median | budget |\n| --- | ---: | ---: |\n");
  g_print ("| store: read and parse every document | %.1f ms | |\n", median (foreach_ms));
  g_print ("| cold open (read, validate, index every document) | %.1f ms | |\n", median (open_ms));
  g_print ("| cold open + derive the design's threads | %.1f ms | 100 ms |\n", median (derive_ms));
  g_print ("| one comment, call to committed (%d runs) | %.2f ms | 10 ms |\n", N_COMMENTS, median (comment_ms));
  g_print ("| one comment, call to shown in the threads model | %.2f ms | |\n", median (shown_ms));

  return 0;
}
