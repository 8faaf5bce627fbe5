/* gls-w3c.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-w3c"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "gls-hlc.h"
#include "gls-json-private.h"
#include "gls-w3c.h"

static int
compare_annotations (gconstpointer a,
                     gconstpointer b)
{
  return gls_annotation_compare (*(GlsAnnotation **) a, *(GlsAnnotation **) b);
}

static JsonNode *
export_item (GlsAnnotation *annotation)
{
  JsonObject *doc = gls_annotation_to_json (annotation);
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  /* Store fields are not JSON-LD; the collection carries the context. */
  json_object_remove_member (doc, "_id");
  json_object_remove_member (doc, "@context");
  json_node_take_object (node, doc);

  return node;
}

JsonNode *
gls_w3c_export_collection (GPtrArray  *annotations,
                           const char *label)
{
  g_autoptr(GPtrArray) live = g_ptr_array_new ();
  g_autofree char *collection_uuid = g_uuid_string_random ();
  g_autofree char *page_uuid = g_uuid_string_random ();
  g_autofree char *collection_id = g_strconcat ("urn:uuid:", collection_uuid, NULL);
  g_autofree char *page_id = g_strconcat ("urn:uuid:", page_uuid, NULL);
  JsonObject *root, *page;
  JsonArray *items;
  JsonNode *node;

  g_return_val_if_fail (annotations != NULL, NULL);

  for (guint i = 0; i < annotations->len; i++)
    {
      GlsAnnotation *a = g_ptr_array_index (annotations, i);

      if (!gls_annotation_is_deleted (a))
        g_ptr_array_add (live, a);
    }
  g_ptr_array_sort (live, compare_annotations);

  items = json_array_sized_new (live->len);
  for (guint i = 0; i < live->len; i++)
    json_array_add_element (items, export_item (g_ptr_array_index (live, i)));

  page = json_object_new ();
  json_object_set_string_member (page, "id", page_id);
  json_object_set_string_member (page, "type", "AnnotationPage");
  json_object_set_string_member (page, "partOf", collection_id);
  json_object_set_int_member (page, "startIndex", 0);
  json_object_set_array_member (page, "items", items);

  root = json_object_new ();
  json_object_set_string_member (root, "@context", GLS_ANNO_CONTEXT);
  json_object_set_string_member (root, "id", collection_id);
  json_object_set_string_member (root, "type", "AnnotationCollection");
  if (label != NULL)
    json_object_set_string_member (root, "label", label);
  json_object_set_int_member (root, "total", live->len);
  json_object_set_object_member (root, "first", page);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, root);
  return node;
}

/* Import */

typedef struct
{
  const char           *default_rights;
  GlsW3cSourceResolver  resolver;
  gpointer              user_data;
  GHashTable           *seen;   /* ids already imported */
} Import;

static gboolean
has_type (JsonObject *obj,
          const char *type)
{
  JsonNode *node = json_object_get_member (obj, "type");

  if (node == NULL)
    node = json_object_get_member (obj, "@type");
  if (node == NULL)
    return FALSE;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *arr = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (arr); i++)
        {
          JsonNode *el = json_array_get_element (arr, i);

          if (JSON_NODE_HOLDS_VALUE (el) && g_strcmp0 (json_node_get_string (el), type) == 0)
            return TRUE;
        }
      return FALSE;
    }

  return JSON_NODE_HOLDS_VALUE (node) && g_strcmp0 (json_node_get_string (node), type) == 0;
}

/* Strings may come as one string or as a list; take the first string. */
static const char *
first_string (JsonNode *node)
{
  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *arr = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (arr); i++)
        {
          const char *s = first_string (json_array_get_element (arr, i));

          if (s != NULL)
            return s;
        }
      return NULL;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static const char *
node_id (JsonNode *node)
{
  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *obj = json_node_get_object (node);
      const char *id = _gls_json_peek_string (obj, "id");

      return id != NULL ? id : _gls_json_peek_string (obj, "@id");
    }
  return first_string (node);
}

