/* test-sync-convergence.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Convergence (issue 3, point 8): several peers, each a workspace with its
 * own identity served by its own GlsPeerServer, make random comments,
 * replies, edits, resolves, deletes and designs, and sync in random pairs,
 * some syncs cut off half-way. After a full mesh every peer holds the same
 * documents and revisions and shows the same threads.
 *
 * The run follows a seeded GRand: the seed is printed, and
 * GLOSSA_TEST_SEED=N runs the same actions and syncs again (ids are new
 * uuids each run, and the cuts after a random delay land where the timing
 * puts them). */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "gls-peer-server.h"
#include "gls-replicator.h"
#include "gls-store.h"
#include "gls-workspace.h"
#include "test-util.h"

#define N_PEERS  4
#define N_ROUNDS 25

typedef struct
{
  guint          index;
  char          *data_dir;
  GlsWorkspace  *workspace;
  GlsPeerServer *server;
  char          *url;          /* http://peer:KEY@127.0.0.1:PORT/default */
  const char    *did;
  GHashTable    *models;       /* design source -> its threads model, kept live */
} Peer;

typedef struct
{
  char   *dir;
  GRand  *rand;
  Peer    peers[N_PEERS];
  guint   n_designs;
  guint   actions;
  guint   refused;             /* actions the workspace said no to */
  guint   not_allowed;         /* edits and deletes of others' words, refused */
  guint   in_place;            /* documents changed in the store, not through actions */
  guint   syncs;
  guint   cut;                 /* syncs cancelled half-way */
} World;

/* --- helpers --- */

static guint32
crc32_update (guint32       crc,
              const guint8 *data,
              gsize         len)
{
  crc = ~crc;
  for (gsize i = 0; i < len; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
  return ~crc;
}

static void
put_be32 (GByteArray *out,
          guint32     v)
{
  guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };

  g_byte_array_append (out, b, 4);
}

static void
png_chunk (GByteArray   *out,
           const char   *type,
           const guint8 *data,
           gsize         len)
{
  guint32 crc;

  put_be32 (out, len);
  g_byte_array_append (out, (const guint8 *) type, 4);
  if (len > 0)
    g_byte_array_append (out, data, len);
  crc = crc32_update (0, (const guint8 *) type, 4);
  crc = crc32_update (crc, data, len);
  put_be32 (out, crc);
}

/* A small valid PNG (8-bit RGB, stored deflate): a colour field with a
 * square whose place and colours come from `rand`. */
