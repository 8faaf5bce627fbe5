/* bench-text.c: what text designs cost: decoding, the offset index, and
 * re-anchoring threads on a new version
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A made-up Markdown guide of 1 MB with 1,000 commented passages, and a new
 * version of it with edits spread through it: paragraphs added, passages
 * left alone, moved (cut and pasted elsewhere), changed (a word inside
 * them rewritten) and deleted. Re-anchoring all 1,000 threads on the new
 * version (the budget is 100 ms), from a fresh index each time, so the
 * tables anchoring makes on first need are counted (in the first thread
 * that needs each: a moved one, a changed one). Then decoding and
 * indexing a 5 MB file, and conversions between code points and bytes.
 * Medians of 5. Prints a table; asserts nothing.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "gls-text.h"

#define RUNS        5
#define N_THREADS   1000
#define SMALL_BYTES (1024 * 1024)
#define LARGE_BYTES (5 * 1024 * 1024)

static guint32 rng_state = 20261123;

static guint32
rng (void)
{
  rng_state = rng_state * 1103515245 + 12345;
  return rng_state >> 8;
}

/* A word from syllables: a vocabulary of thousands, some of it not ASCII. */
static void
append_word (GString *s)
{
  static const char *syllables[] = {
    "lo", "ta", "ri", "sol", "der", "pad", "ca", "pa", "ci", "tor", "re", "sis", "an", "ode",
    "flux", "ti", "gr\xC3\xB6", "\xC3\x9F" "e", "l\xC3\xB6", "ten", "mi", "cro", "con", "trol",
    "ler", "vol", "tage", "e\xCC\x81", "ma", "ke", "qu", "in", "ex", "ple",
  };
  guint n = 1 + rng () % 3;

  for (guint i = 0; i < n; i++)
    g_string_append (s, syllables[rng () % G_N_ELEMENTS (syllables)]);
}

static void
append_paragraph (GString *s)
{
  guint words = 40 + rng () % 80;

  if (rng () % 8 == 0)
    g_string_append (s, "## ");
  for (guint i = 0; i < words; i++)
    {
      append_word (s);
      if (i % 17 == 16)
        g_string_append (s, ". ");
      else if (rng () % 50 == 0)
        g_string_append (s, " \xF0\x9F\x8E\x89 ");
      else
        g_string_append_c (s, ' ');
    }
  g_string_append (s, "\n\n");
}

static GString *
make_text (gsize bytes)
{
  GString *s = g_string_sized_new (bytes + 4096);

  while (s->len < bytes)
    append_paragraph (s);
  return s;
}

static double
median (double *v,
        guint   n)
{
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && v[j - 1] > v[j]; j--)
      {
        double t = v[j];

        v[j] = v[j - 1];
        v[j - 1] = t;
      }
  return v[n / 2];
}

typedef enum
{
  EDIT_NONE,
  EDIT_BEFORE,   /* a sentence added right before the passage */
  EDIT_INSIDE,   /* a word inside it rewritten */
  EDIT_DELETE,   /* it and its surroundings deleted */
  EDIT_MOVE,     /* cut, and pasted at the end */
} Edit;

typedef struct
{
  gsize start;   /* bytes in the old text */
  gsize end;
  Edit  edit;
} Passage;

/* The new version: the old text with each passage's edit applied, and a
 * new paragraph every 64 KB or so. */
