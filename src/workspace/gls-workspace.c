/* gls-workspace.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-workspace"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "gls-annotation-private.h"
#include "gls-hlc.h"
#include "gls-person.h"
#include "gls-po.h"
#include "gls-proof.h"
#include "gls-reviews.h"
#include "gls-suggestions.h"
#include "gls-text.h"
#include "gls-threads.h"
#include "gls-types.h"
#include "gls-w3c.h"
#include "gls-workspace.h"

#define WORKSPACES_DIR "workspaces"
#define NOTES_BATCH    256
#define PARTIAL_NOTES_MIN 16
#define STORE_SUFFIX   ".sqlite"
/* A text design is shown whole, in a text view: 32 MiB is far more than
 * any document or PO file a person reviews. */
#define TEXT_DESIGN_MAX_BYTES (32 * 1024 * 1024)

typedef struct
{
  GHashTable *ids;       /* of the annotations in a design's threads */
  guint64     changed;   /* the generation of the last change */
} Bucket;

static void
bucket_free (Bucket *bucket)
{
  g_hash_table_unref (bucket->ids);
  g_free (bucket);
}

typedef struct
{
  GPtrArray *threads;
  guint64    generation;
} Derived;

static void
derived_free (Derived *derived)
{
  g_ptr_array_unref (derived->threads);
  g_free (derived);
}

typedef struct
{
  GListStore *model;     /* weak: the entry goes when the model does */
  char       *source;
  guint64     generation;
  GPtrArray  *shown;     /* the threads last put in the model */
} ThreadModel;

struct _GlsWorkspace
{
  GObject       parent_instance;

  char         *data_dir;
  char         *name;
  GlsStore     *store;
  GlsIdentity  *identity;
  GlsProfile   *profile;
  GlsHlc       *hlc;

  /* The caches below mirror the store up to seen_seq. They are read and
   * written under `lock`, from any thread. */
  GMutex        lock;
  gint64        seen_seq;
  guint64       generation;
  GHashTable   *annotations; /* id -> GlsAnnotation, tombstones included */
  /* The annotations of each design's threads, so that one design's
   * threads are derived from its own annotations, not from every one:
   * interned source -> Bucket; id -> its interned source; the ids of
   * annotations whose target has not arrived, by that target. */
  GHashTable   *buckets;
  GHashTable   *placed;
  GHashTable   *waiting;
  guint64       names_changed;  /* generation: every thread's names */
  GHashTable   *designs;     /* id -> GlsDesign */
  GHashTable   *people;      /* did:key -> their latest verified GlsPerson */
  GHashTable   *names;       /* did:key -> name: a snapshot, replaced, never changed */
  GHashTable   *forged_edits; /* id of an edit whose proof failed -> the id it edits */
  GHashTable   *forged;      /* annotation id -> forged edits of it: a snapshot, replaced */
  GArray       *pending_notes; /* GlsStoreNote: proofs checked, not yet noted in the store */
  gboolean      closes_in_background; /* opened with gls_workspace_open_async */
  gboolean      partial;     /* gls_workspace_open_partial, _open_lazy_async */
  gboolean      lazy;        /* ...the second: threads read when shown */
  GHashTable   *loaded_sources; /* lazy: sources whose threads were read */
  /* Sources whose threads were read, and which the catch-ups keep
   * current since (in a lazy workspace, those a model shows), under
   * `lock`: they are not read again. */
  GHashTable   *read_sources;
  /* Lazy: designs whose threads a model asked for, read one at a time,
   * the latest asked first (model thread). */
  GQueue        load_queue;
  gboolean      loading;
  guint         n_set_aside; /* documents the store set aside, when opened */

  /* Models live on the thread that first asked for one (the GUI's main
   * thread): their signals reach widgets. Set once; work in a worker
   * never touches them (claim_model_thread). */
  GThread      *model_thread;
  gboolean      catching_up;
  gboolean      changed_again;
  GListStore   *designs_model;
  guint64       designs_generation;
  GHashTable   *thread_models; /* source -> ThreadModel */
  /* Each source's threads as its model last showed them: a source's
   * threads are derived again only when its bucket changed. Model thread
   * only. */
  GHashTable   *derived;     /* source -> Derived */

  /* New annotations by others, read since the last "activity" (under
   * `lock`), once the workspace has opened (track_arrivals). */
  gboolean      track_arrivals;
  GPtrArray    *arrived;

  /* What I have seen, kept in _local/glossa-seen (never replicated):
   * root id -> the activity seen (usec), and activity before `seen_since`
   * counts as seen. Under `lock`. */
  GHashTable   *seen;
  gint64        seen_since;
  gboolean      seen_saving;
  gboolean      seen_dirty;

  /* Designs hidden on this computer (_local/glossa-hidden): ids, under
   * `lock`. */
  GHashTable   *hidden;
};

G_DEFINE_FINAL_TYPE (GlsWorkspace, gls_workspace, G_TYPE_OBJECT)

enum {
  ACTIVITY,
  SEEN_CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void flush_notes (GlsWorkspace *self);
static void load_seen (GlsWorkspace *self);
static void load_hidden (GlsWorkspace *self);

static void
note_clear (gpointer data)
{
  GlsStoreNote *note = data;

  g_free ((char *) note->id);
  g_free ((char *) note->rev);
  g_free ((char *) note->note);
}

G_DEFINE_QUARK (gls-workspace-error-quark, gls_workspace_error)

static void update_models (GlsWorkspace *self);

static void
thread_model_free (gpointer data)
{
  ThreadModel *tm = data;

  if (tm->model != NULL)
    g_object_remove_weak_pointer (G_OBJECT (tm->model), (gpointer *) &tm->model);
  g_clear_pointer (&tm->shown, g_ptr_array_unref);
  g_free (tm->source);
  g_free (tm);
}

static void
flush_notes_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GArray *notes = task_data;
  g_autoptr(GError) error = NULL;

  if (!gls_store_set_notes (GLS_STORE (source), (GlsStoreNote *) notes->data, notes->len, &error))
    g_debug ("Could not keep what the proofs said: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
gls_workspace_finalize (GObject *object)
{
  GlsWorkspace *self = (GlsWorkspace *)object;

  if (self->store != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->store, self);
      if (self->closes_in_background && self->pending_notes->len > 0)
        {
          /* A window closing: the last notes are written by a worker,
           * which keeps the store open until then. */
          g_autoptr(GTask) task = g_task_new (self->store, NULL, NULL, NULL);

          g_task_set_source_tag (task, gls_workspace_finalize);
          g_task_set_task_data (task, g_steal_pointer (&self->pending_notes), (GDestroyNotify) g_array_unref);
          g_task_run_in_thread (task, flush_notes_thread);
        }
      else if (!self->partial || self->pending_notes->len >= PARTIAL_NOTES_MIN)
        flush_notes (self);
      /* A command's one or two new notes (its own comment) are not worth
       * a commit and its fsync: checking them again costs less. Many are
       * (the designs, the first time): each would cost every command a
       * signature check. */
    }
  g_clear_pointer (&self->pending_notes, g_array_unref);

  g_clear_pointer (&self->thread_models, g_hash_table_unref);
  g_clear_pointer (&self->derived, g_hash_table_unref);
  g_clear_pointer (&self->buckets, g_hash_table_unref);
  g_clear_pointer (&self->placed, g_hash_table_unref);
  g_clear_pointer (&self->waiting, g_hash_table_unref);
  g_clear_pointer (&self->arrived, g_ptr_array_unref);
  g_clear_pointer (&self->seen, g_hash_table_unref);
  g_clear_pointer (&self->hidden, g_hash_table_unref);
  g_clear_pointer (&self->loaded_sources, g_hash_table_unref);
  g_clear_pointer (&self->read_sources, g_hash_table_unref);
  g_queue_clear_full (&self->load_queue, g_free);
  g_clear_object (&self->designs_model);
  g_clear_pointer (&self->annotations, g_hash_table_unref);
  g_clear_pointer (&self->designs, g_hash_table_unref);
  g_clear_pointer (&self->people, g_hash_table_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->forged_edits, g_hash_table_unref);
  g_clear_pointer (&self->forged, g_hash_table_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->identity);
  g_clear_object (&self->profile);
  g_clear_object (&self->hlc);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->name, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (gls_workspace_parent_class)->finalize (object);
}

static void
gls_workspace_class_init (GlsWorkspaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gls_workspace_finalize;

  /**
   * GlsWorkspace::activity:
   * @annotations: (element-type GlsAnnotation): what arrived
   *
   * Annotations by someone else reached the workspace since it opened (a
   * peer's sync, another process): replies, comments, mentions. Emitted
   * on the thread that opened it, after the models are up to date. In a
   * window's lazy workspace, those on designs it has not shown count only
   * when they mention this person.
   */
  signals [ACTIVITY] =
    g_signal_new ("activity", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);

  /**
   * GlsWorkspace::seen-changed:
   * @root_id: the thread now seen
   *
   * gls_workspace_mark_seen () marked a thread: unread marks may go.
   */
  signals [SEEN_CHANGED] =
    g_signal_new ("seen-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
gls_workspace_init (GlsWorkspace *self)
{
  g_mutex_init (&self->lock);
  self->annotations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) bucket_free);
  self->placed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  self->designs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->people = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->names = g_hash_table_new (g_str_hash, g_str_equal);
  self->forged_edits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->pending_notes = g_array_new (FALSE, FALSE, sizeof (GlsStoreNote));
  g_array_set_clear_func (self->pending_notes, note_clear);
  self->forged = g_hash_table_new (g_str_hash, g_str_equal);
  self->designs_model = g_list_store_new (GLS_TYPE_DESIGN);
  self->thread_models = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, thread_model_free);
  self->hlc = gls_hlc_new ();
  self->arrived = g_ptr_array_new_with_free_func (g_object_unref);
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->hidden = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Paths and names */

char *
gls_workspace_resolve_data_dir (const char *override)
{
  const char *env;

  if (override != NULL && *override != '\0')
    return g_canonicalize_filename (override, NULL);

  env = g_getenv ("GLOSSA_DATA_DIR");
  if (env != NULL && *env != '\0')
    return g_canonicalize_filename (env, NULL);

  return g_build_filename (g_get_user_data_dir (), "glossa", NULL);
}

/* CouchDB's database-name rule, because the name is also a path on the wire. */
gboolean
gls_workspace_name_is_valid (const char *name)
{
  if (name == NULL || !g_ascii_islower (name[0]))
    return FALSE;

  for (const char *p = name + 1; *p != '\0'; p++)
    {
      if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && strchr ("_$()+/-", *p) == NULL)
        return FALSE;
    }

  return strlen (name) <= 238;
}

static char *
store_path_for (const char *data_dir,
                const char *name)
{
  g_autofree char *escaped = g_uri_escape_string (name, "$()+-_", FALSE);
  g_autofree char *file = g_strconcat (escaped, STORE_SUFFIX, NULL);

  return g_build_filename (data_dir, WORKSPACES_DIR, file, NULL);
}

char **
gls_workspace_list_names (const char  *data_dir,
                          GError     **error)
{
  g_autofree char *dir_path = g_build_filename (data_dir, WORKSPACES_DIR, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *entry;

  dir = g_dir_open (dir_path, 0, &local_error);
  if (dir == NULL)
    {
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  else
    {
      while ((entry = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *stem = NULL;
          g_autofree char *name = NULL;

          if (!g_str_has_suffix (entry, STORE_SUFFIX))
            continue;
          stem = g_strndup (entry, strlen (entry) - strlen (STORE_SUFFIX));
          name = g_uri_unescape_string (stem, NULL);
          if (name != NULL && gls_workspace_name_is_valid (name))
            g_ptr_array_add (names, g_steal_pointer (&name));
        }
    }

  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* Caches */

static const char *
root_id_of (GlsWorkspace  *self,
            GlsAnnotation *annotation)
{
  /* Replies target the root; older or foreign ones may target a reply. */
  for (guint depth = 0; depth < 64 && annotation != NULL; depth++)
    {
      if (gls_annotation_is_root (annotation))
        return gls_annotation_get_id (annotation);
      annotation = g_hash_table_lookup (self->annotations,
                                        gls_annotation_get_target_id (annotation));
    }

  return NULL;
}

/* Reading documents into the caches happens in two steps: parse and
 * validate (any thread, no lock on the caches), then apply in seq order. */
typedef enum
{
  ITEM_NONE,
  ITEM_ANNOTATION,
  ITEM_DESIGN,
  ITEM_DESIGN_DELETED,
  ITEM_PERSON,
  ITEM_FORGED_EDIT,  /* object NULL; `target` the id it claims to edit */
} ItemKind;

typedef struct
{
  ItemKind  kind;
  char     *id;
  GObject  *object;
  char     *target;
} Item;

typedef struct
{
  GlsWorkspace *self;
  gint64        until;    /* stop after this seq; 0 reads to the end */
  gint64        last_seq;
  guint         failed;   /* revisions whose proof does not hold */
  GPtrArray    *restores; /* signed originals to write again */
  GArray       *notes;    /* GlsStoreNote: proofs checked for the first time */
  GArray       *items;
  GError       *error;
  /* A lazy workspace catching up: annotations on designs no model
   * shows are left for when one does (load_threads_of). */
  gboolean      skip_unshown;
  GHashTable   *kept;     /* ids of annotations this read kept */
  /* Reading what was written since the workspace opened: annotations by
   * others that are new here (GlsAnnotation), for "activity". */
  GPtrArray    *arrived;
} Reader;

static void
item_clear (gpointer data)
{
  Item *item = data;

  g_free (item->id);
  g_free (item->target);
  g_clear_object (&item->object);
}

/* Whether deletion `tomb` may take `original` away: signed by the key
 * that signed it, or, for an unsigned original, by the creator it names. */
static gboolean
deletion_counts (GlsAnnotation *tomb,
                 GlsAnnotation *original)
{
  if (gls_annotation_get_signer (original) != NULL)
    return g_strcmp0 (gls_annotation_get_signer (tomb), gls_annotation_get_signer (original)) == 0;

  return g_strcmp0 (gls_annotation_get_authority (tomb), gls_annotation_get_creator_id (original)) == 0;
}

/* A signed original before an unsigned one, then the oldest revision. */
static gboolean
better_original (GlsAnnotation *candidate,
                 GlsAnnotation *current)
{
  if (current == NULL)
    return TRUE;

  return gls_annotation_get_signer (candidate) != NULL && gls_annotation_get_signer (current) == NULL;
}

/* What an annotation with more than one revision shows. Documents are
 * immutable: the first revision that verifies is the annotation, another
 * live revision is a change nobody may make, and a deletion counts only
 * when its author signed it. Revisions come oldest first, so every peer
 * holding the same revisions decides the same. */
static const char *
proof_value (JsonObject *doc)
{
  JsonNode *proof = json_object_get_member (doc, GLS_PROOF_MEMBER);

  if (proof == NULL || !JSON_NODE_HOLDS_OBJECT (proof))
    return NULL;

  return json_object_get_string_member_with_default (json_node_get_object (proof), "proofValue", NULL);
}

/* Both carry the same proof value, so (each having verified) the same
 * signed content. */
static gboolean
same_signature (JsonObject *a,
                JsonObject *b)
{
  return proof_value (a) != NULL && g_strcmp0 (proof_value (a), proof_value (b)) == 0;
}

/* Whether the signed `original` is still a leaf of its document, or a
 * leaf carries the very same signed words. Peers only replicate leaves:
 * an original that was written over in place lives only in the stores
 * that had it before, and must be written again for the others. */
static gboolean
original_is_a_leaf (GlsStore   *store,
                    const char *id,
                    JsonObject *original)
{
  g_autoptr(JsonArray) leaves = gls_store_get_open_revs (store, id, NULL, GLS_STORE_GET_NONE, NULL);
  JsonObject *proof = json_object_get_object_member (original, GLS_PROOF_MEMBER);
  const char *value = json_object_get_string_member_with_default (proof, "proofValue", "");

  for (guint i = 0; leaves != NULL && i < json_array_get_length (leaves); i++)
    {
      JsonObject *leaf = json_object_get_object_member (json_array_get_object_element (leaves, i), "ok");
      JsonObject *leaf_proof;

      if (leaf == NULL || json_object_get_boolean_member_with_default (leaf, "_deleted", FALSE))
        continue;
      leaf_proof = json_object_get_object_member (leaf, GLS_PROOF_MEMBER);
      if (leaf_proof != NULL &&
          g_strcmp0 (json_object_get_string_member_with_default (leaf_proof, "proofValue", NULL), value) == 0 &&
          gls_proof_verify (leaf, NULL, NULL) == GLS_PROOF_VALID)
        return TRUE;
    }

  return FALSE;
}

static GlsAnnotation *
judge_revisions (GlsStore    *store,
                 const char  *id,
                 guint       *failed,
                 GPtrArray   *restores,
                 GError     **error)
{
  g_autoptr(JsonArray) revisions = gls_store_get_revisions (store, id, error);
  g_autoptr(GPtrArray) tombs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GlsAnnotation) original = NULL;
  JsonObject *original_doc = NULL;
  GlsAnnotation *deletion = NULL;
  g_autoptr(GPtrArray) lives = g_ptr_array_new ();
  guint ignored = 0;

  if (revisions == NULL)
    return NULL;

  for (guint i = 0; i < json_array_get_length (revisions); i++)
    {
      JsonObject *doc = json_array_get_object_element (revisions, i);
      g_autoptr(GlsAnnotation) annotation = gls_annotation_new_verified (doc, NULL);

      if (annotation == NULL)
        {
          /* Malformed, or a proof that does not hold. */
          ignored++;
          (*failed)++;
        }
      else if (gls_annotation_is_deleted (annotation))
        {
          g_ptr_array_add (tombs, g_steal_pointer (&annotation));
        }
      else
        {
          g_ptr_array_add (lives, doc);
          if (better_original (annotation, original))
            {
              g_set_object (&original, annotation);
              original_doc = doc;
            }
        }
    }

  /* Other live revisions are changes nobody may make, unless they carry
   * the very same signed words (a restored original). */
  for (guint i = 0; i < lives->len; i++)
    if (g_ptr_array_index (lives, i) != original_doc &&
        !same_signature (g_ptr_array_index (lives, i), original_doc))
      ignored++;

  for (guint i = 0; i < tombs->len; i++)
    {
      GlsAnnotation *tomb = g_ptr_array_index (tombs, i);

      /* Without the original (a peer sent only the deletion), the
       * tombstone's own proof is all there is to check. */
      if (deletion == NULL && (original == NULL || deletion_counts (tomb, original)))
        deletion = tomb;
      else
        ignored++;
    }

  if (deletion != NULL)
    {
      _gls_annotation_set_ignored_changes (deletion, ignored);
      return g_object_ref (deletion);
    }
  if (original != NULL)
    {
      /* Signed words someone wrote over: put them back on top, as a
       * revision whose id every peer that does so computes alike. */
      if (gls_annotation_get_signer (original) != NULL && !original_is_a_leaf (store, id, original_doc))
        g_ptr_array_add (restores, json_object_ref (original_doc));
      _gls_annotation_set_ignored_changes (original, ignored);
      return g_steal_pointer (&original);
    }

  g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_PROOF,
               _("No revision of annotation “%s” verifies"), id);
  return NULL;
}

/* A design shows when it is unsigned (Glossa 0.1, another tool) or
 * signed by its author. */
static GlsDesign *
design_new_checked (JsonObject      *doc,
                    GlsProofStatus   status,
                    const char      *signer,
                    const char      *why,
                    GError         **error)
{
  g_autoptr(GlsDesign) design = gls_design_new_from_json (doc, error);

  if (design == NULL)
    return NULL;

  switch (status)
    {
    case GLS_PROOF_NONE:
      return g_steal_pointer (&design);
    case GLS_PROOF_VALID:
      if (g_strcmp0 (signer, gls_design_get_author_id (design)) == 0)
        return g_steal_pointer (&design);
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_PROOF,
                   _("Design “%s” names %s as its author but was signed by %s"),
                   gls_design_get_id (design), gls_design_get_author_id (design), signer);
      return NULL;
    case GLS_PROOF_INVALID:
    default:
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_PROOF,
                   _("Design “%s”: %s"), gls_design_get_id (design),
                   why != NULL ? why : _("its proof does not verify"));
      return NULL;
    }
}

