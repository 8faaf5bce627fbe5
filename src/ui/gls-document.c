/* gls-document.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-document"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <librsvg/rsvg.h>
#include <poppler.h>

#include "gls-document.h"

/* No single render larger than this on either side, in device pixels. */
#define MAX_RENDER_SIDE 16384
/* …nor more pixels than this in all (256 MiB of ARGB). */
#define MAX_RENDER_PIXELS (64.0 * 1024 * 1024)

typedef struct
{
  double width;
  double height;
} PageSize;

/*
 * The part of a document the worker thread owns. The main thread never
 * touches the handle or the poppler document once the worker exists.
 */
typedef struct
{
  GlsDesignKind    kind;
  RsvgHandle      *svg;
  PopplerDocument *pdf;
  GdkTexture      *image;   /* raster: the whole image */
  GdkPixbuf       *pixbuf;  /* …as a pixbuf, made when first scaled */
  GAsyncQueue     *queue;
  GThread         *thread;
} Renderer;

typedef struct
{
  guint  page;
  double scale;
  double page_width;
  double page_height;
  int    x0;
  int    y0;
  int    width;
  int    height;
} RenderJob;

struct _GlsDocument
{
  GObject        parent_instance;

  GlsDesignKind  kind;
  char          *media_type;
  GBytes        *bytes;
  GArray        *pages;   /* of PageSize */
  GdkTexture    *texture; /* raster only */
  Renderer      *renderer;
};

G_DEFINE_FINAL_TYPE (GlsDocument, gls_document, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_PAGES,
  PROP_MEDIA_TYPE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* A distinct pointer the worker reads as "stop". */
static int quit_marker;
#define QUIT_JOB ((gpointer) &quit_marker)

/* The workers drawing now, and whether the program is ending (see
 * gls_document_stop_drawing). */
static GMutex drawing_lock;
static GCond drawing_cond;
static guint n_drawing;
static gboolean drawing_stopped;

static void
renderer_free (Renderer *renderer)
{
  g_clear_object (&renderer->svg);
  g_clear_object (&renderer->pdf);
  g_clear_object (&renderer->image);
  g_clear_object (&renderer->pixbuf);
  g_clear_pointer (&renderer->queue, g_async_queue_unref);
  g_free (renderer);
}

static GdkTexture *
texture_for_surface (cairo_surface_t *surface)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  g_autoptr(GBytes) bytes = NULL;

  cairo_surface_flush (surface);
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) stride * height,
                                      (GDestroyNotify) cairo_surface_destroy,
                                      cairo_surface_reference (surface));

  /* GDK_MEMORY_DEFAULT is cairo's ARGB32 layout. */
  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, stride);
}

/* A raster image scaled down, over white paper as the canvas draws it, so
 * the texture is opaque. gdk-pixbuf's bilinear filter averages every source
 * pixel under a device pixel when it shrinks. */
static GdkTexture *
renderer_render_raster (Renderer         *renderer,
                        const RenderJob  *job,
                        GError          **error)
{
  g_autoptr(GdkPixbuf) scaled = NULL;

  /* Shares the texture's memory when its format is 8-bit RGB(A). */
  if (renderer->pixbuf == NULL)
    renderer->pixbuf = gdk_pixbuf_get_from_texture (renderer->image);

  scaled = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, job->width, job->height);
  if (scaled == NULL || renderer->pixbuf == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _("Not enough memory to draw the page at this zoom"));
      return NULL;
    }

  if (gdk_pixbuf_get_has_alpha (renderer->pixbuf))
    gdk_pixbuf_composite_color (renderer->pixbuf, scaled, 0, 0, job->width, job->height,
                                -job->x0, -job->y0, job->scale, job->scale,
                                GDK_INTERP_BILINEAR, 255, 0, 0, 16, 0xffffffff, 0xffffffff);
  else
    gdk_pixbuf_scale (renderer->pixbuf, scaled, 0, 0, job->width, job->height,
                      -job->x0, -job->y0, job->scale, job->scale, GDK_INTERP_BILINEAR);

  return gdk_texture_new_for_pixbuf (scaled);
}

