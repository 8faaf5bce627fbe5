/* gls-canvas.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gls-document.h"
#include "gls-selector.h"

G_BEGIN_DECLS

#define GLS_TYPE_CANVAS (gls_canvas_get_type ())

G_DECLARE_FINAL_TYPE (GlsCanvas, gls_canvas, GLS, CANVAS, GtkWidget)

/* One thread's pin. Strings are copied by gls_canvas_set_pins(). */
typedef struct
{
  const char  *id;       /* the thread's root annotation id */
  guint        number;   /* shown in the badge */
  GlsSelector  selector; /* POINT or RECT; NONE pins are not drawn */
  gboolean     resolved;
  const char  *preview;  /* first comment's text, for the hover tooltip */
  /* A thread carried from an earlier version (drawn outlined; its
   * version, from 1, in the tooltip) */
  gboolean     carried;
  guint        version;
} GlsCanvasPin;

/*
 * Shows one page of a GlsDocument with its pins. Signals:
 *   ::pin-activated (const char *id)   a pin was clicked (it is now :selected)
 *   ::comment-requested (GlsSelector *selector, const char *text)
 *                                      in comment mode, the user pinned a
 *                                      point or a region and posted text
 * Actions (with their keys, when the canvas has focus): canvas.zoom-in
 * (+ =), canvas.zoom-out (-), canvas.zoom-fit (0), canvas.zoom-original (1),
 * canvas.previous-page / canvas.next-page (Page Up / Page Down),
 * canvas.comment-here (Enter, in comment mode: pin the centre of the view).
 *
 * A comment closed unposted (Escape, a click elsewhere) with words in it is
 * a draft: its marker stays, a click on it or comment mode opens it again,
 * a new mark moves it there; "Discard" or posting ends it. Drafts are kept
 * per draft key (the window's design id) while other documents are shown.
 */
GtkWidget    *gls_canvas_new              (void);

GlsDocument  *gls_canvas_get_document     (GlsCanvas          *self);
void          gls_canvas_set_document     (GlsCanvas          *self,
                                           GlsDocument        *document);
/* 1-based for PDF; 0 for documents without pages. */
guint         gls_canvas_get_page         (GlsCanvas          *self);
void          gls_canvas_set_page         (GlsCanvas          *self,
                                           guint               page);
/* Widget pixels per design unit: 1.0 is 100%. */
double        gls_canvas_get_zoom         (GlsCanvas          *self);
void          gls_canvas_set_zoom         (GlsCanvas          *self,
                                           double              zoom);
void          gls_canvas_zoom_in          (GlsCanvas          *self);
void          gls_canvas_zoom_out         (GlsCanvas          *self);
/* Fits the page into the view, and keeps it fitted as the view resizes
 * until the user zooms or pans. */
void          gls_canvas_zoom_to_fit      (GlsCanvas          *self);
gboolean      gls_canvas_get_comment_mode (GlsCanvas          *self);
void          gls_canvas_set_comment_mode (GlsCanvas          *self,
                                           gboolean            comment_mode);
const char   *gls_canvas_get_selected     (GlsCanvas          *self);
void          gls_canvas_set_selected     (GlsCanvas          *self,
                                           const char         *id);
void          gls_canvas_set_pins         (GlsCanvas          *self,
                                           const GlsCanvasPin *pins,
                                           guint               n_pins);
const char   *gls_canvas_get_draft_key    (GlsCanvas          *self);
void          gls_canvas_set_draft_key    (GlsCanvas          *self,
                                           const char         *key);
/* The draft's text and place, or NULL when there is none. */
char         *gls_canvas_dup_draft        (GlsCanvas          *self,
                                           GlsSelector        *selector);
/* Switches page and pans (zooming out if needed) so @selector is in view;
 * a target already in view (with a margin) does not move it. */
void          gls_canvas_reveal           (GlsCanvas          *self,
                                           const GlsSelector  *selector);

G_END_DECLS