static GlsDesign *
design_new_verified (JsonObject  *doc,
                     GError     **error)
{
  g_autoptr(GError) proof_error = NULL;
  g_autofree char *signer = NULL;
  GlsProofStatus status = gls_proof_verify (doc, &signer, &proof_error);

  return design_new_checked (doc, status, signer, proof_error != NULL ? proof_error->message : NULL, error);
}

/* What a revision's proof said, kept as the store's note on it so that a
 * workspace opened again does not check every proof again: "valid DID",
 * "none" or "invalid". */
typedef struct
{
  GlsProofStatus  status;
  char           *signer;
  char           *why;
} Checked;

static void
checked_clear (Checked *checked)
{
  g_clear_pointer (&checked->signer, g_free);
  g_clear_pointer (&checked->why, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Checked, checked_clear)


static void
check_proof (JsonObject *body,
             const char *id,
             const char *rev,
             const char *note,
             GArray     *notes,
             Checked    *out)
{
  g_autoptr(GError) error = NULL;
  GlsStoreNote made;

  if (note != NULL && g_str_has_prefix (note, "valid did:key:"))
    {
      *out = (Checked) { GLS_PROOF_VALID, g_strdup (note + strlen ("valid ")), NULL };
      return;
    }
  if (g_strcmp0 (note, "none") == 0)
    {
      *out = (Checked) { GLS_PROOF_NONE, NULL, NULL };
      return;
    }
  if (g_strcmp0 (note, "invalid") == 0)
    {
      *out = (Checked) { GLS_PROOF_INVALID, NULL, NULL };
      return;
    }

  *out = (Checked) { GLS_PROOF_NONE, NULL, NULL };
  out->status = gls_proof_verify (body, &out->signer, &error);
  if (error != NULL)
    out->why = g_strdup (error->message);

  made.id = g_strdup (id);
  made.rev = g_strdup (rev);
  made.note = out->status == GLS_PROOF_VALID ? g_strconcat ("valid ", out->signer, NULL)
                                              : g_strdup (out->status == GLS_PROOF_NONE ? "none" : "invalid");
  g_array_append_val (notes, made);
}

/* A design with more than one revision, or deleted: like annotations, the
 * first revision that verifies is the design (a new version is a new
 * document), and a deletion counts only when signed by its author. */
static ItemKind
judge_design (GlsStore    *store,
              const char  *id,
              GlsDesign  **out,
              guint       *failed,
              GError     **error)
{
  g_autoptr(JsonArray) revisions = gls_store_get_revisions (store, id, error);
  g_autoptr(GlsDesign) original = NULL;
  guint n = revisions != NULL ? json_array_get_length (revisions) : 0;

  if (revisions == NULL)
    return ITEM_NONE;

  for (guint i = 0; i < n && original == NULL; i++)
    {
      JsonObject *doc = json_array_get_object_element (revisions, i);

      if (!json_object_get_boolean_member_with_default (doc, "_deleted", FALSE) &&
          !(original = design_new_verified (doc, NULL)))
        (*failed)++;
    }

  for (guint i = 0; i < n && original != NULL; i++)
    {
      JsonObject *doc = json_array_get_object_element (revisions, i);
      g_autofree char *signer = NULL;

      if (json_object_get_boolean_member_with_default (doc, "_deleted", FALSE) &&
          gls_proof_verify (doc, &signer, NULL) == GLS_PROOF_VALID &&
          g_strcmp0 (signer, gls_design_get_author_id (original)) == 0)
        return ITEM_DESIGN_DELETED;
    }

  if (original == NULL)
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_PROOF,
                   _("No revision of design “%s” verifies"), id);
      return ITEM_NONE;
    }

  *out = g_steal_pointer (&original);
  return ITEM_DESIGN;
}

static gboolean is_shown (Reader     *reader,
                          const char *id,
                          JsonObject *body);

/* Activity: what others wrote that this workspace had not seen. */
static void
note_arrival (Reader        *reader,
              GlsAnnotation *annotation)
{
  GlsWorkspace *self = reader->self;

  if (reader->arrived == NULL || gls_annotation_is_deleted (annotation) ||
      g_hash_table_contains (self->annotations, gls_annotation_get_id (annotation)) ||
      g_strcmp0 (gls_annotation_get_authority (annotation), gls_identity_get_did (self->identity)) == 0)
    return;
  g_ptr_array_add (reader->arrived, g_object_ref (annotation));
}

/* A lazy workspace leaves annotations on designs no window shows for
 * later; one that mentions me is news now, checked as any other. */
static void
note_unshown_arrival (Reader     *reader,
                      const char *id,
                      const char *rev,
                      const char *note,
                      JsonObject *body)
{
  g_auto(Checked) checked = { 0, };
  g_autoptr(GlsAnnotation) annotation = NULL;
  const char *me = gls_identity_get_did (reader->self->identity);
  const char * const *mentions;
  JsonNode *bodies;
  gboolean names_me = FALSE;

  if (reader->arrived == NULL || (bodies = json_object_get_member (body, "body")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (bodies))
    return;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (bodies)) && !names_me; i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (bodies), i);

      names_me = JSON_NODE_HOLDS_OBJECT (element) &&
                 g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (element), "source",
                                                                        NULL), me) == 0;
    }
  if (!names_me)
    return;
  check_proof (body, id, rev, note, reader->notes, &checked);
  annotation = gls_annotation_new_checked (body, checked.status, checked.signer, checked.why, NULL);
  if (annotation != NULL && (mentions = gls_annotation_get_mentions (annotation)) != NULL &&
      g_strv_contains (mentions, me))
    note_arrival (reader, annotation);
}

static gboolean
read_doc_cb (const char *id,
             const char *rev,
             gint64      seq,
             gboolean    deleted,
             guint       n_revs,
             const char *note,
             JsonObject *body,
             gpointer    user_data)
{
  Reader *reader = user_data;
  g_autoptr(GError) error = NULL;
  Item item = { 0 };

  if (reader->until > 0 && seq > reader->until)
    return FALSE;

  reader->last_seq = seq;

  if (gls_annotation_json_is_annotation (body))
    {
      GlsAnnotation *annotation;

      if (reader->skip_unshown && !is_shown (reader, id, body))
        {
          note_unshown_arrival (reader, id, rev, note, body);
          return TRUE;
        }

      /* One revision, a live one signed by its author, is the rule. */
      if (n_revs == 1)
        {
          g_auto(Checked) checked = { 0, };

          check_proof (body, id, rev, note, reader->notes, &checked);
          annotation = gls_annotation_new_checked (body, checked.status, checked.signer, checked.why, &error);
          if (annotation == NULL && g_error_matches (error, GLS_CORE_ERROR, GLS_CORE_ERROR_PROOF))
            {
              g_autoptr(GlsAnnotation) forged = gls_annotation_new_from_json (body, NULL);

              reader->failed++;
              /* Someone tried to change these words: the thread says so. */
              if (forged != NULL && gls_annotation_get_motivation (forged) == GLS_MOTIVATION_EDITING)
                {
                  Item edit = { ITEM_FORGED_EDIT, g_strdup (id), NULL,
                                g_strdup (gls_annotation_get_target_id (forged)) };

                  g_array_append_val (reader->items, edit);
                }
            }
        }
      else
        {
          annotation = judge_revisions (reader->self->store, id, &reader->failed, reader->restores, &error);
        }

      if (annotation != NULL)
        {
          note_arrival (reader, annotation);
          item = (Item) { ITEM_ANNOTATION, g_strdup (gls_annotation_get_id (annotation)), G_OBJECT (annotation) };
        }
    }
  else if (gls_design_json_is_design (body))
    {
      GlsDesign *design = NULL;
      ItemKind kind = ITEM_DESIGN;

      if (n_revs == 1 && !deleted)
        {
          g_auto(Checked) checked = { 0, };

          check_proof (body, id, rev, note, reader->notes, &checked);
          if (!(design = design_new_checked (body, checked.status, checked.signer, checked.why, &error)) &&
              g_error_matches (error, GLS_CORE_ERROR, GLS_CORE_ERROR_PROOF))
            reader->failed++;
        }
      else
        {
          kind = judge_design (reader->self->store, id, &design, &reader->failed, &error);
        }

      if (kind == ITEM_DESIGN_DELETED)
        item = (Item) { ITEM_DESIGN_DELETED, g_strdup (id), NULL };
      else if (design != NULL)
        item = (Item) { ITEM_DESIGN, g_strdup (gls_design_get_id (design)), G_OBJECT (design) };
    }
  else if (gls_person_json_is_person (body))
    {
      GlsPerson *person = NULL;

      /* A profile is immutable too: its first revision that verifies. */
      if (n_revs == 1 && !deleted)
        {
          g_auto(Checked) checked = { 0, };

          check_proof (body, id, rev, note, reader->notes, &checked);
          person = gls_person_new_checked (body, checked.status, checked.signer, checked.why, &error);
        }
      else
        {
          g_autoptr(JsonArray) revisions = gls_store_get_revisions (reader->self->store, id, &error);

          for (guint i = 0; revisions != NULL && i < json_array_get_length (revisions) && person == NULL; i++)
            {
              JsonObject *doc = json_array_get_object_element (revisions, i);

              if (!json_object_get_boolean_member_with_default (doc, "_deleted", FALSE))
                person = gls_person_new_verified (doc, NULL);
            }
          if (person == NULL && error == NULL)
            g_set_error (&error, GLS_CORE_ERROR, GLS_CORE_ERROR_PROOF,
                         _("No revision of profile “%s” verifies"), id);
        }
      if (person == NULL && g_error_matches (error, GLS_CORE_ERROR, GLS_CORE_ERROR_PROOF))
        reader->failed++;
      if (person != NULL)
        item = (Item) { ITEM_PERSON, g_strdup (gls_person_get_did (person)), G_OBJECT (person) };
    }
  else
    {
      g_debug ("Ignoring document “%s”, neither a design nor an annotation", id);
      return TRUE;
    }

  /* A peer's bad document must not hide everyone else's. A forgery is
   * counted, not shouted about: any key holder can send one. */
  if (g_error_matches (error, GLS_CORE_ERROR, GLS_CORE_ERROR_PROOF))
    g_debug ("Ignoring a document of workspace “%s”: %s", reader->self->name, error->message);
  else if (error != NULL)
    g_warning ("Skipping a document of workspace “%s”: %s", reader->self->name, error->message);
  else
    g_array_append_val (reader->items, item);

  return TRUE;
}

/* Whether an annotation is on a design a model shows, or answers one
 * that is (its target, an annotation read): the body unchecked yet, only
 * to tell whether to read it. Call with the caches' lock held. */
static gboolean
is_shown (Reader     *reader,
          const char *id,
          JsonObject *body)
{
  JsonNode *target = json_object_get_member (body, "target");
  const char *key = NULL;

  if (reader->kept == NULL)
    reader->kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (target != NULL && JSON_NODE_HOLDS_VALUE (target) && json_node_get_value_type (target) == G_TYPE_STRING)
    {
      key = json_node_get_string (target);
      if (g_hash_table_contains (reader->self->annotations, key) || g_hash_table_contains (reader->kept, key))
        goto shown;
      return FALSE;
    }
  if (target != NULL && JSON_NODE_HOLDS_OBJECT (target))
    {
      key = json_object_get_string_member_with_default (json_node_get_object (target), "source", NULL);
      if (key != NULL && !g_hash_table_contains (reader->self->loaded_sources, key))
        return FALSE;
    }
shown:
  g_hash_table_add (reader->kept, g_strdup (id));
  return TRUE;
}

static void
reader_init (Reader       *reader,
             GlsWorkspace *self,
             gint64        until)
{
  *reader = (Reader) { self, until, 0, 0, g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref),
                       g_array_new (FALSE, FALSE, sizeof (GlsStoreNote)),
                       g_array_new (FALSE, FALSE, sizeof (Item)), NULL };
  g_array_set_clear_func (reader->notes, note_clear);
  g_array_set_clear_func (reader->items, item_clear);
}

/* A reader of what others wrote: a lazy workspace's leaves what no
 * model shows (is_shown). */
static void
reader_init_catch_up (Reader       *reader,
                      GlsWorkspace *self)
{
  reader_init (reader, self, 0);
  reader->skip_unshown = self->lazy;
}

static gpointer
read_range_thread (gpointer data)
{
  Reader *reader = data;

  gls_store_foreach_doc (reader->self->store, reader->self->seen_seq, read_doc_cb, reader,
                         &reader->error);
  return NULL;
}

/* Puts annotation `id` in the bucket of `source` (interned), and those
 * that waited for it. */
static void
place_in (GlsWorkspace *self,
          const char   *id,
          const char   *source,
          guint64       generation)
{
  g_autoptr(GPtrArray) queue = g_ptr_array_new_with_free_func (g_free);
  Bucket *bucket = g_hash_table_lookup (self->buckets, source);

  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (self->buckets, (gpointer) source, bucket);
    }
  bucket->changed = generation;
  g_ptr_array_add (queue, g_strdup (id));
  while (queue->len > 0)
    {
      g_autofree char *next = g_ptr_array_steal_index (queue, queue->len - 1);
      GPtrArray *children;
      gpointer key;

      g_hash_table_insert (self->placed, g_strdup (next), (gpointer) source);
      g_hash_table_add (bucket->ids, g_strdup (next));
      if (g_hash_table_steal_extended (self->waiting, next, &key, (gpointer *) &children))
        {
          g_free (key);
          for (guint i = 0; i < children->len; i++)
            if (!g_hash_table_contains (self->placed, children->pdata[i]))
              g_ptr_array_add (queue, g_strdup (children->pdata[i]));
          g_ptr_array_unref (children);
        }
    }
}

/* The bucket an annotation belongs in: its own source for one on a
 * design, its target's for the rest (which wait for their target to
 * arrive). An id stays where it was first put. */
static void
place (GlsWorkspace  *self,
       const char    *id,
       GlsAnnotation *annotation,
       guint64        generation)
{
  const char *source = g_hash_table_lookup (self->placed, id);
  const char *target;

  if (source != NULL)
    {
      ((Bucket *) g_hash_table_lookup (self->buckets, source))->changed = generation;
      return;
    }
  /* A comment, and a review of a version, are on a design. */
  if (gls_annotation_get_source (annotation) != NULL)
    {
      place_in (self, id, g_intern_string (gls_annotation_get_source (annotation)), generation);
      return;
    }
  if ((target = gls_annotation_get_target_id (annotation)) == NULL)
    return;
  if ((source = g_hash_table_lookup (self->placed, target)) != NULL)
    {
      place_in (self, id, source, generation);
      return;
    }
  {
    GPtrArray *children = g_hash_table_lookup (self->waiting, target);

    if (children == NULL)
      {
        children = g_ptr_array_new_with_free_func (g_free);
        g_hash_table_insert (self->waiting, g_strdup (target), children);
      }
    g_ptr_array_add (children, g_strdup (id));
  }
}

static void
apply_items (GlsWorkspace *self,
             GArray       *items)
{
  g_autoptr(GlsAnnotation) latest = NULL;
  gint64 horizon = gls_hlc_get_horizon (self->hlc);
  gboolean people_changed = FALSE;
  gboolean forged_changed = FALSE;

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = &g_array_index (items, Item, i);
      gint64 created;

      switch (item->kind)
        {
        case ITEM_ANNOTATION:
          /* The clock only needs to see the latest time it would accept:
           * one far in the future must not hide the others. */
          created = gls_annotation_get_created_usec (GLS_ANNOTATION (item->object));
          if (created <= horizon &&
              (latest == NULL || created > gls_annotation_get_created_usec (latest)))
            g_set_object (&latest, GLS_ANNOTATION (item->object));
          place (self, item->id, GLS_ANNOTATION (item->object), self->generation + 1);
          g_hash_table_replace (self->annotations, g_steal_pointer (&item->id),
                                g_steal_pointer (&item->object));
          break;
        case ITEM_DESIGN:
          g_hash_table_replace (self->designs, g_steal_pointer (&item->id),
                                g_steal_pointer (&item->object));
          break;
        case ITEM_DESIGN_DELETED:
          g_hash_table_remove (self->designs, item->id);
          break;
        case ITEM_FORGED_EDIT:
          if (!g_hash_table_contains (self->forged_edits, item->id))
            {
              g_hash_table_insert (self->forged_edits, g_steal_pointer (&item->id),
                                   g_steal_pointer (&item->target));
              forged_changed = TRUE;
            }
          break;
        case ITEM_PERSON:
          if (gls_person_is_later (GLS_PERSON (item->object), g_hash_table_lookup (self->people, item->id)))
            {
              g_hash_table_replace (self->people, g_steal_pointer (&item->id),
                                    g_steal_pointer (&item->object));
              people_changed = TRUE;
            }
          break;
        default:
          g_assert_not_reached ();
        }
    }

  if (latest != NULL)
    gls_hlc_observe (self->hlc, gls_annotation_get_created (latest));

  /* Threads keep the names they were made with: a new table each time. */
  if (people_changed)
    {
      GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, self->people);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (names, g_strdup (key), g_strdup (gls_person_get_name (value)));
      g_hash_table_unref (self->names);
      self->names = names;
    }

  if (forged_changed)
    {
      GHashTable *forged = g_hash_table_new (g_str_hash, g_str_equal);
      GHashTableIter iter;
      gpointer value;

      /* Keys borrowed from forged_edits, which only grows. */
      g_hash_table_iter_init (&iter, self->forged_edits);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_hash_table_insert (forged, value,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (forged, value)) + 1));
      g_hash_table_unref (self->forged);
      self->forged = forged;
    }

  if (people_changed || forged_changed)
    self->names_changed = self->generation + 1;
  if (items->len > 0)
    self->generation++;
}

