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

  GlsThread     *thread;
  GlsThreadNote *note;
  char          *summary;
  gboolean       unread;

  GtkLabel  *number_label;
  GtkLabel  *unread_label;
  GtkLabel  *author_label;
  GtkLabel  *page_label;
  GtkImage  *resolved_icon;
  GtkLabel  *version_label;
  GtkImage  *failure_icon;
  GtkLabel  *decision_label;
  GtkLabel  *change_label;
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

GlsThreadNote *
gls_thread_note_copy (const GlsThreadNote *note)
{
  GlsThreadNote *copy;

  if (note == NULL)
    return NULL;

  copy = g_new0 (GlsThreadNote, 1);
  copy->version = note->version;
  copy->state = note->state;
  copy->now = g_strdup (note->now);
  copy->failure = g_strdup (note->failure);
  copy->message = g_strdup (note->message);
  copy->compared = note->compared;
  copy->change = note->change;

  return copy;
}

void
gls_thread_note_free (GlsThreadNote *note)
{
  if (note == NULL)
    return;

  g_free (note->now);
  g_free (note->failure);
  g_free (note->message);
  g_free (note);
}

/* On one line: line breaks and tabs as spaces, no space around. */
static char *
flatten (const char *text)
{
  char *flat = g_strdup (text ? text : "");

  for (char *p = flat; *p; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';

  return g_strstrip (flat);
}

char *
gls_thread_suggestion_markup (const char *old,
                              const char *new_text,
                              gboolean    one_line)
{
  g_autofree char *old_flat = one_line ? flatten (old) : g_strdup (old ? old : "");
  g_autofree char *new_flat = one_line ? flatten (new_text) : g_strdup (new_text ? new_text : "");
  g_autofree char *old_escaped = g_markup_escape_text (old_flat, -1);
  g_autofree char *new_escaped = g_markup_escape_text (new_flat, -1);

  /* Tints rather than colours of text, so they read in light and dark. */
  if (*new_flat == '\0')
    return g_strdup_printf ("<span strikethrough=\"true\" bgcolor=\"#e01b24\" bgalpha=\"20%%\">%s</span>",
                            old_escaped);

  return g_strdup_printf ("<span strikethrough=\"true\" bgcolor=\"#e01b24\" bgalpha=\"20%%\">%s</span>"
                          "%s"
                          "<span underline=\"single\" bgcolor=\"#2ec27e\" bgalpha=\"24%%\">%s</span>",
                          old_escaped, one_line ? " " : "\n", new_escaped);
}

char *
gls_thread_suggestion_description (const char *old,
                                   const char *new_text)
{
  if (new_text == NULL || *new_text == '\0')
    /* Translators: a suggestion to delete a passage, as a screen reader says it */
    return g_strdup_printf (_("Delete “%s”"), old ? old : "");

  /* Translators: a suggested change, as a screen reader says it */
  return g_strdup_printf (_("Replace “%s” with “%s”"), old ? old : "", new_text);
}

const char *
gls_thread_decision_label (GlsThread *thread)
{
  switch (gls_thread_get_decision (thread))
    {
    case GLS_DECISION_ACCEPTED:
      /* Translators: the decision on a suggestion */
      return _("Accepted");
    case GLS_DECISION_DECLINED:
      /* Translators: the decision on a suggestion */
      return _("Declined");
    case GLS_DECISION_NONE:
    default:
      return NULL;
    }
}

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

static gboolean
is_suggestion (GlsThread *thread)
{
  const GlsSelector *selector = gls_thread_get_selector (thread);

  return gls_thread_is_suggestion (thread) && !gls_thread_get_placeholder (thread) &&
         selector != NULL && selector->kind == GLS_SELECTOR_TEXT && selector->exact != NULL;
}

static void
set_class (GtkWidget  *widget,
           const char *name,
           gboolean    set)
{
  if (set)
    gtk_widget_add_css_class (widget, name);
  else
    gtk_widget_remove_css_class (widget, name);
}

/* "Changed" / "Unchanged" on a carried image thread that was compared. */
static const char *
change_label (const GlsThreadNote *note)
{
  if (note == NULL || !note->compared)
    return NULL;

  switch (note->change)
    {
    case GLS_CHANGE_CHANGED:
      /* Translators: a mark on a thread of an earlier version: the design changed under it */
      return C_("design", "Changed");
    case GLS_CHANGE_UNCHANGED:
      /* Translators: a mark on a thread of an earlier version: the design did not change under it */
      return C_("design", "Unchanged");
    case GLS_CHANGE_UNKNOWN:
    default:
      return NULL;
    }
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
  g_autofree char *markup = NULL;
  g_autofree char *description = NULL;
  g_autofree char *version = NULL;
  const char *author;
  const char *decision = NULL;
  const char *change = NULL;
  GlsThreadNote *note = self->note;
  gboolean resolved;
  gboolean suggestion;
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
      gtk_widget_set_visible (GTK_WIDGET (self->version_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->failure_icon), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->decision_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->change_label), FALSE);
      set_class (GTK_WIDGET (self), "carried", FALSE);
      return;
    }

  suggestion = is_suggestion (self->thread);

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
  if (suggestion)
    {
      const char *old = gls_thread_get_selector (self->thread)->exact;

      markup = gls_thread_suggestion_markup (old, gls_thread_get_text (self->thread), TRUE);
      description = gls_thread_suggestion_description (old, gls_thread_get_text (self->thread));
      gtk_label_set_markup (self->text_label, markup);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->text_label), description);
    }
  else
    {
      /* Plain again (a recycled row may have shown a suggestion). */
      gtk_label_set_text (self->text_label, first_line);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->text_label), gls_thread_get_text (self->thread));
    }

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
  /* On a PO file: the message it is on, rather than its raw quote. */
  if (note != NULL && note->message != NULL && quote != NULL)
    {
      g_free (quote);
      /* Translators: the PO message a thread is on, in the threads list */
      quote = g_strdup_printf (_("on “%s”"), note->message);
    }
  if (note != NULL && note->state == GLS_ANCHOR_CHANGED && quote != NULL)
    {
      g_autofree char *now = flatten (note->now);
      /* Translators: a passage that changed in a later version: its old words, then the new, in the threads list */
      g_autofree char *changed = g_strdup_printf (_("%s → “%s”"), quote, now);

      gtk_label_set_label (self->quote_label, changed);
      gtk_widget_set_visible (GTK_WIDGET (self->quote_label), TRUE);
    }
  else
    {
      gtk_label_set_label (self->quote_label, quote ? quote : "");
      /* A suggestion shows its passage struck through already. */
      gtk_widget_set_visible (GTK_WIDGET (self->quote_label), quote != NULL && !suggestion);
    }

  if (note != NULL && note->version > 0)
    {
      g_autofree char *tooltip = NULL;

      /* Translators: a badge on a thread made on an earlier version of a text, "v1" */
      version = g_strdup_printf (_("v%u"), note->version);
      /* Translators: the tooltip of the "v1" badge */
      tooltip = g_strdup_printf (_("Made on version %u"), note->version);
      gtk_label_set_label (self->version_label, version);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->version_label), tooltip);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->version_label), version != NULL);
  set_class (GTK_WIDGET (self), "carried", version != NULL);

  /* Whether the design changed under a carried image thread. */
  change = change_label (note);
  gtk_label_set_label (self->change_label, change ? change : "");
  gtk_widget_set_visible (GTK_WIDGET (self->change_label), change != NULL);
  set_class (GTK_WIDGET (self->change_label), "changed",
             note != NULL && note->compared && note->change == GLS_CHANGE_CHANGED);
  if (change != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->change_label),
                                 note->change == GLS_CHANGE_CHANGED
                                 ? _("The design changed here since the version it was made on")
                                 : _("The design is the same here as on the version it was made on"));

  gtk_widget_set_visible (GTK_WIDGET (self->failure_icon), note != NULL && note->failure != NULL);
  if (note != NULL && note->failure != NULL)
    {
      /* Translators: the tooltip of a warning on a suggestion that could not be applied, with the reason */
      g_autofree char *tooltip = g_strdup_printf (_("Not applied: %s"), note->failure);

      gtk_widget_set_tooltip_text (GTK_WIDGET (self->failure_icon), tooltip);
    }

  decision = suggestion ? gls_thread_decision_label (self->thread) : NULL;
  gtk_label_set_label (self->decision_label, decision ? decision : "");
  gtk_widget_set_visible (GTK_WIDGET (self->decision_label), decision != NULL);
  set_class (GTK_WIDGET (self->decision_label), "accepted",
             suggestion && gls_thread_get_decision (self->thread) == GLS_DECISION_ACCEPTED);
  set_class (GTK_WIDGET (self->decision_label), "declined",
             suggestion && gls_thread_get_decision (self->thread) == GLS_DECISION_DECLINED);
  set_class (GTK_WIDGET (self), "suggestion", suggestion);

  n_replies = gls_thread_get_reply_count (self->thread);
  replies = g_strdup_printf (ngettext ("%u reply", "%u replies", n_replies), n_replies);
  gtk_label_set_label (self->replies_label, replies);
  gtk_widget_set_visible (self->replies_box, n_replies > 0);

  gtk_widget_set_visible (GTK_WIDGET (self->unread_label), self->unread);
  resolved = gls_thread_get_resolved (self->thread);
  gtk_widget_set_visible (GTK_WIDGET (self->resolved_icon), resolved && decision == NULL);
  if (resolved)
    gtk_widget_add_css_class (GTK_WIDGET (self), "resolved");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "resolved");

  /* What a screen reader says for the row, and what tests look at. */
  {
    GString *summary = g_string_new (NULL);

    if (suggestion)
      /* Translators: the start of a suggestion's spoken summary, with its number */
      g_string_append_printf (summary, _("Suggestion %s"), number);
    else
      /* Translators: the start of a thread's spoken summary, with its number */
      g_string_append_printf (summary, _("Comment %s"), number);
    if (note != NULL && note->version > 0)
      /* Translators: in a thread's spoken summary: the version of the text it was made on */
      g_string_append_printf (summary, _(" (version %u)"), note->version);
    if (!gls_thread_get_placeholder (self->thread))
      g_string_append_printf (summary, ", %s", author);
    if (gls_thread_get_page (self->thread) > 0)
      g_string_append_printf (summary, ", %s", page_long);
    if (suggestion)
      g_string_append_printf (summary, ": %s. ", description);
    else
      {
        if (quote != NULL)
          /* Translators: in a thread's spoken summary: the passage it is on */
          g_string_append_printf (summary, _(", on %s"), quote);
        g_string_append_printf (summary, ": %s. ", first_line);
      }
    if (note != NULL && note->state == GLS_ANCHOR_CHANGED && note->now != NULL)
      /* Translators: in a thread's spoken summary: what its passage says now */
      g_string_append_printf (summary, _("The passage now reads “%s”. "), note->now);
    else if (note != NULL && note->state == GLS_ANCHOR_ORPHANED)
      g_string_append (summary, _("Its passage is gone from this version. "));
    if (change != NULL)
      g_string_append (summary, note->change == GLS_CHANGE_CHANGED
                       /* Translators: in a carried thread's spoken summary */
                       ? _("The design changed here. ")
                       /* Translators: in a carried thread's spoken summary */
                       : _("The design did not change here. "));
    if (note != NULL && note->failure != NULL)
      /* Translators: in a suggestion's spoken summary: why it was not applied */
      g_string_append_printf (summary, _("Not applied: %s. "), note->failure);
    if (n_replies > 0)
      g_string_append_printf (summary, "%s. ", replies);
    if (self->unread)
      /* Translators: in a thread's spoken summary */
      g_string_append (summary, _("New activity. "));
    if (decision != NULL)
      g_string_append (summary, decision);
    else
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
  g_clear_pointer (&self->note, gls_thread_note_free);

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
  gtk_widget_class_bind_template_child (widget_class, GlsThreadRow, unread_label);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadRow, author_label);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadRow, page_label);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadRow, resolved_icon);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadRow, version_label);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadRow, failure_icon);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadRow, decision_label);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadRow, change_label);
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

void
gls_thread_row_set_note (GlsThreadRow        *self,
                         const GlsThreadNote *note)
{
  g_return_if_fail (GLS_IS_THREAD_ROW (self));

  if (note == NULL && self->note == NULL)
    return;

  g_clear_pointer (&self->note, gls_thread_note_free);
  self->note = gls_thread_note_copy (note);
  update (self);
}

const char *
gls_thread_row_get_summary (GlsThreadRow *self)
{
  g_return_val_if_fail (GLS_IS_THREAD_ROW (self), NULL);

  return self->summary;
}

void
gls_thread_row_set_unread (GlsThreadRow *self,
                           gboolean      unread)
{
  g_return_if_fail (GLS_IS_THREAD_ROW (self));

  unread = !!unread;
  if (self->unread == unread)
    return;
  self->unread = unread;
  if (self->thread != NULL)
    update (self);
}

gboolean
gls_thread_row_get_unread (GlsThreadRow *self)
{
  g_return_val_if_fail (GLS_IS_THREAD_ROW (self), FALSE);

  return self->unread;
}
