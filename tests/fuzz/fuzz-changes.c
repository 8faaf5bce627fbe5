/* fuzz-changes.c: the _changes answer scanner against the full parser
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a peer's _changes answer. Oracles:
 * - the scanner calls it malformed exactly when the strict parser refuses
 *   it, and then returns nothing;
 * - otherwise it says what the replicator said reading the parser's tree
 *   (before the scanner): the same error ("Unexpected answer to _changes",
 *   "(no results)", "(bad row)", "(bad rev)"), or the same rows (ids and
 *   revs, in order), last_seq (the answer's, or when it is null the last
 *   row's seq) and pending.
 */

#define G_LOG_DOMAIN "fuzz-changes"

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "gls-endpoint-private.h"
#include "gls-json-parser.h"
#include "gls-replicator.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (argc, argv);
  return 0;
}

static const char *
peek_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* What changes_received made of the tree: NULL and the error's words, or
 * the rows. */
static GlsStoreRevsList *
reference (JsonNode    *root,
           const char **what)
{
  g_autoptr(GlsStoreRevsList) rows = gls_store_revs_list_new ();
  JsonNode *results;
  JsonArray *array;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      *what = "Unexpected answer to _changes";
      return NULL;
    }
  results = json_object_get_member (json_node_get_object (root), "results");
  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results))
    {
      *what = "Unexpected answer to _changes (no results)";
      return NULL;
    }
  array = json_node_get_array (results);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *row = json_array_get_element (array, i);
      JsonObject *obj;
      JsonNode *changes;
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (row))
        {
          *what = "Unexpected answer to _changes (bad row)";
          return NULL;
        }
      obj = json_node_get_object (row);
      id = peek_string (json_object_get_member (obj, "id"));
      changes = json_object_get_member (obj, "changes");
      if (id == NULL || changes == NULL || !JSON_NODE_HOLDS_ARRAY (changes))
        {
          *what = "Unexpected answer to _changes (bad row)";
          return NULL;
        }
      gls_store_revs_list_add_id (rows, id, -1);
      for (guint j = 0; j < json_array_get_length (json_node_get_array (changes)); j++)
        {
          JsonNode *c = json_array_get_element (json_node_get_array (changes), j);
          const char *rev = JSON_NODE_HOLDS_OBJECT (c)
            ? peek_string (json_object_get_member (json_node_get_object (c), "rev")) : NULL;

          if (rev == NULL)
            {
              *what = "Unexpected answer to _changes (bad rev)";
              return NULL;
            }
          gls_store_revs_list_add_rev (rows, rev, -1);
        }
    }
  return g_steal_pointer (&rows);
}

static gboolean
seq_equal (JsonNode *a,
           JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return json_node_equal (a, b);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsEndpointChanges) changes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GlsStoreRevsList) rows = NULL;
  const char *text = (const char *) data;
  const char *what = NULL;
  gboolean malformed = FALSE;
  JsonObject *answer;
  JsonNode *last_seq;
  JsonNode *pending;
  guint n;

  changes = _gls_endpoint_changes_scan (text, size, &malformed, &error);
  fuzz_check ((changes == NULL) == (error != NULL), "an answer or an error");
  fuzz_check (error == NULL || g_error_matches (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL),
              "a protocol error");
  root = gls_json_from_data (text, size, NULL);
  fuzz_check (malformed == (root == NULL), "malformed (%d) when the parser refuses it", malformed);
  if (root == NULL)
    {
      fuzz_check (changes == NULL, "nothing from what is not JSON");
      return 0;
    }

  rows = reference (root, &what);
  if (rows == NULL)
    {
      fuzz_check (changes == NULL && g_strcmp0 (error->message, what) == 0,
                  "the same error: %s, not %s", what, error ? error->message : "none");
      return 0;
    }
  fuzz_check (changes != NULL, "the rows, not %s", error->message);

  n = gls_store_revs_list_get_length (rows);
  fuzz_check (gls_store_revs_list_get_length (changes->rows) == n, "as many rows");
  fuzz_check (gls_store_revs_list_get_n_all_revs (changes->rows) == gls_store_revs_list_get_n_all_revs (rows),
              "as many revs");
  for (guint i = 0; i < n; i++)
    {
      fuzz_check (strcmp (gls_store_revs_list_get_id (changes->rows, i), gls_store_revs_list_get_id (rows, i)) == 0,
                  "the same id");
      fuzz_check (gls_store_revs_list_get_n_revs (changes->rows, i) == gls_store_revs_list_get_n_revs (rows, i),
                  "as many revs of a row");
      for (guint j = 0; j < gls_store_revs_list_get_n_revs (rows, i); j++)
        fuzz_check (strcmp (gls_store_revs_list_get_rev (changes->rows, i, j),
                            gls_store_revs_list_get_rev (rows, i, j)) == 0, "the same rev");
    }

  answer = json_node_get_object (root);
  last_seq = json_object_get_member (answer, "last_seq");
  if (n > 0 && (last_seq == NULL || JSON_NODE_HOLDS_NULL (last_seq)))
    {
      JsonArray *results = json_object_get_array_member (answer, "results");
      JsonNode *row = json_array_get_element (results, json_array_get_length (results) - 1);

      last_seq = json_object_get_member (json_node_get_object (row), "seq");
    }
  fuzz_check (seq_equal (changes->last_seq, last_seq), "the same last_seq");

  pending = json_object_get_member (answer, "pending");
  fuzz_check (changes->has_pending == (pending != NULL && JSON_NODE_HOLDS_VALUE (pending)), "pending said");
  if (changes->has_pending && json_node_get_value_type (pending) != G_TYPE_DOUBLE)
    fuzz_check (changes->pending == json_node_get_int (pending), "the same pending");
  return 0;
}
