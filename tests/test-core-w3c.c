/* test-core-w3c.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gls-json-parser.h"
#include "gls-threads.h"
#include "gls-w3c.h"

#define ALICE  "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"
#define BOB    "did:key:z6MkwJSaEMnE4u6LiqrZV1BJHSkc9x8S4mTm3ArNL1m19BZR"
#define SRC_A  "ni:///sha-256;f4OxZX_x_FO5LcGBSKHWXfwtSx-j1ncoSt3SABJtkGk"
#define SRC_B  "ni:///sha-256;UyaQV-Ev4rdLoHyJJWCi11OHfrYv9E1aGQAlMO2X_-Q"
#define CC0    "https://creativecommons.org/publicdomain/zero/1.0/"

static GPtrArray *
sample_set (void)
{
  GPtrArray *set = g_ptr_array_new_with_free_func (g_object_unref);
  GlsSelector point = { GLS_SELECTOR_POINT, 0, 120, 48, 0, 0 };
  GlsSelector pdf = { GLS_SELECTOR_RECT, 2, 72, 100.5, 200, 50 };
  GlsAnnotation *root, *root2, *gone;

  root = gls_annotation_new_comment (SRC_A, &point, "Is this via too close?", ALICE, "Alice",
                                     NULL, "2026-11-23T10:00:00.000000Z");
  g_ptr_array_add (set, root);
  g_ptr_array_add (set, gls_annotation_new_reply (gls_annotation_get_id (root), "It is fine.",
                                                  BOB, "Bob", CC0, "2026-11-23T10:01:00.000000Z"));
  g_ptr_array_add (set, gls_annotation_new_edit (gls_annotation_get_id (root),
                                                 "Is this via too close to the pad?", ALICE,
                                                 "Alice", NULL, "2026-11-23T10:02:00.000000Z"));
  g_ptr_array_add (set, gls_annotation_new_assessment (gls_annotation_get_id (root), TRUE, BOB,
                                                       "Bob", NULL,
                                                       "2026-11-23T10:03:00.000000Z"));
  root2 = gls_annotation_new_comment (SRC_B, &pdf, "Check the pinout table", BOB, "Bob", NULL,
                                      "2026-11-23T10:04:00.000000Z");
  g_ptr_array_add (set, root2);
  gone = gls_annotation_new_comment (SRC_B, NULL, "Deleted", BOB, "Bob", NULL,
                                     "2026-11-23T10:05:00.000000Z");
  g_ptr_array_add (set, gls_annotation_new_tombstone (gone));
  g_object_unref (gone);

  return set;
}

static void
collect_terms (JsonNode   *node,
               const char *key,
               GHashTable *keys,
               GHashTable *values)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *obj = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (obj);

      for (GList *l = members; l; l = l->next)
        {
          g_hash_table_add (keys, g_strdup (l->data));
          collect_terms (json_object_get_member (obj, l->data), l->data, keys, values);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *arr = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (arr); i++)
        collect_terms (json_array_get_element (arr, i), key, keys, values);
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
           key != NULL && (g_str_equal (key, "type") || g_str_equal (key, "motivation")))
    {
      /* Values of @type and of @vocab-typed terms are terms too. */
      g_hash_table_add (values, g_strdup (json_node_get_string (node)));
    }
}

static void
test_export_jsonld (void)
{
  g_autoptr(GPtrArray) set = sample_set ();
  g_autoptr(JsonNode) exported = gls_w3c_export_collection (set, "Review of board rev B");
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "anno.jsonld", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonObject *context, *root, *page;
  JsonArray *items;
  GHashTableIter iter;
  const char *term;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  context = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                           "@context");
  g_assert_nonnull (context);

  root = json_node_get_object (exported);
  g_assert_cmpstr (json_object_get_string_member (root, "@context"), ==,
                   "http://www.w3.org/ns/anno.jsonld");
  g_assert_cmpstr (json_object_get_string_member (root, "type"), ==, "AnnotationCollection");
  g_assert_cmpstr (json_object_get_string_member (root, "label"), ==, "Review of board rev B");
  /* The tombstone is not exported. */
  g_assert_cmpint (json_object_get_int_member (root, "total"), ==, 5);
  page = json_object_get_object_member (root, "first");
  g_assert_cmpstr (json_object_get_string_member (page, "type"), ==, "AnnotationPage");
  items = json_object_get_array_member (page, "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 5);

  collect_terms (exported, NULL, keys, values);

  /* Every key is a JSON-LD keyword or a term of the W3C context: nothing
   * would be dropped by an expansion. */
  g_hash_table_iter_init (&iter, keys);
  while (g_hash_table_iter_next (&iter, (gpointer *) &term, NULL))
    {
      if (term[0] == '@')
        continue;
      if (!json_object_has_member (context, term))
        g_error ("key “%s” of the export is not defined in anno.jsonld", term);
    }
  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, (gpointer *) &term, NULL))
    {
      if (!json_object_has_member (context, term))
        g_error ("type or motivation “%s” is not defined in anno.jsonld", term);
    }
  g_assert_true (g_hash_table_contains (values, "assessing"));
  g_assert_true (g_hash_table_contains (values, "Software"));
  g_assert_false (g_hash_table_contains (keys, "_id"));
}

