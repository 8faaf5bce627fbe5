/* test-trust.c: what a workspace shows follows only proofs
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Alice writes in her workspace; Mallory holds a share key, so she can
 * write any revision of any document into it (as `_bulk_docs` with
 * new_edits=false does for a peer), but she does not hold Alice's key.
 * Each case checks that the thread Alice sees is unchanged, and that the
 * comment says a change was ignored.
 */

#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "gls-person.h"
#include "gls-proof.h"
#include "gls-workspace.h"
#include "test-util.h"

typedef struct
{
  char          *data_dir;
  GlsWorkspace  *workspace;
  GlsStore      *store;
  GlsIdentity   *mallory;
  GlsDesign     *board;
  char          *root_id;
  char          *reply_id;
  const char    *alice;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("GLOSSA_SOURCE_DIR"), "data", "samples", "board.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GlsAnnotation) root = NULL;
  g_autoptr(GlsAnnotation) reply = NULL;
  GlsSelector point = { 0, };

  f->data_dir = test_data_dir_new ("glossa-trust-XXXXXX");
  f->workspace = gls_workspace_open (f->data_dir, NULL, &error);
  g_assert_no_error (error);
  f->store = gls_workspace_get_store (f->workspace);
  f->alice = gls_identity_get_did (gls_workspace_get_identity (f->workspace));
  f->mallory = gls_identity_new_random ();

  f->board = gls_workspace_add_design (f->workspace, file, NULL, NULL, &error);
  g_assert_no_error (error);

  point.x = 10;
  point.y = 20;
  root = gls_workspace_comment (f->workspace, gls_design_get_id (f->board), &point,
                                "Is this via too close to the pad?", &error);
  g_assert_no_error (error);
  reply = gls_workspace_reply (f->workspace, gls_annotation_get_id (root), "Yes, move it.", &error);
  g_assert_no_error (error);
  f->root_id = g_strdup (gls_annotation_get_id (root));
  f->reply_id = g_strdup (gls_annotation_get_id (reply));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->board);
  g_clear_object (&f->mallory);
  g_clear_object (&f->workspace);
  test_data_dir_free (f->data_dir);
  g_free (f->root_id);
  g_free (f->reply_id);
}

/* Writes `doc` as a peer's replication does. */
static void
push (Fixture    *f,
      JsonObject *doc)
{
  g_autoptr(JsonArray) docs = json_array_new ();
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(GError) error = NULL;

  json_array_add_object_element (docs, json_object_ref (doc));
  results = gls_store_bulk_docs (f->store, docs, FALSE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (results); i++)
    g_assert_false (json_object_has_member (json_array_get_object_element (results, i), "error"));
}

static char *
random_rev (guint gen)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *hex = NULL;
  GString *s = g_string_new (NULL);

  for (const char *p = uuid; *p != '\0'; p++)
    if (*p != '-')
      g_string_append_c (s, *p);
  hex = g_string_free (s, FALSE);

  return g_strdup_printf ("%u-%s", gen, hex);
}

/* A revision path from `parent_rev` ("1-abc…") to a new revision. */
static void
set_child_of (JsonObject *doc,
              const char *parent_rev,
              gboolean    deleted)
{
  g_autofree char *rev = random_rev (2);
  JsonObject *revisions = json_object_new ();
  JsonArray *ids = json_array_new ();

  json_array_add_string_element (ids, strchr (rev, '-') + 1);
  json_array_add_string_element (ids, strchr (parent_rev, '-') + 1);
  json_object_set_int_member (revisions, "start", 2);
  json_object_set_array_member (revisions, "ids", ids);
  json_object_set_string_member (doc, "_rev", rev);
  json_object_set_object_member (doc, "_revisions", revisions);
  if (deleted)
    json_object_set_boolean_member (doc, "_deleted", TRUE);
}

static JsonObject *
stored (Fixture    *f,
        const char *id)
{
  g_autoptr(GError) error = NULL;
  JsonObject *doc = gls_store_get (f->store, id, NULL, GLS_STORE_GET_DELETED_OK, &error);

  g_assert_no_error (error);
  return doc;
}

static void
sign (JsonObject  *doc,
      GlsIdentity *identity)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gls_proof_sign (doc, identity, NULL, &error));
  g_assert_no_error (error);
}

static GlsThread *
thread (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GlsThread *t;

  g_assert_true (gls_workspace_refresh (f->workspace, &error));
  g_assert_no_error (error);
  t = gls_workspace_find_thread (f->workspace, f->root_id);
  g_assert_nonnull (t);

  return t;
}

