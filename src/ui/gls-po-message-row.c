/* gls-po-message-row.c: one message of a PO file in the message list
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-po-view"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-po-message-row.h"

#define PREVIEW_CHARS   120
#define COLUMNS_SPACING 24

typedef struct
{
  GtkWidget *box;
  GtkLabel  *caption;
  GtkLabel  *label;
} Form;

struct _GlsPoMessageRow
{
  GtkWidget  parent_instance;

  GlsPoFile *file;
  gint       index;
  GPtrArray *forms;       /* Form, reused across messages */
  guint      n_forms;     /* shown */
  guint      focus_form;
  guint      n_threads;

  /* Template widgets */
  GtkWidget *box;
  GtkWidget *columns;
  GtkLabel  *context_label;
  GtkWidget *singular_caption;
  GtkLabel  *msgid_label;
  GtkWidget *plural_caption;
  GtkLabel  *msgid_plural_label;
  GtkLabel  *comments_label;
  GtkLabel  *notes_label;
  GtkWidget *translation_box;
  GtkWidget *badge;
  GtkImage  *badge_icon;
  GtkLabel  *badge_label;
  GtkWidget *forms_box;
  GtkWidget *threads_box;
};

G_DEFINE_FINAL_TYPE (GlsPoMessageRow, gls_po_message_row, GTK_TYPE_WIDGET)

enum {
  THREAD_ACTIVATED,
  TRANSLATION_FOCUSED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* Source and translation in two equal columns. A homogeneous GtkBox
 * gives the same, at three times the cost of measuring a row (its
 * height for a width asks every child for sizes it then overrides),
 * and the list measures rows as it scrolls. */

static GtkSizeRequestMode
columns_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
columns_measure (GtkWidget      *widget,
                 GtkOrientation  orientation,
                 int             for_size,
                 int            *minimum,
                 int            *natural,
                 int            *minimum_baseline,
                 int            *natural_baseline)
{
  int child_for_size = -1;

  *minimum = *natural = 0;
  if (orientation == GTK_ORIENTATION_VERTICAL && for_size >= 0)
    child_for_size = MAX (0, (for_size - COLUMNS_SPACING) / 2);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min, child_nat;

      if (!gtk_widget_should_layout (child))
        continue;

      gtk_widget_measure (child, orientation, child_for_size, &child_min, &child_nat, NULL, NULL);
      *minimum = MAX (*minimum, child_min);
      *natural = MAX (*natural, child_nat);
    }

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 2 * *minimum + COLUMNS_SPACING;
      *natural = 2 * *natural + COLUMNS_SPACING;
    }
}

static void
columns_allocate (GtkWidget *widget,
                  int        width,
                  int        height,
                  int        baseline)
{
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int column = MAX (0, (width - COLUMNS_SPACING) / 2);
  guint i = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int x;

      if (!gtk_widget_should_layout (child))
        continue;

      x = (i == 0) != rtl ? 0 : width - column;
      gtk_widget_size_allocate (child, &(GtkAllocation) { x, 0, column, height }, -1);
      i++;
    }
}

static void
set_text (GtkLabel   *label,
          const char *text)
{
  gboolean shown = text != NULL && text[0] != '\0';

  gtk_label_set_text (label, shown ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), shown);
}

static void
form_focus_enter_cb (GtkEventControllerFocus *controller,
                     GlsPoMessageRow         *self)
{
  GtkWidget *label = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  for (guint i = 0; i < self->forms->len; i++)
    {
      Form *form = g_ptr_array_index (self->forms, i);

      if (GTK_WIDGET (form->label) == label)
        self->focus_form = i;
    }

  g_signal_emit (self, signals [TRANSLATION_FOCUSED], 0);
}

