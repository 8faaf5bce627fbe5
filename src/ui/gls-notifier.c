/* gls-notifier.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-notifier"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "gls-notifier.h"

/* A notification shows a line or two. */
#define BODY_CHARS 160

struct _GlsNotifier
{
  GObject              parent_instance;

  GlsWorkspace        *workspace;
  GtkWindow           *window;     /* weak */
  GlsNotifierSendFunc  send;
  gpointer             send_data;
};

G_DEFINE_FINAL_TYPE (GlsNotifier, gls_notifier, G_TYPE_OBJECT)

static void
activity_cb (GlsNotifier *self,
             GPtrArray   *annotations)
{
  gls_notifier_consider (self, annotations);
}

static void
send_to_application (const char    *id,
                     GNotification *notification,
                     gpointer       user_data)
{
  GlsNotifier *self = user_data;
  GtkApplication *app = self->window != NULL ? gtk_window_get_application (self->window) : NULL;

  if (app != NULL)
    g_application_send_notification (G_APPLICATION (app), id, notification);
}

static GlsDesign *
design_of (GlsNotifier *self,
           const char  *source)
{
  GListModel *designs = gls_workspace_get_designs (self->workspace);

  for (guint i = 0, n = g_list_model_get_n_items (designs); i < n; i++)
    {
      g_autoptr(GlsDesign) design = g_list_model_get_item (designs, i);

      if (g_strcmp0 (gls_design_get_source (design), source) == 0)
        return g_steal_pointer (&design);
    }
  return NULL;
}

/* The name the author goes by: their profile's, else what they wrote. */
static char *
name_of (GlsNotifier   *self,
         GlsAnnotation *annotation)
{
  g_autoptr(GPtrArray) people = gls_workspace_list_people (self->workspace);
  const char *who = gls_annotation_get_authority (annotation);

  for (guint i = 0; i < people->len; i++)
    {
      GlsPerson *person = g_ptr_array_index (people, i);

      if (g_strcmp0 (gls_person_get_did (person), who) == 0)
        return g_strdup (gls_person_get_name (person));
    }
  if (gls_annotation_get_creator_name (annotation) != NULL && *gls_annotation_get_creator_name (annotation) != '\0')
    return g_strdup (gls_annotation_get_creator_name (annotation));
  return g_strdup (_("Someone"));
}

static char *
shorten (const char *text)
{
  g_autofree char *line = g_strdup (text != NULL ? text : "");
  char *newline = strchr (line, '\n');

  if (newline != NULL)
    *newline = '\0';
  if (g_utf8_strlen (line, -1) > BODY_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, BODY_CHARS);

      return g_strconcat (cut, "…", NULL);
    }
  return g_steal_pointer (&line);
}

/* One notification per thread: it replaces the thread's last one. */
static void
send_notification (GlsNotifier   *self,
                   GlsAnnotation *annotation,
                   gboolean       mentioned,
                   const char    *root_id,
                   const char    *source)
{
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *who = NULL;
  g_autofree char *title = NULL;
  g_autofree char *line = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;

  if (!(design = design_of (self, source)))
    return;

  who = name_of (self, annotation);
  title = mentioned
    /* Translators: a desktop notification's title */
    ? g_strdup_printf (_("%s mentioned you"), who)
    /* Translators: a desktop notification's title */
    : g_strdup_printf (_("%s replied"), who);
  line = shorten (gls_annotation_get_text (annotation));
  /* Translators: a notification's text: the comment, then the design it is on */
  body = g_strdup_printf (_("%s — on %s"), line, gls_design_get_name (design));

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target_value (notification, "app.show-thread",
                                                      g_variant_new ("(sss)",
                                                                     gls_workspace_get_name (self->workspace),
                                                                     gls_design_get_id (design), root_id));
  id = g_strconcat ("thread-", root_id, NULL);
  self->send (id, notification, self->send_data);
}

typedef struct
{
  GlsNotifier   *self;
  GlsAnnotation *annotation;
} Placing;

