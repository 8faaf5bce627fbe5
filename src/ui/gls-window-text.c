/* gls-window-text.c: a text design's review in the window: its passages,
 * suggestions (suggest, apply the accepted ones, save the result) and the
 * threads carried from its earlier versions.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-po-view.h"
#include "gls-reanchor.h"
#include "gls-suggestions.h"
#include "gls-thread-row.h"
#include "gls-threads-panel.h"
#include "gls-window-private.h"

/* One version of the text shown: oldest first, the one shown last. */
typedef struct
{
  GlsDesign *design;
  GlsPoFile *po;       /* its messages, for a PO file that parses */
} Version;

static void
version_free (gpointer data)
{
  Version *version = data;

  g_clear_object (&version->design);
  g_clear_object (&version->po);
  g_free (version);
}

/* Where a thread's passage is in the text shown. */
typedef struct
{
  GlsAnchorState state;
  gint64         start;
  gint64         end;
} TextAnchor;

static gboolean
is_text_design (GlsDesign *design)
{
  return design != NULL &&
         (gls_design_get_kind (design) == GLS_DESIGN_KIND_TEXT ||
          gls_design_get_kind (design) == GLS_DESIGN_KIND_TRANSLATION);
}

/* The version a thread was made on: its number (from 1) and its messages;
 * 0 for the one shown, or one the window does not know. */
static guint
version_of (GlsWindow  *self,
            GlsThread  *thread,
            GlsPoFile **po)
{
  const char *source = gls_thread_get_source (thread);

  *po = NULL;
  if (self->versions == NULL)
    return 0;

  for (guint i = 0; i + 1 < self->versions->len; i++)
    {
      Version *version = g_ptr_array_index (self->versions, i);

      if (g_strcmp0 (gls_design_get_source (version->design), source) == 0)
        {
          *po = version->po;
          return i + 1;
        }
    }

  return 0;
}

/* A thread's selector never changes, nor does the text while it is shown:
 * each thread is anchored once (a fuzzy search is not free), not at every
 * change of the model. A thread of an earlier version is found again
 * with gls_reanchor: a PO file's message first. */
static GlsAnchorState
anchor_thread (GlsWindow         *self,
               GlsThread         *thread,
               const GlsSelector *selector,
               guint              version,
               GlsPoFile         *old_po,
               gint64            *start,
               gint64            *end)
{
  const char *root_id = gls_thread_get_root_id (thread);
  TextAnchor *anchor = g_hash_table_lookup (self->text_anchors, root_id);

  if (anchor == NULL)
    {
      anchor = g_new0 (TextAnchor, 1);
      if (version > 0)
        anchor->state = gls_reanchor (old_po, self->text_index, self->po, selector,
                                      &anchor->start, &anchor->end);
      else
        anchor->state = gls_text_anchor (self->text_index, selector, &anchor->start, &anchor->end);
      g_hash_table_insert (self->text_anchors, g_strdup (root_id), anchor);
    }

  *start = anchor->start;
  *end = anchor->end;
  return anchor->state;
}

static char *
dup_range (GlsWindow *self,
           gint64     start,
           gint64     end)
{
  gsize from = gls_text_index_to_byte (self->text_index, start);
  gsize to = gls_text_index_to_byte (self->text_index, end);

  return g_strndup (gls_text_index_get_text (self->text_index) + from, to - from);
}

static const char *
failure_of (GlsWindow  *self,
            const char *design_id,
            const char *root_id)
{
  GHashTable *reasons = self->failures ? g_hash_table_lookup (self->failures, design_id) : NULL;

  return reasons != NULL ? g_hash_table_lookup (reasons, root_id) : NULL;
}

static gboolean
notes_equal (GHashTable *a,
             GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (a == NULL || b == NULL)
    return a == b;
  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GlsThreadNote *x = value, *y = g_hash_table_lookup (b, key);

      if (y == NULL || x->version != y->version || x->state != y->state ||
          g_strcmp0 (x->now, y->now) != 0 || g_strcmp0 (x->failure, y->failure) != 0 ||
          g_strcmp0 (x->message, y->message) != 0)
        return FALSE;
    }

  return TRUE;
}

