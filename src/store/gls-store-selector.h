/* gls-store-selector.h: CouchDB's Mango selectors
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * A selector as CouchDB's `_find` and `_changes?filter=_selector` take it
 * (https://docs.couchdb.org/en/stable/api/database/find.html#selector-syntax):
 * fields by dotted path ("target.source"; "\." for a dot in a name, a
 * number for an array index), implicit equality, nested objects, and the
 * operators $eq $ne $lt $lte $gt $gte $exists $type $in $nin $size $mod
 * $regex $all $elemMatch $allMatch $keyMapMatch $and $or $nor $not.
 *
 * As in CouchDB: a condition on a field the document does not have fails
 * (but $exists false); an array field is not searched element by element
 * unless asked ($elemMatch, $all, $in); values of different types compare
 * in CouchDB's collation order (null, false, true, numbers, strings,
 * arrays, objects). Strings compare by code point, not by ICU's Unicode
 * collation as CouchDB's do: "a" < "B" differs.
 */

typedef struct _GlsStoreSelector GlsStoreSelector;

/* NULL with GLS_STORE_ERROR_BAD_REQUEST when `selector` is not a selector
 * (not an object, an unknown operator, an argument of the wrong type, a
 * $regex that does not compile). */
GlsStoreSelector *gls_store_selector_new     (JsonNode          *selector,
                                              GError           **error);
GlsStoreSelector *gls_store_selector_ref     (GlsStoreSelector  *self);
void              gls_store_selector_unref   (GlsStoreSelector  *self);
gboolean          gls_store_selector_matches (GlsStoreSelector  *self,
                                              JsonObject        *doc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlsStoreSelector, gls_store_selector_unref)

G_END_DECLS
