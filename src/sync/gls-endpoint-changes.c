/* gls-endpoint-changes.c: a peer's `_changes` answer read as text, without JSON trees
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-endpoint"

#include "config.h"

#include <string.h>

#include "gls-endpoint-private.h"
#include "gls-json-parser.h"
#include "gls-replicator.h"

/*
 * {"results":[{"id","changes":[{"rev"}…],"seq"?…}…],"last_seq"?,
 * "pending"?…}: the ids and revs go straight from the text into a
 * GlsStoreRevsList; last_seq, pending and the last row's seq (one value
 * each per answer) are parsed on their own. The text must be JSON by
 * gls_json_from_data's rules (the same strings, numbers, depth), and what
 * it says is read as a parser's tree would be: the last of duplicate
 * members counts, members may be escaped, unknown ones are skipped.
 */

typedef struct
{
  const char *q;  /* a value's text */
  const char *e;
} Span;

typedef struct
{
  const char *p;
  const char *end;
  GArray     *revs;  /* Span: a row's "rev" strings (q NULL: a change without one) */
} Scan;

static inline void
skip_ws (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
    s->p++;
}

/* Any value, at `depth` (the answer is at 1), as gls_json_from_data
 * checks it. */
static gboolean
skip_value (Scan  *s,
            guint  depth)
{
  return gls_json_skip_value (&s->p, s->end, depth);
}

/* A string's text, checked, quotes included: decoded (owned), or NULL
 * when it has no escape and its bytes between the quotes are the string. */
static char *
decode_string (const Span *span)
{
  g_autoptr(JsonNode) node = NULL;

  if (memchr (span->q + 1, '\\', span->e - span->q - 2) == NULL)
    return NULL;
  node = gls_json_from_data (span->q, span->e - span->q, NULL);
  g_assert (node != NULL && JSON_NODE_HOLDS_VALUE (node));
  return g_strdup (json_node_get_string (node));
}

static gboolean
key_is (const Span *key,
        const char *name)
{
  gsize n = strlen (name);
  g_autofree char *decoded = NULL;

  if ((gsize) (key->e - key->q) == n + 2 && memcmp (key->q + 1, name, n) == 0)
    return TRUE;
  /* An escaped name is the same member ("\u0069d" is "id"). */
  if ((gsize) (key->e - key->q) <= n + 2)
    return FALSE;
  decoded = decode_string (key);
  return decoded != NULL && strcmp (decoded, name) == 0;
}

/* At an object member's name: reads it into *key, then the ':'. */
static gboolean
read_key (Scan *s,
          Span *key)
{
  skip_ws (s);
  key->q = s->p;
  if (s->p >= s->end || *s->p != '"' || gls_json_check_string (&s->p, s->end) != NULL)
    return FALSE;
  key->e = s->p;
  skip_ws (s);
  if (s->p >= s->end || *s->p != ':')
    return FALSE;
  s->p++;
  return TRUE;
}

/* After a member's value: TRUE with *more when ',' follows, FALSE at a
 * syntax error. */
static gboolean
next_member (Scan     *s,
             char      close,
             gboolean *more)
{
  skip_ws (s);
  if (s->p >= s->end)
    return FALSE;
  if (*s->p == ',')
    {
      s->p++;
      *more = TRUE;
      return TRUE;
    }
  if (*s->p != close)
    return FALSE;
  s->p++;
  *more = FALSE;
  return TRUE;
}

/* A value at `depth`, its text into *span. */
static gboolean
read_value (Scan  *s,
            guint  depth,
            Span  *span)
{
  skip_ws (s);
  span->q = s->p;
  if (!skip_value (s, depth))
    return FALSE;
  span->e = s->p;
  return TRUE;
}

/* One element of "changes", at `depth`: its "rev" (a string) into
 * s->revs, or a Span without text. */
