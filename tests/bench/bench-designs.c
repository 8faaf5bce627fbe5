/* bench-designs.c: design files between peers, as whole processes
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For 20 designs of 10 MB, then one of 200 MB (random bytes behind a PNG
 * signature, so nothing compresses them):
 *   (i)   Glossa → Glossa: `glossa serve --http`, then `glossa sync --pull`
 *         into an empty data dir;
 *   (ii)  PouchDB Server → PouchDB Server, both on leveldb files, by
 *         POST /_replicate on the target;
 *   (iii) `cp -r` of the files and `sync`: what this disk allows.
 * Prints the time, MB/s and peak RSS of every process, and the peak RSS of
 * `glossa add` of each file. BENCH_RUNS (default 3) runs of each, median;
 * BENCH_DESIGNS_NO_POUCHDB=1 leaves (ii) out.
 */

#include "config.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bench-peers.h"

typedef struct
{
  const char *label;
  guint       count;
  guint       mb;
} Set;

typedef struct
{
  double ms;
  gint64 rss_a;  /* KB: the source (glossa serve, the source node) */
  gint64 rss_b;  /* KB: the puller (glossa sync, the target node) */
} Figure;

static guint n_runs = 3;

/* Runs argv to its end: wall time and peak RSS (KB) of the process. */
static gboolean
run_measured (const char *const *argv,
              double             *ms,
              gint64             *rss_kb)
{
  g_autoptr(GError) error = NULL;
  struct rusage usage;
  gint64 start = g_get_monotonic_time ();
  int status;
  GPid pid;

  if (!g_spawn_async (NULL, (char **) argv, NULL,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &pid, &error))
    {
      bench_warn ("cannot run %s: %s\n", argv[0], error->message);
      return FALSE;
    }
  if (wait4 (pid, &status, 0, &usage) != pid)
    return FALSE;
  *ms = ms_since (start);
  *rss_kb = usage.ru_maxrss;
  g_spawn_close_pid (pid);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      bench_warn ("%s %s failed (%d)\n", argv[0], argv[1], status);
      return FALSE;
    }
  return TRUE;
}

/* VmHWM of a running process, in KB. */
static gint64
peak_rss_of (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (process));
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || !(line = strstr (text, "VmHWM:")))
    return -1;
  return g_ascii_strtoll (line + strlen ("VmHWM:"), NULL, 10);
}

static void
make_files (const char *dir,
            const Set  *set)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (set->count * 7919 + set->mb);
  gsize size = (gsize) set->mb << 20;
  g_autofree guint32 *data = g_malloc (size + 4);

  g_mkdir_with_parents (dir, 0700);
  for (guint i = 0; i < set->count; i++)
    {
      g_autofree char *name = g_strdup_printf ("design-%02u.png", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;

      for (gsize k = 0; k < size / 4 + 1; k++)
        data[k] = g_rand_int (rand);
      memcpy (data, "\x89PNG\r\n\x1a\n", 8);
      if (!g_file_set_contents (path, (const char *) data, size, &error))
        g_error ("%s", error->message);
    }
}

/* --- (i) Glossa → Glossa --- */

static gint64
glossa_add_all (const char *files,
                const char *data_dir,
                const Set  *set)
{
  gint64 peak = 0;

  for (guint i = 0; i < set->count; i++)
    {
      g_autofree char *name = g_strdup_printf ("design-%02u.png", i);
      g_autofree char *path = g_build_filename (files, name, NULL);
      const char *argv[] = { glossa_bin, "add", path, "--data-dir", data_dir, NULL };
      double ms;
      gint64 rss;

      if (!run_measured (argv, &ms, &rss))
        return -1;
      peak = MAX (peak, rss);
    }
  return peak;
}

static gboolean
glossa_round (const char *source_dir,
              const char *work,
              guint       run,
              Figure     *figure)
{
  g_autofree char *target = g_strdup_printf ("%s/glossa-target-%u", work, run);
  Child serve = { NULL, };
  gboolean ok;

  if (!glossa_serve (source_dir, TRUE, &serve))
    return FALSE;
  {
    const char *argv[] = { glossa_bin, "sync", serve.url, "--pull", "--data-dir", target, NULL };

    ok = run_measured (argv, &figure->ms, &figure->rss_b);
  }
  figure->rss_a = peak_rss_of (serve.process);
  child_stop (&serve);
  test_rm_rf (target);
  return ok;
}

