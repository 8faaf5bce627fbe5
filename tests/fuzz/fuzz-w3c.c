/* fuzz-w3c.c: W3C Web Annotation import, and export read back
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a file given to `glossa import`, read by the strict
 * parser. Oracles:
 * - gls_w3c_import_full returns annotations, or a GLS_CORE_ERROR;
 * - each annotation's document reads back (gls_annotation_new_from_json)
 *   as the same document;
 * - Glossa's export of them (as text) imports again as the same
 *   annotations: what Glossa writes can leave the program and come back.
 */

#define G_LOG_DOMAIN "fuzz-w3c"

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "gls-annotation.h"
#include "gls-json-parser.h"
#include "gls-types.h"
#include "gls-w3c.h"

#define DESIGN "ni:///sha-256;T_2LswmR46byjR0D8a7c0CzPjgzBa7npaee8K9od3wM"
#define RIGHTS "https://creativecommons.org/licenses/by/4.0/"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (argc, argv);
  return 0;
}

/* Every source names the one design, except those starting "unknown". */
static char *
resolve (const char *source,
         gpointer    user_data)
{
  guint *calls = user_data;

  (*calls)++;
  fuzz_check (source != NULL, "a source");
  if (g_str_has_prefix (source, "unknown"))
    return NULL;
  return g_strdup (DESIGN);
}

static char *
annotation_text (GlsAnnotation *annotation)
{
  g_autoptr(JsonObject) doc = gls_annotation_to_json (annotation);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), doc);

  return fuzz_jcs (node);
}

static int
compare (gconstpointer a,
         gconstpointer b)
{
  return gls_annotation_compare (*(GlsAnnotation **) a, *(GlsAnnotation **) b);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) exported = NULL;
  g_autoptr(JsonNode) root2 = NULL;
  g_autoptr(GPtrArray) annotations = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint calls = 0;

  root = gls_json_from_data ((const char *) data, size, NULL);
  if (root == NULL)
    return 0;

  annotations = gls_w3c_import_full (root, RIGHTS, resolve, &calls, &error);
  if (annotations == NULL)
    {
      fuzz_check (error != NULL && error->domain == GLS_CORE_ERROR, "a core error");
      return 0;
    }
  fuzz_check (error == NULL, "annotations and an error");
  fuzz_check (annotations->len > 0, "an import finds something");

  for (guint i = 0; i < annotations->len; i++)
    {
      GlsAnnotation *a = g_ptr_array_index (annotations, i);
      g_autoptr(JsonObject) doc = gls_annotation_to_json (a);
      g_autoptr(GlsAnnotation) b = NULL;
      g_autoptr(GError) doc_error = NULL;
      g_autofree char *text_a = annotation_text (a);
      g_autofree char *text_b = NULL;

      fuzz_check (!gls_annotation_is_deleted (a), "an import is no deletion");
      b = gls_annotation_new_from_json (doc, &doc_error);
      fuzz_check (b != NULL, "an imported annotation does not read back: %s\n  %s",
                  doc_error->message, text_a);
      text_b = annotation_text (b);
      fuzz_check (g_str_equal (text_a, text_b), "read back differently:\n  %s\n  %s",
                  text_a, text_b);
    }

  /* Export, as text, and import again. */
  exported = gls_w3c_export_collection (annotations, "fuzz");
  text = fuzz_jcs (exported);
  root2 = gls_json_from_data (text, -1, &error);
  fuzz_check (root2 != NULL, "the export does not parse: %s\n  %s", error->message, text);
  again = gls_w3c_import_full (root2, NULL, resolve, &calls, &error);
  fuzz_check (again != NULL, "the export does not import: %s\n  %s", error->message, text);
  fuzz_check (again->len == annotations->len, "%u annotations imported, %u exported and imported",
              annotations->len, again->len);
  g_ptr_array_sort (annotations, compare);
  g_ptr_array_sort (again, compare);
  for (guint i = 0; i < again->len; i++)
    {
      g_autofree char *a = annotation_text (g_ptr_array_index (annotations, i));
      g_autofree char *b = annotation_text (g_ptr_array_index (again, i));

      fuzz_check (g_str_equal (a, b), "exported and imported again differently:\n  %s\n  %s", a, b);
    }
  return 0;
}
