/* gls-replicator.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-replicator"

#include "config.h"

#include <json-glib/json-glib.h>

#include "gls-endpoint-local.h"
#include "gls-replicator-private.h"

/* A peer that accepts a connection and then says nothing costs this much,
 * then a retry (a live longpoll gets a heartbeat every 10 s). */
#define HTTP_TIMEOUT_S 60
/* A pass through a backlog checkpoints at most this often (CouchDB: every
 * 30 s), and after its last batch: each checkpoint is a write on both
 * sides and a round trip, and a run cut short only repeats what it wrote
 * since (written again, the same revisions change nothing). */
#define CHECKPOINT_INTERVAL_MS 1000

G_DEFINE_FINAL_TYPE (GlsReplicator, gls_replicator, G_TYPE_OBJECT)
G_DEFINE_QUARK (gls-replicator-error-quark, gls_replicator_error)
G_DEFINE_ENUM_TYPE (GlsReplicatorDirection, gls_replicator_direction,
                    G_DEFINE_ENUM_VALUE (GLS_REPLICATOR_DIRECTION_PULL, "pull"),
                    G_DEFINE_ENUM_VALUE (GLS_REPLICATOR_DIRECTION_PUSH, "push"))
G_DEFINE_ENUM_TYPE (GlsReplicatorState, gls_replicator_state,
                    G_DEFINE_ENUM_VALUE (GLS_REPLICATOR_STATE_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (GLS_REPLICATOR_STATE_SYNCING, "syncing"),
                    G_DEFINE_ENUM_VALUE (GLS_REPLICATOR_STATE_LIVE, "live"),
                    G_DEFINE_ENUM_VALUE (GLS_REPLICATOR_STATE_ERROR, "error"))

enum {
  PROP_0,
  PROP_LOCAL,
  PROP_TARGET,
  PROP_REMOTE_URL,
  PROP_DIRECTION,
  PROP_BATCH_SIZE,
  PROP_CONTINUOUS,
  PROP_STATE,
  PROP_ERROR_MESSAGE,
  PROP_DOCS_READ,
  PROP_DOCS_WRITTEN,
  PROP_PENDING,
  PROP_RETRYING,
  PROP_TIMEOUT,
  N_PROPS
};

enum {
  REVISIONS_PULLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GParamSpec *properties[N_PROPS];

void
_gls_replicator_set_state (GlsReplicator      *self,
                           GlsReplicatorState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_counter (GlsReplicator *self,
             gint64        *field,
             gint64         value,
             guint          prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
_gls_replicator_set_pending (GlsReplicator *self,
                             gint64         pending)
{
  set_counter (self, &self->pending, pending, PROP_PENDING);
}

void
_gls_replicator_add_docs (GlsReplicator *self,
                          gint64         read,
                          gint64         written)
{
  set_counter (self, &self->docs_read, self->docs_read + read, PROP_DOCS_READ);
  set_counter (self, &self->docs_written, self->docs_written + written, PROP_DOCS_WRITTEN);
}

void
_gls_replicator_revisions_pulled (GlsReplicator    *self,
                                  GlsStoreRevsList *missing)
{
  g_autoptr(JsonObject) diff = NULL;

  /* The JSON the signal gives is made only for a listener. */
  if (!g_signal_has_handler_pending (self, signals[REVISIONS_PULLED], 0, FALSE))
    return;
  diff = json_object_new ();
  for (guint i = 0; i < gls_store_revs_list_get_length (missing); i++)
    {
      JsonObject *entry = json_object_new ();
      JsonArray *revs = json_array_new ();

      for (guint j = 0; j < gls_store_revs_list_get_n_revs (missing, i); j++)
        json_array_add_string_element (revs, gls_store_revs_list_get_rev (missing, i, j));
      json_object_set_array_member (entry, "missing", revs);
      json_object_set_object_member (diff, gls_store_revs_list_get_id (missing, i), entry);
    }
  g_signal_emit (self, signals[REVISIONS_PULLED], 0, diff);
}

static void
set_error_message (GlsReplicator *self,
                   const char    *message)
{
  if (g_strcmp0 (self->error_message, message) == 0)
    return;
  g_free (self->error_message);
  self->error_message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

static void
set_retrying (GlsReplicator *self,
              gboolean       retrying)
{
  if (self->retrying == retrying)
    return;
  self->retrying = retrying;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRYING]);
}

static void
http_retrying_cb (GlsReplicator *self)
{
  set_retrying (self, gls_endpoint_http_get_retrying (self->http));
}

void
_gls_replicator_ended (GlsReplicator *self,
                       const GError  *error)
{
  self->running = FALSE;
  if (error == NULL)
    {
      _gls_replicator_set_state (self, GLS_REPLICATOR_STATE_IDLE);
      return;
    }
  if (self->http != NULL)
    gls_endpoint_http_set_retrying (self->http, FALSE);
  set_retrying (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _gls_replicator_set_state (self, GLS_REPLICATOR_STATE_IDLE);
  else
    {
      g_debug ("replication failed: %s", error->message);
      set_error_message (self, error->message);
      _gls_replicator_set_state (self, GLS_REPLICATOR_STATE_ERROR);
    }
}

/* ---------------------------------------------------------------------------
 * GObject
 */

static void
gls_replicator_constructed (GObject *object)
{
  GlsReplicator *self = GLS_REPLICATOR (object);

  G_OBJECT_CLASS (gls_replicator_parent_class)->constructed (object);

  self->local_endpoint = gls_endpoint_local_new (self->local);
  if (self->remote_url != NULL)
    {
      self->http = gls_endpoint_http_new (self->remote_url);
      self->remote = g_object_ref (GLS_ENDPOINT (self->http));
      g_signal_connect_object (self->http, "notify::retrying", G_CALLBACK (http_retrying_cb),
                               self, G_CONNECT_SWAPPED);
      /* It holds the credentials, if any: the endpoint has them now. */
      g_clear_pointer (&self->remote_url, g_free);
    }
  else
    self->remote = gls_endpoint_local_new (self->target_store);
}

static void
gls_replicator_finalize (GObject *object)
{
  GlsReplicator *self = GLS_REPLICATOR (object);

  g_clear_object (&self->local);
  g_clear_object (&self->target_store);
  g_clear_object (&self->local_endpoint);
  g_clear_object (&self->remote);
  g_clear_object (&self->http);
  g_free (self->remote_url);
  g_free (self->repid);
  g_free (self->error_message);

  G_OBJECT_CLASS (gls_replicator_parent_class)->finalize (object);
}

static void
gls_replicator_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GlsReplicator *self = GLS_REPLICATOR (object);

  switch (prop_id)
    {
    case PROP_LOCAL: g_value_set_object (value, self->local); break;
    case PROP_TARGET: g_value_set_object (value, self->target_store); break;
    case PROP_REMOTE_URL: g_value_set_string (value, gls_replicator_get_remote_url (self)); break;
    case PROP_DIRECTION: g_value_set_enum (value, self->direction); break;
    case PROP_BATCH_SIZE: g_value_set_uint (value, self->batch_size); break;
    case PROP_CONTINUOUS: g_value_set_boolean (value, self->continuous); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_ERROR_MESSAGE: g_value_set_string (value, self->error_message); break;
    case PROP_DOCS_READ: g_value_set_int64 (value, self->docs_read); break;
    case PROP_DOCS_WRITTEN: g_value_set_int64 (value, self->docs_written); break;
    case PROP_PENDING: g_value_set_int64 (value, self->pending); break;
    case PROP_RETRYING: g_value_set_boolean (value, self->retrying); break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->http ? gls_endpoint_http_get_timeout (self->http) : HTTP_TIMEOUT_S);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_replicator_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  GlsReplicator *self = GLS_REPLICATOR (object);

  switch (prop_id)
    {
    case PROP_LOCAL: self->local = g_value_dup_object (value); break;
    case PROP_TARGET: self->target_store = g_value_dup_object (value); break;
    case PROP_REMOTE_URL: self->remote_url = g_value_dup_string (value); break;
    case PROP_DIRECTION: self->direction = g_value_get_enum (value); break;
    case PROP_BATCH_SIZE: gls_replicator_set_batch_size (self, g_value_get_uint (value)); break;
    case PROP_CONTINUOUS: gls_replicator_set_continuous (self, g_value_get_boolean (value)); break;
    case PROP_TIMEOUT:
      if (self->http != NULL)
        gls_endpoint_http_set_timeout (self->http, g_value_get_uint (value));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_replicator_class_init (GlsReplicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = gls_replicator_constructed;
  object_class->finalize = gls_replicator_finalize;
  object_class->get_property = gls_replicator_get_property;
  object_class->set_property = gls_replicator_set_property;

  properties[PROP_LOCAL] =
    g_param_spec_object ("local", NULL, NULL, GLS_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* gls_replicator_new_local's target (then remote-url is NULL). */
  properties[PROP_TARGET] =
    g_param_spec_object ("target", NULL, NULL, GLS_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REMOTE_URL] =
    g_param_spec_string ("remote-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRECTION] =
    g_param_spec_enum ("direction", NULL, NULL, GLS_TYPE_REPLICATOR_DIRECTION,
                       GLS_REPLICATOR_DIRECTION_PULL,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BATCH_SIZE] =
    g_param_spec_uint ("batch-size", NULL, NULL, 1, G_MAXINT, GLS_REPLICATOR_DEFAULT_BATCH_SIZE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTINUOUS] =
    g_param_spec_boolean ("continuous", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, GLS_TYPE_REPLICATOR_STATE,
                       GLS_REPLICATOR_STATE_IDLE, ro);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, ro);
  properties[PROP_DOCS_READ] = g_param_spec_int64 ("docs-read", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_DOCS_WRITTEN] = g_param_spec_int64 ("docs-written", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_PENDING] = g_param_spec_int64 ("pending", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_RETRYING] = g_param_spec_boolean ("retrying", NULL, NULL, FALSE, ro);
  /* Seconds a request may wait for the peer (tests shorten it). */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, G_MAXUINT, HTTP_TIMEOUT_S,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* After each batch a pull wrote: {"id":{"missing":["rev"…]}…}, the
   * _revs_diff answer naming the revisions it fetched and wrote. For
   * whoever checks what a peer sent, off the write path. */
  signals[REVISIONS_PULLED] =
    g_signal_new ("revisions-pulled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
}

static void
gls_replicator_init (GlsReplicator *self)
{
  self->batch_size = GLS_REPLICATOR_DEFAULT_BATCH_SIZE;
  self->checkpoint_interval_ms = CHECKPOINT_INTERVAL_MS;
}

GlsReplicator *
gls_replicator_new (GlsStore               *local,
                    const char             *remote_url,
                    GlsReplicatorDirection  direction)
{
  g_return_val_if_fail (GLS_IS_STORE (local), NULL);
  g_return_val_if_fail (remote_url != NULL, NULL);

  return g_object_new (GLS_TYPE_REPLICATOR,
                       "local", local,
                       "remote-url", remote_url,
                       "direction", direction,
                       NULL);
}

/* Replicates `source` into `target` (a push from `source`, as far as the
 * direction and replication id go), without HTTP. */
GlsReplicator *
gls_replicator_new_local (GlsStore *source,
                          GlsStore *target)
{
  g_return_val_if_fail (GLS_IS_STORE (source), NULL);
  g_return_val_if_fail (GLS_IS_STORE (target), NULL);

  return g_object_new (GLS_TYPE_REPLICATOR,
                       "local", source,
                       "target", target,
                       "direction", GLS_REPLICATOR_DIRECTION_PUSH,
                       NULL);
}

void
gls_replicator_set_credentials (GlsReplicator *self,
                                const char    *username,
                                const char    *password)
{
  g_return_if_fail (GLS_IS_REPLICATOR (self));

  if (self->http != NULL)
    gls_endpoint_http_set_credentials (self->http, username, password);
}

void
gls_replicator_set_identity (GlsReplicator *self,
                             const char    *did,
                             const char    *name)
{
  g_return_if_fail (GLS_IS_REPLICATOR (self));

  if (self->http != NULL)
    gls_endpoint_http_set_identity (self->http, did, name);
}

guint
gls_replicator_get_batch_size (GlsReplicator *self)
{
  g_return_val_if_fail (GLS_IS_REPLICATOR (self), 0);
  return self->batch_size;
}

void
gls_replicator_set_batch_size (GlsReplicator *self,
                               guint          batch_size)
{
  g_return_if_fail (GLS_IS_REPLICATOR (self));
  batch_size = MAX (batch_size, 1);
  if (self->batch_size == batch_size)
    return;
  self->batch_size = batch_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BATCH_SIZE]);
}

gboolean
gls_replicator_get_continuous (GlsReplicator *self)
{
  g_return_val_if_fail (GLS_IS_REPLICATOR (self), FALSE);
  return self->continuous;
}

void
gls_replicator_set_continuous (GlsReplicator *self,
                               gboolean       continuous)
{
  g_return_if_fail (GLS_IS_REPLICATOR (self));
  continuous = !!continuous;
  if (self->continuous == continuous)
    return;
  self->continuous = continuous;
  if (self->http != NULL)
    gls_endpoint_http_set_continuous (self->http, continuous);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTINUOUS]);
}

/* How often a pass through a backlog checkpoints at most (0: after every
 * batch); it always does after its last batch and when stopped. */
void
gls_replicator_set_checkpoint_interval (GlsReplicator *self,
                                        guint          ms)
{
  g_return_if_fail (GLS_IS_REPLICATOR (self));
  self->checkpoint_interval_ms = ms;
}

void
gls_replicator_set_max_retries (GlsReplicator *self,
                                guint          max_retries)
{
  g_return_if_fail (GLS_IS_REPLICATOR (self));
  if (self->http != NULL)
    gls_endpoint_http_set_max_retries (self->http, max_retries);
}

GlsReplicatorDirection
gls_replicator_get_direction (GlsReplicator *self)
{
  g_return_val_if_fail (GLS_IS_REPLICATOR (self), 0);
  return self->direction;
}

const char *
gls_replicator_get_remote_url (GlsReplicator *self)
{
  g_return_val_if_fail (GLS_IS_REPLICATOR (self), NULL);
  return self->http != NULL ? gls_endpoint_http_get_url (self->http) : NULL;
}

const char *
gls_replicator_get_replication_id (GlsReplicator *self)
{
  g_return_val_if_fail (GLS_IS_REPLICATOR (self), NULL);
  return self->repid;
}

GlsReplicatorState
gls_replicator_get_state (GlsReplicator *self)
{
  g_return_val_if_fail (GLS_IS_REPLICATOR (self), 0);
  return self->state;
}

const char *
gls_replicator_get_error_message (GlsReplicator *self)
{
  g_return_val_if_fail (GLS_IS_REPLICATOR (self), NULL);
  return self->error_message;
}

gint64
gls_replicator_get_docs_read (GlsReplicator *self)
{
  g_return_val_if_fail (GLS_IS_REPLICATOR (self), 0);
  return self->docs_read;
}

gint64
gls_replicator_get_docs_written (GlsReplicator *self)
{
  g_return_val_if_fail (GLS_IS_REPLICATOR (self), 0);
  return self->docs_written;
}

gint64
gls_replicator_get_pending (GlsReplicator *self)
{
  g_return_val_if_fail (GLS_IS_REPLICATOR (self), 0);
  return self->pending;
}

const char *
gls_replicator_get_peer_pin (GlsReplicator *self)
{
  g_return_val_if_fail (GLS_IS_REPLICATOR (self), NULL);
  return self->http != NULL ? gls_endpoint_http_get_peer_pin (self->http) : NULL;
}

gboolean
gls_replicator_get_retrying (GlsReplicator *self)
{
  g_return_val_if_fail (GLS_IS_REPLICATOR (self), FALSE);
  return self->retrying;
}

void
gls_replicator_run_async (GlsReplicator       *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;
  g_autofree char *key = NULL;
  gboolean pull;

  g_return_if_fail (GLS_IS_REPLICATOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gls_replicator_run_async);
  if (self->running)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The replicator is already running");
      g_object_unref (task);
      return;
    }

  pull = self->direction == GLS_REPLICATOR_DIRECTION_PULL;
  key = g_strconcat (gls_store_get_uuid (self->local), gls_endpoint_get_id (self->remote),
                     pull ? "pull" : "push", NULL);
  g_free (self->repid);
  self->repid = g_compute_checksum_for_string (G_CHECKSUM_MD5, key, -1);

  self->running = TRUE;
  set_counter (self, &self->docs_read, 0, PROP_DOCS_READ);
  set_counter (self, &self->docs_written, 0, PROP_DOCS_WRITTEN);
  set_error_message (self, NULL);
  _gls_replicator_set_state (self, GLS_REPLICATOR_STATE_SYNCING);
  _gls_replicator_run (self,
                       pull ? self->remote : self->local_endpoint,
                       pull ? self->local_endpoint : self->remote,
                       task);
}

gboolean
gls_replicator_run_finish (GlsReplicator  *self,
                           GAsyncResult   *result,
                           GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
