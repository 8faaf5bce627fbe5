/* gls-selector-private.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-selector.h"

G_BEGIN_DECLS

/* Whether `conforms_to` names Media Fragments or RFC 3778. */
gboolean _gls_selector_conforms_to_is_known (const char *conforms_to);

G_END_DECLS