static void
test_round_trip (void)
{
  g_autoptr(GPtrArray) set = sample_set ();
  g_autoptr(JsonNode) exported = gls_w3c_export_collection (set, NULL);
  g_autofree char *text = json_to_string (exported, TRUE);
  g_autoptr(JsonNode) parsed = json_from_string (text, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) imported = gls_w3c_import (parsed, NULL, NULL, &error);
  g_autoptr(GPtrArray) live = g_ptr_array_new ();
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *dump_before = NULL;
  g_autofree char *dump_after = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (imported->len, ==, 5);

  /* Document by document, the same JSON. */
  for (guint i = 0; i < set->len; i++)
    if (!gls_annotation_is_deleted (g_ptr_array_index (set, i)))
      g_ptr_array_add (live, g_ptr_array_index (set, i));
  for (guint i = 0; i < live->len; i++)
    {
      GlsAnnotation *want = g_ptr_array_index (live, i);
      gboolean found = FALSE;

      for (guint j = 0; j < imported->len; j++)
        {
          GlsAnnotation *got = g_ptr_array_index (imported, j);

          if (g_str_equal (gls_annotation_get_id (got), gls_annotation_get_id (want)))
            {
              g_autoptr(JsonObject) a = gls_annotation_to_json (want);
              g_autoptr(JsonObject) b = gls_annotation_to_json (got);
              g_autoptr(JsonNode) na = json_node_init_object (json_node_alloc (), a);
              g_autoptr(JsonNode) nb = json_node_init_object (json_node_alloc (), b);

              g_assert_true (json_node_equal (na, nb));
              found = TRUE;
            }
        }
      g_assert_true (found);
    }

  /* And the same threads. */
  before = gls_threads_derive (live, NULL);
  after = gls_threads_derive (imported, NULL);
  dump_before = gls_threads_dump (before);
  dump_after = gls_threads_dump (after);
  g_assert_cmpstr (dump_before, ==, dump_after);
}

static char *
resolve_example (const char *source,
                 gpointer    user_data)
{
  guint *calls = user_data;

  (*calls)++;
  if (g_str_equal (source, "http://example.org/image1.png"))
    return g_strdup (SRC_A);
  if (g_str_equal (source, "http://example.org/datasheet.pdf"))
    return g_strdup (SRC_B);
  return NULL;
}

/* Shapes other tools write (the W3C model's own examples, Hypothesis-like
 * creators, bodyValue, arrays). */
