/* test-reader.c: reading whole replies from a stream, bounded
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Memory streams give exact control over what the reader sees; a socket
 * pair with bytes written in pieces gives the split reads of a real
 * connection, with no network and no threads.
 */

#include <locale.h>
#include <string.h>
#include <sys/socket.h>

#include "md-error.h"
#include "md-smtp-reader.h"
#include "md-test-utils.h"

#define WAIT_MS 5000

static GInputStream *
memory_stream (const char *data,
               gsize       len)
{
  return g_memory_input_stream_new_from_data (g_memdup2 (data, len), len, g_free);
}

/* Reads one reply, waiting a bounded time. */
static MdSmtpReply *
read_reply (MdSmtpReader  *reader,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  md_smtp_reader_read_reply_async (reader, cancellable, md_test_store_result, &result);
  md_test_wait_result (&result, WAIT_MS);

  return md_smtp_reader_read_reply_finish (reader, result, error);
}

static void
test_whole (void)
{
  static const char data[] = "220 mx.example.com ESMTP\r\n";
  g_autoptr(GInputStream) stream = memory_stream (data, sizeof data - 1);
  MdSmtpReader *reader = md_smtp_reader_new (stream);
  g_autoptr(MdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (md_smtp_reader_get_stream (reader) == stream);

  reply = read_reply (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reply->code, ==, 220);
  g_assert_cmpstr (reply->lines[0], ==, "mx.example.com ESMTP");
  g_assert_cmpuint (md_smtp_reader_get_buffered (reader), ==, 0);

  g_assert_finalize_object (reader);
}

/* A reply longer than one chunk needs several reads. */
static void
test_split (void)
{
  g_autoptr(GString) data = g_string_new ("250-mx.example.com\r\n");
  g_autoptr(GInputStream) stream = NULL;
  MdSmtpReader *reader;
  g_autoptr(MdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 200; i++)
    g_string_append_printf (data, "250-X-EXTENSION-%03u with some words after it\r\n", i);
  g_string_append (data, "250 HELP\r\n");
  g_assert_cmpuint (data->len, >, 2 * 4096);

  stream = memory_stream (data->str, data->len);
  reader = md_smtp_reader_new (stream);
  reply = read_reply (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (reply->lines), ==, 202);
  g_assert_cmpstr (reply->lines[201], ==, "HELP");
  g_assert_cmpuint (md_smtp_reader_get_buffered (reader), ==, 0);

  g_assert_finalize_object (reader);
}

static void
test_leftover (void)
{
  static const char data[] = "250-a\r\n250 b\r\n221 2.0.0 Bye\r\nXYZ";
  g_autoptr(GInputStream) stream = memory_stream (data, sizeof data - 1);
  MdSmtpReader *reader = md_smtp_reader_new (stream);
  g_autoptr(MdSmtpReply) first = NULL;
  g_autoptr(MdSmtpReply) second = NULL;
  g_autoptr(MdSmtpReply) third = NULL;
  g_autoptr(GError) error = NULL;

  first = read_reply (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->code, ==, 250);
  g_assert_cmpuint (md_smtp_reader_get_buffered (reader), ==, 18);

  /* The second reply comes from the buffer alone. */
  second = read_reply (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->code, ==, 221);
  g_assert_cmpuint (md_smtp_reader_get_buffered (reader), ==, 3);

  third = read_reply (reader, NULL, &error);
  g_assert_error (error, MD_ERROR, MD_ERROR_CLOSED);
  g_assert_cmpstr (error->message, ==,
                   "The server closed the connection in the middle of its reply");
  g_assert_null (third);

  g_assert_finalize_object (reader);
}

static void
test_eof (void)
{
  g_autoptr(GInputStream) stream = memory_stream ("", 0);
  MdSmtpReader *reader = md_smtp_reader_new (stream);
  g_autoptr(MdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = read_reply (reader, NULL, &error);
  g_assert_error (error, MD_ERROR, MD_ERROR_CLOSED);
  g_assert_cmpstr (error->message, ==, "The server closed the connection");
  g_assert_null (reply);

  g_assert_finalize_object (reader);
}

static void
test_eof_mid_reply (void)
{
  static const char data[] = "250-mx.example.com\r\n250-PIPE";
  g_autoptr(GInputStream) stream = memory_stream (data, sizeof data - 1);
  MdSmtpReader *reader = md_smtp_reader_new (stream);
  g_autoptr(MdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = read_reply (reader, NULL, &error);
  g_assert_error (error, MD_ERROR, MD_ERROR_CLOSED);
  g_assert_cmpstr (error->message, ==,
                   "The server closed the connection in the middle of its reply");
  g_assert_null (reply);

  g_assert_finalize_object (reader);
}

/* An endless line is refused after a bounded read, however long it is. */
static void
test_too_large (void)
{
  g_autofree char *data = g_strnfill (100000, 'a');
  g_autoptr(GInputStream) stream = NULL;
  MdSmtpReader *reader;
  g_autoptr(MdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  memcpy (data, "250 ", 4);
  stream = memory_stream (data, 100000);
  reader = md_smtp_reader_new (stream);

  reply = read_reply (reader, NULL, &error);
  g_assert_error (error, MD_ERROR, MD_ERROR_REPLY_TOO_LARGE);
  g_assert_null (reply);
  g_assert_cmpint (g_seekable_tell (G_SEEKABLE (stream)), <=, 2 * 4096);
  g_assert_cmpuint (md_smtp_reader_get_buffered (reader), <=, 4096);

  /* The reader stays failed: it does not read on past the bad line. */
  g_clear_error (&error);
  reply = read_reply (reader, NULL, &error);
  g_assert_error (error, MD_ERROR, MD_ERROR_REPLY_TOO_LARGE);
  g_assert_cmpint (g_seekable_tell (G_SEEKABLE (stream)), <=, 2 * 4096);

  g_assert_finalize_object (reader);
}

static void
test_protocol_error (void)
{
  static const char data[] = "250-a\r\n2X0 b\r\n";
  g_autoptr(GInputStream) stream = memory_stream (data, sizeof data - 1);
  MdSmtpReader *reader = md_smtp_reader_new (stream);
  g_autoptr(MdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = read_reply (reader, NULL, &error);
  g_assert_error (error, MD_ERROR, MD_ERROR_PROTOCOL);
  g_assert_null (reply);

  g_assert_finalize_object (reader);
}

static void
test_cancelled_before (void)
{
  static const char data[] = "220 ready\r\n";
  g_autoptr(GInputStream) stream = memory_stream (data, sizeof data - 1);
  MdSmtpReader *reader = md_smtp_reader_new (stream);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(MdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  reply = read_reply (reader, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (reply);

  /* A cancelled read leaves the reader usable. */
  g_clear_error (&error);
  reply = read_reply (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reply->code, ==, 220);

  g_assert_finalize_object (reader);
}

static void
test_one_read_at_a_time (void)
{
  static const char data[] = "220 ready\r\n";
  g_autoptr(GInputStream) stream = memory_stream (data, sizeof data - 1);
  MdSmtpReader *reader = md_smtp_reader_new (stream);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  md_smtp_reader_read_reply_async (reader, NULL, md_test_store_result, &result);

  g_test_expect_message ("MailDoctor-core", G_LOG_LEVEL_CRITICAL, "*!self->reading*");
  md_smtp_reader_read_reply_async (reader, NULL, md_test_store_result, &result);
  g_test_assert_expected_messages ();

  md_test_wait_result (&result, WAIT_MS);
  reply = md_smtp_reader_read_reply_finish (reader, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reply->code, ==, 220);

  /* The result holds the reader. */
  g_clear_object (&result);
  g_assert_finalize_object (reader);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_set_stream (void)
{
  static const char data[] = "220 ready\r\nplaintext";
  static const char more[] = "250 over TLS\r\n";
  g_autoptr(GInputStream) stream = memory_stream (data, sizeof data - 1);
  g_autoptr(GInputStream) other = memory_stream (more, sizeof more - 1);
  MdSmtpReader *reader = md_smtp_reader_new (stream);
  g_autoptr(MdSmtpReply) reply = NULL;
  g_autoptr(MdSmtpReply) next = NULL;
  g_autoptr(GError) error = NULL;
  guint notified = 0;

  g_signal_connect (reader, "notify::stream", G_CALLBACK (on_notify), &notified);

  reply = read_reply (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (md_smtp_reader_get_buffered (reader), ==, 9);

  /* Injected bytes must not be carried over to the new stream. */
  g_test_expect_message ("MailDoctor-core", G_LOG_LEVEL_CRITICAL, "*self->start == self->end*");
  md_smtp_reader_set_stream (reader, other);
  g_test_assert_expected_messages ();
  g_assert_true (md_smtp_reader_get_stream (reader) == stream);
  g_assert_cmpuint (notified, ==, 0);

  md_smtp_reader_discard_buffered (reader);
  g_assert_cmpuint (md_smtp_reader_get_buffered (reader), ==, 0);
  md_smtp_reader_set_stream (reader, other);
  g_assert_true (md_smtp_reader_get_stream (reader) == other);
  g_assert_cmpuint (notified, ==, 1);
  md_smtp_reader_set_stream (reader, other);
  g_assert_cmpuint (notified, ==, 1);

  next = read_reply (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (next->lines[0], ==, "over TLS");

  g_assert_finalize_object (reader);
}

/* Socket pairs */

typedef struct
{
  GSocket           *local;
  GSocket           *remote;
  GSocketConnection *connection;
  MdSmtpReader      *reader;
} SocketFixture;

static void
socket_fixture_set_up (SocketFixture *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  int fds[2];

  g_assert_no_errno (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds));

  fixture->local = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  fixture->remote = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);

  fixture->connection = g_socket_connection_factory_create_connection (fixture->local);
  fixture->reader =
    md_smtp_reader_new (g_io_stream_get_input_stream (G_IO_STREAM (fixture->connection)));
}

static void
socket_fixture_tear_down (SocketFixture *fixture,
                          gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&fixture->reader));
  g_clear_object (&fixture->connection);
  g_clear_object (&fixture->local);
  g_socket_close (fixture->remote, NULL);
  g_clear_object (&fixture->remote);
}

typedef struct
{
  GSocket     *socket;
  const char **pieces;
  guint        next;
} Writer;

/* Writes one piece per timeout, so each arrives on its own. */
static gboolean
write_next_piece (gpointer user_data)
{
  Writer *writer = user_data;
  const char *piece = writer->pieces[writer->next];
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_socket_send (writer->socket, piece, strlen (piece), NULL, &error), ==,
                   strlen (piece));
  g_assert_no_error (error);
  writer->next++;

  return writer->pieces[writer->next] != NULL ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
test_socket_pieces (SocketFixture *fixture,
                    gconstpointer  data)
{
  const char *pieces[] = {
    "250-mx.exa", "mple.com\r\n250-PIPE", "LINING\r", "\n250 ", "SIZE 1000\r\n220 ne", "xt\r\n",
    NULL
  };
  Writer writer = { fixture->remote, pieces, 0 };
  g_autoptr(MdSmtpReply) first = NULL;
  g_autoptr(MdSmtpReply) second = NULL;
  g_autoptr(MdSmtpReply) third = NULL;
  g_autoptr(GError) error = NULL;

  g_timeout_add (10, write_next_piece, &writer);

  first = read_reply (fixture->reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (first->lines, ((const char *[]) { "mx.example.com", "PIPELINING",
                                                     "SIZE 1000", NULL }));
  g_assert_cmpuint (first->flags, ==, MD_SMTP_REPLY_NORMAL);

  second = read_reply (fixture->reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->code, ==, 220);
  g_assert_cmpstr (second->lines[0], ==, "next");

  g_assert_cmpuint (writer.next, ==, 6);

  g_socket_shutdown (fixture->remote, FALSE, TRUE, &error);
  g_assert_no_error (error);
  third = read_reply (fixture->reader, NULL, &error);
  g_assert_error (error, MD_ERROR, MD_ERROR_CLOSED);
}

static void
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_socket_cancel (SocketFixture *fixture,
                    gconstpointer  data)
{
  static const char piece[] = "220 ready\r\n";
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(MdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_timeout_add_once (20, cancel_later, cancellable);
  reply = read_reply (fixture->reader, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (reply);

  g_clear_error (&error);
  g_assert_cmpint (g_socket_send (fixture->remote, piece, sizeof piece - 1, NULL, &error), ==,
                   sizeof piece - 1);
  reply = read_reply (fixture->reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reply->code, ==, 220);
}

/* A half-sent reply followed by silence: the socket's own timeout error
 * comes through as it is, for the caller to put in plain words. */
static void
test_socket_timeout (SocketFixture *fixture,
                     gconstpointer  data)
{
  static const char piece[] = "220-partial\r\n";
  g_autoptr(MdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_set_timeout (fixture->local, 1);
  g_assert_cmpint (g_socket_send (fixture->remote, piece, sizeof piece - 1, NULL, &error), ==,
                   sizeof piece - 1);

  reply = read_reply (fixture->reader, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_null (reply);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/md/core/reader/whole", test_whole);
  g_test_add_func ("/md/core/reader/split", test_split);
  g_test_add_func ("/md/core/reader/leftover", test_leftover);
  g_test_add_func ("/md/core/reader/eof", test_eof);
  g_test_add_func ("/md/core/reader/eof-mid-reply", test_eof_mid_reply);
  g_test_add_func ("/md/core/reader/too-large", test_too_large);
  g_test_add_func ("/md/core/reader/protocol-error", test_protocol_error);
  g_test_add_func ("/md/core/reader/cancelled-before", test_cancelled_before);
  g_test_add_func ("/md/core/reader/one-read-at-a-time", test_one_read_at_a_time);
  g_test_add_func ("/md/core/reader/set-stream", test_set_stream);
  g_test_add ("/md/core/reader/socket-pieces", SocketFixture, NULL,
              socket_fixture_set_up, test_socket_pieces, socket_fixture_tear_down);
  g_test_add ("/md/core/reader/socket-cancel", SocketFixture, NULL,
              socket_fixture_set_up, test_socket_cancel, socket_fixture_tear_down);
  g_test_add ("/md/core/reader/socket-timeout", SocketFixture, NULL,
              socket_fixture_set_up, test_socket_timeout, socket_fixture_tear_down);

  return g_test_run ();
}
