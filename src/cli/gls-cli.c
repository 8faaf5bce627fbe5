/* gls-cli.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-cli"

#include "config.h"

#include <errno.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <unistd.h>

#include "gls-cli.h"
#include "gls-cli-report.h"
#include "gls-modules.h"
#include "gls-po.h"
#include "gls-reanchor.h"
#include "gls-render-api.h"
#include "gls-suggestions.h"
#include "gls-sync-api.h"
#include "gls-text.h"
#include "gls-types.h"
#include "gls-workspace.h"

/* Exit codes: 0 done, 1 the action failed, 2 the command line is wrong. */
#define EXIT_FAILED 1
#define EXIT_USAGE  2

/* glossa serve: the port when none is given. Fixed, so that share links
 * (and PouchDB's replication ids, derived from the URL) survive a restart;
 * CouchDB's own is 5984. */
#define SERVE_DEFAULT_PORT 5985

typedef struct
{
  /* Options every subcommand takes. */
  char      *data_dir;
  char      *workspace;
  gboolean   json;

  /* Options some take. */
  char      *text;
  char      *title;
  char      *version_of;
  char      *point;
  char      *rect;
  int        page;
  char      *quote;        /* comment on a text: the passage... */
  char      *prefix;       /* ...and what comes before and after it */
  char      *suffix;
  char      *chars;        /* or its code point range, START,END */
  char      *message;      /* suggest on a PO file: the message's source... */
  char      *context;      /* ...and context */
  char      *output;
  char      *design;
  char      *bind;
  int        port;
  gboolean   read_only_key;
  gboolean   http;         /* serve: plain HTTP */
  char     **workspaces;   /* serve: --workspace, repeatable */
  gboolean   pull;
  gboolean   push;
  gboolean   live;
  gboolean   annotated_pdf; /* report */

  char     **args;
} Options;

typedef int (*CommandFunc) (GlsWorkspace *workspace,
                            Options      *options,
                            GError      **error);

typedef struct
{
  const char  *name;
  const char  *usage;
  const char  *summary;
  guint        n_args_min;
  guint        n_args_max;
  CommandFunc  func;
  const char  *const *extra; /* which of the optional options apply */
  gboolean     many_workspaces; /* serves several: --workspace repeats (serve) */
  /* Reads only what it needs (gls_workspace_open_partial): its designs
   * and people, and (list) one design's threads; list with a design only. */
  gboolean     partial;
  /* Runs in the glossa-sync module, which opens its own workspaces
   * (serve, sync). */
  gboolean     in_sync_module;
} Command;

static void
options_clear (Options *options)
{
  g_free (options->data_dir);
  g_free (options->workspace);
  g_free (options->text);
  g_free (options->title);
  g_free (options->version_of);
  g_free (options->point);
  g_free (options->rect);
  g_free (options->quote);
  g_free (options->prefix);
  g_free (options->suffix);
  g_free (options->chars);
  g_free (options->message);
  g_free (options->context);
  g_free (options->output);
  g_free (options->design);
  g_free (options->bind);
  g_strfreev (options->workspaces);
  g_strfreev (options->args);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* Output */

static void
print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
print_json_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  print_json (node);
}

static char *
first_line (const char *text,
            guint       max_chars)
{
  const char *end = strpbrk (text, "\r\n");
  g_autofree char *line = end ? g_strndup (text, end - text) : g_strdup (text);

  if (g_utf8_strlen (line, -1) > max_chars)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, max_chars - 1);
      return g_strconcat (cut, "…", NULL);
    }

  return g_steal_pointer (&line);
}

static const char *
short_id (const char *id)
{
  if (g_str_has_prefix (id, "urn:uuid:"))
    return id + strlen ("urn:uuid:");
  return id;
}

static const char *
trust_nick (GlsTrust trust)
{
  switch (trust)
    {
    case GLS_TRUST_VERIFIED: return "verified";
    case GLS_TRUST_IMPORTED: return "imported";
    case GLS_TRUST_UNVERIFIED:
    default: return "unverified";
    }
}

static const char *
anchor_nick (GlsAnchorState state)
{
  switch (state)
    {
    case GLS_ANCHOR_IN_PLACE: return "in-place";
    case GLS_ANCHOR_MOVED: return "moved";
    case GLS_ANCHOR_CHANGED: return "changed";
    case GLS_ANCHOR_ORPHANED:
    default: return "orphaned";
    }
}

/* Where a text thread's passage is in its design's text. */
typedef struct
{
  GlsAnchorState state;
  gint64         start;
  gint64         end;
  guint          line;   /* from 1; 0 when orphaned */
} TextAnchor;

static void
anchor_thread (GlsPoFile    *old_po,
               GlsTextIndex *index,
               GlsPoFile    *po,
               GlsThread    *thread,
               TextAnchor   *anchor)
{
  const GlsSelector *selector = gls_thread_get_selector (thread);
  const char *text = gls_text_index_get_text (index);
  gsize byte;

  anchor->state = gls_reanchor (old_po, index, po, selector, &anchor->start, &anchor->end);
  anchor->line = 0;
  if (anchor->state == GLS_ANCHOR_ORPHANED)
    return;
  byte = gls_text_index_to_byte (index, anchor->start);
  anchor->line = 1;
  for (const char *p = text; (p = memchr (p, '\n', text + byte - p)) != NULL; p++)
    anchor->line++;
}

static JsonObject *
thread_to_json (GlsThread        *thread,
                const TextAnchor *anchor,
                GlsDesign        *version,
                guint             version_number)
{
  JsonObject *object = json_object_new ();
  JsonArray *comments = json_array_new ();
  GListModel *model = gls_thread_get_comments (thread);
  const GlsSelector *selector = gls_thread_get_selector (thread);

  json_object_set_string_member (object, "id", gls_thread_get_root_id (thread));
  json_object_set_int_member (object, "number", gls_thread_get_number (thread));
  /* A thread carried from an earlier version says which. */
  if (version != NULL)
    {
      json_object_set_int_member (object, "version", version_number);
      json_object_set_string_member (object, "design", gls_design_get_id (version));
    }
  json_object_set_string_member (object, "status", gls_thread_get_resolved (thread) ? "resolved" : "open");
  if (gls_thread_is_suggestion (thread))
    {
      const char *decisions[] = { "none", "accepted", "declined" };

      json_object_set_boolean_member (object, "suggestion", TRUE);
      json_object_set_string_member (object, "replacement", gls_thread_get_text (thread));
      json_object_set_string_member (object, "decision", decisions[gls_thread_get_decision (thread)]);
    }
  if (selector != NULL && selector->kind == GLS_SELECTOR_TEXT)
    {
      if (selector->exact != NULL)
        json_object_set_string_member (object, "quote", selector->exact);
      if (selector->start >= 0)
        {
          json_object_set_int_member (object, "start", selector->start);
          json_object_set_int_member (object, "end", selector->end);
        }
      if (anchor != NULL)
        {
          JsonObject *where = json_object_new ();

          json_object_set_string_member (where, "state", anchor_nick (anchor->state));
          if (anchor->state != GLS_ANCHOR_ORPHANED)
            {
              json_object_set_int_member (where, "start", anchor->start);
              json_object_set_int_member (where, "end", anchor->end);
              json_object_set_int_member (where, "line", anchor->line);
            }
          json_object_set_object_member (object, "anchor", where);
        }
    }
  else if (selector != NULL && selector->kind != GLS_SELECTOR_NONE)
    {
      g_autofree char *fragment = gls_selector_to_fragment (selector, NULL);
      json_object_set_string_member (object, "selector", fragment);
    }
  if (gls_thread_get_page (thread) > 0)
    json_object_set_int_member (object, "page", gls_thread_get_page (thread));
  json_object_set_int_member (object, "replies", gls_thread_get_reply_count (thread));

  for (guint i = 0, n = g_list_model_get_n_items (model); i < n; i++)
    {
      g_autoptr(GlsComment) comment = g_list_model_get_item (model, i);
      JsonObject *c = json_object_new ();

      json_object_set_string_member (c, "id", gls_comment_get_id (comment));
      json_object_set_string_member (c, "author", gls_comment_get_author_name (comment));
      json_object_set_string_member (c, "authorId", gls_comment_get_author_id (comment));
      json_object_set_string_member (c, "created", gls_comment_get_created (comment));
      json_object_set_string_member (c, "text", gls_comment_get_text (comment));
      json_object_set_boolean_member (c, "edited", gls_comment_get_edited (comment));
      json_object_set_boolean_member (c, "deleted", gls_comment_get_deleted (comment));
      /* Who vouches for the words: "verified" (their author signed them),
       * "imported" (signed by signedBy), or "unverified" (no proof). */
      json_object_set_string_member (c, "trust", trust_nick (gls_comment_get_trust (comment)));
      if (gls_comment_get_signer (comment) != NULL)
        json_object_set_string_member (c, "signedBy", gls_comment_get_signer (comment));
      if (gls_comment_get_ignored_changes (comment) > 0)
        json_object_set_int_member (c, "ignoredChanges", gls_comment_get_ignored_changes (comment));
      json_array_add_object_element (comments, c);
    }
  json_object_set_array_member (object, "comments", comments);

  return object;
}

