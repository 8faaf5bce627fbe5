/* gls-peers.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-peers"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "gls-peers.h"
#include "gls-replicator.h"
#include "gls-tls.h"

#define PEERS_FILE "peers.ini"
/* After a run gave up on the network, start again this much later. */
#define OFFLINE_RESTART_MS 5000

G_DEFINE_ENUM_TYPE (GlsPeerState, gls_peer_state,
                    G_DEFINE_ENUM_VALUE (GLS_PEER_STATE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (GLS_PEER_STATE_SYNCING, "syncing"),
                    G_DEFINE_ENUM_VALUE (GLS_PEER_STATE_LIVE, "live"),
                    G_DEFINE_ENUM_VALUE (GLS_PEER_STATE_OFFLINE, "offline"),
                    G_DEFINE_ENUM_VALUE (GLS_PEER_STATE_ERROR, "error"))

/* ---------------------------------------------------------------------------
 * GlsPeer
 */

/* One direction of a peer. */
typedef struct
{
  GlsReplicator *replicator;
  gboolean       running;
  gboolean       was_live;     /* reached LIVE in this run */
  gboolean       gave_up;      /* network: finished, restarting later */
  GError        *refusal;      /* finished with an error that retrying won't fix */
} Side;

struct _GlsPeer
{
  GObject        parent_instance;

  char          *link;
  char          *url;
  char          *label;
  GlsWorkspace  *workspace;
  GlsStore      *store;

  GlsPeerState   state;
  char          *error_message;
  gint64         docs_read;
  gint64         docs_written;
  gint64         pending;
  GDateTime     *last_synced;
  guint          forged;       /* documents from it that failed verification */

  Side           pull;
  Side           push;
  gboolean       read_only;    /* the peer refused our writes: pull only */
  GCancellable  *cancellable;  /* of the current runs */
  GMainContext  *context;      /* the list's */
  guint          restart_id;
  gboolean       stopped;
};

G_DEFINE_FINAL_TYPE (GlsPeer, gls_peer, G_TYPE_OBJECT)

enum {
  PEER_PROP_0,
  PEER_PROP_LINK,
  PEER_PROP_URL,
  PEER_PROP_LABEL,
  PEER_PROP_STATE,
  PEER_PROP_ERROR_MESSAGE,
  PEER_PROP_DOCS_READ,
  PEER_PROP_DOCS_WRITTEN,
  PEER_PROP_PENDING,
  PEER_PROP_LAST_SYNCED,
  PEER_PROP_FORGED,
  PEER_N_PROPS
};

static GParamSpec *peer_properties[PEER_N_PROPS];

static void peer_start (GlsPeer *self);

static void
side_clear (GlsPeer *self,
            Side    *side)
{
  if (side->replicator != NULL)
    g_signal_handlers_disconnect_by_data (side->replicator, self);
  g_clear_object (&side->replicator);
  g_clear_error (&side->refusal);
  side->running = FALSE;
  side->was_live = FALSE;
  side->gave_up = FALSE;
}

/* The sentence the Peers view shows for a run that ended in an error. */
static char *
describe_refusal (GlsPeer                *self,
                  const GError           *error,
                  GlsReplicator          *replicator,
                  GlsReplicatorDirection  direction)
{
  if (error->domain == GLS_REPLICATOR_ERROR)
    switch (error->code)
      {
      case GLS_REPLICATOR_ERROR_CERTIFICATE:
        {
          g_autofree char *pin = gls_tls_link_dup_pin (self->link, NULL);
          const char *seen = replicator != NULL ? gls_replicator_get_peer_pin (replicator) : NULL;

          if (pin != NULL && seen != NULL)
            /* Translators: the first %s is the certificate the peer showed, the second
             * the one in the link, both like sha256:5WpJBjOp8UU8DofoLrxNoQ7TuFQOThC6n9zp7OFOvN0 */
            return g_strdup_printf (_("The peer’s certificate %s is not the one the link pins, %s: "
                                      "someone may be in between, or the peer has a new "
                                      "certificate and must send a new link"), seen, pin);
          if (pin != NULL)
            return g_strdup_printf (_("This link’s certificate pin cannot be used (%s)"), error->message);
          return g_strdup_printf (_("The peer’s certificate is not trusted (%s)"), error->message);
        }
      case GLS_REPLICATOR_ERROR_UNAUTHORIZED:
        return g_strdup (_("The peer refused the access key"));
      case GLS_REPLICATOR_ERROR_FORBIDDEN:
        return g_strdup (direction == GLS_REPLICATOR_DIRECTION_PUSH
                         ? _("The peer does not let this access key write")
                         : _("The peer does not let this access key read this workspace"));
      case GLS_REPLICATOR_ERROR_NOT_FOUND:
        return g_strdup (_("This workspace does not exist on the peer"));
      case GLS_REPLICATOR_ERROR_PROTOCOL:
        return g_strdup_printf (_("The peer gave an answer Glossa does not understand (%s)"),
                                error->message);
      case GLS_REPLICATOR_ERROR_NETWORK:
        return g_strdup_printf (_("Cannot reach the peer (%s)"), error->message);
      case GLS_REPLICATOR_ERROR_FAILED:
      default:
        return g_strdup_printf (_("The peer answered with an error (%s)"), error->message);
      }
  if (error->domain == G_IO_ERROR && error->code == G_IO_ERROR_INVALID_ARGUMENT)
    return g_strdup_printf (_("This is not a link to a workspace (%s)"), error->message);
  return g_strdup_printf (_("Syncing failed: %s"), error->message);
}

static void
set_error_message (GlsPeer    *self,
                   const char *message)
{
  if (g_strcmp0 (self->error_message, message) == 0)
    return;
  g_free (self->error_message);
  self->error_message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), peer_properties[PEER_PROP_ERROR_MESSAGE]);
}

