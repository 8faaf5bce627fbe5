/* gls-annotation.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "gls-proof.h"
#include "gls-selector.h"
#include "gls-types.h"

G_BEGIN_DECLS

/*
 * GlsAnnotation: one W3C Web Annotation as Glossa writes it (see
 * src/core/FORMAT.md), or the tombstone a deletion leaves. Immutable.
 *
 * commenting: target is {source: design ni URI, selector?}
 * replying:   target is the root's (or a reply's) id
 * editing:    target is the edited annotation's id, body the new text;
 *             or, a suggestion (a request to change the design, as the
 *             W3C model means `editing`): target is {source, selector} on
 *             a passage of a text, body the replacement text (may be empty)
 * assessing:  target is the root's id, body "resolved" or "open"; on a
 *             suggestion also "accepted" or "declined"; or, a review:
 *             target is {source} (a whole design version), body
 *             "approved" or "changes-requested", and maybe a second
 *             body (purpose commenting) with the reviewer's words
 *
 * A comment, reply or edit may carry, after its text, bodies with
 * purpose tagging whose source is a person's id: the people it mentions.
 */

#define GLS_TYPE_ANNOTATION (gls_annotation_get_type ())

G_DECLARE_FINAL_TYPE (GlsAnnotation, gls_annotation, GLS, ANNOTATION, GObject)

/* Constructors make a fresh `urn:uuid:` id. `rights` NULL: GLS_DEFAULT_LICENSE.
 * `created` NULL: the current time (callers should pass gls_hlc_now ()). */
GlsAnnotation     *gls_annotation_new_comment      (const char        *source,
                                                    const GlsSelector *selector,
                                                    const char        *text,
                                                    const char        *creator_id,
                                                    const char        *creator_name,
                                                    const char        *rights,
                                                    const char        *created);
GlsAnnotation     *gls_annotation_new_reply        (const char        *root_id,
                                                    const char        *text,
                                                    const char        *creator_id,
                                                    const char        *creator_name,
                                                    const char        *rights,
                                                    const char        *created);
GlsAnnotation     *gls_annotation_new_edit         (const char        *target_id,
                                                    const char        *text,
                                                    const char        *creator_id,
                                                    const char        *creator_name,
                                                    const char        *rights,
                                                    const char        *created);
GlsAnnotation     *gls_annotation_new_assessment   (const char        *root_id,
                                                    gboolean           resolved,
                                                    const char        *creator_id,
                                                    const char        *creator_name,
                                                    const char        *rights,
                                                    const char        *created);
/* A suggestion: replace the passage @selector (GLS_SELECTOR_TEXT) of
 * @source with @replacement. */
GlsAnnotation     *gls_annotation_new_suggestion   (const char        *source,
                                                    const GlsSelector *selector,
                                                    const char        *replacement,
                                                    const char        *creator_id,
                                                    const char        *creator_name,
                                                    const char        *rights,
                                                    const char        *created);
/* A decision on a suggestion: body "accepted" or "declined". */
GlsAnnotation     *gls_annotation_new_decision     (const char        *root_id,
                                                    gboolean           accepted,
                                                    const char        *creator_id,
                                                    const char        *creator_name,
                                                    const char        *rights,
                                                    const char        *created);

/* A review of a design version (its ni: URI): @decision is
 * GLS_DECISION_APPROVED or GLS_DECISION_CHANGES_REQUESTED; @note
 * (nullable) the reviewer's words. */
GlsAnnotation     *gls_annotation_new_review       (const char        *source,
                                                    GlsDecision        decision,
                                                    const char        *note,
                                                    const char        *creator_id,
                                                    const char        *creator_name,
                                                    const char        *rights,
                                                    const char        *created);
/* Validates every field; errors (GLS_CORE_ERROR_INVALID) name the document
 * and the field. Accepts a tombstone (`_deleted: true`). Ignores `_rev`. */
GlsAnnotation     *gls_annotation_new_from_json    (JsonObject        *doc,
                                                    GError           **error);
/* Parses like gls_annotation_new_from_json and checks the document's
 * proof: without one the annotation is GLS_TRUST_UNVERIFIED; signed by
 * its creator, GLS_TRUST_VERIFIED; signed by someone else while its
 * creator is not a did:key (a person from another tool), IMPORTED by the
 * signer. Any other proof (one that does not verify, or a did:key creator
 * that did not sign) is GLS_CORE_ERROR_PROOF: someone speaking for
 * someone else. */
