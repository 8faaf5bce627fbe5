/* gls-threads-panel.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-threads-panel"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "gls-review-box.h"
#include "gls-thread-row.h"
#include "gls-thread-view.h"
#include "gls-threads-panel-private.h"

#define SETTINGS_SCHEMA_ID "io.github.glossa.Glossa"

struct _GlsThreadsPanel
{
  GtkWidget           parent_instance;

  GlsWorkspace       *workspace;
  GlsDesign          *design;
  char               *selected_thread;
  char               *filter;
  gboolean            mine_only;
  gboolean            mentions_only;
  /* carried threads: "all", "changed" or "unchanged" */
  char               *changes;
  /* casefolded, or NULL for no search */
  char               *search;

  /* The design's threads, then those carried from its earlier versions:
   * a flattened store of the two models. */
  GListModel         *own;
  GListModel         *carried;
  GListStore         *models;
  GListModel         *threads;
  /* root id → GlsThreadNote, from the window; NULL for none */
  GHashTable         *notes;
  GtkFilterListModel *filter_model;
  GtkCustomFilter    *custom_filter;
  GtkFilterListModel *orphan_model;
  GtkCustomFilter    *orphan_filter;
  /* the list's rows that are bound, to give them new notes */
  GHashTable         *bound_rows;
  GSettings          *settings;
  GlsThreadView      *thread_view;

  GtkStack           *stack;
  GtkSearchEntry     *search_entry;
  GtkBox             *review_slot;
  GlsReviewBox       *review_box;
  GtkToggleButton    *mine_button;
  GtkWidget          *changes_box;
  GtkDropDown        *changes_dropdown;
  GtkStack           *list_stack;
  GtkListView        *list_view;
  AdwStatusPage      *no_results_page;
  GtkWidget          *orphan_box;
  GtkScrolledWindow  *orphan_scroller;
  GtkListBox         *orphan_list;
};

G_DEFINE_FINAL_TYPE (GlsThreadsPanel, gls_threads_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_WORKSPACE,
  PROP_DESIGN,
  PROP_SELECTED_THREAD,
  PROP_FILTER,
  PROP_MINE_ONLY,
  PROP_MENTIONS_ONLY,
  PROP_CHANGES,
  N_PROPS
};

enum {
  THREAD_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static char *
fold (const char *text)
{
  g_autofree char *normalized = NULL;

  if (text == NULL)
    return g_strdup ("");

  normalized = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);

  return g_utf8_casefold (normalized ? normalized : text, -1);
}

static gboolean
matches (const char *haystack,
         const char *folded_needle)
{
  g_autofree char *folded = fold (haystack);

  return strstr (folded, folded_needle) != NULL;
}

static gboolean
thread_matches_search (GlsThread  *thread,
                       const char *needle)
{
  GListModel *comments;
  guint n;

  if (matches (gls_thread_get_text (thread), needle) ||
      matches (gls_thread_get_author_name (thread), needle))
    return TRUE;

  comments = gls_thread_get_comments (thread);
  n = g_list_model_get_n_items (comments);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsComment) comment = g_list_model_get_item (comments, i);

      if (matches (gls_comment_get_text (comment), needle) ||
          matches (gls_comment_get_author_name (comment), needle))
        return TRUE;
    }

  return FALSE;
}

static const GlsThreadNote *
note_for (GlsThreadsPanel *self,
          GlsThread       *thread)
{
  if (self->notes == NULL || thread == NULL)
    return NULL;

  return g_hash_table_lookup (self->notes, gls_thread_get_root_id (thread));
}

static gboolean
is_orphaned (GlsThreadsPanel *self,
             GlsThread       *thread)
{
  const GlsThreadNote *note = note_for (self, thread);

  return note != NULL && note->state == GLS_ANCHOR_ORPHANED;
}

/* The user's filters: open / resolved, mine, the search. */
static gboolean
passes_filters (GlsThreadsPanel *self,
                GlsThread       *thread)
{
  gboolean resolved = gls_thread_get_resolved (thread);

  if (g_strcmp0 (self->filter, "open") == 0 && resolved)
    return FALSE;
  if (g_strcmp0 (self->filter, "resolved") == 0 && !resolved)
    return FALSE;

  if (self->mine_only)
    {
      GlsIdentity *identity = gls_workspace_get_identity (self->workspace);

      if (identity == NULL ||
          g_strcmp0 (gls_thread_get_author_id (thread), gls_identity_get_did (identity)) != 0)
        return FALSE;
    }

  if (self->mentions_only)
    {
      GlsIdentity *identity = gls_workspace_get_identity (self->workspace);

      if (identity == NULL || !gls_thread_mentions (thread, gls_identity_get_did (identity)))
        return FALSE;
    }

  /* Changed / Unchanged: only the carried threads the design changed
   * (or did not change) under. */
  if (g_strcmp0 (self->changes, "all") != 0)
    {
      const GlsThreadNote *note = note_for (self, thread);
      GlsChange wanted = g_strcmp0 (self->changes, "changed") == 0 ? GLS_CHANGE_CHANGED : GLS_CHANGE_UNCHANGED;

      if (note == NULL || !note->compared || note->change != wanted)
        return FALSE;
    }

  if (self->search != NULL && !thread_matches_search (thread, self->search))
    return FALSE;

  return TRUE;
}

/* The list: threads whose passage is in the text shown (or that have no
 * passage). */
static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  GlsThreadsPanel *self = user_data;

  return !is_orphaned (self, item) && passes_filters (self, item);
}

