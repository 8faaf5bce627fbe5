/* gls-render.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loads as src/ui/gls-document.c does (the same sniffing, the same units,
 * the same errors in words), without GTK: gdk-pixbuf, librsvg, poppler.
 */

#define G_LOG_DOMAIN "gls-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <librsvg/rsvg.h>
#include <poppler.h>

#include "gls-render-private.h"

typedef struct
{
  double width;
  double height;
} PageSize;

struct _GlsRender
{
  GObject          parent_instance;

  GlsDesignKind    kind;
  char            *media_type;
  GBytes          *bytes;
  GArray          *pages;   /* of PageSize */
  GdkPixbuf       *pixbuf;  /* raster */
  RsvgHandle      *svg;
  PopplerDocument *pdf;
  GPtrArray       *pdf_pages; /* PopplerPage, made as they are asked for */
};

G_DEFINE_FINAL_TYPE (GlsRender, gls_render, G_TYPE_OBJECT)

G_DEFINE_QUARK (gls-render-error-quark, gls_render_error)

static void
gls_render_finalize (GObject *object)
{
  GlsRender *self = (GlsRender *)object;

  g_clear_pointer (&self->media_type, g_free);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->pages, g_array_unref);
  g_clear_object (&self->pixbuf);
  g_clear_object (&self->svg);
  g_clear_pointer (&self->pdf_pages, g_ptr_array_unref);
  g_clear_object (&self->pdf);

  G_OBJECT_CLASS (gls_render_parent_class)->finalize (object);
}

static void
gls_render_class_init (GlsRenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gls_render_finalize;
}

static void
gls_render_init (GlsRender *self)
{
  self->pages = g_array_new (FALSE, FALSE, sizeof (PageSize));
}

/* Loading */

static gboolean
has_prefix_bytes (const guint8 *data,
                  gsize         len,
                  const char   *prefix)
{
  gsize plen = strlen (prefix);

  return len >= plen && memcmp (data, prefix, plen) == 0;
}

static gboolean
contains_bytes (const guint8 *data,
                gsize         len,
                const char   *needle)
{
  gsize nlen = strlen (needle);

  for (gsize i = 0; i + nlen <= len; i++)
    if (memcmp (data + i, needle, nlen) == 0)
      return TRUE;
  return FALSE;
}

static GlsDesignKind
sniff_kind (GBytes     *bytes,
            const char *media_type)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (media_type != NULL)
    {
      if (g_str_equal (media_type, "application/pdf"))
        return GLS_DESIGN_KIND_PDF;
      if (g_str_has_prefix (media_type, "image/svg"))
        return GLS_DESIGN_KIND_SVG;
      if (g_str_has_prefix (media_type, "image/"))
        return GLS_DESIGN_KIND_RASTER;
    }

  if (contains_bytes (data, MIN (len, 1024), "%PDF-"))
    return GLS_DESIGN_KIND_PDF;
  if (has_prefix_bytes (data, len, "\x1f\x8b") || contains_bytes (data, MIN (len, 4096), "<svg"))
    return GLS_DESIGN_KIND_SVG;

  return GLS_DESIGN_KIND_RASTER;
}

static gboolean
is_generic_type (const char *media_type)
{
  return media_type == NULL ||
         media_type[0] == '\0' ||
         g_str_equal (media_type, "application/octet-stream") ||
         g_str_has_prefix (media_type, "image/");
}

static gboolean
size_is_drawable (double width,
                  double height)
{
  return width >= 1 && height >= 1 &&
         width <= GLS_RENDER_MAX_SIDE && height <= GLS_RENDER_MAX_SIDE &&
         width * height <= GLS_RENDER_MAX_PIXELS;
}

typedef struct
{
  int      width;
  int      height;
  gboolean too_large;
  int      last_row; /* the end of the lowest rows decoded so far */
} SizeCheck;

/* The header is read before any pixel memory is taken: a size of 0 makes
 * gdk-pixbuf's loaders stop there, so a file that declares 100000 × 100000
 * pixels costs nothing. */
static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  SizeCheck       *check)
{
  check->width = width;
  check->height = height;
  if (!size_is_drawable (width, height))
    {
      check->too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
    }
}

