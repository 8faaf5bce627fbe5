/* gls-person.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "gls-identity.h"
#include "gls-proof.h"

G_BEGIN_DECLS

/*
 * GlsPerson: a profile document, a schema.org Person whose `@id` is the
 * person's did:key, with the `name` they go by (and an optional `image`
 * IRI). Like everything else it is immutable: a new name is a new document,
 * and the name a person goes by is the one of their latest profile
 * document (`dateModified`, then `_id`). It counts only when signed by the
 * key it names: nobody names anyone else.
 */

#define GLS_TYPE_PERSON (gls_person_get_type ())

G_DECLARE_FINAL_TYPE (GlsPerson, gls_person, GLS, PERSON, GObject)

/* A fresh `urn:uuid:` id; `image` nullable. */
GlsPerson   *gls_person_new              (const char  *did,
                                          const char  *name,
                                          const char  *image,
                                          const char  *modified);
/* Parses a profile document and checks its proof: NULL with
 * GLS_CORE_ERROR_INVALID when malformed, GLS_CORE_ERROR_PROOF when it is
 * not signed by the key its `@id` names. */
GlsPerson   *gls_person_new_verified     (JsonObject  *doc,
                                          GError     **error);
/* The same with the proof already checked (see gls_proof_verify). */
GlsPerson   *gls_person_new_checked      (JsonObject      *doc,
                                          GlsProofStatus   status,
                                          const char      *signer,
                                          const char      *why,
                                          GError         **error);
/* The document, with `_id`, unsigned. */
JsonObject  *gls_person_to_json          (GlsPerson   *self);
gboolean     gls_person_json_is_person   (JsonObject  *doc);

const char  *gls_person_get_id           (GlsPerson   *self);
const char  *gls_person_get_did          (GlsPerson   *self);
const char  *gls_person_get_name        (GlsPerson   *self);
const char  *gls_person_get_image        (GlsPerson   *self);
const char  *gls_person_get_modified     (GlsPerson   *self);
/* Whether `a` is a later profile than `b` (NULL: TRUE). */
gboolean     gls_person_is_later         (GlsPerson   *a,
                                          GlsPerson   *b);

G_END_DECLS
