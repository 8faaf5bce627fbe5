/* test-ui-text.c: the text view, alone and in the window.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ui-text"

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "gls-text.h"
#include "gls-text-view-private.h"
#include "gls-thread-row.h"
#include "gls-threads-panel.h"
#include "gls-window-private.h"
#include "test-util.h"

/* Markdown with letters beyond ASCII and an emoji (one code point, four
 * bytes, two UTF-16 units): offsets must count it once. */
static const char markdown[] =
  "# Überschrift für die Anleitung\n"
  "\n"
  "Löte zuerst die Widerstände 😀 an, dann die LEDs — "
  "achte auf die Polarität der Dioden.\n"
  "\n"
  "- Lötkolben (330 °C)\n"
  "- Lötzinn, bleifrei\n";

typedef struct
{
  GtkWindow   *window;
  GlsTextView *view;
} ViewFixture;

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_height (data) > 0;
}

static void
view_setup (ViewFixture   *f,
            gconstpointer  data)
{
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 700, 400);
  f->view = GLS_TEXT_VIEW (gls_text_view_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  gls_text_view_set_text (f->view, markdown, "text/markdown");
  gtk_window_present (f->window);
  g_assert_true (test_wait_for (widget_mapped, _gls_text_view_get_source_view (f->view), 10,
                                "the text view to map"));
  gtk_widget_grab_focus (GTK_WIDGET (f->view));
  test_settle (50);
}

static void
view_teardown (ViewFixture   *f,
               gconstpointer  data)
{
  gtk_window_destroy (f->window);
  test_settle (20);
}

static gint64
offset_of (const char *text,
           const char *needle)
{
  const char *at = strstr (text, needle);

  g_assert_nonnull (at);
  return g_utf8_pointer_to_offset (text, at);
}

/* The cursor moves as the keys move it: the text view's own keybinding
 * signal, Shift held (extend_selection) to select. */
static void
move_cursor (GlsTextView     *view,
             GtkMovementStep  step,
             int              count,
             gboolean         extend)
{
  g_signal_emit_by_name (_gls_text_view_get_source_view (view), "move-cursor",
                         step, count, extend);
}

static void
select_by_keys (GlsTextView *view,
                gint64       start,
                gint64       end)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (_gls_text_view_get_source_view (view)));
  GtkTextIter iter;

  /* Ctrl+Home, then Right to the start, then Shift+Right to the end. */
  move_cursor (view, GTK_MOVEMENT_BUFFER_ENDS, -1, FALSE);
  move_cursor (view, GTK_MOVEMENT_VISUAL_POSITIONS, (int) start, FALSE);
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  g_assert_cmpint (gtk_text_iter_get_offset (&iter), ==, start);
  move_cursor (view, GTK_MOVEMENT_VISUAL_POSITIONS, (int) (end - start), TRUE);
}

typedef struct
{
  guint        n;
  GlsSelector *selector;
  char        *text;
} Requested;

static void
comment_requested_cb (GlsTextView *view,
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

static char *
substring (const char *text,
           gint64      start,
           gint64      end)
{
  return g_utf8_substring (text, MAX (start, 0), MIN (end, g_utf8_strlen (text, -1)));
}

static void
test_comment_by_keyboard (ViewFixture   *f,
                          gconstpointer  data)
{
  GlsCommentPopover *popover = _gls_text_view_get_comment_popover (f->view);
  Requested requested = { 0 };
  gint64 start = offset_of (markdown, "Widerstände");
  gint64 end = offset_of (markdown, " an, dann");
  g_autofree char *prefix = substring (markdown, start - GLS_TEXT_CONTEXT_LENGTH, start);
  g_autofree char *suffix = substring (markdown, end, end + GLS_TEXT_CONTEXT_LENGTH);

  g_signal_connect (f->view, "comment-requested", G_CALLBACK (comment_requested_cb), &requested);

  /* Nothing selected: C does nothing. */
  g_assert_false (gls_text_view_get_can_comment (f->view));
  gtk_widget_activate_action (GTK_WIDGET (f->view), "text.comment", NULL);
  g_assert_false (gls_text_view_comment (f->view));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));

  /* "Widerstände 😀": the emoji is one code point, one cursor position. */
  select_by_keys (f->view, start, end);
  g_assert_true (gls_text_view_get_can_comment (f->view));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "text.comment", NULL));
  test_settle (50);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));

  gls_comment_popover_set_text (popover, "Welche Widerstände? 330 Ω?");
  g_assert_true (gls_comment_popover_submit (popover));
  test_settle (50);

  g_assert_cmpuint (requested.n, ==, 1);
  g_assert_cmpstr (requested.text, ==, "Welche Widerstände? 330 Ω?");
  g_assert_nonnull (requested.selector);
  g_assert_cmpint (requested.selector->kind, ==, GLS_SELECTOR_TEXT);
  g_assert_cmpint (requested.selector->start, ==, start);
  g_assert_cmpint (requested.selector->end, ==, end);
  /* Counted by hand as well: "# Überschrift für die Anleitung\n\nLöte zuerst die " */
  g_assert_cmpint (requested.selector->start, ==, 49);
  g_assert_cmpint (requested.selector->end, ==, 62);
  g_assert_cmpstr (requested.selector->exact, ==, "Widerstände 😀");
  g_assert_cmpstr (requested.selector->prefix, ==, prefix);
  g_assert_cmpstr (requested.selector->suffix, ==, suffix);
  g_assert_cmpint (g_utf8_strlen (requested.selector->prefix, -1), ==, GLS_TEXT_CONTEXT_LENGTH);
  g_assert_true (g_str_has_suffix (requested.selector->prefix, "Löte zuerst die "));
  g_assert_true (g_str_has_prefix (requested.selector->suffix, " an, dann die LEDs"));

  /* Posted: the selection is gone, and with it the action. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_false (gls_text_view_get_can_comment (f->view));

  /* A selection at the very start has a short prefix, and Escape (cancel)
   * posts nothing. */
  select_by_keys (f->view, 0, 1);
  g_assert_true (gls_text_view_comment (f->view));
  test_settle (50);
  gls_comment_popover_cancel (popover);
  test_settle (50);
  g_assert_cmpuint (requested.n, ==, 1);

  g_clear_pointer (&requested.selector, gls_selector_free);
  g_clear_pointer (&requested.text, g_free);
}