/* Writes each signed original again as a child of its document's winning
 * revision. The words and the proof are the author's, unchanged; the
 * revision id is the store's hash of parent and body, so peers that all
 * do this make the same revision, and what they replicate converges. A
 * failure is only logged: the next change will try again. */
static void
restore_originals (GlsWorkspace *self,
                   GPtrArray    *restores)
{
  static const char *const revision_members[] = {
    "_rev", "_revisions", "_attachments", "_conflicts", "_deleted_conflicts", "_deleted", NULL
  };

  for (guint i = 0; i < restores->len; i++)
    {
      JsonObject *original = g_ptr_array_index (restores, i);
      const char *id = json_object_get_string_member (original, "_id");
      g_autoptr(JsonObject) winner = NULL;
      g_autoptr(JsonObject) doc = json_object_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *rev = NULL;
      GList *members = json_object_get_members (original);

      for (GList *l = members; l != NULL; l = l->next)
        if (!g_strv_contains (revision_members, l->data))
          json_object_set_member (doc, l->data, json_object_dup_member (original, l->data));
      g_list_free (members);

      winner = gls_store_get (self->store, id, NULL, GLS_STORE_GET_DELETED_OK, &error);
      if (winner != NULL)
        {
          json_object_set_string_member (doc, "_rev", json_object_get_string_member (winner, "_rev"));
          rev = gls_store_put (self->store, doc, &error);
        }
      if (rev == NULL)
        g_debug ("Could not restore annotation “%s”: %s", id, error->message);
    }
}

static void
flush_notes (GlsWorkspace *self)
{
  g_autoptr(GError) error = NULL;

  if (self->pending_notes->len == 0)
    return;
  if (!gls_store_set_notes (self->store, (GlsStoreNote *) self->pending_notes->data,
                            self->pending_notes->len, &error))
    g_debug ("Could not keep what the proofs said: %s", error->message);
  g_array_set_size (self->pending_notes, 0);
}

/* Brings the caches up to the store's update sequence. Call with the lock.
 * A long way behind (a cold open) the reading is split in two halves by
 * seq, one per core: parsing JSON is most of the cost. */
/* After a reader read without error: its documents into the caches, its
 * restored originals written, its notes queued. */
static void
reader_apply (GlsWorkspace *self,
              Reader       *reader)
{
  if (reader->arrived != NULL && reader->arrived->len > 0)
    g_ptr_array_extend_and_steal (self->arrived, g_steal_pointer (&reader->arrived));
  apply_items (self, reader->items);
  restore_originals (self, reader->restores);
  /* A note is one more commit: they wait until there are enough, or
   * until the workspace closes, not one per comment. */
  g_array_append_vals (self->pending_notes, reader->notes->data, reader->notes->len);
  g_array_set_clear_func (reader->notes, NULL);
  g_array_set_size (reader->notes, 0);
}

static void
reader_clear (Reader *reader)
{
  g_clear_pointer (&reader->kept, g_hash_table_unref);
  g_clear_pointer (&reader->arrived, g_ptr_array_unref);
  g_clear_error (&reader->error);
  g_array_unref (reader->items);
  g_ptr_array_unref (reader->restores);
  g_array_unref (reader->notes);
}

/* After a partial read of older documents (`ok`: it went through): them
 * into the caches, or its error out; the reader cleared. Call with the
 * caches' lock held. */
static gboolean
reader_finish_locked (GlsWorkspace  *self,
                      Reader        *reader,
                      gboolean       ok,
                      GError       **error)
{
  if (ok)
    reader_apply (self, reader);
  else
    g_propagate_error (error, g_steal_pointer (&reader->error));
  reader_clear (reader);
  return ok;
}

static gboolean
sync_caches_locked (GlsWorkspace  *self,
                    GError       **error)
{
  gint64 update_seq = gls_store_get_update_seq (self->store);
  Reader first, second;
  gboolean ok;

  if (update_seq <= self->seen_seq)
    return TRUE;

  if (update_seq - self->seen_seq >= 2000 && g_get_num_processors () > 1 && !self->lazy)
    {
      gint64 middle = self->seen_seq + (update_seq - self->seen_seq) / 2;
      GThread *thread;

      reader_init (&first, self, middle);
      reader_init (&second, self, 0);
      thread = g_thread_new ("gls-workspace-read", read_range_thread, &first);
      ok = gls_store_foreach_doc (self->store, middle, read_doc_cb, &second, &second.error);
      g_thread_join (thread);
      ok = ok && first.error == NULL;
    }
  else
    {
      reader_init_catch_up (&first, self);
      reader_init (&second, self, 0);
      if (self->track_arrivals)
        first.arrived = g_ptr_array_new_with_free_func (g_object_unref);
      ok = gls_store_foreach_doc (self->store, self->seen_seq, read_doc_cb, &first, &first.error);
    }

  if (ok)
    {
      reader_apply (self, &first);
      reader_apply (self, &second);
      self->seen_seq = MAX (self->seen_seq, MAX (first.last_seq, second.last_seq));
      if (self->pending_notes->len >= NOTES_BATCH)
        flush_notes (self);
    }
  else
    {
      g_propagate_error (error, first.error ? g_steal_pointer (&first.error) : g_steal_pointer (&second.error));
    }

  reader_clear (&first);
  reader_clear (&second);
  return ok;
}

/* Partial workspaces (the command line): the caches hold what a command
 * asked for, found through the store's indexes, and what was written
 * since the workspace opened. */

/* Every write keeps these (each costs it a parse of the body's member):
 * "@type" lists designs and people (annotations have none, and are not
 * parsed for it); "target" lists an annotation under the id it targets
 * (replies, edits, decisions) or, when its target is an object, under
 * that object's strings: a comment under its design's source. */
#define INDEX_TYPE    "glossa-ld-type"
#define INDEX_TARGET  "glossa-target"

static gboolean
ensure_indexes (GlsWorkspace  *self,
                GError       **error)
{
  return gls_store_ensure_index (self->store, INDEX_TYPE, "@type", error) &&
         gls_store_ensure_index (self->store, INDEX_TARGET, "target", error);
}

/* Reads the documents an index lists under `keys` into the caches (old
 * ones: seen_seq stays). */
static gboolean
load_indexed_locked (GlsWorkspace       *self,
                     const char         *index,
                     const char *const  *keys,
                     guint               n_keys,
                     GError            **error)
{
  Reader reader;
  gboolean ok;

  reader_init (&reader, self, 0);
  ok = gls_store_foreach_indexed (self->store, index, keys, n_keys, read_doc_cb, &reader, &reader.error);
  return reader_finish_locked (self, &reader, ok, error);
}

static gboolean
load_people_locked (GlsWorkspace  *self,
                    GError       **error)
{
  static const char *const types[] = { "Person" };

  return load_indexed_locked (self, INDEX_TYPE, types, G_N_ELEMENTS (types), error);
}

/* The @type of every design version (gls-design). */
static const char *const design_types[] = { "ImageObject", "DigitalDocument" };

static gboolean
load_designs_locked (GlsWorkspace  *self,
                     GError       **error)
{
  return load_indexed_locked (self, INDEX_TYPE, design_types, G_N_ELEMENTS (design_types), error);
}

typedef struct
{
  Reader     *reader;
  GHashTable *seen;  /* ids read */
  GPtrArray  *found; /* ids read at this level */
} LevelReader;

static gboolean
read_level_cb (const char *id,
               const char *rev,
               gint64      seq,
               gboolean    deleted,
               guint       n_revs,
               const char *note,
               JsonObject *body,
               gpointer    user_data)
{
  LevelReader *level = user_data;

  if (g_hash_table_contains (level->seen, id))
    return TRUE;
  g_hash_table_add (level->seen, g_strdup (id));
  g_ptr_array_add (level->found, g_strdup (id));
  return read_doc_cb (id, rev, seq, deleted, n_revs, note, body, level->reader);
}

static gboolean load_threads_of (GlsWorkspace  *self,
                                 const char    *source,
                                 GError       **error);

/**
 * gls_workspace_load_threads:
 * @design: a design of the workspace
 *
 * In a partial workspace, reads the threads of @design: the comments on
 * it, then whatever targets them (replies, edits, decisions, replies to
 * replies), level by level, each straight from the store's indexes. A
 * workspace opened whole has them already.
 */
/* `source` was read whole, and the catch-ups keep it current. */
static void
mark_read (GlsWorkspace *self,
           const char   *source)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (self->read_sources == NULL)
    self->read_sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add (self->read_sources, g_strdup (source));
}

gboolean
gls_workspace_load_threads (GlsWorkspace  *self,
                            GlsDesign     *design,
                            GError       **error)
{
  const char *source;
  gboolean kept;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (GLS_IS_DESIGN (design), FALSE);

  source = gls_design_get_source (design);
  if (!self->partial)
    return TRUE;
  {
    /* Read once, then brought up to date by a catch-up (`glossa list
     * DESIGN` asked for its threads, then its reviews; a window's designs
     * sidebar asks for every design's reviews whenever documents are
     * written). A lazy workspace's catch-ups skip what no model shows:
     * such a design is read again each time. */
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

    if (self->read_sources != NULL && g_hash_table_contains (self->read_sources, source))
      return sync_caches_locked (self, error);
    kept = !self->lazy || g_hash_table_contains (self->loaded_sources, source);
  }
  if (!load_threads_of (self, source, error))
    return FALSE;
  if (kept)
    mark_read (self, source);
  return TRUE;
}

/* Reads the threads on `source` (see gls_workspace_load_threads). */
static gboolean
load_threads_of (GlsWorkspace  *self,
                 const char    *source,
                 GError       **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GMutexLocker) locker = NULL;
  Reader reader;
  gboolean ok = TRUE;
  gint64 before;

  g_mutex_lock (&self->lock);
  before = self->seen_seq;
  g_mutex_unlock (&self->lock);

  reader_init (&reader, self, 0);
  g_ptr_array_add (keys, g_strdup (source));
  while (ok && keys->len > 0)
    {
      LevelReader level = { &reader, seen, g_ptr_array_new_with_free_func (g_free) };

      ok = gls_store_foreach_indexed (self->store, INDEX_TARGET, (const char *const *) keys->pdata, keys->len,
                                      read_level_cb, &level, &reader.error);
      g_ptr_array_unref (keys);
      keys = level.found;
    }

  locker = g_mutex_locker_new (&self->lock);
  if (!reader_finish_locked (self, &reader, ok, error))
    return FALSE;
  if (self->seen_seq == before)
    return TRUE;

  /* A catch-up read newer revisions while this read older ones, which
   * then went over them: what changed since is read again, last. */
  reader_init_catch_up (&reader, self);
  ok = gls_store_foreach_doc (self->store, before, read_doc_cb, &reader, &reader.error);
  return reader_finish_locked (self, &reader, ok, error);
}

static gboolean
sync_caches (GlsWorkspace  *self,
             GError       **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return sync_caches_locked (self, error);
}

static gboolean
on_model_thread (GlsWorkspace *self)
{
  return g_atomic_pointer_get (&self->model_thread) == g_thread_self ();
}

/* Whether the models may be used here: the first thread to ask owns them,
 * and no other may, or a worker would emit items-changed to widgets. */
static gboolean
claim_model_thread (GlsWorkspace *self)
{
  return g_atomic_pointer_compare_and_exchange (&self->model_thread, NULL, g_thread_self ()) ||
         on_model_thread (self);
}

/* After a write: the models show it at once when written from their own
 * thread; from elsewhere GlsStore::changed brings it to them. */
static gboolean
written (GlsWorkspace  *self,
         GError       **error)
{
  if (!sync_caches (self, error))
    return FALSE;

  if (on_model_thread (self))
    update_models (self);

  return TRUE;
}

static GPtrArray *
snapshot_annotations_locked (GlsWorkspace *self)
{
  GPtrArray *all = g_ptr_array_new_full (g_hash_table_size (self->annotations), g_object_unref);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->annotations);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (all, g_object_ref (value));

  return all;
}

/* The annotations of @source's threads (a NULL source: all of them). */
static GPtrArray *
snapshot_source_locked (GlsWorkspace *self,
                        const char   *source)
{
  Bucket *bucket;
  GPtrArray *annotations;
  GHashTableIter iter;
  gpointer key;

  if (source == NULL)
    return snapshot_annotations_locked (self);
  if ((bucket = g_hash_table_lookup (self->buckets, g_intern_string (source))) == NULL)
    return g_ptr_array_new_with_free_func (g_object_unref);
  annotations = g_ptr_array_new_full (g_hash_table_size (bucket->ids), g_object_unref);
  g_hash_table_iter_init (&iter, bucket->ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      GlsAnnotation *annotation = g_hash_table_lookup (self->annotations, key);

      if (annotation != NULL)
        g_ptr_array_add (annotations, g_object_ref (annotation));
    }
  return annotations;
}

/* The threads of @source as a model would list them, from the caches and
 * not from a model: safe on any thread. */
static GPtrArray *
derive_threads (GlsWorkspace *self,
                const char   *source)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GHashTable) forged = NULL;

  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

    all = snapshot_source_locked (self, source);
    names = g_hash_table_ref (self->names);
    forged = g_hash_table_ref (self->forged);
  }

  return gls_threads_derive_with (all, source, names, forged);
}

/* Models */

static gboolean
comments_equal (GListModel *a,
                GListModel *b)
{
  guint n = g_list_model_get_n_items (a);

  if (n != g_list_model_get_n_items (b))
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsComment) ca = g_list_model_get_item (a, i);
      g_autoptr(GlsComment) cb = g_list_model_get_item (b, i);

      if (g_strcmp0 (gls_comment_get_id (ca), gls_comment_get_id (cb)) != 0 ||
          g_strcmp0 (gls_comment_get_text (ca), gls_comment_get_text (cb)) != 0 ||
          g_strcmp0 (gls_comment_get_author_name (ca), gls_comment_get_author_name (cb)) != 0 ||
          gls_comment_get_edited (ca) != gls_comment_get_edited (cb) ||
          gls_comment_get_deleted (ca) != gls_comment_get_deleted (cb) ||
          gls_comment_get_trust (ca) != gls_comment_get_trust (cb) ||
          gls_comment_get_ignored_changes (ca) != gls_comment_get_ignored_changes (cb))
        return FALSE;
    }

  return TRUE;
}

/* Threads are immutable values; an unchanged one keeps its object so that
 * views bound to it (selection, scroll position) stay put. */
static gboolean
threads_equal (GlsThread *a,
               GlsThread *b)
{
  return g_strcmp0 (gls_thread_get_root_id (a), gls_thread_get_root_id (b)) == 0 &&
         gls_thread_get_number (a) == gls_thread_get_number (b) &&
         gls_thread_get_resolved (a) == gls_thread_get_resolved (b) &&
         gls_thread_get_assessment (a) == gls_thread_get_assessment (b) &&
         g_strcmp0 (gls_thread_get_author_name (a), gls_thread_get_author_name (b)) == 0 &&
         gls_thread_get_placeholder (a) == gls_thread_get_placeholder (b) &&
         gls_thread_get_reply_count (a) == gls_thread_get_reply_count (b) &&
         g_strcmp0 (gls_thread_get_text (a), gls_thread_get_text (b)) == 0 &&
         g_strcmp0 (gls_thread_get_last_activity (a), gls_thread_get_last_activity (b)) == 0 &&
         gls_selector_equal (gls_thread_get_selector (a), gls_thread_get_selector (b)) &&
         comments_equal (gls_thread_get_comments (a), gls_thread_get_comments (b));
}

static void
update_list (GListStore *store,
             GPtrArray  *items,
             gboolean (*equal) (gpointer, gpointer))
{
  GListModel *model = G_LIST_MODEL (store);
  guint old_n = g_list_model_get_n_items (model);
  guint new_n = items->len;
  guint prefix = 0;
  guint suffix = 0;

  while (prefix < old_n && prefix < new_n)
    {
      g_autoptr(GObject) old = g_list_model_get_item (model, prefix);

      if (!equal (old, g_ptr_array_index (items, prefix)))
        break;
      prefix++;
    }

  while (suffix < old_n - prefix && suffix < new_n - prefix)
    {
      g_autoptr(GObject) old = g_list_model_get_item (model, old_n - 1 - suffix);

      if (!equal (old, g_ptr_array_index (items, new_n - 1 - suffix)))
        break;
      suffix++;
    }

  if (prefix == old_n && prefix == new_n)
    return;

  g_list_store_splice (store, prefix, old_n - prefix - suffix,
                       &items->pdata[prefix], new_n - prefix - suffix);
}

static int
compare_designs (gconstpointer a,
                 gconstpointer b)
{
  GlsDesign *da = *(GlsDesign **) a;
  GlsDesign *db = *(GlsDesign **) b;
  int cmp;

  /* Newest first. */
  cmp = g_strcmp0 (gls_design_get_date_created (db), gls_design_get_date_created (da));
  if (cmp == 0)
    cmp = g_strcmp0 (gls_design_get_id (db), gls_design_get_id (da));
  return cmp;
}

static gboolean
same_object (gpointer a,
             gpointer b)
{
  return a == b;
}

/* The threads of @source as its model lists them, derived from its
 * bucket again only when that (or anyone's name) changed since the last
 * time; `generation` gets the generation they are of. */
