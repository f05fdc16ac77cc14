/* md-welcome-page.h: what the app does, and the error the user saw
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "md-page.h"

G_BEGIN_DECLS

#define MD_TYPE_WELCOME_PAGE (md_welcome_page_get_type ())

G_DECLARE_FINAL_TYPE (MdWelcomePage, md_welcome_page, MD, WELCOME_PAGE, MdPage)

/* The pasted error message, or NULL when the box is empty. */
char       *md_welcome_page_dup_error_text  (MdWelcomePage *self);
void        md_welcome_page_set_error_text  (MdWelcomePage *self,
                                             const char    *text);
/* What the pasted message means, as shown: the cause's title, or NULL
 * while there is nothing to explain. */
const char *md_welcome_page_get_meaning     (MdWelcomePage *self);

G_END_DECLS
