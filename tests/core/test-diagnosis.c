/* test-diagnosis.c: findings, the fix plan and Check again, end to end
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * In-process peers on 127.0.0.1: one that turns every connection away with
 * a 421, one that serves like a plain server. The user "fixes" the problem
 * by switching to the healthy one, and Check again must see it.
 */

#include "md-config.h"

#include <locale.h>

#include "md-diagnosis.h"
#include "md-enums.h"
#include "md-finding.h"
#include "md-fix.h"
#include "md-test-peer.h"
#include "md-test-utils.h"

#define WAIT_MS 15000

/* Checks that need DNS or more connections than these tests are about. */
static const MdCheckId not_here[] = {
  MD_CHECK_NET_PORTS, MD_CHECK_TLS_VERSIONS, MD_CHECK_REP_CLIENT_IP, MD_CHECK_REP_RDNS,
  MD_CHECK_REP_DNSBL, MD_CHECK_REP_DNSBL_SERVER, MD_CHECK_REP_DNSBL_DOMAIN,
  MD_CHECK_AUTH_SPF, MD_CHECK_AUTH_DKIM, MD_CHECK_AUTH_DMARC, MD_CHECK_AUTH_MTA_STS,
};

static MdTestPeer *
new_busy_peer (void)
{
  g_autoptr(MdTestScript) script = md_test_script_new_scenario ("greet421", NULL, NULL);

  return md_test_peer_new (g_steal_pointer (&script));
}

static MdTestPeer *
new_healthy_peer (void)
{
  g_autoptr(MdTestScript) script = md_test_script_new ();

  md_test_script_send (script, "220 mx.test.example ESMTP\r\n", -1);
  md_test_script_serve (script, "\r\n");
  return md_test_peer_new (g_steal_pointer (&script));
}

static MdDiagnosis *
new_diagnosis (MdTestPeer *peer)
{
  g_autoptr(MdAccount) account = md_account_new ();
  MdDiagnosis *diagnosis;

  md_account_set_email (account, "sam@example.org");
  md_account_set_host (account, "127.0.0.1");
  md_account_set_port (account, md_test_peer_get_port (peer));
  md_account_set_security (account, MD_SECURITY_NONE);
  md_account_set_error_text (account, "421 4.7.0 Try again later, closing connection.");

  diagnosis = md_diagnosis_new (account);
  md_diagnosis_set_timeout_ms (diagnosis, 8000);
  for (guint i = 0; i < G_N_ELEMENTS (not_here); i++)
    md_diagnosis_skip_check (diagnosis, not_here[i]);

  return diagnosis;
}

static void
run (MdDiagnosis *diagnosis)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  md_diagnosis_run_async (diagnosis, NULL, md_test_store_result, &result);
  md_diagnosis_run_finish (diagnosis, md_test_wait_result (&result, WAIT_MS), &error);
  g_assert_no_error (error);
}

static MdCheck *
recheck (MdDiagnosis   *diagnosis,
         MdCheckId      id,
         GCancellable  *cancellable,
         GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  md_diagnosis_recheck_async (diagnosis, id, cancellable, md_test_store_result, &result);
  return md_diagnosis_recheck_finish (diagnosis, md_test_wait_result (&result, WAIT_MS), error);
}

static MdCause
first_cause (MdDiagnosis *diagnosis)
{
  g_autoptr(MdFinding) first = g_list_model_get_item (md_diagnosis_get_findings (diagnosis), 0);

  g_assert_nonnull (first);
  return md_finding_get_cause (first);
}

/* A busy server: the finding, its plan, and the pasted error agreeing. */
static void
test_findings (void)
{
  g_autoptr(MdTestPeer) peer = new_busy_peer ();
  g_autoptr(MdDiagnosis) diagnosis = new_diagnosis (peer);
  g_autoptr(MdFix) first_fix = NULL;
  MdCheck *error_text;

  run (diagnosis);

  g_assert_cmpint (first_cause (diagnosis), ==, MD_CAUSE_SERVER_BUSY);
  first_fix = g_list_model_get_item (md_diagnosis_get_fixes (diagnosis), 0);
  g_assert_nonnull (first_fix);
  g_assert_cmpstr (md_fix_get_id (first_fix), ==, "retry-later");

  error_text = md_diagnosis_find_check (diagnosis, MD_CHECK_ERROR_TEXT);
  g_assert_nonnull (error_text);
  g_assert_cmpint (md_check_get_status (error_text), ==, MD_CHECK_STATUS_WARN);
  g_assert_cmpstr (md_check_get_evidence (error_text, "code"), ==, "421");
}

/* What a progress display counts is what the run reports, check for
 * check: with and without an email address and a pasted error. */