static void
set_counter (GlsPeer *self,
             gint64  *field,
             gint64   value,
             guint    prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), peer_properties[prop]);
}

static void
touch_last_synced (GlsPeer *self)
{
  g_clear_pointer (&self->last_synced, g_date_time_unref);
  self->last_synced = g_date_time_new_now_local ();
  g_object_notify_by_pspec (G_OBJECT (self), peer_properties[PEER_PROP_LAST_SYNCED]);
}

static gboolean
side_is_live (Side *side)
{
  return side->replicator != NULL && side->running
         && gls_replicator_get_state (side->replicator) == GLS_REPLICATOR_STATE_LIVE;
}

static gboolean
side_is_offline (Side *side)
{
  return side->gave_up
         || (side->replicator != NULL && side->running
             && gls_replicator_get_retrying (side->replicator));
}

static void
update_counters (GlsPeer *self)
{
  Side *sides[] = { &self->pull, &self->push };
  gint64 read = 0, written = 0, pending = 0;

  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    if (sides[i]->replicator != NULL)
      {
        read += gls_replicator_get_docs_read (sides[i]->replicator);
        written += gls_replicator_get_docs_written (sides[i]->replicator);
        pending += gls_replicator_get_pending (sides[i]->replicator);
      }
  set_counter (self, &self->docs_read, read, PEER_PROP_DOCS_READ);
  set_counter (self, &self->docs_written, written, PEER_PROP_DOCS_WRITTEN);
  set_counter (self, &self->pending, pending, PEER_PROP_PENDING);
}

