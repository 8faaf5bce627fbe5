/* gls-cli-sync.c: glossa serve and glossa sync, in the glossa-sync module
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-cli"

#include "config.h"

#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gls-cli-sync.h"
#include "gls-peer-server.h"
#include "gls-replicator.h"
#include "gls-share.h"
#include "gls-tls.h"
#include "gls-workspace.h"

/* gls-cli.c's exit codes: 1 the action failed, 2 the command line is wrong. */
#define EXIT_FAILED 1
#define EXIT_USAGE  2

/* serve */

/* The workspaces to serve: --workspace (repeatable, or a,b), else every
 * workspace in the data dir, else "default". */
static char **
serve_names (const char            *data_dir,
             const GlsSyncOptions  *options,
             GError               **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; options->workspaces != NULL && options->workspaces[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (options->workspaces[i], ",", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        {
          const char *name = g_strstrip (parts[j]);

          if (!gls_workspace_name_is_valid (name))
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("“%s” is not a workspace name: use lowercase letters, digits and _$()+-/, starting with a letter"),
                           name);
              return NULL;
            }
          if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
            g_ptr_array_add (names, g_strdup (name));
        }
    }

  if (names->len == 0)
    {
      g_auto(GStrv) found = gls_workspace_list_names (data_dir, error);

      if (found == NULL)
        return NULL;
      for (guint i = 0; found[i] != NULL; i++)
        g_ptr_array_add (names, g_strdup (found[i]));
    }
  if (names->len == 0)
    g_ptr_array_add (names, g_strdup ("default"));

  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* The host for share links: the bound address, or the machine's name when
 * it listens on every address. */
static char *
serve_link_host (const char *bind)
{
  if (g_str_equal (bind, "0.0.0.0") || g_str_equal (bind, "::"))
    return g_strdup (g_get_host_name ());
  if (strchr (bind, ':') != NULL)
    return g_strdup_printf ("[%s]", bind);
  return g_strdup (bind);
}

static gboolean
serve_stop_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

int
gls_cli_serve (const GlsSyncOptions  *options,
               GError               **error)
{
  g_autofree char *data_dir = gls_workspace_resolve_data_dir (options->data_dir);
  g_autofree char *uuid_path = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *host = NULL;
  g_autoptr(GPtrArray) workspaces = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GlsPeerServer) server = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *fragment = NULL;
  g_autoptr(GKeyFile) keys = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_auto(GStrv) names = NULL;
  const char *bind = options->bind != NULL ? options->bind : "127.0.0.1";
  guint sigint_id, sigterm_id;

  if (options->port < 0 || options->port > G_MAXUINT16)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--port takes a number from 0 to 65535, not %d"), options->port);
      return EXIT_USAGE;
    }
  if (!(inet = g_inet_address_new_from_string (bind)))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--bind takes an IP address such as 127.0.0.1 or 0.0.0.0, not “%s”"), bind);
      return EXIT_USAGE;
    }
  if (!(names = serve_names (data_dir, options, error)))
    return (*error)->domain == G_OPTION_ERROR ? EXIT_USAGE : EXIT_FAILED;

  /* Open every store before anyone can connect. */
  for (guint i = 0; names[i] != NULL; i++)
    {
      GlsWorkspace *workspace = gls_workspace_open (data_dir, names[i], error);

      if (workspace == NULL)
        return EXIT_FAILED;
      g_ptr_array_add (workspaces, workspace);
    }

  if (!(keys = gls_share_load_keys (data_dir, (const char *const *) names,
                                    options->read_only_key, error)))
    return EXIT_FAILED;

  uuid_path = g_build_filename (data_dir, "server-uuid", NULL);
  if (!(uuid = gls_peer_server_load_uuid (uuid_path, error)))
    return EXIT_FAILED;

  /* HTTPS unless asked: the key must not cross a network in clear. */
  if (!options->http)
    {
      g_autofree char *pin = NULL;

      if (!(certificate = gls_tls_load_certificate (data_dir, error)))
        return EXIT_FAILED;
      pin = gls_tls_dup_pin (certificate);
      fragment = g_strconcat ("#pin=", pin, NULL);
    }
  else if (!g_inet_address_get_is_loopback (inet))
    g_printerr (_("Warning: serving plain HTTP on %s: access keys and comments cross the network in clear\n"),
                bind);

  server = gls_peer_server_new (uuid);
  gls_peer_server_set_tls_certificate (server, certificate);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *group = g_strconcat ("workspace ", names[i], NULL);
      g_autofree char *key = g_key_file_get_string (keys, group, "key", NULL);
      g_autofree char *read_only_key = g_key_file_get_string (keys, group, "read-only-key", NULL);

      if (read_only_key != NULL && *read_only_key == '\0')
        g_clear_pointer (&read_only_key, g_free);
      if (!gls_peer_server_add_database (server, names[i],
                                         gls_workspace_get_store (g_ptr_array_index (workspaces, i)),
                                         error))
        return EXIT_FAILED;
      gls_peer_server_set_keys (server, names[i], key, read_only_key);
    }

  if (!gls_peer_server_listen (server, bind, options->port, error))
    return EXIT_FAILED;

  host = serve_link_host (bind);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *group = g_strconcat ("workspace ", names[i], NULL);
      g_autofree char *key = g_key_file_get_string (keys, group, "key", NULL);
      g_autofree char *read_only_key = g_key_file_get_string (keys, group, "read-only-key", NULL);
      guint port = gls_peer_server_get_port (server);

      const char *scheme = certificate != NULL ? "https" : "http";

      g_print ("%s  %s://peer:%s@%s:%u/%s%s\n", names[i], scheme, key, host, port, names[i],
               fragment != NULL ? fragment : "");
      if (read_only_key != NULL && *read_only_key != '\0')
        /* TRANSLATORS: the read-only share link of a workspace in "glossa serve" */
        g_print (_("%s  %s://peer:%s@%s:%u/%s%s  (read-only)\n"), names[i], scheme, read_only_key,
                 host, port, names[i], fragment != NULL ? fragment : "");
    }
  fflush (stdout);
  g_printerr (ngettext ("Serving %u workspace until stopped (Ctrl+C)\n",
                        "Serving %u workspaces until stopped (Ctrl+C)\n", g_strv_length (names)),
              g_strv_length (names));

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, serve_stop_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, serve_stop_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  gls_peer_server_disconnect (server);
  g_clear_object (&server);
  g_ptr_array_set_size (workspaces, 0);
  /* Let the stores' pending sources run before they close. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  return 0;
}

/* sync
 *
 * One-shot: pull, then push, one after the other, so that the push does not
 * send back what the pull just brought and a refusal stops before any
 * write. --live: both run at once, continuous, until SIGINT or SIGTERM. */

