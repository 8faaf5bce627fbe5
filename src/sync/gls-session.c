/* gls-session.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-session"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "gls-session.h"

#define SHARING_FILE  "sharing.ini"
#define SHARING_GROUP "sharing"

struct _GlsSession
{
  GObject        parent_instance;

  char          *data_dir;

  gboolean       loaded;
  GPtrArray     *load_waiters;   /* GTasks of gls_session_load_async */
  GlsShare      *share;
  GHashTable    *shared_names;   /* set: shared when last closed */
  guint          sharing_quiet;  /* > 0: stops that are no choice of the person */
  gboolean       shut_down;

  GHashTable    *open;           /* name -> Entry */
  GHashTable    *opening;        /* name -> GPtrArray of GTasks */

  /* What is not on disk yet, and the save that writes it. */
  gboolean       sharing_dirty;
  gboolean       serve_dirty;
  GHashTable    *peers_dirty;    /* name -> GStrv of links */
  guint          save_source;
  gboolean       writing;        /* a save task runs (main thread's view) */
  GMutex         lock;
  GCond          written;
  gboolean       thread_writing; /* under `lock`: its thread has not ended */
};

G_DEFINE_FINAL_TYPE (GlsSession, gls_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATA_DIR,
  PROP_LOADED,
  PROP_SAVING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVE_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  GlsWorkspace *workspace;
  GlsPeerList  *peers;
} Entry;

static void
entry_free (Entry *entry)
{
  g_clear_object (&entry->peers);
  g_clear_object (&entry->workspace);
  g_free (entry);
}

/* ---------------------------------------------------------------------------
 * Saving: what changed is taken in the main thread, written in another
 */

typedef struct
{
  GlsSession *self;
  GKeyFile   *sharing;  /* sharing.ini as it must be, or NULL */
  GHashTable *peers;    /* name -> GStrv, or NULL */
  GKeyFile   *serve;    /* what serve.ini needs, or NULL */
} Save;

static void
save_free (Save *save)
{
  g_clear_pointer (&save->sharing, g_key_file_unref);
  g_clear_pointer (&save->peers, g_hash_table_unref);
  g_clear_pointer (&save->serve, g_key_file_unref);
  g_free (save);
}

static gboolean
is_saving (GlsSession *self)
{
  return self->save_source != 0 || self->writing;
}

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static Save *
save_take (GlsSession *self)
{
  Save *save = g_new0 (Save, 1);

  save->self = self;
  if (self->sharing_dirty && self->share != NULL)
    {
      g_autofree const char **names = NULL;
      guint n;

      names = (const char **) g_hash_table_get_keys_as_array (self->shared_names, &n);
      g_qsort_with_data (names, n, sizeof (char *), compare_names, NULL);
      save->sharing = g_key_file_new ();
      g_key_file_set_string_list (save->sharing, SHARING_GROUP, "workspaces", names, n);
      g_key_file_set_boolean (save->sharing, SHARING_GROUP, "lan", gls_share_get_lan (self->share));
      g_key_file_set_boolean (save->sharing, SHARING_GROUP, "plain-http",
                              gls_share_get_plain_http (self->share));
    }
  if (g_hash_table_size (self->peers_dirty) > 0)
    {
      save->peers = g_steal_pointer (&self->peers_dirty);
      self->peers_dirty = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) g_strfreev);
    }
  if (self->serve_dirty && self->share != NULL)
    save->serve = gls_share_take_unsaved (self->share);
  self->sharing_dirty = FALSE;
  self->serve_dirty = FALSE;
  return save;
}

static void
add_error (GString      *messages,
           const GError *error)
{
  if (messages->len > 0)
    g_string_append_c (messages, '\n');
  g_string_append (messages, error->message);
}

/* Blocking: writes what `save` holds; one error says what failed. */
static gboolean
save_write (Save    *save,
            GError **error)
{
  const char *data_dir = save->self->data_dir;
  g_autoptr(GString) messages = g_string_new (NULL);

  if (save->sharing != NULL)
    {
      g_autofree char *path = g_build_filename (data_dir, SHARING_FILE, NULL);
      g_autoptr(GError) local_error = NULL;

      if (g_mkdir_with_parents (data_dir, 0700) != 0)
        {
          int saved = errno;

          g_set_error (&local_error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("Could not save “%s”: %s"), path, g_strerror (saved));
        }
      else if (!g_key_file_save_to_file (save->sharing, path, &local_error))
        g_prefix_error (&local_error, _("Could not save “%s”: "), path);
      if (local_error != NULL)
        add_error (messages, local_error);
    }
  if (save->peers != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (!gls_peer_list_save_links (data_dir, save->peers, &local_error))
        add_error (messages, local_error);
    }
  if (save->serve != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (!gls_share_save_unsaved (data_dir, save->serve, &local_error))
        add_error (messages, local_error);
    }

  if (messages->len > 0)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, messages->str);
      return FALSE;
    }
  return TRUE;
}

