/* test-core-annotation.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gls-annotation.h"
#include "gls-identity.h"
#include "gls-json-parser.h"
#include "gls-proof.h"
#include "gls-reviews.h"

#define ALICE  "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"
#define SOURCE "ni:///sha-256;f4OxZX_x_FO5LcGBSKHWXfwtSx-j1ncoSt3SABJtkGk"
#define T1     "2026-11-23T10:00:00.123000Z"
#define T2     "2026-11-23T10:00:01.000000Z"

static GlsAnnotation *
round_trip (GlsAnnotation *a)
{
  g_autoptr(JsonObject) doc = gls_annotation_to_json (a);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), doc);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(JsonNode) parsed = json_from_string (text, NULL);
  g_autoptr(GError) error = NULL;
  GlsAnnotation *back;

  back = gls_annotation_new_from_json (json_node_get_object (parsed), &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);

  return back;
}

static void
test_comment (void)
{
  GlsSelector rect = { GLS_SELECTOR_RECT, 0, 10, 20, 30, 40 };
  g_autoptr(GlsAnnotation) a = gls_annotation_new_comment (SOURCE, &rect, "Align this", ALICE,
                                                           "Alice", NULL, T1);
  g_autoptr(GlsAnnotation) b = round_trip (a);
  g_autoptr(JsonObject) doc = gls_annotation_to_json (a);
  JsonObject *target, *selector, *body, *creator;

  g_assert_true (g_str_has_prefix (gls_annotation_get_id (a), "urn:uuid:"));
  g_assert_cmpstr (json_object_get_string_member (doc, "_id"), ==, gls_annotation_get_id (a));
  g_assert_cmpstr (json_object_get_string_member (doc, "id"), ==, gls_annotation_get_id (a));
  g_assert_cmpstr (json_object_get_string_member (doc, "@context"), ==,
                   "http://www.w3.org/ns/anno.jsonld");
  g_assert_cmpstr (json_object_get_string_member (doc, "type"), ==, "Annotation");
  g_assert_cmpstr (json_object_get_string_member (doc, "motivation"), ==, "commenting");
  g_assert_cmpstr (json_object_get_string_member (doc, "created"), ==, T1);
  g_assert_cmpstr (json_object_get_string_member (doc, "rights"), ==,
                   "https://creativecommons.org/licenses/by/4.0/");
  target = json_object_get_object_member (doc, "target");
  g_assert_cmpstr (json_object_get_string_member (target, "source"), ==, SOURCE);
  selector = json_object_get_object_member (target, "selector");
  g_assert_cmpstr (json_object_get_string_member (selector, "type"), ==, "FragmentSelector");
  g_assert_cmpstr (json_object_get_string_member (selector, "conformsTo"), ==,
                   "http://www.w3.org/TR/media-frags/");
  g_assert_cmpstr (json_object_get_string_member (selector, "value"), ==, "xywh=10,20,30,40");
  body = json_object_get_object_member (doc, "body");
  g_assert_cmpstr (json_object_get_string_member (body, "type"), ==, "TextualBody");
  g_assert_cmpstr (json_object_get_string_member (body, "value"), ==, "Align this");
  g_assert_cmpstr (json_object_get_string_member (body, "format"), ==, "text/plain");
  creator = json_object_get_object_member (doc, "creator");
  g_assert_cmpstr (json_object_get_string_member (creator, "id"), ==, ALICE);
  g_assert_cmpstr (json_object_get_string_member (creator, "type"), ==, "Person");
  g_assert_cmpstr (json_object_get_string_member (creator, "name"), ==, "Alice");
  g_assert_true (json_object_has_member (doc, "generator"));

  g_assert_cmpstr (gls_annotation_get_id (b), ==, gls_annotation_get_id (a));
  g_assert_cmpint (gls_annotation_get_motivation (b), ==, GLS_MOTIVATION_COMMENTING);
  g_assert_cmpstr (gls_annotation_get_text (b), ==, "Align this");
  g_assert_cmpstr (gls_annotation_get_source (b), ==, SOURCE);
  g_assert_true (gls_selector_equal (gls_annotation_get_selector (b), &rect));
  g_assert_null (gls_annotation_get_target_id (b));
  g_assert_cmpstr (gls_annotation_get_creator_id (b), ==, ALICE);
  g_assert_cmpstr (gls_annotation_get_creator_name (b), ==, "Alice");
  g_assert_cmpstr (gls_annotation_get_created (b), ==, T1);
  g_assert_false (gls_annotation_is_deleted (b));
  g_assert_true (gls_annotation_json_is_annotation (doc));
}

static void
test_whole_design_and_pdf (void)
{
  GlsSelector page = { GLS_SELECTOR_NONE, 4, 0, 0, 0, 0 };
  GlsSelector whole = { GLS_SELECTOR_NONE, 0, 0, 0, 0, 0 };
  g_autoptr(GlsAnnotation) a = gls_annotation_new_comment (SOURCE, &whole, "Nice", ALICE,
                                                           NULL, NULL, T1);
  g_autoptr(GlsAnnotation) p = gls_annotation_new_comment (SOURCE, &page, "Page 4", ALICE,
                                                           NULL, NULL, T1);
  g_autoptr(JsonObject) doc = gls_annotation_to_json (a);
  g_autoptr(GlsAnnotation) p2 = round_trip (p);

  g_assert_null (gls_annotation_get_selector (a));
  g_assert_false (json_object_has_member (json_object_get_object_member (doc, "target"),
                                          "selector"));
  g_assert_cmpuint (gls_annotation_get_selector (p2)->page, ==, 4);
  g_assert_cmpint (gls_annotation_get_selector (p2)->kind, ==, GLS_SELECTOR_NONE);
  /* No name: creator without one. */
  g_assert_null (gls_annotation_get_creator_name (a));
}

