/* test-hostile.c: the scripted hostile peer, and the CLI against it
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <json-glib/json-glib.h>

#include "md-diagnosis.h"
#include "md-test-peer.h"
#include "md-test-resolver.h"
#include "md-test-utils.h"

#define CANARY          "Canary-Pa55-ZQXJ"
#define WRONG_PASSWORD  "Wrong-Pa55-KJVB"

/* Bounds every blocking call of the self-test's own client. */
#define CLIENT_TIMEOUT_S 5

/* How long after the CLI exits the peer may take to see it go. */
#define PEER_DONE_MS 3000

typedef struct
{
  MdTestPki *pki;
  char      *cli;
} Context;

static gboolean
need_pki (const Context *ctx)
{
  if (ctx->pki == NULL)
    g_test_skip ("certtool (gnutls-bin) is needed to make a test certificate");

  return ctx->pki != NULL;
}

static MdTestPeer *
start_peer (const Context *ctx,
            const char    *scenario,
            const char    *password)
{
  GTlsCertificate *certificate = ctx->pki ? md_test_pki_get_certificate (ctx->pki) : NULL;
  MdTestScript *script = md_test_script_new_scenario (scenario, certificate, password);

  g_assert_nonnull (script);
  return md_test_peer_new (script);
}

/* The self-test's client: plain blocking GIO, bounded by socket timeouts */

static GSocketConnection *
client_connect (MdTestPeer *peer)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  address = g_inet_socket_address_new (loopback, md_test_peer_get_port (peer));
  g_socket_client_set_timeout (client, CLIENT_TIMEOUT_S);
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  g_assert_no_error (error);
  return connection;
}

/* Reads through the next LF one byte at a time, so nothing past it is
 * buffered: the stream may switch to TLS next. */
static GBytes *
client_read_line (GIOStream *stream)
{
  GInputStream *in = g_io_stream_get_input_stream (stream);
  g_autoptr(GByteArray) line = g_byte_array_new ();
  guint8 byte = 0;

  while (byte != '\n')
    {
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (g_input_stream_read (in, &byte, 1, NULL, &error), ==, 1);
      g_assert_no_error (error);
      g_byte_array_append (line, &byte, 1);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&line));
}

static void
client_expect (GIOStream  *stream,
               const char *expected)
{
  g_autoptr(GBytes) line = client_read_line (stream);
  gsize len = 0;
  const char *data = g_bytes_get_data (line, &len);

  g_assert_cmpmem (data, len, expected, strlen (expected));
}

/* Reads a whole reply (up to the line with a space after the code). */
static char *
client_read_reply (GIOStream *stream)
{
  g_autoptr(GString) reply = g_string_new (NULL);
  gboolean last = FALSE;

  while (!last)
    {
      g_autoptr(GBytes) line = client_read_line (stream);
      gsize len = 0;
      const char *data = g_bytes_get_data (line, &len);

      g_assert_cmpuint (len, >=, 4);
      last = data[3] == ' ';
      g_string_append_len (reply, data, len);
    }

  return g_string_free (g_steal_pointer (&reply), FALSE);
}

static void
client_send (GIOStream  *stream,
             const char *text)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (stream), text, strlen (text),
                             NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
client_expect_eof (GIOStream *stream)
{
  g_autoptr(GError) error = NULL;
  guint8 byte;

  g_assert_cmpint (g_input_stream_read (g_io_stream_get_input_stream (stream), &byte, 1,
                                        NULL, &error), ==, 0);
  g_assert_no_error (error);
}

static char *
base64_of (const char *text)
{
  return g_base64_encode ((const guchar *) text, strlen (text));
}

/* The AUTH PLAIN blob: authzid NUL user NUL password. */
static char *
plain_blob (const char *authzid,
            const char *user,
            const char *password)
{
  g_autoptr(GString) blob = g_string_new (authzid);

  g_string_append_c (blob, '\0');
  g_string_append (blob, user);
  g_string_append_c (blob, '\0');
  g_string_append (blob, password);
  return g_base64_encode ((const guchar *) blob->str, blob->len);
}

/* Peer self-tests */

static void
test_peer_scenarios (gconstpointer data)
{
  static const char * const plain[] = {
    "greet421", "greet421-ml", "silent", "slowloris", "close-mid-reply", "overlong", "nul",
    "bare-lf", "mixed-codes", "ehlo421", "starttls-454", "starttls-421", "starttls-missing",
    "reset-greeting", "reset-ehlo", "reset-starttls", "reset-handshake", "drip-ehlo", "half-close",
    "drip-starttls",
  };
  static const char * const with_tls[] = {
    "starttls-inject", "starttls-ok", "tls-auth421", "tls-close-mid-ehlo", "tls-raw-garbage",
    "tls-noise-reply", "reset-auth", "reset-quit", "drip-tls-ehlo", "auth-garbage", "auth-bare-334",
    "auth-loop", "drip-auth", "starttls-inject-late",
  };
  const Context *ctx = data;

  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    {
      g_autoptr(MdTestScript) script = md_test_script_new_scenario (plain[i], NULL, NULL);

      g_assert_nonnull (script);
    }

  g_assert_null (md_test_script_new_scenario ("no-such-scenario", NULL, NULL));

  for (guint i = 0; ctx->pki != NULL && i < G_N_ELEMENTS (with_tls); i++)
    {
      GTlsCertificate *certificate = md_test_pki_get_certificate (ctx->pki);
      g_autoptr(MdTestScript) script = NULL;

      script = md_test_script_new_scenario (with_tls[i], certificate, CANARY);

      g_assert_nonnull (script);
    }
}

static void
test_peer_greet421 (gconstpointer data)
{
  g_autoptr(MdTestPeer) peer = start_peer (data, "greet421", NULL);
  g_autoptr(GSocketConnection) connection = client_connect (peer);
  GIOStream *stream = G_IO_STREAM (connection);
  g_auto(GStrv) lines = NULL;

  client_expect (stream,
                 "421 4.7.0 mx.test.example Error: too many connections from 127.0.0.1\r\n");
  client_send (stream, "QUIT\r\n");
  client_expect_eof (stream);

  md_test_peer_wait_done (peer, PEER_DONE_MS);
  lines = md_test_peer_dup_lines (peer);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  g_assert_cmpstr (lines[0], ==, "QUIT");
  g_assert_cmpuint (md_test_peer_get_n_connections (peer), ==, 1);
}

static void
test_peer_raw_bytes (gconstpointer data)
{
  g_autoptr(MdTestPeer) nul = start_peer (data, "nul", NULL);
  g_autoptr(MdTestPeer) bare_lf = start_peer (data, "bare-lf", NULL);
  g_autoptr(MdTestPeer) mixed = start_peer (data, "mixed-codes", NULL);
  g_autoptr(GSocketConnection) nul_connection = client_connect (nul);
  g_autoptr(GSocketConnection) lf_connection = client_connect (bare_lf);
  g_autoptr(GSocketConnection) mixed_connection = client_connect (mixed);
  g_autoptr(GBytes) greeting = client_read_line (G_IO_STREAM (nul_connection));
  GIOStream *lf = G_IO_STREAM (lf_connection);
  GIOStream *mixed_stream = G_IO_STREAM (mixed_connection);

  g_assert_cmpmem (g_bytes_get_data (greeting, NULL), g_bytes_get_size (greeting),
                   "220 mx\0evil\r\n", 13);

  client_expect (lf, "220 mx.test.example ESMTP\n");
  client_send (lf, "EHLO self-test\r\n");
  client_expect (lf, "250-mx.test.example\n");
  client_expect (lf, "250-SIZE 10240000\n");
  client_expect (lf, "250 8BITMIME\n");
  client_send (lf, "QUIT\r\n");
  client_expect (lf, "221 2.0.0 Bye\n");
  client_expect_eof (lf);

  g_free (client_read_reply (mixed_stream));
  client_send (mixed_stream, "EHLO self-test\r\n");
  client_expect (mixed_stream, "250-a\r\n");
  client_expect (mixed_stream, "220 b\r\n");
}

/* The peer must stop promptly while it holds a client, after sending a
 * line of 100 000 bytes with no end. */
