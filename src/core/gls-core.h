/* gls-core.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gls-types.h"
#include "gls-json-parser.h"
#include "gls-selector.h"
#include "gls-hlc.h"
#include "gls-identity.h"
#include "gls-jcs.h"
#include "gls-proof.h"
#include "gls-person.h"
#include "gls-profile.h"
#include "gls-design.h"
#include "gls-annotation.h"
#include "gls-comment.h"
#include "gls-thread.h"
#include "gls-threads.h"
#include "gls-w3c.h"
