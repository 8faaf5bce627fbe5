/* gls-sync-api.h: what the glossa-sync module gives the command line
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * `glossa serve` and `glossa sync` need src/sync, which links libsoup and
 * GnuTLS (and the twenty libraries they bring: Kerberos, p11-kit, nghttp2,
 * brotli, …): some 6 ms of loading before any command would start. So the
 * program links neither, and those two commands run in a module it loads
 * (src/sync-module.c, the commands' bodies in gls-cli-sync.c):
 * $GLOSSA_SYNC_MODULE, else beside the program, else the installed module
 * directory. The command line parses the options and hands them over as
 * plain data; the module opens the workspaces itself (it has its own copy
 * of the layers below, so no GObject crosses).
 */

#define GLS_SYNC_MODULE          "glossa-sync"
#define GLS_SYNC_MODULE_SYMBOL   "glossa_sync_get_api"
/* Bumped when a member changes meaning; new members go at the end. */
#define GLS_SYNC_API_VERSION     1

/* The options of both commands, as given on the command line. */
typedef struct
{
  const char         *data_dir;      /* --data-dir, NULL: the default */
  const char         *workspace;     /* sync: --workspace, NULL: "default" */
  const char *const  *workspaces;    /* serve: each --workspace (names, or a,b), NULL: every one */
  const char         *url;           /* sync: the peer's link */
  const char         *bind;          /* serve: NULL: 127.0.0.1 */
  int                 port;          /* serve */
  gboolean            read_only_key; /* serve */
  gboolean            http;          /* serve: plain HTTP */
  gboolean            pull;          /* sync: neither or both: both ways */
  gboolean            push;
  gboolean            live;          /* sync: until stopped */
} GlsSyncOptions;

typedef struct
{
  guint            api_version;
  gsize            size;          /* sizeof (GlsSyncApi) in the module */

  /* Each runs its command to its end (a signal, or the end of a one-shot
   * sync) and returns the exit status: 0 done, 1 failed, 2 a wrong option;
   * when not 0, @error (if set) says why, in words a person can read. */
  int (*serve) (const GlsSyncOptions  *options,
                GError               **error);
  int (*sync)  (const GlsSyncOptions  *options,
                GError               **error);
} GlsSyncApi;

typedef const GlsSyncApi *(*GlsSyncGetApi) (void);

G_END_DECLS
