/* gls-json-types.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GLS_JSON_ERROR (gls_json_error_quark ())

typedef enum
{
  GLS_JSON_ERROR_INVALID, /* a value that has no canonical form */
} GlsJsonError;

GQuark      gls_json_error_quark       (void);

G_END_DECLS
