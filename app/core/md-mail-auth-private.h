/* md-mail-auth-private.h: what md-mail-auth.c and md-spf.c share
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "md-mail-auth.h"

G_BEGIN_DECLS

gboolean  _md_mail_auth_is_record_with_version (const char *text,
                                                const char *version);
char     *_md_mail_auth_check_text             (const char *text,
                                                gboolean    allow_folding);
gboolean  _md_mail_auth_is_all_digits          (const char *text,
                                                gsize       len);
gboolean  _md_mail_auth_parse_number           (const char *text,
                                                gsize       len,
                                                guint64     max,
                                                guint64    *value);

G_END_DECLS
