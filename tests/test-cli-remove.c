/* test-cli-remove.c: glossa remove, run as a user runs it
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "gls-replicator.h"
#include "gls-workspace.h"
#include "test-util.h"

typedef struct
{
  char *data_dir;
  char *cwd;      /* where glossa runs */
  char *ben_dir;  /* someone else's data dir */
} Fixture;

/* glossa ARGS… --data-dir DIR, in the fixture's working directory. */
#define glossa(f, ...) test_glossa_run ((f)->data_dir, (f)->cwd, __VA_ARGS__)
#define must test_glossa_must

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->data_dir = test_data_dir_new ("glossa-cli-remove-XXXXXX");
  f->ben_dir = test_data_dir_new ("glossa-cli-remove-ben-XXXXXX");
  f->cwd = g_strdup (f->data_dir);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_data_dir_free (f->data_dir);
  test_data_dir_free (f->ben_dir);
  g_free (f->cwd);
}

/* Ben adds datasheet.pdf in his data dir, and it reaches mine. */
static char *
add_bens_design (Fixture *f)
{
  g_autoptr(GlsWorkspace) ben = test_workspace_open (f->ben_dir, NULL);
  g_autoptr(GlsWorkspace) mine = test_workspace_open (f->data_dir, NULL);
  g_autoptr(GlsDesign) design = test_workspace_add_sample (ben, "datasheet.pdf");
  g_autoptr(GlsReplicator) repl = gls_replicator_new_local (gls_workspace_get_store (ben),
                                                            gls_workspace_get_store (mine));
  g_autoptr(GError) error = NULL;

  g_assert_true (test_replicator_run (repl, NULL, &error));
  g_assert_no_error (error);
  return g_strdup (gls_design_get_id (design));
}

static void
test_remove (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *board = NULL;
  g_autofree char *bens = NULL;
  g_autofree char *sample = test_sample_path ("board.png");
  g_autofree char *out = NULL;
  g_autofree char *list = NULL;
  g_autofree char *thread = NULL;
  g_auto(TestRun) missing = { 0 };

  board = must (glossa (f, "add", sample, NULL));
  thread = must (glossa (f, "comment", board, "--text", "Too close to the edge", "--point", "10,10", NULL));
  bens = add_bens_design (f);

  /* Mine: deleted for everyone, the comment kept. */
  out = must (glossa (f, "remove", board + strlen ("urn:uuid:"), NULL));
  g_assert_nonnull (strstr (out, "Deleted “board.png” for everyone"));
  g_clear_pointer (&out, g_free);

  /* Ben's: hidden here only. */
  out = must (glossa (f, "remove", bens, NULL));
  g_assert_nonnull (strstr (out, "Hid “datasheet.pdf” on this computer only"));
  list = must (glossa (f, "list", NULL));
  g_assert_null (strstr (list, "board.png"));
  g_assert_null (strstr (list, "datasheet.pdf"));

  /* Adding the file again brings back its design, with its thread. */
  g_free (board);
  board = must (glossa (f, "add", sample, NULL));
  g_free (list);
  list = must (glossa (f, "list", board, NULL));
  g_assert_nonnull (strstr (list, "Too close to the edge"));

  missing = glossa (f, "remove", "no-such-design", NULL);
  g_assert_cmpint (missing.status, !=, 0);
  g_assert_nonnull (strstr (missing.err, "No design matches"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/remove", Fixture, NULL, fixture_set_up, test_remove, fixture_tear_down);

  return g_test_run ();
}
