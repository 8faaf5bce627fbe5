/* gls-suggestions.c: accepted suggestions applied to a text
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-suggestions"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

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

/* Anchors the accepted suggestions of @threads in @index's text; those
 * that are gone or edited fail. Then drops, first accepted first, those
 * that overlap one kept. Returns the kept ones by start. */
static GArray *
accepted_changes (GlsTextIndex *index,
                  GPtrArray    *threads,
                  GPtrArray    *failures)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  GArray *kept = g_array_new (FALSE, FALSE, sizeof (Change));

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

  g_array_sort (changes, compare_accepted);
  for (guint i = 0; i < changes->len; i++)
    {
      Change *change = &g_array_index (changes, Change, i);
      Change *other = NULL;

      for (guint j = 0; j < kept->len && other == NULL; j++)
        {
          Change *k = &g_array_index (kept, Change, j);

          /* Ranges that share text, or two insertions at one place. */
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
  return kept;
}

char *
gls_suggestions_apply (GlsTextIndex  *index,
                       GPtrArray     *threads,
                       guint         *n_applied,
                       GPtrArray    **out_failures)
{
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func ((GDestroyNotify) gls_suggestion_failure_free);
  g_autoptr(GArray) kept = NULL;
  const char *text;
  GString *out;
  gsize from = 0;

  g_return_val_if_fail (index != NULL, NULL);
  g_return_val_if_fail (threads != NULL, NULL);

  kept = accepted_changes (index, threads, failures);
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

/* The translation (one msgstr form) that holds [start, end), if any. */
static gboolean
find_translation (GlsPoFile *po,
                  gint64     start,
                  gint64     end,
                  guint     *out_index,
                  guint     *out_form)
{
  gint index = gls_po_file_message_at (po, start);
  const GlsPoMessage *message;

  if (index < 0)
    return FALSE;
  message = gls_po_file_get_message (po, index);
  for (guint form = 0; form < gls_po_message_get_n_forms (message); form++)
    {
      gint64 s, e;

      if (gls_po_file_get_span (po, index, GLS_PO_PART_MSGSTR, form, &s, &e) &&
          start >= s && end <= e)
        {
          *out_index = index;
          *out_form = form;
          return TRUE;
        }
    }
  return FALSE;
}

/* Where a text offset inside a translation's span falls in its value;
 * the span's end is the value's end. */
static gint64
value_offset (GlsPoFile *po,
              guint      index,
              guint      form,
              gint64     offset,
              gint64     span_end,
              gint64     length)
{
  if (offset >= span_end)
    return length;
  return gls_po_file_text_to_value (po, index, GLS_PO_PART_MSGSTR, form, offset);
}

char *
gls_suggestions_apply_po (GlsPoFile   *po,
                          GPtrArray   *threads,
                          guint       *n_applied,
                          GPtrArray  **out_failures,
                          GError     **error)
{
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func ((GDestroyNotify) gls_suggestion_failure_free);
  g_autoptr(GArray) kept = NULL;
  g_autoptr(GArray) po_changes = g_array_new (FALSE, FALSE, sizeof (GlsPoChange));
  g_autoptr(GPtrArray) translations = g_ptr_array_new_with_free_func (g_free);
  guint applied = 0;
  char *result;

  g_return_val_if_fail (GLS_IS_PO_FILE (po), NULL);
  g_return_val_if_fail (threads != NULL, NULL);

  if (!gls_po_file_has_spans (po))
    {
      g_set_error_literal (error, GLS_CORE_ERROR, GLS_CORE_ERROR_UNSUPPORTED,
                           _("Glossa could not tell where each message is in this PO file"));
      return NULL;
    }

  kept = accepted_changes (gls_po_file_get_index (po), threads, failures);

  /* Kept changes are by start and do not overlap: those in one
   * translation come together, in order, and make its new text. */
  for (guint i = 0; i < kept->len;)
    {
      Change *first = &g_array_index (kept, Change, i);
      guint index, form, j;
      gint64 span_start, span_end, length;
      const char *value;
      GString *translation;
      gsize from = 0;
      g_autoptr(GError) local_error = NULL;

      if (!find_translation (po, first->start, first->end, &index, &form))
        {
          fail (failures, first->thread,
                g_strdup (_("it is not inside one translation of the file")));
          i++;
          continue;
        }
      gls_po_file_get_span (po, index, GLS_PO_PART_MSGSTR, form, &span_start, &span_end);
      value = gls_po_message_get_msgstr (gls_po_file_get_message (po, index), form);
      length = g_utf8_strlen (value, -1);
      translation = g_string_new (NULL);
      for (j = i; j < kept->len; j++)
        {
          Change *change = &g_array_index (kept, Change, j);
          gint64 v0, v1;
          const char *p0, *p1;

          if (change->start >= span_end || change->end > span_end)
            break;
          v0 = value_offset (po, index, form, change->start, span_end, length);
          v1 = value_offset (po, index, form, change->end, span_end, length);
          if (v0 < 0 || v1 < v0)
            break;
          p0 = g_utf8_offset_to_pointer (value, v0);
          p1 = g_utf8_offset_to_pointer (value, v1);
          g_string_append_len (translation, value + from, p0 - (value + from));
          g_string_append (translation, gls_thread_get_text (change->thread));
          from = p1 - value;
        }
      g_string_append (translation, value + from);
      if (j == i)
        {
          fail (failures, first->thread, g_strdup (_("it is not inside one translation of the file")));
          g_string_free (translation, TRUE);
          i++;
          continue;
        }

      if (!gls_po_check_translation (po, index, form, translation->str, &local_error))
        {
          for (guint k = i; k < j; k++)
            fail (failures, g_array_index (kept, Change, k).thread, g_strdup (local_error->message));
        }
      else
        {
          GlsPoChange change = { index, form, translation->str };

          g_array_append_val (po_changes, change);
          applied += j - i;
        }
      g_ptr_array_add (translations, g_string_free (translation, FALSE));
      i = j;
    }

  result = gls_po_apply (po, (const GlsPoChange *) (gpointer) po_changes->data, po_changes->len,
                         NULL, error);
  if (result == NULL)
    return NULL;
  if (n_applied != NULL)
    *n_applied = applied;
  if (out_failures != NULL)
    *out_failures = g_steal_pointer (&failures);
  return result;
}
