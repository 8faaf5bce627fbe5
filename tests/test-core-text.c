/* test-core-text.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gls-core.h"
#include "gls-text.h"

static char *
decode_string (const char  *data,
               gsize        length,
               gsize       *out_length,
               GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, length);

  return gls_text_decode (bytes, out_length, error);
}

static void
test_decode (void)
{
  struct {
    const char *data;
    gsize       length;
    const char *text;      /* NULL: refused */
    const char *message;   /* part of the message when refused */
  } cases[] = {
    { "", 0, "", NULL },
    { "hello\n", 6, "hello\n", NULL },
    { "\xEF\xBB\xBFhello", 8, "hello", NULL },
    { "\xEF\xBB\xBF", 3, "", NULL },
    /* Only a leading BOM is dropped. */
    { "a\xEF\xBB\xBF", 4, "a\xEF\xBB\xBF", NULL },
    { "\xEF\xBB\xBF\xEF\xBB\xBFx", 7, "\xEF\xBB\xBFx", NULL },
    { "line 1\r\nline 2\r\n", 16, "line 1\r\nline 2\r\n", NULL },
    { "caf\xC3\xA9 \xF0\x9F\x8E\x89", 10, "caf\xC3\xA9 \xF0\x9F\x8E\x89", NULL },
    { "caf\xE9\n", 5, NULL, "line 1 has a byte that is not UTF-8" },
    { "one\ntwo\nthr\xFF" "ee\n", 14, NULL, "line 3 has a byte that is not UTF-8" },
    { "one\r\ntwo\r\n\xC3", 11, NULL, "line 3 has a byte that is not UTF-8" },
    /* Overlong and surrogate encodings are not UTF-8. */
    { "\xC0\xAF", 2, NULL, "line 1 has a byte" },
    { "a\n\xED\xA0\x80", 5, NULL, "line 2 has a byte" },
    { "a\nb\nc\0d", 7, NULL, "line 3 has a NUL byte" },
    { "\0", 1, NULL, "line 1 has a NUL byte" },
    /* The BOM is not counted as a line nor a byte of the text. */
    { "\xEF\xBB\xBF\n\n\x80", 6, NULL, "line 3 has a byte that is not UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      gsize length = 12345;

      text = decode_string (cases[i].data, cases[i].length, &length, &error);
      if (cases[i].text != NULL)
        {
          g_assert_no_error (error);
          g_assert_nonnull (text);
          g_assert_cmpuint (length, ==, strlen (cases[i].text));
          g_assert_cmpmem (text, length, cases[i].text, strlen (cases[i].text));
          g_assert_cmpint (text[length], ==, '\0');
        }
      else
        {
          g_assert_null (text);
          g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_UNSUPPORTED);
          if (strstr (error->message, cases[i].message) == NULL)
            g_error ("case %u: “%s” does not say “%s”", i, error->message, cases[i].message);
          g_assert_cmpuint (length, ==, 12345);
        }
    }

  /* The message a person reads. */
  {
    g_autoptr(GError) error = NULL;
    GString *big = g_string_new (NULL);
    g_autofree char *text = NULL;

    for (guint i = 1; i < 12; i++)
      g_string_append_printf (big, "line %u\n", i);
    g_string_append (big, "Gr\xFC\xDF" "e\n");
    text = decode_string (big->str, big->len, NULL, &error);
    g_assert_null (text);
    g_assert_cmpstr (error->message, ==, "Not a UTF-8 text file: line 12 has a byte that is not UTF-8");
    g_string_free (big, TRUE);
  }
}

/* Checks every offset and byte of @text against g_utf8_* */
static void
check_index (const char *text)
{
  g_autoptr(GlsTextIndex) index = gls_text_index_new (text, -1);
  gsize bytes = strlen (text);
  gint64 length = g_utf8_strlen (text, -1);

  g_assert_true (gls_text_index_get_text (index) == text);
  g_assert_cmpuint (gls_text_index_get_bytes (index), ==, bytes);
  g_assert_cmpint (gls_text_index_get_length (index), ==, length);

  for (gint64 offset = 0; offset <= length; offset++)
    {
      gsize byte = g_utf8_offset_to_pointer (text, offset) - text;

      g_assert_cmpuint (gls_text_index_to_byte (index, offset), ==, byte);
      g_assert_cmpint (gls_text_index_to_offset (index, byte), ==, offset);
    }

  for (gsize byte = 0; byte < bytes; byte++)
    {
      /* A byte inside a character counts as that character's start. */
      const char *start = g_utf8_find_prev_char (text, text + byte + 1);

      g_assert_cmpint (gls_text_index_to_offset (index, byte), ==,
                       g_utf8_pointer_to_offset (text, start));
    }

  /* Clamped */
  g_assert_cmpuint (gls_text_index_to_byte (index, -1), ==, 0);
  g_assert_cmpuint (gls_text_index_to_byte (index, G_MININT64), ==, 0);
  g_assert_cmpuint (gls_text_index_to_byte (index, length + 1), ==, bytes);
  g_assert_cmpuint (gls_text_index_to_byte (index, G_MAXINT64), ==, bytes);
  g_assert_cmpint (gls_text_index_to_offset (index, bytes + 1), ==, length);
  g_assert_cmpint (gls_text_index_to_offset (index, G_MAXSIZE), ==, length);
}

static void
test_index (void)
{
  GString *mixed = g_string_new (NULL);

  check_index ("");
  check_index ("a");
  check_index ("é");
  check_index ("🎉");
  check_index ("abc\r\ndef\r\n");
  check_index ("e\xCC\x81 Stra\xC3\x9F" "e 🎉🎉 日本語");

  /* Long enough for many checkpoints, with ASCII runs of every length
   * between multi-byte characters, so that the fast path starts and stops
   * at every place relative to a checkpoint. */
  for (guint i = 0; i < 300; i++)
    {
      for (guint j = 0; j < i % 23; j++)
        g_string_append_c (mixed, 'a' + j);
      g_string_append (mixed, (i % 3 == 0) ? "é" : (i % 3 == 1) ? "🎉" : "日");
    }
  check_index (mixed->str);

  /* All ASCII, longer than a checkpoint step many times over. */
  g_string_truncate (mixed, 0);
  for (guint i = 0; i < 1000; i++)
    g_string_append_c (mixed, 'a' + i % 26);
  check_index (mixed->str);

  g_string_free (mixed, TRUE);

  /* A length shorter than the string: the rest is not the text. */
  {
    const char *text = "héllo world";
    g_autoptr(GlsTextIndex) index = gls_text_index_new (text, 6);

    g_assert_cmpint (gls_text_index_get_length (index), ==, 5);
    g_assert_cmpuint (gls_text_index_to_byte (index, 5), ==, 6);
    g_assert_cmpuint (gls_text_index_to_byte (index, 9), ==, 6);
  }
}

