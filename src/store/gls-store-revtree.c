/* gls-store-revtree.c: the pure revision-tree algorithms of the store
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-store"

#include "config.h"

#include <string.h>

#include "gls-store-private.h"

gboolean
_gls_rev_hash_is_valid (const char *hash)
{
  if (hash == NULL)
    return FALSE;
  for (guint i = 0; i < GLS_REV_HASH_LEN; i++)
    {
      char c = hash[i];
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
        return FALSE;
    }
  return hash[GLS_REV_HASH_LEN] == '\0';
}

gboolean
_gls_rev_parse (const char *rev,
                guint      *gen,
                char        hash[GLS_REV_HASH_LEN + 1])
{
  guint64 n = 0;
  const char *p;

  if (rev == NULL || rev[0] < '1' || rev[0] > '9')
    return FALSE;

  for (p = rev; *p >= '0' && *p <= '9'; p++)
    {
      n = n * 10 + (guint64) (*p - '0');
      if (n > G_MAXINT32)
        return FALSE;
    }
  if (*p != '-' || !_gls_rev_hash_is_valid (p + 1))
    return FALSE;

  if (gen != NULL)
    *gen = (guint) n;
  if (hash != NULL)
    memcpy (hash, p + 1, GLS_REV_HASH_LEN + 1);
  return TRUE;
}

void
_gls_rev_tree_init (GlsRevTree *tree)
{
  tree->nodes = g_array_new (FALSE, TRUE, sizeof (GlsRevNode));
}

void
_gls_rev_tree_clear (GlsRevTree *tree)
{
  g_clear_pointer (&tree->nodes, g_array_unref);
}

int
_gls_rev_tree_add (GlsRevTree       *tree,
                   const GlsRevNode *node)
{
  g_array_append_vals (tree->nodes, node, 1);
  return (int) tree->nodes->len - 1;
}

int
_gls_rev_tree_find (GlsRevTree *tree,
                    guint       gen,
                    const char *hash)
{
  for (guint i = 0; i < tree->nodes->len; i++)
    {
      const GlsRevNode *node = _gls_rev_tree_node (tree, i);

      if (node->gen == gen &&
          node->state != GLS_REV_NODE_REMOVED &&
          memcmp (node->hash, hash, GLS_REV_HASH_LEN) == 0)
        return (int) i;
    }
  return -1;
}

static void
mark_dirty (GlsRevNode *node)
{
  if (node->state == GLS_REV_NODE_KEPT)
    node->state = GLS_REV_NODE_DIRTY;
}

void
_gls_rev_tree_update_leaves (GlsRevTree *tree)
{
  guint n = tree->nodes->len;
  g_autofree guint8 *has_child = g_new0 (guint8, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      const GlsRevNode *node = _gls_rev_tree_node (tree, i);
      if (node->state != GLS_REV_NODE_REMOVED && node->parent >= 0)
        has_child[node->parent] = 1;
    }

  for (guint i = 0; i < n; i++)
    {
      GlsRevNode *node = _gls_rev_tree_node (tree, i);
      gboolean leaf = !has_child[i];

      if (node->state == GLS_REV_NODE_REMOVED)
        continue;
      if ((gboolean) node->leaf != leaf)
        {
          node->leaf = leaf;
          mark_dirty (node);
        }
    }
}

gboolean
_gls_rev_node_beats (const GlsRevNode *a,
                     const GlsRevNode *b)
{
  if (a->deleted != b->deleted)
    return !a->deleted;
  if (a->gen != b->gen)
    return a->gen > b->gen;
  return strcmp (a->hash, b->hash) > 0;
}

int
_gls_rev_tree_winner (GlsRevTree *tree)
{
  int best = -1;

  for (guint i = 0; i < tree->nodes->len; i++)
    {
      const GlsRevNode *node = _gls_rev_tree_node (tree, i);

      if (node->state == GLS_REV_NODE_REMOVED || !node->leaf)
        continue;
      if (best < 0 || _gls_rev_node_beats (node, _gls_rev_tree_node (tree, best)))
        best = (int) i;
    }
  return best;
}

GArray *
_gls_rev_tree_sorted_leaves (GlsRevTree *tree)
{
  GArray *leaves = g_array_new (FALSE, FALSE, sizeof (int));

  for (guint i = 0; i < tree->nodes->len; i++)
    {
      const GlsRevNode *node = _gls_rev_tree_node (tree, i);
      int idx = (int) i;

      if (node->state != GLS_REV_NODE_REMOVED && node->leaf)
        g_array_append_val (leaves, idx);
    }

  if (leaves->len > 1)
    {
      /* A handful of leaves: insertion sort, no global state needed. */
      for (guint i = 1; i < leaves->len; i++)
        for (guint j = i; j > 0; j--)
          {
            int *v = (int *) leaves->data;
            if (_gls_rev_node_beats (_gls_rev_tree_node (tree, v[j]),
                                     _gls_rev_tree_node (tree, v[j - 1])))
              {
                int t = v[j];
                v[j] = v[j - 1];
                v[j - 1] = t;
              }
            else
              break;
          }
    }
  return leaves;
}

