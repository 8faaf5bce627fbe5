/* gls-window-actions.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-threads-panel.h"
#include "gls-window-private.h"

#define SAMPLE_DESIGN_NAME "board.svg"

void
_gls_window_update_actions (GlsWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean shown = g_strcmp0 (_gls_window_get_view (self), "canvas") == 0;
  /* A PO file's message list has no zoom, and its own Comment. */
  gboolean text = g_strcmp0 (_gls_window_get_view (self), "text") == 0 &&
                  !_gls_window_showing_messages (self);
  guint n_pages = self->document ? gls_document_get_n_pages (self->document) : 1;
  guint page = gls_canvas_get_page (self->canvas);

  _gls_window_update_remove_action (self);
  gtk_widget_action_set_enabled (widget, "win.zoom-in", shown || text);
  gtk_widget_action_set_enabled (widget, "win.zoom-out", shown || text);
  gtk_widget_action_set_enabled (widget, "win.zoom-fit", shown || text);
  gtk_widget_action_set_enabled (widget, "win.zoom-100", shown || text);
  gtk_widget_action_set_enabled (widget, "win.comment-mode", shown);
  gtk_widget_action_set_enabled (widget, "win.comment-selection",
                                 text && self->text_view != NULL &&
                                 gls_text_view_get_can_comment (self->text_view));
  gtk_widget_action_set_enabled (widget, "win.prev-page", shown && n_pages > 1 && page > 1);
  gtk_widget_action_set_enabled (widget, "win.next-page", shown && n_pages > 1 && page < n_pages);
  _gls_window_update_text_actions (self);
  _gls_window_update_report_actions (self);
}

/* Opening files: each file is hashed in a thread first, so a file the
 * workspace already holds is shown again instead of being added twice, and
 * a changed file with the name of a design asks whether it is its next
 * version (gls-window-versions.c). */

typedef struct
{
  GlsWindow *self;
  GPtrArray *files;
  guint      index;
  GlsDesign *first;
  GError    *first_error;
  gint64     since;     /* when the file being added was asked for */
} OpenFiles;

static void
open_files_free (OpenFiles *op)
{
  g_clear_object (&op->self);
  g_clear_pointer (&op->files, g_ptr_array_unref);
  g_clear_object (&op->first);
  g_clear_error (&op->first_error);
  g_free (op);
}

static void open_next_file (OpenFiles *op);

static void
open_files_failed (OpenFiles    *op,
                   GFile        *file,
                   const GError *error)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;

  if (op->files->len == 1)
    {
      g_autofree char *title = g_strdup_printf (_("Cannot Open “%s”"), name);

      gls_window_show_error (op->self, title, error->message);
      return;
    }

  message = g_strdup_printf (_("Could not open “%s”: %s"), name, error->message);
  gls_window_add_toast_message (op->self, message);
}

static void
file_opened (OpenFiles *op,
             GFile     *file,
             GlsDesign *design)
{
  _gls_window_record_recent (op->self, design, file);
  if (op->first == NULL)
    op->first = g_object_ref (design);

  op->index++;
  open_next_file (op);
}

static void design_checked_cb (GlsWindow    *self,
                               GlsDesign    *design,
                               const GError *error,
                               gpointer      user_data);

static void
version_asked_cb (GlsWindow    *self,
                  GFile        *file,
                  GlsDesign    *design,
                  const GError *error,
                  gpointer      user_data)
{
  OpenFiles *op = user_data;

  if (design != NULL)
    {
      _gls_window_check_opened (op->self, design, op->since, design_checked_cb, op);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      open_files_free (op);
      return;
    }
  /* No error: the person chose not to add it. */
  if (error != NULL)
    open_files_failed (op, file, error);
  op->index++;
  open_next_file (op);
}

static void
design_checked_cb (GlsWindow    *self,
                   GlsDesign    *design,
                   const GError *error,
                   gpointer      user_data)
{
  OpenFiles *op = user_data;
  GFile *file = g_ptr_array_index (op->files, op->index);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      open_files_free (op);
      return;
    }
  if (error != NULL)
    {
      open_files_failed (op, file, error);
      op->index++;
      open_next_file (op);
      return;
    }
  file_opened (op, file, design);
}

static void
design_added_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  OpenFiles *op = user_data;
  GFile *file = g_ptr_array_index (op->files, op->index);
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GError) error = NULL;

  design = gls_workspace_add_design_finish (GLS_WORKSPACE (object), result, &error);
  if (design == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          open_files_free (op);
          return;
        }
      /* A changed file of a design's name: ask what it is. */
      if (g_error_matches (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_NAME_TAKEN))
        {
          _gls_window_ask_version (op->self, file, version_asked_cb, op);
          return;
        }
      open_files_failed (op, file, error);
      op->index++;
      open_next_file (op);
      return;
    }

  /* A file that cannot be shown is not kept (gls-window-remove.c). */
  _gls_window_check_opened (op->self, design, op->since, design_checked_cb, op);
}

