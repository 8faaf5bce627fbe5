/* bench-po.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * How long a big PO file takes to open (issue 9, point 10: a
 * 10,000-message file opens to first paint under 300 ms): a generated
 * file of N messages as msgmerge writes them (comments, references,
 * flags, strings wrapped over lines, plurals, contexts, fuzzy and
 * untranslated ones, non-ASCII), decoded and parsed by GlsPoFile
 * (libgettextpo and the scanner); libgettextpo's read alone for
 * comparison; then what the view and re-anchoring ask of it.
 *
 *   bench-po [N]   (default 10000)
 */

#include "config.h"

#include <gettext-po.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gls-po.h"
#include "gls-text.h"

#define ROUNDS 5

static const char *words[] = {
  "board", "solder", "the", "joint", "regulator", "Lötstelle", "Platine", "größer",
  "LED", "cathode", "capacitor", "résistance", "and", "with", "a", "of", "to",
};

static void
append_sentence (GString *out,
                 guint    seed,
                 guint    n_words)
{
  for (guint w = 0; w < n_words; w++)
    g_string_append_printf (out, "%s%s", w > 0 ? " " : "",
                            words[(seed * 7 + w * 13) % G_N_ELEMENTS (words)]);
}

/* A string as msgcat writes it after "keyword ": wrapped at 79 columns. */
static void
append_string (GString    *out,
               const char *keyword,
               const char *value)
{
  if (strlen (keyword) + 3 + strlen (value) <= 79)
    {
      g_string_append_printf (out, "%s \"%s\"\n", keyword, value);
      return;
    }
  g_string_append_printf (out, "%s \"\"\n", keyword);
  while (*value != '\0')
    {
      gsize len = strlen (value);
      gsize cut = len;

      if (len > 70)
        {
          cut = 70;
          while (cut > 0 && value[cut - 1] != ' ')
            cut--;
          if (cut == 0)
            cut = len;
        }
      g_string_append_printf (out, "\"%.*s\"\n", (int) cut, value);
      value += cut;
    }
}

