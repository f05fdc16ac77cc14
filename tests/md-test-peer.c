/* md-test-peer.c: an in-process scripted hostile SMTP peer for tests
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>
#include <sys/socket.h>

#include "md-test-peer.h"

/* A client line longer than this ends the connection, so a runaway client
 * cannot make the peer grow without bound; what came is still recorded. */
#define MAX_LINE (64 * 1024)

/* The first byte of a TLS ClientHello record. */
#define TLS_HANDSHAKE_RECORD 0x16

typedef enum
{
  STEP_SEND,
  STEP_SEND_RAW,
  STEP_EXPECT,
  STEP_SLEEP,
  STEP_DRIP,
  STEP_START_TLS,
  STEP_CLOSE,
  STEP_RESET,
  STEP_CLOSE_NOTIFY,
  STEP_HALF_CLOSE,
  STEP_DRAIN,
  STEP_SERVE,
} StepKind;

typedef struct
{
  StepKind         kind;
  GBytes          *bytes;
  guint            ms;
  GTlsCertificate *certificate;
} Step;

struct _MdTestScript
{
  GPtrArray *steps;
  char      *password;
};

typedef struct
{
  gboolean  tls;
  char     *text;
} Record;

struct _MdTestPeer
{
  MdTestScript    *script;
  GSocketListener *listener;
  GCancellable    *cancellable;
  GMainContext    *context;
  GThread         *thread;
  guint16          port;

  /* Touched by the peer thread only. */
  GPtrArray       *connections;
  gboolean         accepting;
  gboolean         stopping;

  /* Shared with the test thread, under the mutex. */
  GMutex           mutex;
  GCond            cond;
  GPtrArray       *records;
  guint            n_accepted;
  guint            n_finished;
};

typedef enum
{
  AUTH_NONE,
  AUTH_PLAIN,
  AUTH_LOGIN_USER,
  AUTH_LOGIN_PASSWORD,
} AuthPhase;

typedef struct _Connection Connection;
typedef void (*ConnectionFunc) (Connection *self);
typedef void (*LineFunc)       (Connection *self,
                                const char *line);

/* One client. Exactly one operation (read, write, wait, handshake) is
 * pending at any time, and whichever callback sees it fail ends the
 * connection, so ending never races with another callback. */
struct _Connection
{
  MdTestPeer        *peer;
  GSocketConnection *socket_connection;
  GIOStream         *stream;
  GCancellable      *cancellable;
  gboolean           tls;
  guint              step;
  gsize              offset;
  GByteArray        *input;
  guint8             buffer[4096];
  char              *reply;
  LineFunc           on_line;
  ConnectionFunc     on_written;
  ConnectionFunc     on_timer;
  GSource           *timer;
  GSource           *deadline;
  AuthPhase          auth_phase;
  char              *auth_user;
};

static void connection_run       (Connection *self);
static void connection_serve     (Connection *self);
static void connection_read_line (Connection *self,
                                  LineFunc    on_line);

/* Script */

static void
step_free (gpointer data)
{
  Step *step = data;

  g_clear_pointer (&step->bytes, g_bytes_unref);
  g_clear_object (&step->certificate);
  g_free (step);
}

static Step *
script_add (MdTestScript *self,
            StepKind      kind)
{
  Step *step = g_new0 (Step, 1);

  step->kind = kind;
  g_ptr_array_add (self->steps, step);
  return step;
}

MdTestScript *
md_test_script_new (void)
{
  MdTestScript *self = g_new0 (MdTestScript, 1);

  self->steps = g_ptr_array_new_with_free_func (step_free);
  return self;
}

void
md_test_script_free (MdTestScript *self)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_clear_pointer (&self->password, g_free);
  g_free (self);
}

/* Sends bytes as they are: they may hold NUL, bare LF, or no line end. */
void
md_test_script_send (MdTestScript *self,
                     const char   *data,
                     gssize        len)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL);

  script_add (self, STEP_SEND)->bytes = g_bytes_new (data, len < 0 ? strlen (data) : (gsize) len);
}