static void
open_next_file (OpenFiles *op)
{

  if (op->index >= op->files->len)
    {
      if (op->first != NULL)
        gls_window_show_design (op->self, op->first);
      else if (op->self->design == NULL && g_strcmp0 (_gls_window_get_view (op->self), "loading") == 0)
        _gls_window_set_view (op->self, "empty");
      open_files_free (op);
      return;
    }

  /* The workspace knows a file it already has (same bytes); a changed
   * file of an existing design's name asks first (NAME_TAKEN). */
  /* A second back: the clock of `created` may round. */
  op->since = g_get_real_time () - G_USEC_PER_SEC;
  gls_workspace_add_design_full_async (op->self->workspace, g_ptr_array_index (op->files, op->index),
                                       NULL, GLS_ADD_DESIGN_ASK, op->self->cancellable,
                                       design_added_cb, op);
}

void
gls_window_open_files (GlsWindow  *self,
                       GFile     **files,
                       guint       n_files)
{
  OpenFiles *op;

  g_return_if_fail (GLS_IS_WINDOW (self));
  g_return_if_fail (files != NULL || n_files == 0);

  if (n_files == 0)
    return;

  op = g_new0 (OpenFiles, 1);
  op->self = g_object_ref (self);
  op->files = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (op->files, g_object_ref (files[i]));

  if (self->design == NULL)
    _gls_window_set_view (self, "loading");

  open_next_file (op);
}

/* The sample: the board, and the assembly guide with its German
 * translation, each once per workspace, with the comments we ship. */

static const struct
{
  const char *name;
  const char *comments;
} sample_files[] = {
  { SAMPLE_DESIGN_NAME, "board-comments.json" },
  { "assembly-guide.md", "guide-comments.json" },
  { "assembly-guide.de.po", "guide-comments.json" },
};

typedef struct
{
  GlsDesign *board;     /* when the workspace has it already */
  GPtrArray *missing;   /* names of sample_files to add */
  char      *warning;   /* set by the thread: the comments were not added */
} SampleData;

static void
sample_data_free (SampleData *data)
{
  g_clear_object (&data->board);
  g_clear_pointer (&data->missing, g_ptr_array_unref);
  g_free (data->warning);
  g_free (data);
}

/* Our own file, but read like any other: one parser for every input.
 * @design_id receives the comments whose design is not in the workspace. */
static gboolean
import_sample_comments (GlsWorkspace  *workspace,
                        const char    *comments,
                        const char    *design_id,
                        GError       **error)
{
  g_autofree char *path = g_strconcat (RESOURCE_PATH "/samples/", comments, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;

  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  /* Not in this build: the sample comes without comments then. */
  if (bytes == NULL)
    return TRUE;

  root = gls_json_from_data (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error);

  return root != NULL && gls_workspace_import (workspace, root, design_id, error) >= 0;
}

static void
add_samples_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GlsWorkspace *workspace = source_object;
  SampleData *data = task_data;
  g_autoptr(GlsDesign) board = data->board ? g_object_ref (data->board) : NULL;
  g_autoptr(GPtrArray) imports = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  /* Every design first: the guide's comments are on both of its files. */
  for (guint i = 0; i < data->missing->len; i++)
    {
      const char *name = g_ptr_array_index (data->missing, i);
      g_autofree char *uri = g_strconcat ("resource://" RESOURCE_PATH "/samples/", name, NULL);
      g_autoptr(GFile) file = g_file_new_for_uri (uri);
      g_autoptr(GlsDesign) design = NULL;

      if (g_task_return_error_if_cancelled (task))
        return;

      design = gls_workspace_add_design (workspace, file, NULL, NULL, &error);
      if (design == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (g_str_equal (name, SAMPLE_DESIGN_NAME))
        g_set_object (&board, design);

      for (guint j = 0; j < G_N_ELEMENTS (sample_files); j++)
        if (g_str_equal (sample_files[j].name, name) &&
            !g_ptr_array_find_with_equal_func (imports, sample_files[j].comments, g_str_equal, NULL))
          g_ptr_array_add (imports, (gpointer) sample_files[j].comments);
    }

  for (guint i = 0; i < imports->len; i++)
    {
      const char *comments = g_ptr_array_index (imports, i);
      gboolean for_board = g_str_equal (comments, "board-comments.json");

      if (!import_sample_comments (workspace, comments,
                                   for_board && board != NULL ? gls_design_get_id (board) : NULL,
                                   &error))
        {
          /* The designs are in: say so, and show them anyway. */
          data->warning = g_strdup_printf (_("Could not add the sample comments: %s"), error->message);
          break;
        }
    }

  g_task_return_pointer (task, g_steal_pointer (&board), g_object_unref);
}

static void
samples_added_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GlsWindow) self = user_data;
  SampleData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GlsDesign) board = NULL;
  g_autoptr(GError) error = NULL;

  board = g_task_propagate_pointer (G_TASK (result), &error);
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gls_window_show_error (self, _("Cannot Open the Sample"), error->message);
      return;
    }

  if (data->warning != NULL)
    gls_window_add_toast_message (self, data->warning);

  if (board != NULL)
    gls_window_show_design (self, board);
}

