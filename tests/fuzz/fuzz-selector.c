/* fuzz-selector.c: Mango selectors from peers (_changes?filter=_selector)
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is the JSON a peer POSTs as {"selector": …}. Oracles:
 * - gls_store_selector_new returns a selector or an error, never both or
 *   neither, and refuses only with GLS_STORE_ERROR_BAD_REQUEST;
 * - a selector it accepts matches documents without failing, the same
 *   way twice, and {"$and": [S]} and {"$nor": [S]} say what S says and
 *   its opposite.
 */

#define G_LOG_DOMAIN "fuzz-selector"

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "gls-json-parser.h"
#include "gls-store.h"
#include "gls-store-selector.h"

static const char *const documents[] = {
  "{\"_id\":\"urn:uuid:1\",\"type\":\"Annotation\",\"motivation\":\"commenting\","
  "\"created\":\"2026-03-01T10:00:00.000Z\",\"creator\":{\"id\":\"did:key:z6MkA\",\"name\":\"Ana\"},"
  "\"target\":{\"source\":\"ni:///sha-256;abc\",\"selector\":{\"type\":\"FragmentSelector\",\"value\":\"xywh=1,2,3,4\"}},"
  "\"tags\":[\"pcb\",\"via\"],\"scores\":[3,8.5,-12],\"n\":7,\"x.y\":true,\"gone\":null,\"big\":9223372036854775807}",
  "{\"_id\":\"d\",\"@type\":\"ImageObject\",\"name\":\"board.png\",\"_attachments\":{\"file\":{\"length\":5}}}",
  "{\"_id\":\"gone\",\"_rev\":\"2-a\",\"_deleted\":true}",
};

static JsonObject *docs[G_N_ELEMENTS (documents)];

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (argc, argv);
  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    {
      g_autoptr(JsonNode) node = gls_json_from_data (documents[i], -1, NULL);

      docs[i] = json_object_ref (json_node_get_object (node));
    }
  return 0;
}

static GlsStoreSelector *
wrapped (const char *op,
         JsonNode   *selector)
{
  g_autoptr(JsonObject) outer = json_object_new ();
  g_autoptr(JsonArray) list = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  json_array_add_element (list, json_node_copy (selector));
  json_object_set_array_member (outer, op, g_steal_pointer (&list));
  node = json_node_init_object (json_node_alloc (), outer);
  return gls_store_selector_new (node, NULL);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(JsonNode) node = gls_json_from_data ((const char *) data, size, NULL);
  g_autoptr(GlsStoreSelector) selector = NULL;
  g_autoptr(GlsStoreSelector) and = NULL;
  g_autoptr(GlsStoreSelector) nor = NULL;
  g_autoptr(GError) error = NULL;

  if (node == NULL)
    return 0;
  selector = gls_store_selector_new (node, &error);
  fuzz_check ((selector == NULL) == (error != NULL), "a selector or an error");
  if (selector == NULL)
    {
      fuzz_check (g_error_matches (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST),
                  "refused as a bad request: %s", error->message);
      return 0;
    }
  and = wrapped ("$and", node);
  nor = wrapped ("$nor", node);
  fuzz_check (and != NULL && nor != NULL, "a selector inside $and and $nor is still one");
  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      gboolean hit = gls_store_selector_matches (selector, docs[i]);

      fuzz_check (hit == gls_store_selector_matches (selector, docs[i]), "the same answer twice");
      fuzz_check (hit == gls_store_selector_matches (and, docs[i]), "$and of one says what it says");
      fuzz_check (hit != gls_store_selector_matches (nor, docs[i]), "$nor of one says the opposite");
    }
  return 0;
}
