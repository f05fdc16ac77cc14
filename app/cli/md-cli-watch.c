/* md-cli-watch.c: mail-doctor-cli watch
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs a whole check first, then runs again only the check that shows the
 * problem, with waits that grow (MdWatch), until it works or the user
 * presses Ctrl+C. The password stays in memory for as long as watching
 * goes on, since each attempt may log in again; it is wiped at the end.
 */

#include "md-config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "md-account.h"
#include "md-diagnosis.h"
#include "md-finding.h"
#include "md-verdict.h"
#include "md-watch.h"
#include "md-cli.h"
#include "md-cli-options.h"

#define DEFAULT_INTERVAL_S     (MD_WATCH_DEFAULT_INITIAL_MS / 1000)
#define DEFAULT_MAX_INTERVAL_S (MD_WATCH_DEFAULT_MAX_MS / 1000)
/* A day: longer waits would not be watching any more. */
#define LIMIT_INTERVAL_S       (24 * 60 * 60)

/* Options */

static gboolean
check_intervals (int      interval,
                 int     *max_interval,
                 GError **error)
{
  if (interval < 1 || interval > LIMIT_INTERVAL_S)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--interval must be a number of seconds from 1 to %d"), LIMIT_INTERVAL_S);
      return FALSE;
    }

  /* Not given: the default, or the first wait when that is longer. */
  if (*max_interval == 0)
    *max_interval = MAX (DEFAULT_MAX_INTERVAL_S, interval);

  if (*max_interval < interval || *max_interval > LIMIT_INTERVAL_S)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--max-interval must be a number of seconds from --interval to %d"),
                   LIMIT_INTERVAL_S);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_options (MdCliCheckOptions   *o,
               int                 *interval,
               int                 *max_interval,
               gboolean            *anyway,
               int                 *argc,
               char              ***argv,
               GError             **error)
{
  const GOptionEntry entries[] = {
    { "anyway", 0, 0, G_OPTION_ARG_NONE, anyway,
      N_("Watch even a problem that waiting cannot fix"), NULL },
    { "interval", 0, 0, G_OPTION_ARG_INT, interval,
      N_("Wait this long before checking again the first time (default 60)"), N_("SECONDS") },
    { "max-interval", 0, 0, G_OPTION_ARG_INT, max_interval,
      N_("Never wait longer than this between checks (default 1800)"), N_("SECONDS") },
    G_OPTION_ENTRY_NULL
  };
  const char *summary = _("Checks an outgoing mail server, then checks again and again, "
                          "waiting longer each time, until it accepts mail.");

  return md_cli_check_options_parse (o, summary, entries, argc, argv, error) &&
         check_intervals (*interval, max_interval, error);
}

/* What to watch */

/* Only a failed check can start to work. Input fails when the settings
 * are wrong (a server name from discovery, say), and waiting does not
 * change them, so watching it would never end. */
static gboolean
can_watch (MdDiagnosis *diagnosis,
           MdCheckId    id)
{
  MdCheck *check = md_diagnosis_find_check (diagnosis, id);

  return id != MD_CHECK_INPUT &&
         check != NULL && md_check_get_status (check) == MD_CHECK_STATUS_FAIL;
}

/* The check behind the verdict's cause, else the first that fails. */
static gboolean
pick_check (MdDiagnosis *diagnosis,
            MdVerdict   *verdict,
            MdCheckId   *id)
{
  GListModel *checks = md_diagnosis_get_checks (diagnosis);
  MdFinding *finding = md_verdict_get_finding (verdict);
  const char * const *supporting = finding ? md_finding_get_checks (finding) : NULL;

  if (supporting != NULL && supporting[0] != NULL &&
      md_check_id_from_string (supporting[0], id) && can_watch (diagnosis, *id))
    return TRUE;

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(MdCheck) check = g_list_model_get_item (checks, i);

      *id = md_check_get_id (check);
      if (can_watch (diagnosis, *id))
        return TRUE;
    }

  return FALSE;
}

/* Progress */

/* "in 4 minutes": whole minutes once the wait is two minutes or more, or
 * a round number of them; seconds below. */
static char *
format_delay (guint delay_ms)
{
  guint seconds = (delay_ms + 999) / 1000;
  guint minutes = (seconds + 30) / 60;

  if (seconds % 60 == 0 || seconds >= 120)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes", minutes),
                            minutes);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds", seconds),
                          seconds);
}

