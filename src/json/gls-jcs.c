/* gls-jcs.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-jcs"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gls-jcs.h"
#include "gls-json-types.h"

/* Integers of this size or less are exact as doubles: JCS writes them as
 * the integers they are. */
#define MAX_EXACT_INTEGER G_GINT64_CONSTANT (9007199254740992)

G_DEFINE_QUARK (gls-json-error-quark, gls_json_error)

static gboolean append_node (GString *out, JsonNode *node, GError **error);

/* Order of two names by UTF-16 code units. UTF-8 byte order is code point
 * order, which differs only where a character above U+FFFF (a surrogate
 * pair in UTF-16, 0xD800–0xDBFF first) meets one from U+E000 to U+FFFF. */
static guint
first_utf16_unit (gunichar c)
{
  return c >= 0x10000 ? 0xD800 + ((c - 0x10000) >> 10) : c;
}

static int
compare_utf16 (const char *a,
               const char *b)
{
  while (*a != '\0' && *a == *b)
    a++, b++;

  if (*a == '\0' || *b == '\0' || ((guchar) *a < 0x80 && (guchar) *b < 0x80))
    return (int) (guchar) *a - (int) (guchar) *b;

  /* Back to the start of the character the two differ in. */
  while (((guchar) *a & 0xC0) == 0x80)
    a--, b--;

  {
    gunichar ca = g_utf8_get_char (a);
    gunichar cb = g_utf8_get_char (b);
    guint ua = first_utf16_unit (ca);
    guint ub = first_utf16_unit (cb);

    if (ua != ub)
      return ua < ub ? -1 : 1;
    return ca < cb ? -1 : (ca > cb ? 1 : 0);
  }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return compare_utf16 (*(const char * const *) a, *(const char * const *) b);
}

void
gls_jcs_append_string (GString    *out,
                       const char *s)
{
  static const char hex[] = "0123456789abcdef";
  const char *run = s;

  g_string_append_c (out, '"');
  for (; *s != '\0'; s++)
    {
      guchar c = (guchar) *s;
      const char *escape = NULL;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

      g_string_append_len (out, run, s - run);
      run = s + 1;
      switch (c)
        {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\b': escape = "\\b"; break;
        case '\t': escape = "\\t"; break;
        case '\n': escape = "\\n"; break;
        case '\f': escape = "\\f"; break;
        case '\r': escape = "\\r"; break;
        default: break;
        }
      if (escape != NULL)
        {
          g_string_append (out, escape);
        }
      else
        {
          g_string_append (out, "\\u00");
          g_string_append_c (out, hex[c >> 4]);
          g_string_append_c (out, hex[c & 0xF]);
        }
    }
  g_string_append_len (out, run, s - run);
  g_string_append_c (out, '"');
}

static gboolean
append_string (GString     *out,
               const char  *s,
               GError     **error)
{
  if (!g_utf8_validate (s, -1, NULL))
    {
      g_set_error_literal (error, GLS_JSON_ERROR, GLS_JSON_ERROR_INVALID,
                           _("A string is not valid UTF-8"));
      return FALSE;
    }

  gls_jcs_append_string (out, s);
  return TRUE;
}

