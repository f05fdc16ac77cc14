/* test-watch.c: checking again with back-off until the server accepts
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <signal.h>
#include <unistd.h>
#include <string.h>

#include "md-diagnosis.h"
#include "md-watch.h"

#include "md-test-peer.h"
#include "md-test-utils.h"

/* Bounds every wait for a whole watch; the intervals below are tiny. */
#define RUN_TIMEOUT_MS 10000

/* How soon after a cancellation the watch must have answered. */
#define PROMPT_MS 500

/* Bounds each blocking read and write of the flaky peer's threads. */
#define PEER_IO_TIMEOUT_S 5

#define GREETING_421 "421 4.7.0 flaky.test.example Error: too many connections\r\n"

/* A peer that answers 421 to its first connections, then works. The
 * scripted peer serves every connection alike, so this one is its own:
 * blocking I/O in the threads of a GThreadedSocketService, each read and
 * write bounded by a socket timeout. */
typedef struct
{
  GSocketService *service;
  guint16         port;
  guint           n_refused;

  GMutex          mutex;
  GCond           cond;
  guint           n_connections;
  guint           n_active;
} FlakyPeer;

typedef struct
{
  MdTestPeer   *peer;
  FlakyPeer    *flaky;
  MdAccount    *account;
  MdDiagnosis  *diagnosis;
  MdWatch      *watch;
  GCancellable *cancellable;
  GAsyncResult *result;

  /* What attempt-finished reported, in order. */
  GArray       *delays;
  GArray       *finished_us;
  GPtrArray    *checks;
  guint         n_notify;

  /* The attempt at which a handler stops the watch; 0: never. */
  guint         cancel_at;
  guint         dispose_at;
} Fixture;

/* The flaky peer */

static void
flaky_write (GSocketConnection *connection,
             const char        *text)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  g_output_stream_write_all (out, text, strlen (text), NULL, NULL, NULL);
}

/* Answers as a plain server without extensions would, until QUIT. */
static void
flaky_serve (GSocketConnection *connection)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr(GDataInputStream) data = g_data_input_stream_new (in);

  g_data_input_stream_set_newline_type (data, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (data), FALSE);
  flaky_write (connection, "220 flaky.test.example ESMTP\r\n");

  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (data, NULL, NULL, NULL);

      if (line == NULL)
        return;

      if (g_ascii_strncasecmp (line, "QUIT", 4) == 0)
        {
          flaky_write (connection, "221 2.0.0 Bye\r\n");
          return;
        }

      if (g_ascii_strncasecmp (line, "EHLO", 4) == 0)
        flaky_write (connection, "250-flaky.test.example\r\n250 SIZE 10240000\r\n");
      else
        flaky_write (connection, "502 5.5.2 Not implemented\r\n");
    }
}

static gboolean
on_flaky_run (GThreadedSocketService *service,
              GSocketConnection      *connection,
              GObject                *source_object,
              gpointer                user_data)
{
  FlakyPeer *peer = user_data;
  guint n;

  g_mutex_lock (&peer->mutex);
  n = ++peer->n_connections;
  peer->n_active++;
  g_mutex_unlock (&peer->mutex);

  g_socket_set_timeout (g_socket_connection_get_socket (connection), PEER_IO_TIMEOUT_S);
  if (n <= peer->n_refused)
    flaky_write (connection, GREETING_421);
  else
    flaky_serve (connection);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  g_mutex_lock (&peer->mutex);
  peer->n_active--;
  g_cond_broadcast (&peer->cond);
  g_mutex_unlock (&peer->mutex);

  return TRUE;
}

