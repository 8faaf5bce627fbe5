/* gls-text-view.c: a text design, read-only, with the passages threads are
 * on, search, zoom and the composer for a comment on a selection.
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-text-view"

#include "config.h"

#include <math.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "gls-text.h"
#include "gls-text-view-private.h"

/* Passages on one row of the margin shown by number; more are "+N". */
#define MARGIN_NUMBERS  2
/* Tooltip lines for the passages under the pointer. */
#define TOOLTIP_ENTRIES 3
#define PREVIEW_CHARS   120

static const double zoom_levels[] = {
  0.5, 0.67, 0.8, 0.9, 1.0, 1.1, 1.2, 1.33, 1.5, 1.7, 2.0, 2.4, 3.0,
};

typedef struct
{
  char     *id;
  char     *preview;
  guint     number;
  gint64    start;
  gint64    end;
  guint     line;     /* buffer line of start */
  gboolean  resolved;
  gboolean  suggestion;
} Passage;

typedef struct _GlsTextGutter GlsTextGutter;

/* A text's first piece goes into the buffer at once, the rest in pieces
 * when idle: the first frame needs only what shows. */
#define LOAD_FIRST (128 * 1024)
#define LOAD_PIECE (512 * 1024)

static void deferred_free (GArray *deferred);

struct _GlsTextView
{
  GtkWidget                parent_instance;

  char                    *text;
  GlsTextIndex            *index;      /* made when a comment needs it */
  /* A long text goes into the buffer in pieces, the first at once (the
   * first frame shows it), the rest when the main loop is idle; passages
   * and a reveal asked for meanwhile wait for the whole. */
  guint                    load_source;
  gsize                    loaded;      /* bytes of text in the buffer */
  GArray                  *deferred;   /* GlsTextPassage, strings owned */
  char                    *deferred_reveal;
  GtkSourceBuffer         *buffer;

  GArray                  *passages;   /* Passage, by start, end, number */
  GArray                  *max_end;    /* gint64: max end of passages [0, i] */
  GHashTable              *by_id;      /* id → position + 1 */
  guint                    max_per_line;
  guint                    max_number;
  char                    *selected;

  GtkTextTag              *tag_resolved;
  GtkTextTag              *tag_a;
  GtkTextTag              *tag_b;
  GtkTextTag              *tag_suggestion;
  GtkTextTag              *tag_overlap;
  GtkTextTag              *tag_pending;
  GtkTextTag              *tag_selected;

  double                   zoom;
  GtkCssProvider          *zoom_css;

  GtkSourceSearchSettings *search_settings;
  GtkSourceSearchContext  *search_context;

  GlsTextGutter           *gutter;
  GlsCommentPopover       *popover;
  GlsSelector              pending;
  gint64                   pending_start;
  gint64                   pending_end;
  gboolean                 has_pending;
  gboolean                 pending_posted;
  gboolean                 pending_suggestion;

  gboolean                 pressed;
  double                   press_x;
  double                   press_y;

  /* Template widgets */
  GtkWidget               *box;
  GtkSearchBar            *search_bar;
  GtkSearchEntry          *search_entry;
  GtkLabel                *search_label;
  GtkScrolledWindow       *scroller;
  GtkSourceView           *source_view;
};

G_DEFINE_FINAL_TYPE (GlsTextView, gls_text_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTED,
  PROP_ZOOM,
  PROP_CAN_COMMENT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  PASSAGE_ACTIVATED,
  COMMENT_REQUESTED,
  SUGGESTION_REQUESTED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

#define PASSAGE(self, i) (&g_array_index ((self)->passages, Passage, (i)))

static void
passage_clear (gpointer data)
{
  Passage *p = data;

  g_clear_pointer (&p->id, g_free);
  g_clear_pointer (&p->preview, g_free);
}

/* Looking passages up */

/* The first passage whose start line is @line or later. */
static guint
first_on_line (GlsTextView *self,
               guint        line)
{
  guint lo = 0, hi = self->passages->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (PASSAGE (self, mid)->line < line)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

/* Positions of the passages holding @offset, in the order of their start.
 * The prefix maximum of the ends stops the walk back as soon as no earlier
 * passage can reach @offset. */
static GArray *
passages_at (GlsTextView *self,
             gint64       offset)
{
  GArray *found = g_array_new (FALSE, FALSE, sizeof (guint));
  guint lo = 0, hi = self->passages->len;

  /* The passages that start at or before @offset: [0, lo). */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (PASSAGE (self, mid)->start <= offset)
        lo = mid + 1;
      else
        hi = mid;
    }

  for (guint i = lo; i > 0; i--)
    {
      if (g_array_index (self->max_end, gint64, i - 1) <= offset)
        break;
      if (PASSAGE (self, i - 1)->end > offset)
        {
          guint position = i - 1;

          g_array_prepend_val (found, position);
        }
    }

  return found;
}

/* The passage a click or Enter at @offset means: the innermost. */
static Passage *
passage_for_offset (GlsTextView *self,
                    gint64       offset)
{
  g_autoptr(GArray) found = passages_at (self, offset);
  Passage *best = NULL;

  for (guint i = 0; i < found->len; i++)
    {
      Passage *p = PASSAGE (self, g_array_index (found, guint, i));

      if (best == NULL || p->start > best->start ||
          (p->start == best->start && p->end < best->end))
        best = p;
    }

  return best;
}

static Passage *
find_passage (GlsTextView *self,
              const char  *id)
{
  guint pos;

  if (id == NULL)
    return NULL;

  pos = GPOINTER_TO_UINT (g_hash_table_lookup (self->by_id, id));

  return pos > 0 ? PASSAGE (self, pos - 1) : NULL;
}

static char *
format_margin_label (const guint *numbers,
                     guint        n)
{
  GString *label = g_string_new (NULL);

  for (guint i = 0; i < n && i < MARGIN_NUMBERS; i++)
    {
      if (i > 0)
        /* Translators: between thread numbers in the text's margin, "3, 7" */
        g_string_append (label, _(", "));
      g_string_append_printf (label, "%u", numbers[i]);
    }
  if (n > MARGIN_NUMBERS)
    g_string_append_printf (label, " +%u", n - MARGIN_NUMBERS);

  return g_string_free (label, FALSE);
}

static char *
preview_line (const char *text)
{
  g_autofree char *line = NULL;
  const char *nl;

  if (text == NULL)
    return g_strdup ("");

  while (*text == '\n' || *text == ' ')
    text++;
  nl = strchr (text, '\n');
  line = nl ? g_strndup (text, nl - text) : g_strdup (text);
  if (g_utf8_strlen (line, -1) > PREVIEW_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, PREVIEW_CHARS);

      return g_strconcat (cut, "…", NULL);
    }

  return g_steal_pointer (&line);
}

static char *
format_tooltip (GlsTextView *self,
                const guint *positions,
                guint        n)
{
  GString *tip = g_string_new (NULL);

  for (guint i = 0; i < n && i < TOOLTIP_ENTRIES; i++)
    {
      Passage *p = PASSAGE (self, positions[i]);
      g_autofree char *line = preview_line (p->preview);

      if (i > 0)
        g_string_append_c (tip, '\n');
      if (p->suggestion && p->resolved)
        /* Translators: a tooltip over text with a suggestion: the thread's number and the suggested words */
        g_string_append_printf (tip, _("Suggestion %u (decided): “%s”"), p->number, line);
      else if (p->suggestion)
        /* Translators: a tooltip over text with a suggestion: the thread's number and the suggested words */
        g_string_append_printf (tip, _("Suggestion %u: “%s”"), p->number, line);
      else if (p->resolved)
        /* Translators: a tooltip over commented text: the thread's number and its first comment */
        g_string_append_printf (tip, _("Comment %u (resolved): %s"), p->number, line);
      else
        /* Translators: a tooltip over commented text: the thread's number and its first comment */
        g_string_append_printf (tip, _("Comment %u: %s"), p->number, line);
    }
  if (n > TOOLTIP_ENTRIES)
    {
      guint more = n - TOOLTIP_ENTRIES;

      g_string_append_c (tip, '\n');
      g_string_append_printf (tip, ngettext ("and %u more comment", "and %u more comments", more), more);
    }

  return g_string_free (tip, FALSE);
}

