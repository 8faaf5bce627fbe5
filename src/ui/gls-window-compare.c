/* gls-window-compare.c: the window's Compare Versions, the shown version
 * beside an earlier one of its chain.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-compare-view.h"
#include "gls-window-private.h"

struct _GlsWindowCompare
{
  GlsCompareView *view;
  AdwBin         *bin;
  GtkWidget      *button;
  GCancellable   *cancellable;
  /* The chain of the compared design, oldest first, it last */
  GPtrArray      *versions;
  GlsDesign      *design;
};

static gboolean
can_compare (GlsWindow *self)
{
  const char *view = _gls_window_get_view (self);
  GlsDesignKind kind;

  if (self->design == NULL || gls_design_get_based_on (self->design) == NULL || self->document == NULL)
    return FALSE;

  kind = gls_design_get_kind (self->design);
  if (kind != GLS_DESIGN_KIND_RASTER && kind != GLS_DESIGN_KIND_SVG && kind != GLS_DESIGN_KIND_PDF)
    return FALSE;

  return g_strcmp0 (view, "canvas") == 0 || g_strcmp0 (view, "compare") == 0;
}

static void
update_compare (GlsWindow *self)
{
  GlsWindowCompare *c = self->compare;
  gboolean enabled = can_compare (self);
  gboolean comparing = g_strcmp0 (_gls_window_get_view (self), "compare") == 0;

  if (c == NULL)
    return;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.compare", enabled);
  if (c->button != NULL)
    {
      gtk_widget_set_visible (c->button, enabled);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (c->button), comparing);
    }

  /* The compare view has its own pages. */
  if (comparing)
    gtk_widget_set_visible (self->page_box, FALSE);
  else if (g_strcmp0 (_gls_window_get_view (self), "canvas") == 0)
    gtk_widget_set_visible (self->page_box,
                            self->document != NULL && gls_document_get_n_pages (self->document) > 1);
}

/* "Version 2 · 5 Dec 2026" */
static char *
version_label (GlsDesign *design,
               guint      number)
{
  g_autoptr(GDateTime) created = NULL;

  if (gls_design_get_date_created (design) != NULL)
    created = g_date_time_new_from_iso8601 (gls_design_get_date_created (design), NULL);

  if (created != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (created);
      /* Translators: a date, see g_date_time_format (); %-d is the day
       * without padding (%e pads with a figure space) */
      g_autofree char *date = g_date_time_format (local, _("%-d %b %Y"));

      /* Translators: a version of a design and its date, "Version 2 · 5 Dec 2026" */
      return g_strdup_printf (_("Version %u · %s"), number, date);
    }

  /* Translators: a version of a design, "Version 2" */
  return g_strdup_printf (_("Version %u"), number);
}

/* The chain (unless known) and the earlier version's file, in a thread. */

typedef struct
{
  GlsWorkspace *workspace;
  GlsDesign    *design;
  GPtrArray    *versions;
  guint         older;    /* G_MAXUINT: the one before the design */
  GlsDocument  *document;
} CompareLoad;

static void
compare_load_free (CompareLoad *load)
{
  g_clear_object (&load->workspace);
  g_clear_object (&load->design);
  g_clear_pointer (&load->versions, g_ptr_array_unref);
  g_clear_object (&load->document);
  g_free (load);
}

static void
compare_load_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  CompareLoad *load = task_data;
  GlsDesign *older;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (load->versions == NULL)
    load->versions = gls_workspace_list_versions (load->workspace, load->design);
  if (load->versions == NULL || load->versions->len < 2)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The earlier versions of this design have not arrived yet"));
      return;
    }

  if (load->older >= load->versions->len - 1)
    load->older = load->versions->len - 2;
  older = g_ptr_array_index (load->versions, load->older);

  bytes = gls_workspace_load_design_file (load->workspace, gls_design_get_id (older), &error);
  if (bytes == NULL || g_task_return_error_if_cancelled (task))
    {
      if (bytes == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  load->document = gls_document_load (bytes, gls_design_get_media_type (older), cancellable, &error);
  if (load->document == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
close_compare (GlsWindow *self)
{
  if (g_strcmp0 (_gls_window_get_view (self), "compare") == 0)
    _gls_window_set_view (self, "canvas");
}

static void load_older (GlsWindow *self,
                        guint      older);

static void
older_selected_cb (GlsWindow      *self,
                   guint           position,
                   GlsCompareView *view)
{
  load_older (self, position);
}

static void
ensure_view (GlsWindow *self)
{
  GlsWindowCompare *c = self->compare;

  if (c->view != NULL)
    return;

  c->view = GLS_COMPARE_VIEW (gls_compare_view_new ());
  adw_bin_set_child (c->bin, GTK_WIDGET (c->view));
  g_signal_connect_object (c->view, "close-requested",
                           G_CALLBACK (close_compare), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (c->view, "older-selected",
                           G_CALLBACK (older_selected_cb), self, G_CONNECT_SWAPPED);
}

static void
compare_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GlsWindow) self = user_data;
  GlsWindowCompare *c = self->compare;
  CompareLoad *load = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) labels = NULL;
  g_autofree char *older_label = NULL;
  g_autofree char *newer_label = NULL;
  gboolean first;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->design == load->design)
        {
          g_autofree char *message = g_strdup_printf (_("Cannot compare the versions: %s"), error->message);

          gls_window_add_toast_message (self, message);
        }
      return;
    }

  /* Another design was shown meanwhile. */
  if (self->design != load->design || self->document == NULL || c == NULL)
    return;

  ensure_view (self);
  first = c->design != load->design || c->versions != load->versions;
  g_set_object (&c->design, load->design);
  if (c->versions != load->versions)
    {
      g_clear_pointer (&c->versions, g_ptr_array_unref);
      c->versions = g_ptr_array_ref (load->versions);
    }

  labels = gtk_string_list_new (NULL);
  for (guint i = 0; i + 1 < c->versions->len; i++)
    {
      g_autofree char *label = version_label (g_ptr_array_index (c->versions, i), i + 1);

      gtk_string_list_append (labels, label);
    }
  gls_compare_view_set_versions (c->view, G_LIST_MODEL (labels), load->older);

  older_label = version_label (g_ptr_array_index (c->versions, load->older), load->older + 1);
  newer_label = version_label (load->design, c->versions->len);
  if (first || g_strcmp0 (_gls_window_get_view (self), "compare") != 0)
    {
      gls_compare_view_set_documents (c->view, load->document, older_label,
                                      self->document, newer_label);
      _gls_window_set_view (self, "compare");
      gls_compare_view_reset (c->view);
    }
  else
    gls_compare_view_set_older (c->view, load->document, older_label);
}

