/* md-smtp-client.c: one SMTP session on GIO streams
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The client knows the protocol's mechanics (commands, replies, STARTTLS,
 * SASL) and nothing of checks or verdicts. Every step runs under its own
 * deadline, chained to the caller's cancellable, because GIO's socket
 * timeouts bound single reads and a server dripping bytes never trips them.
 *
 * Secrets: AUTH lines are written from buffers that are wiped once sent,
 * and the transcript only ever receives a masked form of them.
 */

#include "md-config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <glib/gi18n-lib.h>

#include "md-compat.h"
#include "md-deadline.h"
#include "md-error.h"
#include "md-smtp-client.h"
#include "md-smtp-reader.h"

#define DEFAULT_STEP_TIMEOUT_MS 10000
#define MASK "********"

struct _MdSmtpClient
{
  GObject         parent_instance;

  MdTranscript   *transcript;
  guint           step_timeout_ms;
  MdSmtpStage     stage;

  GIOStream      *base;
  GTlsConnection *tls;
  MdSmtpReader   *reader;
  MdSmtpReply    *last_reply;
};

G_DEFINE_FINAL_TYPE (MdSmtpClient, md_smtp_client, G_TYPE_OBJECT)

static void
md_smtp_client_dispose (GObject *object)
{
  MdSmtpClient *self = (MdSmtpClient *)object;

  md_smtp_client_close (self);
  g_clear_object (&self->transcript);
  g_clear_pointer (&self->last_reply, md_smtp_reply_free);

  G_OBJECT_CLASS (md_smtp_client_parent_class)->dispose (object);
}

static void
md_smtp_client_class_init (MdSmtpClientClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = md_smtp_client_dispose;
}

static void
md_smtp_client_init (MdSmtpClient *self)
{
  self->step_timeout_ms = DEFAULT_STEP_TIMEOUT_MS;
  self->stage = MD_SMTP_STAGE_CONNECT;
}

/**
 * md_smtp_client_new:
 * @transcript: (nullable): where to record the conversation
 */
MdSmtpClient *
md_smtp_client_new (MdTranscript *transcript)
{
  MdSmtpClient *self = g_object_new (MD_TYPE_SMTP_CLIENT, NULL);

  self->transcript = transcript != NULL ? g_object_ref (transcript) : md_transcript_new ();

  return self;
}

/**
 * md_smtp_client_set_step_timeout:
 *
 * Sets the time limit of each later step: a command and its reply, a
 * connection attempt, or a TLS handshake.
 */
void
md_smtp_client_set_step_timeout (MdSmtpClient *self,
                                 guint         timeout_ms)
{
  g_return_if_fail (MD_IS_SMTP_CLIENT (self));
  g_return_if_fail (timeout_ms > 0);

  self->step_timeout_ms = timeout_ms;
}

GSocketConnection *
md_smtp_client_get_connection (MdSmtpClient *self)
{
  g_return_val_if_fail (MD_IS_SMTP_CLIENT (self), NULL);

  return G_IS_SOCKET_CONNECTION (self->base) ? G_SOCKET_CONNECTION (self->base) : NULL;
}

GTlsConnection *
md_smtp_client_get_tls (MdSmtpClient *self)
{
  g_return_val_if_fail (MD_IS_SMTP_CLIENT (self), NULL);

  return self->tls;
}

const MdSmtpReply *
md_smtp_client_get_last_reply (MdSmtpClient *self)
{
  g_return_val_if_fail (MD_IS_SMTP_CLIENT (self), NULL);

  return self->last_reply;
}

MdSmtpStage
md_smtp_client_get_stage (MdSmtpClient *self)
{
  g_return_val_if_fail (MD_IS_SMTP_CLIENT (self), MD_SMTP_STAGE_CONNECT);

  return self->stage;
}

/**
 * md_smtp_client_dup_hello_name:
 *
 * Returns: (transfer full): the name to give in EHLO or HELO: this side's
 *   address as an address literal, which is how a client without a name of
 *   its own introduces itself (RFC 5321 §4.1.4)
 */
char *
md_smtp_client_dup_hello_name (MdSmtpClient *self)
{
  GSocketConnection *connection;
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *ip = NULL;
  GInetAddress *address;

  g_return_val_if_fail (MD_IS_SMTP_CLIENT (self), NULL);

  connection = md_smtp_client_get_connection (self);
  if (connection != NULL)
    local = g_socket_connection_get_local_address (connection, NULL);
  if (!G_IS_INET_SOCKET_ADDRESS (local))
    return g_strdup ("[127.0.0.1]");

  address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));
  ip = g_inet_address_to_string (address);

  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[IPv6:%s]", ip);

  return g_strdup_printf ("[%s]", ip);
}