static void
save_failed (GlsSession   *self,
             const GError *error)
{
  if (g_signal_has_handler_pending (self, signals[SAVE_FAILED], 0, FALSE))
    g_signal_emit (self, signals[SAVE_FAILED], 0, error->message);
  else
    g_warning ("%s", error->message);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GlsSession *self = source_object;
  g_autoptr(GError) error = NULL;
  gboolean ok = save_write (task_data, &error);

  g_mutex_lock (&self->lock);
  self->thread_writing = FALSE;
  g_cond_broadcast (&self->written);
  g_mutex_unlock (&self->lock);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static gboolean save_idle_cb (gpointer data);

static void
save_queue (GlsSession *self)
{
  gboolean was_saving = is_saving (self);

  if (self->save_source == 0 && !self->writing)
    self->save_source = g_idle_add (save_idle_cb, self);
  if (!was_saving)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVING]);
}

static gboolean
is_dirty (GlsSession *self)
{
  return self->sharing_dirty || self->serve_dirty || g_hash_table_size (self->peers_dirty) > 0;
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GlsSession *self = GLS_SESSION (object);
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    save_failed (self, error);
  /* What changed while it wrote. */
  if (is_dirty (self))
    save_queue (self);
  else if (!is_saving (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVING]);
}

static gboolean
save_idle_cb (gpointer data)
{
  GlsSession *self = data;
  g_autoptr(GTask) task = NULL;

  self->save_source = 0;
  task = g_task_new (self, NULL, save_done_cb, NULL);
  g_task_set_source_tag (task, save_idle_cb);
  g_task_set_task_data (task, save_take (self), (GDestroyNotify) save_free);
  self->writing = TRUE;
  g_mutex_lock (&self->lock);
  self->thread_writing = TRUE;
  g_mutex_unlock (&self->lock);
  g_task_run_in_thread (task, save_thread);

  return G_SOURCE_REMOVE;
}

void
gls_session_flush (GlsSession *self)
{
  g_autoptr(GError) error = NULL;
  gboolean was_saving;
  Save *save;

  g_return_if_fail (GLS_IS_SESSION (self));

  was_saving = is_saving (self);
  g_mutex_lock (&self->lock);
  while (self->thread_writing)
    g_cond_wait (&self->written, &self->lock);
  g_mutex_unlock (&self->lock);

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (is_dirty (self))
    {
      save = save_take (self);
      if (!save_write (save, &error))
        save_failed (self, error);
      save_free (save);
    }
  if (was_saving && !is_saving (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVING]);
}

gboolean
gls_session_get_saving (GlsSession *self)
{
  g_return_val_if_fail (GLS_IS_SESSION (self), FALSE);
  return is_saving (self);
}

/* ---------------------------------------------------------------------------
 * Sharing
 */

/* The person switched sharing on or off (or LAN, or HTTP): remember it
 * for the workspaces that are open; the others keep what they had. */
static void
share_changed_cb (GlsSession *self)
{
  GHashTableIter iter;
  gpointer name;

  if (self->sharing_quiet > 0)
    return;

  g_hash_table_iter_init (&iter, self->open);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    {
      if (gls_share_is_sharing (self->share, name))
        g_hash_table_add (self->shared_names, g_strdup (name));
      else
        g_hash_table_remove (self->shared_names, name);
    }
  self->sharing_dirty = TRUE;
  save_queue (self);
}

static void
share_save_needed_cb (GlsSession *self)
{
  self->serve_dirty = TRUE;
  save_queue (self);
}