/* The Orphaned section: the others, with their old quotes. */
static gboolean
orphan_filter_func (gpointer item,
                    gpointer user_data)
{
  GlsThreadsPanel *self = user_data;

  return is_orphaned (self, item) && passes_filters (self, item);
}

/* The Changed / Unchanged filter: only while some carried thread was
 * compared with the version shown. */
static void
update_changes_box (GlsThreadsPanel *self)
{
  gboolean compared = FALSE;

  if (self->notes != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->notes);
      while (!compared && g_hash_table_iter_next (&iter, NULL, &value))
        compared = ((GlsThreadNote *) value)->compared;
    }

  gtk_widget_set_visible (self->changes_box, compared);
}

static const char * const changes_values[] = { "all", "changed", "unchanged" };

static void
changes_selected_cb (GlsThreadsPanel *self,
                     GParamSpec      *pspec,
                     GtkDropDown     *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected < G_N_ELEMENTS (changes_values))
    gls_threads_panel_set_changes (self, changes_values[selected]);
}

/* Why the list is empty, naming every filter that is on. */
static char *
describe_no_results (GlsThreadsPanel *self)
{
  g_autofree char *typed = NULL;
  gboolean open = g_strcmp0 (self->filter, "open") == 0;
  gboolean resolved = g_strcmp0 (self->filter, "resolved") == 0;
  const char *remedy;

  if (g_strcmp0 (self->changes, "all") != 0)
    {
      gboolean changed = g_strcmp0 (self->changes, "changed") == 0;

      if (self->search != NULL)
        {
          typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
          return g_strdup_printf (changed
                                  ? _("No threads of earlier versions where the design changed match “%s”. "
                                      "Try other words, or show all earlier threads.")
                                  : _("No threads of earlier versions where the design is unchanged match “%s”. "
                                      "Try other words, or show all earlier threads."),
                                  typed);
        }
      if (self->mine_only || self->mentions_only)
        return g_strdup (changed
                         ? _("The design changed under none of the earlier threads that match your filters.")
                         : _("The design changed under every earlier thread that matches your filters."));
      return g_strdup (changed
                       ? _("The design did not change under any thread of an earlier version.")
                       : _("The design changed under every thread of an earlier version."));
    }

  if (self->search != NULL)
    {
      g_autofree char *cause = NULL;

      typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
      if (self->mentions_only)
        return g_strdup_printf (_("No threads that mention you match “%s”. Try other words, or turn off "
                                  "“Only Threads That Mention Me”."), typed);
      if (self->mine_only)
        cause = open ? g_strdup_printf (_("No open comments of yours match “%s”."), typed)
              : resolved ? g_strdup_printf (_("No resolved comments of yours match “%s”."), typed)
              : g_strdup_printf (_("No comments of yours match “%s”."), typed);
      else
        cause = open ? g_strdup_printf (_("No open comments match “%s”."), typed)
              : resolved ? g_strdup_printf (_("No resolved comments match “%s”."), typed)
              : g_strdup_printf (_("No comments match “%s”."), typed);

      if (self->mine_only)
        remedy = _("Try other words, or turn off “Only Threads I Started”.");
      else if (open || resolved)
        remedy = _("Try other words, or look in all threads.");
      else
        remedy = _("Try other words.");

      return g_strdup_printf ("%s %s", cause, remedy);
    }

  if (self->mentions_only)
    return g_strdup (open ? _("No open thread mentions you.")
                     : resolved ? _("No resolved thread mentions you.")
                     : _("No thread mentions you."));
  if (self->mine_only)
    return g_strdup (open ? _("None of the open threads were started by you.")
                     : resolved ? _("None of the resolved threads were started by you.")
                     : _("None of these threads were started by you."));
  if (open)
    return g_strdup (_("Every thread is resolved."));
  if (resolved)
    return g_strdup (_("No thread is resolved yet."));
  return NULL;
}

static void
update_list_state (GlsThreadsPanel *self)
{
  const char *page;
  guint n_orphans = g_list_model_get_n_items (G_LIST_MODEL (self->orphan_model));
  guint n_listed = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));

  if (self->threads == NULL)
    page = "no-design";
  else if (g_list_model_get_n_items (self->threads) == 0)
    page = "empty";
  else if (n_listed == 0 && n_orphans == 0)
    page = "no-results";
  else
    page = "list";

  /* Orphans alone: their section takes the room. */
  gtk_widget_set_visible (self->orphan_box, n_orphans > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->list_stack), n_listed > 0 || n_orphans == 0);
  gtk_widget_set_vexpand (GTK_WIDGET (self->orphan_scroller), n_listed == 0);
  gtk_scrolled_window_set_max_content_height (self->orphan_scroller, n_listed == 0 ? -1 : 240);

  if (g_str_equal (page, "no-results"))
    {
      g_autofree char *description = describe_no_results (self);

      adw_status_page_set_title (self->no_results_page,
                                 self->search || self->mine_only || self->mentions_only ||
                                 g_strcmp0 (self->changes, "all") != 0 ||
                                 g_strcmp0 (self->filter, "all") == 0
                                 ? _("No Matching Comments")
                                 : g_strcmp0 (self->filter, "open") == 0
                                 ? _("No Open Comments")
                                 : _("No Resolved Comments"));
      adw_status_page_set_description (self->no_results_page, description);
    }

  gtk_stack_set_visible_child_name (self->list_stack, page);
}

