/* md-checking-page.h: the checks of a running diagnosis, as they finish
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "md-checking-row.h"
#include "md-diagnosis.h"
#include "md-page.h"

G_BEGIN_DECLS

#define MD_TYPE_CHECKING_PAGE (md_checking_page_get_type ())

G_DECLARE_FINAL_TYPE (MdCheckingPage, md_checking_page, MD, CHECKING_PAGE, MdPage)

/* Shows one row per check @diagnosis will run, and follows its
 * MdDiagnosis::check-finished; NULL stops following. */
void           md_checking_page_set_diagnosis  (MdCheckingPage *self,
                                                MdDiagnosis    *diagnosis);
/* The run ended: checks that never reported did not run. */
void           md_checking_page_finish         (MdCheckingPage *self);
guint          md_checking_page_get_n_checks   (MdCheckingPage *self);
guint          md_checking_page_get_n_finished (MdCheckingPage *self);
/* The row of @id, or NULL when this run does not have that check. */
MdCheckingRow *md_checking_page_find_row       (MdCheckingPage *self,
                                                MdCheckId       id);

G_END_DECLS
