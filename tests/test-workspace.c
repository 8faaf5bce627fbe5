/* test-workspace.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "gls-hlc.h"
#include "gls-proof.h"
#include "gls-workspace.h"
#include "gls-reviews.h"
#include "gls-threads.h"
#include "test-util.h"

typedef struct
{
  char         *data_dir;
  GlsWorkspace *workspace;
  GlsDesign    *board;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->data_dir = test_data_dir_new ("glossa-workspace-XXXXXX");

  fixture->workspace = gls_workspace_open (fixture->data_dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->workspace);

  fixture->board = test_workspace_add_sample (fixture->workspace, "board.png");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->board);
  g_clear_object (&fixture->workspace);
  test_data_dir_free (fixture->data_dir);
}

static GlsThread *
thread_at (GListModel *threads,
           guint       position)
{
  g_assert_cmpuint (position, <, g_list_model_get_n_items (threads));
  return g_list_model_get_item (threads, position);
}

static char *
dump_of (GlsWorkspace *workspace,
         GlsDesign    *design)
{
  g_autoptr(GListModel) model = gls_workspace_get_threads (workspace, gls_design_get_source (design));
  g_autoptr(GPtrArray) threads = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *summary = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (threads, g_list_model_get_item (model, i));
  dump = gls_threads_dump (threads);
  reviews = gls_workspace_list_reviews (workspace, design, &error);
  g_assert_no_error (error);
  summary = gls_reviews_summary (reviews);
  return g_strdup_printf ("%s\n%u reviews: %s", dump, reviews->len, summary ? summary : "none");
}

/* Each design's threads come from the annotations on it (its bucket),
 * whatever order they arrive in: replies before their comment, a reply
 * to a reply before both, edits, resolutions, reviews and a deletion.
 * The same documents written newest first give the same threads. */
static void
test_buckets_any_order (Fixture       *fixture,
                        gconstpointer  data)
{
  GlsSelector point = { GLS_SELECTOR_POINT, 0, 5, 5, 0, 0 };
  g_autoptr(GlsDesign) svg = test_workspace_add_sample (fixture->workspace, "board.svg");
  GlsDesign *designs[2] = { fixture->board, svg };
  g_autofree char *other_dir = test_data_dir_new ("glossa-workspace-XXXXXX");
  g_autoptr(GlsWorkspace) other = NULL;
  g_autoptr(GlsStore) target = NULL;
  g_autoptr(JsonObject) changes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  JsonArray *results;

  for (guint d = 0; d < 2; d++)
    for (guint i = 0; i < 3; i++)
      {
        g_autofree char *text = g_strdup_printf ("Comment %u on %u", i, d);
        g_autoptr(GlsAnnotation) root = gls_workspace_comment (fixture->workspace, gls_design_get_id (designs[d]),
                                                               &point, text, &error);
        g_autoptr(GlsAnnotation) reply = NULL;

        g_assert_no_error (error);
        reply = gls_workspace_reply (fixture->workspace, gls_annotation_get_id (root), "A reply", &error);
        g_assert_no_error (error);
        if (i == 0)
          g_object_unref (gls_workspace_edit (fixture->workspace, gls_annotation_get_id (reply), "Edited", &error));
        if (i == 1)
          g_object_unref (gls_workspace_set_resolved (fixture->workspace, gls_annotation_get_id (root), TRUE, &error));
        if (i == 2)
          g_assert_true (gls_workspace_delete (fixture->workspace, gls_annotation_get_id (root), &error));
        g_assert_no_error (error);
      }
  g_object_unref (gls_workspace_review (fixture->workspace, gls_design_get_id (svg), GLS_DECISION_APPROVED,
                                        "Fine", &error));
  g_assert_no_error (error);

  /* Into another data dir, newest first. */
  other = gls_workspace_open (other_dir, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&other);
  path = g_build_filename (other_dir, "workspaces", "default.sqlite", NULL);
  target = gls_store_open (path, &error);
  g_assert_no_error (error);
  changes = gls_store_changes (gls_workspace_get_store (fixture->workspace), 0, 0, FALSE, &error);
  g_assert_no_error (error);
  results = json_object_get_array_member (changes, "results");
  for (guint i = json_array_get_length (results); i-- > 0;)
    {
      const char *id = json_object_get_string_member (json_array_get_object_element (results, i), "id");
      /* Every leaf, tombstones too. */
      g_autoptr(JsonArray) leaves = gls_store_get_open_revs (gls_workspace_get_store (fixture->workspace), id, NULL,
                                                             GLS_STORE_GET_REVS | GLS_STORE_GET_ATTACHMENTS, &error);
      g_autoptr(JsonArray) docs = json_array_new ();
      g_autoptr(JsonArray) answers = NULL;

      g_assert_no_error (error);
      for (guint j = 0; j < json_array_get_length (leaves); j++)
        json_array_add_object_element (docs, json_object_ref (json_object_get_object_member (
                                               json_array_get_object_element (leaves, j), "ok")));
      answers = gls_store_bulk_docs (target, docs, FALSE, &error);
      g_assert_no_error (error);
    }
  g_clear_object (&target);

  other = gls_workspace_open (other_dir, NULL, &error);
  g_assert_no_error (error);
  for (guint d = 0; d < 2; d++)
    {
      g_autofree char *want = dump_of (fixture->workspace, designs[d]);
      g_autofree char *got = dump_of (other, designs[d]);

      g_assert_cmpstr (got, ==, want);
    }
  g_clear_object (&other);
  test_data_dir_free (other_dir);
  other_dir = NULL;
}

static void
put_hostile_reply (GlsWorkspace *workspace,
                   const char   *id,
                   const char   *target)
{
  g_autoptr(GlsAnnotation) reply = gls_annotation_new_reply (target, "loop", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
                                                             "Mallory", NULL, "2026-12-06T10:00:00Z");
  g_autoptr(JsonObject) doc = gls_annotation_to_json (reply);
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = NULL;

  json_object_set_string_member (doc, "_id", id);
  json_object_set_string_member (doc, "id", id);
  rev = gls_store_put (gls_workspace_get_store (workspace), doc, &error);
  g_assert_no_error (error);
}

/* Replies a peer made up to go nowhere: one to itself, two to each other,
 * one to a comment that never came. The workspace still opens, each
 * design keeps its threads, and none of these joins one. */
