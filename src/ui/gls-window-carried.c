/* gls-window-carried.c: an image, SVG or PDF design's threads carried
 * from its earlier versions — still open, at their places scaled to the
 * version shown, each marked with whether the design changed under it.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-window"

#include "config.h"

#include "gls-changes.h"
#include "gls-render.h"
#include "gls-thread-row.h"
#include "gls-threads-panel.h"
#include "gls-window-private.h"

/* What the comparison said of one carried thread. Selectors never change,
 * nor do the versions' files: a thread is compared once per design shown. */
typedef struct
{
  guint       version;  /* from 1, the oldest */
  GlsChange   change;
  GlsSelector mapped;   /* its place on the version shown */
} CarriedResult;

/* The renderings a comparison reuses: touched by one worker at a time (a
 * comparison waits for the one before it), reference counted so that a
 * worker outlives a design change. */
typedef struct
{
  GlsRender  *newer;
  gboolean    newer_failed;
  GHashTable *changes;  /* earlier version's id → GlsChanges (NULL: cannot be drawn) */
} RenderCache;

struct _GlsWindowCarried
{
  GlsWindow    *window;
  GlsDesign    *design;      /* the version shown */
  guint         generation;  /* bumped at each design: late answers are dropped */
  GPtrArray    *versions;    /* GlsDesign: the earlier versions, oldest first */
  GPtrArray    *models;      /* their threads, GListModel each */
  GHashTable   *results;     /* root id → CarriedResult */
  GListStore   *store;       /* the carried threads, as the panel lists them */
  GHashTable   *notes;       /* root id → GlsThreadNote, as the panel was told */
  RenderCache  *cache;
  gboolean      comparing;
  guint         update_idle;
};

static void
render_cache_clear (gpointer data)
{
  RenderCache *cache = data;

  g_clear_object (&cache->newer);
  g_clear_pointer (&cache->changes, g_hash_table_unref);
}

static RenderCache *
render_cache_new (void)
{
  RenderCache *cache = g_atomic_rc_box_new0 (RenderCache);

  cache->changes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  return cache;
}

static void
render_cache_unref (RenderCache *cache)
{
  g_atomic_rc_box_release_full (cache, render_cache_clear);
}

static gboolean
is_rendered_design (GlsDesign *design)
{
  GlsDesignKind kind = design ? gls_design_get_kind (design) : GLS_DESIGN_KIND_OTHER;

  return kind == GLS_DESIGN_KIND_RASTER || kind == GLS_DESIGN_KIND_SVG || kind == GLS_DESIGN_KIND_PDF;
}

/* Whether a thread of an earlier version is carried: open, and on a
 * place an image has (not a text's passage). */
static gboolean
is_carried (GlsThread *thread)
{
  const GlsSelector *selector = gls_thread_get_selector (thread);

  return !gls_thread_get_resolved (thread) &&
         (selector == NULL || selector->kind != GLS_SELECTOR_TEXT);
}

/* Comparing: in a worker, the threads not compared yet */

typedef struct
{
  GlsDesign   *version;
  guint        number;
  char        *root_id;
  GlsSelector  selector;
  /* the answer */
  GlsChange    change;
  GlsSelector  mapped;
} CompareItem;

static void
compare_item_clear (gpointer data)
{
  CompareItem *item = data;

  g_clear_object (&item->version);
  g_clear_pointer (&item->root_id, g_free);
}

typedef struct
{
  GlsWindow    *window;
  guint         generation;
  GlsWorkspace *workspace;
  GlsDesign    *design;
  RenderCache  *cache;
  GArray       *items;  /* CompareItem */
} CompareData;

static void
compare_data_free (CompareData *data)
{
  g_clear_object (&data->window);
  g_clear_object (&data->workspace);
  g_clear_object (&data->design);
  g_clear_pointer (&data->cache, render_cache_unref);
  g_clear_pointer (&data->items, g_array_unref);
  g_free (data);
}

static GlsRender *
load_render (GlsWorkspace  *workspace,
             GlsDesign     *design,
             GError       **error)
{
  g_autoptr(GBytes) bytes = gls_workspace_load_design_file (workspace, gls_design_get_id (design), error);

  if (bytes == NULL)
    return NULL;

  return gls_render_new (bytes, gls_design_get_media_type (design), error);
}

