/* gls-report.c: the review report, a PDF written with cairo
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-report"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <math.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>

#include "gls-report-private.h"

#define MARGIN        50.0
#define FOOTER        24.0
#define PIN_RADIUS    7.0
#define PIN_RING      1.5
#define REPLY_INDENT  22.0
#define FONT          "Sans"

/* A raster image is kept at no more than this many pixels per point of
 * the page it is drawn on (about 220 dpi): enough to zoom in on a print,
 * and a 4000 × 3000 photo does not make a 50 MB report. */
#define MAX_IMAGE_SCALE 3.0

G_DEFINE_QUARK (gls-report-error-quark, gls_report_error)

char *
gls_report_suggest_name (const char *design_name,
                         gboolean    annotated)
{
  g_autofree char *base = NULL;
  char *dot;

  g_return_val_if_fail (design_name != NULL, NULL);

  base = g_strdup (design_name);
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  g_strdelimit (base, "/\\", '-');
  if (*base == '\0' || *base == '.')
    {
      g_free (base);
      base = g_strdup (_("Design"));
    }

  if (annotated)
    /* Translators: a file name, "board annotated.pdf" */
    return g_strdup_printf (_("%s annotated.pdf"), base);
  /* Translators: a file name, "board review.pdf" */
  return g_strdup_printf (_("%s review.pdf"), base);
}

/* What the report and the annotated PDF share */

gboolean
_gls_report_output_open (GlsReportOutput  *output,
                         const char       *path,
                         GError          **error)
{
  /* Absolute: poppler saves to a URI. */
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  g_autofree char *dir = g_path_get_dirname (absolute);
  g_autofree char *base = g_path_get_basename (absolute);
  g_autofree char *tmpl = g_strdup_printf (".%s.XXXXXX", base);
  int saved_errno;

  output->path = g_strdup (path);
  output->tmp_path = g_build_filename (dir, tmpl, NULL);
  output->fd = g_mkstemp_full (output->tmp_path, O_WRONLY | O_CLOEXEC, 0644);
  if (output->fd >= 0)
    return TRUE;

  saved_errno = errno;
  g_set_error (error, GLS_REPORT_ERROR, GLS_REPORT_ERROR_WRITE,
               /* Translators: "Cannot write in “/home/ana”: Permission denied" */
               _("Cannot write in “%s”: %s"), dir, g_strerror (saved_errno));
  g_clear_pointer (&output->tmp_path, g_free);
  g_clear_pointer (&output->path, g_free);
  return FALSE;
}

gboolean
_gls_report_output_finish (GlsReportOutput  *output,
                           gboolean          ok,
                           GError          **error)
{
  if (ok && fsync (output->fd) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, GLS_REPORT_ERROR, GLS_REPORT_ERROR_WRITE,
                   _("Cannot write “%s”: %s"), output->path, g_strerror (saved_errno));
      ok = FALSE;
    }
  if (output->fd >= 0 && close (output->fd) != 0 && ok)
    {
      int saved_errno = errno;

      g_set_error (error, GLS_REPORT_ERROR, GLS_REPORT_ERROR_WRITE,
                   _("Cannot write “%s”: %s"), output->path, g_strerror (saved_errno));
      ok = FALSE;
    }
  output->fd = -1;

  if (ok && g_rename (output->tmp_path, output->path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, GLS_REPORT_ERROR, GLS_REPORT_ERROR_WRITE,
                   _("Cannot write “%s”: %s"), output->path, g_strerror (saved_errno));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (output->tmp_path);

  g_clear_pointer (&output->tmp_path, g_free);
  g_clear_pointer (&output->path, g_free);
  return ok;
}

char *
_gls_report_format_date (const char *iso8601)
{
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso8601 == NULL || (date = g_date_time_new_from_iso8601 (iso8601, NULL)) == NULL)
    return NULL;
  local = g_date_time_to_local (date);
  /* Translators: a comment's date in a printed report, see g_date_time_format() */
  return g_date_time_format (local, _("%-d %B %Y, %H:%M"));
}

const char *
_gls_report_thread_state (const GlsReportThread *thread)
{
  if (thread->suggestion)
    {
      switch (thread->decision)
        {
        case GLS_DECISION_ACCEPTED:
          /* Translators: a suggestion's state */
          return C_("suggestion", "Accepted");
        case GLS_DECISION_DECLINED:
          /* Translators: a suggestion's state */
          return C_("suggestion", "Declined");
        default:
          break;
        }
      if (!thread->resolved)
        /* Translators: a suggestion's state */
        return C_("suggestion", "Waiting for a decision");
    }

  /* Translators: a thread's state */
  return thread->resolved ? C_("thread", "Resolved") : C_("thread", "Open");
}

/* "Page 3", "Whole design", or NULL when the number on the picture says
 * where it is. */
