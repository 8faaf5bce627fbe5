/* gls-peer-list.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-peer-list"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "gls-peer-list.h"
#include "gls-peer-private.h"

#define PEERS_FILE "peers.ini"

struct _GlsPeerList
{
  GObject       parent_instance;

  GlsWorkspace *workspace;
  GPtrArray    *peers;
  gboolean      shut_down;
  /* Made with links (gls_peer_list_new_with_links): its owner keeps
   * peers.ini, the list touches no file. */
  gboolean      owned;
  char        **initial_links;
};

static void gls_peer_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GlsPeerList, gls_peer_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, gls_peer_list_model_init))

enum {
  LIST_PROP_0,
  LIST_PROP_WORKSPACE,
  LIST_PROP_LINKS,
  LIST_PROP_N_ITEMS,
  LIST_N_PROPS
};

static GParamSpec *list_properties[LIST_N_PROPS];

static GType
gls_peer_list_get_item_type (GListModel *model)
{
  return GLS_TYPE_PEER;
}

static guint
gls_peer_list_get_n_items (GListModel *model)
{
  return GLS_PEER_LIST (model)->peers->len;
}

static gpointer
gls_peer_list_get_item (GListModel *model,
                        guint       position)
{
  GlsPeerList *self = GLS_PEER_LIST (model);

  if (position >= self->peers->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->peers, position));
}

static void
gls_peer_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = gls_peer_list_get_item_type;
  iface->get_n_items = gls_peer_list_get_n_items;
  iface->get_item = gls_peer_list_get_item;
}

static char *
peers_group (const char *workspace_name)
{
  return g_strconcat ("workspace ", workspace_name, NULL);
}

/* peers.ini as it is, or an empty one when there is none. */
static GKeyFile *
peers_file_load (const char  *path,
                 GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, &local_error)
      && !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not read “%s”: %s"), path, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&file);
}

char **
gls_peer_list_load_links (const char  *data_dir,
                          const char  *workspace_name,
                          GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *group = NULL;
  g_autoptr(GKeyFile) file = NULL;
  g_autoptr(GStrvBuilder) valid = g_strv_builder_new ();
  g_auto(GStrv) links = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (workspace_name != NULL, NULL);

  path = g_build_filename (data_dir, PEERS_FILE, NULL);
  if (!(file = peers_file_load (path, error)))
    return NULL;
  group = peers_group (workspace_name);
  links = g_key_file_get_string_list (file, group, "links", NULL, NULL);
  for (guint i = 0; links != NULL && links[i] != NULL; i++)
    {
      g_autoptr(GError) link_error = NULL;
      g_autofree char *name = gls_peer_link_dup_workspace_name (links[i], &link_error);

      if (name == NULL)
        g_warning ("Skipping a peer of %s: %s", path, link_error->message);
      else
        g_strv_builder_add (valid, links[i]);
    }
  return g_strv_builder_end (valid);
}

