/* test-core-hlc.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gls-hlc.h"

typedef struct
{
  gint64 usec;
} FakeClock;

static gint64
fake_clock (gpointer user_data)
{
  return ((FakeClock *) user_data)->usec;
}

/* 2026-11-23T10:00:00Z */
#define T0 G_GINT64_CONSTANT (1795428000000000)

static void
test_format (void)
{
  FakeClock clock = { T0 + 123 * 1000 + 999 };
  g_autoptr(GlsHlc) hlc = gls_hlc_new_with_clock (fake_clock, &clock, NULL);
  g_autofree char *a = gls_hlc_now (hlc);
  g_autofree char *b = gls_hlc_now (hlc);
  gint64 usec;

  /* Milliseconds of physical time, logical counter in the last digits. */
  g_assert_cmpstr (a, ==, "2026-11-23T10:00:00.123000Z");
  g_assert_cmpstr (b, ==, "2026-11-23T10:00:00.123001Z");
  g_assert_true (gls_timestamp_parse (b, &usec));
  g_assert_cmpint (usec, ==, T0 + 123001);

  g_assert_true (gls_timestamp_parse ("2015-10-13T13:00:00+01:00", &usec));
  {
    g_autofree char *s = gls_timestamp_format (usec);
    g_assert_cmpstr (s, ==, "2015-10-13T12:00:00.000000Z");
  }
  g_assert_false (gls_timestamp_parse ("2015-10-13T13:00:00", NULL));
  g_assert_false (gls_timestamp_parse ("2015-10-13", NULL));
  g_assert_false (gls_timestamp_parse ("yesterday", NULL));
  g_assert_false (gls_timestamp_parse (NULL, NULL));
}

static void
test_monotonic (void)
{
  FakeClock clock = { T0 };
  g_autoptr(GlsHlc) hlc = gls_hlc_new_with_clock (fake_clock, &clock, NULL);
  g_autofree char *prev = gls_hlc_now (hlc);

  /* Time stands still, jumps back an hour, then crawls: never repeats,
   * never goes back, and the strings sort like the clock. */
  for (guint i = 0; i < 5000; i++)
    {
      g_autofree char *next = NULL;

      if (i == 1000)
        clock.usec -= (gint64) G_USEC_PER_SEC * 3600;
      else if (i > 3000)
        clock.usec += 250;
      next = gls_hlc_now (hlc);
      g_assert_cmpint (strlen (next), ==, strlen (prev));
      g_assert_cmpstr (prev, <, next);
      g_free (prev);
      prev = g_steal_pointer (&next);
    }
}

