/* md-probe-reputation-private.h: what md-probe-reputation.c and
 * md-probe-rdns.c share
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "md-diagnosis-private.h"

G_BEGIN_DECLS

/* Where the client's address came from, most trusted first. */
typedef enum
{
  MD_REP_SOURCE_OPTION,
  MD_REP_SOURCE_GREETING,
  MD_REP_SOURCE_EHLO,
  MD_REP_SOURCE_LOCAL,
} MdRepSource;

/* One run of the rep.* checks. */
typedef struct
{
  MdDiagnosis  *diagnosis;
  MdKb         *kb;
  gint64        started_us;
  guint         n_active;
  gboolean      second_wave;

  /* What is looked up; each may be missing. */
  GInetAddress *client;
  MdRepSource   source;
  GList        *servers;
  char         *domain;

  GPtrArray    *zones;           /* Zone, in md-probe-reputation.c */
  GPtrArray    *client_queries;  /* Query, likewise */
  GPtrArray    *server_queries;
  GPtrArray    *domain_queries;

  MdDnsAnswer  *client_ptr;
  MdDnsAnswer  *client_forward;
  MdDnsAnswer  *server_ptr;
  MdDnsAnswer  *server_forward;
} MdRep;

void        _md_rep_emit        (MdRep             *rep,
                                 MdCheck           *check);
void        _md_rep_emit_skip   (MdRep             *rep,
                                 MdCheckId          id,
                                 const char        *summary);
const char *_md_rep_first_value (const MdDnsAnswer *answer);

/* md-probe-rdns.c: emits rep.rdns when it is wanted. */
void        _md_rep_emit_rdns   (MdRep             *rep);

G_END_DECLS
