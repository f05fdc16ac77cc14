/* test-verdict.c: the one answer, over combinations of check results
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The checks are made by hand (md-test-rules), the findings come from the
 * real rules, so each case is the verdict a run with those results gives.
 */

#include "md-config.h"

#include <locale.h>
#include <string.h>

#include "md-enums.h"
#include "md-finding.h"
#include "md-test-rules.h"
#include "md-verdict.h"

typedef MdTestRules Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  md_test_rules_init (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  md_test_rules_clear (f);
}

/* The checks of a server that works, as a run leaves them. */
static void
add_healthy (Fixture *f)
{
  md_test_rules_set_check (f, MD_CHECK_INPUT, MD_CHECK_STATUS_PASS, NULL);
  md_test_rules_set_check (f, MD_CHECK_DNS_HOST, MD_CHECK_STATUS_PASS, NULL);
  md_test_rules_set_check (f, MD_CHECK_NET_PORTS, MD_CHECK_STATUS_PASS, "25", "silent", "465",
                           "smtp-tls", "587", "smtp", "2525", "refused", NULL);
  md_test_rules_set_check (f, MD_CHECK_NET_CONNECT, MD_CHECK_STATUS_PASS, "port", "587", NULL);
  md_test_rules_set_check (f, MD_CHECK_SMTP_GREETING, MD_CHECK_STATUS_PASS, NULL);
  md_test_rules_set_check (f, MD_CHECK_SMTP_EHLO, MD_CHECK_STATUS_PASS, NULL);
  md_test_rules_set_check (f, MD_CHECK_TLS_HANDSHAKE, MD_CHECK_STATUS_PASS, NULL);
  md_test_rules_set_check (f, MD_CHECK_TLS_CERTIFICATE, MD_CHECK_STATUS_PASS, NULL);
  md_test_rules_set_check (f, MD_CHECK_SMTP_AUTH, MD_CHECK_STATUS_PASS, NULL);
  md_test_rules_set_check (f, MD_CHECK_REP_DNSBL, MD_CHECK_STATUS_PASS, NULL);
  md_test_rules_set_check (f, MD_CHECK_AUTH_SPF, MD_CHECK_STATUS_PASS, NULL);
  md_test_rules_set_check (f, MD_CHECK_ERROR_TEXT, MD_CHECK_STATUS_SKIP, NULL);
}

/* The user's error message, as the error.text check leaves it. */
static void
paste (Fixture    *f,
       const char *text)
{
  md_account_set_error_text (f->account, text);
  md_test_rules_set_check (f, MD_CHECK_ERROR_TEXT, MD_CHECK_STATUS_WARN, NULL);
}

static MdVerdict *
verdict (Fixture *f)
{
  g_autoptr(GListModel) findings = md_test_rules_derive (f);

  return md_verdict_new (findings, G_LIST_MODEL (f->checks));
}

static void
assert_state (MdVerdict      *v,
              MdVerdictState  state,
              MdCause         cause)
{
  g_assert_cmpstr (md_verdict_state_to_string (md_verdict_get_state (v)), ==,
                   md_verdict_state_to_string (state));
  g_assert_cmpstr (md_cause_to_string (md_verdict_get_cause (v)), ==, md_cause_to_string (cause));
  g_assert_nonnull (md_verdict_get_title (v));
  g_assert_nonnull (md_verdict_get_explanation (v));
  g_assert_cmpfloat (md_verdict_get_confidence (v), <=, 0.95);
  if (state == MD_VERDICT_STATE_PROBLEM_FOUND)
    {
      g_assert_cmpfloat (md_verdict_get_confidence (v), >, 0);
      g_assert_cmpuint (md_verdict_get_evidence (v)->len, >, 0);
      g_assert_nonnull (md_verdict_get_finding (v));
      g_assert_nonnull (md_finding_get_fixes (md_verdict_get_finding (v))[0]);
      g_assert_true (md_finding_get_cause (md_verdict_get_finding (v)) == cause);
    }
  else
    {
      g_assert_cmpfloat (md_verdict_get_confidence (v), ==, 0);
    }
  if (state == MD_VERDICT_STATE_WORKS_NOW)
    g_assert_null (md_verdict_get_finding (v));
}