/* gdk-pixbuf takes a file cut short after its header as a picture with
 * its last rows missing: those rows are never decoded. */
static void
on_area_updated (GdkPixbufLoader *loader,
                 int              x,
                 int              y,
                 int              width,
                 int              height,
                 SizeCheck       *check)
{
  check->last_row = MAX (check->last_row, y + height);
}

static gboolean
load_raster (GlsRender   *self,
             const char  *media_type,
             GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  SizeCheck check = { 0, 0, FALSE, 0 };
  GdkPixbuf *pixbuf;
  PageSize size;
  gboolean ok;

  if (media_type != NULL && g_str_has_prefix (media_type, "image/"))
    loader = gdk_pixbuf_loader_new_with_mime_type (media_type, NULL);
  if (loader == NULL)
    loader = gdk_pixbuf_loader_new ();
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &check);
  g_signal_connect (loader, "area-updated", G_CALLBACK (on_area_updated), &check);

  ok = gdk_pixbuf_loader_write_bytes (loader, self->bytes, &local_error);
  /* Always closed, or the loader complains when it is finalized. */
  ok = gdk_pixbuf_loader_close (loader, ok ? &local_error : NULL) && ok;

  if (check.too_large)
    {
      g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_TOO_LARGE,
                   _("The image is too large to show (%d × %d pixels)"),
                   check.width, check.height);
      return FALSE;
    }
  if (!ok)
    {
      if (g_error_matches (local_error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE))
        g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_NOT_SUPPORTED,
                     _("This file is not an image, SVG or PDF that Glossa can show"));
      else
        g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_DAMAGED,
                     _("The image is damaged: %s"),
                     local_error != NULL ? local_error->message : _("unknown error"));
      return FALSE;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL ||
      check.last_row < gdk_pixbuf_get_height (pixbuf) ||
      gdk_pixbuf_get_colorspace (pixbuf) != GDK_COLORSPACE_RGB ||
      gdk_pixbuf_get_bits_per_sample (pixbuf) != 8 ||
      gdk_pixbuf_get_n_channels (pixbuf) != (gdk_pixbuf_get_has_alpha (pixbuf) ? 4 : 3))
    {
      g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_DAMAGED,
                   _("The image is damaged: its picture is missing or cut short"));
      return FALSE;
    }
  if (!size_is_drawable (gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf)))
    {
      g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_TOO_LARGE,
                   _("The image is too large to show (%d × %d pixels)"),
                   gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf));
      return FALSE;
    }

  self->pixbuf = g_object_ref (pixbuf);
  size.width = gdk_pixbuf_get_width (pixbuf);
  size.height = gdk_pixbuf_get_height (pixbuf);
  g_array_append_val (self->pages, size);

  return TRUE;
}

static gboolean
load_svg (GlsRender  *self,
          GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (self->bytes, &len);
  PageSize size = { 0, 0 };

  self->svg = rsvg_handle_new_from_data (data, len, &local_error);
  if (self->svg == NULL)
    {
      g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_DAMAGED,
                   _("The SVG is damaged: %s"),
                   local_error ? local_error->message : _("unknown error"));
      return FALSE;
    }

  rsvg_handle_set_dpi (self->svg, 96.0);

  if (!rsvg_handle_get_intrinsic_size_in_pixels (self->svg, &size.width, &size.height))
    {
      gboolean has_width, has_height, has_viewbox;
      RsvgLength width, height;
      RsvgRectangle viewbox;

      /* Percentages or no size at all: the viewBox is the best we have. */
      rsvg_handle_get_intrinsic_dimensions (self->svg,
                                            &has_width, &width,
                                            &has_height, &height,
                                            &has_viewbox, &viewbox);
      if (has_viewbox)
        {
          size.width = viewbox.width;
          size.height = viewbox.height;
        }
    }

  if (!(size.width > 0 && size.height > 0) || !isfinite (size.width) || !isfinite (size.height))
    {
      g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_DAMAGED,
                   _("The SVG has no size: it needs a width and height or a viewBox"));
      return FALSE;
    }

  g_array_append_val (self->pages, size);

  return TRUE;
}

