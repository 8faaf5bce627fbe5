/* gls-window.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-threads-panel.h"
#include "gls-ui.h"
#include "gls-window-private.h"

#define MAX_RECENT_DESIGNS 20

G_DEFINE_FINAL_TYPE (GlsWindow, gls_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_WORKSPACE,
  PROP_SETTINGS,
  PROP_SHARE,
  PROP_PEER_LIST,
  PROP_DESIGN,
  PROP_COMMENT_MODE,
  PROP_VIEW,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

GlsWindow *
gls_window_new (GtkApplication *application,
                GlsWorkspace   *workspace,
                GSettings      *settings)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (GLS_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (!settings || G_IS_SETTINGS (settings), NULL);

  return g_object_new (GLS_TYPE_WINDOW,
                       "application", application,
                       "workspace", workspace,
                       "settings", settings,
                       NULL);
}

GlsWindow *
gls_window_new_with_peers (GtkApplication *application,
                           GlsWorkspace   *workspace,
                           GSettings      *settings,
                           GlsShare       *share,
                           GlsPeerList    *peer_list)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (GLS_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (!settings || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (!share || GLS_IS_SHARE (share), NULL);
  g_return_val_if_fail (!peer_list || GLS_IS_PEER_LIST (peer_list), NULL);
  g_return_val_if_fail (!peer_list || gls_peer_list_get_workspace (peer_list) == workspace, NULL);

  return g_object_new (GLS_TYPE_WINDOW,
                       "application", application,
                       "workspace", workspace,
                       "settings", settings,
                       "share", share,
                       "peer-list", peer_list,
                       NULL);
}

GlsShare *
gls_window_get_share (GlsWindow *self)
{
  g_return_val_if_fail (GLS_IS_WINDOW (self), NULL);

  return self->share;
}

GlsPeerList *
gls_window_get_peer_list (GlsWindow *self)
{
  g_return_val_if_fail (GLS_IS_WINDOW (self), NULL);

  return self->peer_list;
}

GlsWorkspace *
gls_window_get_workspace (GlsWindow *self)
{
  g_return_val_if_fail (GLS_IS_WINDOW (self), NULL);

  return self->workspace;
}

GlsDesign *
gls_window_get_design (GlsWindow *self)
{
  g_return_val_if_fail (GLS_IS_WINDOW (self), NULL);

  return self->design;
}

gboolean
gls_window_get_comment_mode (GlsWindow *self)
{
  g_return_val_if_fail (GLS_IS_WINDOW (self), FALSE);

  return self->comment_mode;
}

void
gls_window_set_comment_mode (GlsWindow *self,
                             gboolean   comment_mode)
{
  g_return_if_fail (GLS_IS_WINDOW (self));

  comment_mode = !!comment_mode;
  if (self->comment_mode == comment_mode)
    return;

  self->comment_mode = comment_mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COMMENT_MODE]);
}

GlsCanvas *
_gls_window_get_canvas (GlsWindow *self)
{
  return self->canvas;
}

GlsTextView *
_gls_window_get_text_view (GlsWindow *self)
{
  return self->text_view;
}

GtkWidget *
_gls_window_get_threads_panel (GlsWindow *self)
{
  return self->threads_panel;
}

GlsDesignsSidebar *
_gls_window_get_sidebar (GlsWindow *self)
{
  return self->sidebar;
}

GlsDocument *
_gls_window_get_document (GlsWindow *self)
{
  return self->document;
}

const char *
_gls_window_get_view (GlsWindow *self)
{
  return gtk_stack_get_visible_child_name (self->view_stack);
}

AdwStatusPage *
_gls_window_get_error_page (GlsWindow *self)
{
  return self->error_page;
}

void
gls_window_add_toast_message (GlsWindow  *self,
                              const char *message)
{
  g_return_if_fail (GLS_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void update_zoom_label (GlsWindow *self);

void
_gls_window_set_view (GlsWindow  *self,
                      const char *name)
{
  if (g_strcmp0 (_gls_window_get_view (self), name) == 0)
    return;

  gtk_stack_set_visible_child_name (self->view_stack, name);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (name, "loading"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->zoom_button),
                            g_str_equal (name, "canvas") || g_str_equal (name, "text"));
  /* Text is commented on a selection, not in a mode. */
  gtk_widget_set_visible (self->comment_button, !g_str_equal (name, "text"));
  gtk_widget_set_visible (self->text_comment_button, g_str_equal (name, "text"));
  gtk_widget_set_visible (self->text_suggest_button, g_str_equal (name, "text"));
  if (g_str_equal (name, "canvas"))
    gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  else if (g_str_equal (name, "text"))
    gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
  update_zoom_label (self);

  _gls_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_VIEW]);
}

