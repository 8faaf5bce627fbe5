/* gls-thread.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-thread"

#include "config.h"

#include "gls-comment-private.h"
#include "gls-thread-private.h"

/* A thread's comments: a fixed list, set once by the derivation. Lighter
 * than a GListStore (no sequence, no signal per item), and each comment
 * object is made on first use; get_item () may be called from any thread. */
#define GLS_TYPE_COMMENT_LIST (gls_comment_list_get_type ())
G_DECLARE_FINAL_TYPE (GlsCommentList, gls_comment_list, GLS, COMMENT_LIST, GObject)

struct _GlsCommentList
{
  GObject           parent_instance;

  GlsCommentSource *sources;
  GlsComment      **items;     /* NULL until made */
  guint             n_items;
};

static GType
gls_comment_list_get_item_type (GListModel *model)
{
  return GLS_TYPE_COMMENT;
}

static guint
gls_comment_list_get_n_items (GListModel *model)
{
  return GLS_COMMENT_LIST (model)->n_items;
}

static gpointer
gls_comment_list_get_item (GListModel *model,
                           guint       position)
{
  GlsCommentList *self = GLS_COMMENT_LIST (model);
  GlsComment *comment;

  if (position >= self->n_items)
    return NULL;

  comment = g_atomic_pointer_get (&self->items[position]);
  if (comment == NULL)
    {
      GlsCommentSource *source = &self->sources[position];
      GlsComment *made = _gls_comment_new (source->annotation, source->edit,
                                         source->ignored_edits, source->author_name,
                                         source->signer_name, position == 0);

      /* Another thread may have made it meanwhile: keep the first one. */
      if (g_atomic_pointer_compare_and_exchange (&self->items[position], NULL, made))
        comment = made;
      else
        {
          g_object_unref (made);
          comment = g_atomic_pointer_get (&self->items[position]);
        }
    }

  return g_object_ref (comment);
}

static void
gls_comment_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = gls_comment_list_get_item_type;
  iface->get_n_items = gls_comment_list_get_n_items;
  iface->get_item = gls_comment_list_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (GlsCommentList, gls_comment_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      gls_comment_list_model_init))

static void
gls_comment_list_finalize (GObject *object)
{
  GlsCommentList *self = GLS_COMMENT_LIST (object);

  for (guint i = 0; i < self->n_items; i++)
    {
      g_clear_object (&self->items[i]);
      g_clear_object (&self->sources[i].annotation);
      g_clear_object (&self->sources[i].edit);
    }
  g_free (self->items);
  g_free (self->sources);

  G_OBJECT_CLASS (gls_comment_list_parent_class)->finalize (object);
}

static void
gls_comment_list_class_init (GlsCommentListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gls_comment_list_finalize;
}

static void
gls_comment_list_init (GlsCommentList *self)
{
}

