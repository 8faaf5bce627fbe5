/* gls-replicator.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-replicator"

#include "config.h"

#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "gls-replicator.h"
#include "gls-concat-stream.h"
#include "gls-tls.h"

#define HISTORY_MAX 50
#define LONGPOLL_HEARTBEAT_MS 10000
#define BACKOFF_BASE_MS 100
#define BACKOFF_MAX_MS 10000
/* A peer that accepts a connection and then says nothing costs this much,
 * then a retry (a live longpoll gets a heartbeat every 10 s). */
#define HTTP_TIMEOUT_S 60
/* A pass through a backlog checkpoints at most this often (CouchDB: every
 * 30 s), and after its last batch: each checkpoint is a write on both
 * sides and a round trip, and a run cut short only repeats what it wrote
 * since (written again, the same revisions change nothing). */
#define CHECKPOINT_INTERVAL_MS 1000
/* What a peer's answer may hold (our server takes bodies this large). */
#define MAX_ANSWER_SIZE ((gsize) 1 << 30)

struct _GlsReplicator
{
  GObject                 parent_instance;

  GlsStore               *local;
  char                   *remote_url;   /* without credentials nor trailing '/' */
  char                   *auth_header;  /* "Basic …" or NULL */
  char                   *pin;          /* "sha256:…" from the URL's #pin=, or NULL */
  GError                 *pin_error;    /* the URL's pin is unusable: every run fails */
  char                   *seen_pin;     /* what the peer presented instead of the pin */
  GSocketConnectable     *ip_identity;  /* pinned https to an IPv6 literal: a stand-in */
  GlsReplicatorDirection  direction;
  guint                   batch_size;
  guint                   max_retries;
  guint                   checkpoint_interval_ms;
  gboolean                continuous;

  SoupSession            *session;
  char                   *repid;
  gboolean                running;
  gboolean                no_bulk_get;
  gboolean                remote_multipart; /* takes multipart/related PUTs (not PouchDB) */

  GlsReplicatorState      state;
  char                   *error_message;
  gboolean                retrying;
  gint64                  docs_read;
  gint64                  docs_written;
  gint64                  pending;
};

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

/* ---------------------------------------------------------------------------
 * One run
 */

typedef struct
{
  GlsReplicator *self;
  GCancellable  *cancellable;
  char          *session_id;
  char          *start_time;
  JsonNode      *since;         /* opaque source seq */
  JsonArray     *old_history;   /* history to continue, newest first */
  char          *remote_log_rev;
  gboolean       live;
  gboolean       source_done;   /* the last _changes said pending: 0 */
  gint64         checkpoint_time;  /* of the last checkpoint, or the start */
  gboolean       checkpoint_owed;  /* batches written since, not checkpointed */

  /* Two chains of callbacks run at once, each holding a ref on the task:
   * the fetch chain reads the next batch (_changes, _revs_diff, _bulk_get)
   * while the write chain writes and checkpoints the previous one. */
  JsonNode      *fetch_since;   /* where the next _changes starts */
  guint          chains;        /* running chains */
  gboolean       writing;       /* the write chain runs */
  gboolean       parked;        /* the fetch chain waits for the writer... */
  gboolean       parked_batch;  /* ...with a fetched batch to hand over */
  GError        *error;         /* the first failure; the last chain returns it */

  /* the batch being written (write chain) */
  JsonArray     *w_docs;
  GlsStoreDocBatch *w_batch;    /* pulled with _bulk_get, written as text */
  GHashTable    *w_blobs;       /* digest -> GlsStoreBlob: their attachments */
  JsonArray     *w_put_docs;    /* push: documents PUT one by one, their files streamed */
  guint          w_put_index;
  JsonObject    *w_diff;        /* pull: the _revs_diff answer of that batch */
  JsonNode      *w_last_seq;
  gint64         w_read;
  gint64         w_written;
  guint          w_pos;         /* push: the first doc not yet sent */
  guint          w_chunk;       /* push: docs per request; halved on 413 */
  guint          w_sent;        /* push: docs in the request under way */
  gint64         w_failures;    /* push: refusals in the answers so far */

  /* per batch (fetch chain) */
  JsonArray     *results;
  JsonNode      *last_seq;
  JsonObject    *diff_request;
  JsonObject    *diff;
  JsonArray     *docs;          /* fetched revisions, to write */
  JsonArray     *put_docs;      /* push: those with big attachments (stubs) */
  GlsStoreDocBatch *batch;      /* ...or these, from a _bulk_get answer */
  JsonArray     *att_missing;   /* stubs whose data we lack (gls_store_missing_attachments) */
  guint          att_index;     /* the next of them to GET */
  GHashTable    *blobs;         /* digest -> GlsStoreBlob: the data fetched */
  GPtrArray     *fetch_ids;     /* fallback: ids still to GET */
  GBytes        *fetch_bytes;   /* the _bulk_get answer, to parse */
  GBytes        *fetch_request; /* the _bulk_get request, to send again */
  guint          fetch_tries;   /* of it, after answers cut short */
  guint          fetch_index;
  gint64         batch_read;
  JsonObject    *checkpoint;

  gulong         changed_id;
  gulong         cancel_id;
  guint          wait_id;
} Run;

static void
run_free (Run *run)
{
  if (run->changed_id != 0)
    g_signal_handler_disconnect (run->self->local, run->changed_id);
  if (run->cancel_id != 0)
    g_cancellable_disconnect (run->cancellable, run->cancel_id);
  g_clear_handle_id (&run->wait_id, g_source_remove);
  g_clear_object (&run->self);
  g_clear_object (&run->cancellable);
  g_free (run->session_id);
  g_free (run->start_time);
  g_clear_pointer (&run->since, json_node_unref);
  g_clear_pointer (&run->old_history, json_array_unref);
  g_free (run->remote_log_rev);
  g_clear_pointer (&run->results, json_array_unref);
  g_clear_pointer (&run->last_seq, json_node_unref);
  g_clear_pointer (&run->diff_request, json_object_unref);
  g_clear_pointer (&run->diff, json_object_unref);
  g_clear_pointer (&run->docs, json_array_unref);
  g_clear_pointer (&run->fetch_ids, g_ptr_array_unref);
  g_clear_pointer (&run->fetch_bytes, g_bytes_unref);
  g_clear_pointer (&run->fetch_request, g_bytes_unref);
  g_clear_pointer (&run->checkpoint, json_object_unref);
  g_clear_pointer (&run->fetch_since, json_node_unref);
  g_clear_error (&run->error);
  g_clear_pointer (&run->w_docs, json_array_unref);
  g_clear_pointer (&run->w_batch, gls_store_doc_batch_free);
  g_clear_pointer (&run->batch, gls_store_doc_batch_free);
  g_clear_pointer (&run->att_missing, json_array_unref);
  g_clear_pointer (&run->blobs, g_hash_table_unref);
  g_clear_pointer (&run->w_blobs, g_hash_table_unref);
  g_clear_pointer (&run->put_docs, json_array_unref);
  g_clear_pointer (&run->w_put_docs, json_array_unref);
  g_clear_pointer (&run->w_last_seq, json_node_unref);
  g_clear_pointer (&run->w_diff, json_object_unref);
  g_free (run);
}

static void
set_state (GlsReplicator      *self,
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

/* A string member of a peer's JSON, which may hold any type there:
 * `fallback` unless it is a string (json-glib's getter is critical on
 * arrays and objects). */
static const char *
peek_string (JsonObject *object,
             const char *member,
             const char *fallback)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fallback;
  return json_node_get_string (node);
}

static const char *
peek_string_element (JsonArray *array,
                     guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static Run *
task_run (GTask *task)
{
  return g_task_get_task_data (task);
}

static void batch_start (GTask *task);
static void checkpoint_put (GTask *task);

/* Both chains stopped: the run ends (or, continuous, goes live). */
static void
run_settle (GTask *task)
{
  Run *run = task_run (task);
  GlsReplicator *self = run->self;

  if (run->checkpoint_owed
      && (run->error == NULL || g_error_matches (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    {
      /* The last batches were not checkpointed yet (stopping keeps them
       * too): a chain of its own, not cancellable, which settles again. */
      run->chains++;
      run->writing = TRUE;
      run->w_last_seq = json_node_copy (run->since);
      checkpoint_put (g_object_ref (task));
      return;
    }

  if (run->error != NULL)
    {
      GError *error = g_steal_pointer (&run->error);

      self->running = FALSE;
      set_retrying (self, FALSE);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_state (self, GLS_REPLICATOR_STATE_IDLE);
      else
        {
          g_debug ("replication failed: %s", error->message);
          set_error_message (self, error->message);
          set_state (self, GLS_REPLICATOR_STATE_ERROR);
        }
      g_task_return_error (task, error);
    }
  else if (!self->continuous)
    {
      self->running = FALSE;
      set_state (self, GLS_REPLICATOR_STATE_IDLE);
      g_task_return_boolean (task, TRUE);
    }
  else
    {
      /* Caught up: follow the source from now on. */
      run->live = TRUE;
      set_state (self, GLS_REPLICATOR_STATE_LIVE);
      run->chains++;
      batch_start (g_object_ref (task));
    }
}

/* The calling chain stops and drops its ref; the last one settles. */
static void
chain_end (GTask *task)
{
  Run *run = task_run (task);

  g_assert (run->chains > 0);
  if (run->error != NULL && run->parked)
    {
      /* The writer failed: the waiting fetch chain stops too. */
      run->parked = run->parked_batch = FALSE;
      run->chains--;
      g_object_unref (task);
    }
  if (--run->chains == 0)
    run_settle (task);
  g_object_unref (task);
}

static void
run_fail (GTask  *task,
          GError *error)
{
  Run *run = task_run (task);

  if (run->error == NULL)
    run->error = error;
  else
    g_error_free (error);
  chain_end (task);
}

/* ---------------------------------------------------------------------------
 * HTTP with retries
 */

typedef struct
{
  char       *method;
  char       *url;
  GBytes     *body;
  guint       attempt;
  gboolean    retry_forever;  /* live mode */
  guint       status;
  JsonNode   *json;
  gboolean    raw;            /* a 200 answer is kept as bytes, unparsed */
  GBytes     *bytes;
  SoupMessage  *msg;          /* while its answer is read */
  GInputStream *input;
  GByteArray   *answer;
  /* This attempt's, cancelled with the task's: cancelling it is the one
   * way to drop an answer half read (closing its stream reads it all). */
  GCancellable *cancellable;
  GCancellable *parent;
  gulong        parent_id;
  /* An attachment GET: a 200 answer streams into a file of this store,
   * at most sink_limit bytes, never whole in memory. */
  GlsStore           *sink_store;
  gint64              sink_limit;
  /* A document PUT as multipart/related, its attachments from files of
   * this store (the body is made again for each attempt). */
  JsonObject         *put_doc;
  GlsStore           *put_store;
  GlsStoreBlobWriter *sink;
  gint64              sink_length;
  GlsStoreBlob       *blob;
} Http;

static void
http_cancel_attempt (GCancellable *parent,
                     GCancellable *attempt)
{
  g_cancellable_cancel (attempt);
}

static void
http_read_clear (Http *http)
{
  g_clear_object (&http->msg);
  g_clear_object (&http->input);
  g_clear_pointer (&http->answer, g_byte_array_unref);
  if (http->parent_id != 0)
    g_cancellable_disconnect (http->parent, http->parent_id);
  http->parent_id = 0;
  g_clear_object (&http->parent);
  g_clear_object (&http->cancellable);
}

static void
http_free (Http *http)
{
  g_free (http->method);
  g_free (http->url);
  g_clear_pointer (&http->body, g_bytes_unref);
  g_clear_pointer (&http->json, json_node_unref);
  g_clear_pointer (&http->bytes, g_bytes_unref);
  http_read_clear (http);
  g_clear_pointer (&http->sink, gls_store_blob_writer_free);
  g_clear_pointer (&http->blob, gls_store_blob_free);
  g_clear_object (&http->sink_store);
  g_clear_pointer (&http->put_doc, json_object_unref);
  g_clear_object (&http->put_store);
  g_free (http);
}

static void http_send (GTask *task);

/* A new connection to the peer succeeded: it is reachable again, even if
 * the answer takes long (a longpoll _changes waits for changes). */
static void
http_network_event_cb (SoupMessage        *msg,
                       GSocketClientEvent  event,
                       GIOStream          *connection,
                       GlsReplicator      *self)
{
  if (event == G_SOCKET_CLIENT_COMPLETE)
    set_retrying (self, FALSE);
}

/* A pinned URL accepts exactly the pinned certificate, whoever signed it
 * (the session has no CA database, so this runs for every connection). */
static gboolean
http_accept_certificate_cb (SoupMessage          *msg,
                            GTlsCertificate      *certificate,
                            GTlsCertificateFlags  errors,
                            GlsReplicator        *self)
{
  g_autofree char *seen = gls_tls_dup_pin (certificate);

  if (g_strcmp0 (seen, self->pin) == 0)
    return TRUE;
  g_free (self->seen_pin);
  self->seen_pin = g_steal_pointer (&seen);
  return FALSE;
}

/* https://[::1]:…#pin=… : glib-networking 2.74 sends the IPv6 literal as
 * the TLS server name, which GnuTLS servers refuse (a name cannot hold
 * ':'), and a new identity can only replace the name, not remove it. A
 * pinned peer's identity is its pin, so it gets a name that is no host. */
static void
http_connection_cb (SoupMessage        *msg,
                    GSocketClientEvent  event,
                    GIOStream          *connection,
                    GlsReplicator      *self)
{
  /* Over TLS a request's headers and body are two records, two small
   * writes: without TCP_NODELAY the second may wait for the peer's
   * delayed ACK. */
  if (event == G_SOCKET_CLIENT_CONNECTED && G_IS_SOCKET_CONNECTION (connection))
    g_socket_set_option (g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection)),
                         IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING && self->ip_identity != NULL
      && G_IS_TLS_CLIENT_CONNECTION (connection))
    g_tls_client_connection_set_server_identity (G_TLS_CLIENT_CONNECTION (connection),
                                                 self->ip_identity);
  /* Pinned: no CA may vouch for a certificate, so accept-certificate
   * decides every time, whatever the session's database reaches. */
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING && self->pin != NULL && G_IS_TLS_CONNECTION (connection))
    g_tls_connection_set_database (G_TLS_CONNECTION (connection), NULL);
}

/* A refused certificate is not retried: another try meets the same one. */
static GError *
http_certificate_error (GlsReplicator *self,
                        Http          *http,
                        SoupMessage   *msg,
                        const GError  *error)
{
  GTlsCertificateFlags flags = soup_message_get_tls_peer_certificate_errors (msg);
  g_autoptr(GString) why = g_string_new (NULL);

  if (self->pin != NULL && self->seen_pin != NULL)
    return g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_CERTIFICATE,
                        "%s %s: the peer's certificate is %s, but the link pins %s",
                        http->method, http->url, self->seen_pin, self->pin);
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_string_append (why, ", signed by no authority this system trusts");
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    g_string_append (why, ", made for another host");
  if (flags & (G_TLS_CERTIFICATE_EXPIRED | G_TLS_CERTIFICATE_NOT_ACTIVATED))
    g_string_append (why, ", out of its dates");
  return g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_CERTIFICATE,
                      "%s %s: the peer's certificate is not trusted%s (%s)",
                      http->method, http->url, why->str, error->message);
}