static void
assert_selector (const GlsSelector *sel,
                 gint64             start,
                 gint64             end,
                 const char        *exact,
                 const char        *prefix,
                 const char        *suffix)
{
  g_assert_cmpint (sel->kind, ==, GLS_SELECTOR_TEXT);
  g_assert_cmpint (sel->start, ==, start);
  g_assert_cmpint (sel->end, ==, end);
  g_assert_cmpstr (sel->exact, ==, exact);
  g_assert_cmpstr (sel->prefix, ==, prefix);
  g_assert_cmpstr (sel->suffix, ==, suffix);
}

static void
test_select_range (void)
{
  const char *text = "Solder the 🎉 header: e\xCC\x81t\xC3\xA9, Stra\xC3\x9F" "e.\r\nNext line.";
  g_autoptr(GlsTextIndex) index = gls_text_index_new (text, -1);
  g_auto(GlsSelector) sel = { 0 };
  gint64 length = gls_text_index_get_length (index);

  /* "🎉" is one code point: 11 */
  g_assert_true (gls_text_select_range (index, 11, 12, &sel));
  assert_selector (&sel, 11, 12, "🎉", "Solder the ", " header: e\xCC\x81t\xC3\xA9, Stra\xC3\x9F" "e.\r\nNext lin");
  gls_selector_clear (&sel);

  /* e + U+0301 is two code points: 21 and 22 */
  g_assert_true (gls_text_select_range (index, 21, 22, &sel));
  g_assert_cmpstr (sel.exact, ==, "e");
  gls_selector_clear (&sel);
  g_assert_true (gls_text_select_range (index, 21, 25, &sel));
  g_assert_cmpstr (sel.exact, ==, "e\xCC\x81t\xC3\xA9");
  gls_selector_clear (&sel);

  /* Context: at most 32 code points, none at the ends of the text. */
  g_assert_true (gls_text_select_range (index, 0, 6, &sel));
  assert_selector (&sel, 0, 6, "Solder", NULL, " the 🎉 header: e\xCC\x81t\xC3\xA9, Stra\xC3\x9F" "e.\r\nNe");
  g_assert_cmpint (g_utf8_strlen (sel.suffix, -1), ==, GLS_TEXT_CONTEXT_LENGTH);
  gls_selector_clear (&sel);

  g_assert_true (gls_text_select_range (index, length - 5, length, &sel));
  g_assert_cmpstr (sel.exact, ==, "line.");
  g_assert_null (sel.suffix);
  g_assert_cmpint (g_utf8_strlen (sel.prefix, -1), ==, GLS_TEXT_CONTEXT_LENGTH);
  g_assert_true (g_str_has_suffix (sel.prefix, "e.\r\nNext "));
  gls_selector_clear (&sel);

  /* CRLF counts as two code points. */
  g_assert_true (gls_text_select_range (index, 34, 36, &sel));
  g_assert_cmpstr (sel.exact, ==, "\r\n");
  gls_selector_clear (&sel);

  g_assert_true (gls_text_select_range (index, 0, length, &sel));
  g_assert_cmpstr (sel.exact, ==, text);
  g_assert_null (sel.prefix);
  g_assert_null (sel.suffix);
  gls_selector_clear (&sel);

  /* Empty, reversed, outside: FALSE, and the selector untouched. */
  sel.kind = GLS_SELECTOR_POINT;
  sel.x = 7;
  g_assert_false (gls_text_select_range (index, 3, 3, &sel));
  g_assert_false (gls_text_select_range (index, 4, 3, &sel));
  g_assert_false (gls_text_select_range (index, -1, 3, &sel));
  g_assert_false (gls_text_select_range (index, 0, length + 1, &sel));
  g_assert_false (gls_text_select_range (index, G_MAXINT64 - 1, G_MAXINT64, &sel));
  g_assert_cmpint (sel.kind, ==, GLS_SELECTOR_POINT);
  g_assert_cmpfloat (sel.x, ==, 7);
  g_assert_null (sel.exact);
}

static void
test_select_quote (void)
{
  const char *text = "msgid \"Open\"\nmsgstr \"Öffnen\"\n\nmsgid \"Open File\"\nmsgstr \"Datei öffnen\"\n"
                     "# 🎉 Party 🎉\n";
  g_autoptr(GlsTextIndex) index = gls_text_index_new (text, -1);
  g_auto(GlsSelector) sel = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (gls_text_select_quote (index, "Datei öffnen", NULL, NULL, &sel, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sel.start, ==, g_utf8_pointer_to_offset (text, strstr (text, "Datei")));
  g_assert_cmpint (sel.end, ==, sel.start + 12);
  g_assert_cmpstr (sel.exact, ==, "Datei öffnen");
  g_assert_true (g_str_has_suffix (sel.prefix, "File\"\nmsgstr \""));
  g_assert_cmpint (g_utf8_strlen (sel.prefix, -1), ==, GLS_TEXT_CONTEXT_LENGTH);
  g_assert_true (g_str_has_prefix (sel.suffix, "\"\n# 🎉"));
  gls_selector_clear (&sel);

  /* Twice: the message counts, and a prefix or suffix picks one. */
  g_assert_false (gls_text_select_quote (index, "Open", NULL, NULL, &sel, &error));
  g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“Open” occurs 2 times"));
  g_assert_nonnull (strstr (error->message, "--prefix"));
  g_assert_cmpint (sel.kind, ==, GLS_SELECTOR_NONE);
  g_clear_error (&error);

  g_assert_true (gls_text_select_quote (index, "Open", "msgid \"", "\"\n", &sel, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sel.start, ==, 7);
  g_assert_cmpint (sel.end, ==, 11);
  gls_selector_clear (&sel);

  g_assert_true (gls_text_select_quote (index, "Open", NULL, " File", &sel, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sel.start, ==, g_utf8_pointer_to_offset (text, strstr (text, "Open File")));
  gls_selector_clear (&sel);

  /* The prefix must be right before: "msgid" is before both, not at once. */
  g_assert_false (gls_text_select_quote (index, "Open", "msgid", NULL, &sel, &error));
  g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "not in the text with that prefix and suffix"));
  g_clear_error (&error);

  /* Overlapping occurrences count. */
  g_assert_false (gls_text_select_quote (index, "🎉", NULL, NULL, &sel, &error));
  g_assert_nonnull (strstr (error->message, "occurs 2 times"));
  g_clear_error (&error);

  g_assert_true (gls_text_select_quote (index, "🎉", NULL, "\n", &sel, &error));
  g_assert_cmpint (sel.end - sel.start, ==, 1);
  g_assert_cmpstr (sel.exact, ==, "🎉");
  g_assert_cmpstr (sel.suffix, ==, "\n");
  gls_selector_clear (&sel);

  g_assert_false (gls_text_select_quote (index, "Close", NULL, NULL, &sel, &error));
  g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "“Close” is not in the text");
  g_clear_error (&error);

  g_assert_false (gls_text_select_quote (index, "", NULL, NULL, &sel, &error));
  g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (gls_text_select_quote (index, "\xFF", NULL, NULL, &sel, &error));
  g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
  g_clear_error (&error);

  /* A long quote is shortened in the message. */
  {
    g_autofree char *many = g_strnfill (200, 'x');
    g_autoptr(GlsTextIndex) xi = gls_text_index_new (many, -1);
    g_autofree char *quote = g_strnfill (100, 'x');

    g_assert_false (gls_text_select_quote (xi, quote, NULL, NULL, &sel, &error));
    g_assert_nonnull (strstr (error->message, "occurs 101 times"));
    g_assert_nonnull (strstr (error->message, "…"));
    g_assert_cmpuint (strlen (error->message), <, 200);
    g_clear_error (&error);
  }
}