static gboolean
import_body (JsonObject  *in,
             JsonObject  *out,
             const char  *label,
             GError     **error)
{
  JsonNode *node = json_object_get_member (in, "body");
  const char *text = NULL;
  JsonObject *body;

  if (node == NULL)
    text = _gls_json_peek_string (in, "bodyValue");
  else if (JSON_NODE_HOLDS_VALUE (node))
    text = first_string (node);
  else
    {
      JsonArray *arr = NULL;
      guint n = 1;

      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          arr = json_node_get_array (node);
          n = json_array_get_length (arr);
        }

      for (guint i = 0; i < n && text == NULL; i++)
        {
          JsonNode *el = arr != NULL ? json_array_get_element (arr, i) : node;
          JsonObject *obj;

          if (!JSON_NODE_HOLDS_OBJECT (el))
            continue;
          obj = json_node_get_object (el);
          if ((has_type (obj, "TextualBody") ||
               json_object_get_member (obj, "type") == NULL) &&
              _gls_json_peek_string (obj, "value") != NULL)
            text = _gls_json_peek_string (obj, "value");
        }
    }

  if (text == NULL)
    {
      _gls_field_error (error, label, "body", _("no textual body (a TextualBody with a value)"));
      return FALSE;
    }

  body = json_object_new ();
  json_object_set_string_member (body, "type", "TextualBody");
  json_object_set_string_member (body, "value", text);
  json_object_set_string_member (body, "format", "text/plain");
  json_object_set_object_member (out, "body", body);
  return TRUE;
}

static JsonObject *
pick_selector (JsonNode *node)
{
  JsonArray *arr = NULL;
  guint n = 1;

  if (node == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      arr = json_node_get_array (node);
      n = json_array_get_length (arr);
    }

  for (guint i = 0; i < n; i++)
    {
      JsonNode *el = arr != NULL ? json_array_get_element (arr, i) : node;

      if (JSON_NODE_HOLDS_OBJECT (el) && has_type (json_node_get_object (el), "FragmentSelector"))
        return json_node_get_object (el);
    }

  /* Nothing we understand: hand over the first, to be refused by name. */
  if (arr != NULL && n > 0 && JSON_NODE_HOLDS_OBJECT (json_array_get_element (arr, 0)))
    return json_array_get_object_element (arr, 0);
  if (arr == NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);
  return NULL;
}

/* A copy of `member` of `from`, if it has one. */
static void
copy_member (JsonObject *from,
             JsonObject *to,
             const char *member)
{
  JsonNode *node = json_object_get_member (from, member);

  if (node != NULL)
    json_object_set_member (to, member, json_node_copy (node));
}

/* The text selectors of a target (one, or among a list such as
 * Hypothesis's [RangeSelector, TextPositionSelector, TextQuoteSelector]),
 * the first of each kind, with their own members only; NULL when there are
 * none. The values are copied as they are: validation names what is
 * wrong. */
static JsonArray *
pick_text_selectors (JsonNode *node)
{
  JsonArray *arr = NULL;
  JsonObject *quote = NULL, *position = NULL;
  JsonArray *picked;
  guint n = 1;

  if (node == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      arr = json_node_get_array (node);
      n = json_array_get_length (arr);
    }

  for (guint i = 0; i < n && (quote == NULL || position == NULL); i++)
    {
      JsonNode *el = arr != NULL ? json_array_get_element (arr, i) : node;
      JsonObject *obj;

      if (!JSON_NODE_HOLDS_OBJECT (el))
        continue;
      obj = json_node_get_object (el);
      if (quote == NULL && has_type (obj, "TextQuoteSelector"))
        quote = obj;
      else if (position == NULL && has_type (obj, "TextPositionSelector"))
        position = obj;
    }

  if (quote == NULL && position == NULL)
    return NULL;

  picked = json_array_new ();
  if (quote != NULL)
    {
      JsonObject *sel = json_object_new ();

      json_object_set_string_member (sel, "type", "TextQuoteSelector");
      copy_member (quote, sel, "exact");
      copy_member (quote, sel, "prefix");
      copy_member (quote, sel, "suffix");
      json_array_add_object_element (picked, sel);
    }
  if (position != NULL)
    {
      JsonObject *sel = json_object_new ();

      json_object_set_string_member (sel, "type", "TextPositionSelector");
      copy_member (position, sel, "start");
      copy_member (position, sel, "end");
      json_array_add_object_element (picked, sel);
    }

  return picked;
}

