/* gls-store-json.c
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

#include "gls-store-private.h"

/* Canonical writer */

static void
write_string (GString    *out,
              const char *s)
{
  static const char hex[] = "0123456789abcdef";
  const char *run = s;

  g_string_append_c (out, '"');
  for (const char *p = s; *p; p++)
    {
      guchar c = (guchar) *p;
      const char *esc = NULL;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

      g_string_append_len (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default: break;
        }
      if (esc != NULL)
        {
          g_string_append (out, esc);
        }
      else
        {
          g_string_append (out, "\\u00");
          g_string_append_c (out, hex[c >> 4]);
          g_string_append_c (out, hex[c & 0xf]);
        }
    }
  g_string_append_len (out, run, strlen (run));
  g_string_append_c (out, '"');
}

static void
write_double (GString *out,
              double   v)
{
  static const char *formats[] = { "%.15g", "%.16g", "%.17g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (v))
    {
      g_string_append (out, "null");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], v);
      if (g_ascii_strtod (buf, NULL) == v)
        break;
    }
  g_string_append (out, buf);
}

void
_gls_json_write_string (GString    *out,
                        const char *s)
{
  write_string (out, s);
}

JsonNode *
gls_json_from_data (const char  *text,
                    gssize       length,
                    GError     **error)
{
  g_return_val_if_fail (text != NULL || length == 0, NULL);

  return _gls_json_parse (text != NULL ? text : "", length, error);
}

char *
gls_json_to_string (JsonNode *node)
{
  GString *out;

  g_return_val_if_fail (node != NULL, NULL);

  out = g_string_sized_new (256);
  _gls_json_write (out, node);
  return g_string_free (out, FALSE);
}

typedef struct
{
  const char *name;
  JsonNode   *node;
} Member;

static int
compare_members (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (((const Member *) a)->name, ((const Member *) b)->name);
}

void
_gls_json_write_object (GString    *out,
                        JsonObject *object,
                        gboolean    skip_underscore)
{
  guint n = json_object_get_size (object);
  Member stack_members[32];
  g_autofree Member *heap_members = NULL;
  Member *members = stack_members;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  guint i = 0;

  if (n > G_N_ELEMENTS (stack_members))
    members = heap_members = g_new (Member, n);
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (skip_underscore && name[0] == '_')
        continue;
      members[i].name = name;
      members[i].node = node;
      i++;
    }

  /* Objects are usually small: insertion sort, qsort for big ones. */
  if (i > 32)
    {
      qsort (members, i, sizeof (Member), compare_members);
    }
  else
    {
      for (guint k = 1; k < i; k++)
        {
          Member m = members[k];
          guint j;

          for (j = k; j > 0 && strcmp (members[j - 1].name, m.name) > 0; j--)
            members[j] = members[j - 1];
          members[j] = m;
        }
    }

  g_string_append_c (out, '{');
  for (guint k = 0; k < i; k++)
    {
      if (k > 0)
        g_string_append_c (out, ',');
      write_string (out, members[k].name);
      g_string_append_c (out, ':');
      _gls_json_write (out, members[k].node);
    }
  g_string_append_c (out, '}');
}

void
_gls_json_write (GString  *out,
                 JsonNode *node)
{
  g_assert (out != NULL);

  if (node == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      _gls_json_write_object (out, json_node_get_object (node), FALSE);
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            _gls_json_write (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          write_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          if (json_node_get_string (node) != NULL)
            write_string (out, json_node_get_string (node));
          else
            g_string_append (out, "null");
          break;
        default:
          g_string_append (out, "null");
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

gboolean
gls_json_check_depth (const char *text,
                      gsize       length,
                      guint       max_depth)
{
  const char *p = text;
  const char *end = text + length;
  guint depth = 0;

  g_return_val_if_fail (text != NULL || length == 0, FALSE);

  while (p < end)
    {
      switch (*p++)
        {
        case '[':
        case '{':
          if (++depth > max_depth)
            return FALSE;
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        case '"':
          /* Skip the string, escapes included. */
          while (p < end && *p != '"')
            p += (*p == '\\') ? 2 : 1;
          p++;
          break;
        default:
          break;
        }
    }
  return TRUE;
}

/* Parser */

#define MAX_DEPTH 256

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
                 "Invalid JSON at byte %" G_GSIZE_FORMAT ": %s",
                 (gsize) (ps->p - ps->start), what);
  return FALSE;
}

static inline void
skip_ws (Parser *ps)
{
  while (ps->p < ps->end &&
         (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
    ps->p++;
}

static int
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

static gboolean
parse_hex4 (Parser   *ps,
            gunichar *out)
{
  gunichar v = 0;

  if (ps->end - ps->p < 4)
    return parse_fail (ps, "truncated \\u escape");
  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (ps->p[i]);
      if (h < 0)
        return parse_fail (ps, "bad \\u escape");
      v = (v << 4) | (gunichar) h;
    }
  ps->p += 4;
  *out = v;
  return TRUE;
}

static void
put_utf8 (char     **w,
          gunichar   u)
{
  *w += g_unichar_to_utf8 (u, *w);
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
          ps->p++;
          *w = '\0';
          /* Plain ASCII is UTF-8, and so are decoded escapes. */
          if ((seen & 0x80) != 0 && !g_utf8_validate (begin, w - begin, NULL))
            {
              parse_fail (ps, "string is not UTF-8");
              return NULL;
            }
          return begin;
        }
      if ((guchar) c < 0x20)
        {
          parse_fail (ps, "control character in string");
          return NULL;
        }
      if (c != '\\')
        {
          seen |= (guchar) c;
          *w++ = c;
          ps->p++;
          continue;
        }

      ps->p++;
      if (ps->p >= ps->end)
        break;
      c = *ps->p++;
      switch (c)
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
            gunichar u;

            if (!parse_hex4 (ps, &u))
              return NULL;
            if (u >= 0xd800 && u <= 0xdbff)
              {
                gunichar lo;

                if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u')
                  {
                    parse_fail (ps, "lone surrogate");
                    return NULL;
                  }
                ps->p += 2;
                if (!parse_hex4 (ps, &lo))
                  return NULL;
                if (lo < 0xdc00 || lo > 0xdfff)
                  {
                    parse_fail (ps, "bad surrogate pair");
                    return NULL;
                  }
                u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
              }
            else if (u >= 0xdc00 && u <= 0xdfff)
              {
                parse_fail (ps, "lone surrogate");
                return NULL;
              }
            if (u == 0)
              {
                parse_fail (ps, "NUL character in string");
                return NULL;
              }
            /* 6 (or 12) bytes of escape become at most 3 (or 4). */
            put_utf8 (&w, u);
          }
          break;
        default:
          parse_fail (ps, "bad escape");
          return NULL;
        }
    }

  parse_fail (ps, "unterminated string");
  return NULL;
}