void
gls_window_show_error (GlsWindow  *self,
                       const char *title,
                       const char *message)
{
  g_return_if_fail (GLS_IS_WINDOW (self));

  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, message);
  _gls_window_set_view (self, "error");
}

static void
update_title (GlsWindow *self)
{
  const char *name = self->design ? gls_design_get_name (self->design) : _("Glossa");

  adw_window_title_set_title (self->window_title, name);
  /* Not the database's name "default". */
  adw_window_title_set_subtitle (self->window_title, gls_ui_workspace_title (gls_workspace_get_name (self->workspace)));
  gtk_window_set_title (GTK_WINDOW (self), name);
}

static void
update_zoom_label (GlsWindow *self)
{
  g_autofree char *label = NULL;

  double zoom = g_strcmp0 (_gls_window_get_view (self), "text") == 0
                ? gls_text_view_get_zoom (self->text_view)
                : gls_canvas_get_zoom (self->canvas);

  /* Translators: a zoom level, e.g. "125%" */
  label = g_strdup_printf (_("%.0f%%"), zoom * 100.0);
  gtk_label_set_label (self->zoom_label, label);
}

static void
update_page (GlsWindow *self)
{
  guint n_pages = self->document ? gls_document_get_n_pages (self->document) : 1;
  g_autofree char *label = NULL;

  gtk_widget_set_visible (self->page_box, self->document != NULL && n_pages > 1);
  /* Translators: the current page of a PDF and the number of pages, "3 / 12" */
  label = g_strdup_printf (_("%u / %u"), MAX (1, gls_canvas_get_page (self->canvas)), n_pages);
  gtk_label_set_label (self->page_label, label);

  _gls_window_update_actions (self);
}

/* Pins and passages follow the threads model of the current design. */

static void
sync_passages (GlsWindow *self)
{
  _gls_window_sync_passages (self);
}

/* The canvas shows the threads the panel lists: its filters and search
 * apply to the pins and regions too. */
static void
set_pins (GlsWindow *self)
{
  g_autoptr(GArray) pins = g_array_new (FALSE, TRUE, sizeof (GlsCanvasPin));
  g_autoptr(GPtrArray) threads = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *shown = self->threads_panel != NULL
                      ? gls_threads_panel_get_visible_threads (GLS_THREADS_PANEL (self->threads_panel))
                      : self->threads;
  guint n = shown ? g_list_model_get_n_items (shown) : 0;

  for (guint i = 0; i < n; i++)
    {
      GlsThread *thread = g_list_model_get_item (shown, i);
      const GlsSelector *selector;
      GlsCanvasPin pin = { 0 };

      /* The threads changed and the panel's filter has not caught up yet:
       * its own items-changed brings us back. */
      if (thread == NULL)
        continue;

      /* Keep the thread alive while the canvas copies its strings. */
      g_ptr_array_add (threads, thread);
      selector = gls_thread_get_selector (thread);

      if (selector == NULL || selector->kind == GLS_SELECTOR_NONE ||
          selector->kind == GLS_SELECTOR_TEXT)
        continue;

      pin.id = gls_thread_get_root_id (thread);
      pin.number = gls_thread_get_number (thread);
      pin.selector = *selector;
      /* A thread of an earlier version, at its place on this one. */
      pin.carried = _gls_window_get_carried_place (self, thread, &pin.selector, &pin.version);
      pin.resolved = gls_thread_get_resolved (thread);
      pin.preview = gls_thread_get_text (thread);
      g_array_append_val (pins, pin);
    }

  gls_canvas_set_pins (self->canvas, (const GlsCanvasPin *) (gpointer) pins->data, pins->len);
}

