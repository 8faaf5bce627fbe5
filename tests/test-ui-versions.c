/* test-ui-versions.c: a design's versions in the window — the sidebar's
 * one row per design, the version switcher and its shortcuts, Add New
 * Version…, the question a changed file of a design's name asks, and
 * the open-thread counts.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <adwaita.h>

#include "gls-designs-sidebar.h"
#include "gls-version-group.h"
#include "gls-window-private.h"
#include "gls-workspace.h"
#include "gls-hlc.h"
#include "gls-proof.h"
#include "test-util.h"

typedef struct
{
  char         *tmpdir;
  char         *filesdir;
  GlsWorkspace *workspace;
  GlsDesign    *v1;
  GlsDesign    *v2;
  GlsDesign    *v3;
  GlsWindow    *window;
} Fixture;

/* board.svg with a comment added: other bytes, the same drawing. */
static GBytes *
board_bytes (const char *mark)
{
  g_autofree char *path = test_sample_path ("board.svg");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  if (mark == NULL)
    return g_bytes_new (contents, length);
  return g_bytes_new_take (g_strdup_printf ("%s<!-- %s -->\n", contents, mark), length + strlen (mark) + 10);
}

/* A file named board.svg (in a folder of its own) with those bytes. */
static GFile *
board_file (Fixture    *f,
            const char *mark)
{
  g_autoptr(GBytes) bytes = board_bytes (mark);
  g_autofree char *dir = g_build_filename (f->filesdir, mark ? mark : "same", NULL);
  g_autofree char *path = g_build_filename (dir, "board.svg", NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) two = board_bytes ("two");
  g_autoptr(GBytes) three = board_bytes ("three");
  g_autofree char *path = test_sample_path ("board.svg");

  f->tmpdir = test_data_dir_new ("glossa-test-ui-versions-XXXXXX");
  f->filesdir = g_build_filename (f->tmpdir, "files", NULL);

  f->workspace = gls_workspace_open (f->tmpdir, "default", &error);
  g_assert_no_error (error);

  file = g_file_new_for_path (path);
  f->v1 = gls_workspace_add_design (f->workspace, file, NULL, NULL, &error);
  g_assert_no_error (error);
  f->v2 = gls_workspace_add_version (f->workspace, gls_design_get_id (f->v1), two, &error);
  g_assert_no_error (error);
  f->v3 = gls_workspace_add_version (f->workspace, gls_design_get_id (f->v2), three, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gls_design_get_based_on (f->v3), ==, gls_design_get_id (f->v2));

  f->window = gls_window_new (NULL, f->workspace, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1400, 900);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (test_wait_for (window_mapped, f->window, 10, "the window to map"));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  test_settle (50);
  g_clear_object (&f->v1);
  g_clear_object (&f->v2);
  g_clear_object (&f->v3);
  g_clear_object (&f->workspace);
  g_free (f->filesdir);
  test_data_dir_free (f->tmpdir);
}

/* What a person reads: a label under @widget that starts with @prefix. */
static GtkLabel *
find_label (GtkWidget  *widget,
            const char *prefix)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix))
    return GTK_LABEL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label (child, prefix);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_list_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkWidget  *widget;
  const char *prefix;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *w = data;

  return find_label (w->widget, w->prefix) != NULL;
}

static gboolean
showing (gpointer data)
{
  Fixture *f = data;
  GlsDesign *design = gls_window_get_design (f->window);

  return design != NULL && g_strcmp0 (_gls_window_get_view (f->window), "canvas") == 0;
}

static const char *
shown_id (Fixture *f)
{
  return gls_design_get_id (gls_window_get_design (f->window));
}

static void
show (Fixture   *f,
      GlsDesign *design)
{
  gls_window_show_design (f->window, design);
  g_assert_true (test_wait_for (showing, f, 10, "the design to show"));
  g_assert_cmpstr (shown_id (f), ==, gls_design_get_id (design));
}

