/* test-data.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What ships next to the program: the desktop file, the metainfo, the
 * settings schema, the icons, the translations and the sample designs.
 */

#define G_LOG_DOMAIN "test-data"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <cairo.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gio.h>
#include <gio/gsettingsbackend.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <librsvg/rsvg.h>
#include <poppler.h>

/* --- helpers ------------------------------------------------------------ */

static char *
source_path (const char *first,
             ...)
{
  const char *root = g_getenv ("GLOSSA_SOURCE_DIR");
  g_autofree char *fallback = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  const char *part;
  va_list args;

  if (root == NULL)
    root = fallback = g_test_build_filename (G_TEST_DIST, "..", NULL);

  g_ptr_array_add (parts, (gpointer) root);
  va_start (args, first);
  for (part = first; part != NULL; part = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) part);
  va_end (args);
  g_ptr_array_add (parts, NULL);

  return g_build_filenamev ((char **) parts->pdata);
}

static char *
build_path (const char *dir,
            const char *name)
{
  return g_test_build_filename (G_TEST_BUILT, "..", dir, name, NULL);
}

/* Runs argv; returns FALSE (and skips the test) when the program is missing. */
static gboolean
run_tool (const char * const *argv,
          gboolean           *success,
          char              **output)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *program = g_find_program_in_path (argv[0]);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  if (program == NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s is not installed", argv[0]);

      g_test_skip (message);
      return FALSE;
    }

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);

  *success = g_spawn_check_wait_status (status, NULL);
  *output = g_strconcat (out, err, NULL);
  return TRUE;
}

static GKeyFile *
load_desktop_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strconcat (APPLICATION_ID, ".desktop", NULL);
  g_autofree char *path = build_path ("data", name);
  GKeyFile *keyfile = g_key_file_new ();

  g_key_file_load_from_file (keyfile, path, G_KEY_FILE_KEEP_TRANSLATIONS, &error);
  g_assert_no_error (error);

  return keyfile;
}

/* --- desktop file and metainfo ------------------------------------------ */

static void
test_desktop_validate (void)
{
  g_autofree char *name = g_strconcat (APPLICATION_ID, ".desktop", NULL);
  g_autofree char *path = build_path ("data", name);
  const char *argv[] = { "desktop-file-validate", path, NULL };
  g_autofree char *output = NULL;
  gboolean success;

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  if (!run_tool (argv, &success, &output))
    return;

  if (!success || strstr (output, "error:") != NULL)
    g_test_fail_printf ("desktop-file-validate rejects %s:\n%s", path, output);
}

static void
test_desktop_contents (void)
{
  g_autoptr(GKeyFile) keyfile = load_desktop_file ();
  const char *group = G_KEY_FILE_DESKTOP_GROUP;
  const char *mime_types[] = { "image/png", "image/jpeg", "image/svg+xml", "application/pdf" };
  g_autofree char *name = NULL;
  g_autofree char *exec = NULL;
  g_autofree char *icon = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *comment_de = NULL;
  g_autofree char *name_de = NULL;
  g_auto(GStrv) mime = NULL;
  g_auto(GStrv) categories = NULL;
  g_auto(GStrv) keywords_de = NULL;

  name = g_key_file_get_string (keyfile, group, "Name", NULL);
  exec = g_key_file_get_string (keyfile, group, "Exec", NULL);
  icon = g_key_file_get_string (keyfile, group, "Icon", NULL);
  g_assert_cmpstr (name, ==, "Glossa");
  g_assert_cmpstr (exec, ==, "glossa %F");
  g_assert_cmpstr (icon, ==, APPLICATION_ID);

  mime = g_key_file_get_string_list (keyfile, group, "MimeType", NULL, NULL);
  g_assert_nonnull (mime);
  for (guint i = 0; i < G_N_ELEMENTS (mime_types); i++)
    g_assert_true (g_strv_contains ((const char * const *) mime, mime_types[i]));

  categories = g_key_file_get_string_list (keyfile, group, "Categories", NULL, NULL);
  g_assert_nonnull (categories);
  g_assert_true (g_strv_contains ((const char * const *) categories, "Graphics"));
  g_assert_true (g_strv_contains ((const char * const *) categories, "Office"));

  /* The German translation was merged in. */
  comment = g_key_file_get_string (keyfile, group, "Comment", NULL);
  comment_de = g_key_file_get_locale_string (keyfile, group, "Comment", "de", NULL);
  name_de = g_key_file_get_locale_string (keyfile, group, "Name", "de", NULL);
  g_assert_cmpstr (comment, ==, "Review designs together");
  g_assert_cmpstr (comment_de, ==, "Entwürfe gemeinsam begutachten");
  g_assert_true (g_key_file_has_key (keyfile, group, "Name[de]", NULL));
  g_assert_cmpstr (name_de, ==, "Glossa");

  keywords_de = g_key_file_get_locale_string_list (keyfile, group, "Keywords", "de", NULL, NULL);
  g_assert_nonnull (keywords_de);
  g_assert_true (g_strv_contains ((const char * const *) keywords_de, "Schaltplan"));
}

