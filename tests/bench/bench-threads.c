/* bench-threads.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * How long the annotation model takes for a big workspace: N annotation
 * documents in N/5 threads (each thread: a root, replies some of which
 * answer replies, edits by the author and by others, assessments, some
 * tombstones), parsed from JSON text, validated and derived.
 *
 *   bench-threads [N]   (default 10000)
 */

#include "config.h"

#include <stdlib.h>

#include "gls-core.h"

#define ROUNDS 5

static const char *people[] = {
  "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
  "did:key:z6MkwJSaEMnE4u6LiqrZV1BJHSkc9x8S4mTm3ArNL1m19BZR",
  "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
};

static const char *sources[] = {
  "ni:///sha-256;f4OxZX_x_FO5LcGBSKHWXfwtSx-j1ncoSt3SABJtkGk",
  "ni:///sha-256;UyaQV-Ev4rdLoHyJJWCi11OHfrYv9E1aGQAlMO2X_-Q",
  "ni:///sha-256;T_2LswmR46byjR0D8a7c0CzPjgzBa7npaee8K9od3wM",
  "ni:///sha-256;xkTyag1xvTu7LvXpC6QbbxChnKmZNPueeE7fr9OyYgw",
};

static void
add (GPtrArray     *texts,
     GlsAnnotation *a,
     gboolean       deleted)
{
  g_autoptr(GlsAnnotation) tomb = deleted ? gls_annotation_new_tombstone (a) : NULL;
  g_autoptr(JsonObject) doc = gls_annotation_to_json (deleted ? tomb : a);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), doc);

  g_ptr_array_add (texts, json_to_string (node, FALSE));
  g_object_unref (a);
}

/* The store hands documents over as JSON text; so does this. */
static GPtrArray *
build_docs (guint n)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  gint64 now = G_GINT64_CONSTANT (1795428000000000);
  g_autoptr(GlsHlc) hlc = NULL;
  guint threads = n / 5;

  hlc = gls_hlc_new ();

  for (guint t = 0; t < threads; t++)
    {
      GlsSelector sel = { GLS_SELECTOR_RECT, t % 3 == 0 ? 1 + t % 7 : 0, t % 800, t % 600,
                          t % 5 ? 40 : 0, t % 5 ? 30 : 0 };
      const char *author = people[t % 3];
      g_autofree char *c0 = g_strdup_printf ("2026-11-23T10:%02u:%02u.%06uZ",
                                             (t / 60) % 60, t % 60, (guint) ((now + t) % 1000000));
      GlsAnnotation *root;
      g_autofree char *root_id = NULL;
      g_autofree char *reply1 = NULL;

      if (sel.kind == GLS_SELECTOR_RECT && sel.width == 0)
        sel.kind = GLS_SELECTOR_POINT;
      root = gls_annotation_new_comment (sources[t % 4], &sel, "Is this the right footprint?",
                                         author, "Someone", NULL, c0);
      root_id = g_strdup (gls_annotation_get_id (root));
      add (texts, root, t % 97 == 0);

      {
        g_autofree char *c = gls_hlc_now (hlc);
        GlsAnnotation *r = gls_annotation_new_reply (root_id, "Yes, the datasheet says so.",
                                                     people[(t + 1) % 3], "Other", NULL, c);

        reply1 = g_strdup (gls_annotation_get_id (r));
        add (texts, r, FALSE);
      }
      {
        g_autofree char *c = gls_hlc_now (hlc);

        /* Every other second reply answers the first reply. */
        add (texts, gls_annotation_new_reply (t % 2 ? reply1 : root_id, "Thanks!", author,
                                              "Someone", NULL, c), t % 13 == 0);
      }
      {
        g_autofree char *c = gls_hlc_now (hlc);

        /* Edits by the author, sometimes by a stranger (ignored). */
        add (texts, gls_annotation_new_edit (root_id, "Is this the right footprint for U3?",
                                             t % 4 ? author : people[(t + 2) % 3], "Someone",
                                             NULL, c), FALSE);
      }
      {
        g_autofree char *c = gls_hlc_now (hlc);

        add (texts, gls_annotation_new_assessment (root_id, t % 3 != 2, people[(t + 1) % 3],
                                                   "Other", NULL, c), FALSE);
      }
    }

  return texts;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 10000;
  g_autoptr(GPtrArray) texts = build_docs (n);
  double parse_ms[ROUNDS], validate_ms[ROUNDS], derive_ms[ROUNDS], total_ms[ROUNDS];
  guint n_threads = 0;

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
      g_autoptr(GPtrArray) annotations = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GPtrArray) threads = NULL;
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      gint64 t0, t1, t2, t3;

      t0 = g_get_monotonic_time ();
      for (guint i = 0; i < texts->len; i++)
        {
          g_autoptr(GError) error = NULL;

          if (!json_parser_load_from_data (parser, g_ptr_array_index (texts, i), -1, &error))
            g_error ("%s", error->message);
          g_ptr_array_add (nodes, json_node_ref (json_parser_get_root (parser)));
        }
      t1 = g_get_monotonic_time ();
      for (guint i = 0; i < nodes->len; i++)
        {
          g_autoptr(GError) error = NULL;
          GlsAnnotation *a = gls_annotation_new_from_json (
            json_node_get_object (g_ptr_array_index (nodes, i)), &error);

          if (a == NULL)
            g_error ("%s", error->message);
          g_ptr_array_add (annotations, a);
        }
      t2 = g_get_monotonic_time ();
      threads = gls_threads_derive (annotations, NULL);
      t3 = g_get_monotonic_time ();

      n_threads = threads->len;
      parse_ms[round] = (t1 - t0) / 1000.0;
      validate_ms[round] = (t2 - t1) / 1000.0;
      derive_ms[round] = (t3 - t2) / 1000.0;
      total_ms[round] = (t3 - t0) / 1000.0;
    }

  qsort (parse_ms, ROUNDS, sizeof (double), compare_double);
  qsort (validate_ms, ROUNDS, sizeof (double), compare_double);
  qsort (derive_ms, ROUNDS, sizeof (double), compare_double);
  qsort (total_ms, ROUNDS, sizeof (double), compare_double);

  g_print ("bench-threads: %u annotation documents, %u threads shown, %d rounds\n\n",
           texts->len, n_threads, ROUNDS);
  g_print ("| step                                    | median ms | best ms |\n");
  g_print ("| --------------------------------------- | --------: | ------: |\n");
  g_print ("| parse JSON text (json-glib)             | %9.1f | %7.1f |\n",
           parse_ms[ROUNDS / 2], parse_ms[0]);
  g_print ("| validate (gls_annotation_new_from_json) | %9.1f | %7.1f |\n",
           validate_ms[ROUNDS / 2], validate_ms[0]);
  g_print ("| derive threads (gls_threads_derive)     | %9.1f | %7.1f |\n",
           derive_ms[ROUNDS / 2], derive_ms[0]);
  g_print ("| total                                   | %9.1f | %7.1f |\n",
           total_ms[ROUNDS / 2], total_ms[0]);

  return 0;
}