static GPtrArray *
threads_of (GlsWorkspace *self,
            const char   *source,
            guint64      *generation)
{
  g_autoptr(GPtrArray) annotations = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GHashTable) forged = NULL;
  Derived *derived = self->derived != NULL ? g_hash_table_lookup (self->derived, source) : NULL;
  guint64 now;

  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
    Bucket *bucket = g_hash_table_lookup (self->buckets, source);

    now = self->generation;
    if (derived != NULL &&
        (bucket == NULL || bucket->changed <= derived->generation) &&
        self->names_changed <= derived->generation)
      {
        derived->generation = now;
        *generation = now;
        return g_ptr_array_ref (derived->threads);
      }
    annotations = snapshot_source_locked (self, source);
    names = g_hash_table_ref (self->names);
    forged = g_hash_table_ref (self->forged);
  }

  if (self->derived == NULL)
    self->derived = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) derived_free);
  derived = g_new0 (Derived, 1);
  derived->threads = gls_threads_derive_with (annotations, source, names, forged);
  derived->generation = now;
  g_hash_table_replace (self->derived, g_strdup (source), derived);
  *generation = now;
  return g_ptr_array_ref (derived->threads);
}

static void
refresh_thread_model (GlsWorkspace *self,
                      ThreadModel  *tm)
{
  g_autoptr(GPtrArray) threads = threads_of (self, tm->source, &tm->generation);

  /* Not derived again (its design's bucket did not change): nothing to
   * compare. */
  if (threads == tm->shown)
    return;
  update_list (tm->model, threads, (gboolean (*) (gpointer, gpointer)) threads_equal);
  g_clear_pointer (&tm->shown, g_ptr_array_unref);
  tm->shown = g_ptr_array_ref (threads);
}

/* Brings the models up to the caches. No store I/O: it runs on the GUI's
 * main thread, after the caches were read elsewhere. */
static void
update_models (GlsWorkspace *self)
{
  g_autoptr(GPtrArray) designs = NULL;
  GHashTableIter iter;
  gpointer value;
  guint64 generation;

  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

    generation = self->generation;
    if (self->designs_generation == generation)
      return;

    designs = g_ptr_array_new_with_free_func (g_object_unref);
    g_hash_table_iter_init (&iter, self->designs);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      if (!g_hash_table_contains (self->hidden, gls_design_get_id (value)))
        g_ptr_array_add (designs, g_object_ref (value));
  }

  g_ptr_array_sort (designs, compare_designs);
  update_list (self->designs_model, designs, same_object);
  self->designs_generation = generation;

  /* Those who heard the designs change may have asked for threads models
   * (the designs sidebar counts open threads), and those who hear a
   * threads model change may ask for more: the models to bring up are
   * listed first, by source. One derivation serves them all. */
  {
    g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_free);

    g_hash_table_iter_init (&iter, self->thread_models);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        ThreadModel *tm = value;

        if (tm->model != NULL && tm->generation < generation)
          g_ptr_array_add (stale, g_strdup (tm->source));
      }
    for (guint i = 0; i < stale->len; i++)
      {
        ThreadModel *tm = g_hash_table_lookup (self->thread_models, g_ptr_array_index (stale, i));

        if (tm != NULL && tm->model != NULL && tm->generation < generation)
          refresh_thread_model (self, tm);
      }
  }
}

static void catch_up (GlsWorkspace *self);

static void
catch_up_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GlsWorkspace *self = source_object;
  g_autoptr(GError) error = NULL;

  if (!sync_caches (self, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
catch_up_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GlsWorkspace *self = GLS_WORKSPACE (object);
  g_autoptr(GError) error = NULL;

  self->catching_up = FALSE;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("Could not read workspace “%s”: %s", self->name, error->message);

  update_models (self);

  {
    g_autoptr(GPtrArray) arrived = NULL;

    g_mutex_lock (&self->lock);
    if (self->arrived->len > 0)
      {
        arrived = g_steal_pointer (&self->arrived);
        self->arrived = g_ptr_array_new_with_free_func (g_object_unref);
      }
    g_mutex_unlock (&self->lock);
    if (arrived != NULL)
      g_signal_emit (self, signals [ACTIVITY], 0, arrived);
  }

  if (self->changed_again)
    catch_up (self);
}

/* Reads what others wrote in a worker thread, then updates the models on
 * this one; changes that arrive meanwhile make one more round. */
static void
catch_up (GlsWorkspace *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->catching_up)
    {
      self->changed_again = TRUE;
      return;
    }

  self->catching_up = TRUE;
  self->changed_again = FALSE;
  task = g_task_new (self, NULL, catch_up_done_cb, NULL);
  g_task_set_source_tag (task, catch_up);
  g_task_run_in_thread (task, catch_up_thread);
}

typedef struct
{
  GlsWorkspace *self;
  JsonArray    *failed;
  gint64        checked;
  gint64        verified;
  gint64        unverified;
  GError       *error;
} VerifyData;

static void
verify_failed (VerifyData *data,
               JsonObject *doc,
               const char *reason)
{
  JsonObject *entry = json_object_new ();

  json_object_set_string_member (entry, "id", json_object_get_string_member_with_default (doc, "_id", ""));
  json_object_set_string_member (entry, "rev", json_object_get_string_member_with_default (doc, "_rev", ""));
  json_object_set_string_member (entry, "reason", reason);
  json_array_add_object_element (data->failed, entry);
}

/* One revision: counted as verified, unverified or failed. */
static void
verify_revision (VerifyData *data,
                 JsonObject *doc,
                 gboolean    extra)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = NULL;
  gboolean signed_doc;

  if (gls_annotation_json_is_annotation (doc))
    object = G_OBJECT (gls_annotation_new_verified (doc, &error));
  else if (gls_design_json_is_design (doc) && !json_object_get_boolean_member_with_default (doc, "_deleted", FALSE))
    object = G_OBJECT (design_new_verified (doc, &error));
  else if (json_object_has_member (doc, GLS_PROOF_MEMBER))
    {
      g_autofree char *signer = NULL;

      if (gls_proof_verify (doc, &signer, &error) == GLS_PROOF_VALID)
        object = g_object_new (G_TYPE_OBJECT, NULL);
    }
  else
    return; /* not a document of Glossa's */

  data->checked++;
  if (object == NULL)
    {
      verify_failed (data, doc, error->message);
      return;
    }

  signed_doc = json_object_has_member (doc, GLS_PROOF_MEMBER);
  if (extra && !json_object_get_boolean_member_with_default (doc, "_deleted", FALSE))
    verify_failed (data, doc, _("Another revision of a document: documents never change, it is ignored"));
  else if (signed_doc)
    data->verified++;
  else
    data->unverified++;
}

static gboolean
verify_doc_cb (const char *id,
               const char *rev,
               gint64      seq,
               gboolean    deleted,
               guint       n_revs,
               const char *note,
               JsonObject *body,
               gpointer    user_data)
{
  VerifyData *data = user_data;
  g_autoptr(JsonArray) revisions = NULL;
  gboolean seen_live = FALSE;

  if (n_revs == 1)
    {
      verify_revision (data, body, FALSE);
      return TRUE;
    }

  if (!(revisions = gls_store_get_revisions (data->self->store, id, &data->error)))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (revisions); i++)
    {
      JsonObject *doc = json_array_get_object_element (revisions, i);
      gboolean live = !json_object_get_boolean_member_with_default (doc, "_deleted", FALSE);

      verify_revision (data, doc, live && seen_live);
      seen_live = seen_live || live;
    }

  return TRUE;
}

JsonObject *
gls_workspace_verify (GlsWorkspace  *self,
                      GError       **error)
{
  g_autoptr(JsonArray) failed = json_array_new ();
  VerifyData data = { self, failed, 0, 0, 0, NULL };
  JsonObject *report;
  JsonArray *set_aside;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);

  if (!gls_store_foreach_doc (self->store, 0, verify_doc_cb, &data, &data.error))
    {
      g_propagate_error (error, data.error);
      return NULL;
    }
  if (!(set_aside = gls_store_list_set_aside (self->store, error)))
    return NULL;

  report = json_object_new ();
  json_object_set_int_member (report, "checked", data.checked);
  json_object_set_int_member (report, "verified", data.verified);
  json_object_set_int_member (report, "unverified", data.unverified);
  json_object_set_array_member (report, "failed", g_steal_pointer (&failed));
  json_object_set_array_member (report, "set_aside", set_aside);

  return report;
}

/* Whether revision `doc` is a forgery: a proof that does not hold, or one
 * by someone else than the person the document names. */
static gboolean
is_forgery (JsonObject *doc)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = NULL;

  if (gls_annotation_json_is_annotation (doc))
    object = G_OBJECT (gls_annotation_new_verified (doc, &error));
  else if (gls_design_json_is_design (doc) && !json_object_get_boolean_member_with_default (doc, "_deleted", FALSE))
    object = G_OBJECT (design_new_verified (doc, &error));
  else if (gls_person_json_is_person (doc))
    object = G_OBJECT (gls_person_new_verified (doc, &error));
  else
    return FALSE;

  return g_error_matches (error, GLS_CORE_ERROR, GLS_CORE_ERROR_PROOF);
}

guint
gls_workspace_count_forgeries (GlsWorkspace  *self,
                               JsonObject    *revisions,
                               GError       **error)
{
  JsonObjectIter iter;
  const char *id;
  JsonNode *node;
  guint forged = 0;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), 0);
  g_return_val_if_fail (revisions != NULL, 0);

  json_object_iter_init (&iter, revisions);
  while (json_object_iter_next (&iter, &id, &node))
    {
      JsonNode *missing = JSON_NODE_HOLDS_OBJECT (node)
        ? json_object_get_member (json_node_get_object (node), "missing") : NULL;
      JsonArray *revs = missing != NULL && JSON_NODE_HOLDS_ARRAY (missing) ? json_node_get_array (missing) : NULL;

      for (guint i = 0; revs != NULL && i < json_array_get_length (revs); i++)
        {
          const char *rev = json_array_get_string_element (revs, i);
          g_autoptr(JsonObject) doc = NULL;
          g_autoptr(GError) local_error = NULL;

          if (rev == NULL)
            continue;
          doc = gls_store_get (self->store, id, rev, GLS_STORE_GET_DELETED_OK, &local_error);
          if (doc == NULL)
            {
              if (g_error_matches (local_error, GLS_STORE_ERROR, GLS_STORE_ERROR_NOT_FOUND))
                continue;
              g_propagate_error (error, g_steal_pointer (&local_error));
              return forged;
            }
          if (is_forgery (doc))
            forged++;
        }
    }

  return forged;
}

guint
gls_workspace_get_n_set_aside (GlsWorkspace *self)
{
  g_return_val_if_fail (GLS_IS_WORKSPACE (self), 0);

  return self->n_set_aside;
}

gboolean
gls_workspace_refresh (GlsWorkspace  *self,
                       GError       **error)
{
  g_return_val_if_fail (GLS_IS_WORKSPACE (self), FALSE);

  return written (self, error);
}

static void
store_changed_cb (GlsWorkspace *self,
                  gint64        update_seq,
                  GlsStore     *store)
{
  catch_up (self);
}

/* Opening */

static void profile_name_changed_cb (GlsWorkspace *self);

static gboolean
ensure_dir (const char  *path,
            GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

typedef enum
{
  OPEN_WHOLE,
  OPEN_PARTIAL,  /* a command: what it asks for */
  OPEN_LAZY,     /* a window: designs and people, threads when shown */
} OpenMode;

static GlsWorkspace *
open_workspace (const char  *data_dir,
                const char  *name,
                OpenMode     mode,
                GError     **error)
{
  g_autoptr(GlsWorkspace) self = NULL;
  g_autoptr(JsonArray) set_aside = NULL;
  g_autofree char *workspaces_dir = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);

  if (name == NULL)
    name = GLS_WORKSPACE_DEFAULT_NAME;

  if (!gls_workspace_name_is_valid (name))
    {
      g_set_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID,
                   _("“%s” is not a valid workspace name: use lowercase letters, digits and _$()+/- and start with a letter"),
                   name);
      return NULL;
    }

  self = g_object_new (GLS_TYPE_WORKSPACE, NULL);
  self->data_dir = g_strdup (data_dir);
  self->name = g_strdup (name);

  workspaces_dir = g_build_filename (data_dir, WORKSPACES_DIR, NULL);
  if (!ensure_dir (workspaces_dir, error))
    return NULL;

  if (!(self->identity = gls_identity_load_or_create (data_dir, error)))
    return NULL;
  if (!(self->profile = gls_profile_load (data_dir, error)))
    return NULL;

  path = store_path_for (data_dir, name);
  if (!(self->store = gls_store_open (path, error)))
    return NULL;

  if (mode != OPEN_WHOLE)
    {
      g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

      /* People are read (their names); nothing else unless asked
       * (gls_workspace_load_design, _load_threads), or, for a window,
       * the designs too, and threads as a model shows them. The clock
       * keeps ahead of what is read. */
      self->partial = TRUE;
      self->seen_seq = gls_store_get_update_seq (self->store);
      if (!ensure_indexes (self, error) || !load_people_locked (self, error))
        return NULL;
      if (mode == OPEN_PARTIAL)
        return g_steal_pointer (&self);
      self->lazy = TRUE;
      self->loaded_sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      if (!load_designs_locked (self, error))
        return NULL;
    }
  else if (!sync_caches (self, error))
    return NULL;
  if (!(set_aside = gls_store_list_set_aside (self->store, error)))
    return NULL;
  self->n_set_aside = json_array_get_length (set_aside);
  /* What is read from now on arrives: "activity". */
  self->track_arrivals = TRUE;
  load_seen (self);
  load_hidden (self);

  g_signal_connect_object (self->profile, "notify::display-name",
                           G_CALLBACK (profile_name_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed",
                           G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);

  return g_steal_pointer (&self);
}

GlsWorkspace *
gls_workspace_open (const char  *data_dir,
                    const char  *name,
                    GError     **error)
{
  return open_workspace (data_dir, name, OPEN_WHOLE, error);
}

/**
 * gls_workspace_open_partial:
 *
 * Opens a workspace for one command: its designs and people are read, no
 * other document until asked (gls_workspace_load_threads), and it does
 * not follow other writers. Commands that touch one design stay quick
 * whatever the workspace's size.
 */
GlsWorkspace *
gls_workspace_open_partial (const char  *data_dir,
                            const char  *name,
                            GError     **error)
{
  return open_workspace (data_dir, name, OPEN_PARTIAL, error);
}

typedef struct
{
  char     *data_dir;
  char     *name;
  OpenMode  mode;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_free (data->data_dir);
  g_free (data->name);
  g_free (data);
}

static GlsWorkspace *
open_in_background (const char  *data_dir,
                    const char  *name,
                    OpenMode     mode,
                    GError     **error)
{
  GlsWorkspace *self = open_workspace (data_dir, name, mode, error);

  /* Opened for someone who does not wait on the disk: neither when it
   * closes (see gls_workspace_finalize). */
  if (self != NULL)
    self->closes_in_background = TRUE;
  return self;
}

/**
 * gls_workspace_open_lazy_in_worker:
 *
 * gls_workspace_open_lazy_async's work, done in the calling thread: for
 * a worker that has more to read first (a window's session), so that no
 * main-loop turn comes in between.
 */
GlsWorkspace *
gls_workspace_open_lazy_in_worker (const char  *data_dir,
                                   const char  *name,
                                   GError     **error)
{
  g_return_val_if_fail (data_dir != NULL, NULL);

  return open_in_background (data_dir, name, OPEN_LAZY, error);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *data = task_data;
  g_autoptr(GError) error = NULL;
  GlsWorkspace *self;

  self = open_in_background (data->data_dir, data->name, data->mode, &error);
  if (self == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, self, g_object_unref);
}

static void
open_in_thread (const char          *data_dir,
                const char          *name,
                OpenMode             mode,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenData *data;

  data = g_new0 (OpenData, 1);
  data->data_dir = g_strdup (data_dir);
  data->name = g_strdup (name);
  data->mode = mode;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gls_workspace_open_async);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_thread);
}

void
gls_workspace_open_async (const char          *data_dir,
                          const char          *name,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (data_dir != NULL);

  open_in_thread (data_dir, name, OPEN_WHOLE, cancellable, callback, user_data);
}

/**
 * gls_workspace_open_lazy_async:
 *
 * Opens a workspace for a window: its designs and people are read, and
 * the threads of a design when a model first shows them
 * (gls_workspace_get_threads, which fills the model when they are read);
 * it follows other writers. A window opens at once whatever the
 * workspace's size. Finish with gls_workspace_open_finish.
 */
void
gls_workspace_open_lazy_async (const char          *data_dir,
                               const char          *name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (data_dir != NULL);

  open_in_thread (data_dir, name, OPEN_LAZY, cancellable, callback, user_data);
}

GlsWorkspace *
gls_workspace_open_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Accessors */

const char *
gls_workspace_get_name (GlsWorkspace *self)
{
  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);
  return self->name;
}

const char *
gls_workspace_get_data_dir (GlsWorkspace *self)
{
  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);
  return self->data_dir;
}

GlsStore *
gls_workspace_get_store (GlsWorkspace *self)
{
  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);
  return self->store;
}

GlsIdentity *
gls_workspace_get_identity (GlsWorkspace *self)
{
  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);
  return self->identity;
}

GlsProfile *
gls_workspace_get_profile (GlsWorkspace *self)
{
  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);
  return self->profile;
}

const char *
gls_workspace_get_did (GlsWorkspace *self)
{
  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);
  return self->identity != NULL ? gls_identity_get_did (self->identity) : NULL;
}

const char *
gls_workspace_get_display_name (GlsWorkspace *self)
{
  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);
  return self->profile != NULL ? gls_profile_get_display_name (self->profile) : NULL;
}

GListModel *
gls_workspace_get_designs (GlsWorkspace *self)
{
  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (claim_model_thread (self), NULL);

  update_models (self);

  return G_LIST_MODEL (self->designs_model);
}

static void load_next (GlsWorkspace *self);

static gboolean
load_next_idle (gpointer data)
{
  load_next (data);
  return G_SOURCE_REMOVE;
}