static void
activate_passage (GlsTextView *self,
                  Passage     *p)
{
  g_autofree char *id = g_strdup (p->id);

  gls_text_view_set_selected (self, id);
  g_signal_emit (self, signals [PASSAGE_ACTIVATED], 0, id);
}

/* The margin: the numbers of the passages that start on each row, drawn by
 * one renderer for every line (no widget per passage). */

#define GLS_TYPE_TEXT_GUTTER (gls_text_gutter_get_type ())

G_DECLARE_FINAL_TYPE (GlsTextGutter, gls_text_gutter, GLS, TEXT_GUTTER, GtkSourceGutterRenderer)

struct _GlsTextGutter
{
  GtkSourceGutterRenderer  parent_instance;

  GlsTextView             *view;    /* unowned: it owns us */
  PangoLayout             *layout;  /* between begin and end */
  double                   pointer_y;
  int                      width;   /* of the widest label, or -1 */
};

G_DEFINE_FINAL_TYPE (GlsTextGutter, gls_text_gutter, GTK_SOURCE_TYPE_GUTTER_RENDERER)

#define PILL_PAD_X 5
#define PILL_PAD_Y 1

/* A group of passages starting on the same row of a line. */
typedef struct
{
  guint first;
  guint n;
  int   y;       /* in the renderer's coordinates */
  int   height;
} MarginRow;

/* The rows of buffer line @line that passages start on; @delta turns
 * buffer y into the renderer's y. */
static GArray *
margin_rows (GlsTextGutter *self,
             guint          line,
             int            delta)
{
  GlsTextView *view = self->view;
  GtkTextView *tv = GTK_TEXT_VIEW (view->source_view);
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (MarginRow));
  guint n = view->passages->len;

  for (guint i = first_on_line (view, line); i < n && PASSAGE (view, i)->line == line; i++)
    {
      GtkTextIter iter;
      GdkRectangle loc;

      gtk_text_buffer_get_iter_at_offset (GTK_TEXT_BUFFER (view->buffer), &iter,
                                          (int) PASSAGE (view, i)->start);
      gtk_text_view_get_iter_location (tv, &iter, &loc);
      if (rows->len > 0 && g_array_index (rows, MarginRow, rows->len - 1).y == loc.y + delta)
        g_array_index (rows, MarginRow, rows->len - 1).n++;
      else
        {
          MarginRow row = { i, 1, loc.y + delta, loc.height };

          g_array_append_val (rows, row);
        }
    }

  return rows;
}

static char *
row_label (GlsTextView *view,
           MarginRow   *row)
{
  g_autofree guint *numbers = g_new (guint, row->n);

  for (guint i = 0; i < row->n; i++)
    numbers[i] = PASSAGE (view, row->first + i)->number;

  return format_margin_label (numbers, row->n);
}

static void
gls_text_gutter_begin (GtkSourceGutterRenderer *renderer,
                       GtkSourceGutterLines    *lines)
{
  GlsTextGutter *self = GLS_TEXT_GUTTER (renderer);
  PangoAttrList *attrs = pango_attr_list_new ();

  g_clear_object (&self->layout);
  self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_attr_list_insert (attrs, pango_attr_scale_new (0.85));
  pango_layout_set_attributes (self->layout, attrs);
  pango_attr_list_unref (attrs);
}

static void
gls_text_gutter_end (GtkSourceGutterRenderer *renderer)
{
  GlsTextGutter *self = GLS_TEXT_GUTTER (renderer);

  g_clear_object (&self->layout);
}

static int
line_delta (GlsTextGutter        *self,
            GtkSourceGutterLines *lines,
            guint                 line)
{
  GtkTextIter iter;
  int cell_y, cell_height, line_y;

  gtk_source_gutter_lines_get_line_yrange (lines, line, GTK_SOURCE_GUTTER_RENDERER_ALIGNMENT_MODE_CELL,
                                           &cell_y, &cell_height);
  gtk_source_gutter_lines_get_iter_at_line (lines, &iter, line);
  gtk_text_view_get_line_yrange (GTK_TEXT_VIEW (self->view->source_view), &iter, &line_y, NULL);

  return cell_y - line_y;
}

static void
gls_text_gutter_snapshot_line (GtkSourceGutterRenderer *renderer,
                               GtkSnapshot             *snapshot,
                               GtkSourceGutterLines    *lines,
                               guint                    line)
{
  GlsTextGutter *self = GLS_TEXT_GUTTER (renderer);
  GlsTextView *view = self->view;
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  g_autoptr(GArray) rows = NULL;
  GdkRGBA fg, accent_bg, accent_fg;
  guint first;

  if (view == NULL || self->layout == NULL)
    return;
  first = first_on_line (view, line);
  if (first >= view->passages->len || PASSAGE (view, first)->line != line)
    return;

  gtk_style_context_get_color (context, &fg);
  if (!gtk_style_context_lookup_color (context, "accent_bg_color", &accent_bg))
    gdk_rgba_parse (&accent_bg, "#3584e4");
  if (!gtk_style_context_lookup_color (context, "accent_fg_color", &accent_fg))
    gdk_rgba_parse (&accent_fg, "white");

  rows = margin_rows (self, line, line_delta (self, lines, line));
  for (guint r = 0; r < rows->len; r++)
    {
      MarginRow *row = &g_array_index (rows, MarginRow, r);
      g_autofree char *label = row_label (view, row);
      gboolean selected = FALSE, resolved = TRUE;
      GdkRGBA pill, ink;
      int text_width, text_height;
      graphene_rect_t rect;
      GskRoundedRect rounded;

      for (guint i = 0; i < row->n; i++)
        {
          Passage *p = PASSAGE (view, row->first + i);

          selected |= g_strcmp0 (p->id, view->selected) == 0;
          resolved &= p->resolved;
        }

      pango_layout_set_text (self->layout, label, -1);
      pango_layout_get_pixel_size (self->layout, &text_width, &text_height);

      if (selected)
        {
          pill = accent_bg;
          ink = accent_fg;
        }
      else
        {
          pill = fg;
          pill.alpha = resolved ? 0.06 : 0.12;
          ink = fg;
          ink.alpha = resolved ? 0.55 : 0.9;
        }

      rect = GRAPHENE_RECT_INIT (width - text_width - 2 * PILL_PAD_X - 2,
                                 row->y + (row->height - text_height) / 2 - PILL_PAD_Y,
                                 text_width + 2 * PILL_PAD_X,
                                 text_height + 2 * PILL_PAD_Y);
      gsk_rounded_rect_init_from_rect (&rounded, &rect, rect.size.height / 2);
      gtk_snapshot_push_rounded_clip (snapshot, &rounded);
      gtk_snapshot_append_color (snapshot, &pill, &rect);
      gtk_snapshot_pop (snapshot);

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (rect.origin.x + PILL_PAD_X,
                                                              rect.origin.y + PILL_PAD_Y));
      gtk_snapshot_append_layout (snapshot, self->layout, &ink);
      gtk_snapshot_restore (snapshot);
    }
}

/* The row of the margin under @y (the renderer's coordinates), if a
 * passage starts on it. */