static void
test_metainfo_validate (void)
{
  g_autofree char *name = g_strconcat (APPLICATION_ID, ".metainfo.xml", NULL);
  g_autofree char *path = build_path ("data", name);
  const char *argv[] = { "appstreamcli", "validate", "--no-net", "--explain", path, NULL };
  g_autofree char *output = NULL;
  gboolean success;

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  if (!run_tool (argv, &success, &output))
    return;

  if (!success)
    g_test_fail_printf ("appstreamcli rejects %s:\n%s", path, output);
}

static void
test_metainfo_contents (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strconcat (APPLICATION_ID, ".metainfo.xml", NULL);
  g_autofree char *path = build_path ("data", name);
  g_autofree char *contents = NULL;
  g_autofree char *id = g_strdup_printf ("<id>%s</id>", APPLICATION_ID);
  g_autofree char *launchable = g_strdup_printf ("<launchable type=\"desktop-id\">%s.desktop</launchable>",
                                                 APPLICATION_ID);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  g_assert_nonnull (strstr (contents, id));
  g_assert_nonnull (strstr (contents, launchable));
  g_assert_nonnull (strstr (contents, "<project_license>GPL-3.0-or-later</project_license>"));
  g_assert_nonnull (strstr (contents, "<binary>glossa</binary>"));
  g_assert_nonnull (strstr (contents, "<release version=\"" PACKAGE_VERSION "\""));
  /* translated summary and description paragraphs */
  g_assert_nonnull (strstr (contents, "<summary xml:lang=\"de\">Entwürfe gemeinsam begutachten</summary>"));
  g_assert_nonnull (strstr (contents, "<p xml:lang=\"de\">Mit Glossa begutachtet"));
}

/* --- settings schema ----------------------------------------------------- */

static void
check_schema_keys (GSettingsSchema *schema)
{
  static const struct {
    const char *key;
    const char *type;
    const char *default_value;
  } keys[] = {
    { "window-width", "i", "1280" },
    { "window-height", "i", "800" },
    { "window-maximized", "b", "false" },
    { "last-design", "s", "''" },
    { "last-workspace", "s", "'default'" },
    { "recent-designs", "as", "@as []" },
    { "thread-filter", "s", "'open'" },
    { "threads-mine-only", "b", "false" },
  };

  g_assert_cmpstr (g_settings_schema_get_path (schema), ==, "/io/github/glossa/Glossa/");

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GSettingsSchemaKey) key = NULL;
      g_autoptr(GVariant) value = NULL;
      g_autofree char *printed = NULL;

      g_assert_true (g_settings_schema_has_key (schema, keys[i].key));
      key = g_settings_schema_get_key (schema, keys[i].key);
      g_assert_cmpstr (g_variant_type_peek_string (g_settings_schema_key_get_value_type (key)),
                       ==, keys[i].type);
      value = g_settings_schema_key_get_default_value (key);
      printed = g_variant_print (value, TRUE);
      g_assert_cmpstr (printed, ==, keys[i].default_value);
    }

  /* thread-filter only takes its three values */
  {
    g_autoptr(GSettingsSchemaKey) key = g_settings_schema_get_key (schema, "thread-filter");
    const char *good[] = { "open", "resolved", "all" };

    for (guint i = 0; i < G_N_ELEMENTS (good); i++)
      {
        g_autoptr(GVariant) v = g_variant_ref_sink (g_variant_new_string (good[i]));
        g_assert_true (g_settings_schema_key_range_check (key, v));
      }
    {
      g_autoptr(GVariant) v = g_variant_ref_sink (g_variant_new_string ("closed"));
      g_assert_false (g_settings_schema_key_range_check (key, v));
    }
  }
}