static void
refilter (GlsThreadsPanel *self)
{
  gtk_filter_changed (GTK_FILTER (self->custom_filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (GTK_FILTER (self->orphan_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_list_state (self);
}

static guint position_of (GListModel *model,
                          const char *root_id);

/* A thread of the design shown, or one carried into it. */
static GlsThread *
find_thread (GlsThreadsPanel *self,
             const char      *root_id)
{
  g_autoptr(GlsThread) thread = NULL;
  guint position;

  if (self->design == NULL || root_id == NULL)
    return NULL;

  thread = gls_workspace_find_thread (self->workspace, root_id);
  if (thread != NULL &&
      g_strcmp0 (gls_thread_get_source (thread), gls_design_get_source (self->design)) == 0)
    return g_steal_pointer (&thread);

  if (self->carried == NULL ||
      (position = position_of (self->carried, root_id)) == GTK_INVALID_LIST_POSITION)
    return NULL;

  return g_list_model_get_item (self->carried, position);
}

static guint
position_of (GListModel *model,
             const char *root_id)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsThread) thread = g_list_model_get_item (model, i);

      if (thread != NULL && g_strcmp0 (gls_thread_get_root_id (thread), root_id) == 0)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static gboolean
has_focus_within (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
show_list (GlsThreadsPanel *self)
{
  guint position;
  gboolean focus_in_thread;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "list") == 0)
    return;

  /* A keyboard user in the thread carries on in the list; focus elsewhere
   * (the canvas) stays there. Left to GTK, the focus of a hidden thread
   * view would fall on the first thing that takes it: the search entry,
   * where the next single-key shortcut would be typed. */
  focus_in_thread = has_focus_within (GTK_WIDGET (self->thread_view));

  position = self->selected_thread
             ? position_of (G_LIST_MODEL (self->filter_model), self->selected_thread)
             : GTK_INVALID_LIST_POSITION;
  if (focus_in_thread)
    gtk_widget_grab_focus (GTK_WIDGET (self->list_view));

  gtk_stack_set_visible_child_name (self->stack, "list");
  gls_thread_view_set_thread (self->thread_view, NULL);

  /* Back where the user left: on the thread they had open. */
  if (position != GTK_INVALID_LIST_POSITION)
    {
      gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
      if (focus_in_thread)
        gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
    }

  /* An empty list takes no focus: then the window has it, not the entry. */
  if (focus_in_thread && !has_focus_within (GTK_WIDGET (self->list_view)) &&
      gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    gtk_root_set_focus (gtk_widget_get_root (GTK_WIDGET (self)), NULL);
}

/* What the person reads is no longer news. */
static void
mark_seen (GlsThreadsPanel *self,
           GlsThread       *thread)
{
  if (self->workspace != NULL && thread != NULL)
    gls_workspace_mark_seen (self->workspace, thread);
}

static void
show_thread (GlsThreadsPanel *self,
             GlsThread       *thread)
{
  mark_seen (self, thread);
  gls_thread_view_set_thread (self->thread_view, thread);
  gls_thread_view_set_note (self->thread_view, note_for (self, thread));
  gtk_stack_set_visible_child_name (self->stack, "thread");
}

static void
set_selected_thread_internal (GlsThreadsPanel *self,
                              const char      *root_id)
{
  if (g_strcmp0 (self->selected_thread, root_id) == 0)
    return;

  g_free (self->selected_thread);
  self->selected_thread = g_strdup (root_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SELECTED_THREAD]);
}

/* The user chose `thread`: open it and tell the window. */
static void
activate_thread (GlsThreadsPanel *self,
                 GlsThread       *thread)
{
  g_autoptr(GlsThread) hold = g_object_ref (thread);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  gboolean focus_in_list = focus != NULL &&
                           gtk_widget_is_ancestor (focus, gtk_stack_get_child_by_name (self->stack, "list"));

  show_thread (self, thread);

  /* The list is hidden now: a keyboard user carries on in the thread. */
  if (focus_in_list)
    gtk_widget_child_focus (GTK_WIDGET (self->thread_view), GTK_DIR_TAB_FORWARD);
  set_selected_thread_internal (self, gls_thread_get_root_id (thread));
  g_signal_emit (self, signals [THREAD_ACTIVATED], 0, thread);
}

static void
list_activate_cb (GlsThreadsPanel *self,
                  guint            position)
{
  g_autoptr(GlsThread) thread = g_list_model_get_item (G_LIST_MODEL (self->filter_model), position);

  if (thread != NULL)
    activate_thread (self, thread);
}

static void
orphan_activated_cb (GlsThreadsPanel *self,
                     GtkListBoxRow   *row,
                     GtkListBox      *list)
{
  GtkWidget *child = gtk_list_box_row_get_child (row);
  GlsThread *thread = GLS_IS_THREAD_ROW (child) ? gls_thread_row_get_thread (GLS_THREAD_ROW (child)) : NULL;

  if (thread != NULL)
    activate_thread (self, thread);
}

static GtkWidget *
create_orphan_row (gpointer item,
                   gpointer user_data)
{
  GlsThreadsPanel *self = user_data;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *thread_row = gls_thread_row_new ();

  gls_thread_row_set_thread (GLS_THREAD_ROW (thread_row), item);
  gls_thread_row_set_note (GLS_THREAD_ROW (thread_row), note_for (self, item));
  gls_thread_row_set_unread (GLS_THREAD_ROW (thread_row), gls_workspace_thread_is_unread (self->workspace, item));
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), thread_row);
  /* What the row says, said by the row that takes the focus. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gls_thread_row_get_summary (GLS_THREAD_ROW (thread_row)),
                                  -1);

  return row;
}

static void
seen_changed_cb (GlsThreadsPanel *self,
                 const char      *root_id)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      GlsThreadRow *row = key;
      GlsThread *thread = gls_thread_row_get_thread (row);

      if (thread != NULL && g_strcmp0 (gls_thread_get_root_id (thread), root_id) == 0)
        gls_thread_row_set_unread (row, gls_workspace_thread_is_unread (self->workspace, thread));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (_gls_threads_panel_get_orphan_list (self)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *thread_row = GTK_IS_LIST_BOX_ROW (child) ? gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (child)) : NULL;
      GlsThread *thread = GLS_IS_THREAD_ROW (thread_row) ? gls_thread_row_get_thread (GLS_THREAD_ROW (thread_row)) : NULL;

      if (thread != NULL && g_strcmp0 (gls_thread_get_root_id (thread), root_id) == 0)
        gls_thread_row_set_unread (GLS_THREAD_ROW (thread_row), gls_workspace_thread_is_unread (self->workspace, thread));
    }
}

/* The list's rows: a GlsThreadRow each, told the note of its thread. */

static void
factory_setup_cb (GlsThreadsPanel          *self,
                  GtkListItem              *item,
                  GtkSignalListItemFactory *factory)
{
  gtk_list_item_set_child (item, gls_thread_row_new ());
}

static void
factory_bind_cb (GlsThreadsPanel          *self,
                 GtkListItem              *item,
                 GtkSignalListItemFactory *factory)
{
  GlsThreadRow *row = GLS_THREAD_ROW (gtk_list_item_get_child (item));
  GlsThread *thread = gtk_list_item_get_item (item);

  /* Unbound rows have no note: one update for most threads. */
  gls_thread_row_set_thread (row, thread);
  gls_thread_row_set_note (row, note_for (self, thread));
  gls_thread_row_set_unread (row, gls_workspace_thread_is_unread (self->workspace, thread));
  g_hash_table_add (self->bound_rows, row);
}

static void
factory_unbind_cb (GlsThreadsPanel          *self,
                   GtkListItem              *item,
                   GtkSignalListItemFactory *factory)
{
  GlsThreadRow *row = GLS_THREAD_ROW (gtk_list_item_get_child (item));

  g_hash_table_remove (self->bound_rows, row);
  gls_thread_row_set_unread (row, FALSE);
  gls_thread_row_set_thread (row, NULL);
  gls_thread_row_set_note (row, NULL);
}

static void
threads_changed_cb (GlsThreadsPanel *self,
                    guint            position,
                    guint            removed,
                    guint            added,
                    GListModel      *model)
{
  /* Threads are immutable: follow the open one to its newer object. */
  if (gls_thread_view_get_thread (self->thread_view) != NULL)
    {
      g_autoptr(GlsThread) thread = find_thread (self, self->selected_thread);

      if (thread != NULL)
        {
          GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

          /* A reply that arrives in the thread open before someone's
           * eyes is read; in a window in the background, it waits. */
          if (GTK_IS_WINDOW (root) && gtk_window_is_active (GTK_WINDOW (root)) &&
              gtk_widget_get_mapped (GTK_WIDGET (self->thread_view)))
            mark_seen (self, thread);
          gls_thread_view_set_thread (self->thread_view, thread);
        }
      else
        {
          /* Deleted with nothing left to show. */
          show_list (self);
          set_selected_thread_internal (self, NULL);
        }
    }

  update_list_state (self);
}

static void
filtered_changed_cb (GlsThreadsPanel *self,
                     guint            position,
                     guint            removed,
                     guint            added,
                     GListModel      *model)
{
  update_list_state (self);
}

static void
search_changed_cb (GlsThreadsPanel *self,
                   GtkSearchEntry  *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->search, g_free);
  if (*stripped != '\0')
    self->search = fold (stripped);

  refilter (self);
}