static const MdVerdictNote *
find_note (GPtrArray  *notes,
           const char *id)
{
  for (guint i = 0; i < notes->len; i++)
    if (g_strcmp0 (((MdVerdictNote *)notes->pdata[i])->id, id) == 0)
      return notes->pdata[i];

  return NULL;
}

/* No cause is both the verdict and also noticed; no note is said twice. */
static void
assert_said_once (MdVerdict *v)
{
  GPtrArray *also = md_verdict_get_also_noticed (v);
  GPtrArray *evidence = md_verdict_get_evidence (v);

  if (md_verdict_get_state (v) == MD_VERDICT_STATE_PROBLEM_FOUND)
    g_assert_null (find_note (also, md_cause_to_string (md_verdict_get_cause (v))));
  for (guint i = 0; i < also->len; i++)
    for (guint j = i + 1; j < also->len; j++)
      g_assert_cmpstr (((MdVerdictNote *)also->pdata[i])->id, !=,
                       ((MdVerdictNote *)also->pdata[j])->id);
  for (guint i = 0; i < evidence->len; i++)
    for (guint j = i + 1; j < evidence->len; j++)
      g_assert_cmpstr (((MdVerdictNote *)evidence->pdata[i])->id, !=,
                       ((MdVerdictNote *)evidence->pdata[j])->id);
}

/* A server that works ---------------------------------------------------- */

static void
test_healthy (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_WORKS_NOW, MD_CAUSE_UNKNOWN);
  g_assert_cmpstr (md_verdict_get_title (v), ==, "Your settings work");
  g_assert_false (md_verdict_get_can_wait (v));
  g_assert_cmpuint (md_verdict_get_also_noticed (v)->len, ==, 0);
}

/* A generic 421 pasted, a server that answers normally: no cause made up. */
static void
test_healthy_generic_paste (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  paste (f, "421 Service not available, closing transmission channel");
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_WORKS_NOW, MD_CAUSE_UNKNOWN);
  g_assert_cmpstr (md_verdict_get_title (v), ==, "Your server works now");
  g_assert_nonnull (strstr (md_verdict_get_explanation (v), "was temporary, or it came from a "
                                                            "later step"));
  g_assert_cmpuint (md_verdict_get_also_noticed (v)->len, ==, 0);
}

/* A pasted cause a passing step contradicts is evidence against, said
 * once, never a second problem. */
static void
test_healthy_contradicted_paste (Fixture       *f,
                                 gconstpointer  data)
{
  static const char *texts[] = {
    "421 4.3.2 Insufficient system resources, server busy",
    "535 5.7.8 Username and Password not accepted",
    "530 5.7.0 Must issue a STARTTLS command first",
    "554 5.7.1 <bob@example.org>: Relay access denied",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(MdVerdict) v = NULL;
      const MdVerdictNote *against;

      g_list_store_remove_all (f->checks);
      add_healthy (f);
      paste (f, texts[i]);
      v = verdict (f);

      assert_state (v, MD_VERDICT_STATE_WORKS_NOW, MD_CAUSE_UNKNOWN);
      against = find_note (md_verdict_get_evidence (v), "error.text");
      g_assert_nonnull (against);
      g_assert_nonnull (strstr (against->text, "no sign of it now"));
      g_assert_cmpuint (md_verdict_get_also_noticed (v)->len, ==, 0);
      assert_said_once (v);
    }
}

/* A cause no check can see (it comes with a recipient) is the answer from
 * the words alone, no surer than words allow. */
static void
test_healthy_rate_limit_paste (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  paste (f, "421 4.7.28 Our system has detected an unusual rate of unsolicited mail "
            "originating from your IP address.");
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_PROBLEM_FOUND, MD_CAUSE_RATE_LIMITED);
  g_assert_cmpfloat (md_verdict_get_confidence (v), <=, 0.8);
  g_assert_nonnull (find_note (md_verdict_get_evidence (v), "error.text"));
}

static void
test_healthy_spam_paste (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  paste (f, "550 5.7.1 Message rejected: high probability of spam");
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_PROBLEM_FOUND, MD_CAUSE_SPAM_SUSPECTED);
}