static gboolean
load_pdf (GlsRender  *self,
          GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  int n_pages;

  self->pdf = poppler_document_new_from_bytes (self->bytes, NULL, &local_error);
  if (self->pdf == NULL)
    {
      if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_PASSWORD,
                     _("The PDF is protected by a password"));
      else
        g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_DAMAGED,
                     _("The PDF is damaged: %s"),
                     local_error ? local_error->message : _("unknown error"));
      return FALSE;
    }

  n_pages = poppler_document_get_n_pages (self->pdf);
  if (n_pages <= 0)
    {
      g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_DAMAGED,
                   _("The PDF has no pages"));
      return FALSE;
    }

  for (int i = 0; i < n_pages; i++)
    {
      PopplerPage *page = poppler_document_get_page (self->pdf, i);
      PageSize size = { 0, 0 };

      if (page != NULL)
        {
          poppler_page_get_size (page, &size.width, &size.height);
          g_object_unref (page);
        }
      if (!(size.width > 0 && size.height > 0) || !isfinite (size.width) || !isfinite (size.height))
        {
          /* A broken page still takes a place; A4 is the likeliest size. */
          size.width = 595;
          size.height = 842;
        }
      g_array_append_val (self->pages, size);
    }

  return TRUE;
}

GlsRender *
gls_render_new (GBytes      *bytes,
                const char  *media_type,
                GError     **error)
{
  g_autoptr(GlsRender) self = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_bytes_get_size (bytes) == 0)
    {
      g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_DAMAGED,
                   _("The file is empty"));
      return NULL;
    }

  self = g_object_new (GLS_TYPE_RENDER, NULL);
  self->bytes = g_bytes_ref (bytes);
  self->kind = sniff_kind (bytes, media_type);

  if (self->kind == GLS_DESIGN_KIND_RASTER && !is_generic_type (media_type))
    {
      g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_NOT_SUPPORTED,
                   _("Glossa cannot show files of type “%s”"), media_type);
      return NULL;
    }

  switch (self->kind)
    {
    case GLS_DESIGN_KIND_PDF:
      self->media_type = g_strdup ("application/pdf");
      ok = load_pdf (self, error);
      break;

    case GLS_DESIGN_KIND_SVG:
      self->media_type = g_strdup ("image/svg+xml");
      ok = load_svg (self, error);
      break;

    case GLS_DESIGN_KIND_RASTER:
      if (media_type != NULL && g_str_has_prefix (media_type, "image/"))
        self->media_type = g_strdup (media_type);
      else
        {
          gsize len;
          const guint8 *data = g_bytes_get_data (bytes, &len);
          g_autofree char *guess = g_content_type_guess (NULL, data, len, NULL);

          self->media_type = g_content_type_get_mime_type (guess);
        }
      ok = load_raster (self, self->media_type, error);
      break;

    case GLS_DESIGN_KIND_OTHER:
    case GLS_DESIGN_KIND_TEXT:
    case GLS_DESIGN_KIND_TRANSLATION:
    default:
      g_assert_not_reached ();
    }

  if (!ok)
    return NULL;

  return g_steal_pointer (&self);
}

/* Getters */

GlsDesignKind
gls_render_get_kind (GlsRender *self)
{
  g_return_val_if_fail (GLS_IS_RENDER (self), GLS_DESIGN_KIND_OTHER);

  return self->kind;
}

const char *
gls_render_get_media_type (GlsRender *self)
{
  g_return_val_if_fail (GLS_IS_RENDER (self), NULL);

  return self->media_type;
}

GBytes *
gls_render_get_bytes (GlsRender *self)
{
  g_return_val_if_fail (GLS_IS_RENDER (self), NULL);

  return self->bytes;
}

guint
gls_render_get_n_pages (GlsRender *self)
{
  g_return_val_if_fail (GLS_IS_RENDER (self), 1);

  return MAX (self->pages->len, 1);
}

