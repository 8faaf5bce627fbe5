/* test-ui-po.c: the PO message list, alone and in the window.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ui-po"

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "gls-po-view-private.h"
#include "gls-text.h"
#include "gls-text-view-private.h"
#include "gls-threads-panel.h"
#include "gls-window-private.h"
#include "test-util.h"

typedef struct
{
  GtkWindow *window;
  GlsPoView *view;
  char      *text;
} ViewFixture;

static char *
read_sample (const char *name)
{
  g_autofree char *path = test_sample_path (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  return contents;
}

static gboolean
list_shown (gpointer data)
{
  GlsPoView *view = data;

  return gls_po_view_get_file (view) != NULL &&
         g_strcmp0 (_gls_po_view_get_page (view), "list") == 0 &&
         gtk_widget_get_mapped (GTK_WIDGET (_gls_po_view_get_list_view (view))) &&
         _gls_po_view_get_row (view, gls_po_view_get_visible_index (view, 0)) != NULL;
}

static void
view_setup (ViewFixture   *f,
            gconstpointer  data)
{
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1000, 600);
  f->view = GLS_PO_VIEW (gls_po_view_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  gtk_window_present (f->window);

  f->text = read_sample ("assembly-guide.de.po");
  gls_po_view_set_text (f->view, f->text);
  g_assert_true (test_wait_for (list_shown, f->view, 20, "the messages"));
  gtk_widget_grab_focus (GTK_WIDGET (f->view));
  test_settle (50);
}

static void
view_teardown (ViewFixture   *f,
               gconstpointer  data)
{
  gtk_window_destroy (f->window);
  test_settle (20);
  g_free (f->text);
}

/* The code point offset of @needle in @text, which must hold it once. */
static gint64
offset_of (const char *text,
           const char *needle)
{
  const char *at = strstr (text, needle);

  g_assert_nonnull (at);
  g_assert_null (strstr (at + 1, needle));
  return g_utf8_pointer_to_offset (text, at);
}

static gint
find_message (GlsPoView  *view,
              const char *msgid)
{
  gint index = gls_po_file_find (gls_po_view_get_file (view), NULL, msgid);

  g_assert_cmpint (index, >=, 0);
  return index;
}

typedef struct
{
  guint        n;
  GlsSelector *selector;
  char        *text;
} Requested;

static void
requested_cb (GlsPoView   *view,
              GlsSelector *selector,
              const char  *text,
              Requested   *requested)
{
  requested->n++;
  g_clear_pointer (&requested->selector, gls_selector_free);
  g_clear_pointer (&requested->text, g_free);
  requested->selector = gls_selector_copy (selector);
  requested->text = g_strdup (text);
}

static void
requested_clear (Requested *requested)
{
  g_clear_pointer (&requested->selector, gls_selector_free);
  g_clear_pointer (&requested->text, g_free);
}

static void
test_counts_and_filters (ViewFixture   *f,
                         gconstpointer  data)
{
  GlsPoFile *file = gls_po_view_get_file (f->view);
  guint translated, fuzzy, untranslated;
  gint index;

  gls_po_file_count_states (file, &translated, &fuzzy, &untranslated);
  g_assert_cmpuint (translated, ==, 20);
  g_assert_cmpuint (fuzzy, ==, 1);
  g_assert_cmpuint (untranslated, ==, 1);
  g_assert_cmpstr (_gls_po_view_get_count_label (f->view, "all"), ==, "22");
  g_assert_cmpstr (_gls_po_view_get_count_label (f->view, "untranslated"), ==, "1");
  g_assert_cmpstr (_gls_po_view_get_count_label (f->view, "fuzzy"), ==, "1");
  g_assert_cmpuint (gls_po_view_get_n_visible (f->view), ==, 22);

  /* The filters are actions, as the buttons (and Alt+U, Alt+Z) use them. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "po.filter", "s", "untranslated"));
  g_assert_cmpstr (gls_po_view_get_filter (f->view), ==, "untranslated");
  g_assert_cmpuint (gls_po_view_get_n_visible (f->view), ==, 1);
  index = gls_po_view_get_visible_index (f->view, 0);
  g_assert_true (gls_po_message_is_untranslated (gls_po_file_get_message (file, index)));
  test_settle (50);
  g_assert_nonnull (_gls_po_view_get_row (f->view, index));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "po.filter", "s", "fuzzy"));
  g_assert_cmpuint (gls_po_view_get_n_visible (f->view), ==, 1);
  index = gls_po_view_get_visible_index (f->view, 0);
  g_assert_cmpint (gls_po_message_get_state (gls_po_file_get_message (file, index)), ==, GLS_PO_STATE_FUZZY);
  g_assert_cmpint (gls_po_view_get_selected_message (f->view), ==, index);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "po.filter", "s", "all"));
  g_assert_cmpuint (gls_po_view_get_n_visible (f->view), ==, 22);
  /* The message the translator was on stays selected. */
  g_assert_cmpint (gls_po_view_get_selected_message (f->view), ==, index);
}

