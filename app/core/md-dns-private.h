/* md-dns-private.h: the system resolver's lookups, for MdDns's workers
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Each blocks the calling thread; errors are GResolverError codes. */
GList *_md_dns_system_lookup_addresses (const char           *name,
                                        gboolean              ipv4_only,
                                        GError              **error);
char  *_md_dns_system_lookup_name      (GInetAddress         *address,
                                        GError              **error);
GList *_md_dns_system_lookup_records   (const char           *name,
                                        GResolverRecordType   type,
                                        GError              **error);

G_END_DECLS
