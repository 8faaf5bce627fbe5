/* test-cli.c: the command line, run as a user runs it
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sys/stat.h>

#include "gls-workspace.h"
#include "test-util.h"

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static char *data_dir;

/* Runs glossa with the arguments (NULL-terminated) and the test's data dir. */
static Run
glossa (const char *first,
        ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("GLOSSA_BIN"));
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, (char *) "--data-dir");
  g_ptr_array_add (argv, data_dir);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run.out, &run.err, &error);
  g_assert_no_error (error);
  run.status = g_subprocess_get_exit_status (process);

  if (run.status != 0 && g_test_verbose ())
    g_printerr ("glossa %s → %d: %s", first, run.status, run.err);

  return run;
}

static char *
must (Run run)
{
  if (run.status != 0)
    g_error ("glossa failed (%d): %s", run.status, run.err);
  g_free (run.err);
  return g_strstrip (run.out);
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
fresh_data_dir (void)
{
  g_free (data_dir);
  data_dir = g_dir_make_tmp ("glossa-cli-XXXXXX", NULL);
}

static JsonArray *
threads_of (const char *design,
            JsonNode  **keep)
{
  g_autofree char *out = must (glossa ("list", design, "--json", NULL));

  *keep = parse (out);
  return json_node_get_array (*keep);
}

static void
test_cli_thread_lifecycle (void)
{
  g_autofree char *board = test_sample_path ("board.svg");
  g_autofree char *design = NULL;
  g_autofree char *root = NULL;
  g_autofree char *region = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *listing = NULL;
  g_autoptr(JsonNode) keep = NULL;
  JsonArray *threads;
  JsonObject *first;
  JsonArray *comments;

  fresh_data_dir ();
  design = must (glossa ("add", board, NULL));
  g_assert_true (g_str_has_prefix (design, "urn:uuid:"));

  listing = must (glossa ("list", NULL));
  g_assert_nonnull (strstr (listing, "board.svg"));

  /* A prefix of the id is enough. */
  root = must (glossa ("comment", design + strlen ("urn:uuid:"), "--text", "Is R3 10k?", "--point", "120,80", NULL));
  region = must (glossa ("comment", design, "--text", "Move the USB connector", "--rect", "10,20,30,40", NULL));
  reply = must (glossa ("reply", root, "--text", "Yes, 10k", NULL));
  g_free (must (glossa ("edit", root, "--text", "Is R3 really 10k?", NULL)));
  g_free (must (glossa ("resolve", reply, NULL)));
  g_free (must (glossa ("delete", region, NULL)));

  threads = threads_of (design, &keep);
  g_assert_cmpuint (json_array_get_length (threads), ==, 1);
  first = json_array_get_object_element (threads, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "status"), ==, "resolved");
  g_assert_cmpstr (json_object_get_string_member (first, "selector"), ==, "xywh=120,80,0,0");
  g_assert_cmpint (json_object_get_int_member (first, "replies"), ==, 1);
  comments = json_object_get_array_member (first, "comments");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (comments, 0), "text"), ==,
                   "Is R3 really 10k?");
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (comments, 0), "edited"));
  g_clear_pointer (&keep, json_node_unref);

  g_free (must (glossa ("reopen", root, NULL)));
  threads = threads_of (design, &keep);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (threads, 0), "status"), ==, "open");
}

/* A text file (Markdown): comments on passages, found by quote or by
 * characters, listed with where they are. */