static FlakyPeer *
flaky_peer_new (guint n_refused)
{
  FlakyPeer *peer = g_new0 (FlakyPeer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_init (&peer->mutex);
  g_cond_init (&peer->cond);
  peer->n_refused = n_refused;
  peer->service = g_threaded_socket_service_new (4);
  g_signal_connect (peer->service, "run", G_CALLBACK (on_flaky_run), peer);
  g_socket_listener_add_address (G_SOCKET_LISTENER (peer->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  peer->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  return peer;
}

static guint
flaky_peer_get_n_connections (FlakyPeer *peer)
{
  guint n;

  g_mutex_lock (&peer->mutex);
  n = peer->n_connections;
  g_mutex_unlock (&peer->mutex);

  return n;
}

/* Stops listening and joins the connections still being served. */
static void
flaky_peer_free (FlakyPeer *peer)
{
  gint64 deadline = g_get_monotonic_time () + (PEER_IO_TIMEOUT_S + 1) * G_USEC_PER_SEC;

  g_socket_service_stop (peer->service);
  g_socket_listener_close (G_SOCKET_LISTENER (peer->service));
  g_signal_handlers_disconnect_by_data (peer->service, peer);

  g_mutex_lock (&peer->mutex);
  while (peer->n_active > 0)
    g_assert_true (g_cond_wait_until (&peer->cond, &peer->mutex, deadline));
  g_mutex_unlock (&peer->mutex);

  g_clear_object (&peer->service);
  g_mutex_clear (&peer->mutex);
  g_cond_clear (&peer->cond);
  g_free (peer);
}

/* Fixture */

static gboolean
session_check (MdCheckId id)
{
  switch ((int)id)
    {
    case MD_CHECK_INPUT:
    case MD_CHECK_DNS_HOST:
    case MD_CHECK_NET_CONNECT:
    case MD_CHECK_SMTP_GREETING:
    case MD_CHECK_SMTP_EHLO:
    case MD_CHECK_SMTP_SIZE:
      return TRUE;

    default:
      return FALSE;
    }
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->account = md_account_new ();
  md_account_set_email (f->account, "alice@test.example");
  md_account_set_host (f->account, "127.0.0.1");
  md_account_set_security (f->account, MD_SECURITY_NONE);

  /* One SMTP conversation per attempt, and no test may depend on the
   * machine's resolver. */
  f->diagnosis = md_diagnosis_new (f->account);
  md_diagnosis_set_timeout_ms (f->diagnosis, 5000);
  for (MdCheckId id = MD_CHECK_INPUT; id <= MD_CHECK_ERROR_TEXT; id++)
    if (!session_check (id))
      md_diagnosis_skip_check (f->diagnosis, id);

  f->watch = md_watch_new (f->diagnosis, MD_CHECK_SMTP_GREETING);
  f->cancellable = g_cancellable_new ();
  f->delays = g_array_new (FALSE, FALSE, sizeof (guint));
  f->finished_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->checks = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* The result holds the watch; an attempt cancelled in flight hands back
   * its references through the main context. */
  g_clear_object (&f->result);
  md_test_wait_finalized (g_steal_pointer (&f->watch), RUN_TIMEOUT_MS);
  md_test_wait_finalized (g_steal_pointer (&f->diagnosis), RUN_TIMEOUT_MS);
  g_clear_object (&f->cancellable);
  g_clear_object (&f->account);
  g_clear_pointer (&f->peer, md_test_peer_free);
  g_clear_pointer (&f->flaky, flaky_peer_free);
  g_clear_pointer (&f->delays, g_array_unref);
  g_clear_pointer (&f->finished_us, g_array_unref);
  g_clear_pointer (&f->checks, g_ptr_array_unref);
}

static void
use_port (Fixture *f,
          guint16  port)
{
  md_account_set_port (f->account, port);
}

static void
start_scripted_peer (Fixture    *f,
                     const char *scenario)
{
  MdTestScript *script = md_test_script_new_scenario (scenario, NULL, NULL);

  g_assert_nonnull (script);
  f->peer = md_test_peer_new (script);
  use_port (f, md_test_peer_get_port (f->peer));
}

static void
on_attempt_finished (MdWatch *watch,
                     MdCheck *check,
                     guint    next_delay_ms,
                     Fixture *f)
{
  gint64 now_us = g_get_monotonic_time ();

  g_assert_true (MD_IS_CHECK (check));
  g_test_message ("attempt %u: %s, %s; next in %u ms", md_watch_get_attempts (watch),
                  md_check_status_to_string (md_check_get_status (check)),
                  md_check_get_summary (check), next_delay_ms);

  g_array_append_val (f->delays, next_delay_ms);
  g_array_append_val (f->finished_us, now_us);
  g_ptr_array_add (f->checks, g_object_ref (check));

  if (f->cancel_at == f->delays->len)
    g_cancellable_cancel (f->cancellable);
  if (f->dispose_at == f->delays->len)
    g_object_run_dispose (G_OBJECT (watch));
}

static void
on_notify_attempts (MdWatch    *watch,
                    GParamSpec *pspec,
                    Fixture    *f)
{
  f->n_notify++;
}

static void
start_watch (Fixture *f)
{
  g_signal_connect (f->watch, "attempt-finished", G_CALLBACK (on_attempt_finished), f);
  g_signal_connect (f->watch, "notify::attempts", G_CALLBACK (on_notify_attempts), f);
  md_watch_run_async (f->watch, f->cancellable, md_test_store_result, &f->result);
}

static gboolean
finish_watch (Fixture  *f,
              GError  **error)
{
  md_test_wait_result (&f->result, RUN_TIMEOUT_MS);
  return md_watch_run_finish (f->watch, f->result, error);
}

static guint
delay_at (Fixture *f,
          guint    i)
{
  return g_array_index (f->delays, guint, i);
}

static MdCheck *
check_at (Fixture *f,
          guint    i)
{
  return g_ptr_array_index (f->checks, i);
}

/* Iterates the main context until @peer has had a connection. */
static void
wait_for_connection (MdTestPeer *peer)
{
  gint64 deadline = g_get_monotonic_time () + RUN_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  while (md_test_peer_get_n_connections (peer) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (G_TIME_SPAN_MILLISECOND);
    }
}

/* Tests */

static void
test_defaults (Fixture       *f,
               gconstpointer  data)
{
  g_assert_cmpint (md_watch_get_check (f->watch), ==, MD_CHECK_SMTP_GREETING);
  g_assert_cmpuint (md_watch_get_attempts (f->watch), ==, 0);
}

/* Waits of 10, 20, 40, 80 and 80 ms between attempts that keep failing,
 * each really waited; the sixth attempt's handler stops the watch. */
static void
test_backoff (Fixture       *f,
              gconstpointer  data)
{
  static const guint expected[] = { 10, 20, 40, 80, 80 };
  g_autoptr(GError) error = NULL;

  start_scripted_peer (f, "greet421");
  md_watch_set_intervals (f->watch, 10, 80);
  f->cancel_at = G_N_ELEMENTS (expected) + 1;
  start_watch (f);

  g_assert_false (finish_watch (f, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->delays->len, ==, G_N_ELEMENTS (expected) + 1);
  g_assert_cmpuint (md_watch_get_attempts (f->watch), ==, f->delays->len);
  g_assert_cmpuint (f->n_notify, ==, f->delays->len);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      gint64 gap_us = g_array_index (f->finished_us, gint64, i + 1) -
                      g_array_index (f->finished_us, gint64, i);

      g_assert_cmpuint (delay_at (f, i), ==, expected[i]);
      g_assert_cmpint (gap_us, >=, (gint64)expected[i] * G_TIME_SPAN_MILLISECOND);
      g_assert_cmpint (md_check_get_id (check_at (f, i)), ==, MD_CHECK_SMTP_GREETING);
      g_assert_cmpint (md_check_get_status (check_at (f, i)), ==, MD_CHECK_STATUS_FAIL);
    }

  g_assert_cmpuint (md_test_peer_get_n_connections (f->peer), ==, f->delays->len);
}

/* Two refusals, then a working server: the third attempt ends the watch. */
static void
test_recovers (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->flaky = flaky_peer_new (2);
  use_port (f, f->flaky->port);
  md_watch_set_intervals (f->watch, 10, 40);
  start_watch (f);

  g_assert_true (finish_watch (f, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (md_watch_get_attempts (f->watch), ==, 3);
  g_assert_cmpuint (f->delays->len, ==, 3);
  g_assert_cmpuint (delay_at (f, 0), ==, 10);
  g_assert_cmpuint (delay_at (f, 1), ==, 20);
  g_assert_cmpuint (delay_at (f, 2), ==, 0);
  g_assert_cmpint (md_check_get_status (check_at (f, 0)), ==, MD_CHECK_STATUS_FAIL);
  g_assert_cmpint (md_check_get_status (check_at (f, 2)), ==, MD_CHECK_STATUS_PASS);
  g_assert_cmpuint (flaky_peer_get_n_connections (f->flaky), ==, 3);

  /* A second run starts over. */
  g_clear_object (&f->result);
  g_array_set_size (f->delays, 0);
  md_watch_run_async (f->watch, NULL, md_test_store_result, &f->result);
  g_assert_true (finish_watch (f, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (md_watch_get_attempts (f->watch), ==, 1);
  g_assert_cmpuint (delay_at (f, 0), ==, 0);
}

/* Postfix's smtp-sink, a real server, on @port: 421 at the greeting when
 * @busy. NULL (and the test skipped) when it is not installed. */
#define SMTP_SINK "/usr/sbin/smtp-sink"

static gboolean
port_answers (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  g_socket_client_set_timeout (client, 1);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);

  return connection != NULL;
}

static GSubprocess *
sink_start (guint16  port,
            gboolean busy)
{
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", port);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *sink;

  g_ptr_array_add (argv, (gpointer) SMTP_SINK);
  /* As root it would run as root: it drops to nobody when told. */
  if (geteuid () == 0)
    {
      g_ptr_array_add (argv, (gpointer) "-u");
      g_ptr_array_add (argv, (gpointer) "nobody");
    }
  if (busy)
    {
      g_ptr_array_add (argv, (gpointer) "-Q");
      g_ptr_array_add (argv, (gpointer) "CONNECT");
    }
  g_ptr_array_add (argv, address);
  g_ptr_array_add (argv, (gpointer) "10");
  g_ptr_array_add (argv, NULL);

  sink = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                            &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 500 && !port_answers (port); i++)
    g_usleep (10 * G_TIME_SPAN_MILLISECOND);
  g_assert_true (port_answers (port));

  return sink;
}

static void
sink_stop (GSubprocess *sink)
{
  g_subprocess_send_signal (sink, SIGTERM);
  g_assert_true (g_subprocess_wait (sink, NULL, NULL));
  g_object_unref (sink);
}

static gboolean
has_two_attempts (gpointer data)
{
  Fixture *f = data;

  return f->delays->len >= 2;
}

/* A real server that answers 421, then is restarted healthy on the same
 * port, as a provider's server comes back: the watch sees it at its next
 * attempt, and the waits grew as planned meanwhile. */
static void
test_flapping_sink (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint16 port;
  GSubprocess *sink;
  guint n;

  if (!g_file_test (SMTP_SINK, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("smtp-sink (package postfix) is not installed");
      return;
    }

  port = md_test_free_port ();
  sink = sink_start (port, TRUE);
  use_port (f, port);
  md_watch_set_intervals (f->watch, 100, 400);
  start_watch (f);

  md_test_wait_for (has_two_attempts, f, RUN_TIMEOUT_MS);
  sink_stop (sink);
  sink = sink_start (port, FALSE);

  g_assert_true (finish_watch (f, &error));
  g_assert_no_error (error);
  sink_stop (sink);

  n = f->delays->len;
  g_assert_cmpuint (n, >=, 3);
  g_assert_cmpuint (delay_at (f, 0), ==, 100);
  g_assert_cmpuint (delay_at (f, 1), ==, 200);
  g_assert_cmpuint (delay_at (f, n - 1), ==, 0);
  g_assert_cmpint (md_check_get_status (check_at (f, 0)), ==, MD_CHECK_STATUS_FAIL);
  g_assert_nonnull (strstr (md_check_get_summary (check_at (f, 0)), "421"));
  g_assert_cmpint (md_check_get_status (check_at (f, n - 1)), ==, MD_CHECK_STATUS_PASS);
}

static gboolean
has_delay (gpointer data)
{
  Fixture *f = data;

  return f->delays->len > 0;
}

/* The defaults, and a cancellation during the one-minute wait. */
static void
test_cancel_waiting (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 cancelled_us;

  start_scripted_peer (f, "greet421");
  start_watch (f);
  md_test_wait_for (has_delay, f, RUN_TIMEOUT_MS);

  g_assert_cmpuint (delay_at (f, 0), ==, MD_WATCH_DEFAULT_INITIAL_MS);
  cancelled_us = g_get_monotonic_time ();
  g_cancellable_cancel (f->cancellable);

  g_assert_false (finish_watch (f, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - cancelled_us, <, PROMPT_MS * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (md_watch_get_attempts (f->watch), ==, 1);
}

/* A server that never greets holds the attempt; cancelling ends it. */
static void
test_cancel_attempt (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 cancelled_us;

  start_scripted_peer (f, "silent");
  start_watch (f);
  wait_for_connection (f->peer);

  cancelled_us = g_get_monotonic_time ();
  g_cancellable_cancel (f->cancellable);

  g_assert_false (finish_watch (f, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - cancelled_us, <, PROMPT_MS * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (md_watch_get_attempts (f->watch), ==, 0);
  g_assert_cmpuint (f->delays->len, ==, 0);
}

static void
test_cancelled_before (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  start_scripted_peer (f, "greet421");
  g_cancellable_cancel (f->cancellable);
  start_watch (f);

  g_assert_false (finish_watch (f, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (md_test_peer_get_n_connections (f->peer), ==, 0);
}

/* Disposed from a handler, while its wait is set up. */
static void
test_dispose_waiting (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  start_scripted_peer (f, "greet421");
  md_watch_set_intervals (f->watch, 10, 10);
  f->dispose_at = 1;
  start_watch (f);

  g_assert_false (finish_watch (f, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* No attempt after the disposal, though its wait would be over. */
  g_usleep (50 * G_TIME_SPAN_MILLISECOND);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (f->delays->len, ==, 1);
  g_assert_cmpuint (md_test_peer_get_n_connections (f->peer), ==, 1);
}

/* Disposed while an attempt is in flight: the attempt's late answer must
 * find nothing to touch. */
static void
test_dispose_attempt (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  start_scripted_peer (f, "silent");
  start_watch (f);
  wait_for_connection (f->peer);
  g_object_run_dispose (G_OBJECT (f->watch));

  g_assert_false (finish_watch (f, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->delays->len, ==, 0);
}

/* A check that cannot run ends the watch with the diagnosis' error. */
static void
test_cannot_run (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  start_scripted_peer (f, "greet421");
  md_diagnosis_skip_check (f->diagnosis, MD_CHECK_SMTP_GREETING);
  start_watch (f);

  g_assert_false (finish_watch (f, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpuint (md_watch_get_attempts (f->watch), ==, 0);
}

#define ADD(path, func) \
  g_test_add ("/md/core/watch/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  ADD ("defaults", test_defaults);
  ADD ("backoff", test_backoff);
  ADD ("recovers", test_recovers);
  ADD ("flapping-sink", test_flapping_sink);
  ADD ("cancel-waiting", test_cancel_waiting);
  ADD ("cancel-attempt", test_cancel_attempt);
  ADD ("cancelled-before", test_cancelled_before);
  ADD ("dispose-waiting", test_dispose_waiting);
  ADD ("dispose-attempt", test_dispose_attempt);
  ADD ("cannot-run", test_cannot_run);

  return g_test_run ();
}
