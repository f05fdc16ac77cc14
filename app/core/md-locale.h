/* md-locale.h: where the programs find their translations
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* LOCALEDIR once installed; run from the build tree (tools/run, the tests,
 * `meson devenv`), the build's own catalogues, which MAIL_DOCTOR_LOCALEDIR
 * names. For the programs' main(), after md-config.h. */
static inline const char *
md_locale_dir (void)
{
  const char *dir = g_getenv ("MAIL_DOCTOR_LOCALEDIR");

  return dir != NULL && *dir != '\0' ? dir : LOCALEDIR;
}

G_END_DECLS
