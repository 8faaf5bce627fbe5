/* test-share-ui.c: the Share dialog and the Peers window, with two real
 * workspaces syncing on loopback.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>

#include "gls-application.h"
#include "gls-canvas-private.h"
#include "gls-designs-sidebar.h"
#include "gls-peer-client.h"
#include "gls-peer-row.h"
#include "gls-peers-window.h"
#include "gls-share-dialog.h"
#include "gls-threads-panel.h"
#include "gls-window-private.h"
#include "gls-workspace.h"
#include "test-util.h"

static GObject *
template_child (gpointer    widget,
                GType       type,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return child;
}

/* Two people: Ana shares the workspace "board" (with a design), Ben has a
 * workspace of the same name, empty, in his own data dir. */
typedef struct
{
  char         *ana_dir;
  char         *ben_dir;
  GlsWorkspace *ana;
  GlsWorkspace *ben;
  GlsDesign    *design;
  GlsShare     *share;
  GlsPeerList  *ana_peers;
  GlsPeerList  *ben_peers;
  GlsWindow    *ana_window;
  GlsWindow    *ben_window;
} Fixture;

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static GlsShare *
loopback_share (const char *data_dir)
{
  GlsShare *share = gls_share_new (data_dir);

  /* Loopback only, and any free port: tests run side by side. */
  gls_share_set_lan (share, FALSE);
  gls_share_set_default_port (share, 0);

  return share;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = test_sample_path ("board.svg");
  g_autoptr(GFile) file = g_file_new_for_path (path);

  f->ana_dir = test_data_dir_new ("glossa-test-share-ana-XXXXXX");
  f->ben_dir = test_data_dir_new ("glossa-test-share-ben-XXXXXX");

  f->ana = gls_workspace_open (f->ana_dir, "board", &error);
  g_assert_no_error (error);
  f->design = gls_workspace_add_design (f->ana, file, NULL, NULL, &error);
  g_assert_no_error (error);
  f->ben = gls_workspace_open (f->ben_dir, "board", &error);
  g_assert_no_error (error);

  f->share = loopback_share (f->ana_dir);
  f->ana_peers = gls_peer_list_new (f->ana);
  f->ben_peers = gls_peer_list_new (f->ben);

  f->ana_window = gls_window_new_with_peers (NULL, f->ana, NULL, f->share, f->ana_peers);
  f->ben_window = gls_window_new_with_peers (NULL, f->ben, NULL, NULL, f->ben_peers);
  gtk_window_set_default_size (GTK_WINDOW (f->ana_window), 1200, 800);
  gtk_window_set_default_size (GTK_WINDOW (f->ben_window), 1200, 800);
  gtk_window_present (GTK_WINDOW (f->ana_window));
  gtk_window_present (GTK_WINDOW (f->ben_window));
  g_assert_true (test_wait_for (window_mapped, f->ana_window, 10, "Ana's window"));
  g_assert_true (test_wait_for (window_mapped, f->ben_window, 10, "Ben's window"));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->ana_window));
  gtk_window_destroy (GTK_WINDOW (f->ben_window));
  gls_peer_list_shutdown (f->ben_peers);
  gls_peer_list_shutdown (f->ana_peers);
  test_settle (50);
  g_clear_object (&f->ben_peers);
  g_clear_object (&f->ana_peers);
  g_clear_object (&f->share);
  test_settle (50);
  g_clear_object (&f->design);
  g_clear_object (&f->ben);
  g_clear_object (&f->ana);
  test_rm_rf (f->ana_dir);
  test_rm_rf (f->ben_dir);
  g_free (f->ana_dir);
  g_free (f->ben_dir);
}

/* Ana opens Share (the window's action), turns "Reachable from other
 * computers" off and sharing on, through the switches. */
