/* md-kb-private.h: what md-kb.c and md-kb-load.c share
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "md-kb.h"

G_BEGIN_DECLS

#define MD_KB_DNSBLS_FILE    "dnsbls.json"
#define MD_KB_PROVIDERS_FILE "providers.json"

/* One answer rule of a zone: the addresses first..last (host byte order;
 * an exact address has first == last). */
typedef struct
{
  guint32        first;
  guint32        last;
  MdDnsblAnswer  kind;
  char          *meaning;
} MdKbRule;

struct _MdKb
{
  GObject     parent_instance;

  GPtrArray  *dnsbls;     /* MdDnsbl */
  GHashTable *rules;      /* zone (owned by its MdDnsbl) → GArray of MdKbRule */
  GPtrArray  *providers;  /* MdProvider */
  GHashTable *by_domain;  /* ASCII domain → MdProvider (borrowed) */
  GHashTable *by_mx;      /* ASCII host suffix → MdProvider (borrowed) */
};

void      _md_kb_dnsbl_free      (MdDnsbl     *dnsbl);
void      _md_kb_provider_free   (MdProvider  *provider);
char     *_md_kb_normalize_host  (const char  *name);
gboolean  _md_kb_parse_ipv4      (const char  *text,
                                  guint32     *out);
gboolean  _md_kb_in_loopback_net (guint32      address);

/* md-kb-load.c */
gboolean  _md_kb_load            (MdKb        *self,
                                  GBytes      *dnsbls,
                                  GBytes      *providers,
                                  GError     **error);

G_END_DECLS