/* Sends bytes on the socket itself, under TLS if it is on: what a broken
 * middlebox or a server that loses its TLS state puts on the wire. */
void
md_test_script_send_raw (MdTestScript *self,
                         const void   *data,
                         gsize         len)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL);

  script_add (self, STEP_SEND_RAW)->bytes = g_bytes_new (data, len);
}

/* Reads one line from the client (recorded) and goes on, whatever it is. */
void
md_test_script_expect (MdTestScript *self)
{
  g_return_if_fail (self != NULL);

  script_add (self, STEP_EXPECT);
}

void
md_test_script_sleep (MdTestScript *self,
                      guint         ms)
{
  g_return_if_fail (self != NULL);

  script_add (self, STEP_SLEEP)->ms = ms;
}

/* Sends @data one byte at a time, @interval_ms apart. */
void
md_test_script_drip (MdTestScript *self,
                     const char   *data,
                     guint         interval_ms)
{
  Step *step;

  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL);

  step = script_add (self, STEP_DRIP);
  step->bytes = g_bytes_new (data, strlen (data));
  step->ms = interval_ms;
}

/* Waits for the client's TLS handshake and goes on over TLS. A client that
 * talks in the clear instead is recorded until it closes. */
void
md_test_script_start_tls (MdTestScript    *self,
                          GTlsCertificate *certificate)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (G_IS_TLS_CERTIFICATE (certificate));

  script_add (self, STEP_START_TLS)->certificate = g_object_ref (certificate);
}

void
md_test_script_close (MdTestScript *self)
{
  g_return_if_fail (self != NULL);

  script_add (self, STEP_CLOSE);
}

/* Closes with SO_LINGER 0, so the client sees a reset instead of EOF. */
void
md_test_script_reset (MdTestScript *self)
{
  g_return_if_fail (self != NULL);

  script_add (self, STEP_RESET);
}

/* Closes the stream as a polite peer would: over TLS that sends the
 * close_notify alert first, so the client sees a clean TLS end (not a
 * truncation) wherever the script stands. */
void
md_test_script_close_notify (MdTestScript *self)
{
  g_return_if_fail (self != NULL);

  script_add (self, STEP_CLOSE_NOTIFY);
}

/* Shuts down the sending side only (the client reads EOF) and goes on with
 * the next step, so the socket stays open and still reads. */
void
md_test_script_half_close (MdTestScript *self)
{
  g_return_if_fail (self != NULL);

  script_add (self, STEP_HALF_CLOSE);
}

/* Records what the client still sends, without answering, until it closes
 * or @ms pass (0: until the peer stops), then closes. Ends the script. */
void
md_test_script_drain (MdTestScript *self,
                      guint         ms)
{
  g_return_if_fail (self != NULL);

  script_add (self, STEP_DRAIN)->ms = ms;
}

/* Never answers again (but still records). Ends the script. */
void
md_test_script_hold (MdTestScript *self)
{
  md_test_script_drain (self, 0);
}

/* Answers every further command as a plain server would (QUIT, AUTH with
 * the script's password, EHLO, NOOP, RSET; 502 to the rest), each reply
 * ending in @eol. Ends the script. */
void
md_test_script_serve (MdTestScript *self,
                      const char   *eol)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (eol != NULL);

  /* With its NUL, so replies can use it as a string. */
  script_add (self, STEP_SERVE)->bytes = g_bytes_new (eol, strlen (eol) + 1);
}

void
md_test_script_set_password (MdTestScript *self,
                             const char   *password)
{
  g_return_if_fail (self != NULL);

  g_free (self->password);
  self->password = g_strdup (password);
}

/* Connection: records and I/O */

static void
record_free (gpointer data)
{
  Record *record = data;

  g_free (record->text);
  g_free (record);
}

