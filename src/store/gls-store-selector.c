/* gls-store-selector.c: CouchDB's Mango selectors
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Checked once (gls_store_selector_new: every operator known, every
 * argument of its type, regexes compiled), then matched against any number
 * of documents without errors. The rules are CouchDB's mango_selector.erl.
 */

#define G_LOG_DOMAIN "gls-store"

#include "config.h"

#include <string.h>

#include "gls-store.h"
#include "gls-store-selector.h"

struct _GlsStoreSelector
{
  gatomicrefcount  ref;
  JsonNode        *selector;
  GHashTable      *regexes;   /* the $regex argument's JsonNode -> GRegex */
};

/* --- values --- */

/* CouchDB's collation of types: null, false, true, numbers, strings,
 * arrays, objects. */
static int
type_rank (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      return 0;
    case JSON_NODE_ARRAY:
      return 5;
    case JSON_NODE_OBJECT:
      return 6;
    case JSON_NODE_VALUE:
    default:
      break;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return json_node_get_boolean (node) ? 2 : 1;
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      return 3;
    case G_TYPE_STRING:
      return 4;
    default:
      return 0;
    }
}

static int
compare (JsonNode *a,
         JsonNode *b)
{
  int ra = type_rank (a), rb = type_rank (b);

  if (ra != rb)
    return ra < rb ? -1 : 1;
  switch (ra)
    {
    case 3:
      {
        double x = json_node_get_double (a), y = json_node_get_double (b);

        return x < y ? -1 : x > y;
      }
    case 4:
      {
        int c = strcmp (json_node_get_string (a), json_node_get_string (b));

        return c < 0 ? -1 : c > 0;
      }
    case 5:
      {
        JsonArray *x = json_node_get_array (a), *y = json_node_get_array (b);
        guint nx = json_array_get_length (x), ny = json_array_get_length (y);

        for (guint i = 0; i < nx && i < ny; i++)
          {
            int c = compare (json_array_get_element (x, i), json_array_get_element (y, i));

            if (c != 0)
              return c;
          }
        return nx < ny ? -1 : nx > ny;
      }
    case 6:
      {
        JsonObject *x = json_node_get_object (a), *y = json_node_get_object (b);
        g_autoptr(GList) kx = json_object_get_members (x);
        g_autoptr(GList) ky = json_object_get_members (y);
        GList *i, *j;

        for (i = kx, j = ky; i != NULL && j != NULL; i = i->next, j = j->next)
          {
            int c = strcmp (i->data, j->data);

            if (c != 0)
              return c < 0 ? -1 : 1;
            c = compare (json_object_get_member (x, i->data), json_object_get_member (y, j->data));
            if (c != 0)
              return c;
          }
        return i == NULL ? (j == NULL ? 0 : -1) : 1;
      }
    default:
      return 0;
    }
}

static const char *
type_name (JsonNode *node)
{
  switch (type_rank (node))
    {
    case 0: return "null";
    case 1: case 2: return "boolean";
    case 3: return "number";
    case 4: return "string";
    case 5: return "array";
    default: return "object";
    }
}

/* The field at a dotted path ("a.b", "a\.b" for a name with a dot, a
 * number for an array index); NULL when the document has none. */
static JsonNode *
lookup (JsonNode   *value,
        const char *path)
{
  g_autoptr(GString) name = g_string_new (NULL);
  const char *p = path;

  for (;;)
    {
      g_string_truncate (name, 0);
      while (*p != '\0' && *p != '.')
        {
          if (*p == '\\' && p[1] == '.')
            p++;
          g_string_append_c (name, *p++);
        }
      if (JSON_NODE_HOLDS_OBJECT (value))
        value = json_object_get_member (json_node_get_object (value), name->str);
      else if (JSON_NODE_HOLDS_ARRAY (value))
        {
          guint64 index;

          if (!g_ascii_string_to_unsigned (name->str, 10, 0, G_MAXUINT, &index, NULL) ||
              index >= json_array_get_length (json_node_get_array (value)))
            return NULL;
          value = json_array_get_element (json_node_get_array (value), index);
        }
      else
        return NULL;
      if (value == NULL || *p == '\0')
        return value;
      p++;
    }
}

/* --- checking --- */

static gboolean check_selector  (GlsStoreSelector  *self,
                                 JsonNode          *selector,
                                 GError           **error);
static gboolean check_condition (GlsStoreSelector  *self,
                                 JsonNode          *condition,
                                 GError           **error);

static gboolean bad (GError     **error,
                     const char  *format,
                     ...) G_GNUC_PRINTF (2, 3);

