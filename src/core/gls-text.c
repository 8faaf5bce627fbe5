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
  /* For anchoring, made on first need (see below) */
  gpointer    qgrams;
  gpointer    alphabet;
};

static inline gboolean
is_char_start (guchar c)
{
  return (c & 0xC0) != 0x80;
}

static void qgrams_free   (gpointer q);
static void alphabet_free (gpointer a);

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
  qgrams_free (self->qgrams);
  alphabet_free (self->alphabet);
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
  /* (memcmp () with a NULL prefix is undefined, even for no bytes.) */
  if (prefix_len > 0 &&
      (prefix_len > from || memcmp (index->text + from - prefix_len, prefix, prefix_len) != 0))
    return FALSE;
  if (suffix_len > 0 &&
      (suffix_len > index->bytes - to || memcmp (index->text + to, suffix, suffix_len) != 0))
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

/* Anchoring
 *
 * Exact occurrences are found through a table of the text's 4-byte grams
 * (QGrams), fuzzy ones by Myers' bit-parallel edit distance search over
 * the text's code points, each turned into a small number (Alphabet).
 * Both are made on first need and kept in the index: anchoring the
 * threads of a design asks the same text again and again.
 */

/* Grams of QGRAM bytes, at every QSTEP-th byte: an occurrence of a
 * needle of at least QGRAM + QSTEP - 1 bytes has one of its first QSTEP
 * grams at such a byte. A shorter needle is looked for with memmem (). */
#define QGRAM 4
#define QSTEP 8
/* Beyond this many candidates × bytes compared, the occurrences of a
 * quote are looked for with memmem () instead (a gram found all over a
 * repetitive text), and beyond it again the search stops: a bound for
 * hostile texts, far above what a real one needs. */
#define FIND_BUDGET (G_GUINT64_CONSTANT (64) * 1024 * 1024)
/* Code points of a quote that one machine word matches: a longer quote is
 * matched by its first and its last PIECE code points. */
#define PIECE 64
/* Scans of a long stretch run as this many independent lanes, which the
 * processor runs side by side. */
#define LANES 4
/* Steps a lane takes between two looks at its distance. */
#define BLOCK 16

typedef struct
{
  guint32 *heads;      /* (1 << bits) + 1 offsets into positions */
  guint32 *positions;  /* byte indexes, grouped by gram hash, ascending */
  guint    bits;
} QGrams;

typedef struct
{
  guint16    *ids;     /* one per code point; 0: a code point past the 65,535th kind */
  guint16    *bmp;     /* id of each code point below U+10000, 0: none */
  GHashTable *astral;  /* the others: code point → id */
  guint       n_ids;   /* ids 1 … n_ids are used */
} Alphabet;

static inline guint
qgram_hash (const char *p,
            guint       bits)
{
  guint32 key;

  memcpy (&key, p, sizeof key);
  return (key * 2654435761u) >> (32 - bits);
}

static QGrams *
qgrams_new (GlsTextIndex *self)
{
  QGrams *q = g_new0 (QGrams, 1);
  const char *text = self->text;
  gsize n_positions;
  guint n_buckets;

  /* Byte indexes are 32-bit: a longer text uses memmem () alone. */
  if (self->bytes < QGRAM + QSTEP || self->bytes > G_MAXUINT32)
    return q;

  n_positions = (self->bytes - QGRAM) / QSTEP + 1;
  q->bits = CLAMP (g_bit_storage (n_positions), 8, 22);
  n_buckets = 1u << q->bits;
  q->heads = g_new0 (guint32, n_buckets + 1);
  q->positions = g_new (guint32, n_positions);

  /* Counted, summed into each bucket's end, then filled backwards: each
   * bucket ascends, and its head ends up at its start. */
  for (gsize i = 0; i < n_positions; i++)
    q->heads[qgram_hash (text + i * QSTEP, q->bits)]++;
  for (guint b = 1; b <= n_buckets; b++)
    q->heads[b] += q->heads[b - 1];
  for (gsize i = n_positions; i-- > 0;)
    q->positions[--q->heads[qgram_hash (text + i * QSTEP, q->bits)]] = i * QSTEP;

  return q;
}

static void
qgrams_free (gpointer data)
{
  QGrams *q = data;

  if (q == NULL)
    return;
  g_free (q->heads);
  g_free (q->positions);
  g_free (q);
}

static QGrams *
index_qgrams (GlsTextIndex *self)
{
  if (g_once_init_enter (&self->qgrams))
    g_once_init_leave (&self->qgrams, qgrams_new (self));
  return self->qgrams;
}

static guint16
alphabet_lookup (const Alphabet *a,
                 gunichar        c)
{
  if (c < 0x10000)
    return a->bmp[c];
  return GPOINTER_TO_UINT (g_hash_table_lookup (a->astral, GUINT_TO_POINTER (c)));
}