gboolean
gls_peer_list_save_links (const char  *data_dir,
                          GHashTable  *links,
                          GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GKeyFile) file = NULL;
  g_autoptr(GError) local_error = NULL;
  GHashTableIter iter;
  gpointer name, list;
  gsize length;

  g_return_val_if_fail (data_dir != NULL, FALSE);
  g_return_val_if_fail (links != NULL, FALSE);

  path = g_build_filename (data_dir, PEERS_FILE, NULL);
  if (!(file = peers_file_load (path, error)))
    return FALSE;
  g_hash_table_iter_init (&iter, links);
  while (g_hash_table_iter_next (&iter, &name, &list))
    {
      g_autofree char *group = peers_group (name);
      const char *const *strv = list;

      if (strv != NULL && strv[0] != NULL)
        g_key_file_set_string_list (file, group, "links", strv, g_strv_length ((char **) strv));
      else
        g_key_file_remove_group (file, group, NULL);
    }

  text = g_key_file_to_data (file, &length, NULL);
  if (!g_file_set_contents_full (path, text, length, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0600, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not save the list of peers: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Rewrites this workspace's group of peers.ini, keeping the others'; a
 * list with an owner (made with links) leaves that to it. */
static gboolean
peers_save (GlsPeerList  *self,
            GError      **error)
{
  g_autoptr(GHashTable) links = NULL;

  if (self->owned)
    return TRUE;
  links = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_strfreev);
  g_hash_table_insert (links, (gpointer) gls_workspace_get_name (self->workspace),
                       gls_peer_list_dup_links (self));
  return gls_peer_list_save_links (gls_workspace_get_data_dir (self->workspace), links, error);
}

static void
peers_load (GlsPeerList *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) links = NULL;

  if (self->owned)
    links = g_strdupv (self->initial_links);
  else if (!(links = gls_peer_list_load_links (gls_workspace_get_data_dir (self->workspace),
                                               gls_workspace_get_name (self->workspace), &error)))
    {
      g_warning ("%s", error->message);
      return;
    }
  for (guint i = 0; links[i] != NULL; i++)
    g_ptr_array_add (self->peers, _gls_peer_new (self->workspace, links[i]));
  g_clear_pointer (&self->initial_links, g_strfreev);
}

static void
gls_peer_list_constructed (GObject *object)
{
  GlsPeerList *self = GLS_PEER_LIST (object);

  G_OBJECT_CLASS (gls_peer_list_parent_class)->constructed (object);

  g_assert (self->workspace != NULL);
  peers_load (self);
  for (guint i = 0; i < self->peers->len; i++)
    _gls_peer_start (g_ptr_array_index (self->peers, i));
}

static void
gls_peer_list_dispose (GObject *object)
{
  GlsPeerList *self = GLS_PEER_LIST (object);

  for (guint i = 0; i < self->peers->len; i++)
    _gls_peer_stop (g_ptr_array_index (self->peers, i));
  g_ptr_array_set_size (self->peers, 0);
  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (gls_peer_list_parent_class)->dispose (object);
}

static void
gls_peer_list_finalize (GObject *object)
{
  GlsPeerList *self = GLS_PEER_LIST (object);

  g_ptr_array_unref (self->peers);
  g_strfreev (self->initial_links);

  G_OBJECT_CLASS (gls_peer_list_parent_class)->finalize (object);
}

