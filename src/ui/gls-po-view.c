/* gls-po-view.c: a PO design as a list of messages, source beside
 * translation, with the threads on each and comments and suggestions on
 * a translation or on words selected in it.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-po-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "gls-text.h"
#include "gls-po-view-private.h"

typedef enum
{
  FILTER_ALL,
  FILTER_UNTRANSLATED,
  FILTER_FUZZY,
} Filter;

static const char * const filter_names[] = { "all", "untranslated", "fuzzy" };

/* An item of the list: a message of the file, by its index. Small, so
 * that 10,000 of them are made in a few milliseconds. */

#define GLS_TYPE_PO_ITEM (gls_po_item_get_type ())

G_DECLARE_FINAL_TYPE (GlsPoItem, gls_po_item, GLS, PO_ITEM, GObject)

struct _GlsPoItem
{
  GObject    parent_instance;

  guint      index;
  GlsPoState state;
};

G_DEFINE_FINAL_TYPE (GlsPoItem, gls_po_item, G_TYPE_OBJECT)

static void
gls_po_item_class_init (GlsPoItemClass *klass)
{
}

static void
gls_po_item_init (GlsPoItem *self)
{
}

typedef struct
{
  char     *id;
  char     *preview;
  guint     number;
  gint64    start;
  gint64    end;
  gboolean  resolved;
  gboolean  suggestion;
  gint      message;  /* index in the file, -1: none (or no file yet) */
} Passage;

struct _GlsPoView
{
  GtkWidget           parent_instance;

  GlsPoFile          *file;
  char               *error;
  GCancellable       *cancellable;

  GListStore         *items;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;
  Filter              filter_kind;

  GArray             *passages;    /* Passage */
  GHashTable         *by_message;  /* message index + 1 → GArray of guint (positions in passages) */
  char               *selected;
  GPtrArray          *rows;        /* GlsPoMessageRow bound to an item now */

  GlsCommentPopover  *popover;
  GlsSelector         pending;
  gboolean            has_pending;
  gboolean            pending_suggestion;
  guint               pending_index;  /* the message and form it is on, */
  guint               pending_form;   /* for the composer's arrow */

  /* Template widgets */
  GtkWidget          *box;
  GtkLabel           *all_count;
  GtkLabel           *untranslated_count;
  GtkLabel           *fuzzy_count;
  GtkLabel           *language_label;
  GtkStack           *stack;
  GtkSpinner         *spinner;
  AdwStatusPage      *error_page;
  AdwStatusPage      *empty_page;
  GtkScrolledWindow  *scroller;
  /* A grid view of one column: GTK 4.8's list view keeps 200 rows
   * alive around what is shown, a grid view about 30, and a row with
   * wrapped text is not free to measure (a 10,000-message file paints
   * in a fifth of the time). */
  GtkGridView        *list_view;
};

G_DEFINE_FINAL_TYPE (GlsPoView, gls_po_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FILE,
  PROP_FILTER,
  PROP_SELECTED,
  PROP_CAN_COMMENT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  PASSAGE_ACTIVATED,
  COMMENT_REQUESTED,
  SUGGEST_REQUESTED,
  SOURCE_REQUESTED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

#define PASSAGE(self, i) (&g_array_index ((self)->passages, Passage, (i)))

static void
passage_clear (gpointer data)
{
  Passage *p = data;

  g_clear_pointer (&p->id, g_free);
  g_clear_pointer (&p->preview, g_free);
}

/* Pages and counts */

static void
show_page (GlsPoView  *self,
           const char *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (name, "loading"));
}

static void
update_page (GlsPoView *self)
{
  if (self->file == NULL)
    return;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0)
    {
      show_page (self, "list");
      return;
    }

  switch (self->filter_kind)
    {
    case FILTER_UNTRANSLATED:
      adw_status_page_set_title (self->empty_page, _("Every Message Is Translated"));
      adw_status_page_set_description (self->empty_page, NULL);
      break;

    case FILTER_FUZZY:
      adw_status_page_set_title (self->empty_page, _("No Fuzzy Messages"));
      adw_status_page_set_description (self->empty_page,
                                       _("No translation is marked for review"));
      break;

    case FILTER_ALL:
    default:
      adw_status_page_set_title (self->empty_page, _("No Messages"));
      adw_status_page_set_description (self->empty_page,
                                       _("This file has a header but no message to translate"));
    }
  show_page (self, "empty");
}

