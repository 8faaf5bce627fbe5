/* gls-suggestions.c: accepted suggestions applied to a text
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-suggestions"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gls-annotation.h"
#include "gls-suggestions.h"

typedef struct
{
  GlsThread *thread;
  gint64     start;
  gint64     end;
} Change;

void
gls_suggestion_failure_free (GlsSuggestionFailure *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->thread);
  g_free (self->reason);
  g_free (self);
}

static void
fail (GPtrArray *failures,
      GlsThread *thread,
      char      *reason)
{
  GlsSuggestionFailure *failure = g_new0 (GlsSuggestionFailure, 1);

  failure->thread = g_object_ref (thread);
  failure->reason = reason;
  g_ptr_array_add (failures, failure);
}

/* First accepted first: the thread's creation, then its id. */
static int
compare_accepted (gconstpointer a,
                  gconstpointer b)
{
  GlsThread *x = ((const Change *) a)->thread;
  GlsThread *y = ((const Change *) b)->thread;
  int c = g_strcmp0 (gls_thread_get_created (x), gls_thread_get_created (y));

  return c != 0 ? c : g_strcmp0 (gls_thread_get_root_id (x), gls_thread_get_root_id (y));
}

static int
compare_start (gconstpointer a,
               gconstpointer b)
{
  const Change *x = a, *y = b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->end < y->end ? -1 : x->end > y->end;
}

char *
gls_suggestions_apply (GlsTextIndex  *index,
                       GPtrArray     *threads,
                       guint         *n_applied,
                       GPtrArray    **out_failures)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GArray) kept = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func ((GDestroyNotify) gls_suggestion_failure_free);
  const char *text;
  GString *out;
  gsize from = 0;

  g_return_val_if_fail (index != NULL, NULL);
  g_return_val_if_fail (threads != NULL, NULL);

  for (guint i = 0; i < threads->len; i++)
    {
      GlsThread *thread = g_ptr_array_index (threads, i);
      Change change = { thread, -1, -1 };
      GlsAnchorState state;

      if (!gls_thread_is_suggestion (thread) || gls_thread_get_placeholder (thread) ||
          gls_thread_get_decision (thread) != GLS_DECISION_ACCEPTED)
        continue;

      state = gls_text_anchor (index, gls_thread_get_selector (thread), &change.start, &change.end);
      if (state == GLS_ANCHOR_IN_PLACE || state == GLS_ANCHOR_MOVED)
        g_array_append_val (changes, change);
      else if (state == GLS_ANCHOR_CHANGED)
        fail (failures, thread, g_strdup (_("the passage it changes was edited since")));
      else
        fail (failures, thread, g_strdup (_("the passage it changes is no longer in the text")));
    }

  /* Overlaps: the first accepted wins. */
  g_array_sort (changes, compare_accepted);
  for (guint i = 0; i < changes->len; i++)
    {
      Change *change = &g_array_index (changes, Change, i);
      Change *other = NULL;

      for (guint j = 0; j < kept->len && other == NULL; j++)
        {
          Change *k = &g_array_index (kept, Change, j);

          /* Two insertions at one place, or ranges that share text. */
          if ((change->start < k->end && k->start < change->end) ||
              (change->start == k->start && (change->start == change->end || k->start == k->end)))
            other = k;
        }
      if (other != NULL)
        /* Translators: a suggestion could not be applied; %u is another's thread number */
        fail (failures, change->thread,
              g_strdup_printf (_("it overlaps suggestion #%u, applied first"),
                               gls_thread_get_number (other->thread)));
      else
        g_array_append_val (kept, *change);
    }

  g_array_sort (kept, compare_start);
  text = gls_text_index_get_text (index);
  out = g_string_sized_new (gls_text_index_get_bytes (index));
  for (guint i = 0; i < kept->len; i++)
    {
      Change *change = &g_array_index (kept, Change, i);
      gsize start = gls_text_index_to_byte (index, change->start);
      gsize end = gls_text_index_to_byte (index, change->end);

      g_string_append_len (out, text + from, start - from);
      g_string_append (out, gls_thread_get_text (change->thread));
      from = end;
    }
  g_string_append_len (out, text + from, gls_text_index_get_bytes (index) - from);

  if (n_applied != NULL)
    *n_applied = kept->len;
  if (out_failures != NULL)
    *out_failures = g_steal_pointer (&failures);
  return g_string_free (out, FALSE);
}
