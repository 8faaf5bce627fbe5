/* gls-store-scan.c: text read without a parser: _bulk_get answers cut
 * into documents kept as canonical text (GlsStoreDocBatch), and the keys
 * an index takes from a stored body
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-store"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "gls-json-parser.h"
#include "gls-store-private.h"

/* _bulk_get answers as text (GlsStoreDocBatch) */

typedef struct
{
  const char *p;
  const char *end;
  int         depth;
  const char *what;    /* why a string or number was refused */
  /* The batch where the current result, and item, began: a member named
   * twice ("docs", "ok") counts once, the last, as with a parser. */
  guint       result_entries;
  gsize       result_text;
  guint       item_entries;
  gsize       item_text;
} Scan;

static inline void
scan_ws (Scan *s)
{
  while (s->p < s->end &&
         (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
    s->p++;
}

/* To the quote that ends the string: the first one after an even number
 * of backslashes (memchr finds the candidates: most strings have none). */
static gboolean
skip_string (Scan *s)
{
  const char *begin = s->p + 1;
  const char *p = begin;

  for (;;)
    {
      const char *quote = memchr (p, '"', s->end - p);
      const char *q;

      if (quote == NULL)
        return FALSE;
      for (q = quote; q > begin && q[-1] == '\\'; q--)
        ;
      if ((quote - q) % 2 == 0)
        {
          s->p = quote + 1;
          return TRUE;
        }
      p = quote + 1;
    }
}

static gboolean
skip_literal (Scan       *s,
              const char *word,
              gsize       len)
{
  if ((gsize) (s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return FALSE;
  s->p += len;
  return TRUE;
}

/* A string or a number by the parser's rules (gls-json-parser.h): a
 * body kept as text must be one the parser would read back. */
static inline gboolean
check_string (Scan *s)
{
  return (s->what = gls_json_check_string (&s->p, s->end)) == NULL;
}

static inline gboolean
check_number (Scan     *s,
              gboolean *is_int)
{
  return (s->what = gls_json_check_number (&s->p, s->end, is_int)) == NULL;
}

/* Finds the end of a value (white space allowed); FALSE when it is not
 * well-formed enough to find it, or nests deeper than GLS_JSON_MAX_DEPTH.
 * With `check`, its strings follow the parser's rules too: what is
 * skipped must be JSON all the same. Without, only for a value that is
 * checked whole next (a document: canonical, or parsed). */
static gboolean
skip_value (Scan     *s,
            gboolean  check)
{
  scan_ws (s);
  if (s->p >= s->end)
    return FALSE;
  switch (*s->p)
    {
    case '"':
      return check ? check_string (s) : skip_string (s);
    case '{':
    case '[':
      {
        gboolean object = *s->p == '{';
        char close = object ? '}' : ']';

        if (++s->depth > GLS_JSON_MAX_DEPTH)
          return FALSE;
        s->p++;
        scan_ws (s);
        if (s->p < s->end && *s->p == close)
          {
            s->p++;
            s->depth--;
            return TRUE;
          }
        for (;;)
          {
            if (object)
              {
                scan_ws (s);
                if (s->p >= s->end || *s->p != '"' ||
                    !(check ? check_string (s) : skip_string (s)))
                  return FALSE;
                scan_ws (s);
                if (s->p >= s->end || *s->p != ':')
                  return FALSE;
                s->p++;
              }
            if (!skip_value (s, check))
              return FALSE;
            scan_ws (s);
            if (s->p < s->end && *s->p == ',')
              {
                s->p++;
                continue;
              }
            if (s->p < s->end && *s->p == close)
              {
                s->p++;
                s->depth--;
                return TRUE;
              }
            return FALSE;
          }
      }
    case 't':
      return skip_literal (s, "true", 4);
    case 'f':
      return skip_literal (s, "false", 5);
    case 'n':
      return skip_literal (s, "null", 4);
    default:
      return check_number (s, NULL);
    }
}

/* Index keys (see _gls_store_update_index_entries) */

/* A string without escapes, added to keys; FALSE for any other string. */
static gboolean
index_plain_string (Scan      *s,
                    GPtrArray *keys)
{
  const char *begin = s->p + 1;
  const char *end = memchr (begin, '"', s->end - begin);

  if (end == NULL || memchr (begin, '\\', end - begin) != NULL)
    return FALSE;
  if (keys != NULL)
    g_ptr_array_add (keys, g_strndup (begin, end - begin));
  s->p = end + 1;
  return TRUE;
}

/* What SQLite's json_each gives with type 'text' for the value at s->p:
 * the string itself, or the strings of an array or object. */
static gboolean
index_value_keys (Scan      *s,
                  GPtrArray *keys)
{
  gboolean object;
  char close;

  scan_ws (s);
  if (s->p >= s->end)
    return FALSE;
  if (*s->p == '"')
    return index_plain_string (s, keys);
  if (*s->p != '{' && *s->p != '[')
    return skip_value (s, FALSE);
  object = *s->p == '{';
  close = object ? '}' : ']';
  s->p++;
  scan_ws (s);
  if (s->p < s->end && *s->p == close)
    return TRUE;
  for (;;)
    {
      scan_ws (s);
      if (object)
        {
          if (s->p >= s->end || *s->p != '"' || !skip_string (s))
            return FALSE;
          scan_ws (s);
          if (s->p >= s->end || *s->p != ':')
            return FALSE;
          s->p++;
          scan_ws (s);
        }
      if (s->p < s->end && *s->p == '"')
        {
          if (!index_plain_string (s, keys))
            return FALSE;
        }
      else if (!skip_value (s, FALSE))
        return FALSE;
      scan_ws (s);
      if (s->p < s->end && *s->p == ',')
        s->p++;
      else
        return s->p < s->end && *s->p == close;
    }
}

/*
 * The keys an index on the member `names` (a path from the top) takes
 * from a stored body, as the index's SQL (json_each) would: FALSE when
 * this cannot tell (a string with escapes, text it does not expect),
 * and the caller asks SQLite instead. `sorted`: the body is as the store
 * writes it, members in byte order, so the search for one stops at the
 * first name past it.
 */
gboolean
_gls_store_json_index_keys (const char        *body,
                            const char *const *names,
                            gboolean           sorted,
                            GPtrArray         *keys)
{
  Scan s = { body, body + strlen (body), 0, };

  for (guint level = 0; names[level] != NULL; level++)
    {
      gboolean found = FALSE;

      scan_ws (&s);
      if (s.p >= s.end || *s.p != '{')
        return TRUE;   /* no such member: nothing to index */
      s.p++;
      scan_ws (&s);
      if (s.p < s.end && *s.p == '}')
        return TRUE;
      while (!found)
        {
          const char *name;
          gsize len = strlen (names[level]);
          gsize name_len;
          int order;

          scan_ws (&s);
          if (s.p >= s.end || *s.p != '"')
            return FALSE;
          name = s.p + 1;
          if (!index_plain_string (&s, NULL))
            return FALSE;
          name_len = s.p - 1 - name;
          order = memcmp (name, names[level], MIN (len, name_len));
          if (order == 0)
            order = name_len < len ? -1 : name_len > len ? 1 : 0;
          found = order == 0;
          if (sorted && order > 0)
            return TRUE;   /* past where it would be: no such member */
          scan_ws (&s);
          if (s.p >= s.end || *s.p != ':')
            return FALSE;
          s.p++;
          if (found)
            break;
          if (!skip_value (&s, FALSE))
            return FALSE;
          scan_ws (&s);
          if (s.p < s.end && *s.p == ',')
            s.p++;
          else
            return s.p < s.end && *s.p == '}';  /* the end: no such member */
        }
    }
  return index_value_keys (&s, keys);
}

/* Which of the 8 bytes at p need a look of their own in a string (the
 * high bit of each set): a quote, a backslash, a control or a byte of a
 * multi-byte character. Found as in "Bit Twiddling Hacks": a byte may be
 * marked that need not be, but only above (more significant than) one
 * that must; none that must is missed. */
static inline guint64
special_bytes (const guchar *p)
{
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const guint64 highs = G_GUINT64_CONSTANT (0x8080808080808080);
  guint64 w, quote, backslash;

  memcpy (&w, p, sizeof w);
  quote = w ^ (ones * '"');
  backslash = w ^ (ones * '\\');
  return (((quote - ones) & ~quote) |
          ((backslash - ones) & ~backslash) |
          ((w - ones * 0x20) & ~w) |
          w) & highs;
}

/* A string exactly as the canonical writer (gls-store-json.c) writes
 * its value; *plain when it has no escapes. */
static gboolean
canon_string (Scan     *s,
              gboolean *plain)
{
  const guchar *begin = (const guchar *) s->p + 1;
  const guchar *end = (const guchar *) s->end;
  const guchar *p = begin;
  guchar seen = 0;
  gboolean escaped = FALSE;

  while (p < end)
    {
      guchar c;

      /* Eight bytes at a time to the next that matters. */
      while (end - p >= 8)
        {
          guint64 special = special_bytes (p);

          if (special != 0)
            {
#if defined(__GNUC__) && G_BYTE_ORDER == G_LITTLE_ENDIAN
              p += __builtin_ctzll (special) / 8;   /* the first marked: one that matters */
#endif
              break;
            }
          p += 8;
        }
      if (p >= end)
        break;
      c = *p;

      if (c == '"')
        {
          if ((seen & 0x80) != 0 && !g_utf8_validate ((const char *) begin, p - begin, NULL))
            return FALSE;
          s->p = (const char *) p + 1;
          if (plain != NULL)
            *plain = !escaped;
          return TRUE;
        }
      if (c < 0x20)
        return FALSE;
      if (c != '\\')
        {
          seen |= c;
          p++;
          continue;
        }
      escaped = TRUE;
      if (end - p < 2)
        return FALSE;
      switch (p[1])
        {
        case '"': case '\\': case 'b': case 'f': case 'n': case 'r': case 't':
          p += 2;
          break;
        case 'u':
          {
            int code;

            if (end - p < 6 || p[2] != '0' || p[3] != '0' || (p[4] != '0' && p[4] != '1'))
              return FALSE;
            if (p[5] >= '0' && p[5] <= '9')
              code = p[5] - '0';
            else if (p[5] >= 'a' && p[5] <= 'f')
              code = p[5] - 'a' + 10;
            else
              return FALSE;
            code += (p[4] - '0') * 16;
            /* The writer has short escapes for these; it cannot write NUL. */
            if (code == 0 || code == '\b' || code == '\t' || code == '\n' ||
                code == '\f' || code == '\r')
              return FALSE;
            p += 6;
          }
          break;
        default:
          return FALSE;
        }
    }
  return FALSE;
}

/* A number as the writer writes what the parser reads. */
static gboolean
canon_number (Scan *s)
{
  const char *begin = s->p;
  char buf[64];
  char out[G_ASCII_DTOSTR_BUF_SIZE];
  gboolean is_int;
  gsize len;

  /* Refuses 1e400 too: it is not a double the parser would read. */
  if (!check_number (s, &is_int))
    return FALSE;
  len = s->p - begin;
  if (len >= sizeof buf)
    return FALSE;
  memcpy (buf, begin, len);
  buf[len] = '\0';
  if (is_int)
    {
      gint64 v;

      errno = 0;
      v = g_ascii_strtoll (buf, NULL, 10);
      if (errno != 0)
        return FALSE;
      g_snprintf (out, sizeof out, "%" G_GINT64_FORMAT, v);
    }
  else
    {
      double v = g_ascii_strtod (buf, NULL);

      if (!isfinite (v))
        return FALSE;
      _gls_store_json_format_double (out, v);
    }
  return strcmp (out, buf) == 0;
}

static int
compare_names (const char *a,
               gsize       a_len,
               const char *b,
               gsize       b_len)
{
  int c = memcmp (a, b, MIN (a_len, b_len));

  if (c != 0)
    return c;
  return a_len < b_len ? -1 : a_len > b_len ? 1 : 0;
}

/* A value exactly as _gls_json_write writes it: no white space, members
 * sorted and unique, names without escapes. */
static gboolean
canon_value (Scan *s)
{
  if (s->p >= s->end)
    return FALSE;
  switch (*s->p)
    {
    case '"':
      return canon_string (s, NULL);
    case '{':
      {
        const char *prev = NULL;
        gsize prev_len = 0;

        if (++s->depth > GLS_JSON_MAX_DEPTH)
          return FALSE;
        s->p++;
        if (s->p < s->end && *s->p == '}')
          {
            s->p++;
            s->depth--;
            return TRUE;
          }
        for (;;)
          {
            const char *name = s->p + 1;
            gboolean plain;
            gsize name_len;

            if (s->p >= s->end || *s->p != '"' || !canon_string (s, &plain) || !plain)
              return FALSE;
            name_len = s->p - 1 - name;
            if (prev != NULL && compare_names (prev, prev_len, name, name_len) >= 0)
              return FALSE;
            prev = name;
            prev_len = name_len;
            if (s->p >= s->end || *s->p != ':')
              return FALSE;
            s->p++;
            if (!canon_value (s))
              return FALSE;
            if (s->p < s->end && *s->p == ',')
              {
                s->p++;
                continue;
              }
            if (s->p < s->end && *s->p == '}')
              {
                s->p++;
                s->depth--;
                return TRUE;
              }
            return FALSE;
          }
      }
    case '[':
      if (++s->depth > GLS_JSON_MAX_DEPTH)
        return FALSE;
      s->p++;
      if (s->p < s->end && *s->p == ']')
        {
          s->p++;
          s->depth--;
          return TRUE;
        }
      for (;;)
        {
          if (!canon_value (s))
            return FALSE;
          if (s->p < s->end && *s->p == ',')
            {
              s->p++;
              continue;
            }
          if (s->p < s->end && *s->p == ']')
            {
              s->p++;
              s->depth--;
              return TRUE;
            }
          return FALSE;
        }
    case 't':
      return skip_literal (s, "true", 4);
    case 'f':
      return skip_literal (s, "false", 5);
    case 'n':
      return skip_literal (s, "null", 4);
    default:
      return canon_number (s);
    }
}

static gboolean
name_is (const char *name,
         gsize       len,
         const char *word)
{
  return strlen (word) == len && memcmp (name, word, len) == 0;
}

/* A plain string value [begin, end) (quotes included): its text. */
static gboolean
plain_string (const char  *begin,
              const char  *end,
              const char **text,
              gsize       *len)
{
  if (end - begin < 2 || *begin != '"' || memchr (begin, '\\', end - begin) != NULL)
    return FALSE;
  *text = begin + 1;
  *len = end - begin - 2;
  return TRUE;
}

/* _revisions as a Glossa peer writes it: {"ids":["hash"…],"start":N}.
 * Appends the hashes to `text`. */
static gboolean
text_revisions (const char  *p,
                const char  *end,
                GString     *text,
                GlsDocEntry *e)
{
  static const char head[] = "{\"ids\":[";
  static const char mid[] = "],\"start\":";
  gint64 start = 0;

  if ((gsize) (end - p) < sizeof head - 1 || memcmp (p, head, sizeof head - 1) != 0)
    return FALSE;
  p += sizeof head - 1;
  e->hashes = text->len;
  e->n_hashes = 0;
  for (;;)
    {
      gsize at = text->len;

      if (end - p < GLS_REV_HASH_LEN + 2 || p[0] != '"' || p[GLS_REV_HASH_LEN + 1] != '"')
        return FALSE;
      g_string_append_len (text, p + 1, GLS_REV_HASH_LEN);
      g_string_append_c (text, '\0');
      if (!_gls_rev_hash_is_valid (text->str + at))
        return FALSE;
      e->n_hashes++;
      p += GLS_REV_HASH_LEN + 2;
      if (p < end && *p == ',')
        {
          p++;
          continue;
        }
      break;
    }
  if ((gsize) (end - p) < sizeof mid - 1 || memcmp (p, mid, sizeof mid - 1) != 0)
    return FALSE;
  p += sizeof mid - 1;
  if (p >= end || *p < '1' || *p > '9')
    return FALSE;
  while (p < end && g_ascii_isdigit (*p))
    {
      start = start * 10 + (*p - '0');
      if (start > G_MAXINT32)
        return FALSE;
      p++;
    }
  if (p + 1 != end || *p != '}')
    return FALSE;
  if ((gint64) e->n_hashes > start)
    return FALSE;
  e->start = start;
  return TRUE;
}

/* Adds the document at `begin` (in text that ends at `limit`) as text if
 * it is canonical, and sets *doc_end after it; FALSE (and the batch as it
 * was) if not. */
static gboolean
batch_add_text (GlsStoreDocBatch  *batch,
                const char        *begin,
                const char        *limit,
                int                depth,
                const char       **doc_end)
{
  Scan s = { begin, limit, depth };
  GString *text = batch->text;
  gsize mark = text->len;
  GlsDocEntry e = { NULL, };
  const char *id = NULL, *rev = NULL, *revisions = NULL, *revisions_end = NULL;
  gsize id_len = 0, rev_len = 0;
  const char *prev = NULL;
  gsize prev_len = 0;
  gboolean first = TRUE;
  guint seen = 0;

  if (s.p >= s.end || *s.p != '{' || ++s.depth > GLS_JSON_MAX_DEPTH)
    return FALSE;
  s.p++;
  e.body = text->len;
  g_string_append_c (text, '{');
  if (s.p < s.end && *s.p == '}')
    s.p++;
  else
    for (;;)
      {
        const char *member = s.p;
        const char *name = s.p + 1;
        const char *value;
        gboolean plain;
        gsize name_len;

        if (s.p >= s.end || *s.p != '"' || !canon_string (&s, &plain) || !plain)
          goto fail;
        name_len = s.p - 1 - name;
        if (s.p >= s.end || *s.p != ':')
          goto fail;
        s.p++;
        value = s.p;
        if (!canon_value (&s))
          goto fail;
        if (name_len > 0 && name[0] == '_')
          {
            static const char *const known[] = {
              "_id", "_rev", "_revisions", "_deleted",
              /* read-only members a client may echo back: ignored */
              "_conflicts", "_deleted_conflicts", "_local_seq", "_revs_info", "_access",
            };
            guint k;

            for (k = 0; k < G_N_ELEMENTS (known); k++)
              if (name_is (name, name_len, known[k]))
                break;
            /* _attachments and anything unknown: the full rules. */
            if (k == G_N_ELEMENTS (known) || (seen & (1u << k)) != 0)
              goto fail;
            seen |= 1u << k;
            if (k == 0 && !plain_string (value, s.p, &id, &id_len))
              goto fail;
            if (k == 1 && !plain_string (value, s.p, &rev, &rev_len))
              goto fail;
            if (k == 2)
              {
                revisions = value;
                revisions_end = s.p;
              }
            if (k == 3)
              {
                if (*value == 't')
                  e.deleted = TRUE;
                else if (*value != 'f' && *value != 'n')
                  goto fail;
              }
          }
        else
          {
            if (prev != NULL && compare_names (prev, prev_len, name, name_len) >= 0)
              goto fail;
            prev = name;
            prev_len = name_len;
            if (!first)
              g_string_append_c (text, ',');
            first = FALSE;
            g_string_append_len (text, member, s.p - member);
          }
        if (s.p < s.end && *s.p == ',')
          {
            s.p++;
            continue;
          }
        if (s.p < s.end && *s.p == '}')
          {
            s.p++;
            break;
          }
        goto fail;
      }
  *doc_end = s.p;
  g_string_append_len (text, "}", 2);  /* with its NUL */

  /* Ids starting with _ (design, _local) go the full way. */
  if (id == NULL || id_len == 0 || id[0] == '_')
    goto fail;
  e.id = text->len;
  g_string_append_len (text, id, id_len);
  g_string_append_c (text, '\0');

  if (revisions != NULL)
    {
      if (!text_revisions (revisions, revisions_end, text, &e))
        goto fail;
    }
  else if (rev != NULL)
    {
      const char *dash = memchr (rev, '-', rev_len);
      gint64 gen = 0;

      if (dash == NULL || dash == rev || *rev == '0' ||
          rev + rev_len - dash - 1 != GLS_REV_HASH_LEN || dash - rev > 9)
        goto fail;
      for (const char *q = rev; q < dash; q++)
        {
          if (!g_ascii_isdigit (*q))
            goto fail;
          gen = gen * 10 + (*q - '0');
        }
      if (gen > G_MAXINT32)
        goto fail;
      e.start = gen;
      e.hashes = text->len;
      e.n_hashes = 1;
      g_string_append_len (text, dash + 1, GLS_REV_HASH_LEN);
      g_string_append_c (text, '\0');
      if (!_gls_rev_hash_is_valid (text->str + e.hashes))
        goto fail;
      rev = NULL;  /* it is the path */
    }
  else
    goto fail;

  if (rev != NULL)
    {
      /* _rev must be the newest of _revisions, written the same way. */
      char expected[32 + GLS_REV_HASH_LEN];
      int n = g_snprintf (expected, sizeof expected, "%" G_GINT64_FORMAT "-%s", e.start,
                          text->str + e.hashes);

      if ((gsize) n != rev_len || memcmp (expected, rev, rev_len) != 0)
        goto fail;
    }

  g_array_append_val (batch->entries, e);
  return TRUE;

fail:
  g_string_truncate (text, mark);
  return FALSE;
}

/* Back to its first `n_entries` entries and `text_len` bytes of text. */
static void
batch_truncate (GlsStoreDocBatch *batch,
                guint             n_entries,
                gsize             text_len)
{
  for (guint i = n_entries; i < batch->entries->len; i++)
    g_clear_pointer (&g_array_index (batch->entries, GlsDocEntry, i).doc, json_object_unref);
  g_array_set_size (batch->entries, n_entries);
  g_string_truncate (batch->text, text_len);
}

static void
batch_clear (GlsStoreDocBatch *batch)
{
  batch_truncate (batch, 0, 0);
}

void
gls_store_doc_batch_free (GlsStoreDocBatch *batch)
{
  if (batch == NULL)
    return;
  batch_clear (batch);
  g_array_unref (batch->entries);
  g_string_free (batch->text, TRUE);
  g_free (batch);
}

guint
gls_store_doc_batch_get_length (GlsStoreDocBatch *batch)
{
  g_return_val_if_fail (batch != NULL, 0);

  return batch->entries->len;
}

/* A document that is not canonical, [begin, end): parsed. */
static gboolean
batch_add_doc (GlsStoreDocBatch  *batch,
               const char        *begin,
               const char        *end,
               int                depth,
               GError           **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;
  GlsDocEntry e = { NULL, };

  if (!(node = _gls_json_parse (begin, end - begin, &local_error)))
    {
      g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST,
                   "A document in the answer is not valid JSON (%s)", local_error->message);
      return FALSE;
    }
  g_assert (JSON_NODE_HOLDS_OBJECT (node));
  e.doc = json_object_ref (json_node_get_object (node));
  g_array_append_val (batch->entries, e);
  return TRUE;
}

static gboolean
batch_fail (GError    **error,
            const char *what)
{
  g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST, "%s", what);
  return FALSE;
}

static gboolean
batch_fail_at (Scan    *s,
               GError **error)
{
  if (s->what != NULL)
    g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST,
                 "malformed JSON: %s", s->what);
  else
    g_set_error_literal (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST, "malformed JSON");
  return FALSE;
}

/* The members of the object at s->p, each name (quotes included) and
 * value start handed to `member`, which must consume the value. */
typedef gboolean (*MemberFunc) (Scan              *s,
                                const char        *name,
                                gsize              name_len,
                                GlsStoreDocBatch  *batch,
                                GError           **error);

static gboolean
scan_object (Scan              *s,
             MemberFunc         member,
             GlsStoreDocBatch  *batch,
             GError           **error)
{
  scan_ws (s);
  if (s->p >= s->end || *s->p != '{')
    return batch_fail (error, "expected an object");
  if (++s->depth > GLS_JSON_MAX_DEPTH)
    return batch_fail (error, "nested too deeply");
  s->p++;
  scan_ws (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      s->depth--;
      return TRUE;
    }
  for (;;)
    {
      const char *name;
      gsize name_len;

      scan_ws (s);
      name = s->p;
      if (s->p >= s->end || *s->p != '"' || !check_string (s))
        return batch_fail_at (s, error);
      name_len = s->p - name;
      scan_ws (s);
      if (s->p >= s->end || *s->p != ':')
        return batch_fail_at (s, error);
      s->p++;
      scan_ws (s);
      if (!member (s, name, name_len, batch, error))
        return FALSE;
      scan_ws (s);
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          continue;
        }
      if (s->p < s->end && *s->p == '}')
        {
          s->p++;
          s->depth--;
          return TRUE;
        }
      return batch_fail_at (s, error);
    }
}

