/* md-cli-options.c: the options check and watch share, and what they build
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The password is read only from a file or standard input, never from the
 * command line where other users of the machine could see it; it goes
 * straight into the account, and every buffer that held it is wiped.
 */

#include "md-config.h"

#include <stdio.h>

#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "md-account.h"
#include "md-compat.h"
#include "md-discover.h"
#include "md-enums.h"
#include "md-report.h"
#include "md-cli.h"
#include "md-verdict.h"
#include "md-cli-options.h"

#define MAX_PASSWORD_LENGTH 4096

void
md_cli_check_options_clear (MdCliCheckOptions *o)
{
  g_clear_pointer (&o->email, g_free);
  g_clear_pointer (&o->host, g_free);
  g_clear_pointer (&o->port, g_free);
  g_clear_pointer (&o->security, g_free);
  g_clear_pointer (&o->user, g_free);
  g_clear_pointer (&o->password_file, g_free);
  g_clear_pointer (&o->client_ip, g_free);
  g_clear_pointer (&o->error_text, g_free);
  g_clear_pointer (&o->message_size, g_free);
  g_clear_pointer (&o->ca_file, g_free);
  g_clear_pointer (&o->skip, g_free);
  g_clear_pointer (&o->format, g_free);
  g_clear_pointer (&o->output, g_free);
}

/* Password input */

static void
strip_line_end (char *text)
{
  gsize len = strlen (text);

  while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
    text[--len] = '\0';
}

static gboolean
read_password_file (const char  *path,
                    MdAccount   *account,
                    GError     **error)
{
  char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) local_error = NULL;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not read the password file %s: %s"), path, local_error->message);
      return FALSE;
    }

  if (length > MAX_PASSWORD_LENGTH || memchr (contents, '\0', length) != NULL)
    {
      md_wipe (contents, length);
      g_free (contents);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The password file %s does not hold a password"), path);
      return FALSE;
    }

  strip_line_end (contents);
  md_account_set_password (account, contents);
  md_wipe (contents, length);
  g_free (contents);

  return TRUE;
}

static gboolean
read_password_stdin (MdAccount  *account,
                     GError    **error)
{
  char buffer[MAX_PASSWORD_LENGTH + 2];

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("No password came on standard input"));
      return FALSE;
    }

  strip_line_end (buffer);
  md_account_set_password (account, buffer);
  md_wipe (buffer, sizeof buffer);

  return TRUE;
}

/* Options to account */

static gboolean
apply_skip (MdDiagnosis  *diagnosis,
            const char   *list,
            GError      **error)
{
  g_auto(GStrv) ids = NULL;

  if (list == NULL)
    return TRUE;

  ids = g_strsplit (list, ",", -1);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      MdCheckId id;

      g_strstrip (ids[i]);
      if (ids[i][0] == '\0')
        continue;

      if (!md_check_id_from_string (ids[i], &id))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("There is no check called “%s”"), ids[i]);
          return FALSE;
        }

      md_diagnosis_skip_check (diagnosis, id);
    }

  return TRUE;
}

static gboolean
build_account (MdCliCheckOptions  *o,
               MdAccount          *account,
               GError            **error)
{
  MdSecurity security = MD_SECURITY_AUTO;
  guint64 message_size = 0;
  guint port = 0;

  if (o->email == NULL && o->host == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Say which server to check with --host (and your address with --email)"));
      return FALSE;
    }

  if (o->security != NULL && !md_security_from_string (o->security, &security))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("--security must be one of auto, none, starttls or tls"));
      return FALSE;
    }

  if (o->port != NULL && !md_validate_port_string (o->port, &port, error))
    return FALSE;

  if (o->message_size != NULL &&
      !md_validate_message_size (o->message_size, &message_size, error))
    return FALSE;

  if (o->password_file != NULL && o->password_stdin)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Give the password either in a file or on standard input, not both"));
      return FALSE;
    }

  md_account_set_email (account, o->email);
  md_account_set_host (account, o->host);
  md_account_set_port (account, port);
  md_account_set_security (account, security);
  md_account_set_username (account, o->user);
  md_account_set_client_ip (account, o->client_ip);
  md_account_set_error_text (account, o->error_text);
  md_account_set_message_size (account, message_size);
  md_account_set_ca_file (account, o->ca_file);
  md_account_set_allow_plaintext_auth (account, o->allow_plaintext_auth);

  if (!md_account_validate (account, error))
    return FALSE;

  if (o->password_file != NULL)
    return read_password_file (o->password_file, account, error);
  if (o->password_stdin)
    return read_password_stdin (account, error);

  return TRUE;
}

