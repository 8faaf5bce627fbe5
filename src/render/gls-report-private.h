/* gls-report-private.h: what the report and the annotated PDF share
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <poppler.h>

#include "gls-report.h"

G_BEGIN_DECLS

/* Accent and muted colours of the window's pins (gls-canvas-pins.c). */
#define GLS_REPORT_OPEN_RGB     0x35 / 255.0, 0x84 / 255.0, 0xe4 / 255.0
#define GLS_REPORT_RESOLVED_RGB 0x9a / 255.0, 0x99 / 255.0, 0x96 / 255.0

/* A file written beside its destination and renamed over it at the end. */
typedef struct
{
  char *path;
  char *tmp_path;
  int   fd;
} GlsReportOutput;

gboolean    _gls_report_output_open   (GlsReportOutput  *output,
                                       const char       *path,
                                       GError          **error);
/* fsyncs, closes and renames; or removes the file when @ok is FALSE. */
gboolean    _gls_report_output_finish (GlsReportOutput  *output,
                                       gboolean          ok,
                                       GError          **error);

/* "12 March 2026, 14:05", in local time and the reader's words; NULL for
 * a date that does not parse. */
char       *_gls_report_format_date   (const char       *iso8601);
/* "Open", "Resolved", … for the thread's state. */
const char *_gls_report_thread_state  (const GlsReportThread *thread);
/* The thread as plain text: each comment with its author and date,
 * replies after the root. For a PDF annotation's contents. */
char       *_gls_report_thread_text   (const GlsReportThread *thread);
PopplerDocument *_gls_report_open_pdf (GBytes           *file,
                                       GError          **error);

G_END_DECLS