/* Text selectors in documents */

#define TEXT_SOURCE "ni:///sha-256;UcVpXkcjDYkl5hJUVlnQzTNOH5fbRPt42tKR4bD-vQQ"
#define T1          "2026-11-23T10:07:27.000000Z"

static char *
resolve_guide (const char *source,
               gpointer    user_data)
{
  if (g_str_equal (source, "https://example.org/guide.md"))
    return g_strdup (TEXT_SOURCE);
  return NULL;
}

/* Export, then import: the passage stays, and so does its author's proof. */
static void
test_w3c_round_trip (void)
{
  const char *text = "Solder R1 to R4 (330 Ω). Resistors have no polarity.\r\n🎉 Done.";
  g_autoptr(GlsTextIndex) index = gls_text_index_new (text, -1);
  g_autoptr(GlsIdentity) carla = gls_identity_new_random ();
  g_autoptr(GPtrArray) set = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(JsonNode) exported = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(JsonObject) signed_doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_auto(GlsSelector) sel = { 0 };
  GlsAnnotation *original, *back;
  JsonArray *items, *list;

  g_assert_true (gls_text_select_quote (index, "330 Ω", NULL, NULL, &sel, &error));
  g_assert_no_error (error);
  original = gls_annotation_new_comment (TEXT_SOURCE, &sel, "Is 330 Ω right for blue LEDs?",
                                         gls_identity_get_did (carla), "Carla", NULL, T1);
  /* Signed, as the store holds it, then read back. */
  signed_doc = gls_annotation_to_json (original);
  g_assert_true (gls_proof_sign (signed_doc, carla, T1, &error));
  g_object_unref (original);
  original = gls_annotation_new_verified (signed_doc, &error);
  g_assert_no_error (error);
  g_ptr_array_add (set, original);

  exported = gls_w3c_export_collection (set, NULL);
  items = json_object_get_array_member (json_object_get_object_member (json_node_get_object (exported),
                                                                       "first"), "items");
  list = json_object_get_array_member (json_object_get_object_member (json_array_get_object_element (items, 0),
                                                                      "target"), "selector");
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "exact"),
                   ==, "330 Ω");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (list, 1), "start"),
                   ==, 17);

  json = json_to_string (exported, TRUE);
  parsed = json_from_string (json, &error);
  g_assert_no_error (error);
  imported = gls_w3c_import (parsed, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imported->len, ==, 1);
  back = g_ptr_array_index (imported, 0);
  g_assert_true (gls_selector_equal (gls_annotation_get_selector (back), &sel));

  /* What the workspace stores of an import: the same document, and the
   * author's proof still holds for it. */
  {
    g_autoptr(JsonObject) doc = gls_annotation_to_json (back);
    g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), doc);
    g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), signed_doc);
    g_autofree char *signer = NULL;

    g_assert_true (json_node_equal (a, b));
    g_assert_cmpint (gls_proof_verify (doc, &signer, NULL), ==, GLS_PROOF_VALID);
    g_assert_cmpstr (signer, ==, gls_identity_get_did (carla));
  }

  /* Every key and type written is a term of the W3C context. */
  {
    g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "anno.jsonld", NULL);
    g_autoptr(JsonParser) parser = json_parser_new ();
    const char *terms[] = { "TextQuoteSelector", "TextPositionSelector", "exact", "prefix",
                            "suffix", "start", "end", "selector" };
    JsonObject *context;

    json_parser_load_from_file (parser, path, &error);
    g_assert_no_error (error);
    context = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                             "@context");
    for (guint i = 0; i < G_N_ELEMENTS (terms); i++)
      if (!json_object_has_member (context, terms[i]))
        g_error ("“%s” is not a term of anno.jsonld", terms[i]);
  }
}

/* Hypothesis's W3C JSON-LD (what its API's /annotations/{id}.jsonld gives),
 * imported onto a text design the user picked. */
static const char hypothesis[] =
  "{"
  "  \"@context\": \"http://www.w3.org/ns/anno.jsonld\","
  "  \"type\": \"Annotation\","
  "  \"id\": \"https://hypothes.is/a/ZVjsnOE7Ee6hNa8DKSbmbQ\","
  "  \"created\": \"2026-03-02T09:15:37.519181+00:00\","
  "  \"modified\": \"2026-03-02T09:15:37.519181+00:00\","
  "  \"creator\": \"acct:carla@hypothes.is\","
  "  \"body\": [{ \"type\": \"TextualBody\", \"value\": \"Lead-free wants 350 °C.\","
  "              \"format\": \"text/markdown\" },"
  "            { \"type\": \"TextualBody\", \"purpose\": \"tagging\", \"value\": \"solder\" }],"
  "  \"target\": [{ \"source\": \"https://example.org/guide.md\","
  "    \"selector\": ["
  "      { \"type\": \"RangeSelector\", \"startContainer\": \"/main[1]/ul[1]/li[2]\","
  "        \"startOffset\": 31, \"endContainer\": \"/main[1]/ul[1]/li[2]\", \"endOffset\": 44 },"
  "      { \"type\": \"TextPositionSelector\", \"start\": 393, \"end\": 406 },"
  "      { \"type\": \"TextQuoteSelector\", \"exact\": \"set to 330 °C\","
  "        \"prefix\": \"soldering iron with a fine tip, \", \"suffix\": \", and lead-free solder;\\n\" }"
  "    ]"
  "  }]"
  "}";

