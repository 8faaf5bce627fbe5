/* gls-store-revs-list.c: document ids, each with a list of revisions, without JSON trees
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-store"

#include "config.h"

#include <string.h>

#include "gls-store.h"

/* The strings are NUL-terminated, one after another in `text`; entries
 * and revisions hold offsets into it, which stay valid when it grows. */
typedef struct
{
  gsize id;
  guint first_rev;
  guint n_revs;
} Entry;

struct _GlsStoreRevsList
{
  grefcount   ref_count;
  GByteArray *text;
  GArray     *entries;  /* Entry */
  GArray     *revs;     /* gsize: offsets into text */
};

GlsStoreRevsList *
gls_store_revs_list_new (void)
{
  GlsStoreRevsList *self = g_new0 (GlsStoreRevsList, 1);

  g_ref_count_init (&self->ref_count);
  self->text = g_byte_array_new ();
  self->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  self->revs = g_array_new (FALSE, FALSE, sizeof (gsize));
  return self;
}

GlsStoreRevsList *
gls_store_revs_list_ref (GlsStoreRevsList *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_ref_count_inc (&self->ref_count);
  return self;
}

void
gls_store_revs_list_unref (GlsStoreRevsList *self)
{
  if (self == NULL || !g_ref_count_dec (&self->ref_count))
    return;
  g_byte_array_unref (self->text);
  g_array_unref (self->entries);
  g_array_unref (self->revs);
  g_free (self);
}

static gsize
add_text (GlsStoreRevsList *self,
          const char       *s,
          gssize            length)
{
  gsize at = self->text->len;

  if (length < 0)
    length = strlen (s);
  g_byte_array_set_size (self->text, at + length + 1);
  memcpy (self->text->data + at, s, length);
  self->text->data[at + length] = '\0';
  return at;
}

void
gls_store_revs_list_add_id (GlsStoreRevsList *self,
                            const char       *id,
                            gssize            length)
{
  Entry entry;

  g_return_if_fail (self != NULL);
  g_return_if_fail (id != NULL);

  entry.id = add_text (self, id, length);
  entry.first_rev = self->revs->len;
  entry.n_revs = 0;
  g_array_append_val (self->entries, entry);
}

void
gls_store_revs_list_add_rev (GlsStoreRevsList *self,
                             const char       *rev,
                             gssize            length)
{
  gsize at;

  g_return_if_fail (self != NULL);
  g_return_if_fail (rev != NULL);
  g_return_if_fail (self->entries->len > 0);

  at = add_text (self, rev, length);
  g_array_append_val (self->revs, at);
  g_array_index (self->entries, Entry, self->entries->len - 1).n_revs++;
}

void
gls_store_revs_list_clear (GlsStoreRevsList *self)
{
  g_return_if_fail (self != NULL);

  g_byte_array_set_size (self->text, 0);
  g_array_set_size (self->entries, 0);
  g_array_set_size (self->revs, 0);
}

guint
gls_store_revs_list_get_length (GlsStoreRevsList *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->entries->len;
}

guint
gls_store_revs_list_get_n_all_revs (GlsStoreRevsList *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->revs->len;
}

const char *
gls_store_revs_list_get_id (GlsStoreRevsList *self,
                            guint             index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);

  return (const char *) self->text->data + g_array_index (self->entries, Entry, index).id;
}

guint
gls_store_revs_list_get_n_revs (GlsStoreRevsList *self,
                                guint             index)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (index < self->entries->len, 0);

  return g_array_index (self->entries, Entry, index).n_revs;
}

const char *
gls_store_revs_list_get_rev (GlsStoreRevsList *self,
                             guint             index,
                             guint             n)
{
  Entry *entry;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);
  entry = &g_array_index (self->entries, Entry, index);
  g_return_val_if_fail (n < entry->n_revs, NULL);

  return (const char *) self->text->data + g_array_index (self->revs, gsize, entry->first_rev + n);
}