static char *
thread_place (const GlsReportThread *thread)
{
  const GlsSelector *selector = thread->selector;

  if (selector == NULL)
    return g_strdup (_("On the whole design"));
  if (selector->kind == GLS_SELECTOR_TEXT)
    return NULL;
  if (selector->page > 0)
    {
      if (selector->kind == GLS_SELECTOR_NONE)
        /* Translators: where a thread is: on the whole of a PDF's page */
        return g_strdup_printf (_("On the whole of page %u"), selector->page);
      /* Translators: where a thread is, on a PDF */
      return g_strdup_printf (_("Page %u"), selector->page);
    }
  if (selector->kind == GLS_SELECTOR_NONE)
    return g_strdup (_("On the whole design"));
  return NULL;
}

/* "Ana Ferreira, 12 March 2026, 14:05 (edited)" */
static char *
comment_byline (const GlsReportComment *comment)
{
  const char *name = comment->author;
  g_autofree char *date = _gls_report_format_date (comment->created);
  GString *line = g_string_new (name != NULL && *name != '\0' ? name : _("Someone"));

  if (date != NULL)
    g_string_append_printf (line, ", %s", date);
  if (comment->modified != NULL)
    {
      g_autofree char *modified = _gls_report_format_date (comment->modified);

      g_string_append (line, " ");
      if (modified != NULL)
        /* Translators: after a comment's author and date */
        g_string_append_printf (line, _("(edited %s)"), modified);
      else
        g_string_append (line, _("(edited)"));
    }

  return g_string_free (line, FALSE);
}

static const char *
comment_text (const GlsReportComment *comment)
{
  if (comment->deleted)
    return _("This comment was deleted.");
  return comment->text != NULL ? comment->text : "";
}

/* "Resolved by Ben Okafor, 12 March 2026, 14:05", or NULL. */
static char *
assessment_line (const GlsReportThread *thread)
{
  g_autofree char *date = NULL;
  const char *name;

  if (thread->assessed_at == NULL)
    return NULL;

  name = thread->assessed_by;
  if (name == NULL || *name == '\0')
    name = _("someone");
  date = _gls_report_format_date (thread->assessed_at);
  if (date == NULL)
    date = g_strdup ("");

  if (thread->assessed_resolved)
    /* Translators: "Resolved by Ben Okafor, 12 March 2026, 14:05" */
    return g_strdup_printf (_("Resolved by %s, %s"), name, date);
  /* Translators: "Reopened by Ben Okafor, 12 March 2026, 14:05" */
  return g_strdup_printf (_("Reopened by %s, %s"), name, date);
}

char *
_gls_report_thread_text (const GlsReportThread *thread)
{
  g_autofree char *place = thread_place (thread);
  g_autofree char *assessed = assessment_line (thread);
  const GlsSelector *selector = thread->selector;
  GString *text = g_string_new (NULL);

  /* Translators: a thread's heading: its number and its state */
  g_string_append_printf (text, _("#%u · %s"), thread->number, _gls_report_thread_state (thread));
  if (place != NULL)
    g_string_append_printf (text, " · %s", place);
  g_string_append (text, "\n");
  if (selector != NULL && selector->kind == GLS_SELECTOR_TEXT && selector->exact != NULL)
    g_string_append_printf (text, "“%s”\n", selector->exact);

  if (thread->suggestion && thread->replacement != NULL)
    {
      /* Translators: a suggestion's replacement for the quoted passage */
      g_string_append_printf (text, _("Suggested instead: “%s”"), thread->replacement);
      g_string_append_c (text, '\n');
    }

  for (guint i = 0; i < thread->comments->len; i++)
    {
      const GlsReportComment *comment = g_ptr_array_index (thread->comments, i);
      g_autofree char *byline = comment_byline (comment);

      g_string_append_printf (text, "\n%s%s:\n%s\n",
                              i > 0 ? "↳ " : "", byline, comment_text (comment));
    }
  if (assessed != NULL)
    g_string_append_printf (text, "\n%s\n", assessed);

  while (text->len > 0 && text->str[text->len - 1] == '\n')
    g_string_truncate (text, text->len - 1);
  return g_string_free (text, FALSE);
}

PopplerDocument *
_gls_report_open_pdf (GBytes  *file,
                      GError **error)
{
  g_autoptr(GError) local_error = NULL;
  PopplerDocument *document = poppler_document_new_from_bytes (file, NULL, &local_error);

  if (document == NULL)
    {
      g_set_error (error, GLS_REPORT_ERROR, GLS_REPORT_ERROR_DAMAGED,
                   _("The PDF is damaged: %s"), local_error->message);
      return NULL;
    }
  if (poppler_document_get_n_pages (document) < 1)
    {
      g_object_unref (document);
      g_set_error_literal (error, GLS_REPORT_ERROR, GLS_REPORT_ERROR_DAMAGED,
                           _("The PDF is damaged: it has no pages"));
      return NULL;
    }

  return document;
}

/* The design, as pages to draw */

typedef struct
{
  GlsDesignKind    kind;
  guint            n_pages;
  PopplerDocument *pdf;
  RsvgHandle      *svg;
  GdkPixbuf       *pixbuf;
  double           width;   /* of the one page of an image or SVG */
  double           height;
} Source;

static void
source_clear (Source *source)
{
  g_clear_object (&source->pdf);
  g_clear_object (&source->svg);
  g_clear_object (&source->pixbuf);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Source, source_clear)