static void
test_cli_text (void)
{
  /* Non-ASCII and an emoji (one code point) before the passages. */
  const char *markdown = "# Montage 🎉\n\nSolder R1 first.\nThen solder R1 again, née twice.\n";
  g_autofree char *dir = g_dir_make_tmp ("glossa-cli-text-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "guide.md", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "latin1.txt", NULL);
  g_autofree char *design = NULL;
  g_autofree char *by_quote = NULL;
  g_autofree char *by_chars = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *designs = NULL;
  g_auto(Run) ambiguous = { 0 };
  g_auto(Run) missing = { 0 };
  g_auto(Run) point = { 0 };
  g_auto(Run) both = { 0 };
  g_auto(Run) beyond = { 0 };
  g_auto(Run) latin1 = { 0 };
  g_auto(Run) quote_on_image = { 0 };
  g_autofree char *board = test_sample_path ("board.png");
  g_autofree char *image = NULL;
  g_autoptr(JsonNode) keep = NULL;
  JsonArray *threads;
  JsonObject *first, *second, *anchor;

  fresh_data_dir ();
  g_assert_true (g_file_set_contents (path, markdown, -1, NULL));
  design = must (glossa ("add", path, NULL));
  designs = must (glossa ("list", "--json", NULL));
  g_assert_nonnull (strstr (designs, "text/markdown"));

  /* "R1" twice: the quote alone is ambiguous, and says so. */
  ambiguous = glossa ("comment", design, "--text", "Which R1?", "--quote", "R1", NULL);
  g_assert_cmpint (ambiguous.status, ==, 1);
  g_assert_nonnull (strstr (ambiguous.err, "--prefix"));
  missing = glossa ("comment", design, "--text", "Where?", "--quote", "R7", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "R7"));

  by_quote = must (glossa ("comment", design, "--text", "Say which side", "--quote", "R1",
                           "--suffix", " again", NULL));
  /* "née" by characters: "# Montage 🎉" is 12 code points, the emoji one. */
  {
    glong at = g_utf8_pointer_to_offset (markdown, strstr (markdown, "née"));
    g_autofree char *chars = g_strdup_printf ("%ld,%ld", at, at + 3);

    by_chars = must (glossa ("comment", design, "--text", "Typo?", "--chars", chars, NULL));
  }

  threads = threads_of (design, &keep);
  g_assert_cmpuint (json_array_get_length (threads), ==, 2);
  first = json_array_get_object_element (threads, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, by_quote);
  g_assert_cmpstr (json_object_get_string_member (first, "quote"), ==, "R1");
  g_assert_cmpint (json_object_get_int_member (first, "start"), ==,
                   g_utf8_pointer_to_offset (markdown, strstr (markdown, "R1 again")));
  anchor = json_object_get_object_member (first, "anchor");
  g_assert_cmpstr (json_object_get_string_member (anchor, "state"), ==, "in-place");
  g_assert_cmpint (json_object_get_int_member (anchor, "line"), ==, 4);
  second = json_array_get_object_element (threads, 1);
  g_assert_cmpstr (json_object_get_string_member (second, "quote"), ==, "née");
  g_assert_cmpint (json_object_get_int_member (second, "end") - json_object_get_int_member (second, "start"), ==, 3);

  listing = must (glossa ("list", design, NULL));
  g_assert_nonnull (strstr (listing, "“R1”"));
  g_assert_nonnull (strstr (listing, "[line 4]"));

  /* What does not fit a text. */
  point = glossa ("comment", design, "--text", "here", "--point", "1,2", NULL);
  g_assert_cmpint (point.status, ==, 1);
  both = glossa ("comment", design, "--text", "here", "--quote", "R1", "--chars", "0,2", NULL);
  g_assert_cmpint (both.status, ==, 2);
  beyond = glossa ("comment", design, "--text", "here", "--chars", "0,100000", NULL);
  g_assert_cmpint (beyond.status, ==, 1);
  g_assert_nonnull (strstr (beyond.err, "--chars"));
  image = must (glossa ("add", board, NULL));
  quote_on_image = glossa ("comment", image, "--text", "here", "--quote", "R1", NULL);
  g_assert_cmpint (quote_on_image.status, ==, 1);
  g_assert_nonnull (strstr (quote_on_image.err, "not a text"));

  /* A new version: the threads of the first are found again in it. */
  {
    g_autofree char *v2 = NULL;
    g_autoptr(JsonNode) keep2 = NULL;
    JsonArray *carried;
    JsonObject *moved, *where;

    g_assert_true (g_file_set_contents (path, "# Montage 🎉\n\nA new line.\n\nSolder R1 first.\n"
                                        "Then solder R1 again, now twice.\n", -1, NULL));
    v2 = must (glossa ("add", path, NULL));
    g_assert_cmpstr (v2, !=, design);
    carried = threads_of (v2, &keep2);
    g_assert_cmpuint (json_array_get_length (carried), ==, 2);
    moved = json_array_get_object_element (carried, 0);
    g_assert_cmpint (json_object_get_int_member (moved, "version"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (moved, "design"), ==, design);
    where = json_object_get_object_member (moved, "anchor");
    g_assert_cmpstr (json_object_get_string_member (where, "state"), ==, "moved");
    g_assert_cmpint (json_object_get_int_member (where, "line"), ==, 6);
    /* "née" became "now": changed, and still shown. */
    where = json_object_get_object_member (json_array_get_object_element (carried, 1), "anchor");
    g_assert_cmpstr (json_object_get_string_member (where, "state"), !=, "in-place");
  }

  /* Hypothesis's W3C export: a web page's URL as the source, a list of
   * RangeSelector, TextPositionSelector and TextQuoteSelector; imported
   * onto the text with --design, found in place. */
  {
    g_autofree char *hypothesis = g_build_filename (dir, "hypothesis.jsonld", NULL);
    gint64 at = g_utf8_pointer_to_offset (markdown, strstr (markdown, "Solder R1 first"));
    g_autofree char *json = g_strdup_printf (
      "{\"@context\": \"http://www.w3.org/ns/anno.jsonld\", \"type\": \"Annotation\","
      " \"id\": \"https://hypothes.is/a/Jz3bE2uWEe6X1w\", \"created\": \"2026-11-30T09:12:44.122Z\","
      " \"creator\": \"acct:chloe@hypothes.is\", \"motivation\": \"commenting\","
      " \"body\": [{\"type\": \"TextualBody\", \"value\": \"Which side first?\", \"format\": \"text/markdown\"}],"
      " \"target\": [{\"source\": \"https://example.org/guide.md\", \"selector\": ["
      "  {\"type\": \"RangeSelector\", \"startSelector\": {\"type\": \"XPathSelector\", \"value\": \"/p[1]\"},"
      "   \"endSelector\": {\"type\": \"XPathSelector\", \"value\": \"/p[1]\"}, \"startOffset\": 0, \"endOffset\": 15},"
      "  {\"type\": \"TextPositionSelector\", \"start\": %" G_GINT64_FORMAT ", \"end\": %" G_GINT64_FORMAT "},"
      "  {\"type\": \"TextQuoteSelector\", \"exact\": \"Solder R1 first\", \"prefix\": \"\\n\\n\", \"suffix\": \".\\nThen\"}]}]}",
      at, at + 15);
    g_autofree char *imported = NULL;
    g_autoptr(JsonNode) keep3 = NULL;
    JsonArray *all;
    gboolean found = FALSE;

    g_assert_true (g_file_set_contents (hypothesis, json, -1, NULL));
    imported = must (glossa ("import", hypothesis, "--design", design, NULL));
    g_assert_nonnull (strstr (imported, "1"));
    all = threads_of (design, &keep3);
    for (guint i = 0; i < json_array_get_length (all); i++)
      {
        JsonObject *t = json_array_get_object_element (all, i);

        if (g_strcmp0 (json_object_get_string_member_with_default (t, "quote", ""), "Solder R1 first") != 0)
          continue;
        found = TRUE;
        g_assert_cmpint (json_object_get_int_member (t, "start"), ==, at);
        g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (t, "anchor"), "state"), ==,
                         "in-place");
      }
    g_assert_true (found);
  }

  /* A file that is not UTF-8 is refused, clearly, and not added. */
  g_assert_true (g_file_set_contents (bad_path, "line one\nline two\ncaf\xe9\n", -1, NULL));
  latin1 = glossa ("add", bad_path, NULL);
  g_assert_cmpint (latin1.status, ==, 1);
  g_assert_nonnull (strstr (latin1.err, "UTF-8"));
  g_assert_nonnull (strstr (latin1.err, "3"));
  g_free (designs);
  designs = must (glossa ("list", NULL));
  g_assert_null (strstr (designs, "latin1.txt"));

  test_rm_rf (dir);
}

/* Suggestions on a Markdown file and on a PO file: suggest, accept or
 * decline, apply into a new version; one that would break the PO file
 * is named and not applied. */
