/* test-core-identity.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "gls-identity.h"
#include "gls-profile.h"
#include "gls-types.h"
#include "test-util.h"

/* A key pair published with its did:key (decentralized-identity's
 * decentralized-web-node vendor-interoperability mock client): base58
 * secret key (seed ‖ public key), base58 public key, and the DID. */
#define VECTOR_SECRET "3FFXDEFub6DPDX9CEZugQKAFikm1rfnNFwdycUGksAWhrs6BNca6USdttMcyx6oAdKmtnFBQijgisU58r26JfXJF"
#define VECTOR_PUBLIC "HrBXe7XnjMbscM1roSDTSMCcLNraetDQM9wSVjnzDxn3"
#define VECTOR_DID    "did:key:z6MkwJSaEMnE4u6LiqrZV1BJHSkc9x8S4mTm3ArNL1m19BZR"

static void
test_base58 (void)
{
  static const struct { const char *hex; const char *b58; } vectors[] = {
    /* Bitcoin's base58 test vectors (base58_encode_decode.json). */
    { "", "" },
    { "00", "1" },
    { "0000", "11" },
    { "61", "2g" },
    { "626262", "a3gV" },
    { "636363", "aPEr" },
    { "00000000287fb4cd", "1111233QC4" },
    { "516b6fcd0f", "ABnLTmg" },
    { "572e4794", "3EFU7m" },
    { "ecac89cad93923c02321", "EJDM8drfXA6uyA" },
    { "10c8511e", "Rt5zm" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      gsize len = strlen (vectors[i].hex) / 2;
      g_autofree guint8 *bytes = g_malloc0 (len + 1);
      g_autofree char *enc = NULL;
      g_autoptr(GBytes) dec = NULL;
      g_autoptr(GError) error = NULL;

      for (gsize j = 0; j < len; j++)
        bytes[j] = g_ascii_xdigit_value (vectors[i].hex[2 * j]) << 4 |
                   g_ascii_xdigit_value (vectors[i].hex[2 * j + 1]);

      enc = gls_base58btc_encode (bytes, len);
      g_assert_cmpstr (enc, ==, vectors[i].b58);

      dec = gls_base58btc_decode (vectors[i].b58, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (dec, NULL), g_bytes_get_size (dec), bytes, len);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) bad = gls_base58btc_decode ("abc0", &error);

    /* 0, O, I and l are not base58 digits. */
    g_assert_null (bad);
    g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
  }
}

static void
test_did_key_vector (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) secret = gls_base58btc_decode (VECTOR_SECRET, &error);
  g_autoptr(GBytes) public = gls_base58btc_decode (VECTOR_PUBLIC, &error);
  g_autoptr(GBytes) seed = NULL;
  g_autoptr(GBytes) pk = NULL;
  g_autoptr(GBytes) from_did = NULL;
  g_autoptr(GlsIdentity) identity = NULL;
  g_autofree char *did = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (secret), ==, 64);
  g_assert_cmpuint (g_bytes_get_size (public), ==, 32);

  /* Public key -> did:key */
  did = gls_did_key_from_public_key (g_bytes_get_data (public, NULL));
  g_assert_cmpstr (did, ==, VECTOR_DID);

  /* did:key -> public key */
  from_did = gls_did_key_to_public_key (VECTOR_DID, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (from_did, public));

  /* Seed -> the same key pair and DID */
  seed = g_bytes_new_from_bytes (secret, 0, 32);
  identity = gls_identity_new_from_seed (seed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gls_identity_get_did (identity), ==, VECTOR_DID);
  pk = gls_identity_get_public_key (identity);
  g_assert_true (g_bytes_equal (pk, public));
  g_assert_true (g_str_has_prefix (gls_identity_get_did (identity), "did:key:z6Mk"));
}

/* The did:key method specification's first Ed25519 test vector
 * (test-vectors/ed25519-x25519.json): the all-zero seed. */
static void
test_did_key_spec_vector (void)
{
  static const guint8 zero[32] = { 0 };
  g_autoptr(GBytes) seed = g_bytes_new_static (zero, sizeof zero);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsIdentity) identity = gls_identity_new_from_seed (seed, &error);
  g_autoptr(GBytes) short_seed = g_bytes_new_static (zero, 31);
  GlsIdentity *bad;

  g_assert_no_error (error);
  g_assert_cmpstr (gls_identity_get_did (identity), ==,
                   "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp");

  bad = gls_identity_new_from_seed (short_seed, &error);
  g_assert_null (bad);
  g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
}

