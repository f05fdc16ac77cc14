/* md-fix.h: one fix for a 421, from the fix catalogue
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "md-types.h"

G_BEGIN_DECLS

/* How much work a fix is for the user, so that a plan can put the quick
 * ones first. */
typedef enum /*< prefix=MD_FIX_EFFORT >*/
{
  MD_FIX_EFFORT_LOW,    /*< nick=low >*/
  MD_FIX_EFFORT_MEDIUM, /*< nick=medium >*/
  MD_FIX_EFFORT_HIGH,   /*< nick=high >*/
} MdFixEffort;

#define MD_TYPE_FIX (md_fix_get_type ())

G_DECLARE_FINAL_TYPE (MdFix, md_fix, MD, FIX, GObject)

const char   *md_fix_get_id          (MdFix        *self);
const char   *md_fix_get_title       (MdFix        *self);
const char   *md_fix_get_why         (MdFix        *self);
MdFixEffort   md_fix_get_effort      (MdFix        *self);
MdCheckId     md_fix_get_verify      (MdFix        *self);
GStrv         md_fix_dup_steps       (MdFix        *self,
                                      const char   *mail_program);

GListModel   *md_fix_load_catalogue  (GError      **error);
MdFix        *md_fix_catalogue_find  (GListModel   *catalogue,
                                      const char   *id);
GListModel   *md_fix_plan_new        (GListModel   *catalogue,
                                      GListModel   *findings);

G_END_DECLS
