/* gls-designs-sidebar.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-designs-sidebar"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "gls-designs-sidebar.h"
#include "gls-document.h"

#define THUMBNAIL_SIZE 48
#define VERSION_THUMBNAIL_SIZE 32

struct _GlsDesignsSidebar
{
  GtkWidget           parent_instance;

  GlsWorkspace       *workspace;
  /* GlsVersionGroup, newest first, and the same by root id; the rows are
   * the groups, each expanding to its older versions */
  GListStore         *groups;
  GHashTable         *group_table;
  GtkTreeListModel   *tree;
  GtkSingleSelection *selection;
  GPtrArray          *items;        /* the GtkListItems set up, for the menu key */
  GtkWidget          *row_menu;
  /* newest version's id → its reviews' GlsDecision, read in a thread */
  GHashTable         *states;
  gboolean            states_running;
  gboolean            states_again;
  /* The first states are read after the window's first frame: reading
   * every design's reviews competes with starting up. */
  gboolean            states_started;
  GdkFrameClock      *paint_clock;
  gulong              paint_id;
  guint               rows_tick;       /* gives the list its rows, once */
  char               *selected_design;
  GCancellable       *cancellable;
  /* design id → GdkPaintable, or a GtkPicture list of rows waiting for it */
  GHashTable         *thumbnails;
  GHashTable         *waiting;

  GtkWidget          *content;
  GtkStack           *stack;
  GtkListView        *list_view;
};

G_DEFINE_FINAL_TYPE (GlsDesignsSidebar, gls_designs_sidebar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_WORKSPACE,
  PROP_SELECTED_DESIGN,
  N_PROPS
};

enum {
  DESIGN_ACTIVATED,
  GROUPS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

GtkWidget *
gls_designs_sidebar_new (GlsWorkspace *workspace)
{
  g_return_val_if_fail (GLS_IS_WORKSPACE (workspace), NULL);

  return g_object_new (GLS_TYPE_DESIGNS_SIDEBAR,
                       "workspace", workspace,
                       NULL);
}

GlsWorkspace *
gls_designs_sidebar_get_workspace (GlsDesignsSidebar *self)
{
  g_return_val_if_fail (GLS_IS_DESIGNS_SIDEBAR (self), NULL);

  return self->workspace;
}

const char *
gls_designs_sidebar_get_selected_design (GlsDesignsSidebar *self)
{
  g_return_val_if_fail (GLS_IS_DESIGNS_SIDEBAR (self), NULL);

  return self->selected_design;
}

GListModel *
gls_designs_sidebar_get_groups (GlsDesignsSidebar *self)
{
  g_return_val_if_fail (GLS_IS_DESIGNS_SIDEBAR (self), NULL);

  return G_LIST_MODEL (self->groups);
}

GListModel *
gls_designs_sidebar_get_rows (GlsDesignsSidebar *self)
{
  g_return_val_if_fail (GLS_IS_DESIGNS_SIDEBAR (self), NULL);

  return G_LIST_MODEL (self->selection);
}

GlsVersionGroup *
gls_designs_sidebar_find_group (GlsDesignsSidebar *self,
                                const char        *design_id)
{
  guint n;

  g_return_val_if_fail (GLS_IS_DESIGNS_SIDEBAR (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->groups));
  for (guint i = 0; i < n && design_id != NULL; i++)
    {
      g_autoptr(GlsVersionGroup) group = g_list_model_get_item (G_LIST_MODEL (self->groups), i);

      if (gls_version_group_find (group, design_id) != NULL)
        return group;  /* borrowed: the store holds it */
    }
  return NULL;
}

/* The design a row shows: a group's newest version, or an older one. */
static GlsDesign *
row_design (GtkTreeListRow *row)
{
  GObject *item = gtk_tree_list_row_get_item (row);
  GlsDesign *design;

  if (GLS_IS_VERSION_GROUP (item))
    design = g_object_ref (gls_version_group_get_latest (GLS_VERSION_GROUP (item)));
  else
    design = g_object_ref (GLS_DESIGN (item));
  g_object_unref (item);
  return design;
}

void
gls_designs_sidebar_set_expanded (GlsDesignsSidebar *self,
                                  const char        *design_id,
                                  gboolean           expanded)
{
  GlsVersionGroup *group;
  guint n;

  g_return_if_fail (GLS_IS_DESIGNS_SIDEBAR (self));

  if ((group = gls_designs_sidebar_find_group (self, design_id)) == NULL)
    return;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->groups));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = gtk_tree_list_model_get_child_row (self->tree, i);
      g_autoptr(GObject) item = row ? gtk_tree_list_row_get_item (row) : NULL;

      if (item == G_OBJECT (group))
        {
          gtk_tree_list_row_set_expanded (row, expanded);
          return;
        }
    }
}

