/* gls-thread.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gls-annotation.h"
#include "gls-comment.h"
#include "gls-selector.h"

G_BEGIN_DECLS

/*
 * GlsThread: a derived thread (see gls_threads_derive ()). Read-only
 * properties, for list models and GtkExpression lookups: root-id, number,
 * source, selector (GlsSelector), page, text, author-id, author-name,
 * created, last-activity, reply-count, resolved, placeholder, comments
 * (a GListModel of GlsComment: the root, then the replies).
 */

#define GLS_TYPE_THREAD (gls_thread_get_type ())

G_DECLARE_FINAL_TYPE (GlsThread, gls_thread, GLS, THREAD, GObject)

const char        *gls_thread_get_root_id       (GlsThread *self);
/* 1-based, per design, by the roots' (created, id); a deleted root keeps
 * its number, so numbers never shift. */
guint              gls_thread_get_number        (GlsThread *self);
const char        *gls_thread_get_source        (GlsThread *self);
/* NULL when the thread is on the whole design. */
const GlsSelector *gls_thread_get_selector      (GlsThread *self);
guint              gls_thread_get_page          (GlsThread *self);
const char        *gls_thread_get_text          (GlsThread *self);
const char        *gls_thread_get_author_id     (GlsThread *self);
const char        *gls_thread_get_author_name   (GlsThread *self);
const char        *gls_thread_get_created       (GlsThread *self);
/* Latest `created` of the thread's live comments, shown edits and
 * assessments. */
const char        *gls_thread_get_last_activity (GlsThread *self);
/* Who did that: a did:key (or, unsigned, the creator named). */
const char        *gls_thread_get_last_activity_by (GlsThread *self);
guint              gls_thread_get_reply_count   (GlsThread *self);
gboolean           gls_thread_get_resolved      (GlsThread *self);
/* The latest resolve or reopen (anyone may), NULL when nobody did:
 * who did it and when. */
GlsAnnotation     *gls_thread_get_assessment    (GlsThread *self);
gboolean           gls_thread_get_placeholder   (GlsThread *self);
/* A suggestion's thread: its text (gls_thread_get_text) is the
 * replacement for the passage its selector names. */
gboolean           gls_thread_is_suggestion     (GlsThread *self);
/* Accepted or declined, by the latest assessment; NONE otherwise. */
GlsDecision        gls_thread_get_decision      (GlsThread *self);
GListModel        *gls_thread_get_comments      (GlsThread *self);
/* What happened to a thread, for its history. */
typedef enum
{
  GLS_THREAD_EVENT_STARTED,
  GLS_THREAD_EVENT_REPLIED,
  GLS_THREAD_EVENT_EDITED,
  GLS_THREAD_EVENT_RESOLVED,
  GLS_THREAD_EVENT_REOPENED,
  GLS_THREAD_EVENT_ACCEPTED,
  GLS_THREAD_EVENT_DECLINED,
} GlsThreadEventKind;

typedef struct
{
  GlsThreadEventKind  kind;
  char               *who;         /* the name they go by (may be NULL) */
  const char         *when;        /* xsd:dateTime, borrowed from the thread */
  GlsAnnotation      *annotation;  /* the assessment, for those; else NULL */
} GlsThreadEvent;

void               gls_thread_event_free        (GlsThreadEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsThreadEvent, gls_thread_event_free)

/* GlsThreadEvent items, oldest first: started, replies, edits (the shown
 * one of each comment), and every resolve, reopen and decision. */
GPtrArray         *gls_thread_get_history       (GlsThread *self);

/* Whether a live comment of the thread mentions @person_id (a did:key),
 * as its shown words do. */
gboolean           gls_thread_mentions          (GlsThread  *self,
                                                 const char *person_id);
/* Whether @person_id wrote one of its live comments or is mentioned:
 * a thread "they are in", whose replies concern them. */
gboolean           gls_thread_involves          (GlsThread  *self,
                                                 const char *person_id);

/* Whether `annotation_id` is the root or a live reply of this thread. */
gboolean           gls_thread_contains          (GlsThread  *self,
                                                 const char *annotation_id);

G_END_DECLS