static void
test_sidebar_groups (Fixture       *f,
                     gconstpointer  data)
{
  GlsDesignsSidebar *sidebar = _gls_window_get_sidebar (f->window);
  GListModel *rows = gls_designs_sidebar_get_rows (sidebar);
  GlsVersionGroup *group;
  LabelWait wait = { GTK_WIDGET (sidebar), "Version 3 · " };

  adw_flap_set_reveal_flap (f->window->flap, TRUE);
  show (f, f->v3);

  /* Three versions, one design: one row, its newest version. */
  g_assert_cmpuint (g_list_model_get_n_items (gls_designs_sidebar_get_groups (sidebar)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 1);
  group = gls_designs_sidebar_find_group (sidebar, gls_design_get_id (f->v1));
  g_assert_nonnull (group);
  g_assert_true (group == gls_designs_sidebar_find_group (sidebar, gls_design_get_id (f->v3)));
  g_assert_cmpstr (gls_design_get_id (gls_version_group_get_latest (group)), ==, gls_design_get_id (f->v3));
  g_assert_cmpuint (gls_version_group_get_number (group, f->v1), ==, 1);
  g_assert_cmpuint (gls_version_group_get_number (group, f->v3), ==, 3);
  g_assert_true (test_wait_for (label_shown, &wait, 10, "“Version 3 · date” in the row"));
  {
    /* The date starts with its day (%e pads one digit with a figure
     * space) and does not break across lines (no-break spaces). */
    g_autofree char *date = gls_version_format_date (f->v3);

    g_assert_nonnull (date);
    g_assert_true (g_ascii_isdigit (date[0]));
    g_assert_null (strchr (date, ' '));
    g_assert_null (strstr (date, "\u2007"));
    g_assert_nonnull (strstr (date, "\u00a0"));
  }

  /* Expanded: the older versions, newest first, under it. */
  gls_designs_sidebar_set_expanded (sidebar, gls_design_get_id (f->v3), TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 3);
  {
    g_autoptr(GtkTreeListRow) second = g_list_model_get_item (rows, 1);
    g_autoptr(GtkTreeListRow) third = g_list_model_get_item (rows, 2);
    g_autoptr(GObject) a = gtk_tree_list_row_get_item (second);
    g_autoptr(GObject) b = gtk_tree_list_row_get_item (third);

    g_assert_true (a == G_OBJECT (f->v2) || g_strcmp0 (gls_design_get_id (GLS_DESIGN (a)), gls_design_get_id (f->v2)) == 0);
    g_assert_cmpstr (gls_design_get_id (GLS_DESIGN (b)), ==, gls_design_get_id (f->v1));
  }

  /* Choosing an older version's row shows it. */
  g_signal_emit_by_name (find_list_view (GTK_WIDGET (sidebar)), "activate", 2);
  g_assert_true (test_wait_for (showing, f, 10, "the version to show"));
  g_assert_cmpstr (shown_id (f), ==, gls_design_get_id (f->v1));
  g_assert_cmpstr (gls_designs_sidebar_get_selected_design (sidebar), ==, gls_design_get_id (f->v1));
}

static void
test_switcher (Fixture       *f,
               gconstpointer  data)
{
  GtkMenuButton *button = _gls_window_get_version_button (f->window);
  GtkListBox *list = _gls_window_get_version_list (f->window);
  GtkListBoxRow *oldest;

  show (f, f->v3);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (button)));
  g_assert_cmpstr (gtk_menu_button_get_label (button), ==, "Version 3 of 3");

  /* Newest first, each with its number. */
  g_assert_nonnull (gtk_list_box_get_row_at_index (list, 2));
  g_assert_null (gtk_list_box_get_row_at_index (list, 3));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_list_box_get_row_at_index (list, 0))),
                   ==, "Version 3");
  oldest = gtk_list_box_get_row_at_index (list, 2);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (oldest)), ==, "Version 1");

  gtk_menu_button_popup (button);
  g_signal_emit_by_name (oldest, "activate");
  g_assert_true (test_wait_for (showing, f, 10, "version 1 to show"));
  g_assert_cmpstr (shown_id (f), ==, gls_design_get_id (f->v1));
  g_assert_cmpstr (gtk_menu_button_get_label (button), ==, "Version 1 of 3");
}

