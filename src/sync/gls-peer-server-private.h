/* gls-peer-server-private.h: what the files of GlsPeerServer share
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "gls-peer-server.h"
#include "gls-multipart-sink.h"
#include "gls-store-selector.h"

G_BEGIN_DECLS

/* Access keys of one database. */

typedef struct
{
  char *key;            /* reads and writes */
  char *read_only_key;  /* reads, or NULL */
} Keys;

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
  GByteArray        *sink_pending; /* ...and its last bytes, not yet fed */
} Request;

/* gls-peer-server-auth.c */
typedef struct _Session Session;
/* gls-peer-server-connections.c */
typedef struct _Connection Connection;

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

  /* Connections are accepted here, not by SoupServer (see
   * gls-peer-server-connections.c). */
  GSocket        *listener;
  GSource        *accept_source;
  GSource        *accept_pause;
  GSource        *sweep;
  GHashTable     *connections; /* remote GSocketAddress -> Connection */
  GHashTable     *clients;     /* key -> who is connected (gls-peer-server-clients.c) */
  GListStore     *clients_store; /* of GlsPeerClient; may be shared */
  int             spare_fd;    /* given up to refuse a peer at the fd limit */
  guint           idle_timeout;
  guint           headers_timeout;

  GlsPeerServerCreateFunc create_func;
  gpointer        create_data;
  GDestroyNotify  create_destroy;
};

/* gls-peer-server-reply.c */
void         _gls_peer_server_segment_free              (Segment            *segment);
Segment     *_gls_peer_server_segment_new_bytes         (GBytes             *bytes);
Segment     *_gls_peer_server_segment_new_stream        (GInputStream       *stream,
                                                         gint64              length);
void         _gls_peer_server_reply_clear               (Reply              *reply);
void         _gls_peer_server_reply_segments            (Reply              *reply,
                                                         guint               status,
                                                         const char         *content_type,
                                                         GPtrArray          *segments);
void         _gls_peer_server_reply_apply               (Reply              *reply,
                                                         SoupServerMessage  *msg);
void         _gls_peer_server_reply_bytes               (Reply              *reply,
                                                         guint               status,
                                                         const char         *content_type,
                                                         GBytes             *bytes);
void         _gls_peer_server_reply_object              (Reply              *reply,
                                                         guint               status,
                                                         JsonObject         *object);
void         _gls_peer_server_reply_array               (Reply              *reply,
                                                         guint               status,
                                                         JsonArray          *array);
void         _gls_peer_server_reply_error               (Reply              *reply,
                                                         guint               status,
                                                         const char         *error,
                                                         const char         *reason);
void         _gls_peer_server_reply_ok                  (Reply              *reply,
                                                         guint               status);
void         _gls_peer_server_reply_gerror              (Reply              *reply,
                                                         const GError       *error);
void         _gls_peer_server_reply_sink_error          (Reply              *reply,
                                                         const GError       *error);
void         _gls_peer_server_reply_bad_request         (Reply              *reply,
                                                         const char         *reason);
void         _gls_peer_server_reply_method_not_allowed  (Reply              *reply,
                                                         const char         *allowed);

/* gls-peer-server-request.c */
void         _gls_peer_server_request_free              (Request            *req);
const char  *_gls_peer_server_query_get                 (Request            *req,
                                                         const char         *name);
JsonNode    *_gls_peer_server_query_json                (const char         *text);
gboolean     _gls_peer_server_query_bool                (Request            *req,
                                                         const char         *name,
                                                         gboolean           *value);
gboolean     _gls_peer_server_query_int                 (Request            *req,
                                                         const char         *name,
                                                         gint64              min,
                                                         gint64             *value);
JsonNode    *_gls_peer_server_parse_body                (Request            *req,
                                                         JsonNodeType        expected);
