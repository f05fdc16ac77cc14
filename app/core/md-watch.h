/* md-watch.h: check again, with back-off, until the server accepts
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "md-diagnosis.h"

G_BEGIN_DECLS

/* RFC 5321 §4.5.4.1 asks servers to wait at least 30 minutes between
 * retries; a person watching wants the first answers sooner, so the waits
 * start at a minute and double up to that cap. */
#define MD_WATCH_DEFAULT_INITIAL_MS (60 * 1000)
#define MD_WATCH_DEFAULT_MAX_MS     (30 * 60 * 1000)

#define MD_TYPE_WATCH (md_watch_get_type ())

G_DECLARE_FINAL_TYPE (MdWatch, md_watch, MD, WATCH, GObject)

MdWatch   *md_watch_new                (MdDiagnosis          *diagnosis,
                                        MdCheckId             check);
MdCheckId  md_watch_get_check          (MdWatch              *self);
guint      md_watch_get_attempts       (MdWatch              *self);
void       md_watch_set_intervals      (MdWatch              *self,
                                        guint                 initial_ms,
                                        guint                 max_ms);
/* Completes with TRUE once the watched check passes (or only warns);
 * with G_IO_ERROR_CANCELLED when @cancellable is cancelled. */
void       md_watch_run_async          (MdWatch              *self,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean   md_watch_run_finish         (MdWatch              *self,
                                        GAsyncResult         *result,
                                        GError              **error);

G_END_DECLS
