/* gls-identity.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-identity"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "gls-identity.h"
#include "gls-types.h"

/* Key file: a GKeyFile with the seed (base64) and, as a check against
 * damage, the did:key it must give. */
#define KEY_GROUP      "Ed25519"
#define KEY_SEED       "Seed"
#define KEY_DID        "DID"

static const char base58_alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

struct _GlsIdentity
{
  GObject  parent_instance;

  guint8   public_key[crypto_sign_PUBLICKEYBYTES];
  guint8  *secret_key; /* sodium_malloc'ed, crypto_sign_SECRETKEYBYTES */
  char    *did;
};

G_DEFINE_FINAL_TYPE (GlsIdentity, gls_identity, G_TYPE_OBJECT)

static void
ensure_sodium (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      if (sodium_init () < 0)
        g_error ("libsodium could not be initialised");
      g_once_init_leave (&initialized, 1);
    }
}

static void
gls_identity_finalize (GObject *object)
{
  GlsIdentity *self = GLS_IDENTITY (object);

  g_clear_pointer (&self->secret_key, sodium_free);
  g_clear_pointer (&self->did, g_free);

  G_OBJECT_CLASS (gls_identity_parent_class)->finalize (object);
}

static void
gls_identity_class_init (GlsIdentityClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gls_identity_finalize;
}

static void
gls_identity_init (GlsIdentity *self)
{
  ensure_sodium ();
  self->secret_key = sodium_malloc (crypto_sign_SECRETKEYBYTES);
  g_assert (self->secret_key != NULL);
}

char *
gls_base58btc_encode (const guint8 *data,
                      gsize         len)
{
  g_autofree guint8 *digits = NULL;
  gsize zeros = 0;
  gsize n_digits = 0;
  GString *str;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  while (zeros < len && data[zeros] == 0)
    zeros++;

  /* log(256) / log(58) < 1.37 */
  digits = g_malloc0 (len * 138 / 100 + 1);
  for (gsize i = zeros; i < len; i++)
    {
      guint carry = data[i];

      for (gsize j = 0; j < n_digits; j++)
        {
          carry += (guint) digits[j] << 8;
          digits[j] = carry % 58;
          carry /= 58;
        }
      while (carry > 0)
        {
          digits[n_digits++] = carry % 58;
          carry /= 58;
        }
    }

  str = g_string_sized_new (zeros + n_digits + 1);
  for (gsize i = 0; i < zeros; i++)
    g_string_append_c (str, '1');
  for (gsize i = n_digits; i > 0; i--)
    g_string_append_c (str, base58_alphabet[digits[i - 1]]);

  return g_string_free (str, FALSE);
}

GBytes *
gls_base58btc_decode (const char  *str,
                      GError     **error)
{
  g_autofree guint8 *bytes = NULL;
  gsize len, zeros = 0, n_bytes = 0;
  GByteArray *out;

  g_return_val_if_fail (str != NULL, NULL);

  len = strlen (str);
  while (zeros < len && str[zeros] == '1')
    zeros++;

  bytes = g_malloc0 (len * 733 / 1000 + 1);
  for (gsize i = zeros; i < len; i++)
    {
      const char *p = strchr (base58_alphabet, str[i]);
      guint carry;

      if (p == NULL || str[i] == '\0')
        {
          g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                       _("“%c” is not a base58 digit"), str[i]);
          return NULL;
        }

      carry = p - base58_alphabet;
      for (gsize j = 0; j < n_bytes; j++)
        {
          carry += (guint) bytes[j] * 58;
          bytes[j] = carry & 0xff;
          carry >>= 8;
        }
      while (carry > 0)
        {
          bytes[n_bytes++] = carry & 0xff;
          carry >>= 8;
        }
    }

  out = g_byte_array_sized_new (zeros + n_bytes);
  for (gsize i = 0; i < zeros; i++)
    g_byte_array_append (out, (const guint8 *) "\0", 1);
  for (gsize i = n_bytes; i > 0; i--)
    g_byte_array_append (out, &bytes[i - 1], 1);

  return g_byte_array_free_to_bytes (out);
}

char *
gls_did_key_from_public_key (const guint8 *public_key)
{
  guint8 buf[2 + crypto_sign_PUBLICKEYBYTES] = { 0xed, 0x01 };
  g_autofree char *b58 = NULL;

  g_return_val_if_fail (public_key != NULL, NULL);

  memcpy (buf + 2, public_key, crypto_sign_PUBLICKEYBYTES);
  b58 = gls_base58btc_encode (buf, sizeof buf);

  return g_strconcat ("did:key:z", b58, NULL);
}

