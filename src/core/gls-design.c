/* gls-design.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-design"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "gls-design.h"
#include "gls-hlc.h"
#include "gls-json-private.h"

#define NI_PREFIX "ni:///sha-256;"

struct _GlsDesign
{
  GObject   parent_instance;

  char     *id;
  char     *source;
  char     *name;
  char     *media_type;
  guint64   size;
  char     *sha256;
  char     *license;
  char     *author_id;
  char     *author_name;
  char     *date_created;
  char     *based_on;
};

G_DEFINE_FINAL_TYPE (GlsDesign, gls_design, G_TYPE_OBJECT)

static void
gls_design_finalize (GObject *object)
{
  GlsDesign *self = GLS_DESIGN (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->media_type, g_free);
  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->license, g_free);
  g_clear_pointer (&self->author_id, g_free);
  g_clear_pointer (&self->author_name, g_free);
  g_clear_pointer (&self->date_created, g_free);
  g_clear_pointer (&self->based_on, g_free);

  G_OBJECT_CLASS (gls_design_parent_class)->finalize (object);
}

static void
gls_design_class_init (GlsDesignClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gls_design_finalize;
}

static void
gls_design_init (GlsDesign *self)
{
}

static gboolean
sha256_is_valid (const char *hex)
{
  if (hex == NULL || strlen (hex) != 64)
    return FALSE;

  for (const char *p = hex; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;

  return TRUE;
}

static gboolean
media_type_is_valid (const char *media_type)
{
  const char *slash;

  if (media_type == NULL)
    return FALSE;

  slash = strchr (media_type, '/');
  return slash != NULL && slash != media_type && slash[1] != '\0' &&
         strchr (slash + 1, '/') == NULL && strpbrk (media_type, " \t\r\n;,") == NULL;
}

char *
gls_ni_uri_for_sha256 (const char *sha256_hex)
{
  guint8 digest[32];
  g_autofree char *b64 = NULL;
  gsize len;

  g_return_val_if_fail (sha256_is_valid (sha256_hex), NULL);

  for (guint i = 0; i < 32; i++)
    digest[i] = g_ascii_xdigit_value (sha256_hex[2 * i]) << 4 |
                g_ascii_xdigit_value (sha256_hex[2 * i + 1]);

  /* RFC 6920: base64url, no padding. */
  b64 = g_base64_encode (digest, sizeof digest);
  for (char *p = b64; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
    }
  len = strlen (b64);
  while (len > 0 && b64[len - 1] == '=')
    b64[--len] = '\0';

  return g_strconcat (NI_PREFIX, b64, NULL);
}

char *
gls_sha256_for_bytes (GBytes *data)
{
  g_return_val_if_fail (data != NULL, NULL);

  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, data);
}

char *
gls_ni_uri_for_bytes (GBytes *data)
{
  g_autofree char *hex = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  hex = gls_sha256_for_bytes (data);
  return gls_ni_uri_for_sha256 (hex);
}

char *
gls_detect_media_type (const char *filename,
                       GBytes     *data)
{
  g_autofree char *content_type = NULL;
  g_autofree char *mime = NULL;
  const guchar *bytes = NULL;
  gsize len = 0;
  gboolean uncertain = FALSE;

  if (data != NULL)
    bytes = g_bytes_get_data (data, &len);

  /* Magic numbers first: they do not depend on the shared-mime-info
   * database being installed. */
  if (len >= 8 && memcmp (bytes, "\x89PNG\r\n\x1a\n", 8) == 0)
    return g_strdup ("image/png");
  if (len >= 3 && memcmp (bytes, "\xff\xd8\xff", 3) == 0)
    return g_strdup ("image/jpeg");
  if (len >= 5 && memcmp (bytes, "%PDF-", 5) == 0)
    return g_strdup ("application/pdf");
  if (len > 0)
    {
      gsize head = MIN (len, 1024);
      g_autofree char *start = g_strndup ((const char *) bytes, head);

      if (strstr (start, "<svg") != NULL)
        return g_strdup ("image/svg+xml");
    }

  /* Text designs by their name: shared-mime-info may not be installed,
   * and it calls a Markdown file text/plain on some systems. */
  if (filename != NULL)
    {
      static const struct { const char *suffix; const char *type; } text_types[] = {
        { ".md", "text/markdown" },
        { ".markdown", "text/markdown" },
        { ".txt", "text/plain" },
        { ".po", "text/x-gettext-translation" },
        { ".pot", "text/x-gettext-translation-template" },
      };
      g_autofree char *lower = g_ascii_strdown (filename, -1);

      for (guint i = 0; i < G_N_ELEMENTS (text_types); i++)
        if (g_str_has_suffix (lower, text_types[i].suffix))
          return g_strdup (text_types[i].type);
    }

  content_type = g_content_type_guess (filename, bytes, MIN (len, 4096), &uncertain);
  if (content_type != NULL)
    mime = g_content_type_get_mime_type (content_type);

  if (mime != NULL && media_type_is_valid (mime))
    return g_steal_pointer (&mime);

  return g_strdup ("application/octet-stream");
}