static void
sync_pins (GlsWindow *self)
{
  set_pins (self);
  sync_passages (self);
}

void
_gls_window_sync_pins (GlsWindow *self)
{
  sync_pins (self);
}

static void
threads_items_changed_cb (GlsWindow  *self,
                          guint       position,
                          guint       removed,
                          guint       added,
                          GListModel *model)
{
  sync_pins (self);
}

/* The panel's filters changed what it lists: the pins follow, and only
 * they. Its list and its Orphaned section are two filters over one
 * model; the passages' notes refilter the second, and doing that here,
 * while it had not heard of the change the first is telling, left it
 * counting a thread twice. */
static void
visible_threads_changed_cb (GlsWindow  *self,
                            guint       position,
                            guint       removed,
                            guint       added,
                            GListModel *model)
{
  set_pins (self);
}

/* Loading a design: file bytes from the store, then the document, both off
 * the main thread. */

typedef struct
{
  GlsWindow *self;
  GlsDesign *design;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->design);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadData, load_data_free)

static gboolean
load_is_current (LoadData     *data,
                 const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  return data->self->design == data->design;
}

static void
document_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  GlsWindow *self = data->self;
  g_autoptr(GlsDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = gls_document_load_finish (result, &error);
  if (!load_is_current (data, error))
    return;

  if (document == NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Cannot Show “%s”"),
                                                gls_design_get_name (data->design));

      gls_window_show_error (self, title, error->message);
      return;
    }

  g_set_object (&self->document, document);
  gls_canvas_set_document (self->canvas, document);
  gls_canvas_set_page (self->canvas, gls_document_get_n_pages (document) > 1 ? 1 : 0);
  _gls_window_set_view (self, "canvas");
  gls_canvas_zoom_to_fit (self->canvas);
  update_page (self);
  sync_pins (self);
  _gls_window_load_carried (self);
}

/* A text design: read, decoded, and indexed for its threads' anchors, in
 * one thread, while the main thread readies the highlighting; the index
 * borrows the text, so they travel together. */

typedef struct
{
  GlsWorkspace *workspace;
  char         *design_id;
  gboolean      read;       /* set by the thread: the file was read */
  char         *text;
  GlsTextIndex *index;
} DecodedText;

static void
decoded_text_free (DecodedText *decoded)
{
  g_clear_pointer (&decoded->index, gls_text_index_free);
  g_clear_pointer (&decoded->text, g_free);
  g_clear_object (&decoded->workspace);
  g_free (decoded->design_id);
  g_free (decoded);
}

static void
decode_text_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  DecodedText *decoded = task_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  bytes = gls_workspace_load_design_file (decoded->workspace, decoded->design_id, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  decoded->read = TRUE;
  if (g_task_return_error_if_cancelled (task))
    return;

  decoded->text = gls_text_decode (bytes, &length, &error);
  if (decoded->text == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  decoded->index = gls_text_index_new (decoded->text, length);
  g_task_return_boolean (task, TRUE);
}

static void
text_decoded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  GlsWindow *self = data->self;
  DecodedText *decoded = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = g_task_propagate_boolean (G_TASK (result), &error);
  if (!load_is_current (data, error))
    return;

  if (!ok)
    {
      g_autofree char *title = NULL;

      if (decoded->read)
        title = g_strdup_printf (_("Cannot Show “%s”"), gls_design_get_name (data->design));
      else
        title = g_strdup_printf (_("Cannot Open “%s”"), gls_design_get_name (data->design));
      gls_window_show_error (self, title, error->message);
      return;
    }

  g_clear_pointer (&self->text_index, gls_text_index_free);
  g_hash_table_remove_all (self->text_anchors);
  g_free (self->text);
  self->text = g_steal_pointer (&decoded->text);
  self->text_index = g_steal_pointer (&decoded->index);

  gls_text_view_set_text (self->text_view, self->text, gls_design_get_media_type (data->design));
  _gls_window_set_view (self, "text");
  _gls_window_show_text_page (self);
  sync_passages (self);
  _gls_window_update_actions (self);
  _gls_window_load_versions (self);
}

