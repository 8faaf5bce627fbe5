/* test-core-threads.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gls-annotation.h"
#include "gls-threads.h"

#define ALICE  "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"
#define BOB    "did:key:z6MkwJSaEMnE4u6LiqrZV1BJHSkc9x8S4mTm3ArNL1m19BZR"
#define CAROL  "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
#define SRC_A  "ni:///sha-256;f4OxZX_x_FO5LcGBSKHWXfwtSx-j1ncoSt3SABJtkGk"
#define SRC_B  "ni:///sha-256;UyaQV-Ev4rdLoHyJJWCi11OHfrYv9E1aGQAlMO2X_-Q"

/* Documents with chosen ids and times, so tests can name them. */
static GlsAnnotation *
doc (const char *id,
     const char *motivation,
     const char *target,    /* source for commenting */
     const char *text,
     const char *creator,
     int         second)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *created = g_strdup_printf ("2026-11-23T10:%02d:%02d.000000Z",
                                              second / 60, second % 60);
  JsonObject *body = json_object_new ();
  JsonObject *creator_obj = json_object_new ();
  GlsAnnotation *a;

  json_object_set_string_member (obj, "@context", "http://www.w3.org/ns/anno.jsonld");
  json_object_set_string_member (obj, "id", id);
  json_object_set_string_member (obj, "type", "Annotation");
  json_object_set_string_member (obj, "motivation", motivation);
  json_object_set_string_member (obj, "created", created);
  json_object_set_string_member (creator_obj, "id", creator);
  json_object_set_string_member (creator_obj, "name",
                                 g_str_equal (creator, ALICE) ? "Alice" :
                                 g_str_equal (creator, BOB) ? "Bob" : "Carol");
  json_object_set_object_member (obj, "creator", creator_obj);
  json_object_set_string_member (body, "type", "TextualBody");
  json_object_set_string_member (body, "value", text);
  json_object_set_object_member (obj, "body", body);
  if (g_str_equal (motivation, "commenting"))
    {
      JsonObject *t = json_object_new ();

      json_object_set_string_member (t, "source", target);
      json_object_set_object_member (obj, "target", t);
    }
  else
    json_object_set_string_member (obj, "target", target);

  a = gls_annotation_new_from_json (obj, &error);
  g_assert_no_error (error);
  return a;
}

static GlsAnnotation *
tomb (GlsAnnotation *a)
{
  return gls_annotation_new_tombstone (a);
}

static GPtrArray *
set_new (void)
{
  return g_ptr_array_new_with_free_func (g_object_unref);
}

static GlsThread *
thread_at (GPtrArray *threads,
           guint      i)
{
  g_assert_cmpuint (i, <, threads->len);
  return g_ptr_array_index (threads, i);
}

static GlsComment *
comment_at (GlsThread *thread,
            guint      i)
{
  GListModel *comments = gls_thread_get_comments (thread);
  GlsComment *c;

  g_assert_cmpuint (i, <, g_list_model_get_n_items (comments));
  c = g_list_model_get_item (comments, i);
  g_object_unref (c); /* the model keeps it */
  return c;
}

