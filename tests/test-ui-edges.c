/* test-ui-edges.c: the rough edges a new user meets in the window —
 * Escape, where the focus goes, drafts, pins that follow the filters, and
 * a view that stays where it is.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "gls-canvas-private.h"
#include "gls-thread-view.h"
#include "gls-threads-panel-private.h"
#include "gls-window-private.h"
#include "gls-workspace.h"
#include "gls-mention-completion.h"
#include "test-ui-window.h"
#include "test-util.h"

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The ids of the pins the canvas holds, sorted, joined with spaces. */
static char *
canvas_pin_ids (Fixture *f)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  for (guint i = 0; i < f->canvas->pins->len; i++)
    g_ptr_array_add (ids, g_array_index (f->canvas->pins, Pin, i).id);
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);

  return g_strjoinv (" ", (char **) ids->pdata);
}

static char *
sorted_ids (const char *a,
            const char *b)
{
  if (b == NULL)
    return g_strdup (a);
  return g_strcmp0 (a, b) < 0 ? g_strjoin (" ", a, b, NULL) : g_strjoin (" ", b, a, NULL);
}

/* Tests */

static void
test_escape (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GlsAnnotation) first = comment (f, 200, 150, "Is this LED the right way round?");
  const char *root_id = gls_annotation_get_id (first);
  GtkWidget *reply;

  /* Comment mode on from the header button, focus on the canvas: Escape
   * leaves it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.comment-mode", NULL));
  g_assert_true (gls_canvas_get_comment_mode (f->canvas));
  gtk_widget_grab_focus (GTK_WIDGET (f->canvas));
  g_assert_true (press_key (f, "Escape"));
  g_assert_false (gls_window_get_comment_mode (f->window));
  g_assert_false (gls_canvas_get_comment_mode (f->canvas));

  /* Focus elsewhere (the header toggle itself, say): still leaves it. */
  gls_window_set_comment_mode (f->window, TRUE);
  gtk_root_set_focus (GTK_ROOT (f->window), NULL);
  g_assert_true (press_key (f, "Escape"));
  g_assert_false (gls_window_get_comment_mode (f->window));

  /* A thread open, focus on the canvas: Escape goes back to the list, and
   * the focus stays on the canvas. */
  choose_thread (f, root_id);
  gtk_widget_grab_focus (GTK_WIDGET (f->canvas));
  g_assert_true (press_key (f, "Escape"));
  g_assert_false (gls_threads_panel_get_showing_thread (f->panel));
  g_assert_true (focus_widget (f) == GTK_WIDGET (f->canvas));
  /* Nothing left to go back from: Escape is not taken. */
  g_assert_false (press_key (f, "Escape"));

  /* A thread open, writing a reply: Escape goes back to the list, the
   * focus to the list (not to the search entry), the draft is kept. */
  choose_thread (f, root_id);
  gls_thread_view_focus_reply (GLS_THREAD_VIEW (gls_threads_panel_get_thread_view (f->panel)));
  reply = focus_widget (f);
  g_assert_true (GTK_IS_TEXT_VIEW (reply));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (reply)), "Half a reply", -1);
  g_assert_true (press_key (f, "Escape"));
  g_assert_false (gls_threads_panel_get_showing_thread (f->panel));
  test_settle (100);
  g_assert_false (focus_in_search (f));
  g_assert_nonnull (focus_widget (f));
  g_assert_true (gtk_widget_is_ancestor (focus_widget (f), _gls_threads_panel_get_list_view (f->panel)));
  choose_thread (f, root_id);
  {
    GtkTextBuffer *buffer = gls_thread_view_get_reply_buffer (GLS_THREAD_VIEW (gls_threads_panel_get_thread_view (f->panel)));
    GtkTextIter begin, end;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (buffer, &begin, &end);
    text = gtk_text_buffer_get_text (buffer, &begin, &end, FALSE);
    g_assert_cmpstr (text, ==, "Half a reply");
  }

  /* The composer open: Escape closes it (keeping the words), then leaves
   * comment mode. */
  gls_window_set_comment_mode (f->window, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (f->canvas));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.comment-here", NULL));
  g_assert_true (test_wait_for ((TestPredicate) gtk_widget_get_mapped,
                                _gls_canvas_get_comment_popover (f->canvas), 10, "the composer"));
  gls_comment_popover_set_text (_gls_canvas_get_comment_popover (f->canvas), "Unfinished");
  gtk_widget_grab_focus (GTK_WIDGET (_gls_canvas_get_comment_popover (f->canvas)));
  g_assert_true (press_key (f, "Escape"));
  test_settle (100);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (_gls_canvas_get_comment_popover (f->canvas))));
  g_assert_true (gls_window_get_comment_mode (f->window));
  g_assert_true (_gls_canvas_get_pending (f->canvas, NULL));
  g_assert_false (focus_in_search (f));
  if (focus_widget (f) == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (f->canvas));
  g_assert_true (press_key (f, "Escape"));
  g_assert_false (gls_window_get_comment_mode (f->window));
  g_assert_true (_gls_canvas_get_pending (f->canvas, NULL));
}

