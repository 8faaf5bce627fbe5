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

  g_clear_pointer (&self->root_id, g_free);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->selector, gls_selector_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->author_id, g_free);
  g_clear_pointer (&self->author_name, g_free);
  g_clear_pointer (&self->created, g_free);
  g_clear_pointer (&self->last_activity, g_free);
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
  self->comments = g_list_store_new (GLS_TYPE_COMMENT);
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
gls_thread_get_placeholder (GlsThread *self)
{
  g_return_val_if_fail (GLS_IS_THREAD (self), FALSE);
  return self->placeholder;
}

GListModel *
gls_thread_get_comments (GlsThread *self)
{
  g_return_val_if_fail (GLS_IS_THREAD (self), NULL);
  return G_LIST_MODEL (self->comments);
}

gboolean
gls_thread_contains (GlsThread  *self,
                     const char *annotation_id)
{
  guint n;

  g_return_val_if_fail (GLS_IS_THREAD (self), FALSE);
  g_return_val_if_fail (annotation_id != NULL, FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->comments));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsComment) c = g_list_model_get_item (G_LIST_MODEL (self->comments), i);

      if (g_str_equal (c->id, annotation_id))
        return !c->deleted;
    }

  return FALSE;
}