static void
test_peer_overlong_stop (gconstpointer data)
{
  g_autoptr(MdTestPeer) peer = start_peer (data, "overlong", NULL);
  g_autoptr(GSocketConnection) connection = client_connect (peer);
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autofree char *line = g_malloc (100000);
  gsize total = 0;
  gint64 start;

  while (total < 100000)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_input_stream_read (in, line + total, 100000 - total, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      total += n;
    }

  g_assert_true (g_str_has_prefix (line, "220 "));
  g_assert_null (memchr (line, '\n', total));

  start = g_get_monotonic_time ();
  g_clear_pointer (&peer, md_test_peer_free);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  client_expect_eof (G_IO_STREAM (connection));
}

static void
test_peer_timing (gconstpointer data)
{
  g_autoptr(MdTestScript) script = md_test_script_new ();
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  gint64 start;

  md_test_script_drip (script, "abc", 100);
  md_test_script_sleep (script, 200);
  md_test_script_send (script, "\r\n", -1);
  md_test_script_close (script);
  peer = md_test_peer_new (g_steal_pointer (&script));
  connection = client_connect (peer);

  start = g_get_monotonic_time ();
  client_expect (G_IO_STREAM (connection), "abc\r\n");
  /* Two drip gaps and the sleep, with a little slack for timer rounding. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 350 * G_TIME_SPAN_MILLISECOND);
  client_expect_eof (G_IO_STREAM (connection));
}

/* Close gives the client EOF; reset gives it an error. */
static void
test_peer_reset (gconstpointer data)
{
  g_autoptr(MdTestScript) script = md_test_script_new ();
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  guint8 byte;

  md_test_script_send (script, "220 x\r\n", -1);
  md_test_script_expect (script);
  md_test_script_reset (script);
  peer = md_test_peer_new (g_steal_pointer (&script));
  connection = client_connect (peer);

  client_expect (G_IO_STREAM (connection), "220 x\r\n");
  client_send (G_IO_STREAM (connection), "EHLO self-test\r\n");
  g_assert_cmpint (g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                        &byte, 1, NULL, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
}

static GIOStream *
client_start_tls (const Context *ctx,
                  GIOStream     *stream)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnectable) identity = g_network_address_new ("127.0.0.1", 0);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GIOStream) tls = NULL;

  database = g_tls_file_database_new (md_test_pki_get_ca_file (ctx->pki), &error);
  g_assert_no_error (error);
  tls = g_tls_client_connection_new (stream, identity, &error);
  g_assert_no_error (error);
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), database);
  g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&tls);
}

static void
test_peer_starttls_ok (gconstpointer data)
{
  const Context *ctx = data;
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GIOStream) tls = NULL;
  g_autofree char *ehlo = NULL;
  g_autofree char *wrong = plain_blob ("", MD_TEST_PEER_USER, WRONG_PASSWORD);
  g_autofree char *user = base64_of (MD_TEST_PEER_USER);
  g_autofree char *password = base64_of (CANARY);
  g_autofree char *command = NULL;
  g_autofree char *plaintext = NULL;

  if (!need_pki (ctx))
    return;

  peer = start_peer (ctx, "starttls-ok", CANARY);
  connection = client_connect (peer);
  g_free (client_read_reply (G_IO_STREAM (connection)));
  client_send (G_IO_STREAM (connection), "EHLO self-test\r\n");
  ehlo = client_read_reply (G_IO_STREAM (connection));
  g_assert_nonnull (strstr (ehlo, "250-STARTTLS\r\n"));
  client_send (G_IO_STREAM (connection), "STARTTLS\r\n");
  client_expect (G_IO_STREAM (connection), "220 2.0.0 Ready to start TLS\r\n");

  tls = client_start_tls (ctx, G_IO_STREAM (connection));
  client_send (tls, "EHLO self-test\r\n");
  g_clear_pointer (&ehlo, g_free);
  ehlo = client_read_reply (tls);
  g_assert_nonnull (strstr (ehlo, "250-AUTH PLAIN LOGIN\r\n"));
  g_assert_null (strstr (ehlo, "STARTTLS"));

  command = g_strdup_printf ("AUTH PLAIN %s\r\n", wrong);
  client_send (tls, command);
  client_expect (tls, "535 5.7.8 Error: authentication failed\r\n");
  client_send (tls, "AUTH LOGIN\r\n");
  client_expect (tls, "334 VXNlcm5hbWU6\r\n");
  client_send (tls, user);
  client_send (tls, "\r\n");
  client_expect (tls, "334 UGFzc3dvcmQ6\r\n");
  client_send (tls, password);
  client_send (tls, "\r\n");
  client_expect (tls, "235 2.7.0 Authentication successful\r\n");
  client_send (tls, "QUIT\r\n");
  client_expect (tls, "221 2.0.0 Bye\r\n");

  md_test_peer_wait_done (peer, PEER_DONE_MS);
  plaintext = md_test_peer_dup_plaintext (peer);
  g_assert_cmpstr (plaintext, ==, "EHLO self-test\nSTARTTLS\n");
  g_assert_true (md_test_peer_saw_over_tls (peer, "AUTH LOGIN"));
  g_assert_false (md_test_peer_saw_over_tls (peer, "STARTTLS"));
}

/* A client fooled by the injection that goes on in the clear is recorded,
 * not lost in a failed handshake. */
static void
test_peer_starttls_inject (gconstpointer data)
{
  const Context *ctx = data;
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autofree char *blob = plain_blob ("", MD_TEST_PEER_USER, CANARY);
  g_autofree char *command = g_strdup_printf ("AUTH PLAIN %s\r\n", blob);
  g_autofree char *plaintext = NULL;
  GIOStream *stream;

  if (!need_pki (ctx))
    return;

  peer = start_peer (ctx, "starttls-inject", CANARY);
  connection = client_connect (peer);
  stream = G_IO_STREAM (connection);
  g_free (client_read_reply (stream));
  client_send (stream, "EHLO self-test\r\n");
  g_free (client_read_reply (stream));
  client_send (stream, "STARTTLS\r\n");
  client_expect (stream, "220 go ahead\r\n");
  client_expect (stream, "250-INJECTED\r\n");
  client_expect (stream, "250 AUTH PLAIN\r\n");
  client_send (stream, command);
  g_io_stream_close (stream, NULL, NULL);

  md_test_peer_wait_done (peer, PEER_DONE_MS);
  plaintext = md_test_peer_dup_plaintext (peer);
  g_assert_nonnull (strstr (plaintext, blob));
  g_assert_false (md_test_peer_saw_over_tls (peer, "AUTH"));
}

/* The CLI against the peer */

typedef struct
{
  int         status;
  gint64      elapsed_ms;
  char       *out;
  char       *err;
  JsonParser *parser;
  JsonObject *root;
} CliRun;

static void
cli_run_free (CliRun *run)
{
  g_free (run->out);
  g_free (run->err);
  g_clear_object (&run->parser);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliRun, cli_run_free)

