/* gls-store-files.c: attachment data as content-addressed files
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <nettle/md5.h>
#include <nettle/sha2.h>

#include "gls-store-private.h"

/*
 * Beside the SQLite file `NAME.sqlite` lives the folder `NAME.files`
 * (any other file name: `PATH.files`). Each attachment's data is one file
 * in it, named by the lowercase hex SHA-256 of its bytes, so the same
 * bytes are stored once whatever documents carry them. Files are written
 * as `tmp-XXXXXX`, fsynced, and renamed to their name (then the folder is
 * fsynced) before the transaction that refers to them commits: a crash
 * leaves at worst a file nothing refers to, which compaction removes.
 * Files are never changed once named.
 */

#define TMP_PREFIX   "tmp-"
#define COPY_CHUNK   (256 * 1024)

char *
_gls_store_files_dir_for (const char *db_path)
{
  if (g_str_has_suffix (db_path, ".sqlite"))
    {
      g_autofree char *stem = g_strndup (db_path, strlen (db_path) - strlen (".sqlite"));
      return g_strconcat (stem, ".files", NULL);
    }
  return g_strconcat (db_path, ".files", NULL);
}

gboolean
_gls_store_is_sha256_hex (const char *name)
{
  guint n = 0;

  if (name == NULL)
    return FALSE;
  for (; name[n] != '\0'; n++)
    if (!g_ascii_isxdigit (name[n]) || g_ascii_isupper (name[n]))
      return FALSE;
  return n == 64;
}

static gboolean
io_error (GError    **error,
          int         saved_errno,
          const char *what,
          const char *path)
{
  g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_IO, "%s “%s”: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

gboolean
_gls_store_files_ensure_dir (const char  *dir,
                             GError     **error)
{
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return io_error (error, errno, _("Could not make the attachments folder"), dir);
  return TRUE;
}

static gboolean
sync_dir (const char  *dir,
          GError     **error)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return io_error (error, errno, _("Could not open the attachments folder"), dir);
  if (fsync (fd) != 0 && errno != EINVAL)
    {
      int saved = errno;
      close (fd);
      return io_error (error, saved, _("Could not write the attachments folder"), dir);
    }
  close (fd);
  return TRUE;
}

/* Whether the named file is there with `length` bytes; touches it so a
 * compaction running beside us sees it as new. */
static gboolean
present (const char *path,
         gint64      length)
{
  struct stat st;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size != length)
    return FALSE;
  utimensat (AT_FDCWD, path, NULL, 0);
  return TRUE;
}

/* Digests: Nettle's, which use the processor's SHA instructions: MD5 and
 * SHA-256 together at 1.7 times GLib's speed (as fast as GnuTLS's), which
 * bounds how fast a design arrives. Nettle, not GnuTLS: GnuTLS and the
 * libraries it brings would cost every command their loading. */

static char *
hex_of (const guint8 *raw,
        gsize         len)
{
  static const char digits[] = "0123456789abcdef";
  char *hex = g_new (char, len * 2 + 1);

  for (gsize i = 0; i < len; i++)
    {
      hex[2 * i] = digits[raw[i] >> 4];
      hex[2 * i + 1] = digits[raw[i] & 0xf];
    }
  hex[len * 2] = '\0';
  return hex;
}

/* CouchDB's attachment digest: "md5-" + base64 of the binary MD5. */
char *
_gls_store_digest (const guchar *data,
                   gsize         len)
{
  g_autofree char *base64 = NULL;
  struct md5_ctx md5;
  guint8 raw[MD5_DIGEST_SIZE];

  md5_init (&md5);
  md5_update (&md5, len, data);
  md5_digest (&md5, sizeof raw, raw);
  base64 = g_base64_encode (raw, sizeof raw);
  return g_strconcat ("md5-", base64, NULL);
}

/* The file writer */

struct _GlsStoreFileWriter
{
  char              *dir;
  char              *tmp_path;
  int                fd;
  struct md5_ctx     md5;
  struct sha256_ctx  sha256;
  gint64             length;
  gboolean           failed;
};

