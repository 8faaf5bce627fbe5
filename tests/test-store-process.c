/* test-store-process.c: GlsStore across handles, threads and processes
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gls-store.h"
#include "gls-store-private.h"
#include "test-util.h"

#define CRASH_BATCH 200

static char *self_exe;

static JsonObject *
make_doc (const char *id,
          int         batch,
          int         i)
{
  JsonObject *doc = json_object_new ();

  json_object_set_string_member (doc, "_id", id);
  json_object_set_int_member (doc, "batch", batch);
  json_object_set_int_member (doc, "i", i);
  json_object_set_string_member (doc, "text",
                                 "A comment long enough to make the batch take a while to write.");
  return doc;
}

/* Child modes */

static int
child_write (const char *path,
             int         count)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsStore) store = gls_store_open (path, &error);

  if (store == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 1;
    }
  for (int i = 0; i < count; i++)
    {
      g_autofree char *id = g_strdup_printf ("child-%d", i);
      g_autoptr(JsonObject) doc = make_doc (id, 0, i);
      g_autofree char *rev = gls_store_put (store, doc, &error);

      if (rev == NULL)
        {
          g_printerr ("child: %s\n", error->message);
          return 1;
        }
    }
  return 0;
}

/* Writes batches forever; reports each committed batch on stdout. */
static int
crash_writer (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsStore) store = gls_store_open (path, &error);

  if (store == NULL)
    {
      g_printerr ("crash writer: %s\n", error->message);
      return 1;
    }

  for (int batch = 0; ; batch++)
    {
      g_autoptr(JsonArray) docs = json_array_new ();
      g_autoptr(JsonArray) results = NULL;

      for (int i = 0; i < CRASH_BATCH; i++)
        {
          g_autofree char *id = g_strdup_printf ("b%06d-%03d", batch, i);
          json_array_add_object_element (docs, make_doc (id, batch, i));
        }
      results = gls_store_bulk_docs (store, docs, TRUE, &error);
      if (results == NULL)
        {
          g_printerr ("crash writer: %s\n", error->message);
          return 1;
        }
      printf ("%d\n", batch);
      fflush (stdout);
    }
  return 0;
}

/* The bytes of design `i`: different for each, 40 to 300 KB. */
static GBytes *
design_bytes (int i)
{
  gsize len = 40000 + (gsize) (i * 7919) % 260000;
  guchar *data = g_malloc (len);
  guint32 x = 2166136261u ^ (guint32) i;

  for (gsize k = 0; k < len; k++)
    {
      x = x * 16777619u + 1;
      data[k] = (guchar) (x >> 24);
    }
  return g_bytes_new_take (data, len);
}

/* Writes documents with an attachment each, forever, alone or two at a
 * time; reports each committed document on stdout. */
static int
crash_designer (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsStore) store = gls_store_open (path, &error);

  if (store == NULL)
    {
      g_printerr ("crash designer: %s\n", error->message);
      return 1;
    }

  for (int i = 0; ; i++)
    {
      g_autoptr(JsonObject) doc = json_object_new ();
      g_autoptr(GBytes) bytes = design_bytes (i);
      JsonObject *atts = json_object_new ();
      JsonObject *att = json_object_new ();
      g_autofree char *id = g_strdup_printf ("design-%06d", i);
      g_autofree char *base64 = g_base64_encode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_autofree char *rev = NULL;

      json_object_set_string_member (doc, "_id", id);
      json_object_set_int_member (doc, "i", i);
      json_object_set_string_member (att, "content_type", "application/octet-stream");
      json_object_set_string_member (att, "data", base64);
      json_object_set_object_member (atts, "file", att);
      json_object_set_object_member (doc, "_attachments", atts);
      if (!(rev = gls_store_put (store, doc, &error)))
        {
          g_printerr ("crash designer: %s\n", error->message);
          return 1;
        }
      printf ("%d\n", i);
      fflush (stdout);
    }
  return 0;
}

/* Helpers */

typedef struct
{
  GArray  *seqs;
  GThread *thread;
  gboolean other_thread;
} Emissions;