static gboolean
on_cli_deadline (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the test's main context (the peer serves from its own thread)
 * until the CLI is done; kills it if it is not done in @timeout_ms. */
static GAsyncResult *
cli_wait (GSubprocess   *subprocess,
          GAsyncResult **result,
          guint          timeout_ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (timeout_ms, on_cli_deadline, &expired);

  while (*result == NULL && !expired)
    g_main_context_iteration (NULL, TRUE);

  if (expired)
    {
      g_subprocess_force_exit (subprocess);
      g_subprocess_wait (subprocess, NULL, NULL);
      g_test_message ("the CLI was still running after %u ms", timeout_ms);
      g_assert_not_reached ();
    }

  g_source_remove (id);
  return *result;
}

static char *
bytes_to_string (GBytes *bytes)
{
  gsize len = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;

  return g_strndup (data ? data : "", len);
}

static void
cli_parse (CliRun *run)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  run->parser = json_parser_new ();
  json_parser_load_from_data (run->parser, run->out, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (run->parser);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  run->root = json_node_get_object (root);
}

/* Runs `mail-doctor-cli check` against @peer with the common options and
 * @extra (NULL-terminated), and parses its JSON. */
static CliRun *
cli_run (const Context      *ctx,
         MdTestPeer         *peer,
         const char         *security,
         guint               timeout_s,
         const char * const *extra)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GBytes) no_input = g_bytes_new_static ("", 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *command = NULL;
  CliRun *run = g_new0 (CliRun, 1);
  gboolean exited;
  gint64 start;

  g_assert_true (g_file_test (ctx->cli, G_FILE_TEST_IS_EXECUTABLE));

  g_ptr_array_add (argv, g_strdup (ctx->cli));
  g_ptr_array_add (argv, g_strdup ("check"));
  g_ptr_array_add (argv, g_strdup ("--host"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1"));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", md_test_peer_get_port (peer)));
  g_ptr_array_add (argv, g_strdup ("--security"));
  g_ptr_array_add (argv, g_strdup (security));
  /* Other ports, and every DNS-based check: these tests are about one
   * SMTP conversation, and no test may depend on the machine's resolver. */
  g_ptr_array_add (argv, g_strdup ("--skip"));
  g_ptr_array_add (argv, g_strdup ("net.ports,tls.versions,rep.client-ip,rep.rdns,rep.dnsbl,"
                                   "rep.dnsbl-server,rep.dnsbl-domain,auth.spf,auth.dkim,"
                                   "auth.dmarc,auth.mta-sts"));
  g_ptr_array_add (argv, g_strdup ("--timeout"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", timeout_s));
  g_ptr_array_add (argv, g_strdup ("--format"));
  g_ptr_array_add (argv, g_strdup ("json"));
  for (; extra != NULL && *extra != NULL; extra++)
    g_ptr_array_add (argv, g_strdup (*extra));
  g_ptr_array_add (argv, NULL);

  command = g_strjoinv (" ", (char **) argv->pdata);
  g_test_message ("running %s", command);

  start = g_get_monotonic_time ();
  subprocess = g_subprocess_newv ((const char * const *) argv->pdata,
                                  G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                  G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                  G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                  &error);
  g_assert_no_error (error);
  /* An empty stdin: the CLI must never wait for input it was not told of. */
  g_subprocess_communicate_async (subprocess, no_input, NULL, md_test_store_result, &result);
  cli_wait (subprocess, &result, (timeout_s + 10) * 1000);
  g_subprocess_communicate_finish (subprocess, result, &out, &err, &error);
  g_assert_no_error (error);
  g_subprocess_wait (subprocess, NULL, &error);
  g_assert_no_error (error);

  run->elapsed_ms = (g_get_monotonic_time () - start) / G_TIME_SPAN_MILLISECOND;
  run->out = bytes_to_string (out);
  run->err = bytes_to_string (err);
  exited = g_subprocess_get_if_exited (subprocess);
  g_test_message ("%s %d after %" G_GINT64_FORMAT " ms\nstderr: %s\nstdout: %s",
                  exited ? "exit status" : "killed by signal",
                  exited ? g_subprocess_get_exit_status (subprocess)
                         : g_subprocess_get_term_sig (subprocess),
                  run->elapsed_ms, run->err, run->out);

  /* A crash is never an acceptable answer to a hostile server. */
  g_assert_true (exited);
  run->status = g_subprocess_get_exit_status (subprocess);
  cli_parse (run);
  return run;
}

static JsonObject *
cli_get_check (CliRun     *run,
               const char *id)
{
  JsonArray *checks;

  g_assert_true (json_object_has_member (run->root, "checks"));
  checks = json_object_get_array_member (run->root, "checks");

  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (check, "id", NULL), id) == 0)
        return check;
    }

  g_test_message ("no check %s in the report", id);
  g_assert_not_reached ();
}

static const char *
cli_status (CliRun     *run,
            const char *id)
{
  return json_object_get_string_member_with_default (cli_get_check (run, id), "status", NULL);
}

/* Returns NULL when the check has no such evidence. */
static const char *
cli_evidence (CliRun     *run,
              const char *id,
              const char *key)
{
  JsonObject *check = cli_get_check (run, id);
  JsonObject *evidence;

  if (!json_object_has_member (check, "evidence"))
    return NULL;

  evidence = json_object_get_object_member (check, "evidence");
  return json_object_get_string_member_with_default (evidence, key, NULL);
}

static void
assert_evidence_contains (CliRun     *run,
                          const char *id,
                          const char *key,
                          const char *needle)
{
  const char *value = cli_evidence (run, id, key);

  g_assert_nonnull (value);
  g_assert_nonnull (strstr (value, needle));
}

/* The password, its base64 (LOGIN), and the AUTH PLAIN blob (with and
 * without an authzid) must appear nowhere in @text. */
static void
assert_no_secret (const char *text,
                  const char *password)
{
  g_autofree char *login = base64_of (password);
  g_autofree char *plain = plain_blob ("", MD_TEST_PEER_USER, password);
  g_autofree char *plain_authzid = plain_blob (MD_TEST_PEER_USER, MD_TEST_PEER_USER, password);

  g_assert_null (strstr (text, password));
  g_assert_null (strstr (text, login));
  g_assert_null (strstr (text, plain));
  g_assert_null (strstr (text, plain_authzid));
}

static void
assert_secret_kept (CliRun     *run,
                    MdTestPeer *peer,
                    const char *password)
{
  g_autofree char *plaintext = NULL;

  md_test_peer_wait_done (peer, PEER_DONE_MS);
  plaintext = md_test_peer_dup_plaintext (peer);

  assert_no_secret (run->out, password);
  assert_no_secret (run->err, password);
  assert_no_secret (plaintext, password);
}

/* Tests run only under `meson test`, which says where the build is. */
static gboolean
need_cli (const Context *ctx)
{
  if (ctx->cli == NULL)
    g_test_skip ("MD_TEST_BUILDDIR is not set: run through meson test");

  return ctx->cli != NULL;
}

static char *
write_password_file (const char *password)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("md-test-password-XXXXXX", &path, &error);

  /* g_file_open_tmp makes the file 0600, as a password file should be. */
  g_assert_no_error (error);
  g_assert_cmpint (write (fd, password, strlen (password)), ==, (gssize) strlen (password));
  g_close (fd, NULL);
  return path;
}

/* Runs an authenticated check as alice with @password from a file. */
static CliRun *
cli_run_auth_timeout (const Context *ctx,
                      MdTestPeer    *peer,
                      const char    *security,
                      const char    *password,
                      guint          timeout_s)
{
  g_autofree char *file = write_password_file (password);
  const char *ca_file = ctx->pki ? md_test_pki_get_ca_file (ctx->pki) : NULL;
  const char *extra[] = {
    "--user", MD_TEST_PEER_USER, "--password-file", file,
    ca_file ? "--ca-file" : NULL, ca_file, NULL
  };
  CliRun *run = cli_run (ctx, peer, security, timeout_s, extra);

  g_unlink (file);
  return run;
}

static CliRun *
cli_run_auth (const Context *ctx,
              MdTestPeer    *peer,
              const char    *security,
              const char    *password)
{
  return cli_run_auth_timeout (ctx, peer, security, password, 10);
}

static void
test_cli_greet421 (gconstpointer data)
{
  const Context *ctx = data;
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(CliRun) run = NULL;
  g_auto(GStrv) lines = NULL;

  if (!need_cli (ctx))
    return;

  peer = start_peer (ctx, "greet421", NULL);
  run = cli_run (ctx, peer, "auto", 10, NULL);

  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (cli_status (run, "smtp.greeting"), ==, "fail");
  g_assert_cmpstr (cli_evidence (run, "smtp.greeting", "code"), ==, "421");
  g_assert_cmpstr (cli_evidence (run, "smtp.greeting", "enhanced_code"), ==, "4.7.0");
  g_assert_cmpstr (cli_evidence (run, "smtp.greeting", "stage"), ==, "greeting");

  /* After a 421 greeting a client may say QUIT or just close; nothing else. */
  md_test_peer_wait_done (peer, PEER_DONE_MS);
  lines = md_test_peer_dup_lines (peer);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpint (g_ascii_strcasecmp (lines[i], "QUIT"), ==, 0);
}

static void
test_cli_greet421_multiline (gconstpointer data)
{
  const Context *ctx = data;
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(CliRun) run = NULL;

  if (!need_cli (ctx))
    return;

  peer = start_peer (ctx, "greet421-ml", NULL);
  run = cli_run (ctx, peer, "auto", 10, NULL);

  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (cli_status (run, "smtp.greeting"), ==, "fail");
  g_assert_cmpstr (cli_evidence (run, "smtp.greeting", "code"), ==, "421");
  assert_evidence_contains (run, "smtp.greeting", "text", "too many connections from 127.0.0.1");
  assert_evidence_contains (run, "smtp.greeting", "text", "Please try again later");
  g_assert_false (md_test_peer_saw (peer, "EHLO"));
}