/* The window's own shortcut for @accel, activated as a key press would. */
static void
press_shortcut (GtkWidget  *widget,
                const char *accel)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  guint n = g_list_model_get_n_items (controllers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
      guint m;

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      m = g_list_model_get_n_items (G_LIST_MODEL (controller));
      for (guint j = 0; j < m; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (g_strcmp0 (trigger, accel) == 0)
            {
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                           gtk_shortcut_get_arguments (shortcut)));
              return;
            }
        }
    }
  g_assert_not_reached ();
}

static void
test_shortcuts (Fixture       *f,
                gconstpointer  data)
{
  show (f, f->v3);

  press_shortcut (GTK_WIDGET (f->window), "<Alt>Down");
  g_assert_true (test_wait_for (showing, f, 10, "version 2"));
  g_assert_cmpstr (shown_id (f), ==, gls_design_get_id (f->v2));

  press_shortcut (GTK_WIDGET (f->window), "<Alt>Down");
  g_assert_true (test_wait_for (showing, f, 10, "version 1"));
  g_assert_cmpstr (shown_id (f), ==, gls_design_get_id (f->v1));

  /* The oldest has nothing older. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.previous-version", NULL);
  test_settle (100);
  g_assert_cmpstr (shown_id (f), ==, gls_design_get_id (f->v1));

  press_shortcut (GTK_WIDGET (f->window), "<Alt>Up");
  g_assert_true (test_wait_for (showing, f, 10, "version 2 again"));
  g_assert_cmpstr (shown_id (f), ==, gls_design_get_id (f->v2));
}

typedef struct
{
  Fixture *f;
  guint    n;
} CountWait;

static gboolean
has_n_designs (gpointer data)
{
  CountWait *w = data;

  return g_list_model_get_n_items (gls_workspace_get_designs (w->f->workspace)) == w->n;
}

static gboolean
shows_other_than (gpointer data)
{
  CountWait *w = data;
  GlsDesign *design = gls_window_get_design (w->f->window);

  return design != NULL && gls_design_get_based_on (design) != NULL &&
         g_strcmp0 (gls_design_get_id (design), gls_design_get_id (w->f->v3)) != 0 &&
         g_strcmp0 (_gls_window_get_view (w->f->window), "canvas") == 0;
}

static void
test_add_version (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GFile) file = board_file (f, "four");
  CountWait wait = { f, 4 };
  GlsDesign *shown;

  show (f, f->v1);
  /* The chooser is the portal's or GTK's own: the part after it, given
   * the newest version as the row's menu and the window's menu do. */
  _gls_window_add_version_file (f->window, gls_design_get_id (f->v3), file);
  g_assert_true (test_wait_for (has_n_designs, &wait, 10, "the new version"));
  g_assert_true (test_wait_for (shows_other_than, &wait, 10, "the new version shown"));
  shown = gls_window_get_design (f->window);
  g_assert_cmpstr (gls_design_get_based_on (shown), ==, gls_design_get_id (f->v3));
  g_assert_cmpstr (gtk_menu_button_get_label (_gls_window_get_version_button (f->window)), ==, "Version 4 of 4");
  g_assert_cmpuint (g_list_model_get_n_items (gls_designs_sidebar_get_groups (_gls_window_get_sidebar (f->window))),
                    ==, 1);
}

static gboolean
dialog_shown (gpointer data)
{
  Fixture *f = data;

  return _gls_window_get_version_dialog (f->window) != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  Fixture *f = data;

  return _gls_window_get_version_dialog (f->window) == NULL;
}

