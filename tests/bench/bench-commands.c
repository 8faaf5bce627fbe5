/* bench-commands.c: command-line commands in a big workspace, as whole
 * processes
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A workspace of 100 designs with 1,000 annotations each (BENCH_COMMANDS_
 * DESIGNS and _PER_DESIGN change that), opened once before (its indexes
 * made); then, RUNS times each, median and slowest:
 *   glossa comment DESIGN, glossa list DESIGN, glossa list (every design),
 *   and a one-shot glossa sync --pull of one new comment from glossa serve
 *   into a copy that was in step.
 */

#include "config.h"

#include <sys/wait.h>
#include <unistd.h>

#include "bench-peers.h"
#include "bench-data.h"

#define RUNS 10

static int
compare_ms (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Runs glossa with `args` (NULL-terminated) to its end; its time in ms. */
static double
run_glossa (const char *first,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  gint64 start;
  va_list args;

  g_ptr_array_add (argv, glossa_bin);
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  start = g_get_monotonic_time ();
  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
  return ms_since (start);
}

static void
print_row (const char *what,
           GArray     *samples,
           const char *budget)
{
  g_array_sort (samples, compare_ms);
  g_print ("| %s | **%.1f ms** | %.1f ms | %s |\n", what,
           g_array_index (samples, double, samples->len / 2),
           g_array_index (samples, double, samples->len - 1), budget);
}

int
main (int   argc,
      char *argv[])
{
  guint n_designs = g_getenv ("BENCH_COMMANDS_DESIGNS") ? (guint) atoi (g_getenv ("BENCH_COMMANDS_DESIGNS")) : 100;
  guint per_design = g_getenv ("BENCH_COMMANDS_PER_DESIGN") ? (guint) atoi (g_getenv ("BENCH_COMMANDS_PER_DESIGN")) : 1000;
  g_autofree char *tmp = g_dir_make_tmp ("glossa-bench-commands-XXXXXX", NULL);
  g_autofree char *data_dir = g_build_filename (tmp, "source", NULL);
  g_autofree char *mirror = g_build_filename (tmp, "mirror", NULL);
  g_autofree char *design = NULL;
  g_autoptr(GArray) comment = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) list_one = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) list_all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) sync_one = g_array_new (FALSE, FALSE, sizeof (double));
  Child serve = { NULL, };
  gint64 start;

  g_set_prgname ("bench-commands");
  if (g_getenv ("GLOSSA_BIN") != NULL)
    glossa_bin = g_strdup (g_getenv ("GLOSSA_BIN"));
  else
    {
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *bench_dir = g_path_get_dirname (exe);

      glossa_bin = g_build_filename (bench_dir, "..", "..", "src", "glossa", NULL);
    }

  g_printerr ("bench-commands: writing %u designs of %u annotations...\n", n_designs, per_design);
  start = g_get_monotonic_time ();
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GlsWorkspace) ws = gls_workspace_open (data_dir, NULL, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < n_designs; i++)
      {
        g_autoptr(GlsDesign) d = add_design_n (ws, tmp, i);

        fill (ws, d, per_design, FALSE);
        if (i == n_designs / 2)
          design = g_strdup (gls_design_get_id (d));
      }
  }
  g_printerr ("bench-commands: written in %.1f s; opening it once...\n", ms_since (start) / 1000.0);
  /* As after a first run: the store's indexes exist. */
  run_glossa ("list", design, "--data-dir", data_dir, NULL);

  for (guint r = 0; r < RUNS; r++)
    {
      double ms = run_glossa ("comment", design, "--text", "Is the silkscreen readable at 0.8 mm?",
                              "--point", "120,80", "--data-dir", data_dir, NULL);

      g_array_append_val (comment, ms);
      ms = run_glossa ("list", design, "--data-dir", data_dir, NULL);
      g_array_append_val (list_one, ms);
    }
  for (guint r = 0; r < 3; r++)
    {
      double ms = run_glossa ("list", "--data-dir", data_dir, NULL);

      g_array_append_val (list_all, ms);
    }

  /* One-shot sync of one new comment, into a copy in step. */
  if (glossa_serve (data_dir, TRUE, &serve))
    {
      run_glossa ("sync", serve.url, "--pull", "--data-dir", mirror, NULL);
      for (guint r = 0; r < RUNS; r++)
        {
          double ms;

          run_glossa ("comment", design, "--text", "One more", "--point", "10,10", "--data-dir", data_dir, NULL);
          ms = run_glossa ("sync", serve.url, "--pull", "--data-dir", mirror, NULL);
          g_array_append_val (sync_one, ms);
        }
      child_stop (&serve);
    }

  g_print ("\nbench-commands: a workspace of %u designs x %u annotations (%u documents), whole processes,"
           " %u cores\n\n", n_designs, per_design, n_designs * (per_design + 1) + 1, g_get_num_processors ());
  g_print ("| command | median | slowest | budget |\n| --- | ---: | ---: | ---: |\n");
  print_row ("`glossa comment DESIGN --text T --point X,Y`", comment, "< 60 ms");
  print_row ("`glossa list DESIGN` (one design's 200 threads)", list_one, "< 60 ms");
  print_row ("`glossa list` (every design, the whole workspace read)", list_all, "");
  if (sync_one->len > 0)
    print_row ("one-shot `glossa sync --pull` of one new comment", sync_one, "< 100 ms");

  if (g_getenv ("BENCH_COMMANDS_KEEP") != NULL)
    g_printerr ("bench-commands: kept %s (design %s)\n", data_dir, design);
  else
    test_rm_rf (tmp);
  return 0;
}