static void
test_did_key_errors (void)
{
  static const char *bad[] = {
    "did:web:example.org",
    "did:key:mABCDEF",                      /* not base58btc */
    "did:key:z",                            /* empty */
    "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169", /* P-256, not Ed25519 */
    "did:key:z6MkwJSaEMnE4u6LiqrZV1BJHSkc9x8S4mTm3ArNL1m19BZ", /* too short */
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) key = gls_did_key_to_public_key (bad[i], &error);

      g_assert_null (key);
      g_assert_error (error, GLS_CORE_ERROR, error->code);
      g_assert_true (error->code == GLS_CORE_ERROR_INVALID ||
                     error->code == GLS_CORE_ERROR_UNSUPPORTED);
    }
}

static void
test_sign_verify (void)
{
  g_autoptr(GlsIdentity) alice = gls_identity_new_random ();
  g_autoptr(GlsIdentity) bob = gls_identity_new_random ();
  g_autoptr(GBytes) msg = g_bytes_new_static ("a comment", 9);
  g_autoptr(GBytes) other = g_bytes_new_static ("a comment!", 10);
  g_autoptr(GBytes) sig = gls_identity_sign (alice, msg);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_bytes_get_size (sig), ==, 64);
  g_assert_cmpstr (gls_identity_get_did (alice), !=, gls_identity_get_did (bob));

  g_assert_true (gls_identity_verify (alice, msg, sig));
  g_assert_false (gls_identity_verify (alice, other, sig));
  g_assert_false (gls_identity_verify (bob, msg, sig));

  g_assert_true (gls_did_key_verify (gls_identity_get_did (alice), msg, sig, &error));
  g_assert_no_error (error);
  g_assert_false (gls_did_key_verify (gls_identity_get_did (bob), msg, sig, &error));
  g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
}

static void
test_load_or_create (void)
{
  g_autofree char *tmp = test_data_dir_new ("glossa-core-XXXXXX");
  g_autofree char *data_dir = g_build_filename (tmp, "nested", "glossa", NULL);
  g_autofree char *path = g_build_filename (data_dir, GLS_IDENTITY_FILE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsIdentity) first = NULL;
  g_autoptr(GlsIdentity) second = NULL;
  g_autoptr(GBytes) msg = g_bytes_new_static ("x", 1);
  g_autoptr(GBytes) sig = NULL;
  g_autoptr(GDir) dir = NULL;
  GStatBuf st;

  first = gls_identity_load_or_create (data_dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);

  /* Only the owner may read the secret. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* No temporary file left behind. */
  dir = g_dir_open (data_dir, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_dir_read_name (dir), ==, GLS_IDENTITY_FILE);
  g_assert_null (g_dir_read_name (dir));

  /* Reloading gives the same key: signatures still verify. */
  second = gls_identity_load_or_create (data_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gls_identity_get_did (first), ==, gls_identity_get_did (second));
  sig = gls_identity_sign (second, msg);
  g_assert_true (gls_identity_verify (first, msg, sig));

  test_rm_rf (tmp);
}

static gpointer
create_thread (gpointer data)
{
  GlsIdentity *identity = gls_identity_load_or_create (data, NULL);

  g_assert_nonnull (identity);
  return identity;
}

static void
test_concurrent_create (void)
{
  /* Several programs starting at once on a fresh data dir (the GUI and a
   * command, say) must agree on one identity. */
  for (guint round = 0; round < 20; round++)
    {
      g_autofree char *tmp = test_data_dir_new ("glossa-core-XXXXXX");
      GThread *threads[6];
      GlsIdentity *ids[G_N_ELEMENTS (threads)];

      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        threads[i] = g_thread_new ("create", create_thread, tmp);
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        ids[i] = g_thread_join (threads[i]);

      for (guint i = 1; i < G_N_ELEMENTS (threads); i++)
        g_assert_cmpstr (gls_identity_get_did (ids[i]), ==, gls_identity_get_did (ids[0]));
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        g_object_unref (ids[i]);

      test_rm_rf (tmp);
    }
}

