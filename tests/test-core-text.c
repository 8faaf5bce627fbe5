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
  written_node = json_node_init_object (json_node_alloc (), json_object_ref (written));
  g_assert_true (json_node_equal (written_node, node));
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
  g_test_add_func ("/core/text/w3c-round-trip", test_w3c_round_trip);
  g_test_add_func ("/core/text/w3c-import-foreign", test_w3c_import_foreign);
  g_test_add_func ("/core/text/format-example", test_format_example);

  return g_test_run ();
}
