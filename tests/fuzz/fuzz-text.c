/* fuzz-text.c: text designs: decoding, code point offsets, quotes, anchoring
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is the bytes of a file added as a text design, and of a new
 * version of it: the whole input goes to gls_text_decode; then its first
 * byte says where it is cut into an old and a new text (each made UTF-8
 * with g_utf8_make_valid), and the next bytes choose the passages.
 * Oracles:
 * - gls_text_decode accepts exactly what is UTF-8 without NUL (after a
 *   BOM, which it drops), gives it back unchanged, and otherwise names
 *   the line of the first bad byte;
 * - the index agrees with g_utf8_offset_to_pointer, and code point ↔ byte
 *   round-trips, a byte inside a character counting as its start;
 * - gls_text_select_range gives the passage, its position and at most 32
 *   code points of context on each side, and anchors on the same text in
 *   place; gls_text_select_quote with that quote and context finds it, or
 *   counts two occurrences or more;
 * - gls_text_anchor on the new text, of that selector and of selectors
 *   made from the input's bytes: orphaned is -1/-1, else a range inside
 *   the text; in place is at the recorded start; in place and moved hold
 *   the quote; changed holds something else within max (1, n/4) edits
 *   (n at most 64; a longer quote, a length within n ± n/4); orphaned
 *   when no passage is within that many edits (n from 4 to 64); the same
 *   answer again, and from a new index of the same text.
 */

#define G_LOG_DOMAIN "fuzz-text"

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "gls-text.h"
#include "gls-types.h"

/* Offsets checked one by one per text, at most. */
#define MAX_OFFSETS 4096

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (argc, argv);
  return 0;
}

typedef struct
{
  const guint8 *data;
  gsize         size;
  gsize         at;
} Reader;

static guint
read_byte (Reader *r)
{
  if (r->size == 0)
    return 0;
  return r->data[r->at++ % r->size];
}

static guint
read_u16 (Reader *r)
{
  guint hi = read_byte (r);

  return (hi << 8) | read_byte (r);
}

static void
check_decode (const guint8 *data,
              gsize         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *body = (const char *) data;
  gsize body_len = size, length = 0;
  const char *bad = NULL;
  gboolean valid;

  if (size >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      body += 3;
      body_len -= 3;
    }
  valid = g_utf8_validate_len (body, body_len, &bad);

  text = gls_text_decode (bytes, &length, &error);
  fuzz_check ((text != NULL) == valid, "decoded (%d) exactly when UTF-8 without NUL (%d)",
              text != NULL, valid);
  fuzz_check ((text == NULL) == (error != NULL), "a text or an error");
  if (text != NULL)
    {
      fuzz_check (length == body_len && memcmp (text, body, length) == 0 && text[length] == '\0',
                  "the text as it was, without the BOM");
      return;
    }

  fuzz_check (g_error_matches (error, GLS_CORE_ERROR, GLS_CORE_ERROR_UNSUPPORTED),
              "not text is UNSUPPORTED: %s", error->message);
  {
    guint line = 1;
    g_autofree char *says = NULL;

    for (const char *p = body; p < bad; p++)
      if (*p == '\n')
        line++;
    says = g_strdup_printf ("line %u has a", line);
    fuzz_check (strstr (error->message, says) != NULL, "“%s” names line %u", error->message, line);
  }
}

/* UTF-8 without NUL, whatever the bytes: invalid sequences replaced,
 * the text cut at a NUL. */
static char *
make_text (const guint8 *data,
           gsize         size)
{
  return g_utf8_make_valid ((const char *) data, size);
}

