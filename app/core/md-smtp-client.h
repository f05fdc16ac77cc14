/* md-smtp-client.h: one SMTP session on GIO streams
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "md-smtp-reply.h"
#include "md-transcript.h"

G_BEGIN_DECLS

#define MD_TYPE_SMTP_CLIENT (md_smtp_client_get_type ())

G_DECLARE_FINAL_TYPE (MdSmtpClient, md_smtp_client, MD, SMTP_CLIENT, GObject)

typedef enum
{
  MD_SMTP_AUTH_PLAIN,
  MD_SMTP_AUTH_LOGIN,
  MD_SMTP_AUTH_CRAM_MD5,
} MdSmtpAuthMechanism;

MdSmtpClient     *md_smtp_client_new                (MdTranscript         *transcript);
void              md_smtp_client_set_step_timeout   (MdSmtpClient         *self,
                                                     guint                 timeout_ms);
GSocketConnection *md_smtp_client_get_connection    (MdSmtpClient         *self);
GTlsConnection   *md_smtp_client_get_tls            (MdSmtpClient         *self);
const MdSmtpReply *md_smtp_client_get_last_reply    (MdSmtpClient         *self);
MdSmtpStage       md_smtp_client_get_stage          (MdSmtpClient         *self);
char             *md_smtp_client_dup_hello_name     (MdSmtpClient         *self);

void              md_smtp_client_connect_async      (MdSmtpClient         *self,
                                                     GSocketAddress       *address,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          md_smtp_client_connect_finish     (MdSmtpClient         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void              md_smtp_client_set_connection     (MdSmtpClient         *self,
                                                     GIOStream            *stream);

void              md_smtp_client_read_greeting_async  (MdSmtpClient       *self,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
MdSmtpReply      *md_smtp_client_read_greeting_finish (MdSmtpClient       *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);

void              md_smtp_client_command_async      (MdSmtpClient         *self,
                                                     MdSmtpStage           stage,
                                                     const char           *command,
                                                     const char           *shown,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
MdSmtpReply      *md_smtp_client_command_finish     (MdSmtpClient         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void              md_smtp_client_send_async         (MdSmtpClient         *self,
                                                     MdSmtpStage           stage,
                                                     const char           *command,
                                                     const char           *shown,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          md_smtp_client_send_finish        (MdSmtpClient         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

void              md_smtp_client_start_tls_async    (MdSmtpClient         *self,
                                                     const char           *server_name,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          md_smtp_client_start_tls_finish   (MdSmtpClient         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

void              md_smtp_client_auth_async         (MdSmtpClient         *self,
                                                     MdSmtpAuthMechanism   mechanism,
                                                     const char           *username,
                                                     const char           *password,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
MdSmtpReply      *md_smtp_client_auth_finish        (MdSmtpClient         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

void              md_smtp_client_close              (MdSmtpClient         *self);

G_END_DECLS