static GIOStream *
current_stream (MdSmtpClient *self)
{
  return self->tls != NULL ? G_IO_STREAM (self->tls) : self->base;
}

/**
 * md_smtp_client_set_connection:
 * @stream: a connected stream, not buffered
 *
 * Uses @stream as the connection. md_smtp_client_connect_async() calls it;
 * tests hand in one end of a socket pair.
 */
void
md_smtp_client_set_connection (MdSmtpClient *self,
                               GIOStream    *stream)
{
  g_return_if_fail (MD_IS_SMTP_CLIENT (self));
  g_return_if_fail (G_IS_IO_STREAM (stream));

  md_smtp_client_close (self);
  self->base = g_object_ref (stream);
  self->reader = md_smtp_reader_new (g_io_stream_get_input_stream (stream));
}

/**
 * md_smtp_client_close:
 *
 * Drops the connection at once. Closing the socket below any TLS layer
 * skips TLS's close_notify, which a client that already sent QUIT need not
 * wait for.
 */
void
md_smtp_client_close (MdSmtpClient *self)
{
  g_return_if_fail (MD_IS_SMTP_CLIENT (self));

  if (self->base != NULL)
    g_io_stream_close (self->base, NULL, NULL);

  g_clear_object (&self->reader);
  g_clear_object (&self->tls);
  g_clear_object (&self->base);
}

/* Every step's task data starts with its deadline. */
typedef struct
{
  MdDeadline  *deadline;
  char        *line;      /* what goes on the wire; may hold a secret, so it is wiped */
  char        *shown;     /* what the transcript shows */
  char        *username;
  char        *password;
  guint        round;
  gboolean     no_reply;  /* the step ends once the line is written */
  MdSmtpAuthMechanism mechanism;
} StepData;

static void
step_data_free (gpointer data)
{
  StepData *step = data;

  g_clear_pointer (&step->deadline, md_deadline_free);
  g_clear_pointer (&step->line, md_secret_free);
  g_clear_pointer (&step->shown, g_free);
  g_clear_pointer (&step->username, g_free);
  g_clear_pointer (&step->password, md_secret_free);
  g_free (step);
}

static GTask *
step_task_new (MdSmtpClient        *self,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  StepData *step = g_new0 (StepData, 1);

  g_task_set_source_tag (task, source_tag);
  step->deadline = md_deadline_new (cancellable, self->step_timeout_ms);
  g_task_set_task_data (task, step, step_data_free);

  return task;
}

static GCancellable *
step_cancellable (GTask *task)
{
  StepData *step = g_task_get_task_data (task);

  return md_deadline_get_cancellable (step->deadline);
}

static void
step_return_error (GTask  *task,
                   GError *error)
{
  StepData *step = g_task_get_task_data (task);

  md_deadline_fix_error (step->deadline, &error);
  g_task_return_error (task, error);
}

static void
record_reply (MdSmtpClient      *self,
              const MdSmtpReply *reply)
{
  g_clear_pointer (&self->last_reply, md_smtp_reply_free);
  self->last_reply = md_smtp_reply_copy (reply);

  for (guint i = 0; reply->lines[i] != NULL; i++)
    {
      g_autofree char *line = NULL;
      gboolean last = reply->lines[i + 1] == NULL;

      line = g_strdup_printf ("%03u%c%s", reply->code, last ? ' ' : '-', reply->lines[i]);
      md_transcript_add (self->transcript, MD_DIRECTION_SERVER, line);
    }
}

/* Connect */

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GSocketConnection) connection = NULL;
  GError *error = NULL;
  MdSmtpClient *self = g_task_get_source_object (task);

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  if (connection == NULL)
    {
      step_return_error (task, error);
      return;
    }

  /* SMTP is a conversation of short lines, and GnuTLS writes its
   * ChangeCipherSpec and Finished apart: with Nagle on, the kernel holds
   * the second until the first is acknowledged, a delayed ACK's 40 ms on a
   * quiet link. */
  if (!g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP,
                            TCP_NODELAY, 1, &error))
    {
      g_debug ("TCP_NODELAY: %s", error->message);
      g_clear_error (&error);
    }

  md_smtp_client_set_connection (self, G_IO_STREAM (connection));
  g_task_return_boolean (task, TRUE);
}

