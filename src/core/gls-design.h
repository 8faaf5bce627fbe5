/* gls-design.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "gls-types.h"

G_BEGIN_DECLS

/*
 * GlsDesign: the schema.org document of one version of a design file
 * (ImageObject or DigitalDocument). Immutable. The file's identity is its
 * content hash as an RFC 6920 URI, `ni:///sha-256;<base64url>`: the
 * `source` annotations target. The file itself is a CouchDB attachment the
 * workspace adds; to_json does not write `_attachments`.
 */

#define GLS_TYPE_DESIGN (gls_design_get_type ())

G_DECLARE_FINAL_TYPE (GlsDesign, gls_design, GLS, DESIGN, GObject)

/* A new design document with a fresh `urn:uuid:` id. `sha256` is 64
 * lowercase hex digits; `based_on` (nullable) is the previous version's id.
 * Returns NULL and GLS_CORE_ERROR_INVALID if a value is malformed. */
GlsDesign     *gls_design_new_for_file_info  (const char  *name,
                                              const char  *media_type,
                                              guint64      size,
                                              const char  *sha256,
                                              const char  *license,
                                              const char  *author_id,
                                              const char  *author_name,
                                              const char  *date_created,
                                              const char  *based_on,
                                              GError     **error);
/* The same, hashing `data`; `media_type` NULL means detect it. */
GlsDesign     *gls_design_new_for_bytes      (const char  *name,
                                              const char  *media_type,
                                              GBytes      *data,
                                              const char  *license,
                                              const char  *author_id,
                                              const char  *author_name,
                                              const char  *date_created,
                                              const char  *based_on,
                                              GError     **error);
/* Validates; ignores `_rev`, `_attachments` and other CouchDB fields. */
GlsDesign     *gls_design_new_from_json      (JsonObject  *doc,
                                              GError     **error);
/* The document with `_id`, without `_rev` or `_attachments`. */
JsonObject    *gls_design_to_json            (GlsDesign   *self);
/* Whether a store document is a design (by its `@type`). */
gboolean       gls_design_json_is_design     (JsonObject  *doc);

const char    *gls_design_get_id             (GlsDesign   *self);
const char    *gls_design_get_source         (GlsDesign   *self);
const char    *gls_design_get_name           (GlsDesign   *self);
const char    *gls_design_get_media_type     (GlsDesign   *self);
guint64        gls_design_get_size           (GlsDesign   *self);
const char    *gls_design_get_sha256         (GlsDesign   *self);
const char    *gls_design_get_license        (GlsDesign   *self);
const char    *gls_design_get_author_id      (GlsDesign   *self);
const char    *gls_design_get_author_name    (GlsDesign   *self);
const char    *gls_design_get_date_created   (GlsDesign   *self);
const char    *gls_design_get_based_on       (GlsDesign   *self);
GlsDesignKind  gls_design_get_kind           (GlsDesign   *self);

GlsDesignKind  gls_design_kind_for_media_type (const char *media_type);
/* `ni:///sha-256;<base64url without padding>` */
char          *gls_ni_uri_for_bytes          (GBytes      *data);
char          *gls_ni_uri_for_sha256         (const char  *sha256_hex);
char          *gls_sha256_for_bytes          (GBytes      *data);
/* image/png, image/jpeg, image/svg+xml, application/pdf, else what GIO
 * guesses (an image type gdk-pixbuf may load), else application/octet-stream. */
char          *gls_detect_media_type         (const char  *filename,
                                              GBytes      *data);

G_END_DECLS
