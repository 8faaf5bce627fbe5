/* test-core-design.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gls-design.h"

#define ALICE "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"

static const guint8 png_bytes[] = {
  0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
};

static void
test_ni_uri (void)
{
  /* RFC 6920 section 3 example: the SHA-256 of "Hello World!". */
  g_autoptr(GBytes) hello = g_bytes_new_static ("Hello World!", 12);
  g_autofree char *ni = gls_ni_uri_for_bytes (hello);
  g_autofree char *hex = gls_sha256_for_bytes (hello);
  g_autofree char *from_hex = gls_ni_uri_for_sha256 (hex);

  g_assert_cmpstr (ni, ==, "ni:///sha-256;f4OxZX_x_FO5LcGBSKHWXfwtSx-j1ncoSt3SABJtkGk");
  g_assert_cmpstr (hex, ==, "7f83b1657ff1fc53b92dc18148a1d65dfc2d4b1fa3d677284addd200126d9069");
  g_assert_cmpstr (from_hex, ==, ni);
}

static void
test_media_type (void)
{
  g_autoptr(GBytes) png = g_bytes_new_static (png_bytes, sizeof png_bytes);
  g_autoptr(GBytes) jpeg = g_bytes_new_static ("\xff\xd8\xff\xe0\0\x10JFIF", 10);
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.7\n", 9);
  g_autoptr(GBytes) svg = g_bytes_new_static ("<?xml version=\"1.0\"?>\n<svg xmlns="
                                              "\"http://www.w3.org/2000/svg\"/>", 59);
  g_autoptr(GBytes) text = g_bytes_new_static ("hello", 5);
  struct { const char *name; GBytes *data; const char *mime; GlsDesignKind kind; } cases[] = {
    /* Content wins over a misleading name. */
    { "board.jpg", png, "image/png", GLS_DESIGN_KIND_RASTER },
    { "photo", jpeg, "image/jpeg", GLS_DESIGN_KIND_RASTER },
    { "datasheet.bin", pdf, "application/pdf", GLS_DESIGN_KIND_PDF },
    { "logo", svg, "image/svg+xml", GLS_DESIGN_KIND_SVG },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *mime = gls_detect_media_type (cases[i].name, cases[i].data);

      g_assert_cmpstr (mime, ==, cases[i].mime);
      g_assert_cmpint (gls_design_kind_for_media_type (mime), ==, cases[i].kind);
    }

  /* Text designs by their name, whatever shared-mime-info says. */
  {
    struct { const char *name; const char *mime; GlsDesignKind kind; } texts[] = {
      { "notes.txt", "text/plain", GLS_DESIGN_KIND_TEXT },
      { "GUIDE.MD", "text/markdown", GLS_DESIGN_KIND_TEXT },
      { "guide.markdown", "text/markdown", GLS_DESIGN_KIND_TEXT },
      { "de.po", "text/x-gettext-translation", GLS_DESIGN_KIND_TRANSLATION },
      { "glossa.pot", "text/x-gettext-translation-template", GLS_DESIGN_KIND_TRANSLATION },
    };

    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      {
        g_autofree char *mime = gls_detect_media_type (texts[i].name, text);

        g_assert_cmpstr (mime, ==, texts[i].mime);
        g_assert_cmpint (gls_design_kind_for_media_type (mime), ==, texts[i].kind);
      }
  }
  {
    g_autoptr(GBytes) binary = g_bytes_new_static ("\x00\x01\x02\xff\xfe", 5);
    g_autofree char *mime = gls_detect_media_type ("firmware.bin", binary);

    g_assert_cmpint (gls_design_kind_for_media_type (mime), ==, GLS_DESIGN_KIND_OTHER);
    g_assert_nonnull (strchr (mime, '/'));
  }
  g_assert_cmpint (gls_design_kind_for_media_type ("image/webp"), ==, GLS_DESIGN_KIND_RASTER);
}

