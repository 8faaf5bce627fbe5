/* main.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gmodule.h>
#include <locale.h>

#include "gls-cli.h"

#define GUI_MODULE "glossa-gui"

typedef int (*GuiRun) (int    argc,
                       char **argv);

/* The window lives in a module (gui-module.c): $GLOSSA_GUI_MODULE, else
 * beside this program (a build tree), else where it is installed. */
static int
run_gui (int    argc,
         char **argv)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *exe_dir = exe != NULL ? g_path_get_dirname (exe) : NULL;
  g_autofree char *beside = exe_dir != NULL ? g_module_build_path (exe_dir, GUI_MODULE) : NULL;
  g_autofree char *installed = g_module_build_path (GLOSSA_MODULEDIR, GUI_MODULE);
  const char *candidates[] = { g_getenv ("GLOSSA_GUI_MODULE"), beside, installed };
  GModule *module = NULL;
  GuiRun run = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (candidates) && module == NULL; i++)
    if (candidates[i] != NULL && g_file_test (candidates[i], G_FILE_TEST_EXISTS))
      module = g_module_open (candidates[i], G_MODULE_BIND_LOCAL);
  if (module == NULL || !g_module_symbol (module, "glossa_gui_run", (gpointer *) &run))
    {
      /* Translators: the window's code could not be loaded */
      g_printerr (_("glossa: cannot start the window: %s\n"),
                  module != NULL ? g_module_error () : installed);
      return 1;
    }
  /* Never unloaded: GTK's types stay registered until the end. */
  g_module_make_resident (module);
  return run (argc, argv);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc > 1 && gls_cli_is_subcommand (argv[1]))
    return gls_cli_run (argc, argv);

  return run_gui (argc, argv);
}
