/* md-tls-private.h: what md-tls.c and md-tls-cert.c share
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "md-tls.h"

G_BEGIN_DECLS

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)

char              *_md_tls_steal_datum_string (gnutls_datum_t      *datum);
gnutls_x509_crt_t  _md_tls_cert_import        (GBytes              *der);
MdTlsCertInfo     *_md_tls_cert_info_new      (gnutls_x509_crt_t    crt,
                                               GBytes              *der);
MdTlsCertInfo     *_md_tls_cert_info_copy     (const MdTlsCertInfo *self);

G_END_DECLS
