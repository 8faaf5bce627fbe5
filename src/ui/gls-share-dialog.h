/* gls-share-dialog.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gls-share.h"

G_BEGIN_DECLS

#define GLS_TYPE_SHARE_DIALOG (gls_share_dialog_get_type ())

G_DECLARE_FINAL_TYPE (GlsShareDialog, gls_share_dialog, GLS, SHARE_DIALOG, AdwPreferencesWindow)

/* The Share dialog of one workspace: a switch that starts and stops
 * serving it through the application's GlsShare, its link with a Copy
 * button, and whether other computers can reach it. */
GtkWidget  *gls_share_dialog_new      (GlsShare       *share,
                                       GlsWorkspace   *workspace);
/* The link shown, or NULL while the workspace is not shared. */
const char *gls_share_dialog_get_link (GlsShareDialog *self);

G_END_DECLS