/* The peer's state from its two replicators. */
static void
update_state (GlsPeer *self)
{
  GlsPeerState state;
  g_autofree char *message = NULL;
  gboolean push_done = self->read_only;

  if (self->pull.refusal != NULL)
    {
      state = GLS_PEER_STATE_ERROR;
      message = describe_refusal (self, self->pull.refusal, self->pull.replicator,
                                  GLS_REPLICATOR_DIRECTION_PULL);
    }
  else if (self->push.refusal != NULL && !self->read_only)
    {
      state = GLS_PEER_STATE_ERROR;
      message = describe_refusal (self, self->push.refusal, self->push.replicator,
                                  GLS_REPLICATOR_DIRECTION_PUSH);
    }
  else if (side_is_offline (&self->pull) || side_is_offline (&self->push))
    state = GLS_PEER_STATE_OFFLINE;
  else if (side_is_live (&self->pull) && (push_done || side_is_live (&self->push)))
    state = GLS_PEER_STATE_LIVE;
  else if (self->pull.was_live || self->push.was_live
           || self->docs_read > 0 || self->docs_written > 0 || self->last_synced != NULL)
    state = GLS_PEER_STATE_SYNCING;
  else
    state = GLS_PEER_STATE_CONNECTING;

  if (state != GLS_PEER_STATE_ERROR && self->read_only)
    message = g_strdup (_("The peer only lets this access key read: what you write here is not sent"));

  if (state == GLS_PEER_STATE_ERROR && !self->stopped)
    {
      /* A refusal stops both directions until gls_peer_retry. */
      g_cancellable_cancel (self->cancellable);
    }

  set_error_message (self, message);
  if (state == self->state)
    return;
  self->state = state;
  if (state == GLS_PEER_STATE_LIVE)
    touch_last_synced (self);
  g_object_notify_by_pspec (G_OBJECT (self), peer_properties[PEER_PROP_STATE]);
}

static void
replicator_notify_cb (GlsReplicator *replicator,
                      GParamSpec    *pspec,
                      GlsPeer       *self)
{
  Side *side = replicator == self->pull.replicator ? &self->pull : &self->push;
  const char *name = g_param_spec_get_name (pspec);

  g_assert (replicator == side->replicator);

  if (g_str_equal (name, "state")
      && gls_replicator_get_state (replicator) == GLS_REPLICATOR_STATE_LIVE)
    side->was_live = TRUE;

  if (g_str_equal (name, "docs-read") || g_str_equal (name, "docs-written")
      || g_str_equal (name, "pending"))
    {
      update_counters (self);
      /* More changes went through while both directions follow the peer. */
      if (self->state == GLS_PEER_STATE_LIVE && g_str_equal (name, "docs-written"))
        touch_last_synced (self);
    }
  update_state (self);
}

static gboolean
restart_cb (gpointer data)
{
  GlsPeer *self = data;

  self->restart_id = 0;
  peer_start (self);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  GlsPeer       *peer;
  GlsReplicator *replicator;
} RunData;

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      data)
{
  RunData *run = data;
  GlsPeer *self = run->peer;
  GlsReplicator *replicator = GLS_REPLICATOR (source);
  g_autoptr(GError) error = NULL;
  Side *side = NULL;

  gls_replicator_run_finish (replicator, result, &error);

  if (replicator == self->pull.replicator)
    side = &self->pull;
  else if (replicator == self->push.replicator)
    side = &self->push;

  /* A replicator of a run that was stopped or restarted since. */
  if (side == NULL || self->stopped)
    goto out;

  side->running = FALSE;
  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Cancelled because the other side was refused: nothing to add. */
    }
  else if (g_error_matches (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_NETWORK))
    {
      g_debug ("%s: offline (%s)", self->label, error->message);
      side->gave_up = TRUE;
      if (self->restart_id == 0)
        {
          GSource *timeout = g_timeout_source_new (OFFLINE_RESTART_MS);

          g_source_set_callback (timeout, restart_cb, self, NULL);
          self->restart_id = g_source_attach (timeout, self->context);
          g_source_unref (timeout);
        }
    }
  else
    {
      g_debug ("%s: %s refused: %s", self->label, side == &self->pull ? "pull" : "push",
               error->message);
      side->refusal = g_steal_pointer (&error);
      if (side == &self->push
          && g_error_matches (side->refusal, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_FORBIDDEN)
          && self->pull.refusal == NULL)
        self->read_only = TRUE;
    }
  update_state (self);

out:
  g_object_unref (run->replicator);
  g_object_unref (run->peer);
  g_free (run);
}

/* What a peer sends is checked after it is written, in a worker: a
 * forgery is kept (replication stays lossless) but counted, for the row. */