/* Parsing */

static gboolean
parse_numbers (const char  *option,
               const char  *value,
               double      *out,
               guint        n,
               GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (value, ",", -1);

  if (g_strv_length (parts) != n)
    goto fail;

  for (guint i = 0; i < n; i++)
    {
      char *end = NULL;

      out[i] = g_ascii_strtod (g_strstrip (parts[i]), &end);
      if (end == parts[i] || *end != '\0' || !isfinite (out[i]) || out[i] < 0)
        goto fail;
    }

  return TRUE;

fail:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("%s takes %u non-negative numbers separated by commas, not “%s”"),
               option, n, value);
  return FALSE;
}

static gboolean
selector_from_options (Options      *options,
                       GlsSelector  *selector,
                       GError      **error)
{
  double v[4];

  *selector = (GlsSelector) { GLS_SELECTOR_NONE, 0, 0, 0, 0, 0 };

  if ((options->point != NULL) + (options->rect != NULL) + (options->quote != NULL) +
      (options->chars != NULL) > 1)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Give one of --point, --rect, --quote and --chars"));
      return FALSE;
    }
  if ((options->prefix != NULL || options->suffix != NULL) && options->quote == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--prefix and --suffix go with --quote"));
      return FALSE;
    }

  if (options->point != NULL)
    {
      if (!parse_numbers ("--point", options->point, v, 2, error))
        return FALSE;
      *selector = (GlsSelector) { GLS_SELECTOR_POINT, 0, v[0], v[1], 0, 0 };
    }
  else if (options->rect != NULL)
    {
      if (!parse_numbers ("--rect", options->rect, v, 4, error))
        return FALSE;
      if (v[2] <= 0 || v[3] <= 0)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("--rect needs a width and a height above zero"));
          return FALSE;
        }
      *selector = (GlsSelector) { GLS_SELECTOR_RECT, 0, v[0], v[1], v[2], v[3] };
    }

  if (options->page < 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--page counts from 1"));
      return FALSE;
    }
  selector->page = options->page;

  return TRUE;
}

/* Commands */

static int
print_annotation (Options       *options,
                  GlsAnnotation *annotation)
{
  if (options->json)
    {
      g_autoptr(JsonObject) doc = gls_annotation_to_json (annotation);
      print_json_object (doc);
    }
  else
    {
      g_print ("%s\n", gls_annotation_get_id (annotation));
    }

  return 0;
}

static int
cmd_add (GlsWorkspace  *workspace,
         Options       *options,
         GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (options->args[0]);
  g_autoptr(GlsDesign) design = NULL;

  design = gls_workspace_add_design (workspace, file, options->title, options->version_of, error);
  if (design == NULL)
    return EXIT_FAILED;

  if (options->json)
    {
      g_autoptr(JsonObject) doc = gls_design_to_json (design);
      print_json_object (doc);
    }
  else
    {
      g_print ("%s\n", gls_design_get_id (design));
    }

  return 0;
}

/* A text design's decoded text, with its index; NULL with an error for
 * other designs or a file that is not text. */
static GlsTextIndex *
load_design_text (GlsWorkspace  *workspace,
                  GlsDesign     *design,
                  char         **out_text,
                  GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  gsize length;

  if (gls_design_get_kind (design) != GLS_DESIGN_KIND_TEXT &&
      gls_design_get_kind (design) != GLS_DESIGN_KIND_TRANSLATION)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a text file: comment on it with --point, --rect or --page"),
                   gls_design_get_name (design));
      return NULL;
    }
  if (!(bytes = gls_workspace_load_design_file (workspace, gls_design_get_id (design), error)) ||
      !(text = gls_text_decode (bytes, &length, error)))
    return NULL;

  *out_text = g_steal_pointer (&text);
  return gls_text_index_new (*out_text, length);
}

/* --quote (with --prefix, --suffix) or --chars: a passage of a text. */
static gboolean
text_selector_from_options (GlsWorkspace  *workspace,
                            Options       *options,
                            GlsSelector   *selector,
                            GError       **error)
{
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GlsTextIndex) index = NULL;
  g_autofree char *text = NULL;

  if (!(design = gls_workspace_find_design (workspace, options->args[0], error)) ||
      !(index = load_design_text (workspace, design, &text, error)))
    return FALSE;

  if (options->quote != NULL)
    return gls_text_select_quote (index, options->quote, options->prefix, options->suffix,
                                  selector, error);

  {
    double v[2];

    if (!parse_numbers ("--chars", options->chars, v, 2, error))
      return FALSE;
    if (v[0] != floor (v[0]) || v[1] != floor (v[1]) || v[1] <= v[0] ||
        v[1] > gls_text_index_get_length (index) ||
        !gls_text_select_range (index, (gint64) v[0], (gint64) v[1], selector))
      {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     _("--chars needs whole numbers START,END with START < END ≤ %lld, "
                       "the length of “%s” in characters"),
                     (long long) gls_text_index_get_length (index), gls_design_get_name (design));
        return FALSE;
      }
  }
  return TRUE;
}

static int
cmd_comment (GlsWorkspace  *workspace,
             Options       *options,
             GError       **error)
{
  g_autoptr(GlsAnnotation) annotation = NULL;
  g_auto(GlsSelector) selector = { 0, };

  if (!selector_from_options (options, &selector, error))
    return EXIT_USAGE;

  if (!gls_workspace_load_design (workspace, options->args[0], error))
    return EXIT_FAILED;
  if ((options->quote != NULL || options->chars != NULL) &&
      !text_selector_from_options (workspace, options, &selector, error))
    return EXIT_FAILED;
  annotation = gls_workspace_comment (workspace, options->args[0], &selector, options->text, error);
  if (annotation == NULL)
    return EXIT_FAILED;

  return print_annotation (options, annotation);
}

