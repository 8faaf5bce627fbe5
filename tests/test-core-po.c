/* test-core-po.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gls-po.h"
#include "gls-po-private.h"
#include "gls-text.h"
#include "gls-types.h"

static char *
read_data (const char *first,
           ...)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  const char *part;
  va_list args;

  g_ptr_array_add (parts, (gpointer) g_test_get_dir (G_TEST_DIST));
  va_start (args, first);
  for (part = first; part != NULL; part = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) part);
  va_end (args);
  g_ptr_array_add (parts, NULL);
  path = g_build_filenamev ((char **) parts->pdata);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static GlsPoFile *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  GlsPoFile *file = gls_po_file_new (text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (file);
  return file;
}

static char *
crlf (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strjoinv ("\r\n", lines);
}

/* The text between two code point offsets. */
static char *
text_at (GlsPoFile *file,
         gint64     start,
         gint64     end)
{
  GlsTextIndex *index = gls_po_file_get_index (file);
  gsize b0 = gls_text_index_to_byte (index, start);
  gsize b1 = gls_text_index_to_byte (index, end);

  g_assert_cmpint (start, <=, end);
  return g_strndup (gls_po_file_get_text (file) + b0, b1 - b0);
}

/* The value of PO string literals as written ("a" "b" on lines, `#~`
 * between them): a second, simpler reading than the scanner's, for the
 * escapes the test files use. */
