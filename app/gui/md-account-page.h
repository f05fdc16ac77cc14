/* md-account-page.h: the user's email address and server settings
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "md-account.h"
#include "md-page.h"
#include "md-settings.h"

G_BEGIN_DECLS

#define MD_TYPE_ACCOUNT_PAGE (md_account_page_get_type ())

G_DECLARE_FINAL_TYPE (MdAccountPage, md_account_page, MD, ACCOUNT_PAGE, MdPage)

/* Fills the form with the last used settings; the page then keeps
 * *Remember password* in @settings. */
void        md_account_page_set_settings (MdAccountPage *self,
                                          MdSettings    *settings);
/* Whether a check can start with what is typed. */
gboolean    md_account_page_get_valid    (MdAccountPage *self);
/* The account as typed, with the password. */
MdAccount  *md_account_page_dup_account  (MdAccountPage *self);
/* Keeps what was typed for next time: the settings, never the password;
 * the password goes to the keyring only when *Remember password* is on. */
void        md_account_page_remember     (MdAccountPage *self,
                                          MdAccount     *account);

G_END_DECLS