static void
load_text (GlsWindow *self,
           LoadData  *data)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->load_cancellable, text_decoded_cb, data);
  DecodedText *decoded = g_new0 (DecodedText, 1);

  decoded->workspace = g_object_ref (self->workspace);
  decoded->design_id = g_strdup (gls_design_get_id (data->design));
  g_task_set_source_tag (task, load_text);
  g_task_set_task_data (task, decoded, (GDestroyNotify) decoded_text_free);
  g_task_run_in_thread (task, decode_text_thread);
}

static void
file_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  GlsWindow *self = data->self;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *media_type;

  bytes = gls_workspace_load_design_file_finish (GLS_WORKSPACE (object), result, &error);
  if (!load_is_current (data, error))
    return;

  if (bytes == NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Cannot Open “%s”"),
                                                gls_design_get_name (data->design));

      gls_window_show_error (self, title, error->message);
      return;
    }

  media_type = gls_design_get_media_type (data->design);
  gls_document_load_async (bytes, media_type, self->load_cancellable,
                           document_loaded_cb, g_steal_pointer (&data));
}

static void
remember_design (GlsWindow *self,
                 GlsDesign *design)
{
  const char *id = gls_design_get_id (design);
  g_auto(GStrv) recent = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) updated = NULL;
  guint n = 1;

  if (self->settings == NULL)
    return;

  g_settings_set_string (self->settings, "last-design", id);

  recent = g_settings_get_strv (self->settings, "recent-designs");
  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, id);
  for (guint i = 0; recent[i] != NULL && n < MAX_RECENT_DESIGNS; i++)
    {
      if (g_strcmp0 (recent[i], id) != 0)
        {
          g_strv_builder_add (builder, recent[i]);
          n++;
        }
    }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-designs", (const char * const *) updated);
}

void
_gls_window_record_recent (GlsWindow *self,
                           GlsDesign *design,
                           GFile     *file)
{
  if (file != NULL && g_file_is_native (file))
    {
      g_autofree char *uri = g_file_get_uri (file);

      gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
    }
}

void
gls_window_show_design (GlsWindow *self,
                        GlsDesign *design)
{
  LoadData *data;

  g_return_if_fail (GLS_IS_WINDOW (self));
  g_return_if_fail (GLS_IS_DESIGN (design));

  gls_designs_sidebar_set_selected_design (self->sidebar, gls_design_get_id (design));

  if (self->design != NULL &&
      g_strcmp0 (gls_design_get_id (self->design), gls_design_get_id (design)) == 0 &&
      g_strcmp0 (_gls_window_get_view (self), "error") != 0)
    return;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();

  /* A comment being written waits for its design to be shown again. */
  gls_canvas_set_draft_key (self->canvas, gls_design_get_id (design));
  g_set_object (&self->design, design);
  g_clear_object (&self->document);
  gls_canvas_set_document (self->canvas, NULL);
  gls_canvas_set_selected (self->canvas, NULL);
  gls_text_view_set_text (self->text_view, NULL, NULL);
  gls_text_view_set_selected (self->text_view, NULL);
  _gls_window_clear_po (self);
  g_clear_pointer (&self->text_index, gls_text_index_free);
  g_hash_table_remove_all (self->text_anchors);
  g_clear_pointer (&self->text, g_free);
  _gls_window_clear_versions (self);
  _gls_window_clear_carried (self);
  gls_window_set_comment_mode (self, FALSE);

  /* The threads of this design; the model updates itself (and is ours:
   * a model kept alive is kept up to date). */
  {
    GListModel *threads = gls_workspace_get_threads (self->workspace, gls_design_get_source (design));

    g_clear_object (&self->threads);
    self->threads = threads;
  }
  g_signal_group_set_target (self->threads_signals, self->threads);
  if (self->threads_panel != NULL)
    g_object_set (self->threads_panel, "design", design, NULL);
  sync_pins (self);

  update_title (self);
  update_page (self);
  _gls_window_update_versions (self);
  remember_design (self, design);
  _gls_window_set_view (self, "loading");
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DESIGN]);

  data = g_new0 (LoadData, 1);
  data->self = g_object_ref (self);
  data->design = g_object_ref (design);
  if (gls_design_get_kind (design) == GLS_DESIGN_KIND_TEXT ||
      gls_design_get_kind (design) == GLS_DESIGN_KIND_TRANSLATION)
    {
      load_text (self, data);
      /* While the file is read and decoded: its highlighting. */
      gls_text_view_prepare (self->text_view, gls_design_get_media_type (design));
      return;
    }
  gls_workspace_load_design_file_async (self->workspace, gls_design_get_id (design),
                                        self->load_cancellable, file_loaded_cb, data);
}