static char *
share_through_dialog (Fixture *f)
{
  GtkWindow *dialog;
  GtkSwitch *share_switch, *lan_switch;
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  const char *link;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->ana_window), "win.share", NULL));
  dialog = f->ana_window->share_dialog;
  g_assert_true (GLS_IS_SHARE_DIALOG (dialog));
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (f->ana_window));
  test_settle (50);

  share_switch = GTK_SWITCH (template_child (dialog, GLS_TYPE_SHARE_DIALOG, "share_switch"));
  lan_switch = GTK_SWITCH (template_child (dialog, GLS_TYPE_SHARE_DIALOG, "lan_switch"));
  g_assert_false (gtk_switch_get_active (share_switch));
  g_assert_null (gls_share_dialog_get_link (GLS_SHARE_DIALOG (dialog)));

  gtk_switch_set_active (lan_switch, FALSE);
  g_assert_false (gls_share_get_lan (f->share));
  gtk_switch_set_active (share_switch, TRUE);
  g_assert_true (gls_share_is_sharing (f->share, "board"));

  link = gls_share_dialog_get_link (GLS_SHARE_DIALOG (dialog));
  g_assert_nonnull (link);
  /* HTTPS by default, the certificate pinned in the link and shown. */
  g_assert_true (g_str_has_prefix (link, "https://peer:"));
  g_assert_nonnull (strstr (link, "@127.0.0.1:"));
  g_assert_nonnull (gls_share_get_pin (f->share));
  g_assert_true (g_str_has_suffix (link, gls_share_get_pin (f->share)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (template_child (dialog, GLS_TYPE_SHARE_DIALOG,
                                                                      "certificate_row"))));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (template_child (dialog, GLS_TYPE_SHARE_DIALOG,
                                                                    "certificate_label"))),
                   ==, gls_share_get_pin (f->share));
  name = gls_peer_link_dup_workspace_name (link, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "board");

  /* The link row shows it. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (template_child (dialog, GLS_TYPE_SHARE_DIALOG,
                                                                      "link_row"))));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (template_child (dialog, GLS_TYPE_SHARE_DIALOG,
                                                                    "link_label"))),
                   ==, link);

  return g_strdup (link);
}

static void
clipboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static gboolean
is_set (gpointer data)
{
  return *(char **) data != NULL;
}

/* Whether a label under `widget` (a toast's too) starts with `prefix`. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *prefix)
{
  if (GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, prefix))
      return TRUE;
  return FALSE;
}

static gboolean
not_checking (gpointer data)
{
  return !gls_peers_window_get_checking (data);
}

static void
test_share_dialog (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *link = share_through_dialog (f);
  g_autofree char *copied = NULL;
  GtkWindow *dialog = f->ana_window->share_dialog;
  GtkSwitch *share_switch = GTK_SWITCH (template_child (dialog, GLS_TYPE_SHARE_DIALOG, "share_switch"));
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (dialog));
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autofree char *ini = g_build_filename (f->ana_dir, "serve.ini", NULL);
  g_autofree char *key = NULL;

  /* The key is kept in serve.ini, and it is the one in the link. */
  g_assert_true (g_key_file_load_from_file (keys, ini, G_KEY_FILE_NONE, NULL));
  key = g_key_file_get_string (keys, "workspace board", "key", NULL);
  g_assert_nonnull (key);
  g_assert_nonnull (strstr (link, key));

  /* Copy puts the link on the clipboard. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "share.copy-link", NULL));
  gdk_clipboard_read_text_async (clipboard, NULL, clipboard_read_cb, &copied);
  g_assert_true (test_wait_for (is_set, &copied, 5, "the clipboard"));
  g_assert_cmpstr (copied, ==, link);

  /* Beside it, the read-only link, with its own key and Copy. */
  {
    const char *read_only = gls_share_dialog_get_read_only_link (GLS_SHARE_DIALOG (dialog));
    g_autofree char *read_only_key = g_key_file_get_string (keys, "workspace board", "read-only-key", NULL);
    g_autofree char *copied_read_only = NULL;

    g_assert_nonnull (read_only);
    g_assert_cmpstr (read_only, !=, link);
    g_assert_nonnull (read_only_key);
    g_assert_nonnull (strstr (read_only, read_only_key));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (template_child (dialog, GLS_TYPE_SHARE_DIALOG,
                                                                        "read_only_row"))));
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (template_child (dialog, GLS_TYPE_SHARE_DIALOG,
                                                                      "read_only_label"))),
                     ==, read_only);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "share.copy-read-only-link", NULL));
    gdk_clipboard_read_text_async (clipboard, NULL, clipboard_read_cb, &copied_read_only);
    g_assert_true (test_wait_for (is_set, &copied_read_only, 5, "the clipboard"));
    g_assert_cmpstr (copied_read_only, ==, read_only);
  }

  /* Nobody is connected yet: the list says so. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (template_child (dialog, GLS_TYPE_SHARE_DIALOG,
                                                                      "clients_group"))));
  g_assert_cmpuint (g_list_model_get_n_items (gls_share_dialog_get_clients (GLS_SHARE_DIALOG (dialog))), ==, 0);
  g_assert_true (shows_text (GTK_WIDGET (template_child (dialog, GLS_TYPE_SHARE_DIALOG, "clients_list")),
                             "Nobody is connected"));

  /* Turning the switch off stops sharing, and the link goes. */
  gtk_switch_set_active (share_switch, FALSE);
  g_assert_false (gls_share_is_sharing (f->share, "board"));
  g_assert_null (gls_share_dialog_get_link (GLS_SHARE_DIALOG (dialog)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (template_child (dialog, GLS_TYPE_SHARE_DIALOG,
                                                                       "link_row"))));

  /* Sharing again gives the same link: the key is kept. */
  gtk_switch_set_active (share_switch, TRUE);
  g_assert_true (gls_share_is_sharing (f->share, "board"));
  g_assert_nonnull (strstr (gls_share_dialog_get_link (GLS_SHARE_DIALOG (dialog)), key));

  /* Advanced: Plain HTTP gives an http link without a pin, and back. */
  {
    GtkSwitch *plain_switch = GTK_SWITCH (template_child (dialog, GLS_TYPE_SHARE_DIALOG, "plain_http_switch"));
    const char *plain;

    g_assert_false (gtk_switch_get_active (plain_switch));
    gtk_switch_set_active (plain_switch, TRUE);
    g_assert_true (gls_share_get_plain_http (f->share));
    g_assert_true (gls_share_is_sharing (f->share, "board"));
    plain = gls_share_dialog_get_link (GLS_SHARE_DIALOG (dialog));
    g_assert_true (g_str_has_prefix (plain, "http://peer:"));
    g_assert_null (strchr (plain, '#'));
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (template_child (dialog, GLS_TYPE_SHARE_DIALOG,
                                                                         "certificate_row"))));
    gls_share_set_plain_http (f->share, FALSE);
    g_assert_false (gtk_switch_get_active (plain_switch));
    g_assert_cmpstr (gls_share_dialog_get_link (GLS_SHARE_DIALOG (dialog)), ==, link);
  }

  /* Closing Ana's window stops nothing by itself, but the dialog goes with it. */
  gtk_window_close (dialog);
  test_settle (50);
  g_assert_null (f->ana_window->share_dialog);
}