static void
test_w3c_import_foreign (void)
{
  g_autoptr(JsonNode) root = json_from_string (hypothesis, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) set = NULL;
  const GlsSelector *sel;
  GlsAnnotation *a;

  g_assert_nonnull (root);
  set = gls_w3c_import (root, resolve_guide, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (set->len, ==, 1);
  a = g_ptr_array_index (set, 0);
  g_assert_cmpstr (gls_annotation_get_source (a), ==, TEXT_SOURCE);
  sel = gls_annotation_get_selector (a);
  g_assert_cmpint (sel->kind, ==, GLS_SELECTOR_TEXT);
  g_assert_cmpint (sel->start, ==, 393);
  g_assert_cmpint (sel->end, ==, 406);
  g_assert_cmpstr (sel->exact, ==, "set to 330 °C");
  g_assert_cmpstr (sel->prefix, ==, "soldering iron with a fine tip, ");
  g_assert_cmpstr (sel->suffix, ==, ", and lead-free solder;\n");

  /* Stored as Glossa writes a passage: the RangeSelector is gone. */
  {
    g_autoptr(JsonObject) doc = gls_annotation_to_json (a);
    JsonArray *list = json_object_get_array_member (json_object_get_object_member (doc, "target"),
                                                    "selector");

    g_assert_cmpuint (json_array_get_length (list), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "type"),
                     ==, "TextQuoteSelector");
  }

  /* And it anchors in the sample guide it was made on. */
  {
    g_autofree char *path = g_build_filename (g_getenv ("GLOSSA_SOURCE_DIR") ? g_getenv ("GLOSSA_SOURCE_DIR")
                                              : TEST_SRCDIR "/..", "data", "samples",
                                              "assembly-guide.md", NULL);
    g_autofree char *data = NULL;
    g_autoptr(GBytes) bytes = NULL;
    g_autofree char *text = NULL;
    g_autoptr(GlsTextIndex) index = NULL;
    gint64 start, end;
    gsize length;

    g_assert_true (g_file_get_contents (path, &data, &length, &error));
    bytes = g_bytes_new_take (g_steal_pointer (&data), length);
    text = gls_text_decode (bytes, &length, &error);
    g_assert_no_error (error);
    index = gls_text_index_new (text, length);
    g_assert_cmpint (gls_text_anchor (index, sel, &start, &end), ==, GLS_ANCHOR_IN_PLACE);
    g_assert_cmpint (start, ==, 393);
  }

  /* A broken text selector from another tool is named. */
  {
    g_autofree char *bad = g_strdup (hypothesis);
    g_autoptr(JsonNode) bad_root = NULL;
    g_autoptr(GPtrArray) none = NULL;
    char *at = strstr (bad, "\"end\": 406");

    memcpy (at, "\"end\": -40", strlen ("\"end\": -40"));
    bad_root = json_from_string (bad, NULL);
    g_assert_nonnull (bad_root);
    none = gls_w3c_import (bad_root, resolve_guide, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
    g_test_message ("%s", error->message);
    g_assert_true (g_str_has_prefix (error->message, "Annotation “https://hypothes.is/a/ZVjsnOE7Ee6hNa8DKSbmbQ”: "
                                     "field “target.selector[1].end”"));
  }
}

/* FORMAT.md's comment on a passage is what the code reads and writes, and
 * verifies. */
static void
test_format_example (void)
{
  const char *top = g_getenv ("GLOSSA_SOURCE_DIR");
  g_autofree char *path = top != NULL ? g_build_filename (top, "src", "core", "FORMAT.md", NULL)
                                      : g_build_filename (TEST_SRCDIR, "..", "src", "core", "FORMAT.md", NULL);
  g_autofree char *doc = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GlsAnnotation) a = NULL;
  g_autoptr(JsonObject) written = NULL;
  g_autoptr(JsonNode) written_node = NULL;
  const char *marker, *open, *close;
  const GlsSelector *sel;

  g_assert_true (g_file_get_contents (path, &doc, NULL, &error));
  marker = strstr (doc, "<!-- example: comment-text -->");
  g_assert_nonnull (marker);
  open = strstr (marker, "```json\n");
  g_assert_nonnull (open);
  open += strlen ("```json\n");
  close = strstr (open, "```");
  g_assert_nonnull (close);
  json = g_strndup (open, close - open);

  node = json_from_string (json, &error);
  g_assert_no_error (error);
  a = gls_annotation_new_verified (json_node_get_object (node), &error);
  g_assert_no_error (error);
  g_assert_cmpint (gls_annotation_get_trust (a), ==, GLS_TRUST_VERIFIED);
  sel = gls_annotation_get_selector (a);
  g_assert_cmpint (sel->kind, ==, GLS_SELECTOR_TEXT);
  g_assert_cmpint (sel->end - sel->start, ==, g_utf8_strlen (sel->exact, -1));

  written = gls_annotation_to_json (a);
  written_node = json_node_init_object (json_node_alloc (), written);
  g_assert_true (json_node_equal (written_node, node));
}

/* Anchoring */

/* ⟦ and ⟧ mark a passage in a table's text; they are not part of it. */
#define OPEN  "⟦"
#define CLOSE "⟧"

/* @marked without its marks, and the marked passage in code points. */
static char *
unmark (const char *marked,
        gint64     *start,
        gint64     *end)
{
  GString *out = g_string_new (NULL);
  gint64 offset = 0;

  *start = *end = -1;
  for (const char *p = marked; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_str_has_prefix (p, OPEN))
        *start = offset;
      else if (g_str_has_prefix (p, CLOSE))
        *end = offset;
      else
        {
          g_string_append_unichar (out, g_utf8_get_char (p));
          offset++;
        }
    }

  return g_string_free (out, FALSE);
}

/* Levenshtein distance in code points, for checking what CHANGED found. */
static gint64
edit_distance (const char *a,
               const char *b)
{
  g_autofree gunichar *x = g_utf8_to_ucs4_fast (a, -1, NULL);
  g_autofree gunichar *y = g_utf8_to_ucs4_fast (b, -1, NULL);
  glong n = g_utf8_strlen (a, -1), m = g_utf8_strlen (b, -1);
  g_autofree gint64 *row = g_new (gint64, m + 1);

  for (glong j = 0; j <= m; j++)
    row[j] = j;
  for (glong i = 1; i <= n; i++)
    {
      gint64 diag = row[0];

      row[0] = i;
      for (glong j = 1; j <= m; j++)
        {
          gint64 up = row[j];

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diag + (x[i - 1] != y[j - 1]));
          diag = up;
        }
    }
  return row[m];
}

