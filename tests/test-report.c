/* test-report.c: the review report and the annotated PDF, read back
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <poppler.h>

#include "gls-annotated-pdf.h"
#include "gls-report.h"
#include "test-util.h"

#define ANA_ID "did:key:z6MkfGAxC5cvq6rjUp73oyVFu94EV9mQcPrWNMoauoP8imKT"

typedef struct
{
  char         *dir;
  GlsWorkspace *workspace;
  char         *out_dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = test_data_dir_new ("glossa-report-XXXXXX");
  f->workspace = test_workspace_open (f->dir, "default");
  f->out_dir = g_build_filename (f->dir, "out", NULL);
  g_assert_cmpint (g_mkdir (f->out_dir, 0700), ==, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->workspace);
  g_free (f->out_dir);
  test_data_dir_free (f->dir);
}

/* Every name in the output directory. */
static char *
list_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, (char *) name);
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* The text of the whole PDF, every run of white space one space (the
 * report wraps lines where it likes), and its number of pages. */
static char *
pdf_text (const char *path,
          int        *n_pages)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  PopplerDocument *document = poppler_document_new_from_file (uri, NULL, &error);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GRegex) space = g_regex_new ("\\s+", 0, 0, NULL);

  g_assert_no_error (error);
  *n_pages = poppler_document_get_n_pages (document);
  for (int i = 0; i < *n_pages; i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      g_autofree char *page_text = poppler_page_get_text (page);

      g_string_append_printf (text, "%s\n", page_text);
      g_object_unref (page);
    }
  g_object_unref (document);

  return g_regex_replace_literal (space, text->str, -1, 0, " ", 0, NULL);
}

static char *
squeeze (const char *text)
{
  g_autoptr(GRegex) space = g_regex_new ("\\s+", 0, 0, NULL);

  return g_regex_replace_literal (space, text, -1, 0, " ", 0, NULL);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  g_autofree char *squeezed = squeeze (needle);

  if (strstr (haystack, squeezed) == NULL)
    g_error ("“%s” is not in the report:\n%s", squeezed, haystack);
}

static GlsDesign *
add_sample_board (Fixture *f)
{
  g_autoptr(GlsDesign) design = test_workspace_add_sample (f->workspace, "board.svg");
  g_autofree char *path = test_sample_path ("board-comments.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gls_workspace_import (f->workspace, json_parser_get_root (parser),
                                         gls_design_get_id (design), &error), >, 0);
  g_assert_no_error (error);
  return g_steal_pointer (&design);
}

static GlsReportInput *
report_for (Fixture   *f,
            GlsDesign *design)
{
  g_autoptr(GListModel) threads = gls_workspace_get_threads (f->workspace, gls_design_get_source (design));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) file = gls_workspace_load_design_file (f->workspace, gls_design_get_id (design), &error);
  GlsReportInput *input;

  g_assert_no_error (error);
  input = gls_report_input_new (design, file);
  gls_report_input_add_threads (input, threads);
  return input;
}

typedef struct
{
  guint calls;
  guint done;
  guint total;
  guint cancel_at;
  GCancellable *cancellable;
} Progress;

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  Progress *progress = user_data;

  g_assert_cmpuint (done, <=, total);
  g_assert_cmpuint (done, >, progress->done);
  progress->calls++;
  progress->done = done;
  progress->total = total;
  if (progress->cancel_at > 0 && done == progress->cancel_at)
    g_cancellable_cancel (progress->cancellable);
}

/* The sample board, its four threads: a cover, the board with its pins,
 * the threads; each comment's author and words are in the PDF's text. */