static void
sync_selection (GlsDesignsSidebar *self)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  GlsVersionGroup *group;
  guint n;

  gtk_stack_set_visible_child_name (self->stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->groups)) > 0
                                    ? "list" : "empty");

  /* An older version in a closed group: the group's row is selected
   * (opening it here, while GTK 4.8 lays the list out, upsets it). */
  group = gls_designs_sidebar_find_group (self, self->selected_design);
  n = g_list_model_get_n_items (model);
  for (guint pass = 0; pass < 2 && group != NULL; pass++)
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(GtkTreeListRow) row = g_list_model_get_item (model, i);
        g_autoptr(GObject) item = gtk_tree_list_row_get_item (row);
        g_autoptr(GlsDesign) design = row_design (row);

        if ((pass == 0 && g_strcmp0 (gls_design_get_id (design), self->selected_design) == 0) ||
            (pass == 1 && item == G_OBJECT (group)))
          {
            gtk_single_selection_set_selected (self->selection, i);
            return;
          }
      }

  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

void
gls_designs_sidebar_set_selected_design (GlsDesignsSidebar *self,
                                         const char        *design_id)
{
  g_return_if_fail (GLS_IS_DESIGNS_SIDEBAR (self));

  if (g_strcmp0 (self->selected_design, design_id) != 0)
    {
      g_free (self->selected_design);
      self->selected_design = g_strdup (design_id);
      sync_selection (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SELECTED_DESIGN]);
    }
}

/* Thumbnails: the design loaded and its first page rendered small by the
 * same loaders as the canvas (GlsDocument): the file read and parsed in a
 * thread, the page rendered on the document's worker. */

static void
thumbnail_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GlsDesign *design = task_data;
  GlsWorkspace *workspace = g_object_get_data (G_OBJECT (task), "workspace");
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  GlsDocument *document;

  data = gls_workspace_load_design_file (workspace, gls_design_get_id (design), &error);
  if (data == NULL ||
      !(document = gls_document_load (data, gls_design_get_media_type (design), cancellable, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, document, g_object_unref);
}

/* Shows `paintable` (or, NULL, a missing image) in the rows waiting for it. */
static void
thumbnail_done (GlsDesignsSidebar *self,
                const char        *id,
                GdkPaintable      *paintable)
{
  g_autoptr(GdkPaintable) shown = NULL;
  GPtrArray *pictures;

  if (paintable != NULL)
    shown = g_object_ref (paintable);
  else
    shown = GDK_PAINTABLE (gtk_icon_theme_lookup_icon (
              gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self))),
              "image-missing-symbolic", NULL, THUMBNAIL_SIZE, 1, GTK_TEXT_DIR_NONE, 0));
  g_hash_table_insert (self->thumbnails, g_strdup (id), g_object_ref (shown));

  pictures = g_hash_table_lookup (self->waiting, id);
  for (guint i = 0; pictures != NULL && i < pictures->len; i++)
    {
      GtkPicture *picture = g_ptr_array_index (pictures, i);
      GlsDesign *design = g_object_get_data (G_OBJECT (picture), "design");

      /* Rows are recycled: only fill the ones that still show this design. */
      if (design != NULL && g_strcmp0 (gls_design_get_id (design), id) == 0)
        gtk_picture_set_paintable (picture, shown);
    }
  g_hash_table_remove (self->waiting, id);
}

static void
thumbnail_rendered_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GlsDesignsSidebar *self = g_task_get_source_object (task);
  GlsDesign *design = g_task_get_task_data (task);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = gls_document_render_finish (GLS_DOCUMENT (object), result, NULL, &error);
  if (self->thumbnails == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (texture == NULL)
    g_debug ("No thumbnail for %s: %s", gls_design_get_id (design), error->message);
  thumbnail_done (self, gls_design_get_id (design), GDK_PAINTABLE (texture));
}

static void
thumbnail_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GlsDesignsSidebar *self = GLS_DESIGNS_SIDEBAR (object);
  GlsDesign *design = g_task_get_task_data (G_TASK (result));
  g_autoptr(GlsDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  double width = 0, height = 0;

  document = g_task_propagate_pointer (G_TASK (result), &error);
  if (self->thumbnails == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (document == NULL)
    {
      g_debug ("No thumbnail for %s: %s", gls_design_get_id (design), error->message);
      thumbnail_done (self, gls_design_get_id (design), NULL);
      return;
    }
  /* Twice the row's size, for a scale of 2. */
  gls_document_get_page_size (document, 0, &width, &height);
  gls_document_render_async (document, 0,
                             MIN (THUMBNAIL_SIZE * 2 / MAX (width, 1), THUMBNAIL_SIZE * 2 / MAX (height, 1)),
                             NULL, self->cancellable, thumbnail_rendered_cb,
                             g_object_ref (G_TASK (result)));
}

static void
request_thumbnail (GlsDesignsSidebar *self,
                   GlsDesign         *design,
                   GtkPicture        *picture)
{
  const char *id = gls_design_get_id (design);
  GdkPaintable *paintable;
  GPtrArray *pictures;
  g_autoptr(GTask) task = NULL;

  if ((paintable = g_hash_table_lookup (self->thumbnails, id)) != NULL)
    {
      gtk_picture_set_paintable (picture, paintable);
      return;
    }

  /* A text has no picture to make: its kind's icon. */
  if (gls_design_get_kind (design) == GLS_DESIGN_KIND_TEXT ||
      gls_design_get_kind (design) == GLS_DESIGN_KIND_TRANSLATION)
    {
      g_autoptr(GtkIconPaintable) icon = NULL;

      icon = gtk_icon_theme_lookup_icon (gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self))),
                                         gls_design_get_kind (design) == GLS_DESIGN_KIND_TEXT
                                           ? "text-x-generic-symbolic" : "preferences-desktop-locale-symbolic",
                                         NULL, THUMBNAIL_SIZE, 1, GTK_TEXT_DIR_NONE, 0);
      g_hash_table_insert (self->thumbnails, g_strdup (id), g_object_ref (icon));
      gtk_picture_set_paintable (picture, GDK_PAINTABLE (icon));
      return;
    }

  gtk_picture_set_paintable (picture, NULL);

  if ((pictures = g_hash_table_lookup (self->waiting, id)) != NULL)
    {
      if (!g_ptr_array_find (pictures, picture, NULL))
        g_ptr_array_add (pictures, g_object_ref (picture));
      return;
    }

  pictures = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (pictures, g_object_ref (picture));
  g_hash_table_insert (self->waiting, g_strdup (id), pictures);

  task = g_task_new (self, self->cancellable, thumbnail_loaded_cb, NULL);
  g_task_set_source_tag (task, request_thumbnail);
  g_task_set_task_data (task, g_object_ref (design), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "workspace",
                          g_object_ref (self->workspace), g_object_unref);
  g_task_run_in_thread (task, thumbnail_thread);
}