static GtkTextTag *
tag (GlsTextView *view,
     const char  *name)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (_gls_text_view_get_source_view (view)));
  GtkTextTag *t = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), name);

  g_assert_nonnull (t);
  return t;
}

static gboolean
has_tag_at (GlsTextView *view,
            gint64       offset,
            const char  *name)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (_gls_text_view_get_source_view (view)));
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, (int) offset);
  return gtk_text_iter_has_tag (&iter, tag (view, name));
}

static void
assert_ids_at (GlsTextView *view,
               gint64       offset,
               const char  *expected)
{
  g_auto(GStrv) ids = _gls_text_view_dup_ids_at (view, offset);
  g_autofree char *joined = g_strjoinv (",", ids);

  g_assert_cmpstr (joined, ==, expected);
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_passages (ViewFixture   *f,
               gconstpointer  data)
{
  gint64 line3 = offset_of (markdown, "Löte");
  gint64 line6 = offset_of (markdown, "- Lötzinn");
  /* Given in no order; two overlap, one touches the second, one is
   * resolved, three are not placeable. */
  GlsTextPassage passages[] = {
    { "urn:c", 3, line3 + 20, line3 + 30, FALSE, "Adjacent to the second" },
    { "urn:a", 1, line3 + 0, line3 + 12, FALSE, "First\nsecond line" },
    { "urn:b", 2, line3 + 8, line3 + 20, FALSE, "Overlaps the first" },
    { "urn:d", 4, line6, line6 + 5, TRUE, "Resolved" },
    { "urn:empty", 5, 10, 10, FALSE, "Empty" },
    { "urn:outside", 6, 100000, 100010, FALSE, "Beyond the end" },
    { NULL, 7, 0, 5, FALSE, "No id" },
  };
  g_autofree char *tip = NULL;
  g_autofree char *label = NULL;
  guint notified = 0;

  gls_text_view_set_passages (f->view, passages, G_N_ELEMENTS (passages));
  g_assert_cmpuint (gls_text_view_get_n_passages (f->view), ==, 4);

  /* Lookup by offset, in the order of their start. */
  assert_ids_at (f->view, line3 + 3, "urn:a");
  assert_ids_at (f->view, line3 + 10, "urn:a,urn:b");
  assert_ids_at (f->view, line3 + 19, "urn:b");
  assert_ids_at (f->view, line3 + 20, "urn:c");
  assert_ids_at (f->view, line3 + 30, "");
  assert_ids_at (f->view, line6 + 1, "urn:d");
  assert_ids_at (f->view, 0, "");

  /* Tints: neighbours differ, overlaps are stronger, resolved faint. */
  g_assert_true (has_tag_at (f->view, line3 + 3, "gls-passage-a"));
  g_assert_false (has_tag_at (f->view, line3 + 3, "gls-passage-overlap"));
  g_assert_true (has_tag_at (f->view, line3 + 10, "gls-passage-overlap"));
  g_assert_true (has_tag_at (f->view, line3 + 15, "gls-passage-b"));
  g_assert_false (has_tag_at (f->view, line3 + 15, "gls-passage-overlap"));
  g_assert_true (has_tag_at (f->view, line3 + 19, "gls-passage-b"));
  g_assert_true (has_tag_at (f->view, line3 + 20, "gls-passage-a"));
  g_assert_false (has_tag_at (f->view, line3 + 20, "gls-passage-b"));
  g_assert_false (has_tag_at (f->view, line3 + 20, "gls-passage-overlap"));
  g_assert_true (has_tag_at (f->view, line6 + 2, "gls-passage-resolved"));
  g_assert_false (has_tag_at (f->view, line6 + 2, "gls-passage-a"));
  g_assert_false (has_tag_at (f->view, line3 + 31, "gls-passage-a"));
  g_assert_false (has_tag_at (f->view, line3 + 31, "gls-passage-b"));

  /* The margin: numbers of the passages starting on each line. */
  label = _gls_text_view_dup_margin_label (f->view, 2);
  g_assert_cmpstr (label, ==, "1, 2 +1");
  g_clear_pointer (&label, g_free);
  label = _gls_text_view_dup_margin_label (f->view, 5);
  g_assert_cmpstr (label, ==, "4");
  g_clear_pointer (&label, g_free);
  label = _gls_text_view_dup_margin_label (f->view, 0);
  g_assert_cmpstr (label, ==, "");

  /* Hover: the thread's number and its first comment's first line. */
  tip = _gls_text_view_dup_tooltip_at (f->view, line3 + 10);
  g_assert_cmpstr (tip, ==, "Comment 1: First\nComment 2: Overlaps the first");
  g_clear_pointer (&tip, g_free);
  tip = _gls_text_view_dup_tooltip_at (f->view, line6);
  g_assert_cmpstr (tip, ==, "Comment 4 (resolved): Resolved");
  g_clear_pointer (&tip, g_free);
  g_assert_null (_gls_text_view_dup_tooltip_at (f->view, 2));

  /* The selected one has its own tag, over its range only. */
  g_signal_connect (f->view, "notify::selected", G_CALLBACK (notify_count_cb), &notified);
  gls_text_view_set_selected (f->view, "urn:b");
  g_assert_cmpuint (notified, ==, 1);
  gls_text_view_set_selected (f->view, "urn:b");
  g_assert_cmpuint (notified, ==, 1);
  g_assert_false (has_tag_at (f->view, line3 + 7, "gls-passage-selected"));
  g_assert_true (has_tag_at (f->view, line3 + 8, "gls-passage-selected"));
  g_assert_true (has_tag_at (f->view, line3 + 19, "gls-passage-selected"));
  g_assert_false (has_tag_at (f->view, line3 + 20, "gls-passage-selected"));

  /* New passages replace the old ones; the selection stays with its id. */
  gls_text_view_set_passages (f->view, passages + 2, 1);
  g_assert_cmpuint (gls_text_view_get_n_passages (f->view), ==, 1);
  assert_ids_at (f->view, line3 + 3, "");
  g_assert_false (has_tag_at (f->view, line3 + 3, "gls-passage-a"));
  g_assert_false (has_tag_at (f->view, line3 + 10, "gls-passage-overlap"));
  g_assert_true (has_tag_at (f->view, line3 + 10, "gls-passage-selected"));

  /* New text: no passages. */
  gls_text_view_set_text (f->view, "plain", "text/plain");
  g_assert_cmpuint (gls_text_view_get_n_passages (f->view), ==, 0);
}

/* Many lines, a passage near the end. */
static char *
long_text (guint n_lines)
{
  GString *text = g_string_new (NULL);

  for (guint i = 1; i <= n_lines; i++)
    g_string_append_printf (text, "Zeile %u: ein Satz über nichts, mit Umlauten äöü.\n", i);

  return g_string_free (text, FALSE);
}

typedef struct
{
  GlsTextView *view;
  gint64       offset;
} VisibleData;

static gboolean
offset_visible (gpointer data)
{
  VisibleData *v = data;
  GtkTextView *tv = GTK_TEXT_VIEW (_gls_text_view_get_source_view (v->view));
  GtkTextIter iter;
  GdkRectangle visible, loc;

  gtk_text_buffer_get_iter_at_offset (gtk_text_view_get_buffer (tv), &iter, (int) v->offset);
  gtk_text_view_get_visible_rect (tv, &visible);
  gtk_text_view_get_iter_location (tv, &iter, &loc);

  return loc.y >= visible.y && loc.y + loc.height <= visible.y + visible.height;
}

static void
test_reveal (ViewFixture   *f,
             gconstpointer  data)
{
  g_autofree char *text = long_text (400);
  gint64 far = offset_of (text, "Zeile 350:");
  gint64 near = offset_of (text, "Zeile 352:");
  GlsTextPassage passages[] = {
    { "urn:far", 1, far, far + 8, FALSE, "Far down" },
    { "urn:near", 2, near, near + 8, FALSE, "Near the first" },
  };
  GtkAdjustment *vadj;
  VisibleData visible = { f->view, far };
  double value;

  gls_text_view_set_text (f->view, text, "text/plain");
  gls_text_view_set_passages (f->view, passages, G_N_ELEMENTS (passages));
  test_settle (100);
  g_assert_false (offset_visible (&visible));

  gls_text_view_reveal (f->view, "urn:far");
  g_assert_true (test_wait_for (offset_visible, &visible, 10, "the passage to come into view"));
  test_settle (100);

  /* Already in view: no scrolling. */
  vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (_gls_text_view_get_source_view (f->view)));
  value = gtk_adjustment_get_value (vadj);
  visible.offset = near;
  g_assert_true (offset_visible (&visible));
  gls_text_view_reveal (f->view, "urn:near");
  test_settle (200);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadj), ==, value);

  /* Unknown ids are ignored. */
  gls_text_view_reveal (f->view, "urn:nothing");
  test_settle (50);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadj), ==, value);

}

