/* gls-link-check.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-link-check"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "gls-endpoint-http-private.h"
#include "gls-link-check.h"
#include "gls-peer.h"
#include "gls-replicator.h"
#include "gls-tls.h"

static guint check_timeout_s = 15;

typedef struct
{
  char *link;
  char *db_path;   /* "/board", encoded, from the server root */
} Check;

static void
check_free (Check *check)
{
  g_free (check->link);
  g_free (check->db_path);
  g_free (check);
}

void
gls_peer_link_check_set_timeout (guint seconds)
{
  check_timeout_s = MAX (seconds, 1);
}

/* The error as the person should read it. */
static GError *
describe (GlsEndpointHttp *endpoint,
          const char      *link,
          const GError    *error)
{
  g_autofree char *message = NULL;
  int code = error->domain == GLS_REPLICATOR_ERROR ? error->code : GLS_REPLICATOR_ERROR_FAILED;

  if (error->domain == GLS_REPLICATOR_ERROR)
    switch (error->code)
      {
      case GLS_REPLICATOR_ERROR_CERTIFICATE:
        {
          g_autofree char *pin = gls_tls_link_dup_pin (link, NULL);
          const char *seen = gls_endpoint_http_get_peer_pin (endpoint);

          if (pin != NULL && seen != NULL)
            /* Translators: the first %s is the certificate the peer showed, the second
             * the one in the link, both like sha256:5WpJBjOp8UU8DofoLrxNoQ7TuFQOThC6n9zp7OFOvN0 */
            message = g_strdup_printf (_("The peer’s certificate %s is not the one the link pins, %s: "
                                         "someone may be in between, or the peer has a new "
                                         "certificate and must send a new link"), seen, pin);
          else if (pin != NULL)
            message = g_strdup_printf (_("This link’s certificate pin cannot be used (%s)"), error->message);
          else
            message = g_strdup_printf (_("The peer’s certificate is not trusted (%s)"), error->message);
          break;
        }
      case GLS_REPLICATOR_ERROR_UNAUTHORIZED:
        message = g_strdup (_("The peer refused the access key"));
        break;
      case GLS_REPLICATOR_ERROR_FORBIDDEN:
        message = g_strdup (_("The peer does not let this access key read this workspace"));
        break;
      case GLS_REPLICATOR_ERROR_NOT_FOUND:
        message = g_strdup (_("This workspace does not exist on the peer"));
        break;
      case GLS_REPLICATOR_ERROR_PROTOCOL:
        message = g_strdup_printf (_("This link does not lead to a Glossa or CouchDB peer (%s)"),
                                   error->message);
        break;
      case GLS_REPLICATOR_ERROR_NETWORK:
        message = g_strdup_printf (_("Cannot reach the peer (%s)"), error->message);
        break;
      default:
        message = g_strdup_printf (_("The peer answered with an error (%s)"), error->message);
        break;
      }
  else
    message = g_strdup_printf (_("Cannot reach the peer (%s)"), error->message);
  return g_error_new_literal (GLS_REPLICATOR_ERROR, code, message);
}

static void
fail (GTask        *task,
      const GError *error)
{
  Check *check = g_task_get_task_data (task);

  g_task_return_error (task, describe (g_task_get_source_object (task), check->link, error));
}

static void
db_cb (GObject      *source,
       GAsyncResult *result,
       gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;

  json = _gls_endpoint_http_finish (result, &status, &error);
  if (json == NULL)
    return fail (task, error);
  if (status != 200)
    {
      g_autoptr(GError) refused = _gls_endpoint_http_status_error (status, json, "GET the database");

      return fail (task, refused);
    }
  if (!JSON_NODE_HOLDS_OBJECT (json))
    {
      g_autoptr(GError) odd = g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                                           "its database is not described in JSON");

      return fail (task, odd);
    }
  g_task_return_boolean (task, TRUE);
}

static void
root_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr(GTask) task = data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;
  JsonObject *root;

  json = _gls_endpoint_http_finish (result, &status, &error);
  if (json == NULL)
    return fail (task, error);
  if (status == 401 || status == 403)
    {
      g_autoptr(GError) refused = _gls_endpoint_http_status_error (status, json, "GET /");

      return fail (task, refused);
    }
  /* CouchDB says {"couchdb":"Welcome",…}, PouchDB Server
   * {"express-pouchdb":"Welcome",…}, Glossa as CouchDB does. */
  root = JSON_NODE_HOLDS_OBJECT (json) ? json_node_get_object (json) : NULL;
  if (status != 200 || root == NULL ||
      !(json_object_has_member (root, "couchdb") || json_object_has_member (root, "express-pouchdb")))
    {
      g_autoptr(GError) odd = g_error_new (GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                                           "its server answers HTTP %u, but not as CouchDB does", status);

      return fail (task, odd);
    }
  _gls_endpoint_http_request (g_task_get_source_object (task), "GET", check->db_path, NULL,
                              g_task_get_cancellable (task), db_cb, g_object_ref (task));
}

void
gls_peer_link_check_async (const char          *link,
                           const char          *asker_did,
                           const char          *asker_name,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GlsEndpointHttp) endpoint = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *root_text = NULL;
  Check *check;
  char *slash;

  g_return_if_fail (link != NULL);

  /* What the link is for is checked first, without the network. */
  name = gls_peer_link_dup_workspace_name (link, &error);
  uri = name != NULL ? g_uri_parse (link, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, &error) : NULL;
  if (uri == NULL)
    {
      task = g_task_new (NULL, cancellable, callback, user_data);
      g_task_set_source_tag (task, gls_peer_link_check_async);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s", error->message);
      return;
    }

  /* The server root is the link's path without its last segment: a
   * CouchDB behind a proxy at /couch/board has its root at /couch. */
  path = g_strdup (g_uri_get_path (uri));
  while (g_str_has_suffix (path, "/"))
    path[strlen (path) - 1] = '\0';
  slash = strrchr (path, '/');
  g_assert (slash != NULL);
  check = g_new0 (Check, 1);
  check->link = g_strdup (link);
  check->db_path = g_strdup (slash);
  *slash = '\0';
  root = g_uri_build_with_user (G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri),
                                g_uri_get_user (uri), g_uri_get_password (uri), NULL,
                                g_uri_get_host (uri), g_uri_get_port (uri), path, NULL,
                                g_uri_get_fragment (uri));
  root_text = g_uri_to_string (root);

  endpoint = gls_endpoint_http_new (root_text);
  gls_endpoint_http_set_max_retries (endpoint, 0);
  gls_endpoint_http_set_timeout (endpoint, check_timeout_s);
  gls_endpoint_http_set_identity (endpoint, asker_did, asker_name);
  task = g_task_new (endpoint, cancellable, callback, user_data);
  g_task_set_source_tag (task, gls_peer_link_check_async);
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);
  _gls_endpoint_http_request (endpoint, "GET", "", NULL, cancellable, root_cb, g_steal_pointer (&task));
}

gboolean
gls_peer_link_check_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gls_peer_link_check_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