/* Rows of the Peers window */

static GlsPeerRow *
peer_row (GtkWindow *peers_window,
          guint      index)
{
  GtkListBox *list = GTK_LIST_BOX (template_child (peers_window, GLS_TYPE_PEERS_WINDOW, "peers_list"));
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, index);

  return row != NULL && GLS_IS_PEER_ROW (row) ? GLS_PEER_ROW (row) : NULL;
}

typedef struct
{
  GtkWindow  *peers_window;
  const char *prefix;
} RowStatus;

static gboolean
row_status_has_prefix (gpointer data)
{
  RowStatus *s = data;
  GlsPeerRow *row = peer_row (s->peers_window, 0);

  return row != NULL && g_str_has_prefix (gls_peer_row_get_status (row), s->prefix);
}

static gboolean
has_one_design (gpointer data)
{
  return g_list_model_get_n_items (gls_workspace_get_designs (data)) == 1;
}

static gboolean
canvas_shown (gpointer data)
{
  GlsWindow *window = data;
  GlsCanvas *canvas = _gls_window_get_canvas (window);

  return g_strcmp0 (_gls_window_get_view (window), "canvas") == 0 &&
         gtk_widget_get_width (GTK_WIDGET (canvas)) > 0 &&
         _gls_canvas_is_render_current (canvas);
}

typedef struct
{
  GlsWindow  *window;
  const char *text;
} PanelText;

static gboolean
panel_shows (gpointer data)
{
  PanelText *p = data;
  GlsThreadsPanel *panel = GLS_THREADS_PANEL (_gls_window_get_threads_panel (p->window));
  GListModel *visible = gls_threads_panel_get_visible_threads (panel);
  guint n = visible ? g_list_model_get_n_items (visible) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsThread) thread = g_list_model_get_item (visible, i);

      if (g_strcmp0 (gls_thread_get_text (thread), p->text) == 0)
        return TRUE;
    }

  return FALSE;
}

