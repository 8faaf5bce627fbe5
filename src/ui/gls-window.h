/* gls-window.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gls-peer-list.h"
#include "gls-share.h"
#include "gls-workspace.h"

G_BEGIN_DECLS

#define GLS_TYPE_WINDOW (gls_window_get_type ())

G_DECLARE_FINAL_TYPE (GlsWindow, gls_window, GLS, WINDOW, AdwApplicationWindow)

/* `application` and `settings` may be NULL (tests; no schema installed). */
GlsWindow    *gls_window_new                 (GtkApplication *application,
                                              GlsWorkspace   *workspace,
                                              GSettings      *settings);
/* With the application's GlsShare and the workspace's GlsPeerList, the
 * window offers Share and Peers (either may be NULL: no such item). */
GlsWindow    *gls_window_new_with_peers      (GtkApplication *application,
                                              GlsWorkspace   *workspace,
                                              GSettings      *settings,
                                              GlsShare       *share,
                                              GlsPeerList    *peer_list);
GlsWorkspace *gls_window_get_workspace       (GlsWindow      *self);
GlsShare     *gls_window_get_share           (GlsWindow      *self);
GlsPeerList  *gls_window_get_peer_list       (GlsWindow      *self);
/* The design shown (or being loaded), or NULL. */
GlsDesign    *gls_window_get_design          (GlsWindow      *self);
gboolean      gls_window_get_comment_mode    (GlsWindow      *self);
void          gls_window_set_comment_mode    (GlsWindow      *self,
                                              gboolean        comment_mode);

/* Loads the design's file and shows it with its threads. */
void          gls_window_show_design         (GlsWindow      *self,
                                              GlsDesign      *design);
/* Adds the files to the workspace (a file already there is found again by
 * its content) and shows the first one. */
void          gls_window_open_files          (GlsWindow      *self,
                                              GFile         **files,
                                              guint           n_files);
/* Adds the sample board with its comments once, then shows it. */
void          gls_window_open_sample         (GlsWindow      *self);
/* Shows the design that was open last, if it is still in the workspace. */
void          gls_window_restore_last_design (GlsWindow      *self);
/* Shows the design and opens the thread, once the design's threads are
 * read (what a notification's click does). */
void          gls_window_show_thread         (GlsWindow      *self,
                                              const char     *design_id,
                                              const char     *root_id);
/* Replaces the view with an error page. */
void          gls_window_show_error          (GlsWindow      *self,
                                              const char     *title,
                                              const char     *message);
void          gls_window_add_toast_message   (GlsWindow      *self,
                                              const char     *message);

G_END_DECLS