GlsDesignKind
gls_design_kind_for_media_type (const char *media_type)
{
  if (media_type == NULL)
    return GLS_DESIGN_KIND_OTHER;
  if (g_str_equal (media_type, "application/pdf"))
    return GLS_DESIGN_KIND_PDF;
  if (g_str_equal (media_type, "image/svg+xml"))
    return GLS_DESIGN_KIND_SVG;
  if (g_str_has_prefix (media_type, "image/"))
    return GLS_DESIGN_KIND_RASTER;
  if (g_str_equal (media_type, "text/x-gettext-translation") ||
      g_str_equal (media_type, "text/x-gettext-translation-template") ||
      g_str_equal (media_type, "text/x-po") ||
      g_str_equal (media_type, "application/x-gettext"))
    return GLS_DESIGN_KIND_TRANSLATION;
  if (g_str_equal (media_type, "text/plain") || g_str_equal (media_type, "text/markdown") ||
      g_str_equal (media_type, "text/x-markdown"))
    return GLS_DESIGN_KIND_TEXT;
  return GLS_DESIGN_KIND_OTHER;
}

static gboolean
check_values (const char  *label,
              const char  *name,
              const char  *media_type,
              const char  *sha256,
              const char  *license,
              const char  *author_id,
              const char  *date_created,
              const char  *based_on,
              GError     **error)
{
  if (name == NULL || *name == '\0')
    _gls_field_error (error, label, "name", _("missing"));
  /* A file name comes in the file system's bytes; a document holds UTF-8. */
  else if (!g_utf8_validate (name, -1, NULL))
    _gls_field_error (error, label, "name", _("not valid UTF-8"));
  else if (!media_type_is_valid (media_type))
    _gls_field_error (error, label, "encodingFormat", _("“%s” is not a MIME type"),
                      media_type ? media_type : "");
  else if (!sha256_is_valid (sha256))
    _gls_field_error (error, label, "sha256", _("must be 64 lowercase hex digits"));
  else if (!_gls_iri_is_valid (license))
    _gls_field_error (error, label, "license", _("“%s” is not an absolute IRI"),
                      license ? license : "");
  else if (!_gls_iri_is_valid (author_id))
    _gls_field_error (error, label, "author.@id", _("“%s” is not an absolute IRI"),
                      author_id ? author_id : "");
  else if (!gls_timestamp_parse (date_created, NULL))
    _gls_field_error (error, label, "dateCreated",
                      _("“%s” is not an xsd:dateTime with a time zone"),
                      date_created ? date_created : "");
  else if (based_on != NULL && !_gls_iri_is_valid (based_on))
    _gls_field_error (error, label, "isBasedOn", _("“%s” is not an absolute IRI"), based_on);
  else
    return TRUE;

  return FALSE;
}

