/* test-core-format.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * src/core/FORMAT.md shows one real example of each document. They are
 * written by this program (`test-core-format --generate src/core/FORMAT.md`
 * replaces the JSON block after each `<!-- example: NAME -->` marker), and
 * the test checks that every example is still exactly what the code reads
 * and writes.
 */

#include "config.h"

#include <string.h>

#include "gls-annotation-private.h"
#include "gls-core.h"

static const char *example_names[] = {
  "design", "comment-point", "comment-region", "comment-pdf", "reply", "edit",
  "resolve", "reopen", "tombstone", "collection", "person", "suggestion", "accept",
  "review", "mention",
};

static gint64
fixed_clock (gpointer user_data)
{
  gint64 *now = user_data;

  /* Each stamp a little later, as a person would type. */
  *now += 37 * G_USEC_PER_SEC + 250000;
  return *now;
}

/* Takes `obj`. */
static char *
to_text (JsonObject *obj)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), obj);
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_object_unref (obj);

  json_generator_set_root (gen, node);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  return json_generator_to_data (gen, NULL);
}

/* Signs `obj` as its author would (the proof's time is the document's
 * own), then as to_text. Takes `obj`. */
static char *
signed_text (JsonObject  *obj,
             GlsIdentity *author)
{
  g_autoptr(GError) error = NULL;
  const char *created = json_object_get_string_member_with_default (obj, "created", NULL);

  if (created == NULL)
    created = json_object_get_string_member_with_default (obj, "dateCreated", NULL);
  if (created == NULL)
    created = json_object_get_string_member_with_default (obj, "dateModified", NULL);
  g_assert_true (gls_proof_sign (obj, author, created, &error));
  g_assert_no_error (error);

  return to_text (obj);
}

static GHashTable *
make_examples (void)
{
  GHashTable *examples = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  static const guint8 png[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
    0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
  };
  static const guint8 png_rev_a[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
    0, 0, 0, 2, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0xf4, 0x22, 0x7f, 0x8a,
  };
  static const char pdf[] = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
  gint64 now = G_GINT64_CONSTANT (1795428000000000);
  g_autoptr(GlsHlc) hlc = gls_hlc_new_with_clock (fixed_clock, &now, NULL);
  g_autoptr(GlsIdentity) alice = gls_identity_new_random ();
  g_autoptr(GlsIdentity) bob = gls_identity_new_random ();
  g_autoptr(GlsProfile) profile = gls_profile_new ();
  g_autoptr(GBytes) png_bytes = g_bytes_new_static (png, sizeof png);
  g_autoptr(GBytes) png_a_bytes = g_bytes_new_static (png_rev_a, sizeof png_rev_a);
  g_autoptr(GBytes) pdf_bytes = g_bytes_new_static (pdf, sizeof pdf - 1);
  g_autoptr(GlsDesign) v1 = NULL;
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GlsDesign) sheet = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonNode) collection = NULL;
  g_autofree char *t = NULL;
  GlsSelector point = { GLS_SELECTOR_POINT, 0, 412, 230, 0, 0 };
  GlsSelector region = { GLS_SELECTOR_RECT, 0, 96, 40.5, 220, 120 };
  GlsSelector pdf_region = { GLS_SELECTOR_RECT, 3, 72, 540, 451.3, 96 };
  GlsAnnotation *c_point, *c_region, *c_pdf, *reply, *edit, *resolve, *reopen, *gone;
  g_autoptr(GlsAnnotation) suggestion = NULL;
  g_autoptr(GlsAnnotation) accept = NULL;
  g_autoptr(GlsAnnotation) review = NULL;
  g_autoptr(GlsAnnotation) mention = NULL;
  g_auto(GlsSelector) passage = { 0, };
  const char *a = gls_identity_get_did (alice);
  const char *b = gls_identity_get_did (bob);
  const char *rights = gls_profile_get_license (profile);

  t = gls_hlc_now (hlc);
  v1 = gls_design_new_for_bytes ("board-rev-a.png", NULL, png_a_bytes, rights, a, "Alice Example",
                                 t, NULL, NULL);
  g_free (t);
  t = gls_hlc_now (hlc);
  design = gls_design_new_for_bytes ("board-rev-b.png", NULL, png_bytes, rights, a,
                                     "Alice Example", t, gls_design_get_id (v1), NULL);
  g_free (t);
  t = gls_hlc_now (hlc);
  sheet = gls_design_new_for_bytes ("datasheet.pdf", NULL, pdf_bytes, rights, b, "Bob Example",
                                    t, NULL, NULL);
  g_hash_table_insert (examples, "design", signed_text (gls_design_to_json (design), alice));
  {
    g_autoptr(GlsPerson) person = gls_person_new (a, "Alice Example", NULL, t);

    g_hash_table_insert (examples, "person", signed_text (gls_person_to_json (person), alice));
  }

