/* gls-json-parser.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-json"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "gls-json-parser.h"

/* Lexing rules shared by the parser and the text checks */

static inline int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static inline gboolean
read_hex4 (const char *p,
           const char *end,
           gunichar   *out)
{
  gunichar v = 0;

  if (end - p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (p[i]);

      if (h < 0)
        return FALSE;
      v = (v << 4) | (gunichar) h;
    }
  *out = v;
  return TRUE;
}

/* *p just after "\u": the code point of the escape, with its low half
 * when it is a high surrogate; *p past it. On error, what is wrong and
 * *p where. A lone surrogate has no UTF-8 form: json-glib writes bytes
 * that are not UTF-8, which nothing can read back. */
static const char *
lex_unicode_escape (const char **p,
                    const char  *end,
                    gunichar    *out)
{
  const char *q = *p;
  gunichar u;

  if (!read_hex4 (q, end, &u))
    {
      *p -= 2;
      return _("bad \\u escape: four hex digits must follow");
    }
  q += 4;
  if (u >= 0xd800 && u <= 0xdbff)
    {
      gunichar lo;

      if (end - q < 6 || q[0] != '\\' || q[1] != 'u' || !read_hex4 (q + 2, end, &lo) ||
          lo < 0xdc00 || lo > 0xdfff)
        {
          *p -= 2;
          return _("lone surrogate: a \\ud800-\\udbff escape must be followed by a \\udc00-\\udfff one");
        }
      u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
      q += 6;
    }
  else if (u >= 0xdc00 && u <= 0xdfff)
    {
      *p -= 2;
      return _("lone surrogate: a \\udc00-\\udfff escape must follow a \\ud800-\\udbff one");
    }
  if (u == 0)
    {
      *p -= 2;
      return _("\\u0000: strings cannot hold NUL characters");
    }
  *p = q;
  *out = u;
  return NULL;
}

/* The number grammar of RFC 8259 at *p; *p past it. *grammar_int when it
 * has no fraction and no exponent. */
static inline const char *
lex_number (const char **p,
            const char  *end,
            gboolean    *grammar_int)
{
  const char *q = *p;

  *grammar_int = TRUE;
  if (q < end && *q == '-')
    q++;
  if (q >= end || !g_ascii_isdigit (*q))
    {
      *p = q;
      return _("bad number: a digit must follow");
    }
  if (*q == '0')
    q++;
  else
    while (q < end && g_ascii_isdigit (*q))
      q++;
  if (q < end && *q == '.')
    {
      *grammar_int = FALSE;
      q++;
      if (q >= end || !g_ascii_isdigit (*q))
        {
          *p = q;
          return _("bad number: a digit must follow the decimal point");
        }
      while (q < end && g_ascii_isdigit (*q))
        q++;
    }
  if (q < end && (*q == 'e' || *q == 'E'))
    {
      *grammar_int = FALSE;
      q++;
      if (q < end && (*q == '+' || *q == '-'))
        q++;
      if (q >= end || !g_ascii_isdigit (*q))
        {
          *p = q;
          return _("bad number: a digit must follow the exponent");
        }
      while (q < end && g_ascii_isdigit (*q))
        q++;
    }
  *p = q;
  return NULL;
}

/* The value of the number [begin, begin + len), already lexed: *is_int
 * and *iv when it is an integer that fits in gint64, else *dv. NULL, or
 * what is wrong: a number beyond the range of a double (1e400) has no
 * JSON form to write back; it is refused, not rounded to infinity. */