static gboolean
http_retry_cb (gpointer data)
{
  http_send (data);
  return G_SOURCE_REMOVE;
}

static gboolean
http_maybe_retry (GTask  *task,
                  GError *error)
{
  GlsReplicator *self = g_task_get_source_object (task);
  Http *http = g_task_get_task_data (task);
  guint delay;

  GSource *timeout;

  if (http->attempt >= self->max_retries && !http->retry_forever)
    return FALSE;
  delay = MIN (BACKOFF_MAX_MS, BACKOFF_BASE_MS << MIN (http->attempt, 16));
  delay = delay / 2 + g_random_int_range (0, delay / 2 + 1);
  g_debug ("%s %s failed (%s), retry %u in %u ms", http->method, http->url,
           error->message, http->attempt + 1, delay);
  http->attempt++;
  set_retrying (self, TRUE);
  /* Wakes early when cancelled; http_send then returns the cancellation. */
  timeout = g_timeout_source_new (delay);
  if (g_task_get_cancellable (task) != NULL)
    {
      g_autoptr(GSource) cancel = g_cancellable_source_new (g_task_get_cancellable (task));

      g_source_set_dummy_callback (cancel);
      g_source_add_child_source (timeout, cancel);
    }
  g_source_set_callback (timeout, http_retry_cb, task, NULL);
  g_source_attach (timeout, g_task_get_context (task));
  g_source_unref (timeout);
  return TRUE;
}

/* The whole answer, or NULL and the error (taken), as it came. */
static void
http_answer (GTask       *task,
             SoupMessage *msg,
             GBytes      *answer,
             GError      *error)
{
  Http *http = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = answer;
  gsize len;
  const char *text;

  if (bytes == NULL && g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    {
      g_task_return_error (task, http_certificate_error (g_task_get_source_object (task),
                                                         http, msg, error));
      g_error_free (error);
      g_object_unref (task);
      return;
    }
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || !http_maybe_retry (task, error))
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              GError *wrapped = g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_NETWORK,
                                             "%s %s: %s", http->method, http->url, error->message);
              g_error_free (error);
              error = wrapped;
            }
          g_task_return_error (task, error);
          g_object_unref (task);
        }
      else
        g_error_free (error);
      return;
    }

  http->status = soup_message_get_status (msg);
  if (http->status < 500)
    set_retrying (g_task_get_source_object (task), FALSE);
  if (http->status >= 500)
    {
      g_autoptr(GError) status_error =
        g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_FAILED,
                     "%s %s: HTTP %u", http->method, http->url, http->status);

      if (!http_maybe_retry (task, status_error))
        {
          g_task_return_error (task, g_steal_pointer (&status_error));
          g_object_unref (task);
        }
      return;
    }

  if (http->raw && http->status == 200)
    {
      /* The caller parses it, in a worker thread. */
      http->bytes = g_steal_pointer (&bytes);
      http->json = json_node_new (JSON_NODE_NULL);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  text = g_bytes_get_data (bytes, &len);
  /* gls_json_from_data refuses nesting deeper than GLS_JSON_MAX_DEPTH. */
  if (len == 0 || !(http->json = gls_json_from_data (text, len, &error)))
    {
      if (http->status >= 300)
        {
          /* An error page that is not JSON: the status says enough. */
          g_clear_error (&error);
          http->json = json_node_new (JSON_NODE_NULL);
          g_task_return_boolean (task, TRUE);
          g_object_unref (task);
          return;
        }
      if (gls_json_is_cut (text, len))
        {
          /* An answer that stops part way is a peer going away (a hub
           * restarting ends its feeds so), not a peer speaking nonsense:
           * tried again, as when the connection breaks. */
          GError *cut = g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_NETWORK,
                                     "%s %s: the answer stopped part way", http->method, http->url);

          g_clear_error (&error);
          g_clear_pointer (&bytes, g_bytes_unref);
          if (!http_maybe_retry (task, cut))
            {
              g_task_return_error (task, cut);
              g_object_unref (task);
            }
          else
            g_error_free (cut);
          return;
        }
      g_task_return_new_error (task, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                               "%s %s: HTTP %u with malformed JSON%s%s", http->method,
                               http->url, http->status, error ? ": " : "",
                               error ? error->message : "");
      g_clear_error (&error);
      g_object_unref (task);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* An answer over MAX_ANSWER_SIZE fails the request: sent again, it
 * would be as large. */
static void
http_too_large (GTask *task)
{
  Http *http = g_task_get_task_data (task);

  g_cancellable_cancel (http->cancellable);
  http_read_clear (http);
  g_task_return_new_error (task, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                           "%s %s: the answer is larger than %" G_GSIZE_FORMAT " MB",
                           http->method, http->url, MAX_ANSWER_SIZE >> 20);
  g_object_unref (task);
}

static void http_read_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      data);

static void
http_read_next (GTask *task)
{
  Http *http = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (http->input, 65536, G_PRIORITY_DEFAULT,
                                   http->cancellable, http_read_cb, task);
}

/* The answer is read here, not by soup_session_send_and_read, to stop
 * at MAX_ANSWER_SIZE. */
static void
http_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  GTask *task = data;
  Http *http = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk != NULL && g_bytes_get_size (chunk) > 0)
    {
      if (http->answer->len + g_bytes_get_size (chunk) > MAX_ANSWER_SIZE)
        {
          http_too_large (task);
          return;
        }
      g_byte_array_append (http->answer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      http_read_next (task);
      return;
    }
  msg = g_steal_pointer (&http->msg);
  if (chunk == NULL)
    {
      http_read_clear (http);
      http_answer (task, msg, NULL, error);
    }
  else
    {
      GBytes *answer = g_byte_array_free_to_bytes (g_steal_pointer (&http->answer));

      http_read_clear (http);
      http_answer (task, msg, answer, NULL);
    }
}

/* --- an answer streamed into a file --- */

static void http_sink_read_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      data);

static void
http_sink_next (GTask *task)
{
  Http *http = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (http->input, 256 * 1024, G_PRIORITY_DEFAULT,
                                   http->cancellable, http_sink_read_cb, task);
}

/* Disk work in a worker: a piece written, or (chunk NULL) the file synced. */
static void
http_sink_thread (GTask        *sub,
                  gpointer      source,
                  gpointer      data,
                  GCancellable *cancellable)
{
  GTask *task = source;
  Http *http = g_task_get_task_data (task);
  GBytes *chunk = data;
  GError *error = NULL;

  if (chunk != NULL)
    {
      if (gls_store_blob_writer_write (http->sink, g_bytes_get_data (chunk, NULL),
                                       g_bytes_get_size (chunk), &error))
        g_task_return_boolean (sub, TRUE);
      else
        g_task_return_error (sub, error);
      return;
    }
  http->blob = gls_store_blob_writer_finish (http->sink, &error);
  if (http->blob != NULL)
    g_task_return_boolean (sub, TRUE);
  else
    g_task_return_error (sub, error);
}

static void
http_sink_fail (GTask  *task,
                GError *error)
{
  Http *http = g_task_get_task_data (task);

  g_clear_pointer (&http->sink, gls_store_blob_writer_free);
  http_read_clear (http);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
http_sink_written_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      data)
{
  GTask *task = data;
  Http *http = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    return http_sink_fail (task, error);
  if (http->blob == NULL)
    return http_sink_next (task);

  /* The whole file is there and synced. */
  g_clear_pointer (&http->sink, gls_store_blob_writer_free);
  http_read_clear (http);
  http->json = json_node_new (JSON_NODE_NULL);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
http_sink_write (GTask  *task,
                 GBytes *chunk)
{
  Http *http = g_task_get_task_data (task);
  g_autoptr(GTask) sub = g_task_new (task, http->cancellable, http_sink_written_cb, task);

  g_task_set_task_data (sub, chunk, chunk != NULL ? (GDestroyNotify) g_bytes_unref : NULL);
  g_task_run_in_thread (sub, http_sink_thread);
}

static void
http_sink_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  GTask *task = data;
  Http *http = g_task_get_task_data (task);
  GBytes *chunk;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      g_autoptr(SoupMessage) msg = g_steal_pointer (&http->msg);

      /* Broken off: tried again from the start, with a new file. */
      g_clear_pointer (&http->sink, gls_store_blob_writer_free);
      http_read_clear (http);
      http_answer (task, msg, NULL, error);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      g_bytes_unref (chunk);
      return http_sink_write (task, NULL);
    }
  http->sink_length += (gint64) g_bytes_get_size (chunk);
  if (http->sink_limit >= 0 && http->sink_length > http->sink_limit)
    {
      g_bytes_unref (chunk);
      g_cancellable_cancel (http->cancellable);
      return http_sink_fail (task, g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                                                "%s %s: the answer is longer than the %" G_GINT64_FORMAT
                                                " bytes its document says", http->method, http->url,
                                                http->sink_limit));
    }
  http_sink_write (task, chunk);
}