/* --message MSGID [--context CTX]: the whole translation of a message. */
static gboolean
message_selector_from_options (GlsWorkspace  *workspace,
                               Options       *options,
                               GlsSelector   *selector,
                               GError       **error)
{
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GlsPoFile) po = NULL;
  gint64 start, end;
  gint index;

  if (!(design = gls_workspace_find_design (workspace, options->args[0], error)))
    return FALSE;
  if (gls_design_get_kind (design) != GLS_DESIGN_KIND_TRANSLATION)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a PO file: --message names a message of one"), gls_design_get_name (design));
      return FALSE;
    }
  if (!(bytes = gls_workspace_load_design_file (workspace, gls_design_get_id (design), error)) ||
      !(po = gls_po_file_new_from_bytes (bytes, error)))
    return FALSE;
  index = gls_po_file_find (po, options->context, options->message);
  if (index < 0)
    {
      if (options->context != NULL)
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     _("No message “%s” with context “%s” in “%s”"), options->message, options->context,
                     gls_design_get_name (design));
      else
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     _("No message “%s” in “%s”"), options->message, gls_design_get_name (design));
      return FALSE;
    }
  if (!gls_po_file_get_span (po, index, GLS_PO_PART_MSGSTR, 0, &start, &end) ||
      !gls_text_select_range (gls_po_file_get_index (po), start, end, selector))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Glossa cannot tell where the translation of “%s” is in the file"), options->message);
      return FALSE;
    }
  return TRUE;
}

static int
cmd_suggest (GlsWorkspace  *workspace,
             Options       *options,
             GError       **error)
{
  g_autoptr(GlsAnnotation) annotation = NULL;
  g_auto(GlsSelector) selector = { 0, };

  if ((options->quote != NULL) + (options->chars != NULL) + (options->message != NULL) != 1)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Say what to change with one of --quote, --chars and --message"));
      return EXIT_USAGE;
    }
  if (options->context != NULL && options->message == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("--context goes with --message"));
      return EXIT_USAGE;
    }
  if (!selector_from_options (options, &selector, error))
    return EXIT_USAGE;

  if (!gls_workspace_load_design (workspace, options->args[0], error))
    return EXIT_FAILED;
  if (options->message != NULL
      ? !message_selector_from_options (workspace, options, &selector, error)
      : !text_selector_from_options (workspace, options, &selector, error))
    return EXIT_FAILED;
  annotation = gls_workspace_suggest (workspace, options->args[0], &selector, options->text, error);
  if (annotation == NULL)
    return EXIT_FAILED;

  return print_annotation (options, annotation);
}

static int
decide (GlsWorkspace  *workspace,
        Options       *options,
        gboolean       accepted,
        GError       **error)
{
  g_autoptr(GlsAnnotation) annotation = NULL;

  annotation = gls_workspace_decide (workspace, options->args[0], accepted, error);
  if (annotation == NULL)
    return EXIT_FAILED;

  return print_annotation (options, annotation);
}

static int
cmd_accept (GlsWorkspace  *workspace,
            Options       *options,
            GError       **error)
{
  return decide (workspace, options, TRUE, error);
}

static int
cmd_decline (GlsWorkspace  *workspace,
             Options       *options,
             GError       **error)
{
  return decide (workspace, options, FALSE, error);
}

/* A review of a design version (asking for changes needs --text, as
 * every command that takes it but approve). */
static int
review (GlsWorkspace  *workspace,
        Options       *options,
        GlsDecision    decision,
        GError       **error)
{
  g_autoptr(GlsAnnotation) annotation = NULL;

  if (!gls_workspace_load_design (workspace, options->args[0], error))
    return EXIT_FAILED;
  annotation = gls_workspace_review (workspace, options->args[0], decision, options->text, error);
  if (annotation == NULL)
    return EXIT_FAILED;

  return print_annotation (options, annotation);
}

static int
cmd_approve (GlsWorkspace  *workspace,
             Options       *options,
             GError       **error)
{
  return review (workspace, options, GLS_DECISION_APPROVED, error);
}

static int
cmd_request_changes (GlsWorkspace  *workspace,
                     Options       *options,
                     GError       **error)
{
  return review (workspace, options, GLS_DECISION_CHANGES_REQUESTED, error);
}

static JsonObject *
review_to_json (const GlsReview *review)
{
  JsonObject *obj = json_object_new ();
  GlsAnnotation *a = review->annotation;

  json_object_set_string_member (obj, "id", gls_annotation_get_id (a));
  json_object_set_string_member (obj, "reviewer", review->reviewer);
  json_object_set_string_member (obj, "name", review->name);
  json_object_set_string_member (obj, "decision", gls_annotation_get_text (a));
  if (gls_annotation_get_note (a) != NULL)
    json_object_set_string_member (obj, "text", gls_annotation_get_note (a));
  json_object_set_string_member (obj, "created", gls_annotation_get_created (a));
  return obj;
}

/* The reviews of @source among @reviews (sorted by source). */
static GPtrArray *
reviews_of (GPtrArray  *reviews,
            const char *source)
{
  GPtrArray *of = g_ptr_array_new ();

  for (guint i = 0; reviews != NULL && i < reviews->len; i++)
    {
      GlsReview *review = g_ptr_array_index (reviews, i);

      if (g_strcmp0 (gls_annotation_get_source (review->annotation), source) == 0)
        g_ptr_array_add (of, review);
    }
  return of;
}

/* The accepted suggestions, applied: a new version of the design, and
 * the file with -o. Exit 1 when some could not apply, naming them. */
static int
cmd_apply (GlsWorkspace  *workspace,
           Options       *options,
           GError       **error)
{
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GlsAppliedSuggestions) applied = NULL;
  GPtrArray *failures;

  if (!(design = gls_workspace_find_design (workspace, options->args[0], error)) ||
      !(applied = gls_workspace_apply_into_version (workspace, gls_design_get_id (design), error)))
    return EXIT_FAILED;

  failures = applied->failures;
  for (guint i = 0; i < failures->len; i++)
    {
      GlsSuggestionFailure *failure = g_ptr_array_index (failures, i);

      /* Translators: "Suggestion #3 (urn:uuid:…) was not applied: it overlaps suggestion #1" */
      g_printerr (_("Suggestion #%u (%s) was not applied: %s\n"), gls_thread_get_number (failure->thread),
                  gls_thread_get_root_id (failure->thread), failure->reason);
    }
  if (applied->version == NULL)
    {
      if (failures->len == 0)
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     _("“%s” has no accepted suggestions to apply"), gls_design_get_name (design));
      else
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     _("None of the accepted suggestions on “%s” could be applied"), gls_design_get_name (design));
      return EXIT_FAILED;
    }

  if (options->output != NULL &&
      !g_file_set_contents (options->output, g_bytes_get_data (applied->bytes, NULL),
                            g_bytes_get_size (applied->bytes), error))
    return EXIT_FAILED;

  if (options->json)
    {
      g_autoptr(JsonObject) doc = gls_design_to_json (applied->version);

      json_object_set_int_member (doc, "applied", applied->n_applied);
      json_object_set_int_member (doc, "failed", failures->len);
      print_json_object (doc);
    }
  else
    g_print ("%s\n", gls_design_get_id (applied->version));

  return failures->len > 0 ? EXIT_FAILED : 0;
}

static int
cmd_reply (GlsWorkspace  *workspace,
           Options       *options,
           GError       **error)
{
  g_autoptr(GlsAnnotation) annotation = NULL;

  annotation = gls_workspace_reply (workspace, options->args[0], options->text, error);
  if (annotation == NULL)
    return EXIT_FAILED;

  return print_annotation (options, annotation);
}

static int
cmd_edit (GlsWorkspace  *workspace,
          Options       *options,
          GError       **error)
{
  g_autoptr(GlsAnnotation) annotation = NULL;

  annotation = gls_workspace_edit (workspace, options->args[0], options->text, error);
  if (annotation == NULL)
    return EXIT_FAILED;

  return print_annotation (options, annotation);
}

static int
set_resolved (GlsWorkspace  *workspace,
              Options       *options,
              gboolean       resolved,
              GError       **error)
{
  g_autoptr(GlsAnnotation) annotation = NULL;

  annotation = gls_workspace_set_resolved (workspace, options->args[0], resolved, error);
  if (annotation == NULL)
    return EXIT_FAILED;

  return print_annotation (options, annotation);
}

static int
cmd_resolve (GlsWorkspace  *workspace,
             Options       *options,
             GError       **error)
{
  return set_resolved (workspace, options, TRUE, error);
}