/**
 * md_smtp_client_connect_async:
 * @address: one address of the server, with its port
 *
 * Opens a TCP connection to exactly @address; the caller decides which of
 * a host's addresses to try, so that each attempt can be reported.
 */
void
md_smtp_client_connect_async (MdSmtpClient        *self,
                              GSocketAddress      *address,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSocketClient) client = NULL;
  GCancellable *step;

  g_return_if_fail (MD_IS_SMTP_CLIENT (self));
  g_return_if_fail (G_IS_SOCKET_ADDRESS (address));

  task = step_task_new (self, md_smtp_client_connect_async, cancellable, callback, user_data);
  self->stage = MD_SMTP_STAGE_CONNECT;

  /* Not in the call below: argument evaluation order is unspecified. */
  step = step_cancellable (task);
  client = g_socket_client_new ();
  /* The route under test is the direct one to this address, as the port
   * matrix tries it. A desktop's proxy settings are for the web; asking
   * them also loads libproxy and waits for GIO's shared worker threads,
   * which the rest of a diagnosis keeps busy. */
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (address), step,
                                 connect_cb, g_steal_pointer (&task));
}

gboolean
md_smtp_client_connect_finish (MdSmtpClient  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Replies */

static void
read_reply_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(MdSmtpReply) reply = NULL;
  GError *error = NULL;
  MdSmtpClient *self = g_task_get_source_object (task);

  reply = md_smtp_reader_read_reply_finish (MD_SMTP_READER (object), result, &error);
  if (reply == NULL)
    {
      step_return_error (task, error);
      return;
    }

  record_reply (self, reply);
  g_task_return_pointer (task, g_steal_pointer (&reply), (GDestroyNotify)md_smtp_reply_free);
}

static void
read_reply (GTask *task)
{
  MdSmtpClient *self = g_task_get_source_object (task);

  if (self->reader == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("Not connected to the server"));
      return;
    }

  md_smtp_reader_read_reply_async (self->reader, step_cancellable (task),
                                   read_reply_cb, task);
}

void
md_smtp_client_read_greeting_async (MdSmtpClient        *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MD_IS_SMTP_CLIENT (self));

  task = step_task_new (self, md_smtp_client_read_greeting_async, cancellable, callback, user_data);
  self->stage = MD_SMTP_STAGE_GREETING;
  read_reply (task);
}

MdSmtpReply *
md_smtp_client_read_greeting_finish (MdSmtpClient  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Commands */

static void
write_line_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  StepData *step = g_task_get_task_data (task);
  GError *error = NULL;

  /* The line may carry a secret: it is not needed once written. */
  g_clear_pointer (&step->line, md_secret_free);

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      step_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (step->no_reply)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  read_reply (task);
}

/* Writes step->line with CRLF, records step->shown, then reads a reply
 * unless step->no_reply. */
static void
send_line (GTask *task)
{
  MdSmtpClient *self = g_task_get_source_object (task);
  StepData *step = g_task_get_task_data (task);
  GOutputStream *output;
  char *wire;

  if (self->base == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("Not connected to the server"));
      g_object_unref (task);
      return;
    }

  md_transcript_add (self->transcript, MD_DIRECTION_CLIENT, step->shown);

  wire = g_strconcat (step->line, "\r\n", NULL);
  md_secret_free (step->line);
  step->line = wire;

  output = g_io_stream_get_output_stream (current_stream (self));
  g_output_stream_write_all_async (output, step->line, strlen (step->line), G_PRIORITY_DEFAULT,
                                   step_cancellable (task), write_line_cb, task);
}

/* What both command calls do: writes @command, the transcript showing
 * @shown, and reads its reply unless @no_reply. */
static void
start_command (MdSmtpClient        *self,
               gpointer             source_tag,
               MdSmtpStage          stage,
               const char          *command,
               const char          *shown,
               gboolean             no_reply,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = step_task_new (self, source_tag, cancellable, callback, user_data);
  StepData *step = g_task_get_task_data (task);

  step->line = g_strdup (command);
  step->shown = g_strdup (shown != NULL ? shown : command);
  step->no_reply = no_reply;
  self->stage = stage;

  send_line (task);
}

/**
 * md_smtp_client_command_async:
 * @stage: the stage the command belongs to, for reports
 * @command: the command line, without CRLF
 * @shown: (nullable): what the transcript shows instead of @command
 *
 * Sends one command and reads its reply, whatever the reply's code.
 */
