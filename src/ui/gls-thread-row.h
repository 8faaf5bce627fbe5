/* gls-thread-row.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gls-thread.h"

G_BEGIN_DECLS

#define GLS_TYPE_THREAD_ROW (gls_thread_row_get_type ())

G_DECLARE_FINAL_TYPE (GlsThreadRow, gls_thread_row, GLS, THREAD_ROW, GtkWidget)

/*
 * One line of the threads list: number badge, author, first line of the
 * text, page (for PDF), reply count, resolved state. Bound to its item by
 * the list's GtkBuilderListItemFactory through the `thread` property.
 */

GtkWidget  *gls_thread_row_new        (void);
GlsThread  *gls_thread_row_get_thread (GlsThreadRow *self);
void        gls_thread_row_set_thread (GlsThreadRow *self,
                                       GlsThread    *thread);
/* What the row shows, for tests and accessibility. */
const char *gls_thread_row_get_summary (GlsThreadRow *self);

/* The first non-empty line of `text`, stripped (owned). */
char       *gls_thread_first_line     (const char   *text);

G_END_DECLS