static double
seconds_until_panel_shows (GlsWindow  *window,
                           const char *text)
{
  PanelText p = { window, text };
  gint64 start = g_get_monotonic_time ();

  g_assert_true (test_wait_for (panel_shows, &p, 10, text));

  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

typedef struct
{
  GlsCanvas  *canvas;
  double      x, y;
  const char *id;
} PinAt;

static gboolean
pin_at (gpointer data)
{
  PinAt *p = data;
  double wx, wy;

  _gls_canvas_design_to_widget (p->canvas, p->x, p->y, &wx, &wy);
  return g_strcmp0 (_gls_canvas_get_pin_at (p->canvas, wx, wy), p->id) == 0;
}

static gboolean
one_client (gpointer data)
{
  return g_list_model_get_n_items (data) == 1;
}

static void
test_peers_sync (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *link = share_through_dialog (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsAnnotation) from_ana = NULL;
  g_autoptr(GlsAnnotation) from_ben = NULL;
  g_autoptr(GlsDesign) arrived = NULL;
  GlsSelector point = { GLS_SELECTOR_POINT, 0, 120, 90, 0, 0 };
  GlsSelector other = { GLS_SELECTOR_POINT, 0, 300, 200, 0, 0 };
  RowStatus live = { NULL, "Up to date" };
  PinAt pin = { NULL, 120, 90, NULL };
  GtkWindow *peers_window;
  GtkEditable *link_row;
  double seconds;

  /* Ben pastes the link into his Peers window and presses Enter. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->ben_window), "win.peers", NULL));
  peers_window = f->ben_window->peers_window;
  g_assert_true (GLS_IS_PEERS_WINDOW (peers_window));
  g_assert_null (peer_row (peers_window, 0));
  link_row = GTK_EDITABLE (template_child (peers_window, GLS_TYPE_PEERS_WINDOW, "link_row"));
  gtk_editable_set_text (link_row, link);
  g_signal_emit_by_name (link_row, "entry-activated");
  /* The peer is asked first; it takes the link. */
  g_assert_true (gls_peers_window_get_checking (GLS_PEERS_WINDOW (peers_window)));
  g_assert_true (test_wait_for (not_checking, peers_window, 20, "the peer's answer"));
  g_assert_null (gls_peers_window_get_error (GLS_PEERS_WINDOW (peers_window)));
  g_assert_cmpstr (gtk_editable_get_text (link_row), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->ben_peers)), ==, 1);
  g_assert_nonnull (peer_row (peers_window, 0));
  g_assert_true (shows_text (GTK_WIDGET (peers_window), "Syncing with"));

  /* The row reaches "Up to date", and Ana's design has travelled, file and
   * all: Ben's empty window shows it. */
  live.peers_window = peers_window;
  g_assert_true (test_wait_for (row_status_has_prefix, &live, 30, "the peer to be up to date"));
  g_assert_true (test_wait_for (has_one_design, f->ben, 10, "the design"));
  arrived = g_list_model_get_item (gls_workspace_get_designs (f->ben), 0);
  g_assert_cmpstr (gls_design_get_id (arrived), ==, gls_design_get_id (f->design));
  g_assert_true (test_wait_for (canvas_shown, f->ben_window, 20, "the design in Ben's window"));
  g_assert_cmpstr (gls_design_get_id (gls_window_get_design (f->ben_window)), ==,
                   gls_design_get_id (f->design));
  g_assert_cmpstr (gls_designs_sidebar_get_selected_design (_gls_window_get_sidebar (f->ben_window)),
                   ==, gls_design_get_id (f->design));
  g_assert_cmpstr (gtk_button_get_icon_name (f->ben_window->peers_button), ==,
                   "network-workgroup-symbolic");

  /* Ana's Share dialog shows Ben connected, by his did:key. */
  {
    GListModel *clients = gls_share_dialog_get_clients (GLS_SHARE_DIALOG (f->ana_window->share_dialog));
    g_autoptr(GlsPeerClient) client = NULL;
    const char *ben_did = gls_identity_get_did (gls_workspace_get_identity (f->ben));
    GtkListBox *list = GTK_LIST_BOX (template_child (f->ana_window->share_dialog, GLS_TYPE_SHARE_DIALOG,
                                                     "clients_list"));
    g_autofree char *short_did = gls_peer_client_abbreviate_did (ben_did);

    /* The link's check came and went; Ben's replicators stay. */
    g_assert_true (test_wait_for (one_client, clients, 20, "Ben alone in the Connected list"));
    client = g_list_model_get_item (clients, 0);
    g_assert_cmpstr (gls_peer_client_get_did (client), ==, ben_did);
    g_assert_false (gls_peer_client_get_read_only (client));
    g_assert_nonnull (gtk_list_box_get_row_at_index (list, 0));
    g_assert_true (ADW_IS_ACTION_ROW (gtk_list_box_get_row_at_index (list, 0)));
    g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_list_box_get_row_at_index (list, 0))),
                              short_did));
  }

  gls_window_show_design (f->ana_window, f->design);
  g_assert_true (test_wait_for (canvas_shown, f->ana_window, 20, "the design in Ana's window"));

  /* Ana comments: soon it is in Ben's threads panel (within a second on
   * an idle machine), and its pin on Ben's canvas. */
  from_ana = gls_workspace_comment (f->ana, gls_design_get_id (f->design), &point,
                                    "Is R3 the right value?", &error);
  g_assert_no_error (error);
  seconds = seconds_until_panel_shows (f->ben_window, "Is R3 the right value?");
  g_test_message ("Ana → Ben: %.3f s", seconds);
  /* A bound for a loaded CI machine; bench-sync measures the latency. */
  g_assert_cmpfloat (seconds, <, 5.0);
  pin.canvas = _gls_window_get_canvas (f->ben_window);
  pin.id = gls_annotation_get_id (from_ana);
  g_assert_true (test_wait_for (pin_at, &pin, 5, "the pin on Ben's canvas"));

  /* Ben comments: soon it is in Ana's panel. */
  from_ben = gls_workspace_comment (f->ben, gls_design_get_id (f->design), &other,
                                    "47k, see the datasheet", &error);
  g_assert_no_error (error);
  seconds = seconds_until_panel_shows (f->ana_window, "47k, see the datasheet");
  g_test_message ("Ben → Ana: %.3f s", seconds);
  g_assert_cmpfloat (seconds, <, 5.0);
  pin.canvas = _gls_window_get_canvas (f->ana_window);
  pin.x = other.x;
  pin.y = other.y;
  pin.id = gls_annotation_get_id (from_ben);
  g_assert_true (test_wait_for (pin_at, &pin, 5, "the pin on Ana's canvas"));

  /* Remove stops syncing and forgets the peer. */
  g_signal_emit_by_name (peer_row (peers_window, 0), "remove-requested");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->ben_peers)), ==, 0);
  test_settle (50);
  g_assert_null (peer_row (peers_window, 0));
}