gboolean
gls_render_get_page_size (GlsRender *self,
                          guint      page,
                          double    *width,
                          double    *height)
{
  const PageSize *size;

  g_return_val_if_fail (GLS_IS_RENDER (self), FALSE);

  if (page == 0)
    page = 1;
  if (page > self->pages->len)
    return FALSE;

  size = &g_array_index (self->pages, PageSize, page - 1);
  if (width)
    *width = size->width;
  if (height)
    *height = size->height;

  return TRUE;
}

/* Drawing */

static void
unref_page (gpointer page)
{
  if (page != NULL)
    g_object_unref (page);
}

/* Borrowed; kept, so the text layout poppler makes for a page is made once. */
static PopplerPage *
get_pdf_page (GlsRender *self,
              guint      page)
{
  if (self->pdf_pages == NULL)
    {
      self->pdf_pages = g_ptr_array_new_with_free_func (unref_page);
      g_ptr_array_set_size (self->pdf_pages, self->pages->len);
    }
  if (page < 1 || page > self->pdf_pages->len)
    return NULL;
  if (g_ptr_array_index (self->pdf_pages, page - 1) == NULL)
    g_ptr_array_index (self->pdf_pages, page - 1) = poppler_document_get_page (self->pdf, page - 1);
  return g_ptr_array_index (self->pdf_pages, page - 1);
}

static cairo_surface_t *
new_surface (int      width,
             int      height,
             GError **error)
{
  cairo_surface_t *surface;

  if (width < 1 || height < 1 ||
      width > GLS_RENDER_MAX_SIDE || height > GLS_RENDER_MAX_SIDE ||
      (double) width * height > GLS_RENDER_MAX_PIXELS)
    {
      g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_TOO_LARGE,
                   _("The area to draw is too large (%d × %d pixels)"), width, height);
      return NULL;
    }

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_TOO_LARGE,
                   _("Not enough memory to draw %d × %d pixels"), width, height);
      return NULL;
    }

  return surface;
}

/* RGB(A) pixels, over white, into an opaque ARGB32 surface. */
static void
copy_pixels_over_white (const guint8    *src,
                        int              src_stride,
                        int              n_channels,
                        cairo_surface_t *surface)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint8 *dst = cairo_image_surface_get_data (surface);

  cairo_surface_flush (surface);
  for (int y = 0; y < height; y++)
    {
      const guint8 *s = src + (gsize) y * src_stride;
      guint32 *d = (guint32 *) (dst + (gsize) y * stride);

      if (n_channels == 3)
        for (int x = 0; x < width; x++, s += 3)
          d[x] = 0xff000000u | ((guint32) s[0] << 16) | ((guint32) s[1] << 8) | s[2];
      else
        for (int x = 0; x < width; x++, s += 4)
          {
            guint a = s[3];
            guint inv = 255 - a;
            /* s·a + 255·(1 − a), rounded */
            guint r = (s[0] * a + 255 * inv + 127) / 255;
            guint g = (s[1] * a + 255 * inv + 127) / 255;
            guint b = (s[2] * a + 255 * inv + 127) / 255;

            d[x] = 0xff000000u | (r << 16) | (g << 8) | b;
          }
    }
  cairo_surface_mark_dirty (surface);
}