static gboolean
bad (GError     **error,
     const char  *format,
     ...)
{
  va_list args;

  if (error == NULL)
    return FALSE;
  va_start (args, format);
  *error = g_error_new_valist (GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST, format, args);
  va_end (args);
  return FALSE;
}

static gboolean
is_operator_object (JsonNode *node)
{
  JsonObject *object;
  g_autoptr(GList) names = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);
  names = json_object_get_members (object);
  return names != NULL && ((const char *) names->data)[0] == '$';
}

static gboolean
check_selector_array (GlsStoreSelector  *self,
                      const char        *op,
                      JsonNode          *arg,
                      GError           **error)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (arg))
    return bad (error, "%s takes an array of selectors", op);
  array = json_node_get_array (arg);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!check_selector (self, json_array_get_element (array, i), error))
      return FALSE;
  return TRUE;
}

static gboolean
check_operator (GlsStoreSelector  *self,
                const char        *op,
                JsonNode          *arg,
                GError           **error)
{
  static const char *const any_value[] = { "$eq", "$ne", "$lt", "$lte", "$gt", "$gte", NULL };
  static const char *const types[] = { "null", "boolean", "number", "string", "array", "object", NULL };

  if (g_strv_contains (any_value, op))
    return TRUE;
  if (g_str_equal (op, "$exists"))
    return JSON_NODE_HOLDS_VALUE (arg) && json_node_get_value_type (arg) == G_TYPE_BOOLEAN
           ? TRUE : bad (error, "%s takes true or false", op);
  if (g_str_equal (op, "$type"))
    return JSON_NODE_HOLDS_VALUE (arg) && json_node_get_value_type (arg) == G_TYPE_STRING &&
           g_strv_contains (types, json_node_get_string (arg))
           ? TRUE : bad (error, "%s takes null, boolean, number, string, array or object", op);
  if (g_str_equal (op, "$in") || g_str_equal (op, "$nin") || g_str_equal (op, "$all"))
    return JSON_NODE_HOLDS_ARRAY (arg) ? TRUE : bad (error, "%s takes an array", op);
  if (g_str_equal (op, "$size"))
    return JSON_NODE_HOLDS_VALUE (arg) && json_node_get_value_type (arg) == G_TYPE_INT64 &&
           json_node_get_int (arg) >= 0
           ? TRUE : bad (error, "%s takes a whole number", op);
  if (g_str_equal (op, "$mod"))
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (arg) ? json_node_get_array (arg) : NULL;

      if (array == NULL || json_array_get_length (array) != 2)
        return bad (error, "%s takes [divisor, remainder]", op);
      for (guint i = 0; i < 2; i++)
        {
          JsonNode *n = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
            return bad (error, "%s takes [divisor, remainder] as whole numbers", op);
        }
      if (json_array_get_int_element (array, 0) == 0)
        return bad (error, "%s: the divisor cannot be 0", op);
      return TRUE;
    }
  if (g_str_equal (op, "$regex"))
    {
      g_autoptr(GError) regex_error = NULL;
      GRegex *regex;

      if (!JSON_NODE_HOLDS_VALUE (arg) || json_node_get_value_type (arg) != G_TYPE_STRING)
        return bad (error, "%s takes a string", op);
      regex = g_regex_new (json_node_get_string (arg), G_REGEX_OPTIMIZE, 0, &regex_error);
      if (regex == NULL)
        return bad (error, "Invalid $regex: %s", regex_error->message);
      g_hash_table_insert (self->regexes, arg, regex);
      return TRUE;
    }
  if (g_str_equal (op, "$elemMatch") || g_str_equal (op, "$allMatch") || g_str_equal (op, "$keyMapMatch"))
    return JSON_NODE_HOLDS_OBJECT (arg)
           ? check_condition (self, arg, error) : bad (error, "%s takes an object", op);
  if (g_str_equal (op, "$not"))
    return check_condition (self, arg, error);
  return bad (error, "Invalid operator: %s", op);
}

/* A field's condition: an object of operators, a nested selector (an
 * object without operators), or a value it must equal. */
