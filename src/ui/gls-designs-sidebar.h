/* gls-designs-sidebar.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gls-version-group.h"
#include "gls-workspace.h"

G_BEGIN_DECLS

#define GLS_TYPE_DESIGNS_SIDEBAR (gls_designs_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (GlsDesignsSidebar, gls_designs_sidebar, GLS, DESIGNS_SIDEBAR, GtkWidget)

/* The workspace's designs, newest first, with thumbnails: one row per
 * design (a GlsVersionGroup: its newest version, and its open threads),
 * which expands to the older versions. Choosing a row emits
 * ::design-activated (GlsDesign *); its menu (right click, Shift+F10)
 * offers win.add-version for the design's newest version, and
 * win.remove-design. */
GtkWidget    *gls_designs_sidebar_new                (GlsWorkspace      *workspace);
GlsWorkspace *gls_designs_sidebar_get_workspace      (GlsDesignsSidebar *self);
/* The design id shown as selected, or NULL. */
const char   *gls_designs_sidebar_get_selected_design (GlsDesignsSidebar *self);
void          gls_designs_sidebar_set_selected_design (GlsDesignsSidebar *self,
                                                       const char        *design_id);
/* GlsVersionGroup, newest first (::groups-changed when regrouped). */
GListModel   *gls_designs_sidebar_get_groups         (GlsDesignsSidebar *self);
/* The group @design_id is a version of, or NULL. Borrowed. */
GlsVersionGroup *gls_designs_sidebar_find_group      (GlsDesignsSidebar *self,
                                                       const char        *design_id);
/* The rows shown (GtkTreeListRow of a GlsVersionGroup or an older
 * version's GlsDesign), as a GtkSingleSelection. */
GListModel   *gls_designs_sidebar_get_rows           (GlsDesignsSidebar *self);
/* The reviews' state of a design's newest version (as the row shows it:
 * approved, changes requested), as last read. */
GlsDecision   gls_designs_sidebar_get_state          (GlsDesignsSidebar *self,
                                                       const char        *design_id);
void          gls_designs_sidebar_set_expanded       (GlsDesignsSidebar *self,
                                                       const char        *design_id,
                                                       gboolean           expanded);

G_END_DECLS
