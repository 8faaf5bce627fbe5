/* test-ui-suggest.c: suggestions in the window (suggest on a selection,
 * accept in the thread, apply into a new version), and threads carried
 * from an earlier version of a text.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ui-suggest"

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "gls-text.h"
#include "gls-text-view-private.h"
#include "gls-thread-row.h"
#include "gls-thread-view.h"
#include "gls-threads-panel-private.h"
#include "gls-window-private.h"
#include "test-util.h"

static const char guide[] =
  "# Assembly\n"
  "\n"
  "Solder the resistors first, then the LEDs.\n"
  "Set the iron to 330 °C and keep the tip clean.\n";

static const char guide_applied[] =
  "# Assembly\n"
  "\n"
  "Solder the resistors first, then the LEDs.\n"
  "Set the iron to 350 °C and keep the tip clean.\n";

static const char po[] =
  "msgid \"\"\n"
  "msgstr \"\"\n"
  "\"Project-Id-Version: blinky 1.0\\n\"\n"
  "\"PO-Revision-Date: 2026-01-02 03:04+0000\\n\"\n"
  "\"Last-Translator: Ana <ana@example.org>\\n\"\n"
  "\"Language-Team: German <de@example.org>\\n\"\n"
  "\"MIME-Version: 1.0\\n\"\n"
  "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
  "\"Content-Transfer-Encoding: 8bit\\n\"\n"
  "\"Language: de\\n\"\n"
  "\n"
  "#, c-format\n"
  "msgid \"Hello %s\"\n"
  "msgstr \"Hallo %s\"\n"
  "\n"
  "msgid \"Good morning\"\n"
  "msgstr \"Guten Morgen\"\n";

typedef struct
{
  char         *tmpdir;
  GlsWorkspace *workspace;
  GlsWindow    *window;
} Fixture;

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static GlsDesign *
add_file (Fixture    *f,
          const char *name,
          const char *contents)
{
  g_autofree char *path = g_build_filename (f->tmpdir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GlsDesign *design;

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
  design = gls_workspace_add_design (f->workspace, file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (design);

  return design;
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->tmpdir = test_data_dir_new ("glossa-test-ui-suggest-XXXXXX");
  f->workspace = gls_workspace_open (f->tmpdir, "default", &error);
  g_assert_no_error (error);

  f->window = gls_window_new (NULL, f->workspace, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (test_wait_for (window_mapped, f->window, 10, "the window to map"));
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  test_settle (50);
  g_clear_object (&f->workspace);
  test_data_dir_free (f->tmpdir);
}

/* Waiting for the window */

typedef struct
{
  GlsWindow  *window;
  const char *design_id;
} ShownData;

static gboolean
design_shown (gpointer data)
{
  ShownData *shown = data;
  GlsDesign *design = gls_window_get_design (shown->window);
  GlsTextView *view = _gls_window_get_text_view (shown->window);
  /* A PO file opens on its messages, any other text on its source. */
  GtkWidget *page = _gls_window_showing_messages (shown->window)
                    ? GTK_WIDGET (_gls_window_get_po_view (shown->window)) : GTK_WIDGET (view);

  return design != NULL &&
         (shown->design_id == NULL || g_strcmp0 (gls_design_get_id (design), shown->design_id) == 0) &&
         g_strcmp0 (_gls_window_get_view (shown->window), "text") == 0 &&
         gls_text_view_get_text (view) != NULL &&
         gtk_widget_get_mapped (page);
}

static void
show_and_wait (Fixture   *f,
               GlsDesign *design)
{
  ShownData shown = { f->window, gls_design_get_id (design) };

  gls_window_show_design (f->window, design);
  g_assert_true (test_wait_for (design_shown, &shown, 20, "the text design"));
  /* These tests select in the file as written. */
  if (_gls_window_showing_messages (f->window))
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.toggle-source", NULL));
      g_assert_true (test_wait_for (design_shown, &shown, 20, "the source of the PO file"));
    }
  gtk_widget_grab_focus (GTK_WIDGET (_gls_window_get_text_view (f->window)));
  test_settle (50);
}

typedef struct
{
  GListModel *model;
  guint       n;
} CountData;

