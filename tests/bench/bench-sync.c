/* bench-sync.c: replication speed (issue 3, point 10)
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * Prints one table:
 *
 *  - 20,000 annotations (plus their design, with its file attached),
 *    replicated (i) Glossa -> Glossa: a `glossa serve` child process, pulled
 *    by a GlsReplicator into an empty store in this process (as `glossa
 *    sync` does), over plain HTTP and over HTTPS with the certificate pinned
 *    (as share links are; the runs alternate); also with the server in this
 *    process, for comparison;
 *    (ii) PouchDB Server -> PouchDB Server, (iii) Glossa -> PouchDB Server,
 *    both through the target's POST /_replicate, timed end to end; (iv)
 *    PouchDB Server -> Glossa (our replicator pulling).
 *  - In a 100,000-document workspace: one new comment, from the call that
 *    writes it until it is committed in a live peer's store (a continuous
 *    replicator pulling), 20 times; and a one-shot sync of one new comment
 *    (a new replicator run that resumes from the checkpoints), 20 times.
 *
 * PouchDB Server comes from tests/interop/node_modules (npm ci there); the
 * program looks for it under $GLOSSA_SOURCE_DIR, else above the build dir.
 * Without it, the PouchDB rows say so. The glossa binary is $GLOSSA_BIN, or
 * src/glossa of the build dir this bench is in.
 *
 * Environment: BENCH_SYNC_DOCS and BENCH_SYNC_BIG_DOCS change the 20,000 and
 * 100,000 (for quick runs); BENCH_SYNC_BATCH sets the replicator's batch size;
 * BENCH_SYNC_RUNS (3) is how many times each 20,000-document replication
 * runs (the table shows the median and the range); BENCH_SYNC_NO_POUCHDB
 * skips PouchDB Server; BENCH_SYNC_KEEP keeps the temp dir.
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "gls-hlc.h"
#include "gls-identity.h"
#include "gls-peer-server.h"
#include "gls-proof.h"
#include "gls-replicator.h"
#include "gls-workspace.h"
#include "../test-util.h"
#include "bench-peers.h"
#include "bench-data.h"

#define N_DOCS_DEFAULT     20000
#define N_BIG_DEFAULT      100000
#define N_LATENCY_RUNS     20
#define WRITE_BATCH        1000

static guint n_docs = N_DOCS_DEFAULT;
static guint n_big = N_BIG_DEFAULT;
static guint batch_size = 0;   /* 0: the replicator's default */
static char *glossa_bin;

/* --- small helpers --- */

/* `glossa sync --pull URL` into a new data dir, as a user runs it: the
 * whole process's time, and how many documents it wrote. */
static double
sync_command (const char *url,
              const char *data_dir,
              gint64     *n)
{
  const char *argv[] = { glossa_bin, "sync", url, "--pull", "--data-dir", data_dir, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsStore) pulled = NULL;
  g_autofree char *path = g_build_filename (data_dir, "workspaces", "default.sqlite", NULL);
  gint64 start = g_get_monotonic_time ();
  double ms;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  pulled = gls_store_open (path, &error);
  g_assert_no_error (error);
  *n = gls_store_get_doc_count (pulled);
  return ms;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return (da > db) - (da < db);
}

/* The sample at quantile q (0.5: median, 0.9: p90, 1: max). */
static double
quantile (GArray *samples,
          double  q)
{
  guint i;

  g_array_sort (samples, compare_doubles);
  i = (guint) (q * samples->len + 0.5);
  i = i == 0 ? 0 : i - 1;
  return g_array_index (samples, double, MIN (i, samples->len - 1));
}

static void
iterate_until (const gboolean *flag)
{
  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
timeout_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
sleep_in_loop (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_flag_cb, &done);
  iterate_until (&done);
}

/* --- replication with GlsReplicator --- */

typedef struct
{
  gboolean  done;
  GError   *error;
} Wait;

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Wait *wait = data;

  gls_replicator_run_finish (GLS_REPLICATOR (source), result, &wait->error);
  wait->done = TRUE;
}

static GlsReplicator *
new_replicator (GlsStore   *local,
                const char *url)
{
  GlsReplicator *r = gls_replicator_new (local, url, GLS_REPLICATOR_DIRECTION_PULL);

  if (batch_size > 0)
    gls_replicator_set_batch_size (r, batch_size);
  return r;
}

