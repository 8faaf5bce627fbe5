/* gls-selector.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-selector"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gls-selector.h"
#include "gls-selector-private.h"
#include "gls-types.h"

G_DEFINE_BOXED_TYPE (GlsSelector, gls_selector, gls_selector_copy, gls_selector_free)

GlsSelector *
gls_selector_copy (const GlsSelector *self)
{
  GlsSelector *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->exact = g_strdup (self->exact);
  copy->prefix = g_strdup (self->prefix);
  copy->suffix = g_strdup (self->suffix);
  return copy;
}

void
gls_selector_clear (GlsSelector *self)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->exact, g_free);
  g_clear_pointer (&self->prefix, g_free);
  g_clear_pointer (&self->suffix, g_free);
  memset (self, 0, sizeof *self);
}

void
gls_selector_free (GlsSelector *self)
{
  if (self == NULL)
    return;
  gls_selector_clear (self);
  g_free (self);
}

void
gls_selector_init_text (GlsSelector *self,
                        gint64       start,
                        gint64       end,
                        const char  *exact,
                        const char  *prefix,
                        const char  *suffix)
{
  g_return_if_fail (self != NULL);

  memset (self, 0, sizeof *self);
  self->kind = GLS_SELECTOR_TEXT;
  self->start = start;
  self->end = end;
  self->exact = g_strdup (exact);
  self->prefix = g_strdup (prefix);
  self->suffix = g_strdup (suffix);
}

gboolean
gls_selector_equal (const GlsSelector *a,
                    const GlsSelector *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  if (a->kind != b->kind || a->page != b->page)
    return FALSE;

  switch (a->kind)
    {
    case GLS_SELECTOR_NONE:
      return TRUE;
    case GLS_SELECTOR_POINT:
      return a->x == b->x && a->y == b->y;
    case GLS_SELECTOR_RECT:
      return a->x == b->x && a->y == b->y && a->width == b->width && a->height == b->height;
    case GLS_SELECTOR_TEXT:
      return a->start == b->start && a->end == b->end && g_strcmp0 (a->exact, b->exact) == 0 &&
             g_strcmp0 (a->prefix, b->prefix) == 0 && g_strcmp0 (a->suffix, b->suffix) == 0;
    default:
      return FALSE;
    }
}

/* Compact and exact: integers as integers, else the shortest of %.15g and
 * %.17g that reads back to the same double. Locale-independent. */
static void
append_number (GString *str,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (value == 0)
    value = 0; /* no "-0" */

  if (value == floor (value) && fabs (value) < 1e15)
    {
      g_string_append_printf (str, "%" G_GINT64_FORMAT, (gint64) value);
      return;
    }

  g_ascii_formatd (buf, sizeof buf, "%.15g", value);
  if (g_ascii_strtod (buf, NULL) != value)
    g_ascii_formatd (buf, sizeof buf, "%.17g", value);

  /* The same digits without an exponent (1e-05, 1e+15): parse_number
   * takes plain decimals only. */
  if (strchr (buf, 'e') != NULL)
    {
      char digits[20];
      int n_digits = 0, point;

      for (const char *p = buf; *p != 'e'; p++)
        if (g_ascii_isdigit (*p) && n_digits < (int) sizeof digits)
          digits[n_digits++] = *p;
      point = atoi (strchr (buf, 'e') + 1) + 1;  /* digits before the point */
      if (value < 0)
        g_string_append_c (str, '-');
      if (point <= 0)
        {
          g_string_append (str, "0.");
          for (int i = point; i < 0; i++)
            g_string_append_c (str, '0');
          g_string_append_len (str, digits, n_digits);
        }
      else if (point >= n_digits)
        {
          g_string_append_len (str, digits, n_digits);
          for (int i = n_digits; i < point; i++)
            g_string_append_c (str, '0');
        }
      else
        {
          g_string_append_len (str, digits, point);
          g_string_append_c (str, '.');
          g_string_append_len (str, digits + point, n_digits - point);
        }
      return;
    }
  g_string_append (str, buf);
}

static void
append_rect (GString           *str,
             const GlsSelector *self)
{
  gboolean point = self->kind == GLS_SELECTOR_POINT;

  append_number (str, self->x);
  g_string_append_c (str, ',');
  append_number (str, self->y);
  g_string_append_c (str, ',');
  append_number (str, point ? 0 : self->width);
  g_string_append_c (str, ',');
  append_number (str, point ? 0 : self->height);
}

char *
gls_selector_to_fragment (const GlsSelector  *self,
                          const char        **conforms_to)
{
  GString *str;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->kind != GLS_SELECTOR_TEXT, NULL);

  if (conforms_to != NULL)
    *conforms_to = NULL;

  if (self->page == 0)
    {
      if (self->kind == GLS_SELECTOR_NONE)
        return NULL;

      str = g_string_new ("xywh=");
      append_rect (str, self);
      if (conforms_to != NULL)
        *conforms_to = GLS_MEDIA_FRAGMENTS_IRI;
      return g_string_free (str, FALSE);
    }

  str = g_string_new (NULL);
  g_string_append_printf (str, "page=%u", self->page);
  if (self->kind != GLS_SELECTOR_NONE)
    {
      g_string_append (str, "&viewrect=");
      append_rect (str, self);
    }
  if (conforms_to != NULL)
    *conforms_to = GLS_RFC3778_IRI;
  return g_string_free (str, FALSE);
}