static GBytes *
make_png (GRand *rand)
{
  const guint w = 16, h = 12;
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  g_autoptr(GByteArray) z = g_byte_array_new ();
  GByteArray *out = g_byte_array_new ();
  static const guint8 signature[] = { 137, 80, 78, 71, 13, 10, 26, 10 };
  guint8 ihdr[13] = { 0, 0, 0, w, 0, 0, 0, h, 8, 2, 0, 0, 0 };
  guint8 bg[3], fg[3];
  guint sx = g_rand_int_range (rand, 0, w - 4), sy = g_rand_int_range (rand, 0, h - 4);
  guint32 a = 1, b = 0;
  guint8 header[5];

  for (int i = 0; i < 3; i++)
    {
      bg[i] = g_rand_int_range (rand, 0, 256);
      fg[i] = g_rand_int_range (rand, 0, 256);
    }
  for (guint y = 0; y < h; y++)
    {
      g_byte_array_append (raw, (const guint8 *) "\0", 1);
      for (guint x = 0; x < w; x++)
        {
          gboolean in = x >= sx && x < sx + 4 && y >= sy && y < sy + 4;

          g_byte_array_append (raw, in ? fg : bg, 3);
        }
    }
  /* zlib: header, one stored block, Adler-32. */
  g_byte_array_append (z, (const guint8 *) "\x78\x01", 2);
  header[0] = 1;
  header[1] = raw->len & 0xff;
  header[2] = raw->len >> 8;
  header[3] = ~raw->len & 0xff;
  header[4] = (~raw->len >> 8) & 0xff;
  g_byte_array_append (z, header, 5);
  g_byte_array_append (z, raw->data, raw->len);
  for (guint i = 0; i < raw->len; i++)
    {
      a = (a + raw->data[i]) % 65521;
      b = (b + a) % 65521;
    }
  put_be32 (z, (b << 16) | a);

  g_byte_array_append (out, signature, sizeof signature);
  png_chunk (out, "IHDR", ihdr, sizeof ihdr);
  png_chunk (out, "IDAT", z->data, z->len);
  png_chunk (out, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (out);
}

static GBytes *
make_svg (GRand *rand,
          guint  n)
{
  char *svg = g_strdup_printf ("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"200\">\n"
                               "  <title>Design %u</title>\n"
                               "  <rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#%06x\"/>\n"
                               "  <circle cx=\"%d\" cy=\"%d\" r=\"%d\" fill=\"#%06x\"/>\n"
                               "</svg>\n", n,
                               g_rand_int_range (rand, 0, 200), g_rand_int_range (rand, 0, 120),
                               g_rand_int_range (rand, 10, 100), g_rand_int_range (rand, 10, 60),
                               g_rand_int (rand) & 0xffffff,
                               g_rand_int_range (rand, 20, 300), g_rand_int_range (rand, 20, 180),
                               g_rand_int_range (rand, 5, 20), g_rand_int (rand) & 0xffffff);

  return g_bytes_new_take (svg, strlen (svg));
}

/* --- actions --- */

static gboolean
refused (World  *w,
         GError *error)
{
  /* The workspace may say no (e.g. replying to a comment deleted a
   * moment ago); anything else is a failure of the test. */
  if (error == NULL)
    return FALSE;
  if (error->domain != GLS_WORKSPACE_ERROR)
    g_error ("unexpected error: %s", error->message);
  w->refused++;
  return TRUE;
}

static void
act_new_design (World *w,
                Peer  *p)
{
  g_autoptr(GError) error = NULL;
  gboolean png = g_rand_boolean (w->rand);
  guint n = ++w->n_designs;
  g_autoptr(GBytes) bytes = png ? make_png (w->rand) : make_svg (w->rand, n);
  g_autofree char *name = g_strdup_printf ("design-%u.%s", n, png ? "png" : "svg");
  g_autofree char *path = g_build_filename (w->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GlsDesign) design = NULL;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
  design = gls_workspace_add_design (p->workspace, file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (design);
  g_remove (path);
}

static GlsDesign *
pick_design (World *w,
             Peer  *p)
{
  GListModel *designs = gls_workspace_get_designs (p->workspace);
  guint n = g_list_model_get_n_items (designs);

  if (n == 0)
    return NULL;
  return g_list_model_get_item (designs, g_rand_int_range (w->rand, 0, n));
}

static int
cmp_annotations (gconstpointer a,
                 gconstpointer b)
{
  return gls_annotation_compare (*(GlsAnnotation **) a, *(GlsAnnotation **) b);
}

/* A live annotation of the peer with one of the motivations (bit mask of
 * 1 << GlsMotivation), written by the peer itself if `own`, by another
 * peer if `foreign`. */
static GlsAnnotation *
pick_annotation_full (World    *w,
                      Peer     *p,
                      guint     motivations,
                      gboolean  own,
                      gboolean  foreign)
{
  g_autoptr(GPtrArray) all = gls_workspace_list_annotations (p->workspace);
  g_autoptr(GPtrArray) fit = g_ptr_array_new ();

  /* list_annotations comes from a hash table: sort for a stable pick. */
  g_ptr_array_sort (all, cmp_annotations);
  for (guint i = 0; i < all->len; i++)
    {
      GlsAnnotation *a = g_ptr_array_index (all, i);

      if (!(motivations & (1u << gls_annotation_get_motivation (a))))
        continue;
      if (own && g_strcmp0 (gls_annotation_get_creator_id (a), p->did) != 0)
        continue;
      if (foreign && g_strcmp0 (gls_annotation_get_creator_id (a), p->did) == 0)
        continue;
      g_ptr_array_add (fit, a);
    }
  if (fit->len == 0)
    return NULL;
  return g_object_ref (g_ptr_array_index (fit, g_rand_int_range (w->rand, 0, fit->len)));
}

static GlsAnnotation *
pick_annotation (World    *w,
                 Peer     *p,
                 guint     motivations,
                 gboolean  own)
{
  return pick_annotation_full (w, p, motivations, own, FALSE);
}

#define COMMENTS ((1u << GLS_MOTIVATION_COMMENTING) | (1u << GLS_MOTIVATION_REPLYING))
#define ROOTS    (1u << GLS_MOTIVATION_COMMENTING)

static void
change_in_place (World      *w,
                 Peer       *p,
                 const char *id,
                 const char *text)
{
  g_autoptr(GError) error = NULL;
  GlsStore *store = gls_workspace_get_store (p->workspace);
  g_autoptr(JsonObject) doc = gls_store_get (store, id, NULL, GLS_STORE_GET_NONE, &error);
  JsonObject *body;
  g_autofree char *rev = NULL;

  g_assert_no_error (error);
  body = json_object_get_object_member (doc, "body");
  g_assert_nonnull (body);
  json_object_set_string_member (body, "value", text);
  rev = gls_store_put (store, doc, &error);
  g_assert_no_error (error);
  w->in_place++;
}

static void
act (World *w,
     Peer  *p)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsAnnotation) target = NULL;
  g_autoptr(GlsAnnotation) made = NULL;
  g_autoptr(GlsDesign) design = NULL;
  g_autofree char *text = g_strdup_printf ("Words %u from peer %u", w->actions, p->index);
  guint roll = g_rand_int_range (w->rand, 0, 100);

  w->actions++;
  if (roll < 8 || (design = pick_design (w, p)) == NULL)
    {
      act_new_design (w, p);
      return;
    }
  if (roll < 40)
    {
      GlsSelector selector = { GLS_SELECTOR_POINT, 0, g_rand_int_range (w->rand, 0, 300),
                               g_rand_int_range (w->rand, 0, 180), 0, 0 };

      if (g_rand_boolean (w->rand))
        {
          selector.kind = GLS_SELECTOR_RECT;
          selector.width = g_rand_int_range (w->rand, 1, 40);
          selector.height = g_rand_int_range (w->rand, 1, 40);
        }
      made = gls_workspace_comment (p->workspace, gls_design_get_id (design), &selector, text, &error);
    }
  else if (roll < 65)
    {
      if ((target = pick_annotation (w, p, COMMENTS, FALSE)))
        made = gls_workspace_reply (p->workspace, gls_annotation_get_id (target), text, &error);
    }
  else if (roll < 78)
    {
      if ((target = pick_annotation (w, p, COMMENTS, TRUE)))
        {
          g_autofree char *edited = g_strconcat (text, " (edited)", NULL);

          made = gls_workspace_edit (p->workspace, gls_annotation_get_id (target), edited, &error);
        }
    }
  else if (roll < 92)
    {
      if ((target = pick_annotation (w, p, ROOTS, FALSE)))
        made = gls_workspace_set_resolved (p->workspace, gls_annotation_get_id (target),
                                           g_rand_boolean (w->rand), &error);
    }
  else if (roll < 94)
    {
      /* What another replica (PouchDB, a script) may do: change a stored
       * comment in place. Two peers doing it to the same one make a
       * conflict, which every peer must resolve to the same winner. */
      if ((target = pick_annotation (w, p, COMMENTS, FALSE)))
        change_in_place (w, p, gls_annotation_get_id (target), text);
    }
  else if (roll < 97)
    {
      if ((target = pick_annotation (w, p, COMMENTS, TRUE)))
        {
          gboolean ok = gls_workspace_delete (p->workspace, gls_annotation_get_id (target), &error);

          g_assert_true (ok || error != NULL);
        }
    }
  else
    {
      /* Someone else's words: the workspace refuses to edit or delete them. */
      if ((target = pick_annotation_full (w, p, COMMENTS, FALSE, TRUE)))
        {
          if (g_rand_boolean (w->rand))
            g_assert_null (gls_workspace_edit (p->workspace, gls_annotation_get_id (target), text, &error));
          else
            g_assert_false (gls_workspace_delete (p->workspace, gls_annotation_get_id (target), &error));
          g_assert_error (error, GLS_WORKSPACE_ERROR, GLS_WORKSPACE_ERROR_NOT_ALLOWED);
          g_clear_error (&error);
          w->not_allowed++;
        }
    }
  refused (w, error);
}

