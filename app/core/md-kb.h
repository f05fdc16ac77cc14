/* md-kb.h: the knowledge base, JSON data in the core's GResource
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "md-types.h"

G_BEGIN_DECLS

#define MD_KB_RESOURCE_PATH "/io/github/maildoctor/MailDoctor/kb"

typedef enum /*< prefix=MD_DNSBL_KIND >*/
{
  MD_DNSBL_KIND_IP,     /*< nick=ip >*/
  MD_DNSBL_KIND_DOMAIN, /*< nick=domain >*/
} MdDnsblKind;

/* How one answer of a zone reads. */
typedef enum /*< prefix=MD_DNSBL_ANSWER >*/
{
  MD_DNSBL_ANSWER_LISTED,  /*< nick=listed >*/  /* on the list: a reputation problem */
  MD_DNSBL_ANSWER_POLICY,  /*< nick=policy >*/  /* a policy list (e.g. Spamhaus PBL): a
                                                 * home connection should send through
                                                 * its provider's server with a login */
  MD_DNSBL_ANSWER_ERROR,   /*< nick=error >*/   /* an in-band error, never a listing */
  MD_DNSBL_ANSWER_UNKNOWN, /*< nick=unknown >*/ /* a code the catalogue does not know */
} MdDnsblAnswer;

typedef struct
{
  char          *zone;            /* "zen.spamhaus.org" */
  char          *name;            /* "Spamhaus ZEN" */
  MdDnsblKind    kind;
  gboolean       ipv6;            /* answers reverse-nibble IPv6 queries */
  gboolean       public_resolver_blocked;
  char          *delist_url;
  char          *policy;          /* terms of use, for the technical detail */
} MdDnsbl;

typedef struct
{
  char        *id;                /* "gmail" */
  char        *name;              /* "Gmail" */
  GStrv        domains;           /* email domains: "gmail.com", "googlemail.com" */
  GStrv        mx_suffixes;       /* MX host suffixes that mean this provider hosts the mail:
                                   * "google.com", "googlemail.com" */
  char        *host;              /* "smtp.gmail.com" */
  guint        port;              /* 587 */
  MdSecurity   security;          /* MD_SECURITY_STARTTLS */
  guint        alt_port;          /* 465, or 0 */
  MdSecurity   alt_security;
  gboolean     app_password;      /* needs an app password instead of the usual one */
  char        *app_password_url;  /* the provider's page that makes one, or NULL */
  gboolean     oauth_only;        /* passwords are refused altogether */
  char        *notes;             /* plain words for the user, or NULL */
  char        *source;            /* where the settings come from (documentation URL) */
} MdProvider;

#define MD_TYPE_KB (md_kb_get_type ())

G_DECLARE_FINAL_TYPE (MdKb, md_kb, MD, KB, GObject)

MdKb              *md_kb_new                  (GError          **error);
MdKb              *md_kb_new_from_bytes       (GBytes           *dnsbls,
                                               GBytes           *providers,
                                               GError          **error);
GPtrArray         *md_kb_get_dnsbls           (MdKb             *self);
MdDnsblAnswer      md_kb_read_dnsbl_answer    (MdKb             *self,
                                               const MdDnsbl    *dnsbl,
                                               const char       *address,
                                               const char      **meaning);
GPtrArray         *md_kb_get_providers        (MdKb             *self);
const MdProvider  *md_kb_find_provider_by_domain (MdKb          *self,
                                                  const char    *domain);
const MdProvider  *md_kb_find_provider_by_mx  (MdKb             *self,
                                               const char       *mx_host);

G_END_DECLS