static void
gls_peer_list_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GlsPeerList *self = GLS_PEER_LIST (object);

  switch (prop_id)
    {
    case LIST_PROP_WORKSPACE: g_value_set_object (value, self->workspace); break;
    case LIST_PROP_N_ITEMS: g_value_set_uint (value, self->peers->len); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_peer_list_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GlsPeerList *self = GLS_PEER_LIST (object);

  switch (prop_id)
    {
    case LIST_PROP_WORKSPACE: self->workspace = g_value_dup_object (value); break;
    case LIST_PROP_LINKS:
      self->initial_links = g_value_dup_boxed (value);
      self->owned = self->initial_links != NULL;
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_peer_list_class_init (GlsPeerListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = gls_peer_list_constructed;
  object_class->dispose = gls_peer_list_dispose;
  object_class->finalize = gls_peer_list_finalize;
  object_class->get_property = gls_peer_list_get_property;
  object_class->set_property = gls_peer_list_set_property;

  list_properties[LIST_PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL, GLS_TYPE_WORKSPACE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The links to start with, for a list whose owner keeps peers.ini. */
  list_properties[LIST_PROP_LINKS] =
    g_param_spec_boxed ("links", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  list_properties[LIST_PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, LIST_N_PROPS, list_properties);
}

static void
gls_peer_list_init (GlsPeerList *self)
{
  self->peers = g_ptr_array_new_with_free_func (g_object_unref);
}

GlsPeerList *
gls_peer_list_new (GlsWorkspace *workspace)
{
  g_return_val_if_fail (GLS_IS_WORKSPACE (workspace), NULL);

  return g_object_new (GLS_TYPE_PEER_LIST, "workspace", workspace, NULL);
}

GlsPeerList *
gls_peer_list_new_with_links (GlsWorkspace       *workspace,
                              const char *const  *links)
{
  const char *const none[] = { NULL };

  g_return_val_if_fail (GLS_IS_WORKSPACE (workspace), NULL);

  return g_object_new (GLS_TYPE_PEER_LIST,
                       "workspace", workspace,
                       "links", links != NULL ? links : none,
                       NULL);
}

char **
gls_peer_list_dup_links (GlsPeerList *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;

  g_return_val_if_fail (GLS_IS_PEER_LIST (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->peers->len; i++)
    g_strv_builder_add (builder, gls_peer_get_link (g_ptr_array_index (self->peers, i)));
  return g_strv_builder_end (builder);
}

GlsWorkspace *
gls_peer_list_get_workspace (GlsPeerList *self)
{
  g_return_val_if_fail (GLS_IS_PEER_LIST (self), NULL);
  return self->workspace;
}

static void
items_changed (GlsPeerList *self,
               guint        position,
               guint        removed,
               guint        added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), list_properties[LIST_PROP_N_ITEMS]);
}

GlsPeer *
gls_peer_list_add (GlsPeerList  *self,
                   const char   *link,
                   GError      **error)
{
  g_autofree char *name = NULL;
  g_autofree char *trimmed = NULL;
  g_autoptr(GlsPeer) peer = NULL;
  GlsPeer *old = NULL;
  guint old_position = 0;

  g_return_val_if_fail (GLS_IS_PEER_LIST (self), NULL);
  g_return_val_if_fail (link != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  trimmed = g_strstrip (g_strdup (link));
  if (!(name = gls_peer_link_dup_workspace_name (trimmed, error)))
    return NULL;

  peer = _gls_peer_new (self->workspace, trimmed);
  for (guint i = 0; i < self->peers->len; i++)
    {
      GlsPeer *other = g_ptr_array_index (self->peers, i);

      if (g_str_equal (gls_peer_get_link (other), trimmed))
        return other;
      /* Same database with another key: the new link replaces it. */
      if (g_str_equal (gls_peer_get_url (other), gls_peer_get_url (peer)))
        {
          old = other;
          old_position = i;
        }
    }

  if (old != NULL)
    {
      _gls_peer_stop (old);
      g_ptr_array_index (self->peers, old_position) = g_object_ref (peer);
      g_object_unref (old);
      if (!peers_save (self, error))
        {
          g_ptr_array_remove_index (self->peers, old_position);
          items_changed (self, old_position, 1, 0);
          return NULL;
        }
      if (!self->shut_down)
        _gls_peer_start (peer);
      items_changed (self, old_position, 1, 1);
      return peer;
    }

  g_ptr_array_add (self->peers, g_object_ref (peer));
  if (!peers_save (self, error))
    {
      g_ptr_array_remove_index (self->peers, self->peers->len - 1);
      return NULL;
    }
  if (!self->shut_down)
    _gls_peer_start (peer);
  items_changed (self, self->peers->len - 1, 0, 1);
  return peer;
}

void
gls_peer_list_remove (GlsPeerList *self,
                      GlsPeer     *peer)
{
  g_autoptr(GError) error = NULL;
  guint position;

  g_return_if_fail (GLS_IS_PEER_LIST (self));
  g_return_if_fail (GLS_IS_PEER (peer));

  if (!g_ptr_array_find (self->peers, peer, &position))
    return;
  _gls_peer_stop (peer);
  g_ptr_array_remove_index (self->peers, position);
  if (!peers_save (self, &error))
    g_warning ("%s", error->message);
  items_changed (self, position, 1, 0);
}

void
gls_peer_list_shutdown (GlsPeerList *self)
{
  g_return_if_fail (GLS_IS_PEER_LIST (self));

  self->shut_down = TRUE;
  for (guint i = 0; i < self->peers->len; i++)
    _gls_peer_stop (g_ptr_array_index (self->peers, i));
}
