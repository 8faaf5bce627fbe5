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
