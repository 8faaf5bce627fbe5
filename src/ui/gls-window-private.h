/* gls-window-private.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-canvas.h"
#include "gls-designs-sidebar.h"
#include "gls-document.h"
#include "gls-peer-list.h"
#include "gls-po-view.h"
#include "gls-po.h"
#include "gls-share.h"
#include "gls-text.h"
#include "gls-text-view.h"
#include "gls-notifier.h"
#include "gls-window.h"

G_BEGIN_DECLS

/* gls-window-compare.c */
typedef struct _GlsWindowCompare GlsWindowCompare;
/* gls-window-carried.c */
typedef struct _GlsWindowCarried GlsWindowCarried;

struct _GlsWindow
{
  AdwApplicationWindow  parent_instance;

  GlsWorkspace         *workspace;
  GSettings            *settings;
  GlsShare             *share;
  GlsPeerList          *peer_list;
  GPtrArray            *watched_peers;
  GtkWindow            *share_dialog;
  GtkWindow            *peers_window;

  GlsDesign            *design;
  GlsDocument          *document;
  GListModel           *threads;
  GSignalGroup         *threads_signals;
  GCancellable         *load_cancellable;
  GCancellable         *cancellable;
  gboolean              comment_mode;
  guint                 header_idle;
  guint                 reveal_tick;

  GlsCanvas            *canvas;
  GlsTextView          *text_view;
  /* gls-window-po.c: the text page, a PO file's messages or any text's
   * source */
  GtkStack             *text_stack;
  GlsPoView            *po_view;
  /* A text design's decoded text, and the index its threads anchor on */
  char                 *text;
  GlsTextIndex         *text_index;
  GHashTable           *text_anchors;  /* root id → its place in this text */
  /* gls-window-text.c: its versions (oldest first, the one shown last),
   * its messages (PO), the threads carried from the earlier ones, what
   * the panel is told of each thread, the last Apply's failures (design
   * id → root id → reason) and the bytes it made */
  GPtrArray            *versions;
  GlsPoFile            *po;
  GListModel           *carried;
  GSignalGroup         *carried_signals;
  GHashTable           *notes;
  GHashTable           *failures;
  guint                 n_accepted;
  gboolean              applying;
  GBytes               *applied_bytes;
  char                 *applied_id;
  GtkWidget            *failures_dialog;
  /* gls-window-carried.c: an image's threads of its earlier versions */
  GlsWindowCarried     *carried_state;
  GtkWidget            *threads_panel;
  GlsDesignsSidebar    *sidebar;
  /* gls-window-versions.c: the open question of a file's name */
  AdwMessageDialog     *version_dialog;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  AdwFlap              *flap;
  AdwBin               *sidebar_bin;
  AdwBin               *canvas_bin;
  AdwBin               *text_bin;
  AdwBin               *threads_bin;
  GtkStack             *view_stack;
  AdwStatusPage        *empty_page;
  AdwStatusPage        *error_page;
  GtkSpinner           *spinner;
  GtkToggleButton      *threads_button;
  GtkMenuButton        *zoom_button;
  GtkWidget            *comment_button;
  GtkWidget            *text_comment_button;
  GtkWidget            *text_suggest_button;
  GtkWidget            *text_switcher;
  GtkToggleButton      *messages_toggle;
  GtkToggleButton      *source_toggle;
  GtkLabel             *zoom_label;
  GtkWidget            *page_box;
  GtkLabel             *page_label;
  GtkButton            *peers_button;
  /* gls-window-compare.c: Compare Versions */
  GlsWindowCompare     *compare;
  GtkMenuButton        *version_button;
  GtkListBox           *version_list;
  /* gls-window-notify.c: what peers write, while the window is behind */
  GlsNotifier          *notifier;
  GListModel           *pending_model;   /* the threads it waits in */
  gulong                pending_thread_handler;
  char                 *pending_thread;
  /* gls-window-narrow.c: below FOLD_WIDTH the threads panel is an
   * overlay; below NARROW_WIDTH some header buttons go (the menu has them) */
  AdwFlap              *threads_flap;
  GtkWidget            *open_bin;
  GtkWidget            *peers_bin;
  GtkWidget            *zoom_bin;
  GtkWidget            *compare_button_bin;
  int                   width;
  guint                 width_idle;
};

