/* gls-cli-sync.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-sync-api.h"

G_BEGIN_DECLS

/* glossa serve and glossa sync. Built into the glossa-sync module
 * (src/sync-module.c), not into libglossa-cli: the program reaches them
 * through gls-sync-api.h. Each returns the exit status. */
int gls_cli_serve (const GlsSyncOptions  *options,
                   GError               **error);
int gls_cli_sync  (const GlsSyncOptions  *options,
                   GError               **error);

G_END_DECLS
