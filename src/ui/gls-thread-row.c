/* gls-thread-row.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-thread-row"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-thread-row.h"

struct _GlsThreadRow
{
  GtkWidget  parent_instance;

  GlsThread *thread;
  char      *summary;

  GtkLabel  *number_label;
  GtkLabel  *author_label;
  GtkLabel  *page_label;
  GtkImage  *resolved_icon;
  GtkLabel  *quote_label;
  GtkLabel  *text_label;
  GtkWidget *replies_box;
  GtkLabel  *replies_label;
};

G_DEFINE_FINAL_TYPE (GlsThreadRow, gls_thread_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_THREAD,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

char *
gls_thread_first_line (const char *text)
{
  g_auto(GStrv) lines = NULL;

  if (text == NULL)
    return g_strdup ("");

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] != '\0')
        return g_strdup (lines[i]);
    }

  return g_strdup ("");
}

/* A text thread's passage on one line: what it quoted, in quotes. */
static char *
quote_for (GlsThread *thread)
{
  const GlsSelector *selector = gls_thread_get_selector (thread);
  g_autofree char *flat = NULL;

  if (selector == NULL || selector->kind != GLS_SELECTOR_TEXT || selector->exact == NULL)
    return NULL;

  flat = g_strdup (selector->exact);
  for (char *p = flat; *p; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';
  g_strstrip (flat);
  if (*flat == '\0')
    return NULL;

  /* Translators: a quoted passage of a text, in the threads list */
  return g_strdup_printf (_("“%s”"), flat);
}

static void
update (GlsThreadRow *self)
{
  g_autofree char *number = NULL;
  g_autofree char *first_line = NULL;
  g_autofree char *replies = NULL;
  g_autofree char *page = NULL;
  g_autofree char *page_long = NULL;
  g_autofree char *quote = NULL;
  const char *author;
  gboolean resolved;
  guint n_replies;

  g_clear_pointer (&self->summary, g_free);

  if (self->thread == NULL)
    {
      gtk_label_set_label (self->number_label, "");
      gtk_label_set_label (self->author_label, "");
      gtk_label_set_label (self->text_label, "");
      gtk_widget_set_visible (self->replies_box, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->page_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->resolved_icon), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->quote_label), FALSE);
      return;
    }

  number = g_strdup_printf ("%u", gls_thread_get_number (self->thread));
  gtk_label_set_label (self->number_label, number);

  author = gls_thread_get_author_name (self->thread);
  if (author == NULL || *author == '\0')
    author = _("Anonymous");

  if (gls_thread_get_placeholder (self->thread))
    {
      first_line = g_strdup (_("Deleted comment"));
      gtk_label_set_label (self->author_label, "");
      gtk_widget_add_css_class (GTK_WIDGET (self->text_label), "dim-label");
    }
  else
    {
      first_line = gls_thread_first_line (gls_thread_get_text (self->thread));
      gtk_label_set_label (self->author_label, author);
      gtk_widget_remove_css_class (GTK_WIDGET (self->text_label), "dim-label");
    }
  gtk_label_set_label (self->text_label, first_line);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->text_label), gls_thread_get_text (self->thread));

  if (gls_thread_get_page (self->thread) > 0)
    {
      /* Translators: a PDF page number in the threads list */
      page = g_strdup_printf (_("p. %u"), gls_thread_get_page (self->thread));
      /* Translators: the same, in a thread's spoken summary */
      page_long = g_strdup_printf (_("page %u"), gls_thread_get_page (self->thread));
      gtk_label_set_label (self->page_label, page);
      gtk_widget_set_visible (GTK_WIDGET (self->page_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->page_label), FALSE);

  quote = quote_for (self->thread);
  gtk_label_set_label (self->quote_label, quote ? quote : "");
  gtk_widget_set_visible (GTK_WIDGET (self->quote_label), quote != NULL);

  n_replies = gls_thread_get_reply_count (self->thread);
  replies = g_strdup_printf (ngettext ("%u reply", "%u replies", n_replies), n_replies);
  gtk_label_set_label (self->replies_label, replies);
  gtk_widget_set_visible (self->replies_box, n_replies > 0);

  resolved = gls_thread_get_resolved (self->thread);
  gtk_widget_set_visible (GTK_WIDGET (self->resolved_icon), resolved);
  if (resolved)
    gtk_widget_add_css_class (GTK_WIDGET (self), "resolved");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "resolved");

  /* What a screen reader says for the row, and what tests look at. */
  {
    GString *summary = g_string_new (NULL);

    /* Translators: the start of a thread's spoken summary, with its number */
    g_string_append_printf (summary, _("Comment %s"), number);
    if (!gls_thread_get_placeholder (self->thread))
      g_string_append_printf (summary, ", %s", author);
    if (gls_thread_get_page (self->thread) > 0)
      g_string_append_printf (summary, ", %s", page_long);
    if (quote != NULL)
      /* Translators: in a thread's spoken summary: the passage it is on */
      g_string_append_printf (summary, _(", on %s"), quote);
    g_string_append_printf (summary, ": %s. ", first_line);
    if (n_replies > 0)
      g_string_append_printf (summary, "%s. ", replies);
    g_string_append (summary, resolved ? _("Resolved") : _("Open"));

    self->summary = g_string_free (summary, FALSE);
  }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->summary,
                                  -1);
}