/* gls-window-narrow.c: the window from 360 px wide up */
void         _gls_window_class_init_narrow  (GtkWidgetClass *widget_class);
void         _gls_window_init_narrow        (GlsWindow      *self);
void         _gls_window_dispose_narrow     (GlsWindow      *self);
/* Whether the threads panel is an overlay now, and whether the header
 * bar is in its narrow form. */
gboolean     _gls_window_get_threads_folded (GlsWindow      *self);
gboolean     _gls_window_get_narrow         (GlsWindow      *self);

/* gls-window-keys.c: Ctrl+R, Ctrl+E, Ctrl+Delete for the open thread */
void         _gls_window_class_init_keys    (GtkWidgetClass *widget_class);

/* A design of the designs model by its full id (no store read), or NULL. */
GlsDesign   *_gls_window_find_design        (GlsWindow      *self,
                                             const char     *id);

/* gls-window-notify.c */
void         _gls_window_init_notify        (GlsWindow      *self);
void         _gls_window_dispose_notify     (GlsWindow      *self);
GlsNotifier *_gls_window_get_notifier       (GlsWindow      *self);

/* gls-window-actions.c */
void         _gls_window_class_init_actions (GtkWidgetClass *widget_class);
void         _gls_window_update_actions     (GlsWindow      *self);
void         _gls_window_init_drop_target   (GlsWindow      *self);

/* gls-window-text.c: passages, suggestions, earlier versions */
void         _gls_window_class_init_text    (GtkWidgetClass *widget_class);
void         _gls_window_init_text          (GlsWindow      *self);
void         _gls_window_dispose_text       (GlsWindow      *self);
void         _gls_window_update_text_actions (GlsWindow     *self);
/* The text's passages (its own threads and the carried ones), and what
 * the threads panel shows of each. */
void         _gls_window_sync_passages      (GlsWindow      *self);
/* After a text is shown: its earlier versions, in a thread. */
void         _gls_window_load_versions      (GlsWindow      *self);
void         _gls_window_clear_versions     (GlsWindow      *self);
GListModel  *_gls_window_get_carried        (GlsWindow      *self);
/* Posts a suggestion on the design shown (from the text view, or any
 * view of a text that makes TEXT selectors over its file's text). */
void         _gls_window_suggest            (GlsWindow         *self,
                                             const GlsSelector *selector,
                                             const char        *replacement);
/* Accepted suggestions of the text shown, to apply. */
guint        _gls_window_get_n_accepted     (GlsWindow      *self);
void         _gls_window_save_bytes         (GlsWindow      *self,
                                             GFile          *file,
                                             GBytes         *bytes);

/* gls-window-po.c: a PO file's messages, or its source */
void         _gls_window_class_init_po      (GtkWidgetClass *widget_class);
void         _gls_window_init_po            (GlsWindow      *self);
/* After a text is shown: its messages for a PO file, else its source. */
void         _gls_window_show_text_page     (GlsWindow      *self);
void         _gls_window_clear_po           (GlsWindow      *self);
gboolean     _gls_window_showing_messages   (GlsWindow      *self);
GlsPoView   *_gls_window_get_po_view        (GlsWindow      *self);
/* The message list's part of selecting (and revealing) a thread. */
void         _gls_window_select_message_thread (GlsWindow   *self,
                                                const char  *root_id,
                                                gboolean     reveal);

/* gls-window-versions.c: the version switcher, Alt+Up / Alt+Down, Add
 * New Version…, and the question a changed file of a design's name asks */
void         _gls_window_class_init_versions (GtkWidgetClass *widget_class);
void         _gls_window_init_versions      (GlsWindow      *self);
/* After a design is shown, or the designs are grouped again. */
void         _gls_window_update_versions    (GlsWindow      *self);
/* Add New Version… once the file is chosen: @file as the next version
 * of @design_id, then shown. */
void         _gls_window_add_version_file   (GlsWindow      *self,
                                             const char     *design_id,
                                             GFile          *file);
/* @design: what was added (NULL when the person cancelled, or @error). */
typedef void (*GlsAskVersionDone)           (GlsWindow      *self,
                                             GFile          *file,
                                             GlsDesign      *design,
                                             const GError   *error,
                                             gpointer        user_data);
/* Asks whether @file (a new file with a design's name) is that design's
 * next version or a design of its own, adds it so, and calls @done. */
