/* gls-text.c: text designs: decoding, code point offsets, quotes, anchoring
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE  /* memmem */
#define G_LOG_DOMAIN "gls-text"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "gls-text.h"

/* Code points between two checkpoints of an index: a conversion scans at
 * most this many characters after a binary search. */
#define CHECKPOINT_STEP 64

/* How much of a quote a message shows. */
#define MESSAGE_QUOTE_LENGTH 40

struct _GlsTextIndex
{
  const char *text;
  gsize       bytes;
  gint64      length;
  /* checkpoints[i]: the byte index of code point i * CHECKPOINT_STEP */
  gsize      *checkpoints;
  gsize       n_checkpoints;
};

static inline gboolean
is_char_start (guchar c)
{
  return (c & 0xC0) != 0x80;
}

/* Decoding */

static guint
line_of_byte (const char *data,
              gsize       index)
{
  guint line = 1;
  const char *p = data;
  const char *end = data + index;

  while (p < end && (p = memchr (p, '\n', end - p)) != NULL)
    {
      line++;
      p++;
    }
  return line;
}

char *
gls_text_decode (GBytes  *data,
                 gsize   *out_length,
                 GError **error)
{
  const char *bytes;
  const char *bad = NULL;
  gsize length = 0;
  char *text;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = g_bytes_get_data (data, &length);
  if (bytes == NULL)
    bytes = "";

  if (length >= 3 && memcmp (bytes, "\xEF\xBB\xBF", 3) == 0)
    {
      bytes += 3;
      length -= 3;
    }

  /* g_utf8_validate_len () refuses NUL too: tell the two apart. */
  if (!g_utf8_validate_len (bytes, length, &bad))
    {
      guint line = line_of_byte (bytes, bad - bytes);

      if (*bad == '\0')
        g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_UNSUPPORTED,
                     _("Not a text file: line %u has a NUL byte"), line);
      else
        g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_UNSUPPORTED,
                     _("Not a UTF-8 text file: line %u has a byte that is not UTF-8"), line);
      return NULL;
    }

  text = g_malloc (length + 1);
  memcpy (text, bytes, length);
  text[length] = '\0';

  if (out_length != NULL)
    *out_length = length;
  return text;
}

/* The index */

GlsTextIndex *
gls_text_index_new (const char *text,
                    gssize      length)
{
  GlsTextIndex *self;
  const guchar *p, *end;
  gint64 count = 0;
  gsize capacity;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (text == NULL)
    text = "";
  if (length < 0)
    length = strlen (text);

  self = g_new0 (GlsTextIndex, 1);
  self->text = text;
  self->bytes = length;

  /* At most one checkpoint per CHECKPOINT_STEP bytes, plus the first. */
  capacity = length / CHECKPOINT_STEP + 1;
  self->checkpoints = g_new (gsize, capacity);

  p = (const guchar *) text;
  end = p + length;
  while (p < end)
    {
      /* Eight ASCII bytes at a time while no checkpoint falls inside. */
      while (end - p >= 8 && (count % CHECKPOINT_STEP) <= CHECKPOINT_STEP - 8)
        {
          guint64 word;

          if (count % CHECKPOINT_STEP == 0)
            break;
          memcpy (&word, p, 8);
          if ((word & G_GUINT64_CONSTANT (0x8080808080808080)) != 0)
            break;
          p += 8;
          count += 8;
        }
      if (p >= end)
        break;

      if (is_char_start (*p))
        {
          if (count % CHECKPOINT_STEP == 0)
            self->checkpoints[self->n_checkpoints++] = p - (const guchar *) text;
          count++;
        }
      p++;
    }

  self->length = count;
  if (self->n_checkpoints == 0)
    self->checkpoints[self->n_checkpoints++] = 0;

  return self;
}

void
gls_text_index_free (GlsTextIndex *self)
{
  if (self == NULL)
    return;
  g_free (self->checkpoints);
  g_free (self);
}

const char *
gls_text_index_get_text (GlsTextIndex *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->text;
}

gsize
gls_text_index_get_bytes (GlsTextIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->bytes;
}

gint64
gls_text_index_get_length (GlsTextIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->length;
}