/* s->p at a value that must be an array: each element to `element`. */
static gboolean
scan_array (Scan              *s,
            gboolean         (*element) (Scan *, GlsStoreDocBatch *, GError **),
            GlsStoreDocBatch  *batch,
            GError           **error)
{
  if (++s->depth > GLS_JSON_MAX_DEPTH)
    return batch_fail (error, "nested too deeply");
  s->p++;
  scan_ws (s);
  if (s->p < s->end && *s->p == ']')
    {
      s->p++;
      s->depth--;
      return TRUE;
    }
  for (;;)
    {
      scan_ws (s);
      if (!element (s, batch, error))
        return FALSE;
      scan_ws (s);
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          continue;
        }
      if (s->p < s->end && *s->p == ']')
        {
          s->p++;
          s->depth--;
          return TRUE;
        }
      return batch_fail_at (s, error);
    }
}

static gboolean
skip_member (Scan              *s,
             GlsStoreDocBatch  *batch,
             GError           **error)
{
  return skip_value (s, TRUE) || batch_fail_at (s, error);
}

static gboolean
doc_item_member (Scan              *s,
                 const char        *name,
                 gsize              name_len,
                 GlsStoreDocBatch  *batch,
                 GError           **error)
{
  const char *begin = s->p;
  const char *doc_end;
  int depth = s->depth;

  if (!name_is (name, name_len, "\"ok\""))
    return skip_member (s, batch, error);

  if (s->p >= s->end || *s->p != '{')
    return batch_fail (error, "a document is not an object");
  batch_truncate (batch, s->item_entries, s->item_text);
  if (batch_add_text (batch, begin, s->end, depth, &doc_end))
    {
      s->p = doc_end;
      return TRUE;
    }
  /* Not canonical: the parser decides (a lone surrogate escape, 1e400). */
  if (!skip_value (s, FALSE))
    return batch_fail_at (s, error);
  return batch_add_doc (batch, begin, s->p, depth, error);
}

