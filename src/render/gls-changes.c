/* gls-changes.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-changes"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "gls-changes.h"
#include "gls-render-private.h"

/* The grid both versions are drawn on: see gls-changes.h. */
#define VECTOR_DETAIL 1600.0
#define MAX_GRID      4096.0
/* Cells of 4 × 4 grid pixels (1 << 2), or 8 × 8 when one version is drawn
 * at another scale than the other: resampling moves thin lines and text
 * edges by a fraction of a pixel, which larger cells average away. */
#define CELL_SHIFT          2
#define CELL_SHIFT_RESAMPLED 3
/* Levels of 255 a cell's mean brightness may move before it counts, and
 * its mean colour (blue or red against brightness): JPEG keeps colour at
 * half resolution, so saturated edges bleed by up to some 20 levels. */
#define THRESHOLD        16
#define CHROMA_THRESHOLD 40

typedef struct
{
  gboolean  done;
  gboolean  failed;
  double    scale_x;    /* grid pixels per older design unit */
  double    scale_y;
  int       shift;      /* cells are 1 << shift grid pixels a side */
  int       cells_w;
  int       cells_h;
  guint32  *sums;       /* (cells_w + 1) × (cells_h + 1): changed cells, summed */
} PageMap;

struct _GlsChanges
{
  GObject    parent_instance;

  GlsRender *older;
  GlsRender *newer;
  PageMap   *maps;      /* one per page both versions have */
  guint      n_maps;
};

G_DEFINE_FINAL_TYPE (GlsChanges, gls_changes, G_TYPE_OBJECT)

static void
gls_changes_finalize (GObject *object)
{
  GlsChanges *self = (GlsChanges *)object;

  for (guint i = 0; i < self->n_maps; i++)
    g_free (self->maps[i].sums);
  g_clear_pointer (&self->maps, g_free);
  g_clear_object (&self->older);
  g_clear_object (&self->newer);

  G_OBJECT_CLASS (gls_changes_parent_class)->finalize (object);
}

static void
gls_changes_class_init (GlsChangesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gls_changes_finalize;
}

static void
gls_changes_init (GlsChanges *self)
{
}

GlsChanges *
gls_changes_new (GlsRender *older,
                 GlsRender *newer)
{
  GlsChanges *self;

  g_return_val_if_fail (GLS_IS_RENDER (older), NULL);
  g_return_val_if_fail (GLS_IS_RENDER (newer), NULL);

  self = g_object_new (GLS_TYPE_CHANGES, NULL);
  self->older = g_object_ref (older);
  self->newer = g_object_ref (newer);
  self->n_maps = MIN (gls_render_get_n_pages (older), gls_render_get_n_pages (newer));
  self->maps = g_new0 (PageMap, self->n_maps);

  return self;
}

GlsRender *
gls_changes_get_older (GlsChanges *self)
{
  g_return_val_if_fail (GLS_IS_CHANGES (self), NULL);

  return self->older;
}

GlsRender *
gls_changes_get_newer (GlsChanges *self)
{
  g_return_val_if_fail (GLS_IS_CHANGES (self), NULL);

  return self->newer;
}

/* The grid size a version would be compared at on its own. */
static void
detail_size (GlsRender *render,
             double     width,
             double     height,
             double    *out_width,
             double    *out_height)
{
  if (gls_render_get_kind (render) == GLS_DESIGN_KIND_RASTER)
    {
      *out_width = width;
      *out_height = height;
    }
  else
    {
      double scale = VECTOR_DETAIL / MAX (width, height);

      *out_width = width * scale;
      *out_height = height * scale;
    }
}

/*
 * One version's page on the grid: the decoded pixels themselves when an
 * image is compared at its own size (no copy: a 4000 × 3000 image is
 * 48 MB, and first touching fresh memory costs more than reading it),
 * else a drawing of it.
 */
typedef struct
{
  const guint8    *data;
  int              stride;
  int              n_channels; /* 3 RGB, 4 RGBA (not premultiplied), 0 cairo ARGB32 (opaque) */
  cairo_surface_t *surface;
} Plane;