gboolean
gls_session_restore_sharing (GlsSession  *self,
                             const char  *name,
                             GError     **error)
{
  Entry *entry;
  gboolean ok;

  g_return_val_if_fail (GLS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  entry = g_hash_table_lookup (self->open, name);
  if (entry == NULL || self->share == NULL ||
      !g_hash_table_contains (self->shared_names, name) ||
      gls_share_is_sharing (self->share, name))
    return TRUE;

  self->sharing_quiet++;
  ok = gls_share_start (self->share, entry->workspace, error);
  self->sharing_quiet--;
  return ok;
}

/* ---------------------------------------------------------------------------
 * Loading
 */

typedef struct
{
  GStrv          shared_names;
  int            lan;          /* -1: not said */
  int            plain_http;
  GError        *sharing_error;
  GError        *serve_error;
  GlsShareFiles *share_files;
} Load;

static void
load_free (Load *load)
{
  g_strfreev (load->shared_names);
  g_clear_error (&load->sharing_error);
  g_clear_error (&load->serve_error);
  gls_share_files_free (load->share_files);
  g_free (load);
}

static int
key_file_get_flag (GKeyFile   *file,
                   const char *key)
{
  g_autoptr(GError) error = NULL;
  gboolean value = g_key_file_get_boolean (file, SHARING_GROUP, key, &error);

  return error != NULL ? -1 : value;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GlsSession *self = source_object;
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = g_build_filename (self->data_dir, SHARING_FILE, NULL);
  g_autoptr(GError) error = NULL;
  Load *load = g_new0 (Load, 1);

  load->lan = load->plain_http = -1;
  if (g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error))
    {
      load->shared_names = g_key_file_get_string_list (file, SHARING_GROUP, "workspaces", NULL, NULL);
      load->lan = key_file_get_flag (file, "lan");
      load->plain_http = key_file_get_flag (file, "plain-http");
    }
  else if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (&load->sharing_error, error->domain, error->code,
                   _("Could not read “%s”: %s"), path, error->message);
    }
  load->share_files = gls_share_files_read (self->data_dir, &load->serve_error);

  g_task_return_pointer (task, load, (GDestroyNotify) load_free);
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GlsSession *self = GLS_SESSION (object);
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->load_waiters);
  Load *load = g_task_propagate_pointer (G_TASK (result), NULL);

  g_assert (load != NULL);
  if (load->sharing_error != NULL)
    g_warning ("%s; nothing is shared again", load->sharing_error->message);
  if (load->serve_error != NULL)
    g_warning ("%s; workspaces get new keys when shared", load->serve_error->message);

  for (guint i = 0; load->shared_names != NULL && load->shared_names[i] != NULL; i++)
    {
      if (gls_workspace_name_is_valid (load->shared_names[i]))
        g_hash_table_add (self->shared_names, g_strdup (load->shared_names[i]));
    }
  self->share = gls_share_new_with_files (self->data_dir, g_steal_pointer (&load->share_files));
  if (load->lan != -1)
    gls_share_set_lan (self->share, load->lan);
  if (load->plain_http != -1)
    gls_share_set_plain_http (self->share, load->plain_http);
  g_signal_connect_object (self->share, "changed", G_CALLBACK (share_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->share, "notify::lan", G_CALLBACK (share_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->share, "notify::plain-http", G_CALLBACK (share_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->share, "save-needed", G_CALLBACK (share_save_needed_cb), self,
                           G_CONNECT_SWAPPED);
  load_free (load);

  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
  for (guint i = 0; i < waiters->len; i++)
    g_task_return_boolean (g_ptr_array_index (waiters, i), TRUE);
}

void
gls_session_load_async (GlsSession          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) load = NULL;

  g_return_if_fail (GLS_IS_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gls_session_load_async);
  if (self->loaded)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->load_waiters != NULL)
    {
      g_ptr_array_add (self->load_waiters, g_steal_pointer (&task));
      return;
    }

  self->load_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->load_waiters, g_steal_pointer (&task));
  /* One read for every waiter: no one waiter's cancellable stops it. */
  load = g_task_new (self, NULL, load_done_cb, NULL);
  g_task_set_source_tag (load, load_thread);
  g_task_run_in_thread (load, load_thread);
}