/* One model's text threads: their passages, their notes. */
static void
add_passages (GlsWindow  *self,
              GListModel *threads,
              GArray     *passages,
              GPtrArray  *keep,
              GHashTable *notes)
{
  guint n = threads ? g_list_model_get_n_items (threads) : 0;

  for (guint i = 0; i < n; i++)
    {
      GlsThread *thread = g_list_model_get_item (threads, i);
      const GlsSelector *selector = gls_thread_get_selector (thread);
      GlsTextPassage passage = { 0 };
      g_autoptr(GlsThreadNote) note = g_new0 (GlsThreadNote, 1);
      GlsPoFile *old_po;
      guint version;
      const char *design_id;

      /* Keep the thread alive while the view copies its strings. */
      g_ptr_array_add (keep, thread);

      if (selector == NULL || selector->kind != GLS_SELECTOR_TEXT)
        continue;

      version = version_of (self, thread, &old_po);
      design_id = version > 0
                  ? gls_design_get_id (((Version *) g_ptr_array_index (self->versions, version - 1))->design)
                  : gls_design_get_id (self->design);
      note->version = version;
      note->state = anchor_thread (self, thread, selector, version, old_po, &passage.start, &passage.end);
      note->failure = g_strdup (failure_of (self, design_id, gls_thread_get_root_id (thread)));
      if (note->state == GLS_ANCHOR_CHANGED)
        note->now = dup_range (self, passage.start, passage.end);
      /* A PO file's thread is named by its message, once the message
       * list has read the file. */
      if (note->state != GLS_ANCHOR_ORPHANED && self->po_view != NULL &&
          gls_design_get_kind (self->design) == GLS_DESIGN_KIND_TRANSLATION &&
          gls_po_view_get_file (self->po_view) != NULL)
        note->message = gls_po_view_describe_message (gls_po_view_get_file (self->po_view), passage.start, 48);
      if (version > 0 || note->state != GLS_ANCHOR_IN_PLACE || note->failure != NULL || note->message != NULL)
        g_hash_table_insert (notes, g_strdup (gls_thread_get_root_id (thread)), g_steal_pointer (&note));

      /* An orphaned passage has no place in this text: the panel lists
       * its thread apart, with its old quote. */
      if (g_hash_table_contains (notes, gls_thread_get_root_id (thread)) &&
          ((GlsThreadNote *) g_hash_table_lookup (notes, gls_thread_get_root_id (thread)))->state == GLS_ANCHOR_ORPHANED)
        continue;

      passage.id = gls_thread_get_root_id (thread);
      passage.number = gls_thread_get_number (thread);
      passage.resolved = gls_thread_get_resolved (thread);
      passage.preview = gls_thread_get_text (thread);
      passage.suggestion = gls_thread_is_suggestion (thread) && !gls_thread_get_placeholder (thread);
      g_array_append_val (passages, passage);
    }
}

/* Apply Accepted Suggestions: for the text shown, when one of its own
 * suggestions is accepted. */
static guint
count_accepted (GListModel *threads)
{
  guint n = threads ? g_list_model_get_n_items (threads) : 0;
  guint accepted = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsThread) thread = g_list_model_get_item (threads, i);

      if (gls_thread_is_suggestion (thread) && !gls_thread_get_placeholder (thread) &&
          gls_thread_get_decision (thread) == GLS_DECISION_ACCEPTED)
        accepted++;
    }

  return accepted;
}

