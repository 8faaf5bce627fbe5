/* gls-peer-list.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gls-peer.h"
#include "gls-workspace.h"

G_BEGIN_DECLS

/*
 * GlsPeerList: a GListModel of the GlsPeers of one workspace, each syncing
 * while the list exists; the links are kept in <data-dir>/peers.ini (see
 * gls-peer.h).
 */

#define GLS_TYPE_PEER_LIST (gls_peer_list_get_type ())

G_DECLARE_FINAL_TYPE (GlsPeerList, gls_peer_list, GLS, PEER_LIST, GObject)

GlsPeerList  *gls_peer_list_new          (GlsWorkspace  *workspace);
GlsWorkspace *gls_peer_list_get_workspace (GlsPeerList  *self);
/* Adds and starts a peer and saves the list; the list owns the peer. A
 * link already in the list returns that peer; a link to the same database
 * with other credentials replaces the old peer (a corrected key). NULL
 * with an error for a link that is not a replication URL, or when
 * peers.ini cannot be written. */
GlsPeer      *gls_peer_list_add          (GlsPeerList   *self,
                                          const char    *link,
                                          GError       **error);
/* Stops syncing with the peer and forgets it. */
void          gls_peer_list_remove       (GlsPeerList   *self,
                                          GlsPeer       *peer);
/* Stops every peer (the window is closing); the list stays saved. */
void          gls_peer_list_shutdown     (GlsPeerList   *self);

G_END_DECLS