static Alphabet *
alphabet_new (GlsTextIndex *self)
{
  Alphabet *a = g_new0 (Alphabet, 1);
  const guchar *p = (const guchar *) self->text;
  const guchar *end = p + self->bytes;
  gint64 i = 0;

  a->ids = g_new (guint16, MAX (self->length, 1));
  a->bmp = g_new0 (guint16, 0x10000);
  a->astral = g_hash_table_new (NULL, NULL);

  while (p < end && i < self->length)
    {
      gunichar c;
      guint16 id;

      if (*p < 0x80)
        c = *p++;
      else
        {
          c = g_utf8_get_char ((const char *) p);
          p = (const guchar *) g_utf8_next_char (p);
        }

      id = alphabet_lookup (a, c);
      if (id == 0 && a->n_ids < G_MAXUINT16)
        {
          id = ++a->n_ids;
          if (c < 0x10000)
            a->bmp[c] = id;
          else
            g_hash_table_insert (a->astral, GUINT_TO_POINTER (c), GUINT_TO_POINTER (id));
        }
      a->ids[i++] = id;
    }

  return a;
}

static void
alphabet_free (gpointer data)
{
  Alphabet *a = data;

  if (a == NULL)
    return;
  g_free (a->ids);
  g_free (a->bmp);
  g_hash_table_unref (a->astral);
  g_free (a);
}

static Alphabet *
index_alphabet (GlsTextIndex *self)
{
  if (g_once_init_enter (&self->alphabet))
    g_once_init_leave (&self->alphabet, alphabet_new (self));
  return self->alphabet;
}

static int
compare_sizes (gconstpointer a,
               gconstpointer b)
{
  gsize x = *(const gsize *) a, y = *(const gsize *) b;

  return x < y ? -1 : x > y;
}

/* Byte indexes of the occurrences of @needle, ascending, overlapping ones
 * too. */
static GArray *
find_all (GlsTextIndex *self,
          const char   *needle,
          gsize         len)
{
  GArray *found = g_array_new (FALSE, FALSE, sizeof (gsize));
  const char *text = self->text;
  guint64 budget = FIND_BUDGET;
  QGrams *q;

  if (len == 0 || len > self->bytes)
    return found;

  q = len >= QGRAM + QSTEP - 1 ? index_qgrams (self) : NULL;
  if (q != NULL && q->heads != NULL)
    {
      guint64 candidates = 0;

      for (guint j = 0; j < QSTEP; j++)
        {
          guint h = qgram_hash (needle + j, q->bits);

          candidates += q->heads[h + 1] - q->heads[h];
        }

      if (candidates * len <= budget)
        {
          /* An occurrence at t has its gram at offset j = -t mod QSTEP
           * indexed: each is found once. */
          for (guint j = 0; j < QSTEP; j++)
            {
              guint h = qgram_hash (needle + j, q->bits);

              for (guint32 i = q->heads[h]; i < q->heads[h + 1]; i++)
                {
                  gsize at = q->positions[i];

                  if (at < j || at - j + len > self->bytes)
                    continue;
                  at -= j;
                  if (memcmp (text + at, needle, len) == 0)
                    g_array_append_val (found, at);
                }
            }
          g_array_sort (found, compare_sizes);
          return found;
        }
    }

  for (const char *p = text;
       (gsize) (text + self->bytes - p) >= len &&
       (p = memmem (p, text + self->bytes - p, needle, len)) != NULL;
       p++)
    {
      gsize at = p - text;

      g_array_append_val (found, at);
      if (budget < len)
        break;
      budget -= len;
    }
  return found;
}

/* How many code points of @context (its end if @before, else its start)
 * the text has right before / after byte @at; at most
 * GLS_TEXT_CONTEXT_LENGTH of them are compared. */
static guint
context_match (GlsTextIndex *self,
               gsize         at,
               const char   *context,
               gboolean      before)
{
  const char *text = self->text;
  gsize clen;
  guint n = 0;

  if (context == NULL || (clen = strlen (context)) == 0)
    return 0;

  if (before)
    {
      const char *c = context + clen;
      const char *t = text + at;

      while (c > context && t > text && c[-1] == t[-1] && n < GLS_TEXT_CONTEXT_LENGTH)
        {
          c--;
          t--;
          if (is_char_start (*c))
            n++;
        }
    }
  else
    {
      const char *c = context;
      const char *t = text + at;
      const char *end = text + self->bytes;

      while (*c != '\0' && t < end && *c == *t)
        {
          c++;
          t++;
          /* A character counts once all of its bytes matched. */
          if (*c == '\0' || is_char_start (*c))
            {
              n++;
              if (n == GLS_TEXT_CONTEXT_LENGTH)
                break;
            }
        }
    }

  return n;
}