static void
test_buckets_hostile (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GlsAnnotation) root = NULL;
  g_autoptr(GlsWorkspace) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  root = gls_workspace_comment (fixture->workspace, gls_design_get_id (fixture->board), NULL, "Real", &error);
  g_assert_no_error (error);
  before = dump_of (fixture->workspace, fixture->board);

  put_hostile_reply (fixture->workspace, "urn:uuid:bbbbbbbb-0000-4000-8000-000000000001", "urn:uuid:bbbbbbbb-0000-4000-8000-000000000001");
  put_hostile_reply (fixture->workspace, "urn:uuid:bbbbbbbb-0000-4000-8000-000000000002", "urn:uuid:bbbbbbbb-0000-4000-8000-000000000003");
  put_hostile_reply (fixture->workspace, "urn:uuid:bbbbbbbb-0000-4000-8000-000000000003", "urn:uuid:bbbbbbbb-0000-4000-8000-000000000002");
  put_hostile_reply (fixture->workspace, "urn:uuid:bbbbbbbb-0000-4000-8000-000000000004", "urn:uuid:bbbbbbbb-0000-4000-8000-00000000dead");
  g_assert_true (gls_workspace_refresh (fixture->workspace, &error));
  g_assert_no_error (error);
  after = dump_of (fixture->workspace, fixture->board);
  g_assert_cmpstr (after, ==, before);

  g_clear_object (&fixture->workspace);
  again = gls_workspace_open (fixture->data_dir, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&after, g_free);
  after = dump_of (again, fixture->board);
  g_assert_cmpstr (after, ==, before);
  fixture->workspace = g_steal_pointer (&again);
}

/* A partial workspace (the command line's) reads a design's threads
 * once; what another writer adds after still shows when they are asked
 * for again, and also in the models. */
static void
test_partial_stays_current (Fixture       *fixture,
                            gconstpointer  data)
{
  GlsSelector point = { GLS_SELECTOR_POINT, 0, 5, 5, 0, 0 };
  g_autoptr(GlsWorkspace) partial = NULL;
  g_autoptr(GlsAnnotation) first = NULL;
  g_autoptr(GlsAnnotation) second = NULL;
  g_autoptr(GlsAnnotation) reply = NULL;
  g_autoptr(GListModel) threads = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(GError) error = NULL;

  first = gls_workspace_comment (fixture->workspace, gls_design_get_id (fixture->board), &point, "One", &error);
  g_assert_no_error (error);

  partial = gls_workspace_open_partial (fixture->data_dir, "default", &error);
  g_assert_no_error (error);
  g_assert_true (gls_workspace_load_design (partial, gls_design_get_id (fixture->board), &error));
  g_assert_true (gls_workspace_load_threads (partial, fixture->board, &error));
  g_assert_no_error (error);
  threads = gls_workspace_get_threads (partial, gls_design_get_source (fixture->board));
  g_assert_cmpuint (g_list_model_get_n_items (threads), ==, 1);

  /* Another writer: a second thread, and a reply to the first. */
  second = gls_workspace_comment (fixture->workspace, gls_design_get_id (fixture->board), &point, "Two", &error);
  g_assert_no_error (error);
  reply = gls_workspace_reply (fixture->workspace, gls_annotation_get_id (first), "Re: one", &error);
  g_assert_no_error (error);

  /* Asked again (as `glossa list DESIGN` asks for reviews after threads):
   * not read twice, and yet current. */
  g_assert_true (gls_workspace_load_threads (partial, fixture->board, &error));
  g_assert_no_error (error);
  g_clear_object (&threads);
  threads = gls_workspace_get_threads (partial, gls_design_get_source (fixture->board));
  g_assert_cmpuint (g_list_model_get_n_items (threads), ==, 2);
  reviews = gls_workspace_list_reviews (partial, fixture->board, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reviews->len, ==, 0);
  {
    g_autoptr(GlsThread) thread = gls_workspace_find_thread (partial, gls_annotation_get_id (first));

    g_assert_nonnull (thread);
    g_assert_cmpuint (gls_thread_get_reply_count (thread), ==, 1);
  }
}

/* A fresh data dir is ready to use: one workspace, an identity only its
 * owner can read. */
static void
test_fresh_data_dir (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *key = g_build_filename (fixture->data_dir, "identity.key", NULL);
  g_autofree char *db = g_build_filename (fixture->data_dir, "workspaces", "default.sqlite", NULL);
  g_auto(GStrv) names = NULL;
  GStatBuf st;

  g_assert_cmpint (g_stat (key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_str_has_prefix (gls_identity_get_did (gls_workspace_get_identity (fixture->workspace)),
                                   "did:key:z6Mk"));

  names = gls_workspace_list_names (fixture->data_dir, NULL);
  g_assert_cmpstrv (names, ((const char *[]) { "default", NULL }));

  g_assert_false (gls_workspace_name_is_valid ("Bad Name"));
  g_assert_false (gls_workspace_name_is_valid ("1abc"));
  g_assert_true (gls_workspace_name_is_valid ("class-2026/board_v2"));
}

static void
test_add_design (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = test_sample_path ("board.png");
  g_autofree char *contents = NULL;
  g_autofree char *sha = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GlsDesign) again = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *designs;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  expected = g_bytes_new (contents, length);
  sha = gls_sha256_for_bytes (expected);

  g_assert_cmpstr (gls_design_get_name (fixture->board), ==, "board.png");
  g_assert_cmpstr (gls_design_get_media_type (fixture->board), ==, "image/png");
  g_assert_cmpuint (gls_design_get_size (fixture->board), ==, length);
  g_assert_cmpstr (gls_design_get_sha256 (fixture->board), ==, sha);
  g_assert_true (g_str_has_prefix (gls_design_get_source (fixture->board), "ni:///sha-256;"));
  g_assert_cmpint (gls_design_get_kind (fixture->board), ==, GLS_DESIGN_KIND_RASTER);

  /* The file itself is kept in the store, byte for byte. */
  stored = gls_workspace_load_design_file (fixture->workspace, gls_design_get_id (fixture->board), &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (stored, expected));

  /* The same file again is the same design. */
  again = test_workspace_add_sample (fixture->workspace, "board.png");
  g_assert_cmpstr (gls_design_get_id (again), ==, gls_design_get_id (fixture->board));

  designs = gls_workspace_get_designs (fixture->workspace);
  g_assert_cmpuint (g_list_model_get_n_items (designs), ==, 1);
}

