/* gls-thread-view.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-thread-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "gls-comment-row.h"
#include "gls-mention-completion.h"
#include "gls-relative-time.h"
#include "gls-thread-row.h"
#include "gls-thread-view.h"

struct _GlsThreadView
{
  GtkWidget        parent_instance;

  GlsWorkspace    *workspace;
  GlsThread       *thread;
  char            *root_id;
  GlsThreadNote   *note;

  /* comment id -> GlsCommentRow (owned by the list box) */
  GHashTable      *rows;
  /* root id -> reply draft, for the threads not shown */
  GHashTable      *drafts;
  /* root id whose reply is being sent, or NULL */
  char            *sending_root;
  gboolean         resolving;
  gboolean         deciding;
  GCancellable    *cancellable;
  guint            clock_source;

  AdwToastOverlay *toast_overlay;
  GtkLabel        *title_label;
  GtkLabel        *version_label;
  GtkLabel        *subtitle_label;
  GtkMenuButton   *history_button;
  GtkListBox      *history_list;
  GtkButton       *resolve_button;
  GtkScrolledWindow *scroller;
  GtkWidget       *note_box;
  GtkLabel        *place_label;
  GtkWidget       *suggestion_box;
  GtkLabel        *decision_label;
  GtkLabel        *diff_label;
  GtkWidget       *failure_box;
  GtkLabel        *failure_label;
  GtkWidget       *decide_box;
  GtkButton       *accept_button;
  GtkButton       *decline_button;
  GtkListBox      *comments_list;
  GtkTextView     *reply_view;
  GtkWidget       *reply_placeholder;
  GtkButton       *reply_button;
};

