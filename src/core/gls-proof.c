/* gls-proof.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-proof"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "gls-jcs.h"
#include "gls-proof.h"
#include "gls-types.h"

#define SHA256_SIZE 32
/* A signature is 64 bytes, at most 88 base58 digits; a did:key of an
 * Ed25519 key is 56 characters. Longer text is refused before decoding
 * (base58 decoding is quadratic). */
#define MAX_PROOF_VALUE 100
#define MAX_VERIFICATION_METHOD 200

/* Members left out of the signed document: the proof itself and what the
 * store adds or rewrites on every replica. */
static const char *const unsigned_members[] = {
  GLS_PROOF_MEMBER, "_rev", "_revisions", "_attachments", "_conflicts",
  "_deleted_conflicts", NULL
};

static const char *const proof_value_member[] = { "proofValue", NULL };

static void
append_sha256 (GByteArray *hash_data,
               GString    *text)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[SHA256_SIZE];
  gsize len = sizeof digest;

  g_checksum_update (checksum, (const guchar *) text->str, text->len);
  g_checksum_get_digest (checksum, digest, &len);
  g_byte_array_append (hash_data, digest, len);
}

/* SHA-256 (JCS (options)) ‖ SHA-256 (JCS (document)). The document's
 * @context is the options' @context when they carry one (they then must
 * agree: checked by the caller). */
