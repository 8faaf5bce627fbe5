/* gls-ui.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-application.h"
#include "gls-document.h"
#include "gls-ui.h"
#include "gls-workspace.h"

/* A GPU shows as a DRM render node. */
static gboolean
has_render_node (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;
  return FALSE;
}

int
gls_ui_run (int    argc,
            char **argv)
{
  g_autoptr(GlsApplication) app = NULL;
  int status;

  /* Without a GPU (a virtual machine, a thin client), GTK 4.8 opens GL
   * on Mesa's software rasteriser when it opens the display, whichever
   * renderer draws: loading it and compiling its shaders takes longer
   * than the rest of Glossa takes to start. With GL off, GTK draws with
   * its Cairo renderer, in software too, from the first frame. GTK has
   * no API for this; a choice the user made in the environment wins. */
  if (g_getenv ("GSK_RENDERER") == NULL && g_getenv ("GDK_DEBUG") == NULL && !has_render_node ())
    {
      g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
      g_setenv ("GSK_RENDERER", "cairo", FALSE);
    }

  app = gls_application_new (APPLICATION_ID, G_APPLICATION_HANDLES_OPEN);
  status = g_application_run (G_APPLICATION (app), argc, argv);
  gls_document_stop_drawing ();
  return status;
}

const char *
gls_ui_workspace_title (const char *name)
{
  if (name == NULL || g_strcmp0 (name, GLS_WORKSPACE_DEFAULT_NAME) == 0)
    return _("My Workspace");
  return name;
}