static JsonNode *
parse_number (Parser *ps)
{
  const char *begin = ps->p;
  gboolean is_int = TRUE;
  char buf[64];
  JsonNode *node;
  gsize len;

  if (ps->p < ps->end && *ps->p == '-')
    ps->p++;
  if (ps->p >= ps->end || !g_ascii_isdigit (*ps->p))
    {
      parse_fail (ps, "bad number");
      return NULL;
    }
  if (*ps->p == '0')
    ps->p++;
  else
    while (ps->p < ps->end && g_ascii_isdigit (*ps->p))
      ps->p++;
  if (ps->p < ps->end && *ps->p == '.')
    {
      is_int = FALSE;
      ps->p++;
      if (ps->p >= ps->end || !g_ascii_isdigit (*ps->p))
        {
          parse_fail (ps, "bad number");
          return NULL;
        }
      while (ps->p < ps->end && g_ascii_isdigit (*ps->p))
        ps->p++;
    }
  if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E'))
    {
      is_int = FALSE;
      ps->p++;
      if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
        ps->p++;
      if (ps->p >= ps->end || !g_ascii_isdigit (*ps->p))
        {
          parse_fail (ps, "bad number");
          return NULL;
        }
      while (ps->p < ps->end && g_ascii_isdigit (*ps->p))
        ps->p++;
    }

  len = ps->p - begin;
  if (len >= sizeof buf)
    {
      g_autofree char *copy = g_strndup (begin, len);
      node = json_node_alloc ();
      return json_node_init_double (node, g_ascii_strtod (copy, NULL));
    }
  memcpy (buf, begin, len);
  buf[len] = '\0';

  node = json_node_alloc ();
  if (is_int)
    {
      char *endp = NULL;
      gint64 v;

      errno = 0;
      v = g_ascii_strtoll (buf, &endp, 10);
      if (errno == 0)
        return json_node_init_int (node, v);
    }
  return json_node_init_double (node, g_ascii_strtod (buf, NULL));
}

static gboolean
parse_literal (Parser     *ps,
               const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (ps->end - ps->p) < len || memcmp (ps->p, word, len) != 0)
    return parse_fail (ps, "unexpected character");
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
      if (ps->p >= ps->end || *ps->p != '"')
        {
          parse_fail (ps, "expected a member name");
          goto fail;
        }
      if (!(key = parse_string (ps)))
        goto fail;
      skip_ws (ps);
      if (ps->p >= ps->end || *ps->p != ':')
        {
          parse_fail (ps, "expected ':'");
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
      parse_fail (ps, "expected ',' or '}'");
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
      parse_fail (ps, "expected ',' or ']'");
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
      parse_fail (ps, "unexpected end");
      return NULL;
    }
  if (++ps->depth > MAX_DEPTH)
    {
      parse_fail (ps, "nested too deeply");
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
    default:
      node = parse_number (ps);
      break;
    }

  ps->depth--;
  return node;
}

JsonNode *
_gls_json_parse (const char  *text,
                 gssize       length,
                 GError     **error)
{
  char stack_buf[4096];
  g_autofree char *heap_buf = NULL;
  char *buf = stack_buf;
  Parser ps;
  JsonNode *node;

  g_return_val_if_fail (text != NULL, NULL);

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

  node = parse_value (&ps);
  if (node == NULL)
    return NULL;
  skip_ws (&ps);
  if (ps.p != ps.end)
    {
      parse_fail (&ps, "trailing data");
      json_node_unref (node);
      return NULL;
    }
  return node;
}
