/* test-cli-report.c: glossa report, run as a user runs it
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "test-util.h"

typedef struct
{
  char *data_dir;
  char *cwd;      /* where glossa runs, and writes its default file */
} Fixture;

/* glossa ARGS… --data-dir DIR, in the fixture's working directory. */
#define glossa(f, ...) test_glossa_run ((f)->data_dir, (f)->cwd, __VA_ARGS__)
#define must test_glossa_must

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->data_dir = g_dir_make_tmp ("glossa-cli-report-XXXXXX", NULL);
  f->cwd = g_build_filename (f->data_dir, "here", NULL);
  g_assert_cmpint (g_mkdir (f->cwd, 0700), ==, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_rm_rf (f->data_dir);
  g_free (f->data_dir);
  g_free (f->cwd);
}

static char *
in_cwd (Fixture    *f,
        const char *name)
{
  return g_build_filename (f->cwd, name, NULL);
}

static void
assert_pdf (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_assert_nonnull (g_strrstr_len (contents + length - 64, 64, "%%EOF"));
}

static char *
add_board (Fixture *f)
{
  g_autofree char *board = test_sample_path ("board.svg");
  g_autofree char *comments = test_sample_path ("board-comments.json");
  char *id = must (glossa (f, "add", board, NULL));
  g_autofree char *imported = must (glossa (f, "import", comments, "--design", id, NULL));

  return id;
}

/* Without -o: "<name> review.pdf" here; a second time it refuses to write
 * over it, and -o names the file to write over. */
static void
test_report_default_name (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *id = add_board (f);
  g_autofree char *path = in_cwd (f, "board review.pdf");
  g_autofree char *out = must (glossa (f, "report", id, NULL));
  g_auto(TestRun) again = { 0 };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *over = NULL;

  g_assert_nonnull (strstr (out, "board review.pdf"));
  g_assert_nonnull (strstr (out, "3 pages"));
  assert_pdf (path);

  g_assert_true (g_file_set_contents (path, "mine", -1, NULL));
  again = glossa (f, "report", id, NULL);
  g_assert_cmpint (again.status, ==, 1);
  g_assert_nonnull (strstr (again.err, "exists already"));
  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));
  g_assert_cmpstr (before, ==, "mine");

  over = must (glossa (f, "report", id, "-o", "board review.pdf", NULL));
  assert_pdf (path);
}

/* --annotated-pdf of a PDF: its annotations read back by pypdf. */
static void
test_report_annotated (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *pdf = test_sample_path ("datasheet.pdf");
  g_autofree char *id = must (glossa (f, "add", pdf, NULL));
  g_autofree char *a = must (glossa (f, "comment", id, "--text", "Check this pin", "--point", "100,200",
                                     "--page", "2", NULL));
  g_autofree char *b = must (glossa (f, "comment", id, "--text", "Units missing", "--rect", "50,60,200,80",
                                     "--page", "4", NULL));
  g_autofree char *out = must (glossa (f, "report", id, "--annotated-pdf", "-o", "notes.pdf", NULL));
  g_autofree char *path = in_cwd (f, "notes.pdf");
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "read-pdf-annots.py", NULL);
  const char *python = g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE) ? "/usr/bin/python3" : "python3";
  const char *argv[] = { python, script, path, NULL };
  g_autofree char *json = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *annots;
  int status;

  g_assert_nonnull (strstr (out, "notes.pdf"));
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &json, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s could not read the annotated PDF (is python3-pypdf installed?): %s", script, err);
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  annots = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "annotations");
  g_assert_cmpuint (json_array_get_length (annots), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *annot = json_array_get_object_element (annots, i);
      const char *subtype = json_object_get_string_member (annot, "subtype");
      const char *contents = json_object_get_string_member (annot, "contents");

      if (g_str_equal (subtype, "/Text"))
        g_assert_nonnull (strstr (contents, "Check this pin"));
      else
        {
          g_assert_cmpstr (subtype, ==, "/Square");
          g_assert_nonnull (strstr (contents, "Units missing"));
        }
      g_assert_cmpstr (json_object_get_string_member (annot, "author"), !=, "");
    }
}

/* The errors a person meets: each a readable message, a non-zero exit,
 * and no file left behind. */
static void
test_report_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *board_id = add_board (f);
  g_autofree char *broken = in_cwd (f, "broken.png");
  g_autofree char *broken_id = NULL;
  g_autoptr(GDir) dir = NULL;

  /* An image has no PDF to annotate. */
  {
    g_auto(TestRun) run = glossa (f, "report", board_id, "--annotated-pdf", NULL);

    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "not a PDF"));
  }

  /* A design whose file is damaged. */
  g_assert_true (g_file_set_contents (broken, "\x89PNG\r\n\x1a\nnot really", -1, NULL));
  broken_id = must (glossa (f, "add", broken, NULL));
  g_unlink (broken);
  {
    g_auto(TestRun) run = glossa (f, "report", broken_id, NULL);

    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "damaged"));
  }

  /* No such design; a report to standard output. */
  {
    g_auto(TestRun) run = glossa (f, "report", "nosuchdesign", NULL);

    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "nosuchdesign"));
  }
  {
    g_auto(TestRun) run = glossa (f, "report", board_id, "-o", "-", NULL);

    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "-o FILE.pdf"));
  }

  dir = g_dir_open (f->cwd, 0, NULL);
  g_assert_null (g_dir_read_name (dir));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/report/default-name", Fixture, NULL, fixture_set_up, test_report_default_name, fixture_tear_down);
  g_test_add ("/cli/report/annotated-pdf", Fixture, NULL, fixture_set_up, test_report_annotated, fixture_tear_down);
  g_test_add ("/cli/report/errors", Fixture, NULL, fixture_set_up, test_report_errors, fixture_tear_down);

  return g_test_run ();
}
