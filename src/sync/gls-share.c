/* gls-share.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-share"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <glib/gi18n-lib.h>

#include "gls-peer-client.h"
#include "gls-peer-server.h"
#include "gls-share.h"
#include "gls-tls.h"

#define SERVE_KEYS_FILE "serve.ini"
#define SERVER_UUID_FILE "server-uuid"
#define SHARE_GROUP "share"

struct _GlsShare
{
  GObject        parent_instance;

  char          *data_dir;
  gboolean       lan;
  gboolean       plain_http;
  guint          default_port;
  guint          last_port;     /* tried first when listening again */

  GlsPeerServer *server;        /* NULL while nothing is shared */
  GlsPeerServer *server6;       /* lan: the same on "::", when possible */
  char          *host;          /* for links: "127.0.0.1", "192.168.1.5", "[::1]" */
  GTlsCertificate *certificate; /* the data dir's, loaded on the first HTTPS listen */
  char          *pin;           /* its "sha256:…" */
  GHashTable    *workspaces;    /* name -> GlsWorkspace */
  GHashTable    *keys;          /* name -> key */
  GHashTable    *read_only_keys; /* name -> read-only key, from serve.ini */
  GListStore    *clients;       /* GlsPeerClient, of both servers */
  GMainContext  *context;

  /* Made with files (gls_share_new_with_files): no file is touched; what
   * serve.ini needs written waits in `unsaved` for the owner. */
  GlsShareFiles *files;
  GKeyFile      *unsaved;
};

struct _GlsShareFiles
{
  GKeyFile        *serve_ini;
  char            *uuid;
  GError          *uuid_error;
  GTlsCertificate *certificate;
  GError          *certificate_error;
};

G_DEFINE_FINAL_TYPE (GlsShare, gls_share, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATA_DIR,
  PROP_LAN,
  PROP_PLAIN_HTTP,
  PROP_PORT,
  PROP_DEFAULT_PORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  SAVE_NEEDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---------------------------------------------------------------------------
 * Keys, shared with `glossa serve`
 */

/* Gives each workspace of `names` a `key` (and a `read-only-key` when
 * asked) if it has none; TRUE when it added one. */
static gboolean
keys_add_missing (GKeyFile           *keys,
                  const char *const  *names,
                  gboolean            read_only)
{
  gboolean changed = FALSE;

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *group = g_strconcat ("workspace ", names[i], NULL);
      const char *const fields[] = { "key", "read-only-key" };

      for (guint j = 0; j < G_N_ELEMENTS (fields); j++)
        {
          g_autofree char *value = g_key_file_get_string (keys, group, fields[j], NULL);

          if ((value == NULL || *value == '\0') && (j == 0 || read_only))
            {
              g_autofree char *key = gls_peer_server_generate_key ();

              g_key_file_set_string (keys, group, fields[j], key);
              changed = TRUE;
            }
        }
    }
  return changed;
}

/* serve.ini as it is, or an empty one when there is none. */
static GKeyFile *
serve_ini_load (const char  *path,
                GError     **error)
{
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_file (keys, path, G_KEY_FILE_KEEP_COMMENTS, &local_error)
      && !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not read “%s”: %s"), path, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&keys);
}

static gboolean
serve_ini_save (const char  *data_dir,
                const char  *path,
                GKeyFile    *keys,
                GError     **error)
{
  g_autofree char *text = NULL;
  gsize length;

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not create “%s”: %s"), data_dir, g_strerror (saved));
      return FALSE;
    }
  text = g_key_file_to_data (keys, &length, NULL);
  return g_file_set_contents_full (path, text, length, G_FILE_SET_CONTENTS_CONSISTENT,
                                   0600, error);
}

GKeyFile *
gls_share_load_keys (const char         *data_dir,
                     const char *const  *names,
                     gboolean            read_only,
                     GError            **error)
{
  g_autoptr(GKeyFile) keys = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (names != NULL, NULL);

  path = g_build_filename (data_dir, SERVE_KEYS_FILE, NULL);
  if (!(keys = serve_ini_load (path, error)))
    return NULL;
  if (keys_add_missing (keys, names, read_only) && !serve_ini_save (data_dir, path, keys, error))
    return NULL;

  return g_steal_pointer (&keys);
}