static void
test_focus (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GlsAnnotation) first = comment (f, 200, 150, "Check the footprint");

  /* On start the design has the focus. */
  g_assert_false (focus_in_search (f));
  g_assert_true (focus_widget (f) == GTK_WIDGET (f->canvas));

  /* Opening and closing a thread from the list. */
  choose_thread (f, gls_annotation_get_id (first));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), "threads.back", NULL));
  test_settle (100);
  g_assert_false (focus_in_search (f));

  /* Another design, and back. */
  gls_window_show_design (f->window, f->other);
  g_assert_true (test_wait_for (canvas_shown, f, 20, "the other design"));
  test_settle (100);
  g_assert_false (focus_in_search (f));
  g_assert_true (focus_widget (f) == GTK_WIDGET (f->canvas));
  gls_window_show_design (f->window, f->design);
  g_assert_true (test_wait_for (canvas_shown, f, 20, "the design again"));
  test_settle (100);
  g_assert_false (focus_in_search (f));

  /* A thread deleted while shown goes back to the list: not to the entry. */
  choose_thread (f, gls_annotation_get_id (first));
  gls_thread_view_focus_reply (GLS_THREAD_VIEW (gls_threads_panel_get_thread_view (f->panel)));
  {
    g_autoptr(GError) error = NULL;
    CountData count = { f->threads, 0 };

    g_assert_true (gls_workspace_delete (f->workspace, gls_annotation_get_id (first), &error));
    g_assert_no_error (error);
    g_assert_true (test_wait_for (has_n_items, &count, 10, "the deletion"));
  }
  test_settle (100);
  g_assert_false (gls_threads_panel_get_showing_thread (f->panel));
  g_assert_false (focus_in_search (f));
}

static void
test_pins_follow_filters (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GlsAnnotation) a = comment (f, 100, 100, "Open and about the LED");
  g_autoptr(GlsAnnotation) b = comment (f, 300, 200, "Resolved, about the button");
  g_autoptr(GlsAnnotation) resolution = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *both = sorted_ids (gls_annotation_get_id (a), gls_annotation_get_id (b));
  g_autofree char *ids = NULL;
  CountData count = { gls_threads_panel_get_visible_threads (f->panel), 0 };

  gls_threads_panel_set_mine_only (f->panel, FALSE);
  gls_threads_panel_set_filter (f->panel, "all");
  gtk_editable_set_text (gls_threads_panel_get_search_entry (f->panel), "");
  resolution = gls_workspace_set_resolved (f->workspace, gls_annotation_get_id (b), TRUE, &error);
  g_assert_no_error (error);
  test_settle (200);

  ids = canvas_pin_ids (f);
  g_assert_cmpstr (ids, ==, both);
  g_clear_pointer (&ids, g_free);

  /* "Open" hides the resolved thread's pin. */
  gls_threads_panel_set_filter (f->panel, "open");
  ids = canvas_pin_ids (f);
  g_assert_cmpstr (ids, ==, gls_annotation_get_id (a));
  g_clear_pointer (&ids, g_free);

  gls_threads_panel_set_filter (f->panel, "resolved");
  ids = canvas_pin_ids (f);
  g_assert_cmpstr (ids, ==, gls_annotation_get_id (b));
  g_clear_pointer (&ids, g_free);

  /* The search too (it waits for the typing to pause). */
  gls_threads_panel_set_filter (f->panel, "all");
  gtk_editable_set_text (gls_threads_panel_get_search_entry (f->panel), "LED");
  count.n = 1;
  g_assert_true (test_wait_for (has_n_items, &count, 10, "the search"));
  ids = canvas_pin_ids (f);
  g_assert_cmpstr (ids, ==, gls_annotation_get_id (a));
  g_clear_pointer (&ids, g_free);
  gtk_editable_set_text (gls_threads_panel_get_search_entry (f->panel), "");
  count.n = 2;
  g_assert_true (test_wait_for (has_n_items, &count, 10, "the search cleared"));

  /* Live: resolving a thread under "Open" takes its pin away. */
  gls_threads_panel_set_filter (f->panel, "open");
  g_clear_object (&resolution);
  resolution = gls_workspace_set_resolved (f->workspace, gls_annotation_get_id (a), TRUE, &error);
  g_assert_no_error (error);
  count.n = 0;
  g_assert_true (test_wait_for (has_n_items, &count, 10, "the resolution"));
  g_assert_cmpuint (f->canvas->pins->len, ==, 0);
}

