/* gls-report-input.h: what a review report shows, as plain data
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gls-design.h"
#include "gls-reviews.h"
#include "gls-selector.h"
#include "gls-thread.h"

G_BEGIN_DECLS

/*
 * The writers of the report run in the glossa-render module for the
 * command line, and no GObject of core may cross into it (gls-render-api.h
 * says why): so what they show is taken from the design, its threads and
 * reviews into these plain structs, by the functions below, on the side
 * that owns the objects (the command line, the window's main thread).
 * They are static inline so that neither side links the other's code.
 */

/* Called in the writing thread after each step (see the writers). */
typedef void (*GlsReportProgressFunc) (guint    done,
                                       guint    total,
                                       gpointer user_data);

typedef struct
{
  char     *author;
  char     *created;   /* ISO 8601 */
  char     *modified;  /* of the edit shown; NULL when not edited */
  char     *text;
  gboolean  deleted;   /* a root deleted, kept for its replies */
} GlsReportComment;

typedef struct
{
  guint        number;
  gboolean     resolved;
  gboolean     suggestion;
  GlsDecision  decision;     /* on a suggestion */
  char        *replacement;  /* a suggestion's words */
  GlsSelector *selector;     /* NULL: on the whole design */
  char        *author;
  GPtrArray   *comments;     /* GlsReportComment, the root first */
  char        *assessed_by;  /* the latest resolve or reopen, or NULL */
  char        *assessed_at;
  gboolean     assessed_resolved;
} GlsReportThread;

typedef struct
{
  char        *reviewer;
  GlsDecision  decision;     /* APPROVED or CHANGES_REQUESTED */
  char        *date;         /* ISO 8601, or NULL */
  char        *note;         /* their words, or NULL */
} GlsReportReview;

typedef struct
{
  char          *name;
  char          *media_type;
  GlsDesignKind  kind;
  char          *license;
  char          *author;
  char          *created;    /* ISO 8601 */
  guint          version;    /* "2 of 3"; 0 of 0 says nothing */
  guint          n_versions;
  GBytes        *file;
  GPtrArray     *threads;    /* GlsReportThread, in number order */
  GPtrArray     *reviews;    /* GlsReportReview */
} GlsReportInput;

static inline void
gls_report_comment_free (gpointer data)
{
  GlsReportComment *comment = data;

  g_free (comment->author);
  g_free (comment->created);
  g_free (comment->modified);
  g_free (comment->text);
  g_free (comment);
}

static inline void
gls_report_thread_free (gpointer data)
{
  GlsReportThread *thread = data;

  g_free (thread->replacement);
  g_clear_pointer (&thread->selector, gls_selector_free);
  g_free (thread->author);
  g_ptr_array_unref (thread->comments);
  g_free (thread->assessed_by);
  g_free (thread->assessed_at);
  g_free (thread);
}

static inline void
gls_report_review_free (gpointer data)
{
  GlsReportReview *review = data;

  g_free (review->reviewer);
  g_free (review->date);
  g_free (review->note);
  g_free (review);
}

static inline void
gls_report_input_free (GlsReportInput *input)
{
  g_free (input->name);
  g_free (input->media_type);
  g_free (input->license);
  g_free (input->author);
  g_free (input->created);
  g_clear_pointer (&input->file, g_bytes_unref);
  g_ptr_array_unref (input->threads);
  g_ptr_array_unref (input->reviews);
  g_free (input);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsReportInput, gls_report_input_free)

/* Of @design and its file; then add its threads and reviews. */
static inline GlsReportInput *
gls_report_input_new (GlsDesign *design,
                      GBytes    *file)
{
  GlsReportInput *input = g_new0 (GlsReportInput, 1);

  input->name = g_strdup (gls_design_get_name (design));
  input->media_type = g_strdup (gls_design_get_media_type (design));
  input->kind = gls_design_get_kind (design);
  input->license = g_strdup (gls_design_get_license (design));
  input->author = g_strdup (gls_design_get_author_name (design));
  input->created = g_strdup (gls_design_get_date_created (design));
  input->file = g_bytes_ref (file);
  input->threads = g_ptr_array_new_with_free_func (gls_report_thread_free);
  input->reviews = g_ptr_array_new_with_free_func (gls_report_review_free);

  return input;
}

