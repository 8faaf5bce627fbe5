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
/* The workspace the application opened first: NULL until it is open, and
 * after its window closed. */
GlsWorkspace   *gls_application_get_workspace (GlsApplication *self);
/* NULL when the settings schema is not installed. */
GSettings      *gls_application_get_settings  (GlsApplication *self);

/*
 * Sync. The application's GlsSession (gls-session.h) holds the open
 * workspaces, their GlsPeerLists, the GlsShare they are shared through and
 * the files of all three; these getters ask it. Each open workspace has
 * one window, and its peers sync while that window is open. The action
 * app.add-peer (string: a link) adds a peer to the workspace the link
 * names, opening that workspace in its own window (creating it when the
 * person does not have it yet).
 */
GlsShare       *gls_application_get_share     (GlsApplication *self);
/* The peers of an open workspace, or NULL. */
GlsPeerList    *gls_application_get_peer_list (GlsApplication *self,
                                               const char     *workspace_name);
/* The window showing that workspace, or NULL. */
GlsWindow      *gls_application_find_window   (GlsApplication *self,
                                               const char     *workspace_name);

G_END_DECLS
