/* gls-session.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gls-peer-list.h"
#include "gls-share.h"
#include "gls-workspace.h"

G_BEGIN_DECLS

/*
 * GlsSession: what a running Glossa keeps of one data dir, without GTK —
 * the open workspaces by name, each with its GlsPeerList, the GlsShare
 * they are shared through, and three files of the data dir: peers.ini
 * (the peers of every workspace, gls-peer.h), serve.ini (keys and port,
 * gls-share.h) and sharing.ini (which workspaces are shared, and how:
 * group [sharing], keys `workspaces`, `lan`, `plain-http`).
 *
 * The session touches no file in the thread that made it: it reads them
 * in a GTask thread (gls_session_load_async, and each workspace's peers
 * when it opens), and writes them in one after every change — a peer
 * added or removed, sharing switched, a key made, the port — saving
 * changes that come together at once, and once more when a change comes
 * while a save runs. A file that cannot be read gives a warning and the
 * defaults; one that cannot be written, ::save-failed with a message for
 * a person (a warning when nobody listens). :saving is TRUE from a change
 * until it is on disk.
 */

#define GLS_TYPE_SESSION (gls_session_get_type ())

G_DECLARE_FINAL_TYPE (GlsSession, gls_session, GLS, SESSION, GObject)

GlsSession   *gls_session_new                   (const char           *data_dir);
const char   *gls_session_get_data_dir          (GlsSession           *self);

/* Reads sharing.ini, serve.ini, the server's uuid and the certificate
 * (made the first time). Opening a workspace waits for it. */
void          gls_session_load_async            (GlsSession           *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean      gls_session_load_finish           (GlsSession           *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
gboolean      gls_session_get_loaded            (GlsSession           *self);
/* NULL until loaded, and after gls_session_shutdown. */
GlsShare     *gls_session_get_share             (GlsSession           *self);

/* Opens (creating it when there is none) the workspace `name` as a window
 * shows it (gls_workspace_open_lazy_async), reads its peers and starts
 * them; an open workspace is returned as it is. `created`: whether the
 * workspace did not exist before. */
void          gls_session_open_workspace_async  (GlsSession           *self,
                                                 const char           *name,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GlsWorkspace *gls_session_open_workspace_finish (GlsSession           *self,
                                                 GAsyncResult         *result,
                                                 gboolean             *created,
                                                 GError              **error);
/* The open workspace `name` and its peers, or NULL. */
GlsWorkspace *gls_session_get_workspace         (GlsSession           *self,
                                                 const char           *name);
GlsPeerList  *gls_session_get_peer_list         (GlsSession           *self,
                                                 const char           *name);
/* Shares the open workspace again if it was shared when last closed (no
 * file is read: the session has the keys). FALSE with an error when it
 * cannot be. */
gboolean      gls_session_restore_sharing       (GlsSession           *self,
                                                 const char           *name,
                                                 GError              **error);
/* The workspace is no longer shown: its peers stop, it is no longer
 * shared (sharing.ini still says it was), and the session lets it go. */
void          gls_session_close_workspace       (GlsSession           *self,
                                                 const char           *name);

gboolean      gls_session_get_saving            (GlsSession           *self);
/* Stops every peer and stops sharing, leaving the files as they are. */
void          gls_session_shutdown              (GlsSession           *self);
/* BLOCKS until every change is on disk: for shutdown only (and dispose
 * calls it), never while a window is up. */
void          gls_session_flush                 (GlsSession           *self);

G_END_DECLS