void
_gls_window_sync_passages (GlsWindow *self)
{
  g_autoptr(GArray) passages = g_array_new (FALSE, TRUE, sizeof (GlsTextPassage));
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) notes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) gls_thread_note_free);
  guint accepted;

  accepted = is_text_design (self->design) ? count_accepted (self->threads) : 0;
  if (accepted != self->n_accepted)
    {
      self->n_accepted = accepted;
      _gls_window_update_actions (self);
    }

  if (self->text_index == NULL)
    {
      gls_text_view_set_passages (self->text_view, NULL, 0);
      gls_po_view_set_passages (self->po_view, NULL, 0);
      /* An image's notes are gls-window-carried.c's. */
      if (is_text_design (self->design))
        {
          gls_threads_panel_set_notes (GLS_THREADS_PANEL (self->threads_panel), NULL);
          g_clear_pointer (&self->notes, g_hash_table_unref);
        }
      return;
    }

  add_passages (self, self->threads, passages, keep, notes);
  add_passages (self, self->carried, passages, keep, notes);

  gls_text_view_set_passages (self->text_view, (const GlsTextPassage *) (gpointer) passages->data,
                              passages->len);
  gls_po_view_set_passages (self->po_view, (const GlsTextPassage *) (gpointer) passages->data,
                            passages->len);

  /* A new table only when something changed: the panel refilters. */
  if (!notes_equal (self->notes, notes))
    {
      g_clear_pointer (&self->notes, g_hash_table_unref);
      self->notes = g_hash_table_ref (notes);
      gls_threads_panel_set_notes (GLS_THREADS_PANEL (self->threads_panel), notes);
    }
}

guint
_gls_window_get_n_accepted (GlsWindow *self)
{
  return self->n_accepted;
}

/* Earlier versions: their chain, files and messages are read in a thread;
 * their threads' models (which update themselves) join the text shown. */

typedef struct
{
  GlsWorkspace *workspace;
  GlsDesign    *design;
  char         *text;      /* the text shown, for its messages */
} VersionsData;

static void
versions_data_free (VersionsData *data)
{
  g_clear_object (&data->workspace);
  g_clear_object (&data->design);
  g_free (data->text);
  g_free (data);
}

typedef struct
{
  GPtrArray *versions;   /* Version */
  GlsPoFile *po;         /* the text shown's messages */
} VersionsResult;

static void
versions_result_free (VersionsResult *result)
{
  g_clear_pointer (&result->versions, g_ptr_array_unref);
  g_clear_object (&result->po);
  g_free (result);
}

static GlsPoFile *
parse_po (GlsWorkspace *workspace,
          GlsDesign    *design)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GlsPoFile *po;

  if (gls_design_get_kind (design) != GLS_DESIGN_KIND_TRANSLATION)
    return NULL;

  /* A file that does not parse is placed as text. */
  if (!(bytes = gls_workspace_load_design_file (workspace, gls_design_get_id (design), &error)) ||
      !(po = gls_po_file_new_from_bytes (bytes, &error)))
    {
      g_debug ("Version %s placed as text: %s", gls_design_get_id (design), error->message);
      return NULL;
    }

  return po;
}

static void
versions_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  VersionsData *data = task_data;
  g_autoptr(GPtrArray) designs = gls_workspace_list_versions (data->workspace, data->design);
  VersionsResult *result = g_new0 (VersionsResult, 1);

  result->versions = g_ptr_array_new_with_free_func (version_free);
  for (guint i = 0; i < designs->len; i++)
    {
      Version *version = g_new0 (Version, 1);
      gboolean shown = i + 1 == designs->len;

      if (g_cancellable_is_cancelled (cancellable))
        {
          version_free (version);
          break;
        }

      version->design = g_object_ref (g_ptr_array_index (designs, i));
      if (!shown)
        version->po = parse_po (data->workspace, version->design);
      g_ptr_array_add (result->versions, version);
    }

  if (data->text != NULL && gls_design_get_kind (data->design) == GLS_DESIGN_KIND_TRANSLATION &&
      !g_cancellable_is_cancelled (cancellable))
    result->po = gls_po_file_new (data->text, -1, NULL);

  if (g_task_return_error_if_cancelled (task))
    {
      versions_result_free (result);
      return;
    }

  g_task_return_pointer (task, result, (GDestroyNotify) versions_result_free);
}

static void
carried_changed_cb (GlsWindow  *self,
                    guint       position,
                    guint       removed,
                    guint       added,
                    GListModel *model)
{
  _gls_window_sync_passages (self);
}

