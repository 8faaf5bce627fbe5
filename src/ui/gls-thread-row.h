/* gls-thread-row.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gls-render-api.h"
#include "gls-thread.h"

G_BEGIN_DECLS

/*
 * What the window knows of a text thread beyond the thread itself: where
 * its passage is in the text shown (a thread of an earlier version is
 * found again in this one), and why its suggestion could not be applied;
 * of an image's thread carried from an earlier version, whether the
 * design changed under it.
 */
typedef struct
{
  guint           version;  /* the version it was made on, from 1; 0: the one shown */
  GlsAnchorState  state;
  char           *now;      /* CHANGED: the passage's words in this text */
  char           *failure;  /* why its suggestion was not applied, or NULL */
  char           *message;  /* PO: the message it is on ("context | source"), or NULL */
  /* An image, SVG or PDF thread carried from an earlier version: whether
   * the design changed under it (gls-changes.h), when compared is set. */
  gboolean        compared;
  GlsChange       change;
} GlsThreadNote;

GlsThreadNote *gls_thread_note_copy (const GlsThreadNote *note);
void           gls_thread_note_free (GlsThreadNote       *note);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsThreadNote, gls_thread_note_free)

#define GLS_TYPE_THREAD_ROW (gls_thread_row_get_type ())

G_DECLARE_FINAL_TYPE (GlsThreadRow, gls_thread_row, GLS, THREAD_ROW, GtkWidget)

/*
 * One line of the threads list: number badge, author, first line of the
 * text, page (for PDF), reply count, resolved state; for a suggestion the
 * passage struck through and the new words, and its decision; with a
 * note, the version a carried thread was made on and where it is now.
 * Bound to its item through the `thread` property.
 */

GtkWidget  *gls_thread_row_new        (void);
GlsThread  *gls_thread_row_get_thread (GlsThreadRow *self);
void        gls_thread_row_set_thread (GlsThreadRow *self,
                                       GlsThread    *thread);
/* Copied; NULL for none. */
void        gls_thread_row_set_note   (GlsThreadRow        *self,
                                       const GlsThreadNote *note);
/* What the row shows, for tests and accessibility. */
const char *gls_thread_row_get_summary (GlsThreadRow *self);
/* Someone else did something since I last looked: a dot. */
void        gls_thread_row_set_unread (GlsThreadRow *self,
                                       gboolean      unread);
gboolean    gls_thread_row_get_unread (GlsThreadRow *self);

/* The first non-empty line of `text`, stripped (owned). */
char       *gls_thread_first_line     (const char   *text);
/* A suggestion as Pango markup: @old struck through, then @new
 * underlined ("" as a deletion); on one line when @one_line. */
char       *gls_thread_suggestion_markup (const char *old,
                                          const char *new_text,
                                          gboolean    one_line);
/* The same in words, for screen readers: "Replace “old” with “new”". */
char       *gls_thread_suggestion_description (const char *old,
                                               const char *new_text);
/* "Accepted", "Declined", or NULL while undecided. */
const char *gls_thread_decision_label (GlsThread *thread);

G_END_DECLS
