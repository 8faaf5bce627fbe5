/* fuzz-common.h: what every libFuzzer target of Glossa shares
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* libFuzzer's entry points. */
int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const guint8   *data,
                            size_t          size);

/* Call first in LLVMFuzzerInitialize. GLib allocates with plain malloc
 * (the process runs itself again with G_SLICE=always-malloc if needed),
 * so the sanitizers see every block; no dconf; debug and info messages
 * are dropped, and a warning or a critical aborts with its message:
 * every g_return_if_fail that fails is a bug the fuzzer found. */
void        fuzz_init            (int          *argc,
                                  char       ***argv);

/* A new empty directory, in memory (/dev/shm) when there is one. */
char       *fuzz_make_dir        (const char   *name);
/* Removes `dir` and what it holds (one level: stores are flat files). */
void        fuzz_remove_dir      (const char   *dir);

/* Aborts with a message when `condition` is false (libFuzzer keeps the
 * input):
 * an oracle that does not hold is a finding, like a crash. */
#define fuzz_check(condition, ...) \
  G_STMT_START { \
    if (G_UNLIKELY (!(condition))) \
      fuzz_fail (G_STRLOC, #condition, __VA_ARGS__); \
  } G_STMT_END

G_NORETURN void fuzz_fail        (const char   *where,
                                  const char   *condition,
                                  const char   *format,
                                  ...) G_GNUC_PRINTF (3, 4);

/* The canonical text (JCS) of `node`, which must have one. */
char       *fuzz_jcs             (JsonNode     *node);

/* Runs the thread-default main context until nothing is ready. */
void        fuzz_drain_main_context (void);

G_END_DECLS
