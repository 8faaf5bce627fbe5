/* gls-endpoint-local.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-endpoint.h"

G_BEGIN_DECLS

/* A GlsStore as a replication endpoint; its calls run in GTask threads. */

#define GLS_TYPE_ENDPOINT_LOCAL (gls_endpoint_local_get_type ())

G_DECLARE_FINAL_TYPE (GlsEndpointLocal, gls_endpoint_local, GLS, ENDPOINT_LOCAL, GObject)

GlsEndpoint *gls_endpoint_local_new (GlsStore *store);

G_END_DECLS