static void
count_forgeries_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GlsPeer *self = source_object;
  g_autoptr(GError) error = NULL;
  guint forged = gls_workspace_count_forgeries (self->workspace, task_data, &error);

  if (error != NULL)
    g_debug ("Could not check what %s sent: %s", self->url, error->message);
  g_task_return_int (task, forged);
}

static void
forgeries_counted_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GlsPeer *self = GLS_PEER (source);
  gssize forged = g_task_propagate_int (G_TASK (result), NULL);

  if (forged > 0)
    {
      self->forged += forged;
      g_object_notify_by_pspec (G_OBJECT (self), peer_properties[PEER_PROP_FORGED]);
    }
}

static void
revisions_pulled_cb (GlsReplicator *replicator,
                     JsonObject    *revisions,
                     GlsPeer       *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, forgeries_counted_cb, NULL);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), revisions);
  g_autoptr(JsonNode) copy = json_node_copy (node);

  g_task_set_source_tag (task, revisions_pulled_cb);
  g_task_set_task_data (task, json_object_ref (json_node_get_object (copy)),
                        (GDestroyNotify) json_object_unref);
  g_task_run_in_thread (task, count_forgeries_thread);
}

static void
side_start (GlsPeer                *self,
            Side                   *side,
            GlsReplicatorDirection  direction)
{
  RunData *run;

  side_clear (self, side);
  side->replicator = gls_replicator_new (self->store, self->link, direction);
  gls_replicator_set_continuous (side->replicator, TRUE);
  /* Offline peers are the normal case: keep trying, say OFFLINE meanwhile. */
  gls_replicator_set_max_retries (side->replicator, G_MAXUINT);
  g_signal_connect (side->replicator, "notify", G_CALLBACK (replicator_notify_cb), self);
  if (direction == GLS_REPLICATOR_DIRECTION_PULL)
    g_signal_connect (side->replicator, "revisions-pulled", G_CALLBACK (revisions_pulled_cb), self);
  side->running = TRUE;

  run = g_new0 (RunData, 1);
  run->peer = g_object_ref (self);
  run->replicator = g_object_ref (side->replicator);
  gls_replicator_run_async (side->replicator, self->cancellable, run_cb, run);
}

static void
peer_stop (GlsPeer *self)
{
  self->stopped = TRUE;
  if (self->restart_id != 0)
    {
      GSource *source = g_main_context_find_source_by_id (self->context, self->restart_id);

      if (source != NULL)
        g_source_destroy (source);
      self->restart_id = 0;
    }
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  side_clear (self, &self->pull);
  side_clear (self, &self->push);
}

static void
peer_start (GlsPeer *self)
{
  peer_stop (self);
  self->stopped = FALSE;
  self->read_only = FALSE;
  self->cancellable = g_cancellable_new ();
  set_error_message (self, NULL);
  if (self->state == GLS_PEER_STATE_ERROR || self->state == GLS_PEER_STATE_OFFLINE)
    {
      self->state = GLS_PEER_STATE_CONNECTING;
      g_object_notify_by_pspec (G_OBJECT (self), peer_properties[PEER_PROP_STATE]);
    }
  side_start (self, &self->pull, GLS_REPLICATOR_DIRECTION_PULL);
  side_start (self, &self->push, GLS_REPLICATOR_DIRECTION_PUSH);
  update_counters (self);
  update_state (self);
}

static void
gls_peer_dispose (GObject *object)
{
  GlsPeer *self = GLS_PEER (object);

  peer_stop (self);

  G_OBJECT_CLASS (gls_peer_parent_class)->dispose (object);
}

static void
gls_peer_finalize (GObject *object)
{
  GlsPeer *self = GLS_PEER (object);

  g_free (self->link);
  g_free (self->url);
  g_free (self->label);
  g_free (self->error_message);
  g_clear_object (&self->store);
  g_clear_object (&self->workspace);
  g_clear_pointer (&self->last_synced, g_date_time_unref);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (gls_peer_parent_class)->finalize (object);
}

