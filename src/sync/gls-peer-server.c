/* gls-peer-server.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE  /* memmem */
#define G_LOG_DOMAIN "gls-peer-server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <gio/gnetworking.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "gls-peer-server.h"
#include "gls-multipart-sink.h"
#include "gls-store-selector.h"

#define DEFAULT_LONGPOLL_TIMEOUT_MS 60000
#define DEFAULT_HEARTBEAT_MS        60000
/* CouchDB's max_document_size: a body without its attachment data */
#define MAX_DOC_SIZE                8000000

struct _GlsPeerServer
{
  GObject         parent_instance;

  char           *uuid;
  char           *address;
  SoupServer     *server;
  GTlsCertificate *tls_certificate; /* HTTPS when set */
  guint           port;
  gsize           max_body_size;
  GHashTable     *databases;   /* name -> GlsStore */
  GHashTable     *keys;        /* name -> Keys */
  GHashTable     *sessions;    /* cookie token -> Session (POST /_session) */
  GList          *longpolls;   /* LongPoll */

  /* Connections are accepted here, not by SoupServer: see "Connections". */
  GSocket        *listener;
  GSource        *accept_source;
  GSource        *accept_pause;
  GSource        *sweep;
  GHashTable     *connections; /* remote GSocketAddress -> Connection */
  int             spare_fd;    /* given up to refuse a peer at the fd limit */
  guint           idle_timeout;
  guint           headers_timeout;

  GlsPeerServerCreateFunc create_func;
  gpointer        create_data;
  GDestroyNotify  create_destroy;
};

G_DEFINE_FINAL_TYPE (GlsPeerServer, gls_peer_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_UUID,
  PROP_PORT,
  PROP_MAX_BODY_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (gls-peer-server-error-quark, gls_peer_server_error)

/* Access keys of one database. */

typedef struct
{
  char *key;            /* reads and writes */
  char *read_only_key;  /* reads, or NULL */
} Keys;

static void
keys_free (Keys *keys)
{
  g_free (keys->key);
  g_free (keys->read_only_key);
  g_free (keys);
}

typedef enum
{
  ACCESS_NONE,
  ACCESS_READ,
  ACCESS_WRITE,
} Access;

/* Replies: built on any thread, applied to the message on the server's. */

typedef struct
{
  guint   status;
  char   *content_type;
  GBytes *body;
  char   *allow;
  gboolean close;
  GPtrArray *segments;    /* or the body is these Segments, in order */
} Reply;

/* A piece of a body: bytes, or `length` bytes of a stream (a file). */
typedef struct
{
  GBytes       *bytes;
  GInputStream *stream;
  gint64        length;
} Segment;

static void
segment_free (Segment *segment)
{
  g_clear_pointer (&segment->bytes, g_bytes_unref);
  g_clear_object (&segment->stream);
  g_free (segment);
}

static Segment *
segment_new_bytes (GBytes *bytes)
{
  Segment *segment = g_new0 (Segment, 1);

  segment->bytes = bytes;
  segment->length = (gint64) g_bytes_get_size (bytes);
  return segment;
}

static Segment *
segment_new_stream (GInputStream *stream,
                    gint64        length)
{
  Segment *segment = g_new0 (Segment, 1);

  segment->stream = stream;
  segment->length = length;
  return segment;
}

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->content_type, g_free);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->allow, g_free);
  g_clear_pointer (&reply->segments, g_ptr_array_unref);
}

/* A body sent from segments, some of them files: each file is read
 * (asynchronously) a piece after the last piece is written, so a design
 * of any size takes one piece of memory. */
#define STREAM_PIECE (256 * 1024)

typedef struct
{
  SoupServerMessage *msg;       /* until finished or disconnected */
  GPtrArray         *segments;
  guint              index;     /* the segment being sent */
  gint64             left;      /* of it, for a stream */
  GCancellable      *cancellable;
  gboolean           reading;
  gboolean           done;
  gulong             wrote_id;
  gulong             finished_id;
  gulong             disconnected_id;
  guint              refs;  /* the message's and a read's */
} StreamReply;

static void
stream_reply_unref (StreamReply *sr)
{
  if (--sr->refs > 0)
    return;
  g_ptr_array_unref (sr->segments);
  g_object_unref (sr->cancellable);
  g_free (sr);
}

static void
stream_reply_end (StreamReply *sr)
{
  sr->done = TRUE;
  soup_message_body_complete (soup_server_message_get_response_body (sr->msg));
}

static void stream_reply_next (StreamReply *sr);

static void
stream_reply_read_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      data)
{
  StreamReply *sr = data;
  g_autoptr(GBytes) piece = NULL;
  g_autoptr(GError) error = NULL;

  sr->reading = FALSE;
  piece = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (sr->msg == NULL)
    {
      stream_reply_unref (sr);  /* the message is gone */
      return;
    }
  if (piece == NULL || g_bytes_get_size (piece) == 0 || (gint64) g_bytes_get_size (piece) > sr->left)
    {
      /* A file that changed under us: what Content-Length promised
       * cannot all come; the client sees a short body. */
      g_warning ("An attachment's file could not be sent whole: %s",
                 error != NULL ? error->message : "its size changed");
      stream_reply_end (sr);
    }
  else
    {
      sr->left -= (gint64) g_bytes_get_size (piece);
      soup_message_body_append_bytes (soup_server_message_get_response_body (sr->msg), piece);
      if (sr->left == 0)
        sr->index++;
    }
  soup_server_message_unpause (sr->msg);
  stream_reply_unref (sr);
}

/* Appends what follows: bytes up to the next file, then one piece of it. */
static void
stream_reply_next (StreamReply *sr)
{
  SoupMessageBody *body;

  if (sr->reading || sr->done || sr->msg == NULL)
    return;
  body = soup_server_message_get_response_body (sr->msg);
  while (sr->index < sr->segments->len)
    {
      Segment *segment = g_ptr_array_index (sr->segments, sr->index);

      if (segment->bytes != NULL)
        {
          soup_message_body_append_bytes (body, segment->bytes);
          sr->index++;
          continue;
        }
      if (segment->length == 0)
        {
          sr->index++;
          continue;
        }
      if (sr->left == 0)
        sr->left = segment->length;
      sr->reading = TRUE;
      sr->refs++;
      g_input_stream_read_bytes_async (segment->stream, (gsize) MIN (sr->left, STREAM_PIECE),
                                       G_PRIORITY_DEFAULT, sr->cancellable, stream_reply_read_cb, sr);
      return;
    }
  stream_reply_end (sr);
  soup_server_message_unpause (sr->msg);
}

static void
stream_reply_wrote_cb (SoupServerMessage *msg,
                       StreamReply       *sr)
{
  stream_reply_next (sr);
}

/* The answer went out, or the message was dropped (a server closing
 * drops it with "disconnected" and no "finished"): no more pieces. */
static void
stream_reply_finished_cb (SoupServerMessage *msg,
                          StreamReply       *sr)
{
  if (sr->msg == NULL)
    return;
  g_signal_handler_disconnect (msg, sr->wrote_id);
  g_signal_handler_disconnect (msg, sr->finished_id);
  g_signal_handler_disconnect (msg, sr->disconnected_id);
  g_cancellable_cancel (sr->cancellable);
  g_clear_object (&sr->msg);
  stream_reply_unref (sr);
}

static void
stream_reply_start (SoupServerMessage *msg,
                    GPtrArray         *segments)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  StreamReply *sr;
  gint64 length = 0;

  for (guint i = 0; i < segments->len; i++)
    length += ((Segment *) g_ptr_array_index (segments, i))->length;
  soup_message_headers_set_content_length (headers, length);
  soup_message_body_set_accumulate (body, FALSE);
  if (length == 0 || g_str_equal (soup_server_message_get_method (msg), "HEAD"))
    {
      soup_message_body_complete (body);
      return;
    }
  sr = g_new0 (StreamReply, 1);
  sr->msg = g_object_ref (msg);
  sr->segments = g_ptr_array_ref (segments);
  sr->cancellable = g_cancellable_new ();
  sr->refs = 1;
  sr->wrote_id = g_signal_connect (msg, "wrote-chunk", G_CALLBACK (stream_reply_wrote_cb), sr);
  sr->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (stream_reply_finished_cb), sr);
  sr->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (stream_reply_finished_cb), sr);
  stream_reply_next (sr);
}

/* A reply whose body is `segments` (taken). */
static void
reply_segments (Reply      *reply,
                guint       status,
                const char *content_type,
                GPtrArray  *segments)
{
  reply_clear (reply);
  reply->status = status;
  reply->content_type = g_strdup (content_type);
  reply->segments = segments;
}

static void
reply_apply (Reply             *reply,
             SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, reply->status, NULL);
  if (reply->allow != NULL)
    soup_message_headers_replace (headers, "Allow", reply->allow);
  if (reply->close)
    soup_message_headers_replace (headers, "Connection", "close");
  if (reply->body != NULL)
    {
      soup_message_headers_set_content_type (headers, reply->content_type, NULL);
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg), reply->body);
    }
  else if (reply->segments != NULL)
    {
      soup_message_headers_set_content_type (headers, reply->content_type, NULL);
      stream_reply_start (msg, reply->segments);
    }
}

static void
reply_bytes (Reply      *reply,
             guint       status,
             const char *content_type,
             GBytes     *bytes)
{
  reply_clear (reply);
  reply->status = status;
  reply->content_type = g_strdup (content_type);
  reply->body = g_bytes_ref (bytes);
}

static void
reply_json (Reply    *reply,
            guint     status,
            JsonNode *node)
{
  gsize length = 0;
  char *text = gls_json_to_string (node);
  g_autoptr(GBytes) bytes = NULL;

  length = strlen (text);
  text = g_realloc (text, length + 2);
  text[length++] = '\n';
  text[length] = '\0';
  bytes = g_bytes_new_take (text, length);
  reply_bytes (reply, status, "application/json", bytes);
}

static void
reply_object (Reply             *reply,
              guint              status,
              JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  reply_json (reply, status, node);
}

static void
reply_array (Reply             *reply,
             guint              status,
             JsonArray         *array)
{
  g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), array);

  reply_json (reply, status, node);
}

static void
reply_error (Reply             *reply,
             guint              status,
             const char        *error,
             const char        *reason)
{
  g_autoptr(JsonObject) object = json_object_new ();
  /* A reason may quote the request (a rev from the query), which need
   * not be UTF-8: the answer must be JSON all the same. */
  g_autofree char *valid = g_utf8_make_valid (reason, -1);

  json_object_set_string_member (object, "error", error);
  json_object_set_string_member (object, "reason", valid);
  reply_object (reply, status, object);
}

static void
reply_ok (Reply             *reply,
          guint              status)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_boolean_member (object, "ok", TRUE);
  reply_object (reply, status, object);
}