/* The code points of the context that context_match () compares. */
static guint
context_length (const char *context)
{
  glong n;

  if (context == NULL)
    return 0;
  n = g_utf8_strlen (context, -1);
  return MIN (n, GLS_TEXT_CONTEXT_LENGTH);
}

typedef struct
{
  GlsTextIndex *index;
  const char   *exact;
  gsize         exact_bytes;
  gint64        m;            /* code points of the quote */
  gint64        k;            /* errors allowed */
  gint64        old_start;    /* -1: unknown */
  const char   *prefix;
  const char   *suffix;
  guint         prefix_len;   /* code points compared, at most 32 */
  guint         suffix_len;
} Anchor;

typedef struct
{
  gint64  start;
  gint64  end;
  gint64  distance;
  guint   prefix_match;
  guint   suffix_match;
  gint64  score;
} Candidate;

static gint64
distance_to_old (const Anchor *a,
                 gint64        start)
{
  return a->old_start >= 0 ? ABS (start - a->old_start) : start;
}

/* As Hypothesis weighs a fuzzy match (quote 50, prefix 20, suffix 20,
 * position 2), in integers so that every peer computes the same. */
static void
score_candidate (const Anchor *a,
                 Candidate    *c)
{
  GlsTextIndex *index = a->index;
  gint64 quote, prefix = 0, suffix = 0, position = 0;

  c->prefix_match = context_match (index, gls_text_index_to_byte (index, c->start), a->prefix, TRUE);
  c->suffix_match = context_match (index, gls_text_index_to_byte (index, c->end), a->suffix, FALSE);

  quote = (a->m - MIN (c->distance, a->m)) * 1000 / a->m;
  if (a->prefix_len > 0)
    prefix = c->prefix_match * 1000 / a->prefix_len;
  if (a->suffix_len > 0)
    suffix = c->suffix_match * 1000 / a->suffix_len;
  if (a->old_start >= 0)
    position = 1000 - MIN (1000, distance_to_old (a, c->start) * 1000 / MAX (index->length, 1));

  c->score = 50 * quote + 20 * prefix + 20 * suffix + 2 * position;
}

static gboolean
candidate_better (const Anchor    *a,
                  const Candidate *c,
                  const Candidate *than)
{
  if (c->score != than->score)
    return c->score > than->score;
  if (distance_to_old (a, c->start) != distance_to_old (a, than->start))
    return distance_to_old (a, c->start) < distance_to_old (a, than->start);
  /* "line." against "line!" rather than "line" */
  if (ABS (c->end - c->start - a->m) != ABS (than->end - than->start - a->m))
    return ABS (c->end - c->start - a->m) < ABS (than->end - than->start - a->m);
  if (c->start != than->start)
    return c->start < than->start;
  return c->end < than->end;
}

/* The quote's old neighbours are both, or one of them, right around it. */
static gboolean
candidate_between_neighbours (const Anchor    *a,
                              const Candidate *c)
{
  return (a->prefix_len > 0 && c->prefix_match == a->prefix_len) ||
         (a->suffix_len > 0 && c->suffix_match == a->suffix_len);
}

/* Exact occurrences elsewhere: the one whose context matches best, then
 * the nearest to the old position. */
static gboolean
anchor_moved (const Anchor *a,
              Candidate    *best)
{
  g_autoptr(GArray) found = find_all (a->index, a->exact, a->exact_bytes);
  gboolean any = FALSE;

  for (guint i = 0; i < found->len; i++)
    {
      gsize at = g_array_index (found, gsize, i);
      Candidate c = { 0, };

      c.start = gls_text_index_to_offset (a->index, at);
      c.end = c.start + a->m;
      c.prefix_match = context_match (a->index, at, a->prefix, TRUE);
      c.suffix_match = context_match (a->index, at + a->exact_bytes, a->suffix, FALSE);
      c.score = c.prefix_match + c.suffix_match;
      if (!any || candidate_better (a, &c, best))
        {
          *best = c;
          any = TRUE;
        }
    }

  return any;
}

/* Myers' bit-vector algorithm ("A fast bit-vector algorithm for
 * approximate string matching based on dynamic programming", 1999) for a
 * pattern of at most 64 code points. */
typedef struct
{
  guint64 *peq;      /* by id: the positions of the pattern that hold it */
  guint64 *peq_rev;  /* the same for the pattern reversed */
  guint    m;
  guint    k;
  guint64  high;     /* the pattern's last bit */
} Pattern;

