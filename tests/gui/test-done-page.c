/* test-done-page.c
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "md-done-page.h"
#include "md-result-row.h"
#include "md-test-gui.h"
#include "md-test-widgets.h"

/* Single quotes stand for double ones. */
static const char stuck_json[] =
  "{'version': 1,"
  " 'account': {'email': 'sam@example.org', 'host': 'smtp.example.org', 'port': 587},"
  " 'checks': ["
  "  {'id': 'smtp.greeting', 'status': 'fail', 'summary': 'The server is too busy',"
  "   'duration_ms': 40},"
  "  {'id': 'rep.dnsbl', 'status': 'fail', 'summary': 'Your address is on a blocklist',"
  "   'duration_ms': 40}],"
  " 'findings': ["
  "  {'cause': 'server-busy', 'confidence': 0.9, 'checks': ['smtp.greeting'],"
  "   'explanation': 'The server has too many connections.', 'fixes': ['retry-later']},"
  "  {'cause': 'blocklisted', 'confidence': 0.5, 'checks': ['rep.dnsbl'],"
  "   'explanation': 'A blocklist names your address.', 'fixes': []}],"
  " 'fixes': ["
  "  {'id': 'retry-later', 'title': 'Wait, then try again', 'why': 'It passes.',"
  "   'effort': 'low', 'steps': ['Wait.'], 'verify': 'smtp.greeting'},"
  "  {'id': 'check-blocklists', 'title': 'Get off the blocklist', 'why': 'Lists block.',"
  "   'effort': 'high', 'steps': ['Ask.'], 'verify': 'rep.dnsbl'}],"
  " 'transcript': []}";

static const char healthy_json[] =
  "{'version': 1,"
  " 'checks': ["
  "  {'id': 'smtp.greeting', 'status': 'pass', 'summary': 'The server answers',"
  "   'duration_ms': 20}],"
  " 'findings': [], 'fixes': [], 'transcript': []}";

typedef struct
{
  GtkWidget  *window;
  MdDonePage *page;
  GPtrArray  *activated;
} Fixture;

static void
add_window_actions (Fixture *fixture)
{
  static const GActionEntry entries[] = {
    { .name = "watch" },
    { .name = "check" },
    { .name = "start" },
    { .name = "copy-for-provider" },
    { .name = "save-report" },
  };

  md_test_record_actions (fixture->window, entries, G_N_ELEMENTS (entries), fixture->activated);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MdReport) report = md_test_load_report (data != NULL ? data : stuck_json);

  fixture->activated = g_ptr_array_new_with_free_func (g_free);
  fixture->page = g_object_new (MD_TYPE_DONE_PAGE, NULL);
  fixture->window = md_test_present (fixture->page);
  add_window_actions (fixture);
  md_done_page_set_report (fixture->page, report, FALSE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  md_test_close_window (fixture->window, fixture->page);
  g_ptr_array_unref (fixture->activated);
}

static const char *
headline (Fixture *fixture)
{
  g_autoptr(GPtrArray) pages = md_test_find_all (fixture->page, ADW_TYPE_STATUS_PAGE);

  g_assert_cmpuint (pages->len, ==, 1);

  return adw_status_page_get_title (pages->pdata[0]);
}

/* The summary row titled @title: its subtitle, or NULL when hidden. */
static const char *
summary (Fixture    *fixture,
         const char *title)
{
  g_autoptr(GPtrArray) rows = md_test_find_all (fixture->page, ADW_TYPE_ACTION_ROW);

  for (guint i = 0; i < rows->len; i++)
    {
      if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) != 0)
        continue;
      if (!md_test_is_shown (rows->pdata[i], fixture->page))
        return NULL;
      return adw_action_row_get_subtitle (rows->pdata[i]);
    }

  g_assert_not_reached ();
}

static MdResultRow *
latest (Fixture *fixture)
{
  g_autoptr(GPtrArray) rows = md_test_find_all (fixture->page, MD_TYPE_RESULT_ROW);

  g_assert_cmpuint (rows->len, ==, 1);

  return rows->pdata[0];
}

static MdCheck *
new_check (MdCheckStatus  status,
           const char    *summary_text)
{
  MdCheck *check = md_check_new (MD_CHECK_SMTP_GREETING);

  md_check_finish (check, status, summary_text, NULL);

  return check;
}