static void
test_add_versions (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *v1 = g_build_filename (fixture->data_dir, "logo.svg", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (v1);
  g_autoptr(GlsDesign) first = NULL;
  g_autoptr(GlsDesign) second = NULL;
  g_autoptr(GlsDesign) third = NULL;
  g_autoptr(GlsDesign) pdf = NULL;
  const char *svg1 = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>";
  const char *svg2 = "<svg xmlns='http://www.w3.org/2000/svg' width='20' height='10'/>";

  g_assert_true (g_file_set_contents (v1, svg1, -1, NULL));
  first = gls_workspace_add_design (fixture->workspace, file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gls_design_get_kind (first), ==, GLS_DESIGN_KIND_SVG);
  g_assert_null (gls_design_get_based_on (first));

  /* A changed file of the same name is a new version of it. */
  g_assert_true (g_file_set_contents (v1, svg2, -1, NULL));
  second = gls_workspace_add_design (fixture->workspace, file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gls_design_get_based_on (second), ==, gls_design_get_id (first));
  g_assert_cmpstr (gls_design_get_source (second), !=, gls_design_get_source (first));

  /* --version-of links explicitly, whatever the name. */
  pdf = test_workspace_add_sample (fixture->workspace, "datasheet.pdf");
  third = gls_workspace_add_design (fixture->workspace,
                                    g_file_new_for_path (v1), "renamed.svg",
                                    gls_design_get_id (fixture->board), &error);
  g_assert_no_error (error);
  /* Same bytes as the second version: that design is returned as it is. */
  g_assert_cmpstr (gls_design_get_id (third), ==, gls_design_get_id (second));
  g_assert_cmpint (gls_design_get_kind (pdf), ==, GLS_DESIGN_KIND_PDF);
}

static void
test_unsupported_file (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->data_dir, "firmware.bin", NULL);
  g_autofree char *latin1_path = g_build_filename (fixture->data_dir, "notes.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) latin1 = g_file_new_for_path (latin1_path);
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/board.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsDesign) text = NULL;
  GlsDesign *design;
  gint64 seq = gls_store_get_update_seq (gls_workspace_get_store (fixture->workspace));

  g_assert_true (g_file_set_contents (path, "\x7f" "ELF\x02\x01\x01\x00\x00\xff\xfe", 12, NULL));
  design = gls_workspace_add_design (fixture->workspace, file, NULL, NULL, &error);
  g_assert_null (design);
  g_assert_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "firmware.bin"));
  g_clear_error (&error);

  /* A text file must be UTF-8: the line of the first bad byte. */
  g_assert_true (g_file_set_contents (latin1_path, "just some words\nand caf\xe9\n", -1, NULL));
  design = gls_workspace_add_design (fixture->workspace, latin1, NULL, NULL, &error);
  g_assert_null (design);
  g_assert_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "notes.txt"));
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_clear_error (&error);

  design = gls_workspace_add_design (fixture->workspace, missing, NULL, NULL, &error);
  g_assert_null (design);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpint (gls_store_get_update_seq (gls_workspace_get_store (fixture->workspace)), ==, seq);

  /* Once it is, it is a text design. */
  g_assert_true (g_file_set_contents (latin1_path, "just some words\nand café\n", -1, NULL));
  text = gls_workspace_add_design (fixture->workspace, latin1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gls_design_get_kind (text), ==, GLS_DESIGN_KIND_TEXT);
}

static void
test_thread_lifecycle (Fixture       *fixture,
                       gconstpointer  data)
{
  GlsWorkspace *ws = fixture->workspace;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) threads = gls_workspace_get_threads (ws, gls_design_get_source (fixture->board));
  g_autoptr(GlsAnnotation) root = NULL;
  g_autoptr(GlsAnnotation) region = NULL;
  g_autoptr(GlsAnnotation) reply = NULL;
  g_autoptr(GlsAnnotation) edit = NULL;
  g_autoptr(GlsAnnotation) resolve = NULL;
  g_autoptr(GlsAnnotation) reopen = NULL;
  g_autoptr(GlsThread) thread = NULL;
  g_autoptr(GlsComment) comment = NULL;
  GlsSelector point = { GLS_SELECTOR_POINT, 0, 120, 80, 0, 0 };
  GlsSelector rect = { GLS_SELECTOR_RECT, 0, 10, 20, 30, 40 };

  g_assert_cmpuint (g_list_model_get_n_items (threads), ==, 0);

  root = gls_workspace_comment (ws, gls_design_get_id (fixture->board), &point, "Is this LED reversed?", &error);
  g_assert_no_error (error);
  region = gls_workspace_comment (ws, gls_design_get_id (fixture->board), &rect, "Silkscreen overlaps the pad", &error);
  g_assert_no_error (error);

  /* The model follows the store without anyone asking. */
  g_assert_cmpuint (g_list_model_get_n_items (threads), ==, 2);
  thread = thread_at (threads, 0);
  g_assert_cmpuint (gls_thread_get_number (thread), ==, 1);
  g_assert_cmpstr (gls_thread_get_text (thread), ==, "Is this LED reversed?");
  g_assert_true (gls_selector_equal (gls_thread_get_selector (thread), &point));
  g_assert_false (gls_thread_get_resolved (thread));
  g_clear_object (&thread);

  thread = thread_at (threads, 1);
  g_assert_true (gls_selector_equal (gls_thread_get_selector (thread), &rect));
  g_clear_object (&thread);

  /* A prefix of the uuid finds the annotation. */
  reply = gls_workspace_reply (ws, gls_annotation_get_id (root) + strlen ("urn:uuid:"), "Yes, flip D1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gls_annotation_get_target_id (reply), ==, gls_annotation_get_id (root));

  edit = gls_workspace_edit (ws, gls_annotation_get_id (root), "Is D1 reversed?", &error);
  g_assert_no_error (error);

  resolve = gls_workspace_set_resolved (ws, gls_annotation_get_id (reply), TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gls_annotation_get_target_id (resolve), ==, gls_annotation_get_id (root));

  thread = thread_at (threads, 0);
  g_assert_cmpstr (gls_thread_get_text (thread), ==, "Is D1 reversed?");
  g_assert_cmpuint (gls_thread_get_reply_count (thread), ==, 1);
  g_assert_true (gls_thread_get_resolved (thread));
  comment = g_list_model_get_item (gls_thread_get_comments (thread), 0);
  g_assert_true (gls_comment_get_edited (comment));
  g_clear_object (&comment);
  g_clear_object (&thread);

  reopen = gls_workspace_set_resolved (ws, gls_annotation_get_id (root), FALSE, &error);
  g_assert_no_error (error);
  thread = thread_at (threads, 0);
  g_assert_false (gls_thread_get_resolved (thread));
  g_clear_object (&thread);

  /* Deleting the reply takes it out of the thread. */
  g_assert_true (gls_workspace_delete (ws, gls_annotation_get_id (reply), &error));
  g_assert_no_error (error);
  thread = thread_at (threads, 0);
  g_assert_cmpuint (gls_thread_get_reply_count (thread), ==, 0);
  g_clear_object (&thread);

  /* Deleting the region's root removes its thread. */
  g_assert_true (gls_workspace_delete (ws, gls_annotation_get_id (region), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (threads), ==, 1);

  g_assert_null (gls_workspace_find_annotation (ws, gls_annotation_get_id (region), &error));
  g_assert_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_NOT_FOUND);
}