static void
test_report_sample_board (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GlsDesign) design = add_sample_board (f);
  g_autoptr(GlsReportInput) report = report_for (f, design);
  g_autofree char *path = g_build_filename (f->out_dir, "board review.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GListModel) threads = gls_workspace_get_threads (f->workspace, gls_design_get_source (design));
  Progress progress = { 0 };
  guint n_pages = 0;
  int n_read = 0;

  g_assert_cmpuint (g_list_model_get_n_items (threads), ==, 4);
  report->version = 1;
  report->n_versions = 1;
  g_assert_true (gls_report_write (report, path, progress_cb, &progress, &n_pages, NULL, &error));
  g_assert_no_error (error);

  /* Cover, the board, one page of threads. */
  g_assert_cmpuint (n_pages, ==, 3);
  text = pdf_text (path, &n_read);
  g_assert_cmpint (n_read, ==, 3);
  g_assert_cmpuint (progress.done, ==, progress.total);
  g_assert_cmpuint (progress.total, ==, 1 + 1 + 4);

  assert_contains (text, "board.svg");
  assert_contains (text, "1 of 1");
  assert_contains (text, "CC BY 4.0");
  assert_contains (text, "No decisions yet");
  for (guint i = 0; i < g_list_model_get_n_items (threads); i++)
    {
      g_autoptr(GlsThread) thread = g_list_model_get_item (threads, i);
      GListModel *comments = gls_thread_get_comments (thread);
      g_autofree char *heading = g_strdup_printf ("#%u · %s", gls_thread_get_number (thread),
                                                  gls_thread_get_resolved (thread) ? "Resolved" : "Open");

      assert_contains (text, heading);
      for (guint j = 0; j < g_list_model_get_n_items (comments); j++)
        {
          g_autoptr(GlsComment) comment = g_list_model_get_item (comments, j);

          assert_contains (text, gls_comment_get_author_name (comment));
          assert_contains (text, gls_comment_get_text (comment));
        }
    }

  /* The counts on the cover add up to the threads. */
  {
    guint n_resolved = 0;
    g_autofree char *counts = NULL;

    for (guint i = 0; i < report->threads->len; i++)
      n_resolved += ((GlsReportThread *) g_ptr_array_index (report->threads, i))->resolved;
    counts = g_strdup_printf ("%u open, %u resolved", report->threads->len - n_resolved, n_resolved);
    assert_contains (text, counts);
  }

  /* Only the report is left in the directory: no temporary file. */
  {
    g_autofree char *names = list_dir (f->out_dir);

    g_assert_cmpstr (names, ==, "board review.pdf");
  }
}