/* Rows */

static const char *
kind_name (GlsDesign *design)
{
  switch (gls_design_get_kind (design))
    {
    case GLS_DESIGN_KIND_SVG: return _("SVG");
    case GLS_DESIGN_KIND_PDF: return _("PDF");
    case GLS_DESIGN_KIND_RASTER: return _("Image");
    case GLS_DESIGN_KIND_TEXT: return _("Text");
    /* Translators: a gettext PO file, a design's kind */
    case GLS_DESIGN_KIND_TRANSLATION: return _("Translation");
    case GLS_DESIGN_KIND_OTHER:
    default: return _("File");
    }
}

static char *
describe_design (GlsDesign *design)
{
  g_autofree char *size = g_format_size (gls_design_get_size (design));
  g_autofree char *date = gls_version_format_date (design);
  const char *kind = kind_name (design);

  /* Translators: kind · size · date, e.g. "SVG · 12.3 kB · 23 Nov 2026" */
  if (date != NULL)
    return g_strdup_printf (_("%s · %s · %s"), kind, size, date);
  return g_strdup_printf (_("%s · %s"), kind, size);
}

static char *
describe_version (guint      number,
                  GlsDesign *design)
{
  g_autofree char *date = gls_version_format_date (design);

  if (date != NULL)
    /* Translators: a version and its date, "Version 3 · 23 Nov 2026" */
    return g_strdup_printf (_("Version %u · %s"), number, date);
  /* Translators: a design's version, "Version 3" */
  return g_strdup_printf (_("Version %u"), number);
}

typedef struct
{
  GtkWidget *expander;
  GtkWidget *frame;
  GtkWidget *picture;
  GtkWidget *title;
  GtkWidget *subtitle;
  GtkWidget *state;
  GtkWidget *badge;
  GtkWidget *unread;        /* a dot: threads with news */
  GlsVersionGroup *group;   /* followed while bound */
  gulong     changed_id;
} RowWidgets;

static void
row_widgets_free (RowWidgets *row)
{
  g_clear_signal_handler (&row->changed_id, row->group);
  g_clear_object (&row->group);
  g_free (row);
}

/* A row's tooltips are kept as text and given when one is about to show:
 * gtk_widget_set_tooltip_text asks the display where the pointer is on
 * every call (an X server round trip in GTK 4.8), and a window binds its
 * visible rows, three tooltips each, before its first frame. */
