/* test-fix-page.c
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "md-fix-page.h"
#include "md-result-row.h"
#include "md-step-row.h"
#include "md-test-gui.h"
#include "md-test-widgets.h"

/* Three fixes; the last has its own steps for Thunderbird. Single quotes
 * stand for double ones. */
static const char plan_json[] =
  "{'version': 1,"
  " 'account': {'email': 'sam@example.org', 'host': 'smtp.example.org', 'port': 587},"
  " 'checks': ["
  "  {'id': 'smtp.greeting', 'status': 'fail', 'summary': 'The server is too busy',"
  "   'duration_ms': 40}],"
  " 'findings': ["
  "  {'cause': 'server-busy', 'confidence': 0.9, 'checks': ['smtp.greeting'],"
  "   'explanation': 'The server has too many connections.',"
  "   'fixes': ['check-server-status', 'slow-down']}],"
  " 'fixes': ["
  "  {'id': 'check-server-status', 'title': 'Check whether the mail server has a problem',"
  "   'why': 'A busy server answers 421.', 'effort': 'low',"
  "   'steps': ['Look at the status page.', 'Wait for the outage to end.'],"
  "   'verify': 'smtp.greeting'},"
  "  {'id': 'slow-down', 'title': 'Send fewer messages at a time',"
  "   'why': 'Past the limit, the server answers 421.', 'effort': 'medium',"
  "   'steps': ['Stop sending for an hour.'], 'verify': 'smtp.ehlo'},"
  "  {'id': 'verify-settings', 'title': 'Check your outgoing server settings',"
  "   'why': 'Wrong settings make the server close the connection.', 'effort': 'low',"
  "   'steps': ['Open the settings.', 'Set the port to 587.', 'Save.'],"
  "   'variants': {'thunderbird': ['Open Account Settings.', 'Select Outgoing Server.']},"
  "   'verify': 'smtp.auth'}],"
  " 'transcript': []}";

static const char no_fixes_json[] =
  "{'version': 1, 'checks': [], 'findings': [], 'fixes': [], 'transcript': []}";

typedef struct
{
  GtkWidget *window;
  MdFixPage *page;
  GPtrArray *activated;
} Fixture;

/* The window's actions, which the page's buttons name. */
static void
add_window_actions (Fixture *fixture)
{
  static const GActionEntry entries[] = {
    { .name = "check-again", .parameter_type = "s" },
    { .name = "done" },
  };

  md_test_record_actions (fixture->window, entries, G_N_ELEMENTS (entries), fixture->activated);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MdReport) report = md_test_load_report (data != NULL ? data : plan_json);

  fixture->activated = g_ptr_array_new_with_free_func (g_free);
  fixture->page = g_object_new (MD_TYPE_FIX_PAGE, NULL);
  fixture->window = md_test_present (fixture->page);
  add_window_actions (fixture);
  md_fix_page_set_report (fixture->page, report, FALSE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  md_test_close_window (fixture->window, fixture->page);
  g_ptr_array_unref (fixture->activated);
}

/* The steps shown, in order, as "1. text", to compare with one string. */
static char *
dup_steps (Fixture *fixture)
{
  g_autoptr(GPtrArray) rows = md_test_find_all (fixture->page, MD_TYPE_STEP_ROW);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (out, "%s%u. %s", i > 0 ? " " : "",
                            md_step_row_get_number (rows->pdata[i]),
                            md_step_row_get_text (rows->pdata[i]));

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const char *
check_target (Fixture *fixture)
{
  GtkWidget *button = md_test_find_button (fixture->page, "Check again");
  GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button));

  return g_variant_get_string (target, NULL);
}

static void
next (Fixture *fixture)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "fix.next", NULL));
}

static void
back (Fixture *fixture)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "fix.back", NULL));
}