GlsStoreFileWriter *
_gls_store_file_writer_new (const char  *dir,
                            GError     **error)
{
  g_autofree char *tmpl = g_build_filename (dir, TMP_PREFIX "XXXXXX", NULL);
  GlsStoreFileWriter *writer;
  int fd;

  if (!_gls_store_files_ensure_dir (dir, error))
    return NULL;
  fd = g_mkstemp_full (tmpl, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      io_error (error, errno, _("Could not write attachment data"), dir);
      return NULL;
    }

  writer = g_new0 (GlsStoreFileWriter, 1);
  writer->dir = g_strdup (dir);
  writer->tmp_path = g_steal_pointer (&tmpl);
  writer->fd = fd;
  md5_init (&writer->md5);
  sha256_init (&writer->sha256);
  return writer;
}

gboolean
_gls_store_file_writer_write (GlsStoreFileWriter  *writer,
                              const void          *data,
                              gsize                len,
                              GError             **error)
{
  const guchar *p = data;
  gsize left = len;

  g_return_val_if_fail (writer->fd >= 0 && !writer->failed, FALSE);

  md5_update (&writer->md5, len, data);
  sha256_update (&writer->sha256, len, data);
  while (left > 0)
    {
      gssize n = write (writer->fd, p, MIN (left, (gsize) G_MAXSSIZE));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          writer->failed = TRUE;
          return io_error (error, n < 0 ? errno : ENOSPC,
                           _("Could not write attachment data"), writer->tmp_path);
        }
      p += n;
      left -= (gsize) n;
    }
  writer->length += (gint64) len;
  return TRUE;
}

/* Syncs the data to disk and closes the file, which keeps its temporary
 * name (returned in *tmp_path, which the caller then owns). */
gboolean
_gls_store_file_writer_sync (GlsStoreFileWriter  *writer,
                             char               **digest,
                             char               **sha256,
                             gint64              *length,
                             char               **tmp_path,
                             GError             **error)
{
  guint8 raw_md5[MD5_DIGEST_SIZE];
  guint8 raw_sha256[SHA256_DIGEST_SIZE];
  g_autofree char *base64 = NULL;
  int fd = writer->fd;

  g_autofree char *hex = NULL;
  g_autofree char *final_path = NULL;

  g_return_val_if_fail (fd >= 0 && !writer->failed, FALSE);

  md5_digest (&writer->md5, sizeof raw_md5, raw_md5);
  base64 = g_base64_encode (raw_md5, sizeof raw_md5);
  sha256_digest (&writer->sha256, sizeof raw_sha256, raw_sha256);
  hex = hex_of (raw_sha256, sizeof raw_sha256);

  /* The same bytes there already (synced when they were first written):
   * this copy is dropped when it is named, no need to sync it. Adding a
   * file a second time then costs its reading only. */
  writer->fd = -1;
  final_path = g_build_filename (writer->dir, hex, NULL);
  if (!present (final_path, writer->length) && fsync (fd) != 0)
    {
      int saved = errno;
      close (fd);
      return io_error (error, saved, _("Could not write attachment data"), writer->tmp_path);
    }
  if (close (fd) != 0)
    return io_error (error, errno, _("Could not write attachment data"), writer->tmp_path);

  if (digest != NULL)
    *digest = g_strconcat ("md5-", base64, NULL);
  if (sha256 != NULL)
    *sha256 = g_steal_pointer (&hex);
  if (length != NULL)
    *length = writer->length;
  *tmp_path = g_steal_pointer (&writer->tmp_path);
  return TRUE;
}

/* Gives a synced temporary file its name: renamed, or dropped when a file
 * of that name and size is there already; then the folder is synced. */
gboolean
_gls_store_files_name (const char  *dir,
                       const char  *tmp_path,
                       const char  *sha256,
                       gint64       length,
                       GError     **error)
{
  g_autofree char *final_path = g_build_filename (dir, sha256, NULL);

  if (present (final_path, length))
    {
      g_unlink (tmp_path);
      return TRUE;
    }
  if (g_rename (tmp_path, final_path) != 0)
    return io_error (error, errno, _("Could not write attachment data"), final_path);
  return sync_dir (dir, error);
}

gboolean
_gls_store_file_writer_finish (GlsStoreFileWriter  *writer,
                               char               **digest,
                               char               **sha256,
                               gint64              *length,
                               GError             **error)
{
  g_autofree char *tmp_path = NULL;
  g_autofree char *hex = NULL;

  if (!_gls_store_file_writer_sync (writer, digest, &hex, length, &tmp_path, error))
    return FALSE;
  if (!_gls_store_files_name (writer->dir, tmp_path, hex, writer->length, error))
    {
      g_unlink (tmp_path);
      return FALSE;
    }
  if (sha256 != NULL)
    *sha256 = g_steal_pointer (&hex);
  return TRUE;
}

