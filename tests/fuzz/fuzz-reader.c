/* fuzz-reader.c: reading whole replies from a stream
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input chooses how the stream cuts the bytes: its first byte says how
 * many chunk lengths follow, each a byte (0 makes that read fail), and the
 * rest is what the server sends. The reader runs on its own GMainContext
 * and must return the same replies as the parser fed the bytes whole.
 */

#include <string.h>

#include <gio/gio.h>

#include "md-error.h"
#include "md-smtp-reader.h"
#include "md-fuzz.h"

/* A stream whose reads return at most the next chunk length, and complete
 * on the caller's main context without threads. */
#define FUZZ_TYPE_STREAM (fuzz_stream_get_type ())
G_DECLARE_FINAL_TYPE (FuzzStream, fuzz_stream, FUZZ, STREAM, GInputStream)

struct _FuzzStream
{
  GInputStream  parent_instance;
  const guint8 *data;
  gsize         len;
  gsize         pos;
  const guint8 *chunks;
  gsize         n_chunks;
  gsize         next_chunk;
};

G_DEFINE_FINAL_TYPE (FuzzStream, fuzz_stream, G_TYPE_INPUT_STREAM)

static gssize
fuzz_stream_read (GInputStream  *stream,
                  void          *buffer,
                  gsize          count,
                  GCancellable  *cancellable,
                  GError       **error)
{
  FuzzStream *self = FUZZ_STREAM (stream);
  gsize n = count;

  if (self->n_chunks > 0)
    {
      guint8 chunk = self->chunks[self->next_chunk++ % self->n_chunks];

      if (chunk == 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "reset");
          return -1;
        }
      n = MIN (n, chunk);
    }

  n = MIN (n, self->len - self->pos);
  memcpy (buffer, self->data + self->pos, n);
  self->pos += n;

  return n;
}

static void
fuzz_stream_read_async (GInputStream        *stream,
                        void                *buffer,
                        gsize                count,
                        int                  io_priority,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);
  GError *error = NULL;
  gssize n;

  n = fuzz_stream_read (stream, buffer, count, cancellable, &error);
  if (n < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, n);
}

static gssize
fuzz_stream_read_finish (GInputStream  *stream,
                         GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_int (G_TASK (result), error);
}

static void
fuzz_stream_class_init (FuzzStreamClass *klass)
{
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  stream_class->read_fn = fuzz_stream_read;
  stream_class->read_async = fuzz_stream_read_async;
  stream_class->read_finish = fuzz_stream_read_finish;
}

static void
fuzz_stream_init (FuzzStream *self)
{
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  md_fuzz_init ();
  return 0;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  if (*out != NULL)
    md_fuzz_fail ("a read completed twice");
  *out = g_object_ref (result);
}

/* Every source here is ready at once, so a context with nothing to do
 * before the read ends means the reader lost its task. */
static MdSmtpReply *
read_reply (MdSmtpReader  *reader,
            GMainContext  *context,
            GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  md_smtp_reader_read_reply_async (reader, NULL, store_result, &result);
  while (result == NULL)
    if (!g_main_context_iteration (context, FALSE))
      md_fuzz_fail ("the reader stalled");

  return md_smtp_reader_read_reply_finish (reader, result, error);
}

/* The replies of the bytes fed whole, until the first error. */
static GPtrArray *
parse_whole (const guint8 *data,
             gsize         len)
{
  g_autoptr(MdSmtpReplyParser) parser = md_smtp_reply_parser_new ();
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)md_smtp_reply_free);
  gsize pos = 0;

  while (pos < len)
    {
      MdSmtpReply *reply = NULL;
      g_autoptr(GError) error = NULL;

      pos += md_smtp_reply_parser_feed (parser, data + pos, len - pos, &reply, &error);
      if (reply == NULL)
        break;
      g_ptr_array_add (out, reply);
    }

  return out;
}

static gboolean
same_reply (const MdSmtpReply *a,
            const MdSmtpReply *b)
{
  return a->code == b->code && a->flags == b->flags &&
         g_strcmp0 (a->enhanced, b->enhanced) == 0 &&
         g_strv_equal ((const char * const *)a->lines, (const char * const *)b->lines);
}

static void
run_reader (FuzzStream *stream,
            GPtrArray  *expected)
{
  g_autoptr(MdSmtpReader) reader = md_smtp_reader_new (G_INPUT_STREAM (stream));
  g_autoptr(GMainContext) context = g_main_context_new ();
  guint n_read = 0;

  g_main_context_push_thread_default (context);

  for (;;)
    {
      g_autoptr(MdSmtpReply) reply = NULL;
      g_autoptr(GError) error = NULL;

      reply = read_reply (reader, context, &error);
      if (reply == NULL)
        {
          if (error == NULL)
            md_fuzz_fail ("no reply and no error");
          md_fuzz_check_utf8 (error->message, "reader error");
          /* At the end of the stream, every reply must have come out. */
          if (g_error_matches (error, MD_ERROR, MD_ERROR_CLOSED) && n_read != expected->len)
            md_fuzz_fail ("closed after %u of %u replies", n_read, expected->len);
          break;
        }

      if (n_read >= expected->len || !same_reply (reply, expected->pdata[n_read]))
        md_fuzz_fail ("reply %u differs from the parser's", n_read);
      n_read++;
    }

  md_smtp_reader_discard_buffered (reader);
  if (md_smtp_reader_get_buffered (reader) != 0)
    md_fuzz_fail ("bytes still buffered after a discard");

  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(FuzzStream) stream = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  gsize n_chunks;

  if (size < 1 || size > 4 * MD_SMTP_MAX_REPLY_LENGTH)
    return -1;

  n_chunks = MIN (data[0] % 16, size - 1);
  stream = g_object_new (FUZZ_TYPE_STREAM, NULL);
  stream->chunks = data + 1;
  stream->n_chunks = n_chunks;
  stream->data = data + 1 + n_chunks;
  stream->len = size - 1 - n_chunks;

  expected = parse_whole (stream->data, stream->len);
  run_reader (stream, expected);

  return 0;
}