/* Discovery, when only the address is known */

typedef struct
{
  gboolean   done;
  GPtrArray *suggestions;
  GError    *error;
} Discovery;

static void
discover_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Discovery *discovery = user_data;

  discovery->suggestions = md_discover_finish (result, &discovery->error);
  discovery->done = TRUE;
}

/* Fills in the server from the best suggestion for the email address, as
 * the wizard does, and says which one it took and why. */
static gboolean
discover_server (MdCliCheckOptions  *o,
                 MdAccount          *account,
                 GCancellable       *cancellable,
                 GError            **error)
{
  g_autoptr(MdKb) kb = md_kb_new (error);
  Discovery discovery = { FALSE, NULL, NULL };
  const MdSuggestion *best;
  guint timeout_ms = MIN (o->timeout > 0 ? (guint)o->timeout * 1000 : 10000, 10000);

  if (kb == NULL)
    return FALSE;

  md_discover_async (kb, o->email, timeout_ms, cancellable, discover_cb, &discovery);
  while (!discovery.done)
    g_main_context_iteration (NULL, TRUE);

  if (discovery.error != NULL)
    {
      g_propagate_error (error, discovery.error);
      return FALSE;
    }

  if (discovery.suggestions == NULL || discovery.suggestions->len == 0)
    {
      g_clear_pointer (&discovery.suggestions, g_ptr_array_unref);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Could not find the outgoing server for %s; give it with --host"), o->email);
      return FALSE;
    }

  best = g_ptr_array_index (discovery.suggestions, 0);
  if (best->needs_confirmation)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Your domain points to %s, outside your domain, as its outgoing server; "
                     "if you trust it, run again with --host %s"), best->host, best->host);
      g_ptr_array_unref (discovery.suggestions);
      return FALSE;
    }

  fprintf (stderr, _("Using %s, port %u (%s)\n"), best->host, best->port, best->source_detail);
  md_account_set_host (account, best->host);
  if (o->port == NULL)
    md_account_set_port (account, best->port);
  if (o->security == NULL)
    md_account_set_security (account, best->security);

  g_ptr_array_unref (discovery.suggestions);
  return TRUE;
}

/* Parsing */

/* --timeout's value before parsing: no one types it. */
#define TIMEOUT_NOT_GIVEN G_MININT

/**
 * md_cli_check_options_parse:
 * @summary: what the command does, for --help
 * @extra_entries: (nullable): the command's own options, after check's
 */
