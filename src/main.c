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
#include "gls-modules.h"

#define GUI_MODULE "glossa-gui"

typedef int (*GuiRun) (int    argc,
                       char **argv);

/* The window lives in a module (gui-module.c): $GLOSSA_GUI_MODULE, else
 * beside this program (a build tree), else where it is installed. */
static int
run_gui (int    argc,
         char **argv)
{
  g_autoptr(GError) error = NULL;
  GModule *module = gls_module_open (GUI_MODULE, "GLOSSA_GUI_MODULE", &error);
  GuiRun run = NULL;

  if (module == NULL || !g_module_symbol (module, "glossa_gui_run", (gpointer *) &run))
    {
      /* Translators: the window's code could not be loaded */
      g_printerr (_("glossa: cannot start the window: %s\n"),
                  module != NULL ? g_module_error () : error->message);
      return 1;
    }
  /* Never unloaded (gls_module_open): GTK's types stay registered. */
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
