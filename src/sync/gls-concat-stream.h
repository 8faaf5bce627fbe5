/* gls-concat-stream.h: streams read one after the other
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GLS_TYPE_CONCAT_STREAM (gls_concat_stream_get_type ())
G_DECLARE_FINAL_TYPE (GlsConcatStream, gls_concat_stream, GLS, CONCAT_STREAM, GInputStream)

GInputStream *gls_concat_stream_new       (void);
void          gls_concat_stream_add       (GlsConcatStream *self,
                                           GInputStream    *stream);
void          gls_concat_stream_add_bytes (GlsConcatStream *self,
                                           GBytes          *bytes);

G_END_DECLS