typedef struct
{
  const char     *name;
  const char     *before;  /* the passage commented on, marked */
  const char     *after;   /* the new version, where it should be found marked */
  GlsAnchorState  state;
} AnchorCase;

static const char *const state_names[] = { "in place", "moved", "changed", "orphaned" };

/* gls_text_anchor's "rewritten between its old neighbours": the whole of
 * the compared prefix right before, of the suffix right after, and not
 * much longer than twice the quote. */
static gboolean
between_old_neighbours (const char        *text,
                        const GlsSelector *sel,
                        gint64             start,
                        gint64             end)
{
  glong plen, slen;
  const char *at, *to, *p_from, *s_to;

  if (sel->prefix == NULL || sel->suffix == NULL)
    return FALSE;
  plen = MIN (g_utf8_strlen (sel->prefix, -1), GLS_TEXT_CONTEXT_LENGTH);
  slen = MIN (g_utf8_strlen (sel->suffix, -1), GLS_TEXT_CONTEXT_LENGTH);
  if (plen == 0 || slen == 0 || end - start > 2 * g_utf8_strlen (sel->exact, -1) + 16)
    return FALSE;
  at = g_utf8_offset_to_pointer (text, start);
  to = g_utf8_offset_to_pointer (text, end);
  p_from = g_utf8_offset_to_pointer (sel->prefix + strlen (sel->prefix), -plen);
  s_to = g_utf8_offset_to_pointer (sel->suffix, slen);
  return at - text >= (gssize) strlen (p_from) &&
         memcmp (at - strlen (p_from), p_from, strlen (p_from)) == 0 &&
         strlen (to) >= (gsize) (s_to - sel->suffix) &&
         memcmp (to, sel->suffix, s_to - sel->suffix) == 0;
}

static void
check_anchor_case (const AnchorCase *c)
{
  gint64 old_start, old_end, want_start, want_end, start = 0, end = 0;
  g_autofree char *old_text = unmark (c->before, &old_start, &old_end);
  g_autofree char *new_text = unmark (c->after, &want_start, &want_end);
  g_autoptr(GlsTextIndex) old_index = gls_text_index_new (old_text, -1);
  g_autoptr(GlsTextIndex) new_index = gls_text_index_new (new_text, -1);
  g_auto(GlsSelector) sel = { 0 };
  GlsAnchorState state;

  g_test_message ("%s", c->name);
  g_assert_cmpint (old_start, >=, 0);
  g_assert_true (gls_text_select_range (old_index, old_start, old_end, &sel));
  state = gls_text_anchor (new_index, &sel, &start, &end);

  if (state != c->state || start != want_start || end != want_end)
    g_error ("%s: %s at [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "), expected %s at [%"
             G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")", c->name, state_names[state], start, end,
             state_names[c->state], want_start, want_end);

  if (state == GLS_ANCHOR_ORPHANED)
    return;

  {
    gsize from = gls_text_index_to_byte (new_index, start);
    gsize to = gls_text_index_to_byte (new_index, end);
    g_autofree char *found = g_strndup (new_text + from, to - from);
    gint64 m = g_utf8_strlen (sel.exact, -1);

    if (state == GLS_ANCHOR_CHANGED)
      {
        g_assert_cmpstr (found, !=, sel.exact);
        if (m <= 64 && !between_old_neighbours (new_text, &sel, start, end))
          g_assert_cmpint (edit_distance (sel.exact, found), <=, MAX (1, m / 4));
      }
    else
      g_assert_cmpstr (found, ==, sel.exact);
  }

  /* The same answer again, and from a new index of the same text. */
  {
    g_autoptr(GlsTextIndex) again = gls_text_index_new (new_text, -1);
    gint64 s2, e2;

    g_assert_cmpint (gls_text_anchor (new_index, &sel, &s2, &e2), ==, state);
    g_assert_cmpint (s2, ==, start);
    g_assert_cmpint (gls_text_anchor (again, &sel, &s2, &e2), ==, state);
    g_assert_cmpint (s2, ==, start);
    g_assert_cmpint (e2, ==, end);
  }
}

#define GUIDE_A "Check the board for damage and clean the pads with isopropyl alcohol. "
#define GUIDE_B "Sort the parts by size: resistors, capacitors, LEDs, then the chips. "
#define GUIDE_C "Solder the smallest parts first, so that the board lies flat."

