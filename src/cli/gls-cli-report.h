/* gls-cli-report.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-render-api.h"
#include "gls-workspace.h"

G_BEGIN_DECLS

/* glossa report DESIGN [-o FILE.pdf] [--annotated-pdf]: the review report
 * of a design version (or its PDF with the threads as PDF annotations),
 * written by the glossa-render module. Without @output, "<name> review.pdf"
 * here, refused when that exists. Returns the exit status. */
int gls_cli_report (const GlsRenderApi  *api,
                    GlsWorkspace        *workspace,
                    const char          *design_ref,
                    const char          *output,
                    gboolean             annotated,
                    GError             **error);

G_END_DECLS