static void
http_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  GTask *task = data;
  Http *http = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  GError *error = NULL;
  GInputStream *input = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  SoupMessageHeaders *headers;

  if (input == NULL)
    {
      http_read_clear (http);
      http_answer (task, msg, NULL, error);
      return;
    }
  headers = soup_message_get_response_headers (msg);
  if (http->sink_store != NULL && soup_message_get_status (msg) == SOUP_STATUS_OK)
    {
      http->status = SOUP_STATUS_OK;
      set_retrying (g_task_get_source_object (task), FALSE);
      http->msg = g_object_ref (msg);
      http->input = input;
      http->sink_length = 0;
      g_clear_pointer (&http->sink, gls_store_blob_writer_free);
      if (!(http->sink = gls_store_blob_writer_new (http->sink_store, &error)))
        return http_sink_fail (task, error);
      http_sink_next (task);
      return;
    }
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      (guint64) soup_message_headers_get_content_length (headers) > MAX_ANSWER_SIZE)
    {
      g_object_unref (input);
      http_too_large (task);
      return;
    }
  http->msg = g_object_ref (msg);
  http->input = input;
  http->answer = g_byte_array_new ();
  http_read_next (task);
}

static JsonNode *node_dup (JsonNode *node);

/* A document as CouchDB PUTs one with attachments (multipart/related):
 * its JSON, where each attachment "follows", then the attachments' bytes
 * read from their files as the request is sent, in the JSON's order. */
static GInputStream *
multipart_put_body (GlsStore    *store,
                    JsonObject  *doc,
                    char       **content_type,
                    gint64      *length,
                    GError     **error)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *boundary = NULL;
  g_autoptr(JsonNode) original = json_node_init_object (json_node_alloc (), doc);
  g_autoptr(JsonNode) copy = NULL;
  g_autoptr(JsonNode) reread = NULL;
  g_autoptr(GList) names = NULL;
  g_autoptr(GInputStream) body = gls_concat_stream_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  const char *id = json_object_get_string_member (doc, "_id");
  const char *rev = json_object_get_string_member (doc, "_rev");
  JsonObject *atts;
  char *json;

  g_strdelimit (uuid, "-", 'x');
  boundary = g_strconcat ("glossa", uuid, NULL);
  copy = node_dup (original);
  atts = json_object_get_object_member (json_node_get_object (copy), "_attachments");
  {
    JsonObjectIter iter;
    const char *name;
    JsonNode *member;

    json_object_iter_init (&iter, atts);
    while (json_object_iter_next (&iter, &name, &member))
      {
        json_object_remove_member (json_node_get_object (member), "stub");
        json_object_set_boolean_member (json_node_get_object (member), "follows", TRUE);
      }
  }
  json = gls_json_to_string (copy);
  /* The parts follow the attachments as the JSON text lists them. */
  reread = json_from_string (json, NULL);
  names = json_object_get_members (json_object_get_object_member (json_node_get_object (reread), "_attachments"));
  g_string_append_printf (text, "--%s\r\nContent-Type: application/json\r\n\r\n%s", boundary, json);
  g_free (json);
  *length = 0;
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *att = json_object_get_object_member (atts, l->data);
      g_autofree char *filename = g_strdup (l->data);
      gint64 size = 0;
      GInputStream *file = gls_store_open_attachment (store, id, rev, l->data, NULL, &size, error);

      if (file == NULL)
        return NULL;
      g_strdelimit (filename, "\"\\\r\n", '_');
      g_string_append_printf (text, "\r\n--%s\r\nContent-Disposition: attachment; filename=\"%s\"\r\n"
                              "Content-Type: %s\r\nContent-Length: %" G_GINT64_FORMAT "\r\n\r\n",
                              boundary, filename,
                              json_object_get_string_member_with_default (att, "content_type",
                                                                          "application/octet-stream"),
                              size);
      *length += (gint64) text->len + size;
      gls_concat_stream_add_bytes (GLS_CONCAT_STREAM (body), g_string_free_to_bytes (g_steal_pointer (&text)));
      gls_concat_stream_add (GLS_CONCAT_STREAM (body), file);
      text = g_string_new (NULL);
    }
  /* Closed as CouchDB closes it. */
  g_string_append_printf (text, "\r\n--%s--", boundary);
  *length += (gint64) text->len;
  gls_concat_stream_add_bytes (GLS_CONCAT_STREAM (body), g_string_free_to_bytes (g_steal_pointer (&text)));
  *content_type = g_strdup_printf ("multipart/related; boundary=\"%s\"", boundary);
  return g_steal_pointer (&body);
}

static void
http_send (GTask *task)
{
  GlsReplicator *self = g_task_get_source_object (task);
  Http *http = g_task_get_task_data (task);
  g_autoptr(SoupMessage) msg = NULL;
  SoupMessageHeaders *headers;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  if (self->pin_error != NULL)
    {
      g_task_return_error (task, g_error_copy (self->pin_error));
      g_object_unref (task);
      return;
    }
  msg = soup_message_new (http->method, http->url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_FAILED,
                               "Invalid URL %s", http->url);
      g_object_unref (task);
      return;
    }
  if (self->pin != NULL)
    g_signal_connect_object (msg, "accept-certificate", G_CALLBACK (http_accept_certificate_cb), self, 0);
  if (g_str_has_prefix (http->url, "https:"))
    g_signal_connect_object (msg, "network-event", G_CALLBACK (http_connection_cb), self, 0);
  /* libsoup sends a POST or PUT on a new connection unless told it may
   * be repeated, so a pull (POST _revs_diff and _bulk_get, PUT of the
   * checkpoint) reconnected at every batch, a TLS handshake each time.
   * Everything the replicator sends may be: reads, new_edits=false
   * writes of revisions, checkpoints. */
  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", http->sink_store != NULL ? "*/*" : "application/json");
  if (self->auth_header != NULL)
    soup_message_headers_replace (headers, "Authorization", self->auth_header);
  if (http->body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", http->body);
  if (http->put_doc != NULL)
    {
      g_autoptr(GInputStream) body = NULL;
      g_autofree char *type = NULL;
      GError *error = NULL;
      gint64 length = 0;

      if (!(body = multipart_put_body (http->put_store, http->put_doc, &type, &length, &error)))
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
      soup_message_set_request_body (msg, type, body, length);
    }
  if (self->retrying)
    g_signal_connect_object (msg, "network-event", G_CALLBACK (http_network_event_cb), self, 0);
  http_read_clear (http);
  http->cancellable = g_cancellable_new ();
  if (g_task_get_cancellable (task) != NULL)
    {
      http->parent = g_object_ref (g_task_get_cancellable (task));
      http->parent_id = g_cancellable_connect (http->parent, G_CALLBACK (http_cancel_attempt),
                                               http->cancellable, NULL);
    }
  soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT,
                           http->cancellable, http_sent_cb, task);
}

/* `path` is appended to the database URL ("" for the database itself);
 * `body` (nullable, JSON text) is taken. */
static void
http_request_bytes (Run                 *run,
                    const char          *method,
                    const char          *path,
                    GBytes              *body,
                    gboolean             cancellable,
                    gboolean             raw,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task = g_task_new (run->self, cancellable ? run->cancellable : NULL, callback, user_data);
  Http *http = g_new0 (Http, 1);

  http->method = g_strdup (method);
  http->url = g_strconcat (run->self->remote_url, path, NULL);
  http->retry_forever = run->live && cancellable;
  http->raw = raw;
  http->body = body;
  g_task_set_task_data (task, http, (GDestroyNotify) http_free);
  http_send (task);
}

static void
http_request_full (Run                 *run,
                   const char          *method,
                   const char          *path,
                   JsonNode            *body,
                   gboolean             cancellable,
                   gboolean             raw,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GBytes *bytes = NULL;

  if (body != NULL)
    {
      char *text = gls_json_to_string (body);

      bytes = g_bytes_new_take (text, strlen (text));
    }
  http_request_bytes (run, method, path, bytes, cancellable, raw, callback, user_data);
}

static void
http_request (Run                 *run,
              const char          *method,
              const char          *path,
              JsonNode            *body,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  http_request_full (run, method, path, body, TRUE, FALSE, callback, user_data);
}

/* GET `path` (an attachment) into a new blob of `store`, at most `limit`
 * bytes (-1: no limit); with the same retries as any request. */
static void
http_request_blob (Run                 *run,
                   const char          *path,
                   GlsStore            *store,
                   gint64               limit,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = g_task_new (run->self, run->cancellable, callback, user_data);
  Http *http = g_new0 (Http, 1);

  http->method = g_strdup ("GET");
  http->url = g_strconcat (run->self->remote_url, path, NULL);
  http->retry_forever = run->live;
  http->sink_store = g_object_ref (store);
  http->sink_limit = limit;
  g_task_set_task_data (task, http, (GDestroyNotify) http_free);
  http_send (task);
}

/* PUT a document with its attachments from their files, as CouchDB's
 * replicator does (multipart/related, new_edits=false). */
static void
http_request_put_doc (Run                 *run,
                      JsonObject          *doc,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = g_task_new (run->self, run->cancellable, callback, user_data);
  Http *http = g_new0 (Http, 1);
  g_autofree char *id = g_uri_escape_string (json_object_get_string_member (doc, "_id"), NULL, FALSE);

  http->method = g_strdup ("PUT");
  http->url = g_strconcat (run->self->remote_url, "/", id, "?new_edits=false", NULL);
  http->retry_forever = run->live;
  http->put_doc = json_object_ref (doc);
  http->put_store = g_object_ref (run->self->local);
  g_task_set_task_data (task, http, (GDestroyNotify) http_free);
  http_send (task);
}

/* The blob (owned) of a 200 answer; NULL with *status for others. */
static GlsStoreBlob *
http_finish_blob (GAsyncResult  *result,
                  guint         *status,
                  GError       **error)
{
  Http *http = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  *status = http->status;
  return g_steal_pointer (&http->blob);
}

/* Returns the JSON (owned) and status, or NULL with an error. */
static JsonNode *
http_finish (GAsyncResult  *result,
             guint         *status,
             GError       **error)
{
  Http *http = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  *status = http->status;
  return json_node_ref (http->json);
}

/* A raw request's 200 answer, unparsed (NULL for other answers). */
static GBytes *
http_steal_bytes (GAsyncResult *result)
{
  Http *http = g_task_get_task_data (G_TASK (result));

  return g_steal_pointer (&http->bytes);
}

static GError *
status_error (guint       status,
              JsonNode   *json,
              const char *what)
{
  const char *reason = NULL;
  GlsReplicatorError code;

  if (JSON_NODE_HOLDS_OBJECT (json))
    reason = peek_string (json_node_get_object (json),
                                                         "reason", NULL);
  switch (status)
    {
    case 401: code = GLS_REPLICATOR_ERROR_UNAUTHORIZED; break;
    case 403: code = GLS_REPLICATOR_ERROR_FORBIDDEN; break;
    case 404: code = GLS_REPLICATOR_ERROR_NOT_FOUND; break;
    default: code = GLS_REPLICATOR_ERROR_FAILED; break;
    }
  return g_error_new (GLS_REPLICATOR_ERROR, code,
                      "%s: HTTP %u%s%s", what, status, reason ? ": " : "", reason ? reason : "");
}

static GError *
protocol_error (const char *what)
{
  return g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                      "Unexpected answer to %s", what);
}

/* The usual answer: 200 and a JSON object. Anything else fails the run
 * (the status error names `doing`, the protocol error `endpoint`) and
 * returns NULL. */
static JsonObject *
expect_object (GTask      *task,
               JsonNode   *json,
               guint       status,
               const char *doing,
               const char *endpoint)
{
  if (status != 200)
    {
      run_fail (task, status_error (status, json, doing));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json))
    {
      run_fail (task, protocol_error (endpoint));
      return NULL;
    }
  return json_node_get_object (json);
}

/* ---------------------------------------------------------------------------
 * Store calls in worker threads
 */

