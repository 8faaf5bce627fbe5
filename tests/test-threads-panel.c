/* test-threads-panel.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "gls-comment-row.h"
#include "gls-hlc.h"
#include "gls-mention-completion.h"
#include "gls-threads.h"
#include "gls-proof.h"
#include "gls-relative-time.h"
#include "gls-review-box.h"
#include "gls-thread-row.h"
#include "gls-thread-view.h"
#include "gls-threads-panel-private.h"
#include "gls-workspace.h"
#include "test-util.h"

typedef struct
{
  char            *dir;
  GlsWorkspace    *workspace;
  GlsDesign       *design;
  GListModel      *threads;
  GtkWindow       *window;
  GlsThreadsPanel *panel;
  /* root ids */
  char            *resistor;   /* own, open */
  char            *silkscreen; /* own, resolved */
  char            *mounting;   /* own, open */
  char            *foreign;    /* Ada's, open */
  GPtrArray       *activated;  /* root ids from ::thread-activated */
} Fixture;

/* Helpers */

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (Fixture *f, gconstpointer data);

static void
wait_until (Fixture       *f,
            Condition      condition,
            gconstpointer  data,
            const char    *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (10000, timeout_cb, &timed_out);

  while (!condition (f, data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("Timed out waiting for %s", what);
  g_source_remove (id);
}

/* Lets GTK lay out and draw, so list rows exist. */
static void
settle (void)
{
  gint64 end = g_get_monotonic_time () + 150 * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

static GlsThread *
thread_in (GListModel *model,
           const char *root_id)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsThread) thread = g_list_model_get_item (model, i);

      if (g_strcmp0 (gls_thread_get_root_id (thread), root_id) == 0)
        return g_steal_pointer (&thread);
    }

  return NULL;
}

static gboolean
model_has_n (Fixture       *f,
             gconstpointer  data)
{
  return g_list_model_get_n_items (f->threads) == GPOINTER_TO_UINT (data);
}

static guint
n_visible (Fixture *f)
{
  return g_list_model_get_n_items (gls_threads_panel_get_visible_threads (f->panel));
}

static gboolean
visible_has_n (Fixture       *f,
               gconstpointer  data)
{
  return n_visible (f) == GPOINTER_TO_UINT (data);
}

static char *
comment (Fixture    *f,
         double      x,
         double      y,
         const char *text)
{
  GlsSelector selector = { GLS_SELECTOR_POINT, 0, x, y, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsAnnotation) annotation = NULL;

  annotation = gls_workspace_comment (f->workspace, gls_design_get_id (f->design), &selector, text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (annotation);

  return g_strdup (gls_annotation_get_id (annotation));
}

/* Someone else's comment, as it would arrive from a peer. */
static char *
foreign_comment (Fixture    *f,
                 const char *text)
{
  g_autoptr(GlsIdentity) other = gls_identity_new_random ();
  g_autoptr(GlsHlc) hlc = gls_hlc_new ();
  g_autofree char *created = gls_hlc_now (hlc);
  g_autoptr(GlsAnnotation) annotation = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = NULL;
  GlsSelector selector = { GLS_SELECTOR_RECT, 0, 20, 30, 40, 50 };

  annotation = gls_annotation_new_comment (gls_design_get_source (f->design),
                                           &selector, text,
                                           gls_identity_get_did (other), "Ada Lovelace",
                                           "https://creativecommons.org/licenses/by/4.0/",
                                           created);
  doc = gls_annotation_to_json (annotation);
  rev = gls_store_put (gls_workspace_get_store (f->workspace), doc, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rev);

  return g_strdup (gls_annotation_get_id (annotation));
}

static void
thread_activated_cb (GlsThreadsPanel *panel,
                     GlsThread       *thread,
                     Fixture         *f)
{
  g_ptr_array_add (f->activated, g_strdup (gls_thread_get_root_id (thread)));
}

static gboolean
window_mapped (Fixture       *f,
               gconstpointer  data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (f->panel)) &&
         gtk_widget_get_width (GTK_WIDGET (f->panel)) > 0;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GlsAnnotation) resolved = NULL;
  g_autofree char *board = NULL;
  const char *source_dir = g_getenv ("GLOSSA_SOURCE_DIR");

  if (source_dir == NULL)
    source_dir = TEST_SRCDIR "/..";

  f->dir = test_data_dir_new ("glossa-threads-panel-XXXXXX");

  f->workspace = gls_workspace_open (f->dir, GLS_WORKSPACE_DEFAULT_NAME, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->workspace);

  board = g_build_filename (source_dir, "data", "samples", "board.svg", NULL);
  file = g_file_new_for_path (board);
  f->design = gls_workspace_add_design (f->workspace, file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->design);

  f->threads = gls_workspace_get_threads (f->workspace, gls_design_get_source (f->design));

  f->resistor = comment (f, 10, 10, "Check the resistor values\nR3 looks too small.");
  f->silkscreen = comment (f, 50, 60, "Silkscreen text is too small");
  f->mounting = comment (f, 90, 20, "Mounting holes are off the grid");
  f->foreign = foreign_comment (f, "The USB connector overhangs the edge");

  resolved = gls_workspace_set_resolved (f->workspace, f->silkscreen, TRUE, &error);
  g_assert_no_error (error);

  f->activated = g_ptr_array_new_with_free_func (g_free);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 360, 800);
  f->panel = GLS_THREADS_PANEL (gls_threads_panel_new (f->workspace));
  g_signal_connect (f->panel, "thread-activated", G_CALLBACK (thread_activated_cb), f);
  gtk_window_set_child (f->window, GTK_WIDGET (f->panel));
  gtk_window_present (f->window);
  wait_until (f, window_mapped, NULL, "the window to be mapped");

  /* Settings start from the memory backend's defaults every run. */
  gls_threads_panel_set_filter (f->panel, "open");
  gls_threads_panel_set_mine_only (f->panel, FALSE);
  gls_threads_panel_set_design (f->panel, f->design);

  wait_until (f, model_has_n, GUINT_TO_POINTER (4), "four threads in the model");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  settle ();

  g_clear_pointer (&f->activated, g_ptr_array_unref);
  g_clear_object (&f->threads);
  g_clear_object (&f->design);
  g_clear_object (&f->workspace);
  g_free (f->resistor);
  g_free (f->silkscreen);
  g_free (f->mounting);
  g_free (f->foreign);
  test_data_dir_free (f->dir);
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (GLS_IS_THREAD_ROW (widget))
    {
      if (gtk_widget_get_child_visible (gtk_widget_get_parent (widget)) &&
          gls_thread_row_get_thread (GLS_THREAD_ROW (widget)) != NULL)
        g_ptr_array_add (rows, widget);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static GPtrArray *
shown_rows (Fixture *f)
{
  GPtrArray *rows = g_ptr_array_new ();

  settle ();
  collect_rows (_gls_threads_panel_get_list_view (f->panel), rows);

  return rows;
}

static GlsThreadView *
thread_view (Fixture *f)
{
  return GLS_THREAD_VIEW (gls_threads_panel_get_thread_view (f->panel));
}

static void
open_thread (Fixture    *f,
             const char *root_id)
{
  GListModel *visible = gls_threads_panel_get_visible_threads (f->panel);
  guint n = g_list_model_get_n_items (visible);
  guint position = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsThread) thread = g_list_model_get_item (visible, i);

      if (g_str_equal (gls_thread_get_root_id (thread), root_id))
        position = i;
    }
  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);

  /* What a click or Enter on the row does. */
  g_assert_true (gtk_widget_activate_action (_gls_threads_panel_get_list_view (f->panel),
                                             "list.activate-item", "u", position));
  g_assert_true (gls_threads_panel_get_showing_thread (f->panel));
  g_assert_cmpstr (gls_thread_get_root_id (gls_thread_view_get_thread (thread_view (f))), ==, root_id);
}