static void
test_others (void)
{
  g_autoptr(GlsAnnotation) root = gls_annotation_new_comment (SOURCE, NULL, "Root", ALICE,
                                                              "Alice", NULL, T1);
  const char *root_id = gls_annotation_get_id (root);
  g_autoptr(GlsAnnotation) reply = gls_annotation_new_reply (root_id, "Yes", ALICE, "Alice",
                                                             NULL, T2);
  g_autoptr(GlsAnnotation) edit = gls_annotation_new_edit (root_id, "Root!", ALICE, "Alice",
                                                           "https://creativecommons.org/publicdomain/zero/1.0/",
                                                           T2);
  g_autoptr(GlsAnnotation) resolve = gls_annotation_new_assessment (root_id, TRUE, ALICE, NULL,
                                                                    NULL, T2);
  g_autoptr(GlsAnnotation) reopen = gls_annotation_new_assessment (root_id, FALSE, ALICE, NULL,
                                                                   NULL, T2);
  GlsAnnotation *all[] = { reply, edit, resolve, reopen };
  GlsMotivation motivations[] = { GLS_MOTIVATION_REPLYING, GLS_MOTIVATION_EDITING,
                                  GLS_MOTIVATION_ASSESSING, GLS_MOTIVATION_ASSESSING };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      g_autoptr(GlsAnnotation) back = round_trip (all[i]);
      g_autoptr(JsonObject) doc = gls_annotation_to_json (all[i]);

      /* The target of these is a plain IRI string. */
      g_assert_cmpstr (json_object_get_string_member (doc, "target"), ==, root_id);
      g_assert_cmpint (gls_annotation_get_motivation (back), ==, motivations[i]);
      g_assert_cmpstr (gls_annotation_get_target_id (back), ==, root_id);
      g_assert_null (gls_annotation_get_source (back));
      g_assert_cmpstr (gls_annotation_get_text (back), ==, gls_annotation_get_text (all[i]));
    }

  g_assert_cmpstr (gls_annotation_get_text (resolve), ==, "resolved");
  g_assert_true (gls_annotation_get_resolved (resolve));
  g_assert_cmpstr (gls_annotation_get_text (reopen), ==, "open");
  g_assert_false (gls_annotation_get_resolved (reopen));
  g_assert_false (gls_annotation_get_resolved (reply));
  g_assert_cmpstr (gls_annotation_get_rights (edit), ==,
                   "https://creativecommons.org/publicdomain/zero/1.0/");
}

static void
test_tombstone (void)
{
  GlsSelector point = { GLS_SELECTOR_POINT, 0, 5, 6, 0, 0 };
  g_autoptr(GlsAnnotation) a = gls_annotation_new_comment (SOURCE, &point, "Secret", ALICE,
                                                           "Alice", NULL, T1);
  g_autoptr(JsonObject) body = gls_annotation_tombstone_body (a);
  g_autoptr(GlsAnnotation) tomb = NULL;
  g_autoptr(GlsAnnotation) tomb2 = NULL;
  g_autoptr(JsonObject) tomb_doc = NULL;
  g_autoptr(GError) error = NULL;

  /* The words go; what places the thread stays. */
  g_assert_false (json_object_has_member (body, "body"));
  g_assert_false (json_object_has_member (body, "rights"));
  g_assert_true (json_object_has_member (body, "target"));
  g_assert_true (json_object_has_member (body, "creator"));
  g_assert_cmpstr (json_object_get_string_member (body, "motivation"), ==, "commenting");

  /* As the store hands it back: _id, _rev, _deleted. */
  json_object_set_string_member (body, "_id", gls_annotation_get_id (a));
  json_object_set_string_member (body, "_rev", "2-0123456789abcdef0123456789abcdef");
  json_object_set_boolean_member (body, "_deleted", TRUE);
  tomb = gls_annotation_new_from_json (body, &error);
  g_assert_no_error (error);
  g_assert_true (gls_annotation_is_deleted (tomb));
  g_assert_cmpstr (gls_annotation_get_id (tomb), ==, gls_annotation_get_id (a));
  g_assert_null (gls_annotation_get_text (tomb));
  g_assert_cmpstr (gls_annotation_get_source (tomb), ==, SOURCE);
  g_assert_true (gls_selector_equal (gls_annotation_get_selector (tomb), &point));
  g_assert_cmpstr (gls_annotation_get_creator_id (tomb), ==, ALICE);
  g_assert_cmpstr (gls_annotation_get_created (tomb), ==, T1);

  tomb_doc = gls_annotation_to_json (tomb);
  g_assert_true (json_object_get_boolean_member (tomb_doc, "_deleted"));
  g_assert_false (json_object_has_member (tomb_doc, "body"));

  tomb2 = gls_annotation_new_tombstone (a);
  g_assert_true (gls_annotation_is_deleted (tomb2));
  g_assert_cmpint (gls_annotation_compare (tomb2, a), ==, 0);
}

static void
test_compare (void)
{
  g_autoptr(GlsAnnotation) a = gls_annotation_new_comment (SOURCE, NULL, "a", ALICE, NULL, NULL,
                                                           "2026-11-23T10:00:00.000001Z");
  /* The same instant written differently still sorts by time first. */
  g_autoptr(GlsAnnotation) b = gls_annotation_new_comment (SOURCE, NULL, "b", ALICE, NULL, NULL,
                                                           "2026-11-23T11:00:00+01:00");
  g_autoptr(GlsAnnotation) c = gls_annotation_new_comment (SOURCE, NULL, "c", ALICE, NULL, NULL,
                                                           "2026-11-23T10:00:00.5Z");

  g_assert_cmpint (gls_annotation_compare (b, a), <, 0);
  g_assert_cmpint (gls_annotation_compare (a, c), <, 0);
  g_assert_cmpint (gls_annotation_compare (c, c), ==, 0);
}

/* Each case: a JSON patch to a valid comment, and the field the error must name. */
typedef struct
{
  const char *path;   /* member, or "target.selector.value" style path */
  const char *json;   /* NULL: remove */
  const char *field;
} BadCase;

static void
set_path (JsonObject *doc,
          const char *path,
          const char *json)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  guint n = g_strv_length (parts);
  JsonObject *obj = doc;

  for (guint i = 0; i + 1 < n; i++)
    obj = json_object_get_object_member (obj, parts[i]);

  if (json == NULL)
    json_object_remove_member (obj, parts[n - 1]);
  else
    json_object_set_member (obj, parts[n - 1], json_from_string (json, NULL));
}