static cairo_surface_t *
draw_raster (GlsRender *self,
             double     scale_x,
             double     scale_y,
             double     x0,
             double     y0,
             int        width,
             int        height,
             GError   **error)
{
  GdkPixbuf *pixbuf = self->pixbuf;
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  int src_stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *src = gdk_pixbuf_read_pixels (pixbuf);
  g_autoptr(GdkPixbuf) scaled = NULL;
  cairo_surface_t *surface;
  double ox = -x0 * scale_x;
  double oy = -y0 * scale_y;

  if (!(surface = new_surface (width, height, error)))
    return NULL;

  /* At its own size, a copy: what change detection asks for most. */
  if (scale_x == 1.0 && scale_y == 1.0 && x0 == floor (x0) && y0 == floor (y0) &&
      x0 >= 0 && y0 >= 0 &&
      x0 + width <= gdk_pixbuf_get_width (pixbuf) &&
      y0 + height <= gdk_pixbuf_get_height (pixbuf))
    {
      copy_pixels_over_white (src + (gsize) y0 * src_stride + (gsize) x0 * n_channels,
                              src_stride, n_channels, surface);
      return surface;
    }

  scaled = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  if (scaled == NULL)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_TOO_LARGE,
                   _("Not enough memory to draw %d × %d pixels"), width, height);
      return NULL;
    }
  /* Paper under whatever the image does not cover. */
  gdk_pixbuf_fill (scaled, 0xffffffff);
  if (gdk_pixbuf_get_has_alpha (pixbuf))
    gdk_pixbuf_composite_color (pixbuf, scaled, 0, 0, width, height,
                                ox, oy, scale_x, scale_y,
                                GDK_INTERP_BILINEAR, 255, 0, 0, 16, 0xffffffff, 0xffffffff);
  else
    gdk_pixbuf_scale (pixbuf, scaled, 0, 0, width, height,
                      ox, oy, scale_x, scale_y, GDK_INTERP_BILINEAR);

  copy_pixels_over_white (gdk_pixbuf_read_pixels (scaled), gdk_pixbuf_get_rowstride (scaled),
                          3, surface);
  return surface;
}

cairo_surface_t *
gls_render_page_full (GlsRender  *self,
                      guint       page,
                      double      scale_x,
                      double      scale_y,
                      double      x0,
                      double      y0,
                      int         width,
                      int         height,
                      GError    **error)
{
  cairo_surface_t *surface;
  double page_width, page_height;
  cairo_t *cr;
  gboolean ok = TRUE;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (GLS_IS_RENDER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (page == 0)
    page = 1;
  if (!gls_render_get_page_size (self, page, &page_width, &page_height))
    {
      g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_INVALID,
                   _("The design has no page %u"), page);
      return NULL;
    }
  if (!(scale_x > 0) || !(scale_y > 0) || !isfinite (scale_x) || !isfinite (scale_y) ||
      !isfinite (x0) || !isfinite (y0))
    {
      g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_INVALID,
                   _("Cannot draw at a zoom of %g"), scale_x > 0 ? scale_y : scale_x);
      return NULL;
    }

  if (self->kind == GLS_DESIGN_KIND_RASTER)
    return draw_raster (self, scale_x, scale_y, x0, y0, width, height, error);

  if (!(surface = new_surface (width, height, error)))
    return NULL;

  cr = cairo_create (surface);
  /* Paper: white unless the page paints otherwise. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale_x, scale_y);
  cairo_translate (cr, -x0, -y0);

  if (self->kind == GLS_DESIGN_KIND_PDF)
    {
      PopplerPage *pdf_page = get_pdf_page (self, page);

      if (pdf_page != NULL)
        poppler_page_render (pdf_page, cr);
    }
  else
    {
      RsvgRectangle viewport = { 0, 0, page_width, page_height };

      ok = rsvg_handle_render_document (self->svg, cr, &viewport, &local_error);
    }

  if (ok && cairo_status (cr) != CAIRO_STATUS_SUCCESS)
    {
      ok = FALSE;
      g_set_error_literal (&local_error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_DAMAGED,
                           cairo_status_to_string (cairo_status (cr)));
    }
  cairo_destroy (cr);

  if (!ok)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_DAMAGED,
                   _("The design could not be drawn: %s"),
                   local_error != NULL ? local_error->message : _("unknown error"));
      return NULL;
    }

  cairo_surface_flush (surface);
  return surface;
}

cairo_surface_t *
gls_render_page (GlsRender                *self,
                 guint                     page,
                 double                    scale,
                 const cairo_rectangle_t  *area,
                 cairo_rectangle_t        *out_area,
                 GError                  **error)
{
  double width, height;
  double ax0, ay0, ax1, ay1;
  double dx0, dy0, dx1, dy1;
  cairo_surface_t *surface;

  g_return_val_if_fail (GLS_IS_RENDER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (page == 0)
    page = 1;
  if (!gls_render_get_page_size (self, page, &width, &height))
    {
      g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_INVALID,
                   _("The design has no page %u"), page);
      return NULL;
    }
  if (!(scale > 0) || !isfinite (scale))
    {
      g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_INVALID,
                   _("Cannot draw at a zoom of %g"), scale);
      return NULL;
    }

  ax0 = 0, ay0 = 0, ax1 = width, ay1 = height;
  if (area != NULL)
    {
      if (!isfinite (area->x) || !isfinite (area->y) ||
          !isfinite (area->width) || !isfinite (area->height) ||
          area->width <= 0 || area->height <= 0)
        {
          g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_INVALID,
                       _("The area to draw is empty"));
          return NULL;
        }
      ax0 = MAX (area->x, 0);
      ay0 = MAX (area->y, 0);
      ax1 = MIN (area->x + area->width, width);
      ay1 = MIN (area->y + area->height, height);
      if (ax1 <= ax0 || ay1 <= ay0)
        {
          g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_INVALID,
                       _("The area to draw is outside the page"));
          return NULL;
        }
    }

  /* Whole device pixels, never past the page's last one. */
  dx0 = floor (ax0 * scale);
  dy0 = floor (ay0 * scale);
  dx1 = MIN (ceil (ax1 * scale), ceil (width * scale));
  dy1 = MIN (ceil (ay1 * scale), ceil (height * scale));
  dx1 = MAX (dx1, dx0 + 1);
  dy1 = MAX (dy1, dy0 + 1);
  if (dx1 - dx0 > GLS_RENDER_MAX_SIDE || dy1 - dy0 > GLS_RENDER_MAX_SIDE ||
      (dx1 - dx0) * (dy1 - dy0) > GLS_RENDER_MAX_PIXELS)
    {
      g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_TOO_LARGE,
                   _("The area to draw is too large (%.0f × %.0f pixels)"),
                   dx1 - dx0, dy1 - dy0);
      return NULL;
    }

  surface = gls_render_page_full (self, page, scale, scale, dx0 / scale, dy0 / scale,
                                  (int) (dx1 - dx0), (int) (dy1 - dy0), error);
  if (surface != NULL && out_area != NULL)
    *out_area = (cairo_rectangle_t) { dx0 / scale, dy0 / scale,
                                      (dx1 - dx0) / scale, (dy1 - dy0) / scale };
  return surface;
}