static gboolean
source_open (Source     *source,
             GlsDesignKind kind,
             GBytes     *file,
             GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (file, &size);

  source->kind = kind;
  switch (source->kind)
    {
    case GLS_DESIGN_KIND_PDF:
      if (!(source->pdf = _gls_report_open_pdf (file, error)))
        return FALSE;
      source->n_pages = poppler_document_get_n_pages (source->pdf);
      return TRUE;

    case GLS_DESIGN_KIND_SVG:
      source->svg = rsvg_handle_new_from_data (data, size, &local_error);
      if (source->svg == NULL)
        {
          g_set_error (error, GLS_REPORT_ERROR, GLS_REPORT_ERROR_DAMAGED,
                       _("The SVG is damaged: %s"), local_error->message);
          return FALSE;
        }
      rsvg_handle_set_dpi (source->svg, 96.0);
      if (!rsvg_handle_get_intrinsic_size_in_pixels (source->svg, &source->width, &source->height))
        {
          gboolean has_width, has_height, has_viewbox;
          RsvgLength width, height;
          RsvgRectangle viewbox;

          /* As the window does: the viewBox when the size is relative. */
          rsvg_handle_get_intrinsic_dimensions (source->svg, &has_width, &width, &has_height, &height,
                                                &has_viewbox, &viewbox);
          if (has_viewbox)
            {
              source->width = viewbox.width;
              source->height = viewbox.height;
            }
        }
      if (!(source->width > 0 && source->height > 0 && isfinite (source->width) && isfinite (source->height)))
        {
          g_set_error_literal (error, GLS_REPORT_ERROR, GLS_REPORT_ERROR_DAMAGED,
                               _("The SVG has no size: it needs a width and height or a viewBox"));
          return FALSE;
        }
      source->n_pages = 1;
      return TRUE;

    case GLS_DESIGN_KIND_RASTER:
    case GLS_DESIGN_KIND_OTHER:
      {
        g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();

        if (!gdk_pixbuf_loader_write_bytes (loader, file, &local_error) ||
            !gdk_pixbuf_loader_close (loader, &local_error) ||
            gdk_pixbuf_loader_get_pixbuf (loader) == NULL)
          {
            g_set_error (error, GLS_REPORT_ERROR, GLS_REPORT_ERROR_DAMAGED,
                         _("The image is damaged: %s"),
                         local_error != NULL ? local_error->message : _("it has no picture in it"));
            return FALSE;
          }
        source->pixbuf = g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
        source->kind = GLS_DESIGN_KIND_RASTER;
        source->width = gdk_pixbuf_get_width (source->pixbuf);
        source->height = gdk_pixbuf_get_height (source->pixbuf);
        source->n_pages = 1;
        return TRUE;
      }

    case GLS_DESIGN_KIND_TEXT:
    case GLS_DESIGN_KIND_TRANSLATION:
    default:
      /* Listed as passages, not drawn. */
      source->n_pages = 0;
      return TRUE;
    }
}

static void
source_page_size (Source *source,
                  guint   page,
                  double *width,
                  double *height)
{
  if (source->pdf != NULL)
    {
      PopplerPage *p = poppler_document_get_page (source->pdf, page);

      poppler_page_get_size (p, width, height);
      g_object_unref (p);
      return;
    }
  *width = source->width;
  *height = source->height;
}

/* A cairo surface of @pixbuf, scaled down to @max_width × @max_height at
 * most. */
static cairo_surface_t *
surface_for_pixbuf (GdkPixbuf *pixbuf,
                    int        max_width,
                    int        max_height)
{
  g_autoptr(GdkPixbuf) scaled = NULL;
  cairo_surface_t *surface;
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  gboolean alpha;
  int n_channels, src_stride, dst_stride;
  const guchar *src;
  guchar *dst;

  if (width > max_width || height > max_height)
    {
      double scale = MIN ((double) max_width / width, (double) max_height / height);

      width = MAX (1, (int) round (width * scale));
      height = MAX (1, (int) round (height * scale));
      scaled = gdk_pixbuf_scale_simple (pixbuf, width, height, GDK_INTERP_BILINEAR);
      pixbuf = scaled;
    }

  alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  src_stride = gdk_pixbuf_get_rowstride (pixbuf);
  src = gdk_pixbuf_read_pixels (pixbuf);

  surface = cairo_image_surface_create (alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, width, height);
  dst = cairo_image_surface_get_data (surface);
  dst_stride = cairo_image_surface_get_stride (surface);

  for (int y = 0; y < height; y++)
    {
      const guchar *s = src + (gsize) y * src_stride;
      guint32 *d = (guint32 *) (gpointer) (dst + (gsize) y * dst_stride);

      for (int x = 0; x < width; x++, s += n_channels)
        {
          guint a = alpha ? s[3] : 0xff;
          guint r = (s[0] * a + 127) / 255, g = (s[1] * a + 127) / 255, b = (s[2] * a + 127) / 255;

          d[x] = (a << 24) | (r << 16) | (g << 8) | b;
        }
    }
  cairo_surface_mark_dirty (surface);

  return surface;
}

/* Draws page @page (from 0) of the design into (0, 0, width, height) of
 * the design's own units; the caller scales. */