static gboolean
row_query_tooltip_cb (GtkWidget  *widget,
                      int         x,
                      int         y,
                      gboolean    keyboard,
                      GtkTooltip *tooltip,
                      gpointer    user_data)
{
  const char *text = g_object_get_data (G_OBJECT (widget), "row-tooltip");

  if (text == NULL || text[0] == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
row_tooltip_init (GtkWidget *widget)
{
  gtk_widget_set_has_tooltip (widget, TRUE);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (row_query_tooltip_cb), NULL);
}

/* As gtk_widget_set_tooltip_text does, the text describes the widget to
 * assistive technologies too. */
static void
row_tooltip_set (GtkWidget  *widget,
                 const char *text)
{
  if (g_strcmp0 (g_object_get_data (G_OBJECT (widget), "row-tooltip"), text) == 0)
    return;
  g_object_set_data_full (G_OBJECT (widget), "row-tooltip", g_strdup (text), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              GlsDesignsSidebar        *self)
{
  RowWidgets *row = g_new0 (RowWidgets, 1);
  GtkWidget *box, *labels;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  row->picture = gtk_picture_new ();
  gtk_picture_set_can_shrink (GTK_PICTURE (row->picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (row->picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_size_request (row->picture, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
  row->frame = adw_bin_new ();
  adw_bin_set_child (ADW_BIN (row->frame), row->picture);
  gtk_widget_add_css_class (row->frame, "design-thumbnail");
  gtk_widget_set_valign (row->frame, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), row->frame);

  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (labels, TRUE);
  row->title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (row->title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (row->title), PANGO_ELLIPSIZE_MIDDLE);
  /* "SVG · 12.3 kB · 23 Nov 2026" does not fit a narrow sidebar: the
   * date goes to a second line rather than under an ellipsis. */
  row->subtitle = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (row->subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (row->subtitle), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (row->subtitle), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (row->subtitle), 2);
  gtk_label_set_ellipsize (GTK_LABEL (row->subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (row->subtitle, "caption");
  gtk_widget_add_css_class (row->subtitle, "dim-label");
  /* The newest version's reviews: approved, changes requested. */
  row->state = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (row->state), 0);
  gtk_label_set_ellipsize (GTK_LABEL (row->state), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (row->state, "caption");
  gtk_widget_add_css_class (row->state, "design-state");
  gtk_widget_set_visible (row->state, FALSE);
  gtk_box_append (GTK_BOX (labels), row->title);
  gtk_box_append (GTK_BOX (labels), row->subtitle);
  gtk_box_append (GTK_BOX (labels), row->state);
  gtk_box_append (GTK_BOX (box), labels);

  /* News, as the threads panel marks it. */
  row->unread = gtk_label_new ("●");
  gtk_widget_set_valign (row->unread, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (row->unread, "accent");
  gtk_widget_add_css_class (row->unread, "caption");
  gtk_widget_set_visible (row->unread, FALSE);
  row_tooltip_init (row->unread);
  gtk_box_append (GTK_BOX (box), row->unread);

  /* Open threads, as a count. */
  row->badge = gtk_label_new (NULL);
  gtk_widget_set_valign (row->badge, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (row->badge, "open-count");
  gtk_widget_add_css_class (row->badge, "numeric");
  gtk_widget_set_visible (row->badge, FALSE);
  row_tooltip_init (row->badge);
  gtk_box_append (GTK_BOX (box), row->badge);

  row->expander = gtk_tree_expander_new ();
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (row->expander), box);
  row_tooltip_init (box);

  g_object_set_data_full (G_OBJECT (item), "row", row, (GDestroyNotify) row_widgets_free);
  g_object_set_data (G_OBJECT (item), "sidebar", self);
  gtk_list_item_set_child (item, row->expander);
  g_ptr_array_add (self->items, item);
}

static void
teardown_row_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 GlsDesignsSidebar        *self)
{
  if (self->items != NULL)
    g_ptr_array_remove (self->items, item);
}

GlsDecision
gls_designs_sidebar_get_state (GlsDesignsSidebar *self,
                               const char        *design_id)
{
  g_return_val_if_fail (GLS_IS_DESIGNS_SIDEBAR (self), GLS_DECISION_NONE);

  if (self->states == NULL || design_id == NULL)
    return GLS_DECISION_NONE;
  return GPOINTER_TO_INT (g_hash_table_lookup (self->states, design_id));
}

static void
update_state (GlsDesignsSidebar *self,
              RowWidgets        *row,
              GlsDesign         *design)
{
  GlsDecision state = gls_designs_sidebar_get_state (self, gls_design_get_id (design));

  gtk_widget_remove_css_class (row->state, "success");
  gtk_widget_remove_css_class (row->state, "warning");
  switch (state)
    {
    case GLS_DECISION_APPROVED:
      /* Translators: a design's state: its newest version was approved */
      gtk_label_set_label (GTK_LABEL (row->state), _("Approved"));
      gtk_widget_add_css_class (row->state, "success");
      break;
    case GLS_DECISION_CHANGES_REQUESTED:
      /* Translators: a design's state: a reviewer asked for changes */
      gtk_label_set_label (GTK_LABEL (row->state), _("Changes requested"));
      gtk_widget_add_css_class (row->state, "warning");
      break;
    case GLS_DECISION_NONE:
    case GLS_DECISION_ACCEPTED:
    case GLS_DECISION_DECLINED:
    default:
      break;
    }
  gtk_widget_set_visible (row->state, state == GLS_DECISION_APPROVED ||
                                      state == GLS_DECISION_CHANGES_REQUESTED);
}

static void
update_row (GtkListItem *item)
{
  RowWidgets *row = g_object_get_data (G_OBJECT (item), "row");
  GtkTreeListRow *tree_row = gtk_list_item_get_item (item);
  g_autoptr(GObject) object = NULL;
  g_autoptr(GlsDesign) design = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *open = NULL;
  g_autofree char *accessible = NULL;
  g_autofree char *news = NULL;
  guint n_open, n_unread;

  if (tree_row == NULL || row->group == NULL)
    return;

  object = gtk_tree_list_row_get_item (tree_row);
  design = row_design (tree_row);
  if (GLS_IS_VERSION_GROUP (object))
    {
      /* The design: its newest version, the open threads of them all. */
      guint n = gls_version_group_get_n_versions (row->group);

      title = g_strdup (gls_design_get_name (design));
      subtitle = n > 1 ? describe_version (n, design) : describe_design (design);
      if (n > 1)
        gtk_widget_remove_css_class (row->expander, "single");
      else
        gtk_widget_add_css_class (row->expander, "single");
      n_open = gls_version_group_get_n_open (row->group);
      n_unread = gls_version_group_get_n_unread (row->group);
      update_state (g_object_get_data (G_OBJECT (item), "sidebar"), row, design);
    }
  else
    {
      g_autofree char *date = gls_version_describe_date (design);

      /* Translators: a design's version, "Version 2" */
      title = g_strdup_printf (_("Version %u"), gls_version_group_get_number (row->group, design));
      subtitle = g_steal_pointer (&date);
      n_open = gls_version_group_get_n_open_of (row->group, design);
      n_unread = gls_version_group_get_n_unread_of (row->group, design);
      gtk_widget_set_visible (row->state, FALSE);
    }

  gtk_label_set_label (GTK_LABEL (row->title), title);
  gtk_label_set_label (GTK_LABEL (row->subtitle), subtitle);

  open = g_strdup_printf (ngettext ("%u open thread", "%u open threads", n_open), n_open);
  {
    g_autofree char *count = g_strdup_printf ("%u", n_open);

    gtk_label_set_label (GTK_LABEL (row->badge), count);
  }
  row_tooltip_set (row->badge, open);
  gtk_widget_set_visible (row->badge, n_open > 0);

  news = g_strdup_printf (ngettext ("%u thread with new activity", "%u threads with new activity", n_unread),
                          n_unread);
  {
    /* A dot and how many: "● 2". */
    g_autofree char *count = g_strdup_printf ("● %u", n_unread);

    gtk_label_set_label (GTK_LABEL (row->unread), count);
  }
  row_tooltip_set (row->unread, news);
  gtk_widget_set_visible (row->unread, n_unread > 0);

  if (n_unread > 0)
    accessible = g_strdup_printf ("%s, %s, %s, %s", title, subtitle, open, news);
  else
    accessible = g_strdup_printf ("%s, %s, %s", title, subtitle, open);
  row_tooltip_set (gtk_tree_expander_get_child (GTK_TREE_EXPANDER (row->expander)),
                   gls_design_get_name (design));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->expander),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static GlsVersionGroup *
row_group (GtkTreeListRow *tree_row)
{
  g_autoptr(GtkTreeListRow) parent = gtk_tree_list_row_get_parent (tree_row);
  GObject *item = gtk_tree_list_row_get_item (parent ? parent : tree_row);

  if (!GLS_IS_VERSION_GROUP (item))
    g_clear_object (&item);
  return GLS_VERSION_GROUP (item);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             GlsDesignsSidebar        *self)
{
  RowWidgets *row = g_object_get_data (G_OBJECT (item), "row");
  GtkTreeListRow *tree_row = gtk_list_item_get_item (item);
  g_autoptr(GlsDesign) design = row_design (tree_row);
  gboolean older = gtk_tree_list_row_get_depth (tree_row) > 0;
  int size = older ? VERSION_THUMBNAIL_SIZE : THUMBNAIL_SIZE;

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (row->expander), tree_row);
  row->group = row_group (tree_row);
  if (row->group != NULL)
    {
      row->changed_id = g_signal_connect_object (row->group, "changed",
                                                 G_CALLBACK (update_row), item, G_CONNECT_SWAPPED);
      /* Its counts are read now that it shows. */
      gls_version_group_watch (row->group);
    }

  gtk_widget_set_size_request (row->picture, size, size);
  gtk_widget_set_size_request (row->frame, size, size);
  if (older)
    gtk_widget_add_css_class (row->frame, "version");
  else
    gtk_widget_remove_css_class (row->frame, "version");
  g_object_set_data_full (G_OBJECT (row->picture), "design", g_object_ref (design), g_object_unref);
  request_thumbnail (self, design, GTK_PICTURE (row->picture));
  update_row (item);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               GlsDesignsSidebar        *self)
{
  RowWidgets *row = g_object_get_data (G_OBJECT (item), "row");

  g_clear_signal_handler (&row->changed_id, row->group);
  g_clear_object (&row->group);
  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (row->expander), NULL);
  g_object_set_data (G_OBJECT (row->picture), "design", NULL);
}

static void
list_view_activate_cb (GlsDesignsSidebar *self,
                       guint              position)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  g_autoptr(GlsDesign) design = NULL;

  if (row == NULL)
    return;

  design = row_design (row);
  gls_designs_sidebar_set_selected_design (self, gls_design_get_id (design));
  g_signal_emit (self, signals [DESIGN_ACTIVATED], 0, design);
}

/* The row's menu: Add New Version… of its design (the newest version). */

static void
popup_row_menu (GlsDesignsSidebar *self,
                GtkListItem       *item,
                double             x,
                double             y)
{
  GtkTreeListRow *tree_row = gtk_list_item_get_item (item);
  g_autoptr(GlsVersionGroup) group = NULL;
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) add = NULL;
  g_autoptr(GMenuItem) remove = NULL;
  GtkWidget *child = gtk_list_item_get_child (item);
  graphene_rect_t bounds;
  GdkRectangle rect;

  if (tree_row == NULL || (group = row_group (tree_row)) == NULL)
    return;

  add = g_menu_item_new (_("Add New _Version…"), NULL);
  g_menu_item_set_action_and_target_value (add, "win.add-version",
                                           g_variant_new_string (gls_design_get_id (gls_version_group_get_latest (group))));
  g_menu_append_item (menu, add);
  remove = g_menu_item_new (_("_Remove Design…"), NULL);
  g_menu_item_set_action_and_target_value (remove, "win.remove-design",
                                           g_variant_new_string (gls_design_get_id (gls_version_group_get_latest (group))));
  g_menu_append_item (menu, remove);
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->row_menu), G_MENU_MODEL (menu));

  if (!gtk_widget_compute_bounds (child, GTK_WIDGET (self), &bounds))
    return;
  if (x < 0)
    {
      x = bounds.size.width / 2;
      y = bounds.size.height;
    }
  rect.x = (int) (bounds.origin.x + x);
  rect.y = (int) (bounds.origin.y + y);
  rect.width = rect.height = 1;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->row_menu), &rect);
  gtk_popover_popup (GTK_POPOVER (self->row_menu));
}

