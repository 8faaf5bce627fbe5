/* test-core-suggestions.c: suggestions on a text, their decisions, and
 * applying the accepted ones
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gls-annotation.h"
#include "gls-suggestions.h"
#include "gls-text.h"
#include "gls-threads.h"

#define ALICE  "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"
#define BOB    "did:key:z6MkwJSaEMnE4u6LiqrZV1BJHSkc9x8S4mTm3ArNL1m19BZR"
#define SRC    "ni:///sha-256;f4OxZX_x_FO5LcGBSKHWXfwtSx-j1ncoSt3SABJtkGk"

static char *
at (int second)
{
  return g_strdup_printf ("2026-11-23T10:%02d:%02d.000000Z", second / 60, second % 60);
}

/* A suggestion to replace `exact` (found once in `text`) by `by`. */
static GlsAnnotation *
suggest (GlsTextIndex *index,
         const char   *exact,
         const char   *by,
         const char   *creator,
         int           second)
{
  g_auto(GlsSelector) selector = { 0, };
  g_autoptr(GError) error = NULL;
  g_autofree char *created = at (second);

  g_assert_true (gls_text_select_quote (index, exact, NULL, NULL, &selector, &error));
  g_assert_no_error (error);
  return gls_annotation_new_suggestion (SRC, &selector, by, creator, NULL, NULL, created);
}

static GlsAnnotation *
decide (GlsAnnotation *root,
        gboolean       accepted,
        int            second)
{
  g_autofree char *created = at (second);

  return gls_annotation_new_decision (gls_annotation_get_id (root), accepted, BOB, "Bob", NULL, created);
}

/* Parsed back from its JSON, as a peer reads it. */
static GlsAnnotation *
round_trip (GlsAnnotation *a)
{
  g_autoptr(JsonObject) doc = gls_annotation_to_json (a);
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(GError) error = NULL;
  GlsAnnotation *parsed = gls_annotation_new_from_json (doc, &error);

  g_assert_no_error (error);
  again = gls_annotation_to_json (parsed);
  g_assert_true (json_object_equal (doc, again));
  return parsed;
}

static void
test_suggestion_json (void)
{
  const char *text = "Löte D1 bis D4 mit der Kathode zur Mitte der Platine ein.";
  g_autoptr(GlsTextIndex) index = gls_text_index_new (text, -1);
  g_autoptr(GlsAnnotation) s = suggest (index, "zur Mitte", "zum Rand", ALICE, 1);
  g_autoptr(GlsAnnotation) parsed = round_trip (s);
  g_autoptr(GlsAnnotation) accepted = decide (s, TRUE, 2);
  g_autoptr(GlsAnnotation) accepted_parsed = round_trip (accepted);
  g_autoptr(JsonObject) doc = gls_annotation_to_json (s);
  JsonObject *target = json_object_get_object_member (doc, "target");

  /* W3C: motivation editing, a target on the design with its passage. */
  g_assert_cmpstr (json_object_get_string_member (doc, "motivation"), ==, "editing");
  g_assert_cmpstr (json_object_get_string_member (target, "source"), ==, SRC);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (target, "selector")));

  g_assert_true (gls_annotation_is_suggestion (parsed));
  g_assert_true (gls_annotation_is_root (parsed));
  g_assert_cmpstr (gls_annotation_get_text (parsed), ==, "zum Rand");
  g_assert_cmpstr (gls_annotation_get_selector (parsed)->exact, ==, "zur Mitte");
  g_assert_cmpint (gls_annotation_get_selector (parsed)->start, ==, 31);
  g_assert_cmpint (gls_annotation_get_decision (accepted_parsed), ==, GLS_DECISION_ACCEPTED);
  g_assert_true (gls_annotation_get_resolved (accepted_parsed));
}