static void
on_changed (GlsStore  *store,
            gint64     seq,
            Emissions *em)
{
  if (g_thread_self () != em->thread)
    em->other_thread = TRUE;
  g_array_append_val (em->seqs, seq);
}

static gint64
last_emitted (Emissions *em)
{
  return em->seqs->len > 0 ? g_array_index (em->seqs, gint64, em->seqs->len - 1) : -1;
}

/* Runs the main context until `em` saw `seq`, or the deadline. */
static gboolean
wait_for_seq (Emissions *em,
              gint64     seq,
              guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;

  while (last_emitted (em) < seq && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return last_emitted (em) >= seq;
}

static void
emissions_init (Emissions *em)
{
  em->seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  em->thread = g_thread_self ();
  em->other_thread = FALSE;
}

static void
assert_increasing (Emissions *em)
{
  for (guint i = 1; i < em->seqs->len; i++)
    g_assert_cmpint (g_array_index (em->seqs, gint64, i), >, g_array_index (em->seqs, gint64, i - 1));
}

static char *
put_one (GlsStore   *store,
         const char *id)
{
  g_autoptr(JsonObject) doc = make_doc (id, 0, 0);
  g_autoptr(GError) error = NULL;
  char *rev = gls_store_put (store, doc, &error);

  g_assert_no_error (error);
  return rev;
}

/* ::changed */

static gpointer
thread_put (gpointer data)
{
  g_free (put_one (data, "from-thread"));
  return NULL;
}

static void
test_signal_own_writes (void)
{
  g_autofree char *dir = test_data_dir_new ("glossa-store-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "s.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsStore) store = gls_store_open (path, &error);
  Emissions em;
  guint n;

  g_assert_no_error (error);
  emissions_init (&em);
  g_signal_connect (store, "changed", G_CALLBACK (on_changed), &em);

  g_free (put_one (store, "a"));
  g_assert_true (wait_for_seq (&em, 1, 5000));
  g_assert_cmpint (last_emitted (&em), ==, 1);

  /* A write from another thread is announced in the store's context. */
  g_thread_join (g_thread_new ("writer", thread_put, store));
  g_assert_true (wait_for_seq (&em, 2, 5000));
  g_assert_false (em.other_thread);

  /* A burst is coalesced, and the file monitor's echo of our own writes
   * adds nothing. */
  test_settle (200);
  n = em.seqs->len;
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *id = g_strdup_printf ("burst%u", i);
      g_free (put_one (store, id));
    }
  g_assert_true (wait_for_seq (&em, 22, 5000));
  test_settle (300);
  g_assert_cmpuint (em.seqs->len, ==, n + 1);
  g_assert_cmpint (last_emitted (&em), ==, 22);
  assert_increasing (&em);

  /* Local documents are not part of the update sequence. */
  {
    g_autoptr(JsonObject) local = json_object_new ();
    g_autofree char *rev = gls_store_put_local (store, "cp", local, &error);
    g_assert_no_error (error);
  }
  test_settle (200);
  g_assert_cmpuint (em.seqs->len, ==, n + 1);

  g_clear_object (&store);
  g_array_unref (em.seqs);
  test_rm_rf (dir);
}

static void
test_signal_two_handles (void)
{
  g_autofree char *dir = test_data_dir_new ("glossa-store-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "s.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsStore) gui = gls_store_open (path, &error);
  g_autoptr(GlsStore) cli = gls_store_open (path, &error);
  Emissions em;

  g_assert_no_error (error);
  emissions_init (&em);
  g_signal_connect (gui, "changed", G_CALLBACK (on_changed), &em);

  g_free (put_one (cli, "x"));
  g_assert_true (wait_for_seq (&em, 1, 5000));
  g_free (put_one (cli, "y"));
  g_free (put_one (cli, "z"));
  g_assert_true (wait_for_seq (&em, 3, 5000));
  g_assert_cmpint (last_emitted (&em), ==, gls_store_get_update_seq (cli));
  assert_increasing (&em);

  /* The other handle reads what was written. */
  {
    g_autoptr(JsonObject) doc = gls_store_get (gui, "z", NULL, GLS_STORE_GET_NONE, &error);
    g_assert_no_error (error);
  }

  g_clear_object (&gui);
  g_clear_object (&cli);
  g_array_unref (em.seqs);
  test_rm_rf (dir);
}