/* The sign-in was not tried: a pasted refused login cannot be checked. */
static void
test_unverified_paste (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  md_test_rules_set_check (f, MD_CHECK_SMTP_AUTH, MD_CHECK_STATUS_SKIP, "reason", "no-password",
                           NULL);
  paste (f, "535 5.7.8 Username and Password not accepted");
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_PROBLEM_FOUND, MD_CAUSE_AUTH_FAILED);
  g_assert_cmpfloat (md_verdict_get_confidence (v), <=, 0.6);
}

/* Missing records of the sender's domain, on a server that works: noticed,
 * never a problem. */
static void
test_healthy_spf_missing (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  md_test_rules_set_check (f, MD_CHECK_AUTH_SPF, MD_CHECK_STATUS_FAIL, NULL);
  md_test_rules_set_check (f, MD_CHECK_AUTH_DMARC, MD_CHECK_STATUS_FAIL, NULL);
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_WORKS_NOW, MD_CAUSE_UNKNOWN);
  g_assert_nonnull (find_note (md_verdict_get_also_noticed (v), "sender-auth-missing"));
  assert_said_once (v);
}

static void
test_healthy_provider_listed (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  md_test_rules_set_check (f, MD_CHECK_REP_DNSBL_SERVER, MD_CHECK_STATUS_FAIL, NULL);
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_WORKS_NOW, MD_CAUSE_UNKNOWN);
  g_assert_nonnull (find_note (md_verdict_get_also_noticed (v), "blocklisted"));
}

/* Sender authentication asked for by the paste, and no SPF: the two
 * together are the cause. */
static void
test_sender_auth (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  md_test_rules_set_check (f, MD_CHECK_AUTH_SPF, MD_CHECK_STATUS_FAIL, NULL);
  paste (f, "421 4.7.26 This mail has been rate limited because it is unauthenticated.");
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_PROBLEM_FOUND, MD_CAUSE_SENDER_AUTH_MISSING);
  g_assert_nonnull (find_note (md_verdict_get_evidence (v), "auth.spf"));
  assert_said_once (v);
}

/* A server that does not work ------------------------------------------ */

static void
test_silent (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  md_test_rules_set_check (f, MD_CHECK_SMTP_GREETING, MD_CHECK_STATUS_FAIL, "error", "timeout",
                           NULL);
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_PROBLEM_FOUND, MD_CAUSE_SERVER_BUSY);
  g_assert_cmpstr (md_verdict_get_title (v), ==,
                   "The server took the connection and said nothing");
  /* The likeliest first: what holds the port, then the server. */
  g_assert_true (strstr (md_verdict_get_explanation (v), "antivirus") <
                 strstr (md_verdict_get_explanation (v), "overloaded"));
  g_assert_nonnull (find_note (md_verdict_get_evidence (v), "smtp.greeting"));
}

static void
test_busy_greeting (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  md_test_rules_set_check (f, MD_CHECK_SMTP_GREETING, MD_CHECK_STATUS_FAIL, "code", "421", "text",
                           "4.7.0 mx.example Error: too many connections from 192.0.2.1", "stage",
                           "greeting", NULL);
  paste (f, "421 4.7.0 Try again later, closing connection.");
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_PROBLEM_FOUND, MD_CAUSE_SERVER_BUSY);
  g_assert_cmpuint (md_verdict_get_also_noticed (v)->len, ==, 0);
  /* Waiting fixes a busy server. */
  g_assert_true (md_verdict_get_can_wait (v));
}

/* Seen live and said by the paste too: surer, and the paste said once. */
static void
test_busy_agreeing_paste (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(MdVerdict) alone = NULL;
  g_autoptr(MdVerdict) v = NULL;
  const MdVerdictNote *same;

  add_healthy (f);
  md_test_rules_set_check (f, MD_CHECK_SMTP_GREETING, MD_CHECK_STATUS_FAIL, "code", "421", "text",
                           "4.3.2 Insufficient system resources", "stage", "greeting", NULL);
  alone = verdict (f);
  paste (f, "452 4.3.1 Insufficient system resources");
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_PROBLEM_FOUND, MD_CAUSE_SERVER_BUSY);
  same = find_note (md_verdict_get_evidence (v), "error.text");
  g_assert_nonnull (same);
  g_assert_cmpstr (same->text, ==, "The error message you gave says the same.");
  g_assert_cmpfloat (md_verdict_get_confidence (v), >, md_verdict_get_confidence (alone));
  assert_said_once (v);
}

