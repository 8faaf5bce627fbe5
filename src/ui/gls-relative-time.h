/* gls-relative-time.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "just now", "5 minutes ago", "yesterday", "3 days ago", or a date for
 * anything older than a week. `now` NULL means the current time. */
char *gls_format_relative_time     (GDateTime  *then,
                                    GDateTime  *now);
/* Same, from an xsd:dateTime string; NULL for a string that is no date. */
char *gls_format_relative_iso8601  (const char *iso8601,
                                    GDateTime  *now);

G_END_DECLS