static const char *
number_value (const char *begin,
              gsize       len,
              gboolean    grammar_int,
              gboolean   *is_int,
              gint64     *iv,
              double     *dv)
{
  char stack_buf[64];
  g_autofree char *heap_buf = NULL;
  char *buf = stack_buf;
  double d;

  /* Up to 18 digits always fits in gint64: no conversion call. */
  if (grammar_int && len <= 18)
    {
      const char *q = begin;
      gboolean negative = *q == '-';
      gint64 v = 0;

      if (negative)
        q++;
      for (; q < begin + len; q++)
        v = v * 10 + (*q - '0');
      *is_int = TRUE;
      *iv = negative ? -v : v;
      return NULL;
    }

  if (len >= sizeof stack_buf)
    buf = heap_buf = g_malloc (len + 1);
  memcpy (buf, begin, len);
  buf[len] = '\0';

  if (grammar_int)
    {
      gint64 v;

      errno = 0;
      v = g_ascii_strtoll (buf, NULL, 10);
      if (errno == 0)
        {
          *is_int = TRUE;
          *iv = v;
          return NULL;
        }
    }

  d = g_ascii_strtod (buf, NULL);
  if (!isfinite (d))
    return _("number out of range: beyond the largest double (about 1.8e308)");
  *is_int = FALSE;
  *dv = d;
  return NULL;
}

const char *
gls_json_check_string (const char **p,
                       const char  *end)
{
  const guchar *begin;
  const guchar *q;
  guchar seen = 0;     /* the bytes' bits, or-ed: 0x80 past ASCII */

  g_return_val_if_fail (p != NULL && *p != NULL && *p < end && **p == '"', "?");

  begin = q = (const guchar *) *p + 1;
  while (q < (const guchar *) end)
    {
      guchar c = *q;

      if (c == '"')
        {
          const char *valid_end;

          /* Escapes are ASCII: the raw text is UTF-8 when the string is. */
          if ((seen & 0x80) != 0 &&
              !g_utf8_validate ((const char *) begin, q - begin, &valid_end))
            {
              *p = valid_end;
              return _("string is not UTF-8");
            }
          *p = (const char *) q + 1;
          return NULL;
        }
      if (c < 0x20)
        {
          *p = (const char *) q;
          return _("control character in string: it must be escaped");
        }
      if (c != '\\')
        {
          seen |= c;
          q++;
          continue;
        }
      if ((const char *) q + 1 >= end)
        break;
      switch (q[1])
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          q += 2;
          break;
        case 'u':
          {
            const char *r = (const char *) q + 2;
            const char *what;
            gunichar u;

            if ((what = lex_unicode_escape (&r, end, &u)) != NULL)
              {
                *p = r;
                return what;
              }
            q = (const guchar *) r;
          }
          break;
        default:
          *p = (const char *) q;
          return _("bad escape in string");
        }
    }

  *p = end;
  return _("unterminated string");
}

const char *
gls_json_check_number (const char **p,
                       const char  *end,
                       gboolean    *is_int)
{
  const char *begin;
  const char *what;
  gboolean grammar_int;
  gboolean int_value;
  gint64 iv;
  double dv;

  g_return_val_if_fail (p != NULL && *p != NULL, "?");

  begin = *p;
  if ((what = lex_number (p, end, &grammar_int)) != NULL)
    return what;
  /* Integers short enough always fit; fractions and exponents need the
   * conversion to know whether they are finite. */
  if ((what = number_value (begin, *p - begin, grammar_int, &int_value, &iv, &dv)) != NULL)
    {
      *p = begin;
      return what;
    }
  if (is_int != NULL)
    *is_int = int_value;
  return NULL;
}

static inline void
skip_ws_at (const char **p,
            const char  *end)
{
  while (*p < end && (**p == ' ' || **p == '\n' || **p == '\r' || **p == '\t'))
    (*p)++;
}

static gboolean
skip_word (const char **p,
           const char  *end,
           const char  *word)
{
  gsize n = strlen (word);

  if ((gsize) (end - *p) < n || memcmp (*p, word, n) != 0)
    return FALSE;
  *p += n;
  return TRUE;
}