static void
test_refused_port (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  md_test_rules_set_check (f, MD_CHECK_NET_PORTS, MD_CHECK_STATUS_FAIL, "25", "refused", "465",
                           "refused", "587", "refused", "2525", "refused", NULL);
  md_test_rules_set_check (f, MD_CHECK_NET_CONNECT, MD_CHECK_STATUS_FAIL, "port", "587", "error",
                           "refused", NULL);
  md_test_rules_set_check (f, MD_CHECK_SMTP_GREETING, MD_CHECK_STATUS_SKIP, NULL);
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_PROBLEM_FOUND, MD_CAUSE_SERVER_DOWN);
  g_assert_cmpstr (md_verdict_get_title (v), ==, "Port 587 does not take connections");
  g_assert_nonnull (strstr (md_verdict_get_explanation (v), "none of the usual mail ports"));
}

/* A refused port while another answers: the port the user typed, and the
 * one to use instead. */
static void
test_refused_port_other_answers (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  md_test_rules_set_check (f, MD_CHECK_NET_CONNECT, MD_CHECK_STATUS_FAIL, "port", "2525", "error",
                           "refused", NULL);
  md_account_set_port (f->account, 2525);
  md_test_rules_set_check (f, MD_CHECK_SMTP_GREETING, MD_CHECK_STATUS_SKIP, NULL);
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_PROBLEM_FOUND, MD_CAUSE_SETTINGS_WRONG);
  g_assert_cmpstr (md_verdict_get_title (v), ==, "Port 2525 does not take connections");
  g_assert_nonnull (strstr (md_verdict_get_explanation (v), "takes mail on port 465, 587"));
}

static void
test_filtered_port (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  md_account_set_port (f->account, 25);
  md_test_rules_set_check (f, MD_CHECK_NET_CONNECT, MD_CHECK_STATUS_FAIL, "port", "25", "error",
                           "timeout", NULL);
  md_test_rules_set_check (f, MD_CHECK_SMTP_GREETING, MD_CHECK_STATUS_SKIP, NULL);
  v = verdict (f);

  /* Blocked on the way, and a port to change: both, the likelier first. */
  assert_state (v, MD_VERDICT_STATE_PROBLEM_FOUND, MD_CAUSE_NETWORK_BLOCKED);
  g_assert_nonnull (find_note (md_verdict_get_also_noticed (v), "settings-wrong"));
  assert_said_once (v);
}

/* Silence on every port: the port the user typed is named. */
static void
test_filtered_everywhere (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  md_test_rules_set_check (f, MD_CHECK_NET_PORTS, MD_CHECK_STATUS_FAIL, "25", "silent", "465",
                           "silent", "587", "silent", "2525", "silent", NULL);
  md_test_rules_set_check (f, MD_CHECK_NET_CONNECT, MD_CHECK_STATUS_FAIL, "port", "587", "error",
                           "timeout", NULL);
  md_test_rules_set_check (f, MD_CHECK_SMTP_GREETING, MD_CHECK_STATUS_SKIP, NULL);
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_PROBLEM_FOUND, MD_CAUSE_NETWORK_BLOCKED);
  g_assert_cmpstr (md_verdict_get_title (v), ==, "Nothing answers on port 587");
}

static void
test_unreachable (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  md_test_rules_set_check (f, MD_CHECK_NET_PORTS, MD_CHECK_STATUS_FAIL, NULL);
  md_test_rules_set_check (f, MD_CHECK_NET_CONNECT, MD_CHECK_STATUS_FAIL, "port", "587", "error",
                           "unreachable", NULL);
  md_test_rules_set_check (f, MD_CHECK_SMTP_GREETING, MD_CHECK_STATUS_SKIP, NULL);
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_PROBLEM_FOUND, MD_CAUSE_NETWORK_BLOCKED);
}