static void
in_thread_full (GTask               *task,
                GTaskThreadFunc      func,
                gboolean             cancellable,
                GAsyncReadyCallback  callback)
{
  Run *run = task_run (task);
  GTask *sub = g_task_new (run->self, cancellable ? run->cancellable : NULL, callback, task);

  g_task_set_task_data (sub, run, NULL);
  g_task_run_in_thread (sub, func);
  g_object_unref (sub);
}

static void
in_thread (GTask               *task,
           GTaskThreadFunc      func,
           GAsyncReadyCallback  callback)
{
  in_thread_full (task, func, TRUE, callback);
}

/* ---------------------------------------------------------------------------
 * The algorithm
 */

static void batch_start (GTask *task);
static void checkpoints_read (GTask *task, JsonObject *local_log, JsonObject *remote_log);

/* A deep copy. Not through text: json-glib 1.6 writes 1e21, which a
 * peer's checkpoint may hold, as 1e+21.0 and then cannot read it back. */
static JsonNode *
node_dup (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *copy = json_object_new ();
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        json_object_set_member (copy, name, node_dup (member));
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, copy);
      return node;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);
      JsonArray *copy = json_array_sized_new (n);

      for (guint i = 0; i < n; i++)
        json_array_add_element (copy, node_dup (json_array_get_element (array, i)));
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, copy);
      return node;
    }
  return json_node_copy (node);
}

static JsonObject *
object_dup (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonNode) copy = node_dup (node);

  return json_object_ref (json_node_get_object (copy));
}

static gboolean
is_pull (Run *run)
{
  return run->self->direction == GLS_REPLICATOR_DIRECTION_PULL;
}

static char *
seq_to_query (JsonNode *seq)
{
  g_autofree char *text = NULL;

  if (seq == NULL || JSON_NODE_HOLDS_NULL (seq))
    return g_strdup ("0");
  if (JSON_NODE_HOLDS_VALUE (seq) && json_node_get_value_type (seq) == G_TYPE_STRING)
    text = g_strdup (json_node_get_string (seq));
  else
    text = json_to_string (seq, FALSE);
  return g_uri_escape_string (text, NULL, FALSE);
}

static gint64
seq_to_int (JsonNode *seq)
{
  if (seq == NULL || !JSON_NODE_HOLDS_VALUE (seq))
    return 0;
  if (json_node_get_value_type (seq) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (seq), NULL, 10);
  return json_node_get_int (seq);
}

static gboolean
seq_equal (JsonNode *a,
           JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return json_node_equal (a, b);
}

static void
remote_db_created_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      data)
{
  GTask *task = data;
  g_autoptr(JsonNode) json = NULL;
  GError *error = NULL;
  guint status = 0;

  json = http_finish (result, &status, &error);
  if (json == NULL)
    return run_fail (task, error);
  if (status != 201 && status != 202 && status != 412)
    return run_fail (task, status_error (status, json, "Creating the remote database"));
  checkpoints_read (task, NULL, NULL);
}

static void
local_log_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  GTask *task = data;
  Run *run = task_run (task);
  GError *error = NULL;
  JsonObject *local_log;
  JsonObject *remote_log = g_object_steal_data (G_OBJECT (task), "remote-log");

  local_log = g_task_propagate_pointer (G_TASK (result), &error);
  if (error != NULL)
    {
      g_clear_pointer (&remote_log, json_object_unref);
      return run_fail (task, error);
    }
  (void) run;
  checkpoints_read (task, local_log, remote_log);
  g_clear_pointer (&local_log, json_object_unref);
  g_clear_pointer (&remote_log, json_object_unref);
}

static void
read_local_log_thread (GTask        *sub,
                       gpointer      source,
                       gpointer      data,
                       GCancellable *cancellable)
{
  Run *run = data;
  g_autoptr(GError) error = NULL;
  JsonObject *log;

  log = gls_store_get_local (run->self->local, run->self->repid, &error);
  if (log == NULL && !g_error_matches (error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND))
    g_task_return_error (sub, g_steal_pointer (&error));
  else
    g_task_return_pointer (sub, log, (GDestroyNotify) json_object_unref);
}

static void
remote_log_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  GTask *task = data;
  Run *run = task_run (task);
  g_autoptr(JsonNode) json = NULL;
  GError *error = NULL;
  guint status = 0;

  json = http_finish (result, &status, &error);
  if (json == NULL)
    return run_fail (task, error);
  if (status == 200)
    {
      if (!JSON_NODE_HOLDS_OBJECT (json))
        return run_fail (task, protocol_error ("GET _local"));
      g_free (run->remote_log_rev);
      run->remote_log_rev = g_strdup (peek_string (json_node_get_object (json), "_rev", NULL));
      g_object_set_data_full (G_OBJECT (task), "remote-log",
                              json_object_ref (json_node_get_object (json)),
                              (GDestroyNotify) json_object_unref);
    }
  else if (status != 404)
    return run_fail (task, status_error (status, json, "Reading the remote checkpoint"));
  in_thread (task, read_local_log_thread, local_log_cb);
}

static void
remote_db_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  GTask *task = data;
  Run *run = task_run (task);
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;
  guint status = 0;

  json = http_finish (result, &status, &error);
  if (json == NULL)
    return run_fail (task, error);
  if (status == 404 && !is_pull (run))
    {
      http_request (run, "PUT", "", NULL, remote_db_created_cb, task);
      return;
    }
  if (status != 200)
    return run_fail (task, status_error (status, json, "Opening the remote database"));
  if (!JSON_NODE_HOLDS_OBJECT (json))
    return run_fail (task, protocol_error ("GET the database"));
  /* PouchDB Server (its database info names its adapter) takes
   * multipart/form-data, not CouchDB's multipart/related PUT: it gets
   * designs inline, as JSON. CouchDB and Glossa get them streamed. */
  run->self->remote_multipart = !json_object_has_member (json_node_get_object (json), "adapter") &&
                                !json_object_has_member (json_node_get_object (json), "backend_adapter");
  path = g_strconcat ("/_local/", run->self->repid, NULL);
  http_request (run, "GET", path, NULL, remote_log_cb, task);
}

static JsonNode *
history_find (JsonObject *log,
              const char *session_id)
{
  JsonArray *history;

  if (log == NULL || !json_object_has_member (log, "history")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (log, "history")))
    return NULL;
  history = json_object_get_array_member (log, "history");
  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonNode *entry = json_array_get_element (history, i);

      if (JSON_NODE_HOLDS_OBJECT (entry)
          && g_strcmp0 (peek_string (json_node_get_object (entry), "session_id", NULL),
                        session_id) == 0)
        return json_object_get_member (json_node_get_object (entry), "recorded_seq");
    }
  return NULL;
}

/* The spec's "Compare Replication Logs". */
static void
checkpoints_read (GTask      *task,
                  JsonObject *local_log,
                  JsonObject *remote_log)
{
  Run *run = task_run (task);
  JsonObject *source = is_pull (run) ? remote_log : local_log;
  JsonObject *target = is_pull (run) ? local_log : remote_log;
  JsonNode *since = NULL;

  if (source != NULL && target != NULL)
    {
      const char *ssid = peek_string (source, "session_id", NULL);
      const char *tsid = peek_string (target, "session_id", NULL);

      if (ssid != NULL && g_strcmp0 (ssid, tsid) == 0)
        since = json_object_get_member (source, "source_last_seq");
      else if (json_object_has_member (source, "history")
               && JSON_NODE_HOLDS_ARRAY (json_object_get_member (source, "history")))
        {
          JsonArray *history = json_object_get_array_member (source, "history");

          for (guint i = 0; i < json_array_get_length (history) && since == NULL; i++)
            {
              JsonNode *entry = json_array_get_element (history, i);

              if (JSON_NODE_HOLDS_OBJECT (entry))
                since = history_find (target, peek_string (json_node_get_object (entry), "session_id", NULL));
            }
        }
      if (since != NULL && json_object_has_member (source, "history")
          && JSON_NODE_HOLDS_ARRAY (json_object_get_member (source, "history")))
        run->old_history = json_array_ref (json_object_get_array_member (source, "history"));
    }
  run->since = since != NULL ? json_node_copy (since) : json_from_string ("0", NULL);
  run->fetch_since = json_node_copy (run->since);
  if (G_UNLIKELY (g_getenv ("G_MESSAGES_DEBUG") != NULL))
    {
      g_autofree char *text = json_to_string (run->since, FALSE);

      g_debug ("replication %s starts at %s", run->self->repid, text);
    }
  batch_start (task);
}

/* --- changes --- */

static void changes_received (GTask *task, JsonObject *changes);

static void
remote_changes_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  GTask *task = data;
  g_autoptr(JsonNode) json = NULL;
  GError *error = NULL;
  JsonObject *object;
  guint status = 0;

  json = http_finish (result, &status, &error);
  if (json == NULL)
    return run_fail (task, error);
  if ((object = expect_object (task, json, status, "Reading the remote _changes", "_changes")))
    changes_received (task, object);
}

static void
local_changes_thread (GTask        *sub,
                      gpointer      source,
                      gpointer      data,
                      GCancellable *cancellable)
{
  Run *run = data;
  GError *error = NULL;
  JsonObject *changes;

  changes = gls_store_changes (run->self->local, seq_to_int (run->fetch_since),
                               run->self->batch_size, TRUE, &error);
  if (changes == NULL)
    g_task_return_error (sub, error);
  else
    g_task_return_pointer (sub, changes, (GDestroyNotify) json_object_unref);
}

static void
local_changes_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  GTask *task = data;
  GError *error = NULL;
  g_autoptr(JsonObject) changes = NULL;

  changes = g_task_propagate_pointer (G_TASK (result), &error);
  if (changes == NULL)
    return run_fail (task, error);
  changes_received (task, changes);
}

static void
wait_done (Run *run)
{
  if (run->changed_id != 0)
    g_signal_handler_disconnect (run->self->local, run->changed_id);
  if (run->cancel_id != 0)
    g_cancellable_disconnect (run->cancellable, run->cancel_id);
  run->changed_id = run->cancel_id = 0;
}

static gboolean
wait_idle_cb (gpointer data)
{
  GTask *task = data;
  Run *run = task_run (task);

  run->wait_id = 0;
  wait_done (run);
  if (g_cancellable_is_cancelled (run->cancellable))
    {
      GError *error = NULL;

      g_cancellable_set_error_if_cancelled (run->cancellable, &error);
      run_fail (task, error);
      return G_SOURCE_REMOVE;
    }
  in_thread (task, local_changes_thread, local_changes_cb);
  return G_SOURCE_REMOVE;
}

static void
wake (GTask *task)
{
  Run *run = task_run (task);

  wait_done (run);
  if (run->wait_id == 0)
    run->wait_id = g_idle_add (wait_idle_cb, task);
}

static void
store_changed_cb (GlsStore *store,
                  gint64    seq,
                  gpointer  data)
{
  wake (data);
}

static void
cancelled_cb (GCancellable *cancellable,
              gpointer      data)
{
  GTask *task = data;
  Run *run = task_run (task);

  /* May run in any thread: only schedule. */
  if (run->wait_id == 0)
    run->wait_id = g_idle_add (wait_idle_cb, task);
}