gboolean
gls_json_skip_value (const char **p,
                     const char  *end,
                     guint        depth)
{
  gboolean is_int;
  char close;

  skip_ws_at (p, end);
  if (*p >= end || depth > GLS_JSON_MAX_DEPTH)
    return FALSE;
  switch (**p)
    {
    case '"':
      return gls_json_check_string (p, end) == NULL;
    case 't':
      return skip_word (p, end, "true");
    case 'f':
      return skip_word (p, end, "false");
    case 'n':
      return skip_word (p, end, "null");
    case '{':
    case '[':
      break;
    default:
      return gls_json_check_number (p, end, &is_int) == NULL;
    }

  close = **p == '{' ? '}' : ']';
  (*p)++;
  skip_ws_at (p, end);
  if (*p < end && **p == close)
    {
      (*p)++;
      return TRUE;
    }
  for (;;)
    {
      if (close == '}')
        {
          skip_ws_at (p, end);
          if (*p >= end || **p != '"' || gls_json_check_string (p, end) != NULL)
            return FALSE;
          skip_ws_at (p, end);
          if (*p >= end || **p != ':')
            return FALSE;
          (*p)++;
        }
      if (!gls_json_skip_value (p, end, depth + 1))
        return FALSE;
      skip_ws_at (p, end);
      if (*p >= end)
        return FALSE;
      if (**p == ',')
        {
          (*p)++;
          continue;
        }
      if (**p != close)
        return FALSE;
      (*p)++;
      return TRUE;
    }
}

/* Parser */

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  GError    **error;
  int         depth;
} Parser;

static JsonNode *parse_value (Parser *ps);

static gboolean
parse_fail (Parser     *ps,
            const char *what)
{
  if (ps->error != NULL && *ps->error == NULL)
    g_set_error (ps->error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                 /* %zu, not G_GSIZE_FORMAT: xgettext must see the whole string. */
                 _("Invalid JSON at byte %zu: %s"),
                 (size_t) (ps->p - ps->start), what);
  return FALSE;
}