static void
test_bad_links (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *link = share_through_dialog (f);
  g_autofree char *wrong_key = NULL;
  g_autofree char *nobody = NULL;
  GlsPeersWindow *peers_window;
  const char *at;
  guint port;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->ben_window), "win.peers", NULL));
  peers_window = GLS_PEERS_WINDOW (f->ben_window->peers_window);

  /* Not a link: the error shows under the entry, nothing is added. */
  g_assert_false (gls_peers_window_add_link (peers_window, "board, please"));
  g_assert_nonnull (gls_peers_window_get_error (peers_window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (template_child (peers_window, GLS_TYPE_PEERS_WINDOW,
                                                                      "error_label"))));
  g_assert_false (gls_peers_window_add_link (peers_window, "ftp://peer:key@127.0.0.1:5985/board"));
  g_assert_nonnull (gls_peers_window_get_error (peers_window));
  g_assert_false (gls_peers_window_add_link (peers_window, "http://127.0.0.1:5985/"));
  g_assert_nonnull (gls_peers_window_get_error (peers_window));
  g_assert_false (gls_peers_window_add_link (peers_window, "   "));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->ben_peers)), ==, 0);

  /* Typing again clears the error. */
  gtk_editable_set_text (GTK_EDITABLE (template_child (peers_window, GLS_TYPE_PEERS_WINDOW, "link_row")), "h");
  g_assert_null (gls_peers_window_get_error (peers_window));

  /* Another workspace's link, with no application to open it: said so. */
  g_assert_false (gls_peers_window_add_link (peers_window, "http://peer:k@127.0.0.1:5985/posters"));
  g_assert_nonnull (strstr (gls_peers_window_get_error (peers_window), "posters"));

  /* The right workspace with a wrong key: the peer refuses it, so it is
   * not kept (nor saved), no "Syncing" toast, and the reason shows. */
  at = strchr (link, '@');
  wrong_key = g_strconcat ("https://peer:0000wrongkey", at, NULL);
  g_assert_true (gls_peers_window_add_link (peers_window, wrong_key));
  g_assert_true (test_wait_for (not_checking, peers_window, 20, "the peer's refusal"));
  g_test_message ("wrong key: %s", gls_peers_window_get_error (peers_window));
  g_assert_cmpstr (gls_peers_window_get_error (peers_window), ==, "The peer refused the access key");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (template_child (peers_window, GLS_TYPE_PEERS_WINDOW,
                                                                      "error_label"))));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->ben_peers)), ==, 0);
  g_assert_null (peer_row (GTK_WINDOW (peers_window), 0));
  g_assert_false (shows_text (GTK_WIDGET (peers_window), "Syncing with"));
  {
    g_autofree char *ini = g_build_filename (f->ben_dir, "peers.ini", NULL);
    g_autofree char *saved = NULL;

    if (g_file_get_contents (ini, &saved, NULL, NULL))
      g_assert_null (strstr (saved, "0000wrongkey"));
  }

  /* A link pinning another certificate: refused, naming both, and the
   * share goes on serving. */
  {
    const char *other_pin = "sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    g_autofree char *wrong_pin = g_strdup_printf ("%.*s#pin=%s", (int) (strchr (link, '#') - link), link,
                                                  other_pin);
    const char *message;

    g_assert_true (gls_peers_window_add_link (peers_window, wrong_pin));
    g_assert_true (test_wait_for (not_checking, peers_window, 20, "the certificate error"));
    message = gls_peers_window_get_error (peers_window);
    g_test_message ("wrong pin: %s", message);
    g_assert_nonnull (strstr (message, other_pin));
    g_assert_nonnull (strstr (message, gls_share_get_pin (f->share)));
    g_assert_true (gls_share_is_sharing (f->share, "board"));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->ben_peers)), ==, 0);
    g_assert_cmpuint (g_list_model_get_n_items (gls_workspace_get_designs (f->ben)), ==, 0);
  }

  /* Nobody listening: not kept either, and said so. */
  port = test_quiet_port ();
  nobody = g_strdup_printf ("http://peer:key@127.0.0.1:%u/board", port);
  g_assert_true (gls_peers_window_add_link (peers_window, nobody));
  g_assert_true (test_wait_for (not_checking, peers_window, 20, "the closed port"));
  g_assert_true (g_str_has_prefix (gls_peers_window_get_error (peers_window), "Cannot reach the peer"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->ben_peers)), ==, 0);
  g_assert_false (shows_text (GTK_WIDGET (peers_window), "Syncing with"));
  g_assert_cmpstr (gtk_button_get_icon_name (f->ben_window->peers_button), !=, "network-error-symbolic");
}

