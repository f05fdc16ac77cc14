/* bench-many.c: many diagnoses in one process, memory and descriptors
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-many --port N [--host H] [--user U] [--password-file F]
 *                   [--ca-file PEM] [--skip IDS] [--timeout S] [--runs N]
 *                   [--json FILE] [--quiet]
 *
 * Runs the diagnosis `mail-doctor-cli check` runs, RUNS times in a row
 * (default 100) in this one process, each to completion, as the GUI's
 * "Check again" and watch mode do. After the first run and after the last
 * it records the resident memory (VmRSS), the bytes malloc has handed out
 * and not had back, the open file descriptors and the threads; part P5 of
 * the performance issue wants both ends equal. The figures after the
 * middle run are kept too, to tell a slope from a warm-up. bench-many.py runs it against
 * a real aiosmtpd with STARTTLS and AUTH.
 *
 * The first run is the baseline, not the start of the process: it pays
 * once for what a process keeps on purpose (GType registration, the
 * knowledge base, GnuTLS and glib-networking, the system trust store,
 * glibc's NSS modules). What grows from there grows with every check.
 *
 * By default the checks that need DNS or open extra connections are
 * skipped, as in bench-check.py, so that it needs no network.
 */

#include <locale.h>
#include <malloc.h>
#include <string.h>

#include <gio/gio.h>

#include "md-account.h"
#include "md-check.h"
#include "md-compat.h"
#include "md-diagnosis.h"
#include "md-report.h"
#include "md-verdict.h"

/* bench-check.py's list: the checks that look things up in DNS or open
 * more connections than the one SMTP session. */
#define DEFAULT_SKIP "net.ports,tls.versions,rep.client-ip,rep.rdns,rep.dnsbl," \
                     "rep.dnsbl-server,rep.dnsbl-domain,auth.spf,auth.dkim," \
                     "auth.dmarc,auth.mta-sts"

typedef struct
{
  const char *host;
  guint       port;
  const char *user;
  const char *password;
  const char *ca_file;
  char      **skip;
  guint       timeout_ms;
} Setup;

typedef struct
{
  gint64 rss_kb;
  gint64 heap_kb;
  gint   fds;
  gint   threads;
} Usage;

typedef struct
{
  MdVerdictState state;
  guint          counts[MD_CHECK_STATUS_ERROR + 1];
  guint          checks_finished;
  double         ms;
} Outcome;

/* Measuring */

/* One "Name:   value" line of /proc/self/status, as a number. */
static gint64
read_status_field (const char *status,
                   const char *name)
{
  g_autofree char *key = g_strdup_printf ("\n%s:", name);
  const char *line = strstr (status, key);

  if (line == NULL)
    return -1;

  return g_ascii_strtoll (line + strlen (key), NULL, 10);
}

/* The directory listing holds one descriptor of its own while it reads,
 * which is not counted. */
static gint
count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  gint n = 0;

  if (dir == NULL)
    return -1;

  while (g_dir_read_name (dir) != NULL)
    n++;

  return n - 1;
}

/* RSS alone moves with malloc's arenas and fragmentation; the bytes in use
 * say whether something was not freed. Several threads make several arenas,
 * which mallinfo2() adds up. Blocks in a thread's tcache and GSlice's
 * magazines count as in use, so this too grows for a while before it
 * settles (G_SLICE=always-malloc GLIBC_TUNABLES=glibc.malloc.tcache_count=0
 * leave only what the program holds). Under valgrind or a sanitizer,
 * which bring their own malloc, it reads 0. */
static gint64
read_heap_kb (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return (gint64) ((info.uordblks + info.hblkhd) / 1024);
}

static Usage
measure (void)
{
  g_autofree char *status = NULL;
  Usage usage = { -1, -1, -1, -1 };

  /* What a finished run leaves for the main loop (the last unrefs in idle
   * callbacks, a connection's close) would otherwise count as growth. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  usage.heap_kb = read_heap_kb ();
  usage.fds = count_fds ();
  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    {
      usage.rss_kb = read_status_field (status, "VmRSS");
      /* Worker threads come and go with GLib's pools; one that stays for
       * every run would show here. */
      usage.threads = (gint) read_status_field (status, "Threads");
    }

  return usage;
}

/* One run */

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

/* The CLI prints a line of progress here; counting keeps the signal's
 * path without 100 runs of output. */