static gboolean
row_at_y (GlsTextGutter *self,
          double         y,
          MarginRow     *out)
{
  GtkTextView *tv = GTK_TEXT_VIEW (self->view->source_view);
  g_autoptr(GArray) rows = NULL;
  GtkTextIter iter;
  int by, line_y;

  gtk_text_view_window_to_buffer_coords (tv, GTK_TEXT_WINDOW_LEFT, 0, (int) y, NULL, &by);
  gtk_text_view_get_line_at_y (tv, &iter, by, &line_y);
  rows = margin_rows (self, gtk_text_iter_get_line (&iter), 0);
  for (guint r = 0; r < rows->len; r++)
    {
      MarginRow *row = &g_array_index (rows, MarginRow, r);

      if (by >= row->y && by < row->y + row->height)
        {
          *out = *row;
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
gls_text_gutter_query_activatable (GtkSourceGutterRenderer *renderer,
                                   GtkTextIter             *iter,
                                   GdkRectangle            *area)
{
  GlsTextGutter *self = GLS_TEXT_GUTTER (renderer);
  guint line = gtk_text_iter_get_line (iter);
  guint first;

  if (self->view == NULL)
    return FALSE;
  first = first_on_line (self->view, line);

  return first < self->view->passages->len && PASSAGE (self->view, first)->line == line;
}

static void
gls_text_gutter_activate (GtkSourceGutterRenderer *renderer,
                          GtkTextIter             *iter,
                          GdkRectangle            *area,
                          guint                    button,
                          GdkModifierType          state,
                          int                      n_presses)
{
  GlsTextGutter *self = GLS_TEXT_GUTTER (renderer);
  guint line = gtk_text_iter_get_line (iter);
  guint first;
  MarginRow row;

  if (self->view == NULL)
    return;
  first = first_on_line (self->view, line);
  if (button != GDK_BUTTON_PRIMARY || first >= self->view->passages->len ||
      PASSAGE (self->view, first)->line != line)
    return;

  /* The row clicked, when the pointer is on one; else the line's first.
   * Clicking a row again goes on to its next passage. */
  if (!row_at_y (self, self->pointer_y, &row) || PASSAGE (self->view, row.first)->line != line)
    row = (MarginRow) { first, 1, 0, 0 };
  first = row.first;
  for (guint i = 0; i < row.n; i++)
    if (g_strcmp0 (PASSAGE (self->view, row.first + i)->id, self->view->selected) == 0)
      {
        first = row.first + (i + 1) % row.n;
        break;
      }

  activate_passage (self->view, PASSAGE (self->view, first));
}

static gboolean
gls_text_gutter_query_tooltip (GtkWidget  *widget,
                               int         x,
                               int         y,
                               gboolean    keyboard_mode,
                               GtkTooltip *tooltip)
{
  GlsTextGutter *self = GLS_TEXT_GUTTER (widget);
  g_autofree guint *positions = NULL;
  g_autofree char *tip = NULL;
  MarginRow row;

  if (keyboard_mode || self->view == NULL || !row_at_y (self, y, &row))
    return FALSE;

  positions = g_new (guint, row.n);
  for (guint i = 0; i < row.n; i++)
    positions[i] = row.first + i;
  tip = format_tooltip (self->view, positions, row.n);
  gtk_tooltip_set_text (tooltip, tip);

  return TRUE;
}

static void
gls_text_gutter_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  GlsTextGutter *self = GLS_TEXT_GUTTER (widget);

  *minimum = *natural = 0;
  *minimum_baseline = *natural_baseline = -1;

  if (orientation != GTK_ORIENTATION_HORIZONTAL || self->view == NULL ||
      self->view->passages->len == 0)
    return;

  if (self->width < 0)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
      PangoAttrList *attrs = pango_attr_list_new ();
      g_autofree guint *numbers = NULL;
      g_autofree char *widest = NULL;
      guint n = MIN (self->view->max_per_line, MARGIN_NUMBERS + 1);
      guint eights = 0;

      /* The widest label this text can need: the most passages on one
       * line, each with as many digits as the largest number. */
      for (guint v = MAX (self->view->max_number, 1); v > 0; v /= 10)
        eights = eights * 10 + 8;
      numbers = g_new (guint, MAX (n, 1));
      for (guint i = 0; i < n; i++)
        numbers[i] = eights;
      widest = format_margin_label (numbers, MIN (n, MARGIN_NUMBERS));
      if (self->view->max_per_line > MARGIN_NUMBERS)
        {
          g_autofree char *more = g_strdup_printf ("%s +%u", widest, self->view->max_per_line);

          g_free (widest);
          widest = g_steal_pointer (&more);
        }

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_attr_list_insert (attrs, pango_attr_scale_new (0.85));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
      pango_layout_set_text (layout, widest, -1);
      pango_layout_get_pixel_size (layout, &self->width, NULL);
      self->width += 2 * PILL_PAD_X + 6;
    }

  *minimum = *natural = self->width;
}

static void
gls_text_gutter_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  GlsTextGutter *self = GLS_TEXT_GUTTER (widget);

  GTK_WIDGET_CLASS (gls_text_gutter_parent_class)->css_changed (widget, change);

  /* The zoom changes the font. */
  self->width = -1;
  gtk_widget_queue_resize (widget);
}

static void
gutter_motion_cb (GlsTextGutter *self,
                  double         x,
                  double         y)
{
  self->pointer_y = y;
}

static void
gls_text_gutter_dispose (GObject *object)
{
  GlsTextGutter *self = GLS_TEXT_GUTTER (object);

  g_clear_object (&self->layout);

  G_OBJECT_CLASS (gls_text_gutter_parent_class)->dispose (object);
}

static void
gls_text_gutter_class_init (GlsTextGutterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkSourceGutterRendererClass *renderer_class = GTK_SOURCE_GUTTER_RENDERER_CLASS (klass);

  object_class->dispose = gls_text_gutter_dispose;

  widget_class->measure = gls_text_gutter_measure;
  widget_class->css_changed = gls_text_gutter_css_changed;
  widget_class->query_tooltip = gls_text_gutter_query_tooltip;

  renderer_class->begin = gls_text_gutter_begin;
  renderer_class->end = gls_text_gutter_end;
  renderer_class->snapshot_line = gls_text_gutter_snapshot_line;
  renderer_class->query_activatable = gls_text_gutter_query_activatable;
  renderer_class->activate = gls_text_gutter_activate;
}

