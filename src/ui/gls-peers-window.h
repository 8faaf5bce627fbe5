/* gls-peers-window.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gls-peer-list.h"

G_BEGIN_DECLS

#define GLS_TYPE_PEERS_WINDOW (gls_peers_window_get_type ())

G_DECLARE_FINAL_TYPE (GlsPeersWindow, gls_peers_window, GLS, PEERS_WINDOW, AdwPreferencesWindow)

/*
 * The Peers window of one workspace: a row per peer of its GlsPeerList
 * (state in words, Retry, Remove) and an entry to paste a link.
 *
 * A link of this workspace is added to the list. A link of another
 * workspace emits ::add-link-elsewhere (link, workspace name) → gboolean;
 * the application opens that workspace and returns TRUE. Unhandled, or
 * for a link that is not a replication URL, the error shows under the
 * entry.
 */

GtkWidget   *gls_peers_window_new           (GlsPeerList    *peer_list);
GlsPeerList *gls_peers_window_get_peer_list (GlsPeersWindow *self);
/* What pressing Enter in the entry does with `link`: TRUE when it was
 * handed on, or the peer is being asked (:checking) — then, if the peer
 * takes the link, it is added with a "Syncing with" toast; if not
 * (unreachable, a refused key, another certificate than the pinned one,
 * not a CouchDB-like server), nothing is kept and the reason shows under
 * the entry. FALSE (the error shown) for what is not a link. */
gboolean     gls_peers_window_add_link      (GlsPeersWindow *self,
                                             const char     *link);
/* TRUE while the peer of the last link is being asked. */
gboolean     gls_peers_window_get_checking  (GlsPeersWindow *self);
/* The error shown under the entry, or NULL. */
const char  *gls_peers_window_get_error     (GlsPeersWindow *self);

G_END_DECLS
