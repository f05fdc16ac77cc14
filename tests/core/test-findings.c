/* test-findings.c: from check results to causes and a fix plan
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The checks here are made by hand, as the probes would leave them, so that
 * each rule is tested on exactly the evidence it reads; the real peers of
 * the fault lab test the same causes end to end.
 */

#include "md-config.h"

#include <locale.h>

#include "md-finding.h"
#include "md-fix.h"
#include "md-test-rules.h"

typedef struct
{
  MdTestRules  r;
  GListModel  *catalogue;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  md_test_rules_init (&f->r);
  f->catalogue = md_fix_load_catalogue (&error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  md_test_rules_clear (&f->r);
  g_clear_object (&f->catalogue);
}

/* The checks of a server that works, as a run leaves them. */
static void
add_healthy (Fixture *f)
{
  md_test_rules_set_check (&f->r, MD_CHECK_INPUT, MD_CHECK_STATUS_PASS, NULL);
  md_test_rules_set_check (&f->r, MD_CHECK_DNS_HOST, MD_CHECK_STATUS_PASS, NULL);
  md_test_rules_set_check (&f->r, MD_CHECK_NET_PORTS, MD_CHECK_STATUS_PASS, "25", "silent", "465",
                           "smtp-tls", "587", "smtp", "2525", "refused", NULL);
  md_test_rules_set_check (&f->r, MD_CHECK_NET_CONNECT, MD_CHECK_STATUS_PASS, NULL);
  md_test_rules_set_check (&f->r, MD_CHECK_SMTP_GREETING, MD_CHECK_STATUS_PASS, NULL);
  md_test_rules_set_check (&f->r, MD_CHECK_SMTP_EHLO, MD_CHECK_STATUS_PASS, NULL);
  md_test_rules_set_check (&f->r, MD_CHECK_TLS_HANDSHAKE, MD_CHECK_STATUS_PASS, NULL);
  md_test_rules_set_check (&f->r, MD_CHECK_TLS_CERTIFICATE, MD_CHECK_STATUS_PASS, NULL);
  md_test_rules_set_check (&f->r, MD_CHECK_TLS_VERSIONS, MD_CHECK_STATUS_WARN, NULL);
  md_test_rules_set_check (&f->r, MD_CHECK_SMTP_AUTH, MD_CHECK_STATUS_PASS, NULL);
  md_test_rules_set_check (&f->r, MD_CHECK_SMTP_SIZE, MD_CHECK_STATUS_PASS, "limit_bytes",
                           "36700160", NULL);
  md_test_rules_set_check (&f->r, MD_CHECK_REP_DNSBL, MD_CHECK_STATUS_PASS, NULL);
  md_test_rules_set_check (&f->r, MD_CHECK_AUTH_SPF, MD_CHECK_STATUS_WARN, NULL);
  md_test_rules_set_check (&f->r, MD_CHECK_AUTH_DMARC, MD_CHECK_STATUS_WARN, NULL);
  md_test_rules_set_check (&f->r, MD_CHECK_ERROR_TEXT, MD_CHECK_STATUS_SKIP, NULL);
}

static MdFinding *
finding_at (GListModel *findings,
            guint       position)
{
  g_autoptr(MdFinding) finding = g_list_model_get_item (findings, position);

  g_assert_nonnull (finding);
  return finding;
}

static gboolean
has_cause (GListModel *findings,
           MdCause     cause)
{
  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    if (md_finding_get_cause (finding_at (findings, i)) == cause)
      return TRUE;

  return FALSE;
}

static void
assert_first (GListModel *findings,
              MdCause     cause,
              const char *check,
              const char *first_fix)
{
  MdFinding *first;

  g_assert_cmpuint (g_list_model_get_n_items (findings), >, 0);
  first = finding_at (findings, 0);
  g_assert_cmpstr (md_cause_to_string (md_finding_get_cause (first)), ==,
                   md_cause_to_string (cause));
  g_assert_true (g_strv_contains (md_finding_get_checks (first), check));
  if (first_fix != NULL)
    g_assert_cmpstr (md_finding_get_fixes (first)[0], ==, first_fix);
  g_assert_cmpstr (md_finding_get_title (first), ==, md_cause_get_title (cause));
  /* Never certain; fairly sure unless the cause is unknown. */
  g_assert_true (md_finding_get_confidence (first) < 1.0);
  if (cause != MD_CAUSE_UNKNOWN)
    g_assert_true (md_finding_get_confidence (first) >= 0.5);
}

/* No false alarms: outdated TLS allowed besides modern, a DMARC policy
 * of none, a soft SPF are not why mail does not go out. */
static void
test_healthy (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GListModel) findings = NULL;

  add_healthy (f);
  findings = md_test_rules_derive (&f->r);
  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 0);
}