static void
pattern_init (Pattern        *p,
              const Alphabet *alphabet,
              const gunichar *chars,
              guint           m,
              guint           k)
{
  g_assert (m >= 1 && m <= 64);

  p->peq = g_new0 (guint64, alphabet->n_ids + 1);
  p->peq_rev = g_new0 (guint64, alphabet->n_ids + 1);
  p->m = m;
  p->k = k;
  p->high = G_GUINT64_CONSTANT (1) << (m - 1);

  for (guint i = 0; i < m; i++)
    {
      guint16 id = alphabet_lookup (alphabet, chars[i]);

      /* A code point the text lacks matches nothing: no bit. */
      if (id == 0)
        continue;
      p->peq[id] |= G_GUINT64_CONSTANT (1) << i;
      p->peq_rev[id] |= G_GUINT64_CONSTANT (1) << (m - 1 - i);
    }
  /* Id 0 stands for code points past the 65,535th kind: never equal. */
  p->peq[0] = p->peq_rev[0] = 0;
}

static void
pattern_clear (Pattern *p)
{
  g_clear_pointer (&p->peq, g_free);
  g_clear_pointer (&p->peq_rev, g_free);
}

typedef struct
{
  guint64 pv;
  guint64 mv;
  gint64  score;
} Lane;

#define MYERS_STEP(lane, eq, high)                                        \
  G_STMT_START {                                                          \
    guint64 xv_ = (eq) | (lane).mv;                                       \
    guint64 xh_ = ((((eq) & (lane).pv) + (lane).pv) ^ (lane).pv) | (eq);  \
    guint64 ph_ = (lane).mv | ~(xh_ | (lane).pv);                         \
    guint64 mh_ = (lane).pv & xh_;                                        \
    (lane).score += ((ph_ & (high)) != 0) - ((mh_ & (high)) != 0);        \
    ph_ <<= 1;                                                            \
    mh_ <<= 1;                                                            \
    (lane).pv = mh_ | ~(xv_ | ph_);                                       \
    (lane).mv = ph_ & xv_;                                                \
  } G_STMT_END

/* The same without the distance, on a lane's two words. */
#define MYERS_STEP_FAST(pv, mv, eq_value)                                 \
  G_STMT_START {                                                          \
    guint64 eq_ = (eq_value);                                             \
    guint64 xv_ = eq_ | (mv);                                             \
    guint64 xh_ = (((eq_ & (pv)) + (pv)) ^ (pv)) | eq_;                   \
    guint64 ph_ = ((mv) | ~(xh_ | (pv))) << 1;                            \
    guint64 mh_ = ((pv) & xh_) << 1;                                      \
    (pv) = mh_ | ~(xv_ | ph_);                                            \
    (mv) = ph_ & xv_;                                                     \
  } G_STMT_END

/* Without the processor's own instruction (not in the x86-64 baseline),
 * inline rather than libgcc's call. */
static inline gint64
popcount (guint64 x)
{
  x = x - ((x >> 1) & G_GUINT64_CONSTANT (0x5555555555555555));
  x = (x & G_GUINT64_CONSTANT (0x3333333333333333)) + ((x >> 2) & G_GUINT64_CONSTANT (0x3333333333333333));
  x = (x + (x >> 4)) & G_GUINT64_CONSTANT (0x0f0f0f0f0f0f0f0f);
  return (gint64) ((x * G_GUINT64_CONSTANT (0x0101010101010101)) >> 56);
}

typedef struct
{
  gint64 end;       /* exclusive */
  gint64 distance;
} Hit;

static inline void
add_hit (GArray *hits,
         gint64  end,
         gint64  distance)
{
  Hit hit = { end, distance };

  g_array_append_val (hits, hit);
}

/* One lane over [@from, @to), hits from @record on. */
static void
myers_lane (const Pattern *p,
            const guint16 *ids,
            Lane          *lane,
            gint64         from,
            gint64         to,
            gint64         record,
            GArray        *hits)
{
  const guint64 *peq = p->peq;
  const guint64 high = p->high;
  const gint64 k = p->k;

  for (gint64 j = from; j < to; j++)
    {
      guint64 eq = peq[ids[j]];

      MYERS_STEP (*lane, eq, high);
      if (G_UNLIKELY (lane->score <= k) && j >= record)
        add_hit (hits, j + 1, lane->score);
    }
}

/* Every end (exclusive) in (@from, @to] of a passage within [@from, @to)
 * at most p->k edits from the pattern, with its distance; ascending. */
