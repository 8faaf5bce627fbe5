/* gls-peer-server-clients.c: who is connected, for the Share dialog
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-peer-server"

#include "config.h"

#include <string.h>

#include "gls-peer-client-private.h"
#include "gls-peer-server-private.h"

/* A client is listed from its first request that a database let in (a
 * refused key lists nothing) for as long as one of its connections is
 * open: a connection closes when the client closes it, or after it sat
 * idle for the idle timeout (a minute). A Glossa peer's live pull and
 * push share one row (one did:key); other programs are told apart by
 * address and User-Agent. */

typedef struct
{
  GlsPeerClient *client;
  guint          n_connections;
} Entry;

static void
entry_free (Entry *entry)
{
  g_object_unref (entry->client);
  g_free (entry);
}

void
_gls_peer_server_clients_init (GlsPeerServer *self)
{
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) entry_free);
  self->clients_store = g_list_store_new (GLS_TYPE_PEER_CLIENT);
}

static void
store_remove (GListStore *store,
              gpointer    item)
{
  guint position;

  if (g_list_store_find (store, item, &position))
    g_list_store_remove (store, position);
}

void
_gls_peer_server_clients_clear (GlsPeerServer *self)
{
  GHashTableIter iter;
  Entry *entry;

  if (self->clients == NULL)
    return;
  g_hash_table_iter_init (&iter, self->clients);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    store_remove (self->clients_store, entry->client);
  g_clear_pointer (&self->clients, g_hash_table_unref);
  g_clear_object (&self->clients_store);
}

static char *
remote_address (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  GInetAddress *inet;

  if (remote == NULL || !G_IS_INET_SOCKET_ADDRESS (remote))
    return g_strdup ("?");
  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));
  /* An IPv4 peer on the IPv6 listener reads better as IPv4. */
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    {
      const guint8 *bytes = g_inet_address_to_bytes (inet);
      static const guint8 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

      if (memcmp (bytes, mapped, sizeof mapped) == 0)
        return g_strdup_printf ("%u.%u.%u.%u", bytes[12], bytes[13], bytes[14], bytes[15]);
    }
  return g_inet_address_to_string (inet);
}

/* From the request that was let in: the client is listed (or found
 * again), and the request's connection counts for it. */
void
_gls_peer_server_client_seen (Request  *req,
                              gboolean  read_only)
{
  GlsPeerServer *self = req->self;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  g_autofree char *address = remote_address (req->msg);
  g_autofree char *user_agent = NULL;
  g_autofree char *did = NULL;
  g_autofree char *name = NULL;
  g_autofree char *key = NULL;
  Entry *entry;

  if (self->clients == NULL || !g_hash_table_contains (self->databases, req->db_name))
    return;

  /* Self-declared: for display only. Nothing else reads these. */
  did = gls_peer_client_sanitize_did (soup_message_headers_get_one (headers, "X-Glossa-Peer"));
  if (did != NULL)
    name = gls_peer_client_sanitize_name (soup_message_headers_get_one (headers, "X-Glossa-Name"));
  user_agent = gls_peer_client_sanitize_user_agent (soup_message_headers_get_one (headers, "User-Agent"));

  if (did != NULL)
    key = g_strdup_printf ("%s\n%d\n%s\n%s", req->db_name, read_only, did, name ? name : "");
  else
    key = g_strdup_printf ("%s\n%d\n%s\n%s", req->db_name, read_only, address,
                           user_agent ? user_agent : "");

  if (_gls_peer_server_connection_has_client (self, req->msg, key))
    return;
  entry = g_hash_table_lookup (self->clients, key);
  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->client = _gls_peer_client_new (req->db_name, address, user_agent, did, name, read_only);
      g_hash_table_insert (self->clients, g_strdup (key), entry);
      g_list_store_append (self->clients_store, entry->client);
      g_debug ("client %s connected to %s", address, req->db_name);
    }
  if (_gls_peer_server_connection_set_client (self, req->msg, key))
    entry->n_connections++;
  else if (entry->n_connections == 0)
    {
      /* No connection to follow (cannot happen with our own accept):
       * do not list what would never be taken off. */
      store_remove (self->clients_store, entry->client);
      g_hash_table_remove (self->clients, key);
    }
}

/* A connection that counted for `key` closed. */
void
_gls_peer_server_client_release (GlsPeerServer *self,
                                 const char    *key)
{
  Entry *entry;

  if (self->clients == NULL || (entry = g_hash_table_lookup (self->clients, key)) == NULL)
    return;
  g_assert (entry->n_connections > 0);
  if (--entry->n_connections > 0)
    return;
  g_debug ("client %s left", gls_peer_client_get_address (entry->client));
  store_remove (self->clients_store, entry->client);
  g_hash_table_remove (self->clients, key);
}

GListModel *
gls_peer_server_get_clients (GlsPeerServer *self)
{
  g_return_val_if_fail (GLS_IS_PEER_SERVER (self), NULL);

  return G_LIST_MODEL (self->clients_store);
}

void
gls_peer_server_set_clients (GlsPeerServer *self,
                             GListStore    *store)
{
  g_return_if_fail (GLS_IS_PEER_SERVER (self));
  g_return_if_fail (G_IS_LIST_STORE (store));
  g_return_if_fail (g_list_model_get_item_type (G_LIST_MODEL (store)) == GLS_TYPE_PEER_CLIENT);
  g_return_if_fail (self->listener == NULL);

  g_set_object (&self->clients_store, store);
}