static GlsComment *
comment (GlsThread *t,
         guint      position)
{
  return g_list_model_get_item (gls_thread_get_comments (t), position);
}

/* What Alice sees before anything happens, and again after each attack. */
static void
assert_untouched (Fixture *f,
                  guint    ignored_on_root)
{
  g_autoptr(GlsThread) t = thread (f);
  g_autoptr(GlsComment) root = comment (t, 0);
  g_autoptr(GlsComment) reply = comment (t, 1);

  g_assert_false (gls_thread_get_placeholder (t));
  g_assert_cmpstr (gls_thread_get_text (t), ==, "Is this via too close to the pad?");
  g_assert_cmpuint (gls_thread_get_reply_count (t), ==, 1);
  g_assert_cmpstr (gls_comment_get_text (root), ==, "Is this via too close to the pad?");
  g_assert_false (gls_comment_get_edited (root));
  g_assert_cmpint (gls_comment_get_trust (root), ==, GLS_TRUST_VERIFIED);
  g_assert_cmpstr (gls_comment_get_signer (root), ==, f->alice);
  g_assert_cmpstr (gls_comment_get_author_id (root), ==, f->alice);
  g_assert_cmpuint (gls_comment_get_ignored_changes (root), ==, ignored_on_root);
  g_assert_cmpstr (gls_comment_get_text (reply), ==, "Yes, move it.");
  g_assert_false (gls_comment_get_deleted (reply));
}

static guint
n_threads (Fixture *f)
{
  GListModel *threads = gls_workspace_get_threads (f->workspace, gls_design_get_source (f->board));

  g_assert_true (gls_workspace_refresh (f->workspace, NULL));
  return g_list_model_get_n_items (threads);
}

static void
test_own_documents_verify (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(JsonObject) doc = stored (f, f->root_id);
  g_autoptr(JsonObject) design = stored (f, gls_design_get_id (f->board));
  g_autofree char *signer = NULL;

  g_assert_cmpint (gls_proof_verify (doc, &signer, NULL), ==, GLS_PROOF_VALID);
  g_assert_cmpstr (signer, ==, f->alice);
  g_clear_pointer (&signer, g_free);
  g_assert_cmpint (gls_proof_verify (design, &signer, NULL), ==, GLS_PROOF_VALID);
  g_assert_cmpstr (signer, ==, f->alice);
  assert_untouched (f, 0);
}

static void
test_forged_edit (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GlsAnnotation) edit = gls_annotation_new_edit (f->root_id, "The via is fine, ship it.", f->alice,
                                                           "Alice", NULL, "2099-01-01T00:00:00.000000Z");
  g_autoptr(JsonObject) doc = gls_annotation_to_json (edit);
  g_autoptr(GlsAnnotation) unsigned_edit = gls_annotation_new_edit (f->root_id, "Unsigned words.", f->alice,
                                                                    "Alice", NULL, "2099-01-02T00:00:00.000000Z");
  g_autoptr(JsonObject) unsigned_doc = gls_annotation_to_json (unsigned_edit);
  g_autofree char *rev = random_rev (1);
  g_autofree char *rev2 = random_rev (1);

  /* Signed by Mallory, in Alice's name: not shown, and the comment says
   * that someone tried. */
  sign (doc, f->mallory);
  json_object_set_string_member (doc, "_rev", rev);
  push (f, doc);
  assert_untouched (f, 1);

  /* Unsigned, in Alice's name, on a signed comment. */
  json_object_set_string_member (unsigned_doc, "_rev", rev2);
  push (f, unsigned_doc);
  assert_untouched (f, 2);

  /* The same when the workspace is opened again (the proofs' notes). */
  g_clear_object (&f->workspace);
  {
    g_autoptr(GError) error = NULL;

    f->workspace = gls_workspace_open (f->data_dir, NULL, &error);
    g_assert_no_error (error);
    f->store = gls_workspace_get_store (f->workspace);
    f->alice = gls_identity_get_did (gls_workspace_get_identity (f->workspace));
  }
  assert_untouched (f, 2);
}

