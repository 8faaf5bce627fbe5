/* gls-thread-private.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-annotation.h"
#include "gls-thread.h"

G_BEGIN_DECLS

/* Filled in once by the derivation, then never changed. */
struct _GlsThread
{
  GObject            parent_instance;

  /* The strings and the selector are borrowed from these two. */
  GlsAnnotation     *root;
  GlsAnnotation     *latest;      /* its last activity */
  GlsAnnotation     *assessment;  /* the latest resolve or reopen, or NULL */
  GPtrArray         *assessments; /* all of them, oldest first, when more than one */
  GHashTable        *names;       /* did:key -> name; the strings below may be its */

  const char        *root_id;
  guint              number;
  const char        *source;
  const GlsSelector *selector;
  const char        *text;        /* the root comment's (a suggestion's replacement) */
  const char        *author_id;
  const char        *author_name;
  const char        *created;
  const char        *last_activity;
  guint              reply_count;
  GlsDecision        decision;    /* on a suggestion */
  guint              resolved : 1;
  guint              placeholder : 1;
  GListModel        *comments;
};

/* What a comment shows: its annotation and the edit it shows (NULL:
 * none). */
typedef struct
{
  GlsAnnotation *annotation;
  GlsAnnotation *edit;
  guint          ignored_edits; /* edits by someone else than its signer */
  const char    *author_name;   /* borrowed from the thread's names */
  const char    *signer_name;
} GlsCommentSource;

/* Takes `sources` (root first, g_malloc'd) and their references. The
 * GlsComment objects are made when first asked for: a cold open derives
 * thousands of threads whose comments nobody looks at yet. */
void _gls_thread_take_comments (GlsThread        *self,
                                GlsCommentSource *sources,
                                guint             n_comments);

G_END_DECLS
