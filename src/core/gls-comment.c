/* gls-comment.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-comment"

#include "config.h"

#include "gls-comment-private.h"

G_DEFINE_FINAL_TYPE (GlsComment, gls_comment, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TEXT,
  PROP_AUTHOR_ID,
  PROP_AUTHOR_NAME,
  PROP_CREATED,
  PROP_MODIFIED,
  PROP_EDITED,
  PROP_DELETED,
  PROP_IS_ROOT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
gls_comment_finalize (GObject *object)
{
  GlsComment *self = GLS_COMMENT (object);

  g_clear_object (&self->annotation);
  g_clear_object (&self->edit);
  g_clear_pointer (&self->author_name, g_free);
  g_clear_pointer (&self->signer_name, g_free);

  G_OBJECT_CLASS (gls_comment_parent_class)->finalize (object);
}

static void
gls_comment_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  GlsComment *self = GLS_COMMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, gls_comment_get_id (self));
      break;
    case PROP_TEXT:
      g_value_set_string (value, gls_comment_get_text (self));
      break;
    case PROP_AUTHOR_ID:
      g_value_set_string (value, gls_comment_get_author_id (self));
      break;
    case PROP_AUTHOR_NAME:
      g_value_set_string (value, gls_comment_get_author_name (self));
      break;
    case PROP_CREATED:
      g_value_set_string (value, gls_comment_get_created (self));
      break;
    case PROP_MODIFIED:
      g_value_set_string (value, gls_comment_get_modified (self));
      break;
    case PROP_EDITED:
      g_value_set_boolean (value, gls_comment_get_edited (self));
      break;
    case PROP_DELETED:
      g_value_set_boolean (value, gls_comment_get_deleted (self));
      break;
    case PROP_IS_ROOT:
      g_value_set_boolean (value, self->is_root);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_comment_class_init (GlsCommentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = gls_comment_finalize;
  object_class->get_property = gls_comment_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL, flags);
  properties[PROP_AUTHOR_ID] = g_param_spec_string ("author-id", NULL, NULL, NULL, flags);
  properties[PROP_AUTHOR_NAME] = g_param_spec_string ("author-name", NULL, NULL, NULL, flags);
  properties[PROP_CREATED] = g_param_spec_string ("created", NULL, NULL, NULL, flags);
  properties[PROP_MODIFIED] = g_param_spec_string ("modified", NULL, NULL, NULL, flags);
  properties[PROP_EDITED] = g_param_spec_boolean ("edited", NULL, NULL, FALSE, flags);
  properties[PROP_DELETED] = g_param_spec_boolean ("deleted", NULL, NULL, FALSE, flags);
  properties[PROP_IS_ROOT] = g_param_spec_boolean ("is-root", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gls_comment_init (GlsComment *self)
{
}

GlsComment *
_gls_comment_new (GlsAnnotation *annotation,
                  GlsAnnotation *edit,
                  guint          ignored_edits,
                  const char    *author_name,
                  const char    *signer_name,
                  gboolean       is_root)
{
  GlsComment *self = g_object_new (GLS_TYPE_COMMENT, NULL);

  self->annotation = g_object_ref (annotation);
  if (edit != NULL && !gls_annotation_is_deleted (annotation))
    self->edit = g_object_ref (edit);
  self->ignored_edits = ignored_edits;
  self->author_name = g_strdup (author_name);
  self->signer_name = g_strdup (signer_name);
  self->is_root = is_root;

  return self;
}

GlsTrust
gls_comment_get_trust (GlsComment *self)
{
  g_return_val_if_fail (GLS_IS_COMMENT (self), GLS_TRUST_UNVERIFIED);
  return gls_annotation_get_trust (self->annotation);
}

const char *
gls_comment_get_signer (GlsComment *self)
{
  g_return_val_if_fail (GLS_IS_COMMENT (self), NULL);
  return gls_annotation_get_signer (self->annotation);
}

guint
gls_comment_get_ignored_changes (GlsComment *self)
{
  g_return_val_if_fail (GLS_IS_COMMENT (self), 0);
  return self->ignored_edits + gls_annotation_get_ignored_changes (self->annotation);
}

const char *
gls_comment_get_id (GlsComment *self)
{
  g_return_val_if_fail (GLS_IS_COMMENT (self), NULL);
  return gls_annotation_get_id (self->annotation);
}

/* A deleted comment shows no text. */
const char *
gls_comment_get_text (GlsComment *self)
{
  g_return_val_if_fail (GLS_IS_COMMENT (self), NULL);

  if (gls_annotation_is_deleted (self->annotation))
    return "";
  return gls_annotation_get_text (self->edit != NULL ? self->edit : self->annotation);
}

const char *
gls_comment_get_author_id (GlsComment *self)
{
  g_return_val_if_fail (GLS_IS_COMMENT (self), NULL);
  return gls_annotation_get_creator_id (self->annotation);
}

const char *
gls_comment_get_author_name (GlsComment *self)
{
  g_return_val_if_fail (GLS_IS_COMMENT (self), NULL);
  return self->author_name != NULL ? self->author_name : gls_annotation_get_creator_name (self->annotation);
}

const char *
gls_comment_get_signer_name (GlsComment *self)
{
  g_return_val_if_fail (GLS_IS_COMMENT (self), NULL);
  return self->signer_name;
}

const char *
gls_comment_get_created (GlsComment *self)
{
  g_return_val_if_fail (GLS_IS_COMMENT (self), NULL);
  return gls_annotation_get_created (self->annotation);
}

const char *
gls_comment_get_modified (GlsComment *self)
{
  g_return_val_if_fail (GLS_IS_COMMENT (self), NULL);
  return gls_annotation_get_created (self->edit != NULL ? self->edit : self->annotation);
}

gboolean
gls_comment_get_edited (GlsComment *self)
{
  g_return_val_if_fail (GLS_IS_COMMENT (self), FALSE);
  return self->edit != NULL;
}

const char * const *
gls_comment_get_mentions (GlsComment *self)
{
  g_return_val_if_fail (GLS_IS_COMMENT (self), NULL);
  if (gls_annotation_is_deleted (self->annotation))
    return NULL;
  return gls_annotation_get_mentions (self->edit != NULL ? self->edit : self->annotation);
}

gboolean
gls_comment_get_deleted (GlsComment *self)
{
  g_return_val_if_fail (GLS_IS_COMMENT (self), FALSE);
  return gls_annotation_is_deleted (self->annotation);
}

gboolean
gls_comment_get_is_root (GlsComment *self)
{
  g_return_val_if_fail (GLS_IS_COMMENT (self), FALSE);
  return self->is_root;
}
