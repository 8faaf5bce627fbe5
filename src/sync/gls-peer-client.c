/* gls-peer-client.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-peer-client"

#include "config.h"

#include <string.h>

#include "gls-peer-client-private.h"

struct _GlsPeerClient
{
  GObject   parent_instance;

  char     *database;
  char     *address;
  char     *user_agent;
  /* Self-declared by the client: shown, never trusted (see the header). */
  char     *did;
  char     *name;
  gboolean  read_only;
};

G_DEFINE_FINAL_TYPE (GlsPeerClient, gls_peer_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATABASE,
  PROP_ADDRESS,
  PROP_USER_AGENT,
  PROP_DID,
  PROP_NAME,
  PROP_READ_ONLY,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
gls_peer_client_finalize (GObject *object)
{
  GlsPeerClient *self = GLS_PEER_CLIENT (object);

  g_free (self->database);
  g_free (self->address);
  g_free (self->user_agent);
  g_free (self->did);
  g_free (self->name);

  G_OBJECT_CLASS (gls_peer_client_parent_class)->finalize (object);
}

static void
gls_peer_client_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GlsPeerClient *self = GLS_PEER_CLIENT (object);

  switch (prop_id)
    {
    case PROP_DATABASE: g_value_set_string (value, self->database); break;
    case PROP_ADDRESS: g_value_set_string (value, self->address); break;
    case PROP_USER_AGENT: g_value_set_string (value, self->user_agent); break;
    case PROP_DID: g_value_set_string (value, self->did); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_READ_ONLY: g_value_set_boolean (value, self->read_only); break;
    case PROP_TITLE: g_value_take_string (value, gls_peer_client_dup_title (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_peer_client_class_init (GlsPeerClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = gls_peer_client_finalize;
  object_class->get_property = gls_peer_client_get_property;

  properties[PROP_DATABASE] = g_param_spec_string ("database", NULL, NULL, NULL, flags);
  properties[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL, flags);
  properties[PROP_USER_AGENT] = g_param_spec_string ("user-agent", NULL, NULL, NULL, flags);
  properties[PROP_DID] = g_param_spec_string ("did", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_READ_ONLY] = g_param_spec_boolean ("read-only", NULL, NULL, FALSE, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gls_peer_client_init (GlsPeerClient *self)
{
}

GlsPeerClient *
_gls_peer_client_new (const char *database,
                      const char *address,
                      const char *user_agent,
                      const char *did,
                      const char *name,
                      gboolean    read_only)
{
  GlsPeerClient *self = g_object_new (GLS_TYPE_PEER_CLIENT, NULL);

  self->database = g_strdup (database);
  self->address = g_strdup (address);
  self->user_agent = g_strdup (user_agent);
  self->did = g_strdup (did);
  self->name = g_strdup (name);
  self->read_only = read_only;
  return self;
}

const char *
gls_peer_client_get_database (GlsPeerClient *self)
{
  g_return_val_if_fail (GLS_IS_PEER_CLIENT (self), NULL);
  return self->database;
}

const char *
gls_peer_client_get_address (GlsPeerClient *self)
{
  g_return_val_if_fail (GLS_IS_PEER_CLIENT (self), NULL);
  return self->address;
}

const char *
gls_peer_client_get_user_agent (GlsPeerClient *self)
{
  g_return_val_if_fail (GLS_IS_PEER_CLIENT (self), NULL);
  return self->user_agent;
}

const char *
gls_peer_client_get_did (GlsPeerClient *self)
{
  g_return_val_if_fail (GLS_IS_PEER_CLIENT (self), NULL);
  return self->did;
}

const char *
gls_peer_client_get_name (GlsPeerClient *self)
{
  g_return_val_if_fail (GLS_IS_PEER_CLIENT (self), NULL);
  return self->name;
}

gboolean
gls_peer_client_get_read_only (GlsPeerClient *self)
{
  g_return_val_if_fail (GLS_IS_PEER_CLIENT (self), FALSE);
  return self->read_only;
}

/* "PouchDB" of "PouchDB/9.0.0 (…)", "Glossa" of "Glossa/0.2": a product
 * name reads better than the whole string. */
static char *
user_agent_product (const char *user_agent)
{
  gsize len = strcspn (user_agent, "/ ");

  return len > 0 ? g_strndup (user_agent, len) : NULL;
}

char *
gls_peer_client_dup_title (GlsPeerClient *self)
{
  g_autofree char *did = NULL;
  g_autofree char *product = NULL;

  g_return_val_if_fail (GLS_IS_PEER_CLIENT (self), NULL);

  if (self->did != NULL)
    {
      did = gls_peer_client_abbreviate_did (self->did);
      if (self->name != NULL)
        return g_strdup_printf ("%s · %s", self->name, did);
      return g_steal_pointer (&did);
    }
  if (self->user_agent != NULL && (product = user_agent_product (self->user_agent)) != NULL)
    return g_strdup_printf ("%s · %s", self->address, product);
  return g_strdup (self->address);
}

/* ---------------------------------------------------------------------------
 * What a client says of itself, kept only when harmless
 */

static gboolean
is_base58 (char c)
{
  return c != '\0' && strchr ("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", c) != NULL;
}

char *
gls_peer_client_sanitize_did (const char *value)
{
  gsize len;

  if (value == NULL || !g_str_has_prefix (value, "did:key:z"))
    return NULL;
  len = strlen (value);
  if (len > GLS_PEER_CLIENT_MAX_DID || len < strlen ("did:key:z") + 8)
    return NULL;
  for (const char *p = value + strlen ("did:key:z"); *p; p++)
    if (!is_base58 (*p))
      return NULL;
  return g_strdup (value);
}

char *
gls_peer_client_sanitize_name (const char *value)
{
  g_autofree char *decoded = NULL;
  g_autoptr(GString) clean = NULL;
  guint n_chars = 0;
  gboolean space = FALSE;

  /* A header line is at most a few KB anyway; look at its start only. */
  if (value == NULL || strlen (value) > 1024)
    return NULL;
  decoded = g_uri_unescape_string (value, NULL);
  if (decoded == NULL || !g_utf8_validate (decoded, -1, NULL))
    return NULL;

  clean = g_string_new (NULL);
  for (const char *p = decoded; *p && n_chars < GLS_PEER_CLIENT_MAX_NAME; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR)
        {
          space = clean->len > 0;
          continue;
        }
      /* Control and format characters (bidi overrides, zero-width
       * joiners) could hide or reorder what is shown next to it. */
      switch (g_unichar_type (c))
        {
        case G_UNICODE_CONTROL:
        case G_UNICODE_FORMAT:
        case G_UNICODE_UNASSIGNED:
        case G_UNICODE_PRIVATE_USE:
        case G_UNICODE_SURROGATE:
        case G_UNICODE_LINE_SEPARATOR:
        case G_UNICODE_PARAGRAPH_SEPARATOR:
          continue;
        default:
          break;
        }
      if (space)
        {
          g_string_append_c (clean, ' ');
          n_chars++;
          space = FALSE;
          if (n_chars >= GLS_PEER_CLIENT_MAX_NAME)
            break;
        }
      g_string_append_unichar (clean, c);
      n_chars++;
    }
  if (clean->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&clean), FALSE);
}

char *
gls_peer_client_sanitize_user_agent (const char *value)
{
  GString *clean;

  if (value == NULL)
    return NULL;
  clean = g_string_new (NULL);
  for (const char *p = value; *p && clean->len < GLS_PEER_CLIENT_MAX_USER_AGENT; p++)
    g_string_append_c (clean, *p >= 0x20 && *p < 0x7f ? *p : '?');
  g_strstrip (clean->str);
  clean->len = strlen (clean->str);
  if (clean->len == 0)
    {
      g_string_free (clean, TRUE);
      return NULL;
    }
  return g_string_free (clean, FALSE);
}

char *
gls_peer_client_abbreviate_did (const char *did)
{
  gsize len;

  g_return_val_if_fail (did != NULL, NULL);

  len = strlen (did);
  if (len <= 24)
    return g_strdup (did);
  return g_strdup_printf ("%.16s…%s", did, did + len - 4);
}

char *
gls_peer_client_encode_name (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  return g_uri_escape_string (name, " ", FALSE);
}
