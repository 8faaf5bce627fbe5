/* render-module.c: drawing, as a module the glossa program loads
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * cairo, gdk-pixbuf, librsvg and poppler cost a command-line subcommand
 * tens of milliseconds to load and link before it does anything, so the
 * program links none of them: a command that draws (carried threads in
 * `glossa list`, later `glossa report`) loads this module, with src/render
 * in it, and calls it through gls-render-api.h.
 */

#include "config.h"

#include <gmodule.h>

#include "gls-annotated-pdf.h"
#include "gls-changes.h"
#include "gls-render-api.h"
#include "gls-report.h"

struct _GlsRenderPair
{
  GlsChanges *changes;
};

static GlsRenderPair *
pair_new (GBytes      *older,
          const char  *older_type,
          GBytes      *newer,
          const char  *newer_type,
          GError     **error)
{
  g_autoptr(GlsRender) a = NULL;
  g_autoptr(GlsRender) b = NULL;
  GlsRenderPair *pair;

  if (!(a = gls_render_new (older, older_type, error)) ||
      !(b = gls_render_new (newer, newer_type, error)))
    return NULL;

  pair = g_new0 (GlsRenderPair, 1);
  pair->changes = gls_changes_new (a, b);
  return pair;
}

static void
pair_free (GlsRenderPair *pair)
{
  if (pair == NULL)
    return;
  g_clear_object (&pair->changes);
  g_free (pair);
}

static GlsChange
pair_detect (GlsRenderPair      *pair,
             const GlsSelector  *selector,
             GlsSelector        *out_mapped,
             GError            **error)
{
  g_return_val_if_fail (pair != NULL, GLS_CHANGE_UNKNOWN);
  g_return_val_if_fail (selector != NULL, GLS_CHANGE_UNKNOWN);

  if (out_mapped != NULL)
    gls_changes_map_selector (pair->changes, selector, out_mapped);
  return gls_changes_detect (pair->changes, selector, error);
}

static gboolean
report_write (const GlsReportInput   *input,
              const char             *path,
              gboolean                annotated,
              GlsReportProgressFunc   progress,
              gpointer                user_data,
              guint                  *n_pages,
              GCancellable           *cancellable,
              GError                **error)
{
  if (n_pages != NULL)
    *n_pages = 0;
  if (annotated)
    return gls_annotated_pdf_write (input, path, progress, user_data, cancellable, error);
  return gls_report_write (input, path, progress, user_data, n_pages, cancellable, error);
}

static const GlsRenderApi api = {
  .api_version = GLS_RENDER_API_VERSION,
  .size = sizeof (GlsRenderApi),
  .pair_new = pair_new,
  .pair_free = pair_free,
  .pair_detect = pair_detect,
  .report_write = report_write,
  .report_suggest_name = gls_report_suggest_name,
};

G_MODULE_EXPORT const GlsRenderApi *glossa_render_get_api (void);

G_MODULE_EXPORT const GlsRenderApi *
glossa_render_get_api (void)
{
  return &api;
}
