/* gls-types.c
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-core"

#include "config.h"

#include "gls-types.h"

G_DEFINE_QUARK (gls-core-error-quark, gls_core_error)

static const char *motivations[] = {
  [GLS_MOTIVATION_COMMENTING] = "commenting",
  [GLS_MOTIVATION_REPLYING] = "replying",
  [GLS_MOTIVATION_EDITING] = "editing",
  [GLS_MOTIVATION_ASSESSING] = "assessing",
};

const char *
gls_motivation_to_string (GlsMotivation motivation)
{
  g_return_val_if_fail (motivation <= GLS_MOTIVATION_ASSESSING, NULL);

  return motivations[motivation];
}

gboolean
gls_motivation_from_string (const char    *str,
                            GlsMotivation *motivation)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (motivations); i++)
    {
      if (g_str_equal (str, motivations[i]))
        {
          if (motivation != NULL)
            *motivation = i;
          return TRUE;
        }
    }

  return FALSE;
}
