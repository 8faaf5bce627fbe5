/* gls-proof.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "gls-identity.h"

G_BEGIN_DECLS

/*
 * W3C Data Integrity proofs with the eddsa-jcs-2022 cryptosuite ("Data
 * Integrity EdDSA Cryptosuites v1.0"): a `proof` member whose proofValue is
 * the Ed25519 signature, base58btc, of
 *   SHA-256 (JCS (proof options)) ‖ SHA-256 (JCS (document)),
 * where the proof options are the proof without proofValue and the
 * document is the document without `proof`. Since documents live in a
 * CouchDB-style store, the revision metadata the store adds and changes
 * (`_rev`, `_revisions`, `_attachments`, `_conflicts`, `_deleted_conflicts`)
 * is left out of the signed document as well; `_id` and `_deleted` stay in
 * it, so a proof holds for one document id and one state only.
 */

#define GLS_PROOF_MEMBER       "proof"
#define GLS_PROOF_TYPE         "DataIntegrityProof"
#define GLS_PROOF_CRYPTOSUITE  "eddsa-jcs-2022"
#define GLS_PROOF_PURPOSE      "assertionMethod"

typedef enum
{
  GLS_PROOF_NONE,     /* the document has no `proof` */
  GLS_PROOF_VALID,    /* it has one, and it verifies */
  GLS_PROOF_INVALID,  /* it has one that does not verify, or is malformed */
} GlsProofStatus;

/* Replaces any `proof` of `doc` with a new one by `identity`. `created`
 * (nullable: now) is the proof's xsd:dateTime. FALSE only when the
 * document has no canonical form (a number that is not finite, a string
 * that is not UTF-8). */
gboolean        gls_proof_sign   (JsonObject   *doc,
                                  GlsIdentity  *identity,
                                  const char   *created,
                                  GError      **error);
/* Checks the proof of `doc`. When it is VALID, `signer` (nullable) gets
 * the did:key that signed (without the #fragment); when INVALID, `error`
 * (nullable) says why. */
GlsProofStatus  gls_proof_verify (JsonObject   *doc,
                                  char        **signer,
                                  GError      **error);

G_END_DECLS
