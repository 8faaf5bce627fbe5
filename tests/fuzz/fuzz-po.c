/* fuzz-po.c: PO files, their spans and changes to them
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is the bytes of a file added as a translation design:
 * gls_text_decode, then gls_po_file_new. Oracles:
 * - a file or a GLS_CORE_ERROR (INVALID or UNSUPPORTED), never both,
 *   never an exit (libgettextpo's own error handling exits);
 * - a file that parses has spans (the scanner follows libgettextpo);
 * - every entry inside the text, in order, not overlapping,
 *   found again by gls_po_file_message_at; every string part inside its
 *   entry; each offset of a value maps into the part and back
 *   (value → text → value), and a character written as itself is there;
 *   gls_po_file_find finds a message with the same context and source;
 * - a change to one message (its source, or the input's own bytes, as
 *   the new translation) that gls_po_check_translation accepts applies,
 *   and the result reads back with that translation and every other
 *   message as it was.
 */

#define G_LOG_DOMAIN "fuzz-po"

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "gls-po.h"
#include "gls-text.h"
#include "gls-types.h"

/* Value offsets checked per input, at most: long strings cost O(n²). */
#define MAX_OFFSETS 2048

/* libgettextpo leaks as it recovers from syntax errors, and in reading
 * msgctxt (not ours to fix): LeakSanitizer's hook for suppressions. */
const char *__lsan_default_suppressions (void);

const char *
__lsan_default_suppressions (void)
{
  return "leak:libgettextpo.so\n";
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  static char *args[64];
  gboolean given = FALSE;

  fuzz_init (argc, argv);

  /* libgettextpo leaks on most broken inputs, and libFuzzer then runs
   * a whole LeakSanitizer scan after each (a quarter of the speed).
   * Leaks are looked for once, at exit, instead (libgettextpo's are
   * suppressed above); libFuzzer reads its flags after this. */
  for (int i = 0; i < *argc; i++)
    if (g_str_has_prefix ((*argv)[i], "-detect_leaks="))
      given = TRUE;
  if (!given && *argc < (int) G_N_ELEMENTS (args) - 2)
    {
      for (int i = 0; i < *argc; i++)
        args[i] = (*argv)[i];
      args[(*argc)++] = (char *) "-detect_leaks=0";
      args[*argc] = NULL;
      *argv = args;
    }
  return 0;
}

static guint offsets_left;

static void
check_part (GlsPoFile  *file,
            guint       index,
            GlsPoPart   part,
            guint       form,
            const char *value,
            gint64      entry_start,
            gint64      entry_end)
{
  GlsTextIndex *text_index = gls_po_file_get_index (file);
  const char *text = gls_po_file_get_text (file);
  gint64 start, end, length, previous, step, next;
  const char *p;

  fuzz_check (gls_po_file_get_span (file, index, part, form, &start, &end),
              "message %u: part %d/%u has a span", index, part, form);
  fuzz_check (entry_start <= start && start < end && end <= entry_end,
              "message %u: part %d/%u [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ") inside its entry",
              index, part, form, start, end);
  fuzz_check (text[gls_text_index_to_byte (text_index, start)] == '"'
              && text[gls_text_index_to_byte (text_index, end - 1)] == '"',
              "message %u: part %d/%u starts and ends with a quote", index, part, form);

  length = g_utf8_strlen (value, -1);
  previous = start;
  p = value;
  /* Each offset costs a walk of the part: the first and last ones, and
   * a sample in between. */
  step = length > 64 ? length / 32 : 1;
  for (gint64 v = 0; v <= length && offsets_left > 0; offsets_left--)
    {
      gint64 t = gls_po_file_value_to_text (file, index, part, form, v);
      gint64 back;

      fuzz_check (t > previous && t < end,
                  "message %u: part %d/%u: value offset %" G_GINT64_FORMAT " maps inside, in order",
                  index, part, form, v);
      previous = t;
      back = gls_po_file_text_to_value (file, index, part, form, t);
      fuzz_check (back == v, "message %u: part %d/%u: %" G_GINT64_FORMAT " → %" G_GINT64_FORMAT
                  " → %" G_GINT64_FORMAT, index, part, form, v, t, back);
      if (v < length)
        {
          gunichar c = g_utf8_get_char (p);
          const char *at = text + gls_text_index_to_byte (text_index, t);

          fuzz_check (*at == '\\' || g_utf8_get_char (at) == c,
                      "message %u: part %d/%u: value offset %" G_GINT64_FORMAT
                      " is its character or an escape", index, part, form, v);
        }
      next = v < 16 || v >= length - 16 ? v + 1 : MIN (v + step, length - 16);
      for (; v < next && v < length; v++)
        p = g_utf8_next_char (p);
      v = next;
    }
  fuzz_check (gls_po_file_value_to_text (file, index, part, form, length + 1) == -1,
              "past the value: -1");
  fuzz_check (gls_po_file_text_to_value (file, index, part, form, end + 1) == -1,
              "past the span: -1");
}