static void
test_stuck (Fixture       *fixture,
            gconstpointer  data)
{
  g_assert_cmpstr (headline (fixture), ==, "Still stuck?");
  /* The verdict's cause only: the other finding is no second problem. */
  g_assert_cmpstr (summary (fixture, "What we found"), ==, "The mail server is too busy");
  g_assert_cmpstr (md_result_row_get_title (latest (fixture)), ==, "2 checks fail");
  /* Until the window says how the steps went, the page does not guess. */
  g_assert_null (summary (fixture, "Steps tried"));
  md_done_page_set_progress (fixture->page, 0, NULL);
  g_assert_cmpstr (summary (fixture, "Steps tried"), ==, "You have not used Check again yet");
  g_assert_cmpstr (md_result_row_get_title (latest (fixture)), ==, "2 checks fail");

  g_assert_true (md_test_button_shown (fixture->page, "Tell me when it works"));
  g_assert_true (md_test_button_shown (fixture->page, "Copy for my provider"));
  g_assert_true (md_test_button_shown (fixture->page, "Save report"));
  g_assert_false (md_test_label_shown (fixture->page, "We will tell you when your server "
                                       "accepts mail again. You can close this window."));
  g_assert_cmpstr (md_page_get_title (MD_PAGE (fixture->page)), ==, "Summary");
}

static void
test_still_failing (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MdCheck) busy = new_check (MD_CHECK_STATUS_FAIL, "The server is still busy");

  md_done_page_set_progress (fixture->page, 1, busy);

  g_assert_cmpstr (headline (fixture), ==, "Still stuck?");
  g_assert_cmpstr (summary (fixture, "Steps tried"), ==, "You tried Check again on 1 of 2 steps");
  g_assert_cmpstr (md_result_row_get_title (latest (fixture)), ==, "The server is still busy");
  g_assert_cmpint (md_result_row_get_status (latest (fixture)), ==, MD_CHECK_STATUS_FAIL);
  g_assert_true (md_test_button_shown (fixture->page, "Tell me when it works"));
}

/* A new report (after Check again, the window makes one) starts over. */
static void
test_new_report (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MdReport) report = md_test_load_report (stuck_json);
  g_autoptr(MdCheck) fine = new_check (MD_CHECK_STATUS_PASS, "The server answers");

  md_done_page_set_progress (fixture->page, 1, fine);
  md_done_page_set_report (fixture->page, report, FALSE);

  g_assert_cmpstr (headline (fixture), ==, "Still stuck?");
  g_assert_null (summary (fixture, "Steps tried"));
  g_assert_cmpstr (md_result_row_get_title (latest (fixture)), ==, "2 checks fail");
}

/* A passing step alone does not say "it works": the report that followed
 * it decides. */
static void
test_step_passes (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(MdCheck) fine = new_check (MD_CHECK_STATUS_PASS, "The server answers");

  md_done_page_set_progress (fixture->page, 1, fine);

  g_assert_cmpstr (headline (fixture), ==, "Still stuck?");
  g_assert_cmpstr (summary (fixture, "What we found"), ==, "The mail server is too busy");
  g_assert_cmpstr (md_result_row_get_title (latest (fixture)), ==, "The server answers");
}

/* Once the report after Check again works, the page says so, and what was
 * found before is said in the past: never beside "should go out again" as
 * if it still stood. */
static void
test_fixed (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(MdReport) after = md_test_load_report (healthy_json);
  g_autoptr(MdCheck) fine = new_check (MD_CHECK_STATUS_PASS, "The server answers");

  md_done_page_follow_report (fixture->page, after);
  md_done_page_set_progress (fixture->page, 2, fine);

  g_assert_cmpstr (headline (fixture), ==, "Your mail should go out again");
  g_assert_cmpstr (summary (fixture, "What we found before the fix"), ==,
                   "The mail server is too busy");
  g_assert_null (md_test_find_label (fixture->page, "What we found"));
  g_assert_cmpstr (summary (fixture, "Steps tried"), ==, "You tried Check again on 2 of 2 steps");
  g_assert_cmpstr (md_result_row_get_title (latest (fixture)), ==, "The server answers");
  g_assert_false (md_test_button_shown (fixture->page, "Tell me when it works"));
  g_assert_true (md_test_button_shown (fixture->page, "Copy for my provider"));
}

static void
test_healthy (Fixture       *fixture,
              gconstpointer  data)
{
  g_assert_cmpstr (headline (fixture), ==, "Your mail should go out again");
  g_assert_cmpstr (summary (fixture, "What we found"), ==, "No problems");
  g_assert_null (summary (fixture, "Steps tried"));
  g_assert_cmpstr (md_result_row_get_title (latest (fixture)), ==, "All checks pass");
  g_assert_false (md_test_button_shown (fixture->page, "Tell me when it works"));
}