static int
cmd_reopen (GlsWorkspace  *workspace,
            Options       *options,
            GError       **error)
{
  return set_resolved (workspace, options, FALSE, error);
}

static int
cmd_delete (GlsWorkspace  *workspace,
            Options       *options,
            GError       **error)
{
  return gls_workspace_delete (workspace, options->args[0], error) ? 0 : EXIT_FAILED;
}

/* The whole design: my versions deleted for everyone, others' hidden
 * here (gls_workspace_remove_design). */
static int
cmd_remove (GlsWorkspace  *workspace,
            Options       *options,
            GError       **error)
{
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GlsDesignRemoval) removal = NULL;
  const char *name;
  guint n_hidden;

  if (!gls_workspace_load_design (workspace, options->args[0], error) ||
      !(design = gls_workspace_find_design (workspace, options->args[0], error)) ||
      !(removal = gls_workspace_remove_design (workspace, gls_design_get_id (design), TRUE, error)))
    return EXIT_FAILED;
  name = gls_design_get_name (design);
  n_hidden = g_strv_length (removal->hidden);
  if (removal->n_deleted > 0)
    g_print (ngettext ("Deleted “%s” for everyone (%u version of yours); its comments are kept\n",
                       "Deleted “%s” for everyone (%u versions of yours); its comments are kept\n",
                       removal->n_deleted), name, removal->n_deleted);
  if (n_hidden > 0)
    g_print (ngettext ("Hid “%s” on this computer only (%u version by someone else)\n",
                       "Hid “%s” on this computer only (%u versions by others)\n", n_hidden),
             name, n_hidden);
  if (removal->n_deleted == 0 && n_hidden == 0)
    g_print (_("“%s” was hidden already\n"), name);
  return 0;
}

static int
list_designs (GlsWorkspace *workspace,
              Options      *options)
{
  GListModel *designs = gls_workspace_get_designs (workspace);
  guint n = g_list_model_get_n_items (designs);
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(GError) error = NULL;

  if (n > 0 && !(reviews = gls_workspace_list_reviews (workspace, NULL, &error)))
    g_printerr (_("Cannot read the reviews: %s\n"), error->message);

  if (options->json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GlsDesign) design = g_list_model_get_item (designs, i);
          g_autoptr(GListModel) threads = gls_workspace_get_threads (workspace, gls_design_get_source (design));
          JsonObject *doc = gls_design_to_json (design);
          g_autoptr(GPtrArray) of = reviews_of (reviews, gls_design_get_source (design));
          JsonArray *list = json_array_new ();

          json_object_set_int_member (doc, "threads", g_list_model_get_n_items (threads));
          for (guint r = 0; r < of->len; r++)
            json_array_add_object_element (list, review_to_json (g_ptr_array_index (of, r)));
          json_object_set_array_member (doc, "reviews", list);
          json_array_add_object_element (array, doc);
        }
      json_node_take_array (node, array);
      print_json (node);
      return 0;
    }

  if (n == 0)
    {
      g_print ("%s\n", _("No designs yet. Add one with “glossa add FILE”."));
      return 0;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsDesign) design = g_list_model_get_item (designs, i);
      g_autoptr(GListModel) threads = gls_workspace_get_threads (workspace, gls_design_get_source (design));
      g_autofree char *size = g_format_size (gls_design_get_size (design));
      guint n_threads = g_list_model_get_n_items (threads);

      g_autoptr(GPtrArray) of = reviews_of (reviews, gls_design_get_source (design));
      g_autofree char *summary = gls_reviews_summary (of);

      /* TRANSLATORS: one design in "glossa list": id, name, type, size, thread count */
      g_print (ngettext ("%.8s  %s  (%s, %s, %u thread)", "%.8s  %s  (%s, %s, %u threads)", n_threads),
               short_id (gls_design_get_id (design)), gls_design_get_name (design),
               gls_design_get_media_type (design), size, n_threads);
      if (summary != NULL)
        g_print ("  %s", summary);
      g_print ("\n");
    }

  return 0;
}

/* " on “quote” [moved, line 12]" */
static void
print_text_anchor (GlsTextIndex      *index,
                   const GlsSelector *selector,
                   const TextAnchor  *anchor)
{
  g_autofree char *quote = first_line (selector->exact != NULL ? selector->exact : "", 40);

  if (selector->exact != NULL)
    /* Translators: the passage a thread is on, after its first comment */
    g_print (_(" on “%s”"), quote);
  switch (anchor->state)
    {
    case GLS_ANCHOR_IN_PLACE:
      g_print (_(" [line %u]"), anchor->line);
      break;
    case GLS_ANCHOR_MOVED:
      g_print (_(" [moved, line %u]"), anchor->line);
      break;
    case GLS_ANCHOR_CHANGED:
      {
        const char *text = gls_text_index_get_text (index);
        gsize from = gls_text_index_to_byte (index, anchor->start);
        gsize to = gls_text_index_to_byte (index, anchor->end);
        g_autofree char *now_text = g_strndup (text + from, to - from);
        g_autofree char *now = first_line (now_text, 40);

        /* Translators: the quoted passage changed; %s is what is there now */
        g_print (_(" [changed, line %u: now “%s”]"), anchor->line, now);
      }
      break;
    case GLS_ANCHOR_ORPHANED:
    default:
      g_print (_(" [orphaned: not found in the text]"));
      break;
    }
}

/* A thread as list shows it: of this version, or carried from an
 * earlier one (version_number from 1, the oldest). */
typedef struct
{
  GlsThread  *thread;
  GlsDesign  *version;        /* NULL: the design listed */
  guint       version_number;
  TextAnchor  anchor;
  gboolean    anchored;
  /* an image, SVG or PDF thread carried from an earlier version */
  gboolean    rendered;
  GlsChange   change;
  GlsSelector mapped;         /* where it is on the version listed */
} ListRow;

/* The drawing module (gls-render-api.h), loaded the first time a command
 * needs it; NULL with @error when it cannot be. */
static const GlsRenderApi *
render_api (GError **error)
{
  static const GlsRenderApi *api;
  GlsRenderGetApi get_api = NULL;
  GModule *module;

  if (api != NULL)
    return api;
  if (!(module = gls_module_open (GLS_RENDER_MODULE, "GLOSSA_RENDER_MODULE", error)))
    return NULL;
  if (!g_module_symbol (module, GLS_RENDER_MODULE_SYMBOL, (gpointer *) &get_api) ||
      get_api () == NULL || get_api ()->api_version != GLS_RENDER_API_VERSION ||
      get_api ()->size < sizeof (GlsRenderApi))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   /* Translators: %s is the name of a file of the program */
                   _("%s is not the drawing module of this Glossa"), g_module_name (module));
      return NULL;
    }
  api = get_api ();
  return api;
}

/* Whether the design changed under each carried thread: each earlier
 * version is compared with the one listed. Without the drawing module, or
 * when a version cannot be drawn, the change stays unknown (and says why
 * once). */
static void
detect_carried_changes (GlsWorkspace *workspace,
                        GlsDesign    *design,
                        GArray       *rows)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) current = NULL;
  const GlsRenderApi *api;
  GlsDesign *paired = NULL;
  GlsRenderPair *pair = NULL;

  if (!(api = render_api (&error)) ||
      !(current = gls_workspace_load_design_file (workspace, gls_design_get_id (design), &error)))
    {
      g_printerr (_("Cannot tell which threads the design changed under: %s\n"), error->message);
      return;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      ListRow *row = &g_array_index (rows, ListRow, i);
      g_autoptr(GError) local_error = NULL;

      if (!row->rendered)
        continue;
      if (row->version != paired)
        {
          g_autoptr(GBytes) older = NULL;

          g_clear_pointer (&pair, api->pair_free);
          paired = row->version;
          older = gls_workspace_load_design_file (workspace, gls_design_get_id (paired), &local_error);
          if (older != NULL)
            pair = api->pair_new (older, gls_design_get_media_type (paired),
                                  current, gls_design_get_media_type (design), &local_error);
          if (pair == NULL)
            /* Translators: a version of a design that could not be compared, and why */
            g_printerr (_("Cannot compare version %u with this one: %s\n"),
                        row->version_number, local_error->message);
          g_clear_error (&local_error);
        }
      if (pair != NULL)
        row->change = api->pair_detect (pair, gls_thread_get_selector (row->thread), &row->mapped, &local_error);
      if (local_error != NULL)
        g_printerr (_("Cannot tell whether the design changed under thread %u: %s\n"),
                    gls_thread_get_number (row->thread), local_error->message);
    }
  g_clear_pointer (&pair, api->pair_free);
}


