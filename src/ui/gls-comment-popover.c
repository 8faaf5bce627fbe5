/* gls-comment-popover.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-comment-popover"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-comment-popover.h"
#include "gls-mention-completion.h"
#include "gls-window.h"

struct _GlsCommentPopover
{
  GtkPopover   parent_instance;

  /* A suggestion's passage as it is now; NULL when writing a comment. */
  char        *original;

  GtkLabel    *heading_label;
  GtkTextView *text_view;
  GtkLabel    *placeholder_label;
  GtkLabel    *hint_label;
  GtkLabel    *keys_label;
  GtkButton   *post_button;
};

G_DEFINE_FINAL_TYPE (GlsCommentPopover, gls_comment_popover, GTK_TYPE_POPOVER)

enum {
  SUBMIT,
  DISCARDED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static gboolean
text_is_blank (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* A comment needs words; a suggestion needs a change (empty deletes). */
static gboolean
can_post (GlsCommentPopover *self,
          const char        *text)
{
  if (self->original != NULL)
    return g_strcmp0 (text, self->original) != 0;

  return !text_is_blank (text);
}

static void
update_actions (GlsCommentPopover *self)
{
  g_autofree char *text = gls_comment_popover_dup_text (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "comment.post", can_post (self, text));
  /* A suggestion starts from the passage: an empty one means deleting it. */
  gtk_widget_set_visible (GTK_WIDGET (self->placeholder_label),
                          self->original == NULL && *text == '\0');
}

static void
buffer_changed_cb (GlsCommentPopover *self,
                   GtkTextBuffer     *buffer)
{
  update_actions (self);
}

static void
post_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  gls_comment_popover_submit (GLS_COMMENT_POPOVER (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  gls_comment_popover_cancel (GLS_COMMENT_POPOVER (widget));
}

static void
discard_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  gls_comment_popover_discard (GLS_COMMENT_POPOVER (widget));
}

static void
gls_comment_popover_show (GtkWidget *widget)
{
  GlsCommentPopover *self = GLS_COMMENT_POPOVER (widget);

  GTK_WIDGET_CLASS (gls_comment_popover_parent_class)->show (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static void
gls_comment_popover_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), GLS_TYPE_COMMENT_POPOVER);

  G_OBJECT_CLASS (gls_comment_popover_parent_class)->dispose (object);
}

static void
gls_comment_popover_finalize (GObject *object)
{
  GlsCommentPopover *self = GLS_COMMENT_POPOVER (object);

  g_clear_pointer (&self->original, g_free);

  G_OBJECT_CLASS (gls_comment_popover_parent_class)->finalize (object);
}

static void
gls_comment_popover_class_init (GlsCommentPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gls_comment_popover_dispose;
  object_class->finalize = gls_comment_popover_finalize;

  widget_class->show = gls_comment_popover_show;

  /**
   * GlsCommentPopover::submit:
   * @text: the comment, as typed
   *
   * The user asked to post the comment.
   */
  signals [SUBMIT] =
    g_signal_new ("submit",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * GlsCommentPopover::discarded:
   *
   * The user threw the text away ("Discard"); it is empty now.
   */
  signals [DISCARDED] =
    g_signal_new ("discarded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/glossa/Glossa/gls-comment-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, GlsCommentPopover, heading_label);
  gtk_widget_class_bind_template_child (widget_class, GlsCommentPopover, text_view);
  gtk_widget_class_bind_template_child (widget_class, GlsCommentPopover, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, GlsCommentPopover, hint_label);
  gtk_widget_class_bind_template_child (widget_class, GlsCommentPopover, keys_label);
  gtk_widget_class_bind_template_child (widget_class, GlsCommentPopover, post_button);

  gtk_widget_class_install_action (widget_class, "comment.post", NULL, post_action);
  gtk_widget_class_install_action (widget_class, "comment.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "comment.discard", NULL, discard_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "comment.cancel", NULL);
}

/* @ completes people: those of the window's workspace. */
static void
mapped_cb (GlsCommentPopover *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GlsWorkspace) workspace = NULL;

  if (gls_mention_completion_get (self->text_view) != NULL || !GLS_IS_WINDOW (root))
    return;
  g_object_get (root, "workspace", &workspace, NULL);
  if (workspace != NULL)
    gls_mention_completion_attach (self->text_view, workspace);
}

static void
gls_comment_popover_init (GlsCommentPopover *self)
{
  static const guint enter_keys[] = { GDK_KEY_Return, GDK_KEY_KP_Enter, GDK_KEY_ISO_Enter };
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Capture phase: the text view would take Ctrl+Enter as a newline
   * before a binding of the popover saw it. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (enter_keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (enter_keys[i], GDK_CONTROL_MASK),
                                                            gtk_named_action_new ("comment.post")));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  g_signal_connect (self, "map", G_CALLBACK (mapped_cb), NULL);
  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view),
                           "changed",
                           G_CALLBACK (buffer_changed_cb),
                           self,
                           G_CONNECT_SWAPPED);
  update_actions (self);
}