/* Only the author edits or deletes; anyone may reply and resolve. */
static void
test_someone_elses_words (Fixture       *fixture,
                          gconstpointer  data)
{
  GlsWorkspace *ws = fixture->workspace;
  g_autoptr(GlsIdentity) other = gls_identity_new_random ();
  g_autoptr(GlsAnnotation) theirs = NULL;
  g_autoptr(GlsAnnotation) resolve = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = NULL;
  GlsSelector point = { GLS_SELECTOR_POINT, 0, 1, 2, 0, 0 };
  gint64 seq;

  theirs = gls_annotation_new_comment (gls_design_get_source (fixture->board), &point, "Theirs",
                                       gls_identity_get_did (other), "Ben",
                                       "https://creativecommons.org/licenses/by/4.0/",
                                       "2026-11-23T10:00:00.000000Z");
  doc = gls_annotation_to_json (theirs);
  rev = gls_store_put (gls_workspace_get_store (ws), doc, &error);
  g_assert_no_error (error);

  seq = gls_store_get_update_seq (gls_workspace_get_store (ws));
  g_assert_null (gls_workspace_edit (ws, gls_annotation_get_id (theirs), "Mine now", &error));
  g_assert_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (gls_workspace_delete (ws, gls_annotation_get_id (theirs), &error));
  g_assert_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_cmpint (gls_store_get_update_seq (gls_workspace_get_store (ws)), ==, seq);

  resolve = gls_workspace_set_resolved (ws, gls_annotation_get_id (theirs), TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (resolve);
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  GlsWorkspace *ws = fixture->workspace;
  g_autoptr(GError) error = NULL;
  GlsSelector paged = { GLS_SELECTOR_POINT, 2, 1, 1, 0, 0 };

  g_assert_null (gls_workspace_comment (ws, gls_design_get_id (fixture->board), NULL, "   \n", &error));
  g_assert_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (gls_workspace_comment (ws, "no-such-design", NULL, "Hello", &error));
  g_assert_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (gls_workspace_comment (ws, gls_design_get_id (fixture->board), &paged, "Page 2", &error));
  g_assert_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (gls_workspace_open (fixture->data_dir, "Not Valid", &error));
  g_assert_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID);
}

static void
test_ambiguous_prefix (Fixture       *fixture,
                       gconstpointer  data)
{
  GlsWorkspace *ws = fixture->workspace;
  g_autoptr(GError) error = NULL;
  guint made = 0;

  /* With enough comments, some two share their first hex digit. */
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(GlsAnnotation) a = gls_workspace_comment (ws, gls_design_get_id (fixture->board), NULL, "x", &error);
      g_assert_no_error (error);
      made++;
    }

  for (const char *digit = "0123456789abcdef"; *digit != '\0'; digit++)
    {
      char prefix[2] = { *digit, '\0' };
      g_autoptr(GlsAnnotation) found = gls_workspace_find_annotation (ws, prefix, &error);

      if (found == NULL && g_error_matches (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_AMBIGUOUS))
        return;
      g_clear_error (&error);
    }

  g_assert_not_reached ();
}

typedef struct
{
  GListModel *model;
  guint       want;
} CountData;

static gboolean
model_has_count (gpointer data)
{
  CountData *count = data;

  return g_list_model_get_n_items (count->model) == count->want;
}

/* Whoever writes, the model follows: here a second handle, as the command
 * line in another process would be. */
static void
test_other_writer (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) threads = gls_workspace_get_threads (fixture->workspace,
                                                             gls_design_get_source (fixture->board));
  g_autoptr(GlsWorkspace) other = gls_workspace_open (fixture->data_dir, NULL, &error);
  g_autoptr(GlsAnnotation) comment = NULL;
  CountData count = { threads, 1 };

  g_assert_no_error (error);
  comment = gls_workspace_comment (other, gls_design_get_id (fixture->board), NULL, "From elsewhere", &error);
  g_assert_no_error (error);

  g_assert_true (test_wait_until (model_has_count, &count, 10));
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

typedef struct
{
  GListModel *shown;
  GListModel *counted;
  gboolean    counted_empty_when_shown;
  gboolean    seen;
} Order;

static void
shown_filled_cb (GListModel *model,
                 guint       position,
                 guint       removed,
                 guint       added,
                 Order      *order)
{
  if (!order->seen && g_list_model_get_n_items (model) > 0)
    {
      order->seen = TRUE;
      order->counted_empty_when_shown = g_list_model_get_n_items (order->counted) == 0;
    }
}

static gboolean
both_filled (gpointer data)
{
  Order *order = data;

  return g_list_model_get_n_items (order->shown) > 0 && g_list_model_get_n_items (order->counted) > 0;
}

/* A lazy workspace reads one design's threads at a time: those a window
 * shows before those it only counts, even when the count asked first. */
static void
test_lazy_order (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsDesign) svg = test_workspace_add_sample (fixture->workspace, "board.svg");
  g_autoptr(GlsDesign) jpg = test_workspace_add_sample (fixture->workspace, "datasheet.pdf");
  GlsDesign *designs[3] = { fixture->board, svg, jpg };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GlsWorkspace) lazy = NULL;
  g_autoptr(GListModel) first = NULL;
  Order order = { 0 };

  for (guint i = 0; i < 3; i++)
    g_object_unref (gls_workspace_comment (fixture->workspace, gls_design_get_id (designs[i]), NULL, "Hi", &error));
  g_assert_no_error (error);

  gls_workspace_open_lazy_async (fixture->data_dir, NULL, NULL, opened_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  lazy = gls_workspace_open_finish (result, &error);
  g_assert_no_error (error);

  /* The first starts at once; then one is shown, and a count asked for
   * after it waits behind it. */
  first = gls_workspace_get_threads_later (lazy, gls_design_get_source (designs[0]));
  order.shown = gls_workspace_get_threads (lazy, gls_design_get_source (designs[2]));
  order.counted = gls_workspace_get_threads_later (lazy, gls_design_get_source (designs[1]));
  g_signal_connect (order.shown, "items-changed", G_CALLBACK (shown_filled_cb), &order);
  g_assert_true (test_wait_until (both_filled, &order, 10));
  g_assert_true (order.seen);
  g_assert_true (order.counted_empty_when_shown);
  g_signal_handlers_disconnect_by_data (order.shown, &order);
  g_clear_object (&order.shown);
  g_clear_object (&order.counted);
}

