/* md-deadline.h
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "md-types.h"

G_BEGIN_DECLS

MdDeadline   *md_deadline_new             (GCancellable  *parent,
                                           guint          timeout_ms);
void          md_deadline_free            (MdDeadline    *self);
GCancellable *md_deadline_get_cancellable (MdDeadline    *self);
gboolean      md_deadline_expired         (MdDeadline    *self);
guint         md_deadline_get_timeout_ms  (MdDeadline    *self);
gboolean      md_deadline_check           (MdDeadline    *self,
                                           GError       **error);
void          md_deadline_fix_error       (MdDeadline    *self,
                                           GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdDeadline, md_deadline_free)

G_END_DECLS