static void
test_cli_suggest (void)
{
  const char *markdown = "# Guide\n\nSolder R1 (330 Ω) first.\nThen D1.\n";
  const char *po =
    "msgid \"\"\n"
    "msgstr \"\"\n"
    "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
    "\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n"
    "\n"
    "#, c-format\n"
    "msgid \"%d LEDs blink\"\n"
    "msgstr \"%d LEDs blinken\"\n"
    "\n"
    "msgid \"Solder the \\\"big\\\" pad\"\n"
    "msgstr \"Löte das \\\"große\\\" Feld\"\n";
  g_autofree char *dir = g_dir_make_tmp ("glossa-cli-suggest-XXXXXX", NULL);
  g_autofree char *md_path = g_build_filename (dir, "guide.md", NULL);
  g_autofree char *po_path = g_build_filename (dir, "de.po", NULL);
  g_autofree char *out_md = g_build_filename (dir, "out.md", NULL);
  g_autofree char *out_po = g_build_filename (dir, "out.po", NULL);
  g_autofree char *md = NULL, *pofile = NULL;
  g_autofree char *value = NULL, *first = NULL, *version = NULL;
  g_autofree char *pad = NULL, *broken = NULL, *po_version = NULL;
  g_autofree char *written = NULL;
  g_autofree char *listing = NULL;
  g_auto(Run) nothing = { 0 };
  g_auto(Run) on_comment = { 0 };
  g_auto(Run) partial = { 0 };
  g_auto(Run) no_message = { 0 };
  g_autoptr(JsonNode) keep = NULL;
  JsonArray *threads;

  fresh_data_dir ();
  g_assert_true (g_file_set_contents (md_path, markdown, -1, NULL));
  g_assert_true (g_file_set_contents (po_path, po, -1, NULL));
  md = must (glossa ("add", md_path, NULL));
  pofile = must (glossa ("add", po_path, NULL));

  /* Nothing accepted yet: nothing to apply. */
  nothing = glossa ("apply", md, NULL);
  g_assert_cmpint (nothing.status, ==, 1);
  g_assert_nonnull (strstr (nothing.err, "no accepted suggestions"));

  value = must (glossa ("suggest", md, "--quote", "330 Ω", "--text", "220 Ω", NULL));
  first = must (glossa ("suggest", md, "--quote", "first", "--text", "last", NULL));
  g_free (must (glossa ("reply", value, "--text", "The kit has 220 Ω ones", NULL)));
  g_free (must (glossa ("accept", value, NULL)));
  g_free (must (glossa ("decline", first, NULL)));

  threads = threads_of (md, &keep);
  g_assert_cmpuint (json_array_get_length (threads), ==, 2);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (threads, 0), "suggestion"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (threads, 0), "replacement"), ==,
                   "220 Ω");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (threads, 0), "decision"), ==,
                   "accepted");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (threads, 1), "decision"), ==,
                   "declined");
  listing = must (glossa ("list", md, NULL));
  g_assert_nonnull (strstr (listing, "accepted"));
  g_assert_nonnull (strstr (listing, "suggests “220 Ω”"));

  version = must (glossa ("apply", md, "-o", out_md, NULL));
  g_assert_true (g_str_has_prefix (version, "urn:uuid:"));
  g_assert_cmpstr (version, !=, md);
  g_assert_true (g_file_get_contents (out_md, &written, NULL, NULL));
  g_assert_cmpstr (written, ==, "# Guide\n\nSolder R1 (220 Ω) first.\nThen D1.\n");
  g_clear_pointer (&written, g_free);

  /* A comment is not a suggestion. */
  {
    g_autofree char *comment = must (glossa ("comment", md, "--text", "nice", "--quote", "Guide", NULL));

    on_comment = glossa ("accept", comment, NULL);
    g_assert_cmpint (on_comment.status, ==, 1);
    g_assert_nonnull (strstr (on_comment.err, "not a suggestion"));
  }

  /* PO: a whole translation by its message, escapes and all; one that
   * loses %d is refused at apply, named, and the rest applied. */
  pad = must (glossa ("suggest", pofile, "--message", "Solder the \"big\" pad",
                      "--text", "Löte das \"große\" Pad", NULL));
  broken = must (glossa ("suggest", pofile, "--message", "%d LEDs blink", "--text", "LEDs blinken", NULL));
  g_free (must (glossa ("accept", pad, NULL)));
  g_free (must (glossa ("accept", broken, NULL)));
  partial = glossa ("apply", pofile, "-o", out_po, NULL);
  g_assert_cmpint (partial.status, ==, 1);
  g_assert_nonnull (strstr (partial.err, broken));
  g_assert_true (g_file_get_contents (out_po, &written, NULL, NULL));
  g_assert_nonnull (strstr (written, "msgstr \"Löte das \\\"große\\\" Pad\""));
  g_assert_nonnull (strstr (written, "msgstr \"%d LEDs blinken\""));
  {
    const char *argv[] = { "msgfmt", "--check", "-o", "/dev/null", out_po, NULL };
    g_autoptr(GSubprocess) msgfmt = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, NULL);

    g_assert_nonnull (msgfmt);
    g_assert_true (g_subprocess_wait_check (msgfmt, NULL, NULL));
  }

  no_message = glossa ("suggest", pofile, "--message", "Nothing like this", "--text", "x", NULL);
  g_assert_cmpint (no_message.status, ==, 1);
  g_assert_nonnull (strstr (no_message.err, "Nothing like this"));

  test_rm_rf (dir);
}

static void
test_cli_pdf_page (void)
{
  g_autofree char *pdf = test_sample_path ("datasheet.pdf");
  g_autofree char *design = NULL;
  g_autoptr(JsonNode) keep = NULL;
  JsonArray *threads;

  fresh_data_dir ();
  design = must (glossa ("add", pdf, "--title", "Blinky datasheet", NULL));
  g_free (must (glossa ("comment", design, "--text", "Pin 4 is GND", "--rect", "72,100,200,50", "--page", "2", NULL)));
  g_free (must (glossa ("comment", design, "--text", "Whole page 3", "--page", "3", NULL)));

  threads = threads_of (design, &keep);
  g_assert_cmpuint (json_array_get_length (threads), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (threads, 0), "page"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (threads, 0), "selector"), ==,
                   "page=2&viewrect=72,100,200,50");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (threads, 1), "page"), ==, 3);
}

static void
test_cli_errors (void)
{
  g_autofree char *board = test_sample_path ("board.png");
  g_autofree char *design = NULL;
  g_auto(Run) missing_design = { 0 };
  g_auto(Run) bad_point = { 0 };
  g_auto(Run) no_text = { 0 };
  g_auto(Run) no_file = { 0 };
  g_auto(Run) bad_workspace = { 0 };
  g_auto(Run) unknown_option = { 0 };

  fresh_data_dir ();
  design = must (glossa ("add", board, NULL));

  missing_design = glossa ("comment", "ffffffff", "--text", "hi", NULL);
  g_assert_cmpint (missing_design.status, ==, 1);
  g_assert_nonnull (strstr (missing_design.err, "ffffffff"));
  g_assert_cmpstr (missing_design.out, ==, "");

  bad_point = glossa ("comment", design, "--text", "hi", "--point", "12", NULL);
  g_assert_cmpint (bad_point.status, ==, 2);
  g_assert_nonnull (strstr (bad_point.err, "--point"));

  no_text = glossa ("reply", "abc", NULL);
  g_assert_cmpint (no_text.status, ==, 2);
  g_assert_nonnull (strstr (no_text.err, "--text"));

  no_file = glossa ("add", "/nonexistent/board.png", NULL);
  g_assert_cmpint (no_file.status, ==, 1);
  g_assert_nonnull (strstr (no_file.err, "board.png"));

  bad_workspace = glossa ("list", "--workspace", "Not Valid", NULL);
  g_assert_cmpint (bad_workspace.status, ==, 1);
  g_assert_nonnull (strstr (bad_workspace.err, "Not Valid"));

  unknown_option = glossa ("list", "--frobnicate", NULL);
  g_assert_cmpint (unknown_option.status, ==, 2);
}