/* A window's workspace reads designs and people when it opens, a
 * design's threads when a model first shows them (in a worker: the model
 * fills after), what others write from then on, and the rest before an
 * import, which must know what is there already. */
static void
test_lazy (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsDesign) svg = test_workspace_add_sample (fixture->workspace, "board.svg");
  g_autoptr(GlsAnnotation) on_png = NULL;
  g_autoptr(GlsAnnotation) on_svg = NULL;
  g_autoptr(GlsAnnotation) reply = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GlsWorkspace) lazy = NULL;
  g_autoptr(GlsWorkspace) other = NULL;
  g_autoptr(GListModel) png_threads = NULL;
  g_autoptr(GListModel) svg_threads = NULL;
  g_autoptr(GlsAnnotation) unshown = NULL;
  g_autoptr(GlsAnnotation) found = NULL;
  g_autoptr(JsonNode) exported = NULL;
  CountData count;

  on_png = gls_workspace_comment (fixture->workspace, gls_design_get_id (fixture->board), NULL,
                                  "On the PNG", &error);
  g_assert_no_error (error);
  reply = gls_workspace_reply (fixture->workspace, gls_annotation_get_id (on_png), "Agreed", &error);
  g_assert_no_error (error);
  on_svg = gls_workspace_comment (fixture->workspace, gls_design_get_id (svg), NULL, "On the SVG", &error);
  g_assert_no_error (error);
  exported = gls_workspace_export (fixture->workspace, &error);
  g_assert_no_error (error);

  gls_workspace_open_lazy_async (fixture->data_dir, NULL, NULL, opened_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  lazy = gls_workspace_open_finish (result, &error);
  g_assert_no_error (error);

  /* Both designs; no comment read yet. */
  g_assert_cmpuint (g_list_model_get_n_items (gls_workspace_get_designs (lazy)), ==, 2);
  found = gls_workspace_find_annotation (lazy, gls_annotation_get_id (on_png), NULL);
  g_assert_null (found);

  /* Shown: the PNG's thread, with its reply; not the SVG's. */
  png_threads = gls_workspace_get_threads (lazy, gls_design_get_source (fixture->board));
  count = (CountData) { png_threads, 1 };
  g_assert_true (test_wait_until (model_has_count, &count, 10));
  {
    g_autoptr(GlsThread) thread = thread_at (png_threads, 0);

    g_assert_cmpuint (g_list_model_get_n_items (gls_thread_get_comments (thread)), ==, 2);
  }
  found = gls_workspace_find_annotation (lazy, gls_annotation_get_id (on_svg), NULL);
  g_assert_null (found);

  /* It follows what another process writes on what it shows, and
   * leaves the rest for when it is shown. */
  other = gls_workspace_open (fixture->data_dir, NULL, &error);
  g_assert_no_error (error);
  unshown = gls_workspace_comment (other, gls_design_get_id (svg), NULL, "Not shown yet", &error);
  g_assert_no_error (error);
  g_clear_object (&on_png);
  on_png = gls_workspace_comment (other, gls_design_get_id (fixture->board), NULL, "Another", &error);
  g_assert_no_error (error);
  count.want = 2;
  g_assert_true (test_wait_until (model_has_count, &count, 10));
  found = gls_workspace_find_annotation (lazy, gls_annotation_get_id (unshown), NULL);
  g_assert_null (found);
  svg_threads = gls_workspace_get_threads (lazy, gls_design_get_source (svg));
  count = (CountData) { svg_threads, 2 };
  g_assert_true (test_wait_until (model_has_count, &count, 10));

  /* An import of what is there already adds nothing. */
  g_assert_cmpint (gls_workspace_import (lazy, exported, NULL, &error), ==, 0);
  g_assert_no_error (error);
  found = gls_workspace_find_annotation (lazy, gls_annotation_get_id (on_svg), &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
}

/* A deleted root with a live reply keeps its place and number in a
 * window's workspace too: its tombstone is found through the index. */
static void
test_lazy_deleted_root (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsAnnotation) first = NULL;
  g_autoptr(GlsAnnotation) second = NULL;
  g_autoptr(GlsAnnotation) reply = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GlsWorkspace) lazy = NULL;
  g_autoptr(GListModel) threads = NULL;
  CountData count;

  first = gls_workspace_comment (fixture->workspace, gls_design_get_id (fixture->board), NULL, "One", &error);
  g_assert_no_error (error);
  second = gls_workspace_comment (fixture->workspace, gls_design_get_id (fixture->board), NULL, "Two", &error);
  g_assert_no_error (error);
  reply = gls_workspace_reply (fixture->workspace, gls_annotation_get_id (second), "An answer", &error);
  g_assert_no_error (error);
  g_assert_true (gls_workspace_delete (fixture->workspace, gls_annotation_get_id (second), &error));
  g_assert_no_error (error);

  gls_workspace_open_lazy_async (fixture->data_dir, NULL, NULL, opened_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  lazy = gls_workspace_open_finish (result, &error);
  g_assert_no_error (error);
  threads = gls_workspace_get_threads (lazy, gls_design_get_source (fixture->board));
  count = (CountData) { threads, 2 };
  g_assert_true (test_wait_until (model_has_count, &count, 10));
  {
    g_autoptr(GlsThread) placeholder = thread_at (threads, 1);

    g_assert_cmpuint (gls_thread_get_number (placeholder), ==, 2);
    g_assert_true (gls_thread_get_placeholder (placeholder));
    g_assert_cmpuint (g_list_model_get_n_items (gls_thread_get_comments (placeholder)), >=, 1);
  }
}

static void
comment_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GlsAnnotation **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = gls_workspace_annotate_finish (GLS_WORKSPACE (object), result, &error);
  g_assert_no_error (error);
}

