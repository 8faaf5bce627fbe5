/* gls-relative-time.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-relative-time"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-relative-time.h"

char *
gls_format_relative_time (GDateTime *then,
                          GDateTime *now)
{
  g_autoptr(GDateTime) local_now = NULL;
  g_autoptr(GDateTime) local_then = NULL;
  GTimeSpan diff;
  gint64 n;

  g_return_val_if_fail (then != NULL, NULL);

  local_now = now ? g_date_time_to_local (now) : g_date_time_new_now_local ();
  local_then = g_date_time_to_local (then);
  diff = g_date_time_difference (local_now, local_then);

  /* A peer whose clock runs a little ahead still wrote it "just now". */
  if (diff < G_TIME_SPAN_MINUTE)
    return g_strdup (_("just now"));

  if (diff < G_TIME_SPAN_HOUR)
    {
      n = diff / G_TIME_SPAN_MINUTE;
      return g_strdup_printf (ngettext ("%d minute ago", "%d minutes ago", n), (int) n);
    }

  if (diff < G_TIME_SPAN_DAY)
    {
      n = diff / G_TIME_SPAN_HOUR;
      return g_strdup_printf (ngettext ("%d hour ago", "%d hours ago", n), (int) n);
    }

  n = diff / G_TIME_SPAN_DAY;
  if (n == 1)
    return g_strdup (_("yesterday"));
  if (n < 7)
    return g_strdup_printf (ngettext ("%d day ago", "%d days ago", n), (int) n);

  if (g_date_time_get_year (local_then) == g_date_time_get_year (local_now))
    /* Translators: a date in the current year, see g_date_time_format() */
    return g_date_time_format (local_then, _("%-d %B"));

  /* Translators: a date in another year, see g_date_time_format() */
  return g_date_time_format (local_then, _("%-d %B %Y"));
}

char *
gls_format_relative_iso8601 (const char *iso8601,
                             GDateTime  *now)
{
  g_autoptr(GDateTime) then = NULL;

  if (iso8601 == NULL)
    return NULL;

  then = g_date_time_new_from_iso8601 (iso8601, NULL);
  if (then == NULL)
    return NULL;

  return gls_format_relative_time (then, now);
}