static void
myers_search (const Pattern  *p,
              const guint16  *ids,
              gint64          from,
              gint64          to,
              GArray         *hits)
{
  const guint64 *peq = p->peq;
  const guint64 mask = p->m == 64 ? ~G_GUINT64_CONSTANT (0) : (G_GUINT64_CONSTANT (1) << p->m) - 1;
  const gint64 k = p->k;
  gint64 span = to - from;
  gint64 warm = (gint64) p->m + p->k;
  gint64 chunk, begin[LANES], start[LANES], stop[LANES], steps;
  GArray *lane_hits[LANES];
  Lane l0, l1, l2, l3;

  if (span <= 0)
    return;

  if (span < LANES * 4 * warm || span < 4096)
    {
      Lane lane = { ~G_GUINT64_CONSTANT (0), 0, p->m };

      myers_lane (p, ids, &lane, from, to, from, hits);
      return;
    }

  /* Four lanes over consecutive stretches, stepped together so that the
   * processor runs their chains of dependent steps side by side. Each
   * starts `warm` code points early, so that from its own stretch on its
   * distances are the whole scan's (a match of at most k edits spans at
   * most m + k code points). */
  chunk = (span + LANES - 1) / LANES;
  for (guint l = 0; l < LANES; l++)
    {
      begin[l] = MIN (to, from + l * chunk);
      start[l] = l == 0 ? begin[l] : begin[l] - warm;
      lane_hits[l] = l == 0 ? hits : g_array_new (FALSE, FALSE, sizeof (Hit));
    }
  l0 = l1 = l2 = l3 = (Lane) { ~G_GUINT64_CONSTANT (0), 0, p->m };
  for (guint l = 0; l < LANES; l++)
    stop[l] = l + 1 < LANES ? begin[l + 1] : to;
  steps = stop[0] - start[0];
  for (guint l = 1; l < LANES; l++)
    steps = MIN (steps, stop[l] - start[l]);

  /* Blocks of BLOCK steps without the distance, which costs as much as
   * the step itself: it is the popcount difference of the column's
   * deltas, and it moves by one a step at most, so from its values at both
   * ends of a block, a block that cannot hold a hit is known. Any other is
   * stepped again, lane by lane, with the distance. */
  {
    const guint16 *t0 = ids + start[0], *t1 = ids + start[1];
    const guint16 *t2 = ids + start[2], *t3 = ids + start[3];
    gint64 s = 0;

    for (; s + BLOCK <= steps; s += BLOCK)
      {
        Lane saved[LANES] = { l0, l1, l2, l3 };
        guint64 p0 = l0.pv, m0 = l0.mv, p1 = l1.pv, m1 = l1.mv;
        guint64 p2 = l2.pv, m2 = l2.mv, p3 = l3.pv, m3 = l3.mv;
        Lane *lanes[LANES] = { &l0, &l1, &l2, &l3 };

        for (gint64 b = s; b < s + BLOCK; b++)
          {
            MYERS_STEP_FAST (p0, m0, peq[t0[b]]);
            MYERS_STEP_FAST (p1, m1, peq[t1[b]]);
            MYERS_STEP_FAST (p2, m2, peq[t2[b]]);
            MYERS_STEP_FAST (p3, m3, peq[t3[b]]);
          }
        l0.pv = p0, l0.mv = m0, l1.pv = p1, l1.mv = m1;
        l2.pv = p2, l2.mv = m2, l3.pv = p3, l3.mv = m3;

        for (guint l = 0; l < LANES; l++)
          {
            Lane *lane = lanes[l];
            gint64 score = popcount (lane->pv & mask) - popcount (lane->mv & mask);

            if (saved[l].score + score - BLOCK > 2 * k)
              lane->score = score;
            else
              {
                *lane = saved[l];
                myers_lane (p, ids, lane, start[l] + s, start[l] + s + BLOCK, begin[l],
                            lane_hits[l]);
              }
          }
      }
    steps = s;
  }

  /* What each lane has left of its stretch. */
  myers_lane (p, ids, &l0, start[0] + steps, stop[0], begin[0], lane_hits[0]);
  myers_lane (p, ids, &l1, start[1] + steps, stop[1], begin[1], lane_hits[1]);
  myers_lane (p, ids, &l2, start[2] + steps, stop[2], begin[2], lane_hits[2]);
  myers_lane (p, ids, &l3, start[3] + steps, stop[3], begin[3], lane_hits[3]);

  for (guint l = 1; l < LANES; l++)
    {
      g_array_append_vals (hits, lane_hits[l]->data, lane_hits[l]->len);
      g_array_free (lane_hits[l], TRUE);
    }
}

/* The start of the best passage that ends at @end, no earlier than
 * @lower: the reversed pattern against the text read backwards from @end,
 * anchored there. The fewest edits; then the length nearest the
 * pattern's; then the later start. */