static gboolean
trigger_matches (GtkShortcutTrigger *trigger,
                 GtkShortcutTrigger *wanted)
{
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    return trigger_matches (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), wanted) ||
           trigger_matches (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), wanted);

  return gtk_shortcut_trigger_equal (trigger, wanted);
}

/* GTK 4 cannot inject key events, so find the shortcut a key press would
 * trigger on `widget` (or an ancestor) and run it as GTK would. Returns
 * whether it was handled. */
static gboolean
press_shortcut (GtkWidget  *widget,
                const char *accelerator)
{
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (accelerator);

  g_assert_nonnull (wanted);

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (w);

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

          if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
            continue;

          for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
            {
              g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

              if (trigger_matches (gtk_shortcut_get_trigger (shortcut), wanted) &&
                  gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                                w,
                                                gtk_shortcut_get_arguments (shortcut)))
                return TRUE;
            }
        }
    }

  return FALSE;
}

static GlsThread *
model_thread (Fixture    *f,
              const char *root_id)
{
  GlsThread *thread = thread_in (f->threads, root_id);

  g_assert_nonnull (thread);
  return thread;
}

/* Tests */

static void
test_relative_time (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 23, 12, 0, 0);
  struct { GTimeSpan ago; const char *expected; } cases[] = {
    { 0, "just now" },
    { 45 * G_TIME_SPAN_SECOND, "just now" },
    { -30 * G_TIME_SPAN_SECOND, "just now" },
    { 1 * G_TIME_SPAN_MINUTE, "1 minute ago" },
    { 5 * G_TIME_SPAN_MINUTE + 10 * G_TIME_SPAN_SECOND, "5 minutes ago" },
    { 1 * G_TIME_SPAN_HOUR, "1 hour ago" },
    { 3 * G_TIME_SPAN_HOUR, "3 hours ago" },
    { 30 * G_TIME_SPAN_HOUR, "yesterday" },
    { 3 * G_TIME_SPAN_DAY, "3 days ago" },
  };
  g_autofree char *old = NULL;
  g_autofree char *from_string = NULL;
  g_autoptr(GDateTime) long_ago = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) then = g_date_time_add (now, -cases[i].ago);
      g_autofree char *text = gls_format_relative_time (then, now);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }

  long_ago = g_date_time_new_utc (2025, 3, 14, 12, 0, 0);
  old = gls_format_relative_time (long_ago, now);
  g_assert_nonnull (strstr (old, "2025"));
  g_assert_nonnull (strstr (old, "March"));

  from_string = gls_format_relative_iso8601 ("2026-11-23T11:55:00.123004Z", now);
  g_assert_cmpstr (from_string, ==, "4 minutes ago");
  g_assert_null (gls_format_relative_iso8601 ("not a date", now));
}

static void
test_first_line (void)
{
  g_autofree char *a = gls_thread_first_line ("\n  \n  Second line first \nthird");
  g_autofree char *b = gls_thread_first_line ("one");
  g_autofree char *c = gls_thread_first_line ("");

  g_assert_cmpstr (a, ==, "Second line first");
  g_assert_cmpstr (b, ==, "one");
  g_assert_cmpstr (c, ==, "");
}

/* A row on its own, for a PDF thread with a reply, resolved; and the
 * placeholder of a deleted root. */