/* Whatever the server does, a run ends within --timeout plus 1 s of slack
 * (and some for the process to start and write its report). */
static void
run_timeout_case (const Context *ctx,
                  const char    *scenario)
{
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(CliRun) run = NULL;

  if (!need_cli (ctx))
    return;

  peer = start_peer (ctx, scenario, NULL);
  run = cli_run (ctx, peer, "auto", 3, NULL);

  g_assert_cmpint (run->elapsed_ms, <, 4500);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (cli_status (run, "smtp.greeting"), ==, "fail");
  g_assert_cmpstr (cli_evidence (run, "smtp.greeting", "error"), ==, "timeout");
}

static void
test_cli_silent (gconstpointer data)
{
  run_timeout_case (data, "silent");
}

static void
test_cli_slowloris (gconstpointer data)
{
  run_timeout_case (data, "slowloris");
}

static void
test_cli_close_mid_reply (gconstpointer data)
{
  const Context *ctx = data;
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(CliRun) run = NULL;

  if (!need_cli (ctx))
    return;

  peer = start_peer (ctx, "close-mid-reply", NULL);
  run = cli_run (ctx, peer, "none", 10, NULL);

  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (cli_status (run, "smtp.greeting"), ==, "pass");
  g_assert_cmpstr (cli_status (run, "smtp.ehlo"), ==, "fail");
  g_assert_cmpstr (cli_evidence (run, "smtp.ehlo", "error"), ==, "closed");
}

/* The peer holds the connection after the 100 000 bytes, so the only way
 * to finish early is to give up on the line at the reader's cap, and so
 * never to buffer it all (the RSS runaway of anchors-reliability §0.4). */
static void
test_cli_overlong (gconstpointer data)
{
  const Context *ctx = data;
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(CliRun) run = NULL;

  if (!need_cli (ctx))
    return;

  peer = start_peer (ctx, "overlong", NULL);
  run = cli_run (ctx, peer, "auto", 10, NULL);

  g_assert_cmpint (run->elapsed_ms, <, 3000);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (cli_status (run, "smtp.greeting"), ==, "fail");
  g_assert_cmpstr (cli_evidence (run, "smtp.greeting", "error"), ==, "too-large");
}

static void
test_cli_nul (gconstpointer data)
{
  const Context *ctx = data;
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(CliRun) run = NULL;

  if (!need_cli (ctx))
    return;

  peer = start_peer (ctx, "nul", NULL);
  run = cli_run (ctx, peer, "none", 10, NULL);

  g_assert_cmpint (run->status, <=, 1);
  g_assert_cmpstr (cli_status (run, "smtp.greeting"), ==, "warn");
  assert_evidence_contains (run, "smtp.greeting", "irregularities", "control-chars");
}

static void
test_cli_bare_lf (gconstpointer data)
{
  const Context *ctx = data;
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(CliRun) run = NULL;
  const char *ehlo;

  if (!need_cli (ctx))
    return;

  peer = start_peer (ctx, "bare-lf", NULL);
  run = cli_run (ctx, peer, "none", 10, NULL);

  g_assert_cmpint (run->status, <=, 1);
  g_assert_cmpstr (cli_status (run, "smtp.greeting"), ==, "warn");
  assert_evidence_contains (run, "smtp.greeting", "irregularities", "bare-lf");

  /* Tolerated: the session goes on. */
  ehlo = cli_status (run, "smtp.ehlo");
  g_assert_true (g_strcmp0 (ehlo, "pass") == 0 || g_strcmp0 (ehlo, "warn") == 0);
  g_assert_true (md_test_peer_saw (peer, "EHLO"));
}

static void
test_cli_mixed_codes (gconstpointer data)
{
  const Context *ctx = data;
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(CliRun) run = NULL;

  if (!need_cli (ctx))
    return;

  peer = start_peer (ctx, "mixed-codes", NULL);
  run = cli_run (ctx, peer, "none", 10, NULL);

  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (cli_status (run, "smtp.ehlo"), ==, "fail");
  g_assert_cmpstr (cli_evidence (run, "smtp.ehlo", "error"), ==, "protocol");
  g_assert_cmpstr (cli_evidence (run, "smtp.ehlo", "protocol_error"), ==, "mixed-codes");
}

static void
test_cli_ehlo421 (gconstpointer data)
{
  const Context *ctx = data;
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(CliRun) run = NULL;

  if (!need_cli (ctx))
    return;

  peer = start_peer (ctx, "ehlo421", NULL);
  run = cli_run (ctx, peer, "auto", 10, NULL);

  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (cli_status (run, "smtp.greeting"), ==, "pass");
  g_assert_cmpstr (cli_status (run, "smtp.ehlo"), ==, "fail");
  g_assert_cmpstr (cli_evidence (run, "smtp.ehlo", "code"), ==, "421");
  g_assert_cmpstr (cli_evidence (run, "smtp.ehlo", "stage"), ==, "ehlo");
}

/* STARTTLS refused: the code is kept, and no credentials go out in the
 * clear even though the server offers AUTH there. */
static void
run_starttls_refused (const Context *ctx,
                      const char    *scenario,
                      const char    *code)
{
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(CliRun) run = NULL;

  if (!need_cli (ctx))
    return;

  peer = start_peer (ctx, scenario, CANARY);
  run = cli_run_auth (ctx, peer, "starttls", CANARY);

  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (cli_status (run, "tls.handshake"), ==, "fail");
  g_assert_cmpstr (cli_evidence (run, "tls.handshake", "code"), ==, code);
  g_assert_cmpstr (cli_evidence (run, "tls.handshake", "stage"), ==, "starttls");
  g_assert_cmpstr (cli_status (run, "smtp.auth"), !=, "pass");
  assert_secret_kept (run, peer, CANARY);
  g_assert_false (md_test_peer_saw (peer, "AUTH"));
}

static void
test_cli_starttls_454 (gconstpointer data)
{
  run_starttls_refused (data, "starttls-454", "454");
}

static void
test_cli_starttls_421 (gconstpointer data)
{
  run_starttls_refused (data, "starttls-421", "421");
}

static void
test_cli_starttls_inject (gconstpointer data)
{
  const Context *ctx = data;
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(CliRun) run = NULL;

  if (!need_cli (ctx) || !need_pki (ctx))
    return;

  peer = start_peer (ctx, "starttls-inject", CANARY);
  run = cli_run_auth (ctx, peer, "starttls", CANARY);

  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (cli_status (run, "tls.handshake"), ==, "fail");
  g_assert_cmpstr (cli_evidence (run, "tls.handshake", "protocol_error"), ==, "starttls-injection");
  g_assert_cmpstr (cli_status (run, "smtp.auth"), !=, "pass");
  assert_secret_kept (run, peer, CANARY);
  g_assert_false (md_test_peer_saw (peer, "AUTH"));
}

static void
test_cli_starttls_missing (gconstpointer data)
{
  const Context *ctx = data;
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(CliRun) run = NULL;

  if (!need_cli (ctx))
    return;

  peer = start_peer (ctx, "starttls-missing", CANARY);
  run = cli_run_auth (ctx, peer, "starttls", CANARY);

  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (cli_status (run, "tls.handshake"), ==, "fail");
  g_assert_cmpstr (cli_evidence (run, "tls.handshake", "starttls"), ==, "not-offered");
  g_assert_cmpstr (cli_status (run, "smtp.auth"), ==, "skip");
  g_assert_cmpstr (cli_evidence (run, "smtp.auth", "reason"), ==, "unencrypted");
  assert_secret_kept (run, peer, CANARY);
  g_assert_false (md_test_peer_saw (peer, "AUTH"));
}