static void
check_spans (GlsPoFile *file)
{
  gint64 length = gls_text_index_get_length (gls_po_file_get_index (file));
  gint64 last_end = 0;

  offsets_left = MAX_OFFSETS;
  for (guint i = 0; i < gls_po_file_get_n_messages (file); i++)
    {
      const GlsPoMessage *msg = gls_po_file_get_message (file, i);
      gint64 start, end;

      fuzz_check (gls_po_file_get_span (file, i, GLS_PO_PART_ENTRY, 0, &start, &end),
                  "message %u has an entry span", i);
      fuzz_check (last_end <= start && start < end && end <= length,
                  "message %u: entry in order inside the text", i);
      last_end = end;
      fuzz_check (gls_po_file_message_at (file, start) == (gint) i
                  && gls_po_file_message_at (file, end - 1) == (gint) i,
                  "message %u found at its entry", i);

      if (gls_po_message_get_msgctxt (msg) != NULL)
        check_part (file, i, GLS_PO_PART_MSGCTXT, 0, gls_po_message_get_msgctxt (msg), start, end);
      check_part (file, i, GLS_PO_PART_MSGID, 0, gls_po_message_get_msgid (msg), start, end);
      if (gls_po_message_get_msgid_plural (msg) != NULL)
        check_part (file, i, GLS_PO_PART_MSGID_PLURAL, 0, gls_po_message_get_msgid_plural (msg),
                    start, end);
      for (guint f = 0; f < gls_po_message_get_n_forms (msg); f++)
        check_part (file, i, GLS_PO_PART_MSGSTR, f, gls_po_message_get_msgstr (msg, f), start, end);
    }
}

static void
check_find (GlsPoFile *file)
{
  for (guint i = 0; i < gls_po_file_get_n_messages (file); i++)
    {
      const GlsPoMessage *msg = gls_po_file_get_message (file, i);
      gint found = gls_po_file_find (file, gls_po_message_get_msgctxt (msg),
                                     gls_po_message_get_msgid (msg));
      const GlsPoMessage *other;

      fuzz_check (found >= 0, "message %u is found by its source", i);
      other = gls_po_file_get_message (file, found);
      fuzz_check (g_strcmp0 (gls_po_message_get_msgctxt (other), gls_po_message_get_msgctxt (msg)) == 0
                  && strcmp (gls_po_message_get_msgid (other), gls_po_message_get_msgid (msg)) == 0,
                  "message %u: found one has the same context and source", i);
      fuzz_check (!gls_po_message_is_obsolete (other) || gls_po_message_is_obsolete (msg),
                  "message %u: an obsolete one is not found before a live one", i);
    }
}

/* UTF-8 from the input's bytes: what a suggestion could hold. */
static char *
text_from_bytes (const guint8 *data,
                 size_t        size)
{
  const guint8 *nul = memchr (data, '\0', size);

  /* Up to a NUL, which no translation holds (and which GLib 2.74's
   * g_utf8_make_valid reads past). */
  if (nul != NULL)
    size = nul - data;
  return g_utf8_make_valid ((const char *) data, size);
}