static void
batch_start (GTask *task)
{
  Run *run = task_run (task);

  g_clear_pointer (&run->results, json_array_unref);
  g_clear_pointer (&run->last_seq, json_node_unref);
  g_clear_pointer (&run->diff_request, json_object_unref);
  g_clear_pointer (&run->diff, json_object_unref);
  g_clear_pointer (&run->docs, json_array_unref);
  g_clear_pointer (&run->batch, gls_store_doc_batch_free);
  g_clear_pointer (&run->fetch_ids, g_ptr_array_unref);
  g_clear_pointer (&run->att_missing, json_array_unref);
  g_clear_pointer (&run->blobs, g_hash_table_unref);
  g_clear_pointer (&run->put_docs, json_array_unref);
  run->batch_read = 0;

  if (run->error != NULL)
    return chain_end (task);
  if (g_cancellable_is_cancelled (run->cancellable))
    {
      GError *error = NULL;

      g_cancellable_set_error_if_cancelled (run->cancellable, &error);
      return run_fail (task, error);
    }

  if (is_pull (run))
    {
      g_autofree char *since = seq_to_query (run->fetch_since);
      g_autofree char *path = NULL;

      if (run->live)
        path = g_strdup_printf ("/_changes?style=all_docs&since=%s&limit=%u&feed=longpoll&heartbeat=%d",
                                since, run->self->batch_size, LONGPOLL_HEARTBEAT_MS);
      else
        path = g_strdup_printf ("/_changes?style=all_docs&since=%s&limit=%u",
                                since, run->self->batch_size);
      http_request (run, "GET", path, NULL, remote_changes_cb, task);
    }
  else if (run->live)
    {
      /* Wait for the local store to change (or the cancellable). */
      if (gls_store_get_update_seq (run->self->local) > seq_to_int (run->fetch_since))
        {
          in_thread (task, local_changes_thread, local_changes_cb);
          return;
        }
      run->changed_id = g_signal_connect (run->self->local, "changed",
                                          G_CALLBACK (store_changed_cb), task);
      run->cancel_id = g_cancellable_connect (run->cancellable, G_CALLBACK (cancelled_cb),
                                              task, NULL);
    }
  else
    in_thread (task, local_changes_thread, local_changes_cb);
}

static void revs_diffed (GTask *task, JsonObject *diff);

static void
remote_revs_diff_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  GTask *task = data;
  g_autoptr(JsonNode) json = NULL;
  GError *error = NULL;
  JsonObject *object;
  guint status = 0;

  json = http_finish (result, &status, &error);
  if (json == NULL)
    return run_fail (task, error);
  if ((object = expect_object (task, json, status, "Remote _revs_diff", "_revs_diff")))
    revs_diffed (task, object);
}

static void
local_revs_diff_thread (GTask        *sub,
                        gpointer      source,
                        gpointer      data,
                        GCancellable *cancellable)
{
  Run *run = data;
  GError *error = NULL;
  JsonObject *diff;

  diff = gls_store_revs_diff (run->self->local, run->diff_request, &error);
  if (diff == NULL)
    g_task_return_error (sub, error);
  else
    g_task_return_pointer (sub, diff, (GDestroyNotify) json_object_unref);
}

static void
local_revs_diff_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      data)
{
  GTask *task = data;
  GError *error = NULL;
  g_autoptr(JsonObject) diff = NULL;

  diff = g_task_propagate_pointer (G_TASK (result), &error);
  if (diff != NULL)
    return revs_diffed (task, diff);
  if (g_error_matches (error, GLS_STORE_ERROR, GLS_STORE_ERROR_BAD_REQUEST))
    {
      /* The revs came from the peer's _changes. */
      GError *protocol = g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                                      "Unexpected answer to _changes: %s", error->message);

      g_error_free (error);
      error = protocol;
    }
  run_fail (task, error);
}

static void
changes_received (GTask      *task,
                  JsonObject *changes)
{
  Run *run = task_run (task);
  GlsReplicator *self = run->self;
  JsonNode *results = json_object_get_member (changes, "results");
  JsonNode *last_seq = json_object_get_member (changes, "last_seq");
  JsonNode *pending = json_object_get_member (changes, "pending");

  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results))
    return run_fail (task, protocol_error ("_changes (no results)"));
  if (pending != NULL && JSON_NODE_HOLDS_VALUE (pending))
    set_counter (self, &self->pending, json_node_get_int (pending), PROP_PENDING);
  run->source_done = pending != NULL && JSON_NODE_HOLDS_VALUE (pending)
                     && json_node_get_int (pending) == 0;

  run->results = json_array_ref (json_node_get_array (results));
  if (json_array_get_length (run->results) == 0)
    {
      if (!run->live)
        return chain_end (task);   /* the pass has read everything */
      if (last_seq != NULL && !JSON_NODE_HOLDS_NULL (last_seq) && !run->writing
          && !seq_equal (run->since, last_seq))
        {
          json_node_unref (run->since);
          run->since = json_node_copy (last_seq);
          json_node_unref (run->fetch_since);
          run->fetch_since = json_node_copy (last_seq);
        }
      return batch_start (task);
    }

  run->diff_request = json_object_new ();
  for (guint i = 0; i < json_array_get_length (run->results); i++)
    {
      JsonNode *row = json_array_get_element (run->results, i);
      JsonObject *obj;
      const char *id;
      JsonArray *revs;

      if (!JSON_NODE_HOLDS_OBJECT (row))
        return run_fail (task, protocol_error ("_changes (bad row)"));
      obj = json_node_get_object (row);
      id = peek_string (obj, "id", NULL);
      if (id == NULL || !json_object_has_member (obj, "changes")
          || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "changes")))
        return run_fail (task, protocol_error ("_changes (bad row)"));
      revs = json_array_new ();
      for (guint j = 0; j < json_array_get_length (json_object_get_array_member (obj, "changes")); j++)
        {
          JsonNode *c = json_array_get_element (json_object_get_array_member (obj, "changes"), j);
          const char *rev = JSON_NODE_HOLDS_OBJECT (c)
            ? peek_string (json_node_get_object (c), "rev", NULL) : NULL;

          if (rev == NULL)
            {
              json_array_unref (revs);
              return run_fail (task, protocol_error ("_changes (bad rev)"));
            }
          json_array_add_string_element (revs, rev);
        }
      json_object_set_array_member (run->diff_request, id, revs);
      if (i == json_array_get_length (run->results) - 1 && (last_seq == NULL || JSON_NODE_HOLDS_NULL (last_seq)))
        last_seq = json_object_get_member (obj, "seq");
    }
  if (last_seq == NULL)
    return run_fail (task, protocol_error ("_changes (no seq)"));
  run->last_seq = json_node_copy (last_seq);

  if (is_pull (run))
    in_thread (task, local_revs_diff_thread, local_revs_diff_cb);
  else
    {
      g_autoptr(JsonNode) body = json_node_init_object (json_node_alloc (), run->diff_request);

      http_request (run, "POST", "/_revs_diff", body, remote_revs_diff_cb, task);
    }
}

/* --- fetch --- */

static void docs_fetched (GTask *task);
static void fetch_next_open_revs (GTask *task);

/* The documents of a _bulk_get answer, added to run->docs. */
static gboolean
add_bulk_get_docs (Run       *run,
                   JsonNode  *json,
                   GError   **error)
{
  JsonArray *results;

  if (!JSON_NODE_HOLDS_OBJECT (json)
      || !json_object_has_member (json_node_get_object (json), "results")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (json), "results")))
    {
      g_propagate_error (error, protocol_error ("_bulk_get"));
      return FALSE;
    }
  results = json_object_get_array_member (json_node_get_object (json), "results");
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *r = json_array_get_element (results, i);
      JsonNode *docs;

      if (!JSON_NODE_HOLDS_OBJECT (r)
          || (docs = json_object_get_member (json_node_get_object (r), "docs")) == NULL
          || !JSON_NODE_HOLDS_ARRAY (docs))
        {
          g_propagate_error (error, protocol_error ("_bulk_get (bad result)"));
          return FALSE;
        }
      for (guint j = 0; j < json_array_get_length (json_node_get_array (docs)); j++)
        {
          JsonNode *d = json_array_get_element (json_node_get_array (docs), j);
          JsonNode *ok = JSON_NODE_HOLDS_OBJECT (d) ? json_object_get_member (json_node_get_object (d), "ok") : NULL;

          if (ok != NULL && !JSON_NODE_HOLDS_OBJECT (ok))
            {
              g_propagate_error (error, protocol_error ("_bulk_get (a document is not an object)"));
              return FALSE;
            }
          if (ok != NULL)
            json_array_add_object_element (run->docs, json_object_ref (json_node_get_object (ok)));
        }
    }
  return TRUE;
}

/* Parsing the biggest answer off the main thread, which meanwhile serves
 * the write chain. */
static void
bulk_get_parse_thread (GTask        *sub,
                       gpointer      source,
                       gpointer      data,
                       GCancellable *cancellable)
{
  Run *run = data;
  g_autoptr(GBytes) bytes = g_steal_pointer (&run->fetch_bytes);
  g_autoptr(GError) parse_error = NULL;
  const char *text;
  gsize len;

  /* The documents stay text (what the store keeps) unless they are not
   * canonical JSON: no JSON trees to build and free for a Glossa peer. */
  text = g_bytes_get_data (bytes, &len);
  g_clear_pointer (&run->batch, gls_store_doc_batch_free);
  if (len == 0 || !(run->batch = gls_store_doc_batch_new_from_bulk_get (text, len, &parse_error)))
    {
      const char *why = parse_error ? parse_error->message : "empty";

      if (gls_json_is_cut (text, len))
        g_task_return_new_error (sub, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_NETWORK,
                                 "POST %s/_bulk_get: the answer stopped part way", run->self->remote_url);
      else if (g_str_has_prefix (why, "a ") || g_str_has_prefix (why, "not a "))
        g_task_return_new_error (sub, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                                 "Unexpected answer to _bulk_get: %s", why);
      else
        g_task_return_new_error (sub, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                                 "POST %s/_bulk_get: HTTP 200 with malformed JSON: %s",
                                 run->self->remote_url, why);
      return;
    }

  /* Attachments come as stubs: those whose data we lack are fetched
   * next, each streamed into a file. */
  {
    GError *error = NULL;

    g_clear_pointer (&run->att_missing, json_array_unref);
    run->att_index = 0;
    run->att_missing = gls_store_missing_attachments (run->self->local, run->batch, NULL, &error);
    if (run->att_missing == NULL)
      g_task_return_error (sub, error);
    else
      g_task_return_boolean (sub, TRUE);
  }
}

/* Attachments stay stubs in _bulk_get: their data is fetched by
 * attachment GETs, streamed (fetch_attachments). */
#define BULK_GET_PATH "/_bulk_get?revs=true&latest=true"
#define BULK_GET_RETRY_MS 1000

static void bulk_get_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      data);

static gboolean
bulk_get_again_cb (gpointer data)
{
  GTask *task = data;
  Run *run = task_run (task);

  http_request_bytes (run, "POST", BULK_GET_PATH, g_bytes_ref (run->fetch_request), TRUE, TRUE,
                      bulk_get_cb, task);
  return G_SOURCE_REMOVE;
}

static void fetch_attachments (GTask *task);

static void
attachment_fetched_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      data)
{
  GTask *task = data;
  Run *run = task_run (task);
  JsonObject *entry = json_array_get_object_element (run->att_missing, run->att_index);
  const char *digest = json_object_get_string_member (entry, "digest");
  gint64 length = json_object_get_int_member (entry, "length");
  g_autoptr(GlsStoreBlob) blob = NULL;
  GError *error = NULL;
  guint status = 0;

  blob = http_finish_blob (result, &status, &error);
  if (error != NULL)
    return run_fail (task, error);
  if (blob == NULL)
    return run_fail (task, status_error (status, NULL, "GET attachment"));
  /* What the document says it is; else a peer could slip other bytes
   * under a design's stub. (CouchDB's digest of a gzip-stored
   * attachment is of the stored bytes: its length still has to match.) */
  if (gls_store_blob_get_length (blob) != length ||
      (g_strcmp0 (gls_store_blob_get_digest (blob), digest) != 0 &&
       !json_object_get_boolean_member_with_default (entry, "encoded", FALSE)))
    return run_fail (task, g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                                        "The attachment “%s” of %s does not match its digest",
                                        json_object_get_string_member (entry, "name"),
                                        json_object_get_string_member (entry, "id")));
  if (run->blobs == NULL)
    run->blobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) gls_store_blob_free);
  g_hash_table_insert (run->blobs, g_strdup (digest), g_steal_pointer (&blob));
  run->att_index++;
  fetch_attachments (task);
}

/* GETs the attachments of the batch whose data we lack, one at a time,
 * each into a file; then the batch goes to the writer. */