static char *
unescape_literals (const char *s)
{
  GString *out = g_string_new (NULL);
  gboolean inside = FALSE;

  for (const char *p = s; *p != '\0'; p++)
    {
      if (!inside)
        {
          if (*p == '"')
            inside = TRUE;
          continue;
        }
      if (*p == '"')
        {
          inside = FALSE;
          continue;
        }
      if (*p != '\\')
        {
          g_string_append_c (out, *p);
          continue;
        }
      p++;
      switch (*p)
        {
        case 'n': g_string_append_c (out, '\n'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        default: g_assert_not_reached ();
        }
    }
  g_assert_false (inside);
  return g_string_free (out, FALSE);
}

static void
check_part (GlsPoFile  *file,
            guint       index,
            GlsPoPart   part,
            guint       form,
            const char *value)
{
  gint64 start, end, length, previous = -1;
  g_autofree char *written = NULL;
  g_autofree char *unescaped = NULL;

  g_assert_true (gls_po_file_get_span (file, index, part, form, &start, &end));
  written = text_at (file, start, end);
  g_assert_true (g_str_has_prefix (written, "\""));
  g_assert_true (g_str_has_suffix (written, "\""));
  unescaped = unescape_literals (written);
  g_assert_cmpstr (unescaped, ==, value);

  /* Every offset of the value maps into the span and back; a character
   * written as itself is there in the text. */
  length = g_utf8_strlen (value, -1);
  for (gint64 v = 0; v <= length; v++)
    {
      gint64 t = gls_po_file_value_to_text (file, index, part, form, v);

      g_assert_cmpint (t, >, start);
      g_assert_cmpint (t, <, end);
      g_assert_cmpint (t, >, previous);
      previous = t;
      g_assert_cmpint (gls_po_file_text_to_value (file, index, part, form, t), ==, v);
      if (v < length)
        {
          gunichar c = g_utf8_get_char (g_utf8_offset_to_pointer (value, v));
          g_autofree char *at = text_at (file, t, t + 1);

          if (c != '\n' && c != '\t' && c != '"' && c != '\\')
            g_assert_cmpuint (g_utf8_get_char (at), ==, c);
          else
            g_assert_cmpstr (at, ==, "\\");
        }
    }
  g_assert_cmpint (gls_po_file_value_to_text (file, index, part, form, length + 1), ==, -1);
  g_assert_cmpint (gls_po_file_value_to_text (file, index, part, form, -1), ==, -1);
  g_assert_cmpint (gls_po_file_text_to_value (file, index, part, form, start - 1), ==, -1);
  g_assert_cmpint (gls_po_file_text_to_value (file, index, part, form, end + 1), ==, -1);
}

/* Spans of every part of every message, in order and inside the text. */
static void
check_all_spans (GlsPoFile *file)
{
  gint64 last_end = 0;
  gint64 length = gls_text_index_get_length (gls_po_file_get_index (file));

  g_assert_true (gls_po_file_has_spans (file));
  for (guint i = 0; i < gls_po_file_get_n_messages (file); i++)
    {
      const GlsPoMessage *msg = gls_po_file_get_message (file, i);
      gint64 start, end, s, e;

      g_assert_true (gls_po_file_get_span (file, i, GLS_PO_PART_ENTRY, 0, &start, &end));
      g_assert_cmpint (start, >=, last_end);
      g_assert_cmpint (end, <=, length);
      last_end = end;
      g_assert_cmpint (gls_po_file_message_at (file, start), ==, i);
      g_assert_cmpint (gls_po_file_message_at (file, end - 1), ==, i);

      if (gls_po_message_get_msgctxt (msg) != NULL)
        check_part (file, i, GLS_PO_PART_MSGCTXT, 0, gls_po_message_get_msgctxt (msg));
      else
        g_assert_false (gls_po_file_get_span (file, i, GLS_PO_PART_MSGCTXT, 0, &s, &e));
      check_part (file, i, GLS_PO_PART_MSGID, 0, gls_po_message_get_msgid (msg));
      if (gls_po_message_get_msgid_plural (msg) != NULL)
        check_part (file, i, GLS_PO_PART_MSGID_PLURAL, 0, gls_po_message_get_msgid_plural (msg));
      for (guint f = 0; f < gls_po_message_get_n_forms (msg); f++)
        {
          check_part (file, i, GLS_PO_PART_MSGSTR, f, gls_po_message_get_msgstr (msg, f));
          g_assert_true (gls_po_file_get_span (file, i, GLS_PO_PART_MSGSTR, f, &s, &e));
          g_assert_cmpint (s, >=, start);
          g_assert_cmpint (e, <=, end);
        }
      g_assert_false (gls_po_file_get_span (file, i, GLS_PO_PART_MSGSTR,
                                            gls_po_message_get_n_forms (msg), &s, &e));
    }
}

static void
test_sample (void)
{
  g_autofree char *text = read_data ("..", "data", "samples", "assembly-guide.de.po", NULL);
  g_autoptr(GlsPoFile) file = parse_ok (text);
  const GlsPoMessage *msg;
  guint translated, fuzzy, untranslated;
  g_autofree char *written = NULL;
  g_autofree char *project = NULL;
  g_autofree char *content_type = NULL;
  gint64 start, end;
  gint index;

  g_assert_cmpuint (gls_po_file_get_n_messages (file), ==, 22);
  gls_po_file_count_states (file, &translated, &fuzzy, &untranslated);
  g_assert_cmpuint (translated, ==, 20);
  g_assert_cmpuint (fuzzy, ==, 1);
  g_assert_cmpuint (untranslated, ==, 1);
  g_assert_cmpstr (gls_po_file_get_language (file), ==, "de");
  g_assert_cmpuint (gls_po_file_get_nplurals (file), ==, 2);
  g_assert_false (gls_po_file_is_template (file));
  /* libgettextpo read it as charset=CHARSET (quicker): not what we say. */
  content_type = gls_po_file_dup_header_field (file, "Content-Type");
  g_assert_cmpstr (content_type, ==, "text/plain; charset=UTF-8");
  project = gls_po_file_dup_header_field (file, "Project-Id-Version");
  g_assert_cmpstr (project, ==, "Glossa Blinky assembly guide rev A");
  g_assert_true (g_str_has_prefix (gls_po_file_get_header (file), "Project-Id-Version:"));

  msg = gls_po_file_get_message (file, 0);
  g_assert_null (gls_po_message_get_msgctxt (msg));
  g_assert_cmpstr (gls_po_message_get_msgid (msg), ==, "Assembling Glossa Blinky, rev A");
  g_assert_null (gls_po_message_get_msgid_plural (msg));
  g_assert_cmpuint (gls_po_message_get_n_forms (msg), ==, 1);
  g_assert_cmpstr (gls_po_message_get_msgstr (msg, 0), ==, "Glossa Blinky, Rev. A, zusammenbauen");
  g_assert_cmpstr (gls_po_message_get_extracted_comments (msg), ==, "type: Title #\n");
  g_assert_cmpstr (gls_po_message_get_comments (msg), ==, "");
  g_assert_cmpstrv (gls_po_message_get_references (msg),
                    ((const char * const[]) { "assembly-guide.md", NULL }));
  g_assert_cmpstrv (gls_po_message_get_flags (msg),
                    ((const char * const[]) { "markdown-text", "no-wrap", NULL }));
  g_assert_true (gls_po_message_has_format (msg, "no-wrap"));
  g_assert_false (gls_po_message_has_format (msg, "c-format"));
  g_assert_cmpuint (gls_po_message_get_line (msg), ==, 22);
  g_assert_cmpint (gls_po_message_get_state (msg), ==, GLS_PO_STATE_TRANSLATED);

  g_assert_true (gls_po_file_get_span (file, 0, GLS_PO_PART_MSGSTR, 0, &start, &end));
  written = text_at (file, start, end);
  g_assert_cmpstr (written, ==, "\"Glossa Blinky, Rev. A, zusammenbauen\"");
  g_clear_pointer (&written, g_free);
  g_assert_true (gls_po_file_get_span (file, 0, GLS_PO_PART_ENTRY, 0, &start, &end));
  written = text_at (file, start, end);
  g_assert_true (g_str_has_prefix (written, "#. type: Title #\n#: assembly-guide.md\n"));
  g_assert_true (g_str_has_suffix (written, "msgstr \"Glossa Blinky, Rev. A, zusammenbauen\""));

  /* A multi-line message, with "µ" and two spaces kept. */
  msg = gls_po_file_get_message (file, 11);
  g_assert_cmpstr (gls_po_message_get_msgid (msg), ==,
                   "Solder C1 and C2 (10 µF) next to the regulator, then C3 and C4 (100 nF)  "
                   "next to U1.");
  g_assert_cmpstr (gls_po_message_get_msgstr (msg, 0), ==,
                   "Löte C1 und C2 (10 µF) neben den Spannungsregler, dann C3 und C4 (100 nF) "
                   "neben U1.");

  msg = gls_po_file_get_message (file, 20);
  g_assert_true (g_str_has_prefix (gls_po_message_get_msgid (msg), "Before you plug in the cable"));
  g_assert_true (gls_po_message_is_fuzzy (msg));
  g_assert_false (gls_po_message_is_untranslated (msg));
  g_assert_cmpint (gls_po_message_get_state (msg), ==, GLS_PO_STATE_FUZZY);
  g_assert_cmpstrv (gls_po_message_get_flags (msg),
                    ((const char * const[]) { "fuzzy", "markdown-text", NULL }));

  msg = gls_po_file_get_message (file, 21);
  g_assert_true (g_str_has_prefix (gls_po_message_get_msgid (msg), "Hold RESET, then press RUN"));
  g_assert_cmpstr (gls_po_message_get_msgstr (msg, 0), ==, "");
  g_assert_true (gls_po_message_is_untranslated (msg));
  g_assert_cmpint (gls_po_message_get_state (msg), ==, GLS_PO_STATE_UNTRANSLATED);

  index = gls_po_file_find (file, NULL, "LEDs");
  g_assert_cmpint (index, ==, 13);
  g_assert_cmpstr (gls_po_message_get_msgstr (gls_po_file_get_message (file, index), 0), ==, "LEDs");
  g_assert_cmpint (gls_po_file_find (file, "a context", "LEDs"), ==, -1);
  g_assert_cmpint (gls_po_file_find (file, NULL, "No such message"), ==, -1);

  /* The header is no message. */
  g_assert_cmpint (gls_po_file_message_at (file, 0), ==, -1);
  g_assert_cmpint (gls_po_file_message_at (file, 300), ==, -1);
  g_assert_cmpint (gls_po_file_message_at (file, -5), ==, -1);
  g_assert_cmpint (gls_po_file_message_at (file, G_MAXINT64), ==, -1);

  check_all_spans (file);
}

static void
test_plurals (void)
{
  g_autofree char *text = read_data ("data", "po", "plurals.po", NULL);
  g_autoptr(GlsPoFile) file = parse_ok (text);
  const GlsPoMessage *msg;
  guint translated, fuzzy, untranslated;
  gint verb, status, plain;

  g_assert_cmpuint (gls_po_file_get_nplurals (file), ==, 3);
  g_assert_cmpstr (gls_po_file_get_language (file), ==, "pl");
  g_assert_cmpuint (gls_po_file_get_n_messages (file), ==, 9);

  msg = gls_po_file_get_message (file, 0);
  g_assert_cmpstr (gls_po_message_get_msgid (msg), ==, "%d comment");
  g_assert_cmpstr (gls_po_message_get_msgid_plural (msg), ==, "%d comments");
  g_assert_cmpuint (gls_po_message_get_n_forms (msg), ==, 3);
  g_assert_cmpstr (gls_po_message_get_msgstr (msg, 0), ==, "%d komentarz");
  g_assert_cmpstr (gls_po_message_get_msgstr (msg, 1), ==, "%d komentarze");
  g_assert_cmpstr (gls_po_message_get_msgstr (msg, 2), ==, "%d komentarzy");
  g_assert_true (gls_po_message_has_format (msg, "c-format"));
  g_assert_cmpstr (gls_po_message_get_extracted_comments (msg), ==, "Shown in the designs sidebar\n");
  g_assert_cmpstrv (gls_po_message_get_references (msg),
                    ((const char * const[]) { "src/ui/gls-designs-sidebar.c:120", NULL }));
  g_assert_cmpint (gls_po_message_get_state (msg), ==, GLS_PO_STATE_TRANSLATED);

  /* One empty plural form: untranslated. */
  msg = gls_po_file_get_message (file, 1);
  g_assert_cmpstr (gls_po_message_get_msgstr (msg, 2), ==, "");
  g_assert_true (gls_po_message_is_untranslated (msg));

  /* The same source in three contexts. */
  verb = gls_po_file_find (file, "verb", "Open");
  status = gls_po_file_find (file, "thread status", "Open");
  plain = gls_po_file_find (file, NULL, "Open");
  g_assert_cmpint (verb, ==, 2);
  g_assert_cmpint (status, ==, 3);
  g_assert_cmpint (plain, ==, 4);
  g_assert_cmpstr (gls_po_message_get_msgctxt (gls_po_file_get_message (file, verb)), ==, "verb");
  g_assert_cmpstr (gls_po_message_get_msgstr (gls_po_file_get_message (file, status), 0), ==, "Otwarty");
  g_assert_cmpstr (gls_po_message_get_msgstr (gls_po_file_get_message (file, plain), 0), ==, "Otwórz plik");
  g_assert_cmpint (gls_po_file_find (file, "", "Open"), ==, -1);

  msg = gls_po_file_get_message (file, 5);
  g_assert_cmpstr (gls_po_message_get_msgid (msg), ==, "Close All");
  g_assert_cmpstr (gls_po_message_get_comments (msg), ==, "Translator's note: keep it short.\n");
  g_assert_true (gls_po_message_is_fuzzy (msg));
  g_assert_false (gls_po_message_is_obsolete (msg));

  /* Obsolete entries are kept, flagged, and not counted. */
  msg = gls_po_file_get_message (file, 6);
  g_assert_cmpstr (gls_po_message_get_msgid (msg), ==, "Share");
  g_assert_cmpstr (gls_po_message_get_msgstr (msg, 0), ==, "Udostępnij");
  g_assert_true (gls_po_message_is_obsolete (msg));
  msg = gls_po_file_get_message (file, 7);
  g_assert_cmpstr (gls_po_message_get_msgctxt (msg), ==, "verb");
  g_assert_true (gls_po_message_is_obsolete (msg));
  g_assert_true (gls_po_message_is_fuzzy (msg));
  msg = gls_po_file_get_message (file, 8);
  g_assert_true (gls_po_message_is_obsolete (msg));
  g_assert_cmpuint (gls_po_message_get_n_forms (msg), ==, 3);
  g_assert_cmpstr (gls_po_message_get_msgstr (msg, 2), ==, "%d węzłów");
  g_assert_cmpint (gls_po_file_find (file, NULL, "Share"), ==, 6);

  gls_po_file_count_states (file, &translated, &fuzzy, &untranslated);
  g_assert_cmpuint (translated, ==, 4);
  g_assert_cmpuint (fuzzy, ==, 1);
  g_assert_cmpuint (untranslated, ==, 1);

  check_all_spans (file);
  {
    /* An obsolete entry's span starts at its "#~". */
    gint64 start, end;
    g_autofree char *written = NULL;

    g_assert_true (gls_po_file_get_span (file, 6, GLS_PO_PART_ENTRY, 0, &start, &end));
    written = text_at (file, start, end);
    g_assert_cmpstr (written, ==, "#~ msgid \"Share\"\n#~ msgstr \"Udostępnij\"");
  }
}

static void
check_escapes (const char *text,
               gboolean    is_crlf)
{
  g_autoptr(GlsPoFile) file = parse_ok (text);
  const GlsPoMessage *msg;
  gint64 start, end, t;
  g_autofree char *at = NULL;

  g_assert_cmpuint (gls_po_file_get_n_messages (file), ==, 7);

  msg = gls_po_file_get_message (file, 0);
  g_assert_cmpstr (gls_po_message_get_msgid (msg), ==, "Say \"hello\"");
  g_assert_cmpstr (gls_po_message_get_msgstr (msg, 0), ==, "Dis « bonjour » \"ici\"");
  /* "\"ici\"": value offset 16 is the quote, written as an escape. */
  t = gls_po_file_value_to_text (file, 0, GLS_PO_PART_MSGSTR, 0, 16);
  at = text_at (file, t, t + 2);
  g_assert_cmpstr (at, ==, "\\\"");
  g_clear_pointer (&at, g_free);
  g_assert_cmpint (gls_po_file_text_to_value (file, 0, GLS_PO_PART_MSGSTR, 0, t + 1), ==, 16);
  g_assert_cmpint (gls_po_file_text_to_value (file, 0, GLS_PO_PART_MSGSTR, 0, t + 2), ==, 17);

  msg = gls_po_file_get_message (file, 1);
  g_assert_cmpstr (gls_po_message_get_msgid (msg), ==, "a\\b");
  g_assert_cmpstr (gls_po_message_get_msgstr (msg, 0), ==, "a\\b\tc");

  msg = gls_po_file_get_message (file, 2);
  g_assert_cmpstr (gls_po_message_get_msgid (msg), ==, "First line\nSecond line");
  g_assert_cmpstr (gls_po_message_get_msgstr (msg, 0), ==, "Première ligne\nDeuxième ligne");
  g_assert_true (gls_po_file_get_span (file, 2, GLS_PO_PART_MSGSTR, 0, &start, &end));
  at = text_at (file, start, end);
  g_assert_cmpstr (at, ==, is_crlf
                   ? "\"\"\r\n\"Première ligne\\n\"\r\n\"Deuxième ligne\""
                   : "\"\"\n\"Première ligne\\n\"\n\"Deuxième ligne\"");
  g_clear_pointer (&at, g_free);
  /* Value offset 0 is the 'P' on the second line, after the empty "". */
  t = gls_po_file_value_to_text (file, 2, GLS_PO_PART_MSGSTR, 0, 0);
  g_assert_cmpint (t, ==, start + (is_crlf ? 5 : 4));
  /* The line break between the literals maps to the next character. */
  g_assert_cmpint (gls_po_file_text_to_value (file, 2, GLS_PO_PART_MSGSTR, 0, start + 1), ==, 0);
  t = gls_po_file_value_to_text (file, 2, GLS_PO_PART_MSGSTR, 0, 14);  /* the \n */
  at = text_at (file, t, t + 2);
  g_assert_cmpstr (at, ==, "\\n");
  g_clear_pointer (&at, g_free);
  t = gls_po_file_value_to_text (file, 2, GLS_PO_PART_MSGSTR, 0, 15);  /* 'D' */
  at = text_at (file, t, t + 1);
  g_assert_cmpstr (at, ==, "D");
  g_clear_pointer (&at, g_free);
  g_assert_cmpint (gls_po_file_text_to_value (file, 2, GLS_PO_PART_MSGSTR, 0, t - 1), ==, 15);

  /* Emoji and a combining mark: a code point each. */
  msg = gls_po_file_get_message (file, 3);
  g_assert_cmpstr (gls_po_message_get_msgstr (msg, 0), ==, "Fête 🎉 ou fe\xcc\x81te");
  t = gls_po_file_value_to_text (file, 3, GLS_PO_PART_MSGSTR, 0, 5);
  at = text_at (file, t, t + 1);
  g_assert_cmpstr (at, ==, "🎉");
  g_clear_pointer (&at, g_free);
  t = gls_po_file_value_to_text (file, 3, GLS_PO_PART_MSGSTR, 0, 12);
  at = text_at (file, t, t + 1);
  g_assert_cmpstr (at, ==, "\xcc\x81");
  g_clear_pointer (&at, g_free);

  msg = gls_po_file_get_message (file, 4);
  g_assert_cmpstr (gls_po_message_get_msgid (msg), ==, "Emoji 🎉🎈 and more");
  g_assert_cmpstr (gls_po_message_get_msgstr (msg, 0), ==, "Émoji 🎉🎈 et plus");
  t = gls_po_file_value_to_text (file, 4, GLS_PO_PART_MSGSTR, 0, 7);
  at = text_at (file, t, t + 1);
  g_assert_cmpstr (at, ==, "🎈");
  g_clear_pointer (&at, g_free);

  msg = gls_po_file_get_message (file, 5);
  g_assert_cmpstr (gls_po_message_get_msgctxt (msg), ==, "menu\tentry");
  g_assert_cmpstr (gls_po_message_get_msgid (msg), ==, "Café");
  g_assert_cmpint (gls_po_file_find (file, "menu\tentry", "Café"), ==, 5);

  check_all_spans (file);
}

static void
test_escapes (void)
{
  g_autofree char *text = read_data ("data", "po", "escapes.po", NULL);
  g_autofree char *text_crlf = crlf (text);

  check_escapes (text, FALSE);
  check_escapes (text_crlf, TRUE);
}

static void
test_template (void)
{
  const char *pot =
    "# SOME DESCRIPTIVE TITLE.\n"
    "#, fuzzy\n"
    "msgid \"\"\n"
    "msgstr \"\"\n"
    "\"Project-Id-Version: PACKAGE VERSION\\n\"\n"
    "\"Language: \\n\"\n"
    "\"Content-Type: text/plain; charset=CHARSET\\n\"\n"
    "\"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n\"\n"
    "\n"
    "#: a.c:1 b.c:2\n"
    "msgid \"Größe\"\n"
    "msgstr \"\"\n";
  g_autoptr(GlsPoFile) file = parse_ok (pot);
  const GlsPoMessage *msg = gls_po_file_get_message (file, 0);

  g_assert_true (gls_po_file_is_template (file));
  g_assert_null (gls_po_file_get_language (file));
  g_assert_cmpuint (gls_po_file_get_nplurals (file), ==, 0);
  g_assert_cmpuint (gls_po_file_get_n_messages (file), ==, 1);
  g_assert_cmpstr (gls_po_message_get_msgid (msg), ==, "Größe");
  g_assert_cmpstrv (gls_po_message_get_references (msg),
                    ((const char * const[]) { "a.c:1", "b.c:2", NULL }));
  check_all_spans (file);
}

static void
test_broken (void)
{
  g_autoptr(GString) long_line = g_string_new ("msgid \"");
  g_autoptr(GString) many = g_string_new (NULL);
  struct {
    const char *name;
    const char *text;
    gint        code;
    const char *message;  /* part of the error */
  } cases[] = {
    { "missing quote", "msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"c\nmsgstr \"d\"\n",
      GLS_CORE_ERROR_INVALID, "Line 4: " },
    { "msgstr without msgid", "msgid \"a\"\nmsgstr \"b\"\n\nmsgstr \"x\"\n",
      GLS_CORE_ERROR_INVALID, "Line 4: " },
    { "bad charset",
      "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=ISO-8859-1\\n\"\n\nmsgid \"a\"\nmsgstr \"ä\"\n",
      GLS_CORE_ERROR_UNSUPPORTED, "Line 3: the file says it is in ISO-8859-1" },
    { "shift-jis charset",
      "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=SHIFT_JIS\\n\"\n",
      GLS_CORE_ERROR_UNSUPPORTED, "SHIFT_JIS" },
    { "unknown keyword", "msgid \"a\"\nmsgstr \"b\"\nmsgfoo \"c\"\n",
      GLS_CORE_ERROR_INVALID, "Line 3: " },
    { "control characters", "\x01\x02\x03 msgid\n\x7f\x1b[0m\n",
      GLS_CORE_ERROR_INVALID, "Line 1: " },
    { "duplicate", "msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"a\"\nmsgstr \"c\"\n",
      GLS_CORE_ERROR_INVALID, "Line 4: " },
    { "bad escape", "msgid \"a\"\nmsgstr \"b\\q\"\n",
      GLS_CORE_ERROR_INVALID, "Line 2: " },
    { "NUL escape", "msgid \"a\"\nmsgstr \"b\\0c\"\n",
      GLS_CORE_ERROR_INVALID, "Line 2: an escape makes a NUL" },
    { "escape that is not UTF-8", "msgid \"a\"\nmsgstr \"b\\303c\"\n",
      GLS_CORE_ERROR_INVALID, "Line 1: the message has text that is not UTF-8" },
    { "plural form out of order", "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[1] \"b\"\n",
      GLS_CORE_ERROR_INVALID, "Line 3: " },
    { "missing msgstr", "msgid \"a\"\n\nmsgid \"b\"\nmsgstr \"c\"\n",
      GLS_CORE_ERROR_INVALID, "Line " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GlsPoFile) file = gls_po_file_new (cases[i].text, -1, &error);

      g_test_message ("%s", cases[i].name);
      g_assert_null (file);
      g_assert_error (error, GLS_CORE_ERROR, cases[i].code);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("%s: “%s” lacks “%s”", cases[i].name, error->message, cases[i].message);
    }

  /* A 1 MB line: fine when whole, an error with its line when broken. */
  for (guint i = 0; i < 1024 * 1024; i++)
    g_string_append_c (long_line, 'a' + i % 26);
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *whole = g_strdup_printf ("msgid \"x\"\nmsgstr \"y\"\n\n%s\"\nmsgstr \"z\"\n",
                                              long_line->str);
    g_autofree char *broken = g_strdup_printf ("msgid \"x\"\nmsgstr \"y\"\n\n%s\nmsgstr \"z\"\n",
                                               long_line->str);
    g_autoptr(GlsPoFile) file = parse_ok (whole);
    g_autoptr(GlsPoFile) none = NULL;

    g_assert_cmpuint (strlen (gls_po_message_get_msgid (gls_po_file_get_message (file, 1))), ==,
                      1024 * 1024);
    none = gls_po_file_new (broken, -1, &error);
    g_assert_null (none);
    g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (error->message, "Line 4: "));
  }

  /* More errors than msgfmt's 20 before it gives up (and exits). */
  for (guint i = 0; i < 50; i++)
    g_string_append_printf (many, "msgid \"a%u\nmsgstr \"b\"\n\n", i);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GlsPoFile) file = gls_po_file_new (many->str, -1, &error);

    g_assert_null (file);
    g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (error->message, "Line 1: "));
  }

  /* Bytes that are not text, and a NUL inside the given length. */
  {
    static const guint8 garbage[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0x0d, 0xff };
    g_autoptr(GBytes) bytes = g_bytes_new_static (garbage, sizeof garbage);
    g_autoptr(GError) error = NULL;
    g_autoptr(GlsPoFile) file = gls_po_file_new_from_bytes (bytes, &error);
    g_autoptr(GlsPoFile) nul = NULL;

    g_assert_null (file);
    g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_UNSUPPORTED);
    g_assert_nonnull (strstr (error->message, "line 1"));
    g_clear_error (&error);
    nul = gls_po_file_new ("msgid \"a\"\nmsgstr \"b\"\0\n", 22, &error);
    g_assert_null (nul);
    g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (error->message, "Line 2 has a NUL byte"));
  }

  /* Random bytes, made UTF-8: never a crash, never an exit. */
  {
    g_autoptr(GRand) rand = g_rand_new_with_seed (9);

    for (guint round = 0; round < 200; round++)
      {
        g_autoptr(GString) text = g_string_new (NULL);
        g_autoptr(GError) error = NULL;
        g_autoptr(GlsPoFile) file = NULL;
        static const char *const pieces[] = {
          "msgid ", "msgstr ", "msgctxt ", "msgid_plural ", "msgstr[0] ", "msgstr[1] ",
          "\"", "\"\"", "\\", "\\n", "#~ ", "#| ", "#, fuzzy", "\n", "\r\n", " ", "a", "é",
          "🎉", "[", "]", "domain ", "#: a.c:1", "\\x41", "\\101", "{x}", "%s",
        };

        for (guint k = g_rand_int_range (rand, 1, 60); k > 0; k--)
          g_string_append (text, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
        file = gls_po_file_new (text->str, text->len, &error);
        g_assert_true ((file == NULL) != (error == NULL));
        if (file != NULL && gls_po_file_has_spans (file))
          check_all_spans (file);
      }
  }

  /* Our handler of libgettextpo's fatal errors comes back, recorded. */
  g_assert_true (_gls_po_test_fatal_error ());
}