static void
test_ask (Fixture       *f,
          gconstpointer  data)
{
  GListModel *designs = gls_workspace_get_designs (f->workspace);
  GlsDesignsSidebar *sidebar = _gls_window_get_sidebar (f->window);
  CountWait wait = { f, 4 };
  AdwMessageDialog *dialog;

  show (f, f->v1);

  /* The same bytes: the design there is shown, nothing asked. */
  {
    g_autoptr(GFile) same = board_file (f, "three");

    gls_window_open_files (f->window, &same, 1);
    g_assert_true (test_wait_for (showing, f, 10, "the same file"));
    test_settle (200);
    g_assert_null (_gls_window_get_version_dialog (f->window));
    g_assert_cmpuint (g_list_model_get_n_items (designs), ==, 3);
  }

  /* Other bytes: asked; a new version of the design, after its newest. */
  {
    g_autoptr(GFile) file = board_file (f, "as-version");

    gls_window_open_files (f->window, &file, 1);
    g_assert_true (test_wait_for (dialog_shown, f, 10, "the question"));
    dialog = _gls_window_get_version_dialog (f->window);
    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Add as a New Version of “board.svg”?");
    g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "version");
    g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "version"), ==, "Add as _New Version");
    g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "separate"), ==, "Add as _Separate Design");
    adw_message_dialog_response (dialog, "version");
    g_assert_true (test_wait_for (has_n_designs, &wait, 10, "the new version"));
    g_assert_true (test_wait_for (shows_other_than, &wait, 10, "the new version shown"));
    g_assert_cmpstr (gls_design_get_based_on (gls_window_get_design (f->window)), ==, gls_design_get_id (f->v3));
    g_assert_cmpuint (g_list_model_get_n_items (gls_designs_sidebar_get_groups (sidebar)), ==, 1);
  }

  /* A separate design: a second row. */
  {
    g_autoptr(GFile) file = board_file (f, "as-separate");

    gls_window_open_files (f->window, &file, 1);
    g_assert_true (test_wait_for (dialog_shown, f, 10, "the question"));
    adw_message_dialog_response (_gls_window_get_version_dialog (f->window), "separate");
    wait.n = 5;
    g_assert_true (test_wait_for (has_n_designs, &wait, 10, "the separate design"));
    test_settle (100);
    g_assert_null (gls_design_get_based_on (gls_window_get_design (f->window)));
    g_assert_cmpstr (gls_design_get_name (gls_window_get_design (f->window)), ==, "board.svg");
    g_assert_cmpuint (g_list_model_get_n_items (gls_designs_sidebar_get_groups (sidebar)), ==, 2);
  }

  /* Cancel: nothing added, the design shown stays. */
  {
    g_autoptr(GFile) file = board_file (f, "cancelled");
    g_autofree char *before = g_strdup (shown_id (f));

    gls_window_open_files (f->window, &file, 1);
    g_assert_true (test_wait_for (dialog_shown, f, 10, "the question"));
    adw_message_dialog_response (_gls_window_get_version_dialog (f->window), "cancel");
    g_assert_true (test_wait_for (dialog_gone, f, 10, "the question to go"));
    test_settle (300);
    g_assert_cmpuint (g_list_model_get_n_items (designs), ==, 5);
    g_assert_cmpstr (shown_id (f), ==, before);
    g_assert_cmpstr (_gls_window_get_view (f->window), ==, "canvas");
  }
}

typedef struct
{
  GlsVersionGroup *group;
  guint            n;
} OpenWait;

static gboolean
has_n_open (gpointer data)
{
  OpenWait *w = data;

  return gls_version_group_get_n_open (w->group) == w->n;
}