/* --- (ii) PouchDB Server → PouchDB Server --- */

static gboolean
pouchdb_put_file (Child      *server,
                  const char *db,
                  const char *id,
                  const char *path)
{
  g_autofree char *url = g_strdup_printf ("%s/%s/%s/file", server->url, db, id);
  g_autoptr(SoupMessage) msg = soup_message_new ("PUT", url);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, NULL);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  if (stream == NULL || g_stat (path, &st) != 0)
    return FALSE;
  soup_message_set_request_body (msg, "image/png", G_INPUT_STREAM (stream), st.st_size);
  answer = soup_session_send_and_read (http, msg, NULL, &error);
  if (answer == NULL || soup_message_get_status (msg) != 201)
    {
      bench_warn ("PUT %s: HTTP %u %s%.200s\n", url, soup_message_get_status (msg),
                  error != NULL ? error->message : "",
                  answer != NULL && g_bytes_get_data (answer, NULL) != NULL
                  ? (const char *) g_bytes_get_data (answer, NULL) : "");
      return FALSE;
    }
  return TRUE;
}

static gboolean
pouchdb_round (const char *bin,
               const char *files,
               const Set  *set,
               Figure     *figure)
{
  Child a = { NULL, }, b = { NULL, };
  g_autofree char *source = NULL;
  gboolean ok = FALSE;
  gint64 written = 0;
  guint status = 0;

  if (!pouchdb_server (bin, FALSE, &a) || !pouchdb_server (bin, FALSE, &b))
    goto out;
  {
    g_autofree char *url = g_strdup_printf ("%s/designs", a.url);
    g_autoptr(JsonNode) created = http_json ("PUT", url, NULL, &status);
  }
  for (guint i = 0; i < set->count; i++)
    {
      g_autofree char *name = g_strdup_printf ("design-%02u.png", i);
      g_autofree char *path = g_build_filename (files, name, NULL);
      g_autofree char *id = g_strdup_printf ("design-%02u", i);

      if (!pouchdb_put_file (&a, "designs", id, path))
        goto out;
    }
  source = g_strdup_printf ("%s/designs", a.url);
  figure->ms = pouchdb_replicate (&b, source, "designs", &written);
  if (figure->ms < 0 || written != set->count)
    {
      bench_warn ("PouchDB wrote %" G_GINT64_FORMAT " of %u designs\n", written, set->count);
      goto out;
    }
  /* The source's peak includes taking the designs in. */
  figure->rss_a = peak_rss_of (a.process);
  figure->rss_b = peak_rss_of (b.process);
  ok = TRUE;

out:
  child_stop (&a);
  child_stop (&b);
  return ok;
}

/* --- (iii) cp + sync --- */

static gboolean
cp_round (const char *files,
          const char *work,
          guint       run,
          Figure     *figure)
{
  g_autofree char *target = g_strdup_printf ("%s/cp-%u", work, run);
  g_autofree char *script = g_strdup_printf ("cp -r '%s' '%s' && sync", files, target);
  const char *argv[] = { "/bin/sh", "-c", script, NULL };
  gboolean ok;

  /* Nothing of this benchmark's own waiting in the page cache. */
  sync ();
  ok = run_measured (argv, &figure->ms, &figure->rss_b);
  figure->rss_a = -1;
  test_rm_rf (target);
  return ok;
}

static int
compare_ms (gconstpointer a,
            gconstpointer b)
{
  const Figure *fa = a, *fb = b;

  return (fa->ms > fb->ms) - (fa->ms < fb->ms);
}

/* The median run (by time); its RSS are those of that run, the peaks
 * the highest of all runs. */
static Figure
median_of (GArray *runs)
{
  Figure m;
  gint64 peak_a = -1, peak_b = -1;

  for (guint i = 0; i < runs->len; i++)
    {
      peak_a = MAX (peak_a, g_array_index (runs, Figure, i).rss_a);
      peak_b = MAX (peak_b, g_array_index (runs, Figure, i).rss_b);
    }
  g_array_sort (runs, compare_ms);
  m = g_array_index (runs, Figure, runs->len / 2);
  m.rss_a = peak_a;
  m.rss_b = peak_b;
  return m;
}