static void
source_draw_page (Source  *source,
                  GBytes  *file,
                  cairo_t *cr,
                  guint    page,
                  double   scale)
{
  if (source->pdf != NULL)
    {
      PopplerPage *p = poppler_document_get_page (source->pdf, page);

      poppler_page_render_for_printing (p, cr);
      g_object_unref (p);
    }
  else if (source->svg != NULL)
    {
      RsvgRectangle viewport = { 0, 0, source->width, source->height };

      rsvg_handle_render_document (source->svg, cr, &viewport, NULL);
    }
  else if (source->pixbuf != NULL)
    {
      cairo_surface_t *image;
      double image_scale;

      image = surface_for_pixbuf (source->pixbuf,
                                  (int) ceil (source->width * scale * MAX_IMAGE_SCALE),
                                  (int) ceil (source->height * scale * MAX_IMAGE_SCALE));
      image_scale = source->width / cairo_image_surface_get_width (image);

      /* A JPEG as it is, when it was not scaled: smaller, and no loss. */
      if (image_scale == 1.0)
        {
          gsize size;
          const guint8 *data = g_bytes_get_data (file, &size);

          if (size > 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
            cairo_surface_set_mime_data (image, CAIRO_MIME_TYPE_JPEG, data, size,
                                         (cairo_destroy_func_t) g_bytes_unref, g_bytes_ref (file));
        }

      cairo_save (cr);
      cairo_scale (cr, image_scale, image_scale);
      cairo_set_source_surface (cr, image, 0, 0);
      cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
      cairo_paint (cr);
      cairo_restore (cr);
      cairo_surface_destroy (image);
    }
}

/* The writer */

typedef struct
{
  const GlsReportInput  *report;
  Source                 source;
  cairo_surface_t       *surface;
  cairo_t               *cr;
  PangoContext          *pango;
  GlsReportOutput        output;
  int                    write_errno;
  double                 width;
  double                 height;
  double                 y;          /* where the next block goes */
  guint                  n_pages;    /* pages begun */
  gboolean               page_begun;
  GlsReportProgressFunc  progress;
  gpointer               user_data;
  guint                  done;
  guint                  total;
  GCancellable          *cancellable;
} Writer;

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  Writer *w = closure;

  while (length > 0)
    {
      ssize_t n = write (w->output.fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          w->write_errno = n < 0 ? errno : ENOSPC;
          return CAIRO_STATUS_WRITE_ERROR;
        }
      data += n;
      length -= n;
    }

  return CAIRO_STATUS_SUCCESS;
}

static void
paper_size (double *width,
            double *height)
{
  /* A4, unless the reader's locale prints on Letter. */
  *width = 595.276;
  *height = 841.89;
#ifdef _NL_PAPER_WIDTH
  {
    union { char *string; unsigned int word; } w, h;

    w.string = nl_langinfo (_NL_PAPER_WIDTH);
    h.string = nl_langinfo (_NL_PAPER_HEIGHT);
    if (w.word == 216 && h.word == 279)
      {
        *width = 612;
        *height = 792;
      }
  }
#endif
}

static PangoLayout *
make_layout (Writer     *w,
             const char *text,
             const char *font,
             double      width)
{
  PangoLayout *layout = pango_layout_new (w->pango);
  PangoFontDescription *desc = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  if (width > 0)
    pango_layout_set_width (layout, pango_units_from_double (width));
  pango_layout_set_text (layout, text, -1);

  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_size (layout, NULL, &height);
  return pango_units_to_double (height);
}

static void
set_grey (cairo_t *cr)
{
  cairo_set_source_rgb (cr, 0.37, 0.36, 0.39);
}

static double
bottom (Writer *w)
{
  return w->height - MARGIN - FOOTER;
}

static void
begin_page (Writer *w)
{
  g_autofree char *footer = NULL;
  g_autoptr(PangoLayout) layout = NULL;

  w->n_pages++;
  w->page_begun = TRUE;
  w->y = MARGIN;

  /* Translators: a report's footer: "board.svg — review report — page 3" */
  footer = g_strdup_printf (_("%s — review report — page %u"),
                            w->report->name, w->n_pages);
  layout = make_layout (w, footer, FONT " 7.5", w->width - 2 * MARGIN);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_MIDDLE);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  set_grey (w->cr);
  cairo_move_to (w->cr, MARGIN, w->height - MARGIN);
  pango_cairo_show_layout (w->cr, layout);
}

static void
end_page (Writer *w)
{
  if (!w->page_begun)
    return;
  cairo_show_page (w->cr);
  w->page_begun = FALSE;
}

static void
ensure_page (Writer *w)
{
  if (!w->page_begun)
    begin_page (w);
}

static void
new_page (Writer *w)
{
  end_page (w);
  begin_page (w);
}