static void
test_cli_starttls_ok (gconstpointer data)
{
  const Context *ctx = data;
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(CliRun) run = NULL;

  if (!need_cli (ctx) || !need_pki (ctx))
    return;

  peer = start_peer (ctx, "starttls-ok", CANARY);
  run = cli_run_auth (ctx, peer, "auto", CANARY);

  g_assert_cmpstr (cli_status (run, "smtp.greeting"), ==, "pass");
  g_assert_cmpstr (cli_status (run, "smtp.ehlo"), ==, "pass");
  g_assert_cmpstr (cli_status (run, "tls.handshake"), ==, "pass");
  g_assert_cmpstr (cli_evidence (run, "tls.handshake", "mode"), ==, "starttls");
  g_assert_cmpstr (cli_evidence (run, "tls.certificate", "verdict"), ==, "trusted");
  g_assert_cmpstr (cli_status (run, "smtp.auth"), ==, "pass");
  g_assert_cmpstr (cli_evidence (run, "smtp.auth", "code"), ==, "235");
  g_assert_nonnull (cli_evidence (run, "smtp.auth", "mechanism"));
  g_assert_cmpint (run->status, ==, 0);

  /* The canary did go out, over TLS only: the checks above are not vacuous. */
  assert_secret_kept (run, peer, CANARY);
  g_assert_true (md_test_peer_saw_over_tls (peer, "AUTH"));
}

static void
test_cli_wrong_password (gconstpointer data)
{
  const Context *ctx = data;
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(CliRun) run = NULL;

  if (!need_cli (ctx) || !need_pki (ctx))
    return;

  peer = start_peer (ctx, "starttls-ok", CANARY);
  run = cli_run_auth (ctx, peer, "starttls", WRONG_PASSWORD);

  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (cli_status (run, "tls.handshake"), ==, "pass");
  g_assert_cmpstr (cli_status (run, "smtp.auth"), ==, "fail");
  g_assert_cmpstr (cli_evidence (run, "smtp.auth", "code"), ==, "535");
  assert_secret_kept (run, peer, WRONG_PASSWORD);
  g_assert_true (md_test_peer_saw_over_tls (peer, "AUTH"));
}

static void
test_cli_tls_auth421 (gconstpointer data)
{
  const Context *ctx = data;
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(CliRun) run = NULL;

  if (!need_cli (ctx) || !need_pki (ctx))
    return;

  peer = start_peer (ctx, "tls-auth421", CANARY);
  run = cli_run_auth (ctx, peer, "starttls", CANARY);

  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (cli_status (run, "tls.handshake"), ==, "pass");
  g_assert_cmpstr (cli_status (run, "smtp.auth"), ==, "fail");
  g_assert_cmpstr (cli_evidence (run, "smtp.auth", "code"), ==, "421");
  g_assert_cmpstr (cli_evidence (run, "smtp.auth", "stage"), ==, "auth");
  assert_secret_kept (run, peer, CANARY);
}

/* Twenty more misbehaving servers: whatever they send, the check ends
 * in time with a JSON report that parses, exits 0 or 1 (never a usage or
 * an internal error, never a crash), names the step that went wrong, and
 * no control character reaches the terminal. */
static const struct
{
  const char *scenario;
  const char *security;
  const char *check;   /* the step that shows it */
  const char *status;  /* its status, or NULL for any but pass */
} misbehaving[] = {
  { "invalid-utf8", "none", "smtp.greeting", NULL },
  { "term-escapes", "none", "smtp.greeting", NULL },
  { "code-999", "none", "smtp.greeting", "fail" },
  { "no-code", "none", "smtp.greeting", "fail" },
  { "http", "none", "smtp.greeting", "fail" },
  { "greet554", "none", "smtp.greeting", "fail" },
  { "greet-close", "none", "smtp.ehlo", "fail" },
  { "ehlo500", "none", "smtp.ehlo", NULL },
  { "ehlo-flood", "none", "smtp.ehlo", NULL },
  { "starttls-garbage", "starttls", "tls.handshake", "fail" },
  { "huge-size", "none", "smtp.ehlo", NULL },
  { "no-space", "none", "smtp.greeting", NULL },
  { "ehlo-empty", "none", "smtp.ehlo", NULL },
  { "greet-mixed", "none", "smtp.greeting", "fail" },
  { "greet-flood", "none", "smtp.greeting", "fail" },
  { "code-4213", "none", "smtp.greeting", "fail" },
  { "code-42", "none", "smtp.greeting", "fail" },
  { "code-negative", "none", "smtp.greeting", "fail" },
  { "ehlo-421-mid", "none", "smtp.ehlo", "fail" },
  { "bare-cr", "none", "smtp.greeting", NULL },
};

static gboolean
has_control_chars (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 && *p != '\n' && *p != '\t')
      return TRUE;

  return FALSE;
}

static void
test_cli_misbehaving (gconstpointer data)
{
  const Context *ctx = data;

  if (!need_cli (ctx) || !need_pki (ctx))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (misbehaving); i++)
    {
      g_autoptr(MdTestPeer) peer = start_peer (ctx, misbehaving[i].scenario, NULL);
      g_autoptr(CliRun) run = cli_run (ctx, peer, misbehaving[i].security, 10, NULL);
      const char *status = cli_status (run, misbehaving[i].check);

      g_test_message ("%s: exit %d after %" G_GINT64_FORMAT " ms, %s %s",
                      misbehaving[i].scenario, run->status, run->elapsed_ms,
                      misbehaving[i].check, status);
      g_assert_cmpint (run->status, >=, 0);
      g_assert_cmpint (run->status, <=, 1);
      g_assert_cmpint (run->elapsed_ms, <, 12000);
      g_assert_nonnull (status);
      if (misbehaving[i].status != NULL)
        g_assert_cmpstr (status, ==, misbehaving[i].status);
      g_assert_false (has_control_chars (run->err));
    }
}

/* A summary a user can read: no raw GLib or GnuTLS error text. The detail
 * is the technical text by design (DESIGN.md: MdCheck), so it may. */
static void
assert_plain_words (CliRun     *run,
                    const char *id)
{
  static const char * const raw[] = {
    "GnuTLS", "gnutls", "TLS socket", "by peer", "errno", "Error reading", "Error writing",
    "Error performing", "packet", "g_", "GError",
  };
  JsonObject *check = cli_get_check (run, id);
  const char *summary = json_object_get_string_member_with_default (check, "summary", NULL);
  const char *detail = json_object_get_string_member_with_default (check, "detail", NULL);

  g_test_message ("%s: %s / %s", id, summary, detail);
  g_assert_nonnull (summary);
  g_assert_cmpuint (strlen (summary), >, 10);
  for (guint i = 0; i < G_N_ELEMENTS (raw); i++)
    g_assert_null (strstr (summary, raw[i]));
}

static void
assert_summary_contains (CliRun     *run,
                                  const char *id,
                                  const char *needle)
{
  JsonObject *check = cli_get_check (run, id);
  const char *summary = json_object_get_string_member_with_default (check, "summary", NULL);

  g_assert_nonnull (summary);
  g_assert_nonnull (strstr (summary, needle));
}

/* Servers that break off or dribble at each stage, and TLS and AUTH gone
 * wrong: each must end in time on the step where it went wrong, with
 * plain words, a short error kind, and the run carrying on past it. */
static const struct
{
  const char *scenario;
  const char *security;
  gboolean    auth;      /* signs in, with the PKI's CA trusted */
  guint       timeout_s;
  const char *check;
  const char *status;
  const char *error;     /* its "error" evidence, or NULL for none wanted */
} broken[] = {
  { "tls-close-mid-ehlo", "starttls", TRUE, 10, "smtp.ehlo", "fail", "closed" },
  { "tls-raw-garbage", "starttls", TRUE, 10, "smtp.ehlo", "fail", "tls" },
  { "tls-noise-reply", "starttls", TRUE, 10, "smtp.ehlo", "fail", "protocol" },
  { "reset-greeting", "auto", FALSE, 10, "smtp.greeting", "fail", "closed" },
  { "reset-ehlo", "auto", FALSE, 10, "smtp.ehlo", "fail", "closed" },
  { "reset-starttls", "starttls", TRUE, 10, "tls.handshake", "fail", "closed" },
  { "reset-handshake", "starttls", TRUE, 10, "tls.handshake", "fail", NULL },
  { "reset-auth", "starttls", TRUE, 10, "smtp.auth", "fail", "closed" },
  { "reset-quit", "starttls", TRUE, 10, "smtp.auth", "pass", NULL },
  { "drip-ehlo", "none", FALSE, 2, "smtp.ehlo", "fail", "timeout" },
  { "drip-tls-ehlo", "starttls", TRUE, 2, "smtp.ehlo", "fail", "timeout" },
  { "drip-starttls", "starttls", TRUE, 2, "tls.handshake", "fail", "timeout" },
  { "drip-auth", "starttls", TRUE, 2, "smtp.auth", "fail", "timeout" },
  { "starttls-inject-late", "starttls", TRUE, 10, "tls.handshake", "fail", NULL },
  { "half-close", "auto", FALSE, 10, "smtp.greeting", "fail", "closed" },
  { "auth-garbage", "starttls", TRUE, 10, "smtp.auth", "fail", NULL },
  { "auth-bare-334", "starttls", TRUE, 10, "smtp.auth", "fail", NULL },
  { "auth-loop", "starttls", TRUE, 10, "smtp.auth", "fail", NULL },
};

