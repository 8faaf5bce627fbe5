/* gls-workspace.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "gls-annotation.h"
#include "gls-design.h"
#include "gls-identity.h"
#include "gls-person.h"
#include "gls-profile.h"
#include "gls-reviews.h"
#include "gls-selector.h"
#include "gls-store.h"
#include "gls-thread.h"

G_BEGIN_DECLS

/*
 * GlsWorkspace ties the generic store to the annotation model: one
 * workspace is one store (one SQLite file under <data-dir>/workspaces/),
 * plus the user's identity and profile from the data dir.
 *
 * The designs model and every threads model update themselves whenever
 * documents are written, whoever writes them (this process, the command
 * line in another process, a peer), through GlsStore::changed.
 *
 * The blocking calls may run in any thread; the GUI uses the _async pairs,
 * which run them in a GTask thread. Models are only touched on the thread
 * that opened the workspace.
 */

#define GLS_WORKSPACE_ERROR (gls_workspace_error_quark ())

typedef enum
{
  GLS_WORKSPACE_ERROR_NOT_FOUND,     /* no design / annotation with that id */
  GLS_WORKSPACE_ERROR_AMBIGUOUS,     /* a prefix matches more than one */
  GLS_WORKSPACE_ERROR_NOT_ALLOWED,   /* editing or deleting someone else's words */
  GLS_WORKSPACE_ERROR_INVALID,       /* bad name, bad input, unsupported file */
  GLS_WORKSPACE_ERROR_NAME_TAKEN,    /* GLS_ADD_DESIGN_ASK: a design has that name */
} GlsWorkspaceError;

/* What adding a new file (bytes no design has) with the name of a design
 * does, when no version_of is given. */
typedef enum
{
  GLS_ADD_DESIGN_VERSION_BY_NAME,    /* it is that design's next version */
  GLS_ADD_DESIGN_SEPARATE,           /* a design of its own, of the same name */
  GLS_ADD_DESIGN_ASK,                /* nothing is added: NAME_TAKEN, to ask */
} GlsAddDesignMode;

#define GLS_WORKSPACE_DEFAULT_NAME "default"
#define GLS_DESIGN_ATTACHMENT      "file"

#define GLS_TYPE_WORKSPACE (gls_workspace_get_type ())

G_DECLARE_FINAL_TYPE (GlsWorkspace, gls_workspace, GLS, WORKSPACE, GObject)

GQuark         gls_workspace_error_quark      (void);

/* --data-dir, else $GLOSSA_DATA_DIR, else $XDG_DATA_HOME/glossa. */
char          *gls_workspace_resolve_data_dir (const char           *override);
gboolean       gls_workspace_name_is_valid    (const char           *name);
char         **gls_workspace_list_names       (const char           *data_dir,
                                               GError              **error);

GlsWorkspace  *gls_workspace_open             (const char           *data_dir,
                                               const char           *name,
                                               GError              **error);
GlsWorkspace  *gls_workspace_open_partial     (const char           *data_dir,
                                               const char           *name,
                                               GError              **error);
gboolean       gls_workspace_load_design      (GlsWorkspace         *self,
                                               const char           *id_or_prefix,
                                               GError              **error);
gboolean       gls_workspace_load_threads     (GlsWorkspace         *self,
                                               GlsDesign            *design,
                                               GError              **error);
/* The versions of @design up to it, oldest first (isBasedOn), @design
 * last. */
GPtrArray     *gls_workspace_list_versions    (GlsWorkspace         *self,
                                               GlsDesign            *design);
