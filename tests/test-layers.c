/* test-layers.c: the arrows between layers only point down
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <string.h>

typedef struct
{
  const char *layer;      /* folder under src/ */
  const char *file_glob;  /* which of its files the rule is for */
  const char *forbidden;  /* a regex over the included name */
  const char *why;
  const char *except;     /* a file of the layer the rule is not for */
} Rule;

static const Rule rules[] = {
  { "json", "*", "^(gtk/|adwaita|sqlite3|libsoup/|gdk/|poppler|librsvg/|sodium)", "the json layer is GLib and json-glib only" },
  { "json", "*", "^gls-(?!jcs\\.h$|json-parser\\.h$|json-types\\.h$)", "the json layer includes no header of another layer" },
  { "core", "*", "^(gtk/|adwaita|sqlite3|libsoup/|gdk/|poppler|librsvg/)", "core is GLib, json-glib and libsodium only" },
  { "core", "*", "^gls-(store|workspace|cli|ui|window|canvas|application|sync|peer|replicator|share|tls)", "core includes no layer above it" },
  { "store", "*", "^(gtk/|adwaita|libsoup/|gdk/|poppler|librsvg/)", "store has no GTK and no libsoup" },
  { "store", "*", "^gls-(workspace|cli|ui|window|canvas|application|sync)", "store includes no layer above it" },
  { "store", "*", "^gls-(?!store|jcs\\.h$|json-parser\\.h$|json-types\\.h$)", "the store is generic: it includes only its own headers and src/json's" },
  { "workspace", "*", "^(gtk/|adwaita|libsoup/|gdk/|poppler|librsvg/)", "the workspace has no GTK and no libsoup" },
  { "workspace", "*", "^gls-(cli|ui|window|canvas|application|sync|peer|replicator|share|tls)", "the workspace includes no layer above it" },
  { "sync", "*", "^(gtk/|adwaita|gdk/|poppler|librsvg/)", "sync has no GTK" },
  { "sync", "*", "^gls-(cli|ui|window|canvas|application)", "sync includes no layer above it" },
  { "cli", "*", "^(gtk/|adwaita|gdk/|poppler|librsvg/)", "the command line has no GTK" },
  { "cli", "*", "^gls-(ui|window|canvas|application)", "cli includes no UI" },
  { "cli", "*", "^(cairo|gdk-pixbuf/)|^gls-(render(?!-api\\.h$)|changes)", "the command line reaches src/render only through its module (gls-render-api.h), so plain subcommands load no drawing libraries" },
  { "cli", "*", "^(libsoup/|gnutls/)|^gls-(peer|replicator|share|tls|session|endpoint|link-check|multipart-sink|concat-stream)",
    "the command line reaches src/sync only through its module (gls-sync-api.h), so plain subcommands load no libsoup or GnuTLS",
    "gls-cli-sync.c" },
  { "render", "*", "^(gtk/|adwaita|gdk/|sqlite3|libsoup/)", "render draws without GTK (gdk-pixbuf is fine) and has no SQLite or libsoup" },
  { "render", "*", "^gls-(store|workspace|cli|ui|window|canvas|application|sync|peer|replicator|share|tls|document)", "render includes no layer above core" },
};

static GPtrArray *
includes_of (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GRegex) include = g_regex_new ("^\\s*#\\s*include\\s*[<\"]([^>\"]+)[>\"]", G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_regex_match (include, contents, 0, &match);
  while (g_match_info_matches (match))
    {
      g_ptr_array_add (names, g_match_info_fetch (match, 1));
      g_match_info_next (match, NULL);
    }

  return names;
}

static void
test_layers (void)
{
  const char *top = g_getenv ("GLOSSA_SOURCE_DIR");
  g_autoptr(GString) broken = g_string_new (NULL);
  guint checked = 0;

  g_assert_nonnull (top);

  for (guint r = 0; r < G_N_ELEMENTS (rules); r++)
    {
      g_autofree char *dir_path = g_build_filename (top, "src", rules[r].layer, NULL);
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
      g_autoptr(GRegex) forbidden = g_regex_new (rules[r].forbidden, 0, 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      g_assert_nonnull (forbidden);

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = NULL;
          g_autoptr(GPtrArray) includes = NULL;

          if (!g_str_has_suffix (name, ".c") && !g_str_has_suffix (name, ".h"))
            continue;
          if (!g_pattern_match_simple (rules[r].file_glob, name) || g_strcmp0 (rules[r].except, name) == 0)
            continue;

          path = g_build_filename (dir_path, name, NULL);
          includes = includes_of (path);
          checked++;
          for (guint i = 0; i < includes->len; i++)
            {
              const char *included = g_ptr_array_index (includes, i);

              if (g_regex_match (forbidden, included, 0, NULL))
                g_string_append_printf (broken, "  src/%s/%s includes %s: %s\n",
                                        rules[r].layer, name, included, rules[r].why);
            }
        }
    }

  g_assert_cmpuint (checked, >, 20);
  if (broken->len > 0)
    g_error ("Includes that point up or out of their layer:\n%s", broken->str);
}

/* The libraries the program itself loads, as ldd lists them: the window,
 * drawing and sync are modules, so a plain subcommand loads none of
 * theirs (each costs milliseconds of loading before it starts). */
static void
test_program_libraries (void)
{
  const char *bin = g_getenv ("GLOSSA_BIN");
  const char *forbidden[] = { "libsoup", "libgnutls", "libgtk", "libadwaita", "libcairo", "libpoppler",
                              "librsvg", "libgdk_pixbuf" };
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "LD_TRACE_LOADED_OBJECTS", "1", TRUE);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { bin, "help", NULL };
  int status;

  g_assert_nonnull (bin);
  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* It did list them. */
  g_assert_nonnull (strstr (out, "libglib-2.0"));
  for (guint i = 0; i < G_N_ELEMENTS (forbidden); i++)
    {
      if (strstr (out, forbidden[i]) != NULL)
        g_error ("glossa loads %s: it belongs in a module (src/meson.build)\n%s", forbidden[i], out);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/layers/includes", test_layers);
  g_test_add_func ("/layers/program-libraries", test_program_libraries);

  return g_test_run ();
}
