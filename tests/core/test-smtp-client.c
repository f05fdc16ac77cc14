/* test-smtp-client.c: the client's exchanges, byte for byte
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server is a thread on the other end of a socket pair that follows a
 * script: it expects exact client lines and answers with exact bytes, so
 * the tests assert what the client put on the wire (the curl test-suite
 * idea), not only what it concluded.
 */

#include <locale.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "md-error.h"
#include "md-smtp-client.h"
#include "md-test-utils.h"

#define USER "alice"
#define SECRET "Canary-Pa55-ZQXJ"
#define CHALLENGE "<1896.697170952@mx.test.example>"

typedef struct
{
  const char *expect;  /* the client's next line, without CRLF; NULL: none */
  const char *send;    /* raw bytes to send after it; NULL: close */
} Step;

typedef struct
{
  int          fd;
  const Step  *steps;
  GThread     *thread;
  GString     *mismatches;
} Server;

static char *
read_line (int fd)
{
  GString *line = g_string_new (NULL);
  char c;

  while (read (fd, &c, 1) == 1)
    {
      if (c == '\n')
        {
          if (line->len > 0 && line->str[line->len - 1] == '\r')
            g_string_truncate (line, line->len - 1);
          return g_string_free (line, FALSE);
        }
      g_string_append_c (line, c);
    }

  g_string_free (line, TRUE);
  return NULL;
}

static gpointer
server_thread (gpointer data)
{
  Server *server = data;

  for (const Step *step = server->steps; step->expect != NULL || step->send != NULL; step++)
    {
      if (step->expect != NULL)
        {
          g_autofree char *line = read_line (server->fd);

          if (g_strcmp0 (line, step->expect) != 0)
            g_string_append_printf (server->mismatches, "expected “%s”, got “%s”\n",
                                    step->expect, line);
        }

      if (step->send == NULL)
        break;
      if (write (server->fd, step->send, strlen (step->send)) < 0)
        break;
    }

  /* Wait for the client to hang up, so that nothing it sends is lost. */
  while (read_line (server->fd) != NULL)
    ;
  return NULL;
}

static MdSmtpClient *
client_with_server (Server       *server,
                    const Step   *steps,
                    MdTranscript *transcript)
{
  MdSmtpClient *client = md_smtp_client_new (transcript);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);

  socket = g_socket_new_from_fd (fds[0], NULL);
  g_assert_nonnull (socket);
  connection = g_socket_connection_factory_create_connection (socket);
  md_smtp_client_set_connection (client, G_IO_STREAM (connection));

  server->fd = fds[1];
  server->steps = steps;
  server->mismatches = g_string_new (NULL);
  server->thread = g_thread_new ("scripted-server", server_thread, server);

  return client;
}

static void
server_join (Server       *server,
             MdSmtpClient *client)
{
  md_smtp_client_close (client);
  g_thread_join (server->thread);
  close (server->fd);
  g_assert_cmpstr (server->mismatches->str, ==, "");
  g_string_free (server->mismatches, TRUE);
}

static MdSmtpReply *
greet (MdSmtpClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  MdSmtpReply *reply;

  md_smtp_client_read_greeting_async (client, NULL, md_test_store_result, &result);
  md_test_wait_result (&result, 5000);
  reply = md_smtp_client_read_greeting_finish (client, result, &error);
  g_assert_no_error (error);

  return reply;
}

static MdSmtpReply *
auth (MdSmtpClient        *client,
      MdSmtpAuthMechanism  mechanism,
      const char          *password,
      GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  md_smtp_client_auth_async (client, mechanism, USER, password, NULL,
                             md_test_store_result, &result);
  md_test_wait_result (&result, 5000);

  return md_smtp_client_auth_finish (client, result, error);
}

static char *
b64 (const char *text,
     gsize       len)
{
  return g_base64_encode ((const guchar *)text, len);
}

/* The secret, and every encoding of it the exchanges use, must not be in
 * the transcript. */
