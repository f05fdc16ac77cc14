/* md-test-rules.c: what the rules and the verdict read, made by hand
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each rule is tested on exactly the evidence it reads; the real peers of
 * the fault lab test the same causes end to end.
 */

#include "md-config.h"

#include "md-test-rules.h"

void
md_test_rules_init (MdTestRules *rules)
{
  g_autoptr(GError) error = NULL;

  rules->account = md_account_new ();
  md_account_set_email (rules->account, "sam@example.org");
  md_account_set_host (rules->account, "smtp.example.org");
  md_account_set_port (rules->account, 587);
  rules->checks = g_list_store_new (MD_TYPE_CHECK);
  rules->replies = md_interpret_catalogue_new (&error);
  g_assert_no_error (error);
  rules->kb = md_kb_new (&error);
  g_assert_no_error (error);
}

void
md_test_rules_clear (MdTestRules *rules)
{
  g_clear_object (&rules->account);
  g_clear_object (&rules->checks);
  g_clear_pointer (&rules->replies, md_interpret_catalogue_free);
  g_clear_object (&rules->kb);
}

void
md_test_rules_set_check (MdTestRules   *rules,
                         MdCheckId      id,
                         MdCheckStatus  status,
                         ...)
{
  g_autoptr(MdCheck) check = md_check_new (id);
  g_autofree char *summary = g_strdup_printf ("summary of %s", md_check_id_to_string (id));
  GListModel *checks = G_LIST_MODEL (rules->checks);
  const char *key;
  va_list args;

  va_start (args, status);
  while ((key = va_arg (args, const char *)) != NULL)
    md_check_set_evidence (check, key, va_arg (args, const char *));
  va_end (args);
  md_check_finish (check, status, summary, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(MdCheck) old = g_list_model_get_item (checks, i);

      if (md_check_get_id (old) == id)
        {
          g_list_store_splice (rules->checks, i, 1, (gpointer *)&check, 1);
          return;
        }
    }
  g_list_store_append (rules->checks, check);
}

GListModel *
md_test_rules_derive (MdTestRules *rules)
{
  return md_findings_derive (rules->account, G_LIST_MODEL (rules->checks), rules->replies,
                             rules->kb);
}