/* The entry's msgstr as the file writes it: from "msgstr " to the end of
 * the entry (the blank line after it). */
static char *
msgstr_as_written (const char *text,
                   const char *msgid_line,
                   gint64     *start,
                   gint64     *end)
{
  const char *entry = strstr (text, msgid_line);
  const char *at, *stop;

  g_assert_nonnull (entry);
  at = strstr (entry, "\nmsgstr ") + strlen ("\nmsgstr ");
  stop = strstr (at, "\n\n");
  g_assert_nonnull (stop);
  *start = g_utf8_pointer_to_offset (text, at);
  *end = g_utf8_pointer_to_offset (text, stop);
  return g_strndup (at, stop - at);
}

static void
test_comment_on_message (ViewFixture   *f,
                         gconstpointer  data)
{
  GlsCommentPopover *popover = _gls_po_view_get_popover (f->view);
  Requested requested = { 0 };
  gint index = find_message (f->view, "Glossa Blinky is a small open-hardware board: a microcontroller (U1), a 3.3 "
                                      "V regulator (U2), four LEDs (D1 to D4) and a USB-C connector (J1). This "
                                      "guide takes you from a bare board to four blinking LEDs in about an hour.");
  g_autofree char *expected = NULL;
  gint64 start, end;

  expected = msgstr_as_written (f->text, "msgid \"\"\n\"Glossa Blinky is a small", &start, &end);
  g_assert_true (g_str_has_prefix (expected, "\"\"\n\"Glossa Blinky ist eine kleine"));

  g_signal_connect (f->view, "comment-requested", G_CALLBACK (requested_cb), &requested);
  gls_po_view_select_message (f->view, index);
  g_assert_cmpint (gls_po_view_get_selected_message (f->view), ==, index);
  g_assert_true (gls_po_view_get_can_comment (f->view));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "po.comment", NULL));
  test_settle (50);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  gls_comment_popover_set_text (popover, "„führt dich“: wir duzen in der ganzen Anleitung, gut");
  g_assert_true (gls_comment_popover_submit (popover));

  g_assert_cmpuint (requested.n, ==, 1);
  g_assert_cmpint (requested.selector->kind, ==, GLS_SELECTOR_TEXT);
  g_assert_cmpstr (requested.selector->exact, ==, expected);
  g_assert_cmpint (requested.selector->start, ==, start);
  g_assert_cmpint (requested.selector->end, ==, end);
  g_assert_cmpstr (requested.text, ==, "„führt dich“: wir duzen in der ganzen Anleitung, gut");
  requested_clear (&requested);
}

/* Words selected in a translation by the label's own keys: Ctrl+Home,
 * Right to the start, Shift+Right to the end. */
static void
select_in_label (GtkLabel *label,
                 gint      start,
                 gint      end)
{
  int s, e;

  gtk_widget_grab_focus (GTK_WIDGET (label));
  g_signal_emit_by_name (label, "move-cursor", GTK_MOVEMENT_BUFFER_ENDS, -1, FALSE);
  g_signal_emit_by_name (label, "move-cursor", GTK_MOVEMENT_VISUAL_POSITIONS, start, FALSE);
  g_signal_emit_by_name (label, "move-cursor", GTK_MOVEMENT_VISUAL_POSITIONS, end - start, TRUE);
  g_assert_true (gtk_label_get_selection_bounds (label, &s, &e));
  g_assert_cmpint (MIN (s, e), ==, start);
  g_assert_cmpint (MAX (s, e), ==, end);
}

static void
test_comment_on_selection (ViewFixture   *f,
                           gconstpointer  data)
{
  GlsPoFile *file = gls_po_view_get_file (f->view);
  Requested requested = { 0 };
  gint index = find_message (f->view, "Glossa Blinky is a small open-hardware board: a microcontroller (U1), a 3.3 "
                                      "V regulator (U2), four LEDs (D1 to D4) and a USB-C connector (J1). This "
                                      "guide takes you from a bare board to four blinking LEDs in about an hour.");
  const char *value = gls_po_message_get_msgstr (gls_po_file_get_message (file, index), 0);
  GlsPoMessageRow *row;
  GtkLabel *label;
  gint v0, v1;

  g_signal_connect (f->view, "comment-requested", G_CALLBACK (requested_cb), &requested);
  gls_po_view_select_message (f->view, index);
  test_settle (50);
  row = _gls_po_view_get_row (f->view, index);
  g_assert_nonnull (row);
  label = gls_po_message_row_get_form_label (row, 0);
  g_assert_cmpstr (gtk_label_get_text (label), ==, value);

  /* Across a line break of the file: the quote is what the file holds
   * there, quotes and line break included. */
  v0 = (gint) g_utf8_pointer_to_offset (value, strstr (value, "Mikrocontroller (U1)"));
  v1 = v0 + (gint) g_utf8_strlen ("Mikrocontroller (U1)", -1);
  select_in_label (label, v0, v1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "po.comment", NULL));
  test_settle (50);
  gls_comment_popover_set_text (_gls_po_view_get_popover (f->view), "Mikrocontroller (U1) passt");
  g_assert_true (gls_comment_popover_submit (_gls_po_view_get_popover (f->view)));
  g_assert_cmpuint (requested.n, ==, 1);
  g_assert_cmpstr (requested.selector->exact, ==, "Mikrocontroller \"\n\"(U1)");
  g_assert_cmpint (requested.selector->start, ==, offset_of (f->text, "Mikrocontroller \"\n\"(U1)"));
  g_assert_cmpint (requested.selector->end, ==,
                   requested.selector->start + g_utf8_strlen ("Mikrocontroller \"\n\"(U1)", -1));
  test_settle (50);

  /* Inside one line, with a character beyond ASCII: the exact words. */
  row = _gls_po_view_get_row (f->view, index);
  label = gls_po_message_row_get_form_label (row, 0);
  v0 = (gint) g_utf8_pointer_to_offset (value, strstr (value, "führt dich"));
  v1 = v0 + (gint) g_utf8_strlen ("führt dich", -1);
  select_in_label (label, v0, v1);
  g_assert_true (gls_po_view_comment (f->view));
  test_settle (50);
  gls_comment_popover_set_text (_gls_po_view_get_popover (f->view), "Du oder Sie?");
  g_assert_true (gls_comment_popover_submit (_gls_po_view_get_popover (f->view)));
  g_assert_cmpuint (requested.n, ==, 2);
  g_assert_cmpstr (requested.selector->exact, ==, "führt dich");
  g_assert_cmpint (requested.selector->start, ==, offset_of (f->text, "führt dich"));
  g_assert_cmpint (requested.selector->end, ==, requested.selector->start + g_utf8_strlen ("führt dich", -1));
  requested_clear (&requested);
}