static void
assert_transcript_clean (MdTranscript *transcript,
                         const char   *plain_blob)
{
  g_autofree char *secret_b64 = b64 (SECRET, strlen (SECRET));

  for (guint i = 0; i < md_transcript_get_length (transcript); i++)
    {
      const char *text = md_transcript_get_text (transcript, i, NULL, NULL);

      g_assert_null (strstr (text, SECRET));
      g_assert_null (strstr (text, secret_b64));
      if (plain_blob != NULL)
        g_assert_null (strstr (text, plain_blob));
    }
}

static gboolean
transcript_has (MdTranscript *transcript,
                const char   *line)
{
  for (guint i = 0; i < md_transcript_get_length (transcript); i++)
    if (g_str_equal (md_transcript_get_text (transcript, i, NULL, NULL), line))
      return TRUE;

  return FALSE;
}

static void
test_auth_plain (void)
{
  g_autofree char *blob = b64 ("\0" USER "\0" SECRET, strlen (USER) + strlen (SECRET) + 2);
  g_autofree char *line = g_strconcat ("AUTH PLAIN ", blob, NULL);
  const Step steps[] = {
    { NULL, "220 mx.test.example ESMTP\r\n" },
    { line, "235 2.7.0 Authentication successful\r\n" },
    { NULL, NULL },
  };
  g_autoptr(MdTranscript) transcript = md_transcript_new ();
  Server server;
  g_autoptr(MdSmtpClient) client = client_with_server (&server, steps, transcript);
  g_autoptr(MdSmtpReply) greeting = greet (client);
  g_autoptr(MdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = auth (client, MD_SMTP_AUTH_PLAIN, SECRET, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reply->code, ==, 235);
  g_assert_cmpstr (reply->enhanced, ==, "2.7.0");

  server_join (&server, client);
  g_assert_true (transcript_has (transcript, "AUTH PLAIN ********"));
  assert_transcript_clean (transcript, blob);
}

static void
test_auth_login (void)
{
  g_autofree char *user = b64 (USER, strlen (USER));
  g_autofree char *pass = b64 (SECRET, strlen (SECRET));
  const Step steps[] = {
    { NULL, "220 mx.test.example ESMTP\r\n" },
    { "AUTH LOGIN", "334 VXNlcm5hbWU6\r\n" },
    { user, "334 UGFzc3dvcmQ6\r\n" },
    { pass, "535 5.7.8 Error: authentication failed\r\n" },
    { NULL, NULL },
  };
  g_autoptr(MdTranscript) transcript = md_transcript_new ();
  Server server;
  g_autoptr(MdSmtpClient) client = client_with_server (&server, steps, transcript);
  g_autoptr(MdSmtpReply) greeting = greet (client);
  g_autoptr(MdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = auth (client, MD_SMTP_AUTH_LOGIN, SECRET, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reply->code, ==, 535);

  server_join (&server, client);
  assert_transcript_clean (transcript, NULL);
}

static void
test_auth_cram_md5 (void)
{
  g_autofree char *challenge = b64 (CHALLENGE, strlen (CHALLENGE));
  g_autofree char *challenge_line = g_strdup_printf ("334 %s\r\n", challenge);
  g_autofree char *digest = g_compute_hmac_for_string (G_CHECKSUM_MD5,
                                                       (const guchar *)SECRET, strlen (SECRET),
                                                       CHALLENGE, -1);
  g_autofree char *response = g_strdup_printf (USER " %s", digest);
  g_autofree char *response_b64 = b64 (response, strlen (response));
  const Step steps[] = {
    { NULL, "220 mx.test.example ESMTP\r\n" },
    { "AUTH CRAM-MD5", challenge_line },
    { response_b64, "235 2.7.0 Authentication successful\r\n" },
    { NULL, NULL },
  };
  g_autoptr(MdTranscript) transcript = md_transcript_new ();
  Server server;
  g_autoptr(MdSmtpClient) client = client_with_server (&server, steps, transcript);
  g_autoptr(MdSmtpReply) greeting = greet (client);
  g_autoptr(MdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = auth (client, MD_SMTP_AUTH_CRAM_MD5, SECRET, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reply->code, ==, 235);

  server_join (&server, client);
  g_assert_false (transcript_has (transcript, response_b64));
  assert_transcript_clean (transcript, NULL);
}

/* A 421 in the middle of the exchange ends it with that reply, code kept. */
static void
test_auth_421 (void)
{
  const Step steps[] = {
    { NULL, "220 mx.test.example ESMTP\r\n" },
    { "AUTH LOGIN", "421 4.7.0 Too many login attempts, try again later\r\n" },
    { NULL, NULL },
  };
  Server server;
  g_autoptr(MdSmtpClient) client = client_with_server (&server, steps, NULL);
  g_autoptr(MdSmtpReply) greeting = greet (client);
  g_autoptr(MdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = auth (client, MD_SMTP_AUTH_LOGIN, SECRET, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reply->code, ==, 421);
  g_assert_cmpstr (reply->enhanced, ==, "4.7.0");
  g_assert_cmpint (md_smtp_client_get_stage (client), ==, MD_SMTP_STAGE_AUTH);

  server_join (&server, client);
}

/* A server that never answers costs one step's time, not more. */
static void
test_step_deadline (void)
{
  const Step steps[] = {
    { NULL, "220 mx.test.example ESMTP\r\n" },
    { "NOOP", "" },
    { NULL, NULL },
  };
  Server server;
  g_autoptr(MdSmtpClient) client = client_with_server (&server, steps, NULL);
  g_autoptr(MdSmtpReply) greeting = greet (client);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdSmtpReply) reply = NULL;
  gint64 start;

  md_smtp_client_set_step_timeout (client, 300);
  start = g_get_monotonic_time ();
  md_smtp_client_command_async (client, MD_SMTP_STAGE_EHLO, "NOOP", NULL, NULL,
                                md_test_store_result, &result);
  md_test_wait_result (&result, 5000);
  reply = md_smtp_client_command_finish (client, result, &error);

  g_assert_null (reply);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);

  server_join (&server, client);
}

/* Plaintext after the 220 to STARTTLS is refused before any handshake
 * (CVE-2011-0411 class). */
static void
test_starttls_injection (void)
{
  const Step steps[] = {
    { NULL, "220 mx.test.example ESMTP\r\n" },
    { "STARTTLS", "220 2.0.0 Ready to start TLS\r\n250-INJECTED\r\n250 AUTH PLAIN\r\n" },
    { NULL, NULL },
  };
  Server server;
  g_autoptr(MdSmtpClient) client = client_with_server (&server, steps, NULL);
  g_autoptr(MdSmtpReply) greeting = greet (client);
  g_autoptr(GAsyncResult) command = NULL;
  g_autoptr(GAsyncResult) tls = NULL;
  g_autoptr(MdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  md_smtp_client_command_async (client, MD_SMTP_STAGE_STARTTLS, "STARTTLS", NULL, NULL,
                                md_test_store_result, &command);
  md_test_wait_result (&command, 5000);
  reply = md_smtp_client_command_finish (client, command, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reply->code, ==, 220);

  md_smtp_client_start_tls_async (client, "mx.test.example", NULL, md_test_store_result, &tls);
  md_test_wait_result (&tls, 5000);
  g_assert_false (md_smtp_client_start_tls_finish (client, tls, &error));
  g_assert_error (error, MD_ERROR, MD_ERROR_UNSAFE);
  g_assert_null (md_smtp_client_get_tls (client));

  server_join (&server, client);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/md/core/smtp-client/auth-plain", test_auth_plain);
  g_test_add_func ("/md/core/smtp-client/auth-login", test_auth_login);
  g_test_add_func ("/md/core/smtp-client/auth-cram-md5", test_auth_cram_md5);
  g_test_add_func ("/md/core/smtp-client/auth-421", test_auth_421);
  g_test_add_func ("/md/core/smtp-client/step-deadline", test_step_deadline);
  g_test_add_func ("/md/core/smtp-client/starttls-injection", test_starttls_injection);

  return g_test_run ();
}
