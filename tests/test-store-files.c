/* test-store-files.c: attachment data as content-addressed files,
 * compaction, and the upgrade of 0.1 stores
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <utime.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "gls-store.h"
#include "gls-store-private.h"
#include "test-store-fixture.h"

/* A document with one attachment `name` holding `data`; returns its rev. */
static char *
put_with (GlsStore   *store,
          const char *id,
          const char *rev,
          const char *name,
          const void *data,
          gsize       len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = json_object_new ();
  JsonObject *atts = json_object_new ();
  JsonObject *att = json_object_new ();
  g_autofree char *base64 = g_base64_encode (data, len);
  char *new_rev;

  json_object_set_string_member (doc, "_id", id);
  if (rev != NULL)
    json_object_set_string_member (doc, "_rev", rev);
  json_object_set_string_member (att, "content_type", "image/png");
  json_object_set_string_member (att, "data", base64);
  json_object_set_object_member (atts, name, att);
  json_object_set_object_member (doc, "_attachments", atts);
  new_rev = gls_store_put (store, doc, &error);
  g_assert_no_error (error);
  return new_rev;
}

static guint
count_files (const char *dir,
             const char *prefix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (prefix == NULL ? _gls_store_is_sha256_hex (name) : g_str_has_prefix (name, prefix))
      n++;
  return n;
}

static void
assert_attachment (GlsStore   *store,
                   const char *id,
                   const char *rev,
                   const char *name,
                   const void *data,
                   gsize       len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = gls_store_get_attachment (store, id, rev, name, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), data, len);
}

static void
test_content_addressed (StoreFixture  *f,
                        gconstpointer  unused)
{
  const char *files = gls_store_get_files_dir (f->store);
  g_autofree char *expected_dir = g_build_filename (f->dir, "store.files", NULL);
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "design bytes", -1);
  g_autofree char *path = g_build_filename (files, sha, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *rev1 = NULL;
  g_autofree char *rev2 = NULL;
  g_autofree char *rev3 = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  g_assert_cmpstr (files, ==, expected_dir);

  /* The bytes live in a file named by their SHA-256, not in the database. */
  rev1 = put_with (f->store, "a", NULL, "file", "design bytes", 12);
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_cmpmem (contents, len, "design bytes", 12);
  assert_attachment (f->store, "a", NULL, "file", "design bytes", 12);
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT COUNT (*) FROM pragma_table_info ('blobs')"
                                             " WHERE name = 'data'", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }

  /* The same bytes again, in another document or another revision: one file. */
  rev2 = put_with (f->store, "b", NULL, "copy.png", "design bytes", 12);
  rev3 = put_with (f->store, "a", rev1, "file", "design bytes", 12);
  g_assert_cmpuint (count_files (files, NULL), ==, 1);
  g_assert_cmpuint (count_files (files, "tmp-"), ==, 0);
  g_assert_cmpint (_gls_store_count_blobs (f->store), ==, 1);
  assert_attachment (f->store, "b", NULL, "copy.png", "design bytes", 12);

  /* An empty file is a file too. */
  g_free (put_with (f->store, "empty", NULL, "nothing", "", 0));
  g_assert_cmpuint (count_files (files, NULL), ==, 2);
  assert_attachment (f->store, "empty", NULL, "nothing", "", 0);

  /* Read by a second handle (another process would be the same). */
  {
    g_autoptr(GlsStore) other = gls_store_open (f->path, &error);

    g_assert_no_error (error);
    assert_attachment (other, "a", rev3, "file", "design bytes", 12);
  }
}

/* A file gone or cut short is a clear error, and only that attachment's:
 * the document, the store and every other file still read. */
static void
test_damaged (StoreFixture  *f,
              gconstpointer  unused)
{
  const char *files = gls_store_get_files_dir (f->store);
  g_autofree char *sha_a = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "first design", -1);
  g_autofree char *sha_b = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "second design", -1);
  g_autofree char *path_a = g_build_filename (files, sha_a, NULL);
  g_autofree char *path_b = g_build_filename (files, sha_b, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = NULL;
  GBytes *bytes;

  g_free (put_with (f->store, "a", NULL, "file", "first design", 12));
  g_free (put_with (f->store, "b", NULL, "file", "second design", 13));
  g_free (put_with (f->store, "c", NULL, "file", "third design", 12));
  g_assert_cmpint (g_unlink (path_a), ==, 0);
  g_assert_true (g_file_set_contents (path_b, "second", 6, NULL));

  bytes = gls_store_get_attachment (f->store, "a", NULL, "file", NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "missing"));
  g_clear_error (&error);

  bytes = gls_store_get_attachment (f->store, "b", NULL, "file", NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "6 bytes, not 13"));
  g_clear_error (&error);

  doc = gls_store_get (f->store, "a", NULL, GLS_STORE_GET_NONE, &error);
  g_assert_no_error (error);
  assert_attachment (f->store, "c", NULL, "file", "third design", 12);
  g_clear_object (&f->store);
  f->store = gls_store_open (f->path, &error);
  g_assert_no_error (error);

  /* The same bytes arriving again (a peer sends the design) repair it. */
  g_free (put_with (f->store, "a2", NULL, "file", "first design", 12));
  assert_attachment (f->store, "a", NULL, "file", "first design", 12);
}