/* A text version's text, its index and (PO) its messages. */
typedef struct
{
  char         *text;
  GlsTextIndex *index;
  GlsPoFile    *po;
} VersionText;

static void
version_text_clear (VersionText *vt)
{
  g_clear_pointer (&vt->index, gls_text_index_free);
  g_clear_pointer (&vt->text, g_free);
  g_clear_object (&vt->po);
}

static gboolean
version_text_load (GlsWorkspace  *workspace,
                   GlsDesign     *design,
                   VersionText   *vt,
                   GError       **error)
{
  if (!(vt->index = load_design_text (workspace, design, &vt->text, error)))
    return FALSE;
  /* A PO file that does not parse is placed as text. */
  if (gls_design_get_kind (design) == GLS_DESIGN_KIND_TRANSLATION)
    vt->po = gls_po_file_new (vt->text, gls_text_index_get_bytes (vt->index), NULL);
  return TRUE;
}

static int
list_threads (GlsWorkspace  *workspace,
              Options       *options,
              GError       **error)
{
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (ListRow));
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
  VersionText current = { 0, };
  gboolean is_text, is_rendered;
  gboolean any_rendered = FALSE;

  if (!gls_workspace_load_design (workspace, options->args[0], error) ||
      !(design = gls_workspace_find_design (workspace, options->args[0], error)) ||
      !gls_workspace_load_threads (workspace, design, error))
    return EXIT_FAILED;

  is_text = gls_design_get_kind (design) == GLS_DESIGN_KIND_TEXT ||
            gls_design_get_kind (design) == GLS_DESIGN_KIND_TRANSLATION;
  if (is_text)
    {
      g_autoptr(GError) local_error = NULL;

      if (!version_text_load (workspace, design, &current, &local_error))
        g_printerr (_("Cannot place the threads in the text: %s\n"), local_error->message);
    }

  /* This version's threads, then (texts) those of the earlier versions,
   * newest first, found again in this one. */
  /* Images, SVG and PDF carry the threads still open, and say whether
   * the design changed under each. */
  is_rendered = gls_design_get_kind (design) == GLS_DESIGN_KIND_RASTER ||
                gls_design_get_kind (design) == GLS_DESIGN_KIND_SVG ||
                gls_design_get_kind (design) == GLS_DESIGN_KIND_PDF;
  versions = is_text || is_rendered ? gls_workspace_list_versions (workspace, design) : g_ptr_array_new ();
  for (gint v = MAX ((gint) versions->len, 1) - 1; v >= 0; v--)
    {
      GlsDesign *version = versions->len > 0 ? g_ptr_array_index (versions, v) : design;
      gboolean carried = versions->len > 0 && (guint) v != versions->len - 1;
      g_autoptr(GListModel) threads = NULL;
      VersionText old = { 0, };

      if (carried)
        {
          if (!gls_workspace_load_threads (workspace, version, NULL))
            continue;
          if (gls_design_get_kind (version) == GLS_DESIGN_KIND_TRANSLATION)
            version_text_load (workspace, version, &old, NULL);
        }
      threads = gls_workspace_get_threads (workspace, gls_design_get_source (version));
      for (guint i = 0, n = g_list_model_get_n_items (threads); i < n; i++)
        {
          ListRow row = { 0, };
          const GlsSelector *selector;

          row.thread = g_list_model_get_item (threads, i);
          g_ptr_array_add (keep, row.thread);
          row.version = carried ? version : NULL;
          row.version_number = v + 1;
          selector = gls_thread_get_selector (row.thread);
          if (carried && is_rendered)
            {
              /* Resolved threads stay behind; so do passages of a text
               * version that became an image. */
              if (gls_thread_get_resolved (row.thread) ||
                  (selector != NULL && selector->kind == GLS_SELECTOR_TEXT))
                continue;
              row.rendered = any_rendered = TRUE;
              row.change = GLS_CHANGE_UNKNOWN;
              if (selector != NULL)
                row.mapped = (GlsSelector) { selector->kind, selector->page, selector->x, selector->y,
                                             selector->width, selector->height, -1, -1, NULL, NULL, NULL };
            }
          if (current.index != NULL && selector != NULL && selector->kind == GLS_SELECTOR_TEXT)
            {
              anchor_thread (carried ? old.po : current.po, current.index, current.po, row.thread, &row.anchor);
              row.anchored = TRUE;
            }
          g_array_append_val (rows, row);
        }
      version_text_clear (&old);
    }

  if (any_rendered)
    detect_carried_changes (workspace, design, rows);

  if (options->json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < rows->len; i++)
        {
          ListRow *row = &g_array_index (rows, ListRow, i);

          JsonObject *object = thread_to_json (row->thread, row->anchored ? &row->anchor : NULL,
                                               row->version, row->version_number);

          if (row->rendered)
            {
              json_object_set_int_member (object, "carried_from_version", row->version_number);
              /* true, false, or null: could not tell */
              if (row->change == GLS_CHANGE_UNKNOWN)
                json_object_set_null_member (object, "changed");
              else
                json_object_set_boolean_member (object, "changed", row->change == GLS_CHANGE_CHANGED);
              if (row->mapped.kind == GLS_SELECTOR_POINT || row->mapped.kind == GLS_SELECTOR_RECT)
                {
                  g_autofree char *fragment = gls_selector_to_fragment (&row->mapped, NULL);

                  /* where it is on this version: scaled when it was resized */
                  json_object_set_string_member (object, "mapped_selector", fragment);
                }
            }
          json_array_add_object_element (array, object);
        }
      json_node_take_array (node, array);
      print_json (node);
      version_text_clear (&current);
      return 0;
    }

  {
    g_autoptr(GPtrArray) reviews = gls_workspace_list_reviews (workspace, design, NULL);

    for (guint i = 0; reviews != NULL && i < reviews->len; i++)
      {
        GlsReview *review = g_ptr_array_index (reviews, i);
        const char *note = gls_annotation_get_note (review->annotation);
        g_autofree char *line = note != NULL ? first_line (note, 60) : NULL;

        if (gls_review_get_decision (review) == GLS_DECISION_APPROVED)
          /* Translators: a review in "glossa list DESIGN" */
          g_print (_("Approved by %s"), review->name);
        else
          /* Translators: a review in "glossa list DESIGN" */
          g_print (_("Changes requested by %s"), review->name);
        if (line != NULL)
          g_print (": %s", line);
        g_print ("\n");
      }
  }

  for (guint i = 0; i < rows->len; i++)
    {
      ListRow *row = &g_array_index (rows, ListRow, i);
      GlsThread *thread = row->thread;
      g_autofree char *line = first_line (gls_thread_get_placeholder (thread)
                                            ? _("(deleted)") : gls_thread_get_text (thread), 60);
      g_autofree char *number = row->version != NULL
        /* Translators: a thread number, and the version it was made on, "#3 v1" */
        ? g_strdup_printf (_("#%u v%u"), gls_thread_get_number (thread), row->version_number)
        : g_strdup_printf ("#%u", gls_thread_get_number (thread));
      guint replies = gls_thread_get_reply_count (thread);

      g_autoptr(GlsComment) root = g_list_model_get_item (gls_thread_get_comments (thread), 0);
      const char *status = gls_thread_get_resolved (thread) ? _("resolved") : _("open");

      if (gls_thread_is_suggestion (thread) && !gls_thread_get_placeholder (thread))
        {
          g_autofree char *replacement = g_strdup (line);

          g_free (line);
          /* Translators: a suggestion in "glossa list": the new words for a passage */
          line = g_strdup_printf (_("suggests “%s”"), replacement);
          if (gls_thread_get_decision (thread) == GLS_DECISION_ACCEPTED)
            status = _("accepted");
          else if (gls_thread_get_decision (thread) == GLS_DECISION_DECLINED)
            status = _("declined");
        }

      g_print ("%-4s %-8s %.8s  %s%s: %s", number, status,
               short_id (gls_thread_get_root_id (thread)),
               gls_thread_get_author_name (thread),
               !gls_thread_get_placeholder (thread) && gls_comment_get_trust (root) == GLS_TRUST_UNVERIFIED
                 ? _(" (unverified)") : "",
               line);
      if (replies > 0)
        g_print (ngettext (" (%u reply)", " (%u replies)", replies), replies);
      if (gls_thread_get_page (thread) > 0)
        g_print (_(" [page %u]"), gls_thread_get_page (thread));
      if (row->anchored)
        print_text_anchor (current.index, gls_thread_get_selector (thread), &row->anchor);
      if (row->rendered)
        switch (row->change)
          {
          case GLS_CHANGE_CHANGED:
            /* Translators: the design changed under a thread of an earlier version */
            g_print (_(" [changed]"));
            break;
          case GLS_CHANGE_UNCHANGED:
            /* Translators: the design is the same under a thread of an earlier version */
            g_print (_(" [unchanged]"));
            break;
          case GLS_CHANGE_UNKNOWN:
          default:
            g_print (_(" [change unknown]"));
            break;
          }
      g_print ("\n");
    }

  version_text_clear (&current);
  return 0;
}

