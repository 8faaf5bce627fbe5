/* gls-comment-row.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-comment-row"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gls-comment-row.h"
#include "gls-relative-time.h"

struct _GlsCommentRow
{
  GtkListBoxRow  parent_instance;

  GlsComment    *comment;
  gboolean       own;
  gboolean       editing;
  gboolean       busy;

  GtkLabel      *author_label;
  GtkLabel      *time_label;
  GtkMenuButton *menu_button;
  GtkStack      *text_stack;
  GtkLabel      *text_label;
  GtkLabel      *trust_label;
  GtkLabel      *ignored_label;
  GtkTextView   *edit_view;
};

G_DEFINE_FINAL_TYPE (GlsCommentRow, gls_comment_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_COMMENT,
  PROP_OWN,
  PROP_EDITING,
  N_PROPS
};

enum {
  SAVE_REQUESTED,
  DELETE_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static gboolean
is_placeholder (GlsCommentRow *self)
{
  return self->comment != NULL && gls_comment_get_deleted (self->comment);
}

static void
update_actions (GlsCommentRow *self)
{
  gboolean can_change = self->own && !is_placeholder (self) && !self->busy;
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "comment.edit", can_change && !self->editing);
  gtk_widget_action_set_enabled (widget, "comment.delete", can_change);
  gtk_widget_action_set_enabled (widget, "comment.save", self->editing && !self->busy);
  gtk_widget_action_set_enabled (widget, "comment.cancel-edit", self->editing && !self->busy);
  gtk_widget_set_visible (GTK_WIDGET (self->menu_button), self->own && !is_placeholder (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->edit_view), !self->busy);
}

void
gls_comment_row_update_time (GlsCommentRow *self)
{
  g_autofree char *when = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GDateTime) created = NULL;

  g_return_if_fail (GLS_IS_COMMENT_ROW (self));

  if (self->comment == NULL)
    return;

  when = gls_format_relative_iso8601 (gls_comment_get_created (self->comment), NULL);
  if (when == NULL)
    when = g_strdup (gls_comment_get_created (self->comment));

  if (gls_comment_get_edited (self->comment))
    /* Translators: "5 minutes ago · edited" */
    label = g_strdup_printf (_("%s · edited"), when);
  else
    label = g_steal_pointer (&when);

  gtk_label_set_label (self->time_label, label);

  created = g_date_time_new_from_iso8601 (gls_comment_get_created (self->comment), NULL);
  if (created != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (created);
      /* Translators: the full date in a tooltip, see g_date_time_format() */
      g_autofree char *full = g_date_time_format (local, _("%A, %-d %B %Y, %H:%M"));

      gtk_widget_set_tooltip_text (GTK_WIDGET (self->time_label), full);
    }
}

/* "did:key:z6MkhaXg…" → "z6Mkha…XgV2": enough to tell keys apart. */
static char *
short_key (const char *did)
{
  const char *key = did;

  if (g_str_has_prefix (did, "did:key:"))
    key = did + strlen ("did:key:");
  if (strlen (key) <= 14)
    return g_strdup (key);

  return g_strdup_printf ("%.6s…%s", key, key + strlen (key) - 4);
}

/* Whose words these are, as far as signatures tell. */
static void
update_trust (GlsCommentRow *self)
{
  guint ignored = gls_comment_get_ignored_changes (self->comment);
  GlsTrust trust = gls_comment_get_trust (self->comment);
  gboolean deleted = is_placeholder (self);

  gtk_widget_set_visible (GTK_WIDGET (self->trust_label), !deleted && trust == GLS_TRUST_UNVERIFIED);

  if (!deleted && trust == GLS_TRUST_IMPORTED)
    {
      const char *name = gls_comment_get_signer_name (self->comment);
      g_autofree char *importer = name != NULL ? g_strdup (name) : short_key (gls_comment_get_signer (self->comment));
      /* Translators: "Inês · imported by z6Mkha…XgV2", the second part
       * names who signed what they imported from another program. */
      g_autofree char *label = g_strdup_printf (_("%s · imported by %s"),
                                                gtk_label_get_label (self->author_label), importer);

      gtk_label_set_label (self->author_label, label);
    }

  if (ignored > 0)
    {
      g_autofree char *label = NULL;

      if (ignored == 1)
        label = g_strdup (_("A change by someone else was ignored"));
      else
        label = g_strdup_printf (ngettext ("%u change by someone else was ignored",
                                           "%u changes by someone else were ignored",
                                           ignored), ignored);

      gtk_label_set_label (self->ignored_label, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->ignored_label), ignored > 0);
}

