/* test-ui-remove.c: Remove Design… in the window, and a file that
 * cannot be shown not kept
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>

#include "gls-replicator.h"
#include "gls-window-private.h"
#include "gls-workspace.h"
#include "test-util.h"

typedef struct
{
  char         *tmpdir;
  char         *bendir;
  GlsWorkspace *workspace;
  GlsDesign    *mine;    /* board.png */
  GlsDesign    *bens;    /* datasheet.pdf, added by Ben, synced here */
  GlsWindow    *window;
} Fixture;

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GlsWorkspace) ben = NULL;
  g_autoptr(GlsReplicator) repl = NULL;
  g_autoptr(GError) error = NULL;

  f->tmpdir = test_data_dir_new ("glossa-test-ui-remove-XXXXXX");
  f->bendir = test_data_dir_new ("glossa-test-ui-remove-ben-XXXXXX");
  f->workspace = test_workspace_open (f->tmpdir, NULL);
  ben = test_workspace_open (f->bendir, NULL);
  f->bens = test_workspace_add_sample (ben, "datasheet.pdf");
  repl = gls_replicator_new_local (gls_workspace_get_store (ben), gls_workspace_get_store (f->workspace));
  g_assert_true (test_replicator_run (repl, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (gls_workspace_refresh (f->workspace, &error));
  f->mine = test_workspace_add_sample (f->workspace, "board.png");

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
  g_clear_object (&f->mine);
  g_clear_object (&f->bens);
  g_clear_object (&f->workspace);
  test_data_dir_free (f->tmpdir);
  test_data_dir_free (f->bendir);
}

typedef struct
{
  Fixture    *f;
  const char *id;
} Wait;

static gboolean
shows (gpointer data)
{
  Wait *w = data;
  GlsDesign *design = gls_window_get_design (w->f->window);

  if (w->id == NULL)
    return design == NULL && g_strcmp0 (_gls_window_get_view (w->f->window), "empty") == 0;
  return design != NULL && g_strcmp0 (gls_design_get_id (design), w->id) == 0 &&
         g_strcmp0 (_gls_window_get_view (w->f->window), "loading") != 0;
}

static gboolean
listed (GlsWorkspace *workspace,
        const char   *id)
{
  GListModel *designs = gls_workspace_get_designs (workspace);

  for (guint i = 0; i < g_list_model_get_n_items (designs); i++)
    {
      g_autoptr(GlsDesign) design = g_list_model_get_item (designs, i);

      if (g_strcmp0 (gls_design_get_id (design), id) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
not_listed (gpointer data)
{
  Wait *w = data;

  return !listed (w->f->workspace, w->id);
}

/* Mine: removed for everyone (a signed tombstone in the store); the
 * window goes on to the design left, then to the empty page after Ben's
 * is hidden, which only hides it. */
static void
test_remove (Fixture       *f,
             gconstpointer  data)
{
  Wait wait = { f, gls_design_get_id (f->mine) };
  AdwMessageDialog *dialog;
  g_autoptr(JsonObject) tomb = NULL;
  g_autoptr(GError) error = NULL;

  gls_window_show_design (f->window, f->mine);
  g_assert_true (test_wait_for (shows, &wait, 10, "board.png shown"));

  dialog = _gls_window_confirm_remove (f->window, "");
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Remove “board.png”?");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "It is removed for everyone you share this workspace with. Its comments are kept.");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "remove"), ==, ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  adw_message_dialog_response (dialog, "remove");
  gtk_window_destroy (GTK_WINDOW (dialog));

  g_assert_true (test_wait_for (not_listed, &wait, 10, "board.png gone"));
  wait.id = gls_design_get_id (f->bens);
  g_assert_true (test_wait_for (shows, &wait, 10, "the datasheet shown"));
  tomb = gls_store_get (gls_workspace_get_store (f->workspace), gls_design_get_id (f->mine), NULL,
                        GLS_STORE_GET_NONE, &error);
  g_assert_null (tomb);

  /* Ben's: hidden here. */
  dialog = _gls_window_confirm_remove (f->window, gls_design_get_id (f->bens));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Remove “datasheet.pdf”?");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, "It is hidden on this computer only.");
  adw_message_dialog_response (dialog, "remove");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (test_wait_for (not_listed, &wait, 10, "the datasheet hidden"));
  g_assert_true (gls_workspace_is_design_hidden (f->workspace, gls_design_get_id (f->bens)));
  wait.id = NULL;
  g_assert_true (test_wait_for (shows, &wait, 10, "the empty page"));
}

/* Cancel removes nothing. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  AdwMessageDialog *dialog = _gls_window_confirm_remove (f->window, gls_design_get_id (f->mine));

  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  test_settle (200);
  g_assert_true (listed (f->workspace, gls_design_get_id (f->mine)));
}

static gboolean
error_shown (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (_gls_window_get_view (f->window), "error") == 0;
}

static guint
n_designs (Fixture *f)
{
  return g_list_model_get_n_items (gls_workspace_get_designs (f->workspace));
}

static gboolean
back_to_two (gpointer data)
{
  return n_designs (data) == 2;
}

/* A truncated PNG and a text file that is not UTF-8: an error, and no
 * design kept. */
static void
test_damaged_not_kept (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *sample = test_sample_path ("board.png");
  g_autofree char *contents = NULL;
  g_autofree char *png = g_build_filename (f->tmpdir, "cut.png", NULL);
  g_autofree char *txt = g_build_filename (f->tmpdir, "latin1.txt", NULL);
  g_autoptr(GFile) png_file = g_file_new_for_path (png);
  g_autoptr(GFile) txt_file = g_file_new_for_path (txt);
  g_autoptr(GError) error = NULL;
  gsize length;

  g_file_get_contents (sample, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (png, contents, 400, &error);
  g_assert_no_error (error);
  g_file_set_contents (txt, "Gr\xfc\xdf" "e aus K\xf6ln\n", -1, &error);
  g_assert_no_error (error);

  gls_window_open_files (f->window, &png_file, 1);
  g_assert_true (test_wait_for (error_shown, f, 10, "the error page"));
  g_assert_true (test_wait_for (back_to_two, f, 10, "the damaged PNG not kept"));
  g_assert_cmpstr (adw_status_page_get_title (_gls_window_get_error_page (f->window)), ==, "Cannot Open “cut.png”");

  _gls_window_set_view (f->window, "empty");
  gls_window_open_files (f->window, &txt_file, 1);
  g_assert_true (test_wait_for (error_shown, f, 10, "the error page"));
  test_settle (200);
  g_assert_cmpuint (n_designs (f), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = test_ui_home_new ("glossa-test-ui-remove-home-XXXXXX");
  int ret;

  g_setenv ("LANGUAGE", "C", TRUE);

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/ui/remove/remove", Fixture, NULL, fixture_setup, test_remove, fixture_teardown);
  g_test_add ("/ui/remove/cancel", Fixture, NULL, fixture_setup, test_cancel, fixture_teardown);
  g_test_add ("/ui/remove/damaged-not-kept", Fixture, NULL, fixture_setup, test_damaged_not_kept, fixture_teardown);

  ret = g_test_run ();
  test_rm_rf (home);
  return ret;
}