/* ---------------------------------------------------------------------------
 * Files read and written by an owner
 */

GlsShareFiles *
gls_share_files_read (const char  *data_dir,
                      GError     **error)
{
  GlsShareFiles *files = g_new0 (GlsShareFiles, 1);
  g_autofree char *path = NULL;
  g_autofree char *uuid_path = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);

  path = g_build_filename (data_dir, SERVE_KEYS_FILE, NULL);
  if (!(files->serve_ini = serve_ini_load (path, error)))
    files->serve_ini = g_key_file_new ();
  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (&files->uuid_error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not create “%s”: %s"), data_dir, g_strerror (saved));
      return files;
    }
  uuid_path = g_build_filename (data_dir, SERVER_UUID_FILE, NULL);
  files->uuid = gls_peer_server_load_uuid (uuid_path, &files->uuid_error);
  files->certificate = gls_tls_load_certificate (data_dir, &files->certificate_error);
  return files;
}

void
gls_share_files_free (GlsShareFiles *files)
{
  if (files == NULL)
    return;
  g_key_file_unref (files->serve_ini);
  g_free (files->uuid);
  g_clear_error (&files->uuid_error);
  g_clear_object (&files->certificate);
  g_clear_error (&files->certificate_error);
  g_free (files);
}

GKeyFile *
gls_share_take_unsaved (GlsShare *self)
{
  g_auto(GStrv) groups = NULL;
  GKeyFile *unsaved;
  gsize n_groups = 0;

  g_return_val_if_fail (GLS_IS_SHARE (self), NULL);

  if (self->unsaved == NULL)
    return NULL;
  groups = g_key_file_get_groups (self->unsaved, &n_groups);
  if (n_groups == 0)
    return NULL;
  unsaved = g_steal_pointer (&self->unsaved);
  self->unsaved = g_key_file_new ();
  return unsaved;
}

gboolean
gls_share_save_unsaved (const char  *data_dir,
                        GKeyFile    *unsaved,
                        GError     **error)
{
  g_autoptr(GKeyFile) keys = NULL;
  g_autofree char *path = NULL;
  g_auto(GStrv) groups = NULL;
  gboolean changed = FALSE;

  g_return_val_if_fail (data_dir != NULL, FALSE);
  g_return_val_if_fail (unsaved != NULL, FALSE);

  path = g_build_filename (data_dir, SERVE_KEYS_FILE, NULL);
  if (!(keys = serve_ini_load (path, error)))
    return FALSE;
  groups = g_key_file_get_groups (unsaved, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_key_file_get_keys (unsaved, groups[i], NULL, NULL);
      /* A key someone else gave the workspace meanwhile stays. */
      gboolean only_new = g_str_has_prefix (groups[i], "workspace ");

      for (guint j = 0; fields != NULL && fields[j] != NULL; j++)
        {
          g_autofree char *value = g_key_file_get_value (unsaved, groups[i], fields[j], NULL);
          g_autofree char *old = g_key_file_get_value (keys, groups[i], fields[j], NULL);

          if (g_strcmp0 (old, value) == 0 || (only_new && old != NULL && *old != '\0'))
            continue;
          g_key_file_set_value (keys, groups[i], fields[j], value);
          changed = TRUE;
        }
    }

  return !changed || serve_ini_save (data_dir, path, keys, error);
}

/* ---------------------------------------------------------------------------
 * The address other computers reach us on
 */

/* The first non-loopback IPv4 address that is up (a link-local one only
 * when there is nothing better), else the host name, else 127.0.0.1. */
