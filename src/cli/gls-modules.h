/* gls-modules.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gmodule.h>

G_BEGIN_DECLS

/*
 * The program's loadable parts (the window, drawing): a module @name is
 * looked for as the file $@env_var names, else beside the running program
 * (a build tree), else in the installed module directory. It stays loaded
 * (its types stay registered) until the end. The error says where it was
 * looked for.
 */
GModule *gls_module_open (const char  *name,
                          const char  *env_var,
                          GError     **error);

G_END_DECLS