static void
test_numbering (void)
{
  g_autoptr(GPtrArray) docs = set_new ();
  g_autoptr(GPtrArray) threads = NULL;
  g_autoptr(GPtrArray) only_b = NULL;

  /* Equal created: the id decides. */
  g_ptr_array_add (docs, doc ("urn:x:c", "commenting", SRC_A, "third", BOB, 20));
  g_ptr_array_add (docs, doc ("urn:x:b", "commenting", SRC_A, "second", ALICE, 10));
  g_ptr_array_add (docs, doc ("urn:x:a", "commenting", SRC_A, "first", ALICE, 10));
  g_ptr_array_add (docs, doc ("urn:x:d", "commenting", SRC_B, "other design", ALICE, 5));

  threads = gls_threads_derive (docs, SRC_A);
  g_assert_cmpuint (threads->len, ==, 3);
  g_assert_cmpstr (gls_thread_get_root_id (thread_at (threads, 0)), ==, "urn:x:a");
  g_assert_cmpuint (gls_thread_get_number (thread_at (threads, 0)), ==, 1);
  g_assert_cmpstr (gls_thread_get_root_id (thread_at (threads, 1)), ==, "urn:x:b");
  g_assert_cmpuint (gls_thread_get_number (thread_at (threads, 1)), ==, 2);
  g_assert_cmpstr (gls_thread_get_text (thread_at (threads, 2)), ==, "third");
  g_assert_cmpuint (gls_thread_get_number (thread_at (threads, 2)), ==, 3);
  g_assert_cmpstr (gls_thread_get_author_name (thread_at (threads, 2)), ==, "Bob");
  g_assert_false (gls_thread_get_resolved (thread_at (threads, 0)));

  /* Numbers are per design. */
  only_b = gls_threads_derive (docs, SRC_B);
  g_assert_cmpuint (only_b->len, ==, 1);
  g_assert_cmpuint (gls_thread_get_number (thread_at (only_b, 0)), ==, 1);

  g_clear_pointer (&threads, g_ptr_array_unref);
  threads = gls_threads_derive (docs, NULL);
  g_assert_cmpuint (threads->len, ==, 4);
}

static void
test_replies (void)
{
  g_autoptr(GPtrArray) docs = set_new ();
  g_autoptr(GPtrArray) threads = NULL;
  GlsThread *t;

  g_ptr_array_add (docs, doc ("urn:x:root", "commenting", SRC_A, "Root", ALICE, 0));
  g_ptr_array_add (docs, doc ("urn:x:r3", "replying", "urn:x:r1", "to r1", ALICE, 30));
  g_ptr_array_add (docs, doc ("urn:x:r2b", "replying", "urn:x:root", "tie b", CAROL, 20));
  g_ptr_array_add (docs, doc ("urn:x:r2a", "replying", "urn:x:root", "tie a", BOB, 20));
  g_ptr_array_add (docs, doc ("urn:x:r1", "replying", "urn:x:root", "first", BOB, 10));
  /* Replies to an edit or to nothing known are not part of any thread. */
  g_ptr_array_add (docs, doc ("urn:x:e", "editing", "urn:x:root", "Root'", ALICE, 40));
  g_ptr_array_add (docs, doc ("urn:x:odd", "replying", "urn:x:e", "to an edit", BOB, 50));

  threads = gls_threads_derive (docs, SRC_A);
  g_assert_cmpuint (threads->len, ==, 1);
  t = thread_at (threads, 0);
  g_assert_cmpuint (gls_thread_get_reply_count (t), ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (gls_thread_get_comments (t)), ==, 5);
  g_assert_true (gls_comment_get_is_root (comment_at (t, 0)));
  g_assert_cmpstr (gls_comment_get_id (comment_at (t, 1)), ==, "urn:x:r1");
  g_assert_cmpstr (gls_comment_get_id (comment_at (t, 2)), ==, "urn:x:r2a");
  g_assert_cmpstr (gls_comment_get_id (comment_at (t, 3)), ==, "urn:x:r2b");
  g_assert_cmpstr (gls_comment_get_id (comment_at (t, 4)), ==, "urn:x:r3");
  g_assert_false (gls_comment_get_is_root (comment_at (t, 4)));
  g_assert_cmpstr (gls_comment_get_author_name (comment_at (t, 4)), ==, "Alice");
  g_assert_true (gls_thread_contains (t, "urn:x:r3"));
  g_assert_false (gls_thread_contains (t, "urn:x:odd"));
  g_assert_cmpstr (gls_thread_get_last_activity (t), ==, "2026-11-23T10:00:40.000000Z");
}

