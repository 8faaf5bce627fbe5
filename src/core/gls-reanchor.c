/* gls-reanchor.c: a text thread made on one version, found in another
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-reanchor"

#include "config.h"

#include <string.h>

#include "gls-reanchor.h"

static const GlsPoPart string_parts[] = {
  GLS_PO_PART_MSGSTR, GLS_PO_PART_MSGID, GLS_PO_PART_MSGID_PLURAL, GLS_PO_PART_MSGCTXT,
};

/* The string part of message @index (and its form) that holds
 * [start, end) in the PO file's text. */
static gboolean
part_at (GlsPoFile *po,
         gint       index,
         gint64     start,
         gint64     end,
         GlsPoPart *out_part,
         guint     *out_form)
{
  const GlsPoMessage *message = gls_po_file_get_message (po, index);

  for (guint p = 0; p < G_N_ELEMENTS (string_parts); p++)
    {
      guint n_forms = string_parts[p] == GLS_PO_PART_MSGSTR ? gls_po_message_get_n_forms (message) : 1;

      for (guint form = 0; form < n_forms; form++)
        {
          gint64 s, e;

          if (gls_po_file_get_span (po, index, string_parts[p], form, &s, &e) && start >= s && end <= e)
            {
              *out_part = string_parts[p];
              *out_form = form;
              return TRUE;
            }
        }
    }
  return FALSE;
}

/* A string part's value, as a translator reads it. */
static gint64
value_length (GlsPoFile *po,
              gint       index,
              GlsPoPart  part,
              guint      form)
{
  const GlsPoMessage *message = gls_po_file_get_message (po, index);
  const char *value = NULL;

  switch (part)
    {
    case GLS_PO_PART_MSGSTR: value = gls_po_message_get_msgstr (message, form); break;
    case GLS_PO_PART_MSGID: value = gls_po_message_get_msgid (message); break;
    case GLS_PO_PART_MSGID_PLURAL: value = gls_po_message_get_msgid_plural (message); break;
    case GLS_PO_PART_MSGCTXT: value = gls_po_message_get_msgctxt (message); break;
    case GLS_PO_PART_ENTRY:
    default: break;
    }
  return value != NULL ? g_utf8_strlen (value, -1) : 0;
}

/* An offset in a part's span to one in its value; the span's end is
 * the value's end. */
static gint64
to_value (GlsPoFile *po,
          gint       index,
          GlsPoPart  part,
          guint      form,
          gint64     offset,
          gint64     span_end)
{
  if (offset >= span_end)
    return value_length (po, index, part, form);
  return gls_po_file_text_to_value (po, index, part, form, offset);
}

static char *
text_between (GlsTextIndex *index,
              gint64        start,
              gint64        end)
{
  const char *text = gls_text_index_get_text (index);
  gsize from = gls_text_index_to_byte (index, start);
  gsize to = gls_text_index_to_byte (index, end);

  return g_strndup (text + from, to - from);
}

/* The message-first way; FALSE when it does not apply (not a PO file,
 * no spans, the passage not in one string, the message gone). */
static gboolean
reanchor_po (GlsPoFile         *old_po,
             GlsPoFile         *po,
             const GlsSelector *selector,
             GlsAnchorState    *state,
             gint64            *out_start,
             gint64            *out_end)
{
  const GlsPoMessage *old_message;
  gint old_index, index;
  GlsPoPart part;
  guint form;
  gint64 v0, v1, start, end, old_length, length, s, e;
  g_autofree char *now = NULL;

  if (old_po == NULL || po == NULL || selector->start < 0 ||
      !gls_po_file_has_spans (old_po) || !gls_po_file_has_spans (po))
    return FALSE;
  old_index = gls_po_file_message_at (old_po, selector->start);
  if (old_index < 0 || !part_at (old_po, old_index, selector->start, selector->end, &part, &form))
    return FALSE;
  old_message = gls_po_file_get_message (old_po, old_index);
  index = gls_po_file_find (po, gls_po_message_get_msgctxt (old_message), gls_po_message_get_msgid (old_message));
  if (index < 0 || !gls_po_file_get_span (po, index, part, form, &s, &e))
    return FALSE;

  {
    gint64 old_s, old_e;

    gls_po_file_get_span (old_po, old_index, part, form, &old_s, &old_e);
    v0 = to_value (old_po, old_index, part, form, selector->start, old_e);
    v1 = to_value (old_po, old_index, part, form, selector->end, old_e);
    old_length = value_length (old_po, old_index, part, form);
    length = value_length (po, index, part, form);
    if (v0 < 0 || v1 < v0)
      return FALSE;

    /* A whole string stays whole (a suggestion on a whole translation);
     * else the same offsets, cut to the new value. */
    if (v0 == 0 && v1 == old_length)
      v1 = length;
    v1 = MIN (v1, length);
    v0 = MIN (v0, v1);
    start = v0 == 0 && selector->start <= old_s ? s : gls_po_file_value_to_text (po, index, part, form, v0);
    end = v1 == length && selector->end >= old_e ? e : gls_po_file_value_to_text (po, index, part, form, v1);
  }
  if (start < 0 || end < start)
    return FALSE;

  now = text_between (gls_po_file_get_index (po), start, end);
  if (selector->exact != NULL && g_strcmp0 (now, selector->exact) != 0)
    {
      /* The words elsewhere in the same string: moved with it. */
      g_autofree char *part_text = text_between (gls_po_file_get_index (po), s, e);
      const char *found = *selector->exact != '\0' ? strstr (part_text, selector->exact) : NULL;

      if (found != NULL)
        {
          start = s + g_utf8_pointer_to_offset (part_text, found);
          end = start + g_utf8_strlen (selector->exact, -1);
          g_free (now);
          now = g_strdup (selector->exact);
        }
    }
  if (selector->exact != NULL && g_strcmp0 (now, selector->exact) != 0)
    *state = GLS_ANCHOR_CHANGED;
  else if (start == selector->start && end == selector->end)
    *state = GLS_ANCHOR_IN_PLACE;
  else
    *state = GLS_ANCHOR_MOVED;
  *out_start = start;
  *out_end = end;
  return TRUE;
}

GlsAnchorState
gls_reanchor (GlsPoFile         *old_po,
              GlsTextIndex      *text,
              GlsPoFile         *po,
              const GlsSelector *selector,
              gint64            *out_start,
              gint64            *out_end)
{
  GlsAnchorState state;

  g_return_val_if_fail (text != NULL, GLS_ANCHOR_ORPHANED);
  g_return_val_if_fail (selector != NULL && selector->kind == GLS_SELECTOR_TEXT, GLS_ANCHOR_ORPHANED);

  if (reanchor_po (old_po, po, selector, &state, out_start, out_end))
    return state;
  return gls_text_anchor (text, selector, out_start, out_end);
}