static Form *
form_new (GlsPoMessageRow *self)
{
  Form *form = g_new0 (Form, 1);
  GtkEventController *focus;

  form->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  form->caption = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (form->caption, 0);
  gtk_widget_add_css_class (GTK_WIDGET (form->caption), "caption-heading");
  gtk_widget_add_css_class (GTK_WIDGET (form->caption), "dim-label");
  form->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (form->label, 0);
  gtk_label_set_wrap (form->label, TRUE);
  gtk_label_set_wrap_mode (form->label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_width_chars (form->label, 12);
  gtk_label_set_max_width_chars (form->label, 60);
  gtk_widget_add_css_class (GTK_WIDGET (form->label), "po-translation");
  gtk_box_append (GTK_BOX (form->box), GTK_WIDGET (form->caption));
  gtk_box_append (GTK_BOX (form->box), GTK_WIDGET (form->label));
  gtk_box_append (GTK_BOX (self->forms_box), form->box);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "enter", G_CALLBACK (form_focus_enter_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (form->label), focus);

  return form;
}

static void
show_form (GlsPoMessageRow    *self,
           guint               i,
           const GlsPoMessage *message,
           gboolean            plural)
{
  Form *form;
  const char *text = i < gls_po_message_get_n_forms (message)
                     ? gls_po_message_get_msgstr (message, i) : NULL;
  gboolean empty = text == NULL || text[0] == '\0';

  while (self->forms->len <= i)
    g_ptr_array_add (self->forms, form_new (self));
  form = g_ptr_array_index (self->forms, i);

  gtk_widget_set_visible (form->box, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (form->caption), plural);
  if (plural)
    {
      /* Translators: the caption of one plural form of a translation, "Form 1" */
      g_autofree char *caption = g_strdup_printf (_("Form %u"), i + 1);

      gtk_label_set_text (form->caption, caption);
    }

  /* The text as the file means it, so a selection's offsets are offsets
   * in the value; an empty form says so instead. */
  gtk_label_set_selectable (form->label, !empty);
  if (empty)
    {
      gtk_label_set_text (form->label, text == NULL ? _("Missing") : _("Not translated yet"));
      gtk_widget_add_css_class (GTK_WIDGET (form->label), "po-empty");
    }
  else
    {
      gtk_label_set_text (form->label, text);
      gtk_widget_remove_css_class (GTK_WIDGET (form->label), "po-empty");
    }
}

static void
update_badge (GlsPoMessageRow    *self,
              const GlsPoMessage *message)
{
  switch (gls_po_message_get_state (message))
    {
    case GLS_PO_STATE_FUZZY:
      gtk_image_set_from_icon_name (self->badge_icon, "dialog-question-symbolic");
      /* Translators: the state of a translation marked fuzzy (as the filter names it) */
      gtk_label_set_text (self->badge_label, _("Fuzzy"));
      gtk_widget_set_tooltip_text (self->badge, _("Marked fuzzy: the translation needs a review"));
      gtk_widget_remove_css_class (self->badge, "untranslated");
      gtk_widget_add_css_class (self->badge, "fuzzy");
      gtk_widget_set_visible (self->badge, TRUE);
      break;

    case GLS_PO_STATE_UNTRANSLATED:
      gtk_image_set_from_icon_name (self->badge_icon, "emblem-important-symbolic");
      gtk_label_set_text (self->badge_label, _("Untranslated"));
      gtk_widget_set_tooltip_text (self->badge, _("Not translated yet"));
      gtk_widget_remove_css_class (self->badge, "fuzzy");
      gtk_widget_add_css_class (self->badge, "untranslated");
      gtk_widget_set_visible (self->badge, TRUE);
      break;

    case GLS_PO_STATE_TRANSLATED:
    default:
      gtk_widget_set_visible (self->badge, FALSE);
    }
}

/* References and flags (but fuzzy, which the badge says) on a line. */
static char *
notes_for (const GlsPoMessage *message)
{
  const char * const *references = gls_po_message_get_references (message);
  const char * const *flags = gls_po_message_get_flags (message);
  g_autofree char *extracted = g_strchomp (g_strdup (gls_po_message_get_extracted_comments (message)));
  GString *notes = g_string_new (extracted);
  GString *line = g_string_new (NULL);

  for (guint i = 0; references != NULL && references[i] != NULL; i++)
    g_string_append_printf (line, "%s%s", line->len > 0 ? " " : "", references[i]);

  for (guint i = 0, n = 0; flags != NULL && flags[i] != NULL; i++)
    {
      if (g_str_equal (flags[i], "fuzzy"))
        continue;
      /* Translators: separates the references of a message from its flags */
      g_string_append_printf (line, "%s%s", n == 0 ? (line->len > 0 ? _(" · ") : "") : ", ", flags[i]);
      n++;
    }

  if (line->len > 0)
    g_string_append_printf (notes, "%s%s", notes->len > 0 ? "\n" : "", line->str);
  g_string_free (line, TRUE);

  return g_string_free (notes, FALSE);
}

void
gls_po_message_row_set_message (GlsPoMessageRow *self,
                                GlsPoFile       *file,
                                guint            index)
{
  const GlsPoMessage *message;
  const char *context;
  const char *plural;
  g_autofree char *notes = NULL;
  g_autofree char *comments = NULL;
  guint n_forms;
  gboolean is_plural;

  g_return_if_fail (GLS_IS_PO_MESSAGE_ROW (self));
  g_return_if_fail (file == NULL || GLS_IS_PO_FILE (file));

  g_set_object (&self->file, file);
  self->focus_form = 0;

  if (file == NULL || index >= gls_po_file_get_n_messages (file))
    {
      self->index = -1;
      for (guint i = 0; i < self->forms->len; i++)
        {
          Form *form = g_ptr_array_index (self->forms, i);

          gtk_label_set_text (form->label, "");
        }
      return;
    }

  self->index = index;
  message = gls_po_file_get_message (file, index);
  context = gls_po_message_get_msgctxt (message);
  plural = gls_po_message_get_msgid_plural (message);
  is_plural = plural != NULL;

  if (context != NULL)
    {
      /* Translators: a message's context (msgctxt) in the list of messages */
      g_autofree char *text = g_strdup_printf (_("Context: %s"), context);

      set_text (self->context_label, text);
    }
  else
    set_text (self->context_label, NULL);

  gtk_label_set_text (self->msgid_label, gls_po_message_get_msgid (message));
  gtk_widget_set_visible (self->singular_caption, is_plural);
  gtk_widget_set_visible (self->plural_caption, is_plural);
  set_text (self->msgid_plural_label, plural);

  /* libgettextpo ends each comment line with a line break. */
  comments = g_strchomp (g_strdup (gls_po_message_get_comments (message)));
  set_text (self->comments_label, comments);
  notes = notes_for (message);
  set_text (self->notes_label, notes);

  update_badge (self, message);

  /* A plural message shows as many forms as the header asks for, a
   * missing one as missing. */
  n_forms = gls_po_message_get_n_forms (message);
  if (is_plural)
    n_forms = MAX (n_forms, gls_po_file_get_nplurals (file));
  for (guint i = 0; i < n_forms; i++)
    show_form (self, i, message, is_plural);
  for (guint i = n_forms; i < self->forms->len; i++)
    {
      Form *form = g_ptr_array_index (self->forms, i);

      gtk_label_set_text (form->label, "");
      gtk_widget_set_visible (form->box, FALSE);
    }
  self->n_forms = n_forms;
}

gint
gls_po_message_row_get_index (GlsPoMessageRow *self)
{
  g_return_val_if_fail (GLS_IS_PO_MESSAGE_ROW (self), -1);

  return self->index;
}

void
gls_po_message_row_clear_threads (GlsPoMessageRow *self)
{
  GtkWidget *child;

  g_return_if_fail (GLS_IS_PO_MESSAGE_ROW (self));

  while ((child = gtk_widget_get_first_child (self->threads_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->threads_box), child);
  self->n_threads = 0;
}

static void
thread_clicked_cb (GtkButton       *button,
                   GlsPoMessageRow *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "gls-thread-id");

  g_signal_emit (self, signals [THREAD_ACTIVATED], 0, id);
}

void
gls_po_message_row_add_thread (GlsPoMessageRow *self,
                               const char      *id,
                               guint            number,
                               gboolean         resolved,
                               gboolean         suggestion,
                               gboolean         selected,
                               const char      *preview)
{
  g_autofree char *label = NULL;
  g_autofree char *tip = NULL;
  g_autofree char *short_preview = NULL;
  GtkWidget *button;

  g_return_if_fail (GLS_IS_PO_MESSAGE_ROW (self));
  g_return_if_fail (id != NULL);

  label = g_strdup_printf ("%u", number);
  button = gtk_button_new_with_label (label);
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "po-thread");
  if (resolved)
    gtk_widget_add_css_class (button, "resolved");
  if (suggestion)
    gtk_widget_add_css_class (button, "suggestion");
  if (selected)
    gtk_widget_add_css_class (button, "selected");

  if (preview != NULL && g_utf8_strlen (preview, -1) > PREVIEW_CHARS)
    {
      g_autofree char *head = g_utf8_substring (preview, 0, PREVIEW_CHARS);

      short_preview = g_strconcat (head, "…", NULL);
    }
  else
    short_preview = g_strdup (preview ? preview : "");

  if (suggestion)
    /* Translators: a tooltip on a thread's number on a message: the number and the text it suggests */
    tip = g_strdup_printf (_("Thread %u, a suggestion: “%s”"), number, short_preview);
  else if (resolved)
    /* Translators: a tooltip on a thread's number on a message: the number and its first comment */
    tip = g_strdup_printf (_("Thread %u (resolved): %s"), number, short_preview);
  else
    /* Translators: a tooltip on a thread's number on a message: the number and its first comment */
    tip = g_strdup_printf (_("Thread %u: %s"), number, short_preview);
  gtk_widget_set_tooltip_text (button, tip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tip,
                                  -1);

  g_object_set_data_full (G_OBJECT (button), "gls-thread-id", g_strdup (id), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (thread_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (self->threads_box), button);
  self->n_threads++;
}

guint
gls_po_message_row_get_n_threads (GlsPoMessageRow *self)
{
  g_return_val_if_fail (GLS_IS_PO_MESSAGE_ROW (self), 0);

  return self->n_threads;
}

GtkLabel *
gls_po_message_row_get_form_label (GlsPoMessageRow *self,
                                   guint            form)
{
  g_return_val_if_fail (GLS_IS_PO_MESSAGE_ROW (self), NULL);

  if (form >= self->n_forms || form >= self->forms->len)
    return NULL;

  return ((Form *) g_ptr_array_index (self->forms, form))->label;
}

static gboolean
label_selection (GlsPoMessageRow *self,
                 guint            i,
                 gint64          *start,
                 gint64          *end)
{
  GtkLabel *label = gls_po_message_row_get_form_label (self, i);
  int s, e;

  if (label == NULL || !gtk_label_get_selectable (label) ||
      !gtk_label_get_selection_bounds (label, &s, &e) || s == e)
    return FALSE;

  *start = MIN (s, e);
  *end = MAX (s, e);
  return TRUE;
}

gboolean
gls_po_message_row_get_selection (GlsPoMessageRow *self,
                                  guint           *form,
                                  gint64          *start,
                                  gint64          *end)
{
  g_return_val_if_fail (GLS_IS_PO_MESSAGE_ROW (self), FALSE);

  if (self->index < 0)
    return FALSE;

  if (label_selection (self, self->focus_form, start, end))
    {
      *form = self->focus_form;
      return TRUE;
    }

  for (guint i = 0; i < self->n_forms; i++)
    {
      if (label_selection (self, i, start, end))
        {
          *form = i;
          return TRUE;
        }
    }

  return FALSE;
}

guint
gls_po_message_row_get_focus_form (GlsPoMessageRow *self)
{
  g_return_val_if_fail (GLS_IS_PO_MESSAGE_ROW (self), 0);

  return self->focus_form < self->n_forms ? self->focus_form : 0;
}

static void
form_free (gpointer data)
{
  g_free (data);
}

static void
gls_po_message_row_dispose (GObject *object)
{
  GlsPoMessageRow *self = GLS_PO_MESSAGE_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), GLS_TYPE_PO_MESSAGE_ROW);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (gls_po_message_row_parent_class)->dispose (object);
}

