/* gls-review-box.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-review-box"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "gls-review-box.h"
#include "gls-reviews.h"

struct _GlsReviewBox
{
  GtkWidget     parent_instance;

  GlsWorkspace *workspace;
  GlsDesign    *design;
  GPtrArray    *reviews;      /* GlsReview, or NULL until read */
  char         *summary;
  GCancellable *cancellable;  /* the read under way */
  guint         writing;      /* reviews being written */

  GtkWidget    *content;
  GtkLabel     *summary_label;
  GtkLabel     *notes_label;
  GtkButton    *approve_button;
  GtkButton    *changes_button;
};

G_DEFINE_FINAL_TYPE (GlsReviewBox, gls_review_box, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_WORKSPACE,
  PROP_DESIGN,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void reload (GlsReviewBox *self);

static const GlsReview *
my_review (GlsReviewBox *self)
{
  const char *me;

  if (self->reviews == NULL || self->workspace == NULL)
    return NULL;
  me = gls_identity_get_did (gls_workspace_get_identity (self->workspace));
  for (guint i = 0; i < self->reviews->len; i++)
    {
      const GlsReview *review = g_ptr_array_index (self->reviews, i);

      if (g_strcmp0 (review->reviewer, me) == 0)
        return review;
    }
  return NULL;
}

static void
update (GlsReviewBox *self)
{
  const GlsReview *mine = my_review (self);
  gboolean can = self->design != NULL && self->writing == 0;

  g_clear_pointer (&self->summary, g_free);
  if (self->reviews != NULL)
    self->summary = gls_reviews_summary (self->reviews);
  gtk_label_set_label (self->summary_label, self->summary != NULL ? self->summary : _("No reviews of this version yet"));
  if (self->summary == NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->summary_label), "dim-label");

  /* What the reviewers said, newest first. */
  {
    g_autoptr(GString) notes = g_string_new (NULL);

    for (guint i = self->reviews != NULL ? self->reviews->len : 0; i > 0; i--)
      {
        const GlsReview *review = g_ptr_array_index (self->reviews, i - 1);
        const char *note = gls_annotation_get_note (review->annotation);

        if (note == NULL)
          continue;
        if (notes->len > 0)
          g_string_append_c (notes, '\n');
        /* Translators: what a reviewer said with their review: "Ana: “Move C3”" */
        g_string_append_printf (notes, _("%s: “%s”"), review->name, note);
      }
    gtk_label_set_label (self->notes_label, notes->str);
    gtk_widget_set_visible (GTK_WIDGET (self->notes_label), notes->len > 0);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->notes_label), notes->len > 0 ? notes->str : NULL);
  }

  /* Approving twice says nothing new; asking for changes again may. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.approve",
                                 can && (mine == NULL || gls_review_get_decision (mine) != GLS_DECISION_APPROVED));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.request-changes", can);
  gtk_button_set_label (self->approve_button,
                        mine != NULL && gls_review_get_decision (mine) == GLS_DECISION_APPROVED
                        ? _("Approved") : _("_Approve"));
}

/* Reading */

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GlsWorkspace *workspace = source_object;
  GError *error = NULL;
  GPtrArray *reviews = gls_workspace_list_reviews (workspace, task_data, &error);

  if (reviews == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, reviews, (GDestroyNotify) g_ptr_array_unref);
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GlsReviewBox) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *reviews = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_task_get_task_data (G_TASK (result)) != self->design)
    {
      g_clear_pointer (&reviews, g_ptr_array_unref);
      return;
    }
  if (reviews == NULL)
    {
      g_warning ("Could not read the reviews: %s", error->message);
      return;
    }
  g_clear_pointer (&self->reviews, g_ptr_array_unref);
  self->reviews = reviews;
  update (self);
}

static void
reload (GlsReviewBox *self)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->workspace == NULL || self->design == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  task = g_task_new (self->workspace, self->cancellable, listed_cb, g_object_ref (self));
  g_task_set_source_tag (task, reload);
  g_task_set_task_data (task, g_object_ref (self->design), g_object_unref);
  g_task_run_in_thread (task, list_thread);
}

static void
store_changed_cb (GlsReviewBox *self)
{
  reload (self);
}

/* Writing */

static void
reviewed_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GlsReviewBox) self = user_data;
  g_autoptr(GlsAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;

  self->writing--;
  annotation = gls_workspace_annotate_finish (GLS_WORKSPACE (object), result, &error);
  if (annotation == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not save the review: %s"), error->message);

      update (self);
      gtk_label_set_label (self->summary_label, message);
      return;
    }
  reload (self);
  update (self);
}

static void
review (GlsReviewBox *self,
        GlsDecision   decision,
        const char   *text)
{
  if (self->workspace == NULL || self->design == NULL)
    return;
  /* The buttons wait for it; a second review (from a test, say) is
   * written after it, and counts, being the later. */
  self->writing++;
  update (self);
  gls_workspace_review_async (self->workspace, gls_design_get_id (self->design), decision, text, NULL,
                              reviewed_cb, g_object_ref (self));
}