static void
plane_clear (Plane *plane)
{
  g_clear_pointer (&plane->surface, cairo_surface_destroy);
}

static gboolean
plane_init (Plane      *plane,
            GlsRender  *render,
            guint       page,
            double      page_width,
            double      page_height,
            int         width,
            int         height,
            GError    **error)
{
  GdkPixbuf *pixbuf = _gls_render_get_pixbuf (render);

  *plane = (Plane) { NULL, 0, 0, NULL };
  if (pixbuf != NULL && gdk_pixbuf_get_width (pixbuf) == width && gdk_pixbuf_get_height (pixbuf) == height)
    {
      plane->data = gdk_pixbuf_read_pixels (pixbuf);
      plane->stride = gdk_pixbuf_get_rowstride (pixbuf);
      plane->n_channels = gdk_pixbuf_get_n_channels (pixbuf);
      return TRUE;
    }

  plane->surface = gls_render_page_full (render, page, width / page_width, height / page_height,
                                         0, 0, width, height, error);
  if (plane->surface == NULL)
    return FALSE;
  plane->data = cairo_image_surface_get_data (plane->surface);
  plane->stride = cairo_image_surface_get_stride (plane->surface);
  return TRUE;
}

/* Row @y as opaque 0xffRRGGBB pixels: the surface's own row, or @buffer
 * filled from the image's (transparency over white, as drawn). */
static const guint32 *
plane_row (const Plane *plane,
           int          y,
           int          width,
           guint32     *buffer)
{
  const guint8 *s = plane->data + (gsize) y * plane->stride;

  switch (plane->n_channels)
    {
    case 3:
      for (int x = 0; x < width; x++, s += 3)
        buffer[x] = 0xff000000u | ((guint32) s[0] << 16) | ((guint32) s[1] << 8) | s[2];
      return buffer;

    case 4:
      for (int x = 0; x < width; x++, s += 4)
        {
          guint a = s[3], inv = 255 - a;

          buffer[x] = 0xff000000u |
                      ((s[0] * a + 255 * inv + 127) / 255) << 16 |
                      ((s[1] * a + 255 * inv + 127) / 255) << 8 |
                      ((s[2] * a + 255 * inv + 127) / 255);
        }
      return buffer;

    default:
      return (const guint32 *) s;
    }
}

/*
 * Sums (newer − older) of each channel over each cell, a band of cell
 * rows at a time, and marks the cells whose mean moved past the
 * thresholds. Rows that are the same bytes in both (most of them,
 * usually) cost a memcmp.
 */
static void
mark_changed_cells (const Plane *older,
                    const Plane *newer,
                    int          width,
                    int          height,
                    int          shift,
                    int          cells_w,
                    int          cells_h,
                    guint8      *changed)
{
  int cell_size = 1 << shift;
  gboolean same_layout = older->n_channels == newer->n_channels;
  gsize row_bytes = (gsize) width * (older->n_channels == 0 ? 4 : older->n_channels);
  g_autofree gint32 *acc = g_new (gint32, (gsize) cells_w * 3);
  g_autofree guint32 *older_buffer = g_new (guint32, width);
  g_autofree guint32 *newer_buffer = g_new (guint32, width);

  for (int cy = 0; cy < cells_h; cy++)
    {
      int y0 = cy * cell_size;
      int y1 = MIN (y0 + cell_size, height);
      gboolean any = FALSE;

      memset (acc, 0, sizeof (gint32) * cells_w * 3);
      for (int y = y0; y < y1; y++)
        {
          const guint32 *o, *n;

          if (same_layout &&
              memcmp (older->data + (gsize) y * older->stride,
                      newer->data + (gsize) y * newer->stride, row_bytes) == 0)
            continue;
          o = plane_row (older, y, width, older_buffer);
          n = plane_row (newer, y, width, newer_buffer);
          any = TRUE;
          for (int x = 0; x < width; x++)
            {
              guint32 a = o[x], b = n[x];
              gint32 *cell;

              if (a == b)
                continue;
              cell = acc + (x >> shift) * 3;
              cell[0] += (gint32) ((b >> 16) & 0xff) - (gint32) ((a >> 16) & 0xff);
              cell[1] += (gint32) ((b >> 8) & 0xff) - (gint32) ((a >> 8) & 0xff);
              cell[2] += (gint32) (b & 0xff) - (gint32) (a & 0xff);
            }
        }
      if (!any)
        continue;

      for (int cx = 0; cx < cells_w; cx++)
        {
          const gint32 *cell = acc + cx * 3;
          int w = MIN (cell_size, width - cx * cell_size);
          gint64 n = (gint64) w * (y1 - y0);
          /* Rec. 601 luma, in 1/256ths */
          gint64 luma = 77 * (gint64) cell[0] + 150 * (gint64) cell[1] + 29 * (gint64) cell[2];
          gint64 blue = 256 * (gint64) cell[2] - luma;
          gint64 red = 256 * (gint64) cell[0] - luma;

          if (ABS (luma) > 256 * THRESHOLD * n ||
              ABS (blue) > 256 * CHROMA_THRESHOLD * n || ABS (red) > 256 * CHROMA_THRESHOLD * n)
            changed[(gsize) cy * cells_w + cx] = 1;
        }
    }
}