static void
test_cli_workspaces (void)
{
  g_autofree char *board = test_sample_path ("board.png");
  g_autofree char *in_default = NULL;
  g_autofree char *in_class = NULL;
  g_autofree char *design = NULL;

  fresh_data_dir ();
  design = must (glossa ("add", board, "--workspace", "class-2026", NULL));
  in_class = must (glossa ("list", "--workspace", "class-2026", NULL));
  in_default = must (glossa ("list", NULL));
  g_assert_nonnull (strstr (in_class, "board.png"));
  g_assert_null (strstr (in_default, "board.png"));
}

static void
test_cli_export_import (void)
{
  g_autofree char *board = test_sample_path ("board.png");
  g_autofree char *design = NULL;
  g_autofree char *root = NULL;
  g_autofree char *export_path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *first_dir = NULL;
  g_autofree char *imported = NULL;
  g_autofree char *design2 = NULL;
  g_autoptr(JsonNode) collection = NULL;
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *object;

  fresh_data_dir ();
  first_dir = g_strdup (data_dir);
  design = must (glossa ("add", board, NULL));
  root = must (glossa ("comment", design, "--text", "Check C1 polarity", "--rect", "5,5,50,50", NULL));
  g_free (must (glossa ("reply", root, "--text", "Checked", NULL)));

  export_path = g_build_filename (first_dir, "export.jsonld", NULL);
  g_free (must (glossa ("export", "-o", export_path, NULL)));
  g_assert_true (g_file_get_contents (export_path, &contents, NULL, NULL));
  collection = parse (contents);
  object = json_node_get_object (collection);
  g_assert_cmpstr (json_object_get_string_member (object, "@context"), ==, "http://www.w3.org/ns/anno.jsonld");
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "AnnotationCollection");
  g_assert_cmpint (json_object_get_int_member (object, "total"), ==, 2);

  /* Someone else imports it next to the same file. */
  fresh_data_dir ();
  design2 = must (glossa ("add", board, NULL));
  imported = must (glossa ("import", export_path, "--json", NULL));
  g_assert_cmpstr (imported, ==, "{\"imported\": 2}");
  {
    JsonArray *threads = threads_of (design2, &keep);
    g_assert_cmpuint (json_array_get_length (threads), ==, 1);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (threads, 0), "replies"), ==, 1);
  }

  /* The export carried its author's proofs, and the import kept them: the
   * words are still verifiably the first person's, not the importer's. */
  g_assert_nonnull (strstr (contents, "\"proofValue\""));
  {
    g_autofree char *out = must (glossa ("verify", "--json", NULL));
    g_autoptr(JsonNode) report = parse (out);
    JsonObject *r = json_node_get_object (report);

    /* Two annotations, the importer's design and profile. */
    g_assert_cmpint (json_object_get_int_member (r, "verified"), ==, 4);
    g_assert_cmpint (json_object_get_int_member (r, "unverified"), ==, 0);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (r, "failed")), ==, 0);
  }
}

static void
test_cli_import_refused (void)
{
  g_autofree char *board = test_sample_path ("board.png");
  g_autofree char *design = NULL;
  g_autofree char *path = NULL;
  g_auto(Run) refused = { 0 };
  g_auto(Run) garbage = { 0 };
  g_autoptr(JsonNode) keep = NULL;

  fresh_data_dir ();
  design = must (glossa ("add", board, NULL));
  path = g_build_filename (data_dir, "foreign.json", NULL);
  g_assert_true (g_file_set_contents (path,
    "[{\"id\": \"http://example.org/a/1\", \"type\": \"Annotation\", \"motivation\": \"commenting\", \"creator\": \"http://example.org/u/ana\","
    "  \"created\": \"2026-01-02T03:04:05Z\", \"body\": {\"type\": \"TextualBody\", \"value\": \"ok\"},"
    "  \"target\": {\"source\": \"http://example.org/board.png\"}},"
    " {\"id\": \"http://example.org/a/2\", \"type\": \"Annotation\", \"motivation\": \"commenting\", \"creator\": \"http://example.org/u/ana\","
    "  \"created\": \"2026-01-02T03:04:05Z\", \"body\": {\"type\": \"TextualBody\", \"value\": \"lost\"},"
    "  \"target\": {\"source\": \"http://example.org/elsewhere.png\"}}]", -1, NULL));

  refused = glossa ("import", path, NULL);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_nonnull (strstr (refused.err, "http://example.org/a/2"));
  g_assert_nonnull (strstr (refused.err, "target.source"));
  g_assert_cmpuint (json_array_get_length (threads_of (design, &keep)), ==, 0);

  g_assert_true (g_file_set_contents (path, "{\"type\": \"Annotation\", ", -1, NULL));
  garbage = glossa ("import", path, NULL);
  g_assert_cmpint (garbage.status, ==, 1);
  g_assert_nonnull (strstr (garbage.err, "foreign.json"));
}

/* Imports through the strict parser: refused with a message, nothing
 * written, and the workspace still opens. */
static void
test_cli_import_strict (void)
{
  static const char annotation[] =
    "{\"id\": \"http://example.org/a/%s\", \"type\": \"Annotation\", \"motivation\": \"commenting\","
    " \"creator\": \"http://example.org/u/ana\", \"created\": \"2026-01-02T03:04:05Z\","
    " \"body\": {\"type\": \"TextualBody\", \"value\": \"%s\"}%s,"
    " \"target\": {\"source\": \"http://example.org/board.png\"}}";
  static const struct
  {
    const char *value;    /* the body's text */
    const char *extra;    /* more members */
    const char *message;  /* on stderr */
  } bad[] = {
    { "\\ud800 x", "", "byte 201: lone surrogate" },
    { "x \\udc00", "", "lone surrogate" },
    { "caf\xe9", "", "string is not UTF-8" },
    { "x", ", \"n\": 1e400", "number out of range" },
    { "x", ", \"n\": -1e400", "number out of range" },
  };
  g_autofree char *board = test_sample_path ("board.png");
  g_autofree char *design = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GString) deep = g_string_new (NULL);

  fresh_data_dir ();
  design = must (glossa ("add", board, NULL));
  path = g_build_filename (data_dir, "in.json", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *json = g_strdup_printf (annotation, "bad", bad[i].value, bad[i].extra);
      g_auto(Run) refused = { 0 };
      g_autoptr(JsonNode) keep = NULL;

      g_assert_true (g_file_set_contents (path, json, -1, NULL));
      refused = glossa ("import", path, NULL);
      g_test_message ("%s", refused.err);
      g_assert_cmpint (refused.status, ==, 1);
      g_assert_nonnull (strstr (refused.err, "in.json"));
      g_assert_nonnull (strstr (refused.err, bad[i].message));
      /* Nothing written, and the workspace opens (0.1: "The store is damaged"). */
      g_assert_cmpuint (json_array_get_length (threads_of (design, &keep)), ==, 0);
    }

  /* 100,000 nested brackets: json-glib ran out of stack. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_assert_true (g_file_set_contents (path, deep->str, deep->len, NULL));
  {
    g_auto(Run) refused = glossa ("import", path, NULL);

    g_assert_cmpint (refused.status, ==, 1);
    g_assert_nonnull (strstr (refused.err, "nested too deeply"));
  }

  /* An empty file: a message, no GLib CRITICAL. */
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  {
    g_auto(Run) refused = glossa ("import", path, NULL);

    g_assert_cmpint (refused.status, ==, 1);
    g_assert_nonnull (strstr (refused.err, "the text is empty"));
    g_assert_null (strstr (refused.err, "CRITICAL"));
  }

  /* And the same annotation, well-formed, is imported. */
  {
    g_autofree char *json = g_strdup_printf (annotation, "good", "\\ud83d\\ude00 ok", "");
    g_autofree char *out = NULL;
    g_autoptr(JsonNode) keep = NULL;
    JsonArray *threads;

    g_assert_true (g_file_set_contents (path, json, -1, NULL));
    out = must (glossa ("import", path, "--json", NULL));
    g_assert_cmpstr (out, ==, "{\"imported\": 1}");
    threads = threads_of (design, &keep);
    g_assert_cmpuint (json_array_get_length (threads), ==, 1);
  }
}