static void
test_forged_tombstone (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JsonObject) original = stored (f, f->reply_id);
  g_autoptr(JsonObject) tomb = json_object_new ();
  g_autoptr(JsonObject) bare = json_object_new ();

  /* A bare tombstone, as CouchDB writes for DELETE. */
  json_object_set_string_member (bare, "_id", f->reply_id);
  set_child_of (bare, json_object_get_string_member (original, "_rev"), TRUE);
  push (f, bare);
  assert_untouched (f, 0);

  /* One signed by Mallory. */
  json_object_set_string_member (tomb, "_id", f->reply_id);
  json_object_set_string_member (tomb, "type", "Annotation");
  json_object_set_boolean_member (tomb, "_deleted", TRUE);
  sign (tomb, f->mallory);
  set_child_of (tomb, json_object_get_string_member (original, "_rev"), TRUE);
  push (f, tomb);
  assert_untouched (f, 0);
}

static gboolean
has_one_thread (gpointer data)
{
  return g_list_model_get_n_items (data) == 1;
}

/* A window's workspace reads only what it shows, through the store's
 * indexes: the forgeries a peer sent are found that way too, and judged
 * as a whole read judges them. Mallory deletes Alice's reply (his
 * tombstone keeps the target, so the index lists it), rewrites her
 * comment, and adds a comment in her name; the window shows Alice's
 * thread as she wrote it, and the workspace opens again. */
static void
test_lazy_window_forgeries (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JsonObject) reply = stored (f, f->reply_id);
  g_autoptr(JsonObject) root = stored (f, f->root_id);
  g_autoptr(JsonObject) tomb = json_object_new ();
  g_autoptr(JsonObject) fake = stored (f, f->root_id);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = g_strdup (json_object_get_string_member (root, "_rev"));

  json_object_set_string_member (tomb, "_id", f->reply_id);
  json_object_set_string_member (tomb, "type", "Annotation");
  json_object_set_string_member (tomb, "motivation", "replying");
  json_object_set_string_member (tomb, "target", f->root_id);
  sign (tomb, f->mallory);
  set_child_of (tomb, json_object_get_string_member (reply, "_rev"), TRUE);
  push (f, tomb);

  json_object_set_string_member (json_object_get_object_member (root, "body"), "value", "Looks great!");
  json_object_remove_member (root, "_attachments");
  sign (root, f->mallory);
  set_child_of (root, parent, FALSE);
  push (f, root);

  json_object_set_string_member (fake, "_id", "urn:uuid:0badf00d-0000-4000-8000-000000000000");
  json_object_set_string_member (fake, "id", "urn:uuid:0badf00d-0000-4000-8000-000000000000");
  json_object_remove_member (fake, "_rev");
  json_object_remove_member (fake, "_attachments");
  sign (fake, f->mallory);
  {
    g_autoptr(JsonArray) docs = json_array_new ();
    g_autoptr(JsonArray) results = NULL;

    json_array_add_object_element (docs, json_object_ref (fake));
    results = gls_store_bulk_docs (f->store, docs, TRUE, &error);
    g_assert_no_error (error);
  }

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GlsWorkspace) lazy = NULL;
      g_autoptr(GListModel) threads = NULL;
      g_autoptr(GlsThread) t = NULL;
      g_autoptr(GlsComment) first = NULL;
      g_autoptr(GlsComment) second = NULL;

      g_clear_object (&result);
      gls_workspace_open_lazy_async (f->data_dir, NULL, NULL, test_wait_result_cb, &result);
      lazy = gls_workspace_open_finish (test_wait_result (&result), &error);
      g_assert_no_error (error);
      threads = gls_workspace_get_threads (lazy, gls_design_get_source (f->board));
      g_assert_true (test_wait_for (has_one_thread, threads, 10, "Alice's thread, alone"));
      test_settle (100);
      g_assert_cmpuint (g_list_model_get_n_items (threads), ==, 1);
      t = g_list_model_get_item (threads, 0);
      first = g_list_model_get_item (gls_thread_get_comments (t), 0);
      second = g_list_model_get_item (gls_thread_get_comments (t), 1);
      g_assert_cmpstr (gls_comment_get_text (first), ==, "Is this via too close to the pad?");
      g_assert_cmpstr (gls_comment_get_signer (first), ==, f->alice);
      g_assert_nonnull (second);
      g_assert_false (gls_comment_get_deleted (second));
      g_assert_cmpstr (gls_comment_get_text (second), ==, "Yes, move it.");
    }
}

