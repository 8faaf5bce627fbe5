/* gls-cli.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean gls_cli_is_subcommand (const char  *word);
int      gls_cli_run           (int          argc,
                                char       **argv);

G_END_DECLS