static void
set_count (GtkLabel *label,
           guint     count)
{
  g_autofree char *text = g_strdup_printf ("%u", count);

  gtk_label_set_text (label, text);
}

static void
update_counts (GlsPoView *self)
{
  guint translated = 0, fuzzy = 0, untranslated = 0;

  if (self->file != NULL)
    gls_po_file_count_states (self->file, &translated, &fuzzy, &untranslated);

  set_count (self->all_count, translated + fuzzy + untranslated);
  set_count (self->untranslated_count, untranslated);
  set_count (self->fuzzy_count, fuzzy);
}

static void
update_language (GlsPoView *self)
{
  const char *language = self->file ? gls_po_file_get_language (self->file) : NULL;
  g_autofree char *text = NULL;

  if (self->file != NULL && gls_po_file_is_template (self->file))
    text = g_strdup (_("Template: no translation"));
  else if (language != NULL && language[0] != '\0')
    /* Translators: the language a PO file translates into, a code like "de" or "pt_BR" */
    text = g_strdup_printf (_("Translation into %s"), language);

  gtk_label_set_text (self->language_label, text ? text : "");
}

/* Where a message is in the list */

static gint
item_index_at (GListModel *model,
               guint       position)
{
  g_autoptr(GlsPoItem) item = g_list_model_get_item (model, position);

  return item != NULL ? (gint) item->index : -1;
}

/* The list is in file order, whatever the filter: a binary search. */
static guint
position_of (GlsPoView *self,
             guint      index)
{
  GListModel *model = G_LIST_MODEL (self->filtered);
  guint lo = 0, hi = g_list_model_get_n_items (model);

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if ((guint) item_index_at (model, mid) < index)
        lo = mid + 1;
      else
        hi = mid;
    }

  if (lo < g_list_model_get_n_items (model) && item_index_at (model, lo) == (gint) index)
    return lo;

  return GTK_INVALID_LIST_POSITION;
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  GlsPoView *self = user_data;
  GlsPoItem *message = item;

  switch (self->filter_kind)
    {
    case FILTER_UNTRANSLATED:
      return message->state == GLS_PO_STATE_UNTRANSLATED;
    case FILTER_FUZZY:
      return message->state == GLS_PO_STATE_FUZZY;
    case FILTER_ALL:
    default:
      return TRUE;
    }
}

static void
update_actions (GlsPoView *self)
{
  gboolean can = gls_po_view_get_can_comment (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "po.comment", can);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "po.suggest", can);
}

static void
selection_changed_cb (GlsPoView *self)
{
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CAN_COMMENT]);
}

/* Passages on messages */

static void
place_passages (GlsPoView *self)
{
  g_hash_table_remove_all (self->by_message);

  for (guint i = 0; i < self->passages->len; i++)
    {
      Passage *p = PASSAGE (self, i);
      GArray *on;

      p->message = -1;
      if (self->file == NULL)
        continue;

      p->message = gls_po_file_message_at (self->file, p->start);
      if (p->message < 0 && p->end > p->start)
        p->message = gls_po_file_message_at (self->file, p->end - 1);
      if (p->message < 0)
        continue;

      on = g_hash_table_lookup (self->by_message, GINT_TO_POINTER (p->message + 1));
      if (on == NULL)
        {
          on = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (self->by_message, GINT_TO_POINTER (p->message + 1), on);
        }
      g_array_append_val (on, i);
    }
}

static void
fill_row_threads (GlsPoView       *self,
                  GlsPoMessageRow *row)
{
  gint index = gls_po_message_row_get_index (row);
  GArray *on;

  gls_po_message_row_clear_threads (row);
  if (index < 0)
    return;

  on = g_hash_table_lookup (self->by_message, GINT_TO_POINTER (index + 1));
  for (guint i = 0; on != NULL && i < on->len; i++)
    {
      Passage *p = PASSAGE (self, g_array_index (on, guint, i));

      gls_po_message_row_add_thread (row, p->id, p->number, p->resolved, p->suggestion,
                                     g_strcmp0 (p->id, self->selected) == 0, p->preview);
    }
}

static void
refresh_rows (GlsPoView *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    fill_row_threads (self, g_ptr_array_index (self->rows, i));
}

static const Passage *
find_passage (GlsPoView  *self,
              const char *id)
{
  for (guint i = 0; id != NULL && i < self->passages->len; i++)
    if (g_strcmp0 (PASSAGE (self, i)->id, id) == 0)
      return PASSAGE (self, i);

  return NULL;
}

/* Rows */