/* An import that finds nothing says what it found, and fails (0.1:
 * "Imported 0 annotations" and success). */
static void
test_cli_import_nothing (void)
{
  static const struct
  {
    const char *json;
    const char *found;
  } cases[] = {
    { "[]", "found an empty array" },
    { "{\"type\": \"AnnotationCollection\", \"items\": [{\"id\": \"urn:uuid:1\"}]}",
      "found an AnnotationCollection with “items” but no pages" },
    { "{\"@context\": \"http://www.w3.org/ns/anno.jsonld\", \"type\": \"AnnotationCollection\","
      " \"first\": {\"type\": \"AnnotationPage\", \"items\": []}}",
      "found an AnnotationCollection whose pages hold no annotations" },
  };
  g_autofree char *path = NULL;

  fresh_data_dir ();
  path = g_build_filename (data_dir, "empty.json", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };

      g_assert_true (g_file_set_contents (path, cases[i].json, -1, NULL));
      run = glossa ("import", path, NULL);
      g_test_message ("%s", run.err);
      g_assert_cmpint (run.status, !=, 0);
      g_assert_nonnull (strstr (run.err, "Nothing to import"));
      g_assert_nonnull (strstr (run.err, cases[i].found));
      g_assert_null (strstr (run.out, "Imported"));
    }
}

/* A file named in bytes that are not UTF-8 is added under its displayable
 * name (0.1 stored the bytes, and the workspace could not open again). */
static void
test_cli_add_non_utf8_name (void)
{
  g_autofree char *board = test_sample_path ("board.png");
  g_autofree char *contents = NULL;
  g_autofree char *path = NULL;
  g_autofree char *design = NULL;
  g_autofree char *listed = NULL;
  g_autofree char *again = NULL;
  gsize length;

  fresh_data_dir ();
  g_assert_true (g_file_get_contents (board, &contents, &length, NULL));
  path = g_build_filename (data_dir, "plan \xff.png", NULL);
  g_assert_true (g_file_set_contents (path, contents, length, NULL));

  design = must (glossa ("add", path, NULL));
  g_assert_cmpstr (design, !=, "");

  listed = must (glossa ("list", "--json", NULL));
  /* U+FFFD REPLACEMENT CHARACTER where the byte was. */
  g_assert_nonnull (strstr (listed, "plan \xef\xbf\xbd.png"));
  g_assert_nonnull (strstr (listed, design));
  again = must (glossa ("list", NULL));
  g_assert_nonnull (strstr (again, "plan \xef\xbf\xbd.png"));
}

/* glossa serve, running until SIGTERM. */
typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
} Server;

static void
server_start (Server     *server,
              const char *extra)
{
  g_autoptr(GError) error = NULL;

  server->process = test_spawn (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                &error, g_getenv ("GLOSSA_BIN"), "serve", "--data-dir", data_dir,
                                "--port", "0", extra, NULL);
  g_assert_no_error (error);
  server->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
}

/* Reads one printed line: "WORKSPACE  LINK[  (read-only)]"; returns LINK. */
static char *
server_read_link (Server     *server,
                  const char *workspace)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_utf8 (server->out, NULL, NULL, &error);
  g_auto(GStrv) fields = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (line);
  fields = g_strsplit (line, "  ", -1);
  g_assert_cmpuint (g_strv_length (fields), >=, 2);
  g_assert_cmpstr (fields[0], ==, workspace);
  return g_strdup (fields[1]);
}

static void
server_stop (Server *server)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
  g_clear_object (&server->out);
  g_clear_object (&server->process);
}

/* "sha256:<base64url>" of a certificate, as share links pin it. */
static char *
pin_of (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *b64 = NULL;
  guint8 digest[32];
  gsize len = sizeof digest;

  g_object_get (certificate, "certificate", &der, NULL);
  g_checksum_update (sum, der->data, der->len);
  g_checksum_get_digest (sum, digest, &len);
  b64 = g_base64_encode (digest, len);
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  *strchr (b64, '=') = '\0';
  return g_strconcat ("sha256:", b64, NULL);
}

static gboolean
accept_pinned_cb (SoupMessage          *msg,
                  GTlsCertificate      *certificate,
                  GTlsCertificateFlags  errors,
                  const char           *pin)
{
  g_autofree char *seen = pin_of (certificate);

  return g_str_equal (seen, pin);
}

/* Sends a request to a share link (the key from its user part, or none;
 * over https, only to the certificate the link pins) and returns the
 * status; *body gets the JSON answer. */
static guint
request (SoupSession  *session,
         const char   *method,
         const char   *link,
         const char   *path,
         gboolean      with_key,
         JsonNode    **body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (link, G_URI_FLAGS_HAS_PASSWORD, &error);
  g_autoptr(GUri) target = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *full = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (g_uri_get_user (uri), ==, "peer");
  g_assert_nonnull (g_uri_get_password (uri));
  full = g_strconcat (g_uri_get_path (uri), path, NULL);
  target = g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                        g_uri_get_port (uri), full, NULL, NULL);
  msg = soup_message_new_from_uri (method, target);
  if (g_str_equal (g_uri_get_scheme (uri), "https"))
    {
      g_assert_true (g_str_has_prefix (g_uri_get_fragment (uri), "pin="));
      g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_pinned_cb),
                        (gpointer) (g_uri_get_fragment (uri) + strlen ("pin=")));
    }
  if (with_key)
    {
      g_autofree char *pair = g_strconcat (g_uri_get_user (uri), ":", g_uri_get_password (uri), NULL);
      g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *header = g_strconcat ("Basic ", encoded, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    }
  if (g_str_equal (method, "PUT"))
    {
      g_autoptr(GBytes) doc = g_bytes_new_static ("{\"text\":\"x\"}", 12);

      soup_message_set_request_body_from_bytes (msg, "application/json", doc);
    }
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (body != NULL)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

      *body = parse (text);
    }
  return soup_message_get_status (msg);
}

