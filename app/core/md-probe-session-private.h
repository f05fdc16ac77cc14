/* md-probe-session-private.h: what md-probe-session.c and
 * md-probe-session-tls.c share
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "md-diagnosis-private.h"
#include "md-smtp-client.h"

G_BEGIN_DECLS

/* One run of the session's checks. */
typedef struct
{
  MdDiagnosis  *diagnosis;
  MdAccount    *account;
  MdSmtpClient *client;
  MdDeadline   *deadline;     /* for steps that are not the client's */
  char         *host;         /* ASCII form, for lookups and TLS names */
  guint         port;
  MdSecurity    security;

  GList        *addresses;
  GList        *next_address;
  GString      *attempts;
  GInetAddress *connected;

  MdCheck      *check;        /* the check of the step in progress */
  char         *skip_summary; /* why the checks not done are skipped */
  gint64        check_started_us;
  guint32       emitted;

  MdSmtpCaps   *caps;
  gboolean      encrypted;
  MdTlsVerdict  verdict;

  /* Certificate verification runs beside the conversation; AUTH, and the
   * end of the session, wait for it. */
  MdCheck      *certificate;
  gint64        certificate_started_us;
  gboolean      verifying;
  gboolean      auth_waiting;
  gboolean      finish_waiting;
} MdSession;

/* Skips the checks not done with @skip_summary and frees @s, ending the
 * probe; while the certificate is being verified, that waits for it. */
void _md_session_finish             (MdSession  *s,
                                     const char *skip_summary);
void _md_session_step_auth          (MdSession  *s);

/* md-probe-session-tls.c: tls.certificate, once the handshake is done. */
void _md_session_start_verification (MdSession  *s);

G_END_DECLS
