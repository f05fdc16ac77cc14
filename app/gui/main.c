/* main.c: mail-doctor, the wizard
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "md-config.h"

#include <locale.h>

#include <glib/gi18n-lib.h>

#include "md-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MdApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = md_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
