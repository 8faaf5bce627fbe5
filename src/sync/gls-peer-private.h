/* gls-peer-private.h: what GlsPeerList asks of its GlsPeers
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-peer.h"

G_BEGIN_DECLS

GlsPeer *_gls_peer_new   (GlsWorkspace *workspace,
                          const char   *link);
void     _gls_peer_start (GlsPeer      *self);
void     _gls_peer_stop  (GlsPeer      *self);

G_END_DECLS
