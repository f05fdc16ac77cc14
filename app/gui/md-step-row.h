/* md-step-row.h: one numbered instruction of a fix
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MD_TYPE_STEP_ROW (md_step_row_get_type ())

G_DECLARE_FINAL_TYPE (MdStepRow, md_step_row, MD, STEP_ROW, GtkListBoxRow)

GtkWidget  *md_step_row_new        (guint      number,
                                    const char *text);
guint       md_step_row_get_number (MdStepRow  *self);
const char *md_step_row_get_text   (MdStepRow  *self);

G_END_DECLS
