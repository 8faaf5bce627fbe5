/* gui-module.c: the window, as a module the glossa program loads
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK, libadwaita, poppler and librsvg are a hundred libraries: loading
 * and linking them costs a command-line subcommand some 40 ms before it
 * does anything. So the program links the command line only, and loads
 * this module (with src/ui in it) when it starts the window.
 */

#include "config.h"

#include <gmodule.h>

#include "gls-ui.h"

G_MODULE_EXPORT int glossa_gui_run (int    argc,
                                    char **argv);

G_MODULE_EXPORT int
glossa_gui_run (int    argc,
                char **argv)
{
  return gls_ui_run (argc, argv);
}
