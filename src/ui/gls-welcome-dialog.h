/* gls-welcome-dialog.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gls-workspace.h"

G_BEGIN_DECLS

/* The first start: asks for the name others will see (prefilled with the
 * account's real name, never the login) and shows the identity Glossa
 * made, then saves the profile. */
GtkWidget *gls_welcome_dialog_new (GtkWindow    *parent,
                                   GlsWorkspace *workspace);

G_END_DECLS