static void
connection_record (Connection *self,
                   const char *text)
{
  MdTestPeer *peer = self->peer;
  Record *record = g_new0 (Record, 1);

  record->tls = self->tls;
  record->text = g_strdup (text);

  g_mutex_lock (&peer->mutex);
  g_ptr_array_add (peer->records, record);
  g_mutex_unlock (&peer->mutex);
}

static char *
connection_take_line (Connection *self)
{
  const char *data = (const char *) self->input->data;
  /* memchr() on NULL is undefined even for a length of 0. */
  const char *newline = data != NULL ? memchr (data, '\n', self->input->len) : NULL;
  gsize len;
  char *line;

  if (newline == NULL)
    return NULL;

  len = newline - data;
  line = g_strndup (data, len > 0 && data[len - 1] == '\r' ? len - 1 : len);
  g_byte_array_remove_range (self->input, 0, len + 1);
  return line;
}

/* Records every line still buffered, and a last unterminated piece too. */
static void
connection_record_rest (Connection *self)
{
  char *line;

  while ((line = connection_take_line (self)) != NULL)
    {
      connection_record (self, line);
      g_free (line);
    }

  if (self->input->len > 0)
    {
      g_autofree char *rest = g_strndup ((const char *) self->input->data, self->input->len);

      connection_record (self, rest);
      g_byte_array_set_size (self->input, 0);
    }
}

static void
connection_end (Connection *self)
{
  MdTestPeer *peer = self->peer;

  g_socket_close (g_socket_connection_get_socket (self->socket_connection), NULL);
  if (self->timer != NULL)
    g_source_destroy (self->timer);
  if (self->deadline != NULL)
    g_source_destroy (self->deadline);
  g_clear_pointer (&self->timer, g_source_unref);
  g_clear_pointer (&self->deadline, g_source_unref);
  g_clear_object (&self->stream);
  g_clear_object (&self->socket_connection);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->input, g_byte_array_unref);
  g_clear_pointer (&self->reply, g_free);
  g_clear_pointer (&self->auth_user, g_free);
  g_ptr_array_remove_fast (peer->connections, self);
  g_free (self);

  g_mutex_lock (&peer->mutex);
  peer->n_finished++;
  g_cond_broadcast (&peer->cond);
  g_mutex_unlock (&peer->mutex);
}

static const Step *
connection_get_step (Connection *self)
{
  GPtrArray *steps = self->peer->script->steps;

  return self->step < steps->len ? g_ptr_array_index (steps, self->step) : NULL;
}

static void
connection_next_step (Connection *self)
{
  self->step++;
  self->offset = 0;
  connection_run (self);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Connection *self = user_data;
  gssize n;

  g_assert (G_IS_INPUT_STREAM (source));

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);
  if (n <= 0)
    {
      connection_record_rest (self);
      connection_end (self);
      return;
    }

  g_byte_array_append (self->input, self->buffer, n);
  connection_read_line (self, self->on_line);
}

/* Calls @on_line with the next line (already recorded) once it is there. */
static void
connection_read_line (Connection *self,
                      LineFunc    on_line)
{
  g_autofree char *line = connection_take_line (self);

  if (line != NULL)
    {
      connection_record (self, line);
      on_line (self, line);
      return;
    }

  if (self->input->len > MAX_LINE)
    {
      connection_record_rest (self);
      connection_end (self);
      return;
    }

  self->on_line = on_line;
  g_input_stream_read_async (g_io_stream_get_input_stream (self->stream),
                             self->buffer, sizeof self->buffer, G_PRIORITY_DEFAULT,
                             self->cancellable, on_read, self);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Connection *self = user_data;

  g_assert (G_IS_OUTPUT_STREAM (source));

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    connection_end (self);
  else
    self->on_written (self);
}

