/* gls-ui.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a person calls a workspace: the one every install starts with is
 * "My Workspace", never its database name "default"; others go by their
 * names. */
const char *gls_ui_workspace_title (const char *name);

int gls_ui_run (int    argc,
                char **argv);

G_END_DECLS