/* The reviewers' decisions are on the cover, with their words. */
static void
test_report_reviews (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GlsDesign) design = add_sample_board (f);
  g_autoptr(GlsReportInput) report = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(GlsAnnotation) review = NULL;
  g_autofree char *path = g_build_filename (f->out_dir, "r.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  int n_read;

  review = gls_workspace_review (f->workspace, gls_design_get_id (design), GLS_DECISION_CHANGES_REQUESTED,
                                 "Swap the LED footprint first.", &error);
  g_assert_no_error (error);
  reviews = gls_workspace_list_reviews (f->workspace, design, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reviews->len, ==, 1);

  report = report_for (f, design);
  gls_report_input_add_reviews (report, reviews);
  gls_report_input_add_review (report, "Ben Okafor", GLS_DECISION_APPROVED, "2026-03-12T14:05:00Z", NULL);
  g_assert_true (gls_report_write (report, path, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  text = pdf_text (path, &n_read);
  assert_contains (text, "Requested changes");
  assert_contains (text, "Swap the LED footprint first.");
  assert_contains (text, "Ben Okafor: Approved");
  g_assert_null (strstr (text, "No decisions yet"));
}

/* A PDF: each of its pages, with the threads' pins on theirs. */
static void
test_report_pdf_pages (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GlsDesign) design = test_workspace_add_sample (f->workspace, "datasheet.pdf");
  g_autoptr(GlsReportInput) report = NULL;
  g_autofree char *path = g_build_filename (f->out_dir, "datasheet review.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GlsSelector point = { .kind = GLS_SELECTOR_POINT, .page = 2, .x = 100, .y = 200 };
  GlsSelector region = { .kind = GLS_SELECTOR_RECT, .page = 4, .x = 50, .y = 60, .width = 200, .height = 80 };
  g_autoptr(GlsAnnotation) a = NULL;
  g_autoptr(GlsAnnotation) b = NULL;
  g_autoptr(GlsAnnotation) reply = NULL;
  guint n_pages;
  int n_read;

  a = gls_workspace_comment (f->workspace, gls_design_get_id (design), &point, "Pin 3 is labelled twice.", &error);
  g_assert_no_error (error);
  b = gls_workspace_comment (f->workspace, gls_design_get_id (design), &region, "This table needs units.", &error);
  g_assert_no_error (error);
  reply = gls_workspace_reply (f->workspace, gls_annotation_get_id (b), "Added mA and V.", &error);
  g_assert_no_error (error);

  report = report_for (f, design);
  g_assert_true (gls_report_write (report, path, NULL, NULL, &n_pages, NULL, &error));
  g_assert_no_error (error);

  /* Cover, the five pages, one page of threads. */
  g_assert_cmpuint (n_pages, ==, 1 + 5 + 1);
  text = pdf_text (path, &n_read);
  g_assert_cmpint (n_read, ==, 7);
  assert_contains (text, "Page 2 of 5");
  assert_contains (text, "Page 5 of 5");
  assert_contains (text, "#1 · Open · Page 2");
  assert_contains (text, "#2 · Open · Page 4");
  assert_contains (text, "Pin 3 is labelled twice.");
  assert_contains (text, "Added mA and V.");
}

/* A text design: its threads with their quoted passages, no pictures. */
static void
test_report_text (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GlsDesign) design = test_workspace_add_sample (f->workspace, "assembly-guide.md");
  g_autoptr(GlsReportInput) report = NULL;
  g_autofree char *path = g_build_filename (f->out_dir, "guide.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsAnnotation) a = NULL;
  g_autofree char *text = NULL;
  g_auto(GlsSelector) quote = { 0 };
  guint n_pages;
  int n_read;

  gls_selector_init_text (&quote, -1, -1, "Glossa Blinky", NULL, NULL);
  a = gls_workspace_comment (f->workspace, gls_design_get_id (design), &quote, "Say which revision.", &error);
  g_assert_no_error (error);

  report = report_for (f, design);
  g_assert_true (gls_report_write (report, path, NULL, NULL, &n_pages, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_pages, ==, 2);
  text = pdf_text (path, &n_read);
  assert_contains (text, "“Glossa Blinky”");
  assert_contains (text, "Say which revision.");
}

/* A design whose file is damaged: an error, and nothing written — not
 * even over a file that was there. */
static void
test_report_damaged (Fixture       *f,
                     gconstpointer  data)
{
  static const char *const kinds[][2] = {
    { "broken.png", "image/png" },
    { "broken.svg", "image/svg+xml" },
    { "broken.pdf", "application/pdf" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static ("\x89PNG\r\n\x1a\n%PDF-1.4 <svg not really", 33);
      g_autoptr(GlsDesign) design = NULL;
      g_autoptr(GlsReportInput) report = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_build_filename (f->out_dir, "kept.pdf", NULL);
      g_autofree char *kept = NULL;
      g_autofree char *names = NULL;

      design = gls_design_new_for_bytes (kinds[i][0], kinds[i][1], bytes, GLS_DEFAULT_LICENSE, ANA_ID, "Ana", "2026-03-12T14:05:00Z", NULL, &error);
      g_assert_no_error (error);
      report = gls_report_input_new (design, bytes);
      g_assert_true (g_file_set_contents (path, "before", -1, NULL));

      g_assert_false (gls_report_write (report, path, NULL, NULL, NULL, NULL, &error));
      g_assert_error (error, GLS_REPORT_ERROR, GLS_REPORT_ERROR_DAMAGED);
      g_assert_true (g_file_get_contents (path, &kept, NULL, NULL));
      g_assert_cmpstr (kept, ==, "before");
      names = list_dir (f->out_dir);
      g_assert_cmpstr (names, ==, "kept.pdf");
      g_clear_error (&error);

      if (g_str_has_suffix (kinds[i][0], ".pdf"))
        {
          g_assert_false (gls_annotated_pdf_write (report, path, NULL, NULL, NULL, &error));
          g_assert_error (error, GLS_REPORT_ERROR, GLS_REPORT_ERROR_DAMAGED);
          g_clear_pointer (&names, g_free);
          names = list_dir (f->out_dir);
          g_assert_cmpstr (names, ==, "kept.pdf");
        }
      g_unlink (path);
    }
}

/* Cancelled halfway: an error, and no file, half or whole. */
static void
test_report_cancelled (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GlsDesign) design = add_sample_board (f);
  g_autoptr(GlsReportInput) report = report_for (f, design);
  g_autofree char *path = g_build_filename (f->out_dir, "board review.pdf", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *names = NULL;
  Progress progress = { .cancel_at = 3, .cancellable = cancellable };

  g_assert_false (gls_report_write (report, path, progress_cb, &progress, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (progress.done, ==, 3);
  names = list_dir (f->out_dir);
  g_assert_cmpstr (names, ==, "");
}

/* A directory that cannot be written to: a readable error. */
static void
test_report_unwritable (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GlsDesign) design = add_sample_board (f);
  g_autoptr(GlsReportInput) report = report_for (f, design);
  g_autofree char *path = g_build_filename (f->out_dir, "no such dir", "r.pdf", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (gls_report_write (report, path, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, GLS_REPORT_ERROR, GLS_REPORT_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, "no such dir"));
}

static JsonObject *
read_annots (const char *path,
             JsonNode  **keep)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "read-pdf-annots.py", NULL);
  const char *python = g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE) ? "/usr/bin/python3" : "python3";
  const char *argv[] = { python, script, path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s could not read the annotated PDF (is python3-pypdf installed?): %s", script, err);

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  *keep = json_node_copy (json_parser_get_root (parser));
  return json_node_get_object (*keep);
}

static JsonObject *
find_annot (JsonArray  *annots,
            const char *contents_part)
{
  for (guint i = 0; i < json_array_get_length (annots); i++)
    {
      JsonObject *annot = json_array_get_object_element (annots, i);

      if (strstr (json_object_get_string_member (annot, "contents"), contents_part) != NULL)
        return annot;
    }
  g_error ("no annotation says “%s”", contents_part);
  return NULL;
}

/* The datasheet with a note at a pin, a square round a region and a note
 * on a whole page, read back with pypdf: subtypes, places, contents with
 * the replies, authors. */
static void
test_annotated_pdf (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GlsDesign) design = test_workspace_add_sample (f->workspace, "datasheet.pdf");
  g_autoptr(GlsReportInput) report = NULL;
  g_autofree char *path = g_build_filename (f->out_dir, "annotated.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) keep = NULL;
  GlsSelector point = { .kind = GLS_SELECTOR_POINT, .page = 2, .x = 100, .y = 200 };
  GlsSelector region = { .kind = GLS_SELECTOR_RECT, .page = 4, .x = 50, .y = 60, .width = 200, .height = 80 };
  GlsSelector page = { .kind = GLS_SELECTOR_NONE, .page = 5 };
  g_autoptr(GlsAnnotation) a = NULL;
  g_autoptr(GlsAnnotation) b = NULL;
  g_autoptr(GlsAnnotation) c = NULL;
  g_autoptr(GlsAnnotation) reply = NULL;
  g_autoptr(GlsAnnotation) resolved = NULL;
  const char *me;
  JsonObject *result, *annot;
  JsonArray *annots, *rect;
  double page_height;
  Progress progress = { 0 };

  a = gls_workspace_comment (f->workspace, gls_design_get_id (design), &point, "Pin 3 is labelled twice.", &error);
  g_assert_no_error (error);
  b = gls_workspace_comment (f->workspace, gls_design_get_id (design), &region, "This table needs units.", &error);
  g_assert_no_error (error);
  reply = gls_workspace_reply (f->workspace, gls_annotation_get_id (b), "Added mA and V.", &error);
  g_assert_no_error (error);
  resolved = gls_workspace_set_resolved (f->workspace, gls_annotation_get_id (b), TRUE, &error);
  g_assert_no_error (error);
  c = gls_workspace_comment (f->workspace, gls_design_get_id (design), &page, "Ünïcode — “quoted” notes.", &error);
  g_assert_no_error (error);

  report = report_for (f, design);
  me = ((GlsReportThread *) g_ptr_array_index (report->threads, 0))->author;
  g_assert_nonnull (me);
  g_assert_cmpstr (me, !=, "");
  g_assert_true (gls_annotated_pdf_write (report, path, progress_cb, &progress, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (progress.done, ==, progress.total);

  result = read_annots (path, &keep);
  g_assert_cmpint (json_object_get_int_member (result, "pages"), ==, 5);
  annots = json_object_get_array_member (result, "annotations");
  g_assert_cmpuint (json_array_get_length (annots), ==, 3);

  /* A text note whose top-left is the pin (PDF y goes up). */
  {
    PopplerDocument *pdf = poppler_document_new_from_file (g_filename_to_uri (path, NULL, NULL), NULL, &error);
    PopplerPage *p;

    g_assert_no_error (error);
    p = poppler_document_get_page (pdf, 1);
    poppler_page_get_size (p, NULL, &page_height);
    g_object_unref (p);
    g_object_unref (pdf);
  }
  annot = find_annot (annots, "Pin 3 is labelled twice.");
  g_assert_cmpstr (json_object_get_string_member (annot, "subtype"), ==, "/Text");
  g_assert_cmpint (json_object_get_int_member (annot, "page"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (annot, "author"), ==, me);
  g_assert_nonnull (strstr (json_object_get_string_member (annot, "contents"), "#1"));
  g_assert_nonnull (strstr (json_object_get_string_member (annot, "contents"), me));
  rect = json_object_get_array_member (annot, "rect");
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (rect, 0), 100, 0.01);
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (rect, 3), page_height - 200, 0.01);

  /* A square round the region, with the reply and its state. */
  annot = find_annot (annots, "This table needs units.");
  g_assert_cmpstr (json_object_get_string_member (annot, "subtype"), ==, "/Square");
  g_assert_cmpint (json_object_get_int_member (annot, "page"), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (annot, "author"), ==, me);
  g_assert_nonnull (strstr (json_object_get_string_member (annot, "contents"), "Added mA and V."));
  g_assert_nonnull (strstr (json_object_get_string_member (annot, "contents"), "Resolved"));
  rect = json_object_get_array_member (annot, "rect");
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (rect, 0), 50, 0.01);
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (rect, 1), page_height - 140, 0.01);
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (rect, 2), 250, 0.01);
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (rect, 3), page_height - 60, 0.01);

  /* The whole page: a note on it, its text whole in UTF-16. */
  annot = find_annot (annots, "Ünïcode — “quoted” notes.");
  g_assert_cmpstr (json_object_get_string_member (annot, "subtype"), ==, "/Text");
  g_assert_cmpint (json_object_get_int_member (annot, "page"), ==, 5);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (annot, "modified"), "D:"));

  /* Nothing else in the directory. */
  {
    g_autofree char *names = list_dir (f->out_dir);

    g_assert_cmpstr (names, ==, "annotated.pdf");
  }
}

