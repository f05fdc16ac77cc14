/* md-account.h: the user's SMTP account settings
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "md-types.h"
#include "md-validate.h"

G_BEGIN_DECLS

#define MD_TYPE_ACCOUNT (md_account_get_type ())

G_DECLARE_FINAL_TYPE (MdAccount, md_account, MD, ACCOUNT, GObject)

MdAccount   *md_account_new                  (void);

const char  *md_account_get_email            (MdAccount   *self);
void         md_account_set_email            (MdAccount   *self,
                                              const char  *email);
const char  *md_account_get_host             (MdAccount   *self);
void         md_account_set_host             (MdAccount   *self,
                                              const char  *host);
guint        md_account_get_port             (MdAccount   *self);
void         md_account_set_port             (MdAccount   *self,
                                              guint        port);
MdSecurity   md_account_get_security         (MdAccount   *self);
void         md_account_set_security         (MdAccount   *self,
                                              MdSecurity   security);
const char  *md_account_get_username         (MdAccount   *self);
void         md_account_set_username         (MdAccount   *self,
                                              const char  *username);
const char  *md_account_get_client_ip        (MdAccount   *self);
void         md_account_set_client_ip        (MdAccount   *self,
                                              const char  *client_ip);
const char  *md_account_get_error_text       (MdAccount   *self);
void         md_account_set_error_text       (MdAccount   *self,
                                              const char  *error_text);
const char  *md_account_get_ca_file          (MdAccount   *self);
void         md_account_set_ca_file          (MdAccount   *self,
                                              const char  *ca_file);
gboolean     md_account_get_allow_plaintext_auth (MdAccount *self);
void         md_account_set_allow_plaintext_auth (MdAccount *self,
                                                  gboolean   allow);
guint64      md_account_get_message_size     (MdAccount   *self);
void         md_account_set_message_size     (MdAccount   *self,
                                              guint64      size);

/* The password is not a property: it lives here only, is never copied into
 * anything that can be saved or shown, and is wiped when cleared. */
void         md_account_set_password         (MdAccount   *self,
                                              const char  *password);
const char  *md_account_peek_password        (MdAccount   *self);
gboolean     md_account_has_password         (MdAccount   *self);
void         md_account_clear_password       (MdAccount   *self);

/* Derived values. */
char        *md_account_dup_host_ascii       (MdAccount   *self);
guint        md_account_get_effective_port   (MdAccount   *self);
/* The submission port that goes with @security: 465 for implicit TLS,
 * 587 otherwise (RFC 8314, RFC 6409). */
guint        md_security_get_usual_port      (MdSecurity   security);
MdSecurity   md_account_get_effective_security (MdAccount *self);
const char  *md_account_get_effective_username (MdAccount *self);

/* Validation that explains itself: returns FALSE with a plain-language,
 * translated message in MD_ERROR_INVALID_INPUT. The checks of single
 * values are in md-validate.h. */
gboolean     md_account_validate             (MdAccount   *self,
                                              GError     **error);

G_END_DECLS
