/* gls-hlc.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * GlsHlc: a hybrid logical clock for `created`.
 *
 * Timestamps are xsd:dateTime in UTC with microsecond digits, fixed width:
 * `2026-11-23T10:00:00.123004Z` is millisecond 123 of physical time and
 * logical counter 004. Equal-width strings sort like the clock. `now` is
 * strictly later than every earlier `now` and every observed timestamp.
 * Thread-safe.
 */

/* Physical time in microseconds since the Unix epoch, like g_get_real_time (). */
typedef gint64 (*GlsHlcClockFunc) (gpointer user_data);

#define GLS_TYPE_HLC (gls_hlc_get_type ())

G_DECLARE_FINAL_TYPE (GlsHlc, gls_hlc, GLS, HLC, GObject)

GlsHlc   *gls_hlc_new            (void);
/* For tests: a physical clock of your own. */
GlsHlc   *gls_hlc_new_with_clock (GlsHlcClockFunc  clock,
                                  gpointer         user_data,
                                  GDestroyNotify   destroy);
char     *gls_hlc_now            (GlsHlc          *self);
/* Any xsd:dateTime with a time zone; unparsable strings are ignored. */
void      gls_hlc_observe        (GlsHlc          *self,
                                  const char      *created);

/* Parses an xsd:dateTime with a time zone into microseconds since the
 * epoch (UTC). */
gboolean  gls_timestamp_parse    (const char      *timestamp,
                                  gint64          *usec);
/* The fixed-width UTC form of a time in microseconds since the epoch. */
char     *gls_timestamp_format   (gint64           usec);

G_END_DECLS
