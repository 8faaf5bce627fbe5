/* gls-annotated-pdf.c: a PDF design with its threads as PDF annotations
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-annotated-pdf"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-annotated-pdf.h"
#include "gls-report-private.h"

/* The side of a text note's icon, in points. */
#define NOTE_SIZE 20.0

static void
set_color (PopplerAnnot *annot,
           gboolean      resolved)
{
  PopplerColor color;

  /* The window's accent blue, or its muted grey. */
  color.red = resolved ? 0x9a9a : 0x3535;
  color.green = resolved ? 0x9999 : 0x8484;
  color.blue = resolved ? 0x9696 : 0xe4e4;
  poppler_annot_set_color (annot, &color);
}

/* A rectangle in design units (top-left origin) as poppler wants it for
 * a new annotation: PDF user space, y up, kept on the page. */
static void
to_pdf_rect (double            page_height,
             double            page_width,
             double            x,
             double            y,
             double            width,
             double            height,
             PopplerRectangle *rect)
{
  x = CLAMP (x, 0, MAX (0, page_width - width));
  y = CLAMP (y, 0, MAX (0, page_height - height));
  rect->x1 = x;
  rect->x2 = x + width;
  rect->y1 = page_height - (y + height);
  rect->y2 = page_height - y;
}

static void
add_thread (PopplerDocument       *document,
            const GlsReportThread *thread)
{
  const GlsSelector *selector = thread->selector;
  int n_pages = poppler_document_get_n_pages (document);
  int index = 0;
  PopplerPage *page;
  PopplerAnnot *annot;
  PopplerRectangle rect;
  g_autofree char *contents = NULL;
  const char *author;
  double page_width, page_height;

  /* A thread on the whole design, or on a page the file does not have
   * (another tool's), goes on the first page. */
  if (selector != NULL && selector->page >= 1 && selector->page <= (guint) n_pages)
    index = selector->page - 1;
  page = poppler_document_get_page (document, index);
  poppler_page_get_size (page, &page_width, &page_height);

  if (selector != NULL && selector->kind == GLS_SELECTOR_RECT)
    {
      to_pdf_rect (page_height, page_width, selector->x, selector->y,
                   MAX (selector->width, 1), MAX (selector->height, 1), &rect);
      annot = poppler_annot_square_new (document, &rect);
      poppler_annot_set_flags (annot, POPPLER_ANNOT_FLAG_PRINT);
    }
  else
    {
      /* At the pin; at the top left of the page for the whole page. */
      if (selector != NULL && selector->kind == GLS_SELECTOR_POINT)
        to_pdf_rect (page_height, page_width, selector->x, selector->y, NOTE_SIZE, NOTE_SIZE, &rect);
      else
        to_pdf_rect (page_height, page_width, 12, 12, NOTE_SIZE, NOTE_SIZE, &rect);
      annot = poppler_annot_text_new (document, &rect);
      poppler_annot_text_set_icon (POPPLER_ANNOT_TEXT (annot), POPPLER_ANNOT_TEXT_ICON_COMMENT);
      poppler_annot_set_flags (annot, POPPLER_ANNOT_FLAG_PRINT | POPPLER_ANNOT_FLAG_NO_ZOOM |
                                      POPPLER_ANNOT_FLAG_NO_ROTATE);
    }

  contents = _gls_report_thread_text (thread);
  poppler_annot_set_contents (annot, contents);
  author = thread->author;
  if (author != NULL && *author != '\0')
    poppler_annot_markup_set_label (POPPLER_ANNOT_MARKUP (annot), author);
  set_color (annot, thread->resolved);

  poppler_page_add_annot (page, annot);
  g_object_unref (annot);
  g_object_unref (page);
}

gboolean
gls_annotated_pdf_write (const GlsReportInput  *input,
                         const char            *path,
                         GlsReportProgressFunc  progress,
                         gpointer               user_data,
                         GCancellable          *cancellable,
                         GError               **error)
{
  GPtrArray *threads;
  g_autoptr(GObject) document = NULL; /* PopplerDocument: poppler-glib has no autoptr */
  g_autoptr(GError) local_error = NULL;
  g_autofree char *uri = NULL;
  GlsReportOutput output = { 0 };
  gboolean ok = TRUE;

  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);

  threads = input->threads;
  if (input->kind != GLS_DESIGN_KIND_PDF)
    {
      g_set_error (error, GLS_REPORT_ERROR, GLS_REPORT_ERROR_UNSUPPORTED,
                   /* Translators: %s is a design's name */
                   _("“%s” is not a PDF: only a PDF design can be written with its comments as PDF annotations"),
                   input->name);
      return FALSE;
    }

  if (!(document = (GObject *) _gls_report_open_pdf (input->file, error)))
    return FALSE;

  for (guint i = 0; i < threads->len; i++)
    {
      const GlsReportThread *thread = g_ptr_array_index (threads, i);

      add_thread (POPPLER_DOCUMENT (document), thread);
      if (progress != NULL)
        progress (i + 1, threads->len + 1, user_data);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }

  if (!_gls_report_output_open (&output, path, error))
    return FALSE;

  uri = g_filename_to_uri (output.tmp_path, NULL, &local_error);
  if (uri == NULL || !poppler_document_save (POPPLER_DOCUMENT (document), uri, &local_error))
    {
      g_autoptr(GError) save_error = g_steal_pointer (&local_error);

      ok = FALSE;
      g_set_error (&local_error, GLS_REPORT_ERROR, GLS_REPORT_ERROR_WRITE,
                   _("Cannot write “%s”: %s"), path, save_error->message);
    }
  if (!_gls_report_output_finish (&output, ok, ok ? &local_error : NULL))
    ok = FALSE;
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (progress != NULL)
    progress (threads->len + 1, threads->len + 1, user_data);
  return TRUE;
}
