/* gls-preferences-window.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gls-workspace.h"

G_BEGIN_DECLS

#define GLS_TYPE_PREFERENCES_WINDOW (gls_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (GlsPreferencesWindow, gls_preferences_window, GLS, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* Edits the workspace's GlsProfile and saves it to the data dir. */
GtkWidget    *gls_preferences_window_new           (GlsWorkspace *workspace);
GlsWorkspace *gls_preferences_window_get_workspace (GlsPreferencesWindow *self);

G_END_DECLS
