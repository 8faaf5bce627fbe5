/* gls-version-group.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-version-group"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-version-group.h"

struct _GlsVersionGroup
{
  GObject       parent_instance;

  GlsWorkspace *workspace;
  char         *root_id;
  GListStore   *versions;   /* GlsDesign, newest first */
  GListStore   *older;      /* the same without the newest */
  /* design id → its threads model, followed for the open counts, once
   * somebody shows them (gls_version_group_watch) */
  GHashTable   *threads;
  gboolean      watching;
};

G_DEFINE_FINAL_TYPE (GlsVersionGroup, gls_version_group, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
seen_changed_cb (GlsVersionGroup *self)
{
  g_signal_emit (self, signals [CHANGED], 0);
}

static GlsVersionGroup *
gls_version_group_new (GlsWorkspace *workspace,
                       const char   *root_id)
{
  GlsVersionGroup *self = g_object_new (GLS_TYPE_VERSION_GROUP, NULL);

  self->workspace = g_object_ref (workspace);
  self->root_id = g_strdup (root_id);
  /* Reading a thread takes its news away: the counts change. */
  g_signal_connect_object (workspace, "seen-changed", G_CALLBACK (seen_changed_cb), self, G_CONNECT_SWAPPED);

  return self;
}

const char *
gls_version_group_get_root_id (GlsVersionGroup *self)
{
  g_return_val_if_fail (GLS_IS_VERSION_GROUP (self), NULL);

  return self->root_id;
}

GListModel *
gls_version_group_get_versions (GlsVersionGroup *self)
{
  g_return_val_if_fail (GLS_IS_VERSION_GROUP (self), NULL);

  return G_LIST_MODEL (self->versions);
}

GListModel *
gls_version_group_get_older (GlsVersionGroup *self)
{
  g_return_val_if_fail (GLS_IS_VERSION_GROUP (self), NULL);

  return G_LIST_MODEL (self->older);
}

guint
gls_version_group_get_n_versions (GlsVersionGroup *self)
{
  g_return_val_if_fail (GLS_IS_VERSION_GROUP (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->versions));
}

GlsDesign *
gls_version_group_get_latest (GlsVersionGroup *self)
{
  g_autoptr(GlsDesign) latest = NULL;

  g_return_val_if_fail (GLS_IS_VERSION_GROUP (self), NULL);

  /* Borrowed: the store holds it. */
  latest = g_list_model_get_item (G_LIST_MODEL (self->versions), 0);
  return latest;
}

guint
gls_version_group_get_number (GlsVersionGroup *self,
                              GlsDesign       *design)
{
  guint n;

  g_return_val_if_fail (GLS_IS_VERSION_GROUP (self), 0);
  g_return_val_if_fail (GLS_IS_DESIGN (design), 0);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->versions));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsDesign) version = g_list_model_get_item (G_LIST_MODEL (self->versions), i);

      if (g_strcmp0 (gls_design_get_id (version), gls_design_get_id (design)) == 0)
        return n - i;
    }
  return 0;
}

GlsDesign *
gls_version_group_find (GlsVersionGroup *self,
                        const char      *design_id)
{
  guint n;

  g_return_val_if_fail (GLS_IS_VERSION_GROUP (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->versions));
  for (guint i = 0; i < n && design_id != NULL; i++)
    {
      g_autoptr(GlsDesign) version = g_list_model_get_item (G_LIST_MODEL (self->versions), i);

      if (g_strcmp0 (gls_design_get_id (version), design_id) == 0)
        return version;  /* borrowed: the store holds it */
    }
  return NULL;
}

static guint
count_open (GListModel *threads)
{
  guint n = g_list_model_get_n_items (threads);
  guint open = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsThread) thread = g_list_model_get_item (threads, i);

      if (!gls_thread_get_resolved (thread))
        open++;
    }
  return open;
}

guint
gls_version_group_get_n_open_of (GlsVersionGroup *self,
                                 GlsDesign       *design)
{
  GListModel *threads;

  g_return_val_if_fail (GLS_IS_VERSION_GROUP (self), 0);
  g_return_val_if_fail (GLS_IS_DESIGN (design), 0);

  threads = g_hash_table_lookup (self->threads, gls_design_get_id (design));
  return threads != NULL ? count_open (threads) : 0;
}

guint
gls_version_group_get_n_open (GlsVersionGroup *self)
{
  GHashTableIter iter;
  gpointer value;
  guint open = 0;

  g_return_val_if_fail (GLS_IS_VERSION_GROUP (self), 0);

  g_hash_table_iter_init (&iter, self->threads);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    open += count_open (value);
  return open;
}