void
gls_window_open_sample (GlsWindow *self)
{
  GListModel *designs;
  g_autoptr(GTask) task = NULL;
  SampleData *data;
  guint n;

  g_return_if_fail (GLS_IS_WINDOW (self));

  data = g_new0 (SampleData, 1);
  data->missing = g_ptr_array_new ();
  designs = gls_workspace_get_designs (self->workspace);
  n = g_list_model_get_n_items (designs);
  for (guint f = 0; f < G_N_ELEMENTS (sample_files); f++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < n && !found; i++)
        {
          g_autoptr(GlsDesign) design = g_list_model_get_item (designs, i);

          if (g_strcmp0 (gls_design_get_name (design), sample_files[f].name) == 0)
            {
              found = TRUE;
              if (f == 0 && data->board == NULL)
                data->board = g_object_ref (design);
            }
        }
      if (!found)
        g_ptr_array_add (data->missing, (gpointer) sample_files[f].name);
    }

  if (data->missing->len == 0)
    {
      if (data->board != NULL)
        gls_window_show_design (self, data->board);
      sample_data_free (data);
      return;
    }

  if (self->design == NULL)
    _gls_window_set_view (self, "loading");

  task = g_task_new (self->workspace, self->cancellable, samples_added_cb, g_object_ref (self));
  g_task_set_source_tag (task, gls_window_open_sample);
  g_task_set_task_data (task, data, (GDestroyNotify) sample_data_free);
  g_task_run_in_thread (task, add_samples_thread);
}

/* Actions */

