/* md-data.c: checking the built-in JSON data as it is read
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The knowledge base and the fix catalogue are data reviewed like code: a
 * mistake in them is reported with the file and the entry it is in.
 */

#include "md-config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "md-data-private.h"

/**
 * _md_data_invalid:
 *
 * Sets @error to name the place and the problem.
 *
 * Returns: %FALSE always, so that readers can `return _md_data_invalid (...)`
 */
gboolean
_md_data_invalid (const MdDataPlace  *place,
                  GError            **error,
                  const char         *format,
                  ...)
{
  g_autoptr(GString) where = g_string_new (place->file);
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  if (place->index > 0)
    g_string_append_printf (where, _(", entry %u"), place->index);
  if (place->entry != NULL)
    g_string_append_printf (where, " (%s)", place->entry);
  if (place->answer > 0)
    g_string_append_printf (where, _(", answer %u"), place->answer);

  /* Translators: the damaged part, the file and entry, what is wrong. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s: %s: %s"),
               place->damaged, where->str, detail);

  return FALSE;
}

/**
 * _md_data_check_members:
 *
 * Fails on any member not in @known: a misspelt member must not pass
 * silently.
 */
gboolean
_md_data_check_members (JsonObject         *object,
                        const char * const *known,
                        const MdDataPlace  *place,
                        GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (known, l->data))
        return _md_data_invalid (place, error, _("unknown member “%s”"),
                                 (const char *)l->data);
    }

  return TRUE;
}