/* --- sync --- */

typedef struct
{
  GCancellable *cancellable;
  guint         countdown;   /* notifies to let through before cancelling */
  guint         delay;       /* or a timeout that cancels */
} Cut;

static void
cut_cb (GObject    *object,
        GParamSpec *pspec,
        gpointer    data)
{
  Cut *cut = data;

  if (cut->countdown == 0)
    g_cancellable_cancel (cut->cancellable);
  else
    cut->countdown--;
}

static gboolean
cut_later_cb (gpointer data)
{
  Cut *cut = data;

  cut->delay = 0;
  g_cancellable_cancel (cut->cancellable);
  return G_SOURCE_REMOVE;
}

/* `a` pulls from or pushes to `b`; with `cut`, small batches and a cancel
 * after a few batches were read or written. Returns docs written. */
static gint64
sync_pair (World    *w,
           Peer     *a,
           Peer     *b,
           gboolean  pull,
           gboolean  cut)
{
  g_autoptr(GlsReplicator) repl = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Cut cut_data = { cancellable, 0, 0 };
  g_autoptr(GError) error = NULL;
  gboolean ok;

  repl = gls_replicator_new (gls_workspace_get_store (a->workspace), b->url,
                             pull ? GLS_REPLICATOR_DIRECTION_PULL : GLS_REPLICATOR_DIRECTION_PUSH);
  gls_replicator_set_max_retries (repl, 0);
  if (cut)
    {
      guint how = g_rand_int_range (w->rand, 0, 3);

      /* Cut between batches (docs-written), in the middle of one after its
       * documents were read and before they are written (docs-read), or
       * after a random delay, wherever the run is then. */
      gls_replicator_set_batch_size (repl, g_rand_int_range (w->rand, 1, 6));
      cut_data.countdown = g_rand_int_range (w->rand, 0, 3);
      if (how < 2)
        g_signal_connect (repl, how == 0 ? "notify::docs-written" : "notify::docs-read",
                          G_CALLBACK (cut_cb), &cut_data);
      else
        cut_data.delay = g_timeout_add (g_rand_int_range (w->rand, 0, 15), cut_later_cb, &cut_data);
    }
  else
    gls_replicator_set_batch_size (repl, g_rand_int_range (w->rand, 5, 200));

  ok = test_replicator_run (repl, cancellable, &error);
  g_clear_handle_id (&cut_data.delay, g_source_remove);
  w->syncs++;
  if (!ok)
    {
      /* Only a cut may stop a sync. */
      if (!cut || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_error ("sync %u → %u (%s) failed: %s", a->index, b->index, pull ? "pull" : "push",
                 error->message);
      g_clear_error (&error);
      w->cut++;
    }
  return gls_replicator_get_docs_written (repl);
}

/* --- comparison --- */

static int
cmp_strp (gconstpointer a,
          gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* Every document with every leaf revision, and each winner. */
static char *
dump_docs (GlsStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) changes = gls_store_changes (store, 0, 0, TRUE, &error);
  JsonArray *results;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  results = json_object_get_array_member (changes, "results");
  for (guint i = 0; i < json_array_get_length (results); i++)
    g_ptr_array_add (ids, (gpointer) json_object_get_string_member (json_array_get_object_element (results, i), "id"));
  g_ptr_array_sort (ids, cmp_strp);
  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      g_autoptr(JsonArray) leaves = NULL;
      g_autoptr(JsonObject) winner = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;

      if (i > 0)
        g_assert_cmpstr (g_ptr_array_index (ids, i - 1), !=, id);
      leaves = gls_store_get_open_revs (store, id, NULL, GLS_STORE_GET_REVS | GLS_STORE_GET_ATTACHMENTS, &error);
      g_assert_no_error (error);
      winner = gls_store_get (store, id, NULL, GLS_STORE_GET_DELETED_OK, &error);
      g_assert_no_error (error);
      node = json_node_init_array (json_node_alloc (), leaves);
      text = json_to_string (node, FALSE);
      g_string_append_printf (out, "%s winner=%s %s\n", id, json_object_get_string_member (winner, "_rev"), text);
    }
  g_string_append_printf (out, "count=%" G_GINT64_FORMAT " deleted=%" G_GINT64_FORMAT "\n",
                          gls_store_get_doc_count (store), gls_store_get_doc_del_count (store));
  return g_string_free (out, FALSE);
}