static void
check_index (GlsTextIndex *index,
             const char   *text)
{
  gsize bytes = strlen (text);
  gint64 length = g_utf8_strlen (text, -1);
  gint64 step = MAX (1, length / MAX_OFFSETS);
  const char *p = text;
  gint64 offset = 0;

  fuzz_check (gls_text_index_get_bytes (index) == bytes, "bytes");
  fuzz_check (gls_text_index_get_length (index) == length, "length %" G_GINT64_FORMAT, length);
  fuzz_check (gls_text_index_to_byte (index, -5) == 0 &&
              gls_text_index_to_byte (index, length + 7) == bytes &&
              gls_text_index_to_offset (index, bytes + 3) == length, "clamped");

  for (offset = 0; offset <= length; offset += step)
    {
      gsize byte = gls_text_index_to_byte (index, offset);

      if (offset > 0)
        p = g_utf8_offset_to_pointer (p, step);
      fuzz_check (byte == (gsize) (p - text), "offset %" G_GINT64_FORMAT " at byte %zu, not %zu",
                  offset, (gsize) (p - text), byte);
      fuzz_check (gls_text_index_to_offset (index, byte) == offset, "round trip");
      if (offset < length)
        {
          gsize next = g_utf8_next_char (p) - text;

          for (gsize inside = byte + 1; inside < next; inside++)
            fuzz_check (gls_text_index_to_offset (index, inside) == offset,
                        "a byte inside a character counts as its start");
        }
    }
}

static gint64
edit_distance (const char *a,
               const char *b)
{
  g_autofree gunichar *x = g_utf8_to_ucs4_fast (a, -1, NULL);
  g_autofree gunichar *y = g_utf8_to_ucs4_fast (b, -1, NULL);
  glong n = g_utf8_strlen (a, -1), m = g_utf8_strlen (b, -1);
  g_autofree gint64 *row = g_new (gint64, m + 1);

  for (glong j = 0; j <= m; j++)
    row[j] = j;
  for (glong i = 1; i <= n; i++)
    {
      gint64 diag = row[0];

      row[0] = i;
      for (glong j = 1; j <= m; j++)
        {
          gint64 up = row[j];

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diag + (x[i - 1] != y[j - 1]));
          diag = up;
        }
    }
  return row[m];
}

/* The fewest edits that turn @pattern into some passage of @text. */
static gint64
best_distance_anywhere (const char *pattern,
                        const char *text)
{
  g_autofree gunichar *x = g_utf8_to_ucs4_fast (pattern, -1, NULL);
  g_autofree gunichar *y = g_utf8_to_ucs4_fast (text, -1, NULL);
  glong m = g_utf8_strlen (pattern, -1), n = g_utf8_strlen (text, -1);
  g_autofree gint64 *col = g_new (gint64, m + 1);
  gint64 best;

  /* Column by column of the text; a passage may start anywhere (row 0
   * is 0) and end anywhere (the best of the last row). */
  for (glong i = 0; i <= m; i++)
    col[i] = i;
  best = col[m];
  for (glong j = 1; j <= n; j++)
    {
      gint64 diag = col[0];

      col[0] = 0;
      for (glong i = 1; i <= m; i++)
        {
          gint64 left = col[i];

          col[i] = MIN (MIN (col[i] + 1, col[i - 1] + 1), diag + (x[i - 1] != y[j - 1]));
          diag = left;
        }
      best = MIN (best, col[m]);
    }
  return best;
}

static char *
slice (GlsTextIndex *index,
       gint64        start,
       gint64        end)
{
  gsize from = gls_text_index_to_byte (index, start);
  gsize to = gls_text_index_to_byte (index, end);

  return g_strndup (gls_text_index_get_text (index) + from, to - from);
}


/* gls_text_anchor's "rewritten between its old neighbours": the whole of
 * the compared prefix right before, of the suffix right after, and not
 * much longer than twice the quote. */
