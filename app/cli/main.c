/* main.c: mail-doctor-cli, the helpdesk's and the script's front end
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "md-config.h"

#include <locale.h>
#include <stdio.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "md-build-ident.h"
#include "md-locale.h"
#include "md-cli.h"

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n%s\n%s\n\n%s\n",
           _("Usage: mail-doctor-cli COMMAND [OPTIONS]"),
           _("Commands:"),
           _("  check     Check an outgoing mail server and say what is wrong\n"
             "  discover  Suggest the outgoing server settings for an email address\n"
             "  explain   Say what an error message from your mail program means\n"
             "  report    Show a saved report as text or as a web page\n"
             "  watch     Check again and again until the server accepts mail"),
           _("Run “mail-doctor-cli COMMAND --help” for the options of a command."));
}

void
md_cli_print_error (const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fprintf (stderr, "mail-doctor-cli: %s\n", message);
}

/**
 * md_cli_write_output:
 * @path: (nullable): a file, or %NULL for standard output
 */
gboolean
md_cli_is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;

  return TRUE;
}

gboolean
md_cli_write_output (const char *path,
                     const char *text)
{
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    {
      fputs (text, stdout);
      if (!g_str_has_suffix (text, "\n"))
        fputc ('\n', stdout);
      return fflush (stdout) == 0;
    }

  /* A report holds the account's settings and the server's words: only
   * its owner reads it, until they choose to share it. */
  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      md_cli_print_error (_("Could not write %s: %s"), path, error->message);
      return FALSE;
    }

  return TRUE;
}

/**
 * md_cli_check_format:
 * @format: (nullable): the --format given, %NULL when not given
 * @allowed: the formats the command writes
 */
gboolean
md_cli_check_format (const char         *format,
                     const char * const *allowed,
                     GError            **error)
{
  g_autofree char *list = NULL;

  if (format == NULL || g_strv_contains (allowed, format))
    return TRUE;

  list = g_strjoinv (", ", (char **)allowed);
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("--format must be one of: %s"), list);
  return FALSE;
}

/**
 * md_cli_check_format_and_timeout:
 *
 * The options most commands share: --format text|json, and --timeout in
 * seconds (0 when not given).
 */
gboolean
md_cli_check_format_and_timeout (const char  *format,
                                 int          timeout,
                                 GError     **error)
{
  static const char * const formats[] = { "text", "json", NULL };

  if (!md_cli_check_format (format, formats, error))
    return FALSE;

  if (timeout < 0 || timeout > MD_CLI_MAX_TIMEOUT_SECONDS)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--timeout must be a number of seconds from 1 to %d"),
                   MD_CLI_MAX_TIMEOUT_SECONDS);
      return FALSE;
    }

  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  const char *command;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, md_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("mail-doctor-cli");

  if (argc < 2)
    {
      print_usage (stderr);
      return MD_EXIT_USAGE;
    }

  command = argv[1];

  if (g_str_equal (command, "--version"))
    {
      printf ("mail-doctor-cli %s (%s)\n", PACKAGE_VERSION, MD_BUILD_IDENTIFIER);
      return MD_EXIT_OK;
    }

  if (g_str_equal (command, "--help") || g_str_equal (command, "-h") ||
      g_str_equal (command, "help"))
    {
      print_usage (stdout);
      return MD_EXIT_OK;
    }

  /* Each command parses its own options, with its name as argv[0]. */
  if (g_str_equal (command, "check"))
    return md_cli_check (argc - 1, argv + 1);
  if (g_str_equal (command, "discover"))
    return md_cli_discover (argc - 1, argv + 1);
  if (g_str_equal (command, "explain"))
    return md_cli_explain (argc - 1, argv + 1);
  if (g_str_equal (command, "report"))
    return md_cli_report (argc - 1, argv + 1);
  if (g_str_equal (command, "watch"))
    return md_cli_watch (argc - 1, argv + 1);

  md_cli_print_error (_("Unknown command “%s”"), command);
  print_usage (stderr);
  return MD_EXIT_USAGE;
}
