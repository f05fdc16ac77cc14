/* md-checking-row.h: one check while a diagnosis runs
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "md-check.h"

G_BEGIN_DECLS

#define MD_TYPE_CHECKING_ROW (md_checking_row_get_type ())

G_DECLARE_FINAL_TYPE (MdCheckingRow, md_checking_row, MD, CHECKING_ROW, AdwActionRow)

GtkWidget     *md_checking_row_new          (MdCheckId      id);
MdCheckId      md_checking_row_get_id       (MdCheckingRow *self);
/* The result, or NULL while the check runs or when it never ran. */
MdCheck       *md_checking_row_get_check    (MdCheckingRow *self);
gboolean       md_checking_row_get_finished (MdCheckingRow *self);
void           md_checking_row_set_check    (MdCheckingRow *self,
                                             MdCheck       *check);
/* The run ended without this check. */
void           md_checking_row_set_not_run  (MdCheckingRow *self);
/* What the icon says to a screen reader: "Passed", "Failed", ... */
const char    *md_checking_row_get_status_text (MdCheckingRow *self);

G_END_DECLS