static gint64
myers_start (const Pattern  *p,
             const guint16  *ids,
             gint64          lower,
             gint64          end,
             gint64         *out_distance)
{
  Lane lane = { ~G_GUINT64_CONSTANT (0), 0, p->m };
  gint64 best = end, best_d = p->m, t = 0;

  lower = MAX (lower, end - (gint64) p->m - p->k);
  for (gint64 j = end - 1; j >= lower; j--)
    {
      guint64 eq = p->peq_rev[ids[j]];
      guint64 xv = eq | lane.mv;
      guint64 xh = (((eq & lane.pv) + lane.pv) ^ lane.pv) | eq;
      guint64 ph = lane.mv | ~(xh | lane.pv);
      guint64 mh = lane.pv & xh;

      lane.score += ((ph & p->high) != 0) - ((mh & p->high) != 0);
      /* Anchored: the first row grows by one a column. */
      ph = (ph << 1) | 1;
      mh <<= 1;
      lane.pv = mh | ~(xv | ph);
      lane.mv = ph & xv;
      t++;

      if (lane.score < best_d ||
          (lane.score == best_d && ABS (t - (gint64) p->m) < ABS ((end - best) - (gint64) p->m)))
        {
          best_d = lane.score;
          best = j;
        }
    }

  *out_distance = best_d;
  return best;
}

typedef struct
{
  gint64 start;
  gint64 end;
  gint64 distance;
} Span;

/* The passages within [@from, @to) that match @p: in each run of hits
 * (consecutive ends), those at its fewest edits ("OK" against "Ok": "O"
 * and "Ok"; the context tells them apart). */
static void
pattern_spans (const Pattern *p,
               const guint16 *ids,
               gint64         from,
               gint64         to,
               GArray        *spans)
{
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (Hit));
  guint i = 0;

  myers_search (p, ids, from, to, hits);

  while (i < hits->len)
    {
      gint64 fewest = g_array_index (hits, Hit, i).distance;
      guint j = i + 1;

      for (; j < hits->len; j++)
        {
          const Hit *h = &g_array_index (hits, Hit, j);

          if (h->end != g_array_index (hits, Hit, j - 1).end + 1)
            break;
          fewest = MIN (fewest, h->distance);
        }

      for (; i < j; i++)
        {
          const Hit *h = &g_array_index (hits, Hit, i);
          Span span;

          if (h->distance != fewest)
            continue;
          span.end = h->end;
          span.start = myers_start (p, ids, from, h->end, &span.distance);
          if (span.end > span.start && span.distance <= p->k)
            g_array_append_val (spans, span);
        }
    }
}

typedef struct
{
  const Anchor  *anchor;
  const guint16 *ids;
  Pattern        whole;   /* a quote of at most PIECE code points */
  Pattern        head;    /* else its first and last PIECE */
  Pattern        tail;
  gboolean       pieces;
} Fuzzy;

static void
fuzzy_init (Fuzzy        *f,
            const Anchor *a,
            Alphabet     *alphabet)
{
  g_autofree gunichar *chars = NULL;
  glong n = 0;

  memset (f, 0, sizeof *f);
  f->anchor = a;
  f->ids = alphabet->ids;

  chars = g_utf8_to_ucs4_fast (a->exact, a->exact_bytes, &n);
  g_assert (n == a->m);

  if (a->m <= PIECE)
    pattern_init (&f->whole, alphabet, chars, a->m, a->k);
  else
    {
      f->pieces = TRUE;
      pattern_init (&f->head, alphabet, chars, PIECE, PIECE / 4);
      pattern_init (&f->tail, alphabet, chars + a->m - PIECE, PIECE, PIECE / 4);
    }
}

static void
fuzzy_clear (Fuzzy *f)
{
  pattern_clear (&f->whole);
  pattern_clear (&f->head);
  pattern_clear (&f->tail);
}

static int
compare_span_starts (gconstpointer a,
                     gconstpointer b)
{
  const Span *x = a, *y = b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->end < y->end ? -1 : x->end > y->end;
}

/* Passages within [@from, @to) at most k edits from the quote; for a long
 * quote, a match of its head and one of its tail that make a passage of
 * about the quote's length (the middle is not compared). */
