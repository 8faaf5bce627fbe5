/* gls-annotation.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-annotation"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "gls-annotation-private.h"
#include "gls-proof.h"
#include "gls-hlc.h"
#include "gls-json-private.h"
#include "gls-selector-private.h"

/* A comment longer than this is a paste accident or an attack. */
#define MAX_TEXT_BYTES (64 * 1024)

/* Mentions: people named in one comment. */
#define MAX_TAGS 32

/* Selectors: limits on what another tool may send. A text design's
 * passage is counted in code points; no text Glossa opens comes near. */
#define MAX_SELECTORS       16
#define MAX_QUOTE_BYTES     (64 * 1024)
#define MAX_TEXT_POSITION   G_MAXINT32

/* The strings point into the document while it is being validated; then
 * own_strings () copies them all into one block, `strings`. */
struct _GlsAnnotation
{
  GObject        parent_instance;

  const char    *id;
  GlsMotivation  motivation;
  const char    *text;
  const char    *note;        /* a review's words: a second body, purpose commenting */
  char         **tags;        /* people mentioned: bodies with purpose tagging */
  const char    *source;
  GlsSelector   *selector;
  const char    *target_id;
  guint          id_hash;
  guint          target_hash;
  const char    *creator_id;
  const char    *creator_name;
  const char    *created;
  gint64         created_usec;
  const char    *rights;
  char          *strings;
  JsonNode      *generator;
  char          *signer;
  JsonNode      *proof;       /* as read, or NULL */
  guint          ignored_changes;
  GlsTrust       trust;
  guint          glossa_generator : 1;  /* Glossa's own, as stored: no node kept */
  guint          deleted : 1;
};

G_DEFINE_FINAL_TYPE (GlsAnnotation, gls_annotation, G_TYPE_OBJECT)

static void
gls_annotation_finalize (GObject *object)
{
  GlsAnnotation *self = GLS_ANNOTATION (object);

  g_clear_pointer (&self->strings, g_free);
  g_clear_pointer (&self->tags, g_strfreev);
  g_clear_pointer (&self->selector, gls_selector_free);
  g_clear_pointer (&self->generator, json_node_unref);
  g_clear_pointer (&self->signer, g_free);
  g_clear_pointer (&self->proof, json_node_unref);

  G_OBJECT_CLASS (gls_annotation_parent_class)->finalize (object);
}

static void
gls_annotation_class_init (GlsAnnotationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gls_annotation_finalize;
}

static void
gls_annotation_init (GlsAnnotation *self)
{
}

/* One allocation instead of eight: a cold open makes thousands. */
static void
own_strings (GlsAnnotation *self)
{
  const char **fields[] = {
    &self->id, &self->text, &self->note, &self->source, &self->target_id,
    &self->creator_id, &self->creator_name, &self->created, &self->rights,
  };
  gsize lengths[G_N_ELEMENTS (fields)];
  gsize total = 0;
  char *p;

  g_assert (self->strings == NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      lengths[i] = *fields[i] != NULL ? strlen (*fields[i]) + 1 : 0;
      total += lengths[i];
    }

  p = self->strings = g_malloc (MAX (total, 1));
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (*fields[i] == NULL)
        continue;
      memcpy (p, *fields[i], lengths[i]);
      *fields[i] = p;
      p += lengths[i];
    }
}

static JsonNode *
glossa_generator (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, GLS_GENERATOR_ID);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "Software");
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, GLS_GENERATOR_NAME " " PACKAGE_VERSION);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static GlsAnnotation *
annotation_new (GlsMotivation  motivation,
                const char    *source,
                const char    *target_id,
                const char    *text,
                const char    *creator_id,
                const char    *creator_name,
                const char    *rights,
                const char    *created)
{
  GlsAnnotation *self = g_object_new (GLS_TYPE_ANNOTATION, NULL);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *id = g_strconcat ("urn:uuid:", uuid, NULL);
  g_autofree char *now = created == NULL ? gls_timestamp_format (g_get_real_time ()) : NULL;

  self->id = id;
  self->id_hash = g_str_hash (id);
  self->motivation = motivation;
  self->source = source;
  self->target_id = target_id;
  if (target_id != NULL)
    self->target_hash = g_str_hash (target_id);
  self->text = text;
  self->creator_id = creator_id;
  self->creator_name = creator_name;
  self->rights = rights != NULL ? rights : GLS_DEFAULT_LICENSE;
  self->created = created != NULL ? created : now;
  if (!gls_timestamp_parse (self->created, &self->created_usec))
    g_critical ("“%s” is not an xsd:dateTime with a time zone", self->created);
  self->generator = glossa_generator ();
  own_strings (self);

  return self;
}

/* What parse_selector () takes back: a quote, a position, or both. */
static gboolean
text_selector_is_valid (const GlsSelector *sel)
{
  gboolean quote = sel->exact != NULL && *sel->exact != '\0';
  gboolean position = sel->start >= 0 && sel->start <= sel->end && sel->end <= MAX_TEXT_POSITION;

  if (!quote && !position)
    return FALSE;
  if (sel->exact != NULL && (*sel->exact == '\0' || strlen (sel->exact) > MAX_QUOTE_BYTES))
    return FALSE;
  if (sel->start >= 0 && !position)
    return FALSE;
  if (sel->start < 0 && sel->end >= 0)
    return FALSE;
  return (sel->prefix == NULL || strlen (sel->prefix) <= MAX_QUOTE_BYTES) &&
         (sel->suffix == NULL || strlen (sel->suffix) <= MAX_QUOTE_BYTES);
}

GlsAnnotation *
gls_annotation_new_comment (const char        *source,
                            const GlsSelector *selector,
                            const char        *text,
                            const char        *creator_id,
                            const char        *creator_name,
                            const char        *rights,
                            const char        *created)
{
  GlsAnnotation *self;

  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (creator_id != NULL, NULL);

  g_return_val_if_fail (selector == NULL || selector->kind != GLS_SELECTOR_TEXT ||
                        text_selector_is_valid (selector), NULL);

  self = annotation_new (GLS_MOTIVATION_COMMENTING, source, NULL, text, creator_id,
                         creator_name, rights, created);
  if (selector != NULL && (selector->kind != GLS_SELECTOR_NONE || selector->page != 0))
    self->selector = gls_selector_copy (selector);

  return self;
}

static GlsAnnotation *
annotation_new_on (GlsMotivation  motivation,
                   const char    *target_id,
                   const char    *text,
                   const char    *creator_id,
                   const char    *creator_name,
                   const char    *rights,
                   const char    *created)
{
  return annotation_new (motivation, NULL, target_id, text, creator_id, creator_name, rights,
                         created);
}

