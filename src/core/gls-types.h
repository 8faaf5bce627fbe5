/* gls-types.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Vocabulary IRIs Glossa writes (see src/core/FORMAT.md). */
#define GLS_ANNO_CONTEXT        "http://www.w3.org/ns/anno.jsonld"
#define GLS_SCHEMA_CONTEXT      "https://schema.org"
#define GLS_DEFAULT_LICENSE     "https://creativecommons.org/licenses/by/4.0/"
#define GLS_GENERATOR_ID        "https://github.com/glossa/glossa"
#define GLS_GENERATOR_NAME      "Glossa"
#define GLS_MEDIA_FRAGMENTS_IRI "http://www.w3.org/TR/media-frags/"
#define GLS_RFC3778_IRI         "http://tools.ietf.org/rfc/rfc3778"

#define GLS_CORE_ERROR (gls_core_error_quark ())

typedef enum
{
  GLS_CORE_ERROR_INVALID,     /* a document or value breaks the format */
  GLS_CORE_ERROR_UNSUPPORTED, /* well-formed, but not something Glossa can use */
  GLS_CORE_ERROR_UNRESOLVED,  /* import: a target source no design answers to */
  GLS_CORE_ERROR_CORRUPT,     /* a file of ours (identity key) is damaged */
  GLS_CORE_ERROR_IO,          /* reading or writing a file failed */
  GLS_CORE_ERROR_PROOF,       /* a proof that does not verify, or not by the author */
} GlsCoreError;

/* Who vouches for a document's words. */
typedef enum
{
  GLS_TRUST_UNVERIFIED, /*< nick=unverified >*/ /* no proof: another tool, or Glossa 0.1 */
  GLS_TRUST_VERIFIED,   /*< nick=verified >*/   /* signed by its author */
  GLS_TRUST_IMPORTED,   /*< nick=imported >*/   /* by someone without a key, signed by who imported it */
} GlsTrust;

typedef enum
{
  GLS_MOTIVATION_COMMENTING, /*< nick=commenting >*/
  GLS_MOTIVATION_REPLYING,   /*< nick=replying >*/
  GLS_MOTIVATION_EDITING,    /*< nick=editing >*/
  GLS_MOTIVATION_ASSESSING,  /*< nick=assessing >*/
} GlsMotivation;

typedef enum
{
  GLS_DESIGN_KIND_OTHER,  /*< nick=other >*/  /* not displayable (yet) */
  GLS_DESIGN_KIND_RASTER, /*< nick=raster >*/ /* anything gdk-pixbuf loads */
  GLS_DESIGN_KIND_SVG,    /*< nick=svg >*/
  GLS_DESIGN_KIND_PDF,    /*< nick=pdf >*/
  GLS_DESIGN_KIND_TEXT,   /*< nick=text >*/   /* plain text, Markdown: UTF-8 */
  GLS_DESIGN_KIND_TRANSLATION, /*< nick=translation >*/ /* a gettext PO or POT file */
} GlsDesignKind;

/* What was decided: on a suggestion, the latest assessment of its
 * thread; on a design version, a reviewer's latest review of it. */
typedef enum
{
  GLS_DECISION_NONE,              /*< nick=none >*/
  GLS_DECISION_ACCEPTED,          /*< nick=accepted >*/
  GLS_DECISION_DECLINED,          /*< nick=declined >*/
  GLS_DECISION_APPROVED,          /*< nick=approved >*/
  GLS_DECISION_CHANGES_REQUESTED, /*< nick=changes-requested >*/
} GlsDecision;

/* Where a text thread's passage is in a text (gls_text_anchor). */
typedef enum
{
  GLS_ANCHOR_IN_PLACE, /*< nick=in-place >*/ /* the quote, at its recorded position */
  GLS_ANCHOR_MOVED,    /*< nick=moved >*/    /* the same quote, elsewhere */
  GLS_ANCHOR_CHANGED,  /*< nick=changed >*/  /* a passage like the quote: its text differs */
  GLS_ANCHOR_ORPHANED, /*< nick=orphaned >*/ /* nowhere to be found */
} GlsAnchorState;

GQuark      gls_core_error_quark       (void);

/* The W3C motivation keyword ("commenting", …). */
const char *gls_motivation_to_string   (GlsMotivation  motivation);
gboolean    gls_motivation_from_string (const char    *str,
                                        GlsMotivation *motivation);

G_END_DECLS
