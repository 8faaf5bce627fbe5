/* gls-canvas-clusters.c: pins whose badges would overlap at the
 * current zoom, drawn as one badge with their count.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-canvas"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "gls-canvas-private.h"

/* Badges closer than this, in px, overlap: two discs and their rings. */
#define CLUSTER_DISTANCE  (2 * (PIN_RADIUS + PIN_RING))
/* Where the disc behind a cluster's peeks out, px from its centre. */
#define STACK_OFFSET      4.0
/* Lines a cluster's tooltip names before "and N more". */
#define TOOLTIP_LINES     8

typedef struct
{
  guint    leader;
  guint    count;
  gboolean resolved;
  guint    next;       /* the next cluster of its grid cell, or G_MAXUINT */
} Forming;

void
_gls_canvas_clusters_clear (GlsCanvas *self)
{
  Clusters *c = &self->clusters;

  g_clear_pointer (&c->list, g_array_unref);
  g_clear_pointer (&c->of_pin, g_array_unref);
  g_clear_pointer (&c->badges, g_hash_table_unref);
  g_clear_pointer (&c->selected, g_free);
  c->valid = FALSE;
}

static gint64
cell_key (double x,
          double y,
          double size,
          int    dx,
          int    dy)
{
  gint64 cx = (gint64) floor (x / size) + dx;
  gint64 cy = (gint64) floor (y / size) + dy;

  return (cx << 32) ^ (cy & 0xffffffff);
}

/* Each pin joins the first cluster whose leading pin is within reach at
 * this zoom, else leads one of its own: leaders stand apart, so cluster
 * badges do not overlap each other. A grid of cells as wide as the reach
 * finds the neighbours. */
void
_gls_canvas_ensure_clusters (GlsCanvas *self)
{
  Clusters *c = &self->clusters;
  double reach;
  g_autoptr(GHashTable) cells = NULL;
  g_autoptr(GArray) forming = NULL;
  g_autoptr(GArray) of_pin = NULL;
  g_autoptr(GArray) list = NULL;
  const Pin *pins = (const Pin *) (void *) self->pins->data;
  gboolean changed;

  if (c->valid && c->zoom == self->zoom && c->page == self->page &&
      c->pins_serial == self->pins_serial && g_strcmp0 (c->selected, self->selected) == 0)
    return;

  reach = CLUSTER_DISTANCE / MAX (self->zoom, MIN_ZOOM);
  cells = g_hash_table_new (g_int64_hash, g_int64_equal);
  forming = g_array_new (FALSE, FALSE, sizeof (Forming));
  of_pin = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_set_size (of_pin, self->pins->len);

  /* The keys point into this array, which never grows past its size. */
  {
    g_autofree gint64 *keys = g_new (gint64, MAX (1, self->pins->len));
    guint n_keys = 0;

    for (guint i = 0; i < self->pins->len; i++)
      {
        const Pin *pin = &pins[i];
        guint found = G_MAXUINT;

        g_array_index (of_pin, guint, i) = G_MAXUINT;
        if (!_gls_canvas_pin_on_page (self, pin) ||
            (self->selected != NULL && g_strcmp0 (pin->id, self->selected) == 0))
          continue;

        for (int dy = -1; dy <= 1 && found == G_MAXUINT; dy++)
          for (int dx = -1; dx <= 1 && found == G_MAXUINT; dx++)
            {
              gint64 key = cell_key (pin->selector.x, pin->selector.y, reach, dx, dy);
              gpointer head;

              if (!g_hash_table_lookup_extended (cells, &key, NULL, &head))
                continue;
              for (guint k = GPOINTER_TO_UINT (head) - 1; k != G_MAXUINT;
                   k = g_array_index (forming, Forming, k).next)
                {
                  const Pin *leader = &pins[g_array_index (forming, Forming, k).leader];

                  if (hypot (leader->selector.x - pin->selector.x,
                             leader->selector.y - pin->selector.y) < reach)
                    {
                      found = k;
                      break;
                    }
                }
            }

        if (found != G_MAXUINT)
          {
            Forming *cluster = &g_array_index (forming, Forming, found);

            cluster->count++;
            cluster->resolved = cluster->resolved && pin->resolved;
          }
        else
          {
            Forming cluster = { i, 1, pin->resolved, G_MAXUINT };
            gint64 *key = &keys[n_keys++];
            gpointer head;

            *key = cell_key (pin->selector.x, pin->selector.y, reach, 0, 0);
            if (g_hash_table_lookup_extended (cells, key, NULL, &head))
              cluster.next = GPOINTER_TO_UINT (head) - 1;
            found = forming->len;
            g_array_append_val (forming, cluster);
            g_hash_table_insert (cells, key, GUINT_TO_POINTER (found + 1));
          }
        g_array_index (of_pin, guint, i) = found;
      }

    /* Keep the clusters of two pins or more; renumber. */
    list = g_array_new (FALSE, FALSE, sizeof (Cluster));
    {
      g_autofree guint *index = g_new (guint, MAX (1, forming->len));

      for (guint k = 0; k < forming->len; k++)
        {
          const Forming *f = &g_array_index (forming, Forming, k);

          index[k] = G_MAXUINT;
          if (f->count > 1)
            {
              Cluster cluster = { f->leader, f->count, f->resolved };

              index[k] = list->len;
              g_array_append_val (list, cluster);
            }
        }
      for (guint i = 0; i < of_pin->len; i++)
        {
          guint *k = &g_array_index (of_pin, guint, i);

          if (*k != G_MAXUINT)
            *k = index[*k];
        }
    }
    g_hash_table_remove_all (cells);
  }

  /* A pin layer is made again only when what it shows changed. */
  changed = c->list == NULL || c->list->len != list->len ||
            c->of_pin->len != of_pin->len ||
            memcmp (c->of_pin->data, of_pin->data, of_pin->len * sizeof (guint)) != 0 ||
            (list->len > 0 && memcmp (c->list->data, list->data, list->len * sizeof (Cluster)) != 0);

  g_clear_pointer (&c->list, g_array_unref);
  g_clear_pointer (&c->of_pin, g_array_unref);
  c->list = g_steal_pointer (&list);
  c->of_pin = g_steal_pointer (&of_pin);
  c->zoom = self->zoom;
  c->page = self->page;
  c->pins_serial = self->pins_serial;
  g_free (c->selected);
  c->selected = g_strdup (self->selected);
  c->valid = TRUE;
  if (changed)
    c->serial++;
}