static gboolean
page_map_make (GlsChanges  *self,
               guint        page,
               PageMap     *map,
               GError     **error)
{
  double ow, oh, nw, nh;
  double dow, doh, dnw, dnh;
  double grid_w, grid_h, fit;
  int width, height;
  Plane older, newer;
  g_autofree guint8 *changed = NULL;
  gsize stride;

  gls_render_get_page_size (self->older, page, &ow, &oh);
  gls_render_get_page_size (self->newer, page, &nw, &nh);
  detail_size (self->older, ow, oh, &dow, &doh);
  detail_size (self->newer, nw, nh, &dnw, &dnh);
  grid_w = MIN (dow, dnw);
  grid_h = MIN (doh, dnh);
  fit = MIN (1.0, MAX_GRID / MAX (grid_w, grid_h));
  width = MAX (1, (int) round (grid_w * fit));
  height = MAX (1, (int) round (grid_h * fit));

  map->scale_x = width / ow;
  map->scale_y = height / oh;

  if (!plane_init (&older, self->older, page, ow, oh, width, height, error))
    {
      map->done = map->failed = TRUE;
      return FALSE;
    }
  if (!plane_init (&newer, self->newer, page, nw, nh, width, height, error))
    {
      plane_clear (&older);
      map->done = map->failed = TRUE;
      return FALSE;
    }

  map->shift = (ow == nw && oh == nh) ? CELL_SHIFT : CELL_SHIFT_RESAMPLED;
  map->cells_w = (width + (1 << map->shift) - 1) >> map->shift;
  map->cells_h = (height + (1 << map->shift) - 1) >> map->shift;
  changed = g_malloc0 ((gsize) map->cells_w * map->cells_h);
  mark_changed_cells (&older, &newer, width, height, map->shift, map->cells_w, map->cells_h, changed);
  plane_clear (&older);
  plane_clear (&newer);

  /* Summed-area table: a rectangle of cells is four look-ups. */
  stride = map->cells_w + 1;
  map->sums = g_new0 (guint32, stride * (map->cells_h + 1));
  for (int y = 0; y < map->cells_h; y++)
    {
      guint32 row = 0;

      for (int x = 0; x < map->cells_w; x++)
        {
          row += changed[(gsize) y * map->cells_w + x];
          map->sums[(y + 1) * stride + x + 1] = map->sums[y * stride + x + 1] + row;
        }
    }

  map->done = TRUE;
  return TRUE;
}

static PageMap *
page_map (GlsChanges  *self,
          guint        page,
          GError     **error)
{
  PageMap *map;

  g_assert (page >= 1 && page <= self->n_maps);

  map = &self->maps[page - 1];
  if (!map->done)
    page_map_make (self, page, map, error);
  else if (map->failed)
    g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_DAMAGED,
                 _("Page %u could not be drawn"), page);

  return map->failed ? NULL : map;
}