static void
test_suggestion_refused (void)
{
  const char *text = "Solder R1 first.";
  g_autoptr(GlsTextIndex) index = gls_text_index_new (text, -1);
  g_autoptr(GlsAnnotation) s = suggest (index, "R1", "R2", ALICE, 1);
  g_autoptr(JsonObject) doc = gls_annotation_to_json (s);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsAnnotation) parsed = NULL;
  JsonObject *target = json_object_get_object_member (doc, "target");
  JsonObject *sel = json_object_new ();
  JsonObject *body = json_object_get_object_member (doc, "body");

  /* A suggestion on a point of an image is not a suggestion. */
  json_object_set_string_member (sel, "type", "FragmentSelector");
  json_object_set_string_member (sel, "value", "xywh=1,2,0,0");
  json_object_set_object_member (target, "selector", sel);
  parsed = gls_annotation_new_from_json (doc, &error);
  g_assert_null (parsed);
  g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "target.selector"));
  g_clear_error (&error);

  /* An assessment says one of four words. */
  {
    g_autoptr(GlsAnnotation) d = decide (s, TRUE, 2);
    g_autoptr(JsonObject) ddoc = gls_annotation_to_json (d);

    json_object_set_string_member (json_object_get_object_member (ddoc, "body"), "value", "maybe");
    g_assert_null (gls_annotation_new_from_json (ddoc, &error));
    g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
    g_clear_error (&error);
  }
  (void) body;
}

static void
test_suggestion_threads (void)
{
  const char *text = "Solder R1 to R4 (330 Ω). Then D1.";
  g_autoptr(GlsTextIndex) index = gls_text_index_new (text, -1);
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) threads = NULL;
  GlsAnnotation *s = suggest (index, "330 Ω", "220 Ω", ALICE, 1);
  GlsThread *thread;

  g_ptr_array_add (docs, s);
  g_ptr_array_add (docs, gls_annotation_new_reply (gls_annotation_get_id (s), "The kit has 220", BOB, "Bob",
                                                   NULL, "2026-11-23T10:00:02.000000Z"));
  /* Its author changes the replacement: an edit, as of a comment. */
  g_ptr_array_add (docs, gls_annotation_new_edit (gls_annotation_get_id (s), "220 Ω ±5 %", ALICE, "Alice",
                                                  NULL, "2026-11-23T10:00:03.000000Z"));
  g_ptr_array_add (docs, decide (s, FALSE, 4));
  g_ptr_array_add (docs, decide (s, TRUE, 5));

  threads = gls_threads_derive (docs, SRC);
  g_assert_cmpuint (threads->len, ==, 1);
  thread = g_ptr_array_index (threads, 0);
  g_assert_true (gls_thread_is_suggestion (thread));
  g_assert_cmpstr (gls_thread_get_text (thread), ==, "220 Ω ±5 %");
  g_assert_cmpuint (gls_thread_get_reply_count (thread), ==, 1);
  /* The latest decision counts. */
  g_assert_cmpint (gls_thread_get_decision (thread), ==, GLS_DECISION_ACCEPTED);
  g_assert_true (gls_thread_get_resolved (thread));
}

/* Threads of the suggestions in `docs`, as a workspace derives them. */
static GPtrArray *
threads_of (GPtrArray *docs)
{
  return gls_threads_derive (docs, SRC);
}

