/* gls-tls.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-tls"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "gls-tls.h"

#define PIN_PREFIX "sha256:"
#define DIGEST_SIZE 32
/* How long a reader waits for another process to finish writing the pair. */
#define CREATE_WAIT_MS 2000

G_DEFINE_QUARK (gls-tls-error-quark, gls_tls_error)

/* ---------------------------------------------------------------------------
 * Pins
 */

static char *
base64url_encode (const guint8 *data,
                  gsize         len)
{
  char *text = g_base64_encode (data, len);

  for (char *p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return text;
}

static char *
pin_from_digest (const guint8 digest[DIGEST_SIZE])
{
  g_autofree char *b64 = base64url_encode (digest, DIGEST_SIZE);

  return g_strconcat (PIN_PREFIX, b64, NULL);
}

/* The 32 bytes of a pin in base64url (43 characters, strict) or hex. */
static gboolean
pin_decode (const char *text,
            guint8      digest[DIGEST_SIZE])
{
  gsize len = strlen (text);
  guint n = 0;

  if (len == 43 || (len == 44 && text[43] == '='))
    {
      g_autofree char *standard = g_strndup (text, 43);
      g_autofree guint8 *bytes = NULL;
      g_autofree char *again = NULL;
      g_autofree char *padded = NULL;
      gsize n_bytes = 0;

      for (char *p = standard; *p != '\0'; p++)
        {
          if (*p == '-')
            *p = '+';
          else if (*p == '_')
            *p = '/';
          else if (!g_ascii_isalnum (*p))
            return FALSE;
        }
      padded = g_strconcat (standard, "=", NULL);
      bytes = g_base64_decode (padded, &n_bytes);
      if (n_bytes != DIGEST_SIZE)
        return FALSE;
      /* Only the canonical spelling: the last character's unused bits are 0. */
      again = g_base64_encode (bytes, n_bytes);
      if (!g_str_equal (again, padded))
        return FALSE;
      memcpy (digest, bytes, DIGEST_SIZE);
      return TRUE;
    }

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ':')
        continue;
      if (!g_ascii_isxdigit (p[0]) || !g_ascii_isxdigit (p[1]) || n == DIGEST_SIZE)
        return FALSE;
      digest[n++] = (g_ascii_xdigit_value (p[0]) << 4) | g_ascii_xdigit_value (p[1]);
      p++;
    }
  return n == DIGEST_SIZE;
}

char *
gls_tls_normalize_pin (const char  *pin,
                       GError     **error)
{
  guint8 digest[DIGEST_SIZE];
  const char *value = pin;

  g_return_val_if_fail (pin != NULL, NULL);

  if (g_ascii_strncasecmp (value, "sha256:", 7) == 0)
    value += 7;
  else if (g_ascii_strncasecmp (value, "sha-256:", 8) == 0)
    value += 8;
  if (!pin_decode (value, digest))
    {
      g_set_error (error, GLS_TLS_ERROR, GLS_TLS_ERROR_INVALID_PIN,
                   _("The link’s pin “%s” is not a SHA-256 certificate fingerprint"), pin);
      return NULL;
    }
  return pin_from_digest (digest);
}

char *
gls_tls_dup_pin (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[DIGEST_SIZE];
  gsize len = sizeof digest;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  g_return_val_if_fail (der != NULL, NULL);
  g_checksum_update (checksum, der->data, der->len);
  g_checksum_get_digest (checksum, digest, &len);
  return pin_from_digest (digest);
}

gboolean
gls_tls_certificate_has_pin (GTlsCertificate *certificate,
                             const char      *pin)
{
  g_autofree char *normal = NULL;
  g_autofree char *actual = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), FALSE);
  g_return_val_if_fail (pin != NULL, FALSE);

  if (!(normal = gls_tls_normalize_pin (pin, NULL)))
    return FALSE;
  actual = gls_tls_dup_pin (certificate);
  return g_str_equal (normal, actual);
}