GBytes *
gls_did_key_to_public_key (const char  *did,
                           GError     **error)
{
  g_autoptr(GBytes) raw = NULL;
  const guint8 *data;
  gsize len;

  g_return_val_if_fail (did != NULL, NULL);

  if (!g_str_has_prefix (did, "did:key:z"))
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                   _("“%s” is not a base58btc did:key"), did);
      return NULL;
    }

  raw = gls_base58btc_decode (did + strlen ("did:key:z"), error);
  if (raw == NULL)
    return NULL;

  data = g_bytes_get_data (raw, &len);
  if (len != 2 + crypto_sign_PUBLICKEYBYTES || data[0] != 0xed || data[1] != 0x01)
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_UNSUPPORTED,
                   _("“%s” is not the did:key of an Ed25519 public key"), did);
      return NULL;
    }

  return g_bytes_new_from_bytes (raw, 2, crypto_sign_PUBLICKEYBYTES);
}

static GlsIdentity *
identity_new_from_seed_data (const guint8 *seed)
{
  GlsIdentity *self = g_object_new (GLS_TYPE_IDENTITY, NULL);

  crypto_sign_seed_keypair (self->public_key, self->secret_key, seed);
  self->did = gls_did_key_from_public_key (self->public_key);

  return self;
}

GlsIdentity *
gls_identity_new_from_seed (GBytes  *seed,
                            GError **error)
{
  g_return_val_if_fail (seed != NULL, NULL);

  if (g_bytes_get_size (seed) != crypto_sign_SEEDBYTES)
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                   _("An Ed25519 seed has %d bytes, not %lu"),
                   crypto_sign_SEEDBYTES, (gulong) g_bytes_get_size (seed));
      return NULL;
    }

  return identity_new_from_seed_data (g_bytes_get_data (seed, NULL));
}

GlsIdentity *
gls_identity_new_random (void)
{
  guint8 seed[crypto_sign_SEEDBYTES];
  GlsIdentity *self;

  ensure_sodium ();
  randombytes_buf (seed, sizeof seed);
  self = identity_new_from_seed_data (seed);
  sodium_memzero (seed, sizeof seed);

  return self;
}

static GlsIdentity *
identity_load (const char  *path,
               GError     **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *seed64 = NULL;
  g_autofree char *did = NULL;
  g_autofree guint8 *seed = NULL;
  gsize seed_len = 0;
  GlsIdentity *self;

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_set_error (error, GLS_CORE_ERROR,
                   local_error->domain == G_KEY_FILE_ERROR ? GLS_CORE_ERROR_CORRUPT
                                                            : GLS_CORE_ERROR_IO,
                   _("Cannot read the identity key “%s”: %s"), path, local_error->message);
      return NULL;
    }

  seed64 = g_key_file_get_string (kf, KEY_GROUP, KEY_SEED, NULL);
  did = g_key_file_get_string (kf, KEY_GROUP, KEY_DID, NULL);
  if (seed64 != NULL)
    seed = g_base64_decode (seed64, &seed_len);

  if (seed == NULL || seed_len != crypto_sign_SEEDBYTES || did == NULL)
    {
      if (seed != NULL)
        sodium_memzero (seed, seed_len);
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_CORRUPT,
                   _("The identity key “%s” is damaged (no valid seed); it was left "
                   "as it is — restore it from a backup or move it away"), path);
      return NULL;
    }

  self = identity_new_from_seed_data (seed);
  sodium_memzero (seed, seed_len);

  if (!g_str_equal (self->did, did))
    {
      g_object_unref (self);
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_CORRUPT,
                   _("The identity key “%s” is damaged (its seed does not give its "
                   "DID %s); it was left as it is"), path, did);
      return NULL;
    }

  return self;
}

static gboolean
write_all (int           fd,
           const char   *data,
           gsize         len)
{
  while (len > 0)
    {
      gssize n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      len -= n;
    }

  return fsync (fd) == 0;
}

/* Publishes the key at `path` only if there is none yet: the secret goes to
 * a temporary file made with mode 0600, which is then hard-linked to
 * `path`. link () fails if another process got there first; then
 * *exists is set and the caller loads theirs, so two programs starting at
 * once never end up with two identities. */