static void
test_validation (void)
{
  static const BadCase cases[] = {
    { "id", NULL, "id" },
    { "id", "\"not an iri\"", "id" },
    { "id", "17", "id" },
    { "_id", "\"urn:uuid:00000000-0000-0000-0000-000000000000\"", "_id" },
    { "@context", NULL, "@context" },
    { "@context", "\"http://schema.org\"", "@context" },
    { "type", "\"Note\"", "type" },
    { "motivation", "\"bookmarking\"", "motivation" },
    { "motivation", NULL, "motivation" },
    { "body", NULL, "body" },
    { "body", "\"text\"", "body" },
    { "body.type", "\"Image\"", "body.type" },
    { "body.value", "\"\"", "body.value" },
    { "body.value", "[\"a\"]", "body.value" },
    { "body.format", "\"text/html\"", "body.format" },
    { "target", NULL, "target" },
    { "target", "\"urn:uuid:x\"", "target" },
    { "target.source", NULL, "target.source" },
    { "target.source", "\"board.png\"", "target.source" },
    { "target.selector", "\"xywh=1,2,3,4\"", "target.selector" },
    { "target.selector.type", "\"SvgSelector\"", "target.selector.type" },
    { "target.selector.value", "\"xywh=percent:1,2,3,4\"", "target.selector.value" },
    { "target.selector.value", "\"xywh=1,2\"", "target.selector.value" },
    { "target.selector.value", NULL, "target.selector.value" },
    { "target.selector.conformsTo", "\"http://example.org/spec\"", "target.selector.conformsTo" },
    { "creator", NULL, "creator" },
    { "creator.id", NULL, "creator.id" },
    { "creator.id", "\"Alice\"", "creator.id" },
    { "creator.name", "3", "creator.name" },
    { "creator.type", "\"Cat\"", "creator.type" },
    { "created", NULL, "created" },
    { "created", "\"2026-11-23 10:00\"", "created" },
    { "created", "\"2026-11-23T10:00:00\"", "created" },
    { "rights", "\"CC BY 4.0\"", "rights" },
    { "generator", "\"Glossa\"", "generator" },
  };
  GlsSelector rect = { GLS_SELECTOR_RECT, 0, 1, 2, 3, 4 };
  g_autoptr(GlsAnnotation) good = gls_annotation_new_comment (SOURCE, &rect, "Hi", ALICE, "Alice",
                                                              NULL, T1);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) doc = gls_annotation_to_json (good);
      g_autoptr(GError) error = NULL;
      g_autoptr(GlsAnnotation) a = NULL;
      g_autofree char *expected = NULL;
      const char *id;

      set_path (doc, cases[i].path, cases[i].json);
      id = json_object_has_member (doc, "id") && JSON_NODE_HOLDS_VALUE (json_object_get_member (doc, "id")) &&
           json_object_get_string_member (doc, "id") != NULL
             ? json_object_get_string_member (doc, "id") : gls_annotation_get_id (good);
      expected = g_strdup_printf ("Annotation “%s”: field “%s”: ", id, cases[i].field);

      a = gls_annotation_new_from_json (doc, &error);
      g_assert_null (a);
      g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
      g_test_message ("%s", error->message);
      if (!g_str_has_prefix (error->message, expected))
        g_error ("case %u: “%s” does not start with “%s”", i, error->message, expected);
    }
}

static void
test_validation_others (void)
{
  g_autoptr(GlsAnnotation) resolve = gls_annotation_new_assessment ("urn:uuid:r", TRUE, ALICE,
                                                                    NULL, NULL, T1);
  g_autoptr(GlsAnnotation) reply = gls_annotation_new_reply ("urn:uuid:r", "x", ALICE, NULL,
                                                             NULL, T1);
  g_autoptr(JsonObject) doc = gls_annotation_to_json (resolve);
  g_autoptr(JsonObject) rdoc = gls_annotation_to_json (reply);
  g_autoptr(JsonObject) tomb = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsAnnotation) a = NULL;

  set_path (doc, "body.value", "\"done\"");
  a = gls_annotation_new_from_json (doc, &error);
  g_assert_null (a);
  g_assert_nonnull (strstr (error->message, "field “body.value”"));
  g_clear_error (&error);

  /* A reply's target is an id, not an object. */
  set_path (rdoc, "target", "{\"source\": \"" SOURCE "\"}");
  a = gls_annotation_new_from_json (rdoc, &error);
  g_assert_null (a);
  g_assert_nonnull (strstr (error->message, "field “target”: must be a string"));
  g_clear_error (&error);

  /* A tombstone still needs to say what it was. */
  json_object_set_string_member (tomb, "_id", "urn:uuid:gone");
  json_object_set_boolean_member (tomb, "_deleted", TRUE);
  json_object_set_string_member (tomb, "type", "Annotation");
  a = gls_annotation_new_from_json (tomb, &error);
  g_assert_null (a);
  g_assert_true (g_str_has_prefix (error->message,
                                   "Annotation “urn:uuid:gone”: field “motivation”: missing"));
}

/* Text selectors */

#define TEXT_SRC "ni:///sha-256;rCl1WqFJx2Ndw8I2rWz1wYb1fd5yQwD5jzU0dVbKQ3A"

