/* md-test-peer.h: an in-process scripted hostile SMTP peer for tests
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

/* The TLS scenarios take the PKI's certificate. */
#include "md-test-pki.h"

G_BEGIN_DECLS

/* The only account the peer's AUTH accepts; the password comes from the test. */
#define MD_TEST_PEER_USER "alice"

/* A script: what the peer does on each connection, step by step. Steps that
 * read record every line the client sends, so tests can assert on it. */
typedef struct _MdTestScript MdTestScript;

MdTestScript *md_test_script_new             (void);
MdTestScript *md_test_script_new_scenario    (const char      *name,
                                              GTlsCertificate *certificate,
                                              const char      *password);
void          md_test_script_free            (MdTestScript    *self);
void          md_test_script_send            (MdTestScript    *self,
                                              const char      *data,
                                              gssize           len);
void          md_test_script_send_raw        (MdTestScript    *self,
                                              const void      *data,
                                              gsize            len);
void          md_test_script_expect          (MdTestScript    *self);
void          md_test_script_sleep           (MdTestScript    *self,
                                              guint            ms);
void          md_test_script_drip            (MdTestScript    *self,
                                              const char      *data,
                                              guint            interval_ms);
void          md_test_script_start_tls       (MdTestScript    *self,
                                              GTlsCertificate *certificate);
void          md_test_script_close           (MdTestScript    *self);
void          md_test_script_reset           (MdTestScript    *self);
void          md_test_script_close_notify    (MdTestScript    *self);
void          md_test_script_half_close      (MdTestScript    *self);
void          md_test_script_drain           (MdTestScript    *self,
                                              guint            ms);
void          md_test_script_hold            (MdTestScript    *self);
void          md_test_script_serve           (MdTestScript    *self,
                                              const char      *eol);
void          md_test_script_set_password    (MdTestScript    *self,
                                              const char      *password);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdTestScript, md_test_script_free)

/* The peer: listens on 127.0.0.1, serves every connection with its script in
 * a thread of its own, and stops with a join when freed. */
typedef struct _MdTestPeer MdTestPeer;

MdTestPeer   *md_test_peer_new               (MdTestScript    *script);
MdTestPeer   *md_test_peer_new_ipv6          (MdTestScript    *script);
guint16       md_test_peer_get_port          (MdTestPeer      *self);
guint         md_test_peer_get_n_connections (MdTestPeer      *self);
void          md_test_peer_wait_done         (MdTestPeer      *self,
                                              guint            timeout_ms);
char        **md_test_peer_dup_lines         (MdTestPeer      *self);
char         *md_test_peer_dup_plaintext     (MdTestPeer      *self);
gboolean      md_test_peer_saw               (MdTestPeer      *self,
                                              const char      *prefix);
gboolean      md_test_peer_saw_over_tls      (MdTestPeer      *self,
                                              const char      *prefix);
void          md_test_peer_free              (MdTestPeer      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdTestPeer, md_test_peer_free)

G_END_DECLS