/* How much of @text is its first sentence. A full stop inside brackets
 * or quotes (where the server's own words go) does not end it. Byte by
 * byte is safe on any text: UTF-8 never hides a quote's bytes inside
 * another character. */
static gsize
first_sentence_length (const char *text)
{
  int depth = 0;

  for (gsize i = 0; text[i] != '\0'; i++)
    {
      if (text[i] == '(' || strncmp (text + i, "“", strlen ("“")) == 0)
        depth++;
      else if ((text[i] == ')' || strncmp (text + i, "”", strlen ("”")) == 0) && depth > 0)
        depth--;
      else if (text[i] == '.' && depth == 0 && (text[i + 1] == ' ' || text[i + 1] == '\0'))
        return i;
    }

  return strlen (text);
}

/* The first sentence of a check's summary says what happened; the rest
 * explains, which one line per attempt would repeat too often. Inside our
 * sentence it starts in lower case, unless it starts with a name such as
 * SMTP or TLS. */
static char *
summary_clause (MdCheck *check)
{
  const char *summary = md_check_get_summary (check);
  gsize len;
  char *text;

  if (summary == NULL || summary[0] == '\0')
    return g_strdup (_("no details"));

  len = first_sentence_length (summary);
  text = g_strndup (summary, len > 0 ? len : strlen (summary));
  if (g_ascii_isupper (text[0]) && g_ascii_islower (text[1]))
    text[0] = g_ascii_tolower (text[0]);

  return text;
}

/* A time of day in the user's own format: "21:34:05". */
static char *
format_time (GDateTime *time)
{
  return g_date_time_format (time, "%X");
}

static void
on_attempt_finished (MdWatch  *watch,
                     MdCheck  *check,
                     guint     next_delay_ms,
                     gpointer  user_data)
{
  g_autofree char *clause = summary_clause (check);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) next = NULL;
  g_autofree char *at = format_time (now);
  g_autofree char *delay = NULL;
  g_autofree char *next_at = NULL;
  guint attempt = md_watch_get_attempts (watch);

  if (next_delay_ms == 0)
    {
      /* Translators: "Attempt 3, 21:34:05: it works — the server greeted us". */
      fprintf (stderr, _("Attempt %u, %s: it works — %s\n"), attempt, at, clause);
      return;
    }

  delay = format_delay (next_delay_ms);
  next = g_date_time_add_seconds (now, (next_delay_ms + 999) / 1000);
  next_at = format_time (next);
  /* Translators: "Attempt 2, 21:34:05: still failing — …; next try in 2 seconds, at
   * 21:34:07". */
  fprintf (stderr, _("Attempt %u, %s: still failing — %s; next try in %s, at %s\n"),
           attempt, at, clause, delay, next_at);
}

/* Running */

typedef struct
{
  gboolean  done;
  GError   *error;
} Watching;

static void
watch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Watching *watching = user_data;

  md_watch_run_finish (MD_WATCH (object), result, &watching->error);
  watching->done = TRUE;
}

/* Returns when the check works (%TRUE), or with @error when it was
 * stopped or could not run. */
static gboolean
watch_check (MdDiagnosis   *diagnosis,
             MdCheckId      id,
             int            interval,
             int            max_interval,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(MdWatch) watch = md_watch_new (diagnosis, id);
  Watching watching = { FALSE, NULL };

  MdAccount *account = md_diagnosis_get_account (diagnosis);

  md_watch_set_intervals (watch, interval * 1000, max_interval * 1000);
  g_signal_connect (watch, "attempt-finished", G_CALLBACK (on_attempt_finished), NULL);
  /* Translators: "Watching smtp.example.org, port 587: checking again until it works…". */
  fprintf (stderr, _("Watching %s, port %u: checking again until it works; press Ctrl+C to "
                     "stop.\n"),
           md_account_get_host (account), md_account_get_effective_port (account));

  md_watch_run_async (watch, cancellable, watch_cb, &watching);
  while (!watching.done)
    g_main_context_iteration (NULL, TRUE);

  if (watching.error != NULL)
    {
      g_propagate_error (error, watching.error);
      return FALSE;
    }

  return TRUE;
}