static void
assert_corrupt_kept (const char *contents)
{
  g_autofree char *tmp = test_data_dir_new ("glossa-core-XXXXXX");
  g_autofree char *path = g_build_filename (tmp, GLS_IDENTITY_FILE, NULL);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsIdentity) identity = NULL;

  g_assert_true (g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_NONE, 0600,
                                           NULL));

  identity = gls_identity_load_or_create (tmp, &error);
  g_assert_null (identity);
  g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, path));

  /* The damaged file is left for the user to rescue, not replaced. */
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, contents);

  test_rm_rf (tmp);
}

static void
test_corrupt (void)
{
  g_autofree char *tmp = test_data_dir_new ("glossa-core-XXXXXX");
  g_autofree char *path = g_build_filename (tmp, GLS_IDENTITY_FILE, NULL);
  g_autofree char *good = NULL;
  g_autoptr(GlsIdentity) identity = NULL;
  g_autoptr(GString) flipped = NULL;
  char *seed;

  assert_corrupt_kept ("");
  assert_corrupt_kept ("\x01\x02 not a key file");
  assert_corrupt_kept ("[Ed25519]\nSeed=AAAA\nDID=did:key:z6Mk\n");
  assert_corrupt_kept ("[Ed25519]\nDID=" VECTOR_DID "\n");

  /* One changed character in a real key file: the DID check catches it. */
  identity = gls_identity_load_or_create (tmp, NULL);
  g_assert_nonnull (identity);
  g_assert_true (g_file_get_contents (path, &good, NULL, NULL));
  flipped = g_string_new (good);
  seed = strstr (flipped->str, "Seed=");
  g_assert_nonnull (seed);
  seed[5] = seed[5] == 'A' ? 'B' : 'A';
  assert_corrupt_kept (flipped->str);

  test_rm_rf (tmp);
}

static void
test_profile (void)
{
  g_autofree char *tmp = test_data_dir_new ("glossa-core-XXXXXX");
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsProfile) defaults = NULL;
  g_autoptr(GlsProfile) loaded = NULL;
  g_autoptr(GlsProfile) again = NULL;
  g_autofree char *path = g_build_filename (tmp, GLS_PROFILE_FILE, NULL);
  guint notified = 0;

  /* No file yet: defaults. */
  defaults = gls_profile_load (tmp, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gls_profile_get_license (defaults), ==,
                   "https://creativecommons.org/licenses/by/4.0/");
  g_assert_nonnull (gls_profile_get_display_name (defaults));
  g_assert_cmpstr (gls_profile_get_display_name (defaults), !=, "");

  g_signal_connect_swapped (defaults, "notify", G_CALLBACK (g_atomic_int_inc), &notified);
  gls_profile_set_display_name (defaults, "Ada Lovelace");
  gls_profile_set_display_name (defaults, "Ada Lovelace");
  g_assert_cmpuint (notified, ==, 1);
  g_object_set (defaults, "license", "https://creativecommons.org/publicdomain/zero/1.0/", NULL);
  g_assert_cmpuint (notified, ==, 2);

  g_assert_true (gls_profile_save (defaults, tmp, &error));
  g_assert_no_error (error);

  loaded = gls_profile_load (tmp, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gls_profile_get_display_name (loaded), ==, "Ada Lovelace");
  g_assert_cmpstr (gls_profile_get_license (loaded), ==,
                   "https://creativecommons.org/publicdomain/zero/1.0/");

  /* A broken file is an error, not silently the defaults. */
  g_assert_true (g_file_set_contents (path, "[Profile\nDisplayName=x", -1, NULL));
  again = gls_profile_load (tmp, &error);
  g_assert_null (again);
  g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_CORRUPT);

  test_rm_rf (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/identity/base58", test_base58);
  g_test_add_func ("/core/identity/did-key-vector", test_did_key_vector);
  g_test_add_func ("/core/identity/did-key-spec-vector", test_did_key_spec_vector);
  g_test_add_func ("/core/identity/did-key-errors", test_did_key_errors);
  g_test_add_func ("/core/identity/sign-verify", test_sign_verify);
  g_test_add_func ("/core/identity/load-or-create", test_load_or_create);
  g_test_add_func ("/core/identity/concurrent-create", test_concurrent_create);
  g_test_add_func ("/core/identity/corrupt", test_corrupt);
  g_test_add_func ("/core/profile/load-save", test_profile);

  return g_test_run ();
}