GlsDesign *
_gls_window_find_design (GlsWindow  *self,
                         const char *id)
{
  GListModel *designs = gls_workspace_get_designs (self->workspace);
  guint n = g_list_model_get_n_items (designs);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsDesign) design = g_list_model_get_item (designs, i);

      if (g_strcmp0 (gls_design_get_id (design), id) == 0)
        return g_steal_pointer (&design);
    }

  return NULL;
}

void
gls_window_restore_last_design (GlsWindow *self)
{
  g_autofree char *id = NULL;
  g_autoptr(GlsDesign) design = NULL;

  g_return_if_fail (GLS_IS_WINDOW (self));

  if (self->settings == NULL)
    return;

  id = g_settings_get_string (self->settings, "last-design");
  if (id[0] != '\0' && (design = _gls_window_find_design (self, id)) != NULL)
    gls_window_show_design (self, design);
}

/* Pins, threads and comments */

void
_gls_window_select_thread (GlsWindow  *self,
                           const char *root_id,
                           gboolean    reveal)
{
  gls_canvas_set_selected (self->canvas, root_id);
  gls_text_view_set_selected (self->text_view, root_id);
  _gls_window_select_message_thread (self, root_id, reveal);
  if (self->threads_panel != NULL)
    g_object_set (self->threads_panel, "selected-thread", root_id, NULL);

  if (reveal && root_id != NULL)
    {
      g_autoptr(GlsThread) thread = NULL;

      if (_gls_window_showing_messages (self))
        return;
      if (g_strcmp0 (_gls_window_get_view (self), "text") == 0)
        {
          gls_text_view_reveal (self->text_view, root_id);
          return;
        }

      thread = gls_workspace_find_thread (self->workspace, root_id);
      if (thread != NULL && gls_thread_get_selector (thread) != NULL)
        {
          GlsSelector place = *gls_thread_get_selector (thread);

          _gls_window_get_carried_place (self, thread, &place, NULL);
          gls_canvas_reveal (self->canvas, &place);
        }
    }
}

/* A pin, or a passage of text. */
static void
pin_activated_cb (GlsWindow  *self,
                  const char *id,
                  GtkWidget  *view)
{
  _gls_window_select_thread (self, id, FALSE);
  gtk_toggle_button_set_active (self->threads_button, TRUE);
}

static void
thread_activated_cb (GlsWindow *self,
                     GlsThread *thread,
                     GtkWidget *panel)
{
  const GlsSelector *selector = gls_thread_get_selector (thread);

  gls_canvas_set_selected (self->canvas, gls_thread_get_root_id (thread));
  gls_text_view_set_selected (self->text_view, gls_thread_get_root_id (thread));
  _gls_window_select_message_thread (self, gls_thread_get_root_id (thread), TRUE);
  if (_gls_window_showing_messages (self))
    return;
  if (g_strcmp0 (_gls_window_get_view (self), "text") == 0)
    gls_text_view_reveal (self->text_view, gls_thread_get_root_id (thread));
  else if (selector != NULL && self->document != NULL)
    {
      GlsSelector place = *selector;

      _gls_window_get_carried_place (self, thread, &place, NULL);
      gls_canvas_reveal (self->canvas, &place);
    }
}

