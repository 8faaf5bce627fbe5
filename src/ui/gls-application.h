/* gls-application.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

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

G_END_DECLS