/* What a person sees: the designs, and every thread of each, in model
 * order, with its comments. */
static char *
dump_threads (GlsWorkspace *ws)
{
  GListModel *designs = gls_workspace_get_designs (ws);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (designs); i++)
    {
      g_autoptr(GlsDesign) design = g_list_model_get_item (designs, i);
      g_autoptr(GListModel) threads = gls_workspace_get_threads (ws, gls_design_get_source (design));

      g_string_append_printf (out, "design %s %s %s %s\n", gls_design_get_id (design),
                              gls_design_get_name (design), gls_design_get_source (design),
                              gls_design_get_author_id (design));
      for (guint j = 0; j < g_list_model_get_n_items (threads); j++)
        {
          g_autoptr(GlsThread) thread = g_list_model_get_item (threads, j);
          GListModel *comments = gls_thread_get_comments (thread);

          g_string_append_printf (out, "  thread #%u %s resolved=%d placeholder=%d replies=%u \"%s\"\n",
                                  gls_thread_get_number (thread), gls_thread_get_root_id (thread),
                                  gls_thread_get_resolved (thread), gls_thread_get_placeholder (thread),
                                  gls_thread_get_reply_count (thread), gls_thread_get_text (thread));
          for (guint k = 0; k < g_list_model_get_n_items (comments); k++)
            {
              g_autoptr(GlsComment) comment = g_list_model_get_item (comments, k);

              g_string_append_printf (out, "    %s by %s at %s edited=%d deleted=%d \"%s\"\n",
                                      gls_comment_get_id (comment), gls_comment_get_author_id (comment),
                                      gls_comment_get_created (comment), gls_comment_get_edited (comment),
                                      gls_comment_get_deleted (comment), gls_comment_get_text (comment));
            }
        }
    }
  return g_string_free (out, FALSE);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The models follow the store through ::changed (coalesced, read in a
 * worker): wait until the live model shows `expected`. */
