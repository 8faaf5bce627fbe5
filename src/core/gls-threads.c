/* gls-threads.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-threads"

#include "config.h"

#include "gls-comment-private.h"
#include "gls-thread-private.h"
#include "gls-threads.h"

typedef struct
{
  GHashTable *by_id;        /* id -> GlsAnnotation (borrowed) */
  GHashTable *replies;      /* target id -> GPtrArray of replying annotations */
  GHashTable *edits;        /* target id -> GPtrArray of live editing annotations */
  GHashTable *assessments;  /* target id -> latest live assessing annotation */
} Index;

static gboolean
is_later (GlsAnnotation *a,
          GlsAnnotation *b)
{
  return b == NULL || gls_annotation_compare (a, b) > 0;
}

static int
compare_annotations (gconstpointer a,
                     gconstpointer b)
{
  return gls_annotation_compare (*(GlsAnnotation **) a, *(GlsAnnotation **) b);
}

static void
multi_add (GHashTable    *table,
           const char    *key,
           GlsAnnotation *annotation)
{
  GPtrArray *list = g_hash_table_lookup (table, key);

  if (list == NULL)
    {
      list = g_ptr_array_new ();
      g_hash_table_insert (table, (gpointer) key, list);
    }
  g_ptr_array_add (list, annotation);
}

/* Documents with the same id should not happen (a store hands out one
 * winner per id); if they do, pick one independently of input order. */
static gboolean
replaces (GlsAnnotation *candidate,
          GlsAnnotation *current)
{
  gboolean cd = gls_annotation_is_deleted (candidate);
  gboolean ud = gls_annotation_is_deleted (current);

  if (cd != ud)
    return cd;

  return gls_annotation_compare (candidate, current) > 0 ||
         (gls_annotation_compare (candidate, current) == 0 &&
          g_strcmp0 (gls_annotation_get_text (candidate), gls_annotation_get_text (current)) > 0);
}