static void
threads_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GlsWorkspace *self = GLS_WORKSPACE (object);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_warning ("Could not read the comments of a design in workspace “%s”: %s",
                 self->name, error->message);
      /* Asked again the next time a model shows them. */
      g_mutex_lock (&self->lock);
      g_hash_table_remove (self->loaded_sources, g_task_get_task_data (G_TASK (result)));
      g_mutex_unlock (&self->lock);
    }
  else
    update_models (self);
  /* The next when the main loop has nothing else to do: a window that
   * asked for every design's threads draws first. */
  g_idle_add_full (G_PRIORITY_LOW, load_next_idle, g_object_ref (self), g_object_unref);
}

static void
load_threads_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  /* In loaded_sources before it started: the catch-ups keep it current. */
  if (!load_threads_of (source_object, task_data, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    {
      mark_read (source_object, task_data);
      g_task_return_boolean (task, TRUE);
    }
}

/* A lazy workspace reads a design's threads the first time a model
 * shows them, in a worker; the model fills when they are read. */
/* One design's threads at a time, in a worker: a window asking for
 * many designs' keeps a core for itself; the design asked for last with
 * get_threads (the one shown) comes first, counts (get_threads_later)
 * after. */
static void
load_next (GlsWorkspace *self)
{
  g_autoptr(GTask) task = NULL;
  char *source = g_queue_pop_head (&self->load_queue);

  self->loading = source != NULL;
  if (source == NULL)
    return;
  task = g_task_new (self, NULL, threads_loaded_cb, NULL);
  g_task_set_source_tag (task, load_next);
  g_task_set_task_data (task, source, g_free);
  g_task_run_in_thread (task, load_threads_thread);
}

static void
ensure_threads_loaded (GlsWorkspace *self,
                       const char   *source,
                       gboolean      later)
{

  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (!self->lazy)
    return;
  if (g_hash_table_contains (self->loaded_sources, source))
    {
      /* Waiting behind counts, and now shown: it goes first. */
      GList *queued = later ? NULL : g_queue_find_custom (&self->load_queue, source, (GCompareFunc) g_strcmp0);

      if (queued != NULL)
        {
          gpointer data = queued->data;

          g_queue_delete_link (&self->load_queue, queued);
          g_queue_push_head (&self->load_queue, data);
        }
      return;
    }
  g_hash_table_add (self->loaded_sources, g_strdup (source));
  g_clear_pointer (&locker, g_mutex_locker_free);
  if (later)
    g_queue_push_tail (&self->load_queue, g_strdup (source));
  else
    g_queue_push_head (&self->load_queue, g_strdup (source));
  if (!self->loading)
    load_next (self);
}

static GListModel *
get_threads (GlsWorkspace *self,
             const char   *source,
             gboolean      later)
{
  ThreadModel *tm;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (claim_model_thread (self), NULL);

  /* Asked for later, it comes from a list binding a row (the designs
   * sidebar's counts): bringing the designs model up to date there would
   * change the list under the binding (GTK crashed in the list view).
   * The idle that brings the models up does it next. */
  if (!later)
    update_models (self);

  ensure_threads_loaded (self, source, later);
  tm = g_hash_table_lookup (self->thread_models, source);
  if (tm != NULL && tm->model != NULL)
    return g_object_ref (G_LIST_MODEL (tm->model));

  if (tm == NULL)
    {
      tm = g_new0 (ThreadModel, 1);
      tm->source = g_strdup (source);
      g_hash_table_insert (self->thread_models, tm->source, tm);
    }

  tm->model = g_list_store_new (GLS_TYPE_THREAD);
  g_object_add_weak_pointer (G_OBJECT (tm->model), (gpointer *) &tm->model);
  g_clear_pointer (&tm->shown, g_ptr_array_unref);   /* a new, empty model */
  refresh_thread_model (self, tm);

  return G_LIST_MODEL (tm->model);
}

GListModel *
gls_workspace_get_threads (GlsWorkspace *self,
                           const char   *source)
{
  return get_threads (self, source, FALSE);
}

GListModel *
gls_workspace_get_threads_later (GlsWorkspace *self,
                                 const char   *source)
{
  return get_threads (self, source, TRUE);
}

/* Lookups */

static int
compare_annotations (gconstpointer a,
                     gconstpointer b)
{
  return gls_annotation_compare (*(GlsAnnotation **) a, *(GlsAnnotation **) b);
}


static gboolean
id_matches (const char *id,
            const char *prefix)
{
  if (g_str_has_prefix (id, prefix))
    return TRUE;
  if (g_str_has_prefix (id, "urn:uuid:") && g_str_has_prefix (id + strlen ("urn:uuid:"), prefix))
    return TRUE;
  return FALSE;
}

/* Returns the one item matching, else NULL with *matches telling 0 or more. */
static gpointer
find_in_table (GHashTable *table,
               const char *id_or_prefix,
               gboolean    (*usable) (gpointer),
               guint      *matches)
{
  gpointer found = NULL;
  GHashTableIter iter;
  gpointer key, value;

  *matches = 0;
  if (id_or_prefix == NULL || *id_or_prefix == '\0')
    return NULL;

  value = g_hash_table_lookup (table, id_or_prefix);
  if (value != NULL && (usable == NULL || usable (value)))
    {
      *matches = 1;
      return g_object_ref (value);
    }

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if ((usable == NULL || usable (value)) && id_matches (key, id_or_prefix))
        {
          found = value;
          (*matches)++;
        }
    }

  return *matches == 1 ? g_object_ref (found) : NULL;
}

static gboolean
annotation_is_live (gpointer annotation)
{
  return !gls_annotation_is_deleted (annotation);
}

GlsDesign *
gls_workspace_find_design (GlsWorkspace  *self,
                           const char    *id_or_prefix,
                           GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gpointer found;
  guint matches;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (!sync_caches_locked (self, error))
    return NULL;

  found = find_in_table (self->designs, id_or_prefix, NULL, &matches);
  if (matches == 0)
    g_set_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_NOT_FOUND,
                 _("No design matches “%s”"), id_or_prefix ? id_or_prefix : "");
  else if (matches > 1)
    g_set_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_AMBIGUOUS,
                 _("“%s” matches %u designs: give more of the id"), id_or_prefix, matches);

  return found;
}

/**
 * gls_workspace_list_versions:
 *
 * @design's versions up to it, oldest first, by its isBasedOn chain (as
 * far as this workspace holds it), @design last. A partial workspace
 * reads each older version as it goes.
 */
GPtrArray *
gls_workspace_list_versions (GlsWorkspace *self,
                             GlsDesign    *design)
{
  GPtrArray *versions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GlsDesign *current = g_object_ref (design);

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), versions);
  g_return_val_if_fail (GLS_IS_DESIGN (design), versions);

  /* A chain that loops (two peers' forgeries) stops where it would. */
  while (current != NULL && g_hash_table_add (seen, (gpointer) gls_design_get_id (current)))
    {
      const char *based_on = gls_design_get_based_on (current);

      g_ptr_array_insert (versions, 0, current);
      current = NULL;
      if (based_on != NULL && gls_workspace_load_design (self, based_on, NULL))
        current = gls_workspace_find_design (self, based_on, NULL);
      /* A prefix match of another design is not the one named. */
      if (current != NULL && g_strcmp0 (gls_design_get_id (current), based_on) != 0)
        g_clear_object (&current);
    }
  g_clear_object (&current);
  return versions;
}

/**
 * gls_workspace_load_design:
 * @id_or_prefix: a design's id, or a prefix of it (as for find_design)
 *
 * In a partial workspace, reads the designs whose id matches (found in
 * the store's index of designs without reading the others), so that
 * gls_workspace_find_design sees them. A workspace opened whole has them
 * already.
 */
gboolean
gls_workspace_load_design (GlsWorkspace  *self,
                           const char    *id_or_prefix,
                           GError       **error)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  g_autoptr(GMutexLocker) locker = NULL;
  Reader reader;
  gboolean ok;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (id_or_prefix != NULL, FALSE);

  if (!self->partial)
    return TRUE;
  if (!(ids = gls_store_query_index_keys (self->store, INDEX_TYPE, design_types,
                                         G_N_ELEMENTS (design_types), error)))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    if (id_matches (ids->pdata[i], id_or_prefix))
      g_ptr_array_add (matches, ids->pdata[i]);

  reader_init (&reader, self, 0);
  ok = gls_store_foreach_doc_ids (self->store, (const char *const *) matches->pdata, matches->len,
                                  read_doc_cb, &reader, &reader.error);
  locker = g_mutex_locker_new (&self->lock);
  return reader_finish_locked (self, &reader, ok, error);
}

GlsAnnotation *
gls_workspace_find_annotation (GlsWorkspace  *self,
                               const char    *id_or_prefix,
                               GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gpointer found;
  guint matches;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (!sync_caches_locked (self, error))
    return NULL;

  found = find_in_table (self->annotations, id_or_prefix, annotation_is_live, &matches);
  if (matches == 0)
    g_set_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_NOT_FOUND,
                 _("No annotation matches “%s”"), id_or_prefix ? id_or_prefix : "");
  else if (matches > 1)
    g_set_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_AMBIGUOUS,
                 _("“%s” matches %u annotations: give more of the id"), id_or_prefix, matches);

  return found;
}

GlsThread *
gls_workspace_find_thread (GlsWorkspace *self,
                           const char   *root_id)
{
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (root_id != NULL, NULL);

  /* The models are searched on their thread only; elsewhere the thread is
   * derived below. */
  if (on_model_thread (self))
    {
      update_models (self);

      g_hash_table_iter_init (&iter, self->thread_models);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          ThreadModel *tm = value;
          GListModel *model = G_LIST_MODEL (tm->model);

          if (model == NULL)
            continue;

          for (guint i = 0, n = g_list_model_get_n_items (model); i < n; i++)
            {
              g_autoptr(GlsThread) thread = g_list_model_get_item (model, i);

              if (g_strcmp0 (gls_thread_get_root_id (thread), root_id) == 0)
                return g_steal_pointer (&thread);
            }
        }
    }

  /* Not shown anywhere yet: derive the thread's design on demand. */
  {
    g_autoptr(GPtrArray) all = NULL;
    g_autoptr(GPtrArray) threads = NULL;
    g_autoptr(GHashTable) names = NULL;
  g_autoptr(GHashTable) forged = NULL;
    GlsAnnotation *root;
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

    root = g_hash_table_lookup (self->annotations, root_id);
    if (root == NULL || gls_annotation_get_source (root) == NULL)
      return NULL;
    all = snapshot_source_locked (self, gls_annotation_get_source (root));
    names = g_hash_table_ref (self->names);
    forged = g_hash_table_ref (self->forged);
    g_clear_pointer (&locker, g_mutex_locker_free);

    threads = gls_threads_derive_with (all, gls_annotation_get_source (root), names, forged);
    for (guint i = 0; i < threads->len; i++)
      {
        GlsThread *thread = g_ptr_array_index (threads, i);

        if (g_strcmp0 (gls_thread_get_root_id (thread), root_id) == 0)
          return g_object_ref (thread);
      }
  }

  return NULL;
}

/* Before what needs every document (an import, an export), a lazy
 * workspace reads the rest, and is whole from then on. Call without the
 * caches' lock. */
static gboolean
ensure_whole (GlsWorkspace  *self,
              GError       **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  Reader reader;
  gint64 before, last_seq;
  gboolean ok;

  if (!self->lazy)
    return TRUE;
  before = self->seen_seq;
  /* Read without the lock, which the window's models take. */
  g_clear_pointer (&locker, g_mutex_locker_free);
  reader_init (&reader, self, 0);
  ok = gls_store_foreach_doc (self->store, 0, read_doc_cb, &reader, &reader.error);
  last_seq = reader.last_seq;
  locker = g_mutex_locker_new (&self->lock);
  if (!self->lazy)
    {
      reader_clear (&reader);  /* another caller made it whole meanwhile */
      return TRUE;
    }
  if (!reader_finish_locked (self, &reader, ok, error))
    return FALSE;
  self->partial = self->lazy = FALSE;
  if (self->seen_seq != before)
    {
      /* A catch-up read newer revisions meanwhile: again, last, whole. */
      reader_init (&reader, self, 0);
      ok = gls_store_foreach_doc (self->store, before, read_doc_cb, &reader, &reader.error);
      if (!reader_finish_locked (self, &reader, ok, error))
        return FALSE;
    }
  self->seen_seq = MAX (self->seen_seq, last_seq);
  return TRUE;
}

GPtrArray *
gls_workspace_list_annotations (GlsWorkspace *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *live;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);

  if (!ensure_whole (self, &error))
    {
      g_warning ("Could not read workspace “%s”: %s", self->name, error->message);
      g_clear_error (&error);
    }
  locker = g_mutex_locker_new (&self->lock);
  if (!sync_caches_locked (self, &error))
    g_warning ("Could not read workspace “%s”: %s", self->name, error->message);

  live = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_iter_init (&iter, self->annotations);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (!gls_annotation_is_deleted (value))
        g_ptr_array_add (live, g_object_ref (value));
    }
  g_ptr_array_sort (live, compare_annotations);

  return live;
}

/* Actions */

/* Readers learn the name a writer goes by from the writer's profile
 * document: one goes with the first words written in a workspace, and a
 * new one whenever the name changes. Nothing is published by reading. */
static gboolean
ensure_person (GlsWorkspace  *self,
               gboolean       only_if_known,
               GError       **error)
{
  const char *name = gls_profile_get_display_name (self->profile);
  const char *did = gls_identity_get_did (self->identity);
  g_autoptr(GlsPerson) person = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *modified = NULL;
  g_autofree char *rev = NULL;

  if (name == NULL || *name == '\0')
    return TRUE;

  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
    GlsPerson *current = g_hash_table_lookup (self->people, did);

    if (current != NULL ? g_strcmp0 (gls_person_get_name (current), name) == 0 : only_if_known)
      return TRUE;
  }

  modified = gls_hlc_now (self->hlc);
  person = gls_person_new (did, name, NULL, modified);
  doc = gls_person_to_json (person);
  if (!gls_proof_sign (doc, self->identity, NULL, error))
    return FALSE;
  rev = gls_store_put (self->store, doc, error);

  return rev != NULL;
}

static void
publish_profile_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GlsWorkspace *self = source_object;
  g_autoptr(GError) error = NULL;

  if (!ensure_person (self, TRUE, &error) || !sync_caches (self, &error))
    g_warning ("Could not publish the new name in workspace “%s”: %s", self->name, error->message);
  g_task_return_boolean (task, TRUE);
}

/* A new name in Preferences renames one's words everywhere they were
 * written: in every open workspace where one wrote. Off the main thread. */
static void
profile_name_changed_cb (GlsWorkspace *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, NULL, NULL);

  g_task_set_source_tag (task, profile_name_changed_cb);
  g_task_run_in_thread (task, publish_profile_thread);
}

/* People */

static int
compare_people_by_name (gconstpointer a,
                        gconstpointer b)
{
  GlsPerson *pa = *(GlsPerson * const *) a;
  GlsPerson *pb = *(GlsPerson * const *) b;
  g_autofree char *ka = g_utf8_collate_key (gls_person_get_name (pa) ? gls_person_get_name (pa) : "", -1);
  g_autofree char *kb = g_utf8_collate_key (gls_person_get_name (pb) ? gls_person_get_name (pb) : "", -1);

  return strcmp (ka, kb);
}

GPtrArray *
gls_workspace_list_people (GlsWorkspace *self)
{
  GPtrArray *people = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GMutexLocker) locker = NULL;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), people);

  locker = g_mutex_locker_new (&self->lock);
  g_hash_table_iter_init (&iter, self->people);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const char *name = gls_person_get_name (value);

      if (name != NULL && *name != '\0')
        g_ptr_array_add (people, g_object_ref (value));
    }
  g_clear_pointer (&locker, g_mutex_locker_free);
  g_ptr_array_sort (people, compare_people_by_name);

  return people;
}

static int
compare_longer_name_first (gconstpointer a,
                           gconstpointer b)
{
  gsize la = strlen (gls_person_get_name (*(GlsPerson * const *) a));
  gsize lb = strlen (gls_person_get_name (*(GlsPerson * const *) b));

  return (lb > la) - (lb < la);
}

static gboolean
is_word_char (const char *p)
{
  return *p != '\0' && (g_unichar_isalnum (g_utf8_get_char (p)) || *p == '_');
}

char **
gls_workspace_find_mentions (GlsWorkspace *self,
                             const char   *text)
{
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GStrvBuilder) found = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);

  if (text == NULL || strchr (text, '@') == NULL)
    return NULL;

  /* "@Ada Lovelace" is Ada Lovelace, not someone called Ada. */
  people = gls_workspace_list_people (self);
  g_ptr_array_sort (people, compare_longer_name_first);
  for (const char *at = strchr (text, '@'); at != NULL; at = strchr (at + 1, '@'))
    {
      /* An address (ada@example.org) mentions nobody. */
      if (at > text && is_word_char (g_utf8_find_prev_char (text, at)))
        continue;
      for (guint i = 0; i < people->len; i++)
        {
          GlsPerson *person = g_ptr_array_index (people, i);
          const char *name = gls_person_get_name (person);
          gsize len = strlen (name);

          if (strncmp (at + 1, name, len) != 0 || is_word_char (at + 1 + len))
            continue;
          if (g_hash_table_size (seen) < GLS_MAX_MENTIONS &&
              g_hash_table_add (seen, (gpointer) gls_person_get_did (person)))
            g_strv_builder_add (found, gls_person_get_did (person));
          break;
        }
    }

  if (g_hash_table_size (seen) == 0)
    return NULL;
  return g_strv_builder_end (found);
}

static gboolean
store_annotation (GlsWorkspace   *self,
                  GlsAnnotation  *annotation,
                  GError        **error)
{
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *rev = NULL;

  /* Words (not a suggestion's replacement) may mention people. */
  switch (gls_annotation_get_motivation (annotation))
    {
    case GLS_MOTIVATION_COMMENTING:
    case GLS_MOTIVATION_REPLYING:
    case GLS_MOTIVATION_EDITING:
      if (!gls_annotation_is_suggestion (annotation))
        {
          g_auto(GStrv) mentions = gls_workspace_find_mentions (self, gls_annotation_get_text (annotation));

          _gls_annotation_set_mentions (annotation, (const char * const *) mentions);
        }
      break;
    case GLS_MOTIVATION_ASSESSING:
    default:
      break;
    }
  doc = gls_annotation_to_json (annotation);

  if (!gls_proof_sign (doc, self->identity, NULL, error) || !ensure_person (self, FALSE, error))
    return FALSE;
  rev = gls_store_put (self->store, doc, error);
  if (rev == NULL)
    return FALSE;

  return written (self, error);
}

