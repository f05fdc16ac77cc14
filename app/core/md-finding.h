/* md-finding.h: one cause of the 421, as a diagnosis concludes it
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "md-types.h"

G_BEGIN_DECLS

#define MD_TYPE_FINDING (md_finding_get_type ())

G_DECLARE_FINAL_TYPE (MdFinding, md_finding, MD, FINDING, GObject)

MdFinding          *md_finding_new             (MdCause      cause,
                                                double       confidence,
                                                const char  *explanation);
MdCause             md_finding_get_cause       (MdFinding   *self);
const char         *md_finding_get_title       (MdFinding   *self);
double              md_finding_get_confidence  (MdFinding   *self);
const char         *md_finding_get_explanation (MdFinding   *self);
/* The check ids ("smtp.greeting") that support it, in the order added. */
const char * const *md_finding_get_checks      (MdFinding   *self);
void                md_finding_add_check       (MdFinding   *self,
                                                const char  *check_id);
/* The fix ids of the catalogue that help, most useful first. */
const char * const *md_finding_get_fixes       (MdFinding   *self);
void                md_finding_add_fix         (MdFinding   *self,
                                                const char  *fix_id);

const char         *md_cause_to_string         (MdCause      cause);
gboolean            md_cause_from_string       (const char  *str,
                                                MdCause     *cause);
/* A short plain title: "The mail server is too busy". */
const char         *md_cause_get_title         (MdCause      cause);

G_END_DECLS
