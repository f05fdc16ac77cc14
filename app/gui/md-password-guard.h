/* md-password-guard.h: keeps a typed password out of the accessibility tree
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MD_TYPE_PASSWORD_GUARD (md_password_guard_get_type ())

G_DECLARE_FINAL_TYPE (MdPasswordGuard, md_password_guard, MD, PASSWORD_GUARD, GObject)

MdPasswordGuard *md_password_guard_new      (GtkEditable     *editable);

const char      *md_password_guard_get_text (MdPasswordGuard *self);

G_END_DECLS
