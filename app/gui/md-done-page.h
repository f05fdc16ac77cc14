/* md-done-page.h: where the user stands at the end, and what is left
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "md-check.h"
#include "md-page.h"
#include "md-report.h"

G_BEGIN_DECLS

#define MD_TYPE_DONE_PAGE (md_done_page_get_type ())

G_DECLARE_FINAL_TYPE (MdDonePage, md_done_page, MD, DONE_PAGE, MdPage)

void md_done_page_set_report   (MdDonePage *self,
                                MdReport   *report,
                                gboolean    read_only);
/* The report after a Check again of the same run. */
void md_done_page_follow_report (MdDonePage *self,
                                 MdReport   *report);
/* While watch mode runs, the page says so and offers to stop it. */
void md_done_page_set_watching (MdDonePage *self,
                                gboolean    watching);

/* How the fix steps went: md_fix_page_get_n_tried() and
 * md_fix_page_get_last_check(). Call it after md_done_page_set_report(). */
void     md_done_page_set_progress (MdDonePage *self,
                                    guint       n_tried,
                                    MdCheck    *last_check);
gboolean md_done_page_get_watching (MdDonePage *self);
/* Which server is watched and how its last try went (any may be NULL). */
void     md_done_page_set_watch_status (MdDonePage *self,
                                        MdAccount  *account,
                                        MdCheck    *last,
                                        GDateTime  *last_time,
                                        GDateTime  *next_time);

G_END_DECLS
