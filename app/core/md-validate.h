/* md-validate.h: checks of what the user types, in plain words
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "md-types.h"

G_BEGIN_DECLS

/* Validation that explains itself: each returns FALSE with a plain-language,
 * translated message in MD_ERROR_INVALID_INPUT. */
gboolean     md_validate_email               (const char  *email,
                                              GError     **error);
gboolean     md_validate_host                (const char  *host,
                                              GError     **error);
gboolean     md_validate_port_string         (const char  *text,
                                              guint       *port,
                                              GError     **error);
gboolean     md_validate_message_size        (const char  *text,
                                              guint64     *size,
                                              GError     **error);
gboolean     md_validate_client_ip           (const char  *text,
                                              GError     **error);

/* The domain of an email address as DNS wants it: ASCII, lower case, no
 * trailing dot; NULL when there is none. */
char        *md_email_dup_domain             (const char  *email);

/* The security names the CLI takes and reports write. */
gboolean     md_security_from_string         (const char  *text,
                                              MdSecurity  *security);
const char  *md_security_to_string           (MdSecurity   security);

G_END_DECLS