static char *
wait_threads (GlsWorkspace *ws,
              const char   *expected)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add (10000, timeout_cb, &timed_out);
  char *now = dump_threads (ws);

  while (g_strcmp0 (now, expected) != 0 && !timed_out)
    {
      g_main_context_iteration (NULL, TRUE);
      g_free (now);
      now = dump_threads (ws);
    }
  if (!timed_out)
    g_source_remove (source);
  return now;
}

/* --- the test --- */

static void
peer_init (World *w,
           guint  i)
{
  Peer *p = &w->peers[i];
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("peer-%u", i);
  g_autofree char *key = gls_peer_server_generate_key ();

  p->index = i;
  p->data_dir = g_build_filename (w->dir, name, NULL);
  p->workspace = gls_workspace_open (p->data_dir, "default", &error);
  g_assert_no_error (error);
  p->did = gls_identity_get_did (gls_workspace_get_identity (p->workspace));
  p->models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  p->server = gls_peer_server_new (NULL);
  g_assert_true (gls_peer_server_add_database (p->server, "default", gls_workspace_get_store (p->workspace), &error));
  gls_peer_server_set_keys (p->server, "default", key, NULL);
  g_assert_true (gls_peer_server_listen (p->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  p->url = g_strdup_printf ("http://peer:%s@127.0.0.1:%u/default", key, gls_peer_server_get_port (p->server));
}

/* Holds a threads model of every design the peer has, as the GUI would
 * while it shows them, so they follow the syncs as they come. */
static void
peer_watch_models (Peer *p)
{
  GListModel *designs = gls_workspace_get_designs (p->workspace);

  for (guint i = 0; i < g_list_model_get_n_items (designs); i++)
    {
      g_autoptr(GlsDesign) design = g_list_model_get_item (designs, i);
      const char *source = gls_design_get_source (design);

      if (!g_hash_table_contains (p->models, source))
        g_hash_table_insert (p->models, g_strdup (source), gls_workspace_get_threads (p->workspace, source));
    }
}

static void
peer_clear (Peer *p)
{
  g_clear_pointer (&p->models, g_hash_table_unref);
  gls_peer_server_disconnect (p->server);
  g_clear_object (&p->server);
  g_clear_object (&p->workspace);
  g_free (p->data_dir);
  g_free (p->url);
}

static void
test_convergence (void)
{
  g_autoptr(GError) error = NULL;
  const char *seed_env = g_getenv ("GLOSSA_TEST_SEED");
  guint32 seed = seed_env != NULL ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : g_random_int ();
  World world = { 0 };
  World *w = &world;
  g_autofree char *docs0 = NULL;
  g_autofree char *fresh_threads = NULL;
  gint64 written;

  g_test_message ("seed %u: run again with GLOSSA_TEST_SEED=%u", seed, seed);
  if (g_test_verbose ())
    g_printerr ("seed %u\n", seed);
  w->rand = g_rand_new_with_seed (seed);
  w->dir = test_data_dir_new ("glossa-convergence-XXXXXX");
  for (guint i = 0; i < N_PEERS; i++)
    peer_init (w, i);
  for (guint i = 0; i < N_PEERS; i++)
    for (guint j = i + 1; j < N_PEERS; j++)
      g_assert_cmpstr (w->peers[i].did, !=, w->peers[j].did);

  for (guint round = 0; round < N_ROUNDS; round++)
    {
      for (guint i = 0; i < N_PEERS; i++)
        {
          guint n = g_rand_int_range (w->rand, 1, 7);

          for (guint k = 0; k < n; k++)
            act (w, &w->peers[i]);
        }
      for (guint s = 0; s < N_PEERS; s++)
        {
          guint a = g_rand_int_range (w->rand, 0, N_PEERS);
          guint b = (a + g_rand_int_range (w->rand, 1, N_PEERS)) % N_PEERS;
          gboolean pull = g_rand_boolean (w->rand);
          gboolean cut = g_rand_int_range (w->rand, 0, 100) < 35;

          sync_pair (w, &w->peers[a], &w->peers[b], pull, cut);
        }
      for (guint i = 0; i < N_PEERS; i++)
        peer_watch_models (&w->peers[i]);
    }
  g_test_message ("%u actions (%u refused, %u others' words not touched, %u changed in place), "
                  "%u syncs (%u cut off)", w->actions, w->refused, w->not_allowed, w->in_place,
                  w->syncs, w->cut);
  g_assert_cmpuint (w->cut, >, 0);
  g_assert_cmpuint (w->not_allowed, >, 0);
  g_assert_cmpuint (w->refused, <, w->actions / 4);

  /* A full mesh: each peer pulls from every other (or the other pushes),
   * in random order. After the first pass every peer changes the same
   * comment in place, a conflict with a leaf per peer; the last pass has
   * nothing left to move. */
  for (guint pass = 0; pass < 3; pass++)
    {
      if (pass == 1)
        {
          g_autoptr(GlsAnnotation) target = pick_annotation (w, &w->peers[0], COMMENTS, FALSE);

          g_assert_nonnull (target);
          for (guint i = 0; i < N_PEERS; i++)
            {
              g_autofree char *text = g_strdup_printf ("Changed in place by peer %u", i);

              change_in_place (w, &w->peers[i], gls_annotation_get_id (target), text);
            }
        }
      written = 0;
      for (guint i = 0; i < N_PEERS; i++)
        for (guint j = 0; j < N_PEERS; j++)
          if (i != j)
            written += g_rand_boolean (w->rand)
              ? sync_pair (w, &w->peers[i], &w->peers[j], TRUE, FALSE)
              : sync_pair (w, &w->peers[j], &w->peers[i], FALSE, FALSE);
      if (pass == 2)
        g_assert_cmpint (written, ==, 0);
    }

  /* The same documents and revisions everywhere... */
  docs0 = dump_docs (gls_workspace_get_store (w->peers[0].workspace));
  {
    guint conflicts = 0;

    for (const char *c = strstr (docs0, "},{\"ok\""); c != NULL; c = strstr (c + 1, "},{\"ok\""))
      conflicts++;
    g_test_message ("%u conflicting leaves", conflicts);
    g_assert_cmpuint (conflicts, >=, N_PEERS - 1);
  }
  g_assert_cmpint (gls_store_get_doc_count (gls_workspace_get_store (w->peers[0].workspace)), >, 20);
  for (guint i = 1; i < N_PEERS; i++)
    {
      g_autofree char *docs = dump_docs (gls_workspace_get_store (w->peers[i].workspace));

      g_assert_cmpstr (docs, ==, docs0);
    }

  /* ...and the same threads: derived afresh from peer 0's data, and live
   * in every peer's own models, which followed the syncs as they came. */
  {
    g_autofree char *copy_dir = g_build_filename (w->dir, "fresh", NULL);
    g_autoptr(GlsWorkspace) fresh = NULL;
    g_autofree char *dst_dir = g_build_filename (copy_dir, "workspaces", NULL);
    g_autofree char *dst = g_build_filename (dst_dir, "default.sqlite", NULL);

    /* A new peer that pulls everything at once, and derives it cold. */
    g_assert_cmpint (g_mkdir_with_parents (dst_dir, 0700), ==, 0);
    {
      g_autoptr(GlsStore) copy = NULL;
      g_autoptr(GlsReplicator) repl = NULL;

      copy = gls_store_open (dst, &error);
      g_assert_no_error (error);
      repl = gls_replicator_new (copy, w->peers[0].url, GLS_REPLICATOR_DIRECTION_PULL);
      test_replicator_run (repl, NULL, &error);
      g_assert_no_error (error);
    }
    fresh = gls_workspace_open (copy_dir, "default", &error);
    g_assert_no_error (error);
    fresh_threads = dump_threads (fresh);
    g_assert_cmpuint (strlen (fresh_threads), >, 0);
    /* The run did make every kind of document. */
    g_assert_nonnull (strstr (fresh_threads, "thread #"));
    g_assert_nonnull (strstr (fresh_threads, "edited=1"));
    g_assert_nonnull (strstr (fresh_threads, "resolved=1"));
    g_assert_nonnull (strstr (fresh_threads, ".png "));
    g_assert_nonnull (strstr (fresh_threads, ".svg "));
    g_assert_cmpint (gls_store_get_doc_del_count (gls_workspace_get_store (fresh)), >, 0);
    g_test_message ("%" G_GINT64_FORMAT " documents, %" G_GINT64_FORMAT " deleted",
                    gls_store_get_doc_count (gls_workspace_get_store (fresh)),
                    gls_store_get_doc_del_count (gls_workspace_get_store (fresh)));
  }
  for (guint i = 0; i < N_PEERS; i++)
    {
      g_autofree char *threads = wait_threads (w->peers[i].workspace, fresh_threads);

      g_assert_cmpstr (threads, ==, fresh_threads);
    }

  for (guint i = 0; i < N_PEERS; i++)
    peer_clear (&w->peers[i]);
  g_rand_free (w->rand);
  test_data_dir_free (w->dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/convergence/random-peers", test_convergence);

  return g_test_run ();
}