void         _gls_window_ask_version        (GlsWindow         *self,
                                             GFile             *file,
                                             GlsAskVersionDone  done,
                                             gpointer           user_data);
GtkMenuButton *_gls_window_get_version_button (GlsWindow    *self);
GtkListBox  *_gls_window_get_version_list   (GlsWindow      *self);
AdwMessageDialog *_gls_window_get_version_dialog (GlsWindow *self);

/* gls-window-carried.c: an image, SVG or PDF design's open threads of
 * its earlier versions, at their places on the version shown, with
 * whether the design changed under each (compared in a thread) */
void         _gls_window_init_carried       (GlsWindow      *self);
void         _gls_window_dispose_carried    (GlsWindow      *self);
/* After such a design is shown; clear when another one is. */
void         _gls_window_load_carried       (GlsWindow      *self);
void         _gls_window_clear_carried      (GlsWindow      *self);
/* TRUE when @thread is carried: its place on the version shown and the
 * version (from 1) it was made on. */
gboolean     _gls_window_get_carried_place  (GlsWindow      *self,
                                             GlsThread      *thread,
                                             GlsSelector    *place,
                                             guint          *version);
GListModel  *_gls_window_get_carried_threads (GlsWindow     *self);

/* gls-window-compare.c: Compare Versions ("compare" view) */
void         _gls_window_class_init_compare (GtkWidgetClass *widget_class);
void         _gls_window_init_compare       (GlsWindow      *self);
void         _gls_window_dispose_compare    (GlsWindow      *self);
struct _GlsCompareView *_gls_window_get_compare_view (GlsWindow *self);

/* gls-window-report.c: Export Review… and Export Annotated PDF… */
void         _gls_window_class_init_report  (GtkWidgetClass *widget_class);
void         _gls_window_update_report_actions (GlsWindow   *self);

/* gls-window-remove.c: Remove Design… (win.remove-design, "s": a
 * design id, "" for the one shown), and the check that an opened file
 * can be shown */
void         _gls_window_class_init_remove  (GtkWidgetClass *widget_class);
void         _gls_window_update_remove_action (GlsWindow    *self);
AdwMessageDialog *_gls_window_confirm_remove (GlsWindow     *self,
                                             const char     *design_id);
/* @error: why @design cannot be shown (then, if this open added it, it
 * is deleted again), or NULL. */
typedef void (*GlsCheckOpened)              (GlsWindow      *self,
                                             GlsDesign      *design,
                                             const GError   *error,
                                             gpointer        user_data);
void         _gls_window_check_opened       (GlsWindow      *self,
                                             GlsDesign      *design,
                                             gint64          since,
                                             GlsCheckOpened  done,
                                             gpointer        user_data);

/* gls-window-sync.c: Share and Peers */
void         _gls_window_class_init_sync    (GtkWidgetClass *widget_class);
void         _gls_window_init_sync          (GlsWindow      *self);
void         _gls_window_dispose_sync       (GlsWindow      *self);
/* Shows (creating it if needed) the Share dialog / Peers window; NULL
 * when the window has no GlsShare / GlsPeerList. */
GtkWindow   *_gls_window_show_share_dialog  (GlsWindow      *self);
GtkWindow   *_gls_window_show_peers_window  (GlsWindow      *self);

/* gls-window.c, for the actions and the tests */
/* The canvas's pins again, from the threads the panel shows. */
void         _gls_window_sync_pins          (GlsWindow      *self);
GlsCanvas   *_gls_window_get_canvas         (GlsWindow      *self);
GlsTextView *_gls_window_get_text_view      (GlsWindow      *self);
GtkWidget   *_gls_window_get_threads_panel  (GlsWindow      *self);
GlsDesignsSidebar *_gls_window_get_sidebar  (GlsWindow      *self);
GlsDocument *_gls_window_get_document       (GlsWindow      *self);
/* "empty", "loading", "error", "canvas" or "text" */
const char  *_gls_window_get_view           (GlsWindow      *self);
void         _gls_window_set_view           (GlsWindow      *self,
                                             const char     *name);
AdwStatusPage *_gls_window_get_error_page   (GlsWindow      *self);
void         _gls_window_select_thread      (GlsWindow      *self,
                                             const char     *root_id,
                                             gboolean        reveal);
void         _gls_window_record_recent      (GlsWindow      *self,
                                             GlsDesign      *design,
                                             GFile          *file);

G_END_DECLS
