/* gls-po.h: a gettext PO or POT file, its messages and where they are
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gls-text.h"
#include "gls-types.h"

G_BEGIN_DECLS

/*
 * A PO file is parsed twice: by libgettextpo, which says what the file
 * means (and refuses what msgfmt refuses), and by a scanner of our own,
 * which says where each message is in the text (libgettextpo gives no
 * offsets). The two are paired message by message; if they ever
 * disagree, the file keeps its messages but has no spans
 * (gls_po_file_has_spans), so a comment is never shown in the wrong
 * place.
 *
 * Offsets are Unicode code points of the file's text (as
 * gls_text_decode gives it: TextPositionSelector and GtkTextIter
 * count the same); "value" offsets are code points of a string as a
 * translator sees it, escapes undone and continuation lines joined.
 *
 * Parsing and applying write a private temporary file (libgettextpo
 * reads only files) and serialise on one lock (libgettextpo keeps
 * global state): call them from a worker thread, never from the GUI's
 * main thread, or use gls_po_file_new_async.
 */

#define GLS_TYPE_PO_FILE (gls_po_file_get_type ())

G_DECLARE_FINAL_TYPE (GlsPoFile, gls_po_file, GLS, PO_FILE, GObject)

/* A message of a GlsPoFile, owned by it (live as long as the file). */
typedef struct _GlsPoMessage GlsPoMessage;

typedef enum
{
  GLS_PO_STATE_TRANSLATED,
  GLS_PO_STATE_FUZZY,        /* translated, but marked fuzzy */
  GLS_PO_STATE_UNTRANSLATED, /* msgstr, or one of its plural forms, empty */
} GlsPoState;

typedef enum
{
  GLS_PO_PART_ENTRY,        /* the whole entry, its comments included */
  GLS_PO_PART_MSGCTXT,
  GLS_PO_PART_MSGID,
  GLS_PO_PART_MSGID_PLURAL,
  GLS_PO_PART_MSGSTR,       /* msgstr, or msgstr[form] */
} GlsPoPart;

/* One replacement for gls_po_apply. */
typedef struct
{
  guint       index;       /* message index */
  guint       form;        /* plural form; 0 without plurals */
  const char *translation; /* the new msgstr, unescaped */
} GlsPoChange;

/*
 * Parses @text (UTF-8, as gls_text_decode gives it; @length in bytes or
 * -1). Errors: GLS_CORE_ERROR_INVALID when libgettextpo (or a string
 * that is not UTF-8 once unescaped) refuses it, the message naming the
 * line; GLS_CORE_ERROR_UNSUPPORTED when the header names a charset other
 * than UTF-8; GLS_CORE_ERROR_IO when the temporary file fails.
 */
GlsPoFile          *gls_po_file_new                 (const char          *text,
                                                     gssize               length,
                                                     GError             **error);
/* The bytes of a file: gls_text_decode, then gls_po_file_new. */
GlsPoFile          *gls_po_file_new_from_bytes      (GBytes              *data,
                                                     GError             **error);