gboolean
gls_changes_prepare (GlsChanges  *self,
                     GError     **error)
{
  g_return_val_if_fail (GLS_IS_CHANGES (self), FALSE);

  for (guint page = 1; page <= self->n_maps; page++)
    if (page_map (self, page, error) == NULL)
      return FALSE;
  return TRUE;
}

/* How many changed cells under a rectangle of the grid. */
static guint32
changed_cells_in (const PageMap *map,
                  double         gx0,
                  double         gy0,
                  double         gx1,
                  double         gy1)
{
  gsize stride = map->cells_w + 1;
  double cell = 1 << map->shift;
  int cx0 = CLAMP ((int) floor (gx0 / cell), 0, map->cells_w - 1);
  int cy0 = CLAMP ((int) floor (gy0 / cell), 0, map->cells_h - 1);
  int cx1 = CLAMP ((int) ceil (gx1 / cell), cx0 + 1, map->cells_w);
  int cy1 = CLAMP ((int) ceil (gy1 / cell), cy0 + 1, map->cells_h);

  return map->sums[cy1 * stride + cx1] - map->sums[cy0 * stride + cx1]
       - map->sums[cy1 * stride + cx0] + map->sums[cy0 * stride + cx0];
}

/* Text with its runs of white space made one space, trimmed. */
static char *
squeeze_spaces (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        space = out->len > 0;
      else
        {
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_unichar (out, c);
        }
    }

  return g_string_free (out, FALSE);
}

static gboolean
text_changed (GlsChanges              *self,
              guint                    page,
              const cairo_rectangle_t *older_area,
              const cairo_rectangle_t *newer_area,
              GError                 **error)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *sa = NULL;
  g_autofree char *sb = NULL;

  if (gls_render_get_kind (self->older) != GLS_DESIGN_KIND_PDF ||
      gls_render_get_kind (self->newer) != GLS_DESIGN_KIND_PDF)
    return FALSE;

  if (!(a = gls_render_get_text (self->older, page, older_area, error)) ||
      !(b = gls_render_get_text (self->newer, page, newer_area, error)))
    return FALSE;
  sa = squeeze_spaces (a);
  sb = squeeze_spaces (b);
  return !g_str_equal (sa, sb);
}