static void
test_suggest (ViewFixture   *f,
              gconstpointer  data)
{
  GlsCommentPopover *popover = _gls_po_view_get_popover (f->view);
  Requested requested = { 0 };
  gint index = find_message (f->view, "What you need");
  g_autofree char *expected = NULL;
  gint64 start, end;
  g_autofree char *prefilled = NULL;

  expected = msgstr_as_written (f->text, "msgid \"What you need\"", &start, &end);
  g_assert_cmpstr (expected, ==, "\"Was du brauchst\"");

  g_signal_connect (f->view, "suggest-requested", G_CALLBACK (requested_cb), &requested);
  gls_po_view_select_message (f->view, index);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "po.suggest", NULL));
  test_settle (50);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  prefilled = gls_comment_popover_dup_text (popover);
  g_assert_cmpstr (prefilled, ==, "Was du brauchst");
  gls_comment_popover_set_text (popover, "Das brauchst du");
  g_assert_true (gls_comment_popover_submit (popover));

  g_assert_cmpuint (requested.n, ==, 1);
  g_assert_cmpstr (requested.selector->exact, ==, expected);
  g_assert_cmpint (requested.selector->start, ==, start);
  g_assert_cmpint (requested.selector->end, ==, end);
  g_assert_cmpstr (requested.text, ==, "Das brauchst du");
  test_settle (50);

  /* On words selected in it: the composer starts with those words. */
  select_in_label (gls_po_message_row_get_form_label (_gls_po_view_get_row (f->view, index), 0), 4, 6);
  g_assert_true (gls_po_view_suggest (f->view));
  test_settle (50);
  g_clear_pointer (&prefilled, g_free);
  prefilled = gls_comment_popover_dup_text (popover);
  g_assert_cmpstr (prefilled, ==, "du");
  gls_comment_popover_set_text (popover, "ihr");
  g_assert_true (gls_comment_popover_submit (popover));
  g_assert_cmpuint (requested.n, ==, 2);
  g_assert_cmpstr (requested.selector->exact, ==, "du");
  g_assert_cmpint (requested.selector->start, ==, start + 5);
  g_assert_cmpint (requested.selector->end, ==, start + 7);
  g_assert_cmpstr (requested.text, ==, "ihr");
  requested_clear (&requested);
}

static void
activated_cb (GlsPoView  *view,
              const char *id,
              char      **out)
{
  g_free (*out);
  *out = g_strdup (id);
}

static GtkWidget *
thread_button (GlsPoMessageRow *row,
               const char      *label)
{
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (row)); w != NULL; )
    {
      if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (w)), label) == 0)
        return w;

      /* Depth first. */
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            {
              w = gtk_widget_get_parent (w);
              if (w == GTK_WIDGET (row))
                return NULL;
            }
          if (w != NULL)
            w = gtk_widget_get_next_sibling (w);
        }
    }

  return NULL;
}

static guint
position_in_list (GlsPoView *view,
                  gint       index)
{
  for (guint i = 0; i < gls_po_view_get_n_visible (view); i++)
    if (gls_po_view_get_visible_index (view, i) == index)
      return i;

  g_assert_not_reached ();
}

/* Is the row inside the scrolled window's visible area? */
static gboolean
row_in_view (GlsPoView *view,
             guint      index)
{
  GlsPoMessageRow *row = _gls_po_view_get_row (view, index);
  GtkWidget *scroller = GTK_WIDGET (_gls_po_view_get_scroller (view));
  graphene_rect_t bounds;

  if (row == NULL || !gtk_widget_get_mapped (GTK_WIDGET (row)) ||
      !gtk_widget_compute_bounds (GTK_WIDGET (row), scroller, &bounds))
    return FALSE;

  return bounds.origin.y >= -1 &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scroller) + 1;
}

typedef struct
{
  GlsPoView *view;
  guint      index;
} InView;

static gboolean
is_in_view (gpointer data)
{
  InView *in = data;

  return row_in_view (in->view, in->index);
}

