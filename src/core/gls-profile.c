/* gls-profile.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-profile"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <glib/gstdio.h>

#include "gls-profile.h"
#include "gls-types.h"

#define GROUP         "Profile"
#define KEY_NAME      "DisplayName"
#define KEY_LICENSE   "License"

struct _GlsProfile
{
  GObject  parent_instance;

  char    *display_name;
  char    *license;
  gboolean is_new;      /* no profile.ini was read: the first start */
};

G_DEFINE_FINAL_TYPE (GlsProfile, gls_profile, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DISPLAY_NAME,
  PROP_LICENSE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
set_str (char       **ptr,
         const char  *value)
{
  if (g_strcmp0 (*ptr, value) == 0)
    return FALSE;

  g_free (*ptr);
  *ptr = g_strdup (value);
  return TRUE;
}

char *
gls_profile_guess_real_name (void)
{
  const char *name = g_get_real_name ();

  /* GLib answers "Unknown" when there is no real name; a GECOS field that
   * only repeats the login (root's does) is no name either. */
  if (name == NULL || *name == '\0' || g_str_equal (name, "Unknown") ||
      g_str_equal (name, g_get_user_name ()) || !g_utf8_validate (name, -1, NULL))
    return NULL;

  return g_strdup (name);
}

/* Never the bare login: a person's name is theirs to give. */
static char *
default_display_name (void)
{
  char *name = gls_profile_guess_real_name ();

  return name != NULL ? name : g_strdup ("Anonymous");
}

static void
gls_profile_finalize (GObject *object)
{
  GlsProfile *self = GLS_PROFILE (object);

  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->license, g_free);

  G_OBJECT_CLASS (gls_profile_parent_class)->finalize (object);
}

static void
gls_profile_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  GlsProfile *self = GLS_PROFILE (object);

  switch (prop_id)
    {
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_LICENSE:
      g_value_set_string (value, self->license);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_profile_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  GlsProfile *self = GLS_PROFILE (object);

  switch (prop_id)
    {
    case PROP_DISPLAY_NAME:
      gls_profile_set_display_name (self, g_value_get_string (value));
      break;
    case PROP_LICENSE:
      gls_profile_set_license (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_profile_class_init (GlsProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gls_profile_finalize;
  object_class->get_property = gls_profile_get_property;
  object_class->set_property = gls_profile_set_property;

  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LICENSE] =
    g_param_spec_string ("license", NULL, NULL, GLS_DEFAULT_LICENSE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gls_profile_init (GlsProfile *self)
{
  self->display_name = default_display_name ();
  self->license = g_strdup (GLS_DEFAULT_LICENSE);
}

GlsProfile *
gls_profile_new (void)
{
  return g_object_new (GLS_TYPE_PROFILE, NULL);
}

GlsProfile *
gls_profile_load (const char  *data_dir,
                  GError     **error)
{
  g_autoptr(GlsProfile) self = gls_profile_new ();
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *license = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);

  path = g_build_filename (data_dir, GLS_PROFILE_FILE, NULL);
  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_KEEP_COMMENTS, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          self->is_new = TRUE;
          return g_steal_pointer (&self);
        }

      g_set_error (error, GLS_CORE_ERROR,
                   local_error->domain == G_KEY_FILE_ERROR ? GLS_CORE_ERROR_CORRUPT
                                                            : GLS_CORE_ERROR_IO,
                   _("Cannot read the profile “%s”: %s"), path, local_error->message);
      return NULL;
    }

  name = g_key_file_get_string (kf, GROUP, KEY_NAME, NULL);
  license = g_key_file_get_string (kf, GROUP, KEY_LICENSE, NULL);
  if (name != NULL && *name != '\0')
    gls_profile_set_display_name (self, name);
  if (license != NULL && *license != '\0')
    {
      if (!g_uri_is_valid (license, G_URI_FLAGS_NONE, NULL))
        {
          g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_CORRUPT,
                       _("The licence in the profile “%s” is not an IRI: “%s”"), path, license);
          return NULL;
        }
      gls_profile_set_license (self, license);
    }

  return g_steal_pointer (&self);
}

gboolean
gls_profile_save (GlsProfile  *self,
                  const char  *data_dir,
                  GError     **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  gsize len;

  g_return_val_if_fail (GLS_IS_PROFILE (self), FALSE);
  g_return_val_if_fail (data_dir != NULL, FALSE);

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int errsv = errno;

      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_IO,
                   _("Cannot create the data folder “%s”: %s"), data_dir, g_strerror (errsv));
      return FALSE;
    }

  g_key_file_set_string (kf, GROUP, KEY_NAME, self->display_name);
  g_key_file_set_string (kf, GROUP, KEY_LICENSE, self->license);
  data = g_key_file_to_data (kf, &len, NULL);

  path = g_build_filename (data_dir, GLS_PROFILE_FILE, NULL);
  if (!g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0644,
                                 &local_error))
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_IO,
                   _("Cannot save the profile: %s"), local_error->message);
      return FALSE;
    }

  return TRUE;
}

gboolean
gls_profile_is_new (GlsProfile *self)
{
  g_return_val_if_fail (GLS_IS_PROFILE (self), FALSE);

  return self->is_new;
}

const char *
gls_profile_get_display_name (GlsProfile *self)
{
  g_return_val_if_fail (GLS_IS_PROFILE (self), NULL);

  return self->display_name;
}

void
gls_profile_set_display_name (GlsProfile *self,
                              const char *display_name)
{
  g_autofree char *fallback = NULL;

  g_return_if_fail (GLS_IS_PROFILE (self));

  if (display_name == NULL || *display_name == '\0')
    display_name = fallback = default_display_name ();

  if (set_str (&self->display_name, display_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
}

const char *
gls_profile_get_license (GlsProfile *self)
{
  g_return_val_if_fail (GLS_IS_PROFILE (self), NULL);

  return self->license;
}

void
gls_profile_set_license (GlsProfile *self,
                         const char *license)
{
  g_return_if_fail (GLS_IS_PROFILE (self));

  if (license == NULL || *license == '\0')
    license = GLS_DEFAULT_LICENSE;

  if (set_str (&self->license, license))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LICENSE]);
}
