/* test-core-annotation.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gls-annotation.h"

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

  return g_test_run ();
}
