/* fuzz-peer-server.c: GlsPeerServer's request handling, run in-process
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is up to four requests, separated by a line "=====", each
 * in a readable form:
 *
 *   METHOD TARGET
 *   Header: value
 *   …
 *   (an empty line)
 *   body
 *
 * each sent on a connection of its own, as HTTP/1.1 (with Host,
 * Content-Length and Connection: close set by the harness), to a new
 * server on loopback serving a new store as "db", and as "locked" behind
 * keys (Authorization: Basic cGVlcjprZXk=
 * is peer:key, cGVlcjpybw== is peer:ro). Oracles: no crash, leak,
 * sanitizer report, GLib warning or critical; the server and its store
 * are finalized after the requests; every answer is HTTP with a
 * status below 500, and a JSON answer is JSON the strict parser reads.
 */

#define G_LOG_DOMAIN "fuzz-peer-server"

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "fuzz-server.h"

/* Long enough for any request the store answers at once; a feed that
 * waits for changes is cut off here. */
#define DEADLINE_MS 100
#define MAX_REQUESTS 4

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (argc, argv);
  fuzz_server_init ();
  return 0;
}

/* One request [text, end): sends it unless its request line is not one
 * (libsoup would answer 400, and nothing of ours would run). */
static void
one_request (const char *text,
             const char *end)
{
  const char *eol = memchr (text, '\n', end - text);
  const char *line_end = eol != NULL ? eol : end;
  const char *space = memchr (text, ' ', line_end - text);
  const char *headers = eol != NULL ? eol + 1 : end;
  const char *body = end;
  const char *p;
  g_autofree char *method = NULL;
  g_autofree char *target = NULL;
  g_autofree char *request = NULL;
  g_autoptr(GBytes) answer = NULL;
  gsize length;

  if (space == NULL)
    return;
  method = g_strndup (text, space - text);
  target = g_strndup (space + 1, line_end - space - 1);
  if (target[0] != '\0' && target[strlen (target) - 1] == '\r')
    target[strlen (target) - 1] = '\0';
  if (method[0] == '\0' || target[0] == '\0' || strpbrk (method, " \r") != NULL ||
      memchr (text, '\0', line_end - text) != NULL)
    return;

  /* Headers end at the first empty line. */
  for (p = headers; p < end; )
    {
      const char *next = memchr (p, '\n', end - p);

      if (next == NULL)
        break;
      if (next == p || (next == p + 1 && *p == '\r'))
        {
          body = next + 1;
          break;
        }
      p = next + 1;
    }

  request = fuzz_server_request (method, target, headers, (body != end ? body : end) - headers,
                                 body, end - body, &length);
  answer = fuzz_server_send (request, length, DEADLINE_MS);
  fuzz_server_check_answer (answer, method);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  const char *text = (const char *) data;
  const char *end = text + size;
  guint n = 0;

  fuzz_server_start ();
  while (text < end && n++ < MAX_REQUESTS)
    {
      const char *next = NULL;

      /* Requests are separated by a line "=====". */
      for (const char *p = text; p + 7 <= end; p++)
        if (memcmp (p, "\n=====\n", 7) == 0)
          {
            next = p;
            break;
          }
      one_request (text, next != NULL ? next + 1 : end);
      text = next != NULL ? next + 7 : end;
    }
  fuzz_server_stop ();
  return 0;
}
