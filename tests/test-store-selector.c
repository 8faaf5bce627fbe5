/* test-store-selector.c: Mango selectors, as CouchDB's documentation and
 * mango_selector.erl describe them
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gls-json-parser.h"
#include "gls-store.h"
#include "gls-store-selector.h"

static JsonObject *
doc (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = gls_json_from_data (json, -1, &error);

  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

static gboolean
matches (const char *selector_json,
         JsonObject *d)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = gls_json_from_data (selector_json, -1, &error);
  g_autoptr(GlsStoreSelector) selector = NULL;

  g_assert_no_error (error);
  selector = gls_store_selector_new (node, &error);
  g_assert_no_error (error);
  return gls_store_selector_matches (selector, d);
}

/* An annotation and a design, as a workspace holds them. */
#define ANNOTATION \
  "{\"_id\":\"urn:uuid:1\",\"type\":\"Annotation\",\"motivation\":\"commenting\"," \
  "\"created\":\"2026-03-01T10:00:00.000Z\",\"creator\":{\"id\":\"did:key:z6MkA\",\"name\":\"Ana\"}," \
  "\"target\":{\"source\":\"ni:///sha-256;abc\",\"selector\":{\"type\":\"FragmentSelector\",\"value\":\"xywh=1,2,3,4\"}}," \
  "\"tags\":[\"pcb\",\"via\"],\"scores\":[3,8,12],\"n\":7,\"x.y\":true,\"gone\":null}"

static void
test_fields (void)
{
  g_autoptr(JsonObject) a = doc (ANNOTATION);

  g_assert_true (matches ("{}", a));
  g_assert_true (matches ("{\"type\":\"Annotation\"}", a));
  g_assert_false (matches ("{\"type\":\"ImageObject\"}", a));
  /* dotted paths, nested objects, a dot in a name, array indexes */
  g_assert_true (matches ("{\"target.source\":\"ni:///sha-256;abc\"}", a));
  g_assert_true (matches ("{\"target\":{\"selector\":{\"type\":\"FragmentSelector\"}}}", a));
  g_assert_false (matches ("{\"target\":{\"source\":\"other\"}}", a));
  g_assert_true (matches ("{\"x\\\\.y\":true}", a));
  g_assert_true (matches ("{\"tags.1\":\"via\"}", a));
  g_assert_false (matches ("{\"tags.2\":\"via\"}", a));
  /* several fields: all of them */
  g_assert_true (matches ("{\"type\":\"Annotation\",\"creator.name\":\"Ana\"}", a));
  g_assert_false (matches ("{\"type\":\"Annotation\",\"creator.name\":\"Ben\"}", a));
  /* arrays are equal as wholes, not element by element */
  g_assert_false (matches ("{\"tags\":\"pcb\"}", a));
  g_assert_true (matches ("{\"tags\":[\"pcb\",\"via\"]}", a));
  /* null is a value; a missing field is not */
  g_assert_true (matches ("{\"gone\":null}", a));
  g_assert_false (matches ("{\"nothing\":null}", a));
}