static void
test_thread_row (void)
{
  g_autoptr(GlsHlc) hlc = gls_hlc_new ();
  g_autoptr(GPtrArray) annotations = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) threads = NULL;
  g_autofree char *t1 = gls_hlc_now (hlc);
  g_autofree char *t2 = gls_hlc_now (hlc);
  g_autofree char *t3 = gls_hlc_now (hlc);
  g_autofree char *t4 = gls_hlc_now (hlc);
  g_autofree char *t5 = gls_hlc_now (hlc);
  const char *source = "ni:///sha-256;UyaQV-Ev4rdLoHyJJWCi11OHfrYv9E1aGQAlMO2X_-Q";
  const char *did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
  const char *cc = "https://creativecommons.org/licenses/by/4.0/";
  GlsSelector on_page = { GLS_SELECTOR_RECT, 3, 10, 20, 30, 40 };
  GlsAnnotation *root, *gone;
  GtkWidget *row;

  root = gls_annotation_new_comment (source, &on_page, "\nPin 7 is NC\nsee table 4", did, "Ada", cc, t1);
  g_ptr_array_add (annotations, root);
  g_ptr_array_add (annotations, gls_annotation_new_reply (gls_annotation_get_id (root), "Fixed in rev B", did, "Ada", cc, t2));
  g_ptr_array_add (annotations, gls_annotation_new_assessment (gls_annotation_get_id (root), TRUE, did, "Ada", cc, t3));
  gone = gls_annotation_new_comment (source, NULL, "Whole page", did, "Ada", cc, t4);
  g_ptr_array_add (annotations, gls_annotation_new_reply (gls_annotation_get_id (gone), "An answer that stays", did, "Ada", cc, t5));
  g_ptr_array_add (annotations, gls_annotation_new_tombstone (gone));
  g_object_unref (gone);

  threads = gls_threads_derive (annotations, source);
  g_assert_cmpuint (threads->len, ==, 2);

  row = g_object_ref_sink (gls_thread_row_new ());
  gls_thread_row_set_thread (GLS_THREAD_ROW (row), threads->pdata[0]);
  g_assert_cmpstr (gls_thread_row_get_summary (GLS_THREAD_ROW (row)), ==,
                   "Comment 1, Ada, page 3: Pin 7 is NC. 1 reply. Resolved");
  g_assert_true (gtk_widget_has_css_class (row, "resolved"));

  gls_thread_row_set_thread (GLS_THREAD_ROW (row), threads->pdata[1]);
  g_assert_true (gls_thread_get_placeholder (threads->pdata[1]));
  g_assert_cmpstr (gls_thread_row_get_summary (GLS_THREAD_ROW (row)), ==,
                   "Comment 2: Deleted comment. 1 reply. Open");
  g_assert_false (gtk_widget_has_css_class (row, "resolved"));

  g_object_unref (row);
}

static void
test_no_design (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("glossa-threads-panel-XXXXXX", &error);
  g_autoptr(GlsWorkspace) workspace = gls_workspace_open (dir, GLS_WORKSPACE_DEFAULT_NAME, &error);
  GtkWidget *panel;

  g_assert_no_error (error);
  panel = g_object_ref_sink (gls_threads_panel_new (workspace));

  g_assert_true (gls_threads_panel_get_workspace (GLS_THREADS_PANEL (panel)) == workspace);
  g_assert_null (gls_threads_panel_get_design (GLS_THREADS_PANEL (panel)));
  g_assert_cmpstr (_gls_threads_panel_get_list_state (GLS_THREADS_PANEL (panel)), ==, "no-design");
  g_assert_false (gls_threads_panel_get_showing_thread (GLS_THREADS_PANEL (panel)));

  g_object_unref (panel);
  g_clear_object (&workspace);
  test_rm_rf (dir);
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.glossa.Glossa");
  gboolean found_resistor = FALSE;

  /* open: resistor, mounting, foreign */
  g_assert_cmpuint (n_visible (f), ==, 3);
  g_assert_cmpstr (_gls_threads_panel_get_list_state (f->panel), ==, "list");

  rows = shown_rows (f);
  g_assert_cmpuint (rows->len, ==, 3);
  for (guint i = 0; i < rows->len; i++)
    {
      GlsThread *thread = gls_thread_row_get_thread (rows->pdata[i]);
      const char *summary = gls_thread_row_get_summary (rows->pdata[i]);

      g_assert_false (gls_thread_get_resolved (thread));
      if (g_str_equal (gls_thread_get_root_id (thread), f->resistor))
        {
          found_resistor = TRUE;
          /* the first line only */
          g_assert_nonnull (strstr (summary, "Check the resistor values"));
          g_assert_null (strstr (summary, "R3"));
          g_assert_nonnull (strstr (summary, "Open"));
        }
    }
  g_assert_true (found_resistor);

  /* The toggle buttons go through the threads.filter action. */
  gtk_widget_activate_action (GTK_WIDGET (f->panel), "threads.filter", "s", "resolved");
  g_assert_cmpstr (gls_threads_panel_get_filter (f->panel), ==, "resolved");
  g_assert_cmpuint (n_visible (f), ==, 1);
  {
    g_autoptr(GlsThread) only = g_list_model_get_item (gls_threads_panel_get_visible_threads (f->panel), 0);
    g_autoptr(GPtrArray) resolved_rows = shown_rows (f);

    g_assert_cmpstr (gls_thread_get_root_id (only), ==, f->silkscreen);
    g_assert_cmpuint (resolved_rows->len, ==, 1);
    g_assert_nonnull (strstr (gls_thread_row_get_summary (resolved_rows->pdata[0]), "Resolved"));
    g_assert_true (gtk_widget_has_css_class (resolved_rows->pdata[0], "resolved"));
  }
  /* kept in GSettings */
  {
    g_autofree char *stored = g_settings_get_string (settings, "thread-filter");
    g_assert_cmpstr (stored, ==, "resolved");
  }

  gtk_widget_activate_action (GTK_WIDGET (f->panel), "threads.filter", "s", "all");
  g_assert_cmpuint (n_visible (f), ==, 4);

  /* mine: the three started by the workspace's identity */
  gtk_widget_activate_action (GTK_WIDGET (f->panel), "threads.mine-only", NULL);
  g_assert_true (gls_threads_panel_get_mine_only (f->panel));
  g_assert_true (g_settings_get_boolean (settings, "threads-mine-only"));
  g_assert_cmpuint (n_visible (f), ==, 3);
  {
    g_autoptr(GlsThread) t = thread_in (gls_threads_panel_get_visible_threads (f->panel), f->foreign);
    g_assert_null (t);
  }

  gls_threads_panel_set_filter (f->panel, "open");
  g_assert_cmpuint (n_visible (f), ==, 2);

  /* A setting changed elsewhere (another window) reaches the panel. */
  g_settings_set_boolean (settings, "threads-mine-only", FALSE);
  g_assert_false (gls_threads_panel_get_mine_only (f->panel));
  g_assert_cmpuint (n_visible (f), ==, 3);

  /* Everything filtered away: the "no results" state, not an empty list. */
  gls_threads_panel_set_mine_only (f->panel, TRUE);
  gls_threads_panel_set_filter (f->panel, "resolved");
  g_assert_cmpuint (n_visible (f), ==, 1);
  {
    g_autoptr(GlsAnnotation) reopened = gls_workspace_set_resolved (f->workspace, f->silkscreen, FALSE, NULL);
    g_assert_nonnull (reopened);
  }
  wait_until (f, visible_has_n, GUINT_TO_POINTER (0), "the reopened thread to leave the resolved list");
  g_assert_cmpstr (_gls_threads_panel_get_list_state (f->panel), ==, "no-results");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (_gls_threads_panel_get_no_results_page (f->panel))),
                   ==, "No Matching Comments");
}