const Cluster *
_gls_canvas_get_pin_cluster (GlsCanvas *self,
                             guint      index)
{
  guint k;

  _gls_canvas_ensure_clusters (self);
  if (index >= self->clusters.of_pin->len)
    return NULL;
  k = g_array_index (self->clusters.of_pin, guint, index);
  return k == G_MAXUINT ? NULL : &g_array_index (self->clusters.list, Cluster, k);
}

guint
_gls_canvas_get_n_clusters (GlsCanvas *self)
{
  g_return_val_if_fail (GLS_IS_CANVAS (self), 0);

  if (self->document == NULL)
    return 0;
  _gls_canvas_ensure_clusters (self);
  return self->clusters.list->len;
}

/* A cluster's badge: its count on a disc with a second one behind it,
 * a small stack, so it does not read as a thread's number. */

static void
append_disc (GtkSnapshot   *snapshot,
             double         cx,
             double         cy,
             double         width,
             double         height,
             const GdkRGBA *color)
{
  graphene_rect_t rect = GRAPHENE_RECT_INIT (cx - width / 2, cy - height / 2, width, height);
  GskRoundedRect outline;

  gsk_rounded_rect_init_from_rect (&outline, &rect, MIN (width, height) / 2.0);
  gtk_snapshot_push_rounded_clip (snapshot, &outline);
  gtk_snapshot_append_color (snapshot, color, &rect);
  gtk_snapshot_pop (snapshot);
}

GskRenderNode *
_gls_canvas_get_cluster_badge (GlsCanvas     *self,
                               const Cluster *cluster)
{
  gpointer key = GUINT_TO_POINTER ((cluster->count << 1) | (cluster->resolved ? 1 : 0));
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  PangoAttrList *attrs;
  PangoRectangle logical;
  const GdkRGBA *fill, *fg;
  GskRenderNode *node;
  char label[16];
  double width, height;

  if (self->clusters.badges == NULL)
    self->clusters.badges = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) gsk_render_node_unref);
  node = g_hash_table_lookup (self->clusters.badges, key);
  if (node != NULL)
    return node;

  _gls_canvas_ensure_colors (self);
  fill = cluster->resolved ? &self->muted : &self->accent;
  fg = cluster->resolved ? &self->muted_fg : &self->accent_fg;

  g_snprintf (label, sizeof label, "%u", cluster->count);
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), label);
  attrs = pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_attr_list_insert (attrs, pango_attr_scale_new (0.8));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_get_pixel_extents (layout, NULL, &logical);

  height = 2 * (PIN_RADIUS + 1);
  width = MAX (height, logical.width + 12);

  snapshot = gtk_snapshot_new ();
  /* The disc behind, then the front one, each in its white ring. */
  append_disc (snapshot, STACK_OFFSET, -STACK_OFFSET,
               width + 2 * PIN_RING, height + 2 * PIN_RING, &self->ring);
  append_disc (snapshot, STACK_OFFSET, -STACK_OFFSET, width, height, fill);
  append_disc (snapshot, 0, 0, width + 2 * PIN_RING, height + 2 * PIN_RING, &self->ring);
  append_disc (snapshot, 0, 0, width, height, fill);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (-logical.width / 2.0 - logical.x,
                                                -logical.height / 2.0 - logical.y));
  gtk_snapshot_append_layout (snapshot, layout, fg);

  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_hash_table_insert (self->clusters.badges, key, node);

  return node;
}