static GBytes *
hash_data (JsonObject  *doc,
           JsonObject  *options,
           GError     **error)
{
  g_autoptr(GString) text = g_string_sized_new (1024);
  g_autoptr(GByteArray) data = g_byte_array_sized_new (2 * SHA256_SIZE);

  if (!gls_jcs_append_object (text, options, proof_value_member, error))
    return NULL;
  append_sha256 (data, text);

  g_string_truncate (text, 0);
  if (!gls_jcs_append_object (text, doc, unsigned_members, error))
    return NULL;
  append_sha256 (data, text);

  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

static char *
now_xsd_date_time (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
gls_proof_sign (JsonObject   *doc,
                GlsIdentity  *identity,
                const char   *created,
                GError      **error)
{
  g_autoptr(JsonObject) proof = json_object_new ();
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_autofree char *now = NULL;
  g_autofree char *method = NULL;
  g_autofree char *b58 = NULL;
  g_autofree char *value = NULL;
  const char *did;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (GLS_IS_IDENTITY (identity), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (created == NULL)
    created = now = now_xsd_date_time ();

  did = gls_identity_get_did (identity);
  method = g_strconcat (did, "#", did + strlen ("did:key:"), NULL);

  json_object_set_string_member (proof, "type", GLS_PROOF_TYPE);
  json_object_set_string_member (proof, "cryptosuite", GLS_PROOF_CRYPTOSUITE);
  json_object_set_string_member (proof, "created", created);
  json_object_set_string_member (proof, "verificationMethod", method);
  json_object_set_string_member (proof, "proofPurpose", GLS_PROOF_PURPOSE);
  /* As the cryptosuite says: the proof carries the document's context. */
  if (json_object_has_member (doc, "@context"))
    json_object_set_member (proof, "@context",
                            json_node_copy (json_object_get_member (doc, "@context")));

  data = hash_data (doc, proof, error);
  if (data == NULL)
    return FALSE;

  signature = gls_identity_sign (identity, data);
  b58 = gls_base58btc_encode (g_bytes_get_data (signature, NULL), g_bytes_get_size (signature));
  value = g_strconcat ("z", b58, NULL);
  json_object_set_string_member (proof, "proofValue", value);
  json_object_set_object_member (doc, GLS_PROOF_MEMBER, g_steal_pointer (&proof));

  return TRUE;
}

/* @context of the options must be the document's, or the first values of
 * the document's array, in the same order. */
static gboolean
context_matches (JsonNode *doc_context,
                 JsonNode *proof_context)
{
  JsonArray *doc_array, *proof_array;

  if (json_node_equal (doc_context, proof_context))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (doc_context))
    return FALSE;

  doc_array = json_node_get_array (doc_context);
  if (!JSON_NODE_HOLDS_ARRAY (proof_context))
    return json_array_get_length (doc_array) > 0 &&
           json_node_equal (json_array_get_element (doc_array, 0), proof_context);

  proof_array = json_node_get_array (proof_context);
  if (json_array_get_length (proof_array) > json_array_get_length (doc_array))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (proof_array); i++)
    if (!json_node_equal (json_array_get_element (doc_array, i),
                          json_array_get_element (proof_array, i)))
      return FALSE;

  return TRUE;
}

static const char *
proof_string (JsonObject *proof,
              const char *member)
{
  JsonNode *node = json_object_get_member (proof, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static GlsProofStatus
invalid (GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static GlsProofStatus
invalid (GError     **error,
         const char  *format,
         ...)
{
  va_list args;

  if (error != NULL)
    {
      va_start (args, format);
      *error = g_error_new_valist (GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID, format, args);
      va_end (args);
    }

  return GLS_PROOF_INVALID;
}

GlsProofStatus
gls_proof_verify (JsonObject  *doc,
                  char       **signer,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(JsonObject) unsecured = NULL;
  g_autofree char *did = NULL;
  JsonNode *proof_node, *proof_context, *doc_context;
  JsonObject *proof, *signed_doc = doc;
  const char *type, *suite, *purpose, *method, *value, *fragment;

  g_return_val_if_fail (doc != NULL, GLS_PROOF_INVALID);
  g_return_val_if_fail (error == NULL || *error == NULL, GLS_PROOF_INVALID);

  proof_node = json_object_get_member (doc, GLS_PROOF_MEMBER);
  if (proof_node == NULL)
    return GLS_PROOF_NONE;
  if (!JSON_NODE_HOLDS_OBJECT (proof_node))
    return invalid (error, _("The proof is not one JSON object"));
  proof = json_node_get_object (proof_node);

  type = proof_string (proof, "type");
  suite = proof_string (proof, "cryptosuite");
  purpose = proof_string (proof, "proofPurpose");
  method = proof_string (proof, "verificationMethod");
  value = proof_string (proof, "proofValue");
  if (g_strcmp0 (type, GLS_PROOF_TYPE) != 0 || g_strcmp0 (suite, GLS_PROOF_CRYPTOSUITE) != 0)
    return invalid (error, _("The proof is not a %s of cryptosuite %s"),
                    GLS_PROOF_TYPE, GLS_PROOF_CRYPTOSUITE);
  if (g_strcmp0 (purpose, GLS_PROOF_PURPOSE) != 0)
    return invalid (error, _("The proof's purpose is not %s"), GLS_PROOF_PURPOSE);
  if (json_object_has_member (proof, "created") && proof_string (proof, "created") == NULL)
    return invalid (error, _("The proof's creation time is not a string"));

  /* did:key:z6Mk…#z6Mk…: the fragment names the same key. */
  if (method == NULL || strlen (method) > MAX_VERIFICATION_METHOD ||
      !g_str_has_prefix (method, "did:key:") ||
      (fragment = strchr (method, '#')) == NULL ||
      strncmp (method + strlen ("did:key:"), fragment + 1,
               fragment - method - strlen ("did:key:")) != 0 ||
      strlen (fragment + 1) != (gsize) (fragment - method - strlen ("did:key:")))
    return invalid (error, _("The proof's verification method is not a did:key with its key as fragment"));
  did = g_strndup (method, fragment - method);

  if (value == NULL || value[0] != 'z' || strlen (value) > MAX_PROOF_VALUE)
    return invalid (error, _("The proof value is not a base58btc signature"));
  signature = gls_base58btc_decode (value + 1, NULL);
  if (signature == NULL || g_bytes_get_size (signature) != GLS_ED25519_SIG_SIZE)
    return invalid (error, _("The proof value is not a base58btc signature"));

  proof_context = json_object_get_member (proof, "@context");
  if (proof_context != NULL)
    {
      doc_context = json_object_get_member (doc, "@context");
      if (doc_context == NULL || !context_matches (doc_context, proof_context))
        return invalid (error, _("The proof's @context does not match the document's"));
      if (!json_node_equal (doc_context, proof_context))
        {
          /* Hash the document as if its @context were the proof's. */
          GList *members = json_object_get_members (doc);

          unsecured = json_object_new ();
          for (GList *l = members; l != NULL; l = l->next)
            json_object_set_member (unsecured, l->data,
                                    json_node_ref (json_object_get_member (doc, l->data)));
          g_list_free (members);
          json_object_set_member (unsecured, "@context", json_node_ref (proof_context));
          signed_doc = unsecured;
        }
    }

  data = hash_data (signed_doc, proof, &local_error);
  if (data == NULL)
    return invalid (error, "%s", local_error->message);

  if (!gls_did_key_verify (did, data, signature, &local_error))
    return invalid (error, "%s", local_error->message);

  if (signer != NULL)
    *signer = g_steal_pointer (&did);

  return GLS_PROOF_VALID;
}