/* A comment document whose target.selector is `selector_json`. */
static JsonObject *
comment_with_selector (const char *selector_json)
{
  g_autofree char *json = g_strdup_printf (
    "{\"_id\":\"urn:uuid:0c8a4d6e-1b5c-4b8e-9a53-1d2f3e4a5b6c\","
    "\"@context\":\"http://www.w3.org/ns/anno.jsonld\","
    "\"id\":\"urn:uuid:0c8a4d6e-1b5c-4b8e-9a53-1d2f3e4a5b6c\",\"type\":\"Annotation\","
    "\"motivation\":\"commenting\",\"created\":\"" T1 "\","
    "\"creator\":{\"id\":\"" ALICE "\",\"type\":\"Person\"},"
    "\"body\":{\"type\":\"TextualBody\",\"value\":\"Say it plainer\",\"format\":\"text/plain\"},"
    "\"target\":{\"source\":\"" TEXT_SRC "\",\"selector\":%s}}", selector_json);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = json_from_string (json, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

static void
test_text_selector (void)
{
  g_auto(GlsSelector) sel = { 0 };
  g_autoptr(GlsAnnotation) a = NULL;
  g_autoptr(GlsAnnotation) b = NULL;
  g_autoptr(JsonObject) doc = NULL;
  JsonArray *list;
  JsonObject *quote, *position;

  gls_selector_init_text (&sel, 40, 47, "Lötzinn 🎉", "Use lead-free ", "\r\nthen wait.");
  a = gls_annotation_new_comment (TEXT_SRC, &sel, "Which alloy?", ALICE, "Alice", NULL, T1);
  doc = gls_annotation_to_json (a);

  /* [TextQuoteSelector, TextPositionSelector], in that order. */
  list = json_object_get_array_member (json_object_get_object_member (doc, "target"), "selector");
  g_assert_nonnull (list);
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  quote = json_array_get_object_element (list, 0);
  position = json_array_get_object_element (list, 1);
  g_assert_cmpstr (json_object_get_string_member (quote, "type"), ==, "TextQuoteSelector");
  g_assert_cmpstr (json_object_get_string_member (quote, "exact"), ==, "Lötzinn 🎉");
  g_assert_cmpstr (json_object_get_string_member (quote, "prefix"), ==, "Use lead-free ");
  g_assert_cmpstr (json_object_get_string_member (quote, "suffix"), ==, "\r\nthen wait.");
  g_assert_cmpuint (json_object_get_size (quote), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (position, "type"), ==, "TextPositionSelector");
  g_assert_cmpint (json_object_get_int_member (position, "start"), ==, 40);
  g_assert_cmpint (json_object_get_int_member (position, "end"), ==, 47);
  g_assert_cmpuint (json_object_get_size (position), ==, 3);

  b = round_trip (a);
  g_assert_true (gls_selector_equal (gls_annotation_get_selector (b), &sel));

  /* At the start of a file: no prefix member, not an empty one. */
  {
    g_auto(GlsSelector) first = { 0 };
    g_autoptr(GlsAnnotation) c = NULL;
    g_autoptr(GlsAnnotation) d = NULL;
    g_autoptr(JsonObject) cdoc = NULL;

    gls_selector_init_text (&first, 0, 5, "Hello", NULL, " world");
    c = gls_annotation_new_comment (TEXT_SRC, &first, "Hi", ALICE, NULL, NULL, T1);
    cdoc = gls_annotation_to_json (c);
    list = json_object_get_array_member (json_object_get_object_member (cdoc, "target"), "selector");
    g_assert_false (json_object_has_member (json_array_get_object_element (list, 0), "prefix"));
    d = round_trip (c);
    g_assert_true (gls_selector_equal (gls_annotation_get_selector (d), &first));
  }

  /* Another tool's quote alone, or position alone, reads back as it was. */
  {
    g_auto(GlsSelector) only_quote = { 0 };
    g_auto(GlsSelector) only_position = { 0 };
    g_autoptr(GlsAnnotation) q = NULL;
    g_autoptr(GlsAnnotation) p = NULL;
    g_autoptr(GlsAnnotation) q2 = NULL;
    g_autoptr(GlsAnnotation) p2 = NULL;
    g_autoptr(JsonObject) qdoc = NULL;

    gls_selector_init_text (&only_quote, -1, -1, "solder", NULL, NULL);
    gls_selector_init_text (&only_position, 3, 9, NULL, NULL, NULL);
    q = gls_annotation_new_comment (TEXT_SRC, &only_quote, "q", ALICE, NULL, NULL, T1);
    p = gls_annotation_new_comment (TEXT_SRC, &only_position, "p", ALICE, NULL, NULL, T1);
    qdoc = gls_annotation_to_json (q);
    list = json_object_get_array_member (json_object_get_object_member (qdoc, "target"), "selector");
    g_assert_cmpuint (json_array_get_length (list), ==, 1);
    q2 = round_trip (q);
    p2 = round_trip (p);
    g_assert_true (gls_selector_equal (gls_annotation_get_selector (q2), &only_quote));
    g_assert_true (gls_selector_equal (gls_annotation_get_selector (p2), &only_position));
  }

  /* The tombstone keeps the passage: it places the thread. */
  {
    g_autoptr(GlsAnnotation) tomb = gls_annotation_new_tombstone (a);

    g_assert_true (gls_selector_equal (gls_annotation_get_selector (tomb), &sel));
  }

  /* A TEXT selector with neither a quote nor a position is refused. */
  if (g_test_undefined ())
    {
      g_auto(GlsSelector) nothing = { 0 };
      g_autoptr(GlsAnnotation) none = NULL;

      gls_selector_init_text (&nothing, -1, -1, NULL, NULL, NULL);
      g_test_expect_message ("gls-annotation", G_LOG_LEVEL_CRITICAL, "*text_selector_is_valid*");
      none = gls_annotation_new_comment (TEXT_SRC, &nothing, "x", ALICE, NULL, NULL, T1);
      g_test_assert_expected_messages ();
      g_assert_null (none);
    }
}

static void
test_text_selector_shapes (void)
{
  static const struct
  {
    const char *json;
    gint64      start, end;   /* -1: none */
    const char *exact, *prefix, *suffix;
  } cases[] = {
    /* Glossa's own */
    { "[{\"type\":\"TextQuoteSelector\",\"exact\":\"via\",\"prefix\":\"the \",\"suffix\":\" pad\"},"
      "{\"type\":\"TextPositionSelector\",\"start\":4,\"end\":7}]", 4, 7, "via", "the ", " pad" },
    /* One of them alone, not in a list */
    { "{\"type\":\"TextQuoteSelector\",\"exact\":\"via\"}", -1, -1, "via", NULL, NULL },
    { "{\"type\":\"TextPositionSelector\",\"start\":0,\"end\":12}", 0, 12, NULL, NULL, NULL },
    /* Hypothesis: a range for its DOM, then position and quote */
    { "[{\"type\":\"RangeSelector\",\"startContainer\":\"/main[1]/p[3]\",\"startOffset\":12,"
      "\"endContainer\":\"/main[1]/p[3]\",\"endOffset\":19},"
      "{\"type\":\"TextPositionSelector\",\"start\":1043,\"end\":1050},"
      "{\"type\":\"TextQuoteSelector\",\"exact\":\"Lötzinn\",\"prefix\":\"Nimm \",\"suffix\":\" mit\"}]",
      1043, 1050, "Lötzinn", "Nimm ", " mit" },
    /* Others passed over; the first of each kind wins */
    { "[{\"type\":\"XPathSelector\",\"value\":\"/p[1]\"},{\"type\":\"CssSelector\",\"value\":\"p\"},"
      "{\"type\":\"TextQuoteSelector\",\"exact\":\"a\"},{\"type\":\"TextQuoteSelector\",\"exact\":\"b\"},"
      "{\"type\":\"SomethingNew\",\"x\":[1,{}]}]", -1, -1, "a", NULL, NULL },
    /* Empty context is no context; 12.0 is 12 */
    { "[{\"type\":\"TextQuoteSelector\",\"exact\":\"x\",\"prefix\":\"\",\"suffix\":\"\"},"
      "{\"type\":\"TextPositionSelector\",\"start\":12.0,\"end\":1.3e1}]", 12, 13, "x", NULL, NULL },
    /* A caret: an empty range */
    { "{\"type\":\"TextPositionSelector\",\"start\":5,\"end\":5}", 5, 5, NULL, NULL, NULL },
    /* The largest position */
    { "{\"type\":\"TextPositionSelector\",\"start\":0,\"end\":2147483647}", 0, G_MAXINT32, NULL, NULL, NULL },
    /* A text selector wins over a fragment in the same list */
    { "[{\"type\":\"FragmentSelector\",\"value\":\"xywh=1,2,3,4\"},"
      "{\"type\":\"TextQuoteSelector\",\"exact\":\"q\"}]", -1, -1, "q", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) doc = comment_with_selector (cases[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(GlsAnnotation) a = gls_annotation_new_from_json (doc, &error);
      g_autoptr(GlsAnnotation) back = NULL;
      const GlsSelector *sel;

      g_test_message ("case %u: %s", i, cases[i].json);
      g_assert_no_error (error);
      sel = gls_annotation_get_selector (a);
      g_assert_nonnull (sel);
      g_assert_cmpint (sel->kind, ==, GLS_SELECTOR_TEXT);
      g_assert_cmpint (sel->start, ==, cases[i].start);
      g_assert_cmpint (sel->end, ==, cases[i].end);
      g_assert_cmpstr (sel->exact, ==, cases[i].exact);
      g_assert_cmpstr (sel->prefix, ==, cases[i].prefix);
      g_assert_cmpstr (sel->suffix, ==, cases[i].suffix);

      back = round_trip (a);
      g_assert_true (gls_selector_equal (gls_annotation_get_selector (back), sel));
    }

  /* A list with a FragmentSelector alone, or among others, is a fragment. */
  {
    static const char *fragments[] = {
      "[{\"type\":\"FragmentSelector\",\"conformsTo\":\"http://www.w3.org/TR/media-frags/\","
      "\"value\":\"xywh=1,2,3,4\"}]",
      "[{\"type\":\"SvgSelector\",\"value\":\"<svg/>\"},"
      "{\"type\":\"FragmentSelector\",\"value\":\"xywh=1,2,3,4\"},"
      "{\"type\":\"FragmentSelector\",\"value\":\"xywh=9,9,9,9\"}]",
    };
    GlsSelector rect = { GLS_SELECTOR_RECT, 0, 1, 2, 3, 4 };

    for (guint i = 0; i < G_N_ELEMENTS (fragments); i++)
      {
        g_autoptr(JsonObject) doc = comment_with_selector (fragments[i]);
        g_autoptr(GError) error = NULL;
        g_autoptr(GlsAnnotation) a = gls_annotation_new_from_json (doc, &error);
        g_autoptr(JsonObject) out = NULL;

        g_assert_no_error (error);
        g_assert_true (gls_selector_equal (gls_annotation_get_selector (a), &rect));
        /* Written back as Glossa writes a fragment: one object. */
        out = gls_annotation_to_json (a);
        g_assert_nonnull (json_object_get_object_member (json_object_get_object_member (out, "target"),
                                                         "selector"));
      }
  }
}

static void
test_text_selector_hostile (void)
{
  g_autofree char *big = NULL;
  g_autofree char *big_prefix = NULL;
  g_autofree char *many = NULL;
  g_autofree char *deep = NULL;
  struct
  {
    const char *json;
    const char *field;
    const char *says;   /* part of the message, or NULL */
  } cases[] = {
    { "{\"type\":\"TextPositionSelector\",\"start\":-1,\"end\":4}", "target.selector.start", "whole number" },
    { "{\"type\":\"TextPositionSelector\",\"start\":0,\"end\":-4}", "target.selector.end", "whole number" },
    { "{\"type\":\"TextPositionSelector\",\"start\":0,\"end\":2147483648}", "target.selector.end", "2147483647" },
    { "{\"type\":\"TextPositionSelector\",\"start\":99999999999999999999,\"end\":1}", "target.selector.start", NULL },
    { "{\"type\":\"TextPositionSelector\",\"start\":-9223372036854775808,\"end\":1}", "target.selector.start", NULL },
    { "{\"type\":\"TextPositionSelector\",\"start\":1e300,\"end\":1e301}", "target.selector.start", NULL },
    { "{\"type\":\"TextPositionSelector\",\"start\":1.5,\"end\":4}", "target.selector.start", NULL },
    { "{\"type\":\"TextPositionSelector\",\"start\":\"1\",\"end\":4}", "target.selector.start", NULL },
    { "{\"type\":\"TextPositionSelector\",\"start\":true,\"end\":4}", "target.selector.start", NULL },
    { "{\"type\":\"TextPositionSelector\",\"start\":null,\"end\":4}", "target.selector.start", NULL },
    { "{\"type\":\"TextPositionSelector\",\"start\":[1],\"end\":4}", "target.selector.start", NULL },
    { "{\"type\":\"TextPositionSelector\",\"end\":4}", "target.selector.start", "missing" },
    { "{\"type\":\"TextPositionSelector\",\"start\":4}", "target.selector.end", "missing" },
    { "{\"type\":\"TextPositionSelector\",\"start\":9,\"end\":4}", "target.selector.end", "before the start" },
    { "{\"type\":\"TextQuoteSelector\",\"exact\":\"\"}", "target.selector.exact", "empty" },
    { "{\"type\":\"TextQuoteSelector\"}", "target.selector.exact", "missing" },
    { "{\"type\":\"TextQuoteSelector\",\"exact\":5}", "target.selector.exact", "string" },
    { "{\"type\":\"TextQuoteSelector\",\"exact\":{\"a\":[[[]]]}}", "target.selector.exact", "string" },
    { "{\"type\":\"TextQuoteSelector\",\"exact\":\"a\",\"prefix\":7}", "target.selector.prefix", "string" },
    { "{\"type\":\"TextQuoteSelector\",\"exact\":\"a\",\"suffix\":null}", "target.selector.suffix", "string" },
    { NULL /* big */, "target.selector.exact", "longer than 65536 bytes" },
    { NULL /* big prefix */, "target.selector[0].prefix", "longer than 65536 bytes" },
    { "{\"type\":5,\"exact\":\"a\"}", "target.selector.type", NULL },
    { "{\"exact\":\"a\"}", "target.selector.type", "missing" },
    { "{\"type\":\"TextSelector\",\"exact\":\"a\"}", "target.selector.type", "TextQuoteSelector" },
    { "[]", "target.selector", "empty" },
    { NULL /* many */, "target.selector", "10000 selectors" },
    { "[1, \"x\"]", "target.selector[0]", "object" },
    { "[{\"type\":\"TextQuoteSelector\",\"exact\":\"a\"}, null]", "target.selector[1]", "object" },
    { NULL /* deep */, "target.selector[0]", "object" },
    { "[{\"type\":\"RangeSelector\"},{\"type\":\"XPathSelector\"}]", "target.selector", "none of its 2" },
    { "[{\"type\":\"TextQuoteSelector\",\"exact\":\"a\"},"
      "{\"type\":\"TextPositionSelector\",\"start\":3,\"end\":\"4\"}]", "target.selector[1].end", NULL },
    { "[{\"type\":\"FragmentSelector\",\"value\":\"xywh=1,2\"}]", "target.selector[0].value", NULL },
    { "[{\"type\":\"TextQuoteSelector\",\"exact\":\"a\"},{\"notype\":1}]", "target.selector[1].type", "missing" },
    { "\"xywh=1,2,3,4\"", "target.selector", NULL },
    { "42", "target.selector", NULL },
  };
  GString *s;

  {
    g_autofree char *x = g_strnfill (64 * 1024 + 1, 'x');

    big = g_strdup_printf ("{\"type\":\"TextQuoteSelector\",\"exact\":\"%s\"}", x);
  }
  s = g_string_new ("[{\"type\":\"TextQuoteSelector\",\"exact\":\"a\",\"prefix\":\"");
  for (guint i = 0; i < 64 * 1024 / 2 + 1; i++)
    g_string_append (s, "é");
  g_string_append (s, "\"}]");
  big_prefix = g_string_free (s, FALSE);
  s = g_string_new ("[");
  for (guint i = 0; i < 10000; i++)
    g_string_append (s, i == 0 ? "{\"type\":\"TextQuoteSelector\",\"exact\":\"a\"}" : ",{}");
  g_string_append (s, "]");
  many = g_string_free (s, FALSE);
  s = g_string_new ("[");
  for (guint i = 0; i < 500; i++)
    g_string_append (s, "[");
  for (guint i = 0; i < 500; i++)
    g_string_append (s, "]");
  g_string_append (s, "]");
  deep = g_string_free (s, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *json = cases[i].json;
      g_autoptr(JsonObject) doc = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GlsAnnotation) a = NULL;
      g_autofree char *expected = NULL;

      if (json == NULL)
        json = i == 20 ? big : i == 21 ? big_prefix : i == 26 ? many : deep;
      doc = comment_with_selector (json);
      expected = g_strdup_printf ("Annotation “urn:uuid:0c8a4d6e-1b5c-4b8e-9a53-1d2f3e4a5b6c”: "
                                  "field “%s”: ", cases[i].field);

      a = gls_annotation_new_from_json (doc, &error);
      g_assert_null (a);
      g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
      g_test_message ("case %u: %s", i, error->message);
      if (!g_str_has_prefix (error->message, expected))
        g_error ("case %u: “%s” does not start with “%s”", i, error->message, expected);
      if (cases[i].says != NULL && strstr (error->message, cases[i].says) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, error->message, cases[i].says);
      /* Without an error to fill, the same answer. */
      g_assert_null (gls_annotation_new_from_json (doc, NULL));
    }
}

/* Signed by its author, a comment on a passage verifies after every way a
 * document travels: stored and read back, written again by the code, and
 * exported and imported. */
static void
test_text_selector_signed (void)
{
  g_autoptr(GlsIdentity) alice = gls_identity_new_random ();
  const char *did = gls_identity_get_did (alice);
  g_auto(GlsSelector) sel = { 0 };
  g_autoptr(GlsAnnotation) a = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;

  gls_selector_init_text (&sel, 1043, 1054, "Lötzinn \"Sn\"\t🎉", "Nimm bleifreies\r\n",
                          " mit\\ Flussmittel \u00e9\xcc\x81");
  a = gls_annotation_new_comment (TEXT_SRC, &sel, "Welche Legierung?", did, "Alice", NULL, T1);
  doc = gls_annotation_to_json (a);
  g_assert_true (gls_proof_sign (doc, alice, T1, &error));
  g_assert_no_error (error);

  /* As the store keeps it: text. */
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), doc);

    stored = json_to_string (node, FALSE);
  }

  {
    g_autoptr(JsonNode) node = json_from_string (stored, &error);
    g_autoptr(GlsAnnotation) read = NULL;
    g_autoptr(JsonObject) again = NULL;
    g_autoptr(JsonNode) again_node = NULL;
    g_autoptr(GlsAnnotation) reread = NULL;

    g_assert_no_error (error);
    read = gls_annotation_new_verified (json_node_get_object (node), &error);
    g_assert_no_error (error);
    g_assert_cmpint (gls_annotation_get_trust (read), ==, GLS_TRUST_VERIFIED);
    g_assert_true (gls_selector_equal (gls_annotation_get_selector (read), &sel));

    /* Written again from what was read: the same JSON, the proof holds. */
    again = gls_annotation_to_json (read);
    again_node = json_node_init_object (json_node_alloc (), again);
    g_assert_true (json_node_equal (again_node, node));
    g_assert_cmpint (gls_proof_verify (again, NULL, NULL), ==, GLS_PROOF_VALID);
    reread = gls_annotation_new_verified (again, &error);
    g_assert_no_error (error);
    g_assert_cmpint (gls_annotation_get_trust (reread), ==, GLS_TRUST_VERIFIED);

    /* Read by the store's own parser, the proof holds too. */
    {
      g_autoptr(JsonNode) own = gls_json_from_data (stored, -1, &error);
      g_autoptr(GlsAnnotation) own_read = NULL;

      g_assert_no_error (error);
      own_read = gls_annotation_new_verified (json_node_get_object (own), &error);
      g_assert_no_error (error);
      g_assert_cmpint (gls_annotation_get_trust (own_read), ==, GLS_TRUST_VERIFIED);
    }

    /* A changed quote is a forgery. */
    {
      JsonObject *target = json_object_get_object_member (again, "target");
      JsonArray *list = json_object_get_array_member (target, "selector");

      json_object_set_string_member (json_array_get_object_element (list, 0), "exact", "Blei");
      g_assert_cmpint (gls_proof_verify (again, NULL, NULL), ==, GLS_PROOF_INVALID);
    }
  }
}