static const AnchorCase ascii_cases[] = {
  { "unchanged",
    GUIDE_A "Sort the parts by ⟦size: resistors⟧, capacitors, LEDs, then the chips. " GUIDE_C,
    GUIDE_A "Sort the parts by ⟦size: resistors⟧, capacitors, LEDs, then the chips. " GUIDE_C,
    GLS_ANCHOR_IN_PLACE },
  { "edit before",
    GUIDE_A "Sort the parts by ⟦size: resistors⟧, capacitors, LEDs, then the chips. " GUIDE_C,
    "First, " GUIDE_A "Sort the parts by ⟦size: resistors⟧, capacitors, LEDs, then the chips. " GUIDE_C,
    GLS_ANCHOR_MOVED },
  { "deletion before",
    GUIDE_A "Sort the parts by ⟦size: resistors⟧, capacitors, LEDs, then the chips. " GUIDE_C,
    "Check the board. Sort the parts by ⟦size: resistors⟧, capacitors, LEDs, then the chips. " GUIDE_C,
    GLS_ANCHOR_MOVED },
  { "edit after",
    GUIDE_A "Sort the parts by ⟦size: resistors⟧, capacitors, LEDs, then the chips. " GUIDE_C,
    GUIDE_A "Sort the parts by ⟦size: resistors⟧, capacitors, LEDs, then the ICs. Solder.",
    GLS_ANCHOR_IN_PLACE },
  { "edit right after (suffix changed)",
    GUIDE_A "Sort the parts by ⟦size: resistors⟧, capacitors, LEDs, then the chips. " GUIDE_C,
    GUIDE_A "Sort the parts by ⟦size: resistors⟧ and diodes. " GUIDE_C,
    GLS_ANCHOR_IN_PLACE },
  { "edit inside",
    GUIDE_A "Sort the parts by ⟦size: resistors, capacitors, LEDs⟧, then the chips. " GUIDE_C,
    GUIDE_A "Sort the parts by ⟦size: resistors, inductors, LEDs⟧, then the chips. " GUIDE_C,
    GLS_ANCHOR_CHANGED },
  { "edit inside and before",
    GUIDE_A "Sort the parts by ⟦size: resistors, capacitors, LEDs⟧, then the chips. " GUIDE_C,
    "Read this first. " GUIDE_A "Sort the parts by ⟦size: resistors, capacitor, LED⟧, then the chips. " GUIDE_C,
    GLS_ANCHOR_CHANGED },
  { "word changed at the start of the passage",
    GUIDE_A "Sort the parts by ⟦size: resistors, capacitors, LEDs⟧, then the chips. " GUIDE_C,
    GUIDE_A "Sort the parts by ⟦sizes: resistors, capacitors, LEDs⟧, then the chips. " GUIDE_C,
    GLS_ANCHOR_CHANGED },
  { "words added before the passage, inside the old sentence",
    GUIDE_A "Sort the parts by ⟦size: resistors, capacitors, LEDs⟧, then the chips. " GUIDE_C,
    GUIDE_A "Sort the parts by their ⟦size: resistors, capacitors, LEDs⟧, then the chips. " GUIDE_C,
    GLS_ANCHOR_MOVED },
  /* Rewritten beyond the bound, between the same neighbours: changed,
   * the new words shown. */
  { "rewritten",
    GUIDE_A "Sort the parts by ⟦size: resistors, capacitors, LEDs⟧, then the chips. " GUIDE_C,
    GUIDE_A "Sort the parts by ⟦type⟧, then the chips. " GUIDE_C,
    GLS_ANCHOR_CHANGED },
  { "deleted",
    GUIDE_A "Sort the parts by ⟦size: resistors, capacitors, LEDs⟧, then the chips. " GUIDE_C,
    GUIDE_A "Sort the parts by, then the chips. " GUIDE_C,
    GLS_ANCHOR_ORPHANED },
  { "rewritten beyond a quarter",
    GUIDE_A "Sort the parts by ⟦size: resistors, capacitors, LEDs⟧, then the chips. " GUIDE_C,
    GUIDE_A "Sort the parts by ⟦weight: heavy ones, light ones⟧, then the chips. " GUIDE_C,
    GLS_ANCHOR_CHANGED },
  /* ...but not when its neighbours moved apart with a whole paragraph
   * between them. */
  { "neighbours far apart",
    GUIDE_A "Sort the parts by ⟦size: resistors, capacitors, LEDs⟧, then the chips. " GUIDE_C,
    GUIDE_A "Sort the parts by kind. Resistors go in the first box, capacitors in the second, LEDs in the "
    "third, and the chips stay in their tubes until the very end, then the chips. " GUIDE_C,
    GLS_ANCHOR_ORPHANED },
  { "paragraphs swapped",
    "Intro.\n\n⟦Solder the LEDs last⟧, cathode to the edge.\n\nThen test it.\n",
    "Intro.\n\nThen test it.\n\n⟦Solder the LEDs last⟧, cathode to the edge.\n",
    GLS_ANCHOR_MOVED },
  { "twice: the context decides",
    "Solder R1. Then check ⟦the joint⟧ with a magnifier. Solder R2. Then check the joint by eye.",
    "Intro. Solder R1. Then check the joint by eye. Solder R2. Then check ⟦the joint⟧ with a magnifier.",
    GLS_ANCHOR_MOVED },
  { "twice: at its old place it stays, whatever its neighbours",
    "Solder R1. Then check ⟦the joint⟧ with a magnifier. Solder R2. Then check the joint by eye.",
    "Solder R1. Then check ⟦the joint⟧ by eye. Solder R2. Then check the joint with a magnifier.",
    GLS_ANCHOR_IN_PLACE },
  { "many times, same context: the nearest",
    "ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ⟦ab⟧ ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab",
    "Zab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ⟦ab⟧ ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab",
    GLS_ANCHOR_MOVED },
  { "deleted with its context",
    "Header one.\n⟦The regulator needs a heat sink above 500 mA⟧ of load.\nFooter.\n",
    "New intro, longer than before.\nFooter.\nAppendix: the board needs no cooling at all.\n",
    GLS_ANCHOR_ORPHANED },
  { "changed and moved, found by the full search",
    "Header one.\n⟦The regulator needs a heat sink above 500 mA⟧ of load.\nFooter.\n",
    "New intro, longer than before.\nFooter.\nAppendix: ⟦The regulator needs a heatsink above 500 mA⟧!\n",
    GLS_ANCHOR_CHANGED },
  { "short quote, neighbours kept",
    "Press ⟦OK⟧ to continue.",
    "Press ⟦Ok⟧ to continue.",
    GLS_ANCHOR_CHANGED },
  { "short quote, neighbours gone",
    "Press ⟦OK⟧ to continue.",
    "Click Ok, then go on.",
    GLS_ANCHOR_ORPHANED },
  { "one letter changed",
    "Version ⟦7⟧ of the board.",
    "Version 8 of the board.",
    GLS_ANCHOR_ORPHANED },
  { "the whole file",
    "⟦Only this line.⟧",
    "⟦Only this line!⟧",
    GLS_ANCHOR_CHANGED },
  { "long passage, a word changed in its middle",
    "Intro. ⟦" GUIDE_A GUIDE_B GUIDE_C "⟧ Outro.",
    "Intro. ⟦" GUIDE_A "Sort the parts by weight: resistors, capacitors, LEDs, then the chips. " GUIDE_C "⟧ Outro.",
    GLS_ANCHOR_CHANGED },
  { "long passage, its start and end changed",
    "Intro. ⟦" GUIDE_A GUIDE_B GUIDE_C "⟧ Outro.",
    "Intro. ⟦Chack the board for damage and clean the pods with isopropyl alcohol. "
    GUIDE_B "Solder the smallest parts first, so that the bored lies flat!⟧ Outro.",
    GLS_ANCHOR_CHANGED },
  { "long passage deleted",
    "Intro. ⟦" GUIDE_A GUIDE_B GUIDE_C "⟧ Outro.",
    "Intro. Nothing to see. Outro.",
    GLS_ANCHOR_ORPHANED },
  { "empty new version",
    "Some ⟦text⟧ here.",
    "",
    GLS_ANCHOR_ORPHANED },
};