static void
activate_thread (GlsPoView  *self,
                 gint        index,
                 const char *thread_id)
{
  /* Selecting the thread rebuilds the rows' numbers: keep a copy. */
  g_autofree char *id = g_strdup (thread_id);

  if (index >= 0)
    {
      guint position = position_of (self, index);

      if (position != GTK_INVALID_LIST_POSITION)
        gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
    }

  gls_po_view_set_selected (self, id);
  g_signal_emit (self, signals [PASSAGE_ACTIVATED], 0, id);
}

static void
row_thread_activated_cb (GlsPoView       *self,
                         const char      *id,
                         GlsPoMessageRow *row)
{
  activate_thread (self, gls_po_message_row_get_index (row), id);
}

/* A click or Tab into a translation's text selects its message, so C
 * comments on the message whose words the translator is reading. */
static void
row_translation_focused_cb (GlsPoView       *self,
                            GlsPoMessageRow *row)
{
  gint index = gls_po_message_row_get_index (row);
  guint position;

  if (index < 0)
    return;

  position = position_of (self, index);
  if (position != GTK_INVALID_LIST_POSITION &&
      gtk_single_selection_get_selected (self->selection) != position)
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
}

static void
setup_row_cb (GlsPoView                *self,
              GtkListItem              *list_item,
              GtkSignalListItemFactory *factory)
{
  GtkWidget *row = gls_po_message_row_new ();

  g_signal_connect_object (row, "thread-activated",
                           G_CALLBACK (row_thread_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "translation-focused",
                           G_CALLBACK (row_translation_focused_cb), self, G_CONNECT_SWAPPED);
  gtk_list_item_set_child (list_item, row);
}

static void
bind_row_cb (GlsPoView                *self,
             GtkListItem              *list_item,
             GtkSignalListItemFactory *factory)
{
  GlsPoMessageRow *row = GLS_PO_MESSAGE_ROW (gtk_list_item_get_child (list_item));
  GlsPoItem *item = gtk_list_item_get_item (list_item);

  gls_po_message_row_set_message (row, self->file, item->index);
  fill_row_threads (self, row);
  g_ptr_array_add (self->rows, row);
}

static void
unbind_row_cb (GlsPoView                *self,
               GtkListItem              *list_item,
               GtkSignalListItemFactory *factory)
{
  GlsPoMessageRow *row = GLS_PO_MESSAGE_ROW (gtk_list_item_get_child (list_item));

  g_ptr_array_remove_fast (self->rows, row);
  gls_po_message_row_set_message (row, NULL, 0);
  gls_po_message_row_clear_threads (row);
}

/* Enter on a message: its first thread, then the next on each press. */
static void
list_activate_cb (GlsPoView   *self,
                  guint        position,
                  GtkGridView *list_view)
{
  gint index = item_index_at (G_LIST_MODEL (self->filtered), position);
  GArray *on;
  guint next = 0;

  if (index < 0)
    return;

  on = g_hash_table_lookup (self->by_message, GINT_TO_POINTER (index + 1));
  if (on == NULL || on->len == 0)
    return;

  for (guint i = 0; i < on->len; i++)
    if (g_strcmp0 (PASSAGE (self, g_array_index (on, guint, i))->id, self->selected) == 0)
      next = (i + 1) % on->len;

  activate_thread (self, index, PASSAGE (self, g_array_index (on, guint, next))->id);
}

/* The composer */

static GlsPoMessageRow *
focused_row (GlsPoView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    return NULL;

  row = gtk_widget_get_ancestor (focus, GLS_TYPE_PO_MESSAGE_ROW);
  return row ? GLS_PO_MESSAGE_ROW (row) : NULL;
}

/* The end of a value range in the text: just after the character (or
 * escape) that makes its last code point, not after the quotes and line
 * break that may follow it. */
static gint64
value_end_to_text (GlsPoFile *file,
                   guint      index,
                   guint      form,
                   gint64     value_end)
{
  const char *value = gls_po_message_get_msgstr (gls_po_file_get_message (file, index), form);
  gint64 length = g_utf8_strlen (value, -1);
  gint64 last, next, end;

  if (value_end <= 0 || value_end >= length)
    return gls_po_file_value_to_text (file, index, GLS_PO_PART_MSGSTR, form, CLAMP (value_end, 0, length));

  last = gls_po_file_value_to_text (file, index, GLS_PO_PART_MSGSTR, form, value_end - 1);
  next = gls_po_file_value_to_text (file, index, GLS_PO_PART_MSGSTR, form, value_end);
  if (last < 0 || next < 0)
    return -1;

  for (end = last + 1;
       end < next && gls_po_file_text_to_value (file, index, GLS_PO_PART_MSGSTR, form, end) == value_end - 1;
       end++)
    ;

  return end;
}

typedef struct
{
  guint    index;
  guint    form;
  gboolean has_range;  /* words selected in the translation */
  gint64   value_start;
  gint64   value_end;
  gint64   start;      /* in the file's text */
  gint64   end;
} Target;

/* What C (or S) acts on: words selected in the translation of the
 * focused or selected message, else the selected message's translation
 * (the focused plural form, else the first). */
static gboolean
find_target (GlsPoView *self,
             Target    *target)
{
  GlsPoMessageRow *rows[2] = { focused_row (self), NULL };
  gint selected = gls_po_view_get_selected_message (self);

  if (self->file == NULL || !gls_po_file_has_spans (self->file))
    return FALSE;

  if (selected >= 0)
    rows[1] = _gls_po_view_get_row (self, selected);

  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    {
      gint index;

      if (rows[r] == NULL || (index = gls_po_message_row_get_index (rows[r])) < 0)
        continue;

      if (gls_po_message_row_get_selection (rows[r], &target->form,
                                            &target->value_start, &target->value_end))
        {
          target->index = index;
          target->has_range = TRUE;
          target->start = gls_po_file_value_to_text (self->file, index, GLS_PO_PART_MSGSTR,
                                                     target->form, target->value_start);
          target->end = value_end_to_text (self->file, index, target->form, target->value_end);
          if (target->start >= 0 && target->end > target->start)
            return TRUE;
        }
    }

  if (selected < 0)
    return FALSE;

  target->index = selected;
  target->form = rows[0] != NULL && gls_po_message_row_get_index (rows[0]) == selected
                 ? gls_po_message_row_get_focus_form (rows[0]) : 0;
  target->has_range = FALSE;

  return gls_po_file_get_span (self->file, selected, GLS_PO_PART_MSGSTR, target->form,
                               &target->start, &target->end) &&
         target->end > target->start;
}

/* The composer points at the translation it is about, wherever the
 * list has scrolled or the window resized since it opened. */
static void
point_popover (GlsPoView *self)
{
  GlsPoMessageRow *row = _gls_po_view_get_row (self, self->pending_index);
  GtkLabel *label = row ? gls_po_message_row_get_form_label (row, self->pending_form) : NULL;
  graphene_rect_t bounds;
  GdkRectangle rect;

  if (label != NULL && gtk_widget_compute_bounds (GTK_WIDGET (label), GTK_WIDGET (self), &bounds))
    {
      rect.x = (int) bounds.origin.x;
      rect.y = (int) bounds.origin.y;
      rect.width = MAX (1, (int) bounds.size.width);
      rect.height = MAX (1, (int) bounds.size.height);
    }
  else
    {
      rect.x = gtk_widget_get_width (GTK_WIDGET (self)) / 2;
      rect.y = gtk_widget_get_height (GTK_WIDGET (self)) / 3;
      rect.width = rect.height = 1;
    }

  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &rect);
}