static GdkTexture *
renderer_render (Renderer         *renderer,
                 const RenderJob  *job,
                 GError          **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  GdkTexture *texture = NULL;
  gboolean ok = TRUE;

  if (renderer->kind == GLS_DESIGN_KIND_RASTER)
    return renderer_render_raster (renderer, job, error);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, job->width, job->height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _("Not enough memory to draw the page at this zoom"));
      return NULL;
    }

  cr = cairo_create (surface);
  cairo_translate (cr, -job->x0, -job->y0);
  cairo_scale (cr, job->scale, job->scale);

  if (renderer->kind == GLS_DESIGN_KIND_PDF)
    {
      PopplerPage *page = poppler_document_get_page (renderer->pdf, job->page - 1);

      /* PDF pages are paper: white unless they paint otherwise. */
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      if (page != NULL)
        {
          poppler_page_render (page, cr);
          g_object_unref (page);
        }
    }
  else
    {
      RsvgRectangle viewport = { 0, 0, job->page_width, job->page_height };

      ok = rsvg_handle_render_document (renderer->svg, cr, &viewport, error);
    }

  cairo_destroy (cr);

  if (ok)
    texture = texture_for_surface (surface);
  cairo_surface_destroy (surface);

  return texture;
}

static gpointer
renderer_thread (gpointer data)
{
  Renderer *renderer = data;

  for (;;)
    {
      gpointer item = g_async_queue_pop (renderer->queue);
      GTask *task = item;
      RenderJob *job;
      GError *error = NULL;
      GdkTexture *texture;

      if (item == QUIT_JOB)
        break;

      if (g_task_return_error_if_cancelled (task))
        {
          g_object_unref (task);
          continue;
        }

      g_mutex_lock (&drawing_lock);
      if (drawing_stopped)
        {
          g_mutex_unlock (&drawing_lock);
          g_object_unref (task);
          continue;
        }
      n_drawing++;
      g_mutex_unlock (&drawing_lock);

      job = g_task_get_task_data (task);
      texture = renderer_render (renderer, job, &error);

      g_mutex_lock (&drawing_lock);
      if (--n_drawing == 0)
        g_cond_broadcast (&drawing_cond);
      g_mutex_unlock (&drawing_lock);

      if (texture == NULL)
        g_task_return_error (task, error);
      else if (!g_task_return_error_if_cancelled (task))
        g_task_return_pointer (task, texture, g_object_unref);
      else
        g_object_unref (texture);

      g_object_unref (task);
    }

  renderer_free (renderer);

  return NULL;
}

/**
 * gls_document_stop_drawing:
 *
 * For the end of the program: waits (up to a few seconds) for the
 * drawings in progress in documents' workers, and starts no other. A
 * worker still drawing as the process exits would use cairo, Pango and
 * HarfBuzz while they are torn down (a thumbnail being drawn as a test's
 * window closed crashed in HarfBuzz that way).
 */
void
gls_document_stop_drawing (void)
{
  gint64 until = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;

  g_mutex_lock (&drawing_lock);
  drawing_stopped = TRUE;
  while (n_drawing > 0)
    if (!g_cond_wait_until (&drawing_cond, &drawing_lock, until))
      break;
  g_mutex_unlock (&drawing_lock);
}

static void
gls_document_finalize (GObject *object)
{
  GlsDocument *self = (GlsDocument *)object;

  if (self->renderer != NULL)
    {
      if (self->renderer->thread != NULL)
        {
          /* Every queued task holds a reference on us, so the worker is idle
           * or finishing its last reply; it frees the renderer itself. We may
           * be running on the worker thread (it dropped the last task), so
           * never join. */
          GThread *thread = g_steal_pointer (&self->renderer->thread);

          g_async_queue_push (self->renderer->queue, QUIT_JOB);
          g_thread_unref (thread);
        }
      else
        renderer_free (self->renderer);
      self->renderer = NULL;
    }

  g_clear_pointer (&self->media_type, g_free);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->pages, g_array_unref);
  g_clear_object (&self->texture);

  G_OBJECT_CLASS (gls_document_parent_class)->finalize (object);
}