GlsDesign *
gls_design_new_for_file_info (const char  *name,
                              const char  *media_type,
                              guint64      size,
                              const char  *sha256,
                              const char  *license,
                              const char  *author_id,
                              const char  *author_name,
                              const char  *date_created,
                              const char  *based_on,
                              GError     **error)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *id = g_strconcat ("urn:uuid:", uuid, NULL);
  g_autofree char *label = g_strdup_printf (_("Design “%s”"), id);
  g_autofree char *now = NULL;
  GlsDesign *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (license == NULL)
    license = GLS_DEFAULT_LICENSE;
  if (date_created == NULL)
    date_created = now = gls_timestamp_format (g_get_real_time ());

  if (!check_values (label, name, media_type, sha256, license, author_id, date_created,
                     based_on, error))
    return NULL;

  self = g_object_new (GLS_TYPE_DESIGN, NULL);
  self->id = g_steal_pointer (&id);
  self->name = g_strdup (name);
  self->media_type = g_strdup (media_type);
  self->size = size;
  self->sha256 = g_strdup (sha256);
  self->source = gls_ni_uri_for_sha256 (sha256);
  self->license = g_strdup (license);
  self->author_id = g_strdup (author_id);
  self->author_name = g_strdup (author_name);
  self->date_created = g_strdup (date_created);
  self->based_on = g_strdup (based_on);

  return self;
}

GlsDesign *
gls_design_new_for_bytes (const char  *name,
                          const char  *media_type,
                          GBytes      *data,
                          const char  *license,
                          const char  *author_id,
                          const char  *author_name,
                          const char  *date_created,
                          const char  *based_on,
                          GError     **error)
{
  g_autofree char *sha256 = NULL;
  g_autofree char *detected = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  sha256 = gls_sha256_for_bytes (data);
  if (media_type == NULL)
    media_type = detected = gls_detect_media_type (name, data);

  return gls_design_new_for_file_info (name, media_type, g_bytes_get_size (data), sha256,
                                       license, author_id, author_name, date_created,
                                       based_on, error);
}

static gboolean
parse_size (JsonObject  *doc,
            const char  *label,
            guint64     *size,
            GError     **error)
{
  JsonNode *node = json_object_get_member (doc, "contentSize");

  if (node == NULL)
    {
      _gls_field_error (error, label, "contentSize", _("missing"));
      return FALSE;
    }

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64 &&
      json_node_get_int (node) >= 0)
    {
      *size = json_node_get_int (node);
      return TRUE;
    }

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
      g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, G_MAXUINT64, size, NULL))
    return TRUE;

  _gls_field_error (error, label, "contentSize", _("must be a number of bytes in a string"));
  return FALSE;
}

GlsDesign *
gls_design_new_from_json (JsonObject  *doc,
                          GError     **error)
{
  g_autoptr(GlsDesign) self = NULL;
  g_autofree char *label = NULL;
  g_autofree char *expected_source = NULL;
  const char *id, *context, *type, *name, *format, *sha256, *identifier, *license;
  const char *author_type, *author_id, *author_name, *date_created, *based_on;
  JsonObject *author;
  guint64 size = 0;

  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  id = _gls_json_peek_string (doc, "_id");
  label = g_strdup_printf (_("Design “%s”"), id ? id : "(no id)");

  if (!_gls_json_string_member (doc, "_id", FALSE, label, "_id", &id, error) ||
      !_gls_json_string_member (doc, "@context", FALSE, label, "@context", &context, error) ||
      !_gls_json_string_member (doc, "@type", FALSE, label, "@type", &type, error))
    return NULL;

  if (!g_str_equal (context, "https://schema.org") &&
      !g_str_equal (context, "http://schema.org") &&
      !g_str_equal (context, "https://schema.org/") &&
      !g_str_equal (context, "http://schema.org/"))
    {
      _gls_field_error (error, label, "@context", _("must be “%s”"), GLS_SCHEMA_CONTEXT);
      return NULL;
    }
  if (!g_str_equal (type, "ImageObject") && !g_str_equal (type, "DigitalDocument"))
    {
      _gls_field_error (error, label, "@type",
                        _("must be ImageObject or DigitalDocument, not “%s”"), type);
      return NULL;
    }

  if (!_gls_json_string_member (doc, "name", FALSE, label, "name", &name, error) ||
      !_gls_json_string_member (doc, "encodingFormat", FALSE, label, "encodingFormat", &format,
                                error) ||
      !parse_size (doc, label, &size, error) ||
      !_gls_json_string_member (doc, "sha256", FALSE, label, "sha256", &sha256, error) ||
      !_gls_json_string_member (doc, "identifier", FALSE, label, "identifier", &identifier,
                                error) ||
      !_gls_json_iri_member (doc, "license", FALSE, label, "license", &license, error) ||
      !_gls_json_object_member (doc, "author", FALSE, label, "author", &author, error) ||
      !_gls_json_string_member (author, "@type", TRUE, label, "author.@type", &author_type,
                                error) ||
      !_gls_json_iri_member (author, "@id", FALSE, label, "author.@id", &author_id, error) ||
      !_gls_json_string_member (author, "name", TRUE, label, "author.name", &author_name,
                                error) ||
      !_gls_json_string_member (doc, "dateCreated", FALSE, label, "dateCreated", &date_created,
                                error) ||
      !_gls_json_iri_member (doc, "isBasedOn", TRUE, label, "isBasedOn", &based_on, error))
    return NULL;

  if (!check_values (label, name, format, sha256, license, author_id, date_created, based_on,
                     error))
    return NULL;

  expected_source = gls_ni_uri_for_sha256 (sha256);
  if (!g_str_equal (identifier, expected_source))
    {
      _gls_field_error (error, label, "identifier", _("“%s” is not the ni URI of the sha256 (%s)"),
                        identifier, expected_source);
      return NULL;
    }

  self = g_object_new (GLS_TYPE_DESIGN, NULL);
  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->media_type = g_strdup (format);
  self->size = size;
  self->sha256 = g_strdup (sha256);
  self->source = g_steal_pointer (&expected_source);
  self->license = g_strdup (license);
  self->author_id = g_strdup (author_id);
  self->author_name = g_strdup (author_name);
  self->date_created = g_strdup (date_created);
  self->based_on = g_strdup (based_on);

  return g_steal_pointer (&self);
}