static void
gls_text_gutter_init (GlsTextGutter *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->width = -1;
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (gutter_motion_cb), self);
  g_signal_connect_swapped (motion, "enter", G_CALLBACK (gutter_motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

static void
gutter_changed (GlsTextView *self)
{
  self->gutter->width = -1;
  gtk_widget_set_visible (GTK_WIDGET (self->gutter), self->passages->len > 0);
  gtk_widget_queue_resize (GTK_WIDGET (self->gutter));
  gtk_widget_queue_draw (GTK_WIDGET (self->gutter));
}

/* Highlights */

static void
update_tag_colors (GlsTextView *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  GtkSourceStyleScheme *scheme;
  struct { GtkTextTag *tag; const char *light; const char *dark; } colors[] = {
    /* Two tints for neighbours, a stronger one where passages overlap, the
     * selected thread in the accent's hue, resolved ones faint. Not
     * yellow: that is the search's. */
    { self->tag_a, "rgba(255, 163, 72, 0.30)", "rgba(255, 163, 72, 0.24)" },
    { self->tag_b, "rgba(220, 138, 221, 0.30)", "rgba(220, 138, 221, 0.26)" },
    /* Suggestions in green, with an underline of their own. */
    { self->tag_suggestion, "rgba(51, 209, 122, 0.26)", "rgba(87, 227, 137, 0.20)" },
    { self->tag_overlap, "rgba(230, 97, 0, 0.38)", "rgba(255, 120, 0, 0.40)" },
    { self->tag_resolved, "rgba(119, 118, 123, 0.16)", "rgba(222, 221, 218, 0.12)" },
    { self->tag_pending, "rgba(53, 132, 228, 0.22)", "rgba(120, 174, 237, 0.24)" },
    { self->tag_selected, "rgba(53, 132, 228, 0.36)", "rgba(120, 174, 237, 0.38)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (colors); i++)
    {
      GdkRGBA rgba;

      gdk_rgba_parse (&rgba, dark ? colors[i].dark : colors[i].light);
      g_object_set (colors[i].tag, "background-rgba", &rgba, NULL);
    }

  {
    GdkRGBA line;

    gdk_rgba_parse (&line, dark ? "#57e389" : "#26a269");
    g_object_set (self->tag_suggestion,
                  "underline", PANGO_UNDERLINE_SINGLE,
                  "underline-rgba", &line,
                  NULL);
  }

  {
    GdkRGBA line;

    gdk_rgba_parse (&line, dark ? "#78aeed" : "#1c71d8");
    g_object_set (self->tag_selected,
                  "underline", PANGO_UNDERLINE_SINGLE,
                  "underline-rgba", &line,
                  NULL);
  }

  scheme = gtk_source_style_scheme_manager_get_scheme (schemes, dark ? "Adwaita-dark" : "Adwaita");
  if (scheme == NULL)
    scheme = gtk_source_style_scheme_manager_get_scheme (schemes, dark ? "classic-dark" : "classic");
  gtk_source_buffer_set_style_scheme (self->buffer, scheme);
}

static void
apply_range (GlsTextView *self,
             GtkTextTag  *tag,
             gint64       start,
             gint64       end)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  GtkTextIter a, b;

  gtk_text_buffer_get_iter_at_offset (buffer, &a, (int) start);
  gtk_text_buffer_get_iter_at_offset (buffer, &b, (int) end);
  gtk_text_buffer_apply_tag (buffer, tag, &a, &b);
}

static void
remove_everywhere (GlsTextView *self,
                   GtkTextTag  *tag)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  GtkTextIter a, b;

  gtk_text_buffer_get_bounds (buffer, &a, &b);
  gtk_text_buffer_remove_tag (buffer, tag, &a, &b);
}

typedef struct
{
  gint64 at;
  int    delta;
} Edge;

static int
edge_compare (gconstpointer a,
              gconstpointer b)
{
  const Edge *x = a, *y = b;

  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;
  /* Ends before starts: adjacent passages do not overlap. */
  return x->delta - y->delta;
}

static void
apply_overlaps (GlsTextView *self)
{
  g_autoptr(GArray) edges = g_array_sized_new (FALSE, FALSE, sizeof (Edge), self->passages->len * 2);
  gint64 from = 0;
  int depth = 0;

  for (guint i = 0; i < self->passages->len; i++)
    {
      Passage *p = PASSAGE (self, i);
      Edge start = { p->start, 1 }, end = { p->end, -1 };

      g_array_append_val (edges, start);
      g_array_append_val (edges, end);
    }
  g_array_sort (edges, edge_compare);

  for (guint i = 0; i < edges->len; i++)
    {
      Edge *e = &g_array_index (edges, Edge, i);
      int was = depth;

      depth += e->delta;
      if (was < 2 && depth >= 2)
        from = e->at;
      else if (was >= 2 && depth < 2 && e->at > from)
        apply_range (self, self->tag_overlap, from, e->at);
    }
}

static void
apply_selected (GlsTextView *self)
{
  Passage *p = find_passage (self, self->selected);

  remove_everywhere (self, self->tag_selected);
  if (p != NULL)
    apply_range (self, self->tag_selected, p->start, p->end);
  gtk_widget_queue_draw (GTK_WIDGET (self->gutter));
}

static void
clear_pending_tag (GlsTextView *self)
{
  remove_everywhere (self, self->tag_pending);
}

/* Zoom */

static void
apply_zoom (GlsTextView *self)
{
  g_autofree char *css = g_strdup_printf ("textview { font-size: %d%%; }",
                                          (int) round (self->zoom * 100.0));

  gtk_css_provider_load_from_data (self->zoom_css, css, -1);
}

/* Search */

static void
update_search_label (GlsTextView *self)
{
  const char *text = gtk_source_search_settings_get_search_text (self->search_settings);
  int count = gtk_source_search_context_get_occurrences_count (self->search_context);
  g_autofree char *label = NULL;

  if (text == NULL || *text == '\0' || count < 0)
    {
      gtk_label_set_label (self->search_label, "");
      gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
      return;
    }

  if (count == 0)
    {
      gtk_label_set_label (self->search_label, _("No results"));
      gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
  {
    GtkTextIter start, end;
    int position = 0;

    if (gtk_text_buffer_get_selection_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end))
      position = gtk_source_search_context_get_occurrence_position (self->search_context, &start, &end);
    if (position > 0)
      /* Translators: the current search match and the number of matches, "3 of 12" */
      label = g_strdup_printf (_("%d of %d"), position, count);
    else
      label = g_strdup_printf (ngettext ("%d match", "%d matches", count), count);
  }
  gtk_label_set_label (self->search_label, label);
}

static gboolean
find (GlsTextView *self,
      gboolean     forward)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  GtkTextIter start, end, match_start, match_end;
  gboolean wrapped, found;
  const char *text = gtk_source_search_settings_get_search_text (self->search_settings);

  if (text == NULL || *text == '\0')
    return FALSE;

  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  if (forward)
    found = gtk_source_search_context_forward (self->search_context, &end,
                                               &match_start, &match_end, &wrapped);
  else
    found = gtk_source_search_context_backward (self->search_context, &start,
                                                &match_start, &match_end, &wrapped);
  if (!found)
    return FALSE;

  gtk_text_buffer_select_range (buffer, &match_start, &match_end);
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self->source_view),
                                gtk_text_buffer_get_insert (buffer),
                                0.25, FALSE, 0.0, 0.0);
  update_search_label (self);

  return TRUE;
}

static void
search_changed_cb (GlsTextView    *self,
                   GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  GtkTextIter start, end;

  gtk_source_search_settings_set_search_text (self->search_settings, *text ? text : NULL);

  /* Search from where the selection starts, so typing more letters keeps
   * the same match while it still matches. */
  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  gtk_text_buffer_place_cursor (buffer, &start);
  if (!find (self, TRUE))
    update_search_label (self);
}

static void
search_activate_cb (GlsTextView    *self,
                    GtkSearchEntry *entry)
{
  find (self, TRUE);
}

static void
search_next_cb (GlsTextView    *self,
                GtkSearchEntry *entry)
{
  find (self, TRUE);
}

static void
search_previous_cb (GlsTextView    *self,
                    GtkSearchEntry *entry)
{
  find (self, FALSE);
}

static void
search_stop_cb (GlsTextView    *self,
                GtkSearchEntry *entry)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->source_view));
}

static void
search_mode_cb (GlsTextView *self,
                GParamSpec  *pspec,
                GtkSearchBar *bar)
{
  gboolean on = gtk_search_bar_get_search_mode (bar);

  gtk_source_search_context_set_highlight (self->search_context, on);
  if (!on && gtk_widget_has_focus (GTK_WIDGET (self->search_entry)))
    gtk_widget_grab_focus (GTK_WIDGET (self->source_view));
}

static void
occurrences_cb (GlsTextView *self)
{
  update_search_label (self);
}

/* The composer */

static void
update_popover_position (GlsTextView *self)
{
  GtkTextView *tv = GTK_TEXT_VIEW (self->source_view);
  GtkTextIter iter;
  GdkRectangle loc, rect;
  graphene_point_t point;
  int wx, wy;

  if (!self->has_pending)
    return;

  /* Under the end of the selection, where the pointer or the caret is. */
  gtk_text_buffer_get_iter_at_offset (GTK_TEXT_BUFFER (self->buffer), &iter, (int) self->pending_end);
  if (self->pending_end > self->pending_start && gtk_text_iter_starts_line (&iter))
    gtk_text_iter_backward_char (&iter);
  gtk_text_view_get_iter_location (tv, &iter, &loc);
  gtk_text_view_buffer_to_window_coords (tv, GTK_TEXT_WINDOW_WIDGET, loc.x, loc.y, &wx, &wy);
  if (!gtk_widget_compute_point (GTK_WIDGET (tv), GTK_WIDGET (self),
                                 &GRAPHENE_POINT_INIT (wx, wy), &point))
    point = GRAPHENE_POINT_INIT (0, 0);

  rect.x = CLAMP ((int) point.x, 0, MAX (0, gtk_widget_get_width (GTK_WIDGET (self)) - 1));
  rect.y = CLAMP ((int) point.y, 0, MAX (0, gtk_widget_get_height (GTK_WIDGET (self)) - 1));
  rect.width = MAX (1, loc.width);
  rect.height = MAX (1, loc.height);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &rect);
}

static void
popover_submit_cb (GlsTextView       *self,
                   const char        *text,
                   GlsCommentPopover *popover)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  GtkTextIter iter;

  if (!self->has_pending)
    return;

  self->pending_posted = TRUE;
  g_signal_emit (self, signals [self->pending_suggestion ? SUGGESTION_REQUESTED : COMMENT_REQUESTED], 0,
                 &self->pending, text);

  /* The new passage shows once its thread arrives; a selection over it
   * would hide it. */
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, (int) self->pending_end);
  gtk_text_buffer_place_cursor (buffer, &iter);
}