static void
test_open_counts (Fixture       *f,
                  gconstpointer  data)
{
  GlsDesignsSidebar *sidebar = _gls_window_get_sidebar (f->window);
  g_autoptr(GlsAnnotation) on_v3 = NULL;
  g_autoptr(GlsAnnotation) on_v1 = NULL;
  g_autoptr(GlsAnnotation) resolved = NULL;
  g_autoptr(GError) error = NULL;
  OpenWait wait = { NULL, 2 };
  LabelWait badge = { GTK_WIDGET (sidebar), "2" };

  adw_flap_set_reveal_flap (f->window->flap, TRUE);
  show (f, f->v3);
  wait.group = gls_designs_sidebar_find_group (sidebar, gls_design_get_id (f->v3));
  g_assert_cmpuint (gls_version_group_get_n_open (wait.group), ==, 0);

  on_v3 = gls_workspace_comment (f->workspace, gls_design_get_id (f->v3), NULL, "Too dark", &error);
  g_assert_no_error (error);
  on_v1 = gls_workspace_comment (f->workspace, gls_design_get_id (f->v1), NULL, "Still open from 1", &error);
  g_assert_no_error (error);

  /* Every version's open threads count on the design's row, once. */
  g_assert_true (test_wait_for (has_n_open, &wait, 10, "two open threads"));
  g_assert_cmpuint (gls_version_group_get_n_open_of (wait.group, f->v3), ==, 1);
  g_assert_cmpuint (gls_version_group_get_n_open_of (wait.group, f->v2), ==, 0);
  g_assert_true (test_wait_for (label_shown, &badge, 10, "the badge saying 2"));

  resolved = gls_workspace_set_resolved (f->workspace, gls_annotation_get_id (on_v1), TRUE, &error);
  g_assert_no_error (error);
  wait.n = 1;
  g_assert_true (test_wait_for (has_n_open, &wait, 10, "one open thread"));
  badge.prefix = "1";
  g_assert_true (test_wait_for (label_shown, &badge, 10, "the badge saying 1"));
  g_assert_null (find_label (GTK_WIDGET (sidebar), "2"));
}


static gboolean
has_n_unread (gpointer data)
{
  OpenWait *w = data;

  return gls_version_group_get_n_unread (w->group) == w->n;
}

/* A peer's signed reply on an older version's thread: the design's row
 * gets a dot; reading the thread takes it away. */
static void
test_unread_dot (Fixture       *f,
                 gconstpointer  data)
{
  GlsDesignsSidebar *sidebar = _gls_window_get_sidebar (f->window);
  g_autoptr(GlsIdentity) ada = gls_identity_new_random ();
  g_autoptr(GlsAnnotation) mine = NULL;
  g_autoptr(GlsAnnotation) reply = NULL;
  g_autoptr(GlsHlc) hlc = gls_hlc_new ();
  g_autofree char *created = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = NULL;
  g_autoptr(GlsThread) thread = NULL;
  OpenWait wait = { NULL, 1 };
  LabelWait dot = { GTK_WIDGET (sidebar), "●" };

  adw_flap_set_reveal_flap (f->window->flap, TRUE);
  show (f, f->v3);
  wait.group = gls_designs_sidebar_find_group (sidebar, gls_design_get_id (f->v3));
  mine = gls_workspace_comment (f->workspace, gls_design_get_id (f->v1), NULL, "Check the margins", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gls_version_group_get_n_unread (wait.group), ==, 0);
  g_assert_null (find_label (GTK_WIDGET (sidebar), "●"));

  g_usleep (2000);
  created = gls_hlc_now (hlc);
  reply = gls_annotation_new_reply (gls_annotation_get_id (mine), "Done in v3", gls_identity_get_did (ada), "Ada",
                                    NULL, created);
  doc = gls_annotation_to_json (reply);
  g_assert_true (gls_proof_sign (doc, ada, NULL, &error));
  rev = gls_store_put (gls_workspace_get_store (f->workspace), doc, &error);
  g_assert_no_error (error);

  g_assert_true (test_wait_for (has_n_unread, &wait, 10, "one thread with news"));
  g_assert_cmpuint (gls_version_group_get_n_unread_of (wait.group, f->v1), ==, 1);
  g_assert_true (test_wait_for (label_shown, &dot, 10, "the dot"));
  /* …with how many threads have news. */
  g_assert_nonnull (find_label (GTK_WIDGET (sidebar), "● 1"));

  thread = gls_workspace_find_thread (f->workspace, gls_annotation_get_id (mine));
  g_assert_nonnull (thread);
  gls_workspace_mark_seen (f->workspace, thread);
  wait.n = 0;
  g_assert_true (test_wait_for (has_n_unread, &wait, 10, "no news"));
  test_settle (100);
  g_assert_null (find_label (GTK_WIDGET (sidebar), "●"));
}