static void
test_first_step (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *steps = dup_steps (fixture);

  g_assert_true (md_test_label_shown (fixture->page, "Fix 1 of 3"));
  g_assert_true (md_test_label_shown (fixture->page,
                                      "Check whether the mail server has a problem"));
  g_assert_true (md_test_label_shown (fixture->page, "A busy server answers 421."));
  /* What is wrong: the finding that led to the fix, in its explanation's
   * words alone (the explanation says again what the title says). */
  g_assert_true (md_test_label_shown (fixture->page, "The server has too many connections."));
  g_assert_null (md_test_find_label (fixture->page, "The mail server is too busy. "
                                     "The server has too many connections."));
  g_assert_cmpstr (steps, ==, "1. Look at the status page. 2. Wait for the outage to end.");

  g_assert_true (md_test_button_shown (fixture->page, "Check again"));
  g_assert_cmpstr (check_target (fixture), ==, "smtp.greeting");
  g_assert_true (md_test_button_shown (fixture->page, "Next"));
  /* One back control, the window's: on the first fix it leaves the page. */
  g_assert_null (md_test_find_button (fixture->page, "Back"));
  g_assert_false (md_fix_page_go_back (fixture->page));
  g_assert_true (md_test_label_shown (fixture->page, "Fix 1 of 3"));
  /* Short enough for a phone's header bar. */
  g_assert_cmpstr (md_page_get_title (MD_PAGE (fixture->page)), ==, "Fix It");
}