G_DEFINE_FINAL_TYPE (GlsThreadView, gls_thread_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_WORKSPACE,
  PROP_THREAD,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

typedef struct
{
  GlsThreadView *self;
  char          *root_id;
  char          *comment_id;
  char          *text;
} Op;

static Op *
op_new (GlsThreadView *self,
        const char    *root_id,
        const char    *comment_id,
        const char    *text)
{
  Op *op = g_new0 (Op, 1);

  op->self = g_object_ref (self);
  op->root_id = g_strdup (root_id);
  op->comment_id = g_strdup (comment_id);
  op->text = g_strdup (text);

  return op;
}

static void
op_free (Op *op)
{
  g_clear_object (&op->self);
  g_free (op->root_id);
  g_free (op->comment_id);
  g_free (op->text);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Op, op_free)

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static const char *
own_did (GlsThreadView *self)
{
  GlsIdentity *identity = gls_workspace_get_identity (self->workspace);

  return identity ? gls_identity_get_did (identity) : NULL;
}

static gboolean
comment_is_own (GlsThreadView *self,
                GlsComment    *comment)
{
  const char *did = own_did (self);

  return did != NULL && g_strcmp0 (gls_comment_get_author_id (comment), did) == 0;
}

void
gls_thread_view_show_error (GlsThreadView *self,
                            const char    *message)
{
  AdwToast *toast;

  g_return_if_fail (GLS_IS_THREAD_VIEW (self));

  g_warning ("%s", message);
  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
reply_changed_cb (GlsThreadView *self,
                  GtkTextBuffer *buffer)
{
  gtk_widget_set_visible (self->reply_placeholder, gtk_text_buffer_get_char_count (buffer) == 0);
}

static char *
dup_reply_text (GlsThreadView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->reply_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* A suggestion whose passage is known (its root is not deleted). */
static gboolean
is_suggestion (GlsThreadView *self)
{
  const GlsSelector *selector;

  if (self->thread == NULL || !gls_thread_is_suggestion (self->thread) ||
      gls_thread_get_placeholder (self->thread))
    return FALSE;

  selector = gls_thread_get_selector (self->thread);
  return selector != NULL && selector->kind == GLS_SELECTOR_TEXT && selector->exact != NULL;
}

/* Accept and Decline: a suggestion on the version shown, not decided yet.
 * One carried from an earlier version was about that version's text. */
static gboolean
can_decide (GlsThreadView *self)
{
  return is_suggestion (self) &&
         gls_thread_get_decision (self->thread) == GLS_DECISION_NONE &&
         !gls_thread_get_resolved (self->thread) &&
         (self->note == NULL || self->note->version == 0);
}

static void
update_actions (GlsThreadView *self)
{
  gboolean sending = self->sending_root != NULL && g_strcmp0 (self->sending_root, self->root_id) == 0;
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean decide = can_decide (self);

  gtk_widget_action_set_enabled (widget, "thread.send-reply", self->thread != NULL && !sending);
  gtk_widget_action_set_enabled (widget, "thread.toggle-resolved", self->thread != NULL && !self->resolving);
  gtk_widget_action_set_enabled (widget, "thread.accept", decide && !self->deciding);
  gtk_widget_action_set_enabled (widget, "thread.decline", decide && !self->deciding);
  gtk_text_view_set_editable (self->reply_view, self->thread != NULL && !sending);
}

static void
set_class (GtkWidget  *widget,
           const char *name,
           gboolean    set)
{
  if (set)
    gtk_widget_add_css_class (widget, name);
  else
    gtk_widget_remove_css_class (widget, name);
}

/* The suggestion (old words struck through, new ones inserted, the
 * decision, why it was not applied) and where a carried thread is now. */
static void
update_note (GlsThreadView *self)
{
  GlsThreadNote *note = self->note;
  gboolean suggestion = is_suggestion (self);
  g_autofree char *place = NULL;
  g_autofree char *version = NULL;
  const char *exact = NULL;

  if (self->thread != NULL)
    {
      const GlsSelector *selector = gls_thread_get_selector (self->thread);

      if (selector != NULL && selector->kind == GLS_SELECTOR_TEXT)
        exact = selector->exact;
    }

  if (self->thread != NULL && note != NULL && note->version > 0)
    {
      g_autofree char *tooltip = NULL;

      /* Translators: a badge on a thread made on an earlier version of a text, "v1" */
      version = g_strdup_printf (_("v%u"), note->version);
      /* Translators: the tooltip of the "v1" badge */
      tooltip = g_strdup_printf (_("Made on version %u"), note->version);
      gtk_label_set_label (self->version_label, version);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->version_label), tooltip);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->version_label), version != NULL);

  if (self->thread != NULL && note != NULL)
    {
      switch (note->state)
        {
        case GLS_ANCHOR_CHANGED:
          /* Translators: a passage that changed in a later version of the text: its old words, then the new */
          place = g_strdup_printf (_("Changed: “%s” → “%s”"), exact ? exact : "", note->now ? note->now : "");
          break;
        case GLS_ANCHOR_MOVED:
          place = note->version > 0
                  /* Translators: under a thread made on an earlier version of a text */
                  ? g_strdup_printf (_("Made on version %u; its passage moved in this one"), note->version)
                  : NULL;
          break;
        case GLS_ANCHOR_ORPHANED:
          /* Translators: a thread whose passage is gone from the version shown, with its old words */
          place = g_strdup_printf (_("Orphaned: “%s” is not in this version"), exact ? exact : "");
          break;
        case GLS_ANCHOR_IN_PLACE:
        default:
          if (note->version > 0 && note->compared && note->change == GLS_CHANGE_CHANGED)
            /* Translators: under an image thread made on an earlier version */
            place = g_strdup_printf (_("Made on version %u; the design has changed here since"), note->version);
          else if (note->version > 0 && note->compared && note->change == GLS_CHANGE_UNCHANGED)
            /* Translators: under an image thread made on an earlier version */
            place = g_strdup_printf (_("Made on version %u; the design has not changed here"), note->version);
          else
            place = note->version > 0
                    /* Translators: under a thread made on an earlier version of a text */
                    ? g_strdup_printf (_("Made on version %u"), note->version)
                    : NULL;
          break;
        }
    }
  gtk_label_set_label (self->place_label, place ? place : "");
  gtk_widget_set_visible (GTK_WIDGET (self->place_label), place != NULL);
  set_class (GTK_WIDGET (self->place_label), "warning", note != NULL && note->state == GLS_ANCHOR_ORPHANED);

  gtk_widget_set_visible (self->suggestion_box, suggestion);
  if (suggestion)
    {
      const char *replacement = gls_thread_get_text (self->thread);
      const char *decision = gls_thread_decision_label (self->thread);
      g_autofree char *markup = gls_thread_suggestion_markup (exact, replacement, FALSE);
      g_autofree char *description = gls_thread_suggestion_description (exact, replacement);

      gtk_label_set_markup (self->diff_label, markup);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->diff_label),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                      -1);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->diff_label), description);

      gtk_label_set_label (self->decision_label, decision ? decision : "");
      gtk_widget_set_visible (GTK_WIDGET (self->decision_label), decision != NULL);
      set_class (GTK_WIDGET (self->decision_label), "accepted",
                 gls_thread_get_decision (self->thread) == GLS_DECISION_ACCEPTED);
      set_class (GTK_WIDGET (self->decision_label), "declined",
                 gls_thread_get_decision (self->thread) == GLS_DECISION_DECLINED);

      if (note != NULL && note->failure != NULL)
        {
          /* Translators: on a suggestion that "Apply Accepted Suggestions" could not apply, with the reason */
          g_autofree char *failure = g_strdup_printf (_("Not applied: %s"), note->failure);

          gtk_label_set_label (self->failure_label, failure);
        }
      gtk_widget_set_visible (self->failure_box, note != NULL && note->failure != NULL);
      gtk_widget_set_visible (self->decide_box, can_decide (self));
    }

  gtk_widget_set_visible (self->note_box, suggestion || place != NULL);
}