static void
test_edits (void)
{
  g_autoptr(GPtrArray) docs = set_new ();
  g_autoptr(GPtrArray) threads = NULL;
  g_autoptr(GlsAnnotation) e2 = NULL;
  GlsThread *t;

  g_ptr_array_add (docs, doc ("urn:x:root", "commenting", SRC_A, "Orignal", ALICE, 0));
  g_ptr_array_add (docs, doc ("urn:x:reply", "replying", "urn:x:root", "Bob says", BOB, 5));
  g_ptr_array_add (docs, doc ("urn:x:e1", "editing", "urn:x:root", "Original", ALICE, 10));
  e2 = doc ("urn:x:e2", "editing", "urn:x:root", "Original text", ALICE, 20);
  g_ptr_array_add (docs, g_object_ref (e2));
  /* Later, but by someone else: ignored. */
  g_ptr_array_add (docs, doc ("urn:x:evil", "editing", "urn:x:root", "Bob was here", BOB, 30));
  /* Bob may edit his own reply; Carol may not. */
  g_ptr_array_add (docs, doc ("urn:x:e3", "editing", "urn:x:reply", "Bob says, better", BOB, 8));
  g_ptr_array_add (docs, doc ("urn:x:e4", "editing", "urn:x:reply", "Carol says", CAROL, 9));

  threads = gls_threads_derive (docs, NULL);
  t = thread_at (threads, 0);
  g_assert_cmpstr (gls_thread_get_text (t), ==, "Original text");
  g_assert_true (gls_comment_get_edited (comment_at (t, 0)));
  g_assert_cmpstr (gls_comment_get_modified (comment_at (t, 0)), ==, "2026-11-23T10:00:20.000000Z");
  g_assert_cmpstr (gls_comment_get_created (comment_at (t, 0)), ==, "2026-11-23T10:00:00.000000Z");
  g_assert_cmpstr (gls_comment_get_text (comment_at (t, 1)), ==, "Bob says, better");
  g_assert_true (gls_comment_get_edited (comment_at (t, 1)));

  /* Deleting the latest edit brings back the one before. */
  g_ptr_array_remove (docs, e2);
  g_ptr_array_add (docs, tomb (e2));
  g_clear_pointer (&threads, g_ptr_array_unref);
  threads = gls_threads_derive (docs, NULL);
  g_assert_cmpstr (gls_thread_get_text (thread_at (threads, 0)), ==, "Original");

  /* Equal times: the greater id is the latest. */
  g_ptr_array_add (docs, doc ("urn:x:e1z", "editing", "urn:x:root", "Z wins", ALICE, 10));
  g_clear_pointer (&threads, g_ptr_array_unref);
  threads = gls_threads_derive (docs, NULL);
  g_assert_cmpstr (gls_thread_get_text (thread_at (threads, 0)), ==, "Z wins");
}