static void
test_host_not_found (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  md_test_rules_set_check (f, MD_CHECK_DNS_HOST, MD_CHECK_STATUS_FAIL, "error", "not-found", NULL);
  md_test_rules_set_check (f, MD_CHECK_NET_CONNECT, MD_CHECK_STATUS_SKIP, NULL);
  md_test_rules_set_check (f, MD_CHECK_SMTP_GREETING, MD_CHECK_STATUS_SKIP, NULL);
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_PROBLEM_FOUND, MD_CAUSE_SETTINGS_WRONG);
  g_assert_nonnull (find_note (md_verdict_get_evidence (v), "dns.host"));
  /* ... never a setting. */
  g_assert_false (md_verdict_get_can_wait (v));
}

/* STARTTLS asked of a server that does not offer it. */
static void
test_starttls_not_offered (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  md_test_rules_set_check (f, MD_CHECK_TLS_HANDSHAKE, MD_CHECK_STATUS_FAIL, "mode", "starttls",
                           "starttls", "not-offered", NULL);
  md_test_rules_set_check (f, MD_CHECK_SMTP_AUTH, MD_CHECK_STATUS_SKIP, NULL);
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_PROBLEM_FOUND, MD_CAUSE_SETTINGS_WRONG);
  g_assert_nonnull (find_note (md_verdict_get_evidence (v), "tls.handshake"));
}

static void
test_outdated_tls (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  md_test_rules_set_check (f, MD_CHECK_TLS_VERSIONS, MD_CHECK_STATUS_FAIL, NULL);
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_PROBLEM_FOUND, MD_CAUSE_TLS_PROBLEM);
}

/* A refused login with SPF missing: the login is the problem, SPF only
 * noticed. */
static void
test_login_refused_spf_missing (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  md_test_rules_set_check (f, MD_CHECK_SMTP_AUTH, MD_CHECK_STATUS_FAIL, "code", "535", "text",
                           "5.7.8 Username and Password not accepted", NULL);
  md_test_rules_set_check (f, MD_CHECK_AUTH_SPF, MD_CHECK_STATUS_FAIL, NULL);
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_PROBLEM_FOUND, MD_CAUSE_AUTH_FAILED);
  g_assert_nonnull (find_note (md_verdict_get_also_noticed (v), "sender-auth-missing"));
  assert_said_once (v);
}

/* Listed, and a pasted rate limit: what was seen live decides, the paste
 * is a hint. */
static void
test_blocklisted_rate_limit_paste (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  md_test_rules_set_check (f, MD_CHECK_REP_DNSBL, MD_CHECK_STATUS_FAIL, NULL);
  paste (f, "450 4.7.1 Error: too much mail from 192.0.2.1");
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_PROBLEM_FOUND, MD_CAUSE_BLOCKLISTED);
  g_assert_nonnull (find_note (md_verdict_get_also_noticed (v), "rate-limited"));
  assert_said_once (v);
}

/* A live cause and a pasted one a passing step rules out: the paste is
 * dropped, not shown beside it. */
static void
test_live_beats_contradicted_paste (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  md_test_rules_set_check (f, MD_CHECK_REP_DNSBL, MD_CHECK_STATUS_FAIL, NULL);
  paste (f, "535 5.7.8 Username and Password not accepted");
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_PROBLEM_FOUND, MD_CAUSE_BLOCKLISTED);
  g_assert_null (find_note (md_verdict_get_also_noticed (v), "auth-failed"));
}

static void
test_too_large (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  md_test_rules_set_check (f, MD_CHECK_SMTP_SIZE, MD_CHECK_STATUS_PASS, "limit_bytes", "10485760",
                           NULL);
  md_account_set_message_size (f->account, 20 * 1024 * 1024);
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_PROBLEM_FOUND, MD_CAUSE_MESSAGE_TOO_LARGE);
}

/* Honest when it does not know ------------------------------------------ */

