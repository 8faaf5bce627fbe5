/* gls-report.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gls-design.h"
#include "gls-reviews.h"
#include "gls-thread.h"

G_BEGIN_DECLS

/*
 * GlsReport: what a review report shows, taken at one moment — a design
 * version, its file, its threads, who decided what on it — and the writers
 * of the report (gls_report_write: a PDF with a cover, each page of the
 * design with its numbered pins and regions, then every thread) and of
 * the annotated PDF (gls-annotated-pdf.h).
 *
 * Made on the thread that owns the threads model (it copies what it needs
 * from it); then written in any one thread, a GTask's for a window.
 */

#define GLS_REPORT_ERROR (gls_report_error_quark ())

typedef enum
{
  GLS_REPORT_ERROR_UNSUPPORTED, /* not something this writer can do (an annotated image) */
  GLS_REPORT_ERROR_DAMAGED,     /* the design's file cannot be read */
  GLS_REPORT_ERROR_WRITE,       /* the output file could not be written */
} GlsReportError;

/* Called in the writing thread after each step: the cover, each page of
 * the design, each thread. */
typedef void (*GlsReportProgressFunc) (guint    done,
                                       guint    total,
                                       gpointer user_data);

#define GLS_TYPE_REPORT (gls_report_get_type ())

G_DECLARE_FINAL_TYPE (GlsReport, gls_report, GLS, REPORT, GObject)

GQuark      gls_report_error_quark    (void);

/* @file: the design's bytes; @threads: its GlsThread items, copied now. */
GlsReport  *gls_report_new            (GlsDesign    *design,
                                       GBytes       *file,
                                       GListModel   *threads);
/* "Version 2 of 3" on the cover; 0 of 0 (the default) says nothing. */
void        gls_report_set_version    (GlsReport    *self,
                                       guint         version,
                                       guint         n_versions);
/* A reviewer's decision on this version (GLS_DECISION_APPROVED or
 * _CHANGES_REQUESTED), its date (ISO 8601) and their words, both
 * nullable. The cover lists them in the order they are added. */
void        gls_report_add_review     (GlsReport    *self,
                                       const char   *reviewer,
                                       GlsDecision   decision,
                                       const char   *date,
                                       const char   *note);
/* Each GlsReview of gls_workspace_list_reviews (gls-reviews.h). */
void        gls_report_add_reviews    (GlsReport    *self,
                                       GPtrArray    *reviews);
/* The date the report gives itself; the moment it was made by default. */
void        gls_report_set_date       (GlsReport    *self,
                                       GDateTime    *date);

GlsDesign  *gls_report_get_design     (GlsReport    *self);
GBytes     *gls_report_get_file       (GlsReport    *self);
/* GlsThread, in number order. */
GPtrArray  *gls_report_get_threads    (GlsReport    *self);

/* The file name a report is offered under: "board review.pdf". */
char       *gls_report_suggest_name   (GlsDesign    *design,
                                       gboolean      annotated);

/* Writes the report as a PDF to @path, page after page, into a temporary
 * file beside it that replaces @path only at the end: on an error or when
 * cancelled, nothing is left behind. Blocking. @n_pages (nullable) gets
 * the report's number of pages. */
gboolean    gls_report_write          (GlsReport             *self,
                                       const char            *path,
                                       GlsReportProgressFunc  progress,
                                       gpointer               user_data,
                                       guint                 *n_pages,
                                       GCancellable          *cancellable,
                                       GError               **error);

G_END_DECLS
