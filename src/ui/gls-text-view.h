/* gls-text-view.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gls-selector.h"

G_BEGIN_DECLS

#define GLS_TYPE_TEXT_VIEW (gls_text_view_get_type ())

G_DECLARE_FINAL_TYPE (GlsTextView, gls_text_view, GLS, TEXT_VIEW, GtkWidget)

/* One thread's passage. Strings are copied by gls_text_view_set_passages(). */
typedef struct
{
  const char *id;       /* the thread's root annotation id */
  guint       number;   /* shown in the margin */
  gint64      start;    /* code points, as GtkTextIter offsets */
  gint64      end;      /* excluded */
  gboolean    resolved;
  const char *preview;  /* first comment's text, for the hover tooltip */
  gboolean    suggestion; /* a suggested change: another tint, and
                           * @preview is the suggested text */
} GlsTextPassage;

/*
 * A text design, read-only: syntax highlighting by media type, line
 * numbers, word wrap, the monospace font scaled by the zoom, search, and
 * the passages threads are on (highlighted, numbered in the margin).
 * Signals:
 *   ::passage-activated (const char *id)  a passage was clicked, or Enter
 *                                         was pressed inside one (it is
 *                                         now :selected)
 *   ::comment-requested (GlsSelector *selector, const char *text)
 *                                         the user selected text and
 *                                         posted a comment on it; a TEXT
 *                                         selector over the text given
 *   ::suggestion-requested (GlsSelector *selector, const char *replacement)
 *                                         the same for a suggested change
 *                                         of the passage ("" deletes it)
 * Actions (with their keys, when the text has focus): text.comment (C,
 * with a selection), text.suggest (S, with a selection), text.search (Ctrl+F), text.find-next (Ctrl+G) and
 * text.find-previous (Shift+Ctrl+G), text.activate-passage (Enter).
 */
GtkWidget    *gls_text_view_new              (void);

/* @text is decoded (UTF-8); NULL clears. Clears the passages. */
/* Readies the highlighting for @media_type while the text is still on
 * its way (its definitions are read once, about 70 ms on a slow machine):
 * the next gls_text_view_set_text of that type does not wait for them.
 * Does nothing while a long text is shown. */
void          gls_text_view_prepare          (GlsTextView          *self,
                                              const char           *media_type);
void          gls_text_view_set_text         (GlsTextView          *self,
                                              const char           *text,
                                              const char           *media_type);
const char   *gls_text_view_get_text         (GlsTextView          *self);
void          gls_text_view_set_passages     (GlsTextView          *self,
                                              const GlsTextPassage *passages,
                                              guint                 n_passages);
guint         gls_text_view_get_n_passages   (GlsTextView          *self);
const char   *gls_text_view_get_selected     (GlsTextView          *self);
void          gls_text_view_set_selected     (GlsTextView          *self,
                                              const char           *id);
/* Scrolls the passage into view, unless it is already in view. */
void          gls_text_view_reveal           (GlsTextView          *self,
                                              const char           *id);
/* Whether there is a selection to comment on (text.comment is enabled). */
gboolean      gls_text_view_get_can_comment  (GlsTextView          *self);
/* Opens the composer on the selection; FALSE without one. */
gboolean      gls_text_view_comment          (GlsTextView          *self);
/* The same, to suggest a change: the composer starts with the passage. */
gboolean      gls_text_view_suggest          (GlsTextView          *self);
/* Font scale: 1.0 is the system monospace font's size. */
double        gls_text_view_get_zoom         (GlsTextView          *self);
void          gls_text_view_set_zoom         (GlsTextView          *self,
                                              double                zoom);
void          gls_text_view_zoom_in          (GlsTextView          *self);
void          gls_text_view_zoom_out         (GlsTextView          *self);
void          gls_text_view_zoom_reset       (GlsTextView          *self);
void          gls_text_view_focus_search     (GlsTextView          *self);

G_END_DECLS