static void
versions_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GlsWindow) self = user_data;
  VersionsData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  VersionsResult *loaded;
  g_autoptr(GListStore) models = NULL;

  loaded = g_task_propagate_pointer (G_TASK (result), &error);
  if (loaded == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot read the earlier versions of %s: %s",
                   gls_design_get_id (data->design), error->message);
      return;
    }

  /* Another design since. */
  if (self->design != data->design)
    {
      versions_result_free (loaded);
      return;
    }

  g_clear_pointer (&self->versions, g_ptr_array_unref);
  self->versions = g_steal_pointer (&loaded->versions);
  g_set_object (&self->po, loaded->po);
  versions_result_free (loaded);

  if (self->versions->len < 2)
    return;

  /* Newest first, as `glossa list` shows them. */
  models = g_list_store_new (G_TYPE_LIST_MODEL);
  for (guint i = self->versions->len - 1; i > 0; i--)
    {
      Version *version = g_ptr_array_index (self->versions, i - 1);
      g_autoptr(GListModel) threads = gls_workspace_get_threads (self->workspace,
                                                                 gls_design_get_source (version->design));

      g_list_store_append (models, threads);
    }

  g_clear_object (&self->carried);
  self->carried = G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (g_steal_pointer (&models))));
  g_signal_group_set_target (self->carried_signals, self->carried);
  gls_threads_panel_set_carried (GLS_THREADS_PANEL (self->threads_panel), self->carried);
  _gls_window_sync_passages (self);
}

void
_gls_window_load_versions (GlsWindow *self)
{
  g_autoptr(GTask) task = NULL;
  VersionsData *data;

  if (!is_text_design (self->design))
    return;

  data = g_new0 (VersionsData, 1);
  data->workspace = g_object_ref (self->workspace);
  data->design = g_object_ref (self->design);
  /* Its messages, to place the earlier versions' threads message first. */
  if (gls_design_get_kind (self->design) == GLS_DESIGN_KIND_TRANSLATION)
    data->text = g_strdup (self->text);

  task = g_task_new (NULL, self->load_cancellable, versions_loaded_cb, g_object_ref (self));
  g_task_set_source_tag (task, _gls_window_load_versions);
  g_task_set_task_data (task, data, (GDestroyNotify) versions_data_free);
  g_task_run_in_thread (task, versions_thread);
}

void
_gls_window_clear_versions (GlsWindow *self)
{
  g_clear_pointer (&self->versions, g_ptr_array_unref);
  g_clear_object (&self->po);
  if (self->carried_signals != NULL)
    g_signal_group_set_target (self->carried_signals, NULL);
  g_clear_object (&self->carried);
  g_clear_pointer (&self->notes, g_hash_table_unref);
  if (self->threads_panel != NULL)
    {
      gls_threads_panel_set_carried (GLS_THREADS_PANEL (self->threads_panel), NULL);
      gls_threads_panel_set_notes (GLS_THREADS_PANEL (self->threads_panel), NULL);
    }
  self->n_accepted = 0;
}

GListModel *
_gls_window_get_carried (GlsWindow *self)
{
  return self->carried;
}

/* Suggest a change */

static void
suggestion_posted_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GlsWindow) self = user_data;
  g_autoptr(GlsAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;

  annotation = gls_workspace_annotate_finish (GLS_WORKSPACE (object), result, &error);
  if (annotation == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not post the suggestion: %s"), error->message);
      gls_window_add_toast_message (self, message);
      /* Drop the pending marker. */
      _gls_window_sync_passages (self);
      return;
    }

  _gls_window_select_thread (self, gls_annotation_get_id (annotation), FALSE);
}

void
_gls_window_suggest (GlsWindow         *self,
                     const GlsSelector *selector,
                     const char        *replacement)
{
  if (self->design == NULL)
    return;

  gls_workspace_suggest_async (self->workspace, gls_design_get_id (self->design),
                               selector, replacement, self->cancellable,
                               suggestion_posted_cb, g_object_ref (self));
}

static void
suggestion_requested_cb (GlsWindow   *self,
                         GlsSelector *selector,
                         const char  *replacement,
                         GlsTextView *view)
{
  _gls_window_suggest (self, selector, replacement);
}

static void
suggest_selection_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  GlsWindow *self = GLS_WINDOW (widget);

  gls_text_view_suggest (self->text_view);
}

/* Apply Accepted Suggestions: a new version, shown; a toast offers to save
 * it; what could not apply is listed, and flagged on its thread. */

