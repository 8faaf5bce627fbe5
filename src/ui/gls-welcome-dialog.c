/* gls-welcome-dialog.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-welcome-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "gls-welcome-dialog.h"

#define RESPONSE_START "start"

typedef struct
{
  GlsWorkspace *workspace;
  AdwEntryRow  *name_row;
} Welcome;

static void
welcome_free (Welcome *welcome)
{
  g_clear_object (&welcome->workspace);
  g_free (welcome);
}

static char *
entered_name (Welcome *welcome)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (welcome->name_row))));
}

static void
name_changed_cb (GtkEditable      *editable,
                 AdwMessageDialog *dialog)
{
  Welcome *welcome = g_object_get_data (G_OBJECT (dialog), "welcome");
  g_autofree char *name = entered_name (welcome);

  adw_message_dialog_set_response_enabled (dialog, RESPONSE_START, *name != '\0');
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *data_dir = g_object_get_data (G_OBJECT (task), "data-dir");
  GError *error = NULL;

  if (gls_profile_save (task_data, data_dir, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("Could not save the profile: %s", error->message);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             gpointer          user_data)
{
  Welcome *welcome = g_object_get_data (G_OBJECT (dialog), "welcome");
  GlsProfile *profile = gls_workspace_get_profile (welcome->workspace);
  g_autoptr(GlsProfile) copy = gls_profile_new ();
  g_autoptr(GTask) task = NULL;
  g_autofree char *name = entered_name (welcome);

  /* Closing without a name keeps the default, and saves it: the question
   * is asked once. */
  if (g_str_equal (response, RESPONSE_START) && *name != '\0')
    gls_profile_set_display_name (profile, name);

  gls_profile_set_display_name (copy, gls_profile_get_display_name (profile));
  gls_profile_set_license (copy, gls_profile_get_license (profile));
  task = g_task_new (NULL, NULL, saved_cb, NULL);
  g_task_set_source_tag (task, response_cb);
  g_task_set_task_data (task, g_steal_pointer (&copy), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "data-dir",
                          g_strdup (gls_workspace_get_data_dir (welcome->workspace)), g_free);
  g_task_run_in_thread (task, save_thread);
}

GtkWidget *
gls_welcome_dialog_new (GtkWindow    *parent,
                        GlsWorkspace *workspace)
{
  Welcome *welcome = g_new0 (Welcome, 1);
  GtkWidget *dialog, *list, *box, *identity;
  g_autofree char *real_name = gls_profile_guess_real_name ();
  const char *did;

  g_return_val_if_fail (GLS_IS_WORKSPACE (workspace), NULL);

  welcome->workspace = g_object_ref (workspace);
  did = gls_identity_get_did (gls_workspace_get_identity (workspace));

  dialog = adw_message_dialog_new (parent, _("Welcome to Glossa"),
                                   _("Everything you write is signed with a key Glossa made for you on "
                                     "this computer, so others can tell your words are yours. "
                                     "Which name should they see?"));
  g_object_set_data_full (G_OBJECT (dialog), "welcome", welcome, (GDestroyNotify) welcome_free);
  /* For tests and accessibility tools: the row a name is typed in. */

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");

  welcome->name_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (welcome->name_row), _("Your Name"));
  gtk_editable_set_text (GTK_EDITABLE (welcome->name_row), real_name != NULL ? real_name : "");
  adw_entry_row_set_activates_default (welcome->name_row, TRUE);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (welcome->name_row));
  g_object_set_data (G_OBJECT (dialog), "name-row", welcome->name_row);

  identity = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (identity), _("Your Identity"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (identity), did);
  gtk_widget_set_tooltip_text (identity, _("Your public key, as a did:key. Preferences shows it too, with a button to copy it."));
  gtk_list_box_append (GTK_LIST_BOX (list), identity);

  gtk_box_append (GTK_BOX (box), list);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), RESPONSE_START, _("_Start"));
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), RESPONSE_START,
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), RESPONSE_START);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), RESPONSE_START);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), RESPONSE_START, real_name != NULL);

  g_signal_connect (welcome->name_row, "changed", G_CALLBACK (name_changed_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (response_cb), NULL);

  return dialog;
}
