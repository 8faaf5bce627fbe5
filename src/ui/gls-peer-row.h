/* gls-peer-row.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gls-peer-list.h"

G_BEGIN_DECLS

#define GLS_TYPE_PEER_ROW (gls_peer_row_get_type ())

G_DECLARE_FINAL_TYPE (GlsPeerRow, gls_peer_row, GLS, PEER_ROW, AdwActionRow)

/* One peer in the Peers window: its label, its state in words, a spinner
 * while it syncs, Retry when it failed or is offline, and Remove, which
 * emits ::remove-requested. */
GtkWidget *gls_peer_row_new        (GlsPeer    *peer);
GlsPeer   *gls_peer_row_get_peer   (GlsPeerRow *self);
/* The state line shown under the peer's label, e.g. "Syncing — 120 of 300". */
const char *gls_peer_row_get_status (GlsPeerRow *self);

/* The state line for these values; `now` NULL means the current time. */
char      *gls_peer_describe_state (GlsPeerState  state,
                                    const char   *error_message,
                                    gint64        done,
                                    gint64        pending,
                                    GDateTime    *last_synced,
                                    GDateTime    *now);

G_END_DECLS
