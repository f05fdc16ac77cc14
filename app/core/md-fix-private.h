/* md-fix-private.h: the fix catalogue's parser, for the tests
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "md-fix.h"

G_BEGIN_DECLS

#define MD_FIX_CATALOGUE_FILE "fixes.json"

GListModel *_md_fix_parse_catalogue (const char  *json,
                                     gsize        len,
                                     GError     **error);

G_END_DECLS