static void
check_change (GlsPoFile    *file,
              const guint8 *data,
              size_t        size)
{
  guint n = gls_po_file_get_n_messages (file);
  guint32 seed = 2166136261u;
  g_autoptr(GRand) rand = NULL;
  g_autofree char *translation = NULL;
  g_autofree char *result = NULL;
  g_autoptr(GlsPoFile) again = NULL;
  g_autoptr(GError) error = NULL;
  const GlsPoMessage *msg;
  GlsPoChange change;
  gsize length = 0;
  guint mode;

  if (n == 0)
    return;
  for (size_t i = 0; i < size; i++)
    seed = (seed ^ data[i]) * 16777619u;
  rand = g_rand_new_with_seed (seed);
  change.index = g_rand_int_range (rand, 0, n);
  msg = gls_po_file_get_message (file, change.index);
  change.form = g_rand_int_range (rand, 0, gls_po_message_get_n_forms (msg));
  mode = g_rand_int_range (rand, 0, 4);
  if (mode == 0)
    {
      /* Bytes of the input itself, made UTF-8: escapes, quotes, lines. */
      gsize from = g_rand_int_range (rand, 0, size + 1);
      gsize want = g_rand_int_range (rand, 0, 300);
      gsize len = MIN (size - from, want);

      translation = text_from_bytes (data + from, len);
    }
  else
    {
      /* The source (directives and all), with words added or not. */
      const char *source = change.form > 0 && gls_po_message_get_msgid_plural (msg) != NULL
                           ? gls_po_message_get_msgid_plural (msg)
                           : gls_po_message_get_msgid (msg);

      translation = mode == 1 ? g_strdup (source)
                    : mode == 2 ? g_strconcat (source, " übersetzt \"ok\" \\ 🎉", NULL)
                    : g_strconcat ("« ", source, " » — une traduction assez longue pour "
                                   "passer à la ligne, avec des espaces et des mots", NULL);
    }
  change.translation = translation;

  if (!gls_po_check_translation (file, change.index, change.form, translation, &error))
    {
      fuzz_check (error != NULL && error->domain == GLS_CORE_ERROR
                  && (error->code == GLS_CORE_ERROR_INVALID || error->code == GLS_CORE_ERROR_UNSUPPORTED),
                  "a refusal is a core error");
      return;
    }

  result = gls_po_apply (file, &change, 1, &length, &error);
  fuzz_check (result != NULL, "an accepted change applies: %s", error != NULL ? error->message : "");
  fuzz_check (length == strlen (result), "the length");
  again = gls_po_file_new (result, length, &error);
  fuzz_check (again != NULL, "the result reads back: %s", error != NULL ? error->message : "");
  fuzz_check (gls_po_file_has_spans (again), "the result has spans");
  fuzz_check (gls_po_file_get_n_messages (again) == n, "the same messages");
  for (guint i = 0; i < n; i++)
    {
      const GlsPoMessage *before = gls_po_file_get_message (file, i);
      const GlsPoMessage *after = gls_po_file_get_message (again, i);

      fuzz_check (g_strcmp0 (gls_po_message_get_msgctxt (before), gls_po_message_get_msgctxt (after)) == 0
                  && strcmp (gls_po_message_get_msgid (before), gls_po_message_get_msgid (after)) == 0
                  && gls_po_message_get_n_forms (before) == gls_po_message_get_n_forms (after),
                  "message %u: the same source", i);
      for (guint f = 0; f < gls_po_message_get_n_forms (before); f++)
        {
          const char *expected = i == change.index && f == change.form
                                 ? translation : gls_po_message_get_msgstr (before, f);

          fuzz_check (strcmp (gls_po_message_get_msgstr (after, f), expected) == 0,
                      "message %u form %u: as changed", i, f);
        }
      if (i == change.index)
        fuzz_check (!gls_po_message_is_fuzzy (after), "a changed message is not fuzzy");
      else
        fuzz_check (gls_po_message_is_fuzzy (after) == gls_po_message_is_fuzzy (before),
                    "message %u: fuzzy as before", i);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsPoFile) file = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;

  text = gls_text_decode (bytes, &length, NULL);
  if (text == NULL)
    return 0;
  file = gls_po_file_new (text, length, &error);
  fuzz_check ((file == NULL) != (error == NULL), "a file or an error");
  if (file == NULL)
    {
      fuzz_check (error->domain == GLS_CORE_ERROR
                  && (error->code == GLS_CORE_ERROR_INVALID || error->code == GLS_CORE_ERROR_UNSUPPORTED),
                  "a core error, INVALID or UNSUPPORTED: %s", error->message);
      return 0;
    }
  fuzz_check (strcmp (gls_po_file_get_text (file), text) == 0, "the text kept");
  check_find (file);
  /* The scanner follows every file libgettextpo accepts (without spans
   * the file would still show, but comments could not be anchored). */
  fuzz_check (gls_po_file_has_spans (file), "a file that parses has spans");
  check_spans (file);
  check_change (file, data, size);
  return 0;
}
