/* gls-peer-server-feeds.c: _changes, normal, longpoll and continuous
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-peer-server"

#include "config.h"

#include <string.h>

#include "gls-peer-server-private.h"

#define DEFAULT_LONGPOLL_TIMEOUT_MS 60000
#define DEFAULT_HEARTBEAT_MS        60000

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
        _gls_peer_server_reply_object (&reply, SOUP_STATUS_OK, answer);
      else
        _gls_peer_server_reply_gerror (&reply, error);
      _gls_peer_server_reply_apply (&reply, msg);
      _gls_peer_server_reply_clear (&reply);
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
void
_gls_peer_server_long_poll_start (Request *req)
{
  LongPoll *lp = g_rc_box_new0 (LongPoll);

  _gls_peer_server_connection_watch_feed (req->self, req->msg);
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
      _gls_peer_server_reply_bad_request (&req->reply, "filter=_selector takes a POST with {\"selector\": …}");
      return FALSE;
    }
  if (!(body = _gls_peer_server_parse_body (req, JSON_NODE_OBJECT)))
    return FALSE;
  selector = json_object_get_member (json_node_get_object (body), "selector");
  if (selector == NULL)
    {
      _gls_peer_server_reply_bad_request (&req->reply, "Selector must be specified in POST payload");
      return FALSE;
    }
  if (!(req->selector = gls_store_selector_new (selector, &error)))
    {
      _gls_peer_server_reply_gerror (&req->reply, error);
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
      g_autoptr(JsonNode) body = _gls_peer_server_parse_body (req, JSON_NODE_OBJECT);

      if (body == NULL)
        return FALSE;
      ids = _gls_peer_server_string_array (json_object_get_member (json_node_get_object (body), "doc_ids"));
    }
  else if (_gls_peer_server_query_get (req, "doc_ids") != NULL)
    {
      g_autoptr(JsonNode) node = _gls_peer_server_query_json (_gls_peer_server_query_get (req, "doc_ids"));

      ids = _gls_peer_server_string_array (node);
    }
  if (ids == NULL)
    {
      _gls_peer_server_reply_bad_request (&req->reply, "`doc_ids` must be an array of strings");
      return FALSE;
    }
  req->doc_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; ids[i] != NULL; i++)
    g_hash_table_add (req->doc_ids, g_strdup (ids[i]));
  return TRUE;
}

/* Longpoll with nothing yet: the server's thread waits for the store. */
static void
wait_for_changes (Request  *req,
                  gint64    since,
                  gint64    limit,
                  gint64    timeout,
                  gint64    heartbeat,
                  gboolean  all_docs)
{
  req->wait = TRUE;
  req->since = since;
  req->limit = limit;
  req->timeout = timeout;
  req->heartbeat = heartbeat;
  req->all_docs = all_docs;
}

void
_gls_peer_server_handle_changes (Request *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  const char *feed = _gls_peer_server_query_get (req, "feed");
  const char *style = _gls_peer_server_query_get (req, "style");
  const char *since_text = _gls_peer_server_query_get (req, "since");
  const char *heartbeat_text = _gls_peer_server_query_get (req, "heartbeat");
  const char *filter = _gls_peer_server_query_get (req, "filter");
  gint64 since = 0, limit = 0, timeout = DEFAULT_LONGPOLL_TIMEOUT_MS, heartbeat = 0;
  gboolean all_docs = FALSE;

  if (!g_str_equal (req->method, "GET") && !g_str_equal (req->method, "POST"))
    {
      _gls_peer_server_reply_method_not_allowed (&req->reply, "GET,POST");
      return;
    }
  if (style != NULL)
    {
      if (g_str_equal (style, "all_docs"))
        all_docs = TRUE;
      else if (!g_str_equal (style, "main_only"))
        {
          _gls_peer_server_reply_bad_request (&req->reply, "Invalid style");
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
              _gls_peer_server_reply_bad_request (&req->reply, "Invalid since");
              return;
            }
        }
    }
  if (!_gls_peer_server_query_int (req, "limit", 0, &limit) ||
      !_gls_peer_server_query_int (req, "timeout", 0, &timeout) ||
      !_gls_peer_server_query_bool (req, "include_docs", &req->include_docs))
    return;
  if (heartbeat_text != NULL)
    {
      if (g_str_equal (heartbeat_text, "true"))
        heartbeat = DEFAULT_HEARTBEAT_MS;
      else if (!_gls_peer_server_query_int (req, "heartbeat", 1, &heartbeat))
        return;
    }

  if (feed != NULL && !g_str_equal (feed, "normal") && !g_str_equal (feed, "longpoll") &&
      !g_str_equal (feed, "continuous"))
    {
      _gls_peer_server_reply_bad_request (&req->reply, "Supported feeds: normal, longpoll, continuous");
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
          _gls_peer_server_reply_bad_request (&req->reply, "Supported filters: _doc_ids, _selector");
          ok = FALSE;
        }
      if (!ok)
        return;
    }

  /* The plain feed, as replicators read it, straight to text. */
  if ((feed == NULL || !g_str_equal (feed, "continuous")) &&
      !req->include_docs && req->doc_ids == NULL && req->selector == NULL)
    {
      GString *text = g_string_sized_new (4096);
      gint64 n_results = 0;

      if (!gls_store_changes_text (req->store, since, limit, all_docs, text, &n_results, &error))
        {
          g_string_free (text, TRUE);
          _gls_peer_server_reply_gerror (&req->reply, error);
          return;
        }
      if (n_results > 0 || feed == NULL || !g_str_equal (feed, "longpoll"))
        {
          g_autoptr(GBytes) bytes = NULL;

          g_string_append_c (text, '\n');
          bytes = g_string_free_to_bytes (text);
          _gls_peer_server_reply_bytes (&req->reply, SOUP_STATUS_OK, "application/json", bytes);
          return;
        }
      g_string_free (text, TRUE);
      wait_for_changes (req, since, limit, timeout, heartbeat, all_docs);
      return;
    }

  answer = query_changes (req->store, since, limit, all_docs, req->include_docs, req->doc_ids,
                          req->selector, &error);
  if (answer == NULL)
    {
      _gls_peer_server_reply_gerror (&req->reply, error);
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
      _gls_peer_server_reply_object (&req->reply, SOUP_STATUS_OK, answer);
      return;
    }

  wait_for_changes (req, since, limit, timeout, heartbeat, all_docs);
}

/* Drops every waiting feed (the server is closing). */
void
_gls_peer_server_feeds_stop (GlsPeerServer *self)
{
  while (self->longpolls != NULL)
    long_poll_stop (self->longpolls->data);
}
