/* gls-po-view.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gls-po.h"
#include "gls-selector.h"
#include "gls-text-view.h"

G_BEGIN_DECLS

#define GLS_TYPE_PO_VIEW (gls_po_view_get_type ())

G_DECLARE_FINAL_TYPE (GlsPoView, gls_po_view, GLS, PO_VIEW, GtkWidget)

/*
 * A PO design as a translator reads it: its messages in a list, source
 * beside translation, with filters for the untranslated and fuzzy ones,
 * and the numbers of the threads on each message. Comments and
 * suggestions are anchored in the file's own text (TEXT selectors over
 * it, as GlsTextView makes them), so the source view shows them too.
 * Signals:
 *   ::passage-activated (const char *id)   a thread's number on a message
 *                                          was clicked (it is now
 *                                          :selected)
 *   ::comment-requested (GlsSelector *selector, const char *text)
 *                                          a comment on a whole
 *                                          translation (its msgstr as
 *                                          written) or on a selection
 *                                          inside one
 *   ::suggest-requested (GlsSelector *selector, const char *replacement)
 *                                          a suggestion to replace words
 *                                          selected in a translation, or
 *                                          the whole translation form
 *                                          (its msgstr as written), by
 *                                          @replacement (unescaped)
 *   ::source-requested                     the user asked for the plain
 *                                          text of the file (from the
 *                                          error page of a file that
 *                                          does not parse)
 * Actions (with their keys, when the list has the focus): po.comment (C),
 * po.suggest (S), po.filter ("all", "untranslated", "fuzzy"; Alt+A,
 * Alt+U, Alt+Z), po.show-source. Enter on a message goes to its threads
 * in turn (::passage-activated).
 */

GtkWidget    *gls_po_view_new              (void);

/* Parses @text (UTF-8, decoded) in a thread; NULL clears. Clears the
 * passages' places until the file is parsed; :file notifies when it is. */
void          gls_po_view_set_text         (GlsPoView            *self,
                                            const char           *text);
/* A file already parsed; NULL clears. */
void          gls_po_view_set_file         (GlsPoView            *self,
                                            GlsPoFile            *file);
GlsPoFile    *gls_po_view_get_file         (GlsPoView            *self);
/* Why the text did not parse (shown in the view), or NULL. */
const char   *gls_po_view_get_error        (GlsPoView            *self);

/* The threads' passages, as GlsTextView takes them (offsets in the
 * file's text); each shows on the message whose entry holds its start. */
void          gls_po_view_set_passages     (GlsPoView            *self,
                                            const GlsTextPassage *passages,
                                            guint                 n_passages);
guint         gls_po_view_get_n_passages   (GlsPoView            *self);
const char   *gls_po_view_get_selected     (GlsPoView            *self);
void          gls_po_view_set_selected     (GlsPoView            *self,
                                            const char           *id);
/* Selects the message a passage is on and scrolls it into view
 * (showing all messages if the filter hides it). */
void          gls_po_view_reveal           (GlsPoView            *self,
                                            const char           *id);
/* The message of each passage: index in the file, or -1. */
gint          gls_po_view_get_passage_message (GlsPoView         *self,
                                               const char        *id);

/* "all", "untranslated" or "fuzzy". */
const char   *gls_po_view_get_filter       (GlsPoView            *self);
void          gls_po_view_set_filter       (GlsPoView            *self,
                                            const char           *filter);
/* The messages the filter shows: how many, and the index in the file
 * of the one at @position (-1 past the end). */
guint         gls_po_view_get_n_visible    (GlsPoView            *self);
gint          gls_po_view_get_visible_index (GlsPoView           *self,
                                             guint                position);

/* The selected message (its index in the file), or -1. */
gint          gls_po_view_get_selected_message (GlsPoView        *self);
/* Selects message @index (showing all messages if the filter hides
 * it) and scrolls it into view. */
void          gls_po_view_select_message   (GlsPoView            *self,
                                            guint                 index);

/* Whether a message is selected (po.comment and po.suggest are
 * enabled). */
gboolean      gls_po_view_get_can_comment  (GlsPoView            *self);
/* Opens the composer on the selection inside a translation, else on
 * the selected message's translation; FALSE when there is none. */
gboolean      gls_po_view_comment          (GlsPoView            *self);
/* Opens the composer in suggestion mode, prefilled: on the words
 * selected in a translation, else on the selected message's translation
 * (the focused plural form); FALSE when there is none. */
gboolean      gls_po_view_suggest          (GlsPoView            *self);

/*
 * How the threads panel can name the message a thread is on: the
 * source (msgid) of the message whose entry holds @offset, on one line,
 * shortened to @max_chars code points with an ellipsis (0: whole), after
 * its context if any (“context | source”). NULL when @offset is in no
 * message. Needs only the file: any widget that has one may call it.
 */
char         *gls_po_view_describe_message (GlsPoFile            *file,
                                            gint64                offset,
                                            guint                 max_chars);
/* The same for a passage the view holds, by its thread's id. */
char         *gls_po_view_describe_passage (GlsPoView            *self,
                                            const char           *id,
                                            guint                 max_chars);

G_END_DECLS
