/* md-cli-check.c: mail-doctor-cli check
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The options, the account they describe, the run and what it exits with
 * are shared with watch, in md-cli-options.c.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>

#include "md-account.h"
#include "md-diagnosis.h"
#include "md-cli.h"
#include "md-cli-options.h"

int
md_cli_check (int    argc,
              char **argv)
{
  g_auto(MdCliCheckOptions) o = { 0 };
  g_autoptr(GCancellable) cancellable = md_cli_interrupt_cancellable_new ();
  g_autoptr(MdDiagnosis) diagnosis = NULL;
  g_autoptr(GError) error = NULL;
  gboolean unicode = g_get_charset (NULL);
  const char *summary = _("Checks an outgoing mail server the way your mail program "
                          "uses it, and says in plain words what is wrong.");
  int status;

  if (!md_cli_check_options_parse (&o, summary, NULL, &argc, &argv, &error))
    {
      md_cli_print_error ("%s", error->message);
      return MD_EXIT_USAGE;
    }

  diagnosis = md_cli_run_diagnosis (&o, cancellable, unicode, &status);
  if (diagnosis == NULL)
    return status;

  md_account_clear_password (md_diagnosis_get_account (diagnosis));

  if (!md_cli_write_report (diagnosis, &o, unicode))
    return MD_EXIT_INTERNAL;

  return md_cli_exit_status (diagnosis);
}