char *
gls_render_get_text (GlsRender                *self,
                     guint                     page,
                     const cairo_rectangle_t  *area,
                     GError                  **error)
{
  PopplerPage *pdf_page;
  double width, height;
  char *text;

  g_return_val_if_fail (GLS_IS_RENDER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (page == 0)
    page = 1;
  if (!gls_render_get_page_size (self, page, &width, &height))
    {
      g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_INVALID,
                   _("The design has no page %u"), page);
      return NULL;
    }
  if (self->kind != GLS_DESIGN_KIND_PDF)
    return g_strdup ("");

  pdf_page = get_pdf_page (self, page);
  if (pdf_page == NULL)
    return g_strdup ("");

  if (area == NULL)
    text = poppler_page_get_text (pdf_page);
  else
    {
      /* Top-left origin, in points, as poppler's text layout has it. */
      PopplerRectangle rect;

      if (!isfinite (area->x) || !isfinite (area->y) ||
          !isfinite (area->width) || !isfinite (area->height))
        {
          g_set_error (error, GLS_RENDER_ERROR, GLS_RENDER_ERROR_INVALID,
                       _("The area to read is not a place on the page"));
          return NULL;
        }
      rect.x1 = CLAMP (MIN (area->x, area->x + area->width), 0, width);
      rect.y1 = CLAMP (MIN (area->y, area->y + area->height), 0, height);
      rect.x2 = CLAMP (MAX (area->x, area->x + area->width), 0, width);
      rect.y2 = CLAMP (MAX (area->y, area->y + area->height), 0, height);
      if (rect.x2 <= rect.x1 || rect.y2 <= rect.y1)
        return g_strdup ("");
      text = poppler_page_get_text_for_area (pdf_page, &rect);
    }

  return text != NULL ? text : g_strdup ("");
}

GdkPixbuf *
_gls_render_get_pixbuf (GlsRender *self)
{
  g_return_val_if_fail (GLS_IS_RENDER (self), NULL);

  return self->pixbuf;
}