static void
fetch_attachments (GTask *task)
{
  Run *run = task_run (task);
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *rev = NULL;
  g_autofree char *path = NULL;
  JsonObject *entry;

  if (run->att_missing == NULL || run->att_index >= json_array_get_length (run->att_missing))
    {
      g_clear_pointer (&run->att_missing, json_array_unref);
      return docs_fetched (task);
    }
  entry = json_array_get_object_element (run->att_missing, run->att_index);
  /* The stub's length bounds the download: a peer's stub without one
   * could stream into the disk without end. */
  if (json_object_get_int_member (entry, "length") < 0)
    return run_fail (task, g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                                        "The attachment “%s” of %s has a stub without its length",
                                        json_object_get_string_member (entry, "name"),
                                        json_object_get_string_member (entry, "id")));
  id = g_uri_escape_string (json_object_get_string_member (entry, "id"), NULL, FALSE);
  name = g_uri_escape_string (json_object_get_string_member (entry, "name"), NULL, FALSE);
  rev = g_uri_escape_string (json_object_get_string_member (entry, "rev"), NULL, FALSE);
  path = g_strdup_printf ("/%s/%s?rev=%s", id, name, rev);
  http_request_blob (run, path, run->self->local, json_object_get_int_member (entry, "length"),
                     attachment_fetched_cb, task);
}

static void
bulk_get_parsed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      data)
{
  GTask *task = data;
  Run *run = task_run (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Cut short (a hub restarting): asked again, as the HTTP layer
       * does for a broken connection (without end when continuous). */
      if ((run->self->continuous || run->fetch_tries < run->self->max_retries) &&
          run->fetch_request != NULL &&
          g_error_matches (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_NETWORK) &&
          !g_cancellable_is_cancelled (run->cancellable))
        {
          g_debug ("%s; asking again (try %u)", error->message, ++run->fetch_tries);
          g_error_free (error);
          g_timeout_add (MIN (BULK_GET_RETRY_MS * run->fetch_tries, 30000), bulk_get_again_cb, task);
          return;
        }
      return run_fail (task, error);
    }
  run->fetch_tries = 0;
  fetch_attachments (task);
}

static void
bulk_get_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  GTask *task = data;
  Run *run = task_run (task);
  g_autoptr(JsonNode) json = NULL;
  GError *error = NULL;
  guint status = 0;

  json = http_finish (result, &status, &error);
  if (json == NULL)
    return run_fail (task, error);
  if (status == 404 || status == 405 || status == 400)
    {
      g_debug ("no _bulk_get (HTTP %u): fetching one document at a time", status);
      run->self->no_bulk_get = TRUE;
      run->fetch_index = 0;
      fetch_next_open_revs (task);
      return;
    }
  if (status != 200)
    return run_fail (task, status_error (status, json, "Remote _bulk_get"));
  g_clear_pointer (&run->fetch_bytes, g_bytes_unref);
  run->fetch_bytes = http_steal_bytes (result);
  if (run->fetch_bytes == NULL)
    {
      /* Parsed already (not a raw request). */
      if (!add_bulk_get_docs (run, json, &error))
        return run_fail (task, error);
      return docs_fetched (task);
    }
  in_thread (task, bulk_get_parse_thread, bulk_get_parsed_cb);
}

static void
open_revs_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  GTask *task = data;
  Run *run = task_run (task);
  g_autoptr(JsonNode) json = NULL;
  GError *error = NULL;
  guint status = 0;

  json = http_finish (result, &status, &error);
  if (json == NULL)
    return run_fail (task, error);
  if (status == 200)
    {
      if (!JSON_NODE_HOLDS_ARRAY (json))
        return run_fail (task, protocol_error ("GET open_revs"));
      for (guint j = 0; j < json_array_get_length (json_node_get_array (json)); j++)
        {
          JsonNode *d = json_array_get_element (json_node_get_array (json), j);
          JsonNode *ok = JSON_NODE_HOLDS_OBJECT (d) ? json_object_get_member (json_node_get_object (d), "ok") : NULL;

          if (ok != NULL && !JSON_NODE_HOLDS_OBJECT (ok))
            return run_fail (task, protocol_error ("GET open_revs (a document is not an object)"));
          if (ok != NULL)
            json_array_add_object_element (run->docs, json_object_ref (json_node_get_object (ok)));
        }
    }
  else if (status != 404)
    return run_fail (task, status_error (status, json, "GET open_revs"));
  run->fetch_index++;
  fetch_next_open_revs (task);
}

static void
fetch_next_open_revs (GTask *task)
{
  Run *run = task_run (task);
  const char *id;
  JsonNode *revs;
  g_autofree char *revs_text = NULL;
  g_autofree char *id_escaped = NULL;
  g_autofree char *revs_escaped = NULL;
  g_autofree char *path = NULL;

  if (run->fetch_index >= run->fetch_ids->len)
    return docs_fetched (task);
  id = g_ptr_array_index (run->fetch_ids, run->fetch_index);
  revs = json_object_get_member (json_object_get_object_member (run->diff, id), "missing");
  revs_text = json_to_string (revs, FALSE);
  id_escaped = g_uri_escape_string (id, NULL, FALSE);
  revs_escaped = g_uri_escape_string (revs_text, NULL, FALSE);
  path = g_strdup_printf ("/%s?open_revs=%s&revs=true&latest=true&attachments=true",
                          id_escaped, revs_escaped);
  http_request (run, "GET", path, NULL, open_revs_cb, task);
}

/* Attachments up to this size (all of a document's) go inline in a push's
 * _bulk_docs; bigger ones are streamed from their files. */
#define INLINE_MAX (64 * 1024)

static gint64
attachments_length (JsonObject *doc)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  gint64 total = 0;

  json_object_iter_init (&iter, json_object_get_object_member (doc, "_attachments"));
  while (json_object_iter_next (&iter, &name, &member))
    if (JSON_NODE_HOLDS_OBJECT (member))
      total += json_object_get_int_member_with_default (json_node_get_object (member), "length", 0);
  return total;
}

static void
local_fetch_thread (GTask        *sub,
                    gpointer      source,
                    gpointer      data,
                    GCancellable *cancellable)
{
  Run *run = data;

  for (guint i = 0; i < run->fetch_ids->len; i++)
    {
      const char *id = g_ptr_array_index (run->fetch_ids, i);
      JsonArray *missing = json_object_get_array_member (json_object_get_object_member (run->diff, id), "missing");
      g_autoptr(GPtrArray) revs = g_ptr_array_new ();
      g_autoptr(JsonArray) found = NULL;
      GError *error = NULL;

      for (guint j = 0; j < json_array_get_length (missing); j++)
        g_ptr_array_add (revs, (gpointer) json_array_get_string_element (missing, j));
      g_ptr_array_add (revs, NULL);
      /* A peer that takes multipart PUTs gets big attachments from their
       * files (push_put_next): the documents are read with stubs. */
      found = gls_store_get_open_revs (run->self->local, id, (const char *const *) revs->pdata,
                                       GLS_STORE_GET_REVS |
                                       (run->self->remote_multipart ? 0 : GLS_STORE_GET_ATTACHMENTS), &error);
      if (found == NULL)
        {
          if (g_error_matches (error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND))
            {
              g_clear_error (&error);
              continue;
            }
          g_task_return_error (sub, error);
          return;
        }
      for (guint j = 0; j < json_array_get_length (found); j++)
        {
          JsonNode *d = json_array_get_element (found, j);
          JsonNode *ok = JSON_NODE_HOLDS_OBJECT (d) ? json_object_get_member (json_node_get_object (d), "ok") : NULL;

          if (ok == NULL || !JSON_NODE_HOLDS_OBJECT (ok))
            continue;
          if (!run->self->remote_multipart ||
              !json_object_has_member (json_node_get_object (ok), "_attachments"))
            json_array_add_object_element (run->docs, json_object_ref (json_node_get_object (ok)));
          else if (attachments_length (json_node_get_object (ok)) > INLINE_MAX)
            {
              if (run->put_docs == NULL)
                run->put_docs = json_array_new ();
              json_array_add_object_element (run->put_docs, json_object_ref (json_node_get_object (ok)));
            }
          else
            {
              /* Small: inline, in the _bulk_docs. */
              const char *rev = json_object_get_string_member (json_node_get_object (ok), "_rev");
              g_autoptr(JsonObject) doc = gls_store_get (run->self->local, id, rev,
                                                         GLS_STORE_GET_REVS | GLS_STORE_GET_ATTACHMENTS |
                                                         GLS_STORE_GET_DELETED_OK, &error);

              if (doc == NULL)
                {
                  g_task_return_error (sub, error);
                  return;
                }
              json_array_add_object_element (run->docs, g_steal_pointer (&doc));
            }
        }
    }
  g_task_return_boolean (sub, TRUE);
}

static void
local_fetch_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  GTask *task = data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    return run_fail (task, error);
  docs_fetched (task);
}

static void checkpoint_write (GTask *task);

static void
revs_diffed (GTask      *task,
             JsonObject *diff)
{
  Run *run = task_run (task);
  JsonObjectIter iter;
  const char *id;
  JsonNode *value;

  run->diff = json_object_ref (diff);
  run->docs = json_array_new ();
  run->fetch_ids = g_ptr_array_new_with_free_func (g_free);
  json_object_iter_init (&iter, diff);
  while (json_object_iter_next (&iter, &id, &value))
    {
      if (!JSON_NODE_HOLDS_OBJECT (value)
          || !json_object_has_member (json_node_get_object (value), "missing")
          || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (value), "missing")))
        return run_fail (task, protocol_error ("_revs_diff (bad entry)"));
      {
        JsonArray *missing = json_object_get_array_member (json_node_get_object (value), "missing");

        for (guint j = 0; j < json_array_get_length (missing); j++)
          if (peek_string_element (missing, j) == NULL)
            return run_fail (task, protocol_error ("_revs_diff (a rev is not a string)"));
      }
      g_ptr_array_add (run->fetch_ids, g_strdup (id));
    }

  if (run->fetch_ids->len == 0)
    return docs_fetched (task);

  if (!is_pull (run))
    in_thread (task, local_fetch_thread, local_fetch_cb);
  else if (run->self->no_bulk_get)
    {
      run->fetch_index = 0;
      fetch_next_open_revs (task);
    }
  else
    {
      /* {"docs":[{"id","rev"}…]}, written as text. */
      GString *body = g_string_sized_new (80 * run->fetch_ids->len + 16);
      gboolean first = TRUE;

      g_string_append (body, "{\"docs\":[");
      for (guint i = 0; i < run->fetch_ids->len; i++)
        {
          const char *doc_id = g_ptr_array_index (run->fetch_ids, i);
          JsonArray *missing = json_object_get_array_member (json_object_get_object_member (diff, doc_id), "missing");

          for (guint j = 0; j < json_array_get_length (missing); j++)
            {
              g_string_append (body, first ? "{\"id\":" : ",{\"id\":");
              first = FALSE;
              gls_json_append_string (body, doc_id);
              g_string_append (body, ",\"rev\":");
              gls_json_append_string (body, json_array_get_string_element (missing, j));
              g_string_append_c (body, '}');
            }
        }
      g_string_append (body, "]}");
      g_clear_pointer (&run->fetch_request, g_bytes_unref);
      run->fetch_request = g_string_free_to_bytes (body);
      http_request_bytes (run, "POST", BULK_GET_PATH, g_bytes_ref (run->fetch_request), TRUE, TRUE,
                          bulk_get_cb, task);
    }
}

/* --- write --- */

static void
count_written (Run       *run,
               JsonArray *answers)
{
  /* An answer with "error" is a failure; new_edits=false answers from the
   * remote only list failures. A push sent in pieces adds them up. */
  gint64 failures = is_pull (run) ? 0 : run->w_failures;

  for (guint i = 0; answers != NULL && i < json_array_get_length (answers); i++)
    {
      JsonNode *a = json_array_get_element (answers, i);

      if (JSON_NODE_HOLDS_OBJECT (a) && json_object_has_member (json_node_get_object (a), "error"))
        {
          failures++;
          g_warning ("writing %s failed: %s",
                     peek_string (json_node_get_object (a), "id", "?"),
                     peek_string (json_node_get_object (a), "reason", "?"));
        }
    }
  if (!is_pull (run))
    run->w_failures = failures;
  run->w_written = run->w_read - failures;
}

/* The counters follow what is in the target: a written batch counts at
 * once, before its checkpoint. */
