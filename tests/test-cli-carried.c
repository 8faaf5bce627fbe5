/* test-cli-carried.c: glossa list DESIGN on a newer version of an image or
 * a PDF, with the threads carried from the earlier ones, run as a user
 * runs it
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "test-util.h"

static char *data_dir;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

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
  return run;
}

/* Its output, stripped; fails the test when it failed or said anything
 * on stderr (a carried thread whose change cannot be told says why). */
static char *
must (Run run)
{
  if (run.status != 0)
    g_error ("glossa failed (%d): %s", run.status, run.err);
  g_assert_cmpstr (run.err, ==, "");
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
  if (data_dir != NULL)
    test_rm_rf (data_dir);
  g_free (data_dir);
  data_dir = g_dir_make_tmp ("glossa-carried-XXXXXX", NULL);
}

/* The thread whose first comment says @text, or NULL. */
static JsonObject *
thread_saying (JsonArray  *threads,
               const char *text)
{
  for (guint i = 0; i < json_array_get_length (threads); i++)
    {
      JsonObject *thread = json_array_get_object_element (threads, i);
      JsonArray *comments = json_object_get_array_member (thread, "comments");

      if (g_str_equal (json_object_get_string_member (json_array_get_object_element (comments, 0), "text"), text))
        return thread;
    }
  return NULL;
}

/* A board drawing at @scale (1: 400 × 300 px); @edited paints the
 * resistor (at 250,40 50×30) green. Written as @name in a directory of
 * its own, so versions keep the design's file name. */
static char *
write_png (const char *subdir,
           double      scale,
           gboolean    edited)
{
  g_autofree char *dir = g_build_filename (data_dir, subdir, NULL);
  char *path = g_build_filename (dir, "board.png", NULL);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400 * scale, 300 * scale);
  cairo_t *cr = cairo_create (surface);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  cairo_scale (cr, scale, scale);
  cairo_set_source_rgb (cr, 0.1, 0.4, 0.2);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.9, 0.8, 0.3);
  cairo_rectangle (cr, 40, 40, 120, 80);     /* the chip */
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.6, 0.3, 0.1);
  cairo_rectangle (cr, 250, 40, 50, 30);     /* the resistor */
  cairo_fill (cr);
  if (edited)
    {
      cairo_set_source_rgb (cr, 0.2, 0.9, 0.3);
      cairo_rectangle (cr, 250, 40, 50, 30);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return path;
}

static void
test_carried_png (void)
{
  g_autofree char *v1_path = NULL;
  g_autofree char *v2_path = NULL;
  g_autofree char *v1 = NULL;
  g_autofree char *v2 = NULL;
  g_autofree char *resolved = NULL;
  g_autofree char *human = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *threads;
  JsonObject *t;

  fresh_data_dir ();
  v1_path = write_png ("v1", 1, FALSE);
  v2_path = write_png ("v2", 1, TRUE);

  v1 = must (glossa ("add", v1_path, NULL));
  g_free (must (glossa ("comment", v1, "--text", "Resistor value?", "--rect", "240,30,70,50", NULL)));
  g_free (must (glossa ("comment", v1, "--text", "Chip footprint", "--rect", "40,40,120,80", NULL)));
  g_free (must (glossa ("comment", v1, "--text", "Pin here", "--point", "275,55", NULL)));
  resolved = must (glossa ("comment", v1, "--text", "Fixed already", "--point", "100,200", NULL));
  g_free (must (glossa ("resolve", resolved, NULL)));

  v2 = must (glossa ("add", v2_path, "--version-of", v1, NULL));
  g_free (must (glossa ("comment", v2, "--text", "New on v2", "--point", "10,10", NULL)));

  json = must (glossa ("list", v2, "--json", NULL));
  root = parse (json);
  threads = json_node_get_array (root);
  /* Its own, and the three still open of v1; the resolved one stays. */
  g_assert_cmpuint (json_array_get_length (threads), ==, 4);
  g_assert_null (thread_saying (threads, "Fixed already"));

  t = thread_saying (threads, "New on v2");
  g_assert_false (json_object_has_member (t, "carried_from_version"));
  g_assert_false (json_object_has_member (t, "changed"));

  t = thread_saying (threads, "Resistor value?");
  g_assert_cmpint (json_object_get_int_member (t, "carried_from_version"), ==, 1);
  g_assert_true (json_object_get_boolean_member (t, "changed"));
  g_assert_cmpstr (json_object_get_string_member (t, "mapped_selector"), ==, "xywh=240,30,70,50");

  t = thread_saying (threads, "Chip footprint");
  g_assert_cmpint (json_object_get_int_member (t, "carried_from_version"), ==, 1);
  g_assert_false (json_object_get_boolean_member (t, "changed"));

  t = thread_saying (threads, "Pin here");
  g_assert_true (json_object_get_boolean_member (t, "changed"));

  human = must (glossa ("list", v2, NULL));
  g_assert_nonnull (strstr (human, "Resistor value? [changed]"));
  g_assert_nonnull (strstr (human, "Chip footprint [unchanged]"));
  g_assert_nonnull (strstr (human, "#1 v1"));
  g_assert_null (strstr (human, "Fixed already"));
  g_assert_null (strstr (human, "New on v2 ["));

  /* The first version lists its own, the resolved one too, nothing
   * carried. */
  {
    g_autofree char *first = must (glossa ("list", v1, NULL));

    g_assert_nonnull (strstr (first, "Fixed already"));
    g_assert_null (strstr (first, "changed]"));
    g_assert_null (strstr (first, " v1 "));
  }
}