GlsAnnotation *
gls_annotation_new_reply (const char *root_id,
                          const char *text,
                          const char *creator_id,
                          const char *creator_name,
                          const char *rights,
                          const char *created)
{
  g_return_val_if_fail (root_id != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (creator_id != NULL, NULL);

  return annotation_new_on (GLS_MOTIVATION_REPLYING, root_id, text, creator_id,
                            creator_name, rights, created);
}

GlsAnnotation *
gls_annotation_new_edit (const char *target_id,
                         const char *text,
                         const char *creator_id,
                         const char *creator_name,
                         const char *rights,
                         const char *created)
{
  g_return_val_if_fail (target_id != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (creator_id != NULL, NULL);

  return annotation_new_on (GLS_MOTIVATION_EDITING, target_id, text, creator_id,
                            creator_name, rights, created);
}

GlsAnnotation *
gls_annotation_new_assessment (const char *root_id,
                               gboolean    resolved,
                               const char *creator_id,
                               const char *creator_name,
                               const char *rights,
                               const char *created)
{
  g_return_val_if_fail (root_id != NULL, NULL);
  g_return_val_if_fail (creator_id != NULL, NULL);

  return annotation_new_on (GLS_MOTIVATION_ASSESSING, root_id,
                            resolved ? "resolved" : "open",
                            creator_id, creator_name, rights, created);
}

GlsAnnotation *
gls_annotation_new_suggestion (const char        *source,
                               const GlsSelector *selector,
                               const char        *replacement,
                               const char        *creator_id,
                               const char        *creator_name,
                               const char        *rights,
                               const char        *created)
{
  GlsAnnotation *self;

  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (selector != NULL && selector->kind == GLS_SELECTOR_TEXT &&
                        text_selector_is_valid (selector), NULL);
  g_return_val_if_fail (replacement != NULL, NULL);
  g_return_val_if_fail (creator_id != NULL, NULL);

  self = annotation_new (GLS_MOTIVATION_EDITING, source, NULL, replacement, creator_id,
                         creator_name, rights, created);
  self->selector = gls_selector_copy (selector);

  return self;
}

GlsAnnotation *
gls_annotation_new_decision (const char *root_id,
                             gboolean    accepted,
                             const char *creator_id,
                             const char *creator_name,
                             const char *rights,
                             const char *created)
{
  g_return_val_if_fail (root_id != NULL, NULL);
  g_return_val_if_fail (creator_id != NULL, NULL);

  return annotation_new_on (GLS_MOTIVATION_ASSESSING, root_id,
                            accepted ? "accepted" : "declined",
                            creator_id, creator_name, rights, created);
}

GlsAnnotation *
gls_annotation_new_review (const char  *source,
                           GlsDecision  decision,
                           const char  *note,
                           const char  *creator_id,
                           const char  *creator_name,
                           const char  *rights,
                           const char  *created)
{
  GlsAnnotation *self;

  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (decision == GLS_DECISION_APPROVED || decision == GLS_DECISION_CHANGES_REQUESTED, NULL);
  g_return_val_if_fail (creator_id != NULL, NULL);

  /* annotation_new () owns its strings in one block: the note goes in
   * as a field before that. */
  self = g_object_new (GLS_TYPE_ANNOTATION, NULL);
  {
    g_autofree char *uuid = g_uuid_string_random ();
    g_autofree char *id = g_strconcat ("urn:uuid:", uuid, NULL);
    g_autofree char *now = created == NULL ? gls_timestamp_format (g_get_real_time ()) : NULL;

    self->id = id;
    self->id_hash = g_str_hash (id);
    self->motivation = GLS_MOTIVATION_ASSESSING;
    self->source = source;
    self->text = decision == GLS_DECISION_APPROVED ? "approved" : "changes-requested";
    self->note = note != NULL && *note != '\0' ? note : NULL;
    self->creator_id = creator_id;
    self->creator_name = creator_name;
    self->rights = rights != NULL ? rights : GLS_DEFAULT_LICENSE;
    self->created = created != NULL ? created : now;
    if (!gls_timestamp_parse (self->created, &self->created_usec))
      g_critical ("“%s” is not an xsd:dateTime with a time zone", self->created);
    self->generator = glossa_generator ();
    own_strings (self);
  }

  return self;
}

GlsAnnotation *
gls_annotation_new_tombstone (GlsAnnotation *self)
{
  g_autoptr(JsonObject) doc = NULL;
  GlsAnnotation *tomb;

  g_return_val_if_fail (GLS_IS_ANNOTATION (self), NULL);

  doc = gls_annotation_tombstone_body (self);
  json_object_set_string_member (doc, "_id", self->id);
  json_object_set_boolean_member (doc, "_deleted", TRUE);
  tomb = gls_annotation_new_from_json (doc, NULL);
  g_assert (tomb != NULL);

  return tomb;
}

/* Validation */

/* A document's top-level members, found in one pass over the object
 * rather than one hash lookup each (twice for some). */
typedef struct
{
  JsonNode *deleted;     /* _deleted */
  JsonNode *couch_id;    /* _id */
  JsonNode *context;     /* @context */
  JsonNode *id;
  JsonNode *type;
  JsonNode *motivation;
  JsonNode *target;
  JsonNode *creator;
  JsonNode *created;
  JsonNode *body;
  JsonNode *rights;
  JsonNode *generator;
  JsonNode *proof;
} Members;

static const struct
{
  const char *name;
  gsize       offset;
} member_slots[] = {
  { "_deleted", G_STRUCT_OFFSET (Members, deleted) },
  { "_id", G_STRUCT_OFFSET (Members, couch_id) },
  { "@context", G_STRUCT_OFFSET (Members, context) },
  { "id", G_STRUCT_OFFSET (Members, id) },
  { "type", G_STRUCT_OFFSET (Members, type) },
  { "motivation", G_STRUCT_OFFSET (Members, motivation) },
  { "target", G_STRUCT_OFFSET (Members, target) },
  { "creator", G_STRUCT_OFFSET (Members, creator) },
  { "created", G_STRUCT_OFFSET (Members, created) },
  { "body", G_STRUCT_OFFSET (Members, body) },
  { "rights", G_STRUCT_OFFSET (Members, rights) },
  { "generator", G_STRUCT_OFFSET (Members, generator) },
  { "proof", G_STRUCT_OFFSET (Members, proof) },
};

static void
collect_members (JsonObject *doc,
                 Members    *m)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  *m = (Members) { NULL, };

  json_object_iter_init (&iter, doc);
  while (json_object_iter_next (&iter, &name, &node))
    {
      for (guint i = 0; i < G_N_ELEMENTS (member_slots); i++)
        {
          /* The first letter rules out most names without a strcmp. */
          if (name[0] == member_slots[i].name[0] && strcmp (name, member_slots[i].name) == 0)
            {
              G_STRUCT_MEMBER (JsonNode *, m, member_slots[i].offset) = node;
              break;
            }
        }
    }
}

static gboolean
check_context (const Members  *m,
               const char     *label,
               GError        **error)
{
  JsonNode *node = m->context;

  if (node == NULL)
    {
      _gls_field_error (error, label, "@context", _("missing"));
      return FALSE;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *arr = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (arr); i++)
        {
          JsonNode *el = json_array_get_element (arr, i);

          if (JSON_NODE_HOLDS_VALUE (el) &&
              g_strcmp0 (json_node_get_string (el), GLS_ANNO_CONTEXT) == 0)
            return TRUE;
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (node) &&
           g_strcmp0 (json_node_get_string (node), GLS_ANNO_CONTEXT) == 0)
    return TRUE;

  _gls_field_error (error, label, "@context", _("must be “%s”"), GLS_ANNO_CONTEXT);
  return FALSE;
}

/* "target.selector" for the selector alone, "target.selector[2]" for one
 * of a list; then the member. Made only for a message. */
static char *
selector_field (int         index,
                const char *member)
{
  g_autofree char *base = index < 0 ? g_strdup ("target.selector")
                                    : g_strdup_printf ("target.selector[%d]", index);

  return member != NULL ? g_strconcat (base, ".", member, NULL) : g_steal_pointer (&base);
}

static void selector_error (GError     **error,
                            const char  *label,
                            int          index,
                            const char  *member,
                            const char  *format,
                            ...) G_GNUC_PRINTF (5, 6);

static void
selector_error (GError     **error,
                const char  *label,
                int          index,
                const char  *member,
                const char  *format,
                ...)
{
  g_autofree char *field = NULL;
  g_autofree char *message = NULL;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  field = selector_field (index, member);
  _gls_field_error (error, label, field, "%s", message);
}

static gboolean
parse_fragment_selector (JsonObject   *sel,
                         const char   *label,
                         int           index,
                         GlsSelector **out,
                         GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *conforms_field = NULL;
  g_autofree char *value_field = NULL;
  const char *conforms, *value;
  GlsSelector parsed;

  if (error != NULL)
    {
      conforms_field = selector_field (index, "conformsTo");
      value_field = selector_field (index, "value");
    }

  if (!_gls_json_iri_member (sel, "conformsTo", TRUE, label, conforms_field, &conforms, error) ||
      !_gls_json_string_member (sel, "value", FALSE, label, value_field, &value, error))
    return FALSE;

  if (conforms != NULL && !_gls_selector_conforms_to_is_known (conforms))
    {
      selector_error (error, label, index, "conformsTo",
                      _("“%s” is not a fragment specification Glossa understands"), conforms);
      return FALSE;
    }

  if (!gls_selector_parse_fragment (value, conforms, &parsed, error != NULL ? &local_error : NULL))
    {
      if (error != NULL)
        selector_error (error, label, index, "value", "%s", local_error->message);
      return FALSE;
    }

  if (parsed.kind != GLS_SELECTOR_NONE || parsed.page != 0)
    *out = gls_selector_copy (&parsed);
  return TRUE;
}

/* A TextPositionSelector's start or end: a whole number of code points. */
static gboolean
parse_position (JsonObject  *sel,
                const char  *member,
                const char  *label,
                int          index,
                gint64      *out,
                GError     **error)
{
  JsonNode *node = json_object_get_member (sel, member);
  gint64 value;

  if (node == NULL)
    {
      selector_error (error, label, index, member, _("missing"));
      return FALSE;
    }

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    value = json_node_get_int (node);
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      /* 12.0 is the number 12, and reads back as 12 (JCS writes it so). */
      if (!(d >= 0 && d <= MAX_TEXT_POSITION) || d != (double) (gint64) d)
        {
          selector_error (error, label, index, member,
                          _("must be a whole number from 0 to %d"), MAX_TEXT_POSITION);
          return FALSE;
        }
      value = (gint64) d;
    }
  else
    {
      selector_error (error, label, index, member,
                      _("must be a whole number from 0 to %d"), MAX_TEXT_POSITION);
      return FALSE;
    }

  if (value < 0 || value > MAX_TEXT_POSITION)
    {
      selector_error (error, label, index, member,
                      _("must be a whole number from 0 to %d"), MAX_TEXT_POSITION);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

static gboolean
parse_text_position_selector (JsonObject   *sel,
                              const char   *label,
                              int           index,
                              GlsSelector  *text,
                              GError      **error)
{
  gint64 start, end;

  if (!parse_position (sel, "start", label, index, &start, error) ||
      !parse_position (sel, "end", label, index, &end, error))
    return FALSE;

  if (end < start)
    {
      selector_error (error, label, index, "end",
                      _("%lld is before the start, %lld"), (long long) end, (long long) start);
      return FALSE;
    }

  text->kind = GLS_SELECTOR_TEXT;
  text->start = start;
  text->end = end;
  return TRUE;
}

/* A quote's member: a string of at most MAX_QUOTE_BYTES; `exact` must not
 * be empty, an empty prefix or suffix is none. Borrowed from the node. */
static gboolean
parse_quote_member (JsonObject   *sel,
                    const char   *member,
                    gboolean      required,
                    const char   *label,
                    int           index,
                    const char  **out,
                    GError      **error)
{
  JsonNode *node = json_object_get_member (sel, member);
  const char *value;

  *out = NULL;

  if (node == NULL)
    {
      if (!required)
        return TRUE;
      selector_error (error, label, index, member, _("missing"));
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      selector_error (error, label, index, member, _("must be a string"));
      return FALSE;
    }

  value = json_node_get_string (node);
  if (required && *value == '\0')
    {
      selector_error (error, label, index, member, _("must not be empty"));
      return FALSE;
    }
  if (strlen (value) > MAX_QUOTE_BYTES)
    {
      selector_error (error, label, index, member, _("longer than %d bytes"), MAX_QUOTE_BYTES);
      return FALSE;
    }

  *out = *value != '\0' ? value : NULL;
  return TRUE;
}

static gboolean
parse_text_quote_selector (JsonObject   *sel,
                           const char   *label,
                           int           index,
                           const char  **exact,
                           const char  **prefix,
                           const char  **suffix,
                           GError      **error)
{
  return parse_quote_member (sel, "exact", TRUE, label, index, exact, error) &&
         parse_quote_member (sel, "prefix", FALSE, label, index, prefix, error) &&
         parse_quote_member (sel, "suffix", FALSE, label, index, suffix, error);
}

typedef enum
{
  SELECTOR_FRAGMENT,
  SELECTOR_TEXT_QUOTE,
  SELECTOR_TEXT_POSITION,
  SELECTOR_OTHER,
} SelectorType;

static SelectorType
selector_type (const char *type)
{
  if (g_str_equal (type, "FragmentSelector"))
    return SELECTOR_FRAGMENT;
  if (g_str_equal (type, "TextQuoteSelector"))
    return SELECTOR_TEXT_QUOTE;
  if (g_str_equal (type, "TextPositionSelector"))
    return SELECTOR_TEXT_POSITION;
  return SELECTOR_OTHER;
}

/* An element's type; a message for one that has none. */
static gboolean
selector_object_type (JsonNode     *node,
                      const char   *label,
                      int           index,
                      const char  **type,
                      GError      **error)
{
  g_autofree char *field = NULL;
  g_autofree char *type_field = NULL;
  JsonObject *sel;

  if (error != NULL)
    {
      field = selector_field (index, NULL);
      type_field = selector_field (index, "type");
    }

  return _gls_json_object_node (node, FALSE, label, field, &sel, error) &&
         _gls_json_string_member (sel, "type", FALSE, label, type_field, type, error);
}

/*
 * target.selector: one selector, or a list of them as Hypothesis and other
 * W3C tools write them ([RangeSelector, TextPositionSelector,
 * TextQuoteSelector]): alternatives for the same place. From a list the
 * text ones are used (the first of each kind), else the first
 * FragmentSelector; others (RangeSelector, XPathSelector, CssSelector…)
 * are passed over.
 */
static gboolean
parse_selector (JsonObject   *target,
                const char   *label,
                GlsSelector **out,
                GError      **error)
{
  g_auto(GlsSelector) text = { GLS_SELECTOR_NONE, };
  JsonNode *node = json_object_get_member (target, "selector");
  const char *exact = NULL, *prefix = NULL, *suffix = NULL;
  gboolean have_quote = FALSE, have_position = FALSE;
  JsonArray *list = NULL;
  JsonObject *fragment = NULL;
  int fragment_index = -1;
  guint n = 1;

  *out = NULL;
  text.start = text.end = -1;

  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      list = json_node_get_array (node);
      n = json_array_get_length (list);
      if (n == 0)
        {
          _gls_field_error (error, label, "target.selector", _("an empty list of selectors"));
          return FALSE;
        }
      if (n > MAX_SELECTORS)
        {
          _gls_field_error (error, label, "target.selector",
                            _("a list of %u selectors, more than the %d Glossa reads"), n, MAX_SELECTORS);
          return FALSE;
        }
    }

  for (guint i = 0; i < n; i++)
    {
      JsonNode *el = list != NULL ? json_array_get_element (list, i) : node;
      int index = list != NULL ? (int) i : -1;
      const char *type;
      JsonObject *sel;

      if (!selector_object_type (el, label, index, &type, error))
        return FALSE;
      sel = json_node_get_object (el);

      switch (selector_type (type))
        {
        case SELECTOR_FRAGMENT:
          if (fragment == NULL)
            {
              fragment = sel;
              fragment_index = index;
            }
          break;

        case SELECTOR_TEXT_QUOTE:
          if (have_quote)
            break;
          if (!parse_text_quote_selector (sel, label, index, &exact, &prefix, &suffix, error))
            return FALSE;
          have_quote = TRUE;
          break;

        case SELECTOR_TEXT_POSITION:
          if (have_position)
            break;
          if (!parse_text_position_selector (sel, label, index, &text, error))
            return FALSE;
          have_position = TRUE;
          break;

        case SELECTOR_OTHER:
        default:
          if (list == NULL)
            {
              _gls_field_error (error, label, "target.selector.type",
                                _("“%s” is not supported; Glossa uses FragmentSelector, "
                                  "TextQuoteSelector and TextPositionSelector"), type);
              return FALSE;
            }
          break;
        }
    }

  if (have_quote || have_position)
    {
      *out = g_new0 (GlsSelector, 1);
      gls_selector_init_text (*out, text.start, text.end, exact, prefix, suffix);
      return TRUE;
    }

  if (fragment != NULL)
    return parse_fragment_selector (fragment, label, fragment_index, out, error);

  _gls_field_error (error, label, "target.selector",
                    _("none of its %u selectors is one Glossa understands (FragmentSelector, "
                      "TextQuoteSelector, TextPositionSelector)"), n);
  return FALSE;
}

static gboolean
parse_target (GlsAnnotation  *self,
              const Members  *m,
              const char     *label,
              GError        **error)
{
  JsonNode *node = m->target;
  const char *str;

  if (node == NULL)
    {
      _gls_field_error (error, label, "target", _("missing"));
      return FALSE;
    }

  /* A comment, or a suggestion (an edit of the design, not of an
   * annotation): a design and a place on it. */
  if (self->motivation == GLS_MOTIVATION_COMMENTING ||
      (self->motivation == GLS_MOTIVATION_EDITING && JSON_NODE_HOLDS_OBJECT (node)))
    {
      JsonObject *target;

      if (!_gls_json_object_node (node, FALSE, label, "target", &target, error) ||
          !_gls_json_iri_member (target, "source", FALSE, label, "target.source", &str, error) ||
          !parse_selector (target, label, &self->selector, error))
        return FALSE;
      if (self->motivation == GLS_MOTIVATION_EDITING &&
          (self->selector == NULL || self->selector->kind != GLS_SELECTOR_TEXT))
        {
          _gls_field_error (error, label, "target.selector",
                            _("a suggestion changes a passage of a text: it needs a TextQuoteSelector "
                              "or a TextPositionSelector"));
          return FALSE;
        }

      self->source = str;
      return TRUE;
    }

  /* A review: an assessment of a whole design version. */
  if (self->motivation == GLS_MOTIVATION_ASSESSING && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *target = json_node_get_object (node);

      if (!_gls_json_iri_member (target, "source", FALSE, label, "target.source", &str, error))
        return FALSE;
      if (json_object_get_size (target) != 1)
        {
          _gls_field_error (error, label, "target",
                            _("a review is of a whole design version: its target has a source and nothing else"));
          return FALSE;
        }
      self->source = str;
      return TRUE;
    }

  /* The others target another annotation, by its id. */
  if (!_gls_json_iri_node (node, FALSE, label, "target", &str, error))
    return FALSE;

  self->target_id = str;
  self->target_hash = g_str_hash (str);
  return TRUE;
}

/* One TextualBody: plain text, of a bounded size. */
static gboolean
parse_textual_body (JsonObject  *body,
                    const char  *label,
                    const char  *field,
                    const char **out_value,
                    GError     **error)
{
  g_autofree char *type_field = g_strconcat (field, ".type", NULL);
  g_autofree char *value_field = g_strconcat (field, ".value", NULL);
  g_autofree char *format_field = g_strconcat (field, ".format", NULL);
  const char *type, *value, *format;

  if (!_gls_json_string_member (body, "type", FALSE, label, type_field, &type, error))
    return FALSE;

  if (!g_str_equal (type, "TextualBody"))
    {
      _gls_field_error (error, label, type_field, _("must be “TextualBody”, not “%s”"), type);
      return FALSE;
    }

  if (!_gls_json_string_member (body, "value", FALSE, label, value_field, &value, error) ||
      !_gls_json_string_member (body, "format", TRUE, label, format_field, &format, error))
    return FALSE;

  if (format != NULL && !g_str_equal (format, "text/plain"))
    {
      _gls_field_error (error, label, format_field, _("must be “text/plain”, not “%s”"), format);
      return FALSE;
    }

  if (strlen (value) > MAX_TEXT_BYTES)
    {
      _gls_field_error (error, label, value_field, _("longer than %d bytes"), MAX_TEXT_BYTES);
      return FALSE;
    }

  *out_value = value;
  return TRUE;
}

/* The bodies after the first: a review's words (a TextualBody with
 * purpose commenting), and the people a comment mentions (each a
 * SpecificResource with purpose tagging whose source is their id). */
static gboolean
parse_extra_body (GlsAnnotation  *self,
                  JsonObject     *body,
                  guint           i,
                  GPtrArray      *tags,
                  const char     *label,
                  GError        **error)
{
  g_autofree char *field = g_strdup_printf ("body[%u]", i);
  g_autofree char *purpose_field = g_strconcat (field, ".purpose", NULL);
  const char *purpose, *value;

  if (!_gls_json_string_member (body, "purpose", FALSE, label, purpose_field, &purpose, error))
    return FALSE;

  if (g_str_equal (purpose, "commenting") && self->motivation == GLS_MOTIVATION_ASSESSING &&
      self->source != NULL && self->note == NULL && tags->len == 0)
    {
      if (!parse_textual_body (body, label, field, &value, error))
        return FALSE;
      self->note = value;
      return TRUE;
    }

  if (g_str_equal (purpose, "tagging") && self->motivation != GLS_MOTIVATION_ASSESSING)
    {
      g_autofree char *type_field = g_strconcat (field, ".type", NULL);
      g_autofree char *source_field = g_strconcat (field, ".source", NULL);
      const char *type;

      if (!_gls_json_string_member (body, "type", FALSE, label, type_field, &type, error) ||
          !_gls_json_iri_member (body, "source", FALSE, label, source_field, &value, error))
        return FALSE;
      if (!g_str_equal (type, "SpecificResource") || json_object_get_size (body) != 3)
        {
          _gls_field_error (error, label, field,
                            _("a mention is a SpecificResource with a purpose and a source, nothing else"));
          return FALSE;
        }
      g_ptr_array_add (tags, g_strdup (value));
      return TRUE;
    }

  _gls_field_error (error, label, purpose_field,
                    _("“%s” is not a body Glossa keeps here: after the text come a review’s words "
                      "(commenting) or the people a comment mentions (tagging)"),
                    purpose);
  return FALSE;
}

static gboolean
parse_body (GlsAnnotation  *self,
            const Members  *m,
            const char     *label,
            GError        **error)
{
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  JsonObject *body;
  const char *value;

  if (m->body != NULL && JSON_NODE_HOLDS_ARRAY (m->body))
    {
      JsonArray *bodies = json_node_get_array (m->body);
      guint n = json_array_get_length (bodies);

      if (n < 2 || n > 2 + MAX_TAGS)
        {
          _gls_field_error (error, label, "body", _("a list of %u bodies: Glossa keeps 2 to %d"), n, 2 + MAX_TAGS);
          return FALSE;
        }
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *field = g_strdup_printf ("body[%u]", i);
          JsonObject *extra;

          if (!_gls_json_object_node (json_array_get_element (bodies, i), FALSE, label, field, &extra, error))
            return FALSE;
          if (i == 0)
            {
              if (json_object_has_member (extra, "purpose"))
                {
                  _gls_field_error (error, label, "body[0].purpose", _("the first body is the annotation’s text"));
                  return FALSE;
                }
              if (!parse_textual_body (extra, label, field, &value, error))
                return FALSE;
              self->text = value;
            }
          else if (!parse_extra_body (self, extra, i, tags, label, error))
            return FALSE;
        }
      if (tags->len > 0)
        {
          g_ptr_array_add (tags, NULL);
          self->tags = (char **) g_ptr_array_free (g_steal_pointer (&tags), FALSE);
        }
    }
  else
    {
      if (!_gls_json_object_node (m->body, FALSE, label, "body", &body, error) ||
          !parse_textual_body (body, label, "body", &value, error))
        return FALSE;
      self->text = value;
    }

  value = self->text;
  if (self->motivation == GLS_MOTIVATION_ASSESSING && self->source != NULL &&
      !g_str_equal (value, "approved") && !g_str_equal (value, "changes-requested"))
    {
      _gls_field_error (error, label, "body.value",
                        _("a review is “approved” or “changes-requested”, not “%s”"), value);
      return FALSE;
    }
  if (self->motivation == GLS_MOTIVATION_ASSESSING && self->source == NULL &&
      !g_str_equal (value, "resolved") && !g_str_equal (value, "open") &&
      !g_str_equal (value, "accepted") && !g_str_equal (value, "declined"))
    {
      _gls_field_error (error, label, "body.value",
                        _("an assessment is “resolved”, “open”, “accepted” or “declined”, not “%s”"),
                        value);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_creator (GlsAnnotation  *self,
               const Members  *m,
               gboolean        optional,
               const char     *label,
               GError        **error)
{
  JsonObject *creator;
  const char *id, *type, *name;

  if (!_gls_json_object_node (m->creator, optional, label, "creator", &creator, error))
    return FALSE;
  if (creator == NULL)
    return TRUE;

  if (!_gls_json_iri_member (creator, "id", FALSE, label, "creator.id", &id, error) ||
      !_gls_json_string_member (creator, "type", TRUE, label, "creator.type", &type, error) ||
      !_gls_json_string_member (creator, "name", TRUE, label, "creator.name", &name, error))
    return FALSE;

  if (type != NULL && !g_str_equal (type, "Person") &&
      !g_str_equal (type, "Organization") && !g_str_equal (type, "Software"))
    {
      _gls_field_error (error, label, "creator.type",
                        _("must be “Person”, “Organization” or “Software”, not “%s”"), type);
      return FALSE;
    }

  self->creator_id = id;
  self->creator_name = name;
  return TRUE;
}

static gboolean
parse_created (GlsAnnotation  *self,
               const Members  *m,
               gboolean        optional,
               const char     *label,
               GError        **error)
{
  const char *created;

  if (!_gls_json_string_node (m->created, optional, label, "created", &created, error))
    return FALSE;
  if (created == NULL)
    return TRUE;

  if (!gls_timestamp_parse (created, &self->created_usec))
    {
      _gls_field_error (error, label, "created",
                        _("“%s” is not an xsd:dateTime with a time zone"), created);
      return FALSE;
    }

  self->created = created;
  return TRUE;
}

static const char *const stored_generator[][2] = {
  { "id", GLS_GENERATOR_ID },
  { "name", GLS_GENERATOR_NAME " " PACKAGE_VERSION },
  { "type", "Software" },
};

/* Glossa's generator as the store gives it back (members sorted): such an
 * annotation keeps a flag instead of the document's generator object. */
static gboolean
is_stored_glossa_generator (JsonObject *generator)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  guint i = 0;

  if (json_object_get_size (generator) != G_N_ELEMENTS (stored_generator))
    return FALSE;

  json_object_iter_init_ordered (&iter, generator);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (!g_str_equal (name, stored_generator[i][0]) ||
          !JSON_NODE_HOLDS_VALUE (member) ||
          json_node_get_value_type (member) != G_TYPE_STRING ||
          g_strcmp0 (json_node_get_string (member), stored_generator[i][1]) != 0)
        return FALSE;
      i++;
    }

  return TRUE;
}

