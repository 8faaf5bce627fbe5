/* gls-peer.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gls-workspace.h"

G_BEGIN_DECLS

/*
 * GlsPeer: one peer a workspace syncs with, as the GUI's Peers view shows
 * it (GlsPeerList, in gls-peer-list.h, holds a workspace's peers).
 *
 * A peer is a replication URL (a share link such as
 * http://peer:KEY@host:5985/board, a PouchDB Server or CouchDB database).
 * While a GlsPeerList exists, each of its peers syncs both ways and live: a
 * continuous pull and a continuous push GlsReplicator on the workspace's own
 * store, so whatever arrives shows up through the workspace's list models.
 *
 * The peers of every workspace are kept in <data-dir>/peers.ini (0600:
 * the links hold keys), group [workspace NAME], key `links` (a string
 * list); a new GlsPeerList for the same workspace starts them again.
 */

typedef enum
{
  GLS_PEER_STATE_CONNECTING, /* first contact, nothing known yet */
  GLS_PEER_STATE_SYNCING,    /* catching up; see docs-read, pending */
  GLS_PEER_STATE_LIVE,       /* caught up, following changes both ways */
  GLS_PEER_STATE_OFFLINE,    /* cannot reach the peer; retrying on its own */
  GLS_PEER_STATE_ERROR,      /* the peer refused (wrong key, no such
                                workspace, bad answers): stopped, see
                                error-message; gls_peer_retry starts again */
} GlsPeerState;

#define GLS_TYPE_PEER_STATE (gls_peer_state_get_type ())
#define GLS_TYPE_PEER (gls_peer_get_type ())

GType gls_peer_state_get_type (void);

G_DECLARE_FINAL_TYPE (GlsPeer, gls_peer, GLS, PEER, GObject)

/* Properties (all read-only, notified in the list's main context):
 * "link" (with credentials), "url" (without), "label" ("host:port/db"),
 * "state", "error-message", "docs-read", "docs-written", "pending",
 * "last-synced" (GDateTime, NULL until the first time both directions
 * caught up; then updated whenever they are caught up again). */
const char   *gls_peer_get_link          (GlsPeer       *self);
const char   *gls_peer_get_url           (GlsPeer       *self);
const char   *gls_peer_get_label         (GlsPeer       *self);
GlsPeerState  gls_peer_get_state         (GlsPeer       *self);
const char   *gls_peer_get_error_message (GlsPeer       *self);
gint64        gls_peer_get_docs_read     (GlsPeer       *self);
gint64        gls_peer_get_docs_written  (GlsPeer       *self);
gint64        gls_peer_get_pending       (GlsPeer       *self);
GDateTime    *gls_peer_get_last_synced   (GlsPeer       *self);
/* How many documents this peer sent that failed verification (forgeries:
 * kept, never shown as anyone's words). */
guint         gls_peer_get_forged        (GlsPeer       *self);
/* Starts syncing again now (after an error, or to skip an offline wait). */
void          gls_peer_retry             (GlsPeer       *self);

/* The workspace name a link points at (its last path segment), or NULL
 * with a G_IO_ERROR_INVALID_ARGUMENT error saying what is wrong with it
 * (not http/https, no database name, not a valid workspace name). */
char         *gls_peer_link_dup_workspace_name (const char  *link,
                                                GError     **error);

/* A GListModel of GlsPeer. Loads the workspace's peers from peers.ini and
 * starts them. Syncing stops when the list is finalized or on shutdown. */
G_END_DECLS