static GString *
make_new_version (const GString *old,
                  Passage       *passages,
                  guint          n)
{
  GString *out = g_string_sized_new (old->len + old->len / 8);
  GString *moved = g_string_new ("\n\n## Moved here\n\n");
  gsize at = 0, next_paragraph = 64 * 1024;

  for (guint i = 0; i < n; i++)
    {
      Passage *p = &passages[i];
      gsize keep_to = p->start;

      if (p->edit == EDIT_DELETE)
        keep_to = p->start > 48 ? p->start - 48 : 0;
      while ((old->str[keep_to] & 0xC0) == 0x80)
        keep_to++;
      if (keep_to < at)
        keep_to = at;
      g_string_append_len (out, old->str + at, keep_to - at);

      if (out->len > next_paragraph)
        {
          append_paragraph (out);
          next_paragraph += 64 * 1024;
        }

      switch (p->edit)
        {
        case EDIT_NONE:
          g_string_append_len (out, old->str + p->start, p->end - p->start);
          at = p->end;
          break;

        case EDIT_BEFORE:
          g_string_append (out, "A sentence written since. ");
          g_string_append_len (out, old->str + p->start, p->end - p->start);
          at = p->end;
          break;

        case EDIT_INSIDE:
          {
            gsize mid = p->start + (p->end - p->start) / 2;

            while ((old->str[mid] & 0xC0) == 0x80)
              mid++;
            g_string_append_len (out, old->str + p->start, mid - p->start);
            g_string_append (out, "NEW");
            /* three bytes of the old text rewritten */
            mid = MIN (mid + 3, p->end);
            while (mid < p->end && (old->str[mid] & 0xC0) == 0x80)
              mid++;
            g_string_append_len (out, old->str + mid, p->end - mid);
            at = p->end;
          }
          break;

        case EDIT_DELETE:
          {
            gsize skip = MIN (p->end + 48, old->len);

            while (skip < old->len && (old->str[skip] & 0xC0) == 0x80)
              skip++;
            g_string_append (out, " ");
            at = skip;
          }
          break;

        case EDIT_MOVE:
        default:
          g_string_append_len (moved, old->str + p->start, p->end - p->start);
          g_string_append (moved, "\n\n");
          at = p->end;
          break;
        }
    }
  g_string_append_len (out, old->str + at, old->len - at);
  g_string_append_len (out, moved->str, moved->len);
  g_string_free (moved, TRUE);

  return out;
}

static void
bench_anchor (void)
{
  g_autoptr(GString) old = make_text (SMALL_BYTES);
  g_autoptr(GlsTextIndex) old_index = gls_text_index_new (old->str, old->len);
  g_autofree Passage *passages = g_new0 (Passage, N_THREADS);
  GlsSelector *selectors = g_new0 (GlsSelector, N_THREADS);
  g_autoptr(GString) new_text = NULL;
  gint64 old_length = gls_text_index_get_length (old_index);
  guint counts[4] = { 0, };
  guint edits[5] = { 0, };
  double build[RUNS], anchor[RUNS], total[RUNS], by_state[4][RUNS], worst = 0;

  /* 1,000 passages of 20 to 120 code points, evenly spread. */
  for (guint i = 0; i < N_THREADS; i++)
    {
      gint64 start = old_length / N_THREADS * i + rng () % 200;
      gint64 end = start + 20 + rng () % 100;
      static const Edit mix[20] = {
        EDIT_NONE, EDIT_NONE, EDIT_NONE, EDIT_NONE, EDIT_NONE, EDIT_NONE, EDIT_NONE, EDIT_NONE,
        EDIT_NONE, EDIT_NONE, EDIT_NONE, EDIT_NONE, EDIT_BEFORE, EDIT_BEFORE, EDIT_INSIDE,
        EDIT_INSIDE, EDIT_INSIDE, EDIT_DELETE, EDIT_MOVE, EDIT_MOVE,
      };

      g_assert (gls_text_select_range (old_index, start, end, &selectors[i]));
      passages[i].start = gls_text_index_to_byte (old_index, start);
      passages[i].end = gls_text_index_to_byte (old_index, end);
      passages[i].edit = mix[rng () % 20];
      edits[passages[i].edit]++;
    }
  new_text = make_new_version (old, passages, N_THREADS);

  for (guint r = 0; r < RUNS; r++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (new_text->str, new_text->len);
      g_autofree char *decoded = NULL;
      g_autoptr(GlsTextIndex) index = NULL;
      gint64 t0, t1, t2;
      gsize length;

      t0 = g_get_monotonic_time ();
      decoded = gls_text_decode (bytes, &length, NULL);
      index = gls_text_index_new (decoded, length);
      t1 = g_get_monotonic_time ();
      for (guint st = 0; st < 4; st++)
        by_state[st][r] = 0;
      for (guint i = 0; i < N_THREADS; i++)
        {
          gint64 s, e, one = g_get_monotonic_time ();
          GlsAnchorState state = gls_text_anchor (index, &selectors[i], &s, &e);

          one = g_get_monotonic_time () - one;
          worst = MAX (worst, one / 1000.0);
          by_state[state][r] += one / 1000.0;
          if (r == 0)
            counts[state]++;
        }
      t2 = g_get_monotonic_time ();
      build[r] = (t1 - t0) / 1000.0;
      anchor[r] = (t2 - t1) / 1000.0;
      total[r] = (t2 - t0) / 1000.0;
    }

  printf ("## Re-anchoring %u threads on a new version of a %.1f MB text\n\n", N_THREADS,
          new_text->len / 1048576.0);
  printf ("Edits to the passages: %u none, %u text added before, %u a word rewritten inside, "
          "%u deleted, %u moved to the end; a new paragraph every 64 KB.\n\n",
          edits[EDIT_NONE], edits[EDIT_BEFORE], edits[EDIT_INSIDE], edits[EDIT_DELETE], edits[EDIT_MOVE]);
  printf ("| step | median (ms) | budget |\n| --- | ---: | ---: |\n");
  printf ("| decode + index the new version | %.2f | |\n", median (build, RUNS));
  printf ("| anchor %u threads (first-use tables included) | %.2f | |\n", N_THREADS, median (anchor, RUNS));
  printf ("| total | %.2f | 100 |\n", median (total, RUNS));
  printf ("| slowest single thread | %.2f | |\n\n", worst);
  printf ("| state | threads | their time, median (ms) |\n| --- | ---: | ---: |\n");
  {
    static const char *names[] = { "in place", "moved", "changed", "orphaned" };

    for (guint st = 0; st < 4; st++)
      printf ("| %s | %u | %.2f |\n", names[st], counts[st], median (by_state[st], RUNS));
    printf ("\n");
  }

  for (guint i = 0; i < N_THREADS; i++)
    gls_selector_clear (&selectors[i]);
  g_free (selectors);
}

