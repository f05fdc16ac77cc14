/* md-test-resolver.h: a GResolver that answers from a table, for unit tests
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MD_TYPE_TEST_RESOLVER (md_test_resolver_get_type ())

G_DECLARE_FINAL_TYPE (MdTestResolver, md_test_resolver, MD, TEST_RESOLVER, GResolver)

/* Names not in the table answer G_RESOLVER_ERROR_NOT_FOUND, like NXDOMAIN;
 * a name with records of other types only also answers NOT_FOUND (NODATA),
 * as GResolver does. Answers come from an idle callback, never at once. */
MdTestResolver *md_test_resolver_new         (void);
void            md_test_resolver_add_address (MdTestResolver     *self,
                                              const char         *name,
                                              const char         *address);
void            md_test_resolver_add_txt     (MdTestResolver     *self,
                                              const char         *name,
                                              const char * const *strings);
void            md_test_resolver_add_mx      (MdTestResolver     *self,
                                              const char         *name,
                                              guint16             preference,
                                              const char         *exchange);
void            md_test_resolver_add_srv     (MdTestResolver     *self,
                                              const char         *name,
                                              guint16             priority,
                                              guint16             weight,
                                              guint16             port,
                                              const char         *target);
void            md_test_resolver_add_ptr     (MdTestResolver     *self,
                                              const char         *address,
                                              const char         *name);
/* Every lookup of @name fails with @code (e.g. TEMPORARY_FAILURE, as for
 * SERVFAIL or REFUSED). */
void            md_test_resolver_fail        (MdTestResolver     *self,
                                              const char         *name,
                                              GResolverError      code);
/* Lookups of @name never answer until cancelled, like a silent server. */
void            md_test_resolver_hang        (MdTestResolver     *self,
                                              const char         *name);
/* How many lookups of any kind were made, to prove concurrency and caps. */
guint           md_test_resolver_get_n_lookups (MdTestResolver   *self);
/* Installs it with g_resolver_set_default(); md_test_resolver_uninstall()
 * puts the previous default back. */
void            md_test_resolver_install     (MdTestResolver     *self);
void            md_test_resolver_uninstall   (MdTestResolver     *self);

G_END_DECLS