static void
popover_closed_cb (GlsTextView       *self,
                   GlsCommentPopover *popover)
{
  if (!self->pending_posted)
    clear_pending_tag (self);
  self->has_pending = FALSE;
  self->pending_posted = FALSE;
  self->pending_suggestion = FALSE;
  gls_selector_clear (&self->pending);

  gtk_widget_grab_focus (GTK_WIDGET (self->source_view));
}

/* Input */

static gboolean
offset_at_point (GlsTextView *self,
                 double       x,
                 double       y,
                 gint64      *offset)
{
  GtkTextView *tv = GTK_TEXT_VIEW (self->source_view);
  GtkTextIter iter;
  GdkRectangle loc;
  int bx, by, trailing;

  gtk_text_view_window_to_buffer_coords (tv, GTK_TEXT_WINDOW_WIDGET, (int) x, (int) y, &bx, &by);
  if (!gtk_text_view_get_iter_at_position (tv, &iter, &trailing, bx, by))
    return FALSE;
  gtk_text_view_get_iter_location (tv, &iter, &loc);
  if (bx < loc.x || bx > loc.x + loc.width || by < loc.y || by >= loc.y + loc.height)
    return FALSE;

  *offset = gtk_text_iter_get_offset (&iter);
  return TRUE;
}

gboolean
_gls_text_view_click (GlsTextView *self,
                      double       x,
                      double       y)
{
  gint64 offset;
  Passage *p;

  g_return_val_if_fail (GLS_IS_TEXT_VIEW (self), FALSE);

  if (gtk_text_buffer_get_has_selection (GTK_TEXT_BUFFER (self->buffer)) ||
      !offset_at_point (self, x, y, &offset) ||
      (p = passage_for_offset (self, offset)) == NULL)
    return FALSE;

  activate_passage (self, p);
  return TRUE;
}

/* A click (not a drag, not a double click) on a passage activates it. The
 * text view claims every press for its own selection gestures, so this
 * only watches, before them. */
static gboolean
legacy_event_cb (GlsTextView              *self,
                 GdkEvent                 *event,
                 GtkEventControllerLegacy *controller)
{
  GdkEventType type = gdk_event_get_event_type (event);
  GtkWidget *widget = GTK_WIDGET (self->source_view);
  GtkNative *native;
  graphene_point_t point;
  double x, y, nx, ny;

  if ((type != GDK_BUTTON_PRESS && type != GDK_BUTTON_RELEASE) ||
      gdk_button_event_get_button (event) != GDK_BUTTON_PRIMARY ||
      !gdk_event_get_position (event, &x, &y))
    return GDK_EVENT_PROPAGATE;

  native = gtk_widget_get_native (widget);
  gtk_native_get_surface_transform (native, &nx, &ny);
  if (!gtk_widget_compute_point (GTK_WIDGET (native), widget,
                                 &GRAPHENE_POINT_INIT (x - nx, y - ny), &point))
    return GDK_EVENT_PROPAGATE;

  if (type == GDK_BUTTON_PRESS)
    {
      self->pressed = (gdk_event_get_modifier_state (event) & (GDK_SHIFT_MASK | GDK_CONTROL_MASK)) == 0;
      self->press_x = point.x;
      self->press_y = point.y;
    }
  else if (self->pressed)
    {
      self->pressed = FALSE;
      if (fabs (point.x - self->press_x) < 4 && fabs (point.y - self->press_y) < 4)
        _gls_text_view_click (self, point.x, point.y);
    }

  return GDK_EVENT_PROPAGATE;
}

char *
_gls_text_view_dup_tooltip_at (GlsTextView *self,
                               gint64       offset)
{
  g_autoptr(GArray) found = NULL;

  g_return_val_if_fail (GLS_IS_TEXT_VIEW (self), NULL);

  found = passages_at (self, offset);
  if (found->len == 0)
    return NULL;

  return format_tooltip (self, (const guint *) (gpointer) found->data, found->len);
}

static gboolean
query_tooltip_cb (GlsTextView *self,
                  int          x,
                  int          y,
                  gboolean     keyboard_mode,
                  GtkTooltip  *tooltip,
                  GtkWidget   *widget)
{
  g_autofree char *tip = NULL;
  gint64 offset;

  if (keyboard_mode)
    {
      GtkTextIter iter;

      gtk_text_buffer_get_iter_at_mark (GTK_TEXT_BUFFER (self->buffer), &iter,
                                        gtk_text_buffer_get_insert (GTK_TEXT_BUFFER (self->buffer)));
      offset = gtk_text_iter_get_offset (&iter);
    }
  else if (!offset_at_point (self, x, y, &offset))
    return FALSE;

  tip = _gls_text_view_dup_tooltip_at (self, offset);
  if (tip == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, tip);
  return TRUE;
}

static void
update_can_comment (GlsTextView *self)
{
  gboolean can = gls_text_view_get_can_comment (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "text.comment", can);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "text.suggest", can);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CAN_COMMENT]);
}

static void
has_selection_cb (GlsTextView *self)
{
  update_can_comment (self);
}

static void
cursor_moved_cb (GlsTextView *self)
{
  if (gtk_search_bar_get_search_mode (self->search_bar))
    update_search_label (self);
}

/* Actions */

static void
comment_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  gls_text_view_comment (GLS_TEXT_VIEW (widget));
}

static void
suggest_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  gls_text_view_suggest (GLS_TEXT_VIEW (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  gls_text_view_focus_search (GLS_TEXT_VIEW (widget));
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  GlsTextView *self = GLS_TEXT_VIEW (widget);

  find (self, g_str_equal (action_name, "text.find-next"));
}

static void
activate_passage_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  GlsTextView *self = GLS_TEXT_VIEW (widget);
  GtkTextIter iter;
  Passage *p;

  gtk_text_buffer_get_iter_at_mark (GTK_TEXT_BUFFER (self->buffer), &iter,
                                    gtk_text_buffer_get_insert (GTK_TEXT_BUFFER (self->buffer)));
  p = passage_for_offset (self, gtk_text_iter_get_offset (&iter));
  if (p != NULL)
    activate_passage (self, p);
}

/* GObject and GtkWidget */

static void
gls_text_view_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  GlsTextView *self = GLS_TEXT_VIEW (widget);

  gtk_widget_measure (self->box, orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
gls_text_view_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  GlsTextView *self = GLS_TEXT_VIEW (widget);

  gtk_widget_allocate (self->box, width, height, baseline, NULL);

  if (self->popover != NULL && gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    {
      update_popover_position (self);
      gtk_popover_present (GTK_POPOVER (self->popover));
    }
}

static gboolean
gls_text_view_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (GLS_TEXT_VIEW (widget)->source_view));
}

static void
gls_text_view_dispose (GObject *object)
{
  GlsTextView *self = GLS_TEXT_VIEW (object);

  if (self->popover != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->popover));
      self->popover = NULL;
    }

  if (self->gutter != NULL)
    self->gutter->view = NULL;
  self->gutter = NULL;

  g_clear_handle_id (&self->load_source, g_source_remove);
  g_clear_object (&self->search_context);
  g_clear_object (&self->search_settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), GLS_TYPE_TEXT_VIEW);

  g_clear_object (&self->buffer);
  g_clear_object (&self->zoom_css);

  G_OBJECT_CLASS (gls_text_view_parent_class)->dispose (object);
}

static void
gls_text_view_finalize (GObject *object)
{
  GlsTextView *self = GLS_TEXT_VIEW (object);

  g_clear_pointer (&self->index, gls_text_index_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->passages, g_array_unref);
  g_clear_pointer (&self->max_end, g_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->selected, g_free);
  g_clear_pointer (&self->deferred, deferred_free);
  g_clear_pointer (&self->deferred_reveal, g_free);
  gls_selector_clear (&self->pending);

  G_OBJECT_CLASS (gls_text_view_parent_class)->finalize (object);
}

