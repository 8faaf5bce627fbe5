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

#include "gls-jcs.h"
#include "gls-store-private.h"

/* Canonical writer */

/* The same escapes as JCS (RFC 8785), which the proofs sign. */
static void
write_string (GString    *out,
              const char *s)
{
  gls_jcs_append_string (out, s);
}

/* The shortest of %.15g, %.16g, %.17g that reads back as `v` (finite). */
void
_gls_store_json_format_double (char   buf[G_ASCII_DTOSTR_BUF_SIZE],
                               double v)
{
  static const char *formats[] = { "%.15g", "%.16g", "%.17g" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, formats[i], v);
      if (g_ascii_strtod (buf, NULL) == v)
        break;
    }
}

static void
write_double (GString *out,
              double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (v))
    {
      g_string_append (out, "null");
      return;
    }
  /* -0 too: "-0" reads back as the integer 0, written "0". */
  if (v == 0)
    {
      g_string_append_c (out, '0');
      return;
    }
  _gls_store_json_format_double (buf, v);
  g_string_append (out, buf);
}

void
_gls_json_write_string (GString    *out,
                        const char *s)
{
  write_string (out, s);
}

void
gls_json_append_string (GString    *out,
                        const char *s)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (s != NULL);

  write_string (out, s);
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

/* What enters the store: a document built in code may hold any bytes
 * json-glib was given, and the writer would copy them as they are. */

static const char *
check_node (JsonNode *node,
            GString  *path)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          {
            const char *what;

            if (!g_utf8_validate (name, -1, NULL))
              return "a member name that is not valid UTF-8";
            if ((what = check_node (member, path)) != NULL)
              {
                g_string_prepend (path, name);
                if (path->len > strlen (name))
                  g_string_insert_c (path, strlen (name), '.');
                return what;
              }
          }
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        for (guint i = 0; i < n; i++)
          {
            const char *what;

            if ((what = check_node (json_array_get_element (array, i), path)) != NULL)
              {
                g_autofree char *index = g_strdup_printf ("%u", i);

                g_string_prepend (path, index);
                if (path->len > strlen (index))
                  g_string_insert_c (path, strlen (index), '.');
                return what;
              }
          }
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          if (json_node_get_string (node) != NULL &&
              !g_utf8_validate (json_node_get_string (node), -1, NULL))
            return "a string that is not valid UTF-8";
          break;
        case G_TYPE_DOUBLE:
          if (!isfinite (json_node_get_double (node)))
            return "a number that is not finite (JSON has no infinity or NaN)";
          break;
        default:
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      break;
    }
  return NULL;
}

gboolean
_gls_json_check_document (JsonObject  *doc,
                          GError     **error)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), doc);
  g_autoptr(GString) path = g_string_new (NULL);
  g_autofree char *shown = NULL;
  const char *what;

  if ((what = check_node (node, path)) == NULL)
    return TRUE;
  /* The path itself may hold the bad bytes. */
  shown = g_utf8_make_valid (path->str, path->len);
  if (path->len == 0)
    g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST,
                 "Document is not valid JSON: it holds %s", what);
  else
    g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST,
                 "Document is not valid JSON: member “%s” holds %s", shown, what);
  return FALSE;
}

/* Parser: the one of src/json (gls-json-parser.c); the store reads its
 * own text and peers' with it. */

JsonNode *
_gls_json_parse (const char  *text,
                 gssize       length,
                 GError     **error)
{
  return gls_json_from_data (text, length, error);
}