/* v2 at twice the size: places are scaled, and the resampling is no
 * change. */
static void
test_carried_resized (void)
{
  g_autofree char *v1_path = NULL;
  g_autofree char *v2_path = NULL;
  g_autofree char *v1 = NULL;
  g_autofree char *v2 = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *threads;
  JsonObject *t;

  fresh_data_dir ();
  v1_path = write_png ("v1", 1, FALSE);
  v2_path = write_png ("v2", 2, TRUE);

  v1 = must (glossa ("add", v1_path, NULL));
  g_free (must (glossa ("comment", v1, "--text", "Chip footprint", "--rect", "40,40,120,80", NULL)));
  g_free (must (glossa ("comment", v1, "--text", "Resistor value?", "--point", "275,55", NULL)));
  v2 = must (glossa ("add", v2_path, "--version-of", v1, NULL));

  json = must (glossa ("list", v2, "--json", NULL));
  root = parse (json);
  threads = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (threads), ==, 2);

  t = thread_saying (threads, "Chip footprint");
  g_assert_cmpstr (json_object_get_string_member (t, "mapped_selector"), ==, "xywh=80,80,240,160");
  g_assert_false (json_object_get_boolean_member (t, "changed"));
  t = thread_saying (threads, "Resistor value?");
  g_assert_cmpstr (json_object_get_string_member (t, "mapped_selector"), ==, "xywh=550,110,0,0");
  g_assert_true (json_object_get_boolean_member (t, "changed"));
}

static cairo_status_t
write_to_file (void                *closure,
               const unsigned char *data,
               unsigned int         length)
{
  return fwrite (data, 1, length, closure) == length ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* Two pages; page 2 lists a part whose value @value says. */
static char *
write_pdf (const char *subdir,
           const char *value)
{
  g_autofree char *dir = g_build_filename (data_dir, subdir, NULL);
  char *path = g_build_filename (dir, "datasheet.pdf", NULL);
  FILE *file;
  cairo_surface_t *pdf;
  cairo_t *cr;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  file = fopen (path, "wb");
  g_assert_nonnull (file);
  pdf = cairo_pdf_surface_create_for_stream (write_to_file, file, 400, 300);
  cairo_pdf_surface_set_metadata (pdf, CAIRO_PDF_METADATA_CREATE_DATE, "2026-01-01T00:00:00Z");
  cr = cairo_create (pdf);
  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 16);
  cairo_move_to (cr, 20, 40);
  cairo_show_text (cr, "Glossa Blinky datasheet");
  cairo_show_page (cr);
  cairo_move_to (cr, 20, 40);
  cairo_show_text (cr, "Parts");
  cairo_move_to (cr, 20, 100);
  cairo_show_text (cr, value);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_destroy (pdf);
  fclose (file);
  return path;
}

static void
test_carried_pdf (void)
{
  g_autofree char *v1_path = NULL;
  g_autofree char *v2_path = NULL;
  g_autofree char *v1 = NULL;
  g_autofree char *v2 = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *threads;
  JsonObject *t;

  fresh_data_dir ();
  v1_path = write_pdf ("v1", "R1 330 ohm");
  v2_path = write_pdf ("v2", "R1 470 ohm");

  v1 = must (glossa ("add", v1_path, NULL));
  g_free (must (glossa ("comment", v1, "--text", "Which R1?", "--rect", "10,80,200,30", "--page", "2", NULL)));
  g_free (must (glossa ("comment", v1, "--text", "Title font", "--page", "1", NULL)));
  g_free (must (glossa ("comment", v1, "--text", "Parts heading", "--point", "40,35", "--page", "2", NULL)));
  v2 = must (glossa ("add", v2_path, "--version-of", v1, NULL));

  json = must (glossa ("list", v2, "--json", NULL));
  root = parse (json);
  threads = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (threads), ==, 3);

  t = thread_saying (threads, "Which R1?");
  g_assert_true (json_object_get_boolean_member (t, "changed"));
  g_assert_cmpint (json_object_get_int_member (t, "page"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (t, "mapped_selector"), ==, "page=2&viewrect=10,80,200,30");
  t = thread_saying (threads, "Title font");
  g_assert_false (json_object_get_boolean_member (t, "changed"));
  g_assert_false (json_object_has_member (t, "mapped_selector"));
  t = thread_saying (threads, "Parts heading");
  g_assert_false (json_object_get_boolean_member (t, "changed"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/carried/png", test_carried_png);
  g_test_add_func ("/cli/carried/resized", test_carried_resized);
  g_test_add_func ("/cli/carried/pdf", test_carried_pdf);

  status = g_test_run ();
  if (data_dir != NULL)
    test_rm_rf (data_dir);
  return status;
}