static void
on_check_finished (MdDiagnosis *diagnosis,
                   MdCheck     *check,
                   gpointer     user_data)
{
  Outcome *outcome = user_data;

  outcome->checks_finished++;
}

/* What md_cli_check() does, from a fresh account to the written report:
 * build_account() and new_diagnosis(), md_cli_run_diagnosis()'s main loop,
 * the password cleared, md_cli_write_report() (text, thrown away) and
 * md_cli_exit_status()'s verdict. */
static gboolean
run_once (const Setup   *setup,
          GCancellable  *cancellable,
          Outcome       *outcome,
          GError       **error)
{
  g_autoptr(MdAccount) account = md_account_new ();
  g_autoptr(MdDiagnosis) diagnosis = NULL;
  g_autoptr(MdReport) report = NULL;
  g_autoptr(MdVerdict) verdict = NULL;
  g_autofree char *text = NULL;
  Run run = { FALSE, NULL };
  gint64 started_us = g_get_monotonic_time ();
  gulong progress;
  GListModel *checks;

  *outcome = (Outcome) { 0 };

  md_account_set_host (account, setup->host);
  md_account_set_port (account, setup->port);
  md_account_set_security (account, MD_SECURITY_AUTO);
  md_account_set_username (account, setup->user);
  md_account_set_ca_file (account, setup->ca_file);
  if (!md_account_validate (account, error))
    return FALSE;
  if (setup->password != NULL)
    md_account_set_password (account, setup->password);

  diagnosis = md_diagnosis_new (account);
  if (setup->timeout_ms > 0)
    md_diagnosis_set_timeout_ms (diagnosis, setup->timeout_ms);
  for (guint i = 0; setup->skip != NULL && setup->skip[i] != NULL; i++)
    {
      MdCheckId id;

      /* Checked in main(), before the first run. */
      if (md_check_id_from_string (setup->skip[i], &id))
        md_diagnosis_skip_check (diagnosis, id);
    }

  progress = g_signal_connect (diagnosis, "check-finished",
                               G_CALLBACK (on_check_finished), outcome);
  md_diagnosis_run_async (diagnosis, cancellable, run_cb, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_clear_signal_handler (&progress, diagnosis);

  if (run.error != NULL)
    {
      g_propagate_error (error, run.error);
      return FALSE;
    }

  md_account_clear_password (md_diagnosis_get_account (diagnosis));

  report = md_report_new_from_diagnosis (diagnosis);
  text = md_report_to_text (report, TRUE);

  verdict = md_verdict_new (md_diagnosis_get_findings (diagnosis),
                            md_diagnosis_get_checks (diagnosis));
  outcome->state = md_verdict_get_state (verdict);

  checks = md_diagnosis_get_checks (diagnosis);
  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(MdCheck) check = g_list_model_get_item (checks, i);

      outcome->counts[md_check_get_status (check)]++;
    }

  outcome->ms = (g_get_monotonic_time () - started_us) / 1000.0;

  return TRUE;
}

static const char *
state_to_string (MdVerdictState state)
{
  switch (state)
    {
    case MD_VERDICT_STATE_WORKS_NOW:
      return "works-now";
    case MD_VERDICT_STATE_PROBLEM_FOUND:
      return "problem-found";
    case MD_VERDICT_STATE_CANNOT_TELL:
    default:
      return "cannot-tell";
    }
}

static void
print_run (guint          run,
           const Outcome *outcome,
           const Usage   *usage)
{
  g_print ("run %3u: %-13s pass %u warn %u fail %u skip %u error %u  %6.1f ms  "
           "rss %" G_GINT64_FORMAT " kB  heap %" G_GINT64_FORMAT " kB  fds %d  threads %d\n",
           run, state_to_string (outcome->state),
           outcome->counts[MD_CHECK_STATUS_PASS], outcome->counts[MD_CHECK_STATUS_WARN],
           outcome->counts[MD_CHECK_STATUS_FAIL], outcome->counts[MD_CHECK_STATUS_SKIP],
           outcome->counts[MD_CHECK_STATUS_ERROR], outcome->ms,
           usage->rss_kb, usage->heap_kb, usage->fds, usage->threads);
}

/* Two runs against the same peer that end differently measure two
 * different paths; say so rather than compare them. */