static gboolean
open_composer (GlsPoView *self,
               gboolean   suggestion)
{
  Target target = { 0 };
  g_autofree char *original = NULL;

  if (!find_target (self, &target))
    return FALSE;

  gls_selector_clear (&self->pending);
  if (!gls_text_select_range (gls_po_file_get_index (self->file), target.start, target.end, &self->pending))
    return FALSE;

  self->has_pending = TRUE;
  self->pending_suggestion = suggestion;
  self->pending_index = target.index;
  self->pending_form = target.form;

  if (suggestion)
    {
      const char *value = gls_po_message_get_msgstr (gls_po_file_get_message (self->file, target.index),
                                                     target.form);

      original = target.has_range
                 ? g_utf8_substring (value, target.value_start, target.value_end)
                 : g_strdup (value);
      gls_comment_popover_set_suggestion (self->popover, original);
    }
  else
    gls_comment_popover_set_suggestion (self->popover, NULL);

  point_popover (self);
  gtk_popover_popup (GTK_POPOVER (self->popover));

  return TRUE;
}

static void
popover_submit_cb (GlsPoView         *self,
                   const char        *text,
                   GlsCommentPopover *popover)
{
  if (!self->has_pending)
    return;

  g_signal_emit (self, signals [self->pending_suggestion ? SUGGEST_REQUESTED : COMMENT_REQUESTED], 0,
                 &self->pending, text);
}