static void
test_passages_and_reveal (ViewFixture   *f,
                          gconstpointer  data)
{
  GlsPoFile *file = gls_po_view_get_file (f->view);
  guint n = gls_po_file_get_n_messages (file);
  gint first = find_message (f->view, "What you need");
  gint last = (gint) n - 1;
  gint64 first_start, first_end, last_start, last_end;
  g_autofree char *activated = NULL;
  g_autofree char *described = NULL;
  GlsPoMessageRow *row;
  GtkWidget *button;
  InView in = { f->view, last };
  GlsTextPassage passages[3] = { 0 };

  g_assert_true (gls_po_file_get_span (file, first, GLS_PO_PART_MSGSTR, 0, &first_start, &first_end));
  g_assert_true (gls_po_file_get_span (file, last, GLS_PO_PART_MSGID, 0, &last_start, &last_end));

  passages[0] = (GlsTextPassage) { "urn:uuid:a", 1, first_start + 1, first_start + 4, FALSE, "Zu kurz?" };
  passages[1] = (GlsTextPassage) { "urn:uuid:b", 2, last_start, last_end, TRUE, "Quelle unklar" };
  passages[2] = (GlsTextPassage) { "urn:uuid:c", 3, first_start, first_end, FALSE, "Gut so" };
  gls_po_view_set_passages (f->view, passages, G_N_ELEMENTS (passages));
  g_assert_cmpuint (gls_po_view_get_n_passages (f->view), ==, 3);
  g_assert_cmpint (gls_po_view_get_passage_message (f->view, "urn:uuid:a"), ==, first);
  g_assert_cmpint (gls_po_view_get_passage_message (f->view, "urn:uuid:b"), ==, last);
  g_assert_cmpint (gls_po_view_get_passage_message (f->view, "urn:uuid:c"), ==, first);

  /* The threads panel can name the message. */
  described = gls_po_view_describe_passage (f->view, "urn:uuid:a", 40);
  g_assert_cmpstr (described, ==, "What you need");
  g_clear_pointer (&described, g_free);
  described = gls_po_view_describe_message (file, first_start, 4);
  g_assert_cmpstr (described, ==, "What…");

  /* The first message's row shows 1 and 3, and a click on 3 activates it. */
  gls_po_view_select_message (f->view, first);
  test_settle (50);
  row = _gls_po_view_get_row (f->view, first);
  g_assert_nonnull (row);
  g_assert_cmpuint (gls_po_message_row_get_n_threads (row), ==, 2);
  g_signal_connect (f->view, "passage-activated", G_CALLBACK (activated_cb), &activated);
  button = thread_button (row, "3");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (activated, ==, "urn:uuid:c");
  g_assert_cmpstr (gls_po_view_get_selected (f->view), ==, "urn:uuid:c");

  /* Enter on the message goes on to its next thread. */
  g_signal_emit_by_name (_gls_po_view_get_list_view (f->view), "activate", position_in_list (f->view, first));
  g_assert_cmpstr (activated, ==, "urn:uuid:a");

  /* The last message is out of view until it is revealed, with its
   * filter showing all messages again. */
  g_assert_false (row_in_view (f->view, last));
  gtk_widget_activate_action (GTK_WIDGET (f->view), "po.filter", "s", "fuzzy");
  gls_po_view_reveal (f->view, "urn:uuid:b");
  g_assert_cmpstr (gls_po_view_get_filter (f->view), ==, "all");
  g_assert_cmpint (gls_po_view_get_selected_message (f->view), ==, last);
  g_assert_true (test_wait_for (is_in_view, &in, 10, "the last message in view"));
  g_assert_cmpuint (gls_po_message_row_get_n_threads (_gls_po_view_get_row (f->view, last)), ==, 1);
}

static void
source_requested_cb (GlsPoView *view,
                     gboolean  *requested)
{
  *requested = TRUE;
}

