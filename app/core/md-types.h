/* md-types.h
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _MdAccount        MdAccount;
typedef struct _MdCheck          MdCheck;
typedef struct _MdDeadline       MdDeadline;
typedef struct _MdDiagnosis      MdDiagnosis;
typedef struct _MdSmtpClient     MdSmtpClient;
typedef struct _MdSmtpReader     MdSmtpReader;
typedef struct _MdSmtpReply      MdSmtpReply;
typedef struct _MdSmtpCaps       MdSmtpCaps;
typedef struct _MdTlsInfo        MdTlsInfo;
typedef struct _MdTranscript     MdTranscript;

/* The result of one check, as the CLI, the report and the GUI show it. */
typedef enum /*< prefix=MD_CHECK_STATUS >*/
{
  MD_CHECK_STATUS_PASS,  /*< nick=pass >*/
  MD_CHECK_STATUS_WARN,  /*< nick=warn >*/
  MD_CHECK_STATUS_FAIL,  /*< nick=fail >*/
  MD_CHECK_STATUS_SKIP,  /*< nick=skip >*/
  MD_CHECK_STATUS_ERROR, /*< nick=error >*/
} MdCheckStatus;

/* Stable check ids of the design: the nicks are the ids, so no C file
 * writes them by hand. */
typedef enum /*< prefix=MD_CHECK >*/
{
  MD_CHECK_INPUT,             /*< nick=input >*/
  MD_CHECK_DNS_HOST,          /*< nick=dns.host >*/
  MD_CHECK_DNS_MX,            /*< nick=dns.mx >*/
  MD_CHECK_NET_PORTS,         /*< nick=net.ports >*/
  MD_CHECK_NET_CONNECT,       /*< nick=net.connect >*/
  MD_CHECK_SMTP_GREETING,     /*< nick=smtp.greeting >*/
  MD_CHECK_SMTP_EHLO,         /*< nick=smtp.ehlo >*/
  MD_CHECK_TLS_HANDSHAKE,     /*< nick=tls.handshake >*/
  MD_CHECK_TLS_CERTIFICATE,   /*< nick=tls.certificate >*/
  MD_CHECK_TLS_VERSIONS,      /*< nick=tls.versions >*/
  MD_CHECK_SMTP_AUTH,         /*< nick=smtp.auth >*/
  MD_CHECK_SMTP_SIZE,         /*< nick=smtp.size >*/
  MD_CHECK_SMTP_SEND,         /*< nick=smtp.send >*/
  MD_CHECK_REP_CLIENT_IP,     /*< nick=rep.client-ip >*/
  MD_CHECK_REP_RDNS,          /*< nick=rep.rdns >*/
  MD_CHECK_REP_DNSBL,         /*< nick=rep.dnsbl >*/
  MD_CHECK_REP_DNSBL_SERVER,  /*< nick=rep.dnsbl-server >*/
  MD_CHECK_REP_DNSBL_DOMAIN,  /*< nick=rep.dnsbl-domain >*/
  MD_CHECK_AUTH_SPF,          /*< nick=auth.spf >*/
  MD_CHECK_AUTH_DKIM,         /*< nick=auth.dkim >*/
  MD_CHECK_AUTH_DMARC,        /*< nick=auth.dmarc >*/
  MD_CHECK_AUTH_MTA_STS,      /*< nick=auth.mta-sts >*/
  MD_CHECK_ERROR_TEXT,        /*< nick=error.text >*/
} MdCheckId;

/* Causes of a 421 that a finding names. */
typedef enum /*< prefix=MD_CAUSE >*/
{
  MD_CAUSE_SERVER_BUSY,         /*< nick=server-busy >*/
  MD_CAUSE_RATE_LIMITED,        /*< nick=rate-limited >*/
  MD_CAUSE_BLOCKLISTED,         /*< nick=blocklisted >*/
  MD_CAUSE_SETTINGS_WRONG,      /*< nick=settings-wrong >*/
  MD_CAUSE_AUTH_FAILED,         /*< nick=auth-failed >*/
  MD_CAUSE_TLS_PROBLEM,         /*< nick=tls-problem >*/
  MD_CAUSE_NETWORK_BLOCKED,     /*< nick=network-blocked >*/
  MD_CAUSE_SERVER_DOWN,         /*< nick=server-down >*/
  MD_CAUSE_MESSAGE_TOO_LARGE,   /*< nick=message-too-large >*/
  MD_CAUSE_SPAM_SUSPECTED,      /*< nick=spam-suspected >*/
  MD_CAUSE_SENDER_AUTH_MISSING, /*< nick=sender-auth-missing >*/
  MD_CAUSE_UNKNOWN,             /*< nick=unknown >*/
} MdCause;