/* History */

static char *
describe_event (const GlsThreadEvent *event)
{
  const char *who = event->who != NULL && *event->who != '\0' ? event->who : _("Anonymous");

  switch (event->kind)
    {
    case GLS_THREAD_EVENT_STARTED:
      /* Translators: in a thread's history */
      return g_strdup_printf (_("%s started the thread"), who);
    case GLS_THREAD_EVENT_REPLIED:
      /* Translators: in a thread's history */
      return g_strdup_printf (_("%s replied"), who);
    case GLS_THREAD_EVENT_EDITED:
      /* Translators: in a thread's history */
      return g_strdup_printf (_("%s edited their comment"), who);
    case GLS_THREAD_EVENT_RESOLVED:
      /* Translators: in a thread's history */
      return g_strdup_printf (_("%s resolved the thread"), who);
    case GLS_THREAD_EVENT_REOPENED:
      /* Translators: in a thread's history */
      return g_strdup_printf (_("%s reopened the thread"), who);
    case GLS_THREAD_EVENT_ACCEPTED:
      /* Translators: in a thread's history */
      return g_strdup_printf (_("%s accepted the suggestion"), who);
    case GLS_THREAD_EVENT_DECLINED:
    default:
      /* Translators: in a thread's history */
      return g_strdup_printf (_("%s declined the suggestion"), who);
    }
}

/* Made when shown: the history of a thread nobody asks for costs nothing. */
static void
history_shown_cb (GlsThreadView *self)
{
  g_autoptr(GPtrArray) history = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, child);
  if (self->thread == NULL)
    return;

  history = gls_thread_get_history (self->thread);
  for (guint i = 0; i < history->len; i++)
    {
      const GlsThreadEvent *event = g_ptr_array_index (history, i);
      g_autofree char *what = describe_event (event);
      g_autofree char *when = gls_format_relative_iso8601 (event->when, NULL);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), what);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      if (when != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), when);
      gtk_list_box_append (self->history_list, row);
    }
}

