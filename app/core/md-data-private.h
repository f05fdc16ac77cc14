/* md-data-private.h: checking the built-in JSON data as it is read
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Where in the data a problem is, so that the error names it. */
typedef struct
{
  const char *damaged;  /* the sentence's start: "The built-in … is damaged" */
  const char *file;
  guint       index;    /* entry, from 1; 0 for the file as a whole */
  const char *entry;    /* the entry's zone or id, once known */
  guint       answer;   /* a sub-entry (a zone's answer), from 1; 0 for none */
} MdDataPlace;

gboolean _md_data_invalid       (const MdDataPlace   *place,
                                 GError             **error,
                                 const char          *format,
                                 ...) G_GNUC_PRINTF (3, 4);
gboolean _md_data_check_members (JsonObject          *object,
                                 const char * const  *known,
                                 const MdDataPlace   *place,
                                 GError             **error);

G_END_DECLS