static void
fuzzy_spans (Fuzzy  *f,
             gint64  from,
             gint64  to,
             GArray *spans)
{
  const Anchor *a = f->anchor;
  g_autoptr(GArray) heads = NULL;
  g_autoptr(GArray) tails = NULL;

  from = MAX (from, 0);
  to = MIN (to, a->index->length);
  if (to <= from)
    return;

  if (!f->pieces)
    {
      pattern_spans (&f->whole, f->ids, from, to, spans);
      return;
    }

  heads = g_array_new (FALSE, FALSE, sizeof (Span));
  tails = g_array_new (FALSE, FALSE, sizeof (Span));
  pattern_spans (&f->head, f->ids, from, to, heads);
  /* Tails only where a head's passage would end, each stretch of text
   * once: without heads there is no passage, and the second scan is
   * saved. */
  if (heads->len > 0)
    {
      g_autoptr(GArray) windows = g_array_sized_new (FALSE, FALSE, sizeof (Span), heads->len);
      Span open;

      for (guint i = 0; i < heads->len; i++)
        {
          const Span *h = &g_array_index (heads, Span, i);
          Span w = { MAX (from, h->start + a->m - a->k - PIECE - PIECE / 4),
                     MIN (to, h->start + a->m + a->k), 0 };

          if (w.end > w.start)
            g_array_append_val (windows, w);
        }
      g_array_sort (windows, compare_span_starts);

      for (guint i = 0; i < windows->len; i++)
        {
          const Span *w = &g_array_index (windows, Span, i);

          if (i == 0)
            open = *w;
          else if (w->start <= open.end)
            open.end = MAX (open.end, w->end);
          else
            {
              pattern_spans (&f->tail, f->ids, open.start, open.end, tails);
              open = *w;
            }
        }
      if (windows->len > 0)
        pattern_spans (&f->tail, f->ids, open.start, open.end, tails);
    }

  /* Tails ascend by end: the first that ends at lo or later. */
  for (guint i = 0; i < heads->len; i++)
    {
      const Span *h = &g_array_index (heads, Span, i);
      gint64 lo = h->start + a->m - a->k;
      gint64 hi = h->start + a->m + a->k;
      const Span *best = NULL;
      gint64 best_d = 0;
      guint first_tail = 0, last = tails->len;

      while (first_tail < last)
        {
          guint mid = first_tail + (last - first_tail) / 2;

          if (g_array_index (tails, Span, mid).end < lo)
            first_tail = mid + 1;
          else
            last = mid;
        }
      for (guint t = first_tail; t < tails->len; t++)
        {
          const Span *tail = &g_array_index (tails, Span, t);
          gint64 d;

          if (tail->end > hi)
            break;
          if (tail->start < h->start)
            continue;
          d = h->distance + tail->distance + ABS (tail->end - h->start - a->m);
          if (best == NULL || d < best_d)
            {
              best = tail;
              best_d = d;
            }
        }

      if (best != NULL && best_d <= a->k)
        {
          Span span = { h->start, best->end, best_d };

          g_array_append_val (spans, span);
        }
    }
}

/* The best of @spans as a candidate; FALSE if none will do.
 * @neighbours_only: only one right after its old prefix or right before
 * its old suffix. */
static gboolean
best_span (const Anchor *a,
           GArray       *spans,
           gboolean      neighbours_only,
           Candidate    *best)
{
  gboolean any = FALSE;

  for (guint i = 0; i < spans->len; i++)
    {
      const Span *s = &g_array_index (spans, Span, i);
      Candidate c = { s->start, s->end, s->distance, 0, 0, 0 };

      score_candidate (a, &c);
      /* For a quote of one to three code points one edit is a lot: only
       * where its old neighbours still are. */
      if ((neighbours_only || a->m < 4) && !candidate_between_neighbours (a, &c))
        continue;
      if (!any || candidate_better (a, &c, best))
        {
          *best = c;
          any = TRUE;
        }
    }

  return any;
}

/* The passage rewritten beyond the bound but still between its old
 * neighbours: the whole of its prefix's compared end, then, at most about
 * twice the quote's length later, the whole of its suffix's compared
 * start. The pair nearest the old position wins. */
static gboolean
anchor_between_neighbours (const Anchor *a,
                           Candidate    *best)
{
  GlsTextIndex *index = a->index;
  g_autofree char *prefix = NULL;
  g_autofree char *suffix = NULL;
  g_autoptr(GArray) prefixes = NULL;
  g_autoptr(GArray) suffixes = NULL;
  gint64 longest = 2 * a->m + 16;
  gboolean any = FALSE;
  guint next = 0;

  if (a->prefix_len == 0 || a->suffix_len == 0)
    return FALSE;
  prefix = g_strdup (g_utf8_offset_to_pointer (a->prefix + strlen (a->prefix), -(glong) a->prefix_len));
  suffix = g_strndup (a->suffix, g_utf8_offset_to_pointer (a->suffix, a->suffix_len) - a->suffix);
  prefixes = find_all (index, prefix, strlen (prefix));
  suffixes = find_all (index, suffix, strlen (suffix));

  for (guint i = 0; i < prefixes->len; i++)
    {
      gsize after = g_array_index (prefixes, gsize, i) + strlen (prefix);
      gint64 start = gls_text_index_to_offset (index, after);

      /* Both lists ascend: the first suffix at or after this prefix. */
      while (next < suffixes->len && g_array_index (suffixes, gsize, next) < after)
        next++;
      if (next < suffixes->len)
        {
          gint64 end = gls_text_index_to_offset (index, g_array_index (suffixes, gsize, next));
          Candidate c = { start, end, 0, a->prefix_len, a->suffix_len, 0 };

          /* Nothing left between them: the passage is gone. */
          if (end - start > longest || end <= start)
            continue;
          if (!any || distance_to_old (a, c.start) < distance_to_old (a, best->start))
            {
              *best = c;
              any = TRUE;
            }
        }
    }

  return any;
}