static gboolean
read_change (Scan  *s,
             guint  depth)
{
  Span rev = { NULL, NULL };
  gboolean more = TRUE;

  skip_ws (s);
  if (s->p >= s->end || depth > GLS_JSON_MAX_DEPTH)
    return FALSE;
  if (*s->p != '{')
    {
      g_array_append_val (s->revs, rev);
      return skip_value (s, depth);
    }
  s->p++;
  skip_ws (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      more = FALSE;
    }
  while (more)
    {
      Span key, value;

      if (!read_key (s, &key) || !read_value (s, depth + 1, &value))
        return FALSE;
      if (key_is (&key, "rev"))
        rev = value;
      if (!next_member (s, '}', &more))
        return FALSE;
    }
  if (rev.q != NULL && *rev.q != '"')
    rev.q = rev.e = NULL;
  g_array_append_val (s->revs, rev);
  return TRUE;
}

/* "changes": [change…] at `depth`. */
static gboolean
read_changes (Scan  *s,
              guint  depth)
{
  gboolean more = TRUE;

  g_array_set_size (s->revs, 0);
  s->p++;
  skip_ws (s);
  if (s->p < s->end && *s->p == ']')
    {
      s->p++;
      return TRUE;
    }
  while (more)
    {
      if (!read_change (s, depth + 1))
        return FALSE;
      if (!next_member (s, ']', &more))
        return FALSE;
    }
  return TRUE;
}

static void
add_string (GlsStoreRevsList *list,
            const Span       *span,
            gboolean          id)
{
  g_autofree char *decoded = decode_string (span);

  if (id)
    gls_store_revs_list_add_id (list, decoded ? decoded : span->q + 1,
                                decoded ? -1 : span->e - span->q - 2);
  else
    gls_store_revs_list_add_rev (list, decoded ? decoded : span->q + 1,
                                 decoded ? -1 : span->e - span->q - 2);
}

/* One row at `depth`, into `list` unless *bad (set at its first fault);
 * its "seq" into *seq (q NULL when it has none). */
static gboolean
read_row (Scan              *s,
          guint              depth,
          GlsStoreRevsList  *list,
          const char       **bad,
          Span              *seq)
{
  Span id = { NULL, NULL };
  gboolean changes = FALSE;
  gboolean more = TRUE;

  seq->q = seq->e = NULL;
  skip_ws (s);
  if (s->p >= s->end || depth > GLS_JSON_MAX_DEPTH)
    return FALSE;
  if (*s->p != '{')
    {
      if (*bad == NULL)
        *bad = "_changes (bad row)";
      return skip_value (s, depth);
    }
  s->p++;
  skip_ws (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      more = FALSE;
    }
  while (more)
    {
      Span key;

      if (!read_key (s, &key))
        return FALSE;
      skip_ws (s);
      if (key_is (&key, "changes"))
        {
          changes = s->p < s->end && *s->p == '[' && depth + 1 <= GLS_JSON_MAX_DEPTH;
          if (changes ? !read_changes (s, depth + 1) : !skip_value (s, depth + 1))
            return FALSE;
        }
      else
        {
          Span value;

          if (!read_value (s, depth + 1, &value))
            return FALSE;
          if (key_is (&key, "id"))
            id = value;
          else if (key_is (&key, "seq"))
            *seq = value;
        }
      if (!next_member (s, '}', &more))
        return FALSE;
    }

  if (*bad != NULL)
    return TRUE;
  if (id.q == NULL || *id.q != '"' || !changes)
    {
      *bad = "_changes (bad row)";
      return TRUE;
    }
  add_string (list, &id, TRUE);
  for (guint i = 0; i < s->revs->len; i++)
    {
      Span *rev = &g_array_index (s->revs, Span, i);

      if (rev->q == NULL)
        {
          *bad = "_changes (bad rev)";
          return TRUE;
        }
      add_string (list, rev, FALSE);
    }
  return TRUE;
}

/* "results": [row…] at `depth` (2). */
static gboolean
read_results (Scan              *s,
              guint              depth,
              GlsStoreRevsList  *list,
              const char       **bad,
              Span              *last_seq)
{
  gboolean more = TRUE;

  s->p++;
  skip_ws (s);
  if (s->p < s->end && *s->p == ']')
    {
      s->p++;
      return TRUE;
    }
  while (more)
    {
      if (!read_row (s, depth + 1, list, bad, last_seq))
        return FALSE;
      if (!next_member (s, ']', &more))
        return FALSE;
    }
  return TRUE;
}