static void
file_chooser_response_cb (GlsWindow            *self,
                          int                   response,
                          GtkFileChooserNative *native)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (native));
      g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);
      guint n = g_list_model_get_n_items (files);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (array, g_list_model_get_item (files, i));
      gls_window_open_files (self, (GFile **) array->pdata, array->len);
    }

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (native));
  g_object_unref (native);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char * const *mime_types)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; mime_types[i] != NULL; i++)
    gtk_file_filter_add_mime_type (filter, mime_types[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  GlsWindow *self = GLS_WINDOW (widget);
  static const char * const designs[] = { "image/png", "image/jpeg", "image/svg+xml",
                                          "application/pdf", "image/*", "text/plain",
                                          "text/markdown", "text/x-gettext-translation",
                                          "text/x-gettext-translation-template", NULL };
  static const char * const png[] = { "image/png", NULL };
  static const char * const jpeg[] = { "image/jpeg", NULL };
  static const char * const svg[] = { "image/svg+xml", NULL };
  static const char * const pdf[] = { "application/pdf", NULL };
  static const char * const images[] = { "image/*", NULL };
  static const char * const texts[] = { "text/plain", "text/markdown", NULL };
  static const char * const translations[] = { "text/x-gettext-translation",
                                               "text/x-gettext-translation-template", NULL };
  GtkFileChooserNative *native;

  native = gtk_file_chooser_native_new (_("Open a Design"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (native), TRUE);
  add_filter (GTK_FILE_CHOOSER (native), _("All Designs"), designs);
  add_filter (GTK_FILE_CHOOSER (native), _("PNG Images"), png);
  add_filter (GTK_FILE_CHOOSER (native), _("JPEG Images"), jpeg);
  add_filter (GTK_FILE_CHOOSER (native), _("SVG Drawings"), svg);
  add_filter (GTK_FILE_CHOOSER (native), _("PDF Documents"), pdf);
  add_filter (GTK_FILE_CHOOSER (native), _("All Images"), images);
  add_filter (GTK_FILE_CHOOSER (native), _("Text and Markdown"), texts);
  add_filter (GTK_FILE_CHOOSER (native), _("Translations (PO)"), translations);

  g_signal_connect_object (native, "response",
                           G_CALLBACK (file_chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
open_sample_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  gls_window_open_sample (GLS_WINDOW (widget));
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  GlsWindow *self = GLS_WINDOW (widget);

  /* Text has no page to fit: both go back to the font's own size. */
  if (g_strcmp0 (_gls_window_get_view (self), "text") == 0)
    {
      if (g_str_equal (action_name, "win.zoom-in"))
        gls_text_view_zoom_in (self->text_view);
      else if (g_str_equal (action_name, "win.zoom-out"))
        gls_text_view_zoom_out (self->text_view);
      else
        gls_text_view_zoom_reset (self->text_view);
      return;
    }

  if (g_str_equal (action_name, "win.zoom-in"))
    gls_canvas_zoom_in (self->canvas);
  else if (g_str_equal (action_name, "win.zoom-out"))
    gls_canvas_zoom_out (self->canvas);
  else if (g_str_equal (action_name, "win.zoom-fit"))
    gls_canvas_zoom_to_fit (self->canvas);
  else
    gls_canvas_set_zoom (self->canvas, 1.0);
}

static void
comment_selection_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  GlsWindow *self = GLS_WINDOW (widget);

  gls_text_view_comment (self->text_view);
}

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  GlsWindow *self = GLS_WINDOW (widget);
  guint n_pages = self->document ? gls_document_get_n_pages (self->document) : 1;
  guint page = gls_canvas_get_page (self->canvas);

  if (g_str_equal (action_name, "win.next-page") && page < n_pages)
    gls_canvas_set_page (self->canvas, page + 1);
  else if (g_str_equal (action_name, "win.prev-page") && page > 1)
    gls_canvas_set_page (self->canvas, page - 1);
}

static void
toggle_sidebar_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  GlsWindow *self = GLS_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
}

static void
toggle_threads_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  GlsWindow *self = GLS_WINDOW (widget);

  gtk_toggle_button_set_active (self->threads_button,
                                !gtk_toggle_button_get_active (self->threads_button));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  GlsWindow *self = GLS_WINDOW (widget);

  gtk_toggle_button_set_active (self->threads_button, TRUE);
  gls_threads_panel_focus_search (GLS_THREADS_PANEL (self->threads_panel));
}

/* N, P and R work wherever the focus is, not only inside the panel. */
static void
thread_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  GlsWindow *self = GLS_WINDOW (widget);
  const char *panel_action = NULL;

  if (g_str_equal (action_name, "win.next-thread"))
    panel_action = "threads.next";
  else if (g_str_equal (action_name, "win.previous-thread"))
    panel_action = "threads.previous";
  else if (g_str_equal (action_name, "win.reply"))
    panel_action = "threads.reply";
  g_assert (panel_action != NULL);

  gtk_toggle_button_set_active (self->threads_button, TRUE);
  gtk_widget_activate_action (self->threads_panel, panel_action, NULL);
}

void
_gls_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-sample", NULL, open_sample_action);
  gtk_widget_class_install_property_action (widget_class, "win.comment-mode", "comment-mode");
  gtk_widget_class_install_action (widget_class, "win.comment-selection", NULL, comment_selection_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-100", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.next-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "win.prev-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL, toggle_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-threads", NULL, toggle_threads_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.next-thread", NULL, thread_action);
  gtk_widget_class_install_action (widget_class, "win.previous-thread", NULL, thread_action);
  gtk_widget_class_install_action (widget_class, "win.reply", NULL, thread_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, 0, "win.comment-mode", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, 0, "win.next-thread", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, 0, "win.previous-thread", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, 0, "win.reply", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "win.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, 0, "win.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "win.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, 0, "win.zoom-100", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_1, 0, "win.zoom-100", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "win.next-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Page_Down, 0, "win.next-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "win.prev-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Page_Up, 0, "win.prev-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);
  /* F10 is the primary menu's, as in every GNOME app. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, GDK_CONTROL_MASK, "win.toggle-threads", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

/* Drag and drop */

static gboolean
drop_cb (GlsWindow     *self,
         const GValue  *value,
         double         x,
         double         y,
         GtkDropTarget *target)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  GSList *list;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  /* A new list of borrowed files. */
  list = gdk_file_list_get_files (g_value_get_boxed (value));
  for (GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, g_object_ref (l->data));
  g_slist_free (list);

  if (files->len == 0)
    return FALSE;

  gls_window_open_files (self, (GFile **) files->pdata, files->len);
  return TRUE;
}

void
_gls_window_init_drop_target (GlsWindow *self)
{
  GtkDropTarget *target;

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}