static void
test_bad_file (void)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GlsPoView *view = GLS_PO_VIEW (gls_po_view_new ());
  static const char broken[] =
    "msgid \"\"\n"
    "msgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n"
    "\n"
    "msgid \"one\"\n"
    "msgstr \"eins\n";
  gboolean source = FALSE;

  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  gls_po_view_set_text (view, broken);
  while (gls_po_view_get_error (view) == NULL && gls_po_view_get_file (view) == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_null (gls_po_view_get_file (view));
  g_assert_nonnull (gls_po_view_get_error (view));
  g_test_message ("%s", gls_po_view_get_error (view));
  g_assert_nonnull (strstr (gls_po_view_get_error (view), "5"));
  g_assert_cmpstr (_gls_po_view_get_page (view), ==, "error");
  g_assert_false (gls_po_view_get_can_comment (view));

  g_signal_connect (view, "source-requested", G_CALLBACK (source_requested_cb), &source);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "po.show-source", NULL));
  g_assert_true (source);

  gtk_window_destroy (window);
  test_settle (20);
}

/* 10,000 messages as msgmerge writes them: wrapped strings, comments,
 * references, plurals, contexts, fuzzy and untranslated ones. */
static char *
big_po (guint n)
{
  GString *out = g_string_new ("# A big file\n"
                               "msgid \"\"\n"
                               "msgstr \"\"\n"
                               "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
                               "\"Language: de\\n\"\n"
                               "\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n\n");

  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (out, "#. type: Plain text\n#: guide.md:%u\n", i + 1);
      if (i % 50 == 7)
        g_string_append (out, "#, fuzzy\n");
      if (i % 40 == 3)
        g_string_append_printf (out, "msgctxt \"part %u\"\n", i);
      if (i % 25 == 5)
        {
          g_string_append_printf (out,
                                  "msgid \"%u solder joint\"\n"
                                  "msgid_plural \"%u solder joints\"\n"
                                  "msgstr[0] \"%u Lötstelle\"\n"
                                  "msgstr[1] \"%u Lötstellen\"\n\n", i, i, i, i);
          continue;
        }
      g_string_append_printf (out,
                              "msgid \"\"\n"
                              "\"Message %u: solder the regulator to the board, then check that the \"\n"
                              "\"joint is bright and smooth.\"\n", i);
      if (i % 100 == 11)
        g_string_append (out, "msgstr \"\"\n\n");
      else
        g_string_append_printf (out,
                                "msgstr \"\"\n"
                                "\"Meldung %u: löte den Regler auf die Platine und prüfe dann, ob die \"\n"
                                "\"Lötstelle hell und glatt ist.\"\n\n", i);
    }

  return g_string_free (out, FALSE);
}

typedef struct
{
  GlsPoView *view;
  gint64     painted;
  gint64     parsed;
} Paint;

static void
file_notify_cb (GlsPoView  *view,
                GParamSpec *pspec,
                Paint      *paint)
{
  if (gls_po_view_get_file (view) != NULL)
    paint->parsed = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Paint         *paint)
{
  if (paint->painted == 0 && list_shown (paint->view))
    paint->painted = g_get_monotonic_time ();
}

static gboolean
painted (gpointer data)
{
  return ((Paint *) data)->painted != 0;
}

