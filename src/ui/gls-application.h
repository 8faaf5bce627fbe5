/* gls-application.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gls-peer-list.h"
#include "gls-share.h"
#include "gls-window.h"
#include "gls-workspace.h"

G_BEGIN_DECLS

#define GLS_TYPE_APPLICATION (gls_application_get_type ())

G_DECLARE_FINAL_TYPE (GlsApplication, gls_application, GLS, APPLICATION, AdwApplication)

GlsApplication *gls_application_new           (const char     *application_id,
                                               GApplicationFlags flags);
/* NULL until the workspace has been opened. */
GlsWorkspace   *gls_application_get_workspace (GlsApplication *self);
/* NULL when the settings schema is not installed. */
GSettings      *gls_application_get_settings  (GlsApplication *self);

/*
 * Sync. The application shares workspaces through one GlsShare, and each
 * open workspace has one window and one GlsPeerList, syncing while that
 * window is open. The action app.add-peer (string: a link) adds a peer to
 * the workspace the link names, opening that workspace in its own window
 * (creating it when the person does not have it yet).
 */
GlsShare       *gls_application_get_share     (GlsApplication *self);
/* The peers of an open workspace, or NULL. */
GlsPeerList    *gls_application_get_peer_list (GlsApplication *self,
                                               const char     *workspace_name);
/* The window showing that workspace, or NULL. */
GlsWindow      *gls_application_find_window   (GlsApplication *self,
                                               const char     *workspace_name);

G_END_DECLS