/* The words of each state. */
static void
test_describe_state (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 24, 12, 0, 0);
  g_autoptr(GDateTime) before = g_date_time_add_minutes (now, -2);
  g_autofree char *connecting = gls_peer_describe_state (GLS_PEER_STATE_CONNECTING, NULL, 0, 0, NULL, now);
  g_autofree char *syncing = gls_peer_describe_state (GLS_PEER_STATE_SYNCING, NULL, 120, 180, NULL, now);
  g_autofree char *starting = gls_peer_describe_state (GLS_PEER_STATE_SYNCING, NULL, 0, 0, NULL, now);
  g_autofree char *live = gls_peer_describe_state (GLS_PEER_STATE_LIVE, NULL, 300, 0, before, now);
  g_autofree char *offline = gls_peer_describe_state (GLS_PEER_STATE_OFFLINE, NULL, 0, 0, NULL, now);
  g_autofree char *error = gls_peer_describe_state (GLS_PEER_STATE_ERROR, "wrong access key", 0, 0, NULL, now);

  g_assert_cmpstr (connecting, ==, "Connecting…");
  g_assert_cmpstr (syncing, ==, "Syncing — 120 of 300");
  g_assert_cmpstr (starting, ==, "Syncing…");
  g_assert_cmpstr (live, ==, "Up to date · synced 2 minutes ago");
  g_assert_cmpstr (offline, ==, "Offline — retrying");
  g_assert_cmpstr (error, ==, "Error: wrong access key");

  /* A limit while things work (a read-only key) shows on a line of its own. */
  {
    g_autofree char *read_only = gls_peer_describe_state (GLS_PEER_STATE_LIVE, "Only reads", 3, 0, before, now);

    g_assert_cmpstr (read_only, ==, "Up to date · synced 2 minutes ago\nOnly reads");
  }
}

/* The application: a link of a workspace Ben does not have yet creates it
 * and opens it in a window of its own, where Ana's design arrives. */

static gboolean
app_window_for (gpointer data)
{
  gpointer *args = data;

  return gls_application_find_window (args[0], args[1]) != NULL;
}

static gboolean
window_has_design (gpointer data)
{
  return gls_window_get_design (data) != NULL &&
         g_list_model_get_n_items (gls_workspace_get_designs (gls_window_get_workspace (data))) == 1;
}

static gboolean
window_shows (gpointer data)
{
  gpointer *args = data;

  return shows_text (args[0], args[1]);
}