static void
test_no_results_message (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GlsAnnotation) a = comment (f, 100, 100, "About the LED");
  CountData count = { gls_threads_panel_get_visible_threads (f->panel), 0 };
  AdwStatusPage *page = ADW_STATUS_PAGE (_gls_threads_panel_get_no_results_page (f->panel));

  gls_threads_panel_set_filter (f->panel, "open");
  gls_threads_panel_set_mine_only (f->panel, TRUE);
  gtk_editable_set_text (gls_threads_panel_get_search_entry (f->panel), "foo");
  g_assert_true (test_wait_for (has_n_items, &count, 10, "the search"));
  g_assert_cmpstr (_gls_threads_panel_get_list_state (f->panel), ==, "no-results");
  g_assert_nonnull (strstr (adw_status_page_get_description (page),
                            "No open comments of yours match “foo”"));
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "Only Threads I Started"));

  gls_threads_panel_set_mine_only (f->panel, FALSE);
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "No open comments match “foo”"));
  g_assert_null (strstr (adw_status_page_get_description (page), "yours"));

  gls_threads_panel_set_filter (f->panel, "all");
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "No comments match “foo”"));

  gtk_editable_set_text (gls_threads_panel_get_search_entry (f->panel), "");
  count.n = 1;
  g_assert_true (test_wait_for (has_n_items, &count, 10, "the search cleared"));
}

static void
test_choose_visible_pin (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GlsAnnotation) a = comment (f, 400, 300, "In view");
  double zoom, cx, cy, cx2, cy2;

  /* Fitted: the whole board is in view. */
  gls_canvas_zoom_to_fit (f->canvas);
  test_settle (100);
  zoom = gls_canvas_get_zoom (f->canvas);
  _gls_canvas_get_center (f->canvas, &cx, &cy);

  choose_thread (f, gls_annotation_get_id (a));
  test_settle (100);
  _gls_canvas_get_center (f->canvas, &cx2, &cy2);
  g_assert_cmpfloat (gls_canvas_get_zoom (f->canvas), ==, zoom);
  g_assert_cmpfloat (cx2, ==, cx);
  g_assert_cmpfloat (cy2, ==, cy);
  g_assert_cmpstr (gls_canvas_get_selected (f->canvas), ==, gls_annotation_get_id (a));

  /* Zoomed in elsewhere: choosing it brings it into view. */
  gls_canvas_set_zoom (f->canvas, 4.0);
  _gls_canvas_set_center (f->canvas, 50, 50);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), "threads.back", NULL));
  choose_thread (f, gls_annotation_get_id (a));
  {
    graphene_rect_t view;

    _gls_canvas_visible_design_rect (f->canvas, 0, &view);
    g_assert_true (graphene_rect_contains_point (&view, &GRAPHENE_POINT_INIT (400, 300)));
  }
}