/* gls_po_file_new in a GTask thread; @text is copied. */
void                gls_po_file_new_async           (const char          *text,
                                                     gssize               length,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
GlsPoFile          *gls_po_file_new_finish          (GAsyncResult        *result,
                                                     GError             **error);

/* The text it was made from (NUL-terminated), its length in bytes, and
 * an index for code points and bytes over it. */
const char         *gls_po_file_get_text            (GlsPoFile           *self);
gsize               gls_po_file_get_text_length     (GlsPoFile           *self);
GlsTextIndex       *gls_po_file_get_index           (GlsPoFile           *self);

/* The header entry's msgstr ("" without a header). */
const char         *gls_po_file_get_header          (GlsPoFile           *self);
/* A header field's value ("Language", "Plural-Forms", …), or NULL. */
char               *gls_po_file_dup_header_field    (GlsPoFile           *self,
                                                     const char          *field);
/* The Language field, or NULL. */
const char         *gls_po_file_get_language        (GlsPoFile           *self);
/* nplurals from Plural-Forms; 0 when the header does not say. */
guint               gls_po_file_get_nplurals        (GlsPoFile           *self);
/* TRUE for a template: the header's charset is the "CHARSET" placeholder. */
gboolean            gls_po_file_is_template         (GlsPoFile           *self);

/* Messages in file order; the header is not one, obsolete (#~) ones are. */
guint               gls_po_file_get_n_messages      (GlsPoFile           *self);
const GlsPoMessage *gls_po_file_get_message         (GlsPoFile           *self,
                                                     guint                index);
/* Counts of the messages that are not obsolete, by state. */
void                gls_po_file_count_states        (GlsPoFile           *self,
                                                     guint               *translated,
                                                     guint               *fuzzy,
                                                     guint               *untranslated);
/*
 * The message with this context (NULL: none) and source, or -1. One
 * that is not obsolete wins over an obsolete one.
 */
gint                gls_po_file_find                (GlsPoFile           *self,
                                                     const char          *msgctxt,
                                                     const char          *msgid);

/* FALSE when the scanner and libgettextpo disagreed: no spans at all. */
gboolean            gls_po_file_has_spans           (GlsPoFile           *self);
/* The message whose entry holds code point @offset, or -1. */
gint                gls_po_file_message_at          (GlsPoFile           *self,
                                                     gint64               offset);
/*
 * Where a part of message @index is in the text, [*start, *end) in code
 * points. A string part runs from its first opening quote to its last
 * closing one (the "…" lines as written). @form counts for
 * GLS_PO_PART_MSGSTR only. FALSE when there is no such part or no spans.
 */
gboolean            gls_po_file_get_span            (GlsPoFile           *self,
                                                     guint                index,
                                                     GlsPoPart            part,
                                                     guint                form,
                                                     gint64              *start,
                                                     gint64              *end);
/*
 * From an offset in a string part's value (0 to its length in code
 * points) to the offset in the text of the character (or escape) that
 * makes it; the value's length maps to just after its last character.
 * -1 when out of range, no such part, or no spans.
 */
gint64              gls_po_file_value_to_text       (GlsPoFile           *self,
                                                     guint                index,
                                                     GlsPoPart            part,
                                                     guint                form,
                                                     gint64               value_offset);
/*
 * Back: an offset in the text inside the part's span to the offset in
 * the value of the character there (inside an escape: that escape's
 * character; on quotes and line breaks between the "…" lines: the next
 * character). -1 outside the span, or no spans.
 * text_to_value (value_to_text (v)) == v for every v in [0, length].
 */
gint64              gls_po_file_text_to_value       (GlsPoFile           *self,
                                                     guint                index,
                                                     GlsPoPart            part,
                                                     guint                form,
                                                     gint64               text_offset);

/* A message. Strings are UTF-8; nullable ones say so. */
const char         *gls_po_message_get_msgctxt      (const GlsPoMessage  *message); /* nullable */
const char         *gls_po_message_get_msgid        (const GlsPoMessage  *message);
const char         *gls_po_message_get_msgid_plural (const GlsPoMessage  *message); /* nullable */
/* 1 without msgid_plural, else the number of msgstr[N] forms. */
guint               gls_po_message_get_n_forms      (const GlsPoMessage  *message);
const char         *gls_po_message_get_msgstr       (const GlsPoMessage  *message,
                                                     guint                form);
GlsPoState          gls_po_message_get_state        (const GlsPoMessage  *message);
gboolean            gls_po_message_is_fuzzy         (const GlsPoMessage  *message);
gboolean            gls_po_message_is_untranslated  (const GlsPoMessage  *message);
gboolean            gls_po_message_is_obsolete      (const GlsPoMessage  *message);
/* Translator (# ) and extracted (#.) comments without their markers,
 * each line ending in a newline; "" when none. */
const char         *gls_po_message_get_comments     (const GlsPoMessage  *message);
const char         *gls_po_message_get_extracted_comments (const GlsPoMessage *message);
/* #: references, "file" or "file:line" each; NULL-terminated. */
const char * const *gls_po_message_get_references   (const GlsPoMessage  *message);
/* The #, flags as written ("fuzzy", "c-format", "no-wrap", …);
 * NULL-terminated. */
const char * const *gls_po_message_get_flags        (const GlsPoMessage  *message);
/* Whether the message is marked as a format string of @format_type
 * ("c-format", "python-brace-format", …; libgettextpo's list). */
gboolean            gls_po_message_has_format       (const GlsPoMessage  *message,
                                                     const char          *format_type);
/* The line (from 1) of its msgid keyword, or 0 without spans. */
guint               gls_po_message_get_line         (const GlsPoMessage  *message);

/*
 * Whether @translation may replace msgstr[@form] of message @index.
 * GLS_CORE_ERROR_INVALID, with a message a translator can act on, when
 * it: is empty; drops or adds a format directive of the source (c-format
 * %s %d %1$s, python-format %(name)s, python-brace-format {name}, and
 * {name} placeholders in a source that has no format flag; a plural form
 * that serves a single number, like "one file", may drop them, as
 * msgfmt decides from Plural-Forms); is not UTF-8 or holds U+0004; or
 * libgettextpo (po_message_check_format, po_message_check_all, with the
 * file's header) refuses it. GLS_CORE_ERROR_UNSUPPORTED for an obsolete
 * message.
 */
gboolean            gls_po_check_translation        (GlsPoFile           *self,
                                                     guint                index,
                                                     guint                form,
                                                     const char          *translation,
                                                     GError             **error);

/*
 * The file's text with each change's msgstr string replaced, escaped
 * and wrapped the way the file wraps, and the "fuzzy" flag (and the
 * #| previous strings) of each changed message dropped; everything
 * else byte for byte. Each change is checked with
 * gls_po_check_translation first, and the result is parsed again and
 * checked with libgettextpo (as msgfmt --check would): any refusal is
 * the error, naming the message. Needs spans (GLS_CORE_ERROR_UNSUPPORTED
 * without). @out_length: bytes, may be NULL.
 */
char               *gls_po_apply                    (GlsPoFile           *self,
                                                     const GlsPoChange   *changes,
                                                     guint                n_changes,
                                                     gsize               *out_length,
                                                     GError             **error);

G_END_DECLS
