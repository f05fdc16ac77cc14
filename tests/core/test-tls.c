/* test-tls.c: probe handshakes and certificate verdicts against real peers
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The certificates are made with certtool at start, so they never expire
 * in the tree; the servers are `openssl s_server` processes bound to
 * 127.0.0.1 (gnutls-serv cannot bind one address), because only a real
 * TLS stack shows what a TLS-1.0-only server does to a modern client. The
 * peers that must stay silent or hang up are GSocketServices in the test.
 */

#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "md-deadline.h"
#include "md-error.h"
#include "md-tls.h"
#include "md-test-utils.h"

#define WAIT_MS 5000
#define GOOD_NAMES "dns_name = \"localhost\"\ndns_name = \"mx.test.example\"\n" \
                   "ip_address = \"127.0.0.1\"\nip_address = \"::1\"\n"
#define SERVER_USAGE "tls_www_server\nsigning_key\nencryption_key\n"

/* The PKI: certificates and keys in a temporary directory */

typedef struct
{
  char *dir;
} Pki;

static const struct
{
  const char *name;
  const char *text;
} templates[] = {
  { "ca", "cn = \"Probe Test CA\"\nca\ncert_signing_key\ncrl_signing_key\n"
          "expiration_days = 3650\n" },
  { "good", "cn = \"localhost\"\n" GOOD_NAMES SERVER_USAGE "expiration_days = 3650\n" },
  { "expired", "cn = \"localhost\"\n" GOOD_NAMES SERVER_USAGE
               "activation_date = \"2020-01-01 00:00:00 UTC\"\n"
               "expiration_date = \"2021-01-01 00:00:00 UTC\"\n" },
  { "notyet", "cn = \"localhost\"\n" GOOD_NAMES SERVER_USAGE
              "activation_date = \"2040-01-01 00:00:00 UTC\"\n"
              "expiration_date = \"2041-01-01 00:00:00 UTC\"\n" },
  { "wrongname", "cn = \"wrong.invalid\"\ndns_name = \"wrong.invalid\"\n" SERVER_USAGE
                 "expiration_days = 3650\n" },
};

static char *
pki_path (const Pki  *pki,
          const char *name)
{
  return g_build_filename (pki->dir, name, NULL);
}

static gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  return path != NULL;
}

/* Runs a command in the PKI's directory, failing the test run when it fails. */
static void
run_in (const Pki          *pki,
        const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *errors = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, pki->dir);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &errors, &error);
  g_assert_no_error (error);

  if (!g_subprocess_get_successful (process))
    {
      g_autofree char *command = g_strjoinv (" ", (GStrv) argv);

      g_error ("%s failed: %s", command, errors);
    }
}

static void
make_key (const Pki  *pki,
          const char *key,
          const char *type)
{
  const char *argv[] = { "certtool", "--generate-privkey", "--key-type", type,
                         "--outfile", key, "--bits", "2048", NULL };

  /* ECDSA keys take the default curve (P-256); only RSA needs a size. */
  if (strcmp (type, "rsa") != 0)
    argv[6] = NULL;
  run_in (pki, argv);
}

/* Issues @out for @key from template @tmpl, signed by the CA, or by
 * itself when @self_signed. */
static void
make_cert (const Pki  *pki,
           const char *out,
           const char *key,
           const char *tmpl,
           gboolean    self_signed,
           const char *hash)
{
  g_autofree char *template_file = g_strconcat (tmpl, ".tmpl", NULL);
  g_autofree char *hash_arg = g_strconcat ("--hash=", hash != NULL ? hash : "SHA256", NULL);
  const char *ca_argv[] = { "certtool", "--generate-certificate", "--load-privkey", key,
                            "--load-ca-certificate", "ca.pem", "--load-ca-privkey", "ca.key",
                            "--template", template_file, "--outfile", out, hash_arg, NULL };
  const char *self_argv[] = { "certtool", "--generate-self-signed", "--load-privkey", key,
                              "--template", template_file, "--outfile", out, NULL };

  run_in (pki, self_signed ? self_argv : ca_argv);
}

static void
write_templates (const Pki *pki)
{
  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    {
      g_autofree char *name = g_strconcat (templates[i].name, ".tmpl", NULL);
      g_autofree char *path = pki_path (pki, name);
      g_autoptr(GError) error = NULL;

      g_file_set_contents (path, templates[i].text, -1, &error);
      g_assert_no_error (error);
    }
}

