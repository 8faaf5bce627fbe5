/* gls-version-group.h
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gls-workspace.h"

G_BEGIN_DECLS

/*
 * GlsVersionGroup: the versions of one design, that is every design of the
 * workspace reached from one first version by isBasedOn, newest first, and
 * their open threads. The designs sidebar shows one row per group, the
 * version switcher lists a group.
 *
 * A version's number counts from the oldest (1) by date; a group "changes"
 * when a version is added or a thread of any version opens or closes.
 */

#define GLS_TYPE_VERSION_GROUP (gls_version_group_get_type ())

G_DECLARE_FINAL_TYPE (GlsVersionGroup, gls_version_group, GLS, VERSION_GROUP, GObject)

/* The id of the first version (the root of the chain). */
const char   *gls_version_group_get_root_id     (GlsVersionGroup *self);
/* GlsDesign, newest first. */
GListModel   *gls_version_group_get_versions    (GlsVersionGroup *self);
/* The same without the newest: what expanding the group's row shows. */
GListModel   *gls_version_group_get_older       (GlsVersionGroup *self);
GlsDesign    *gls_version_group_get_latest      (GlsVersionGroup *self);
guint         gls_version_group_get_n_versions  (GlsVersionGroup *self);
/* 1 for the oldest; 0 when @design is not one of the group's. */
guint         gls_version_group_get_number      (GlsVersionGroup *self,
                                                 GlsDesign       *design);
GlsDesign    *gls_version_group_find            (GlsVersionGroup *self,
                                                 const char      *design_id);
/* The counts below need the versions' threads, which a lazy workspace
 * reads from the store: a group reads them once somebody shows it (a
 * row on screen), not for every design of a big workspace at start. */
void          gls_version_group_watch           (GlsVersionGroup *self);
/* Open (not resolved) threads: of every version (so a thread carried to
 * a later version counts once, where it was made), or of one. */
guint         gls_version_group_get_n_open      (GlsVersionGroup *self);
guint         gls_version_group_get_n_open_of   (GlsVersionGroup *self,
                                                 GlsDesign       *design);
/* Threads with someone else's activity since I last looked at them. */
guint         gls_version_group_get_n_unread    (GlsVersionGroup *self);
guint         gls_version_group_get_n_unread_of (GlsVersionGroup *self,
                                                 GlsDesign       *design);

/* Groups @designs (GlsDesign, newest first, as gls_workspace_get_designs)
 * into GlsVersionGroup, newest group first. @groups (root id → group)
 * holds the groups of the last call: those still there are reused and
 * updated, so a row that shows one stays; it is updated to hold the new
 * set. */
GPtrArray    *gls_version_groups_update         (GlsWorkspace    *workspace,
                                                 GListModel      *designs,
                                                 GHashTable      *groups);
/* Words for a version: "Version 2 of 3", and "23 Nov 2026 · Ana". */
char         *gls_version_group_describe        (GlsVersionGroup *self,
                                                 GlsDesign       *design);
/* The design's date ("23 Nov 2026", no-break spaces), or NULL. */
char         *gls_version_format_date           (GlsDesign       *design);
char         *gls_version_describe_date         (GlsDesign       *design);

G_END_DECLS
