/* test-checking-page.c: rows that follow a running diagnosis
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Driven twice: by check results handed to the diagnosis's own signal,
 * and by a real run against the in-process scripted peer, with DNS from
 * the fake resolver.
 */

#include <gtk/gtk.h>

#include "md-checking-page.h"
#include "md-test-gui.h"
#include "md-test-peer.h"
#include "md-test-resolver.h"
#include "md-test-utils.h"
#include "md-test-widgets.h"

#define RUN_TIMEOUT_MS 8000

typedef struct
{
  MdTestResolver *resolver;
  MdCheckingPage *page;
  GtkWidget      *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->resolver = md_test_resolver_new ();
  md_test_resolver_install (f->resolver);
  f->page = g_object_new (MD_TYPE_CHECKING_PAGE, NULL);
  f->window = md_test_present (f->page);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 600, 1100);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  md_test_close_window (f->window, f->page);
  md_test_resolver_uninstall (f->resolver);
  md_test_wait_finalized (g_steal_pointer (&f->resolver), 5000);
}

static MdDiagnosis *
new_diagnosis (const char *email,
               guint16     port)
{
  g_autoptr(MdAccount) account = md_account_new ();

  md_account_set_email (account, email);
  md_account_set_host (account, "127.0.0.1");
  md_account_set_port (account, port);
  md_account_set_security (account, MD_SECURITY_NONE);

  return md_diagnosis_new (account);
}

static void
finish (MdDiagnosis   *diagnosis,
        MdCheckId      id,
        MdCheckStatus  status,
        const char    *summary)
{
  g_autoptr(MdCheck) check = md_check_new (id);

  md_check_finish (check, status, summary, NULL);
  g_signal_emit_by_name (diagnosis, "check-finished", check);
}

static const char *
progress_text (Fixture *f)
{
  g_autoptr(GPtrArray) bars = md_test_find_all (f->page, GTK_TYPE_PROGRESS_BAR);

  g_assert_cmpuint (bars->len, ==, 1);
  return gtk_progress_bar_get_text (bars->pdata[0]);
}

static void
test_rows_follow_signals (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(MdDiagnosis) diagnosis = new_diagnosis ("sam@example.test", 2525);
  g_autofree char *expected = NULL;
  MdCheckingRow *row;
  guint n;

  md_checking_page_set_diagnosis (f->page, diagnosis);
  n = md_checking_page_get_n_checks (f->page);

  /* Every check the run will report has a row from the start. */
  g_assert_nonnull (md_checking_page_find_row (f->page, MD_CHECK_SMTP_GREETING));
  g_assert_nonnull (md_checking_page_find_row (f->page, MD_CHECK_AUTH_SPF));
  g_assert_null (md_checking_page_find_row (f->page, MD_CHECK_SMTP_SEND));
  g_assert_cmpuint (md_checking_page_get_n_finished (f->page), ==, 0);
  expected = g_strdup_printf ("0 of %u checks done", n);
  g_assert_cmpstr (progress_text (f), ==, expected);

  finish (diagnosis, MD_CHECK_INPUT, MD_CHECK_STATUS_PASS, "Your settings are complete");
  finish (diagnosis, MD_CHECK_SMTP_GREETING, MD_CHECK_STATUS_FAIL,
          "The server said it is too busy");

  row = md_checking_page_find_row (f->page, MD_CHECK_SMTP_GREETING);
  g_assert_true (md_checking_row_get_finished (row));
  g_assert_cmpint (md_check_get_status (md_checking_row_get_check (row)), ==,
                   MD_CHECK_STATUS_FAIL);
  g_assert_cmpstr (md_checking_row_get_status_text (row), ==, "Failed");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "The server said it is too busy");
  g_assert_false (md_checking_row_get_finished (md_checking_page_find_row (f->page,
                                                                           MD_CHECK_SMTP_EHLO)));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("2 of %u checks done", n);
  g_assert_cmpstr (progress_text (f), ==, expected);

  md_test_save_screenshot (f->window, "checking-progress");

  /* A check the page did not expect gets a row of its own. */
  finish (diagnosis, MD_CHECK_DNS_MX, MD_CHECK_STATUS_PASS, "Found");
  g_assert_cmpuint (md_checking_page_get_n_checks (f->page), ==, n + 1);

  /* At the end, what never reported did not run. */
  md_checking_page_finish (f->page);
  row = md_checking_page_find_row (f->page, MD_CHECK_SMTP_EHLO);
  g_assert_true (md_checking_row_get_finished (row));
  g_assert_null (md_checking_row_get_check (row));
  g_assert_cmpstr (md_checking_row_get_status_text (row), ==, "Not checked");
  g_assert_cmpuint (md_checking_page_get_n_finished (f->page), ==, n + 1);
}

static void
test_no_email_no_mail_auth (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(MdDiagnosis) diagnosis = new_diagnosis (NULL, 2525);

  md_checking_page_set_diagnosis (f->page, diagnosis);

  /* Without an address there is no domain to look up: the run still
   * reports those checks, as skipped, so their rows are there from the
   * start and the count does not grow at the end. */
  g_assert_nonnull (md_checking_page_find_row (f->page, MD_CHECK_AUTH_SPF));
  g_assert_nonnull (md_checking_page_find_row (f->page, MD_CHECK_NET_CONNECT));
  g_assert_null (md_checking_page_find_row (f->page, MD_CHECK_DNS_MX));
  g_assert_null (md_checking_page_find_row (f->page, MD_CHECK_SMTP_SEND));

  /* A new run starts from empty rows; NULL lets the diagnosis go. */
  md_checking_page_set_diagnosis (f->page, NULL);
  g_assert_cmpuint (md_checking_page_get_n_checks (f->page), ==, 0);
}