static const char foreign_collection[] =
  "{"
  "  \"@context\": \"http://www.w3.org/ns/anno.jsonld\","
  "  \"id\": \"http://example.org/collection1\","
  "  \"type\": \"AnnotationCollection\","
  "  \"label\": \"Steampunk review\","
  "  \"total\": 5,"
  "  \"first\": {"
  "    \"id\": \"http://example.org/page1\", \"type\": \"AnnotationPage\","
  "    \"next\": {"
  "      \"type\": \"AnnotationPage\","
  "      \"items\": ["
  "        { \"id\": \"http://example.org/anno4\", \"type\": \"Annotation\","
  "          \"motivation\": \"commenting\","
  "          \"created\": \"2015-10-13T13:30:00Z\","
  "          \"creator\": \"http://example.org/user2\","
  "          \"bodyValue\": \"Whole-page note\","
  "          \"target\": \"http://example.org/datasheet.pdf#page=3\" },"
  "        { \"id\": \"http://example.org/anno5\", \"type\": \"Annotation\","
  "          \"motivation\": \"commenting\","
  "          \"created\": \"2015-10-13T13:40:00Z\","
  "          \"creator\": { \"id\": \"http://example.org/user1\", \"nickname\": \"pat\" },"
  "          \"body\": \"A plain string body\","
  "          \"target\": { \"source\": \"http://example.org/image1.png\" } }"
  "      ]"
  "    },"
  "    \"items\": ["
  "      { \"id\": \"http://example.org/anno1\", \"type\": \"Annotation\","
  "        \"created\": \"2015-10-13T14:00:00+01:00\","
  "        \"creator\": { \"id\": \"http://example.org/user1\", \"type\": \"Person\","
  "                     \"name\": \"Pat Doe\" },"
  "        \"body\": [ { \"type\": \"TextualBody\", \"purpose\": \"tagging\", \"value\": \"gear\","
  "                    \"format\": \"text/html\" } ],"
  "        \"target\": { \"source\": \"http://example.org/image1.png\","
  "                    \"selector\": { \"type\": \"FragmentSelector\","
  "                                  \"conformsTo\": \"http://www.w3.org/TR/media-frags/\","
  "                                  \"value\": \"xywh=pixel:10,20,30,40\" } } },"
  "      { \"id\": \"http://example.org/anno2\", \"type\": \"Annotation\","
  "        \"motivation\": \"replying\","
  "        \"created\": \"2015-10-13T13:05:00Z\","
  "        \"creator\": \"http://example.org/user2\","
  "        \"rights\": \"" CC0 "\","
  "        \"body\": { \"type\": \"TextualBody\", \"value\": \"Agreed.\" },"
  "        \"target\": \"http://example.org/anno1\" },"
  "      { \"id\": \"http://example.org/anno3\", \"type\": [\"Annotation\"],"
  "        \"motivation\": \"commenting\","
  "        \"modified\": \"2015-10-14T09:00:00Z\","
  "        \"creator\": { \"id\": \"http://example.org/user2\" },"
  "        \"body\": { \"value\": \"Fragment in the IRI\" },"
  "        \"target\": \"http://example.org/image1.png#xywh=5,6,0,0\" }"
  "    ]"
  "  }"
  "}";

static GlsAnnotation *
find (GPtrArray  *set,
      const char *id)
{
  for (guint i = 0; i < set->len; i++)
    if (g_str_equal (gls_annotation_get_id (g_ptr_array_index (set, i)), id))
      return g_ptr_array_index (set, i);
  g_error ("%s not imported", id);
  return NULL;
}