static void
reply_gerror (Reply             *reply,
              const GError      *error)
{
  if (error->domain == GLS_STORE_ERROR)
    switch (error->code)
      {
      case GLS_STORE_ERROR_NOT_FOUND:
        reply_error (reply, SOUP_STATUS_NOT_FOUND, "not_found", error->message);
        return;
      case GLS_STORE_ERROR_CONFLICT:
        reply_error (reply, SOUP_STATUS_CONFLICT, "conflict", "Document update conflict.");
        return;
      case GLS_STORE_ERROR_BAD_REQUEST:
        reply_error (reply, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
        return;
      case GLS_STORE_ERROR_MISSING_STUB:
        reply_error (reply, SOUP_STATUS_PRECONDITION_FAILED, "missing_stub", error->message);
        return;
      default:
        break;
      }
  g_warning ("%s", error->message);
  reply_error (reply, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_server_error", error->message);
}

static void
reply_bad_request (Reply             *reply,
                   const char        *reason)
{
  reply_error (reply, SOUP_STATUS_BAD_REQUEST, "bad_request", reason);
}

static void
reply_method_not_allowed (Reply             *reply,
                          const char        *allowed)
{
  g_autofree char *reason = g_strdup_printf ("Only %s allowed", allowed);

  reply_error (reply, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", reason);
  reply->allow = g_strdup (allowed);
}

/* Requests */

typedef struct
{
  GlsPeerServer     *self;
  SoupServerMessage *msg;         /* touched on the server's thread only */
  gulong             finished_id;
  gulong             disconnected_id;
  gboolean           finished;    /* the client went away while we worked */
  char              *method;
  GBytes            *body;
  GHashTable        *query;       /* decoded, may be NULL */
  char              *db_name;
  GlsStore          *store;
  char             **segments;    /* decoded path segments after the db */
  guint              n_segments;
  Reply              reply;

  /* A longpoll that found nothing waits on the server's thread. */
  gboolean           wait;
  gint64             since;
  gint64             limit;
  gint64             timeout;
  gint64             heartbeat;
  gboolean           all_docs;
  gboolean           include_docs;
  GHashTable        *doc_ids;     /* filter=_doc_ids */
  GlsStoreSelector  *selector;    /* filter=_selector */
  gboolean           continuous;
  JsonObject        *first;       /* continuous: the rows already there */
  gboolean           accept_multipart;
  char              *content_type;
  GlsMultipartSink  *sink;        /* a multipart PUT, its parts in files */
} Request;

static void
request_free (Request *req)
{
  g_clear_signal_handler (&req->finished_id, req->msg);
  g_clear_signal_handler (&req->disconnected_id, req->msg);
  g_clear_object (&req->msg);
  g_clear_object (&req->self);
  g_clear_object (&req->store);
  g_clear_pointer (&req->method, g_free);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_clear_pointer (&req->db_name, g_free);
  g_clear_pointer (&req->segments, g_strfreev);
  reply_clear (&req->reply);
  g_clear_pointer (&req->first, json_object_unref);
  g_clear_pointer (&req->doc_ids, g_hash_table_unref);
  g_clear_pointer (&req->selector, gls_store_selector_unref);
  g_clear_pointer (&req->content_type, g_free);
  g_clear_pointer (&req->sink, gls_multipart_sink_free);
  g_free (req);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static const char *
query_get (Request    *req,
           const char *name)
{
  return req->query != NULL ? g_hash_table_lookup (req->query, name) : NULL;
}

/* A JSON query parameter (open_revs, atts_since, doc_ids); NULL if it is
 * not JSON or nested too deeply. */
static JsonNode *
query_json (const char *text)
{
  return gls_json_from_data (text, -1, NULL);
}

/* A boolean query parameter; FALSE with a 400 reply if malformed. */
static gboolean
query_bool (Request    *req,
            const char *name,
            gboolean   *value)
{
  const char *text = query_get (req, name);

  if (text == NULL)
    return TRUE;
  if (g_str_equal (text, "true"))
    *value = TRUE;
  else if (g_str_equal (text, "false"))
    *value = FALSE;
  else
    {
      g_autofree char *reason = g_strdup_printf ("Invalid boolean parameter: %s", name);

      reply_bad_request (&req->reply, reason);
      return FALSE;
    }
  return TRUE;
}

static gboolean
query_int (Request    *req,
           const char *name,
           gint64      min,
           gint64     *value)
{
  const char *text = query_get (req, name);
  gint64 parsed;

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_signed (text, 10, min, G_MAXINT64, &parsed, NULL))
    {
      g_autofree char *reason = g_strdup_printf ("Invalid integer parameter: %s", name);

      reply_bad_request (&req->reply, reason);
      return FALSE;
    }
  *value = parsed;
  return TRUE;
}

/* Parses the request body as JSON; NULL after a 400/413 reply. */
static JsonNode *
parse_body (Request      *req,
            JsonNodeType  expected)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  gsize length;
  const char *data;

  bytes = g_bytes_ref (req->body);
  data = g_bytes_get_data (bytes, &length);

  if (length > req->self->max_body_size)
    {
      reply_error (&req->reply, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                   "too_large", "the request entity is too large");
      return NULL;
    }
  /* The parser checks UTF-8 and nesting too (CouchDB's reason for all). */
  if (length == 0 || !(root = gls_json_from_data (data, length, &error)))
    {
      reply_bad_request (&req->reply, "invalid UTF-8 JSON");
      return NULL;
    }
  if (JSON_NODE_TYPE (root) != expected)
    {
      json_node_unref (root);
      reply_bad_request (&req->reply, expected == JSON_NODE_OBJECT ?
                         "Request body must be a JSON object" :
                         "Request body must be a JSON array");
      return NULL;
    }
  return root;
}

static gboolean
is_string_node (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
is_bool_node (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

/* Returns the strings of a JSON array node, or NULL if it is not one. */
static char **
string_array (JsonNode *node)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!is_string_node (element))
        return NULL;
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

/* GET / */

static void
handle_root (Request *req)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonObject *vendor;

  if (!g_str_equal (req->method, "GET") && !g_str_equal (req->method, "HEAD"))
    {
      reply_method_not_allowed (&req->reply, "GET,HEAD");
      return;
    }

  vendor = json_object_new ();
  json_object_set_string_member (root, "couchdb", "Welcome");
  json_object_set_string_member (root, "version", "3.3.3");
  json_object_set_string_member (root, "uuid", req->self->uuid);
  json_object_set_string_member (vendor, "name", "Glossa");
  json_object_set_string_member (vendor, "version", PACKAGE_VERSION);
  json_object_set_object_member (root, "vendor", vendor);
  reply_object (&req->reply, SOUP_STATUS_OK, root);
}

/* /{db} */

static void
handle_db_info (Request *req)
{
  g_autoptr(JsonObject) info = json_object_new ();
  JsonObject *sizes = json_object_new ();

  json_object_set_string_member (info, "db_name", req->db_name);
  json_object_set_int_member (info, "update_seq", gls_store_get_update_seq (req->store));
  json_object_set_string_member (info, "instance_start_time",
                                 gls_store_get_instance_start_time (req->store));
  json_object_set_int_member (info, "doc_count", gls_store_get_doc_count (req->store));
  json_object_set_int_member (info, "doc_del_count", gls_store_get_doc_del_count (req->store));
  json_object_set_int_member (info, "purge_seq", 0);
  json_object_set_boolean_member (info, "compact_running", FALSE);
  json_object_set_int_member (sizes, "active", 0);
  json_object_set_int_member (sizes, "external", 0);
  json_object_set_int_member (sizes, "file", 0);
  json_object_set_object_member (info, "sizes", sizes);
  reply_object (&req->reply, SOUP_STATUS_OK, info);
}

static void
handle_db_create (Request *req)
{
  g_autoptr(GlsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GlsPeerServer *self = req->self;

  if (req->store != NULL)
    {
      reply_error (&req->reply, SOUP_STATUS_PRECONDITION_FAILED, "file_exists",
                   "The database could not be created, the file already exists.");
      return;
    }
  if (self->create_func == NULL)
    {
      reply_error (&req->reply, SOUP_STATUS_FORBIDDEN, "forbidden",
                   "This peer does not create databases.");
      return;
    }
  store = self->create_func (self, req->db_name, self->create_data, &error);
  if (store == NULL)
    {
      reply_error (&req->reply, SOUP_STATUS_FORBIDDEN, "forbidden",
                   error != NULL ? error->message : "The database could not be created.");
      return;
    }
  if (!gls_peer_server_add_database (self, req->db_name, store, &error))
    {
      reply_gerror (&req->reply, error);
      return;
    }
  reply_ok (&req->reply, SOUP_STATUS_CREATED);
}

/* _local documents */

static void
handle_local (Request    *req,
              const char *id)
{
  g_autoptr(GError) error = NULL;

  if (g_str_equal (req->method, "GET") || g_str_equal (req->method, "HEAD"))
    {
      g_autoptr(JsonObject) doc = gls_store_get_local (req->store, id, &error);

      if (doc == NULL)
        reply_gerror (&req->reply, error);
      else
        reply_object (&req->reply, SOUP_STATUS_OK, doc);
    }
  else if (g_str_equal (req->method, "PUT"))
    {
      g_autoptr(JsonNode) body = parse_body (req, JSON_NODE_OBJECT);
      g_autofree char *rev = NULL;
      g_autofree char *full_id = NULL;
      g_autoptr(JsonObject) answer = NULL;

      if (body == NULL)
        return;
      if (!(rev = gls_store_put_local (req->store, id, json_node_get_object (body), &error)))
        {
          reply_gerror (&req->reply, error);
          return;
        }
      full_id = g_strconcat ("_local/", id, NULL);
      answer = json_object_new ();
      json_object_set_boolean_member (answer, "ok", TRUE);
      json_object_set_string_member (answer, "id", full_id);
      json_object_set_string_member (answer, "rev", rev);
      reply_object (&req->reply, SOUP_STATUS_CREATED, answer);
    }
  else if (g_str_equal (req->method, "DELETE"))
    {
      const char *rev = query_get (req, "rev");
      g_autofree char *full_id = NULL;
      g_autoptr(JsonObject) answer = NULL;

      if (!gls_store_delete_local (req->store, id, rev, &error))
        {
          reply_gerror (&req->reply, error);
          return;
        }
      full_id = g_strconcat ("_local/", id, NULL);
      answer = json_object_new ();
      json_object_set_boolean_member (answer, "ok", TRUE);
      json_object_set_string_member (answer, "id", full_id);
      json_object_set_string_member (answer, "rev", "0-0");
      reply_object (&req->reply, SOUP_STATUS_OK, answer);
    }
  else
    reply_method_not_allowed (&req->reply, "GET,HEAD,PUT,DELETE");
}

/* _changes */

/* The changes feed, restricted to `doc_ids` (a set, or NULL for every
 * document) for filter=_doc_ids, or to documents whose winning revision
 * `selector` matches for filter=_selector: last_seq is the last seq looked
 * at, so a follower does not scan the same rows again. */
/* include_docs: each row gets the winning revision as "doc" (a deleted
 * one as CouchDB shows it: _id, _rev, _deleted). */
static gboolean
changes_add_docs (GlsStore    *store,
                  JsonObject  *answer,
                  GError     **error)
{
  JsonArray *results = json_object_get_array_member (answer, "results");

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *row = json_array_get_object_element (results, i);
      const char *id = json_object_get_string_member (row, "id");
      g_autoptr(GError) local_error = NULL;
      JsonObject *doc = gls_store_get (store, id, NULL, GLS_STORE_GET_NONE, &local_error);

      if (doc == NULL && !g_error_matches (local_error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (doc == NULL)
        {
          JsonArray *changes = json_object_get_array_member (row, "changes");

          doc = json_object_new ();
          json_object_set_string_member (doc, "_id", id);
          json_object_set_string_member (doc, "_rev",
                                         json_object_get_string_member (json_array_get_object_element (changes, 0), "rev"));
          json_object_set_boolean_member (doc, "_deleted", TRUE);
        }
      json_object_set_object_member (row, "doc", doc);
    }
  return TRUE;
}

/* Whether `selector` matches the winning revision of a changes row (a
 * deleted one as _id, _rev and _deleted); -1 on a store error. */
static int
selector_matches_winner (GlsStore          *store,
                         GlsStoreSelector  *selector,
                         JsonObject        *row,
                         GError           **error)
{
  const char *id = json_object_get_string_member (row, "id");
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) doc = gls_store_get (store, id, NULL, GLS_STORE_GET_NONE, &local_error);

  if (doc == NULL && !g_error_matches (local_error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
  if (doc == NULL)
    {
      JsonArray *changes = json_object_get_array_member (row, "changes");

      doc = json_object_new ();
      json_object_set_string_member (doc, "_id", id);
      json_object_set_string_member (doc, "_rev",
                                     json_object_get_string_member (json_array_get_object_element (changes, 0), "rev"));
      json_object_set_boolean_member (doc, "_deleted", TRUE);
    }
  return gls_store_selector_matches (selector, doc) ? 1 : 0;
}

static JsonObject *
query_changes (GlsStore          *store,
               gint64             since,
               gint64             limit,
               gboolean           all_docs,
               gboolean           include_docs,
               GHashTable        *doc_ids,
               GlsStoreSelector  *selector,
               GError           **error)
{
  g_autoptr(JsonObject) answer = NULL;
  JsonArray *results, *kept;
  gint64 n_kept = 0, pending = 0, last_seq;

  if (doc_ids == NULL && selector == NULL)
    {
      answer = gls_store_changes (store, since, limit, all_docs, error);
      if (answer != NULL && include_docs && !changes_add_docs (store, answer, error))
        return NULL;
      return g_steal_pointer (&answer);
    }

  if (!(answer = gls_store_changes (store, since, 0, all_docs, error)))
    return NULL;
  results = json_object_get_array_member (answer, "results");
  last_seq = json_object_get_int_member (answer, "last_seq");
  kept = json_array_new ();
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *row = json_array_get_object_element (results, i);

      if (doc_ids != NULL && !g_hash_table_contains (doc_ids, json_object_get_string_member (row, "id")))
        continue;
      if (selector != NULL)
        {
          int hit = selector_matches_winner (store, selector, row, error);

          if (hit < 0)
            return NULL;
          if (!hit)
            continue;
        }
      if (limit > 0 && n_kept >= limit)
        {
          pending++;
          continue;
        }
      json_array_add_object_element (kept, json_object_ref (row));
      n_kept++;
      if (limit > 0 && n_kept == limit)
        last_seq = json_object_get_int_member (row, "seq");
    }
  if (pending == 0)
    last_seq = json_object_get_int_member (answer, "last_seq");
  json_object_set_array_member (answer, "results", kept);
  json_object_set_int_member (answer, "last_seq", last_seq);
  json_object_set_int_member (answer, "pending", pending);
  if (include_docs && !changes_add_docs (store, answer, error))
    return NULL;
  return g_steal_pointer (&answer);
}

/* A longpoll waiting for a change. It lives on the server's thread; its
 * store queries run in worker threads. */
typedef struct
{
  GlsPeerServer     *self;        /* borrowed: the server stops its long polls */
  SoupServerMessage *msg;
  GlsStore          *store;
  gint64             since;
  gint64             limit;
  gboolean           all_docs;
  gboolean           include_docs;
  GHashTable        *doc_ids;
  GlsStoreSelector  *selector;
  gboolean           continuous;
  gint64             sent;        /* continuous: rows written */
  gint64             timeout_ms;
  gboolean           chunked;
  gboolean           checking;
  gboolean           check_again;
  gboolean           timed_out;
  gboolean           stopped;
  gulong             changed_id;
  gulong             finished_id;
  GSource           *timeout;
  GSource           *heartbeat;
} LongPoll;

static void
long_poll_clear (LongPoll *lp)
{
  g_clear_pointer (&lp->doc_ids, g_hash_table_unref);
  g_clear_pointer (&lp->selector, gls_store_selector_unref);
  g_clear_object (&lp->msg);
  g_clear_object (&lp->store);
}

static void
long_poll_unref (LongPoll *lp)
{
  g_rc_box_release_full (lp, (GDestroyNotify) long_poll_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LongPoll, long_poll_unref)

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
long_poll_stop (LongPoll *lp)
{
  g_assert (!lp->stopped);

  lp->stopped = TRUE;
  g_clear_signal_handler (&lp->changed_id, lp->store);
  g_clear_signal_handler (&lp->finished_id, lp->msg);
  destroy_source (&lp->timeout);
  destroy_source (&lp->heartbeat);
  lp->self->longpolls = g_list_remove (lp->self->longpolls, lp);
  long_poll_unref (lp);
}

static void
long_poll_start_chunked (LongPoll *lp)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (lp->msg);

  if (lp->chunked)
    return;
  soup_server_message_set_status (lp->msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, "application/json", NULL);
  lp->chunked = TRUE;
}

static void
append_line (SoupMessageBody *body,
             JsonObject      *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *text = gls_json_to_string (node);

  soup_message_body_append (body, SOUP_MEMORY_COPY, text, strlen (text));
  soup_message_body_append (body, SOUP_MEMORY_STATIC, "\n", 1);
}

/* Continuous feed: one line per row; since moves to the answer's last_seq. */
static void
long_poll_write_rows (LongPoll   *lp,
                      JsonObject *answer)
{
  SoupMessageBody *body = soup_server_message_get_response_body (lp->msg);
  JsonArray *results = json_object_get_array_member (answer, "results");

  long_poll_start_chunked (lp);
  for (guint i = 0; i < json_array_get_length (results); i++)
    append_line (body, json_array_get_object_element (results, i));
  lp->sent += json_array_get_length (results);
  lp->since = MAX (lp->since, json_object_get_int_member (answer, "last_seq"));
  soup_server_message_unpause (lp->msg);
}

/* Sends `answer` (the changes object) or `error` and ends the long poll. */
static void
long_poll_finish (LongPoll   *lp,
                  JsonObject *answer,
                  GError     *error)
{
  g_autoptr(SoupServerMessage) msg = g_object_ref (lp->msg);

  if (lp->continuous)
    {
      SoupMessageBody *body = soup_server_message_get_response_body (msg);
      g_autoptr(JsonObject) last = json_object_new ();

      /* The line without "changes" ends the feed (and on error too). */
      long_poll_start_chunked (lp);
      json_object_set_int_member (last, "last_seq", lp->since);
      append_line (body, last);
      soup_message_body_complete (body);
    }
  else if (lp->chunked)
    {
      SoupMessageBody *body = soup_server_message_get_response_body (msg);

      if (answer != NULL)
        append_line (body, answer);
      soup_message_body_complete (body);
    }
  else
    {
      Reply reply = { 0, };

      if (answer != NULL)
        reply_object (&reply, SOUP_STATUS_OK, answer);
      else
        reply_gerror (&reply, error);
      reply_apply (&reply, msg);
      reply_clear (&reply);
    }

  long_poll_stop (lp);
  soup_server_message_unpause (msg);
}

typedef struct
{
  LongPoll *lp;
} Check;

/* Usually the callback has taken the long poll back (see there): a task
 * can be freed in its worker thread, and the long poll's last reference
 * would then free the message and store there, racing the server's
 * thread (found by fuzz-peer-server: a SEGV in a worker, with GLib's
 * invalid_closure_notify assertion). */
static void
check_free (Check *check)
{
  if (check->lp != NULL)
    long_poll_unref (check->lp);
  g_free (check);
}

static void
long_poll_check_worker (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  Check *check = task_data;
  GError *error = NULL;
  JsonObject *answer;

  answer = query_changes (check->lp->store, check->lp->since,
                          check->lp->limit > 0 ? check->lp->limit - check->lp->sent : 0,
                          check->lp->all_docs, check->lp->include_docs, check->lp->doc_ids,
                          check->lp->selector, &error);
  if (answer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, answer, (GDestroyNotify) json_object_unref);
}

static void     long_poll_check      (LongPoll    *lp);
static gboolean long_poll_timeout_cb (gpointer     user_data);
static GSource *attach_timeout       (guint        ms,
                                      GSourceFunc  func,
                                      gpointer     data);

static void
long_poll_check_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Check *check = g_task_get_task_data (G_TASK (result));
  g_autoptr(LongPoll) lp = g_steal_pointer (&check->lp); /* released on this thread */
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;

  lp->checking = FALSE;
  if (lp->stopped)
    return;

  answer = g_task_propagate_pointer (G_TASK (result), &error);
  if (answer == NULL)
    long_poll_finish (lp, NULL, error);
  else if (lp->continuous)
    {
      gboolean any = json_array_get_length (json_object_get_array_member (answer, "results")) > 0;

      if (any)
        {
          long_poll_write_rows (lp, answer);
          /* The timeout counts from the last change. */
          if (!lp->timed_out)
            {
              destroy_source (&lp->timeout);
              lp->timeout = attach_timeout (lp->timeout_ms, long_poll_timeout_cb, lp);
            }
        }
      if (lp->timed_out || (lp->limit > 0 && lp->sent >= lp->limit))
        long_poll_finish (lp, NULL, NULL);
      else if (lp->check_again)
        long_poll_check (lp);
    }
  else if (lp->timed_out ||
           json_array_get_length (json_object_get_array_member (answer, "results")) > 0)
    long_poll_finish (lp, answer, NULL);
  else if (lp->check_again)
    long_poll_check (lp);
}

static void
long_poll_check (LongPoll *lp)
{
  g_autoptr(GTask) task = NULL;
  Check *check;

  if (lp->checking)
    {
      /* A change during a check that may have missed it. */
      lp->check_again = TRUE;
      return;
    }
  lp->checking = TRUE;
  lp->check_again = FALSE;

  check = g_new0 (Check, 1);
  check->lp = g_rc_box_acquire (lp);
  task = g_task_new (NULL, NULL, long_poll_check_cb, NULL);
  g_task_set_source_tag (task, long_poll_check);
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);
  g_task_run_in_thread (task, long_poll_check_worker);
}

static void
long_poll_changed_cb (LongPoll *lp,
                      gint64    seq)
{
  if (seq > lp->since)
    long_poll_check (lp);
}

static gboolean
long_poll_timeout_cb (gpointer user_data)
{
  LongPoll *lp = user_data;

  g_clear_pointer (&lp->timeout, g_source_unref);
  /* The running check, or a new one, answers whatever it finds. */
  lp->timed_out = TRUE;
  if (!lp->checking)
    long_poll_check (lp);
  return G_SOURCE_REMOVE;
}

static gboolean
long_poll_heartbeat_cb (gpointer user_data)
{
  LongPoll *lp = user_data;
  SoupServerMessage *msg = lp->msg;

  long_poll_start_chunked (lp);
  soup_message_body_append (soup_server_message_get_response_body (msg),
                            SOUP_MEMORY_STATIC, "\n", 1);
  soup_server_message_unpause (msg);
  return G_SOURCE_CONTINUE;
}

static void
long_poll_finished_cb (LongPoll *lp)
{
  /* The client went away (or the server is closing): nothing to send. */
  g_debug ("longpoll since %" G_GINT64_FORMAT ": the client went away", lp->since);
  long_poll_stop (lp);
}

static GSource *
attach_timeout (guint       ms,
                GSourceFunc func,
                gpointer    data)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  return source;
}

/* On the server's thread, after the first query found nothing. */
static void connection_watch_feed (GlsPeerServer     *self,
                                   SoupServerMessage *msg);

static void
long_poll_start (Request *req)
{
  LongPoll *lp = g_rc_box_new0 (LongPoll);

  connection_watch_feed (req->self, req->msg);
  lp->self = req->self;
  lp->msg = g_object_ref (req->msg);
  lp->store = g_object_ref (req->store);
  lp->since = req->since;
  lp->limit = req->limit;
  lp->all_docs = req->all_docs;
  lp->include_docs = req->include_docs;
  lp->doc_ids = req->doc_ids != NULL ? g_hash_table_ref (req->doc_ids) : NULL;
  lp->selector = req->selector != NULL ? gls_store_selector_ref (req->selector) : NULL;
  lp->continuous = req->continuous;
  lp->timeout_ms = MIN (req->timeout, G_MAXUINT);
  lp->changed_id = g_signal_connect_swapped (lp->store, "changed",
                                             G_CALLBACK (long_poll_changed_cb), lp);
  lp->finished_id = g_signal_connect_swapped (lp->msg, "finished",
                                              G_CALLBACK (long_poll_finished_cb), lp);
  lp->timeout = attach_timeout (MIN (req->timeout, G_MAXUINT), long_poll_timeout_cb, lp);
  if (req->heartbeat > 0)
    lp->heartbeat = attach_timeout (MIN (req->heartbeat, G_MAXUINT), long_poll_heartbeat_cb, lp);
  lp->self->longpolls = g_list_prepend (lp->self->longpolls, lp);
  if (lp->continuous)
    {
      long_poll_write_rows (lp, req->first);
      if (lp->limit > 0 && lp->sent >= lp->limit)
        {
          long_poll_finish (lp, NULL, NULL);
          return;
        }
    }
  /* A write between the first query and now: look again. */
  if (gls_store_get_update_seq (lp->store) > lp->since)
    long_poll_check (lp);
}

/* filter=_selector: POST {"selector": …}, as CouchDB's replicator sends
 * it. FALSE after a reply. */
static gboolean
read_selector_filter (Request *req)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *selector;

  if (!g_str_equal (req->method, "POST"))
    {
      reply_bad_request (&req->reply, "filter=_selector takes a POST with {\"selector\": …}");
      return FALSE;
    }
  if (!(body = parse_body (req, JSON_NODE_OBJECT)))
    return FALSE;
  selector = json_object_get_member (json_node_get_object (body), "selector");
  if (selector == NULL)
    {
      reply_bad_request (&req->reply, "Selector must be specified in POST payload");
      return FALSE;
    }
  if (!(req->selector = gls_store_selector_new (selector, &error)))
    {
      reply_gerror (&req->reply, error);
      return FALSE;
    }
  return TRUE;
}