static void
set_search (Fixture    *f,
            const char *text,
            guint       expected)
{
  gtk_editable_set_text (gls_threads_panel_get_search_entry (f->panel), text);
  wait_until (f, visible_has_n, GUINT_TO_POINTER (expected), text);
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GlsAnnotation) reply = NULL;
  g_autoptr(GError) error = NULL;

  gls_threads_panel_set_filter (f->panel, "all");
  g_assert_cmpuint (n_visible (f), ==, 4);

  /* text, case-insensitive */
  set_search (f, "RESISTOR", 1);
  {
    g_autoptr(GlsThread) t = g_list_model_get_item (gls_threads_panel_get_visible_threads (f->panel), 0);
    g_assert_cmpstr (gls_thread_get_root_id (t), ==, f->resistor);
  }

  /* author */
  set_search (f, "lovelace", 1);
  {
    g_autoptr(GlsThread) t = g_list_model_get_item (gls_threads_panel_get_visible_threads (f->panel), 0);
    g_assert_cmpstr (gls_thread_get_root_id (t), ==, f->foreign);
  }

  /* "too small" is in two threads */
  set_search (f, "too small", 2);

  /* reply texts count too, also when the reply arrives while searching */
  set_search (f, "pinout", 0);
  g_assert_cmpstr (_gls_threads_panel_get_list_state (f->panel), ==, "no-results");
  reply = gls_workspace_reply (f->workspace, f->mounting, "Use the Pinout from rev B", &error);
  g_assert_no_error (error);
  wait_until (f, visible_has_n, GUINT_TO_POINTER (1), "the reply to match the search");
  {
    g_autoptr(GlsThread) t = g_list_model_get_item (gls_threads_panel_get_visible_threads (f->panel), 0);
    g_assert_cmpstr (gls_thread_get_root_id (t), ==, f->mounting);
  }
  g_assert_cmpstr (_gls_threads_panel_get_list_state (f->panel), ==, "list");

  set_search (f, "", 4);
}

static gboolean
reply_count_is (Fixture       *f,
                gconstpointer  data)
{
  const guint *expected = data;
  g_autoptr(GlsThread) thread = thread_in (f->threads, f->resistor);

  return thread != NULL && gls_thread_get_reply_count (thread) == *expected;
}

static gboolean
resistor_resolved (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GlsThread) thread = thread_in (f->threads, f->resistor);

  return thread != NULL && gls_thread_get_resolved (thread) == GPOINTER_TO_INT (data);
}

static void
test_reply_and_resolve (Fixture       *f,
                        gconstpointer  data)
{
  GlsThreadView *view = thread_view (f);
  GtkTextBuffer *buffer;
  GtkWidget *reply_view;
  GtkTextIter start, end;
  g_autofree char *left = NULL;
  const guint one = 1;

  open_thread (f, f->resistor);
  g_assert_cmpuint (f->activated->len, ==, 1);
  g_assert_cmpstr (f->activated->pdata[0], ==, f->resistor);
  g_assert_cmpstr (gls_threads_panel_get_selected_thread (f->panel), ==, f->resistor);
  g_assert_cmpuint (gls_thread_view_get_n_comments (view), ==, 1);

  /* An empty reply sends nothing. */
  buffer = gls_thread_view_get_reply_buffer (view);
  gtk_text_buffer_set_text (buffer, "   \n", -1);
  gtk_widget_activate_action (GTK_WIDGET (view), "thread.send-reply", NULL);
  settle ();
  {
    g_autoptr(GlsThread) t = model_thread (f, f->resistor);
    g_assert_cmpuint (gls_thread_get_reply_count (t), ==, 0);
  }

  /* Ctrl+Enter in the reply box sends. */
  gtk_text_buffer_set_text (buffer, "Changed R3 to 10k.", -1);
  gls_thread_view_focus_reply (view);
  reply_view = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (GTK_IS_TEXT_VIEW (reply_view));
  g_assert_true (gtk_text_view_get_buffer (GTK_TEXT_VIEW (reply_view)) == buffer);
  g_assert_true (press_shortcut (reply_view, "<Control>Return"));
  wait_until (f, reply_count_is, &one, "the reply count to reach 1");
  settle ();

  /* The view followed the thread to its new object and shows the reply;
   * the box is empty again. */
  g_assert_cmpstr (gls_thread_get_root_id (gls_thread_view_get_thread (view)), ==, f->resistor);
  g_assert_cmpuint (gls_thread_get_reply_count (gls_thread_view_get_thread (view)), ==, 1);
  g_assert_cmpuint (gls_thread_view_get_n_comments (view), ==, 2);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  left = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (left, ==, "");

  /* Resolve through the view's button action: the open filter drops it, but
   * the view stays on the thread. */
  g_assert_cmpuint (n_visible (f), ==, 3);
  gtk_widget_activate_action (GTK_WIDGET (view), "thread.toggle-resolved", NULL);
  wait_until (f, resistor_resolved, GINT_TO_POINTER (TRUE), "the thread to be resolved");
  settle ();
  g_assert_cmpuint (n_visible (f), ==, 2);
  {
    g_autoptr(GlsThread) t = thread_in (gls_threads_panel_get_visible_threads (f->panel), f->resistor);
    g_assert_null (t);
  }
  g_assert_true (gls_threads_panel_get_showing_thread (f->panel));
  g_assert_true (gls_thread_get_resolved (gls_thread_view_get_thread (view)));

  /* Reopen, then back to the list. */
  gtk_widget_activate_action (GTK_WIDGET (view), "thread.toggle-resolved", NULL);
  wait_until (f, resistor_resolved, GINT_TO_POINTER (FALSE), "the thread to be open again");
  g_assert_cmpuint (n_visible (f), ==, 3);

  /* Its history: started, the reply, resolved, reopened, each by whom. */
  gls_thread_view_show_history (view);
  settle ();
  {
    GtkListBox *history = gls_thread_view_get_history_list (view);
    const char *expected[] = { "started the thread", "replied", "resolved the thread", "reopened the thread" };
    guint n = 0;

    for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (history)); row != NULL;
         row = gtk_widget_get_next_sibling (row), n++)
      {
        const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));

        g_assert_cmpuint (n, <, G_N_ELEMENTS (expected));
        g_assert_nonnull (strstr (title, expected[n]));
        g_assert_nonnull (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
      }
    g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
    gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (GTK_WIDGET (history), GTK_TYPE_POPOVER)));
    settle ();
  }

  gtk_widget_activate_action (GTK_WIDGET (f->panel), "threads.back", NULL);
  g_assert_false (gls_threads_panel_get_showing_thread (f->panel));
  g_assert_cmpstr (gls_threads_panel_get_selected_thread (f->panel), ==, f->resistor);
}