static inline void
skip_ws (Parser *ps)
{
  while (ps->p < ps->end &&
         (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
    ps->p++;
}

/* Decodes the string at ps->p in place (escapes never grow) and
 * NUL-terminates it; returns a pointer into the buffer, valid as long as
 * the buffer. ps->p ends after the closing quote. */
static const char *
parse_string (Parser *ps)
{
  const guchar *scan;
  guchar seen = 0;     /* the bytes' bits, or-ed: 0x80 past ASCII */
  char *begin;
  char *w;

  g_assert (*ps->p == '"');
  ps->p++;
  begin = (char *) ps->p;

  /* Fast path: a run without escapes. The buffer ends with a NUL, a
   * control character, which stops the run too. */
  scan = (const guchar *) ps->p;
  while (*scan >= 0x20 && *scan != '"' && *scan != '\\')
    seen |= *scan++;
  ps->p = (const char *) scan;
  w = (char *) ps->p;

  while (ps->p < ps->end)
    {
      char c = *ps->p;

      if (c == '"')
        {
          const char *valid_end;

          /* Plain ASCII is UTF-8, and so are decoded escapes. */
          if ((seen & 0x80) != 0 && !g_utf8_validate (begin, w - begin, &valid_end))
            {
              /* Where, in the text: exact unless escapes shrank it. */
              ps->p = w == ps->p ? valid_end : begin - 1;
              parse_fail (ps, _("string is not UTF-8"));
              return NULL;
            }
          ps->p++;
          *w = '\0';
          return begin;
        }
      if ((guchar) c < 0x20)
        {
          parse_fail (ps, _("control character in string: it must be escaped"));
          return NULL;
        }
      if (c != '\\')
        {
          seen |= (guchar) c;
          *w++ = c;
          ps->p++;
          continue;
        }

      if (ps->p + 1 >= ps->end)
        break;
      switch (ps->p[1])
        {
        case '"': *w++ = '"'; break;
        case '\\': *w++ = '\\'; break;
        case '/': *w++ = '/'; break;
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 't': *w++ = '\t'; break;
        case 'u':
          {
            const char *what;
            gunichar u;

            ps->p += 2;
            if ((what = lex_unicode_escape (&ps->p, ps->end, &u)) != NULL)
              {
                parse_fail (ps, what);
                return NULL;
              }
            /* 6 (or 12) bytes of escape become at most 3 (or 4). */
            w += g_unichar_to_utf8 (u, w);
          }
          continue;
        default:
          parse_fail (ps, _("bad escape in string"));
          return NULL;
        }
      ps->p += 2;
    }

  parse_fail (ps, _("unterminated string"));
  return NULL;
}

static JsonNode *
parse_number (Parser *ps)
{
  const char *begin = ps->p;
  const char *what;
  gboolean grammar_int;
  gboolean is_int;
  gint64 iv;
  double dv;

  if ((what = lex_number (&ps->p, ps->end, &grammar_int)) != NULL)
    {
      parse_fail (ps, what);
      return NULL;
    }
  if ((what = number_value (begin, ps->p - begin, grammar_int, &is_int, &iv, &dv)) != NULL)
    {
      ps->p = begin;
      parse_fail (ps, what);
      return NULL;
    }
  if (is_int)
    return json_node_init_int (json_node_alloc (), iv);
  return json_node_init_double (json_node_alloc (), dv);
}

static gboolean
parse_literal (Parser     *ps,
               const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (ps->end - ps->p) < len || memcmp (ps->p, word, len) != 0)
    {
      /* "tr" at the very end: the text stops inside the word. */
      if ((gsize) (ps->end - ps->p) < len && memcmp (ps->p, word, ps->end - ps->p) == 0)
        ps->p = ps->end;
      return parse_fail (ps, _("unexpected character"));
    }
  ps->p += len;
  return TRUE;
}

static JsonNode *
parse_object (Parser *ps)
{
  JsonObject *object = json_object_new ();
  JsonNode *node;

  ps->p++;
  skip_ws (ps);
  if (ps->p < ps->end && *ps->p == '}')
    {
      ps->p++;
      goto done;
    }

  for (;;)
    {
      const char *key;
      JsonNode *value;

      skip_ws (ps);
      if (ps->p >= ps->end)
        {
          parse_fail (ps, _("unexpected end: an object is not closed"));
          goto fail;
        }
      if (*ps->p != '"')
        {
          parse_fail (ps, _("expected a member name"));
          goto fail;
        }
      if (!(key = parse_string (ps)))
        goto fail;
      skip_ws (ps);
      if (ps->p >= ps->end || *ps->p != ':')
        {
          parse_fail (ps, _("expected ‘:’"));
          goto fail;
        }
      ps->p++;
      if (!(value = parse_value (ps)))
        goto fail;
      json_object_set_member (object, key, value);
      skip_ws (ps);
      if (ps->p < ps->end && *ps->p == ',')
        {
          ps->p++;
          continue;
        }
      if (ps->p < ps->end && *ps->p == '}')
        {
          ps->p++;
          break;
        }
      parse_fail (ps, ps->p >= ps->end ? _("unexpected end: an object is not closed")
                                       : _("expected ‘,’ or ‘}’"));
      goto fail;
    }

done:
  node = json_node_alloc ();
  json_node_init_object (node, object);
  json_object_unref (object);
  return node;

fail:
  json_object_unref (object);
  return NULL;
}

static JsonNode *
parse_array (Parser *ps)
{
  JsonArray *array = json_array_new ();
  JsonNode *node;

  ps->p++;
  skip_ws (ps);
  if (ps->p < ps->end && *ps->p == ']')
    {
      ps->p++;
      goto done;
    }

  for (;;)
    {
      JsonNode *value;

      if (!(value = parse_value (ps)))
        goto fail;
      json_array_add_element (array, value);
      skip_ws (ps);
      if (ps->p < ps->end && *ps->p == ',')
        {
          ps->p++;
          continue;
        }
      if (ps->p < ps->end && *ps->p == ']')
        {
          ps->p++;
          break;
        }
      parse_fail (ps, ps->p >= ps->end ? _("unexpected end: an array is not closed")
                                       : _("expected ‘,’ or ‘]’"));
      goto fail;
    }

done:
  node = json_node_alloc ();
  json_node_init_array (node, array);
  json_array_unref (array);
  return node;

fail:
  json_array_unref (array);
  return NULL;
}

static JsonNode *
parse_value (Parser *ps)
{
  JsonNode *node = NULL;

  skip_ws (ps);
  if (ps->p >= ps->end)
    {
      parse_fail (ps, _("unexpected end: a value is missing"));
      return NULL;
    }
  if (++ps->depth > GLS_JSON_MAX_DEPTH)
    {
      /* Counted in values: the limit is on arrays and objects inside
       * each other, and a scalar inside the deepest one. */
      parse_fail (ps, _("nested too deeply (more than 256 levels)"));
      return NULL;
    }

  switch (*ps->p)
    {
    case '{':
      node = parse_object (ps);
      break;
    case '[':
      node = parse_array (ps);
      break;
    case '"':
      {
        const char *s = parse_string (ps);
        if (s != NULL)
          node = json_node_init_string (json_node_alloc (), s);
      }
      break;
    case 't':
      if (parse_literal (ps, "true"))
        node = json_node_init_boolean (json_node_alloc (), TRUE);
      break;
    case 'f':
      if (parse_literal (ps, "false"))
        node = json_node_init_boolean (json_node_alloc (), FALSE);
      break;
    case 'n':
      if (parse_literal (ps, "null"))
        node = json_node_init_null (json_node_alloc ());
      break;
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      node = parse_number (ps);
      break;
    default:
      parse_fail (ps, _("unexpected character"));
      break;
    }

  ps->depth--;
  return node;
}

static JsonNode *
from_data (const char  *text,
           gssize       length,
           gboolean    *cut,
           GError     **error);

JsonNode *
gls_json_from_data (const char  *text,
                    gssize       length,
                    GError     **error)
{
  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return from_data (text, length, NULL, error);
}

gboolean
gls_json_is_cut (const char *text,
                 gssize      length)
{
  g_autoptr(JsonNode) node = NULL;
  gboolean cut = FALSE;

  g_return_val_if_fail (text != NULL || length == 0, FALSE);

  node = from_data (text, length, &cut, NULL);
  return node == NULL && cut;
}

static JsonNode *
from_data (const char  *text,
           gssize       length,
           gboolean    *cut,
           GError     **error)
{
  char stack_buf[4096];
  g_autofree char *heap_buf = NULL;
  char *buf = stack_buf;
  Parser ps;
  JsonNode *node;

  if (text == NULL)
    text = "";
  if (length < 0)
    length = strlen (text);

  /* Strings are decoded in place, in a private copy. */
  if ((gsize) length >= sizeof stack_buf)
    buf = heap_buf = g_malloc (length + 1);
  memcpy (buf, text, length);
  buf[length] = '\0';

  ps.start = ps.p = buf;
  ps.end = buf + length;
  ps.error = error;
  ps.depth = 0;

  skip_ws (&ps);
  if (ps.p == ps.end)
    {
      parse_fail (&ps, length == 0 ? _("the text is empty") : _("the text is only white space"));
      /* A longpoll's heartbeats and nothing more: it stopped before the
       * answer began. */
      if (cut != NULL)
        *cut = TRUE;
      return NULL;
    }
  node = parse_value (&ps);
  if (node == NULL)
    {
      /* Valid as far as it goes, and it went to the end: cut short. */
      if (cut != NULL)
        *cut = ps.p >= ps.end;
      return NULL;
    }
  skip_ws (&ps);
  if (ps.p != ps.end)
    {
      parse_fail (&ps, _("trailing data after the value"));
      json_node_unref (node);
      return NULL;
    }
  return node;
}
