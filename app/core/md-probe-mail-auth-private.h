/* md-probe-mail-auth-private.h: what md-probe-mail-auth.c and
 * md-probe-spf.c share
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "md-diagnosis-private.h"

G_BEGIN_DECLS

/* One run of the auth.* checks for the email address's domain. */
typedef struct
{
  MdDiagnosis *diagnosis;
  char        *domain;
  guint        n_active; /* checks not finished yet */
} MdAuthProbe;

typedef void (*MdAuthAnswerFunc) (gpointer           data,
                                  const MdDnsAnswer *answer);

void       _md_auth_lookup            (MdAuthProbe        *ma,
                                       const char         *name,
                                       MdDnsType           type,
                                       MdAuthAnswerFunc    func,
                                       gpointer            data);
gboolean   _md_auth_could_not_ask     (const MdDnsAnswer  *answer);
GPtrArray *_md_auth_select_records    (const MdDnsAnswer  *answer,
                                       gboolean          (*is_record) (const char *text));
void       _md_auth_release           (MdAuthProbe        *ma);
void       _md_auth_finish_check      (MdAuthProbe        *ma,
                                       MdCheck            *check,
                                       gint64              started_us,
                                       MdCheckStatus       status,
                                       const char         *summary,
                                       const char         *detail);
void       _md_auth_set_evidence_uint (MdCheck            *check,
                                       const char         *key,
                                       guint               value);
char      *_md_auth_normalize_domain  (const char         *name);

/* auth.spf: takes a hold on @ma until the check is emitted. */
void       _md_auth_spf_start         (MdAuthProbe        *ma);

G_END_DECLS
