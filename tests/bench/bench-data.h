/* bench-data.h: workspaces shaped as people fill them, for benchmarks
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-hlc.h"
#include "gls-identity.h"
#include "gls-proof.h"
#include "gls-workspace.h"

#ifndef WRITE_BATCH
#define WRITE_BATCH 1000
#endif

/* --- documents --- */

/* Design number `i` (an SVG of its own; 0 is "Board rev B"). */
G_GNUC_UNUSED static GlsDesign *
add_design_n (GlsWorkspace *ws,
              const char   *dir,
              guint         i)
{
  g_autofree char *name = g_strdup_printf ("board-%u.svg", i);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *title = i == 0 ? g_strdup ("Board rev B") : g_strdup_printf ("Board %u", i);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *svg = g_strdup_printf (
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"500\">"
    "<rect x=\"40\" y=\"40\" width=\"720\" height=\"420\" fill=\"#2a7\"/>"
    "<circle cx=\"%u\" cy=\"230\" r=\"12\" fill=\"#fc3\"/></svg>\n", 412 + i);
  GlsDesign *design;

  g_assert_true (g_file_set_contents (path, svg, -1, NULL));
  design = gls_workspace_add_design (ws, file, title, NULL, &error);
  g_assert_no_error (error);
  return design;
}

G_GNUC_UNUSED static GlsDesign *
add_design (GlsWorkspace *ws,
            const char   *dir)
{
  return add_design_n (ws, dir, 0);
}

/* `n` annotations on `design`, shaped as people make them: a fifth are
 * comments that start threads, the rest replies, edits and resolves of
 * those threads; written in batches, as a peer's sync writes them. */
G_GNUC_UNUSED static void
fill (GlsWorkspace *ws,
      GlsDesign    *design,
      guint         n,
      gboolean      sign)
{
  g_autoptr(GlsIdentity) other = gls_identity_new_random ();
  g_autoptr(GPtrArray) roots = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonArray) batch = json_array_new ();
  g_autoptr(GError) error = NULL;
  const char *did = gls_identity_get_did (other);
  const char *cc = "https://creativecommons.org/licenses/by/4.0/";
  gint64 t = g_get_real_time () - (gint64) G_USEC_PER_SEC * 1000000;
  guint n_roots = MAX (n / 5, 1);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlsAnnotation) a = NULL;
      g_autofree char *created = gls_timestamp_format (t + (gint64) i * 1000);

      if (i < n_roots)
        {
          GlsSelector sel = { GLS_SELECTOR_RECT, 0, g_random_double_range (0, 700),
                              g_random_double_range (0, 400), 40, 30 };

          a = gls_annotation_new_comment (gls_design_get_source (design), &sel,
                                          "Is this via too close to the pad? The clearance looks"
                                          " smaller than the fab's minimum.",
                                          did, "Ben Example", cc, created);
          g_ptr_array_add (roots, g_strdup (gls_annotation_get_id (a)));
        }
      else
        {
          const char *root = g_ptr_array_index (roots, g_random_int_range (0, n_roots));

          switch (i % 5)
            {
            case 0:
              a = gls_annotation_new_assessment (root, i % 2, did, "Ben Example", cc, created);
              break;
            case 1:
              a = gls_annotation_new_edit (root, "Is this via too close to the pad?", did,
                                           "Ben Example", cc, created);
              break;
            default:
              a = gls_annotation_new_reply (root, "Checked against the fab's rules: it is fine,"
                                            " 0.2 mm to spare.", did, "Ben Example", cc, created);
            }
        }

      json_array_add_object_element (batch, gls_annotation_to_json (a));
      if (sign)
        g_assert_true (gls_proof_sign (json_array_get_object_element (batch, json_array_get_length (batch) - 1),
                                       other, created, NULL));
      if (json_array_get_length (batch) == WRITE_BATCH || i == n - 1)
        {
          g_autoptr(JsonArray) results = gls_store_bulk_docs (gls_workspace_get_store (ws),
                                                              batch, TRUE, &error);
          g_assert_no_error (error);
          g_clear_pointer (&batch, json_array_unref);
          batch = json_array_new ();
        }
    }
}

/* A data dir with one workspace ("default") of one design and `n`
 * annotations, signed by their author or not. Returns the design's id. */
G_GNUC_UNUSED static char *
make_workspace (const char *data_dir,
                guint       n,
                gboolean    sign)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsWorkspace) ws = gls_workspace_open (data_dir, NULL, &error);
  g_autoptr(GlsDesign) design = NULL;

  g_assert_no_error (error);
  design = add_design (ws, data_dir);
  fill (ws, design, n, sign);
  return g_strdup (gls_design_get_id (design));
}