static void
gls_peer_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  GlsPeer *self = GLS_PEER (object);

  switch (prop_id)
    {
    case PEER_PROP_LINK: g_value_set_string (value, self->link); break;
    case PEER_PROP_URL: g_value_set_string (value, self->url); break;
    case PEER_PROP_LABEL: g_value_set_string (value, self->label); break;
    case PEER_PROP_STATE: g_value_set_enum (value, self->state); break;
    case PEER_PROP_ERROR_MESSAGE: g_value_set_string (value, self->error_message); break;
    case PEER_PROP_DOCS_READ: g_value_set_int64 (value, self->docs_read); break;
    case PEER_PROP_DOCS_WRITTEN: g_value_set_int64 (value, self->docs_written); break;
    case PEER_PROP_PENDING: g_value_set_int64 (value, self->pending); break;
    case PEER_PROP_LAST_SYNCED: g_value_set_boxed (value, self->last_synced); break;
    case PEER_PROP_FORGED: g_value_set_uint (value, self->forged); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_peer_class_init (GlsPeerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = gls_peer_dispose;
  object_class->finalize = gls_peer_finalize;
  object_class->get_property = gls_peer_get_property;

  peer_properties[PEER_PROP_LINK] = g_param_spec_string ("link", NULL, NULL, NULL, ro);
  peer_properties[PEER_PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, ro);
  peer_properties[PEER_PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, ro);
  peer_properties[PEER_PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, GLS_TYPE_PEER_STATE, GLS_PEER_STATE_CONNECTING, ro);
  peer_properties[PEER_PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL, ro);
  peer_properties[PEER_PROP_DOCS_READ] =
    g_param_spec_int64 ("docs-read", NULL, NULL, 0, G_MAXINT64, 0, ro);
  peer_properties[PEER_PROP_DOCS_WRITTEN] =
    g_param_spec_int64 ("docs-written", NULL, NULL, 0, G_MAXINT64, 0, ro);
  peer_properties[PEER_PROP_PENDING] =
    g_param_spec_int64 ("pending", NULL, NULL, 0, G_MAXINT64, 0, ro);
  peer_properties[PEER_PROP_LAST_SYNCED] =
    g_param_spec_boxed ("last-synced", NULL, NULL, G_TYPE_DATE_TIME, ro);
  peer_properties[PEER_PROP_FORGED] =
    g_param_spec_uint ("forged", NULL, NULL, 0, G_MAXUINT, 0, ro);

  g_object_class_install_properties (object_class, PEER_N_PROPS, peer_properties);
}

static void
gls_peer_init (GlsPeer *self)
{
  self->state = GLS_PEER_STATE_CONNECTING;
  self->stopped = TRUE;
  self->context = g_main_context_ref_thread_default ();
}

/* `link` must have passed gls_peer_link_dup_workspace_name. */
static GlsPeer *
gls_peer_new (GlsWorkspace *workspace,
              const char   *link)
{
  GlsPeer *self = g_object_new (GLS_TYPE_PEER, NULL);
  g_autoptr(GUri) uri = g_uri_parse (link, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GUri) clean = NULL;
  g_autofree char *name = gls_peer_link_dup_workspace_name (link, NULL);
  g_autofree char *url = NULL;
  g_autofree char *host = NULL;

  g_assert (uri != NULL && name != NULL);
  self->workspace = g_object_ref (workspace);
  self->store = g_object_ref (gls_workspace_get_store (workspace));
  self->link = g_strdup (link);
  clean = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL,
                       g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri),
                       NULL, NULL);
  url = g_uri_to_string (clean);
  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  self->url = g_steal_pointer (&url);

  /* "host:port/db", the way people say where a peer is. */
  host = strchr (g_uri_get_host (uri), ':') != NULL
    ? g_strdup_printf ("[%s]", g_uri_get_host (uri)) : g_strdup (g_uri_get_host (uri));
  if (g_uri_get_port (uri) > 0)
    self->label = g_strdup_printf ("%s:%d/%s", host, g_uri_get_port (uri), name);
  else
    self->label = g_strdup_printf ("%s/%s", host, name);
  return self;
}