static void
stop_search_cb (GlsThreadsPanel *self,
                GtkSearchEntry  *entry)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (entry)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (entry), "");
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
step (GlsThreadsPanel *self,
      gboolean         forward)
{
  GListModel *model = G_LIST_MODEL (self->filter_model);
  g_autoptr(GlsThread) current = NULL;
  g_autoptr(GlsThread) target = NULL;
  guint n = g_list_model_get_n_items (model);
  guint current_number = 0;

  if (self->selected_thread != NULL)
    current = gls_workspace_find_thread (self->workspace, self->selected_thread);
  if (current != NULL)
    current_number = gls_thread_get_number (current);

  /* By number, so that stepping works from a thread the filter hides (one
   * that was just resolved, say). The list is in number order. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsThread) thread = g_list_model_get_item (model, forward ? i : n - 1 - i);
      guint number = gls_thread_get_number (thread);

      if (current == NULL ||
          (forward && number > current_number) ||
          (!forward && number < current_number))
        {
          target = g_steal_pointer (&thread);
          break;
        }
    }

  if (target == NULL)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  activate_thread (self, target);
}

static void
gls_threads_panel_next_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  step (GLS_THREADS_PANEL (widget), TRUE);
}

static void
gls_threads_panel_previous_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *param)
{
  step (GLS_THREADS_PANEL (widget), FALSE);
}

static void
gls_threads_panel_reply_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *param)
{
  GlsThreadsPanel *self = GLS_THREADS_PANEL (widget);

  if (gls_thread_view_get_thread (self->thread_view) == NULL)
    {
      g_autoptr(GlsThread) thread = find_thread (self, self->selected_thread);

      if (thread == NULL)
        {
          gtk_widget_error_bell (widget);
          return;
        }

      activate_thread (self, thread);
    }

  gls_thread_view_focus_reply (self->thread_view);
}

static void
gls_threads_panel_back_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  show_list (GLS_THREADS_PANEL (widget));
}

static void
gls_threads_panel_focus_search_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *param)
{
  gls_threads_panel_focus_search (GLS_THREADS_PANEL (widget));
}

static void
update_back_action (GlsThreadsPanel *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "threads.back",
                                 g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "thread") == 0);
}

static void
gls_threads_panel_constructed (GObject *object)
{
  GlsThreadsPanel *self = (GlsThreadsPanel *)object;
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source;

  G_OBJECT_CLASS (gls_threads_panel_parent_class)->constructed (object);

  g_assert (GLS_IS_WORKSPACE (self->workspace));

  self->thread_view = GLS_THREAD_VIEW (gls_thread_view_new (self->workspace));
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->thread_view), "thread");

  /* Without the schema (a test, an uninstalled run) the filters still
   * work, they are just not remembered. */
  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SETTINGS_SCHEMA_ID, TRUE);
  if (schema != NULL &&
      g_settings_schema_has_key (schema, "thread-filter") &&
      g_settings_schema_has_key (schema, "threads-mine-only"))
    {
      self->settings = g_settings_new_full (schema, NULL, NULL);
      g_settings_bind (self->settings, "thread-filter", self, "filter", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "threads-mine-only", self, "mine-only", G_SETTINGS_BIND_DEFAULT);
    }

  update_list_state (self);
  update_back_action (self);
}