static gboolean
doc_item (Scan              *s,
          GlsStoreDocBatch  *batch,
          GError           **error)
{
  /* Items that are not objects carry no document. */
  if (s->p >= s->end || *s->p != '{')
    return skip_member (s, batch, error);
  s->item_entries = batch->entries->len;
  s->item_text = batch->text->len;
  return scan_object (s, doc_item_member, batch, error);
}

typedef struct
{
  gboolean docs;
} ResultState;

static gboolean
result_member (Scan              *s,
               const char        *name,
               gsize              name_len,
               GlsStoreDocBatch  *batch,
               GError           **error)
{
  if (!name_is (name, name_len, "\"docs\""))
    return skip_member (s, batch, error);
  if (s->p >= s->end || *s->p != '[')
    return batch_fail (error, "a result without docs");
  batch_truncate (batch, s->result_entries, s->result_text);
  g_string_append_c (batch->text, '\0');  /* marks: this result has docs */
  return scan_array (s, doc_item, batch, error);
}

static gboolean
result_item (Scan              *s,
             GlsStoreDocBatch  *batch,
             GError           **error)
{
  /* A result must have "docs": counted by the byte result_member adds. */
  gsize before = batch->text->len;
  guint entries = batch->entries->len;

  if (s->p >= s->end || *s->p != '{')
    return batch_fail (error, "a result without docs");
  s->result_entries = entries;
  s->result_text = before;
  if (!scan_object (s, result_member, batch, error))
    return FALSE;
  if (batch->text->len == before && batch->entries->len == entries)
    return batch_fail (error, "a result without docs");
  return TRUE;
}