static JsonNode *
new_stored_glossa_generator (void)
{
  JsonObject *generator = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  for (guint i = 0; i < G_N_ELEMENTS (stored_generator); i++)
    json_object_set_string_member (generator, stored_generator[i][0], stored_generator[i][1]);
  json_node_take_object (node, generator);

  return node;
}

/* The label that errors start with. */
static char *
doc_label (const Members *m)
{
  const char *id = _gls_json_node_peek_string (m->id);
  const char *couch_id = _gls_json_node_peek_string (m->couch_id);

  return g_strdup_printf (_("Annotation “%s”"), id ? id : couch_id ? couch_id : "(no id)");
}

/* With `error` NULL, `label` is not used (nor made, see below). */
static GlsAnnotation *
annotation_from_json (const Members  *m,
                      const char     *label,
                      GError        **error)
{
  g_autoptr(GlsAnnotation) self = NULL;
  const char *id, *couch_id, *type, *motivation, *rights;
  JsonNode *node;
  gboolean deleted = FALSE;

  node = m->deleted;
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    deleted = json_node_get_boolean (node);

  id = _gls_json_node_peek_string (m->id);
  couch_id = _gls_json_node_peek_string (m->couch_id);

  if (deleted && id == NULL)
    {
      if (!_gls_json_iri_node (m->couch_id, FALSE, label, "_id", &id, error))
        return NULL;
    }
  else if (!_gls_json_iri_node (m->id, FALSE, label, "id", &id, error))
    return NULL;

  if (couch_id != NULL && !g_str_equal (couch_id, id))
    {
      _gls_field_error (error, label, "_id", _("“%s” differs from the id"), couch_id);
      return NULL;
    }

  self = g_object_new (GLS_TYPE_ANNOTATION, NULL);
  self->id = id;
  self->id_hash = g_str_hash (id);
  self->deleted = deleted;
  /* Kept as it came, so the document can travel on with its proof (an
   * export, an import); gls_annotation_new_verified checks it. */
  if (m->proof != NULL && JSON_NODE_HOLDS_OBJECT (m->proof))
    self->proof = json_node_ref (m->proof);

  if (!deleted && !check_context (m, label, error))
    return NULL;

  if (!_gls_json_string_node (m->type, FALSE, label, "type", &type, error))
    return NULL;
  if (!g_str_equal (type, "Annotation"))
    {
      _gls_field_error (error, label, "type", _("must be “Annotation”, not “%s”"), type);
      return NULL;
    }

  if (!_gls_json_string_node (m->motivation, FALSE, label, "motivation", &motivation, error))
    return NULL;
  if (!gls_motivation_from_string (motivation, &self->motivation))
    {
      _gls_field_error (error, label, "motivation",
                        _("“%s” is not one of commenting, replying, editing, assessing"),
                        motivation);
      return NULL;
    }

  if (!parse_target (self, m, label, error) ||
      !parse_creator (self, m, deleted, label, error) ||
      !parse_created (self, m, deleted, label, error))
    return NULL;

  if (deleted)
    {
      own_strings (self);
      return g_steal_pointer (&self);
    }

  if (!parse_body (self, m, label, error) ||
      !_gls_json_iri_node (m->rights, TRUE, label, "rights", &rights, error))
    return NULL;
  self->rights = rights;

  node = m->generator;
  if (node != NULL)
    {
      const char *gen_id = NULL;

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          if (!_gls_json_iri_member (json_node_get_object (node), "id", TRUE, label,
                                     "generator.id", &gen_id, error))
            return NULL;
        }
      else if (!_gls_json_iri_node (node, FALSE, label, "generator", &gen_id, error))
        return NULL;

      if (JSON_NODE_HOLDS_OBJECT (node) && is_stored_glossa_generator (json_node_get_object (node)))
        self->glossa_generator = TRUE;
      else
        self->generator = json_node_copy (node);
    }

  own_strings (self);
  return g_steal_pointer (&self);
}