static gboolean
between_old_neighbours (const char        *text,
                        const GlsSelector *sel,
                        gint64             start,
                        gint64             end)
{
  glong plen, slen;
  const char *at, *to, *p_from, *s_to;

  if (sel->prefix == NULL || sel->suffix == NULL)
    return FALSE;
  plen = MIN (g_utf8_strlen (sel->prefix, -1), GLS_TEXT_CONTEXT_LENGTH);
  slen = MIN (g_utf8_strlen (sel->suffix, -1), GLS_TEXT_CONTEXT_LENGTH);
  if (plen == 0 || slen == 0 || end - start > 2 * g_utf8_strlen (sel->exact, -1) + 16)
    return FALSE;
  at = g_utf8_offset_to_pointer (text, start);
  to = g_utf8_offset_to_pointer (text, end);
  p_from = g_utf8_offset_to_pointer (sel->prefix + strlen (sel->prefix), -plen);
  s_to = g_utf8_offset_to_pointer (sel->suffix, slen);
  return at - text >= (gssize) strlen (p_from) &&
         memcmp (at - strlen (p_from), p_from, strlen (p_from)) == 0 &&
         strlen (to) >= (gsize) (s_to - sel->suffix) &&
         memcmp (to, sel->suffix, s_to - sel->suffix) == 0;
}

