/* sync-module.c: serving and syncing, as a module the glossa program loads
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libsoup and GnuTLS (with Kerberos, p11-kit, nettle's big-number
 * libraries, nghttp2, brotli, libpsl: some twenty libraries) cost every
 * command-line subcommand about 6 ms to load and link before it does
 * anything. So the program links none of them: `glossa serve` and
 * `glossa sync` load this module, with src/sync in it, and call it through
 * gls-sync-api.h.
 */

#include "config.h"

#include <gmodule.h>

#include "gls-cli-sync.h"
#include "gls-sync-api.h"

static const GlsSyncApi api = {
  .api_version = GLS_SYNC_API_VERSION,
  .size = sizeof (GlsSyncApi),
  .serve = gls_cli_serve,
  .sync = gls_cli_sync,
};

G_MODULE_EXPORT const GlsSyncApi *glossa_sync_get_api (void);

G_MODULE_EXPORT const GlsSyncApi *
glossa_sync_get_api (void)
{
  return &api;
}
