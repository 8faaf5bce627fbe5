/* test-core-selector.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "gls-selector.h"
#include "gls-types.h"

static void
assert_round_trip (const GlsSelector *sel,
                   const char        *expected_value,
                   const char        *expected_conforms)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  const char *conforms = NULL;
  GlsSelector back;

  value = gls_selector_to_fragment (sel, &conforms);
  g_assert_cmpstr (value, ==, expected_value);
  g_assert_cmpstr (conforms, ==, expected_conforms);

  g_assert_true (gls_selector_parse_fragment (value, conforms, &back, &error));
  g_assert_no_error (error);
  g_assert_true (gls_selector_equal (sel, &back));
}

static void
test_round_trip (void)
{
  GlsSelector point = { GLS_SELECTOR_POINT, 0, 120, 48, 0, 0 };
  GlsSelector rect = { GLS_SELECTOR_RECT, 0, 10, 20, 300, 150 };
  GlsSelector frac = { GLS_SELECTOR_RECT, 0, 10.5, 0.25, 0.1, 1e-3 };
  GlsSelector third = { GLS_SELECTOR_POINT, 0, 1.0 / 3.0, 2.0 / 3.0, 0, 0 };
  GlsSelector pdf_rect = { GLS_SELECTOR_RECT, 3, 72, 144, 200.5, 100 };
  GlsSelector pdf_point = { GLS_SELECTOR_POINT, 1, 36, 36, 0, 0 };
  GlsSelector pdf_page = { GLS_SELECTOR_NONE, 12, 0, 0, 0, 0 };
  GlsSelector whole = { GLS_SELECTOR_NONE, 0, 0, 0, 0, 0 };
  const char *conforms = "x";
  char *none;

  assert_round_trip (&point, "xywh=120,48,0,0", GLS_MEDIA_FRAGMENTS_IRI);
  assert_round_trip (&rect, "xywh=10,20,300,150", GLS_MEDIA_FRAGMENTS_IRI);
  assert_round_trip (&frac, "xywh=10.5,0.25,0.1,0.001", GLS_MEDIA_FRAGMENTS_IRI);
  assert_round_trip (&pdf_rect, "page=3&viewrect=72,144,200.5,100", GLS_RFC3778_IRI);
  assert_round_trip (&pdf_point, "page=1&viewrect=36,36,0,0", GLS_RFC3778_IRI);
  assert_round_trip (&pdf_page, "page=12", GLS_RFC3778_IRI);

  /* Not representable in 15 digits: still exact. */
  {
    g_autofree char *value = gls_selector_to_fragment (&third, NULL);
    GlsSelector back;

    g_assert_true (gls_selector_parse_fragment (value, NULL, &back, NULL));
    g_assert_true (gls_selector_equal (&third, &back));
  }

  /* Numbers %g writes with an exponent are written as plain decimals,
   * which the parser takes (found by tests/fuzz/fuzz-w3c: an imported
   * xywh=4555…5512 was written 4.5555555555555557e+98, and refused when
   * read back). */
  {
    GlsSelector tiny = { GLS_SELECTOR_RECT, 0, 0.00001, 1.5e-7, 1e15, 4.5555555555555557e+98 };
    g_autofree char *value = gls_selector_to_fragment (&tiny, NULL);
    GlsSelector back;

    g_assert_cmpstr (value, ==, "xywh=0.00001,0.00000015,1000000000000000,"
                     "455555555555555570000000000000000000000000000000000000000000000000"
                     "000000000000000000000000000000000");
    g_assert_true (gls_selector_parse_fragment (value, NULL, &back, NULL));
    g_assert_true (gls_selector_equal (&tiny, &back));
  }

  none = gls_selector_to_fragment (&whole, &conforms);
  g_assert_null (none);
  g_assert_null (conforms);
}

static void
test_locale_independent (void)
{
  GlsSelector frac = { GLS_SELECTOR_RECT, 0, 10.5, 2.25, 3, 4 };
  g_autofree char *value = NULL;
  GlsSelector back;

  /* A decimal comma locale must not leak into the wire format. */
  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL &&
      setlocale (LC_NUMERIC, "fr_FR.UTF-8") == NULL)
    {
      g_test_skip ("no locale with a decimal comma installed");
      return;
    }

  value = gls_selector_to_fragment (&frac, NULL);
  g_assert_cmpstr (value, ==, "xywh=10.5,2.25,3,4");
  g_assert_true (gls_selector_parse_fragment (value, NULL, &back, NULL));
  g_assert_true (gls_selector_equal (&frac, &back));
  setlocale (LC_NUMERIC, "C");
}