static void
update_header (GlsThreadView *self)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *status = NULL;
  GlsAnnotation *assessment;
  gboolean resolved;

  if (self->thread == NULL)
    {
      gtk_label_set_label (self->title_label, "");
      gtk_label_set_label (self->subtitle_label, "");
      return;
    }

  resolved = gls_thread_get_resolved (self->thread);

  if (is_suggestion (self))
    /* Translators: the heading of a suggestion's thread, with its number */
    title = g_strdup_printf (_("Suggestion %u"), gls_thread_get_number (self->thread));
  else
    /* Translators: the heading of a thread, with its number */
    title = g_strdup_printf (_("Comment %u"), gls_thread_get_number (self->thread));
  gtk_label_set_label (self->title_label, title);

  /* Anyone may resolve or reopen: say who did, and when. */
  assessment = gls_thread_get_assessment (self->thread);
  if (assessment != NULL)
    {
      g_autofree char *when = gls_format_relative_iso8601 (gls_annotation_get_created (assessment), NULL);
      const char *who = gls_annotation_get_creator_name (assessment);

      if (who == NULL || *who == '\0')
        who = _("Anonymous");
      if (is_suggestion (self) && gls_thread_get_decision (self->thread) == GLS_DECISION_ACCEPTED)
        /* Translators: "Accepted by Ana 5 minutes ago", of a suggestion */
        status = g_strdup_printf (_("Accepted by %s %s"), who, when != NULL ? when : "");
      else if (is_suggestion (self) && gls_thread_get_decision (self->thread) == GLS_DECISION_DECLINED)
        /* Translators: "Declined by Ana 5 minutes ago", of a suggestion */
        status = g_strdup_printf (_("Declined by %s %s"), who, when != NULL ? when : "");
      else
        status = g_strdup_printf (resolved
                                  /* Translators: "Resolved by Ana 5 minutes ago" */
                                  ? _("Resolved by %s %s")
                                  /* Translators: "Reopened by Ana 5 minutes ago" */
                                  : _("Reopened by %s %s"), who, when != NULL ? when : "");
    }
  else if (can_decide (self))
    {
      /* Translators: under an open suggestion's heading */
      status = g_strdup (_("Waiting for a decision"));
    }
  else
    {
      status = g_strdup (resolved ? _("Resolved") : _("Open"));
    }

  if (gls_thread_get_page (self->thread) > 0)
    /* Translators: "Page 3 · Resolved" under a thread's heading */
    subtitle = g_strdup_printf (_("Page %u · %s"), gls_thread_get_page (self->thread), status);
  else
    subtitle = g_steal_pointer (&status);
  gtk_label_set_label (self->subtitle_label, subtitle);

  gtk_button_set_label (self->resolve_button, resolved ? _("Re_open") : _("Re_solve"));
  /* An open suggestion is decided, not resolved; a decided one reopens. */
  gtk_widget_set_visible (GTK_WIDGET (self->resolve_button), !can_decide (self));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->resolve_button),
                               resolved ? _("Open the thread again") : _("Mark the thread as done"));
}

static void
row_save_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(GlsAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;
  GlsCommentRow *row;

  annotation = gls_workspace_annotate_finish (GLS_WORKSPACE (object), result, &error);
  if (is_cancelled (error))
    return;

  row = (GlsCommentRow *) gls_thread_view_get_comment_row (op->self, op->comment_id);

  if (annotation == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not save the comment: %s"), error->message);

      if (row != NULL)
        gls_comment_row_set_busy (row, FALSE);
      gls_thread_view_show_error (op->self, message);
      return;
    }

  if (row != NULL)
    gls_comment_row_stop_editing (row);
}

static void
row_save_requested_cb (GlsThreadView *self,
                       const char    *text,
                       GlsCommentRow *row)
{
  GlsComment *comment = gls_comment_row_get_comment (row);

  g_assert (GLS_IS_THREAD_VIEW (self));
  g_assert (GLS_IS_COMMENT_ROW (row));

  gls_comment_row_set_busy (row, TRUE);
  gls_workspace_edit_async (self->workspace,
                            gls_comment_get_id (comment),
                            text,
                            self->cancellable,
                            row_save_cb,
                            op_new (self, self->root_id, gls_comment_get_id (comment), text));
}

static void
delete_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(GError) error = NULL;

  if (!gls_workspace_delete_finish (GLS_WORKSPACE (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (is_cancelled (error))
        return;

      message = g_strdup_printf (_("Could not delete the comment: %s"), error->message);
      gls_thread_view_show_error (op->self, message);
    }
}

static void
delete_dialog_response_cb (AdwMessageDialog *dialog,
                           const char       *response,
                           gpointer          user_data)
{
  g_autoptr(Op) op = user_data;

  if (g_strcmp0 (response, "delete") != 0 || op->self->workspace == NULL)
    return;

  gls_workspace_delete_async (op->self->workspace,
                              op->comment_id,
                              op->self->cancellable,
                              delete_cb,
                              op_new (op->self, op->root_id, op->comment_id, NULL));
}

static void
row_delete_requested_cb (GlsThreadView *self,
                         GlsCommentRow *row)
{
  GlsComment *comment = gls_comment_row_get_comment (row);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;
  gboolean is_root = gls_comment_get_is_root (comment);

  g_assert (GLS_IS_THREAD_VIEW (self));

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Delete Comment?"),
                                   is_root && self->thread && gls_thread_get_reply_count (self->thread) > 0
                                   ? _("The comment is removed for everyone this workspace syncs with. The replies stay, under a placeholder.")
                                   : _("The comment is removed for everyone this workspace syncs with."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response",
                    G_CALLBACK (delete_dialog_response_cb),
                    op_new (self, self->root_id, gls_comment_get_id (comment), NULL));
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
scroll_to_end_cb (gpointer user_data)
{
  GlsThreadView *self = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  gtk_adjustment_set_value (adjustment,
                            gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));

  return G_SOURCE_REMOVE;
}

static void
scroll_to_end (GlsThreadView *self)
{
  /* Low priority: after GTK has laid out the new row. */
  g_idle_add_full (G_PRIORITY_LOW, scroll_to_end_cb, g_object_ref (self), g_object_unref);
}

static void
clear_rows (GlsThreadView *self)
{
  GtkWidget *child;

  g_hash_table_remove_all (self->rows);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->comments_list))) != NULL)
    gtk_list_box_remove (self->comments_list, child);
}