static void
print_row (const char *what,
           const Set  *set,
           Figure     *f,
           const char *a_name,
           const char *b_name)
{
  double mb = (double) set->count * set->mb;

  g_print ("  %-36s %8.2f s %8.1f MB/s", what, f->ms / 1000.0, mb / (f->ms / 1000.0));
  if (f->rss_a >= 0)
    g_print ("   %s %5.1f MB", a_name, f->rss_a / 1024.0);
  if (f->rss_b >= 0)
    g_print ("   %s %5.1f MB", b_name, f->rss_b / 1024.0);
  g_print ("\n");
}

int
main (int   argc,
      char *argv[])
{
  const Set sets[] = {
    { "20 designs of 10 MB", 20, 10 },
    { "one design of 200 MB", 1, 200 },
  };
  g_autofree char *pouch_bin = g_getenv ("BENCH_DESIGNS_NO_POUCHDB") ? NULL : find_pouchdb_server (argv[0]);
  g_autofree char *work = NULL;

  g_set_prgname ("bench-designs");
  if (g_getenv ("BENCH_RUNS") != NULL)
    n_runs = MAX (1, atoi (g_getenv ("BENCH_RUNS")));
  if (g_getenv ("GLOSSA_BIN") != NULL)
    glossa_bin = g_strdup (g_getenv ("GLOSSA_BIN"));
  else
    {
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *bench_dir = g_path_get_dirname (exe);

      glossa_bin = g_build_filename (bench_dir, "..", "..", "src", "glossa", NULL);
    }
  http = soup_session_new_with_options ("timeout", 900, "proxy-resolver", NULL, NULL);
  /* On disk, as the data would be: /tmp may be memory. */
  work = g_strdup_printf ("%s/glossa-bench-designs-%d", g_get_current_dir (), getpid ());
  g_mkdir_with_parents (work, 0700);

  g_print ("bench-designs: design files between peers, whole processes, %u run%s each (median time,"
           " highest peak RSS)\n", n_runs, n_runs == 1 ? "" : "s");
  for (guint s = 0; s < G_N_ELEMENTS (sets); s++)
    {
      const Set *set = &sets[s];
      g_autofree char *files = g_strdup_printf ("%s/files-%u", work, s);
      g_autofree char *source = g_strdup_printf ("%s/glossa-source-%u", work, s);
      g_autoptr(GArray) glossa = g_array_new (FALSE, FALSE, sizeof (Figure));
      g_autoptr(GArray) pouch = g_array_new (FALSE, FALSE, sizeof (Figure));
      g_autoptr(GArray) cp = g_array_new (FALSE, FALSE, sizeof (Figure));
      Figure fg, fp, fc;
      gint64 add_rss;

      make_files (files, set);
      add_rss = glossa_add_all (files, source, set);
      for (guint r = 0; r < n_runs; r++)
        {
          Figure f;

          if (glossa_round (source, work, r, &f))
            g_array_append_val (glossa, f);
          if (pouch_bin != NULL && pouchdb_round (pouch_bin, files, set, &f))
            g_array_append_val (pouch, f);
          if (cp_round (files, work, r, &f))
            g_array_append_val (cp, f);
        }

      g_print ("\n%s (%u MB)\n", set->label, set->count * set->mb);
      g_print ("  glossa add, each file: peak RSS %.1f MB\n", add_rss / 1024.0);
      if (glossa->len > 0)
        {
          fg = median_of (glossa);
          print_row ("Glossa → Glossa (serve → sync --pull)", set, &fg, "serve", "sync");
        }
      if (pouch->len > 0)
        {
          fp = median_of (pouch);
          print_row ("PouchDB Server → PouchDB Server", set, &fp, "source", "target");
        }
      else if (pouch_bin != NULL)
        /* Seen with 200 MB: its PUT of the file fails ("RangeError:
         * Invalid array length") and the server goes down. */
        g_print ("  %-36s failed: it could not take the designs (above)\n", "PouchDB Server → PouchDB Server");
      if (cp->len > 0)
        {
          fc = median_of (cp);
          print_row ("cp -r + sync (the disk's limit)", set, &fc, "", "cp");
        }
      if (glossa->len > 0 && pouch->len > 0)
        g_print ("  Glossa / PouchDB: %.1f× the speed\n", fp.ms / fg.ms);
      test_rm_rf (files);
      test_rm_rf (source);
    }

  test_rm_rf (work);
  return 0;
}