static void
test_assessments (void)
{
  g_autoptr(GPtrArray) docs = set_new ();
  g_autoptr(GPtrArray) threads = NULL;

  g_ptr_array_add (docs, doc ("urn:x:root", "commenting", SRC_A, "Root", ALICE, 0));
  g_ptr_array_add (docs, doc ("urn:x:reply", "replying", "urn:x:root", "Reply", BOB, 1));

  threads = gls_threads_derive (docs, NULL);
  g_assert_false (gls_thread_get_resolved (thread_at (threads, 0)));
  g_clear_pointer (&threads, g_ptr_array_unref);

  /* Anyone may resolve; the latest assessment counts. */
  g_ptr_array_add (docs, doc ("urn:x:s1", "assessing", "urn:x:root", "resolved", BOB, 10));
  threads = gls_threads_derive (docs, NULL);
  g_assert_true (gls_thread_get_resolved (thread_at (threads, 0)));
  g_assert_cmpstr (gls_thread_get_last_activity (thread_at (threads, 0)), ==,
                   "2026-11-23T10:00:10.000000Z");
  g_clear_pointer (&threads, g_ptr_array_unref);

  g_ptr_array_add (docs, doc ("urn:x:s2", "assessing", "urn:x:root", "open", CAROL, 20));
  /* An assessment on a reply is not on the thread. */
  g_ptr_array_add (docs, doc ("urn:x:s3", "assessing", "urn:x:reply", "resolved", BOB, 30));
  threads = gls_threads_derive (docs, NULL);
  g_assert_false (gls_thread_get_resolved (thread_at (threads, 0)));
  g_clear_pointer (&threads, g_ptr_array_unref);

  /* Same time: the greater id wins ("urn:x:s4" > "urn:x:s2"). */
  g_ptr_array_add (docs, doc ("urn:x:s4", "assessing", "urn:x:root", "resolved", ALICE, 20));
  threads = gls_threads_derive (docs, NULL);
  g_assert_true (gls_thread_get_resolved (thread_at (threads, 0)));

  /* The history has every step, in order, with who took it. */
  {
    g_autoptr(GPtrArray) history = NULL;
    static const struct
    {
      GlsThreadEventKind kind;
      const char        *who;
    } expected[] = {
      { GLS_THREAD_EVENT_STARTED, "Alice" },
      { GLS_THREAD_EVENT_REPLIED, "Bob" },
      { GLS_THREAD_EVENT_RESOLVED, "Bob" },
      { GLS_THREAD_EVENT_REOPENED, "Carol" },
      { GLS_THREAD_EVENT_RESOLVED, "Alice" },
    };

    g_ptr_array_add (docs, doc ("urn:x:e", "editing", "urn:x:reply", "Reply, edited", BOB, 25));
    g_clear_pointer (&threads, g_ptr_array_unref);
    threads = gls_threads_derive (docs, NULL);
    history = gls_thread_get_history (thread_at (threads, 0));
    g_assert_cmpuint (history->len, ==, G_N_ELEMENTS (expected) + 1);
    for (guint i = 0, e = 0; i < history->len; i++)
      {
        GlsThreadEvent *event = g_ptr_array_index (history, i);

        if (event->kind == GLS_THREAD_EVENT_EDITED)
          {
            /* Between the reopen (20 s) and nothing later: at 25 s. */
            g_assert_cmpstr (event->who, ==, "Bob");
            g_assert_cmpstr (event->when, ==, "2026-11-23T10:00:25.000000Z");
            continue;
          }
        g_assert_cmpint (event->kind, ==, expected[e].kind);
        g_assert_cmpstr (event->who, ==, expected[e].who);
        e++;
      }
  }
}

static void
test_late_arrival (void)
{
  g_autoptr(GPtrArray) docs = set_new ();
  g_autoptr(GPtrArray) threads = NULL;

  /* A reply to a reply, and an edit and resolve, before their targets. */
  g_ptr_array_add (docs, doc ("urn:x:r2", "replying", "urn:x:r1", "nested", CAROL, 20));
  g_ptr_array_add (docs, doc ("urn:x:e", "editing", "urn:x:root", "edited", ALICE, 25));
  g_ptr_array_add (docs, doc ("urn:x:s", "assessing", "urn:x:root", "resolved", BOB, 30));
  threads = gls_threads_derive (docs, NULL);
  g_assert_cmpuint (threads->len, ==, 0);
  g_clear_pointer (&threads, g_ptr_array_unref);

  g_ptr_array_add (docs, doc ("urn:x:root", "commenting", SRC_A, "root", ALICE, 0));
  threads = gls_threads_derive (docs, NULL);
  g_assert_cmpuint (threads->len, ==, 1);
  g_assert_cmpuint (gls_thread_get_reply_count (thread_at (threads, 0)), ==, 0);
  g_assert_cmpstr (gls_thread_get_text (thread_at (threads, 0)), ==, "edited");
  g_assert_true (gls_thread_get_resolved (thread_at (threads, 0)));
  g_clear_pointer (&threads, g_ptr_array_unref);

  /* The missing middle arrives: the waiting reply attaches. */
  g_ptr_array_add (docs, doc ("urn:x:r1", "replying", "urn:x:root", "middle", BOB, 10));
  threads = gls_threads_derive (docs, NULL);
  g_assert_cmpuint (gls_thread_get_reply_count (thread_at (threads, 0)), ==, 2);
  g_assert_cmpstr (gls_comment_get_text (comment_at (thread_at (threads, 0), 2)), ==, "nested");
}