static GtkListItem *
item_at (GlsDesignsSidebar *self,
         double             x,
         double             y)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->list_view), x, y, GTK_PICK_DEFAULT);

  for (guint i = 0; picked != NULL && i < self->items->len; i++)
    {
      GtkListItem *item = g_ptr_array_index (self->items, i);
      GtkWidget *child = gtk_list_item_get_child (item);

      if (child != NULL && gtk_list_item_get_item (item) != NULL &&
          (picked == child || gtk_widget_is_ancestor (picked, child)))
        return item;
    }
  return NULL;
}

static void
row_menu_pressed_cb (GlsDesignsSidebar *self,
                     int                n_press,
                     double             x,
                     double             y,
                     GtkGestureClick   *gesture)
{
  GtkListItem *item = item_at (self, x, y);
  GtkWidget *child;
  graphene_point_t point;

  if (item == NULL)
    return;
  child = gtk_list_item_get_child (item);
  if (!gtk_widget_compute_point (GTK_WIDGET (self->list_view), child,
                                 &GRAPHENE_POINT_INIT (x, y), &point))
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_row_menu (self, item, point.x, point.y);
}

/* Shift+F10 and the Menu key: the selected row's menu. */
static void
row_menu_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  GlsDesignsSidebar *self = GLS_DESIGNS_SIDEBAR (widget);

  for (guint i = 0; i < self->items->len; i++)
    {
      GtkListItem *item = g_ptr_array_index (self->items, i);

      if (gtk_list_item_get_item (item) != NULL && gtk_list_item_get_selected (item))
        {
          popup_row_menu (self, item, -1, -1);
          return;
        }
    }
}