static void
test_reports_check (void)
{
  g_autoptr(MdTestPeer) peer = new_busy_peer ();
  g_autoptr(GEnumClass) ids = g_type_class_ref (MD_TYPE_CHECK_ID);

  for (guint bare = 0; bare < 2; bare++)
    {
      g_autoptr(MdDiagnosis) diagnosis = new_diagnosis (peer);
      MdAccount *account = md_diagnosis_get_account (diagnosis);

      if (bare)
        {
          md_account_set_email (account, NULL);
          md_account_set_error_text (account, NULL);
        }
      md_diagnosis_skip_check (diagnosis, MD_CHECK_REP_DNSBL_DOMAIN);
      run (diagnosis);

      for (guint i = 0; i < ids->n_values; i++)
        {
          MdCheckId id = ids->values[i].value;

          if (md_diagnosis_reports_check (diagnosis, id) !=
              (md_diagnosis_find_check (diagnosis, id) != NULL))
            g_error ("%s: reported %s, expected %s", ids->values[i].value_nick,
                     md_diagnosis_find_check (diagnosis, id) != NULL ? "yes" : "no",
                     md_diagnosis_reports_check (diagnosis, id) ? "yes" : "no");
        }
    }
}

/* The user switches to the right server; Check again sees it, keeps the
 * other results and draws the conclusions again. */
static void
test_recheck_after_fix (void)
{
  g_autoptr(MdTestPeer) busy = new_busy_peer ();
  g_autoptr(MdTestPeer) healthy = new_healthy_peer ();
  g_autoptr(MdDiagnosis) diagnosis = new_diagnosis (busy);
  MdAccount *account = md_diagnosis_get_account (diagnosis);
  g_autoptr(MdCheck) greeting = NULL;
  g_autoptr(GError) error = NULL;
  guint n_checks;

  run (diagnosis);
  n_checks = g_list_model_get_n_items (md_diagnosis_get_checks (diagnosis));

  md_account_set_error_text (account, NULL);
  md_account_set_port (account, md_test_peer_get_port (healthy));
  greeting = recheck (diagnosis, MD_CHECK_SMTP_GREETING, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (md_check_get_status (greeting), ==, MD_CHECK_STATUS_PASS);
  g_assert_cmpuint (g_list_model_get_n_items (md_diagnosis_get_checks (diagnosis)), ==, n_checks);
  g_assert_cmpuint (md_test_peer_get_n_connections (healthy), ==, 1);

  /* The old error text's check was not run again, so it still speaks. */
  g_assert_cmpint (md_check_get_status (md_diagnosis_find_check (diagnosis, MD_CHECK_ERROR_TEXT)),
                   ==, MD_CHECK_STATUS_WARN);
  g_assert_false (md_diagnosis_has_failures (diagnosis));
}

/* Re-reading the error message needs no connection at all. */
static void
test_recheck_error_text (void)
{
  g_autoptr(MdTestPeer) peer = new_healthy_peer ();
  g_autoptr(MdDiagnosis) diagnosis = new_diagnosis (peer);
  g_autoptr(MdCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  guint connections;

  /* A pasted reply that gives its reason, so that it makes a finding. */
  md_account_set_error_text (md_diagnosis_get_account (diagnosis),
                             "421 4.7.28 Our system has detected an unusual rate of unsolicited "
                             "mail originating from your IP address.");
  run (diagnosis);
  connections = md_test_peer_get_n_connections (peer);
  g_assert_cmpuint (g_list_model_get_n_items (md_diagnosis_get_findings (diagnosis)), >, 0);

  md_account_set_error_text (md_diagnosis_get_account (diagnosis), NULL);
  check = recheck (diagnosis, MD_CHECK_ERROR_TEXT, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_SKIP);
  g_assert_cmpuint (md_test_peer_get_n_connections (peer), ==, connections);
  g_assert_cmpuint (g_list_model_get_n_items (md_diagnosis_get_findings (diagnosis)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (md_diagnosis_get_fixes (diagnosis)), ==, 0);
}

static void
test_recheck_cancelled (void)
{
  g_autoptr(MdTestPeer) peer = new_busy_peer ();
  g_autoptr(MdDiagnosis) diagnosis = new_diagnosis (peer);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(MdCheck) check = NULL;
  g_autoptr(GError) error = NULL;

  run (diagnosis);
  g_cancellable_cancel (cancellable);
  check = recheck (diagnosis, MD_CHECK_SMTP_GREETING, cancellable, &error);

  g_assert_null (check);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/md/core/diagnosis/findings", test_findings);
  g_test_add_func ("/md/core/diagnosis/reports-check", test_reports_check);
  g_test_add_func ("/md/core/diagnosis/recheck-after-fix", test_recheck_after_fix);
  g_test_add_func ("/md/core/diagnosis/recheck-error-text", test_recheck_error_text);
  g_test_add_func ("/md/core/diagnosis/recheck-cancelled", test_recheck_cancelled);

  return g_test_run ();
}
