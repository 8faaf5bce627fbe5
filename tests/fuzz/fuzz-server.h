/* fuzz-server.h: a GlsPeerServer run in-process, one request per input
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Call once, after fuzz_init. */
void     fuzz_server_init     (void);

/* Starts a new server on 127.0.0.1, port 0, serving a new store as "db"
 * and, behind keys, as "locked" (Basic auth, any user: "key" reads and
 * writes, "ro" reads), with a 1 MB body limit and a create function
 * (PUT /{db} makes a new store). */
void     fuzz_server_start    (void);
/* Sends `request` as it is on a new connection and reads the answer
 * until the server closes it, or for at most `deadline_ms`. Returns what
 * came back. */
GBytes  *fuzz_server_send     (const char *request,
                               gsize       length,
                               guint       deadline_ms);
/* Drops the server and its stores, which must then be finalized: a
 * reference kept is a finding. */
void     fuzz_server_stop     (void);

/* Builds a well-formed HTTP/1.1 request from `method`, `target`, header
 * lines ("Name: value", as many as given), and a body: Host,
 * Content-Length and Connection: close are set here (so the server never
 * waits for more), and the same headers in `headers` are dropped. */
char    *fuzz_server_request  (const char  *method,
                               const char  *target,
                               const char  *headers,
                               gsize        headers_length,
                               const char  *body,
                               gsize        body_length,
                               gsize       *length);

/* Checks the answer: an HTTP status line below 500, and a JSON body (by
 * Content-Type and Content-Length) that the strict parser reads. */
void     fuzz_server_check_answer (GBytes     *answer,
                                   const char *method);

G_END_DECLS