void
_gls_store_file_writer_free (GlsStoreFileWriter *writer)
{
  if (writer == NULL)
    return;
  if (writer->fd >= 0)
    close (writer->fd);
  if (writer->tmp_path != NULL)
    g_unlink (writer->tmp_path);
  g_free (writer->tmp_path);
  g_free (writer->dir);
  g_free (writer);
}

gboolean
_gls_store_files_write_bytes (const char  *dir,
                              GBytes      *bytes,
                              char       **sha256,
                              GError     **error)
{
  g_autoptr(GlsStoreFileWriter) writer = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *path = NULL;
  gsize len;
  const void *data = g_bytes_get_data (bytes, &len);

  /* The same bytes already there: no second copy, no fsync. */
  {
    struct sha256_ctx digest;
    guint8 raw[SHA256_DIGEST_SIZE];

    sha256_init (&digest);
    sha256_update (&digest, len, data != NULL ? data : (const guchar *) "");
    sha256_digest (&digest, sizeof raw, raw);
    hex = hex_of (raw, sizeof raw);
  }
  path = g_build_filename (dir, hex, NULL);
  if (present (path, (gint64) len))
    {
      *sha256 = g_steal_pointer (&hex);
      return TRUE;
    }

  if (!(writer = _gls_store_file_writer_new (dir, error)) ||
      !_gls_store_file_writer_write (writer, data, len, error))
    return FALSE;
  return _gls_store_file_writer_finish (writer, NULL, sha256, NULL, error);
}

GBytes *
_gls_store_files_read (const char  *dir,
                       const char  *sha256,
                       gint64       length,
                       GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GMappedFile) mapped = NULL;

  if (!_gls_store_is_sha256_hex (sha256))
    {
      g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_CORRUPT,
                   _("The store is damaged: an attachment has no valid file name"));
      return NULL;
    }
  path = g_build_filename (dir, sha256, NULL);
  if (length == 0)
    {
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        goto missing;
      return g_bytes_new (NULL, 0);
    }
  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    goto missing;
  if ((gint64) g_mapped_file_get_length (mapped) != length)
    {
      g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_CORRUPT,
                   _("The store is damaged: the attachment file “%s” has %llu bytes, not %lld"),
                   path, (unsigned long long) g_mapped_file_get_length (mapped), (long long) length);
      return NULL;
    }
  return g_mapped_file_get_bytes (mapped);

missing:
  g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_CORRUPT,
               _("The store is damaged: attachment data is missing (%s)"), path);
  return NULL;
}

GInputStream *
_gls_store_files_open (const char  *dir,
                       const char  *sha256,
                       gint64       length,
                       GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;

  if (!_gls_store_is_sha256_hex (sha256))
    {
      g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_CORRUPT,
                   _("The store is damaged: an attachment has no valid file name"));
      return NULL;
    }
  path = g_build_filename (dir, sha256, NULL);
  file = g_file_new_for_path (path);
  if (!(stream = g_file_read (file, NULL, NULL)) ||
      !(info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL)))
    {
      g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_CORRUPT,
                   _("The store is damaged: attachment data is missing (%s)"), path);
      return NULL;
    }
  if (g_file_info_get_size (info) != length)
    {
      g_set_error (error, GLS_STORE_ERROR, GLS_STORE_ERROR_CORRUPT,
                   _("The store is damaged: the attachment file “%s” has %" G_GINT64_FORMAT
                     " bytes, not %" G_GINT64_FORMAT),
                   path, (gint64) g_file_info_get_size (info), length);
      return NULL;
    }
  return G_INPUT_STREAM (g_steal_pointer (&stream));
}

/* Removes every file of `dir` that `keep` (sha256 -> anything) does not
 * hold, and unfinished writes older than `tmp_age_s` seconds. */
gboolean
_gls_store_files_sweep (const char  *dir,
                        GHashTable  *keep,
                        gint64       tmp_age_s,
                        guint       *n_removed,
                        guint64     *bytes_removed,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) d = g_dir_open (dir, 0, &local_error);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;

  if (d == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (_gls_store_is_sha256_hex (name) && g_hash_table_contains (keep, name))
        continue;
      if (!_gls_store_is_sha256_hex (name) && !g_str_has_prefix (name, TMP_PREFIX))
        continue;  /* not ours */
      if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode))
        continue;
      if (g_str_has_prefix (name, TMP_PREFIX) && now - (gint64) st.st_mtime < tmp_age_s)
        continue;
      if (g_unlink (path) != 0)
        return io_error (error, errno, _("Could not remove attachment data"), path);
      *n_removed += 1;
      *bytes_removed += (guint64) st.st_size;
    }
  return TRUE;
}

