/* md-fix-page.h: the fix plan, one step at a time
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "md-check.h"
#include "md-page.h"
#include "md-report.h"

G_BEGIN_DECLS

#define MD_TYPE_FIX_PAGE (md_fix_page_get_type ())

G_DECLARE_FINAL_TYPE (MdFixPage, md_fix_page, MD, FIX_PAGE, MdPage)

void md_fix_page_set_report      (MdFixPage  *self,
                                  MdReport   *report,
                                  gboolean    read_only);
/* Which mail program's instructions to show: "thunderbird", "outlook",
 * "apple-mail", "evolution", "phone", or NULL for the general ones. */
void md_fix_page_set_mail_program (MdFixPage  *self,
                                   const char *program);
/* The window calls these around *Check again* of the current step. */
void md_fix_page_set_checking    (MdFixPage  *self,
                                  gboolean    checking);
void md_fix_page_show_check      (MdFixPage  *self,
                                  MdCheck    *check);

/* The mail program, as a "mail-program" property that the window binds to
 * MdSettings:mail-program, so the next run opens on the same program. */
const char *md_fix_page_get_mail_program (MdFixPage *self);
/* What the done page sums up: how many steps the user checked again, and
 * the newest result (NULL before the first *Check again*). */
guint       md_fix_page_get_n_tried      (MdFixPage *self);
MdCheck    *md_fix_page_get_last_check   (MdFixPage *self);
/* The window's back button on this page: the fix before, while there is
 * one; FALSE on the first, where back leaves the page. */
gboolean    md_fix_page_go_back          (MdFixPage *self);

G_END_DECLS