/* filter=_doc_ids: POST {"doc_ids": […]}, or doc_ids=[…] in the query.
 * FALSE after a reply. */
static gboolean
read_doc_ids_filter (Request *req)
{
  g_auto(GStrv) ids = NULL;

  if (g_str_equal (req->method, "POST"))
    {
      g_autoptr(JsonNode) body = parse_body (req, JSON_NODE_OBJECT);

      if (body == NULL)
        return FALSE;
      ids = string_array (json_object_get_member (json_node_get_object (body), "doc_ids"));
    }
  else if (query_get (req, "doc_ids") != NULL)
    {
      g_autoptr(JsonNode) node = query_json (query_get (req, "doc_ids"));

      ids = string_array (node);
    }
  if (ids == NULL)
    {
      reply_bad_request (&req->reply, "`doc_ids` must be an array of strings");
      return FALSE;
    }
  req->doc_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; ids[i] != NULL; i++)
    g_hash_table_add (req->doc_ids, g_strdup (ids[i]));
  return TRUE;
}

static void
handle_changes (Request *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  const char *feed = query_get (req, "feed");
  const char *style = query_get (req, "style");
  const char *since_text = query_get (req, "since");
  const char *heartbeat_text = query_get (req, "heartbeat");
  const char *filter = query_get (req, "filter");
  gint64 since = 0, limit = 0, timeout = DEFAULT_LONGPOLL_TIMEOUT_MS, heartbeat = 0;
  gboolean all_docs = FALSE;

  if (!g_str_equal (req->method, "GET") && !g_str_equal (req->method, "POST"))
    {
      reply_method_not_allowed (&req->reply, "GET,POST");
      return;
    }
  if (style != NULL)
    {
      if (g_str_equal (style, "all_docs"))
        all_docs = TRUE;
      else if (!g_str_equal (style, "main_only"))
        {
          reply_bad_request (&req->reply, "Invalid style");
          return;
        }
    }
  if (since_text != NULL)
    {
      if (g_str_equal (since_text, "now"))
        since = gls_store_get_update_seq (req->store);
      else if (!g_ascii_string_to_signed (since_text, 10, 0, G_MAXINT64, &since, NULL))
        {
          /* Seqs are opaque: accept the JSON string form "5" too. */
          g_autofree char *inner = NULL;
          gsize len = strlen (since_text);

          if (len < 3 || since_text[0] != '"' || since_text[len - 1] != '"' ||
              !g_ascii_string_to_signed ((inner = g_strndup (since_text + 1, len - 2)),
                                         10, 0, G_MAXINT64, &since, NULL))
            {
              reply_bad_request (&req->reply, "Invalid since");
              return;
            }
        }
    }
  if (!query_int (req, "limit", 0, &limit) ||
      !query_int (req, "timeout", 0, &timeout) ||
      !query_bool (req, "include_docs", &req->include_docs))
    return;
  if (heartbeat_text != NULL)
    {
      if (g_str_equal (heartbeat_text, "true"))
        heartbeat = DEFAULT_HEARTBEAT_MS;
      else if (!query_int (req, "heartbeat", 1, &heartbeat))
        return;
    }

  if (feed != NULL && !g_str_equal (feed, "normal") && !g_str_equal (feed, "longpoll") &&
      !g_str_equal (feed, "continuous"))
    {
      reply_bad_request (&req->reply, "Supported feeds: normal, longpoll, continuous");
      return;
    }
  if (filter != NULL)
    {
      gboolean ok;

      if (g_str_equal (filter, "_selector"))
        ok = read_selector_filter (req);
      else if (g_str_equal (filter, "_doc_ids"))
        ok = read_doc_ids_filter (req);
      else
        {
          reply_bad_request (&req->reply, "Supported filters: _doc_ids, _selector");
          ok = FALSE;
        }
      if (!ok)
        return;
    }

  answer = query_changes (req->store, since, limit, all_docs, req->include_docs, req->doc_ids,
                          req->selector, &error);
  if (answer == NULL)
    {
      reply_gerror (&req->reply, error);
      return;
    }
  if (feed != NULL && g_str_equal (feed, "continuous"))
    {
      /* Rows as lines, then the server's thread waits for more. */
      req->continuous = TRUE;
      req->first = g_steal_pointer (&answer);
    }
  else if (feed == NULL || !g_str_equal (feed, "longpoll") ||
           json_array_get_length (json_object_get_array_member (answer, "results")) > 0)
    {
      reply_object (&req->reply, SOUP_STATUS_OK, answer);
      return;
    }

  /* Longpoll with nothing yet: the server's thread waits for the store. */
  req->wait = TRUE;
  req->since = since;
  req->limit = limit;
  req->timeout = timeout;
  req->heartbeat = heartbeat;
  req->all_docs = all_docs;
}

/* POST /{db}/_revs_diff */

static void
handle_revs_diff (Request *req)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (!g_str_equal (req->method, "POST"))
    {
      reply_method_not_allowed (&req->reply, "POST");
      return;
    }
  if (!(body = parse_body (req, JSON_NODE_OBJECT)))
    return;
  json_object_iter_init (&iter, json_node_get_object (body));
  while (json_object_iter_next (&iter, &name, &member))
    {
      g_auto(GStrv) revs = string_array (member);

      if (revs == NULL)
        {
          reply_bad_request (&req->reply, "Each id must map to a list of revs");
          return;
        }
    }
  if (!(answer = gls_store_revs_diff (req->store, json_node_get_object (body), &error)))
    reply_gerror (&req->reply, error);
  else
    reply_object (&req->reply, SOUP_STATUS_OK, answer);
}

/* POST /{db}/_bulk_docs */

static void
handle_bulk_docs (Request *req)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) results = NULL;
  JsonObject *object;
  JsonNode *docs_node, *new_edits_node;
  JsonArray *docs;
  gboolean new_edits = TRUE;

  if (!g_str_equal (req->method, "POST"))
    {
      reply_method_not_allowed (&req->reply, "POST");
      return;
    }
  if (!(body = parse_body (req, JSON_NODE_OBJECT)))
    return;
  object = json_node_get_object (body);
  docs_node = json_object_get_member (object, "docs");
  if (docs_node == NULL || !JSON_NODE_HOLDS_ARRAY (docs_node))
    {
      reply_bad_request (&req->reply, "POST body must include `docs` parameter.");
      return;
    }
  docs = json_node_get_array (docs_node);
  for (guint i = 0; i < json_array_get_length (docs); i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (docs, i)))
      {
        reply_bad_request (&req->reply, "Document must be a JSON object");
        return;
      }
  new_edits_node = json_object_get_member (object, "new_edits");
  if (new_edits_node != NULL)
    {
      if (!is_bool_node (new_edits_node))
        {
          reply_bad_request (&req->reply, "`new_edits` parameter must be a boolean.");
          return;
        }
      new_edits = json_node_get_boolean (new_edits_node);
    }

  if (!(results = gls_store_bulk_docs (req->store, docs, new_edits, &error)))
    {
      reply_gerror (&req->reply, error);
      return;
    }
  if (!new_edits)
    {
      g_autoptr(JsonArray) failures = json_array_new ();

      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          JsonObject *result = json_array_get_object_element (results, i);

          if (json_object_has_member (result, "error"))
            json_array_add_object_element (failures, json_object_ref (result));
        }
      reply_array (&req->reply, SOUP_STATUS_CREATED, failures);
      return;
    }
  reply_array (&req->reply, SOUP_STATUS_CREATED, results);
}

/* atts_since: attachments the client already holds (revpos at or below
 * the newest rev of `atts_since` on this document's path) go back to stubs
 * instead of inline data. Needs the doc's _revisions (revs=true). */
/* The newest generation of `atts_since` on the document's path: the
 * client holds every attachment of revpos at or below it. */
static gint64
atts_since_known (JsonObject         *doc,
                  const char *const  *atts_since)
{
  JsonObject *revisions;
  JsonArray *ids;
  gint64 start, known = 0;

  if (atts_since == NULL ||
      !json_object_has_member (doc, "_attachments") ||
      !json_object_has_member (doc, "_revisions"))
    return 0;
  revisions = json_object_get_object_member (doc, "_revisions");
  start = json_object_get_int_member (revisions, "start");
  ids = json_object_get_array_member (revisions, "ids");

  for (guint i = 0; atts_since[i] != NULL; i++)
    {
      const char *dash = strchr (atts_since[i], '-');
      g_autofree char *gen_text = NULL;
      gint64 gen;

      if (dash == NULL)
        continue;
      gen_text = g_strndup (atts_since[i], dash - atts_since[i]);
      if (!g_ascii_string_to_signed (gen_text, 10, 1, G_MAXINT64, &gen, NULL) ||
          gen > start || start - gen >= json_array_get_length (ids))
        continue;
      if (g_str_equal (json_array_get_string_element (ids, start - gen), dash + 1))
        known = MAX (known, gen);
    }
  return known;
}

static void
apply_atts_since (JsonObject         *doc,
                  const char *const  *atts_since)
{
  gint64 known = atts_since_known (doc, atts_since);
  JsonObject *atts;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (known == 0)
    return;
  atts = json_object_get_object_member (doc, "_attachments");
  json_object_iter_init (&iter, atts);
  while (json_object_iter_next (&iter, &name, &member))
    {
      JsonObject *att = json_node_get_object (member);
      const char *data = json_object_get_string_member_with_default (att, "data", NULL);
      gsize length = 0;

      if (data == NULL || json_object_get_int_member_with_default (att, "revpos", G_MAXINT64) > known)
        continue;
      g_free (g_base64_decode (data, &length));
      json_object_remove_member (att, "data");
      json_object_set_int_member (att, "length", length);
      json_object_set_boolean_member (att, "stub", TRUE);
    }
}

/* POST /{db}/_bulk_get */

static JsonObject *
bulk_get_error (const char *id,
                const char *rev,
                const char *error,
                const char *reason)
{
  JsonObject *inner = json_object_new ();
  JsonObject *outer = json_object_new ();

  json_object_set_string_member (inner, "id", id);
  json_object_set_string_member (inner, "rev", rev != NULL ? rev : "undefined");
  json_object_set_string_member (inner, "error", error);
  json_object_set_string_member (inner, "reason", reason);
  json_object_set_object_member (outer, "error", inner);
  return outer;
}

static const char *
store_error_name (const GError *error)
{
  if (error->domain == GLS_STORE_ERROR)
    switch (error->code)
      {
      case GLS_STORE_ERROR_NOT_FOUND: return "not_found";
      case GLS_STORE_ERROR_CONFLICT: return "conflict";
      case GLS_STORE_ERROR_BAD_REQUEST: return "bad_request";
      case GLS_STORE_ERROR_MISSING_STUB: return "missing_stub";
      default: break;
      }
  return "internal_server_error";
}

static gboolean
is_batch_error (const GError *error)
{
  return error->domain != GLS_STORE_ERROR ||
         error->code == GLS_STORE_ERROR_CORRUPT ||
         error->code == GLS_STORE_ERROR_IO;
}


static void
append_json_string (GString    *out,
                    const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

static void
append_bulk_get_error (GString    *out,
                       const char *id,
                       const char *rev,
                       const char *error,
                       const char *reason)
{
  g_autoptr(JsonObject) object = bulk_get_error (id, rev, error, reason);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *text = gls_json_to_string (node);

  if (out->str[out->len - 1] != '[')
    g_string_append_c (out, ',');
  g_string_append (out, text);
}

/* _bulk_get without atts_since: the answer's text is made from the stored
 * documents' text (gls_store_append_open_revs), without JSON objects. */
static void
bulk_get_text (Request          *req,
               JsonArray        *docs,
               GlsStoreGetFlags  flags)
{
  g_autoptr(GString) text = g_string_sized_new (1024 * (json_array_get_length (docs) + 1));
  g_autoptr(GBytes) bytes = NULL;

  g_string_append (text, "{\"results\":[");
  for (guint i = 0; i < json_array_get_length (docs); i++)
    {
      JsonObject *entry = json_array_get_object_element (docs, i);
      const char *id = json_object_get_string_member (entry, "id");
      const char *rev = json_object_get_string_member_with_default (entry, "rev", NULL);
      const char *one[2] = { rev, NULL };
      g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) error = NULL;

      if (i > 0)
        g_string_append_c (text, ',');
      g_string_append (text, "{\"id\":");
      append_json_string (text, id);
      g_string_append (text, ",\"docs\":[");
      if (!gls_store_append_open_revs (req->store, id, rev != NULL ? one : NULL, flags,
                                       text, missing, &error))
        {
          if (is_batch_error (error))
            {
              reply_gerror (&req->reply, error);
              return;
            }
          append_bulk_get_error (text, id, rev, store_error_name (error), error->message);
        }
      for (guint j = 0; j < missing->len; j++)
        append_bulk_get_error (text, id, g_ptr_array_index (missing, j), "not_found", "missing");
      g_string_append (text, "]}");
    }
  g_string_append (text, "]}\n");
  bytes = g_string_free_to_bytes (g_steal_pointer (&text));
  reply_bytes (&req->reply, SOUP_STATUS_OK, "application/json", bytes);
}