static char *
annotation_root_id (GlsWorkspace  *self,
                    const char    *annotation_id,
                    GError       **error)
{
  g_autoptr(GlsAnnotation) annotation = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  const char *root_id;

  annotation = gls_workspace_find_annotation (self, annotation_id, error);
  if (annotation == NULL)
    return NULL;

  locker = g_mutex_locker_new (&self->lock);
  root_id = root_id_of (self, annotation);
  if (root_id == NULL)
    {
      g_set_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID,
                   _("Annotation “%s” is not part of a thread"), gls_annotation_get_id (annotation));
      return NULL;
    }

  return g_strdup (root_id);
}

GlsThread *
gls_workspace_find_thread_of (GlsWorkspace *self,
                              const char   *annotation_id)
{
  g_autofree char *root_id = NULL;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (annotation_id != NULL, NULL);

  /* From the caches as they are (the window's main thread asks, right
   * after they caught up): no store read. */
  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
    GlsAnnotation *annotation = g_hash_table_lookup (self->annotations, annotation_id);
    const char *root = annotation != NULL ? root_id_of (self, annotation) : NULL;

    if (root == NULL)
      return NULL;
    root_id = g_strdup (root);
  }
  return gls_workspace_find_thread (self, root_id);
}

/* find_root: an annotation's thread, read from the store. */
typedef struct
{
  char *root_id;
  char *source;
} Root;

static void
root_free (Root *root)
{
  g_free (root->root_id);
  g_free (root->source);
  g_free (root);
}

static void
find_root_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      data,
                  GCancellable *cancellable)
{
  GlsWorkspace *self = source_object;
  g_autofree char *id = g_strdup (data);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Replies target the root; older or foreign ones may target a reply:
   * at most 64 steps, and never the same document twice. */
  for (guint depth = 0; depth < 64 && g_hash_table_add (seen, g_strdup (id)); depth++)
    {
      g_autoptr(JsonObject) doc = gls_store_get (self->store, id, NULL, GLS_STORE_GET_NONE, NULL);
      g_autoptr(GlsAnnotation) annotation = doc != NULL ? gls_annotation_new_from_json (doc, NULL) : NULL;

      if (annotation == NULL)
        break;
      if (gls_annotation_get_source (annotation) != NULL)
        {
          Root *root = g_new0 (Root, 1);

          root->root_id = g_steal_pointer (&id);
          root->source = g_strdup (gls_annotation_get_source (annotation));
          g_task_return_pointer (task, root, (GDestroyNotify) root_free);
          return;
        }
      if (gls_annotation_get_target_id (annotation) == NULL)
        break;
      g_free (id);
      id = g_strdup (gls_annotation_get_target_id (annotation));
    }
  g_task_return_new_error (task, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_NOT_FOUND,
                           _("The comment’s thread was not found"));
}

void
gls_workspace_find_root_async (GlsWorkspace        *self,
                               const char          *annotation_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GLS_IS_WORKSPACE (self));
  g_return_if_fail (annotation_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gls_workspace_find_root_async);
  g_task_set_task_data (task, g_strdup (annotation_id), g_free);
  g_task_run_in_thread (task, find_root_thread);
}

gboolean
gls_workspace_find_root_finish (GlsWorkspace  *self,
                                GAsyncResult  *result,
                                char         **root_id,
                                char         **source,
                                GError       **error)
{
  Root *root;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!(root = g_task_propagate_pointer (G_TASK (result), error)))
    return FALSE;
  if (root_id != NULL)
    *root_id = g_steal_pointer (&root->root_id);
  if (source != NULL)
    *source = g_steal_pointer (&root->source);
  root_free (root);
  return TRUE;
}

static gboolean
check_text (const char  *text,
            GError     **error)
{
  gboolean blank = TRUE;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID,
                           _("The text is not valid UTF-8"));
      return FALSE;
    }

  for (const char *p = text; *p != '\0' && blank; p = g_utf8_next_char (p))
    blank = g_unichar_isspace (g_utf8_get_char (p));

  if (blank)
    {
      g_set_error_literal (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID,
                           _("The text is empty"));
      return FALSE;
    }

  return TRUE;
}

GlsAnnotation *
gls_workspace_comment (GlsWorkspace       *self,
                       const char         *design_id,
                       const GlsSelector  *selector,
                       const char         *text,
                       GError            **error)
{
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GlsAnnotation) annotation = NULL;
  g_autofree char *created = NULL;
  gboolean is_text;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);

  if (!check_text (text, error))
    return NULL;
  if (!(design = gls_workspace_find_design (self, design_id, error)))
    return NULL;

  if (selector != NULL && selector->page > 0 && gls_design_get_kind (design) != GLS_DESIGN_KIND_PDF)
    {
      g_set_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID,
                   _("Design “%s” has no pages"), gls_design_get_name (design));
      return NULL;
    }
  is_text = gls_design_get_kind (design) == GLS_DESIGN_KIND_TEXT ||
            gls_design_get_kind (design) == GLS_DESIGN_KIND_TRANSLATION;
  if (selector != NULL && selector->kind == GLS_SELECTOR_TEXT && !is_text)
    {
      g_set_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID,
                   _("“%s” is not a text: a passage of text cannot be chosen on it"),
                   gls_design_get_name (design));
      return NULL;
    }
  if (selector != NULL && (selector->kind == GLS_SELECTOR_POINT || selector->kind == GLS_SELECTOR_RECT) &&
      is_text)
    {
      g_set_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID,
                   _("“%s” is a text: comment on a passage of it, not on a point or a region"),
                   gls_design_get_name (design));
      return NULL;
    }

  created = gls_hlc_now (self->hlc);
  annotation = gls_annotation_new_comment (gls_design_get_source (design), selector, text,
                                           gls_identity_get_did (self->identity),
                                           gls_profile_get_display_name (self->profile),
                                           gls_profile_get_license (self->profile),
                                           created);

  if (!store_annotation (self, annotation, error))
    return NULL;

  return g_steal_pointer (&annotation);
}

GlsAnnotation *
gls_workspace_reply (GlsWorkspace  *self,
                     const char    *annotation_id,
                     const char    *text,
                     GError       **error)
{
  g_autoptr(GlsAnnotation) annotation = NULL;
  g_autofree char *root_id = NULL;
  g_autofree char *created = NULL;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);

  if (!check_text (text, error))
    return NULL;
  if (!(root_id = annotation_root_id (self, annotation_id, error)))
    return NULL;

  created = gls_hlc_now (self->hlc);
  annotation = gls_annotation_new_reply (root_id, text,
                                         gls_identity_get_did (self->identity),
                                         gls_profile_get_display_name (self->profile),
                                         gls_profile_get_license (self->profile),
                                         created);

  if (!store_annotation (self, annotation, error))
    return NULL;

  return g_steal_pointer (&annotation);
}

static GlsAnnotation *
find_own_words (GlsWorkspace  *self,
                const char    *annotation_id,
                GError       **error)
{
  g_autoptr(GlsAnnotation) target = NULL;
  GlsMotivation motivation;

  if (!(target = gls_workspace_find_annotation (self, annotation_id, error)))
    return NULL;

  motivation = gls_annotation_get_motivation (target);
  if (!gls_annotation_is_root (target) && motivation != GLS_MOTIVATION_REPLYING)
    {
      g_set_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID,
                   _("Annotation “%s” is not a comment or a reply"), gls_annotation_get_id (target));
      return NULL;
    }

  if (g_strcmp0 (gls_annotation_get_creator_id (target), gls_identity_get_did (self->identity)) != 0)
    {
      g_set_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_NOT_ALLOWED,
                   _("Only its author, %s, can change or delete annotation “%s”"),
                   gls_annotation_get_creator_name (target), gls_annotation_get_id (target));
      return NULL;
    }

  return g_steal_pointer (&target);
}

GlsAnnotation *
gls_workspace_edit (GlsWorkspace  *self,
                    const char    *annotation_id,
                    const char    *text,
                    GError       **error)
{
  g_autoptr(GlsAnnotation) target = NULL;
  g_autoptr(GlsAnnotation) annotation = NULL;
  g_autofree char *created = NULL;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);

  if (!check_text (text, error))
    return NULL;
  if (!(target = find_own_words (self, annotation_id, error)))
    return NULL;

  created = gls_hlc_now (self->hlc);
  annotation = gls_annotation_new_edit (gls_annotation_get_id (target), text,
                                        gls_identity_get_did (self->identity),
                                        gls_profile_get_display_name (self->profile),
                                        gls_profile_get_license (self->profile),
                                        created);

  if (!store_annotation (self, annotation, error))
    return NULL;

  return g_steal_pointer (&annotation);
}

GlsAnnotation *
gls_workspace_set_resolved (GlsWorkspace  *self,
                            const char    *annotation_id,
                            gboolean       resolved,
                            GError       **error)
{
  g_autoptr(GlsAnnotation) annotation = NULL;
  g_autofree char *root_id = NULL;
  g_autofree char *created = NULL;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);

  if (!(root_id = annotation_root_id (self, annotation_id, error)))
    return NULL;

  created = gls_hlc_now (self->hlc);
  annotation = gls_annotation_new_assessment (root_id, resolved,
                                              gls_identity_get_did (self->identity),
                                              gls_profile_get_display_name (self->profile),
                                              gls_profile_get_license (self->profile),
                                              created);

  if (!store_annotation (self, annotation, error))
    return NULL;

  return g_steal_pointer (&annotation);
}

/* Suggestions */

static GlsDesign *
find_text_design (GlsWorkspace  *self,
                  const char    *design_id,
                  GError       **error)
{
  g_autoptr(GlsDesign) design = gls_workspace_find_design (self, design_id, error);

  if (design == NULL)
    return NULL;
  if (gls_design_get_kind (design) != GLS_DESIGN_KIND_TEXT &&
      gls_design_get_kind (design) != GLS_DESIGN_KIND_TRANSLATION)
    {
      g_set_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID,
                   _("“%s” is not a text: changes can be suggested on text, Markdown and PO files"),
                   gls_design_get_name (design));
      return NULL;
    }
  return g_steal_pointer (&design);
}

GlsAnnotation *
gls_workspace_suggest (GlsWorkspace       *self,
                       const char         *design_id,
                       const GlsSelector  *selector,
                       const char         *replacement,
                       GError            **error)
{
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GlsAnnotation) annotation = NULL;
  g_autofree char *created = NULL;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (selector != NULL, NULL);
  g_return_val_if_fail (replacement != NULL, NULL);

  if (!g_utf8_validate (replacement, -1, NULL))
    {
      g_set_error_literal (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID,
                           _("The text is not valid UTF-8"));
      return NULL;
    }
  if (!(design = find_text_design (self, design_id, error)))
    return NULL;
  if (selector->kind != GLS_SELECTOR_TEXT || selector->exact == NULL)
    {
      g_set_error_literal (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID,
                           _("A suggestion changes a passage: choose the text it replaces"));
      return NULL;
    }
  if (g_strcmp0 (selector->exact, replacement) == 0)
    {
      g_set_error_literal (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID,
                           _("The suggestion is the same as the text it would replace"));
      return NULL;
    }

  created = gls_hlc_now (self->hlc);
  annotation = gls_annotation_new_suggestion (gls_design_get_source (design), selector, replacement,
                                              gls_identity_get_did (self->identity),
                                              gls_profile_get_display_name (self->profile),
                                              gls_profile_get_license (self->profile),
                                              created);
  if (annotation == NULL)
    {
      g_set_error_literal (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID,
                           _("The passage is too long to suggest a change to"));
      return NULL;
    }
  if (!store_annotation (self, annotation, error))
    return NULL;

  return g_steal_pointer (&annotation);
}

GlsAnnotation *
gls_workspace_decide (GlsWorkspace  *self,
                      const char    *annotation_id,
                      gboolean       accepted,
                      GError       **error)
{
  g_autoptr(GlsAnnotation) annotation = NULL;
  g_autoptr(GlsAnnotation) root = NULL;
  g_autofree char *root_id = NULL;
  g_autofree char *created = NULL;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);

  if (!(root_id = annotation_root_id (self, annotation_id, error)) ||
      !(root = gls_workspace_find_annotation (self, root_id, error)))
    return NULL;
  if (!gls_annotation_is_suggestion (root))
    {
      g_set_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID,
                   _("Annotation “%s” is not a suggestion: resolve or reopen its thread instead"),
                   root_id);
      return NULL;
    }

  created = gls_hlc_now (self->hlc);
  annotation = gls_annotation_new_decision (root_id, accepted,
                                            gls_identity_get_did (self->identity),
                                            gls_profile_get_display_name (self->profile),
                                            gls_profile_get_license (self->profile),
                                            created);
  if (!store_annotation (self, annotation, error))
    return NULL;

  return g_steal_pointer (&annotation);
}

/* Reviews */

GlsAnnotation *
gls_workspace_review (GlsWorkspace  *self,
                      const char    *design_id,
                      GlsDecision    decision,
                      const char    *note,
                      GError       **error)
{
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GlsAnnotation) annotation = NULL;
  g_autofree char *created = NULL;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (decision == GLS_DECISION_APPROVED || decision == GLS_DECISION_CHANGES_REQUESTED, NULL);

  if (note != NULL && !check_text (note, error))
    return NULL;
  if (!(design = gls_workspace_find_design (self, design_id, error)))
    return NULL;

  created = gls_hlc_now (self->hlc);
  annotation = gls_annotation_new_review (gls_design_get_source (design), decision, note,
                                          gls_identity_get_did (self->identity),
                                          gls_profile_get_display_name (self->profile),
                                          gls_profile_get_license (self->profile),
                                          created);
  if (!store_annotation (self, annotation, error))
    return NULL;

  return g_steal_pointer (&annotation);
}

GPtrArray *
gls_workspace_list_reviews (GlsWorkspace  *self,
                            GlsDesign     *design,
                            GError       **error)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) names = NULL;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (design == NULL || GLS_IS_DESIGN (design), NULL);

  /* A review targets its version as a comment does: it comes with the
   * version's threads. */
  if (design != NULL && !gls_workspace_load_threads (self, design, error))
    return NULL;
  if (design == NULL && !ensure_whole (self, error))
    return NULL;
  if (!sync_caches (self, error))
    return NULL;

  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

    all = snapshot_source_locked (self, design != NULL ? gls_design_get_source (design) : NULL);
    names = g_hash_table_ref (self->names);
  }

  return gls_reviews_derive (all, design != NULL ? gls_design_get_source (design) : NULL, names);
}

GBytes *
gls_workspace_apply_suggestions (GlsWorkspace  *self,
                                 const char    *design_id,
                                 guint         *n_applied,
                                 GPtrArray    **failures,
                                 GError       **error)
{
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GlsTextIndex) index = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *text = NULL;
  char *result;
  gsize length;
  guint applied = 0;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);

  if (!(design = find_text_design (self, design_id, error)) ||
      !gls_workspace_load_threads (self, design, error) ||
      !(bytes = gls_workspace_load_design_file (self, gls_design_get_id (design), error)) ||
      !(text = gls_text_decode (bytes, &length, error)))
    return NULL;

  /* Not the threads model: this runs in a worker too
   * (gls_workspace_apply_suggestions_async), and the model belongs to the
   * GUI's thread. */
  list = derive_threads (self, gls_design_get_source (design));
  if (gls_design_get_kind (design) == GLS_DESIGN_KIND_TRANSLATION)
    {
      g_autoptr(GlsPoFile) po = gls_po_file_new (text, length, error);

      if (po == NULL ||
          !(result = gls_suggestions_apply_po (po, list, &applied, failures, error)))
        return NULL;
    }
  else
    {
      index = gls_text_index_new (text, length);
      result = gls_suggestions_apply (index, list, &applied, failures);
    }
  if (n_applied != NULL)
    *n_applied = applied;

  return g_bytes_new_take (result, strlen (result));
}

GlsDesign *
gls_workspace_add_version (GlsWorkspace  *self,
                           const char    *design_id,
                           GBytes        *bytes,
                           GError       **error)
{
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *base = NULL;
  GlsDesign *version;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);

  if (!(design = gls_workspace_find_design (self, design_id, error)))
    return NULL;
  /* Through a file of the design's name, so that its type is found as
   * for the first version. */
  if (!(dir = g_dir_make_tmp ("glossa-version-XXXXXX", error)))
    return NULL;
  base = g_strdelimit (g_strdup (gls_design_get_name (design)), "/", '_');
  path = g_build_filename (dir, base, NULL);
  file = g_file_new_for_path (path);
  if (!g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error))
    version = NULL;
  else
    version = gls_workspace_add_design (self, file, gls_design_get_name (design), gls_design_get_id (design),
                                        error);
  g_unlink (path);
  g_rmdir (dir);
  return version;
}

gboolean
gls_workspace_delete (GlsWorkspace  *self,
                      const char    *annotation_id,
                      GError       **error)
{
  g_autoptr(GlsAnnotation) target = NULL;
  g_autoptr(JsonObject) current = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *rev = NULL;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), FALSE);

  if (!(target = find_own_words (self, annotation_id, error)))
    return FALSE;

  current = gls_store_get (self->store, gls_annotation_get_id (target), NULL,
                           GLS_STORE_GET_NONE, error);
  if (current == NULL)
    return FALSE;

  /* The deletion is signed as the tombstone it leaves: _id and _deleted
   * are part of what the proof covers. */
  body = gls_annotation_tombstone_body (target);
  json_object_set_string_member (body, "_id", gls_annotation_get_id (target));
  json_object_set_boolean_member (body, "_deleted", TRUE);
  if (!gls_proof_sign (body, self->identity, NULL, error))
    return FALSE;
  if (!ensure_person (self, TRUE, error))
    return FALSE;
  rev = gls_store_delete (self->store, gls_annotation_get_id (target),
                          json_object_get_string_member (current, "_rev"), body, error);
  if (rev == NULL)
    return FALSE;

  return written (self, error);
}

/* Removing a design */

#define HIDDEN_DOC "glossa-hidden"
#define HIDDEN_MAX 100000

/* The document only this computer holds: what does not parse is
 * dropped. */
