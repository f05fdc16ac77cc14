/* md-fix-private.h: the fix catalogue's parser, for the tests
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "md-data-private.h"
#include "md-fix.h"

G_BEGIN_DECLS

#define MD_FIX_CATALOGUE_FILE "fixes.json"

GListModel *_md_fix_parse_catalogue (const char  *json,
                                     gsize        len,
                                     GError     **error);

/* Fix ids are lower-case letters, digits and dashes. */
gboolean    _md_fix_is_id           (const char         *id);

/* A report keeps its fixes in the catalogue's own form. */
GListModel *_md_fix_list_from_json  (JsonArray          *array,
                                     const MdDataPlace  *place,
                                     GError            **error);
void        _md_fix_to_json         (MdFix              *self,
                                     JsonBuilder        *builder);

G_END_DECLS