static gboolean
has_n_items (gpointer data)
{
  CountData *c = data;

  return g_list_model_get_n_items (c->model) == c->n;
}

/* Selecting by keys, as test-ui-text does: the source view's own
 * keybinding signal. */

static void
move_cursor (GlsTextView     *view,
             GtkMovementStep  step,
             int              count,
             gboolean         extend)
{
  g_signal_emit_by_name (_gls_text_view_get_source_view (view), "move-cursor",
                         step, count, extend);
}

static gint64
offset_of (const char *text,
           const char *needle)
{
  const char *at = strstr (text, needle);

  g_assert_nonnull (at);
  return g_utf8_pointer_to_offset (text, at);
}

static void
select_by_keys (GlsTextView *view,
                const char  *needle)
{
  const char *text = gls_text_view_get_text (view);
  gint64 start = offset_of (text, needle);
  gint64 end = start + g_utf8_strlen (needle, -1);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (_gls_text_view_get_source_view (view)));
  GtkTextIter a, b;
  g_autofree char *selected = NULL;

  move_cursor (view, GTK_MOVEMENT_BUFFER_ENDS, -1, FALSE);
  move_cursor (view, GTK_MOVEMENT_VISUAL_POSITIONS, (int) start, FALSE);
  move_cursor (view, GTK_MOVEMENT_VISUAL_POSITIONS, (int) (end - start), TRUE);
  g_assert_true (gtk_text_buffer_get_selection_bounds (buffer, &a, &b));
  selected = gtk_text_buffer_get_text (buffer, &a, &b, FALSE);
  g_assert_cmpstr (selected, ==, needle);
}

/* Widgets found as a user finds them: by what they do or say. */

static GtkWidget *
find_action_button (GtkWidget  *widget,
                    const char *action_name)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action_name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkLabel *
find_label_containing (GtkWidget  *widget,
                       const char *needle)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL)
    return GTK_LABEL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label_containing (child, needle);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GlsThreadView *
thread_view (Fixture *f)
{
  GlsThreadsPanel *panel = GLS_THREADS_PANEL (_gls_window_get_threads_panel (f->window));

  return GLS_THREAD_VIEW (gls_threads_panel_get_thread_view (panel));
}

typedef struct
{
  GlsThreadView *view;
  const char    *root_id;
} ThreadShown;

static gboolean
thread_shown (gpointer data)
{
  ThreadShown *t = data;
  GlsThread *thread = gls_thread_view_get_thread (t->view);

  return thread != NULL && g_strcmp0 (gls_thread_get_root_id (thread), t->root_id) == 0 &&
         gtk_widget_get_mapped (GTK_WIDGET (t->view));
}

static void
show_thread (Fixture    *f,
             const char *root_id)
{
  ThreadShown t = { thread_view (f), root_id };

  _gls_window_select_thread (f->window, root_id, TRUE);
  g_assert_true (test_wait_for (thread_shown, &t, 10, "the thread"));
  test_settle (50);
}

typedef struct
{
  GlsWorkspace *workspace;
  const char   *root_id;
  GlsDecision   decision;
} DecisionData;

static gboolean
has_decision (gpointer data)
{
  DecisionData *d = data;
  g_autoptr(GlsThread) thread = gls_workspace_find_thread (d->workspace, d->root_id);

  return thread != NULL && gls_thread_get_decision (thread) == d->decision;
}

/* The accept button of the thread shown, pressed. */
static void
accept_in_thread_view (Fixture    *f,
                       const char *root_id)
{
  DecisionData d = { f->workspace, root_id, GLS_DECISION_ACCEPTED };
  GtkWidget *button;

  show_thread (f, root_id);
  button = find_action_button (GTK_WIDGET (thread_view (f)), "thread.accept");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_drawable (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (test_wait_for (has_decision, &d, 10, "the decision"));
  test_settle (50);
  /* Decided: no buttons, a badge, and Reopen. */
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (button)));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (thread_view (f)), "Accepted"));
}

/* A suggestion through the window's action: the composer starts with the
 * passage; returns the new thread's root id. */