/* One-shot pull; returns the milliseconds it took. */
static double
pull_once (GlsStore   *local,
           const char *url,
           gint64     *written)
{
  g_autoptr(GlsReplicator) r = new_replicator (local, url);
  Wait wait = { FALSE, NULL };
  gint64 start = g_get_monotonic_time ();
  double took;

  gls_replicator_run_async (r, NULL, run_done_cb, &wait);
  iterate_until (&wait.done);
  took = ms_since (start);
  g_assert_no_error (wait.error);
  if (written != NULL)
    *written = gls_replicator_get_docs_written (r);
  return took;
}

static GlsStore *
empty_store (const char *dir,
             const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  GlsStore *store = gls_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

/* --- latency in the big workspace --- */

typedef struct
{
  gint64   seq;
  gint64   at;
} Arrival;

static void
arrived_cb (GlsStore *store,
            gint64    seq,
            gpointer  data)
{
  Arrival *arrival = data;

  if (seq > arrival->seq)
    {
      arrival->seq = seq;
      arrival->at = g_get_monotonic_time ();
    }
}

static gboolean
has_doc (GlsStore   *store,
         const char *id)
{
  g_autoptr(JsonObject) doc = gls_store_get (store, id, NULL, GLS_STORE_GET_NONE, NULL);

  return doc != NULL;
}

static void
state_cb (GObject    *object,
          GParamSpec *pspec,
          gpointer    data)
{
  if (gls_replicator_get_state (GLS_REPLICATOR (object)) == GLS_REPLICATOR_STATE_LIVE)
    *(gboolean *) data = TRUE;
}

/* 20 comments written in `writer`; each timed until `peer` (pulling from
 * `url` with a continuous replicator) has committed it. */
static void
measure_live (GlsWorkspace *writer,
              const char   *design_id,
              GlsStore     *peer,
              const char   *url,
              GArray       *samples)
{
  g_autoptr(GlsReplicator) r = new_replicator (peer, url);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Wait wait = { FALSE, NULL };
  Arrival arrival = { gls_store_get_update_seq (peer), 0 };
  gboolean live = FALSE;
  gulong changed_id, state_id;

  gls_replicator_set_continuous (r, TRUE);
  state_id = g_signal_connect (r, "notify::state", G_CALLBACK (state_cb), &live);
  gls_replicator_run_async (r, cancellable, run_done_cb, &wait);
  iterate_until (&live);
  changed_id = g_signal_connect (peer, "changed", G_CALLBACK (arrived_cb), &arrival);
  /* Let the longpoll reach the server. */
  sleep_in_loop (200);

  for (guint i = 0; i < N_LATENCY_RUNS; i++)
    {
      GlsSelector sel = { GLS_SELECTOR_POINT, 0, 100 + i, 200, 0, 0 };
      g_autoptr(GlsAnnotation) a = NULL;
      g_autoptr(GError) error = NULL;
      gint64 before = arrival.seq;
      gint64 start = g_get_monotonic_time ();
      double took;

      a = gls_workspace_comment (writer, design_id, &sel, "A new comment, live", &error);
      g_assert_no_error (error);
      if (g_getenv ("BENCH_SYNC_DEBUG"))
        g_printerr ("comment written in %.1f ms\n", ms_since (start));
      while (arrival.seq == before)
        g_main_context_iteration (NULL, TRUE);
      took = (arrival.at - start) / 1000.0;
      g_assert_true (has_doc (peer, gls_annotation_get_id (a)));
      g_array_append_val (samples, took);
      /* The replicator checkpoints, then polls again. */
      sleep_in_loop (100);
    }

  g_signal_handler_disconnect (peer, changed_id);
  g_signal_handler_disconnect (r, state_id);
  g_cancellable_cancel (cancellable);
  iterate_until (&wait.done);
  g_clear_error (&wait.error);
}

/* 20 comments written in `writer`; after each, a new one-shot replicator
 * run (existing checkpoints) brings it to `peer`. */
static void
measure_one_shot (GlsWorkspace *writer,
                  const char   *design_id,
                  GlsStore     *peer,
                  const char   *url,
                  GArray       *samples)
{
  for (guint i = 0; i < N_LATENCY_RUNS; i++)
    {
      GlsSelector sel = { GLS_SELECTOR_POINT, 0, 100 + i, 300, 0, 0 };
      g_autoptr(GlsAnnotation) a = NULL;
      g_autoptr(GError) error = NULL;
      gint64 written = 0;
      double took;

      a = gls_workspace_comment (writer, design_id, &sel, "A new comment, one-shot", &error);
      g_assert_no_error (error);
      /* Let the store's ::changed settle first: it is not the sync's. */
      sleep_in_loop (50);
      took = pull_once (peer, url, &written);
      g_assert_cmpint (written, ==, 1);
      g_assert_true (has_doc (peer, gls_annotation_get_id (a)));
      g_array_append_val (samples, took);
    }
}

/* --- the table --- */

typedef struct
{
  GArray  *ms;      /* one per run that worked */
  gint64   docs;    /* documents written by each run */
  gboolean tried;
} Rate;

static void
rate_add (Rate   *rate,
          double  ms,
          gint64  docs)
{
  rate->tried = TRUE;
  if (ms < 0)
    return;
  if (rate->ms == NULL)
    rate->ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_array_append_val (rate->ms, ms);
  rate->docs = docs;
}

/* Documents per second of the median run, or -1. */
static double
rate_per_s (Rate *rate)
{
  if (rate->ms == NULL || rate->ms->len == 0)
    return -1;
  return rate->docs / (quantile (rate->ms, 0.5) / 1000.0);
}

static void
print_rate_row (const char *what,
                Rate       *rate)
{
  if (rate->ms == NULL || rate->ms->len == 0)
    g_print ("| %s | %s | | |\n", what, rate->tried ? "failed" : "not run");
  else
    g_print ("| %s | %" G_GINT64_FORMAT " docs, median %.2f s (%.2f-%.2f s, %u run%s) | **%.0f docs/s** | |\n",
             what, rate->docs, quantile (rate->ms, 0.5) / 1000.0, quantile (rate->ms, 0.0) / 1000.0,
             quantile (rate->ms, 1.0) / 1000.0, rate->ms->len, rate->ms->len == 1 ? "" : "s",
             rate_per_s (rate));
}

static void
print_latency_row (const char *what,
                   GArray     *samples,
                   const char *budget)
{
  if (samples->len == 0)
    {
      g_print ("| %s | not measured | | %s |\n", what, budget);
      return;
    }
  g_print ("| %s | median **%.1f ms** | p90 %.1f ms, max %.1f ms | %s |\n", what,
           quantile (samples, 0.5), quantile (samples, 0.9), quantile (samples, 1.0), budget);
}

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *text = g_getenv (name);
  guint64 value;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &value, NULL))
    return value;
  return fallback;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *tmp = g_dir_make_tmp ("glossa-bench-sync-XXXXXX", NULL);
  g_autofree char *small_dir = g_build_filename (tmp, "small", NULL);
  g_autofree char *signed_dir = g_build_filename (tmp, "signed", NULL);
  g_autofree char *big_dir = g_build_filename (tmp, "big", NULL);
  g_autofree char *pouch_bin = g_getenv ("BENCH_SYNC_NO_POUCHDB") ? NULL : find_pouchdb_server (argv[0]);
  g_autofree char *small_design = NULL;
  g_autofree char *big_design = NULL;
  g_autoptr(GArray) live_one = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) live_two = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) shot_one = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) shot_two = g_array_new (FALSE, FALSE, sizeof (double));
  Child glossa = { 0, }, glossa_tls = { 0, }, glossa_signed = { 0, }, pouch_a = { 0, }, pouch_b = { 0, };
  Rate gg_cmd = { 0, }, gg_two = { 0, }, gg_tls = { 0, }, gg_signed = { 0, }, verify_open = { 0, }, gg_one = { 0, }, pp = { 0, }, gp = { 0, }, pg = { 0, }, big_pull = { 0, };
  double made_ms;
  guint runs;
  gint64 start;

  g_set_prgname ("bench-sync");
  n_docs = env_uint ("BENCH_SYNC_DOCS", N_DOCS_DEFAULT);
  n_big = env_uint ("BENCH_SYNC_BIG_DOCS", N_BIG_DEFAULT);
  batch_size = env_uint ("BENCH_SYNC_BATCH", 0);
  runs = env_uint ("BENCH_SYNC_RUNS", 3);
  if (g_getenv ("GLOSSA_BIN") != NULL)
    glossa_bin = g_strdup (g_getenv ("GLOSSA_BIN"));
  else
    {
      g_autofree char *self = g_canonicalize_filename (argv[0], NULL);
      g_autofree char *bench_dir = g_path_get_dirname (self);

      glossa_bin = g_build_filename (bench_dir, "..", "..", "src", "glossa", NULL);
    }
  http = soup_session_new_with_options ("timeout", 900, "proxy-resolver", NULL, NULL);

  g_printerr ("bench-sync: writing %u annotations...\n", n_docs);
  start = g_get_monotonic_time ();
  small_design = make_workspace (small_dir, n_docs, FALSE);
  made_ms = ms_since (start);
  g_printerr ("bench-sync: writing %u signed annotations...\n", n_docs);
  g_free (make_workspace (signed_dir, n_docs, TRUE));

  /* (i) Glossa -> Glossa, two processes: `glossa serve` and a replicator,
   * plain HTTP and HTTPS (pinned) by turns, so both see the same machine. */
  if (glossa_serve (small_dir, TRUE, &glossa))
    {
      gboolean tls = glossa_serve (small_dir, FALSE, &glossa_tls);
      gboolean sig = glossa_serve (signed_dir, TRUE, &glossa_signed);

      g_printerr ("bench-sync: (i) Glossa -> Glossa, two processes, HTTP%s...\n", tls ? " and HTTPS" : "");
      for (guint i = 0; i < runs; i++)
        {
          g_autofree char *name = g_strdup_printf ("gg-two-%u.sqlite", i);
          g_autofree char *tls_name = g_strdup_printf ("gg-tls-%u.sqlite", i);
          g_autoptr(GlsStore) local = empty_store (tmp, name);
          g_autoptr(GlsStore) tls_local = tls ? empty_store (tmp, tls_name) : NULL;
          gint64 n = 0;
          double ms = pull_once (local, glossa.url, &n);
          g_autofree char *cmd_dir = g_strdup_printf ("%s/gg-cmd-%u", tmp, i);

          rate_add (&gg_two, ms, n);
          ms = sync_command (glossa.url, cmd_dir, &n);
          rate_add (&gg_cmd, ms, n);
          if (tls)
            {
              ms = pull_once (tls_local, glossa_tls.url, &n);
              rate_add (&gg_tls, ms, n);
            }
          if (sig)
            {
              /* Into a data dir: the workspace then checks every proof. */
              g_autofree char *data_dir = g_strdup_printf ("%s/gg-signed-%u", tmp, i);
              g_autofree char *store_dir = g_build_filename (data_dir, "workspaces", NULL);
              g_autoptr(GError) error = NULL;

              g_assert_cmpint (g_mkdir_with_parents (store_dir, 0700), ==, 0);
              {
                g_autoptr(GlsStore) signed_local = empty_store (store_dir, "default.sqlite");

                ms = pull_once (signed_local, glossa_signed.url, &n);
                rate_add (&gg_signed, ms, n);
              }
              start = g_get_monotonic_time ();
              {
                g_autoptr(GlsWorkspace) ws = gls_workspace_open (data_dir, NULL, &error);

                g_assert_no_error (error);
              }
              rate_add (&verify_open, ms_since (start), n);
            }
        }
      child_stop (&glossa_tls);
      child_stop (&glossa_signed);
    }

  /* (i) again, with the server in this process. */
  {
    g_autofree char *path = g_build_filename (small_dir, "workspaces", "default.sqlite", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GlsStore) served = gls_store_open (path, &error);
    g_autoptr(GlsPeerServer) server = gls_peer_server_new (NULL);
    g_autofree char *uri = NULL;
    g_autofree char *url = NULL;

    g_assert_no_error (error);
    g_assert_true (gls_peer_server_add_database (server, "default", served, &error));
    g_assert_true (gls_peer_server_listen (server, "127.0.0.1", 0, &error));
    uri = gls_peer_server_dup_uri (server);
    url = g_strconcat (uri, "default", NULL);
    g_printerr ("bench-sync: (i) Glossa -> Glossa, one process...\n");
    for (guint i = 0; i < runs; i++)
      {
        g_autofree char *name = g_strdup_printf ("gg-one-%u.sqlite", i);
        g_autoptr(GlsStore) local = empty_store (tmp, name);
        gint64 n = 0;
        double ms = pull_once (local, url, &n);

        rate_add (&gg_one, ms, n);
      }
    gls_peer_server_disconnect (server);
  }

  if (pouch_bin != NULL && glossa.url != NULL
      && pouchdb_server (pouch_bin, TRUE, &pouch_a) && pouchdb_server (pouch_bin, TRUE, &pouch_b))
    {
      g_autofree char *a_db = g_strdup_printf ("%s/bench0", pouch_a.url);

      /* (iii) Glossa -> PouchDB Server: it pulls from `glossa serve`. */
      g_printerr ("bench-sync: (iii) Glossa -> PouchDB Server...\n");
      for (guint i = 0; i < runs; i++)
        {
          g_autofree char *db = g_strdup_printf ("bench%u", i);
          gint64 n = 0;
          double ms = pouchdb_replicate (&pouch_a, glossa.url, db, &n);

          rate_add (&gp, ms, n);
          /* The annotations, the design, and its author's profile. */
          if (ms >= 0 && pouchdb_doc_count (&pouch_a, db) != n_docs + 2)
            g_printerr ("bench-sync: PouchDB Server holds %" G_GINT64_FORMAT " documents, not %u\n",
                        pouchdb_doc_count (&pouch_a, db), n_docs + 2);
        }

      /* (ii) PouchDB Server -> PouchDB Server: b pulls a's copy. */
      g_printerr ("bench-sync: (ii) PouchDB Server -> PouchDB Server...\n");
      for (guint i = 0; gp.ms != NULL && i < runs; i++)
        {
          g_autofree char *db = g_strdup_printf ("copy%u", i);
          gint64 n = 0;
          double ms = pouchdb_replicate (&pouch_b, a_db, db, &n);

          rate_add (&pp, ms, n);
        }

      /* (iv) PouchDB Server -> Glossa: our replicator pulls a's copy. */
      g_printerr ("bench-sync: (iv) PouchDB Server -> Glossa...\n");
      for (guint i = 0; gp.ms != NULL && i < runs; i++)
        {
          g_autofree char *name = g_strdup_printf ("pg-%u.sqlite", i);
          g_autoptr(GlsStore) local = empty_store (tmp, name);
          gint64 n = 0;
          double ms = pull_once (local, a_db, &n);

          rate_add (&pg, ms, n);
        }
    }
  else if (pouch_bin == NULL)
    g_printerr ("bench-sync: no pouchdb-server (run npm ci in tests/interop): skipping (ii)-(iv)\n");
  child_stop (&pouch_a);
  child_stop (&pouch_b);
  child_stop (&glossa);

  /* The big workspace. */
  g_printerr ("bench-sync: writing %u annotations...\n", n_big);
  big_design = make_workspace (big_dir, n_big, FALSE);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GlsWorkspace) writer = gls_workspace_open (big_dir, NULL, &error);
    g_autoptr(GlsStore) peer = empty_store (tmp, "peer.sqlite");
    g_autoptr(GlsPeerServer) server = gls_peer_server_new (NULL);
    g_autofree char *key = gls_peer_server_generate_key ();
    g_autofree char *uri = NULL;
    g_autofree char *url = NULL;

    g_assert_no_error (error);
    g_assert_true (gls_peer_server_add_database (server, "default", gls_workspace_get_store (writer), &error));
    gls_peer_server_set_keys (server, "default", key, NULL);
    g_assert_true (gls_peer_server_listen (server, "127.0.0.1", 0, &error));
    uri = gls_peer_server_dup_uri (server);
    url = g_strdup_printf ("http://peer:%s@127.0.0.1:%u/default", key, gls_peer_server_get_port (server));

    /* The peer catches up first. */
    g_printerr ("bench-sync: a peer pulls the %u documents...\n", n_big + 1);
    {
      gint64 n = 0;
      double ms = pull_once (peer, url, &n);

      rate_add (&big_pull, ms, n);
    }

    /* One process: the writer serves its own workspace, as the GUI does. */
    g_printerr ("bench-sync: live and one-shot, one process...\n");
    measure_live (writer, big_design, peer, url, live_one);
    measure_one_shot (writer, big_design, peer, url, shot_one);
    gls_peer_server_disconnect (server);

    /* Two processes: `glossa serve` serves the file this process writes. */
    if (glossa_serve (big_dir, TRUE, &glossa))
      {
        g_autoptr(GlsStore) peer2 = empty_store (tmp, "peer2.sqlite");

        g_printerr ("bench-sync: live and one-shot, two processes...\n");
        /* Start from the same state as the first peer: copy-free, pull. */
        pull_once (peer2, glossa.url, NULL);
        measure_live (writer, big_design, peer2, glossa.url, live_two);
        measure_one_shot (writer, big_design, peer2, glossa.url, shot_two);
        child_stop (&glossa);
      }
  }

  g_print ("\nbench-sync: replication speed (%u cores; replicator batch size %u; loopback, HTTP unless said)\n\n",
           g_get_num_processors (), batch_size > 0 ? batch_size : GLS_REPLICATOR_DEFAULT_BATCH_SIZE);
  g_print ("| measure | result | rate | budget |\n| --- | ---: | ---: | ---: |\n");
  g_print ("| writing the %u annotations + 1 design (bulk_docs, %u per call) | %.2f s | %.0f docs/s | |\n",
           n_docs, WRITE_BATCH, made_ms / 1000.0, (n_docs + 1) / (made_ms / 1000.0));
  print_rate_row ("(i-cmd) Glossa -> Glossa as commands: `glossa serve --http`, then `glossa sync --pull`"
                  " into a new data dir, the whole process timed", &gg_cmd);
  if (rate_per_s (&gg_cmd) > 0 && rate_per_s (&pp) > 0)
    g_print ("| ratio (i-cmd)/(ii), documents per second (medians) | **%.1fx** | | >= 10 (issue 8), "
             ">= 35,000 docs/s |\n", rate_per_s (&gg_cmd) / rate_per_s (&pp));
  print_rate_row ("(i) Glossa -> Glossa: `glossa serve --http` -> GlsReplicator pull, two processes", &gg_two);
  print_rate_row ("(i-tls) the same over HTTPS, the certificate pinned (`glossa serve`, a share link)", &gg_tls);
  if (rate_per_s (&gg_two) > 0 && rate_per_s (&gg_tls) > 0)
    g_print ("| HTTPS pull time / HTTP pull time (medians) | **%.2fx** | | <= 1.2 |\n",
             quantile (gg_tls.ms, 0.5) / quantile (gg_two.ms, 0.5));
  else
    g_print ("| HTTPS pull time / HTTP pull time | not measured | | <= 1.2 |\n");
  print_rate_row ("(i-signed) as (i), the same annotations each signed by its author (eddsa-jcs-2022)", &gg_signed);
  if (rate_per_s (&gg_two) > 0 && rate_per_s (&gg_signed) > 0)
    g_print ("| signed pull time / unsigned pull time (medians) | **%.2fx** | | < 1.1 |\n",
             quantile (gg_signed.ms, 0.5) / quantile (gg_two.ms, 0.5));
  print_rate_row ("then opening the pulled workspace, every proof checked (off the pull's write path: "
                  "the GUI does it in the workspace's worker)", &verify_open);
  print_rate_row ("(i') Glossa -> Glossa, server and replicator in one process", &gg_one);
  print_rate_row ("(ii) PouchDB Server -> PouchDB Server (POST /_replicate)", &pp);
  print_rate_row ("(iii) Glossa -> PouchDB Server (POST /_replicate pulling from `glossa serve`)", &gp);
  print_rate_row ("(iv) PouchDB Server -> Glossa (GlsReplicator pull)", &pg);
  if (rate_per_s (&gg_two) > 0 && rate_per_s (&pp) > 0)
    g_print ("| ratio (i)/(ii), documents per second (medians) | **%.1fx** | | >= 5 |\n",
             rate_per_s (&gg_two) / rate_per_s (&pp));
  else
    g_print ("| ratio (i)/(ii), documents per second | not measured | | >= 5 |\n");
  print_rate_row ("a peer pulls the big workspace (one process)", &big_pull);
  {
    g_autofree char *live = g_strdup_printf ("one comment in a %u-doc workspace reaches a live peer, one process (%d runs)",
                                             n_big + 1, N_LATENCY_RUNS);
    g_autofree char *live2 = g_strdup_printf ("the same, `glossa serve` in another process (%d runs)", N_LATENCY_RUNS);
    g_autofree char *shot = g_strdup_printf ("one-shot sync of one new comment, one process (%d runs)", N_LATENCY_RUNS);
    g_autofree char *shot2 = g_strdup_printf ("the same, `glossa serve` in another process (%d runs)", N_LATENCY_RUNS);

    print_latency_row (live, live_one, "< 5 ms (issue 8; < 200 ms in issue 3)");
    print_latency_row (live2, live_two, "< 10 ms (issue 8; < 200 ms in issue 3)");
    print_latency_row (shot, shot_one, "< 50 ms");
    print_latency_row (shot2, shot_two, "< 50 ms");
  }

  g_clear_object (&http);
  g_free (glossa_bin);
  for (guint i = 0; i < 8; i++)
    {
      Rate *all[] = { &gg_cmd, &gg_two, &gg_tls, &gg_one, &pp, &gp, &pg, &big_pull };

      g_clear_pointer (&all[i]->ms, g_array_unref);
    }
  if (g_getenv ("BENCH_SYNC_KEEP") != NULL)
    g_printerr ("bench-sync: kept %s\n", tmp);
  else
    test_rm_rf (tmp);
  return 0;
}