static void
handle_bulk_get (Request *req)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonArray *results;
  JsonNode *docs_node;
  JsonArray *docs;
  gboolean revs = FALSE, latest = FALSE, attachments = FALSE;
  GlsStoreGetFlags flags = GLS_STORE_GET_NONE;
  gboolean any_atts_since = FALSE;

  if (!g_str_equal (req->method, "POST"))
    {
      reply_method_not_allowed (&req->reply, "POST");
      return;
    }
  if (!query_bool (req, "revs", &revs) ||
      !query_bool (req, "latest", &latest) ||
      !query_bool (req, "attachments", &attachments))
    return;
  if (!(body = parse_body (req, JSON_NODE_OBJECT)))
    return;
  docs_node = json_object_get_member (json_node_get_object (body), "docs");
  if (docs_node == NULL || !JSON_NODE_HOLDS_ARRAY (docs_node))
    {
      reply_bad_request (&req->reply, "Missing JSON list of 'docs'.");
      return;
    }
  docs = json_node_get_array (docs_node);
  for (guint i = 0; i < json_array_get_length (docs); i++)
    {
      JsonNode *element = json_array_get_element (docs, i);
      JsonObject *entry;
      JsonNode *rev;

      JsonNode *atts_since;
      g_auto(GStrv) revs_since = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element) ||
          !is_string_node (json_object_get_member ((entry = json_node_get_object (element)), "id")) ||
          ((rev = json_object_get_member (entry, "rev")) != NULL && !is_string_node (rev)) ||
          ((atts_since = json_object_get_member (entry, "atts_since")) != NULL &&
           !(revs_since = string_array (atts_since))))
        {
          reply_bad_request (&req->reply, "Each entry of 'docs' needs a string 'id', an optional"
                             " string 'rev' and optional 'atts_since' revs");
          return;
        }
      if (atts_since != NULL)
        any_atts_since = TRUE;
    }

  if (revs)
    flags |= GLS_STORE_GET_REVS;
  if (latest)
    flags |= GLS_STORE_GET_LATEST;
  if (attachments)
    flags |= GLS_STORE_GET_ATTACHMENTS;

  if (!any_atts_since)
    {
      bulk_get_text (req, docs, flags);
      return;
    }

  answer = json_object_new ();
  results = json_array_new ();
  json_object_set_array_member (answer, "results", results);
  for (guint i = 0; i < json_array_get_length (docs); i++)
    {
      JsonObject *entry = json_array_get_object_element (docs, i);
      const char *id = json_object_get_string_member (entry, "id");
      const char *rev = json_object_get_string_member_with_default (entry, "rev", NULL);
      const char *one[2] = { rev, NULL };
      g_auto(GStrv) atts_since = string_array (json_object_get_member (entry, "atts_since"));
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonArray) open = NULL;
      JsonObject *result = json_object_new ();
      JsonArray *out = json_array_new ();

      json_object_set_string_member (result, "id", id);
      json_object_set_array_member (result, "docs", out);
      json_array_add_object_element (results, result);

      open = gls_store_get_open_revs (req->store, id, rev != NULL ? one : NULL, flags, &error);
      if (open == NULL)
        {
          if (is_batch_error (error))
            {
              reply_gerror (&req->reply, error);
              return;
            }
          json_array_add_object_element (out, bulk_get_error (id, rev, store_error_name (error),
                                                              error->message));
          continue;
        }
      for (guint j = 0; j < json_array_get_length (open); j++)
        {
          JsonObject *item = json_array_get_object_element (open, j);

          if (json_object_has_member (item, "missing"))
            json_array_add_object_element (out, bulk_get_error (id,
                                                                json_object_get_string_member (item, "missing"),
                                                                "not_found", "missing"));
          else
            {
              apply_atts_since (json_object_get_object_member (item, "ok"),
                                (const char *const *) atts_since);
              json_array_add_object_element (out, json_object_ref (item));
            }
        }
    }
  reply_object (&req->reply, SOUP_STATUS_OK, answer);
}

/* POST /{db}/_all_docs with keys */

static void
handle_all_docs (Request *req)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_auto(GStrv) keys = NULL;
  JsonObject *object;
  JsonArray *rows;
  JsonNode *node;
  gboolean include_docs = FALSE, conflicts = FALSE;

  if (!g_str_equal (req->method, "POST"))
    {
      reply_method_not_allowed (&req->reply, "POST");
      return;
    }
  if (!query_bool (req, "include_docs", &include_docs) ||
      !query_bool (req, "conflicts", &conflicts))
    return;
  if (!(body = parse_body (req, JSON_NODE_OBJECT)))
    return;
  object = json_node_get_object (body);
  if (!(keys = string_array (json_object_get_member (object, "keys"))))
    {
      reply_bad_request (&req->reply, "`keys` member must be an array of strings.");
      return;
    }
  if ((node = json_object_get_member (object, "include_docs")) != NULL)
    {
      if (!is_bool_node (node))
        {
          reply_bad_request (&req->reply, "`include_docs` must be a boolean.");
          return;
        }
      include_docs = json_node_get_boolean (node);
    }
  if ((node = json_object_get_member (object, "conflicts")) != NULL)
    {
      if (!is_bool_node (node))
        {
          reply_bad_request (&req->reply, "`conflicts` must be a boolean.");
          return;
        }
      conflicts = json_node_get_boolean (node);
    }

  answer = json_object_new ();
  json_object_set_int_member (answer, "total_rows", gls_store_get_doc_count (req->store));
  json_object_set_int_member (answer, "offset", 0);
  rows = json_array_new ();
  json_object_set_array_member (answer, "rows", rows);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) doc = NULL;
      GlsStoreGetFlags flags = GLS_STORE_GET_DELETED_OK;
      JsonObject *row = json_object_new ();
      JsonObject *value;
      gboolean deleted;

      json_array_add_object_element (rows, row);
      if (conflicts)
        flags |= GLS_STORE_GET_CONFLICTS;
      doc = gls_store_get (req->store, keys[i], NULL, flags, &error);
      if (doc == NULL)
        {
          if (is_batch_error (error))
            {
              reply_gerror (&req->reply, error);
              return;
            }
          json_object_set_string_member (row, "key", keys[i]);
          json_object_set_string_member (row, "error", store_error_name (error));
          continue;
        }
      deleted = json_object_get_boolean_member_with_default (doc, "_deleted", FALSE);
      json_object_set_string_member (row, "id", keys[i]);
      json_object_set_string_member (row, "key", keys[i]);
      value = json_object_new ();
      json_object_set_string_member (value, "rev", json_object_get_string_member (doc, "_rev"));
      if (deleted)
        json_object_set_boolean_member (value, "deleted", TRUE);
      json_object_set_object_member (row, "value", value);
      if (include_docs)
        {
          if (deleted)
            json_object_set_null_member (row, "doc");
          else
            json_object_set_object_member (row, "doc", g_steal_pointer (&doc));
        }
    }
  reply_object (&req->reply, SOUP_STATUS_OK, answer);
}

/* /{db}/{docid} */

static gboolean
doc_flags (Request          *req,
           GlsStoreGetFlags *flags)
{
  gboolean revs = FALSE, conflicts = FALSE, attachments = FALSE, latest = FALSE;

  if (!query_bool (req, "revs", &revs) ||
      !query_bool (req, "conflicts", &conflicts) ||
      !query_bool (req, "attachments", &attachments) ||
      !query_bool (req, "latest", &latest))
    return FALSE;
  *flags = GLS_STORE_GET_NONE;
  if (revs)
    *flags |= GLS_STORE_GET_REVS;
  if (conflicts)
    *flags |= GLS_STORE_GET_CONFLICTS;
  if (attachments)
    *flags |= GLS_STORE_GET_ATTACHMENTS;
  if (latest)
    *flags |= GLS_STORE_GET_LATEST;
  return TRUE;
}

/* libsoup ends a multipart body with "--boundary--\r\n"; CouchDB ends it
 * with "--boundary--" and its replicator's parser wants exactly that
 * (with the CRLF it retried with `badmatch`). */
static GBytes *
multipart_body (SoupMultipart      *multipart,
                SoupMessageHeaders *headers)
{
  g_autoptr(GBytes) body = NULL;
  gsize size;

  soup_multipart_to_message (multipart, headers, &body);
  size = g_bytes_get_size (body);
  g_assert (size >= 2);
  return g_bytes_new_from_bytes (body, 0, size - 2);
}

/* An attachment sent from its file inside a multipart answer: the
 * answer is built with `token` in its place, then cut there. */
typedef struct
{
  char         *token;
  GInputStream *stream;
  gint64        length;
} FilePart;

static void
file_part_free (FilePart *part)
{
  g_free (part->token);
  g_clear_object (&part->stream);
  g_free (part);
}

/* A document whose attachments carry their data, as CouchDB sends it in
 * an open_revs answer: a multipart/related part of the JSON, where each
 * attachment to send is a "follows" stub, then one part per such
 * attachment in the stubs' order, its bytes read from its file when the
 * answer is sent (a FilePart added to `files`). NULL when the document
 * has no attachment to send. */
static GBytes *
related_part (GlsStore    *store,
              JsonObject  *doc,
              GPtrArray   *files,
              char       **content_type,
              GError     **error)
{
  g_autoptr(SoupMultipart) related = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(SoupMessageHeaders) json_headers = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(JsonNode) node = NULL;
  const char *id = json_object_get_string_member_with_default (doc, "_id", "");
  const char *rev = json_object_get_string_member_with_default (doc, "_rev", NULL);
  guint first = files->len;
  JsonObject *atts;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  char *text;

  if (!json_object_has_member (doc, "_attachments"))
    return NULL;
  atts = json_object_get_object_member (doc, "_attachments");
  json_object_iter_init (&iter, atts);
  while (json_object_iter_next (&iter, &name, &member))
    {
      JsonObject *att = json_node_get_object (member);
      FilePart *part;
      g_autofree char *uuid = NULL;

      if (!json_object_get_boolean_member_with_default (att, "follows", FALSE))
        continue;
      part = g_new0 (FilePart, 1);
      g_ptr_array_add (files, part);
      part->stream = gls_store_open_attachment (store, id, rev, name, NULL, &part->length, error);
      if (part->stream == NULL)
        return NULL;
      uuid = g_uuid_string_random ();
      part->token = g_strdup_printf ("\001glossa-file-%s\001", uuid);
      g_ptr_array_add (names, (gpointer) name);
    }
  if (names->len == 0)
    return NULL;

  related = soup_multipart_new ("multipart/related");
  json_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  soup_message_headers_replace (json_headers, "Content-Type", "application/json");
  node = json_node_init_object (json_node_alloc (), doc);
  text = gls_json_to_string (node);
  {
    g_autoptr(GBytes) json = g_bytes_new_take (text, strlen (text));

    soup_multipart_append_part (related, json_headers, json);
  }
  for (guint i = 0; i < names->len; i++)
    {
      JsonObject *att = json_object_get_object_member (atts, names->pdata[i]);
      FilePart *file = g_ptr_array_index (files, first + i);
      g_autoptr(SoupMessageHeaders) part = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
      g_autofree char *disposition = g_strdup_printf ("attachment; filename=\"%s\"", (char *) names->pdata[i]);
      g_autofree char *length = g_strdup_printf ("%" G_GINT64_FORMAT, file->length);
      g_autoptr(GBytes) placeholder = g_bytes_new_static (file->token, strlen (file->token));

      soup_message_headers_replace (part, "Content-Disposition", disposition);
      soup_message_headers_replace (part, "Content-Type",
                                    json_object_get_string_member_with_default (att, "content_type",
                                                                                "application/octet-stream"));
      soup_message_headers_replace (part, "Content-Length", length);
      soup_multipart_append_part (related, part, placeholder);
    }
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  {
    GBytes *body = multipart_body (related, headers);

    *content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
    return body;
  }
}

/* Marks the attachments of an open_revs document that the client lacks
 * (all, but those atts_since says it holds) "follows", to be sent. */
static void
mark_follows (JsonObject         *doc,
              const char *const  *atts_since)
{
  gint64 known = atts_since_known (doc, atts_since);
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (!json_object_has_member (doc, "_attachments"))
    return;
  json_object_iter_init (&iter, json_object_get_object_member (doc, "_attachments"));
  while (json_object_iter_next (&iter, &name, &member))
    {
      JsonObject *att = json_node_get_object (member);

      if (json_object_get_int_member_with_default (att, "revpos", G_MAXINT64) <= known)
        continue;
      json_object_remove_member (att, "stub");
      json_object_set_boolean_member (att, "follows", TRUE);
    }
}

/* What the CouchDB replicator asks for (Accept: multipart/mixed), as
 * CouchDB answers it (chttpd_db send_docs_multipart): a document with
 * attachment data as a multipart/related part with "follows" attachments,
 * any other as an application/json part, and {"missing":rev} parts marked
 * error="true". The attachments' bytes come from their files as the
 * answer is sent. */
static gboolean
reply_open_revs_multipart (Reply      *reply,
                           GlsStore   *store,
                           JsonArray  *answer,
                           GError    **error)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new ("multipart/mixed");
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) file_part_free);
  g_autoptr(GBytes) body = NULL;
  GPtrArray *segments;
  const char *text;
  gsize size, offset = 0;

  for (guint i = 0; i < json_array_get_length (answer); i++)
    {
      JsonObject *item = json_array_get_object_element (answer, i);
      g_autoptr(SoupMessageHeaders) part = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *related_type = NULL;

      if (json_object_has_member (item, "ok") &&
          (bytes = related_part (store, json_object_get_object_member (item, "ok"), files,
                                 &related_type, error)))
        {
          soup_message_headers_replace (part, "Content-Type", related_type);
        }
      else
        {
          char *json;

          if (error != NULL && *error != NULL)
            return FALSE;
          if (json_object_has_member (item, "ok"))
            {
              node = json_node_ref (json_object_get_member (item, "ok"));
              soup_message_headers_replace (part, "Content-Type", "application/json");
            }
          else
            {
              node = json_node_init_object (json_node_alloc (), item);
              soup_message_headers_replace (part, "Content-Type", "application/json; error=\"true\"");
            }
          json = gls_json_to_string (node);
          bytes = g_bytes_new_take (json, strlen (json));
        }
      soup_multipart_append_part (multipart, part, bytes);
    }
  body = multipart_body (multipart, headers);

  /* Cut at each file's token: bytes, a file, bytes, … */
  segments = g_ptr_array_new_with_free_func ((GDestroyNotify) segment_free);
  text = g_bytes_get_data (body, &size);
  for (guint i = 0; i < files->len; i++)
    {
      FilePart *file = g_ptr_array_index (files, i);
      const char *at = memmem (text + offset, size - offset, file->token, strlen (file->token));

      g_assert (at != NULL);
      g_ptr_array_add (segments, segment_new_bytes (g_bytes_new_from_bytes (body, offset, at - (text + offset))));
      g_ptr_array_add (segments, segment_new_stream (g_steal_pointer (&file->stream), file->length));
      offset = (at - text) + strlen (file->token);
    }
  g_ptr_array_add (segments, segment_new_bytes (g_bytes_new_from_bytes (body, offset, size - offset)));
  reply_segments (reply, SOUP_STATUS_OK, soup_message_headers_get_one (headers, "Content-Type"), segments);
  return TRUE;
}

static void
handle_doc_get (Request    *req,
                const char *id)
{
  g_autoptr(GError) error = NULL;
  const char *open_revs = query_get (req, "open_revs");
  const char *rev = query_get (req, "rev");
  const char *atts_since_text = query_get (req, "atts_since");
  g_auto(GStrv) atts_since = NULL;
  GlsStoreGetFlags flags;

  if (!doc_flags (req, &flags))
    return;
  if (atts_since_text != NULL)
    {
      g_autoptr(JsonNode) node = query_json (atts_since_text);

      if (!(atts_since = string_array (node)))
        {
          reply_bad_request (&req->reply, "atts_since must be a JSON array of revs");
          return;
        }
    }

  if (open_revs != NULL)
    {
      g_autoptr(JsonArray) answer = NULL;
      g_auto(GStrv) revs = NULL;

      if (!g_str_equal (open_revs, "all"))
        {
          g_autoptr(JsonNode) node = query_json (open_revs);

          if (!(revs = string_array (node)))
            {
              reply_bad_request (&req->reply, "open_revs must be \"all\" or a JSON array of revs");
              return;
            }
        }
      /* CouchDB's replicator asks with no attachments=true and expects
       * the attachments' data all the same, but for those atts_since
       * says it has: CouchDB sends them, so does this, from the files
       * (the documents are read with stubs). */
      if (req->accept_multipart)
        flags &= ~GLS_STORE_GET_ATTACHMENTS;
      if (!(answer = gls_store_get_open_revs (req->store, id, (const char *const *) revs,
                                              flags, &error)))
        {
          reply_gerror (&req->reply, error);
          return;
        }
      for (guint i = 0; i < json_array_get_length (answer); i++)
        {
          JsonObject *item = json_array_get_object_element (answer, i);

          if (!json_object_has_member (item, "ok"))
            continue;
          if (req->accept_multipart)
            mark_follows (json_object_get_object_member (item, "ok"), (const char *const *) atts_since);
          else
            apply_atts_since (json_object_get_object_member (item, "ok"),
                              (const char *const *) atts_since);
        }
      if (req->accept_multipart)
        {
          if (!reply_open_revs_multipart (&req->reply, req->store, answer, &error))
            reply_gerror (&req->reply, error);
        }
      else
        reply_array (&req->reply, SOUP_STATUS_OK, answer);
      return;
    }

  {
    g_autoptr(JsonObject) doc = NULL;

    if (rev != NULL)
      flags |= GLS_STORE_GET_DELETED_OK;
    if (!(doc = gls_store_get (req->store, id, rev, flags & ~GLS_STORE_GET_LATEST, &error)))
      {
        reply_gerror (&req->reply, error);
        return;
      }
    apply_atts_since (doc, (const char *const *) atts_since);
    reply_object (&req->reply, SOUP_STATUS_OK, doc);
  }
}

/* A gzip part may inflate this much (a bomb makes 1,000 times its size). */
#define GZIP_MAX_RATIO 100
#define GZIP_MIN_LIMIT ((gsize) 16 << 20)

/* A gzip attachment's blob inflated into a new blob, at most `limit`
 * bytes (CouchDB sends text attachments so). */