static const char *const check_po =
  "msgid \"\"\n"
  "msgstr \"\"\n"
  "\"Language: de\\n\"\n"
  "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
  "\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n"
  "\n"
  "#, c-format\n"
  "msgid \"%s has %d files\"\n"
  "msgstr \"%s hat %d Dateien\"\n"
  "\n"
  "#, python-format\n"
  "msgid \"Hello %(name)s, you have %(count)d new messages\"\n"
  "msgstr \"Hallo %(name)s, du hast %(count)d neue Nachrichten\"\n"
  "\n"
  "#, python-brace-format\n"
  "msgid \"{user} commented on {design}\"\n"
  "msgstr \"{user} hat {design} kommentiert\"\n"
  "\n"
  "msgid \"Welcome, {name}!\"\n"
  "msgstr \"Willkommen, {name}!\"\n"
  "\n"
  "#, c-format\n"
  "msgid \"%d file\"\n"
  "msgid_plural \"%d files\"\n"
  "msgstr[0] \"%d Datei\"\n"
  "msgstr[1] \"%d Dateien\"\n"
  "\n"
  "msgid \"Line\\n\"\n"
  "msgstr \"Zeile\\n\"\n"
  "\n"
  "#~ msgid \"Gone\"\n"
  "#~ msgstr \"Weg\"\n"
  "\n"
  "msgid \"Plain 100% text\"\n"
  "msgstr \"Einfach 100% Text\"\n";