static gboolean
same_outcome (const Outcome *a,
              const Outcome *b)
{
  return a->state == b->state && memcmp (a->counts, b->counts, sizeof a->counts) == 0;
}

static gboolean
write_json (const char     *path,
            guint           runs,
            const Usage    *first,
            const Usage    *half,
            const Usage    *last,
            const Outcome  *outcome,
            guint           differing,
            GArray         *rss_series,
            GArray         *fd_series,
            GError        **error)
{
  g_autoptr(GString) json = g_string_new ("{\n");

  g_string_append_printf (json, "  \"runs\": %u,\n", runs);
  g_string_append_printf (json, "  \"rss_kb_after_first\": %" G_GINT64_FORMAT ",\n", first->rss_kb);
  g_string_append_printf (json, "  \"rss_kb_after_last\": %" G_GINT64_FORMAT ",\n", last->rss_kb);
  g_string_append_printf (json, "  \"rss_kb_growth\": %" G_GINT64_FORMAT ",\n",
                          last->rss_kb - first->rss_kb);
  g_string_append_printf (json, "  \"heap_kb_after_first\": %" G_GINT64_FORMAT ",\n", first->heap_kb);
  g_string_append_printf (json, "  \"heap_kb_after_last\": %" G_GINT64_FORMAT ",\n", last->heap_kb);
  g_string_append_printf (json, "  \"heap_kb_growth\": %" G_GINT64_FORMAT ",\n",
                          last->heap_kb - first->heap_kb);
  g_string_append_printf (json, "  \"fds_after_first\": %d,\n", first->fds);
  g_string_append_printf (json, "  \"fds_after_last\": %d,\n", last->fds);
  g_string_append_printf (json, "  \"fds_growth\": %d,\n", last->fds - first->fds);
  g_string_append_printf (json, "  \"rss_kb_growth_second_half\": %" G_GINT64_FORMAT ",\n",
                          last->rss_kb - half->rss_kb);
  g_string_append_printf (json, "  \"heap_kb_growth_second_half\": %" G_GINT64_FORMAT ",\n",
                          last->heap_kb - half->heap_kb);
  g_string_append_printf (json, "  \"fds_growth_second_half\": %d,\n", last->fds - half->fds);
  g_string_append_printf (json, "  \"threads_after_first\": %d,\n", first->threads);
  g_string_append_printf (json, "  \"threads_after_last\": %d,\n", last->threads);
  g_string_append_printf (json, "  \"verdict\": \"%s\",\n", state_to_string (outcome->state));
  g_string_append_printf (json, "  \"runs_ending_otherwise\": %u,\n", differing);

  g_string_append (json, "  \"rss_kb_every_run\": [");
  for (guint i = 0; i < rss_series->len; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "",
                            g_array_index (rss_series, gint64, i));
  g_string_append (json, "],\n  \"fds_every_run\": [");
  for (guint i = 0; i < fd_series->len; i++)
    g_string_append_printf (json, "%s%d", i > 0 ? ", " : "", g_array_index (fd_series, gint, i));
  g_string_append (json, "]\n}\n");

  return g_file_set_contents (path, json->str, json->len, error);
}

/* Reads the password as the CLI does: the file's whole contents, without
 * the line end, never from the command line. */
static char *
read_password (const char  *path,
               GError     **error)
{
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  while (length > 0 && (contents[length - 1] == '\n' || contents[length - 1] == '\r'))
    contents[--length] = '\0';

  return contents;
}