const char *
gls_peer_get_link (GlsPeer *self)
{
  g_return_val_if_fail (GLS_IS_PEER (self), NULL);
  return self->link;
}

const char *
gls_peer_get_url (GlsPeer *self)
{
  g_return_val_if_fail (GLS_IS_PEER (self), NULL);
  return self->url;
}

const char *
gls_peer_get_label (GlsPeer *self)
{
  g_return_val_if_fail (GLS_IS_PEER (self), NULL);
  return self->label;
}

GlsPeerState
gls_peer_get_state (GlsPeer *self)
{
  g_return_val_if_fail (GLS_IS_PEER (self), GLS_PEER_STATE_ERROR);
  return self->state;
}

const char *
gls_peer_get_error_message (GlsPeer *self)
{
  g_return_val_if_fail (GLS_IS_PEER (self), NULL);
  return self->error_message;
}

gint64
gls_peer_get_docs_read (GlsPeer *self)
{
  g_return_val_if_fail (GLS_IS_PEER (self), 0);
  return self->docs_read;
}

gint64
gls_peer_get_docs_written (GlsPeer *self)
{
  g_return_val_if_fail (GLS_IS_PEER (self), 0);
  return self->docs_written;
}

gint64
gls_peer_get_pending (GlsPeer *self)
{
  g_return_val_if_fail (GLS_IS_PEER (self), 0);
  return self->pending;
}

GDateTime *
gls_peer_get_last_synced (GlsPeer *self)
{
  g_return_val_if_fail (GLS_IS_PEER (self), NULL);
  return self->last_synced;
}

guint
gls_peer_get_forged (GlsPeer *self)
{
  g_return_val_if_fail (GLS_IS_PEER (self), 0);

  return self->forged;
}

void
gls_peer_retry (GlsPeer *self)
{
  g_return_if_fail (GLS_IS_PEER (self));
  peer_start (self);
}

char *
gls_peer_link_dup_workspace_name (const char  *link,
                                  GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  const char *scheme;
  const char *slash;

  g_return_val_if_fail (link != NULL, NULL);

  uri = g_uri_parse (link, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a link such as http://peer:KEY@host:5985/default"), link);
      return NULL;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an http or https link"), link);
      return NULL;
    }
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” names no computer"), link);
      return NULL;
    }
  {
    g_autoptr(GError) pin_error = NULL;
    g_autofree char *pin = gls_tls_link_dup_pin (link, &pin_error);

    if (pin_error != NULL)
      {
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, pin_error->message);
        return NULL;
      }
    if (pin != NULL && g_ascii_strcasecmp (scheme, "https") != 0)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     _("“%s” pins a certificate, so it must start with https://"), link);
        return NULL;
      }
  }
  path = g_strdup (g_uri_get_path (uri));
  while (g_str_has_suffix (path, "/"))
    path[strlen (path) - 1] = '\0';
  slash = strrchr (path, '/');
  if (slash == NULL || slash[1] == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” names no workspace: it should end with one, as in http://host:5985/default"),
                   link);
      return NULL;
    }
  name = g_uri_unescape_string (slash + 1, NULL);
  if (name == NULL || !gls_workspace_name_is_valid (name))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a workspace name: use lowercase letters, digits and _$()+-/, starting with a letter"),
                   name != NULL ? name : slash + 1);
      return NULL;
    }
  return g_steal_pointer (&name);
}

/* ---------------------------------------------------------------------------
 * GlsPeerList
 */

struct _GlsPeerList
{
  GObject       parent_instance;

  GlsWorkspace *workspace;
  GPtrArray    *peers;
  gboolean      shut_down;
};

static void gls_peer_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GlsPeerList, gls_peer_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, gls_peer_list_model_init))

enum {
  LIST_PROP_0,
  LIST_PROP_WORKSPACE,
  LIST_PROP_N_ITEMS,
  LIST_N_PROPS
};

static GParamSpec *list_properties[LIST_N_PROPS];

static GType
gls_peer_list_get_item_type (GListModel *model)
{
  return GLS_TYPE_PEER;
}

