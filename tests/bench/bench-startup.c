/* bench-startup.c: from starting glossa to its first frame on screen
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Needs a display (build-aux/glossa-dev bench runs it under Xvfb). Each run
 * starts the real program with --quit-after-first-frame, which prints a line
 * once the window's first frame is painted; the time is taken here, from
 * before the spawn to that line, so it covers loading, GTK's start, opening
 * the workspace and the first paint.
 */

#include "config.h"

#include <gio/gio.h>

#include "gls-hlc.h"
#include "gls-workspace.h"
#include "bench-data.h"
#include "../test-util.h"

#define RUNS 10

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;
  return (da > db) - (da < db);
}

static char *
glossa_path (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = g_path_get_dirname (self);

  if (g_getenv ("GLOSSA_BIN") != NULL)
    return g_strdup (g_getenv ("GLOSSA_BIN"));

  return g_build_filename (dir, "..", "..", "src", "glossa", NULL);
}

static double
time_start (const char *glossa,
            const char *data_dir,
            gboolean    sample)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  gint64 start = g_get_monotonic_time ();
  double took;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              glossa, "--data-dir", data_dir, "--quit-after-first-frame",
                              sample ? "--sample" : NULL, NULL);
  g_assert_no_error (error);

  {
    g_autoptr(GDataInputStream) lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
    g_autofree char *line = g_data_input_stream_read_line (lines, NULL, NULL, &error);

    took = (g_get_monotonic_time () - start) / 1000.0;
    g_assert_no_error (error);
    g_assert_cmpstr (line, ==, "first-frame");
  }

  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);

  return took;
}

static double
median_start (const char *glossa,
              const char *data_dir,
              gboolean    sample)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  /* The first run warms the page cache; it is not counted. */
  time_start (glossa, data_dir, sample);
  for (guint i = 0; i < RUNS; i++)
    {
      double t = time_start (glossa, data_dir, sample);
      g_array_append_val (times, t);
    }
  g_array_sort (times, compare_doubles);

  return g_array_index (times, double, RUNS / 2);
}

/* A workspace with the sample board and 10,000 annotations on it. */
static void
make_big_workspace (const char *data_dir)
{
  g_autofree char *sample = g_build_filename (g_getenv ("GLOSSA_SOURCE_DIR") ? g_getenv ("GLOSSA_SOURCE_DIR") : ".",
                                              "data", "samples", "board.svg", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (sample);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsWorkspace) ws = gls_workspace_open (data_dir, NULL, &error);
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GlsIdentity) other = gls_identity_new_random ();
  g_autoptr(GPtrArray) roots = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonArray) batch = json_array_new ();
  const char *cc = "https://creativecommons.org/licenses/by/4.0/";
  gint64 t = g_get_real_time () - (gint64) G_USEC_PER_SEC * 100000;

  g_assert_no_error (error);
  design = gls_workspace_add_design (ws, file, NULL, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 10000; i++)
    {
      g_autoptr(GlsAnnotation) a = NULL;
      g_autofree char *created = gls_timestamp_format (t + i * 1000);

      if (i < 2000)
        {
          GlsSelector sel = { GLS_SELECTOR_POINT, 0, g_random_double_range (0, 800),
                              g_random_double_range (0, 500), 0, 0 };
          a = gls_annotation_new_comment (gls_design_get_source (design), &sel, "A comment",
                                          gls_identity_get_did (other), "Ben", cc, created);
          g_ptr_array_add (roots, g_strdup (gls_annotation_get_id (a)));
        }
      else
        {
          a = gls_annotation_new_reply (g_ptr_array_index (roots, i % 2000), "A reply",
                                        gls_identity_get_did (other), "Ben", cc, created);
        }
      json_array_add_object_element (batch, gls_annotation_to_json (a));
    }

  json_array_unref (gls_store_bulk_docs (gls_workspace_get_store (ws), batch, TRUE, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *glossa = glossa_path ();
  g_autofree char *empty = g_dir_make_tmp ("glossa-bench-start-XXXXXX", NULL);
  g_autofree char *with_sample = g_dir_make_tmp ("glossa-bench-start-XXXXXX", NULL);
  g_autofree char *big = g_dir_make_tmp ("glossa-bench-start-XXXXXX", NULL);
  g_autofree char *huge = g_dir_make_tmp ("glossa-bench-start-XXXXXX", NULL);
  double t_empty, t_sample, t_big, t_huge;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("bench-startup needs a display: run it under xvfb-run\n");
      return 77;
    }

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);

  t_empty = median_start (glossa, empty, FALSE);
  time_start (glossa, with_sample, TRUE); /* imports the sample once */
  t_sample = median_start (glossa, with_sample, TRUE);
  make_big_workspace (big);
  t_big = median_start (glossa, big, FALSE);
  /* Issue 8's workspace: 100 designs of 1,000 annotations. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GlsWorkspace) ws = gls_workspace_open (huge, NULL, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < 100; i++)
      {
        g_autoptr(GlsDesign) d = add_design_n (ws, huge, i);

        fill (ws, d, 1000, FALSE);
      }
  }
  t_huge = median_start (glossa, huge, FALSE);

  g_print ("\nbench-startup: glossa started to its first frame (median of %d runs, %u cores)\n\n",
           RUNS, g_get_num_processors ());
  g_print ("| workspace | to first frame | budget |\n| --- | ---: | ---: |\n");
  g_print ("| new, empty | %.0f ms | 500 ms |\n", t_empty);
  g_print ("| the sample board (4 threads) | %.0f ms | 500 ms |\n", t_sample);
  g_print ("| 10,000 annotations in 2,000 threads | %.0f ms | 500 ms |\n", t_big);
  g_print ("| 100 designs of 1,000 annotations (100,201 documents) | %.0f ms | 500 ms |\n", t_huge);
  test_rm_rf (empty);
  test_rm_rf (with_sample);
  test_rm_rf (big);
  test_rm_rf (huge);

  return 0;
}