static gboolean
answer_member (Scan              *s,
               const char        *name,
               gsize              name_len,
               GlsStoreDocBatch  *batch,
               GError           **error)
{
  if (!name_is (name, name_len, "\"results\""))
    return skip_member (s, batch, error);
  if (s->p >= s->end || *s->p != '[')
    return batch_fail (error, "not a _bulk_get answer");
  /* The last "results" counts, as with a parser. */
  batch_clear (batch);
  g_string_append_c (batch->text, '\0');
  return scan_array (s, result_item, batch, error);
}

GlsStoreDocBatch *
gls_store_doc_batch_new_from_bulk_get (const char  *text,
                                       gsize        length,
                                       GError     **error)
{
  g_autoptr(GlsStoreDocBatch) batch = g_new0 (GlsStoreDocBatch, 1);
  Scan s = { text, text + length, 0 };

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  batch->entries = g_array_new (FALSE, TRUE, sizeof (GlsDocEntry));
  batch->text = g_string_sized_new (length + 64);
  if (!scan_object (&s, answer_member, batch, error))
    return NULL;
  scan_ws (&s);
  if (s.p != s.end)
    {
      batch_fail (error, "trailing data");
      return NULL;
    }
  if (batch->text->len == 0)
    {
      batch_fail (error, "not a _bulk_get answer");
      return NULL;
    }
  return g_steal_pointer (&batch);
}