static void
comment_posted_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GlsWindow) self = user_data;
  g_autoptr(GlsAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;

  annotation = gls_workspace_annotate_finish (GLS_WORKSPACE (object), result, &error);
  if (annotation == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not post the comment: %s"),
                                                  error->message);

      gls_window_add_toast_message (self, message);
      /* Drop the pending marker. */
      sync_pins (self);
      return;
    }

  _gls_window_select_thread (self, gls_annotation_get_id (annotation), FALSE);
}

/* From the canvas or the text view. */
static void
comment_requested_cb (GlsWindow   *self,
                      GlsSelector *selector,
                      const char  *text,
                      GtkWidget   *view)
{
  if (self->design == NULL)
    return;

  gls_workspace_comment_async (self->workspace, gls_design_get_id (self->design),
                               selector, text, self->cancellable,
                               comment_posted_cb, g_object_ref (self));
}

/* Escape that nothing closer to the focus took (the canvas, a popover,
 * the search, the compare view): out of comment mode, else from a thread
 * back to the list. */
static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  GlsWindow *self = GLS_WINDOW (widget);

  if (self->comment_mode)
    {
      gls_window_set_comment_mode (self, FALSE);
      return TRUE;
    }

  if (self->threads_panel != NULL &&
      gls_threads_panel_get_showing_thread (GLS_THREADS_PANEL (self->threads_panel)))
    return gtk_widget_activate_action (self->threads_panel, "threads.back", NULL);

  return FALSE;
}

static gboolean
update_header_idle (gpointer data)
{
  GlsWindow *self = data;

  self->header_idle = 0;
  update_zoom_label (self);
  update_page (self);

  return G_SOURCE_REMOVE;
}

/* The canvas changes zoom while it is being allocated (fit to view):
 * resizing the header bar then would be too late for this frame. */
static void
canvas_changed_cb (GlsWindow *self)
{
  if (self->header_idle == 0)
    self->header_idle = g_idle_add (update_header_idle, self);
}

static gboolean
flap_is_laid_out (GlsWindow *self)
{
  return gtk_widget_get_mapped (GTK_WIDGET (self->flap)) &&
         gtk_widget_get_width (GTK_WIDGET (self->flap)) > 0;
}

/* AdwFlap 1.2 allocates its content with a bogus width when it starts to
 * reveal before its first layout: wait for a frame where it has one. */
static gboolean
reveal_flap_tick_cb (GtkWidget     *widget,
                     GdkFrameClock *frame_clock,
                     gpointer       user_data)
{
  GlsWindow *self = GLS_WINDOW (widget);

  if (!flap_is_laid_out (self))
    return G_SOURCE_CONTINUE;

  self->reveal_tick = 0;
  if (!adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, TRUE);

  return G_SOURCE_REMOVE;
}

static void
designs_items_changed_cb (GlsWindow  *self,
                          guint       position,
                          guint       removed,
                          guint       added,
                          GListModel *designs)
{
  /* A design that arrives (from a peer) in an empty window is shown. */
  if (added > 0 && self->design == NULL &&
      g_strcmp0 (_gls_window_get_view (self), "empty") == 0)
    {
      g_autoptr(GlsDesign) design = g_list_model_get_item (designs, position);

      if (design != NULL)
        gls_window_show_design (self, design);
    }

  /* The first design of a workspace: show where designs are kept. */
  if (added == 0 || g_list_model_get_n_items (designs) != added || self->reveal_tick != 0)
    return;

  self->reveal_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), reveal_flap_tick_cb,
                                                    NULL, NULL);
}

/* GObject */