static void
test_schema_compiles (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("glossa-schema-XXXXXX", &error);
  g_autofree char *src = source_path ("data", NULL);
  g_autofree char *targetdir = NULL;
  g_autofree char *output = NULL;
  g_autofree char *compiled = NULL;
  g_autoptr(GSettingsSchemaSource) source = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  gboolean success;

  g_assert_no_error (error);
  targetdir = g_strconcat ("--targetdir=", tmp, NULL);

  {
    const char *argv[] = { "glib-compile-schemas", "--strict", targetdir, src, NULL };

    if (!run_tool (argv, &success, &output))
      return;
  }
  if (!success)
    {
      g_test_fail_printf ("glib-compile-schemas --strict fails:\n%s", output);
      return;
    }

  source = g_settings_schema_source_new_from_directory (tmp, NULL, TRUE, &error);
  g_assert_no_error (error);
  schema = g_settings_schema_source_lookup (source, "io.github.glossa.Glossa", FALSE);
  g_assert_nonnull (schema);
  check_schema_keys (schema);

  compiled = g_build_filename (tmp, "gschemas.compiled", NULL);
  g_assert_cmpint (g_unlink (compiled), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

/* The build compiles the schema for GSETTINGS_SCHEMA_DIR; the app reads it. */
static void
test_schema_in_build (void)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *filter = NULL;

  schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (),
                                            "io.github.glossa.Glossa", TRUE);
  if (schema == NULL)
    {
      g_test_fail_printf ("schema io.github.glossa.Glossa not found (GSETTINGS_SCHEMA_DIR=%s)",
                          g_getenv ("GSETTINGS_SCHEMA_DIR"));
      return;
    }
  check_schema_keys (schema);

  settings = g_settings_new_full (schema, backend, NULL);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1280);
  g_settings_set_string (settings, "thread-filter", "resolved");
  filter = g_settings_get_string (settings, "thread-filter");
  g_assert_cmpstr (filter, ==, "resolved");
}

/* --- translations -------------------------------------------------------- */

static gboolean
has_translatable_strings (const char *path)
{
  static GRegex *c_marks = NULL;
  g_autofree char *contents = NULL;

  if (c_marks == NULL)
    c_marks = g_regex_new ("(^|[^A-Za-z0-9_])(N|C|NC|Q)?_\\s*\\(\\s*\"", G_REGEX_OPTIMIZE, 0, NULL);

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;

  if (g_str_has_suffix (path, ".ui"))
    return strstr (contents, "translatable=\"yes\"") != NULL;

  return g_regex_match (c_marks, contents, 0, NULL);
}

static void
collect_sources (const char *root,
                 const char *relative,
                 GPtrArray  *found)
{
  g_autofree char *dir_path = g_build_filename (root, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *rel = g_build_filename (relative, name, NULL);
      g_autofree char *full = g_build_filename (root, rel, NULL);

      if (g_file_test (full, G_FILE_TEST_IS_DIR))
        collect_sources (root, rel, found);
      else if ((g_str_has_suffix (name, ".c") || g_str_has_suffix (name, ".h") ||
                g_str_has_suffix (name, ".ui")) &&
               has_translatable_strings (full))
        g_ptr_array_add (found, g_steal_pointer (&rel));
    }
}

static GPtrArray *
read_potfiles (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = source_path ("po", "POTFILES.in", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *listed = g_ptr_array_new_with_free_func (g_free);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (*line != '\0' && *line != '#')
        g_ptr_array_add (listed, g_strdup (line));
    }

  return listed;
}

static gboolean
str_in_array (GPtrArray  *array,
              const char *str)
{
  return g_ptr_array_find_with_equal_func (array, str, g_str_equal, NULL);
}