/* The comparison of an earlier version with the one shown, made once. */
static GlsChanges *
changes_for (CompareData *data,
             GlsDesign   *version)
{
  RenderCache *cache = data->cache;
  const char *id = gls_design_get_id (version);
  g_autoptr(GlsRender) older = NULL;
  g_autoptr(GError) error = NULL;
  gpointer found;

  if (g_hash_table_lookup_extended (cache->changes, id, NULL, &found))
    return found;

  if (cache->newer == NULL && !cache->newer_failed)
    {
      cache->newer = load_render (data->workspace, data->design, &error);
      if (cache->newer == NULL)
        {
          g_debug ("Cannot draw %s to compare its versions: %s", gls_design_get_id (data->design), error->message);
          cache->newer_failed = TRUE;
          g_clear_error (&error);
        }
    }
  if (cache->newer == NULL)
    return NULL;

  older = load_render (data->workspace, version, &error);
  if (older == NULL)
    {
      g_debug ("Cannot draw version %s to compare it: %s", id, error->message);
      g_hash_table_insert (cache->changes, g_strdup (id), NULL);
      return NULL;
    }

  found = gls_changes_new (older, cache->newer);
  g_hash_table_insert (cache->changes, g_strdup (id), found);
  return found;
}

static void
compare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CompareData *data = task_data;

  for (guint i = 0; i < data->items->len; i++)
    {
      CompareItem *item = &g_array_index (data->items, CompareItem, i);
      g_autoptr(GError) error = NULL;
      GlsChanges *changes;

      if (g_task_return_error_if_cancelled (task))
        return;

      /* Until told otherwise: where it was, and no answer. */
      item->change = GLS_CHANGE_UNKNOWN;
      item->mapped = item->selector;
      if (item->selector.kind == GLS_SELECTOR_TEXT ||
          (changes = changes_for (data, item->version)) == NULL)
        continue;

      gls_changes_map_selector (changes, &item->selector, &item->mapped);
      item->change = gls_changes_detect (changes, &item->selector, &error);
      if (error != NULL)
        g_debug ("Cannot tell whether the design changed under %s: %s", item->root_id, error->message);
    }

  g_task_return_boolean (task, TRUE);
}

static void schedule_update (GlsWindowCarried *state);

static void
compared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CompareData *data = g_task_get_task_data (G_TASK (result));
  GlsWindowCarried *state;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    return;

  state = data->window->carried_state;
  if (state == NULL || state->generation != data->generation)
    return;

  state->comparing = FALSE;
  for (guint i = 0; i < data->items->len; i++)
    {
      CompareItem *item = &g_array_index (data->items, CompareItem, i);
      CarriedResult *found = g_new0 (CarriedResult, 1);

      found->version = item->number;
      found->change = item->change;
      found->mapped = item->mapped;
      g_hash_table_replace (state->results, g_strdup (item->root_id), found);
    }

  schedule_update (state);
}

static void
start_compare (GlsWindowCarried *state,
               GArray           *items)
{
  GlsWindow *window = state->window;
  g_autoptr(GTask) task = NULL;
  CompareData *data = g_new0 (CompareData, 1);

  data->window = g_object_ref (window);
  data->generation = state->generation;
  data->workspace = g_object_ref (window->workspace);
  data->design = g_object_ref (state->design);
  data->cache = g_atomic_rc_box_acquire (state->cache);
  data->items = g_array_ref (items);

  state->comparing = TRUE;
  task = g_task_new (NULL, window->load_cancellable, compared_cb, NULL);
  g_task_set_source_tag (task, start_compare);
  g_task_set_task_data (task, data, (GDestroyNotify) compare_data_free);
  g_task_run_in_thread (task, compare_thread);
}

/* Publishing: the panel's carried list and notes, the canvas's pins */

static gboolean
same_threads (GListModel *model,
              GPtrArray  *threads)
{
  guint n = g_list_model_get_n_items (model);

  if (n != threads->len)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsThread) thread = g_list_model_get_item (model, i);

      if (thread != g_ptr_array_index (threads, i))
        return FALSE;
    }

  return TRUE;
}