static void
gls_thread_row_dispose (GObject *object)
{
  GlsThreadRow *self = (GlsThreadRow *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), GLS_TYPE_THREAD_ROW);
  /* The unnamed box is not a template child, so it is not unparented. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->thread);

  G_OBJECT_CLASS (gls_thread_row_parent_class)->dispose (object);
}

static void
gls_thread_row_finalize (GObject *object)
{
  GlsThreadRow *self = (GlsThreadRow *)object;

  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (gls_thread_row_parent_class)->finalize (object);
}

static void
gls_thread_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GlsThreadRow *self = GLS_THREAD_ROW (object);

  switch (prop_id)
    {
    case PROP_THREAD:
      g_value_set_object (value, self->thread);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_thread_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  GlsThreadRow *self = GLS_THREAD_ROW (object);

  switch (prop_id)
    {
    case PROP_THREAD:
      gls_thread_row_set_thread (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_thread_row_class_init (GlsThreadRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gls_thread_row_dispose;
  object_class->finalize = gls_thread_row_finalize;
  object_class->get_property = gls_thread_row_get_property;
  object_class->set_property = gls_thread_row_set_property;

  properties [PROP_THREAD] =
    g_param_spec_object ("thread", NULL, NULL,
                         GLS_TYPE_THREAD,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/glossa/Glossa/gls-thread-row.ui");
  gtk_widget_class_bind_template_child (widget_class, GlsThreadRow, number_label);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadRow, author_label);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadRow, page_label);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadRow, resolved_icon);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadRow, quote_label);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadRow, text_label);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadRow, replies_box);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadRow, replies_label);
  gtk_widget_class_set_css_name (widget_class, "threadrow");
}

static void
gls_thread_row_init (GlsThreadRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
gls_thread_row_new (void)
{
  return g_object_new (GLS_TYPE_THREAD_ROW, NULL);
}

GlsThread *
gls_thread_row_get_thread (GlsThreadRow *self)
{
  g_return_val_if_fail (GLS_IS_THREAD_ROW (self), NULL);

  return self->thread;
}

void
gls_thread_row_set_thread (GlsThreadRow *self,
                           GlsThread    *thread)
{
  g_return_if_fail (GLS_IS_THREAD_ROW (self));
  g_return_if_fail (!thread || GLS_IS_THREAD (thread));

  if (g_set_object (&self->thread, thread))
    {
      update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_THREAD]);
    }
}

const char *
gls_thread_row_get_summary (GlsThreadRow *self)
{
  g_return_val_if_fail (GLS_IS_THREAD_ROW (self), NULL);

  return self->summary;
}