static void
check_anchor (GlsTextIndex      *index,
              const GlsSelector *sel)
{
  const char *text = gls_text_index_get_text (index);
  gint64 length = gls_text_index_get_length (index);
  gint64 start = 7, end = 7, s2, e2;
  GlsAnchorState state = gls_text_anchor (index, sel, &start, &end);

  fuzz_check (state <= GLS_ANCHOR_ORPHANED, "a state");
  fuzz_check (gls_text_anchor (index, sel, &s2, &e2) == state && s2 == start && e2 == end,
              "the same answer again");
  {
    g_autoptr(GlsTextIndex) fresh = gls_text_index_new (text, gls_text_index_get_bytes (index));

    fuzz_check (gls_text_anchor (fresh, sel, &s2, &e2) == state && s2 == start && e2 == end,
                "the same answer from a new index");
  }

  if (state == GLS_ANCHOR_ORPHANED)
    {
      fuzz_check (start == -1 && end == -1, "orphaned is -1/-1");
      /* The search is whole: nothing within the bound anywhere (a quote
       * of one to three code points also needs its neighbours; one
       * longer than 64 is matched by its ends). */
      if (sel->exact != NULL && g_utf8_validate (sel->exact, -1, NULL))
        {
          gint64 m = g_utf8_strlen (sel->exact, -1);

          if (m >= 4 && m <= 64)
            fuzz_check (best_distance_anywhere (sel->exact, text) > MAX (1, m / 4),
                        "orphaned, but a passage is within %" G_GINT64_FORMAT " edits", MAX (1, m / 4));
        }
      return;
    }
  fuzz_check (0 <= start && start <= end && end <= length,
              "[%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ") inside [0, %" G_GINT64_FORMAT ")",
              start, end, length);

  if (sel->exact == NULL || *sel->exact == '\0')
    {
      fuzz_check (state == GLS_ANCHOR_IN_PLACE && start == sel->start && end == sel->end,
                  "a position alone stays where it was");
      return;
    }

  {
    g_autofree char *found = slice (index, start, end);
    gint64 m = g_utf8_strlen (sel->exact, -1);
    gint64 k = MIN (MAX (1, m / 4), m - 1);

    if (state == GLS_ANCHOR_IN_PLACE)
      fuzz_check (start == sel->start, "in place at the recorded start");
    if (state == GLS_ANCHOR_IN_PLACE || state == GLS_ANCHOR_MOVED)
      fuzz_check (g_str_equal (found, sel->exact), "the quote is there");
    else
      {
        fuzz_check (!g_str_equal (found, sel->exact), "changed is not the quote");
        fuzz_check (start < end, "changed is not empty");
        if (between_old_neighbours (gls_text_index_get_text (index), sel, start, end))
          ;
        else if (m <= 64)
          fuzz_check (edit_distance (sel->exact, found) <= k,
                      "within %" G_GINT64_FORMAT " edits of the quote", k);
        else
          fuzz_check (ABS (end - start - m) <= k, "about the quote's length");
      }
  }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  Reader r = { data, size, 1 };
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;
  g_autoptr(GlsTextIndex) old_index = NULL;
  g_autoptr(GlsTextIndex) new_index = NULL;
  gsize cut;
  gint64 old_length;

  check_decode (data, size);
  if (size < 2)
    return 0;

  cut = 1 + (size - 1) * data[0] / 256;
  old_text = make_text (data + 1, cut - 1);
  new_text = make_text (data + cut, size - cut);
  old_index = gls_text_index_new (old_text, -1);
  new_index = gls_text_index_new (new_text, -1);
  check_index (old_index, old_text);
  check_index (new_index, new_text);
  old_length = gls_text_index_get_length (old_index);

  /* A passage of the old text, as the view or `--chars` makes it. */
  for (guint round = 0; round < 3; round++)
    {
      g_auto(GlsSelector) sel = { 0 };
      gint64 start = old_length > 0 ? read_u16 (&r) % (old_length + 1) : 0;
      gint64 end = start + read_byte (&r) % 80;
      gboolean made = gls_text_select_range (old_index, start, end, &sel);

      fuzz_check (made == (start < end && end <= old_length), "a range is made when it fits");
      if (!made)
        {
          fuzz_check (sel.kind == GLS_SELECTOR_NONE && sel.exact == NULL, "untouched");
          continue;
        }

      {
        g_autofree char *exact = slice (old_index, start, end);
        g_autofree char *prefix = slice (old_index, MAX (0, start - GLS_TEXT_CONTEXT_LENGTH), start);
        g_autofree char *suffix = slice (old_index, end, MIN (old_length, end + GLS_TEXT_CONTEXT_LENGTH));
        gint64 s, e;

        fuzz_check (sel.kind == GLS_SELECTOR_TEXT && sel.start == start && sel.end == end,
                    "its position");
        fuzz_check (g_str_equal (sel.exact, exact), "its quote");
        fuzz_check (g_strcmp0 (sel.prefix, *prefix ? prefix : NULL) == 0, "its prefix");
        fuzz_check (g_strcmp0 (sel.suffix, *suffix ? suffix : NULL) == 0, "its suffix");

        fuzz_check (gls_text_anchor (old_index, &sel, &s, &e) == GLS_ANCHOR_IN_PLACE &&
                    s == start && e == end, "in place in its own text");
      }

      {
        g_auto(GlsSelector) found = { 0 };
        g_autoptr(GError) error = NULL;

        if (gls_text_select_quote (old_index, sel.exact, sel.prefix, sel.suffix, &found, &error))
          fuzz_check (found.start == start && found.end == end, "the quote found where it was");
        else
          fuzz_check (g_error_matches (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID) &&
                      strstr (error->message, "times") != NULL,
                      "only ambiguous: %s", error->message);
      }

      check_anchor (new_index, &sel);
    }

  /* Selectors made up from the input: another tool's, or a forger's. */
  {
    gint64 new_length = gls_text_index_get_length (new_index);
    guint len = read_byte (&r) % 100;
    guint from = read_u16 (&r);
    g_autofree char *junk = make_text (data + from % size, MIN (len, size - from % size));
    g_autofree char *context = make_text (data + (from / 3) % size, MIN (40u, size - (from / 3) % size));
    g_auto(GlsSelector) quote = { 0 };
    g_auto(GlsSelector) position = { 0 };
    gint64 at = (gint64) read_u16 (&r) - 1000;
    gint64 to = at + (gint64) read_byte (&r) - 20;

    gls_selector_init_text (&quote, read_byte (&r) % 2 ? at : -1, to, junk,
                            read_byte (&r) % 2 ? context : NULL, read_byte (&r) % 2 ? context : NULL);
    check_anchor (new_index, &quote);

    gls_selector_init_text (&position, at, to, NULL, NULL, NULL);
    {
      gint64 s, e;
      GlsAnchorState state = gls_text_anchor (new_index, &position, &s, &e);

      fuzz_check ((state == GLS_ANCHOR_IN_PLACE) == (at >= 0 && at <= to && to <= new_length),
                  "a position alone is in place exactly when it fits");
    }
    check_anchor (new_index, &position);
  }

  return 0;
}