static GListModel *
create_children_cb (gpointer item,
                    gpointer user_data)
{
  if (!GLS_IS_VERSION_GROUP (item))
    return NULL;
  /* Older versions, reached by expanding; the model follows the group.
   * A design of one version has it too, empty (its arrow hidden): a row
   * cannot become expandable later without being replaced, and GTK 4.8's
   * list view does not measure a list whose rows all lost their widgets. */
  return g_object_ref (gls_version_group_get_older (GLS_VERSION_GROUP (item)));
}

static gboolean
same_row (GlsVersionGroup *shown,
          GlsVersionGroup *now)
{
  return shown == now;
}

static void
regroup (GlsDesignsSidebar *self)
{
  g_autoptr(GPtrArray) groups = NULL;
  GListModel *model = G_LIST_MODEL (self->groups);
  guint old_n = g_list_model_get_n_items (model);
  guint prefix = 0, suffix = 0;

  groups = gls_version_groups_update (self->workspace, gls_workspace_get_designs (self->workspace),
                                      self->group_table);

  /* Only the rows that changed, so that the others keep their widgets. */
  while (prefix < old_n && prefix < groups->len)
    {
      g_autoptr(GlsVersionGroup) group = g_list_model_get_item (model, prefix);

      if (!same_row (group, g_ptr_array_index (groups, prefix)))
        break;
      prefix++;
    }
  while (suffix < old_n - prefix && suffix < groups->len - prefix)
    {
      g_autoptr(GlsVersionGroup) group = g_list_model_get_item (model, old_n - 1 - suffix);

      if (!same_row (group, g_ptr_array_index (groups, groups->len - 1 - suffix)))
        break;
      suffix++;
    }
  if (prefix == old_n && prefix == groups->len)
    return;
  g_list_store_splice (self->groups, prefix, old_n - prefix - suffix,
                       groups->pdata + prefix, groups->len - prefix - suffix);
}

/* States: each design's newest version's reviews, read in a thread
 * (a lazy workspace reads them from the store) whenever documents are
 * written. */

static void refresh_states (GlsDesignsSidebar *self);