static void
test_parse_variants (void)
{
  g_autoptr(GError) error = NULL;
  GlsSelector sel;

  g_assert_true (gls_selector_parse_fragment ("xywh=pixel:1,2,3,4", GLS_MEDIA_FRAGMENTS_IRI,
                                              &sel, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sel.kind, ==, GLS_SELECTOR_RECT);
  g_assert_cmpuint (sel.page, ==, 0);
  g_assert_cmpfloat (sel.x, ==, 1);
  g_assert_cmpfloat (sel.height, ==, 4);

  /* conformsTo may be absent: the value says which it is. */
  g_assert_true (gls_selector_parse_fragment ("xywh=5,6,0,0", NULL, &sel, &error));
  g_assert_cmpint (sel.kind, ==, GLS_SELECTOR_POINT);
  g_assert_true (gls_selector_parse_fragment ("page=2&viewrect=1,2,3,4", NULL, &sel, &error));
  g_assert_cmpint (sel.kind, ==, GLS_SELECTOR_RECT);
  g_assert_cmpuint (sel.page, ==, 2);
  g_assert_true (gls_selector_parse_fragment ("viewrect=1,2,3,4&page=7", GLS_RFC3778_IRI,
                                              &sel, &error));
  g_assert_cmpuint (sel.page, ==, 7);
  g_assert_no_error (error);
}

static void
test_parse_errors (void)
{
  static const struct {
    const char *value;
    const char *conforms;
    int         code;
    const char *message_part;
  } bad[] = {
    { "xywh=percent:10,10,50,50", GLS_MEDIA_FRAGMENTS_IRI, GLS_CORE_ERROR_UNSUPPORTED, "Percent" },
    { "xywh=1,2,3", GLS_MEDIA_FRAGMENTS_IRI, GLS_CORE_ERROR_INVALID, "four numbers" },
    { "xywh=1,2,3,4,5", NULL, GLS_CORE_ERROR_INVALID, "four numbers" },
    { "xywh=-1,2,3,4", NULL, GLS_CORE_ERROR_INVALID, "-1" },
    { "xywh=1,2,abc,4", NULL, GLS_CORE_ERROR_INVALID, "abc" },
    { "xywh=1,2,inf,4", NULL, GLS_CORE_ERROR_INVALID, "inf" },
    { "xywh=1,2,1e3,4", NULL, GLS_CORE_ERROR_INVALID, "1e3" },
    { "xywh=1,,3,4", NULL, GLS_CORE_ERROR_INVALID, "xywh" },
    { "t=10,20", GLS_MEDIA_FRAGMENTS_IRI, GLS_CORE_ERROR_UNSUPPORTED, "t=10,20" },
    { "page=0", GLS_RFC3778_IRI, GLS_CORE_ERROR_INVALID, "page=0" },
    { "page=x", GLS_RFC3778_IRI, GLS_CORE_ERROR_INVALID, "page=x" },
    { "viewrect=1,2,3,4", GLS_RFC3778_IRI, GLS_CORE_ERROR_INVALID, "no page" },
    { "page=1&zoom=200", GLS_RFC3778_IRI, GLS_CORE_ERROR_UNSUPPORTED, "zoom" },
    { "page=1&page=2", GLS_RFC3778_IRI, GLS_CORE_ERROR_INVALID, "page=2" },
    { "page=1&viewrect=1,2,3,4&viewrect=1,2,3,4", GLS_RFC3778_IRI, GLS_CORE_ERROR_INVALID, "twice" },
    { "xywh=1,2,3,4", "http://example.org/other-spec", GLS_CORE_ERROR_UNSUPPORTED, "other-spec" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      GlsSelector sel = { GLS_SELECTOR_RECT, 9, 9, 9, 9, 9 };
      GlsSelector untouched = sel;

      g_test_message ("value %s", bad[i].value);
      g_assert_false (gls_selector_parse_fragment (bad[i].value, bad[i].conforms, &sel, &error));
      g_assert_error (error, GLS_CORE_ERROR, bad[i].code);
      g_assert_nonnull (strstr (error->message, bad[i].message_part));
      /* A failed parse leaves the output alone. */
      g_assert_true (gls_selector_equal (&sel, &untouched));
    }
}

static void
test_boxed (void)
{
  GlsSelector rect = { GLS_SELECTOR_RECT, 2, 1, 2, 3, 4 };
  GlsSelector other = rect;
  g_autoptr(GlsSelector) copy = gls_selector_copy (&rect);
  GValue value = G_VALUE_INIT;

  g_assert_true (gls_selector_equal (&rect, copy));
  other.width = 3.5;
  g_assert_false (gls_selector_equal (&rect, &other));
  other = rect;
  other.page = 1;
  g_assert_false (gls_selector_equal (&rect, &other));
  g_assert_true (gls_selector_equal (NULL, NULL));
  g_assert_false (gls_selector_equal (&rect, NULL));

  g_value_init (&value, GLS_TYPE_SELECTOR);
  g_value_set_boxed (&value, &rect);
  g_assert_true (gls_selector_equal (g_value_get_boxed (&value), &rect));
  g_value_unset (&value);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/selector/round-trip", test_round_trip);
  g_test_add_func ("/core/selector/locale-independent", test_locale_independent);
  g_test_add_func ("/core/selector/parse-variants", test_parse_variants);
  g_test_add_func ("/core/selector/parse-errors", test_parse_errors);
  g_test_add_func ("/core/selector/boxed", test_boxed);

  return g_test_run ();
}