GlsAnnotation *
gls_annotation_new_from_json (JsonObject  *doc,
                              GError     **error)
{
  g_autofree char *label = NULL;
  GlsAnnotation *self;
  Members m;

  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  collect_members (doc, &m);

  /* Valid documents are the rule: check without composing messages, and
   * only for an invalid one check again to say why. */
  self = annotation_from_json (&m, NULL, NULL);
  if (self != NULL || error == NULL)
    return self;

  label = doc_label (&m);
  return annotation_from_json (&m, label, error);
}

GlsAnnotation *
gls_annotation_new_checked (JsonObject      *doc,
                            GlsProofStatus   status,
                            const char      *signer,
                            const char      *why,
                            GError         **error)
{
  g_autoptr(GlsAnnotation) self = NULL;

  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (status != GLS_PROOF_VALID || signer != NULL, NULL);

  if (!(self = gls_annotation_new_from_json (doc, error)))
    return NULL;

  switch (status)
    {
    case GLS_PROOF_NONE:
      self->trust = GLS_TRUST_UNVERIFIED;
      break;

    case GLS_PROOF_VALID:
      if (g_strcmp0 (signer, self->creator_id) == 0)
        {
          self->trust = GLS_TRUST_VERIFIED;
        }
      else if (self->creator_id != NULL && g_str_has_prefix (self->creator_id, "did:key:"))
        {
          g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_PROOF,
                       _("Annotation “%s” names %s as its creator but was signed by %s"),
                       self->id, self->creator_id, signer);
          return NULL;
        }
      else
        {
          self->trust = GLS_TRUST_IMPORTED;
        }
      self->signer = g_strdup (signer);
      break;

    case GLS_PROOF_INVALID:
    default:
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_PROOF,
                   _("Annotation “%s”: %s"), self->id,
                   why != NULL ? why : _("its proof does not verify"));
      return NULL;
    }

  return g_steal_pointer (&self);
}