static void
test_deletion (void)
{
  g_autoptr(GPtrArray) docs = set_new ();
  g_autoptr(GPtrArray) threads = NULL;
  g_autoptr(GlsAnnotation) root1 = doc ("urn:x:1", "commenting", SRC_A, "one", ALICE, 0);
  g_autoptr(GlsAnnotation) root2 = doc ("urn:x:2", "commenting", SRC_A, "two", ALICE, 10);
  g_autoptr(GlsAnnotation) root3 = doc ("urn:x:3", "commenting", SRC_A, "three", BOB, 20);
  g_autoptr(GlsAnnotation) reply = doc ("urn:x:2r", "replying", "urn:x:2", "answer", BOB, 15);
  g_autoptr(GlsAnnotation) reply2 = doc ("urn:x:2rr", "replying", "urn:x:2r", "again", CAROL, 16);
  g_autoptr(GlsAnnotation) reply3 = doc ("urn:x:3r", "replying", "urn:x:3", "gone", ALICE, 25);
  GlsThread *t;

  /* 1: deleted root, no replies: gone, but its number stays taken.
   * 2: deleted root with live replies: a placeholder.
   * 3: a deleted reply disappears. */
  g_ptr_array_add (docs, tomb (root1));
  g_ptr_array_add (docs, tomb (root2));
  g_ptr_array_add (docs, g_object_ref (root3));
  g_ptr_array_add (docs, g_object_ref (reply));
  g_ptr_array_add (docs, g_object_ref (reply2));
  g_ptr_array_add (docs, tomb (reply3));

  threads = gls_threads_derive (docs, SRC_A);
  g_assert_cmpuint (threads->len, ==, 2);

  t = thread_at (threads, 0);
  g_assert_cmpstr (gls_thread_get_root_id (t), ==, "urn:x:2");
  g_assert_cmpuint (gls_thread_get_number (t), ==, 2);
  g_assert_true (gls_thread_get_placeholder (t));
  g_assert_cmpstr (gls_thread_get_text (t), ==, "");
  g_assert_cmpuint (gls_thread_get_reply_count (t), ==, 2);
  /* Positioned by the tombstone's target. */
  g_assert_cmpstr (gls_thread_get_source (t), ==, SRC_A);
  g_assert_true (gls_comment_get_deleted (comment_at (t, 0)));
  g_assert_cmpstr (gls_comment_get_text (comment_at (t, 1)), ==, "answer");

  t = thread_at (threads, 1);
  g_assert_cmpuint (gls_thread_get_number (t), ==, 3);
  g_assert_false (gls_thread_get_placeholder (t));
  g_assert_cmpuint (gls_thread_get_reply_count (t), ==, 0);
  g_assert_false (gls_thread_contains (t, "urn:x:3r"));
  g_clear_pointer (&threads, g_ptr_array_unref);

  /* Deleting the middle reply keeps the one answering it. */
  g_ptr_array_remove (docs, reply);
  g_ptr_array_add (docs, tomb (reply));
  threads = gls_threads_derive (docs, SRC_A);
  t = thread_at (threads, 0);
  g_assert_cmpuint (gls_thread_get_reply_count (t), ==, 1);
  g_assert_cmpstr (gls_comment_get_text (comment_at (t, 1)), ==, "again");
  g_clear_pointer (&threads, g_ptr_array_unref);

  /* And when the last reply goes, so does the placeholder thread. */
  g_ptr_array_remove (docs, reply2);
  g_ptr_array_add (docs, tomb (reply2));
  threads = gls_threads_derive (docs, SRC_A);
  g_assert_cmpuint (threads->len, ==, 1);
  g_assert_cmpuint (gls_thread_get_number (thread_at (threads, 0)), ==, 3);
}