static void
set_age (const char *path,
         gint64      seconds)
{
  struct utimbuf times;

  times.actime = times.modtime = (time_t) (g_get_real_time () / G_USEC_PER_SEC - seconds);
  g_assert_cmpint (g_utime (path, &times), ==, 0);
}

static void
test_compact (StoreFixture  *f,
              gconstpointer  unused)
{
  const char *files = gls_store_get_files_dir (f->store);
  g_autofree char *old_tmp = g_build_filename (files, "tmp-OLD123", NULL);
  g_autofree char *new_tmp = g_build_filename (files, "tmp-NEW123", NULL);
  g_autofree char *stray = g_build_filename (files, "notes.txt", NULL);
  g_autofree char *rev1 = NULL;
  g_autofree char *rev2 = NULL;
  g_autofree char *kept_rev = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(GString) big = g_string_new (NULL);
  GlsStoreCompactResult result;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (big, "line %u of an old version\n", i);

  /* "a": a big old revision, then a new one with other bytes. */
  rev1 = put_with (f->store, "a", NULL, "file", big->str, big->len);
  rev2 = put_with (f->store, "a", rev1, "file", "version two", 11);
  /* "k": bytes shared by an old revision and a current one stay. */
  kept_rev = put_with (f->store, "k", NULL, "file", "shared", 6);
  g_free (put_with (f->store, "k", kept_rev, "file", "shared", 6));
  /* A write that never finished, one that may still be going, and a
   * file that is none of ours. */
  g_assert_true (g_file_set_contents (old_tmp, "half", 4, NULL));
  g_assert_true (g_file_set_contents (new_tmp, "half", 4, NULL));
  g_assert_true (g_file_set_contents (stray, "mine", 4, NULL));
  set_age (old_tmp, 2 * 3600);
  g_assert_cmpuint (count_files (files, NULL), ==, 3);

  gls_store_compact (f->store, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result.revisions, ==, 2);
  g_assert_cmpuint (result.files, ==, 2);  /* the old version and the old tmp */
  g_assert_cmpuint (result.file_bytes, ==, big->len + 4);
  g_assert_cmpint (result.database_bytes_after, >, 0);
  g_assert_cmpuint (count_files (files, NULL), ==, 2);
  g_assert_false (g_file_test (old_tmp, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (new_tmp, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (stray, G_FILE_TEST_EXISTS));

  /* The old revision's body is gone, as after CouchDB's compaction; its id
   * stays in the history; the current ones read whole. */
  doc = gls_store_get (f->store, "a", rev1, GLS_STORE_GET_NONE, &error);
  g_assert_null (doc);
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  doc = gls_store_get (f->store, "a", NULL, GLS_STORE_GET_REVS, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (
                     json_object_get_object_member (doc, "_revisions"), "ids")), ==, 2);
  assert_attachment (f->store, "a", NULL, "file", "version two", 11);
  assert_attachment (f->store, "k", NULL, "file", "shared", 6);

  /* Nothing more to do the second time; the store takes writes. */
  gls_store_compact (f->store, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result.revisions, ==, 0);
  g_assert_cmpuint (result.files, ==, 0);
  g_free (put_with (f->store, "after", NULL, "file", "later", 5));
  assert_attachment (f->store, "after", NULL, "file", "later", 5);
}

/* Conflicting leaves keep their bodies and their files. */
static void
test_compact_conflicts (StoreFixture  *f,
                        gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) docs = NULL;
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(JsonArray) leaves = NULL;
  g_autofree char *one = g_base64_encode ((const guchar *) "branch one", 10);
  g_autofree char *two = g_base64_encode ((const guchar *) "branch two", 10);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;
  GlsStoreCompactResult result;

  text = g_strdup_printf ("[{\"_id\":\"c\",\"_rev\":\"2-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\","
                          "\"_revisions\":{\"start\":2,\"ids\":[\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\","
                          "\"cccccccccccccccccccccccccccccccc\"]},"
                          "\"_attachments\":{\"f\":{\"content_type\":\"text/plain\",\"data\":\"%s\"}}},"
                          "{\"_id\":\"c\",\"_rev\":\"2-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\","
                          "\"_revisions\":{\"start\":2,\"ids\":[\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\","
                          "\"cccccccccccccccccccccccccccccccc\"]},"
                          "\"_attachments\":{\"f\":{\"content_type\":\"text/plain\",\"data\":\"%s\"}}}]",
                          one, two);
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  docs = json_array_ref (json_node_get_array (node));
  results = gls_store_bulk_docs (f->store, docs, FALSE, &error);
  g_assert_no_error (error);

  gls_store_compact (f->store, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result.files, ==, 0);
  assert_attachment (f->store, "c", "2-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "f", "branch one", 10);
  assert_attachment (f->store, "c", "2-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "f", "branch two", 10);
  leaves = gls_store_get_open_revs (f->store, "c", NULL, GLS_STORE_GET_ATTACHMENTS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (leaves), ==, 2);
}

/* A workspace written by Glossa 0.1 (tests/data/store-v01.sqlite: a PNG
 * design and a comment, made with `glossa add` and `glossa comment` of
 * 3f89fe5): opened, its attachment data moves into files, at once and
 * whole. */
static char *
copy_v01 (const char *dir)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "store-v01.sqlite", NULL);
  g_autofree char *contents = NULL;
  char *path = g_build_filename (dir, "old.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (source, &contents, &len, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, contents, len, &error));
  return path;
}

static gint64
count_rows (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

typedef struct
{
  char *design_id;
  guint n_docs;
} V01Docs;

static gboolean
find_design (const char *id,
             const char *rev,
             gint64      seq,
             gboolean    deleted,
             guint       n_revs,
             const char *note,
             JsonObject *body,
             gpointer    user_data)
{
  V01Docs *docs = user_data;

  docs->n_docs++;
  if (json_object_has_member (body, "_attachments"))
    docs->design_id = g_strdup (id);
  return TRUE;
}

static void
test_migrate_v01 (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glossa-v01-XXXXXX", NULL);
  g_autofree char *path = copy_v01 (dir);
  g_autofree char *files = g_build_filename (dir, "old.files", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsStore) store = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) design = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *check = NULL;
  V01Docs docs = { NULL, 0 };
  const char *expected;

  g_assert_cmpint (count_rows (path, "SELECT value FROM meta WHERE key = 'schema_version'"), ==, 1);
  g_assert_cmpint (count_rows (path, "SELECT COUNT (*) FROM blobs WHERE length (data) > 0"), ==, 1);

  store = gls_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (gls_store_foreach_doc (store, 0, find_design, &docs, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (docs.n_docs, >=, 2);  /* the design, the comment, the profile */
  g_assert_nonnull (docs.design_id);

  /* The design's bytes read back, and match the sha256 it declares. */
  bytes = gls_store_get_attachment (store, docs.design_id, NULL, "file", NULL, &error);
  g_assert_no_error (error);
  design = gls_store_get (store, docs.design_id, NULL, GLS_STORE_GET_NONE, &error);
  g_assert_no_error (error);
  sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  expected = json_object_get_string_member (design, "sha256");
  g_assert_cmpstr (sha, ==, expected);
  g_assert_cmpuint (count_files (files, NULL), ==, 1);
  g_assert_true (_gls_store_integrity_check (store, &check, &error));
  g_assert_cmpstr (check, ==, "ok");
  g_clear_object (&store);

  g_assert_cmpint (count_rows (path, "SELECT value FROM meta WHERE key = 'schema_version'"), ==, 2);
  g_assert_cmpint (count_rows (path, "SELECT COUNT (*) FROM pragma_table_info ('blobs')"
                                     " WHERE name = 'data'"), ==, 0);
  /* Opened again: nothing more to move. */
  store = gls_store_open (path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  test_rm_rf (dir);
  g_free (docs.design_id);
}

/* When the data cannot be moved (here the folder's name is taken by a
 * file), opening fails with a clear message and the 0.1 store is left as
 * it was, to open once the cause is gone. */
static void
test_migrate_blocked (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glossa-v01-XXXXXX", NULL);
  g_autofree char *path = copy_v01 (dir);
  g_autofree char *files = g_build_filename (dir, "old.files", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsStore) store = NULL;

  g_assert_true (g_file_set_contents (files, "in the way", -1, NULL));
  store = gls_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "Could not upgrade the store"));
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (path, "SELECT value FROM meta WHERE key = 'schema_version'"), ==, 1);
  g_assert_cmpint (count_rows (path, "SELECT COUNT (*) FROM blobs WHERE length (data) > 0"), ==, 1);

  g_assert_cmpint (g_unlink (files), ==, 0);
  store = gls_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_files (files, NULL), ==, 1);
  g_clear_object (&store);
  test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  STORE_TEST_ADD ("/store/files/content-addressed", test_content_addressed);
  STORE_TEST_ADD ("/store/files/damaged", test_damaged);
  STORE_TEST_ADD ("/store/files/compact", test_compact);
  STORE_TEST_ADD ("/store/files/compact-conflicts", test_compact_conflicts);
  g_test_add_func ("/store/files/migrate-v01", test_migrate_v01);
  g_test_add_func ("/store/files/migrate-blocked", test_migrate_blocked);

  return g_test_run ();
}