static gboolean
import_comment_target (Import      *import,
                       JsonNode    *node,
                       JsonObject  *out,
                       const char  *label,
                       GError     **error)
{
  g_autofree char *source_part = NULL;
  g_autofree char *resolved = NULL;
  const char *source = NULL;
  const char *fragment = NULL;
  const char *conforms = NULL;
  JsonObject *selector = NULL;
  g_autoptr(JsonArray) text_selectors = NULL;
  JsonObject *target;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
      json_array_get_length (json_node_get_array (node)) > 0)
    node = json_array_get_element (json_node_get_array (node), 0);

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *obj = json_node_get_object (node);

      source = _gls_json_peek_string (obj, "source");
      if (source == NULL)
        source = node_id (node);
      text_selectors = pick_text_selectors (json_object_get_member (obj, "selector"));
      if (text_selectors == NULL)
        selector = pick_selector (json_object_get_member (obj, "selector"));
    }
  else if (node != NULL)
    source = first_string (node);

  if (source == NULL)
    {
      _gls_field_error (error, label, node == NULL ? "target" : "target.source", _("missing"));
      return FALSE;
    }

  /* `http://example.org/image.png#xywh=1,2,3,4` is a target too. */
  if (selector == NULL && text_selectors == NULL && strchr (source, '#') != NULL)
    {
      const char *hash = strchr (source, '#');

      source = source_part = g_strndup (source, hash - source);
      fragment = hash + 1;
    }

  if (g_str_has_prefix (source, "ni:///"))
    resolved = g_strdup (source);
  else if (import->resolver != NULL)
    resolved = import->resolver (source, import->user_data);

  if (resolved == NULL)
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_UNRESOLVED,
                   _("%s: field “target.source”: no design for “%s”"), label, source);
      return FALSE;
    }

  target = json_object_new ();
  json_object_set_string_member (target, "source", resolved);
  json_object_set_object_member (out, "target", target);

  if (text_selectors != NULL)
    {
      json_object_set_array_member (target, "selector", g_steal_pointer (&text_selectors));
    }
  else if (selector != NULL)
    {
      JsonObject *sel = json_object_new ();
      const char *type = _gls_json_peek_string (selector, "type");

      /* Copied as they are: validation names what is wrong. */
      json_object_set_string_member (sel, "type", type ? type : "");
      conforms = _gls_json_peek_string (selector, "conformsTo");
      if (conforms != NULL)
        json_object_set_string_member (sel, "conformsTo", conforms);
      fragment = _gls_json_peek_string (selector, "value");
      if (fragment != NULL)
        json_object_set_string_member (sel, "value", fragment);
      json_object_set_object_member (target, "selector", sel);
    }
  else if (fragment != NULL)
    {
      JsonObject *sel = json_object_new ();

      json_object_set_string_member (sel, "type", "FragmentSelector");
      json_object_set_string_member (sel, "value", fragment);
      json_object_set_object_member (target, "selector", sel);
    }

  return TRUE;
}


/* An edit of a passage of the design (a suggestion), not of an
 * annotation: its target is the design with a selector. */
static gboolean
is_suggestion_target (GlsMotivation  m,
                      JsonNode      *node)
{
  if (m != GLS_MOTIVATION_EDITING || node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0)
    node = json_array_get_element (json_node_get_array (node), 0);
  return JSON_NODE_HOLDS_OBJECT (node) && json_object_has_member (json_node_get_object (node), "selector");
}