/* Rows are kept by comment id, so an update of the thread (a new GlsThread
 * object) leaves an edit in progress and the keyboard focus alone. */
static void
sync_rows (GlsThreadView *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;
  GListModel *comments;
  gboolean own_appended = FALSE;
  gboolean had_rows = g_hash_table_size (self->rows) > 0;
  guint n;

  if (self->thread == NULL)
    {
      clear_rows (self);
      return;
    }

  comments = gls_thread_get_comments (self->thread);
  n = g_list_model_get_n_items (comments);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsComment) comment = g_list_model_get_item (comments, i);
      const char *id = gls_comment_get_id (comment);
      GlsCommentRow *row = g_hash_table_lookup (self->rows, id);

      if (row != NULL)
        {
          gls_comment_row_set_comment (row, comment);
          gls_comment_row_set_own (row, comment_is_own (self, comment));
        }
      else
        {
          row = GLS_COMMENT_ROW (gls_comment_row_new (comment, comment_is_own (self, comment)));
          g_signal_connect_object (row, "save-requested",
                                   G_CALLBACK (row_save_requested_cb), self,
                                   G_CONNECT_SWAPPED);
          g_signal_connect_object (row, "delete-requested",
                                   G_CALLBACK (row_delete_requested_cb), self,
                                   G_CONNECT_SWAPPED);
          g_hash_table_insert (self->rows, g_strdup (id), row);
          own_appended = i == n - 1 && comment_is_own (self, comment);
        }

      g_hash_table_add (seen, (gpointer) gls_comment_get_id (gls_comment_row_get_comment (row)));
      g_ptr_array_add (order, row);
    }

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!g_hash_table_contains (seen, key))
        {
          if (gtk_widget_get_parent (value) != NULL)
            gtk_list_box_remove (self->comments_list, value);
          g_hash_table_iter_remove (&iter);
        }
    }

  for (guint i = 0; i < order->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (order, i);

      if ((GtkWidget *) gtk_list_box_get_row_at_index (self->comments_list, i) == row)
        continue;

      g_object_ref (row);
      if (gtk_widget_get_parent (row) != NULL)
        gtk_list_box_remove (self->comments_list, row);
      gtk_list_box_insert (self->comments_list, row, i);
      g_object_unref (row);
    }

  /* One's own new reply: show it, whatever was scrolled to before. */
  if (had_rows && own_appended)
    scroll_to_end (self);
}

static gboolean
clock_tick_cb (gpointer user_data)
{
  GlsThreadView *self = user_data;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    gls_comment_row_update_time (value);

  return G_SOURCE_CONTINUE;
}

static void
reply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(GlsAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;
  GlsThreadView *self = op->self;

  annotation = gls_workspace_annotate_finish (GLS_WORKSPACE (object), result, &error);
  if (is_cancelled (error))
    return;

  if (g_strcmp0 (self->sending_root, op->root_id) == 0)
    g_clear_pointer (&self->sending_root, g_free);

  if (annotation == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not send the reply: %s"), error->message);

      gls_thread_view_show_error (self, message);
    }
  else if (g_strcmp0 (self->root_id, op->root_id) == 0)
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->reply_view), "", 0);
    }
  else
    {
      const char *draft = g_hash_table_lookup (self->drafts, op->root_id);

      if (g_strcmp0 (draft, op->text) == 0)
        g_hash_table_remove (self->drafts, op->root_id);
    }

  update_actions (self);
}