/* Reviews and mentions */

#define BOB "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG"

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = json_from_string (json, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

static void
test_review (void)
{
  g_autoptr(GlsIdentity) alice = gls_identity_new_random ();
  g_autoptr(GlsAnnotation) approve = gls_annotation_new_review (SOURCE, GLS_DECISION_APPROVED, NULL, ALICE,
                                                                "Alice", NULL, T1);
  g_autoptr(GlsAnnotation) changes = NULL;
  g_autoptr(GlsAnnotation) back = round_trip (approve);
  g_autoptr(JsonObject) doc = gls_annotation_to_json (approve);
  g_autoptr(GError) error = NULL;

  /* Without words, one body, as every other annotation. */
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (doc, "body")));
  g_assert_true (gls_annotation_is_review (back));
  g_assert_cmpint (gls_annotation_get_decision (back), ==, GLS_DECISION_APPROVED);
  g_assert_cmpstr (gls_annotation_get_source (back), ==, SOURCE);
  g_assert_null (gls_annotation_get_target_id (back));
  g_assert_null (gls_annotation_get_note (back));
  g_assert_false (gls_annotation_get_resolved (back));

  /* With words: a second body, signed and read back to the byte. */
  changes = gls_annotation_new_review (SOURCE, GLS_DECISION_CHANGES_REQUESTED, "Move C3 — 2 mm 🔧",
                                       gls_identity_get_did (alice), "Alice", NULL, T2);
  g_clear_pointer (&doc, json_object_unref);
  doc = gls_annotation_to_json (changes);
  g_assert_true (gls_proof_sign (doc, alice, T2, &error));
  g_assert_no_error (error);
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), doc);
    g_autofree char *stored = json_to_string (node, FALSE);
    g_autoptr(JsonObject) read_doc = parse_object (stored);
    g_autoptr(GlsAnnotation) read = gls_annotation_new_verified (read_doc, &error);
    g_autoptr(JsonObject) again = NULL;
    g_autoptr(JsonNode) again_node = NULL;
    JsonArray *bodies;

    g_assert_no_error (error);
    g_assert_cmpint (gls_annotation_get_trust (read), ==, GLS_TRUST_VERIFIED);
    g_assert_cmpint (gls_annotation_get_decision (read), ==, GLS_DECISION_CHANGES_REQUESTED);
    g_assert_cmpstr (gls_annotation_get_note (read), ==, "Move C3 — 2 mm 🔧");
    bodies = json_object_get_array_member (read_doc, "body");
    g_assert_cmpuint (json_array_get_length (bodies), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (bodies, 1), "purpose"), ==,
                     "commenting");
    again = gls_annotation_to_json (read);
    again_node = json_node_init_object (json_node_alloc (), again);
    g_assert_true (json_node_equal (again_node, node));
    g_assert_cmpint (gls_proof_verify (again, NULL, NULL), ==, GLS_PROOF_VALID);
  }
}