static void
test_big_file (void)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GlsPoView *view = GLS_PO_VIEW (gls_po_view_new ());
  g_autofree char *text = big_po (10000);
  Paint paint = { view, 0 };
  GdkFrameClock *clock;
  gint64 begin;
  guint translated, fuzzy, untranslated;
  gulong handler;

  gtk_window_set_default_size (window, 1200, 800);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  test_settle (100);

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &paint);
  g_signal_connect (view, "notify::file", G_CALLBACK (file_notify_cb), &paint);
  begin = g_get_monotonic_time ();
  gls_po_view_set_text (view, text);
  g_assert_true (test_wait_for (painted, &paint, 30, "the first paint of 10,000 messages"));
  g_signal_handler_disconnect (clock, handler);

  g_test_message ("10,000 messages (%.1f MB): parsed and first painted in %.0f ms "
                  "(parsed in %.0f ms, shown %.0f ms later)",
                  strlen (text) / 1e6, (paint.painted - begin) / 1000.0,
                  (paint.parsed - begin) / 1000.0, (paint.painted - paint.parsed) / 1000.0);

  g_assert_cmpuint (gls_po_file_get_n_messages (gls_po_view_get_file (view)), ==, 10000);
  gls_po_file_count_states (gls_po_view_get_file (view), &translated, &fuzzy, &untranslated);
  g_assert_cmpuint (translated + fuzzy + untranslated, ==, 10000);
  g_assert_cmpuint (gls_po_view_get_n_visible (view), ==, 10000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "po.filter", "s", "untranslated"));
  g_assert_cmpuint (gls_po_view_get_n_visible (view), ==, untranslated);

  gtk_window_destroy (window);
  test_settle (20);
}

/* In the window */