/* Blobs: attachment data written before the document that carries it */

struct _GlsStoreBlob
{
  char   *dir;
  char   *tmp_path;  /* until named */
  char   *sha256;
  char   *digest;
  gint64  length;
};

static GlsStoreBlob *
blob_from_writer (GlsStoreFileWriter  *writer,
                  GError             **error)
{
  GlsStoreBlob *blob = g_new0 (GlsStoreBlob, 1);

  blob->dir = g_strdup (writer->dir);
  if (!_gls_store_file_writer_sync (writer, &blob->digest, &blob->sha256, &blob->length,
                                    &blob->tmp_path, error))
    {
      gls_store_blob_free (blob);
      return NULL;
    }
  return blob;
}

/**
 * gls_store_blob_new_from_stream:
 *
 * Copies @stream into a new file of the store's attachment folder, in
 * small pieces, computing its digests as it goes, and syncs it. The file
 * is not named (and not kept) until a write that refers to it commits.
 */
GlsStoreBlob *
gls_store_blob_new_from_stream (GlsStore      *store,
                                GInputStream  *stream,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_autoptr(GlsStoreFileWriter) writer = _gls_store_file_writer_new (gls_store_get_files_dir (store), error);
  g_autofree guchar *buf = NULL;

  if (writer == NULL)
    return NULL;
  buf = g_malloc (COPY_CHUNK);
  for (;;)
    {
      gssize n = g_input_stream_read (stream, buf, COPY_CHUNK, cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (!_gls_store_file_writer_write (writer, buf, (gsize) n, error))
        return NULL;
    }
  return blob_from_writer (writer, error);
}

GlsStoreBlobWriter *
gls_store_blob_writer_new (GlsStore  *store,
                           GError   **error)
{
  return (GlsStoreBlobWriter *) _gls_store_file_writer_new (gls_store_get_files_dir (store), error);
}

gboolean
gls_store_blob_writer_write (GlsStoreBlobWriter  *writer,
                             const void          *data,
                             gsize                len,
                             GError             **error)
{
  return _gls_store_file_writer_write ((GlsStoreFileWriter *) writer, data, len, error);
}

GlsStoreBlob *
gls_store_blob_writer_finish (GlsStoreBlobWriter  *writer,
                              GError             **error)
{
  return blob_from_writer ((GlsStoreFileWriter *) writer, error);
}

void
gls_store_blob_writer_free (GlsStoreBlobWriter *writer)
{
  _gls_store_file_writer_free ((GlsStoreFileWriter *) writer);
}

/* The blob's bytes, read back from its file. */
GInputStream *
gls_store_blob_read (GlsStoreBlob  *blob,
                     GError       **error)
{
  g_autofree char *named = NULL;
  const char *path = blob->tmp_path;
  g_autoptr(GFile) file = NULL;

  if (path == NULL)
    path = named = g_build_filename (blob->dir, blob->sha256, NULL);
  file = g_file_new_for_path (path);
  return G_INPUT_STREAM (g_file_read (file, NULL, error));
}

const char *
gls_store_blob_get_sha256 (GlsStoreBlob *blob)
{
  return blob->sha256;
}

const char *
gls_store_blob_get_digest (GlsStoreBlob *blob)
{
  return blob->digest;
}

gint64
gls_store_blob_get_length (GlsStoreBlob *blob)
{
  return blob->length;
}

gboolean
_gls_store_blob_name (GlsStoreBlob  *blob,
                      GError       **error)
{
  if (blob->tmp_path == NULL)
    return TRUE;  /* named by an earlier write */
  if (!_gls_store_files_name (blob->dir, blob->tmp_path, blob->sha256, blob->length, error))
    return FALSE;
  g_clear_pointer (&blob->tmp_path, g_free);
  return TRUE;
}

void
gls_store_blob_free (GlsStoreBlob *blob)
{
  if (blob == NULL)
    return;
  if (blob->tmp_path != NULL)
    g_unlink (blob->tmp_path);
  g_free (blob->tmp_path);
  g_free (blob->dir);
  g_free (blob->sha256);
  g_free (blob->digest);
  g_free (blob);
}