static int
cmd_list (GlsWorkspace  *workspace,
          Options       *options,
          GError       **error)
{
  if (options->args == NULL || options->args[0] == NULL)
    return list_designs (workspace, options);

  return list_threads (workspace, options, error);
}

static int
cmd_verify (GlsWorkspace  *workspace,
            Options       *options,
            GError       **error)
{
  g_autoptr(JsonObject) report = NULL;
  JsonArray *failed, *set_aside;
  guint n_failed;

  if (!(report = gls_workspace_verify (workspace, error)))
    return EXIT_FAILED;

  failed = json_object_get_array_member (report, "failed");
  set_aside = json_object_get_array_member (report, "set_aside");
  n_failed = json_array_get_length (failed) + json_array_get_length (set_aside);

  if (options->json)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), report);

      print_json (node);
    }
  else
    {
      for (guint i = 0; i < n_failed; i++)
        {
          JsonObject *entry = json_array_get_object_element (failed, i);

          g_print ("%s %s: %s\n", json_object_get_string_member (entry, "id"),
                   json_object_get_string_member (entry, "rev"),
                   json_object_get_string_member (entry, "reason"));
        }
      for (guint i = 0; i < json_array_get_length (set_aside); i++)
        {
          JsonObject *entry = json_array_get_object_element (set_aside, i);

          /* Translators: "urn:uuid:… 1-abc…: set aside: its id is not valid UTF-8" */
          g_print (_("%s %s: set aside: %s\n"), json_object_get_string_member (entry, "id"),
                   json_object_get_string_member (entry, "rev"),
                   json_object_get_string_member (entry, "reason"));
        }
      /* %lld, not G_GINT64_FORMAT: xgettext must see the whole string. */
      g_print (_("%lld documents checked: %lld signed by their authors, %lld unsigned, %u failed\n"),
               (long long) json_object_get_int_member (report, "checked"),
               (long long) json_object_get_int_member (report, "verified"),
               (long long) json_object_get_int_member (report, "unverified"), json_array_get_length (failed));
      if (json_array_get_length (set_aside) > 0)
        g_print (ngettext ("%u document was set aside: the store could not read it\n",
                           "%u documents were set aside: the store could not read them\n",
                           json_array_get_length (set_aside)), json_array_get_length (set_aside));
    }

  return n_failed > 0 ? EXIT_FAILED : 0;
}

/* Opening the workspace has written again any signed original that a
 * forged revision had hidden (see judge_revisions), so every body the
 * workspace shows is a leaf's, and the old revisions' bodies can go. */
static int
cmd_compact (GlsWorkspace  *workspace,
             Options       *options,
             GError       **error)
{
  GlsStoreCompactResult result;
  g_autofree char *freed_files = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (!gls_store_compact (gls_workspace_get_store (workspace), &result, error))
    return EXIT_FAILED;

  if (options->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "revisions");
      json_builder_add_int_value (builder, result.revisions);
      json_builder_set_member_name (builder, "files");
      json_builder_add_int_value (builder, result.files);
      json_builder_set_member_name (builder, "file_bytes");
      json_builder_add_int_value (builder, (gint64) result.file_bytes);
      json_builder_set_member_name (builder, "database_bytes_before");
      json_builder_add_int_value (builder, result.database_bytes_before);
      json_builder_set_member_name (builder, "database_bytes_after");
      json_builder_add_int_value (builder, result.database_bytes_after);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      print_json (node);
      return 0;
    }

  freed_files = g_format_size (result.file_bytes);
  before = g_format_size (MAX (result.database_bytes_before, 0));
  after = g_format_size (MAX (result.database_bytes_after, 0));
  g_print (ngettext ("Removed %u old revision’s body", "Removed %u old revisions’ bodies",
                     result.revisions), result.revisions);
  g_print (" · ");
  /* Translators: "3 unreferenced files (12.4 MB)" */
  g_print (ngettext ("%u unreferenced file (%s)", "%u unreferenced files (%s)", result.files),
           result.files, freed_files);
  g_print ("\n");
  /* Translators: "Database: 8.2 MB → 1.1 MB" */
  g_print (_("Database: %s → %s\n"), before, after);
  return 0;
}

static int
cmd_export (GlsWorkspace  *workspace,
            Options       *options,
            GError       **error)
{
  g_autoptr(JsonNode) collection = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autofree char *text = NULL;
  gsize length;

  if (!(collection = gls_workspace_export (workspace, error)))
    return EXIT_FAILED;

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, collection);
  text = json_generator_to_data (generator, &length);

  if (options->output == NULL || g_str_equal (options->output, "-"))
    {
      g_print ("%s\n", text);
      return 0;
    }

  /* g_file_set_contents writes a temporary file and renames it. */
  if (!g_file_set_contents (options->output, text, length, error))
    return EXIT_FAILED;

  return 0;
}

/* The whole of `path` ("-": standard input). */
static GBytes *
read_all (const char  *path,
          GError     **error)
{
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GOutputStream) memory = NULL;
  char *contents = NULL;
  gsize length;

  if (!g_str_equal (path, "-"))
    {
      if (!g_file_get_contents (path, &contents, &length, error))
        return NULL;
      return g_bytes_new_take (contents, length);
    }

  input = g_unix_input_stream_new (0, FALSE);
  memory = g_memory_output_stream_new_resizable ();
  if (g_output_stream_splice (memory, input, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

static int
cmd_import (GlsWorkspace  *workspace,
            Options       *options,
            GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *path = options->args[0];
  g_autofree char *shown = g_str_equal (path, "-")
                           ? g_strdup (_("standard input"))
                           : g_filename_display_name (path);
  gint added;

  /* Glossa's strict parser, not json-glib's: a file from elsewhere may
   * nest 100,000 deep or hold a lone surrogate escape. */
  if (!(bytes = read_all (path, &local_error)) ||
      !(root = gls_json_from_data (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   &local_error)))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not read “%s”: %s"), shown, local_error->message);
      return EXIT_FAILED;
    }

  added = gls_workspace_import (workspace, root, options->design, &local_error);
  if (added < 0)
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not import “%s”: %s"), shown, local_error->message);
      return EXIT_FAILED;
    }

  if (options->json)
    g_print ("{\"imported\": %d}\n", added);
  else
    g_print (ngettext ("Imported %d annotation\n", "Imported %d annotations\n", added), added);

  return 0;
}