static void
connection_write_to (Connection     *self,
                     GIOStream      *stream,
                     const void     *data,
                     gsize           len,
                     ConnectionFunc  next)
{
  self->on_written = next;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   data, len, G_PRIORITY_DEFAULT,
                                   self->cancellable, on_written, self);
}

/* @data must stay valid until @next runs: it is script data or self->reply. */
static void
connection_write (Connection     *self,
                  const void     *data,
                  gsize           len,
                  ConnectionFunc  next)
{
  connection_write_to (self, self->stream, data, len, next);
}

/* Sends one reply line of a serve step, ended as the step says. */
static void
connection_reply (Connection     *self,
                  const char     *text,
                  ConnectionFunc  next)
{
  const Step *step = connection_get_step (self);

  g_assert (step->kind == STEP_SERVE);

  g_free (self->reply);
  self->reply = g_strconcat (text, g_bytes_get_data (step->bytes, NULL), NULL);
  connection_write (self, self->reply, strlen (self->reply), next);
}

static gboolean
on_timer (gpointer user_data)
{
  Connection *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);

  if (g_cancellable_is_cancelled (self->cancellable))
    connection_end (self);
  else
    self->on_timer (self);

  return G_SOURCE_REMOVE;
}

/* Runs @next after @ms, or ends the connection if the peer stops first. */
static void
connection_wait (Connection     *self,
                 guint           ms,
                 ConnectionFunc  next)
{
  g_autoptr(GSource) cancelled = g_cancellable_source_new (self->cancellable);

  g_source_set_dummy_callback (cancelled);
  self->on_timer = next;
  self->timer = g_timeout_source_new (ms);
  g_source_add_child_source (self->timer, cancelled);
  g_source_set_callback (self->timer, on_timer, self, NULL);
  g_source_attach (self->timer, self->peer->context);
}

/* Connection: steps */

static void connection_drip (Connection *self);

static void
on_drip_written (Connection *self)
{
  self->offset++;
  connection_wait (self, connection_get_step (self)->ms, connection_drip);
}

static void
connection_drip (Connection *self)
{
  const Step *step = connection_get_step (self);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (step->bytes, &len);

  if (self->offset < len)
    connection_write (self, data + self->offset, 1, on_drip_written);
  else
    connection_next_step (self);
}

static void
on_expect_line (Connection *self,
                const char *line)
{
  connection_next_step (self);
}

static void
on_drain_line (Connection *self,
               const char *line)
{
  connection_read_line (self, on_drain_line);
}

/* The read still pending sees the cancellation and ends the connection. */
static gboolean
on_drain_deadline (gpointer user_data)
{
  Connection *self = user_data;

  g_clear_pointer (&self->deadline, g_source_unref);
  g_cancellable_cancel (self->cancellable);
  return G_SOURCE_REMOVE;
}

static void
connection_drain (Connection *self,
                  guint       ms)
{
  if (ms > 0)
    {
      self->deadline = g_timeout_source_new (ms);
      g_source_set_callback (self->deadline, on_drain_deadline, self, NULL);
      g_source_attach (self->deadline, self->peer->context);
    }

  connection_read_line (self, on_drain_line);
}

static void
connection_reset (Connection *self)
{
  GSocket *socket = g_socket_connection_get_socket (self->socket_connection);
  struct linger linger = { .l_onoff = 1, .l_linger = 0 };

  /* A zero linger time makes close() send RST instead of FIN. */
  g_assert_cmpint (setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER,
                               &linger, sizeof linger), ==, 0);
  connection_end (self);
}

static void
on_closed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Connection *self = user_data;

  g_assert (G_IS_IO_STREAM (source));

  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  connection_end (self);
}

static void
connection_close_notify (Connection *self)
{
  g_io_stream_close_async (self->stream, G_PRIORITY_DEFAULT, self->cancellable, on_closed, self);
}

static void
connection_half_close (Connection *self)
{
  GSocket *socket = g_socket_connection_get_socket (self->socket_connection);

  g_assert_true (g_socket_shutdown (socket, FALSE, TRUE, NULL));
  connection_next_step (self);
}

