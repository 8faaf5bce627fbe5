/* gls-peer.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-peer"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "gls-peer.h"
#include "gls-peer-private.h"
#include "gls-replicator.h"
#include "gls-tls.h"

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
  _gls_peer_start (self);
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
  gls_replicator_set_identity (side->replicator, gls_workspace_get_did (self->workspace),
                               gls_workspace_get_display_name (self->workspace));
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

void
_gls_peer_stop (GlsPeer *self)
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

void
_gls_peer_start (GlsPeer *self)
{
  _gls_peer_stop (self);
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

  _gls_peer_stop (self);

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
GlsPeer *
_gls_peer_new (GlsWorkspace *workspace,
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
  _gls_peer_start (self);
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