static Pki *
pki_new (void)
{
  Pki *pki = g_new0 (Pki, 1);
  g_autoptr(GError) error = NULL;

  pki->dir = g_dir_make_tmp ("md-test-tls-XXXXXX", &error);
  g_assert_no_error (error);
  write_templates (pki);

  make_key (pki, "ca.key", "ecdsa");
  make_cert (pki, "ca.pem", "ca.key", "ca", TRUE, NULL);
  make_key (pki, "srv.key", "ecdsa");
  make_cert (pki, "good.pem", "srv.key", "good", FALSE, NULL);
  make_cert (pki, "expired.pem", "srv.key", "expired", FALSE, NULL);
  make_cert (pki, "notyet.pem", "srv.key", "notyet", FALSE, NULL);
  make_cert (pki, "wrongname.pem", "srv.key", "wrongname", FALSE, NULL);
  make_cert (pki, "sha1.pem", "srv.key", "good", FALSE, "SHA1");
  make_cert (pki, "selfsigned.pem", "srv.key", "good", TRUE, NULL);
  make_cert (pki, "expired-self.pem", "srv.key", "expired", TRUE, NULL);
  /* TLS 1.0 servers sign their key exchange the old way, with RSA. */
  make_key (pki, "rsa.key", "rsa");
  make_cert (pki, "rsa.pem", "rsa.key", "good", FALSE, NULL);

  return pki;
}

static void
pki_free (Pki *pki)
{
  g_autoptr(GDir) dir = g_dir_open (pki->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = pki_path (pki, name);

      g_unlink (path);
    }
  g_rmdir (pki->dir);
  g_free (pki->dir);
  g_free (pki);
}

static GPtrArray *
der_chain_from_pem (const Pki  *pki,
                    const char *name)
{
  g_autofree char *path = pki_path (pki, name);
  g_autofree char *pem = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gnutls_x509_crt_t *crts = NULL;
  unsigned int n_crts = 0;
  gnutls_datum_t datum;
  gsize length;

  g_file_get_contents (path, &pem, &length, &error);
  g_assert_no_error (error);
  datum.data = (unsigned char *) pem;
  datum.size = length;
  g_assert_cmpint (gnutls_x509_crt_list_import2 (&crts, &n_crts, &datum,
                                                 GNUTLS_X509_FMT_PEM, 0), ==, 0);

  for (guint i = 0; i < n_crts; i++)
    {
      gnutls_datum_t der = { NULL, 0 };

      g_assert_cmpint (gnutls_x509_crt_export2 (crts[i], GNUTLS_X509_FMT_DER, &der), ==, 0);
      g_ptr_array_add (chain, g_bytes_new (der.data, der.size));
      gnutls_free (der.data);
      gnutls_x509_crt_deinit (crts[i]);
    }
  gnutls_free (crts);

  return chain;
}

/* Servers: openssl s_server processes and in-test GSocketServices */

typedef struct
{
  GSubprocess *process;
  guint16      port;
} Server;

static GInetSocketAddress *
loopback_address (guint16 port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

  return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (loopback, port));
}

static GSocketConnection *
connect_to (guint16   port,
            GError  **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GInetSocketAddress) address = loopback_address (port);

  return g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, error);
}

static void
wait_until_listening (guint16 port)
{
  for (guint i = 0; i < 500; i++)
    {
      g_autoptr(GSocketConnection) connection = connect_to (port, NULL);

      if (connection != NULL)
        return;
      g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    }

  g_error ("The test server on port %u did not start within 5 s", port);
}

/* Runs in the child: a test that aborts on a failed assertion cannot stop
 * its servers, so the kernel does it when the test process dies. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Starts `openssl s_server` on 127.0.0.1 with @cert and @key from the PKI
 * and any further arguments; it serves connections one after another. */
static Server *
server_start (const Pki  *pki,
              const char *cert,
              const char *key,
              ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  Server *server = g_new0 (Server, 1);
  const char *arg;
  va_list args;

  server->port = md_test_free_port ();
  g_ptr_array_add (argv, g_strdup ("openssl"));
  g_ptr_array_add (argv, g_strdup ("s_server"));
  g_ptr_array_add (argv, g_strdup ("-accept"));
  g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", server->port));
  g_ptr_array_add (argv, g_strdup ("-quiet"));
  g_ptr_array_add (argv, g_strdup ("-cert"));
  g_ptr_array_add (argv, g_strdup (cert));
  g_ptr_array_add (argv, g_strdup ("-key"));
  g_ptr_array_add (argv, g_strdup (key));
  va_start (args, key);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  /* stdin stays an open pipe: s_server ends a session on end of input. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_cwd (launcher, pki->dir);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher,
                                                  (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  wait_until_listening (server->port);

  return server;
}

static void
server_stop (Server *server)
{
  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, NULL);
  g_object_unref (server->process);
  g_free (server);
}

typedef enum
{
  PEER_HOLD,       /* accepts and never says a word */
  PEER_PLAINTEXT,  /* greets in plain SMTP */
  PEER_HANG_UP,    /* closes at once */
} PeerKind;