typedef struct
{
  GlsWindow *self;
  GlsDesign *design;
} ApplyData;

static void
apply_data_free (ApplyData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->design);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ApplyData, apply_data_free)

/* The reasons, kept for the design until its next Apply. */
static void
record_failures (GlsWindow *self,
                 GlsDesign *design,
                 GPtrArray *failures)
{
  GHashTable *reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; failures != NULL && i < failures->len; i++)
    {
      GlsSuggestionFailure *failure = g_ptr_array_index (failures, i);

      g_hash_table_replace (reasons, g_strdup (gls_thread_get_root_id (failure->thread)),
                            g_strdup (failure->reason));
    }

  g_hash_table_replace (self->failures, g_strdup (gls_design_get_id (design)), reasons);
  _gls_window_sync_passages (self);
}

static void
show_failures (GlsWindow  *self,
               const char *heading,
               GPtrArray  *failures)
{
  GString *body = g_string_new (NULL);
  GtkWidget *dialog;

  for (guint i = 0; i < failures->len; i++)
    {
      GlsSuggestionFailure *failure = g_ptr_array_index (failures, i);

      if (body->len > 0)
        g_string_append_c (body, '\n');
      /* Translators: a suggestion that could not be applied: its number and why, "#3: it overlaps #1" */
      g_string_append_printf (body, _("#%u: %s"), gls_thread_get_number (failure->thread), failure->reason);
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
  self->failures_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->failures_dialog);
  g_string_free (body, TRUE);
}

static void
suggestions_applied_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(ApplyData) data = user_data;
  GlsWindow *self = data->self;
  g_autoptr(GlsAppliedSuggestions) applied = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  applied = gls_workspace_apply_suggestions_finish (GLS_WORKSPACE (object), result, &error);
  /* Cancelled: the window is going. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->applying = FALSE;
  _gls_window_update_actions (self);

  if (applied == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not apply the suggestions: %s"), error->message);

      gls_window_add_toast_message (self, message);
      return;
    }

  record_failures (self, data->design, applied->failures);
  if (applied->version == NULL)
    {
      if (applied->failures->len > 0)
        show_failures (self, _("No Suggestion Could Be Applied"), applied->failures);
      else
        gls_window_add_toast_message (self, _("There are no accepted suggestions to apply"));
      return;
    }

  /* What "Save As…" writes. */
  g_clear_pointer (&self->applied_bytes, g_bytes_unref);
  g_clear_pointer (&self->applied_id, g_free);
  self->applied_bytes = g_bytes_ref (applied->bytes);
  self->applied_id = g_strdup (gls_design_get_id (applied->version));

  gls_window_show_design (self, applied->version);

  title = g_strdup_printf (ngettext ("Applied %u suggestion", "Applied %u suggestions", applied->n_applied),
                           applied->n_applied);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("Save _As…"));
  adw_toast_set_action_name (toast, "win.save-copy");
  adw_toast_set_timeout (toast, 10);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);

  if (applied->failures->len > 0)
    show_failures (self,
                   ngettext ("A Suggestion Was Not Applied", "Some Suggestions Were Not Applied",
                             applied->failures->len),
                   applied->failures);
}

static void
apply_suggestions_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  GlsWindow *self = GLS_WINDOW (widget);
  ApplyData *data;

  if (!is_text_design (self->design) || self->n_accepted == 0 || self->applying)
    return;

  self->applying = TRUE;
  _gls_window_update_actions (self);

  data = g_new0 (ApplyData, 1);
  data->self = g_object_ref (self);
  data->design = g_object_ref (self->design);
  gls_workspace_apply_suggestions_async (self->workspace, gls_design_get_id (self->design),
                                         self->cancellable, suggestions_applied_cb, data);
}

/* Save a Copy: the file of the design shown, where the user says. */

typedef struct
{
  GlsWindow *self;
  GBytes    *bytes;
  char      *name;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_object (&data->self);
  g_clear_pointer (&data->bytes, g_bytes_unref);
  g_free (data->name);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveData, save_data_free)