void
md_smtp_client_command_async (MdSmtpClient        *self,
                              MdSmtpStage          stage,
                              const char          *command,
                              const char          *shown,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (MD_IS_SMTP_CLIENT (self));
  g_return_if_fail (command != NULL);
  g_return_if_fail (strpbrk (command, "\r\n") == NULL);

  start_command (self, md_smtp_client_command_async, stage, command, shown, FALSE,
                 cancellable, callback, user_data);
}

MdSmtpReply *
md_smtp_client_command_finish (MdSmtpClient  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * md_smtp_client_send_async:
 * @stage: the stage the command belongs to, for reports
 * @command: the command line, without CRLF
 * @shown: (nullable): what the transcript shows instead of @command
 *
 * Sends one command and finishes once it is written, without reading a
 * reply: for QUIT, whose 221 tells a diagnosis nothing and costs a round
 * trip to wait for.
 */
void
md_smtp_client_send_async (MdSmtpClient        *self,
                           MdSmtpStage          stage,
                           const char          *command,
                           const char          *shown,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (MD_IS_SMTP_CLIENT (self));
  g_return_if_fail (command != NULL);
  g_return_if_fail (strpbrk (command, "\r\n") == NULL);

  start_command (self, md_smtp_client_send_async, stage, command, shown, TRUE,
                 cancellable, callback, user_data);
}

gboolean
md_smtp_client_send_finish (MdSmtpClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* TLS */

/* Certificate problems are recorded, not decided, here: the handshake goes
 * on so that the checks can show the certificate, and the caller verifies
 * it with MdTls before anything secret is sent. */
static gboolean
on_accept_certificate (GTlsConnection       *connection,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  return TRUE;
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MdSmtpClient *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result, &error))
    {
      g_clear_object (&self->tls);
      step_return_error (task, error);
      return;
    }

  md_smtp_reader_set_stream (self->reader,
                             g_io_stream_get_input_stream (G_IO_STREAM (self->tls)));
  g_task_return_boolean (task, TRUE);
}

/**
 * md_smtp_client_start_tls_async:
 * @server_name: the name (or address) the certificate should be for
 *
 * Starts TLS on the raw connection: right after connecting for implicit
 * TLS, or after the server's 220 to STARTTLS. Anything the server sent
 * before the handshake is plaintext an attacker may have injected
 * (CVE-2011-0411 class), so any buffered byte fails the step.
 */
void
md_smtp_client_start_tls_async (MdSmtpClient        *self,
                                const char          *server_name,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  GCancellable *step;
  GIOStream *tls;
  GError *error = NULL;

  g_return_if_fail (MD_IS_SMTP_CLIENT (self));

  task = step_task_new (self, md_smtp_client_start_tls_async, cancellable, callback, user_data);
  self->stage = MD_SMTP_STAGE_TLS;

  if (self->base == NULL || self->tls != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("Not connected to the server"));
      return;
    }

  if (md_smtp_reader_get_buffered (self->reader) > 0)
    {
      g_task_return_new_error (task, MD_ERROR, MD_ERROR_UNSAFE,
                               _("The server sent unexpected data before encryption started, "
                                 "which is how an attacker would inject commands"));
      return;
    }

  if (server_name != NULL)
    identity = g_network_address_new (server_name, 0);

  /* MdTls verifies the chain against the system's and the user's CAs; GIO
   * loading its own copies of the system store would only delay the
   * handshake by tens of milliseconds for a verdict nobody reads. The
   * database is set at construction, before the connection would load the
   * default one (g_tls_connection_set_database() afterwards came too late). */
  tls = g_initable_new (g_tls_backend_get_client_connection_type (g_tls_backend_get_default ()),
                        NULL, &error,
                        "base-io-stream", self->base,
                        "server-identity", identity,
                        "database", NULL,
                        NULL);
  if (tls == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  self->tls = G_TLS_CONNECTION (tls);
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (on_accept_certificate), NULL);
  step = step_cancellable (task);
  g_tls_connection_handshake_async (self->tls, G_PRIORITY_DEFAULT, step,
                                    handshake_cb, g_steal_pointer (&task));
}