static void
test_properties (void)
{
  g_autoptr(GPtrArray) docs = set_new ();
  g_autoptr(GPtrArray) threads = NULL;
  g_autoptr(JsonObject) obj = NULL;
  GlsSelector rect = { GLS_SELECTOR_RECT, 2, 1, 2, 3, 4 };
  g_autoptr(GlsAnnotation) root = gls_annotation_new_comment (SRC_A, &rect, "On page 2", ALICE,
                                                              "Alice", NULL,
                                                              "2026-11-23T10:00:00.000000Z");
  g_autoptr(GListModel) comments = NULL;
  g_autofree char *text = NULL;
  GlsSelector *sel = NULL;
  guint number = 0, page = 0;
  gboolean placeholder = TRUE;

  g_ptr_array_add (docs, g_object_ref (root));
  threads = gls_threads_derive (docs, NULL);
  g_object_get (thread_at (threads, 0),
                "selector", &sel, "page", &page, "number", &number, "text", &text,
                "comments", &comments, "placeholder", &placeholder, NULL);
  g_assert_true (gls_selector_equal (sel, &rect));
  g_assert_cmpuint (page, ==, 2);
  g_assert_cmpuint (number, ==, 1);
  g_assert_cmpstr (text, ==, "On page 2");
  g_assert_false (placeholder);
  g_assert_true (g_list_model_get_item_type (comments) == GLS_TYPE_COMMENT);
  g_assert_cmpuint (g_list_model_get_n_items (comments), ==, 1);
  gls_selector_free (sel);
}

/* A rich set: several designs, nesting, edits by the right and wrong
 * people, assessments, ties, tombstones, orphans. */
static GPtrArray *
rich_set (void)
{
  GPtrArray *docs = set_new ();
  const char *people[] = { ALICE, BOB, CAROL };

  for (guint r = 0; r < 12; r++)
    {
      g_autofree char *root = g_strdup_printf ("urn:x:root%02u", r);
      const char *author = people[r % 3];
      /* Some roots share a time on purpose. */
      int t0 = (r / 2) * 100;

      g_ptr_array_add (docs, doc (root, "commenting", r % 4 == 3 ? SRC_B : SRC_A,
                                  "root text", author, t0));
      for (guint k = 0; k < 4; k++)
        {
          g_autofree char *rid = g_strdup_printf ("%s-r%u", root, k);
          g_autofree char *target = k == 0 ? g_strdup (root)
                                           : g_strdup_printf ("%s-r%u", root, k - 1);
          GlsAnnotation *reply = doc (rid, "replying", k % 2 ? target : root, "reply",
                                      people[(r + k) % 3], t0 + 10 + k * (k % 2 ? 1 : 3));

          if ((r + k) % 5 == 0)
            {
              g_ptr_array_add (docs, tomb (reply));
              g_object_unref (reply);
            }
          else
            g_ptr_array_add (docs, reply);
        }
      for (guint e = 0; e < 3; e++)
        {
          g_autofree char *eid = g_strdup_printf ("%s-e%u", root, e);
          g_autofree char *text = g_strdup_printf ("edit %u", e);

          /* e0 and e1 share a time; e2 is by the wrong person. */
          g_ptr_array_add (docs, doc (eid, "editing", root, text,
                                      e == 2 ? people[(r + 1) % 3] : author,
                                      t0 + 50 + (e == 2 ? 5 : 0)));
        }
      for (guint s = 0; s < r % 3; s++)
        {
          g_autofree char *sid = g_strdup_printf ("%s-s%u", root, s);

          g_ptr_array_add (docs, doc (sid, "assessing", root, s % 2 ? "open" : "resolved",
                                      people[s % 3], t0 + 60 + (r % 2) * s));
        }
      if (r % 4 == 1)
        {
          /* Delete the root: placeholder when replies live on. */
          GlsAnnotation *root_doc = g_ptr_array_index (docs, docs->len - 1 - (r % 3) - 3 - 4);

          g_assert_cmpstr (gls_annotation_get_id (root_doc), ==, root);
          g_ptr_array_index (docs, docs->len - 1 - (r % 3) - 3 - 4) = tomb (root_doc);
          g_object_unref (root_doc);
        }
    }

  /* Orphans that wait for targets that never come. */
  g_ptr_array_add (docs, doc ("urn:x:orphan", "replying", "urn:x:missing", "?", BOB, 5));
  g_ptr_array_add (docs, doc ("urn:x:orphan-e", "editing", "urn:x:missing", "?", BOB, 6));

  return docs;
}