static char *
suggest_by_keys (Fixture    *f,
                 const char *passage,
                 const char *replacement,
                 guint       n_threads)
{
  GlsTextView *view = _gls_window_get_text_view (f->window);
  GlsCommentPopover *popover = _gls_text_view_get_comment_popover (view);
  g_autoptr(GListModel) threads = gls_workspace_get_threads (f->workspace,
                                                             gls_design_get_source (gls_window_get_design (f->window)));
  CountData count = { threads, n_threads };
  g_autoptr(GlsThread) thread = NULL;
  g_autofree char *draft = NULL;

  select_by_keys (view, passage);
  g_assert_true (gtk_widget_is_sensitive (f->window->text_suggest_button));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.suggest-selection", NULL));
  test_settle (50);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_true (gls_comment_popover_get_suggestion (popover));
  draft = gls_comment_popover_dup_text (popover);
  g_assert_cmpstr (draft, ==, passage);
  /* Unchanged, it cannot be posted. */
  g_assert_false (gls_comment_popover_submit (popover));

  gls_comment_popover_set_text (popover, replacement);
  g_assert_true (gls_comment_popover_submit (popover));
  g_assert_true (test_wait_for (has_n_items, &count, 10, "the suggestion"));

  thread = g_list_model_get_item (threads, n_threads - 1);
  g_assert_true (gls_thread_is_suggestion (thread));
  g_assert_cmpstr (gls_thread_get_text (thread), ==, replacement);
  g_assert_cmpstr (gls_thread_get_selector (thread)->exact, ==, passage);
  g_assert_cmpint (gls_thread_get_decision (thread), ==, GLS_DECISION_NONE);

  return g_strdup (gls_thread_get_root_id (thread));
}

static gboolean
design_changed (gpointer data)
{
  ShownData *shown = data;
  GlsDesign *design = gls_window_get_design (shown->window);

  return design != NULL && g_strcmp0 (gls_design_get_id (design), shown->design_id) != 0 &&
         design_shown (&(ShownData) { shown->window, NULL });
}

/* Apply Accepted Suggestions; returns the new version, shown. */
static GlsDesign *
apply_and_wait (Fixture *f)
{
  GlsDesign *old = gls_window_get_design (f->window);
  ShownData shown = { f->window, gls_design_get_id (old) };
  g_autofree char *old_id = g_strdup (gls_design_get_id (old));
  GlsDesign *version;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.apply-suggestions", NULL));
  g_assert_true (test_wait_for (design_changed, &shown, 20, "the new version"));
  version = gls_window_get_design (f->window);
  g_assert_cmpstr (gls_design_get_based_on (version), ==, old_id);
  g_assert_cmpstr (gls_design_get_name (version), ==, gls_design_get_name (old));

  return g_object_ref (version);
}

static GBytes *
design_bytes (Fixture   *f,
              GlsDesign *design)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = gls_workspace_load_design_file (f->workspace, gls_design_get_id (design), &error);

  g_assert_no_error (error);
  return bytes;
}

static gboolean
carried_in (gpointer data)
{
  return _gls_window_get_carried (data) != NULL;
}

static const GlsThreadNote *
note_of (Fixture    *f,
         const char *root_id)
{
  show_thread (f, root_id);
  return gls_thread_view_get_note (thread_view (f));
}