static void
test_next_previous (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GlsThread) first = NULL;
  g_autoptr(GlsThread) second = NULL;
  g_autoptr(GlsThread) third = NULL;
  GListModel *visible = gls_threads_panel_get_visible_threads (f->panel);

  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 3);
  first = g_list_model_get_item (visible, 0);
  second = g_list_model_get_item (visible, 1);
  third = g_list_model_get_item (visible, 2);
  g_assert_cmpuint (gls_thread_get_number (first), <, gls_thread_get_number (second));
  g_assert_cmpuint (gls_thread_get_number (second), <, gls_thread_get_number (third));

  /* Nothing selected: N opens the first thread. */
  gtk_widget_activate_action (GTK_WIDGET (f->panel), "threads.next", NULL);
  g_assert_cmpstr (gls_threads_panel_get_selected_thread (f->panel), ==, gls_thread_get_root_id (first));
  g_assert_true (gls_threads_panel_get_showing_thread (f->panel));

  gtk_widget_activate_action (GTK_WIDGET (f->panel), "threads.next", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->panel), "threads.next", NULL);
  g_assert_cmpstr (gls_threads_panel_get_selected_thread (f->panel), ==, gls_thread_get_root_id (third));
  /* at the end it stays */
  gtk_widget_activate_action (GTK_WIDGET (f->panel), "threads.next", NULL);
  g_assert_cmpstr (gls_threads_panel_get_selected_thread (f->panel), ==, gls_thread_get_root_id (third));

  gtk_widget_activate_action (GTK_WIDGET (f->panel), "threads.previous", NULL);
  g_assert_cmpstr (gls_threads_panel_get_selected_thread (f->panel), ==, gls_thread_get_root_id (second));
  g_assert_cmpstr (gls_thread_get_root_id (gls_thread_view_get_thread (thread_view (f))), ==,
                   gls_thread_get_root_id (second));

  /* Each step asked the window to bring the canvas there. */
  g_assert_cmpuint (f->activated->len, ==, 4);
  g_assert_cmpstr (f->activated->pdata[3], ==, gls_thread_get_root_id (second));

  /* R on the list opens the selected thread's reply box. */
  gtk_widget_activate_action (GTK_WIDGET (f->panel), "threads.back", NULL);
  g_assert_false (gls_threads_panel_get_showing_thread (f->panel));
  gtk_widget_activate_action (GTK_WIDGET (f->panel), "threads.reply", NULL);
  g_assert_true (gls_threads_panel_get_showing_thread (f->panel));
  settle ();
  g_assert_true (gtk_widget_is_focus (gtk_root_get_focus (GTK_ROOT (f->window))));
  g_assert_true (GTK_IS_TEXT_VIEW (gtk_root_get_focus (GTK_ROOT (f->window))));
  g_assert_true (gtk_text_view_get_buffer (GTK_TEXT_VIEW (gtk_root_get_focus (GTK_ROOT (f->window)))) ==
                 gls_thread_view_get_reply_buffer (thread_view (f)));
}

static gboolean
resistor_text_is (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GlsThread) thread = thread_in (f->threads, f->resistor);

  return thread != NULL && g_strcmp0 (gls_thread_get_text (thread), data) == 0;
}

static void
test_edit_own (Fixture       *f,
               gconstpointer  data)
{
  GlsThreadView *view = thread_view (f);
  GlsCommentRow *row;
  g_autofree char *edit_text = NULL;

  open_thread (f, f->resistor);
  row = GLS_COMMENT_ROW (gls_thread_view_get_comment_row (view, f->resistor));
  g_assert_nonnull (row);
  g_assert_true (gls_comment_row_get_own (row));
  g_assert_false (gls_comment_row_get_editing (row));

  /* Edit starts from the shown text. */
  gtk_widget_activate_action (GTK_WIDGET (row), "comment.edit", NULL);
  g_assert_true (gls_comment_row_get_editing (row));
  edit_text = gls_comment_row_dup_edit_text (row);
  g_assert_cmpstr (edit_text, ==, "Check the resistor values\nR3 looks too small.");

  /* Escape cancels and leaves the text alone; when not editing, Escape is
   * left for the panel (back to the list). */
  g_assert_true (press_shortcut (GTK_WIDGET (row), "Escape"));
  g_assert_false (gls_comment_row_get_editing (row));
  g_assert_true (gls_threads_panel_get_showing_thread (f->panel));

  gtk_widget_activate_action (GTK_WIDGET (row), "comment.edit", NULL);
  gls_comment_row_start_editing (row, "Check the resistor values (R3, R4)");
  /* Ctrl+Enter saves. */
  g_assert_true (press_shortcut (GTK_WIDGET (row), "<Control>Return"));
  wait_until (f, resistor_text_is, "Check the resistor values (R3, R4)", "the edit to show");
  settle ();

  /* Same row object, now showing the edited comment. */
  g_assert_true (GLS_COMMENT_ROW (gls_thread_view_get_comment_row (view, f->resistor)) == row);
  g_assert_false (gls_comment_row_get_editing (row));
  g_assert_true (gls_comment_get_edited (gls_comment_row_get_comment (row)));
  g_assert_cmpstr (gls_comment_get_text (gls_comment_row_get_comment (row)), ==, "Check the resistor values (R3, R4)");

  /* Not editing: Escape goes past the row to the panel, back to the list. */
  g_assert_true (press_shortcut (GTK_WIDGET (row), "Escape"));
  g_assert_false (gls_threads_panel_get_showing_thread (f->panel));
}