static void
restore_window_state (GlsWindow *self)
{
  if (self->settings == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               MAX (360, g_settings_get_int (self->settings, "window-width")),
                               MAX (294, g_settings_get_int (self->settings, "window-height")));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (GlsWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static gboolean
gls_window_close_request (GtkWindow *window)
{
  save_window_state (GLS_WINDOW (window));

  return GTK_WINDOW_CLASS (gls_window_parent_class)->close_request (window);
}

static void
gls_window_constructed (GObject *object)
{
  GlsWindow *self = GLS_WINDOW (object);

  G_OBJECT_CLASS (gls_window_parent_class)->constructed (object);

  g_assert (GLS_IS_WORKSPACE (self->workspace));

  /* Widgets that need the workspace at construction. */
  self->sidebar = GLS_DESIGNS_SIDEBAR (gls_designs_sidebar_new (self->workspace));
  adw_bin_set_child (self->sidebar_bin, GTK_WIDGET (self->sidebar));
  g_signal_connect_object (self->sidebar, "design-activated",
                           G_CALLBACK (gls_window_show_design), self, G_CONNECT_SWAPPED);
  _gls_window_init_versions (self);

  self->threads_panel = gls_threads_panel_new (self->workspace);
  adw_bin_set_child (self->threads_bin, self->threads_panel);
  g_signal_connect_object (self->threads_panel, "thread-activated",
                           G_CALLBACK (thread_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gls_threads_panel_get_visible_threads (GLS_THREADS_PANEL (self->threads_panel)),
                           "items-changed", G_CALLBACK (visible_threads_changed_cb), self, G_CONNECT_SWAPPED);

  /* A workspace with designs opens with them in view; an empty one with the welcome page. */
  adw_flap_set_reveal_flap (self->flap,
                            g_list_model_get_n_items (gls_workspace_get_designs (self->workspace)) > 0);
  g_signal_connect_object (gls_workspace_get_designs (self->workspace), "items-changed",
                           G_CALLBACK (designs_items_changed_cb), self, G_CONNECT_SWAPPED);

  _gls_window_init_sync (self);
  _gls_window_init_notify (self);

  /* Damaged documents (from Glossa 0.1) were set aside: say so once. */
  if (gls_workspace_get_n_set_aside (self->workspace) > 0)
    {
      guint n = gls_workspace_get_n_set_aside (self->workspace);
      g_autofree char *message = g_strdup_printf (ngettext ("%u damaged document was set aside; “glossa verify” lists it",
                                                            "%u damaged documents were set aside; “glossa verify” lists them",
                                                            n), n);

      gls_window_add_toast_message (self, message);
    }

  restore_window_state (self);
  update_title (self);
  update_page (self);
  update_zoom_label (self);
}

static void
gls_window_dispose (GObject *object)
{
  GlsWindow *self = GLS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_handle_id (&self->header_idle, g_source_remove);
  if (self->reveal_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->reveal_tick);
      self->reveal_tick = 0;
    }

  if (self->threads_signals != NULL)
    g_signal_group_set_target (self->threads_signals, NULL);

  _gls_window_dispose_sync (self);
  _gls_window_dispose_text (self);
  _gls_window_dispose_carried (self);
  _gls_window_dispose_compare (self);
  _gls_window_dispose_notify (self);
  _gls_window_dispose_narrow (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), GLS_TYPE_WINDOW);

  g_clear_object (&self->threads_signals);
  g_clear_object (&self->threads);
  g_clear_object (&self->document);
  g_clear_pointer (&self->text_index, gls_text_index_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->text_anchors, g_hash_table_unref);
  g_clear_object (&self->design);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->peer_list);
  g_clear_object (&self->share);
  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (gls_window_parent_class)->dispose (object);
}