static guint
gls_peer_list_get_n_items (GListModel *model)
{
  return GLS_PEER_LIST (model)->peers->len;
}

static gpointer
gls_peer_list_get_item (GListModel *model,
                        guint       position)
{
  GlsPeerList *self = GLS_PEER_LIST (model);

  if (position >= self->peers->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->peers, position));
}

static void
gls_peer_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = gls_peer_list_get_item_type;
  iface->get_n_items = gls_peer_list_get_n_items;
  iface->get_item = gls_peer_list_get_item;
}

static char *
peers_path (GlsPeerList *self)
{
  return g_build_filename (gls_workspace_get_data_dir (self->workspace), PEERS_FILE, NULL);
}

static char *
peers_group (GlsPeerList *self)
{
  return g_strconcat ("workspace ", gls_workspace_get_name (self->workspace), NULL);
}

/* Rewrites this workspace's group of peers.ini, keeping the others'. */
static gboolean
peers_save (GlsPeerList  *self,
            GError      **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = peers_path (self);
  g_autofree char *group = peers_group (self);
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) links = g_ptr_array_new ();
  gsize length;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, &local_error)
      && !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not read “%s”: %s"), path, local_error->message);
      return FALSE;
    }
  g_clear_error (&local_error);
  for (guint i = 0; i < self->peers->len; i++)
    g_ptr_array_add (links, (gpointer) gls_peer_get_link (g_ptr_array_index (self->peers, i)));
  if (links->len > 0)
    g_key_file_set_string_list (file, group, "links",
                                (const char *const *) links->pdata, links->len);
  else
    g_key_file_remove_group (file, group, NULL);

  text = g_key_file_to_data (file, &length, NULL);
  if (!g_file_set_contents_full (path, text, length, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0600, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not save the list of peers: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

static void
peers_load (GlsPeerList *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = peers_path (self);
  g_autofree char *group = peers_group (self);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) links = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_warning ("Could not read %s: %s", path, error->message);
      return;
    }
  links = g_key_file_get_string_list (file, group, "links", NULL, NULL);
  for (guint i = 0; links != NULL && links[i] != NULL; i++)
    {
      g_autofree char *name = gls_peer_link_dup_workspace_name (links[i], &error);

      if (name == NULL)
        {
          g_warning ("Skipping a peer of %s: %s", path, error->message);
          g_clear_error (&error);
          continue;
        }
      g_ptr_array_add (self->peers, gls_peer_new (self->workspace, links[i]));
    }
}

static void
gls_peer_list_constructed (GObject *object)
{
  GlsPeerList *self = GLS_PEER_LIST (object);

  G_OBJECT_CLASS (gls_peer_list_parent_class)->constructed (object);

  g_assert (self->workspace != NULL);
  peers_load (self);
  for (guint i = 0; i < self->peers->len; i++)
    peer_start (g_ptr_array_index (self->peers, i));
}

static void
gls_peer_list_dispose (GObject *object)
{
  GlsPeerList *self = GLS_PEER_LIST (object);

  for (guint i = 0; i < self->peers->len; i++)
    peer_stop (g_ptr_array_index (self->peers, i));
  g_ptr_array_set_size (self->peers, 0);
  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (gls_peer_list_parent_class)->dispose (object);
}

static void
gls_peer_list_finalize (GObject *object)
{
  GlsPeerList *self = GLS_PEER_LIST (object);

  g_ptr_array_unref (self->peers);

  G_OBJECT_CLASS (gls_peer_list_parent_class)->finalize (object);
}