int
_gls_rev_tree_merge_path (GlsRevTree        *tree,
                          guint              start,
                          const char *const *hashes,
                          guint              n_hashes,
                          gboolean           deleted,
                          gboolean          *changed)
{
  int prev = -1;

  g_return_val_if_fail (n_hashes > 0, -1);
  g_return_val_if_fail (start >= n_hashes, -1);

  *changed = FALSE;

  for (guint k = n_hashes; k > 0; k--)
    {
      guint i = k - 1;
      guint gen = start - i;
      int idx = _gls_rev_tree_find (tree, gen, hashes[i]);

      if (idx < 0)
        {
          GlsRevNode node = { 0, };

          node.gen = gen;
          memcpy (node.hash, hashes[i], GLS_REV_HASH_LEN + 1);
          node.parent = prev;
          node.deleted = (i == 0) ? deleted : FALSE;
          node.leaf = TRUE;
          node.state = GLS_REV_NODE_NEW;
          idx = _gls_rev_tree_add (tree, &node);
          *changed = TRUE;
        }
      else if (prev >= 0 && _gls_rev_tree_node (tree, idx)->parent < 0)
        {
          /* A stemmed root learns its ancestors again. */
          GlsRevNode *node = _gls_rev_tree_node (tree, idx);
          node->parent = prev;
          mark_dirty (node);
          *changed = TRUE;
        }
      prev = idx;
    }

  return prev;
}

void
_gls_rev_tree_stem (GlsRevTree *tree,
                    guint       limit)
{
  guint n = tree->nodes->len;
  g_autofree guint8 *keep = NULL;
  gboolean any_removed = FALSE;

  if (limit == 0)
    limit = 1;

  keep = g_new0 (guint8, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      const GlsRevNode *node = _gls_rev_tree_node (tree, i);
      int cur = (int) i;
      guint depth = 0;

      if (node->state == GLS_REV_NODE_REMOVED || !node->leaf)
        continue;
      while (cur >= 0 && depth < limit)
        {
          keep[cur] = 1;
          cur = _gls_rev_tree_node (tree, cur)->parent;
          depth++;
        }
    }

  for (guint i = 0; i < n; i++)
    {
      GlsRevNode *node = _gls_rev_tree_node (tree, i);

      if (node->state != GLS_REV_NODE_REMOVED && !keep[i])
        {
          node->state = GLS_REV_NODE_REMOVED;
          any_removed = TRUE;
        }
    }

  if (!any_removed)
    return;

  for (guint i = 0; i < n; i++)
    {
      GlsRevNode *node = _gls_rev_tree_node (tree, i);

      if (node->state == GLS_REV_NODE_REMOVED || node->parent < 0)
        continue;
      if (_gls_rev_tree_node (tree, node->parent)->state == GLS_REV_NODE_REMOVED)
        {
          node->parent = -1;
          mark_dirty (node);
        }
    }
}