static void
gls_thread_view_send_reply_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *param)
{
  GlsThreadView *self = GLS_THREAD_VIEW (widget);
  g_autofree char *text = dup_reply_text (self);
  const char *target = self->root_id;

  if (self->thread == NULL)
    return;

  g_strstrip (text);
  if (*text == '\0')
    {
      gtk_widget_error_bell (widget);
      gtk_widget_grab_focus (GTK_WIDGET (self->reply_view));
      return;
    }

  /* A deleted root cannot take replies; answer its last live reply, which
   * keeps the reply in the same thread. */
  if (gls_thread_get_placeholder (self->thread))
    {
      GListModel *comments = gls_thread_get_comments (self->thread);
      guint n = g_list_model_get_n_items (comments);

      if (n > 1)
        {
          g_autoptr(GlsComment) last = g_list_model_get_item (comments, n - 1);

          target = gls_comment_get_id (last);
        }
    }

  g_free (self->sending_root);
  self->sending_root = g_strdup (self->root_id);
  update_actions (self);

  gls_workspace_reply_async (self->workspace,
                             target,
                             text,
                             self->cancellable,
                             reply_cb,
                             op_new (self, self->root_id, NULL, text));
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(GlsAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;

  annotation = gls_workspace_annotate_finish (GLS_WORKSPACE (object), result, &error);
  if (is_cancelled (error))
    return;

  op->self->resolving = FALSE;
  update_actions (op->self);

  if (annotation == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not change the thread: %s"), error->message);

      gls_thread_view_show_error (op->self, message);
    }
}

static void
gls_thread_view_toggle_resolved_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *param)
{
  GlsThreadView *self = GLS_THREAD_VIEW (widget);

  if (self->thread == NULL || self->resolving)
    return;

  self->resolving = TRUE;
  update_actions (self);

  gls_workspace_set_resolved_async (self->workspace,
                                    self->root_id,
                                    !gls_thread_get_resolved (self->thread),
                                    self->cancellable,
                                    resolve_cb,
                                    op_new (self, self->root_id, NULL, NULL));
}

static void
decide_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(GlsAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;

  annotation = gls_workspace_annotate_finish (GLS_WORKSPACE (object), result, &error);
  if (is_cancelled (error))
    return;

  op->self->deciding = FALSE;
  update_actions (op->self);

  if (annotation == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not decide on the suggestion: %s"), error->message);

      gls_thread_view_show_error (op->self, message);
    }
}

/* thread.accept and thread.decline: anyone may decide; the latest
 * decision counts, and Reopen takes it back. */
static void
gls_thread_view_decide_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  GlsThreadView *self = GLS_THREAD_VIEW (widget);

  if (!can_decide (self) || self->deciding)
    return;

  self->deciding = TRUE;
  update_actions (self);

  gls_workspace_decide_async (self->workspace,
                              self->root_id,
                              g_str_equal (action_name, "thread.accept"),
                              self->cancellable,
                              decide_cb,
                              op_new (self, self->root_id, NULL, NULL));
}

static void
gls_thread_view_dispose (GObject *object)
{
  GlsThreadView *self = (GlsThreadView *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->clock_source, g_source_remove);
  if (self->rows != NULL)
    g_hash_table_remove_all (self->rows);

  gtk_widget_dispose_template (GTK_WIDGET (self), GLS_TYPE_THREAD_VIEW);

  g_clear_object (&self->thread);
  g_clear_object (&self->workspace);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (gls_thread_view_parent_class)->dispose (object);
}

static void
gls_thread_view_finalize (GObject *object)
{
  GlsThreadView *self = (GlsThreadView *)object;

  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->drafts, g_hash_table_unref);
  g_clear_pointer (&self->root_id, g_free);
  g_clear_pointer (&self->sending_root, g_free);
  g_clear_pointer (&self->note, gls_thread_note_free);

  G_OBJECT_CLASS (gls_thread_view_parent_class)->finalize (object);
}

