/* gls-json.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gls-json-private.h"
#include "gls-types.h"

void
_gls_field_error (GError     **error,
                  const char  *doc,
                  const char  *field,
                  const char  *format,
                  ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
               _("%s: field “%s”: %s"), doc, field, message);
}

static const char *
node_kind (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return "a string";
        case G_TYPE_BOOLEAN:
          return "a boolean";
        default:
          return "a number";
        }
    }
}

gboolean
_gls_json_string_node (JsonNode    *node,
                       gboolean     optional,
                       const char  *doc,
                       const char  *field,
                       const char **out,
                       GError     **error)
{
  *out = NULL;

  if (node == NULL)
    {
      if (optional)
        return TRUE;
      _gls_field_error (error, doc, field, _("missing"));
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      _gls_field_error (error, doc, field, _("must be a string, not %s"), node_kind (node));
      return FALSE;
    }

  *out = json_node_get_string (node);
  if (**out == '\0')
    {
      *out = NULL;
      _gls_field_error (error, doc, field, _("must not be empty"));
      return FALSE;
    }

  return TRUE;
}

gboolean
_gls_json_string_member (JsonObject  *obj,
                         const char  *member,
                         gboolean     optional,
                         const char  *doc,
                         const char  *field,
                         const char **out,
                         GError     **error)
{
  return _gls_json_string_node (json_object_get_member (obj, member), optional, doc, field, out,
                                error);
}

/* As g_uri_peek_scheme () finds one (ALPHA *( ALPHA / DIGIT / "+" / "-" /
 * "." ) ":"), without lower-casing and interning it under GLib's global
 * lock: the readers of a cold open check thousands of IRIs on two
 * threads. */
static gboolean
has_scheme (const char *iri)
{
  const char *p = iri;

  if (!g_ascii_isalpha (*p))
    return FALSE;
  p++;
  while (g_ascii_isalnum (*p) || *p == '.' || *p == '+' || *p == '-')
    p++;

  return *p == ':';
}

/* Bytes an IRI must not hold: controls, space, '"', '<', '>' and DEL; and
 * NUL, which ends the scan. Bytes past ASCII are allowed. */
static const guint8 not_in_iri[256] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* 0x00 */
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* 0x10 */
  1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0x20: ' ' '"' */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0,  /* 0x30: '<' '>' */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0x40 */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0x50 */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0x60 */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,  /* 0x70: DEL */
};

gboolean
_gls_iri_is_valid (const char *iri)
{
  const guchar *p;

  if (iri == NULL || !has_scheme (iri))
    return FALSE;

  for (p = (const guchar *) iri; !not_in_iri[*p]; p++)
    ;

  return *p == '\0';
}

gboolean
_gls_json_iri_node (JsonNode    *node,
                    gboolean     optional,
                    const char  *doc,
                    const char  *field,
                    const char **out,
                    GError     **error)
{
  if (!_gls_json_string_node (node, optional, doc, field, out, error))
    return FALSE;

  if (*out != NULL && !_gls_iri_is_valid (*out))
    {
      _gls_field_error (error, doc, field, _("“%s” is not an absolute IRI"), *out);
      *out = NULL;
      return FALSE;
    }

  return TRUE;
}

gboolean
_gls_json_iri_member (JsonObject  *obj,
                      const char  *member,
                      gboolean     optional,
                      const char  *doc,
                      const char  *field,
                      const char **out,
                      GError     **error)
{
  return _gls_json_iri_node (json_object_get_member (obj, member), optional, doc, field, out,
                             error);
}

gboolean
_gls_json_object_node (JsonNode    *node,
                       gboolean     optional,
                       const char  *doc,
                       const char  *field,
                       JsonObject **out,
                       GError     **error)
{
  *out = NULL;

  if (node == NULL)
    {
      if (optional)
        return TRUE;
      _gls_field_error (error, doc, field, _("missing"));
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _gls_field_error (error, doc, field, _("must be an object, not %s"), node_kind (node));
      return FALSE;
    }

  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
_gls_json_object_member (JsonObject  *obj,
                         const char  *member,
                         gboolean     optional,
                         const char  *doc,
                         const char  *field,
                         JsonObject **out,
                         GError     **error)
{
  return _gls_json_object_node (json_object_get_member (obj, member), optional, doc, field, out,
                                error);
}

const char *
_gls_json_node_peek_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

const char *
_gls_json_peek_string (JsonObject *obj,
                       const char *member)
{
  return _gls_json_node_peek_string (json_object_get_member (obj, member));
}
