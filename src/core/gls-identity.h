/* gls-identity.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * GlsIdentity: the user's Ed25519 key pair. The public key, written as a
 * did:key (`did:key:z6Mk…`), is the `creator.id` of everything the user
 * writes. The secret lives in `<data_dir>/identity.key`, mode 0600.
 */

#define GLS_IDENTITY_FILE        "identity.key"
#define GLS_ED25519_PUBLIC_SIZE  32
#define GLS_ED25519_SEED_SIZE    32
#define GLS_ED25519_SIG_SIZE     64

#define GLS_TYPE_IDENTITY (gls_identity_get_type ())

G_DECLARE_FINAL_TYPE (GlsIdentity, gls_identity, GLS, IDENTITY, GObject)

/* Loads the key, or makes and stores a new one when there is no key file.
 * A damaged key file is an error (GLS_CORE_ERROR_CORRUPT), never replaced. */
GlsIdentity *gls_identity_load_or_create   (const char   *data_dir,
                                            GError      **error);
/* 32-byte seed (crypto_sign_seed_keypair). */
GlsIdentity *gls_identity_new_from_seed    (GBytes       *seed,
                                            GError      **error);
GlsIdentity *gls_identity_new_random       (void);

const char  *gls_identity_get_did          (GlsIdentity  *self);
GBytes      *gls_identity_get_public_key   (GlsIdentity  *self);
/* Detached signature, 64 bytes. */
GBytes      *gls_identity_sign             (GlsIdentity  *self,
                                            GBytes       *message);
gboolean     gls_identity_verify           (GlsIdentity  *self,
                                            GBytes       *message,
                                            GBytes       *signature);
/* Verifies against any did:key of an Ed25519 key. */
gboolean     gls_did_key_verify            (const char   *did,
                                            GBytes       *message,
                                            GBytes       *signature,
                                            GError      **error);

char        *gls_did_key_from_public_key   (const guint8 *public_key);
/* Returns the 32-byte public key, or NULL and an error. */
GBytes      *gls_did_key_to_public_key     (const char   *did,
                                            GError      **error);

char        *gls_base58btc_encode          (const guint8 *data,
                                            gsize         len);
GBytes      *gls_base58btc_decode          (const char   *str,
                                            GError      **error);

G_END_DECLS
