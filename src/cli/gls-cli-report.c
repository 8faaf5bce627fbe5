/* gls-cli-report.c: glossa report, through the glossa-render module
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "gls-cli-report.h"

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  const char *what = user_data;

  /* Back to the line's start: the count is written over itself. */
  g_printerr ("\r");
  /* Translators: "Writing the review… 12/50", on a terminal */
  g_printerr (_("%s… %u/%u"), what, done, total);
}

int
gls_cli_report (const GlsRenderApi  *api,
                GlsWorkspace        *workspace,
                const char          *design_ref,
                const char          *output,
                gboolean             annotated,
                GError             **error)
{
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GListModel) threads = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(GlsReportInput) input = NULL;
  g_autofree char *path = NULL;
  const char *what;
  gboolean show_progress;
  guint n_pages = 0;
  gboolean ok;

  if (output != NULL && g_str_equal (output, "-"))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("A report is a PDF file: name it with -o FILE.pdf"));
      return 2;
    }

  if (!gls_workspace_load_design (workspace, design_ref, error) ||
      !(design = gls_workspace_find_design (workspace, design_ref, error)) ||
      !gls_workspace_load_threads (workspace, design, error) ||
      !(file = gls_workspace_load_design_file (workspace, gls_design_get_id (design), error)) ||
      !(reviews = gls_workspace_list_reviews (workspace, design, error)))
    return 1;

  /* Without -o, a name of its own here, and never over a file that is
   * already there: -o names a file to write over on purpose. */
  if (output != NULL)
    path = g_strdup (output);
  else
    {
      path = api->report_suggest_name (gls_design_get_name (design), annotated);
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       /* Translators: %s is a file name */
                       _("“%s” exists already: to write over it, name it with -o"), path);
          return 1;
        }
    }

  input = gls_report_input_new (design, file);
  threads = gls_workspace_get_threads (workspace, gls_design_get_source (design));
  gls_report_input_add_threads (input, threads);
  gls_report_input_add_reviews (input, reviews);
  versions = gls_workspace_list_versions (workspace, design);
  gls_report_input_set_versions (input, versions, gls_workspace_get_designs (workspace));

  what = annotated ? _("Writing the annotated PDF") : _("Writing the review");
  show_progress = isatty (STDERR_FILENO);
  ok = api->report_write (input, path, annotated, show_progress ? progress_cb : NULL, (gpointer) what,
                          &n_pages, NULL, error);
  if (show_progress)
    g_printerr ("\n");
  if (!ok)
    return 1;

  if (annotated)
    /* Translators: "Wrote “board annotated.pdf” with 4 comments" */
    g_print (ngettext ("Wrote “%s” with %u thread\n", "Wrote “%s” with %u threads\n", input->threads->len),
             path, input->threads->len);
  else
    /* Translators: "Wrote “board review.pdf” (3 pages)" */
    g_print (ngettext ("Wrote “%s” (%u page)\n", "Wrote “%s” (%u pages)\n", n_pages), path, n_pages);

  return 0;
}