void
gls_jcs_append_number (GString *out,
                       double   value)
{
  char buf[40];
  char digits[20];
  int n_digits = 0, exponent, point;

  g_return_if_fail (isfinite (value));

  if (value == 0)
    {
      g_string_append_c (out, '0');  /* -0 too */
      return;
    }
  if (value < 0)
    {
      g_string_append_c (out, '-');
      value = -value;
    }

  /* The fewest significant digits that read back as the same double. */
  for (int precision = 1; precision <= 17; precision++)
    {
      g_snprintf (buf, sizeof buf, "%.*e", precision - 1, value);
      if (precision == 17 || g_ascii_strtod (buf, NULL) == value)
        break;
    }

  /* buf is d[.ddd]e±XX: split it into digits and the exponent. */
  for (const char *p = buf; *p != 'e'; p++)
    if (g_ascii_isdigit (*p))
      digits[n_digits++] = *p;
  while (n_digits > 1 && digits[n_digits - 1] == '0')
    n_digits--;
  exponent = atoi (strchr (buf, 'e') + 1);
  point = exponent + 1; /* ECMAScript's n: value = 0.digits × 10^n */

  if (n_digits <= point && point <= 21)
    {
      g_string_append_len (out, digits, n_digits);
      for (int i = n_digits; i < point; i++)
        g_string_append_c (out, '0');
    }
  else if (0 < point && point <= 21)
    {
      g_string_append_len (out, digits, point);
      g_string_append_c (out, '.');
      g_string_append_len (out, digits + point, n_digits - point);
    }
  else if (-6 < point && point <= 0)
    {
      g_string_append (out, "0.");
      for (int i = point; i < 0; i++)
        g_string_append_c (out, '0');
      g_string_append_len (out, digits, n_digits);
    }
  else
    {
      g_string_append_c (out, digits[0]);
      if (n_digits > 1)
        {
          g_string_append_c (out, '.');
          g_string_append_len (out, digits + 1, n_digits - 1);
        }
      g_string_append_printf (out, "e%c%d", point - 1 >= 0 ? '+' : '-', ABS (point - 1));
    }
}

static gboolean
append_value (GString   *out,
              JsonNode  *node,
              GError   **error)
{
  GType type = json_node_get_value_type (node);

  if (type == G_TYPE_STRING)
    return append_string (out, json_node_get_string (node), error);

  if (type == G_TYPE_BOOLEAN)
    {
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      return TRUE;
    }

  if (type == G_TYPE_INT64)
    {
      gint64 v = json_node_get_int (node);

      if (v >= -MAX_EXACT_INTEGER && v <= MAX_EXACT_INTEGER)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, v);
      else
        gls_jcs_append_number (out, (double) v);
      return TRUE;
    }

  if (type == G_TYPE_DOUBLE)
    {
      double v = json_node_get_double (node);

      if (!isfinite (v))
        {
          g_set_error_literal (error, GLS_JSON_ERROR, GLS_JSON_ERROR_INVALID,
                               _("A number is not finite"));
          return FALSE;
        }
      gls_jcs_append_number (out, v);
      return TRUE;
    }

  g_set_error (error, GLS_JSON_ERROR, GLS_JSON_ERROR_INVALID,
               _("A value of type “%s” has no JSON form"), g_type_name (type));
  return FALSE;
}

static gboolean
append_object (GString            *out,
               JsonObject         *object,
               const char *const  *skip,
               GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  gboolean first = TRUE;

  for (GList *l = members; l != NULL; l = l->next)
    if (skip == NULL || !g_strv_contains (skip, l->data))
      g_ptr_array_add (names, l->data);
  g_ptr_array_sort (names, compare_names);

  g_string_append_c (out, '{');
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      if (!append_string (out, name, error) )
        return FALSE;
      g_string_append_c (out, ':');
      if (!append_node (out, json_object_get_member (object, name), error))
        return FALSE;
    }
  g_string_append_c (out, '}');

  return TRUE;
}

static gboolean
append_node (GString   *out,
             JsonNode  *node,
             GError   **error)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return append_object (out, json_node_get_object (node), NULL, error);

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            if (!append_node (out, json_array_get_element (array, i), error))
              return FALSE;
          }
        g_string_append_c (out, ']');
        return TRUE;
      }

    case JSON_NODE_NULL:
      g_string_append (out, "null");
      return TRUE;

    case JSON_NODE_VALUE:
      return append_value (out, node, error);

    default:
      g_assert_not_reached ();
    }
}

gboolean
gls_jcs_append (GString   *out,
                JsonNode  *node,
                GError   **error)
{
  gsize len;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (node != NULL, FALSE);

  len = out->len;
  if (!append_node (out, node, error))
    {
      g_string_truncate (out, len);
      return FALSE;
    }

  return TRUE;
}

gboolean
gls_jcs_append_object (GString            *out,
                       JsonObject         *object,
                       const char *const  *skip,
                       GError            **error)
{
  gsize len;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (object != NULL, FALSE);

  len = out->len;
  if (!append_object (out, object, skip, error))
    {
      g_string_truncate (out, len);
      return FALSE;
    }

  return TRUE;
}