gboolean     _gls_peer_server_is_string_node            (JsonNode           *node);
gboolean     _gls_peer_server_is_bool_node              (JsonNode           *node);
char       **_gls_peer_server_string_array              (JsonNode           *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, _gls_peer_server_request_free)

/* gls-peer-server-auth.c */
void         _gls_peer_server_keys_free                 (Keys               *keys);
void         _gls_peer_server_session_free              (Session            *session);
Access       _gls_peer_server_request_access            (GlsPeerServer      *self,
                                                         const Keys         *keys,
                                                         SoupServerMessage  *msg);
void         _gls_peer_server_handle_session            (Request            *req);
gboolean     _gls_peer_server_check_access              (Request            *req);

/* gls-peer-server-body.c */
gboolean     _gls_peer_server_body_too_large            (GlsPeerServer      *self,
                                                         SoupServerMessage  *msg);
gboolean     _gls_peer_server_body_unauthorized         (GlsPeerServer      *self,
                                                         SoupServerMessage  *msg);
void         _gls_peer_server_early_callback            (SoupServer         *server,
                                                         SoupServerMessage  *msg,
                                                         const char         *path,
                                                         GHashTable         *query,
                                                         gpointer            user_data);

/* gls-peer-server-connections.c */
void         _gls_peer_server_connection_free           (Connection         *conn);
gboolean     _gls_peer_server_connection_answer_now     (GlsPeerServer      *self,
                                                         SoupServerMessage  *msg,
                                                         Reply              *reply);
void         _gls_peer_server_connection_request_begin  (GlsPeerServer      *self,
                                                         SoupServerMessage  *msg);
void         _gls_peer_server_connection_watch_feed     (GlsPeerServer      *self,
                                                         SoupServerMessage  *msg);
void         _gls_peer_server_connections_start         (GlsPeerServer      *self);
void         _gls_peer_server_connections_stop          (GlsPeerServer      *self);
gboolean     _gls_peer_server_connection_has_client     (GlsPeerServer      *self,
                                                         SoupServerMessage  *msg,
                                                         const char         *key);
gboolean     _gls_peer_server_connection_set_client     (GlsPeerServer      *self,
                                                         SoupServerMessage  *msg,
                                                         const char         *key);

/* gls-peer-server-clients.c */
void         _gls_peer_server_clients_init              (GlsPeerServer      *self);
void         _gls_peer_server_clients_clear             (GlsPeerServer      *self);
void         _gls_peer_server_client_seen               (Request            *req,
                                                         gboolean            read_only);
void         _gls_peer_server_client_release            (GlsPeerServer      *self,
                                                         const char         *key);

/* gls-peer-server-feeds.c */
void         _gls_peer_server_handle_changes            (Request            *req);
void         _gls_peer_server_long_poll_start           (Request            *req);
void         _gls_peer_server_feeds_stop                (GlsPeerServer      *self);

/* gls-peer-server-docs.c */
void         _gls_peer_server_handle_local              (Request            *req,
                                                         const char         *id);
void         _gls_peer_server_handle_revs_diff          (Request            *req);
void         _gls_peer_server_handle_bulk_docs          (Request            *req);
void         _gls_peer_server_handle_bulk_get           (Request            *req);
void         _gls_peer_server_handle_all_docs           (Request            *req);
void         _gls_peer_server_handle_doc_get            (Request            *req,
                                                         const char         *id);
void         _gls_peer_server_handle_doc_put            (Request            *req,
                                                         const char         *id);
void         _gls_peer_server_handle_attachment         (Request            *req,
                                                         const char         *id,
                                                         const char         *name);

/* gls-peer-server-multipart.c */
gboolean     _gls_peer_server_reply_open_revs_multipart (Reply              *reply,
                                                         GlsStore           *store,
                                                         JsonArray          *answer,
                                                         GError            **error);
JsonNode    *_gls_peer_server_streamed_multipart_doc    (Request            *req,
                                                         GHashTable         *follows);

G_END_DECLS