#define NOW() (g_free (t), t = gls_hlc_now (hlc))
  c_point = gls_annotation_new_comment (gls_design_get_source (design), &point,
                                        "Is this via too close to the pad?", a, "Alice Example",
                                        rights, NOW ());
  c_region = gls_annotation_new_comment (gls_design_get_source (design), &region,
                                         "The silkscreen here overlaps the connector.", b,
                                         "Bob Example", rights, NOW ());
  c_pdf = gls_annotation_new_comment (gls_design_get_source (sheet), &pdf_region,
                                      "Pin 7 is listed twice in this table.", a, "Alice Example",
                                      rights, NOW ());
  reply = gls_annotation_new_reply (gls_annotation_get_id (c_point),
                                    "It meets the 0.2 mm rule, but I will move it.", b,
                                    "Bob Example", rights, NOW ());
  edit = gls_annotation_new_edit (gls_annotation_get_id (c_point),
                                  "Is this via too close to pad 3?", a, "Alice Example", rights,
                                  NOW ());
  resolve = gls_annotation_new_assessment (gls_annotation_get_id (c_point), TRUE, b,
                                           "Bob Example", rights, NOW ());
  reopen = gls_annotation_new_assessment (gls_annotation_get_id (c_point), FALSE, a,
                                          "Alice Example", rights, NOW ());
  gone = gls_annotation_new_tombstone (c_region);
  /* On the sample guide's German translation (its ni: URI). */
  gls_selector_init_text (&passage, 4327, 4336, "zur Mitte", "te \"\n\"D1 bis D4 mit der Kathode ",
                          " der Platine ein.\"\n\n#. type: Tit");
  suggestion = gls_annotation_new_suggestion ("ni:///sha-256;NNytRxfJQzTceRrb39MQMWDHd-Qyzu6svzUzXg_oOEY",
                                              &passage, "zum Rand", a, "Alice Example", rights, NOW ());
  accept = gls_annotation_new_decision (gls_annotation_get_id (suggestion), TRUE, b, "Bob Example", rights,
                                        NOW ());
  review = gls_annotation_new_review (gls_design_get_source (design), GLS_DECISION_CHANGES_REQUESTED,
                                      "Move C3 2 mm away from the board edge.", b, "Bob Example", rights, NOW ());
  mention = gls_annotation_new_comment (gls_design_get_source (design), &region, "@Alice Example could you check "
                                        "the new clearance here?", b, "Bob Example", rights, NOW ());
  {
    const char *mentioned[] = { a, NULL };

    _gls_annotation_set_mentions (mention, mentioned);
  }