static void
gls_threads_panel_dispose (GObject *object)
{
  GlsThreadsPanel *self = (GlsThreadsPanel *)object;

  if (self->settings != NULL)
    {
      g_settings_unbind (self, "filter");
      g_settings_unbind (self, "mine-only");
    }

  if (self->threads != NULL)
    g_signal_handlers_disconnect_by_data (self->threads, self);

  if (self->orphan_list != NULL)
    gtk_list_box_bind_model (self->orphan_list, NULL, NULL, NULL, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), GLS_TYPE_THREADS_PANEL);

  g_clear_object (&self->filter_model);
  g_clear_object (&self->custom_filter);
  g_clear_object (&self->orphan_model);
  g_clear_object (&self->orphan_filter);
  g_clear_object (&self->threads);
  g_clear_object (&self->models);
  g_clear_object (&self->own);
  g_clear_object (&self->carried);
  g_clear_pointer (&self->notes, g_hash_table_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->design);
  g_clear_object (&self->workspace);
  self->thread_view = NULL;

  G_OBJECT_CLASS (gls_threads_panel_parent_class)->dispose (object);
}

static void
gls_threads_panel_finalize (GObject *object)
{
  GlsThreadsPanel *self = (GlsThreadsPanel *)object;

  g_clear_pointer (&self->selected_thread, g_free);
  g_clear_pointer (&self->filter, g_free);
  g_clear_pointer (&self->changes, g_free);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->bound_rows, g_hash_table_unref);

  G_OBJECT_CLASS (gls_threads_panel_parent_class)->finalize (object);
}