static void
test_suggest_accept_apply (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GlsDesign) design = add_file (f, "guide.md", guide);
  g_autoptr(GlsDesign) version = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *root_id = NULL;
  g_autofree char *saved_path = g_build_filename (f->tmpdir, "saved.md", NULL);
  g_autoptr(GFile) saved = g_file_new_for_path (saved_path);
  g_autofree char *saved_text = NULL;
  GlsTextView *view = _gls_window_get_text_view (f->window);
  const GlsThreadNote *note;

  show_and_wait (f, design);

  /* Nothing accepted yet: nothing to apply (the action is off, and does
   * nothing). Without a selection, no suggesting either: the header's
   * button says so. */
  g_assert_cmpuint (_gls_window_get_n_accepted (f->window), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.apply-suggestions", NULL);
  test_settle (100);
  g_assert_cmpstr (gls_design_get_id (gls_window_get_design (f->window)), ==, gls_design_get_id (design));
  g_assert_true (gtk_widget_get_visible (f->window->text_suggest_button));
  g_assert_false (gtk_widget_is_sensitive (f->window->text_suggest_button));

  root_id = suggest_by_keys (f, "330 °C", "350 °C", 1);

  /* Its passage is a suggestion's, and says what it suggests. */
  {
    g_auto(GStrv) ids = _gls_text_view_dup_ids_at (view, offset_of (guide, "330 °C") + 1);
    g_autofree char *tip = _gls_text_view_dup_tooltip_at (view, offset_of (guide, "330 °C") + 1);

    g_assert_cmpuint (g_strv_length (ids), ==, 1);
    g_assert_cmpstr (ids[0], ==, root_id);
    g_assert_nonnull (strstr (tip, "Suggestion 1"));
    g_assert_nonnull (strstr (tip, "350 °C"));
  }

  /* The thread shows the change, and says it in words. */
  show_thread (f, root_id);
  g_assert_nonnull (find_label_containing (GTK_WIDGET (thread_view (f)), "Suggestion 1"));
  {
    GtkWidget *row = g_object_ref_sink (gls_thread_row_new ());
    g_autoptr(GlsThread) thread = gls_workspace_find_thread (f->workspace, root_id);

    gls_thread_row_set_thread (GLS_THREAD_ROW (row), thread);
    g_assert_nonnull (strstr (gls_thread_row_get_summary (GLS_THREAD_ROW (row)),
                              "Replace “330 °C” with “350 °C”"));
    g_object_unref (row);
  }

  /* Declined, then reopened: undecided again, Accept is back. */
  {
    DecisionData declined = { f->workspace, root_id, GLS_DECISION_DECLINED };
    DecisionData undecided = { f->workspace, root_id, GLS_DECISION_NONE };
    GtkWidget *decline = find_action_button (GTK_WIDGET (thread_view (f)), "thread.decline");
    GtkWidget *reopen = find_action_button (GTK_WIDGET (thread_view (f)), "thread.toggle-resolved");

    /* Undecided: decided, not resolved. */
    g_assert_false (gtk_widget_get_visible (reopen));
    g_assert_true (gtk_widget_activate (decline));
    g_assert_true (test_wait_for (has_decision, &declined, 10, "the decline"));
    test_settle (50);
    g_assert_nonnull (find_label_containing (GTK_WIDGET (thread_view (f)), "Declined"));
    g_assert_true (gtk_widget_is_drawable (reopen));
    g_assert_cmpuint (_gls_window_get_n_accepted (f->window), ==, 0);

    g_assert_true (gtk_widget_activate (reopen));
    g_assert_true (test_wait_for (has_decision, &undecided, 10, "the reopening"));
    test_settle (50);
    g_assert_true (gtk_widget_is_drawable (find_action_button (GTK_WIDGET (thread_view (f)), "thread.accept")));
  }

  accept_in_thread_view (f, root_id);
  g_assert_cmpuint (_gls_window_get_n_accepted (f->window), ==, 1);

  version = apply_and_wait (f);
  bytes = design_bytes (f, version);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   guide_applied, strlen (guide_applied));
  g_assert_cmpstr (gls_text_view_get_text (view), ==, guide_applied);

  /* The suggestion, carried into the new version, shows what it changed. */
  g_assert_true (test_wait_for (carried_in, f->window, 10, "the earlier version's threads"));
  note = note_of (f, root_id);
  g_assert_nonnull (note);
  g_assert_cmpuint (note->version, ==, 1);
  g_assert_cmpint (note->state, ==, GLS_ANCHOR_CHANGED);
  g_assert_cmpstr (note->now, ==, "350 °C");
  g_assert_nonnull (find_label_containing (GTK_WIDGET (thread_view (f)), "Changed: “330 °C” → “350 °C”"));
  /* Nothing left to apply on the new version. */
  g_assert_cmpuint (_gls_window_get_n_accepted (f->window), ==, 0);

  /* What "Save As…" writes. */
  _gls_window_save_bytes (f->window, saved, bytes);
  while (!g_file_get_contents (saved_path, &saved_text, NULL, NULL) ||
         strlen (saved_text) < strlen (guide_applied))
    {
      g_clear_pointer (&saved_text, g_free);
      test_settle (20);
    }
  g_assert_cmpstr (saved_text, ==, guide_applied);
}