static void
root_found_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      data)
{
  Placing *placing = data;
  g_autofree char *root_id = NULL;
  g_autofree char *source = NULL;
  g_autoptr(GError) error = NULL;

  if (gls_workspace_find_root_finish (GLS_WORKSPACE (source_object), result, &root_id, &source, &error))
    send_notification (placing->self, placing->annotation, TRUE, root_id, source);
  else
    g_debug ("No thread for %s: %s", gls_annotation_get_id (placing->annotation), error->message);
  g_object_unref (placing->self);
  g_object_unref (placing->annotation);
  g_free (placing);
}

void
gls_notifier_consider (GlsNotifier *self,
                       GPtrArray   *annotations)
{
  g_autoptr(GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *me;

  g_return_if_fail (GLS_IS_NOTIFIER (self));
  g_return_if_fail (annotations != NULL);

  /* In front of the person, the window shows it (unread marks). */
  if (self->window != NULL && gtk_window_is_active (self->window))
    return;

  me = gls_identity_get_did (gls_workspace_get_identity (self->workspace));
  for (guint i = 0; i < annotations->len; i++)
    {
      GlsAnnotation *annotation = g_ptr_array_index (annotations, i);
      const char * const *mentions = gls_annotation_get_mentions (annotation);
      gboolean mentioned = mentions != NULL && g_strv_contains (mentions, me);
      g_autoptr(GlsThread) thread = NULL;
      const char *root_id, *source;

      if (gls_annotation_is_deleted (annotation) ||
          gls_annotation_get_trust (annotation) == GLS_TRUST_UNVERIFIED ||
          g_strcmp0 (gls_annotation_get_authority (annotation), me) == 0)
        continue;
      if (!mentioned && gls_annotation_get_motivation (annotation) != GLS_MOTIVATION_REPLYING)
        continue;
      thread = gls_workspace_find_thread_of (self->workspace, gls_annotation_get_id (annotation));
      /* A reply matters to those in the thread. */
      if (!mentioned && (thread == NULL || !gls_thread_involves (thread, me)))
        continue;
      if (thread == NULL && gls_annotation_get_source (annotation) == NULL)
        {
          /* A reply that mentions me, on a design whose threads this
           * window has not read: its thread is looked up in the store. */
          Placing *placing = g_new0 (Placing, 1);

          placing->self = g_object_ref (self);
          placing->annotation = g_object_ref (annotation);
          gls_workspace_find_root_async (self->workspace, gls_annotation_get_id (annotation), NULL,
                                         root_found_cb, placing);
          continue;
        }
      /* A new thread that mentions me on a design this window has not
       * read yet: the comment is its thread. */
      root_id = thread != NULL ? gls_thread_get_root_id (thread) : gls_annotation_get_id (annotation);
      source = thread != NULL ? gls_thread_get_source (thread) : gls_annotation_get_source (annotation);
      if (!g_hash_table_add (done, g_strdup (root_id)))
        continue;
      send_notification (self, annotation, mentioned, root_id, source);
    }
}

static void
gls_notifier_dispose (GObject *object)
{
  GlsNotifier *self = GLS_NOTIFIER (object);

  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (self->workspace, self);
  g_clear_object (&self->workspace);
  g_clear_weak_pointer (&self->window);

  G_OBJECT_CLASS (gls_notifier_parent_class)->dispose (object);
}

static void
gls_notifier_class_init (GlsNotifierClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = gls_notifier_dispose;
}

static void
gls_notifier_init (GlsNotifier *self)
{
  self->send = send_to_application;
  self->send_data = self;
}

GlsNotifier *
gls_notifier_new (GlsWorkspace *workspace,
                  GtkWindow    *window)
{
  GlsNotifier *self;

  g_return_val_if_fail (GLS_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (window == NULL || GTK_IS_WINDOW (window), NULL);

  self = g_object_new (GLS_TYPE_NOTIFIER, NULL);
  self->workspace = g_object_ref (workspace);
  g_set_weak_pointer (&self->window, window);
  g_signal_connect_object (workspace, "activity", G_CALLBACK (activity_cb), self, G_CONNECT_SWAPPED);
  return self;
}

void
gls_notifier_set_send_func (GlsNotifier         *self,
                            GlsNotifierSendFunc  func,
                            gpointer             user_data)
{
  g_return_if_fail (GLS_IS_NOTIFIER (self));

  self->send = func != NULL ? func : send_to_application;
  self->send_data = func != NULL ? user_data : self;
}
