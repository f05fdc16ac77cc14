/* md-test-pki.h: a throwaway PKI for tests, made with certtool
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A throwaway CA and a server certificate signed by it (127.0.0.1,
 * localhost, mx.test.example), made with certtool in a temporary directory
 * that md_test_pki_free() removes with everything in it. */
typedef struct _MdTestPki MdTestPki;

MdTestPki       *md_test_pki_new             (GError         **error);
const char      *md_test_pki_get_dir         (MdTestPki       *self);
const char      *md_test_pki_get_ca_file     (MdTestPki       *self);
GTlsCertificate *md_test_pki_get_certificate (MdTestPki       *self);
void             md_test_pki_free            (MdTestPki       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdTestPki, md_test_pki_free)

G_END_DECLS
