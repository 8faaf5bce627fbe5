/* fuzz-multipart.c: multipart/related document bodies, as the CouchDB
 * replicator PUTs documents with attachments, through the peer server
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is the body of
 *
 *   PUT /db/doc?new_edits=false
 *   Content-Type: multipart/related; boundary="b"
 *
 * sent to a new server in-process (see fuzz-server.h): libsoup splits the
 * parts, Glossa's parse_multipart_doc reads the JSON part, matches each
 * "follows" attachment with its part (gunzipping "encoding": "gzip" ones)
 * and the store writes the document. Oracles as in fuzz-peer-server.
 */

#define G_LOG_DOMAIN "fuzz-multipart"

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "fuzz-server.h"

#define DEADLINE_MS 100

static const char headers[] = "Content-Type: multipart/related; boundary=\"b\"\n"
                              "Accept: application/json\n";

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (argc, argv);
  fuzz_server_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *request = NULL;
  g_autoptr(GBytes) answer = NULL;
  gsize length;

  request = fuzz_server_request ("PUT", "/db/doc?new_edits=false", headers, strlen (headers),
                                 (const char *) data, size, &length);
  fuzz_server_start ();
  answer = fuzz_server_send (request, length, DEADLINE_MS);
  fuzz_server_stop ();
  fuzz_server_check_answer (answer, "PUT");
  return 0;
}