static char *
lan_host (void)
{
  struct ifaddrs *list = NULL;
  g_autofree char *link_local = NULL;
  char *found = NULL;

  if (getifaddrs (&list) == 0)
    {
      for (struct ifaddrs *ifa = list; ifa != NULL && found == NULL; ifa = ifa->ifa_next)
        {
          const struct sockaddr_in *sin;
          g_autoptr(GInetAddress) inet = NULL;

          if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != AF_INET)
            continue;
          if ((ifa->ifa_flags & IFF_UP) == 0 || (ifa->ifa_flags & IFF_LOOPBACK) != 0)
            continue;
          sin = (const struct sockaddr_in *) ifa->ifa_addr;
          inet = g_inet_address_new_from_bytes ((const guint8 *) &sin->sin_addr,
                                                G_SOCKET_FAMILY_IPV4);
          if (g_inet_address_get_is_loopback (inet) || g_inet_address_get_is_any (inet))
            continue;
          if (g_inet_address_get_is_link_local (inet))
            {
              if (link_local == NULL)
                link_local = g_inet_address_to_string (inet);
              continue;
            }
          found = g_inet_address_to_string (inet);
        }
      freeifaddrs (list);
    }
  if (found == NULL && link_local != NULL)
    found = g_steal_pointer (&link_local);
  if (found == NULL)
    {
      const char *name = g_get_host_name ();

      found = g_strdup (name != NULL && *name != '\0' && !g_str_equal (name, "localhost")
                        ? name : "127.0.0.1");
    }
  return found;
}

/* ---------------------------------------------------------------------------
 * The port, kept in serve.ini so links survive a restart
 */

static guint
saved_port_load (GlsShare *self)
{
  g_autoptr(GKeyFile) file = NULL;
  g_autofree char *path = NULL;
  gint port;

  if (self->files != NULL)
    file = g_key_file_ref (self->files->serve_ini);
  else
    {
      file = g_key_file_new ();
      path = g_build_filename (self->data_dir, SERVE_KEYS_FILE, NULL);
      if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL))
        return 0;
    }
  port = g_key_file_get_integer (file, SHARE_GROUP, "port", NULL);
  return port > 0 && port <= G_MAXUINT16 ? (guint) port : 0;
}

static void
saved_port_store (GlsShare *self,
                  guint     port)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = g_build_filename (self->data_dir, SERVE_KEYS_FILE, NULL);
  g_autoptr(GError) error = NULL;

  if (self->files != NULL)
    {
      if (g_key_file_get_integer (self->files->serve_ini, SHARE_GROUP, "port", NULL) == (gint) port)
        return;
      g_key_file_set_integer (self->files->serve_ini, SHARE_GROUP, "port", port);
      g_key_file_set_integer (self->unsaved, SHARE_GROUP, "port", port);
      g_signal_emit (self, signals[SAVE_NEEDED], 0);
      return;
    }

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, &error)
      && !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_debug ("not saving the port: %s", error->message);
      return;
    }
  if (g_key_file_get_integer (file, SHARE_GROUP, "port", NULL) == (gint) port)
    return;
  g_key_file_set_integer (file, SHARE_GROUP, "port", port);
  g_clear_error (&error);
  if (!serve_ini_save (self->data_dir, path, file, &error))
    g_debug ("not saving the port: %s", error->message);
}

/* The server's uuid and (for HTTPS) certificate: from the files an owner
 * read, else read (and made) now. */