static void
gls_document_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  GlsDocument *self = GLS_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_N_PAGES:
      g_value_set_uint (value, gls_document_get_n_pages (self));
      break;

    case PROP_MEDIA_TYPE:
      g_value_set_string (value, self->media_type);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_document_class_init (GlsDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gls_document_finalize;
  object_class->get_property = gls_document_get_property;

  properties [PROP_N_PAGES] =
    g_param_spec_uint ("n-pages", NULL, NULL,
                       1, G_MAXUINT, 1,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_MEDIA_TYPE] =
    g_param_spec_string ("media-type", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gls_document_init (GlsDocument *self)
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

  if (len < nlen)
    return FALSE;
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
  gsize head = MIN (len, 4096);

  if (media_type != NULL)
    {
      if (g_str_equal (media_type, "application/pdf"))
        return GLS_DESIGN_KIND_PDF;
      if (g_str_has_prefix (media_type, "image/svg"))
        return GLS_DESIGN_KIND_SVG;
      if (g_str_has_prefix (media_type, "image/"))
        return GLS_DESIGN_KIND_RASTER;
    }

  /* Unknown or generic type: look at the bytes. */
  if (contains_bytes (data, MIN (len, 1024), "%PDF-"))
    return GLS_DESIGN_KIND_PDF;
  if (has_prefix_bytes (data, len, "\x1f\x8b") || contains_bytes (data, head, "<svg"))
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

static GdkTexture *
load_with_pixbuf (GBytes      *bytes,
                  const char  *media_type,
                  GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  GdkPixbuf *pixbuf;

  if (media_type != NULL && g_str_has_prefix (media_type, "image/"))
    loader = gdk_pixbuf_loader_new_with_mime_type (media_type, NULL);
  if (loader == NULL)
    loader = gdk_pixbuf_loader_new ();

  if (!gdk_pixbuf_loader_write_bytes (loader, bytes, &local_error) ||
      !gdk_pixbuf_loader_close (loader, &local_error))
    {
      if (g_error_matches (local_error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                     _("This file is not an image, SVG or PDF that Glossa can show"));
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     _("The image is damaged: %s"), local_error->message);
      return NULL;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The image is damaged: it has no picture in it"));
      return NULL;
    }

  return gdk_texture_new_for_pixbuf (pixbuf);
}

static gboolean
load_raster (GlsDocument  *self,
             GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  PageSize size;

  self->texture = gdk_texture_new_from_bytes (self->bytes, &local_error);
  if (self->texture == NULL)
    {
      if (g_error_matches (local_error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE))
        {
          /* GTK already asked gdk-pixbuf, which knows no such format. */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("This file is not an image, SVG or PDF that Glossa can show"));
          return FALSE;
        }
      if (!g_error_matches (local_error, GDK_TEXTURE_ERROR, GDK_TEXTURE_ERROR_UNSUPPORTED_FORMAT))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The image is damaged: %s"), local_error->message);
          return FALSE;
        }
      self->texture = load_with_pixbuf (self->bytes, self->media_type, error);
      if (self->texture == NULL)
        return FALSE;
    }

  size.width = gdk_texture_get_width (self->texture);
  size.height = gdk_texture_get_height (self->texture);
  g_array_append_val (self->pages, size);

  /* Scaled-down copies are made by the worker thread. */
  self->renderer = g_new0 (Renderer, 1);
  self->renderer->kind = GLS_DESIGN_KIND_RASTER;
  self->renderer->image = g_object_ref (self->texture);

  return TRUE;
}

static gboolean
load_svg (GlsDocument  *self,
          GError      **error)
{
  RsvgHandle *handle;
  g_autoptr(GError) local_error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (self->bytes, &len);
  PageSize size = { 0, 0 };

  handle = rsvg_handle_new_from_data (data, len, &local_error);
  if (handle == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The SVG is damaged: %s"),
                   local_error ? local_error->message : _("unknown error"));
      return FALSE;
    }

  rsvg_handle_set_dpi (handle, 96.0);

  if (!rsvg_handle_get_intrinsic_size_in_pixels (handle, &size.width, &size.height))
    {
      gboolean has_width, has_height, has_viewbox;
      RsvgLength width, height;
      RsvgRectangle viewbox;

      /* Percentages or no size at all: the viewBox is the best we have. */
      rsvg_handle_get_intrinsic_dimensions (handle,
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
      g_object_unref (handle);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The SVG has no size: it needs a width and height or a viewBox"));
      return FALSE;
    }

  g_array_append_val (self->pages, size);

  self->renderer = g_new0 (Renderer, 1);
  self->renderer->kind = GLS_DESIGN_KIND_SVG;
  self->renderer->svg = handle;

  return TRUE;
}