gboolean
gls_changes_map_selector (GlsChanges        *self,
                          const GlsSelector *selector,
                          GlsSelector       *out)
{
  double ow, oh, nw, nh;
  guint page;

  g_return_val_if_fail (GLS_IS_CHANGES (self), FALSE);
  g_return_val_if_fail (selector != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  *out = (GlsSelector) { selector->kind, selector->page, selector->x, selector->y,
                         selector->width, selector->height, -1, -1, NULL, NULL, NULL };
  if (selector->kind == GLS_SELECTOR_TEXT)
    return FALSE;

  page = MAX (selector->page, 1);
  if (!gls_render_get_page_size (self->older, page, &ow, &oh) ||
      !gls_render_get_page_size (self->newer, page, &nw, &nh))
    return FALSE;

  out->x = selector->x * nw / ow;
  out->y = selector->y * nh / oh;
  out->width = selector->width * nw / ow;
  out->height = selector->height * nh / oh;
  return TRUE;
}

static GlsChange
detect_page (GlsChanges  *self,
             guint        page,
             GError     **error)
{
  PageMap *map;

  if (!(map = page_map (self, page, error)))
    return GLS_CHANGE_UNKNOWN;
  if (map->sums[(gsize) map->cells_h * (map->cells_w + 1) + map->cells_w] > 0)
    return GLS_CHANGE_CHANGED;
  if (text_changed (self, page, NULL, NULL, error))
    return GLS_CHANGE_CHANGED;
  return error != NULL && *error != NULL ? GLS_CHANGE_UNKNOWN : GLS_CHANGE_UNCHANGED;
}

GlsChange
gls_changes_detect (GlsChanges         *self,
                    const GlsSelector  *selector,
                    GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  guint older_pages, newer_pages, page;
  double ow, oh, nw, nh;
  double x0, y0, x1, y1;
  PageMap *map;
  GlsSelector mapped;
  GlsChange result;

  g_return_val_if_fail (GLS_IS_CHANGES (self), GLS_CHANGE_UNKNOWN);
  g_return_val_if_fail (selector != NULL, GLS_CHANGE_UNKNOWN);
  g_return_val_if_fail (error == NULL || *error == NULL, GLS_CHANGE_UNKNOWN);

  older_pages = gls_render_get_n_pages (self->older);
  newer_pages = gls_render_get_n_pages (self->newer);

  if (selector->kind == GLS_SELECTOR_TEXT)
    return GLS_CHANGE_UNKNOWN;

  /* The whole design: any page, or how many there are. */
  if (selector->kind == GLS_SELECTOR_NONE && selector->page == 0)
    {
      if (older_pages != newer_pages)
        return GLS_CHANGE_CHANGED;
      for (page = 1; page <= self->n_maps; page++)
        {
          result = detect_page (self, page, &local_error);
          if (result != GLS_CHANGE_UNCHANGED)
            {
              if (local_error != NULL)
                g_propagate_error (error, g_steal_pointer (&local_error));
              return result;
            }
        }
      return GLS_CHANGE_UNCHANGED;
    }

  page = MAX (selector->page, 1);
  if (page > older_pages)
    return GLS_CHANGE_UNKNOWN;
  /* The page it was on is gone. */
  if (page > newer_pages)
    return GLS_CHANGE_CHANGED;

  if (selector->kind == GLS_SELECTOR_NONE)
    {
      result = detect_page (self, page, &local_error);
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return result;
    }

  if (!isfinite (selector->x) || !isfinite (selector->y) ||
      !isfinite (selector->width) || !isfinite (selector->height))
    return GLS_CHANGE_UNKNOWN;

  gls_render_get_page_size (self->older, page, &ow, &oh);
  gls_render_get_page_size (self->newer, page, &nw, &nh);

  x0 = MIN (selector->x, selector->x + selector->width);
  y0 = MIN (selector->y, selector->y + selector->height);
  x1 = MAX (selector->x, selector->x + selector->width);
  y1 = MAX (selector->y, selector->y + selector->height);
  if (selector->kind == GLS_SELECTOR_POINT || x1 - x0 <= 0 || y1 - y0 <= 0)
    {
      /* A pin, or a region with nothing in it: around it. */
      x0 -= GLS_CHANGES_PIN_RADIUS, y0 -= GLS_CHANGES_PIN_RADIUS;
      x1 += GLS_CHANGES_PIN_RADIUS, y1 += GLS_CHANGES_PIN_RADIUS;
    }

  /* On the older page, or it is no place at all. */
  x0 = MAX (x0, 0), y0 = MAX (y0, 0);
  x1 = MIN (x1, ow), y1 = MIN (y1, oh);
  if (x1 <= x0 || y1 <= y0)
    return GLS_CHANGE_UNKNOWN;

  if (!(map = page_map (self, page, error)))
    return GLS_CHANGE_UNKNOWN;
  if (changed_cells_in (map, x0 * map->scale_x, y0 * map->scale_y,
                        x1 * map->scale_x, y1 * map->scale_y) > 0)
    return GLS_CHANGE_CHANGED;

  mapped = (GlsSelector) { GLS_SELECTOR_RECT, page, x0 * nw / ow, y0 * nh / oh,
                           (x1 - x0) * nw / ow, (y1 - y0) * nh / oh };
  if (text_changed (self, page,
                    &(cairo_rectangle_t) { x0, y0, x1 - x0, y1 - y0 },
                    &(cairo_rectangle_t) { mapped.x, mapped.y, mapped.width, mapped.height },
                    &local_error))
    return GLS_CHANGE_CHANGED;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return GLS_CHANGE_UNKNOWN;
    }

  return GLS_CHANGE_UNCHANGED;
}