static void
gls_text_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GlsTextView *self = GLS_TEXT_VIEW (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_string (value, self->selected);
      break;

    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;

    case PROP_CAN_COMMENT:
      g_value_set_boolean (value, gls_text_view_get_can_comment (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_text_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GlsTextView *self = GLS_TEXT_VIEW (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      gls_text_view_set_selected (self, g_value_get_string (value));
      break;

    case PROP_ZOOM:
      gls_text_view_set_zoom (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gls_text_view_class_init (GlsTextViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /* Its languages, style schemes and types; it does this once. */
  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);

  object_class->dispose = gls_text_view_dispose;
  object_class->finalize = gls_text_view_finalize;
  object_class->get_property = gls_text_view_get_property;
  object_class->set_property = gls_text_view_set_property;

  widget_class->measure = gls_text_view_measure;
  widget_class->size_allocate = gls_text_view_size_allocate;
  widget_class->grab_focus = gls_text_view_grab_focus;

  properties [PROP_SELECTED] =
    g_param_spec_string ("selected", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         zoom_levels[0], zoom_levels[G_N_ELEMENTS (zoom_levels) - 1], 1.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_CAN_COMMENT] =
    g_param_spec_boolean ("can-comment", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GlsTextView::passage-activated:
   * @id: the passage's thread root id
   */
  signals [PASSAGE_ACTIVATED] =
    g_signal_new ("passage-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * GlsTextView::comment-requested:
   * @selector: the passage, a TEXT selector over the text
   * @text: what the user wrote
   */
  signals [COMMENT_REQUESTED] =
    g_signal_new ("comment-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  GLS_TYPE_SELECTOR | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * GlsTextView::suggestion-requested:
   * @selector: the passage, a TEXT selector over the text
   * @replacement: what the passage should say instead ("" deletes it)
   */
  signals [SUGGESTION_REQUESTED] =
    g_signal_new ("suggestion-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  GLS_TYPE_SELECTOR | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/gls-text-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GlsTextView, box);
  gtk_widget_class_bind_template_child (widget_class, GlsTextView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, GlsTextView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, GlsTextView, search_label);
  gtk_widget_class_bind_template_child (widget_class, GlsTextView, scroller);
  gtk_widget_class_bind_template_child (widget_class, GlsTextView, source_view);

  gtk_widget_class_install_action (widget_class, "text.comment", NULL, comment_action);
  gtk_widget_class_install_action (widget_class, "text.suggest", NULL, suggest_action);
  gtk_widget_class_install_action (widget_class, "text.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "text.find-next", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "text.find-previous", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "text.activate-passage", NULL, activate_passage_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, 0, "text.comment", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, 0, "text.suggest", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "text.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "text.find-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "text.find-previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_G, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "text.find-previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "text.activate-passage", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "text.activate-passage", NULL);

  gtk_widget_class_set_css_name (widget_class, "glstextview");
}

static void
gls_text_view_init (GlsTextView *self)
{
  GtkTextBuffer *buffer;
  GtkSourceGutter *gutter;
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->zoom = 1.0;
  self->passages = g_array_new (FALSE, TRUE, sizeof (Passage));
  g_array_set_clear_func (self->passages, passage_clear);
  self->max_end = g_array_new (FALSE, TRUE, sizeof (gint64));
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);

  self->buffer = GTK_SOURCE_BUFFER (g_object_ref (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view))));
  buffer = GTK_TEXT_BUFFER (self->buffer);
  gtk_text_buffer_set_enable_undo (buffer, FALSE);
  gtk_source_buffer_set_highlight_matching_brackets (self->buffer, FALSE);

  /* Created in order of priority, below the search's matches. */
  self->tag_resolved = gtk_text_buffer_create_tag (buffer, "gls-passage-resolved", NULL);
  self->tag_a = gtk_text_buffer_create_tag (buffer, "gls-passage-a", NULL);
  self->tag_b = gtk_text_buffer_create_tag (buffer, "gls-passage-b", NULL);
  self->tag_suggestion = gtk_text_buffer_create_tag (buffer, "gls-passage-suggestion", NULL);
  self->tag_overlap = gtk_text_buffer_create_tag (buffer, "gls-passage-overlap", NULL);
  self->tag_pending = gtk_text_buffer_create_tag (buffer, "gls-passage-pending", NULL);
  self->tag_selected = gtk_text_buffer_create_tag (buffer, "gls-passage-selected", NULL);

  self->search_settings = gtk_source_search_settings_new ();
  gtk_source_search_settings_set_wrap_around (self->search_settings, TRUE);
  self->search_context = gtk_source_search_context_new (self->buffer, self->search_settings);
  gtk_source_search_context_set_highlight (self->search_context, FALSE);
  g_signal_connect_object (self->search_context, "notify::occurrences-count",
                           G_CALLBACK (occurrences_cb), self, G_CONNECT_SWAPPED);

  update_tag_colors (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_tag_colors), self, G_CONNECT_SWAPPED);

  self->zoom_css = gtk_css_provider_new ();
  gtk_style_context_add_provider (gtk_widget_get_style_context (GTK_WIDGET (self->source_view)),
                                  GTK_STYLE_PROVIDER (self->zoom_css),
                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  apply_zoom (self);

  self->gutter = g_object_new (GLS_TYPE_TEXT_GUTTER, NULL);
  self->gutter->view = self;
  gtk_widget_set_visible (GTK_WIDGET (self->gutter), FALSE);
  gutter = gtk_source_view_get_gutter (self->source_view, GTK_TEXT_WINDOW_LEFT);
  gtk_source_gutter_insert (gutter, GTK_SOURCE_GUTTER_RENDERER (self->gutter), -40);

  g_signal_connect_object (buffer, "notify::has-selection",
                           G_CALLBACK (has_selection_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (buffer, "cursor-moved",
                           G_CALLBACK (cursor_moved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->source_view, "query-tooltip",
                           G_CALLBACK (query_tooltip_cb), self, G_CONNECT_SWAPPED);

  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "event", G_CALLBACK (legacy_event_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->source_view), controller);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (search_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "activate",
                           G_CALLBACK (search_activate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "next-match",
                           G_CALLBACK (search_next_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "previous-match",
                           G_CALLBACK (search_previous_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "stop-search",
                           G_CALLBACK (search_stop_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_bar, "notify::search-mode-enabled",
                           G_CALLBACK (search_mode_cb), self, G_CONNECT_SWAPPED);
  {
    GtkEventController *keys = gtk_shortcut_controller_new ();

    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_SHIFT_MASK),
                                                            gtk_named_action_new ("text.find-previous")));
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_SHIFT_MASK),
                                                            gtk_named_action_new ("text.find-previous")));
    gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);
  }

  self->popover = GLS_COMMENT_POPOVER (gls_comment_popover_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->popover), GTK_WIDGET (self));
  g_signal_connect_object (self->popover, "submit", G_CALLBACK (popover_submit_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->popover, "closed", G_CALLBACK (popover_closed_cb), self, G_CONNECT_SWAPPED);

  update_can_comment (self);
}

/* Public API */

GtkWidget *
gls_text_view_new (void)
{
  return g_object_new (GLS_TYPE_TEXT_VIEW, NULL);
}

static void
deferred_free (GArray *deferred)
{
  for (guint i = 0; i < deferred->len; i++)
    {
      GlsTextPassage *p = &g_array_index (deferred, GlsTextPassage, i);

      g_free ((char *) p->id);
      g_free ((char *) p->preview);
    }
  g_array_unref (deferred);
}

static void
clear_passages (GlsTextView *self)
{
  remove_everywhere (self, self->tag_resolved);
  remove_everywhere (self, self->tag_a);
  remove_everywhere (self, self->tag_b);
  remove_everywhere (self, self->tag_suggestion);
  remove_everywhere (self, self->tag_overlap);
  remove_everywhere (self, self->tag_selected);
  clear_pending_tag (self);
  g_hash_table_remove_all (self->by_id);
  g_array_set_size (self->passages, 0);
  g_array_set_size (self->max_end, 0);
  self->max_per_line = 0;
  self->max_number = 0;
}

static GtkSourceLanguage *
language_for (const char *media_type)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  const char *id = NULL;

  if (media_type == NULL)
    return NULL;

  if (g_str_equal (media_type, "text/markdown") || g_str_equal (media_type, "text/x-markdown"))
    id = "markdown";
  else if (g_str_equal (media_type, "text/x-gettext-translation") ||
           g_str_equal (media_type, "text/x-gettext-translation-template") ||
           g_str_equal (media_type, "text/x-po") ||
           g_str_equal (media_type, "application/x-gettext"))
    id = "gettext-translation";
  else if (g_str_equal (media_type, "text/plain"))
    return NULL;

  if (id != NULL)
    return gtk_source_language_manager_get_language (languages, id);

  return gtk_source_language_manager_guess_language (languages, NULL, media_type);
}

/* Where the next piece of the text ends: about `size` bytes on, at a
 * line's end if there is one near, at a character's start anyway. */
static gsize
piece_end (const char *text,
           gsize       from,
           gsize       length,
           gsize       size)
{
  const char *cut, *line;

  if (length - from <= size)
    return length;
  cut = text + from + size;
  while (cut > text + from && ((guchar) *cut & 0xC0) == 0x80)
    cut--;
  line = g_strrstr_len (text + from, cut - (text + from), "\n");
  return line != NULL ? (gsize) (line + 1 - text) : (gsize) (cut - text);
}

static void
load_finished (GlsTextView *self)
{
  g_autoptr(GArray) deferred = g_steal_pointer (&self->deferred);
  g_autofree char *reveal = g_steal_pointer (&self->deferred_reveal);

  if (deferred != NULL)
    gls_text_view_set_passages (self, (const GlsTextPassage *) (gpointer) deferred->data, deferred->len);
  if (reveal != NULL)
    gls_text_view_reveal (self, reveal);
}

static gboolean
load_more_cb (gpointer data)
{
  GlsTextView *self = data;
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  gsize length = strlen (self->text);
  gsize end = piece_end (self->text, self->loaded, length, LOAD_PIECE);
  GtkTextIter iter;

  gtk_text_buffer_get_end_iter (buffer, &iter);
  gtk_text_buffer_insert (buffer, &iter, self->text + self->loaded, end - self->loaded);
  self->loaded = end;
  if (end < length)
    return G_SOURCE_CONTINUE;

  self->load_source = 0;
  load_finished (self);
  return G_SOURCE_REMOVE;
}

void
gls_text_view_prepare (GlsTextView *self,
                       const char  *media_type)
{
  GtkTextBuffer *buffer;

  g_return_if_fail (GLS_IS_TEXT_VIEW (self));

  /* Changing the language of a long text shown would highlight it all
   * again, now: only a short (or no) text takes it early. */
  buffer = GTK_TEXT_BUFFER (self->buffer);
  if (self->load_source != 0 || gtk_text_buffer_get_char_count (buffer) > LOAD_FIRST)
    return;
  gtk_source_buffer_set_language (self->buffer, language_for (media_type));
}

void
gls_text_view_set_text (GlsTextView *self,
                        const char  *text,
                        const char  *media_type)
{
  GtkTextBuffer *buffer;
  GtkTextIter start;
  gsize length;

  g_return_if_fail (GLS_IS_TEXT_VIEW (self));

  buffer = GTK_TEXT_BUFFER (self->buffer);

  if (self->popover != NULL && gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    gtk_popover_popdown (GTK_POPOVER (self->popover));

  g_clear_handle_id (&self->load_source, g_source_remove);
  g_clear_pointer (&self->deferred, deferred_free);
  g_clear_pointer (&self->deferred_reveal, g_free);
  clear_passages (self);
  g_clear_pointer (&self->index, gls_text_index_free);
  g_free (self->text);
  self->text = g_strdup (text);
  length = text != NULL ? strlen (text) : 0;
  self->loaded = text != NULL ? piece_end (text, 0, length, LOAD_FIRST) : 0;

  /* The view keeps its place by a mark that replacing the whole text
   * moves to the end: it lets go of the buffer meanwhile, and starts
   * again at the top. */
  {
    g_autoptr(GtkSourceBuffer) empty = gtk_source_buffer_new (NULL);

    gtk_text_view_set_buffer (GTK_TEXT_VIEW (self->source_view), GTK_TEXT_BUFFER (empty));
    gtk_source_buffer_set_language (self->buffer, language_for (text ? media_type : NULL));
    gtk_source_buffer_set_highlight_syntax (self->buffer, TRUE);
    gtk_text_buffer_set_text (buffer, text != NULL ? text : "", self->loaded);
    gtk_text_buffer_get_start_iter (buffer, &start);
    gtk_text_buffer_place_cursor (buffer, &start);
    gtk_text_view_set_buffer (GTK_TEXT_VIEW (self->source_view), buffer);
  }
  if (self->loaded < length)
    self->load_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, load_more_cb, self, NULL);

  gutter_changed (self);
  update_can_comment (self);
}

const char *
gls_text_view_get_text (GlsTextView *self)
{
  g_return_val_if_fail (GLS_IS_TEXT_VIEW (self), NULL);

  return self->text;
}

static int
passage_compare (gconstpointer a,
                 gconstpointer b)
{
  const Passage *x = a, *y = b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->end != y->end)
    return x->end < y->end ? -1 : 1;
  return x->number < y->number ? -1 : x->number > y->number;
}

void
gls_text_view_set_passages (GlsTextView          *self,
                            const GlsTextPassage *passages,
                            guint                 n_passages)
{
  GtkTextBuffer *buffer;
  gint64 length;
  gint64 max_end = 0;
  guint line_count = 0, unresolved = 0;
  guint previous_line = G_MAXUINT;

  g_return_if_fail (GLS_IS_TEXT_VIEW (self));
  g_return_if_fail (passages != NULL || n_passages == 0);

  /* The text is still going in: these wait for the whole of it. */
  if (self->load_source != 0)
    {
      g_clear_pointer (&self->deferred, deferred_free);
      self->deferred = g_array_sized_new (FALSE, TRUE, sizeof (GlsTextPassage), n_passages);
      for (guint i = 0; i < n_passages; i++)
        {
          GlsTextPassage copy = passages[i];

          copy.id = g_strdup (passages[i].id);
          copy.preview = g_strdup (passages[i].preview);
          g_array_append_val (self->deferred, copy);
        }
      return;
    }

  buffer = GTK_TEXT_BUFFER (self->buffer);
  length = gtk_text_buffer_get_char_count (buffer);

  clear_passages (self);

  for (guint i = 0; i < n_passages; i++)
    {
      const GlsTextPassage *in = &passages[i];
      Passage p = { 0 };

      p.start = CLAMP (in->start, 0, length);
      p.end = CLAMP (in->end, 0, length);
      if (in->id == NULL || p.start >= p.end)
        continue;
      p.id = g_strdup (in->id);
      p.preview = g_strdup (in->preview);
      p.number = in->number;
      p.resolved = in->resolved;
      p.suggestion = in->suggestion;
      g_array_append_val (self->passages, p);
    }
  g_array_sort (self->passages, passage_compare);

  g_array_set_size (self->max_end, self->passages->len);
  for (guint i = 0; i < self->passages->len; i++)
    {
      Passage *p = PASSAGE (self, i);
      GtkTextIter iter;

      gtk_text_buffer_get_iter_at_offset (buffer, &iter, (int) p->start);
      p->line = gtk_text_iter_get_line (&iter);
      if (p->line != previous_line)
        line_count = 0;
      previous_line = p->line;
      self->max_per_line = MAX (self->max_per_line, ++line_count);
      self->max_number = MAX (self->max_number, p->number);

      max_end = MAX (max_end, p->end);
      g_array_index (self->max_end, gint64, i) = max_end;
      /* A repeated id keeps its first passage. */
      if (!g_hash_table_contains (self->by_id, p->id))
        g_hash_table_insert (self->by_id, p->id, GUINT_TO_POINTER (i + 1));

      if (p->resolved)
        apply_range (self, self->tag_resolved, p->start, p->end);
      else if (p->suggestion)
        apply_range (self, self->tag_suggestion, p->start, p->end);
      else
        apply_range (self, (unresolved++ % 2) == 0 ? self->tag_a : self->tag_b, p->start, p->end);
    }

  apply_overlaps (self);
  apply_selected (self);
  gutter_changed (self);
}

guint
gls_text_view_get_n_passages (GlsTextView *self)
{
  g_return_val_if_fail (GLS_IS_TEXT_VIEW (self), 0);

  return self->passages->len;
}

const char *
gls_text_view_get_selected (GlsTextView *self)
{
  g_return_val_if_fail (GLS_IS_TEXT_VIEW (self), NULL);

  return self->selected;
}

void
gls_text_view_set_selected (GlsTextView *self,
                            const char  *id)
{
  g_return_if_fail (GLS_IS_TEXT_VIEW (self));

  if (g_strcmp0 (self->selected, id) == 0)
    return;

  g_free (self->selected);
  self->selected = g_strdup (id);
  apply_selected (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SELECTED]);
}

void
gls_text_view_reveal (GlsTextView *self,
                      const char  *id)
{
  GtkTextView *tv;
  GtkTextBuffer *buffer;
  GtkTextIter start, last;
  GtkTextMark *mark;
  Passage *p;
  double yalign = 0.3;

  g_return_if_fail (GLS_IS_TEXT_VIEW (self));

  if (self->load_source != 0)
    {
      g_free (self->deferred_reveal);
      self->deferred_reveal = g_strdup (id);
      return;
    }
  if ((p = find_passage (self, id)) == NULL)
    return;

  tv = GTK_TEXT_VIEW (self->source_view);
  buffer = GTK_TEXT_BUFFER (self->buffer);
  gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) p->start);
  gtk_text_buffer_get_iter_at_offset (buffer, &last, (int) p->end - 1);

  if (gtk_widget_get_mapped (GTK_WIDGET (tv)) && gtk_widget_get_height (GTK_WIDGET (tv)) > 0)
    {
      GdkRectangle visible, a, b;

      gtk_text_view_get_visible_rect (tv, &visible);
      gtk_text_view_get_iter_location (tv, &start, &a);
      gtk_text_view_get_iter_location (tv, &last, &b);
      if (a.y >= visible.y && b.y + b.height <= visible.y + visible.height)
        return;
      /* A passage taller than most of the view shows from its start. */
      if (b.y + b.height - a.y > visible.height * 0.6)
        yalign = 0.05;
    }

  mark = gtk_text_buffer_get_mark (buffer, "gls-reveal");
  if (mark == NULL)
    mark = gtk_text_buffer_create_mark (buffer, "gls-reveal", &start, TRUE);
  else
    gtk_text_buffer_move_mark (buffer, mark, &start);
  gtk_text_view_scroll_to_mark (tv, mark, 0.0, TRUE, 0.0, yalign);
}