static void
test_shuffle_invariance (void)
{
  g_autoptr(GPtrArray) docs = rich_set ();
  g_autoptr(GPtrArray) reference = gls_threads_derive (docs, NULL);
  g_autofree char *expected = gls_threads_dump (reference);
  gboolean saw_placeholder = FALSE, saw_resolved = FALSE, saw_edited = FALSE;

  g_test_message ("%s", expected);

  /* The reference really exercises every rule. */
  for (guint i = 0; i < reference->len; i++)
    {
      GlsThread *t = g_ptr_array_index (reference, i);

      saw_placeholder |= gls_thread_get_placeholder (t);
      saw_resolved |= gls_thread_get_resolved (t);
      saw_edited |= gls_comment_get_edited (comment_at (t, 0));
    }
  g_assert_true (saw_placeholder && saw_resolved && saw_edited);

  for (guint round = 0; round < 300; round++)
    {
      g_autoptr(GPtrArray) shuffled = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GPtrArray) threads = NULL;
      g_autofree char *dump = NULL;

      for (guint i = 0; i < docs->len; i++)
        g_ptr_array_add (shuffled, g_object_ref (g_ptr_array_index (docs, i)));
      for (guint i = shuffled->len - 1; i > 0; i--)
        {
          guint j = g_test_rand_int_range (0, i + 1);
          gpointer tmp = shuffled->pdata[i];

          shuffled->pdata[i] = shuffled->pdata[j];
          shuffled->pdata[j] = tmp;
        }

      threads = gls_threads_derive (shuffled, NULL);
      dump = gls_threads_dump (threads);
      g_assert_cmpstr (dump, ==, expected);
    }
}

static void
test_speed (void)
{
  g_autoptr(GPtrArray) docs = set_new ();
  g_autoptr(GPtrArray) threads = NULL;
  g_autoptr(GTimer) timer = NULL;
  double elapsed;

  for (guint r = 0; r < 2000; r++)
    {
      g_autofree char *root = g_strdup_printf ("urn:x:%05u", r);

      g_ptr_array_add (docs, doc (root, "commenting", r % 2 ? SRC_A : SRC_B, "root", ALICE, r));
      for (guint k = 0; k < 3; k++)
        {
          g_autofree char *rid = g_strdup_printf ("%s-%u", root, k);

          g_ptr_array_add (docs, doc (rid, "replying", root, "reply", BOB, r + k + 1));
        }
      {
        g_autofree char *eid = g_strdup_printf ("%s-e", root);

        g_ptr_array_add (docs, doc (eid, "editing", root, "edited", ALICE, r + 5));
      }
    }
  g_assert_cmpuint (docs->len, ==, 10000);

  timer = g_timer_new ();
  threads = gls_threads_derive (docs, NULL);
  elapsed = g_timer_elapsed (timer, NULL);
  g_test_message ("derived %u threads from %u documents in %.1f ms", threads->len, docs->len,
                  elapsed * 1000);
  g_assert_cmpuint (threads->len, ==, 2000);
  /* Generous for slow CI machines; the benchmark shows the real figure. */
  g_assert_cmpfloat (elapsed, <, 0.5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/threads/numbering", test_numbering);
  g_test_add_func ("/core/threads/replies", test_replies);
  g_test_add_func ("/core/threads/edits", test_edits);
  g_test_add_func ("/core/threads/assessments", test_assessments);
  g_test_add_func ("/core/threads/late-arrival", test_late_arrival);
  g_test_add_func ("/core/threads/deletion", test_deletion);
  g_test_add_func ("/core/threads/properties", test_properties);
  g_test_add_func ("/core/threads/shuffle-invariance", test_shuffle_invariance);
  g_test_add_func ("/core/threads/speed", test_speed);

  return g_test_run ();
}