/* "3 comments here:" and a line per thread, its number and first words. */
char *
_gls_canvas_dup_cluster_tooltip (GlsCanvas     *self,
                                 const Cluster *cluster)
{
  GString *text = g_string_new (NULL);
  guint index = G_MAXUINT, lines = 0;

  for (guint i = 0; i < self->pins->len; i++)
    if (_gls_canvas_get_pin_cluster (self, i) == cluster)
      {
        index = g_array_index (self->clusters.of_pin, guint, i);
        break;
      }

  g_string_append_printf (text,
                          ngettext ("%u comment here; click to zoom in:",
                                    "%u comments here; click to zoom in:",
                                    cluster->count),
                          cluster->count);

  for (guint i = 0; i < self->pins->len && index != G_MAXUINT; i++)
    {
      const Pin *pin = &g_array_index (self->pins, Pin, i);
      g_autofree char *flat = NULL;

      if (g_array_index (self->clusters.of_pin, guint, i) != index)
        continue;
      if (lines == TOOLTIP_LINES)
        {
          guint rest = cluster->count - lines;

          g_string_append_c (text, '\n');
          g_string_append_printf (text, ngettext ("and %u more", "and %u more", rest), rest);
          break;
        }

      flat = g_strdup (pin->preview != NULL ? pin->preview : "");
      g_strdelimit (flat, "\n\r\t", ' ');
      g_strstrip (flat);
      if (g_utf8_strlen (flat, -1) > 60)
        {
          g_autofree char *head = g_utf8_substring (flat, 0, 59);

          g_free (flat);
          flat = g_strconcat (head, "…", NULL);
        }
      g_string_append_c (text, '\n');
      if (flat[0] != '\0')
        /* Translators: a thread in a cluster's tooltip: its number and first words */
        g_string_append_printf (text, _("%u. %s"), pin->number, flat);
      else
        g_string_append_printf (text, _("Comment %u"), pin->number);
      lines++;
    }

  return g_string_free (text, FALSE);
}

/* The zoom that parts the cluster's pins: its closest two a badge apart. */
gboolean
_gls_canvas_open_cluster (GlsCanvas  *self,
                          const char *id)
{
  const Cluster *cluster = NULL;
  g_autoptr(GArray) members = NULL;
  double closest = G_MAXDOUBLE, sum_x = 0, sum_y = 0, zoom;
  guint index = G_MAXUINT;

  for (guint i = 0; i < self->pins->len && cluster == NULL; i++)
    {
      const Cluster *c = _gls_canvas_get_pin_cluster (self, i);

      if (c != NULL && c->leader == i && g_strcmp0 (g_array_index (self->pins, Pin, i).id, id) == 0)
        {
          cluster = c;
          index = g_array_index (self->clusters.of_pin, guint, i);
        }
    }
  if (cluster == NULL)
    return FALSE;

  members = g_array_new (FALSE, FALSE, sizeof (graphene_point_t));
  for (guint i = 0; i < self->pins->len; i++)
    if (g_array_index (self->clusters.of_pin, guint, i) == index)
      {
        const Pin *pin = &g_array_index (self->pins, Pin, i);
        graphene_point_t point = GRAPHENE_POINT_INIT (pin->selector.x, pin->selector.y);

        g_array_append_val (members, point);
        sum_x += point.x;
        sum_y += point.y;
      }

  /* A few hundred pins at most in one cluster: pairs are cheap enough. */
  for (guint i = 0; i < members->len && i < 512; i++)
    for (guint j = i + 1; j < members->len && j < 512; j++)
      {
        const graphene_point_t *a = &g_array_index (members, graphene_point_t, i);
        const graphene_point_t *b = &g_array_index (members, graphene_point_t, j);
        double d = hypot (a->x - b->x, a->y - b->y);

        if (d > 0)
          closest = MIN (closest, d);
      }

  /* Pins on one spot: no zoom parts them. */
  if (closest == G_MAXDOUBLE)
    return FALSE;

  zoom = MAX (self->zoom * 1.5, CLUSTER_DISTANCE * 1.2 / closest);
  if (zoom > MAX_ZOOM)
    {
      if (self->zoom >= MAX_ZOOM * 0.999)
        return FALSE;
      zoom = MAX_ZOOM;
    }

  self->fit = FALSE;
  _gls_canvas_set_view (self, zoom, sum_x / members->len, sum_y / members->len);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

guint
_gls_canvas_get_cluster_size_at (GlsCanvas *self,
                                 double     x,
                                 double     y)
{
  const char *id;

  g_return_val_if_fail (GLS_IS_CANVAS (self), 0);

  id = _gls_canvas_get_pin_at (self, x, y);
  for (guint i = 0; id != NULL && i < self->pins->len; i++)
    if (g_strcmp0 (g_array_index (self->pins, Pin, i).id, id) == 0)
      {
        const Cluster *cluster = _gls_canvas_get_pin_cluster (self, i);

        return cluster != NULL ? cluster->count : 0;
      }

  return 0;
}