JsonObject *
gls_design_to_json (GlsDesign *self)
{
  JsonObject *doc, *author;
  g_autofree char *size = NULL;

  g_return_val_if_fail (GLS_IS_DESIGN (self), NULL);

  size = g_strdup_printf ("%" G_GUINT64_FORMAT, self->size);

  doc = json_object_new ();
  json_object_set_string_member (doc, "_id", self->id);
  json_object_set_string_member (doc, "@context", GLS_SCHEMA_CONTEXT);
  json_object_set_string_member (doc, "@type",
                                 gls_design_get_kind (self) == GLS_DESIGN_KIND_RASTER ||
                                 gls_design_get_kind (self) == GLS_DESIGN_KIND_SVG
                                   ? "ImageObject" : "DigitalDocument");
  json_object_set_string_member (doc, "name", self->name);
  json_object_set_string_member (doc, "encodingFormat", self->media_type);
  json_object_set_string_member (doc, "contentSize", size);
  json_object_set_string_member (doc, "sha256", self->sha256);
  json_object_set_string_member (doc, "identifier", self->source);
  json_object_set_string_member (doc, "license", self->license);

  author = json_object_new ();
  json_object_set_string_member (author, "@type", "Person");
  json_object_set_string_member (author, "@id", self->author_id);
  if (self->author_name != NULL)
    json_object_set_string_member (author, "name", self->author_name);
  json_object_set_object_member (doc, "author", author);

  json_object_set_string_member (doc, "dateCreated", self->date_created);
  if (self->based_on != NULL)
    json_object_set_string_member (doc, "isBasedOn", self->based_on);

  return doc;
}

gboolean
gls_design_json_is_design (JsonObject *doc)
{
  const char *type;

  g_return_val_if_fail (doc != NULL, FALSE);

  type = _gls_json_peek_string (doc, "@type");
  return g_strcmp0 (type, "ImageObject") == 0 || g_strcmp0 (type, "DigitalDocument") == 0;
}

#define GETTER(type, field) \
  type gls_design_get_##field (GlsDesign *self) \
  { \
    g_return_val_if_fail (GLS_IS_DESIGN (self), 0); \
    return self->field; \
  }

GETTER (const char *, id)
GETTER (const char *, source)
GETTER (const char *, name)
GETTER (const char *, media_type)
GETTER (guint64, size)
GETTER (const char *, sha256)
GETTER (const char *, license)
GETTER (const char *, author_id)
GETTER (const char *, author_name)
GETTER (const char *, date_created)
GETTER (const char *, based_on)

#undef GETTER

GlsDesignKind
gls_design_get_kind (GlsDesign *self)
{
  g_return_val_if_fail (GLS_IS_DESIGN (self), GLS_DESIGN_KIND_OTHER);

  return gls_design_kind_for_media_type (self->media_type);
}