static gboolean
check_condition (GlsStoreSelector  *self,
                 JsonNode          *condition,
                 GError           **error)
{
  JsonObjectIter iter;
  const char *op;
  JsonNode *arg;

  if (!is_operator_object (condition))
    return JSON_NODE_HOLDS_OBJECT (condition) ? check_selector (self, condition, error) : TRUE;
  json_object_iter_init (&iter, json_node_get_object (condition));
  while (json_object_iter_next (&iter, &op, &arg))
    {
      if (op[0] != '$')
        return bad (error, "Operators and fields mixed in one condition (%s)", op);
      if (g_str_equal (op, "$and") || g_str_equal (op, "$or") || g_str_equal (op, "$nor"))
        {
          if (!check_selector_array (self, op, arg, error))
            return FALSE;
        }
      else if (!check_operator (self, op, arg, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_selector (GlsStoreSelector  *self,
                JsonNode          *selector,
                GError           **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *condition;

  if (!JSON_NODE_HOLDS_OBJECT (selector))
    return bad (error, "A selector is %s", "an object");
  json_object_iter_init (&iter, json_node_get_object (selector));
  while (json_object_iter_next (&iter, &name, &condition))
    {
      if (g_str_equal (name, "$and") || g_str_equal (name, "$or") || g_str_equal (name, "$nor"))
        {
          if (!check_selector_array (self, name, condition, error))
            return FALSE;
        }
      else if (g_str_equal (name, "$not"))
        {
          if (!check_selector (self, condition, error))
            return FALSE;
        }
      else if (name[0] == '$')
        return bad (error, "Invalid operator: %s", name);
      else if (!check_condition (self, condition, error))
        return FALSE;
    }
  return TRUE;
}

/* --- matching --- */

static gboolean match_selector  (GlsStoreSelector *self,
                                 JsonNode         *selector,
                                 JsonNode         *value);
static gboolean match_condition (GlsStoreSelector *self,
                                 JsonNode         *condition,
                                 JsonNode         *value);

static gboolean
match_each (GlsStoreSelector *self,
            const char       *op,
            JsonNode         *arg,
            JsonNode         *value)
{
  JsonArray *array = json_node_get_array (arg);
  guint n = json_array_get_length (array), hits = 0;

  for (guint i = 0; i < n; i++)
    if (match_selector (self, json_array_get_element (array, i), value))
      hits++;
  if (g_str_equal (op, "$and"))
    return hits == n;
  if (g_str_equal (op, "$or"))
    return hits > 0;
  return hits == 0; /* $nor */
}

/* $in: the value, or one of its elements when it is an array, equals one
 * of the arguments. */
static gboolean
match_in (JsonNode *arg,
          JsonNode *value)
{
  JsonArray *args = json_node_get_array (arg);

  for (guint i = 0; i < json_array_get_length (args); i++)
    {
      JsonNode *a = json_array_get_element (args, i);

      if (JSON_NODE_HOLDS_ARRAY (value))
        {
          JsonArray *values = json_node_get_array (value);

          for (guint j = 0; j < json_array_get_length (values); j++)
            if (compare (json_array_get_element (values, j), a) == 0)
              return TRUE;
        }
      else if (compare (value, a) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
match_operator (GlsStoreSelector *self,
                const char       *op,
                JsonNode         *arg,
                JsonNode         *value)
{
  if (g_str_equal (op, "$exists"))
    return (value != NULL) == json_node_get_boolean (arg);
  if (g_str_equal (op, "$and") || g_str_equal (op, "$or") || g_str_equal (op, "$nor"))
    return value != NULL && match_each (self, op, arg, value);
  if (g_str_equal (op, "$not"))
    return value != NULL && !match_condition (self, arg, value);
  if (value == NULL)
    return FALSE;
  if (g_str_equal (op, "$eq"))
    return compare (value, arg) == 0;
  if (g_str_equal (op, "$ne"))
    return compare (value, arg) != 0;
  if (g_str_equal (op, "$lt"))
    return compare (value, arg) < 0;
  if (g_str_equal (op, "$lte"))
    return compare (value, arg) <= 0;
  if (g_str_equal (op, "$gt"))
    return compare (value, arg) > 0;
  if (g_str_equal (op, "$gte"))
    return compare (value, arg) >= 0;
  if (g_str_equal (op, "$type"))
    return g_str_equal (type_name (value), json_node_get_string (arg));
  if (g_str_equal (op, "$in"))
    return match_in (arg, value);
  if (g_str_equal (op, "$nin"))
    return !match_in (arg, value);
  if (g_str_equal (op, "$size"))
    return JSON_NODE_HOLDS_ARRAY (value) &&
           json_array_get_length (json_node_get_array (value)) == (guint64) json_node_get_int (arg);
  if (g_str_equal (op, "$mod"))
    {
      JsonArray *array = json_node_get_array (arg);
      gint64 divisor = json_array_get_int_element (array, 0);

      return JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_INT64 &&
             (divisor != -1 ? json_node_get_int (value) % divisor : 0) == json_array_get_int_element (array, 1);
    }
  if (g_str_equal (op, "$regex"))
    return JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING &&
           g_regex_match (g_hash_table_lookup (self->regexes, arg), json_node_get_string (value), 0, NULL);
  if (g_str_equal (op, "$all"))
    {
      JsonArray *args = json_node_get_array (arg);

      if (!JSON_NODE_HOLDS_ARRAY (value))
        return FALSE;
      for (guint i = 0; i < json_array_get_length (args); i++)
        {
          g_autoptr(JsonArray) one = json_array_new ();
          g_autoptr(JsonNode) wrapped = NULL;

          json_array_add_element (one, json_node_copy (json_array_get_element (args, i)));
          wrapped = json_node_init_array (json_node_alloc (), one);
          if (!match_in (wrapped, value))
            return FALSE;
        }
      return TRUE;
    }
  if (g_str_equal (op, "$elemMatch") || g_str_equal (op, "$allMatch"))
    {
      gboolean all = g_str_equal (op, "$allMatch");
      JsonArray *values;
      guint n;

      if (!JSON_NODE_HOLDS_ARRAY (value))
        return FALSE;
      values = json_node_get_array (value);
      n = json_array_get_length (values);
      if (n == 0)
        return FALSE;
      for (guint i = 0; i < n; i++)
        {
          gboolean hit = match_condition (self, arg, json_array_get_element (values, i));

          if (hit && !all)
            return TRUE;
          if (!hit && all)
            return FALSE;
        }
      return all;
    }
  if (g_str_equal (op, "$keyMapMatch"))
    {
      g_autoptr(GList) names = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (value))
        return FALSE;
      names = json_object_get_members (json_node_get_object (value));
      for (GList *l = names; l != NULL; l = l->next)
        {
          g_autoptr(JsonNode) key = json_node_init_string (json_node_alloc (), l->data);

          if (match_condition (self, arg, key))
            return TRUE;
        }
      return FALSE;
    }
  g_return_val_if_reached (FALSE);
}

static gboolean
match_condition (GlsStoreSelector *self,
                 JsonNode         *condition,
                 JsonNode         *value)
{
  JsonObjectIter iter;
  const char *op;
  JsonNode *arg;

  if (!is_operator_object (condition))
    {
      if (JSON_NODE_HOLDS_OBJECT (condition))
        return value != NULL && JSON_NODE_HOLDS_OBJECT (value) && match_selector (self, condition, value);
      return value != NULL && compare (value, condition) == 0;
    }
  json_object_iter_init (&iter, json_node_get_object (condition));
  while (json_object_iter_next (&iter, &op, &arg))
    if (!match_operator (self, op, arg, value))
      return FALSE;
  return TRUE;
}

static gboolean
match_selector (GlsStoreSelector *self,
                JsonNode         *selector,
                JsonNode         *value)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *condition;

  json_object_iter_init (&iter, json_node_get_object (selector));
  while (json_object_iter_next (&iter, &name, &condition))
    {
      gboolean hit;

      if (g_str_equal (name, "$and") || g_str_equal (name, "$or") || g_str_equal (name, "$nor"))
        hit = match_each (self, name, condition, value);
      else if (g_str_equal (name, "$not"))
        hit = !match_selector (self, condition, value);
      else
        hit = match_condition (self, condition, lookup (value, name));
      if (!hit)
        return FALSE;
    }
  return TRUE;
}

/* --- public --- */

GlsStoreSelector *
gls_store_selector_new (JsonNode  *selector,
                        GError   **error)
{
  GlsStoreSelector *self;

  g_return_val_if_fail (selector != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (GlsStoreSelector, 1);
  g_atomic_ref_count_init (&self->ref);
  self->selector = json_node_copy (selector);
  self->regexes = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_regex_unref);
  if (!check_selector (self, self->selector, error))
    {
      gls_store_selector_unref (self);
      return NULL;
    }
  return self;
}

GlsStoreSelector *
gls_store_selector_ref (GlsStoreSelector *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref);
  return self;
}

void
gls_store_selector_unref (GlsStoreSelector *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref))
    return;
  json_node_unref (self->selector);
  g_hash_table_unref (self->regexes);
  g_free (self);
}

gboolean
gls_store_selector_matches (GlsStoreSelector *self,
                            JsonObject       *doc)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (doc != NULL, FALSE);

  node = json_node_init_object (json_node_alloc (), doc);
  return match_selector (self, self->selector, node);
}