static void
test_connection_limit (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GListModel) findings = NULL;

  add_healthy (f);
  md_test_rules_set_check (&f->r, MD_CHECK_SMTP_GREETING, MD_CHECK_STATUS_FAIL, "code", "421",
                           "enhanced_code", "4.7.0", "text",
                           "4.7.0 mx.test.example Error: too many connections from 127.0.0.1",
                           "stage", "greeting", NULL);
  findings = md_test_rules_derive (&f->r);

  assert_first (findings, MD_CAUSE_SERVER_BUSY, "smtp.greeting", "retry-later");
  g_assert_nonnull (strstr (md_finding_get_explanation (finding_at (findings, 0)),
                            "too many connections"));
}

/* The same words later in the session are the sender's own limit. */
static void
test_connections_after_login (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GListModel) findings = NULL;

  add_healthy (f);
  md_test_rules_set_check (&f->r, MD_CHECK_SMTP_EHLO, MD_CHECK_STATUS_FAIL, "code", "421", "text",
                           "Too many concurrent SMTP connections from this IP address", "stage",
                           "ehlo", NULL);
  findings = md_test_rules_derive (&f->r);
  assert_first (findings, MD_CAUSE_RATE_LIMITED, "smtp.ehlo", NULL);
}

static void
test_port_25_blocked (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GListModel) findings = NULL;

  add_healthy (f);
  md_account_set_port (f->r.account, 25);
  md_test_rules_set_check (&f->r, MD_CHECK_NET_CONNECT, MD_CHECK_STATUS_FAIL, "error", "timeout",
                           NULL);
  md_test_rules_set_check (&f->r, MD_CHECK_SMTP_GREETING, MD_CHECK_STATUS_SKIP, NULL);
  findings = md_test_rules_derive (&f->r);

  assert_first (findings, MD_CAUSE_NETWORK_BLOCKED, "net.connect", "check-network");
  g_assert_true (has_cause (findings, MD_CAUSE_SETTINGS_WRONG));
  g_assert_nonnull (strstr (md_finding_get_explanation (finding_at (findings, 1)), "587"));
}

/* Refused while another port answers: a wrong port, not a firewall. */
static void
test_wrong_port (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GListModel) findings = NULL;

  add_healthy (f);
  md_account_set_port (f->r.account, 2525);
  md_test_rules_set_check (&f->r, MD_CHECK_NET_CONNECT, MD_CHECK_STATUS_FAIL, "error", "refused",
                           NULL);
  findings = md_test_rules_derive (&f->r);

  assert_first (findings, MD_CAUSE_SETTINGS_WRONG, "net.connect", "verify-settings");
  g_assert_false (has_cause (findings, MD_CAUSE_NETWORK_BLOCKED));
}

static void
test_server_down (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GListModel) findings = NULL;

  add_healthy (f);
  md_test_rules_set_check (&f->r, MD_CHECK_NET_PORTS, MD_CHECK_STATUS_WARN, "25", "refused", "465",
                           "refused", "587", "refused", "2525", "refused", NULL);
  md_test_rules_set_check (&f->r, MD_CHECK_NET_CONNECT, MD_CHECK_STATUS_FAIL, "error", "refused",
                           NULL);
  findings = md_test_rules_derive (&f->r);
  assert_first (findings, MD_CAUSE_SERVER_DOWN, "net.connect", NULL);
}

static void
test_outdated_tls (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GListModel) findings = NULL;

  add_healthy (f);
  md_test_rules_set_check (&f->r, MD_CHECK_TLS_VERSIONS, MD_CHECK_STATUS_FAIL, "TLS 1.0",
                           "accepted", "TLS 1.2", "refused", NULL);
  findings = md_test_rules_derive (&f->r);
  assert_first (findings, MD_CAUSE_TLS_PROBLEM, "tls.versions", NULL);
}

static void
test_pasted_4_7_66 (Fixture       *f,
                    gconstpointer  data)
{
  const char *text = "421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update "
                     "your client to support TLS 1.2.";
  g_autoptr(GListModel) findings = NULL;

  add_healthy (f);
  md_account_set_error_text (f->r.account, text);
  md_test_rules_set_check (&f->r, MD_CHECK_ERROR_TEXT, MD_CHECK_STATUS_WARN, NULL);
  findings = md_test_rules_derive (&f->r);
  assert_first (findings, MD_CAUSE_TLS_PROBLEM, "error.text", "update-mail-program");
}

