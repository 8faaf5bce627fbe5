/* test-ui-window.c: see test-ui-window.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gls-thread-view.h"
#include "test-ui-window.h"
#include "test-util.h"


gboolean
canvas_shown (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (_gls_window_get_view (f->window), "canvas") == 0 &&
         gtk_widget_get_mapped (GTK_WIDGET (f->canvas)) &&
         gtk_widget_get_width (GTK_WIDGET (f->canvas)) > 0 &&
         _gls_canvas_is_render_current (f->canvas);
}

gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

GtkWidget *
focus_widget (Fixture *f)
{
  return gtk_root_get_focus (GTK_ROOT (f->window));
}

/* The search entry never takes the focus by itself. */
gboolean
focus_in_search (Fixture *f)
{
  GtkWidget *entry = GTK_WIDGET (gls_threads_panel_get_search_entry (f->panel));
  GtkWidget *focus = focus_widget (f);

  return focus != NULL && (focus == entry || gtk_widget_is_ancestor (focus, entry));
}

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->tmpdir = test_data_dir_new ("glossa-test-ui-window-XXXXXX");
  f->workspace = test_workspace_open (f->tmpdir, "default");
  f->design = test_workspace_add_sample (f->workspace, "board.png");
  f->other = test_workspace_add_sample (f->workspace, "board.svg");

  f->window = gls_window_new (NULL, f->workspace, NULL);
  f->canvas = _gls_window_get_canvas (f->window);
  f->panel = GLS_THREADS_PANEL (_gls_window_get_threads_panel (f->window));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1400, 900);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (test_wait_for (window_mapped, f->window, 10, "the window to map"));

  gls_window_show_design (f->window, f->design);
  g_assert_true (test_wait_for (canvas_shown, f, 20, "the design to be shown"));
  f->threads = gls_workspace_get_threads (f->workspace, gls_design_get_source (f->design));
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  test_settle (50);
  g_clear_object (&f->threads);
  g_clear_object (&f->design);
  g_clear_object (&f->other);
  g_clear_object (&f->workspace);
  test_data_dir_free (f->tmpdir);
}

gboolean
trigger_matches (GtkShortcutTrigger *trigger,
                 GtkShortcutTrigger *wanted)
{
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    return trigger_matches (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), wanted) ||
           trigger_matches (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), wanted);

  return gtk_shortcut_trigger_equal (trigger, wanted);
}

/* GTK 4 cannot inject key events: run the shortcuts a key press on the
 * focus widget would reach, from it up to the window, as GTK would (the
 * first that handles it wins). */
gboolean
press_key (Fixture    *f,
           const char *accelerator)
{
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (accelerator);
  GtkWidget *start = focus_widget (f);

  g_assert_nonnull (wanted);
  if (start == NULL)
    start = GTK_WIDGET (f->window);

  for (GtkWidget *w = start; w != NULL; w = gtk_widget_get_parent (w))
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

gboolean
has_n_items (gpointer data)
{
  CountData *c = data;

  return g_list_model_get_n_items (c->model) == c->n;
}

GlsAnnotation *
comment (Fixture    *f,
         double      x,
         double      y,
         const char *text)
{
  GlsSelector selector = { GLS_SELECTOR_POINT, 0, x, y, 0, 0 };
  g_autoptr(GError) error = NULL;
  GlsAnnotation *annotation;
  CountData count = { f->threads, g_list_model_get_n_items (f->threads) + 1 };

  annotation = gls_workspace_comment (f->workspace, gls_design_get_id (f->design),
                                      &selector, text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (annotation);
  g_assert_true (test_wait_for (has_n_items, &count, 10, "the thread"));

  return annotation;
}

/* Opens a thread as a click on its row does. */
void
choose_thread (Fixture    *f,
               const char *root_id)
{
  GListModel *visible = gls_threads_panel_get_visible_threads (f->panel);
  guint n = g_list_model_get_n_items (visible);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsThread) thread = g_list_model_get_item (visible, i);

      if (g_str_equal (gls_thread_get_root_id (thread), root_id))
        {
          g_assert_true (gtk_widget_activate_action (_gls_threads_panel_get_list_view (f->panel),
                                                     "list.activate-item", "u", i));
          g_assert_true (gls_threads_panel_get_showing_thread (f->panel));
          return;
        }
    }

  g_error ("thread %s is not listed", root_id);
}