static void
test_next_back (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *steps = NULL;

  next (fixture);
  g_assert_true (md_test_label_shown (fixture->page, "Fix 2 of 3"));
  g_assert_cmpstr (check_target (fixture), ==, "smtp.ehlo");
  steps = dup_steps (fixture);
  g_assert_cmpstr (steps, ==, "1. Stop sending for an hour.");
  /* The same finding led to this fix too. */
  g_assert_true (md_test_label_shown (fixture->page, "The server has too many connections."));

  next (fixture);
  g_assert_true (md_test_label_shown (fixture->page, "Fix 3 of 3"));
  g_assert_false (md_test_label_shown (fixture->page, "What is wrong"));
  /* The last step's Next finishes the plan. */
  g_assert_null (md_test_find_button (fixture->page, "Next"));
  g_assert_true (md_test_button_shown (fixture->page, "Done"));
  g_assert_cmpuint (fixture->activated->len, ==, 0);
  g_signal_emit_by_name (md_test_find_button (fixture->page, "Done"), "clicked");
  g_assert_cmpuint (fixture->activated->len, ==, 1);
  g_assert_cmpstr (fixture->activated->pdata[0], ==, "done");
  g_assert_true (md_test_label_shown (fixture->page, "Fix 3 of 3"));

  back (fixture);
  g_assert_true (md_fix_page_go_back (fixture->page));
  g_assert_true (md_test_label_shown (fixture->page, "Fix 1 of 3"));
  g_assert_true (md_test_button_shown (fixture->page, "Next"));
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_mail_program (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *general = NULL;
  g_autofree char *thunderbird = NULL;
  g_autofree char *outlook = NULL;
  g_autoptr(GPtrArray) combos = md_test_find_all (fixture->page, ADW_TYPE_COMBO_ROW);
  guint notified = 0;

  g_signal_connect (fixture->page, "notify::mail-program", G_CALLBACK (on_notify), &notified);
  next (fixture);
  next (fixture);
  general = dup_steps (fixture);
  g_assert_cmpstr (general, ==, "1. Open the settings. 2. Set the port to 587. 3. Save.");

  md_fix_page_set_mail_program (fixture->page, "thunderbird");
  thunderbird = dup_steps (fixture);
  g_assert_cmpstr (thunderbird, ==, "1. Open Account Settings. 2. Select Outgoing Server.");
  g_assert_cmpstr (md_fix_page_get_mail_program (fixture->page), ==, "thunderbird");
  g_assert_cmpuint (notified, ==, 1);
  md_fix_page_set_mail_program (fixture->page, "thunderbird");
  g_assert_cmpuint (notified, ==, 1);

  /* The user's choice in the row takes the same path; a program without
   * steps of its own gets the general ones. */
  g_assert_cmpuint (combos->len, ==, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (combos->pdata[0]), ==, "Mail program");
  adw_combo_row_set_selected (combos->pdata[0], 2);
  g_assert_cmpstr (md_fix_page_get_mail_program (fixture->page), ==, "outlook");
  g_assert_cmpuint (notified, ==, 2);
  outlook = dup_steps (fixture);
  g_assert_cmpstr (outlook, ==, general);

  md_fix_page_set_mail_program (fixture->page, "no-such-program");
  g_assert_null (md_fix_page_get_mail_program (fixture->page));
  g_assert_cmpuint (adw_combo_row_get_selected (combos->pdata[0]), ==, 0);
  g_assert_cmpuint (notified, ==, 3);
}

static MdCheck *
new_check (MdCheckStatus  status,
           const char    *summary)
{
  MdCheck *check = md_check_new (MD_CHECK_SMTP_GREETING);

  md_check_finish (check, status, summary, NULL);

  return check;
}

static char *
dup_history (Fixture *fixture)
{
  g_autoptr(GPtrArray) rows = md_test_find_all (fixture->page, MD_TYPE_RESULT_ROW);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? " | " : "",
                            md_result_row_get_title (rows->pdata[i]));

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_show_check (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MdCheck) busy = new_check (MD_CHECK_STATUS_FAIL, "The server is too busy");
  g_autoptr(MdCheck) fine = new_check (MD_CHECK_STATUS_PASS, "The server answers");
  GtkWidget *button = md_test_find_button (fixture->page, "Check again");
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;
  g_autofree char *none = NULL;
  g_autofree char *again = NULL;

  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpuint (fixture->activated->len, ==, 1);
  g_assert_cmpstr (fixture->activated->pdata[0], ==, "check-again");

  md_fix_page_set_checking (fixture->page, TRUE);
  g_assert_false (gtk_widget_is_sensitive (button));
  md_fix_page_show_check (fixture->page, busy);
  md_fix_page_set_checking (fixture->page, FALSE);
  g_assert_true (gtk_widget_is_sensitive (button));
  one = dup_history (fixture);
  g_assert_cmpstr (one, ==, "Still failing: The server is too busy");
  g_assert_true (md_test_label_shown (fixture->page, "What you tried"));

  md_fix_page_set_checking (fixture->page, TRUE);
  md_fix_page_show_check (fixture->page, fine);
  md_fix_page_set_checking (fixture->page, FALSE);
  two = dup_history (fixture);
  g_assert_cmpstr (two, ==, "Fixed: The server answers | Still failing: The server is too busy");
  g_assert_cmpuint (md_fix_page_get_n_tried (fixture->page), ==, 1);
  g_assert_true (md_fix_page_get_last_check (fixture->page) == fine);

  /* The history belongs to its step. */
  next (fixture);
  none = dup_history (fixture);
  g_assert_cmpstr (none, ==, "");
  g_assert_false (md_test_label_shown (fixture->page, "What you tried"));
  back (fixture);
  again = dup_history (fixture);
  g_assert_cmpstr (again, ==, two);
}

/* A result arriving after the user moved on goes to the step it checked. */
static void
test_check_follows_step (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(MdCheck) fine = new_check (MD_CHECK_STATUS_PASS, "The server answers");
  g_autofree char *on_next = NULL;
  g_autofree char *on_first = NULL;

  md_fix_page_set_checking (fixture->page, TRUE);
  next (fixture);
  g_assert_false (gtk_widget_is_sensitive (md_test_find_button (fixture->page, "Check again")));
  md_fix_page_show_check (fixture->page, fine);
  md_fix_page_set_checking (fixture->page, FALSE);

  on_next = dup_history (fixture);
  g_assert_cmpstr (on_next, ==, "");
  back (fixture);
  on_first = dup_history (fixture);
  g_assert_cmpstr (on_first, ==, "Fixed: The server answers");
}

static void
test_read_only (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MdReport) report = md_test_load_report (plan_json);

  md_fix_page_set_report (fixture->page, report, TRUE);

  g_assert_false (md_test_button_shown (fixture->page, "Check again"));
  g_assert_true (md_test_label_shown (fixture->page, "Fix 1 of 3"));
  next (fixture);
  g_assert_true (md_test_label_shown (fixture->page, "Fix 2 of 3"));
  g_assert_false (md_test_button_shown (fixture->page, "Check again"));
}