#undef NOW

  g_hash_table_insert (examples, "comment-point", signed_text (gls_annotation_to_json (c_point), alice));
  g_hash_table_insert (examples, "comment-region", signed_text (gls_annotation_to_json (c_region), bob));
  g_hash_table_insert (examples, "comment-pdf", signed_text (gls_annotation_to_json (c_pdf), alice));
  g_hash_table_insert (examples, "reply", signed_text (gls_annotation_to_json (reply), bob));
  g_hash_table_insert (examples, "edit", signed_text (gls_annotation_to_json (edit), alice));
  g_hash_table_insert (examples, "resolve", signed_text (gls_annotation_to_json (resolve), bob));
  g_hash_table_insert (examples, "reopen", signed_text (gls_annotation_to_json (reopen), alice));
  g_hash_table_insert (examples, "tombstone", signed_text (gls_annotation_to_json (gone), bob));
  g_hash_table_insert (examples, "suggestion", signed_text (gls_annotation_to_json (suggestion), alice));
  g_hash_table_insert (examples, "accept", signed_text (gls_annotation_to_json (accept), bob));
  g_hash_table_insert (examples, "review", signed_text (gls_annotation_to_json (review), bob));
  g_hash_table_insert (examples, "mention", signed_text (gls_annotation_to_json (mention), bob));

  g_ptr_array_add (all, c_point);
  g_ptr_array_add (all, gone);
  g_ptr_array_add (all, c_pdf);
  g_ptr_array_add (all, reply);
  g_ptr_array_add (all, edit);
  g_ptr_array_add (all, resolve);
  g_ptr_array_add (all, reopen);
  g_object_unref (c_region);
  collection = gls_w3c_export_collection (all, "Glossa workspace “default”");
  g_hash_table_insert (examples, "collection",
                       to_text (json_object_ref (json_node_get_object (collection))));

  return examples;
}

/* Returns the JSON text after the marker, and where the block starts/ends. */
static char *
find_block (const char  *doc,
            const char  *name,
            gsize       *start,
            gsize       *end)
{
  g_autofree char *marker = g_strdup_printf ("<!-- example: %s -->", name);
  const char *m = strstr (doc, marker);
  const char *open, *body, *close;

  if (m == NULL)
    return NULL;
  open = strstr (m, "```json\n");
  if (open == NULL)
    return NULL;
  body = open + strlen ("```json\n");
  close = strstr (body, "```");
  if (close == NULL)
    return NULL;

  if (start != NULL)
    *start = body - doc;
  if (end != NULL)
    *end = close - doc;
  return g_strndup (body, close - body);
}