static void
gls_po_message_row_finalize (GObject *object)
{
  GlsPoMessageRow *self = GLS_PO_MESSAGE_ROW (object);

  g_clear_pointer (&self->forms, g_ptr_array_unref);

  G_OBJECT_CLASS (gls_po_message_row_parent_class)->finalize (object);
}

static void
gls_po_message_row_class_init (GlsPoMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gls_po_message_row_dispose;
  object_class->finalize = gls_po_message_row_finalize;

  /**
   * GlsPoMessageRow::thread-activated:
   * @id: the thread's root annotation id
   */
  signals [THREAD_ACTIVATED] =
    g_signal_new ("thread-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * GlsPoMessageRow::translation-focused:
   */
  signals [TRANSLATION_FOCUSED] =
    g_signal_new ("translation-focused",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/gls-po-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, GlsPoMessageRow, box);
  gtk_widget_class_bind_template_child (widget_class, GlsPoMessageRow, columns);
  gtk_widget_class_bind_template_child (widget_class, GlsPoMessageRow, context_label);
  gtk_widget_class_bind_template_child (widget_class, GlsPoMessageRow, singular_caption);
  gtk_widget_class_bind_template_child (widget_class, GlsPoMessageRow, msgid_label);
  gtk_widget_class_bind_template_child (widget_class, GlsPoMessageRow, plural_caption);
  gtk_widget_class_bind_template_child (widget_class, GlsPoMessageRow, msgid_plural_label);
  gtk_widget_class_bind_template_child (widget_class, GlsPoMessageRow, comments_label);
  gtk_widget_class_bind_template_child (widget_class, GlsPoMessageRow, notes_label);
  gtk_widget_class_bind_template_child (widget_class, GlsPoMessageRow, translation_box);
  gtk_widget_class_bind_template_child (widget_class, GlsPoMessageRow, badge);
  gtk_widget_class_bind_template_child (widget_class, GlsPoMessageRow, badge_icon);
  gtk_widget_class_bind_template_child (widget_class, GlsPoMessageRow, badge_label);
  gtk_widget_class_bind_template_child (widget_class, GlsPoMessageRow, forms_box);
  gtk_widget_class_bind_template_child (widget_class, GlsPoMessageRow, threads_box);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pomessagerow");
}

static void
gls_po_message_row_init (GlsPoMessageRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (self->columns,
                                 gtk_custom_layout_new (columns_request_mode,
                                                        columns_measure,
                                                        columns_allocate));

  self->index = -1;
  self->forms = g_ptr_array_new_with_free_func (form_free);
}

GtkWidget *
gls_po_message_row_new (void)
{
  return g_object_new (GLS_TYPE_PO_MESSAGE_ROW, NULL);
}
