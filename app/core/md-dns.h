/* md-dns.h: DNS lookups on GResolver, each under a deadline
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum /*< prefix=MD_DNS >*/
{
  MD_DNS_ADDRESS, /*< nick=address >*/  /* A and AAAA, through the system's resolver */
  MD_DNS_IPV4,    /*< nick=ipv4 >*/     /* A only: what blocklists answer with */
  MD_DNS_MX,      /*< nick=mx >*/
  MD_DNS_TXT,     /*< nick=txt >*/
  MD_DNS_SRV,     /*< nick=srv >*/
  MD_DNS_PTR,     /*< nick=ptr >*/      /* the name is an IP address literal */
} MdDnsType;

/* "Not found" and "could not ask" are different answers: a blocklist that
 * could not be asked is not a blocklist that does not list you. */
typedef enum /*< prefix=MD_DNS_STATUS >*/
{
  MD_DNS_STATUS_FOUND,     /*< nick=found >*/
  MD_DNS_STATUS_NOT_FOUND, /*< nick=not-found >*/ /* NXDOMAIN or no record of the type */
  MD_DNS_STATUS_FAILED,    /*< nick=failed >*/    /* SERVFAIL, REFUSED, no server, bad answer */
  MD_DNS_STATUS_TIMED_OUT, /*< nick=timed-out >*/ /* no answer within the deadline */
} MdDnsStatus;

typedef struct
{
  guint16  priority;
  guint16  weight;  /* SRV only */
  guint16  port;    /* SRV only */
  char    *host;    /* MX exchange or SRV target, without the trailing dot */
} MdDnsHost;

typedef struct
{
  char        *name;     /* what was asked */
  MdDnsType    type;
  MdDnsStatus  status;
  GStrv        values;   /* ADDRESS/IPV4: address literals; TXT: each record with its
                          * strings joined (RFC 7208 §3.3); PTR: names */
  GPtrArray   *hosts;    /* MX and SRV: MdDnsHost, sorted by priority (then weight) */
  char        *detail;   /* the resolver's own words, for the technical detail */
  guint        duration_ms;
} MdDnsAnswer;

#define MD_TYPE_DNS_ANSWER (md_dns_answer_get_type ())

GType        md_dns_answer_get_type (void) G_GNUC_CONST;
MdDnsAnswer *md_dns_answer_copy     (const MdDnsAnswer *self);
void         md_dns_answer_free     (MdDnsAnswer       *self);
void         md_dns_host_free       (MdDnsHost         *self);

/* One lookup. @resolver NULL means g_resolver_get_default(). Never fails
 * but for the caller's own cancellation: everything else is a status. */
void         md_dns_lookup_async    (GResolver           *resolver,
                                     const char          *name,
                                     MdDnsType            type,
                                     guint                timeout_ms,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
MdDnsAnswer *md_dns_lookup_finish   (GAsyncResult        *result,
                                     GError             **error);

/* The name to ask a blocklist zone about @address (RFC 5782 §2.1, §2.4):
 * IPv4 reversed by octet, IPv6 reversed by nibble; with @zone NULL, the
 * in-addr.arpa / ip6.arpa name. */
char        *md_dns_reverse_name    (GInetAddress        *address,
                                     const char          *zone);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdDnsAnswer, md_dns_answer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdDnsHost, md_dns_host_free)

G_END_DECLS
