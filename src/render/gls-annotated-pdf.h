/* gls-annotated-pdf.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-report.h"

G_BEGIN_DECLS

/*
 * The design's own PDF with each thread as a native PDF annotation, for
 * PDF readers (Okular, GNOME Papers, Acrobat): a text note (/Text) at a
 * pin, a square (/Square) round a region, a note at the top left of the
 * page for a thread on a whole page (on the first page for one on the
 * whole design). Each has the thread's text with its replies, authors and
 * dates as its contents (/Contents), the author of the thread as its label
 * (/T), and the window's colour (blue when open, grey when resolved).
 *
 * Only a PDF design: anything else is GLS_REPORT_ERROR_UNSUPPORTED. Written
 * into a temporary file beside @path, renamed at the end. Blocking;
 * @progress counts threads.
 */
gboolean gls_annotated_pdf_write (const GlsReportInput   *input,
                                  const char            *path,
                                  GlsReportProgressFunc  progress,
                                  gpointer               user_data,
                                  GCancellable          *cancellable,
                                  GError               **error);

G_END_DECLS