static void
test_rewrite_in_place (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JsonObject) doc = stored (f, f->root_id);
  const char *rev = json_object_get_string_member (doc, "_rev");
  g_autofree char *parent = g_strdup (rev);

  /* Mallory's words in a second revision, with Alice's proof left on. */
  json_object_set_string_member (json_object_get_object_member (doc, "body"), "value", "Looks great!");
  json_object_remove_member (doc, "_attachments");
  set_child_of (doc, parent, FALSE);
  push (f, doc);
  assert_untouched (f, 1);

  /* The same, signed by Mallory's key. */
  sign (doc, f->mallory);
  set_child_of (doc, parent, FALSE);
  push (f, doc);
  assert_untouched (f, 2);

  /* A peer that only ever gets the leaves gets Alice's words again: the
   * workspace wrote her signed original back on top. */
  {
    g_autoptr(JsonObject) winner = stored (f, f->root_id);
    g_autofree char *signer = NULL;

    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (winner, "body"), "value"), ==,
                     "Is this via too close to the pad?");
    g_assert_cmpint (gls_proof_verify (winner, &signer, NULL), ==, GLS_PROOF_VALID);
    g_assert_cmpstr (signer, ==, f->alice);
  }
}

static void
test_author_cannot_rewrite (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JsonObject) doc = stored (f, f->root_id);
  g_autofree char *parent = g_strdup (json_object_get_string_member (doc, "_rev"));

  /* Even Alice's own key cannot change a document in place: documents are
   * immutable, an edit is a new one. */
  json_object_set_string_member (json_object_get_object_member (doc, "body"), "value", "Rewritten by Alice");
  sign (doc, gls_workspace_get_identity (f->workspace));
  set_child_of (doc, parent, FALSE);
  push (f, doc);
  assert_untouched (f, 1);
}

static void
test_replayed_proof (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) doc = stored (f, f->root_id);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *id = g_strconcat ("urn:uuid:", uuid, NULL);
  g_autofree char *rev = random_rev (1);
  guint before = n_threads (f);

  /* Alice's signed comment, copied under another id. */
  json_object_set_string_member (doc, "_id", id);
  json_object_set_string_member (doc, "id", id);
  json_object_set_string_member (doc, "_rev", rev);
  push (f, doc);
  g_assert_cmpuint (n_threads (f), ==, before);
  assert_untouched (f, 0);
}

static void
test_proof_by_another_key (Fixture       *f,
                           gconstpointer  data)
{
  GlsSelector point = { 0, };
  g_autoptr(GlsAnnotation) forged = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) reply = stored (f, f->reply_id);
  g_autofree char *rev = random_rev (1);
  g_autofree char *rev2 = random_rev (1);
  guint before = n_threads (f);

  point.x = 5;
  point.y = 5;
  forged = gls_annotation_new_comment (gls_design_get_source (f->board), &point, "Alice says: approve all",
                                       f->alice, "Alice", NULL, NULL);
  doc = gls_annotation_to_json (forged);
  sign (doc, f->mallory);
  json_object_set_string_member (doc, "_rev", rev);
  push (f, doc);
  g_assert_cmpuint (n_threads (f), ==, before);

  /* Alice's reply again, its proof swapped for Mallory's, as a conflicting
   * first revision. */
  sign (reply, f->mallory);
  json_object_set_string_member (reply, "_rev", rev2);
  json_object_remove_member (reply, "_attachments");
  push (f, reply);
  assert_untouched (f, 0);
}

static void
test_own_changes_count (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsAnnotation) edit = NULL;
  g_autoptr(GlsThread) t = NULL;
  g_autoptr(GlsComment) root = NULL;
  g_autoptr(JsonObject) original = NULL;
  g_autoptr(JsonObject) copy = NULL;
  g_autofree char *rev = random_rev (1);

  edit = gls_workspace_edit (f->workspace, f->root_id, "Is this via too close to the pad? (U3)", &error);
  g_assert_no_error (error);
  original = stored (f, f->reply_id);
  g_assert_true (gls_workspace_delete (f->workspace, f->reply_id, &error));
  g_assert_no_error (error);

  t = thread (f);
  root = comment (t, 0);
  g_assert_cmpstr (gls_comment_get_text (root), ==, "Is this via too close to the pad? (U3)");
  g_assert_true (gls_comment_get_edited (root));
  g_assert_cmpuint (gls_thread_get_reply_count (t), ==, 0);
  g_clear_object (&t);
  g_clear_object (&root);

  /* Mallory brings the deleted reply back as a conflicting first revision
   * of the very same signed text: the deletion, signed by Alice, stands. */
  copy = json_object_ref (original);
  json_object_set_string_member (copy, "_rev", rev);
  json_object_remove_member (copy, "_attachments");
  push (f, copy);
  t = thread (f);
  g_assert_cmpuint (gls_thread_get_reply_count (t), ==, 0);
}

