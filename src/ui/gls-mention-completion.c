/* gls-mention-completion.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-mention-completion"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "gls-mention-completion.h"

#define DATA_KEY     "gls-mention-completion"
#define MAX_SHOWN    8
#define MAX_TYPED    64   /* bytes after the @ that still complete */

struct _GlsMentionCompletion
{
  GObject       parent_instance;

  GtkTextView  *view;        /* weak: it owns us */
  GlsWorkspace *workspace;
  GtkPopover   *popover;
  GtkListBox   *list;
  GPtrArray    *shown;       /* GlsPerson offered */
  gboolean      inserting;
};

G_DEFINE_FINAL_TYPE (GlsMentionCompletion, gls_mention_completion, G_TYPE_OBJECT)

static void
hide (GlsMentionCompletion *self)
{
  if (self->popover != NULL && gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    gtk_popover_popdown (self->popover);
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '_';
}

/* The @ before the cursor that a completion would start from, and what
 * was typed after it. */
static gboolean
find_at (GlsMentionCompletion *self,
         GtkTextIter          *at,
         char                **typed)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->view);
  GtkTextIter cursor, iter;
  guint steps = 0;

  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  iter = cursor;
  while (gtk_text_iter_backward_char (&iter) && steps++ < MAX_TYPED)
    {
      gunichar c = gtk_text_iter_get_char (&iter);

      if (c == '\n')
        return FALSE;
      if (c == '@')
        {
          GtkTextIter before = iter;

          /* An address (ada@example.org) is not a mention. */
          if (gtk_text_iter_backward_char (&before) && is_word_char (gtk_text_iter_get_char (&before)))
            return FALSE;
          *at = iter;
          gtk_text_iter_forward_char (&iter);
          *typed = gtk_text_iter_get_text (&iter, &cursor);
          return TRUE;
        }
    }
  return FALSE;
}

static void
position_popover (GlsMentionCompletion *self,
                  const GtkTextIter    *at)
{
  GdkRectangle rect;
  int x, y;

  gtk_text_view_get_iter_location (self->view, at, &rect);
  gtk_text_view_buffer_to_window_coords (self->view, GTK_TEXT_WINDOW_WIDGET, rect.x, rect.y, &x, &y);
  rect.x = x;
  rect.y = y;
  rect.width = MAX (rect.width, 1);
  gtk_popover_set_pointing_to (self->popover, &rect);
}

static void row_activated_cb (GlsMentionCompletion *self,
                              GtkListBoxRow        *row);

/* Made when first needed and let go when the view is unrealized: a text
 * view disposes of the children it knows, and it does not know this one. */
static void
ensure_popover (GlsMentionCompletion *self)
{
  GtkWidget *scroller;

  if (self->popover != NULL)
    return;

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_BROWSE);
  gtk_list_box_set_activate_on_single_click (self->list, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("People to mention"), -1);
  g_signal_connect_object (self->list, "row-activated", G_CALLBACK (row_activated_cb), self, G_CONNECT_SWAPPED);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 240);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->list));

  /* Typing goes on in the text while the list shows. */
  self->popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_autohide (self->popover, FALSE);
  gtk_popover_set_has_arrow (self->popover, FALSE);
  gtk_popover_set_position (self->popover, GTK_POS_BOTTOM);
  gtk_widget_set_halign (GTK_WIDGET (self->popover), GTK_ALIGN_START);
  gtk_widget_set_size_request (GTK_WIDGET (self->popover), 200, -1);
  gtk_popover_set_child (self->popover, scroller);
  gtk_widget_set_parent (GTK_WIDGET (self->popover), GTK_WIDGET (self->view));

}

static void
drop_popover (GlsMentionCompletion *self)
{
  if (self->popover == NULL)
    return;
  gtk_widget_unparent (GTK_WIDGET (self->popover));
  self->popover = NULL;
  self->list = NULL;
}

static void
refresh (GlsMentionCompletion *self)
{
  g_autoptr(GPtrArray) people = NULL;
  g_autofree char *typed = NULL;
  g_autofree char *key = NULL;
  GtkTextIter at;
  GtkWidget *child;

  if (self->view == NULL || self->inserting || !find_at (self, &at, &typed))
    {
      hide (self);
      return;
    }

  key = g_utf8_casefold (typed, -1);
  people = gls_workspace_list_people (self->workspace);
  g_ptr_array_set_size (self->shown, 0);
  for (guint i = 0; i < people->len && self->shown->len < MAX_SHOWN; i++)
    {
      GlsPerson *person = g_ptr_array_index (people, i);
      g_autofree char *name = g_utf8_casefold (gls_person_get_name (person), -1);

      /* By any word of the name: "@love" finds Ada Lovelace. */
      if (g_str_has_prefix (name, key) || (*key != '\0' && strstr (name, key) != NULL))
        g_ptr_array_add (self->shown, g_object_ref (person));
    }
  if (self->shown->len == 0)
    {
      hide (self);
      return;
    }

  ensure_popover (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < self->shown->len; i++)
    {
      GtkWidget *label = gtk_label_new (gls_person_get_name (g_ptr_array_index (self->shown, i)));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      gtk_list_box_append (self->list, label);
    }
  gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, 0));

  position_popover (self, &at);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    gtk_popover_popup (self->popover);
  /* A text view does not place popovers it does not know of. */
  gtk_popover_present (self->popover);
}