static void
on_handshake (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Connection *self = user_data;

  g_assert (G_IS_TLS_CONNECTION (source));

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, NULL))
    {
      connection_end (self);
      return;
    }

  self->tls = TRUE;
  connection_next_step (self);
}

static void
connection_handshake (Connection *self)
{
  const Step *step = connection_get_step (self);
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->stream);
  self->stream = g_tls_server_connection_new (G_IO_STREAM (self->socket_connection),
                                              step->certificate, &error);
  g_assert_no_error (error);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (self->stream), G_PRIORITY_DEFAULT,
                                    self->cancellable, on_handshake, self);
}

/* Peeks at the client's first byte after STARTTLS: a client that goes on in
 * the clear (with AUTH, say) instead of starting TLS gets recorded rather
 * than lost in a failed handshake. */
static gboolean
on_tls_readable (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  Connection *self = user_data;
  guint8 first = 0;
  gssize n;

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      connection_end (self);
      return G_SOURCE_REMOVE;
    }

  n = recv (g_socket_get_fd (socket), &first, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n <= 0)
    connection_end (self);
  else if (first == TLS_HANDSHAKE_RECORD)
    connection_handshake (self);
  else
    connection_drain (self, 0);

  return G_SOURCE_REMOVE;
}

static void
connection_start_tls (Connection *self)
{
  GSocket *socket = g_socket_connection_get_socket (self->socket_connection);
  g_autoptr(GSource) source = g_socket_create_source (socket, G_IO_IN, self->cancellable);

  /* Whatever came after STARTTLS and before the handshake was sent in the
   * clear; record it as such. */
  connection_record_rest (self);
  g_source_set_callback (source, G_SOURCE_FUNC (on_tls_readable), self, NULL);
  g_source_attach (source, self->peer->context);
}

/* Connection: a plain server for the rest of the session */

static gboolean
has_verb (const char *line,
          const char *verb)
{
  gsize len = strlen (verb);

  return g_ascii_strncasecmp (line, verb, len) == 0 && (line[len] == '\0' || line[len] == ' ');
}

static char *
decode_text (const char *base64)
{
  gsize len = 0;
  g_autofree guchar *data = g_base64_decode (base64, &len);

  return g_strndup ((const char *) data, len);
}

static void
connection_auth_check (Connection *self,
                       const char *user,
                       const char *password)
{
  if (g_strcmp0 (user, MD_TEST_PEER_USER) == 0 &&
      g_strcmp0 (password, self->peer->script->password) == 0)
    connection_reply (self, "235 2.7.0 Authentication successful", connection_serve);
  else
    connection_reply (self, "535 5.7.8 Error: authentication failed", connection_serve);
}

/* PLAIN carries "authzid\0user\0password" (RFC 4616). */
static void
connection_auth_plain (Connection *self,
                       const char *base64)
{
  gsize len = 0;
  g_autofree guchar *data = g_base64_decode (base64, &len);
  const guchar *first = data != NULL ? memchr (data, '\0', len) : NULL;
  const guchar *second = first ? memchr (first + 1, '\0', len - (first + 1 - data)) : NULL;
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;

  if (second == NULL)
    {
      connection_reply (self, "501 5.5.2 Error: cannot decode response", connection_serve);
      return;
    }

  user = g_strndup ((const char *) first + 1, second - first - 1);
  password = g_strndup ((const char *) second + 1, data + len - second - 1);
  connection_auth_check (self, user, password);
}

