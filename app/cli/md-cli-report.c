/* md-cli-report.c: mail-doctor-cli report
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows a report someone saved and sent, as text for a ticket or as a web
 * page. The file comes from someone else, so it is read with a size limit
 * and rendered only through the report's own escaping.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>

#include "md-report.h"
#include "md-cli.h"

/* Reads at most one byte more than a report may have, so that the report
 * can tell a file that is too large from one that fits. */
static char *
read_report_file (const char  *path,
                  gsize       *length,
                  GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = g_malloc (MD_REPORT_MAX_BYTES + 1);

  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (stream), contents, MD_REPORT_MAX_BYTES + 1,
                                length, NULL, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not read the report %s: %s"), path, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&contents);
}

/**
 * md_cli_format_report:
 * @format: (nullable): "json", "html", or "text" (the default)
 * @unicode: whether the text may use Unicode symbols
 *
 * The report as every command that shows one writes it.
 *
 * Returns: (transfer full): the report in @format
 */
char *
md_cli_format_report (MdReport   *report,
                      const char *format,
                      gboolean    unicode)
{
  if (g_strcmp0 (format, "json") == 0)
    return md_report_to_json (report);
  if (g_strcmp0 (format, "html") == 0)
    return md_report_to_html (report);

  return md_report_to_text (report, unicode);
}

static gboolean
parse_options (char     **format,
               int       *argc,
               char    ***argv,
               GError   **error)
{
  static const char * const formats[] = { "text", "html", NULL };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE.json"));
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, format,
      N_("text or html"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_set_summary (context,
                                _("Shows a report that Mail Doctor saved, as text or as a "
                                  "web page."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if (*argc != 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Give the report file to show"));
      return FALSE;
    }

  return md_cli_check_format (*format, formats, error);
}

int
md_cli_report (int    argc,
               char **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *output = NULL;
  g_autoptr(MdReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  if (!parse_options (&format, &argc, &argv, &error))
    {
      md_cli_print_error ("%s", error->message);
      return MD_EXIT_USAGE;
    }

  contents = read_report_file (argv[1], &length, &error);
  if (contents != NULL)
    report = md_report_new_from_json (contents, length, &error);
  if (report == NULL)
    {
      md_cli_print_error ("%s", error->message);
      return MD_EXIT_USAGE;
    }

  output = md_cli_format_report (report, format, g_get_charset (NULL));
  return md_cli_write_output (NULL, output) ? MD_EXIT_OK : MD_EXIT_INTERNAL;
}