typedef struct
{
  GSocketService *service;
  GPtrArray      *held;
  PeerKind        kind;
  guint16         port;
} Peer;

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  Peer *peer = user_data;
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  const char *greeting = "220 mx.test.example ESMTP\r\n";

  if (peer->kind == PEER_PLAINTEXT)
    g_output_stream_write_all (output, greeting, strlen (greeting), NULL, NULL, NULL);
  if (peer->kind == PEER_HANG_UP)
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  else
    g_ptr_array_add (peer->held, g_object_ref (connection));

  return TRUE;
}

static Peer *
peer_new (PeerKind kind)
{
  Peer *peer = g_new0 (Peer, 1);
  g_autoptr(GInetSocketAddress) address = loopback_address (0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  peer->kind = kind;
  peer->held = g_ptr_array_new_with_free_func (g_object_unref);
  peer->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (peer->service), G_SOCKET_ADDRESS (address),
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                 &effective, &error);
  g_assert_no_error (error);
  peer->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (peer->service, "incoming", G_CALLBACK (on_incoming), peer);
  g_socket_service_start (peer->service);

  return peer;
}

static void
peer_free (Peer *peer)
{
  g_socket_service_stop (peer->service);
  g_socket_listener_close (G_SOCKET_LISTENER (peer->service));
  g_clear_object (&peer->service);
  g_ptr_array_unref (peer->held);
  g_free (peer);
}

/* Running the code under test */

static MdTlsInfo *
handshake (guint16        port,
           MdTlsVersion   version,
           const char    *server_name,
           GError       **error)
{
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) connect_error = NULL;

  connection = connect_to (port, &connect_error);
  g_assert_no_error (connect_error);
  md_tls_handshake_async (g_socket_connection_get_socket (connection), version, server_name,
                          NULL, md_test_store_result, &result);
  md_test_wait_result (&result, WAIT_MS);

  return md_tls_handshake_finish (result, error);
}

static MdTlsInfo *
verify_chain (GPtrArray   *chain,
              const char  *hostname,
              const char  *ca_file,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  md_tls_verify_chain_async (chain, hostname, ca_file, NULL, md_test_store_result, &result);
  md_test_wait_result (&result, WAIT_MS);

  return md_tls_verify_chain_finish (result, error);
}

/* Verifies certificate file @name for @hostname, trusting the test CA
 * when @with_ca, and returns the verdict. */
