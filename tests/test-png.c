/* test-png.c: two versions of a drawing, for the tests of versions
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <cairo.h>

#include "test-png.h"

void
test_write_version_png (const char *path,
                        gboolean    changed,
                        int         scale)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400 * scale, 300 * scale);
  cairo_t *cr = cairo_create (surface);

  cairo_scale (cr, scale, scale);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.2, 0.4, 0.8);
  cairo_rectangle (cr, 50, 50, 100, 80);
  cairo_fill (cr);
  if (changed)
    {
      cairo_set_source_rgb (cr, 0.9, 0.1, 0.1);
      cairo_rectangle (cr, CHANGE_X, CHANGE_Y, CHANGE_W, CHANGE_H);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}