/* A server that asks for more forever: the client stops after a few
 * rounds, and says so. */
static void
test_cli_auth_loop (gconstpointer data)
{
  const Context *ctx = data;
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(CliRun) run = NULL;
  g_auto(GStrv) lines = NULL;

  if (!need_cli (ctx) || !need_pki (ctx))
    return;

  peer = start_peer (ctx, "auth-loop", CANARY);
  run = cli_run_auth (ctx, peer, "starttls", CANARY);

  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (cli_status (run, "smtp.auth"), ==, "fail");
  g_assert_cmpstr (cli_evidence (run, "smtp.auth", "code"), ==, "334");
  g_assert_cmpstr (cli_evidence (run, "smtp.auth", "reason"), ==, "endless-challenge");
  assert_summary_contains (run, "smtp.auth", "stopped");
  assert_secret_kept (run, peer, CANARY);

  /* EHLO, STARTTLS, EHLO, then AUTH LOGIN with at most a few answers and
   * maybe a QUIT: far fewer than the 50 rounds the peer would take. */
  lines = md_test_peer_dup_lines (peer);
  g_assert_cmpuint (g_strv_length (lines), <=, 10);
}

static void
test_cli_broken (gconstpointer data)
{
  const Context *ctx = data;

  if (!need_cli (ctx) || !need_pki (ctx))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(MdTestPeer) peer = start_peer (ctx, broken[i].scenario, CANARY);
      g_autoptr(CliRun) run = NULL;
      const char *status;

      if (broken[i].auth)
        run = cli_run_auth_timeout (ctx, peer, broken[i].security, CANARY, broken[i].timeout_s);
      else
        run = cli_run (ctx, peer, broken[i].security, broken[i].timeout_s, NULL);

      status = cli_status (run, broken[i].check);
      g_test_message ("%s: exit %d after %" G_GINT64_FORMAT " ms, %s %s (%s)",
                      broken[i].scenario, run->status, run->elapsed_ms, broken[i].check,
                      status, cli_evidence (run, broken[i].check, "error"));
      g_assert_cmpint (run->status, >=, 0);
      g_assert_cmpint (run->status, <=, 1);
      g_assert_cmpint (run->elapsed_ms, <, (broken[i].timeout_s + 2) * 1000);
      g_assert_cmpstr (status, ==, broken[i].status);
      if (broken[i].error != NULL)
        g_assert_cmpstr (cli_evidence (run, broken[i].check, "error"), ==, broken[i].error);
      assert_plain_words (run, broken[i].check);
      g_assert_false (has_control_chars (run->err));
      if (broken[i].auth)
        assert_secret_kept (run, peer, CANARY);
    }
}


/* Huge certificates, made with GnuTLS here: certtool would need a template
 * of thousands of lines per certificate and a process for each. */

/* DER length octets (X.690 8.1.3), short or long form. */
static void
der_append_length (GByteArray *der,
                   gsize       len)
{
  guint8 bytes[sizeof (gsize)];
  guint n = 0;

  if (len < 0x80)
    {
      guint8 byte = len;

      g_byte_array_append (der, &byte, 1);
      return;
    }

  for (; len > 0; len >>= 8)
    bytes[sizeof bytes - ++n] = len & 0xff;
  g_byte_array_append (der, (guint8[]) { 0x80 | n }, 1);
  g_byte_array_append (der, bytes + sizeof bytes - n, n);
}

static void
der_append (GByteArray   *der,
            guint8        tag,
            const guint8 *data,
            gsize         len)
{
  g_byte_array_append (der, &tag, 1);
  der_append_length (der, len);
  g_byte_array_append (der, data, len);
}

/* The subjectAltName extension, encoded here in one pass: GnuTLS's
 * GNUTLS_FSAN_APPEND re-encodes the whole list for each name added, which
 * takes minutes for thousands. Names of about 30 bytes: a few thousand
 * make a certificate of 100 kB. */
static void
set_alt_names (gnutls_x509_crt_t crt,
               const char       *prefix,
               guint             n_names,
               gboolean          server)
{
  static const guint8 loopback[] = { 127, 0, 0, 1 };
  g_autoptr(GByteArray) names = g_byte_array_new ();
  g_autoptr(GByteArray) der = g_byte_array_new ();
  g_autofree char *cn_part = g_ascii_strdown (prefix, -1);

  g_strdelimit (cn_part, " ", '-');
  if (server)
    {
      der_append (names, 0x82, (const guint8 *) "mx.test.example", 15);
      der_append (names, 0x82, (const guint8 *) "localhost", 9);
      der_append (names, 0x87, loopback, sizeof loopback);
    }
  for (guint i = 0; i < n_names; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%05u.filler.test.example", cn_part, i);

      der_append (names, 0x82, (const guint8 *) name, strlen (name));
    }
  if (names->len == 0)
    return;

  der_append (der, 0x30, names->data, names->len);
  g_assert_cmpint (gnutls_x509_crt_set_extension_by_oid (crt, GNUTLS_X509EXT_OID_SAN,
                                                         der->data, der->len, 0),
                   ==, GNUTLS_E_SUCCESS);
}

/* One certificate signed by @issuer (itself when NULL), as PEM. All share
 * @key: only the chain's shape and size matter here. */
static char *
make_cert (gnutls_x509_privkey_t  key,
           const char            *cn,
           gboolean               ca,
           guint                  n_names,
           gnutls_x509_crt_t      issuer,
           gnutls_x509_crt_t     *out)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t pem = { NULL, 0 };
  time_t now = time (NULL);
  guint8 serial[8];
  char *text;

  g_assert_cmpint (gnutls_x509_crt_init (&crt), ==, GNUTLS_E_SUCCESS);
  for (guint i = 0; i < sizeof serial; i++)
    serial[i] = g_random_int_range (1, 128);
  gnutls_x509_crt_set_version (crt, 3);
  gnutls_x509_crt_set_serial (crt, serial, sizeof serial);
  gnutls_x509_crt_set_activation_time (crt, now - 3600);
  gnutls_x509_crt_set_expiration_time (crt, now + 24 * 3600);
  g_assert_cmpint (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn,
                                                  strlen (cn)), ==, GNUTLS_E_SUCCESS);
  g_assert_cmpint (gnutls_x509_crt_set_key (crt, key), ==, GNUTLS_E_SUCCESS);
  gnutls_x509_crt_set_basic_constraints (crt, ca, -1);
  gnutls_x509_crt_set_key_usage (crt, ca ? GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN
                                         : GNUTLS_KEY_DIGITAL_SIGNATURE);
  if (!ca)
    gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0);
  set_alt_names (crt, cn, n_names, !ca);
  g_assert_cmpint (gnutls_x509_crt_sign2 (crt, issuer ? issuer : crt, key, GNUTLS_DIG_SHA256, 0),
                   ==, GNUTLS_E_SUCCESS);

  g_assert_cmpint (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &pem), ==, GNUTLS_E_SUCCESS);
  text = g_strndup ((const char *) pem.data, pem.size);
  gnutls_free (pem.data);
  *out = crt;
  return text;
}

/* A server certificate with @leaf_names extra names, under @n_intermediates
 * CAs of @ca_names names each, under a root written to @ca_file. */