static void
connection_auth_start (Connection *self,
                       const char *line)
{
  g_auto(GStrv) words = g_strsplit (line, " ", 3);
  const char *mechanism = words[1];
  const char *initial = mechanism != NULL ? words[2] : NULL;

  if (self->peer->script->password == NULL || mechanism == NULL)
    {
      connection_reply (self, "502 5.5.1 Error: authentication not enabled", connection_serve);
    }
  else if (g_ascii_strcasecmp (mechanism, "PLAIN") == 0 && initial != NULL)
    {
      connection_auth_plain (self, initial);
    }
  else if (g_ascii_strcasecmp (mechanism, "PLAIN") == 0)
    {
      self->auth_phase = AUTH_PLAIN;
      connection_reply (self, "334 ", connection_serve);
    }
  else if (g_ascii_strcasecmp (mechanism, "LOGIN") == 0 && initial != NULL)
    {
      self->auth_user = decode_text (initial);
      self->auth_phase = AUTH_LOGIN_PASSWORD;
      connection_reply (self, "334 UGFzc3dvcmQ6", connection_serve);
    }
  else if (g_ascii_strcasecmp (mechanism, "LOGIN") == 0)
    {
      self->auth_phase = AUTH_LOGIN_USER;
      connection_reply (self, "334 VXNlcm5hbWU6", connection_serve);
    }
  else
    {
      connection_reply (self, "504 5.5.4 Unrecognized authentication type", connection_serve);
    }
}

static void
connection_auth_continue (Connection *self,
                          const char *line)
{
  AuthPhase phase = self->auth_phase;
  g_autofree char *password = NULL;

  self->auth_phase = AUTH_NONE;

  if (strcmp (line, "*") == 0)
    {
      connection_reply (self, "501 5.7.0 Authentication aborted", connection_serve);
      return;
    }

  switch (phase)
    {
    case AUTH_PLAIN:
      connection_auth_plain (self, line);
      break;

    case AUTH_LOGIN_USER:
      g_free (self->auth_user);
      self->auth_user = decode_text (line);
      self->auth_phase = AUTH_LOGIN_PASSWORD;
      connection_reply (self, "334 UGFzc3dvcmQ6", connection_serve);
      break;

    case AUTH_LOGIN_PASSWORD:
      password = decode_text (line);
      connection_auth_check (self, self->auth_user, password);
      break;

    case AUTH_NONE:
    default:
      g_assert_not_reached ();
    }
}

static void
on_serve_line (Connection *self,
               const char *line)
{
  if (self->auth_phase != AUTH_NONE)
    connection_auth_continue (self, line);
  else if (has_verb (line, "QUIT"))
    connection_reply (self, "221 2.0.0 Bye", connection_end);
  else if (has_verb (line, "AUTH"))
    connection_auth_start (self, line);
  else if (has_verb (line, "EHLO") || has_verb (line, "HELO"))
    connection_reply (self, "250 mx.test.example", connection_serve);
  else if (has_verb (line, "NOOP") || has_verb (line, "RSET"))
    connection_reply (self, "250 2.0.0 Ok", connection_serve);
  else
    connection_reply (self, "502 5.5.2 Error: command not recognized", connection_serve);
}

static void
connection_serve (Connection *self)
{
  connection_read_line (self, on_serve_line);
}

static void
connection_run (Connection *self)
{
  const Step *step = connection_get_step (self);

  if (step == NULL)
    {
      connection_end (self);
      return;
    }

  switch (step->kind)
    {
    case STEP_SEND:
      connection_write (self, g_bytes_get_data (step->bytes, NULL),
                        g_bytes_get_size (step->bytes), connection_next_step);
      break;

    case STEP_SEND_RAW:
      connection_write_to (self, G_IO_STREAM (self->socket_connection),
                           g_bytes_get_data (step->bytes, NULL),
                           g_bytes_get_size (step->bytes), connection_next_step);
      break;

    case STEP_EXPECT:
      connection_read_line (self, on_expect_line);
      break;

    case STEP_SLEEP:
      connection_wait (self, step->ms, connection_next_step);
      break;

    case STEP_DRIP:
      connection_drip (self);
      break;

    case STEP_START_TLS:
      connection_start_tls (self);
      break;

    case STEP_CLOSE:
      connection_end (self);
      break;

    case STEP_RESET:
      connection_reset (self);
      break;

    case STEP_CLOSE_NOTIFY:
      connection_close_notify (self);
      break;

    case STEP_HALF_CLOSE:
      connection_half_close (self);
      break;

    case STEP_DRAIN:
      connection_drain (self, step->ms);
      break;

    case STEP_SERVE:
      connection_serve (self);
      break;

    default:
      g_assert_not_reached ();
    }
}