static void
test_signal_other_process (void)
{
  g_autofree char *dir = test_data_dir_new ("glossa-store-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "s.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsStore) store = gls_store_open (path, &error);
  const char *argv[] = { self_exe, "--child-write", path, "10", NULL };
  g_autofree char *err_out = NULL;
  Emissions em;
  int status = 0;

  g_assert_no_error (error);
  emissions_init (&em);
  g_signal_connect (store, "changed", G_CALLBACK (on_changed), &em);

  /* Like `glossa comment …` while the GUI is open. */
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, &err_out,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  g_assert_true (wait_for_seq (&em, 10, 5000));
  g_assert_cmpint (last_emitted (&em), ==, 10);
  assert_increasing (&em);
  g_assert_cmpint (gls_store_get_doc_count (store), ==, 10);
  /* The emissions come on this thread; the store was read by another
   * (the GUI's thread does no SQLite work for it). */
  g_assert_false (em.other_thread);
  g_assert_nonnull (_gls_store_get_external_reader (store));
  g_assert_true (_gls_store_get_external_reader (store) != g_thread_self ());

  g_clear_object (&store);
  g_array_unref (em.seqs);
  test_rm_rf (dir);
}

/* Crash safety */

typedef struct
{
  GHashTable *counts;   /* batch -> number of docs */
} CrashCount;

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
  CrashCount *cc = user_data;
  int batch = (int) json_object_get_int_member (body, "batch");
  gpointer key = GINT_TO_POINTER (batch + 1);

  g_hash_table_insert (cc->counts, key,
                       GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (cc->counts, key)) + 1));
  return TRUE;
}

/* The highest batch number on a complete line. */
static int
last_complete_line (GString *out)
{
  g_auto(GStrv) lines = g_strsplit (out->str, "\n", -1);
  int last = -1;

  /* The last element is what follows the last newline: incomplete. */
  for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    last = MAX (last, atoi (lines[i]));
  return last;
}

/* Runs a writer child (`mode` on `path`) until it has reported `at_least`
 * commits, kills it with SIGKILL within `jitter_us`, and returns the last
 * commit it reported on a whole line. */
static int
kill_writer_after (const char *mode,
                   const char *path,
                   int         at_least,
                   int         jitter_us)
{
  const char *argv[] = { self_exe, mode, path, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  int reported = -1;
  int out_fd, status;
  char buf[256];
  gssize n;
  GPid pid;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                            NULL, NULL, &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  while (reported < at_least && (n = read (out_fd, buf, sizeof buf)) > 0)
    {
      g_string_append_len (out, buf, n);
      reported = last_complete_line (out);
    }
  /* In the middle of a write, most often. */
  g_usleep (g_random_int_range (0, jitter_us));
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_spawn_close_pid (pid);

  /* Every complete line it wrote before dying is a commit. */
  while ((n = read (out_fd, buf, sizeof buf)) > 0)
    g_string_append_len (out, buf, n);
  close (out_fd);
  reported = last_complete_line (out);
  g_assert_cmpint (reported, >=, at_least);
  return reported;
}

static void
crash_round (guint round)
{
  g_autofree char *dir = test_data_dir_new ("glossa-store-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "crash.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsStore) store = NULL;
  g_autofree char *check = NULL;
  CrashCount cc;
  GHashTableIter iter;
  gpointer key, value;
  int reported;

  /* Let it commit a few batches, then kill it in the middle of one. */
  reported = kill_writer_after ("--crash-writer", path, 3 + (int) round, 8000);

  store = gls_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (_gls_store_integrity_check (store, &check, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (check, ==, "ok");

  cc.counts = g_hash_table_new (NULL, NULL);
  g_assert_true (gls_store_foreach_doc (store, 0, count_cb, &cc, &error));
  g_assert_no_error (error);

  /* Every reported batch is there, whole... */
  for (int b = 0; b <= reported; b++)
    g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (cc.counts, GINT_TO_POINTER (b + 1))),
                     ==, CRASH_BATCH);
  /* ...and no batch is there in part (one more may have committed just
   * before the kill, unreported). */
  g_hash_table_iter_init (&iter, cc.counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_assert_cmpint (GPOINTER_TO_INT (value), ==, CRASH_BATCH);
      g_assert_cmpint (GPOINTER_TO_INT (key) - 1, <=, reported + 1);
    }
  g_assert_cmpint (gls_store_get_doc_count (store), ==,
                   (gint64) g_hash_table_size (cc.counts) * CRASH_BATCH);
  g_test_message ("round %u: %d batches reported, %u present", round, reported + 1,
                  g_hash_table_size (cc.counts));
  g_hash_table_unref (cc.counts);

  /* The store takes writes again. */
  g_free (put_one (store, "after-crash"));

  g_clear_object (&store);
  test_rm_rf (dir);
}

typedef struct
{
  GlsStore *store;
  guint     n_docs;
  int       highest;
} DesignCheck;

static gboolean
check_design_cb (const char *id,
                 const char *rev,
                 gint64      seq,
                 gboolean    deleted,
                 guint       n_revs,
                 const char *note,
                 JsonObject *body,
                 gpointer    user_data)
{
  DesignCheck *dc = user_data;
  int i = (int) json_object_get_int_member (body, "i");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) expected = design_bytes (i);
  g_autoptr(GBytes) bytes = gls_store_get_attachment (dc->store, id, NULL, "file", NULL, &error);

  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes, expected));
  dc->n_docs++;
  dc->highest = MAX (dc->highest, i);
  return TRUE;
}