gboolean
md_cli_check_options_parse (MdCliCheckOptions   *o,
                            const char          *summary,
                            const GOptionEntry  *extra_entries,
                            int                 *argc,
                            char              ***argv,
                            GError             **error)
{
  static const char * const formats[] = { "text", "json", "html", NULL };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  const GOptionEntry entries[] = {
    { "email", 0, 0, G_OPTION_ARG_STRING, &o->email,
      N_("Your email address"), N_("ADDR") },
    { "host", 0, 0, G_OPTION_ARG_STRING, &o->host,
      N_("The outgoing (SMTP) server"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_STRING, &o->port,
      N_("The server's port (default 587, or 465 for tls)"), N_("N") },
    { "security", 0, 0, G_OPTION_ARG_STRING, &o->security,
      N_("auto, none, starttls or tls"), N_("MODE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &o->user,
      N_("The username, if not the email address"), N_("USER") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &o->password_file,
      N_("Read the password from a file"), N_("FILE") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &o->password_stdin,
      N_("Read the password from standard input"), NULL },
    { "client-ip", 0, 0, G_OPTION_ARG_STRING, &o->client_ip,
      N_("The public IP address you send from"), N_("IP") },
    { "error-text", 0, 0, G_OPTION_ARG_STRING, &o->error_text,
      N_("The error message your mail program showed"), N_("TEXT") },
    { "message-size", 0, 0, G_OPTION_ARG_STRING, &o->message_size,
      N_("The size of the message that does not go out, like 12M"), N_("SIZE") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &o->ca_file,
      N_("Also trust the certificates in this PEM file"), N_("PEM") },
    { "skip", 0, 0, G_OPTION_ARG_STRING, &o->skip,
      N_("Checks not to run, separated by commas"), N_("ID,...") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &o->timeout,
      N_("Give up after this many seconds (default 20)"), N_("SECONDS") },
    { "allow-plaintext-auth", 0, 0, G_OPTION_ARG_NONE, &o->allow_plaintext_auth,
      N_("Send the password even without encryption"), NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o->format,
      N_("text, json or html"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
      N_("Write the result to a file"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (extra_entries != NULL)
    g_option_context_add_main_entries (context, extra_entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  /* Told apart from a --timeout 0 the user typed, which is no time limit
   * a check can keep. */
  o->timeout = TIMEOUT_NOT_GIVEN;
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if (*argc > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Unexpected argument “%s”"), (*argv)[1]);
      return FALSE;
    }

  /* 0 means "not given" from here on; a 0 typed on purpose is out of
   * range, like a negative one, and refused with it below. */
  if (o->timeout == TIMEOUT_NOT_GIVEN)
    o->timeout = 0;
  else if (o->timeout == 0)
    o->timeout = -1;

  /* An empty value given on purpose is a mistake, not "no value". */
  if (o->client_ip != NULL && o->client_ip[0] == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--client-ip needs an IP address, like 192.0.2.1"));
      return FALSE;
    }
  if (o->error_text != NULL && md_cli_is_blank (o->error_text))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--error-text needs the error message your mail program showed"));
      return FALSE;
    }

  /* check and watch also write HTML, which the shared check does not allow. */
  return md_cli_check_format (o->format, formats, error) &&
         md_cli_check_format_and_timeout (NULL, o->timeout, error);
}

/* Ctrl+C */

static gboolean
on_interrupt (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_CONTINUE;
}

static void
remove_source (gpointer user_data)
{
  g_source_remove (GPOINTER_TO_UINT (user_data));
}

/**
 * md_cli_interrupt_cancellable_new:
 *
 * A cancellable that Ctrl+C cancels for as long as it lives: discovery,
 * the run and the watch all stop at once, and the command says so.
 *
 * Returns: (transfer full): the cancellable
 */
GCancellable *
md_cli_interrupt_cancellable_new (void)
{
  GCancellable *cancellable = g_cancellable_new ();
  guint sigint = g_unix_signal_add (SIGINT, on_interrupt, cancellable);

  /* Removed when the cancellable goes, so it never fires on a freed one. */
  g_object_set_data_full (G_OBJECT (cancellable), "md-cli-sigint",
                          GUINT_TO_POINTER (sigint), remove_source);

  return cancellable;
}

/* Running */

/* Builds the account the options describe (finding the server when only
 * the address is given) and a diagnosis of it, or says in @error why the
 * options do not describe one. */
static MdDiagnosis *
new_diagnosis (MdCliCheckOptions  *o,
               GCancellable       *cancellable,
               GError            **error)
{
  g_autoptr(MdAccount) account = md_account_new ();
  g_autoptr(MdDiagnosis) diagnosis = NULL;

  if (!build_account (o, account, error))
    return NULL;

  if (o->host == NULL && !discover_server (o, account, cancellable, error))
    return NULL;

  diagnosis = md_diagnosis_new (account);
  if (o->timeout > 0)
    md_diagnosis_set_timeout_ms (diagnosis, o->timeout * 1000);

  if (!apply_skip (diagnosis, o->skip, error))
    return NULL;

  return g_steal_pointer (&diagnosis);
}

typedef struct
{
  gboolean  done;
  GError   *error;
} Run;

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Run *run = user_data;

  md_diagnosis_run_finish (MD_DIAGNOSIS (object), result, &run->error);
  run->done = TRUE;
}

static void
on_check_finished (MdDiagnosis *diagnosis,
                   MdCheck     *check,
                   gpointer     user_data)
{
  md_cli_print_check (check, GPOINTER_TO_INT (user_data));
}

/* Says on stderr why there is no result, and returns the exit status. */
static int
fail (GError *error,
      int     status)
{
  /* As discover does: an interrupted run found nothing either way. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      md_cli_print_error ("%s", _("Stopped before the check finished."));
      return MD_EXIT_USAGE;
    }

  md_cli_print_error ("%s", error->message);
  return status;
}

/**
 * md_cli_run_diagnosis:
 * @o: the options, parsed
 * @cancellable: stops discovery and the run; see md_cli_interrupt_cancellable_new()
 * @unicode: whether the progress lines may use Unicode symbols
 * @status: (out): the exit status when there is no diagnosis
 *
 * Builds the diagnosis the options describe and runs it once, with a line
 * of progress on stderr as each check finishes. When the options describe
 * no diagnosis, or the run does not finish, it says why on stderr. The
 * password stays in the account, for a caller that checks again.
 *
 * Returns: (transfer full) (nullable): the finished diagnosis
 */
MdDiagnosis *
md_cli_run_diagnosis (MdCliCheckOptions *o,
                      GCancellable      *cancellable,
                      gboolean           unicode,
                      int               *status)
{
  g_autoptr(MdDiagnosis) diagnosis = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { FALSE, NULL };
  gulong progress;

  diagnosis = new_diagnosis (o, cancellable, &error);
  if (diagnosis == NULL)
    {
      *status = fail (error, MD_EXIT_USAGE);
      return NULL;
    }

  progress = g_signal_connect (diagnosis, "check-finished", G_CALLBACK (on_check_finished),
                               GINT_TO_POINTER (unicode));
  md_diagnosis_run_async (diagnosis, cancellable, run_cb, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_clear_signal_handler (&progress, diagnosis);

  if (run.error != NULL)
    {
      *status = fail (run.error, MD_EXIT_INTERNAL);
      g_clear_error (&run.error);
      return NULL;
    }

  return g_steal_pointer (&diagnosis);
}

/**
 * md_cli_exit_status:
 * @diagnosis: a finished diagnosis
 *
 * What check and watch exit with: the verdict's state. A problem found,
 * or a failure Mail Doctor cannot explain, is a problem; what it only
 * noticed (SPF missing on a server that works) is not.
 *
 * Returns: %MD_EXIT_OK or %MD_EXIT_PROBLEMS
 */
int
md_cli_exit_status (MdDiagnosis *diagnosis)
{
  g_autoptr(MdVerdict) verdict = md_verdict_new (md_diagnosis_get_findings (diagnosis),
                                                 md_diagnosis_get_checks (diagnosis));

  return md_verdict_get_state (verdict) == MD_VERDICT_STATE_WORKS_NOW ? MD_EXIT_OK
                                                                      : MD_EXIT_PROBLEMS;
}

/* Output */

/* One line of progress on stderr, as each check finishes. */
void
md_cli_print_check (MdCheck  *check,
                    gboolean  unicode)
{
  MdCheckStatus status = md_check_get_status (check);

  fprintf (stderr, "%s %-17s %s\n", md_check_status_to_symbol (status, unicode),
           md_check_get_id_string (check), md_check_get_summary (check));
}

/* The report in the format asked for, to --output or standard output. */
gboolean
md_cli_write_report (MdDiagnosis       *diagnosis,
                     MdCliCheckOptions *o,
                     gboolean           unicode)
{
  g_autoptr(MdReport) report = md_report_new_from_diagnosis (diagnosis);
  g_autofree char *text = md_cli_format_report (report, o->format, unicode);

  return md_cli_write_output (o->output, text);
}
