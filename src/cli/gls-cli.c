/* gls-cli.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-cli.h"

gboolean
gls_cli_is_subcommand (const char *word)
{
  return FALSE;
}

int
gls_cli_run (int    argc,
             char **argv)
{
  return 1;
}