GlsAnnotation *
gls_annotation_new_verified (JsonObject  *doc,
                             GError     **error)
{
  g_autoptr(GError) proof_error = NULL;
  g_autofree char *signer = NULL;
  GlsProofStatus status;

  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  status = gls_proof_verify (doc, &signer, &proof_error);
  return gls_annotation_new_checked (doc, status, signer,
                                     proof_error != NULL ? proof_error->message : NULL, error);
}

GlsTrust
gls_annotation_get_trust (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), GLS_TRUST_UNVERIFIED);

  return self->trust;
}

const char *
gls_annotation_get_signer (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), NULL);

  return self->signer;
}

const char *
gls_annotation_get_authority (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), NULL);

  return self->signer != NULL ? self->signer : self->creator_id;
}

guint
gls_annotation_get_ignored_changes (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), 0);

  return self->ignored_changes;
}

void
_gls_annotation_set_ignored_changes (GlsAnnotation *self,
                                     guint          ignored)
{
  g_return_if_fail (GLS_IS_ANNOTATION (self));

  self->ignored_changes = ignored;
}

/* A passage of a text: [TextQuoteSelector, TextPositionSelector], either
 * left out when the selector does not have it; members always in the same
 * order, an empty prefix or suffix left out, so that a document reads back
 * to the same JSON and its proof still holds. */