static gboolean
load_pdf (GlsDocument  *self,
          GError      **error)
{
  PopplerDocument *pdf = NULL;
  g_autoptr(GError) local_error = NULL;
  int n_pages;

  pdf = poppler_document_new_from_bytes (self->bytes, NULL, &local_error);
  if (pdf == NULL)
    {
      if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                     _("The PDF is protected by a password"));
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     _("The PDF is damaged: %s"),
                     local_error ? local_error->message : _("unknown error"));
      return FALSE;
    }

  n_pages = poppler_document_get_n_pages (pdf);
  if (n_pages <= 0)
    {
      g_object_unref (pdf);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The PDF has no pages"));
      return FALSE;
    }

  for (int i = 0; i < n_pages; i++)
    {
      PopplerPage *page = poppler_document_get_page (pdf, i);
      PageSize size = { 0, 0 };

      if (page != NULL)
        {
          poppler_page_get_size (page, &size.width, &size.height);
          g_object_unref (page);
        }
      if (!(size.width > 0 && size.height > 0))
        {
          /* A broken page still takes a place; A4 is the likeliest size. */
          size.width = 595;
          size.height = 842;
        }
      g_array_append_val (self->pages, size);
    }

  self->renderer = g_new0 (Renderer, 1);
  self->renderer->kind = GLS_DESIGN_KIND_PDF;
  self->renderer->pdf = pdf;

  return TRUE;
}

GlsDocument *
gls_document_load (GBytes        *data,
                   const char    *media_type,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GlsDocument) self = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (g_bytes_get_size (data) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The file is empty"));
      return NULL;
    }

  self = g_object_new (GLS_TYPE_DOCUMENT, NULL);
  self->bytes = g_bytes_ref (data);
  self->kind = sniff_kind (data, media_type);

  if (self->kind == GLS_DESIGN_KIND_RASTER && !is_generic_type (media_type))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
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
          const guint8 *bytes = g_bytes_get_data (data, &len);
          g_autofree char *guess = g_content_type_guess (NULL, bytes, len, NULL);

          self->media_type = g_content_type_get_mime_type (guess);
        }
      ok = load_raster (self, error);
      break;

    case GLS_DESIGN_KIND_OTHER:
    default:
      g_assert_not_reached ();
    }

  if (!ok)
    return NULL;

  return g_steal_pointer (&self);
}

typedef struct
{
  GBytes *bytes;
  char   *media_type;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_bytes_unref (data->bytes);
  g_free (data->media_type);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;
  GlsDocument *document;

  document = gls_document_load (data->bytes, data->media_type, cancellable, &error);
  if (document == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, document, g_object_unref);
}