typedef struct
{
  GlsDesignsSidebar *sidebar;
  const char        *id;
  GlsDecision        state;
} StateWait;

static gboolean
has_state (gpointer data)
{
  StateWait *w = data;

  return gls_designs_sidebar_get_state (w->sidebar, w->id) == w->state;
}

static void
test_state (Fixture       *f,
            gconstpointer  data)
{
  GlsDesignsSidebar *sidebar = _gls_window_get_sidebar (f->window);
  g_autoptr(GlsAnnotation) requested = NULL;
  g_autoptr(GlsAnnotation) approved = NULL;
  g_autoptr(GError) error = NULL;
  StateWait wait = { sidebar, gls_design_get_id (f->v3), GLS_DECISION_CHANGES_REQUESTED };
  LabelWait label = { GTK_WIDGET (sidebar), "Changes requested" };

  adw_flap_set_reveal_flap (f->window->flap, TRUE);
  show (f, f->v3);
  g_assert_null (find_label (GTK_WIDGET (sidebar), "Approved"));

  /* The newest version's reviews are the design's state. */
  requested = gls_workspace_review (f->workspace, gls_design_get_id (f->v3),
                                    GLS_DECISION_CHANGES_REQUESTED, "The LED is reversed", &error);
  g_assert_no_error (error);
  g_assert_true (test_wait_for (has_state, &wait, 10, "changes requested"));
  g_assert_true (test_wait_for (label_shown, &label, 10, "“Changes requested” in the row"));

  /* The same reviewer changes their mind. */
  approved = gls_workspace_review (f->workspace, gls_design_get_id (f->v3), GLS_DECISION_APPROVED, NULL, &error);
  g_assert_no_error (error);
  wait.state = GLS_DECISION_APPROVED;
  g_assert_true (test_wait_for (has_state, &wait, 10, "approved"));
  label.prefix = "Approved";
  g_assert_true (test_wait_for (label_shown, &label, 10, "“Approved” in the row"));
  g_assert_null (find_label (GTK_WIDGET (sidebar), "Changes requested"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = test_ui_home_new ("glossa-test-ui-versions-home-XXXXXX");
  int ret;

  /* English words to compare with. */
  g_setenv ("LANGUAGE", "C", TRUE);

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/ui/versions/sidebar", Fixture, NULL, fixture_setup, test_sidebar_groups, fixture_teardown);
  g_test_add ("/ui/versions/switcher", Fixture, NULL, fixture_setup, test_switcher, fixture_teardown);
  g_test_add ("/ui/versions/shortcuts", Fixture, NULL, fixture_setup, test_shortcuts, fixture_teardown);
  g_test_add ("/ui/versions/add-version", Fixture, NULL, fixture_setup, test_add_version, fixture_teardown);
  g_test_add ("/ui/versions/ask", Fixture, NULL, fixture_setup, test_ask, fixture_teardown);
  g_test_add ("/ui/versions/open-counts", Fixture, NULL, fixture_setup, test_open_counts, fixture_teardown);
  g_test_add ("/ui/versions/unread-dot", Fixture, NULL, fixture_setup, test_unread_dot, fixture_teardown);
  g_test_add ("/ui/versions/state", Fixture, NULL, fixture_setup, test_state, fixture_teardown);

  ret = g_test_run ();
  test_rm_rf (home);

  return ret;
}