static int
sort_strings (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
test_potfiles_complete (void)
{
  g_autofree char *root = source_path (NULL);
  g_autoptr(GPtrArray) listed = read_potfiles ();
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GString) stale = g_string_new (NULL);

  collect_sources (root, "src", found);
  g_ptr_array_sort (found, sort_strings);

  for (guint i = 0; i < found->len; i++)
    if (!str_in_array (listed, found->pdata[i]))
      g_string_append_printf (missing, "  %s\n", (char *) found->pdata[i]);

  for (guint i = 0; i < listed->len; i++)
    {
      g_autofree char *full = g_build_filename (root, listed->pdata[i], NULL);

      if (!g_file_test (full, G_FILE_TEST_IS_REGULAR))
        g_string_append_printf (stale, "  %s\n", (char *) listed->pdata[i]);
    }

  if (missing->len > 0 || stale->len > 0)
    g_test_fail_printf ("po/POTFILES.in is out of date.\n"
                        "Files with translatable strings that are not listed:\n%s"
                        "Listed files that do not exist:\n%s",
                        missing->len > 0 ? missing->str : "  (none)\n",
                        stale->len > 0 ? stale->str : "  (none)\n");

  /* the data files are always there */
  g_assert_true (str_in_array (listed, "data/io.github.glossa.Glossa.desktop.in"));
  g_assert_true (str_in_array (listed, "data/io.github.glossa.Glossa.metainfo.xml.in"));
}

static void
test_po_valid (void)
{
  g_autofree char *linguas_path = source_path ("po", "LINGUAS", NULL);
  g_autofree char *linguas = NULL;
  g_auto(GStrv) languages = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (linguas_path, &linguas, NULL, NULL));
  languages = g_strsplit_set (linguas, " \n", -1);

  for (guint i = 0; languages[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *po = NULL;
      g_autofree char *output = NULL;
      gboolean success;

      if (*languages[i] == '\0' || *languages[i] == '#')
        continue;

      name = g_strconcat (languages[i], ".po", NULL);
      po = source_path ("po", name, NULL);
      {
        const char *argv[] = { "msgfmt", "--check", "--statistics", "-o", "/dev/null", po, NULL };

        if (!run_tool (argv, &success, &output))
          return;
      }
      if (!success)
        g_test_fail_printf ("msgfmt --check fails for %s:\n%s", po, output);
      else if (strstr (output, "fuzzy") != NULL || strstr (output, "untranslated") != NULL)
        g_test_fail_printf ("%s is not complete: %s", po, output);
      n++;
    }

  g_assert_cmpuint (n, >=, 1);
}

static void
test_german_catalog (void)
{
  g_autofree char *localedir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *mo = g_build_filename (localedir, "de", "LC_MESSAGES",
                                          GETTEXT_PACKAGE ".mo", NULL);
  const char *header;

  g_assert_true (g_file_test (mo, G_FILE_TEST_IS_REGULAR));

  /* gettext ignores LANGUAGE in the plain "C" locale, so use C.UTF-8 */
  if (setlocale (LC_ALL, "C.UTF-8") == NULL && setlocale (LC_ALL, "C.utf8") == NULL)
    {
      g_test_skip ("no C.UTF-8 locale");
      return;
    }
  g_setenv ("LANGUAGE", "de", TRUE);
  g_assert_nonnull (bindtextdomain (GETTEXT_PACKAGE, localedir));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Review designs together"),
                   ==, "Entwürfe gemeinsam begutachten");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Only my threads"),
                   ==, "Nur meine Diskussionen");
  /* an unknown msgid comes back unchanged */
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "no such message, surely"),
                   ==, "no such message, surely");

  header = dgettext (GETTEXT_PACKAGE, "");
  g_assert_nonnull (strstr (header, "Language: de"));
  g_assert_nonnull (strstr (header, "Plural-Forms: nplurals=2; plural=(n != 1);"));

  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "C");
}

/* --- icons --------------------------------------------------------------- */

static RsvgHandle *
load_svg (const char *path,
          double     *width,
          double     *height)
{
  g_autoptr(GError) error = NULL;
  RsvgHandle *handle = rsvg_handle_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (handle);
  g_assert_true (rsvg_handle_get_intrinsic_size_in_pixels (handle, width, height));

  return handle;
}