static void
test_rows_follow_run (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(MdTestPeer) peer = md_test_peer_new (md_test_script_new_scenario ("greet421",
                                                                              NULL, NULL));
  g_autoptr(MdDiagnosis) diagnosis = new_diagnosis (NULL, md_test_peer_get_port (peer));
  g_autoptr(GAsyncResult) result = NULL;
  GListModel *checks;
  MdCheckingRow *row;
  guint n;

  md_diagnosis_set_timeout_ms (diagnosis, RUN_TIMEOUT_MS);
  md_checking_page_set_diagnosis (f->page, diagnosis);
  n = md_checking_page_get_n_checks (f->page);
  md_diagnosis_run_async (diagnosis, NULL, md_test_store_result, &result);
  md_test_wait_result (&result, RUN_TIMEOUT_MS + 2000);
  md_checking_page_finish (f->page);

  /* Each result the run reported is in its row, as it reported it. */
  checks = md_diagnosis_get_checks (diagnosis);
  g_assert_cmpuint (g_list_model_get_n_items (checks), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(MdCheck) check = g_list_model_get_item (checks, i);

      row = md_checking_page_find_row (f->page, md_check_get_id (check));
      g_assert_nonnull (row);
      g_assert_true (md_checking_row_get_check (row) == check);
    }

  row = md_checking_page_find_row (f->page, MD_CHECK_SMTP_GREETING);
  g_assert_cmpint (md_check_get_status (md_checking_row_get_check (row)), ==,
                   MD_CHECK_STATUS_FAIL);
  g_assert_cmpuint (md_checking_page_get_n_finished (f->page), ==,
                    md_checking_page_get_n_checks (f->page));
  /* The page counted every check the run reported, and only those. */
  g_assert_cmpuint (md_checking_page_get_n_checks (f->page), ==, n);
  g_assert_cmpuint (g_list_model_get_n_items (checks), ==, n);

  md_test_save_screenshot (f->window, "checking-done");
}

static void
test_accessible (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(MdDiagnosis) diagnosis = new_diagnosis ("sam@example.test", 2525);
  g_autoptr(GPtrArray) spinners = NULL;
  g_autoptr(GPtrArray) images = NULL;
  MdCheckingRow *row;

  md_checking_page_set_diagnosis (f->page, diagnosis);
  finish (diagnosis, MD_CHECK_SMTP_GREETING, MD_CHECK_STATUS_WARN, "Slow");

  /* The icon is read out in words. */
  row = md_checking_page_find_row (f->page, MD_CHECK_SMTP_GREETING);
  images = md_test_find_all (row, GTK_TYPE_IMAGE);
  gtk_test_accessible_assert_property (images->pdata[0], GTK_ACCESSIBLE_PROPERTY_LABEL, "Warning");

  spinners = md_test_find_all (md_checking_page_find_row (f->page, MD_CHECK_SMTP_EHLO),
                               GTK_TYPE_SPINNER);
  gtk_test_accessible_assert_property (spinners->pdata[0], GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Checking");
  g_assert_nonnull (md_test_find_button (f->page, "Cancel"));
}

/* The rows are text to read: Tab goes from the window's buttons straight
 * to Cancel, which stays in view below the list however long it is. */
static void
test_keyboard (Fixture       *f,
               gconstpointer  data)
{
  static const GActionEntry entries[] = { { .name = "cancel" } };
  g_autoptr(MdDiagnosis) diagnosis = new_diagnosis ("sam@example.test", 2525);
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GPtrArray) reached = NULL;
  GtkWidget *cancel;

  /* The window's action, which Cancel names: without it, it is off. */
  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), NULL);
  gtk_widget_insert_action_group (f->window, "win", G_ACTION_GROUP (group));
  md_checking_page_set_diagnosis (f->page, diagnosis);
  finish (diagnosis, MD_CHECK_SMTP_GREETING, MD_CHECK_STATUS_FAIL, "Too busy");
  reached = md_test_tab_through (f->window);
  cancel = md_test_find_button (f->page, "Cancel");

  g_assert_true (md_test_reaches (reached, cancel));
  for (guint i = 0; i < reached->len; i++)
    g_assert_null (gtk_widget_get_ancestor (reached->pdata[i], GTK_TYPE_LIST_BOX_ROW));
  g_assert_null (gtk_widget_get_ancestor (cancel, GTK_TYPE_SCROLLED_WINDOW));

  /* The window's title says "Checking": the heading says what happens. */
  g_assert_true (md_test_label_shown (f->page, "Talking to your mail server…"));
}

int
main (int   argc,
      char *argv[])
{
  if (!md_test_gui_init (&argc, &argv))
    return 0;

#define ADD(path, func) \
  g_test_add ("/md/gui/checking/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("rows-follow-signals", test_rows_follow_signals);
  ADD ("no-email-no-mail-auth", test_no_email_no_mail_auth);
  ADD ("rows-follow-run", test_rows_follow_run);
  ADD ("accessible", test_accessible);
  ADD ("keyboard", test_keyboard);

#undef ADD

  return g_test_run ();
}
