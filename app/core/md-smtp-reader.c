/* md-smtp-reader.c: reads whole SMTP replies from a stream, bounded
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GDataInputStream would do the line splitting, but it has no length cap
 * and hides how much it read ahead. This reader reads at most one chunk at
 * a time into its own buffer and feeds the bounded reply parser, so it
 * holds at most a chunk plus one capped line whatever the server sends.
 * Bytes that arrive after a reply stay in the buffer and are counted: after
 * the 220 to STARTTLS there must be none, or someone injected plaintext.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>

#include "md-error.h"
#include "md-smtp-reader.h"

#define CHUNK_SIZE 4096

struct _MdSmtpReader
{
  GObject             parent_instance;

  GInputStream       *stream;
  MdSmtpReplyParser  *parser;
  gboolean            reading;

  /* Bytes read but not yet given to the parser: buffer[start, end). */
  gsize               start;
  gsize               end;
  guint8              buffer[CHUNK_SIZE];
};

G_DEFINE_FINAL_TYPE (MdSmtpReader, md_smtp_reader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STREAM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
md_smtp_reader_dispose (GObject *object)
{
  MdSmtpReader *self = (MdSmtpReader *)object;

  g_clear_object (&self->stream);

  G_OBJECT_CLASS (md_smtp_reader_parent_class)->dispose (object);
}

static void
md_smtp_reader_finalize (GObject *object)
{
  MdSmtpReader *self = (MdSmtpReader *)object;

  g_clear_pointer (&self->parser, md_smtp_reply_parser_free);

  G_OBJECT_CLASS (md_smtp_reader_parent_class)->finalize (object);
}

static void
md_smtp_reader_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MdSmtpReader *self = MD_SMTP_READER (object);

  switch (prop_id)
    {
    case PROP_STREAM:
      g_value_set_object (value, self->stream);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_smtp_reader_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  MdSmtpReader *self = MD_SMTP_READER (object);

  switch (prop_id)
    {
    case PROP_STREAM:
      md_smtp_reader_set_stream (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_smtp_reader_class_init (MdSmtpReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = md_smtp_reader_dispose;
  object_class->finalize = md_smtp_reader_finalize;
  object_class->get_property = md_smtp_reader_get_property;
  object_class->set_property = md_smtp_reader_set_property;

  properties[PROP_STREAM] =
    g_param_spec_object ("stream", NULL, NULL,
                         G_TYPE_INPUT_STREAM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
md_smtp_reader_init (MdSmtpReader *self)
{
  self->parser = md_smtp_reply_parser_new ();
}

/**
 * md_smtp_reader_new:
 * @stream: a stream that is not buffered, such as a socket's or a TLS
 *   connection's input stream; a buffer below would hide injected bytes
 *   from md_smtp_reader_get_buffered()
 *
 * Returns: (transfer full): a new reader
 */
MdSmtpReader *
md_smtp_reader_new (GInputStream *stream)
{
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  return g_object_new (MD_TYPE_SMTP_READER, "stream", stream, NULL);
}

GInputStream *
md_smtp_reader_get_stream (MdSmtpReader *self)
{
  g_return_val_if_fail (MD_IS_SMTP_READER (self), NULL);

  return self->stream;
}

/**
 * md_smtp_reader_set_stream:
 * @stream: the stream to read from from now on
 *
 * Swaps the stream, as after a TLS handshake. Nothing may be buffered from
 * the old one, since those bytes did not come through the new one.
 */
void
md_smtp_reader_set_stream (MdSmtpReader *self,
                           GInputStream *stream)
{
  g_return_if_fail (MD_IS_SMTP_READER (self));
  g_return_if_fail (G_IS_INPUT_STREAM (stream));
  g_return_if_fail (!self->reading);
  g_return_if_fail (self->start == self->end);

  if (!g_set_object (&self->stream, stream))
    return;

  md_smtp_reply_parser_reset (self->parser);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STREAM]);
}

/**
 * md_smtp_reader_get_buffered:
 *
 * Returns: how many bytes were read after the last complete reply and are
 *   waiting for the next read
 */
gsize
md_smtp_reader_get_buffered (MdSmtpReader *self)
{
  g_return_val_if_fail (MD_IS_SMTP_READER (self), 0);

  return self->end - self->start;
}

/**
 * md_smtp_reader_discard_buffered:
 *
 * Drops the buffered bytes and any partial reply, so that the next read
 * starts afresh from the stream.
 */
void
md_smtp_reader_discard_buffered (MdSmtpReader *self)
{
  g_return_if_fail (MD_IS_SMTP_READER (self));
  g_return_if_fail (!self->reading);

  self->start = self->end = 0;
  md_smtp_reply_parser_reset (self->parser);
}

/* The read is over before the task returns, because returning may run the
 * caller's callback at once, and that callback may start the next read. */
static void
return_error (MdSmtpReader *self,
              GTask        *task,
              GError       *error)
{
  self->reading = FALSE;
  g_task_return_error (task, error);
}

/* Feeds the buffered bytes to the parser; returns whether that finished
 * @task, with a reply or an error. */
static gboolean
feed_buffered (MdSmtpReader *self,
               GTask        *task)
{
  g_autoptr(MdSmtpReply) reply = NULL;
  GError *error = NULL;
  gsize consumed;

  consumed = md_smtp_reply_parser_feed (self->parser, self->buffer + self->start,
                                        self->end - self->start, &reply, &error);
  self->start += consumed;
  if (self->start == self->end)
    self->start = self->end = 0;

  if (error != NULL)
    {
      return_error (self, task, error);
      return TRUE;
    }

  if (reply == NULL)
    return FALSE;

  self->reading = FALSE;
  g_task_return_pointer (task, g_steal_pointer (&reply), (GDestroyNotify)md_smtp_reply_free);

  return TRUE;
}

static void
return_closed (MdSmtpReader *self,
               GTask        *task)
{
  const char *message;

  if (md_smtp_reply_parser_is_idle (self->parser))
    message = _("The server closed the connection");
  else
    message = _("The server closed the connection in the middle of its reply");

  return_error (self, task, g_error_new_literal (MD_ERROR, MD_ERROR_CLOSED, message));
}

static void read_chunk (MdSmtpReader *self,
                        GTask        *task);

static void
read_chunk_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MdSmtpReader *self = g_task_get_source_object (task);
  GError *error = NULL;
  gssize n_read;

  g_assert (G_IS_INPUT_STREAM (object));
  g_assert (MD_IS_SMTP_READER (self));

  n_read = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (n_read < 0)
    {
      return_error (self, task, error);
      return;
    }

  if (n_read == 0)
    {
      return_closed (self, task);
      return;
    }

  /* Bytes read before a cancellation stay buffered for a later read. */
  self->end = n_read;
  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      return_error (self, task, error);
      return;
    }

  if (!feed_buffered (self, task))
    read_chunk (self, g_steal_pointer (&task));
}

/* Takes @task. The buffer is empty here: feed_buffered() gave all of it to
 * the parser, which keeps partial lines itself. */
static void
read_chunk (MdSmtpReader *self,
            GTask        *task)
{
  g_assert (self->start == 0 && self->end == 0);

  g_input_stream_read_async (self->stream, self->buffer, CHUNK_SIZE, G_PRIORITY_DEFAULT,
                             g_task_get_cancellable (task), read_chunk_cb, task);
}

/**
 * md_smtp_reader_read_reply_async:
 *
 * Reads one whole reply, from the buffered bytes first. The read fails
 * with %MD_ERROR_CLOSED at the end of the stream, with
 * %MD_ERROR_REPLY_TOO_LARGE, %MD_ERROR_PROTOCOL or %MD_ERROR_MIXED_CODES
 * for a reply that breaks the caps or the rules, and with the stream's own error (such as
 * %G_IO_ERROR_CANCELLED or %G_IO_ERROR_TIMED_OUT) otherwise. One read at a
 * time.
 */
void
md_smtp_reader_read_reply_async (MdSmtpReader        *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MD_IS_SMTP_READER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->stream != NULL);
  g_return_if_fail (!self->reading);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, md_smtp_reader_read_reply_async);
  /* A reply handed to the task has left the buffer, so a cancellation
   * racing with it must not drop it. */
  g_task_set_check_cancellable (task, FALSE);

  self->reading = TRUE;
  if (!feed_buffered (self, task))
    read_chunk (self, g_steal_pointer (&task));
}

/**
 * md_smtp_reader_read_reply_finish:
 *
 * Returns: (transfer full): the reply, or %NULL with @error set
 */
MdSmtpReply *
md_smtp_reader_read_reply_finish (MdSmtpReader  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (MD_IS_SMTP_READER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