static const char *const check_ru_po =
  "msgid \"\"\n"
  "msgstr \"\"\n"
  "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
  "\"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n\"\n"
  "\n"
  "#, c-format\n"
  "msgid \"%d file\"\n"
  "msgid_plural \"%d files\"\n"
  "msgstr[0] \"%d файл\"\n"
  "msgstr[1] \"%d файла\"\n"
  "msgstr[2] \"%d файлов\"\n";

static void
test_check (void)
{
  g_autoptr(GlsPoFile) file = parse_ok (check_po);
  g_autoptr(GlsPoFile) ru = parse_ok (check_ru_po);
  struct {
    GlsPoFile  *file;
    guint       index;
    guint       form;
    const char *translation;
    const char *refusal;  /* NULL: accepted; else part of the message */
  } cases[] = {
    { file, 0, 0, "%s hat %d Dateien!", NULL },
    { file, 0, 0, "%2$d Dateien hat %1$s", NULL },
    { file, 0, 0, "hat %d Dateien", "lacks “%s”" },
    { file, 0, 0, "%s hat Dateien", "lacks “%d”" },
    { file, 0, 0, "%s hat %d Dateien und %d", "adds “%d”" },
    { file, 0, 0, "%s hat %s Dateien", "lacks “%d”" },
    { file, 0, 0, "", "would be empty" },
    { file, 0, 0, "%s hat %d\004Dateien", "U+0004" },
    { file, 0, 0, "%s hat\001\033 %d Dateien", NULL },  /* other controls: escaped */
    { file, 1, 0, "Hallo %(name)s: %(count)d neue Nachrichten", NULL },
    { file, 1, 0, "Hallo, du hast %(count)d neue Nachrichten", "lacks “%(name)s”" },
    { file, 1, 0, "Hallo %(nom)s, %(count)d", "lacks “%(name)s”" },
    { file, 1, 0, "Hallo %(name)s, %(count)d %(extra)s", "adds “%(extra)s”" },
    { file, 2, 0, "{design}: Kommentar von {user}", NULL },
    { file, 2, 0, "{user} hat kommentiert", "lacks “{design}”" },
    { file, 2, 0, "{user} hat {design} {date} kommentiert", "adds “{date}”" },
    { file, 3, 0, "Hallo {name}!", NULL },
    { file, 3, 0, "Willkommen!", "lacks “{name}”" },
    { file, 3, 0, "Willkommen, {nom}!", "lacks “{name}”" },
    { file, 3, 0, "Willkommen, {name} {nom}!", "adds “{nom}”" },
    { file, 4, 0, "eine Datei", NULL },  /* form 0 serves n = 1 only */
    { file, 4, 1, "%d Dateien", NULL },
    { file, 4, 1, "Dateien", "lacks “%d”" },
    { file, 4, 1, "", "Plural form 1 of the translation would be empty" },
    { file, 4, 0, "%d Datei %s", "adds “%s”" },
    { file, 5, 0, "Zeile", "The translation is refused: " },  /* libgettextpo: both end in \n */
    { file, 5, 0, "Zeile\n", NULL },
    { file, 7, 0, "Nur 100% Text", NULL },  /* no format flag, no {name}: text */
    { file, 6, 0, "Fort", "obsolete" },
    { file, 4, 2, "x", "no plural form 2" },
    { file, 99, 0, "x", "no message 99" },
    { ru, 0, 0, "один файл", "lacks “%d”" },  /* form 0 serves 1, 21, 31… */
    { ru, 0, 0, "%d файл", NULL },
    { ru, 0, 2, "%d файлов", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = gls_po_check_translation (cases[i].file, cases[i].index, cases[i].form,
                                              cases[i].translation, &error);

      g_test_message ("case %u: “%s”", i, cases[i].translation);
      if (cases[i].refusal == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_nonnull (error);
          g_assert_true (error->domain == GLS_CORE_ERROR);
          if (strstr (error->message, cases[i].refusal) == NULL)
            g_error ("case %u: “%s” lacks “%s”", i, error->message, cases[i].refusal);
        }
    }
}

/* Runs msgfmt --check on @text; its standard error when it refuses. */
static char *
msgfmt_check (const char *text)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                              | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                              | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, "msgfmt", "--check", "-o", "/dev/null", "-", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, text, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) == 0)
    return NULL;
  return g_strdup (err != NULL ? err : "?");
}