/* serve and sync: in the glossa-sync module (gls-sync-api.h), which
 * brings libsoup and GnuTLS that no other command loads. */

/* The module, loaded the first time; NULL with @error when it cannot be. */
static const GlsSyncApi *
sync_api (GError **error)
{
  static const GlsSyncApi *api;
  GlsSyncGetApi get_api = NULL;
  GModule *module;

  if (api != NULL)
    return api;
  if (!(module = gls_module_open (GLS_SYNC_MODULE, "GLOSSA_SYNC_MODULE", error)))
    return NULL;
  if (!g_module_symbol (module, GLS_SYNC_MODULE_SYMBOL, (gpointer *) &get_api) ||
      get_api () == NULL || get_api ()->api_version != GLS_SYNC_API_VERSION ||
      get_api ()->size < sizeof (GlsSyncApi))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   /* Translators: %s is the name of a file of the program */
                   _("%s is not the sync module of this Glossa"), g_module_name (module));
      return NULL;
    }
  api = get_api ();
  return api;
}

static GlsSyncOptions
sync_options_of (Options *options)
{
  GlsSyncOptions sync = {
    .data_dir = options->data_dir,
    .workspace = options->workspace,
    .workspaces = (const char *const *) options->workspaces,
    .url = options->args != NULL ? options->args[0] : NULL,
    .bind = options->bind,
    .port = options->port,
    .read_only_key = options->read_only_key,
    .http = options->http,
    .pull = options->pull,
    .push = options->push,
    .live = options->live,
  };

  return sync;
}

static int
cmd_serve (GlsWorkspace  *unused,
           Options       *options,
           GError       **error)
{
  const GlsSyncApi *api;
  GlsSyncOptions sync = sync_options_of (options);

  if (!(api = sync_api (error)))
    return EXIT_FAILED;
  return api->serve (&sync, error);
}

static int
cmd_sync (GlsWorkspace  *unused,
          Options       *options,
          GError       **error)
{
  const GlsSyncApi *api;
  GlsSyncOptions sync = sync_options_of (options);

  if (!(api = sync_api (error)))
    return EXIT_FAILED;
  return api->sync (&sync, error);
}

/* glossa report: the body is in gls-cli-report.c. */
static int
cmd_report (GlsWorkspace  *workspace,
            Options       *options,
            GError       **error)
{
  const GlsRenderApi *api;

  if (!(api = render_api (error)))
    return EXIT_FAILED;
  return gls_cli_report (api, workspace, options->args[0], options->output, options->annotated_pdf, error);
}

/* Dispatch */

static const char *const add_options[] = { "title", "version-of", NULL };
static const char *const comment_options[] = { "text", "point", "rect", "page", "quote", "prefix", "suffix",
                                               "chars", NULL };
static const char *const text_options[] = { "text", NULL };
static const char *const suggest_options[] = { "text", "quote", "prefix", "suffix", "chars", "message", "context",
                                               NULL };
static const char *const apply_options[] = { "output", NULL };
static const char *const export_options[] = { "output", NULL };
static const char *const import_options[] = { "design", NULL };
static const char *const serve_options[] = { "bind", "port", "read-only-key", "http", NULL };
static const char *const sync_options[] = { "pull", "push", "live", NULL };
static const char *const report_options[] = { "output", "annotated-pdf", NULL };
static const char *const no_options[] = { NULL };

static const Command commands[] = {
  { "add", N_("FILE"), N_("Add a design (PNG, JPEG, SVG, PDF, text, Markdown or PO file) to the workspace"), 1, 1, cmd_add, add_options },
  { "comment", N_("DESIGN"), N_("Start a thread on a design, at a point, a region, a page or a passage of text"), 1, 1, cmd_comment, comment_options, FALSE, TRUE },
  { "suggest", N_("DESIGN"), N_("Suggest new words for a passage of a text, or for a translation in a PO file"),
    1, 1, cmd_suggest, suggest_options, FALSE, TRUE },
  { "accept", N_("ANNOTATION"), N_("Accept a suggestion"), 1, 1, cmd_accept, no_options },
  { "approve", N_("DESIGN"), N_("Approve a design version, with --text to say more"), 1, 1, cmd_approve, text_options, FALSE, TRUE },
  { "request-changes", N_("DESIGN"), N_("Ask for changes to a design version, saying which with --text"),
    1, 1, cmd_request_changes, text_options, FALSE, TRUE },
  { "decline", N_("ANNOTATION"), N_("Decline a suggestion"), 1, 1, cmd_decline, no_options },
  { "apply", N_("DESIGN"), N_("Make a new version of a text with its accepted suggestions (and write it with -o)"),
    1, 1, cmd_apply, apply_options },
  { "reply", N_("ANNOTATION"), N_("Answer in a thread"), 1, 1, cmd_reply, text_options },
  { "edit", N_("ANNOTATION"), N_("Change the words of one of your comments"), 1, 1, cmd_edit, text_options },
  { "resolve", N_("ANNOTATION"), N_("Mark a thread resolved"), 1, 1, cmd_resolve, no_options },
  { "reopen", N_("ANNOTATION"), N_("Open a resolved thread again"), 1, 1, cmd_reopen, no_options },
  { "delete", N_("ANNOTATION"), N_("Delete one of your comments"), 1, 1, cmd_delete, no_options },
  { "remove", N_("DESIGN"), N_("Remove a design: deleted for everyone if you added it, else hidden here; comments are kept"),
    1, 1, cmd_remove, no_options, FALSE, TRUE },
  { "list", N_("[DESIGN]"), N_("List the designs, or the threads of one design"), 0, 1, cmd_list, no_options, FALSE, TRUE },
  { "verify", "", N_("Check the signature of every document and list what failed and why"), 0, 0, cmd_verify, no_options },
  { "compact", "", N_("Remove old revisions’ bodies and attachment files nothing uses"), 0, 0, cmd_compact, no_options },
  { "export", "", N_("Write every annotation as a W3C AnnotationCollection (JSON-LD)"), 0, 0, cmd_export, export_options },
  { "import", N_("FILE"), N_("Read W3C annotations from Glossa or other tools"), 1, 1, cmd_import, import_options },
  { "report", N_("DESIGN"), N_("Write a design version’s review as a PDF, or with --annotated-pdf its PDF with the comments in it"),
    1, 1, cmd_report, report_options },
  { "serve", "", N_("Share workspaces with peers: print their links and serve until stopped"), 0, 0, cmd_serve, serve_options,
    TRUE, FALSE, TRUE },
  { "sync", N_("URL"), N_("Replicate with a peer’s link, both ways unless --pull or --push"), 1, 1, cmd_sync, sync_options,
    FALSE, FALSE, TRUE },
};

static const Command *
find_command (const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (commands[i].name, word))
        return &commands[i];
    }
  return NULL;
}

gboolean
gls_cli_is_subcommand (const char *word)
{
  g_return_val_if_fail (word != NULL, FALSE);

  return find_command (word) != NULL || g_str_equal (word, "help");
}

static gboolean
takes (const Command *command,
       const char    *option)
{
  return g_strv_contains ((const char *const *) command->extra, option);
}

