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

struct _GlsDesignsSidebar
{
  GtkWidget           parent_instance;

  GlsWorkspace       *workspace;
  GtkSingleSelection *selection;
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

static void
sync_selection (GlsDesignsSidebar *self)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  guint n = g_list_model_get_n_items (model);

  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");

  for (guint i = 0; i < n && self->selected_design != NULL; i++)
    {
      g_autoptr(GlsDesign) design = g_list_model_get_item (model, i);

      if (g_strcmp0 (gls_design_get_id (design), self->selected_design) == 0)
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

static char *
describe_design (GlsDesign *design)
{
  g_autofree char *size = g_format_size (gls_design_get_size (design));
  g_autoptr(GDateTime) created = NULL;
  g_autofree char *date = NULL;
  const char *kind;

  switch (gls_design_get_kind (design))
    {
    case GLS_DESIGN_KIND_SVG: kind = _("SVG"); break;
    case GLS_DESIGN_KIND_PDF: kind = _("PDF"); break;
    case GLS_DESIGN_KIND_RASTER: kind = _("Image"); break;
    case GLS_DESIGN_KIND_TEXT: kind = _("Text"); break;
    /* Translators: a gettext PO file, a design's kind */
    case GLS_DESIGN_KIND_TRANSLATION: kind = _("Translation"); break;
    case GLS_DESIGN_KIND_OTHER:
    default: kind = _("File"); break;
    }

  if (gls_design_get_date_created (design) != NULL)
    created = g_date_time_new_from_iso8601 (gls_design_get_date_created (design), NULL);
  if (created != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (created);

      /* Translators: a date, see g_date_time_format () */
      date = g_date_time_format (local, _("%e %b %Y"));
      g_strstrip (date);
    }

  /* Translators: kind · size · date, e.g. "SVG · 12.3 kB · 23 Nov 2026" */
  if (date != NULL)
    return g_strdup_printf (_("%s · %s · %s"), kind, size, date);
  return g_strdup_printf (_("%s · %s"), kind, size);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              GlsDesignsSidebar        *self)
{
  GtkWidget *box, *labels, *picture, *title, *subtitle, *frame;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  picture = gtk_picture_new ();
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_size_request (picture, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
  frame = adw_bin_new ();
  adw_bin_set_child (ADW_BIN (frame), picture);
  gtk_widget_add_css_class (frame, "design-thumbnail");
  gtk_widget_set_valign (frame, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), frame);

  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (labels, TRUE);
  title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
  subtitle = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), subtitle);
  gtk_box_append (GTK_BOX (box), labels);

  g_object_set_data (G_OBJECT (item), "picture", picture);
  g_object_set_data (G_OBJECT (item), "title", title);
  g_object_set_data (G_OBJECT (item), "subtitle", subtitle);
  gtk_list_item_set_child (item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             GlsDesignsSidebar        *self)
{
  GlsDesign *design = gtk_list_item_get_item (item);
  GtkWidget *picture = g_object_get_data (G_OBJECT (item), "picture");
  g_autofree char *subtitle = describe_design (design);

  gtk_label_set_label (g_object_get_data (G_OBJECT (item), "title"), gls_design_get_name (design));
  gtk_label_set_label (g_object_get_data (G_OBJECT (item), "subtitle"), subtitle);
  gtk_widget_set_tooltip_text (gtk_list_item_get_child (item), gls_design_get_name (design));
  g_object_set_data_full (G_OBJECT (picture), "design", g_object_ref (design), g_object_unref);
  request_thumbnail (self, design, GTK_PICTURE (picture));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               GlsDesignsSidebar        *self)
{
  GtkWidget *picture = g_object_get_data (G_OBJECT (item), "picture");

  g_object_set_data (G_OBJECT (picture), "design", NULL);
}

static void
list_view_activate_cb (GlsDesignsSidebar *self,
                       guint              position)
{
  g_autoptr(GlsDesign) design = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (design == NULL)
    return;

  gls_designs_sidebar_set_selected_design (self, gls_design_get_id (design));
  g_signal_emit (self, signals [DESIGN_ACTIVATED], 0, design);
}

static void
designs_changed_cb (GlsDesignsSidebar *self)
{
  sync_selection (self);
}

static void
gls_designs_sidebar_constructed (GObject *object)
{
  GlsDesignsSidebar *self = GLS_DESIGNS_SIDEBAR (object);
  GListModel *designs;
  g_autoptr(GtkListItemFactory) factory = NULL;

  G_OBJECT_CLASS (gls_designs_sidebar_parent_class)->constructed (object);

  g_assert (GLS_IS_WORKSPACE (self->workspace));

  designs = gls_workspace_get_designs (self->workspace);
  self->selection = gtk_single_selection_new (g_object_ref (designs));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (designs, "items-changed",
                           G_CALLBACK (designs_changed_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_row_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_row_cb), self, 0);

  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  sync_selection (self);
}

static void
gls_designs_sidebar_dispose (GObject *object)
{
  GlsDesignsSidebar *self = GLS_DESIGNS_SIDEBAR (object);

  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), GLS_TYPE_DESIGNS_SIDEBAR);

  g_clear_object (&self->selection);
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
  self->thumbnails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
}