static inline void
gls_report_input_add_thread (GlsReportInput *input,
                             GlsThread      *thread)
{
  GlsReportThread *t = g_new0 (GlsReportThread, 1);
  GListModel *comments = gls_thread_get_comments (thread);
  GlsAnnotation *assessment = gls_thread_get_assessment (thread);
  guint n = g_list_model_get_n_items (comments);

  t->number = gls_thread_get_number (thread);
  t->resolved = gls_thread_get_resolved (thread);
  t->suggestion = gls_thread_is_suggestion (thread);
  t->decision = gls_thread_get_decision (thread);
  if (t->suggestion)
    t->replacement = g_strdup (gls_thread_get_text (thread));
  if (gls_thread_get_selector (thread) != NULL)
    t->selector = gls_selector_copy (gls_thread_get_selector (thread));
  t->author = g_strdup (gls_thread_get_author_name (thread));
  t->comments = g_ptr_array_new_with_free_func (gls_report_comment_free);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsComment) comment = g_list_model_get_item (comments, i);
      GlsReportComment *c = g_new0 (GlsReportComment, 1);

      c->author = g_strdup (gls_comment_get_author_name (comment));
      c->created = g_strdup (gls_comment_get_created (comment));
      if (gls_comment_get_edited (comment))
        c->modified = g_strdup (gls_comment_get_modified (comment));
      c->text = g_strdup (gls_comment_get_text (comment));
      c->deleted = gls_comment_get_deleted (comment);
      g_ptr_array_add (t->comments, c);
    }
  if (assessment != NULL)
    {
      t->assessed_by = g_strdup (gls_annotation_get_creator_name (assessment));
      t->assessed_at = g_strdup (gls_annotation_get_created (assessment));
      t->assessed_resolved = gls_annotation_get_resolved (assessment);
    }

  g_ptr_array_add (input->threads, t);
}

/* Each GlsThread of @threads. */
static inline void
gls_report_input_add_threads (GlsReportInput *input,
                              GListModel     *threads)
{
  guint n = g_list_model_get_n_items (threads);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsThread) thread = g_list_model_get_item (threads, i);

      gls_report_input_add_thread (input, thread);
    }
}

static inline void
gls_report_input_add_review (GlsReportInput *input,
                             const char     *reviewer,
                             GlsDecision     decision,
                             const char     *date,
                             const char     *note)
{
  GlsReportReview *review = g_new0 (GlsReportReview, 1);

  review->reviewer = g_strdup (reviewer);
  review->decision = decision;
  review->date = g_strdup (date);
  review->note = g_strdup (note);
  g_ptr_array_add (input->reviews, review);
}

/* "Version 2 of 3": @versions is the design's chain up to it, oldest
 * first (gls_workspace_list_versions); @designs, every design (GlsDesign
 * items), where the versions made after it are found. */
static inline void
gls_report_input_set_versions (GlsReportInput *input,
                               GPtrArray      *versions,
                               GListModel     *designs)
{
  GlsDesign *newest = versions->len > 0 ? g_ptr_array_index (versions, versions->len - 1) : NULL;
  guint n = g_list_model_get_n_items (designs);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean found = newest != NULL;

  input->version = versions->len;
  input->n_versions = versions->len;

  /* Follow isBasedOn forward, one later version at a time (a fork: the
   * first found); a loop stops where it would. */
  while (found && g_hash_table_add (seen, (gpointer) gls_design_get_id (newest)))
    {
      found = FALSE;
      for (guint i = 0; i < n && !found; i++)
        {
          g_autoptr(GlsDesign) other = g_list_model_get_item (designs, i);

          if (g_strcmp0 (gls_design_get_based_on (other), gls_design_get_id (newest)) == 0)
            {
              newest = other;
              input->n_versions++;
              found = TRUE;
            }
        }
    }
}

/* Each GlsReview of gls_workspace_list_reviews. */
static inline void
gls_report_input_add_reviews (GlsReportInput *input,
                              GPtrArray      *reviews)
{
  for (guint i = 0; i < reviews->len; i++)
    {
      const GlsReview *review = g_ptr_array_index (reviews, i);
      const char *name = review->name != NULL && *review->name != '\0' ? review->name : review->reviewer;

      gls_report_input_add_review (input, name, gls_review_get_decision (review),
                                   gls_annotation_get_created (review->annotation),
                                   gls_annotation_get_note (review->annotation));
    }
}

G_END_DECLS