static void
popover_closed_cb (GlsPoView         *self,
                   GlsCommentPopover *popover)
{
  self->has_pending = FALSE;
  self->pending_suggestion = FALSE;
  gls_selector_clear (&self->pending);

  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* Actions */

static void
comment_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  gls_po_view_comment (GLS_PO_VIEW (widget));
}

static void
suggest_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  gls_po_view_suggest (GLS_PO_VIEW (widget));
}

static void
show_source_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  g_signal_emit (widget, signals [SOURCE_REQUESTED], 0);
}

/* GObject and GtkWidget */

static gboolean
gls_po_view_grab_focus (GtkWidget *widget)
{
  GlsPoView *self = GLS_PO_VIEW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "list") == 0)
    return gtk_widget_grab_focus (GTK_WIDGET (self->list_view));

  return gtk_widget_child_focus (GTK_WIDGET (self->box), GTK_DIR_TAB_FORWARD);
}

static void
gls_po_view_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  GlsPoView *self = GLS_PO_VIEW (widget);

  gtk_widget_allocate (self->box, width, height, baseline, NULL);

  if (self->popover != NULL && self->has_pending && gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    {
      point_popover (self);
      gtk_popover_present (GTK_POPOVER (self->popover));
    }
}

static void
gls_po_view_dispose (GObject *object)
{
  GlsPoView *self = GLS_PO_VIEW (object);

  g_cancellable_cancel (self->cancellable);

  if (self->popover != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->popover));
      self->popover = NULL;
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), GLS_TYPE_PO_VIEW);

  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->items);
  g_clear_object (&self->file);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (gls_po_view_parent_class)->dispose (object);
}

static void
gls_po_view_finalize (GObject *object)
{
  GlsPoView *self = GLS_PO_VIEW (object);

  gls_selector_clear (&self->pending);
  g_clear_pointer (&self->passages, g_array_unref);
  g_clear_pointer (&self->by_message, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->selected, g_free);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (gls_po_view_parent_class)->finalize (object);
}