static void
insert_person (GlsMentionCompletion *self,
               GlsPerson            *person)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->view);
  g_autofree char *text = g_strconcat ("@", gls_person_get_name (person), " ", NULL);
  g_autofree char *typed = NULL;
  GtkTextIter at, cursor;

  if (!find_at (self, &at, &typed))
    return;
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  self->inserting = TRUE;
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_delete (buffer, &at, &cursor);
  gtk_text_buffer_insert (buffer, &at, text, -1);
  gtk_text_buffer_end_user_action (buffer);
  self->inserting = FALSE;
  hide (self);
}

static void
row_activated_cb (GlsMentionCompletion *self,
                  GtkListBoxRow        *row)
{
  int index = gtk_list_box_row_get_index (row);

  if (index >= 0 && (guint) index < self->shown->len)
    insert_person (self, g_ptr_array_index (self->shown, index));
}

static gboolean
key_pressed_cb (GlsMentionCompletion  *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  GtkListBoxRow *selected;
  int index;

  if (self->popover == NULL || !gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    return FALSE;
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return FALSE;

  selected = gtk_list_box_get_selected_row (self->list);
  index = selected != NULL ? gtk_list_box_row_get_index (selected) : -1;
  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      index = MIN (index + 1, (int) self->shown->len - 1);
      gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, index));
      return TRUE;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      index = MAX (index - 1, 0);
      gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, index));
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
    case GDK_KEY_Tab:
      if (index >= 0)
        gls_mention_completion_choose (self, index);
      return TRUE;
    case GDK_KEY_Escape:
      hide (self);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
buffer_changed_cb (GlsMentionCompletion *self)
{
  refresh (self);
}

static void
view_unmapped_cb (GlsMentionCompletion *self)
{
  hide (self);
}

static void
gls_mention_completion_dispose (GObject *object)
{
  GlsMentionCompletion *self = GLS_MENTION_COMPLETION (object);

  drop_popover (self);
  g_clear_object (&self->workspace);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_weak_pointer (&self->view);

  G_OBJECT_CLASS (gls_mention_completion_parent_class)->dispose (object);
}

static void
gls_mention_completion_class_init (GlsMentionCompletionClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = gls_mention_completion_dispose;
}

static void
gls_mention_completion_init (GlsMentionCompletion *self)
{
  self->shown = g_ptr_array_new_with_free_func (g_object_unref);
}

GlsMentionCompletion *
gls_mention_completion_attach (GtkTextView  *view,
                               GlsWorkspace *workspace)
{
  GlsMentionCompletion *self;
  GtkEventController *keys;

  g_return_val_if_fail (GTK_IS_TEXT_VIEW (view), NULL);
  g_return_val_if_fail (GLS_IS_WORKSPACE (workspace), NULL);

  if ((self = gls_mention_completion_get (view)) != NULL)
    return self;

  self = g_object_new (GLS_TYPE_MENTION_COMPLETION, NULL);
  g_set_weak_pointer (&self->view, view);
  self->workspace = g_object_ref (workspace);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (view), keys);

  g_signal_connect_object (gtk_text_view_get_buffer (view), "changed", G_CALLBACK (buffer_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (view, "unmap", G_CALLBACK (view_unmapped_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (view, "unrealize", G_CALLBACK (drop_popover), self, G_CONNECT_SWAPPED);

  /* The view owns it: gone with the view. */
  g_object_set_data_full (G_OBJECT (view), DATA_KEY, self, g_object_unref);
  return self;
}

GlsMentionCompletion *
gls_mention_completion_get (GtkTextView *view)
{
  g_return_val_if_fail (GTK_IS_TEXT_VIEW (view), NULL);

  return g_object_get_data (G_OBJECT (view), DATA_KEY);
}

gboolean
gls_mention_completion_is_shown (GlsMentionCompletion *self)
{
  g_return_val_if_fail (GLS_IS_MENTION_COMPLETION (self), FALSE);

  return self->popover != NULL && gtk_widget_get_visible (GTK_WIDGET (self->popover));
}

char **
gls_mention_completion_dup_names (GlsMentionCompletion *self)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  g_return_val_if_fail (GLS_IS_MENTION_COMPLETION (self), NULL);

  if (gls_mention_completion_is_shown (self))
    for (guint i = 0; i < self->shown->len; i++)
      g_strv_builder_add (names, gls_person_get_name (g_ptr_array_index (self->shown, i)));
  return g_strv_builder_end (names);
}

void
gls_mention_completion_choose (GlsMentionCompletion *self,
                               guint                 index)
{
  g_return_if_fail (GLS_IS_MENTION_COMPLETION (self));

  if (index < self->shown->len && gls_mention_completion_is_shown (self))
    insert_person (self, g_ptr_array_index (self->shown, index));
}