static void
test_foreign (void)
{
  g_autoptr(JsonNode) root = json_from_string (foreign_collection, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) set = NULL;
  g_autoptr(GPtrArray) threads = NULL;
  guint calls = 0;
  GlsAnnotation *a;
  GlsThread *t;

  g_assert_nonnull (root);
  set = gls_w3c_import_full (root, "https://creativecommons.org/licenses/by/4.0/",
                             resolve_example, &calls, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (set->len, ==, 5);
  g_assert_cmpuint (calls, ==, 4);

  a = find (set, "http://example.org/anno1");
  g_assert_cmpint (gls_annotation_get_motivation (a), ==, GLS_MOTIVATION_COMMENTING);
  g_assert_cmpstr (gls_annotation_get_source (a), ==, SRC_A);
  g_assert_cmpint (gls_annotation_get_selector (a)->kind, ==, GLS_SELECTOR_RECT);
  g_assert_cmpfloat (gls_annotation_get_selector (a)->width, ==, 30);
  g_assert_cmpstr (gls_annotation_get_text (a), ==, "gear");
  g_assert_cmpstr (gls_annotation_get_creator_id (a), ==, "http://example.org/user1");
  g_assert_cmpstr (gls_annotation_get_creator_name (a), ==, "Pat Doe");
  /* Normalised to UTC, fixed width. */
  g_assert_cmpstr (gls_annotation_get_created (a), ==, "2015-10-13T13:00:00.000000Z");
  g_assert_cmpstr (gls_annotation_get_rights (a), ==, "https://creativecommons.org/licenses/by/4.0/");

  a = find (set, "http://example.org/anno2");
  g_assert_cmpint (gls_annotation_get_motivation (a), ==, GLS_MOTIVATION_REPLYING);
  g_assert_cmpstr (gls_annotation_get_target_id (a), ==, "http://example.org/anno1");
  g_assert_null (gls_annotation_get_creator_name (a));
  g_assert_cmpstr (gls_annotation_get_rights (a), ==, CC0);

  a = find (set, "http://example.org/anno3");
  g_assert_cmpint (gls_annotation_get_selector (a)->kind, ==, GLS_SELECTOR_POINT);
  g_assert_cmpstr (gls_annotation_get_created (a), ==, "2015-10-14T09:00:00.000000Z");

  a = find (set, "http://example.org/anno4");
  g_assert_cmpstr (gls_annotation_get_source (a), ==, SRC_B);
  g_assert_cmpuint (gls_annotation_get_selector (a)->page, ==, 3);
  g_assert_cmpstr (gls_annotation_get_text (a), ==, "Whole-page note");

  a = find (set, "http://example.org/anno5");
  g_assert_cmpstr (gls_annotation_get_creator_name (a), ==, "pat");
  g_assert_cmpstr (gls_annotation_get_text (a), ==, "A plain string body");

  /* The reply joins its thread, though it claims to be older. */
  threads = gls_threads_derive (set, SRC_A);
  g_assert_cmpuint (threads->len, ==, 3);
  t = g_ptr_array_index (threads, 0);
  g_assert_cmpstr (gls_thread_get_root_id (t), ==, "http://example.org/anno1");
  g_assert_cmpuint (gls_thread_get_reply_count (t), ==, 1);
}

static void
test_shapes (void)
{
  static const char one[] =
    "{ \"@context\": \"http://www.w3.org/ns/anno.jsonld\", \"id\": \"urn:uuid:1\","
    "  \"type\": \"Annotation\", \"created\": \"2026-01-01T00:00:00Z\","
    "  \"creator\": \"" ALICE "\", \"bodyValue\": \"x\","
    "  \"target\": \"" SRC_A "\" }";
  g_autofree char *array = g_strdup_printf ("[%s]", one);
  g_autofree char *page = g_strdup_printf ("{\"type\": \"AnnotationPage\", \"items\": [%s]}", one);
  const char *shapes[] = { one, array, page };

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autoptr(JsonNode) root = json_from_string (shapes[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) set = gls_w3c_import (root, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (set->len, ==, 1);
      /* ni: sources need no resolver. */
      g_assert_cmpstr (gls_annotation_get_source (g_ptr_array_index (set, 0)), ==, SRC_A);
      g_assert_null (gls_annotation_get_rights (g_ptr_array_index (set, 0)));
    }
}

typedef struct
{
  const char *item;     /* the second of three items */
  int         code;
  const char *message;  /* the error must start with this */
} BadImport;

static void
test_all_or_nothing (void)
{
  static const BadImport cases[] = {
    { "{ \"id\": \"http://x.org/bad\", \"type\": \"Annotation\", \"created\": \"2015-01-01T00:00:00Z\","
      "  \"creator\": \"http://x.org/u\", \"bodyValue\": \"b\","
      "  \"target\": \"http://elsewhere.org/unknown.png\" }",
      GLS_CORE_ERROR_UNRESOLVED, "Annotation “http://x.org/bad”: field “target.source”" },
    { "{ \"type\": \"Annotation\", \"created\": \"2015-01-01T00:00:00Z\","
      "  \"creator\": \"http://x.org/u\", \"bodyValue\": \"b\","
      "  \"target\": \"http://example.org/image1.png\" }",
      GLS_CORE_ERROR_INVALID, "Annotation #2: field “id”" },
    { "{ \"id\": \"http://x.org/pct\", \"type\": \"Annotation\", \"created\": \"2015-01-01T00:00:00Z\","
      "  \"creator\": \"http://x.org/u\", \"bodyValue\": \"b\","
      "  \"target\": { \"source\": \"http://example.org/image1.png\", \"selector\": {"
      "    \"type\": \"FragmentSelector\", \"value\": \"xywh=percent:0,0,50,50\" } } }",
      GLS_CORE_ERROR_INVALID, "Annotation “http://x.org/pct”: field “target.selector.value”" },
    { "{ \"id\": \"http://x.org/svg\", \"type\": \"Annotation\", \"created\": \"2015-01-01T00:00:00Z\","
      "  \"creator\": \"http://x.org/u\", \"bodyValue\": \"b\","
      "  \"target\": { \"source\": \"http://example.org/image1.png\", \"selector\": {"
      "    \"type\": \"SvgSelector\", \"value\": \"<svg/>\" } } }",
      GLS_CORE_ERROR_INVALID, "Annotation “http://x.org/svg”: field “target.selector.type”" },
    { "{ \"id\": \"http://x.org/nodate\", \"type\": \"Annotation\","
      "  \"creator\": \"http://x.org/u\", \"bodyValue\": \"b\","
      "  \"target\": \"http://example.org/image1.png\" }",
      GLS_CORE_ERROR_INVALID, "Annotation “http://x.org/nodate”: field “created”" },
    { "{ \"id\": \"http://x.org/anon\", \"type\": \"Annotation\", \"created\": \"2015-01-01T00:00:00Z\","
      "  \"bodyValue\": \"b\", \"target\": \"http://example.org/image1.png\" }",
      GLS_CORE_ERROR_INVALID, "Annotation “http://x.org/anon”: field “creator”" },
    { "{ \"id\": \"http://x.org/tag\", \"type\": \"Annotation\", \"motivation\": \"tagging\","
      "  \"created\": \"2015-01-01T00:00:00Z\", \"creator\": \"http://x.org/u\", \"bodyValue\": \"b\","
      "  \"target\": \"http://example.org/image1.png\" }",
      GLS_CORE_ERROR_INVALID, "Annotation “http://x.org/tag”: field “motivation”" },
    { "{ \"id\": \"http://x.org/img\", \"type\": \"Annotation\", \"created\": \"2015-01-01T00:00:00Z\","
      "  \"creator\": \"http://x.org/u\", \"body\": { \"type\": \"Image\", \"id\": \"http://x.org/i.png\" },"
      "  \"target\": \"http://example.org/image1.png\" }",
      GLS_CORE_ERROR_INVALID, "Annotation “http://x.org/img”: field “body”" },
    { "{ \"id\": \"http://x.org/ok\", \"type\": \"Annotation\", \"created\": \"2015-01-01T00:00:00Z\","
      "  \"creator\": \"http://x.org/u\", \"bodyValue\": \"dup\","
      "  \"target\": \"http://example.org/image1.png\" }",
      GLS_CORE_ERROR_INVALID, "Annotation “http://x.org/ok”: field “id”: appears twice" },
    { "42", GLS_CORE_ERROR_INVALID, "Annotation #2: not a JSON object" },
  };
  static const char good[] =
    "{ \"id\": \"http://x.org/ok\", \"type\": \"Annotation\", \"created\": \"2015-01-01T00:00:00Z\","
    "  \"creator\": \"http://x.org/u\", \"bodyValue\": \"fine\","
    "  \"target\": \"http://example.org/image1.png\" }";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("[%s, %s, %s]", good, cases[i].item,
                                               "{\"id\": \"http://x.org/later\"}");
      g_autoptr(JsonNode) root = json_from_string (json, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) set = NULL;
      guint calls = 0;

      g_assert_nonnull (root);
      set = gls_w3c_import (root, resolve_example, &calls, &error);
      g_assert_null (set);
      g_assert_error (error, GLS_CORE_ERROR, cases[i].code);
      g_test_message ("%s", error->message);
      if (!g_str_has_prefix (error->message, cases[i].message))
        g_error ("“%s” does not start with “%s”", error->message, cases[i].message);
    }

  {
    g_autoptr(JsonNode) root = json_from_string ("\"just a string\"", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) set = gls_w3c_import (root, NULL, NULL, &error);

    g_assert_null (set);
    g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
  }
}

/* An import that finds nothing says what it found (0.1 answered
 * "Imported 0 annotations" and success). */
static void
test_nothing_to_import (void)
{
  static const struct
  {
    const char *json;
    const char *found;
  } cases[] = {
    { "[]", "an empty array" },
    { "{\"type\": \"AnnotationPage\", \"items\": []}", "an empty AnnotationPage" },
    { "{\"type\": \"AnnotationCollection\"}", "an AnnotationCollection with no pages" },
    { "{\"type\": \"AnnotationCollection\", \"items\": [{\"id\": \"urn:uuid:1\"}]}",
      "an AnnotationCollection with “items” but no pages" },
    { "{\"type\": \"AnnotationCollection\", \"first\": {\"type\": \"AnnotationPage\", \"items\": []}}",
      "an AnnotationCollection whose pages hold no annotations" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) root = gls_json_from_data (cases[i].json, -1, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) set = NULL;

      g_assert_nonnull (root);
      set = gls_w3c_import (root, NULL, NULL, &error);
      g_assert_null (set);
      g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, "Nothing to import: found "));
      g_assert_nonnull (strstr (error->message, cases[i].found));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/w3c/export-jsonld", test_export_jsonld);
  g_test_add_func ("/core/w3c/round-trip", test_round_trip);
  g_test_add_func ("/core/w3c/foreign", test_foreign);
  g_test_add_func ("/core/w3c/shapes", test_shapes);
  g_test_add_func ("/core/w3c/all-or-nothing", test_all_or_nothing);
  g_test_add_func ("/core/w3c/nothing-to-import", test_nothing_to_import);

  return g_test_run ();
}
