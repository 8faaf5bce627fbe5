/* gls-po-message-row.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gls-po.h"

G_BEGIN_DECLS

#define GLS_TYPE_PO_MESSAGE_ROW (gls_po_message_row_get_type ())

G_DECLARE_FINAL_TYPE (GlsPoMessageRow, gls_po_message_row, GLS, PO_MESSAGE_ROW, GtkWidget)

/*
 * One message of a PO file as a translator reads it: its context, its
 * source (and plural source) beside its translation (each plural form
 * labelled), its comments and references, a badge when it is fuzzy or
 * untranslated, and the numbers of the threads on it.
 * Signals:
 *   ::thread-activated (const char *id)  a thread's number was clicked
 *   ::translation-focused                a translation's text got the
 *                                        focus (a click or Tab into it)
 */
GtkWidget  *gls_po_message_row_new             (void);
/* @file NULL clears. The row keeps a reference on the file. */
void        gls_po_message_row_set_message     (GlsPoMessageRow *self,
                                                GlsPoFile       *file,
                                                guint            index);
/* The message's index in its file, or -1. */
gint        gls_po_message_row_get_index       (GlsPoMessageRow *self);
/* The thread numbers shown on the message. */
void        gls_po_message_row_clear_threads   (GlsPoMessageRow *self);
void        gls_po_message_row_add_thread      (GlsPoMessageRow *self,
                                                const char      *id,
                                                guint            number,
                                                gboolean         resolved,
                                                gboolean         suggestion,
                                                gboolean         selected,
                                                const char      *preview);
guint       gls_po_message_row_get_n_threads   (GlsPoMessageRow *self);
/* The label that shows plural form @form of the translation, or NULL. */
GtkLabel   *gls_po_message_row_get_form_label  (GlsPoMessageRow *self,
                                                guint            form);
/*
 * A selection inside the translation: the form and the selected range
 * in code points of its value. The label that has the focus counts
 * first, then any with a selection. FALSE when nothing is selected.
 */
gboolean    gls_po_message_row_get_selection   (GlsPoMessageRow *self,
                                                guint           *form,
                                                gint64          *start,
                                                gint64          *end);
/* The form whose label has the focus, else 0. */
guint       gls_po_message_row_get_focus_form  (GlsPoMessageRow *self);

G_END_DECLS