static JsonArray *
text_selector_list (const GlsSelector *sel)
{
  JsonArray *list;

  if (sel->exact == NULL && sel->start < 0)
    return NULL;

  list = json_array_new ();
  if (sel->exact != NULL)
    {
      JsonObject *quote = json_object_new ();

      json_object_set_string_member (quote, "type", "TextQuoteSelector");
      json_object_set_string_member (quote, "exact", sel->exact);
      if (sel->prefix != NULL && *sel->prefix != '\0')
        json_object_set_string_member (quote, "prefix", sel->prefix);
      if (sel->suffix != NULL && *sel->suffix != '\0')
        json_object_set_string_member (quote, "suffix", sel->suffix);
      json_array_add_object_element (list, quote);
    }
  if (sel->start >= 0)
    {
      JsonObject *position = json_object_new ();

      json_object_set_string_member (position, "type", "TextPositionSelector");
      json_object_set_int_member (position, "start", sel->start);
      json_object_set_int_member (position, "end", sel->end);
      json_array_add_object_element (list, position);
    }

  return list;
}

static JsonNode *
target_node (GlsAnnotation *self)
{
  JsonNode *node;
  JsonObject *target;

  if (self->source == NULL)
    {
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, self->target_id);
      return node;
    }

  target = json_object_new ();
  json_object_set_string_member (target, "source", self->source);
  if (self->selector != NULL && self->selector->kind == GLS_SELECTOR_TEXT)
    {
      JsonArray *list = text_selector_list (self->selector);

      if (list != NULL)
        json_object_set_array_member (target, "selector", list);
    }
  else if (self->selector != NULL)
    {
      JsonObject *sel = json_object_new ();
      const char *conforms = NULL;
      g_autofree char *value = gls_selector_to_fragment (self->selector, &conforms);

      json_object_set_string_member (sel, "type", "FragmentSelector");
      json_object_set_string_member (sel, "conformsTo", conforms);
      json_object_set_string_member (sel, "value", value);
      json_object_set_object_member (target, "selector", sel);
    }

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, target);
  return node;
}