static gboolean
pointer_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GListModel) threads = gls_workspace_get_threads (fixture->workspace,
                                                             gls_design_get_source (fixture->board));
  g_autoptr(GlsAnnotation) comment = NULL;
  GlsSelector point = { GLS_SELECTOR_POINT, 0, 5, 6, 0, 0 };
  CountData count = { threads, 1 };

  gls_workspace_comment_async (fixture->workspace, gls_design_get_id (fixture->board), &point,
                               "Async", NULL, comment_done_cb, &comment);
  g_assert_true (test_wait_until (pointer_set, &comment, 10));
  g_assert_true (test_wait_until (model_has_count, &count, 10));
  g_assert_cmpstr (gls_annotation_get_text (comment), ==, "Async");
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

static void
test_export_import (Fixture       *fixture,
                    gconstpointer  data)
{
  GlsWorkspace *ws = fixture->workspace;
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsAnnotation) root = NULL;
  g_autoptr(GlsAnnotation) reply = NULL;
  g_autoptr(JsonNode) exported = NULL;
  g_autoptr(GlsWorkspace) second = NULL;
  g_autoptr(GlsDesign) board2 = NULL;
  g_autoptr(GListModel) threads = NULL;
  g_autofree char *second_dir = NULL;
  GlsSelector rect = { GLS_SELECTOR_RECT, 0, 10, 20, 30, 40 };
  gint added;

  root = gls_workspace_comment (ws, gls_design_get_id (fixture->board), &rect, "Region", &error);
  reply = gls_workspace_reply (ws, gls_annotation_get_id (root), "Answer", &error);
  g_assert_no_error (error);

  exported = gls_workspace_export (ws, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (exported), "type"), ==,
                   "AnnotationCollection");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (exported), "total"), ==, 2);

  /* Another person's Glossa reads it back: same threads. */
  second_dir = g_dir_make_tmp ("glossa-import-XXXXXX", NULL);
  second = gls_workspace_open (second_dir, NULL, &error);
  g_assert_no_error (error);
  board2 = test_workspace_add_sample (second, "board.png");
  added = gls_workspace_import (second, exported, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (added, ==, 2);
  threads = gls_workspace_get_threads (second, gls_design_get_source (board2));
  g_assert_cmpuint (g_list_model_get_n_items (threads), ==, 1);
  {
    g_autoptr(GlsThread) thread = thread_at (threads, 0);
    g_assert_cmpuint (gls_thread_get_reply_count (thread), ==, 1);
    g_assert_true (gls_selector_equal (gls_thread_get_selector (thread), &rect));
  }

  /* Importing twice adds nothing. */
  added = gls_workspace_import (second, exported, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (added, ==, 0);

  g_clear_object (&second);
  test_rm_rf (second_dir);
}

/* Annotations written by another tool: a region on an image named by URL,
 * and a reply targeting it by id. */
static void
test_import_foreign (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = parse (
    "[{\"@context\": \"http://www.w3.org/ns/anno.jsonld\","
    "  \"id\": \"http://example.org/anno/1\", \"type\": \"Annotation\","
    "  \"motivation\": \"commenting\","
    "  \"created\": \"2026-01-02T03:04:05Z\","
    "  \"creator\": {\"id\": \"http://example.org/user/ana\", \"name\": \"Ana\"},"
    "  \"body\": {\"type\": \"TextualBody\", \"value\": \"Check this connector\"},"
    "  \"target\": {\"source\": \"http://example.org/images/board.png\","
    "    \"selector\": {\"type\": \"FragmentSelector\","
    "      \"conformsTo\": \"http://www.w3.org/TR/media-frags/\", \"value\": \"xywh=pixel:100,50,20,10\"}}},"
    " {\"@context\": \"http://www.w3.org/ns/anno.jsonld\","
    "  \"id\": \"http://example.org/anno/2\", \"type\": \"Annotation\","
    "  \"motivation\": \"replying\", \"created\": \"2026-01-02T04:00:00Z\","
    "  \"creator\": \"http://example.org/user/ben\","
    "  \"body\": {\"type\": \"TextualBody\", \"value\": \"Agreed\"},"
    "  \"target\": \"http://example.org/anno/1\"}]");
  g_autoptr(GListModel) threads = gls_workspace_get_threads (fixture->workspace,
                                                             gls_design_get_source (fixture->board));
  g_autoptr(GlsThread) thread = NULL;
  GlsSelector expected = { GLS_SELECTOR_RECT, 0, 100, 50, 20, 10 };
  gint added;

  added = gls_workspace_import (fixture->workspace, root, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (added, ==, 2);

  g_assert_cmpuint (g_list_model_get_n_items (threads), ==, 1);
  thread = thread_at (threads, 0);
  g_assert_cmpstr (gls_thread_get_text (thread), ==, "Check this connector");
  g_assert_cmpuint (gls_thread_get_reply_count (thread), ==, 1);
  g_assert_true (gls_selector_equal (gls_thread_get_selector (thread), &expected));
}

/* One bad annotation and nothing at all is written. */
static void
test_import_all_or_nothing (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup_printf (
    "{\"type\": \"AnnotationCollection\", \"first\": {\"type\": \"AnnotationPage\", \"items\": ["
    " {\"id\": \"urn:uuid:0b7a3c1e-1111-4a4a-9b9b-000000000001\", \"type\": \"Annotation\","
    "  \"motivation\": \"commenting\", \"created\": \"2026-01-02T03:04:05Z\","
    "  \"creator\": \"http://example.org/user/ana\","
    "  \"body\": {\"type\": \"TextualBody\", \"value\": \"fine\"},"
    "  \"target\": {\"source\": \"%s\"}},"
    " {\"id\": \"urn:uuid:0b7a3c1e-1111-4a4a-9b9b-000000000002\", \"type\": \"Annotation\","
    "  \"motivation\": \"commenting\", \"created\": \"2026-01-02T03:04:05Z\","
    "  \"creator\": \"http://example.org/user/ana\","
    "  \"body\": {\"type\": \"TextualBody\", \"value\": \"bad region\"},"
    "  \"target\": {\"source\": \"%s\", \"selector\": {\"type\": \"FragmentSelector\","
    "    \"value\": \"xywh=ten,20,30,40\"}}}]}}",
    gls_design_get_source (fixture->board), gls_design_get_source (fixture->board));
  g_autoptr(JsonNode) root = parse (json);
  GlsStore *store = gls_workspace_get_store (fixture->workspace);
  gint64 seq = gls_store_get_update_seq (store);

  g_assert_cmpint (gls_workspace_import (fixture->workspace, root, NULL, &error), ==, -1);
  g_assert_nonnull (error);
  g_test_message ("import refused: %s", error->message);
  /* The message names the annotation and the field. */
  g_assert_nonnull (strstr (error->message, "000000000002"));
  g_assert_nonnull (strstr (error->message, "selector"));
  g_assert_cmpint (gls_store_get_update_seq (store), ==, seq);
}

/* The sample comments that --sample opens belong to the sample board as it
 * is: changing board.svg means making them anew. */
static void
test_sample_comments (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = test_sample_path ("board-comments.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GlsDesign) board = test_workspace_add_sample (fixture->workspace, "board.svg");
  g_autoptr(GListModel) threads = gls_workspace_get_threads (fixture->workspace,
                                                             gls_design_get_source (board));
  g_autoptr(GError) error = NULL;
  guint resolved = 0;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gls_workspace_import (fixture->workspace, json_parser_get_root (parser), NULL, &error), ==, 7);
  g_assert_no_error (error);

  g_assert_cmpuint (g_list_model_get_n_items (threads), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(GlsThread) thread = thread_at (threads, i);
      resolved += gls_thread_get_resolved (thread);
    }
  g_assert_cmpuint (resolved, ==, 1);
}


/* Someone else's profile, signed, as a peer brings it. */
static char *
add_person (GlsWorkspace *workspace,
            const char   *name)
{
  g_autoptr(GlsIdentity) other = gls_identity_new_random ();
  g_autoptr(GlsPerson) person = gls_person_new (gls_identity_get_did (other), name, NULL, "2026-12-01T10:00:00Z");
  g_autoptr(JsonObject) doc = gls_person_to_json (person);
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = NULL;

  g_assert_true (gls_proof_sign (doc, other, NULL, &error));
  rev = gls_store_put (gls_workspace_get_store (workspace), doc, &error);
  g_assert_no_error (error);
  g_assert_true (gls_workspace_refresh (workspace, &error));
  g_assert_no_error (error);
  return g_strdup (gls_identity_get_did (other));
}

/* "@Name" of a known person mentions them: the longest name that fits,
 * whole; an e-mail address or an unknown name mentions nobody. The
 * mentions travel in the document and the thread knows them. */
static void
test_mentions (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *ada = add_person (fixture->workspace, "Ada");
  g_autofree char *ada_l = add_person (fixture->workspace, "Ada Lovelace");
  g_autofree char *ben = add_person (fixture->workspace, "Bén");
  g_autoptr(GPtrArray) people = gls_workspace_list_people (fixture->workspace);
  g_autoptr(GlsAnnotation) root = NULL;
  g_autoptr(GlsAnnotation) reply = NULL;
  g_autoptr(GlsThread) thread = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) none = NULL;
  g_auto(GStrv) found = NULL;
  GlsSelector point = { GLS_SELECTOR_POINT, 0, 5, 5, 0, 0 };
  GListModel *threads;

  g_assert_cmpuint (people->len, >=, 3);
  found = gls_workspace_find_mentions (fixture->workspace, "@Ada Lovelace and @Bén, not @Adam or ada@Bén.org");
  g_assert_nonnull (found);
  g_assert_cmpuint (g_strv_length (found), ==, 2);
  g_assert_cmpstr (found[0], ==, ada_l);
  g_assert_cmpstr (found[1], ==, ben);
  none = gls_workspace_find_mentions (fixture->workspace, "mail ada@example.org, @Adam");
  g_assert_null (none);

  root = gls_workspace_comment (fixture->workspace, gls_design_get_id (fixture->board), &point,
                                "@Ada can you check R3?", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gls_annotation_get_mentions (root)[0], ==, ada);
  reply = gls_workspace_reply (fixture->workspace, gls_annotation_get_id (root), "Asking @Bén too", &error);
  g_assert_no_error (error);

  threads = gls_workspace_get_threads (fixture->workspace, gls_design_get_source (fixture->board));
  thread = thread_at (threads, 0);
  g_assert_true (gls_thread_mentions (thread, ada));
  g_assert_true (gls_thread_mentions (thread, ben));
  g_assert_false (gls_thread_mentions (thread, ada_l));
  g_assert_true (gls_thread_involves (thread, ben));
  g_assert_true (gls_thread_involves (thread, gls_identity_get_did (gls_workspace_get_identity (fixture->workspace))));

  /* Edited words mention whom they name now. */
  g_clear_object (&reply);
  reply = gls_workspace_edit (fixture->workspace, gls_annotation_get_id (root), "@Ada Lovelace can you check R3?",
                              &error);
  g_assert_no_error (error);
  g_clear_object (&thread);
  thread = thread_at (threads, 0);
  g_assert_true (gls_thread_mentions (thread, ada_l));
  g_assert_false (gls_thread_mentions (thread, ada));

  /* Verified like everything else. */
  {
    g_autoptr(JsonObject) report = gls_workspace_verify (fixture->workspace, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "failed")), ==, 0);
  }
}


