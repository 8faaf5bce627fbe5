/* test-ui-notify.c: notifications of what peers write, and opening the
 * thread one names
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "gls-hlc.h"
#include "gls-notifier.h"
#include "gls-proof.h"
#include "gls-threads-panel.h"
#include "gls-thread-view.h"
#include "gls-window-private.h"
#include "gls-workspace.h"
#include "test-util.h"

typedef struct
{
  char         *dir;
  GlsWorkspace *workspace;
  GlsDesign    *design;
  GlsIdentity  *ada;
  GPtrArray    *sent;     /* GNotification */
  GPtrArray    *ids;
} Fixture;

static void
sent_cb (const char    *id,
         GNotification *notification,
         gpointer       user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->sent, g_object_ref (notification));
  g_ptr_array_add (f->ids, g_strdup (id));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = test_sample_path ("board.svg");

  f->dir = test_data_dir_new ("glossa-test-notify-XXXXXX");
  f->workspace = gls_workspace_open (f->dir, "default", &error);
  g_assert_no_error (error);
  file = g_file_new_for_path (path);
  f->design = gls_workspace_add_design (f->workspace, file, NULL, NULL, &error);
  g_assert_no_error (error);
  f->ada = gls_identity_new_random ();
  f->sent = g_ptr_array_new_with_free_func (g_object_unref);
  f->ids = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->sent, g_ptr_array_unref);
  g_clear_pointer (&f->ids, g_ptr_array_unref);
  g_clear_object (&f->ada);
  g_clear_object (&f->design);
  g_clear_object (&f->workspace);
  test_data_dir_free (f->dir);
}

/* Ada's words, as her peer's sync writes them: signed, or not. */
static char *
from_ada (Fixture       *f,
          GlsAnnotation *annotation,
          gboolean       sign)
{
  g_autoptr(JsonObject) doc = gls_annotation_to_json (annotation);
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = NULL;

  if (sign)
    g_assert_true (gls_proof_sign (doc, f->ada, NULL, &error));
  rev = gls_store_put (gls_workspace_get_store (f->workspace), doc, &error);
  g_assert_no_error (error);
  return g_strdup (gls_annotation_get_id (annotation));
}

static char *
ada_replies (Fixture    *f,
             const char *root_id,
             const char *text,
             gboolean    sign)
{
  g_autoptr(GlsHlc) hlc = gls_hlc_new ();
  g_autofree char *created = gls_hlc_now (hlc);
  g_autoptr(GlsAnnotation) reply = gls_annotation_new_reply (root_id, text, gls_identity_get_did (f->ada),
                                                             "Ada", NULL, created);

  return from_ada (f, reply, sign);
}

static char *
ada_comments (Fixture    *f,
              const char *text)
{
  g_autoptr(GlsHlc) hlc = gls_hlc_new ();
  g_autofree char *created = gls_hlc_now (hlc);
  g_autoptr(GlsAnnotation) comment = NULL;
  GlsSelector point = { GLS_SELECTOR_POINT, 0, 30, 30, 0, 0 };
  const char *me = gls_identity_get_did (gls_workspace_get_identity (f->workspace));
  const char *mentions[] = { me, NULL };

  comment = gls_annotation_new_comment (gls_design_get_source (f->design), &point, text,
                                        gls_identity_get_did (f->ada), "Ada", NULL, created);
  if (g_str_has_prefix (text, "@"))
    {
      /* As her Glossa writes a mention: a tagging body with my id. */
      g_autoptr(JsonObject) doc = gls_annotation_to_json (comment);
      g_autoptr(GlsAnnotation) tagged = NULL;
      JsonArray *bodies = json_array_new ();
      JsonObject *tag = json_object_new ();

      json_array_add_object_element (bodies, json_object_ref (json_object_get_object_member (doc, "body")));
      json_object_set_string_member (tag, "type", "SpecificResource");
      json_object_set_string_member (tag, "purpose", "tagging");
      json_object_set_string_member (tag, "source", mentions[0]);
      json_array_add_object_element (bodies, tag);
      json_object_set_array_member (doc, "body", bodies);
      tagged = gls_annotation_new_from_json (doc, NULL);
      g_assert_nonnull (tagged);
      return from_ada (f, tagged, TRUE);
    }
  return from_ada (f, comment, TRUE);
}

static guint wanted;

static gboolean
sent_n (gpointer data)
{
  Fixture *f = data;

  return f->sent->len >= wanted;
}

/* A reply by Ada to my thread notifies me while the window is behind; one
 * to a thread I am not in does not, nor unsigned words; a comment naming
 * me does. */