static void
gls_threads_panel_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  GlsThreadsPanel *self = GLS_THREADS_PANEL (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;

    case PROP_DESIGN:
      g_value_set_object (value, self->design);
      break;

    case PROP_SELECTED_THREAD:
      g_value_set_string (value, self->selected_thread);
      break;

    case PROP_FILTER:
      g_value_set_string (value, self->filter);
      break;

    case PROP_MINE_ONLY:
      g_value_set_boolean (value, self->mine_only);
      break;

    case PROP_MENTIONS_ONLY:
      g_value_set_boolean (value, self->mentions_only);
      break;

    case PROP_CHANGES:
      g_value_set_string (value, self->changes);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_threads_panel_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  GlsThreadsPanel *self = GLS_THREADS_PANEL (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      self->workspace = g_value_dup_object (value);
      if (self->workspace != NULL)
        {
          g_signal_connect_object (self->workspace, "seen-changed", G_CALLBACK (seen_changed_cb), self,
                                   G_CONNECT_SWAPPED);
          self->review_box = GLS_REVIEW_BOX (gls_review_box_new (self->workspace));
          gtk_box_append (self->review_slot, GTK_WIDGET (self->review_box));
        }
      break;

    case PROP_DESIGN:
      gls_threads_panel_set_design (self, g_value_get_object (value));
      break;

    case PROP_SELECTED_THREAD:
      gls_threads_panel_set_selected_thread (self, g_value_get_string (value));
      break;

    case PROP_FILTER:
      gls_threads_panel_set_filter (self, g_value_get_string (value));
      break;

    case PROP_MINE_ONLY:
      gls_threads_panel_set_mine_only (self, g_value_get_boolean (value));
      break;

    case PROP_MENTIONS_ONLY:
      gls_threads_panel_set_mentions_only (self, g_value_get_boolean (value));
      break;

    case PROP_CHANGES:
      gls_threads_panel_set_changes (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_threads_panel_class_init (GlsThreadsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = gls_threads_panel_constructed;
  object_class->dispose = gls_threads_panel_dispose;
  object_class->finalize = gls_threads_panel_finalize;
  object_class->get_property = gls_threads_panel_get_property;
  object_class->set_property = gls_threads_panel_set_property;

  properties [PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL,
                         GLS_TYPE_WORKSPACE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_DESIGN] =
    g_param_spec_object ("design", NULL, NULL,
                         GLS_TYPE_DESIGN,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_SELECTED_THREAD] =
    g_param_spec_string ("selected-thread", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_FILTER] =
    g_param_spec_string ("filter", NULL, NULL,
                         "open",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_MINE_ONLY] =
    g_param_spec_boolean ("mine-only", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_MENTIONS_ONLY] =
    g_param_spec_boolean ("mentions-only", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_CHANGES] =
    g_param_spec_string ("changes", NULL, NULL,
                         "all",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GlsThreadsPanel::thread-activated:
   * @thread: the GlsThread the user chose
   *
   * The window brings the canvas to the thread's pin.
   */
  signals [THREAD_ACTIVATED] =
    g_signal_new ("thread-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, GLS_TYPE_THREAD);

  g_type_ensure (GLS_TYPE_THREAD_ROW);
  g_type_ensure (ADW_TYPE_STATUS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/glossa/Glossa/gls-threads-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, GlsThreadsPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadsPanel, search_entry);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadsPanel, review_slot);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadsPanel, mine_button);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadsPanel, changes_box);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadsPanel, changes_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadsPanel, list_stack);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadsPanel, list_view);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadsPanel, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadsPanel, orphan_box);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadsPanel, orphan_scroller);
  gtk_widget_class_bind_template_child (widget_class, GlsThreadsPanel, orphan_list);
  gtk_widget_class_bind_template_callback (widget_class, orphan_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, changes_selected_cb);

  gtk_widget_class_install_action (widget_class, "threads.next", NULL, gls_threads_panel_next_action);
  gtk_widget_class_install_action (widget_class, "threads.previous", NULL, gls_threads_panel_previous_action);
  gtk_widget_class_install_action (widget_class, "threads.reply", NULL, gls_threads_panel_reply_action);
  gtk_widget_class_install_action (widget_class, "threads.back", NULL, gls_threads_panel_back_action);
  gtk_widget_class_install_action (widget_class, "threads.focus-search", NULL, gls_threads_panel_focus_search_action);
  gtk_widget_class_install_property_action (widget_class, "threads.filter", "filter");
  gtk_widget_class_install_property_action (widget_class, "threads.mine-only", "mine-only");
  gtk_widget_class_install_property_action (widget_class, "threads.mentions-only", "mentions-only");
  gtk_widget_class_install_property_action (widget_class, "threads.changes", "changes");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, 0, "threads.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, 0, "threads.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, 0, "threads.reply", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "threads.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "threads.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "threads.focus-search", NULL);

  gtk_widget_class_set_css_name (widget_class, "threadspanel");
}

static void
gls_threads_panel_init (GlsThreadsPanel *self)
{
  g_autoptr(GtkCssProvider) provider = NULL;
  GdkDisplay *display;

  self->filter = g_strdup ("open");
  self->changes = g_strdup ("all");

  gtk_widget_init_template (GTK_WIDGET (self));

  self->bound_rows = g_hash_table_new (NULL, NULL);
  self->custom_filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->custom_filter)));
  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (filtered_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_list_view_set_model (self->list_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)))));
  {
    g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

    g_signal_connect_object (factory, "setup", G_CALLBACK (factory_setup_cb), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (factory, "bind", G_CALLBACK (factory_bind_cb), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (factory, "unbind", G_CALLBACK (factory_unbind_cb), self, G_CONNECT_SWAPPED);
    gtk_list_view_set_factory (self->list_view, factory);
  }

  self->orphan_filter = gtk_custom_filter_new (orphan_filter_func, self, NULL);
  self->orphan_model = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->orphan_filter)));
  g_signal_connect_object (self->orphan_model, "items-changed",
                           G_CALLBACK (filtered_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->orphan_list, G_LIST_MODEL (self->orphan_model),
                           create_orphan_row, self, NULL);

  g_signal_connect_object (self->stack, "notify::visible-child-name",
                           G_CALLBACK (update_back_action), self,
                           G_CONNECT_SWAPPED);

  display = gtk_widget_get_display (GTK_WIDGET (self));
  if (display != NULL &&
      g_object_get_data (G_OBJECT (display), "gls-threads-panel-css") == NULL)
    {
      provider = gtk_css_provider_new ();
      gtk_css_provider_load_from_resource (provider, "/io/github/glossa/Glossa/gls-threads-panel.css");
      gtk_style_context_add_provider_for_display (display,
                                                  GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_object_set_data_full (G_OBJECT (display), "gls-threads-panel-css",
                              g_steal_pointer (&provider), g_object_unref);
    }
}

GtkWidget *
gls_threads_panel_new (GlsWorkspace *workspace)
{
  g_return_val_if_fail (GLS_IS_WORKSPACE (workspace), NULL);

  return g_object_new (GLS_TYPE_THREADS_PANEL,
                       "workspace", workspace,
                       NULL);
}

GlsWorkspace *
gls_threads_panel_get_workspace (GlsThreadsPanel *self)
{
  g_return_val_if_fail (GLS_IS_THREADS_PANEL (self), NULL);

  return self->workspace;
}

GlsDesign *
gls_threads_panel_get_design (GlsThreadsPanel *self)
{
  g_return_val_if_fail (GLS_IS_THREADS_PANEL (self), NULL);

  return self->design;
}

void
gls_threads_panel_set_design (GlsThreadsPanel *self,
                              GlsDesign       *design)
{
  g_return_if_fail (GLS_IS_THREADS_PANEL (self));
  g_return_if_fail (!design || GLS_IS_DESIGN (design));

  if (self->design == design)
    return;

  /* Another version object of the same design: same threads. */
  if (self->design != NULL && design != NULL &&
      g_strcmp0 (gls_design_get_id (self->design), gls_design_get_id (design)) == 0)
    {
      g_set_object (&self->design, design);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DESIGN]);
      return;
    }

  g_set_object (&self->design, design);
  if (self->review_box != NULL)
    gls_review_box_set_design (self->review_box, design);
  gtk_widget_set_visible (GTK_WIDGET (self->review_slot), design != NULL);

  show_list (self);
  gls_thread_view_set_thread (self->thread_view, NULL);
  set_selected_thread_internal (self, NULL);

  if (self->threads != NULL)
    g_signal_handlers_disconnect_by_data (self->threads, self);
  g_clear_object (&self->threads);
  g_clear_object (&self->models);
  g_clear_object (&self->own);
  /* Earlier versions' threads and notes belong to the design we leave. */
  g_clear_object (&self->carried);
  g_clear_pointer (&self->notes, g_hash_table_unref);
  update_changes_box (self);
  /* Another design's carried threads are another question. */
  gls_threads_panel_set_changes (self, "all");

  if (design != NULL)
    {
      self->own = gls_workspace_get_threads (self->workspace, gls_design_get_source (design));
      self->models = g_list_store_new (G_TYPE_LIST_MODEL);
      g_list_store_append (self->models, self->own);
      self->threads = G_LIST_MODEL (gtk_flatten_list_model_new (g_object_ref (G_LIST_MODEL (self->models))));
    }

  gtk_filter_list_model_set_model (self->filter_model, self->threads);
  gtk_filter_list_model_set_model (self->orphan_model, self->threads);

  /* After the filter models' own handlers, so they are up to date when
   * ours runs. */
  if (self->threads != NULL)
    g_signal_connect_object (self->threads, "items-changed",
                             G_CALLBACK (threads_changed_cb), self,
                             G_CONNECT_SWAPPED);
  update_list_state (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DESIGN]);
}