/* An image has no PDF to annotate: refused, with a reason. */
static void
test_annotated_pdf_refuses_image (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GlsDesign) design = add_sample_board (f);
  g_autoptr(GlsReportInput) report = report_for (f, design);
  g_autofree char *path = g_build_filename (f->out_dir, "annotated.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *names = NULL;

  g_assert_false (gls_annotated_pdf_write (report, path, NULL, NULL, NULL, &error));
  g_assert_error (error, GLS_REPORT_ERROR, GLS_REPORT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "board.svg"));
  names = list_dir (f->out_dir);
  g_assert_cmpstr (names, ==, "");
}

static void
test_report_suggest_name (void)
{
  g_autofree char *name_a = gls_report_suggest_name ("board.svg", FALSE);
  g_autofree char *name_b = gls_report_suggest_name ("a/b.pdf", TRUE);
  g_autofree char *name_c = gls_report_suggest_name (".hidden", FALSE);

  g_assert_cmpstr (name_a, ==, "board review.pdf");
  g_assert_cmpstr (name_b, ==, "a-b annotated.pdf");
  g_assert_cmpstr (name_c, ==, "Design review.pdf");
}

int
main (int    argc,
      char **argv)
{
  /* English words to look for in the PDF, and a fixed time zone. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/report/sample-board", test_report_sample_board);
  ADD ("/report/reviews", test_report_reviews);
  ADD ("/report/pdf-pages", test_report_pdf_pages);
  ADD ("/report/text", test_report_text);
  ADD ("/report/damaged", test_report_damaged);
  ADD ("/report/cancelled", test_report_cancelled);
  ADD ("/report/unwritable", test_report_unwritable);
  ADD ("/report/annotated-pdf", test_annotated_pdf);
  ADD ("/report/annotated-pdf-refuses-image", test_annotated_pdf_refuses_image);
#undef ADD
  g_test_add_func ("/report/suggest-name", test_report_suggest_name);

  return g_test_run ();
}
