/* test-ui-window.h: a window on a workspace with the sample board, for
 * the rough-edges tests (test-ui-edges, test-ui-rough), and what they do
 * with it: keys through the window's own shortcuts, comments, threads.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gls-canvas-private.h"
#include "gls-threads-panel-private.h"
#include "gls-window-private.h"
#include "gls-workspace.h"

G_BEGIN_DECLS

typedef struct
{
  char         *tmpdir;
  GlsWorkspace *workspace;
  GlsDesign    *design;
  GlsDesign    *other;
  GlsWindow    *window;
  GlsCanvas    *canvas;
  GlsThreadsPanel *panel;
  GListModel   *threads;
} Fixture;

typedef struct
{
  GListModel *model;
  guint       n;
} CountData;

gboolean canvas_shown (gpointer data);
gboolean window_mapped (gpointer data);
GtkWidget *focus_widget (Fixture *f);
gboolean focus_in_search (Fixture *f);
void fixture_setup (Fixture *f, gconstpointer data);
void fixture_teardown (Fixture *f, gconstpointer data);
gboolean trigger_matches (GtkShortcutTrigger *trigger, GtkShortcutTrigger *wanted);
gboolean press_key (Fixture *f, const char *accelerator);
gboolean has_n_items (gpointer data);
GlsAnnotation *comment (Fixture *f, double x, double y, const char *text);
void choose_thread (Fixture *f, const char *root_id);

G_END_DECLS