static void
gls_thread_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GlsThreadView *self = GLS_THREAD_VIEW (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;

    case PROP_THREAD:
      g_value_set_object (value, self->thread);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_thread_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GlsThreadView *self = GLS_THREAD_VIEW (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      self->workspace = g_value_dup_object (value);
      if (self->workspace != NULL)
        gls_mention_completion_attach (self->reply_view, self->workspace);
      break;

    case PROP_THREAD:
      gls_thread_view_set_thread (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void gls_thread_view_mine_action (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *param);

static void
gls_thread_view_class_init (GlsThreadViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gls_thread_view_dispose;
  object_class->finalize = gls_thread_view_finalize;
  object_class->get_property = gls_thread_view_get_property;
  object_class->set_property = gls_thread_view_set_property;

  properties [PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL,
                         GLS_TYPE_WORKSPACE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_THREAD] =
    g_param_spec_object ("thread", NULL, NULL,
                         GLS_TYPE_THREAD,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ADW_TYPE_TOAST_OVERLAY);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/glossa/Glossa/gls-thread-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, title_label);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, version_label);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, note_box);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, place_label);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, suggestion_box);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, decision_label);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, diff_label);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, failure_box);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, failure_label);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, decide_box);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, accept_button);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, decline_button);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, history_button);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, history_list);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, resolve_button);
  gtk_widget_class_bind_template_callback (widget_class, history_shown_cb);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, scroller);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, comments_list);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, reply_view);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, reply_placeholder);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadView, reply_button);

  gtk_widget_class_install_action (widget_class, "thread.send-reply", NULL, gls_thread_view_send_reply_action);
  gtk_widget_class_install_action (widget_class, "thread.toggle-resolved", NULL, gls_thread_view_toggle_resolved_action);
  gtk_widget_class_install_action (widget_class, "thread.accept", NULL, gls_thread_view_decide_action);
  gtk_widget_class_install_action (widget_class, "thread.decline", NULL, gls_thread_view_decide_action);
  gtk_widget_class_install_action (widget_class, "thread.edit-mine", NULL, gls_thread_view_mine_action);
  gtk_widget_class_install_action (widget_class, "thread.delete-mine", NULL, gls_thread_view_mine_action);

  /* Keys from anywhere in the thread (the reply box too): Ctrl+R resolves
   * or reopens, Ctrl+E edits my comment, Ctrl+Delete deletes it (asking
   * first); the window passes them on from the canvas. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "thread.toggle-resolved", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "thread.edit-mine", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, GDK_CONTROL_MASK, "thread.delete-mine", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, GDK_CONTROL_MASK, "thread.delete-mine", NULL);

  gtk_widget_class_set_css_name (widget_class, "threadview");
}

/* My comment the keys act on: the one with the focus if it is mine,
 * else my latest one in the thread. */
static GtkWidget *
find_my_row (GlsThreadView *self)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));
  GtkWidget *mine = NULL;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->comments_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GlsCommentRow *comment_row;

      if (!GLS_IS_COMMENT_ROW (row) &&
          !(GTK_IS_LIST_BOX_ROW (row) && GLS_IS_COMMENT_ROW (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)))))
        continue;
      comment_row = GLS_IS_COMMENT_ROW (row) ? GLS_COMMENT_ROW (row)
                                             : GLS_COMMENT_ROW (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)));
      if (!gls_comment_row_get_own (comment_row) ||
          gls_comment_get_deleted (gls_comment_row_get_comment (comment_row)))
        continue;
      if (focus != NULL && (focus == row || gtk_widget_is_ancestor (focus, row)))
        return GTK_WIDGET (comment_row);
      mine = GTK_WIDGET (comment_row);
    }

  return mine;
}

static void
gls_thread_view_mine_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  GlsThreadView *self = GLS_THREAD_VIEW (widget);
  GtkWidget *row = self->thread != NULL ? find_my_row (self) : NULL;

  if (row == NULL)
    {
      gtk_widget_error_bell (widget);
      return;
    }
  gtk_widget_activate_action (row, g_str_equal (action_name, "thread.edit-mine") ? "comment.edit" : "comment.delete", NULL);
}