static Connection *
connection_new (MdTestPeer        *peer,
                GSocketConnection *socket_connection)
{
  Connection *self = g_new0 (Connection, 1);

  self->peer = peer;
  self->socket_connection = g_object_ref (socket_connection);
  self->stream = g_object_ref (G_IO_STREAM (socket_connection));
  self->cancellable = g_cancellable_new ();
  self->input = g_byte_array_new ();
  g_ptr_array_add (peer->connections, self);

  g_mutex_lock (&peer->mutex);
  peer->n_accepted++;
  g_mutex_unlock (&peer->mutex);

  return self;
}

/* Peer */

static void
on_accepted (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  MdTestPeer *self = user_data;
  g_autoptr(GSocketConnection) socket_connection = NULL;

  g_assert (G_IS_SOCKET_LISTENER (source));

  socket_connection = g_socket_listener_accept_finish (self->listener, result, NULL, NULL);
  if (socket_connection == NULL || self->stopping)
    {
      self->accepting = FALSE;
      return;
    }

  g_socket_listener_accept_async (self->listener, self->cancellable, on_accepted, self);
  connection_run (connection_new (self, socket_connection));
}

/* Runs in the peer thread. Each connection's pending operation sees its
 * cancellation and ends the connection; the thread then runs out of work. */
static gboolean
on_stop (gpointer user_data)
{
  MdTestPeer *self = user_data;
  g_autoptr(GPtrArray) cancellables = g_ptr_array_new_with_free_func (g_object_unref);

  self->stopping = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_socket_listener_close (self->listener);

  /* Cancelling may end a connection at once, so do not walk the live list. */
  for (guint i = 0; i < self->connections->len; i++)
    {
      Connection *connection = g_ptr_array_index (self->connections, i);

      g_ptr_array_add (cancellables, g_object_ref (connection->cancellable));
    }
  for (guint i = 0; i < cancellables->len; i++)
    g_cancellable_cancel (g_ptr_array_index (cancellables, i));

  return G_SOURCE_REMOVE;
}

static gpointer
peer_thread (gpointer data)
{
  MdTestPeer *self = data;

  g_main_context_push_thread_default (self->context);

  self->accepting = TRUE;
  g_socket_listener_accept_async (self->listener, self->cancellable, on_accepted, self);
  while (self->accepting || self->connections->len > 0)
    g_main_context_iteration (self->context, TRUE);

  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static MdTestPeer *
peer_new (MdTestScript  *script,
          GSocketFamily  family)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (family);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  MdTestPeer *self;

  /* Not every machine has ::1 (a container may have IPv6 off): tell the
   * caller, which skips, rather than fail. */
  if (!g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error))
    {
      g_assert_true (family == G_SOCKET_FAMILY_IPV6);
      md_test_script_free (script);
      return NULL;
    }

  self = g_new0 (MdTestPeer, 1);
  self->script = script;
  self->listener = g_steal_pointer (&listener);
  self->cancellable = g_cancellable_new ();
  self->context = g_main_context_new ();
  self->connections = g_ptr_array_new ();
  self->records = g_ptr_array_new_with_free_func (record_free);
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);

  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));

  self->thread = g_thread_new ("md-test-peer", peer_thread, self);
  return self;
}

/**
 * md_test_peer_new:
 * @script: (transfer full): what to do on each connection
 *
 * Starts a peer on 127.0.0.1 with a port of the system's choosing.
 *
 * Returns: (transfer full): the running peer
 */