/* How the connection is protected. */
typedef enum /*< prefix=MD_SECURITY >*/
{
  MD_SECURITY_AUTO,     /*< nick=auto >*/
  MD_SECURITY_NONE,     /*< nick=none >*/
  MD_SECURITY_STARTTLS, /*< nick=starttls >*/
  MD_SECURITY_TLS,      /*< nick=tls >*/
} MdSecurity;

/* Where in the SMTP session something happened. */
typedef enum /*< prefix=MD_SMTP_STAGE >*/
{
  MD_SMTP_STAGE_CONNECT,  /*< nick=connect >*/
  MD_SMTP_STAGE_GREETING, /*< nick=greeting >*/
  MD_SMTP_STAGE_EHLO,     /*< nick=ehlo >*/
  MD_SMTP_STAGE_STARTTLS, /*< nick=starttls >*/
  MD_SMTP_STAGE_TLS,      /*< nick=tls >*/
  MD_SMTP_STAGE_AUTH,     /*< nick=auth >*/
  MD_SMTP_STAGE_MAIL,     /*< nick=mail >*/
  MD_SMTP_STAGE_RCPT,     /*< nick=rcpt >*/
  MD_SMTP_STAGE_DATA,     /*< nick=data >*/
  MD_SMTP_STAGE_QUIT,     /*< nick=quit >*/
} MdSmtpStage;

/* TLS protocol versions, in order, so that comparisons work. */
typedef enum /*< prefix=MD_TLS_VERSION >*/
{
  MD_TLS_VERSION_UNKNOWN, /*< nick=unknown >*/
  MD_TLS_VERSION_SSL_3_0, /*< nick=SSL 3.0 >*/
  MD_TLS_VERSION_1_0,     /*< nick=TLS 1.0 >*/
  MD_TLS_VERSION_1_1,     /*< nick=TLS 1.1 >*/
  MD_TLS_VERSION_1_2,     /*< nick=TLS 1.2 >*/
  MD_TLS_VERSION_1_3,     /*< nick=TLS 1.3 >*/
} MdTlsVersion;

/* What certificate verification concluded: one verdict, the worst one. */
typedef enum /*< prefix=MD_TLS_VERDICT >*/
{
  MD_TLS_VERDICT_TRUSTED,        /*< nick=trusted >*/
  MD_TLS_VERDICT_EXPIRED,        /*< nick=expired >*/
  MD_TLS_VERDICT_NOT_YET_VALID,  /*< nick=not-yet-valid >*/
  MD_TLS_VERDICT_SELF_SIGNED,    /*< nick=self-signed >*/
  MD_TLS_VERDICT_UNKNOWN_ISSUER, /*< nick=unknown-issuer >*/
  MD_TLS_VERDICT_NAME_MISMATCH,  /*< nick=name-mismatch >*/
  MD_TLS_VERDICT_REVOKED,        /*< nick=revoked >*/
  MD_TLS_VERDICT_INSECURE,       /*< nick=insecure >*/
  MD_TLS_VERDICT_INVALID,        /*< nick=invalid >*/
} MdTlsVerdict;

/* Who spoke a transcript line. */
typedef enum /*< prefix=MD_DIRECTION >*/
{
  MD_DIRECTION_CLIENT, /*< nick=C >*/
  MD_DIRECTION_SERVER, /*< nick=S >*/
} MdDirection;

const char *md_enum_to_nick   (GType       type,
                               int         value);
gboolean    md_enum_from_nick (GType       type,
                               const char *nick,
                               int        *value);

G_END_DECLS