static void
test_operators (void)
{
  g_autoptr(JsonObject) a = doc (ANNOTATION);

  g_assert_true (matches ("{\"n\":{\"$eq\":7}}", a));
  g_assert_true (matches ("{\"n\":{\"$eq\":7.0}}", a));
  g_assert_true (matches ("{\"n\":{\"$gt\":6,\"$lte\":7}}", a));
  g_assert_false (matches ("{\"n\":{\"$gt\":7}}", a));
  g_assert_true (matches ("{\"created\":{\"$gte\":\"2026-03-01\",\"$lt\":\"2026-04\"}}", a));
  /* across types, CouchDB's collation: numbers sort before strings */
  g_assert_true (matches ("{\"created\":{\"$gt\":100}}", a));
  g_assert_true (matches ("{\"gone\":{\"$lt\":false}}", a));
  /* $ne and the other comparisons need the field */
  g_assert_true (matches ("{\"n\":{\"$ne\":8}}", a));
  g_assert_false (matches ("{\"nothing\":{\"$ne\":8}}", a));
  g_assert_true (matches ("{\"nothing\":{\"$exists\":false}}", a));
  g_assert_false (matches ("{\"n\":{\"$exists\":false}}", a));
  g_assert_true (matches ("{\"gone\":{\"$exists\":true}}", a));
  g_assert_true (matches ("{\"tags\":{\"$type\":\"array\"},\"n\":{\"$type\":\"number\"},\"gone\":{\"$type\":\"null\"}}", a));
  g_assert_true (matches ("{\"motivation\":{\"$in\":[\"editing\",\"commenting\"]}}", a));
  g_assert_true (matches ("{\"tags\":{\"$in\":[\"via\"]}}", a));
  g_assert_true (matches ("{\"tags\":{\"$nin\":[\"smd\"]}}", a));
  g_assert_false (matches ("{\"tags\":{\"$nin\":[\"pcb\"]}}", a));
  g_assert_true (matches ("{\"tags\":{\"$size\":2}}", a));
  g_assert_true (matches ("{\"tags\":{\"$all\":[\"via\",\"pcb\"]}}", a));
  g_assert_false (matches ("{\"tags\":{\"$all\":[\"via\",\"smd\"]}}", a));
  g_assert_true (matches ("{\"n\":{\"$mod\":[4,3]}}", a));
  g_assert_true (matches ("{\"creator.id\":{\"$regex\":\"^did:key:z6Mk\"}}", a));
  g_assert_false (matches ("{\"n\":{\"$regex\":\"7\"}}", a));
  g_assert_true (matches ("{\"scores\":{\"$elemMatch\":{\"$gt\":10}}}", a));
  g_assert_false (matches ("{\"scores\":{\"$allMatch\":{\"$gt\":5}}}", a));
  g_assert_true (matches ("{\"scores\":{\"$allMatch\":{\"$gt\":2}}}", a));
  g_assert_true (matches ("{\"creator\":{\"$keyMapMatch\":{\"$eq\":\"name\"}}}", a));
  g_assert_true (matches ("{\"n\":{\"$not\":{\"$gt\":7}}}", a));
}

static void
test_combinations (void)
{
  g_autoptr(JsonObject) a = doc (ANNOTATION);

  g_assert_true (matches ("{\"$and\":[{\"type\":\"Annotation\"},{\"n\":7}]}", a));
  g_assert_false (matches ("{\"$and\":[{\"type\":\"Annotation\"},{\"n\":8}]}", a));
  g_assert_true (matches ("{\"$or\":[{\"n\":8},{\"motivation\":\"commenting\"}]}", a));
  g_assert_false (matches ("{\"$or\":[{\"n\":8},{\"motivation\":\"editing\"}]}", a));
  g_assert_true (matches ("{\"$nor\":[{\"n\":8},{\"motivation\":\"editing\"}]}", a));
  g_assert_true (matches ("{\"$not\":{\"type\":\"ImageObject\"}}", a));
  g_assert_true (matches ("{\"type\":\"Annotation\",\"$or\":[{\"tags\":{\"$size\":5}},{\"creator.name\":{\"$regex\":\"^A\"}}]}", a));
}

/* What is not a selector is refused at once, with the reason. */
static void
test_refused (void)
{
  const char *bad[] = {
    "[]", "\"type\"", "{\"$foo\":1}", "{\"n\":{\"$between\":[1,2]}}", "{\"n\":{\"$exists\":1}}",
    "{\"n\":{\"$in\":5}}", "{\"n\":{\"$size\":-1}}", "{\"n\":{\"$mod\":[0,1]}}", "{\"n\":{\"$mod\":[2]}}",
    "{\"n\":{\"$regex\":\"(\"}}", "{\"n\":{\"$type\":\"date\"}}", "{\"$and\":{\"n\":1}}",
    "{\"$or\":[1]}", "{\"n\":{\"$gt\":1,\"m\":2}}", "{\"n\":{\"$elemMatch\":3}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = gls_json_from_data (bad[i], -1, &error);
      g_autoptr(GlsStoreSelector) selector = NULL;

      g_assert_no_error (error);
      selector = gls_store_selector_new (node, &error);
      g_test_message ("%s: %s", bad[i], error != NULL ? error->message : "accepted");
      g_assert_null (selector);
      g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/selector/fields", test_fields);
  g_test_add_func ("/store/selector/operators", test_operators);
  g_test_add_func ("/store/selector/combinations", test_combinations);
  g_test_add_func ("/store/selector/refused", test_refused);

  return g_test_run ();
}