static void
test_observe (void)
{
  FakeClock clock = { T0 };
  g_autoptr(GlsHlc) hlc = gls_hlc_new_with_clock (fake_clock, &clock, NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *d = NULL;

  /* A peer whose clock is 5 s ahead: our next stamp sorts after theirs. */
  gls_hlc_observe (hlc, "2026-11-23T10:00:05.000007Z");
  a = gls_hlc_now (hlc);
  g_assert_cmpstr (a, ==, "2026-11-23T10:00:05.000008Z");

  /* Older observations change nothing. */
  gls_hlc_observe (hlc, "2026-11-23T09:00:00.000000Z");
  b = gls_hlc_now (hlc);
  g_assert_cmpstr (b, ==, "2026-11-23T10:00:05.000009Z");

  /* Foreign forms count too; rubbish is ignored. */
  gls_hlc_observe (hlc, "2026-11-23T11:00:06+01:00");
  gls_hlc_observe (hlc, "not a date");
  gls_hlc_observe (hlc, NULL);
  c = gls_hlc_now (hlc);
  g_assert_cmpstr (c, ==, "2026-11-23T10:00:06.000001Z");

  /* Once the physical clock passes, it leads again with counter 0. */
  clock.usec = T0 + 7 * G_USEC_PER_SEC + 42 * 1000;
  d = gls_hlc_now (hlc);
  g_assert_cmpstr (d, ==, "2026-11-23T10:00:07.042000Z");
}

static void
test_overflow (void)
{
  FakeClock clock = { T0 };
  g_autoptr(GlsHlc) hlc = gls_hlc_new_with_clock (fake_clock, &clock, NULL);
  g_autofree char *last = NULL;

  /* A thousand stamps in one frozen millisecond borrow the next one. */
  for (guint i = 0; i < 1000; i++)
    g_free (gls_hlc_now (hlc));
  last = gls_hlc_now (hlc);
  g_assert_cmpstr (last, ==, "2026-11-23T10:00:00.001000Z");
}

static void
test_horizon (void)
{
  FakeClock clock = { T0 };
  g_autoptr(GlsHlc) hlc = gls_hlc_new_with_clock (fake_clock, &clock, NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  g_assert_cmpint (gls_hlc_get_horizon (hlc), ==, T0 + GLS_HLC_MAX_AHEAD);

  /* A peer a year ahead, or one microsecond past the horizon: ignored. */
  g_assert_false (gls_hlc_observe (hlc, "2027-11-23T10:00:00.000000Z"));
  g_assert_false (gls_hlc_observe_usec (hlc, T0 + GLS_HLC_MAX_AHEAD + 1));
  g_assert_false (gls_hlc_observe (hlc, "9999-12-31T23:59:59.999999Z"));
  g_assert_false (gls_hlc_observe_usec (hlc, -1));
  a = gls_hlc_now (hlc);
  g_assert_cmpstr (a, ==, "2026-11-23T10:00:00.000000Z");

  /* Up to the horizon itself is a clock that is merely ahead: followed. */
  g_assert_true (gls_hlc_observe (hlc, "2026-11-24T09:59:59.000000Z"));
  b = gls_hlc_now (hlc);
  g_assert_cmpstr (b, ==, "2026-11-24T09:59:59.000001Z");

  /* The horizon moves with the physical clock. */
  clock.usec += (gint64) G_USEC_PER_SEC * 3600;
  g_assert_true (gls_hlc_observe (hlc, "2026-11-24T10:30:00.000000Z"));
  c = gls_hlc_now (hlc);
  g_assert_cmpstr (c, ==, "2026-11-24T10:30:00.000001Z");
}

#define N_THREADS 4
#define PER_THREAD 2000

static gpointer
stamp_thread (gpointer data)
{
  GlsHlc *hlc = data;
  GPtrArray *stamps = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < PER_THREAD; i++)
    g_ptr_array_add (stamps, gls_hlc_now (hlc));

  return stamps;
}

static void
test_threads (void)
{
  g_autoptr(GlsHlc) hlc = gls_hlc_new ();
  g_autoptr(GHashTable) all = g_hash_table_new (g_str_hash, g_str_equal);
  GThread *threads[N_THREADS];
  GPtrArray *results[N_THREADS];

  for (guint i = 0; i < N_THREADS; i++)
    threads[i] = g_thread_new ("stamp", stamp_thread, hlc);
  for (guint i = 0; i < N_THREADS; i++)
    results[i] = g_thread_join (threads[i]);

  /* Unique across threads, increasing within each. */
  for (guint i = 0; i < N_THREADS; i++)
    {
      for (guint j = 0; j < results[i]->len; j++)
        {
          const char *s = g_ptr_array_index (results[i], j);

          g_assert_true (g_hash_table_add (all, (gpointer) s));
          if (j > 0)
            g_assert_cmpstr (g_ptr_array_index (results[i], j - 1), <, s);
        }
    }
  g_assert_cmpuint (g_hash_table_size (all), ==, N_THREADS * PER_THREAD);

  g_hash_table_remove_all (all);
  for (guint i = 0; i < N_THREADS; i++)
    g_ptr_array_unref (results[i]);
}

static void
test_real_clock (void)
{
  g_autoptr(GlsHlc) hlc = gls_hlc_new ();
  g_autofree char *s = gls_hlc_now (hlc);
  gint64 usec;

  g_assert_true (gls_timestamp_parse (s, &usec));
  g_assert_cmpint (ABS (usec - g_get_real_time ()), <, 5 * G_USEC_PER_SEC);
  g_assert_true (g_str_has_suffix (s, "Z"));
  g_assert_cmpint (strlen (s), ==, strlen ("2026-11-23T10:00:00.123004Z"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/hlc/format", test_format);
  g_test_add_func ("/core/hlc/monotonic", test_monotonic);
  g_test_add_func ("/core/hlc/observe", test_observe);
  g_test_add_func ("/core/hlc/overflow", test_overflow);
  g_test_add_func ("/core/hlc/horizon", test_horizon);
  g_test_add_func ("/core/hlc/threads", test_threads);
  g_test_add_func ("/core/hlc/real-clock", test_real_clock);

  return g_test_run ();
}
