/* md-result-row.h: one check's result in a list, with its evidence
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "md-check.h"

G_BEGIN_DECLS

/* How a check's status looks wherever it is shown: icon, style class and
 * the word for it (translated). */
typedef struct
{
  const char *icon_name;
  const char *css_class;
  const char *label;
} MdStatusLook;

MdStatusLook   md_status_look               (MdCheckStatus  status);

#define MD_TYPE_RESULT_ROW (md_result_row_get_type ())

G_DECLARE_FINAL_TYPE (MdResultRow, md_result_row, MD, RESULT_ROW, GtkListBoxRow)

/* @caption: (nullable): a second, quieter line. */
GtkWidget     *md_result_row_new            (MdCheckStatus  status,
                                             const char    *title,
                                             const char    *caption);
/* A check's result: its summary, its detail as the caption and its
 * evidence under them, key by key. */
GtkWidget     *md_result_row_new_for_check  (MdCheck       *check);
MdCheckStatus  md_result_row_get_status     (MdResultRow   *self);
const char    *md_result_row_get_title      (MdResultRow   *self);
guint          md_result_row_get_n_evidence (MdResultRow   *self);

G_END_DECLS