static void
test_notifications (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsAnnotation) mine = NULL;
  g_autoptr(GlsNotifier) notifier = NULL;
  GtkWidget *window = gtk_window_new ();   /* never shown: not in front */
  g_autofree char *others = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *mention = NULL;
  GlsSelector point = { GLS_SELECTOR_POINT, 0, 10, 10, 0, 0 };

  notifier = gls_notifier_new (f->workspace, GTK_WINDOW (window));
  gls_notifier_set_send_func (notifier, sent_cb, f);

  mine = gls_workspace_comment (f->workspace, gls_design_get_id (f->design), &point, "Is R3 10k?", &error);
  g_assert_no_error (error);
  others = ada_comments (f, "Silkscreen is blurry");
  test_settle (200);
  g_assert_cmpuint (f->sent->len, ==, 0);

  /* Not my thread; unsigned words. */
  g_free (ada_replies (f, others, "Fixed it myself", TRUE));
  g_free (ada_replies (f, gls_annotation_get_id (mine), "Unsigned: trust me", FALSE));
  test_settle (300);
  g_assert_cmpuint (f->sent->len, ==, 0);

  reply = ada_replies (f, gls_annotation_get_id (mine), "Yes, 10k", TRUE);
  wanted = 1;
  g_assert_true (test_wait_until (sent_n, f, 10));
  g_assert_cmpuint (f->sent->len, ==, 1);
  {
    g_autofree char *id = g_strconcat ("thread-", gls_annotation_get_id (mine), NULL);

    g_assert_cmpstr (g_ptr_array_index (f->ids, 0), ==, id);
  }

  mention = ada_comments (f, "@you please look at C3");
  wanted = 2;
  g_assert_true (test_wait_until (sent_n, f, 10));
  test_settle (300);
  g_assert_cmpuint (f->sent->len, ==, 2);
  {
    g_autofree char *id = g_strconcat ("thread-", mention, NULL);

    g_assert_cmpstr (g_ptr_array_index (f->ids, 1), ==, id);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
thread_open (gpointer data)
{
  GlsWindow *window = data;
  GlsThreadsPanel *panel = GLS_THREADS_PANEL (_gls_window_get_threads_panel (window));

  return gls_threads_panel_get_showing_thread (panel);
}

/* What the notification's click does: the design shows and the thread
 * opens, once its threads are read; a resolved one too. */
static void
test_show_thread (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsAnnotation) first = NULL;
  g_autoptr(GlsAnnotation) second = NULL;
  g_autoptr(GlsAnnotation) resolved = NULL;
  g_autoptr(GlsDesign) png = test_workspace_add_sample (f->workspace, "board.png");
  GlsSelector point = { GLS_SELECTOR_POINT, 0, 10, 10, 0, 0 };
  GlsWindow *window;
  GlsThreadsPanel *panel;

  first = gls_workspace_comment (f->workspace, gls_design_get_id (f->design), &point, "First", &error);
  g_assert_no_error (error);
  second = gls_workspace_comment (f->workspace, gls_design_get_id (f->design), &point, "Second", &error);
  g_assert_no_error (error);
  resolved = gls_workspace_set_resolved (f->workspace, gls_annotation_get_id (second), TRUE, &error);
  g_assert_no_error (error);

  window = gls_window_new (NULL, f->workspace, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (test_wait_for (window_mapped, window, 10, "the window to map"));
  gls_window_show_design (window, png);
  test_settle (200);

  gls_window_show_thread (window, gls_design_get_id (f->design), gls_annotation_get_id (second));
  g_assert_true (test_wait_for (thread_open, window, 10, "the thread to open"));
  panel = GLS_THREADS_PANEL (_gls_window_get_threads_panel (window));
  g_assert_cmpstr (gls_threads_panel_get_selected_thread (panel), ==, gls_annotation_get_id (second));
  g_assert_cmpstr (gls_design_get_id (gls_threads_panel_get_design (panel)), ==, gls_design_get_id (f->design));

  /* A design that is not there: a message, nothing else moves. */
  gls_window_show_thread (window, "urn:uuid:00000000-0000-4000-8000-000000000000", "urn:uuid:x");
  g_assert_cmpstr (gls_design_get_id (gls_threads_panel_get_design (panel)), ==, gls_design_get_id (f->design));

  gtk_window_destroy (GTK_WINDOW (window));
  test_settle (50);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  GlsWorkspace **out = data;
  g_autoptr(GError) error = NULL;

  *out = gls_workspace_open_finish (result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

/* In a window's lazy workspace, a reply that mentions me on a design no
 * window has shown (its threads were never read) notifies too: its
 * thread is found in the store. */
static void
test_unshown_reply_mention (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GlsWorkspace) lazy = NULL;
  g_autoptr(GlsNotifier) notifier = NULL;
  g_autoptr(GlsHlc) hlc = gls_hlc_new ();
  g_autofree char *root = ada_comments (f, "Which LED is D1?");
  g_autofree char *created = NULL;
  g_autoptr(GlsAnnotation) reply = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = NULL;
  g_autofree char *thread_id = g_strconcat ("thread-", root, NULL);
  GtkWidget *window = gtk_window_new ();   /* never shown: not in front */

  g_clear_object (&f->workspace);
  gls_workspace_open_lazy_async (f->dir, "default", NULL, opened_cb, &lazy);
  g_assert_true (test_wait_for (is_set, &lazy, 10, "the workspace to open"));
  notifier = gls_notifier_new (lazy, GTK_WINDOW (window));
  gls_notifier_set_send_func (notifier, sent_cb, f);

  /* Ada's reply to her own comment, naming me. */
  created = gls_hlc_now (hlc);
  reply = gls_annotation_new_reply (root, "@you is it the red one?", gls_identity_get_did (f->ada),
                                    "Ada", NULL, created);
  doc = gls_annotation_to_json (reply);
  {
    JsonArray *bodies = json_array_new ();
    JsonObject *tag = json_object_new ();

    json_array_add_object_element (bodies, json_object_ref (json_object_get_object_member (doc, "body")));
    json_object_set_string_member (tag, "type", "SpecificResource");
    json_object_set_string_member (tag, "purpose", "tagging");
    json_object_set_string_member (tag, "source", gls_identity_get_did (gls_workspace_get_identity (lazy)));
    json_array_add_object_element (bodies, tag);
    json_object_set_array_member (doc, "body", bodies);
  }
  g_assert_true (gls_proof_sign (doc, f->ada, NULL, &error));
  rev = gls_store_put (gls_workspace_get_store (lazy), doc, &error);
  g_assert_no_error (error);

  wanted = 1;
  g_assert_true (test_wait_until (sent_n, f, 10));
  test_settle (200);
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->ids, 0), ==, thread_id);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
root_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static gboolean
find_root (GlsWorkspace *workspace,
           const char   *id,
           char        **root_id,
           char        **source,
           GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gls_workspace_find_root_async (workspace, id, NULL, root_cb, &result);
  g_assert_true (test_wait_for (is_set, &result, 10, "the lookup"));
  return gls_workspace_find_root_finish (workspace, result, root_id, source, error);
}

static void
put_reply_to (Fixture    *f,
              const char *id,
              const char *target)
{
  g_autoptr(GlsAnnotation) reply = gls_annotation_new_reply (target, "loop", gls_identity_get_did (f->ada),
                                                             "Ada", NULL, "2026-12-06T10:00:00Z");
  g_autoptr(JsonObject) doc = gls_annotation_to_json (reply);
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = NULL;

  json_object_set_string_member (doc, "_id", id);
  json_object_set_string_member (doc, "id", id);
  rev = gls_store_put (gls_workspace_get_store (f->workspace), doc, &error);
  g_assert_no_error (error);
}

/* The store lookup behind it: a reply's chain ends at its root and the
 * design; a chain that loops, or that ends nowhere, is not found (and
 * does not hang). */
static void
test_find_root (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *root = ada_comments (f, "Which LED is D1?");
  g_autofree char *reply = ada_replies (f, root, "The red one", TRUE);
  g_autofree char *root_id = NULL;
  g_autofree char *source = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (find_root (f->workspace, reply, &root_id, &source, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (root_id, ==, root);
  g_assert_cmpstr (source, ==, gls_design_get_source (f->design));

  put_reply_to (f, "urn:uuid:aaaaaaaa-0000-4000-8000-000000000001", "urn:uuid:aaaaaaaa-0000-4000-8000-000000000002");
  put_reply_to (f, "urn:uuid:aaaaaaaa-0000-4000-8000-000000000002", "urn:uuid:aaaaaaaa-0000-4000-8000-000000000001");
  g_assert_false (find_root (f->workspace, "urn:uuid:aaaaaaaa-0000-4000-8000-000000000001", NULL, NULL, &error));
  g_assert_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  put_reply_to (f, "urn:uuid:aaaaaaaa-0000-4000-8000-000000000003", "urn:uuid:aaaaaaaa-0000-4000-8000-00000000dead");
  g_assert_false (find_root (f->workspace, "urn:uuid:aaaaaaaa-0000-4000-8000-000000000003", NULL, NULL, &error));
  g_assert_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_NOT_FOUND);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *home = test_ui_home_new ("glossa-test-notify-home-XXXXXX");

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/ui/notify/replies-and-mentions", Fixture, NULL, fixture_setup, test_notifications, fixture_teardown);
  g_test_add ("/ui/notify/show-thread", Fixture, NULL, fixture_setup, test_show_thread, fixture_teardown);
  g_test_add ("/ui/notify/find-root", Fixture, NULL, fixture_setup, test_find_root, fixture_teardown);
  g_test_add ("/ui/notify/unshown-reply-mention", Fixture, NULL, fixture_setup, test_unshown_reply_mention, fixture_teardown);

  return g_test_run ();
}