static GTlsCertificate *
make_huge_certificate (const char *ca_file,
                       guint       leaf_names,
                       guint       n_intermediates,
                       guint       ca_names,
                       gsize      *chain_size)
{
  g_autoptr(GString) chain = g_string_new (NULL);
  g_autoptr(GPtrArray) pems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) crts = g_ptr_array_new_with_free_func ((GDestroyNotify) gnutls_x509_crt_deinit);
  g_autoptr(GError) error = NULL;
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t key_pem = { NULL, 0 };
  GTlsCertificate *certificate;
  guint depth = 0;

  g_assert_cmpint (gnutls_x509_privkey_init (&key), ==, GNUTLS_E_SUCCESS);
  g_assert_cmpint (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                                 GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1),
                                                 0), ==, GNUTLS_E_SUCCESS);

  /* Root first, each CA signing the next, the leaf last; then sent the
   * other way round, leaf first, as a server does. */
  g_ptr_array_add (pems, make_cert (key, "Huge Test Root", TRUE, 0, NULL, &crt));
  g_ptr_array_add (crts, crt);
  g_assert_true (g_file_set_contents (ca_file, g_ptr_array_index (pems, 0), -1, NULL));
  for (guint i = 0; i < n_intermediates; i++)
    {
      g_autofree char *cn = g_strdup_printf ("Huge Test CA %u", i);

      g_ptr_array_add (pems, make_cert (key, cn, TRUE, ca_names, crt, &crt));
      g_ptr_array_add (crts, crt);
    }
  g_ptr_array_add (pems, make_cert (key, "mx.test.example", FALSE, leaf_names, crt, &crt));
  g_ptr_array_add (crts, crt);

  for (guint i = pems->len; i > 0; i--)
    g_string_append (chain, g_ptr_array_index (pems, i - 1));
  *chain_size = chain->len;

  g_assert_cmpint (gnutls_x509_privkey_export2 (key, GNUTLS_X509_FMT_PEM, &key_pem),
                   ==, GNUTLS_E_SUCCESS);
  g_string_append_len (chain, (const char *) key_pem.data, key_pem.size);
  gnutls_free (key_pem.data);
  gnutls_x509_privkey_deinit (key);

  certificate = g_tls_certificate_new_from_pem (chain->str, chain->len, &error);
  g_assert_no_error (error);

  /* GLib keeps the chain only when it links up; the peer must send it all. */
  for (GTlsCertificate *c = certificate; c != NULL; c = g_tls_certificate_get_issuer (c))
    depth++;
  g_assert_cmpuint (depth, ==, crts->len);
  return certificate;
}

/* Evidence a report shows must stay readable whatever the certificate:
 * every value well under the size of what the server sent. */
#define MAX_EVIDENCE_LEN 4096

static void
assert_evidence_bounded (CliRun     *run,
                         const char *id)
{
  JsonObject *check = cli_get_check (run, id);
  JsonObject *evidence = json_object_get_object_member (check, "evidence");
  g_autoptr(GList) members = json_object_get_members (evidence);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *value = json_object_get_string_member_with_default (evidence, l->data, "");

      g_test_message ("%s %s: %zu bytes", id, (const char *) l->data, strlen (value));
      g_assert_cmpuint (strlen (value), <, MAX_EVIDENCE_LEN);
    }
}

