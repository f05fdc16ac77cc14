/* md-diagnosis-private.h: what the probes share with the diagnosis
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "md-diagnosis.h"
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

/* Probes: each emits its checks and calls _md_diagnosis_probe_done once. */
void          _md_probe_session_start       (MdDiagnosis    *self);
void          _md_probe_ports_start         (MdDiagnosis    *self,
                                             GInetAddress   *address);
void          _md_probe_tls_versions_start  (MdDiagnosis    *self,
                                             GInetAddress   *address,
                                             gboolean        implicit_tls);

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