typedef struct
{
  GlsReplicator *replicators[2];
  guint          n_replicators;
  guint          next;          /* one-shot: the next one to start */
  guint          running;
  GMainLoop     *loop;
  GCancellable  *cancellable;
  GError        *error;
  gboolean       live;
  gboolean       stopped;       /* by a signal */
  gboolean       tty;
  gboolean       drawn;         /* a progress bar is on the terminal line */
  gint64         last_line;     /* monotonic time of the last line drawn */
  char          *last_text[2];  /* the last plain line of each replicator */
  const char    *link;          /* as given, with its pin */
} SyncRun;

static const char *
sync_direction_word (GlsReplicator *replicator)
{
  return gls_replicator_get_direction (replicator) == GLS_REPLICATOR_DIRECTION_PULL
    ? _("pull") : _("push");
}

static void
sync_draw (SyncRun  *run,
           gboolean  force)
{
  gint64 now = g_get_monotonic_time ();

  if (run->tty)
    {
      g_autoptr(GString) line = g_string_new ("\r\033[K");

      /* At most 20 redraws a second. */
      if (!force && now - run->last_line < G_USEC_PER_SEC / 20)
        return;
      for (guint i = 0; i < run->n_replicators; i++)
        {
          GlsReplicator *replicator = run->replicators[i];
          GlsReplicatorState state = gls_replicator_get_state (replicator);
          gint64 read = gls_replicator_get_docs_read (replicator);
          gint64 total = read + gls_replicator_get_pending (replicator);
          guint width = 20;
          guint filled;

          if (state == GLS_REPLICATOR_STATE_IDLE && i >= run->next && !run->live)
            continue;  /* not started yet */
          filled = total > 0 ? (guint) (width * read / total) : (state == GLS_REPLICATOR_STATE_SYNCING ? 0 : width);
          g_string_append_printf (line, "%s%-4s [", line->len > 4 ? "  " : "", sync_direction_word (replicator));
          for (guint j = 0; j < width; j++)
            g_string_append_c (line, j < filled ? '#' : '-');
          g_string_append_printf (line, "] %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, read, total);
          if (state == GLS_REPLICATOR_STATE_LIVE)
            g_string_append (line, _(" live"));
        }
      fputs (line->str, stderr);
      fflush (stderr);
      run->drawn = TRUE;
      run->last_line = now;
      return;
    }

  /* Plain lines: what changed, at most once a second unless a state did. */
  if (!force && now - run->last_line < G_USEC_PER_SEC)
    return;
  for (guint i = 0; i < run->n_replicators; i++)
    {
      GlsReplicator *replicator = run->replicators[i];
      GlsReplicatorState state = gls_replicator_get_state (replicator);
      g_autofree char *line = NULL;

      if (state == GLS_REPLICATOR_STATE_IDLE && i >= run->next && !run->live)
        continue;  /* not started yet */
      /* TRANSLATORS: a progress line of "glossa sync"; the first %s is "pull" or "push" */
      line = g_strdup_printf (_("%s: %u read, %u written, %u pending%s\n"),
                              sync_direction_word (replicator),
                              (guint) gls_replicator_get_docs_read (replicator),
                              (guint) gls_replicator_get_docs_written (replicator),
                              (guint) gls_replicator_get_pending (replicator),
                              state == GLS_REPLICATOR_STATE_LIVE ? _(", live") : "");
      if (g_strcmp0 (line, run->last_text[i]) == 0)
        continue;
      fputs (line, stderr);
      g_free (run->last_text[i]);
      run->last_text[i] = g_steal_pointer (&line);
    }
  run->last_line = now;
}

static void
sync_notify_cb (GObject    *object,
                GParamSpec *pspec,
                gpointer    user_data)
{
  SyncRun *run = user_data;

  sync_draw (run, g_str_equal (pspec->name, "state"));
}

/* The reason for a failed run, in words a user can act on. */
static char *
sync_reason (GlsReplicator *replicator,
             const char    *run_link,
             const GError  *error)
{
  const char *url = gls_replicator_get_remote_url (replicator);

  if (g_error_matches (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_NOT_FOUND))
    return g_strdup_printf (_("%s: the peer has no such workspace (%s)"), url, error->message);
  if (g_error_matches (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_NETWORK))
    return g_strdup_printf (_("%s: cannot reach the peer (%s)"), url, error->message);
  if (g_error_matches (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_UNAUTHORIZED))
    return g_strdup_printf (_("%s: the peer refused the access key; use the link printed by “glossa serve” (%s)"),
                            url, error->message);
  if (g_error_matches (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_CERTIFICATE)
      && gls_replicator_get_peer_pin (replicator) != NULL)
    {
      g_autofree char *pin = gls_tls_link_dup_pin (run_link, NULL);

      /* TRANSLATORS: the second %s is the certificate the peer showed, the third
       * the one the link pins, both like sha256:5WpJBjOp8UU8DofoLrxNoQ7TuFQOThC6n9zp7OFOvN0 */
      return g_strdup_printf (_("%s: refused: the peer’s certificate %s is not the one the link pins, %s; "
                                "someone may be in between, or the peer has a new certificate and must "
                                "send a new link"),
                              url, gls_replicator_get_peer_pin (replicator), pin);
    }
  if (g_error_matches (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_CERTIFICATE))
    return g_strdup_printf (_("%s: refused: %s"), url, error->message);
  if (g_error_matches (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_FORBIDDEN))
    return g_strdup_printf (_("%s: the peer refused to %s; is the key read-only? (%s)"),
                            url, sync_direction_word (replicator), error->message);
  return g_strdup_printf ("%s: %s", url, error->message);
}

static void sync_start_next (SyncRun *run);

static void
sync_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncRun *run = user_data;
  GlsReplicator *replicator = GLS_REPLICATOR (object);
  g_autoptr(GError) error = NULL;

  run->running--;
  if (!gls_replicator_run_finish (replicator, result, &error)
      && !(run->stopped && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    {
      if (run->error == NULL)
        {
          g_autofree char *reason = sync_reason (replicator, run->link, error);

          run->error = g_error_new_literal (GLS_REPLICATOR_ERROR, error->code, reason);
        }
      /* Stop the other direction too. */
      g_cancellable_cancel (run->cancellable);
    }
  sync_draw (run, TRUE);

  if (run->error == NULL && !run->stopped && !run->live && run->next < run->n_replicators)
    sync_start_next (run);
  else if (run->running == 0)
    g_main_loop_quit (run->loop);
}

static void
sync_start_next (SyncRun *run)
{
  GlsReplicator *replicator = run->replicators[run->next++];

  run->running++;
  gls_replicator_run_async (replicator, run->cancellable, sync_done_cb, run);
}

static gboolean
sync_stop_cb (gpointer user_data)
{
  SyncRun *run = user_data;

  run->stopped = TRUE;
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

int
gls_cli_sync (const GlsSyncOptions  *options,
              GError               **error)
{
  const char *url = options->url;
  g_autofree char *data_dir = gls_workspace_resolve_data_dir (options->data_dir);
  /* Only what it needs (gls_workspace_open_partial): its designs and people. */
  g_autoptr(GlsWorkspace) workspace = gls_workspace_open_partial (data_dir, options->workspace, error);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gboolean pull = options->pull || !options->push;
  gboolean push = options->push || !options->pull;
  gint64 pulled = 0, pushed = 0;
  SyncRun run = { 0 };
  guint sigint_id, sigterm_id;

  if (workspace == NULL)
    return EXIT_FAILED;
  if (uri == NULL
      || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
      || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a link such as http://peer:KEY@host:5985/default"), url);
      return EXIT_USAGE;
    }

  run.loop = loop;
  run.link = url;
  run.cancellable = cancellable;
  run.live = options->live;
  run.tty = isatty (STDERR_FILENO);
  if (pull)
    run.replicators[run.n_replicators++] = gls_replicator_new (gls_workspace_get_store (workspace), url,
                                                               GLS_REPLICATOR_DIRECTION_PULL);
  if (push)
    run.replicators[run.n_replicators++] = gls_replicator_new (gls_workspace_get_store (workspace), url,
                                                               GLS_REPLICATOR_DIRECTION_PUSH);
  for (guint i = 0; i < run.n_replicators; i++)
    {
      gls_replicator_set_identity (run.replicators[i], gls_workspace_get_did (workspace),
                                   gls_workspace_get_display_name (workspace));
      gls_replicator_set_continuous (run.replicators[i], run.live);
      g_signal_connect (run.replicators[i], "notify::docs-read", G_CALLBACK (sync_notify_cb), &run);
      g_signal_connect (run.replicators[i], "notify::docs-written", G_CALLBACK (sync_notify_cb), &run);
      g_signal_connect (run.replicators[i], "notify::pending", G_CALLBACK (sync_notify_cb), &run);
      g_signal_connect (run.replicators[i], "notify::state", G_CALLBACK (sync_notify_cb), &run);
    }

  sigint_id = g_unix_signal_add (SIGINT, sync_stop_cb, &run);
  sigterm_id = g_unix_signal_add (SIGTERM, sync_stop_cb, &run);

  if (run.live)
    {
      g_printerr (_("Syncing with %s until stopped (Ctrl+C)\n"), gls_replicator_get_remote_url (run.replicators[0]));
      while (run.next < run.n_replicators)
        sync_start_next (&run);
    }
  else
    sync_start_next (&run);
  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  if (run.tty && run.drawn)
    g_printerr ("\n");

  for (guint i = 0; i < run.n_replicators; i++)
    {
      g_signal_handlers_disconnect_by_data (run.replicators[i], &run);
      if (gls_replicator_get_direction (run.replicators[i]) == GLS_REPLICATOR_DIRECTION_PULL)
        pulled = gls_replicator_get_docs_written (run.replicators[i]);
      else
        pushed = gls_replicator_get_docs_written (run.replicators[i]);
      g_clear_object (&run.replicators[i]);
      g_free (run.last_text[i]);
    }
  /* Let the store's pending sources run before it closes. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  if (run.error != NULL)
    {
      g_propagate_error (error, run.error);
      return EXIT_FAILED;
    }
  if (run.stopped && !run.live)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Stopped before the end"));
      return EXIT_FAILED;
    }

  /* TRANSLATORS: the summary of "glossa sync"; counts are documents (revisions) */
  if (pull && push)
    g_print (ngettext ("Pulled %u, pushed %u document\n", "Pulled %u, pushed %u documents\n", (gulong) pushed),
             (guint) pulled, (guint) pushed);
  else if (pull)
    g_print (ngettext ("Pulled %u document\n", "Pulled %u documents\n", (gulong) pulled), (guint) pulled);
  else
    g_print (ngettext ("Pushed %u document\n", "Pushed %u documents\n", (gulong) pushed), (guint) pushed);

  return 0;
}