/* Draws @layout at @x, line by line, onto as many pages as it needs. */
static void
flow_layout (Writer      *w,
             PangoLayout *layout,
             double       x)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  double shift = 0; /* layout y of the line at the top of this page's part */
  double top = w->y;

  ensure_page (w);
  do
    {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
      PangoRectangle logical;
      int baseline = pango_layout_iter_get_baseline (iter);
      double line_top, line_bottom;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      line_top = pango_units_to_double (logical.y) - shift + top;
      line_bottom = line_top + pango_units_to_double (logical.height);
      if (line_bottom > bottom (w) && line_top > MARGIN + 0.5)
        {
          new_page (w);
          shift = pango_units_to_double (logical.y);
          top = w->y;
          line_top = top;
          line_bottom = line_top + pango_units_to_double (logical.height);
        }
      cairo_move_to (w->cr, x + pango_units_to_double (logical.x),
                     top + pango_units_to_double (baseline) - shift);
      pango_cairo_show_layout_line (w->cr, line);
      w->y = line_bottom;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

/* A paragraph: starts a page when less than @keep points of it would fit
 * here. */
static void
paragraph (Writer     *w,
           const char *text,
           const char *font,
           double      x,
           double      space_before,
           double      keep,
           gboolean    grey)
{
  g_autoptr(PangoLayout) layout = make_layout (w, text, font, w->width - MARGIN - x);

  ensure_page (w);
  if (w->y > MARGIN + 0.5)
    w->y += space_before;
  if (w->y + MIN (keep, layout_height (layout)) > bottom (w))
    new_page (w);
  if (grey)
    set_grey (w->cr);
  else
    cairo_set_source_rgb (w->cr, 0, 0, 0);
  flow_layout (w, layout, x);
}

static gboolean
step_done (Writer  *w,
           GError **error)
{
  w->done++;
  if (w->progress != NULL)
    w->progress (w->done, w->total, w->user_data);
  return !g_cancellable_set_error_if_cancelled (w->cancellable, error);
}

/* The cover */

static const char *
decision_label (GlsDecision decision)
{
  switch (decision)
    {
    case GLS_DECISION_APPROVED:
      /* Translators: a reviewer's decision on a version */
      return _("Approved");
    case GLS_DECISION_CHANGES_REQUESTED:
      /* Translators: a reviewer's decision on a version */
      return _("Requested changes");
    case GLS_DECISION_NONE:
    case GLS_DECISION_ACCEPTED:
    case GLS_DECISION_DECLINED:
    default:
      /* Translators: a reviewer's decision we cannot name */
      return _("Reviewed");
    }
}

/* The licences Preferences offers, by the same names. */
static const struct {
  const char *name;
  const char *iri;
} licenses[] = {
  { N_("CC BY 4.0 (attribution)"), "https://creativecommons.org/licenses/by/4.0/" },
  { N_("CC BY-SA 4.0 (attribution, share-alike)"), "https://creativecommons.org/licenses/by-sa/4.0/" },
  { N_("CC0 1.0 (public domain)"), "https://creativecommons.org/publicdomain/zero/1.0/" },
  { N_("CC BY-NC 4.0 (attribution, non-commercial)"), "https://creativecommons.org/licenses/by-nc/4.0/" },
  { N_("CC BY-NC-SA 4.0 (attribution, non-commercial, share-alike)"), "https://creativecommons.org/licenses/by-nc-sa/4.0/" },
  { N_("CC BY-ND 4.0 (attribution, no derivatives)"), "https://creativecommons.org/licenses/by-nd/4.0/" },
};

static void
key_value (Writer     *w,
           const char *key,
           const char *value)
{
  g_autoptr(PangoLayout) k = NULL;
  g_autoptr(PangoLayout) v = NULL;
  double key_width = 110;

  if (value == NULL || *value == '\0')
    return;

  k = make_layout (w, key, FONT " 10", key_width - 8);
  v = make_layout (w, value, FONT " 10", w->width - 2 * MARGIN - key_width);
  set_grey (w->cr);
  cairo_move_to (w->cr, MARGIN, w->y);
  pango_cairo_show_layout (w->cr, k);
  cairo_set_source_rgb (w->cr, 0, 0, 0);
  cairo_move_to (w->cr, MARGIN + key_width, w->y);
  pango_cairo_show_layout (w->cr, v);
  w->y += MAX (layout_height (k), layout_height (v)) + 4;
}

/* The design's first page, small, in what is left of the cover. */
static void
draw_preview (Writer *w)
{
  cairo_t *cr = w->cr;
  double page_width, page_height, box_width, box_height, scale, x0, y0;

  source_page_size (&w->source, 0, &page_width, &page_height);
  box_width = w->width - 2 * MARGIN;
  box_height = MIN (bottom (w) - w->y - 30, w->height * 0.4);
  if (box_height < 80)
    return;
  scale = MIN (MIN (box_width / page_width, box_height / page_height), 1.0);
  x0 = MARGIN + (box_width - page_width * scale) / 2;
  y0 = bottom (w) - page_height * scale;

  cairo_save (cr);
  cairo_rectangle (cr, x0, y0, page_width * scale, page_height * scale);
  cairo_clip (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_translate (cr, x0, y0);
  cairo_scale (cr, scale, scale);
  source_draw_page (&w->source, w->report->file, cr, 0, scale);
  cairo_restore (cr);

  cairo_rectangle (cr, x0 - 0.25, y0 - 0.25, page_width * scale + 0.5, page_height * scale + 0.5);
  cairo_set_source_rgb (cr, 0.75, 0.75, 0.75);
  cairo_set_line_width (cr, 0.5);
  cairo_stroke (cr);
}

static void
write_cover (Writer *w)
{
  const GlsReportInput *report = w->report;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *version = NULL;
  g_autofree char *added = _gls_report_format_date (report->created);
  g_autofree char *made = g_date_time_format (now, _("%-d %B %Y, %H:%M"));
  g_autofree char *counts = NULL;
  const char *author = report->author;
  const char *license = report->license;
  g_autofree char *license_label = NULL;
  guint n_open = 0, n_resolved = 0;

  for (guint i = 0; i < G_N_ELEMENTS (licenses) && license_label == NULL; i++)
    if (g_strcmp0 (license, licenses[i].iri) == 0)
      license_label = g_strdup_printf ("%s\n%s", _(licenses[i].name), license);
  if (license_label == NULL)
    license_label = g_strdup (license);

  begin_page (w);

  paragraph (w, _("Review report"), FONT " 11", MARGIN, 0, 0, TRUE);
  paragraph (w, report->name, FONT " Bold 24", MARGIN, 4, 0, FALSE);
  w->y += 18;

  if (report->n_versions > 0)
    /* Translators: the version of a design: "2 of 3" */
    version = g_strdup_printf (_("%u of %u"), report->version, report->n_versions);
  key_value (w, _("Version"), version);
  key_value (w, _("Added"), added);
  key_value (w, _("Author"), author);
  key_value (w, _("Licence"), license_label);
  key_value (w, _("File"), report->media_type);
  key_value (w, _("Report made"), made);

  paragraph (w, _("Decisions"), FONT " Bold 14", MARGIN, 22, 40, FALSE);
  w->y += 4;
  if (report->reviews->len == 0)
    paragraph (w, _("No decisions yet"), FONT " 10", MARGIN, 0, 0, TRUE);
  for (guint i = 0; i < report->reviews->len; i++)
    {
      const GlsReportReview *review = g_ptr_array_index (report->reviews, i);
      g_autofree char *date = _gls_report_format_date (review->date);
      g_autofree char *line = NULL;

      if (date != NULL)
        /* Translators: "Ana Ferreira: Approved (12 March 2026, 14:05)" */
        line = g_strdup_printf (_("%s: %s (%s)"), review->reviewer, decision_label (review->decision), date);
      else
        /* Translators: "Ana Ferreira: Approved" */
        line = g_strdup_printf (_("%s: %s"), review->reviewer, decision_label (review->decision));
      paragraph (w, line, FONT " 10", MARGIN, 4, 0, FALSE);
      if (review->note != NULL && *review->note != '\0')
        paragraph (w, review->note, FONT " Italic 9.5", MARGIN + 12, 1, 0, TRUE);
    }

  for (guint i = 0; i < report->threads->len; i++)
    {
      if (((GlsReportThread *) g_ptr_array_index (report->threads, i))->resolved)
        n_resolved++;
      else
        n_open++;
    }
  paragraph (w, _("Threads"), FONT " Bold 14", MARGIN, 22, 40, FALSE);
  w->y += 4;
  if (report->threads->len == 0)
    counts = g_strdup (_("No threads"));
  else
    {
      g_autofree char *open = g_strdup_printf (ngettext ("%u open", "%u open", n_open), n_open);
      g_autofree char *resolved = g_strdup_printf (ngettext ("%u resolved", "%u resolved", n_resolved), n_resolved);

      /* Translators: the counts of a design's threads, "3 open, 1 resolved" */
      counts = g_strdup_printf (_("%s, %s"), open, resolved);
    }
  paragraph (w, counts, FONT " 10", MARGIN, 0, 0, FALSE);

  if (w->source.n_pages > 0)
    draw_preview (w);

  end_page (w);
}

/* The design's pages with their pins */

static void
pin_color (cairo_t  *cr,
           gboolean  resolved)
{
  if (resolved)
    cairo_set_source_rgb (cr, GLS_REPORT_RESOLVED_RGB);
  else
    cairo_set_source_rgb (cr, GLS_REPORT_OPEN_RGB);
}

/* A numbered disc centred on (x, y), as the window's badges: a white ring
 * round the accent (muted when resolved), the number in white. */
static void
draw_badge (Writer   *w,
            double    x,
            double    y,
            guint     number,
            gboolean  resolved)
{
  cairo_t *cr = w->cr;
  char label[16];
  g_autoptr(PangoLayout) layout = NULL;
  PangoRectangle ink, logical;
  double width, height = 2 * PIN_RADIUS, r = PIN_RADIUS;

  g_snprintf (label, sizeof label, "%u", number);
  layout = make_layout (w, label, FONT " Bold 7.5", -1);
  pango_layout_get_pixel_extents (layout, &ink, &logical);
  width = MAX (height, logical.width + 7);

  for (int pass = 0; pass < 2; pass++)
    {
      double grow = pass == 0 ? PIN_RING : 0;
      double half = width / 2 - r;

      cairo_new_path (cr);
      cairo_arc (cr, x - half, y, r + grow, G_PI / 2, 3 * G_PI / 2);
      cairo_arc (cr, x + half, y, r + grow, -G_PI / 2, G_PI / 2);
      cairo_close_path (cr);
      if (pass == 0)
        cairo_set_source_rgb (cr, 1, 1, 1);
      else
        pin_color (cr, resolved);
      cairo_fill (cr);
    }

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_move_to (cr, x - logical.width / 2.0 - logical.x, y - logical.height / 2.0 - logical.y);
  pango_cairo_show_layout (cr, layout);
}

static gboolean
thread_on_page (const GlsReportThread *thread,
                Source                *source,
                guint                  page)
{
  const GlsSelector *selector = thread->selector;

  if (selector == NULL || selector->kind == GLS_SELECTOR_TEXT)
    return FALSE;
  if (source->pdf != NULL)
    return selector->page == page + 1;
  return TRUE;
}

static void
write_design_page (Writer *w,
                   guint   page)
{
  const GlsReportInput *report = w->report;
  cairo_t *cr = w->cr;
  g_autofree char *title = NULL;
  g_autoptr(GString) whole = g_string_new (NULL);
  double page_width, page_height, box_width, box_height, scale, x0, y0;

  source_page_size (&w->source, page, &page_width, &page_height);

  begin_page (w);
  if (w->source.n_pages > 1)
    /* Translators: a heading in the report: "Page 3 of 50" */
    title = g_strdup_printf (_("Page %u of %u"), page + 1, w->source.n_pages);
  else
    title = g_strdup (report->name);
  paragraph (w, title, FONT " Bold 13", MARGIN, 0, 0, FALSE);
  w->y += 10;

  /* Threads on the whole page (or design), named under the picture. */
  for (guint i = 0; i < report->threads->len; i++)
    {
      const GlsReportThread *thread = g_ptr_array_index (report->threads, i);
      const GlsSelector *selector = thread->selector;

      if ((selector == NULL && page == 0) ||
          (selector != NULL && selector->kind == GLS_SELECTOR_NONE && thread_on_page (thread, &w->source, page)))
        g_string_append_printf (whole, "%s#%u", whole->len > 0 ? ", " : "", thread->number);
    }

  box_width = w->width - 2 * MARGIN;
  box_height = bottom (w) - w->y - (whole->len > 0 ? 30 : 0);
  scale = MIN (box_width / page_width, box_height / page_height);
  /* Small designs are not blown up past twice their size. */
  scale = MIN (scale, 2.0);
  x0 = MARGIN + (box_width - page_width * scale) / 2;
  y0 = w->y;

  cairo_save (cr);
  cairo_rectangle (cr, x0, y0, page_width * scale, page_height * scale);
  cairo_clip (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_translate (cr, x0, y0);
  cairo_scale (cr, scale, scale);
  source_draw_page (&w->source, report->file, cr, page, scale);
  cairo_restore (cr);

  cairo_rectangle (cr, x0 - 0.25, y0 - 0.25, page_width * scale + 0.5, page_height * scale + 0.5);
  cairo_set_source_rgb (cr, 0.75, 0.75, 0.75);
  cairo_set_line_width (cr, 0.5);
  cairo_stroke (cr);

  /* Regions under every badge, resolved ones under open ones. */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < report->threads->len; i++)
      {
        const GlsReportThread *thread = g_ptr_array_index (report->threads, i);
        const GlsSelector *s = thread->selector;

        if (!thread_on_page (thread, &w->source, page) || s->kind != GLS_SELECTOR_RECT ||
            thread->resolved != (pass == 0))
          continue;
        cairo_rectangle (cr, x0 + s->x * scale, y0 + s->y * scale,
                         MAX (s->width * scale, 0.5), MAX (s->height * scale, 0.5));
        pin_color (cr, thread->resolved);
        cairo_set_line_width (cr, 1.5);
        cairo_stroke (cr);
      }
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < report->threads->len; i++)
      {
        const GlsReportThread *thread = g_ptr_array_index (report->threads, i);
        const GlsSelector *s = thread->selector;

        if (!thread_on_page (thread, &w->source, page) || s->kind == GLS_SELECTOR_NONE ||
            thread->resolved != (pass == 0))
          continue;
        draw_badge (w, x0 + s->x * scale, y0 + s->y * scale, thread->number, thread->resolved);
      }

  w->y = y0 + page_height * scale;
  if (whole->len > 0)
    {
      g_autofree char *line = NULL;

      if (w->source.pdf != NULL)
        /* Translators: under a page of the design: "On the whole page: #3, #7" */
        line = g_strdup_printf (_("On the whole page: %s"), whole->str);
      else
        /* Translators: under the design: "On the whole design: #3, #7" */
        line = g_strdup_printf (_("On the whole design: %s"), whole->str);
      paragraph (w, line, FONT " 9", MARGIN, 10, 0, TRUE);
    }

  end_page (w);
}

/* The threads */

static void
write_thread (Writer                *w,
              const GlsReportThread *thread)
{
  const GlsSelector *selector = thread->selector;
  g_autofree char *place = thread_place (thread);
  g_autofree char *heading = NULL;
  g_autofree char *assessed = assessment_line (thread);

  /* Translators: a thread's heading: its number and its state */
  heading = g_strdup_printf (_("#%u · %s"), thread->number, _gls_report_thread_state (thread));
  if (place != NULL)
    {
      char *with_place = g_strdup_printf ("%s · %s", heading, place);

      g_free (heading);
      heading = with_place;
    }

  /* The heading keeps its first comment's first lines with it. */
  paragraph (w, heading, FONT " Bold 11", MARGIN, 16, 70, FALSE);
  pin_color (w->cr, thread->resolved);
  cairo_rectangle (w->cr, MARGIN - 10, w->y - 12, 3, 11);
  cairo_fill (w->cr);

  if (selector != NULL && selector->kind == GLS_SELECTOR_TEXT && selector->exact != NULL)
    {
      g_autofree char *quote = g_strdup_printf ("“%s”", selector->exact);

      paragraph (w, quote, FONT " Italic 10", MARGIN + 10, 4, 0, TRUE);
    }
  if (thread->suggestion && thread->replacement != NULL)
    {
      g_autofree char *suggestion = NULL;

      /* Translators: a suggestion's replacement for the quoted passage */
      suggestion = g_strdup_printf (_("Suggested instead: “%s”"), thread->replacement);
      paragraph (w, suggestion, FONT " 10", MARGIN + 10, 4, 0, FALSE);
    }

  for (guint i = 0; i < thread->comments->len; i++)
    {
      const GlsReportComment *comment = g_ptr_array_index (thread->comments, i);
      g_autofree char *byline = comment_byline (comment);
      double x = MARGIN + (i > 0 ? REPLY_INDENT : 0);

      paragraph (w, byline, FONT " Bold 9", x, 8, 30, TRUE);
      paragraph (w, comment_text (comment), FONT " 10", x, 2, 0, FALSE);
    }
  if (assessed != NULL)
    paragraph (w, assessed, FONT " Italic 9", MARGIN, 8, 0, TRUE);
}

static gboolean
write_all (Writer  *w,
           GError **error)
{
  const GlsReportInput *report = w->report;

  write_cover (w);
  if (!step_done (w, error))
    return FALSE;

  for (guint page = 0; page < w->source.n_pages; page++)
    {
      write_design_page (w, page);
      if (!step_done (w, error))
        return FALSE;
    }

  if (report->threads->len > 0)
    {
      begin_page (w);
      paragraph (w, _("Threads"), FONT " Bold 16", MARGIN, 0, 0, FALSE);
      w->y += 4;
    }
  for (guint i = 0; i < report->threads->len; i++)
    {
      write_thread (w, g_ptr_array_index (report->threads, i));
      if (!step_done (w, error))
        return FALSE;
    }
  end_page (w);

  return TRUE;
}

gboolean
gls_report_write (const GlsReportInput  *self,
                  const char            *path,
                  GlsReportProgressFunc  progress,
                  gpointer               user_data,
                  guint                 *n_pages,
                  GCancellable          *cancellable,
                  GError               **error)
{
  Writer w = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *title = NULL;
  cairo_font_options_t *options;
  cairo_status_t status;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);

  w.report = self;
  w.progress = progress;
  w.user_data = user_data;
  w.cancellable = cancellable;
  w.output.fd = -1;

  /* The design first: a damaged file leaves nothing behind. */
  if (!source_open (&w.source, self->kind, self->file, error))
    {
      source_clear (&w.source);
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !_gls_report_output_open (&w.output, path, error))
    {
      source_clear (&w.source);
      return FALSE;
    }

  w.total = 1 + w.source.n_pages + self->threads->len;
  paper_size (&w.width, &w.height);
  w.surface = cairo_pdf_surface_create_for_stream (write_cb, &w, w.width, w.height);
  /* Translators: the title of a report's PDF: "board.svg — review" */
  title = g_strdup_printf (_("%s — review"), self->name);
  cairo_pdf_surface_set_metadata (w.surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (w.surface, CAIRO_PDF_METADATA_CREATOR, "Glossa " PACKAGE_VERSION);
  w.cr = cairo_create (w.surface);

  w.pango = pango_cairo_create_context (w.cr);
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (w.pango, options);
  cairo_font_options_destroy (options);

  ok = write_all (&w, &local_error);

  g_object_unref (w.pango);
  cairo_destroy (w.cr);
  cairo_surface_finish (w.surface);
  status = cairo_surface_status (w.surface);
  cairo_surface_destroy (w.surface);
  source_clear (&w.source);

  if (ok && status != CAIRO_STATUS_SUCCESS)
    {
      ok = FALSE;
      g_set_error (&local_error, GLS_REPORT_ERROR, GLS_REPORT_ERROR_WRITE,
                   _("Cannot write “%s”: %s"), path,
                   w.write_errno != 0 ? g_strerror (w.write_errno) : cairo_status_to_string (status));
    }

  if (!_gls_report_output_finish (&w.output, ok, ok ? &local_error : NULL))
    ok = FALSE;
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (n_pages != NULL)
    *n_pages = w.n_pages;
  return TRUE;
}