static void
test_anyone_resolves (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GlsIdentity) bob = gls_identity_new_random ();
  g_autoptr(GlsAnnotation) assessment = gls_annotation_new_assessment (f->root_id, TRUE, gls_identity_get_did (bob),
                                                                       "Bob", NULL, NULL);
  g_autoptr(JsonObject) doc = gls_annotation_to_json (assessment);
  g_autofree char *rev = random_rev (1);
  g_autoptr(GlsThread) t = NULL;

  sign (doc, bob);
  json_object_set_string_member (doc, "_rev", rev);
  push (f, doc);
  t = thread (f);
  g_assert_true (gls_thread_get_resolved (t));
  g_assert_nonnull (gls_thread_get_assessment (t));
  g_assert_cmpstr (gls_annotation_get_creator_name (gls_thread_get_assessment (t)), ==, "Bob");
  g_assert_cmpint (gls_annotation_get_trust (gls_thread_get_assessment (t)), ==, GLS_TRUST_VERIFIED);
}

static void
test_unsigned_shows_unverified (Fixture       *f,
                                gconstpointer  data)
{
  GlsSelector point = { 0, };
  g_autoptr(GlsAnnotation) old = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *rev = random_rev (1);
  g_autoptr(GlsThread) t = NULL;
  g_autoptr(GlsComment) c = NULL;

  /* As Glossa 0.1 or another tool wrote it: no proof. */
  point.x = 1;
  point.y = 1;
  old = gls_annotation_new_comment (gls_design_get_source (f->board), &point, "Written by 0.1",
                                    "did:key:z6MkiNAR5Nkzt3zXT4rQugiYtgYcwqE1UgEX4TGcNEDHYGgH", "Inês", NULL, NULL);
  doc = gls_annotation_to_json (old);
  json_object_set_string_member (doc, "_rev", rev);
  push (f, doc);

  g_assert_true (gls_workspace_refresh (f->workspace, NULL));
  t = gls_workspace_find_thread (f->workspace, gls_annotation_get_id (old));
  g_assert_nonnull (t);
  c = comment (t, 0);
  g_assert_cmpstr (gls_comment_get_text (c), ==, "Written by 0.1");
  g_assert_cmpint (gls_comment_get_trust (c), ==, GLS_TRUST_UNVERIFIED);
  g_assert_null (gls_comment_get_signer (c));
}

/* A new name in the profile renames every comment one signed; a profile
 * in someone else's name changes nothing. */
static void
test_people (Fixture       *f,
             gconstpointer  data)
{
  GlsProfile *profile = gls_workspace_get_profile (f->workspace);
  g_autoptr(GlsPerson) forged = gls_person_new (f->alice, "Mallory pretending", NULL, "2999-01-01T00:00:00.000000Z");
  g_autoptr(JsonObject) doc = gls_person_to_json (forged);
  g_autofree char *rev = random_rev (1);
  gint64 deadline;

  gls_profile_set_display_name (profile, "Alice Liddell");
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autoptr(GlsThread) t = thread (f);
      g_autoptr(GlsComment) root = comment (t, 0);

      if (g_strcmp0 (gls_comment_get_author_name (root), "Alice Liddell") == 0)
        {
          g_assert_cmpstr (gls_thread_get_author_name (t), ==, "Alice Liddell");
          break;
        }
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }

  /* Mallory's profile for Alice's key, signed by Mallory. */
  sign (doc, f->mallory);
  json_object_set_string_member (doc, "_rev", rev);
  push (f, doc);
  {
    g_autoptr(GlsThread) t = thread (f);
    g_autoptr(GlsComment) root = comment (t, 0);

    g_assert_cmpstr (gls_comment_get_author_name (root), ==, "Alice Liddell");
  }
}

/* A workspace written by Glossa 0.1 may hold a document the store cannot
 * serve back as JSON (a lone surrogate in a comment, an id of raw bytes):
 * it still opens, the bad document is set aside with its id, and
 * everything else works. */