static GlsStoreBlob *
inflate_blob (GlsStore      *store,
              GlsStoreBlob  *blob,
              gsize          limit,
              gboolean      *too_large,
              GError       **error)
{
  g_autoptr(GInputStream) file = gls_store_blob_read (blob, error);
  g_autoptr(GZlibDecompressor) decompressor = NULL;
  g_autoptr(GInputStream) inflated = NULL;
  g_autoptr(GlsStoreBlobWriter) writer = NULL;
  g_autofree guint8 *buf = NULL;
  gsize total = 0;

  *too_large = FALSE;
  if (file == NULL)
    return NULL;
  decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  inflated = g_converter_input_stream_new (file, G_CONVERTER (decompressor));
  if (!(writer = gls_store_blob_writer_new (store, error)))
    return NULL;
  buf = g_malloc (64 * 1024);
  for (;;)
    {
      gssize n = g_input_stream_read (inflated, buf, 64 * 1024, NULL, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if ((total += (gsize) n) > limit)
        {
          *too_large = TRUE;
          return NULL;
        }
      if (!gls_store_blob_writer_write (writer, buf, (gsize) n, error))
        return NULL;
    }
  return gls_store_blob_writer_finish (writer, error);
}

/* The document of a streamed multipart PUT; `follows` gets each
 * "follows" attachment's blob by name (the parts come in the order of
 * the attachments in the JSON, as CouchDB writes them). */
static JsonNode *
streamed_multipart_doc (Request    *req,
                        GHashTable *follows)
{
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GPtrArray) blobs = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) names = NULL;
  JsonNode *atts_node;
  JsonObject *atts;
  guint next = 0;

  if (!gls_multipart_sink_finish (req->sink, &first, &blobs, &error))
    {
      if (error->domain == GLS_MULTIPART_SINK_ERROR)
        reply_bad_request (&req->reply, error->message);
      else
        reply_error (&req->reply, SOUP_STATUS_INSUFFICIENT_STORAGE, "insufficient_storage", error->message);
      return NULL;
    }
  root = gls_json_from_data (g_bytes_get_data (first, NULL), g_bytes_get_size (first), NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      reply_bad_request (&req->reply, "The first part must be a JSON document");
      return NULL;
    }
  atts_node = json_object_get_member (json_node_get_object (root), "_attachments");
  if (atts_node == NULL)
    return g_steal_pointer (&root);
  if (!JSON_NODE_HOLDS_OBJECT (atts_node))
    {
      reply_bad_request (&req->reply, "_attachments must be an object");
      return NULL;
    }
  atts = json_node_get_object (atts_node);
  names = json_object_get_members (atts);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *att_node = json_object_get_member (atts, l->data);
      GlsStoreBlob *blob;
      JsonObject *att;
      const char *encoding;

      if (!JSON_NODE_HOLDS_OBJECT (att_node))
        {
          reply_bad_request (&req->reply, "Each attachment must be an object");
          return NULL;
        }
      att = json_node_get_object (att_node);
      if (!json_object_get_boolean_member_with_default (att, "follows", FALSE))
        continue;
      if (next >= blobs->len)
        {
          reply_bad_request (&req->reply, "An attachment part is missing");
          return NULL;
        }
      blob = g_steal_pointer (&g_ptr_array_index (blobs, next));
      next++;
      encoding = json_object_get_string_member_with_default (att, "encoding", NULL);
      if (encoding != NULL && g_str_equal (encoding, "gzip"))
        {
          g_autoptr(GlsStoreBlob) compressed = blob;
          /* Only text comes compressed (CouchDB's compressible types):
           * it inflates to no more than a body may hold. */
          gsize limit = MIN (req->self->max_body_size,
                             MAX (GZIP_MIN_LIMIT, GZIP_MAX_RATIO * (gsize) gls_store_blob_get_length (compressed)));
          gboolean too_large;

          if (!(blob = inflate_blob (req->store, compressed, limit, &too_large, &error)))
            {
              if (too_large)
                reply_error (&req->reply, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                             "An attachment inflates beyond what a body may hold");
              else
                reply_bad_request (&req->reply, "An attachment is not valid gzip");
              return NULL;
            }
        }
      else if (encoding != NULL)
        {
          gls_store_blob_free (blob);
          reply_error (&req->reply, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "bad_content_type",
                       "Unsupported attachment encoding");
          return NULL;
        }
      /* The store takes digest and length from the bytes themselves. */
      json_object_remove_member (att, "encoding");
      json_object_remove_member (att, "encoded_length");
      g_hash_table_insert (follows, g_strdup (l->data), blob);
    }
  return g_steal_pointer (&root);
}

static void
handle_doc_put (Request    *req,
                const char *id)
{
  g_autoptr(GHashTable) follows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) gls_store_blob_free);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonArray) docs = NULL;
  g_autoptr(JsonArray) results = NULL;
  JsonObject *doc, *result;
  JsonNode *id_node;
  gboolean new_edits = TRUE;

  if (!query_bool (req, "new_edits", &new_edits))
    return;
  if (req->sink != NULL)
    body = streamed_multipart_doc (req, follows);
  else if (req->content_type != NULL &&
           g_ascii_strncasecmp (req->content_type, "multipart/related", 17) == 0)
    reply_bad_request (&req->reply, "Invalid multipart/related body");
  else
    body = parse_body (req, JSON_NODE_OBJECT);
  if (body == NULL)
    return;
  doc = json_node_get_object (body);
  id_node = json_object_get_member (doc, "_id");
  if (id_node != NULL && (!is_string_node (id_node) ||
                          !g_str_equal (json_node_get_string (id_node), id)))
    {
      reply_bad_request (&req->reply, "Document id must match the URL");
      return;
    }
  if (id_node == NULL)
    {
      JsonObject *copy = json_object_new ();
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_set_string_member (copy, "_id", id);
      json_object_iter_init (&iter, doc);
      while (json_object_iter_next (&iter, &name, &member))
        json_object_set_member (copy, name, json_node_ref (member));
      json_node_take_object (body, copy);
      doc = copy;
    }
  if (!json_object_has_member (doc, "_rev") && query_get (req, "rev") != NULL)
    json_object_set_string_member (doc, "_rev", query_get (req, "rev"));

  docs = json_array_new ();
  json_array_add_object_element (docs, json_object_ref (doc));
  if (!(results = gls_store_bulk_docs_with_blobs (req->store, docs, new_edits, follows, &error)))
    {
      reply_gerror (&req->reply, error);
      return;
    }
  result = json_array_get_object_element (results, 0);
  if (json_object_has_member (result, "error"))
    {
      const char *name = json_object_get_string_member (result, "error");
      const char *reason = json_object_get_string_member_with_default (result, "reason", name);
      guint status = SOUP_STATUS_BAD_REQUEST;

      if (g_str_equal (name, "conflict"))
        status = SOUP_STATUS_CONFLICT;
      else if (g_str_equal (name, "not_found"))
        status = SOUP_STATUS_NOT_FOUND;
      else if (g_str_equal (name, "missing_stub"))
        status = SOUP_STATUS_PRECONDITION_FAILED;
      reply_error (&req->reply, status, name, reason);
      return;
    }
  answer = json_object_new ();
  json_object_set_boolean_member (answer, "ok", TRUE);
  json_object_set_string_member (answer, "id", id);
  json_object_set_string_member (answer, "rev",
                                 json_object_get_string_member_with_default (result, "rev",
                                                                             json_object_get_string_member_with_default (doc, "_rev", "")));
  reply_object (&req->reply, SOUP_STATUS_CREATED, answer);
}

static void
handle_attachment (Request    *req,
                   const char *id,
                   const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *content_type = NULL;
  gint64 length = 0;

  if (!g_str_equal (req->method, "GET") && !g_str_equal (req->method, "HEAD"))
    {
      reply_method_not_allowed (&req->reply, "GET,HEAD");
      return;
    }
  stream = gls_store_open_attachment (req->store, id, query_get (req, "rev"), name,
                                      &content_type, &length, &error);
  if (stream == NULL)
    {
      reply_gerror (&req->reply, error);
      return;
    }
  /* Sent from the file, a piece at a time. */
  {
    GPtrArray *segments = g_ptr_array_new_with_free_func ((GDestroyNotify) segment_free);

    g_ptr_array_add (segments, segment_new_stream (g_steal_pointer (&stream), length));
    reply_segments (&req->reply, SOUP_STATUS_OK,
                    content_type != NULL ? content_type : "application/octet-stream", segments);
  }
}

/* Routing */

static void
handle_db (Request *req)
{
  const char *first;

  if (req->n_segments == 0)
    {
      if (g_str_equal (req->method, "GET") || g_str_equal (req->method, "HEAD"))
        {
          if (req->store == NULL)
            reply_error (&req->reply, SOUP_STATUS_NOT_FOUND, "not_found", "Database does not exist.");
          else
            handle_db_info (req);
        }
      else if (g_str_equal (req->method, "PUT"))
        handle_db_create (req);
      else if (g_str_equal (req->method, "POST"))
        reply_error (&req->reply, SOUP_STATUS_FORBIDDEN, "forbidden",
                     "Posting documents is not supported; use _bulk_docs.");
      else
        reply_method_not_allowed (&req->reply, "GET,HEAD,PUT");
      return;
    }

  if (req->store == NULL)
    {
      reply_error (&req->reply, SOUP_STATUS_NOT_FOUND, "not_found", "Database does not exist.");
      return;
    }

  first = req->segments[0];
  if (g_str_equal (first, "_local") || g_str_equal (first, "_design"))
    {
      g_autofree char *id = NULL;

      if (req->n_segments < 2 || *req->segments[1] == '\0')
        {
          reply_bad_request (&req->reply, "Missing document id");
          return;
        }
      if (g_str_equal (first, "_local"))
        {
          if (req->n_segments > 2)
            reply_error (&req->reply, SOUP_STATUS_NOT_FOUND, "not_found", "_local documents have no attachments");
          else
            handle_local (req, req->segments[1]);
          return;
        }
      id = g_strconcat ("_design/", req->segments[1], NULL);
      if (req->n_segments > 2)
        {
          g_autofree char *name = g_strjoinv ("/", req->segments + 2);

          handle_attachment (req, id, name);
        }
      else if (g_str_equal (req->method, "GET") || g_str_equal (req->method, "HEAD"))
        handle_doc_get (req, id);
      else if (g_str_equal (req->method, "PUT"))
        handle_doc_put (req, id);
      else
        reply_method_not_allowed (&req->reply, "GET,HEAD,PUT");
      return;
    }

  /* "_design%2Fname": some clients escape the slash (CouchDB redirects
   * GET to "_design/name" and serves the other methods); it is that
   * document, not an endpoint. */
  if (req->n_segments == 1 && first[0] == '_' && !g_str_has_prefix (first, "_design/"))
    {
      if (g_str_equal (first, "_changes"))
        handle_changes (req);
      else if (g_str_equal (first, "_revs_diff"))
        handle_revs_diff (req);
      else if (g_str_equal (first, "_bulk_docs"))
        handle_bulk_docs (req);
      else if (g_str_equal (first, "_bulk_get"))
        handle_bulk_get (req);
      else if (g_str_equal (first, "_all_docs"))
        handle_all_docs (req);
      else if (g_str_equal (first, "_ensure_full_commit"))
        {
          g_autoptr(JsonObject) answer = json_object_new ();

          if (!g_str_equal (req->method, "POST"))
            {
              reply_method_not_allowed (&req->reply, "POST");
              return;
            }
          json_object_set_boolean_member (answer, "ok", TRUE);
          json_object_set_string_member (answer, "instance_start_time",
                                         gls_store_get_instance_start_time (req->store));
          reply_object (&req->reply, SOUP_STATUS_CREATED, answer);
        }
      else
        reply_error (&req->reply, SOUP_STATUS_NOT_FOUND, "not_found", "missing");
      return;
    }

  if (*first == '\0')
    {
      reply_bad_request (&req->reply, "Missing document id");
      return;
    }
  if (req->n_segments > 1)
    {
      g_autofree char *name = g_strjoinv ("/", req->segments + 1);

      handle_attachment (req, first, name);
    }
  else if (g_str_equal (req->method, "GET") || g_str_equal (req->method, "HEAD"))
    handle_doc_get (req, first);
  else if (g_str_equal (req->method, "PUT"))
    handle_doc_put (req, first);
  else
    reply_method_not_allowed (&req->reply, "GET,HEAD,PUT");
}

/* Access */

/* Compares in a time that depends on the length of `key` only. */
static gboolean
key_equal (const char *given,
           gsize       given_len,
           const char *key)
{
  gsize key_len = strlen (key);
  guchar diff = given_len != key_len;

  for (gsize i = 0; i < key_len; i++)
    diff |= (guchar) key[i] ^ (guchar) (i < given_len ? given[i] : 0);
  return diff == 0;
}

/* What a password gives access to. */
static Access
password_access (const Keys *keys,
                 const char *password,
                 gsize       password_len)
{
  gboolean write, read;

  /* Compare with both keys every time. */
  write = key_equal (password, password_len, keys->key);
  read = keys->read_only_key != NULL && key_equal (password, password_len, keys->read_only_key);
  return write ? ACCESS_WRITE : read ? ACCESS_READ : ACCESS_NONE;
}

/* Sessions (POST /_session), as CouchDB has them for peers that log in
 * (CouchDB's replicator does, when the source or target allows it): the
 * password, a database's key, traded for a cookie that stands for it. */

#define SESSION_TIMEOUT_S 600   /* CouchDB's [chttpd_auth] timeout */
#define MAX_SESSIONS      4096
#define SESSION_COOKIE    "AuthSession"

typedef struct
{
  char   *name;
  char   *password;
  gint64  expires;   /* monotonic; each use moves it on */
} Session;

static void
session_free (Session *session)
{
  g_free (session->name);
  g_free (session->password);
  g_free (session);
}

/* The AuthSession cookie of `msg`, or NULL. */
static char *
request_session_token (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Cookie");
  g_autoptr(GHashTable) cookies = NULL;

  if (header == NULL)
    return NULL;
  cookies = soup_header_parse_semi_param_list (header);
  return g_strdup (g_hash_table_lookup (cookies, SESSION_COOKIE));
}

static Session *
request_session (GlsPeerServer     *self,
                 SoupServerMessage *msg)
{
  g_autofree char *token = request_session_token (msg);
  Session *session;

  if (token == NULL || self->sessions == NULL ||
      (session = g_hash_table_lookup (self->sessions, token)) == NULL)
    return NULL;
  if (session->expires < g_get_monotonic_time ())
    {
      g_hash_table_remove (self->sessions, token);
      return NULL;
    }
  session->expires = g_get_monotonic_time () + SESSION_TIMEOUT_S * G_USEC_PER_SEC;
  return session;
}

/* What the HTTP Basic password of `msg`, or its session cookie, gives
 * access to. Any user name is accepted: the key is the password. */
static Access
request_access (GlsPeerServer     *self,
                const Keys        *keys,
                SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  g_autofree guchar *decoded = NULL;
  const char *password;
  gsize len = 0;
  Session *session;

  if (header == NULL && (session = request_session (self, msg)) != NULL)
    return password_access (keys, session->password, strlen (session->password));
  if (header == NULL || g_ascii_strncasecmp (header, "Basic ", 6) != 0)
    return ACCESS_NONE;
  header += 6;
  while (*header == ' ')
    header++;
  decoded = g_base64_decode (header, &len);
  if (decoded == NULL)
    return ACCESS_NONE;
  password = memchr (decoded, ':', len);
  if (password == NULL)
    return ACCESS_NONE;
  password++;
  return password_access (keys, password, len - (password - (const char *) decoded));
}

static void
sessions_prune (GlsPeerServer *self)
{
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  Session *session;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
    if (session->expires < now)
      g_hash_table_iter_remove (&iter);
  /* Still full (many logins, all recent): the oldest ones go. */
  while (g_hash_table_size (self->sessions) >= MAX_SESSIONS)
    {
      const char *oldest = NULL;
      gint64 first = G_MAXINT64;
      const char *token;

      g_hash_table_iter_init (&iter, self->sessions);
      while (g_hash_table_iter_next (&iter, (gpointer *) &token, (gpointer *) &session))
        if (session->expires < first)
          {
            first = session->expires;
            oldest = token;
          }
      g_hash_table_remove (self->sessions, oldest);
    }
}

/* POST /_session: name and password, as a form or JSON. */
static void
session_login (Request *req)
{
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(JsonNode) json = NULL;
  const char *name = NULL, *password = NULL;
  const char *type = req->content_type != NULL ? req->content_type : "";
  g_autofree char *token = NULL;
  g_autofree char *cookie = NULL;
  g_autoptr(JsonObject) answer = NULL;
  GHashTableIter iter;
  const Keys *keys;
  gboolean known = FALSE;
  Session *session;

  if (g_str_has_prefix (type, "application/x-www-form-urlencoded"))
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (req->body, NULL), g_bytes_get_size (req->body));

      form = soup_form_decode (text);
      name = g_hash_table_lookup (form, "name");
      password = g_hash_table_lookup (form, "password");
    }
  else
    {
      JsonObject *object;

      if (!(json = parse_body (req, JSON_NODE_OBJECT)))
        return;
      object = json_node_get_object (json);
      name = json_object_get_string_member_with_default (object, "name", NULL);
      password = json_object_get_string_member_with_default (object, "password", NULL);
    }
  if (name == NULL || password == NULL || !g_utf8_validate (name, -1, NULL))
    {
      reply_error (&req->reply, SOUP_STATUS_BAD_REQUEST, "bad_request", "name and password are required");
      return;
    }

  g_hash_table_iter_init (&iter, req->self->keys);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &keys))
    known |= password_access (keys, password, strlen (password)) != ACCESS_NONE;
  if (!known)
    {
      reply_error (&req->reply, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                   "Name or password is incorrect.");
      return;
    }

  sessions_prune (req->self);
  /* As unguessable as a key: it stands for one. */
  token = gls_peer_server_generate_key ();
  session = g_new0 (Session, 1);
  session->name = g_strdup (name);
  session->password = g_strdup (password);
  session->expires = g_get_monotonic_time () + SESSION_TIMEOUT_S * G_USEC_PER_SEC;
  g_hash_table_replace (req->self->sessions, g_strdup (token), session);

  cookie = g_strdup_printf (SESSION_COOKIE "=%s; Version=1; Path=/; HttpOnly", token);
  soup_message_headers_append (soup_server_message_get_response_headers (req->msg), "Set-Cookie", cookie);
  answer = json_object_new ();
  json_object_set_boolean_member (answer, "ok", TRUE);
  json_object_set_string_member (answer, "name", name);
  json_object_set_array_member (answer, "roles", json_array_new ());
  reply_object (&req->reply, SOUP_STATUS_OK, answer);
}