guint
gls_version_group_get_n_unread (GlsVersionGroup *self)
{
  GHashTableIter iter;
  gpointer value;
  guint unread = 0;

  g_return_val_if_fail (GLS_IS_VERSION_GROUP (self), 0);

  g_hash_table_iter_init (&iter, self->threads);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    unread += gls_workspace_count_unread (self->workspace, value);
  return unread;
}

guint
gls_version_group_get_n_unread_of (GlsVersionGroup *self,
                                   GlsDesign       *design)
{
  GListModel *threads;

  g_return_val_if_fail (GLS_IS_VERSION_GROUP (self), 0);
  g_return_val_if_fail (GLS_IS_DESIGN (design), 0);

  threads = g_hash_table_lookup (self->threads, gls_design_get_id (design));
  return threads != NULL ? gls_workspace_count_unread (self->workspace, threads) : 0;
}

char *
gls_version_format_date (GlsDesign *design)
{
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *date = NULL;
  GString *text;

  if (gls_design_get_date_created (design) != NULL)
    created = g_date_time_new_from_iso8601 (gls_design_get_date_created (design), NULL);
  if (created == NULL)
    return NULL;
  local = g_date_time_to_local (created);
  /* Translators: a version's date, see g_date_time_format () */
  date = g_strstrip (g_date_time_format (local, _("%e %b %Y")));
  /* %e pads a day of one digit with a figure space: not at the start of
   * a label. The date is kept on one line where a label wraps. */
  text = g_string_new (date);
  g_string_replace (text, "\u2007", "", 0);
  g_string_replace (text, " ", "\u00a0", 0);
  return g_string_free (text, FALSE);
}

char *
gls_version_describe_date (GlsDesign *design)
{
  g_autofree char *date = gls_version_format_date (design);
  const char *author = gls_design_get_author_name (design);

  if (date != NULL && author != NULL && *author != '\0')
    /* Translators: a version's date and author, "23 Nov 2026 · Ana" */
    return g_strdup_printf (_("%s · %s"), date, author);
  if (date != NULL)
    return g_steal_pointer (&date);
  return g_strdup (author != NULL ? author : "");
}

char *
gls_version_group_describe (GlsVersionGroup *self,
                            GlsDesign       *design)
{
  g_return_val_if_fail (GLS_IS_VERSION_GROUP (self), NULL);

  /* Translators: a design's version and how many it has, "Version 2 of 3" */
  return g_strdup_printf (_("Version %u of %u"),
                          gls_version_group_get_number (self, design),
                          gls_version_group_get_n_versions (self));
}

static void
threads_changed_cb (GlsVersionGroup *self)
{
  g_signal_emit (self, signals [CHANGED], 0);
}

static gboolean
same_designs (GListModel *model,
              GPtrArray  *designs,
              guint       from)
{
  if (g_list_model_get_n_items (model) != designs->len - from)
    return FALSE;
  for (guint i = from; i < designs->len; i++)
    {
      g_autoptr(GlsDesign) design = g_list_model_get_item (model, i - from);

      if (design != g_ptr_array_index (designs, i))
        return FALSE;
    }
  return TRUE;
}

static GListModel *
follow_threads (GlsVersionGroup *self,
                GlsDesign       *design)
{
  GListModel *model = gls_workspace_get_threads_later (self->workspace, gls_design_get_source (design));

  g_signal_connect_object (model, "items-changed",
                           G_CALLBACK (threads_changed_cb), self, G_CONNECT_SWAPPED);
  return model;
}

/* @designs: newest first. */
static void
set_designs (GlsVersionGroup *self,
             GPtrArray       *designs)
{
  g_autoptr(GHashTable) threads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  gboolean changed = FALSE;

  if (!same_designs (G_LIST_MODEL (self->versions), designs, 0))
    {
      g_list_store_splice (self->versions, 0, g_list_model_get_n_items (G_LIST_MODEL (self->versions)),
                           designs->pdata, designs->len);
      changed = TRUE;
    }
  if (!same_designs (G_LIST_MODEL (self->older), designs, 1))
    g_list_store_splice (self->older, 0, g_list_model_get_n_items (G_LIST_MODEL (self->older)),
                         designs->pdata + 1, designs->len - 1);

  /* Keep the threads models of the versions still here. */
  for (guint i = 0; i < designs->len; i++)
    {
      GlsDesign *design = g_ptr_array_index (designs, i);
      const char *id = gls_design_get_id (design);
      GListModel *model = NULL;
      gpointer key;

      if (g_hash_table_steal_extended (self->threads, id, &key, (gpointer *) &model))
        g_free (key);
      else if (self->watching)
        {
          model = follow_threads (self, design);
          changed = TRUE;
        }
      else
        continue;
      g_hash_table_insert (threads, g_strdup (id), model);
    }
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, self->threads);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_signal_handlers_disconnect_by_data (value, self);
  }
  g_clear_pointer (&self->threads, g_hash_table_unref);
  self->threads = g_steal_pointer (&threads);

  if (changed)
    g_signal_emit (self, signals [CHANGED], 0);
}