static void
load_hidden (GlsWorkspace *self)
{
  g_autoptr(JsonObject) doc = gls_store_get_local (self->store, HIDDEN_DOC, NULL);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  JsonNode *designs;

  if (doc == NULL || (designs = json_object_get_member (doc, "designs")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (designs))
    return;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (designs)) &&
                    g_hash_table_size (self->hidden) < HIDDEN_MAX; i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (designs), i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_hash_table_add (self->hidden, g_strdup (json_node_get_string (element)));
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

gboolean
gls_workspace_is_design_hidden (GlsWorkspace *self,
                                const char   *design_id)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (design_id != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  return g_hash_table_contains (self->hidden, design_id);
}

/**
 * gls_workspace_set_designs_hidden:
 *
 * Hides designs on this computer (or shows them again): the designs
 * model leaves them out. Blocking (one _local write); the models follow
 * at once when called on their thread, else with the next change.
 */
gboolean
gls_workspace_set_designs_hidden (GlsWorkspace       *self,
                                  const char * const *design_ids,
                                  gboolean            hidden,
                                  GError            **error)
{
  g_autoptr(JsonObject) doc = json_object_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GHashTable) set = NULL;
  g_autofree char *rev = NULL;
  JsonArray *array = json_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (design_ids != NULL, FALSE);

  json_object_set_array_member (doc, "designs", array);
  g_mutex_lock (&self->lock);
  set = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_iter_init (&iter, self->hidden);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (set, key);
  for (guint i = 0; design_ids[i] != NULL; i++)
    if (hidden)
      g_hash_table_add (set, (gpointer) design_ids[i]);
    else
      g_hash_table_remove (set, design_ids[i]);
  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (ids, key);
  g_ptr_array_sort (ids, compare_strings);
  for (guint i = 0; i < ids->len; i++)
    json_array_add_string_element (array, ids->pdata[i]);
  g_mutex_unlock (&self->lock);

  if (!(rev = gls_store_replace_local (self->store, HIDDEN_DOC, doc, error)))
    return FALSE;

  g_mutex_lock (&self->lock);
  for (guint i = 0; design_ids[i] != NULL; i++)
    if (hidden)
      g_hash_table_add (self->hidden, g_strdup (design_ids[i]));
    else
      g_hash_table_remove (self->hidden, design_ids[i]);
  self->generation++;
  g_mutex_unlock (&self->lock);

  if (on_model_thread (self))
    update_models (self);
  return TRUE;
}

gboolean
gls_workspace_is_own_design (GlsWorkspace *self,
                             GlsDesign    *design)
{
  g_return_val_if_fail (GLS_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (GLS_IS_DESIGN (design), FALSE);

  /* A design counts only when signed by its author (or unsigned, 0.1's):
   * the author is its signer. */
  return g_strcmp0 (gls_design_get_author_id (design), gls_identity_get_did (self->identity)) == 0;
}

void
gls_design_removal_free (GlsDesignRemoval *self)
{
  if (self == NULL)
    return;
  g_strfreev (self->deleted);
  g_strfreev (self->hidden);
  g_free (self);
}

/* Every version of @design's chain: older ones by isBasedOn, newer ones
 * that are based on one of them. */
static GPtrArray *
list_whole_chain (GlsWorkspace *self,
                  GlsDesign    *design)
{
  GPtrArray *chain = gls_workspace_list_versions (self, design);
  g_autoptr(GHashTable) in = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean grew = TRUE;

  for (guint i = 0; i < chain->len; i++)
    g_hash_table_add (in, (gpointer) gls_design_get_id (chain->pdata[i]));
  while (grew)
    {
      g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
      GHashTableIter iter;
      gpointer value;

      grew = FALSE;
      g_hash_table_iter_init (&iter, self->designs);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          const char *based_on = gls_design_get_based_on (value);

          if (based_on != NULL && g_hash_table_contains (in, based_on) &&
              !g_hash_table_contains (in, gls_design_get_id (value)))
            {
              g_ptr_array_add (chain, g_object_ref (value));
              g_hash_table_add (in, (gpointer) gls_design_get_id (value));
              grew = TRUE;
            }
        }
    }
  return chain;
}

static gboolean
delete_design (GlsWorkspace  *self,
               GlsDesign     *design,
               GError       **error)
{
  g_autoptr(JsonObject) current = NULL;
  g_autoptr(JsonObject) full = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *rev = NULL;
  const char *id = gls_design_get_id (design);
  static const char *const kept[] = { "@context", "@type", "name", "identifier", "author", NULL };

  current = gls_store_get (self->store, id, NULL, GLS_STORE_GET_NONE, error);
  if (current == NULL)
    return FALSE;
  /* The tombstone keeps what says what it was (its type, for the index
   * of designs, and its author), and is signed with _id and _deleted. */
  full = gls_design_to_json (design);
  json_object_set_string_member (body, "_id", id);
  json_object_set_boolean_member (body, "_deleted", TRUE);
  for (guint i = 0; kept[i] != NULL; i++)
    if (json_object_has_member (full, kept[i]))
      json_object_set_member (body, kept[i], json_node_copy (json_object_get_member (full, kept[i])));
  if (!gls_proof_sign (body, self->identity, NULL, error) || !ensure_person (self, TRUE, error))
    return FALSE;
  rev = gls_store_delete (self->store, id, json_object_get_string_member (current, "_rev"), body, error);
  return rev != NULL;
}

GlsDesignRemoval *
gls_workspace_remove_design (GlsWorkspace  *self,
                             const char    *design_id,
                             gboolean       all_versions,
                             GError       **error)
{
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GPtrArray) deleted = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) hidden = g_ptr_array_new_with_free_func (g_free);
  GlsDesignRemoval *removal;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (design_id != NULL, NULL);

  /* A command's workspace reads every design, to find newer versions. */
  if (self->partial && !gls_workspace_load_design (self, all_versions ? "" : design_id, error))
    return NULL;
  if (!(design = gls_workspace_find_design (self, design_id, error)))
    return NULL;
  if (all_versions)
    versions = list_whole_chain (self, design);
  else
    {
      versions = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (versions, g_object_ref (design));
    }

  for (guint i = 0; i < versions->len; i++)
    {
      GlsDesign *version = versions->pdata[i];

      if (gls_workspace_is_own_design (self, version))
        {
          if (!delete_design (self, version, error))
            return NULL;
          g_ptr_array_add (deleted, g_strdup (gls_design_get_id (version)));
        }
      else if (!gls_workspace_is_design_hidden (self, gls_design_get_id (version)))
        g_ptr_array_add (hidden, g_strdup (gls_design_get_id (version)));
    }
  g_ptr_array_add (deleted, NULL);
  g_ptr_array_add (hidden, NULL);
  if (hidden->len > 1 &&
      !gls_workspace_set_designs_hidden (self, (const char * const *) hidden->pdata, TRUE, error))
    return NULL;
  if (deleted->len > 1 && !written (self, error))
    return NULL;

  removal = g_new0 (GlsDesignRemoval, 1);
  removal->n_deleted = deleted->len - 1;
  removal->deleted = (char **) g_ptr_array_free (g_steal_pointer (&deleted), FALSE);
  removal->hidden = (char **) g_ptr_array_free (g_steal_pointer (&hidden), FALSE);
  return removal;
}

/* What I have seen */

#define SEEN_DOC       "glossa-seen"
#define SEEN_MAX       100000

static JsonObject *
seen_to_json_locked (GlsWorkspace *self)
{
  JsonObject *doc = json_object_new ();
  JsonObject *threads = json_object_new ();
  g_autofree char *since = gls_timestamp_format (self->seen_since);
  GHashTableIter iter;
  gpointer key, value;

  json_object_set_string_member (doc, "since", since);
  g_hash_table_iter_init (&iter, self->seen);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *when = gls_timestamp_format (*(gint64 *) value);

      json_object_set_string_member (threads, key, when);
    }
  json_object_set_object_member (doc, "threads", threads);
  return doc;
}

/* The document another peer cannot reach (the server keeps glossa-
 * _local documents to this computer), but may have been damaged: what
 * does not parse is dropped, never trusted further. */
static void
load_seen (GlsWorkspace *self)
{
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  JsonNode *threads;
  const char *since;
  gboolean fresh = FALSE;

  doc = gls_store_get_local (self->store, SEEN_DOC, &error);
  locker = g_mutex_locker_new (&self->lock);
  if (doc == NULL || (since = json_object_get_string_member_with_default (doc, "since", NULL)) == NULL ||
      !gls_timestamp_parse (since, &self->seen_since))
    {
      /* From now on: what was there before this computer looked is old. */
      self->seen_since = g_get_real_time ();
      fresh = TRUE;
    }
  if (doc != NULL && (threads = json_object_get_member (doc, "threads")) != NULL &&
      JSON_NODE_HOLDS_OBJECT (threads))
    {
      JsonObjectIter iter;
      const char *root;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (threads));
      while (json_object_iter_next (&iter, &root, &value) && g_hash_table_size (self->seen) < SEEN_MAX)
        {
          gint64 usec;

          if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING &&
              gls_timestamp_parse (json_node_get_string (value), &usec))
            g_hash_table_insert (self->seen, g_strdup (root), g_memdup2 (&usec, sizeof usec));
        }
    }

  if (fresh)
    {
      g_autoptr(JsonObject) first = seen_to_json_locked (self);
      g_autofree char *rev = NULL;

      g_clear_pointer (&locker, g_mutex_locker_free);
      g_clear_error (&error);
      if (!(rev = gls_store_replace_local (self->store, SEEN_DOC, first, &error)))
        g_debug ("Could not keep what was seen: %s", error->message);
    }
}

static void save_seen (GlsWorkspace *self);

static void
save_seen_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GlsWorkspace *self = source_object;
  JsonObject *doc = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = NULL;

  rev = gls_store_replace_local (self->store, SEEN_DOC, doc, &error);
  if (rev == NULL)
    g_debug ("Could not keep what was seen: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
seen_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GlsWorkspace *self = GLS_WORKSPACE (object);

  self->seen_saving = FALSE;
  if (self->seen_dirty)
    save_seen (self);
}

/* One write at a time; marks made meanwhile go in the next. */
static void
save_seen (GlsWorkspace *self)
{
  g_autoptr(GTask) task = NULL;
  JsonObject *doc;

  if (self->seen_saving)
    {
      self->seen_dirty = TRUE;
      return;
    }
  self->seen_saving = TRUE;
  self->seen_dirty = FALSE;
  g_mutex_lock (&self->lock);
  doc = seen_to_json_locked (self);
  g_mutex_unlock (&self->lock);
  task = g_task_new (self, NULL, seen_saved_cb, NULL);
  g_task_set_source_tag (task, save_seen);
  g_task_set_task_data (task, doc, (GDestroyNotify) json_object_unref);
  g_task_run_in_thread (task, save_seen_thread);
}

gboolean
gls_workspace_thread_is_unread (GlsWorkspace *self,
                                GlsThread    *thread)
{
  g_autoptr(GMutexLocker) locker = NULL;
  const char *by;
  gint64 activity = 0;
  gint64 *seen;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (GLS_IS_THREAD (thread), FALSE);

  /* My own words are not news to me. */
  by = gls_thread_get_last_activity_by (thread);
  if (by == NULL || g_strcmp0 (by, gls_identity_get_did (self->identity)) == 0 ||
      !gls_timestamp_parse (gls_thread_get_last_activity (thread), &activity))
    return FALSE;

  locker = g_mutex_locker_new (&self->lock);
  seen = g_hash_table_lookup (self->seen, gls_thread_get_root_id (thread));
  return activity > (seen != NULL ? *seen : self->seen_since);
}

void
gls_workspace_mark_seen (GlsWorkspace *self,
                         GlsThread    *thread)
{
  gint64 activity = 0;

  g_return_if_fail (GLS_IS_WORKSPACE (self));
  g_return_if_fail (GLS_IS_THREAD (thread));

  if (!gls_workspace_thread_is_unread (self, thread) ||
      !gls_timestamp_parse (gls_thread_get_last_activity (thread), &activity))
    return;

  g_mutex_lock (&self->lock);
  if (g_hash_table_size (self->seen) < SEEN_MAX)
    g_hash_table_replace (self->seen, g_strdup (gls_thread_get_root_id (thread)),
                          g_memdup2 (&activity, sizeof activity));
  g_mutex_unlock (&self->lock);

  save_seen (self);
  g_signal_emit (self, signals [SEEN_CHANGED], 0, gls_thread_get_root_id (thread));
}

guint
gls_workspace_count_unread (GlsWorkspace *self,
                            GListModel   *threads)
{
  guint n = 0;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), 0);
  g_return_val_if_fail (G_IS_LIST_MODEL (threads), 0);

  for (guint i = 0, len = g_list_model_get_n_items (threads); i < len; i++)
    {
      g_autoptr(GlsThread) thread = g_list_model_get_item (threads, i);

      n += gls_workspace_thread_is_unread (self, thread);
    }
  return n;
}

/* Designs */

static GlsDesign *
latest_version_named (GlsWorkspace *self,
                      const char   *name)
{
  GlsDesign *latest = NULL;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->designs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (g_strcmp0 (gls_design_get_name (value), name) != 0)
        continue;
      if (latest == NULL ||
          g_strcmp0 (gls_design_get_date_created (value), gls_design_get_date_created (latest)) > 0)
        latest = value;
    }

  return latest;
}

static GlsDesign *
design_with_sha256 (GlsWorkspace *self,
                    const char   *sha256)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->designs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (g_strcmp0 (gls_design_get_sha256 (value), sha256) == 0)
        return value;
    }

  return NULL;
}

/* A text design is read whole to be shown: it must be UTF-8, and of a
 * size a text view can take. The stream is left at its start. */
static gboolean
check_text_file (GInputStream  *stream,
                 GBytes        *bytes,
                 const char    *basename,
                 GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;

  if (g_bytes_get_size (bytes) > TEXT_DESIGN_MAX_BYTES)
    {
      g_autofree char *max = g_format_size (TEXT_DESIGN_MAX_BYTES);

      g_set_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID,
                   _("“%s” is too large to review as text: the limit is %s"), basename, max);
      return FALSE;
    }
  if (!(text = gls_text_decode (bytes, NULL, &local_error)))
    {
      g_set_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID,
                   "“%s”: %s", basename, local_error->message);
      return FALSE;
    }
  if (!g_seekable_seek (G_SEEKABLE (stream), 0, G_SEEK_SET, NULL, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not read “%s”: %s"), basename, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* A text file whole, up to one byte over the limit (to tell it is over):
 * in a buffer of the file's size when the stream knows it. */
static GBytes *
read_text_file (GFileInputStream  *stream,
                GError           **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *buffer = NULL;
  gsize size = 64 * 1024;
  gsize used = 0;

  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL);
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    size = (gsize) CLAMP (g_file_info_get_size (info), 0, TEXT_DESIGN_MAX_BYTES) + 1;
  buffer = g_malloc (size);
  for (;;)
    {
      gsize got = 0;

      if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer + used, size - used, &got, NULL, error))
        return NULL;
      used += got;
      if (used < size || size > TEXT_DESIGN_MAX_BYTES)
        break;
      size = MIN (size * 2, (gsize) TEXT_DESIGN_MAX_BYTES + 1);
      buffer = g_realloc (buffer, size);
    }

  return g_bytes_new_take (g_steal_pointer (&buffer), used);
}

GlsDesign *
gls_workspace_add_design (GlsWorkspace  *self,
                          GFile         *file,
                          const char    *title,
                          const char    *version_of,
                          GError       **error)
{
  return gls_workspace_add_design_full (self, file, title, version_of,
                                        GLS_ADD_DESIGN_VERSION_BY_NAME, error);
}

GlsDesign *
gls_workspace_add_design_full (GlsWorkspace      *self,
                               GFile             *file,
                               const char        *title,
                               const char        *version_of,
                               GlsAddDesignMode   mode,
                               GError           **error)
{
  g_autoptr(GBytes) head = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GlsStoreBlob) blob = NULL;
  g_autoptr(GHashTable) follows = NULL;
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GlsDesign) previous = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *media_type = NULL;
  g_autofree char *created = NULL;
  g_autofree char *rev = NULL;
  JsonObject *attachments;
  JsonObject *attachment;
  const char *based_on = NULL;
  const char *sha256;
  GlsDesignKind kind;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  {
    /* The design's name is text: a file named in bytes that are not
     * UTF-8 gets its displayable name (U+FFFD for those bytes). */
    g_autofree char *raw = g_file_get_basename (file);

    basename = g_filename_display_name (raw);
  }
  /* The file is read twice, in pieces, never whole: its first bytes tell
   * its type, then it is copied into the store's folder. */
  if (!(stream = g_file_read (file, NULL, &local_error)) ||
      !(head = g_input_stream_read_bytes (G_INPUT_STREAM (stream), 4096, NULL, &local_error)) ||
      !g_seekable_seek (G_SEEKABLE (stream), 0, G_SEEK_SET, NULL, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not read “%s”: %s"), basename, local_error->message);
      return NULL;
    }

  media_type = gls_detect_media_type (basename, head);
  kind = gls_design_kind_for_media_type (media_type);
  if (kind == GLS_DESIGN_KIND_OTHER)
    {
      g_set_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_INVALID,
                   _("“%s” is not a design Glossa can show (%s): open a PNG, JPEG, SVG or PDF file, "
                     "a text or Markdown file, or a PO file"),
                   basename, media_type);
      return NULL;
    }
  if (kind == GLS_DESIGN_KIND_TEXT || kind == GLS_DESIGN_KIND_TRANSLATION)
    {
      g_autoptr(GBytes) whole = NULL;
      g_autofree char *hex = NULL;

      whole = read_text_file (stream, &local_error);
      if (whole == NULL)
        {
          g_set_error (error, local_error->domain, local_error->code,
                       _("Could not read “%s”: %s"), basename, local_error->message);
          return NULL;
        }
      /* Opened again: the design it is already, found by its hash
       * before anything is decoded or written. */
      if (g_bytes_get_size (whole) <= TEXT_DESIGN_MAX_BYTES)
        {
          g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
          GlsDesign *same;

          hex = gls_sha256_for_bytes (whole);
          if (!sync_caches_locked (self, error))
            return NULL;
          if ((same = design_with_sha256 (self, hex)) != NULL)
            return g_object_ref (same);
        }
      if (!check_text_file (G_INPUT_STREAM (stream), whole, basename, error))
        return NULL;
    }

  if (version_of != NULL && !(previous = gls_workspace_find_design (self, version_of, error)))
    return NULL;

  blob = gls_store_blob_new_from_stream (self->store, G_INPUT_STREAM (stream), NULL, &local_error);
  if (blob == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not add “%s”: %s"), basename, local_error->message);
      return NULL;
    }
  sha256 = gls_store_blob_get_sha256 (blob);

  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
    GlsDesign *same;

    if (!sync_caches_locked (self, error))
      return NULL;

    /* The same file is the same design: its threads are found by hash. */
    same = design_with_sha256 (self, sha256);
    if (same != NULL)
      {
        g_autoptr(GlsDesign) found = g_object_ref (same);
        const char *ids[] = { gls_design_get_id (found), NULL };

        /* Opening it again is asking to see it again. */
        if (g_hash_table_contains (self->hidden, ids[0]))
          {
            g_clear_pointer (&locker, g_mutex_locker_free);
            if (!gls_workspace_set_designs_hidden (self, ids, FALSE, error))
              return NULL;
          }
        return g_steal_pointer (&found);
      }

    /* Opening a changed file of the same name makes a new version
     * (or, asked to, asks first). */
    if (previous == NULL && mode != GLS_ADD_DESIGN_SEPARATE)
      {
        GlsDesign *named = latest_version_named (self, title ? title : basename);

        if (named != NULL && mode == GLS_ADD_DESIGN_ASK)
          {
            g_set_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_NAME_TAKEN,
                         _("A design is named “%s” already"), gls_design_get_name (named));
            return NULL;
          }
        if (named != NULL)
          previous = g_object_ref (named);
      }
  }

  if (previous != NULL)
    based_on = gls_design_get_id (previous);

  created = gls_hlc_now (self->hlc);
  design = gls_design_new_for_file_info (title ? title : basename, media_type,
                                         (guint64) gls_store_blob_get_length (blob), sha256,
                                         gls_profile_get_license (self->profile),
                                         gls_identity_get_did (self->identity),
                                         gls_profile_get_display_name (self->profile),
                                         created, based_on, error);
  if (design == NULL)
    return NULL;

  doc = gls_design_to_json (design);
  if (!gls_proof_sign (doc, self->identity, NULL, error) || !ensure_person (self, FALSE, error))
    return NULL;
  attachment = json_object_new ();
  json_object_set_string_member (attachment, "content_type", media_type);
  json_object_set_boolean_member (attachment, "follows", TRUE);
  attachments = json_object_new ();
  json_object_set_object_member (attachments, GLS_DESIGN_ATTACHMENT, attachment);
  json_object_set_object_member (doc, "_attachments", attachments);
  follows = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (follows, (gpointer) GLS_DESIGN_ATTACHMENT, blob);

  rev = gls_store_put_with_blobs (self->store, doc, follows, error);
  if (rev == NULL)
    return NULL;

  if (!written (self, error))
    return NULL;

  return g_steal_pointer (&design);
}