static void
test_icons (void)
{
  const char *apps[] = { "io.github.glossa.Glossa.svg", "io.github.glossa.Glossa.Devel.svg" };
  g_autofree char *symbolic = source_path ("data", "icons", "hicolor", "symbolic", "apps",
                                           "io.github.glossa.Glossa-symbolic.svg", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GRegex) colour = g_regex_new ("#[0-9a-fA-F]{3,6}\\b", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  double width, height;

  for (guint i = 0; i < G_N_ELEMENTS (apps); i++)
    {
      g_autofree char *path = source_path ("data", "icons", "hicolor", "scalable", "apps",
                                           apps[i], NULL);
      RsvgHandle *handle = load_svg (path, &width, &height);

      g_assert_cmpfloat (width, ==, 128);
      g_assert_cmpfloat (height, ==, 128);
      g_object_unref (handle);
    }

  g_object_unref (load_svg (symbolic, &width, &height));
  g_assert_cmpfloat (width, ==, 16);
  g_assert_cmpfloat (height, ==, 16);

  /* a symbolic icon has one colour, which GTK replaces with the theme's */
  g_assert_true (g_file_get_contents (symbolic, &contents, NULL, NULL));
  g_regex_match (colour, contents, 0, &match);
  g_assert_true (g_match_info_matches (match));
  while (g_match_info_matches (match))
    {
      g_autofree char *found = g_match_info_fetch (match, 0);

      g_assert_cmpstr (found, ==, "#2e3436");
      g_match_info_next (match, NULL);
    }
}

/* --- sample designs ------------------------------------------------------ */

static void
test_sample_svg (void)
{
  g_autofree char *path = source_path ("data", "samples", "board.svg", NULL);
  g_autofree char *contents = NULL;
  RsvgHandle *handle;
  double width, height;

  handle = load_svg (path, &width, &height);
  g_assert_cmpfloat (width, ==, 800);
  g_assert_cmpfloat (height, ==, 500);
  g_object_unref (handle);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "SPDX-License-Identifier: CC-BY-4.0"));
  g_assert_nonnull (strstr (contents, "<cc:license rdf:resource=\"https://creativecommons.org/licenses/by/4.0/\"/>"));
}

static void
check_png (const char *path)
{
  static const guchar magic[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autofree char *contents = NULL;
  gsize length;
  cairo_surface_t *surface;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 24);
  g_assert_cmpmem (contents, sizeof magic, magic, sizeof magic);

  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 1200);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 750);
  cairo_surface_destroy (surface);
}

static PopplerDocument *
open_pdf (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_filename_to_uri (path, NULL, &error);
  PopplerDocument *document;

  g_assert_no_error (error);
  document = poppler_document_new_from_file (uri, NULL, &error);
  g_assert_no_error (error);

  return document;
}

static void
check_pdf (PopplerDocument *document)
{
  static const char *page_words[] = { "Features", "Pinout", "Schematic", "Bill of materials", "Licence" };
  g_autofree char *title = poppler_document_get_title (document);
  g_autoptr(GDateTime) created = poppler_document_get_creation_date_time (document);
  g_autoptr(GDateTime) expected = g_date_time_new_utc (2026, 11, 23, 12, 0, 0);

  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 5);
  g_assert_cmpstr (title, ==, "Glossa Blinky datasheet");
  g_assert_nonnull (created);
  g_assert_true (g_date_time_equal (created, expected));

  for (int i = 0; i < 5; i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      g_autofree char *text = poppler_page_get_text (page);
      double width, height;

      poppler_page_get_size (page, &width, &height);
      g_assert_cmpfloat_with_epsilon (width, 595.276, 0.01);
      g_assert_cmpfloat_with_epsilon (height, 841.89, 0.01);
      g_assert_nonnull (strstr (text, "Glossa Blinky"));
      g_assert_nonnull (strstr (text, page_words[i]));
      g_object_unref (page);
    }
}

