/* test-core-proof.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "gls-identity.h"
#include "gls-jcs.h"
#include "gls-proof.h"
#include "gls-types.h"

/* The published test vector of eddsa-jcs-2022 (W3C "Data Integrity EdDSA
 * Cryptosuites v1.0", tests/data/eddsa-jcs-2022-test-vector.json). */
#define VECTOR_SEED       "c96ef9ea10c5e414c471723aff9de72c35fa5b70fae97e8832ecac7d2e2b8ed6"
#define VECTOR_DID        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
#define VECTOR_DOC_HASH   "59b7cb6251b8991add1ce0bc83107e3db9dbbab5bd2c28f687db1a03abc92f19"
#define VECTOR_PROOF_HASH "66ab154f5c2890a140cb8388a22a160454f80575f6eae09e5a097cabe539a1db"
#define VECTOR_VALUE      "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

static char *
jcs (JsonNode *node)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (gls_jcs_append (out, node, &error));
  g_assert_no_error (error);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_jcs (const char *json,
            const char *expected)
{
  g_autoptr(JsonNode) node = parse (json);
  g_autofree char *text = jcs (node);

  g_assert_cmpstr (text, ==, expected);
}

static void
assert_number (double      value,
               const char *expected)
{
  g_autoptr(GString) out = g_string_new (NULL);

  gls_jcs_append_number (out, value);
  g_assert_cmpstr (out->str, ==, expected);
}

static JsonObject *
load_vector (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "eddsa-jcs-2022-test-vector.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  node = parse (text);

  return json_object_ref (json_node_get_object (node));
}

/* RFC 8785, 3.2.2.3 and appendix B: ECMAScript's number form. */
static void
test_jcs_numbers (void)
{
  assert_number (0, "0");
  assert_number (-0.0, "0");
  assert_number (1, "1");
  assert_number (-1.5, "-1.5");
  assert_number (4.50, "4.5");
  assert_number (2e-3, "0.002");
  assert_number (0.000001, "0.000001");
  assert_number (1e-7, "1e-7");
  assert_number (1e21, "1e+21");
  assert_number (1e23, "1e+23");
  assert_number (999999999999999900000.0, "999999999999999900000");
  assert_number (333333333.33333329, "333333333.3333333");
  assert_number (0.1, "0.1");
  assert_number (5e-324, "5e-324");
  assert_number (1.7976931348623157e308, "1.7976931348623157e+308");
  assert_number (9007199254740992.0, "9007199254740992");
  assert_number (295147905179352830000.0, "295147905179352830000");
  assert_number (-1e-300, "-1e-300");
}

static void
test_jcs_members (void)
{
  /* RFC 8785, 3.2.3: names sorted by UTF-16 code units, not code points. */
  assert_jcs ("{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
              "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\","
              "\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}",
              "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\302\200\":\"Control\","
              "\"\303\266\":\"Latin Small Letter O With Diaeresis\",\"\342\202\254\":\"Euro Sign\","
              "\"\360\237\230\200\":\"Emoji: Grinning Face\",\"\357\254\263\":\"Hebrew Letter Dalet With Dagesh\"}");
  /* Nesting, arrays keep their order, literals. */
  assert_jcs ("{ \"b\" : [3, {\"z\":1, \"a\":true}, null], \"a\" : false }",
              "{\"a\":false,\"b\":[3,{\"a\":true,\"z\":1},null]}");
}

static void
test_jcs_strings (void)
{
  /* Only ", \ and controls are escaped, with the short forms where there
   * are some; / and non-ASCII stay as they are. */
  assert_jcs ("[\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\\u2028\\u00e9\"]",
              "[\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\\u0001\\u001f\177\342\200\250\303\251\"]");
}

static void
test_jcs_refuses (void)
{
  g_autoptr(JsonNode) nan_node = json_node_init_double (json_node_alloc (), NAN);
  g_autoptr(JsonNode) bad_utf8 = json_node_init_string (json_node_alloc (), "a\377b");
  g_autoptr(GString) out = g_string_new ("x");
  g_autoptr(GError) error = NULL;

  g_assert_false (gls_jcs_append (out, nan_node, &error));
  g_assert_error (error, GLS_JSON_ERROR, GLS_JSON_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (gls_jcs_append (out, bad_utf8, &error));
  g_assert_error (error, GLS_JSON_ERROR, GLS_JSON_ERROR_INVALID);
  g_assert_cmpstr (out->str, ==, "x");
}

static char *
sha256_of_jcs (JsonObject         *object,
               const char *const  *skip)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (gls_jcs_append_object (out, object, skip, &error));
  g_assert_no_error (error);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, out->str, out->len);
}