static void
test_wrong_password (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GListModel) findings = NULL;
  MdFinding *first;

  add_healthy (f);
  md_account_set_email (f->r.account, "sam@gmail.com");
  md_test_rules_set_check (&f->r, MD_CHECK_SMTP_AUTH, MD_CHECK_STATUS_FAIL, "code", "535",
                           "enhanced_code", "5.7.8", "text",
                           "5.7.8 Username and Password not accepted", "stage", "auth", NULL);
  findings = md_test_rules_derive (&f->r);

  assert_first (findings, MD_CAUSE_AUTH_FAILED, "smtp.auth", "app-password");
  first = finding_at (findings, 0);
  g_assert_nonnull (strstr (md_finding_get_explanation (first), "app password"));

  /* A provider that takes the usual password: check it first. */
  g_clear_object (&findings);
  md_account_set_email (f->r.account, "sam@example.org");
  findings = md_test_rules_derive (&f->r);
  assert_first (findings, MD_CAUSE_AUTH_FAILED, "smtp.auth", "verify-settings");
}

static void
test_blocklists (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GListModel) listed = NULL;
  g_autoptr(GListModel) policy_25 = NULL;
  g_autoptr(GListModel) policy_587 = NULL;

  add_healthy (f);
  md_test_rules_set_check (&f->r, MD_CHECK_REP_DNSBL, MD_CHECK_STATUS_FAIL, NULL);
  listed = md_test_rules_derive (&f->r);
  assert_first (listed, MD_CAUSE_BLOCKLISTED, "rep.dnsbl", "check-blocklists");

  /* A policy listing (PBL) only matters when sending directly on 25. */
  md_test_rules_set_check (&f->r, MD_CHECK_REP_DNSBL, MD_CHECK_STATUS_WARN, NULL);
  policy_587 = md_test_rules_derive (&f->r);
  g_assert_cmpuint (g_list_model_get_n_items (policy_587), ==, 0);

  md_account_set_port (f->r.account, 25);
  md_test_rules_set_check (&f->r, MD_CHECK_SMTP_AUTH, MD_CHECK_STATUS_SKIP, "reason",
                           "no-password", NULL);
  policy_25 = md_test_rules_derive (&f->r);
  assert_first (policy_25, MD_CAUSE_SETTINGS_WRONG, "rep.dnsbl", "verify-settings");
}

static void
test_too_large (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GListModel) fits = NULL;
  g_autoptr(GListModel) findings = NULL;

  add_healthy (f);
  md_test_rules_set_check (&f->r, MD_CHECK_SMTP_SIZE, MD_CHECK_STATUS_PASS, "limit_bytes",
                           "1000000", NULL);
  md_account_set_message_size (f->r.account, 999999);
  fits = md_test_rules_derive (&f->r);
  g_assert_cmpuint (g_list_model_get_n_items (fits), ==, 0);

  md_account_set_message_size (f->r.account, 5000000);
  findings = md_test_rules_derive (&f->r);
  assert_first (findings, MD_CAUSE_MESSAGE_TOO_LARGE, "smtp.size", "clear-outbox");
  g_assert_nonnull (strstr (md_finding_get_explanation (finding_at (findings, 0)), "5.0"));
}

static void
test_sender_auth (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GListModel) without_spf = NULL;
  g_autoptr(GListModel) with_spf = NULL;

  add_healthy (f);
  md_account_set_error_text (f->r.account, "421 4.7.26 This mail has been rate limited because "
                                         "it is unauthenticated.");
  md_test_rules_set_check (&f->r, MD_CHECK_ERROR_TEXT, MD_CHECK_STATUS_WARN, NULL);
  md_test_rules_set_check (&f->r, MD_CHECK_AUTH_SPF, MD_CHECK_STATUS_FAIL, NULL);
  without_spf = md_test_rules_derive (&f->r);
  assert_first (without_spf, MD_CAUSE_SENDER_AUTH_MISSING, "auth.spf", "setup-sender-auth");

  /* With SPF in place, the deferral is read for what it says. */
  md_test_rules_set_check (&f->r, MD_CHECK_AUTH_SPF, MD_CHECK_STATUS_PASS, NULL);
  with_spf = md_test_rules_derive (&f->r);
  g_assert_cmpuint (g_list_model_get_n_items (with_spf), >, 0);
  g_assert_false (g_strv_contains (md_finding_get_checks (finding_at (with_spf, 0)), "auth.spf"));
}

/* A refused login speaks of "authentication" too, but no SPF record fixes
 * it: without SPF, it stays a login problem. */
static void
test_login_not_sender_auth (Fixture       *f,
                            gconstpointer  data)
{
  static const char * const texts[] = {
    "535 5.7.8 Authentication failed",
    "421 4.7.0 Temporary authentication failure",
  };

  add_healthy (f);
  md_test_rules_set_check (&f->r, MD_CHECK_AUTH_SPF, MD_CHECK_STATUS_FAIL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GListModel) findings = NULL;

      md_account_set_error_text (f->r.account, texts[i]);
      md_test_rules_set_check (&f->r, MD_CHECK_ERROR_TEXT, MD_CHECK_STATUS_WARN, NULL);
      findings = md_test_rules_derive (&f->r);
      g_assert_cmpstr (md_cause_to_string (md_finding_get_cause (finding_at (findings, 0))), ==,
                       "auth-failed");
    }
}

