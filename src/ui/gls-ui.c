/* gls-ui.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-ui"

#include "config.h"

#include "gls-application.h"
#include "gls-ui.h"

int
gls_ui_run (int    argc,
            char **argv)
{
  g_autoptr(GlsApplication) app = NULL;

  app = gls_application_new (APPLICATION_ID, G_APPLICATION_HANDLES_OPEN);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