static gboolean
same_notes (GHashTable *a,
            GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (a == NULL || b == NULL)
    return a == b;
  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GlsThreadNote *x = value, *y = g_hash_table_lookup (b, key);

      if (y == NULL || x->version != y->version || x->compared != y->compared || x->change != y->change)
        return FALSE;
    }

  return TRUE;
}

static void
update (GlsWindowCarried *state)
{
  GlsWindow *window = state->window;
  g_autoptr(GPtrArray) threads = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) todo = g_array_new (FALSE, TRUE, sizeof (CompareItem));
  g_autoptr(GHashTable) notes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) gls_thread_note_free);
  gboolean changed = FALSE;

  g_array_set_clear_func (todo, compare_item_clear);

  /* Newest version first, as `glossa list` shows them. */
  for (guint v = state->models->len; v > 0; v--)
    {
      GListModel *model = g_ptr_array_index (state->models, v - 1);
      guint n = g_list_model_get_n_items (model);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GlsThread) thread = g_list_model_get_item (model, i);
          const char *root_id = gls_thread_get_root_id (thread);
          CarriedResult *found;
          GlsThreadNote *note;

          if (!is_carried (thread))
            continue;

          found = g_hash_table_lookup (state->results, root_id);
          if (found == NULL)
            {
              CompareItem item = { 0 };
              const GlsSelector *selector = gls_thread_get_selector (thread);

              item.version = g_object_ref (g_ptr_array_index (state->versions, v - 1));
              item.number = v;
              item.root_id = g_strdup (root_id);
              if (selector != NULL)
                item.selector = *selector;
              g_array_append_val (todo, item);
              continue;
            }

          note = g_new0 (GlsThreadNote, 1);
          note->version = found->version;
          note->state = GLS_ANCHOR_IN_PLACE;
          note->compared = found->change != GLS_CHANGE_UNKNOWN;
          note->change = found->change;
          g_hash_table_insert (notes, g_strdup (root_id), note);
          g_ptr_array_add (threads, g_steal_pointer (&thread));
        }
    }

  /* The new ones are compared, then shown; those already compared now. */
  if (todo->len > 0)
    {
      /* One at a time: the renderings are shared. Its end updates again. */
      if (!state->comparing)
        start_compare (state, todo);
    }

  if (!same_threads (G_LIST_MODEL (state->store), threads))
    {
      g_list_store_splice (state->store, 0, g_list_model_get_n_items (G_LIST_MODEL (state->store)),
                           threads->pdata, threads->len);
      changed = TRUE;
    }

  if (gls_threads_panel_get_carried (GLS_THREADS_PANEL (window->threads_panel)) != G_LIST_MODEL (state->store))
    gls_threads_panel_set_carried (GLS_THREADS_PANEL (window->threads_panel), G_LIST_MODEL (state->store));

  if (!same_notes (state->notes, notes))
    {
      g_clear_pointer (&state->notes, g_hash_table_unref);
      state->notes = g_hash_table_ref (notes);
      gls_threads_panel_set_notes (GLS_THREADS_PANEL (window->threads_panel), notes);
      changed = TRUE;
    }

  if (changed)
    _gls_window_sync_pins (window);
}

static gboolean
update_idle_cb (gpointer user_data)
{
  GlsWindowCarried *state = user_data;

  state->update_idle = 0;
  update (state);

  return G_SOURCE_REMOVE;
}

/* A change of the threads comes as several items-changed: one update. */
static void
schedule_update (GlsWindowCarried *state)
{
  if (state->update_idle == 0)
    state->update_idle = g_idle_add (update_idle_cb, state);
}

/* A thread of an earlier version came, changed (a reply, resolved) or
 * went. */
static void
model_changed_cb (GlsWindow  *self,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GListModel *model)
{
  if (self->carried_state != NULL)
    schedule_update (self->carried_state);
}

/* The chain of versions, read in a thread */

typedef struct
{
  GlsWindow    *window;
  guint         generation;
  GlsWorkspace *workspace;
  GlsDesign    *design;
} ChainData;

static void
chain_data_free (ChainData *data)
{
  g_clear_object (&data->window);
  g_clear_object (&data->workspace);
  g_clear_object (&data->design);
  g_free (data);
}

static void
chain_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ChainData *data = task_data;

  g_task_return_pointer (task, gls_workspace_list_versions (data->workspace, data->design),
                         (GDestroyNotify) g_ptr_array_unref);
}

