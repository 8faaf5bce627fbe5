/* test-util.h: data dirs, stores, servers and the main-loop pump for tests
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "gls-peer-server.h"
#include "gls-replicator.h"
#include "gls-store.h"
#include "gls-workspace.h"

G_BEGIN_DECLS

typedef gboolean (*TestPredicate) (gpointer data);

/* Processes and ports */
guint          test_quiet_port              (void);
void           test_die_with_parent         (gpointer           data);
GSubprocess   *test_spawn                   (GSubprocessFlags   flags,
                                             GError           **error,
                                             const char        *argv0,
                                             ...) G_GNUC_NULL_TERMINATED;

/* Files and data dirs */
void           test_rm_rf                   (const char        *path);
char          *test_data_dir_new            (const char        *tmpl);
void           test_data_dir_free           (char              *dir);
char          *test_sample_path             (const char        *name);

/* The main loop */
gboolean       test_wait_until              (TestPredicate      condition,
                                             gpointer           data,
                                             double             timeout_s);
gboolean       test_wait_for                (TestPredicate      predicate,
                                             gpointer           data,
                                             double             seconds,
                                             const char        *what);
void           test_settle                  (guint              ms);
void           test_wait_result_cb          (GObject           *source,
                                             GAsyncResult      *result,
                                             gpointer           user_data);
GAsyncResult  *test_wait_result             (GAsyncResult     **result);

/* Stores, workspaces, servers, replications */
GlsStore      *test_store_open              (const char        *dir,
                                             const char        *name);
void           test_store_put_json          (GlsStore          *store,
                                             const char        *json);
void           test_store_put_revs          (GlsStore          *store,
                                             const char        *json_array);
gint64         test_store_fill              (GlsStore          *store,
                                             guint              n_plain);
char          *test_store_dump              (GlsStore          *store);
void           test_assert_stores_identical (GlsStore          *a,
                                             GlsStore          *b);
GlsWorkspace  *test_workspace_open          (const char        *dir,
                                             const char        *name);
GlsDesign     *test_workspace_add_sample    (GlsWorkspace      *workspace,
                                             const char        *name);
char          *test_server_start            (GlsStore          *store,
                                             const char        *db_name,
                                             const char        *uuid,
                                             GlsPeerServer    **server);
gboolean       test_replicator_run          (GlsReplicator     *repl,
                                             GCancellable      *cancellable,
                                             GError           **error);

/* A UI test's home: a new temporary dir (@template, as g_dir_make_tmp)
 * for XDG data, config and cache, GSettings in memory, no accessibility
 * bus. Call before gtk_init (); remove it with test_rm_rf (). */
char          *test_ui_home_new             (const char         *template);

/* The glossa program (GLOSSA_BIN) run with @argv (NULL-terminated, no
 * program name), `--data-dir @data_dir` added, in @cwd (nullable), with
 * English messages: its exit status and what it printed. */
typedef struct
{
  int   status;
  char *out;
  char *err;
} TestRun;

void           test_run_clear               (TestRun            *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TestRun, test_run_clear)
TestRun        test_glossa_runv             (const char         *data_dir,
                                             const char         *cwd,
                                             const char * const *argv);
/* The same with the arguments listed, NULL last. */
TestRun        test_glossa_run              (const char         *data_dir,
                                             const char         *cwd,
                                             const char         *first,
                                             ...) G_GNUC_NULL_TERMINATED;
/* Its output, stripped, when it succeeded; fails the test otherwise. Takes
 * @run. */
char          *test_glossa_must             (TestRun             run);

G_END_DECLS