/* As the window shows a design: the text is set while the view waits on
 * a hidden page, which then fades in. It starts at its top. */
static void
test_top_after_loading (void)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkStack *stack = GTK_STACK (gtk_stack_new ());
  GlsTextView *view = GLS_TEXT_VIEW (gls_text_view_new ());
  VisibleData visible = { view, 0 };

  gtk_stack_set_transition_type (stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_stack_add_named (stack, gtk_spinner_new (), "loading");
  gtk_stack_add_named (stack, GTK_WIDGET (view), "text");
  gtk_window_set_child (window, GTK_WIDGET (stack));
  gtk_window_set_default_size (window, 600, 400);
  gtk_window_present (window);

  for (guint round = 0; round < 3; round++)
    {
      g_autofree char *text = long_text (60 + round * 200);
      GlsTextPassage passage = { "urn:p", 1, 10, 30, FALSE, "A passage" };

      gtk_stack_set_visible_child_name (stack, "loading");
      gls_text_view_set_text (view, NULL, NULL);
      test_settle (100);
      gls_text_view_set_text (view, text, "text/markdown");
      gtk_stack_set_visible_child_name (stack, "text");
      gtk_widget_grab_focus (GTK_WIDGET (view));
      gls_text_view_set_passages (view, &passage, 1);
      test_settle (800);
      g_assert_true (offset_visible (&visible));
    }

  gtk_window_destroy (window);
}