static void
gls_po_view_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  GlsPoView *self = GLS_PO_VIEW (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_FILTER:
      g_value_set_string (value, gls_po_view_get_filter (self));
      break;

    case PROP_SELECTED:
      g_value_set_string (value, self->selected);
      break;

    case PROP_CAN_COMMENT:
      g_value_set_boolean (value, gls_po_view_get_can_comment (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_po_view_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  GlsPoView *self = GLS_PO_VIEW (object);

  switch (prop_id)
    {
    case PROP_FILTER:
      gls_po_view_set_filter (self, g_value_get_string (value));
      break;

    case PROP_SELECTED:
      gls_po_view_set_selected (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_po_view_class_init (GlsPoViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gls_po_view_dispose;
  object_class->finalize = gls_po_view_finalize;
  object_class->get_property = gls_po_view_get_property;
  object_class->set_property = gls_po_view_set_property;

  widget_class->grab_focus = gls_po_view_grab_focus;
  widget_class->size_allocate = gls_po_view_size_allocate;

  properties [PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         GLS_TYPE_PO_FILE,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_FILTER] =
    g_param_spec_string ("filter", NULL, NULL,
                         "all",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_SELECTED] =
    g_param_spec_string ("selected", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_CAN_COMMENT] =
    g_param_spec_boolean ("can-comment", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GlsPoView::passage-activated:
   * @id: the thread's root annotation id
   */
  signals [PASSAGE_ACTIVATED] =
    g_signal_new ("passage-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * GlsPoView::comment-requested:
   * @selector: the passage, a TEXT selector over the file's text
   * @text: what the user wrote
   */
  signals [COMMENT_REQUESTED] =
    g_signal_new ("comment-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  GLS_TYPE_SELECTOR | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * GlsPoView::suggest-requested:
   * @selector: the passage to replace, a TEXT selector over the file's text
   * @replacement: the text the translator suggests instead (unescaped)
   */
  signals [SUGGEST_REQUESTED] =
    g_signal_new ("suggest-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  GLS_TYPE_SELECTOR | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * GlsPoView::source-requested:
   */
  signals [SOURCE_REQUESTED] =
    g_signal_new ("source-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/gls-po-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GlsPoView, box);
  gtk_widget_class_bind_template_child (widget_class, GlsPoView, all_count);
  gtk_widget_class_bind_template_child (widget_class, GlsPoView, untranslated_count);
  gtk_widget_class_bind_template_child (widget_class, GlsPoView, fuzzy_count);
  gtk_widget_class_bind_template_child (widget_class, GlsPoView, language_label);
  gtk_widget_class_bind_template_child (widget_class, GlsPoView, stack);
  gtk_widget_class_bind_template_child (widget_class, GlsPoView, spinner);
  gtk_widget_class_bind_template_child (widget_class, GlsPoView, error_page);
  gtk_widget_class_bind_template_child (widget_class, GlsPoView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, GlsPoView, scroller);
  gtk_widget_class_bind_template_child (widget_class, GlsPoView, list_view);

  gtk_widget_class_install_property_action (widget_class, "po.filter", "filter");
  gtk_widget_class_install_action (widget_class, "po.comment", NULL, comment_action);
  gtk_widget_class_install_action (widget_class, "po.suggest", NULL, suggest_action);
  gtk_widget_class_install_action (widget_class, "po.show-source", NULL, show_source_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, 0, "po.comment", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, 0, "po.suggest", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_ALT_MASK, "po.filter", "s", "all");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_ALT_MASK, "po.filter", "s", "untranslated");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_ALT_MASK, "po.filter", "s", "fuzzy");

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "poview");
}

static void
ensure_css (GlsPoView *self)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || g_object_get_data (G_OBJECT (display), "gls-po-view-css") != NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, RESOURCE_PATH "/gls-po-view.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "gls-po-view-css",
                          g_steal_pointer (&provider), g_object_unref);
}

static void
gls_po_view_init (GlsPoView *self)
{
  GtkListItemFactory *factory;

  g_type_ensure (ADW_TYPE_STATUS_PAGE);
  g_type_ensure (ADW_TYPE_BUTTON_CONTENT);

  gtk_widget_init_template (GTK_WIDGET (self));
  ensure_css (self);

  self->passages = g_array_new (FALSE, TRUE, sizeof (Passage));
  g_array_set_clear_func (self->passages, passage_clear);
  self->by_message = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  self->rows = g_ptr_array_new ();

  self->items = g_list_store_new (GLS_TYPE_PO_ITEM);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->items)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_row_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_row_cb), self, G_CONNECT_SWAPPED);
  gtk_grid_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_grid_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->list_view, "activate",
                           G_CALLBACK (list_activate_cb), self, G_CONNECT_SWAPPED);

  self->popover = GLS_COMMENT_POPOVER (gls_comment_popover_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->popover), GTK_WIDGET (self));
  g_signal_connect_object (self->popover, "submit", G_CALLBACK (popover_submit_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->popover, "closed", G_CALLBACK (popover_closed_cb), self, G_CONNECT_SWAPPED);

  update_counts (self);
  update_actions (self);
  show_page (self, "none");
}

/* Public API */

GtkWidget *
gls_po_view_new (void)
{
  return g_object_new (GLS_TYPE_PO_VIEW, NULL);
}

static void
file_parsed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GlsPoView) self = user_data;
  g_autoptr(GlsPoFile) file = NULL;
  g_autoptr(GError) error = NULL;

  file = gls_po_file_new_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (file == NULL)
    {
      g_free (self->error);
      self->error = g_strdup (error->message);
      adw_status_page_set_description (self->error_page, error->message);
      show_page (self, "error");
      return;
    }

  gls_po_view_set_file (self, file);
}

void
gls_po_view_set_text (GlsPoView  *self,
                      const char *text)
{
  g_return_if_fail (GLS_IS_PO_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->error, g_free);
  gls_po_view_set_file (self, NULL);

  if (text == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  show_page (self, "loading");
  gls_po_file_new_async (text, -1, self->cancellable, file_parsed_cb, g_object_ref (self));
}

void
gls_po_view_set_file (GlsPoView *self,
                      GlsPoFile *file)
{
  g_autoptr(GPtrArray) items = NULL;
  guint n;

  g_return_if_fail (GLS_IS_PO_VIEW (self));
  g_return_if_fail (file == NULL || GLS_IS_PO_FILE (file));

  if (self->file == file)
    return;

  if (self->popover != NULL && gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    gtk_popover_popdown (GTK_POPOVER (self->popover));

  /* Rows hold the old file until they are unbound: drop the items first. */
  g_list_store_remove_all (self->items);
  g_set_object (&self->file, file);

  n = file ? gls_po_file_get_n_messages (file) : 0;
  items = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      const GlsPoMessage *message = gls_po_file_get_message (file, i);
      GlsPoItem *item;

      /* Obsolete (#~) messages are no longer in the program. */
      if (gls_po_message_is_obsolete (message))
        continue;

      item = g_object_new (GLS_TYPE_PO_ITEM, NULL);
      item->index = i;
      item->state = gls_po_message_get_state (message);
      g_ptr_array_add (items, item);
    }
  g_list_store_splice (self->items, 0, 0, items->pdata, items->len);

  place_passages (self);
  update_counts (self);
  update_language (self);
  if (file != NULL)
    update_page (self);
  else
    show_page (self, "none");
  update_actions (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FILE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CAN_COMMENT]);
}