static GOptionContext *
make_context (const Command *command,
              Options       *options)
{
  GOptionEntry common[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &options->data_dir,
      N_("Where Glossa keeps its data (default: $GLOSSA_DATA_DIR or ~/.local/share/glossa)"), N_("DIR") },
    { "workspace", 'w', 0, G_OPTION_ARG_STRING, &options->workspace,
      N_("The workspace to use (default: “default”)"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json, N_("Print data as JSON"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->args, NULL, NULL },
    { NULL }
  };
  const GOptionEntry all_extra[] = {
    { "text", 't', 0, G_OPTION_ARG_STRING, &options->text, N_("The words of the comment"), N_("TEXT") },
    { "title", 0, 0, G_OPTION_ARG_STRING, &options->title, N_("The design’s name (default: the file name)"), N_("TITLE") },
    { "version-of", 0, 0, G_OPTION_ARG_STRING, &options->version_of,
      N_("Add the file as a new version of this design"), N_("DESIGN") },
    { "point", 0, 0, G_OPTION_ARG_STRING, &options->point, N_("Pin to a point, in design pixels (PDF points)"), N_("X,Y") },
    { "rect", 0, 0, G_OPTION_ARG_STRING, &options->rect, N_("Pin to a region"), N_("X,Y,W,H") },
    { "page", 0, 0, G_OPTION_ARG_INT, &options->page, N_("The page of a PDF, from 1"), N_("N") },
    { "quote", 0, 0, G_OPTION_ARG_STRING, &options->quote,
      N_("On a text file: the passage to comment on, as it is written"), N_("TEXT") },
    { "prefix", 0, 0, G_OPTION_ARG_STRING, &options->prefix,
      N_("What comes just before the quoted passage, when it occurs more than once"), N_("TEXT") },
    { "suffix", 0, 0, G_OPTION_ARG_STRING, &options->suffix,
      N_("What comes just after the quoted passage, when it occurs more than once"), N_("TEXT") },
    { "chars", 0, 0, G_OPTION_ARG_STRING, &options->chars,
      N_("On a text file: the passage from character START to END (counted from 0, END excluded)"),
      N_("START,END") },
    { "message", 0, 0, G_OPTION_ARG_STRING, &options->message,
      N_("On a PO file: the message whose translation to change, by its source text (msgid)"), N_("MSGID") },
    { "context", 0, 0, G_OPTION_ARG_STRING, &options->context,
      N_("With --message: the message’s context (msgctxt)"), N_("CTX") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &options->output, N_("Write to FILE instead of standard output"), N_("FILE") },
    { "design", 0, 0, G_OPTION_ARG_STRING, &options->design,
      N_("Attach annotations whose target is not a known design to this design"), N_("DESIGN") },
    { "bind", 0, 0, G_OPTION_ARG_STRING, &options->bind,
      N_("Listen on this address; 0.0.0.0 for every network (default: 127.0.0.1)"), N_("ADDRESS") },
    { "port", 0, 0, G_OPTION_ARG_INT, &options->port, N_("Listen on this port; 0 for any free one (default: 5985)"), N_("N") },
    { "read-only-key", 0, 0, G_OPTION_ARG_NONE, &options->read_only_key,
      N_("Also make a read-only key for each workspace and print its link"), NULL },
    { "http", 0, 0, G_OPTION_ARG_NONE, &options->http,
      N_("Serve plain HTTP, for hubs and tools without TLS: keys and comments cross the network in clear"
         " (default: HTTPS with this data dir’s certificate, pinned in the links)"), NULL },
    { "pull", 0, 0, G_OPTION_ARG_NONE, &options->pull, N_("Only bring the peer’s changes here"), NULL },
    { "push", 0, 0, G_OPTION_ARG_NONE, &options->push, N_("Only send this workspace’s changes to the peer"), NULL },
    { "live", 0, 0, G_OPTION_ARG_NONE, &options->live,
      N_("Keep following changes until stopped (Ctrl+C)"), NULL },
    { "annotated-pdf", 0, 0, G_OPTION_ARG_NONE, &options->annotated_pdf,
      N_("Write the design’s own PDF with its threads as PDF annotations, for PDF readers"), NULL },
  };
  g_autoptr(GArray) extra = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  g_autofree char *prgname = g_strdup_printf ("glossa %s", command->name);
  GOptionContext *context = g_option_context_new (_(command->usage));

  /* "Usage: glossa comment [OPTION…] DESIGN" */
  g_set_prgname (prgname);
  g_option_context_set_summary (context, _(command->summary));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (command->many_workspaces)
    {
      GOptionEntry *workspace = &common[1];

      workspace->arg = G_OPTION_ARG_STRING_ARRAY;
      workspace->arg_data = &options->workspaces;
      workspace->description = N_("A workspace to serve; repeat it, or separate names with commas"
                                  " (default: every workspace)");
    }
  g_option_context_add_main_entries (context, common, GETTEXT_PACKAGE);

  for (guint i = 0; i < G_N_ELEMENTS (all_extra); i++)
    {
      if (takes (command, all_extra[i].long_name))
        g_array_append_val (extra, all_extra[i]);
    }

  if (extra->len > 0)
    g_option_context_add_main_entries (context, (const GOptionEntry *) (gpointer) extra->data,
                                       GETTEXT_PACKAGE);

  return context;
}

static void
print_help (void)
{
  g_print ("%s\n  glossa [FILE…]\n", _("Usage:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  glossa %-8s %-12s %s\n", commands[i].name, _(commands[i].usage), _(commands[i].summary));
  g_print ("\n%s\n", _("Every command takes --data-dir DIR and --workspace NAME; see “glossa COMMAND --help”."));
}

int
gls_cli_run (int    argc,
             char **argv)
{
  g_auto(Options) options = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GlsWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  const Command *command;
  guint n_args;
  int status;

  g_return_val_if_fail (argc > 1, EXIT_USAGE);

  g_set_prgname ("glossa");

  if (g_str_equal (argv[1], "help"))
    {
      print_help ();
      return 0;
    }

  command = find_command (argv[1]);
  g_return_val_if_fail (command != NULL, EXIT_USAGE);

  options.port = SERVE_DEFAULT_PORT;
  context = make_context (command, &options);
  /* Parse everything after the subcommand's name. */
  {
    g_autofree char **sub_argv = g_new0 (char *, argc);
    int sub_argc = argc - 1;

    sub_argv[0] = argv[0];
    for (int i = 2; i < argc; i++)
      sub_argv[i - 1] = argv[i];

    if (!g_option_context_parse (context, &sub_argc, &sub_argv, &error))
      {
        g_printerr ("glossa %s: %s\n", command->name, error->message);
        return EXIT_USAGE;
      }
  }

  n_args = options.args ? g_strv_length (options.args) : 0;
  if (n_args < command->n_args_min || n_args > command->n_args_max)
    {
      g_printerr ("%s: glossa %s %s\n", _("Usage"), command->name, _(command->usage));
      return EXIT_USAGE;
    }

  if (takes (command, "text") && options.text == NULL && command->func != cmd_approve)
    {
      g_printerr (_("glossa %s: --text is required\n"), command->name);
      return EXIT_USAGE;
    }

  if (command->in_sync_module)
    {
      status = command->func (NULL, &options, &error);
      if (status != 0 && error != NULL)
        g_printerr ("glossa %s: %s\n", command->name, error->message);
      return status;
    }

  data_dir = gls_workspace_resolve_data_dir (options.data_dir);
  if (command->partial && (command->n_args_min > 0 || (options.args != NULL && options.args[0] != NULL)))
    workspace = gls_workspace_open_partial (data_dir, options.workspace, &error);
  else
    workspace = gls_workspace_open (data_dir, options.workspace, &error);
  if (workspace == NULL)
    {
      g_printerr ("glossa %s: %s\n", command->name, error->message);
      return EXIT_FAILED;
    }

  status = command->func (workspace, &options, &error);
  if (status != 0)
    {
      if (error != NULL)
        g_printerr ("glossa %s: %s\n", command->name, error->message);
      return status;
    }

  return 0;
}
