/* md-finding-row.h: one finding, expandable to the checks behind it
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "md-finding.h"

G_BEGIN_DECLS

#define MD_TYPE_FINDING_ROW (md_finding_row_get_type ())

G_DECLARE_FINAL_TYPE (MdFindingRow, md_finding_row, MD, FINDING_ROW, AdwExpanderRow)

/* @checks: (element-type MdCheck): where to find the finding's evidence */
GtkWidget *md_finding_row_new          (MdFinding    *finding,
                                        GListModel   *checks);
MdFinding *md_finding_row_get_finding  (MdFindingRow *self);
/* How many of the finding's checks the row shows as evidence. */
guint      md_finding_row_get_n_checks (MdFindingRow *self);

G_END_DECLS
