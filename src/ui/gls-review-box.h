/* gls-review-box.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gls-workspace.h"

G_BEGIN_DECLS

#define GLS_TYPE_REVIEW_BOX (gls_review_box_get_type ())

G_DECLARE_FINAL_TYPE (GlsReviewBox, gls_review_box, GLS, REVIEW_BOX, GtkWidget)

/*
 * The reviews of the design version shown: a summary ("Ana approved ·
 * Ben requested changes") and Approve / Request Changes. The reviews are
 * read in a thread, again whenever the workspace changes.
 */

GtkWidget    *gls_review_box_new         (GlsWorkspace *workspace);
GlsWorkspace *gls_review_box_get_workspace (GlsReviewBox *self);
GlsDesign    *gls_review_box_get_design  (GlsReviewBox *self);
void          gls_review_box_set_design  (GlsReviewBox *self,
                                          GlsDesign    *design);
/* What it shows, for tests: the summary, and the reviews read (GlsReview;
 * NULL until the first read). */
const char   *gls_review_box_get_summary (GlsReviewBox *self);
GPtrArray    *gls_review_box_get_reviews (GlsReviewBox *self);
/* Asks for changes with these words, as the dialog's Request does. */
void          gls_review_box_request_changes (GlsReviewBox *self,
                                              const char   *text);

G_END_DECLS
