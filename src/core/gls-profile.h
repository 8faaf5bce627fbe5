/* gls-profile.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * GlsProfile: what the user signs with, besides the key: the display name
 * (`creator.name`) and the licence IRI of what they write (`rights`).
 * Stored in `<data_dir>/profile.ini`.
 */

#define GLS_PROFILE_FILE "profile.ini"

#define GLS_TYPE_PROFILE (gls_profile_get_type ())

G_DECLARE_FINAL_TYPE (GlsProfile, gls_profile, GLS, PROFILE, GObject)

/* Defaults: the real name (or the user name) and CC BY 4.0. */
GlsProfile *gls_profile_new              (void);
/* A missing file gives the defaults; a broken one is an error. */
GlsProfile *gls_profile_load             (const char  *data_dir,
                                          GError     **error);
gboolean    gls_profile_save             (GlsProfile  *self,
                                          const char  *data_dir,
                                          GError     **error);

/* TRUE when no profile was saved yet in the data dir: the first start. */
gboolean    gls_profile_is_new           (GlsProfile  *self);
/* The account's real name, or NULL when it has none (never the login). */
char       *gls_profile_guess_real_name  (void);
/* The name given in the profile; without one, the account's real name,
 * else "Anonymous". */
const char *gls_profile_get_display_name (GlsProfile  *self);
void        gls_profile_set_display_name (GlsProfile  *self,
                                          const char  *display_name);
const char *gls_profile_get_license      (GlsProfile  *self);
void        gls_profile_set_license      (GlsProfile  *self,
                                          const char  *license);

G_END_DECLS
