/* test-remove-design.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gls-replicator.h"
#include "gls-workspace.h"
#include "test-util.h"

/* Ana and Ben, each with a data dir of their own (their own keys), and
 * a design each, replicated both ways so each holds both. */
typedef struct
{
  char         *ana_dir;
  char         *ben_dir;
  GlsWorkspace *ana;
  GlsWorkspace *ben;
  GlsDesign    *anas;   /* board.png, Ana's */
  GlsDesign    *bens;   /* datasheet.pdf, Ben's */
} Fixture;

static void
replicate (GlsWorkspace *from,
           GlsWorkspace *to)
{
  g_autoptr(GlsReplicator) repl = gls_replicator_new_local (gls_workspace_get_store (from),
                                                            gls_workspace_get_store (to));
  g_autoptr(GError) error = NULL;

  g_assert_true (test_replicator_run (repl, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (gls_workspace_refresh (to, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->ana_dir = test_data_dir_new ("glossa-remove-ana-XXXXXX");
  f->ben_dir = test_data_dir_new ("glossa-remove-ben-XXXXXX");
  f->ana = test_workspace_open (f->ana_dir, NULL);
  f->ben = test_workspace_open (f->ben_dir, NULL);
  f->anas = test_workspace_add_sample (f->ana, "board.png");
  f->bens = test_workspace_add_sample (f->ben, "datasheet.pdf");
  replicate (f->ana, f->ben);
  replicate (f->ben, f->ana);
  g_assert_cmpuint (g_list_model_get_n_items (gls_workspace_get_designs (f->ana)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (gls_workspace_get_designs (f->ben)), ==, 2);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->anas);
  g_clear_object (&f->bens);
  g_clear_object (&f->ana);
  g_clear_object (&f->ben);
  test_data_dir_free (f->ana_dir);
  test_data_dir_free (f->ben_dir);
}

static gboolean
model_has (GListModel *designs,
           GlsDesign  *design)
{
  for (guint i = 0; i < g_list_model_get_n_items (designs); i++)
    {
      g_autoptr(GlsDesign) item = g_list_model_get_item (designs, i);

      if (g_strcmp0 (gls_design_get_id (item), gls_design_get_id (design)) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The author removes: a deletion she signed, which syncs, and the
 * comments stay in the store (adding the file again shows them). */
static void
test_author_deletes (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsDesignRemoval) removal = NULL;
  g_autoptr(GlsAnnotation) comment = NULL;
  g_autoptr(GlsDesign) again = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  GlsSelector point = { .kind = GLS_SELECTOR_POINT, .x = 10, .y = 10 };

  comment = gls_workspace_comment (f->ana, gls_design_get_id (f->anas), &point, "The LED is too close", &error);
  g_assert_no_error (error);
  replicate (f->ana, f->ben);

  g_assert_true (gls_workspace_is_own_design (f->ana, f->anas));
  g_assert_false (gls_workspace_is_own_design (f->ben, f->anas));
  removal = gls_workspace_remove_design (f->ana, gls_design_get_id (f->anas), TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (removal->n_deleted, ==, 1);
  g_assert_cmpstrv (removal->deleted, ((const char *[]) { gls_design_get_id (f->anas), NULL }));
  g_assert_cmpstrv (removal->hidden, ((const char *[]) { NULL }));
  g_assert_false (model_has (gls_workspace_get_designs (f->ana), f->anas));
  g_assert_true (model_has (gls_workspace_get_designs (f->ana), f->bens));

  /* Ben sees it gone too, and his own design stays. */
  replicate (f->ana, f->ben);
  g_assert_false (model_has (gls_workspace_get_designs (f->ben), f->anas));
  g_assert_true (model_has (gls_workspace_get_designs (f->ben), f->bens));

  /* The comment was not lost. */
  g_clear_object (&comment);
  comment = gls_workspace_find_annotation (f->ben, "urn:uuid:", &error);
  g_assert_no_error (error);
  g_assert_nonnull (comment);

  /* Opening the file again brings a design back with its thread. */
  path = test_sample_path ("board.png");
  file = g_file_new_for_path (path);
  again = gls_workspace_add_design (f->ana, file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (model_has (gls_workspace_get_designs (f->ana), again));
  g_assert_cmpuint (g_list_model_get_n_items (gls_workspace_get_threads (f->ana, gls_design_get_source (again))),
                    ==, 1);

  /* A workspace opened again reads the deletion from the store. */
  g_clear_object (&f->ben);
  f->ben = test_workspace_open (f->ben_dir, NULL);
  g_assert_false (model_has (gls_workspace_get_designs (f->ben), f->anas));
}

/* Anyone else only hides it, for themselves: nothing is written that
 * syncs, and Undo (or opening the file again) shows it again. */
static void
test_other_hides (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsDesignRemoval) removal = NULL;
  g_autoptr(GlsDesign) again = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  gint64 seq;

  seq = gls_store_get_update_seq (gls_workspace_get_store (f->ben));
  removal = gls_workspace_remove_design (f->ben, gls_design_get_id (f->anas), TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (removal->n_deleted, ==, 0);
  g_assert_cmpstrv (removal->hidden, ((const char *[]) { gls_design_get_id (f->anas), NULL }));
  g_assert_false (model_has (gls_workspace_get_designs (f->ben), f->anas));
  g_assert_true (gls_workspace_is_design_hidden (f->ben, gls_design_get_id (f->anas)));
  /* Only a _local document: nothing a peer would pull. */
  g_assert_cmpint (gls_store_get_update_seq (gls_workspace_get_store (f->ben)), ==, seq);

  replicate (f->ben, f->ana);
  g_assert_true (model_has (gls_workspace_get_designs (f->ana), f->anas));

  /* It stays hidden when the workspace opens again. */
  g_clear_object (&f->ben);
  f->ben = test_workspace_open (f->ben_dir, NULL);
  g_assert_false (model_has (gls_workspace_get_designs (f->ben), f->anas));

  /* Undo. */
  g_assert_true (gls_workspace_set_designs_hidden (f->ben, (const char * const *) removal->hidden, FALSE,
                                                   &error));
  g_assert_no_error (error);
  g_assert_true (model_has (gls_workspace_get_designs (f->ben), f->anas));

  /* Hidden again, then the same file opened: shown. */
  g_assert_true (gls_workspace_set_designs_hidden (f->ben, (const char * const *) removal->hidden, TRUE,
                                                   &error));
  g_assert_false (model_has (gls_workspace_get_designs (f->ben), f->anas));
  path = test_sample_path ("board.png");
  file = g_file_new_for_path (path);
  again = gls_workspace_add_design (f->ben, file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gls_design_get_id (again), ==, gls_design_get_id (f->anas));
  g_assert_true (model_has (gls_workspace_get_designs (f->ben), f->anas));
}

/* A forged deletion (Ben's key on Ana's design) is ignored, as before. */
static void
test_only_author_deletes (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsDesignRemoval) removal = NULL;

  /* Ana's removal of Ben's design only hides it for her. */
  removal = gls_workspace_remove_design (f->ana, gls_design_get_id (f->bens), FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (removal->n_deleted, ==, 0);
  replicate (f->ana, f->ben);
  g_assert_true (model_has (gls_workspace_get_designs (f->ben), f->bens));
}

/* Versions: all of them, or one; mixed authors each get their own. */
static void
test_versions (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsDesignRemoval) one = NULL;
  g_autoptr(GlsDesignRemoval) all = NULL;
  g_autoptr(GlsDesign) v2 = NULL;
  g_autoptr(GlsDesign) v3 = NULL;
  g_autoptr(GBytes) bytes = gls_workspace_load_design_file (f->ana, gls_design_get_id (f->anas), &error);
  g_autoptr(GByteArray) changed = g_byte_array_new ();

  g_assert_no_error (error);
  g_byte_array_append (changed, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_byte_array_append (changed, (const guint8 *) "v2", 2);
  v2 = gls_workspace_add_version (f->ben, gls_design_get_id (f->anas),
                                  g_bytes_new (changed->data, changed->len), &error);
  g_assert_no_error (error);
  g_byte_array_append (changed, (const guint8 *) "v3", 2);
  replicate (f->ben, f->ana);
  v3 = gls_workspace_add_version (f->ana, gls_design_get_id (v2),
                                  g_bytes_new (changed->data, changed->len), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (gls_workspace_get_designs (f->ana)), ==, 4);

  /* This version only: the newest, Ana's. */
  one = gls_workspace_remove_design (f->ana, gls_design_get_id (v3), FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (one->n_deleted, ==, 1);
  g_assert_false (model_has (gls_workspace_get_designs (f->ana), v3));
  g_assert_true (model_has (gls_workspace_get_designs (f->ana), v2));

  /* The whole design, named by its first version: Ana's deleted, Ben's
   * hidden; his PDF untouched. */
  all = gls_workspace_remove_design (f->ana, gls_design_get_id (f->anas), TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (all->deleted, ((const char *[]) { gls_design_get_id (f->anas), NULL }));
  g_assert_cmpstrv (all->hidden, ((const char *[]) { gls_design_get_id (v2), NULL }));
  g_assert_cmpuint (g_list_model_get_n_items (gls_workspace_get_designs (f->ana)), ==, 1);
  g_assert_true (model_has (gls_workspace_get_designs (f->ana), f->bens));
}

/* A damaged _local/glossa-hidden hides nothing and breaks nothing. */
static void
test_damaged_hidden (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = json_object_new ();
  g_autoptr(JsonArray) array = json_array_new ();
  g_autofree char *rev = NULL;

  json_array_add_int_element (array, 3);
  json_array_add_null_element (array);
  json_array_add_string_element (array, gls_design_get_id (f->bens));
  json_object_set_array_member (doc, "designs", g_steal_pointer (&array));
  rev = gls_store_put_local (gls_workspace_get_store (f->ana), "glossa-hidden", doc, &error);
  g_assert_no_error (error);
  g_clear_object (&f->ana);
  f->ana = test_workspace_open (f->ana_dir, NULL);
  g_assert_true (model_has (gls_workspace_get_designs (f->ana), f->anas));
  g_assert_false (model_has (gls_workspace_get_designs (f->ana), f->bens));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/workspace/remove/author-deletes", test_author_deletes);
  ADD ("/workspace/remove/other-hides", test_other_hides);
  ADD ("/workspace/remove/only-author-deletes", test_only_author_deletes);
  ADD ("/workspace/remove/versions", test_versions);
  ADD ("/workspace/remove/damaged-hidden", test_damaged_hidden);
#undef ADD

  return g_test_run ();
}
