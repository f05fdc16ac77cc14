/* main.c: mail-doctor, the wizard
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "md-config.h"

#include <locale.h>

#include <glib/gi18n-lib.h>
#include <gtk/gtk.h>

#include "md-application.h"
#include "md-locale.h"

/* Whether the machine has a GPU GL could use: a DRM render node, or the
 * device NVIDIA's own driver opens instead. */
static gboolean
has_gpu (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;

  if (g_file_test ("/dev/nvidiactl", G_FILE_TEST_EXISTS))
    return TRUE;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;

  return FALSE;
}

/* GTK 4.14 and later do not draw with GL when GL would be Mesa's software
 * rasterizer (llvmpipe). GTK 4.8 sets GL up as soon as it opens the display,
 * even to draw with cairo, and without a GPU that loads llvmpipe: about
 * 45 MB more for a form that cairo draws as well. So on older GTK, with no
 * GPU and no choice of the user's for GL, GL is left out. */
static void
leave_out_software_gl (void)
{
  const char *renderer = g_getenv ("GSK_RENDERER");

  if (gtk_get_major_version () > 4 || gtk_get_minor_version () >= 14)
    return;
  if (g_getenv ("GDK_DEBUG") != NULL || (renderer != NULL && g_strcmp0 (renderer, "cairo") != 0))
    return;
  if (has_gpu ())
    return;

  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MdApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, md_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  leave_out_software_gl ();
  app = md_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
