/* fuzz-common.c: what every libFuzzer target of Glossa shares
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fuzz"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "fuzz-common.h"
#include "gls-jcs.h"

static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) == 0)
    return G_LOG_WRITER_HANDLED;
  g_log_writer_standard_streams (level, fields, n_fields, user_data);
  fprintf (stderr, "fuzz: a GLib warning or critical is a finding\n");
  abort ();
}

void
fuzz_init (int    *argc,
           char ***argv)
{
  /* The slice allocator hides use-after-free and leaks from ASan, and
   * GLib reads G_SLICE before any code of ours runs. */
  if (g_strcmp0 (getenv ("G_SLICE"), "always-malloc") != 0)
    {
      setenv ("G_SLICE", "always-malloc", TRUE);
      execv ("/proc/self/exe", *argv);
      perror ("fuzz: execv /proc/self/exe");
      exit (1);
    }
  setenv ("G_DEBUG", "gc-friendly", TRUE);
  setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  setenv ("GIO_USE_VFS", "local", TRUE);
  setenv ("GIO_USE_VOLUME_MONITOR", "unix", TRUE);
  g_log_set_writer_func (log_writer, NULL, NULL);
}

char *
fuzz_make_dir (const char *name)
{
  g_autofree char *template = g_strconcat ("glossa-", name, "-XXXXXX", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  char *dir;

  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) && access ("/dev/shm", W_OK) == 0)
    {
      path = g_build_filename ("/dev/shm", template, NULL);
      if (g_mkdtemp (path) != NULL)
        return g_steal_pointer (&path);
    }
  dir = g_dir_make_tmp (template, &error);
  if (dir == NULL)
    g_error ("fuzz: %s", error->message);
  return dir;
}

void
fuzz_remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      /* A store's attachment folder is the only folder inside. */
      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        fuzz_remove_dir (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

void
fuzz_fail (const char *where,
           const char *condition,
           const char *format,
           ...)
{
  va_list args;

  fprintf (stderr, "fuzz: %s: oracle failed: %s\n  ", where, condition);
  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
  abort ();
}

char *
fuzz_jcs (JsonNode *node)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  if (!gls_jcs_append (out, node, &error))
    fuzz_fail (G_STRLOC, "gls_jcs_append", "%s", error->message);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
fuzz_drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}
