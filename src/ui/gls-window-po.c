/* gls-window-po.c: a PO design in the window: its messages (GlsPoView)
 * or its source (the text view), and the switch between them.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-window-private.h"

gboolean
_gls_window_showing_messages (GlsWindow *self)
{
  return g_strcmp0 (_gls_window_get_view (self), "text") == 0 &&
         g_strcmp0 (gtk_stack_get_visible_child_name (self->text_stack), "messages") == 0;
}

GlsPoView *
_gls_window_get_po_view (GlsWindow *self)
{
  return self->po_view;
}

/* The header's Comment and Suggest buttons act on the text view's
 * selection; the message list has its own, beside its filters. */
static void
update_text_buttons (GlsWindow *self)
{
  gboolean text = g_strcmp0 (_gls_window_get_view (self), "text") == 0;
  gboolean messages = _gls_window_showing_messages (self);

  gtk_widget_set_visible (self->text_comment_button, text && !messages);
  gtk_widget_set_visible (self->text_suggest_button, text && !messages);
}

static void
show_page (GlsWindow *self,
           gboolean   source)
{
  gtk_stack_set_visible_child_name (self->text_stack, source ? "source" : "messages");
  update_text_buttons (self);
  /* Zoom is the source's (its monospace font). */
  if (g_strcmp0 (_gls_window_get_view (self), "text") == 0)
    gtk_widget_set_sensitive (GTK_WIDGET (self->zoom_button), source);

  if (g_strcmp0 (_gls_window_get_view (self), "text") == 0)
    gtk_widget_grab_focus (source ? GTK_WIDGET (self->text_view) : GTK_WIDGET (self->po_view));

  _gls_window_update_actions (self);
}

static void
source_toggled_cb (GlsWindow       *self,
                   GParamSpec      *pspec,
                   GtkToggleButton *toggle)
{
  show_page (self, gtk_toggle_button_get_active (toggle));
}

void
_gls_window_show_text_page (GlsWindow *self)
{
  gboolean po = self->design != NULL &&
                gls_design_get_kind (self->design) == GLS_DESIGN_KIND_TRANSLATION;

  gtk_widget_set_visible (self->text_switcher, po);
  if (!po)
    {
      gls_po_view_set_text (self->po_view, NULL);
      show_page (self, TRUE);
      return;
    }

  /* A PO file opens on its messages. */
  gls_po_view_set_text (self->po_view, self->text);
  if (gtk_toggle_button_get_active (self->source_toggle))
    gtk_toggle_button_set_active (self->messages_toggle, TRUE);
  else
    show_page (self, FALSE);
}

void
_gls_window_clear_po (GlsWindow *self)
{
  gls_po_view_set_text (self->po_view, NULL);
  gls_po_view_set_selected (self->po_view, NULL);
  gtk_widget_set_visible (self->text_switcher, FALSE);
}

void
_gls_window_select_message_thread (GlsWindow  *self,
                                   const char *root_id,
                                   gboolean    reveal)
{
  gls_po_view_set_selected (self->po_view, root_id);
  if (reveal && root_id != NULL && _gls_window_showing_messages (self))
    gls_po_view_reveal (self->po_view, root_id);
}

static void
suggest_requested_cb (GlsWindow   *self,
                      GlsSelector *selector,
                      const char  *replacement,
                      GlsPoView   *view)
{
  _gls_window_suggest (self, selector, replacement);
}

static void
source_requested_cb (GlsWindow *self,
                     GlsPoView *view)
{
  gtk_toggle_button_set_active (self->source_toggle, TRUE);
}

static void
toggle_source_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  GlsWindow *self = GLS_WINDOW (widget);

  if (!gtk_widget_get_visible (self->text_switcher))
    return;

  if (gtk_toggle_button_get_active (self->source_toggle))
    gtk_toggle_button_set_active (self->messages_toggle, TRUE);
  else
    gtk_toggle_button_set_active (self->source_toggle, TRUE);
}

/* The text page: the message list and the source, one at a time. */
void
_gls_window_init_po (GlsWindow *self)
{
  self->text_stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->text_stack), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->text_stack), TRUE);

  self->po_view = GLS_PO_VIEW (gls_po_view_new ());
  gtk_stack_add_named (self->text_stack, GTK_WIDGET (self->po_view), "messages");
  g_object_ref (self->text_view);
  adw_bin_set_child (self->text_bin, NULL);
  gtk_stack_add_named (self->text_stack, GTK_WIDGET (self->text_view), "source");
  g_object_unref (self->text_view);
  gtk_stack_set_visible_child_name (self->text_stack, "source");
  adw_bin_set_child (self->text_bin, GTK_WIDGET (self->text_stack));

  g_signal_connect_object (self->po_view, "suggest-requested",
                           G_CALLBACK (suggest_requested_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->po_view, "source-requested",
                           G_CALLBACK (source_requested_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->source_toggle, "notify::active",
                           G_CALLBACK (source_toggled_cb), self, G_CONNECT_SWAPPED);
  /* Its messages read: the threads panel can name each thread's. */
  g_signal_connect_object (self->po_view, "notify::file",
                           G_CALLBACK (_gls_window_sync_passages), self, G_CONNECT_SWAPPED);
}

void
_gls_window_class_init_po (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.toggle-source", NULL, toggle_source_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_CONTROL_MASK, "win.toggle-source", NULL);
}
