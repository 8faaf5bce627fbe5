/* gls-po-private.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-po.h"

G_BEGIN_DECLS

/* For tests: raises a PO_SEVERITY_FATAL_ERROR through the handler given
 * to libgettextpo, as libgettextpo would; TRUE when it came back to the
 * caller (recorded, with its line) instead of returning or exiting. */
gboolean _gls_po_test_fatal_error (void);

G_END_DECLS
