/* md-mail-auth.h: readers for the DNS records of sender authentication:
 * SPF (RFC 7208), DMARC (RFC 7489), DKIM keys (RFC 6376 §3.6.1, RFC 8463),
 * MTA-STS (RFC 8461 §3.1) and TLS-RPT (RFC 8460 §3)
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure functions, no I/O. The text comes from strangers' DNS, so every
 * reader accepts any input: it never fails, it describes what is wrong.
 * Errors are plain, translated words for the technical detail.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Longer records are refused rather than read: no real record is near it,
 * and it bounds the work a hostile answer can cause. */
#define MD_MAIL_AUTH_MAX_RECORD_LENGTH 8192
/* RFC 7208 §4.6.4: at most 10 terms that cause DNS lookups per check. */
#define MD_SPF_MAX_LOOKUPS 10

/* SPF */

typedef enum
{
  MD_SPF_QUALIFIER_PASS,     /* "+", the default */
  MD_SPF_QUALIFIER_FAIL,     /* "-" */
  MD_SPF_QUALIFIER_SOFTFAIL, /* "~" */
  MD_SPF_QUALIFIER_NEUTRAL,  /* "?" */
} MdSpfQualifier;

typedef enum
{
  MD_SPF_TERM_ALL,
  MD_SPF_TERM_INCLUDE,
  MD_SPF_TERM_A,
  MD_SPF_TERM_MX,
  MD_SPF_TERM_PTR,
  MD_SPF_TERM_IP4,
  MD_SPF_TERM_IP6,
  MD_SPF_TERM_EXISTS,
  MD_SPF_TERM_REDIRECT,
  MD_SPF_TERM_EXP,
  MD_SPF_TERM_MODIFIER, /* a modifier of no RFC: receivers ignore it */
} MdSpfTermKind;

typedef struct
{
  MdSpfTermKind   kind;
  MdSpfQualifier  qualifier; /* mechanisms only */
  char           *name;      /* lower case: "include", or an unknown modifier's name */
  char           *value;     /* the domain, network or modifier value; NULL when none */
  GInetAddress   *network;   /* ip4 and ip6 only */
  guint           prefix;    /* ip4 and ip6 only: the CIDR length (32 or 128 when none) */
  gboolean        has_macro; /* @value needs the sender's details to be expanded */
} MdSpfTerm;

typedef struct
{
  GPtrArray *terms; /* MdSpfTerm, in record order, up to the first error */
  char      *error; /* NULL when the record is well formed */
} MdSpfRecord;

gboolean     md_spf_is_record              (const char        *text);
MdSpfRecord *md_spf_record_parse           (const char        *text);
void         md_spf_record_free            (MdSpfRecord       *self);
guint        md_spf_record_count_lookups   (const MdSpfRecord *self);
const char  *md_spf_record_get_all         (const MdSpfRecord *self);
const char  *md_spf_record_get_redirect    (const MdSpfRecord *self);
gboolean     md_spf_record_matches_address (const MdSpfRecord *self,
                                            GInetAddress      *address,
                                            MdSpfQualifier    *qualifier);
const char  *md_spf_qualifier_to_string    (MdSpfQualifier     qualifier);

/* DMARC */

typedef struct
{
  const char *policy;           /* "none", "quarantine" or "reject"; NULL when broken */
  const char *subdomain_policy; /* sp=, NULL when not given */
  guint       pct;              /* 100 when not given */
  char       *rua;              /* as written, NULL when not given */
  char       *ruf;
  char        adkim;            /* 'r' or 's' */
  char        aspf;
  char       *error;            /* NULL when the record is well formed */
} MdDmarcRecord;

gboolean       md_dmarc_is_record        (const char    *text);
gboolean       md_dmarc_mentions_version (const char    *text);
MdDmarcRecord *md_dmarc_record_parse     (const char    *text);
void           md_dmarc_record_free      (MdDmarcRecord *self);

/* DKIM keys */

typedef struct
{
  char     *key_type; /* k=, lower case: "rsa" (the default) or "ed25519" */
  guint     bits;     /* 0 when revoked or unreadable */
  gboolean  revoked;  /* an empty p= withdraws the key (RFC 6376 §3.6.1) */
  gboolean  testing;  /* t=y */
  char     *error;    /* NULL when the record is well formed and the key readable */
} MdDkimKey;

gboolean    md_dkim_is_key_record (const char      *text);
MdDkimKey  *md_dkim_key_parse     (const char      *text);
void        md_dkim_key_free      (MdDkimKey       *self);
char       *md_dkim_key_describe  (const MdDkimKey *self);

/* MTA-STS and TLS-RPT: records that begin with their version are theirs;
 * the validators return NULL for a good record, or what is wrong. */
gboolean    md_mta_sts_is_record    (const char *text);
char       *md_mta_sts_record_check (const char *text);
gboolean    md_tls_rpt_is_record    (const char *text);
char       *md_tls_rpt_record_check (const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSpfRecord, md_spf_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdDmarcRecord, md_dmarc_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdDkimKey, md_dkim_key_free)

G_END_DECLS