MdTestPeer *
md_test_peer_new (MdTestScript *script)
{
  g_return_val_if_fail (script != NULL, NULL);

  return peer_new (script, G_SOCKET_FAMILY_IPV4);
}

/**
 * md_test_peer_new_ipv6:
 * @script: (transfer full): what to do on each connection
 *
 * Starts a peer on ::1 only, for an IPv6-only server.
 *
 * Returns: (transfer full) (nullable): the running peer, or %NULL when the
 *   machine has no IPv6 loopback (@script is freed then)
 */
MdTestPeer *
md_test_peer_new_ipv6 (MdTestScript *script)
{
  g_return_val_if_fail (script != NULL, NULL);

  return peer_new (script, G_SOCKET_FAMILY_IPV6);
}

guint16
md_test_peer_get_port (MdTestPeer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->port;
}

guint
md_test_peer_get_n_connections (MdTestPeer *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (self != NULL, 0);

  locker = g_mutex_locker_new (&self->mutex);
  return self->n_accepted;
}

/* Waits until a client came and every connection has ended, so the lines
 * it sent last are recorded; fails the test after @timeout_ms. */
void
md_test_peer_wait_done (MdTestPeer *self,
                        guint       timeout_ms)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gint64 end_time = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;

  g_return_if_fail (self != NULL);

  locker = g_mutex_locker_new (&self->mutex);
  while (self->n_accepted == 0 || self->n_finished < self->n_accepted)
    {
      if (!g_cond_wait_until (&self->cond, &self->mutex, end_time))
        break;
    }

  g_assert_cmpuint (self->n_accepted, >, 0);
  g_assert_cmpuint (self->n_finished, ==, self->n_accepted);
}

/**
 * md_test_peer_dup_lines:
 *
 * Returns: (transfer full): every line clients sent, in order, without
 *   line ends
 */
char **
md_test_peer_dup_lines (MdTestPeer *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  for (guint i = 0; i < self->records->len; i++)
    g_strv_builder_add (builder, ((Record *) g_ptr_array_index (self->records, i))->text);

  return g_strv_builder_end (builder);
}

/**
 * md_test_peer_dup_plaintext:
 *
 * Returns: (transfer full): every line clients sent in the clear, each
 *   followed by "\n": what anyone on the path could read
 */
char *
md_test_peer_dup_plaintext (MdTestPeer *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  for (guint i = 0; i < self->records->len; i++)
    {
      Record *record = g_ptr_array_index (self->records, i);

      if (!record->tls)
        g_string_append_printf (text, "%s\n", record->text);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
peer_saw (MdTestPeer *self,
          const char *prefix,
          gboolean    tls_only)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  gsize len = strlen (prefix);

  for (guint i = 0; i < self->records->len; i++)
    {
      Record *record = g_ptr_array_index (self->records, i);

      if ((record->tls || !tls_only) && g_ascii_strncasecmp (record->text, prefix, len) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Whether any client line starts with @prefix (ignoring case). */
gboolean
md_test_peer_saw (MdTestPeer *self,
                  const char *prefix)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (prefix != NULL, FALSE);

  return peer_saw (self, prefix, FALSE);
}

gboolean
md_test_peer_saw_over_tls (MdTestPeer *self,
                           const char *prefix)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (prefix != NULL, FALSE);

  return peer_saw (self, prefix, TRUE);
}

/* Stops the peer: closes the listener and every client socket, and joins
 * the thread before freeing anything it used. */
void
md_test_peer_free (MdTestPeer *self)
{
  g_autoptr(GSource) stop = g_idle_source_new ();

  g_return_if_fail (self != NULL);

  g_source_set_callback (stop, on_stop, self, NULL);
  g_source_attach (stop, self->context);
  g_thread_join (self->thread);

  g_clear_object (&self->listener);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->connections, g_ptr_array_unref);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_clear_pointer (&self->script, md_test_script_free);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}