static void
test_po_refused (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GlsDesign) design = add_file (f, "de.po", po);
  g_autoptr(GlsDesign) version = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *good = NULL;
  g_autofree char *text = NULL;
  const GlsThreadNote *note;
  GtkLabel *label;

  g_assert_cmpint (gls_design_get_kind (design), ==, GLS_DESIGN_KIND_TRANSLATION);
  show_and_wait (f, design);

  /* "Hallo" would lose the %s of "Hello %s"; "Guten Tag" is fine. */
  broken = suggest_by_keys (f, "Hallo %s", "Hallo", 1);
  good = suggest_by_keys (f, "Guten Morgen", "Guten Tag", 2);
  accept_in_thread_view (f, broken);
  accept_in_thread_view (f, good);
  g_assert_cmpuint (_gls_window_get_n_accepted (f->window), ==, 2);

  version = apply_and_wait (f);
  bytes = design_bytes (f, version);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_nonnull (strstr (text, "msgstr \"Guten Tag\""));
  g_assert_nonnull (strstr (text, "msgstr \"Hallo %s\""));

  /* The failures were listed. */
  g_assert_nonnull (f->window->failures_dialog);
  g_test_message ("%s", adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (f->window->failures_dialog)));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (f->window->failures_dialog)), "#1: "));
  gtk_window_destroy (GTK_WINDOW (f->window->failures_dialog));

  if (g_find_program_in_path ("msgfmt") != NULL)
    {
      g_autofree char *path = g_build_filename (f->tmpdir, "applied.po", NULL);
      g_autofree char *command = NULL;
      int status = -1;

      g_assert_true (g_file_set_contents (path, text, -1, NULL));
      command = g_strdup_printf ("msgfmt --check -o /dev/null %s", path);
      g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, NULL));
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }

  /* The refused one, carried into the new version, says why. */
  g_assert_true (test_wait_for (carried_in, f->window, 10, "the earlier version's threads"));
  note = note_of (f, broken);
  g_assert_nonnull (note);
  g_assert_cmpuint (note->version, ==, 1);
  g_assert_nonnull (note->failure);
  /* Named by its message, once the message list has read the file. */
  for (gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
       (note = note_of (f, broken))->message == NULL && g_get_monotonic_time () < end; )
    test_settle (50);
  g_assert_cmpstr (note->message, ==, "Hello %s");
  g_test_message ("not applied: %s", note->failure);
  label = find_label_containing (GTK_WIDGET (thread_view (f)), "Not applied: ");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (label)));
  g_assert_nonnull (strstr (gtk_label_get_text (label), note->failure));
  /* Still accepted, on its own version: no Accept here. */
  g_assert_false (gtk_widget_is_drawable (find_action_button (GTK_WIDGET (thread_view (f)), "thread.accept")));

  /* The applied one carries no failure. */
  note = note_of (f, good);
  g_assert_true (note == NULL || note->failure == NULL);
}

static const char carried_v1[] =
  "# Guide\n"
  "\n"
  "Fit the battery holder, then the switch.\n"
  "\n"
  "Check the polarity of the LEDs before soldering.\n"
  "\n"
  "An old paragraph about the prototype board.\n";

static const char carried_v2[] =
  "# Guide\n"
  "\n"
  "Read the whole guide before you start.\n"
  "\n"
  "Fit the battery holder, then the switch.\n"
  "\n"
  "Check the polarity of the LEDs before soldering.\n";

