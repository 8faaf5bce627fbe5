/* gls-tls.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Glossa's TLS: the certificate a Glossa serves HTTPS with, and the pins
 * share links carry.
 *
 * The certificate is self-signed (ECDSA P-256, subject CN "Glossa", no
 * expiry), made with GnuTLS on first use and kept in the data dir as
 * <data-dir>/tls.crt and tls.key (PEM; the key 0600). Nobody vouches for
 * it, so share links pin it instead: its SHA-256 fingerprint, of the DER
 * certificate, rides in the link's fragment, which HTTP clients never send:
 *
 *   https://peer:KEY@192.168.1.5:5985/board#pin=sha256:<43 chars base64url>
 *
 * A pin is also accepted in hex (64 digits, colons allowed, any case, as
 * `openssl x509 -fingerprint -sha256` prints it).
 */

#define GLS_TLS_ERROR (gls_tls_error_quark ())

typedef enum
{
  GLS_TLS_ERROR_FAILED,       /* the certificate could not be made or read */
  GLS_TLS_ERROR_UNAVAILABLE,  /* GLib has no TLS backend (glib-networking) */
  GLS_TLS_ERROR_INVALID_PIN,  /* a link's pin is not a SHA-256 fingerprint */
} GlsTlsError;

#define GLS_TLS_CERTIFICATE_FILE "tls.crt"
#define GLS_TLS_KEY_FILE         "tls.key"

GQuark           gls_tls_error_quark          (void);

/* The data dir's certificate with its key, made (and the dir too) when
 * there is none. Two processes starting at once end with the same one. */
GTlsCertificate *gls_tls_load_certificate     (const char       *data_dir,
                                               GError          **error);

/* "sha256:<base64url of the DER certificate's SHA-256>". */
char            *gls_tls_dup_pin              (GTlsCertificate  *certificate);
/* `pin` in either form, normalized to "sha256:<base64url>"; NULL with a
 * GLS_TLS_ERROR_INVALID_PIN error otherwise. */
char            *gls_tls_normalize_pin        (const char       *pin,
                                               GError          **error);
gboolean         gls_tls_certificate_has_pin  (GTlsCertificate  *certificate,
                                               const char       *pin);

/* The pin in a link's fragment ("#pin=…", among other `&`-separated
 * fields), normalized; NULL without error when the link has none. */
char            *gls_tls_link_dup_pin         (const char       *link,
                                               GError          **error);

G_END_DECLS