static void
test_cli_serve (void)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autofree char *ini = NULL;
  g_autofree char *link = NULL;
  g_autofree char *again = NULL;
  g_autofree char *read_only = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *tls_crt = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *plain = NULL;
  Server server = { 0 };
  GStatBuf st;

  fresh_data_dir ();

  /* No workspace yet: it serves "default" on 127.0.0.1, over HTTPS with
   * the data dir's new certificate, pinned in the link. */
  server_start (&server, NULL);
  link = server_read_link (&server, "default");
  g_assert_true (g_str_has_prefix (link, "https://peer:"));
  g_assert_nonnull (strstr (link, "@127.0.0.1:"));
  tls_crt = g_build_filename (data_dir, "tls.crt", NULL);
  tls_key = g_build_filename (data_dir, "tls.key", NULL);
  g_assert_cmpint (g_stat (tls_key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  certificate = g_tls_certificate_new_from_files (tls_crt, tls_key, &error);
  g_assert_no_error (error);
  pin = pin_of (certificate);
  {
    g_autofree char *suffix = g_strconcat ("/default#pin=", pin, NULL);

    g_assert_true (g_str_has_suffix (link, suffix));
  }
  {
    g_autoptr(JsonNode) info = NULL;

    g_assert_cmpuint (request (session, "GET", link, "", TRUE, &info), ==, 200);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (info), "db_name"), ==, "default");
  }
  {
    g_autoptr(JsonNode) refused = NULL;

    g_assert_cmpuint (request (session, "GET", link, "", FALSE, &refused), ==, 401);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (refused), "error"), ==, "unauthorized");
  }
  g_assert_cmpuint (request (session, "PUT", link, "/doc", TRUE, NULL), ==, 201);
  server_stop (&server);

  /* The key is kept in <data-dir>/serve.ini, readable by its owner only. */
  ini = g_build_filename (data_dir, "serve.ini", NULL);
  g_assert_cmpint (g_stat (ini, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_key_file_load_from_file (keys, ini, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  key = g_key_file_get_string (keys, "workspace default", "key", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (key), >=, 32);
  g_assert_nonnull (strstr (link, key));

  /* The next run keeps the key, and can add a read-only one. */
  server_start (&server, "--read-only-key");
  again = server_read_link (&server, "default");
  g_assert_nonnull (strstr (again, key));
  read_only = server_read_link (&server, "default");
  g_assert_null (strstr (read_only, key));
  g_assert_cmpuint (request (session, "GET", read_only, "/doc", TRUE, NULL), ==, 200);
  g_assert_cmpuint (request (session, "PUT", read_only, "/other", TRUE, NULL), ==, 403);
  g_assert_cmpuint (request (session, "GET", again, "/doc", TRUE, NULL), ==, 200);
  server_stop (&server);

  /* --http: plain HTTP when asked, same key, a link without a pin. */
  server_start (&server, "--http");
  plain = server_read_link (&server, "default");
  g_assert_true (g_str_has_prefix (plain, "http://peer:"));
  g_assert_nonnull (strstr (plain, key));
  g_assert_null (strchr (plain, '#'));
  g_assert_cmpuint (request (session, "GET", plain, "/doc", TRUE, NULL), ==, 200);
  server_stop (&server);

  /* A wrong command line is refused before anything is served. */
  {
    g_auto(Run) port = glossa ("serve", "--port", "70000", NULL);
    g_auto(Run) bind = glossa ("serve", "--bind", "somewhere", NULL);
    g_auto(Run) name = glossa ("serve", "--workspace", "ok,Bad", NULL);

    g_assert_cmpint (port.status, ==, 2);
    g_assert_cmpint (bind.status, ==, 2);
    g_assert_cmpint (name.status, ==, 2);
    g_assert_nonnull (strstr (name.err, "Bad"));
  }
}

static void
use_data_dir (const char *dir)
{
  g_free (data_dir);
  data_dir = g_strdup (dir);
}

/* The design's file, as B's store has it, is the file added in A. */
static void
assert_attachment_equals (const char *design,
                          const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsWorkspace) workspace = gls_workspace_open (data_dir, NULL, &error);
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GList) names = NULL;
  g_autofree char *expected = NULL;
  gsize length;
  JsonObject *attachments;

  g_assert_no_error (error);
  doc = gls_store_get (gls_workspace_get_store (workspace), design, NULL, 0, &error);
  g_assert_no_error (error);
  attachments = json_object_get_object_member (doc, "_attachments");
  g_assert_nonnull (attachments);
  names = json_object_get_members (attachments);
  g_assert_cmpuint (g_list_length (names), ==, 1);
  bytes = gls_store_get_attachment (gls_workspace_get_store (workspace), design, NULL, names->data, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &expected, &length, NULL));
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected, length);
}

static guint
count_threads (const char *design)
{
  g_autoptr(JsonNode) keep = NULL;

  return json_array_get_length (threads_of (design, &keep));
}