static int
generate (const char *path)
{
  g_autoptr(GHashTable) examples = make_examples ();
  g_autoptr(GError) error = NULL;
  g_autofree char *doc = NULL;
  GString *out;

  if (!g_file_get_contents (path, &doc, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  out = g_string_new (doc);
  for (guint i = 0; i < G_N_ELEMENTS (example_names); i++)
    {
      g_autofree char *old = NULL;
      gsize start, end;

      old = find_block (out->str, example_names[i], &start, &end);
      if (old == NULL)
        {
          g_printerr ("%s: no block for example “%s”\n", path, example_names[i]);
          return 1;
        }
      g_string_erase (out, start, end - start);
      g_string_insert (out, start, "\n");
      g_string_insert (out, start, g_hash_table_lookup (examples, example_names[i]));
    }

  if (!g_file_set_contents (path, out->str, out->len, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_string_free (out, TRUE);
  return 0;
}

static char *
format_md_path (void)
{
  const char *top = g_getenv ("GLOSSA_SOURCE_DIR");

  if (top != NULL)
    return g_build_filename (top, "src", "core", "FORMAT.md", NULL);
  return g_build_filename (TEST_SRCDIR, "..", "src", "core", "FORMAT.md", NULL);
}

/* Takes `written`. */
static void
assert_same_json (JsonObject *written,
                  JsonNode   *example,
                  const char *name)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), written);
  g_autoptr(JsonNode) unsigned_example = json_node_copy (example);
  JsonObject *proof = json_object_get_object_member (json_node_get_object (example), "proof");
  const char *author = NULL;
  g_autofree char *signer = NULL;
  g_autoptr(GError) error = NULL;

  json_object_unref (written);

  /* Every example is signed by its author... */
  g_assert_nonnull (proof);
  g_assert_cmpint (gls_proof_verify (json_node_get_object (example), &signer, &error), ==, GLS_PROOF_VALID);
  g_assert_no_error (error);
  if (json_object_has_member (json_node_get_object (example), "creator"))
    author = json_object_get_string_member (json_object_get_object_member (json_node_get_object (example), "creator"), "id");
  else if (!json_object_has_member (json_node_get_object (example), "author"))
    author = json_object_get_string_member (json_node_get_object (example), "@id");
  else
    author = json_object_get_string_member (json_object_get_object_member (json_node_get_object (example), "author"), "@id");
  g_assert_cmpstr (signer, ==, author);

  /* ...and exactly what the code writes: an annotation read with its
   * proof is written with it; a design is written without, and the
   * workspace signs it. */
  if (!json_object_has_member (json_node_get_object (node), "proof"))
    json_object_remove_member (json_node_get_object (unsigned_example), "proof");
  if (!json_node_equal (node, unsigned_example))
    g_error ("example “%s” is not what the code writes back", name);
}

static void
test_examples (void)
{
  g_autofree char *path = format_md_path ();
  g_autofree char *doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) annotations = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_true (g_file_get_contents (path, &doc, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (example_names); i++)
    {
      const char *name = example_names[i];
      g_autofree char *text = find_block (doc, name, NULL, NULL);
      g_autoptr(JsonNode) node = NULL;
      JsonObject *obj;

      g_test_message ("example %s", name);
      g_assert_nonnull (text);
      node = json_from_string (text, &error);
      g_assert_no_error (error);
      obj = json_node_get_object (node);

      if (g_str_equal (name, "design"))
        {
          g_autoptr(GlsDesign) d = gls_design_new_from_json (obj, &error);

          g_assert_no_error (error);
          assert_same_json (gls_design_to_json (d), node, name);
          g_assert_nonnull (gls_design_get_based_on (d));
        }
      else if (g_str_equal (name, "person"))
        {
          g_autoptr(GlsPerson) p = gls_person_new_verified (obj, &error);

          g_assert_no_error (error);
          g_assert_cmpstr (gls_person_get_did (p), ==,
                           json_object_get_string_member (obj, "@id"));
          assert_same_json (gls_person_to_json (p), node, name);
        }
      else if (g_str_equal (name, "collection"))
        {
          g_autoptr(GPtrArray) set = gls_w3c_import (node, NULL, NULL, &error);
          g_autoptr(GPtrArray) threads = NULL;

          g_assert_no_error (error);
          g_assert_cmpuint (set->len, ==, json_object_get_int_member (obj, "total"));
          threads = gls_threads_derive (set, NULL);
          g_assert_cmpuint (threads->len, ==, 2);
        }
      else
        {
          g_autoptr(GlsAnnotation) a = gls_annotation_new_from_json (obj, &error);

          g_assert_no_error (error);
          assert_same_json (gls_annotation_to_json (a), node, name);
          g_ptr_array_add (annotations, g_steal_pointer (&a));
        }
    }

  /* The examples tell one story: the reopened, edited point thread. */
  {
    g_autoptr(GPtrArray) threads = gls_threads_derive (annotations, NULL);
    gboolean found = FALSE;

    for (guint i = 0; i < threads->len; i++)
      {
        GlsThread *t = g_ptr_array_index (threads, i);

        if (gls_thread_get_reply_count (t) == 1)
          {
            g_assert_cmpstr (gls_thread_get_text (t), ==, "Is this via too close to pad 3?");
            g_assert_false (gls_thread_get_resolved (t));
            found = TRUE;
          }
      }
    g_assert_true (found);
  }
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--generate"))
    return generate (argv[2]);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/format/examples", test_examples);

  return g_test_run ();
}