static char *
comment_on (Fixture    *f,
            GlsDesign  *design,
            const char *text,
            const char *passage,
            const char *words)
{
  g_autoptr(GlsTextIndex) index = gls_text_index_new (text, -1);
  g_auto(GlsSelector) selector = { 0 };
  g_autoptr(GlsAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = offset_of (text, passage);

  g_assert_true (gls_text_select_range (index, start, start + g_utf8_strlen (passage, -1), &selector));
  annotation = gls_workspace_comment (f->workspace, gls_design_get_id (design), &selector, words, &error);
  g_assert_no_error (error);

  return g_strdup (gls_annotation_get_id (annotation));
}

static gboolean
has_orphans (gpointer data)
{
  GlsThreadsPanel *panel = data;

  return g_list_model_get_n_items (_gls_threads_panel_get_orphaned (panel)) > 0;
}

static void
test_carried (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GlsDesign) v1 = add_file (f, "guide.md", carried_v1);
  g_autoptr(GlsDesign) v2 = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static (carried_v2, strlen (carried_v2));
  g_autoptr(GError) error = NULL;
  g_autofree char *moved = comment_on (f, v1, carried_v1, "polarity of the LEDs", "Show which leg is longer");
  g_autofree char *gone = comment_on (f, v1, carried_v1, "An old paragraph about the prototype board.",
                                      "Is this still true?");
  GlsThreadsPanel *panel = GLS_THREADS_PANEL (_gls_window_get_threads_panel (f->window));
  GlsTextView *view = _gls_window_get_text_view (f->window);
  GListModel *orphaned = _gls_threads_panel_get_orphaned (panel);
  GListModel *visible = gls_threads_panel_get_visible_threads (panel);
  gboolean listed = FALSE;
  const GlsThreadNote *note;

  v2 = gls_workspace_add_version (f->workspace, gls_design_get_id (v1), bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gls_design_get_based_on (v2), ==, gls_design_get_id (v1));

  show_and_wait (f, v2);
  g_assert_true (test_wait_for (has_orphans, panel, 10, "the orphaned thread"));

  /* The moved thread is listed, and its passage is where the words are now. */
  for (guint i = 0; i < g_list_model_get_n_items (visible); i++)
    {
      g_autoptr(GlsThread) thread = g_list_model_get_item (visible, i);

      g_assert_cmpstr (gls_thread_get_root_id (thread), !=, gone);
      listed |= g_strcmp0 (gls_thread_get_root_id (thread), moved) == 0;
    }
  g_assert_true (listed);
  {
    g_auto(GStrv) ids = _gls_text_view_dup_ids_at (view, offset_of (carried_v2, "polarity of the LEDs") + 3);

    g_assert_cmpuint (g_strv_length (ids), ==, 1);
    g_assert_cmpstr (ids[0], ==, moved);
  }

  /* The orphaned one is in the Orphaned section, with its old quote. */
  g_assert_cmpuint (g_list_model_get_n_items (orphaned), ==, 1);
  {
    g_autoptr(GlsThread) thread = g_list_model_get_item (orphaned, 0);
    GtkWidget *list = _gls_threads_panel_get_orphan_list (panel);
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);

    g_assert_cmpstr (gls_thread_get_root_id (thread), ==, gone);
    g_assert_nonnull (row);
    g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (row)));
    g_assert_nonnull (find_label_containing (GTK_WIDGET (row), "An old paragraph about the prototype board."));
    g_assert_nonnull (find_label_containing (GTK_WIDGET (row), "v1"));

    /* Activating it opens the thread, which says where it stands. */
    g_signal_emit_by_name (list, "row-activated", row);
    g_assert_true (gls_threads_panel_get_showing_thread (panel));
    g_assert_cmpstr (gls_thread_get_root_id (gls_thread_view_get_thread (thread_view (f))), ==, gone);
    g_assert_nonnull (find_label_containing (GTK_WIDGET (thread_view (f)), "Orphaned: "));
  }

  note = note_of (f, moved);
  g_assert_nonnull (note);
  g_assert_cmpuint (note->version, ==, 1);
  g_assert_cmpint (note->state, ==, GLS_ANCHOR_MOVED);
  note = note_of (f, gone);
  g_assert_cmpint (note->state, ==, GLS_ANCHOR_ORPHANED);

  /* Back on v1, its threads are its own, in place, and none is orphaned. */
  show_and_wait (f, v1);
  test_settle (200);
  g_assert_cmpuint (g_list_model_get_n_items (orphaned), ==, 0);
  g_assert_null (gls_threads_panel_get_carried (panel));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = test_ui_home_new ("glossa-test-ui-suggest-home-XXXXXX");
  int ret;

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/ui/suggest/accept-apply", Fixture, NULL, setup, test_suggest_accept_apply, teardown);
  g_test_add ("/ui/suggest/po-refused", Fixture, NULL, setup, test_po_refused, teardown);
  g_test_add ("/ui/suggest/carried", Fixture, NULL, setup, test_carried, teardown);

  ret = g_test_run ();
  test_rm_rf (home);

  return ret;
}
