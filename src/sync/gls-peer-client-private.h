/* gls-peer-client-private.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-peer-client.h"

G_BEGIN_DECLS

/* Values already sanitized (gls_peer_client_sanitize_*). */
GlsPeerClient *_gls_peer_client_new (const char *database,
                                     const char *address,
                                     const char *user_agent,
                                     const char *did,
                                     const char *name,
                                     gboolean    read_only);

G_END_DECLS
