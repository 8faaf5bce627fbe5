/* gls-render-api.h: what the glossa-render module gives the command line
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "gls-report-input.h"
#include "gls-selector.h"

G_BEGIN_DECLS

/*
 * The `glossa` program links the command line only; drawing (cairo,
 * gdk-pixbuf, librsvg, poppler) is in a module it loads when a command
 * needs it (src/render-module.c): $GLOSSA_RENDER_MODULE, else beside the
 * program, else the installed module directory. This header is all the
 * command line sees of it: GLib types and core's plain structs, no GType
 * of the module crosses (the module has its own copy of the layers below
 * it, so nothing it returns may be a GObject of theirs).
 */

/* Whether the design changed under a thread between the version it was
 * made on and a newer one (gls-changes.h says how it is decided). */
typedef enum
{
  GLS_CHANGE_UNCHANGED, /* the pixels (and PDF text) under it are the same */
  GLS_CHANGE_CHANGED,   /* they differ, or its page is gone */
  GLS_CHANGE_UNKNOWN,   /* cannot tell: a place off the older version's pages, a page that does not draw */
} GlsChange;

/* Two versions of a design, loaded and compared lazily: opaque. */
typedef struct _GlsRenderPair GlsRenderPair;

#define GLS_RENDER_MODULE          "glossa-render"
#define GLS_RENDER_MODULE_SYMBOL   "glossa_render_get_api"
/* Bumped when a member changes meaning; new members go at the end. */
#define GLS_RENDER_API_VERSION     1

typedef struct
{
  guint            api_version;
  gsize            size;          /* sizeof (GlsRenderApi) in the module */

  /* Loads both files (bytes and media type, NULL when unknown). Errors in
   * words a person can read (the domain is the module's own). Blocking. */
  GlsRenderPair *(*pair_new)        (GBytes            *older,
                                     const char        *older_type,
                                     GBytes            *newer,
                                     const char        *newer_type,
                                     GError           **error);
  void           (*pair_free)       (GlsRenderPair     *pair);
  /* @selector is where the thread is on the older version; @out_mapped
   * (may be NULL) receives where it is on the newer one, scaled by the
   * ratio of their page sizes. */
  GlsChange      (*pair_detect)     (GlsRenderPair     *pair,
                                     const GlsSelector *selector,
                                     GlsSelector       *out_mapped,
                                     GError           **error);

  /* The review report (gls-report.h) or, @annotated, the design's PDF
   * with its threads as PDF annotations (gls-annotated-pdf.h); @n_pages
   * (nullable) gets the report's pages. Blocking. */
  gboolean       (*report_write)    (const GlsReportInput   *input,
                                     const char             *path,
                                     gboolean                annotated,
                                     GlsReportProgressFunc   progress,
                                     gpointer                user_data,
                                     guint                  *n_pages,
                                     GCancellable           *cancellable,
                                     GError                **error);
  /* The file name a report is offered under: "board review.pdf". */
  char          *(*report_suggest_name) (const char         *design_name,
                                         gboolean            annotated);
} GlsRenderApi;

typedef const GlsRenderApi *(*GlsRenderGetApi) (void);

G_END_DECLS