G_DEFINE_FINAL_TYPE (GlsThread, gls_thread, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROOT_ID,
  PROP_NUMBER,
  PROP_SOURCE,
  PROP_SELECTOR,
  PROP_PAGE,
  PROP_TEXT,
  PROP_AUTHOR_ID,
  PROP_AUTHOR_NAME,
  PROP_CREATED,
  PROP_LAST_ACTIVITY,
  PROP_REPLY_COUNT,
  PROP_RESOLVED,
  PROP_PLACEHOLDER,
  PROP_COMMENTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
gls_thread_finalize (GObject *object)
{
  GlsThread *self = GLS_THREAD (object);

  g_clear_object (&self->root);
  g_clear_object (&self->latest);
  g_clear_object (&self->assessment);
  g_clear_pointer (&self->assessments, g_ptr_array_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_object (&self->comments);

  G_OBJECT_CLASS (gls_thread_parent_class)->finalize (object);
}

static void
gls_thread_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  GlsThread *self = GLS_THREAD (object);

  switch (prop_id)
    {
    case PROP_ROOT_ID:
      g_value_set_string (value, self->root_id);
      break;
    case PROP_NUMBER:
      g_value_set_uint (value, self->number);
      break;
    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;
    case PROP_SELECTOR:
      g_value_set_boxed (value, self->selector);
      break;
    case PROP_PAGE:
      g_value_set_uint (value, gls_thread_get_page (self));
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_AUTHOR_ID:
      g_value_set_string (value, self->author_id);
      break;
    case PROP_AUTHOR_NAME:
      g_value_set_string (value, self->author_name);
      break;
    case PROP_CREATED:
      g_value_set_string (value, self->created);
      break;
    case PROP_LAST_ACTIVITY:
      g_value_set_string (value, self->last_activity);
      break;
    case PROP_REPLY_COUNT:
      g_value_set_uint (value, self->reply_count);
      break;
    case PROP_RESOLVED:
      g_value_set_boolean (value, self->resolved);
      break;
    case PROP_PLACEHOLDER:
      g_value_set_boolean (value, self->placeholder);
      break;
    case PROP_COMMENTS:
      g_value_set_object (value, self->comments);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_thread_class_init (GlsThreadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = gls_thread_finalize;
  object_class->get_property = gls_thread_get_property;

  properties[PROP_ROOT_ID] = g_param_spec_string ("root-id", NULL, NULL, NULL, flags);
  properties[PROP_NUMBER] = g_param_spec_uint ("number", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_SOURCE] = g_param_spec_string ("source", NULL, NULL, NULL, flags);
  properties[PROP_SELECTOR] = g_param_spec_boxed ("selector", NULL, NULL, GLS_TYPE_SELECTOR,
                                                  flags);
  properties[PROP_PAGE] = g_param_spec_uint ("page", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL, flags);
  properties[PROP_AUTHOR_ID] = g_param_spec_string ("author-id", NULL, NULL, NULL, flags);
  properties[PROP_AUTHOR_NAME] = g_param_spec_string ("author-name", NULL, NULL, NULL, flags);
  properties[PROP_CREATED] = g_param_spec_string ("created", NULL, NULL, NULL, flags);
  properties[PROP_LAST_ACTIVITY] = g_param_spec_string ("last-activity", NULL, NULL, NULL,
                                                        flags);
  properties[PROP_REPLY_COUNT] = g_param_spec_uint ("reply-count", NULL, NULL,
                                                    0, G_MAXUINT, 0, flags);
  properties[PROP_RESOLVED] = g_param_spec_boolean ("resolved", NULL, NULL, FALSE, flags);
  properties[PROP_PLACEHOLDER] = g_param_spec_boolean ("placeholder", NULL, NULL, FALSE, flags);
  properties[PROP_COMMENTS] = g_param_spec_object ("comments", NULL, NULL, G_TYPE_LIST_MODEL,
                                                   flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gls_thread_init (GlsThread *self)
{
  self->comments = g_object_new (GLS_TYPE_COMMENT_LIST, NULL);
}

void
_gls_thread_take_comments (GlsThread        *self,
                           GlsCommentSource *sources,
                           guint             n_comments)
{
  GlsCommentList *list = GLS_COMMENT_LIST (self->comments);

  g_assert (list->sources == NULL);
  list->sources = sources;
  list->items = g_new0 (GlsComment *, n_comments);
  list->n_items = n_comments;
}

const char *
gls_thread_get_root_id (GlsThread *self)
{
  g_return_val_if_fail (GLS_IS_THREAD (self), NULL);
  return self->root_id;
}

guint
gls_thread_get_number (GlsThread *self)
{
  g_return_val_if_fail (GLS_IS_THREAD (self), 0);
  return self->number;
}

const char *
gls_thread_get_source (GlsThread *self)
{
  g_return_val_if_fail (GLS_IS_THREAD (self), NULL);
  return self->source;
}

const GlsSelector *
gls_thread_get_selector (GlsThread *self)
{
  g_return_val_if_fail (GLS_IS_THREAD (self), NULL);
  return self->selector;
}

guint
gls_thread_get_page (GlsThread *self)
{
  g_return_val_if_fail (GLS_IS_THREAD (self), 0);
  return self->selector != NULL ? self->selector->page : 0;
}

const char *
gls_thread_get_text (GlsThread *self)
{
  g_return_val_if_fail (GLS_IS_THREAD (self), NULL);
  return self->text;
}

const char *
gls_thread_get_author_id (GlsThread *self)
{
  g_return_val_if_fail (GLS_IS_THREAD (self), NULL);
  return self->author_id;
}

const char *
gls_thread_get_author_name (GlsThread *self)
{
  g_return_val_if_fail (GLS_IS_THREAD (self), NULL);
  return self->author_name;
}

const char *
gls_thread_get_created (GlsThread *self)
{
  g_return_val_if_fail (GLS_IS_THREAD (self), NULL);
  return self->created;
}

const char *
gls_thread_get_last_activity (GlsThread *self)
{
  g_return_val_if_fail (GLS_IS_THREAD (self), NULL);
  return self->last_activity;
}

const char *
gls_thread_get_last_activity_by (GlsThread *self)
{
  g_return_val_if_fail (GLS_IS_THREAD (self), NULL);
  return self->latest != NULL ? gls_annotation_get_authority (self->latest) : NULL;
}

guint
gls_thread_get_reply_count (GlsThread *self)
{
  g_return_val_if_fail (GLS_IS_THREAD (self), 0);
  return self->reply_count;
}

gboolean
gls_thread_get_resolved (GlsThread *self)
{
  g_return_val_if_fail (GLS_IS_THREAD (self), FALSE);
  return self->resolved;
}

gboolean
gls_thread_is_suggestion (GlsThread *self)
{
  g_return_val_if_fail (GLS_IS_THREAD (self), FALSE);
  return self->root != NULL && gls_annotation_is_suggestion (self->root);
}

GlsDecision
gls_thread_get_decision (GlsThread *self)
{
  g_return_val_if_fail (GLS_IS_THREAD (self), GLS_DECISION_NONE);
  return self->decision;
}

GlsAnnotation *
gls_thread_get_assessment (GlsThread *self)
{
  g_return_val_if_fail (GLS_IS_THREAD (self), NULL);
  return self->assessment;
}

gboolean
gls_thread_get_placeholder (GlsThread *self)
{
  g_return_val_if_fail (GLS_IS_THREAD (self), FALSE);
  return self->placeholder;
}

GListModel *
gls_thread_get_comments (GlsThread *self)
{
  g_return_val_if_fail (GLS_IS_THREAD (self), NULL);
  return self->comments;
}

gboolean
gls_thread_contains (GlsThread  *self,
                     const char *annotation_id)
{
  GlsCommentList *list;

  g_return_val_if_fail (GLS_IS_THREAD (self), FALSE);
  g_return_val_if_fail (annotation_id != NULL, FALSE);

  list = GLS_COMMENT_LIST (self->comments);
  for (guint i = 0; i < list->n_items; i++)
    {
      GlsAnnotation *a = list->sources[i].annotation;

      if (g_str_equal (gls_annotation_get_id (a), annotation_id))
        return !gls_annotation_is_deleted (a);
    }

  return FALSE;
}

static gboolean
strv_has (const char * const *strv,
          const char         *str)
{
  return strv != NULL && g_strv_contains (strv, str);
}

gboolean
gls_thread_mentions (GlsThread  *self,
                     const char *person_id)
{
  GlsCommentList *list;

  g_return_val_if_fail (GLS_IS_THREAD (self), FALSE);
  g_return_val_if_fail (person_id != NULL, FALSE);

  /* What each live comment shows now: its edit's words, if edited. */
  list = GLS_COMMENT_LIST (self->comments);
  for (guint i = 0; i < list->n_items; i++)
    {
      GlsCommentSource *source = &list->sources[i];
      GlsAnnotation *shown = source->edit != NULL ? source->edit : source->annotation;

      if (!gls_annotation_is_deleted (source->annotation) &&
          strv_has (gls_annotation_get_mentions (shown), person_id))
        return TRUE;
    }

  return FALSE;
}

gboolean
gls_thread_involves (GlsThread  *self,
                     const char *person_id)
{
  GlsCommentList *list;

  g_return_val_if_fail (GLS_IS_THREAD (self), FALSE);
  g_return_val_if_fail (person_id != NULL, FALSE);

  list = GLS_COMMENT_LIST (self->comments);
  for (guint i = 0; i < list->n_items; i++)
    {
      GlsAnnotation *a = list->sources[i].annotation;

      if (!gls_annotation_is_deleted (a) && g_strcmp0 (gls_annotation_get_authority (a), person_id) == 0)
        return TRUE;
    }

  return gls_thread_mentions (self, person_id);
}

void
gls_thread_event_free (GlsThreadEvent *event)
{
  if (event == NULL)
    return;
  g_clear_object (&event->annotation);
  g_free (event->who);
  g_free (event);
}

static const char *
name_of (GlsThread     *self,
         GlsAnnotation *a)
{
  const char *name = NULL;

  if (self->names != NULL && gls_annotation_get_trust (a) == GLS_TRUST_VERIFIED)
    name = g_hash_table_lookup (self->names, gls_annotation_get_signer (a));
  return name != NULL ? name : gls_annotation_get_creator_name (a);
}

static void
add_event (GPtrArray          *history,
           GlsThreadEventKind  kind,
           const char         *who,
           const char         *when,
           GlsAnnotation      *annotation)
{
  GlsThreadEvent *event = g_new0 (GlsThreadEvent, 1);

  event->kind = kind;
  event->who = g_strdup (who);
  event->when = when;
  event->annotation = annotation != NULL ? g_object_ref (annotation) : NULL;
  g_ptr_array_add (history, event);
}

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const GlsThreadEvent *ea = *(const GlsThreadEvent * const *) a;
  const GlsThreadEvent *eb = *(const GlsThreadEvent * const *) b;
  int cmp = g_strcmp0 (ea->when, eb->when);

  /* At the same time, assessments in the order that decides the state. */
  if (cmp == 0 && ea->annotation != NULL && eb->annotation != NULL)
    return gls_annotation_compare (ea->annotation, eb->annotation);
  return cmp != 0 ? cmp : (int) ea->kind - (int) eb->kind;
}

static GlsThreadEventKind
assessment_kind (GlsAnnotation *a)
{
  switch (gls_annotation_get_decision (a))
    {
    case GLS_DECISION_ACCEPTED:
      return GLS_THREAD_EVENT_ACCEPTED;
    case GLS_DECISION_DECLINED:
      return GLS_THREAD_EVENT_DECLINED;
    case GLS_DECISION_NONE:
    case GLS_DECISION_APPROVED:
    case GLS_DECISION_CHANGES_REQUESTED:
    default:
      return gls_annotation_get_resolved (a) ? GLS_THREAD_EVENT_RESOLVED : GLS_THREAD_EVENT_REOPENED;
    }
}

GPtrArray *
gls_thread_get_history (GlsThread *self)
{
  GPtrArray *history = g_ptr_array_new_with_free_func ((GDestroyNotify) gls_thread_event_free);
  GListModel *comments;

  g_return_val_if_fail (GLS_IS_THREAD (self), history);

  comments = gls_thread_get_comments (self);
  for (guint i = 0, n = g_list_model_get_n_items (comments); i < n; i++)
    {
      g_autoptr(GlsComment) comment = g_list_model_get_item (comments, i);

      if (gls_comment_get_deleted (comment))
        continue;
      add_event (history, i == 0 ? GLS_THREAD_EVENT_STARTED : GLS_THREAD_EVENT_REPLIED,
                 gls_comment_get_author_name (comment), gls_comment_get_created (comment), NULL);
      if (gls_comment_get_edited (comment))
        add_event (history, GLS_THREAD_EVENT_EDITED, gls_comment_get_author_name (comment),
                   gls_comment_get_modified (comment), NULL);
    }

  if (self->assessments != NULL)
    {
      for (guint i = 0; i < self->assessments->len; i++)
        {
          GlsAnnotation *a = g_ptr_array_index (self->assessments, i);

          add_event (history, assessment_kind (a), name_of (self, a), gls_annotation_get_created (a), a);
        }
    }
  else if (self->assessment != NULL)
    {
      add_event (history, assessment_kind (self->assessment), name_of (self, self->assessment),
                 gls_annotation_get_created (self->assessment), self->assessment);
    }

  g_ptr_array_sort (history, compare_events);
  return history;
}