static void
test_sample_files (void)
{
  g_autofree char *png = source_path ("data", "samples", "board.png", NULL);
  g_autofree char *pdf = source_path ("data", "samples", "datasheet.pdf", NULL);
  g_autofree char *readme = source_path ("data", "samples", "README.md", NULL);
  g_autofree char *readme_text = NULL;
  PopplerDocument *document;

  check_png (png);
  document = open_pdf (pdf);
  check_pdf (document);
  g_object_unref (document);

  g_assert_true (g_file_get_contents (readme, &readme_text, NULL, NULL));
  g_assert_nonnull (strstr (readme_text, "CC BY 4.0"));
}

static void
compare_png_pixels (const char *committed,
                    const char *made)
{
  cairo_surface_t *a = cairo_image_surface_create_from_png (committed);
  cairo_surface_t *b = cairo_image_surface_create_from_png (made);
  int height, stride;

  g_assert_cmpint (cairo_surface_status (a), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_surface_status (b), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_format (a), ==, cairo_image_surface_get_format (b));
  g_assert_cmpint (cairo_image_surface_get_width (a), ==, cairo_image_surface_get_width (b));
  g_assert_cmpint (cairo_image_surface_get_height (a), ==, cairo_image_surface_get_height (b));

  height = cairo_image_surface_get_height (a);
  stride = cairo_image_surface_get_stride (a);
  if (memcmp (cairo_image_surface_get_data (a), cairo_image_surface_get_data (b),
              (gsize) height * stride) != 0)
    g_test_fail_printf ("%s differs from what make-samples makes; run `ninja samples`",
                        committed);

  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
}

/* The committed samples are what the generator makes from board.svg. */
static void
test_samples_regenerate (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *generator = build_path ("data", "make-samples");
  g_autofree char *svg = source_path ("data", "samples", "board.svg", NULL);
  g_autofree char *png = source_path ("data", "samples", "board.png", NULL);
  g_autofree char *pdf = source_path ("data", "samples", "datasheet.pdf", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("glossa-samples-XXXXXX", &error);
  g_autofree char *new_png = NULL;
  g_autofree char *new_pdf = NULL;
  PopplerDocument *old_doc;
  PopplerDocument *new_doc;
  const char *argv[] = { generator, svg, tmp, NULL };
  int status;

  g_assert_no_error (error);
  g_assert_true (g_file_test (generator, G_FILE_TEST_IS_EXECUTABLE));

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  new_png = g_build_filename (tmp, "board.png", NULL);
  new_pdf = g_build_filename (tmp, "datasheet.pdf", NULL);
  check_png (new_png);
  compare_png_pixels (png, new_png);

  old_doc = open_pdf (pdf);
  new_doc = open_pdf (new_pdf);
  check_pdf (new_doc);
  for (int i = 0; i < poppler_document_get_n_pages (old_doc); i++)
    {
      PopplerPage *old_page = poppler_document_get_page (old_doc, i);
      PopplerPage *new_page = poppler_document_get_page (new_doc, i);
      g_autofree char *old_text = poppler_page_get_text (old_page);
      g_autofree char *new_text = poppler_page_get_text (new_page);

      g_assert_cmpstr (old_text, ==, new_text);
      g_object_unref (old_page);
      g_object_unref (new_page);
    }
  g_object_unref (old_doc);
  g_object_unref (new_doc);

  g_assert_cmpint (g_unlink (new_png), ==, 0);
  g_assert_cmpint (g_unlink (new_pdf), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data/desktop/validate", test_desktop_validate);
  g_test_add_func ("/data/desktop/contents", test_desktop_contents);
  g_test_add_func ("/data/metainfo/validate", test_metainfo_validate);
  g_test_add_func ("/data/metainfo/contents", test_metainfo_contents);
  g_test_add_func ("/data/schema/compiles", test_schema_compiles);
  g_test_add_func ("/data/schema/in-build", test_schema_in_build);
  g_test_add_func ("/data/po/potfiles-complete", test_potfiles_complete);
  g_test_add_func ("/data/po/valid", test_po_valid);
  g_test_add_func ("/data/po/german", test_german_catalog);
  g_test_add_func ("/data/icons", test_icons);
  g_test_add_func ("/data/samples/svg", test_sample_svg);
  g_test_add_func ("/data/samples/files", test_sample_files);
  g_test_add_func ("/data/samples/regenerate", test_samples_regenerate);

  return g_test_run ();
}