static void
count_batch (Run *run)
{
  GlsReplicator *self = run->self;

  set_counter (self, &self->docs_read, self->docs_read + run->w_read, PROP_DOCS_READ);
  set_counter (self, &self->docs_written, self->docs_written + run->w_written, PROP_DOCS_WRITTEN);
}

/* The first refusal in a _bulk_docs answer as an error, or NULL. Like
 * PouchDB, a push skips documents the target denies (forbidden,
 * unauthorized: its validation said no) and stops at any other error. */
static GError *
refused_error (JsonArray *answers,
               gboolean   skip_denied)
{
  for (guint i = 0; answers != NULL && i < json_array_get_length (answers); i++)
    {
      JsonNode *node = json_array_get_element (answers, i);
      JsonObject *a = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *kind = a != NULL ? peek_string (a, "error", NULL) : NULL;

      if (kind == NULL)
        continue;
      if (skip_denied && (g_str_equal (kind, "forbidden") || g_str_equal (kind, "unauthorized")))
        continue;
      return g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                          skip_denied ? "The peer refused document “%s”: %s: %s"
                                      : "The peer sent document “%s”, which is invalid: %s: %s",
                          peek_string (a, "id", "?"), kind,
                          peek_string (a, "reason", ""));
    }
  return NULL;
}

static void remote_bulk_docs_cb (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      data);

/* A _bulk_docs request holds at most this much inline attachment data
 * (the documents are counted too), and at least one document. */
#define PUSH_MAX_BYTES (16 << 20)

/* About what a document weighs as JSON: its inline attachments' data. */
static gsize
inline_weight (JsonObject *doc)
{
  JsonNode *atts = json_object_get_member (doc, "_attachments");
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  gsize weight = 512;

  if (atts == NULL || !JSON_NODE_HOLDS_OBJECT (atts))
    return weight;
  json_object_iter_init (&iter, json_node_get_object (atts));
  while (json_object_iter_next (&iter, &name, &member))
    if (JSON_NODE_HOLDS_OBJECT (member))
      weight += strlen (json_object_get_string_member_with_default (json_node_get_object (member), "data", ""));
  return weight;
}

static void push_put_next (GTask *task);

/* Pushes w_docs from w_pos with one _bulk_docs: at most w_chunk
 * documents and PUSH_MAX_BYTES of attachment data. */
static void
remote_bulk_docs_send (GTask *task)
{
  Run *run = task_run (task);
  guint n = json_array_get_length (run->w_docs);
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  JsonObject *obj = json_object_new ();
  JsonArray *docs;
  gsize bytes = 0;

  docs = json_array_sized_new (MIN (run->w_chunk, n - run->w_pos));
  for (guint i = run->w_pos; i < n && i < run->w_pos + run->w_chunk; i++)
    {
      JsonNode *doc = json_array_get_element (run->w_docs, i);

      bytes += JSON_NODE_HOLDS_OBJECT (doc) ? inline_weight (json_node_get_object (doc)) : 512;
      if (bytes > PUSH_MAX_BYTES && json_array_get_length (docs) > 0)
        break;
      json_array_add_element (docs, json_node_ref (doc));
    }
  run->w_sent = json_array_get_length (docs);
  json_object_set_array_member (obj, "docs", docs);
  json_object_set_boolean_member (obj, "new_edits", FALSE);
  json_node_take_object (body, obj);
  http_request (run, "POST", "/_bulk_docs", body, remote_bulk_docs_cb, task);
}

static void
remote_bulk_docs_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  GTask *task = data;
  Run *run = task_run (task);
  g_autoptr(JsonNode) json = NULL;
  GError *error = NULL;
  guint status = 0;

  json = http_finish (result, &status, &error);
  if (json == NULL)
    return run_fail (task, error);
  /* Too large for the peer (CouchDB 2.x takes 64 MB, and design files ride
   * inline): send the batch in smaller pieces; a single document too
   * large is an error. */
  if (status == 413 && run->w_sent > 1)
    {
      run->w_chunk = (run->w_sent + 1) / 2;
      g_debug ("_bulk_docs: HTTP 413, %u documents per request now", run->w_chunk);
      return remote_bulk_docs_send (task);
    }
  if (status != 201 && status != 200)
    return run_fail (task, status_error (status, json, "Remote _bulk_docs"));
  if (!JSON_NODE_HOLDS_ARRAY (json))
    return run_fail (task, protocol_error ("_bulk_docs"));
  if ((error = refused_error (json_node_get_array (json), TRUE)))
    return run_fail (task, error);
  count_written (run, json_node_get_array (json));
  run->w_pos += run->w_sent;
  if (run->w_pos < json_array_get_length (run->w_docs))
    return remote_bulk_docs_send (task);
  push_put_next (task);
}

static void
push_put_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  GTask *task = data;
  Run *run = task_run (task);
  g_autoptr(JsonNode) json = NULL;
  GError *error = NULL;
  guint status = 0;

  json = http_finish (result, &status, &error);
  if (json == NULL)
    return run_fail (task, error);
  if (status == 403 || status == 401)
    {
      /* Denied by the target's validation: skipped, as in _bulk_docs. */
      g_warning ("writing %s failed: HTTP %u",
                 json_object_get_string_member (json_array_get_object_element (run->w_put_docs,
                                                                               run->w_put_index), "_id"),
                 status);
      run->w_failures++;
    }
  else if (status != 201 && status != 200 && status != 202)
    return run_fail (task, status_error (status, json, "Remote document PUT"));
  run->w_put_index++;
  push_put_next (task);
}

/* Documents with big attachments, one PUT each, their files streamed;
 * then the batch is done. */
static void
push_put_next (GTask *task)
{
  Run *run = task_run (task);

  if (run->w_put_docs == NULL || run->w_put_index >= json_array_get_length (run->w_put_docs))
    {
      /* As count_written counts: what was read, but the refusals. */
      if (run->w_put_docs != NULL)
        run->w_written = run->w_read - run->w_failures;
      count_batch (run);
      return checkpoint_write (task);
    }
  http_request_put_doc (run, json_array_get_object_element (run->w_put_docs, run->w_put_index),
                        push_put_cb, task);
}

static void
local_bulk_docs_thread (GTask        *sub,
                        gpointer      source,
                        gpointer      data,
                        GCancellable *cancellable)
{
  Run *run = data;
  GError *error = NULL;
  JsonArray *answers = NULL;

  /* A batch from _bulk_get: its answers are the failures only. */
  if (run->w_batch != NULL)
    answers = gls_store_bulk_docs_replicated_with_blobs (run->self->local, run->w_batch,
                                                         run->w_blobs, &error);
  if (error == NULL && json_array_get_length (run->w_docs) > 0)
    {
      g_autoptr(JsonArray) more = gls_store_bulk_docs_with_blobs (run->self->local, run->w_docs, FALSE,
                                                                  run->w_blobs, &error);

      if (more != NULL && answers == NULL)
        answers = g_steal_pointer (&more);
      for (guint i = 0; more != NULL && i < json_array_get_length (more); i++)
        json_array_add_element (answers, json_node_copy (json_array_get_element (more, i)));
    }
  if (error == NULL && answers == NULL)
    answers = json_array_new ();
  if (error != NULL)
    {
      g_clear_pointer (&answers, json_array_unref);
      g_task_return_error (sub, error);
    }
  else
    g_task_return_pointer (sub, answers, (GDestroyNotify) json_array_unref);
}

static void
local_bulk_docs_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      data)
{
  GTask *task = data;
  GError *error = NULL;
  g_autoptr(JsonArray) answers = NULL;

  answers = g_task_propagate_pointer (G_TASK (result), &error);
  if (answers == NULL)
    return run_fail (task, error);
  /* The local store refuses only what is malformed (a bad rev, id or
   * _revisions): the peer is broken, so stop before the checkpoint would
   * step over the refused documents. */
  if ((error = refused_error (answers, FALSE)))
    return run_fail (task, error);
  count_written (task_run (task), answers);
  count_batch (task_run (task));
  if (task_run (task)->w_diff != NULL)
    g_signal_emit (task_run (task)->self, signals[REVISIONS_PULLED], 0, task_run (task)->w_diff);
  checkpoint_write (task);
}

static void hand_off (GTask *task);
static void batch_done (GTask *task);

/* End of the fetch chain's batch: the writer takes it, now or when it is
 * done with the previous one. */
static void
docs_fetched (GTask *task)
{
  Run *run = task_run (task);

  run->batch_read = json_array_get_length (run->docs)
                    + (run->batch != NULL ? gls_store_doc_batch_get_length (run->batch) : 0)
                    + (run->put_docs != NULL ? json_array_get_length (run->put_docs) : 0);
  if (run->error != NULL)
    return chain_end (task);
  if (run->writing)
    {
      run->parked = run->parked_batch = TRUE;
      return;
    }
  hand_off (task);
}

static void
write_start (GTask *task)
{
  Run *run = task_run (task);
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (run->cancellable, &error))
    return run_fail (task, error);
  if (run->error != NULL)
    return batch_done (task);
  if (run->w_read == 0)
    return checkpoint_write (task);
  if (is_pull (run))
    in_thread_full (task, local_bulk_docs_thread, FALSE, local_bulk_docs_cb);
  else
    {
      run->w_pos = 0;
      run->w_chunk = MAX (json_array_get_length (run->w_docs), 1);
      run->w_failures = 0;
      if (json_array_get_length (run->w_docs) == 0)
        push_put_next (task);
      else
        remote_bulk_docs_send (task);
    }
}

/* Starts the write chain on the fetched batch and lets the fetch chain go
 * on: live, only after the write (a longpoll would hold a failed run). */
static void
hand_off (GTask *task)
{
  Run *run = task_run (task);

  run->parked = run->parked_batch = FALSE;
  g_clear_pointer (&run->w_docs, json_array_unref);
  g_clear_pointer (&run->w_batch, gls_store_doc_batch_free);
  g_clear_pointer (&run->w_blobs, g_hash_table_unref);
  g_clear_pointer (&run->w_last_seq, json_node_unref);
  g_clear_pointer (&run->checkpoint, json_object_unref);
  run->w_docs = g_steal_pointer (&run->docs);
  run->w_batch = g_steal_pointer (&run->batch);
  run->w_blobs = g_steal_pointer (&run->blobs);
  g_clear_pointer (&run->w_put_docs, json_array_unref);
  run->w_put_docs = g_steal_pointer (&run->put_docs);
  run->w_put_index = 0;
  run->w_last_seq = g_steal_pointer (&run->last_seq);
  g_clear_pointer (&run->w_diff, json_object_unref);
  run->w_diff = run->diff != NULL ? json_object_ref (run->diff) : NULL;
  run->w_read = run->batch_read;
  run->w_written = 0;
  json_node_unref (run->fetch_since);
  run->fetch_since = json_node_copy (run->w_last_seq);

  run->writing = TRUE;
  run->chains++;
  write_start (g_object_ref (task));

  if (run->error != NULL)
    chain_end (task);
  else if (!run->live && run->source_done)
    chain_end (task);   /* the source said nothing is left */
  else if (run->live && run->writing)
    run->parked = TRUE;
  else
    batch_start (task);
}

/* --- checkpoint --- */

/* End of the write chain's batch. */
static void
batch_done (GTask *task)
{
  Run *run = task_run (task);

  json_node_unref (run->since);
  run->since = g_steal_pointer (&run->w_last_seq);
  g_clear_pointer (&run->w_docs, json_array_unref);
  g_clear_pointer (&run->w_batch, gls_store_doc_batch_free);
  g_clear_pointer (&run->w_blobs, g_hash_table_unref);
  g_clear_pointer (&run->w_put_docs, json_array_unref);
  g_clear_pointer (&run->checkpoint, json_object_unref);
  run->writing = FALSE;

  if (run->error == NULL && run->parked)
    {
      /* The fetch chain waited: give it its ref back. */
      if (run->parked_batch)
        hand_off (g_object_ref (task));
      else
        {
          run->parked = FALSE;
          batch_start (g_object_ref (task));
        }
      /* That ref stood for the parked chain: drop the extra one. */
      g_object_unref (task);
    }
  chain_end (task);
}

static void remote_checkpoint_put (GTask *task);