gboolean
gls_session_load_finish (GlsSession    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (GLS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
gls_session_get_loaded (GlsSession *self)
{
  g_return_val_if_fail (GLS_IS_SESSION (self), FALSE);
  return self->loaded;
}

GlsShare *
gls_session_get_share (GlsSession *self)
{
  g_return_val_if_fail (GLS_IS_SESSION (self), NULL);
  return self->share;
}

/* ---------------------------------------------------------------------------
 * Workspaces: read what is known of it (in a thread), open it, wait for
 * the session to be loaded, start its peers
 */

typedef struct
{
  char         *name;
  gboolean      created;
  GStrv         links;
  GError       *links_error;
  GlsWorkspace *workspace;
  GError       *open_error;
} Open;

static void
open_free (Open *op)
{
  g_free (op->name);
  g_strfreev (op->links);
  g_clear_error (&op->links_error);
  g_clear_error (&op->open_error);
  g_clear_object (&op->workspace);
  g_free (op);
}

/* Every request for the name gets the outcome of the one open. */
static void
open_complete (GlsSession   *self,
               const char   *name,
               GlsWorkspace *workspace,
               gboolean      created,
               const GError *error)
{
  g_autoptr(GPtrArray) tasks = NULL;

  if (!g_hash_table_steal_extended (self->opening, name, NULL, (gpointer *) &tasks))
    g_assert_not_reached ();
  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      ((Open *) g_task_get_task_data (task))->created = created;
      if (workspace != NULL)
        g_task_return_pointer (task, g_object_ref (workspace), g_object_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }
}

static void
peers_changed_cb (GlsPeerList *peers,
                  guint        position,
                  guint        removed,
                  guint        added,
                  GlsSession  *self)
{
  const char *name = gls_workspace_get_name (gls_peer_list_get_workspace (peers));

  g_hash_table_replace (self->peers_dirty, g_strdup (name), gls_peer_list_dup_links (peers));
  save_queue (self);
}

static void
open_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GlsSession *self = GLS_SESSION (object);
  g_autoptr(GTask) task = user_data;
  Open *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  Entry *entry;

  if (!gls_session_load_finish (self, result, &error) ||
      g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      open_complete (self, op->name, NULL, FALSE, error);
      return;
    }
  if (self->shut_down)
    {
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The session is over");
      open_complete (self, op->name, NULL, FALSE, error);
      return;
    }

  if (op->links_error != NULL)
    g_warning ("%s; the workspace “%s” starts without peers", op->links_error->message, op->name);
  entry = g_new0 (Entry, 1);
  entry->workspace = g_object_ref (op->workspace);
  entry->peers = gls_peer_list_new_with_links (op->workspace, (const char *const *) op->links);
  g_signal_connect_object (entry->peers, "items-changed", G_CALLBACK (peers_changed_cb), self, 0);
  g_hash_table_replace (self->open, g_strdup (op->name), entry);

  open_complete (self, op->name, op->workspace, op->created, NULL);
}

/* The workspace is opened in this worker too: a program's first
 * workspace is then read while its main thread still starts GTK. */
static void
open_read_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GlsSession *self = source_object;
  Open *op = task_data;
  g_auto(GStrv) names = gls_workspace_list_names (self->data_dir, NULL);

  op->created = names == NULL || !g_strv_contains ((const char *const *) names, op->name);
  op->links = gls_peer_list_load_links (self->data_dir, op->name, &op->links_error);
  op->workspace = gls_workspace_open_lazy_in_worker (self->data_dir, op->name, &op->open_error);
  g_task_return_boolean (task, TRUE);
}

static void
open_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GlsSession *self = GLS_SESSION (object);
  Open *op = g_task_get_task_data (task);

  if (op->workspace == NULL)
    {
      open_complete (self, op->name, NULL, FALSE, op->open_error);
      return;
    }
  gls_session_load_async (self, NULL, open_loaded_cb, g_steal_pointer (&task));
}

void
gls_session_open_workspace_async (GlsSession          *self,
                                  const char          *name,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) read = NULL;
  GPtrArray *waiting;
  Entry *entry;
  Open *op;

  g_return_if_fail (GLS_IS_SESSION (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  op = g_new0 (Open, 1);
  op->name = g_strdup (name);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gls_session_open_workspace_async);
  g_task_set_task_data (task, op, (GDestroyNotify) open_free);

  if ((entry = g_hash_table_lookup (self->open, name)) != NULL)
    {
      g_task_return_pointer (task, g_object_ref (entry->workspace), g_object_unref);
      return;
    }
  if ((waiting = g_hash_table_lookup (self->opening, name)) != NULL)
    {
      g_ptr_array_add (waiting, g_steal_pointer (&task));
      return;
    }

  waiting = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (waiting, g_object_ref (task));
  g_hash_table_insert (self->opening, g_strdup (name), waiting);
  /* The first request does the work; its own result is given with the
   * others' in open_complete. */
  read = g_task_new (self, cancellable, open_read_cb, g_steal_pointer (&task));
  g_task_set_source_tag (read, open_read_thread);
  g_task_set_task_data (read, op, NULL);
  g_task_set_check_cancellable (read, FALSE);
  g_task_run_in_thread (read, open_read_thread);
}