static void
run_huge_certificate (const Context *ctx,
                      guint          leaf_names,
                      guint          n_intermediates,
                      guint          ca_names,
                      gsize          min_size)
{
  g_autofree char *ca_file = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(CliRun) run = NULL;
  const char *status;
  gsize size = 0;
  gint64 start;

  if (!need_cli (ctx) || !need_pki (ctx))
    return;

  ca_file = g_build_filename (md_test_pki_get_dir (ctx->pki), "huge-ca.pem", NULL);
  start = g_get_monotonic_time ();
  certificate = make_huge_certificate (ca_file, leaf_names, n_intermediates, ca_names, &size);
  g_test_message ("made %zu bytes of certificates in %" G_GINT64_FORMAT " ms", size,
                  (g_get_monotonic_time () - start) / G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (size, >=, min_size);

  peer = md_test_peer_new (md_test_script_new_scenario ("starttls-ok", certificate, NULL));
  run = cli_run (ctx, peer, "starttls", 5,
                 (const char * const[]) { "--ca-file", ca_file, NULL });
  g_unlink (ca_file);

  /* Accepted or refused, as the TLS library's limits say; but in time,
   * in plain words, and with a report of ordinary size. */
  status = cli_status (run, "tls.handshake");
  g_test_message ("huge certificate: exit %d after %" G_GINT64_FORMAT " ms, handshake %s, "
                  "report %zu bytes", run->status, run->elapsed_ms, status, strlen (run->out));
  g_assert_cmpint (run->status, >=, 0);
  g_assert_cmpint (run->status, <=, 1);
  g_assert_cmpint (run->elapsed_ms, <, 7000);
  g_assert_nonnull (status);
  assert_plain_words (run, "tls.handshake");
  assert_evidence_bounded (run, "tls.handshake");
  if (g_strcmp0 (status, "pass") == 0)
    {
      assert_plain_words (run, "tls.certificate");
      assert_evidence_bounded (run, "tls.certificate");
    }
  g_assert_cmpuint (strlen (run->out), <, 64 * 1024);
}

/* One certificate with thousands of names. */
static void
test_cli_huge_san (gconstpointer data)
{
  run_huge_certificate (data, 3000, 0, 0, 90 * 1024);
}

/* A chain of about 1 MB: five CAs of 5000 names each, and the leaf. */
static void
test_cli_huge_chain (gconstpointer data)
{
  run_huge_certificate (data, 100, 5, 5000, 1000 * 1000);
}

/* Names that resolve oddly: checked in process, with the fake resolver
 * (the CLI is another process, which no test may point at a resolver). */

static const MdCheckId not_here[] = {
  MD_CHECK_NET_PORTS, MD_CHECK_TLS_VERSIONS, MD_CHECK_REP_CLIENT_IP, MD_CHECK_REP_RDNS,
  MD_CHECK_REP_DNSBL, MD_CHECK_REP_DNSBL_SERVER, MD_CHECK_REP_DNSBL_DOMAIN,
  MD_CHECK_AUTH_SPF, MD_CHECK_AUTH_DKIM, MD_CHECK_AUTH_DMARC, MD_CHECK_AUTH_MTA_STS,
};

static MdTestPeer *
new_plain_peer (gboolean ipv6)
{
  MdTestScript *script = md_test_script_new ();

  md_test_script_send (script, "220 mx.test.example ESMTP\r\n", -1);
  md_test_script_serve (script, "\r\n");
  return ipv6 ? md_test_peer_new_ipv6 (script) : md_test_peer_new (script);
}

/* Runs a plain check of @host in process, within a few seconds. */
static MdDiagnosis *
diagnose (const char *host,
          guint16     port)
{
  g_autoptr(MdAccount) account = md_account_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  MdDiagnosis *diagnosis;
  gint64 start = g_get_monotonic_time ();

  md_account_set_host (account, host);
  md_account_set_port (account, port);
  md_account_set_security (account, MD_SECURITY_NONE);
  diagnosis = md_diagnosis_new (account);
  md_diagnosis_set_timeout_ms (diagnosis, 3000);
  for (guint i = 0; i < G_N_ELEMENTS (not_here); i++)
    md_diagnosis_skip_check (diagnosis, not_here[i]);

  md_diagnosis_run_async (diagnosis, NULL, md_test_store_result, &result);
  md_diagnosis_run_finish (diagnosis, md_test_wait_result (&result, 10000), &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
  return diagnosis;
}

static const char *
check_evidence (MdDiagnosis *diagnosis,
                MdCheckId    id,
                const char  *key)
{
  MdCheck *check = md_diagnosis_find_check (diagnosis, id);

  g_assert_nonnull (check);
  return md_check_get_evidence (check, key);
}

static void
assert_check_passed (MdDiagnosis *diagnosis,
                     MdCheckId    id)
{
  MdCheck *check = md_diagnosis_find_check (diagnosis, id);

  g_assert_nonnull (check);
  g_test_message ("%s: %s", md_check_id_to_string (id), md_check_get_summary (check));
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_PASS);
}

/* The first two addresses refuse (nothing listens on 127.0.0.2 or .3:
 * the peer holds 127.0.0.1 only); the third is the server. TEST-NET
 * addresses would not do: they may be routed (this very machine may sit on
 * 192.0.2.0/24), or be black holes that cost the whole step deadline. */
static void
test_dead_first_addresses (void)
{
  g_autoptr(MdTestPeer) peer = new_plain_peer (FALSE);
  g_autoptr(MdTestResolver) resolver = md_test_resolver_new ();
  g_autoptr(MdDiagnosis) diagnosis = NULL;
  const char *attempts;

  md_test_resolver_add_address (resolver, "mx.dead-first.test", "127.0.0.2");
  md_test_resolver_add_address (resolver, "mx.dead-first.test", "127.0.0.3");
  md_test_resolver_add_address (resolver, "mx.dead-first.test", "127.0.0.1");
  md_test_resolver_install (resolver);
  diagnosis = diagnose ("mx.dead-first.test", md_test_peer_get_port (peer));
  md_test_resolver_uninstall (resolver);

  assert_check_passed (diagnosis, MD_CHECK_NET_CONNECT);
  g_assert_cmpstr (check_evidence (diagnosis, MD_CHECK_NET_CONNECT, "address"), ==, "127.0.0.1");
  attempts = check_evidence (diagnosis, MD_CHECK_NET_CONNECT, "attempts");
  g_test_message ("attempts: %s", attempts);
  g_assert_nonnull (attempts);
  g_assert_nonnull (strstr (attempts, "127.0.0.2"));
  g_assert_nonnull (strstr (attempts, "127.0.0.3"));
  assert_check_passed (diagnosis, MD_CHECK_SMTP_GREETING);
  assert_check_passed (diagnosis, MD_CHECK_SMTP_EHLO);
  g_assert_cmpuint (md_test_peer_get_n_connections (peer), ==, 1);
}

/* A server on ::1 only, named or given as an address. */
static void
test_ipv6_only (void)
{
  g_autoptr(MdTestPeer) peer = new_plain_peer (TRUE);
  g_autoptr(MdTestResolver) resolver = NULL;
  g_autoptr(MdDiagnosis) named = NULL;
  g_autoptr(MdDiagnosis) literal = NULL;

  if (peer == NULL)
    {
      g_test_skip ("this machine has no IPv6 loopback");
      return;
    }

  resolver = md_test_resolver_new ();
  md_test_resolver_add_address (resolver, "mx.v6-only.test", "::1");
  md_test_resolver_install (resolver);
  named = diagnose ("mx.v6-only.test", md_test_peer_get_port (peer));
  md_test_resolver_uninstall (resolver);
  literal = diagnose ("::1", md_test_peer_get_port (peer));

  assert_check_passed (named, MD_CHECK_DNS_HOST);
  g_assert_cmpstr (check_evidence (named, MD_CHECK_DNS_HOST, "addresses"), ==, "::1");
  assert_check_passed (named, MD_CHECK_NET_CONNECT);
  g_assert_cmpstr (check_evidence (named, MD_CHECK_NET_CONNECT, "address"), ==, "::1");
  assert_check_passed (named, MD_CHECK_SMTP_EHLO);
  assert_check_passed (literal, MD_CHECK_NET_CONNECT);
  assert_check_passed (literal, MD_CHECK_SMTP_EHLO);
  g_assert_cmpuint (md_test_peer_get_n_connections (peer), ==, 2);
}

/* And the CLI given "::1": the host as typed, an IPv6 literal. */
static void
test_cli_ipv6_only (gconstpointer data)
{
  const Context *ctx = data;
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(CliRun) run = NULL;
  g_autofree char *port = NULL;

  if (!need_cli (ctx))
    return;

  peer = new_plain_peer (TRUE);
  if (peer == NULL)
    {
      g_test_skip ("this machine has no IPv6 loopback");
      return;
    }

  /* The last --host wins, so cli_run's 127.0.0.1 is overridden. */
  run = cli_run (ctx, peer, "none", 5, (const char * const[]) { "--host", "::1", NULL });

  g_assert_cmpint (run->status, <=, 1);
  g_assert_cmpstr (cli_status (run, "net.connect"), ==, "pass");
  g_assert_cmpstr (cli_evidence (run, "net.connect", "address"), ==, "::1");
  g_assert_cmpstr (cli_status (run, "smtp.ehlo"), ==, "pass");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *builddir;
  Context ctx = { NULL, NULL };
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  /* One PKI for the whole run: making it takes a few hundred ms. */
  ctx.pki = md_test_pki_new (&error);
  if (ctx.pki == NULL)
    g_test_message ("no TLS certificate: %s", error->message);

  builddir = g_getenv ("MD_TEST_BUILDDIR");
  if (builddir != NULL)
    ctx.cli = g_build_filename (builddir, "..", "app", "cli", "mail-doctor-cli", NULL);

  g_test_add_data_func ("/md/core/hostile/peer/scenarios", &ctx, test_peer_scenarios);
  g_test_add_data_func ("/md/core/hostile/peer/greet421", &ctx, test_peer_greet421);
  g_test_add_data_func ("/md/core/hostile/peer/raw-bytes", &ctx, test_peer_raw_bytes);
  g_test_add_data_func ("/md/core/hostile/peer/overlong-stop", &ctx, test_peer_overlong_stop);
  g_test_add_data_func ("/md/core/hostile/peer/timing", &ctx, test_peer_timing);
  g_test_add_data_func ("/md/core/hostile/peer/reset", &ctx, test_peer_reset);
  g_test_add_data_func ("/md/core/hostile/peer/starttls-ok", &ctx, test_peer_starttls_ok);
  g_test_add_data_func ("/md/core/hostile/peer/starttls-inject", &ctx, test_peer_starttls_inject);

  g_test_add_data_func ("/md/core/hostile/cli/greet421", &ctx, test_cli_greet421);
  g_test_add_data_func ("/md/core/hostile/cli/greet421-ml", &ctx, test_cli_greet421_multiline);
  g_test_add_data_func ("/md/core/hostile/cli/silent", &ctx, test_cli_silent);
  g_test_add_data_func ("/md/core/hostile/cli/slowloris", &ctx, test_cli_slowloris);
  g_test_add_data_func ("/md/core/hostile/cli/close-mid-reply", &ctx, test_cli_close_mid_reply);
  g_test_add_data_func ("/md/core/hostile/cli/overlong", &ctx, test_cli_overlong);
  g_test_add_data_func ("/md/core/hostile/cli/nul", &ctx, test_cli_nul);
  g_test_add_data_func ("/md/core/hostile/cli/bare-lf", &ctx, test_cli_bare_lf);
  g_test_add_data_func ("/md/core/hostile/cli/mixed-codes", &ctx, test_cli_mixed_codes);
  g_test_add_data_func ("/md/core/hostile/cli/ehlo421", &ctx, test_cli_ehlo421);
  g_test_add_data_func ("/md/core/hostile/cli/starttls-454", &ctx, test_cli_starttls_454);
  g_test_add_data_func ("/md/core/hostile/cli/starttls-421", &ctx, test_cli_starttls_421);
  g_test_add_data_func ("/md/core/hostile/cli/starttls-inject", &ctx, test_cli_starttls_inject);
  g_test_add_data_func ("/md/core/hostile/cli/starttls-missing", &ctx, test_cli_starttls_missing);
  g_test_add_data_func ("/md/core/hostile/cli/starttls-ok", &ctx, test_cli_starttls_ok);
  g_test_add_data_func ("/md/core/hostile/cli/wrong-password", &ctx, test_cli_wrong_password);
  g_test_add_data_func ("/md/core/hostile/cli/tls-auth421", &ctx, test_cli_tls_auth421);
  g_test_add_data_func ("/md/core/hostile/cli/misbehaving", &ctx, test_cli_misbehaving);
  g_test_add_data_func ("/md/core/hostile/cli/broken", &ctx, test_cli_broken);
  g_test_add_data_func ("/md/core/hostile/cli/auth-loop", &ctx, test_cli_auth_loop);
  g_test_add_data_func ("/md/core/hostile/cli/huge-san", &ctx, test_cli_huge_san);
  g_test_add_data_func ("/md/core/hostile/cli/huge-chain", &ctx, test_cli_huge_chain);
  g_test_add_data_func ("/md/core/hostile/cli/ipv6-only", &ctx, test_cli_ipv6_only);
  g_test_add_func ("/md/core/hostile/dns/dead-first-addresses", test_dead_first_addresses);
  g_test_add_func ("/md/core/hostile/dns/ipv6-only", test_ipv6_only);

  status = g_test_run ();

  g_clear_pointer (&ctx.pki, md_test_pki_free);
  g_free (ctx.cli);
  return status;
}