static gboolean
identity_save (GlsIdentity  *self,
               const guint8 *seed,
               const char   *path,
               gboolean     *exists,
               GError      **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autofree char *seed64 = g_base64_encode (seed, crypto_sign_SEEDBYTES);
  g_autofree char *data = NULL;
  g_autofree char *tmp = g_strconcat (path, ".XXXXXX", NULL);
  gboolean ok = FALSE;
  gsize len;
  int fd;

  *exists = FALSE;

  g_key_file_set_comment (kf, NULL, NULL,
                          " Glossa identity: the secret Ed25519 key of this user. Keep it private.",
                          NULL);
  g_key_file_set_string (kf, KEY_GROUP, KEY_SEED, seed64);
  g_key_file_set_string (kf, KEY_GROUP, KEY_DID, self->did);
  data = g_key_file_to_data (kf, &len, NULL);

  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int errsv = errno;

      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_IO, "%s: %s", tmp, g_strerror (errsv));
      goto out;
    }

  if (!write_all (fd, data, len))
    {
      int errsv = errno;

      close (fd);
      g_unlink (tmp);
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_IO, "%s: %s", tmp, g_strerror (errsv));
      goto out;
    }
  close (fd);

  if (link (tmp, path) != 0)
    {
      int errsv = errno;

      g_unlink (tmp);
      if (errsv == EEXIST)
        {
          *exists = TRUE;
          goto out;
        }
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_IO, "%s: %s", path, g_strerror (errsv));
      goto out;
    }
  g_unlink (tmp);
  ok = TRUE;

out:
  sodium_memzero (seed64, strlen (seed64));
  sodium_memzero (data, len);

  return ok;
}

GlsIdentity *
gls_identity_load_or_create (const char  *data_dir,
                             GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GlsIdentity) self = NULL;
  guint8 seed[crypto_sign_SEEDBYTES];
  gboolean exists = FALSE;
  gboolean ok;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ensure_sodium ();

  path = g_build_filename (data_dir, GLS_IDENTITY_FILE, NULL);
  self = identity_load (path, &local_error);
  if (self != NULL)
    return g_steal_pointer (&self);

  if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int errsv = errno;

      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_IO,
                   _("Cannot create the data folder “%s”: %s"), data_dir, g_strerror (errsv));
      return NULL;
    }

  g_clear_error (&local_error);
  randombytes_buf (seed, sizeof seed);
  self = identity_new_from_seed_data (seed);
  ok = identity_save (self, seed, path, &exists, &local_error);
  sodium_memzero (seed, sizeof seed);

  if (exists)
    return identity_load (path, error);

  if (!ok)
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_IO,
                   _("Cannot store the identity key: %s"), local_error->message);
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
gls_identity_get_did (GlsIdentity *self)
{
  g_return_val_if_fail (GLS_IS_IDENTITY (self), NULL);

  return self->did;
}

GBytes *
gls_identity_get_public_key (GlsIdentity *self)
{
  g_return_val_if_fail (GLS_IS_IDENTITY (self), NULL);

  return g_bytes_new (self->public_key, sizeof self->public_key);
}

GBytes *
gls_identity_sign (GlsIdentity *self,
                   GBytes      *message)
{
  guint8 sig[crypto_sign_BYTES];
  gsize len;
  const guint8 *data;

  g_return_val_if_fail (GLS_IS_IDENTITY (self), NULL);
  g_return_val_if_fail (message != NULL, NULL);

  data = g_bytes_get_data (message, &len);
  crypto_sign_detached (sig, NULL, data, len, self->secret_key);

  return g_bytes_new (sig, sizeof sig);
}

static gboolean
verify_with_key (const guint8 *public_key,
                 GBytes       *message,
                 GBytes       *signature)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (message, &len);

  if (g_bytes_get_size (signature) != crypto_sign_BYTES)
    return FALSE;

  return crypto_sign_verify_detached (g_bytes_get_data (signature, NULL),
                                      data, len, public_key) == 0;
}

gboolean
gls_identity_verify (GlsIdentity *self,
                     GBytes      *message,
                     GBytes      *signature)
{
  g_return_val_if_fail (GLS_IS_IDENTITY (self), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (signature != NULL, FALSE);

  return verify_with_key (self->public_key, message, signature);
}

gboolean
gls_did_key_verify (const char  *did,
                    GBytes      *message,
                    GBytes      *signature,
                    GError     **error)
{
  g_autoptr(GBytes) key = NULL;

  g_return_val_if_fail (did != NULL, FALSE);
  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (signature != NULL, FALSE);

  ensure_sodium ();

  key = gls_did_key_to_public_key (did, error);
  if (key == NULL)
    return FALSE;

  if (!verify_with_key (g_bytes_get_data (key, NULL), message, signature))
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                   _("The signature does not match %s"), did);
      return FALSE;
    }

  return TRUE;
}