static void
test_foreign_not_editable (Fixture       *f,
                           gconstpointer  data)
{
  GlsThreadView *view = thread_view (f);
  GlsCommentRow *row;

  open_thread (f, f->foreign);
  row = GLS_COMMENT_ROW (gls_thread_view_get_comment_row (view, f->foreign));
  g_assert_nonnull (row);
  g_assert_false (gls_comment_row_get_own (row));
  g_assert_cmpstr (gls_comment_get_author_name (gls_comment_row_get_comment (row)), ==, "Ada Lovelace");

  /* No Edit, no Delete: the actions are off and edit mode cannot start. */
  gtk_widget_activate_action (GTK_WIDGET (row), "comment.edit", NULL);
  g_assert_false (gls_comment_row_get_editing (row));
  gls_comment_row_start_editing (row, "hijacked");
  g_assert_false (gls_comment_row_get_editing (row));
  {
    g_autoptr(GlsThread) t = model_thread (f, f->foreign);
    g_assert_cmpstr (gls_thread_get_text (t), ==, "The USB connector overhangs the edge");
  }
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static void
test_delete_own_reply (Fixture       *f,
                       gconstpointer  data)
{
  GlsThreadView *view = thread_view (f);
  g_autoptr(GlsAnnotation) reply = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *row;
  const guint one = 1, zero = 0;

  open_thread (f, f->resistor);

  /* A reply written elsewhere (the command line) shows up in the open view. */
  reply = gls_workspace_reply (f->workspace, f->resistor, "Typo: R4, not R3", &error);
  g_assert_no_error (error);
  wait_until (f, reply_count_is, &one, "the reply to arrive");
  settle ();
  g_assert_cmpuint (gls_thread_view_get_n_comments (view), ==, 2);

  row = gls_thread_view_get_comment_row (view, gls_annotation_get_id (reply));
  g_assert_nonnull (row);
  g_assert_true (gls_comment_row_get_own (GLS_COMMENT_ROW (row)));

  /* Cancel keeps it. */
  gtk_widget_activate_action (row, "comment.delete", NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  settle ();
  {
    g_autoptr(GlsThread) t = model_thread (f, f->resistor);
    g_assert_cmpuint (gls_thread_get_reply_count (t), ==, 1);
  }

  gtk_widget_activate_action (row, "comment.delete", NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_until (f, reply_count_is, &zero, "the reply to be deleted");
  settle ();
  g_assert_cmpuint (gls_thread_view_get_n_comments (view), ==, 1);
  g_assert_null (gls_thread_view_get_comment_row (view, gls_annotation_get_id (reply)));
  g_assert_true (gls_threads_panel_get_showing_thread (f->panel));
}

static gboolean
thread_gone (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GlsThread) thread = thread_in (f->threads, data);

  return thread == NULL;
}

static void
test_delete_root_returns_to_list (Fixture       *f,
                                  gconstpointer  data)
{
  AdwMessageDialog *dialog;

  open_thread (f, f->mounting);
  gtk_widget_activate_action (gls_thread_view_get_comment_row (thread_view (f), f->mounting),
                              "comment.delete", NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_until (f, thread_gone, f->mounting, "the thread to disappear");
  settle ();

  g_assert_false (gls_threads_panel_get_showing_thread (f->panel));
  g_assert_null (gls_threads_panel_get_selected_thread (f->panel));
  g_assert_cmpuint (n_visible (f), ==, 2);
}

static gboolean
resistor_is_placeholder (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GlsThread) thread = thread_in (f->threads, f->resistor);

  return thread != NULL && gls_thread_get_placeholder (thread);
}

/* Deleting a root that has replies leaves a placeholder; the view stays on
 * the thread and can still take replies. */
static void
test_delete_root_with_replies (Fixture       *f,
                               gconstpointer  data)
{
  GlsThreadView *view = thread_view (f);
  g_autoptr(GlsAnnotation) reply = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  GlsCommentRow *root_row;
  const guint one = 1, two = 2;

  open_thread (f, f->resistor);
  reply = gls_workspace_reply (f->workspace, f->resistor, "R3 is fine, R4 is not", &error);
  g_assert_no_error (error);
  wait_until (f, reply_count_is, &one, "the reply to arrive");

  root_row = GLS_COMMENT_ROW (gls_thread_view_get_comment_row (view, f->resistor));
  gtk_widget_activate_action (GTK_WIDGET (root_row), "comment.delete", NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_until (f, resistor_is_placeholder, NULL, "the root to become a placeholder");
  settle ();

  g_assert_true (gls_threads_panel_get_showing_thread (f->panel));
  g_assert_cmpuint (gls_thread_view_get_n_comments (view), ==, 2);
  root_row = GLS_COMMENT_ROW (gls_thread_view_get_comment_row (view, f->resistor));
  g_assert_nonnull (root_row);
  g_assert_true (gls_comment_get_deleted (gls_comment_row_get_comment (root_row)));
  /* nothing left to edit */
  gls_comment_row_start_editing (root_row, "resurrected");
  g_assert_false (gls_comment_row_get_editing (root_row));

  gtk_text_buffer_set_text (gls_thread_view_get_reply_buffer (view), "Then let us fix R4", -1);
  gtk_widget_activate_action (GTK_WIDGET (view), "thread.send-reply", NULL);
  wait_until (f, reply_count_is, &two, "a reply to the placeholder thread");
  g_assert_true (gls_threads_panel_get_showing_thread (f->panel));
}

static void
test_selected_thread_property (Fixture       *f,
                               gconstpointer  data)
{
  GlsThreadView *view = thread_view (f);
  GtkTextBuffer *buffer = gls_thread_view_get_reply_buffer (view);
  GtkTextIter start, end;
  g_autofree char *draft = NULL;

  /* The window selects a pin: the panel shows it without echoing
   * ::thread-activated back. */
  g_object_set (f->panel, "selected-thread", f->foreign, NULL);
  g_assert_true (gls_threads_panel_get_showing_thread (f->panel));
  g_assert_cmpstr (gls_thread_get_root_id (gls_thread_view_get_thread (view)), ==, f->foreign);
  g_assert_cmpuint (f->activated->len, ==, 0);

  /* A resolved thread (hidden by the filter) can still be shown from its pin. */
  gtk_text_buffer_set_text (buffer, "Half-written thought", -1);
  gls_threads_panel_set_selected_thread (f->panel, f->silkscreen);
  g_assert_cmpstr (gls_thread_get_root_id (gls_thread_view_get_thread (view)), ==, f->silkscreen);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  {
    g_autofree char *empty = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (empty, ==, "");
  }

  /* Back on the first thread, the draft is still there. */
  gls_threads_panel_set_selected_thread (f->panel, f->foreign);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  draft = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (draft, ==, "Half-written thought");

  /* An id that is not a thread of this design: back to the list. */
  gls_threads_panel_set_selected_thread (f->panel, "urn:uuid:00000000-0000-4000-8000-000000000000");
  g_assert_false (gls_threads_panel_get_showing_thread (f->panel));

  gls_threads_panel_set_selected_thread (f->panel, f->foreign);
  g_assert_true (gls_threads_panel_get_showing_thread (f->panel));

  /* Back to the list, then the same pin again: the thread opens again. */
  gtk_widget_activate_action (GTK_WIDGET (f->panel), "threads.back", NULL);
  g_assert_false (gls_threads_panel_get_showing_thread (f->panel));
  g_assert_cmpstr (gls_threads_panel_get_selected_thread (f->panel), ==, f->foreign);
  gls_threads_panel_set_selected_thread (f->panel, f->foreign);
  g_assert_true (gls_threads_panel_get_showing_thread (f->panel));

  gls_threads_panel_set_selected_thread (f->panel, NULL);
  g_assert_false (gls_threads_panel_get_showing_thread (f->panel));
  g_assert_cmpuint (f->activated->len, ==, 0);
}

static void
test_empty_design (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GlsDesign) other = NULL;
  g_autofree char *path = g_build_filename (f->dir, "blank.svg", NULL);
  const char *svg = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>";

  g_file_set_contents (path, svg, -1, &error);
  g_assert_no_error (error);
  file = g_file_new_for_path (path);
  other = gls_workspace_add_design (f->workspace, file, NULL, NULL, &error);
  g_assert_no_error (error);

  open_thread (f, f->resistor);
  gls_threads_panel_set_design (f->panel, other);
  g_assert_false (gls_threads_panel_get_showing_thread (f->panel));
  g_assert_null (gls_threads_panel_get_selected_thread (f->panel));
  g_assert_cmpuint (n_visible (f), ==, 0);
  g_assert_cmpstr (_gls_threads_panel_get_list_state (f->panel), ==, "empty");

  gls_threads_panel_set_design (f->panel, NULL);
  g_assert_cmpstr (_gls_threads_panel_get_list_state (f->panel), ==, "no-design");

  gls_threads_panel_set_design (f->panel, f->design);
  g_assert_cmpuint (n_visible (f), ==, 3);
  g_assert_cmpstr (_gls_threads_panel_get_list_state (f->panel), ==, "list");
}


static gboolean
summary_has (Fixture       *f,
             gconstpointer  data)
{
  GlsReviewBox *box = GLS_REVIEW_BOX (_gls_threads_panel_get_review_box (f->panel));
  const char *summary = gls_review_box_get_summary (box);

  return summary != NULL && strstr (summary, data) != NULL;
}

/* Approve, then ask for changes: the summary follows, one review per
 * person; a review signed by someone else arrives and shows too. */

static GlsThreadRow *
find_row (GtkWidget  *widget,
          const char *root_id)
{
  if (GLS_IS_THREAD_ROW (widget))
    {
      GlsThread *thread = gls_thread_row_get_thread (GLS_THREAD_ROW (widget));

      return thread != NULL && g_str_equal (gls_thread_get_root_id (thread), root_id) ? GLS_THREAD_ROW (widget)
                                                                                        : NULL;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GlsThreadRow *row = find_row (child, root_id);

      if (row != NULL)
        return row;
    }
  return NULL;
}

/* Someone else's thread that arrived after the workspace opened is new
 * to me, with a dot; reading it takes the dot away, and mine never had
 * one. */
static void
test_unread (Fixture       *f,
             gconstpointer  data)
{
  GtkWidget *list = _gls_threads_panel_get_list_view (f->panel);

  settle ();
  g_assert_nonnull (find_row (list, f->foreign));
  g_assert_true (gls_thread_row_get_unread (find_row (list, f->foreign)));
  g_assert_false (gls_thread_row_get_unread (find_row (list, f->resistor)));
  g_assert_nonnull (strstr (gls_thread_row_get_summary (find_row (list, f->foreign)), "New activity"));

  open_thread (f, f->foreign);
  gtk_widget_activate_action (GTK_WIDGET (f->panel), "threads.back", NULL);
  settle ();
  g_assert_false (gls_thread_row_get_unread (find_row (list, f->foreign)));
  {
    g_autoptr(GlsThread) t = model_thread (f, f->foreign);

    g_assert_false (gls_workspace_thread_is_unread (f->workspace, t));
  }
}

/* "Only Threads That Mention Me": none at first, and the reason says so;
 * then a comment naming me with @ shows. */
static void
test_mentions_filter (Fixture       *f,
                      gconstpointer  data)
{
  const char *me = gls_profile_get_display_name (gls_workspace_get_profile (f->workspace));
  g_autofree char *text = NULL;
  g_autofree char *mention = NULL;

  g_assert_nonnull (me);
  gtk_widget_activate_action (GTK_WIDGET (f->panel), "threads.mentions-only", NULL);
  g_assert_true (gls_threads_panel_get_mentions_only (f->panel));
  g_assert_cmpuint (n_visible (f), ==, 0);
  g_assert_cmpstr (_gls_threads_panel_get_list_state (f->panel), ==, "no-results");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (_gls_threads_panel_get_no_results_page (f->panel))),
                            "mentions you"));

  text = g_strdup_printf ("@%s could you check the crystal?", me);
  mention = comment (f, 70, 70, text);
  wait_until (f, visible_has_n, GUINT_TO_POINTER (1), "the mention to show");
  {
    g_autoptr(GlsThread) t = g_list_model_get_item (gls_threads_panel_get_visible_threads (f->panel), 0);

    g_assert_cmpstr (gls_thread_get_root_id (t), ==, mention);
  }
}