static void
test_watching (Fixture       *fixture,
               gconstpointer  data)
{
  static const char watching_text[] =
    "We will tell you when your server accepts mail again. You can close this window.";
  g_autoptr(MdCheck) fine = new_check (MD_CHECK_STATUS_PASS, "The server answers");

  md_done_page_set_watching (fixture->page, TRUE);
  g_assert_true (md_done_page_get_watching (fixture->page));
  g_assert_true (md_test_label_shown (fixture->page, watching_text));
  g_assert_true (md_test_button_shown (fixture->page, "Stop watching"));
  g_assert_null (md_test_find_button (fixture->page, "Tell me when it works"));

  /* The button stays while watching, so that the user can stop it. */
  md_done_page_set_progress (fixture->page, 1, fine);
  g_assert_true (md_test_button_shown (fixture->page, "Stop watching"));

  g_signal_emit_by_name (md_test_find_button (fixture->page, "Stop watching"), "clicked");
  g_assert_cmpuint (fixture->activated->len, ==, 1);
  g_assert_cmpstr (fixture->activated->pdata[0], ==, "watch");

  md_done_page_set_watching (fixture->page, FALSE);
  g_assert_false (md_done_page_get_watching (fixture->page));
  g_assert_false (md_test_label_shown (fixture->page, watching_text));
  g_assert_null (md_test_find_button (fixture->page, "Stop watching"));
}

/* The page says which server is watched, how the last try went and when
 * the next one is. */
static void
test_watch_status (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MdAccount) account = md_account_new ();
  g_autoptr(MdCheck) busy = new_check (MD_CHECK_STATUS_FAIL, "The server is still busy.");
  g_autoptr(GDateTime) last = g_date_time_new_local (2026, 12, 6, 21, 30, 5);
  g_autoptr(GDateTime) next = g_date_time_add_seconds (last, 60);
  g_autofree char *last_at = g_date_time_format (last, "%X");
  g_autofree char *next_at = g_date_time_format (next, "%X");
  g_autofree char *expected = NULL;

  md_account_set_host (account, "smtp.example.org");
  md_account_set_port (account, 587);
  md_done_page_set_watching (fixture->page, TRUE);

  md_done_page_set_watch_status (fixture->page, account, NULL, NULL, NULL);
  g_assert_true (md_test_label_shown (fixture->page,
                                      "Watching smtp.example.org, port 587.\nTrying now…"));

  md_done_page_set_watch_status (fixture->page, account, busy, last, next);
  expected = g_strdup_printf ("Watching smtp.example.org, port 587.\n"
                              "Last try at %s: The server is still busy.\n"
                              "Next try at %s.", last_at, next_at);
  g_assert_true (md_test_label_shown (fixture->page, expected));
}

static void
test_read_only (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MdReport) report = md_test_load_report (stuck_json);

  md_done_page_set_report (fixture->page, report, TRUE);
  md_done_page_set_progress (fixture->page, 0, NULL);

  g_assert_cmpstr (headline (fixture), ==, "Still stuck?");
  g_assert_null (summary (fixture, "Steps tried"));
  g_assert_false (md_test_button_shown (fixture->page, "Tell me when it works"));
  /* Checking again needs the account itself, which an opened report lacks. */
  g_assert_false (md_test_button_shown (fixture->page, "Check again"));
  g_assert_false (md_test_button_shown (fixture->page, "Change settings"));
  g_assert_true (md_test_button_shown (fixture->page, "Copy for my provider"));
  g_assert_true (md_test_button_shown (fixture->page, "Save report"));
}

/* Waiting cannot fix a setting: no offer to watch, but the ways to fix
 * and check again are there. */
static const char settings_json[] =
  "{'version': 1,"
  " 'checks': ["
  "  {'id': 'dns.host', 'status': 'fail', 'summary': 'The server name does not exist',"
  "   'evidence': {'error': 'not-found'}}],"
  " 'findings': ["
  "  {'cause': 'settings-wrong', 'confidence': 0.9, 'checks': ['dns.host'],"
  "   'explanation': 'The server name is mistyped.', 'fixes': ['verify-settings']}],"
  " 'fixes': [], 'transcript': []}";

static void
test_waiting_cannot_help (Fixture       *fixture,
                          gconstpointer  data)
{
  g_assert_cmpstr (headline (fixture), ==, "Still stuck?");
  g_assert_cmpstr (summary (fixture, "What we found"), ==,
                   "Your mail program’s settings are wrong");
  g_assert_false (md_test_button_shown (fixture->page, "Tell me when it works"));
  g_assert_true (md_test_button_shown (fixture->page, "Check again"));
  g_assert_true (md_test_button_shown (fixture->page, "Change settings"));
}