static void
gls_peer_list_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GlsPeerList *self = GLS_PEER_LIST (object);

  switch (prop_id)
    {
    case LIST_PROP_WORKSPACE: g_value_set_object (value, self->workspace); break;
    case LIST_PROP_N_ITEMS: g_value_set_uint (value, self->peers->len); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_peer_list_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GlsPeerList *self = GLS_PEER_LIST (object);

  switch (prop_id)
    {
    case LIST_PROP_WORKSPACE: self->workspace = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_peer_list_class_init (GlsPeerListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = gls_peer_list_constructed;
  object_class->dispose = gls_peer_list_dispose;
  object_class->finalize = gls_peer_list_finalize;
  object_class->get_property = gls_peer_list_get_property;
  object_class->set_property = gls_peer_list_set_property;

  list_properties[LIST_PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL, GLS_TYPE_WORKSPACE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  list_properties[LIST_PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, LIST_N_PROPS, list_properties);
}

static void
gls_peer_list_init (GlsPeerList *self)
{
  self->peers = g_ptr_array_new_with_free_func (g_object_unref);
}

GlsPeerList *
gls_peer_list_new (GlsWorkspace *workspace)
{
  g_return_val_if_fail (GLS_IS_WORKSPACE (workspace), NULL);

  return g_object_new (GLS_TYPE_PEER_LIST, "workspace", workspace, NULL);
}

GlsWorkspace *
gls_peer_list_get_workspace (GlsPeerList *self)
{
  g_return_val_if_fail (GLS_IS_PEER_LIST (self), NULL);
  return self->workspace;
}

static void
items_changed (GlsPeerList *self,
               guint        position,
               guint        removed,
               guint        added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), list_properties[LIST_PROP_N_ITEMS]);
}

GlsPeer *
gls_peer_list_add (GlsPeerList  *self,
                   const char   *link,
                   GError      **error)
{
  g_autofree char *name = NULL;
  g_autofree char *trimmed = NULL;
  g_autoptr(GlsPeer) peer = NULL;
  GlsPeer *old = NULL;
  guint old_position = 0;

  g_return_val_if_fail (GLS_IS_PEER_LIST (self), NULL);
  g_return_val_if_fail (link != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  trimmed = g_strstrip (g_strdup (link));
  if (!(name = gls_peer_link_dup_workspace_name (trimmed, error)))
    return NULL;

  peer = gls_peer_new (self->workspace, trimmed);
  for (guint i = 0; i < self->peers->len; i++)
    {
      GlsPeer *other = g_ptr_array_index (self->peers, i);

      if (g_str_equal (gls_peer_get_link (other), trimmed))
        return other;
      /* Same database with another key: the new link replaces it. */
      if (g_str_equal (gls_peer_get_url (other), gls_peer_get_url (peer)))
        {
          old = other;
          old_position = i;
        }
    }

  if (old != NULL)
    {
      peer_stop (old);
      g_ptr_array_index (self->peers, old_position) = g_object_ref (peer);
      g_object_unref (old);
      if (!peers_save (self, error))
        {
          g_ptr_array_remove_index (self->peers, old_position);
          items_changed (self, old_position, 1, 0);
          return NULL;
        }
      if (!self->shut_down)
        peer_start (peer);
      items_changed (self, old_position, 1, 1);
      return peer;
    }

  g_ptr_array_add (self->peers, g_object_ref (peer));
  if (!peers_save (self, error))
    {
      g_ptr_array_remove_index (self->peers, self->peers->len - 1);
      return NULL;
    }
  if (!self->shut_down)
    peer_start (peer);
  items_changed (self, self->peers->len - 1, 0, 1);
  return peer;
}

void
gls_peer_list_remove (GlsPeerList *self,
                      GlsPeer     *peer)
{
  g_autoptr(GError) error = NULL;
  guint position;

  g_return_if_fail (GLS_IS_PEER_LIST (self));
  g_return_if_fail (GLS_IS_PEER (peer));

  if (!g_ptr_array_find (self->peers, peer, &position))
    return;
  peer_stop (peer);
  g_ptr_array_remove_index (self->peers, position);
  if (!peers_save (self, &error))
    g_warning ("%s", error->message);
  items_changed (self, position, 1, 0);
}

void
gls_peer_list_shutdown (GlsPeerList *self)
{
  g_return_if_fail (GLS_IS_PEER_LIST (self));

  self->shut_down = TRUE;
  for (guint i = 0; i < self->peers->len; i++)
    peer_stop (g_ptr_array_index (self->peers, i));
}