#define REVIEW_JSON(target, body) \
  "{\"@context\":\"http://www.w3.org/ns/anno.jsonld\",\"id\":\"urn:uuid:1\",\"type\":\"Annotation\"," \
  "\"motivation\":\"assessing\",\"created\":\"" T1 "\",\"creator\":{\"id\":\"" ALICE "\"}," \
  "\"target\":" target ",\"body\":" body "}"
#define TB(value) "{\"type\":\"TextualBody\",\"value\":\"" value "\",\"format\":\"text/plain\"}"
#define NOTE(value) "{\"type\":\"TextualBody\",\"purpose\":\"commenting\",\"value\":\"" value "\"}"
#define TAG(who) "{\"type\":\"SpecificResource\",\"purpose\":\"tagging\",\"source\":\"" who "\"}"
#define ON_VERSION "{\"source\":\"" SOURCE "\"}"

static void
test_review_hostile (void)
{
  static const struct
  {
    const char *json;
    const char *says;
  } cases[] = {
    /* A review is of a whole version. */
    { REVIEW_JSON ("{\"source\":\"" SOURCE "\",\"selector\":{\"type\":\"FragmentSelector\",\"value\":\"xywh=1,1,1,1\"}}",
                   TB ("approved")), "field “target”" },
    { REVIEW_JSON (ON_VERSION, TB ("resolved")), "a review is “approved” or “changes-requested”" },
    { REVIEW_JSON (ON_VERSION, TB ("lgtm")), "field “body.value”" },
    { REVIEW_JSON ("\"urn:uuid:root\"", TB ("approved")), "an assessment is “resolved”" },
    { REVIEW_JSON (ON_VERSION, "[" TB ("approved") "]"), "field “body”" },
    { REVIEW_JSON (ON_VERSION, "[]"), "field “body”" },
    { REVIEW_JSON (ON_VERSION, "[" TB ("approved") "," NOTE ("a") "," NOTE ("b") "]"), "field “body[2].purpose”" },
    { REVIEW_JSON (ON_VERSION, "[" TB ("approved") "," TAG (BOB) "]"), "field “body[1].purpose”" },
    { REVIEW_JSON (ON_VERSION, "[" TB ("approved") ",{\"type\":\"TextualBody\",\"purpose\":\"bookmarking\",\"value\":\"x\"}]"),
      "field “body[1].purpose”" },
    { REVIEW_JSON (ON_VERSION, "[" TB ("approved") ",{\"type\":\"TextualBody\",\"value\":\"x\"}]"),
      "field “body[1].purpose”: missing" },
    { REVIEW_JSON (ON_VERSION, "[{\"type\":\"TextualBody\",\"purpose\":\"assessing\",\"value\":\"approved\"}," NOTE ("x") "]"),
      "field “body[0].purpose”" },
    { REVIEW_JSON (ON_VERSION, "[" TB ("approved") ",{\"type\":\"TextualBody\",\"purpose\":\"commenting\",\"value\":7}]"),
      "field “body[1].value”" },
    { REVIEW_JSON (ON_VERSION, "[" TB ("approved") ",\"text\"]"), "field “body[1]”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) doc = parse_object (cases[i].json);
      g_autoptr(GlsAnnotation) a = NULL;
      g_autoptr(GError) error = NULL;

      a = gls_annotation_new_from_json (doc, &error);
      if (a != NULL || strstr (error->message, cases[i].says) == NULL)
        g_error ("case %u: %s", i, error != NULL ? error->message : "accepted");
    }
}

static void
test_mentions (void)
{
  g_autoptr(JsonObject) doc = parse_object (
    "{\"@context\":\"http://www.w3.org/ns/anno.jsonld\",\"id\":\"urn:uuid:2\",\"type\":\"Annotation\","
    "\"motivation\":\"commenting\",\"created\":\"" T1 "\",\"creator\":{\"id\":\"" ALICE "\"},"
    "\"target\":" ON_VERSION ",\"body\":[" TB ("@Bob look") "," TAG (BOB) "," TAG (ALICE) "]}");
  g_autoptr(GlsAnnotation) a = NULL;
  g_autoptr(GlsAnnotation) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) many = g_string_new (NULL);
  const char * const *mentions;

  a = gls_annotation_new_from_json (doc, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gls_annotation_get_text (a), ==, "@Bob look");
  mentions = gls_annotation_get_mentions (a);
  g_assert_nonnull (mentions);
  g_assert_cmpstr (mentions[0], ==, BOB);
  g_assert_cmpstr (mentions[1], ==, ALICE);
  g_assert_null (mentions[2]);
  back = round_trip (a);
  g_assert_cmpstr (gls_annotation_get_mentions (back)[1], ==, ALICE);

  /* A hundred mentions is a flood, not a comment. */
  g_string_append (many, TB ("x"));
  for (guint i = 0; i < 100; i++)
    g_string_append (many, "," TAG (BOB));
  {
    g_autofree char *json = g_strdup_printf (
      "{\"@context\":\"http://www.w3.org/ns/anno.jsonld\",\"id\":\"urn:uuid:3\",\"type\":\"Annotation\","
      "\"motivation\":\"commenting\",\"created\":\"" T1 "\",\"creator\":{\"id\":\"" ALICE "\"},"
      "\"target\":" ON_VERSION ",\"body\":[%s]}", many->str);
    g_autoptr(JsonObject) flood = parse_object (json);
    g_autoptr(GlsAnnotation) none = gls_annotation_new_from_json (flood, &error);

    g_assert_null (none);
    g_assert_nonnull (strstr (error->message, "field “body”"));
  }
}

