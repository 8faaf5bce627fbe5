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
 * serving it through the application's GlsShare, its two links (to
 * comment, and read only) each with a Copy button, who is connected, and
 * whether other computers can reach it (off until the person says so). */
GtkWidget  *gls_share_dialog_new      (GlsShare       *share,
                                       GlsWorkspace   *workspace);
/* The link shown, or NULL while the workspace is not shared. */
const char *gls_share_dialog_get_link (GlsShareDialog *self);
/* The read-only link shown, or NULL. */
const char *gls_share_dialog_get_read_only_link (GlsShareDialog *self);
/* The GlsPeerClients the "Connected" list shows. */
GListModel *gls_share_dialog_get_clients (GlsShareDialog *self);

G_END_DECLS