static void
test_draft_per_design (Fixture       *f,
                       gconstpointer  data)
{
  GlsCommentPopover *popover = _gls_canvas_get_comment_popover (f->canvas);
  g_autofree char *text = NULL;
  GlsSelector pending;

  gls_window_set_comment_mode (f->window, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.comment-here", NULL));
  g_assert_true (test_wait_for ((TestPredicate) gtk_widget_get_mapped, popover, 10, "the composer"));
  gls_comment_popover_set_text (popover, "Half a thought about this board");
  gls_comment_popover_cancel (popover);
  test_settle (100);

  /* Another design: no draft there. */
  gls_window_show_design (f->window, f->other);
  g_assert_true (test_wait_for (canvas_shown, f, 20, "the other design"));
  g_assert_false (_gls_canvas_get_pending (f->canvas, NULL));
  g_assert_null (gls_canvas_dup_draft (f->canvas, NULL));

  /* Back: the draft is where it was, with its words. */
  gls_window_show_design (f->window, f->design);
  g_assert_true (test_wait_for (canvas_shown, f, 20, "the design again"));
  g_assert_true (_gls_canvas_get_pending (f->canvas, &pending));
  text = gls_canvas_dup_draft (f->canvas, NULL);
  g_assert_cmpstr (text, ==, "Half a thought about this board");

  /* Posting it from there makes the thread, and ends the draft. */
  gls_window_set_comment_mode (f->window, TRUE);
  g_assert_true (test_wait_for ((TestPredicate) gtk_widget_get_mapped, popover, 10, "the composer again"));
  g_assert_true (gls_comment_popover_submit (popover));
  {
    CountData count = { f->threads, 1 };

    g_assert_true (test_wait_for (has_n_items, &count, 10, "the posted draft"));
  }
  test_settle (100);
  g_assert_null (gls_canvas_dup_draft (f->canvas, NULL));
}


static GtkTextView *
find_text_view (GtkWidget *widget)
{
  if (GTK_IS_TEXT_VIEW (widget))
    return GTK_TEXT_VIEW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkTextView *found = find_text_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* @ in the new-comment composer completes people, as in the reply box. */
static void
test_composer_mentions (Fixture       *f,
                        gconstpointer  data)
{
  const char *me = gls_profile_get_display_name (gls_workspace_get_profile (f->workspace));
  g_autofree char *typed = NULL;
  g_auto(GStrv) names = NULL;
  GlsCommentPopover *popover;
  GlsMentionCompletion *completion;
  GtkTextView *view;

  g_assert_nonnull (me);
  gls_window_set_comment_mode (f->window, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (f->canvas));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.comment-here", NULL));
  popover = _gls_canvas_get_comment_popover (f->canvas);
  g_assert_true (test_wait_for ((TestPredicate) gtk_widget_get_mapped, popover, 10, "the composer"));
  view = find_text_view (GTK_WIDGET (popover));
  g_assert_nonnull (view);
  completion = gls_mention_completion_get (view);
  g_assert_nonnull (completion);

  typed = g_strdup_printf ("Ask @%.2s", me);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), typed, -1);
  test_settle (100);
  g_assert_true (gls_mention_completion_is_shown (completion));
  names = gls_mention_completion_dup_names (completion);
  g_assert_true (g_strv_contains ((const char * const *) names, me));
  gtk_popover_popdown (GTK_POPOVER (popover));
  test_settle (50);
}

int
main (int   argc,
      char *argv[])
{
  /* No accessibility bus under Xvfb: GTK would warn, and warnings are fatal. */
  g_setenv ("GTK_A11Y", "none", TRUE);

  g_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/ui/edges/escape", Fixture, NULL, fixture_setup, test_escape, fixture_teardown);
  g_test_add ("/ui/edges/focus", Fixture, NULL, fixture_setup, test_focus, fixture_teardown);
  g_test_add ("/ui/edges/pins-follow-filters", Fixture, NULL, fixture_setup, test_pins_follow_filters, fixture_teardown);
  g_test_add ("/ui/edges/no-results-message", Fixture, NULL, fixture_setup, test_no_results_message, fixture_teardown);
  g_test_add ("/ui/edges/choose-visible-pin", Fixture, NULL, fixture_setup, test_choose_visible_pin, fixture_teardown);
  g_test_add ("/ui/edges/draft-per-design", Fixture, NULL, fixture_setup, test_draft_per_design, fixture_teardown);
  g_test_add ("/ui/edges/composer-mentions", Fixture, NULL, fixture_setup, test_composer_mentions, fixture_teardown);

  return g_test_run ();
}
