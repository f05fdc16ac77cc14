/* test-check.c
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>

#include "md-check.h"

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_ids_round_trip (void)
{
  static const char *design_ids[] = {
    "input", "dns.host", "dns.mx", "net.ports", "net.connect", "smtp.greeting", "smtp.ehlo",
    "tls.handshake", "tls.certificate", "tls.versions", "smtp.auth", "smtp.size", "smtp.send",
    "rep.client-ip", "rep.rdns", "rep.dnsbl", "rep.dnsbl-server", "rep.dnsbl-domain",
    "auth.spf", "auth.dkim", "auth.dmarc", "auth.mta-sts", "error.text",
  };

  for (guint i = 0; i < G_N_ELEMENTS (design_ids); i++)
    {
      MdCheckId id;

      g_assert_true (md_check_id_from_string (design_ids[i], &id));
      g_assert_cmpstr (md_check_id_to_string (id), ==, design_ids[i]);
    }

  {
    MdCheckId id = MD_CHECK_INPUT;

    g_assert_false (md_check_id_from_string ("smtp.nothing", &id));
    g_assert_false (md_check_id_from_string (NULL, &id));
  }
}

static void
test_evidence_order (void)
{
  g_autoptr(MdCheck) check = md_check_new (MD_CHECK_SMTP_GREETING);
  g_auto(GStrv) keys = NULL;

  md_check_set_evidence (check, "code", "421");
  md_check_set_evidence (check, "text", "busy");
  md_check_set_evidence (check, "stage", "greeting");
  md_check_set_evidence (check, "code", "450");
  md_check_set_evidence (check, "text", NULL);

  keys = md_check_dup_evidence_keys (check);
  g_assert_cmpuint (g_strv_length (keys), ==, 2);
  g_assert_cmpstr (keys[0], ==, "code");
  g_assert_cmpstr (keys[1], ==, "stage");
  g_assert_cmpstr (md_check_get_evidence (check, "code"), ==, "450");
  g_assert_null (md_check_get_evidence (check, "text"));
}

static void
test_notify_only_on_change (void)
{
  g_autoptr(MdCheck) check = md_check_new (MD_CHECK_SMTP_AUTH);
  guint count = 0;

  g_signal_connect (check, "notify", G_CALLBACK (count_notify), &count);

  md_check_set_summary (check, "one");
  md_check_set_summary (check, "one");
  g_assert_cmpuint (count, ==, 1);

  md_check_set_status (check, MD_CHECK_STATUS_FAIL);
  md_check_set_status (check, MD_CHECK_STATUS_FAIL);
  g_assert_cmpuint (count, ==, 2);

  md_check_set_duration_ms (check, 12);
  md_check_set_duration_ms (check, 12);
  g_assert_cmpuint (count, ==, 3);

  /* finish changes three properties and notifies each once. */
  md_check_finish (check, MD_CHECK_STATUS_PASS, "two", "detail");
  g_assert_cmpuint (count, ==, 6);
  md_check_finish (check, MD_CHECK_STATUS_PASS, "two", "detail");
  g_assert_cmpuint (count, ==, 6);

  g_assert_finalize_object (g_steal_pointer (&check));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/md/core/check/ids-round-trip", test_ids_round_trip);
  g_test_add_func ("/md/core/check/evidence-order", test_evidence_order);
  g_test_add_func ("/md/core/check/notify-only-on-change", test_notify_only_on_change);

  return g_test_run ();
}