void
gls_threads_panel_set_carried (GlsThreadsPanel *self,
                               GListModel      *carried)
{
  g_return_if_fail (GLS_IS_THREADS_PANEL (self));
  g_return_if_fail (!carried || G_IS_LIST_MODEL (carried));

  if (self->carried == carried || self->models == NULL)
    return;

  if (self->carried != NULL)
    g_list_store_remove (self->models, 1);
  g_set_object (&self->carried, carried);
  if (carried != NULL)
    g_list_store_append (self->models, carried);
}

GListModel *
gls_threads_panel_get_carried (GlsThreadsPanel *self)
{
  g_return_val_if_fail (GLS_IS_THREADS_PANEL (self), NULL);

  return self->carried;
}

void
gls_threads_panel_set_notes (GlsThreadsPanel *self,
                             GHashTable      *notes)
{
  GHashTableIter iter;
  gpointer row;
  GlsThread *shown;

  g_return_if_fail (GLS_IS_THREADS_PANEL (self));

  if (self->notes == notes)
    return;

  g_clear_pointer (&self->notes, g_hash_table_unref);
  if (notes != NULL)
    self->notes = g_hash_table_ref (notes);
  update_changes_box (self);

  /* Orphans move to their section, and back. */
  refilter (self);

  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    gls_thread_row_set_note (row, note_for (self, gls_thread_row_get_thread (row)));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->orphan_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *thread_row = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (child));

      gls_thread_row_set_note (GLS_THREAD_ROW (thread_row),
                               note_for (self, gls_thread_row_get_thread (GLS_THREAD_ROW (thread_row))));
      gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      gls_thread_row_get_summary (GLS_THREAD_ROW (thread_row)),
                                      -1);
    }

  shown = gls_thread_view_get_thread (self->thread_view);
  if (shown != NULL)
    gls_thread_view_set_note (self->thread_view, note_for (self, shown));
}

const char *
gls_threads_panel_get_selected_thread (GlsThreadsPanel *self)
{
  g_return_val_if_fail (GLS_IS_THREADS_PANEL (self), NULL);

  return self->selected_thread;
}

void
gls_threads_panel_set_selected_thread (GlsThreadsPanel *self,
                                       const char      *root_id)
{
  g_autoptr(GlsThread) thread = NULL;

  g_return_if_fail (GLS_IS_THREADS_PANEL (self));

  if (root_id != NULL && *root_id == '\0')
    root_id = NULL;

  /* The same pin clicked again after going back to the list reopens it. */
  if (g_strcmp0 (self->selected_thread, root_id) == 0 &&
      (root_id == NULL || gls_threads_panel_get_showing_thread (self)))
    return;

  thread = find_thread (self, root_id);
  if (thread != NULL)
    show_thread (self, thread);
  else
    show_list (self);

  set_selected_thread_internal (self, root_id);
}

const char *
gls_threads_panel_get_filter (GlsThreadsPanel *self)
{
  g_return_val_if_fail (GLS_IS_THREADS_PANEL (self), NULL);

  return self->filter;
}