GlsPoFile *
gls_po_view_get_file (GlsPoView *self)
{
  g_return_val_if_fail (GLS_IS_PO_VIEW (self), NULL);

  return self->file;
}

const char *
gls_po_view_get_error (GlsPoView *self)
{
  g_return_val_if_fail (GLS_IS_PO_VIEW (self), NULL);

  return self->error;
}

void
gls_po_view_set_passages (GlsPoView            *self,
                          const GlsTextPassage *passages,
                          guint                 n_passages)
{
  g_return_if_fail (GLS_IS_PO_VIEW (self));
  g_return_if_fail (passages != NULL || n_passages == 0);

  g_array_set_size (self->passages, 0);
  for (guint i = 0; i < n_passages; i++)
    {
      Passage p = { 0 };

      if (passages[i].id == NULL || passages[i].start < 0 || passages[i].end < passages[i].start)
        continue;

      p.id = g_strdup (passages[i].id);
      p.preview = g_strdup (passages[i].preview);
      p.number = passages[i].number;
      p.start = passages[i].start;
      p.end = passages[i].end;
      p.resolved = passages[i].resolved;
      p.suggestion = passages[i].suggestion;
      p.message = -1;
      g_array_append_val (self->passages, p);
    }

  place_passages (self);
  refresh_rows (self);
}

guint
gls_po_view_get_n_passages (GlsPoView *self)
{
  g_return_val_if_fail (GLS_IS_PO_VIEW (self), 0);

  return self->passages->len;
}

const char *
gls_po_view_get_selected (GlsPoView *self)
{
  g_return_val_if_fail (GLS_IS_PO_VIEW (self), NULL);

  return self->selected;
}

void
gls_po_view_set_selected (GlsPoView  *self,
                          const char *id)
{
  g_return_if_fail (GLS_IS_PO_VIEW (self));

  if (g_strcmp0 (self->selected, id) == 0)
    return;

  g_free (self->selected);
  self->selected = g_strdup (id);
  refresh_rows (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SELECTED]);
}

gint
gls_po_view_get_passage_message (GlsPoView  *self,
                                 const char *id)
{
  const Passage *p;

  g_return_val_if_fail (GLS_IS_PO_VIEW (self), -1);

  p = find_passage (self, id);
  return p != NULL ? p->message : -1;
}

void
gls_po_view_reveal (GlsPoView  *self,
                    const char *id)
{
  const Passage *p;

  g_return_if_fail (GLS_IS_PO_VIEW (self));

  p = find_passage (self, id);
  if (p == NULL || p->message < 0)
    return;

  gls_po_view_select_message (self, p->message);
}

const char *
gls_po_view_get_filter (GlsPoView *self)
{
  g_return_val_if_fail (GLS_IS_PO_VIEW (self), NULL);

  return filter_names[self->filter_kind];
}

void
gls_po_view_set_filter (GlsPoView  *self,
                        const char *filter)
{
  Filter kind = FILTER_ALL;
  gint selected;

  g_return_if_fail (GLS_IS_PO_VIEW (self));

  for (guint i = 0; filter != NULL && i < G_N_ELEMENTS (filter_names); i++)
    if (g_str_equal (filter, filter_names[i]))
      kind = i;

  if (self->filter_kind == kind)
    return;

  selected = gls_po_view_get_selected_message (self);
  self->filter_kind = kind;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);

  /* Keep the message the translator was on when the filter still shows it. */
  if (selected >= 0)
    {
      guint position = position_of (self, selected);

      if (position != GTK_INVALID_LIST_POSITION)
        gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
    }

  update_page (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FILTER]);
}