/* A reply by someone else, signed with their key, written into the
 * store as a peer's sync does. */
static char *
foreign_reply (GlsWorkspace *workspace,
               GlsIdentity  *other,
               const char   *root_id,
               const char   *text)
{
  g_autoptr(GlsHlc) hlc = gls_hlc_new ();
  g_autofree char *created = NULL;
  g_autoptr(GlsAnnotation) reply = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = NULL;

  /* Later than anything here: a clock a little ahead. */
  g_usleep (2000);
  created = gls_hlc_now (hlc);
  reply = gls_annotation_new_reply (root_id, text, gls_identity_get_did (other), "Ada", NULL, created);
  doc = gls_annotation_to_json (reply);
  g_assert_true (gls_proof_sign (doc, other, NULL, &error));
  rev = gls_store_put (gls_workspace_get_store (workspace), doc, &error);
  g_assert_no_error (error);
  return g_strdup (gls_annotation_get_id (reply));
}

typedef struct
{
  GPtrArray *arrived;
  GPtrArray *seen;
} Activity;

static void
activity_cb (GlsWorkspace *workspace,
             GPtrArray    *annotations,
             Activity     *activity)
{
  for (guint i = 0; i < annotations->len; i++)
    g_ptr_array_add (activity->arrived, g_strdup (gls_annotation_get_id (g_ptr_array_index (annotations, i))));
}

static void
seen_changed_cb (GlsWorkspace *workspace,
                 const char   *root_id,
                 Activity     *activity)
{
  g_ptr_array_add (activity->seen, g_strdup (root_id));
}

