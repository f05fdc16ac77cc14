/* md-compat.h: shims for GLib API newer than the Debian 12 floor (2.74)
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>
#include <glib.h>

G_BEGIN_DECLS

#if !GLIB_CHECK_VERSION (2, 76, 0)
static inline gboolean
md_set_str (char       **str_pointer,
            const char  *new_str)
{
  char *copy;

  if (*str_pointer == new_str ||
      (*str_pointer != NULL && new_str != NULL && strcmp (*str_pointer, new_str) == 0))
    return FALSE;

  copy = g_strdup (new_str);
  g_free (*str_pointer);
  *str_pointer = copy;

  return TRUE;
}
#else
# define md_set_str g_set_str
#endif

/* Overwrites a secret before its memory goes back to the allocator;
 * explicit_bzero is not optimised away like memset may be. */
static inline void
md_wipe (void  *data,
         gsize  len)
{
  if (data != NULL && len > 0)
    explicit_bzero (data, len);
}

static inline void
md_wipe_str (char *str)
{
  if (str != NULL)
    explicit_bzero (str, strlen (str));
}

/* Frees a string after wiping it, for secrets and anything derived from them. */
static inline void
md_secret_free (char *str)
{
  md_wipe_str (str);
  g_free (str);
}

G_END_DECLS