static void
assert_msgfmt_accepts (const char *text)
{
  g_autofree char *refusal = msgfmt_check (text);

  if (refusal != NULL)
    g_error ("msgfmt --check refuses:\n%s\n%s", refusal, text);
}

static void
test_apply (void)
{
  g_autofree char *text = read_data ("..", "data", "samples", "assembly-guide.de.po", NULL);
  g_autoptr(GlsPoFile) file = parse_ok (text);
  g_autoptr(GlsPoFile) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;
  const char *fuzzy_new =
    "Miss vor dem Einstecken des Kabels den Widerstand zwischen 5V und GND: Er "
    "sollte über 1 kΩ liegen. Stecke dann das Kabel ein. Die Betriebs-LED "
    "leuchtet, und die Spannung am Pin 3V3 liegt zwischen 3,25 V und 3,35 V.";
  const char *untranslated_new =
    "Halte RESET gedrückt, drücke dann RUN, um den Bootloader zu starten, und "
    "kopiere das Blink-Programm auf die Platine. Die vier LEDs blinken nun "
    "nacheinander. Gut gemacht!";
  GlsPoChange changes[] = {
    { 21, 0, untranslated_new },
    { 20, 0, fuzzy_new },
    { 13, 0, "Leuchtdioden \"LEDs\"" },
  };
  guint translated, fuzzy, untranslated;
  gsize length = 0;
  gint64 start, end;
  const char *first_change;

  result = gls_po_apply (file, changes, G_N_ELEMENTS (changes), &length, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (length, ==, strlen (result));
  assert_msgfmt_accepts (result);

  again = parse_ok (result);
  gls_po_file_count_states (again, &translated, &fuzzy, &untranslated);
  g_assert_cmpuint (translated, ==, 22);
  g_assert_cmpuint (fuzzy, ==, 0);
  g_assert_cmpuint (untranslated, ==, 0);
  g_assert_cmpstr (gls_po_message_get_msgstr (gls_po_file_get_message (again, 21), 0), ==, untranslated_new);
  g_assert_cmpstr (gls_po_message_get_msgstr (gls_po_file_get_message (again, 20), 0), ==, fuzzy_new);
  g_assert_cmpstr (gls_po_message_get_msgstr (gls_po_file_get_message (again, 13), 0), ==,
                   "Leuchtdioden \"LEDs\"");
  /* The fuzzy flag goes; the others stay. */
  g_assert_cmpstrv (gls_po_message_get_flags (gls_po_file_get_message (again, 20)),
                    ((const char * const[]) { "markdown-text", NULL }));
  g_assert_nonnull (strstr (result, "#. type: Plain text\n#: assembly-guide.md\n#, markdown-text\n"
                                    "msgid \"\"\n\"Before you plug"));
  /* Wrapped as msgcat would: "" then lines of at most 79 columns. */
  g_assert_nonnull (strstr (result,
                            "msgstr \"\"\n"
                            "\"Halte RESET gedrückt, drücke dann RUN, um den Bootloader zu starten, und \"\n"
                            "\"kopiere das Blink-Programm auf die Platine. Die vier LEDs blinken nun \"\n"
                            "\"nacheinander. Gut gemacht!\"\n"));
  g_assert_nonnull (strstr (result, "msgid \"LEDs\"\nmsgstr \"Leuchtdioden \\\"LEDs\\\"\"\n"));

  /* Everything before the first change is as it was, byte for byte. */
  g_assert_true (gls_po_file_get_span (file, 13, GLS_PO_PART_MSGSTR, 0, &start, &end));
  first_change = gls_po_file_get_text (file)
                 + gls_text_index_to_byte (gls_po_file_get_index (file), start);
  g_assert_cmpint (strncmp (result, text, first_change - gls_po_file_get_text (file)), ==, 0);
  /* And after the last one. */
  g_assert_true (g_str_has_suffix (result, "\"nacheinander. Gut gemacht!\"\n"));
  check_all_spans (again);
}

static void
test_apply_more (void)
{
  g_autofree char *plurals = read_data ("data", "po", "plurals.po", NULL);
  g_autofree char *escapes = read_data ("data", "po", "escapes.po", NULL);
  g_autofree char *escapes_crlf = crlf (escapes);
  g_autoptr(GlsPoFile) pl = parse_ok (plurals);
  g_autoptr(GlsPoFile) es = parse_ok (escapes);
  g_autoptr(GlsPoFile) es_crlf = parse_ok (escapes_crlf);
  g_autoptr(GError) error = NULL;
  const char *tricky = "Dis \"salut\" \\ à\ttous\nDeuxième ligne 🎉";

  /* A plural form, and the fuzzy message with its #| previous msgid. */
  {
    GlsPoChange changes[] = {
      { 1, 2, "%d projektów" },
      { 5, 0, "Zamknij wszystkie" },
    };
    g_autofree char *result = gls_po_apply (pl, changes, G_N_ELEMENTS (changes), NULL, &error);
    g_autoptr(GlsPoFile) again = NULL;
    const GlsPoMessage *msg;

    g_assert_no_error (error);
    assert_msgfmt_accepts (result);
    again = parse_ok (result);
    msg = gls_po_file_get_message (again, 1);
    g_assert_cmpstr (gls_po_message_get_msgstr (msg, 2), ==, "%d projektów");
    g_assert_false (gls_po_message_is_untranslated (msg));
    msg = gls_po_file_get_message (again, 5);
    g_assert_false (gls_po_message_is_fuzzy (msg));
    g_assert_null (strstr (result, "#| msgid \"Close\""));
    g_assert_nonnull (strstr (result, "# Translator's note: keep it short.\n#: src/ui/gls-window.c:90\n"
                                      "msgid \"Close All\"\nmsgstr \"Zamknij wszystkie\"\n"));
    /* The obsolete fuzzy entry's flag is not ours to touch. */
    g_assert_nonnull (strstr (result, "#, fuzzy\n#~ msgctxt \"verb\"\n"));
  }

  /* Escapes, split at the inner \n, in a LF and in a CRLF file. */
  for (guint round = 0; round < 2; round++)
    {
      GlsPoFile *file = round == 0 ? es : es_crlf;
      GlsPoChange change = { 2, 0, tricky };
      g_autofree char *result = gls_po_apply (file, &change, 1, NULL, &error);
      g_autoptr(GlsPoFile) again = NULL;
      const char *eol = round == 0 ? "\n" : "\r\n";
      g_autofree char *expected = g_strdup_printf ("msgstr \"\"%s"
                                                   "\"Dis \\\"salut\\\" \\\\ à\\ttous\\n\"%s"
                                                   "\"Deuxième ligne 🎉\"%s",
                                                   eol, eol, eol);

      g_assert_no_error (error);
      g_assert_nonnull (strstr (result, expected));
      if (round == 1)
        {
          /* No bare line feed came in. */
          for (const char *p = strchr (result, '\n'); p != NULL; p = strchr (p + 1, '\n'))
            g_assert_true (p > result && p[-1] == '\r');
        }
      again = parse_ok (result);
      g_assert_cmpstr (gls_po_message_get_msgstr (gls_po_file_get_message (again, 2), 0), ==, tricky);
      assert_msgfmt_accepts (result);
      check_all_spans (again);
    }

  /* Refusals name the message's line; nothing is written. */
  {
    GlsPoChange lost = { 0, 1, "komentarze" };  /* form 1 serves 2–4, 22–24…: needs %d */
    GlsPoChange twice[] = { { 2, 0, "Otwórz!" }, { 2, 0, "Otwórz?" } };
    GlsPoChange obsolete = { 6, 0, "Udostępnij!" };
    g_autofree char *r1 = gls_po_apply (pl, &lost, 1, NULL, &error);

    g_assert_null (r1);
    g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (error->message, "Message at line 20: "));
    g_assert_nonnull (strstr (error->message, "“%d”"));
    g_clear_error (&error);
    g_assert_null (gls_po_apply (pl, twice, 2, NULL, &error));
    g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_null (gls_po_apply (pl, &obsolete, 1, NULL, &error));
    g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_UNSUPPORTED);
    g_clear_error (&error);
  }

  /* No change: the same text. */
  {
    gsize length = 0;
    g_autofree char *same = gls_po_apply (pl, NULL, 0, &length, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (same, ==, plurals);
    g_assert_cmpuint (length, ==, strlen (plurals));
  }
}