static GlsAnnotation *
import_one (Import      *import,
            JsonNode    *item,
            guint        index,
            GError     **error)
{
  g_autoptr(JsonObject) out = json_object_new ();
  g_autoptr(GlsAnnotation) annotation = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *created_norm = NULL;
  JsonObject *in;
  JsonNode *node;
  const char *id, *motivation, *created, *rights;
  GlsMotivation m = GLS_MOTIVATION_COMMENTING;
  gint64 usec;

  if (!JSON_NODE_HOLDS_OBJECT (item))
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                   _("Annotation #%u: not a JSON object"), index + 1);
      return NULL;
    }
  in = json_node_get_object (item);

  id = _gls_json_peek_string (in, "id");
  if (id == NULL)
    id = _gls_json_peek_string (in, "@id");
  label = id != NULL ? g_strdup_printf (_("Annotation “%s”"), id)
                     : g_strdup_printf (_("Annotation #%u"), index + 1);

  if (id == NULL)
    {
      _gls_field_error (error, label, "id", _("missing"));
      return NULL;
    }
  if (g_hash_table_contains (import->seen, id))
    {
      _gls_field_error (error, label, "id", _("appears twice"));
      return NULL;
    }
  if (!has_type (in, "Annotation"))
    {
      _gls_field_error (error, label, "type", _("not an Annotation"));
      return NULL;
    }

  motivation = first_string (json_object_get_member (in, "motivation"));
  if (motivation != NULL && g_str_has_prefix (motivation, "oa:"))
    motivation += 3;
  if (motivation != NULL && !gls_motivation_from_string (motivation, &m))
    {
      _gls_field_error (error, label, "motivation",
                        _("“%s” is not one of commenting, replying, editing, assessing"),
                        motivation);
      return NULL;
    }

  json_object_set_string_member (out, "@context", GLS_ANNO_CONTEXT);
  json_object_set_string_member (out, "id", id);
  json_object_set_string_member (out, "type", "Annotation");
  json_object_set_string_member (out, "motivation", gls_motivation_to_string (m));

  /* created: required; `modified` stands in for it. Normalised to the
   * fixed-width UTC form so it sorts with Glossa's own. */
  created = _gls_json_peek_string (in, "created");
  if (created == NULL)
    created = _gls_json_peek_string (in, "modified");
  if (created == NULL)
    {
      _gls_field_error (error, label, "created", _("missing"));
      return NULL;
    }
  if (!gls_timestamp_parse (created, &usec))
    {
      _gls_field_error (error, label, "created", _("“%s” is not an xsd:dateTime with a time zone"),
                        created);
      return NULL;
    }
  created_norm = gls_timestamp_format (usec);
  json_object_set_string_member (out, "created", created_norm);

  node = json_object_get_member (in, "creator");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
      json_array_get_length (json_node_get_array (node)) > 0)
    node = json_array_get_element (json_node_get_array (node), 0);
  if (node == NULL || node_id (node) == NULL)
    {
      _gls_field_error (error, label, node == NULL ? "creator" : "creator.id", _("missing"));
      return NULL;
    }
  else
    {
      JsonObject *creator = json_object_new ();
      const char *name = NULL;

      json_object_set_string_member (creator, "id", node_id (node));
      json_object_set_string_member (creator, "type", "Person");
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *obj = json_node_get_object (node);

          name = _gls_json_peek_string (obj, "name");
          if (name == NULL)
            name = _gls_json_peek_string (obj, "nickname");
          if (has_type (obj, "Organization") || has_type (obj, "Software"))
            json_object_set_string_member (creator, "type",
                                           has_type (obj, "Software") ? "Software"
                                                                      : "Organization");
        }
      if (name != NULL && *name != '\0')
        json_object_set_string_member (creator, "name", name);
      json_object_set_object_member (out, "creator", creator);
    }

  if (!import_body (in, out, label, error))
    return NULL;

  node = json_object_get_member (in, "target");
  if (m == GLS_MOTIVATION_COMMENTING || is_suggestion_target (m, node))
    {
      if (!import_comment_target (import, node, out, label, error))
        return NULL;
    }
  else
    {
      const char *target = NULL;

      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
          json_array_get_length (json_node_get_array (node)) > 0)
        node = json_array_get_element (json_node_get_array (node), 0);
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          target = _gls_json_peek_string (json_node_get_object (node), "source");
          if (target == NULL)
            target = node_id (node);
        }
      else
        target = first_string (node);

      if (target == NULL)
        {
          _gls_field_error (error, label, "target", _("missing (the id of an annotation)"));
          return NULL;
        }
      json_object_set_string_member (out, "target", target);
    }

  /* One generator is kept, as it was written. */
  node = json_object_get_member (in, "generator");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    node = json_array_get_length (json_node_get_array (node)) > 0
             ? json_array_get_element (json_node_get_array (node), 0) : NULL;
  if (node != NULL && (JSON_NODE_HOLDS_OBJECT (node) || first_string (node) != NULL))
    json_object_set_member (out, "generator", json_node_copy (node));

  rights = first_string (json_object_get_member (in, "rights"));
  if (rights == NULL)
    rights = import->default_rights;
  if (rights != NULL)
    json_object_set_string_member (out, "rights", rights);

  /* A proof travels with the words; whoever imports checks that it still
   * holds for the document as read here. */
  node = json_object_get_member (in, "proof");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    json_object_set_member (out, "proof", json_node_copy (node));

  annotation = gls_annotation_new_from_json (out, &local_error);
  if (annotation == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  g_hash_table_add (import->seen, g_strdup (id));
  return g_steal_pointer (&annotation);
}

