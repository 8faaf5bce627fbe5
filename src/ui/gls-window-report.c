/* gls-window-report.c: Export Review… and Export Annotated PDF…
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-annotated-pdf.h"
#include "gls-report.h"
#include "gls-window-private.h"

/* A report that takes longer than this shows its progress. */
#define PROGRESS_DELAY_MS 300

typedef struct
{
  GlsWindow      *self;
  GlsWorkspace   *workspace;
  GlsDesign      *design;
  GlsReportInput *input;
  GFile          *file;
  gboolean        annotated;
  GCancellable   *cancellable;

  /* Written by the worker, read by the main thread's timer. */
  guint           done;
  guint           total;

  GtkWindow      *dialog;
  GtkProgressBar *bar;
  guint           timeout;
} Export;

static void
export_free (Export *export)
{
  g_clear_handle_id (&export->timeout, g_source_remove);
  if (export->dialog != NULL)
    gtk_window_destroy (export->dialog);
  g_clear_object (&export->self);
  g_clear_object (&export->workspace);
  g_clear_object (&export->design);
  g_clear_pointer (&export->input, gls_report_input_free);
  g_clear_object (&export->file);
  g_clear_object (&export->cancellable);
  g_free (export);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Export, export_free)

/* The worker */

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  Export *export = user_data;

  g_atomic_int_set (&export->total, total);
  g_atomic_int_set (&export->done, done);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Export *export = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autofree char *path = g_file_get_path (export->file);
  gboolean ok;

  if (path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Glossa can only write the report to a local file"));
      return;
    }

  /* The file and the reviews are read here, not on the main thread. */
  g_clear_pointer (&export->input->file, g_bytes_unref);
  export->input->file = gls_workspace_load_design_file (export->workspace, gls_design_get_id (export->design),
                                                        &error);
  if (export->input->file == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!export->annotated)
    {
      if (!(reviews = gls_workspace_list_reviews (export->workspace, export->design, &error)))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      gls_report_input_add_reviews (export->input, reviews);
    }

  if (export->annotated)
    ok = gls_annotated_pdf_write (export->input, path, progress_cb, export, cancellable, &error);
  else
    ok = gls_report_write (export->input, path, progress_cb, export, NULL, cancellable, &error);
  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* The progress dialog */

static gboolean
update_progress_cb (gpointer user_data)
{
  Export *export = user_data;
  guint total = g_atomic_int_get (&export->total);
  guint done = g_atomic_int_get (&export->done);

  if (total > 0)
    gtk_progress_bar_set_fraction (export->bar, (double) done / total);
  else
    gtk_progress_bar_pulse (export->bar);
  return G_SOURCE_CONTINUE;
}

static void
cancel_clicked_cb (Export *export)
{
  g_cancellable_cancel (export->cancellable);
}

static gboolean
show_progress_cb (gpointer user_data)
{
  Export *export = user_data;
  g_autofree char *basename = g_file_get_basename (export->file);
  g_autofree char *label_text = NULL;
  GtkWidget *box, *label, *cancel, *header;

  export->dialog = GTK_WINDOW (adw_window_new ());
  gtk_window_set_transient_for (export->dialog, GTK_WINDOW (export->self));
  gtk_window_set_modal (export->dialog, TRUE);
  gtk_window_set_resizable (export->dialog, FALSE);
  gtk_window_set_deletable (export->dialog, FALSE);
  gtk_window_set_default_size (export->dialog, 360, -1);
  gtk_window_set_title (export->dialog,
                        export->annotated ? _("Exporting the Annotated PDF") : _("Exporting the Review"));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_box_append (GTK_BOX (box), header);

  /* Translators: %s is the file being written */
  label_text = g_strdup_printf (_("Writing “%s”…"), basename);
  label = gtk_label_new (label_text);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_margin_start (label, 24);
  gtk_widget_set_margin_end (label, 24);
  gtk_box_append (GTK_BOX (box), label);

  export->bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_margin_start (GTK_WIDGET (export->bar), 24);
  gtk_widget_set_margin_end (GTK_WIDGET (export->bar), 24);
  gtk_accessible_update_property (GTK_ACCESSIBLE (export->bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label_text, -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (export->bar));

  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_widget_set_halign (cancel, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (cancel, 6);
  gtk_widget_set_margin_bottom (cancel, 24);
  gtk_widget_add_css_class (cancel, "pill");
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (cancel_clicked_cb), export);
  gtk_box_append (GTK_BOX (box), cancel);

  adw_window_set_content (ADW_WINDOW (export->dialog), box);
  gtk_window_set_default_widget (export->dialog, cancel);
  gtk_window_present (export->dialog);
  gtk_widget_grab_focus (cancel);

  update_progress_cb (export);
  export->timeout = g_timeout_add (100, update_progress_cb, export);
  return G_SOURCE_REMOVE;
}

/* Done */

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  /* Freed here, on the main thread, whoever drops the task last. */
  g_autoptr(Export) export = g_task_get_task_data (G_TASK (result));
  GlsWindow *self = export->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = g_file_get_basename (export->file);
  g_autofree char *title = NULL;
  g_autofree char *uri = NULL;
  AdwToast *toast;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (export->annotated)
        message = g_strdup_printf (_("Could not export the annotated PDF: %s"), error->message);
      else
        message = g_strdup_printf (_("Could not export the review: %s"), error->message);
      gls_window_add_toast_message (self, message);
      return;
    }

  /* Translators: a toast, "Exported “board review.pdf”" */
  title = g_strdup_printf (_("Exported “%s”"), basename);
  uri = g_file_get_uri (export->file);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Open"));
  adw_toast_set_action_name (toast, "win.open-export");
  adw_toast_set_action_target_value (toast, g_variant_new_string (uri));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