static void
test_wrapping (void)
{
  /* A file written with msgcat --no-wrap keeps long lines. */
  const char *no_wrap =
    "msgid \"\"\n"
    "msgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n"
    "\n"
    "msgid \"A\"\n"
    "msgstr \"This translation is long enough to run past the seventy-ninth column of the page\"\n";
  const char *long_text =
    "Eine Übersetzung, die lang genug ist, um über die neunundsiebzigste Spalte der Seite zu laufen";
  g_autoptr(GlsPoFile) file = parse_ok (no_wrap);
  g_autoptr(GError) error = NULL;
  GlsPoChange change = { 0, 0, long_text };
  g_autofree char *result = gls_po_apply (file, &change, 1, NULL, &error);
  g_autofree char *expected = g_strdup_printf ("msgstr \"%s\"\n", long_text);
  g_autofree char *short_result = NULL;
  GlsPoChange short_change = { 0, 0, "Kurz" };

  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (result, expected));
  short_result = gls_po_apply (file, &short_change, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (short_result, "msgid \"A\"\nmsgstr \"Kurz\"\n"));

  /* A word longer than a line stays whole. */
  {
    g_autoptr(GlsPoFile) sample = parse_ok ("msgid \"B\"\nmsgstr \"b\"\n");
    g_autoptr(GString) word = g_string_new ("Ein ");
    g_autofree char *wrapped = NULL;
    g_autoptr(GlsPoFile) again = NULL;
    GlsPoChange long_word = { 0, 0, NULL };

    for (guint i = 0; i < 100; i++)
      g_string_append_c (word, 'x');
    g_string_append (word, " Wort");
    long_word.translation = word->str;
    wrapped = gls_po_apply (sample, &long_word, 1, NULL, &error);
    g_assert_no_error (error);
    again = parse_ok (wrapped);
    g_assert_cmpstr (gls_po_message_get_msgstr (gls_po_file_get_message (again, 0), 0), ==, word->str);
    g_assert_nonnull (strstr (wrapped, "msgstr \"\"\n\"Ein \"\n\"xxxx"));
  }
}