gboolean
gls_text_view_get_can_comment (GlsTextView *self)
{
  g_return_val_if_fail (GLS_IS_TEXT_VIEW (self), FALSE);

  return self->text != NULL && gtk_text_buffer_get_has_selection (GTK_TEXT_BUFFER (self->buffer));
}

/* The composer, on the selection: for a comment, or (@suggestion) for a
 * suggestion that starts as a copy of the passage. */
static gboolean
open_composer (GlsTextView *self,
               gboolean     suggestion)
{
  GtkTextIter start, end;

  if (self->text == NULL ||
      !gtk_text_buffer_get_selection_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end))
    return FALSE;

  if (self->index == NULL)
    self->index = gls_text_index_new (self->text, -1);

  gls_selector_clear (&self->pending);
  if (!gls_text_select_range (self->index, gtk_text_iter_get_offset (&start),
                              gtk_text_iter_get_offset (&end), &self->pending))
    return FALSE;

  self->has_pending = TRUE;
  self->pending_posted = FALSE;
  self->pending_suggestion = suggestion;
  self->pending_start = gtk_text_iter_get_offset (&start);
  self->pending_end = gtk_text_iter_get_offset (&end);
  clear_pending_tag (self);
  apply_range (self, self->tag_pending, self->pending_start, self->pending_end);

  gls_comment_popover_set_suggestion (self->popover, suggestion ? self->pending.exact : NULL);
  update_popover_position (self);
  gtk_popover_popup (GTK_POPOVER (self->popover));

  return TRUE;
}

