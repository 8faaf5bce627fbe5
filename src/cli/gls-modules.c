/* gls-modules.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-modules"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "gls-modules.h"

GModule *
gls_module_open (const char  *name,
                 const char  *env_var,
                 GError     **error)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *exe_dir = exe != NULL ? g_path_get_dirname (exe) : NULL;
  g_autofree char *beside = exe_dir != NULL ? g_module_build_path (exe_dir, name) : NULL;
  g_autofree char *installed = g_module_build_path (GLOSSA_MODULEDIR, name);
  const char *candidates[] = { env_var != NULL ? g_getenv (env_var) : NULL, beside, installed };
  g_autofree char *failure = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      GModule *module;

      if (candidates[i] == NULL || !g_file_test (candidates[i], G_FILE_TEST_EXISTS))
        continue;
      /* One that does not load (a stale build) gives way to the next. */
      module = g_module_open (candidates[i], G_MODULE_BIND_LOCAL);
      if (module == NULL)
        {
          if (failure == NULL)
            failure = g_strdup (g_module_error ());
          continue;
        }
      g_module_make_resident (module);
      return module;
    }

  if (failure != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, failure);
      return NULL;
    }
  /* Translators: %s is where a part of the program was looked for */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("%s is missing"), installed);
  return NULL;
}