static void
add_creator (GlsAnnotation *self,
             JsonObject    *doc)
{
  JsonObject *creator;

  if (self->creator_id == NULL)
    return;

  creator = json_object_new ();
  json_object_set_string_member (creator, "id", self->creator_id);
  json_object_set_string_member (creator, "type", "Person");
  if (self->creator_name != NULL)
    json_object_set_string_member (creator, "name", self->creator_name);
  json_object_set_object_member (doc, "creator", creator);
}

JsonObject *
gls_annotation_tombstone_body (GlsAnnotation *self)
{
  JsonObject *doc;

  g_return_val_if_fail (GLS_IS_ANNOTATION (self), NULL);

  doc = json_object_new ();
  json_object_set_string_member (doc, "type", "Annotation");
  json_object_set_string_member (doc, "motivation", gls_motivation_to_string (self->motivation));
  json_object_set_member (doc, "target", target_node (self));
  add_creator (self, doc);
  if (self->created != NULL)
    json_object_set_string_member (doc, "created", self->created);

  return doc;
}

JsonObject *
gls_annotation_to_json (GlsAnnotation *self)
{
  JsonObject *doc, *body;

  g_return_val_if_fail (GLS_IS_ANNOTATION (self), NULL);

  if (self->deleted)
    {
      g_autoptr(JsonObject) tomb = gls_annotation_tombstone_body (self);
      GList *members = json_object_get_members (tomb);

      doc = json_object_new ();
      json_object_set_string_member (doc, "_id", self->id);
      json_object_set_boolean_member (doc, "_deleted", TRUE);
      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (doc, l->data, json_object_dup_member (tomb, l->data));
      g_list_free (members);
      if (self->proof != NULL)
        json_object_set_member (doc, "proof", json_node_copy (self->proof));
      return doc;
    }

  doc = json_object_new ();
  json_object_set_string_member (doc, "_id", self->id);
  json_object_set_string_member (doc, "@context", GLS_ANNO_CONTEXT);
  json_object_set_string_member (doc, "id", self->id);
  json_object_set_string_member (doc, "type", "Annotation");
  json_object_set_string_member (doc, "motivation", gls_motivation_to_string (self->motivation));
  json_object_set_string_member (doc, "created", self->created);
  add_creator (self, doc);

  body = json_object_new ();
  json_object_set_string_member (body, "type", "TextualBody");
  json_object_set_string_member (body, "value", self->text);
  json_object_set_string_member (body, "format", "text/plain");
  if (self->note == NULL && self->tags == NULL)
    json_object_set_object_member (doc, "body", body);
  else
    {
      JsonArray *bodies = json_array_new ();

      json_array_add_object_element (bodies, body);
      if (self->note != NULL)
        {
          JsonObject *note = json_object_new ();

          json_object_set_string_member (note, "type", "TextualBody");
          json_object_set_string_member (note, "purpose", "commenting");
          json_object_set_string_member (note, "value", self->note);
          json_object_set_string_member (note, "format", "text/plain");
          json_array_add_object_element (bodies, note);
        }
      for (guint i = 0; self->tags != NULL && self->tags[i] != NULL; i++)
        {
          JsonObject *tag = json_object_new ();

          json_object_set_string_member (tag, "type", "SpecificResource");
          json_object_set_string_member (tag, "purpose", "tagging");
          json_object_set_string_member (tag, "source", self->tags[i]);
          json_array_add_object_element (bodies, tag);
        }
      json_object_set_array_member (doc, "body", bodies);
    }

  json_object_set_member (doc, "target", target_node (self));
  if (self->glossa_generator)
    json_object_set_member (doc, "generator", new_stored_glossa_generator ());
  else if (self->generator != NULL)
    json_object_set_member (doc, "generator", json_node_copy (self->generator));
  if (self->rights != NULL)
    json_object_set_string_member (doc, "rights", self->rights);
  if (self->proof != NULL)
    json_object_set_member (doc, "proof", json_node_copy (self->proof));

  return doc;
}