gsize
gls_text_index_to_byte (GlsTextIndex *self,
                        gint64        offset)
{
  const guchar *p, *end;
  gint64 left;

  g_return_val_if_fail (self != NULL, 0);

  if (offset <= 0)
    return 0;
  if (offset >= self->length)
    return self->bytes;

  p = (const guchar *) self->text + self->checkpoints[offset / CHECKPOINT_STEP];
  end = (const guchar *) self->text + self->bytes;
  left = offset % CHECKPOINT_STEP;

  /* p is at a character start: step over @left characters. */
  while (left > 0 && p < end)
    {
      p++;
      while (p < end && !is_char_start (*p))
        p++;
      left--;
    }

  return p - (const guchar *) self->text;
}

gint64
gls_text_index_to_offset (GlsTextIndex *self,
                          gsize         byte)
{
  gsize lo, hi;
  const guchar *p, *target;
  gint64 offset;

  g_return_val_if_fail (self != NULL, 0);

  if (byte >= self->bytes)
    return self->length;

  /* The last checkpoint at or before @byte. */
  lo = 0;
  hi = self->n_checkpoints;
  while (hi - lo > 1)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (self->checkpoints[mid] <= byte)
        lo = mid;
      else
        hi = mid;
    }

  p = (const guchar *) self->text + self->checkpoints[lo];
  target = (const guchar *) self->text + byte;
  offset = (gint64) lo * CHECKPOINT_STEP;

  /* Count the characters that start after p and at or before @byte: a
   * byte inside a character counts as that character's start. */
  for (p++; p <= target; p++)
    if (is_char_start (*p))
      offset++;

  return offset;
}

/* Selecting */

static char *
dup_range (GlsTextIndex *self,
           gsize         from,
           gsize         to)
{
  if (to <= from)
    return NULL;
  return g_strndup (self->text + from, to - from);
}

gboolean
gls_text_select_range (GlsTextIndex *index,
                       gint64        start,
                       gint64        end,
                       GlsSelector  *out)
{
  gsize before, from, to, after;
  g_autofree char *exact = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *suffix = NULL;

  g_return_val_if_fail (index != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (start < 0 || end > index->length || start >= end)
    return FALSE;

  before = gls_text_index_to_byte (index, MAX (start - GLS_TEXT_CONTEXT_LENGTH, 0));
  from = gls_text_index_to_byte (index, start);
  to = gls_text_index_to_byte (index, end);
  after = gls_text_index_to_byte (index, MIN (end + GLS_TEXT_CONTEXT_LENGTH, index->length));

  exact = dup_range (index, from, to);
  prefix = dup_range (index, before, from);
  suffix = dup_range (index, to, after);

  gls_selector_init_text (out, start, end, exact, prefix, suffix);
  return TRUE;
}

/* Short enough for a message, cut at a character. */
static char *
quote_for_message (const char *quote)
{
  g_autofree char *start = NULL;

  if (g_utf8_strlen (quote, -1) <= MESSAGE_QUOTE_LENGTH)
    return g_strdup (quote);
  start = g_utf8_substring (quote, 0, MESSAGE_QUOTE_LENGTH - 1);
  return g_strconcat (start, "…", NULL);
}

static gboolean
matches_at (GlsTextIndex *index,
            gsize         from,
            const char   *prefix,
            gsize         prefix_len,
            gsize         to,
            const char   *suffix,
            gsize         suffix_len)
{
  if (prefix_len > from || memcmp (index->text + from - prefix_len, prefix, prefix_len) != 0)
    return FALSE;
  if (suffix_len > index->bytes - to || memcmp (index->text + to, suffix, suffix_len) != 0)
    return FALSE;
  return TRUE;
}

gboolean
gls_text_select_quote (GlsTextIndex  *index,
                       const char    *exact,
                       const char    *prefix,
                       const char    *suffix,
                       GlsSelector   *out,
                       GError       **error)
{
  gsize exact_len, prefix_len, suffix_len;
  const char *text, *p, *text_end;
  gsize found = 0;
  guint count = 0;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (index != NULL, FALSE);
  g_return_val_if_fail (exact != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (*exact == '\0')
    {
      g_set_error_literal (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                           _("The quote is empty"));
      return FALSE;
    }
  if (!g_utf8_validate (exact, -1, NULL) ||
      (prefix != NULL && !g_utf8_validate (prefix, -1, NULL)) ||
      (suffix != NULL && !g_utf8_validate (suffix, -1, NULL)))
    {
      g_set_error_literal (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                           _("The quote, its prefix or its suffix is not UTF-8 text"));
      return FALSE;
    }

  exact_len = strlen (exact);
  prefix_len = prefix != NULL ? strlen (prefix) : 0;
  suffix_len = suffix != NULL ? strlen (suffix) : 0;
  text = index->text;
  text_end = text + index->bytes;

  /* Every occurrence, overlapping ones too: "aa" is twice in "aaa". */
  for (p = text;
       (gsize) (text_end - p) >= exact_len &&
       (p = memmem (p, text_end - p, exact, exact_len)) != NULL;
       p++)
    {
      gsize from = p - text;

      if (matches_at (index, from, prefix, prefix_len, from + exact_len, suffix, suffix_len))
        {
          if (count++ == 0)
            found = from;
        }
    }

  shown = quote_for_message (exact);
  if (count == 0)
    {
      if (prefix_len > 0 || suffix_len > 0)
        g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                     _("“%s” is not in the text with that prefix and suffix"), shown);
      else
        g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                     _("“%s” is not in the text"), shown);
      return FALSE;
    }
  if (count > 1)
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "“%s” occurs %u time in the text; give a prefix or a suffix "
                                "(--prefix, --suffix) to say which",
                                "“%s” occurs %u times in the text; give a prefix or a suffix "
                                "(--prefix, --suffix) to say which", count),
                   shown, count);
      return FALSE;
    }

  {
    gint64 start = gls_text_index_to_offset (index, found);
    gint64 end = gls_text_index_to_offset (index, found + exact_len);

    return gls_text_select_range (index, start, end, out);
  }
}