static const AnchorCase unicode_cases[] = {
  { "é and ß, edit before",
    "Die Straße ist breit. Löten Sie ⟦die Größe⟧ zuerst.",
    "Vorab: Die Straße ist sehr breit. Löten Sie ⟦die Größe⟧ zuerst.",
    GLS_ANCHOR_MOVED },
  { "é and ß, edit inside",
    "Löten Sie ⟦die äußeren Maße genau⟧ nach.",
    "Löten Sie ⟦die äusseren Maße genau⟧ nach.",
    GLS_ANCHOR_CHANGED },
  { "é and ß, edit after",
    "Café ⟦crème brûlée⟧ und Spaß.",
    "Café ⟦crème brûlée⟧ und noch mehr Spaß.",
    GLS_ANCHOR_IN_PLACE },
  { "emoji before: one code point each",
    "Done 🎉 ⟦now blink⟧ the LEDs.",
    "Done 🎉🎉🎉 ⟦now blink⟧ the LEDs.",
    GLS_ANCHOR_MOVED },
  { "emoji inside, changed",
    "Result: ⟦four LEDs 🎉 blinking⟧ in turn.",
    "Result: ⟦four LEDs 🎊 blinking⟧ in turn.",
    GLS_ANCHOR_CHANGED },
  { "emoji quoted, edit after",
    "Party ⟦🎉🎊🎈⟧ time.",
    "Party ⟦🎉🎊🎈⟧ time, and more.",
    GLS_ANCHOR_IN_PLACE },
  { "emoji quoted, edit before",
    "Party ⟦🎉🎊🎈⟧ time.",
    "🥳 Party ⟦🎉🎊🎈⟧ time.",
    GLS_ANCHOR_MOVED },
  { "combining: e + U+0301 is two code points",
    "Cafe\xCC\x81 ⟦au lait⟧ please.",
    "Le cafe\xCC\x81 ⟦au lait⟧ please.",
    GLS_ANCHOR_MOVED },
  { "combining: precomposed é decomposed inside",
    "Write ⟦the résumé of the board⟧ here.",
    "Write ⟦the re\xCC\x81sume\xCC\x81 of the board⟧ here.",
    GLS_ANCHOR_CHANGED },
  { "combining mark added before",
    "e ⟦plain text⟧ end",
    "e\xCC\x81\xCC\x81 ⟦plain text⟧ end",
    GLS_ANCHOR_MOVED },
  { "CRLF: a line added before",
    "Line one\r\nLine two\r\n⟦Line three⟧\r\n",
    "Line zero\r\nLine one\r\nLine two\r\n⟦Line three⟧\r\n",
    GLS_ANCHOR_MOVED },
  { "CRLF: a line added after",
    "Line one\r\n⟦Line two\r\nLine three⟧\r\n",
    "Line one\r\n⟦Line two\r\nLine three⟧\r\nLine four\r\n",
    GLS_ANCHOR_IN_PLACE },
  { "CRLF: edit inside, across a line end",
    "Line one\r\n⟦Line two\r\nLine three⟧\r\n",
    "Line one\r\n⟦Line 2\r\nLine three⟧\r\n",
    GLS_ANCHOR_CHANGED },
  { "CRLF to LF: a passage within a line",
    "First line\r\nSecond line\r\nThe ⟦third line⟧ here\r\n",
    "First line\nSecond line\nThe ⟦third line⟧ here\n",
    GLS_ANCHOR_MOVED },
  { "CRLF to LF: a passage across a line end",
    "First line\r\nSecond line\r\n⟦The third line\r\nand the fourth⟧\r\n",
    "First line\nSecond line\n⟦The third line\nand the fourth⟧\n",
    GLS_ANCHOR_CHANGED },
};

static void
test_anchor_ascii (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (ascii_cases); i++)
    check_anchor_case (&ascii_cases[i]);
}

static void
test_anchor_unicode (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (unicode_cases); i++)
    check_anchor_case (&unicode_cases[i]);
}

/* A selector with a position and no quote (another tool's), or neither
 * right. */
static void
test_anchor_position_only (void)
{
  const char *text = "Stra\xC3\x9F" "e 🎉\r\n";
  g_autoptr(GlsTextIndex) index = gls_text_index_new (text, -1);
  struct
  {
    gint64         start, end;
    GlsAnchorState state;
  } cases[] = {
    { 0, 10, GLS_ANCHOR_IN_PLACE },
    { 7, 8, GLS_ANCHOR_IN_PLACE },
    { 10, 10, GLS_ANCHOR_IN_PLACE },
    { 0, 11, GLS_ANCHOR_ORPHANED },
    { 20, 30, GLS_ANCHOR_ORPHANED },
    { -1, -1, GLS_ANCHOR_ORPHANED },
    { 5, 3, GLS_ANCHOR_ORPHANED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GlsSelector) sel = { 0 };
      gint64 start = 42, end = 42;
      GlsAnchorState state;

      gls_selector_init_text (&sel, cases[i].start, cases[i].end, NULL, NULL, NULL);
      state = gls_text_anchor (index, &sel, &start, &end);
      g_assert_cmpint (state, ==, cases[i].state);
      if (state == GLS_ANCHOR_IN_PLACE)
        {
          g_assert_cmpint (start, ==, cases[i].start);
          g_assert_cmpint (end, ==, cases[i].end);
        }
      else
        {
          g_assert_cmpint (start, ==, -1);
          g_assert_cmpint (end, ==, -1);
        }
    }

  /* A quote without a position: found where it is (moved, since it had
   * no place); not a text selector: orphaned. */
  {
    g_auto(GlsSelector) sel = { 0 };
    GlsSelector point = { GLS_SELECTOR_POINT, 0, 1, 2, 0, 0 };
    gint64 start, end;

    gls_selector_init_text (&sel, -1, -1, "🎉", NULL, NULL);
    g_assert_cmpint (gls_text_anchor (index, &sel, &start, &end), ==, GLS_ANCHOR_MOVED);
    g_assert_cmpint (start, ==, 7);
    g_assert_cmpint (end, ==, 8);
    g_assert_cmpint (gls_text_anchor (index, &point, &start, &end), ==, GLS_ANCHOR_ORPHANED);
    g_assert_cmpint (start, ==, -1);
  }

  /* A recorded position that disagrees with the quote: the quote wins. */
  {
    g_auto(GlsSelector) sel = { 0 };
    gint64 start, end;

    gls_selector_init_text (&sel, 2, 40, "Stra", NULL, NULL);
    g_assert_cmpint (gls_text_anchor (index, &sel, &start, &end), ==, GLS_ANCHOR_MOVED);
    g_assert_cmpint (start, ==, 0);
    g_assert_cmpint (end, ==, 4);
  }
}

