/* md-password-store.h: the password in the system keyring, by choice only
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MD_PASSWORD_SCHEMA_NAME "io.github.maildoctor.MailDoctor.Password"

/* Completes with the stored password (free it with md_secret_free()), or
 * NULL without an error when none is stored. */
void      md_password_store_lookup_async (const char           *host,
                                          const char           *username,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
char     *md_password_store_lookup_finish (GAsyncResult        *result,
                                           GError             **error);
void      md_password_store_save_async   (const char           *host,
                                          const char           *username,
                                          const char           *password,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean  md_password_store_save_finish  (GAsyncResult         *result,
                                          GError              **error);
void      md_password_store_clear_async  (const char           *host,
                                          const char           *username,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean  md_password_store_clear_finish (GAsyncResult         *result,
                                          GError              **error);

G_END_DECLS