/* Anchoring */

GlsAnchorState
gls_text_anchor (GlsTextIndex      *index,
                 const GlsSelector *selector,
                 gint64            *out_start,
                 gint64            *out_end)
{
  gint64 start = -1, end = -1;
  GlsAnchorState state = GLS_ANCHOR_ORPHANED;

  g_return_val_if_fail (index != NULL, GLS_ANCHOR_ORPHANED);
  g_return_val_if_fail (selector != NULL, GLS_ANCHOR_ORPHANED);

  if (selector->kind != GLS_SELECTOR_TEXT)
    goto out;

  if (selector->exact == NULL || selector->exact[0] == '\0')
    {
      if (selector->start >= 0 && selector->start <= selector->end &&
          selector->end <= index->length)
        {
          start = selector->start;
          end = selector->end;
          state = GLS_ANCHOR_IN_PLACE;
        }
      goto out;
    }

  {
    const char *exact = selector->exact;
    gsize exact_len = strlen (exact);
    gint64 exact_chars = g_utf8_strlen (exact, exact_len);
    const char *text = index->text, *text_end = text + index->bytes, *p;
    gint64 best = -1;
    gint64 best_score = -1, best_dist = G_MAXINT64;

    if (selector->start >= 0 && selector->start + exact_chars <= index->length)
      {
        gsize from = gls_text_index_to_byte (index, selector->start);

        if (exact_len <= index->bytes - from && memcmp (text + from, exact, exact_len) == 0)
          {
            start = selector->start;
            end = start + exact_chars;
            state = GLS_ANCHOR_IN_PLACE;
            goto out;
          }
      }

    for (p = text;
         (gsize) (text_end - p) >= exact_len &&
         (p = memmem (p, text_end - p, exact, exact_len)) != NULL;
         p++)
      {
        gint64 at = gls_text_index_to_offset (index, p - text);
        gint64 score = 0, dist;
        const char *q;

        if (selector->prefix != NULL)
          {
            const char *a = selector->prefix + strlen (selector->prefix);

            for (q = p; q > text && a > selector->prefix && q[-1] == a[-1]; q--, a--)
              score++;
          }
        if (selector->suffix != NULL)
          {
            const char *a = selector->suffix;

            for (q = p + exact_len; q < text_end && *a != '\0' && *q == *a; q++, a++)
              score++;
          }
        dist = selector->start >= 0 ? ABS (at - selector->start) : at;
        if (score > best_score || (score == best_score && dist < best_dist))
          {
            best = at;
            best_score = score;
            best_dist = dist;
          }
      }

    if (best >= 0)
      {
        start = best;
        end = best + exact_chars;
        state = GLS_ANCHOR_MOVED;
      }
  }

out:
  if (out_start != NULL)
    *out_start = start;
  if (out_end != NULL)
    *out_end = end;
  return state;
}