static void
test_cli_sync (void)
{
  g_autofree char *board = test_sample_path ("board.svg");
  g_autofree char *dir_a = NULL;
  g_autofree char *dir_b = NULL;
  g_autofree char *dir_c = NULL;
  g_autofree char *design = NULL;
  g_autofree char *link = NULL;
  g_autofree char *wrong = NULL;
  Server server = { 0 };

  fresh_data_dir ();
  dir_a = g_strdup (data_dir);
  fresh_data_dir ();
  dir_b = g_strdup (data_dir);
  fresh_data_dir ();
  dir_c = g_strdup (data_dir);

  /* A has a design with a thread, and serves it. */
  use_data_dir (dir_a);
  design = must (glossa ("add", board, NULL));
  g_free (must (glossa ("comment", design, "--text", "Is R3 10k?", "--point", "120,80", NULL)));
  server_start (&server, NULL);
  link = server_read_link (&server, "default");

  /* B pulls it all, both ways by default. */
  use_data_dir (dir_b);
  {
    g_auto(Run) sync = glossa ("sync", link, NULL);
    g_autofree char *listing = NULL;
    g_autofree char *text = NULL;
    g_autoptr(JsonNode) keep = NULL;
    JsonArray *threads;

    g_assert_cmpint (sync.status, ==, 0);
    g_assert_true (g_str_has_prefix (sync.out, "Pulled "));
    g_assert_nonnull (strstr (sync.out, ", pushed 0 documents"));
    g_assert_cmpstr (sync.out, !=, "Pulled 0, pushed 0 documents\n");
    /* stderr is a pipe here: plain progress lines, no bar. */
    g_assert_nonnull (strstr (sync.err, "pull: "));
    g_assert_null (strstr (sync.err, "\033["));

    listing = must (glossa ("list", "--json", NULL));
    g_assert_nonnull (strstr (listing, design));
    threads = threads_of (design, &keep);
    g_assert_cmpuint (json_array_get_length (threads), ==, 1);
    text = json_to_string (keep, FALSE);
    g_assert_nonnull (strstr (text, "Is R3 10k?"));
    assert_attachment_equals (design, board);
  }

  /* A comment made in B reaches A with --push. */
  g_free (must (glossa ("comment", design, "--text", "From B", "--rect", "1,2,3,4", NULL)));
  {
    g_auto(Run) push = glossa ("sync", link, "--push", NULL);

    g_assert_cmpint (push.status, ==, 0);
    /* The comment, and B's profile: B's first words in this workspace. */
    g_assert_cmpstr (push.out, ==, "Pushed 2 documents\n");
    g_assert_null (strstr (push.err, "pull: "));
  }
  use_data_dir (dir_a);
  g_assert_cmpuint (count_threads (design), ==, 2);

  /* A link pinning another certificate is refused before anything is
   * sent, naming both fingerprints; nothing changes on either side. */
  use_data_dir (dir_b);
  g_assert_true (g_str_has_prefix (link, "https://"));
  {
    const char *other_pin = "sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    g_autofree char *other = g_strdup_printf ("%.*s#pin=%s", (int) (strchr (link, '#') - link), link, other_pin);
    g_autofree char *before_b = must (glossa ("list", design, "--json", NULL));
    g_autofree char *after_b = NULL;
    g_auto(Run) refused = glossa ("sync", other, NULL);

    g_assert_cmpint (refused.status, ==, 1);
    g_assert_nonnull (strstr (refused.err, "not the one the link pins"));
    g_assert_nonnull (strstr (refused.err, other_pin));
    g_assert_nonnull (strstr (refused.err, strchr (link, '#') + strlen ("#pin=")));
    g_assert_cmpstr (refused.out, ==, "");
    after_b = must (glossa ("list", design, "--json", NULL));
    g_assert_cmpstr (after_b, ==, before_b);
    use_data_dir (dir_a);
    g_assert_cmpuint (count_threads (design), ==, 2);
    use_data_dir (dir_b);
  }

  /* A wrong key is refused: exit 1 and say so. */
  wrong = g_strconcat ("https://peer:wrong", strchr (link, '@'), NULL);
  {
    g_auto(Run) refused = glossa ("sync", wrong, "--pull", NULL);

    g_assert_cmpint (refused.status, ==, 1);
    g_assert_true (g_str_has_prefix (refused.err, "glossa sync: ") || strstr (refused.err, "\nglossa sync: ") != NULL);
    g_assert_nonnull (strstr (refused.err, "refused the access key"));
    g_assert_nonnull (strstr (refused.err, "401"));
    g_assert_null (strstr (refused.err, "wrong@"));
  }

  /* Usage errors exit 2. */
  {
    g_auto(Run) none = glossa ("sync", NULL);
    g_auto(Run) not_link = glossa ("sync", "somewhere", NULL);

    g_assert_cmpint (none.status, ==, 2);
    g_assert_cmpint (not_link.status, ==, 2);
    g_assert_nonnull (strstr (not_link.err, "somewhere"));
  }

  /* --live catches up, keeps following, and stops cleanly on SIGTERM. */
  use_data_dir (dir_c);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GSubprocess) live = NULL;
    g_autoptr(GDataInputStream) err = NULL;
    g_autoptr(GInputStream) out = NULL;
    g_autoptr(GBytes) summary = NULL;
    g_autofree char *summary_text = NULL;
    gboolean caught_up = FALSE;

    live = test_spawn (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                       g_getenv ("GLOSSA_BIN"), "sync", link, "--live", "--data-dir", data_dir, NULL);
    g_assert_no_error (error);
    err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (live));
    while (!caught_up)
      {
        g_autofree char *line = g_data_input_stream_read_line_utf8 (err, NULL, NULL, &error);

        g_assert_no_error (error);
        g_assert_nonnull (line);
        caught_up = g_str_has_prefix (line, "pull: ") && g_str_has_suffix (line, ", live")
          && !g_str_has_prefix (line, "pull: 0 read");
      }
    g_subprocess_send_signal (live, SIGTERM);
    out = g_object_ref (g_subprocess_get_stdout_pipe (live));
    summary = g_input_stream_read_bytes (out, 4096, NULL, &error);
    g_assert_no_error (error);
    g_subprocess_wait (live, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_get_if_exited (live));
    g_assert_cmpint (g_subprocess_get_exit_status (live), ==, 0);
    summary_text = g_strndup (g_bytes_get_data (summary, NULL), g_bytes_get_size (summary));
    g_assert_true (g_str_has_prefix (summary_text, "Pulled "));
    g_assert_cmpuint (count_threads (design), ==, 2);
  }

  use_data_dir (dir_a);
  server_stop (&server);
}

/* glossa verify: what Glossa wrote verifies; a forgery another peer wrote
 * into the store is listed with its id and why, and the command fails. */
static void
test_cli_verify (void)
{
  g_autofree char *png = test_sample_path ("board.png");
  g_autofree char *design = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *out = NULL;
  g_autofree char *store_path = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(GlsStore) store = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonArray) docs = json_array_new ();
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *r;
  Run run;

  fresh_data_dir ();
  design = must (glossa ("add", png, "--json", NULL));
  report = parse (design);
  g_free (design);
  design = g_strdup (json_object_get_string_member (json_node_get_object (report), "_id"));
  g_clear_pointer (&report, json_node_unref);
  comment = must (glossa ("comment", design, "--text", "Check the via", "--point", "3,4", NULL));

  out = must (glossa ("verify", "--json", NULL));
  report = parse (out);
  r = json_node_get_object (report);
  /* The design, the comment, and the profile that names their author. */
  g_assert_cmpint (json_object_get_int_member (r, "checked"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (r, "verified"), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (r, "failed")), ==, 0);
  g_clear_pointer (&report, json_node_unref);

  /* A peer's forgery: Alice's design document under a new id, her proof
   * kept. */
  store_path = g_build_filename (data_dir, "workspaces", "default.sqlite", NULL);
  store = gls_store_open (store_path, &error);
  g_assert_no_error (error);
  {
    g_autoptr(JsonObject) design_doc = gls_store_get (store, design, NULL, GLS_STORE_GET_NONE, &error);

    g_assert_no_error (error);
    doc = json_object_ref (design_doc);
  }
  json_object_set_string_member (doc, "_id", "urn:uuid:00000000-0000-4000-8000-000000000001");
  json_object_set_string_member (doc, "_rev", "1-0123456789abcdef0123456789abcdef");
  json_object_remove_member (doc, "_attachments");
  json_array_add_object_element (docs, json_object_ref (doc));
  results = gls_store_bulk_docs (store, docs, FALSE, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  run = glossa ("verify", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "urn:uuid:00000000-0000-4000-8000-000000000001 1-0123456789abcdef0123456789abcdef: "));
  g_assert_nonnull (strstr (run.out, "4 documents checked: 3 signed by their authors, 0 unsigned, 1 failed"));
  run_clear (&run);
}

