/* gls-threads.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-threads"

#include "config.h"

#include <string.h>

#include "gls-annotation-private.h"
#include "gls-comment-private.h"
#include "gls-thread-private.h"
#include "gls-threads.h"

/* The derivation works on one array of nodes, one per distinct id, with
 * the links between them as indices: an open-addressing table finds an
 * id's node, and each node lists its replies and edits through the nodes
 * themselves: building the index allocates two blocks in all. */
typedef struct
{
  GlsAnnotation *a;
  const char    *id;           /* a's, one pointer less to follow when probing */
  guint          hash;         /* of the id */
  int            first_reply;  /* replying annotations that target this one */
  int            next_reply;
  int            first_edit;   /* live editing annotations that target this one */
  int            next_edit;
  int            assessment;   /* the latest live assessing one, or -1 */
  int            first_assessment; /* every live assessing one, for the history */
  int            next_assessment;
} Node;

typedef struct
{
  Node  *nodes;
  guint  n_nodes;
  int   *slots;                /* node index, or -1 */
  guint  mask;
  GHashTable *names;           /* did:key -> name, or NULL */
  GHashTable *forged;          /* annotation id -> forged edits of it, or NULL */
} Index;

static gboolean
is_later (GlsAnnotation *a,
          GlsAnnotation *b)
{
  return b == NULL || gls_annotation_compare (a, b) > 0;
}

static int
compare_annotation_ptrs (gconstpointer a,
                         gconstpointer b)
{
  return gls_annotation_compare (*(GlsAnnotation * const *) a, *(GlsAnnotation * const *) b);
}

/* Node indices by their annotations' (created, id). */
static int
compare_nodes (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  Node *nodes = user_data;

  return gls_annotation_compare (nodes[*(const int *) a].a, nodes[*(const int *) b].a);
}

/* Roots by source, then (created, id). */
static int
compare_roots (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  Node *nodes = user_data;
  GlsAnnotation *ra = nodes[*(const int *) a].a;
  GlsAnnotation *rb = nodes[*(const int *) b].a;
  int cmp = g_strcmp0 (gls_annotation_get_source (ra), gls_annotation_get_source (rb));

  if (cmp != 0)
    return cmp;

  return gls_annotation_compare (ra, rb);
}

/* Documents with the same id should not happen (a store hands out one
 * winner per id); if they do, pick one independently of input order. */
static gboolean
replaces (GlsAnnotation *candidate,
          GlsAnnotation *current)
{
  gboolean cd = gls_annotation_is_deleted (candidate);
  gboolean ud = gls_annotation_is_deleted (current);
  int cmp;

  if (cd != ud)
    return cd;

  cmp = gls_annotation_compare (candidate, current);
  return cmp > 0 ||
         (cmp == 0 &&
          g_strcmp0 (gls_annotation_get_text (candidate), gls_annotation_get_text (current)) > 0);
}

/* The slot of `id` (hash `hash`): its node's, or the empty one where it
 * belongs. */
static guint
index_probe (Index      *index,
             const char *id,
             guint       hash)
{
  guint i = hash & index->mask;

  for (;;)
    {
      int n = index->slots[i];

      if (n < 0 ||
          (index->nodes[n].hash == hash && strcmp (index->nodes[n].id, id) == 0))
        return i;
      i = (i + 1) & index->mask;
    }
}

static void
index_build (Index     *index,
             GPtrArray *annotations)
{
  guint size = 8;

  while (size < annotations->len * 2)
    size <<= 1;

  index->nodes = g_new (Node, annotations->len);
  index->n_nodes = 0;
  index->slots = g_new (int, size);
  memset (index->slots, 0xff, size * sizeof (int));
  index->mask = size - 1;

  for (guint i = 0; i < annotations->len; i++)
    {
      GlsAnnotation *a = g_ptr_array_index (annotations, i);
      const char *id = gls_annotation_get_id (a);
      guint hash = _gls_annotation_get_id_hash (a);
      guint slot = index_probe (index, id, hash);
      int n = index->slots[slot];

      if (n >= 0)
        {
          if (replaces (a, index->nodes[n].a))
            index->nodes[n] = (Node) { a, id, hash, -1, -1, -1, -1, -1, -1, -1 };
          continue;
        }

      index->slots[slot] = index->n_nodes;
      index->nodes[index->n_nodes++] = (Node) { a, id, hash, -1, -1, -1, -1, -1, -1, -1 };
    }

  for (guint i = 0; i < index->n_nodes; i++)
    {
      Node *node = &index->nodes[i];
      GlsAnnotation *a = node->a;
      const char *target_id;
      Node *target;
      int t;

      if (gls_annotation_is_root (a) ||
          (target_id = gls_annotation_get_target_id (a)) == NULL)
        continue;

      /* A target that has not arrived: the document waits. */
      t = index->slots[index_probe (index, target_id, _gls_annotation_get_target_hash (a))];
      if (t < 0)
        continue;
      target = &index->nodes[t];

      switch (gls_annotation_get_motivation (a))
        {
        case GLS_MOTIVATION_REPLYING:
          /* Tombstones too: replies to a deleted reply still belong. */
          node->next_reply = target->first_reply;
          target->first_reply = i;
          break;

        case GLS_MOTIVATION_EDITING:
          if (!gls_annotation_is_deleted (a))
            {
              node->next_edit = target->first_edit;
              target->first_edit = i;
            }
          break;

        case GLS_MOTIVATION_ASSESSING:
          if (gls_annotation_is_deleted (a))
            break;
          if (target->assessment < 0 || is_later (a, index->nodes[target->assessment].a))
            target->assessment = i;
          node->next_assessment = target->first_assessment;
          target->first_assessment = i;
          break;

        case GLS_MOTIVATION_COMMENTING:
        default:
          break;
        }
    }
}

static void
index_clear (Index *index)
{
  g_clear_pointer (&index->nodes, g_free);
  g_clear_pointer (&index->slots, g_free);
}

/* An edit counts when it comes from the key that signed what it changes;
 * an unsigned comment (another tool's, or Glossa 0.1's) may be edited by
 * the creator it names. */
static gboolean
edit_counts (GlsAnnotation *edit,
             GlsAnnotation *target)
{
  const char *authority = gls_annotation_get_authority (target);

  if (authority == NULL || g_strcmp0 (gls_annotation_get_authority (edit), authority) != 0)
    return FALSE;

  return gls_annotation_get_signer (target) == NULL || gls_annotation_get_signer (edit) != NULL;
}

/* The latest edit of node `n` that counts; `ignored` gets how many did
 * not. */
static GlsAnnotation *
shown_edit (Index *index,
            int    n,
            guint *ignored)
{
  GlsAnnotation *target = index->nodes[n].a;
  GlsAnnotation *best = NULL;

  *ignored = 0;
  for (int e = index->nodes[n].first_edit; e >= 0; e = index->nodes[e].next_edit)
    {
      GlsAnnotation *edit = index->nodes[e].a;

      if (!edit_counts (edit, target))
        (*ignored)++;
      else if (is_later (edit, best))
        best = edit;
    }

  return best;
}

/* The name the author of `a` goes by now: their latest profile's, for
 * words they signed; else what the annotation says. */
static const char *
author_name (Index         *index,
             GlsAnnotation *a)
{
  const char *name = NULL;

  if (index->names != NULL && gls_annotation_get_trust (a) == GLS_TRUST_VERIFIED)
    name = g_hash_table_lookup (index->names, gls_annotation_get_signer (a));

  return name != NULL ? name : gls_annotation_get_creator_name (a);
}

static const char *
signer_name (Index         *index,
             GlsAnnotation *a)
{
  if (index->names == NULL || gls_annotation_get_signer (a) == NULL)
    return NULL;

  return g_hash_table_lookup (index->names, gls_annotation_get_signer (a));
}