static void
states_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GlsWorkspace *workspace = g_object_get_data (G_OBJECT (task), "workspace");
  GPtrArray *designs = task_data;
  g_autoptr(GHashTable) states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < designs->len; i++)
    {
      GlsDesign *design = g_ptr_array_index (designs, i);
      g_autoptr(GPtrArray) reviews = NULL;
      g_autoptr(GError) error = NULL;

      if (g_task_return_error_if_cancelled (task))
        return;
      reviews = gls_workspace_list_reviews (workspace, design, &error);
      if (reviews == NULL)
        {
          g_debug ("No reviews of %s: %s", gls_design_get_id (design), error->message);
          continue;
        }
      g_hash_table_insert (states, g_strdup (gls_design_get_id (design)),
                           GINT_TO_POINTER (gls_reviews_get_state (reviews)));
    }
  g_task_return_pointer (task, g_steal_pointer (&states), (GDestroyNotify) g_hash_table_unref);
}

static void
states_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GlsDesignsSidebar *self = GLS_DESIGNS_SIDEBAR (object);
  g_autoptr(GHashTable) states = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  states = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->groups == NULL)
    return;
  self->states_running = FALSE;
  if (states != NULL)
    {
      g_autoptr(GHashTable) old = g_steal_pointer (&self->states);

      self->states = g_steal_pointer (&states);
      n = g_list_model_get_n_items (G_LIST_MODEL (self->groups));
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GlsVersionGroup) group = g_list_model_get_item (G_LIST_MODEL (self->groups), i);
          const char *id = gls_design_get_id (gls_version_group_get_latest (group));

          if (old == NULL || g_hash_table_lookup (old, id) != g_hash_table_lookup (self->states, id))
            g_signal_emit_by_name (group, "changed");
        }
    }
  if (self->states_again)
    refresh_states (self);
}

static void
refresh_states (GlsDesignsSidebar *self)
{
  g_autoptr(GTask) task = NULL;
  GPtrArray *designs;
  guint n;

  if (self->states_running)
    {
      self->states_again = TRUE;
      return;
    }
  self->states_running = TRUE;
  self->states_again = FALSE;

  designs = g_ptr_array_new_with_free_func (g_object_unref);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->groups));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsVersionGroup) group = g_list_model_get_item (G_LIST_MODEL (self->groups), i);

      g_ptr_array_add (designs, g_object_ref (gls_version_group_get_latest (group)));
    }

  task = g_task_new (self, self->cancellable, states_read_cb, NULL);
  g_task_set_source_tag (task, refresh_states);
  g_task_set_task_data (task, designs, (GDestroyNotify) g_ptr_array_unref);
  g_object_set_data_full (G_OBJECT (task), "workspace", g_object_ref (self->workspace), g_object_unref);
  g_task_run_in_thread (task, states_thread);
}

static void
store_changed_cb (GlsDesignsSidebar *self)
{
  if (self->states_started)
    refresh_states (self);
}

static void
stop_waiting_for_paint (GlsDesignsSidebar *self)
{
  if (self->paint_id != 0)
    g_signal_handler_disconnect (self->paint_clock, self->paint_id);
  self->paint_id = 0;
  g_clear_object (&self->paint_clock);
}

/* The list gets its rows once it has been painted, and so has a height:
 * given them before, GTK 4.8's list view makes and binds a row for every
 * design (up to 200) and measures them all for the window's first frame;
 * after, only the rows that show. The next frame's update phase, before
 * its layout, gives them. */
static gboolean
give_rows_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  GlsDesignsSidebar *self = user_data;

  self->rows_tick = 0;
  if (gtk_list_view_get_model (self->list_view) == NULL)
    gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  return G_SOURCE_REMOVE;
}

static void
first_paint_cb (GlsDesignsSidebar *self)
{
  stop_waiting_for_paint (self);
  if (gtk_list_view_get_model (self->list_view) == NULL && self->rows_tick == 0)
    self->rows_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->list_view), give_rows_cb, self, NULL);
  if (!self->states_started)
    {
      self->states_started = TRUE;
      refresh_states (self);
    }
}

static void
gls_designs_sidebar_map (GtkWidget *widget)
{
  GlsDesignsSidebar *self = GLS_DESIGNS_SIDEBAR (widget);

  GTK_WIDGET_CLASS (gls_designs_sidebar_parent_class)->map (widget);
  if ((!self->states_started || gtk_list_view_get_model (self->list_view) == NULL) &&
      self->paint_id == 0)
    {
      self->paint_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
      self->paint_id = g_signal_connect_swapped (self->paint_clock, "after-paint",
                                                 G_CALLBACK (first_paint_cb), self);
    }
}

static void
stop_giving_rows (GlsDesignsSidebar *self)
{
  if (self->rows_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->list_view), self->rows_tick);
  self->rows_tick = 0;
}

static void
gls_designs_sidebar_unmap (GtkWidget *widget)
{
  stop_waiting_for_paint (GLS_DESIGNS_SIDEBAR (widget));
  stop_giving_rows (GLS_DESIGNS_SIDEBAR (widget));
  GTK_WIDGET_CLASS (gls_designs_sidebar_parent_class)->unmap (widget);
}

static void
designs_changed_cb (GlsDesignsSidebar *self)
{
  regroup (self);
  sync_selection (self);
  g_signal_emit (self, signals [GROUPS_CHANGED], 0);
}