static void
chain_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  ChainData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(GError) error = NULL;
  GlsWindowCarried *state;

  chain = g_task_propagate_pointer (G_TASK (result), &error);
  if (chain == NULL)
    return;

  state = data->window->carried_state;
  if (state == NULL || state->generation != data->generation || chain->len < 2)
    return;

  for (guint i = 0; i + 1 < chain->len; i++)
    {
      GlsDesign *version = g_ptr_array_index (chain, i);
      GListModel *threads = gls_workspace_get_threads (data->workspace, gls_design_get_source (version));

      g_ptr_array_add (state->versions, g_object_ref (version));
      g_ptr_array_add (state->models, threads);
      g_signal_connect_object (threads, "items-changed", G_CALLBACK (model_changed_cb), state->window,
                               G_CONNECT_SWAPPED);
    }

  schedule_update (state);
}

/* The window's side */

static void
disconnect_models (GlsWindowCarried *state)
{
  for (guint i = 0; i < state->models->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (state->models, i), model_changed_cb,
                                          state->window);
}

void
_gls_window_clear_carried (GlsWindow *self)
{
  GlsWindowCarried *state = self->carried_state;

  if (state == NULL)
    return;

  state->generation++;
  g_clear_handle_id (&state->update_idle, g_source_remove);
  disconnect_models (state);
  g_ptr_array_set_size (state->models, 0);
  g_ptr_array_set_size (state->versions, 0);
  g_hash_table_remove_all (state->results);
  g_clear_pointer (&state->notes, g_hash_table_unref);
  g_clear_object (&state->store);
  g_clear_object (&state->design);
  g_clear_pointer (&state->cache, render_cache_unref);
  state->comparing = FALSE;
}

void
_gls_window_load_carried (GlsWindow *self)
{
  GlsWindowCarried *state = self->carried_state;
  g_autoptr(GTask) task = NULL;
  ChainData *data;

  _gls_window_clear_carried (self);
  if (state == NULL || !is_rendered_design (self->design))
    return;

  state->design = g_object_ref (self->design);
  state->store = g_list_store_new (GLS_TYPE_THREAD);
  state->cache = render_cache_new ();

  data = g_new0 (ChainData, 1);
  data->window = g_object_ref (self);
  data->generation = state->generation;
  data->workspace = g_object_ref (self->workspace);
  data->design = g_object_ref (self->design);

  task = g_task_new (NULL, self->load_cancellable, chain_read_cb, NULL);
  g_task_set_source_tag (task, _gls_window_load_carried);
  g_task_set_task_data (task, data, (GDestroyNotify) chain_data_free);
  g_task_run_in_thread (task, chain_thread);
}

gboolean
_gls_window_get_carried_place (GlsWindow   *self,
                               GlsThread   *thread,
                               GlsSelector *place,
                               guint       *version)
{
  GlsWindowCarried *state = self->carried_state;
  CarriedResult *found;

  if (state == NULL || thread == NULL ||
      !(found = g_hash_table_lookup (state->results, gls_thread_get_root_id (thread))))
    return FALSE;

  if (place != NULL)
    *place = found->mapped;
  if (version != NULL)
    *version = found->version;
  return TRUE;
}

GListModel *
_gls_window_get_carried_threads (GlsWindow *self)
{
  return self->carried_state ? G_LIST_MODEL (self->carried_state->store) : NULL;
}

void
_gls_window_init_carried (GlsWindow *self)
{
  GlsWindowCarried *state = g_new0 (GlsWindowCarried, 1);

  state->window = self;
  state->versions = g_ptr_array_new_with_free_func (g_object_unref);
  state->models = g_ptr_array_new_with_free_func (g_object_unref);
  state->results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->carried_state = state;
}

void
_gls_window_dispose_carried (GlsWindow *self)
{
  GlsWindowCarried *state = self->carried_state;

  if (state == NULL)
    return;

  _gls_window_clear_carried (self);
  g_clear_pointer (&state->models, g_ptr_array_unref);
  g_clear_pointer (&state->versions, g_ptr_array_unref);
  g_clear_pointer (&state->results, g_hash_table_unref);
  g_free (state);
  self->carried_state = NULL;
}
