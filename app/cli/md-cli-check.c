/* md-cli-check.c: mail-doctor-cli check
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The options and the account they describe are shared with watch, in
 * md-cli-options.c.
 */

#include "md-config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "md-account.h"
#include "md-diagnosis.h"
#include "md-cli.h"
#include "md-cli-options.h"

/* Running */

typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  gboolean      unicode;
  gboolean      finished;
  GError       *error;
} Run;

static void
on_check_finished (MdDiagnosis *diagnosis,
                   MdCheck     *check,
                   Run         *run)
{
  md_cli_print_check (check, run->unicode);
}

static gboolean
on_interrupt (gpointer user_data)
{
  Run *run = user_data;

  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Run *run = user_data;

  md_diagnosis_run_finish (MD_DIAGNOSIS (object), result, &run->error);
  run->finished = TRUE;
  g_main_loop_quit (run->loop);
}

static int
print_result (MdDiagnosis       *diagnosis,
              MdCliCheckOptions *o,
              gboolean           unicode)
{
  if (!md_cli_write_report (diagnosis, o, unicode))
    return MD_EXIT_INTERNAL;

  /* A failed check with no finding of its own is a problem all the same. */
  return g_list_model_get_n_items (md_diagnosis_get_findings (diagnosis)) > 0 ||
         md_diagnosis_has_failures (diagnosis) ? MD_EXIT_PROBLEMS : MD_EXIT_OK;
}

static int
run_diagnosis (MdDiagnosis       *diagnosis,
               MdCliCheckOptions *o)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Run run = { loop, cancellable, FALSE, FALSE, NULL };
  guint sigint;
  int status;

  run.unicode = g_get_charset (NULL);
  g_signal_connect (diagnosis, "check-finished", G_CALLBACK (on_check_finished), &run);
  sigint = g_unix_signal_add (SIGINT, on_interrupt, &run);

  md_diagnosis_run_async (diagnosis, cancellable, run_cb, &run);
  if (!run.finished)
    g_main_loop_run (loop);

  g_source_remove (sigint);
  md_account_clear_password (md_diagnosis_get_account (diagnosis));

  if (run.error != NULL)
    {
      status = g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
               ? MD_EXIT_USAGE : MD_EXIT_INTERNAL;
      md_cli_print_error ("%s", run.error->message);
      g_clear_error (&run.error);
      return status;
    }

  return print_result (diagnosis, o, run.unicode);
}

int
md_cli_check (int    argc,
              char **argv)
{
  g_auto(MdCliCheckOptions) o = { 0 };
  g_autoptr(MdDiagnosis) diagnosis = NULL;
  g_autoptr(GError) error = NULL;
  const char *summary = _("Checks an outgoing mail server the way your mail program "
                          "uses it, and says in plain words what is wrong.");

  if (!md_cli_check_options_parse (&o, summary, NULL, &argc, &argv, &error) ||
      (diagnosis = md_cli_check_options_new_diagnosis (&o, &error)) == NULL)
    {
      md_cli_print_error ("%s", error->message);
      return MD_EXIT_USAGE;
    }

  return run_diagnosis (diagnosis, &o);
}
