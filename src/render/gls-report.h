/* gls-report.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gls-report-input.h"

G_BEGIN_DECLS

/*
 * The review report of a design version: a PDF with a cover (the design,
 * its version, licence and author, the reviewers' decisions, the counts
 * of open and resolved threads), each page of the design with its
 * numbered pins and regions as the window draws them, then every thread
 * with its comments, authors, dates and state. A text design's threads
 * show their quoted passages instead of pictures.
 *
 * What it shows is a GlsReportInput (gls-report-input.h), taken on the
 * thread that owns the objects; the writing may run in any one thread.
 */

#define GLS_REPORT_ERROR (gls_report_error_quark ())

typedef enum
{
  GLS_REPORT_ERROR_UNSUPPORTED, /* not something this writer can do (an annotated image) */
  GLS_REPORT_ERROR_DAMAGED,     /* the design's file cannot be read */
  GLS_REPORT_ERROR_WRITE,       /* the output file could not be written */
} GlsReportError;

GQuark      gls_report_error_quark    (void);

/* The file name a report is offered under: "board review.pdf", or
 * "board annotated.pdf". */
char       *gls_report_suggest_name   (const char            *design_name,
                                       gboolean               annotated);

/* Writes the report as a PDF to @path, page after page, into a temporary
 * file beside it that replaces @path only at the end: on an error or when
 * cancelled, nothing is left behind. Blocking. @progress counts the cover,
 * each page of the design and each thread; @n_pages (nullable) gets the
 * number of pages written. */
gboolean    gls_report_write          (const GlsReportInput  *input,
                                       const char            *path,
                                       GlsReportProgressFunc  progress,
                                       gpointer               user_data,
                                       guint                 *n_pages,
                                       GCancellable          *cancellable,
                                       GError               **error);

G_END_DECLS