static void
test_flags (void)
{
  /* libgettextpo splits flags at spaces as well as commas. */
  const char *text =
    "#,fuzzy c-format  no-wrap\n"
    "#| msgid \"%s old\"\n"
    "msgid \"%s new\"\n"
    "msgstr \"%s alt\"\n";
  g_autoptr(GlsPoFile) file = parse_ok (text);
  g_autoptr(GError) error = NULL;
  GlsPoChange change = { 0, 0, "%s neu" };
  g_autofree char *result = NULL;

  g_assert_cmpstrv (gls_po_message_get_flags (gls_po_file_get_message (file, 0)),
                    ((const char * const[]) { "fuzzy", "c-format", "no-wrap", NULL }));
  g_assert_true (gls_po_message_is_fuzzy (gls_po_file_get_message (file, 0)));
  result = gls_po_apply (file, &change, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, "#, c-format, no-wrap\nmsgid \"%s new\"\nmsgstr \"%s neu\"\n");
}

static void
on_parsed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GlsPoFile **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = gls_po_file_new_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async (void)
{
  g_autofree char *text = read_data ("data", "po", "plurals.po", NULL);
  g_autoptr(GlsPoFile) file = NULL;

  gls_po_file_new_async (text, -1, NULL, on_parsed, &file);
  /* The text is copied: the caller's may go at once. */
  memset (text, 'x', strlen (text));
  while (file == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (gls_po_file_get_n_messages (file), ==, 9);
  g_assert_cmpstr (gls_po_message_get_msgid (gls_po_file_get_message (file, 0)), ==, "%d comment");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/po/sample", test_sample);
  g_test_add_func ("/core/po/plurals", test_plurals);
  g_test_add_func ("/core/po/escapes", test_escapes);
  g_test_add_func ("/core/po/template", test_template);
  g_test_add_func ("/core/po/broken", test_broken);
  g_test_add_func ("/core/po/check", test_check);
  g_test_add_func ("/core/po/apply", test_apply);
  g_test_add_func ("/core/po/apply-more", test_apply_more);
  g_test_add_func ("/core/po/wrapping", test_wrapping);
  g_test_add_func ("/core/po/flags", test_flags);
  g_test_add_func ("/core/po/async", test_async);

  return g_test_run ();
}