static void
test_round_trip (void)
{
  g_autoptr(GBytes) png = g_bytes_new_static (png_bytes, sizeof png_bytes);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlsDesign) v1 = NULL;
  g_autoptr(GlsDesign) v2 = NULL;
  g_autoptr(GlsDesign) back = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *ni = gls_ni_uri_for_bytes (png);

  v1 = gls_design_new_for_bytes ("board.png", NULL, png, NULL, ALICE, "Alice",
                                 "2026-11-23T10:00:00.000000Z", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (gls_design_get_id (v1), "urn:uuid:"));
  g_assert_cmpstr (gls_design_get_source (v1), ==, ni);
  g_assert_cmpstr (gls_design_get_media_type (v1), ==, "image/png");
  g_assert_cmpuint (gls_design_get_size (v1), ==, sizeof png_bytes);
  g_assert_cmpstr (gls_design_get_license (v1), ==, "https://creativecommons.org/licenses/by/4.0/");
  g_assert_null (gls_design_get_based_on (v1));

  v2 = gls_design_new_for_bytes ("board.png", "image/png", png, NULL, ALICE, "Alice",
                                 NULL, gls_design_get_id (v1), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gls_design_get_based_on (v2), ==, gls_design_get_id (v1));
  g_assert_cmpstr (gls_design_get_id (v2), !=, gls_design_get_id (v1));

  doc = gls_design_to_json (v2);
  g_assert_cmpstr (json_object_get_string_member (doc, "@type"), ==, "ImageObject");
  g_assert_cmpstr (json_object_get_string_member (doc, "identifier"), ==, ni);
  g_assert_false (json_object_has_member (doc, "_attachments"));
  g_assert_true (gls_design_json_is_design (doc));

  /* Store fields are ignored on the way back. */
  json_object_set_string_member (doc, "_rev", "1-0123456789abcdef0123456789abcdef");
  json_object_set_object_member (doc, "_attachments", json_object_new ());
  back = gls_design_new_from_json (doc, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gls_design_get_id (back), ==, gls_design_get_id (v2));
  g_assert_cmpstr (gls_design_get_source (back), ==, ni);
  g_assert_cmpstr (gls_design_get_sha256 (back), ==, gls_design_get_sha256 (v2));
  g_assert_cmpstr (gls_design_get_author_id (back), ==, ALICE);
  g_assert_cmpstr (gls_design_get_author_name (back), ==, "Alice");
  g_assert_cmpstr (gls_design_get_date_created (back), ==, gls_design_get_date_created (v2));
  g_assert_cmpstr (gls_design_get_based_on (back), ==, gls_design_get_id (v1));
  g_assert_cmpint (gls_design_get_kind (back), ==, GLS_DESIGN_KIND_RASTER);
  g_assert_cmpuint (gls_design_get_size (back), ==, sizeof png_bytes);
}

static void
test_pdf_type (void)
{
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.7\n", 9);
  g_autoptr(GlsDesign) d = gls_design_new_for_bytes ("sheet.pdf", NULL, pdf, NULL, ALICE, NULL,
                                                     NULL, NULL, NULL);
  g_autoptr(JsonObject) doc = gls_design_to_json (d);

  g_assert_cmpint (gls_design_get_kind (d), ==, GLS_DESIGN_KIND_PDF);
  g_assert_cmpstr (json_object_get_string_member (doc, "@type"), ==, "DigitalDocument");
  g_assert_cmpstr (json_object_get_string_member (doc, "contentSize"), ==, "9");
}

static void
test_invalid (void)
{
  g_autoptr(GBytes) png = g_bytes_new_static (png_bytes, sizeof png_bytes);
  g_autoptr(GlsDesign) good = gls_design_new_for_bytes ("board.png", NULL, png, NULL, ALICE,
                                                        "Alice", NULL, NULL, NULL);
  static const struct { const char *member; const char *json; const char *field; } bad[] = {
    { "@type", "\"Photograph\"", "@type" },
    { "name", "\"\"", "name" },
    { "name", "42", "name" },
    { "encodingFormat", "\"png\"", "encodingFormat" },
    { "sha256", "\"ABCDEF\"", "sha256" },
    { "identifier", "\"ni:///sha-256;AAAA\"", "identifier" },
    { "contentSize", "\"big\"", "contentSize" },
    { "license", "\"CC BY\"", "license" },
    { "author", "\"Alice\"", "author" },
    { "dateCreated", "\"last Tuesday\"", "dateCreated" },
    { "isBasedOn", "\"not an iri\"", "isBasedOn" },
    { "@context", "\"https://example.org\"", "@context" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) doc = gls_design_to_json (good);
      g_autoptr(JsonNode) value = json_from_string (bad[i].json, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GlsDesign) d = NULL;
      g_autofree char *expected = g_strdup_printf ("Design “%s”: field “%s”:",
                                                   gls_design_get_id (good), bad[i].field);

      json_object_set_member (doc, bad[i].member, g_steal_pointer (&value));
      d = gls_design_new_from_json (doc, &error);
      g_assert_null (d);
      g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, expected));
    }

  {
    g_autoptr(JsonObject) doc = gls_design_to_json (good);
    g_autoptr(GError) error = NULL;
    g_autoptr(GlsDesign) d = NULL;

    json_object_remove_member (doc, "sha256");
    d = gls_design_new_from_json (doc, &error);
    g_assert_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "field “sha256”: missing"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/design/ni-uri", test_ni_uri);
  g_test_add_func ("/core/design/media-type", test_media_type);
  g_test_add_func ("/core/design/round-trip", test_round_trip);
  g_test_add_func ("/core/design/pdf", test_pdf_type);
  g_test_add_func ("/core/design/invalid", test_invalid);

  return g_test_run ();
}