GlsAnnotation     *gls_annotation_new_verified     (JsonObject        *doc,
                                                    GError           **error);
/* The same with the proof already checked (gls_proof_verify's result: its
 * status, the signer when VALID, why when INVALID (nullable)). */
GlsAnnotation     *gls_annotation_new_checked      (JsonObject        *doc,
                                                    GlsProofStatus     status,
                                                    const char        *signer,
                                                    const char        *why,
                                                    GError           **error);
/* The full document, with `_id` (= `id`), and the `proof` it was read
 * with, if any. A tombstone gives its body plus `_id` and `_deleted`. */
JsonObject        *gls_annotation_to_json          (GlsAnnotation     *self);
/* What a deletion keeps: type, motivation, target, creator and created
 * (created keeps a deleted root's thread number and place). */
JsonObject        *gls_annotation_tombstone_body   (GlsAnnotation     *self);
/* A tombstone annotation for `self`, as the store will hand it back. */
GlsAnnotation     *gls_annotation_new_tombstone    (GlsAnnotation     *self);
/* Whether a store document is an annotation (by its `type`). */
gboolean           gls_annotation_json_is_annotation (JsonObject      *doc);

const char        *gls_annotation_get_id           (GlsAnnotation     *self);
GlsMotivation      gls_annotation_get_motivation   (GlsAnnotation     *self);
/* Body text; "resolved"/"open" for assessing; NULL for tombstones. */
const char        *gls_annotation_get_text         (GlsAnnotation     *self);
/* commenting, suggestions and reviews: the design ni URI; the selector
 * (NULL: whole design). */
const char        *gls_annotation_get_source       (GlsAnnotation     *self);
const GlsSelector *gls_annotation_get_selector     (GlsAnnotation     *self);
/* replying, editing, assessing: the target annotation's id. */
const char        *gls_annotation_get_target_id    (GlsAnnotation     *self);
const char        *gls_annotation_get_creator_id   (GlsAnnotation     *self);
const char        *gls_annotation_get_creator_name (GlsAnnotation     *self);
const char        *gls_annotation_get_created      (GlsAnnotation     *self);
/* Microseconds since the epoch of `created`, 0 if unknown. */
gint64             gls_annotation_get_created_usec (GlsAnnotation     *self);
const char        *gls_annotation_get_rights       (GlsAnnotation     *self);
/* assessing only */
gboolean           gls_annotation_get_resolved     (GlsAnnotation     *self);
/* A thread root: a comment, or a suggestion. */
gboolean           gls_annotation_is_root          (GlsAnnotation     *self);
gboolean           gls_annotation_is_suggestion    (GlsAnnotation     *self);
/* An assessment's decision on a suggestion (ACCEPTED, DECLINED) or of a
 * review (APPROVED, CHANGES_REQUESTED): NONE for "open"/"resolved". */
GlsDecision        gls_annotation_get_decision     (GlsAnnotation     *self);
/* An assessment of a design version (gls_annotation_get_source). */
gboolean           gls_annotation_is_review        (GlsAnnotation     *self);
/* A review's words, or NULL. */
const char        *gls_annotation_get_note         (GlsAnnotation     *self);
/* The ids of the people mentioned, or NULL. */
const char * const *gls_annotation_get_mentions    (GlsAnnotation     *self);
gboolean           gls_annotation_is_deleted       (GlsAnnotation     *self);

/* Set by gls_annotation_new_verified (else UNVERIFIED and NULL). */
GlsTrust           gls_annotation_get_trust        (GlsAnnotation     *self);
const char        *gls_annotation_get_signer       (GlsAnnotation     *self);
/* Whose changes count: the key that signed it, or, when unsigned, the
 * creator it names. */
const char        *gls_annotation_get_authority    (GlsAnnotation     *self);
/* Changes of this very document that were not counted: another revision
 * of it, or a deletion not signed by its signer. */
guint              gls_annotation_get_ignored_changes (GlsAnnotation  *self);
/* The order of "latest": created, then id. A GCompareFunc on pointers. */
int                gls_annotation_compare          (GlsAnnotation     *a,
                                                    GlsAnnotation     *b);

G_END_DECLS