/* What comment `n` shows; its last activity counts for the thread's. */
static void
make_comment (Index            *index,
              int               n,
              GlsCommentSource *source,
              GlsAnnotation   **latest)
{
  GlsAnnotation *a = index->nodes[n].a;
  GlsAnnotation *edit = NULL;
  guint ignored = 0;

  if (!gls_annotation_is_deleted (a))
    {
      if (is_later (a, *latest))
        *latest = a;

      edit = shown_edit (index, n, &ignored);
      if (index->forged != NULL)
        ignored += GPOINTER_TO_UINT (g_hash_table_lookup (index->forged, gls_annotation_get_id (a)));
      if (edit != NULL && is_later (edit, *latest))
        *latest = edit;
    }

  source->annotation = g_object_ref (a);
  source->edit = edit != NULL ? g_object_ref (edit) : NULL;
  source->ignored_edits = ignored;
  source->author_name = author_name (index, a);
  source->signer_name = signer_name (index, a);
}

static GlsThread *
make_thread (Index  *index,
             int     root_node,
             guint   number,
             GArray *queue,
             GArray *live)
{
  GlsAnnotation *root = index->nodes[root_node].a;
  GlsAnnotation *latest = NULL;
  GlsCommentSource *comments;
  int assessment;
  GlsThread *thread;

  /* Every reply reachable from the root: each reply has one target, so a
   * walk from the root meets each at most once. */
  g_array_set_size (queue, 0);
  g_array_set_size (live, 0);
  g_array_append_val (queue, root_node);
  for (guint i = 0; i < queue->len; i++)
    {
      int n = g_array_index (queue, int, i);

      for (int c = index->nodes[n].first_reply; c >= 0; c = index->nodes[c].next_reply)
        {
          g_array_append_val (queue, c);
          if (!gls_annotation_is_deleted (index->nodes[c].a))
            g_array_append_val (live, c);
        }
    }

  if (gls_annotation_is_deleted (root) && live->len == 0)
    return NULL;

  g_array_sort_with_data (live, compare_nodes, index->nodes);

  thread = g_object_new (GLS_TYPE_THREAD, NULL);
  thread->root = g_object_ref (root);
  thread->root_id = gls_annotation_get_id (root);
  thread->number = number;
  thread->source = gls_annotation_get_source (root);
  thread->selector = gls_annotation_get_selector (root);
  thread->author_id = gls_annotation_get_creator_id (root);
  thread->author_name = author_name (index, root);
  thread->names = index->names != NULL ? g_hash_table_ref (index->names) : NULL;
  thread->created = gls_annotation_get_created (root);
  thread->placeholder = gls_annotation_is_deleted (root);
  thread->reply_count = live->len;

  comments = g_new (GlsCommentSource, live->len + 1);
  make_comment (index, root_node, &comments[0], &latest);
  /* The root comment's text, as GlsComment shows it. */
  if (gls_annotation_is_deleted (root))
    thread->text = "";
  else
    thread->text = gls_annotation_get_text (comments[0].edit != NULL ? comments[0].edit : root);
  for (guint i = 0; i < live->len; i++)
    make_comment (index, g_array_index (live, int, i), &comments[i + 1], &latest);
  _gls_thread_take_comments (thread, comments, live->len + 1);

  assessment = index->nodes[root_node].assessment;
  if (assessment >= 0)
    {
      GlsAnnotation *status = index->nodes[assessment].a;

      thread->resolved = gls_annotation_get_resolved (status);
      if (gls_annotation_is_suggestion (root))
        thread->decision = gls_annotation_get_decision (status);
      thread->assessment = g_object_ref (status);
      if (is_later (status, latest))
        latest = status;
      /* Most threads are resolved once, if ever: the rest of the
       * history is the comments'. */
      if (index->nodes[index->nodes[root_node].first_assessment].next_assessment >= 0)
        {
          thread->assessments = g_ptr_array_new_with_free_func (g_object_unref);
          for (int n = index->nodes[root_node].first_assessment; n >= 0; n = index->nodes[n].next_assessment)
            g_ptr_array_add (thread->assessments, g_object_ref (index->nodes[n].a));
          g_ptr_array_sort (thread->assessments, compare_annotation_ptrs);
        }
    }

  if (latest == NULL)
    latest = root;
  thread->latest = g_object_ref (latest);
  thread->last_activity = gls_annotation_get_created (latest);

  return thread;
}