static gboolean
collect_items (JsonNode   *root,
               GPtrArray  *items,
               GError    **error)
{
  JsonObject *obj;

  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *arr = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (arr); i++)
        g_ptr_array_add (items, json_array_get_element (arr, i));
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                   _("Not W3C annotations: expected a JSON object or array"));
      return FALSE;
    }

  obj = json_node_get_object (root);

  if (has_type (obj, "AnnotationCollection"))
    {
      JsonNode *page = json_object_get_member (obj, "first");
      guint pages = 0;

      /* Embedded pages, following `next`; pages by reference would need
       * the network. */
      while (page != NULL && !JSON_NODE_HOLDS_NULL (page))
        {
          JsonNode *items_node;

          if (!JSON_NODE_HOLDS_OBJECT (page) || ++pages > 100000)
            {
              g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_UNSUPPORTED,
                           _("AnnotationCollection: field “first”: pages must be embedded, "
                           "not linked"));
              return FALSE;
            }
          items_node = json_object_get_member (json_node_get_object (page), "items");
          if (items_node == NULL || !JSON_NODE_HOLDS_ARRAY (items_node))
            {
              g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                           _("AnnotationPage: field “items”: missing or not an array"));
              return FALSE;
            }
          if (!collect_items (items_node, items, error))
            return FALSE;
          page = json_object_get_member (json_node_get_object (page), "next");
        }
      return TRUE;
    }

  if (has_type (obj, "AnnotationPage"))
    {
      JsonNode *items_node = json_object_get_member (obj, "items");

      if (items_node == NULL || !JSON_NODE_HOLDS_ARRAY (items_node))
        {
          g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                       _("AnnotationPage: field “items”: missing or not an array"));
          return FALSE;
        }
      return collect_items (items_node, items, error);
    }

  g_ptr_array_add (items, root);
  return TRUE;
}

/* What an import that found no annotation was given, for its error: 0.1
 * answered "Imported 0 annotations" and success, and a person took the
 * wrong file for imported. */
static void
set_nothing_error (JsonNode  *root,
                   GError   **error)
{
  JsonObject *obj = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  const char *found;

  if (obj == NULL)
    found = _("an empty array");
  else if (has_type (obj, "AnnotationCollection"))
    {
      JsonNode *first = json_object_get_member (obj, "first");

      if (first == NULL || JSON_NODE_HOLDS_NULL (first))
        found = json_object_has_member (obj, "items")
                ? _("an AnnotationCollection with “items” but no pages (its annotations must be in the page “first”)")
                : _("an AnnotationCollection with no pages");
      else
        found = _("an AnnotationCollection whose pages hold no annotations");
    }
  else
    found = _("an empty AnnotationPage");

  g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
               _("Nothing to import: found %s"), found);
}

GPtrArray *
gls_w3c_import_full (JsonNode              *root,
                     const char            *default_rights,
                     GlsW3cSourceResolver   resolver,
                     gpointer               user_data,
                     GError               **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Import import = { default_rights, resolver, user_data, seen };

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (default_rights != NULL && !_gls_iri_is_valid (default_rights))
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                   _("The default licence “%s” is not an IRI"), default_rights);
      return NULL;
    }

  if (!collect_items (root, items, error))
    return NULL;
  if (items->len == 0)
    {
      set_nothing_error (root, error);
      return NULL;
    }

  for (guint i = 0; i < items->len; i++)
    {
      GlsAnnotation *a = import_one (&import, g_ptr_array_index (items, i), i, error);

      if (a == NULL)
        return NULL;
      g_ptr_array_add (result, a);
    }

  return g_steal_pointer (&result);
}

GPtrArray *
gls_w3c_import (JsonNode              *root,
                GlsW3cSourceResolver   resolver,
                gpointer               user_data,
                GError               **error)
{
  return gls_w3c_import_full (root, NULL, resolver, user_data, error);
}