typedef struct
{
  char         *tmpdir;
  GlsWorkspace *workspace;
  GlsDesign    *design;
  GlsWindow    *window;
} WindowFixture;

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static void
window_setup (WindowFixture *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->tmpdir = test_data_dir_new ("glossa-test-ui-po-XXXXXX");
  f->workspace = gls_workspace_open (f->tmpdir, "default", &error);
  g_assert_no_error (error);
  f->design = test_workspace_add_sample (f->workspace, "assembly-guide.de.po");
  g_assert_cmpint (gls_design_get_kind (f->design), ==, GLS_DESIGN_KIND_TRANSLATION);

  f->window = gls_window_new (NULL, f->workspace, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (test_wait_for (window_mapped, f->window, 10, "the window to map"));
}

static void
window_teardown (WindowFixture *f,
                 gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  test_settle (50);
  g_clear_object (&f->design);
  g_clear_object (&f->workspace);
  test_data_dir_free (f->tmpdir);
}

static gboolean
messages_shown (gpointer data)
{
  GlsWindow *window = data;

  return _gls_window_showing_messages (window) &&
         list_shown (_gls_window_get_po_view (window));
}

static gboolean
source_shown (gpointer data)
{
  GlsWindow *window = data;
  GlsTextView *view = _gls_window_get_text_view (window);

  return g_strcmp0 (_gls_window_get_view (window), "text") == 0 &&
         !_gls_window_showing_messages (window) &&
         gls_text_view_get_text (view) != NULL &&
         gtk_widget_get_mapped (GTK_WIDGET (view));
}

typedef struct
{
  GListModel *threads;
  guint       n;
} CountData;

static gboolean
has_n_threads (gpointer data)
{
  CountData *c = data;

  return g_list_model_get_n_items (c->threads) == c->n;
}

static gboolean
has_passage (gpointer data)
{
  return gls_po_view_get_n_passages (data) == 1;
}

static void
test_window_po (WindowFixture *f,
                gconstpointer  data)
{
  GlsPoView *view = _gls_window_get_po_view (f->window);
  GlsThreadsPanel *panel = GLS_THREADS_PANEL (_gls_window_get_threads_panel (f->window));
  g_autoptr(GListModel) threads = gls_workspace_get_threads (f->workspace, gls_design_get_source (f->design));
  CountData count = { threads, 1 };
  g_autoptr(GlsThread) thread = NULL;
  const GlsSelector *selector;
  gint index;

  gls_window_show_design (f->window, f->design);
  g_assert_true (test_wait_for (messages_shown, f->window, 20, "the messages"));
  g_assert_true (gtk_widget_get_visible (f->window->text_switcher));
  g_assert_false (gtk_widget_get_visible (f->window->text_comment_button));
  g_assert_cmpuint (gls_po_view_get_n_visible (view), ==, 22);
  /* The source is there too, for the Source switch. */
  g_assert_nonnull (gls_text_view_get_text (_gls_window_get_text_view (f->window)));

  /* A comment on a message, through the window: a thread on its msgstr. */
  index = find_message (view, "What you need");
  gls_po_view_select_message (view, index);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "po.comment", NULL));
  test_settle (50);
  gls_comment_popover_set_text (_gls_po_view_get_popover (view), "Kurz und gut");
  g_assert_true (gls_comment_popover_submit (_gls_po_view_get_popover (view)));
  g_assert_true (test_wait_for (has_n_threads, &count, 10, "the comment"));
  thread = g_list_model_get_item (threads, 0);
  selector = gls_thread_get_selector (thread);
  g_assert_cmpint (selector->kind, ==, GLS_SELECTOR_TEXT);
  g_assert_cmpstr (selector->exact, ==, "\"Was du brauchst\"");

  /* Its number shows on the message; the panel selects it. */
  g_assert_true (test_wait_for (has_passage, view, 10, "the thread on the message"));
  g_assert_cmpint (gls_po_view_get_passage_message (view, gls_thread_get_root_id (thread)), ==, index);
  g_assert_cmpstr (gls_po_view_get_selected (view), ==, gls_thread_get_root_id (thread));
  test_settle (50);
  g_assert_cmpuint (gls_po_message_row_get_n_threads (_gls_po_view_get_row (view, index)), ==, 1);

  /* Choosing the thread in the panel selects its message and reveals it. */
  gls_po_view_select_message (view, gls_po_view_get_visible_index (view, gls_po_view_get_n_visible (view) - 1));
  _gls_window_select_thread (f->window, NULL, FALSE);
  g_assert_null (gls_po_view_get_selected (view));
  g_signal_emit_by_name (panel, "thread-activated", thread);
  g_assert_cmpstr (gls_po_view_get_selected (view), ==, gls_thread_get_root_id (thread));
  g_assert_cmpint (gls_po_view_get_selected_message (view), ==, index);

  /* A click on the number selects the thread in the panel. */
  _gls_window_select_thread (f->window, NULL, FALSE);
  g_signal_emit_by_name (view, "passage-activated", gls_thread_get_root_id (thread));
  g_assert_cmpstr (gls_threads_panel_get_selected_thread (panel), ==, gls_thread_get_root_id (thread));

  /* Source: the file as written, in the text view, with its passage. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.toggle-source", NULL));
  g_assert_true (test_wait_for (source_shown, f->window, 10, "the source"));
  g_assert_true (gtk_toggle_button_get_active (f->window->source_toggle));
  g_assert_true (gtk_widget_get_visible (f->window->text_comment_button));
  g_assert_cmpuint (gls_text_view_get_n_passages (_gls_window_get_text_view (f->window)), ==, 1);

  /* And back. */
  gtk_toggle_button_set_active (f->window->messages_toggle, TRUE);
  g_assert_true (test_wait_for (messages_shown, f->window, 10, "the messages again"));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (_gls_po_view_get_list_view (view))) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), GTK_WIDGET (view)));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = test_ui_home_new ("glossa-test-ui-po-home-XXXXXX");
  int ret;

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/ui/po/counts-and-filters", ViewFixture, NULL,
              view_setup, test_counts_and_filters, view_teardown);
  g_test_add ("/ui/po/comment-on-message", ViewFixture, NULL,
              view_setup, test_comment_on_message, view_teardown);
  g_test_add ("/ui/po/comment-on-selection", ViewFixture, NULL,
              view_setup, test_comment_on_selection, view_teardown);
  g_test_add ("/ui/po/suggest", ViewFixture, NULL,
              view_setup, test_suggest, view_teardown);
  g_test_add ("/ui/po/passages-and-reveal", ViewFixture, NULL,
              view_setup, test_passages_and_reveal, view_teardown);
  g_test_add_func ("/ui/po/bad-file", test_bad_file);
  g_test_add_func ("/ui/po/big-file", test_big_file);
  g_test_add ("/ui/window/po-design", WindowFixture, NULL,
              window_setup, test_window_po, window_teardown);

  ret = g_test_run ();

  test_rm_rf (home);
  return ret;
}