/* /_session: POST logs in, GET says who is, DELETE logs out. */
static void
handle_session (Request *req)
{
  g_autoptr(JsonObject) answer = json_object_new ();
  JsonObject *user, *info;
  JsonArray *handlers;
  Session *session;

  if (g_str_equal (req->method, "POST"))
    {
      session_login (req);
      return;
    }
  if (g_str_equal (req->method, "DELETE"))
    {
      g_autofree char *token = request_session_token (req->msg);

      if (token != NULL)
        g_hash_table_remove (req->self->sessions, token);
      soup_message_headers_append (soup_server_message_get_response_headers (req->msg), "Set-Cookie",
                                   SESSION_COOKIE "=; Version=1; Path=/; HttpOnly");
      json_object_set_boolean_member (answer, "ok", TRUE);
      reply_object (&req->reply, SOUP_STATUS_OK, answer);
      return;
    }
  if (!g_str_equal (req->method, "GET") && !g_str_equal (req->method, "HEAD"))
    {
      reply_method_not_allowed (&req->reply, "GET,HEAD,POST,DELETE");
      return;
    }

  session = request_session (req->self, req->msg);
  user = json_object_new ();
  info = json_object_new ();
  handlers = json_array_new ();
  if (session != NULL)
    json_object_set_string_member (user, "name", session->name);
  else
    json_object_set_null_member (user, "name");
  json_object_set_array_member (user, "roles", json_array_new ());
  json_array_add_string_element (handlers, "cookie");
  json_array_add_string_element (handlers, "default");
  json_object_set_array_member (info, "authentication_handlers", handlers);
  if (session != NULL)
    json_object_set_string_member (info, "authenticated", "cookie");
  json_object_set_boolean_member (answer, "ok", TRUE);
  json_object_set_object_member (answer, "userCtx", user);
  json_object_set_object_member (answer, "info", info);
  reply_object (&req->reply, SOUP_STATUS_OK, answer);
}

/* Reads are GET and HEAD, and the POSTs that only query: _changes,
 * _revs_diff, _bulk_get, _all_docs and _ensure_full_commit (which writes
 * nothing). Everything else (PUT, DELETE, POST _bulk_docs, any other
 * method) is a write. */
static gboolean
request_is_write (Request *req)
{
  static const char *const read_posts[] = {
    "_changes", "_revs_diff", "_bulk_get", "_all_docs", "_ensure_full_commit", NULL
  };

  if (g_str_equal (req->method, "GET") || g_str_equal (req->method, "HEAD"))
    return FALSE;
  if (g_str_equal (req->method, "POST") && req->n_segments == 1
      && g_strv_contains (read_posts, req->segments[0]))
    return FALSE;
  return TRUE;
}

/* Checks the request's key; FALSE when it was refused (the reply is set). */
static gboolean
check_access (Request *req)
{
  const Keys *keys = g_hash_table_lookup (req->self->keys, req->db_name);
  Access access;

  if (keys == NULL)
    return TRUE;

  access = request_access (req->self, keys, req->msg);
  if (access == ACCESS_NONE)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                    "WWW-Authenticate", "Basic realm=\"glossa\"");
      reply_error (&req->reply, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                   "This database needs its access key: use the share link.");
      return FALSE;
    }
  if (access == ACCESS_READ && request_is_write (req))
    {
      reply_error (&req->reply, SOUP_STATUS_FORBIDDEN, "forbidden",
                   "This key can only read.");
      return FALSE;
    }
  return TRUE;
}

/* Document size
 *
 * CouchDB refuses a document whose body, without attachment data, is over
 * max_document_size (8,000,000 bytes) with 413 document_too_large. A JSON
 * body (PUT /{db}/{id}, POST _bulk_docs) is scanned as it arrives, so a
 * 300 MB document is refused after its first 8 MB, not held whole: bytes
 * count from a document's "{" to its "}", except the strings of
 * "_attachments": {name: {"data": "…"}}. */

#define SCAN_MAX_DEPTH 64
#define SCAN_KEY_MAX   16
#define SCAN_ID_MAX    256

typedef struct
{
  guint    doc_depth;        /* 1 for a document, 3 in {"docs": [ … ]} */
  guint    depth;
  char     kind[SCAN_MAX_DEPTH + 1];
  gboolean in_string;
  gboolean escape;
  gboolean expect_key;
  gboolean is_key;           /* the string being read is a key */
  gboolean skip;             /* attachment data: not counted */
  gboolean is_id;            /* the document's "_id" */
  gboolean atts_open;        /* inside the document's "_attachments" */
  char     key[SCAN_KEY_MAX];
  guint    key_len;
  GString *id;
  guint64  doc_size;
} DocScan;

static void
doc_scan_free (DocScan *scan)
{
  g_string_free (scan->id, TRUE);
  g_free (scan);
}

static gboolean
doc_scan_key_is (DocScan    *scan,
                 const char *key)
{
  return scan->key_len == strlen (key) && memcmp (scan->key, key, scan->key_len) == 0;
}

/* TRUE when a document passed MAX_DOC_SIZE (its id, if seen, in scan->id). */
static gboolean
doc_scan (DocScan      *scan,
          const guint8 *data,
          gsize         length)
{
  for (gsize i = 0; i < length; i++)
    {
      guint8 c = data[i];

      if (scan->depth >= scan->doc_depth && !scan->skip && ++scan->doc_size > MAX_DOC_SIZE)
        return TRUE;
      if (scan->in_string)
        {
          if (scan->escape)
            scan->escape = FALSE;
          else if (c == '\\')
            scan->escape = TRUE;
          else if (c == '"')
            {
              scan->in_string = FALSE;
              scan->skip = FALSE;
              scan->is_id = FALSE;
              continue;
            }
          if (scan->is_key && scan->key_len < SCAN_KEY_MAX)
            scan->key[scan->key_len++] = c;
          else if (scan->is_id && scan->id->len < SCAN_ID_MAX)
            g_string_append_c (scan->id, c);
          continue;
        }
      switch (c)
        {
        case '"':
          scan->in_string = TRUE;
          scan->is_key = scan->expect_key;
          if (scan->is_key)
            scan->key_len = 0;
          else if (scan->atts_open && scan->depth == scan->doc_depth + 2 && doc_scan_key_is (scan, "data"))
            scan->skip = TRUE;
          else if (scan->depth == scan->doc_depth && doc_scan_key_is (scan, "_id"))
            scan->is_id = TRUE;
          break;
        case '{':
        case '[':
          scan->depth++;
          if (scan->depth <= SCAN_MAX_DEPTH)
            scan->kind[scan->depth] = c;
          if (c == '{' && scan->depth == scan->doc_depth)
            {
              scan->doc_size = 1;
              g_string_truncate (scan->id, 0);
            }
          if (c == '{' && scan->depth == scan->doc_depth + 1 && doc_scan_key_is (scan, "_attachments"))
            scan->atts_open = TRUE;
          scan->expect_key = c == '{';
          break;
        case '}':
        case ']':
          if (scan->depth == scan->doc_depth + 1)
            scan->atts_open = FALSE;
          if (scan->depth > 0)
            scan->depth--;
          scan->expect_key = FALSE;
          break;
        case ',':
          scan->expect_key = scan->depth <= SCAN_MAX_DEPTH && scan->kind[scan->depth] == '{';
          break;
        case ':':
          scan->expect_key = FALSE;
          break;
        default:
          break;
        }
    }
  return FALSE;
}

/* A scan for requests whose JSON body holds documents; NULL for others. */
static DocScan *
doc_scan_new_for (SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  const char *type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);
  g_auto(GStrv) segments = NULL;
  guint n;
  DocScan *scan;

  if (path == NULL || (type != NULL && g_str_has_prefix (type, "multipart/")))
    return NULL;
  segments = g_strsplit (path + (path[0] == '/'), "/", -1);
  n = g_strv_length (segments);
  scan = g_new0 (DocScan, 1);
  scan->id = g_string_new (NULL);
  if (g_str_equal (method, "POST") && n == 2 && g_str_equal (segments[1], "_bulk_docs"))
    scan->doc_depth = 3;
  else if (g_str_equal (method, "PUT") && n >= 2 && segments[1][0] != '\0' &&
           (n == 2 || (n == 3 && (g_str_equal (segments[1], "_design") ||
                                  g_str_equal (segments[1], "_local")))))
    scan->doc_depth = 1;
  else
    g_clear_pointer (&scan, doc_scan_free);
  return scan;
}

/* See "Connections", below. */
static void     connection_request_begin (GlsPeerServer     *self,
                                          SoupServerMessage *msg);
static gboolean connection_answer_now    (GlsPeerServer     *self,
                                          SoupServerMessage *msg,
                                          Reply             *reply);

/* An early refusal is answered at once when the connection is ours (see
 * connection_answer_now); else libsoup sends it after reading the body. */
static void
refuse (GlsPeerServer     *self,
        SoupServerMessage *msg,
        Reply             *reply)
{
  reply->close = TRUE;
  if (!connection_answer_now (self, msg, reply))
    reply_apply (reply, msg);
  reply_clear (reply);
}

/* Refuses a request whose declared body is over the limit. From the early
 * handler, this happens before the body is read. */
static gboolean
body_too_large (GlsPeerServer     *self,
                SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  Reply reply = { 0, };
  goffset length;

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH ||
      g_object_get_data (G_OBJECT (msg), "gls-multipart-sink") != NULL)
    return FALSE;
  length = soup_message_headers_get_content_length (headers);
  if (length < 0 || (guint64) length <= self->max_body_size)
    return FALSE;
  reply_error (&reply, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
               "the request entity is too large");
  refuse (self, msg, &reply);
  return TRUE;
}

/* A body is counted as it arrives (a chunked one has no declared length)
 * and its documents are measured: past a limit it is refused at once, so
 * that no client makes the server hold more than max-body-size, or more
 * than a document's worth of a document that is too large. */
static void
request_chunk_cb (SoupServerMessage *msg,
                  GBytes            *chunk,
                  GlsPeerServer     *self)
{
  guint64 *received = g_object_get_data (G_OBJECT (msg), "gls-body-received");
  DocScan *scan = g_object_get_data (G_OBJECT (msg), "gls-doc-scan");
  Reply reply = { 0, };

  GlsMultipartSink *sink = g_object_get_data (G_OBJECT (msg), "gls-multipart-sink");

  if (g_object_get_data (G_OBJECT (msg), "gls-answered"))
    return;
  if (sink != NULL)
    {
      g_autoptr(GError) error = NULL;

      /* Its parts go to files as they come: no body limit but the disk's
       * (and the document part's). */
      if (gls_multipart_sink_feed (sink, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk), &error))
        return;
      if (g_error_matches (error, GLS_MULTIPART_SINK_ERROR, GLS_MULTIPART_SINK_ERROR_TOO_LARGE))
        reply_error (&reply, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "document_too_large", error->message);
      else if (error->domain == GLS_MULTIPART_SINK_ERROR)
        reply_bad_request (&reply, error->message);
      else
        reply_error (&reply, SOUP_STATUS_INSUFFICIENT_STORAGE, "insufficient_storage", error->message);
      g_object_set_data (G_OBJECT (msg), "gls-multipart-sink", NULL);
      refuse (self, msg, &reply);
      return;
    }
  *received += g_bytes_get_size (chunk);
  if (*received > self->max_body_size)
    {
      g_debug ("a request body passed %" G_GSIZE_FORMAT " bytes: refused", self->max_body_size);
      reply_error (&reply, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                   "the request entity is too large");
    }
  else if (scan != NULL && doc_scan (scan, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk)))
    {
      g_debug ("a document passed %d bytes: refused", MAX_DOC_SIZE);
      reply_error (&reply, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "document_too_large",
                   scan->id->str);
    }
  else
    return;
  soup_message_body_truncate (soup_server_message_get_request_body (msg));
  refuse (self, msg, &reply);
}

/* Refuses a request with a body and without the database's key before
 * the body is read: nobody without a key makes the server hold a body.
 * (The handler checks the key of every request again.) */
static gboolean
body_unauthorized (GlsPeerServer     *self,
                   SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  const char *start, *end;
  g_autofree char *db_name = NULL;
  const Keys *keys;
  Reply reply = { 0, };

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_NONE
      || (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
          && soup_message_headers_get_content_length (headers) == 0))
    return FALSE;
  start = path + (path[0] == '/');
  end = strchr (start, '/');
  db_name = g_uri_unescape_segment (start, end, NULL);
  if (db_name == NULL || (keys = g_hash_table_lookup (self->keys, db_name)) == NULL)
    return FALSE;
  if (request_access (self, keys, msg) != ACCESS_NONE)
    return FALSE;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate", "Basic realm=\"glossa\"");
  reply_error (&reply, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
               "This database needs its access key: use the share link.");
  refuse (self, msg, &reply);
  return TRUE;
}

/* A PUT of a document as multipart/related (how CouchDB's replicator
 * sends attachments), by a client that may write: its attachments go to
 * files of the store as they arrive (gls-multipart-sink.c). */
static void
stream_multipart_put (GlsPeerServer     *self,
                      SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_one (headers, "Content-Type");
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  g_auto(GStrv) parts = NULL;
  g_autofree char *db_name = NULL;
  const Keys *keys;
  GlsStore *store;
  GlsMultipartSink *sink;

  if (!g_str_equal (soup_server_message_get_method (msg), "PUT") || type == NULL ||
      g_ascii_strncasecmp (type, "multipart/related", 17) != 0 || path == NULL || path[0] != '/')
    return;
  parts = g_strsplit (path + 1, "/", -1);
  /* /db/doc and /db/_design/doc */
  if (g_strv_length (parts) == 3 && g_str_equal (parts[1], "_design") && parts[2][0] != '\0')
    {
      g_free (parts[2]);
      parts[2] = NULL;
      parts[1][1] = 'd';  /* any id not starting with '_' */
    }
  if (g_strv_length (parts) != 2 || parts[1][0] == '\0' || parts[1][0] == '_' ||
      !(db_name = g_uri_unescape_string (parts[0], NULL)) ||
      !(store = g_hash_table_lookup (self->databases, db_name)))
    return;
  if ((keys = g_hash_table_lookup (self->keys, db_name)) != NULL &&
      request_access (self, keys, msg) != ACCESS_WRITE)
    return;
  if (!(sink = gls_multipart_sink_new (type, store, MAX_DOC_SIZE)))
    return;
  g_object_set_data_full (G_OBJECT (msg), "gls-multipart-sink", sink,
                          (GDestroyNotify) gls_multipart_sink_free);
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
}

static void
early_callback (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  GlsPeerServer *self = user_data;
  SoupEncoding encoding;

  connection_request_begin (self, msg);
  if (body_unauthorized (self, msg))
    return;
  stream_multipart_put (self, msg);
  if (body_too_large (self, msg))
    return;
  encoding = soup_message_headers_get_encoding (soup_server_message_get_request_headers (msg));
  if (encoding == SOUP_ENCODING_NONE)
    return;
  g_object_set_data_full (G_OBJECT (msg), "gls-body-received", g_new0 (guint64, 1), g_free);
  g_object_set_data_full (G_OBJECT (msg), "gls-doc-scan", doc_scan_new_for (msg),
                          (GDestroyNotify) doc_scan_free);
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (request_chunk_cb), self, 0);
}

static void
request_finished_cb (Request *req)
{
  req->finished = TRUE;
}

static void
request_worker (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  handle_db (task_data);
  g_task_return_boolean (task, TRUE);
}