static void
test_unexplained_failure (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  md_test_rules_set_check (f, MD_CHECK_SMTP_EHLO, MD_CHECK_STATUS_FAIL, "error", "closed", NULL);
  md_test_rules_set_check (f, MD_CHECK_SMTP_AUTH, MD_CHECK_STATUS_SKIP, NULL);
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_CANNOT_TELL, MD_CAUSE_UNKNOWN);
  g_assert_cmpstr (md_verdict_get_title (v), ==, "Mail Doctor cannot tell what is wrong");
  g_assert_nonnull (find_note (md_verdict_get_evidence (v), "smtp.ehlo"));
  g_assert_true (md_verdict_get_can_wait (v));
}

/* The same failure, and a paste that names a cause: the paste explains
 * it, no surer than words allow. */
static void
test_unexplained_failure_with_paste (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  add_healthy (f);
  md_test_rules_set_check (f, MD_CHECK_SMTP_EHLO, MD_CHECK_STATUS_FAIL, "error", "closed", NULL);
  md_test_rules_set_check (f, MD_CHECK_SMTP_AUTH, MD_CHECK_STATUS_SKIP, NULL);
  paste (f, "421-4.7.0 Try again later, closing connection. (EHLO)");
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_PROBLEM_FOUND, MD_CAUSE_SETTINGS_WRONG);
  g_assert_cmpfloat (md_verdict_get_confidence (v), <=, 0.6);
}

static void
test_nothing_ran (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(MdVerdict) v = NULL;

  md_test_rules_set_check (f, MD_CHECK_INPUT, MD_CHECK_STATUS_PASS, NULL);
  md_test_rules_set_check (f, MD_CHECK_DNS_HOST, MD_CHECK_STATUS_ERROR, NULL);
  v = verdict (f);

  assert_state (v, MD_VERDICT_STATE_CANNOT_TELL, MD_CAUSE_UNKNOWN);
}

/* Every state has its nick, as the report writes it. */
static void
test_state_nicks (void)
{
  g_assert_cmpstr (md_verdict_state_to_string (MD_VERDICT_STATE_WORKS_NOW), ==, "works-now");
  g_assert_cmpstr (md_verdict_state_to_string (MD_VERDICT_STATE_PROBLEM_FOUND), ==,
                   "problem-found");
  g_assert_cmpstr (md_verdict_state_to_string (MD_VERDICT_STATE_CANNOT_TELL), ==,
                   "cannot-tell");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/md/core/verdict/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("healthy", test_healthy);
  ADD ("healthy-generic-paste", test_healthy_generic_paste);
  ADD ("healthy-contradicted-paste", test_healthy_contradicted_paste);
  ADD ("healthy-rate-limit-paste", test_healthy_rate_limit_paste);
  ADD ("healthy-spam-paste", test_healthy_spam_paste);
  ADD ("unverified-paste", test_unverified_paste);
  ADD ("healthy-spf-missing", test_healthy_spf_missing);
  ADD ("healthy-provider-listed", test_healthy_provider_listed);
  ADD ("sender-auth", test_sender_auth);
  ADD ("silent", test_silent);
  ADD ("busy-greeting", test_busy_greeting);
  ADD ("busy-agreeing-paste", test_busy_agreeing_paste);
  ADD ("refused-port", test_refused_port);
  ADD ("refused-port-other-answers", test_refused_port_other_answers);
  ADD ("filtered-port", test_filtered_port);
  ADD ("filtered-everywhere", test_filtered_everywhere);
  ADD ("unreachable", test_unreachable);
  ADD ("host-not-found", test_host_not_found);
  ADD ("starttls-not-offered", test_starttls_not_offered);
  ADD ("outdated-tls", test_outdated_tls);
  ADD ("login-refused-spf-missing", test_login_refused_spf_missing);
  ADD ("blocklisted-rate-limit-paste", test_blocklisted_rate_limit_paste);
  ADD ("live-beats-contradicted-paste", test_live_beats_contradicted_paste);
  ADD ("too-large", test_too_large);
  ADD ("unexplained-failure", test_unexplained_failure);
  ADD ("unexplained-failure-with-paste", test_unexplained_failure_with_paste);
  ADD ("nothing-ran", test_nothing_ran);

#undef ADD

  g_test_add_func ("/md/core/verdict/state-nicks", test_state_nicks);

  return g_test_run ();
}