GtkWidget *
gls_comment_popover_new (void)
{
  return g_object_new (GLS_TYPE_COMMENT_POPOVER, NULL);
}

char *
gls_comment_popover_dup_text (GlsCommentPopover *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter begin, end;

  g_return_val_if_fail (GLS_IS_COMMENT_POPOVER (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &begin, &end);

  return gtk_text_buffer_get_text (buffer, &begin, &end, FALSE);
}

void
gls_comment_popover_set_text (GlsCommentPopover *self,
                              const char        *text)
{
  g_return_if_fail (GLS_IS_COMMENT_POPOVER (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text ? text : "", -1);
}

void
gls_comment_popover_set_suggestion (GlsCommentPopover *self,
                                    const char        *original)
{
  gboolean suggestion = original != NULL;

  g_return_if_fail (GLS_IS_COMMENT_POPOVER (self));

  g_free (self->original);
  self->original = g_strdup (original);

  gtk_widget_set_visible (GTK_WIDGET (self->heading_label), suggestion);
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), suggestion);
  gtk_button_set_label (self->post_button, suggestion ? _("_Suggest") : _("C_omment"));
  gtk_label_set_label (self->keys_label,
                       suggestion ? _("Ctrl+Enter to suggest") : _("Ctrl+Enter to post"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->post_button),
                               suggestion ? _("Post the suggestion (Ctrl+Enter)")
                                          : _("Post the comment (Ctrl+Enter)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  suggestion ? _("Suggested text") : _("New comment"),
                                  -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), suggestion ? original : "", -1);
  update_actions (self);
}

gboolean
gls_comment_popover_get_suggestion (GlsCommentPopover *self)
{
  g_return_val_if_fail (GLS_IS_COMMENT_POPOVER (self), FALSE);

  return self->original != NULL;
}

gboolean
gls_comment_popover_submit (GlsCommentPopover *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (GLS_IS_COMMENT_POPOVER (self), FALSE);

  text = gls_comment_popover_dup_text (self);
  if (!can_post (self, text))
    return FALSE;

  g_signal_emit (self, signals [SUBMIT], 0, text);
  gtk_popover_popdown (GTK_POPOVER (self));

  return TRUE;
}

void
gls_comment_popover_cancel (GlsCommentPopover *self)
{
  g_return_if_fail (GLS_IS_COMMENT_POPOVER (self));

  gtk_popover_popdown (GTK_POPOVER (self));
}

void
gls_comment_popover_discard (GlsCommentPopover *self)
{
  g_return_if_fail (GLS_IS_COMMENT_POPOVER (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", 0);
  g_signal_emit (self, signals [DISCARDED], 0);
  gtk_popover_popdown (GTK_POPOVER (self));
}

gboolean
gls_comment_popover_has_draft (GlsCommentPopover *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (GLS_IS_COMMENT_POPOVER (self), FALSE);

  if (self->original != NULL)
    return FALSE;

  text = gls_comment_popover_dup_text (self);
  return !text_is_blank (text);
}