static gboolean
reply_sent (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GlsThread) t = model_thread (f, f->resistor);

  return gls_thread_get_reply_count (t) == 1;
}

/* @ in the reply box offers the people the workspace knows; choosing one
 * writes the name, and the reply mentions them. */
static void
test_mention_completion (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GlsIdentity) ada = gls_identity_new_random ();
  g_autoptr(GlsPerson) person = gls_person_new (gls_identity_get_did (ada), "Ada Lovelace", NULL,
                                                "2026-12-01T10:00:00Z");
  g_autoptr(JsonObject) doc = gls_person_to_json (person);
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) names = NULL;
  GlsThreadView *view = thread_view (f);
  GlsMentionCompletion *completion;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_assert_true (gls_proof_sign (doc, ada, NULL, &error));
  rev = gls_store_put (gls_workspace_get_store (f->workspace), doc, &error);
  g_assert_no_error (error);
  g_assert_true (gls_workspace_refresh (f->workspace, &error));

  open_thread (f, f->resistor);
  buffer = gls_thread_view_get_reply_buffer (view);
  gls_thread_view_focus_reply (view);
  completion = gls_mention_completion_get (GTK_TEXT_VIEW (gtk_root_get_focus (GTK_ROOT (f->window))));
  g_assert_nonnull (completion);

  /* An address is not a mention. */
  gtk_text_buffer_set_text (buffer, "write to ada@", -1);
  g_assert_false (gls_mention_completion_is_shown (completion));

  gtk_text_buffer_set_text (buffer, "Thanks @lov", -1);
  settle ();
  g_assert_true (gls_mention_completion_is_shown (completion));
  names = gls_mention_completion_dup_names (completion);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "Ada Lovelace");
  gls_mention_completion_choose (completion, 0);
  g_assert_false (gls_mention_completion_is_shown (completion));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (text, ==, "Thanks @Ada Lovelace ");

  gtk_widget_activate_action (GTK_WIDGET (view), "thread.send-reply", NULL);
  wait_until (f, reply_sent, NULL, "the reply");
  {
    g_autoptr(GlsThread) t = model_thread (f, f->resistor);

    g_assert_true (gls_thread_mentions (t, gls_identity_get_did (ada)));
  }
}