static void
activated_cb (GlsTextView  *view,
              const char   *id,
              char        **out)
{
  g_free (*out);
  *out = g_strdup (id);
}

static void
test_activate (ViewFixture   *f,
               gconstpointer  data)
{
  GtkTextView *tv = GTK_TEXT_VIEW (_gls_text_view_get_source_view (f->view));
  gint64 start = offset_of (markdown, "LEDs");
  gint64 inner = offset_of (markdown, "EDs");
  GlsTextPassage passages[] = {
    { "urn:outer", 1, start - 10, start + 20, FALSE, "Outer" },
    { "urn:inner", 2, inner, inner + 3, FALSE, "Inner" },
  };
  g_autofree char *activated = NULL;
  GtkTextIter iter;
  GdkRectangle loc;
  int wx, wy;

  gls_text_view_set_passages (f->view, passages, G_N_ELEMENTS (passages));
  g_signal_connect (f->view, "passage-activated", G_CALLBACK (activated_cb), &activated);

  /* Enter with the cursor in a passage: the innermost one. */
  move_cursor (f->view, GTK_MOVEMENT_BUFFER_ENDS, -1, FALSE);
  move_cursor (f->view, GTK_MOVEMENT_VISUAL_POSITIONS, (int) inner + 1, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "text.activate-passage", NULL));
  g_assert_cmpstr (activated, ==, "urn:inner");
  g_assert_cmpstr (gls_text_view_get_selected (f->view), ==, "urn:inner");

  /* Enter outside any passage: nothing. */
  g_clear_pointer (&activated, g_free);
  move_cursor (f->view, GTK_MOVEMENT_BUFFER_ENDS, -1, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "text.activate-passage", NULL));
  g_assert_null (activated);

  /* A click in the middle of the outer passage's first character. */
  gtk_text_buffer_get_iter_at_offset (gtk_text_view_get_buffer (tv), &iter, (int) start - 10);
  gtk_text_view_get_iter_location (tv, &iter, &loc);
  gtk_text_view_buffer_to_window_coords (tv, GTK_TEXT_WINDOW_WIDGET,
                                         loc.x + loc.width / 2, loc.y + loc.height / 2, &wx, &wy);
  g_assert_true (_gls_text_view_click (f->view, wx, wy));
  g_assert_cmpstr (activated, ==, "urn:outer");
  g_assert_cmpstr (gls_text_view_get_selected (f->view), ==, "urn:outer");

  /* A click on text without a passage, or past the end of a line. */
  g_clear_pointer (&activated, g_free);
  gtk_text_buffer_get_iter_at_offset (gtk_text_view_get_buffer (tv), &iter, 3);
  gtk_text_view_get_iter_location (tv, &iter, &loc);
  gtk_text_view_buffer_to_window_coords (tv, GTK_TEXT_WINDOW_WIDGET,
                                         loc.x + 1, loc.y + 1, &wx, &wy);
  g_assert_false (_gls_text_view_click (f->view, wx, wy));
  g_assert_false (_gls_text_view_click (f->view, gtk_widget_get_width (GTK_WIDGET (tv)) - 2, wy));
  g_assert_null (activated);
}

