/* md-smtp-reader.h: reads whole SMTP replies from a stream, bounded
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "md-smtp-reply.h"

G_BEGIN_DECLS

#define MD_TYPE_SMTP_READER (md_smtp_reader_get_type ())

G_DECLARE_FINAL_TYPE (MdSmtpReader, md_smtp_reader, MD, SMTP_READER, GObject)

MdSmtpReader *md_smtp_reader_new               (GInputStream         *stream);
GInputStream *md_smtp_reader_get_stream        (MdSmtpReader         *self);
void          md_smtp_reader_set_stream        (MdSmtpReader         *self,
                                                GInputStream         *stream);
gsize         md_smtp_reader_get_buffered      (MdSmtpReader         *self);
void          md_smtp_reader_discard_buffered  (MdSmtpReader         *self);
void          md_smtp_reader_read_reply_async  (MdSmtpReader         *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
MdSmtpReply  *md_smtp_reader_read_reply_finish (MdSmtpReader         *self,
                                                GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS
