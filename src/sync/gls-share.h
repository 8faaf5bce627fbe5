/* gls-share.h
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
 * GlsShare: the GUI's "Share" — serves the workspaces a person chooses to
 * share from this running Glossa, with one GlsPeerServer for all of them.
 *
 * Keys live in <data-dir>/serve.ini (0600), the same file `glossa serve`
 * reads and writes, so a workspace keeps its link across restarts and
 * between the GUI and the command line: group [workspace NAME], keys
 * `key` and `read-only-key` (both made on a workspace's first share; a
 * read-only key made by `glossa serve --read-only-key` works here too). Group [share], key `port`: the port
 * last listened on, tried first next time, so links survive a restart.
 *
 * The server listens on the first start: on the port of last time, else
 * on port 5985 (GLS_SHARE_DEFAULT_PORT) when free, else on any free port;
 * on 127.0.0.1 only while :lan is FALSE (the default: nothing outside
 * this computer can connect until the person turns on "Reachable from
 * other computers"), on all addresses when TRUE (the link then names this
 * machine's first non-loopback IPv4 address, and follows network
 * changes); changing it while sharing listens again at once. It stops listening when the
 * last workspace stops being shared. Everything runs in the main context
 * that is the thread-default when gls_share_new is called; store work runs
 * in the server's worker threads, so the GUI never blocks.
 *
 * It speaks HTTPS with the data dir's certificate (gls-tls.h, made on the
 * first share), and links pin it: https://peer:KEY@HOST:PORT/NAME#pin=
 * sha256:…. With :plain-http TRUE it speaks plain HTTP instead, and links
 * are http://peer:KEY@HOST:PORT/NAME: for hubs and tools that cannot
 * speak TLS, at the cost of sending the key and every comment in clear.
 *
 * ::changed is emitted whenever a workspace starts or stops being shared or
 * the links change.
 *
 * A share made with gls_share_new reads and writes its files itself,
 * blocking. For an owner that must not block (GlsSession, for the GUI):
 * gls_share_files_read reads serve.ini, the server's uuid and the
 * certificate (making those two when missing), blocking, in the owner's
 * thread; a share made with gls_share_new_with_files works from them and
 * touches no file. When serve.ini needs something written (a workspace's
 * first key, the port) it emits ::save-needed: the owner takes it with
 * gls_share_take_unsaved and writes it with gls_share_save_unsaved,
 * blocking, in any thread.
 */

#define GLS_SHARE_DEFAULT_PORT 5985

#define GLS_TYPE_SHARE (gls_share_get_type ())

G_DECLARE_FINAL_TYPE (GlsShare, gls_share, GLS, SHARE, GObject)

typedef struct _GlsShareFiles GlsShareFiles;

GlsShare   *gls_share_new             (const char    *data_dir);
/* Takes `files`. */
GlsShare   *gls_share_new_with_files  (const char    *data_dir,
                                       GlsShareFiles *files);

/* Whether to listen on every address (other computers can connect) or on
 * 127.0.0.1 only. Changing it while sharing restarts the listener. */
gboolean    gls_share_get_lan         (GlsShare      *self);
void        gls_share_set_lan         (GlsShare      *self,
                                       gboolean       lan);

/* Plain HTTP instead of HTTPS (default FALSE). Changing it while sharing
 * restarts the listener on the same port; links change. */
gboolean    gls_share_get_plain_http  (GlsShare      *self);
void        gls_share_set_plain_http  (GlsShare      *self,
                                       gboolean       plain_http);
/* The certificate's "sha256:…" pin while sharing over HTTPS, else NULL. */
const char *gls_share_get_pin         (GlsShare      *self);

/* The port tried first (GLS_SHARE_DEFAULT_PORT unless changed; 0: any
 * free port). Once listening, a restart tries the port it had first, so
 * links keep working. */
guint       gls_share_get_default_port (GlsShare     *self);
void        gls_share_set_default_port (GlsShare     *self,
                                        guint         port);

/* Serves the workspace's store (adding its key to serve.ini if it has
 * none). FALSE with an error when no port could be opened or serve.ini
 * cannot be written. */
gboolean    gls_share_start           (GlsShare      *self,
                                       GlsWorkspace  *workspace,
                                       GError       **error);
void        gls_share_stop            (GlsShare      *self,
                                       const char    *workspace_name);
gboolean    gls_share_is_sharing      (GlsShare      *self,
                                       const char    *workspace_name);
/* "https://peer:KEY@HOST:PORT/NAME#pin=sha256:…" (http://…/NAME with
 * :plain-http), or NULL when not shared. */
char       *gls_share_dup_link        (GlsShare      *self,
                                       const char    *workspace_name);
/* The same with the read-only key: its holder can pull, and gets 403 on
 * every write. NULL when not shared. */
char       *gls_share_dup_read_only_link (GlsShare   *self,
                                          const char *workspace_name);
/* Who is connected, to any shared workspace: a GListModel of
 * GlsPeerClient (gls-peer-client.h), kept across restarts of the
 * listener (emptied by them: peers connect again). */
GListModel *gls_share_get_clients     (GlsShare      *self);
/* The port listened on, or 0. */
guint       gls_share_get_port        (GlsShare      *self);

/* Shared with `glossa serve`: reads <data-dir>/serve.ini, gives each
 * workspace in `names` a `key` (and a `read-only-key` when asked) if it has
 * none, writes the file back (0600) when it changed, and returns it. */
GKeyFile   *gls_share_load_keys       (const char    *data_dir,
                                       const char *const *names,
                                       gboolean       read_only,
                                       GError       **error);

/* Never NULL: what could not be read is left out (sharing then fails with
 * its reason), and a serve.ini that cannot be read sets `error`. */
GlsShareFiles *gls_share_files_read   (const char    *data_dir,
                                       GError       **error);
void        gls_share_files_free      (GlsShareFiles *files);
/* What serve.ini still needs (keys and the port), or NULL. */
GKeyFile   *gls_share_take_unsaved    (GlsShare      *self);
/* Writes `unsaved` into serve.ini (0600), keeping the rest and any key a
 * workspace got meanwhile from elsewhere. */
gboolean    gls_share_save_unsaved    (const char    *data_dir,
                                       GKeyFile      *unsaved,
                                       GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsShareFiles, gls_share_files_free)

G_END_DECLS