GlsWorkspace *
gls_session_open_workspace_finish (GlsSession    *self,
                                   GAsyncResult  *result,
                                   gboolean      *created,
                                   GError       **error)
{
  GlsWorkspace *workspace;

  g_return_val_if_fail (GLS_IS_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  workspace = g_task_propagate_pointer (G_TASK (result), error);
  if (created != NULL)
    *created = workspace != NULL && ((Open *) g_task_get_task_data (G_TASK (result)))->created;
  return workspace;
}

GlsWorkspace *
gls_session_get_workspace (GlsSession *self,
                           const char *name)
{
  Entry *entry;

  g_return_val_if_fail (GLS_IS_SESSION (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  entry = g_hash_table_lookup (self->open, name);
  return entry != NULL ? entry->workspace : NULL;
}

GlsPeerList *
gls_session_get_peer_list (GlsSession *self,
                           const char *name)
{
  Entry *entry;

  g_return_val_if_fail (GLS_IS_SESSION (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  entry = g_hash_table_lookup (self->open, name);
  return entry != NULL ? entry->peers : NULL;
}

void
gls_session_close_workspace (GlsSession *self,
                             const char *name)
{
  Entry *entry;

  g_return_if_fail (GLS_IS_SESSION (self));
  g_return_if_fail (name != NULL);

  if (!(entry = g_hash_table_lookup (self->open, name)))
    return;
  gls_peer_list_shutdown (entry->peers);
  g_signal_handlers_disconnect_by_data (entry->peers, self);
  if (self->share != NULL)
    {
      /* Closing the window is no choice to stop sharing next time. */
      self->sharing_quiet++;
      gls_share_stop (self->share, name);
      self->sharing_quiet--;
    }
  g_hash_table_remove (self->open, name);
}

void
gls_session_shutdown (GlsSession *self)
{
  GList *keys;
  GList *names;

  g_return_if_fail (GLS_IS_SESSION (self));

  keys = g_hash_table_get_keys (self->open);
  names = g_list_copy_deep (keys, (GCopyFunc) (void (*) (void)) g_strdup, NULL);
  g_list_free (keys);
  for (GList *l = names; l != NULL; l = l->next)
    gls_session_close_workspace (self, l->data);
  g_list_free_full (names, g_free);
  self->shut_down = TRUE;
}

/* ---------------------------------------------------------------------------
 * GObject
 */

static void
gls_session_dispose (GObject *object)
{
  GlsSession *self = GLS_SESSION (object);

  if (!self->shut_down)
    gls_session_shutdown (self);
  gls_session_flush (self);
  if (self->share != NULL)
    g_signal_handlers_disconnect_by_data (self->share, self);
  g_clear_object (&self->share);

  G_OBJECT_CLASS (gls_session_parent_class)->dispose (object);
}

static void
gls_session_finalize (GObject *object)
{
  GlsSession *self = GLS_SESSION (object);

  g_assert (self->load_waiters == NULL);
  g_assert (g_hash_table_size (self->opening) == 0);

  g_free (self->data_dir);
  g_hash_table_unref (self->shared_names);
  g_hash_table_unref (self->open);
  g_hash_table_unref (self->opening);
  g_hash_table_unref (self->peers_dirty);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->written);

  G_OBJECT_CLASS (gls_session_parent_class)->finalize (object);
}

static void
gls_session_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  GlsSession *self = GLS_SESSION (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR: g_value_set_string (value, self->data_dir); break;
    case PROP_LOADED: g_value_set_boolean (value, self->loaded); break;
    case PROP_SAVING: g_value_set_boolean (value, is_saving (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_session_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  GlsSession *self = GLS_SESSION (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR: self->data_dir = g_value_dup_string (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_session_class_init (GlsSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gls_session_dispose;
  object_class->finalize = gls_session_finalize;
  object_class->get_property = gls_session_get_property;
  object_class->set_property = gls_session_set_property;

  properties[PROP_DATA_DIR] =
    g_param_spec_string ("data-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SAVING] =
    g_param_spec_boolean ("saving", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A change could not be written: the message says which file and why. */
  signals[SAVE_FAILED] =
    g_signal_new ("save-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
gls_session_init (GlsSession *self)
{
  self->shared_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->open = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) entry_free);
  self->opening = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  self->peers_dirty = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_strfreev);
  g_mutex_init (&self->lock);
  g_cond_init (&self->written);
}

GlsSession *
gls_session_new (const char *data_dir)
{
  g_return_val_if_fail (data_dir != NULL, NULL);

  return g_object_new (GLS_TYPE_SESSION, "data-dir", data_dir, NULL);
}

const char *
gls_session_get_data_dir (GlsSession *self)
{
  g_return_val_if_fail (GLS_IS_SESSION (self), NULL);
  return self->data_dir;
}
