/* gls-person.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-person"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gls-json-private.h"
#include "gls-person.h"
#include "gls-proof.h"
#include "gls-types.h"

/* The longest name a profile may give. */
#define MAX_NAME_LENGTH 256

struct _GlsPerson
{
  GObject  parent_instance;

  char    *id;
  char    *did;
  char    *name;
  char    *image;
  char    *modified;
};

G_DEFINE_FINAL_TYPE (GlsPerson, gls_person, G_TYPE_OBJECT)

static void
gls_person_finalize (GObject *object)
{
  GlsPerson *self = GLS_PERSON (object);

  g_free (self->id);
  g_free (self->did);
  g_free (self->name);
  g_free (self->image);
  g_free (self->modified);

  G_OBJECT_CLASS (gls_person_parent_class)->finalize (object);
}

static void
gls_person_class_init (GlsPersonClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gls_person_finalize;
}

static void
gls_person_init (GlsPerson *self)
{
}

GlsPerson *
gls_person_new (const char *did,
                const char *name,
                const char *image,
                const char *modified)
{
  GlsPerson *self;
  g_autofree char *uuid = g_uuid_string_random ();

  g_return_val_if_fail (did != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (modified != NULL, NULL);

  self = g_object_new (GLS_TYPE_PERSON, NULL);
  self->id = g_strconcat ("urn:uuid:", uuid, NULL);
  self->did = g_strdup (did);
  self->name = g_strdup (name);
  self->image = g_strdup (image);
  self->modified = g_strdup (modified);

  return self;
}

gboolean
gls_person_json_is_person (JsonObject *doc)
{
  g_return_val_if_fail (doc != NULL, FALSE);

  return g_strcmp0 (_gls_json_peek_string (doc, "@type"), "Person") == 0;
}

GlsPerson *
gls_person_new_verified (JsonObject  *doc,
                         GError     **error)
{
  g_autoptr(GError) proof_error = NULL;
  g_autofree char *signer = NULL;
  GlsProofStatus status;

  g_return_val_if_fail (doc != NULL, NULL);

  status = gls_proof_verify (doc, &signer, &proof_error);
  return gls_person_new_checked (doc, status, signer,
                                 proof_error != NULL ? proof_error->message : NULL, error);
}

GlsPerson *
gls_person_new_checked (JsonObject      *doc,
                        GlsProofStatus   status,
                        const char      *signer,
                        const char      *why,
                        GError         **error)
{
  g_autoptr(GlsPerson) self = g_object_new (GLS_TYPE_PERSON, NULL);
  const char *id, *did, *name, *image, *modified;
  const char *label;

  g_return_val_if_fail (doc != NULL, NULL);

  label = _gls_json_peek_string (doc, "_id");
  if (label == NULL)
    label = _("Profile");

  if (!_gls_json_string_member (doc, "_id", FALSE, label, "_id", &id, error) ||
      !_gls_json_string_member (doc, "@id", FALSE, label, "@id", &did, error) ||
      !_gls_json_string_member (doc, "name", FALSE, label, "name", &name, error) ||
      !_gls_json_iri_member (doc, "image", TRUE, label, "image", &image, error) ||
      !_gls_json_string_member (doc, "dateModified", FALSE, label, "dateModified", &modified, error))
    return NULL;

  if (g_utf8_strlen (name, -1) > MAX_NAME_LENGTH)
    {
      _gls_field_error (error, label, "name", _("longer than %d characters"), MAX_NAME_LENGTH);
      return NULL;
    }

  switch (status)
    {
    case GLS_PROOF_VALID:
      if (g_strcmp0 (signer, did) == 0)
        break;
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_PROOF,
                   _("Profile “%s” names %s but was signed by %s"), id, did, signer);
      return NULL;
    case GLS_PROOF_NONE:
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_PROOF,
                   _("Profile “%s” is not signed"), id);
      return NULL;
    case GLS_PROOF_INVALID:
    default:
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_PROOF,
                   _("Profile “%s”: %s"), id, why != NULL ? why : _("its proof does not verify"));
      return NULL;
    }

  self->id = g_strdup (id);
  self->did = g_strdup (did);
  self->name = g_strdup (name);
  self->image = g_strdup (image);
  self->modified = g_strdup (modified);

  return g_steal_pointer (&self);
}

JsonObject *
gls_person_to_json (GlsPerson *self)
{
  JsonObject *doc;

  g_return_val_if_fail (GLS_IS_PERSON (self), NULL);

  doc = json_object_new ();
  json_object_set_string_member (doc, "_id", self->id);
  json_object_set_string_member (doc, "@context", "https://schema.org");
  json_object_set_string_member (doc, "@type", "Person");
  json_object_set_string_member (doc, "@id", self->did);
  json_object_set_string_member (doc, "name", self->name);
  if (self->image != NULL)
    json_object_set_string_member (doc, "image", self->image);
  json_object_set_string_member (doc, "dateModified", self->modified);

  return doc;
}

gboolean
gls_person_is_later (GlsPerson *a,
                     GlsPerson *b)
{
  int order;

  g_return_val_if_fail (GLS_IS_PERSON (a), FALSE);

  if (b == NULL)
    return TRUE;

  order = g_strcmp0 (a->modified, b->modified);
  return order > 0 || (order == 0 && g_strcmp0 (a->id, b->id) > 0);
}

#define GETTER(field) \
  const char *gls_person_get_##field (GlsPerson *self) \
  { \
    g_return_val_if_fail (GLS_IS_PERSON (self), NULL); \
    return self->field; \
  }

GETTER (id)
GETTER (did)
GETTER (name)
GETTER (image)
GETTER (modified)

#undef GETTER
