/* gls-threads-panel.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gls-workspace.h"

G_BEGIN_DECLS

#define GLS_TYPE_THREADS_PANEL (gls_threads_panel_get_type ())

G_DECLARE_FINAL_TYPE (GlsThreadsPanel, gls_threads_panel, GLS, THREADS_PANEL, GtkWidget)

/*
 * The right-hand side of the window: the threads of one design (a filtered
 * GtkListView) and, when one is chosen, its thread view. A text design
 * also lists the threads carried from its earlier versions (set_carried),
 * and those whose passage is gone in an "Orphaned" section at the end;
 * the window says which are (set_notes).
 *
 * Properties: workspace (construct-only), design (nullable), selected-thread
 * (root id; setting it shows that thread without emitting
 * ::thread-activated), filter ("open", "resolved", "all"; GSettings
 * thread-filter), mine-only (GSettings threads-mine-only), changes.
 * Signal ::thread-activated (GlsThread *) when the user chooses a thread.
 * Actions: threads.next (N), threads.previous (P), threads.reply (R),
 * threads.back (Escape, Alt+Left), threads.focus-search (Ctrl+F),
 * threads.filter (string state), threads.mine-only (boolean state),
 * threads.changes (string state).
 */

GtkWidget    *gls_threads_panel_new                 (GlsWorkspace    *workspace);
GlsWorkspace *gls_threads_panel_get_workspace       (GlsThreadsPanel *self);
GlsDesign    *gls_threads_panel_get_design          (GlsThreadsPanel *self);
void          gls_threads_panel_set_design          (GlsThreadsPanel *self,
                                                     GlsDesign       *design);
const char   *gls_threads_panel_get_selected_thread (GlsThreadsPanel *self);
void          gls_threads_panel_set_selected_thread (GlsThreadsPanel *self,
                                                     const char      *root_id);
const char   *gls_threads_panel_get_filter          (GlsThreadsPanel *self);
void          gls_threads_panel_set_filter          (GlsThreadsPanel *self,
                                                     const char      *filter);
gboolean      gls_threads_panel_get_mine_only       (GlsThreadsPanel *self);
void          gls_threads_panel_set_mine_only       (GlsThreadsPanel *self,
                                                     gboolean         mine_only);
/* Only threads a comment of which mentions me (@my name). */
gboolean      gls_threads_panel_get_mentions_only   (GlsThreadsPanel *self);
void          gls_threads_panel_set_mentions_only   (GlsThreadsPanel *self,
                                                     gboolean         mentions_only);
/* Threads carried from earlier versions: "all", "changed" (only those the
 * design changed under) or "unchanged"; its control shows while some
 * thread's note says (GlsThreadNote.compared). */
const char   *gls_threads_panel_get_changes         (GlsThreadsPanel *self);
void          gls_threads_panel_set_changes         (GlsThreadsPanel *self,
                                                     const char      *changes);
void          gls_threads_panel_focus_search        (GlsThreadsPanel *self);
/* GlsThread items of the design's earlier versions, listed after its own
 * (nullable; cleared when the design changes). */
void          gls_threads_panel_set_carried         (GlsThreadsPanel *self,
                                                     GListModel      *carried);
GListModel   *gls_threads_panel_get_carried         (GlsThreadsPanel *self);
/* root id → GlsThreadNote (see gls-thread-row.h), referenced, not copied:
 * the caller sets a new table to change it. NULL for none. */
void          gls_threads_panel_set_notes           (GlsThreadsPanel *self,
                                                     GHashTable      *notes);

/* The threads the list shows now (filters applied), and the thread view;
 * for the window and for tests. */
GListModel   *gls_threads_panel_get_visible_threads (GlsThreadsPanel *self);
GtkWidget    *gls_threads_panel_get_thread_view     (GlsThreadsPanel *self);
/* Whether the thread view (rather than the list) is showing. */
gboolean      gls_threads_panel_get_showing_thread  (GlsThreadsPanel *self);
GtkEditable  *gls_threads_panel_get_search_entry    (GlsThreadsPanel *self);

G_END_DECLS