GPtrArray *
gls_threads_derive (GPtrArray  *annotations,
                    const char *source)
{
  return gls_threads_derive_with (annotations, source, NULL, NULL);
}

GPtrArray *
gls_threads_derive_with (GPtrArray  *annotations,
                         const char *source,
                         GHashTable *names,
                         GHashTable *forged)
{
  g_autoptr(GArray) roots = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) queue = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) live = g_array_new (FALSE, FALSE, sizeof (int));
  GPtrArray *threads;
  Index index = { 0 };
  const char *prev_source = NULL;
  guint number = 0;

  g_return_val_if_fail (annotations != NULL, NULL);

  index_build (&index, annotations);
  index.names = names;
  index.forged = forged;

  for (int i = 0; i < (int) index.n_nodes; i++)
    {
      GlsAnnotation *a = index.nodes[i].a;

      if (!gls_annotation_is_root (a))
        continue;
      if (source != NULL && g_strcmp0 (gls_annotation_get_source (a), source) != 0)
        continue;
      g_array_append_val (roots, i);
    }

  /* Numbers count every root, deleted ones too, so they never shift.
   * With one source, only (created, id) is left to compare. */
  g_array_sort_with_data (roots, source != NULL ? compare_nodes : compare_roots, index.nodes);
  threads = g_ptr_array_new_full (roots->len, g_object_unref);
  for (guint i = 0; i < roots->len; i++)
    {
      int root = g_array_index (roots, int, i);
      GlsAnnotation *a = index.nodes[root].a;
      GlsThread *thread;

      if (g_strcmp0 (prev_source, gls_annotation_get_source (a)) != 0)
        {
          prev_source = gls_annotation_get_source (a);
          number = 0;
        }
      number++;

      thread = make_thread (&index, root, number, queue, live);
      if (thread != NULL)
        g_ptr_array_add (threads, thread);
    }

  index_clear (&index);

  return threads;
}

static void
dump_string (GString    *out,
             const char *str)
{
  if (str == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = str; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      if (*p == '\n')
        g_string_append (out, "\\n");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

char *
gls_threads_dump (GPtrArray *threads)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (threads != NULL, NULL);

  for (guint i = 0; i < threads->len; i++)
    {
      GlsThread *t = g_ptr_array_index (threads, i);
      GListModel *comments = gls_thread_get_comments (t);
      g_autofree char *fragment = NULL;

      if (t->selector != NULL)
        fragment = gls_selector_to_fragment (t->selector, NULL);

      g_string_append_printf (out, "#%u root=%s source=%s at=%s%s%s replies=%u last=%s text=",
                              t->number, t->root_id, t->source,
                              fragment ? fragment : "-",
                              t->resolved ? " resolved" : "",
                              t->placeholder ? " placeholder" : "",
                              t->reply_count, t->last_activity);
      dump_string (out, t->text);
      g_string_append_c (out, '\n');

      for (guint j = 0; j < g_list_model_get_n_items (comments); j++)
        {
          g_autoptr(GlsComment) c = g_list_model_get_item (comments, j);

          g_string_append_printf (out, "  %s %s by=%s created=%s modified=%s%s%s text=",
                                  c->is_root ? "root" : "reply", gls_comment_get_id (c),
                                  gls_comment_get_author_id (c), gls_comment_get_created (c),
                                  gls_comment_get_modified (c),
                                  gls_comment_get_edited (c) ? " edited" : "",
                                  gls_comment_get_deleted (c) ? " deleted" : "");
          dump_string (out, gls_comment_get_text (c));
          g_string_append_c (out, '\n');
        }
    }

  return g_string_free (out, FALSE);
}