static void
gls_thread_view_init (GlsThreadView *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->drafts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cancellable = g_cancellable_new ();

  /* Capture phase: the text view would otherwise take Ctrl+Enter as a
   * newline. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                                                                       gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_CONTROL_MASK)),
                                                          gtk_named_action_new ("thread.send-reply")));
  gtk_widget_add_controller (GTK_WIDGET (self->reply_view), controller);
  g_signal_connect_object (gtk_text_view_get_buffer (self->reply_view), "changed",
                           G_CALLBACK (reply_changed_cb), self, G_CONNECT_SWAPPED);

  self->clock_source = g_timeout_add_seconds (30, clock_tick_cb, self);

  update_actions (self);
}

GtkWidget *
gls_thread_view_new (GlsWorkspace *workspace)
{
  g_return_val_if_fail (GLS_IS_WORKSPACE (workspace), NULL);

  return g_object_new (GLS_TYPE_THREAD_VIEW,
                       "workspace", workspace,
                       NULL);
}

GlsWorkspace *
gls_thread_view_get_workspace (GlsThreadView *self)
{
  g_return_val_if_fail (GLS_IS_THREAD_VIEW (self), NULL);

  return self->workspace;
}

GlsThread *
gls_thread_view_get_thread (GlsThreadView *self)
{
  g_return_val_if_fail (GLS_IS_THREAD_VIEW (self), NULL);

  return self->thread;
}

void
gls_thread_view_set_thread (GlsThreadView *self,
                            GlsThread     *thread)
{
  const char *root_id;

  g_return_if_fail (GLS_IS_THREAD_VIEW (self));
  g_return_if_fail (!thread || GLS_IS_THREAD (thread));

  if (self->thread == thread)
    return;

  root_id = thread ? gls_thread_get_root_id (thread) : NULL;

  if (g_strcmp0 (root_id, self->root_id) != 0)
    {
      g_autofree char *draft = dup_reply_text (self);
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->reply_view);
      const char *new_draft;

      /* Keep what was typed for the thread we leave. */
      if (self->root_id != NULL)
        {
          if (*draft != '\0')
            g_hash_table_replace (self->drafts, g_strdup (self->root_id), g_steal_pointer (&draft));
          else
            g_hash_table_remove (self->drafts, self->root_id);
        }

      new_draft = root_id ? g_hash_table_lookup (self->drafts, root_id) : NULL;
      gtk_text_buffer_set_text (buffer, new_draft ? new_draft : "", -1);

      clear_rows (self);
      g_free (self->root_id);
      self->root_id = g_strdup (root_id);
      self->resolving = FALSE;
      self->deciding = FALSE;
      /* The note was about the thread we leave. */
      g_clear_pointer (&self->note, gls_thread_note_free);
    }

  g_set_object (&self->thread, thread);

  sync_rows (self);
  update_header (self);
  update_note (self);
  update_actions (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_THREAD]);
}

void
gls_thread_view_set_note (GlsThreadView       *self,
                          const GlsThreadNote *note)
{
  g_return_if_fail (GLS_IS_THREAD_VIEW (self));

  g_clear_pointer (&self->note, gls_thread_note_free);
  self->note = gls_thread_note_copy (note);

  update_header (self);
  update_note (self);
  update_actions (self);
}

const GlsThreadNote *
gls_thread_view_get_note (GlsThreadView *self)
{
  g_return_val_if_fail (GLS_IS_THREAD_VIEW (self), NULL);

  return self->note;
}

void
gls_thread_view_focus_reply (GlsThreadView *self)
{
  g_return_if_fail (GLS_IS_THREAD_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->reply_view));
}

GtkTextBuffer *
gls_thread_view_get_reply_buffer (GlsThreadView *self)
{
  g_return_val_if_fail (GLS_IS_THREAD_VIEW (self), NULL);

  return gtk_text_view_get_buffer (self->reply_view);
}

GtkWidget *
gls_thread_view_get_comment_row (GlsThreadView *self,
                                 const char    *id)
{
  g_return_val_if_fail (GLS_IS_THREAD_VIEW (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_hash_table_lookup (self->rows, id);
}

guint
gls_thread_view_get_n_comments (GlsThreadView *self)
{
  g_return_val_if_fail (GLS_IS_THREAD_VIEW (self), 0);

  return g_hash_table_size (self->rows);
}

void
gls_thread_view_show_history (GlsThreadView *self)
{
  g_return_if_fail (GLS_IS_THREAD_VIEW (self));

  history_shown_cb (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self->history_button)))
    gtk_menu_button_popup (self->history_button);
}

GtkListBox *
gls_thread_view_get_history_list (GlsThreadView *self)
{
  g_return_val_if_fail (GLS_IS_THREAD_VIEW (self), NULL);

  return self->history_list;
}