static void
test_reviews_derive (void)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(GPtrArray) every = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *summary = NULL;
  GlsAnnotation *bob_old;

  /* Alice approves, then asks for changes; Bob approves; a review of
   * another version does not count here. Arrival order does not matter. */
  g_ptr_array_add (all, gls_annotation_new_review (SOURCE, GLS_DECISION_CHANGES_REQUESTED, "Bigger pads", ALICE,
                                                   "Alice", NULL, T2));
  g_ptr_array_add (all, gls_annotation_new_review (SOURCE, GLS_DECISION_APPROVED, NULL, ALICE, "Alice", NULL, T1));
  g_ptr_array_add (all, bob_old = gls_annotation_new_review (SOURCE, GLS_DECISION_CHANGES_REQUESTED, NULL, BOB,
                                                             "Bob", NULL, T1));
  g_ptr_array_add (all, gls_annotation_new_review (SOURCE, GLS_DECISION_APPROVED, NULL, BOB, "Bob", NULL, T2));
  g_ptr_array_add (all, gls_annotation_new_review (TEXT_SRC, GLS_DECISION_CHANGES_REQUESTED, "x", BOB, "Bob",
                                                   NULL, T2));
  g_ptr_array_add (all, gls_annotation_new_comment (SOURCE, NULL, "approved", BOB, "Bob", NULL, T2));

  reviews = gls_reviews_derive (all, SOURCE, names);
  g_assert_cmpuint (reviews->len, ==, 2);
  g_assert_cmpint (gls_reviews_get_state (reviews), ==, GLS_DECISION_CHANGES_REQUESTED);
  summary = gls_reviews_summary (reviews);
  g_assert_nonnull (strstr (summary, "Alice requested changes"));
  g_assert_nonnull (strstr (summary, "Bob approved"));
  for (guint i = 0; i < reviews->len; i++)
    {
      GlsReview *review = g_ptr_array_index (reviews, i);

      if (g_str_equal (review->reviewer, ALICE))
        g_assert_cmpstr (gls_annotation_get_note (review->annotation), ==, "Bigger pads");
      else
        g_assert_null (gls_annotation_get_note (review->annotation));
    }

  every = gls_reviews_derive (all, NULL, NULL);
  g_assert_cmpuint (every->len, ==, 3);

  /* A deleted review no longer counts: Bob's older one shows through,
   * and when it goes too, Bob has not reviewed. */
  {
    g_autoptr(GPtrArray) later = NULL;
    g_autoptr(GPtrArray) last = NULL;

    GlsAnnotation *gone = g_ptr_array_index (all, 3);

    g_ptr_array_index (all, 3) = gls_annotation_new_tombstone (gone);
    g_object_unref (gone);
    later = gls_reviews_derive (all, SOURCE, NULL);
    g_assert_cmpuint (later->len, ==, 2);
    for (guint i = 0; i < later->len; i++)
      g_assert_cmpint (gls_review_get_decision (g_ptr_array_index (later, i)), ==, GLS_DECISION_CHANGES_REQUESTED);

    g_ptr_array_index (all, 2) = gls_annotation_new_tombstone (bob_old);
    g_object_unref (bob_old);
    last = gls_reviews_derive (all, SOURCE, NULL);
    g_assert_cmpuint (last->len, ==, 1);
    g_assert_cmpstr (((GlsReview *) g_ptr_array_index (last, 0))->reviewer, ==, ALICE);
  }
  {
    g_autoptr(GPtrArray) none = g_ptr_array_new ();

    g_assert_null (gls_reviews_summary (none));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/annotation/comment", test_comment);
  g_test_add_func ("/core/annotation/whole-design-and-pdf", test_whole_design_and_pdf);
  g_test_add_func ("/core/annotation/reply-edit-assess", test_others);
  g_test_add_func ("/core/annotation/tombstone", test_tombstone);
  g_test_add_func ("/core/annotation/compare", test_compare);
  g_test_add_func ("/core/annotation/validation", test_validation);
  g_test_add_func ("/core/annotation/validation-others", test_validation_others);
  g_test_add_func ("/core/annotation/text-selector", test_text_selector);
  g_test_add_func ("/core/annotation/text-selector-shapes", test_text_selector_shapes);
  g_test_add_func ("/core/annotation/text-selector-hostile", test_text_selector_hostile);
  g_test_add_func ("/core/annotation/text-selector-signed", test_text_selector_signed);
  g_test_add_func ("/core/annotation/review", test_review);
  g_test_add_func ("/core/annotation/review-hostile", test_review_hostile);
  g_test_add_func ("/core/annotation/mentions", test_mentions);
  g_test_add_func ("/core/reviews/derive", test_reviews_derive);

  return g_test_run ();
}