static void
request_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Request *req = g_task_get_task_data (G_TASK (result));

  g_clear_signal_handler (&req->finished_id, req->msg);
  g_clear_signal_handler (&req->disconnected_id, req->msg);
  if (req->finished)
    ;
  else if (req->wait)
    long_poll_start (req);
  else
    {
      reply_apply (&req->reply, req->msg);
      soup_server_message_unpause (req->msg);
    }
  /* The task may be freed in the worker: drop the objects here. */
  g_clear_object (&req->msg);
  g_clear_object (&req->store);
  g_clear_object (&req->self);
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  GlsPeerServer *self = user_data;
  g_autoptr(Request) req = NULL;
  g_auto(GStrv) raw = NULL;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *raw_path = g_uri_get_path (uri);
  const char *raw_query = g_uri_get_query (uri);
  GlsStore *store;
  guint n_raw;

  /* Answered before its body was read: nothing more to say. */
  if (g_object_get_data (G_OBJECT (msg), "gls-answered"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
      return;
    }
  if (body_too_large (self, msg) || body_unauthorized (self, msg))
    return;

  /* libsoup closes the connection after answering a request that says
   * "Connection: close", without saying so (RFC 9112 9.6: it should).
   * PouchDB Server 4.2.0 (node-fetch 1) sends that header through Node
   * 20's keep-alive agent, which then reuses the closed socket: "socket
   * hang up". */
  if (soup_message_headers_header_contains (soup_server_message_get_request_headers (msg),
                                            "Connection", "close"))
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Connection", "close");

  req = g_new0 (Request, 1);
  req->self = g_object_ref (self);
  req->msg = g_object_ref (msg);
  req->method = g_strdup (soup_server_message_get_method (msg));
  req->sink = g_object_steal_data (G_OBJECT (msg), "gls-multipart-sink");
  /* A streamed body went to files: nothing was kept. */
  req->body = req->sink != NULL ? g_bytes_new (NULL, 0)
                                : soup_message_body_flatten (soup_server_message_get_request_body (msg));
  {
    const char *accept = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                        "Accept");

    req->accept_multipart = accept != NULL && strstr (accept, "multipart/mixed") != NULL;
    req->content_type = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                                "Content-Type"));
  }
  if (raw_query != NULL && *raw_query != '\0')
    req->query = soup_form_decode (raw_query);

  if (raw_path == NULL || raw_path[0] != '/')
    {
      reply_bad_request (&req->reply, "Invalid path");
      goto out;
    }
  raw = g_strsplit (raw_path + 1, "/", -1);
  n_raw = g_strv_length (raw);
  /* "/db/" is "/db". */
  if (n_raw == 2 && *raw[1] == '\0')
    {
      g_free (raw[1]);
      raw[1] = NULL;
      n_raw = 1;
    }

  if (n_raw == 0 || *raw[0] == '\0')
    {
      handle_root (req);
      goto out;
    }

  req->segments = g_new0 (char *, n_raw);
  for (guint i = 0; i < n_raw; i++)
    {
      char *decoded = g_uri_unescape_string (raw[i], NULL);

      if (decoded == NULL)
        {
          reply_bad_request (&req->reply, "Invalid percent-encoding in the path");
          goto out;
        }
      /* As ids in bodies: a raw byte stored as an id breaks every
       * peer's _changes (JSON is UTF-8). */
      if (!g_utf8_validate (decoded, -1, NULL))
        {
          g_free (decoded);
          reply_bad_request (&req->reply, "invalid UTF-8 in the path");
          goto out;
        }
      if (i == 0)
        req->db_name = decoded;
      else
        req->segments[req->n_segments++] = decoded;
    }

  if (g_str_equal (req->db_name, "_session") && req->n_segments == 0)
    {
      handle_session (req);
      goto out;
    }
  if (req->db_name[0] == '_')
    {
      reply_error (&req->reply, SOUP_STATUS_NOT_FOUND, "not_found", "missing");
      goto out;
    }
  if (!gls_peer_server_is_valid_db_name (req->db_name))
    {
      g_autofree char *reason =
        g_strdup_printf ("Name: '%s'. Only lowercase characters (a-z), digits (0-9), and any of"
                         " the characters _, $, (, ), +, -, and / are allowed."
                         " Must begin with a letter.", req->db_name);

      reply_error (&req->reply, SOUP_STATUS_BAD_REQUEST, "illegal_database_name", reason);
      goto out;
    }
  if (!check_access (req))
    goto out;

  store = g_hash_table_lookup (self->databases, req->db_name);
  g_set_object (&req->store, store);
  if (store == NULL || (req->n_segments == 0 && g_str_equal (req->method, "PUT")))
    {
      /* No store call (or the create callback): answer here. */
      handle_db (req);
      goto out;
    }

  /* The store blocks on SQLite: work in a thread, answer when done. */
  req->finished_id = g_signal_connect_swapped (msg, "finished",
                                               G_CALLBACK (request_finished_cb), req);
  /* Closing the server (gls_peer_server_disconnect) drops paused messages
   * without "finished"; unpausing one then is a critical. */
  req->disconnected_id = g_signal_connect_swapped (msg, "disconnected",
                                                   G_CALLBACK (request_finished_cb), req);
  soup_server_message_pause (msg);
  {
    g_autoptr(GTask) task = g_task_new (NULL, NULL, request_done_cb, NULL);

    g_task_set_source_tag (task, server_callback);
    g_task_set_task_data (task, g_steal_pointer (&req), (GDestroyNotify) request_free);
    g_task_run_in_thread (task, request_worker);
  }
  return;

out:
  reply_apply (&req->reply, msg);
}

/* Connections
 *
 * The server accepts connections itself and hands each to SoupServer
 * (soup_server_accept_iostream), because libsoup 3.2 alone does not
 * survive its peers:
 *
 * - a keep-alive connection the client closes between two requests is
 *   never closed (fixed in libsoup 3.3): the descriptor stays in
 *   CLOSE-WAIT (closed here, its descriptor is freed; about 1 KB of
 *   libsoup's objects stays, out of reach);
 * - it has no timeout for idle connections or slow headers;
 * - when accept() fails (EMFILE at the fd limit) it stops listening for
 *   good.
 *
 * So each connection is watched while it waits for a request: a peer
 * that closes it gets it closed here; one that sends nothing within
 * idle_timeout, or no complete headers within headers_timeout of its
 * first byte, is closed. At the fd limit, idle connections are closed and
 * the peer that could not be accepted gets a 503 through a descriptor
 * kept spare for this. Connections are found again from a message by the
 * remote address object handed to libsoup with them. */

#define DEFAULT_IDLE_TIMEOUT_S    60
#define DEFAULT_HEADERS_TIMEOUT_S 10
#define ACCEPT_PAUSE_MS           100
#define SWEEP_INTERVAL_MS         250
#define LINGER_S                  2

typedef struct
{
  GlsPeerServer  *self;
  GIOStream      *stream;    /* what libsoup reads: TCP, or TLS over it */
  GSocket        *socket;
  GSocketAddress *remote;
  GSource        *watch;     /* readable while waiting for a request */
  gint64          deadline;  /* monotonic; 0 while a request is handled */
  gboolean        busy;      /* from a request's headers to its end */
  gboolean        got_bytes; /* of the next request */
  gboolean        answered;  /* early: closes at the deadline */
} Connection;

static void
connection_free (Connection *conn)
{
  if (conn->watch != NULL)
    {
      g_source_destroy (conn->watch);
      g_source_unref (conn->watch);
    }
  g_clear_object (&conn->stream);
  g_clear_object (&conn->socket);
  g_clear_object (&conn->remote);
  g_free (conn);
}

/* Closes the descriptor under libsoup: its next read fails and it lets go
 * of the connection as it does for any broken one. */
static void
connection_close (Connection *conn)
{
  GlsPeerServer *self = conn->self;

  g_debug ("closing a connection (%s)", conn->busy ? "busy" : conn->got_bytes ? "slow headers" : "idle");
  /* Not g_io_stream_close: over TLS that would write, and could block.
   * Shut down first: that wakes a handshake blocked reading it. */
  g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
  g_socket_close (conn->socket, NULL);
  g_hash_table_remove (self->connections, conn->remote);
}

static gboolean connection_watch_cb (GSocket      *socket,
                                     GIOCondition  condition,
                                     gpointer      user_data);

static void
connection_wait (Connection *conn,
                 gint64      now)
{
  conn->busy = FALSE;
  conn->got_bytes = FALSE;
  conn->deadline = now + (gint64) conn->self->idle_timeout * G_USEC_PER_SEC;
  if (conn->watch == NULL)
    {
      conn->watch = g_socket_create_source (conn->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (conn->watch, G_SOURCE_FUNC (connection_watch_cb), conn, NULL);
      g_source_attach (conn->watch, g_main_context_get_thread_default ());
    }
}

static void
connection_stop_watch (Connection *conn)
{
  if (conn->watch != NULL)
    {
      g_source_destroy (conn->watch);
      g_clear_pointer (&conn->watch, g_source_unref);
    }
}

/* While a connection waits for a request, libsoup reads it too; this only
 * peeks, to see the end of the stream (which libsoup 3.2 ignores there)
 * and the first byte of the next request (its headers have a shorter
 * deadline). */
static gboolean
connection_watch_cb (GSocket      *socket,
                     GIOCondition  condition,
                     gpointer      user_data)
{
  Connection *conn = user_data;
  char byte;
  gssize n;

  if (g_socket_is_closed (socket))
    {
      /* libsoup closed it (and the descriptor may be someone else's now) */
      g_clear_pointer (&conn->watch, g_source_unref);
      g_hash_table_remove (conn->self->connections, conn->remote);
      return G_SOURCE_REMOVE;
    }
  n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return G_SOURCE_CONTINUE;
  if (n > 0 && conn->busy)
    {
      /* a feed's client sent more: libsoup reads it when the feed ends */
      g_clear_pointer (&conn->watch, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  if (n > 0)
    {
      /* libsoup reads the request; its "request-started" follows */
      conn->got_bytes = TRUE;
      conn->deadline = MIN (conn->deadline,
                            g_get_monotonic_time ()
                            + (gint64) conn->self->headers_timeout * G_USEC_PER_SEC);
      g_clear_pointer (&conn->watch, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  /* The peer closed it, or reset it. */
  g_clear_pointer (&conn->watch, g_source_unref);
  connection_close (conn);
  return G_SOURCE_REMOVE;
}

static Connection *
connection_for_message (GlsPeerServer     *self,
                        SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  if (self->connections == NULL || remote == NULL)
    return NULL;
  return g_hash_table_lookup (self->connections, remote);
}

/* libsoup 3.2 answers a request only once it has read its body, whatever
 * an early handler says, and may then not answer at all: a refusal before
 * the body (too large, no key) is written here, on the connection, which
 * libsoup then only reads from (dropping the body) until it is closed,
 * LINGER_S later, when the peer has read the answer. */
static gboolean
connection_answer_now (GlsPeerServer     *self,
                       SoupServerMessage *msg,
                       Reply             *reply)
{
  Connection *conn = connection_for_message (self, msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  g_autoptr(GString) text = NULL;
  g_autoptr(GError) error = NULL;
  GOutputStream *output;
  gsize body_size = reply->body != NULL ? g_bytes_get_size (reply->body) : 0;

  if (conn == NULL || !G_IS_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (conn->stream)))
    return FALSE;
  text = g_string_new (NULL);
  g_string_append_printf (text, "HTTP/1.1 %u %s\r\n", reply->status,
                          soup_status_get_phrase (reply->status));
  soup_message_headers_iter_init (&iter, soup_server_message_get_response_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Connection") != 0)
      g_string_append_printf (text, "%s: %s\r\n", name, value);
  g_string_append_printf (text, "Content-Type: %s\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n\r\n",
                          reply->content_type != NULL ? reply->content_type : "application/json",
                          body_size);
  if (body_size > 0)
    g_string_append_len (text, g_bytes_get_data (reply->body, NULL), body_size);

  output = g_io_stream_get_output_stream (conn->stream);
  if (g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (output),
                                                  text->str, text->len, NULL, &error) < (gssize) text->len)
    g_debug ("an early answer was not written whole: %s", error != NULL ? error->message : "short write");
  if (!G_IS_TLS_CONNECTION (conn->stream))
    g_socket_shutdown (conn->socket, FALSE, TRUE, NULL);

  g_object_set_data (G_OBJECT (msg), "gls-answered", GINT_TO_POINTER (TRUE));
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  conn->answered = TRUE;
  conn->busy = FALSE;
  conn->deadline = g_get_monotonic_time () + LINGER_S * G_USEC_PER_SEC;
  return TRUE;
}

/* From the early handler: the headers are complete. */
static void
connection_request_begin (GlsPeerServer     *self,
                          SoupServerMessage *msg)
{
  Connection *conn = connection_for_message (self, msg);

  if (conn == NULL)
    return;
  conn->busy = TRUE;
  conn->deadline = 0;
  connection_stop_watch (conn);
}

/* libsoup starts a request on a connection's first byte (and at once on
 * a new connection): from then on the headers have a shorter deadline. */
static void
connection_request_started_cb (SoupServer        *server,
                               SoupServerMessage *msg,
                               GlsPeerServer     *self)
{
  Connection *conn = connection_for_message (self, msg);

  if (conn != NULL && !conn->busy)
    {
      conn->got_bytes = TRUE;
      conn->deadline = MIN (conn->deadline,
                            g_get_monotonic_time ()
                            + (gint64) self->headers_timeout * G_USEC_PER_SEC);
    }
}

static void
connection_request_end_cb (SoupServer        *server,
                           SoupServerMessage *msg,
                           GlsPeerServer     *self)
{
  Connection *conn = connection_for_message (self, msg);

  if (conn != NULL && conn->answered)
    connection_close (conn);
  else if (conn != NULL && !g_io_stream_is_closed (conn->stream))
    connection_wait (conn, g_get_monotonic_time ());
}

/* A feed (longpoll, continuous) holds its connection for minutes, and
 * libsoup does not read it meanwhile: a client that goes away would keep
 * its descriptor until the feed's next write. Watched, it is closed. */
static void
connection_watch_feed (GlsPeerServer     *self,
                       SoupServerMessage *msg)
{
  Connection *conn = connection_for_message (self, msg);

  if (conn != NULL && conn->watch == NULL && !g_socket_is_closed (conn->socket))
    {
      conn->watch = g_socket_create_source (conn->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (conn->watch, G_SOURCE_FUNC (connection_watch_cb), conn, NULL);
      g_source_attach (conn->watch, g_main_context_get_thread_default ());
    }
}

static gboolean
sweep_cb (gpointer user_data)
{
  GlsPeerServer *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  Connection *conn;
  g_autoptr(GPtrArray) expired = g_ptr_array_new ();

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
    {
      if (g_io_stream_is_closed (conn->stream) || g_socket_is_closed (conn->socket))
        g_hash_table_iter_remove (&iter);
      else if (!conn->busy && now >= conn->deadline)
        g_ptr_array_add (expired, conn);
    }
  for (guint i = 0; i < expired->len; i++)
    connection_close (expired->pdata[i]);
  return G_SOURCE_CONTINUE;
}

static void accept_resume (GlsPeerServer *self);

static gboolean
accept_pause_cb (gpointer user_data)
{
  GlsPeerServer *self = user_data;

  g_clear_pointer (&self->accept_pause, g_source_unref);
  accept_resume (self);
  return G_SOURCE_REMOVE;
}

/* At the descriptor limit: frees what can be freed, and refuses the peer
 * that waits (a 503 through the spare descriptor) rather than leave it
 * in the backlog with no answer. */
static void
refuse_at_fd_limit (GlsPeerServer *self)
{
  static const char body[] =
    "{\"error\":\"service_unavailable\",\"reason\":\"Too many connections: try again.\"}\n";
  GHashTableIter iter;
  Connection *conn;
  g_autoptr(GPtrArray) idle = g_ptr_array_new ();
  int fd;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
    if (!conn->busy)
      g_ptr_array_add (idle, conn);
  g_debug ("at the descriptor limit: closing %u idle connections", idle->len);
  for (guint i = 0; i < idle->len; i++)
    connection_close (idle->pdata[i]);
  if (idle->len > 0)
    return;

  if (self->spare_fd >= 0)
    {
      close (self->spare_fd);
      self->spare_fd = -1;
      fd = accept (g_socket_get_fd (self->listener), NULL, NULL);
      if (fd >= 0)
        {
          g_autofree char *answer =
            g_strdup_printf ("HTTP/1.1 503 Service Unavailable\r\n"
                             "Content-Type: application/json\r\n"
                             "Content-Length: %zu\r\n"
                             "Connection: close\r\n"
                             "\r\n%s", sizeof body - 1, body);

          if (send (fd, answer, strlen (answer), MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
            g_debug ("refusing a connection: %s", g_strerror (errno));
          close (fd);
        }
      self->spare_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd >= 0 && self->spare_fd >= 0)
        return;
    }

  /* Nothing to give up: wait for descriptors to free up. */
  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
  if (self->accept_pause == NULL)
    {
      self->accept_pause = g_timeout_source_new (ACCEPT_PAUSE_MS);
      g_source_set_callback (self->accept_pause, accept_pause_cb, self, NULL);
      g_source_attach (self->accept_pause, g_main_context_get_thread_default ());
    }
}

static void
connection_serve (Connection *conn)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) local = NULL;

  if (!(local = g_socket_get_local_address (conn->socket, &error)) ||
      !soup_server_accept_iostream (conn->self->server, conn->stream, local, conn->remote, &error))
    {
      g_debug ("a new connection: %s", error->message);
      connection_close (conn);
    }
}

typedef struct
{
  GlsPeerServer  *self;
  GSocketAddress *remote;
} Handshake;

static void
handshake_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Handshake *handshake = user_data;
  g_autoptr(GError) error = NULL;
  gboolean done = g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error);
  Connection *conn = NULL;

  /* The connection may have timed out, or the server stopped, meanwhile. */
  if (handshake->self->connections != NULL)
    conn = g_hash_table_lookup (handshake->self->connections, handshake->remote);
  if (conn != NULL && conn->stream == G_IO_STREAM (source))
    {
      if (done)
        connection_serve (conn);
      else
        {
          g_debug ("TLS handshake: %s", error->message);
          connection_close (conn);
        }
    }
  g_object_unref (handshake->self);
  g_object_unref (handshake->remote);
  g_free (handshake);
}

static void
connection_accept (GlsPeerServer *self,
                   GSocket       *socket)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) tcp = NULL;
  g_autoptr(GIOStream) stream = NULL;
  Connection *conn;

  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  tcp = g_socket_connection_factory_create_connection (socket);
  stream = g_object_ref (G_IO_STREAM (tcp));
  if (self->tls_certificate != NULL)
    {
      g_autoptr(GIOStream) tls = g_tls_server_connection_new (stream, self->tls_certificate, &error);

      if (tls == NULL)
        {
          g_warning ("TLS for a new connection: %s", error->message);
          g_socket_close (socket, NULL);
          return;
        }
      /* as soup_server_listen does it */
      g_object_set (tls, "require-close-notify", FALSE, NULL);
      g_set_object (&stream, tls);
    }

  conn = g_new0 (Connection, 1);
  conn->self = self;
  conn->stream = g_steal_pointer (&stream);
  conn->socket = g_object_ref (socket);
  if (!(conn->remote = g_socket_get_remote_address (socket, &error)))
    {
      g_debug ("a new connection: %s", error->message);
      g_socket_close (socket, NULL);
      connection_free (conn);
      return;
    }
  g_hash_table_replace (self->connections, conn->remote, conn);
  connection_wait (conn, g_get_monotonic_time ());
  if (G_IS_TLS_CONNECTION (conn->stream))
    {
      /* libsoup reads without blocking, and a GTlsConnection does not
       * shake hands implicitly then: first the handshake (under the
       * connection's deadline), as soup_server_listen does. */
      Handshake *handshake = g_new0 (Handshake, 1);

      handshake->self = g_object_ref (self);
      handshake->remote = g_object_ref (conn->remote);
      g_tls_connection_handshake_async (G_TLS_CONNECTION (conn->stream), G_PRIORITY_DEFAULT,
                                        NULL, handshake_cb, handshake);
    }
  else
    connection_serve (conn);
}

static gboolean
accept_cb (GSocket      *listener,
           GIOCondition  condition,
           gpointer      user_data)
{
  GlsPeerServer *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;

  socket = g_socket_accept (listener, NULL, &error);
  if (socket != NULL)
    connection_accept (self, socket);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    refuse_at_fd_limit (self);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    g_debug ("accepting a connection: %s", error->message);
  return self->accept_source != NULL ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
accept_resume (GlsPeerServer *self)
{
  if (self->listener == NULL || self->accept_source != NULL)
    return;
  self->accept_source = g_socket_create_source (self->listener, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, G_SOURCE_FUNC (accept_cb), self, NULL);
  g_source_attach (self->accept_source, g_main_context_get_thread_default ());
}

/* libsoup keeps a connection alive only while it has a listener of its
 * own (else it closes each after one answer, and clients resend on a
 * closed connection): it gets one nobody reaches, an autobound abstract
 * Unix socket. */
static GSocket *
keep_alive_listener (GError **error)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int saved;

  if (fd >= 0 && bind (fd, (struct sockaddr *) &addr, sizeof (sa_family_t)) == 0 && listen (fd, 1) == 0)
    return g_socket_new_from_fd (fd, error);
  saved = errno;
  if (fd >= 0)
    close (fd);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               "A listener for keep-alive: %s", g_strerror (saved));
  return NULL;
}