/* Killed while writing designs: every document in the store has its
 * file, whole; at worst a file nothing refers to is left, which
 * compaction removes. */
static void
test_crash_kill_files (void)
{
  for (guint round = 0; round < 4; round++)
    {
      g_autofree char *dir = test_data_dir_new ("glossa-store-XXXXXX");
      g_autofree char *path = g_build_filename (dir, "designs.sqlite", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GlsStore) store = NULL;
      GlsStoreCompactResult compacted;
      DesignCheck dc = { NULL, 0, -1 };
      /* Somewhere in a write: encoding, the file, its fsync, the commit. */
      int reported = kill_writer_after ("--crash-designer", path, 5 + (int) round, 6000);

      store = gls_store_open (path, &error);
      g_assert_no_error (error);
      dc.store = store;
      g_assert_true (gls_store_foreach_doc (store, 0, check_design_cb, &dc, &error));
      g_assert_no_error (error);
      /* Every reported design is there (one more may have committed unreported). */
      g_assert_cmpint (dc.highest, >=, reported);
      g_assert_cmpint (dc.highest, <=, reported + 1);
      g_assert_cmpuint (dc.n_docs, ==, (guint) dc.highest + 1);

      g_assert_true (gls_store_compact (store, &compacted, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (compacted.files, <=, 1);
      g_test_message ("round %u: %d designs reported, %u present, %u unreferenced file(s) removed",
                      round, reported + 1, dc.n_docs, compacted.files);
      dc.store = NULL;
      g_clear_object (&store);
      test_rm_rf (dir);
    }
}

static void
test_crash_kill (void)
{
  for (guint round = 0; round < 3; round++)
    crash_round (round);
}

int
main (int   argc,
      char *argv[])
{
  if (argc >= 4 && g_str_equal (argv[1], "--child-write"))
    return child_write (argv[2], atoi (argv[3]));
  if (argc >= 3 && g_str_equal (argv[1], "--crash-writer"))
    return crash_writer (argv[2]);
  if (argc >= 3 && g_str_equal (argv[1], "--crash-designer"))
    return crash_designer (argv[2]);

  g_test_init (&argc, &argv, NULL);

  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_assert_nonnull (self_exe);

  g_test_add_func ("/store/signal/own-writes", test_signal_own_writes);
  g_test_add_func ("/store/signal/two-handles", test_signal_two_handles);
  g_test_add_func ("/store/signal/other-process", test_signal_other_process);
  g_test_add_func ("/store/crash/kill-9", test_crash_kill);
  g_test_add_func ("/store/crash/kill-9-files", test_crash_kill_files);

  return g_test_run ();
}
