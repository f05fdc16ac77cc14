/* md-result-row.h: one check's result in a list, with its evidence
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "md-check.h"

G_BEGIN_DECLS

#define MD_TYPE_RESULT_ROW (md_result_row_get_type ())

G_DECLARE_FINAL_TYPE (MdResultRow, md_result_row, MD, RESULT_ROW, GtkListBoxRow)

/* @caption: (nullable): a second, quieter line. */
GtkWidget     *md_result_row_new           (MdCheckStatus  status,
                                            const char    *title,
                                            const char    *caption);
MdCheckStatus  md_result_row_get_status    (MdResultRow   *self);
const char    *md_result_row_get_title     (MdResultRow   *self);
const char    *md_result_row_get_caption   (MdResultRow   *self);
/* Lists the check's evidence under the title, key by key. */
void           md_result_row_show_evidence (MdResultRow   *self,
                                            MdCheck       *check);
guint          md_result_row_get_n_evidence (MdResultRow  *self);

G_END_DECLS