static void
connections_stop (GlsPeerServer *self)
{
  GHashTableIter iter;
  Connection *conn;

  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
  if (self->accept_pause != NULL)
    {
      g_source_destroy (self->accept_pause);
      g_clear_pointer (&self->accept_pause, g_source_unref);
    }
  if (self->sweep != NULL)
    {
      g_source_destroy (self->sweep);
      g_clear_pointer (&self->sweep, g_source_unref);
    }
  if (self->listener != NULL)
    {
      g_socket_close (self->listener, NULL);
      g_clear_object (&self->listener);
    }
  /* soup_server_disconnect closes the ones libsoup still knows */
  if (self->connections != NULL)
    {
      g_hash_table_iter_init (&iter, self->connections);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
        {
          /* Shut down first: close alone does not wake a TLS handshake
           * blocked reading the socket in another thread, and libsoup's
           * close of the TLS stream would wait for that handshake. */
          g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
          g_socket_close (conn->socket, NULL);
          g_hash_table_iter_remove (&iter);
        }
    }
}

/* GObject */

static void
gls_peer_server_dispose (GObject *object)
{
  GlsPeerServer *self = (GlsPeerServer *)object;

  gls_peer_server_disconnect (self);
  g_clear_object (&self->server);
  g_clear_pointer (&self->databases, g_hash_table_unref);
  g_clear_pointer (&self->keys, g_hash_table_unref);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->connections, g_hash_table_unref);
  if (self->spare_fd >= 0)
    close (self->spare_fd);
  self->spare_fd = -1;
  if (self->create_destroy != NULL)
    self->create_destroy (self->create_data);
  self->create_func = NULL;
  self->create_destroy = NULL;
  self->create_data = NULL;

  G_OBJECT_CLASS (gls_peer_server_parent_class)->dispose (object);
}

static void
gls_peer_server_finalize (GObject *object)
{
  GlsPeerServer *self = (GlsPeerServer *)object;

  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_object (&self->tls_certificate);

  G_OBJECT_CLASS (gls_peer_server_parent_class)->finalize (object);
}

static void
gls_peer_server_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GlsPeerServer *self = GLS_PEER_SERVER (object);

  switch (prop_id)
    {
    case PROP_UUID:
      g_value_set_string (value, self->uuid);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_MAX_BODY_SIZE:
      g_value_set_uint64 (value, self->max_body_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_peer_server_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GlsPeerServer *self = GLS_PEER_SERVER (object);

  switch (prop_id)
    {
    case PROP_UUID:
      g_free (self->uuid);
      self->uuid = g_value_dup_string (value);
      if (self->uuid == NULL)
        {
          g_autofree char *random = g_uuid_string_random ();
          g_auto(GStrv) parts = g_strsplit (random, "-", -1);

          self->uuid = g_strjoinv ("", parts);
        }
      break;
    case PROP_MAX_BODY_SIZE:
      gls_peer_server_set_max_body_size (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_peer_server_class_init (GlsPeerServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gls_peer_server_dispose;
  object_class->finalize = gls_peer_server_finalize;
  object_class->get_property = gls_peer_server_get_property;
  object_class->set_property = gls_peer_server_set_property;

  properties[PROP_UUID] =
    g_param_spec_string ("uuid", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_BODY_SIZE] =
    g_param_spec_uint64 ("max-body-size", NULL, NULL, 1, G_MAXUINT64,
                         GLS_PEER_SERVER_DEFAULT_MAX_BODY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gls_peer_server_init (GlsPeerServer *self)
{
  self->max_body_size = GLS_PEER_SERVER_DEFAULT_MAX_BODY;
  self->databases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) keys_free);
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) session_free);
  self->connections = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) connection_free);
  self->idle_timeout = DEFAULT_IDLE_TIMEOUT_S;
  self->headers_timeout = DEFAULT_HEADERS_TIMEOUT_S;
  self->spare_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
}

GlsPeerServer *
gls_peer_server_new (const char *uuid)
{
  return g_object_new (GLS_TYPE_PEER_SERVER, "uuid", uuid, NULL);
}

static gboolean
is_uuid_text (const char *text)
{
  if (strlen (text) != 32)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

char *
gls_peer_server_load_uuid (const char  *path,
                           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *random = NULL;
  g_auto(GStrv) parts = NULL;
  char *uuid;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_file_get_contents (path, &contents, NULL, &local_error))
    {
      g_strstrip (contents);
      if (!is_uuid_text (contents))
        {
          g_set_error (error, GLS_PEER_SERVER_ERROR, GLS_PEER_SERVER_ERROR_FAILED,
                       "%s does not hold a server uuid", path);
          return NULL;
        }
      return g_steal_pointer (&contents);
    }
  if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  random = g_uuid_string_random ();
  parts = g_strsplit (random, "-", -1);
  uuid = g_strjoinv ("", parts);
  {
    g_autofree char *line = g_strconcat (uuid, "\n", NULL);

    if (!g_file_set_contents_full (path, line, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
      {
        g_free (uuid);
        return NULL;
      }
  }
  return uuid;
}

gboolean
gls_peer_server_is_valid_db_name (const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  if (!g_ascii_islower (name[0]) || strlen (name) > 238)
    return FALSE;
  for (const char *p = name + 1; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && strchr ("_$()+-/", *p) == NULL)
      return FALSE;
  return TRUE;
}

const char *
gls_peer_server_get_uuid (GlsPeerServer *self)
{
  g_return_val_if_fail (GLS_IS_PEER_SERVER (self), NULL);

  return self->uuid;
}

gsize
gls_peer_server_get_max_body_size (GlsPeerServer *self)
{
  g_return_val_if_fail (GLS_IS_PEER_SERVER (self), 0);

  return self->max_body_size;
}

void
gls_peer_server_set_max_body_size (GlsPeerServer *self,
                                   gsize          max_body_size)
{
  g_return_if_fail (GLS_IS_PEER_SERVER (self));
  g_return_if_fail (max_body_size > 0);

  if (self->max_body_size != max_body_size)
    {
      self->max_body_size = max_body_size;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_BODY_SIZE]);
    }
}

gboolean
gls_peer_server_add_database (GlsPeerServer  *self,
                              const char     *name,
                              GlsStore       *store,
                              GError        **error)
{
  g_return_val_if_fail (GLS_IS_PEER_SERVER (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (GLS_IS_STORE (store), FALSE);

  if (!gls_peer_server_is_valid_db_name (name))
    {
      g_set_error (error, GLS_PEER_SERVER_ERROR, GLS_PEER_SERVER_ERROR_INVALID_NAME,
                   "“%s” is not a valid database name", name);
      return FALSE;
    }
  g_hash_table_replace (self->databases, g_strdup (name), g_object_ref (store));
  return TRUE;
}

void
gls_peer_server_remove_database (GlsPeerServer *self,
                                 const char    *name)
{
  g_return_if_fail (GLS_IS_PEER_SERVER (self));
  g_return_if_fail (name != NULL);

  g_hash_table_remove (self->databases, name);
}

GlsStore *
gls_peer_server_get_database (GlsPeerServer *self,
                              const char    *name)
{
  g_return_val_if_fail (GLS_IS_PEER_SERVER (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->databases, name);
}

void
gls_peer_server_set_keys (GlsPeerServer *self,
                          const char    *name,
                          const char    *key,
                          const char    *read_only_key)
{
  Keys *keys;

  g_return_if_fail (GLS_IS_PEER_SERVER (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (key != NULL || read_only_key == NULL);
  g_return_if_fail (key == NULL || *key != '\0');
  g_return_if_fail (read_only_key == NULL || *read_only_key != '\0');

  if (key == NULL)
    {
      g_hash_table_remove (self->keys, name);
      return;
    }
  keys = g_new0 (Keys, 1);
  keys->key = g_strdup (key);
  keys->read_only_key = g_strdup (read_only_key);
  g_hash_table_replace (self->keys, g_strdup (name), keys);
}

char *
gls_peer_server_generate_key (void)
{
  guchar bytes[32];
  gsize done = 0;
  char *key;

  while (done < sizeof bytes)
    {
      gssize n = getrandom (bytes + done, sizeof bytes - done, 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          g_error ("getrandom: %s", g_strerror (errno));
        }
      done += n;
    }

  /* base64url without padding: safe in the user part of a URL. */
  key = g_base64_encode (bytes, sizeof bytes);
  g_strdelimit (key, "+", '-');
  g_strdelimit (key, "/", '_');
  *strchr (key, '=') = '\0';
  memset (bytes, 0, sizeof bytes);
  return key;
}

void
gls_peer_server_set_create_func (GlsPeerServer           *self,
                                 GlsPeerServerCreateFunc  func,
                                 gpointer                 user_data,
                                 GDestroyNotify           destroy)
{
  g_return_if_fail (GLS_IS_PEER_SERVER (self));

  if (self->create_destroy != NULL)
    self->create_destroy (self->create_data);
  self->create_func = func;
  self->create_data = user_data;
  self->create_destroy = destroy;
}

gboolean
gls_peer_server_listen (GlsPeerServer  *self,
                        const char     *address,
                        guint           port,
                        GError        **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) sockaddr = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocket) keep_alive = NULL;

  g_return_val_if_fail (GLS_IS_PEER_SERVER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  if (!(inet = g_inet_address_new_from_string (address)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address", address);
      return FALSE;
    }
  sockaddr = g_inet_socket_address_new (inet, port);

  /* Accepted here, not by soup_server_listen: see "Connections"; the
   * certificate, if any, is used there too. */
  listener = g_socket_new (g_socket_address_get_family (sockaddr), G_SOCKET_TYPE_STREAM,
                           G_SOCKET_PROTOCOL_DEFAULT, error);
  if (listener == NULL)
    return FALSE;
  if (g_socket_address_get_family (sockaddr) == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (listener, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, NULL);
  g_socket_set_blocking (listener, FALSE);
  g_socket_set_listen_backlog (listener, 128);
  if (!g_socket_bind (listener, sockaddr, TRUE, error) ||
      !g_socket_listen (listener, error) ||
      !(local = g_socket_get_local_address (listener, error)))
    return FALSE;

  self->server = soup_server_new ("server-header", "Glossa/" PACKAGE_VERSION " ",
                                  "raw-paths", TRUE,
                                  NULL);
  soup_server_add_early_handler (self->server, NULL, early_callback, self, NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);
  if (!(keep_alive = keep_alive_listener (error)) ||
      !soup_server_listen_socket (self->server, keep_alive, 0, error))
    {
      g_clear_object (&self->server);
      return FALSE;
    }
  g_signal_connect_object (self->server, "request-started",
                           G_CALLBACK (connection_request_started_cb), self, 0);
  g_signal_connect_object (self->server, "request-finished",
                           G_CALLBACK (connection_request_end_cb), self, 0);
  g_signal_connect_object (self->server, "request-aborted",
                           G_CALLBACK (connection_request_end_cb), self, 0);
  self->listener = g_steal_pointer (&listener);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  accept_resume (self);
  self->sweep = g_timeout_source_new (SWEEP_INTERVAL_MS);
  g_source_set_callback (self->sweep, sweep_cb, self, NULL);
  g_source_attach (self->sweep, g_main_context_get_thread_default ());

  g_free (self->address);
  self->address = g_inet_address_to_string (inet);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
  return TRUE;
}

void
gls_peer_server_set_timeouts (GlsPeerServer *self,
                              guint          idle_timeout,
                              guint          headers_timeout)
{
  g_return_if_fail (GLS_IS_PEER_SERVER (self));
  g_return_if_fail (idle_timeout > 0 && headers_timeout > 0);

  self->idle_timeout = idle_timeout;
  self->headers_timeout = headers_timeout;
}

guint
gls_peer_server_get_port (GlsPeerServer *self)
{
  g_return_val_if_fail (GLS_IS_PEER_SERVER (self), 0);

  return self->port;
}

char *
gls_peer_server_dup_uri (GlsPeerServer *self)
{
  g_return_val_if_fail (GLS_IS_PEER_SERVER (self), NULL);

  if (self->server == NULL || self->port == 0)
    return NULL;
  if (strchr (self->address, ':') != NULL)
    return g_strdup_printf ("%s://[%s]:%u/", self->tls_certificate != NULL ? "https" : "http",
                            self->address, self->port);
  return g_strdup_printf ("%s://%s:%u/", self->tls_certificate != NULL ? "https" : "http",
                          self->address, self->port);
}

void
gls_peer_server_set_tls_certificate (GlsPeerServer   *self,
                                     GTlsCertificate *certificate)
{
  g_return_if_fail (GLS_IS_PEER_SERVER (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));
  g_return_if_fail (self->server == NULL);

  g_set_object (&self->tls_certificate, certificate);
}

GTlsCertificate *
gls_peer_server_get_tls_certificate (GlsPeerServer *self)
{
  g_return_val_if_fail (GLS_IS_PEER_SERVER (self), NULL);

  return self->tls_certificate;
}

void
gls_peer_server_disconnect (GlsPeerServer *self)
{
  g_return_if_fail (GLS_IS_PEER_SERVER (self));

  while (self->longpolls != NULL)
    long_poll_stop (self->longpolls->data);
  connections_stop (self);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  if (self->port != 0)
    {
      self->port = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
    }
}