static guint
count_design_files (void)
{
  g_autofree char *dir = g_build_filename (data_dir, "workspaces", "default.files", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (strlen (name) == 64)
      n++;
  return n;
}

/* Compaction drops old revisions' bodies: a peer's forged revision over a
 * signed comment must not take the comment with it. */
static void
test_cli_compact (void)
{
  g_autofree char *png = test_sample_path ("board.png");
  g_autofree char *design = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *out = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *file_path = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(GlsStore) store = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonArray) docs = json_array_new ();
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autofree char *thread = NULL;
  g_autoptr(GBytes) png_bytes = NULL;
  JsonArray *threads;
  JsonObject *revisions;
  JsonArray *ids;

  fresh_data_dir ();
  design = must (glossa ("add", png, NULL));
  comment = must (glossa ("comment", design, "--text", "Check the via", "--point", "3,4", NULL));

  /* The design's bytes are a file named by their SHA-256. */
  mapped = g_mapped_file_new (png, FALSE, &error);
  g_assert_no_error (error);
  png_bytes = g_mapped_file_get_bytes (mapped);
  sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, png_bytes);
  file_path = g_build_filename (data_dir, "workspaces", "default.files", sha, NULL);
  g_assert_true (g_file_test (file_path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_design_files (), ==, 1);

  /* A second revision of the comment, with other words under its proof. */
  store_path = g_build_filename (data_dir, "workspaces", "default.sqlite", NULL);
  store = gls_store_open (store_path, &error);
  g_assert_no_error (error);
  doc = gls_store_get (store, comment, NULL, GLS_STORE_GET_REVS, &error);
  g_assert_no_error (error);
  json_object_set_string_member (json_object_get_object_member (doc, "body"), "value", "Forged words");
  revisions = json_object_get_object_member (doc, "_revisions");
  ids = json_array_new ();  /* newest first */
  json_array_add_string_element (ids, "f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0");
  json_array_add_string_element (ids, json_array_get_string_element (
                                   json_object_get_array_member (revisions, "ids"), 0));
  json_object_set_array_member (revisions, "ids", ids);
  json_object_set_int_member (revisions, "start", 2);
  json_object_set_string_member (doc, "_rev", "2-f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0");
  json_array_add_object_element (docs, g_steal_pointer (&doc));
  results = gls_store_bulk_docs (store, docs, FALSE, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  out = must (glossa ("compact", "--json", NULL));
  report = parse (out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (report), "revisions"), >=, 1);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (report), "files"), ==, 0);

  /* The signed words stand; the design reads whole. */
  threads = threads_of (design, &keep);
  g_assert_cmpuint (json_array_get_length (threads), ==, 1);
  thread = json_to_string (json_array_get_element (threads, 0), FALSE);
  g_assert_nonnull (strstr (thread, "Check the via"));
  g_assert_null (strstr (thread, "Forged words"));
  assert_attachment_equals (design, png);
  g_assert_cmpuint (count_design_files (), ==, 1);
  g_free (out);
  out = must (glossa ("compact", NULL));
  g_assert_nonnull (strstr (out, "0 unreferenced files"));
}


/* Reviews: approve, ask for changes (which needs words), change one's
 * mind; glossa list shows each reviewer's latest, and a design that is
 * not there is an error. */
static void
test_cli_review (void)
{
  g_autofree char *board = test_sample_path ("board.svg");
  g_autofree char *design = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *threads = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_auto(Run) no_words = { 0 };
  g_auto(Run) nowhere = { 0 };
  JsonArray *reviews;
  JsonObject *review;

  fresh_data_dir ();
  design = must (glossa ("add", board, NULL));

  g_free (must (glossa ("approve", design, NULL)));
  listing = must (glossa ("list", NULL));
  g_assert_nonnull (strstr (listing, "approved"));

  no_words = glossa ("request-changes", design, NULL);
  g_assert_cmpint (no_words.status, ==, 2);
  g_assert_nonnull (strstr (no_words.err, "--text"));
  nowhere = glossa ("approve", "ffffffff", NULL);
  g_assert_cmpint (nowhere.status, ==, 1);
  g_assert_nonnull (strstr (nowhere.err, "ffffffff"));

  g_free (must (glossa ("request-changes", design, "--text", "Move C3 away from the edge", NULL)));
  g_free (listing);
  listing = must (glossa ("list", NULL));
  g_assert_nonnull (strstr (listing, "requested changes"));
  g_assert_null (strstr (listing, "approved"));

  threads = must (glossa ("list", design, NULL));
  g_assert_nonnull (strstr (threads, "Changes requested by"));
  g_assert_nonnull (strstr (threads, "Move C3 away from the edge"));

  json = must (glossa ("list", "--json", NULL));
  node = parse (json);
  reviews = json_object_get_array_member (json_array_get_object_element (json_node_get_array (node), 0), "reviews");
  g_assert_cmpuint (json_array_get_length (reviews), ==, 1);
  review = json_array_get_object_element (reviews, 0);
  g_assert_cmpstr (json_object_get_string_member (review, "decision"), ==, "changes-requested");
  g_assert_cmpstr (json_object_get_string_member (review, "text"), ==, "Move C3 away from the edge");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (review, "reviewer"), "did:key:"));

  /* A review is a signed document like any other. */
  g_free (must (glossa ("verify", NULL)));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_assert_nonnull (g_getenv ("GLOSSA_BIN"));

  g_test_add_func ("/cli/thread-lifecycle", test_cli_thread_lifecycle);
  g_test_add_func ("/cli/pdf-page", test_cli_pdf_page);
  g_test_add_func ("/cli/text", test_cli_text);
  g_test_add_func ("/cli/suggest", test_cli_suggest);
  g_test_add_func ("/cli/review", test_cli_review);
  g_test_add_func ("/cli/errors", test_cli_errors);
  g_test_add_func ("/cli/workspaces", test_cli_workspaces);
  g_test_add_func ("/cli/export-import", test_cli_export_import);
  g_test_add_func ("/cli/import-refused", test_cli_import_refused);
  g_test_add_func ("/cli/import-strict", test_cli_import_strict);
  g_test_add_func ("/cli/import-nothing", test_cli_import_nothing);
  g_test_add_func ("/cli/add-non-utf8-name", test_cli_add_non_utf8_name);
  g_test_add_func ("/cli/verify", test_cli_verify);
  g_test_add_func ("/cli/compact", test_cli_compact);
  g_test_add_func ("/cli/serve", test_cli_serve);
  g_test_add_func ("/cli/sync", test_cli_sync);

  return g_test_run ();
}