/* A new report starts over: first step, nothing tried. */
static void
test_new_report (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MdReport) report = md_test_load_report (plan_json);
  g_autoptr(MdCheck) fine = new_check (MD_CHECK_STATUS_PASS, "The server answers");

  md_fix_page_set_checking (fixture->page, TRUE);
  md_fix_page_show_check (fixture->page, fine);
  md_fix_page_set_checking (fixture->page, FALSE);
  next (fixture);

  md_fix_page_set_report (fixture->page, report, FALSE);
  g_assert_true (md_test_label_shown (fixture->page, "Fix 1 of 3"));
  g_assert_cmpuint (md_fix_page_get_n_tried (fixture->page), ==, 0);
  g_assert_null (md_fix_page_get_last_check (fixture->page));
  g_assert_false (md_test_label_shown (fixture->page, "What you tried"));
}

static void
test_no_fixes (Fixture       *fixture,
               gconstpointer  data)
{
  g_assert_true (md_test_label_shown (fixture->page, "Nothing to fix"));
  g_assert_false (md_test_button_shown (fixture->page, "Check again"));
}

static void
test_keyboard (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) combos = md_test_find_all (fixture->page, ADW_TYPE_COMBO_ROW);
  g_autoptr(GPtrArray) first = md_test_tab_through (fixture->window);
  g_autoptr(GPtrArray) second = NULL;

  g_assert_true (md_test_reaches (first, combos->pdata[0]));
  g_assert_true (md_test_reaches (first, md_test_find_button (fixture->page, "Check again")));
  g_assert_true (md_test_reaches (first, md_test_find_button (fixture->page, "Next")));
  /* The steps are text to read, not stops on the way to the buttons. */
  for (guint i = 0; i < first->len; i++)
    g_assert_null (gtk_widget_get_ancestor (first->pdata[i], MD_TYPE_STEP_ROW));

  next (fixture);
  second = md_test_tab_through (fixture->window);
  g_assert_true (md_test_reaches (second, md_test_find_button (fixture->page, "Next")));
}

/* Step one after two tries, the second one in progress. */
static GtkWidget *
make_page (gconstpointer json)
{
  g_autoptr(MdReport) report = md_test_load_report (json);
  g_autoptr(MdCheck) busy = new_check (MD_CHECK_STATUS_FAIL, "The server is too busy");
  g_autoptr(MdCheck) fine = new_check (MD_CHECK_STATUS_PASS, "The server answers");
  MdFixPage *page = g_object_new (MD_TYPE_FIX_PAGE, NULL);

  md_fix_page_set_report (page, report, FALSE);
  md_fix_page_set_checking (page, TRUE);
  md_fix_page_show_check (page, busy);
  md_fix_page_show_check (page, fine);

  return GTK_WIDGET (page);
}

static void
test_screenshots (void)
{
  md_test_shoot_page ("fix-history", make_page, plan_json);
}

int
main (int   argc,
      char *argv[])
{
  if (!md_test_gui_init (&argc, &argv))
    return 0;

#define ADD(path, json, func) \
  g_test_add ("/md/gui/fix/" path, Fixture, json, fixture_set_up, func, fixture_tear_down)

  ADD ("first-step", NULL, test_first_step);
  ADD ("next-back", NULL, test_next_back);
  ADD ("mail-program", NULL, test_mail_program);
  ADD ("show-check", NULL, test_show_check);
  ADD ("check-follows-step", NULL, test_check_follows_step);
  ADD ("read-only", NULL, test_read_only);
  ADD ("new-report", NULL, test_new_report);
  ADD ("no-fixes", no_fixes_json, test_no_fixes);
  ADD ("keyboard", NULL, test_keyboard);

#undef ADD

  g_test_add_func ("/md/gui/fix/screenshots", test_screenshots);

  return g_test_run ();
}