static void
test_apply (void)
{
  /* Non-ASCII and an emoji before the passages: offsets are code points. */
  const char *text = "# Montage 🎉\nLöte R1 (330 Ω) und D1.\nDann D2, née D3.\n";
  g_autoptr(GlsTextIndex) index = gls_text_index_new (text, -1);
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) threads = NULL;
  g_autoptr(GPtrArray) failures = NULL;
  g_autofree char *result = NULL;
  GlsAnnotation *value = suggest (index, "330 Ω", "220 Ω", ALICE, 1);
  GlsAnnotation *typo = suggest (index, "née", "nee", BOB, 2);
  GlsAnnotation *declined = suggest (index, "Montage", "Aufbau", BOB, 3);
  GlsAnnotation *open = suggest (index, "D1", "LED1", BOB, 4);
  GlsAnnotation *overlap = suggest (index, "R1 (330", "R1 (470", BOB, 5);
  guint applied = 0;

  g_ptr_array_add (docs, value);
  g_ptr_array_add (docs, typo);
  g_ptr_array_add (docs, declined);
  g_ptr_array_add (docs, open);
  g_ptr_array_add (docs, overlap);
  g_ptr_array_add (docs, decide (value, TRUE, 10));
  g_ptr_array_add (docs, decide (typo, TRUE, 11));
  g_ptr_array_add (docs, decide (declined, FALSE, 12));
  g_ptr_array_add (docs, decide (overlap, TRUE, 13));

  threads = threads_of (docs);
  result = gls_suggestions_apply (index, threads, &applied, &failures);
  g_assert_cmpstr (result, ==, "# Montage 🎉\nLöte R1 (220 Ω) und D1.\nDann D2, nee D3.\n");
  g_assert_cmpuint (applied, ==, 2);
  /* The overlapping one, accepted later, is named with the reason. */
  g_assert_cmpuint (failures->len, ==, 1);
  {
    GlsSuggestionFailure *f = g_ptr_array_index (failures, 0);

    g_assert_cmpstr (gls_thread_get_root_id (f->thread), ==, gls_annotation_get_id (overlap));
    g_assert_nonnull (strstr (f->reason, "#1"));
  }
}

static void
test_apply_edited_text (void)
{
  const char *old_text = "Intro.\nSolder R1 first, then R2.\nThe end.\n";
  /* A new version: a line inserted before (the passage moved), and the
   * second passage's words changed. */
  const char *new_text = "Intro.\nA new line.\nSolder R1 first, then R5.\nThe end.\n";
  g_autoptr(GlsTextIndex) old_index = gls_text_index_new (old_text, -1);
  g_autoptr(GlsTextIndex) new_index = gls_text_index_new (new_text, -1);
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) threads = NULL;
  g_autoptr(GPtrArray) failures = NULL;
  g_autofree char *result = NULL;
  GlsAnnotation *moved = suggest (old_index, "R1 first", "R1 last", ALICE, 1);
  GlsAnnotation *after = suggest (old_index, "The", "This is the", ALICE, 2);
  GlsAnnotation *edited = suggest (old_index, "then R2", "then R3", ALICE, 3);
  guint applied = 0;

  g_ptr_array_add (docs, moved);
  g_ptr_array_add (docs, after);
  g_ptr_array_add (docs, edited);
  g_ptr_array_add (docs, decide (moved, TRUE, 10));
  g_ptr_array_add (docs, decide (after, TRUE, 11));
  g_ptr_array_add (docs, decide (edited, TRUE, 12));
  threads = threads_of (docs);

  /* The text they were made on: all apply. */
  result = gls_suggestions_apply (old_index, threads, &applied, &failures);
  g_assert_cmpstr (result, ==, "Intro.\nSolder R1 last, then R3.\nThis is the end.\n");
  g_assert_cmpuint (failures->len, ==, 0);
  g_clear_pointer (&result, g_free);
  g_clear_pointer (&failures, g_ptr_array_unref);

  /* The new version: moved passages apply, an edited one does not. */
  result = gls_suggestions_apply (new_index, threads, &applied, &failures);
  g_assert_cmpstr (result, ==, "Intro.\nA new line.\nSolder R1 last, then R5.\nThis is the end.\n");
  g_assert_cmpuint (applied, ==, 2);
  g_assert_cmpuint (failures->len, ==, 1);
  g_assert_cmpstr (gls_thread_get_root_id (((GlsSuggestionFailure *) g_ptr_array_index (failures, 0))->thread), ==,
                   gls_annotation_get_id (edited));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/suggestions/json", test_suggestion_json);
  g_test_add_func ("/core/suggestions/refused", test_suggestion_refused);
  g_test_add_func ("/core/suggestions/threads", test_suggestion_threads);
  g_test_add_func ("/core/suggestions/apply", test_apply);
  g_test_add_func ("/core/suggestions/apply-edited-text", test_apply_edited_text);

  return g_test_run ();
}