static void
bench_large (void)
{
  g_autoptr(GString) text = make_text (LARGE_BYTES);
  double decode[RUNS], index_ms[RUNS], lookups[RUNS];
  gint64 length = 0;

  for (guint r = 0; r < RUNS; r++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (text->str, text->len);
      g_autofree char *decoded = NULL;
      g_autoptr(GlsTextIndex) index = NULL;
      gint64 t0, t1, t2, t3;
      gsize bytes_len;
      guint64 sum = 0;

      t0 = g_get_monotonic_time ();
      decoded = gls_text_decode (bytes, &bytes_len, NULL);
      t1 = g_get_monotonic_time ();
      index = gls_text_index_new (decoded, bytes_len);
      t2 = g_get_monotonic_time ();
      length = gls_text_index_get_length (index);
      for (guint i = 0; i < 100000; i++)
        {
          gint64 offset = (gint64) (rng () % (guint32) length);

          sum += gls_text_index_to_offset (index, gls_text_index_to_byte (index, offset));
        }
      t3 = g_get_monotonic_time ();
      g_assert (sum > 0);

      decode[r] = (t1 - t0) / 1000.0;
      index_ms[r] = (t2 - t1) / 1000.0;
      lookups[r] = (t3 - t2) / 1000.0;
    }

  printf ("## A %.1f MB text (%" G_GINT64_FORMAT " code points)\n\n", text->len / 1048576.0, length);
  printf ("| step | median (ms) |\n| --- | ---: |\n");
  printf ("| decode (UTF-8 check, copy) | %.2f |\n", median (decode, RUNS));
  printf ("| index (code point checkpoints) | %.2f |\n", median (index_ms, RUNS));
  printf ("| decode + index | %.2f |\n", median (decode, RUNS) + median (index_ms, RUNS));
  printf ("| 100,000 code point → byte → code point | %.2f |\n\n", median (lookups, RUNS));
}

int
main (int   argc,
      char *argv[])
{
  bench_anchor ();
  bench_large ();
  return 0;
}
