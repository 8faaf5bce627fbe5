/* gls-hlc.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-hlc"

#include "config.h"

#include <string.h>

#include "gls-hlc.h"

#define LOGICAL_MAX 999

struct _GlsHlc
{
  GObject          parent_instance;

  GMutex           mutex;
  GlsHlcClockFunc  clock;
  gpointer         clock_data;
  GDestroyNotify   clock_destroy;

  /* The last issued or observed time: milliseconds and logical counter. */
  gint64           ms;
  guint            logical;
};

G_DEFINE_FINAL_TYPE (GlsHlc, gls_hlc, G_TYPE_OBJECT)

static void
gls_hlc_finalize (GObject *object)
{
  GlsHlc *self = GLS_HLC (object);

  if (self->clock_destroy != NULL)
    self->clock_destroy (self->clock_data);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (gls_hlc_parent_class)->finalize (object);
}

static void
gls_hlc_class_init (GlsHlcClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gls_hlc_finalize;
}

static void
gls_hlc_init (GlsHlc *self)
{
  g_mutex_init (&self->mutex);
}

GlsHlc *
gls_hlc_new (void)
{
  return g_object_new (GLS_TYPE_HLC, NULL);
}

GlsHlc *
gls_hlc_new_with_clock (GlsHlcClockFunc clock,
                        gpointer        user_data,
                        GDestroyNotify  destroy)
{
  GlsHlc *self;

  g_return_val_if_fail (clock != NULL, NULL);

  self = gls_hlc_new ();
  self->clock = clock;
  self->clock_data = user_data;
  self->clock_destroy = destroy;

  return self;
}

char *
gls_timestamp_format (gint64 usec)
{
  g_autoptr(GDateTime) dt = NULL;
  gint64 secs = usec / G_USEC_PER_SEC;
  gint64 frac = usec % G_USEC_PER_SEC;

  if (frac < 0)
    {
      frac += G_USEC_PER_SEC;
      secs -= 1;
    }

  dt = g_date_time_new_from_unix_utc (secs);
  g_return_val_if_fail (dt != NULL, NULL);

  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
                          g_date_time_get_year (dt), g_date_time_get_month (dt),
                          g_date_time_get_day_of_month (dt), g_date_time_get_hour (dt),
                          g_date_time_get_minute (dt), g_date_time_get_second (dt),
                          (int) frac);
}

gboolean
gls_timestamp_parse (const char *timestamp,
                     gint64     *usec)
{
  g_autoptr(GDateTime) dt = NULL;
  const char *t;

  if (timestamp == NULL)
    return FALSE;

  /* xsd:dateTime: a full date, 'T', a time; the time zone is required here
   * so every peer reads the same instant. */
  t = strchr (timestamp, 'T');
  if (t == NULL || t - timestamp < 10)
    return FALSE;

  dt = g_date_time_new_from_iso8601 (timestamp, NULL);
  if (dt == NULL)
    return FALSE;

  if (usec != NULL)
    *usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);

  return TRUE;
}

static gint64
physical_ms (GlsHlc *self)
{
  gint64 usec = self->clock != NULL ? self->clock (self->clock_data) : g_get_real_time ();

  return usec / 1000;
}

char *
gls_hlc_now (GlsHlc *self)
{
  gint64 pt, ms;
  guint logical;

  g_return_val_if_fail (GLS_IS_HLC (self), NULL);

  g_mutex_lock (&self->mutex);

  pt = physical_ms (self);
  if (pt > self->ms)
    {
      self->ms = pt;
      self->logical = 0;
    }
  else if (self->logical < LOGICAL_MAX)
    {
      self->logical++;
    }
  else
    {
      /* A thousand stamps in one millisecond: borrow the next one. */
      self->ms++;
      self->logical = 0;
    }
  ms = self->ms;
  logical = self->logical;

  g_mutex_unlock (&self->mutex);

  return gls_timestamp_format (ms * 1000 + logical);
}

gint64
gls_hlc_get_horizon (GlsHlc *self)
{
  g_return_val_if_fail (GLS_IS_HLC (self), 0);

  return physical_ms (self) * 1000 + GLS_HLC_MAX_AHEAD;
}

gboolean
gls_hlc_observe_usec (GlsHlc *self,
                      gint64  usec)
{
  gint64 ms;
  guint logical;

  g_return_val_if_fail (GLS_IS_HLC (self), FALSE);

  if (usec < 0 || usec > gls_hlc_get_horizon (self))
    return FALSE;

  ms = usec / 1000;
  logical = usec % 1000;

  g_mutex_lock (&self->mutex);
  if (ms > self->ms || (ms == self->ms && logical > self->logical))
    {
      self->ms = ms;
      self->logical = logical;
    }
  g_mutex_unlock (&self->mutex);

  return TRUE;
}

gboolean
gls_hlc_observe (GlsHlc     *self,
                 const char *created)
{
  gint64 usec;

  g_return_val_if_fail (GLS_IS_HLC (self), FALSE);

  if (!gls_timestamp_parse (created, &usec))
    return FALSE;

  return gls_hlc_observe_usec (self, usec);
}
