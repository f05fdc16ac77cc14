/* md-error.c
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "md-error.h"

G_DEFINE_QUARK (md-error-quark, md_error)