char *
gls_tls_link_dup_pin (const char  *link,
                      GError     **error)
{
  const char *hash;
  g_auto(GStrv) fields = NULL;

  g_return_val_if_fail (link != NULL, NULL);

  if (!(hash = strchr (link, '#')))
    return NULL;
  fields = g_strsplit (hash + 1, "&", -1);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_autofree char *value = NULL;

      if (!g_str_has_prefix (fields[i], "pin="))
        continue;
      value = g_uri_unescape_string (fields[i] + 4, NULL);
      if (value == NULL)
        {
          g_set_error (error, GLS_TLS_ERROR, GLS_TLS_ERROR_INVALID_PIN,
                       _("The link’s pin “%s” is not a SHA-256 certificate fingerprint"),
                       fields[i] + 4);
          return NULL;
        }
      return gls_tls_normalize_pin (value, error);
    }
  return NULL;
}

/* ---------------------------------------------------------------------------
 * The data dir's certificate
 */

static gboolean
gnutls_check (int          ret,
              const char  *what,
              GError     **error)
{
  if (ret >= 0)
    return TRUE;
  g_set_error (error, GLS_TLS_ERROR, GLS_TLS_ERROR_FAILED,
               _("Could not make a TLS certificate (%s: %s)"), what, gnutls_strerror (ret));
  return FALSE;
}

/* A new key pair and its self-signed certificate, both PEM. */
static gboolean
certificate_make (GBytes  **cert_pem,
                  GBytes  **key_pem,
                  GError  **error)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t cert_out = { NULL, 0 };
  gnutls_datum_t key_out = { NULL, 0 };
  guint8 serial[16];
  guint8 key_id[64];
  size_t key_id_size = sizeof key_id;
  time_t now = time (NULL);
  gboolean ok;

  ok = gnutls_check (gnutls_x509_privkey_init (&key), "privkey_init", error)
    && gnutls_check (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                                   GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0),
                     "privkey_generate", error)
    && gnutls_check (gnutls_x509_crt_init (&crt), "crt_init", error)
    && gnutls_check (gnutls_x509_crt_set_version (crt, 3), "set_version", error)
    && gnutls_check (gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial), "rnd", error);
  if (ok)
    {
      /* A positive serial of 16 bytes (RFC 5280 allows up to 20). */
      serial[0] = (serial[0] & 0x7f) | 0x40;
      /* Valid from a day ago (peers' clocks differ), with no expiry: the
       * pin, not a date, says whether to trust it (RFC 5280 4.1.2.5). */
      ok = gnutls_check (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "set_serial", error)
        && gnutls_check (gnutls_x509_crt_set_activation_time (crt, now - 24 * 60 * 60),
                         "set_activation_time", error)
        && gnutls_check (gnutls_x509_crt_set_expiration_time (crt, (time_t) -1),
                         "set_expiration_time", error)
        && gnutls_check (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                                        "Glossa", strlen ("Glossa")),
                         "set_dn", error)
        && gnutls_check (gnutls_x509_crt_set_key (crt, key), "set_key", error)
        && gnutls_check (gnutls_x509_crt_set_basic_constraints (crt, 0, -1),
                         "set_basic_constraints", error)
        && gnutls_check (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE),
                         "set_key_usage", error)
        && gnutls_check (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0),
                         "set_key_purpose", error)
        && gnutls_check (gnutls_x509_crt_get_key_id (crt, GNUTLS_KEYID_USE_SHA1, key_id, &key_id_size),
                         "get_key_id", error)
        && gnutls_check (gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_size),
                         "set_subject_key_id", error)
        && gnutls_check (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), "sign", error)
        && gnutls_check (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &cert_out), "export", error)
        && gnutls_check (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                            GNUTLS_PKCS_PLAIN, &key_out),
                         "export_key", error);
    }
  if (ok)
    {
      *cert_pem = g_bytes_new (cert_out.data, cert_out.size);
      *key_pem = g_bytes_new (key_out.data, key_out.size);
    }
  if (key_out.data != NULL)
    {
      memset (key_out.data, 0, key_out.size);
      gnutls_free (key_out.data);
    }
  gnutls_free (cert_out.data);
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);
  return ok;
}