static void
gls_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  GlsWindow *self = GLS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_SHARE:
      g_value_set_object (value, self->share);
      break;

    case PROP_PEER_LIST:
      g_value_set_object (value, self->peer_list);
      break;

    case PROP_DESIGN:
      g_value_set_object (value, self->design);
      break;

    case PROP_COMMENT_MODE:
      g_value_set_boolean (value, self->comment_mode);
      break;

    case PROP_VIEW:
      g_value_set_string (value, _gls_window_get_view (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  GlsWindow *self = GLS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      self->workspace = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_SHARE:
      self->share = g_value_dup_object (value);
      break;

    case PROP_PEER_LIST:
      self->peer_list = g_value_dup_object (value);
      break;

    case PROP_COMMENT_MODE:
      gls_window_set_comment_mode (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_window_class_init (GlsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = gls_window_constructed;
  object_class->dispose = gls_window_dispose;
  object_class->get_property = gls_window_get_property;
  object_class->set_property = gls_window_set_property;

  window_class->close_request = gls_window_close_request;

  properties [PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL,
                         GLS_TYPE_WORKSPACE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_SHARE] =
    g_param_spec_object ("share", NULL, NULL,
                         GLS_TYPE_SHARE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_PEER_LIST] =
    g_param_spec_object ("peer-list", NULL, NULL,
                         GLS_TYPE_PEER_LIST,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_DESIGN] =
    g_param_spec_object ("design", NULL, NULL,
                         GLS_TYPE_DESIGN,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_COMMENT_MODE] =
    g_param_spec_boolean ("comment-mode", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_VIEW] =
    g_param_spec_string ("view", NULL, NULL,
                         "empty",
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/gls-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, sidebar_bin);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, canvas_bin);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, text_bin);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, threads_bin);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, threads_button);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, zoom_button);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, comment_button);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, text_comment_button);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, text_suggest_button);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, text_switcher);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, messages_toggle);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, source_toggle);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, zoom_label);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, page_box);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, page_label);
  gtk_widget_class_bind_template_child (widget_class, GlsWindow, peers_button);

  _gls_window_class_init_actions (widget_class);
  _gls_window_class_init_sync (widget_class);
  _gls_window_class_init_text (widget_class);
  _gls_window_class_init_po (widget_class);
  _gls_window_class_init_versions (widget_class);
  _gls_window_class_init_remove (widget_class);
  _gls_window_class_init_compare (widget_class);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);
  _gls_window_class_init_report (widget_class);
  _gls_window_class_init_narrow (widget_class);
  _gls_window_class_init_keys (widget_class);
}

static void
gls_window_init (GlsWindow *self)
{
  g_type_ensure (ADW_TYPE_STATUS_PAGE);

  gtk_widget_init_template (GTK_WIDGET (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  adw_status_page_set_icon_name (self->empty_page, APPLICATION_ID);

  self->cancellable = g_cancellable_new ();
  self->load_cancellable = g_cancellable_new ();

  self->canvas = GLS_CANVAS (gls_canvas_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->canvas), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->canvas), TRUE);
  adw_bin_set_child (self->canvas_bin, GTK_WIDGET (self->canvas));
  g_object_bind_property (self, "comment-mode", self->canvas, "comment-mode",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->canvas, "pin-activated",
                           G_CALLBACK (pin_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "comment-requested",
                           G_CALLBACK (comment_requested_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "notify::zoom",
                           G_CALLBACK (canvas_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "notify::page",
                           G_CALLBACK (canvas_changed_cb), self, G_CONNECT_SWAPPED);

  self->text_anchors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->text_view = GLS_TEXT_VIEW (gls_text_view_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->text_view), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->text_view), TRUE);
  adw_bin_set_child (self->text_bin, GTK_WIDGET (self->text_view));
  g_signal_connect_object (self->text_view, "passage-activated",
                           G_CALLBACK (pin_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->text_view, "comment-requested",
                           G_CALLBACK (comment_requested_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->text_view, "notify::zoom",
                           G_CALLBACK (canvas_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->text_view, "notify::can-comment",
                           G_CALLBACK (_gls_window_update_actions), self, G_CONNECT_SWAPPED);

  self->threads_signals = g_signal_group_new (G_TYPE_LIST_MODEL);
  g_signal_group_connect_object (self->threads_signals, "items-changed",
                                 G_CALLBACK (threads_items_changed_cb), self, G_CONNECT_SWAPPED);

  _gls_window_init_po (self);
  g_signal_connect_object (self->po_view, "passage-activated",
                           G_CALLBACK (pin_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->po_view, "comment-requested",
                           G_CALLBACK (comment_requested_cb), self, G_CONNECT_SWAPPED);

  _gls_window_init_text (self);
  _gls_window_init_carried (self);

  _gls_window_init_drop_target (self);
  _gls_window_init_narrow (self);
  _gls_window_init_compare (self);
}