static gboolean
parse_number (const char  *str,
              double      *out)
{
  char *end = NULL;
  double value;

  /* Plain decimals only: no sign, no hex, no exponent, no inf/nan. */
  if (*str == '\0' || strspn (str, "0123456789.") != strlen (str))
    return FALSE;

  value = g_ascii_strtod (str, &end);
  if (end == NULL || *end != '\0' || !isfinite (value))
    return FALSE;

  *out = value;
  return TRUE;
}

static gboolean
parse_rect (const char   *value,
            const char   *what,
            GlsSelector  *sel,
            GError      **error)
{
  g_auto(GStrv) parts = g_strsplit (value, ",", -1);
  double v[4];

  if (g_strv_length (parts) != 4)
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                   _("“%s” needs four numbers x,y,w,h, not “%s”"), what, value);
      return FALSE;
    }

  for (guint i = 0; i < 4; i++)
    {
      if (!parse_number (parts[i], &v[i]))
        {
          g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                       _("“%s” in “%s” is not a non-negative number"), parts[i], what);
          return FALSE;
        }
    }

  sel->x = v[0];
  sel->y = v[1];
  if (v[2] == 0 && v[3] == 0)
    {
      sel->kind = GLS_SELECTOR_POINT;
      sel->width = sel->height = 0;
    }
  else
    {
      sel->kind = GLS_SELECTOR_RECT;
      sel->width = v[2];
      sel->height = v[3];
    }

  return TRUE;
}

static gboolean
parse_media_fragment (const char   *value,
                      GlsSelector  *sel,
                      GError      **error)
{
  const char *rect;

  if (!g_str_has_prefix (value, "xywh="))
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_UNSUPPORTED,
                   _("Unsupported media fragment “%s”: only xywh= regions are understood"), value);
      return FALSE;
    }

  rect = value + strlen ("xywh=");
  if (g_str_has_prefix (rect, "percent:"))
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_UNSUPPORTED,
                   _("Percent regions (“%s”) are not supported: they need the image size; "
                   "use pixel coordinates"), value);
      return FALSE;
    }
  if (g_str_has_prefix (rect, "pixel:"))
    rect += strlen ("pixel:");

  sel->page = 0;
  return parse_rect (rect, "xywh", sel, error);
}

static gboolean
parse_pdf_fragment (const char   *value,
                    GlsSelector  *sel,
                    GError      **error)
{
  g_auto(GStrv) params = g_strsplit (value, "&", -1);
  gboolean have_page = FALSE;
  gboolean have_rect = FALSE;

  for (guint i = 0; params[i] != NULL; i++)
    {
      const char *p = params[i];

      if (g_str_has_prefix (p, "page="))
        {
          guint64 page = 0;

          if (have_page ||
              !g_ascii_string_to_unsigned (p + 5, 10, 1, G_MAXINT32, &page, NULL))
            {
              g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                           _("“%s” is not a page number (1 or more)"), p);
              return FALSE;
            }
          sel->page = page;
          have_page = TRUE;
        }
      else if (g_str_has_prefix (p, "viewrect="))
        {
          if (have_rect || !parse_rect (p + 9, "viewrect", sel, error))
            {
              if (error != NULL && *error == NULL)
                g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                             _("“viewrect” given twice in “%s”"), value);
              return FALSE;
            }
          have_rect = TRUE;
        }
      else
        {
          g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_UNSUPPORTED,
                       _("Unsupported PDF fragment parameter “%s”: only page and viewrect "
                       "are understood"), p);
          return FALSE;
        }
    }

  if (!have_page)
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                   _("PDF fragment “%s” has no page=N"), value);
      return FALSE;
    }

  if (!have_rect)
    {
      sel->kind = GLS_SELECTOR_NONE;
      sel->x = sel->y = sel->width = sel->height = 0;
    }

  return TRUE;
}

static gboolean
is_media_fragments (const char *iri)
{
  return g_str_equal (iri, GLS_MEDIA_FRAGMENTS_IRI) ||
         g_str_equal (iri, "http://www.w3.org/TR/media-frags") ||
         g_str_equal (iri, "https://www.w3.org/TR/media-frags/");
}

static gboolean
is_rfc3778 (const char *iri)
{
  return g_str_equal (iri, GLS_RFC3778_IRI) ||
         g_str_equal (iri, "https://tools.ietf.org/rfc/rfc3778") ||
         g_str_equal (iri, "https://www.rfc-editor.org/rfc/rfc3778");
}

gboolean
_gls_selector_conforms_to_is_known (const char *conforms_to)
{
  return is_media_fragments (conforms_to) || is_rfc3778 (conforms_to);
}

gboolean
gls_selector_parse_fragment (const char   *value,
                             const char   *conforms_to,
                             GlsSelector  *out,
                             GError      **error)
{
  GlsSelector sel = { GLS_SELECTOR_NONE, 0, 0, 0, 0, 0 };
  gboolean media;

  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (conforms_to == NULL)
    media = g_str_has_prefix (value, "xywh=");
  else if (is_media_fragments (conforms_to))
    media = TRUE;
  else if (is_rfc3778 (conforms_to))
    media = FALSE;
  else
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_UNSUPPORTED,
                   _("Unsupported fragment specification “%s”"), conforms_to);
      return FALSE;
    }

  if (media ? !parse_media_fragment (value, &sel, error)
            : !parse_pdf_fragment (value, &sel, error))
    return FALSE;

  if (out != NULL)
    *out = sel;

  return TRUE;
}