GBytes *
gls_workspace_load_design_file (GlsWorkspace  *self,
                                const char    *design_id,
                                GError       **error)
{
  g_autoptr(GlsDesign) design = NULL;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);

  if (!(design = gls_workspace_find_design (self, design_id, error)))
    return NULL;

  return gls_store_get_attachment (self->store, gls_design_get_id (design), NULL,
                                   GLS_DESIGN_ATTACHMENT, NULL, error);
}

/* Export and import */

JsonNode *
gls_workspace_export (GlsWorkspace  *self,
                      GError       **error)
{
  g_autoptr(GPtrArray) live = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), NULL);

  live = gls_workspace_list_annotations (self);
  label = g_strdup_printf (_("Glossa workspace “%s”"), self->name);

  return gls_w3c_export_collection (live, label);
}

typedef struct
{
  GlsWorkspace *self;
  GlsDesign    *fallback;
} ResolveData;

static char *
resolve_source_cb (const char *source,
                   gpointer    user_data)
{
  ResolveData *data = user_data;
  GHashTableIter iter;
  gpointer value;
  g_autofree char *basename = NULL;
  const char *slash;

  g_hash_table_iter_init (&iter, data->self->designs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (g_strcmp0 (gls_design_get_source (value), source) == 0)
        return g_strdup (source);
    }

  if (data->fallback != NULL)
    return g_strdup (gls_design_get_source (data->fallback));

  /* Other tools name the image by URL: match its file name. */
  slash = strrchr (source, '/');
  basename = g_uri_unescape_string (slash ? slash + 1 : source, NULL);
  if (basename != NULL && *basename != '\0')
    {
      GlsDesign *named = latest_version_named (data->self, basename);

      if (named != NULL)
        return g_strdup (gls_design_get_source (named));
    }

  return NULL;
}

/* The importer vouches for what it imports: an annotation by someone
 * without a key (another tool's person) carries the importer's proof and
 * shows as imported by them, and the importer's own words are simply
 * signed. Someone else's did:key cannot be signed for: such an annotation
 * is imported as it came, unverified. */
static gboolean
sign_import (GlsWorkspace   *self,
             JsonObject     *doc,
             GlsAnnotation  *annotation,
             GError        **error)
{
  const char *creator = gls_annotation_get_creator_id (annotation);

  /* Words that come with their author's proof (a Glossa export) keep it,
   * when it still holds for the document as Glossa writes it. */
  if (json_object_has_member (doc, GLS_PROOF_MEMBER))
    {
      g_autoptr(GlsAnnotation) checked = gls_annotation_new_verified (doc, NULL);

      if (checked != NULL)
        return TRUE;
      json_object_remove_member (doc, GLS_PROOF_MEMBER);
    }

  if (creator != NULL && g_str_has_prefix (creator, "did:key:") &&
      g_strcmp0 (creator, gls_identity_get_did (self->identity)) != 0)
    return TRUE;

  return gls_proof_sign (doc, self->identity, NULL, error);
}

gint
gls_workspace_import (GlsWorkspace  *self,
                      JsonNode      *root,
                      const char    *design_id,
                      GError       **error)
{
  g_autoptr(GlsDesign) fallback = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(JsonArray) docs = NULL;
  g_autoptr(JsonArray) results = NULL;
  ResolveData data = { self, NULL };
  gint added = 0;

  g_return_val_if_fail (GLS_IS_WORKSPACE (self), -1);
  g_return_val_if_fail (root != NULL, -1);

  if (design_id != NULL && !(fallback = gls_workspace_find_design (self, design_id, error)))
    return -1;
  data.fallback = fallback;

  /* What is new is told by what is there: all of it. */
  if (!ensure_whole (self, error))
    return -1;
  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

    if (!sync_caches_locked (self, error))
      return -1;

    imported = gls_w3c_import_full (root, gls_profile_get_license (self->profile),
                                    resolve_source_cb, &data, error);
    if (imported == NULL)
      return -1;

    docs = json_array_new ();
    for (guint i = 0; i < imported->len; i++)
      {
        GlsAnnotation *annotation = g_ptr_array_index (imported, i);
        g_autoptr(JsonObject) doc = NULL;

        if (g_hash_table_contains (self->annotations, gls_annotation_get_id (annotation)))
          continue;
        gls_hlc_observe (self->hlc, gls_annotation_get_created (annotation));
        doc = gls_annotation_to_json (annotation);
        if (!sign_import (self, doc, annotation, error))
          return -1;
        json_array_add_object_element (docs, g_steal_pointer (&doc));
      }
  }

  if (json_array_get_length (docs) == 0)
    return 0;

  if (!ensure_person (self, FALSE, error))
    return -1;

  /* One batch, one transaction: all of it or nothing. */
  results = gls_store_bulk_docs (self->store, docs, TRUE, error);
  if (results == NULL)
    return -1;

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);

      if (json_object_has_member (result, "error"))
        g_warning ("Import of “%s” was refused by the store: %s",
                   json_object_get_string_member_with_default (result, "id", "?"),
                   json_object_get_string_member_with_default (result, "reason", "?"));
      else
        added++;
    }

  if (!written (self, error))
    return -1;

  return added;
}

/* Asynchronous forms, for the GUI */

typedef enum
{
  ACTION_ADD_DESIGN,
  ACTION_COMMENT,
  ACTION_REPLY,
  ACTION_EDIT,
  ACTION_SET_RESOLVED,
  ACTION_DELETE,
  ACTION_LOAD_FILE,
  ACTION_SUGGEST,
  ACTION_DECIDE,
  ACTION_REVIEW,
  ACTION_APPLY,
} ActionKind;

typedef struct
{
  ActionKind   kind;
  char        *id;
  char        *text;
  GlsSelector *selector;
  gboolean     resolved;
  GlsDecision  decision;
  GFile       *file;
  GlsAddDesignMode mode;
} Action;

static void
action_free (Action *action)
{
  g_free (action->id);
  g_free (action->text);
  g_clear_pointer (&action->selector, gls_selector_free);
  g_clear_object (&action->file);
  g_free (action);
}

void
gls_applied_suggestions_free (GlsAppliedSuggestions *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->version);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->failures, g_ptr_array_unref);
  g_free (self);
}

GlsAppliedSuggestions *
gls_workspace_apply_into_version (GlsWorkspace  *self,
                                  const char    *design_id,
                                  GError       **error)
{
  g_autoptr(GlsAppliedSuggestions) applied = g_new0 (GlsAppliedSuggestions, 1);
  g_autoptr(GlsDesign) design = NULL;

  if (!(design = gls_workspace_find_design (self, design_id, error)) ||
      !(applied->bytes = gls_workspace_apply_suggestions (self, gls_design_get_id (design), &applied->n_applied,
                                                          &applied->failures, error)))
    return NULL;
  /* None applied: no version, the failures (if any) say why. */
  if (applied->n_applied == 0)
    return g_steal_pointer (&applied);
  if (!(applied->version = gls_workspace_add_version (self, gls_design_get_id (design), applied->bytes, error)))
    return NULL;
  return g_steal_pointer (&applied);
}

static void
action_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GlsWorkspace *self = source_object;
  Action *action = task_data;
  g_autoptr(GError) error = NULL;
  gpointer result = NULL;
  GDestroyNotify destroy = g_object_unref;

  switch (action->kind)
    {
    case ACTION_ADD_DESIGN:
      result = gls_workspace_add_design_full (self, action->file, NULL, action->id, action->mode, &error);
      break;
    case ACTION_COMMENT:
      result = gls_workspace_comment (self, action->id, action->selector, action->text, &error);
      break;
    case ACTION_REPLY:
      result = gls_workspace_reply (self, action->id, action->text, &error);
      break;
    case ACTION_EDIT:
      result = gls_workspace_edit (self, action->id, action->text, &error);
      break;
    case ACTION_SET_RESOLVED:
      result = gls_workspace_set_resolved (self, action->id, action->resolved, &error);
      break;
    case ACTION_DELETE:
      if (gls_workspace_delete (self, action->id, &error))
        {
          g_task_return_boolean (task, TRUE);
          return;
        }
      break;
    case ACTION_LOAD_FILE:
      result = gls_workspace_load_design_file (self, action->id, &error);
      destroy = (GDestroyNotify) g_bytes_unref;
      break;
    case ACTION_SUGGEST:
      result = gls_workspace_suggest (self, action->id, action->selector, action->text, &error);
      break;
    case ACTION_DECIDE:
      result = gls_workspace_decide (self, action->id, action->resolved, &error);
      break;
    case ACTION_REVIEW:
      result = gls_workspace_review (self, action->id, action->decision, action->text, &error);
      break;
    case ACTION_APPLY:
      result = gls_workspace_apply_into_version (self, action->id, &error);
      destroy = (GDestroyNotify) gls_applied_suggestions_free;
      break;
    default:
      g_assert_not_reached ();
    }

  if (result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, destroy);
}

static void
run_action (GlsWorkspace        *self,
            Action              *action,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, action, (GDestroyNotify) action_free);
  g_task_run_in_thread (task, action_thread);
}

static Action *
action_new (ActionKind  kind,
            const char *id,
            const char *text)
{
  Action *action = g_new0 (Action, 1);

  action->kind = kind;
  action->id = g_strdup (id);
  action->text = g_strdup (text);

  return action;
}

void
gls_workspace_add_design_async (GlsWorkspace        *self,
                                GFile               *file,
                                const char          *version_of,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Action *action;

  g_return_if_fail (GLS_IS_WORKSPACE (self));
  g_return_if_fail (G_IS_FILE (file));

  action = action_new (ACTION_ADD_DESIGN, version_of, NULL);
  action->file = g_object_ref (file);
  run_action (self, action, gls_workspace_add_design_async, cancellable, callback, user_data);
}

void
gls_workspace_add_design_full_async (GlsWorkspace        *self,
                                     GFile               *file,
                                     const char          *version_of,
                                     GlsAddDesignMode     mode,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  Action *action;

  g_return_if_fail (GLS_IS_WORKSPACE (self));
  g_return_if_fail (G_IS_FILE (file));

  action = action_new (ACTION_ADD_DESIGN, version_of, NULL);
  action->file = g_object_ref (file);
  action->mode = mode;
  run_action (self, action, gls_workspace_add_design_async, cancellable, callback, user_data);
}

GlsDesign *
gls_workspace_add_design_finish (GlsWorkspace  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
gls_workspace_comment_async (GlsWorkspace        *self,
                             const char          *design_id,
                             const GlsSelector   *selector,
                             const char          *text,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Action *action;

  g_return_if_fail (GLS_IS_WORKSPACE (self));

  action = action_new (ACTION_COMMENT, design_id, text);
  action->selector = selector ? gls_selector_copy (selector) : NULL;
  run_action (self, action, gls_workspace_annotate_finish, cancellable, callback, user_data);
}

void
gls_workspace_reply_async (GlsWorkspace        *self,
                           const char          *annotation_id,
                           const char          *text,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (GLS_IS_WORKSPACE (self));

  run_action (self, action_new (ACTION_REPLY, annotation_id, text),
              gls_workspace_annotate_finish, cancellable, callback, user_data);
}

void
gls_workspace_edit_async (GlsWorkspace        *self,
                          const char          *annotation_id,
                          const char          *text,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (GLS_IS_WORKSPACE (self));

  run_action (self, action_new (ACTION_EDIT, annotation_id, text),
              gls_workspace_annotate_finish, cancellable, callback, user_data);
}

void
gls_workspace_set_resolved_async (GlsWorkspace        *self,
                                  const char          *annotation_id,
                                  gboolean             resolved,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Action *action;

  g_return_if_fail (GLS_IS_WORKSPACE (self));

  action = action_new (ACTION_SET_RESOLVED, annotation_id, NULL);
  action->resolved = resolved;
  run_action (self, action, gls_workspace_annotate_finish, cancellable, callback, user_data);
}

void
gls_workspace_suggest_async (GlsWorkspace        *self,
                             const char          *design_id,
                             const GlsSelector   *selector,
                             const char          *replacement,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Action *action;

  g_return_if_fail (GLS_IS_WORKSPACE (self));
  g_return_if_fail (selector != NULL);

  action = action_new (ACTION_SUGGEST, design_id, replacement);
  action->selector = gls_selector_copy (selector);
  run_action (self, action, gls_workspace_annotate_finish, cancellable, callback, user_data);
}

void
gls_workspace_decide_async (GlsWorkspace        *self,
                            const char          *annotation_id,
                            gboolean             accepted,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Action *action;

  g_return_if_fail (GLS_IS_WORKSPACE (self));

  action = action_new (ACTION_DECIDE, annotation_id, NULL);
  action->resolved = accepted;
  run_action (self, action, gls_workspace_annotate_finish, cancellable, callback, user_data);
}

void
gls_workspace_review_async (GlsWorkspace        *self,
                            const char          *design_id,
                            GlsDecision          decision,
                            const char          *note,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Action *action;

  g_return_if_fail (GLS_IS_WORKSPACE (self));

  action = action_new (ACTION_REVIEW, design_id, note);
  action->decision = decision;
  run_action (self, action, gls_workspace_annotate_finish, cancellable, callback, user_data);
}

void
gls_workspace_apply_suggestions_async (GlsWorkspace        *self,
                                       const char          *design_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (GLS_IS_WORKSPACE (self));

  run_action (self, action_new (ACTION_APPLY, design_id, NULL),
              gls_workspace_apply_suggestions_async, cancellable, callback, user_data);
}

GlsAppliedSuggestions *
gls_workspace_apply_suggestions_finish (GlsWorkspace  *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GlsAnnotation *
gls_workspace_annotate_finish (GlsWorkspace  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
gls_workspace_delete_async (GlsWorkspace        *self,
                            const char          *annotation_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (GLS_IS_WORKSPACE (self));

  run_action (self, action_new (ACTION_DELETE, annotation_id, NULL),
              gls_workspace_delete_async, cancellable, callback, user_data);
}

gboolean
gls_workspace_delete_finish (GlsWorkspace  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  char     *design_id;
  gboolean  all_versions;
} RemoveData;

static void
remove_data_free (gpointer data)
{
  RemoveData *rd = data;

  g_free (rd->design_id);
  g_free (rd);
}

static void
remove_design_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  RemoveData *rd = task_data;
  GError *error = NULL;
  GlsDesignRemoval *removal;

  removal = gls_workspace_remove_design (source_object, rd->design_id, rd->all_versions, &error);
  if (removal == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, removal, (GDestroyNotify) gls_design_removal_free);
}

void
gls_workspace_remove_design_async (GlsWorkspace        *self,
                                   const char          *design_id,
                                   gboolean             all_versions,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RemoveData *rd;

  g_return_if_fail (GLS_IS_WORKSPACE (self));
  g_return_if_fail (design_id != NULL);

  rd = g_new0 (RemoveData, 1);
  rd->design_id = g_strdup (design_id);
  rd->all_versions = all_versions;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gls_workspace_remove_design_async);
  g_task_set_task_data (task, rd, remove_data_free);
  g_task_run_in_thread (task, remove_design_thread);
}

/* The models show the removal when this returns. */
GlsDesignRemoval *
gls_workspace_remove_design_finish (GlsWorkspace  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (on_model_thread (self))
    {
      g_autoptr(GError) local_error = NULL;

      if (!sync_caches (self, &local_error))
        g_debug ("Could not read the removal back: %s", local_error->message);
      update_models (self);
    }
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
gls_workspace_load_design_file_async (GlsWorkspace        *self,
                                      const char          *design_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (GLS_IS_WORKSPACE (self));

  run_action (self, action_new (ACTION_LOAD_FILE, design_id, NULL),
              gls_workspace_load_design_file_async, cancellable, callback, user_data);
}

GBytes *
gls_workspace_load_design_file_finish (GlsWorkspace  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