/* The intermediate values of the published vector. */
static void
test_vector_hashes (void)
{
  static const char *const no_proof[] = { "proof", NULL };
  static const char *const no_value[] = { "proofValue", NULL };
  g_autoptr(JsonObject) doc = load_vector ();
  g_autofree char *doc_hash = sha256_of_jcs (doc, no_proof);
  g_autofree char *proof_hash = sha256_of_jcs (json_object_get_object_member (doc, "proof"), no_value);

  g_assert_cmpstr (doc_hash, ==, VECTOR_DOC_HASH);
  g_assert_cmpstr (proof_hash, ==, VECTOR_PROOF_HASH);
}

static void
test_vector_verifies (void)
{
  g_autoptr(JsonObject) doc = load_vector ();
  g_autoptr(GError) error = NULL;
  g_autofree char *signer = NULL;

  g_assert_cmpint (gls_proof_verify (doc, &signer, &error), ==, GLS_PROOF_VALID);
  g_assert_no_error (error);
  g_assert_cmpstr (signer, ==, VECTOR_DID);
}

static GlsIdentity *
vector_identity (void)
{
  guint8 seed[32];
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GlsIdentity *identity;

  for (guint i = 0; i < 32; i++)
    seed[i] = g_ascii_xdigit_value (VECTOR_SEED[2 * i]) << 4 | g_ascii_xdigit_value (VECTOR_SEED[2 * i + 1]);
  bytes = g_bytes_new (seed, sizeof seed);
  identity = gls_identity_new_from_seed (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gls_identity_get_did (identity), ==, VECTOR_DID);

  return identity;
}

/* Ed25519 is deterministic: signing the vector's document again with its
 * key and time gives the published proofValue. */
static void
test_vector_signs (void)
{
  g_autoptr(JsonObject) doc = load_vector ();
  g_autoptr(GlsIdentity) identity = vector_identity ();
  g_autoptr(GError) error = NULL;
  JsonObject *proof;

  json_object_remove_member (doc, "proof");
  g_assert_true (gls_proof_sign (doc, identity, "2023-02-24T23:36:38Z", &error));
  g_assert_no_error (error);

  proof = json_object_get_object_member (doc, "proof");
  g_assert_cmpstr (json_object_get_string_member (proof, "type"), ==, "DataIntegrityProof");
  g_assert_cmpstr (json_object_get_string_member (proof, "cryptosuite"), ==, "eddsa-jcs-2022");
  g_assert_cmpstr (json_object_get_string_member (proof, "proofPurpose"), ==, "assertionMethod");
  g_assert_cmpstr (json_object_get_string_member (proof, "verificationMethod"), ==,
                   VECTOR_DID "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
  g_assert_cmpstr (json_object_get_string_member (proof, "proofValue"), ==, VECTOR_VALUE);
}

static JsonObject *
signed_annotation (GlsIdentity *identity)
{
  g_autoptr(JsonNode) node = parse ("{\"_id\":\"urn:uuid:1\",\"id\":\"urn:uuid:1\",\"@context\":\"http://www.w3.org/ns/anno.jsonld\","
                                    "\"type\":\"Annotation\",\"body\":{\"type\":\"TextualBody\",\"value\":\"Move the via\"},"
                                    "\"n\":[1.5,2e300,-7]}");
  JsonObject *doc = json_object_ref (json_node_get_object (node));
  g_autoptr(GError) error = NULL;

  g_assert_true (gls_proof_sign (doc, identity, NULL, &error));
  g_assert_no_error (error);

  return doc;
}

static void
assert_invalid (JsonObject *doc)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *signer = NULL;

  g_assert_cmpint (gls_proof_verify (doc, &signer, &error), ==, GLS_PROOF_INVALID);
  g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
  g_assert_null (signer);
}