void           gls_workspace_open_async       (const char           *data_dir,
                                               const char           *name,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
/* For a window: designs and people now, a design's threads when a
 * model first shows them. */
void           gls_workspace_open_lazy_async  (const char           *data_dir,
                                               const char           *name,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GlsWorkspace  *gls_workspace_open_lazy_in_worker (const char        *data_dir,
                                               const char           *name,
                                               GError              **error);
GlsWorkspace  *gls_workspace_open_finish      (GAsyncResult         *result,
                                               GError              **error);

const char    *gls_workspace_get_name         (GlsWorkspace         *self);
const char    *gls_workspace_get_data_dir     (GlsWorkspace         *self);
GlsStore      *gls_workspace_get_store        (GlsWorkspace         *self);
GlsIdentity   *gls_workspace_get_identity     (GlsWorkspace         *self);
GlsProfile    *gls_workspace_get_profile      (GlsWorkspace         *self);
/* Who writes here, as peers are told (X-Glossa-Peer and -Name): the
 * identity's did:key and the profile's name, NULL when there is none. */
const char    *gls_workspace_get_did          (GlsWorkspace         *self);
const char    *gls_workspace_get_display_name (GlsWorkspace         *self);

/* Checks the proof of every revision of every document: {"checked",
 * "verified" (signed, and by whom it must be), "unverified" (no proof),
 * "failed": [{"id", "rev", "reason"}…]} — forgeries, proofs that do not
 * hold, and documents changed after they were written — and "set_aside"
 * (gls_store_list_set_aside). Blocking. */
JsonObject    *gls_workspace_verify           (GlsWorkspace         *self,
                                               GError              **error);
/* Of the revisions named in `revisions` ({"id":{"missing":["rev"…]}…}, as
 * a pull's _revs_diff), how many are forgeries: a proof that does not
 * hold, or one by someone else than the person the document names. For
 * the count a peer's row shows. Blocking. */
guint          gls_workspace_count_forgeries  (GlsWorkspace         *self,
                                               JsonObject           *revisions,
                                               GError              **error);
/* How many documents the store had set aside when the workspace was
 * opened (see gls_store_list_set_aside): for the window to say so. */
guint          gls_workspace_get_n_set_aside  (GlsWorkspace         *self);
/* Reads what was written since the caches last looked (by a peer, by
 * another process) and updates the models, now: blocking, for the command
 * line and tests; the GUI's models follow the store by themselves. */
gboolean       gls_workspace_refresh          (GlsWorkspace         *self,
                                               GError              **error);
/* GlsDesign items, newest first; each design version is an item. */
GListModel    *gls_workspace_get_designs      (GlsWorkspace         *self);
/* GlsThread items of one design (its ni: source URI), in number order.
 * The same model is returned for the same source while it is alive. */
GListModel    *gls_workspace_get_threads      (GlsWorkspace         *self,
                                               const char           *source);
/* The same model, for counts in the background: a lazy workspace reads
 * its threads after those of the models asked for with get_threads (the
 * design a window shows), not before. */
GListModel    *gls_workspace_get_threads_later (GlsWorkspace        *self,
                                               const char           *source);

/* Full ids or unambiguous prefixes (with or without "urn:uuid:"). */
GlsDesign     *gls_workspace_find_design      (GlsWorkspace         *self,
                                               const char           *id_or_prefix,
                                               GError              **error);
GlsAnnotation *gls_workspace_find_annotation  (GlsWorkspace         *self,
                                               const char           *id_or_prefix,
                                               GError              **error);
GlsThread     *gls_workspace_find_thread      (GlsWorkspace         *self,
                                               const char           *root_id);
/* The people the workspace knows (their profiles, GlsPerson), by name:
 * for completing @mentions. */
GPtrArray     *gls_workspace_list_people      (GlsWorkspace         *self);
/* The ids of the people @text mentions ("@Ada Lovelace": an @ and a
 * known person's name, whole), at most GLS_MAX_MENTIONS; NULL for none.
 * Comments, replies and edits carry them as tagging bodies. */
#define GLS_MAX_MENTIONS 32
char         **gls_workspace_find_mentions    (GlsWorkspace         *self,
                                               const char           *text);
/* Unread: a thread whose last activity is someone else's and newer than
 * what I last saw of it (kept on this computer only, in a _local
 * document); activity from before the workspace was first opened here
 * counts as seen. mark_seen emits "seen-changed"; call it on the thread
 * that opened the workspace. */
gboolean       gls_workspace_thread_is_unread (GlsWorkspace         *self,
                                               GlsThread            *thread);
void           gls_workspace_mark_seen        (GlsWorkspace         *self,
                                               GlsThread            *thread);
guint          gls_workspace_count_unread     (GlsWorkspace         *self,
                                               GListModel           *threads);
/* The thread a comment, reply, edit or assessment (its full id) is in,
 * from what the workspace has read (no store read), or NULL. */
GlsThread     *gls_workspace_find_thread_of   (GlsWorkspace         *self,
                                               const char           *annotation_id);
/* The same, read from the store in a worker (a reply on a design whose
 * threads were not read): the thread's root id and the design source it
 * is on. GLS_WORKSPACE_ERROR_NOT_FOUND when the chain of targets does not
 * end at a design. */
void           gls_workspace_find_root_async  (GlsWorkspace         *self,
                                               const char           *annotation_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean       gls_workspace_find_root_finish (GlsWorkspace         *self,
                                               GAsyncResult         *result,
                                               char                **root_id,
                                               char                **source,
                                               GError              **error);
/* Every live annotation, for export. */
GPtrArray     *gls_workspace_list_annotations (GlsWorkspace         *self);

/* Actions: each writes one new document (delete writes a tombstone). */
GlsDesign     *gls_workspace_add_design       (GlsWorkspace         *self,
                                               GFile                *file,
                                               const char           *title,
                                               const char           *version_of,
                                               GError              **error);
/* gls_workspace_add_design is this with GLS_ADD_DESIGN_VERSION_BY_NAME. */
GlsDesign     *gls_workspace_add_design_full  (GlsWorkspace         *self,
                                               GFile                *file,
                                               const char           *title,
                                               const char           *version_of,
                                               GlsAddDesignMode      mode,
                                               GError              **error);
GlsAnnotation *gls_workspace_comment          (GlsWorkspace         *self,
                                               const char           *design_id,
                                               const GlsSelector    *selector,
                                               const char           *text,
                                               GError              **error);
GlsAnnotation *gls_workspace_reply            (GlsWorkspace         *self,
                                               const char           *annotation_id,
                                               const char           *text,
                                               GError              **error);
GlsAnnotation *gls_workspace_edit             (GlsWorkspace         *self,
                                               const char           *annotation_id,
                                               const char           *text,
                                               GError              **error);
GlsAnnotation *gls_workspace_set_resolved     (GlsWorkspace         *self,
                                               const char           *annotation_id,
                                               gboolean              resolved,
                                               GError              **error);
/* On a text design: a suggestion to replace the passage @selector
 * (GLS_SELECTOR_TEXT, with its quote) by @replacement; then anyone may
 * accept or decline it (@annotation_id: any of its thread's). */
GlsAnnotation *gls_workspace_suggest          (GlsWorkspace         *self,
                                               const char           *design_id,
                                               const GlsSelector    *selector,
                                               const char           *replacement,
                                               GError              **error);
GlsAnnotation *gls_workspace_decide           (GlsWorkspace         *self,
                                               const char           *annotation_id,
                                               gboolean              accepted,
                                               GError              **error);
/* A review of a design version: approve it, or ask for changes, with
 * the reviewer's words (@note, nullable). Each reviewer's latest counts. */
GlsAnnotation *gls_workspace_review           (GlsWorkspace         *self,
                                               const char           *design_id,
                                               GlsDecision           decision,
                                               const char           *note,
                                               GError              **error);
/* GlsReview items (gls-reviews.h): each reviewer's latest review of
 * @design, oldest first; with @design NULL, of every version, by source.
 * Blocking (a lazy workspace reads what it needs first). */
GPtrArray     *gls_workspace_list_reviews     (GlsWorkspace         *self,
                                               GlsDesign            *design,
                                               GError              **error);
/* The design's text with its accepted suggestions applied (nothing is
 * written: gls_workspace_add_design of it makes the new version).
 * @failures: GlsSuggestionFailure of those that could not apply. */
GBytes        *gls_workspace_apply_suggestions (GlsWorkspace        *self,
                                                const char          *design_id,
                                                guint               *n_applied,
                                                GPtrArray          **failures,
                                                GError             **error);
/* A new version of @design_id with these bytes (isBasedOn it, signed),
 * as gls_workspace_add_design of a file of the same name does. */
GlsDesign     *gls_workspace_add_version      (GlsWorkspace         *self,
                                               const char           *design_id,
                                               GBytes               *bytes,
                                               GError              **error);
gboolean       gls_workspace_delete           (GlsWorkspace         *self,
                                               const char           *annotation_id,
                                               GError              **error);
GBytes        *gls_workspace_load_design_file (GlsWorkspace         *self,
                                               const char           *design_id,
                                               GError              **error);

/* Removing a design: each version I made (signed by me) is deleted for
 * everyone (a tombstone signed by me, which syncs); each one someone else
 * made is hidden on this computer only (kept in _local/glossa-hidden,
 * which never leaves it), so the designs model no longer lists it here.
 * Threads are never touched: adding the same file again shows them.
 * With @all_versions, every version of the design (its isBasedOn chain,
 * older and newer), else only @design_id. */
typedef struct
{
  guint   n_deleted;
  char  **deleted;   /* ids deleted for everyone */
  char  **hidden;    /* ids hidden here: give them to set_hidden to undo */
} GlsDesignRemoval;

void           gls_design_removal_free        (GlsDesignRemoval     *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsDesignRemoval, gls_design_removal_free)

GlsDesignRemoval *gls_workspace_remove_design (GlsWorkspace         *self,
                                               const char           *design_id,
                                               gboolean              all_versions,
                                               GError              **error);
/* Whether I may delete @design for everyone (I signed it). */
gboolean       gls_workspace_is_own_design    (GlsWorkspace         *self,
                                               GlsDesign            *design);
gboolean       gls_workspace_set_designs_hidden (GlsWorkspace       *self,
                                                 const char * const *design_ids,
                                                 gboolean            hidden,
                                                 GError            **error);
gboolean       gls_workspace_is_design_hidden (GlsWorkspace         *self,
                                               const char           *design_id);

/* W3C AnnotationCollection of every live annotation. */
JsonNode      *gls_workspace_export           (GlsWorkspace         *self,
                                               GError              **error);
/* All or nothing. `design_id` (nullable) receives annotations whose target
 * source is not a design of this workspace. Returns how many were new. */
gint           gls_workspace_import           (GlsWorkspace         *self,
                                               JsonNode             *root,
                                               const char           *design_id,
                                               GError              **error);

/* The GUI's non-blocking forms. Each finishes with the object the blocking
 * call returns (a GlsDesign, a GlsAnnotation, a GBytes), or TRUE. */
void           gls_workspace_add_design_async (GlsWorkspace         *self,
                                               GFile                *file,
                                               const char           *version_of,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
/* Finishes with gls_workspace_add_design_finish. */
void           gls_workspace_add_design_full_async (GlsWorkspace    *self,
                                                    GFile           *file,
                                                    const char      *version_of,
                                                    GlsAddDesignMode mode,
                                                    GCancellable    *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer         user_data);
GlsDesign     *gls_workspace_add_design_finish (GlsWorkspace        *self,
                                                GAsyncResult        *result,
                                                GError             **error);
void           gls_workspace_comment_async    (GlsWorkspace         *self,
                                               const char           *design_id,
                                               const GlsSelector    *selector,
                                               const char           *text,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
void           gls_workspace_reply_async      (GlsWorkspace         *self,
                                               const char           *annotation_id,
                                               const char           *text,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
void           gls_workspace_edit_async       (GlsWorkspace         *self,
                                               const char           *annotation_id,
                                               const char           *text,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
void           gls_workspace_set_resolved_async (GlsWorkspace       *self,
                                                 const char         *annotation_id,
                                                 gboolean            resolved,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
/* Finishes comment, reply, edit and set_resolved. */
/* suggest and decide finish with gls_workspace_annotate_finish. */
void           gls_workspace_suggest_async    (GlsWorkspace         *self,
                                               const char           *design_id,
                                               const GlsSelector    *selector,
                                               const char           *replacement,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
void           gls_workspace_decide_async     (GlsWorkspace         *self,
                                               const char           *annotation_id,
                                               gboolean              accepted,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);

/* Finishes with gls_workspace_annotate_finish. */
void           gls_workspace_review_async     (GlsWorkspace         *self,
                                               const char           *design_id,
                                               GlsDecision           decision,
                                               const char           *note,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
/* "Apply Accepted Suggestions": the new version made, its bytes (to
 * save), how many applied, and those that could not (GlsSuggestionFailure).
 * When none applied, no version is made: version is NULL, and failures
 * says why (empty: nothing was accepted). */
typedef struct
{
  GlsDesign *version;
  GBytes    *bytes;
  guint      n_applied;
  GPtrArray *failures;
} GlsAppliedSuggestions;

void           gls_applied_suggestions_free   (GlsAppliedSuggestions *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsAppliedSuggestions, gls_applied_suggestions_free)

/* gls_workspace_apply_suggestions, then gls_workspace_add_version when
 * some applied; the _async form in a thread. */
GlsAppliedSuggestions *gls_workspace_apply_into_version (GlsWorkspace  *self,
                                                         const char    *design_id,
                                                         GError       **error);
void           gls_workspace_apply_suggestions_async  (GlsWorkspace        *self,
                                                       const char          *design_id,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GlsAppliedSuggestions *gls_workspace_apply_suggestions_finish (GlsWorkspace  *self,
                                                               GAsyncResult  *result,
                                                               GError       **error);
GlsAnnotation *gls_workspace_annotate_finish  (GlsWorkspace         *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void           gls_workspace_delete_async     (GlsWorkspace         *self,
                                               const char           *annotation_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean       gls_workspace_delete_finish    (GlsWorkspace         *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void           gls_workspace_remove_design_async (GlsWorkspace      *self,
                                                  const char        *design_id,
                                                  gboolean           all_versions,
                                                  GCancellable      *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer           user_data);
GlsDesignRemoval *gls_workspace_remove_design_finish (GlsWorkspace   *self,
                                                      GAsyncResult   *result,
                                                      GError        **error);
void           gls_workspace_load_design_file_async  (GlsWorkspace        *self,
                                                      const char          *design_id,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GBytes        *gls_workspace_load_design_file_finish (GlsWorkspace        *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS
