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
 * strictly later than every earlier `now` and every observed timestamp
 * within the horizon. Thread-safe.
 *
 * The horizon: an observed time more than GLS_HLC_MAX_AHEAD (one day)
 * ahead of the physical clock is ignored, so one peer with a wrong clock
 * (or a forged `created`) cannot drag every later stamp into the future.
 * A reply to such a document may then sort before it; the document itself
 * is kept and shown.
 */

/* How far ahead of the physical clock an observed time may be, in usec. */
#define GLS_HLC_MAX_AHEAD (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)

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
/* Any xsd:dateTime with a time zone. Returns FALSE when the time was
 * ignored: unparsable, or beyond the horizon. */
gboolean  gls_hlc_observe        (GlsHlc          *self,
                                  const char      *created);
gboolean  gls_hlc_observe_usec   (GlsHlc          *self,
                                  gint64           usec);
/* Physical time + GLS_HLC_MAX_AHEAD: later observations are ignored. */
gint64    gls_hlc_get_horizon    (GlsHlc          *self);

/* Parses an xsd:dateTime with a time zone into microseconds since the
 * epoch (UTC). */
gboolean  gls_timestamp_parse    (const char      *timestamp,
                                  gint64          *usec);
/* The fixed-width UTC form of a time in microseconds since the epoch. */
char     *gls_timestamp_format   (gint64           usec);

G_END_DECLS
