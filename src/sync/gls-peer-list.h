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
 *
 * A list made with gls_peer_list_new reads and writes peers.ini itself,
 * blocking (the command line, tests). One made with
 * gls_peer_list_new_with_links touches no file: its owner (GlsSession, for
 * the GUI) reads the links with gls_peer_list_load_links and saves them
 * with gls_peer_list_save_links in a thread of its own, whenever the list
 * emits ::items-changed.
 */

#define GLS_TYPE_PEER_LIST (gls_peer_list_get_type ())

G_DECLARE_FINAL_TYPE (GlsPeerList, gls_peer_list, GLS, PEER_LIST, GObject)

GlsPeerList  *gls_peer_list_new          (GlsWorkspace  *workspace);
GlsPeerList  *gls_peer_list_new_with_links (GlsWorkspace      *workspace,
                                           const char *const *links);
GlsWorkspace *gls_peer_list_get_workspace (GlsPeerList  *self);
/* The links of the list's peers, in order. */
char        **gls_peer_list_dup_links    (GlsPeerList   *self);
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

/* Blocking, for any thread. The links peers.ini keeps for a workspace
 * (empty when none; a link that is no replication URL is skipped with a
 * warning), or NULL with an error when peers.ini cannot be read. */
char        **gls_peer_list_load_links   (const char    *data_dir,
                                          const char    *workspace_name,
                                          GError       **error);
/* Blocking: gives each workspace in `links` (name → GStrv; empty or NULL:
 * none) its group of peers.ini, keeping the other groups, 0600. Refuses
 * to write over a peers.ini it cannot read. */
gboolean      gls_peer_list_save_links   (const char    *data_dir,
                                          GHashTable    *links,
                                          GError       **error);

G_END_DECLS
