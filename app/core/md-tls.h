/* md-tls.h: TLS analysis on GnuTLS: handshakes with forced versions on a
 * connected socket, and certificate chain verification
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "md-types.h"

G_BEGIN_DECLS

typedef struct
{
  char      *subject;            /* RFC 4514 DN */
  char      *issuer;             /* RFC 4514 DN */
  GDateTime *not_before;
  GDateTime *not_after;
  GStrv      names;              /* subjectAltName DNS names and IP addresses, then the CN */
  char      *fingerprint_sha256; /* hex, colon separated */
  char      *key_type;           /* "RSA", "ECDSA", "EdDSA (Ed25519)", ... */
  guint      key_bits;
  gboolean   self_signed;        /* issuer == subject and the signature verifies */
  GBytes    *der;                /* the certificate itself, to verify it later */
} MdTlsCertInfo;

struct _MdTlsInfo
{
  MdTlsVersion  version;         /* negotiated; UNKNOWN when not known */
  char         *cipher_suite;    /* e.g. "TLS_AES_256_GCM_SHA384", or NULL */
  GPtrArray    *chain;           /* of MdTlsCertInfo, the server's certificate first */
  MdTlsVerdict  verdict;         /* set by verification only; a handshake's
                                  * result is not verified: INVALID */
  char         *verdict_detail;  /* GnuTLS's own words on the verification, for admins */
  gboolean      by_ca_file;      /* trusted because the CA file the user gave vouches for
                                  * it, not the system's store */
};

#define MD_TYPE_TLS_INFO (md_tls_info_get_type ())

GType          md_tls_info_get_type        (void) G_GNUC_CONST;
MdTlsInfo     *md_tls_info_copy            (const MdTlsInfo *self);
void           md_tls_info_free            (MdTlsInfo       *self);
void           md_tls_cert_info_free       (MdTlsCertInfo   *self);
GPtrArray     *md_tls_info_dup_der_chain   (const MdTlsInfo *self);

const char    *md_tls_version_to_string    (MdTlsVersion     version);
const char    *md_tls_verdict_to_string    (MdTlsVerdict     verdict);

/* Verifies a chain given as DER certificates (GBytes, server's first) for
 * @hostname (a name or an IP literal), against the system trust store plus
 * @extra_ca_file (PEM, may be NULL). Runs in a worker thread. */
void           md_tls_verify_chain_async   (GPtrArray           *der_chain,
                                            const char          *hostname,
                                            const char          *extra_ca_file,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
MdTlsInfo     *md_tls_verify_chain_finish  (GAsyncResult        *result,
                                            GError             **error);

/* Loads, in a worker thread, what a process's first TLS connection needs:
 * GIO's TLS backend and, with @system_trust, the system trust store, so
 * that neither the handshake nor the certificate check waits for them. */
void           md_tls_prepare_async        (gboolean             system_trust,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
void           md_tls_prepare_finish       (GAsyncResult        *result);

/* A TLS handshake on an already connected socket (after STARTTLS when the
 * server needs it), restricted to exactly @version (MD_TLS_VERSION_UNKNOWN:
 * the library's defaults). Non-blocking: driven by the socket's readiness
 * on the thread-default main context, never blocking it. The handshake is
 * not verified; the result carries version, cipher suite and chain. The
 * socket is left unusable for plaintext afterwards; close it. */
void           md_tls_handshake_async      (GSocket             *socket,
                                            MdTlsVersion         version,
                                            const char          *server_name,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
MdTlsInfo     *md_tls_handshake_finish     (GAsyncResult        *result,
                                            GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdTlsInfo, md_tls_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdTlsCertInfo, md_tls_cert_info_free)

G_END_DECLS
