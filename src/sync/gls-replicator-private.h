/* gls-replicator-private.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-endpoint-http.h"
#include "gls-replicator.h"

G_BEGIN_DECLS

struct _GlsReplicator
{
  GObject                 parent_instance;

  GlsStore               *local;
  GlsStore               *target_store; /* gls_replicator_new_local's target, or NULL */
  char                   *remote_url;   /* as given, until the endpoint takes it */
  GlsEndpoint            *local_endpoint;
  GlsEndpoint            *remote;       /* the other side: a URL's or target_store's */
  GlsEndpointHttp        *http;         /* the remote, when it is a URL */
  GlsReplicatorDirection  direction;
  guint                   batch_size;
  guint                   checkpoint_interval_ms;
  gboolean                continuous;

  char                   *repid;
  gboolean                running;

  GlsReplicatorState      state;
  char                   *error_message;
  gboolean                retrying;
  gint64                  docs_read;
  gint64                  docs_written;
  gint64                  pending;
};

void _gls_replicator_set_state         (GlsReplicator      *self,
                                        GlsReplicatorState  state);
/* The run ended: with `error` (nullable), cancelled or not. */
void _gls_replicator_ended             (GlsReplicator      *self,
                                        const GError       *error);
void _gls_replicator_set_pending       (GlsReplicator      *self,
                                        gint64              pending);
/* A batch is in the target. */
void _gls_replicator_add_docs          (GlsReplicator      *self,
                                        gint64              read,
                                        gint64              written);
void _gls_replicator_revisions_pulled  (GlsReplicator      *self,
                                        GlsStoreRevsList   *missing);

/* gls-replicator-run.c: one run from `source` into `target`; returns
 * through `task` (taken), whose source object is `self`. */
void _gls_replicator_run               (GlsReplicator      *self,
                                        GlsEndpoint        *source,
                                        GlsEndpoint        *target,
                                        GTask              *task);

G_END_DECLS