static void
gls_designs_sidebar_constructed (GObject *object)
{
  GlsDesignsSidebar *self = GLS_DESIGNS_SIDEBAR (object);
  GListModel *designs;
  g_autoptr(GtkListItemFactory) factory = NULL;
  GtkGesture *gesture;

  G_OBJECT_CLASS (gls_designs_sidebar_parent_class)->constructed (object);

  g_assert (GLS_IS_WORKSPACE (self->workspace));

  designs = gls_workspace_get_designs (self->workspace);
  self->groups = g_list_store_new (GLS_TYPE_VERSION_GROUP);
  self->group_table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  regroup (self);
  self->tree = gtk_tree_list_model_new (g_object_ref (G_LIST_MODEL (self->groups)), FALSE, FALSE,
                                        create_children_cb, NULL, NULL);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->tree)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (designs, "items-changed",
                           G_CALLBACK (designs_changed_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_row_cb), self, 0);
  g_signal_connect_object (factory, "teardown", G_CALLBACK (teardown_row_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_row_cb), self, 0);

  gtk_list_view_set_factory (self->list_view, factory);
  /* The model, after the first paint (first_paint_cb). */

  self->row_menu = gtk_popover_menu_new_from_model (NULL);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->row_menu), FALSE);
  gtk_widget_set_halign (self->row_menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->row_menu, GTK_WIDGET (self));

  g_signal_connect_object (gls_workspace_get_store (self->workspace), "changed",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (gesture, "pressed", G_CALLBACK (row_menu_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), GTK_EVENT_CONTROLLER (gesture));

  sync_selection (self);
}

static void
gls_designs_sidebar_dispose (GObject *object)
{
  GlsDesignsSidebar *self = GLS_DESIGNS_SIDEBAR (object);

  g_cancellable_cancel (self->cancellable);
  stop_waiting_for_paint (self);
  stop_giving_rows (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), GLS_TYPE_DESIGNS_SIDEBAR);

  g_clear_pointer (&self->row_menu, gtk_widget_unparent);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_object (&self->selection);
  g_clear_object (&self->tree);
  g_clear_object (&self->groups);
  g_clear_pointer (&self->group_table, g_hash_table_unref);
  g_clear_pointer (&self->states, g_hash_table_unref);
  g_clear_object (&self->workspace);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->thumbnails, g_hash_table_unref);
  g_clear_pointer (&self->waiting, g_hash_table_unref);

  G_OBJECT_CLASS (gls_designs_sidebar_parent_class)->dispose (object);
}

static void
gls_designs_sidebar_finalize (GObject *object)
{
  GlsDesignsSidebar *self = GLS_DESIGNS_SIDEBAR (object);

  g_free (self->selected_design);

  G_OBJECT_CLASS (gls_designs_sidebar_parent_class)->finalize (object);
}

static void
gls_designs_sidebar_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  GlsDesignsSidebar *self = GLS_DESIGNS_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;

    case PROP_SELECTED_DESIGN:
      g_value_set_string (value, self->selected_design);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_designs_sidebar_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  GlsDesignsSidebar *self = GLS_DESIGNS_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      self->workspace = g_value_dup_object (value);
      break;

    case PROP_SELECTED_DESIGN:
      gls_designs_sidebar_set_selected_design (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_designs_sidebar_class_init (GlsDesignsSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = gls_designs_sidebar_constructed;
  object_class->dispose = gls_designs_sidebar_dispose;
  object_class->finalize = gls_designs_sidebar_finalize;
  object_class->get_property = gls_designs_sidebar_get_property;
  object_class->set_property = gls_designs_sidebar_set_property;
  widget_class->map = gls_designs_sidebar_map;
  widget_class->unmap = gls_designs_sidebar_unmap;

  properties [PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL,
                         GLS_TYPE_WORKSPACE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_SELECTED_DESIGN] =
    g_param_spec_string ("selected-design", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GlsDesignsSidebar::design-activated:
   * @design: the GlsDesign the user chose
   */
  signals [DESIGN_ACTIVATED] =
    g_signal_new ("design-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, GLS_TYPE_DESIGN);

  /**
   * GlsDesignsSidebar::groups-changed:
   *
   * The designs were grouped again (a design or a version came or went).
   */
  signals [GROUPS_CHANGED] =
    g_signal_new ("groups-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "sidebar.row-menu", NULL, row_menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "sidebar.row-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "sidebar.row-menu", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/gls-designs-sidebar.ui");
  /* Bound so that dispose_template () unparents it. */
  gtk_widget_class_bind_template_child (widget_class, GlsDesignsSidebar, content);
  gtk_widget_class_bind_template_child (widget_class, GlsDesignsSidebar, stack);
  gtk_widget_class_bind_template_child (widget_class, GlsDesignsSidebar, list_view);
  gtk_widget_class_bind_template_callback (widget_class, list_view_activate_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "designs-sidebar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
gls_designs_sidebar_init (GlsDesignsSidebar *self)
{
  g_type_ensure (ADW_TYPE_STATUS_PAGE);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->items = g_ptr_array_new ();
  self->thumbnails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
}
