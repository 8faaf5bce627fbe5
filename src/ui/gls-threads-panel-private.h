/* gls-threads-panel-private.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-threads-panel.h"

G_BEGIN_DECLS

/* Which page the list shows: "list", "empty", "no-results", "no-design". */
const char *_gls_threads_panel_get_list_state (GlsThreadsPanel *self);
/* The status page shown when filters hide every thread. */
GtkWidget  *_gls_threads_panel_get_no_results_page (GlsThreadsPanel *self);
GtkWidget  *_gls_threads_panel_get_list_view  (GlsThreadsPanel *self);
/* The Orphaned section: its threads (filters applied), and its list box. */
GListModel *_gls_threads_panel_get_orphaned   (GlsThreadsPanel *self);
GtkWidget  *_gls_threads_panel_get_orphan_list (GlsThreadsPanel *self);

/* The reviews of the design shown (a GlsReviewBox). */
GtkWidget  *_gls_threads_panel_get_review_box (GlsThreadsPanel *self);

G_END_DECLS