static void
test_application_new_workspace (void)
{
  g_autofree char *ana_dir = g_dir_make_tmp ("glossa-test-share-ana-XXXXXX", NULL);
  g_autofree char *ben_dir = g_dir_make_tmp ("glossa-test-share-ben-XXXXXX", NULL);
  g_autofree char *path = test_sample_path ("board.svg");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GlsWorkspace) ana = NULL;
  g_autoptr(GlsDesign) design = NULL;
  g_autoptr(GlsShare) share = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsApplication) app = NULL;
  g_autofree char *link = NULL;
  g_auto(GStrv) before = NULL;
  g_auto(GStrv) after = NULL;
  gpointer main_args[2], board_args[2];
  GlsWindow *board_window;
  GlsPeerList *peers;

  ana = gls_workspace_open (ana_dir, "posters", &error);
  g_assert_no_error (error);
  design = gls_workspace_add_design (ana, file, NULL, NULL, &error);
  g_assert_no_error (error);
  share = loopback_share (ana_dir);
  g_assert_true (gls_share_start (share, ana, &error));
  g_assert_no_error (error);
  link = gls_share_dup_link (share, "posters");
  g_assert_nonnull (link);

  g_setenv ("GLOSSA_DATA_DIR", ben_dir, TRUE);
  app = gls_application_new ("io.github.glossa.Glossa.ShareTest",
                             G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  main_args[0] = app;
  main_args[1] = (gpointer) GLS_WORKSPACE_DEFAULT_NAME;
  g_assert_true (test_wait_for (app_window_for, main_args, 20, "Ben's window"));
  g_assert_nonnull (gls_application_get_share (app));
  g_assert_nonnull (gls_application_get_peer_list (app, GLS_WORKSPACE_DEFAULT_NAME));

  before = gls_workspace_list_names (ben_dir, NULL);
  g_assert_false (g_strv_contains ((const char * const *) before, "posters"));

  /* A link with a wrong key, through app.add-peer: the peer refuses it,
   * so no workspace is made, nothing is kept, no "Syncing" toast, and a
   * toast says why. */
  {
    GlsWindow *main_window = gls_application_find_window (app, GLS_WORKSPACE_DEFAULT_NAME);
    g_autofree char *wrong = g_strconcat ("https://peer:0000wrongkey", strchr (link, '@'), NULL);
    g_auto(GStrv) names = NULL;
    gpointer toast_args[2] = { main_window, (gpointer) "Could not add the peer: The peer refused the access key" };

    g_action_group_activate_action (G_ACTION_GROUP (app), "add-peer", g_variant_new_string (wrong));
    g_assert_true (test_wait_for (window_shows, toast_args, 20, "the refusal's toast"));
    g_assert_false (shows_text (GTK_WIDGET (main_window), "Syncing with"));
    g_assert_null (gls_application_find_window (app, "posters"));
    names = gls_workspace_list_names (ben_dir, NULL);
    g_assert_false (g_strv_contains ((const char * const *) names, "posters"));
  }

  /* Pasted into the Peers window of Ben's default workspace. */
  {
    GlsWindow *main_window = gls_application_find_window (app, GLS_WORKSPACE_DEFAULT_NAME);
    GtkWindow *peers_window;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window), "win.peers", NULL));
    peers_window = main_window->peers_window;
    g_assert_true (gls_peers_window_add_link (GLS_PEERS_WINDOW (peers_window), link));
    g_assert_null (gls_peers_window_get_error (GLS_PEERS_WINDOW (peers_window)));
    /* Not added here. */
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gls_window_get_peer_list (main_window))), ==, 0);
  }

  board_args[0] = app;
  board_args[1] = (gpointer) "posters";
  g_assert_true (test_wait_for (app_window_for, board_args, 20, "the new workspace's window"));
  after = gls_workspace_list_names (ben_dir, NULL);
  g_assert_true (g_strv_contains ((const char * const *) after, "posters"));

  board_window = gls_application_find_window (app, "posters");
  peers = gls_application_get_peer_list (app, "posters");
  g_assert_true (gls_window_get_peer_list (board_window) == peers);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (peers)), ==, 1);
  g_assert_true (test_wait_for (window_has_design, board_window, 30, "Ana's design in the new window"));
  g_assert_cmpstr (gls_design_get_id (gls_window_get_design (board_window)), ==,
                   gls_design_get_id (design));

  /* That window's Peers window lists the peer. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (board_window), "win.peers", NULL));
  g_assert_true (GLS_IS_PEERS_WINDOW (board_window->peers_window));
  g_assert_true (gls_peers_window_get_peer_list (GLS_PEERS_WINDOW (board_window->peers_window)) == peers);
  g_assert_nonnull (peer_row (board_window->peers_window, 0));

  /* The same link again: the window is there, the peer not doubled. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "add-peer", g_variant_new_string (link));
  test_settle (100);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (peers)), ==, 1);

  /* Closing that window stops its peers. */
  gtk_window_destroy (GTK_WINDOW (board_window));
  test_settle (50);
  g_assert_null (gls_application_get_peer_list (app, "posters"));

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  test_settle (50);
  g_clear_object (&app);
  g_unsetenv ("GLOSSA_DATA_DIR");
  gls_share_stop (share, "posters");
  g_clear_object (&share);
  test_settle (50);
  g_clear_object (&design);
  g_clear_object (&ana);
  test_rm_rf (ana_dir);
  test_rm_rf (ben_dir);
}