static void
update_labels (GlsCommentRow *self)
{
  const char *author;

  if (self->comment == NULL)
    return;

  author = gls_comment_get_author_name (self->comment);
  if (author == NULL || *author == '\0')
    author = _("Anonymous");

  if (is_placeholder (self))
    {
      g_autofree char *markup = g_markup_printf_escaped ("<i>%s</i>", _("This comment was deleted."));

      gtk_label_set_markup (self->text_label, markup);
      gtk_widget_add_css_class (GTK_WIDGET (self->text_label), "dim-label");
      gtk_label_set_label (self->author_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->author_label), FALSE);
    }
  else
    {
      gtk_label_set_use_markup (self->text_label, FALSE);
      gtk_label_set_label (self->text_label, gls_comment_get_text (self->comment));
      gtk_widget_remove_css_class (GTK_WIDGET (self->text_label), "dim-label");
      gtk_label_set_label (self->author_label, author);
      gtk_widget_set_visible (GTK_WIDGET (self->author_label), TRUE);
    }

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->author_label),
                               gls_comment_get_author_id (self->comment));
  update_trust (self);
  gls_comment_row_update_time (self);
  update_actions (self);
}

static void
gls_comment_row_edit_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  gls_comment_row_start_editing (GLS_COMMENT_ROW (widget), NULL);
}

static void
gls_comment_row_cancel_edit_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  gls_comment_row_stop_editing (GLS_COMMENT_ROW (widget));
}

static void
gls_comment_row_save_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  GlsCommentRow *self = GLS_COMMENT_ROW (widget);
  g_autofree char *text = gls_comment_row_dup_edit_text (self);
  g_autofree char *stripped = NULL;

  if (text == NULL)
    return;

  stripped = g_strstrip (g_strdup (text));
  if (*stripped == '\0')
    {
      gtk_widget_error_bell (widget);
      return;
    }

  /* Unchanged text: nothing to write. */
  if (g_strcmp0 (stripped, gls_comment_get_text (self->comment)) == 0)
    {
      gls_comment_row_stop_editing (self);
      return;
    }

  g_signal_emit (self, signals [SAVE_REQUESTED], 0, stripped);
}

static void
gls_comment_row_delete_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  g_signal_emit (widget, signals [DELETE_REQUESTED], 0);
}

static void
gls_comment_row_dispose (GObject *object)
{
  GlsCommentRow *self = (GlsCommentRow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), GLS_TYPE_COMMENT_ROW);
  g_clear_object (&self->comment);

  G_OBJECT_CLASS (gls_comment_row_parent_class)->dispose (object);
}

static void
gls_comment_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GlsCommentRow *self = GLS_COMMENT_ROW (object);

  switch (prop_id)
    {
    case PROP_COMMENT:
      g_value_set_object (value, self->comment);
      break;

    case PROP_OWN:
      g_value_set_boolean (value, self->own);
      break;

    case PROP_EDITING:
      g_value_set_boolean (value, self->editing);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_comment_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GlsCommentRow *self = GLS_COMMENT_ROW (object);

  switch (prop_id)
    {
    case PROP_COMMENT:
      gls_comment_row_set_comment (self, g_value_get_object (value));
      break;

    case PROP_OWN:
      gls_comment_row_set_own (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_comment_row_class_init (GlsCommentRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gls_comment_row_dispose;
  object_class->get_property = gls_comment_row_get_property;
  object_class->set_property = gls_comment_row_set_property;

  properties [PROP_COMMENT] =
    g_param_spec_object ("comment", NULL, NULL,
                         GLS_TYPE_COMMENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_OWN] =
    g_param_spec_boolean ("own", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_EDITING] =
    g_param_spec_boolean ("editing", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GlsCommentRow::save-requested:
   * @text: the new text, stripped, not empty and changed
   */
  signals [SAVE_REQUESTED] =
    g_signal_new ("save-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  signals [DELETE_REQUESTED] =
    g_signal_new ("delete-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/glossa/Glossa/gls-comment-row.ui");
  gtk_widget_class_bind_template_child (widget_class, GlsCommentRow, author_label);
  gtk_widget_class_bind_template_child (widget_class, GlsCommentRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, GlsCommentRow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, GlsCommentRow, text_stack);
  gtk_widget_class_bind_template_child (widget_class, GlsCommentRow, text_label);
  gtk_widget_class_bind_template_child (widget_class, GlsCommentRow, trust_label);
  gtk_widget_class_bind_template_child (widget_class, GlsCommentRow, ignored_label);
  gtk_widget_class_bind_template_child (widget_class, GlsCommentRow, edit_view);

  gtk_widget_class_install_action (widget_class, "comment.edit", NULL, gls_comment_row_edit_action);
  gtk_widget_class_install_action (widget_class, "comment.delete", NULL, gls_comment_row_delete_action);
  gtk_widget_class_install_action (widget_class, "comment.save", NULL, gls_comment_row_save_action);
  gtk_widget_class_install_action (widget_class, "comment.cancel-edit", NULL, gls_comment_row_cancel_edit_action);
}

static void
gls_comment_row_init (GlsCommentRow *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* In the capture phase, so that the text view never sees Ctrl+Enter as
   * a newline; the actions are disabled (and the keys pass) unless the row
   * is being edited. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                                                                       gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_CONTROL_MASK)),
                                                          gtk_named_action_new ("comment.save")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("comment.cancel-edit")));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  update_actions (self);
}

GtkWidget *
gls_comment_row_new (GlsComment *comment,
                     gboolean    own)
{
  g_return_val_if_fail (GLS_IS_COMMENT (comment), NULL);

  return g_object_new (GLS_TYPE_COMMENT_ROW,
                       "comment", comment,
                       "own", own,
                       NULL);
}

GlsComment *
gls_comment_row_get_comment (GlsCommentRow *self)
{
  g_return_val_if_fail (GLS_IS_COMMENT_ROW (self), NULL);

  return self->comment;
}

void
gls_comment_row_set_comment (GlsCommentRow *self,
                             GlsComment    *comment)
{
  g_return_if_fail (GLS_IS_COMMENT_ROW (self));
  g_return_if_fail (!comment || GLS_IS_COMMENT (comment));

  if (g_set_object (&self->comment, comment))
    {
      update_labels (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COMMENT]);
    }
}

