/* md-probe-reputation-private.h: what md-probe-reputation.c,
 * md-probe-dnsbl.c and md-probe-rdns.c share
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

/* How one blocklist answered about one address or domain. */
typedef enum
{
  MD_REP_VERDICT_NOT_LISTED,
  MD_REP_VERDICT_LISTED,
  MD_REP_VERDICT_POLICY,
  MD_REP_VERDICT_ERROR,
  MD_REP_VERDICT_COULD_NOT_ASK,
  MD_REP_VERDICT_UNRELIABLE,
  MD_REP_N_VERDICTS
} MdRepVerdict;

/* A catalogue entry and its test points, asked once for every question. */
typedef struct
{
  const MdDnsbl *dnsbl;
  gboolean       used;      /* some question goes to it */
  gboolean       reliable;  /* its test points answered as they must */
  MdDnsAnswer   *listed;
  MdDnsAnswer   *unlisted;
} MdRepZone;

/* One question to one zone. */
typedef struct
{
  MdRepZone    *zone;
  char         *subject;  /* the address or domain asked about */
  char         *name;     /* what was asked */
  MdDnsAnswer  *answer;
  MdDnsAnswer  *reason;   /* the TXT record, asked for listings only */

  /* Read once the first wave is in. */
  MdRepVerdict  verdict;
  char         *codes;    /* the A records, comma-separated */
  char         *meaning;  /* plain words, for listings */
} MdRepQuery;

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

  GPtrArray    *zones;           /* MdRepZone */
  GPtrArray    *client_queries;  /* MdRepQuery */
  GPtrArray    *server_queries;
  GPtrArray    *domain_queries;

  MdDnsAnswer  *client_ptr;
  MdDnsAnswer  *client_forward;
  MdDnsAnswer  *server_ptr;
  MdDnsAnswer  *server_forward;
} MdRep;

void                _md_rep_emit         (MdRep             *rep,
                                          MdCheck           *check);
void                _md_rep_emit_skip    (MdRep             *rep,
                                          MdCheckId          id,
                                          const char        *summary);
const char         *_md_rep_first_value  (const MdDnsAnswer *answer);

/* The RFC 5782 test points of @kind: the one every list must list, then
 * the one it must not. */
const char * const *_md_rep_test_points  (MdDnsblKind        kind);

/* md-probe-dnsbl.c: emits rep.dnsbl, rep.dnsbl-server and rep.dnsbl-domain
 * when they are wanted. */
void                _md_dnsbl_emit_lists (MdRep             *rep);

/* md-probe-rdns.c: emits rep.rdns when it is wanted. */
void                _md_rep_emit_rdns    (MdRep             *rep);

G_END_DECLS
