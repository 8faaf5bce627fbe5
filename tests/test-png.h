/* test-png.h: two versions of a drawing, for the tests of versions
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where the second version differs from the first, in its units. */
#define CHANGE_X 250
#define CHANGE_Y 150
#define CHANGE_W 80
#define CHANGE_H 60

/* A 400×300 drawing (times @scale) written to @path as PNG; @changed
 * adds a red box at CHANGE_X, CHANGE_Y, CHANGE_W × CHANGE_H. */
void test_write_version_png (const char *path,
                             gboolean    changed,
                             int         scale);

G_END_DECLS
