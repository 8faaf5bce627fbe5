/* test-core-reanchor.c: threads made on one version of a text or a PO
 * file, found in the next
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gls-po.h"
#include "gls-reanchor.h"

#define HEADER "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"

static GlsPoFile *
po_new (const char *text)
{
  g_autoptr(GError) error = NULL;
  GlsPoFile *po = gls_po_file_new (text, -1, &error);

  g_assert_no_error (error);
  g_assert_true (gls_po_file_has_spans (po));
  return po;
}

/* A selector on `exact`, found once in the file's text. */
static void
select_quote (GlsPoFile   *po,
              const char  *exact,
              GlsSelector *out)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gls_text_select_quote (gls_po_file_get_index (po), exact, NULL, NULL, out, &error));
  g_assert_no_error (error);
}

static char *
text_at (GlsPoFile *po,
         gint64     start,
         gint64     end)
{
  GlsTextIndex *index = gls_po_file_get_index (po);
  gsize from = gls_text_index_to_byte (index, start);

  return g_strndup (gls_text_index_get_text (index) + from, gls_text_index_to_byte (index, end) - from);
}

static void
test_po_message_first (void)
{
  g_autoptr(GlsPoFile) old_po = po_new (HEADER
                                        "msgid \"Solder R1\"\nmsgstr \"Löte R1\"\n\n"
                                        "msgid \"Solder the LEDs with the cathode towards the edge\"\n"
                                        "msgstr \"Löte die LEDs mit der Kathode zur Mitte\"\n\n"
                                        "msgctxt \"button\"\nmsgid \"Run\"\nmsgstr \"Start\"\n");
  /* The next version: a message added before, the first one's
   * translation longer, "Run" moved to the top, the LED message's
   * translation reworded around the passage. */
  g_autoptr(GlsPoFile) po = po_new (HEADER
                                    "msgctxt \"button\"\nmsgid \"Run\"\nmsgstr \"Start\"\n\n"
                                    "msgid \"New message\"\nmsgstr \"Neue Nachricht\"\n\n"
                                    "msgid \"Solder R1\"\nmsgstr \"Löte den Widerstand R1 ein\"\n\n"
                                    "msgid \"Solder the LEDs with the cathode towards the edge\"\n"
                                    "msgstr \"Die LEDs mit der Kathode zur Mitte einlöten\"\n");
  g_auto(GlsSelector) kathode = { 0, };
  g_auto(GlsSelector) r1 = { 0, };
  g_auto(GlsSelector) start = { 0, };
  g_auto(GlsSelector) source = { 0, };
  g_autofree char *now = NULL;
  gint64 s, e;

  select_quote (old_po, "Kathode zur Mitte", &kathode);
  select_quote (old_po, "\"Löte R1\"", &r1);
  select_quote (old_po, "\"Start\"", &start);
  select_quote (old_po, "cathode", &source);

  /* The same words in the same message, which moved: moved. */
  g_assert_cmpint (gls_reanchor (old_po, gls_po_file_get_index (po), po, &kathode, &s, &e), ==, GLS_ANCHOR_MOVED);
  now = text_at (po, s, e);
  g_assert_cmpstr (now, ==, "Kathode zur Mitte");
  g_clear_pointer (&now, g_free);

  /* A whole translation that was reworded: changed, the whole new one. */
  g_assert_cmpint (gls_reanchor (old_po, gls_po_file_get_index (po), po, &r1, &s, &e), ==, GLS_ANCHOR_CHANGED);
  now = text_at (po, s, e);
  g_assert_cmpstr (now, ==, "\"Löte den Widerstand R1 ein\"");
  g_clear_pointer (&now, g_free);

  /* By context and source: the "button" message, moved to the top. */
  g_assert_cmpint (gls_reanchor (old_po, gls_po_file_get_index (po), po, &start, &s, &e), ==, GLS_ANCHOR_MOVED);
  now = text_at (po, s, e);
  g_assert_cmpstr (now, ==, "\"Start\"");
  g_assert_cmpint (gls_po_file_message_at (po, s), ==, gls_po_file_find (po, "button", "Run"));
  g_clear_pointer (&now, g_free);

  /* A passage of the source, in the same message. */
  g_assert_cmpint (gls_reanchor (old_po, gls_po_file_get_index (po), po, &source, &s, &e), ==, GLS_ANCHOR_MOVED);
  now = text_at (po, s, e);
  g_assert_cmpstr (now, ==, "cathode");
}

static void
test_po_message_gone (void)
{
  g_autoptr(GlsPoFile) old_po = po_new (HEADER "msgid \"Blink\"\nmsgstr \"Blinken\"\n\n"
                                        "msgid \"Glow\"\nmsgstr \"Leuchten\"\n");
  g_autoptr(GlsPoFile) po = po_new (HEADER "msgid \"Glow\"\nmsgstr \"Leuchten\"\n");
  g_auto(GlsSelector) gone = { 0, };
  g_auto(GlsSelector) glow = { 0, };
  gint64 s, e;

  select_quote (old_po, "Blinken", &gone);
  select_quote (old_po, "Leuchten", &glow);
  /* Its message gone, the text has nothing like it. */
  g_assert_cmpint (gls_reanchor (old_po, gls_po_file_get_index (po), po, &gone, &s, &e), ==, GLS_ANCHOR_ORPHANED);
  g_assert_cmpint (s, ==, -1);
  g_assert_cmpint (gls_reanchor (old_po, gls_po_file_get_index (po), po, &glow, &s, &e), ==, GLS_ANCHOR_MOVED);
  /* Without the old file, the text alone finds it too. */
  g_assert_cmpint (gls_reanchor (NULL, gls_po_file_get_index (po), po, &glow, &s, &e), ==, GLS_ANCHOR_MOVED);
}

static void
test_text (void)
{
  const char *old_text = "Intro 🎉.\nSolder R1 first.\nThe end.\n";
  const char *new_text = "Intro 🎉.\nA line.\nSolder R1 first.\nThe end.\n";
  g_autoptr(GlsTextIndex) old_index = gls_text_index_new (old_text, -1);
  g_autoptr(GlsTextIndex) new_index = gls_text_index_new (new_text, -1);
  g_auto(GlsSelector) selector = { 0, };
  gint64 s, e;

  g_assert_true (gls_text_select_quote (old_index, "R1 first", NULL, NULL, &selector, NULL));
  g_assert_cmpint (gls_reanchor (NULL, old_index, NULL, &selector, &s, &e), ==, GLS_ANCHOR_IN_PLACE);
  g_assert_cmpint (gls_reanchor (NULL, new_index, NULL, &selector, &s, &e), ==, GLS_ANCHOR_MOVED);
  g_assert_cmpint (s, ==, g_utf8_pointer_to_offset (new_text, strstr (new_text, "R1 first")));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/reanchor/po-message-first", test_po_message_first);
  g_test_add_func ("/core/reanchor/po-message-gone", test_po_message_gone);
  g_test_add_func ("/core/reanchor/text", test_text);

  return g_test_run ();
}
