/* md-diagnosis-private.h: what the probes share with the diagnosis
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "md-diagnosis.h"
#include "md-dns.h"
#include "md-interpret.h"
#include "md-kb.h"
#include "md-smtp-reply.h"
#include "md-tls.h"

G_BEGIN_DECLS

/* Per-step limit; a step also never outlives the run's deadline. */
#define MD_STEP_TIMEOUT_MS 10000

void          _md_diagnosis_emit            (MdDiagnosis    *self,
                                             MdCheck        *check);
gboolean      _md_diagnosis_wants           (MdDiagnosis    *self,
                                             MdCheckId       id);
guint         _md_diagnosis_step_timeout    (MdDiagnosis    *self,
                                             guint           wanted_ms);
void          _md_diagnosis_fix_error       (MdDiagnosis    *self,
                                             GError        **error);
GCancellable *_md_diagnosis_get_cancellable (MdDiagnosis    *self);
void          _md_diagnosis_probe_done      (MdDiagnosis    *self);
void          _md_diagnosis_probe_started   (MdDiagnosis    *self);
void          _md_diagnosis_connected       (MdDiagnosis    *self,
                                             GInetAddress   *address,
                                             gboolean        implicit_tls,
                                             gboolean        starttls_offered);
void          _md_diagnosis_resolved        (MdDiagnosis    *self,
                                             GList          *addresses);

/* What the session learned, for the probes that follow it. */
MdKb         *_md_diagnosis_get_kb             (MdDiagnosis *self);
const MdInterpretCatalogue *_md_diagnosis_get_replies (MdDiagnosis *self);
GList        *_md_diagnosis_get_server_addresses (MdDiagnosis *self);
GInetAddress *_md_diagnosis_get_local_address  (MdDiagnosis *self);
const char   *_md_diagnosis_get_greeting_text  (MdDiagnosis *self);
const char   *_md_diagnosis_get_ehlo_text      (MdDiagnosis *self);
void          _md_diagnosis_set_local_address  (MdDiagnosis    *self,
                                                GInetAddress   *address);
void          _md_diagnosis_set_greeting_text  (MdDiagnosis    *self,
                                                const char     *text);
void          _md_diagnosis_set_ehlo_text      (MdDiagnosis    *self,
                                                const char     *text);
void          _md_diagnosis_client_known       (MdDiagnosis    *self);
void          _md_diagnosis_server_described   (MdDiagnosis    *self);
void          _md_diagnosis_session_finished   (MdDiagnosis    *self);

/* Probes: each emits its checks and calls _md_diagnosis_probe_done once. */
void          _md_probe_session_start       (MdDiagnosis    *self);
void          _md_probe_ports_start         (MdDiagnosis    *self,
                                             GInetAddress   *address);
void          _md_probe_tls_versions_start  (MdDiagnosis    *self,
                                             GInetAddress   *address,
                                             gboolean        implicit_tls);
/* rep.client-ip, rep.dnsbl, rep.dnsbl-server, rep.dnsbl-domain, rep.rdns:
 * started after the session, with what it learned. */
void          _md_probe_reputation_start    (MdDiagnosis    *self);
/* auth.spf, auth.dkim, auth.dmarc, auth.mta-sts: DNS only, started with the
 * session when the account has an email address. */
void          _md_probe_mail_auth_start     (MdDiagnosis    *self);

/* error.text: what the user's own error message says; no network. */
void          _md_probe_error_text_run      (MdDiagnosis    *self);

/* Shared wording helpers. */
void          _md_check_set_reply           (MdCheck           *check,
                                             const MdSmtpReply *reply,
                                             MdSmtpStage        stage);
void          _md_check_set_io_error        (MdCheck           *check,
                                             const GError      *error);
char         *_md_describe_reply            (const MdSmtpReply *reply,
                                             MdSmtpStage        stage);
char         *_md_describe_error            (const GError      *error);

G_END_DECLS