gboolean
md_smtp_client_start_tls_finish (MdSmtpClient  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* AUTH (RFC 4954) */

static char *
encode_plain (const char *username,
              const char *password)
{
  gsize ulen = strlen (username);
  gsize plen = strlen (password);
  gsize len = ulen + plen + 2;
  g_autofree guchar *blob = g_malloc (len);
  char *encoded;

  /* authzid (empty) NUL authcid NUL passwd */
  blob[0] = '\0';
  memcpy (blob + 1, username, ulen);
  blob[1 + ulen] = '\0';
  memcpy (blob + 2 + ulen, password, plen);

  encoded = g_base64_encode (blob, len);
  md_wipe (blob, len);

  return encoded;
}

static char *
encode_cram_md5 (const char        *username,
                 const char        *password,
                 const MdSmtpReply *challenge_reply)
{
  g_autofree guchar *challenge = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *response = NULL;
  gsize challenge_len = 0;
  char *encoded;

  challenge = g_base64_decode (challenge_reply->lines[0], &challenge_len);
  digest = g_compute_hmac_for_data (G_CHECKSUM_MD5, (const guchar *)password, strlen (password),
                                    challenge, challenge_len);
  response = g_strdup_printf ("%s %s", username, digest);
  encoded = g_base64_encode ((const guchar *)response, strlen (response));
  md_wipe_str (digest);

  return encoded;
}

static void auth_step (GTask *task, const MdSmtpReply *reply);

static void
auth_reply_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(MdSmtpReply) reply = NULL;
  GError *error = NULL;

  reply = g_task_propagate_pointer (G_TASK (result), &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  auth_step (task, reply);
}

/* Sends the next line of the exchange on a fresh inner command task, so
 * the deadline applies to each round trip. */
static void
auth_send (GTask      *task,
           char       *line,
           const char *shown)
{
  MdSmtpClient *self = g_task_get_source_object (task);
  StepData *step = g_task_get_task_data (task);
  GTask *inner;
  StepData *inner_step;

  inner = step_task_new (self, md_smtp_client_command_async,
                         md_deadline_get_cancellable (step->deadline), auth_reply_cb, task);
  inner_step = g_task_get_task_data (inner);
  inner_step->line = line;
  inner_step->shown = g_strdup (shown);
  step->round++;

  send_line (inner);
}

/* Decides what to send after @reply (NULL before the first line). Anything
 * but the expected 334 ends the exchange with that reply. */
static void
auth_step (GTask             *task,
           const MdSmtpReply *reply)
{
  StepData *step = g_task_get_task_data (task);

  if (reply != NULL && (reply->code != 334 || step->round >= 3))
    {
      g_task_return_pointer (task, md_smtp_reply_copy (reply), (GDestroyNotify)md_smtp_reply_free);
      g_object_unref (task);
      return;
    }

  switch (step->mechanism)
    {
    case MD_SMTP_AUTH_PLAIN:
      {
        g_autofree char *blob = NULL;

        if (reply == NULL)
          {
            blob = encode_plain (step->username, step->password);
            auth_send (task, g_strconcat ("AUTH PLAIN ", blob, NULL), "AUTH PLAIN " MASK);
            md_wipe_str (blob);
          }
        else
          {
            /* A server that does not take the initial response asks with
             * an empty 334; it gets the same blob on its own line. */
            auth_send (task, encode_plain (step->username, step->password), MASK);
          }
      }
      break;

    case MD_SMTP_AUTH_LOGIN:
      if (reply == NULL)
        auth_send (task, g_strdup ("AUTH LOGIN"), NULL);
      else if (step->round == 1)
        auth_send (task, g_base64_encode ((const guchar *)step->username, strlen (step->username)),
                   MASK);
      else
        auth_send (task, g_base64_encode ((const guchar *)step->password, strlen (step->password)),
                   MASK);
      break;

    case MD_SMTP_AUTH_CRAM_MD5:
      if (reply == NULL)
        auth_send (task, g_strdup ("AUTH CRAM-MD5"), NULL);
      else
        auth_send (task, encode_cram_md5 (step->username, step->password, reply), MASK);
      break;

    default:
      g_assert_not_reached ();
    }
}

/**
 * md_smtp_client_auth_async:
 *
 * Runs one SASL exchange and returns the server's final reply (235 on
 * success, whatever else otherwise). The caller is responsible for only
 * calling this over a protected connection, or with the user's consent.
 * @password is copied for the exchange and wiped afterwards.
 */
void
md_smtp_client_auth_async (MdSmtpClient        *self,
                           MdSmtpAuthMechanism  mechanism,
                           const char          *username,
                           const char          *password,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  StepData *step;

  g_return_if_fail (MD_IS_SMTP_CLIENT (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  task = step_task_new (self, md_smtp_client_auth_async, cancellable, callback, user_data);
  step = g_task_get_task_data (task);
  step->mechanism = mechanism;
  step->username = g_strdup (username);
  step->password = g_strdup (password);
  self->stage = MD_SMTP_STAGE_AUTH;

  auth_step (task, NULL);
}

MdSmtpReply *
md_smtp_client_auth_finish (MdSmtpClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