static void
test_search (ViewFixture   *f,
             gconstpointer  data)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (_gls_text_view_get_source_view (f->view)));
  GtkSearchEntry *entry = _gls_text_view_get_search_entry (f->view);
  GtkTextIter start, end;
  gint64 first = offset_of (markdown, "die Anleitung");
  gint64 second = offset_of (markdown, "die Widerstände");
  g_autofree char *selected = NULL;
  GtkWidget *focus;

  g_assert_false (gtk_search_bar_get_search_mode (_gls_text_view_get_search_bar (f->view)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "text.search", NULL));
  g_assert_true (gtk_search_bar_get_search_mode (_gls_text_view_get_search_bar (f->view)));
  test_settle (50);
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_nonnull (focus);
  g_assert_true (focus == GTK_WIDGET (entry) || gtk_widget_is_ancestor (focus, GTK_WIDGET (entry)));

  /* Typing selects the first match from the cursor. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "die ");
  g_signal_emit_by_name (entry, "search-changed");
  test_settle (100);
  g_assert_true (gtk_text_buffer_get_selection_bounds (buffer, &start, &end));
  g_assert_cmpint (gtk_text_iter_get_offset (&start), ==, first);

  /* Next (Enter, Ctrl+G), previous (Shift+Ctrl+G). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "text.find-next", NULL));
  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  g_assert_cmpint (gtk_text_iter_get_offset (&start), ==, second);
  selected = gtk_text_iter_get_text (&start, &end);
  g_assert_cmpstr (selected, ==, "die ");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "text.find-previous", NULL));
  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  g_assert_cmpint (gtk_text_iter_get_offset (&start), ==, first);

  /* Escape closes the bar and gives the text the focus back. */
  g_signal_emit_by_name (entry, "stop-search");
  g_assert_false (gtk_search_bar_get_search_mode (_gls_text_view_get_search_bar (f->view)));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (_gls_text_view_get_source_view (f->view))));
}

static int
line_height (GlsTextView *view)
{
  GtkTextView *tv = GTK_TEXT_VIEW (_gls_text_view_get_source_view (view));
  GtkTextIter iter;
  GdkRectangle loc;

  gtk_text_buffer_get_start_iter (gtk_text_view_get_buffer (tv), &iter);
  gtk_text_iter_forward_line (&iter);
  gtk_text_iter_forward_line (&iter);
  gtk_text_view_get_iter_location (tv, &iter, &loc);

  return loc.height;
}

static void
test_zoom (ViewFixture   *f,
           gconstpointer  data)
{
  int base = line_height (f->view);
  int bigger;

  g_assert_cmpfloat (gls_text_view_get_zoom (f->view), ==, 1.0);
  gls_text_view_zoom_in (f->view);
  gls_text_view_zoom_in (f->view);
  gls_text_view_zoom_in (f->view);
  g_assert_cmpfloat_with_epsilon (gls_text_view_get_zoom (f->view), 1.33, 1e-6);
  test_settle (100);
  bigger = line_height (f->view);
  g_test_message ("line height %d at 100%%, %d at 133%%", base, bigger);
  g_assert_cmpint (bigger, >, base);

  for (guint i = 0; i < 20; i++)
    gls_text_view_zoom_out (f->view);
  g_assert_cmpfloat_with_epsilon (gls_text_view_get_zoom (f->view), 0.5, 1e-6);
  test_settle (100);
  g_assert_cmpint (line_height (f->view), <, base);

  gls_text_view_zoom_reset (f->view);
  test_settle (100);
  g_assert_cmpint (line_height (f->view), ==, base);
}

/* 2,000 passages over 10,000 lines: scrolling redraws only what shows,
 * and the margin looks its rows up, never walking every passage. */