void
gls_threads_panel_set_filter (GlsThreadsPanel *self,
                              const char      *filter)
{
  g_return_if_fail (GLS_IS_THREADS_PANEL (self));

  if (filter == NULL ||
      !(g_str_equal (filter, "open") || g_str_equal (filter, "resolved") || g_str_equal (filter, "all")))
    {
      g_warning ("Unknown thread filter “%s”, showing all threads", filter ? filter : "(null)");
      filter = "all";
    }

  if (g_strcmp0 (self->filter, filter) == 0)
    return;

  g_free (self->filter);
  self->filter = g_strdup (filter);
  refilter (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FILTER]);
}

gboolean
gls_threads_panel_get_mine_only (GlsThreadsPanel *self)
{
  g_return_val_if_fail (GLS_IS_THREADS_PANEL (self), FALSE);

  return self->mine_only;
}

void
gls_threads_panel_set_mine_only (GlsThreadsPanel *self,
                                 gboolean         mine_only)
{
  g_return_if_fail (GLS_IS_THREADS_PANEL (self));

  mine_only = !!mine_only;
  if (self->mine_only == mine_only)
    return;

  self->mine_only = mine_only;
  refilter (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MINE_ONLY]);
}

gboolean
gls_threads_panel_get_mentions_only (GlsThreadsPanel *self)
{
  g_return_val_if_fail (GLS_IS_THREADS_PANEL (self), FALSE);

  return self->mentions_only;
}

void
gls_threads_panel_set_mentions_only (GlsThreadsPanel *self,
                                     gboolean         mentions_only)
{
  g_return_if_fail (GLS_IS_THREADS_PANEL (self));

  mentions_only = !!mentions_only;
  if (self->mentions_only == mentions_only)
    return;

  self->mentions_only = mentions_only;
  refilter (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MENTIONS_ONLY]);
}

const char *
gls_threads_panel_get_changes (GlsThreadsPanel *self)
{
  g_return_val_if_fail (GLS_IS_THREADS_PANEL (self), NULL);

  return self->changes;
}

void
gls_threads_panel_set_changes (GlsThreadsPanel *self,
                               const char      *changes)
{
  g_return_if_fail (GLS_IS_THREADS_PANEL (self));

  if (changes == NULL ||
      !(g_str_equal (changes, "all") || g_str_equal (changes, "changed") || g_str_equal (changes, "unchanged")))
    {
      g_warning ("Unknown change filter “%s”, showing all threads", changes ? changes : "(null)");
      changes = "all";
    }

  if (g_strcmp0 (self->changes, changes) == 0)
    return;

  g_free (self->changes);
  self->changes = g_strdup (changes);
  for (guint i = 0; i < G_N_ELEMENTS (changes_values); i++)
    if (g_str_equal (changes_values[i], changes) && self->changes_dropdown != NULL)
      gtk_drop_down_set_selected (self->changes_dropdown, i);
  refilter (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CHANGES]);
}

void
gls_threads_panel_focus_search (GlsThreadsPanel *self)
{
  g_return_if_fail (GLS_IS_THREADS_PANEL (self));

  show_list (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

GListModel *
gls_threads_panel_get_visible_threads (GlsThreadsPanel *self)
{
  g_return_val_if_fail (GLS_IS_THREADS_PANEL (self), NULL);

  return G_LIST_MODEL (self->filter_model);
}

GtkWidget *
gls_threads_panel_get_thread_view (GlsThreadsPanel *self)
{
  g_return_val_if_fail (GLS_IS_THREADS_PANEL (self), NULL);

  return GTK_WIDGET (self->thread_view);
}

gboolean
gls_threads_panel_get_showing_thread (GlsThreadsPanel *self)
{
  g_return_val_if_fail (GLS_IS_THREADS_PANEL (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "thread") == 0;
}

GtkEditable *
gls_threads_panel_get_search_entry (GlsThreadsPanel *self)
{
  g_return_val_if_fail (GLS_IS_THREADS_PANEL (self), NULL);

  return GTK_EDITABLE (self->search_entry);
}

const char *
_gls_threads_panel_get_list_state (GlsThreadsPanel *self)
{
  g_return_val_if_fail (GLS_IS_THREADS_PANEL (self), NULL);

  return gtk_stack_get_visible_child_name (self->list_stack);
}

GtkWidget *
_gls_threads_panel_get_no_results_page (GlsThreadsPanel *self)
{
  g_return_val_if_fail (GLS_IS_THREADS_PANEL (self), NULL);

  return GTK_WIDGET (self->no_results_page);
}

GListModel *
_gls_threads_panel_get_orphaned (GlsThreadsPanel *self)
{
  g_return_val_if_fail (GLS_IS_THREADS_PANEL (self), NULL);

  return G_LIST_MODEL (self->orphan_model);
}

GtkWidget *
_gls_threads_panel_get_orphan_list (GlsThreadsPanel *self)
{
  g_return_val_if_fail (GLS_IS_THREADS_PANEL (self), NULL);

  return GTK_WIDGET (self->orphan_list);
}

GtkWidget *
_gls_threads_panel_get_list_view (GlsThreadsPanel *self)
{
  g_return_val_if_fail (GLS_IS_THREADS_PANEL (self), NULL);

  return GTK_WIDGET (self->list_view);
}

GtkWidget *
_gls_threads_panel_get_review_box (GlsThreadsPanel *self)
{
  g_return_val_if_fail (GLS_IS_THREADS_PANEL (self), NULL);

  return GTK_WIDGET (self->review_box);
}