static void
file_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SaveData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (G_FILE (object));
  g_autofree char *message = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not save “%s”: %s"), name, error->message);
    }
  else
    message = g_strdup_printf (_("Saved “%s”"), name);

  gls_window_add_toast_message (data->self, message);
}

void
_gls_window_save_bytes (GlsWindow *self,
                        GFile     *file,
                        GBytes    *bytes)
{
  SaveData *data = g_new0 (SaveData, 1);
  gsize size;
  const char *contents = g_bytes_get_data (bytes, &size);

  data->self = g_object_ref (self);
  data->bytes = g_bytes_ref (bytes);
  /* The bytes stay alive (data) until the write is done. */
  g_file_replace_contents_async (file, contents, size, NULL, FALSE, G_FILE_CREATE_NONE,
                                 self->cancellable, file_saved_cb, data);
}

static void
save_chooser_response_cb (SaveData             *data,
                          int                   response,
                          GtkFileChooserNative *native)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

      if (file != NULL)
        _gls_window_save_bytes (data->self, file, data->bytes);
    }

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (native));
  g_object_unref (native);
  save_data_free (data);
}

static void
choose_save_file (SaveData *data)
{
  GtkFileChooserNative *native;

  native = gtk_file_chooser_native_new (_("Save a Copy"), GTK_WINDOW (data->self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), data->name);
  g_signal_connect_swapped (native, "response", G_CALLBACK (save_chooser_response_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
copy_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SaveData) data = user_data;
  g_autoptr(GError) error = NULL;

  data->bytes = gls_workspace_load_design_file_finish (GLS_WORKSPACE (object), result, &error);
  if (data->bytes == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not read “%s”: %s"), data->name, error->message);
      gls_window_add_toast_message (data->self, message);
      return;
    }

  choose_save_file (g_steal_pointer (&data));
}

static void
save_copy_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  GlsWindow *self = GLS_WINDOW (widget);
  SaveData *data;

  if (self->design == NULL)
    return;

  data = g_new0 (SaveData, 1);
  data->self = g_object_ref (self);
  data->name = g_strdup (gls_design_get_name (self->design));

  /* The version just made: its bytes are at hand. */
  if (self->applied_bytes != NULL && g_strcmp0 (self->applied_id, gls_design_get_id (self->design)) == 0)
    {
      data->bytes = g_bytes_ref (self->applied_bytes);
      choose_save_file (data);
      return;
    }

  gls_workspace_load_design_file_async (self->workspace, gls_design_get_id (self->design),
                                        self->cancellable, copy_loaded_cb, data);
}

void
_gls_window_update_text_actions (GlsWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean text = g_strcmp0 (_gls_window_get_view (self), "text") == 0;

  gtk_widget_action_set_enabled (widget, "win.suggest-selection",
                                 text && self->text_view != NULL &&
                                 gls_text_view_get_can_comment (self->text_view));
  gtk_widget_action_set_enabled (widget, "win.apply-suggestions",
                                 is_text_design (self->design) && self->n_accepted > 0 && !self->applying);
  gtk_widget_action_set_enabled (widget, "win.save-copy", self->design != NULL);
}

void
_gls_window_init_text (GlsWindow *self)
{
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_hash_table_unref);
  self->carried_signals = g_signal_group_new (G_TYPE_LIST_MODEL);
  g_signal_group_connect_object (self->carried_signals, "items-changed",
                                 G_CALLBACK (carried_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->text_view, "suggestion-requested",
                           G_CALLBACK (suggestion_requested_cb), self, G_CONNECT_SWAPPED);
}

void
_gls_window_dispose_text (GlsWindow *self)
{
  if (self->failures_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->failures_dialog));
  _gls_window_clear_versions (self);
  g_clear_object (&self->carried_signals);
  g_clear_pointer (&self->failures, g_hash_table_unref);
  g_clear_pointer (&self->applied_bytes, g_bytes_unref);
  g_clear_pointer (&self->applied_id, g_free);
}

void
_gls_window_class_init_text (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.suggest-selection", NULL, suggest_selection_action);
  gtk_widget_class_install_action (widget_class, "win.apply-suggestions", NULL, apply_suggestions_action);
  gtk_widget_class_install_action (widget_class, "win.save-copy", NULL, save_copy_action);
}
