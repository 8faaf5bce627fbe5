/* gls-peer-client.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * GlsPeerClient: a program connected to a GlsPeerServer, as the Share
 * dialog lists it (gls_peer_server_get_clients, gls_share_get_clients).
 *
 * A Glossa peer says who it is in request headers: `X-Glossa-Peer:
 * did:key:z6Mk…` and `X-Glossa-Name: <percent-encoded UTF-8>` (from its
 * profile). These are SELF-DECLARED: anyone holding the key can send
 * any name and any did:key. They are shown, never trusted: nothing is
 * allowed, refused or attributed because of them (what a document says
 * about its author is decided by its proof, in src/workspace). The server
 * keeps them only when they are well-formed, and cuts and cleans them
 * first (gls_peer_client_sanitize_name). Other programs are shown by
 * their address and User-Agent.
 *
 * Properties (read-only, notified in the server's main context):
 * "database" (the workspace it reached), "address" (its IP), "user-agent",
 * "did" and "name" (self-declared, or NULL), "read-only" (it used the
 * read-only key), "title" ("Ana Ferreira · did:key:z6Mk…", or
 * "192.168.1.20 · PouchDB").
 */

#define GLS_PEER_CLIENT_MAX_NAME       64   /* characters */
#define GLS_PEER_CLIENT_MAX_DID        128  /* bytes */
#define GLS_PEER_CLIENT_MAX_USER_AGENT 80   /* bytes */

#define GLS_TYPE_PEER_CLIENT (gls_peer_client_get_type ())

G_DECLARE_FINAL_TYPE (GlsPeerClient, gls_peer_client, GLS, PEER_CLIENT, GObject)

const char *gls_peer_client_get_database   (GlsPeerClient *self);
const char *gls_peer_client_get_address    (GlsPeerClient *self);
const char *gls_peer_client_get_user_agent (GlsPeerClient *self);
const char *gls_peer_client_get_did        (GlsPeerClient *self);
const char *gls_peer_client_get_name       (GlsPeerClient *self);
gboolean    gls_peer_client_get_read_only  (GlsPeerClient *self);
char       *gls_peer_client_dup_title      (GlsPeerClient *self);

/* The header values as the server keeps them: a did:key of base58
 * characters (else NULL); a name percent-decoded, valid UTF-8, without
 * control or format characters (no bidi overrides), spaces collapsed,
 * at most GLS_PEER_CLIENT_MAX_NAME characters (else NULL when nothing is
 * left); a User-Agent of printable ASCII, cut to its limit. */
char       *gls_peer_client_sanitize_did        (const char *value);
char       *gls_peer_client_sanitize_name       (const char *value);
char       *gls_peer_client_sanitize_user_agent (const char *value);
/* "did:key:z6MkhaXg…q2Vn": enough to tell people apart at a glance. */
char       *gls_peer_client_abbreviate_did      (const char *did);

/* The value a Glossa sends as X-Glossa-Name (percent-encoded UTF-8). */
char       *gls_peer_client_encode_name         (const char *name);

G_END_DECLS
