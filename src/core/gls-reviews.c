/* gls-reviews.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-reviews"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gls-reviews.h"

void
gls_review_free (GlsReview *review)
{
  if (review == NULL)
    return;
  g_clear_object (&review->annotation);
  g_free (review->reviewer);
  g_free (review->name);
  g_free (review);
}

static int
compare_reviews (gconstpointer a,
                 gconstpointer b)
{
  const GlsReview *ra = *(const GlsReview * const *) a;
  const GlsReview *rb = *(const GlsReview * const *) b;
  int cmp = g_strcmp0 (gls_annotation_get_source (ra->annotation), gls_annotation_get_source (rb->annotation));

  return cmp != 0 ? cmp : gls_annotation_compare (ra->annotation, rb->annotation);
}

GPtrArray *
gls_reviews_derive (GPtrArray  *annotations,
                    const char *source,
                    GHashTable *names)
{
  g_autoptr(GHashTable) latest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *reviews = g_ptr_array_new_with_free_func ((GDestroyNotify) gls_review_free);
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (annotations != NULL, reviews);

  for (guint i = 0; i < annotations->len; i++)
    {
      GlsAnnotation *a = g_ptr_array_index (annotations, i);
      const char *reviewer;
      g_autofree char *key = NULL;
      GlsAnnotation *before;

      if (gls_annotation_is_deleted (a) || !gls_annotation_is_review (a) ||
          (source != NULL && g_strcmp0 (gls_annotation_get_source (a), source) != 0) ||
          (reviewer = gls_annotation_get_authority (a)) == NULL)
        continue;
      /* One review counts per reviewer and version. */
      key = g_strconcat (gls_annotation_get_source (a), " ", reviewer, NULL);
      before = g_hash_table_lookup (latest, key);
      if (before == NULL || gls_annotation_compare (a, before) > 0)
        g_hash_table_insert (latest, g_steal_pointer (&key), a);
    }

  g_hash_table_iter_init (&iter, latest);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GlsAnnotation *a = value;
      GlsReview *review = g_new0 (GlsReview, 1);
      const char *name = NULL;

      review->annotation = g_object_ref (a);
      review->reviewer = g_strdup (gls_annotation_get_authority (a));
      /* A signer goes by the name of their profile; an unsigned review by
       * the one it gives. */
      if (names != NULL && gls_annotation_get_signer (a) != NULL)
        name = g_hash_table_lookup (names, gls_annotation_get_signer (a));
      if (name == NULL)
        name = gls_annotation_get_creator_name (a);
      review->name = g_strdup (name != NULL ? name : _("Someone"));
      g_ptr_array_add (reviews, review);
    }
  g_ptr_array_sort (reviews, compare_reviews);

  return reviews;
}

GlsDecision
gls_review_get_decision (const GlsReview *review)
{
  g_return_val_if_fail (review != NULL, GLS_DECISION_NONE);

  return gls_annotation_get_decision (review->annotation);
}

GlsDecision
gls_reviews_get_state (GPtrArray *reviews)
{
  GlsDecision state = GLS_DECISION_NONE;

  g_return_val_if_fail (reviews != NULL, GLS_DECISION_NONE);

  for (guint i = 0; i < reviews->len; i++)
    {
      GlsDecision decision = gls_review_get_decision (g_ptr_array_index (reviews, i));

      if (decision == GLS_DECISION_CHANGES_REQUESTED)
        return GLS_DECISION_CHANGES_REQUESTED;
      if (decision == GLS_DECISION_APPROVED)
        state = GLS_DECISION_APPROVED;
    }

  return state;
}

char *
gls_reviews_summary (GPtrArray *reviews)
{
  g_autoptr(GString) summary = NULL;

  g_return_val_if_fail (reviews != NULL, NULL);

  if (reviews->len == 0)
    return NULL;

  summary = g_string_new (NULL);
  for (guint i = 0; i < reviews->len; i++)
    {
      const GlsReview *review = g_ptr_array_index (reviews, i);

      if (i > 0)
        g_string_append (summary, " · ");
      if (gls_review_get_decision (review) == GLS_DECISION_APPROVED)
        /* Translators: one reviewer's decision, in a list like
         * "Ana approved · Ben requested changes" */
        g_string_append_printf (summary, _("%s approved"), review->name);
      else
        /* Translators: one reviewer's decision, in a list like
         * "Ana approved · Ben requested changes" */
        g_string_append_printf (summary, _("%s requested changes"), review->name);
    }

  return g_string_free (g_steal_pointer (&summary), FALSE);
}