static char *
build_po (guint n)
{
  GString *out = g_string_new (NULL);

  g_string_append (out,
                   "# German translation of a big project.\n"
                   "msgid \"\"\n"
                   "msgstr \"\"\n"
                   "\"Project-Id-Version: big 1.0\\n\"\n"
                   "\"Language: de\\n\"\n"
                   "\"MIME-Version: 1.0\\n\"\n"
                   "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
                   "\"Content-Transfer-Encoding: 8bit\\n\"\n"
                   "\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n\n");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GString) id = g_string_new (NULL);
      g_autoptr(GString) str = g_string_new (NULL);
      g_autofree char *ref = g_strdup_printf ("#: src/file-%u.c:%u src/other.c:%u\n",
                                              i % 97, i, i * 3);

      g_string_append_printf (id, "Message %u: ", i);
      append_sentence (id, i, 3 + i % 25);
      g_string_append_printf (str, "Nachricht %u: ", i);
      append_sentence (str, i + 5, 3 + i % 27);

      if (i % 5 == 0)
        g_string_append (out, "# Translator's note.\n");
      g_string_append (out, "#. Extracted comment\n");
      g_string_append (out, ref);
      if (i % 10 == 3)
        g_string_append (out, "#, fuzzy, c-format\n");
      else if (i % 4 == 0)
        g_string_append (out, "#, c-format\n");
      if (i % 4 == 0)
        {
          g_string_append (id, " %s");
          g_string_append (str, " %s");
        }
      if (i % 13 == 0)
        g_string_append_printf (out, "msgctxt \"context %u\"\n", i % 7);
      if (i % 11 == 0)
        {
          g_autofree char *plural = g_strconcat (id->str, " (plural)", NULL);
          g_autofree char *form1 = g_strconcat (str->str, " (Mehrzahl)", NULL);

          append_string (out, "msgid", id->str);
          append_string (out, "msgid_plural", plural);
          append_string (out, "msgstr[0]", str->str);
          append_string (out, "msgstr[1]", i % 3 == 0 ? "" : form1);
        }
      else
        {
          append_string (out, "msgid", id->str);
          append_string (out, "msgstr", i % 17 == 0 ? "" : str->str);
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static void
xerror (int severity, po_message_t message, const char *filename, size_t lineno,
        size_t column, int multiline_p, const char *message_text)
{
}

static void
xerror2 (int severity, po_message_t message1, const char *filename1, size_t lineno1,
         size_t column1, int multiline_p1, const char *message_text1,
         po_message_t message2, const char *filename2, size_t lineno2,
         size_t column2, int multiline_p2, const char *message_text2)
{
}

static const struct po_xerror_handler handler = { xerror, xerror2 };

/* libgettextpo's own read of the same bytes, from a file. */
static guint
read_with_gettextpo (const char *text,
                     gsize       length)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("bench-po-XXXXXX.po", &path, NULL);
  po_file_t file;
  po_message_iterator_t it;
  guint n = 0;

  g_assert (fd >= 0);
  g_assert (write (fd, text, length) == (gssize) length);
  close (fd);
  file = po_file_read (path, &handler);
  it = po_message_iterator (file, NULL);
  while (po_next_message (it) != NULL)
    n++;
  po_message_iterator_free (it);
  po_file_free (file);
  g_unlink (path);
  return n;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 10000;
  g_autofree char *po = build_po (n);
  gsize po_length = strlen (po);
  g_autoptr(GBytes) bytes = g_bytes_new_static (po, po_length);
  enum { DECODE, PARSE, OPEN, LIBRARY, COUNT, FIND, AT, CHECK, APPLY, N_STEPS };
  static const char *names[N_STEPS] = {
    "gls_text_decode",
    "gls_po_file_new",
    "open: decode + parse + count states",
    "libgettextpo's po_file_read alone",
    "count states (filters)",
    "find every message by context + source",
    "message_at every entry start",
    "check one translation",
    "apply one change (+ read back, checked)",
  };
  double ms[N_STEPS][ROUNDS];
  guint n_messages = 0;

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GlsPoFile) file = NULL;
      g_autofree char *text = NULL;
      g_autofree char *applied = NULL;
      const GlsPoMessage *msg;
      guint translated, fuzzy, untranslated;
      gsize length;
      gint64 t0, t1, t2, t3;
      GlsPoChange change;

      t0 = g_get_monotonic_time ();
      text = gls_text_decode (bytes, &length, &error);
      g_assert_no_error (error);
      t1 = g_get_monotonic_time ();
      file = gls_po_file_new (text, length, &error);
      g_assert_no_error (error);
      g_assert (gls_po_file_has_spans (file));
      t2 = g_get_monotonic_time ();
      gls_po_file_count_states (file, &translated, &fuzzy, &untranslated);
      t3 = g_get_monotonic_time ();
      ms[DECODE][round] = (t1 - t0) / 1000.0;
      ms[PARSE][round] = (t2 - t1) / 1000.0;
      ms[COUNT][round] = (t3 - t2) / 1000.0;
      ms[OPEN][round] = (t3 - t0) / 1000.0;
      n_messages = gls_po_file_get_n_messages (file);
      g_assert (n_messages == n);

      t0 = g_get_monotonic_time ();
      g_assert (read_with_gettextpo (po, po_length) == n + 1);
      ms[LIBRARY][round] = (g_get_monotonic_time () - t0) / 1000.0;

      t0 = g_get_monotonic_time ();
      for (guint i = 0; i < n_messages; i++)
        {
          msg = gls_po_file_get_message (file, i);
          g_assert (gls_po_file_find (file, gls_po_message_get_msgctxt (msg),
                                      gls_po_message_get_msgid (msg)) == (gint) i);
        }
      ms[FIND][round] = (g_get_monotonic_time () - t0) / 1000.0;

      t0 = g_get_monotonic_time ();
      for (guint i = 0; i < n_messages; i++)
        {
          gint64 start;

          gls_po_file_get_span (file, i, GLS_PO_PART_ENTRY, 0, &start, NULL);
          g_assert (gls_po_file_message_at (file, start) == (gint) i);
        }
      ms[AT][round] = (g_get_monotonic_time () - t0) / 1000.0;

      msg = gls_po_file_get_message (file, 8);
      change.index = 8;
      change.form = 0;
      change.translation = "%s eine neue Übersetzung";
      g_assert (gls_po_message_has_format (msg, "c-format"));
      t0 = g_get_monotonic_time ();
      g_assert (gls_po_check_translation (file, change.index, change.form, change.translation, NULL));
      ms[CHECK][round] = (g_get_monotonic_time () - t0) / 1000.0;

      t0 = g_get_monotonic_time ();
      applied = gls_po_apply (file, &change, 1, NULL, &error);
      g_assert_no_error (error);
      ms[APPLY][round] = (g_get_monotonic_time () - t0) / 1000.0;
    }

  for (guint s = 0; s < N_STEPS; s++)
    qsort (ms[s], ROUNDS, sizeof (double), compare_double);

  g_print ("\nbench-po: a PO file of %u messages, %.1f MB, %d rounds\n\n",
           n_messages, po_length / 1e6, ROUNDS);
  g_print ("| step                                       | median ms | best ms |\n");
  g_print ("| ------------------------------------------ | --------: | ------: |\n");
  for (guint s = 0; s < N_STEPS; s++)
    g_print ("| %-42s | %9.1f | %7.1f |\n", names[s], ms[s][ROUNDS / 2], ms[s][0]);
  g_print ("\nThe budget for opening (issue 9, point 10) is 300 ms to first paint.\n");
  return 0;
}