static MdTlsVerdict
verdict_of (const Pki  *pki,
            const char *name,
            const char *hostname,
            gboolean    with_ca)
{
  g_autoptr(GPtrArray) chain = der_chain_from_pem (pki, name);
  g_autofree char *ca_file = pki_path (pki, "ca.pem");
  g_autoptr(MdTlsInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = verify_chain (chain, hostname, with_ca ? ca_file : NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info->verdict_detail);
  g_test_message ("%s for %s: %s (%s)", name, hostname,
                  md_tls_verdict_to_string (info->verdict), info->verdict_detail);

  return info->verdict;
}

static const MdTlsCertInfo *
leaf (const MdTlsInfo *info)
{
  g_assert_nonnull (info->chain);
  g_assert_cmpuint (info->chain->len, >, 0);

  return g_ptr_array_index (info->chain, 0);
}

static gboolean
skip_without (const Pki  *pki,
              const char *program)
{
  if (pki == NULL)
    {
      g_test_skip ("certtool (gnutls-bin) is not installed");
      return TRUE;
    }
  if (program != NULL && !have_program (program))
    {
      g_autofree char *message = g_strdup_printf ("%s is not installed", program);

      g_test_skip (message);
      return TRUE;
    }

  return FALSE;
}

static void
assert_refused (guint16      port,
                MdTlsVersion version)
{
  g_autoptr(MdTlsInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  info = handshake (port, version, "localhost", &error);
  g_assert_null (info);
  g_assert_error (error, MD_ERROR, MD_ERROR_TLS);
  expected = g_strdup_printf ("The server does not accept %s.", md_tls_version_to_string (version));
  g_assert_cmpstr (error->message, ==, expected);
}

/* Strings and boxed type */

static void
test_strings (void)
{
  g_autoptr(MdTlsInfo) info = g_new0 (MdTlsInfo, 1);
  g_autoptr(MdTlsInfo) copy = NULL;
  MdTlsCertInfo *cert = g_new0 (MdTlsCertInfo, 1);
  const char *names[] = { "mx.test.example", NULL };

  g_assert_cmpstr (md_tls_version_to_string (MD_TLS_VERSION_1_0), ==, "TLS 1.0");
  g_assert_cmpstr (md_tls_version_to_string (MD_TLS_VERSION_1_3), ==, "TLS 1.3");
  g_assert_cmpstr (md_tls_verdict_to_string (MD_TLS_VERDICT_TRUSTED), ==, "trusted");
  g_assert_cmpstr (md_tls_verdict_to_string (MD_TLS_VERDICT_NAME_MISMATCH), ==, "name-mismatch");
  g_assert_cmpstr (g_type_name (MD_TYPE_TLS_INFO), ==, "MdTlsInfo");

  info->version = MD_TLS_VERSION_1_2;
  info->cipher_suite = g_strdup ("TLS_AES_128_GCM_SHA256");
  info->verdict = MD_TLS_VERDICT_EXPIRED;
  info->chain = g_ptr_array_new_with_free_func ((GDestroyNotify) md_tls_cert_info_free);
  cert->subject = g_strdup ("CN=mx.test.example");
  cert->names = g_strdupv ((GStrv) names);
  cert->not_after = g_date_time_new_now_utc ();
  cert->der = g_bytes_new_static ("der", 3);
  g_ptr_array_add (info->chain, cert);

  copy = g_boxed_copy (MD_TYPE_TLS_INFO, info);
  g_assert_cmpint (copy->version, ==, MD_TLS_VERSION_1_2);
  g_assert_cmpstr (copy->cipher_suite, ==, "TLS_AES_128_GCM_SHA256");
  g_assert_cmpint (copy->verdict, ==, MD_TLS_VERDICT_EXPIRED);
  g_assert_cmpuint (copy->chain->len, ==, 1);
  g_assert_cmpstr (leaf (copy)->subject, ==, "CN=mx.test.example");
  g_assert_cmpstrv (leaf (copy)->names, names);
  g_assert_true (g_bytes_equal (leaf (copy)->der, cert->der));
  g_assert_true (g_date_time_equal (leaf (copy)->not_after, cert->not_after));
}

/* Handshakes */

static void
test_handshake_modern (gconstpointer data)
{
  const Pki *pki = data;
  Server *server;
  g_autoptr(MdTlsInfo) info = NULL;
  g_autoptr(MdTlsInfo) info12 = NULL;
  g_autoptr(MdTlsInfo) verified = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  g_autofree char *ca_file = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without (pki, "openssl"))
    return;

  server = server_start (pki, "good.pem", "srv.key", "-cert_chain", "ca.pem", NULL);

  info = handshake (server->port, MD_TLS_VERSION_UNKNOWN, "mx.test.example", &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->version, ==, MD_TLS_VERSION_1_3);
  g_assert_true (g_str_has_prefix (info->cipher_suite, "TLS_AES_"));
  g_assert_cmpint (info->verdict, ==, MD_TLS_VERDICT_INVALID);
  g_assert_cmpuint (info->chain->len, ==, 2);
  g_assert_cmpstr (leaf (info)->subject, ==, "CN=localhost");
  g_assert_false (leaf (info)->self_signed);
  g_assert_true (((MdTlsCertInfo *) g_ptr_array_index (info->chain, 1))->self_signed);

  info12 = handshake (server->port, MD_TLS_VERSION_1_2, "mx.test.example", &error);
  g_assert_no_error (error);
  g_assert_cmpint (info12->version, ==, MD_TLS_VERSION_1_2);
  g_assert_true (g_str_has_prefix (info12->cipher_suite, "TLS_ECDHE_ECDSA_WITH_"));

  assert_refused (server->port, MD_TLS_VERSION_1_0);
  assert_refused (server->port, MD_TLS_VERSION_1_1);
  server_stop (server);

  /* What a probe saw can be verified like any chain. */
  chain = md_tls_info_dup_der_chain (info);
  g_assert_cmpuint (chain->len, ==, 2);
  ca_file = pki_path (pki, "ca.pem");
  verified = verify_chain (chain, "mx.test.example", ca_file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (verified->verdict, ==, MD_TLS_VERDICT_TRUSTED);
}

static void
test_handshake_tls10_only (gconstpointer data)
{
  const Pki *pki = data;
  Server *server;
  g_autoptr(MdTlsInfo) info = NULL;
  g_autoptr(MdTlsInfo) fallback = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without (pki, "openssl"))
    return;

  server = server_start (pki, "rsa.pem", "rsa.key", "-tls1", "-cipher", "DEFAULT:@SECLEVEL=0",
                         NULL);

  info = handshake (server->port, MD_TLS_VERSION_1_0, "mx.test.example", &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->version, ==, MD_TLS_VERSION_1_0);
  g_assert_nonnull (info->cipher_suite);
  g_test_message ("TLS 1.0 cipher suite: %s", info->cipher_suite);
  g_assert_cmpstr (leaf (info)->key_type, ==, "RSA");
  g_assert_cmpuint (leaf (info)->key_bits, ==, 2048);

  assert_refused (server->port, MD_TLS_VERSION_1_1);
  assert_refused (server->port, MD_TLS_VERSION_1_2);
  assert_refused (server->port, MD_TLS_VERSION_1_3);

  /* GnuTLS's defaults still settle for TLS 1.0, as GIO does: that is why
   * the versions are probed one by one. */
  fallback = handshake (server->port, MD_TLS_VERSION_UNKNOWN, "mx.test.example", &error);
  g_assert_no_error (error);
  g_assert_cmpint (fallback->version, ==, MD_TLS_VERSION_1_0);

  server_stop (server);
}

/* s_server answers with its second certificate only to the name given as
 * -servername, so the leaf shows whether SNI went out. */
static void
test_handshake_sni (gconstpointer data)
{
  const Pki *pki = data;
  Server *server;
  g_autoptr(MdTlsInfo) by_name = NULL;
  g_autoptr(MdTlsInfo) by_ip = NULL;
  g_autoptr(MdTlsInfo) other = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without (pki, "openssl"))
    return;

  server = server_start (pki, "good.pem", "srv.key", "-servername", "mx.test.example",
                         "-cert2", "wrongname.pem", "-key2", "srv.key", NULL);

  by_name = handshake (server->port, MD_TLS_VERSION_UNKNOWN, "mx.test.example", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (leaf (by_name)->subject, ==, "CN=wrong.invalid");

  by_ip = handshake (server->port, MD_TLS_VERSION_UNKNOWN, "127.0.0.1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (leaf (by_ip)->subject, ==, "CN=localhost");

  /* An unknown name draws a warning alert in TLS 1.2; it is not fatal. */
  other = handshake (server->port, MD_TLS_VERSION_1_2, "other.example", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (leaf (other)->subject, ==, "CN=localhost");

  server_stop (server);
}

static void
test_handshake_not_tls (void)
{
  Peer *plaintext = peer_new (PEER_PLAINTEXT);
  Peer *hang_up = peer_new (PEER_HANG_UP);
  g_autoptr(MdTlsInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = handshake (plaintext->port, MD_TLS_VERSION_UNKNOWN, "mx.test.example", &error);
  g_assert_null (info);
  g_assert_error (error, MD_ERROR, MD_ERROR_TLS);
  g_assert_cmpstr (error->message, ==, "The server did not answer with encryption. It may "
                   "expect plain text on this port.");
  g_clear_error (&error);

  info = handshake (hang_up->port, MD_TLS_VERSION_1_2, "mx.test.example", &error);
  g_assert_null (info);
  g_assert_error (error, MD_ERROR, MD_ERROR_TLS);
  g_assert_cmpstr (error->message, ==, "The server hung up while setting up encryption.");

  peer_free (plaintext);
  peer_free (hang_up);
}

typedef struct
{
  GCancellable *cancellable;
  GAsyncResult *result;
  gint64        cancelled_us;
  gint64        done_us;
  guint         ticks;
  gboolean      stop;
} Watch;

static void
on_handshake_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Watch *watch = user_data;

  watch->done_us = g_get_monotonic_time ();
  watch->result = g_object_ref (result);
}

static void
on_cancel (gpointer user_data)
{
  Watch *watch = user_data;

  watch->cancelled_us = g_get_monotonic_time ();
  g_cancellable_cancel (watch->cancellable);
}

static gboolean
on_tick (gpointer user_data)
{
  Watch *watch = user_data;

  watch->ticks++;
  return G_SOURCE_CONTINUE;
}

static void
on_stop (gpointer user_data)
{
  Watch *watch = user_data;

  watch->stop = TRUE;
}

static void
test_handshake_cancel (void)
{
  Peer *peer = peer_new (PEER_HOLD);
  g_autoptr(GSocketConnection) connection = connect_to (peer->port, NULL);
  g_autoptr(GError) error = NULL;
  Watch watch = { g_cancellable_new (), };

  g_assert_nonnull (connection);
  md_tls_handshake_async (g_socket_connection_get_socket (connection), MD_TLS_VERSION_UNKNOWN,
                          "mx.test.example", watch.cancellable, on_handshake_done, &watch);
  g_timeout_add_once (200, on_cancel, &watch);
  md_test_wait_result (&watch.result, WAIT_MS);

  g_assert_null (md_tls_handshake_finish (watch.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (watch.cancelled_us, >, 0);
  g_assert_cmpint (watch.done_us - watch.cancelled_us, <, 100 * G_TIME_SPAN_MILLISECOND);

  g_object_unref (watch.result);
  g_object_unref (watch.cancellable);
  peer_free (peer);
}

/* How callers bound a handshake: a deadline's cancellable, whose error
 * they turn into "timed out". */
static void
test_handshake_deadline (void)
{
  Peer *peer = peer_new (PEER_HOLD);
  g_autoptr(GSocketConnection) connection = connect_to (peer->port, NULL);
  g_autoptr(MdDeadline) deadline = md_deadline_new (NULL, 150);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started_us = g_get_monotonic_time ();
  gint64 elapsed_us;

  md_tls_handshake_async (g_socket_connection_get_socket (connection), MD_TLS_VERSION_1_3,
                          "mx.test.example", md_deadline_get_cancellable (deadline),
                          md_test_store_result, &result);
  md_test_wait_result (&result, WAIT_MS);
  elapsed_us = g_get_monotonic_time () - started_us;

  g_assert_null (md_tls_handshake_finish (result, &error));
  md_deadline_fix_error (deadline, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (elapsed_us, >=, 150 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (elapsed_us, <, 1000 * G_TIME_SPAN_MILLISECOND);

  peer_free (peer);
}

static void
test_handshake_responsive (void)
{
  Peer *peer = peer_new (PEER_HOLD);
  g_autoptr(GSocketConnection) connection = connect_to (peer->port, NULL);
  g_autoptr(GError) error = NULL;
  Watch watch = { g_cancellable_new (), };
  guint tick_id;

  md_tls_handshake_async (g_socket_connection_get_socket (connection), MD_TLS_VERSION_UNKNOWN,
                          "mx.test.example", watch.cancellable, on_handshake_done, &watch);
  tick_id = g_timeout_add (10, on_tick, &watch);
  g_timeout_add_once (300, on_stop, &watch);
  md_test_wait_until (&watch.stop, WAIT_MS);
  g_source_remove (tick_id);

  /* 30 ticks in an idle loop; half of that is plenty for "responsive". */
  g_assert_cmpuint (watch.ticks, >=, 15);
  g_assert_null (watch.result);

  g_cancellable_cancel (watch.cancellable);
  md_test_wait_result (&watch.result, WAIT_MS);
  g_assert_null (md_tls_handshake_finish (watch.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_object_unref (watch.result);
  g_object_unref (watch.cancellable);
  peer_free (peer);
}

static void
test_handshake_cancelled_before (void)
{
  Peer *peer = peer_new (PEER_HOLD);
  g_autoptr(GSocketConnection) connection = connect_to (peer->port, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  md_tls_handshake_async (g_socket_connection_get_socket (connection), MD_TLS_VERSION_UNKNOWN,
                          NULL, cancellable, md_test_store_result, &result);
  md_test_wait_result (&result, WAIT_MS);
  g_assert_null (md_tls_handshake_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  peer_free (peer);
}

/* GnuTLS 3.7 has no SSL 3.0 at all, so a probe cannot say the server
 * refused it. */
static void
test_handshake_ssl3 (void)
{
  Peer *peer = peer_new (PEER_HOLD);
  g_autoptr(MdTlsInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = handshake (peer->port, MD_TLS_VERSION_SSL_3_0, "mx.test.example", &error);
  g_assert_null (info);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==, "This program cannot test SSL 3.0.");

  peer_free (peer);
}

/* Verification */

static char *
openssl_fingerprint (const Pki  *pki,
                     const char *name)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  const char *equals;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_cwd (launcher, pki->dir);
  process = g_subprocess_launcher_spawn (launcher, &error, "openssl", "x509", "-in", name,
                                         "-noout", "-fingerprint", "-sha256", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, &error);
  g_assert_no_error (error);

  /* "sha256 Fingerprint=AB:CD:..." */
  equals = strchr (output, '=');
  g_assert_nonnull (equals);
  return g_strstrip (g_strdup (equals + 1));
}

static void
test_verify_trusted (gconstpointer data)
{
  const Pki *pki = data;
  g_autoptr(GPtrArray) chain = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(MdTlsInfo) info = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  const char *names[] = { "localhost", "mx.test.example", "127.0.0.1", "::1", NULL };
  const MdTlsCertInfo *cert;

  if (skip_without (pki, NULL))
    return;

  chain = der_chain_from_pem (pki, "good.pem");
  ca_file = pki_path (pki, "ca.pem");
  info = verify_chain (chain, "mx.test.example", ca_file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->verdict, ==, MD_TLS_VERDICT_TRUSTED);
  g_assert_cmpstr (info->verdict_detail, ==, "The certificate is trusted.");

  cert = leaf (info);
  g_assert_cmpstr (cert->subject, ==, "CN=localhost");
  g_assert_cmpstr (cert->issuer, ==, "CN=Probe Test CA");
  g_assert_cmpstrv (cert->names, names);
  g_assert_cmpstr (cert->key_type, ==, "ECDSA");
  g_assert_cmpuint (cert->key_bits, ==, 256);
  g_assert_false (cert->self_signed);
  g_assert_cmpint (g_date_time_compare (cert->not_before, now), <=, 0);
  g_assert_cmpint (g_date_time_compare (cert->not_after, now), >, 0);
  g_assert_true (g_bytes_equal (cert->der, g_ptr_array_index (chain, 0)));

  if (have_program ("openssl"))
    {
      fingerprint = openssl_fingerprint (pki, "good.pem");
      g_assert_cmpstr (cert->fingerprint_sha256, ==, fingerprint);
    }
}

static void
test_verify_verdicts (gconstpointer data)
{
  const Pki *pki = data;

  if (skip_without (pki, NULL))
    return;

  g_assert_cmpint (verdict_of (pki, "good.pem", "mx.test.example", FALSE), ==,
                   MD_TLS_VERDICT_UNKNOWN_ISSUER);
  g_assert_cmpint (verdict_of (pki, "expired.pem", "mx.test.example", TRUE), ==,
                   MD_TLS_VERDICT_EXPIRED);
  g_assert_cmpint (verdict_of (pki, "notyet.pem", "mx.test.example", TRUE), ==,
                   MD_TLS_VERDICT_NOT_YET_VALID);
  g_assert_cmpint (verdict_of (pki, "selfsigned.pem", "mx.test.example", TRUE), ==,
                   MD_TLS_VERDICT_SELF_SIGNED);
  g_assert_cmpint (verdict_of (pki, "wrongname.pem", "mx.test.example", TRUE), ==,
                   MD_TLS_VERDICT_NAME_MISMATCH);
  g_assert_cmpint (verdict_of (pki, "good.pem", "10.0.0.1", TRUE), ==,
                   MD_TLS_VERDICT_NAME_MISMATCH);
  g_assert_cmpint (verdict_of (pki, "sha1.pem", "mx.test.example", TRUE), ==,
                   MD_TLS_VERDICT_INSECURE);
}

/* GnuTLS reports every problem it finds; the verdict is the first of the
 * documented order. */
static void
test_verify_order (gconstpointer data)
{
  const Pki *pki = data;

  if (skip_without (pki, NULL))
    return;

  g_assert_cmpint (verdict_of (pki, "expired-self.pem", "mx.test.example", FALSE), ==,
                   MD_TLS_VERDICT_EXPIRED);
  g_assert_cmpint (verdict_of (pki, "expired.pem", "wrong.invalid", TRUE), ==,
                   MD_TLS_VERDICT_EXPIRED);
  g_assert_cmpint (verdict_of (pki, "selfsigned.pem", "wrong.invalid", FALSE), ==,
                   MD_TLS_VERDICT_SELF_SIGNED);
  g_assert_cmpint (verdict_of (pki, "good.pem", "wrong.invalid", FALSE), ==,
                   MD_TLS_VERDICT_UNKNOWN_ISSUER);
}

static void
test_verify_ip (gconstpointer data)
{
  const Pki *pki = data;

  if (skip_without (pki, NULL))
    return;

  g_assert_cmpint (verdict_of (pki, "good.pem", "127.0.0.1", TRUE), ==, MD_TLS_VERDICT_TRUSTED);
  g_assert_cmpint (verdict_of (pki, "good.pem", "::1", TRUE), ==, MD_TLS_VERDICT_TRUSTED);
  g_assert_cmpint (verdict_of (pki, "good.pem", "localhost", TRUE), ==, MD_TLS_VERDICT_TRUSTED);
}

/* A self-signed certificate that the user chose to trust is trusted. */
static void
test_verify_self_signed_trusted (gconstpointer data)
{
  const Pki *pki = data;
  g_autoptr(GPtrArray) chain = NULL;
  g_autofree char *ca_file = NULL;
  g_autoptr(MdTlsInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without (pki, NULL))
    return;

  chain = der_chain_from_pem (pki, "selfsigned.pem");
  ca_file = pki_path (pki, "selfsigned.pem");
  info = verify_chain (chain, "mx.test.example", ca_file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->verdict, ==, MD_TLS_VERDICT_TRUSTED);
  g_assert_true (leaf (info)->self_signed);
}

static void
test_verify_ca_file (gconstpointer data)
{
  const Pki *pki = data;
  g_autoptr(GPtrArray) chain = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *cwd = g_get_current_dir ();
  g_autoptr(MdTlsInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without (pki, NULL))
    return;

  chain = der_chain_from_pem (pki, "good.pem");
  missing = pki_path (pki, "missing.pem");
  info = verify_chain (chain, "mx.test.example", missing, &error);
  g_assert_null (info);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing));
  g_assert_nonnull (strstr (error->message, "does not exist"));
  g_clear_error (&error);

  empty = pki_path (pki, "empty.pem");
  g_file_set_contents (empty, "no certificates here\n", -1, &error);
  g_assert_no_error (error);
  info = verify_chain (chain, "mx.test.example", empty, &error);
  g_assert_null (info);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  /* A relative path is taken from the current directory. */
  g_assert_cmpint (g_chdir (pki->dir), ==, 0);
  info = verify_chain (chain, "mx.test.example", "ca.pem", &error);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (info->verdict, ==, MD_TLS_VERDICT_TRUSTED);
}

static void
test_verify_bad_chain (void)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(MdTlsInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = verify_chain (chain, "mx.test.example", NULL, &error);
  g_assert_null (info);
  g_assert_error (error, MD_ERROR, MD_ERROR_TLS);
  g_clear_error (&error);

  g_ptr_array_add (chain, g_bytes_new_static ("not a certificate", 17));
  info = verify_chain (chain, "mx.test.example", NULL, &error);
  g_assert_null (info);
  g_assert_error (error, MD_ERROR, MD_ERROR_TLS);
}

static void
test_verify_cancelled (gconstpointer data)
{
  const Pki *pki = data;
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without (pki, NULL))
    return;

  chain = der_chain_from_pem (pki, "good.pem");
  g_cancellable_cancel (cancellable);
  md_tls_verify_chain_async (chain, "mx.test.example", NULL, cancellable, md_test_store_result,
                             &result);
  md_test_wait_result (&result, WAIT_MS);
  g_assert_null (md_tls_verify_chain_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  Pki *pki = NULL;
  int ret;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  if (have_program ("certtool"))
    pki = pki_new ();

  g_test_add_func ("/md/core/tls/strings", test_strings);
  g_test_add_data_func ("/md/core/tls/handshake/modern", pki, test_handshake_modern);
  g_test_add_data_func ("/md/core/tls/handshake/tls10-only", pki, test_handshake_tls10_only);
  g_test_add_data_func ("/md/core/tls/handshake/sni", pki, test_handshake_sni);
  g_test_add_func ("/md/core/tls/handshake/not-tls", test_handshake_not_tls);
  g_test_add_func ("/md/core/tls/handshake/cancel", test_handshake_cancel);
  g_test_add_func ("/md/core/tls/handshake/deadline", test_handshake_deadline);
  g_test_add_func ("/md/core/tls/handshake/responsive", test_handshake_responsive);
  g_test_add_func ("/md/core/tls/handshake/cancelled-before", test_handshake_cancelled_before);
  g_test_add_func ("/md/core/tls/handshake/ssl3", test_handshake_ssl3);
  g_test_add_data_func ("/md/core/tls/verify/trusted", pki, test_verify_trusted);
  g_test_add_data_func ("/md/core/tls/verify/verdicts", pki, test_verify_verdicts);
  g_test_add_data_func ("/md/core/tls/verify/order", pki, test_verify_order);
  g_test_add_data_func ("/md/core/tls/verify/ip", pki, test_verify_ip);
  g_test_add_data_func ("/md/core/tls/verify/self-signed-trusted", pki,
                        test_verify_self_signed_trusted);
  g_test_add_data_func ("/md/core/tls/verify/ca-file", pki, test_verify_ca_file);
  g_test_add_func ("/md/core/tls/verify/bad-chain", test_verify_bad_chain);
  g_test_add_data_func ("/md/core/tls/verify/cancelled", pki, test_verify_cancelled);

  ret = g_test_run ();

  if (pki != NULL)
    pki_free (pki);

  return ret;
}