static void
local_checkpoint_thread (GTask        *sub,
                         gpointer      source,
                         gpointer      data,
                         GCancellable *cancellable)
{
  Run *run = data;
  g_autoptr(JsonObject) old = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *rev = NULL;
  GError *error = NULL;

  old = gls_store_get_local (run->self->local, run->self->repid, NULL);
  doc = object_dup (run->checkpoint);
  if (old != NULL && json_object_has_member (old, "_rev"))
    json_object_set_string_member (doc, "_rev", json_object_get_string_member (old, "_rev"));
  else
    json_object_remove_member (doc, "_rev");
  rev = gls_store_put_local (run->self->local, run->self->repid, doc, &error);
  if (rev == NULL)
    g_task_return_error (sub, error);
  else
    g_task_return_boolean (sub, TRUE);
}

static void
local_checkpoint_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  GTask *task = data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    return run_fail (task, error);
  if (is_pull (task_run (task)))
    remote_checkpoint_put (task);
  else
    batch_done (task);
}

static void
remote_checkpoint_reread_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      data)
{
  GTask *task = data;
  Run *run = task_run (task);
  g_autoptr(JsonNode) json = NULL;
  GError *error = NULL;
  guint status = 0;

  json = http_finish (result, &status, &error);
  if (json == NULL)
    return run_fail (task, error);
  g_clear_pointer (&run->remote_log_rev, g_free);
  if (status == 200 && JSON_NODE_HOLDS_OBJECT (json))
    run->remote_log_rev = g_strdup (peek_string (json_node_get_object (json), "_rev", NULL));
  g_object_set_data (G_OBJECT (task), "reread", GINT_TO_POINTER (1));
  remote_checkpoint_put (task);
}

static void
remote_checkpoint_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      data)
{
  GTask *task = data;
  Run *run = task_run (task);
  g_autoptr(JsonNode) json = NULL;
  GError *error = NULL;
  guint status = 0;

  json = http_finish (result, &status, &error);
  if (json == NULL)
    return run_fail (task, error);
  if (status == 409 && g_object_get_data (G_OBJECT (task), "reread") == NULL)
    {
      g_autofree char *path = g_strconcat ("/_local/", run->self->repid, NULL);

      http_request_full (run, "GET", path, NULL, FALSE, FALSE, remote_checkpoint_reread_cb, task);
      return;
    }
  g_object_set_data (G_OBJECT (task), "reread", NULL);
  if (status != 201 && status != 200)
    {
      /* A read-only source (403) cannot keep its checkpoint: carry on, as
       * PouchDB does; the next run then starts over, which is safe. */
      if (is_pull (run) && status >= 400 && status < 500)
        {
          g_debug ("source checkpoint not written: HTTP %u", status);
          return batch_done (task);
        }
      return run_fail (task, status_error (status, json, "Writing the remote checkpoint"));
    }
  g_free (run->remote_log_rev);
  run->remote_log_rev = JSON_NODE_HOLDS_OBJECT (json)
    ? g_strdup (peek_string (json_node_get_object (json), "rev", NULL))
    : NULL;
  if (is_pull (run))
    batch_done (task);
  else
    in_thread_full (task, local_checkpoint_thread, FALSE, local_checkpoint_cb);
}

static void
remote_checkpoint_put (GTask *task)
{
  Run *run = task_run (task);
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *path = g_strconcat ("/_local/", run->self->repid, NULL);
  JsonObject *doc = object_dup (run->checkpoint);

  if (run->remote_log_rev != NULL)
    json_object_set_string_member (doc, "_rev", run->remote_log_rev);
  json_node_take_object (body, doc);
  /* Not cancellable: the batch is written, its checkpoint should follow. */
  http_request_full (run, "PUT", path, body, FALSE, FALSE, remote_checkpoint_cb, task);
}

static char *
http_date_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%a, %d %b %Y %H:%M:%S GMT");
}

static void
checkpoint_write (GTask *task)
{
  Run *run = task_run (task);

  if (run->error != NULL || seq_equal (run->since, run->w_last_seq))
    return batch_done (task);
  /* More is coming, and the last checkpoint is recent: later. */
  if (!run->live && !run->source_done
      && g_get_monotonic_time () - run->checkpoint_time
         < (gint64) run->self->checkpoint_interval_ms * 1000)
    {
      run->checkpoint_owed = TRUE;
      return batch_done (task);
    }
  checkpoint_put (task);
}

/* Writes the checkpoint of w_last_seq on both sides, then the batch is done. */
static void
checkpoint_put (GTask *task)
{
  Run *run = task_run (task);
  JsonObject *cp = json_object_new ();
  JsonArray *history = json_array_new ();
  JsonObject *entry = json_object_new ();
  g_autofree char *end_time = http_date_now ();

  run->checkpoint_owed = FALSE;
  run->checkpoint_time = g_get_monotonic_time ();
  json_object_set_string_member (entry, "session_id", run->session_id);
  json_object_set_string_member (entry, "start_time", run->start_time);
  json_object_set_string_member (entry, "end_time", end_time);
  json_object_set_member (entry, "recorded_seq", json_node_copy (run->w_last_seq));
  json_object_set_int_member (entry, "docs_read", run->self->docs_read);
  json_object_set_int_member (entry, "docs_written", run->self->docs_written);
  json_array_add_object_element (history, entry);
  for (guint i = 0; run->old_history != NULL && i < json_array_get_length (run->old_history)
       && json_array_get_length (history) < HISTORY_MAX; i++)
    {
      JsonNode *old = json_array_get_element (run->old_history, i);

      if (JSON_NODE_HOLDS_OBJECT (old)
          && g_strcmp0 (peek_string (json_node_get_object (old), "session_id", NULL),
                        run->session_id) != 0)
        json_array_add_element (history, json_node_copy (old));
    }
  json_object_set_string_member (cp, "session_id", run->session_id);
  json_object_set_member (cp, "source_last_seq", json_node_copy (run->w_last_seq));
  json_object_set_int_member (cp, "replication_id_version", 1);
  json_object_set_string_member (cp, "replicator", "glossa");
  json_object_set_array_member (cp, "history", history);
  run->checkpoint = cp;

  /* The target first, then the source. */
  if (is_pull (run))
    in_thread_full (task, local_checkpoint_thread, FALSE, local_checkpoint_cb);
  else
    remote_checkpoint_put (task);
}

/* ---------------------------------------------------------------------------
 * GObject
 */

static void
parse_remote_url (GlsReplicator *self,
                  const char    *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) clean = NULL;
  g_autoptr(GError) pin_error = NULL;
  g_autofree char *text = NULL;

  uri = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    {
      self->remote_url = g_strdup (url);
      return;
    }
  /* A pin (in the fragment, never sent): no CA decides, only the pin. */
  self->pin = gls_tls_link_dup_pin (url, &pin_error);
  if (pin_error != NULL)
    self->pin_error = g_error_new_literal (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_CERTIFICATE,
                                           pin_error->message);
  else if (self->pin != NULL && g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0)
    self->pin_error = g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_CERTIFICATE,
                                   "%s pins a certificate but is not an https link", g_uri_get_host (uri));
  if (self->pin != NULL)
    soup_session_set_tls_database (self->session, NULL);
  if (self->pin != NULL && g_uri_get_host (uri) != NULL && strchr (g_uri_get_host (uri), ':') != NULL)
    self->ip_identity = g_network_address_new ("glossa-peer.invalid", MAX (g_uri_get_port (uri), 0));
  if (g_uri_get_user (uri) != NULL)
    {
      g_autofree char *user = g_uri_unescape_string (g_uri_get_user (uri), NULL);
      g_autofree char *pass = g_uri_get_password (uri)
        ? g_uri_unescape_string (g_uri_get_password (uri), NULL) : g_strdup ("");

      gls_replicator_set_credentials (self, user, pass);
    }
  clean = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL,
                       g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri),
                       NULL, NULL);
  text = g_uri_to_string (clean);
  while (g_str_has_suffix (text, "/"))
    text[strlen (text) - 1] = '\0';
  self->remote_url = g_steal_pointer (&text);
}

static void
gls_replicator_finalize (GObject *object)
{
  GlsReplicator *self = GLS_REPLICATOR (object);

  g_clear_object (&self->local);
  g_clear_object (&self->session);
  g_free (self->remote_url);
  g_free (self->auth_header);
  g_free (self->pin);
  g_free (self->seen_pin);
  g_clear_error (&self->pin_error);
  g_clear_object (&self->ip_identity);
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
    case PROP_REMOTE_URL: g_value_set_string (value, self->remote_url); break;
    case PROP_DIRECTION: g_value_set_enum (value, self->direction); break;
    case PROP_BATCH_SIZE: g_value_set_uint (value, self->batch_size); break;
    case PROP_CONTINUOUS: g_value_set_boolean (value, self->continuous); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_ERROR_MESSAGE: g_value_set_string (value, self->error_message); break;
    case PROP_DOCS_READ: g_value_set_int64 (value, self->docs_read); break;
    case PROP_DOCS_WRITTEN: g_value_set_int64 (value, self->docs_written); break;
    case PROP_PENDING: g_value_set_int64 (value, self->pending); break;
    case PROP_RETRYING: g_value_set_boolean (value, self->retrying); break;
    case PROP_TIMEOUT: g_value_set_uint (value, soup_session_get_timeout (self->session)); break;
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
    case PROP_REMOTE_URL: parse_remote_url (self, g_value_get_string (value)); break;
    case PROP_DIRECTION: self->direction = g_value_get_enum (value); break;
    case PROP_BATCH_SIZE: gls_replicator_set_batch_size (self, g_value_get_uint (value)); break;
    case PROP_CONTINUOUS: gls_replicator_set_continuous (self, g_value_get_boolean (value)); break;
    case PROP_TIMEOUT: soup_session_set_timeout (self->session, g_value_get_uint (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_replicator_class_init (GlsReplicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = gls_replicator_finalize;
  object_class->get_property = gls_replicator_get_property;
  object_class->set_property = gls_replicator_set_property;

  properties[PROP_LOCAL] =
    g_param_spec_object ("local", NULL, NULL, GLS_TYPE_STORE,
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
  self->max_retries = 5;
  self->checkpoint_interval_ms = CHECKPOINT_INTERVAL_MS;
  self->session = soup_session_new_with_options ("proxy-resolver", NULL,
                                                 "timeout", HTTP_TIMEOUT_S, NULL);
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

void
gls_replicator_set_credentials (GlsReplicator *self,
                                const char    *username,
                                const char    *password)
{
  g_return_if_fail (GLS_IS_REPLICATOR (self));

  g_clear_pointer (&self->auth_header, g_free);
  if (username != NULL)
    {
      g_autofree char *pair = g_strconcat (username, ":", password ? password : "", NULL);
      g_autofree char *b64 = g_base64_encode ((const guchar *) pair, strlen (pair));

      self->auth_header = g_strconcat ("Basic ", b64, NULL);
    }
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
  self->max_retries = max_retries;
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
  return self->remote_url;
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
  return self->seen_pin;
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
  Run *run;
  g_autofree char *key = NULL;

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
  run = g_new0 (Run, 1);
  run->self = g_object_ref (self);
  run->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  run->session_id = g_uuid_string_random ();
  run->start_time = http_date_now ();
  run->checkpoint_time = g_get_monotonic_time ();
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  key = g_strconcat (gls_store_get_uuid (self->local), self->remote_url,
                     self->direction == GLS_REPLICATOR_DIRECTION_PULL ? "pull" : "push", NULL);
  g_free (self->repid);
  self->repid = g_compute_checksum_for_string (G_CHECKSUM_MD5, key, -1);

  self->running = TRUE;
  run->chains = 1;
  set_counter (self, &self->docs_read, 0, PROP_DOCS_READ);
  set_counter (self, &self->docs_written, 0, PROP_DOCS_WRITTEN);
  set_error_message (self, NULL);
  set_state (self, GLS_REPLICATOR_STATE_SYNCING);
  http_request (run, "GET", "", NULL, remote_db_cb, task);
}

gboolean
gls_replicator_run_finish (GlsReplicator  *self,
                           GAsyncResult   *result,
                           GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