static gboolean
has_arrived (gpointer data)
{
  return ((Activity *) data)->arrived->len > 0;
}

static gboolean
seen_kept (gpointer data)
{
  GlsWorkspace *workspace = data;
  g_autoptr(JsonObject) doc = gls_store_get_local (gls_workspace_get_store (workspace), "glossa-seen", NULL);

  return doc != NULL && json_object_get_size (json_object_get_object_member (doc, "threads")) > 0;
}

/* Unread: someone else's activity since I last looked; mine is not news.
 * What I saw is kept on this computer, across opens; what others write
 * arrives as "activity". */
static void
test_unread (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GlsIdentity) ada = gls_identity_new_random ();
  g_autoptr(GlsAnnotation) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reply_id = NULL;
  g_autofree char *second_id = NULL;
  g_autoptr(GlsThread) thread = NULL;
  Activity activity = { g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free) };
  GListModel *threads;
  GlsSelector point = { GLS_SELECTOR_POINT, 0, 5, 5, 0, 0 };

  g_signal_connect (fixture->workspace, "activity", G_CALLBACK (activity_cb), &activity);
  g_signal_connect (fixture->workspace, "seen-changed", G_CALLBACK (seen_changed_cb), &activity);
  threads = gls_workspace_get_threads (fixture->workspace, gls_design_get_source (fixture->board));

  root = gls_workspace_comment (fixture->workspace, gls_design_get_id (fixture->board), &point, "Mine", &error);
  g_assert_no_error (error);
  thread = thread_at (threads, 0);
  g_assert_false (gls_workspace_thread_is_unread (fixture->workspace, thread));
  g_assert_cmpuint (gls_workspace_count_unread (fixture->workspace, threads), ==, 0);

  /* Ada answers, through the store: it arrives, and the thread is unread. */
  reply_id = foreign_reply (fixture->workspace, ada, gls_annotation_get_id (root), "Ada's answer");
  g_assert_true (test_wait_until (has_arrived, &activity, 10));
  g_assert_cmpuint (activity.arrived->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (activity.arrived, 0), ==, reply_id);
  g_clear_object (&thread);
  thread = thread_at (threads, 0);
  g_assert_cmpuint (gls_thread_get_reply_count (thread), ==, 1);
  g_assert_true (gls_workspace_thread_is_unread (fixture->workspace, thread));
  g_assert_cmpuint (gls_workspace_count_unread (fixture->workspace, threads), ==, 1);

  gls_workspace_mark_seen (fixture->workspace, thread);
  g_assert_false (gls_workspace_thread_is_unread (fixture->workspace, thread));
  g_assert_cmpuint (activity.seen->len, ==, 1);
  g_assert_true (test_wait_until (seen_kept, fixture->workspace, 10));

  /* Opened again: still seen; a new answer makes it unread again. */
  g_signal_handlers_disconnect_by_data (fixture->workspace, &activity);
  g_clear_object (&thread);
  g_clear_object (&fixture->workspace);
  fixture->workspace = gls_workspace_open (fixture->data_dir, NULL, &error);
  g_assert_no_error (error);
  threads = gls_workspace_get_threads (fixture->workspace, gls_design_get_source (fixture->board));
  thread = thread_at (threads, 0);
  g_assert_false (gls_workspace_thread_is_unread (fixture->workspace, thread));

  second_id = foreign_reply (fixture->workspace, ada, gls_annotation_get_id (root), "One more thing");
  g_assert_true (gls_workspace_refresh (fixture->workspace, &error));
  g_clear_object (&thread);
  thread = thread_at (threads, 0);
  g_assert_true (gls_workspace_thread_is_unread (fixture->workspace, thread));

  /* A damaged record of what was seen loses nothing but itself. */
  {
    g_autoptr(JsonObject) junk = json_object_new ();
    g_autoptr(JsonObject) old = gls_store_get_local (gls_workspace_get_store (fixture->workspace), "glossa-seen", NULL);
    g_autofree char *rev = NULL;

    json_object_set_string_member (junk, "_rev", json_object_get_string_member (old, "_rev"));
    json_object_set_int_member (junk, "since", 7);
    json_object_set_string_member (junk, "threads", "everything");
    rev = gls_store_put_local (gls_workspace_get_store (fixture->workspace), "glossa-seen", junk, &error);
    g_assert_no_error (error);
    g_clear_object (&thread);
    g_clear_object (&fixture->workspace);
    fixture->workspace = gls_workspace_open (fixture->data_dir, NULL, &error);
    g_assert_no_error (error);
    threads = gls_workspace_get_threads (fixture->workspace, gls_design_get_source (fixture->board));
    thread = thread_at (threads, 0);
    /* Started again from now: the old answers count as seen. */
    g_assert_false (gls_workspace_thread_is_unread (fixture->workspace, thread));
  }

  g_ptr_array_unref (activity.arrived);
  g_ptr_array_unref (activity.seen);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/workspace/fresh-data-dir", test_fresh_data_dir);
  ADD ("/workspace/design/add", test_add_design);
  ADD ("/workspace/design/versions", test_add_versions);
  ADD ("/workspace/design/unsupported", test_unsupported_file);
  ADD ("/workspace/thread/lifecycle", test_thread_lifecycle);
  ADD ("/workspace/thread/someone-elses-words", test_someone_elses_words);
  ADD ("/workspace/thread/bad-input", test_bad_input);
  ADD ("/workspace/thread/ambiguous-prefix", test_ambiguous_prefix);
  ADD ("/workspace/thread/mentions", test_mentions);
  ADD ("/workspace/model/other-writer", test_other_writer);
  ADD ("/workspace/model/async", test_async);
  ADD ("/workspace/model/unread", test_unread);
  ADD ("/workspace/model/lazy", test_lazy);
  ADD ("/workspace/model/lazy-order", test_lazy_order);
  ADD ("/workspace/model/partial-stays-current", test_partial_stays_current);
  ADD ("/workspace/model/buckets-any-order", test_buckets_any_order);
  ADD ("/workspace/model/buckets-hostile", test_buckets_hostile);
  ADD ("/workspace/model/lazy-deleted-root", test_lazy_deleted_root);
  ADD ("/workspace/w3c/export-import", test_export_import);
  ADD ("/workspace/w3c/import-foreign", test_import_foreign);
  ADD ("/workspace/w3c/import-all-or-nothing", test_import_all_or_nothing);
  ADD ("/workspace/w3c/sample-comments", test_sample_comments);
#undef ADD

  return g_test_run ();
}