/* The last word goes to standard output, unless a report in another format
 * goes there; the report, when asked for, holds the last results. */
static int
conclude (MdDiagnosis       *diagnosis,
          MdCliCheckOptions *o,
          gboolean           unicode,
          const char        *sentence,
          int                status)
{
  gboolean report_on_stdout = o->output == NULL && o->format != NULL &&
                              g_strcmp0 (o->format, "text") != 0;

  fprintf (report_on_stdout ? stderr : stdout, "%s\n", sentence);
  fflush (stdout);

  if ((report_on_stdout || o->output != NULL) &&
      !md_cli_write_report (diagnosis, o, unicode))
    return MD_EXIT_INTERNAL;

  return status;
}

/* Watches what the first run found until it works. It works only when
 * check would say so too (md_cli_exit_status()): a finding with no failed
 * check behind it is a problem all the same, though there is nothing to
 * watch. */
static int
watch (MdDiagnosis       *diagnosis,
       MdCliCheckOptions *o,
       int                interval,
       int                max_interval,
       gboolean           anyway,
       GCancellable      *cancellable,
       gboolean           unicode)
{
  g_autoptr(MdVerdict) verdict = md_verdict_new (md_diagnosis_get_findings (diagnosis),
                                                 md_diagnosis_get_checks (diagnosis));
  g_autoptr(GError) error = NULL;
  MdCheckId id;

  if (md_cli_exit_status (diagnosis) == MD_EXIT_OK)
    return conclude (diagnosis, o, unicode, _("Your settings work: the server accepts mail."),
                     MD_EXIT_OK);

  /* Watching a setting would only wait for ever; say so and what to do. */
  if (!md_verdict_get_can_wait (verdict) && !anyway)
    {
      /* Translators: %s is the cause, like “The server does not offer encryption”. */
      md_cli_print_error (_("Waiting will not fix what Mail Doctor found: “%s”. Run "
                            "“mail-doctor-cli check” with the same options to see what to "
                            "change, or add --anyway to watch all the same."),
                          md_verdict_get_title (verdict));
      return MD_EXIT_USAGE;
    }

  if (!pick_check (diagnosis, verdict, &id))
    return conclude (diagnosis, o, unicode,
                     _("We found problems, but no failing check to watch; run "
                       "“mail-doctor-cli check” with the same options to see what to do."),
                     MD_EXIT_PROBLEMS);

  if (watch_check (diagnosis, id, interval, max_interval, cancellable, &error))
    {
      if (md_cli_exit_status (diagnosis) == MD_EXIT_OK)
        return conclude (diagnosis, o, unicode, _("Your server accepts mail again."),
                         MD_EXIT_OK);

      return conclude (diagnosis, o, unicode,
                       _("The server accepts mail again, but other problems remain; run "
                         "“mail-doctor-cli check” with the same options to see what to do."),
                       MD_EXIT_PROBLEMS);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return conclude (diagnosis, o, unicode, _("Stopped: still not working."), MD_EXIT_PROBLEMS);

  /* The check could not run at all: the settings need fixing first. */
  md_cli_print_error ("%s", error->message);
  return MD_EXIT_PROBLEMS;
}

int
md_cli_watch (int    argc,
              char **argv)
{
  g_auto(MdCliCheckOptions) o = { 0 };
  g_autoptr(GCancellable) cancellable = md_cli_interrupt_cancellable_new ();
  g_autoptr(MdDiagnosis) diagnosis = NULL;
  g_autoptr(GError) error = NULL;
  gboolean unicode = g_get_charset (NULL);
  int interval = DEFAULT_INTERVAL_S;
  int max_interval = 0;
  gboolean anyway = FALSE;
  int status;

  if (!parse_options (&o, &interval, &max_interval, &anyway, &argc, &argv, &error))
    {
      md_cli_print_error ("%s", error->message);
      return MD_EXIT_USAGE;
    }

  /* Stopped in the first run, there is nothing to report: it says why. */
  diagnosis = md_cli_run_diagnosis (&o, cancellable, unicode, &status);
  if (diagnosis == NULL)
    return status;

  status = watch (diagnosis, &o, interval, max_interval, anyway, cancellable, unicode);
  md_account_clear_password (md_diagnosis_get_account (diagnosis));

  return status;
}