static void
test_damaged_document_set_aside (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *path = g_strdup (gls_store_get_path (f->store));
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) set_aside = NULL;
  g_autoptr(GlsThread) t = NULL;
  g_autoptr(JsonObject) changes = NULL;
  sqlite3 *db = NULL;
  guint before = n_threads (f);

  g_clear_object (&f->workspace);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sql = g_strdup_printf ("UPDATE revs SET body = '{\"body\":{\"value\":\"\\ud800 x\"}}'"
                         " WHERE doc_id = (SELECT doc_id FROM docs WHERE id = '%s');"
                         "UPDATE docs SET id = CAST (X'FFFE' AS TEXT) WHERE id = '%s';",
                         f->reply_id, f->root_id);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  f->workspace = gls_workspace_open (f->data_dir, NULL, &error);
  g_assert_no_error (error);
  f->store = gls_workspace_get_store (f->workspace);

  g_assert_cmpuint (gls_workspace_get_n_set_aside (f->workspace), ==, 2);
  set_aside = gls_store_list_set_aside (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (set_aside), ==, 2);
  /* Listed by when they were set aside (in seconds), then id: either
   * may come first. */
  {
    guint reply = g_str_equal (json_object_get_string_member (json_array_get_object_element (set_aside, 0), "id"),
                               f->reply_id) ? 0 : 1;

    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (set_aside, reply), "id"), ==,
                     f->reply_id);
    g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (set_aside, reply),
                                                             "reason"), "surrogate"));
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (set_aside, 1 - reply), "id"), ==,
                     "\357\277\275\357\277\275");
  }

  /* The rest works: the design is there, new comments can be made, and
   * the changes feed a peer reads is valid. */
  g_assert_cmpuint (n_threads (f), ==, before - 1);
  {
    g_autoptr(GlsAnnotation) again = gls_workspace_comment (f->workspace, gls_design_get_id (f->board), NULL,
                                                            "Still works", &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(JsonObject) report = gls_workspace_verify (f->workspace, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "set_aside")), ==, 2);
  }
  changes = gls_store_changes (f->store, 0, 0, TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (json_object_get_array_member (changes, "results")); i++)
    g_assert_true (g_utf8_validate (json_object_get_string_member (
      json_array_get_object_element (json_object_get_array_member (changes, "results"), i), "id"), -1, NULL));
}

typedef struct
{
  const char *id;
  char       *note;
} NoteOf;

static gboolean
note_of_cb (const char *id,
            const char *rev,
            gint64      seq,
            gboolean    deleted,
            guint       n_revs,
            const char *note,
            JsonObject *body,
            gpointer    user_data)
{
  NoteOf *of = user_data;

  if (!g_str_equal (id, of->id))
    return TRUE;
  of->note = g_strdup (note);
  return FALSE;
}

/* What the store has noted about the proof of document `id`, or NULL. */
static char *
note_of (Fixture    *f,
         const char *id)
{
  g_autoptr(GError) error = NULL;
  NoteOf of = { id, NULL };

  g_assert_true (gls_store_foreach_doc (f->store, 0, note_of_cb, &of, &error));
  g_assert_no_error (error);
  return of.note;
}

/* A workspace the window opened checks proofs and notes what they said,
 * so the next open need not check them again. The last notes are written
 * when it closes, by a worker, not by the thread that lets it go. */
static void
test_notes_kept_on_close (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  GlsWorkspace *window_workspace;
  gint64 end;

  /* Too few checked yet for the fixture's workspace to have written them. */
  g_assert_null (note_of (f, f->root_id));

  gls_workspace_open_async (f->data_dir, NULL, NULL, test_wait_result_cb, &result);
  window_workspace = gls_workspace_open_finish (test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_object_unref (window_workspace);

  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while ((note = note_of (f, f->root_id)) == NULL && g_get_monotonic_time () < end)
    g_usleep (10000);
  g_assert_nonnull (note);
  g_assert_true (g_str_has_prefix (note, "valid "));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/trust/notes-kept-on-close", test_notes_kept_on_close);
  ADD ("/trust/own-documents-verify", test_own_documents_verify);
  ADD ("/trust/forged-edit", test_forged_edit);
  ADD ("/trust/forged-tombstone", test_forged_tombstone);
  ADD ("/trust/rewrite-in-place", test_rewrite_in_place);
  ADD ("/trust/lazy-window-forgeries", test_lazy_window_forgeries);
  ADD ("/trust/author-cannot-rewrite", test_author_cannot_rewrite);
  ADD ("/trust/replayed-proof", test_replayed_proof);
  ADD ("/trust/proof-by-another-key", test_proof_by_another_key);
  ADD ("/trust/own-changes-count", test_own_changes_count);
  ADD ("/trust/anyone-resolves", test_anyone_resolves);
  ADD ("/trust/unsigned-shows-unverified", test_unsigned_shows_unverified);
  ADD ("/trust/people", test_people);
  ADD ("/trust/damaged-document-set-aside", test_damaged_document_set_aside);
#undef ADD

  return g_test_run ();
}