void
gls_version_group_watch (GlsVersionGroup *self)
{
  guint n;

  g_return_if_fail (GLS_IS_VERSION_GROUP (self));

  if (self->watching)
    return;
  self->watching = TRUE;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->versions));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsDesign) design = g_list_model_get_item (G_LIST_MODEL (self->versions), i);

      if (!g_hash_table_contains (self->threads, gls_design_get_id (design)))
        g_hash_table_insert (self->threads, g_strdup (gls_design_get_id (design)), follow_threads (self, design));
    }
  if (n > 0)
    g_signal_emit (self, signals [CHANGED], 0);
}

/* The first version @design is based on, as far as @by_id holds them. */
static const char *
root_of (GlsDesign  *design,
         GHashTable *by_id)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GlsDesign *current = design;

  while (g_hash_table_add (seen, (gpointer) gls_design_get_id (current)))
    {
      const char *based_on = gls_design_get_based_on (current);
      GlsDesign *base = based_on ? g_hash_table_lookup (by_id, based_on) : NULL;

      if (base == NULL)
        break;
      current = base;
    }
  return gls_design_get_id (current);
}

GPtrArray *
gls_version_groups_update (GlsWorkspace *workspace,
                           GListModel   *designs,
                           GHashTable   *groups)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) members = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  g_return_val_if_fail (GLS_IS_WORKSPACE (workspace), result);
  g_return_val_if_fail (G_IS_LIST_MODEL (designs), result);
  g_return_val_if_fail (groups != NULL, result);

  n = g_list_model_get_n_items (designs);
  for (guint i = 0; i < n; i++)
    {
      GlsDesign *design = g_list_model_get_item (designs, i);

      g_ptr_array_add (all, design);
      g_hash_table_insert (by_id, (gpointer) gls_design_get_id (design), design);
    }

  /* Newest first in, so each group comes in order of its newest version. */
  for (guint i = 0; i < all->len; i++)
    {
      GlsDesign *design = g_ptr_array_index (all, i);
      const char *root = root_of (design, by_id);
      GPtrArray *list = g_hash_table_lookup (members, root);

      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (members, (gpointer) root, list);
          g_ptr_array_add (order, (gpointer) root);
        }
      g_ptr_array_add (list, design);
    }

  for (guint i = 0; i < order->len; i++)
    {
      const char *root = g_ptr_array_index (order, i);
      GlsVersionGroup *group = g_hash_table_lookup (groups, root);

      if (group == NULL)
        {
          group = gls_version_group_new (workspace, root);
          g_hash_table_insert (groups, g_strdup (root), group);
        }
      set_designs (group, g_hash_table_lookup (members, root));
      g_ptr_array_add (result, g_object_ref (group));
    }

  /* Groups whose designs are all gone. */
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, groups);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      if (!g_hash_table_contains (members, key))
        g_hash_table_iter_remove (&iter);
  }

  return result;
}

static void
gls_version_group_dispose (GObject *object)
{
  GlsVersionGroup *self = GLS_VERSION_GROUP (object);

  if (self->threads != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->threads);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_signal_handlers_disconnect_by_data (value, self);
      g_clear_pointer (&self->threads, g_hash_table_unref);
    }
  g_clear_object (&self->versions);
  g_clear_object (&self->older);
  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (gls_version_group_parent_class)->dispose (object);
}

static void
gls_version_group_finalize (GObject *object)
{
  GlsVersionGroup *self = GLS_VERSION_GROUP (object);

  g_free (self->root_id);

  G_OBJECT_CLASS (gls_version_group_parent_class)->finalize (object);
}

static void
gls_version_group_class_init (GlsVersionGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gls_version_group_dispose;
  object_class->finalize = gls_version_group_finalize;

  /**
   * GlsVersionGroup::changed:
   *
   * A version came, or a thread of a version opened or closed.
   */
  signals [CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
gls_version_group_init (GlsVersionGroup *self)
{
  self->versions = g_list_store_new (GLS_TYPE_DESIGN);
  self->older = g_list_store_new (GLS_TYPE_DESIGN);
  self->threads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}
