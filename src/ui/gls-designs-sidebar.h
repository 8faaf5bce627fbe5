/* gls-designs-sidebar.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gls-workspace.h"

G_BEGIN_DECLS

#define GLS_TYPE_DESIGNS_SIDEBAR (gls_designs_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (GlsDesignsSidebar, gls_designs_sidebar, GLS, DESIGNS_SIDEBAR, GtkWidget)

/* The workspace's designs, newest first, with thumbnails. Choosing one
 * emits ::design-activated (GlsDesign *). */
GtkWidget    *gls_designs_sidebar_new                (GlsWorkspace      *workspace);
GlsWorkspace *gls_designs_sidebar_get_workspace      (GlsDesignsSidebar *self);
/* The design id shown as selected, or NULL. */
const char   *gls_designs_sidebar_get_selected_design (GlsDesignsSidebar *self);
void          gls_designs_sidebar_set_selected_design (GlsDesignsSidebar *self,
                                                       const char        *design_id);

G_END_DECLS