/* Words that read like a text, the same for every run. */
static GString *
make_words (guint  n_words,
            guint  seed)
{
  static const char *words[] = {
    "the", "board", "solder", "joint", "pad", "resistor", "capacitor", "LED", "cathode",
    "anode", "regulator", "Größe", "Lötzinn", "🎉", "flux", "iron", "tip", "silkscreen",
    "check", "place", "tack", "align", "measure", "voltage", "ground", "pin", "header",
  };
  GString *s = g_string_new (NULL);
  guint32 state = seed;

  for (guint i = 0; i < n_words; i++)
    {
      state = state * 1103515245 + 12345;
      g_string_append (s, words[(state >> 16) % G_N_ELEMENTS (words)]);
      g_string_append_c (s, (i % 13 == 12) ? '\n' : ' ');
    }
  return s;
}

typedef struct
{
  GlsTextIndex      *index;
  const GlsSelector *selectors;
  guint              n;
  gint64            *starts;
} AnchorJob;

static gpointer
anchor_all (gpointer data)
{
  AnchorJob *job = data;

  for (guint i = 0; i < job->n; i++)
    {
      gint64 end;

      gls_text_anchor (job->index, &job->selectors[i], &job->starts[i], &end);
    }
  return NULL;
}

/* An index is shared by threads, which may all be first to need its
 * tables. */
static void
test_anchor_threads (void)
{
  g_autoptr(GString) text = make_words (3000, 3);
  g_autoptr(GString) changed = make_words (3000, 3);
  g_autoptr(GlsTextIndex) old_index = gls_text_index_new (text->str, text->len);
  GlsSelector selectors[40];
  gint64 expected[G_N_ELEMENTS (selectors)];
  gint64 results[4][G_N_ELEMENTS (selectors)];
  GThread *threads[4];

  g_string_insert (changed, 0, "A new first line.\n");
  g_string_insert (changed, changed->len / 2, "Ch-ch-changes ");
  for (guint i = 0; i < G_N_ELEMENTS (selectors); i++)
    {
      gint64 at = gls_text_index_get_length (old_index) / G_N_ELEMENTS (selectors) * i;

      g_assert_true (gls_text_select_range (old_index, at, at + 30, &selectors[i]));
    }

  {
    g_autoptr(GlsTextIndex) index = gls_text_index_new (changed->str, changed->len);

    for (guint i = 0; i < G_N_ELEMENTS (selectors); i++)
      {
        gint64 end;

        gls_text_anchor (index, &selectors[i], &expected[i], &end);
      }
  }

  {
    g_autoptr(GlsTextIndex) index = gls_text_index_new (changed->str, changed->len);
    AnchorJob jobs[4];

    for (guint t = 0; t < 4; t++)
      {
        jobs[t] = (AnchorJob) { index, selectors, G_N_ELEMENTS (selectors), results[t] };
        threads[t] = g_thread_new ("anchor", anchor_all, &jobs[t]);
      }
    for (guint t = 0; t < 4; t++)
      g_thread_join (threads[t]);
  }

  for (guint t = 0; t < 4; t++)
    for (guint i = 0; i < G_N_ELEMENTS (selectors); i++)
      g_assert_cmpint (results[t][i], ==, expected[i]);
  /* Not all in place: the tables were needed. */
  g_assert_cmpint (expected[G_N_ELEMENTS (selectors) - 1], !=, selectors[G_N_ELEMENTS (selectors) - 1].start);

  for (guint i = 0; i < G_N_ELEMENTS (selectors); i++)
    gls_selector_clear (&selectors[i]);
}

/* In a text long enough to be searched in lanes, a changed passage is
 * found wherever it sits, across the lanes' seams too; a long quote is
 * found by its head and tail. */
static void
test_anchor_large (void)
{
  g_autoptr(GString) base = make_words (6000, 7);
  g_autoptr(GlsTextIndex) base_index = gls_text_index_new (base->str, base->len);
  gint64 length = gls_text_index_get_length (base_index);
  gint64 places[] = { 0, length / 4 - 20, length / 4 - 1, length / 2 - 30, 3 * length / 4,
                      length - 60 };

  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    for (guint long_quote = 0; long_quote < 2; long_quote++)
      {
        gint64 qlen = long_quote ? 300 : 40;
        gint64 at = MIN (places[i], length - qlen);
        g_auto(GlsSelector) sel = { 0 };
        g_autoptr(GString) changed = NULL;
        g_autoptr(GlsTextIndex) index = NULL;
        gsize from, to, mid;
        gint64 start, end;
        GlsAnchorState state;

        g_assert_true (gls_text_select_range (base_index, at, at + qlen, &sel));

        /* The new version: 500 code points of other words at the start,
         * the passage's middle changed, and its context gone. */
        changed = make_words (100, 99);
        g_string_append_len (changed, base->str, base->len);
        from = changed->len - base->len + gls_text_index_to_byte (base_index, at);
        to = changed->len - base->len + gls_text_index_to_byte (base_index, at + qlen);
        mid = from + (to - from) / 2;
        while ((changed->str[mid] & 0xC0) == 0x80)
          mid++;
        g_string_insert (changed, mid, "XYZ");
        g_string_insert (changed, to + 3, "§§§§§§§§");
        if (from > 0)
          g_string_insert (changed, from, "¶¶¶¶¶¶¶¶");
        index = gls_text_index_new (changed->str, changed->len);

        state = gls_text_anchor (index, &sel, &start, &end);
        g_test_message ("at %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT " code points: %s",
                        at, qlen, state_names[state]);
        g_assert_cmpint (state, ==, GLS_ANCHOR_CHANGED);
        {
          gsize b_start = gls_text_index_to_byte (index, start);
          gsize b_end = gls_text_index_to_byte (index, end);
          g_autofree char *found = g_strndup (changed->str + b_start, b_end - b_start);
          g_autoptr(GString) want = g_string_new (sel.exact);

          g_string_insert (want, mid - from, "XYZ");
          g_assert_cmpstr (found, ==, want->str);
        }
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/text/decode", test_decode);
  g_test_add_func ("/core/text/index", test_index);
  g_test_add_func ("/core/text/select-range", test_select_range);
  g_test_add_func ("/core/text/select-quote", test_select_quote);
  g_test_add_func ("/core/text/anchor/ascii", test_anchor_ascii);
  g_test_add_func ("/core/text/anchor/unicode", test_anchor_unicode);
  g_test_add_func ("/core/text/anchor/position-only", test_anchor_position_only);
  g_test_add_func ("/core/text/anchor/large", test_anchor_large);
  g_test_add_func ("/core/text/anchor/threads", test_anchor_threads);
  g_test_add_func ("/core/text/w3c-round-trip", test_w3c_round_trip);
  g_test_add_func ("/core/text/w3c-import-foreign", test_w3c_import_foreign);
  g_test_add_func ("/core/text/format-example", test_format_example);

  return g_test_run ();
}