static void
test_actions (Fixture       *fixture,
              gconstpointer  data)
{
  static const char * const labels[] = {
    "Tell me when it works", "Check again", "Change settings", "Copy for my provider",
    "Save report"
  };
  static const char * const actions[] = {
    "watch", "check", "start", "copy-for-provider", "save-report"
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    g_signal_emit_by_name (md_test_find_button (fixture->page, labels[i]), "clicked");

  g_assert_cmpuint (fixture->activated->len, ==, G_N_ELEMENTS (actions));
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    g_assert_cmpstr (fixture->activated->pdata[i], ==, actions[i]);

  md_page_shown (MD_PAGE (fixture->page));
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (fixture->window)) ==
                 md_test_find_button (fixture->page, "Tell me when it works"));
}

static void
test_keyboard (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) reached = md_test_tab_through (fixture->window);

  g_assert_true (md_test_reaches (reached, md_test_find_button (fixture->page,
                                                                "Tell me when it works")));
  g_assert_true (md_test_reaches (reached, md_test_find_button (fixture->page,
                                                                "Copy for my provider")));
  g_assert_true (md_test_reaches (reached, md_test_find_button (fixture->page, "Save report")));
  /* The summary is text to read, not stops on the way to the buttons. */
  for (guint i = 0; i < reached->len; i++)
    g_assert_null (gtk_widget_get_ancestor (reached->pdata[i], GTK_TYPE_LIST_BOX_ROW));
  /* Its last row is named by its words, as the others are by their titles. */
  gtk_test_accessible_assert_relation (latest (fixture), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                       md_test_find_label (fixture->page, "2 checks fail"),
                                       NULL);
}

static GtkWidget *
make_watching_page (gconstpointer json)
{
  g_autoptr(MdReport) report = md_test_load_report (json);
  g_autoptr(MdCheck) busy = new_check (MD_CHECK_STATUS_FAIL, "The server is still busy");
  MdDonePage *page = g_object_new (MD_TYPE_DONE_PAGE, NULL);

  md_done_page_set_report (page, report, FALSE);
  md_done_page_set_progress (page, 1, busy);
  md_done_page_set_watching (page, TRUE);

  return GTK_WIDGET (page);
}

static GtkWidget *
make_fixed_page (gconstpointer json)
{
  g_autoptr(MdReport) report = md_test_load_report (json);
  g_autoptr(MdCheck) fine = new_check (MD_CHECK_STATUS_PASS, "The server answers");
  MdDonePage *page = g_object_new (MD_TYPE_DONE_PAGE, NULL);

  g_autoptr(MdReport) after = md_test_load_report (healthy_json);

  md_done_page_set_report (page, report, FALSE);
  md_done_page_follow_report (page, after);
  md_done_page_set_progress (page, 2, fine);

  return GTK_WIDGET (page);
}

static GtkWidget *
make_stuck_page (gconstpointer json)
{
  g_autoptr(MdReport) report = md_test_load_report (json);
  MdDonePage *page = g_object_new (MD_TYPE_DONE_PAGE, NULL);

  md_done_page_set_report (page, report, FALSE);
  md_done_page_set_progress (page, 0, NULL);

  return GTK_WIDGET (page);
}

static void
test_screenshots (void)
{
  md_test_shoot_page ("done-stuck", make_stuck_page, stuck_json);
  md_test_shoot_page ("done-settings", make_stuck_page, settings_json);
  md_test_shoot_page ("done-watching", make_watching_page, stuck_json);
  md_test_shoot_page ("done-fixed", make_fixed_page, stuck_json);
}

int
main (int   argc,
      char *argv[])
{
  if (!md_test_gui_init (&argc, &argv))
    return 0;

#define ADD(path, json, func) \
  g_test_add ("/md/gui/done/" path, Fixture, json, fixture_set_up, func, fixture_tear_down)

  ADD ("stuck", NULL, test_stuck);
  ADD ("still-failing", NULL, test_still_failing);
  ADD ("fixed", NULL, test_fixed);
  ADD ("step-passes", NULL, test_step_passes);
  ADD ("watch-status", NULL, test_watch_status);
  ADD ("new-report", NULL, test_new_report);
  ADD ("healthy", healthy_json, test_healthy);
  ADD ("watching", NULL, test_watching);
  ADD ("read-only", NULL, test_read_only);
  ADD ("waiting-cannot-help", settings_json, test_waiting_cannot_help);
  ADD ("actions", NULL, test_actions);
  ADD ("keyboard", NULL, test_keyboard);

#undef ADD

  g_test_add_func ("/md/gui/done/screenshots", test_screenshots);

  return g_test_run ();
}