guint
gls_po_view_get_n_visible (GlsPoView *self)
{
  g_return_val_if_fail (GLS_IS_PO_VIEW (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

gint
gls_po_view_get_visible_index (GlsPoView *self,
                               guint      position)
{
  g_return_val_if_fail (GLS_IS_PO_VIEW (self), -1);

  return item_index_at (G_LIST_MODEL (self->filtered), position);
}

gint
gls_po_view_get_selected_message (GlsPoView *self)
{
  g_return_val_if_fail (GLS_IS_PO_VIEW (self), -1);

  if (self->file == NULL)
    return -1;

  return item_index_at (G_LIST_MODEL (self->filtered),
                        gtk_single_selection_get_selected (self->selection));
}

void
gls_po_view_select_message (GlsPoView *self,
                            guint      index)
{
  guint position;

  g_return_if_fail (GLS_IS_PO_VIEW (self));

  if (self->file == NULL)
    return;

  position = position_of (self, index);
  if (position == GTK_INVALID_LIST_POSITION && self->filter_kind != FILTER_ALL)
    {
      gls_po_view_set_filter (self, "all");
      position = position_of (self, index);
    }
  if (position == GTK_INVALID_LIST_POSITION)
    return;

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
}

gboolean
gls_po_view_get_can_comment (GlsPoView *self)
{
  g_return_val_if_fail (GLS_IS_PO_VIEW (self), FALSE);

  return self->file != NULL && gls_po_file_has_spans (self->file) &&
         gls_po_view_get_selected_message (self) >= 0;
}

gboolean
gls_po_view_comment (GlsPoView *self)
{
  g_return_val_if_fail (GLS_IS_PO_VIEW (self), FALSE);

  return open_composer (self, FALSE);
}

gboolean
gls_po_view_suggest (GlsPoView *self)
{
  g_return_val_if_fail (GLS_IS_PO_VIEW (self), FALSE);

  return open_composer (self, TRUE);
}

char *
gls_po_view_describe_message (GlsPoFile *file,
                              gint64     offset,
                              guint      max_chars)
{
  const GlsPoMessage *message;
  const char *context;
  g_autofree char *flat = NULL;
  gint index;

  g_return_val_if_fail (GLS_IS_PO_FILE (file), NULL);

  index = gls_po_file_message_at (file, offset);
  if (index < 0)
    return NULL;

  message = gls_po_file_get_message (file, index);
  flat = g_strdup (gls_po_message_get_msgid (message));
  for (char *p = flat; *p; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';
  g_strstrip (flat);

  if (max_chars > 0 && (guint) g_utf8_strlen (flat, -1) > max_chars)
    {
      g_autofree char *head = g_utf8_substring (flat, 0, max_chars);

      g_strchomp (head);
      g_free (flat);
      flat = g_strconcat (head, "…", NULL);
    }

  context = gls_po_message_get_msgctxt (message);
  if (context != NULL && context[0] != '\0')
    /* Translators: a message of a PO file by its context and its source, "menu | Open" */
    return g_strdup_printf (_("%s | %s"), context, flat);

  return g_steal_pointer (&flat);
}

char *
gls_po_view_describe_passage (GlsPoView  *self,
                              const char *id,
                              guint       max_chars)
{
  const Passage *p;

  g_return_val_if_fail (GLS_IS_PO_VIEW (self), NULL);

  p = find_passage (self, id);
  if (p == NULL || self->file == NULL)
    return NULL;

  return gls_po_view_describe_message (self->file, p->start, max_chars);
}

/* For the tests */

GtkGridView *
_gls_po_view_get_list_view (GlsPoView *self)
{
  return self->list_view;
}

GtkScrolledWindow *
_gls_po_view_get_scroller (GlsPoView *self)
{
  return self->scroller;
}

GlsCommentPopover *
_gls_po_view_get_popover (GlsPoView *self)
{
  return self->popover;
}

GlsPoMessageRow *
_gls_po_view_get_row (GlsPoView *self,
                      guint      index)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GlsPoMessageRow *row = g_ptr_array_index (self->rows, i);

      if (gls_po_message_row_get_index (row) == (gint) index)
        return row;
    }

  return NULL;
}

const char *
_gls_po_view_get_count_label (GlsPoView  *self,
                              const char *filter)
{
  if (g_strcmp0 (filter, "untranslated") == 0)
    return gtk_label_get_text (self->untranslated_count);
  if (g_strcmp0 (filter, "fuzzy") == 0)
    return gtk_label_get_text (self->fuzzy_count);
  return gtk_label_get_text (self->all_count);
}

const char *
_gls_po_view_get_page (GlsPoView *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}