void
gls_document_load_async (GBytes              *data,
                         const char          *media_type,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load;

  g_return_if_fail (data != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  load = g_new0 (LoadData, 1);
  load->bytes = g_bytes_ref (data);
  load->media_type = g_strdup (media_type);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gls_document_load_async);
  g_task_set_task_data (task, load, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

GlsDocument *
gls_document_load_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gls_document_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Getters */

GlsDesignKind
gls_document_get_kind (GlsDocument *self)
{
  g_return_val_if_fail (GLS_IS_DOCUMENT (self), GLS_DESIGN_KIND_OTHER);

  return self->kind;
}

const char *
gls_document_get_media_type (GlsDocument *self)
{
  g_return_val_if_fail (GLS_IS_DOCUMENT (self), NULL);

  return self->media_type;
}

GBytes *
gls_document_get_bytes (GlsDocument *self)
{
  g_return_val_if_fail (GLS_IS_DOCUMENT (self), NULL);

  return self->bytes;
}

guint
gls_document_get_n_pages (GlsDocument *self)
{
  g_return_val_if_fail (GLS_IS_DOCUMENT (self), 1);

  return MAX (self->pages->len, 1);
}

gboolean
gls_document_get_page_size (GlsDocument *self,
                            guint        page,
                            double      *width,
                            double      *height)
{
  const PageSize *size;

  g_return_val_if_fail (GLS_IS_DOCUMENT (self), FALSE);

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

GdkTexture *
gls_document_get_texture (GlsDocument *self)
{
  g_return_val_if_fail (GLS_IS_DOCUMENT (self), NULL);

  return self->texture;
}

/* Rendering */

void
gls_document_render_async (GlsDocument           *self,
                           guint                  page,
                           double                 scale,
                           const graphene_rect_t *area,
                           GCancellable          *cancellable,
                           GAsyncReadyCallback    callback,
                           gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  graphene_rect_t page_rect, wanted;
  RenderJob *job;
  double width, height;
  double x1, y1;

  g_return_if_fail (GLS_IS_DOCUMENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gls_document_render_async);

  if (page == 0)
    page = 1;

  if (!gls_document_get_page_size (self, page, &width, &height))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The document has no page %u"), page);
      return;
    }

  if (!(scale > 0) || !isfinite (scale))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Cannot draw at a zoom of %g"), scale);
      return;
    }

  if (self->kind == GLS_DESIGN_KIND_RASTER && scale >= 1.0)
    {
      g_task_return_pointer (task, g_object_ref (self->texture), g_object_unref);
      return;
    }

  graphene_rect_init (&page_rect, 0, 0, width, height);
  if (area == NULL)
    wanted = page_rect;
  else if (!graphene_rect_intersection (area, &page_rect, &wanted))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The area to draw is outside the page"));
      return;
    }

  job = g_new0 (RenderJob, 1);
  job->page = page;
  job->scale = scale;
  job->page_width = width;
  job->page_height = height;
  job->x0 = (int) floor (wanted.origin.x * scale);
  job->y0 = (int) floor (wanted.origin.y * scale);
  x1 = MIN (ceil ((wanted.origin.x + wanted.size.width) * scale), ceil (width * scale));
  y1 = MIN (ceil ((wanted.origin.y + wanted.size.height) * scale), ceil (height * scale));
  job->width = MAX (1, (int) x1 - job->x0);
  job->height = MAX (1, (int) y1 - job->y0);
  g_task_set_task_data (task, job, g_free);

  if (job->width > MAX_RENDER_SIDE || job->height > MAX_RENDER_SIDE ||
      (double) job->width * job->height > MAX_RENDER_PIXELS)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                               _("The area to draw is too large (%d × %d pixels)"),
                               job->width, job->height);
      return;
    }

  g_assert (self->renderer != NULL);

  if (self->renderer->thread == NULL)
    {
      static gsize stop_at_exit = 0;

      self->renderer->queue = g_async_queue_new ();
      /* Also for programs that do not end through gls_ui_run (tests); the
       * module stays loaded to the end. */
      if (g_once_init_enter (&stop_at_exit))
        {
          atexit (gls_document_stop_drawing);
          g_once_init_leave (&stop_at_exit, 1);
        }
      self->renderer->thread = g_thread_new ("gls-document-render", renderer_thread, self->renderer);
    }

  g_async_queue_push (self->renderer->queue, g_steal_pointer (&task));
}

GdkTexture *
gls_document_render_finish (GlsDocument      *self,
                            GAsyncResult     *result,
                            graphene_rect_t  *out_area,
                            GError          **error)
{
  GdkTexture *texture;

  g_return_val_if_fail (GLS_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gls_document_render_async, NULL);

  texture = g_task_propagate_pointer (G_TASK (result), error);

  if (texture != NULL && out_area != NULL)
    {
      const RenderJob *job = g_task_get_task_data (G_TASK (result));

      if (job == NULL)
        graphene_rect_init (out_area, 0, 0,
                            gdk_texture_get_width (texture),
                            gdk_texture_get_height (texture));
      else
        graphene_rect_init (out_area,
                            job->x0 / job->scale,
                            job->y0 / job->scale,
                            job->width / job->scale,
                            job->height / job->scale);
    }

  return texture;
}