/* The passage, changed: first looked for where its neighbours are (after
 * each place its prefix is, before each place its suffix is, and at its
 * old position): one right between them is taken at once. Else the whole
 * text is searched, in time linear in its length. */
static gboolean
anchor_changed (const Anchor *a,
                Candidate    *best)
{
  GlsTextIndex *index = a->index;
  Alphabet *alphabet = index_alphabet (index);
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  gint64 reach = a->m + a->k;
  gboolean found;
  Fuzzy f;

  fuzzy_init (&f, a, alphabet);

  for (guint side = 0; side < 2; side++)
    {
      const char *context = side == 0 ? a->prefix : a->suffix;
      guint len = side == 0 ? a->prefix_len : a->suffix_len;
      g_autofree char *piece = NULL;
      g_autoptr(GArray) found_at = NULL;
      const char *start;

      if (len == 0)
        continue;
      /* The part of the context that is compared: the prefix's end, the
       * suffix's start. */
      if (side == 0)
        start = g_utf8_offset_to_pointer (context + strlen (context), -(glong) len);
      else
        start = context;
      piece = side == 0 ? g_strdup (start)
                        : g_strndup (start, g_utf8_offset_to_pointer (start, len) - start);
      found_at = find_all (index, piece, strlen (piece));

      for (guint i = 0; i < found_at->len && i < 64; i++)
        {
          gsize at = g_array_index (found_at, gsize, i);

          if (side == 0)
            {
              gint64 after = gls_text_index_to_offset (index, at + strlen (piece));

              fuzzy_spans (&f, after, after + reach, spans);
            }
          else
            {
              gint64 before = gls_text_index_to_offset (index, at);

              fuzzy_spans (&f, before - reach, before, spans);
            }
        }
    }
  if (a->old_start >= 0 && a->old_start < index->length)
    fuzzy_spans (&f, a->old_start - reach, a->old_start + 2 * reach, spans);

  found = best_span (a, spans, TRUE, best);
  if (!found)
    {
      Candidate between;

      g_array_set_size (spans, 0);
      fuzzy_spans (&f, 0, index->length, spans);
      found = best_span (a, spans, FALSE, best);
      /* Rewritten more than the bound allows, between its old neighbours:
       * that place, unless the match found lies within it (more exact). */
      if (anchor_between_neighbours (a, &between) &&
          (!found || best->start < between.start || best->end > between.end))
        {
          *best = between;
          found = TRUE;
        }
    }

  fuzzy_clear (&f);
  return found;
}

GlsAnchorState
gls_text_anchor (GlsTextIndex      *index,
                 const GlsSelector *selector,
                 gint64            *out_start,
                 gint64            *out_end)
{
  gint64 start = -1, end = -1;
  GlsAnchorState state = GLS_ANCHOR_ORPHANED;
  Anchor a = { 0, };
  Candidate best = { 0, };

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

  /* Not UTF-8 cannot be in the text (and would not be read safely). */
  if (!g_utf8_validate (selector->exact, -1, NULL) ||
      (selector->prefix != NULL && !g_utf8_validate (selector->prefix, -1, NULL)) ||
      (selector->suffix != NULL && !g_utf8_validate (selector->suffix, -1, NULL)))
    goto out;

  a.index = index;
  a.exact = selector->exact;
  a.exact_bytes = strlen (selector->exact);
  a.m = g_utf8_strlen (selector->exact, a.exact_bytes);
  /* At most a quarter of the quote may differ; a one-letter quote must be
   * found as it is. */
  a.k = MIN (MAX (1, a.m / 4), a.m - 1);
  a.old_start = selector->start;
  a.prefix = selector->prefix;
  a.suffix = selector->suffix;
  a.prefix_len = context_length (selector->prefix);
  a.suffix_len = context_length (selector->suffix);

  if (a.m > index->length + a.k)
    goto out;

  if (selector->start >= 0 && selector->start + a.m <= index->length)
    {
      gsize from = gls_text_index_to_byte (index, selector->start);

      if (a.exact_bytes <= index->bytes - from &&
          memcmp (index->text + from, a.exact, a.exact_bytes) == 0)
        {
          start = selector->start;
          end = start + a.m;
          state = GLS_ANCHOR_IN_PLACE;
          goto out;
        }
    }

  if (anchor_moved (&a, &best))
    {
      start = best.start;
      end = best.end;
      state = GLS_ANCHOR_MOVED;
      goto out;
    }

  if (a.k >= 1 && index->length > 0 && anchor_changed (&a, &best))
    {
      start = best.start;
      end = best.end;
      state = GLS_ANCHOR_CHANGED;
    }

out:
  if (out_start != NULL)
    *out_start = start;
  if (out_end != NULL)
    *out_end = end;
  return state;
}