/* Connected, then silence: busy, or something holding the connection. */
static void
test_silent_greeting (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GListModel) findings = NULL;

  add_healthy (f);
  md_test_rules_set_check (&f->r, MD_CHECK_SMTP_GREETING, MD_CHECK_STATUS_FAIL, "error", "timeout",
                           NULL);
  findings = md_test_rules_derive (&f->r);
  /* What holds the port is the likeliest, so its fix comes first. */
  assert_first (findings, MD_CAUSE_SERVER_BUSY, "smtp.greeting", "antivirus-tls");
  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 1);
}

/* Broken records are a weak finding of their own. */
static void
test_broken_records (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GListModel) findings = NULL;

  add_healthy (f);
  md_test_rules_set_check (&f->r, MD_CHECK_AUTH_DMARC, MD_CHECK_STATUS_FAIL, NULL);
  findings = md_test_rules_derive (&f->r);
  assert_first (findings, MD_CAUSE_SENDER_AUTH_MISSING, "auth.dmarc", "setup-sender-auth");
  g_assert_cmpfloat (md_finding_get_confidence (finding_at (findings, 0)), <=, 0.5);
}

/* A failure no rule knows is still named, never hidden. */
static void
test_unexplained (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GListModel) findings = NULL;

  add_healthy (f);
  md_test_rules_set_check (&f->r, MD_CHECK_SMTP_EHLO, MD_CHECK_STATUS_FAIL, "error", "protocol",
                           NULL);
  findings = md_test_rules_derive (&f->r);
  assert_first (findings, MD_CAUSE_UNKNOWN, "smtp.ehlo", NULL);
  g_assert_cmpfloat (md_finding_get_confidence (finding_at (findings, 0)), <, 0.5);
}

static void
assert_no_duplicates (GListModel *plan)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < g_list_model_get_n_items (plan); i++)
    {
      g_autoptr(MdFix) fix = g_list_model_get_item (plan, i);

      g_assert_true (g_hash_table_add (seen, (gpointer)md_fix_get_id (fix)));
    }
}

/* Two findings that share fixes: each fix once, the likelier cause's
 * fixes first, and within equal likelihood the quicker fix first. */
static void
test_plan (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GListModel) findings = NULL;
  g_autoptr(GListModel) plan = NULL;
  g_autoptr(MdFix) first = NULL;

  add_healthy (f);
  md_account_set_port (f->r.account, 25);
  md_test_rules_set_check (&f->r, MD_CHECK_NET_CONNECT, MD_CHECK_STATUS_FAIL, "error", "timeout",
                           NULL);
  md_test_rules_set_check (&f->r, MD_CHECK_REP_DNSBL, MD_CHECK_STATUS_FAIL, NULL);
  findings = md_test_rules_derive (&f->r);
  plan = md_fix_plan_new (f->catalogue, findings);

  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 3);
  assert_no_duplicates (plan);
  g_assert_cmpuint (g_list_model_get_n_items (plan), >=, 3);
  first = g_list_model_get_item (plan, 0);
  /* Changing the port is likely to help and quick: it goes first. */
  g_assert_cmpstr (md_fix_get_id (first), ==, "verify-settings");
}

static void
add_test (const char *path,
          void      (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  add_test ("/md/core/findings/healthy", test_healthy);
  add_test ("/md/core/findings/connection-limit", test_connection_limit);
  add_test ("/md/core/findings/connections-after-login", test_connections_after_login);
  add_test ("/md/core/findings/port-25-blocked", test_port_25_blocked);
  add_test ("/md/core/findings/wrong-port", test_wrong_port);
  add_test ("/md/core/findings/server-down", test_server_down);
  add_test ("/md/core/findings/outdated-tls", test_outdated_tls);
  add_test ("/md/core/findings/pasted-4.7.66", test_pasted_4_7_66);
  add_test ("/md/core/findings/wrong-password", test_wrong_password);
  add_test ("/md/core/findings/blocklists", test_blocklists);
  add_test ("/md/core/findings/too-large", test_too_large);
  add_test ("/md/core/findings/sender-auth", test_sender_auth);
  add_test ("/md/core/findings/login-not-sender-auth", test_login_not_sender_auth);
  add_test ("/md/core/findings/silent-greeting", test_silent_greeting);
  add_test ("/md/core/findings/broken-records", test_broken_records);
  add_test ("/md/core/findings/unexplained", test_unexplained);
  add_test ("/md/core/findings/plan", test_plan);

  return g_test_run ();
}