gboolean
gls_text_view_comment (GlsTextView *self)
{
  g_return_val_if_fail (GLS_IS_TEXT_VIEW (self), FALSE);

  return open_composer (self, FALSE);
}

gboolean
gls_text_view_suggest (GlsTextView *self)
{
  g_return_val_if_fail (GLS_IS_TEXT_VIEW (self), FALSE);

  return open_composer (self, TRUE);
}

double
gls_text_view_get_zoom (GlsTextView *self)
{
  g_return_val_if_fail (GLS_IS_TEXT_VIEW (self), 1.0);

  return self->zoom;
}

void
gls_text_view_set_zoom (GlsTextView *self,
                        double       zoom)
{
  g_return_if_fail (GLS_IS_TEXT_VIEW (self));

  zoom = CLAMP (zoom, zoom_levels[0], zoom_levels[G_N_ELEMENTS (zoom_levels) - 1]);
  if (G_APPROX_VALUE (self->zoom, zoom, 1e-6))
    return;

  self->zoom = zoom;
  apply_zoom (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ZOOM]);
}

void
gls_text_view_zoom_in (GlsTextView *self)
{
  g_return_if_fail (GLS_IS_TEXT_VIEW (self));

  for (guint i = 0; i < G_N_ELEMENTS (zoom_levels); i++)
    if (zoom_levels[i] > self->zoom + 1e-3)
      {
        gls_text_view_set_zoom (self, zoom_levels[i]);
        return;
      }
}

void
gls_text_view_zoom_out (GlsTextView *self)
{
  g_return_if_fail (GLS_IS_TEXT_VIEW (self));

  for (guint i = G_N_ELEMENTS (zoom_levels); i > 0; i--)
    if (zoom_levels[i - 1] < self->zoom - 1e-3)
      {
        gls_text_view_set_zoom (self, zoom_levels[i - 1]);
        return;
      }
}

void
gls_text_view_zoom_reset (GlsTextView *self)
{
  g_return_if_fail (GLS_IS_TEXT_VIEW (self));

  gls_text_view_set_zoom (self, 1.0);
}

void
gls_text_view_focus_search (GlsTextView *self)
{
  GtkTextIter start, end;

  g_return_if_fail (GLS_IS_TEXT_VIEW (self));

  /* A short selection on one line is what to look for. */
  if (gtk_text_buffer_get_selection_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end) &&
      gtk_text_iter_get_line (&start) == gtk_text_iter_get_line (&end) &&
      gtk_text_iter_get_offset (&end) - gtk_text_iter_get_offset (&start) < 200)
    {
      g_autofree char *selection = gtk_text_iter_get_visible_text (&start, &end);

      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), selection);
    }

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

/* For the tests */

GtkSourceView *
_gls_text_view_get_source_view (GlsTextView *self)
{
  return self->source_view;
}

GlsCommentPopover *
_gls_text_view_get_comment_popover (GlsTextView *self)
{
  return self->popover;
}

GtkSearchEntry *
_gls_text_view_get_search_entry (GlsTextView *self)
{
  return self->search_entry;
}

GtkSearchBar *
_gls_text_view_get_search_bar (GlsTextView *self)
{
  return self->search_bar;
}

GStrv
_gls_text_view_dup_ids_at (GlsTextView *self,
                           gint64       offset)
{
  g_autoptr(GArray) found = passages_at (self, offset);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < found->len; i++)
    g_strv_builder_add (builder, PASSAGE (self, g_array_index (found, guint, i))->id);

  return g_strv_builder_end (builder);
}

char *
_gls_text_view_dup_margin_label (GlsTextView *self,
                                 guint        line)
{
  g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = first_on_line (self, line);
       i < self->passages->len && PASSAGE (self, i)->line == line; i++)
    g_array_append_val (numbers, PASSAGE (self, i)->number);

  return format_margin_label ((const guint *) (gpointer) numbers->data, numbers->len);
}