static char *
share_dup_uuid (GlsShare  *self,
                GError   **error)
{
  g_autofree char *uuid_path = NULL;

  if (self->files != NULL)
    {
      if (self->files->uuid == NULL)
        g_propagate_error (error, g_error_copy (self->files->uuid_error));
      return g_strdup (self->files->uuid);
    }
  if (g_mkdir_with_parents (self->data_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not create “%s”: %s"), self->data_dir, g_strerror (saved));
      return NULL;
    }
  uuid_path = g_build_filename (self->data_dir, SERVER_UUID_FILE, NULL);
  return gls_peer_server_load_uuid (uuid_path, error);
}

static GTlsCertificate *
share_load_certificate (GlsShare  *self,
                        GError   **error)
{
  if (self->files == NULL)
    return gls_tls_load_certificate (self->data_dir, error);
  if (self->files->certificate == NULL)
    g_propagate_error (error, g_error_copy (self->files->certificate_error));
  return self->files->certificate ? g_object_ref (self->files->certificate) : NULL;
}

/* ---------------------------------------------------------------------------
 * Listening
 */

static void
host_update (GlsShare *self)
{
  g_autofree char *host = self->lan ? lan_host () : g_strdup ("127.0.0.1");

  if (strchr (host, ':') != NULL)
    {
      char *bracketed = g_strdup_printf ("[%s]", host);

      g_free (host);
      host = bracketed;
    }
  g_free (self->host);
  self->host = g_steal_pointer (&host);
}

static void
emit_changed (GlsShare *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
server_close (GlsShare *self)
{
  guint old_port;

  if (self->server == NULL)
    return;
  old_port = gls_peer_server_get_port (self->server);
  if (old_port != 0)
    self->last_port = old_port;
  gls_peer_server_disconnect (self->server);
  g_clear_object (&self->server);
  if (self->server6 != NULL)
    gls_peer_server_disconnect (self->server6);
  g_clear_object (&self->server6);
  g_clear_pointer (&self->host, g_free);
  if (old_port != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

static GlsPeerServer *
server_new (GlsShare    *self,
            const char  *uuid,
            GError     **error)
{
  g_autoptr(GlsPeerServer) server = gls_peer_server_new (uuid);
  GHashTableIter iter;
  gpointer key, value;

  gls_peer_server_set_clients (server, self->clients);

  if (!self->plain_http)
    gls_peer_server_set_tls_certificate (server, self->certificate);
  g_hash_table_iter_init (&iter, self->workspaces);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!gls_peer_server_add_database (server, key, gls_workspace_get_store (value), error))
        return NULL;
      gls_peer_server_set_keys (server, key, g_hash_table_lookup (self->keys, key),
                                g_hash_table_lookup (self->read_only_keys, key));
    }
  return g_steal_pointer (&server);
}

/* Another network (a laptop moving to other Wi-Fi): the link follows. */
static void
network_changed_cb (GlsShare *self,
                    gboolean  available)
{
  g_autofree char *old = NULL;

  if (self->server == NULL || !self->lan)
    return;
  old = g_strdup (self->host);
  host_update (self);
  if (g_strcmp0 (old, self->host) != 0)
    emit_changed (self);
}

/* A new server on the preferred port (the last one, else the default),
 * else any free port, serving every shared workspace. */
static gboolean
server_open (GlsShare  *self,
             GError   **error)
{
  g_autoptr(GlsPeerServer) server = NULL;
  g_autofree char *uuid = NULL;
  g_autoptr(GError) local_error = NULL;
  guint ports[4];
  guint n_ports = 0;
  gboolean listening = FALSE;

  g_assert (self->server == NULL);

  if (!(uuid = share_dup_uuid (self, error)))
    return FALSE;
  if (!self->plain_http && self->certificate == NULL)
    {
      if (!(self->certificate = share_load_certificate (self, &local_error)))
        {
          g_set_error (error, local_error->domain, local_error->code,
                       _("Could not set up HTTPS to share on: %s"), local_error->message);
          return FALSE;
        }
      self->pin = gls_tls_dup_pin (self->certificate);
    }

  /* This session's port, else the one of last time, else the default. */
  if (self->last_port != 0)
    ports[n_ports++] = self->last_port;
  else if ((ports[n_ports] = saved_port_load (self)) != 0)
    n_ports++;
  if (self->default_port != 0 && (n_ports == 0 || ports[0] != self->default_port))
    ports[n_ports++] = self->default_port;
  ports[n_ports++] = 0;

  for (guint p = 0; p < n_ports && !listening; p++)
    {
      /* A server listens once: a new one for each attempt. */
      g_clear_object (&server);
      if (!(server = server_new (self, uuid, error)))
        return FALSE;
      g_clear_error (&local_error);
      listening = gls_peer_server_listen (server, self->lan ? "0.0.0.0" : "127.0.0.1",
                                          ports[p], &local_error);
    }
  if (!listening)
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not open a port to share on: %s"), local_error->message);
      return FALSE;
    }

  /* A server takes one address: IPv6 peers get a second one on the same
   * port, if this machine has IPv6. */
  if (self->lan)
    {
      g_autoptr(GlsPeerServer) server6 = server_new (self, uuid, error);

      if (server6 == NULL)
        return FALSE;
      g_clear_error (&local_error);
      if (gls_peer_server_listen (server6, "::", gls_peer_server_get_port (server), &local_error))
        self->server6 = g_steal_pointer (&server6);
      else
        g_debug ("not listening on IPv6: %s", local_error->message);
    }

  self->server = g_steal_pointer (&server);
  self->last_port = gls_peer_server_get_port (self->server);
  saved_port_store (self, self->last_port);
  host_update (self);
  g_debug ("sharing over %s on %s port %u", self->plain_http ? "http" : "https",
           self->lan ? "every address" : "127.0.0.1", self->last_port);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
  return TRUE;
}

/* ---------------------------------------------------------------------------
 * GObject
 */

static void
gls_share_dispose (GObject *object)
{
  GlsShare *self = GLS_SHARE (object);

  server_close (self);
  g_hash_table_remove_all (self->workspaces);

  G_OBJECT_CLASS (gls_share_parent_class)->dispose (object);
}

static void
gls_share_finalize (GObject *object)
{
  GlsShare *self = GLS_SHARE (object);

  g_free (self->data_dir);
  g_free (self->host);
  g_free (self->pin);
  g_clear_object (&self->certificate);
  g_hash_table_unref (self->workspaces);
  g_hash_table_unref (self->keys);
  g_hash_table_unref (self->read_only_keys);
  g_clear_object (&self->clients);
  g_main_context_unref (self->context);
  gls_share_files_free (self->files);
  g_clear_pointer (&self->unsaved, g_key_file_unref);

  G_OBJECT_CLASS (gls_share_parent_class)->finalize (object);
}

static void
gls_share_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  GlsShare *self = GLS_SHARE (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR: g_value_set_string (value, self->data_dir); break;
    case PROP_LAN: g_value_set_boolean (value, self->lan); break;
    case PROP_PLAIN_HTTP: g_value_set_boolean (value, self->plain_http); break;
    case PROP_PORT: g_value_set_uint (value, gls_share_get_port (self)); break;
    case PROP_DEFAULT_PORT: g_value_set_uint (value, self->default_port); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_share_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  GlsShare *self = GLS_SHARE (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR: self->data_dir = g_value_dup_string (value); break;
    case PROP_LAN: gls_share_set_lan (self, g_value_get_boolean (value)); break;
    case PROP_PLAIN_HTTP: gls_share_set_plain_http (self, g_value_get_boolean (value)); break;
    case PROP_DEFAULT_PORT: gls_share_set_default_port (self, g_value_get_uint (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_share_class_init (GlsShareClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gls_share_dispose;
  object_class->finalize = gls_share_finalize;
  object_class->get_property = gls_share_get_property;
  object_class->set_property = gls_share_set_property;

  properties[PROP_DATA_DIR] =
    g_param_spec_string ("data-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAN] =
    g_param_spec_boolean ("lan", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAIN_HTTP] =
    g_param_spec_boolean ("plain-http", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEFAULT_PORT] =
    g_param_spec_uint ("default-port", NULL, NULL, 0, G_MAXUINT16, GLS_SHARE_DEFAULT_PORT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SAVE_NEEDED] =
    g_signal_new ("save-needed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
gls_share_init (GlsShare *self)
{
  /* This computer only, until the person says otherwise. */
  self->lan = FALSE;
  self->clients = g_list_store_new (GLS_TYPE_PEER_CLIENT);
  self->default_port = GLS_SHARE_DEFAULT_PORT;
  self->workspaces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->read_only_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->context = g_main_context_ref_thread_default ();
  g_signal_connect_object (g_network_monitor_get_default (), "network-changed",
                           G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);
}

GlsShare *
gls_share_new (const char *data_dir)
{
  g_return_val_if_fail (data_dir != NULL, NULL);

  return g_object_new (GLS_TYPE_SHARE, "data-dir", data_dir, NULL);
}

GlsShare *
gls_share_new_with_files (const char    *data_dir,
                          GlsShareFiles *files)
{
  GlsShare *self;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (files != NULL, NULL);

  self = gls_share_new (data_dir);
  self->files = files;
  self->unsaved = g_key_file_new ();
  return self;
}

gboolean
gls_share_get_lan (GlsShare *self)
{
  g_return_val_if_fail (GLS_IS_SHARE (self), FALSE);
  return self->lan;
}

void
gls_share_set_lan (GlsShare *self,
                   gboolean  lan)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (GLS_IS_SHARE (self));

  lan = !!lan;
  if (self->lan == lan)
    return;
  self->lan = lan;
  if (self->server != NULL)
    {
      server_close (self);
      if (!server_open (self, &error))
        {
          g_warning ("Could not share again after switching networks: %s", error->message);
          g_hash_table_remove_all (self->workspaces);
          g_hash_table_remove_all (self->keys);
          g_hash_table_remove_all (self->read_only_keys);
        }
      emit_changed (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAN]);
}

gboolean
gls_share_get_plain_http (GlsShare *self)
{
  g_return_val_if_fail (GLS_IS_SHARE (self), FALSE);
  return self->plain_http;
}

void
gls_share_set_plain_http (GlsShare *self,
                          gboolean  plain_http)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (GLS_IS_SHARE (self));

  plain_http = !!plain_http;
  if (self->plain_http == plain_http)
    return;
  self->plain_http = plain_http;
  if (self->server != NULL)
    {
      /* Same port, other scheme: links change, peers need the new one. */
      server_close (self);
      if (!server_open (self, &error))
        {
          g_warning ("Could not share again after switching to %s: %s",
                     plain_http ? "HTTP" : "HTTPS", error->message);
          g_hash_table_remove_all (self->workspaces);
          g_hash_table_remove_all (self->keys);
          g_hash_table_remove_all (self->read_only_keys);
        }
      emit_changed (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAIN_HTTP]);
}

const char *
gls_share_get_pin (GlsShare *self)
{
  g_return_val_if_fail (GLS_IS_SHARE (self), NULL);
  return self->server != NULL && !self->plain_http ? self->pin : NULL;
}

guint
gls_share_get_default_port (GlsShare *self)
{
  g_return_val_if_fail (GLS_IS_SHARE (self), 0);
  return self->default_port;
}

void
gls_share_set_default_port (GlsShare *self,
                            guint     port)
{
  g_return_if_fail (GLS_IS_SHARE (self));
  g_return_if_fail (port <= G_MAXUINT16);

  if (self->default_port == port)
    return;
  self->default_port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_PORT]);
}

gboolean
gls_share_start (GlsShare      *self,
                 GlsWorkspace  *workspace,
                 GError       **error)
{
  const char *name;
  const char *names[2] = { NULL, NULL };
  g_autoptr(GKeyFile) keys = NULL;
  g_autofree char *group = NULL;
  g_autofree char *key = NULL;
  g_autofree char *read_only_key = NULL;

  g_return_val_if_fail (GLS_IS_SHARE (self), FALSE);
  g_return_val_if_fail (GLS_IS_WORKSPACE (workspace), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  name = gls_workspace_get_name (workspace);
  names[0] = name;
  group = g_strconcat ("workspace ", name, NULL);
  if (self->files != NULL)
    {
      keys = g_key_file_ref (self->files->serve_ini);
      if (keys_add_missing (keys, names, TRUE))
        {
          g_autofree char *made = g_key_file_get_string (keys, group, "key", NULL);
          g_autofree char *made_read_only = g_key_file_get_string (keys, group, "read-only-key", NULL);

          g_key_file_set_string (self->unsaved, group, "key", made);
          g_key_file_set_string (self->unsaved, group, "read-only-key", made_read_only);
          g_signal_emit (self, signals[SAVE_NEEDED], 0);
        }
    }
  else if (!(keys = gls_share_load_keys (self->data_dir, names, TRUE, error)))
    return FALSE;
  key = g_key_file_get_string (keys, group, "key", NULL);
  g_assert (key != NULL);
  /* The read-only link's; one `glossa serve --read-only-key` made keeps
   * working. */
  read_only_key = g_key_file_get_string (keys, group, "read-only-key", NULL);
  if (read_only_key != NULL && *read_only_key == '\0')
    g_clear_pointer (&read_only_key, g_free);

  if (g_hash_table_lookup (self->workspaces, name) == workspace && self->server != NULL
      && g_strcmp0 (g_hash_table_lookup (self->keys, name), key) == 0
      && g_strcmp0 (g_hash_table_lookup (self->read_only_keys, name), read_only_key) == 0)
    return TRUE;

  g_hash_table_replace (self->workspaces, g_strdup (name), g_object_ref (workspace));
  g_hash_table_replace (self->keys, g_strdup (name), g_strdup (key));
  if (read_only_key != NULL)
    g_hash_table_replace (self->read_only_keys, g_strdup (name), g_strdup (read_only_key));
  else
    g_hash_table_remove (self->read_only_keys, name);

  if (self->server == NULL)
    {
      if (!server_open (self, error))
        {
          g_hash_table_remove (self->workspaces, name);
          g_hash_table_remove (self->keys, name);
          g_hash_table_remove (self->read_only_keys, name);
          return FALSE;
        }
    }
  else
    {
      GlsPeerServer *servers[] = { self->server, self->server6 };

      for (guint i = 0; i < G_N_ELEMENTS (servers) && servers[i] != NULL; i++)
        {
          gls_peer_server_remove_database (servers[i], name);
          if (!gls_peer_server_add_database (servers[i], name, gls_workspace_get_store (workspace), error))
            {
              for (guint j = 0; j < G_N_ELEMENTS (servers) && servers[j] != NULL; j++)
                gls_peer_server_remove_database (servers[j], name);
              g_hash_table_remove (self->workspaces, name);
              g_hash_table_remove (self->keys, name);
              g_hash_table_remove (self->read_only_keys, name);
              return FALSE;
            }
          gls_peer_server_set_keys (servers[i], name, key, read_only_key);
        }
    }

  emit_changed (self);
  return TRUE;
}

void
gls_share_stop (GlsShare   *self,
                const char *workspace_name)
{
  g_return_if_fail (GLS_IS_SHARE (self));
  g_return_if_fail (workspace_name != NULL);

  if (!g_hash_table_contains (self->workspaces, workspace_name))
    return;
  if (g_hash_table_size (self->workspaces) == 1)
    server_close (self);
  else if (self->server != NULL)
    {
      GlsPeerServer *servers[] = { self->server, self->server6 };

      for (guint i = 0; i < G_N_ELEMENTS (servers) && servers[i] != NULL; i++)
        {
          gls_peer_server_remove_database (servers[i], workspace_name);
          gls_peer_server_set_keys (servers[i], workspace_name, NULL, NULL);
        }
    }
  g_hash_table_remove (self->keys, workspace_name);
  g_hash_table_remove (self->read_only_keys, workspace_name);
  g_hash_table_remove (self->workspaces, workspace_name);
  emit_changed (self);
}

gboolean
gls_share_is_sharing (GlsShare   *self,
                      const char *workspace_name)
{
  g_return_val_if_fail (GLS_IS_SHARE (self), FALSE);
  g_return_val_if_fail (workspace_name != NULL, FALSE);

  return self->server != NULL && g_hash_table_contains (self->workspaces, workspace_name);
}

static char *
share_link (GlsShare   *self,
            const char *workspace_name,
            const char *key)
{
  g_autofree char *escaped = NULL;

  /* '/' is the only character of a workspace name that a path must escape. */
  escaped = g_uri_escape_string (workspace_name, "$()+-_", FALSE);
  if (self->plain_http)
    return g_strdup_printf ("http://peer:%s@%s:%u/%s", key, self->host,
                            gls_peer_server_get_port (self->server), escaped);
  return g_strdup_printf ("https://peer:%s@%s:%u/%s#pin=%s", key, self->host,
                          gls_peer_server_get_port (self->server), escaped, self->pin);
}

char *
gls_share_dup_link (GlsShare   *self,
                    const char *workspace_name)
{
  g_return_val_if_fail (GLS_IS_SHARE (self), NULL);
  g_return_val_if_fail (workspace_name != NULL, NULL);

  if (!gls_share_is_sharing (self, workspace_name))
    return NULL;
  return share_link (self, workspace_name, g_hash_table_lookup (self->keys, workspace_name));
}

char *
gls_share_dup_read_only_link (GlsShare   *self,
                              const char *workspace_name)
{
  const char *key;

  g_return_val_if_fail (GLS_IS_SHARE (self), NULL);
  g_return_val_if_fail (workspace_name != NULL, NULL);

  if (!gls_share_is_sharing (self, workspace_name) ||
      !(key = g_hash_table_lookup (self->read_only_keys, workspace_name)))
    return NULL;
  return share_link (self, workspace_name, key);
}

GListModel *
gls_share_get_clients (GlsShare *self)
{
  g_return_val_if_fail (GLS_IS_SHARE (self), NULL);

  return G_LIST_MODEL (self->clients);
}

guint
gls_share_get_port (GlsShare *self)
{
  g_return_val_if_fail (GLS_IS_SHARE (self), 0);

  return self->server != NULL ? gls_peer_server_get_port (self->server) : 0;
}