gboolean
gls_annotation_json_is_annotation (JsonObject *doc)
{
  g_return_val_if_fail (doc != NULL, FALSE);

  return g_strcmp0 (_gls_json_peek_string (doc, "type"), "Annotation") == 0;
}

const char *
gls_annotation_get_id (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), NULL);
  return self->id;
}

GlsMotivation
gls_annotation_get_motivation (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), 0);
  return self->motivation;
}

const char *
gls_annotation_get_text (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), NULL);
  return self->text;
}

const char *
gls_annotation_get_source (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), NULL);
  return self->source;
}

const GlsSelector *
gls_annotation_get_selector (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), NULL);
  return self->selector;
}

const char *
gls_annotation_get_target_id (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), NULL);
  return self->target_id;
}

guint
_gls_annotation_get_id_hash (GlsAnnotation *self)
{
  return self->id_hash;
}

guint
_gls_annotation_get_target_hash (GlsAnnotation *self)
{
  return self->target_hash;
}

const char *
gls_annotation_get_creator_id (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), NULL);
  return self->creator_id;
}

const char *
gls_annotation_get_creator_name (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), NULL);
  return self->creator_name;
}

const char *
gls_annotation_get_created (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), NULL);
  return self->created;
}

gint64
gls_annotation_get_created_usec (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), 0);
  return self->created_usec;
}

const char *
gls_annotation_get_rights (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), NULL);
  return self->rights;
}

gboolean
gls_annotation_get_resolved (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), FALSE);
  /* A decided suggestion is closed as a resolved thread is. */
  return self->motivation == GLS_MOTIVATION_ASSESSING &&
         (g_strcmp0 (self->text, "resolved") == 0 || g_strcmp0 (self->text, "accepted") == 0 ||
          g_strcmp0 (self->text, "declined") == 0);
}

GlsDecision
gls_annotation_get_decision (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), GLS_DECISION_NONE);

  if (self->motivation != GLS_MOTIVATION_ASSESSING)
    return GLS_DECISION_NONE;
  if (g_strcmp0 (self->text, "accepted") == 0)
    return GLS_DECISION_ACCEPTED;
  if (g_strcmp0 (self->text, "declined") == 0)
    return GLS_DECISION_DECLINED;
  if (g_strcmp0 (self->text, "approved") == 0)
    return GLS_DECISION_APPROVED;
  if (g_strcmp0 (self->text, "changes-requested") == 0)
    return GLS_DECISION_CHANGES_REQUESTED;
  return GLS_DECISION_NONE;
}

gboolean
gls_annotation_is_review (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), FALSE);
  return self->motivation == GLS_MOTIVATION_ASSESSING && self->source != NULL;
}

const char *
gls_annotation_get_note (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), NULL);
  return self->note;
}

const char * const *
gls_annotation_get_mentions (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), NULL);
  return (const char * const *) self->tags;
}

gboolean
gls_annotation_is_suggestion (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), FALSE);
  return self->motivation == GLS_MOTIVATION_EDITING && self->source != NULL;
}

gboolean
gls_annotation_is_root (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), FALSE);
  return self->motivation == GLS_MOTIVATION_COMMENTING || gls_annotation_is_suggestion (self);
}

gboolean
gls_annotation_is_deleted (GlsAnnotation *self)
{
  g_return_val_if_fail (GLS_IS_ANNOTATION (self), FALSE);
  return self->deleted;
}

int
gls_annotation_compare (GlsAnnotation *a,
                        GlsAnnotation *b)
{
  int cmp;

  if (a->created_usec != b->created_usec)
    return a->created_usec < b->created_usec ? -1 : 1;

  /* Same instant written differently: any fixed order will do. */
  cmp = g_strcmp0 (a->created, b->created);
  if (cmp != 0)
    return cmp;

  return strcmp (a->id, b->id);
}

void
_gls_annotation_set_mentions (GlsAnnotation      *self,
                              const char * const *mentions)
{
  g_return_if_fail (GLS_IS_ANNOTATION (self));
  g_return_if_fail (self->motivation != GLS_MOTIVATION_ASSESSING);

  g_clear_pointer (&self->tags, g_strfreev);
  if (mentions != NULL && mentions[0] != NULL)
    self->tags = g_strdupv ((char **) mentions);
}