static void
approve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  review (GLS_REVIEW_BOX (widget), GLS_DECISION_APPROVED, NULL);
}

void
gls_review_box_request_changes (GlsReviewBox *self,
                                const char   *text)
{
  g_return_if_fail (GLS_IS_REVIEW_BOX (self));
  g_return_if_fail (text != NULL);

  review (self, GLS_DECISION_CHANGES_REQUESTED, text);
}

static void
changes_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     GlsReviewBox     *self)
{
  GtkTextView *view = g_object_get_data (G_OBJECT (dialog), "text-view");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (g_strcmp0 (response, "request") != 0)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  gls_review_box_request_changes (self, g_strstrip (text));
}

static void
changes_text_changed_cb (GtkTextBuffer    *buffer,
                         AdwMessageDialog *dialog)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  adw_message_dialog_set_response_enabled (dialog, "request", *g_strstrip (text) != '\0');
}

static void
request_changes_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  GlsReviewBox *self = GLS_REVIEW_BOX (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;
  GtkWidget *scroller;
  GtkWidget *view;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Request Changes"),
                                   _("Say what should change in this version. Everyone sees it with your "
                                     "review."));
  view = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The changes you ask for"), -1);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 96);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_widget_add_css_class (scroller, "card");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scroller);
  g_object_set_data (G_OBJECT (dialog), "text-view", view);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "request", _("_Request Changes"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "request", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "request", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "request");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "changed",
                           G_CALLBACK (changes_text_changed_cb), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (changes_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (view);
}

/* GObject */

static void
gls_review_box_dispose (GObject *object)
{
  GlsReviewBox *self = (GlsReviewBox *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (gls_workspace_get_store (self->workspace), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), GLS_TYPE_REVIEW_BOX);
  g_clear_object (&self->workspace);
  g_clear_object (&self->design);
  g_clear_pointer (&self->reviews, g_ptr_array_unref);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (gls_review_box_parent_class)->dispose (object);
}

static void
gls_review_box_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GlsReviewBox *self = GLS_REVIEW_BOX (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;
    case PROP_DESIGN:
      g_value_set_object (value, self->design);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_review_box_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  GlsReviewBox *self = GLS_REVIEW_BOX (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_assert (self->workspace == NULL);
      self->workspace = g_value_dup_object (value);
      if (self->workspace != NULL)
        g_signal_connect_object (gls_workspace_get_store (self->workspace), "changed",
                                 G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
      break;
    case PROP_DESIGN:
      gls_review_box_set_design (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_review_box_class_init (GlsReviewBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gls_review_box_dispose;
  object_class->get_property = gls_review_box_get_property;
  object_class->set_property = gls_review_box_set_property;

  properties [PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL, GLS_TYPE_WORKSPACE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties [PROP_DESIGN] =
    g_param_spec_object ("design", NULL, NULL, GLS_TYPE_DESIGN,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/glossa/Glossa/gls-review-box.ui");
  gtk_widget_class_bind_template_child (widget_class, GlsReviewBox, content);
  gtk_widget_class_bind_template_child (widget_class, GlsReviewBox, summary_label);
  gtk_widget_class_bind_template_child (widget_class, GlsReviewBox, notes_label);
  gtk_widget_class_bind_template_child (widget_class, GlsReviewBox, approve_button);
  gtk_widget_class_bind_template_child (widget_class, GlsReviewBox, changes_button);

  gtk_widget_class_install_action (widget_class, "review.approve", NULL, approve_action);
  gtk_widget_class_install_action (widget_class, "review.request-changes", NULL, request_changes_action);
  gtk_widget_class_set_css_name (widget_class, "reviewbox");
}

static void
gls_review_box_init (GlsReviewBox *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

GtkWidget *
gls_review_box_new (GlsWorkspace *workspace)
{
  return g_object_new (GLS_TYPE_REVIEW_BOX, "workspace", workspace, NULL);
}

GlsWorkspace *
gls_review_box_get_workspace (GlsReviewBox *self)
{
  g_return_val_if_fail (GLS_IS_REVIEW_BOX (self), NULL);

  return self->workspace;
}

GlsDesign *
gls_review_box_get_design (GlsReviewBox *self)
{
  g_return_val_if_fail (GLS_IS_REVIEW_BOX (self), NULL);

  return self->design;
}

void
gls_review_box_set_design (GlsReviewBox *self,
                           GlsDesign    *design)
{
  g_return_if_fail (GLS_IS_REVIEW_BOX (self));
  g_return_if_fail (design == NULL || GLS_IS_DESIGN (design));

  if (!g_set_object (&self->design, design))
    return;
  g_clear_pointer (&self->reviews, g_ptr_array_unref);
  update (self);
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DESIGN]);
}

const char *
gls_review_box_get_summary (GlsReviewBox *self)
{
  g_return_val_if_fail (GLS_IS_REVIEW_BOX (self), NULL);

  return self->summary;
}

GPtrArray *
gls_review_box_get_reviews (GlsReviewBox *self)
{
  g_return_val_if_fail (GLS_IS_REVIEW_BOX (self), NULL);

  return self->reviews;
}
