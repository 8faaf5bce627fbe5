/* gls-link-check.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Before a link is kept as a peer, the peer is asked whether it takes it:
 * GET of its server root (a CouchDB-like server answers a JSON object)
 * and of the database, with the link's key and certificate pin, no
 * retries. The error (GLS_REPLICATOR_ERROR, its codes) has a message a
 * person can read: unreachable, wrong key, a key that may not read, no
 * such workspace, another certificate than the pinned one, not a
 * CouchDB-like server.
 */

/* `asker_did` and `asker_name` (nullable) say who asks, as a sync does (the peer
 * lists who is connected by them). */
void     gls_peer_link_check_async  (const char           *link,
                                     const char           *asker_did,
                                     const char           *asker_name,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
gboolean gls_peer_link_check_finish (GAsyncResult         *result,
                                     GError              **error);

/* Seconds each request may take (default 15). For tests. */
void     gls_peer_link_check_set_timeout (guint seconds);

G_END_DECLS