typedef struct
{
  GtkAdjustment *vadj;
  GArray        *frames;   /* double: ms from before-paint to after-paint */
  gint64         started;
  guint          left;
  double         step;
} ScrollRun;

static void
before_paint_cb (GdkFrameClock *clock,
                 ScrollRun     *run)
{
  run->started = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                ScrollRun     *run)
{
  double ms;

  if (run->started == 0 || run->left == 0)
    return;
  ms = (g_get_monotonic_time () - run->started) / 1000.0;
  g_array_append_val (run->frames, ms);
  run->started = 0;
}

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  ScrollRun *run = data;

  if (run->left == 0)
    return G_SOURCE_REMOVE;
  run->left--;
  gtk_adjustment_set_value (run->vadj, gtk_adjustment_get_value (run->vadj) + run->step);

  return G_SOURCE_CONTINUE;
}

static gboolean
scroll_done (gpointer data)
{
  return ((ScrollRun *) data)->left == 0;
}

static int
double_compare (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
scroll_frames (ViewFixture *f,
               const char  *what)
{
  GtkWidget *tv = GTK_WIDGET (_gls_text_view_get_source_view (f->view));
  GdkFrameClock *clock = gtk_widget_get_frame_clock (tv);
  ScrollRun run = { 0 };
  gulong before, after;
  double sum = 0, median;

  run.vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (tv));
  run.frames = g_array_new (FALSE, FALSE, sizeof (double));
  run.left = 150;
  run.step = 53;
  gtk_adjustment_set_value (run.vadj, 0);
  test_settle (200);

  before = g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &run);
  after = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &run);
  gtk_widget_add_tick_callback (tv, scroll_tick_cb, &run, NULL);
  g_assert_true (test_wait_for (scroll_done, &run, 60, "the scrolling"));
  test_settle (50);
  g_signal_handler_disconnect (clock, before);
  g_signal_handler_disconnect (clock, after);

  g_assert_cmpuint (run.frames->len, >, 50);
  for (guint i = 0; i < run.frames->len; i++)
    sum += g_array_index (run.frames, double, i);
  g_array_sort (run.frames, double_compare);
  median = g_array_index (run.frames, double, run.frames->len / 2);
  g_test_message ("%s: %u frames, mean %.2f ms, median %.2f ms, 95th %.2f ms, max %.2f ms",
                  what, run.frames->len, sum / run.frames->len, median,
                  g_array_index (run.frames, double, run.frames->len * 95 / 100),
                  g_array_index (run.frames, double, run.frames->len - 1));
  g_array_unref (run.frames);

  return median;
}

static void
test_many_passages (ViewFixture   *f,
                    gconstpointer  data)
{
  g_autofree char *text = long_text (10000);
  g_autoptr(GArray) passages = g_array_new (FALSE, TRUE, sizeof (GlsTextPassage));
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  gint64 line_length = g_utf8_strlen ("Zeile 1: ein Satz über nichts, mit Umlauten äöü.\n", -1);
  double plain, marked;
  gint64 t0;

  gtk_window_set_default_size (f->window, 1000, 800);
  gls_text_view_set_text (f->view, text, "text/markdown");
  test_settle (300);
  plain = scroll_frames (f, "no passages");

  /* Every fifth line, some overlapping their neighbour, some resolved. */
  for (guint i = 0; i < 2000; i++)
    {
      GlsTextPassage p = { 0 };
      gint64 at = offset_of (text, "Zeile ") + (gint64) i * 5 * (line_length + 1);

      g_ptr_array_add (ids, g_strdup_printf ("urn:uuid:%08u-0000-4000-8000-000000000000", i));
      p.id = g_ptr_array_index (ids, ids->len - 1);
      p.number = i + 1;
      p.start = at + (i % 7);
      p.end = p.start + 20 + (i % 3) * 40;
      p.resolved = i % 11 == 0;
      p.preview = "A comment on this passage";
      g_array_append_val (passages, p);
    }

  t0 = g_get_monotonic_time ();
  gls_text_view_set_passages (f->view, (const GlsTextPassage *) (gpointer) passages->data, passages->len);
  g_test_message ("set_passages (2,000): %.1f ms", (g_get_monotonic_time () - t0) / 1000.0);
  g_assert_cmpuint (gls_text_view_get_n_passages (f->view), ==, 2000);
  gls_text_view_set_selected (f->view, g_ptr_array_index (ids, 1000));
  test_settle (300);
  marked = scroll_frames (f, "2,000 passages");

  /* The passages may cost something, not a frame's budget: what a frame
   * takes here is mostly the renderer (software under Xvfb). */
  g_assert_cmpfloat (marked, <, plain + 8.0);
}