int
main (int   argc,
      char *argv[])
{
  gint runs = 100;
  gint port = 0;
  gint timeout = 0;
  g_autofree char *host = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *skip = NULL;
  g_autofree char *json_path = NULL;
  gboolean quiet = FALSE;
  const GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, "The server (127.0.0.1)", "HOST" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "The server's port", "N" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, "The username", "USER" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      "Read the password from a file", "FILE" },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      "Also trust the certificates in this PEM file", "PEM" },
    { "skip", 0, 0, G_OPTION_ARG_STRING, &skip,
      "Checks not to run (default: those that need DNS or more connections)", "ID,..." },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Each run's deadline in seconds", "S" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Diagnoses in a row (100)", "N" },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &json_path, "Also write the figures here", "FILE" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print only the first, last and every 10th run",
      NULL },
    { NULL, 0, 0, G_OPTION_ARG_NONE, NULL, NULL, NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— many diagnoses in one process");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GArray) rss_series = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) fd_series = g_array_new (FALSE, FALSE, sizeof (gint));
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_auto(GStrv) skip_ids = NULL;
  Setup setup;
  Outcome first_outcome = { 0 };
  Usage first = { 0 }, half = { 0 }, last = { 0 };
  guint differing = 0;

  setlocale (LC_ALL, "C.UTF-8");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-many: %s\n", error->message);
      return 2;
    }
  if (port < 1 || port > 65535 || runs < 2 || timeout < 0)
    {
      g_printerr ("bench-many: give --port, --runs ≥ 2 and --timeout ≥ 0\n");
      return 2;
    }

  skip_ids = g_strsplit (skip != NULL ? skip : DEFAULT_SKIP, ",", -1);
  for (guint i = 0; skip_ids[i] != NULL; i++)
    {
      MdCheckId id;

      g_strstrip (skip_ids[i]);
      if (skip_ids[i][0] != '\0' && !md_check_id_from_string (skip_ids[i], &id))
        {
          g_printerr ("bench-many: there is no check called %s\n", skip_ids[i]);
          return 2;
        }
    }

  if (password_file != NULL)
    {
      password = read_password (password_file, &error);
      if (password == NULL)
        {
          g_printerr ("bench-many: %s\n", error->message);
          return 2;
        }
    }

  setup = (Setup) {
    .host = host != NULL ? host : "127.0.0.1",
    .port = (guint) port,
    .user = user,
    .password = password,
    .ca_file = ca_file,
    .skip = skip_ids,
    .timeout_ms = (guint) timeout * 1000,
  };

  for (guint run = 1; run <= (guint) runs; run++)
    {
      Outcome outcome;
      Usage usage;

      if (!run_once (&setup, cancellable, &outcome, &error))
        {
          g_printerr ("bench-many: run %u did not finish: %s\n", run, error->message);
          return 1;
        }

      usage = measure ();
      g_array_append_val (rss_series, usage.rss_kb);
      g_array_append_val (fd_series, usage.fds);

      if (run == 1)
        {
          first = usage;
          first_outcome = outcome;
        }
      else if (!same_outcome (&first_outcome, &outcome))
        {
          differing++;
        }
      /* Growth that goes on after the first half is not warm-up of the
       * allocator's caches, which settles within the first hundred runs. */
      if (run == (guint) runs / 2)
        half = usage;
      last = usage;

      if (!quiet || run == 1 || run == (guint) runs || run % 10 == 0 ||
          !same_outcome (&first_outcome, &outcome))
        print_run (run, &outcome, &usage);
    }

  g_print ("runs %d (%s)%s\n", runs, state_to_string (first_outcome.state),
           differing > 0 ? "; SOME RUNS ENDED OTHERWISE than the first" : "");
  g_print ("rss:  after run 1 %" G_GINT64_FORMAT " kB, after run %d %" G_GINT64_FORMAT
           " kB, growth %+" G_GINT64_FORMAT " kB\n",
           first.rss_kb, runs, last.rss_kb, last.rss_kb - first.rss_kb);
  g_print ("heap: after run 1 %" G_GINT64_FORMAT " kB, after run %d %" G_GINT64_FORMAT
           " kB, growth %+" G_GINT64_FORMAT " kB\n",
           first.heap_kb, runs, last.heap_kb, last.heap_kb - first.heap_kb);
  g_print ("fds:  after run 1 %d, after run %d %d, growth %+d\n",
           first.fds, runs, last.fds, last.fds - first.fds);
  g_print ("from run %d to run %d: rss %+" G_GINT64_FORMAT " kB, heap %+" G_GINT64_FORMAT
           " kB, fds %+d\n", runs / 2, runs, last.rss_kb - half.rss_kb,
           last.heap_kb - half.heap_kb, last.fds - half.fds);
  g_print ("threads: after run 1 %d, after run %d %d\n", first.threads, runs, last.threads);

  if (password != NULL)
    md_wipe (password, strlen (password));

  if (json_path != NULL &&
      !write_json (json_path, (guint) runs, &first, &half, &last, &first_outcome, differing,
                   rss_series, fd_series, &error))
    {
      g_printerr ("bench-many: %s\n", error->message);
      return 1;
    }

  return 0;
}