static void
index_build (Index     *index,
             GPtrArray *annotations)
{
  GHashTableIter iter;
  GlsAnnotation *a;

  index->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  index->replies = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) g_ptr_array_unref);
  index->edits = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) g_ptr_array_unref);
  index->assessments = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < annotations->len; i++)
    {
      GlsAnnotation *current;

      a = g_ptr_array_index (annotations, i);
      current = g_hash_table_lookup (index->by_id, gls_annotation_get_id (a));
      if (current == NULL || replaces (a, current))
        g_hash_table_insert (index->by_id, (gpointer) gls_annotation_get_id (a), a);
    }

  g_hash_table_iter_init (&iter, index->by_id);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    {
      const char *target = gls_annotation_get_target_id (a);

      switch (gls_annotation_get_motivation (a))
        {
        case GLS_MOTIVATION_REPLYING:
          /* Tombstones too: replies to a deleted reply still belong. */
          multi_add (index->replies, target, a);
          break;

        case GLS_MOTIVATION_EDITING:
          if (!gls_annotation_is_deleted (a))
            multi_add (index->edits, target, a);
          break;

        case GLS_MOTIVATION_ASSESSING:
          if (!gls_annotation_is_deleted (a) &&
              is_later (a, g_hash_table_lookup (index->assessments, target)))
            g_hash_table_insert (index->assessments, (gpointer) target, a);
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
  g_clear_pointer (&index->by_id, g_hash_table_unref);
  g_clear_pointer (&index->replies, g_hash_table_unref);
  g_clear_pointer (&index->edits, g_hash_table_unref);
  g_clear_pointer (&index->assessments, g_hash_table_unref);
}

/* The latest edit of `a` by a's own creator. */
static GlsAnnotation *
shown_edit (Index         *index,
            GlsAnnotation *a)
{
  GPtrArray *edits = g_hash_table_lookup (index->edits, gls_annotation_get_id (a));
  GlsAnnotation *best = NULL;

  if (edits == NULL || gls_annotation_get_creator_id (a) == NULL)
    return NULL;

  for (guint i = 0; i < edits->len; i++)
    {
      GlsAnnotation *e = g_ptr_array_index (edits, i);

      if (g_strcmp0 (gls_annotation_get_creator_id (e), gls_annotation_get_creator_id (a)) == 0 &&
          is_later (e, best))
        best = e;
    }

  return best;
}

static GlsComment *
make_comment (Index          *index,
              GlsAnnotation  *a,
              gboolean        is_root,
              GlsAnnotation **latest)
{
  GlsComment *c = g_object_new (GLS_TYPE_COMMENT, NULL);
  GlsAnnotation *edit = NULL;

  c->id = g_strdup (gls_annotation_get_id (a));
  c->author_id = g_strdup (gls_annotation_get_creator_id (a));
  c->author_name = g_strdup (gls_annotation_get_creator_name (a));
  c->created = g_strdup (gls_annotation_get_created (a));
  c->is_root = is_root;
  c->deleted = gls_annotation_is_deleted (a);

  if (c->deleted)
    {
      c->text = g_strdup ("");
      return c;
    }

  if (is_later (a, *latest))
    *latest = a;

  edit = shown_edit (index, a);
  if (edit != NULL)
    {
      c->text = g_strdup (gls_annotation_get_text (edit));
      c->modified = g_strdup (gls_annotation_get_created (edit));
      c->edited = TRUE;
      if (is_later (edit, *latest))
        *latest = edit;
    }
  else
    c->text = g_strdup (gls_annotation_get_text (a));

  return c;
}

static GlsThread *
make_thread (Index         *index,
             GlsAnnotation *root,
             guint          number)
{
  g_autoptr(GPtrArray) live = g_ptr_array_new ();
  g_autoptr(GPtrArray) queue = g_ptr_array_new ();
  g_autoptr(GlsComment) root_comment = NULL;
  GlsAnnotation *latest = NULL;
  GlsAnnotation *assessment;
  GlsThread *thread;

  /* Every reply reachable from the root: each reply has one target, so a
   * walk from the root meets each at most once. */
  g_ptr_array_add (queue, root);
  for (guint i = 0; i < queue->len; i++)
    {
      GlsAnnotation *a = g_ptr_array_index (queue, i);
      GPtrArray *children = g_hash_table_lookup (index->replies, gls_annotation_get_id (a));

      if (children == NULL)
        continue;

      for (guint j = 0; j < children->len; j++)
        {
          GlsAnnotation *child = g_ptr_array_index (children, j);

          g_ptr_array_add (queue, child);
          if (!gls_annotation_is_deleted (child))
            g_ptr_array_add (live, child);
        }
    }

  if (gls_annotation_is_deleted (root) && live->len == 0)
    return NULL;

  g_ptr_array_sort (live, compare_annotations);

  thread = g_object_new (GLS_TYPE_THREAD, NULL);
  thread->root_id = g_strdup (gls_annotation_get_id (root));
  thread->number = number;
  thread->source = g_strdup (gls_annotation_get_source (root));
  if (gls_annotation_get_selector (root) != NULL)
    thread->selector = gls_selector_copy (gls_annotation_get_selector (root));
  thread->author_id = g_strdup (gls_annotation_get_creator_id (root));
  thread->author_name = g_strdup (gls_annotation_get_creator_name (root));
  thread->created = g_strdup (gls_annotation_get_created (root));
  thread->placeholder = gls_annotation_is_deleted (root);
  thread->reply_count = live->len;

  root_comment = make_comment (index, root, TRUE, &latest);
  thread->text = g_strdup (root_comment->text);
  g_list_store_append (thread->comments, root_comment);

  for (guint i = 0; i < live->len; i++)
    {
      g_autoptr(GlsComment) c = make_comment (index, g_ptr_array_index (live, i), FALSE, &latest);

      g_list_store_append (thread->comments, c);
    }

  assessment = g_hash_table_lookup (index->assessments, thread->root_id);
  if (assessment != NULL)
    {
      thread->resolved = gls_annotation_get_resolved (assessment);
      if (is_later (assessment, latest))
        latest = assessment;
    }

  if (latest == NULL)
    latest = root;
  thread->last_activity = g_strdup (gls_annotation_get_created (latest));

  return thread;
}

static int
compare_roots (gconstpointer a,
               gconstpointer b)
{
  GlsAnnotation *ra = *(GlsAnnotation **) a;
  GlsAnnotation *rb = *(GlsAnnotation **) b;
  int cmp = g_strcmp0 (gls_annotation_get_source (ra), gls_annotation_get_source (rb));

  if (cmp != 0)
    return cmp;

  return gls_annotation_compare (ra, rb);
}

GPtrArray *
gls_threads_derive (GPtrArray  *annotations,
                    const char *source)
{
  g_autoptr(GPtrArray) roots = g_ptr_array_new ();
  GPtrArray *threads = g_ptr_array_new_with_free_func (g_object_unref);
  Index index = { 0 };
  GHashTableIter iter;
  GlsAnnotation *a;
  const char *prev_source = NULL;
  guint number = 0;

  g_return_val_if_fail (annotations != NULL, NULL);

  index_build (&index, annotations);

  g_hash_table_iter_init (&iter, index.by_id);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &a))
    {
      if (gls_annotation_get_motivation (a) != GLS_MOTIVATION_COMMENTING)
        continue;
      if (source != NULL && g_strcmp0 (gls_annotation_get_source (a), source) != 0)
        continue;
      g_ptr_array_add (roots, a);
    }

  /* Numbers count every root, deleted ones too, so they never shift. */
  g_ptr_array_sort (roots, compare_roots);
  for (guint i = 0; i < roots->len; i++)
    {
      GlsThread *thread;

      a = g_ptr_array_index (roots, i);
      if (g_strcmp0 (prev_source, gls_annotation_get_source (a)) != 0)
        {
          prev_source = gls_annotation_get_source (a);
          number = 0;
        }
      number++;

      thread = make_thread (&index, a, number);
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
                                  c->is_root ? "root" : "reply", c->id, c->author_id,
                                  c->created, gls_comment_get_modified (c),
                                  c->edited ? " edited" : "", c->deleted ? " deleted" : "");
          dump_string (out, c->text);
          g_string_append_c (out, '\n');
        }
    }

  return g_string_free (out, FALSE);
}