static void
start_load (GlsWindow *self,
            GPtrArray *versions,
            guint      older)
{
  GlsWindowCompare *c = self->compare;
  g_autoptr(GTask) task = NULL;
  CompareLoad *load;

  g_cancellable_cancel (c->cancellable);
  g_clear_object (&c->cancellable);
  c->cancellable = g_cancellable_new ();

  load = g_new0 (CompareLoad, 1);
  load->workspace = g_object_ref (self->workspace);
  load->design = g_object_ref (self->design);
  load->versions = versions ? g_ptr_array_ref (versions) : NULL;
  load->older = older;

  task = g_task_new (NULL, c->cancellable, compare_loaded_cb, g_object_ref (self));
  g_task_set_source_tag (task, start_load);
  g_task_set_task_data (task, load, (GDestroyNotify) compare_load_free);
  g_task_run_in_thread (task, compare_load_thread);
}

static void
load_older (GlsWindow *self,
            guint      older)
{
  GlsWindowCompare *c = self->compare;

  if (c->versions == NULL || c->design != self->design)
    return;

  start_load (self, c->versions, older);
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  GlsWindow *self = GLS_WINDOW (widget);

  if (g_strcmp0 (_gls_window_get_view (self), "compare") == 0)
    {
      close_compare (self);
      return;
    }

  if (!can_compare (self))
    return;

  start_load (self, NULL, G_MAXUINT);
}

static void
design_changed_cb (GlsWindow *self)
{
  GlsWindowCompare *c = self->compare;

  if (c == NULL)
    return;

  if (c->design != NULL && c->design != self->design)
    {
      g_cancellable_cancel (c->cancellable);
      g_clear_object (&c->design);
      g_clear_pointer (&c->versions, g_ptr_array_unref);
      if (c->view != NULL)
        gls_compare_view_set_documents (c->view, NULL, NULL, NULL, NULL);
    }
  update_compare (self);
}

GlsCompareView *
_gls_window_get_compare_view (GlsWindow *self)
{
  return self->compare ? self->compare->view : NULL;
}

void
_gls_window_class_init_compare (GtkWidgetClass *widget_class)
{
  /* No field of ours in the window: looked up by name at init. */
  gtk_widget_class_bind_template_child_full (widget_class, "compare_bin", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "compare_button", FALSE, 0);
  gtk_widget_class_install_action (widget_class, "win.compare", NULL, compare_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.compare", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_C, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.compare", NULL);
}

void
_gls_window_init_compare (GlsWindow *self)
{
  GlsWindowCompare *c = g_new0 (GlsWindowCompare, 1);

  self->compare = c;
  c->bin = ADW_BIN (gtk_widget_get_template_child (GTK_WIDGET (self), GLS_TYPE_WINDOW, "compare_bin"));
  c->button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self), GLS_TYPE_WINDOW, "compare_button"));
  g_assert (ADW_IS_BIN (c->bin));

  g_signal_connect (self, "notify::design", G_CALLBACK (design_changed_cb), NULL);
  g_signal_connect (self, "notify::view", G_CALLBACK (update_compare), NULL);
  update_compare (self);
}

void
_gls_window_dispose_compare (GlsWindow *self)
{
  GlsWindowCompare *c = self->compare;

  if (c == NULL)
    return;

  g_cancellable_cancel (c->cancellable);
  g_clear_object (&c->cancellable);
  g_clear_pointer (&c->versions, g_ptr_array_unref);
  g_clear_object (&c->design);
  c->view = NULL;
  c->bin = NULL;
  c->button = NULL;
  g_clear_pointer (&self->compare, g_free);
}