/* Writes `bytes` to a new file beside `path` (synced); returns its name. */
static char *
temp_write (const char  *path,
            GBytes      *bytes,
            int          mode,
            GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *temp = g_strdup_printf ("%s/.%s-XXXXXX", dir, base);
  const char *data;
  gsize len, done = 0;
  int fd;

  if ((fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, mode)) < 0)
    goto failed;
  data = g_bytes_get_data (bytes, &len);
  while (done < len)
    {
      gssize n = write (fd, data + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;

          close (fd);
          g_unlink (temp);
          errno = saved;
          goto failed;
        }
      done += n;
    }
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      int saved = errno;

      g_unlink (temp);
      errno = saved;
      goto failed;
    }
  return g_steal_pointer (&temp);

failed:
  {
    int saved = errno;

    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                 _("Could not write “%s”: %s"), path, g_strerror (saved));
    return NULL;
  }
}

/* Makes the pair. The key is linked in first and only if there is none
 * (link fails on an existing name), so of two processes one wins; the
 * other leaves its pair and reads the winner's. */
static gboolean
certificate_create (const char  *cert_path,
                    const char  *key_path,
                    GError     **error)
{
  g_autoptr(GBytes) cert_pem = NULL;
  g_autoptr(GBytes) key_pem = NULL;
  g_autofree char *cert_temp = NULL;
  g_autofree char *key_temp = NULL;
  gboolean ok = TRUE;

  if (!certificate_make (&cert_pem, &key_pem, error))
    return FALSE;
  if (!(key_temp = temp_write (key_path, key_pem, 0600, error)))
    return FALSE;
  if (!(cert_temp = temp_write (cert_path, cert_pem, 0644, error)))
    {
      g_unlink (key_temp);
      return FALSE;
    }

  if (link (key_temp, key_path) == 0)
    {
      if (g_rename (cert_temp, cert_path) != 0)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("Could not write “%s”: %s"), cert_path, g_strerror (saved));
          g_unlink (key_path);
          ok = FALSE;
        }
      else
        g_debug ("made a TLS certificate in %s", cert_path);
    }
  else if (errno != EEXIST)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not write “%s”: %s"), key_path, g_strerror (saved));
      ok = FALSE;
    }
  g_unlink (key_temp);
  g_unlink (cert_temp);
  return ok;
}

GTlsCertificate *
gls_tls_load_certificate (const char  *data_dir,
                          GError     **error)
{
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  gint64 deadline = 0;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_set_error_literal (error, GLS_TLS_ERROR, GLS_TLS_ERROR_UNAVAILABLE,
                           _("TLS is not available: GLib’s TLS module (glib-networking) is not installed"));
      return NULL;
    }
  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not create “%s”: %s"), data_dir, g_strerror (saved));
      return NULL;
    }
  cert_path = g_build_filename (data_dir, GLS_TLS_CERTIFICATE_FILE, NULL);
  key_path = g_build_filename (data_dir, GLS_TLS_KEY_FILE, NULL);

  for (;;)
    {
      gboolean have_key = g_file_test (key_path, G_FILE_TEST_EXISTS);
      gboolean have_cert = g_file_test (cert_path, G_FILE_TEST_EXISTS);

      if (have_key && have_cert)
        {
          g_autoptr(GError) local_error = NULL;
          GTlsCertificate *certificate = g_tls_certificate_new_from_files (cert_path, key_path,
                                                                           &local_error);

          if (certificate == NULL)
            {
              g_set_error (error, GLS_TLS_ERROR, GLS_TLS_ERROR_FAILED,
                           _("Could not read the TLS certificate “%s” and its key “%s”: %s"),
                           cert_path, key_path, local_error->message);
              return NULL;
            }
          return certificate;
        }
      if (!have_key)
        {
          /* A certificate without its key is no use to anyone: a new pair. */
          if (have_cert)
            g_unlink (cert_path);
          if (!certificate_create (cert_path, key_path, error))
            return NULL;
          continue;
        }

      /* A key without its certificate: another process is writing it. */
      if (deadline == 0)
        deadline = g_get_monotonic_time () + CREATE_WAIT_MS * 1000;
      else if (g_get_monotonic_time () > deadline)
        {
          g_debug ("%s has no certificate: making a new pair", key_path);
          g_unlink (key_path);
          deadline = 0;
          continue;
        }
      g_usleep (10 * 1000);
    }
}