/* Sharing is a choice that lasts: a workspace shared from the window is
 * shared again, on the same terms, when Glossa starts next time. */

static GlsApplication *
start_application (void)
{
  g_autoptr(GError) error = NULL;
  GlsApplication *app;
  gpointer args[2];

  app = gls_application_new ("io.github.glossa.Glossa.ShareTest",
                             G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  args[0] = app;
  args[1] = (gpointer) GLS_WORKSPACE_DEFAULT_NAME;
  g_assert_true (test_wait_for (app_window_for, args, 20, "the window"));

  return app;
}

static void
stop_application (GlsApplication *app)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  test_settle (50);
  g_object_unref (app);
  test_settle (50);
}

static void
test_application_remembers_sharing (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glossa-test-share-keep-XXXXXX", NULL);
  GlsApplication *app;
  GlsWindow *window;
  GtkWindow *dialog;
  g_autofree char *link = NULL;

  g_setenv ("GLOSSA_DATA_DIR", dir, TRUE);

  app = start_application ();
  g_assert_false (gls_share_is_sharing (gls_application_get_share (app), GLS_WORKSPACE_DEFAULT_NAME));
  window = gls_application_find_window (app, GLS_WORKSPACE_DEFAULT_NAME);
  gls_share_set_default_port (gls_application_get_share (app), 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.share", NULL));
  dialog = window->share_dialog;
  gtk_switch_set_active (GTK_SWITCH (template_child (dialog, GLS_TYPE_SHARE_DIALOG, "lan_switch")), FALSE);
  gtk_switch_set_active (GTK_SWITCH (template_child (dialog, GLS_TYPE_SHARE_DIALOG, "share_switch")), TRUE);
  g_assert_true (gls_share_is_sharing (gls_application_get_share (app), GLS_WORKSPACE_DEFAULT_NAME));
  link = g_strdup (gls_share_dialog_get_link (GLS_SHARE_DIALOG (dialog)));
  g_assert_nonnull (link);
  stop_application (app);

  /* Next start: shared again, loopback only, with the same key. */
  app = start_application ();
  g_assert_true (gls_share_is_sharing (gls_application_get_share (app), GLS_WORKSPACE_DEFAULT_NAME));
  g_assert_false (gls_share_get_lan (gls_application_get_share (app)));
  {
    g_autofree char *again = gls_share_dup_link (gls_application_get_share (app), GLS_WORKSPACE_DEFAULT_NAME);
    const char *key_end = strchr (link, '@');

    g_assert_nonnull (again);
    g_assert_nonnull (strstr (again, "@127.0.0.1:"));
    g_assert_cmpint (strncmp (again, link, key_end - link), ==, 0);
  }

  /* Switched off: it stays off. */
  window = gls_application_find_window (app, GLS_WORKSPACE_DEFAULT_NAME);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.share", NULL));
  gtk_switch_set_active (GTK_SWITCH (template_child (window->share_dialog, GLS_TYPE_SHARE_DIALOG,
                                                     "share_switch")), FALSE);
  g_assert_false (gls_share_is_sharing (gls_application_get_share (app), GLS_WORKSPACE_DEFAULT_NAME));
  stop_application (app);

  app = start_application ();
  g_assert_false (gls_share_is_sharing (gls_application_get_share (app), GLS_WORKSPACE_DEFAULT_NAME));
  stop_application (app);

  g_unsetenv ("GLOSSA_DATA_DIR");
  test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = test_ui_home_new ("glossa-test-share-home-XXXXXX");
  int ret;

  /* The words tested are the English ones. */
  g_setenv ("LANGUAGE", "C", TRUE);

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/ui/share/describe-state", test_describe_state);
  g_test_add ("/ui/share/dialog", Fixture, NULL,
              fixture_setup, test_share_dialog, fixture_teardown);
  g_test_add ("/ui/share/peers-sync", Fixture, NULL,
              fixture_setup, test_peers_sync, fixture_teardown);
  g_test_add ("/ui/share/bad-links", Fixture, NULL,
              fixture_setup, test_bad_links, fixture_teardown);
  g_test_add_func ("/ui/share/application-new-workspace", test_application_new_workspace);
  g_test_add_func ("/ui/share/application-remembers-sharing", test_application_remembers_sharing);

  ret = g_test_run ();
  test_rm_rf (home);

  return ret;
}
