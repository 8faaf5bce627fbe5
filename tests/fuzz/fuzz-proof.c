/* fuzz-proof.c: Data Integrity proofs (eddsa-jcs-2022) on documents from
 * outside
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a document as a peer or an import hands it over, read by
 * the strict parser. Oracles:
 * - gls_proof_verify says NONE exactly when there is no proof, gives a
 *   did:key signer exactly when VALID, and an error exactly when INVALID;
 * - a VALID proof still holds after the document travels as text (JCS,
 *   or the store's writer) and is parsed again, with the same signer;
 * - any document the parser accepts can be signed, and then verifies as
 *   signed by that key, before and after it travels as text.
 */

#define G_LOG_DOMAIN "fuzz-proof"

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "gls-identity.h"
#include "gls-json-parser.h"
#include "gls-proof.h"
#include "gls-store.h"
#include "gls-types.h"

static GlsIdentity *identity;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  static const guint8 seed[32] = { 7, 1, 4, 2, 8, 5, 7, 1, 4, 2, 8, 5, 7, 1, 4, 2,
                                   8, 5, 7, 1, 4, 2, 8, 5, 7, 1, 4, 2, 8, 5, 7, 1 };
  g_autoptr(GBytes) bytes = g_bytes_new_static (seed, sizeof seed);
  g_autoptr(GError) error = NULL;

  fuzz_init (argc, argv);
  identity = gls_identity_new_from_seed (bytes, &error);
  fuzz_check (identity != NULL, "%s", error->message);
  return 0;
}

/* Verifies `doc`, checking what the answer promises. */
static GlsProofStatus
verify (JsonObject  *doc,
        char       **signer)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *who = NULL;
  GlsProofStatus status = gls_proof_verify (doc, &who, &error);

  switch (status)
    {
    case GLS_PROOF_NONE:
      fuzz_check (!json_object_has_member (doc, GLS_PROOF_MEMBER), "NONE with a proof");
      fuzz_check (who == NULL && error == NULL, "NONE says nothing more");
      break;
    case GLS_PROOF_VALID:
      fuzz_check (error == NULL, "VALID with an error");
      fuzz_check (who != NULL && g_str_has_prefix (who, "did:key:") && strchr (who, '#') == NULL,
                  "VALID names its did:key signer: %s", who);
      break;
    case GLS_PROOF_INVALID:
      fuzz_check (who == NULL, "INVALID with a signer");
      fuzz_check (error != NULL && error->domain == GLS_CORE_ERROR, "INVALID says why");
      break;
    default:
      fuzz_check (FALSE, "status %d", status);
    }
  if (signer != NULL)
    *signer = g_steal_pointer (&who);
  return status;
}

/* The document as text, parsed again: JCS, or as the store writes it. */
static JsonObject *
travel (JsonObject *doc,
        gboolean    jcs)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), doc);
  g_autofree char *text = jcs ? fuzz_jcs (node) : gls_json_to_string (node);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) back = gls_json_from_data (text, -1, &error);

  fuzz_check (back != NULL, "the text does not parse: %s\n  %s", error->message, text);
  return json_object_ref (json_node_get_object (back));
}

static void
check_travels (JsonObject *doc,
               const char *signer)
{
  for (int jcs = 0; jcs <= 1; jcs++)
    {
      g_autoptr(JsonObject) back = travel (doc, jcs);
      g_autofree char *again = NULL;

      fuzz_check (verify (back, &again) == GLS_PROOF_VALID,
                  "a proof no longer holds after the %s text", jcs ? "JCS" : "store's");
      fuzz_check (g_strcmp0 (again, signer) == 0, "another signer: %s, %s", signer, again);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *signer = NULL;
  g_autofree char *ours = NULL;
  JsonObject *doc;

  root = gls_json_from_data ((const char *) data, size, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  doc = json_node_get_object (root);

  if (verify (doc, &signer) == GLS_PROOF_VALID)
    check_travels (doc, signer);

  /* Anything the parser reads has a canonical form: it can be signed. */
  copy = json_node_copy (root);
  fuzz_check (gls_proof_sign (json_node_get_object (copy), identity, "2026-01-01T00:00:00Z", &error),
              "signing fails: %s", error->message);
  fuzz_check (verify (json_node_get_object (copy), &ours) == GLS_PROOF_VALID,
              "our own proof does not verify");
  fuzz_check (g_str_equal (ours, gls_identity_get_did (identity)), "signed by %s", ours);
  check_travels (json_node_get_object (copy), ours);
  return 0;
}