start_export (Export *export)
{
  g_autoptr(GTask) task = NULL;

  export->cancellable = g_cancellable_new ();
  export->timeout = g_timeout_add (PROGRESS_DELAY_MS, show_progress_cb, export);

  task = g_task_new (NULL, export->cancellable, export_done_cb, NULL);
  g_task_set_source_tag (task, start_export);
  g_task_set_task_data (task, export, NULL);
  g_task_run_in_thread (task, export_thread);
}

static void
chooser_response_cb (Export               *export,
                     int                   response,
                     GtkFileChooserNative *native)
{
  if (response == GTK_RESPONSE_ACCEPT)
    export->file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (native));
  g_object_unref (native);

  if (export->file == NULL)
    {
      export_free (export);
      return;
    }
  start_export (export);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  GlsWindow *self = GLS_WINDOW (widget);
  gboolean annotated = g_str_equal (action_name, "win.export-annotated-pdf");
  g_autoptr(GListModel) threads = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GBytes) none = g_bytes_new (NULL, 0);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GtkFileChooserNative *native;
  Export *export;

  if (self->design == NULL)
    return;

  export = g_new0 (Export, 1);
  export->self = g_object_ref (self);
  export->workspace = g_object_ref (self->workspace);
  export->design = g_object_ref (self->design);
  export->annotated = annotated;

  /* What the models say now, taken here, on their thread; the file is
   * read by the worker. */
  export->input = gls_report_input_new (self->design, none);
  threads = gls_workspace_get_threads (self->workspace, gls_design_get_source (self->design));
  gls_report_input_add_threads (export->input, threads);
  versions = gls_workspace_list_versions (self->workspace, self->design);
  gls_report_input_set_versions (export->input, versions, gls_workspace_get_designs (self->workspace));

  native = gtk_file_chooser_native_new (annotated ? _("Export Annotated PDF") : _("Export Review"),
                                        GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  name = gls_report_suggest_name (gls_design_get_name (self->design), annotated);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  g_signal_connect_swapped (native, "response", G_CALLBACK (chooser_response_cb), export);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
launched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GlsWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not open the report: %s"), error->message);

      gls_window_add_toast_message (self, message);
    }
}

static void
open_export_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  g_autoptr(GdkAppLaunchContext) context = gdk_display_get_app_launch_context (display);

  g_app_info_launch_default_for_uri_async (g_variant_get_string (param, NULL), G_APP_LAUNCH_CONTEXT (context),
                                           NULL, launched_cb, g_object_ref (widget));
}

void
_gls_window_update_report_actions (GlsWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "win.export-review", self->design != NULL);
  gtk_widget_action_set_enabled (widget, "win.export-annotated-pdf",
                                 self->design != NULL &&
                                 gls_design_get_kind (self->design) == GLS_DESIGN_KIND_PDF);
}

void
_gls_window_class_init_report (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.export-review", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.export-annotated-pdf", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.open-export", "s", open_export_action);
}