static void
test_sign_verify (void)
{
  g_autoptr(GlsIdentity) identity = gls_identity_new_random ();
  g_autoptr(JsonObject) doc = signed_annotation (identity);
  g_autoptr(JsonObject) plain = json_object_new ();
  g_autofree char *signer = NULL;

  g_assert_cmpint (gls_proof_verify (doc, &signer, NULL), ==, GLS_PROOF_VALID);
  g_assert_cmpstr (signer, ==, gls_identity_get_did (identity));
  g_assert_cmpint (gls_proof_verify (plain, NULL, NULL), ==, GLS_PROOF_NONE);

  /* The store's revision metadata is not signed: replicas may differ there. */
  json_object_set_string_member (doc, "_rev", "2-0123456789abcdef0123456789abcdef");
  json_object_set_object_member (doc, "_attachments", json_object_new ());
  json_object_set_array_member (doc, "_conflicts", json_array_new ());
  g_assert_cmpint (gls_proof_verify (doc, NULL, NULL), ==, GLS_PROOF_VALID);
}

static void
test_tampered (void)
{
  g_autoptr(GlsIdentity) identity = gls_identity_new_random ();
  g_autoptr(GlsIdentity) other = gls_identity_new_random ();
  JsonObject *doc, *proof;
  g_autofree char *method = NULL;

  /* The words changed. */
  doc = signed_annotation (identity);
  json_object_set_string_member (json_object_get_object_member (doc, "body"), "value", "Keep the via");
  assert_invalid (doc);
  json_object_unref (doc);

  /* The proof replayed on another id. */
  doc = signed_annotation (identity);
  json_object_set_string_member (doc, "_id", "urn:uuid:2");
  assert_invalid (doc);
  json_object_unref (doc);

  /* Deleted: a tombstone needs a proof of its own. */
  doc = signed_annotation (identity);
  json_object_set_boolean_member (doc, "_deleted", TRUE);
  assert_invalid (doc);
  json_object_unref (doc);

  /* The proof names another key. */
  doc = signed_annotation (identity);
  proof = json_object_get_object_member (doc, "proof");
  method = g_strconcat (gls_identity_get_did (other), "#",
                        gls_identity_get_did (other) + strlen ("did:key:"), NULL);
  json_object_set_string_member (proof, "verificationMethod", method);
  assert_invalid (doc);
  json_object_unref (doc);

  /* A fragment that names another key than the DID. */
  doc = signed_annotation (identity);
  proof = json_object_get_object_member (doc, "proof");
  g_free (method);
  method = g_strconcat (gls_identity_get_did (identity), "#",
                        gls_identity_get_did (other) + strlen ("did:key:"), NULL);
  json_object_set_string_member (proof, "verificationMethod", method);
  assert_invalid (doc);
  json_object_unref (doc);

  /* The proof's own members are signed too. */
  doc = signed_annotation (identity);
  json_object_set_string_member (json_object_get_object_member (doc, "proof"), "created", "2020-01-01T00:00:00Z");
  assert_invalid (doc);
  json_object_unref (doc);

  /* Malformed proofs. */
  doc = signed_annotation (identity);
  json_object_set_string_member (json_object_get_object_member (doc, "proof"), "proofValue", "z111");
  assert_invalid (doc);
  json_object_set_string_member (json_object_get_object_member (doc, "proof"), "proofValue", "not base58!");
  assert_invalid (doc);
  json_object_set_int_member (json_object_get_object_member (doc, "proof"), "proofValue", 7);
  assert_invalid (doc);
  json_object_set_string_member (doc, "proof", "z3");
  assert_invalid (doc);
  json_object_unref (doc);

  doc = signed_annotation (identity);
  json_object_set_string_member (json_object_get_object_member (doc, "proof"), "cryptosuite", "ecdsa-jcs-2019");
  assert_invalid (doc);
  json_object_unref (doc);

  doc = signed_annotation (identity);
  json_object_set_string_member (json_object_get_object_member (doc, "proof"), "@context", "https://example.org/other");
  assert_invalid (doc);
  json_object_unref (doc);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/jcs/numbers", test_jcs_numbers);
  g_test_add_func ("/jcs/members", test_jcs_members);
  g_test_add_func ("/jcs/strings", test_jcs_strings);
  g_test_add_func ("/jcs/refuses", test_jcs_refuses);
  g_test_add_func ("/proof/vector/hashes", test_vector_hashes);
  g_test_add_func ("/proof/vector/verifies", test_vector_verifies);
  g_test_add_func ("/proof/vector/signs", test_vector_signs);
  g_test_add_func ("/proof/sign-verify", test_sign_verify);
  g_test_add_func ("/proof/tampered", test_tampered);

  return g_test_run ();
}