static JsonNode *
span_parse (const Span *span)
{
  if (span->q == NULL)
    return NULL;
  return gls_json_from_data (span->q, span->e - span->q, NULL);
}

GlsEndpointChanges *
_gls_endpoint_changes_scan (const char  *text,
                            gsize        length,
                            gboolean    *malformed,
                            GError     **error)
{
  g_autoptr(GlsStoreRevsList) list = gls_store_revs_list_new ();
  g_autoptr(GArray) revs = g_array_new (FALSE, FALSE, sizeof (Span));
  g_autoptr(JsonNode) pending = NULL;
  g_autoptr(GlsEndpointChanges) changes = NULL;
  Scan s = { text, text + length, revs };
  Span last_seq = { NULL, NULL };
  Span pending_span = { NULL, NULL };
  Span row_seq = { NULL, NULL };
  const char *bad = NULL;
  gboolean results = FALSE;
  gboolean object;
  gboolean more = TRUE;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  *malformed = FALSE;
  skip_ws (&s);
  object = s.p < s.end && *s.p == '{';
  if (!object)
    {
      if (!skip_value (&s, 1))
        goto malformed;
    }
  else
    {
      s.p++;
      skip_ws (&s);
      if (s.p < s.end && *s.p == '}')
        {
          s.p++;
          more = FALSE;
        }
    }
  while (object && more)
    {
      Span key;

      if (!read_key (&s, &key))
        goto malformed;
      skip_ws (&s);
      if (key_is (&key, "results"))
        {
          /* The last "results" counts. */
          gls_store_revs_list_clear (list);
          bad = NULL;
          row_seq.q = row_seq.e = NULL;
          results = s.p < s.end && *s.p == '[';
          if (results ? !read_results (&s, 2, list, &bad, &row_seq) : !skip_value (&s, 2))
            goto malformed;
        }
      else if (key_is (&key, "last_seq"))
        {
          if (!read_value (&s, 2, &last_seq))
            goto malformed;
        }
      else if (key_is (&key, "pending"))
        {
          if (!read_value (&s, 2, &pending_span))
            goto malformed;
        }
      else if (!skip_value (&s, 2))
        goto malformed;
      if (!next_member (&s, '}', &more))
        goto malformed;
    }
  skip_ws (&s);
  if (s.p != s.end)
    goto malformed;

  if (!object)
    {
      g_propagate_error (error, _gls_endpoint_protocol_error ("_changes"));
      return NULL;
    }
  if (!results)
    {
      g_propagate_error (error, _gls_endpoint_protocol_error ("_changes (no results)"));
      return NULL;
    }
  if (bad != NULL)
    {
      g_propagate_error (error, _gls_endpoint_protocol_error (bad));
      return NULL;
    }

  changes = g_new0 (GlsEndpointChanges, 1);
  changes->rows = g_steal_pointer (&list);
  pending = span_parse (&pending_span);
  if (pending != NULL && JSON_NODE_HOLDS_VALUE (pending))
    {
      changes->has_pending = TRUE;
      /* As json_node_get_int reads it, a huge double clamped. */
      if (json_node_get_value_type (pending) == G_TYPE_DOUBLE)
        changes->pending = (gint64) CLAMP (json_node_get_double (pending), -9.2e18, 9.2e18);
      else
        changes->pending = json_node_get_int (pending);
    }
  changes->last_seq = span_parse (&last_seq);
  if (gls_store_revs_list_get_length (changes->rows) > 0
      && (changes->last_seq == NULL || JSON_NODE_HOLDS_NULL (changes->last_seq)))
    {
      g_clear_pointer (&changes->last_seq, json_node_unref);
      changes->last_seq = span_parse (&row_seq);
    }
  return g_steal_pointer (&changes);

malformed:
  *malformed = TRUE;
  g_set_error_literal (error, GLS_REPLICATOR_ERROR, GLS_REPLICATOR_ERROR_PROTOCOL,
                       "Unexpected answer to _changes: not JSON");
  return NULL;
}
