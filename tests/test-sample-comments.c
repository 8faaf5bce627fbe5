/* test-sample-comments.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * data/samples/board-comments.json and guide-comments.json, the comments
 * `glossa --sample` shows, are signed by their three (fictional) authors, so the sample shows what
 * a real review shows: verified words. Their keys are made from their
 * names (SHA-256 of "Glossa sample person: NAME" as the Ed25519 seed): no
 * secret, anyone can sign the sample again after changing it:
 *
 *   _build/tests/test-sample-comments --sign data/samples/board-comments.json
 *   _build/tests/test-sample-comments --sign data/samples/guide-comments.json
 *
 * As a test, it checks that every comment there verifies as its author's.
 */

#include "config.h"

#include <string.h>

#include "gls-core.h"
#include "test-util.h"

static GlsIdentity *
sample_person (const char *name)
{
  g_autofree char *text = g_strconcat ("Glossa sample person: ", name, NULL);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GBytes) seed = NULL;
  guint8 digest[32];
  gsize len = sizeof digest;

  g_checksum_update (checksum, (const guchar *) text, -1);
  g_checksum_get_digest (checksum, digest, &len);
  seed = g_bytes_new (digest, len);

  return gls_identity_new_from_seed (seed, NULL);
}

static GPtrArray *
read_sample (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  GPtrArray *annotations;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  root = gls_json_from_data (text, -1, &error);
  g_assert_no_error (error);
  annotations = gls_w3c_import (root, NULL, NULL, &error);
  g_assert_no_error (error);

  return annotations;
}

/* Signs every annotation again as its author (by name), with the did:key
 * that name gives. */
static int
sign (const char *path)
{
  g_autoptr(GPtrArray) annotations = read_sample (path);
  g_autoptr(GPtrArray) signed_ = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) dids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(JsonNode) collection = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  /* Old did -> new did, by the author's name. */
  for (guint i = 0; i < annotations->len; i++)
    {
      GlsAnnotation *a = g_ptr_array_index (annotations, i);
      g_autoptr(GlsIdentity) person = sample_person (gls_annotation_get_creator_name (a));

      g_hash_table_replace (dids, g_strdup (gls_annotation_get_creator_id (a)),
                            g_strdup (gls_identity_get_did (person)));
    }

  for (guint i = 0; i < annotations->len; i++)
    {
      GlsAnnotation *a = g_ptr_array_index (annotations, i);
      g_autoptr(GlsIdentity) person = sample_person (gls_annotation_get_creator_name (a));
      g_autoptr(JsonObject) doc = gls_annotation_to_json (a);
      JsonObject *creator = json_object_get_object_member (doc, "creator");

      json_object_remove_member (doc, "proof");
      json_object_set_string_member (creator, "id", gls_identity_get_did (person));
      g_assert_true (gls_proof_sign (doc, person, gls_annotation_get_created (a), &error));
      g_assert_no_error (error);
      g_ptr_array_add (signed_, gls_annotation_new_verified (doc, &error));
      g_assert_no_error (error);
    }

  collection = gls_w3c_export_collection (signed_, "Glossa workspace “default”");
  json_generator_set_root (generator, collection);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  if (!g_file_set_contents (path, text, -1, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  return 0;
}

static void
test_sample_is_signed (gconstpointer data)
{
  const char *name = data;
  g_autofree char *path = test_sample_path (name);
  g_autoptr(GPtrArray) annotations = read_sample (path);

  g_assert_cmpuint (annotations->len, ==, 7);
  for (guint i = 0; i < annotations->len; i++)
    {
      GlsAnnotation *a = g_ptr_array_index (annotations, i);
      g_autoptr(JsonObject) doc = gls_annotation_to_json (a);
      g_autoptr(GlsAnnotation) checked = NULL;
      g_autoptr(GlsIdentity) person = sample_person (gls_annotation_get_creator_name (a));
      g_autoptr(GError) error = NULL;

      /* As the workspace will read it after the import. */
      checked = gls_annotation_new_verified (doc, &error);
      g_assert_no_error (error);
      g_assert_cmpint (gls_annotation_get_trust (checked), ==, GLS_TRUST_VERIFIED);
      g_assert_cmpstr (gls_annotation_get_signer (checked), ==, gls_identity_get_did (person));
    }
}

/* The guide's comments are on the guide and its translation as shipped
 * (their ni: URIs), and one of them is a suggestion on a passage. */
static void
test_guide_comments (void)
{
  g_autofree char *path = test_sample_path ("guide-comments.json");
  g_autoptr(GPtrArray) annotations = read_sample (path);
  const char *files[] = { "assembly-guide.md", "assembly-guide.de.po" };
  guint on_file[2] = { 0, 0 };
  guint suggestions = 0;

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *file_path = test_sample_path (files[f]);
      g_autofree char *contents = NULL;
      gsize length;
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *source = NULL;

      g_assert_true (g_file_get_contents (file_path, &contents, &length, NULL));
      bytes = g_bytes_new (contents, length);
      source = gls_ni_uri_for_bytes (bytes);
      for (guint i = 0; i < annotations->len; i++)
        if (g_strcmp0 (gls_annotation_get_source (g_ptr_array_index (annotations, i)), source) == 0)
          on_file[f]++;
    }
  for (guint i = 0; i < annotations->len; i++)
    if (gls_annotation_is_suggestion (g_ptr_array_index (annotations, i)))
      suggestions++;

  g_assert_cmpuint (on_file[0], ==, 2);
  g_assert_cmpuint (on_file[1], ==, 3);
  g_assert_cmpuint (suggestions, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--sign"))
    return sign (argv[2]);

  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/data/sample-comments/board-signed", "board-comments.json", test_sample_is_signed);
  g_test_add_data_func ("/data/sample-comments/guide-signed", "guide-comments.json", test_sample_is_signed);
  g_test_add_func ("/data/sample-comments/guide", test_guide_comments);

  return g_test_run ();
}