static gboolean
reviews_read (Fixture       *f,
              gconstpointer  data)
{
  return gls_review_box_get_reviews (GLS_REVIEW_BOX (_gls_threads_panel_get_review_box (f->panel))) != NULL;
}

static void
test_reviews (Fixture       *f,
              gconstpointer  data)
{
  GlsReviewBox *box = GLS_REVIEW_BOX (_gls_threads_panel_get_review_box (f->panel));
  g_autoptr(GlsIdentity) ada = gls_identity_new_random ();
  g_autoptr(GlsHlc) hlc = gls_hlc_new ();
  g_autofree char *created = gls_hlc_now (hlc);
  g_autoptr(GlsAnnotation) review = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = NULL;

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (box)));
  g_assert_true (gls_review_box_get_design (box) == f->design);
  wait_until (f, reviews_read, NULL, "the reviews to be read");
  g_assert_null (gls_review_box_get_summary (box));

  gtk_widget_activate_action (GTK_WIDGET (box), "review.approve", NULL);
  wait_until (f, summary_has, "approved", "the approval to show");
  g_assert_cmpuint (gls_review_box_get_reviews (box)->len, ==, 1);

  gls_review_box_request_changes (box, "Make the pads bigger");
  wait_until (f, summary_has, "requested changes", "the request to show");
  g_assert_cmpuint (gls_review_box_get_reviews (box)->len, ==, 1);
  g_assert_false (summary_has (f, "approved"));

  review = gls_annotation_new_review (gls_design_get_source (f->design), GLS_DECISION_APPROVED, NULL,
                                      gls_identity_get_did (ada), "Ada Lovelace", NULL, created);
  doc = gls_annotation_to_json (review);
  g_assert_true (gls_proof_sign (doc, ada, NULL, &error));
  rev = gls_store_put (gls_workspace_get_store (f->workspace), doc, &error);
  g_assert_no_error (error);
  wait_until (f, summary_has, "Ada Lovelace approved", "a peer's review to show");
  g_assert_cmpuint (gls_review_box_get_reviews (box)->len, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/ui/threads-panel/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/ui/threads-panel/relative-time", test_relative_time);
  g_test_add_func ("/ui/threads-panel/first-line", test_first_line);
  g_test_add_func ("/ui/threads-panel/thread-row", test_thread_row);
  g_test_add_func ("/ui/threads-panel/no-design", test_no_design);
  ADD ("filters", test_filters);
  ADD ("search", test_search);
  ADD ("reply-and-resolve", test_reply_and_resolve);
  ADD ("next-previous", test_next_previous);
  ADD ("edit-own", test_edit_own);
  ADD ("foreign-not-editable", test_foreign_not_editable);
  ADD ("delete-own-reply", test_delete_own_reply);
  ADD ("delete-root", test_delete_root_returns_to_list);
  ADD ("delete-root-with-replies", test_delete_root_with_replies);
  ADD ("selected-thread", test_selected_thread_property);
  ADD ("empty-design", test_empty_design);
  ADD ("reviews", test_reviews);
  ADD ("unread", test_unread);
  ADD ("mentions-filter", test_mentions_filter);
  ADD ("mention-completion", test_mention_completion);

#undef ADD

  return g_test_run ();
}