/* The window: a Markdown design shows in the text view, with its threads. */

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
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static GlsDesign *
add_file (WindowFixture *f,
          const char    *name,
          const char    *contents,
          gssize         length)
{
  g_autofree char *path = g_build_filename (f->tmpdir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GlsDesign *design;

  g_assert_true (g_file_set_contents (path, contents, length, &error));
  g_assert_no_error (error);
  design = gls_workspace_add_design (f->workspace, file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (design);

  return design;
}

static void
window_setup (WindowFixture *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->tmpdir = test_data_dir_new ("glossa-test-ui-text-XXXXXX");
  f->workspace = gls_workspace_open (f->tmpdir, "default", &error);
  g_assert_no_error (error);
  f->design = add_file (f, "anleitung.md", markdown, -1);
  g_assert_cmpint (gls_design_get_kind (f->design), ==, GLS_DESIGN_KIND_TEXT);

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
text_shown (gpointer data)
{
  GlsWindow *window = data;
  GlsTextView *view = _gls_window_get_text_view (window);

  return g_strcmp0 (_gls_window_get_view (window), "text") == 0 &&
         gtk_widget_get_mapped (GTK_WIDGET (view)) &&
         gtk_widget_get_height (GTK_WIDGET (view)) > 0;
}

static gboolean
view_is_error (gpointer data)
{
  return g_strcmp0 (_gls_window_get_view (data), "error") == 0;
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
has_n_passages (gpointer data)
{
  CountData *c = data;

  return gls_text_view_get_n_passages (GLS_TEXT_VIEW (c->threads)) == c->n;
}

static void
test_window_text_design (WindowFixture *f,
                         gconstpointer  data)
{
  GlsTextView *view = _gls_window_get_text_view (f->window);
  GlsThreadsPanel *panel = GLS_THREADS_PANEL (_gls_window_get_threads_panel (f->window));
  GListModel *threads = gls_workspace_get_threads (f->workspace, gls_design_get_source (f->design));
  gint64 start = offset_of (markdown, "Polarität");
  gint64 end = start + (gint64) g_utf8_strlen ("Polarität", -1);
  CountData count = { threads, 1 };
  CountData passages = { (GListModel *) view, 1 };
  g_autoptr(GlsThread) thread = NULL;
  const GlsSelector *selector;
  GlsCommentPopover *popover;

  gls_window_show_design (f->window, f->design);
  g_assert_true (test_wait_for (text_shown, f->window, 20, "the text view"));
  g_assert_cmpstr (gls_text_view_get_text (view), ==, markdown);
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (_gls_text_view_get_source_view (view))));

  /* Zoom goes to the text; the canvas's comment mode is off. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.zoom-in", NULL));
  g_assert_cmpfloat (gls_text_view_get_zoom (view), >, 1.0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.zoom-fit", NULL));
  g_assert_cmpfloat (gls_text_view_get_zoom (view), ==, 1.0);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.comment-mode", NULL);
  g_assert_false (gls_window_get_comment_mode (f->window));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.comment-selection", NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (_gls_text_view_get_comment_popover (view))));

  /* A comment on a selection, through the header's button, is a thread
   * with a TEXT selector. */
  select_by_keys (view, start, end);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.comment-selection", NULL));
  test_settle (50);
  popover = _gls_text_view_get_comment_popover (view);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  gls_comment_popover_set_text (popover, "Polarität der LEDs, nicht der Dioden");
  g_assert_true (gls_comment_popover_submit (popover));
  g_assert_true (test_wait_for (has_n_threads, &count, 10, "the text comment"));
  g_assert_true (test_wait_for (has_n_passages, &passages, 10, "its passage"));

  thread = g_list_model_get_item (threads, 0);
  selector = gls_thread_get_selector (thread);
  g_assert_cmpint (selector->kind, ==, GLS_SELECTOR_TEXT);
  g_assert_cmpint (selector->start, ==, start);
  g_assert_cmpint (selector->end, ==, end);
  g_assert_cmpstr (selector->exact, ==, "Polarität");
  assert_ids_at (view, start + 2, gls_thread_get_root_id (thread));
  g_assert_cmpstr (gls_text_view_get_selected (view), ==, gls_thread_get_root_id (thread));

  /* The threads list quotes the passage. */
  {
    GtkWidget *row = g_object_ref_sink (gls_thread_row_new ());

    gls_thread_row_set_thread (GLS_THREAD_ROW (row), thread);
    g_assert_nonnull (strstr (gls_thread_row_get_summary (GLS_THREAD_ROW (row)), "on “Polarität”"));
    g_object_unref (row);
  }

  /* Choosing no thread, then the thread in the panel, selects its passage. */
  _gls_window_select_thread (f->window, NULL, FALSE);
  g_assert_null (gls_text_view_get_selected (view));
  g_signal_emit_by_name (panel, "thread-activated", thread);
  g_assert_cmpstr (gls_text_view_get_selected (view), ==, gls_thread_get_root_id (thread));

  /* A click on the passage selects the thread in the panel. */
  _gls_window_select_thread (f->window, NULL, FALSE);
  g_signal_emit_by_name (view, "passage-activated", gls_thread_get_root_id (thread));
  g_assert_cmpstr (gls_threads_panel_get_selected_thread (panel), ==, gls_thread_get_root_id (thread));

  /* Back to the window's keys: Ctrl+F in the text searches the text. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "text.search", NULL));
  g_assert_true (gtk_search_bar_get_search_mode (_gls_text_view_get_search_bar (view)));
}

/* What a peer (or an older Glossa) may hold: a text design whose file is
 * not UTF-8. This workspace refuses to add one; the window still has to
 * show it as an error, not as garbled text. */
static GlsDesign *
put_peer_design (WindowFixture *f,
                 const char    *name,
                 const char    *media_type,
                 const char    *contents,
                 gsize          length)
{
  g_autoptr(GBytes) bytes = g_bytes_new (contents, length);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *data = g_base64_encode ((const guchar *) contents, length);
  g_autofree char *rev = NULL;
  JsonObject *attachments = json_object_new ();
  JsonObject *attachment = json_object_new ();
  GlsIdentity *identity = gls_workspace_get_identity (f->workspace);

  design = gls_design_new_for_bytes (name, media_type, bytes, GLS_DEFAULT_LICENSE,
                                     gls_identity_get_did (identity), "A Peer",
                                     "2026-01-02T03:04:05.000Z", NULL, &error);
  g_assert_no_error (error);
  doc = gls_design_to_json (design);
  g_assert_true (gls_proof_sign (doc, identity, NULL, &error));
  g_assert_no_error (error);
  json_object_set_string_member (attachment, "content_type", media_type);
  json_object_set_string_member (attachment, "data", data);
  json_object_set_object_member (attachments, GLS_DESIGN_ATTACHMENT, attachment);
  json_object_set_object_member (doc, "_attachments", attachments);
  rev = gls_store_put (gls_workspace_get_store (f->workspace), doc, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rev);

  return g_steal_pointer (&design);
}

static void
test_window_not_utf8 (WindowFixture *f,
                      gconstpointer  data)
{
  static const char latin1[] = "Gr\xfc\xdf" "e aus K\xf6ln\n";
  g_autoptr(GlsDesign) bad = put_peer_design (f, "latin1.txt", "text/plain", latin1, sizeof latin1 - 1);
  AdwStatusPage *page;

  g_assert_cmpint (gls_design_get_kind (bad), ==, GLS_DESIGN_KIND_TEXT);
  gls_window_show_design (f->window, bad);
  g_assert_true (test_wait_for (view_is_error, f->window, 20, "the error page"));
  page = _gls_window_get_error_page (f->window);
  g_test_message ("%s: %s", adw_status_page_get_title (page), adw_status_page_get_description (page));
  g_assert_nonnull (strstr (adw_status_page_get_title (page), "latin1.txt"));
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "UTF-8"));
  g_assert_null (gls_text_view_get_text (_gls_window_get_text_view (f->window)));

  /* The good one opens after it. */
  gls_window_show_design (f->window, f->design);
  g_assert_true (test_wait_for (text_shown, f->window, 20, "the text view"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = test_ui_home_new ("glossa-test-ui-text-home-XXXXXX");
  int ret;

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/ui/text/comment-by-keyboard", ViewFixture, NULL,
              view_setup, test_comment_by_keyboard, view_teardown);
  g_test_add ("/ui/text/passages", ViewFixture, NULL,
              view_setup, test_passages, view_teardown);
  g_test_add ("/ui/text/reveal", ViewFixture, NULL,
              view_setup, test_reveal, view_teardown);
  g_test_add_func ("/ui/text/top-after-loading", test_top_after_loading);
  g_test_add ("/ui/text/activate", ViewFixture, NULL,
              view_setup, test_activate, view_teardown);
  g_test_add ("/ui/text/search", ViewFixture, NULL,
              view_setup, test_search, view_teardown);
  g_test_add ("/ui/text/zoom", ViewFixture, NULL,
              view_setup, test_zoom, view_teardown);
  g_test_add ("/ui/text/many-passages", ViewFixture, NULL,
              view_setup, test_many_passages, view_teardown);
  g_test_add ("/ui/window/text-design", WindowFixture, NULL,
              window_setup, test_window_text_design, window_teardown);
  g_test_add ("/ui/window/text-not-utf8", WindowFixture, NULL,
              window_setup, test_window_not_utf8, window_teardown);

  ret = g_test_run ();
  test_rm_rf (home);

  return ret;
}