gboolean
gls_comment_row_get_own (GlsCommentRow *self)
{
  g_return_val_if_fail (GLS_IS_COMMENT_ROW (self), FALSE);

  return self->own;
}

void
gls_comment_row_set_own (GlsCommentRow *self,
                         gboolean       own)
{
  g_return_if_fail (GLS_IS_COMMENT_ROW (self));

  own = !!own;
  if (self->own == own)
    return;

  self->own = own;
  if (!own && self->editing)
    gls_comment_row_stop_editing (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_OWN]);
}

gboolean
gls_comment_row_get_editing (GlsCommentRow *self)
{
  g_return_val_if_fail (GLS_IS_COMMENT_ROW (self), FALSE);

  return self->editing;
}

void
gls_comment_row_start_editing (GlsCommentRow *self,
                               const char    *text)
{
  GtkTextBuffer *buffer;
  GtkTextIter end;

  g_return_if_fail (GLS_IS_COMMENT_ROW (self));
  g_return_if_fail (self->comment != NULL);

  if (!self->own || is_placeholder (self))
    return;

  buffer = gtk_text_view_get_buffer (self->edit_view);
  gtk_text_buffer_set_text (buffer, text ? text : gls_comment_get_text (self->comment), -1);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);

  gtk_stack_set_visible_child_name (self->text_stack, "edit");
  gtk_widget_grab_focus (GTK_WIDGET (self->edit_view));

  if (!self->editing)
    {
      self->editing = TRUE;
      update_actions (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_EDITING]);
    }
}

void
gls_comment_row_stop_editing (GlsCommentRow *self)
{
  gboolean had_focus;

  g_return_if_fail (GLS_IS_COMMENT_ROW (self));

  self->busy = FALSE;

  if (!self->editing)
    {
      update_actions (self);
      return;
    }

  had_focus = gtk_widget_has_focus (GTK_WIDGET (self->edit_view));

  self->editing = FALSE;
  gtk_stack_set_visible_child_name (self->text_stack, "view");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->edit_view), "", 0);
  update_actions (self);

  /* Keep the keyboard user where they were. */
  if (had_focus)
    gtk_widget_grab_focus (self->own ? GTK_WIDGET (self->menu_button) : GTK_WIDGET (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_EDITING]);
}

char *
gls_comment_row_dup_edit_text (GlsCommentRow *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (GLS_IS_COMMENT_ROW (self), NULL);

  if (!self->editing)
    return NULL;

  buffer = gtk_text_view_get_buffer (self->edit_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
gls_comment_row_set_busy (GlsCommentRow *self,
                          gboolean       busy)
{
  g_return_if_fail (GLS_IS_COMMENT_ROW (self));

  self->busy = !!busy;
  update_actions (self);
}
